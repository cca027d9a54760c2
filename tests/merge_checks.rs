//! `chatcap merge` refuses shards that do not add up: a row deleted, duplicated or relabelled, a figure edited by
//! hand, a shard run from an edited scenario that kept its name. Each is exit 2 naming the shard and the point.

use assert_cmd::Command;
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

fn chatcap() -> Command {
    Command::cargo_bin("chatcap").expect("binary built")
}

fn project(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// Shard `k` of 2 of a three-point sweep (shard 1 holds points 0 and 2, shard 2 point 1).
fn shard(scenario: &Path, k: usize, out: &Path) {
    chatcap()
        .args(["sweep", "--quiet", "--replications", "1", "--set", "duration=1d", "--set", "warmup=0s"])
        .args(["--set", "drain=1d", "--vary", "agents.scale=1,1.25,1.5", "--shard", &format!("{k}/2"), "--out"])
        .arg(out)
        .arg(scenario)
        .assert()
        .success();
}

/// Two good shards in a fresh folder.
fn shards() -> (TempDir, PathBuf, PathBuf) {
    let work = TempDir::new().unwrap();
    let (a, b) = (work.path().join("shard-1"), work.path().join("shard-2"));
    let scenario = project("scenarios/persistent-vs-live.toml");
    shard(&scenario, 1, &a);
    shard(&scenario, 2, &b);
    (work, a, b)
}

/// Merges and returns stderr, asserting exit 2.
fn refused(work: &Path, dirs: &[&Path]) -> String {
    let assert = chatcap().arg("merge").args(dirs).arg("--out").arg(work.join("merged")).assert().code(2);
    assert!(!work.join("merged").join("sweep.csv").exists(), "nothing written");
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

/// Rewrites `file`'s lines with `edit`.
fn edit(file: &Path, edit: impl FnOnce(&mut Vec<String>)) {
    let mut lines: Vec<String> = fs::read_to_string(file).unwrap().lines().map(str::to_owned).collect();
    edit(&mut lines);
    fs::write(file, lines.join("\n") + "\n").unwrap();
}

#[test]
fn untouched_shards_merge() {
    let (work, a, b) = shards();
    chatcap().arg("merge").args([&a, &b]).arg("--out").arg(work.path().join("merged")).assert().success();
    let merged = fs::read_to_string(work.path().join("merged/sweep.toml")).unwrap();
    assert!(merged.contains("scenario_digest = ") && merged.contains("sweep_digest = "), "{merged}");
}

#[test]
fn a_deleted_row_is_named_by_shard_and_point() {
    let (work, a, b) = shards();
    edit(&a.join("sweep.csv"), |lines| {
        lines.pop();
    });
    let err = refused(work.path(), &[&a, &b]);
    assert!(err.contains("shard 1/2") && err.contains("point 2 (agents.scale=1.5) has no row for policy"), "{err}");
}

#[test]
fn a_duplicated_row_is_named_by_shard_and_point() {
    let (work, a, b) = shards();
    edit(&b.join("paired.csv"), |lines| {
        let row = lines[1].clone();
        lines.push(row);
    });
    let err = refused(work.path(), &[&a, &b]);
    assert!(err.contains("shard 2/2") && err.contains("point 1 (agents.scale=1.25) has a second row"), "{err}");
}

#[test]
fn a_relabelled_point_is_refused() {
    let (work, a, b) = shards();
    edit(&a.join("sweep.csv"), |lines| lines[1] = lines[1].replacen("1,", "1.1,", 1));
    let err = refused(work.path(), &[&a, &b]);
    assert!(
        err.contains("shard 1/2") && err.contains("point 0 (agents.scale=1) is labelled agents.scale=1.1"),
        "{err}"
    );
}

#[test]
fn a_row_moved_to_another_shard_is_refused() {
    let (work, a, b) = shards();
    let moved = fs::read_to_string(a.join("sweep.csv")).unwrap().lines().nth(1).unwrap().to_string();
    edit(&b.join("sweep.csv"), |lines| lines.push(moved));
    let err = refused(work.path(), &[&a, &b]);
    assert!(err.contains("shard 2/2") && err.contains("point 0 (agents.scale=1) belongs to shard 1/2"), "{err}");
}

#[test]
fn a_hand_edited_figure_is_refused() {
    let (work, a, b) = shards();
    // The conversations count, third column after the key and the policy: 2 digits more.
    edit(&b.join("sweep.csv"), |lines| {
        let mut cells: Vec<String> = lines[1].split(',').map(str::to_owned).collect();
        cells[3] = format!("{}00", cells[3]);
        lines[1] = cells.join(",");
    });
    let err = refused(work.path(), &[&a, &b]);
    assert!(err.contains("shard 2/2") && err.contains("sweep.csv: the file is not what the shard wrote"), "{err}");
}

#[test]
fn a_shard_of_an_edited_scenario_with_the_same_name_is_refused() {
    let (work, a, _) = shards();
    let edited = work.path().join("persistent-vs-live.toml");
    let text = fs::read_to_string(project("scenarios/persistent-vs-live.toml")).unwrap();
    let changed = text.replacen("park_after_idle = \"5m\"", "park_after_idle = \"6m\"", 1);
    assert_ne!(changed, text);
    fs::write(&edited, changed).unwrap();
    let b = work.path().join("shard-2-edited");
    shard(&edited, 2, &b);
    let err = refused(work.path(), &[&a, &b]);
    assert!(err.contains("shard 2/2") && err.contains("different scenario") && err.contains("points 1"), "{err}");
}

#[test]
fn an_edited_data_file_changes_the_scenario_digest() {
    let work = TempDir::new().unwrap();
    let text = fs::read_to_string(project("scenarios/mmc.toml")).unwrap();
    let scenario = work.path().join("mmc.toml");
    let with_file = text.replace(
        "reply = { dist = \"exponential\", mean = \"4m\" }",
        "reply = { dist = \"empirical\", file = \"reply.csv\" }",
    );
    assert_ne!(with_file, text);
    fs::write(&scenario, &with_file).unwrap();
    let digest = |samples: &str| {
        fs::write(work.path().join("reply.csv"), samples).unwrap();
        let s = chatcap::scenario::load(&scenario, &[]).unwrap();
        chatcap::sweep::digest::scenario_digest(&s)
    };
    assert_ne!(digest("seconds\n30\n40\n"), digest("seconds\n30\n41\n"));
}

#[cfg(unix)]
#[test]
fn a_device_in_place_of_a_shard_file_is_refused_not_read_forever() {
    let (work, a, b) = shards();
    fs::remove_file(b.join("sweep.csv")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", b.join("sweep.csv")).unwrap();
    let err = refused(work.path(), &[&a, &b]);
    assert!(err.contains("shard 2/2") && err.contains("not a regular file"), "{err}");
    fs::remove_file(b.join("sweep.toml")).unwrap();
    std::os::unix::fs::symlink("/dev/urandom", b.join("sweep.toml")).unwrap();
    let err = refused(work.path(), &[&a, &b]);
    assert!(err.contains("sweep.toml") && err.contains("not a regular file"), "{err}");
}
