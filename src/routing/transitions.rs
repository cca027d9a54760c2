//! Every change of a conversation's state, each with all of its bookkeeping: queue places and counts, agent
//! capacity and pools, the load totals, and the timers the new state needs.
//!
//! The other modules decide *when* a conversation moves; only this one moves it, so each transition's
//! bookkeeping lives in exactly one place.

use super::agent::Agent;
use super::conversation::Conversation;
use super::lane::{Class, Lane, QueueKey};
use super::queue::Queue;
use super::router::later;
use super::{
    AgentId, ConversationId, Effect, EndReason, Millis, QueueId, Router, Skills, State, TimerKind, WorkstreamId,
    WrapUpHold,
};

impl Router {
    /// Puts an open conversation at the back of its queue (returning conversations go before new ones).
    pub(super) fn enqueue(&mut self, id: ConversationId, class: Class, out: &mut Vec<Effect>) {
        let c = &self.conversations[&id];
        let (workstream, needs, anytime) = (c.view.workstream, c.view.needs, c.anytime);
        self.enqueue_as(id, class, workstream, needs, anytime, out);
    }

    /// [`Router::enqueue`] for a caller that already knows the conversation's workstream, needs and whether an
    /// overflow rule lets it be assigned out of hours (an arrival), saving a look-up.
    pub(super) fn enqueue_as(
        &mut self,
        id: ConversationId,
        class: Class,
        workstream: WorkstreamId,
        needs: Skills,
        anytime: bool,
        out: &mut Vec<Effect>,
    ) {
        let c = self.conversations.get_mut(&id).expect("present");
        let queue = c.view.queue;
        let anytime = anytime || self.workstreams[workstream.0 as usize].policy.assigns_while_closed();
        let lane =
            lane_for(&mut self.lanes, &mut self.queues[queue.0 as usize].lanes, queue, workstream, needs, anytime);
        self.seq += 1;
        let key = QueueKey { class, since: self.now, seq: self.seq, conversation: id };
        self.lanes[lane].items.insert(key);
        self.queued += 1;
        let q = &mut self.queues[queue.0 as usize];
        q.waiting += 1;
        // Items join at `since` = now, never earlier than anyone of their class already queued (the router's time
        // only moves forward), so a returning item goes last among the returning, a new one last of all.
        let position = match class {
            Class::Returning => {
                q.returning += 1;
                q.returning
            }
            Class::New => q.waiting,
        };
        c.set_place(Some((lane, key)));
        c.queued = true;
        out.push(Effect::Queued { conversation: id, queue, position });
        if let Some((limit, _)) = q.wait_limit() {
            c.bump(TimerKind::QueueWait);
            let timer = c.timer(TimerKind::QueueWait);
            out.push(Effect::StartTimer { timer, at: later(self.now, self.now + limit) });
        }
    }

    /// Takes a queued conversation out of its lane; it keeps its place for a return after a declined offer.
    #[inline]
    pub(super) fn dequeue(&mut self, id: ConversationId) {
        let c = self.conversations.get_mut(&id).expect("present");
        leave_lane(c, &mut self.lanes, &mut self.queues, &mut self.queued);
    }

    /// Puts a conversation whose offer was not accepted back in its lane, at its old place. One offered straight
    /// on arrival never had a place: it takes the one its arrival gives it, and its queue's wait limit starts.
    pub(super) fn requeue(&mut self, id: ConversationId, out: &mut Vec<Effect>) {
        let c = &self.conversations[&id];
        let (lane, key) = match c.place() {
            Some(place) => place,
            None => {
                let (queue, workstream, needs, since) =
                    (c.view.queue, c.view.workstream, c.view.needs, c.view.last_customer_at);
                let anytime = c.anytime || self.workstreams[workstream.0 as usize].policy.assigns_while_closed();
                let lane = lane_for(
                    &mut self.lanes,
                    &mut self.queues[queue.0 as usize].lanes,
                    queue,
                    workstream,
                    needs,
                    anytime,
                );
                self.seq += 1;
                let key = QueueKey { class: Class::New, since, seq: self.seq, conversation: id };
                let limit = self.queues[queue.0 as usize].wait_limit();
                let c = self.conversations.get_mut(&id).expect("present");
                c.set_place(Some((lane, key)));
                if let Some((limit, _)) = limit {
                    c.bump(TimerKind::QueueWait);
                    let timer = c.timer(TimerKind::QueueWait);
                    out.push(Effect::StartTimer { timer, at: later(self.now, since + limit) });
                }
                (lane, key)
            }
        };
        let c = self.conversations.get_mut(&id).expect("present");
        c.queued = true;
        self.lanes[lane].items.insert(key);
        self.queued += 1;
        let q = &mut self.queues[c.view.queue.0 as usize];
        q.waiting += 1;
        if key.class == Class::Returning {
            q.returning += 1;
        }
    }

