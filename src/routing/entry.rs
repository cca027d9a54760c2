//! How a conversation enters a queue: admission, pre-queue overflow, transfers, and the in-queue wait limit.
//!
//! A new conversation goes to its workstream's queue. There, in order:
//! 1. the queue's pre-queue rules, first match wins: `out_of_hours` (the queue is closed) and
//!    `more_waiting_than N` (it would be the (N+1)-th waiting: it cannot be assigned at once and N already
//!    wait). Their action ends it (a refusal), transfers it to another queue (where step 1 runs again), or
//!    queues it anyway (and, out of hours, lets it be assigned while the queue is closed);
//! 2. if no rule matched, the workstream's policy admits or refuses it (live chat refuses out of hours);
//! 3. with nobody waiting ahead and an eligible agent free, it is assigned at once; otherwise it is queued.
//!
//! A queue's in-queue rule `waited_longer_than T` starts a timer when a conversation joins the queue; if it is
//! still waiting then, the rule ends it or transfers it.

use super::conversation::Conversation;
use super::lane::Class;
use super::{
    ConversationId, ConversationView, Effect, EndReason, Millis, OverflowAction, OverflowCondition, QueueId,
    RefuseReason, Router, RoutingError, Skills, State, WorkstreamId,
};
use std::collections::hash_map::Entry;

impl Router {
    /// A new conversation arrives on a workstream at `now`; an id already open is refused before any change.
    pub(super) fn arrive(
        &mut self,
        now: Millis,
        id: ConversationId,
        workstream: WorkstreamId,
        needs: Skills,
        out: &mut Vec<Effect>,
    ) -> Result<(), RoutingError> {
        let w = &self.workstreams[workstream.0 as usize];
        let view = ConversationView {
            id,
            state: State::Open,
            workstream,
            queue: w.queue,
            needs,
            agent: None,
            units: w.units,
            arrived_at: now,
            last_customer_at: now,
            last_activity_at: now,
            awaiting_agent: true,
            returns: 0,
        };
        let queue = w.queue;
        match self.conversations.entry(id) {
            Entry::Occupied(_) => return Err(RoutingError::DuplicateConversation(id)),
            Entry::Vacant(place) => place.insert(Conversation::new(view)),
        };
        self.now = now;
        self.enter(id, workstream, needs, queue, true, out);
        Ok(())
    }

    /// Routes an open conversation into `queue`: pre-queue rules, admission (for a new arrival), then at once
    /// to an agent or into the queue. `arriving` is false for a transfer, which is already admitted.
    fn enter(
        &mut self,
        id: ConversationId,
        workstream: WorkstreamId,
        needs_of_arrival: Skills,
        queue: QueueId,
        arriving: bool,
        out: &mut Vec<Effect>,
    ) {
        // What eligibility depends on, read once: from the arrival, or from the conversation being transferred.
        let (needs, units, mut anytime) = if arriving {
            let w = &self.workstreams[workstream.0 as usize];
            (needs_of_arrival, w.units, false)
        } else {
            let c = self.conversations.get_mut(&id).expect("present");
            c.view.queue = queue;
            (c.view.needs, c.view.units, c.anytime)
        };
        let open = self.queues[queue.0 as usize].open;
        let mut ruled = false;
        if !self.queues[queue.0 as usize].setup.overflow.is_empty() {
            match self.pre_queue_rules(id, workstream, needs, units, queue, arriving, &mut anytime, out) {
                Some(matched) => ruled = matched,
                None => return,
            }
        }
        if arriving {
            if !ruled && let Err(reason) = self.workstreams[workstream.0 as usize].policy.admit(open) {
                self.conversations.remove(&id);
                out.push(Effect::Refused { conversation: id, reason });
                return;
            }
            self.tally(workstream, |l| l.open += 1);
        }
        // With nobody queued ahead, a free agent takes it at once: it never waits in the queue.
        if self.queues[queue.0 as usize].waiting == 0
            && let Some(agent) = self.assignable(queue, workstream, needs, units, anytime)
        {
            self.assign(id, agent, out);
            return;
        }
        self.enqueue_as(id, Class::New, workstream, needs, anytime, out);
        self.assign_pass(out);
    }

