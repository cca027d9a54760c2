//! One simulated run: one policy, one replication, driven event by event through the routing core.
//!
//! The engine owns the clock and the event calendar. Every event is handled at its instant, in (time,
//! sequence) order: a customer arrives or writes, an agent finishes a task, a router timer fires, a roster or
//! opening-hours step comes. Handling one turns it into router inputs; the router's effects become scheduled
//! work and timers. The engine never decides routing itself: every assignment, park and close comes from
//! [`Router`]. After each instant the levels (queue, agents working, capacity) are measured.
//!
//! The run is split by job, each file an `impl Engine` block over the state declared here:
//! - this file: the state, its construction, the event loop and the dispatch of each event;
//! - [`super::adapter`]: feeding the router and acting on its effects (assignments, closes, timers, offers,
//!   queues opening and closing);
//! - [`super::customers`]: customers arriving, opening conversations, writing, retrying and finishing;
//! - [`super::desks`]: agents' tasks (replies and wrap-ups), how long they take and the agent's attention;
//! - [`super::roster`]: signing agents in and out, group by group, as the rosters say;
//! - [`super::observe`]: measuring the team and, for a routing set-up, each workstream and queue.
//!
//! [`Router`]: crate::routing::Router

use super::arrivals::ArrivalSource;
use super::clock::Calendar;
use super::observe::Split;
use super::plan::Plan;
use super::seeds::{Purpose, stream};
use super::world::{Conversation, Customer, Desk, Task};
use crate::metrics::collector::Collector;
use crate::metrics::records::ConversationLog;
use crate::metrics::run::{Overload, RunResult};
use crate::routing::{AgentId, ConversationId, Effect, Input, Millis, Router, Timer};
use crate::scenario::{PolicySpec, Scenario, TraceRecord};
use rustc_hash::FxHashMap as HashMap;
use std::collections::VecDeque;

/// Something that happens at a point in simulated time.
#[derive(Debug, Clone, Copy)]
pub(super) enum Event {
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
pub(super) enum Deferred {
    /// Not yet.
    No,
    /// Once: it goes ahead now, whatever the queue says.
    Once,
}

/// The most conversations the queue may hold: past it the scenario is overloaded (arrivals far beyond what the
/// agents can answer) and the run stops, before the waiting conversations exhaust the memory.
pub const MAX_QUEUE: usize = 500_000;

/// The state of one run.
pub struct Engine<'s> {
    pub(super) scenario: &'s Scenario,
    pub(super) replication: u32,
    pub(super) router: Router,
    pub(super) plan: Plan<'s>,
    pub(super) calendar: Calendar<Event>,
    /// Arrival streams, each with the trace record of its scheduled arrival when replaying.
    pub(super) sources: Vec<(ArrivalSource<'s>, Option<&'s TraceRecord>)>,
    /// Arrival streams not yet exhausted.
    pub(super) sources_left: usize,
    pub(super) customers: HashMap<u64, Customer>,
    pub(super) conversations: HashMap<ConversationId, Conversation>,
    pub(super) assigned_at: HashMap<ConversationId, Millis>,
    pub(super) desks: Vec<Desk>,
    pub(super) on_duty: Vec<bool>,
    /// The group of each agent id.
    pub(super) agent_group: Vec<u16>,
    /// Agents on duty, per group.
    pub(super) online: Vec<u32>,
    pub(super) working: u32,
    pub(super) next_customer: u64,
    pub(super) window_end: Millis,
    pub(super) horizon: Millis,
    pub(super) measured_open: u64,
    /// Customers of the window who have neither reached an agent nor been lost yet: the run follows them.
    pub(super) customers_undecided: u64,
    pub(super) collector: Collector,
    /// Measurements by workstream and queue (scenarios with `[[workstream]]` only).
    pub(super) split: Option<Split>,
    /// Zero-length tasks finished at the current instant, in the order they started.
    pub(super) instant: VecDeque<(AgentId, Task)>,
    /// Reusable effect buffers, one per level of nested router calls.
    pub(super) buffers: Vec<Vec<Effect>>,
    pub(super) records: Option<ConversationLog>,
    /// Where the router's inputs and decisions are written, with `--record-routing`.
    pub(super) recorder: Option<std::sync::Arc<std::sync::Mutex<super::recorder::Recorder>>>,
    /// The conversation whose last reply is being delivered: it ends at once, so its idle timer is moot.
    pub(super) ending: Option<ConversationId>,
    pub(super) now: Millis,
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
            recorder: None,
            ending: None,
            now: Millis::ZERO,
        }
    }

    /// Sends the per-conversation records to `log` (for example a file) instead of keeping them.
    pub fn with_records(mut self, log: ConversationLog) -> Engine<'s> {
        self.records = Some(log);
        self
    }

    /// Writes every router input and decision to `recorder` as it happens (`--record-routing`).
    pub fn with_recorder(
        mut self,
        recorder: std::sync::Arc<std::sync::Mutex<super::recorder::Recorder>>,
    ) -> Engine<'s> {
        self.recorder = Some(recorder);
        self
    }

    /// Runs to the end: the window is over and every measured conversation has finished, or the drain ran out.
    pub fn run(mut self) -> RunResult {
        self.schedule_start();
        let mut overloaded = None;
        while let Some((at, event)) = self.calendar.pop() {
            if at > self.horizon {
                break;
            }
            self.advance(at);
            self.now = at;
            self.handle(event);
            while let Some((agent, task)) = self.instant.pop_front() {
                self.task_done(agent, task);
            }
            self.measure_levels();
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
        self.results(overloaded)
    }

    /// Schedules what is known before the first event: every roster step, every queue's first change of hours
    /// (and the team's, for a set-up) and each arrival stream's first customer.
    fn schedule_start(&mut self) {
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
    }

    /// Hands one event to the part of the engine whose job it is.
    fn handle(&mut self, event: Event) {
        match event {
            Event::Arrival(k) => self.arrival(k as usize),
            Event::Writes(customer) => self.customer_writes(customer),
            Event::Retry(customer, deferred) => self.retry(customer, deferred),
            Event::Patience(conversation) => self.patience_ran_out(conversation),
            Event::Router(timer) => self.input(Input::TimerFired(timer)),
            Event::TaskDone(agent, task) => self.task_done(agent, task),
            Event::Staffing(group, headcount) => self.staff(group as usize, headcount),
            Event::Hours(q) => self.queue_hours(q),
            Event::TeamHours => self.team_hours(),
            Event::OfferAnswer(conversation, agent, number, accept) => {
                self.offer_answered(conversation, agent, number, accept)
            }
        }
    }
}
