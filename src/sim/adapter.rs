//! The adapter between the engine and the routing core: inputs go in, effects come out and are acted on.
//!
//! The router is sans-IO: it holds the queues, the agents' capacity and each conversation's state, and answers
//! every input with effects. The engine feeds it what happened (an arrival, a message, a reply, a timer, a
//! queue opening) and turns each effect into the world's next steps: an assignment puts a reply on the agent's
//! desk, a wrap-up starts after-conversation work, a refusal or an abandonment sends the customer to try again
//! or leave, a close finishes the conversation, a timer goes on the calendar, an offer waits for the agent's
//! answer. Acting on one effect may feed the router again (a freed agent takes the next conversation), so the
//! effect buffers nest, one per level, and are reused.

use super::engine::{Engine, Event};
use super::seeds::{Purpose, stream};
use super::world::Task;
use crate::metrics::run::Outcome;
use crate::routing::{AgentId, ConversationId, Effect, EndReason, Input, QueueId, State};
use rand::RngExt;

impl Engine<'_> {
    /// Feeds one input to the router and acts on what it decided.
    pub(super) fn input(&mut self, input: Input) {
        // Acting on effects can feed the router again (a freed agent takes the next task), so buffers nest.
        let mut effects = self.buffers.pop().unwrap_or_default();
        self.router.handle(self.now, input, &mut effects).expect("the engine only sends valid inputs");
        if self.split.is_some() {
            self.touch_parts(input, &effects);
        }
        if let Some(recorder) = &self.recorder {
            recorder.lock().unwrap_or_else(|e| e.into_inner()).record(self.now, &input, &effects);
        }
        for &effect in &effects {
            self.apply(effect);
        }
        effects.clear();
        self.buffers.push(effects);
    }

    /// Marks the workstreams and queues of the conversations an input concerned: only their levels can have
    /// changed (a timer's conversation included: a wrap-up's hold ends without an effect).
    #[cold]
    fn touch_parts(&mut self, input: Input, effects: &[Effect]) {
        let Some(split) = &mut self.split else { return };
        let timer = match input {
            Input::TimerFired(timer) => Some(timer.conversation()),
            _ => None,
        };
        for id in timer.into_iter().chain(effects.iter().filter_map(Effect::conversation)) {
            if let Some(c) = self.conversations.get(&id) {
                split.touch(c.workstream, c.queue);
            }
        }
        for effect in effects {
            if let Effect::Transferred { to, .. } = effect {
                split.touch_queue(to.0);
            }
        }
    }

    /// Acts on one of the router's decisions: work for an agent, a measure, a finished conversation, a timer.
    fn apply(&mut self, effect: Effect) {
        match effect {
            Effect::Assigned { conversation, agent } | Effect::Reactivated { conversation, agent } => {
                let c = self.conversations.get_mut(&conversation).expect("assigned conversations are open");
                if !c.assigned {
                    c.assigned = true;
                    self.collector.assigned(c.arrived_at, self.now);
                    if let Some(split) = &mut self.split {
                        split.workstreams[c.workstream as usize].collector.assigned(c.arrived_at, self.now);
                        split.queues[c.queue as usize].collector.assigned(c.entered_at, self.now);
                    }
                    if self.records.is_some() {
                        self.assigned_at.insert(conversation, self.now);
                    }
                    if let Some(customer) = self.customers.get_mut(&c.customer)
                        && !customer.reached
                    {
                        customer.reached = true;
                        self.customers_undecided -= u64::from(customer.measured);
                    }
                }
                c.reply_token += 1;
                let token = c.reply_token;
                self.give(agent, Task::Reply { conversation, token });
            }
            Effect::WrapUpStarted { conversation, agent, reason } => {
                if reason != EndReason::Resolved {
                    self.cut_off(conversation);
                }
                self.give(agent, Task::WrapUp { conversation });
            }
            Effect::Refused { conversation, .. } => {
                self.collector.refused(self.now);
                if let Some(split) = &mut self.split {
                    let c = &self.conversations[&conversation];
                    split.workstreams[c.workstream as usize].collector.refused(self.now);
                    split.queues[c.queue as usize].collector.refused(self.now);
                }
                self.finish(conversation, Outcome::Refused);
            }
            Effect::Abandoned { conversation } => {
                self.abandoned(conversation);
                self.finish(conversation, Outcome::Abandoned);
            }
            // Ended in the queue by an overflow rule before any agent took it: for the customer, as abandonment.
            Effect::Closed { conversation, reason: EndReason::Overflowed }
                if !self.conversations[&conversation].assigned =>
            {
                self.abandoned(conversation);
                self.finish(conversation, Outcome::Closed(EndReason::Overflowed));
            }
            Effect::Closed { conversation, reason } => {
                if reason == EndReason::AutoClosed {
                    self.cut_off(conversation);
                }
                let c = &self.conversations[&conversation];
                self.collector.closed(c.arrived_at);
                if let Some(split) = &mut self.split {
                    split.workstreams[c.workstream as usize].collector.closed(c.arrived_at);
                    split.queues[c.queue as usize].collector.closed(c.entered_at);
                }
                self.finish(conversation, Outcome::Closed(reason));
            }
            // A timer for the conversation being ended this instant would only be ignored by the router.
            Effect::StartTimer { timer, at } if self.ending != Some(timer.conversation()) => {
                self.calendar.schedule(at, Event::Router(timer));
            }
            Effect::StartTimer { .. } => {}
            Effect::Offered { conversation, agent } => self.offered(conversation, agent),
            Effect::OfferWithdrawn { conversation, declined: true, .. } => {
                self.count(conversation, |c| c.declines += 1);
            }
            Effect::Overflowed { conversation, .. } => self.count(conversation, |c| c.overflowed += 1),
            Effect::Transferred { conversation, to, .. } => self.transferred(conversation, to),
            Effect::Queued { .. }
            | Effect::Parked { .. }
            | Effect::OfferedToSameAgent { .. }
            | Effect::OfferWithdrawn { .. } => {}
            Effect::AgentOffline { agent } => self.recount(agent),
        }
    }

    /// A conversation moved to another queue: it leaves the first (closed there) and enters the second.
    fn transferred(&mut self, conversation: ConversationId, to: QueueId) {
        self.count(conversation, |c| c.transferred_out += 1);
        let now = self.now;
        let c = self.conversations.get_mut(&conversation).expect("transferred conversations are open");
        if let Some(split) = &mut self.split {
            split.queues[c.queue as usize].collector.closed(c.entered_at);
            split.queues[to.0 as usize].collector.arrival(now, c.recontact);
        }
        c.queue = to.0;
        c.entered_at = now;
        self.count(conversation, |c| c.transferred_in += 1);
    }

    /// The router offered a conversation to an agent: the agent answers after their time to accept, accepting
    /// or declining by the offer model, drawn from the offer's own stream (the router's countdown may beat them).
    fn offered(&mut self, conversation: ConversationId, agent: AgentId) {
        self.count(conversation, |c| c.offers += 1);
        let Some(offers) = self.plan.offers else { return };
        let c = self.conversations.get_mut(&conversation).expect("offered conversations are open");
        c.offers += 1;
        let number = c.offers;
        let owner = conversation.0 ^ (u64::from(number) << 56);
        let mut rng = stream(self.scenario.seed, self.replication, owner, Purpose::Offer);
        let after = offers.accept.sample(&mut rng);
        let accept = rng.random::<f64>() >= offers.decline;
        self.calendar.schedule(self.now + after, Event::OfferAnswer(conversation, agent, number, accept));
    }

    /// An agent answers an offer: the router hears it only if the offer still stands (not withdrawn, timed out
    /// or superseded by a later offer of the same conversation).
    pub(super) fn offer_answered(&mut self, conversation: ConversationId, agent: AgentId, number: u32, accept: bool) {
        let current = self.conversations.get(&conversation).is_some_and(|c| c.offers == number)
            && self
                .router
                .conversation(conversation)
                .is_some_and(|v| v.state == State::Offered && v.agent == Some(agent));
        if current {
            self.input(if accept {
                Input::OfferAccepted { conversation }
            } else {
                Input::OfferDeclined { conversation }
            });
        }
    }

    /// A queue's operating hours open or close it; the next change is scheduled. For a single queue the team's
    /// open-hours measures follow it.
    pub(super) fn queue_hours(&mut self, q: u16) {
        let hours = self.plan.hours[q as usize];
        let open = hours.is_open(self.now);
        if self.plan.single {
            self.collector.queue_open_since(open.then_some(self.now));
        }
        let queue = QueueId(q);
        self.input(if open { Input::QueueOpened { queue } } else { Input::QueueClosed { queue } });
        if let Some(at) = hours.next_change(self.now) {
            self.calendar.schedule(at, Event::Hours(q));
        }
    }
}
