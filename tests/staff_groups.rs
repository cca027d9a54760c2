//! `chatcap staff` on a routing set-up, validated where it reduces to Erlang C.
//!
//! Two dedicated groups, each serving its own queue fed by its own workstream: Poisson arrivals (40 an hour each,
//! half of `[arrivals]`), one session of one message, exponential replies of mean 180 s, one conversation per
//! agent, no wrap-up, patient customers. Each group and its queue is then an M/M/c of 2 Erlangs. Staffing group
//! `a` for `queue.a.service_level>=0.8` (answered within 20 s) must give Erlang C's answer for that queue: 60.2%
//! with 3 agents, 86.1% with 4, so 4. The search starts from the group's written headcount (8 here, so it
//! brackets down) while group `b` stays at its written 3.
//!
//! The simulated service level at the answer and one agent below must match Erlang C within the run's own
//! interval, widened from 95% to a family-wise 99% over the [`CHECKS`] checks of this file (Bonferroni). The
//! answer must equal Erlang C's, or differ by one agent only where the simulation's interval at the disputed
//! level straddles the target (then the simulation cannot tell the two apart).

use chatcap::erlang::{Target as ErlangTarget, agents_needed_c, erlang_c};
use chatcap::metrics::student_t_quantile;
use chatcap::scenario::load_str;
use chatcap::staff::Target;
use chatcap::staff::search::{Searched, smallest_for};
use std::path::Path;

/// Family-wise error of the statistical checks in this file.
const FAMILY_ERROR: f64 = 0.01;
/// The statistical checks: the service level at the answer and at one agent fewer.
const CHECKS: f64 = 2.0;
const REPLICATIONS: u32 = 10;
const RATE_PER_HOUR: f64 = 40.0;
const AHT_S: f64 = 180.0;
const THRESHOLD_S: f64 = 20.0;

fn scenario() -> String {
    format!(
        r#"name = "dedicated"
seed = 11
duration = "14d"
warmup = "1d"
replications = {REPLICATIONS}
service_level = "{THRESHOLD_S}s"

[arrivals]
rate = {total}

[customer]
sessions = {{ dist = "constant", value = 1 }}
messages = {{ dist = "constant", value = 1 }}

[agents]
capacity = 1
reply = {{ dist = "exponential", mean = "{AHT_S}s" }}

[[agents.group]]
name = "a"
count = 8
queues = ["a"]

[[agents.group]]
name = "b"
count = 3
queues = ["b"]

[[workstream]]
name = "wa"
mode = "live"
share = 0.5
queue = "a"

[[workstream]]
name = "wb"
mode = "live"
share = 0.5
queue = "b"

[[queue]]
name = "a"

[[queue]]
name = "b"

[[policy]]
name = "dedicated"
"#,
        total = 2.0 * RATE_PER_HOUR
    )
}

