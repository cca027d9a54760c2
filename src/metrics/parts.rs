//! `workstreams.csv` and `queues.csv`: the summary's figures for each workstream and each queue of a routing
//! set-up, with what the routing did to them.
//!
//! A row is one part of one policy: means over replications, then their 95% half-widths, then the routing
//! counts (overflow rules applied, transfers in and out, offers and declines; means per replication). Figures
//! that belong to the whole team are left out: agents' occupancy, reclaimed capacity and agent-hours are shared
//! by every workstream and cannot be split. For a workstream, `capacity_utilisation` is the share of the team's
//! capacity online its conversations held; a queue holds no capacity, so it has none, nor customer figures
//! (customers belong to workstreams). How each part is measured: `src/sim/observe.rs`.

use super::collector::Measured;
use super::run::{PartResult, PolicyRuns};
use super::summary::{METRICS, mean_and_half, metric_values, num};
use crate::report::columns;
use crate::report::{Cell, Table};
use crate::scenario::PolicySpec;

/// Which part a table is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartKind {
    /// `workstreams.csv`.
    Workstream,
    /// `queues.csv`.
    Queue,
}

/// Team figures no part has.
const TEAM_ONLY: [&str; 5] = [
    "occupancy",
    "reclaimed_capacity_share",
    "reclaimed_agent_equivalents",
    "agents_online_mean",
    "agent_hours_online",
];

/// Figures a queue does not have on top of those.
const NOT_FOR_QUEUES: [&str; 4] = ["capacity_utilisation", "customers", "customers_lost", "lost_share"];

/// Where `capacity_utilisation` sits in [`METRICS`].
const CAPACITY_UTILISATION: usize = {
    let mut k = 0;
    while !matches!(METRICS[k].as_bytes(), b"capacity_utilisation") {
        k += 1;
    }
    k
};

/// The routing counts' columns.
pub const COUNTS: [&str; 5] = ["overflowed", "transferred_in", "transferred_out", "offers", "declines"];

/// The metrics a part of this kind has, as indexes into [`METRICS`].
fn applicable(kind: PartKind) -> Vec<usize> {
    (0..METRICS.len())
        .filter(|&k| {
            let name = METRICS[k];
            let queue_only_lacks = kind == PartKind::Queue && NOT_FOR_QUEUES.contains(&name);
            !(TEAM_ONLY.contains(&name) || queue_only_lacks)
        })
        .collect()
}

/// The names of the metrics a part of this kind has (the columns of its table a `--target` may read).
pub fn part_metrics(kind: PartKind) -> Vec<&'static str> {
    applicable(kind).into_iter().map(|k| METRICS[k]).collect()
}

/// The table for one kind of part; `None` when no policy has a routing set-up.
pub fn parts_table(runs: &[PolicyRuns], policies: &[PolicySpec], kind: PartKind, capacity: u32) -> Option<Table> {
    let metrics = applicable(kind);
    let label = match kind {
        PartKind::Workstream => "workstream",
        PartKind::Queue => "queue",
    };
    let mut table_columns = vec!["policy".to_string(), label.to_string(), "replications".to_string()];
    table_columns.extend(metrics.iter().map(|&k| METRICS[k].to_string()));
    table_columns.extend(metrics.iter().map(|&k| columns::ci95(METRICS[k])));
    table_columns.extend(COUNTS.iter().map(|c| c.to_string()));
    let mut rows = Vec::new();
    for (p, spec) in runs.iter().zip(policies) {
        let Some(setup) = spec.setup() else { continue };
        let names: Vec<&str> = match kind {
            PartKind::Workstream => setup.workstreams.iter().map(|w| w.name.as_str()).collect(),
            PartKind::Queue => setup.queues.iter().map(|q| q.name.as_str()).collect(),
        };
        for (i, name) in names.iter().enumerate() {
            let with_team: Vec<(&PartResult, &Measured)> = p
                .replications
                .iter()
                .filter_map(|r| r.breakdown.as_ref().map(|b| (b, &r.measured)))
                .map(|(b, team)| match kind {
                    PartKind::Workstream => (&b.workstreams[i], team),
                    PartKind::Queue => (&b.queues[i], team),
                })
                .collect();
            let parts: Vec<&PartResult> = with_team.iter().map(|(part, _)| *part).collect();
            let per_rep: Vec<_> = with_team
                .iter()
                .map(|(part, team)| {
                    let mut values = metric_values(&part.measured, capacity);
                    // A part has no agents of its own: its capacity held is set against the team's capacity online.
                    values[CAPACITY_UTILISATION] = (team.integrals.capacity_online > 0.0)
                        .then(|| part.measured.integrals.capacity_used / team.integrals.capacity_online);
                    values
                })
                .collect();
            let stats: Vec<(Option<f64>, Option<f64>)> = metrics.iter().map(|&k| mean_and_half(&per_rep, k)).collect();
            let mut row = vec![Cell::Text(p.policy.clone()), Cell::Text(name.to_string())];
            row.push(Cell::Num(parts.len() as f64));
            row.extend(stats.iter().map(|s| num(s.0)));
            row.extend(stats.iter().map(|s| num(s.1)));
            let n = parts.len().max(1) as f64;
            let mean = |f: fn(&PartResult) -> u64| Cell::Num(parts.iter().map(|p| f(p) as f64).sum::<f64>() / n);
            row.push(mean(|p| p.counts.overflowed));
            row.push(mean(|p| p.counts.transferred_in));
            row.push(mean(|p| p.counts.transferred_out));
            row.push(mean(|p| p.counts.offers));
            row.push(mean(|p| p.counts.declines));
            rows.push(row);
        }
    }
    (!rows.is_empty()).then_some(Table { columns: table_columns, rows })
}
