//! The proof that the simulator runs production routing logic: `chatcap run --record-routing` writes every input
//! the simulation sent the routing core and every decision it acted on; feeding the inputs to `chatcap route`
//! gives exactly those decisions, byte for byte, for a set-up with two workstreams, a skill, overflow (transfer
//! and end) and push offers.

use assert_cmd::Command;
use std::fs;
use std::path::Path;
use tempfile::TempDir;

fn chatcap() -> Command {
    Command::cargo_bin("chatcap").expect("binary built")
}

#[test]
fn a_recorded_run_replays_through_route_to_the_same_decisions() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/record_routing.toml");
    let dir = TempDir::new().unwrap();
    let record = dir.path().join("routing");
    chatcap()
        .args(["run", "--quiet", "--replications", "2", "--out"])
        .arg(dir.path().join("out"))
        .arg("--record-routing")
        .arg(&record)
        .arg(&fixture)
        .assert()
        .success();
    for replication in 1..=2 {
        let events = record.join(format!("base-{replication}.events.jsonl"));
        let recorded = fs::read_to_string(record.join(format!("base-{replication}.decisions.jsonl"))).unwrap();
        // Every rule of the set-up fired, so the replay covers them all.
        for kind in ["offered", "offer_withdrawn", "overflowed", "transferred", "parked", "reactivated", "abandoned"] {
            assert!(recorded.contains(&format!("\"type\":\"{kind}\"")), "replication {replication}: no {kind}");
        }
        let replay = dir.path().join(format!("replay-{replication}.jsonl"));
        chatcap()
            .arg("route")
            .arg(&fixture)
            .arg("--strict")
            .arg("--input")
            .arg(&events)
            .arg("--output")
            .arg(&replay)
            .assert()
            .success();
        let replayed = fs::read_to_string(&replay).unwrap();
        assert_eq!(replayed.lines().count(), recorded.lines().count(), "replication {replication}");
        if let Some((i, (a, b))) = replayed.lines().zip(recorded.lines()).enumerate().find(|(_, (a, b))| a != b) {
            panic!("replication {replication}: decision {} differs:\n route: {a}\n run:   {b}", i + 1);
        }
        assert!(replayed == recorded, "replication {replication}: files differ");
    }
}
