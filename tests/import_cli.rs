//! `chatcap import` and `chatcap calibrate` at the command line: a small log whose every output is computed by
//! hand, the bank's date rules, and bad logs, mappings and windows (exit 2, naming file, row and column).

use assert_cmd::Command;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

fn chatcap() -> Command {
    Command::cargo_bin("chatcap").expect("binary built")
}

fn project(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

const MAPPING: &str = r#"
presence_gap = "10m"
interval = "30m"
service_level = "20s"
[columns]
arrival = "entered"
wait = "wait"
outcome = "result"
handle = "talk"
agent = "who"
[formats]
datetime = "%Y-%m-%d %H:%M:%S"
[outcomes]
served = ["done"]
abandoned = ["gone"]
skipped = ["test"]
"#;

/// Ann serves 09:00:00-09:05:00 and 09:08:30-09:10:30 (a 3.5-minute gap: one spell), then 09:30:05-09:31:05
/// (after a 19.6-minute gap: a new spell); Bob 09:40:10-09:50:10. One caller gives up after 45 s; one row is
/// a test call.
const LOG: &str = "entered,wait,result,talk,who
2024-03-04 09:00:00,0,done,300,ann
2024-03-04 09:08:00,30,done,120,ann
2024-03-04 09:10:00,45,gone,,
2024-03-04 09:40:00,10,done,600,bob
2024-03-04 09:45:00,0,test,,
2024-03-04 09:30:00,5,done,60,ann
";

fn files(log: &str, mapping: &str) -> (TempDir, PathBuf, PathBuf) {
    let dir = TempDir::new().unwrap();
    let (l, m) = (dir.path().join("log.csv"), dir.path().join("map.toml"));
    fs::write(&l, log).unwrap();
    fs::write(&m, mapping).unwrap();
    (dir, l, m)
}

fn import(log: &Path, map: &Path, out: &Path) -> assert_cmd::assert::Assert {
    chatcap().arg("import").arg(log).arg("--map").arg(map).arg("--out").arg(out).assert()
}

/// Runs `chatcap calibrate` on an imported folder with `args` (windows, overrides), writing to `out`; its stdout.
fn calibrate(hist: &Path, out: &Path, args: &[&str]) -> String {
    let assert = chatcap()
        .arg("calibrate")
        .arg(hist.join("scenario.toml"))
        .arg("--history")
        .arg(hist)
        .args(args)
        .arg("--out")
        .arg(out)
        .assert()
        .success();
    String::from_utf8(assert.get_output().stdout.clone()).unwrap()
}

#[test]
fn a_small_log_gives_the_hand_computed_trace_schedule_and_history() {
    let (dir, log, map) = files(LOG, MAPPING);
    let out = dir.path().join("hist");
    let said = import(&log, &map, &out).success();
    let said = String::from_utf8(said.get_output().stdout.clone()).unwrap();
    assert!(said.contains("Offered 5 contacts over 1 day: 20.0% abandoned, mean wait 18.0 s."), "{said}");
    let d = out.display();
    let wrote = format!("Wrote {d}/trace.csv, {d}/history.csv, {d}/scenario.toml, {d}/schedule.csv.\n");
    assert!(said.contains(&wrote), "every file with its folder: {said}");
    let trace = fs::read_to_string(out.join("trace.csv")).unwrap();
    assert_eq!(
        trace,
        "arrival,handle,type,priority,logged_outcome,logged_wait_s\n\
         2024-03-04 09:00:00,300,,,served,0\n2024-03-04 09:08:00,120,,,served,30\n\
         2024-03-04 09:10:00,,,,abandoned,45\n2024-03-04 09:30:00,60,,,served,5\n\
         2024-03-04 09:40:00,600,,,served,10\n"
    );
    let schedule = fs::read_to_string(out.join("schedule.csv")).unwrap();
    assert_eq!(
        schedule,
        "from,agents\n2024-03-04 00:00:00,0\n2024-03-04 09:00:00,1\n2024-03-04 09:10:30,0\n\
         2024-03-04 09:30:05,1\n2024-03-04 09:31:05,0\n2024-03-04 09:40:10,1\n2024-03-04 09:50:10,0\n"
    );
    let history = fs::read_to_string(out.join("history.csv")).unwrap();
    let lines: Vec<&str> = history.lines().collect();
    assert_eq!(lines.len(), 1 + 48, "one row per half hour of the day");
    // 09:00: 3 offered (waits 0, 30, 45: mean 25 s), 1 within 20 s; Ann present 630 s of 1800.
    assert_eq!(lines[1 + 18], "2024-03-04 09:00:00,3,2,1,0.3333,25.000,0.3333,1,0.350");
    // 09:30: 2 offered (waits 5, 10), both within 20 s; Ann 60 s + Bob 600 s present of 1800.
    assert_eq!(lines[1 + 19], "2024-03-04 09:30:00,2,2,0,0.0000,7.500,1.0000,2,0.367");
    assert_eq!(lines[1 + 20], "2024-03-04 10:00:00,0,0,0,,,,0,0.000");
    let scenario = fs::read_to_string(out.join("scenario.toml")).unwrap();
    // Patience: 90 s waited in all over 1 abandonment.
    assert!(scenario.contains("mean = \"90s\"") && scenario.contains("schedule = \"schedule.csv\""), "{scenario}");
    chatcap().arg("check").arg(out.join("scenario.toml")).assert().success();
}

#[test]
fn bank_times_past_midnight_belong_to_the_next_day() {
    let dir = TempDir::new().unwrap();
    let log = dir.path().join("bank.tsv");
    let header = "vru+line\tcall_id\tcustomer_id\tpriority\ttype\tdate\tvru_entry\tvru_exit\tvru_time\tq_start\t\
                  q_exit\tq_time\toutcome\tser_start\tser_exit\tser_time\tserver";
    let rows = [
        // Queued at exactly midnight (q_start 0:00:00 with a positive q_time), served after midnight.
        "AA0101\t1\t0\t2\tPS\t990215\t23:59:54\t23:59:54\t0\t0:00:00\t0:00:27\t27\tAGENT\t0:00:26\t0:01:33\t67\tAVNI",
        // After midnight, carrying the next date itself.
        "AA0101\t2\t0\t0\tNW\t990216\t0:10:00\t0:10:05\t5\t0:10:05\t0:10:30\t25\tAGENT\t0:10:30\t0:12:00\t90\tAVNI",
        // Hung up in the voice-response unit: never offered.
        "AA0101\t3\t0\t0\tPS\t990216\t0:20:00\t0:20:05\t5\t0:00:00\t0:00:00\t0\tHANG\t0:00:00\t0:00:00\t0\tNO_SERVER",
        // Served at once: arrives at vru_exit.
        "AA0101\t4\t0\t0\tPS\t990216\t0:30:00\t0:30:09\t9\t0:00:00\t0:00:00\t0\tAGENT\t0:30:08\t0:31:00\t52\tNO_SERVER",
        "AA0101\t5\t0\t0\tPS\t990216\t0:40:00\t0:40:05\t5\t0:40:05\t0:40:10\t5\tPHANTOM\t0:00:00\t0:00:00\t0\tNO_SERVER",
    ];
    fs::write(&log, format!("{header}\n{}\n", rows.join("\n"))).unwrap();
    let out = dir.path().join("hist");
    let assert = import(&log, &project("examples/bank_log/mapping.toml"), &out).success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(stdout.contains("Read 5 rows: 3 served, 1 abandoned (1 of them before reaching the queue"), "{stdout}");
    let trace = fs::read_to_string(out.join("trace.csv")).unwrap();
    assert_eq!(
        trace,
        "arrival,handle,type,priority,logged_outcome,logged_wait_s,workstream\n\
         1999-02-16 00:00:00,67,PS,2,served,27,high\n1999-02-16 00:10:05,90,NW,0,served,25,regular\n\
         1999-02-16 00:30:09,52,PS,0,served,0,regular\n"
    );
    let schedule = fs::read_to_string(out.join("schedule.csv")).unwrap();
    assert_eq!(
        schedule, "from,agents\n1999-02-16 00:00:00,0\n1999-02-16 00:00:26,1\n1999-02-16 00:12:00,0\n",
        "AVNI's two services are 8.9 minutes apart, under the 15-minute gap: one spell, 00:00:26-00:12:00"
    );
}

fn import_fails(log: &str, mapping: &str, expected: &[&str]) {
    let (dir, l, m) = files(log, mapping);
    let out = dir.path().join("hist");
    let assert = import(&l, &m, &out).code(2);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    for e in expected {
        assert!(stderr.contains(e), "expected {e:?} in {stderr}");
    }
    assert_eq!(stderr.lines().count(), 1, "one message: {stderr}");
    assert!(!out.join("trace.csv").exists() && !out.join("history.csv").exists(), "nothing half-written");
}

#[test]
fn a_missing_column_is_named_with_its_mapping_key() {
    let log = LOG.replacen("wait", "queue_time", 1);
    import_fails(&log, MAPPING, &["log.csv:1: column \"wait\" (columns.wait in the mapping) is not in the header"]);
}

#[test]
fn an_unparsable_time_names_row_and_column() {
    let log = LOG.replacen("2024-03-04 09:08:00", "2024-03-04 9h08", 1);
    import_fails(&log, MAPPING, &["log.csv:3: column \"entered\"", "\"2024-03-04 9h08\" does not match"]);
}

#[test]
fn a_wait_longer_than_a_day_names_row_and_column() {
    let log = LOG.replacen(",45,gone", ",90000,gone", 1);
    import_fails(&log, MAPPING, &["log.csv:4: column \"wait\": a wait of 90000 s is longer than a day"]);
}

#[test]
fn an_unknown_outcome_names_row_and_column() {
    let log = LOG.replacen("test", "MAYBE", 1);
    import_fails(&log, MAPPING, &["log.csv:6: column \"result\": \"MAYBE\" is not a known outcome"]);
}

#[test]
fn a_short_row_names_the_missing_field() {
    let log = format!("{LOG}2024-03-04 11:00:00,3\n");
    import_fails(&log, MAPPING, &["log.csv:8: column \"result\": missing"]);
}

#[test]
fn bad_mappings_name_the_mapping_file_line_and_key() {
    import_fails(
        LOG,
        &MAPPING.replace("presence_gap", "presense_gap"),
        &["map.toml:2: presense_gap: unknown key `presense_gap`, expected one of", "did you mean `presence_gap`?"],
    );
    import_fails(
        LOG,
        &MAPPING.replace("wait = \"wait\"\n", ""),
        &["map.toml:5: columns: set wait (seconds in queue) or queue_exit"],
    );
    import_fails(LOG, &MAPPING.replace("%Y-%m-%d", "%Y-%q-%d"), &["map.toml:12: formats.datetime: ", "%q"]);
    import_fails(
        LOG,
        &MAPPING.replace("[\"test\"]", "[\"done\"]"),
        &["map.toml:16: outcomes.skipped: \"done\" is listed twice (also in outcomes.served)"],
    );
    import_fails(
        LOG,
        &MAPPING.replace("interval = \"30m\"", "interval = \"7m\""),
        &["map.toml:3: interval: must divide a day"],
    );
    import_fails(LOG, &MAPPING.replace("[\"gone\"]", "\"gone\""), &["map.toml:15: outcomes.abandoned: invalid type"]);
}

/// [`MAPPING`] with a priority column and two classes, `vip` (priority 9) ahead of `standard` (1 and 2).
fn classes_mapping() -> String {
    MAPPING.replace("agent = \"who\"\n", "agent = \"who\"\npriority = \"prio\"\n")
        + "[[priority_class]]\nname = \"vip\"\nvalues = [\"9\"]\n\
           [[priority_class]]\nname = \"standard\"\nvalues = [\"1\", \"2\"]\n"
}

/// [`LOG`] with a priority per row: one 9 (vip), four 1 or 2 (standard), the test call 7.
fn classes_log() -> String {
    let prio = ["prio", "9", "1", "2", "1", "7", "2"];
    LOG.lines().zip(prio).map(|(l, p)| format!("{l},{p}\n")).collect()
}

#[test]
fn priority_classes_become_the_trace_workstream_and_queues_of_their_priority() {
    let (dir, log, map) = files(&classes_log(), &classes_mapping());
    let out = dir.path().join("hist");
    let said = import(&log, &map, &out).success();
    let said = String::from_utf8(said.get_output().stdout.clone()).unwrap();
    let classes = "Priority classes, served in this order: vip 1 (20.0%, queue priority 1), standard 4 (80.0%, queue \
                   priority 2).";
    assert!(said.contains(classes), "{said}");
    let trace = fs::read_to_string(out.join("trace.csv")).unwrap();
    assert_eq!(
        trace,
        "arrival,handle,type,priority,logged_outcome,logged_wait_s,workstream\n\
         2024-03-04 09:00:00,300,,9,served,0,vip\n2024-03-04 09:08:00,120,,1,served,30,standard\n\
         2024-03-04 09:10:00,,,2,abandoned,45,standard\n2024-03-04 09:30:00,60,,2,served,5,standard\n\
         2024-03-04 09:40:00,600,,1,served,10,standard\n"
    );
    let scenario = fs::read_to_string(out.join("scenario.toml")).unwrap();
    for words in [
        "[[workstream]]\nname = \"vip\"\nmode = \"live\"\nshare = 0.200000\nqueue = \"vip\"\n",
        "[[workstream]]\nname = \"standard\"\nmode = \"live\"\nshare = 0.800000\nqueue = \"standard\"\n",
        "[[queue]]\nname = \"vip\"\npriority = 1\n",
        "[[queue]]\nname = \"standard\"\npriority = 2\n",
    ] {
        assert!(scenario.contains(words), "{words:?} not in\n{scenario}");
    }
    let check = chatcap().arg("check").arg(out.join("scenario.toml")).assert().success();
    let stdout = String::from_utf8(check.get_output().stdout.clone()).unwrap();
    assert!(
        stdout.contains("5 recorded conversations replayed from a trace file, each into the workstream"),
        "{stdout}"
    );
    assert!(stdout.contains("queue vip: priority 1") && stdout.contains("queue standard: priority 2"), "{stdout}");
    // Every row names its class: the shares are unused, and check says so.
    assert!(
        stdout.contains("workstream vip: share 20.0% unused (the trace names every row's workstream), live"),
        "{stdout}"
    );
    assert!(!stdout.contains("of the arrivals"), "{stdout}");
}

#[test]
fn calibrate_replays_each_contact_into_its_priority_class() {
    let day = classes_log();
    let next: String = day.lines().skip(1).map(|l| format!("{}\n", l.replace("2024-03-04", "2024-03-05"))).collect();
    let (dir, log, map) = files(&format!("{day}{next}"), &classes_mapping());
    let hist = dir.path().join("hist");
    import(&log, &map, &hist).success();
    let out = dir.path().join("cal");
    let stdout = calibrate(&hist, &out, &["--train", "2024-03-04..2024-03-04", "--test", "2024-03-05..2024-03-05"]);
    let limits = "Limits: 2 queues, vip (priority 1) and standard (priority 2): the lower priority number served \
                  first; ";
    assert!(stdout.contains(limits), "{stdout}");
    assert!(stdout.contains("Within 15% of history on both abandonment and mean wait: "), "{stdout}");
    assert!(stdout.contains("Off by more than 15% on abandonment or mean wait: "), "{stdout}");
    let trace = fs::read_to_string(out.join("inputs/trace-test-r1.csv")).unwrap();
    let classes: Vec<&str> = trace.lines().skip(1).map(|l| l.rsplit(',').next().unwrap()).collect();
    assert_eq!(classes, ["vip", "standard", "standard", "standard", "standard"], "{trace}");
    // Both classes sent to one queue: the verdict says the classes are not served by priority.
    let one = dir.path().join("cal-one");
    let window = ["--train", "2024-03-04..2024-03-04", "--test", "2024-03-05..2024-03-05"];
    let stdout = calibrate(&hist, &one, &[&window[..], &["--set", "workstream.vip.queue=standard"]].concat());
    let limits = "Limits: one queue (standard), first come first served: workstreams vip and standard all join it, \
                  so priority classes are not served by priority;";
    assert!(stdout.contains(limits), "{stdout}");
    assert!(!stdout.contains("served first"), "{stdout}");
    // One queue: no head start is fitted, tried or written.
    let fit = fs::read_to_string(one.join("fit.csv")).unwrap();
    assert!(fit.lines().next().unwrap().ends_with(",patience_factor,wrap_up_s,loss"), "{fit}");
    let toml = fs::read_to_string(one.join("calibrated.toml")).unwrap();
    assert!(!toml.contains("Head start") && !toml.contains("[[queue]]"), "{toml}");
    assert!(!stdout.contains("head start") && !stdout.contains("contacts join"), "{stdout}");
}

/// The best row of fit.csv (the first with the smallest loss, as the search keeps it): its head start, empty
/// for strict priority.
fn fitted_head_start(fit_csv: &str) -> String {
    let mut lines = fit_csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let (head, loss) = (header.iter().position(|h| *h == "head_start_s").unwrap(), header.len() - 1);
    let mut best: Option<(f64, String)> = None;
    for line in lines {
        let f: Vec<&str> = line.split(',').collect();
        let l: f64 = f[loss].parse().unwrap();
        if best.as_ref().is_none_or(|(b, _)| l < *b) {
            best = Some((l, f[head].to_string()));
        }
    }
    best.unwrap().1
}

/// Four days of the two-class log, 09:00-11:00: a call every 30 s (120 an hour, so both hours count in the
/// loss), every fourth one vip; five agents.
fn four_day_log() -> String {
    let mut log = String::from("entered,wait,result,talk,who,prio\n");
    for day in 4..8 {
        for k in 0..240 {
            let at = k * 30 + if k % 4 == 0 { 15 } else { 0 };
            let prio = if k % 4 == 0 { "9" } else { "1" };
            let who = ["ann", "bob", "cy", "di", "ed"][k % 5];
            let (wait, result, talk) = if k % 9 == 4 {
                (40 + k % 50, "gone", String::new())
            } else {
                (k % 70, "done", format!("{}", 100 + 5 * (k % 30)))
            };
            let _ = writeln!(
                log,
                "2024-03-{day:02} {:02}:{:02}:{:02},{wait},{result},{talk},{who},{prio}",
                9 + at / 3600,
                at / 60 % 60,
                at % 60
            );
        }
    }
    log
}

#[test]
fn calibrate_fits_the_head_start_between_priority_classes_and_writes_it() {
    let log = four_day_log();
    let (dir, log, map) = files(&log, &classes_mapping());
    let hist = dir.path().join("hist");
    import(&log, &map, &hist).success();
    let out = dir.path().join("cal");
    let stdout = calibrate(&hist, &out, &["--train", "2024-03-04..2024-03-05", "--test", "2024-03-06..2024-03-07"]);
    let fit = fs::read_to_string(out.join("fit.csv")).unwrap();
    assert!(fit.lines().next().unwrap().ends_with(",patience_factor,wrap_up_s,head_start_s,loss"), "{fit}");
    // The search tried strict priority and every head start of the grid.
    for s in ["", "5", "10", "20", "30", "60", "120", "300"] {
        assert!(fit.lines().skip(1).any(|l| l.rsplit(',').nth(1) == Some(s)), "head start {s:?} not tried\n{fit}");
    }
    let best = fitted_head_start(&fit);
    let toml = fs::read_to_string(out.join("calibrated.toml")).unwrap();
    let verdict = fs::read_to_string(out.join("verdict.txt")).unwrap();
    assert!(stdout.starts_with(&verdict), "{stdout}");
    let limits = verdict.lines().last().unwrap();
    let first =
        "Limits: 2 queues, vip (priority 1) and standard (priority 2): the lower priority number served first; ";
    if best.is_empty() {
        assert!(toml.contains("\n# Head start, fitted: none. Strict priority"), "{toml}");
        assert!(!toml.contains("[[queue]]"), "{toml}");
        assert!(
            limits.starts_with(&format!("{first}no head start for a waiting contact (strict priority), fitted; ")),
            "{limits}"
        );
        assert!(verdict.contains("; head start none (strict priority)."), "{verdict}");
    } else {
        let rule = format!(
            "[[queue]]\nname = \"standard\"\noverflow = [{{ when = \"waited_longer_than\", value = \"{best}s\", action = \
             \"transfer\", to = \"vip\" }}]\n"
        );
        assert!(toml.ends_with(&rule), "{toml}");
        assert!(
            toml.contains(&format!("# Head start, fitted: standard contacts join vip after {best} s waiting.")),
            "{toml}"
        );
        assert!(
            limits.starts_with(&format!("{first}standard contacts join vip after {best} s waiting, fitted; ")),
            "{limits}"
        );
        assert!(verdict.contains(&format!("; head start {best} s.")), "{verdict}");
    }
    // The fragment's queue table is one the scenario reads: pasted over the imported queues, it loads.
    let scenario = fs::read_to_string(hist.join("scenario.toml")).unwrap();
    let pasted = match toml.find("[[queue]]\nname") {
        Some(k) => {
            scenario.replace("[[queue]]\nname = \"standard\"\npriority = 2\n", &format!("{}priority = 2\n", &toml[k..]))
        }
        None => scenario,
    };
    fs::write(hist.join("pasted.toml"), pasted).unwrap();
    chatcap().arg("check").arg(hist.join("pasted.toml")).assert().success();
}

#[test]
fn a_priority_no_class_lists_and_bad_classes_exit_2() {
    let log = classes_log().replace("09:40:00,10,done,600,bob,1", "09:40:00,10,done,600,bob,3");
    import_fails(&log, &classes_mapping(), &["log.csv:5: column \"prio\": \"3\" is in no priority_class"]);
    let no_column = classes_mapping().replace("priority = \"prio\"\n", "");
    import_fails(&classes_log(), &no_column, &["map.toml:17: priority_class: needs columns.priority"]);
    let twice = classes_mapping().replace("[\"1\", \"2\"]", "[\"1\", \"9\"]");
    import_fails(
        &classes_log(),
        &twice,
        &["map.toml:23: priority_class[2].values: \"9\" is already in an earlier class"],
    );
    let bad_name = classes_mapping().replace("name = \"vip\"", "name = \"v i p\"");
    import_fails(&classes_log(), &bad_name, &["map.toml:19: priority_class[1].name: \"v i p\" is not a usable name"]);
    let typo = classes_mapping().replacen("[[priority_class]]", "[[priority_clas]]", 1);
    import_fails(
        &classes_log(),
        &typo,
        &["map.toml:18: priority_clas: unknown key `priority_clas`, expected one of", "did you mean `priority_class`?"],
    );
}

#[test]
fn an_empty_priority_cell_is_the_value_empty_string() {
    let log = classes_log().replace("09:40:00,10,done,600,bob,1", "09:40:00,10,done,600,bob,");
    import_fails(
        &log,
        &classes_mapping(),
        &["log.csv:5: column \"prio\": \"\" is in no priority_class", "an empty cell is listed as \"\""],
    );
    let listed = classes_mapping().replace("[\"1\", \"2\"]", "[\"1\", \"2\", \"\"]");
    let (dir, l, m) = files(&log, &listed);
    let out = dir.path().join("hist");
    import(&l, &m, &out).success();
    let trace = fs::read_to_string(out.join("trace.csv")).unwrap();
    assert!(trace.contains("2024-03-04 09:40:00,600,,,served,10,standard\n"), "{trace}");
}

#[test]
fn bad_windows_exit_2_and_write_nothing() {
    let (dir, log, map) = files(LOG, MAPPING);
    let hist = dir.path().join("hist");
    import(&log, &map, &hist).success();
    let out = dir.path().join("cal");
    let cases: [(&[&str], &str); 5] = [
        (&["--train", "2024-03-04..2024-03-04"], "the history covers one day"),
        (
            &["--train", "2024-03-05..2024-03-04", "--test", "2024-03-04..2024-03-04"],
            "--train 2024-03-05..2024-03-04: FROM is after TO",
        ),
        (
            &["--train", "2024-03-01..2024-03-04", "--test", "2024-03-04..2024-03-04"],
            "outside the history, which covers 2024-03-04 to 2024-03-04",
        ),
        (&["--train", "2024-03-04..2024-03-04", "--test", "2024-03-04..2024-03-04"], "share days"),
        (&["--train", "2024-03-04", "--test", "2024-03-04..2024-03-04"], "expected FROM..TO"),
    ];
    for (args, expected) in cases {
        let assert = chatcap()
            .arg("calibrate")
            .arg(hist.join("scenario.toml"))
            .arg("--history")
            .arg(&hist)
            .arg("--out")
            .arg(&out)
            .args(args)
            .assert()
            .code(2);
        let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
        assert!(stderr.contains(expected), "{args:?}: expected {expected:?} in {stderr}");
        assert!(!out.join("calibration.csv").exists());
    }
}

#[test]
fn calibrate_can_shape_patience_by_the_logs_hazard_and_writes_it_as_a_distribution() {
    let (dir, log, map) = files(&four_day_log(), &classes_mapping());
    let hist = dir.path().join("hist");
    import(&log, &map, &hist).success();
    let window = ["--train", "2024-03-04..2024-03-05", "--test", "2024-03-06..2024-03-07"];
    // The default: one exponential, written as such, no quantile file.
    let plain = dir.path().join("plain");
    let stdout = calibrate(&hist, &plain, &window);
    assert!(stdout.contains(", exponential); after-call work"), "{stdout}");
    assert!(!plain.join("patience-calibrated.csv").exists());
    let toml = fs::read_to_string(plain.join("calibrated.toml")).unwrap();
    assert!(toml.contains("patience = { dist = \"exponential\", mean = \""), "{toml}");
    // The verdict puts the test count beside the training window's and chance's.
    assert!(
        stdout.contains(
            "On the training window 2024-03-04..2024-03-05, the weeks these values were fitted on (expect more there): "
        ),
        "{stdout}"
    );
    assert!(stdout.contains("Even a model exactly right would expect only about "), "{stdout}");
    assert!(stdout.contains(" of 2 hours within 15% on the test window, and rarely fewer than "), "{stdout}");
    assert!(stdout.contains("Reading: "), "{stdout}");
    // Two replications cannot say what chance allows, and the verdict says what would.
    let two = dir.path().join("two");
    let stdout = calibrate(&hist, &two, &[&window[..], &["--set", "replications=2"]].concat());
    assert!(stdout.contains("needs 3 or more replications (--set replications=5)."), "{stdout}");
    assert!(!stdout.contains("Reading:"), "{stdout}");

    let shaped = dir.path().join("shaped");
    let stdout = calibrate(&hist, &shaped, &[&window[..], &["--patience-shape", "logged"]].concat());
    assert!(stdout.contains(", shaped by the log's hazard by wait); after-call work"), "{stdout}");
    assert!(stdout.contains("/patience-calibrated.csv."), "{stdout}");
    let quantiles = fs::read_to_string(shaped.join("patience-calibrated.csv")).unwrap();
    let values: Vec<f64> = quantiles.lines().skip(1).map(|l| l.parse().unwrap()).collect();
    assert_eq!(quantiles.lines().next(), Some("patience_s"));
    assert_eq!(values.len(), 1000);
    assert!(values.windows(2).all(|w| w[0] <= w[1]) && values[0] > 0.0, "quantiles rise from above 0");
    let toml = fs::read_to_string(shaped.join("calibrated.toml")).unwrap();
    let line = "patience = { dist = \"empirical\", file = \"patience-calibrated.csv\" }\n";
    assert!(toml.contains(line), "{toml}");
    // Pasted into the imported scenario with the file beside it, the patience loads.
    let scenario = fs::read_to_string(hist.join("scenario.toml")).unwrap();
    let old = scenario.lines().find(|l| l.starts_with("patience = ")).unwrap();
    fs::write(hist.join("pasted.toml"), scenario.replace(old, line.trim_end())).unwrap();
    fs::copy(shaped.join("patience-calibrated.csv"), hist.join("patience-calibrated.csv")).unwrap();
    chatcap().arg("check").arg(hist.join("pasted.toml")).assert().success();
    // A shape that does not exist is refused by name.
    let assert = chatcap()
        .arg("calibrate")
        .arg(hist.join("scenario.toml"))
        .args(["--history", hist.to_str().unwrap(), "--patience-shape", "weibull"])
        .assert()
        .code(2);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("weibull") && stderr.contains("exponential") && stderr.contains("logged"), "{stderr}");
}
