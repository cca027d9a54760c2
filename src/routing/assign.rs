//! The assignment cycle: which waiting conversation goes next, and to which agent.
//!
//! A pass runs whenever something could make a match: a conversation arrives or returns, capacity is freed, an
//! agent signs in or becomes available, a queue opens, an offer is declined. It repeats, while any agent takes
//! work, "give the first waiting conversation that some eligible agent can take to the best such agent", where
//! *first* is, across every open queue (and, in a closed one, work its workstream may take while closed):
//! 1. returning conversations (customers back to a parked conversation) before new ones;
//! 2. then the queue with the lower priority number;
//! 3. then the oldest, by the moment it joined the queue (for persistent chat, the customer's last message);
//! 4. then whoever joined first.
//!
//! *Eligible* agents are on duty, with a presence that takes work, enough free units, in a group serving the
//! queue, and with the skills the conversation needs: every one of them under exact matching; under closest
//! matching, those with every skill first, and if none has room, the agent whose group has most of the skills
//! (then the highest rating sum of them). Among eligible agents the queue's [`AssignmentMethod`] chooses. An
//! agent who declined a conversation as often as the offer limit allows is not offered it again.
//!
//! Conversations of one lane (same queue, workstream and needs) are interchangeable, so only the first item of
//! each lane is looked at: a pass costs lanes × groups, never the length of a queue.

use super::lane::QueueKey;
use super::pool::PoolKey;
use super::{AgentId, ConversationId, Effect, QueueId, Router, SkillMatch, Skills};
use std::cmp::Reverse;

/// How close a group's skills come to a conversation's needs: more skills, then higher ratings, then the method.
type Closeness = (Reverse<u32>, Reverse<u32>, PoolKey);

/// Where a waiting conversation stands in the cycle's order: class, queue priority, age, arrival order.
type Order = (super::lane::Class, u32, super::Millis, u64);

impl Router {
    /// The agent that would take a conversation of `workstream` needing `needs` and `units` in `queue` right now,
    /// if the queue lets it be assigned (open, or `anytime`, or its workstream assigns while closed) and one is free.
    pub(super) fn assignable(
        &self,
        queue: QueueId,
        workstream: super::WorkstreamId,
        needs: Skills,
        units: u32,
        anytime: bool,
    ) -> Option<AgentId> {
        if self.accepting == 0 {
            return None;
        }
        if !(self.queues[queue.0 as usize].open
            || anytime
            || self.workstreams[workstream.0 as usize].policy.assigns_while_closed())
        {
            return None;
        }
        self.best_agent(queue, needs, units, &[])
    }

    /// Gives (or, with offers, offers) an open conversation to `agent`; a queued one leaves its lane.
    pub(super) fn assign(&mut self, id: ConversationId, agent: AgentId, out: &mut Vec<Effect>) {
        match self.offers {
            Some(offers) => {
                self.dequeue(id);
                self.offer(id, agent, offers.countdown, out)
            }
            None => {
                self.take(id, agent, true);
                out.push(Effect::Assigned { conversation: id, agent });
            }
        }
    }

    /// Gives waiting conversations to eligible agents, in the cycle's order, while both last.
    pub(super) fn assign_pass(&mut self, out: &mut Vec<Effect>) {
        while self.accepting > 0 && self.queued > 0 {
            let Some((id, agent)) = self.next_match() else { break };
            self.assign(id, agent, out);
        }
    }

    /// The first waiting conversation some eligible agent can take, with that agent.
    fn next_match(&self) -> Option<(ConversationId, AgentId)> {
        let mut best: Option<(Order, ConversationId, AgentId)> = None;
        for lane in &self.lanes {
            if lane.items.is_empty() {
                continue;
            }
            let q = &self.queues[lane.queue.0 as usize];
            if !(q.open || lane.anytime) {
                continue;
            }
            let units = self.workstreams[lane.workstream.0 as usize].units;
            for key in &lane.items {
                let order = order(key, q.setup.priority);
                if best.is_some_and(|(b, _, _)| order >= b) {
                    break;
                }
                let excluded: Vec<AgentId> = match self.offers {
                    Some(o) => {
                        let c = &self.conversations[&key.conversation];
                        c.excluded(o.decline_limit).collect()
                    }
                    None => Vec::new(),
                };
                if let Some(agent) = self.best_agent(lane.queue, lane.needs, units, &excluded) {
                    best = Some((order, key.conversation, agent));
                    break;
                }
                // The items behind it are alike, unless this one was held back by its own exclusions.
                if excluded.is_empty() {
                    break;
                }
            }
        }
        best.map(|(_, id, agent)| (id, agent))
    }

    /// The best eligible agent for work of `units` needing `needs` in `queue`, leaving out `excluded`.
    pub(super) fn best_agent(
        &self,
        queue: QueueId,
        needs: Skills,
        units: u32,
        excluded: &[AgentId],
    ) -> Option<AgentId> {
        let q = &self.queues[queue.0 as usize];
        let method = q.setup.assignment;
        // One group and no skills needed: its best agent is the queue's (the first-generation router's case).
        if let [g] = q.groups[..]
            && needs == Skills::NONE
        {
            return self.groups[g.0 as usize].best(method, units, &self.agents, excluded).map(|(_, agent)| agent);
        }
        let mut best: Option<(PoolKey, AgentId)> = None;
        for &g in &q.groups {
            let group = &self.groups[g.0 as usize];
            if !group.skills.covers(needs) {
                continue;
            }
            if let Some(found) = group.best(method, units, &self.agents, excluded)
                && best.is_none_or(|b| found.0 < b.0)
            {
                best = Some(found);
            }
        }
        if best.is_none() && q.setup.skill_match == SkillMatch::Closest && needs != Skills::NONE {
            let mut closest: Option<(Closeness, AgentId)> = None;
            for &g in &q.groups {
                let group = &self.groups[g.0 as usize];
                if group.skills.covers(needs) {
                    continue;
                }
                if let Some((key, agent)) = group.best(method, units, &self.agents, excluded) {
                    let rank = (Reverse(group.skills.matching(needs)), Reverse(group.rating(needs)), key);
                    if closest.is_none_or(|(r, _)| rank < r) {
                        closest = Some((rank, agent));
                    }
                }
            }
            return closest.map(|(_, agent)| agent);
        }
        best.map(|(_, agent)| agent)
    }
}

fn order(key: &QueueKey, priority: u32) -> Order {
    (key.class, priority, key.since, key.seq)
}
