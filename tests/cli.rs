//! The command line, end to end: outputs, determinism across threads, and bad input.

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
fn run_writes_every_output_and_prints_the_comparison() {
    let out = TempDir::new().unwrap();
    let assert = chatcap()
        .args(["run", "--quiet", "--replications", "2", "--set", "duration=3d", "--conversations", "--out"])
        .arg(out.path())
        .arg(project("scenarios/persistent-vs-live.toml"))
        .assert()
        .success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(stdout.contains("live") && stdout.contains("persistent") && stdout.contains("service level"), "{stdout}");
    assert!(stdout.contains("Conservation check passed"), "{stdout}");
    for file in ["summary.csv", "intervals.csv", "conversations.csv", "report.html", "plots/headline.png"] {
        assert!(out.path().join(file).is_file(), "{file} missing");
    }
    let summary = fs::read_to_string(out.path().join("summary.csv")).unwrap();
    assert!(summary.starts_with("policy,replications,conversations,refused,abandoned,abandon_rate,"));
    assert_eq!(summary.lines().count(), 3, "a header and one row per policy");

    use chatcap::report::columns::{INTERVALS, SUMMARY, check};
    let table = chatcap::report::csv::read_csv(&out.path().join("summary.csv")).unwrap();
    assert_eq!(check(&table, &SUMMARY), None, "summary.csv columns");
    let intervals = chatcap::report::csv::read_csv(&out.path().join("intervals.csv")).unwrap();
    assert_eq!(check(&intervals, &INTERVALS), None, "intervals.csv columns");
    for metric in &SUMMARY[2..] {
        assert!(table.column(&format!("{metric}_ci95")).is_some(), "{metric}_ci95 missing");
    }

    // The report's verdict quotes summary.csv's numbers, computed, not canned.
    let (live, persistent) = (table.policy_row("live").unwrap(), table.policy_row("persistent").unwrap());
    let value = |row: usize, column: &str| table.num(row, column).unwrap();
    let html = fs::read_to_string(out.path().join("report.html")).unwrap();
    let column =
        if table.column("service_level_open_hours").is_some() { "service_level_open_hours" } else { "service_level" };
    let shown = |row: usize| format!("{:.1}%", 100.0 * value(row, column));
    let (best, other) =
        if value(live, column) >= value(persistent, column) { (live, persistent) } else { (persistent, live) };
    if shown(best) != shown(other) {
        // Two short replications may leave the difference inside the 95% intervals: then it must be called level.
        let ahead = format!("ahead on service level in opening hours ({} against {})", shown(best), shown(other));
        let level = format!("level within the 95% intervals ({} {}", table.text(best, "policy").unwrap(), shown(best));
        assert!(html.contains(&ahead) || html.contains(&level), "verdict lacks {ahead:?} or {level:?}");
    }
    for row in [live, persistent] {
        if value(row, "refused") >= 0.5 {
            let refused = format!("{} refused at arrival", chatcap::report::verdict::count(value(row, "refused")));
            assert!(html.contains(&refused), "the verdict hides refusals: no {refused:?}");
        }
    }
    assert!(!html.contains("http://") && !html.contains("https://"), "report.html must be self-contained");
}

#[test]
fn same_seed_gives_the_same_bytes_with_one_or_two_threads() {
    let outputs: Vec<TempDir> = ["1", "2"]
        .iter()
        .map(|jobs| {
            let out = TempDir::new().unwrap();
            chatcap()
                .args(["run", "--quiet", "--replications", "3", "--set", "duration=4d", "--jobs", jobs, "--out"])
                .arg(out.path())
                .arg(project("scenarios/persistent-vs-live.toml"))
                .assert()
                .success();
            out
        })
        .collect();
    for file in ["summary.csv", "intervals.csv"] {
        let a = fs::read(outputs[0].path().join(file)).unwrap();
        let b = fs::read(outputs[1].path().join(file)).unwrap();
        assert!(a == b, "{file} differs between --jobs 1 and --jobs 2");
    }
}

#[test]
fn a_different_seed_gives_different_numbers() {
    let run = |seed: &str| {
        let out = TempDir::new().unwrap();
        chatcap()
            .args(["run", "--quiet", "--replications", "1", "--set", "duration=2d", "--seed", seed, "--out"])
            .arg(out.path())
            .arg(project("scenarios/mmc.toml"))
            .assert()
            .success();
        fs::read_to_string(out.path().join("summary.csv")).unwrap()
    };
    assert_ne!(run("1"), run("2"));
}

/// A small valid scenario; each bad case below breaks one line of it.
const GOOD: &str = r#"name = "bad-input-test"
duration = "1d"

[arrivals]
rate = 20

[agents]
count = 3
capacity = 2
reply = { dist = "exponential", mean = "1m" }

[[policy]]
name = "live"
mode = "live"
"#;

