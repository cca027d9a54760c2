//! One simulated run: one policy, one replication, driven event by event through the routing core.
//!
//! The engine owns the clock and the event calendar. It turns arrivals, customer messages, agent work,
//! shifts and opening hours into router inputs, and the router's effects into scheduled work and timers.
//! It never decides routing itself: every assignment, park and close comes from [`Router`].

use super::arrivals::ArrivalSource;
use super::clock::Calendar;
use super::observe::{Breakdown, Split};
use super::plan::Plan;
use super::seeds::{Purpose, stream};
use super::world::{CONVERSATIONS_PER_CUSTOMER, Conversation, Customer, Desk, Task, conversation_id, customer_of};
use crate::metrics::collector::{Collector, Levels, Measured};
use crate::metrics::records::ConversationLog;
use crate::routing::{
    AgentId, ConversationId, Effect, EndReason, GroupId, Input, Millis, Presence, QueueId, Router, Skills, State,
    Timer, WorkstreamId,
};
use crate::scenario::{Agents, Attention, Dist, PolicySpec, Scenario, TraceRecord};
use rand::RngExt;
use rustc_hash::FxHashMap as HashMap;
use std::collections::VecDeque;

/// Something that happens at a point in simulated time.
#[derive(Debug, Clone, Copy)]
enum Event {
    /// The next new customer of an arrival stream arrives.
    Arrival(u16),
    /// A customer writes their next message.
    Writes(u64),
    /// A refused or abandoned customer tries again.
    Retry(u64, Deferred),
    /// A queued live customer runs out of patience.
    Patience(ConversationId),
    /// A timer the router asked for.
    Router(Timer),
    /// An agent finished a task.
    TaskDone(AgentId, Task),
    /// A group's headcount changes.
    Staffing(u16, u32),
    /// Operating hours open or close a queue.
    Hours(u16),
    /// The scenario's own hours change (the open-hours measures follow them; a set-up's queues have their own).
    TeamHours,
    /// An agent answers an offer: accepts, or declines (the offer's number, to ignore a stale answer).
    OfferAnswer(ConversationId, AgentId, u32, bool),
}

/// Whether a retry was already put back behind the queue's opening at the same instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Deferred {
    /// Not yet.
    No,
    /// Once: it goes ahead now, whatever the queue says.
    Once,
}

/// How a measured conversation ended, for the per-conversation output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Turned away at arrival.
    Refused,
    /// Left the queue before an agent took it.
    Abandoned,
    /// Closed, for this reason.
    Closed(EndReason),
    /// Still open when the run stopped.
    Open,
}

/// One measured conversation, for `conversations.csv`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConversationRecord {
    /// Its id.
    pub conversation: ConversationId,
    /// The customer (arrival index).
    pub customer: u64,
    /// When it arrived.
    pub arrived_at: Millis,
    /// When an agent first took it.
    pub assigned_at: Option<Millis>,
    /// Whether a recontact opened it.
    pub recontact: bool,
    /// How it ended.
    pub outcome: Outcome,
    /// When it ended (or the run stopped).
    pub ended_at: Millis,
}

/// What one run hands back.
#[derive(Debug, Clone)]
pub struct RunResult {
    /// The measurements.
    pub measured: Measured,
    /// Per-conversation records, when asked for.
    pub records: Vec<ConversationRecord>,
    /// Simulated time when the run stopped.
    pub stopped_at: Millis,
    /// Conversations still held when the run stopped, counted from the engine's and the router's state.
    pub held: Held,
    /// Set when the queue passed [`MAX_QUEUE`] and the run was stopped there.
    pub overloaded: Option<Overload>,
    /// Measurements by workstream and by queue, for a scenario with `[[workstream]]`.
    pub breakdown: Option<Breakdown>,
}

/// The most conversations the queue may hold: past it the scenario is overloaded (arrivals far beyond what the
/// agents can answer) and the run stops, before the waiting conversations exhaust the memory.
pub const MAX_QUEUE: usize = 500_000;

/// Where an overloaded run was stopped (the message spells [`MAX_QUEUE`] out as 500,000).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overload {
    /// Simulated time when the queue passed [`MAX_QUEUE`].
    pub at: Millis,
    /// Conversations in the queue then.
    pub queued: usize,
}

