//! Operating hours: when a queue is open, as a weekly calendar with closed dates.
//!
//! A queue without operating hours is open around the clock. Otherwise each weekday has zero or more opening
//! spans (`08:00-12:00`, `13:00-20:00`), and whole calendar dates can be closed (public holidays). The calendar
//! is anchored to the civil date and time of the router's time zero, so it can answer "is the queue open at
//! this instant?" and "when does that next change?" without ever reading a clock.

use crate::routing::Millis;
use std::collections::BTreeSet;

/// Minutes in a day; a span may end at 24:00.
pub const MINUTES_PER_DAY: u32 = 1_440;

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(year: i32, month: u32, day: u32) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date (year, month, day) of a day number counted from 1970-01-01.
pub fn civil_from_days(days: i64) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = (if mp < 10 { mp + 3 } else { mp - 9 }) as u32;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    (year, month, day)
}

/// Day of the week of a day number, Monday = 0 ... Sunday = 6 (1970-01-01 was a Thursday).
pub fn weekday_from_days(days: i64) -> usize {
    (days + 3).rem_euclid(7) as usize
}

/// A civil date and time that the router's time zero stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    /// Days since 1970-01-01.
    pub day: i64,
    /// Milliseconds after midnight.
    pub ms_of_day: u64,
}

impl Origin {
    /// Midnight at the start of a day number.
    pub fn midnight(day: i64) -> Origin {
        Origin { day, ms_of_day: 0 }
    }

    /// The civil day number and milliseconds after midnight of router time `t`.
    pub fn civil(self, t: Millis) -> (i64, u64) {
        let total = self.ms_of_day + t.0;
        let day_ms = Millis::DAY.0;
        (self.day + (total / day_ms) as i64, total % day_ms)
    }

    /// `YYYY-MM-DD HH:MM:SS` of router time `t`, the timestamp format of chatcap's outputs.
    pub fn format(self, t: Millis) -> String {
        let (day, ms) = self.civil(t);
        let (y, m, d) = civil_from_days(day);
        let s = ms / 1_000;
        format!("{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}", s / 3_600, s / 60 % 60, s % 60)
    }
}

/// One opening span within a day, in minutes after midnight: open from `start` until just before `end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// Opening minute (0..1440).
    pub start: u32,
    /// Closing minute (start < end <= 1440).
    pub end: u32,
}

/// A weekly calendar of opening spans with closed dates, anchored at an [`Origin`].
#[derive(Debug, Clone, PartialEq)]
pub struct OperatingHours {
    origin: Origin,
    /// Spans per weekday, Monday first; `None` means open around the clock every day.
    week: Option<[Vec<Span>; 7]>,
    closed_dates: BTreeSet<i64>,
}

impl OperatingHours {
    /// A queue that never closes.
    pub fn always_open(origin: Origin) -> OperatingHours {
        OperatingHours { origin, week: None, closed_dates: BTreeSet::new() }
    }

    /// A weekly calendar; spans of a day are sorted and touching spans merged. Closed dates are day numbers.
    pub fn weekly(
        origin: Origin,
        mut week: [Vec<Span>; 7],
        closed_dates: impl IntoIterator<Item = i64>,
    ) -> OperatingHours {
        for day in &mut week {
            day.retain(|s| s.start < s.end);
            day.sort_by_key(|s| s.start);
            let mut merged: Vec<Span> = Vec::with_capacity(day.len());
            for s in day.drain(..) {
                match merged.last_mut() {
                    Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
                    _ => merged.push(s),
                }
            }
            *day = merged;
        }
        OperatingHours { origin, week: Some(week), closed_dates: closed_dates.into_iter().collect() }
    }

    /// The civil anchor of time zero.
    pub fn origin(&self) -> Origin {
        self.origin
    }

    /// True when the calendar never closes.
    pub fn is_always_open(&self) -> bool {
        self.week.is_none()
    }

    /// Whether the queue is open at router time `t`.
    pub fn is_open(&self, t: Millis) -> bool {
        let Some(week) = &self.week else { return true };
        let (day, ms) = self.origin.civil(t);
        if self.closed_dates.contains(&day) {
            return false;
        }
        let minute = (ms / 60_000) as u32;
        week[weekday_from_days(day)].iter().any(|s| s.start <= minute && minute < s.end)
    }

    /// How much of `[from, to)` the queue is open: waiting time "in business hours", as service-level
    /// agreements that pause outside opening hours count it.
    pub fn open_between(&self, from: Millis, to: Millis) -> Millis {
        if self.week.is_none() || to <= from {
            return to - from;
        }
        let (mut t, mut open, mut total) = (from, self.is_open(from), Millis::ZERO);
        while t < to {
            let next = self.next_change(t).unwrap_or(Millis::NEVER).min(to);
            if open {
                total += next - t;
            }
            t = next;
            open = !open;
        }
        total
    }

