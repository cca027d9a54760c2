//! From a scenario's `[[policy]]` to the routing core's policy and settings.

use crate::routing::{Live, Persistent, Policy, RouterConfig};
use crate::scenario::{Agents, ModeSpec, PolicySpec};

/// The routing policy a scenario's policy entry describes.
pub fn build_policy(spec: &PolicySpec) -> Box<dyn Policy> {
    match spec.mode {
        ModeSpec::Live { end_after_idle } => Box::new(Live { end_after_idle }),
        ModeSpec::Persistent { park_after_idle, same_agent, same_agent_wait, auto_close_after } => {
            Box::new(Persistent { park_after_idle, same_agent, same_agent_wait, auto_close_after })
        }
    }
}

/// The router settings for a policy and the scenario's agents.
pub fn router_config(spec: &PolicySpec, agents: &Agents, queue_open: bool) -> RouterConfig {
    RouterConfig { assignment: spec.assignment, wrap_up_holds_capacity: agents.wrap_up_holds_capacity, queue_open }
}

/// Whether customers of this policy are in live chat (patience and recontacts apply).
pub fn is_live(spec: &PolicySpec) -> bool {
    matches!(spec.mode, ModeSpec::Live { .. })
}
