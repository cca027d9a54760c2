//! One decision line: a JSON object with `at`, `type` and the decision's fields, written straight into a buffer
//! (names and ids are JSON already, so a line is a handful of copies).

use super::event::timer_kind_name;
use super::ids::{Agents, Conversations, itoa};
use super::names::Names;
use crate::routing::{Effect, EndReason, Millis, OverflowAction, OverflowCondition, RefuseReason};

/// Every decision type, with its fields besides `at` and `type` (optional ones after a `?`).
pub const DECISION_TYPES: [(&str, &[&str]); 15] = [
    ("assigned", &["conversation", "agent"]),
    ("offered", &["conversation", "agent"]),
    ("offer_withdrawn", &["conversation", "agent", "declined"]),
    ("queued", &["conversation", "queue", "position"]),
    ("parked", &["conversation", "agent"]),
    ("reactivated", &["conversation", "agent"]),
    ("offered_to_same_agent", &["conversation", "agent"]),
    ("overflowed", &["conversation", "queue", "when", "action", "?value", "?to"]),
    ("transferred", &["conversation", "from", "to"]),
    ("refused", &["conversation", "reason"]),
    ("abandoned", &["conversation"]),
    ("wrap_up_started", &["conversation", "agent", "reason"]),
    ("closed", &["conversation", "reason"]),
    ("agent_offline", &["agent"]),
    ("timer", &["conversation", "kind", "due", "generation"]),
];

/// Writes decisions with the caller's ids and the set-up's names.
pub struct Writer<'a> {
    /// The set-up's names.
    pub names: &'a Names,
    /// Conversation ids.
    pub conversations: &'a Conversations,
    /// Agent ids.
    pub agents: &'a Agents,
}

impl Writer<'_> {
    /// Appends one decision line (ending in a newline) to `out`.
    pub fn write(&self, at: Millis, effect: &Effect, out: &mut Vec<u8>) {
        let mut digits = [0u8; 20];
        out.extend_from_slice(b"{\"at\":");
        out.extend_from_slice(itoa(at.0, &mut digits));
        out.extend_from_slice(b",\"type\":\"");
        let name = match effect {
            Effect::Assigned { .. } => "assigned",
            Effect::Offered { .. } => "offered",
            Effect::OfferWithdrawn { .. } => "offer_withdrawn",
            Effect::Queued { .. } => "queued",
            Effect::Parked { .. } => "parked",
            Effect::Reactivated { .. } => "reactivated",
            Effect::OfferedToSameAgent { .. } => "offered_to_same_agent",
            Effect::Overflowed { .. } => "overflowed",
            Effect::Transferred { .. } => "transferred",
            Effect::Refused { .. } => "refused",
            Effect::Abandoned { .. } => "abandoned",
            Effect::WrapUpStarted { .. } => "wrap_up_started",
            Effect::Closed { .. } => "closed",
            Effect::AgentOffline { .. } => "agent_offline",
            Effect::StartTimer { .. } => "timer",
        };
        out.extend_from_slice(name.as_bytes());
        out.push(b'"');
        if let Some(conversation) = effect.conversation() {
            out.extend_from_slice(b",\"conversation\":");
            self.conversations.write(conversation, out);
        }
        let key = |out: &mut Vec<u8>, key: &str| {
            out.extend_from_slice(b",\"");
            out.extend_from_slice(key.as_bytes());
            out.extend_from_slice(b"\":");
        };
        let text = |out: &mut Vec<u8>, key_name: &str, value: &str| {
            key(out, key_name);
            out.push(b'"');
            out.extend_from_slice(value.as_bytes());
            out.push(b'"');
        };
        match *effect {
            Effect::Assigned { agent, .. }
            | Effect::Offered { agent, .. }
            | Effect::Parked { agent, .. }
            | Effect::Reactivated { agent, .. }
            | Effect::OfferedToSameAgent { agent, .. }
            | Effect::AgentOffline { agent } => {
                key(out, "agent");
                self.agents.write(agent, out);
            }
            Effect::OfferWithdrawn { agent, declined, .. } => {
                key(out, "agent");
                self.agents.write(agent, out);
                key(out, "declined");
                out.extend_from_slice(if declined { b"true" } else { b"false" });
            }
            Effect::Queued { queue, position, .. } => {
                key(out, "queue");
                self.names.queues.write(usize::from(queue.0), out);
                key(out, "position");
                out.extend_from_slice(itoa(position as u64, &mut digits));
            }
            Effect::Overflowed { queue, when, action, .. } => {
                key(out, "queue");
                self.names.queues.write(usize::from(queue.0), out);
                let (when, value) = match when {
                    OverflowCondition::OutOfHours => ("out_of_hours", None),
                    OverflowCondition::MoreWaitingThan(n) => ("more_waiting_than", Some(u64::from(n))),
                    OverflowCondition::WaitedLongerThan(t) => ("waited_longer_than", Some(t.0)),
                };
                text(out, "when", when);
                let action_name = match action {
                    OverflowAction::End => "end",
                    OverflowAction::Transfer(_) => "transfer",
                    OverflowAction::AssignAnyway => "assign_anyway",
                };
                text(out, "action", action_name);
                if let Some(value) = value {
                    key(out, "value");
                    out.extend_from_slice(itoa(value, &mut digits));
                }
                if let OverflowAction::Transfer(to) = action {
                    key(out, "to");
                    self.names.queues.write(usize::from(to.0), out);
                }
            }
            Effect::Transferred { from, to, .. } => {
                key(out, "from");
                self.names.queues.write(usize::from(from.0), out);
                key(out, "to");
                self.names.queues.write(usize::from(to.0), out);
            }
            Effect::Refused { reason, .. } => {
                let reason = match reason {
                    RefuseReason::OutOfHours => "out_of_hours",
                    RefuseReason::QueueFull => "queue_full",
                    RefuseReason::Policy => "policy",
                };
                text(out, "reason", reason);
            }
            Effect::Abandoned { .. } => {}
            Effect::WrapUpStarted { agent, reason, .. } => {
                key(out, "agent");
                self.agents.write(agent, out);
                text(out, "reason", end_reason(reason));
            }
            Effect::Closed { reason, .. } => text(out, "reason", end_reason(reason)),
            Effect::StartTimer { timer, at } => {
                text(out, "kind", timer_kind_name(timer.kind));
                key(out, "due");
                out.extend_from_slice(itoa(at.0, &mut digits));
                key(out, "generation");
                out.extend_from_slice(itoa(u64::from(timer.generation), &mut digits));
            }
        }
        out.extend_from_slice(b"}\n");
    }
}

/// The name of an end reason.
pub fn end_reason(reason: EndReason) -> &'static str {
    match reason {
        EndReason::Resolved => "resolved",
        EndReason::CustomerIdle => "customer_idle",
        EndReason::CustomerEnded => "customer_ended",
        EndReason::AutoClosed => "auto_closed",
        EndReason::Overflowed => "overflowed",
    }
}
