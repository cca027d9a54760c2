//! How many agents are signed in, and when: a fixed count, weekly shifts, or a schedule file.
//!
//! Whatever the form, the engine sees a step function of headcount over simulation time
//! ([`Staffing::steps`]). Shifts repeat every week on the days they list; a shift whose end is not after its
//! start runs past midnight into the next day. Where shifts overlap their agents add up. Shifts do not look
//! at closed dates: to staff holidays differently, use a schedule file.

use crate::routing::{Millis, Origin, days_from_civil, weekday_from_days};

/// The longest stretch shifts are expanded over: longer than any run a scenario allows (three times ten years).
pub const MAX_HORIZON: Millis = Millis(40 * 366 * Millis::DAY.0);

/// The staffing plan.
#[derive(Debug, Clone, PartialEq)]
pub enum Staffing {
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

impl Staffing {
    /// Headcount over `[0, until)`: the first entry is at time 0, times strictly increase, and consecutive
    /// entries differ in headcount. Shifts are expanded over at most [`MAX_HORIZON`]; the last headcount
    /// holds after the last entry.
    pub fn steps(&self, origin: Origin, until: Millis) -> Vec<(Millis, u32)> {
        let raw = match self {
            Staffing::Count(n) => vec![(Millis::ZERO, *n)],
            Staffing::Schedule(entries) => entries.iter().copied().filter(|(t, _)| *t < until || t.0 == 0).collect(),
            Staffing::Shifts(shifts) => shift_steps(shifts, origin, until),
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

    /// The largest headcount the plan ever reaches.
    pub fn max_agents(&self) -> u32 {
        match self {
            Staffing::Count(n) => *n,
            Staffing::Schedule(entries) => entries.iter().map(|e| e.1).max().unwrap_or(0),
            Staffing::Shifts(_) => {
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
        let s = Staffing::Shifts(vec![Shift { days: [true; 7], start_min: 0, end_min: 60, count: 1 }]);
        assert_eq!(s.steps(monday(), Millis::NEVER).len(), 2 * 40 * 366);
    }

    #[test]
    fn a_count_is_one_step() {
        assert_eq!(Staffing::Count(7).steps(monday(), Millis::WEEK), vec![(Millis::ZERO, 7)]);
        assert_eq!(Staffing::Count(7).max_agents(), 7);
    }

    #[test]
    fn overlapping_shifts_add_up() {
        let s = Staffing::Shifts(vec![
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
        let s = Staffing::Shifts(vec![Shift {
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
        let s = Staffing::Shifts(vec![Shift { days: [true; 7], start_min: 8 * 60, end_min: 16 * 60, count: 2 }]);
        let origin = Origin { day: days_from_civil(2024, 1, 1), ms_of_day: h(10).0 };
        assert_eq!(s.steps(origin, Millis::DAY), vec![(h(0), 2), (h(6), 0), (h(22), 2)]);
    }

    #[test]
    fn schedules_start_at_zero_and_drop_repeats() {
        let s = Staffing::Schedule(vec![(h(1), 4), (h(2), 4), (h(3), 6), (h(50), 1)]);
        assert_eq!(s.steps(monday(), Millis::DAY), vec![(h(0), 0), (h(1), 4), (h(3), 6)]);
        assert_eq!(s.max_agents(), 6);
    }
}
