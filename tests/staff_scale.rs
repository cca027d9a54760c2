//! `chatcap staff` on small scenarios: rosters scaled with their shape and agent-hours as documented, closed
//! intervals left unstaffed, targets no headcount can meet reported with their reason, `--vary`, and bad input.

use assert_cmd::Command;
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

fn chatcap() -> Command {
    Command::cargo_bin("chatcap").expect("binary built")
}

/// A one-week scenario: `hours` and `agents` lines given, 20 conversations an hour of one message answered in 2
/// minutes by exponential reply times, one conversation per agent.
fn scenario(dir: &Path, hours: &str, agents: &str, mode: &str) -> PathBuf {
    let text = format!(
        "name = \"small\"\nseed = 3\nduration = \"7d\"\ndrain = \"1d\"\nreplications = 2\nservice_level = \"60s\"\n\
         interval = \"1h\"\n{hours}\n[arrivals]\nrate = 20\n[agents]\n{agents}\ncapacity = 1\n\
         reply = {{ dist = \"exponential\", mean = \"2m\" }}\n[[policy]]\nname = \"p\"\nmode = \"{mode}\"\n"
    );
    let path = dir.join("small.toml");
    fs::write(&path, text).unwrap();
    path
}

const WEEKDAYS: &str = "[hours]\nmon = \"08:00-18:00\"\ntue = \"08:00-18:00\"\nwed = \"08:00-18:00\"\n\
                        thu = \"08:00-18:00\"\nfri = \"08:00-18:00\"";

/// Column `name` of data row `row` of a CSV file.
fn cell(csv: &str, row: usize, name: &str) -> String {
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let at = header.iter().position(|c| *c == name).unwrap_or_else(|| panic!("no column {name}"));
    csv.lines().nth(row + 1).unwrap().split(',').nth(at).unwrap().to_string()
}

fn num(csv: &str, row: usize, name: &str) -> f64 {
    cell(csv, row, name).parse().unwrap()
}

#[test]
fn a_shift_roster_is_scaled_and_its_agent_hours_follow_scale_and_shrinkage() {
    let dir = TempDir::new().unwrap();
    let agents = "shifts = [{ days = \"mon-fri\", start = \"08:00\", end = \"18:00\", count = 10 }]\nshrinkage = 0.25";
    let path = scenario(dir.path(), WEEKDAYS, agents, "live");
    let out = dir.path().join("out");
    let assert = chatcap()
        .args(["staff", "--quiet", "--target", "service_level>=0.8", "--set", "arrivals.rate=120", "--out"])
        .arg(&out)
        .arg(&path)
        .assert()
        .success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    let staff = fs::read_to_string(out.join("staff.csv")).unwrap();
    assert!(staff.starts_with("policy,agents,replications,"), "{staff}");
    assert!(
        staff.lines().next().unwrap().ends_with(
            ",scale,shrinkage,scheduled_agent_hours_per_week,online_agent_hours_per_week,offered_load_agents"
        )
    );
    // The roster keeps its shape: one shift of round(10 x scale) agents, 50 hours a week; online agents are
    // round(scheduled x 0.75) over the same hours.
    let scale = num(&staff, 0, "scale");
    let scheduled = (10.0 * scale).round();
    let online = (scheduled * 0.75).round();
    assert_eq!(num(&staff, 0, "agents"), scheduled);
    assert_eq!(num(&staff, 0, "shrinkage"), 0.25);
    assert_eq!(num(&staff, 0, "scheduled_agent_hours_per_week"), scheduled * 50.0);
    assert_eq!(num(&staff, 0, "online_agent_hours_per_week"), online * 50.0);
    assert!(online < scheduled, "shrinkage shows at this size: {scheduled} scheduled, {online} online");
    // 120 an hour x 2 minutes = 4 agents of work, arriving only in opening hours of a live queue (50 of 168).
    assert!((num(&staff, 0, "offered_load_agents") - 120.0 * 2.0 / 60.0 * 50.0 / 168.0).abs() < 1e-9);
    // The engine signed in the online headcount: at least online x 50 / 168 agents on average over the window
    // (agents leaving at the end of a shift may stay on to finish a reply).
    let signed_in = num(&staff, 0, "agents_online_mean");
    assert!(signed_in >= online * 50.0 / 168.0 - 1e-9, "{signed_in}");
    let expected = format!(
        "p needs the roster at scale {}, up to {} agents at once ({} scheduled agent-hours a week, {} online after 25% shrinkage)",
        cell(&staff, 0, "scale"),
        scheduled,
        scheduled * 50.0,
        online * 50.0
    );
    assert!(stdout.contains(&expected), "{expected}\n{stdout}");
}

