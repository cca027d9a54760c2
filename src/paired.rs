//! Paired comparison of policies: the difference of every metric, with a 95% interval from paired replications.
//!
//! Every policy of a run faces the same customers in replication `r` (common random numbers). So rather than
//! comparing two means, each with its own wide interval, we take the difference `policy - baseline` within
//! each replication and put a Student-t interval on those differences. The customers' luck common to both
//! sides cancels: the paired interval is narrower than the two summary intervals together, the more so the
//! more alike the policies react to the same customers, and a difference whose interval excludes zero is the
//! policies', not chance's.
//!
//! The baseline is the first policy whose mode is live, or the first policy when none is. `paired.csv` has one
//! row per other policy: `policy, baseline, replications`, then for every metric of `summary.csv` the mean
//! difference (`policy - baseline`), then every `<metric>_ci95`. A replication where a metric is undefined on
//! either side (nothing to measure) is left out of that metric.

use crate::metrics::mean_ci;
use crate::metrics::run::PolicyRuns;
use crate::metrics::summary::{METRICS, metric_values, num};
use crate::report::{Cell, Table};
use crate::scenario::PolicySpec;
use crate::sim::policy::is_live;

/// The index of the baseline among `policies`: the first live one, else the first.
pub fn baseline(policies: &[PolicySpec]) -> usize {
    policies.iter().position(is_live).unwrap_or(0)
}

/// The columns of `paired.csv`.
pub fn paired_columns() -> Vec<String> {
    let mut columns: Vec<String> = vec!["policy".into(), "baseline".into(), "replications".into()];
    columns.extend(METRICS.iter().map(|m| m.to_string()));
    columns.extend(METRICS.iter().map(|m| format!("{m}_ci95")));
    columns
}

/// `paired.csv`: one row per policy other than the baseline (none with a single policy).
pub fn paired_table(runs: &[PolicyRuns], policies: &[PolicySpec], capacity_per_agent: u32) -> Table {
    let values: Vec<Vec<[Option<f64>; METRICS.len()]>> = runs
        .iter()
        .map(|p| p.replications.iter().map(|r| metric_values(&r.measured, capacity_per_agent)).collect())
        .collect();
    let names: Vec<&str> = runs.iter().map(|p| p.policy.as_str()).collect();
    Table { columns: paired_columns(), rows: paired_rows(&names, &values, baseline(policies)) }
}

/// The rows of `paired.csv` from per-replication metric values `values[policy][replication]`.
pub fn paired_rows(names: &[&str], values: &[Vec<[Option<f64>; METRICS.len()]>], base: usize) -> Vec<Vec<Cell>> {
    let Some(base_values) = values.get(base) else {
        return Vec::new();
    };
    let mut rows = Vec::new();
    for (p, (name, reps)) in names.iter().zip(values).enumerate() {
        if p == base {
            continue;
        }
        let pairs = reps.len().min(base_values.len());
        let stats: Vec<(Option<f64>, Option<f64>)> = (0..METRICS.len())
            .map(|k| {
                let diffs: Vec<f64> = (0..pairs)
                    .filter_map(|r| Some(reps[r][k]? - base_values[r][k]?))
                    .filter(|d| d.is_finite())
                    .collect();
                if diffs.is_empty() {
                    (None, None)
                } else {
                    let (mean, half) = mean_ci(&diffs, 0.95);
                    (Some(mean), half)
                }
            })
            .collect();
        let mut row = vec![Cell::Text(name.to_string()), Cell::Text(names[base].to_string()), Cell::Num(pairs as f64)];
        row.extend(stats.iter().map(|s| num(s.0)));
        row.extend(stats.iter().map(|s| num(s.1)));
        rows.push(row);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rep(v: f64) -> [Option<f64>; METRICS.len()] {
        let mut a = [None; METRICS.len()];
        a[0] = Some(v);
        a
    }

    #[test]
    fn differences_are_paired_by_replication() {
        // The baseline varies a lot between replications; the other policy is always 1 more: a paired
        // difference of exactly 1 with a zero-width interval, where unpaired intervals would be wide.
        let base: Vec<_> = [10.0, 50.0, 90.0].map(rep).to_vec();
        let other: Vec<_> = [11.0, 51.0, 91.0].map(rep).to_vec();
        let rows = paired_rows(&["a", "b"], &[base, other], 0);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0][0], Cell::Text("b".into()));
        assert_eq!(rows[0][1], Cell::Text("a".into()));
        assert_eq!(rows[0][2], Cell::Num(3.0));
        assert_eq!(rows[0][3], Cell::Num(1.0));
        assert_eq!(rows[0][3 + METRICS.len()], Cell::Num(0.0));
        assert_eq!(rows[0][4], Cell::Empty, "undefined on both sides: no value");
    }

    #[test]
    fn the_baseline_is_the_first_live_policy() {
        let scenario = crate::scenario::load_str(
            "name = \"x\"\nduration = \"1d\"\n[arrivals]\nrate = 1\n[agents]\ncount = 1\n\
             reply = { dist = \"constant\", value = \"1m\" }\n[[policy]]\nname = \"p\"\nmode = \"persistent\"\n\
             [[policy]]\nname = \"l\"\nmode = \"live\"\n",
            std::path::Path::new("x.toml"),
            &[],
        )
        .unwrap();
        assert_eq!(baseline(&scenario.policies), 1);
        assert_eq!(baseline(&scenario.policies[..1]), 0);
        assert_eq!(paired_columns().len(), 3 + 2 * METRICS.len());
    }
}
