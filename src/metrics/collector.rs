//! What one simulated run measures, as it happens, in memory that does not grow with history.
//!
//! Two kinds of measurement:
//! - **levels** (queue length, capacity in use, agents online...) are integrated over time inside the measured
//!   window, per interval and in total, giving time averages;
//! - **outcomes** of the measured population (conversations that arrive inside the window, followed to their
//!   end even after it) are counted, and their latencies go into bounded-error histograms.
//!
//! Interval rows keep a few numbers each for the whole window; responses for an interval's 90th percentile are
//! held only until that interval ends.

use super::Histogram;
use crate::hours::OperatingHours;
use crate::routing::Millis;

/// Quantities whose time average is reported.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Levels {
    /// Conversations waiting for an agent.
    pub queue: f64,
    /// Conversations with an agent.
    pub active: f64,
    /// Conversations parked in the waiting stage.
    pub waiting: f64,
    /// Agents signed in.
    pub agents_online: f64,
    /// Agents writing a reply or wrapping up.
    pub agents_working: f64,
    /// Capacity units of agents signed in.
    pub capacity_online: f64,
    /// Capacity units held by conversations.
    pub capacity_used: f64,
    /// Capacity units released by parking, while their agent is signed in.
    pub capacity_reclaimed: f64,
}

impl Levels {
    /// Adds `other x weight` to every field.
    fn add_scaled(&mut self, other: &Levels, weight: f64) {
        self.queue += other.queue * weight;
        self.active += other.active * weight;
        self.waiting += other.waiting * weight;
        self.agents_online += other.agents_online * weight;
        self.agents_working += other.agents_working * weight;
        self.capacity_online += other.capacity_online * weight;
        self.capacity_used += other.capacity_used * weight;
        self.capacity_reclaimed += other.capacity_reclaimed * weight;
    }
}

/// One interval of the measured window.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IntervalRow {
    /// Its start, in simulation time.
    pub start: Millis,
    /// Conversations that arrived in it (including refused ones).
    pub arrivals: u64,
    /// Conversations given to an agent in it.
    pub assigned: u64,
    /// Conversations abandoned in it.
    pub abandoned: u64,
    /// Conversations refused in it.
    pub refused: u64,
    /// Time averages of the levels over it.
    pub means: Levels,
    /// 90th percentile of the responses delivered in it, in seconds.
    pub response_p90_s: Option<f64>,
    /// Offered conversations that arrived in it.
    offered: u64,
    /// Of those, assigned within the service-level threshold.
    within_threshold: u64,
}

impl IntervalRow {
    /// Share of the offered conversations arriving in it that were assigned within the threshold.
    pub fn service_level(&self) -> Option<f64> {
        (self.offered > 0).then(|| self.within_threshold as f64 / self.offered as f64)
    }

    /// Agents' working time over their signed-in time in it.
    pub fn occupancy(&self) -> Option<f64> {
        (self.means.agents_online > 0.0).then(|| self.means.agents_working / self.means.agents_online)
    }
}

/// Everything one replication of one policy measured.
#[derive(Debug, Clone)]
pub struct Measured {
    /// Length of the measured window.
    pub window: Millis,
    /// Time integrals of the levels over the window, in unit-milliseconds.
    pub integrals: Levels,
    /// Interval rows, in time order.
    pub intervals: Vec<IntervalRow>,
    /// Conversations that arrived in the window.
    pub conversations: u64,
    /// Of those, refused at arrival.
    pub refused: u64,
    /// Offered conversations that left before being assigned.
    pub abandoned: u64,
    /// Offered conversations assigned at the instant they arrived.
    pub assigned_on_arrival: u64,
    /// Offered conversations assigned within the service-level threshold.
    pub within_threshold: u64,
    /// Offered conversations assigned within the threshold counting only time the queue was open.
    pub within_threshold_open: u64,
    /// Sum of queue waits (to assignment or abandonment), in milliseconds.
    pub queue_wait_total: u128,
    /// How many queue waits were summed.
    pub queue_waits: u64,
    /// Offered conversations closed by the end of the run.
    pub closed: u64,
    /// Conversations opened by customers whose earlier conversation ended before their need was met.
    pub recontacts: u64,
    /// Sessions after a conversation's first.
    pub later_sessions: u64,
    /// Of those, answered by the same agent as the session before.
    pub same_agent_sessions: u64,
    /// Measured conversations still open when the run stopped.
    pub still_open: u64,
    /// Distinct customers whose first contact arrived in the window.
    pub customers: u64,
    /// Of those, customers who never reached an agent: refused or abandoned with no later successful try.
    pub customers_lost: u64,
    /// Arrival to the first agent reply.
    pub first_response: Histogram,
    /// Arrival to the first agent reply, counting only time the queue was open.
    pub first_response_open: Histogram,
    /// Every answered customer message to the agent's reply.
    pub response: Histogram,
}

