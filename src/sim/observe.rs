//! Measuring a run by workstream and by queue, besides the team's totals.
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

use crate::metrics::collector::{Collector, Levels, Measured};
use crate::routing::Millis;
use crate::scenario::Scenario;

/// What the routing did to a part's conversations (window conversations only).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RoutingCounts {
    /// Overflow rules applied (end, transfer or assign anyway).
    pub overflowed: u64,
    /// Conversations transferred in from another queue.
    pub transferred_in: u64,
    /// Conversations transferred out to another queue.
    pub transferred_out: u64,
    /// Offers made to agents.
    pub offers: u64,
    /// Offers declined (or timed out).
    pub declines: u64,
}

/// One workstream's or one queue's measurements.
#[derive(Debug, Clone)]
pub struct PartResult {
    /// The measurements, as the team's.
    pub measured: Measured,
    /// What the routing did.
    pub counts: RoutingCounts,
}

/// A run's measurements by workstream and by queue, in id order.
#[derive(Debug, Clone, Default)]
pub struct Breakdown {
    /// By workstream.
    pub workstreams: Vec<PartResult>,
    /// By queue.
    pub queues: Vec<PartResult>,
}

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
