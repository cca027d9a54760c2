//! The fixed column names of `summary.csv` and `intervals.csv` (CONTRACT.md, "Outputs"): users' scripts and
//! spreadsheets depend on them, so they live in one place and a check says when a table strays from them.

use super::Table;

/// `summary.csv` starts with these columns, in this order; `<metric>_ci95` columns and extras follow.
pub const SUMMARY: [&str; 23] = [
    "policy",
    "replications",
    "conversations",
    "refused",
    "abandoned",
    "abandon_rate",
    "queue_wait_mean_s",
    "wait_probability",
    "service_level",
    "first_response_p50_s",
    "first_response_p90_s",
    "response_mean_s",
    "response_p50_s",
    "response_p90_s",
    "response_p95_s",
    "response_p99_s",
    "occupancy",
    "capacity_utilisation",
    "reclaimed_capacity_share",
    "reclaimed_agent_equivalents",
    "recontacts",
    "same_agent_share",
    "conversations_closed",
];

/// Customer and staffing figures (CONTRACT.md, "Additions (second wave)"): appended to `summary.csv` after
/// every earlier column, each followed by its `_ci95`, in this order.
pub const SUMMARY_CUSTOMERS: [&str; 4] = ["customers", "customers_lost", "lost_share", "agent_hours_online"];

/// `intervals.csv` starts with these columns, in this order.
pub const INTERVALS: [&str; 16] = [
    "policy",
    "replication",
    "interval_start",
    "arrivals",
    "assigned",
    "abandoned",
    "refused",
    "queue_length_mean",
    "active_mean",
    "waiting_mean",
    "agents_online_mean",
    "capacity_online_mean",
    "capacity_used_mean",
    "occupancy",
    "response_p90_s",
    "service_level",
];

/// Capacity units released by parking, time-averaged over the interval: the extra `intervals.csv` column the
/// reclaimed-capacity chart reads.
pub const RECLAIMED_CAPACITY_MEAN: &str = "reclaimed_capacity_mean";

/// The half-width column of a metric's 95% interval.
pub fn ci95(metric: &str) -> String {
    format!("{metric}_ci95")
}

/// Says how `table` departs from starting with `expected` in order, or `None` when it does not; also flags
/// rows whose length differs from the header. For tests of whoever builds the tables.
pub fn check(table: &Table, expected: &[&str]) -> Option<String> {
    for (i, want) in expected.iter().enumerate() {
        match table.columns.get(i) {
            Some(got) if got == want => {}
            Some(got) => return Some(format!("column {} is {got:?}, expected {want:?}", i + 1)),
            None => return Some(format!("column {} is missing, expected {want:?}", i + 1)),
        }
    }
    let bad = table.rows.iter().position(|r| r.len() != table.columns.len())?;
    Some(format!("row {} has {} cells for {} columns", bad + 1, table.rows[bad].len(), table.columns.len()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Cell;

    #[test]
    fn check_names_the_first_problem() {
        let mut table = Table { columns: INTERVALS.iter().map(|c| c.to_string()).collect(), rows: vec![] };
        assert_eq!(check(&table, &INTERVALS), None);
        table.columns.swap(3, 4);
        assert_eq!(check(&table, &INTERVALS), Some("column 4 is \"assigned\", expected \"arrivals\"".into()));
        table.columns.swap(3, 4);
        table.rows.push(vec![Cell::Empty]);
        assert!(check(&table, &INTERVALS).unwrap().starts_with("row 1 has 1 cells"));
        assert_eq!(check(&table, &SUMMARY), Some("column 2 is \"replication\", expected \"replications\"".into()));
        assert_eq!(ci95("occupancy"), "occupancy_ci95");
    }
}
