//! Persistent chat: the conversation lives across sessions and only the agent ends it.
//!
//! After `park_after_idle` of customer silence the conversation is parked in the waiting stage and its capacity
//! released at once. When the customer returns it goes back to the same agent (with `same_agent`), over
//! capacity if need be, or waits up to `same_agent_wait` for that agent to sign in before anyone may take it.
//! Customers may write at any hour: conversations wait for the queue to open. Parked conversations close after
//! `auto_close_after` of silence, and an agent signing out parks what they hold, except the conversation whose
//! reply they are writing ([`crate::routing::Input::AgentWriting`]): they send it, then that one parks and they
//! go. A customer of theirs who is waiting for a reply, or writes again while the agent is still away, goes to
//! the front of the queue for anyone rather than waiting for the end of that agent's time off.

use crate::routing::{
    AgentView, ConversationView, IdleAction, Millis, Policy, RefuseReason, ReturnRoute, SignOutAction,
};

/// The persistent chat policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Persistent {
    /// Customer silence after which the conversation is parked.
    pub park_after_idle: Millis,
    /// Whether a returning customer goes back to their previous agent.
    pub same_agent: bool,
    /// How long a returning customer waits for a signed-out previous agent.
    pub same_agent_wait: Millis,
    /// Silence after which a parked conversation closes.
    pub auto_close_after: Millis,
}

impl Default for Persistent {
    fn default() -> Persistent {
        Persistent {
            park_after_idle: Millis::from_mins(10),
            same_agent: true,
            same_agent_wait: Millis::HOUR,
            auto_close_after: Millis(7 * Millis::DAY.0),
        }
    }
}

impl Policy for Persistent {
    fn admit(&self, _queue_open: bool) -> Result<(), RefuseReason> {
        Ok(())
    }

    fn assigns_while_closed(&self) -> bool {
        false
    }

    fn idle_after(&self) -> Option<Millis> {
        Some(self.park_after_idle)
    }

    fn on_idle(&self, _: &ConversationView, _: &AgentView) -> IdleAction {
        IdleAction::Park
    }

    fn customer_can_leave(&self) -> bool {
        false
    }

    fn on_return(&self, _: &ConversationView) -> ReturnRoute {
        if self.same_agent { ReturnRoute::SameAgent { wait: self.same_agent_wait } } else { ReturnRoute::AnyAgent }
    }

    fn on_sign_out(&self) -> SignOutAction {
        SignOutAction::Park
    }

    fn auto_close_after(&self) -> Option<Millis> {
        Some(self.auto_close_after)
    }
}