#[test]
fn bad_scenarios_exit_2_with_file_line_and_key() {
    // (replace this, with that, the key the message must name, the line it is on)
    let cases: [(&str, &str, &str, usize); 13] = [
        ("count = 3", "count = 0", "agents.count", 8),
        ("count = 3", "count = 1000000000000", "agents.count", 8),
        ("capacity = 2", "capacity = -2", "agents.capacity", 9),
        ("capacity = 2", "capcity = 2", "agents.capcity", 9),
        ("rate = 20", "rate = \"lots\"", "arrivals.rate", 5),
        ("duration = \"1d\"", "duration = \"1 day\"", "duration", 2),
        ("\"exponential\"", "\"expo\"", "agents.reply", 10),
        ("mean = \"1m\"", "mean = \"0s\"", "agents.reply.mean", 10),
        ("mode = \"live\"", "mode = \"chatty\"", "mode", 14),
        ("[agents]", "[agentz]", "agentz", 7),
        ("rate = 20", "trace = \"nowhere.csv\"", "arrivals.trace", 5),
        ("mode = \"live\"", "mode = \"live\"\npark_after_idle = \"5m\"", "park_after_idle", 15),
        ("[agents]", "[customer]\nretry = 1.5\n[agents]", "customer.retry", 8),
    ];
    let dir = TempDir::new().unwrap();
    for (from, to, key, line) in cases {
        assert!(GOOD.contains(from), "test case does not apply: {from}");
        let path = dir.path().join("broken.toml");
        fs::write(&path, GOOD.replacen(from, to, 1)).unwrap();
        let out = dir.path().join("out");
        for command in ["check", "run"] {
            let mut cmd = chatcap();
            cmd.arg(command).arg(&path);
            if command == "run" {
                cmd.arg("--out").arg(&out);
            }
            let assert = cmd.assert().code(2);
            let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
            assert_eq!(stderr.lines().count(), 1, "one clear message for {to:?}: {stderr}");
            assert!(stderr.contains("broken.toml"), "{to:?}: no file name in {stderr}");
            assert!(stderr.contains(&format!(":{line}:")), "{to:?}: no line {line} in {stderr}");
            assert!(stderr.contains(key), "{to:?}: key {key} not named in {stderr}");
            assert!(!stderr.contains("panicked"), "{stderr}");
        }
        assert!(!out.exists(), "no output is written for a bad scenario");
    }
}

#[test]
fn duplicate_and_missing_policies_are_refused() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("policies.toml");
    let twice = format!("{GOOD}\n[[policy]]\nname = \"live\"\nmode = \"persistent\"\n");
    fs::write(&path, twice).unwrap();
    let stderr = chatcap().arg("check").arg(&path).assert().code(2).get_output().stderr.clone();
    assert!(String::from_utf8(stderr).unwrap().contains("policy"));
    let none = GOOD.split("[[policy]]").next().unwrap();
    fs::write(&path, none).unwrap();
    let stderr = chatcap().arg("check").arg(&path).assert().code(2).get_output().stderr.clone();
    assert!(String::from_utf8(stderr).unwrap().contains("policy"));
}

#[test]
fn bad_overrides_and_usage_exit_2() {
    let scenario = project("scenarios/mmc.toml");
    let cases: [(Vec<&str>, &str); 6] = [
        (vec!["check", "--set", "agents.count=-1"], "agents.count"),
        (vec!["check", "--set", "agents.cuont=3"], "agents.cuont"),
        (vec!["check", "--set", "policy.nobody.end_after_idle=5m"], "nobody"),
        (vec!["check", "--set", "no-equals-sign"], "no-equals-sign"),
        (vec!["run", "--replications", "0"], "replications"),
        (vec!["run", "--bogus-flag"], "bogus-flag"),
    ];
    for (args, named) in cases {
        let assert = chatcap().args(&args).arg(&scenario).assert().code(2);
        let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
        assert!(stderr.contains(named), "{args:?}: {stderr}");
    }
    let missing = chatcap().args(["run", "no/such/scenario.toml"]).assert().code(2);
    assert!(String::from_utf8(missing.get_output().stderr.clone()).unwrap().contains("no/such/scenario.toml"));
}

#[test]
fn check_describes_a_valid_scenario() {
    let assert = chatcap().arg("check").arg(project("scenarios/persistent-vs-live.toml")).assert().success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(stdout.contains("OK") && stdout.contains("persistent"), "{stdout}");
}

#[test]
fn check_warns_about_open_hours_with_nobody_signed_in() {
    // Open 08:00-20:00 every day of a one-week window, agents 09:00-17:00 on weekdays only: 4 hours a weekday and
    // 12 hours a weekend day open with nobody signed in, 44 hours a week; the first from Monday 08:00 to 09:00.
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("gaps.toml");
    let hours: String =
        ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].iter().map(|d| format!("{d} = \"08:00-20:00\"\n")).collect();
    let text = GOOD
        .replace("duration = \"1d\"", "duration = \"7d\"")
        .replace("count = 3", "shifts = [ { days = \"mon-fri\", start = \"09:00\", end = \"17:00\", count = 3 } ]")
        + "[hours]\n"
        + &hours;
    fs::write(&path, text).unwrap();
    let assert = chatcap().arg("check").arg(&path).assert().success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(stdout.contains("warning: the queue is open with nobody signed in for 44.0 hours a week"), "{stdout}");
    assert!(stdout.contains("from 2024-01-01 08:00:00 to 2024-01-01 09:00:00"), "{stdout}");
    // Staffed whenever open: no warning.
    fs::write(&path, GOOD).unwrap();
    let assert = chatcap().arg("check").arg(&path).assert().success();
    assert!(!String::from_utf8(assert.get_output().stdout.clone()).unwrap().contains("warning"));
}

#[test]
fn erlang_c_reproduces_the_worked_example() {
    let assert = chatcap()
        .args(["erlang", "c", "--rate", "200", "--aht", "180s", "--agents", "14", "--sl", "20s"])
        .assert()
        .success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(stdout.contains("0.1741") || stdout.contains("17.41"), "{stdout}");
    chatcap()
        .args(["erlang", "a", "--rate", "200", "--aht", "3x", "--agents", "14", "--patience", "1m"])
        .assert()
        .code(2);
    chatcap().args(["erlang", "c", "--rate", "200", "--aht", "180s", "--agents", "0"]).assert().code(2);
}

#[test]
fn benchmark_scenarios_are_valid() {
    for file in ["benches/mm20-1m.toml", "benches/persistent-500.toml"] {
        chatcap().arg("check").arg(project(file)).assert().success();
    }
}
