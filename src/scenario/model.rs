//! The validated scenario the engine runs: real types, every rule already checked.
//!
//! Time zero of the simulation is the scenario's `start`. The run simulates the warm-up `[0, warmup)`, then
//! the measured window `[warmup, warmup + duration)`; new conversations stop arriving at the end of the
//! window, and the conversations that arrived inside it are followed for at most `drain` more.

use super::dist::{CountDist, Dist};
use super::routing_model::{PolicyRouting, RoutingSpec};
use super::staffing::Staffing;
use crate::hours::{OperatingHours, Origin};
use crate::routing::{AssignmentMethod, Millis};
use std::path::PathBuf;

/// Default `drain`: thirty days is long enough for persistent conversations to come back, or auto-close.
pub const DEFAULT_DRAIN: Millis = Millis(30 * Millis::DAY.0);

/// One scenario, ready to simulate.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Its name, for reports.
    pub name: String,
    /// The file it was read from.
    pub file: PathBuf,
    /// Base seed of every random stream.
    pub seed: u64,
    /// Civil date and time of simulation time zero (`start`).
    pub origin: Origin,
    /// Length of the measured window.
    pub duration: Millis,
    /// Simulated, unmeasured time before the window.
    pub warmup: Millis,
    /// How long after the window conversations are followed at most.
    pub drain: Millis,
    /// Independent repetitions.
    pub replications: u32,
    /// Threshold of the service-level metric.
    pub service_level: Millis,
    /// Bucket length of the interval report.
    pub interval: Millis,
    /// Queue operating hours (always open when the file has no `[hours]`).
    pub hours: OperatingHours,
    /// How conversations arrive.
    pub arrivals: Arrivals,
    /// How customers behave.
    pub customer: Customer,
    /// Who answers.
    pub agents: Agents,
    /// The policies to compare, in file order; at least one, names unique.
    pub policies: Vec<PolicySpec>,
}

impl Scenario {
    /// The measured window `[warmup, warmup + duration)`; no new conversation arrives after its end.
    pub fn window(&self) -> (Millis, Millis) {
        (self.warmup, self.warmup + self.duration)
    }

    /// The latest time a run simulates: the end of the window plus the drain.
    pub fn horizon(&self) -> Millis {
        self.warmup + self.duration + self.drain
    }
}

/// How new conversations arrive.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant, reason = "one value per scenario; the inline factors keep lookups simple")]
pub enum Arrivals {
    /// A Poisson process whose rate at time t is `per_hour * hourly[hour of day] * weekly[weekday]`.
    Rate {
        /// Conversations per hour when both factors are 1.
        per_hour: f64,
        /// Hour-of-day factors, midnight first.
        hourly: [f64; 24],
        /// Day-of-week factors, Monday first.
        weekly: [f64; 7],
    },
    /// Recorded arrivals, replayed as they are.
    Trace(Vec<TraceRecord>),
}

/// One recorded conversation of a trace file; missing values are drawn from the scenario's distributions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceRecord {
    /// Arrival time since the start; records are sorted by it.
    pub arrival: Millis,
    /// Time the agent needs for the first reply.
    pub handle: Option<Millis>,
    /// `None`: draw; `Some(None)`: the customer waits without limit; `Some(Some(x))`: waits `x`.
    pub patience: Option<Option<Millis>>,
    /// Sessions of this conversation.
    pub sessions: Option<u32>,
    /// Customer messages per session.
    pub messages: Option<u32>,
    /// The workstream the customer enters, by its place among the file's `[[workstream]]`s; `None`: drawn by
    /// the workstreams' shares (or the arrival stream's own workstream).
    pub workstream: Option<u16>,
}

/// How customers behave.
#[derive(Debug, Clone)]
pub struct Customer {
    /// Sessions per conversation.
    pub sessions: CountDist,
    /// Customer messages per session.
    pub messages: CountDist,
    /// Agent's reply to the customer's next message, within a session.
    pub think: Dist,
    /// Agent's last reply of a session to the first message of the next.
    pub away: Dist,
    /// Live only: how long a customer waits in queue; `None` = without limit.
    pub patience: Option<Dist>,
    /// Chance a customer drops the conversation before each further session (0 to 1).
    pub never_return: f64,
    /// Live only: chance a refused or abandoned customer tries again, after each failed try (0 to 1).
    pub retry: f64,
    /// Live only: delay before a retry; `None` = at the queue's next opening.
    pub retry_after: Option<Dist>,
    /// Persistent only: how long a customer keeps the chat open for a reply; `None` = without limit.
    pub online: Option<Dist>,
}

