//! Measuring a run: the team's levels after every instant, its outcomes as they happen, and, for a routing
//! set-up, the same by workstream and by queue.
//!
//! The team's [`Collector`] is advanced to each event's time before the event is handled (so levels are
//! time-weighted over the span they held) and given the new levels once the instant's events are done: queue,
//! active and parked conversations, agents online and working, capacity online, used and reclaimed. When the run
//! stops, window customers who never reached an agent are counted lost and open conversations recorded as
//! open, and the collectors close at the stopping time; what they hand back is [`RunResult`], with the metrics.
//!
//! With several workstreams, each workstream and each queue has its own [`Collector`], fed the same events as
//! the team's, so every figure means what it means in `summary.csv`, restricted to its part:
//! - a workstream's conversations are those its customers opened; its levels are its own conversations
//!   (queued, active, parked, and the capacity they hold); agents are the team's, shared, so a part has no
//!   agent levels of its own;
//! - a queue sees a conversation from the moment it enters the queue (on arrival, or transferred in) until it
//!   leaves it: assigned or abandoned there, or transferred out (which counts as closed for that queue); its
//!   waits are waits in that queue. So a queue's `conversations` counts every conversation routed to it.
//!
//! Routing counts come with each part: overflow rules applied, transfers in and out, offers made and declined.

use super::engine::{Engine, Event};
use crate::metrics::collector::{Collector, Levels};
use crate::metrics::run::{
    Breakdown, ConversationRecord, Held, Outcome, Overload, PartResult, RoutingCounts, RunResult,
};
use crate::routing::{ConversationId, Millis, QueueId, WorkstreamId};
use crate::scenario::Scenario;

/// A part being measured.
pub(super) struct Part {
    pub collector: Collector,
    pub counts: RoutingCounts,
    /// Touched by the current event: its levels may have changed.
    touched: bool,
}

impl Part {
    /// Integrates the old levels up to `now` and takes the new ones, if they changed.
    fn update(&mut self, now: Millis, levels: Levels) {
        if levels != self.collector.levels() {
            self.collector.advance(now);
            self.collector.set_levels(levels);
        }
    }
}

/// The collectors of every workstream and queue of a run.
pub(super) struct Split {
    pub workstreams: Vec<Part>,
    pub queues: Vec<Part>,
    touched_workstreams: Vec<u16>,
    touched_queues: Vec<u16>,
}

impl Split {
    /// Collectors for `workstreams` workstreams and `queues` queues, over the scenario's window in one interval.
    pub fn new(scenario: &Scenario, workstreams: usize, queues: usize) -> Split {
        let part = || Part {
            collector: Collector::new(
                scenario.warmup,
                scenario.duration,
                scenario.duration,
                scenario.service_level,
                scenario.hours.clone(),
            ),
            counts: RoutingCounts::default(),
            touched: false,
        };
        Split {
            workstreams: (0..workstreams).map(|_| part()).collect(),
            queues: (0..queues).map(|_| part()).collect(),
            touched_workstreams: Vec::new(),
            touched_queues: Vec::new(),
        }
    }

    /// Marks a conversation's workstream and queue as possibly changed by the current event.
    pub fn touch(&mut self, workstream: u16, queue: u16) {
        if !std::mem::replace(&mut self.workstreams[workstream as usize].touched, true) {
            self.touched_workstreams.push(workstream);
        }
        self.touch_queue(queue);
    }

    /// Marks a queue as possibly changed by the current event.
    pub fn touch_queue(&mut self, queue: u16) {
        if !std::mem::replace(&mut self.queues[queue as usize].touched, true) {
            self.touched_queues.push(queue);
        }
    }

    /// Sets the levels (their own conversations) of the parts the event touched, at `now`. A part's collector
    /// integrates only when its levels change, so an event costs nothing for the parts it did not touch.
    pub fn update_touched(&mut self, now: Millis, workstream: impl Fn(usize) -> Levels, queue: impl Fn(usize) -> f64) {
        for w in self.touched_workstreams.drain(..) {
            let p = &mut self.workstreams[w as usize];
            p.touched = false;
            p.update(now, workstream(w as usize));
        }
        for q in self.touched_queues.drain(..) {
            let p = &mut self.queues[q as usize];
            p.touched = false;
            p.update(now, Levels { queue: queue(q as usize), ..Levels::default() });
        }
    }

    /// The results, once the run has stopped; `still_open` per workstream and per queue.
    pub fn finish(self, stopped_at: Millis, workstreams_open: &[u64], queues_open: &[u64]) -> Breakdown {
        let done = |parts: Vec<Part>, open: &[u64]| {
            parts
                .into_iter()
                .zip(open)
                .map(|(p, &o)| PartResult { measured: p.collector.finish(stopped_at, o), counts: p.counts })
                .collect()
        };
        Breakdown { workstreams: done(self.workstreams, workstreams_open), queues: done(self.queues, queues_open) }
    }
}

impl Engine<'_> {
    /// Brings the team's collector to `at`, before the event there changes the levels (the parts' collectors
    /// catch up when their own levels change).
    pub(super) fn advance(&mut self, at: Millis) {
        self.collector.advance(at);
    }

    /// Measures the levels the instant's events left: the team's, and each workstream's and queue's.
    pub(super) fn measure_levels(&mut self) {
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
    }

    /// The team's levels now, from the router's load and the desks' count of agents working.
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

    /// The scenario's own hours change (a set-up's queues keep their own): the open-hours measures follow them.
    pub(super) fn team_hours(&mut self) {
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

    /// A conversation left the queue without an agent (the customer left, or an overflow rule ended it).
    pub(super) fn abandoned(&mut self, conversation: ConversationId) {
        let c = &self.conversations[&conversation];
        self.collector.abandoned(c.arrived_at, self.now);
        if let Some(split) = &mut self.split {
            split.workstreams[c.workstream as usize].collector.abandoned(c.arrived_at, self.now);
            split.queues[c.queue as usize].collector.abandoned(c.entered_at, self.now);
        }
    }

    /// Counts a routing event on a window conversation's workstream and current queue.
    pub(super) fn count(&mut self, conversation: ConversationId, change: impl Fn(&mut RoutingCounts)) {
        let Some(split) = &mut self.split else { return };
        let c = &self.conversations[&conversation];
        if self.collector.in_window(c.arrived_at) {
            change(&mut split.workstreams[c.workstream as usize].counts);
            change(&mut split.queues[c.queue as usize].counts);
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

    /// What the run hands back once it has stopped: window customers who never reached an agent are lost,
    /// conversations still open are recorded as open, and every collector is closed at the stopping time.
    pub(super) fn results(mut self, overloaded: Option<Overload>) -> RunResult {
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
}
