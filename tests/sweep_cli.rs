//! `chatcap sweep` and `chatcap merge` end to end: outputs, byte-identical results across thread counts and
//! between sharded-and-merged and single runs, and bad flags.

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

/// A small sweep of the two-policy scenario: 3 x 2 points, 2 replications of 1 day.
fn sweep(out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    chatcap()
        .args(["sweep", "--quiet", "--replications", "2", "--set", "duration=1d", "--set", "warmup=0s"])
        .args(["--set", "drain=1d", "--vary", "agents.scale=0.8..1.2:0.2", "--vary", "agents.capacity=2,3", "--out"])
        .arg(out)
        .args(extra)
        .arg(project("scenarios/persistent-vs-live.toml"))
        .assert()
}

const FILES: [&str; 5] = ["sweep.csv", "paired.csv", "sweep.toml", "report.html", "plots/sweep_service_level.svg"];

fn same_files(a: &Path, b: &Path, files: &[&str]) {
    for file in files {
        let x = fs::read(a.join(file)).unwrap_or_else(|e| panic!("{file} in {}: {e}", a.display()));
        let y = fs::read(b.join(file)).unwrap_or_else(|e| panic!("{file} in {}: {e}", b.display()));
        assert!(x == y, "{file} differs between {} and {}", a.display(), b.display());
    }
}

#[test]
fn sweep_writes_one_row_per_point_and_policy_and_is_thread_independent() {
    let one = TempDir::new().unwrap();
    let two = TempDir::new().unwrap();
    let stdout = sweep(one.path(), &["--jobs", "1"]).success().get_output().stdout.clone();
    assert!(String::from_utf8(stdout).unwrap().contains("6 points"));
    sweep(two.path(), &["--jobs", "2"]).success();
    let csv = fs::read_to_string(one.path().join("sweep.csv")).unwrap();
    assert!(csv.starts_with("agents.scale,agents.capacity,policy,replications,conversations,refused,"), "{csv}");
    assert_eq!(csv.lines().count(), 1 + 6 * 2);
    assert!(csv.lines().nth(1).unwrap().starts_with("0.8,2,live,2,"));
    assert!(csv.lines().next().unwrap().contains("service_level_ci95"));
    let paired = fs::read_to_string(one.path().join("paired.csv")).unwrap();
    assert!(paired.starts_with("agents.scale,agents.capacity,policy,baseline,replications,"), "{paired}");
    assert_eq!(paired.lines().count(), 1 + 6);
    assert!(paired.lines().nth(1).unwrap().starts_with("0.8,2,persistent,live,2,"));
    same_files(one.path(), two.path(), &FILES);
    let html = fs::read_to_string(one.path().join("report.html")).unwrap();
    assert!(!html.contains("http://") && !html.contains("https://"), "the report is self-contained");
    assert!(one.path().join("plots/sweep_response_p90_s.png").is_file());
}

#[test]
fn shards_merge_into_the_single_machine_folder() {
    let whole = TempDir::new().unwrap();
    sweep(whole.path(), &[]).success();
    let work = TempDir::new().unwrap();
    let shards: Vec<PathBuf> = (1..=3).map(|k| work.path().join(format!("shard-{k}"))).collect();
    for (k, dir) in shards.iter().enumerate() {
        sweep(dir, &["--shard", &format!("{}/3", k + 1), "--jobs", "1"]).success();
        assert!(!dir.join("report.html").exists(), "a shard writes only its tables");
    }
    // Slurm: the same shard through --shard auto.
    let auto = work.path().join("auto-2");
    chatcap()
        .env("SLURM_ARRAY_TASK_ID", "1")
        .env("SLURM_ARRAY_TASK_COUNT", "3")
        .args(["sweep", "--quiet", "--replications", "2", "--set", "duration=1d", "--set", "warmup=0s"])
        .args(["--set", "drain=1d", "--vary", "agents.scale=0.8..1.2:0.2", "--vary", "agents.capacity=2,3"])
        .args(["--shard", "auto", "--out"])
        .arg(&auto)
        .arg(project("scenarios/persistent-vs-live.toml"))
        .assert()
        .success();
    same_files(&auto, &shards[1], &["sweep.csv", "sweep.toml"]);

    let merged = work.path().join("merged");
    // Shards in any order.
    chatcap().arg("merge").args([&shards[2], &shards[0], &shards[1]]).arg("--out").arg(&merged).assert().success();
    same_files(whole.path(), &merged, &FILES);

    let bad = chatcap().arg("merge").args([&shards[0], &shards[1]]).arg("--out").arg(&merged).assert().code(2);
    assert!(String::from_utf8_lossy(&bad.get_output().stderr).contains("shard 3/3 is missing"));
    let twice = chatcap().arg("merge").args([&shards[0], &shards[0]]).arg("--out").arg(&merged).assert().code(2);
    assert!(String::from_utf8_lossy(&twice.get_output().stderr).contains("twice"));
}

