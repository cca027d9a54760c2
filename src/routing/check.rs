//! Every rule an input must meet, checked before the router changes anything.
//!
//! Keeping the checks apart from the handlers is what makes the promise "an input refused with an error leaves
//! the router unchanged" true: the handlers run only on inputs that passed here, so they cannot fail halfway.
//! The four busiest inputs (an arrival's id, an agent's reply, an agent ending a conversation, a wrap-up done)
//! are checked by their handlers instead, in the look-up that handles them and before anything changes, which
//! saves a look-up on every message of every simulated conversation.

use super::{Input, Millis, Presence, Router, RoutingError, State};

impl Router {
    /// Whether `input` at `now` can be handled; nothing is changed either way.
    pub(super) fn check(&self, now: Millis, input: &Input) -> Result<(), RoutingError> {
        if now < self.now {
            return Err(RoutingError::TimeWentBackwards { now, last: self.now });
        }
        let expect = |id, allowed: &[State], input: &'static str| self.state_in(id, allowed, input).map(|_| ());
        match *input {
            // A duplicate id is refused by the handler (`entry.rs`), in the look-up that files it.
            Input::ConversationArrived { workstream, .. } => {
                if usize::from(workstream.0) >= self.workstreams.len() {
                    return Err(RoutingError::UnknownWorkstream(workstream));
                }
                Ok(())
            }
            Input::CustomerMessage { conversation } => expect(
                conversation,
                &[State::Open, State::Offered, State::Active, State::Waiting],
                "a customer message",
            ),
            // Checked by their handlers (`messages.rs`) in the look-up that handles them, before any change.
            Input::AgentReplied { .. } | Input::AgentEnded { .. } | Input::WrapUpDone { .. } => Ok(()),
            Input::AgentWriting { conversation } => {
                let c = self.conversations.get(&conversation).ok_or(RoutingError::UnknownConversation(conversation))?;
                if c.view.state != State::Active || !c.view.awaiting_agent {
                    return Err(RoutingError::InvalidTransition {
                        conversation,
                        state: c.view.state,
                        input: "the agent writing a reply",
                    });
                }
                Ok(())
            }
            Input::CustomerLeft { conversation } => {
                if !self.conversations.contains_key(&conversation) {
                    return Err(RoutingError::UnknownConversation(conversation));
                }
                if !self.policy_of(conversation).customer_can_leave() {
                    return Err(RoutingError::CustomerCannotLeave(conversation));
                }
                expect(conversation, &[State::Open, State::Offered, State::Active], "the customer leaving")
            }
            Input::OfferAccepted { conversation } => expect(conversation, &[State::Offered], "an offer acceptance"),
            Input::OfferDeclined { conversation } => expect(conversation, &[State::Offered], "an offer decline"),
            Input::AgentSignedIn { agent, group, capacity } => {
                if capacity == 0 {
                    return Err(RoutingError::ZeroCapacity);
                }
                if agent.0 > super::MAX_AGENT_ID {
                    return Err(RoutingError::UnknownAgent(agent));
                }
                if usize::from(group.0) >= self.groups.len() {
                    return Err(RoutingError::UnknownGroup(group));
                }
                if self.agents.get(agent.0 as usize).is_some_and(|a| a.on_duty()) {
                    return Err(RoutingError::AlreadySignedIn(agent));
                }
                Ok(())
            }
            Input::AgentSignedOut { agent } => self.on_duty(agent),
            Input::PresenceChanged { agent, presence } => {
                self.on_duty(agent)?;
                if presence == Presence::Offline {
                    return Err(RoutingError::OfflineIsNotAPresence(agent));
                }
                Ok(())
            }
            Input::QueueOpened { queue } | Input::QueueClosed { queue } => {
                if usize::from(queue.0) >= self.queues.len() {
                    return Err(RoutingError::UnknownQueue(queue));
                }
                Ok(())
            }
            // A timer for a conversation that moved on, or is gone, is simply stale.
            Input::TimerFired(_) => Ok(()),
        }
    }

    /// The state of conversation `id`, if it is one of `allowed`; otherwise why `input` cannot be taken.
    pub(super) fn state_in(
        &self,
        id: super::ConversationId,
        allowed: &[State],
        input: &'static str,
    ) -> Result<State, RoutingError> {
        let state = self.conversations.get(&id).map(|c| c.view.state).ok_or(RoutingError::UnknownConversation(id))?;
        if allowed.contains(&state) {
            Ok(state)
        } else {
            Err(RoutingError::InvalidTransition { conversation: id, state, input })
        }
    }

    fn on_duty(&self, agent: super::AgentId) -> Result<(), RoutingError> {
        let a = self.agents.get(agent.0 as usize).ok_or(RoutingError::UnknownAgent(agent))?;
        if a.on_duty() { Ok(()) } else { Err(RoutingError::NotSignedIn(agent)) }
    }
}