/// Collects measurements during one run.
#[derive(Debug)]
pub struct Collector {
    window_start: Millis,
    window_end: Millis,
    interval: Millis,
    threshold: Millis,
    levels: Levels,
    last: Millis,
    /// The next instant [`Collector::advance`] must stop at (cached [`Collector::next_boundary`]).
    boundary: Millis,
    current: usize,
    interval_sums: Levels,
    interval_responses: Vec<u64>,
    hours: OperatingHours,
    /// When the queue's current opening began, or `None` while it is closed.
    open_since: Option<Millis>,
    measured: Measured,
}

impl Collector {
    /// A collector for the window `[start, start + length)` cut into intervals of `interval`; `hours` serve the
    /// measures that count only time the queue is open.
    pub fn new(start: Millis, length: Millis, interval: Millis, threshold: Millis, hours: OperatingHours) -> Collector {
        let count = length.0.div_ceil(interval.0.max(1)) as usize;
        let intervals = (0..count)
            .map(|i| IntervalRow { start: start + Millis(i as u64 * interval.0), ..IntervalRow::default() })
            .collect();
        Collector {
            window_start: start,
            window_end: start + length,
            interval,
            threshold,
            levels: Levels::default(),
            last: Millis::ZERO,
            boundary: if start > Millis::ZERO { start } else { Millis(interval.0.min(length.0)) },
            current: 0,
            interval_sums: Levels::default(),
            interval_responses: Vec::new(),
            open_since: hours.is_open(Millis::ZERO).then_some(Millis::ZERO),
            hours,
            measured: Measured {
                window: length,
                integrals: Levels::default(),
                intervals,
                conversations: 0,
                refused: 0,
                abandoned: 0,
                assigned_on_arrival: 0,
                within_threshold: 0,
                within_threshold_open: 0,
                queue_wait_total: 0,
                queue_waits: 0,
                closed: 0,
                recontacts: 0,
                later_sessions: 0,
                same_agent_sessions: 0,
                still_open: 0,
                customers: 0,
                customers_lost: 0,
                first_response: Histogram::new(),
                first_response_open: Histogram::new(),
                response: Histogram::new(),
            },
        }
    }

    /// Whether a conversation arriving at `t` belongs to the measured population.
    pub fn in_window(&self, t: Millis) -> bool {
        self.window_start <= t && t < self.window_end
    }

    /// The interval holding `t`, if inside the window.
    fn interval_of(&self, t: Millis) -> Option<usize> {
        self.in_window(t).then(|| ((t.0 - self.window_start.0) / self.interval.0) as usize)
    }

    /// Integrates the current levels up to `now`, closing intervals on the way.
    pub fn advance(&mut self, now: Millis) {
        while self.last < now {
            let until = now.min(self.boundary);
            if self.in_window(self.last) {
                self.interval_sums.add_scaled(&self.levels, (until.0 - self.last.0) as f64);
            }
            self.last = until;
            if until == self.boundary {
                if until > self.window_start {
                    self.close_interval(until);
                }
                self.boundary = self.next_boundary();
            }
        }
    }

    /// Where the integration must stop next: the window's start, the end of the current interval, or never.
    fn next_boundary(&self) -> Millis {
        if self.last < self.window_start {
            self.window_start
        } else if self.current < self.measured.intervals.len() {
            (self.window_start + Millis((self.current as u64 + 1) * self.interval.0)).min(self.window_end)
        } else {
            Millis::NEVER
        }
    }

