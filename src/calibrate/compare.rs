//! Observed against simulated, per interval and per hour of day, with the simulation's 95% interval.
//!
//! Both sides use the simulator's definitions: abandonment = abandoned / offered; mean wait over offered
//! contacts, from joining the queue to being taken or giving up; a contact counts in the interval (and hour of
//! day) it joined the queue. The simulated value is the mean over replications; its interval is the Student-t
//! 95% half-width over replications. The error is (simulated - observed) / observed.

use super::model::Cell;
use crate::history::Observed;
use crate::metrics::stats::mean_ci;

const DAY_S: i64 = 86_400;

/// Hours of day judged by the verdict need at least this many observed contacts in the window.
pub const MIN_CALLS: f64 = 100.0;
/// Relative error within which an hour counts as reproduced.
pub const TOLERANCE: f64 = 0.15;

/// One row of the comparison: an interval or an hour of day.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// `YYYY-MM-DD HH:MM:SS` for an interval, `HH:00` for an hour of day.
    pub period: String,
    /// Observed contacts offered.
    pub offered: f64,
    /// Simulated offered, mean over replications.
    pub offered_sim: f64,
    /// Observed abandonment, if anything was offered.
    pub abandon: Option<f64>,
    /// Simulated abandonment and its 95% half-width.
    pub abandon_sim: Option<(f64, Option<f64>)>,
    /// Observed mean wait, seconds.
    pub wait: Option<f64>,
    /// Simulated mean wait and its 95% half-width, seconds.
    pub wait_sim: Option<(f64, Option<f64>)>,
}

impl Row {
    /// Relative error of the simulated abandonment.
    pub fn abandon_error(&self) -> Option<f64> {
        relative(self.abandon_sim.map(|s| s.0), self.abandon)
    }

    /// Relative error of the simulated mean wait.
    pub fn wait_error(&self) -> Option<f64> {
        relative(self.wait_sim.map(|s| s.0), self.wait)
    }

    /// Both errors within [`TOLERANCE`].
    pub fn within(&self) -> bool {
        matches!((self.abandon_error(), self.wait_error()), (Some(a), Some(w)) if a.abs() <= TOLERANCE && w.abs() <= TOLERANCE)
    }
}

fn relative(sim: Option<f64>, obs: Option<f64>) -> Option<f64> {
    match (sim, obs) {
        (Some(s), Some(o)) if o > 0.0 => Some((s - o) / o),
        (Some(0.0), Some(_)) => Some(0.0),
        _ => None,
    }
}

/// Rows from observed totals and per-replication simulated totals of one period.
fn row(period: String, obs: Observed, sim: &[Cell]) -> Row {
    let ratio = |x: f64, n: f64| (n > 0.0).then(|| x / n);
    let per_rep = |f: &dyn Fn(&Cell) -> Option<f64>| -> Option<(f64, Option<f64>)> {
        let v: Vec<f64> = sim.iter().filter_map(f).collect();
        (v.len() == sim.len() && !v.is_empty()).then(|| mean_ci(&v, 0.95))
    };
    Row {
        period,
        offered: obs.offered,
        offered_sim: sim.iter().map(|c| c.offered).sum::<f64>() / sim.len().max(1) as f64,
        abandon: ratio(obs.abandoned, obs.offered),
        abandon_sim: per_rep(&|c| ratio(c.abandoned, c.offered)),
        wait: ratio(obs.wait_s, obs.offered),
        wait_sim: per_rep(&|c| ratio(c.wait_s, c.offered)),
    }
}

fn add(a: Observed, b: &Observed) -> Observed {
    Observed { offered: a.offered + b.offered, abandoned: a.abandoned + b.abandoned, wait_s: a.wait_s + b.wait_s, ..a }
}

fn add_cell(a: Cell, b: &Cell) -> Cell {
    Cell { offered: a.offered + b.offered, abandoned: a.abandoned + b.abandoned, wait_s: a.wait_s + b.wait_s }
}

/// Per interval of the window: `observed[k]` against every replication's `sim[r][k]`.
pub fn by_interval(observed: &[Observed], sim: &[Vec<Cell>]) -> Vec<Row> {
    observed
        .iter()
        .enumerate()
        .map(|(k, o)| {
            let cells: Vec<Cell> = sim.iter().map(|r| r.get(k).copied().unwrap_or_default()).collect();
            row(crate::history::timestamp(o.start_s), *o, &cells)
        })
        .collect()
}

/// Observed and per-replication simulated totals by hour of day, pooled over the window's days.
pub fn hour_totals(observed: &[Observed], sim: &[Vec<Cell>]) -> ([Observed; 24], Vec<[Cell; 24]>) {
    let hour = |s: i64| (s.rem_euclid(DAY_S) / 3600) as usize;
    let mut obs = [Observed::default(); 24];
    let mut cells = vec![[Cell::default(); 24]; sim.len()];
    for (k, o) in observed.iter().enumerate() {
        let h = hour(o.start_s);
        obs[h] = add(obs[h], o);
        for (r, rep) in sim.iter().enumerate() {
            if let Some(c) = rep.get(k) {
                cells[r][h] = add_cell(cells[r][h], c);
            }
        }
    }
    (obs, cells)
}

/// Per hour of day, pooled over the window's days.
pub fn by_hour(observed: &[Observed], sim: &[Vec<Cell>]) -> Vec<Row> {
    let (obs, cells) = hour_totals(observed, sim);
    (0..24)
        .map(|h| {
            let per: Vec<Cell> = cells.iter().map(|c| c[h]).collect();
            row(format!("{h:02}:00"), obs[h], &per)
        })
        .collect()
}

/// The whole window in one row.
pub fn total(observed: &[Observed], sim: &[Vec<Cell>]) -> Row {
    let obs = observed.iter().fold(Observed::default(), add);
    let per: Vec<Cell> = sim.iter().map(|r| r.iter().fold(Cell::default(), add_cell)).collect();
    row("all".into(), obs, &per)
}

/// What calibration minimises: over hours of day with at least [`MIN_CALLS`] contacts, the sum of squared
/// relative errors of abandonment and of mean wait (observed values floored at 1% and 1 s so that a quiet
/// hour cannot dominate).
pub fn loss(hours: &[Row]) -> f64 {
    let err = |sim: Option<(f64, Option<f64>)>, obs: Option<f64>, floor: f64| match (sim, obs) {
        (Some((s, _)), Some(o)) => ((s - o) / o.max(floor)).powi(2),
        _ => 0.0,
    };
    hours
        .iter()
        .filter(|h| h.offered >= MIN_CALLS)
        .map(|h| err(h.abandon_sim, h.abandon, 0.01) + err(h.wait_sim, h.wait, 1.0))
        .sum()
}
