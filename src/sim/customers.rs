//! Customers: arriving, opening conversations, writing, trying again, and finishing.
//!
//! Each new customer of an arrival stream draws, from their own random stream, the workstream they enter (by
//! the workstreams' shares, unless the stream is a workstream's own or a trace names it), the skill they need,
//! and how many sessions and messages they have; a trace replays its recorded ones. Their first message opens a
//! conversation. After each agent reply they write again (`think` later, or `away` later for the next
//! session, or when they next look if the reply came after they left), or, with nothing more to say, the agent
//! ends the conversation. A conversation cut off before the need was met makes the next message open a new
//! one, a recontact. A refused or abandoned live customer tries again by the `retry` model; one who gives up
//! without ever reaching an agent is lost. (The behaviour model in full: [`super::world`].)
//!
//! A customer is forgotten once they have nothing more to say and no conversation open, so memory follows the
//! customers in the system, not the run's length.

use super::engine::{Deferred, Engine, Event};
use super::seeds::{Purpose, stream};
use super::world::{CONVERSATIONS_PER_CUSTOMER, Conversation, Customer, Task, conversation_id, customer_of};
use crate::metrics::run::{ConversationRecord, Outcome};
use crate::routing::{AgentId, ConversationId, EndReason, Input, Millis, Skills, State, WorkstreamId};
use rand::RngExt;