#[test]
fn staffing_one_dedicated_group_for_its_queue_matches_erlang_c() {
    let scenario = load_str(&scenario(), Path::new("dedicated.toml"), &[]).expect("scenario loads");
    let rate = RATE_PER_HOUR / 3600.0;
    let goal = ErlangTarget { service_level: Some((0.8, THRESHOLD_S)), max_mean_wait_s: None };
    let erlang = agents_needed_c(rate, AHT_S, &goal).expect("Erlang C has an answer");
    assert_eq!(erlang, 4, "the case is built for 4 agents");

    let target = Target::parse("queue.a.service_level>=0.8").unwrap();
    let searched = Searched::Group("a".into());
    let found = smallest_for(&scenario, &searched, std::slice::from_ref(&target), false, 0, |_| {}).expect("runs");
    assert_eq!(found.searched, searched);
    assert_eq!(found.start, 8, "starts from the group's written headcount");

    let at = |n: u32| found.path.iter().find(|e| e.agents == n);
    let tried: Vec<String> =
        found.path.iter().map(|e| format!("{}{}", e.agents, if e.meets { "✓" } else { "✗" })).collect();
    println!("tried {}", tried.join(" "));
    let answer = found.answer.agents;
    // Group b held at its written 3 whatever group a gets: both rosters are counts around the clock.
    for e in &found.path {
        let online = e.summary.num(0, "agents_online_mean").unwrap();
        assert!((online - f64::from(e.agents + 3)).abs() < 1e-9, "{} agents in a: {online} online", e.agents);
    }

    let df = f64::from(REPLICATIONS - 1);
    let widen = student_t_quantile(1.0 - FAMILY_ERROR / (2.0 * CHECKS), df) / student_t_quantile(0.975, df);
    let mut checked = 0;
    for n in [answer - 1, answer] {
        let e = at(n).expect("the answer and one agent fewer were both tried");
        let (mean, half) = e.reading(&target);
        let (mean, half) = (mean.expect("measured"), half.expect("an interval"));
        let theory = erlang_c(rate, AHT_S, n).service_level(THRESHOLD_S);
        println!("| {n} | {mean:.4} ± {:.4} (95%: ± {half:.4}) | {theory:.4} | {} |", half * widen, e.meets);
        assert!(half < 0.05, "{n} agents: interval ±{half:.4} too wide to mean anything");
        assert!(
            (mean - theory).abs() <= half * widen,
            "{n} agents: {mean:.4} ± {:.4} misses {theory:.4}",
            half * widen
        );
        checked += 1;
    }
    assert_eq!(f64::from(checked), CHECKS);

    // The answer is Erlang C's, or one off only where the simulation cannot tell the disputed level from the target.
    let straddles = |n: u32| {
        at(n).is_some_and(|e| {
            let (mean, half) = e.reading(&target);
            let (mean, half) = (mean.unwrap_or(f64::NAN), half.unwrap_or(0.0));
            (mean - half..=mean + half).contains(&0.8)
        })
    };
    // The level they disagree on is the smaller of the two answers.
    let explained = answer == erlang || (answer.abs_diff(erlang) == 1 && straddles(answer.min(erlang)));
    assert!(explained, "simulation staffs {answer}, Erlang C {erlang}");
}

fn chatcap() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("chatcap").expect("binary built")
}

