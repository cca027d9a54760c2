//! Running a sweep: every (point, policy, replication) of the shard's points as one flat parallel job list.
//!
//! Each point is the scenario with the point's `--vary` values applied as overrides (so they meet the file's
//! checks) and its own seed, [`point_seed`]`(base seed, point index)`. Within a point every policy faces the
//! same customers, replication by replication, as in `chatcap run`. The shared runner [`run_all`] runs the
//! flat list on any number of threads; results come back in list order and are reduced point by point, policy
//! by policy, replication by replication, so `sweep.csv` is byte-identical for any `--jobs`.

use super::grid::{Grid, point_seed};
use super::progress::progress_bar;
use super::shard::Shard;
use crate::metrics::run::{PolicyRuns, RunResult};
use crate::metrics::summary::{METRICS, metric_values, summary_table};
use crate::paired::{baseline, paired_columns, paired_rows};
use crate::report::{Cell, Table};
use crate::scenario::{Scenario, load, name_vary};
use crate::sim::engine::Engine;
use crate::sim::run::run_all;
use crate::{Error, Result};
use std::path::Path;

/// The column after the summary columns that numbers each row's point in the whole grid, so shards can be
/// merged back in order.
pub const POINT_COLUMN: &str = "point";

/// What a sweep (or one shard of it) produced.
#[derive(Debug, Clone)]
pub struct SweepResult {
    /// `sweep.csv`: varied keys, then the `summary.csv` columns, then `point`; one row per point and policy.
    pub sweep: Table,
    /// `paired.csv` of every point: varied keys, then the paired columns, then `point`.
    pub paired: Table,
    /// The base scenario (with `--set` applied), for names and descriptions.
    pub scenario: Scenario,
    /// Simulations run.
    pub runs: usize,
}

/// Loads the scenario of every point this shard runs: overrides `sets`, then the point's values, then its seed
/// (derived from `base_seed`, the seed of the scenario with `sets` applied).
pub fn point_scenarios(
    path: &Path,
    sets: &[String],
    grid: &Grid,
    shard: Shard,
    base_seed: u64,
) -> Result<Vec<(usize, Scenario)>> {
    shard
        .points(grid.len())
        .into_iter()
        .map(|p| {
            let mut overrides = sets.to_vec();
            overrides.extend(grid.overrides(p));
            let mut scenario = load(path, &overrides).map_err(|e| name_vary(e, sets))?;
            // `base_seed` unless the grid varies `seed` itself, in which case each point's own seed is used.
            let seed = if grid.keys().iter().any(|k| k == "seed") { scenario.seed } else { base_seed };
            scenario.seed = point_seed(seed, p);
            Ok((p, scenario))
        })
        .collect()
}

/// Runs the shard's points of the grid on `jobs` threads (0: one per core) and builds its tables.
pub fn run_sweep(
    path: &Path,
    sets: &[String],
    grid: &Grid,
    shard: Shard,
    jobs: usize,
    progress: bool,
) -> Result<SweepResult> {
    let base = load(path, sets)?;
    let points = point_scenarios(path, sets, grid, shard, base.seed)?;
    let tasks: Vec<(usize, usize, u32)> = points
        .iter()
        .enumerate()
        .flat_map(|(i, (_, s))| (0..s.policies.len()).flat_map(move |p| (0..s.replications).map(move |r| (i, p, r))))
        .collect();
    let bar = progress_bar(tasks.len() as u64, progress);
    let results: Vec<RunResult> = run_all(&tasks, jobs, &bar, |_, &(i, p, r)| {
        let scenario = &points[i].1;
        let mut result = Engine::new(scenario, &scenario.policies[p], r, false).run();
        result.measured.intervals = Vec::new();
        Ok(result)
    })?;
    for (&(i, p, r), result) in tasks.iter().zip(&results) {
        if let Some(o) = result.overloaded {
            let (index, scenario) = &points[i];
            return Err(Error::Other(format!(
                "{}: point {index} ({}), policy {}, replication {}: {}",
                path.display(),
                grid.overrides(*index).join(", "),
                scenario.policies[p].name,
                r + 1,
                o.describe()
            )));
        }
    }

    let keys = grid.keys();
    let mut sweep = Table::default();
    let mut paired = Table::default();
    let mut results = results.into_iter();
    for (index, scenario) in &points {
        let runs = PolicyRuns::group(&scenario.policies, scenario.replications, results.by_ref());
        let capacity = scenario.agents.capacity;
        let summary = summary_table(&runs, &scenario.policies, capacity);
        if sweep.columns.is_empty() {
            sweep.columns = with_keys(&keys, summary.columns.clone());
        }
        let values = grid.point(*index);
        let prefix = |row: Vec<Cell>| -> Vec<Cell> {
            let mut out: Vec<Cell> = values.iter().map(|v| Cell::Text(v.to_string())).collect();
            out.extend(row);
            out.push(Cell::Num(*index as f64));
            out
        };
        sweep.rows.extend(summary.rows.into_iter().map(prefix));
        let per_rep: Vec<Vec<[Option<f64>; METRICS.len()]>> = runs
            .iter()
            .map(|p| p.replications.iter().map(|r| metric_values(&r.measured, capacity)).collect())
            .collect();
        let names: Vec<&str> = runs.iter().map(|p| p.policy.as_str()).collect();
        paired.rows.extend(paired_rows(&names, &per_rep, baseline(&scenario.policies)).into_iter().map(prefix));
    }
    if sweep.columns.is_empty() {
        let empty = summary_table(&[], &base.policies, base.agents.capacity);
        sweep.columns = with_keys(&keys, empty.columns);
    }
    paired.columns = with_keys(&keys, paired_columns());
    Ok(SweepResult { sweep, paired, scenario: base, runs: tasks.len() })
}

/// `keys`, then `columns`, then [`POINT_COLUMN`].
fn with_keys(keys: &[String], columns: Vec<String>) -> Vec<String> {
    let mut out = keys.to_vec();
    out.extend(columns);
    out.push(POINT_COLUMN.into());
    out
}
