//! A typical week: `intervals.csv` folded by interval-of-week (Monday 00:00 to Sunday 24:00), averaging over
//! replications and over the weeks of the window.
//!
//! Contact-centre demand repeats weekly, so this is the shape planners staff against; a two-week run with five
//! replications gives ten samples per interval-of-week.

use super::{Table, columns};
use crate::hours::{days_from_civil, weekday_from_days};
use crate::{Error, Result};

/// Seconds in a week.
pub const SECONDS_PER_WEEK: u32 = 604_800;

/// Interval length assumed when the table has too few rows to tell (the scenario default).
const DEFAULT_SLOT_SECONDS: u32 = 1_800;

/// One column of `intervals.csv` folded into a typical week, per policy.
#[derive(Debug, Clone, PartialEq)]
pub struct WeekProfile {
    /// Length of one interval-of-week in seconds (the run's `interval`).
    pub slot_seconds: u32,
    /// Per policy: the mean of the column in each interval-of-week; `None` where no interval had a value
    /// (nothing simulated then, or a ratio undefined, such as occupancy with no agent online).
    pub series: Vec<(String, Vec<Option<f64>>)>,
}

impl WeekProfile {
    /// The same profile with every value transformed, for example capacity units into agent equivalents.
    pub fn map(mut self, f: impl Fn(f64) -> f64) -> WeekProfile {
        for (_, values) in &mut self.series {
            for v in values.iter_mut().flatten() {
                *v = f(*v);
            }
        }
        self
    }

    /// The start of interval-of-week `slot` in hours since Monday 00:00.
    pub fn slot_hours(&self, slot: usize) -> f64 {
        slot as f64 * f64::from(self.slot_seconds) / 3_600.0
    }

    /// The largest value of any policy, if any.
    pub fn max(&self) -> Option<f64> {
        self.series.iter().flat_map(|(_, v)| v.iter().flatten().copied()).reduce(f64::max)
    }
}

/// Fewer agents online than this (time-averaged over an interval) and an interval's occupancy or utilisation
/// is left out of the week charts: a fraction of one agent finishing a reply after signing out reads as 100%
/// occupancy, which says nothing about how busy the team was.
pub const MIN_AGENTS_PLOTTED: f64 = 0.5;

/// The `intervals.csv` columns the report's week charts fold.
pub const CHARTED: [&str; 7] = [
    "capacity_used_mean",
    "capacity_online_mean",
    "occupancy",
    columns::RECLAIMED_CAPACITY_MEAN,
    "waiting_mean",
    "queue_length_mean",
    "agents_online_mean",
];

/// A sum of values and how many there were.
type Sum = (f64, u32);

/// Running sums of some columns of `intervals.csv` per policy and interval-of-week, fed one row at a time in
/// file order: memory in policies x columns x intervals of a week, however many replications and weeks the rows
/// come from.
#[derive(Debug, Clone, PartialEq)]
pub struct WeekFolds {
    slot_seconds: u32,
    columns: Vec<String>,
    names: Vec<String>,
    /// Per policy, column and interval-of-week: the sums over all rows, then over staffed rows only.
    sums: Vec<Vec<Vec<[Sum; 2]>>>,
}

impl WeekFolds {
    /// Empty folds of `columns` for intervals of `slot_seconds`, policies in the order of `policies` (the
    /// summary's, so each keeps its chart style), then any other policy met in the rows.
    pub fn new(slot_seconds: u32, policies: &[String], columns: &[&str]) -> WeekFolds {
        let mut folds = WeekFolds {
            slot_seconds,
            columns: columns.iter().map(|c| c.to_string()).collect(),
            names: Vec::new(),
            sums: Vec::new(),
        };
        for p in policies {
            folds.policy(p);
        }
        folds
    }

    fn slots(&self) -> usize {
        SECONDS_PER_WEEK.div_ceil(self.slot_seconds) as usize
    }

    /// The index of `policy`, added if new.
    fn policy(&mut self, policy: &str) -> usize {
        if let Some(p) = self.names.iter().position(|n| n == policy) {
            return p;
        }
        self.names.push(policy.to_string());
        self.sums.push(vec![vec![[(0.0, 0); 2]; self.slots()]; self.columns.len()]);
        self.names.len() - 1
    }