    /// The first instant after `t` at which open/closed changes, or `None` if it never does again.
    pub fn next_change(&self, t: Millis) -> Option<Millis> {
        let week = self.week.as_ref()?;
        let now_open = self.is_open(t);
        let (day0, ms0) = self.origin.civil(t);
        // Router time of the civil midnight starting t's day; negative on the origin's own day when the origin
        // is not at midnight, so it is computed in signed arithmetic.
        let day_start = t.0 as i64 - ms0 as i64;
        let day_ms = Millis::DAY.0 as i64;
        // A year and a half covers any weekly pattern plus a long run of closed dates.
        for offset in 0..550i64 {
            let day = day0 + offset;
            let base = day_start + offset * day_ms;
            let spans: &[Span] = if self.closed_dates.contains(&day) { &[] } else { &week[weekday_from_days(day)] };
            let boundaries = spans.iter().flat_map(|s| [s.start, s.end]).map(|m| base + i64::from(m) * 60_000);
            for c in std::iter::once(base).chain(boundaries) {
                if c > t.0 as i64 && self.is_open(Millis(c as u64)) != now_open {
                    return Some(Millis(c as u64));
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn monday_2024() -> Origin {
        Origin::midnight(days_from_civil(2024, 1, 1))
    }

    fn shop() -> OperatingHours {
        let mut week: [Vec<Span>; 7] = Default::default();
        for d in week.iter_mut().take(5) {
            d.push(Span { start: 8 * 60, end: 12 * 60 });
            d.push(Span { start: 13 * 60, end: 20 * 60 });
        }
        week[5].push(Span { start: 10 * 60, end: 16 * 60 });
        OperatingHours::weekly(monday_2024(), week, [days_from_civil(2024, 1, 3)])
    }

    #[test]
    fn civil_dates_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2024, 1, 1), 19_723);
        for d in [-1_000_000, -1, 0, 59, 19_723, 2_000_000] {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
        assert_eq!(weekday_from_days(days_from_civil(2024, 1, 1)), 0);
        assert_eq!(weekday_from_days(days_from_civil(2024, 12, 25)), 2);
    }

    #[test]
    fn formats_timestamps() {
        let o = Origin { day: days_from_civil(2024, 2, 28), ms_of_day: 23 * 3_600_000 };
        assert_eq!(o.format(Millis::from_hours(2) + Millis::from_secs(61)), "2024-02-29 01:01:01");
    }

    #[test]
    fn open_inside_spans_closed_outside() {
        let h = shop();
        assert!(!h.is_open(Millis::from_hours(7)));
        assert!(h.is_open(Millis::from_hours(8)));
        assert!(!h.is_open(Millis::from_mins(12 * 60 + 30)));
        assert!(!h.is_open(Millis::from_hours(20)));
        // Wednesday 3 January is a closed date.
        assert!(!h.is_open(Millis::DAY + Millis::DAY + Millis::from_hours(9)));
        // Sunday is not listed: closed.
        assert!(!h.is_open(Millis::from_hours(6 * 24 + 11)));
        assert!(h.is_open(Millis::from_hours(5 * 24 + 11)));
    }

    #[test]
    fn next_change_walks_boundaries_and_skips_closed_dates() {
        let h = shop();
        assert_eq!(h.next_change(Millis::ZERO), Some(Millis::from_hours(8)));
        assert_eq!(h.next_change(Millis::from_hours(8)), Some(Millis::from_hours(12)));
        assert_eq!(h.next_change(Millis::from_hours(12)), Some(Millis::from_hours(13)));
        // Tuesday 20:00 -> Thursday 08:00, because Wednesday is closed.
        assert_eq!(h.next_change(Millis::from_hours(24 + 20)), Some(Millis::from_hours(72 + 8)));
        assert_eq!(OperatingHours::always_open(monday_2024()).next_change(Millis::ZERO), None);
    }

    #[test]
    fn open_time_between_two_instants_skips_closed_hours_and_dates() {
        let h = shop();
        // Monday 07:00 to 09:00: open from 08:00 only.
        assert_eq!(h.open_between(Millis::from_hours(7), Millis::from_hours(9)), Millis::HOUR);
        // Monday 11:00 to 14:00: 11-12 and 13-14, the lunch hour is closed.
        assert_eq!(h.open_between(Millis::from_hours(11), Millis::from_hours(14)), Millis::from_hours(2));
        // Tuesday 19:00 to Thursday 09:00: 1 h Tuesday, Wednesday is a closed date, 1 h Thursday.
        assert_eq!(h.open_between(Millis::from_hours(24 + 19), Millis::from_hours(72 + 9)), Millis::from_hours(2));
        assert_eq!(h.open_between(Millis::from_hours(9), Millis::from_hours(9)), Millis::ZERO);
        let always = OperatingHours::always_open(monday_2024());
        assert_eq!(always.open_between(Millis(5), Millis(905)), Millis(900));
    }

    #[test]
    fn an_origin_after_midnight_still_sees_every_change() {
        // Time zero is Monday 06:00: the queue opens at 08:00 (2 h in), closes at 12:00, and so on.
        let origin = Origin { day: days_from_civil(2024, 1, 1), ms_of_day: 6 * 3_600_000 };
        let h = OperatingHours::weekly(origin, shop().week.clone().unwrap(), [days_from_civil(2024, 1, 3)]);
        assert_eq!(h.next_change(Millis::ZERO), Some(Millis::from_hours(2)));
        assert_eq!(h.next_change(Millis::from_hours(2)), Some(Millis::from_hours(6)));
        assert_eq!(h.next_change(Millis::from_hours(6)), Some(Millis::from_hours(7)));
        assert_eq!(h.next_change(Millis::from_hours(7)), Some(Millis::from_hours(14)));
        assert_eq!(h.next_change(Millis::from_hours(14)), Some(Millis::from_hours(24 + 2)));
        assert_eq!(h.open_between(Millis::ZERO, Millis::DAY), Millis::from_hours(11));
    }

    #[test]
    fn touching_spans_merge_into_one() {
        let mut week: [Vec<Span>; 7] = Default::default();
        week[0] = vec![Span { start: 600, end: 1440 }, Span { start: 0, end: 600 }];
        week[1] = vec![Span { start: 0, end: 60 }];
        let h = OperatingHours::weekly(monday_2024(), week, []);
        assert_eq!(h.next_change(Millis::ZERO), Some(Millis::from_hours(25)));
    }
}
