//! Live chat: customer and agent must both be there.
//!
//! The customer may end or abandon; after `end_after_idle` of customer silence the conversation ends (the
//! disconnect window) and a customer who comes back later starts over in the queue. There is no waiting stage,
//! and outside operating hours the chat is offline: new conversations are refused, while those already queued
//! are still served by agents who remain signed in. An agent signing out finishes what they hold first.

use crate::routing::{
    AgentView, ConversationView, IdleAction, Millis, Policy, RefuseReason, ReturnRoute, SignOutAction,
};

/// The live chat policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Live {
    /// Customer silence after which the conversation ends (the disconnect window; 3 minutes by default).
    pub end_after_idle: Millis,
}

impl Default for Live {
    fn default() -> Live {
        Live { end_after_idle: Millis::from_mins(3) }
    }
}

impl Policy for Live {
    fn admit(&self, queue_open: bool) -> Result<(), RefuseReason> {
        if queue_open { Ok(()) } else { Err(RefuseReason::OutOfHours) }
    }

    fn assigns_while_closed(&self) -> bool {
        true
    }

    fn idle_after(&self) -> Option<Millis> {
        Some(self.end_after_idle)
    }

    fn on_idle(&self, _: &ConversationView, _: &AgentView) -> IdleAction {
        IdleAction::End
    }

    fn customer_can_leave(&self) -> bool {
        true
    }

    fn on_return(&self, _: &ConversationView) -> ReturnRoute {
        // Live conversations are never parked, so nobody returns to one; route to anyone if asked.
        ReturnRoute::AnyAgent
    }

    fn on_sign_out(&self) -> SignOutAction {
        SignOutAction::Finish
    }

    fn auto_close_after(&self) -> Option<Millis> {
        None
    }
}
