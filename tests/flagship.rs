//! The flagship scenario says what scenarios/README.md says it does: both policies on one roster, live losing
//! customers it refused, persistent in a steady state (capacity used below 100%), and tipping over when the park
//! timer is longer than customers stay online. Bounds come from the run's own 95% intervals.

use assert_cmd::Command;
use chatcap::report::Table;
use chatcap::report::csv::read_csv;
use std::path::Path;
use tempfile::TempDir;

fn run(extra: &[&str]) -> (TempDir, Table) {
    let out = TempDir::new().unwrap();
    Command::cargo_bin("chatcap")
        .unwrap()
        .args(["run", "--quiet", "--out"])
        .arg(out.path())
        .args(extra)
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/persistent-vs-live.toml"))
        .assert()
        .success();
    let table = read_csv(&out.path().join("summary.csv")).unwrap();
    (out, table)
}

/// A metric of a policy, with its 95% half-width.
fn value(table: &Table, policy: &str, metric: &str) -> (f64, f64) {
    let row = table.policy_row(policy).unwrap();
    (table.num(row, metric).unwrap(), table.num(row, &format!("{metric}_ci95")).unwrap())
}

#[test]
fn flagship_compares_one_roster_with_lost_customers_and_a_steady_persistent_queue() {
    let (_out, t) = run(&[]);
    // The same roster: agent-hours within a few hours of each other (live agents finish their chats).
    let (live_hours, _) = value(&t, "live", "agent_hours_online");
    let (persistent_hours, _) = value(&t, "persistent", "agent_hours_online");
    assert!((live_hours - persistent_hours).abs() < 0.02 * live_hours, "{live_hours} against {persistent_hours}");
    // Live loses customers it refused; persistent loses none.
    let (lost, ci) = value(&t, "live", "lost_share");
    assert!(lost - ci > 0.05, "live lost share {lost} ±{ci}");
    assert!(value(&t, "live", "refused").0 > 0.0);
    assert_eq!(value(&t, "persistent", "customers_lost").0, 0.0);
    // Persistent settles: capacity used below 100% with room to spare, occupancy in a realistic team's range.
    let (used, ci) = value(&t, "persistent", "capacity_utilisation");
    assert!(used + ci < 0.95, "persistent capacity used {used} ±{ci}");
    let (occupancy, ci) = value(&t, "persistent", "occupancy");
    assert!(occupancy - ci > 0.6 && occupancy + ci < 0.9, "persistent occupancy {occupancy} ±{ci}");
    // Reclaimed capacity is bounded by the agents signed in.
    let (reclaimed, _) = value(&t, "persistent", "reclaimed_agent_equivalents");
    assert!(reclaimed <= value(&t, "persistent", "agents_online_mean").0);
}

#[test]
fn a_park_timer_longer_than_customers_stay_online_tips_persistent_over() {
    let (_out, shipped) = run(&[]);
    let (_out, long) = run(&["--set", "policy.persistent.park_after_idle=10m"]);
    let (used, ci) = value(&long, "persistent", "capacity_utilisation");
    assert!(used - ci > 1.0, "capacity used {used} ±{ci} with a 10-minute park");
    let (sl_long, ci_long) = value(&long, "persistent", "service_level");
    let (sl, ci) = value(&shipped, "persistent", "service_level");
    assert!(sl_long + ci_long < sl - ci, "service level {sl_long} ±{ci_long} against {sl} ±{ci}");
}