    /// Adds one row of `policy` starting at `start` (seconds since 1970-01-01); `value(column)` reads its cells.
    pub fn add(&mut self, policy: &str, start: i64, value: impl Fn(&str) -> Option<f64>) {
        let p = self.policy(policy);
        let staffed = value("agents_online_mean").is_some_and(|a| a >= MIN_AGENTS_PLOTTED);
        let slot = ((second_of_week(start) / i64::from(self.slot_seconds)) as usize).min(self.slots() - 1);
        for (c, column) in self.columns.iter().enumerate() {
            let Some(v) = value(column).filter(|v| v.is_finite()) else { continue };
            let cell = &mut self.sums[p][c][slot];
            cell[0].0 += v;
            cell[0].1 += 1;
            if staffed {
                cell[1].0 += v;
                cell[1].1 += 1;
            }
        }
    }

    /// The folds of `columns` over every row of an intervals table.
    pub fn from_table(intervals: &Table, policies: &[String], columns: &[&str]) -> Result<WeekFolds> {
        let starts = interval_starts(intervals)?;
        let mut folds = WeekFolds::new(slot_seconds(intervals, &starts), policies, columns);
        for (r, &start) in starts.iter().enumerate() {
            if let Some(policy) = intervals.text(r, "policy") {
                folds.add(policy, start, |c| intervals.num(r, c));
            }
        }
        Ok(folds)
    }

    /// `column` through the typical week, per policy: over every row, or (`staffed`) only over rows with at
    /// least [`MIN_AGENTS_PLOTTED`] agents online, the others counting as no value. A column not folded gives a
    /// profile with no values: the chart then says there is no data.
    pub fn profile(&self, column: &str, staffed: bool) -> WeekProfile {
        let c = self.columns.iter().position(|n| n == column);
        let series = self
            .names
            .iter()
            .zip(&self.sums)
            .map(|(name, sums)| {
                let values = match c {
                    Some(c) => sums[c]
                        .iter()
                        .map(|cell| {
                            let (s, n) = cell[usize::from(staffed)];
                            (n > 0).then(|| s / f64::from(n))
                        })
                        .collect(),
                    None => vec![None; self.slots()],
                };
                (name.clone(), values)
            })
            .collect();
        WeekProfile { slot_seconds: self.slot_seconds, series }
    }

    /// The policies folded, in chart order.
    pub fn policies(&self) -> &[String] {
        &self.names
    }
}

/// Folds `column` of an intervals table into a typical week (see [`WeekFolds::from_table`]).
pub fn fold(intervals: &Table, column: &str, policies: &[String]) -> Result<WeekProfile> {
    Ok(WeekFolds::from_table(intervals, policies, &[column])?.profile(column, false))
}

/// [`fold`] over the intervals with at least [`MIN_AGENTS_PLOTTED`] agents online on average; the others count
/// as no value, so an interval-of-week slot staffed only by such intervals is a gap in the chart.
pub fn fold_staffed(intervals: &Table, column: &str, policies: &[String]) -> Result<WeekProfile> {
    Ok(WeekFolds::from_table(intervals, policies, &[column])?.profile(column, true))
}

/// `interval_start` of every row, in seconds since 1970-01-01.
fn interval_starts(intervals: &Table) -> Result<Vec<i64>> {
    (0..intervals.rows.len())
        .map(|r| {
            let text = intervals.text(r, "interval_start").unwrap_or("");
            parse_timestamp(text)
                .ok_or_else(|| Error::Other(format!("intervals: row {}: bad interval_start {text:?}", r + 1)))
        })
        .collect()
}

/// The interval length: the smallest positive step between consecutive rows of one policy and replication.
fn slot_seconds(intervals: &Table, starts: &[i64]) -> u32 {
    let key = |r: usize| (intervals.text(r, "policy"), intervals.num(r, "replication").map(f64::to_bits));
    smallest_step((1..starts.len()).filter(|&r| key(r) == key(r - 1)).map(|r| starts[r] - starts[r - 1]))
}

