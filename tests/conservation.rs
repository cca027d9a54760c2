//! Every conversation that arrives is accounted for: closed, abandoned, refused, or still open at the end.

use chatcap::metrics::summary::conservation;
use chatcap::scenario::load;
use chatcap::sim::run::{RunOptions, simulate};
use std::path::Path;

#[test]
fn arrived_equals_closed_abandoned_refused_and_still_open_in_every_shipped_scenario() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            names.push(path);
        }
    }
    names.sort();
    let mut still_open_somewhere = false;
    for path in &names {
        // A short drain leaves persistent conversations open: the check must count them too.
        let overrides = ["replications=2".to_string(), "duration=3d".to_string(), "drain=6h".to_string()];
        let scenario = load(path, &overrides).unwrap_or_else(|e| panic!("{e}"));
        for policy in simulate(&scenario, &RunOptions::default()).unwrap() {
            for run in &policy.replications {
                let m = &run.measured;
                conservation(m).unwrap_or_else(|e| panic!("{}: {}: {e}", path.display(), policy.policy));
                assert!(m.conversations > 0, "{}: {} simulated nothing", path.display(), policy.policy);
                still_open_somewhere |= m.still_open > 0;
            }
        }
    }
    assert!(still_open_somewhere, "a 6-hour drain should leave some persistent conversation open");
}
