//! `chatcap route` on the command line: a hand-checked timeline over two workstreams with a skill, overflow
//! and offers; every kind of bad line, skipped or (with --strict) stopping with exit 2; the output file only
//! when complete.

use assert_cmd::Command;
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

const SETUP: &str = "tests/fixtures/route/two-teams.toml";

fn chatcap() -> Command {
    Command::cargo_bin("chatcap").expect("binary built")
}

fn write(dir: &TempDir, name: &str, text: &str) -> PathBuf {
    let path = dir.path().join(name);
    fs::write(&path, text).unwrap();
    path
}

/// Runs `chatcap route SETUP --input events` and returns (exit code, stdout, stderr).
fn route(events: &Path, extra: &[&str]) -> (i32, String, String) {
    let out = chatcap().args(["route", SETUP, "--input"]).arg(events).args(extra).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

/// The timeline, worked out by hand from the set-up (tests/fixtures/route/two-teams.toml):
/// - ann (general: sales only) and bob (french: sales and support), capacity 1 each, sign in at 0.
/// - 1s: c1 (web, needs french) goes to sales; only bob has french: offered to bob, countdown 30s (due 31s).
/// - 2s: bob accepts: assigned.
/// - 3s: c2 (web) offered to ann, the only free agent (due 33s). 4s: ann declines; the decline limit is 1, so
///   ann is never offered c2 again; c2 waits in sales, first in line.
/// - 5s: c3 (web) queues behind c2 (position 2); ann can take c3: offered (due 35s).
/// - 6s: c4 (web): one conversation already waits in sales (c2; c3 is offered), and sales overflows when more
///   than 1 would wait: transferred to support, position 1, support's 2m limit due at 126s.
/// - 7s: conversation 7 (app, a numeric id) goes to support behind c4: position 2, limit due at 127s.
/// - 10s: bob replies to c1: live chat's 3m silence limit starts (due 190s). 20s: bob ends c1: wrap-up
///   (holding capacity, the [agents] default). 25s: wrap-up done: c1 closed; bob is free and sales comes before
///   support: c2, first in sales, is offered to bob (due 55s). 26s: bob accepts.
/// - The tick at 200s fires every kept timer in time order: c1's offer (31s), c2's (33s) and its second (55s)
///   and c1's silence (190s) are stale, as those conversations moved on; c3's countdown at 35s counts as a
///   decline by ann; c4 and 7 wait 2m in support with bob busy: ended by support's in-queue rule.
const EXPECTED: &str = r#"{"at":1000,"type":"offered","conversation":"c1","agent":"bob"}
{"at":1000,"type":"timer","conversation":"c1","kind":"offer_countdown","due":31000,"generation":1}
{"at":2000,"type":"assigned","conversation":"c1","agent":"bob"}
{"at":3000,"type":"offered","conversation":"c2","agent":"ann"}
{"at":3000,"type":"timer","conversation":"c2","kind":"offer_countdown","due":33000,"generation":1}
{"at":4000,"type":"offer_withdrawn","conversation":"c2","agent":"ann","declined":true}
{"at":5000,"type":"queued","conversation":"c3","queue":"sales","position":2}
{"at":5000,"type":"offered","conversation":"c3","agent":"ann"}
{"at":5000,"type":"timer","conversation":"c3","kind":"offer_countdown","due":35000,"generation":1}
{"at":6000,"type":"overflowed","conversation":"c4","queue":"sales","when":"more_waiting_than","action":"transfer","value":1,"to":"support"}
{"at":6000,"type":"transferred","conversation":"c4","from":"sales","to":"support"}
{"at":6000,"type":"queued","conversation":"c4","queue":"support","position":1}
{"at":6000,"type":"timer","conversation":"c4","kind":"queue_wait","due":126000,"generation":1}
{"at":7000,"type":"queued","conversation":7,"queue":"support","position":2}
{"at":7000,"type":"timer","conversation":7,"kind":"queue_wait","due":127000,"generation":1}
{"at":10000,"type":"timer","conversation":"c1","kind":"customer_idle","due":190000,"generation":2}
{"at":20000,"type":"wrap_up_started","conversation":"c1","agent":"bob","reason":"resolved"}
{"at":25000,"type":"closed","conversation":"c1","reason":"resolved"}
{"at":25000,"type":"offered","conversation":"c2","agent":"bob"}
{"at":25000,"type":"timer","conversation":"c2","kind":"offer_countdown","due":55000,"generation":3}
{"at":26000,"type":"assigned","conversation":"c2","agent":"bob"}
{"at":35000,"type":"offer_withdrawn","conversation":"c3","agent":"ann","declined":true}
{"at":126000,"type":"overflowed","conversation":"c4","queue":"support","when":"waited_longer_than","action":"end","value":120000}
{"at":126000,"type":"closed","conversation":"c4","reason":"overflowed"}
{"at":127000,"type":"overflowed","conversation":7,"queue":"support","when":"waited_longer_than","action":"end","value":120000}
{"at":127000,"type":"closed","conversation":7,"reason":"overflowed"}
"#;

#[test]
fn two_workstreams_with_skills_overflow_and_offers_follow_the_hand_computed_timeline() {
    let (code, stdout, stderr) = route(Path::new("tests/fixtures/route/two-teams.events.jsonl"), &[]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let got: Vec<&str> = stdout.lines().collect();
    let want: Vec<&str> = EXPECTED.lines().collect();
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        assert_eq!(g, w, "decision {}", i + 1);
    }
    assert_eq!(got.len(), want.len(), "number of decisions");
    // The README's worked example is the same file's output.
    assert_eq!(fs::read_to_string("tests/fixtures/route/two-teams.decisions.jsonl").unwrap(), EXPECTED);
}

#[test]
fn the_same_events_give_the_same_decisions_and_an_output_file_holds_them() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("decisions.jsonl");
    let events = Path::new("tests/fixtures/route/two-teams.events.jsonl");
    let (code, stdout, _) = route(events, &["--output", out.to_str().unwrap()]);
    assert_eq!((code, stdout.as_str()), (0, ""));
    assert_eq!(fs::read_to_string(&out).unwrap(), EXPECTED);
    let names: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names.len(), 1, "no temporary left: {names:?}");
}