/// The interval length of one run whose rows start at `starts` (seconds since 1970-01-01, in order).
pub fn run_slot_seconds(starts: &[i64]) -> u32 {
    smallest_step(starts.windows(2).map(|w| w[1] - w[0]))
}

/// The smallest positive step, at most a week; the scenario default when there is none.
fn smallest_step(steps: impl Iterator<Item = i64>) -> u32 {
    steps.filter(|&d| d > 0).min().map_or(DEFAULT_SLOT_SECONDS, |d| d.min(i64::from(SECONDS_PER_WEEK)) as u32)
}

/// Seconds since Monday 00:00 of the week containing `t` (seconds since 1970-01-01).
fn second_of_week(t: i64) -> i64 {
    let days = t.div_euclid(86_400);
    weekday_from_days(days) as i64 * 86_400 + t.rem_euclid(86_400)
}

/// `YYYY-MM-DD HH:MM:SS` (as in `intervals.csv`) in seconds since 1970-01-01.
pub fn parse_timestamp(text: &str) -> Option<i64> {
    let (date, time) = text.trim().split_once([' ', 'T'])?;
    let mut d = date.split('-');
    let (year, month, day) = (d.next()?.parse().ok()?, d.next()?.parse().ok()?, d.next()?.parse().ok()?);
    let mut t = time.split(':');
    let (h, m): (i64, i64) = (t.next()?.parse().ok()?, t.next()?.parse().ok()?);
    let s: i64 = t.next().map_or(Some(0), |s| s.parse().ok())?;
    if d.next().is_some() || !(1..=12).contains(&month) || !(1..=31).contains(&day) || h > 24 || m > 59 || s > 60 {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + h * 3_600 + m * 60 + s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Cell;

    fn table(rows: &[(&str, f64, &str, Option<f64>)]) -> Table {
        Table {
            columns: vec!["policy".into(), "replication".into(), "interval_start".into(), "x".into()],
            rows: rows
                .iter()
                .map(|(p, rep, t, x)| {
                    vec![
                        Cell::Text(p.to_string()),
                        Cell::Num(*rep),
                        Cell::Text(t.to_string()),
                        x.map_or(Cell::Empty, Cell::Num),
                    ]
                })
                .collect(),
        }
    }

    #[test]
    fn timestamps() {
        assert_eq!(parse_timestamp("1970-01-01 00:00:00"), Some(0));
        assert_eq!(parse_timestamp("2024-01-01 08:30:00"), Some(1_704_097_800));
        assert_eq!(parse_timestamp("2024-13-01 00:00:00"), None);
        assert_eq!(parse_timestamp("yesterday"), None);
        // 2024-01-01 was a Monday.
        assert_eq!(second_of_week(parse_timestamp("2024-01-01 00:30:00").unwrap()), 1_800);
        assert_eq!(second_of_week(parse_timestamp("2024-01-07 23:30:00").unwrap()), 604_800 - 1_800);
    }

    #[test]
    fn folds_weeks_and_replications() {
        let t = table(&[
            ("live", 1.0, "2024-01-01 00:00:00", Some(1.0)),
            ("live", 1.0, "2024-01-01 00:30:00", Some(2.0)),
            ("live", 1.0, "2024-01-08 00:00:00", Some(3.0)),
            ("live", 2.0, "2024-01-01 00:00:00", Some(5.0)),
            ("live", 2.0, "2024-01-01 00:30:00", None),
            ("persistent", 1.0, "2024-01-02 00:00:00", Some(7.0)),
        ]);
        let week = fold(&t, "x", &["persistent".to_string()]).unwrap();
        assert_eq!(week.slot_seconds, 1_800);
        assert_eq!(week.series[0].0, "persistent");
        assert_eq!(week.series[1].0, "live");
        let live = &week.series[1].1;
        assert_eq!(live.len(), 336);
        assert_eq!(live[0], Some(3.0));
        assert_eq!(live[1], Some(2.0));
        assert_eq!(live[2], None);
        assert_eq!(week.series[0].1[48], Some(7.0));
        assert_eq!(week.max(), Some(7.0));
        assert!(fold(&t, "missing", &[]).unwrap().max().is_none());
    }
}