    /// An open conversation is offered to `agent`, whose capacity it holds until the agent answers.
    pub(super) fn offer(&mut self, id: ConversationId, agent: AgentId, countdown: Millis, out: &mut Vec<Effect>) {
        let now = self.now;
        let c = self.conversations.get_mut(&id).expect("present");
        c.view.state = State::Offered;
        c.view.agent = Some(agent);
        c.holds_capacity = true;
        c.bump(TimerKind::OfferCountdown);
        let timer = c.timer(TimerKind::OfferCountdown);
        let (units, workstream) = (c.view.units, c.view.workstream);
        self.tally(workstream, |l| {
            l.open -= 1;
            l.offered += 1;
            l.capacity_used += u64::from(units);
        });
        self.refile(agent, |a| {
            a.used += units;
            a.offered.push(id);
            a.last_assigned_at = now;
        });
        out.push(Effect::Offered { conversation: id, agent });
        out.push(Effect::StartTimer { timer, at: later(now, now + countdown) });
    }

    /// An offered conversation goes back to Open (its agent declined, let the countdown run out, or left).
    pub(super) fn withdraw_offer(&mut self, id: ConversationId) -> AgentId {
        let now = self.now;
        let c = self.conversations.get_mut(&id).expect("present");
        let agent = c.view.agent.expect("an offer has an agent");
        c.view.state = State::Open;
        c.holds_capacity = false;
        c.bump(TimerKind::OfferCountdown);
        let (units, workstream) = (c.view.units, c.view.workstream);
        self.tally(workstream, |l| {
            l.offered -= 1;
            l.open += 1;
            l.capacity_used -= u64::from(units);
        });
        self.refile(agent, |a| {
            a.used -= units;
            a.offered.retain(|&o| o != id);
            a.last_released_at = now;
        });
        agent
    }

    /// An open or offered conversation becomes active with `agent`, holding its units; `assigned` marks a new
    /// assignment (which round robin counts), as opposed to a return to the same agent. A queued one leaves its
    /// lane.
    #[inline]
    pub(super) fn take(&mut self, id: ConversationId, agent: AgentId, assigned: bool) {
        let now = self.now;
        let c = self.conversations.get_mut(&id).expect("present");
        leave_lane(c, &mut self.lanes, &mut self.queues, &mut self.queued);
        let was_offered = c.view.state == State::Offered;
        c.touch();
        if was_offered {
            c.bump(TimerKind::OfferCountdown);
        }
        if c.has_place() {
            // Out of the queue for good: its wait limit no longer applies.
            c.bump(TimerKind::QueueWait);
        }
        c.set_place(None);
        c.overdue = false;
        c.parked_at_sign_out = false;
        c.view.state = State::Active;
        c.view.agent = Some(agent);
        c.holds_capacity = true;
        let (units, workstream) = (c.view.units, c.view.workstream);
        if was_offered {
            self.tally(workstream, |l| {
                l.offered -= 1;
                l.active += 1;
            });
            self.refile(agent, |a| {
                a.offered.retain(|&o| o != id);
                a.held.push(id);
            });
        } else {
            self.tally(workstream, |l| {
                l.open -= 1;
                l.active += 1;
                l.capacity_used += u64::from(units);
            });
            self.refile(agent, |a| {
                a.used += units;
                a.held.push(id);
                if assigned {
                    a.last_assigned_at = now;
                }
            });
        }
    }

