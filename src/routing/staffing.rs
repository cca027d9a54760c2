//! Agents coming and going: sign-in, sign-out, and the presence they choose.
//!
//! Signing out takes nothing new. What happens to the conversations held is each one's workstream's choice:
//! persistent chat parks them at once (a customer waiting for a reply goes back to routing; the reply being
//! written is sent first), live chat finishes them. The agent is offline once they hold nothing. Offers still
//! open go back to their queues.

use super::agent::Duty;
use super::{AgentId, Effect, GroupId, Presence, Router, SignOutAction, State};

impl Router {
    pub(super) fn sign_in(&mut self, id: AgentId, group: GroupId, capacity: u32, out: &mut Vec<Effect>) {
        let index = id.0 as usize;
        if index >= self.agents.len() {
            let start = self.agents.len() as u32;
            self.agents.extend((start..=id.0).map(|i| super::agent::Agent::new(AgentId(i))));
        }
        let now = self.now;
        let agent = &self.agents[index];
        let was_online = agent.online();
        let old_capacity = agent.capacity;
        let old_reclaimed = agent.reclaimed();
        self.refile(id, |a| {
            a.capacity = capacity;
            a.group = group;
            a.duty = Duty::OnDuty;
            a.presence = Presence::Available;
            if a.held.is_empty() {
                a.last_released_at = now;
            }
        });
        if was_online {
            self.load.capacity_online -= u64::from(old_capacity);
        } else {
            self.load.agents_online += 1;
        }
        self.load.capacity_online += u64::from(capacity);
        let agent = &mut self.agents[index];
        self.load.capacity_reclaimed =
            self.load.capacity_reclaimed - u64::from(old_reclaimed) + u64::from(agent.reclaimed());
        let reserved = std::mem::take(&mut agent.reserved);
        for conversation in reserved {
            self.reactivate(conversation, id, out);
        }
        self.assign_pass(out);
    }

    pub(super) fn sign_out(&mut self, id: AgentId, out: &mut Vec<Effect>) {
        let reclaimed = self.agents[id.0 as usize].reclaimed();
        self.load.capacity_reclaimed -= u64::from(reclaimed);
        self.refile(id, |a| a.duty = Duty::SigningOut);
        for conversation in self.agents[id.0 as usize].offered.clone() {
            self.withdraw_offer(conversation);
            self.requeue(conversation, out);
            out.push(Effect::OfferWithdrawn { conversation, agent: id, declined: false });
        }
        for conversation in self.agents[id.0 as usize].held.clone() {
            let c = &self.conversations[&conversation];
            // The reply being written is sent first: that conversation parks once it is delivered.
            if c.view.state == State::Active
                && !c.writing
                && self.policy_of(conversation).on_sign_out() == SignOutAction::Park
            {
                self.park_at_sign_out(conversation, out);
            }
        }
        self.finish_sign_out_if_done(id, out);
        self.assign_pass(out);
    }

    pub(super) fn change_presence(&mut self, id: AgentId, presence: Presence, out: &mut Vec<Effect>) {
        self.refile(id, |a| a.presence = presence);
        self.assign_pass(out);
    }
}
