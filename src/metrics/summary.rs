//! From runs to the tables planners read: `summary.csv`, `intervals.csv`, `conversations.csv`.
//!
//! Each replication gives one value per metric (see CONTRACT-defined names below); the summary reports their
//! mean over replications and the half-width of the 95% Student-t interval, reduced in replication order so
//! the result does not depend on how many threads ran them.

use super::collector::{IntervalRow, Measured};
use super::records::{self, conversation_row};
use super::run::PolicyRuns;
use super::{Histogram, mean_ci};
use crate::hours::Origin;
use crate::report::{Cell, Table, columns};
use crate::routing::Millis;
use crate::scenario::PolicySpec;

/// How many of [`METRICS`] the contract lists before the confidence intervals (all but `policy, replications`).
const CONTRACT_METRICS: usize = columns::SUMMARY.len() - 2;

/// Metrics chatcap adds after the contract's.
const EXTRAS: [&str; 6] = [
    "offered",
    "still_open",
    "agents_online_mean",
    "first_response_mean_s",
    "service_level_open_hours",
    "first_response_open_p90_s",
];

/// How many of [`METRICS`] come before the customer figures.
const FIRST_WAVE: usize = CONTRACT_METRICS + EXTRAS.len();

/// The summary metrics: the contract's columns (from [`columns::SUMMARY`]), the extras, then the customer
/// figures ([`columns::SUMMARY_CUSTOMERS`]).
pub const METRICS: [&str; FIRST_WAVE + columns::SUMMARY_CUSTOMERS.len()] = {
    let mut all = [""; FIRST_WAVE + columns::SUMMARY_CUSTOMERS.len()];
    let mut i = 0;
    while i < CONTRACT_METRICS {
        all[i] = columns::SUMMARY[i + 2];
        i += 1;
    }
    while i < FIRST_WAVE {
        all[i] = EXTRAS[i - CONTRACT_METRICS];
        i += 1;
    }
    while i < all.len() {
        all[i] = columns::SUMMARY_CUSTOMERS[i - FIRST_WAVE];
        i += 1;
    }
    all
};

fn ratio(num: f64, den: f64) -> Option<f64> {
    (den > 0.0).then(|| num / den)
}

fn secs(h: &Histogram, q: f64) -> Option<f64> {
    h.quantile(q).map(|m| m.as_secs_f64())
}

/// One replication's value of every metric, in [`METRICS`] order; `None` where undefined (nothing to measure).
pub fn metric_values(m: &Measured, capacity_per_agent: u32) -> [Option<f64>; METRICS.len()] {
    let offered = (m.conversations - m.refused) as f64;
    let i = &m.integrals;
    let window = m.window.0 as f64;
    [
        Some(m.conversations as f64),
        Some(m.refused as f64),
        Some(m.abandoned as f64),
        ratio(m.abandoned as f64, offered),
        ratio(m.queue_wait_total as f64 / 1_000.0, m.queue_waits as f64),
        ratio(offered - m.assigned_on_arrival as f64, offered),
        ratio(m.within_threshold as f64, offered),
        secs(&m.first_response, 0.5),
        secs(&m.first_response, 0.9),
        m.response.mean_secs(),
        secs(&m.response, 0.5),
        secs(&m.response, 0.9),
        secs(&m.response, 0.95),
        secs(&m.response, 0.99),
        ratio(i.agents_working, i.agents_online),
        ratio(i.capacity_used, i.capacity_online),
        ratio(i.capacity_reclaimed, i.capacity_used + i.capacity_reclaimed).or(Some(0.0)),
        ratio(i.capacity_reclaimed, f64::from(capacity_per_agent) * window),
        Some(m.recontacts as f64),
        ratio(m.same_agent_sessions as f64, m.later_sessions as f64),
        Some(m.closed as f64),
        Some(offered),
        Some(m.still_open as f64),
        ratio(i.agents_online, window),
        m.first_response.mean_secs(),
        ratio(m.within_threshold_open as f64, offered),
        secs(&m.first_response_open, 0.9),
        Some(m.customers as f64),
        Some(m.customers_lost as f64),
        ratio(m.customers_lost as f64, m.customers as f64),
        Some(i.agents_online / Millis::HOUR.0 as f64),
    ]
}