    /// An active conversation moves to the waiting stage; its capacity is free at once.
    pub(super) fn park(&mut self, id: ConversationId, out: &mut Vec<Effect>) {
        self.release(id);
        let now = self.now;
        let auto_close = self.policy_of(id).auto_close_after();
        let c = self.conversations.get_mut(&id).expect("present");
        c.touch();
        c.view.state = State::Waiting;
        c.writing = false;
        let agent = c.view.agent.expect("active has an agent");
        let (units, auto_close_timer, last, workstream) =
            (c.view.units, c.timer(TimerKind::AutoClose), c.view.last_activity_at, c.view.workstream);
        self.tally(workstream, |l| {
            l.active -= 1;
            l.waiting += 1;
        });
        self.agents[agent.0 as usize].forget(id);
        self.change_parked(agent, |parked| parked + units);
        out.push(Effect::Parked { conversation: id, agent });
        if let Some(after) = auto_close {
            out.push(Effect::StartTimer { timer: auto_close_timer, at: later(now, last + after) });
        }
    }

    /// A parked conversation's customer is back: it is open again, its units no longer parked.
    pub(super) fn unpark(&mut self, id: ConversationId) -> AgentId {
        let c = self.conversations.get_mut(&id).expect("caller checked");
        c.touch();
        let agent = c.view.agent.expect("a parked conversation keeps its agent");
        let (units, workstream) = (c.view.units, c.view.workstream);
        c.view.state = State::Open;
        self.tally(workstream, |l| {
            l.waiting -= 1;
            l.open += 1;
        });
        self.change_parked(agent, |parked| parked - units);
        agent
    }

    /// An active conversation ends: wrap-up starts, releasing capacity now, later, or at the end of wrap-up, as
    /// its workstream says.
    pub(super) fn end(&mut self, id: ConversationId, reason: EndReason, out: &mut Vec<Effect>) {
        let now = self.now;
        let c = self.conversations.get_mut(&id).expect("present");
        let hold = self.workstreams[c.view.workstream.0 as usize].wrap_up;
        if hold == WrapUpHold::Never {
            self.release(id);
        }
        let c = self.conversations.get_mut(&id).expect("present");
        c.touch();
        c.view.state = State::WrapUp;
        c.end_reason = Some(reason);
        let (agent, workstream) = (c.view.agent.expect("active has an agent"), c.view.workstream);
        let release = c.timer(TimerKind::WrapUpRelease);
        self.tally(workstream, |l| {
            l.active -= 1;
            l.wrap_up += 1;
        });
        self.agents[agent.0 as usize].wrapping_up += 1;
        out.push(Effect::WrapUpStarted { conversation: id, agent, reason });
        match hold {
            WrapUpHold::Never => self.assign_pass(out),
            WrapUpHold::For(limit) => out.push(Effect::StartTimer { timer: release, at: later(now, now + limit) }),
            WrapUpHold::Always => {}
        }
    }

    /// Wrap-up is done: the conversation closes and its agent is free of it.
    pub(super) fn finish_wrap_up(&mut self, id: ConversationId, out: &mut Vec<Effect>) {
        let c = self.conversations.remove(&id).expect("checked");
        let agent = c.view.agent.expect("a conversation in wrap-up has an agent");
        if c.holds_capacity {
            self.free_units(agent, c.view.units, c.view.workstream);
        }
        self.tally(c.view.workstream, |l| l.wrap_up -= 1);
        let a = &mut self.agents[agent.0 as usize];
        a.wrapping_up -= 1;
        a.forget(id);
        out.push(Effect::Closed { conversation: id, reason: c.end_reason.unwrap_or(EndReason::Resolved) });
        self.finish_sign_out_if_done(agent, out);
        self.assign_pass(out);
    }

    /// A parked conversation closes without returning to anyone.
    pub(super) fn close_parked(&mut self, id: ConversationId, reason: EndReason, out: &mut Vec<Effect>) {
        let c = self.conversations.remove(&id).expect("present");
        let agent = c.view.agent.expect("parked keeps its agent");
        self.tally(c.view.workstream, |l| l.waiting -= 1);
        self.change_parked(agent, |parked| parked - c.view.units);
        out.push(Effect::Closed { conversation: id, reason });
    }