#[test]
fn per_interval_staffing_leaves_closed_intervals_empty() {
    let dir = TempDir::new().unwrap();
    let path = scenario(dir.path(), WEEKDAYS, "count = 3", "live");
    let out = dir.path().join("out");
    chatcap()
        .args(["staff", "--quiet", "--per-interval", "--target", "service_level_open_hours>=0.8", "--out"])
        .arg(&out)
        .arg(&path)
        .assert()
        .success();
    let week = fs::read_to_string(out.join("staff-week.csv")).unwrap();
    assert!(week.starts_with("policy,time,mon,tue,wed,thu,fri,sat,sun\np,00:00,"), "{week}");
    assert_eq!(week.lines().count(), 1 + 24, "one row per hour of the day");
    for line in week.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let hour: u32 = cells[1][..2].parse().unwrap();
        let open = (8..18).contains(&hour);
        for (d, n) in cells[2..].iter().enumerate() {
            let n: u32 = n.parse().unwrap();
            if open && d < 5 {
                assert!(n > 0, "{line}: open weekday hour without agents");
            } else {
                assert_eq!(n, 0, "{line}: closed hour with agents");
            }
        }
    }
    assert!(out.join("plots/staff_week.png").exists() && out.join("plots/staff_week.svg").exists());
    let svg = fs::read_to_string(out.join("plots/staff_week.svg")).unwrap();
    assert!(svg.contains("closed: no agents"));
}

