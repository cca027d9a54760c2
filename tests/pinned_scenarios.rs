//! The shipped scenarios give the same `summary.csv`, byte for byte, as when the routing core had one queue.
//!
//! The second-generation core (workstreams, queues, groups, offers) must leave a scenario without those tables
//! meaning exactly what it meant: same decisions, same random draws, same figures. The pinned files in
//! `tests/pinned/` were written by the first-generation core (commit 4a80844) with
//! `chatcap run scenarios/NAME.toml`; regenerate them only for a change that is meant to move the figures, and
//! say why in the commit.

use assert_cmd::Command;
use std::fs;
use std::path::Path;
use tempfile::TempDir;

fn pinned(name: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = TempDir::new().unwrap();
    Command::cargo_bin("chatcap")
        .expect("binary built")
        .args(["run", "--quiet", "--out"])
        .arg(out.path())
        .arg(root.join(format!("scenarios/{name}.toml")))
        .assert()
        .success();
    let got = fs::read_to_string(out.path().join("summary.csv")).unwrap();
    let want = fs::read_to_string(root.join(format!("tests/pinned/{name}.summary.csv"))).unwrap();
    assert!(got == want, "{name}: summary.csv changed\n--- pinned\n{want}\n--- now\n{got}");
}

#[test]
fn mmc_is_unchanged() {
    pinned("mmc");
}

#[test]
fn idle_thresholds_is_unchanged() {
    pinned("idle-thresholds");
}

#[test]
fn night_team_is_unchanged() {
    pinned("night-team");
}

#[test]
fn persistent_vs_live_is_unchanged() {
    pinned("persistent-vs-live");
}