#[test]
fn bad_sweep_flags_exit_2_naming_the_flag() {
    let scenario = project("scenarios/mmc.toml");
    let out = TempDir::new().unwrap();
    let cases: [(&[&str], &str); 9] = [
        (&["--vary", "agents.count"], "--vary agents.count"),
        (&["--vary", "agents.count=30..20"], "--vary agents.count=30..20"),
        (&["--vary", "agents.count=1..5:0"], "--vary"),
        (&["--vary", "agents.count=1,,2"], "--vary"),
        (&["--vary", "agents.count=0,1"], "agents.count"),
        (&["--vary", "agents.cuont=1,2"], "agents.cuont"),
        (&["--vary", "agents.count=5", "--shard", "3/2"], "--shard 3/2"),
        (&["--vary", "agents.count=5", "--shard", "two"], "--shard two"),
        (&["--vary", "agents.count=5", "--shard", "auto"], "--shard auto"),
    ];
    for (args, named) in cases {
        let assert = chatcap()
            .env_remove("SLURM_ARRAY_TASK_ID")
            .env_remove("JOB_COMPLETION_INDEX")
            .args(["sweep", "--quiet", "--out"])
            .arg(out.path().join("x"))
            .args(args)
            .arg(&scenario)
            .assert()
            .code(2);
        let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{args:?}: one message: {stderr}");
        assert!(stderr.contains(named), "{args:?}: {stderr}");
        assert!(!out.path().join("x").exists(), "{args:?}: nothing written");
    }
    chatcap().args(["sweep", "--quiet"]).arg(&scenario).assert().code(2);
}

#[test]
fn policies_at_a_point_face_the_same_customers_and_points_differ() {
    // Two identical live policies: at every point they must give identical rows and zero paired differences.
    let dir = TempDir::new().unwrap();
    let scenario = dir.path().join("twins.toml");
    let text = fs::read_to_string(project("scenarios/mmc.toml")).unwrap();
    fs::write(&scenario, format!("{text}\n[[policy]]\nname = \"twin\"\nmode = \"live\"\n")).unwrap();
    let out = dir.path().join("out");
    chatcap()
        .args(["sweep", "--quiet", "--replications", "3", "--set", "duration=1d", "--set", "warmup=0s"])
        .args(["--vary", "agents.count=19,21", "--out"])
        .arg(&out)
        .arg(&scenario)
        .assert()
        .success();
    let csv = fs::read_to_string(out.join("sweep.csv")).unwrap();
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(rows.len(), 4);
    for pair in rows.chunks(2) {
        let strip = |row: &str| row.replacen(",twin,", ",live,", 1);
        assert_eq!(strip(pair[1]), pair[0], "twin policies differ at a point");
    }
    let conversations = |row: &str| row.split(',').nth(3).unwrap().to_string();
    assert_ne!(conversations(rows[0]), conversations(rows[2]), "points draw their own customers");
    let paired = fs::read_to_string(out.join("paired.csv")).unwrap();
    for row in paired.lines().skip(1) {
        let cells: Vec<&str> = row.split(',').collect();
        // agents.count, policy, baseline, replications, then differences and their intervals: all zero or empty.
        assert!(cells[4..cells.len() - 1].iter().all(|c| c.is_empty() || *c == "0"), "{row}");
    }
}
