//! From a scenario's `[[policy]]` to the routing core's policy and settings.
//!
//! A policy of a scenario without `[[workstream]]` is one mode and one assignment method; the engine builds its
//! router from those pieces ([`policy_of_mode`], [`config_of`]). A routing set-up (`[[workstream]]`) is built by
//! [`crate::sim::plan`].

use crate::routing::{AssignmentMethod, Live, Persistent, Policy, RouterConfig};
use crate::scenario::{Agents, ModeSpec, PolicyRouting, PolicySpec};

/// The routing policy a mode describes.
pub fn policy_of_mode(mode: &ModeSpec) -> Box<dyn Policy> {
    match *mode {
        ModeSpec::Live { end_after_idle } => Box::new(Live { end_after_idle }),
        ModeSpec::Persistent { park_after_idle, same_agent, same_agent_wait, auto_close_after } => {
            Box::new(Persistent { park_after_idle, same_agent, same_agent_wait, auto_close_after })
        }
    }
}

/// The router settings for an assignment method and the scenario's agents.
pub fn config_of(assignment: AssignmentMethod, agents: &Agents, queue_open: bool) -> RouterConfig {
    RouterConfig { assignment, wrap_up_holds_capacity: agents.wrap_up_holds_capacity, queue_open }
}

/// The routing policy of a single-queue policy; for a set-up (whose router [`crate::sim::plan`] builds), its
/// first workstream's mode.
pub fn build_policy(spec: &PolicySpec) -> Box<dyn Policy> {
    policy_of_mode(mode_of(spec))
}

/// The router settings for a single-queue policy and the scenario's agents; for a set-up, its first queue's
/// assignment method.
pub fn router_config(spec: &PolicySpec, agents: &Agents, queue_open: bool) -> RouterConfig {
    let assignment = match &spec.routing {
        PolicyRouting::Single { assignment, .. } => *assignment,
        PolicyRouting::Setup(s) => s.queues.first().map_or_else(AssignmentMethod::default, |q| q.assignment),
    };
    config_of(assignment, agents, queue_open)
}

/// Whether customers of this policy are in live chat (patience and recontacts apply): its mode is live, or every
/// workstream of its set-up is.
pub fn is_live(spec: &PolicySpec) -> bool {
    spec.is_live()
}

/// The mode of a single-queue policy; of a set-up, its first workstream's (a set-up has at least one).
fn mode_of(spec: &PolicySpec) -> &ModeSpec {
    match &spec.routing {
        PolicyRouting::Single { mode, .. } => mode,
        PolicyRouting::Setup(s) => &s.workstreams[0].mode,
    }
}
