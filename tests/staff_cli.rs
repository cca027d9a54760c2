//! `chatcap staff` end to end: files, the per-interval schedule as a scenario's `agents.schedule`, bad flags,
//! and `paired.csv` of `chatcap run`.

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

#[test]
fn staff_writes_the_answer_the_path_and_a_usable_schedule() {
    let out = TempDir::new().unwrap();
    let assert = chatcap()
        .args(["staff", "--quiet", "--policy", "live", "--replications", "2", "--set", "duration=7d"])
        .args(["--set", "drain=1d", "--target", "service_level>=0.8", "--per-interval", "--out"])
        .arg(out.path())
        .arg(project("scenarios/persistent-vs-live.toml"))
        .assert()
        .success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(stdout.contains("agents") && stdout.contains("per interval"), "{stdout}");
    let staff = fs::read_to_string(out.path().join("staff.csv")).unwrap();
    assert!(staff.starts_with("policy,agents,replications,conversations,"), "{staff}");
    assert_eq!(staff.lines().count(), 2);
    let path = fs::read_to_string(out.path().join("staff-path.csv")).unwrap();
    assert!(path.starts_with("policy,step,agents,meets,"), "{path}");
    let schedule = out.path().join("staff-schedule-live.csv");
    let text = fs::read_to_string(&schedule).unwrap();
    assert!(text.starts_with("from,agents\n2024-01-01 00:00:00,"), "{text}");
    // The schedule is accepted as it is, and meets the target in the whole window too.
    let run = out.path().join("run");
    chatcap()
        .args(["run", "--quiet", "--replications", "2", "--set", "duration=7d", "--set", "drain=1d", "--set"])
        .arg(format!("agents.schedule={}", schedule.display()))
        .arg("--out")
        .arg(&run)
        .arg(project("scenarios/persistent-vs-live.toml"))
        .assert()
        .success();
    let summary = fs::read_to_string(run.join("summary.csv")).unwrap();
    let header: Vec<&str> = summary.lines().next().unwrap().split(',').collect();
    let live: Vec<&str> = summary.lines().nth(1).unwrap().split(',').collect();
    let sl: f64 = live[header.iter().position(|c| *c == "service_level").unwrap()].parse().unwrap();
    assert!(sl >= 0.8, "service level {sl} with the per-interval schedule");
    // Two policies: a paired comparison next to the summary.
    let paired = fs::read_to_string(run.join("paired.csv")).unwrap();
    assert!(paired.starts_with("policy,baseline,replications,conversations,"), "{paired}");
    assert!(paired.lines().nth(1).unwrap().starts_with("persistent,live,2,"), "{paired}");
}