/// Every kind of bad line, each with the message it must give.
const BAD: [(&str, &str); 16] = [
    ("not json", "not a JSON event: expected ident"),
    (r#"{"at":1,"type":"teleport"}"#, "unknown event type \"teleport\" (types: arrived, customer_message"),
    (
        r#"{"at":2,"type":"arrived","conversation":"x","workstream":"nope"}"#,
        "unknown workstream \"nope\" (workstreams: web, app)",
    ),
    (r#"{"at":3,"type":"customer_message","conversation":"ghost"}"#, "unknown conversation \"ghost\""),
    (r#"{"at":4,"type":"signed_out","agent":99}"#, "unknown agent 99 (an agent's first event is signed_in)"),
    (r#"{"at":5,"type":"queue_closed","queue":"nowhere"}"#, "unknown queue \"nowhere\" (queues: sales, support)"),
    (
        r#"{"at":6,"type":"signed_in","agent":2,"group":"gnomes","capacity":1}"#,
        "unknown group \"gnomes\" (groups: general, french)",
    ),
    (
        r#"{"at":7,"type":"arrived","conversation":"y","workstream":"web","skill":"klingon"}"#,
        "unknown skill \"klingon\" (skills: french)",
    ),
    (r#"{"at":8,"type":"agent_replied"}"#, "event type agent_replied needs field \"conversation\""),
    (r#"{"at":9,"type":"tick","agent":1}"#, "field \"agent\" does not belong in event type tick"),
    (r#"{"type":"tick"}"#, "missing field \"at\""),
    (
        r#"{"at":10,"type":"signed_in","agent":1,"group":"general","capacity":1}"#,
        "the router refused it: agent 1 is already signed in",
    ),
    (r#"{"at":11,"type":"presence","agent":1,"presence":"offline"}"#, "unknown presence \"offline\""),
    (r#"{"at":12,"type":"arrived","conversation":5,"workstream":"web","colour":"red"}"#, "unknown field `colour`"),
    (r#"{"at":13,"type":"agent_ended","conversation":44}"#, "the router refused it: conversation 44 is not open"),
    (r#"{"at":1,"type":"tick"}"#, "time went backwards: \"at\" is 1, before the previous event's 10"),
];

#[test]
fn each_bad_line_is_named_by_its_number_and_skipped() {
    let dir = TempDir::new().unwrap();
    let first = r#"{"at":0,"type":"signed_in","agent":1,"group":"general","capacity":1}"#;
    let last = r#"{"at":14,"type":"arrived","conversation":"ok","workstream":"web"}"#;
    // The backwards tick must follow an accepted line at 10: put a good one just before it.
    let mut lines = vec![first.to_string()];
    for (i, (line, _)) in BAD.iter().enumerate() {
        if i == BAD.len() - 1 {
            lines.push(r#"{"at":10,"type":"tick"}"#.into());
        }
        lines.push(line.to_string());
    }
    lines.push(last.into());
    let events = write(&dir, "bad.jsonl", &(lines.join("\n") + "\n"));
    let (code, stdout, stderr) = route(&events, &[]);
    assert_eq!(code, 0, "{stderr}");
    let messages: Vec<&str> = stderr.lines().collect();
    assert_eq!(messages.len(), BAD.len() + 1, "{stderr}");
    for (i, (_, want)) in BAD.iter().enumerate() {
        let number = if i == BAD.len() - 1 { i + 3 } else { i + 2 };
        let prefix = format!("chatcap route: {}:{number}: ", events.display());
        assert!(messages[i].starts_with(&prefix), "{:?} does not start with {prefix:?}", messages[i]);
        assert!(messages[i].contains(want), "{:?} does not say {want:?}", messages[i]);
    }
    assert_eq!(messages[BAD.len()], format!("chatcap route: {} of {} event lines skipped", BAD.len(), BAD.len() + 3));
    // The good line after all of them was taken.
    assert!(stdout.starts_with(r#"{"at":14,"type":"offered","conversation":"ok","agent":1}"#), "{stdout}");
}

#[test]
fn strict_stops_at_the_first_bad_line_with_exit_2_keeping_earlier_decisions_on_stdout() {
    let dir = TempDir::new().unwrap();
    let text = [
        r#"{"at":0,"type":"signed_in","agent":"a","group":"general","capacity":1}"#,
        r#"{"at":1,"type":"arrived","conversation":1,"workstream":"web"}"#,
        r#"{"at":2,"type":"customer_message","conversation":"ghost"}"#,
        r#"{"at":3,"type":"arrived","conversation":2,"workstream":"web"}"#,
    ]
    .join("\n");
    let events = write(&dir, "e.jsonl", &text);
    let (code, stdout, stderr) = route(&events, &["--strict"]);
    assert_eq!(code, 2);
    assert_eq!(stderr.trim_end(), format!("chatcap route: {}:3: unknown conversation \"ghost\"", events.display()));
    assert_eq!(stdout.lines().count(), 2, "the offer and its timer, nothing after line 3: {stdout}");
    // To a file: nothing at all, not half a file.
    let out = dir.path().join("d.jsonl");
    let (code, _, _) = route(&events, &["--strict", "--output", out.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(!out.exists());
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "only the events file");
}

#[test]
fn a_missing_input_is_an_io_error_and_a_bad_scenario_or_policy_exit_2() {
    let dir = TempDir::new().unwrap();
    let (code, _, stderr) = route(&dir.path().join("absent.jsonl"), &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("absent.jsonl"), "{stderr}");
    let events = write(&dir, "e.jsonl", "");
    let (code, _, stderr) = route(&events, &["--policy", "nope"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--policy nope: no policy has that name (policies: base)"), "{stderr}");
    // A scenario with several policies needs --policy; its errors are the loader's (file, line, key).
    let out = chatcap().args(["route", "scenarios/persistent-vs-live.toml"]).write_stdin("").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("choose one with --policy NAME"));
    let bad = write(&dir, "bad.toml", "name = \"x\"\nduration = \"1d\"\n[arrivals]\nrate = -3\n");
    let out = chatcap().arg("route").arg(&bad).write_stdin("").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(err.contains("bad.toml") && err.contains("rate"), "{err}");
}

#[test]
fn a_scenario_without_workstreams_is_workstream_default_queue_default_group_agents() {
    let events = "{\"at\":0,\"type\":\"signed_in\",\"agent\":0,\"group\":\"agents\",\"capacity\":2}\n\
                  {\"at\":5,\"type\":\"arrived\",\"conversation\":1,\"workstream\":\"default\"}\n\
                  {\"at\":6,\"type\":\"queue_closed\",\"queue\":\"default\"}\n";
    let out = chatcap()
        .args(["route", "scenarios/mmc.toml", "--policy", "live", "--strict"])
        .write_stdin(events)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().next(), Some(r#"{"at":5,"type":"assigned","conversation":1,"agent":0}"#));
}

#[test]
fn the_readme_example_is_what_the_command_writes() {
    let readme = fs::read_to_string("README.md").unwrap();
    let section = &readme[readme.find("## chatcap route").expect("the section")..];
    let block = |after: &str| -> String {
        let start = section.find(after).expect(after) + after.len();
        let body = &section[start..];
        let body = &body[body.find('\n').unwrap() + 1..];
        body[..body.find("```").unwrap()].to_string()
    };
    let events = fs::read_to_string("tests/fixtures/route/readme.events.jsonl").unwrap();
    assert_eq!(block("with tests/fixtures/route/readme.events.jsonl:\n\n```"), events);
    let (code, stdout, stderr) = route(Path::new("tests/fixtures/route/readme.events.jsonl"), &[]);
    assert_eq!(code, 0);
    assert_eq!(block("writes these decisions:\n\n```"), stdout);
    assert_eq!(block("and on stderr:\n\n```"), stderr);
}

#[test]
fn a_timer_fired_by_the_caller_counts_once_and_an_over_long_line_is_skipped() {
    let dir = TempDir::new().unwrap();
    let long = format!(r#"{{"at":2,"type":"tick","pad":"{}"}}"#, "x".repeat(1 << 20));
    let text = [
        r#"{"at":0,"type":"signed_in","agent":"ann","group":"general","capacity":1}"#,
        r#"{"at":1000,"type":"arrived","conversation":"c","workstream":"web"}"#,
        &long,
        r#"{"at":31000,"type":"timer_fired","conversation":"c","kind":"offer_countdown","generation":1}"#,
        r#"{"at":60000,"type":"tick"}"#,
    ]
    .join("\n");
    let events = write(&dir, "e.jsonl", &text);
    let (code, stdout, stderr) = route(&events, &[]);
    assert_eq!(code, 0);
    assert!(stderr.starts_with(&format!("chatcap route: {}:3: line longer than 1048576 bytes", events.display())));
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines,
        [
            r#"{"at":1000,"type":"offered","conversation":"c","agent":"ann"}"#,
            r#"{"at":1000,"type":"timer","conversation":"c","kind":"offer_countdown","due":31000,"generation":1}"#,
            r#"{"at":31000,"type":"offer_withdrawn","conversation":"c","agent":"ann","declined":true}"#,
        ],
        "the countdown counted once"
    );
}
