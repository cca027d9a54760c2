//! How many agents are signed in, and when: a fixed count, weekly shifts, or a schedule file, then scaled and
//! thinned by shrinkage.
//!
//! The plan as written is a [`Roster`]. Shifts repeat every week on the days they list; a shift whose end is not
//! after its start runs past midnight into the next day. Where shifts overlap their agents add up. Shifts do not
//! look at closed dates: to staff holidays differently, use a schedule file.
//!
//! Two numbers turn the roster into the agents actually online ([`Staffing`]):
//! - `scale` multiplies every headcount the roster writes (the count, each shift's count, each schedule row),
//!   rounded to the nearest whole agent (halves up): the *scheduled* headcount. `staff` searches it to keep a
//!   roster's shape.
//! - `shrinkage` is the share of scheduled agents not available (breaks, absence, training): at every moment the
//!   *online* headcount is `round(scheduled x (1 - shrinkage))`, rounded after the scheduled headcounts of
//!   overlapping shifts are added up.
//!
//! Whatever the form, the engine sees the online headcount as a step function of simulation time
//! ([`Staffing::steps`]).

use crate::hours::{Origin, days_from_civil, weekday_from_days};
use crate::routing::Millis;

/// The longest stretch shifts are expanded over: longer than any run a scenario allows (three times ten years).
pub const MAX_HORIZON: Millis = Millis(40 * 366 * Millis::DAY.0);

/// The staffing plan as written: the roster, its scale and the shrinkage.
#[derive(Debug, Clone, PartialEq)]
pub struct Staffing {
    /// The headcounts as the file writes them.
    pub roster: Roster,
    /// Multiplier of every headcount of the roster (0 or more; 1 = as written).
    pub scale: f64,
    /// Share of scheduled agents not online, `0 <= shrinkage < 1`.
    pub shrinkage: f64,
}

/// The headcounts as written: `count`, `shifts` or `schedule`.
#[derive(Debug, Clone, PartialEq)]
pub enum Roster {
    /// The same headcount around the clock.
    Count(u32),
    /// Weekly shifts.
    Shifts(Vec<Shift>),
    /// Headcount from each time on (since the start), sorted by time; before the first entry nobody works.
    Schedule(Vec<(Millis, u32)>),
}

/// One weekly shift: `count` agents from `start_min` to `end_min` on the listed days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shift {
    /// Days the shift starts on, Monday first.
    pub days: [bool; 7],
    /// Start, minutes after midnight.
    pub start_min: u32,
    /// End, minutes after midnight (1440 = midnight); not after `start_min` means the next day.
    pub end_min: u32,
    /// Agents on the shift.
    pub count: u32,
}

/// `n x factor` rounded to the nearest whole number, halves up.
pub fn scaled(n: u32, factor: f64) -> u32 {
    (f64::from(n) * factor).round().clamp(0.0, f64::from(u32::MAX)) as u32
}

impl Staffing {
    /// A constant headcount, unscaled, no shrinkage.
    pub fn count(n: u32) -> Staffing {
        Staffing::new(Roster::Count(n))
    }

    /// A roster, unscaled, no shrinkage.
    pub fn new(roster: Roster) -> Staffing {
        Staffing { roster, scale: 1.0, shrinkage: 0.0 }
    }

    /// The roster with `scale` applied to each of its headcounts.
    fn scaled_roster(&self) -> Roster {
        let s = self.scale;
        match &self.roster {
            Roster::Count(n) => Roster::Count(scaled(*n, s)),
            Roster::Shifts(list) => {
                Roster::Shifts(list.iter().map(|sh| Shift { count: scaled(sh.count, s), ..sh.clone() }).collect())
            }
            Roster::Schedule(rows) => Roster::Schedule(rows.iter().map(|(t, n)| (*t, scaled(*n, s))).collect()),
        }
    }

    /// Scheduled headcount over `[0, until)` (scale applied, before shrinkage), as [`Staffing::steps`] lists it.
    pub fn scheduled_steps(&self, origin: Origin, until: Millis) -> Vec<(Millis, u32)> {
        self.scaled_roster().steps(origin, until)
    }

    /// Online headcount over `[0, until)`: the first entry is at time 0, times strictly increase, and consecutive
    /// entries differ in headcount. Shifts are expanded over at most [`MAX_HORIZON`]; the last headcount holds
    /// after the last entry.
    pub fn steps(&self, origin: Origin, until: Millis) -> Vec<(Millis, u32)> {
        let mut steps = self.scheduled_steps(origin, until);
        if self.shrinkage > 0.0 {
            for step in &mut steps {
                step.1 = scaled(step.1, 1.0 - self.shrinkage);
            }
            steps.dedup_by(|next, prev| next.1 == prev.1);
        }
        steps
    }

    /// The largest online headcount the plan ever reaches.
    pub fn max_agents(&self) -> u32 {
        scaled(self.max_scheduled(), 1.0 - self.shrinkage)
    }

    /// The largest scheduled headcount (scale applied) the plan ever reaches.
    pub fn max_scheduled(&self) -> u32 {
        self.scaled_roster().max_agents()
    }

