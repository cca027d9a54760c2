//! What a run hands back: the measurements, the per-conversation records, what was still held when it stopped,
//! and the measurements by workstream and by queue; and the runs of one policy, in replication order.
//!
//! These are the engine's outputs and the metrics' inputs. They live here, with the metrics that read them, so
//! the metrics never reach back into the simulator.

use super::collector::Measured;
use crate::routing::{ConversationId, EndReason, Millis};
use crate::scenario::PolicySpec;

/// How a measured conversation ended, for the per-conversation output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Turned away at arrival.
    Refused,
    /// Left the queue before an agent took it.
    Abandoned,
    /// Closed, for this reason.
    Closed(EndReason),
    /// Still open when the run stopped.
    Open,
}

/// One measured conversation, for `conversations.csv`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConversationRecord {
    /// Its id.
    pub conversation: ConversationId,
    /// The customer (arrival index).
    pub customer: u64,
    /// When it arrived.
    pub arrived_at: Millis,
    /// When an agent first took it.
    pub assigned_at: Option<Millis>,
    /// Whether a recontact opened it.
    pub recontact: bool,
    /// How it ended.
    pub outcome: Outcome,
    /// When it ended (or the run stopped).
    pub ended_at: Millis,
}

/// What one run hands back.
#[derive(Debug, Clone)]
pub struct RunResult {
    /// The measurements.
    pub measured: Measured,
    /// Per-conversation records, when asked for.
    pub records: Vec<ConversationRecord>,
    /// Simulated time when the run stopped.
    pub stopped_at: Millis,
    /// Conversations still held when the run stopped, counted from the engine's and the router's state.
    pub held: Held,
    /// Set when the queue passed the engine's limit (500,000 conversations) and the run was stopped there.
    pub overloaded: Option<Overload>,
    /// Measurements by workstream and by queue, for a scenario with `[[workstream]]`.
    pub breakdown: Option<Breakdown>,
}

/// Where an overloaded run was stopped: the queue passed the engine's limit of 500,000 conversations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overload {
    /// Simulated time when the queue passed the limit.
    pub at: Millis,
    /// Conversations in the queue then.
    pub queued: usize,
}

impl Overload {
    /// What to tell the planner: when, and how fast the queue grew.
    pub fn describe(&self) -> String {
        let hours = (self.at.as_secs_f64() / 3_600.0).max(1.0 / 60.0);
        let after = if hours < 48.0 {
            format!("{hours:.1} simulated hours")
        } else {
            format!("{:.1} simulated days", hours / 24.0)
        };
        format!(
            "the queue passed 500,000 waiting conversations after {after}: about {:.0} more conversations arrived \
             than agents took, every hour; the scenario is overloaded (add agents, or lower arrivals.rate)",
            self.queued as f64 / hours
        )
    }
}

/// Conversations still held when a run stops, counted from state rather than from outcome counters, so the
/// conservation check has an independent figure to meet.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Held {
    /// Conversations of the measured window the engine still follows.
    pub engine_in_window: u64,
    /// Of those, the ones the router still holds (queued, with an agent or parked).
    pub router_in_window: u64,
    /// Every conversation the engine still follows, warm-up included.
    pub engine: u64,
    /// Every conversation the router still holds outside wrap-up, warm-up included.
    pub router: u64,
}

/// What the routing did to a part's conversations (window conversations only).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RoutingCounts {
    /// Overflow rules applied (end, transfer or assign anyway).
    pub overflowed: u64,
    /// Conversations transferred in from another queue.
    pub transferred_in: u64,
    /// Conversations transferred out to another queue.
    pub transferred_out: u64,
    /// Offers made to agents.
    pub offers: u64,
    /// Offers declined (or timed out).
    pub declines: u64,
}

/// One workstream's or one queue's measurements.
#[derive(Debug, Clone)]
pub struct PartResult {
    /// The measurements, as the team's.
    pub measured: Measured,
    /// What the routing did.
    pub counts: RoutingCounts,
}

/// A run's measurements by workstream and by queue, in id order.
#[derive(Debug, Clone, Default)]
pub struct Breakdown {
    /// By workstream.
    pub workstreams: Vec<PartResult>,
    /// By queue.
    pub queues: Vec<PartResult>,
}

/// All replications of one policy.
#[derive(Debug, Clone)]
pub struct PolicyRuns {
    /// The policy's name.
    pub policy: String,
    /// One result per replication, in replication order.
    pub replications: Vec<RunResult>,
}

impl PolicyRuns {
    /// Groups results listed policy by policy, replication by replication, `replications` to a policy.
    pub fn group(
        policies: &[PolicySpec],
        replications: u32,
        results: impl IntoIterator<Item = RunResult>,
    ) -> Vec<PolicyRuns> {
        let mut results = results.into_iter();
        policies
            .iter()
            .map(|p| PolicyRuns {
                policy: p.name.clone(),
                replications: results.by_ref().take(replications as usize).collect(),
            })
            .collect()
    }
}