/// `summary.csv`: one row per policy; means over replications, the 95% half-widths, then extras (among them
/// `mode`, `live`, `persistent` or `blended`, so readers can tell the baseline), then the customer figures, each with its
/// half-width.
pub fn summary_table(runs: &[PolicyRuns], policies: &[PolicySpec], capacity_per_agent: u32) -> Table {
    let mut columns: Vec<String> = columns::SUMMARY.iter().map(|c| c.to_string()).collect();
    columns.extend(METRICS[..FIRST_WAVE].iter().map(|m| columns::ci95(m)));
    columns.extend(METRICS[CONTRACT_METRICS..FIRST_WAVE].iter().map(|m| m.to_string()));
    columns.push("mode".into());
    columns.extend(METRICS[FIRST_WAVE..].iter().flat_map(|m| [m.to_string(), columns::ci95(m)]));
    let rows = runs
        .iter()
        .zip(policies)
        .map(|(p, spec)| {
            let per_rep: Vec<[Option<f64>; METRICS.len()]> =
                p.replications.iter().map(|r| metric_values(&r.measured, capacity_per_agent)).collect();
            let stats: Vec<(Option<f64>, Option<f64>)> =
                (0..METRICS.len()).map(|k| mean_and_half(&per_rep, k)).collect();
            let mut row = vec![Cell::Text(p.policy.clone()), Cell::Num(p.replications.len() as f64)];
            row.extend(stats[..CONTRACT_METRICS].iter().map(|s| num(s.0)));
            row.extend(stats[..FIRST_WAVE].iter().map(|s| num(s.1)));
            row.extend(stats[CONTRACT_METRICS..FIRST_WAVE].iter().map(|s| num(s.0)));
            row.push(Cell::Text(spec.mode_name().into()));
            row.extend(stats[FIRST_WAVE..].iter().flat_map(|s| [num(s.0), num(s.1)]));
            row
        })
        .collect();
    Table { columns, rows }
}

/// The mean over replications of metric `k` and its 95% half-width, over the replications where it is defined.
pub(crate) fn mean_and_half(per_rep: &[[Option<f64>; METRICS.len()]], k: usize) -> (Option<f64>, Option<f64>) {
    let values: Vec<f64> = per_rep.iter().filter_map(|v| v[k]).collect();
    if values.is_empty() {
        return (None, None);
    }
    let (mean, half) = mean_ci(&values, 0.95);
    (Some(mean), half)
}

/// A figure as a CSV cell: empty when undefined or not finite.
pub(crate) fn num(v: Option<f64>) -> Cell {
    match v {
        Some(x) if x.is_finite() => Cell::Num(x),
        _ => Cell::Empty,
    }
}

/// `intervals.csv`: one row per policy, replication (numbered from 1) and interval.
pub fn intervals_table(runs: &[PolicyRuns], origin: Origin) -> Table {
    let mut rows = Vec::new();
    for p in runs {
        for (r, run) in p.replications.iter().enumerate() {
            for row in &run.measured.intervals {
                let mut cells = vec![Cell::Text(p.policy.clone()), Cell::Num((r + 1) as f64)];
                cells.push(Cell::Text(origin.format(row.start)));
                cells.extend(interval_numbers(row));
                rows.push(cells);
            }
        }
    }
    Table { columns: interval_columns(), rows }
}

/// The columns of `intervals.csv`: the contract's, then `reclaimed_capacity_mean`.
pub fn interval_columns() -> Vec<String> {
    let mut columns: Vec<String> = columns::INTERVALS.iter().map(|c| c.to_string()).collect();
    columns.push(columns::RECLAIMED_CAPACITY_MEAN.into());
    columns
}