#[test]
fn a_persistent_target_above_the_closed_hours_ceiling_is_unreachable_with_its_reason() {
    let dir = TempDir::new().unwrap();
    let path = scenario(dir.path(), WEEKDAYS, "count = 3", "persistent");
    let out = dir.path().join("out");
    let assert = chatcap()
        .args(["staff", "--quiet", "--target", "service_level>=0.5", "--out"])
        .arg(&out)
        .arg(&path)
        .assert()
        .code(2);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    // Open 50 of 168 hours at a flat rate: 118/168 = 70.2% of conversations arrive while closed, all but those in
    // the last minute before an opening (5 of 10,080 minutes) more than 60 s before it.
    let late = (118.0 * 60.0 - 5.0) / 10_080.0 * 100.0;
    let expected = format!(
        "--target service_level>=0.5: unreachable for policy p at any headcount: {late:.1}% of conversations arrive \
         while the queue is closed, more than 1m before it opens, so service_level cannot exceed 0.298"
    );
    assert!(stderr.contains(&expected), "{expected}\n{stderr}");
    assert!(stderr.contains("try service_level_open_hours"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1);
    assert!(!out.exists(), "nothing written");
    // On open hours only there is no such ceiling. The backlog met at every opening (70% of the week's
    // conversations) keeps the generous level, 21 agents (max(16 x 1, 1 + 20) for 0.67 agents of work), far
    // from the target, but more agents clear it faster: the search keeps doubling past 21 and finds an answer.
    let assert = chatcap()
        .args(["staff", "--quiet", "--target", "service_level_open_hours>=0.5", "--out"])
        .arg(&out)
        .arg(&path)
        .assert()
        .success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    let staff = fs::read_to_string(out.join("staff.csv")).unwrap();
    let agents = num(&staff, 0, "agents");
    assert!(agents > 21.0, "the answer lies beyond the generous level: {agents}\n{stdout}");
    assert!(num(&staff, 0, "service_level_open_hours") >= 0.5, "{staff}");
    let path_csv = fs::read_to_string(out.join("staff-path.csv")).unwrap();
    let tried: Vec<f64> = (0..path_csv.lines().count() - 1).map(|r| num(&path_csv, r, "agents")).collect();
    assert!(tried.contains(&21.0) && tried.contains(&42.0), "21, then doubled: {tried:?}");
    assert!(tried.contains(&(agents - 1.0)), "bisected down to the smallest: {tried:?}");
    assert!(!stdout.contains("unreachable"), "{stdout}");
}

#[test]
fn a_target_no_staffing_tried_meets_reports_the_trend_and_why_it_stopped() {
    // Replies take 45 s on average, so no number of agents brings the 90th percentile of response times under
    // 30 s: the search doubles past the generous level until a doubling stops closing the gap.
    let project = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/idle-thresholds.toml");
    let out = TempDir::new().unwrap();
    let assert = chatcap()
        .args(["staff", "--quiet", "--policy", "park-10m", "--target", "response_p90_s<=30", "--out"])
        .arg(out.path().join("x"))
        .arg(&project)
        .assert()
        .code(2);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("--target response_p90_s<=30: not met for policy park-10m at any staffing tried, up to "),
        "{stderr}"
    );
    assert!(!stderr.contains("unreachable"), "{stderr}");
    // The trend: four levels, each twice the one before, the largest last, then why it stopped there.
    let reached = stderr.split("reached response_p90_s = ").nth(1).expect("values reached").to_string();
    let levels: Vec<u32> = reached
        .split(", ")
        .take(4)
        .map(|part| part.split(" at ").nth(1).unwrap().split([' ', ';']).next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(levels.len(), 4, "{stderr}");
    assert!(levels.windows(2).all(|w| w[1] == 2 * w[0]), "{levels:?}");
    let top = levels[3];
    assert!(stderr.contains(&format!("up to {top} agents at the busiest moment")), "{stderr}");
    assert!(
        stderr.contains(&format!("going from {} to {top} agents closed less than 5% of the gap", levels[2])),
        "{stderr}"
    );
    assert!(top > 32, "doubled past the generous level, 32 agents: {stderr}");
    assert!(!out.path().join("x").exists(), "nothing written");
}

#[test]
fn staff_vary_answers_at_every_point_with_a_chart() {
    let dir = TempDir::new().unwrap();
    let path = scenario(dir.path(), "", "count = 3", "live");
    let out = dir.path().join("out");
    chatcap()
        .args(["staff", "--quiet", "--target", "service_level>=0.8", "--vary", "agents.reply.mean=1m,2m,4m", "--out"])
        .arg(&out)
        .arg(&path)
        .assert()
        .success();
    let staff = fs::read_to_string(out.join("staff.csv")).unwrap();
    assert!(staff.starts_with("agents.reply.mean,policy,agents,replications,"), "{staff}");
    let agents: Vec<f64> = (0..3).map(|r| num(&staff, r, "agents")).collect();
    assert_eq!((0..3).map(|r| cell(&staff, r, "agents.reply.mean")).collect::<Vec<_>>(), ["1m", "2m", "4m"]);
    assert!(agents[0] < agents[1] && agents[1] < agents[2], "longer replies need more agents: {agents:?}");
    assert!(out.join("plots/staff_agents.reply.mean.png").exists());
    let svg = fs::read_to_string(out.join("plots/staff_agents.reply.mean.svg")).unwrap();
    assert!(svg.contains("Agents needed for service_level&gt;=0.8") && svg.contains("agents.reply.mean"));
}

#[test]
fn bad_staffing_input_exits_2_naming_the_key_and_writes_nothing() {
    let dir = TempDir::new().unwrap();
    let shifts = "shifts = [{ days = \"mon-fri\", start = \"08:00\", end = \"18:00\", count = 10 }]";
    let path = scenario(dir.path(), WEEKDAYS, shifts, "live");
    let out = dir.path().join("out");
    let cases: [(&[&str], &str); 6] = [
        (&["--set", "agents.shrinkage=1"], "agents.shrinkage"),
        (&["--set", "agents.scale=-0.5"], "agents.scale"),
        (&["--vary", "agents.shrinkage=0.1,1"], "--vary agents.shrinkage=1"),
        (&["--vary", "agents.nonsense=1,2"], "agents.nonsense"),
        (&["--vary", "policy.nobody.end_after_idle=3m"], "policy.nobody"),
        (&["--set", "agents.count=12"], "agents.scale"),
    ];
    for (args, named) in cases {
        let assert = chatcap()
            .args(["staff", "--quiet", "--target", "service_level>=0.8", "--out"])
            .arg(&out)
            .args(args)
            .arg(&path)
            .assert()
            .code(2);
        let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{args:?}: one message: {stderr}");
        assert!(stderr.contains(named), "{args:?}: {stderr}");
        assert!(!out.exists(), "{args:?}: nothing written");
    }
    // The file's own line is named for a bad value written in it.
    let other = TempDir::new().unwrap();
    let bad = scenario(other.path(), WEEKDAYS, &format!("{shifts}\nshrinkage = 1"), "live");
    let assert = chatcap().args(["check"]).arg(&bad).assert().code(2);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("small.toml:") && stderr.contains("agents.shrinkage"), "{stderr}");
    // --vary agents.count on a shift scenario is refused by sweep too, never silently replacing the roster.
    let assert = chatcap()
        .args(["sweep", "--quiet", "--vary", "agents.count=5,6", "--out"])
        .arg(&out)
        .arg(&path)
        .assert()
        .code(2);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("agents.scale"), "{stderr}");
    assert!(!out.exists());
}