    fn close_interval(&mut self, end: Millis) {
        let row = &mut self.measured.intervals[self.current];
        let length = (end.0 - row.start.0) as f64;
        row.means.add_scaled(&self.interval_sums, 1.0 / length);
        self.measured.integrals.add_scaled(&self.interval_sums, 1.0);
        row.response_p90_s = percentile(&mut self.interval_responses, 0.9).map(|ms| ms as f64 / 1_000.0);
        self.interval_responses.clear();
        self.interval_sums = Levels::default();
        self.current += 1;
    }

    /// The queue opened (`Some(now)`) or closed (`None`).
    pub fn queue_open_since(&mut self, since: Option<Millis>) {
        self.open_since = since;
    }

    /// Time from `from` to `now` during which the queue was open (fast when both lie in the current opening).
    fn open_time(&self, from: Millis, now: Millis) -> Millis {
        match self.open_since {
            Some(since) if from >= since => now - from,
            _ => self.hours.open_between(from, now),
        }
    }

    /// The levels being integrated now.
    pub fn levels(&self) -> Levels {
        self.levels
    }

    /// Sets the levels from now on (call after `advance`).
    pub fn set_levels(&mut self, levels: Levels) {
        self.levels = levels;
    }

    /// A conversation arrived (or was refused) at `now`.
    pub fn arrival(&mut self, now: Millis, recontact: bool) {
        if let Some(i) = self.interval_of(now) {
            self.measured.intervals[i].arrivals += 1;
            self.measured.conversations += 1;
            self.measured.recontacts += u64::from(recontact);
        }
    }

    /// A customer's first contact arrived in the window.
    pub fn customer(&mut self) {
        self.measured.customers += 1;
    }

    /// A customer whose first contact arrived in the window gave up without ever reaching an agent.
    pub fn customer_lost(&mut self) {
        self.measured.customers_lost += 1;
    }

    /// A measured conversation was refused at `now`.
    pub fn refused(&mut self, now: Millis) {
        if let Some(i) = self.interval_of(now) {
            self.measured.intervals[i].refused += 1;
            self.measured.refused += 1;
        }
    }

    /// A conversation that arrived at `arrived` was first given to an agent at `now`.
    pub fn assigned(&mut self, arrived: Millis, now: Millis) {
        if let Some(i) = self.interval_of(now) {
            self.measured.intervals[i].assigned += 1;
        }
        if let Some(i) = self.interval_of(arrived) {
            let wait = now - arrived;
            let within = wait <= self.threshold;
            let within_open = within || self.open_time(arrived, now) <= self.threshold;
            let m = &mut self.measured;
            m.queue_wait_total += u128::from(wait.0);
            m.queue_waits += 1;
            m.assigned_on_arrival += u64::from(wait == Millis::ZERO);
            m.within_threshold += u64::from(within);
            m.within_threshold_open += u64::from(within_open);
            m.intervals[i].offered += 1;
            m.intervals[i].within_threshold += u64::from(within);
        }
    }

    /// A conversation that arrived at `arrived` was abandoned at `now`.
    pub fn abandoned(&mut self, arrived: Millis, now: Millis) {
        if let Some(i) = self.interval_of(now) {
            self.measured.intervals[i].abandoned += 1;
        }
        if let Some(i) = self.interval_of(arrived) {
            let m = &mut self.measured;
            m.abandoned += 1;
            m.queue_wait_total += u128::from((now - arrived).0);
            m.queue_waits += 1;
            m.intervals[i].offered += 1;
        }
    }

    /// An agent answered a customer message of a conversation that arrived at `arrived`.
    pub fn response(&mut self, arrived: Millis, asked: Millis, now: Millis, first: bool) {
        if self.in_window(now) {
            self.interval_responses.push((now - asked).0);
        }
        if self.in_window(arrived) {
            self.measured.response.record(now - asked);
            if first {
                self.measured.first_response.record(now - arrived);
                let open = self.open_time(arrived, now);
                self.measured.first_response_open.record(open);
            }
        }
    }

