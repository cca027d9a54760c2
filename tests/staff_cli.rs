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
    let cases: [(&[&str], &str); 7] = [
        (&["--target", "service_level>0.8"], "--target service_level>0.8"),
        (&["--target", "servise_level>=0.8"], "--target servise_level>=0.8"),
        (&["--target", "service_level>=lots"], "--target service_level>=lots"),
        (&["--target", "service_level>=0.8", "--policy", "nobody"], "--policy nobody"),
        (&["--target", "service_level>=0.8", "--confident", "--replications", "1"], "--confident"),
        (&["--target", "abandon_rate<=0.1", "--per-interval", "--vary", "agents.capacity=1,2"], "--per-interval"),
        (&["--target", "service_level>=0.8", "--per-interval", "--set", "duration=1d"], "--per-interval"),
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