    /// An open conversation (queued or reserved) is gone without an agent: abandoned, or ended by overflow.
    pub(super) fn drop_open(&mut self, id: ConversationId) {
        self.dequeue(id);
        let c = self.conversations.remove(&id).expect("present");
        self.tally(c.view.workstream, |l| l.open -= 1);
        if let Some(agent) = c.reserved_for {
            self.agents[agent.0 as usize].reserved.retain(|&r| r != id);
        }
    }

    /// Frees a conversation's units on its agent.
    #[inline]
    pub(super) fn release(&mut self, id: ConversationId) {
        let c = self.conversations.get_mut(&id).expect("present");
        if !c.holds_capacity {
            return;
        }
        c.holds_capacity = false;
        let (units, workstream) = (c.view.units, c.view.workstream);
        let agent = c.view.agent.expect("holding capacity means an agent");
        self.free_units(agent, units, workstream);
    }

    /// The bookkeeping of [`Router::release`]: `units` of `workstream` no longer held by `agent`.
    #[inline]
    fn free_units(&mut self, agent: AgentId, units: u32, workstream: WorkstreamId) {
        let now = self.now;
        self.tally(workstream, |l| l.capacity_used -= u64::from(units));
        self.refile(agent, |a| {
            a.used -= units;
            a.last_released_at = now;
        });
    }

    /// Changes an agent's parked units, keeping the capped reclaimed total right without scanning agents.
    pub(super) fn change_parked(&mut self, agent: AgentId, change: impl FnOnce(u32) -> u32) {
        let a = &mut self.agents[agent.0 as usize];
        let before = a.reclaimed();
        a.parked_units = change(a.parked_units);
        self.load.capacity_reclaimed = self.load.capacity_reclaimed - u64::from(before) + u64::from(a.reclaimed());
    }

    /// Changes an agent while keeping its group's pools, and the count of agents accepting work, right.
    #[inline]
    pub(super) fn refile(&mut self, agent: AgentId, change: impl FnOnce(&mut Agent)) {
        let a = &mut self.agents[agent.0 as usize];
        let before = a.accepts_work();
        if before {
            for pool in &mut self.groups[a.group.0 as usize].pools {
                pool.remove(a);
            }
        }
        change(a);
        // The agent's group may have changed (a sign-in): file it with the new one.
        let after = a.accepts_work();
        if after {
            for pool in &mut self.groups[a.group.0 as usize].pools {
                pool.insert(a);
            }
        }
        if before != after {
            if after {
                self.accepting += 1;
            } else {
                self.accepting -= 1;
            }
        }
    }

    /// A signing-out agent goes offline once they hold nothing.
    pub(super) fn finish_sign_out_if_done(&mut self, agent: AgentId, out: &mut Vec<Effect>) {
        let a = &mut self.agents[agent.0 as usize];
        if a.duty == super::agent::Duty::SigningOut && a.held.is_empty() {
            a.duty = super::agent::Duty::Offline;
            self.load.agents_online -= 1;
            self.load.capacity_online -= u64::from(a.capacity);
            out.push(Effect::AgentOffline { agent });
        }
    }
}

/// Takes a conversation out of its lane if it is queued there, keeping its place (for a return after a declined
/// offer). A free function over the fields it touches, so callers holding the conversation need no second look-up.
#[inline]
fn leave_lane(c: &mut Conversation, lanes: &mut [Lane], queues: &mut [Queue], queued: &mut usize) {
    if !c.queued {
        return;
    }
    c.queued = false;
    let (lane, key) = c.place().expect("a queued conversation has a place");
    lanes[lane].items.remove(&key);
    *queued -= 1;
    let q = &mut queues[c.view.queue.0 as usize];
    q.waiting -= 1;
    if key.class == Class::Returning {
        q.returning -= 1;
    }
}

/// The lane of `queue` for conversations of this kind, made on first use.
fn lane_for(
    lanes: &mut Vec<Lane>,
    of_queue: &mut Vec<usize>,
    queue: QueueId,
    workstream: WorkstreamId,
    needs: Skills,
    anytime: bool,
) -> usize {
    if let Some(&lane) = of_queue.iter().find(|&&l| lanes[l].holds(queue, workstream, needs, anytime)) {
        return lane;
    }
    lanes.push(Lane::new(queue, workstream, needs, anytime));
    of_queue.push(lanes.len() - 1);
    lanes.len() - 1
}
