//! A routing set-up (`[[workstream]]`) on the command line: `check` describes it and warns; `run` writes its
//! parts; `staff` asks which of several groups to staff (see `tests/staff_groups.rs` for the search itself).

use assert_cmd::Command;
use std::fs;
use std::path::PathBuf;
use tempfile::TempDir;

const SETUP: &str = r#"name = "two-channels"
duration = "1d"

[arrivals]
rate = 30

[agents]
reply = { dist = "constant", value = "40s" }

[[agents.group]]
name = "generalists"
count = 4
queues = ["general"]

[[agents.group]]
name = "billing-team"
count = 2
queues = ["general", "billing"]
skills = { billing = 4 }

[[workstream]]
name = "chat-live"
mode = "live"
share = 0.6
queue = "general"
skills = { french = 0.1 }

[[workstream]]
name = "chat-persistent"
mode = "persistent"
share = 0.4
queue = "billing"

[[queue]]
name = "general"
overflow = [{ when = "more_waiting_than", value = 20, action = "transfer", to = "billing" }]

[[queue]]
name = "billing"
priority = 2

[[policy]]
name = "as-is"

[[policy]]
name = "more-persistent"
set = { "workstream.chat-live.share" = 0.3, "workstream.chat-persistent.share" = 0.7 }
"#;

fn chatcap() -> Command {
    Command::cargo_bin("chatcap").expect("binary built")
}

fn scenario(dir: &TempDir, text: &str) -> PathBuf {
    let path = dir.path().join("setup.toml");
    fs::write(&path, text).unwrap();
    path
}

#[test]
fn check_describes_the_set_up_and_warns_about_skills_no_group_has() {
    let dir = TempDir::new().unwrap();
    let path = scenario(&dir, SETUP);
    let assert = chatcap().arg("check").arg(&path).assert().success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    for words in [
        "Policies: as-is; more-persistent.",
        "workstream chat-live: 60.0% of the arrivals, live",
        "queue general: priority 1",
        "more than 20 waiting: transfer to billing",
        "group billing-team: up to 2 agents, capacity 1 each, serving general, billing, skills billing 4.",
        "workstream chat-live: 30.0% of the arrivals",
        "warning: every policy: workstream chat-live: 10% of its conversations need skill french",
    ] {
        assert!(stdout.contains(words), "{words:?} not in:\n{stdout}");
    }
}

#[test]
fn run_writes_workstreams_and_queues_and_staff_asks_which_group_with_exit_2() {
    let dir = TempDir::new().unwrap();
    let path = scenario(&dir, SETUP);
    let out = dir.path().join("out");
    let assert = chatcap().args(["run", "--quiet", "--out"]).arg(&out).arg(&path).assert().success();
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("warning: every policy: workstream chat-live: 10%"), "run warns: {stderr}");
    let workstreams = std::fs::read_to_string(out.join("workstreams.csv")).unwrap();
    assert!(workstreams.starts_with("policy,workstream,replications,conversations,"), "{workstreams}");
    assert_eq!(workstreams.lines().count(), 1 + 2 * 2, "a row per policy and workstream");
    let queues = std::fs::read_to_string(out.join("queues.csv")).unwrap();
    assert!(queues.starts_with("policy,queue,replications,conversations,"), "{queues}");
    assert!(queues.lines().next().unwrap().ends_with("overflowed,transferred_in,transferred_out,offers,declines"));

    let staff_out = dir.path().join("staff");
    let assert = chatcap()
        .args(["staff", "--quiet", "--target", "service_level>=0.8", "--out"])
        .arg(&staff_out)
        .arg(&path)
        .assert()
        .code(2);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("2 agent groups (generalists, billing-team)"), "{stderr}");
    assert!(stderr.contains("--group generalists"), "{stderr}");
    assert!(!staff_out.exists(), "staff wrote outputs");
}

#[test]
fn a_bad_policy_set_key_exits_2_naming_the_line_and_key() {
    let dir = TempDir::new().unwrap();
    let path =
        scenario(&dir, &SETUP.replace("\"workstream.chat-persistent.share\"", "\"workstream.chat-persistent.shares\""));
    let line = SETUP.lines().position(|l| l.starts_with("set = ")).unwrap() + 1;
    let assert = chatcap().arg("check").arg(&path).assert().code(2);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains(&format!("setup.toml:{line}:")) && stderr.contains("workstream.chat-persistent.shares"),
        "{stderr}"
    );
}
