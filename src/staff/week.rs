//! `staff-week.csv`: the per-interval answer as the weekly table a planner schedules from.
//!
//! One row per interval of the day (`time`, the interval's start as `HH:MM`), one column per weekday `mon` to
//! `sun`, holding the scheduled agents the interval needs, for each policy (`policy` first). The per-interval
//! search finds one weekly pattern, repeated over every week of the run and judged on each interval's measures
//! pooled over all weeks and replications (`super::schedule`), so there is nothing left to fold: the table is
//! that pattern, laid out by the civil weekday and time of each interval's start. A closed interval reads 0.

use super::schedule::Schedule;
use crate::hours::{Origin, weekday_from_days};
use crate::report::{Cell, Table};
use crate::routing::Millis;

/// The weekday columns, Monday first.
pub const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// The week of one policy: per interval of the day (start in ms after midnight), agents per weekday, and
/// whether each cell is closed.
#[derive(Debug, Clone, PartialEq)]
pub struct Week {
    /// Interval starts, ms after midnight, sorted.
    pub times: Vec<u64>,
    /// `agents[row][weekday]`.
    pub agents: Vec<[u32; 7]>,
    /// `closed[row][weekday]`.
    pub closed: Vec<[bool; 7]>,
}

/// Lays a weekly slot pattern (slot 0 starts at the run's origin) out by civil weekday and time of day.
pub fn week(slots: &[u32], schedule: &Schedule, origin: Origin) -> Week {
    let mut cells: Vec<(u64, usize, u32, bool)> = Vec::with_capacity(slots.len());
    for (s, n) in slots.iter().enumerate() {
        let (day, ms) = origin.civil(Millis(s as u64 * schedule.slot.0));
        cells.push((ms, weekday_from_days(day), *n, schedule.closed.get(s).copied().unwrap_or(false)));
    }
    let mut times: Vec<u64> = cells.iter().map(|c| c.0).collect();
    times.sort_unstable();
    times.dedup();
    let mut agents = vec![[0u32; 7]; times.len()];
    let mut closed = vec![[false; 7]; times.len()];
    for (ms, weekday, n, shut) in cells {
        if let Ok(row) = times.binary_search(&ms) {
            agents[row][weekday] = n;
            closed[row][weekday] = shut;
        }
    }
    Week { times, agents, closed }
}

/// `HH:MM` of ms after midnight.
pub fn clock(ms: u64) -> String {
    format!("{:02}:{:02}", ms / 3_600_000, ms / 60_000 % 60)
}

/// `staff-week.csv` from each policy's week.
pub fn week_table(weeks: &[(String, Week)]) -> Table {
    let mut columns = vec!["policy".to_string(), "time".to_string()];
    columns.extend(WEEKDAYS.iter().map(|d| d.to_string()));
    let mut rows = Vec::new();
    for (policy, w) in weeks {
        for (row, ms) in w.times.iter().enumerate() {
            let mut cells = vec![Cell::Text(policy.clone()), Cell::Text(clock(*ms))];
            cells.extend(w.agents[row].iter().map(|n| Cell::Num(f64::from(*n))));
            rows.push(cells);
        }
    }
    Table { columns, rows }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hours::days_from_civil;

    #[test]
    fn slots_land_on_their_weekday_and_time() {
        let slot = Millis::from_hours(12);
        // 14 slots of 12 hours from a Wednesday noon: slot 0 is Wednesday 12:00, slot 1 Thursday 00:00.
        let slots: Vec<u32> = (0..14).collect();
        let schedule = Schedule {
            slot,
            best: None,
            best_round: None,
            rounds: Vec::new(),
            converged: true,
            closed: vec![false; 14],
        };
        let origin = Origin { day: days_from_civil(2024, 1, 3), ms_of_day: Millis::from_hours(12).0 };
        let w = week(&slots, &schedule, origin);
        assert_eq!(w.times, vec![0, Millis::from_hours(12).0]);
        assert_eq!(w.agents[1][2], 0, "Wednesday 12:00");
        assert_eq!(w.agents[0][3], 1, "Thursday 00:00");
        assert_eq!(w.agents[0][2], 13, "Wednesday 00:00 is the last slot of the week");
        let table = week_table(&[("live".into(), w)]);
        assert_eq!(table.columns.join(","), "policy,time,mon,tue,wed,thu,fri,sat,sun");
        assert_eq!(table.rows.len(), 2);
        assert_eq!(clock(Millis::from_mins(90).0), "01:30");
    }
}