#[test]
fn bad_staff_flags_exit_2_naming_the_flag() {
    let scenario = project("scenarios/mmc.toml");
    let out = TempDir::new().unwrap();
    let cases: [(&[&str], &str); 9] = [
        (&["--target", "service_level>0.8"], "--target service_level>0.8"),
        (&["--target", "servise_level>=0.8"], "--target servise_level>=0.8"),
        (&["--target", "service_level>=lots"], "--target service_level>=lots"),
        (&["--target", "service_level>=0.8", "--policy", "nobody"], "--policy nobody"),
        (&["--target", "service_level>=0.8", "--confident", "--replications", "1"], "--confident"),
        (&["--target", "abandon_rate<=0.1", "--per-interval", "--vary", "agents.capacity=1,2"], "--per-interval"),
        (&["--target", "service_level>=0.8", "--per-interval", "--set", "duration=1d"], "--per-interval"),
        (
            &["--target", "service_level>=0.8", "--vary", "agents.capacity=1,0"],
            ": --vary agents.capacity=0: agents.capacity:",
        ),
        (
            &["--target", "service_level>=0.8", "--set", "agents.capacity=2", "--vary", "agents.capacity=1,1001"],
            ": --vary agents.capacity=1001: agents.capacity: must be at most 1000",
        ),
    ];
    for (args, named) in cases {
        let assert = chatcap()
            .args(["staff", "--quiet", "--out"])
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
    chatcap().args(["staff", "--quiet"]).arg(&scenario).assert().code(2);
}

/// Column `name` of the data row whose first cell is `first`.
fn cell(csv: &str, first: &str, name: &str) -> String {
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let at = header.iter().position(|c| *c == name).unwrap_or_else(|| panic!("no column {name}"));
    let row = csv.lines().skip(1).find(|l| l.split(',').next() == Some(first)).expect("row");
    row.split(',').nth(at).unwrap().to_string()
}

/// A whole number as the terminal prints it: `3,138`.
fn thousands(v: f64) -> String {
    let digits = format!("{v:.0}");
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[test]
fn the_answer_says_whom_the_policy_loses_at_that_staffing() {
    let out = TempDir::new().unwrap();
    let assert = chatcap()
        .args(["staff", "--quiet", "--policy", "live", "--target", "service_level_open_hours>=0.8"])
        .args(["--set", "agents.shrinkage=0.1", "--out"])
        .arg(out.path())
        .arg(project("scenarios/idle-thresholds.toml"))
        .assert()
        .success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    let staff = fs::read_to_string(out.path().join("staff.csv")).unwrap();
    let num = |name: &str| -> f64 { cell(&staff, "live", name).parse().unwrap() };
    assert!(num("customers_lost") > 0.0, "a live queue refuses customers while closed: {staff}");
    let expected = format!(
        "loses {} of {} customers at that staffing (lost_share {:.3}): {} conversations refused, {} abandoned in \
         the queue",
        thousands(num("customers_lost")),
        thousands(num("customers")),
        num("lost_share"),
        thousands(num("refused")),
        thousands(num("abandoned"))
    );
    assert!(stdout.contains(&expected), "{expected}\n{stdout}");
}

#[test]
fn a_per_interval_schedule_says_what_the_whole_window_reaches_and_when_it_misses() {
    // Night-team's persistent morning: intervals judged one by one pass (bar the hopeless ones) while the whole
    // window, at that schedule, misses the target the constant answer meets.
    let out = TempDir::new().unwrap();
    let scenario = project("scenarios/night-team.toml");
    let assert = chatcap()
        .args(["staff", "--quiet", "--policy", "persistent", "--target", "service_level_open_hours>=0.7"])
        .args(["--per-interval", "--out"])
        .arg(out.path())
        .arg(&scenario)
        .assert()
        .success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    let line = stdout
        .lines()
        .find(|l| l.contains("over the whole window that schedule reaches service_level_open_hours "))
        .unwrap_or_else(|| panic!("no whole-window line: {stdout}"));
    let printed: f64 =
        line.split("service_level_open_hours ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
    // The figure printed is what the schedule gives when run as the scenario's agents.schedule.
    let run = out.path().join("run");
    chatcap()
        .args(["run", "--quiet", "--set"])
        .arg(format!("agents.schedule={}", out.path().join("staff-schedule-persistent.csv").display()))
        .arg("--out")
        .arg(&run)
        .arg(&scenario)
        .assert()
        .success();
    let summary = fs::read_to_string(run.join("summary.csv")).unwrap();
    let reached: f64 = cell(&summary, "persistent", "service_level_open_hours").parse().unwrap();
    assert!((reached - printed).abs() <= 0.0005, "printed {printed}, the run gives {reached}");
    let path = fs::read_to_string(out.path().join("staff-schedule-path.csv")).unwrap();
    assert!(path.starts_with("policy,round,agent_hours_per_week,failing_intervals,hopeless_intervals,window_meets\n"));
    let verdicts: Vec<&str> = path.lines().skip(1).map(|l| l.rsplit(',').next().unwrap()).collect();
    assert!(verdicts.iter().all(|v| *v == "0" || *v == "1"), "{path}");
    assert!(reached < 0.7, "the case this test is about: the schedule misses over the whole window ({reached})");
    assert!(line.ends_with("against >=0.7, MISSED"), "{line}");
    assert!(stdout.contains("so the per-interval schedule does NOT meet the targets over the whole window"));
    assert_eq!(path.lines().last().and_then(|l| l.rsplit(',').next()), Some("0"), "{path}");
}

#[test]
fn a_target_on_a_metric_the_scenario_cannot_measure_stops_early_and_says_why() {
    // mmc's customers have one session each: same_agent_share has nothing to measure at any headcount. The
    // search must not double its way to the largest staffing chatcap simulates chasing an undefined figure.
    let out = TempDir::new().unwrap();
    let assert = chatcap()
        .args(["staff", "--quiet", "--set", "duration=1d", "--set", "drain=1h", "--target", "same_agent_share>=0.5"])
        .arg("--out")
        .arg(out.path())
        .arg(project("scenarios/mmc.toml"))
        .assert()
        .code(2);
    let err = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(err.contains("same_agent_share has nothing to measure in this scenario"), "{err}");
    assert!(!err.contains("100000 agents"), "{err}");
    assert!(!out.path().join("staff.csv").exists(), "nothing written for a target that cannot be met");
}