fn project(path: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

#[test]
fn bad_group_and_part_flags_exit_2_with_one_message_and_nothing_written() {
    let setup = project("scenarios/skills-overflow.toml");
    let plain = project("scenarios/mmc.toml");
    let out = tempfile::TempDir::new().unwrap();
    let sl = "queue.french.service_level>=0.8";
    let cases: [(&Path, &[&str], &[&str]); 17] = [
        (&setup, &["--target", sl], &["2 agent groups (french, generalists)", "--group french"]),
        (&setup, &["--target", sl, "--group", "nobody"], &["--group nobody", "groups: french, generalists"]),
        (
            &setup,
            &["--target", "queue.spanish.service_level>=0.8", "--group", "french"],
            &["--target queue.spanish.service_level>=0.8", "no queue is named spanish", "queues: french, general"],
        ),
        (
            &setup,
            &["--target", "workstream.chat-de.abandon_rate<=0.1", "--group", "french"],
            &["no workstream is named chat-de", "workstreams: chat-fr, chat-en"],
        ),
        (&setup, &["--target", "queue.french.occupancy<=0.9", "--group", "french"], &["a queue has no occupancy"]),
        (
            &setup,
            &["--target", sl, "--group", "french", "--per-interval"],
            &["--per-interval", "routing set-up", "leave out --per-interval", "scenario without [[workstream]]"],
        ),
        // The example names a part of the kind asked for, from the scenario.
        (
            &setup,
            &["--target", "queue..service_level>=0.8", "--group", "french"],
            &["name the queue", "for example queue.french.service_level", "queues: french, general"],
        ),
        (
            &setup,
            &["--target", "workstream..abandon_rate<=0.1", "--group", "french"],
            &["for example workstream.chat-fr.abandon_rate", "workstreams: chat-fr, chat-en"],
        ),
        // The hint says exactly where the metric exists.
        (
            &setup,
            &["--target", "queue.french.occupancy<=0.8", "--group", "french"],
            &["a queue has no occupancy (a figure of the whole team only: use occupancy)"],
        ),
        (
            &setup,
            &["--target", "workstream.chat-fr.occupancy<=0.8", "--group", "french"],
            &["a workstream has no occupancy (a figure of the whole team only: use occupancy)"],
        ),
        (
            &setup,
            &["--target", "queue.french.customers_lost<=3", "--group", "french"],
            &["of the whole team and of each workstream: use customers_lost or workstream.NAME.customers_lost"],
        ),
        // A share bound that always holds asks nothing, like one that never can.
        (
            &setup,
            &["--target", "queue.french.service_level>=-1", "--group", "french"],
            &["met at any headcount", "cannot fall below 0", "give a bound from 0 to 1"],
        ),
        (&plain, &["--target", "abandon_rate<=1.5"], &["met at any headcount", "cannot exceed 1"]),
        (&plain, &["--target", "queue.general.service_level>=0.8"], &["has no [[workstream]]"]),
        (&plain, &["--target", "service_level>=0.8", "--group", "french"], &["--group french", "no [[agents.group]]"]),
        (&setup, &["--target", "queue.french.service_level>=1.2", "--group", "french"], &["cannot exceed 1"]),
        // Replies take 45 s on average: more French speakers stop helping well above 10 s.
        (
            &setup,
            &[
                "--target",
                "workstream.chat-fr.response_p90_s<=10",
                "--group",
                "french",
                "--policy",
                "never",
                "--replications",
                "2",
            ],
            &[
                "not met for policy never at any staffing of group french tried",
                "reached workstream.chat-fr.response_p90_s",
            ],
        ),
    ];
    for (scenario, args, named) in cases {
        let assert = chatcap()
            .args(["staff", "--quiet", "--out"])
            .arg(out.path().join("x"))
            .args(args)
            .arg(scenario)
            .assert()
            .code(2);
        let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{args:?}: one message: {stderr}");
        for wrong in ["queue.chat-", "workstream.french", "of the workstreams", " yet"] {
            assert!(!stderr.contains(wrong), "{args:?}: {stderr}");
        }
        for n in named {
            assert!(stderr.contains(n), "{args:?}: {stderr}");
        }
        assert!(!out.path().join("x").exists(), "{args:?}: nothing written");
    }
}

#[test]
fn staffing_a_group_writes_which_group_and_holds_the_others() {
    let out = tempfile::TempDir::new().unwrap();
    let assert = chatcap()
        .args(["staff", "--quiet", "--policy", "overflow-5m", "--group", "french", "--replications", "2"])
        .args(["--target", "workstream.chat-fr.service_level>=0.8", "--out"])
        .arg(out.path())
        .arg(project("scenarios/skills-overflow.toml"))
        .assert()
        .success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(stdout.contains("staffing agent group french; the other groups (generalists) keep"), "{stdout}");
    assert!(stdout.contains("overflow-5m needs group french's roster at scale"), "{stdout}");
    assert!(stdout.contains("reaches workstream.chat-fr.service_level "), "{stdout}");
    assert!(!stdout.contains("agent-hours of work a week"), "no team offered load for one group: {stdout}");
    let metric = "workstream.chat-fr.service_level";
    for file in ["staff.csv", "staff-path.csv"] {
        let csv = std::fs::read_to_string(out.path().join(file)).unwrap();
        let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
        let column = |name: &str| header.iter().position(|c| *c == name).unwrap_or_else(|| panic!("{file}: {name}"));
        // The part target's value and interval come last, after the group (and, in staff.csv, the note).
        let tail: &[&str] = if file == "staff.csv" { &["group", "note"] } else { &["group"] };
        let expected: Vec<&str> =
            tail.iter().copied().chain([metric, "workstream.chat-fr.service_level_ci95"]).collect();
        assert_eq!(&header[header.len() - expected.len()..], expected.as_slice(), "{file}");
        let (group, load, value, half) =
            (column("group"), column("offered_load_agents"), column(metric), column(&format!("{metric}_ci95")));
        for row in csv.lines().skip(1) {
            let cells: Vec<&str> = row.split(',').collect();
            assert_eq!(cells[group], "french", "{file}: {row}");
            assert_eq!(cells[load], "", "{file}: no offered load for one group: {row}");
            let v: f64 = cells[value].parse().unwrap_or_else(|_| panic!("{file}: a value: {row}"));
            let h: f64 = cells[half].parse().unwrap_or_else(|_| panic!("{file}: an interval: {row}"));
            assert!((0.0..=1.0).contains(&v) && h > 0.0, "{file}: {row}");
            if file == "staff.csv" {
                assert_eq!(cells[column("note")], "", "{file}: staffed, no note: {row}");
                assert!(v >= 0.8, "the answer meets the target: {row}");
                assert!(stdout.contains(&format!("{metric} {v:.3} ±{h:.3}")), "the terminal's figure: {stdout}");
            } else {
                // The verdict of each level is the column's value against the target.
                assert_eq!(cells[column("meets")] == "1", v >= 0.8, "{file}: {row}");
            }
        }
    }
}

/// blended-team's persistent-0 sends nothing to chat-persistent: a target on that workstream cannot be judged in
/// it, so it is reported not applicable, before simulating anything, and the other policies are still staffed.
#[test]
fn a_policy_whose_target_part_gets_no_conversations_is_not_applicable_and_the_others_are_staffed() {
    let out = tempfile::TempDir::new().unwrap();
    let metric = "workstream.chat-persistent.first_response_open_p90_s";
    let assert = chatcap()
        .args(["staff", "--quiet", "--replications", "2", "--target", &format!("{metric}<=1200"), "--out"])
        .arg(out.path())
        .arg(project("scenarios/blended-team.toml"))
        .assert()
        .success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(
        stdout.contains(
            "persistent-0: not applicable: workstream chat-persistent gets no conversations in this policy (its share \
             is 0)"
        ),
        "{stdout}"
    );
    for policy in ["persistent-30", "persistent-60"] {
        assert!(stdout.contains(&format!("{policy} needs group team's roster at scale")), "{stdout}");
    }
    // An interval reads like its value: whole seconds for a value of 100 or more.
    for line in stdout.lines().filter(|l| l.contains("reaches ")) {
        let reading = line.split(&format!("{metric} ")).nth(1).and_then(|r| r.split(';').next()).unwrap();
        let (value, half) = reading.split_once(" ±").unwrap_or_else(|| panic!("{line}"));
        assert!(value.parse::<f64>().unwrap() >= 100.0 && !value.contains('.') && !half.contains('.'), "{line}");
    }
    let staff = std::fs::read_to_string(out.path().join("staff.csv")).unwrap();
    let header: Vec<&str> = staff.lines().next().unwrap().split(',').collect();
    let column = |name: &str| header.iter().position(|c| *c == name).unwrap();
    let rows: Vec<Vec<&str>> = staff.lines().skip(1).map(|r| r.split(',').collect()).collect();
    assert_eq!(rows.iter().map(|r| r[0]).collect::<Vec<_>>(), ["persistent-0", "persistent-30", "persistent-60"]);
    let idle = &rows[0];
    assert_eq!(idle.len(), header.len());
    assert_eq!(idle[column("agents")], "");
    assert_eq!(idle[column("group")], "team");
    assert_eq!(
        idle[column("note")],
        "not applicable: workstream chat-persistent gets no conversations in this policy (its share is 0)"
    );
    assert_eq!(idle[column(metric)], "");
    for row in &rows[1..] {
        assert!(row[column("agents")].parse::<u32>().unwrap() > 0, "{row:?}");
        assert!(row[column(metric)].parse::<f64>().unwrap() <= 1200.0, "{row:?}");
    }
    // Known from the set-up: nothing simulated for persistent-0.
    let path = std::fs::read_to_string(out.path().join("staff-path.csv")).unwrap();
    assert!(path.lines().skip(1).all(|r| !r.starts_with("persistent-0,")), "{path}");
    assert!(path.lines().skip(1).any(|r| r.starts_with("persistent-30,")), "{path}");

    // With only that policy there is nothing to staff: exit 2, nothing written.
    let none = out.path().join("none");
    let assert = chatcap()
        .args(["staff", "--quiet", "--policy", "persistent-0", "--target", &format!("{metric}<=1200"), "--out"])
        .arg(&none)
        .arg(project("scenarios/blended-team.toml"))
        .assert()
        .code(2);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("not applicable to any policy: policy persistent-0: workstream chat-persistent gets"),
        "{stderr}"
    );
    assert!(!none.exists());
}

/// On a scenario without a set-up, `--group agents` names its one group and changes nothing, byte for byte.
#[test]
fn group_agents_on_a_plain_scenario_changes_nothing() {
    let run = |group: bool| {
        let out = tempfile::TempDir::new().unwrap();
        let mut cmd = chatcap();
        cmd.args(["staff", "--quiet", "--replications", "2", "--set", "duration=1d", "--target", "service_level>=0.8"]);
        if group {
            cmd.args(["--group", "agents"]);
        }
        let stdout = cmd.arg("--out").arg(out.path()).arg(project("scenarios/mmc.toml")).assert().success();
        let stdout = String::from_utf8(stdout.get_output().stdout.clone()).unwrap();
        let read = |f: &str| std::fs::read(out.path().join(f)).unwrap();
        (stdout.replace(&out.path().display().to_string(), "OUT"), read("staff.csv"), read("staff-path.csv"))
    };
    assert_eq!(run(false), run(true));
}