    /// Scheduled and online agent-hours per week. Counts and shifts repeat weekly, so this is their week;
    /// a schedule file is averaged over `window` (the measured window) and brought to seven days.
    pub fn agent_hours_per_week(&self, origin: Origin, window: (Millis, Millis)) -> (f64, f64) {
        let (from, to, anchor) = match self.roster {
            Roster::Schedule(_) => (window.0, window.1, origin),
            _ => (Millis::WEEK, Millis(2 * Millis::WEEK.0), Origin::midnight(days_from_civil(2024, 1, 1))),
        };
        let per_week = Millis::WEEK.as_secs_f64() / (to.0.saturating_sub(from.0).max(1) as f64 / 1000.0);
        let hours = |steps: Vec<(Millis, u32)>| area(&steps, from, to) * per_week;
        (hours(self.scheduled_steps(anchor, to)), hours(self.steps(anchor, to)))
    }
}

/// Agent-hours of a step function over `[from, to)`.
pub fn area(steps: &[(Millis, u32)], from: Millis, to: Millis) -> f64 {
    let mut total = 0.0;
    for (i, (t, n)) in steps.iter().enumerate() {
        let end = steps.get(i + 1).map_or(to, |next| next.0).min(to);
        let start = (*t).max(from);
        if end > start {
            total += f64::from(*n) * (end.0 - start.0) as f64 / 3_600_000.0;
        }
    }
    total
}

impl Roster {
    /// Headcount as written over `[0, until)`, in the form [`Staffing::steps`] describes.
    pub fn steps(&self, origin: Origin, until: Millis) -> Vec<(Millis, u32)> {
        let raw = match self {
            Roster::Count(n) => vec![(Millis::ZERO, *n)],
            Roster::Schedule(entries) => entries.iter().copied().filter(|(t, _)| *t < until || t.0 == 0).collect(),
            Roster::Shifts(shifts) => shift_steps(shifts, origin, until),
        };
        let mut steps: Vec<(Millis, u32)> = Vec::with_capacity(raw.len() + 1);
        if raw.first().is_none_or(|(t, _)| *t > Millis::ZERO) {
            steps.push((Millis::ZERO, 0));
        }
        for (t, n) in raw {
            match steps.last_mut() {
                Some(last) if last.0 == t => last.1 = n,
                _ => steps.push((t, n)),
            }
        }
        steps.dedup_by(|next, prev| next.1 == prev.1);
        steps
    }

    /// The largest headcount the roster ever writes.
    pub fn max_agents(&self) -> u32 {
        match self {
            Roster::Count(n) => *n,
            Roster::Schedule(entries) => entries.iter().map(|e| e.1).max().unwrap_or(0),
            Roster::Shifts(_) => {
                let monday = Origin::midnight(days_from_civil(2024, 1, 1));
                let steps = self.steps(monday, Millis(15 * Millis::DAY.0));
                steps.iter().map(|s| s.1).max().unwrap_or(0)
            }
        }
    }
}