    /// A queue's pre-queue rules, first match wins. `None`: the conversation was ended or transferred (its route
    /// is done); `Some(matched)`: it goes on into this queue, `matched` when an "assign anyway" rule let it in
    /// (out of hours, that also sets `anytime`). Kept apart from `enter` so the common case, a queue without
    /// rules, stays short.
    #[inline(never)]
    #[allow(clippy::too_many_arguments)]
    fn pre_queue_rules(
        &mut self,
        id: ConversationId,
        workstream: WorkstreamId,
        needs: Skills,
        units: u32,
        queue: QueueId,
        arriving: bool,
        anytime: &mut bool,
        out: &mut Vec<Effect>,
    ) -> Option<bool> {
        let open = self.queues[queue.0 as usize].open;
        for i in 0..self.queues[queue.0 as usize].setup.overflow.len() {
            let rule = self.queues[queue.0 as usize].setup.overflow[i];
            let applies = match rule.when {
                OverflowCondition::OutOfHours => !open,
                OverflowCondition::MoreWaitingThan(n) => {
                    self.queues[queue.0 as usize].waiting >= n as usize
                        && self.assignable(queue, workstream, needs, units, *anytime).is_none()
                }
                OverflowCondition::WaitedLongerThan(_) => false,
            };
            if !applies {
                continue;
            }
            out.push(Effect::Overflowed { conversation: id, queue, when: rule.when, action: rule.action });
            match rule.action {
                OverflowAction::End => {
                    let reason = match rule.when {
                        OverflowCondition::OutOfHours => RefuseReason::OutOfHours,
                        _ => RefuseReason::QueueFull,
                    };
                    self.end_unserved(id, arriving, reason, out);
                    return None;
                }
                OverflowAction::Transfer(to) => {
                    out.push(Effect::Transferred { conversation: id, from: queue, to });
                    // Admitted on the way: the next queue's rules apply, not the policy's admission.
                    if arriving {
                        self.tally(workstream, |l| l.open += 1);
                    }
                    self.enter(id, workstream, needs, to, false, out);
                    return None;
                }
                OverflowAction::AssignAnyway => {
                    if rule.when == OverflowCondition::OutOfHours {
                        self.conversations.get_mut(&id).expect("present").anytime = true;
                        *anytime = true;
                    }
                    return Some(true);
                }
            }
        }
        Some(false)
    }

    /// A conversation ends without an agent by an overflow rule: refused if it was arriving, closed otherwise.
    fn end_unserved(&mut self, id: ConversationId, arriving: bool, reason: RefuseReason, out: &mut Vec<Effect>) {
        if arriving {
            self.conversations.remove(&id);
            out.push(Effect::Refused { conversation: id, reason });
        } else {
            self.drop_open(id);
            out.push(Effect::Closed { conversation: id, reason: EndReason::Overflowed });
        }
    }

    /// The in-queue wait limit came due for a conversation still waiting in that queue.
    pub(super) fn waited_too_long(&mut self, id: ConversationId, out: &mut Vec<Effect>) {
        let c = &self.conversations[&id];
        let queue = c.view.queue;
        let Some((limit, action)) = self.queues[queue.0 as usize].wait_limit() else { return };
        if c.view.state == State::Offered {
            // It overflows if the offer is not accepted.
            self.conversations.get_mut(&id).expect("present").overdue = true;
            return;
        }
        if !c.queued {
            return;
        }
        let when = OverflowCondition::WaitedLongerThan(limit);
        out.push(Effect::Overflowed { conversation: id, queue, when, action });
        match action {
            OverflowAction::End => {
                self.drop_open(id);
                out.push(Effect::Closed { conversation: id, reason: EndReason::Overflowed });
            }
            OverflowAction::Transfer(to) => {
                self.dequeue(id);
                let c = self.conversations.get_mut(&id).expect("present");
                c.set_place(None);
                c.bump(super::TimerKind::QueueWait);
                let (workstream, needs) = (c.view.workstream, c.view.needs);
                out.push(Effect::Transferred { conversation: id, from: queue, to });
                self.enter(id, workstream, needs, to, false, out);
            }
            OverflowAction::AssignAnyway => {}
        }
    }
}