    /// A later session of a conversation that arrived at `arrived` was answered, by the previous agent or not.
    pub fn later_session(&mut self, arrived: Millis, same_agent: bool) {
        if self.in_window(arrived) {
            self.measured.later_sessions += 1;
            self.measured.same_agent_sessions += u64::from(same_agent);
        }
    }

    /// A conversation that arrived at `arrived` closed.
    pub fn closed(&mut self, arrived: Millis) {
        if self.in_window(arrived) {
            self.measured.closed += 1;
        }
    }

    /// Ends the run: integrates to `now` and reports, with `still_open` measured conversations unfinished.
    pub fn finish(mut self, now: Millis, still_open: u64) -> Measured {
        self.advance(now.max(self.window_end));
        self.measured.still_open = still_open;
        self.measured
    }
}

/// The `q` quantile of a small sample by selection (nearest rank); `None` when empty.
fn percentile(values: &mut [u64], q: f64) -> Option<u64> {
    if values.is_empty() {
        return None;
    }
    let rank = ((q * values.len() as f64).ceil() as usize).clamp(1, values.len()) - 1;
    Some(*values.select_nth_unstable(rank).1)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::hours::Origin;

    fn always() -> OperatingHours {
        OperatingHours::always_open(Origin::midnight(0))
    }

    fn levels(queue: f64) -> Levels {
        Levels { queue, agents_online: 2.0, agents_working: 1.0, ..Levels::default() }
    }

    #[test]
    fn levels_integrate_only_inside_the_window_and_per_interval() {
        let mut c = Collector::new(Millis(100), Millis(200), Millis(100), Millis(10), always());
        c.set_levels(levels(5.0));
        c.advance(Millis(150));
        c.set_levels(levels(1.0));
        c.advance(Millis(250));
        c.set_levels(levels(7.0));
        let m = c.finish(Millis(1_000), 0);
        assert_eq!(m.intervals.len(), 2);
        assert_eq!(m.intervals[0].means.queue, 3.0, "50 ms at 5, 50 ms at 1");
        assert_eq!(m.intervals[1].means.queue, 4.0, "50 ms at 1, 50 ms at 7");
        assert_eq!(m.integrals.queue, 50.0 * 5.0 + 100.0 * 1.0 + 50.0 * 7.0);
        assert_eq!(m.intervals[0].occupancy(), Some(0.5));
    }

    #[test]
    fn a_partial_last_interval_is_averaged_over_its_own_length() {
        let mut c = Collector::new(Millis(0), Millis(150), Millis(100), Millis(10), always());
        c.set_levels(levels(2.0));
        let m = c.finish(Millis(500), 0);
        assert_eq!(m.intervals.len(), 2);
        assert_eq!(m.intervals[1].start, Millis(100));
        assert_eq!(m.intervals[1].means.queue, 2.0);
        assert_eq!(m.integrals.queue, 300.0);
    }

    #[test]
    fn outcomes_count_only_the_measured_population() {
        let mut c = Collector::new(Millis(1_000), Millis(1_000), Millis(500), Millis(10), always());
        c.arrival(Millis(500), false);
        c.assigned(Millis(500), Millis(1_200));
        c.arrival(Millis(1_100), false);
        c.assigned(Millis(1_100), Millis(1_105));
        c.arrival(Millis(1_600), true);
        c.abandoned(Millis(1_600), Millis(2_500));
        let m = c.finish(Millis(3_000), 0);
        assert_eq!((m.conversations, m.recontacts, m.abandoned, m.within_threshold), (2, 1, 1, 1));
        assert_eq!(m.queue_wait_total, 5 + 900);
        assert_eq!(m.intervals[0].assigned, 2, "assignments count where they happen");
        assert_eq!(m.intervals[0].service_level(), Some(1.0));
        assert_eq!(m.intervals[1].service_level(), Some(0.0), "abandoned counts as a miss");
    }

    #[test]
    fn interval_p90_uses_nearest_rank() {
        let mut v: Vec<u64> = (1..=10).collect();
        assert_eq!(percentile(&mut v, 0.9), Some(9));
        assert_eq!(percentile(&mut [], 0.9), None);
    }
}