/// Sums the shifts' headcounts into (time, headcount) changes over `[0, until)`.
fn shift_steps(shifts: &[Shift], origin: Origin, until: Millis) -> Vec<(Millis, u32)> {
    const DAY: i64 = Millis::DAY.0 as i64;
    let until = until.min(MAX_HORIZON).0 as i64;
    let offset = origin.ms_of_day as i64;
    let last_day = (offset + until) / DAY + 1;
    let mut changes: Vec<(i64, i64)> = Vec::new();
    for d in -1..=last_day {
        let weekday = weekday_from_days(origin.day + d);
        for shift in shifts.iter().filter(|s| s.days[weekday]) {
            let begin = d * DAY + i64::from(shift.start_min) * 60_000 - offset;
            let mut end = d * DAY + i64::from(shift.end_min) * 60_000 - offset;
            if shift.end_min <= shift.start_min {
                end += DAY;
            }
            let (begin, end) = (begin.max(0), end.min(until));
            if begin < end {
                changes.push((begin, i64::from(shift.count)));
                changes.push((end, -i64::from(shift.count)));
            }
        }
    }
    changes.sort_unstable();
    let mut steps = Vec::new();
    let mut headcount = 0i64;
    let mut i = 0;
    while i < changes.len() {
        let t = changes[i].0;
        while i < changes.len() && changes[i].0 == t {
            headcount += changes[i].1;
            i += 1;
        }
        if t < until {
            steps.push((Millis(t as u64), headcount.clamp(0, i64::from(u32::MAX)) as u32));
        }
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    fn monday() -> Origin {
        Origin::midnight(days_from_civil(2024, 1, 1))
    }

    fn h(hours: u64) -> Millis {
        Millis::from_hours(hours)
    }

    const WEEKDAYS: [bool; 7] = [true, true, true, true, true, false, false];

    #[test]
    fn an_endless_horizon_is_capped() {
        let s = Roster::Shifts(vec![Shift { days: [true; 7], start_min: 0, end_min: 60, count: 1 }]);
        assert_eq!(s.steps(monday(), Millis::NEVER).len(), 2 * 40 * 366);
    }

    #[test]
    fn a_count_is_one_step() {
        assert_eq!(Roster::Count(7).steps(monday(), Millis::WEEK), vec![(Millis::ZERO, 7)]);
        assert_eq!(Roster::Count(7).max_agents(), 7);
    }

    #[test]
    fn overlapping_shifts_add_up() {
        let s = Roster::Shifts(vec![
            Shift { days: WEEKDAYS, start_min: 8 * 60, end_min: 16 * 60, count: 10 },
            Shift { days: WEEKDAYS, start_min: 12 * 60, end_min: 20 * 60, count: 5 },
        ]);
        let steps = s.steps(monday(), Millis::DAY);
        assert_eq!(steps, vec![(h(0), 0), (h(8), 10), (h(12), 15), (h(16), 5), (h(20), 0)]);
        assert_eq!(s.max_agents(), 15);
        let week = s.steps(monday(), Millis::WEEK);
        assert_eq!(week.len(), 1 + 4 * 5);
        assert_eq!(week.last(), Some(&(h(4 * 24 + 20), 0)));
    }

    #[test]
    fn overnight_shifts_run_into_the_next_day() {
        let s = Roster::Shifts(vec![Shift {
            days: [false, false, false, false, false, false, true],
            start_min: 22 * 60,
            end_min: 6 * 60,
            count: 3,
        }]);
        // Starting on Monday: the Sunday-night shift of the day before is still on until 06:00.
        let steps = s.steps(monday(), Millis::WEEK + Millis::DAY);
        assert_eq!(steps, vec![(h(0), 3), (h(6), 0), (h(6 * 24 + 22), 3), (h(7 * 24 + 6), 0)]);
    }

    #[test]
    fn origin_in_the_middle_of_a_day_shifts_the_steps() {
        let s = Roster::Shifts(vec![Shift { days: [true; 7], start_min: 8 * 60, end_min: 16 * 60, count: 2 }]);
        let origin = Origin { day: days_from_civil(2024, 1, 1), ms_of_day: h(10).0 };
        assert_eq!(s.steps(origin, Millis::DAY), vec![(h(0), 2), (h(6), 0), (h(22), 2)]);
    }

    #[test]
    fn schedules_start_at_zero_and_drop_repeats() {
        let s = Roster::Schedule(vec![(h(1), 4), (h(2), 4), (h(3), 6), (h(50), 1)]);
        assert_eq!(s.steps(monday(), Millis::DAY), vec![(h(0), 0), (h(1), 4), (h(3), 6)]);
        assert_eq!(s.max_agents(), 6);
    }

    #[test]
    fn scale_and_shrinkage_change_agent_hours_as_documented() {
        let window = (Millis::ZERO, Millis::WEEK);
        // 10 x 1.25 = 12.5 -> 13 scheduled, 13 x 0.7 = 9.1 -> 9 online, around the clock.
        let count = Staffing { roster: Roster::Count(10), scale: 1.25, shrinkage: 0.3 };
        assert_eq!(count.agent_hours_per_week(monday(), window), (13.0 * 168.0, 9.0 * 168.0));
        assert_eq!((count.max_scheduled(), count.max_agents()), (13, 9));
        // Shifts 08-16 x 10 and 12-20 x 5 on weekdays, scale 1.5: 15 and 7.5 -> 8 agents, so
        // 5 x (15 x 8 h + 8 x 8 h) = 920 scheduled hours. Online after 10%: 08-12 15 -> 13.5 -> 14,
        // 12-16 23 -> 20.7 -> 21, 16-20 8 -> 7.2 -> 7, so 5 x (14 x 4 + 21 x 4 + 7 x 4) = 840 hours.
        let shifts = Staffing {
            roster: Roster::Shifts(vec![
                Shift { days: WEEKDAYS, start_min: 8 * 60, end_min: 16 * 60, count: 10 },
                Shift { days: WEEKDAYS, start_min: 12 * 60, end_min: 20 * 60, count: 5 },
            ]),
            scale: 1.5,
            shrinkage: 0.1,
        };
        assert_eq!(shifts.agent_hours_per_week(monday(), window), (920.0, 840.0));
        assert_eq!(
            shifts.steps(monday(), Millis::DAY),
            vec![(h(0), 0), (h(8), 14), (h(12), 21), (h(16), 7), (h(20), 0)]
        );
        assert_eq!((shifts.max_scheduled(), shifts.max_agents()), (23, 21));
        // A schedule is averaged over the window: 4 agents for 12 h then 8 for 12 h of a 1-day window is
        // 144 agent-hours a day, 1008 a week; at scale 0.5, 2 and 4: 504.
        let schedule = Staffing { roster: Roster::Schedule(vec![(h(0), 4), (h(12), 8)]), scale: 0.5, shrinkage: 0.0 };
        assert_eq!(schedule.agent_hours_per_week(monday(), (Millis::ZERO, Millis::DAY)), (504.0, 504.0));
    }
}