/// Agents: headcount, capacity and speed.
#[derive(Debug, Clone)]
pub struct Agents {
    /// Headcount over time.
    pub staffing: Staffing,
    /// Concurrent conversations per agent.
    pub capacity: u32,
    /// Whether an agent writes one reply at a time.
    pub attention: Attention,
    /// Time to write one reply, before slowdown.
    pub reply: Dist,
    /// Reply time multiplier when holding 1, 2, 3... active conversations; past the end the last one applies;
    /// empty means no slowdown.
    pub slowdown: Vec<f64>,
    /// After-conversation work.
    pub wrap_up: Dist,
    /// Whether a conversation's capacity stays taken during wrap-up.
    pub wrap_up_holds_capacity: bool,
}

/// How an agent divides attention among conversations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Attention {
    /// One reply written at a time; other conversations' replies wait their turn.
    #[default]
    Single,
    /// Each conversation's replies are written independently.
    Parallel,
}

/// One routing policy to simulate.
#[derive(Debug, Clone)]
pub struct PolicySpec {
    /// Unique name.
    pub name: String,
    /// What the policy routes: one mode over one queue, or a whole set-up of workstreams.
    pub routing: PolicyRouting,
}

impl PolicySpec {
    /// A policy of a scenario without `[[workstream]]`.
    pub fn single_queue(name: impl Into<String>, assignment: AssignmentMethod, mode: ModeSpec) -> PolicySpec {
        PolicySpec { name: name.into(), routing: PolicyRouting::Single { assignment, mode } }
    }

    /// The assignment method and mode of a policy without `[[workstream]]`; `None` for a set-up.
    pub fn single(&self) -> Option<(AssignmentMethod, &ModeSpec)> {
        match &self.routing {
            PolicyRouting::Single { assignment, mode } => Some((*assignment, mode)),
            PolicyRouting::Setup(_) => None,
        }
    }

    /// The set-up of a policy with `[[workstream]]`; `None` without.
    pub fn setup(&self) -> Option<&RoutingSpec> {
        match &self.routing {
            PolicyRouting::Single { .. } => None,
            PolicyRouting::Setup(spec) => Some(spec),
        }
    }

    /// How its conversations are served, for readers of `summary.csv`: `live`, `persistent`, or `blended` for a
    /// set-up whose workstreams with traffic are of both modes.
    pub fn mode_name(&self) -> &'static str {
        match &self.routing {
            _ if self.is_live() => "live",
            PolicyRouting::Setup(spec) if !spec.is_persistent() => "blended",
            _ => "persistent",
        }
    }

    /// Whether its customers are in live chat: its mode is live, or every workstream of its set-up that receives
    /// conversations is.
    pub fn is_live(&self) -> bool {
        match &self.routing {
            PolicyRouting::Single { mode, .. } => matches!(mode, ModeSpec::Live { .. }),
            PolicyRouting::Setup(spec) => spec.is_live(),
        }
    }

    /// Whether any of its conversations are persistent.
    pub fn has_persistent(&self) -> bool {
        match &self.routing {
            PolicyRouting::Single { mode, .. } => matches!(mode, ModeSpec::Persistent { .. }),
            PolicyRouting::Setup(spec) => {
                spec.workstreams.iter().any(|w| matches!(w.mode, ModeSpec::Persistent { .. }))
            }
        }
    }
}

/// A policy's mode and the settings that belong to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModeSpec {
    /// Live chat: a silent customer's conversation ends.
    Live {
        /// Customer silence that ends the conversation.
        end_after_idle: Millis,
    },
    /// Persistent chat: a silent customer's conversation is parked and can come back.
    Persistent {
        /// Customer silence that parks the conversation, releasing its capacity.
        park_after_idle: Millis,
        /// Whether a returning customer goes back to the previous agent.
        same_agent: bool,
        /// How long a returning customer waits for a previous agent who is signed out.
        same_agent_wait: Millis,
        /// A parked conversation with no customer message this long is closed.
        auto_close_after: Millis,
    },
}
