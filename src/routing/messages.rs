//! What customers and agents do inside a conversation: messages, replies, ends, and the timers that follow
//! silence. Each input was checked by `check.rs` before it reaches these handlers.

use super::lane::Class;
use super::router::later;
use super::{
    AgentId, ConversationId, Effect, EndReason, IdleAction, Millis, ReturnRoute, Router, RoutingError, SignOutAction,
    State, Timer, TimerKind,
};

impl Router {
    pub(super) fn customer_message(&mut self, id: ConversationId, out: &mut Vec<Effect>) {
        let now = self.now;
        let c = self.conversations.get_mut(&id).expect("checked");
        c.view.last_customer_at = now;
        c.view.last_activity_at = now;
        c.view.awaiting_agent = true;
        match c.view.state {
            State::Active => c.touch(),
            State::Waiting => {
                c.view.returns += 1;
                self.route_return(id, out);
            }
            _ => {}
        }
    }

    pub(super) fn agent_replied(
        &mut self,
        now: Millis,
        id: ConversationId,
        out: &mut Vec<Effect>,
    ) -> Result<(), RoutingError> {
        let c = self.conversations.get_mut(&id).ok_or(RoutingError::UnknownConversation(id))?;
        if c.view.state != State::Active {
            let state = c.view.state;
            return Err(RoutingError::InvalidTransition { conversation: id, state, input: "an agent reply" });
        }
        self.now = now;
        let workstream = c.view.workstream;
        let idle_after = self.workstreams[workstream.0 as usize].policy.idle_after();
        c.view.awaiting_agent = false;
        c.view.last_activity_at = now;
        c.writing = false;
        c.touch();
        let agent = c.view.agent.expect("active has an agent");
        if let Some(after) = idle_after {
            let timer = c.timer(TimerKind::CustomerIdle);
            out.push(Effect::StartTimer { timer, at: later(now, now + after) });
        }
        // The last reply of an agent who signed out while writing it: the conversation parks now, as the others
        // did at sign-out, and the agent goes once nothing else holds them.
        if !self.agents[agent.0 as usize].on_duty()
            && self.workstreams[workstream.0 as usize].policy.on_sign_out() == SignOutAction::Park
        {
            self.park(id, out);
            self.conversations.get_mut(&id).expect("parked is open").parked_at_sign_out = true;
            self.finish_sign_out_if_done(agent, out);
        }
        Ok(())
    }

    pub(super) fn agent_ended(
        &mut self,
        now: Millis,
        id: ConversationId,
        out: &mut Vec<Effect>,
    ) -> Result<(), RoutingError> {
        let state = self.state_in(id, &[State::Active, State::Waiting], "the agent ending it")?;
        self.now = now;
        if state == State::Active {
            self.end(id, EndReason::Resolved, out);
        } else {
            self.close_parked(id, EndReason::Resolved, out);
        }
        Ok(())
    }

    pub(super) fn wrap_up_done(
        &mut self,
        now: Millis,
        id: ConversationId,
        out: &mut Vec<Effect>,
    ) -> Result<(), RoutingError> {
        self.state_in(id, &[State::WrapUp], "wrap-up done")?;
        self.now = now;
        self.finish_wrap_up(id, out);
        Ok(())
    }

    pub(super) fn customer_left(&mut self, id: ConversationId, out: &mut Vec<Effect>) {
        match self.conversations[&id].view.state {
            State::Open => {
                self.drop_open(id);
                out.push(Effect::Abandoned { conversation: id });
            }
            State::Offered => {
                let agent = self.withdraw_offer(id);
                self.drop_open(id);
                out.push(Effect::OfferWithdrawn { conversation: id, agent, declined: false });
                out.push(Effect::Abandoned { conversation: id });
                self.assign_pass(out);
            }
            _ => self.end(id, EndReason::CustomerEnded, out),
        }
    }

    pub(super) fn timer_fired(&mut self, timer: Timer, out: &mut Vec<Effect>) {
        let Some(c) = self.conversations.get(&timer.conversation) else { return };
        if c.generation(timer.kind) != timer.generation {
            return;
        }
        let id = timer.conversation;
        match (timer.kind, c.view.state) {
            (TimerKind::CustomerIdle, State::Active) if !c.view.awaiting_agent => {
                let agent = self.agents[c.view.agent.expect("active has an agent").0 as usize].view();
                match self.policy_of(id).on_idle(&c.view, &agent) {
                    IdleAction::End => self.end(id, EndReason::CustomerIdle, out),
                    IdleAction::Park => {
                        self.park(id, out);
                        self.assign_pass(out);
                    }
                    IdleAction::CheckAgainAfter(after) => {
                        let at = later(self.now, self.now + after);
                        out.push(Effect::StartTimer { timer, at });
                    }
                    IdleAction::Keep => {}
                }
            }
            (TimerKind::AutoClose, State::Waiting) => self.close_parked(id, EndReason::AutoClosed, out),
            (TimerKind::SameAgentWait, State::Open) if c.reserved_for.is_some() => {
                let agent = c.reserved_for.expect("checked");
                self.conversations.get_mut(&id).expect("present").reserved_for = None;
                self.agents[agent.0 as usize].reserved.retain(|&r| r != id);
                self.enqueue(id, Class::Returning, out);
                self.assign_pass(out);
            }
            (TimerKind::QueueWait, State::Open | State::Offered) => self.waited_too_long(id, out),
            (TimerKind::OfferCountdown, State::Offered) => self.decline_offer(id, true, out),
            (TimerKind::WrapUpRelease, State::WrapUp) => {
                self.release(id);
                self.assign_pass(out);
            }
            _ => {}
        }
    }

    /// Routes a customer returning to a parked conversation, per the policy.
    fn route_return(&mut self, id: ConversationId, out: &mut Vec<Effect>) {
        let agent = self.unpark(id);
        match self.policy_of(id).on_return(&self.conversations[&id].view) {
            ReturnRoute::SameAgent { .. } if self.agents[agent.0 as usize].on_duty() => {
                self.reactivate(id, agent, out);
            }
            // A conversation parked because its agent signed out does not wait for that agent: their shift is
            // over, and the customer was in the middle of it.
            ReturnRoute::SameAgent { wait } if wait > Millis::ZERO && !self.conversations[&id].parked_at_sign_out => {
                let c = self.conversations.get_mut(&id).expect("present");
                c.reserved_for = Some(agent);
                self.agents[agent.0 as usize].reserved.push(id);
                out.push(Effect::OfferedToSameAgent { conversation: id, agent });
                let timer = c.timer(TimerKind::SameAgentWait);
                out.push(Effect::StartTimer { timer, at: later(self.now, self.now + wait) });
            }
            _ => {
                self.enqueue(id, Class::Returning, out);
                self.assign_pass(out);
            }
        }
    }

    /// Gives a returning conversation straight back to its agent, over capacity if need be.
    pub(super) fn reactivate(&mut self, id: ConversationId, agent: AgentId, out: &mut Vec<Effect>) {
        self.conversations.get_mut(&id).expect("present").reserved_for = None;
        self.take(id, agent, false);
        out.push(Effect::Reactivated { conversation: id, agent });
    }

    /// Parks an agent's conversation because they signed out; a customer waiting for a reply goes back to routing.
    pub(super) fn park_at_sign_out(&mut self, id: ConversationId, out: &mut Vec<Effect>) {
        self.park(id, out);
        self.conversations.get_mut(&id).expect("held is open").parked_at_sign_out = true;
        if self.conversations[&id].view.awaiting_agent {
            self.route_return(id, out);
        }
    }
}
