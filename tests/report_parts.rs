//! A routing set-up's workstreams and queues on the terminal, in the verdict and in report.html; a scenario
//! without `[[workstream]]` shows none of it.

use assert_cmd::Command;
use chatcap::report::Table;
use chatcap::report::csv::from_csv;
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

fn project(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// Runs `chatcap run` quietly and returns its standard output.
fn run(scenario: &Path, out: &Path, extra: &[&str]) -> String {
    let output = Command::cargo_bin("chatcap")
        .expect("binary built")
        .args(["run", "--quiet", "--replications", "2", "--out"])
        .arg(out)
        .args(extra)
        .arg(scenario)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

/// The percentage as the terminal and the verdict show it.
fn percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

/// (part name, service level) of the part with the lowest service level under `policy`.
fn worst(table: &Table, kind: &str, policy: &str) -> (String, f64) {
    (0..table.rows.len())
        .filter(|&r| table.text(r, "policy") == Some(policy))
        .map(|r| (table.text(r, kind).unwrap().to_string(), table.num(r, "service_level").unwrap()))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .unwrap()
}

#[test]
fn a_set_up_shows_each_workstream_and_queue_and_names_the_worst() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    let text = run(&project("tests/fixtures/two_workstreams.toml"), &out, &[]);
    let workstreams = from_csv(&fs::read_to_string(out.join("workstreams.csv")).unwrap()).unwrap();
    let queues = from_csv(&fs::read_to_string(out.join("queues.csv")).unwrap()).unwrap();
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    // Agents' figures belong to the whole team: no part has them.
    for team_only in ["occupancy", "reclaimed_capacity_share", "reclaimed_agent_equivalents", "agent_hours_online"] {
        assert!(workstreams.column(team_only).is_none() && queues.column(team_only).is_none(), "{team_only}");
    }

    for policy in ["as-is", "more-persistent"] {
        // The terminal: a table per policy, a line per part with its service level as in the CSV.
        let heading = text.lines().find(|l| l.starts_with(&format!("{policy}:"))).expect("a table per policy");
        for column in ["conversations", "service level", "abandon rate", "queue wait", "overflowed", "declines"] {
            assert!(heading.contains(column), "{heading}");
        }
        for (kind, table) in [("workstream", &workstreams), ("queue", &queues)] {
            for r in (0..table.rows.len()).filter(|&r| table.text(r, "policy") == Some(policy)) {
                let name = table.text(r, kind).unwrap();
                let line = text
                    .lines()
                    .skip_while(|l| *l != heading)
                    .find(|l| l.trim_start().starts_with(&format!("{kind} {name} ")))
                    .unwrap_or_else(|| panic!("no line for {kind} {name} under {policy}:\n{text}"));
                assert!(line.contains(&percent(table.num(r, "service_level").unwrap())), "{line}");
            }
        }

        // The verdict, on the terminal and in the report: the worst workstream with its service level.
        let (name, level) = worst(&workstreams, "workstream", policy);
        let sentence = text
            .lines()
            .find(|l| l.starts_with(&format!("In {policy}, ")))
            .unwrap_or_else(|| panic!("no verdict for {policy}:\n{text}"));
        assert!(sentence.contains(&format!("workstream {name}")), "{sentence}");
        assert!(sentence.contains(&format!("{} of conversations picked up within 60 s", percent(level))), "{sentence}");
        assert!(html.contains(&format!("<p>{}</p>", sentence.replace('\'', "&#39;"))), "{sentence}");
    }
    // The persistent workstream is the one that pays for moving customers to it.
    assert_eq!(worst(&workstreams, "workstream", "more-persistent").0, "chat-persistent");

    assert!(html.contains("<h2>By workstream</h2>") && html.contains("<h2>By queue</h2>"));
    assert!(html.contains("<figure id=\"workstreams_service_level\">"));
    assert!(out.join("plots/workstreams_service_level.png").exists());
    assert!(
        html.contains("<td class=\"name\">chat-persistent</td>") && html.contains("<td class=\"name\">billing</td>")
    );
}

#[test]
fn a_single_queue_scenario_shows_no_parts() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    let text = run(&project("scenarios/mmc.toml"), &out, &["--set", "duration=1d", "--set", "warmup=0s"]);
    assert!(text.contains("service level"), "{text}");
    assert!(!text.contains("workstream") && !text.contains("queue general") && !text.contains(" worst"), "{text}");
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(!html.contains("By workstream") && !html.contains("By queue"));
    assert!(!html.contains("workstreams_service_level") && !out.join("plots/workstreams_service_level.svg").exists());
    assert!(!out.join("workstreams.csv").exists() && !out.join("queues.csv").exists());
}