impl Overload {
    /// What to tell the planner: when, and how fast the queue grew.
    pub fn describe(&self) -> String {
        let hours = (self.at.as_secs_f64() / 3_600.0).max(1.0 / 60.0);
        let after = if hours < 48.0 {
            format!("{hours:.1} simulated hours")
        } else {
            format!("{:.1} simulated days", hours / 24.0)
        };
        format!(
            "the queue passed 500,000 waiting conversations after {after}: about {:.0} more conversations arrived \
             than agents took, every hour; the scenario is overloaded (add agents, or lower arrivals.rate)",
            self.queued as f64 / hours
        )
    }
}

/// Conversations still held when a run stops, counted from state rather than from outcome counters, so the
/// conservation check has an independent figure to meet.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Held {
    /// Conversations of the measured window the engine still follows.
    pub engine_in_window: u64,
    /// Of those, the ones the router still holds (queued, with an agent or parked).
    pub router_in_window: u64,
    /// Every conversation the engine still follows, warm-up included.
    pub engine: u64,
    /// Every conversation the router still holds outside wrap-up, warm-up included.
    pub router: u64,
}

/// The state of one run.
pub struct Engine<'s> {
    scenario: &'s Scenario,
    replication: u32,
    router: Router,
    plan: Plan<'s>,
    calendar: Calendar<Event>,
    /// Arrival streams, each with the trace record of its scheduled arrival when replaying.
    sources: Vec<(ArrivalSource<'s>, Option<&'s TraceRecord>)>,
    /// Arrival streams not yet exhausted.
    sources_left: usize,
    customers: HashMap<u64, Customer>,
    conversations: HashMap<ConversationId, Conversation>,
    assigned_at: HashMap<ConversationId, Millis>,
    desks: Vec<Desk>,
    on_duty: Vec<bool>,
    /// The group of each agent id.
    agent_group: Vec<u16>,
    /// Agents on duty, per group.
    online: Vec<u32>,
    working: u32,
    next_customer: u64,
    window_end: Millis,
    horizon: Millis,
    measured_open: u64,
    /// Customers of the window who have neither reached an agent nor been lost yet: the run follows them.
    customers_undecided: u64,
    collector: Collector,
    /// Measurements by workstream and queue (scenarios with `[[workstream]]` only).
    split: Option<Split>,
    /// Zero-length tasks finished at the current instant, in the order they started.
    instant: VecDeque<(AgentId, Task)>,
    /// Reusable effect buffers, one per level of nested router calls.
    buffers: Vec<Vec<Effect>>,
    records: Option<ConversationLog>,
    /// The conversation whose last reply is being delivered: it ends at once, so its idle timer is moot.
    ending: Option<ConversationId>,
    now: Millis,
}

