//! Routing policies: the decisions that make live chat and persistent chat different.
//!
//! The router owns the mechanics (states, capacity, the queue, assignment); a policy answers the questions
//! where platforms and modes differ. A policy is a plain value behind the [`Policy`] trait, so a planner's own
//! rule is one new type: see `examples/custom_policy.rs`.

use super::{AgentView, ConversationView, Millis, RefuseReason};
use std::fmt::Debug;

/// What to do when a customer has been silent for the policy's idle threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdleAction {
    /// End the conversation (live chat's disconnect): wrap-up follows.
    End,
    /// Park it in the waiting stage, releasing the agent's capacity at once.
    Park,
    /// Leave it with the agent and ask again after this much more silence.
    CheckAgainAfter(Millis),
    /// Leave it with the agent; no more idle checks until the next reply.
    Keep,
}

/// Where a customer returning to a parked conversation goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReturnRoute {
    /// Back to the previous agent, even over capacity, if signed in; otherwise wait this long for them.
    SameAgent {
        /// How long to wait for a signed-out agent before anyone may take it.
        wait: Millis,
    },
    /// To the front of the queue, for any agent.
    AnyAgent,
}

/// What happens to an agent's conversations when they sign out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignOutAction {
    /// Park them all in the waiting stage (persistent chat).
    Park,
    /// Take nothing new, finish what is held, then go offline (live chat).
    Finish,
}

/// The decisions a routing policy makes. Implementations must be deterministic: same inputs, same answers.
pub trait Policy: Debug + Send + Sync {
    /// Whether a new conversation is accepted; `queue_open` tells whether operating hours are on.
    fn admit(&self, queue_open: bool) -> Result<(), RefuseReason>;

    /// Whether queued conversations are assigned while the queue is closed.
    fn assigns_while_closed(&self) -> bool;

    /// How long after the agent's reply the customer's silence is first checked, or `None` for never.
    fn idle_after(&self) -> Option<Millis>;

    /// The decision when that silence check comes due.
    fn on_idle(&self, conversation: &ConversationView, agent: &AgentView) -> IdleAction;

    /// Whether the customer may end an active conversation (or abandon a queued one).
    fn customer_can_leave(&self) -> bool;

    /// Where a customer returning to a parked conversation goes.
    fn on_return(&self, conversation: &ConversationView) -> ReturnRoute;

    /// What an agent's sign-out does to the conversations they hold.
    fn on_sign_out(&self) -> SignOutAction;

    /// How long a parked conversation may stay silent before it closes, or `None` for never.
    fn auto_close_after(&self) -> Option<Millis>;
}
