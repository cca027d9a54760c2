//! Every conversation that arrives is accounted for: closed, abandoned, refused, or still open at the end.
//!
//! "Still open" is not taken from the outcome counters (that would make the check a tautology) but counted from
//! the state the run stopped in: the conversations the engine still follows and the router still holds. The
//! outcome counters are also checked against the per-conversation records, which are written separately.

use chatcap::metrics::run::{Outcome, RunResult};
use chatcap::metrics::summary::conservation;
use chatcap::scenario::load;
use chatcap::sim::run::{RunOptions, simulate};
use std::path::{Path, PathBuf};

fn shipped_scenarios() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    names.sort();
    names
}

/// Checks one run against the independent counts; `what` names it in failures.
fn check(run: &RunResult, what: &str) {
    let m = &run.measured;
    let held = run.held;
    let ended = m.closed + m.abandoned + m.refused;
    assert_eq!(
        ended + held.engine_in_window,
        m.conversations,
        "{what}: {} arrived but {ended} ended and the engine still follows {}",
        m.conversations,
        held.engine_in_window
    );
    assert_eq!(held.router_in_window, held.engine_in_window, "{what}: the router and the engine disagree");
    assert_eq!(held.router, held.engine, "{what}: router and engine hold different numbers, warm-up included");
    assert_eq!(m.still_open, held.engine_in_window, "{what}: the still-open counter drifted from the state");
    conservation(m).unwrap_or_else(|e| panic!("{what}: {e}"));

    let count = |f: fn(&Outcome) -> bool| run.records.iter().filter(|r| f(&r.outcome)).count() as u64;
    assert_eq!(run.records.len() as u64, m.conversations, "{what}: one record per measured conversation");
    assert_eq!(count(|o| matches!(o, Outcome::Closed(_))), m.closed, "{what}: closed");
    assert_eq!(count(|o| matches!(o, Outcome::Abandoned)), m.abandoned, "{what}: abandoned");
    assert_eq!(count(|o| matches!(o, Outcome::Refused)), m.refused, "{what}: refused");
    assert_eq!(count(|o| matches!(o, Outcome::Open)), held.engine_in_window, "{what}: open");
}

#[test]
fn arrived_equals_closed_abandoned_refused_and_still_held_in_every_shipped_scenario() {
    let mut still_open_somewhere = false;
    for path in shipped_scenarios() {
        // A short drain leaves persistent conversations open: the check must count them too.
        let overrides = ["replications=2".to_string(), "duration=3d".to_string(), "drain=6h".to_string()];
        let scenario = load(&path, &overrides).unwrap_or_else(|e| panic!("{e}"));
        let options = RunOptions { record_conversations: true, ..RunOptions::default() };
        for policy in simulate(&scenario, &options).unwrap() {
            for (r, run) in policy.replications.iter().enumerate() {
                let what = format!("{}: {} replication {}", path.display(), policy.policy, r + 1);
                assert!(run.measured.conversations > 0, "{what}: simulated nothing");
                check(run, &what);
                still_open_somewhere |= run.held.engine_in_window > 0;
            }
        }
    }
    assert!(still_open_somewhere, "a 6-hour drain should leave some persistent conversation open");
}

#[test]
fn a_run_cut_short_still_adds_up() {
    // No drain at all: everything open at the end of the window is still held, in queue, with an agent or parked.
    for path in shipped_scenarios() {
        let overrides = ["replications=1".to_string(), "duration=1d".to_string(), "drain=0s".to_string()];
        let scenario = load(&path, &overrides).unwrap_or_else(|e| panic!("{e}"));
        let options = RunOptions { record_conversations: true, ..RunOptions::default() };
        for policy in simulate(&scenario, &options).unwrap() {
            let run = &policy.replications[0];
            check(run, &format!("{}: {} without drain", path.display(), policy.policy));
        }
    }
}