impl<'s> Engine<'s> {
    /// Sets up replication `replication` of `policy` on `scenario`; `record` keeps per-conversation records.
    pub fn new(scenario: &'s Scenario, policy: &'s PolicySpec, replication: u32, record: bool) -> Engine<'s> {
        let window_end = scenario.warmup + scenario.duration;
        let plan = Plan::new(scenario, policy);
        let agents = plan.agent_count();
        let sources: Vec<(ArrivalSource<'s>, Option<&'s TraceRecord>)> = plan
            .sources
            .iter()
            .enumerate()
            .map(|(k, source)| {
                let rng = stream(scenario.seed, replication, k as u64, Purpose::Arrivals);
                (ArrivalSource::new(source.arrivals, scenario.origin, rng), None)
            })
            .collect();
        let split = (!plan.single).then(|| Split::new(scenario, plan.workstreams.len(), plan.hours.len()));
        Engine {
            scenario,
            replication,
            router: plan.router(scenario, policy),
            calendar: Calendar::default(),
            sources_left: sources.len(),
            sources,
            customers: HashMap::default(),
            conversations: HashMap::default(),
            assigned_at: HashMap::default(),
            desks: (0..agents).map(|_| Desk::default()).collect(),
            on_duty: vec![false; agents],
            agent_group: plan.agent_groups(),
            online: vec![0; plan.groups.len()],
            working: 0,
            next_customer: 1,
            window_end,
            horizon: window_end + scenario.drain,
            measured_open: 0,
            customers_undecided: 0,
            collector: Collector::new(
                scenario.warmup,
                scenario.duration,
                scenario.interval,
                scenario.service_level,
                scenario.hours.clone(),
            ),
            split,
            plan,
            instant: VecDeque::new(),
            buffers: Vec::new(),
            records: record.then(ConversationLog::keep),
            ending: None,
            now: Millis::ZERO,
        }
    }

    /// Sends the per-conversation records to `log` (for example a file) instead of keeping them.
    pub fn with_records(mut self, log: ConversationLog) -> Engine<'s> {
        self.records = Some(log);
        self
    }

    /// Runs to the end: the window is over and every measured conversation has finished, or the drain ran out.
    pub fn run(mut self) -> RunResult {
        for (g, group) in self.plan.groups.iter().enumerate() {
            for (at, headcount) in group.agents.staffing.steps(self.scenario.origin, self.horizon) {
                self.calendar.schedule(at, Event::Staffing(g as u16, headcount));
            }
        }
        for (q, hours) in self.plan.hours.iter().enumerate() {
            if let Some(at) = hours.next_change(Millis::ZERO) {
                self.calendar.schedule(at, Event::Hours(q as u16));
            }
        }
        if !self.plan.single
            && let Some(at) = self.scenario.hours.next_change(Millis::ZERO)
        {
            self.calendar.schedule(at, Event::TeamHours);
        }
        for k in 0..self.sources.len() {
            self.schedule_next_arrival(k);
        }
        let mut overloaded = None;
        while let Some((at, event)) = self.calendar.pop() {
            if at > self.horizon {
                break;
            }
            self.collector.advance(at);
            self.now = at;
            self.handle(event);
            while let Some((agent, task)) = self.instant.pop_front() {
                self.task_done(agent, task);
            }
            let levels = self.levels();
            self.collector.set_levels(levels);
            if let Some(split) = &mut self.split {
                let router = &self.router;
                split.update_touched(
                    self.now,
                    |w| {
                        let l = router.workstream_load(WorkstreamId(w as u16));
                        Levels {
                            queue: l.open as f64,
                            active: l.active as f64,
                            waiting: l.waiting as f64,
                            capacity_used: l.capacity_used as f64,
                            ..Levels::default()
                        }
                    },
                    |q| router.queue_waiting(QueueId(q as u16)) as f64,
                );
            }
            if self.router.queue_len() > MAX_QUEUE {
                overloaded = Some(Overload { at: self.now, queued: self.router.queue_len() });
                break;
            }
            if self.sources_left == 0
                && self.measured_open == 0
                && self.customers_undecided == 0
                && self.now >= self.window_end
            {
                break;
            }
        }
        let stopped_at = self.now.max(self.window_end);
        // A window customer who had not reached an agent when the run stopped (a retry still to come, or a
        // conversation still waiting in the queue at the end of the drain) never did: lost, not quietly dropped.
        let lost: Vec<u16> =
            self.customers.values().filter(|c| c.measured && !c.reached).map(|c| c.workstream).collect();
        for w in lost {
            self.collector.customer_lost();
            if let Some(split) = &mut self.split {
                split.workstreams[w as usize].collector.customer_lost();
            }
        }
        let mut records = self.records.take().unwrap_or_default();
        for (&id, c) in &self.conversations {
            if self.collector.in_window(c.arrived_at) {
                records.finished(ConversationRecord {
                    conversation: id,
                    customer: c.customer,
                    arrived_at: c.arrived_at,
                    assigned_at: self.assigned_at.get(&id).copied(),
                    recontact: c.recontact,
                    outcome: Outcome::Open,
                    ended_at: stopped_at,
                });
            }
        }
        let records = records.into_records();
        let held = self.held();
        let breakdown = self.split.take().map(|split| {
            let (mut by_workstream, mut by_queue) = (vec![0; split.workstreams.len()], vec![0; split.queues.len()]);
            for c in self.conversations.values().filter(|c| self.collector.in_window(c.arrived_at)) {
                by_workstream[c.workstream as usize] += 1;
            }
            for c in self.conversations.values().filter(|c| self.collector.in_window(c.entered_at)) {
                by_queue[c.queue as usize] += 1;
            }
            split.finish(stopped_at, &by_workstream, &by_queue)
        });
        let measured = self.collector.finish(stopped_at, self.measured_open);
        RunResult { measured, records, stopped_at, held, overloaded, breakdown }
    }

    fn levels(&self) -> Levels {
        let load = self.router.load();
        Levels {
            queue: load.open as f64,
            active: load.active as f64,
            waiting: load.waiting as f64,
            agents_online: f64::from(load.agents_online),
            agents_working: f64::from(self.working),
            capacity_online: load.capacity_online as f64,
            capacity_used: load.capacity_used as f64,
            capacity_reclaimed: load.capacity_reclaimed as f64,
        }
    }

    fn handle(&mut self, event: Event) {
        match event {
            Event::Arrival(k) => self.arrival(k as usize),
            Event::Writes(customer) => self.customer_writes(customer),
            Event::Retry(customer, deferred) => self.retry(customer, deferred),
            Event::Patience(conversation) => {
                if self.router.conversation(conversation).is_some_and(|c| c.state == State::Open) {
                    self.input(Input::CustomerLeft { conversation });
                }
            }
            Event::Router(timer) => self.input(Input::TimerFired(timer)),
            Event::TaskDone(agent, task) => self.task_done(agent, task),
            Event::Staffing(group, headcount) => self.staff(group as usize, headcount),
            Event::Hours(q) => {
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
            Event::TeamHours => {
                let open = self.scenario.hours.is_open(self.now);
                self.collector.queue_open_since(open.then_some(self.now));
                if let Some(split) = &mut self.split {
                    for p in split.workstreams.iter_mut().chain(split.queues.iter_mut()) {
                        p.collector.queue_open_since(open.then_some(self.now));
                    }
                }
                if let Some(at) = self.scenario.hours.next_change(self.now) {
                    self.calendar.schedule(at, Event::TeamHours);
                }
            }
            Event::OfferAnswer(conversation, agent, number, accept) => {
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
        }
    }

    /// Feeds one input to the router and acts on what it decided.
    fn input(&mut self, input: Input) {
        // Acting on effects can feed the router again (a freed agent takes the next task), so buffers nest.
        let mut effects = self.buffers.pop().unwrap_or_default();
        self.router.handle(self.now, input, &mut effects).expect("the engine only sends valid inputs");
        if let Some(split) = &mut self.split {
            // Only the parts of the conversations concerned can have changed (a timer's conversation included:
            // a wrap-up's hold ends without an effect).
            let timer = match input {
                Input::TimerFired(timer) => Some(timer.conversation()),
                _ => None,
            };
            for id in timer.into_iter().chain(effects.iter().filter_map(Effect::conversation)) {
                if let Some(c) = self.conversations.get(&id) {
                    split.touch(c.workstream, c.queue);
                }
            }
            for effect in &effects {
                if let Effect::Transferred { to, .. } = effect {
                    split.touch_queue(to.0);
                }
            }
        }
        for &effect in &effects {
            self.apply(effect);
        }
        effects.clear();
        self.buffers.push(effects);
    }

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

    /// A conversation left the queue without an agent (the customer left, or an overflow rule ended it).
    fn abandoned(&mut self, conversation: ConversationId) {
        let c = &self.conversations[&conversation];
        self.collector.abandoned(c.arrived_at, self.now);
        if let Some(split) = &mut self.split {
            split.workstreams[c.workstream as usize].collector.abandoned(c.arrived_at, self.now);
            split.queues[c.queue as usize].collector.abandoned(c.entered_at, self.now);
        }
    }

    /// Counts a routing event on a window conversation's workstream and current queue.
    fn count(&mut self, conversation: ConversationId, change: impl Fn(&mut super::observe::RoutingCounts)) {
        let Some(split) = &mut self.split else { return };
        let c = &self.conversations[&conversation];
        if self.collector.in_window(c.arrived_at) {
            change(&mut split.workstreams[c.workstream as usize].counts);
            change(&mut split.queues[c.queue as usize].counts);
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

    /// The customer's conversation ended before their need was met; their next message opens a new one.
    fn cut_off(&mut self, conversation: ConversationId) {
        if let Some(customer) = self.customers.get_mut(&customer_of(conversation))
            && customer.conversation == conversation
        {
            customer.cut_off = true;
        }
    }

    /// The conversations still held, from the engine's map and the router's own state.
    fn held(&self) -> Held {
        let in_window = || self.conversations.iter().filter(|(_, c)| self.collector.in_window(c.arrived_at));
        let load = self.router.load();
        Held {
            engine_in_window: in_window().count() as u64,
            router_in_window: in_window().filter(|&(&id, _)| self.router.conversation(id).is_some()).count() as u64,
            engine: self.conversations.len() as u64,
            router: (load.open + load.active + load.waiting) as u64,
        }
    }

    /// A conversation reached its outcome: forget it, and its customer if they have nothing more to say.
    fn finish(&mut self, conversation: ConversationId, outcome: Outcome) {
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
    fn retry(&mut self, index: u64, deferred: Deferred) {
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

    fn schedule_next_arrival(&mut self, k: usize) {
        let source = &mut self.sources[k];
        match source.0.next(self.window_end) {
            Some(arrival) => {
                source.1 = arrival.record;
                self.calendar.schedule(arrival.at, Event::Arrival(k as u16));
            }
            None => self.sources_left -= 1,
        }
    }

    fn arrival(&mut self, k: usize) {
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
        let (workstream, needs) = self.entry(k, index);
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

    /// The workstream a new customer of arrival stream `k` enters and the skill they need, each drawn from the
    /// customer's own stream (so every policy faces the same customers, whatever its shares).
    fn entry(&self, k: usize, index: u64) -> (u16, Skills) {
        if self.plan.single {
            return (0, Skills::NONE);
        }
        let (seed, rep) = (self.scenario.seed, self.replication);
        let workstream = match self.plan.sources[k].workstream {
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

    fn customer_writes(&mut self, index: u64) {
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

    /// A draw for one conversation from its own stream (none needed for a constant).
    fn draw(&self, dist: &Dist, conversation: ConversationId, purpose: Purpose) -> Millis {
        match dist {
            Dist::Constant { value } => *value,
            _ => dist.sample(&mut stream(self.scenario.seed, self.replication, conversation.0, purpose)),
        }
    }

    /// Puts a task on an agent's desk, starting it if the agent is free.
    fn give(&mut self, agent: AgentId, task: Task) {
        match self.agents_of(agent).attention {
            Attention::Parallel => self.start(agent, task),
            Attention::Single => {
                let desk = &mut self.desks[agent.0 as usize];
                if desk.in_progress == 0 && desk.waiting.is_empty() {
                    // A task just given to an idle desk is wanted by construction: start it straight away.
                    self.start(agent, task);
                } else {
                    desk.waiting.push_back(task);
                    if desk.in_progress == 0 {
                        self.start_next(agent);
                    }
                }
            }
        }
    }

    /// Starts the next still-wanted task on a single-attention desk.
    fn start_next(&mut self, agent: AgentId) {
        while let Some(task) = self.desks[agent.0 as usize].waiting.pop_front() {
            if self.wanted(agent, task) {
                self.start(agent, task);
                return;
            }
        }
    }

    /// Whether a task still needs doing: replies go stale when the conversation moved on.
    fn wanted(&self, agent: AgentId, task: Task) -> bool {
        match task {
            Task::Reply { conversation, token } => {
                self.conversations.get(&conversation).is_some_and(|c| c.reply_token == token)
                    && self
                        .router
                        .conversation(conversation)
                        .is_some_and(|v| v.state == State::Active && v.agent == Some(agent) && v.awaiting_agent)
            }
            Task::WrapUp { .. } => true,
        }
    }

    fn start(&mut self, agent: AgentId, task: Task) {
        let agents = self.agents_of(agent);
        let duration = match task {
            Task::Reply { conversation, .. } => {
                let replied = self.conversations[&conversation].replied;
                let load = self.router.agent(agent).map_or(1, |a| a.active.max(1));
                let customer = self.customers.get_mut(&customer_of(conversation));
                match customer {
                    // A recorded handle time is the first reply of the recorded conversation, not of later recontacts.
                    Some(c)
                        if !replied
                            && c.first_reply_time.is_some()
                            && conversation.0 % CONVERSATIONS_PER_CUSTOMER == 0 =>
                    {
                        c.first_reply_time.expect("checked")
                    }
                    Some(c) => {
                        let base = agents.reply.sample(&mut c.work);
                        let factor = agents.slowdown.get(load - 1).or(agents.slowdown.last()).copied().unwrap_or(1.0);
                        Millis((base.0 as f64 * factor).round() as u64)
                    }
                    None => agents.reply.mean(),
                }
            }
            Task::WrapUp { conversation } => self.draw(&agents.wrap_up, conversation, Purpose::WrapUp),
        };
        let desk = &mut self.desks[agent.0 as usize];
        desk.in_progress += 1;
        if matches!(task, Task::Reply { .. }) {
            desk.writing.push(task);
        }
        self.recount(agent);
        if duration == Millis::ZERO {
            // Nothing to wait for (a zero wrap-up, say): finish it once the current event is handled, without a
            // round trip through the calendar and without recursing (a chain of them could be long).
            self.instant.push_back((agent, task));
        } else {
            self.calendar.schedule(self.now + duration, Event::TaskDone(agent, task));
        }
    }

    /// Keeps `working` = agents online with a task in progress. An agent signing out stays online until the
    /// reply they are writing is sent; other work finishing after they went offline (a queued reply to a
    /// conversation parked at sign-out, a wrap-up) is not counted.
    fn recount(&mut self, agent: AgentId) {
        let online = self.router.agent(agent).is_some_and(|a| a.presence != Presence::Offline);
        let desk = &mut self.desks[agent.0 as usize];
        let busy = online && desk.in_progress > 0;
        if busy != desk.counted {
            desk.counted = busy;
            if busy {
                self.working += 1;
            } else {
                self.working -= 1;
            }
        }
    }

    fn task_done(&mut self, agent: AgentId, task: Task) {
        let desk = &mut self.desks[agent.0 as usize];
        desk.in_progress -= 1;
        if let Some(i) = desk.writing.iter().position(|&t| t == task) {
            desk.writing.swap_remove(i);
        }
        self.recount(agent);
        match task {
            Task::Reply { conversation, .. } => {
                if self.wanted(agent, task) {
                    self.deliver_reply(agent, conversation);
                }
            }
            Task::WrapUp { conversation } => self.input(Input::WrapUpDone { conversation }),
        }
        if self.agents_of(agent).attention == Attention::Single && self.desks[agent.0 as usize].in_progress == 0 {
            self.start_next(agent);
        }
    }

    /// The agent's reply reaches the customer, who then writes again, comes back later, or is done.
    fn deliver_reply(&mut self, agent: AgentId, conversation: ConversationId) {
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

    /// Signs a group's agents in or out to reach `headcount`: lowest ids come first, highest ids leave first.
    fn staff(&mut self, group: usize, headcount: u32) {
        let plan = &self.plan.groups[group];
        let (capacity, first, last) = (plan.agents.capacity, plan.first as usize, (plan.first + plan.size) as usize);
        let mut id = first;
        while self.online[group] < headcount && id < last {
            if !self.on_duty[id] {
                self.on_duty[id] = true;
                self.online[group] += 1;
                let agent = AgentId(id as u32);
                self.input(Input::AgentSignedIn { agent, group: GroupId(group as u16), capacity });
                self.recount(agent);
            }
            id += 1;
        }
        let mut id = last;
        while self.online[group] > headcount && id > first {
            id -= 1;
            if self.on_duty[id] {
                self.on_duty[id] = false;
                self.online[group] -= 1;
                let agent = AgentId(id as u32);
                // Persistent: the agent sends the reply they are writing, then goes; the rest park now.
                if self.plan.any_persistent {
                    for i in 0..self.desks[id].writing.len() {
                        let task = self.desks[id].writing[i];
                        if let Task::Reply { conversation, .. } = task
                            && self.wanted(agent, task)
                        {
                            self.input(Input::AgentWriting { conversation });
                        }
                    }
                }
                self.input(Input::AgentSignedOut { agent });
            }
        }
    }

    /// The settings of an agent's group.
    fn agents_of(&self, agent: AgentId) -> &'s Agents {
        self.plan.groups[self.agent_group[agent.0 as usize] as usize].agents
    }
}

/// The start of the queue's next opening after `now`: the coming one if it is closed, otherwise the one after
/// the current opening ends; `None` for a queue that never closes.
fn next_opening(hours: &crate::hours::OperatingHours, now: Millis) -> Option<Millis> {
    let change = hours.next_change(now)?;
    if hours.is_open(now) { hours.next_change(change) } else { Some(change) }
}