/// How many cells of an `intervals.csv` row follow `interval_start`.
pub const INTERVAL_NUMBERS: usize = 14;

/// The cells of an `intervals.csv` row after `policy, replication, interval_start`.
pub fn interval_numbers(row: &IntervalRow) -> [Cell; INTERVAL_NUMBERS] {
    let m = &row.means;
    [
        Cell::Num(row.arrivals as f64),
        Cell::Num(row.assigned as f64),
        Cell::Num(row.abandoned as f64),
        Cell::Num(row.refused as f64),
        Cell::Num(m.queue),
        Cell::Num(m.active),
        Cell::Num(m.waiting),
        Cell::Num(m.agents_online),
        Cell::Num(m.capacity_online),
        Cell::Num(m.capacity_used),
        num(row.occupancy()),
        num(row.response_p90_s),
        num(row.service_level()),
        Cell::Num(m.capacity_reclaimed),
    ]
}

/// The response-time distribution of each policy over all replications, as CDF points for plotting.
pub fn response_cdf(runs: &[PolicyRuns]) -> Vec<(String, Vec<(f64, f64)>)> {
    runs.iter()
        .map(|p| {
            let mut all = Histogram::new();
            for r in &p.replications {
                all.merge(&r.measured.response);
            }
            (p.policy.clone(), all.cdf_points(200))
        })
        .collect()
}

/// `conversations.csv`: one row per measured conversation.
pub fn conversations_table(runs: &[PolicyRuns], origin: Origin) -> Table {
    let columns = records::COLUMNS.iter().map(|c| c.to_string()).collect();
    let mut rows = Vec::new();
    for p in runs {
        for (r, run) in p.replications.iter().enumerate() {
            for c in &run.records {
                rows.push(conversation_row(&p.policy, r + 1, c, origin));
            }
        }
    }
    Table { columns, rows }
}

/// The conservation check of one replication: arrived = closed + abandoned + refused + still open.
pub fn conservation(m: &Measured) -> Result<(), String> {
    let accounted = m.closed + m.abandoned + m.refused + m.still_open;
    if accounted == m.conversations {
        Ok(())
    } else {
        Err(format!(
            "{} arrived but {} closed + {} abandoned + {} refused + {} still open = {}",
            m.conversations, m.closed, m.abandoned, m.refused, m.still_open, accounted
        ))
    }
}

/// The same check against an independent count: "still open" must be the window's conversations that the
/// engine and the routing core still hold when the run stops (`engine_held`, `router_held`), not only the
/// counter kept beside the outcome counts.
pub fn conservation_held(m: &Measured, engine_held: u64, router_held: u64) -> Result<(), String> {
    conservation(m)?;
    if m.still_open != engine_held || router_held != engine_held {
        return Err(format!(
            "{} counted still open, but the engine still holds {engine_held} and the routing core {router_held}",
            m.still_open
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hours::{OperatingHours, Origin};
    use crate::metrics::collector::Collector;
    use crate::routing::Millis;

    /// One conversation arrived in the window and the counters call it still open.
    fn one_still_open() -> Measured {
        let hours = OperatingHours::always_open(Origin::midnight(0));
        let mut c = Collector::new(Millis(0), Millis(1_000), Millis(500), Millis(10), hours);
        c.arrival(Millis(100), false);
        c.finish(Millis(1_000), 1)
    }

    #[test]
    fn conservation_is_checked_against_what_the_engine_and_router_still_hold() {
        let m = one_still_open();
        assert!(conservation(&m).is_ok(), "the counters agree with themselves");
        assert!(conservation_held(&m, 1, 1).is_ok());
        let lost = conservation_held(&m, 0, 0).unwrap_err();
        assert!(lost.contains("1 counted still open, but the engine still holds 0"), "{lost}");
        assert!(conservation_held(&m, 1, 0).is_err(), "the routing core lost it");
    }
}