impl Engine<'_> {
    /// Puts arrival stream `k`'s next customer on the calendar, or counts the stream exhausted.
    pub(super) fn schedule_next_arrival(&mut self, k: usize) {
        let source = &mut self.sources[k];
        match source.0.next(self.window_end) {
            Some(arrival) => {
                source.1 = arrival.record;
                self.calendar.schedule(arrival.at, Event::Arrival(k as u16));
            }
            None => self.sources_left -= 1,
        }
    }

    /// A new customer: their needs and behaviour drawn from their own streams, their first message opened.
    pub(super) fn arrival(&mut self, k: usize) {
        let record = self.sources[k].1.take();
        let index = self.next_customer;
        self.next_customer += 1;
        let (seed, rep) = (self.scenario.seed, self.replication);
        let customer_model = &self.scenario.customer;
        let mut behaviour = stream(seed, rep, index, Purpose::Customer);
        let sessions =
            record.and_then(|r| r.sessions).unwrap_or_else(|| customer_model.sessions.sample(&mut behaviour));
        let messages =
            record.and_then(|r| r.messages).unwrap_or_else(|| customer_model.messages.sample(&mut behaviour));
        let (workstream, needs) = self.entry(k, index, record.and_then(|r| r.workstream));
        let live = self.plan.workstreams[workstream as usize].live;
        let customer = Customer {
            workstream,
            needs,
            live,
            conversation: conversation_id(index, 0),
            opened: 0,
            behaviour,
            work: stream(seed, rep, index, Purpose::Work),
            sessions_left: sessions.max(1) - 1,
            messages_left: messages.max(1) - 1,
            asked_at: self.now,
            last_agent: None,
            cut_off: false,
            writing: false,
            gone: false,
            messages_per_session: record.and_then(|r| r.messages),
            first_reply_time: record.and_then(|r| r.handle),
            patience: record.and_then(|r| r.patience),
            measured: self.collector.in_window(self.now),
            reached: false,
            retrying: false,
            retry: None,
            online: (!live && customer_model.online.is_some()).then(|| stream(seed, rep, index, Purpose::Online)),
        };
        if customer.measured {
            self.customers_undecided += 1;
            self.collector.customer();
            if let Some(split) = &mut self.split {
                split.workstreams[workstream as usize].collector.customer();
            }
        }
        self.customers.insert(index, customer);
        self.open_conversation(index, false);
        self.schedule_next_arrival(k);
    }

    /// The workstream a new customer of arrival stream `k` enters (the one `recorded` in a trace, else the
    /// stream's own, else drawn by the shares) and the skill they need, each drawn from the customer's own stream
    /// (so every policy faces the same customers, whatever its shares).
    fn entry(&self, k: usize, index: u64, recorded: Option<u16>) -> (u16, Skills) {
        if self.plan.single {
            return (0, Skills::NONE);
        }
        let (seed, rep) = (self.scenario.seed, self.replication);
        let workstream = match recorded.or(self.plan.sources[k].workstream) {
            Some(w) => w,
            None => self.plan.workstream_for(stream(seed, rep, index, Purpose::Workstream).random::<f64>()),
        };
        let shares = self.plan.workstreams[workstream as usize].skills;
        let mut needs = Skills::NONE;
        if !shares.is_empty() {
            let u = stream(seed, rep, index, Purpose::Skills).random::<f64>();
            let mut total = 0.0;
            for &(skill, share) in shares {
                total += share;
                if u < total {
                    needs = Skills::one(skill);
                    break;
                }
            }
        }
        (workstream, needs)
    }

    /// The customer's pending message opens a new conversation.
    fn open_conversation(&mut self, index: u64, recontact: bool) {
        let now = self.now;
        let customer = self.customers.get_mut(&index).expect("customer present");
        let id = conversation_id(index, customer.opened);
        customer.opened += 1;
        customer.conversation = id;
        customer.cut_off = false;
        customer.asked_at = now;
        let (workstream, needs, live) = (customer.workstream, customer.needs, customer.live);
        let queue = self.plan.workstreams[workstream as usize].queue.0;
        let patience = if live {
            match customer.patience {
                Some(given) => given,
                None => self.scenario.customer.patience.as_ref().map(|d| self.draw(d, id, Purpose::Patience)),
            }
        } else {
            None
        };
        let c = Conversation {
            customer: index,
            workstream,
            queue,
            entered_at: now,
            offers: 0,
            arrived_at: now,
            assigned: false,
            replied: false,
            reply_token: 0,
            returning: false,
            recontact,
        };
        self.conversations.insert(id, c);
        self.collector.arrival(now, recontact);
        if let Some(split) = &mut self.split {
            split.workstreams[workstream as usize].collector.arrival(now, recontact);
            split.queues[queue as usize].collector.arrival(now, recontact);
        }
        if self.collector.in_window(now) {
            self.measured_open += 1;
            if let Some(records) = &mut self.records {
                records.opened(id, now);
            }
        }
        self.input(Input::ConversationArrived { conversation: id, workstream: WorkstreamId(workstream), needs });
        if let Some(patience) = patience
            && self.router.conversation(id).is_some_and(|v| v.state == State::Open)
        {
            self.calendar.schedule(now + patience, Event::Patience(id));
        }
    }

    /// The customer writes: in their open conversation, or, if it was cut off, in a new one (a recontact) while
    /// the window is open.
    pub(super) fn customer_writes(&mut self, index: u64) {
        let now = self.now;
        let Some(customer) = self.customers.get_mut(&index) else { return };
        customer.writing = false;
        customer.asked_at = now;
        let conversation = customer.conversation;
        if customer.cut_off || !self.conversations.contains_key(&conversation) {
            // Their conversation ended before their need was met: start over as a new conversation, while the
            // window is open and they have conversation ids left.
            if now < self.window_end && u64::from(customer.opened) < CONVERSATIONS_PER_CUSTOMER {
                self.open_conversation(index, true);
            } else {
                self.customers.remove(&index);
            }
            return;
        }
        let state = self.router.conversation(conversation).map(|v| v.state);
        let was_active = state == Some(State::Active);
        if state == Some(State::Waiting) {
            self.conversations.get_mut(&conversation).expect("open").returning = true;
        }
        self.input(Input::CustomerMessage { conversation });
        // A message in an active conversation goes to its agent. A customer returning to a parked conversation
        // was routed by the router, and the effects already put the reply on an agent's desk.
        if was_active {
            let agent = self.router.conversation(conversation).and_then(|v| v.agent).expect("active has an agent");
            let c = self.conversations.get_mut(&conversation).expect("open");
            c.reply_token += 1;
            let token = c.reply_token;
            self.give(agent, Task::Reply { conversation, token });
        }
    }

    /// A queued live customer runs out of patience: they leave, if no agent has taken the conversation yet.
    pub(super) fn patience_ran_out(&mut self, conversation: ConversationId) {
        if self.router.conversation(conversation).is_some_and(|c| matches!(c.state, State::Open | State::Offered)) {
            self.input(Input::CustomerLeft { conversation });
        }
    }

    /// The agent's reply reaches the customer, who then writes again, comes back later, or is done.
    pub(super) fn deliver_reply(&mut self, agent: AgentId, conversation: ConversationId) {
        let now = self.now;
        let c = self.conversations.get_mut(&conversation).expect("open");
        let first = !c.replied;
        c.replied = true;
        // A later session in the contract's sense: the first answer after a return from the waiting stage
        // (persistent), or the first answer of a recontact (live).
        let later_session = c.returning || (first && c.recontact);
        c.returning = false;
        let arrived = c.arrived_at;
        let (c_workstream, c_queue, c_entered) = (c.workstream, c.queue, c.entered_at);
        let index = c.customer;
        let last = self.customers.get(&index).is_some_and(|c| c.messages_left == 0 && c.sessions_left == 0);
        self.ending = last.then_some(conversation);
        self.input(Input::AgentReplied { conversation });
        self.ending = None;
        let Some(customer) = self.customers.get_mut(&index) else { return };
        self.collector.response(arrived, customer.asked_at, now, first);
        if let Some(split) = &mut self.split {
            let (w, q, entered) = (c_workstream, c_queue, c_entered);
            split.workstreams[w as usize].collector.response(arrived, customer.asked_at, now, first);
            split.queues[q as usize].collector.response(entered, customer.asked_at, now, first);
        }
        // A retry of a customer nobody answered before is their first session, not a later one.
        if later_session && customer.last_agent.is_some() {
            self.collector.later_session(arrived, customer.last_agent == Some(agent));
            if let Some(split) = &mut self.split {
                let same = customer.last_agent == Some(agent);
                split.workstreams[c_workstream as usize].collector.later_session(arrived, same);
                split.queues[c_queue as usize].collector.later_session(c_entered, same);
            }
        }
        customer.last_agent = Some(agent);
        let model = &self.scenario.customer;
        // Persistent with `online`: two draws per reply whatever happens, so every policy's customer draws alike.
        let read_late = match (&model.online, &mut customer.online) {
            (Some(online), Some(rng)) => {
                let stays = online.sample(rng);
                let back = model.away.sample(rng);
                (now - customer.asked_at > stays).then_some(back)
            }
            _ => None,
        };
        if customer.messages_left > 0 {
            customer.messages_left -= 1;
            customer.writing = true;
            let think = model.think.sample(&mut customer.behaviour);
            // A reply that came after the customer closed the chat is read on their next visit.
            let at = now + read_late.unwrap_or(think);
            self.calendar.schedule(at, Event::Writes(index));
        } else if customer.sessions_left > 0 {
            if model.never_return > 0.0 && customer.behaviour.random::<f64>() < model.never_return {
                customer.gone = true;
                return;
            }
            customer.sessions_left -= 1;
            let messages = match customer.messages_per_session {
                Some(recorded) => recorded,
                None => model.messages.sample(&mut customer.behaviour),
            };
            customer.messages_left = messages.max(1) - 1;
            customer.writing = true;
            let at = now + model.away.sample(&mut customer.behaviour);
            self.calendar.schedule(at, Event::Writes(index));
        } else {
            self.input(Input::AgentEnded { conversation });
        }
    }

    /// The customer's conversation ended before their need was met; their next message opens a new one.
    pub(super) fn cut_off(&mut self, conversation: ConversationId) {
        if let Some(customer) = self.customers.get_mut(&customer_of(conversation))
            && customer.conversation == conversation
        {
            customer.cut_off = true;
        }
    }

    /// A conversation reached its outcome: forget it, and its customer if they have nothing more to say.
    pub(super) fn finish(&mut self, conversation: ConversationId, outcome: Outcome) {
        let c = self.conversations.remove(&conversation).expect("finished conversations were open");
        let assigned_at = self.assigned_at.remove(&conversation);
        if self.collector.in_window(c.arrived_at) {
            self.measured_open -= 1;
            if let Some(records) = &mut self.records {
                records.finished(ConversationRecord {
                    conversation,
                    customer: c.customer,
                    arrived_at: c.arrived_at,
                    assigned_at,
                    recontact: c.recontact,
                    outcome,
                    ended_at: self.now,
                });
            }
        }
        let key = c.customer;
        let unserved = outcome == Outcome::Closed(EndReason::Overflowed) && !c.assigned;
        if matches!(outcome, Outcome::Refused | Outcome::Abandoned) || unserved {
            self.failed_try(key);
            return;
        }
        let done = match self.customers.get(&key) {
            Some(customer) => customer.conversation == conversation && (!customer.writing || customer.gone),
            None => false,
        };
        if done {
            self.customers.remove(&key);
        }
    }

    /// A customer was refused or abandoned: they try again with chance `retry` (live), or are gone; a window
    /// customer gone without ever reaching an agent is lost.
    fn failed_try(&mut self, index: u64) {
        let model = &self.scenario.customer;
        let (seed, rep, now) = (self.scenario.seed, self.replication, self.now);
        let Some(customer) = self.customers.get_mut(&index) else { return };
        let hours = self.plan.hours[self.plan.workstreams[customer.workstream as usize].queue.0 as usize];
        if customer.live && model.retry > 0.0 && u64::from(customer.opened) < CONVERSATIONS_PER_CUSTOMER {
            let rng = customer.retry.get_or_insert_with(|| stream(seed, rep, index, Purpose::Retry));
            if rng.random::<f64>() < model.retry {
                let at = match &model.retry_after {
                    Some(after) => Some(now + after.sample(rng)),
                    None => next_opening(hours, now),
                };
                if let Some(at) = at {
                    customer.retrying = true;
                    self.calendar.schedule(at, Event::Retry(index, Deferred::No));
                    return;
                }
            }
        }
        let customer = self.customers.remove(&index).expect("present above");
        if customer.measured && !customer.reached {
            self.customers_undecided -= 1;
            self.collector.customer_lost();
            if let Some(split) = &mut self.split {
                split.workstreams[customer.workstream as usize].collector.customer_lost();
            }
        }
    }

    /// A refused or abandoned customer tries again: a new conversation, counted as a recontact.
    pub(super) fn retry(&mut self, index: u64, deferred: Deferred) {
        // At the queue's opening instant the retry may come before the hours event that opens it: let that go
        // first, once (events at one instant run in order, so the opening is then behind us).
        let Some(customer) = self.customers.get(&index) else { return };
        let queue = self.plan.workstreams[customer.workstream as usize].queue;
        if deferred == Deferred::No
            && !self.router.is_open(queue)
            && self.plan.hours[queue.0 as usize].is_open(self.now)
        {
            self.calendar.schedule(self.now, Event::Retry(index, Deferred::Once));
            return;
        }
        let Some(customer) = self.customers.get_mut(&index) else { return };
        customer.retrying = false;
        self.open_conversation(index, true);
    }
}

/// The start of the queue's next opening after `now`: the coming one if it is closed, otherwise the one after
/// the current opening ends; `None` for a queue that never closes.
fn next_opening(hours: &crate::hours::OperatingHours, now: Millis) -> Option<Millis> {
    let change = hours.next_change(now)?;
    if hours.is_open(now) { hours.next_change(change) } else { Some(change) }
}
