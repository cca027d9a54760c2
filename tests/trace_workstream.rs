//! A trace's `workstream` column: each recorded customer enters the workstream it names, an empty cell or no
//! column draws by share, and a name the scenario does not have exits 2 naming the file, line and column.
//!
//! The timeline is hand-computed (one agent, constant 100 s replies, no patience): `sales` (queue `front`,
//! priority 1) goes ahead of `support` (queue `back`, priority 2) whenever both wait.
//!
//! | arrival | trace cell | enters  | served   | wait  |
//! |---------|------------|---------|----------|-------|
//! | 0 s     | sales      | sales   | 0-100    | 0     |
//! | 10 s    | support    | support | 200-300  | 190   |
//! | 20 s    | sales      | sales   | 100-200  | 80    |
//! | 1000 s  | (empty)    | sales (share 1) | 1000-1100 | 0 |
//! | 2000 s  | support    | support | 2000-2100 | 0    |
//!
//! So `workstreams.csv` has sales 3 conversations waiting (0 + 80 + 0) / 3 s on average, support 2 waiting
//! (190 + 0) / 2 = 95 s.

use assert_cmd::Command;
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

const SCENARIO: &str = r#"name = "trace-workstreams"
start = "2024-01-01 00:00:00"
duration = "1h"

[arrivals]
trace = "trace.csv"

[agents]
count = 1
reply = { dist = "constant", value = "100s" }

[[workstream]]
name = "sales"
mode = "live"
share = 1
queue = "front"

[[workstream]]
name = "support"
mode = "live"
share = 0
queue = "back"

[[queue]]
name = "front"

[[queue]]
name = "back"
priority = 2
"#;

const TRACE: &str = "arrival,handle,workstream\n0,,sales\n10,,support\n20,,sales\n1000,,\n2000,,support\n";

fn chatcap() -> Command {
    Command::cargo_bin("chatcap").expect("binary built")
}

fn setup(dir: &TempDir, scenario: &str, trace: &str) -> PathBuf {
    fs::write(dir.path().join("trace.csv"), trace).unwrap();
    let path = dir.path().join("scenario.toml");
    fs::write(&path, scenario).unwrap();
    path
}

/// (name, conversations, queue_wait_mean_s) of each workstream row of `workstreams.csv`; an empty wait (no
/// conversation) is `None`.
fn by_workstream(out: &Path) -> Vec<(String, f64, Option<f64>)> {
    let text = fs::read_to_string(out.join("workstreams.csv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (ws, n, wait) = (col("workstream"), col("conversations"), col("queue_wait_mean_s"));
    lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[ws].to_string(), f[n].parse().unwrap(), f[wait].parse().ok())
        })
        .collect()
}

fn run(path: &Path, out: &Path) {
    chatcap().args(["run", "--quiet", "--out"]).arg(out).arg(path).assert().success();
}

#[test]
fn each_recorded_customer_enters_the_workstream_its_trace_row_names() {
    let dir = TempDir::new().unwrap();
    let path = setup(&dir, SCENARIO, TRACE);
    let out = dir.path().join("out");
    run(&path, &out);
    let rows = by_workstream(&out);
    assert_eq!(rows.len(), 2, "{rows:?}");
    let (sales, support) = (&rows[0], &rows[1]);
    assert_eq!((sales.0.as_str(), sales.1), ("sales", 3.0), "{rows:?}");
    assert!((sales.2.unwrap() - 80.0 / 3.0).abs() < 1e-6, "sales waits (0 + 80 + 0) / 3 s: {rows:?}");
    assert_eq!((support.0.as_str(), support.1, support.2), ("support", 2.0, Some(95.0)), "{rows:?}");

    let check = chatcap().arg("check").arg(&path).assert().success();
    let stdout = String::from_utf8(check.get_output().stdout.clone()).unwrap();
    assert!(
        stdout.contains("5 recorded conversations replayed from a trace file, 4 of them into the workstream the trace names, the others by share."),
        "{stdout}"
    );
    // The shares split only the row naming no workstream.
    assert!(stdout.contains("workstream sales: 100.0% of the trace rows naming no workstream, live"), "{stdout}");
    assert!(stdout.contains("workstream support: 0.0% of the trace rows naming no workstream, live"), "{stdout}");
    assert!(!stdout.contains("of the arrivals"), "{stdout}");
}

#[test]
fn without_the_column_a_set_up_draws_by_share_and_a_single_queue_ignores_it() {
    let dir = TempDir::new().unwrap();
    // Every share on support: without the column all five customers go there.
    let shares = SCENARIO.replace("share = 1\n", "share = 0.0\n").replacen("share = 0\n", "share = 1\n", 1);
    let path = setup(&dir, &shares, "arrival,handle\n0,\n10,\n20,\n1000,\n2000,\n");
    let out = dir.path().join("out");
    run(&path, &out);
    let rows = by_workstream(&out);
    assert_eq!((rows[0].1, rows[1].1), (0.0, 5.0), "{rows:?}");
    let check = chatcap().arg("check").arg(&path).assert().success();
    let stdout = String::from_utf8(check.get_output().stdout.clone()).unwrap();
    assert!(stdout.contains("workstream support: 100.0% of the arrivals, live"), "no row names one: {stdout}");

    // A scenario without [[workstream]] has no workstream to name: the column is ignored like any other.
    let single = "name = \"one-queue\"\nstart = \"2024-01-01 00:00:00\"\nduration = \"1h\"\n[arrivals]\n\
                  trace = \"trace.csv\"\n[agents]\ncount = 1\nreply = { dist = \"constant\", value = \"100s\" }\n\
                  [[policy]]\nname = \"live\"\nmode = \"live\"\n";
    let path = setup(&dir, single, "arrival,workstream\n0,anything\n10,\n");
    let out = dir.path().join("single");
    run(&path, &out);
    let summary = fs::read_to_string(out.join("summary.csv")).unwrap();
    assert_eq!(summary.lines().count(), 2, "{summary}");
}

#[test]
fn a_workstream_the_scenario_does_not_have_exits_2_naming_file_line_and_column() {
    let dir = TempDir::new().unwrap();
    let path = setup(&dir, SCENARIO, &TRACE.replace("20,,sales", "20,,billing"));
    let out = dir.path().join("out");
    let assert = chatcap().args(["run", "--quiet", "--out"]).arg(&out).arg(&path).assert().code(2);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains(
            "trace.csv:4: workstream: \"billing\" is not a workstream of the scenario (workstreams: sales, support)"
        ),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing written");
}
