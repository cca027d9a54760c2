//! `write_run` end to end on a synthetic but plausible run: a live and a persistent policy, two replications,
//! a week of 30-minute intervals.
//!
//! Set `CHATCAP_REPORT_KEEP=DIR` to also write the outputs into DIR for a look at the charts and the page.

use std::path::Path;

use chatcap::report::columns::{self, INTERVALS, RECLAIMED_CAPACITY_MEAN, SUMMARY};
use chatcap::report::{Cell, RunOutputs, Table, csv, verdict, write_run};

const POLICIES: [(&str, &str); 3] = [("live", "live"), ("persistent", "persistent"), ("persistent-fast", "persistent")];

/// Standard normal CDF (Abramowitz and Stegun 7.1.26), good to 1e-7.
fn phi(z: f64) -> f64 {
    let x = z.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.327_591_1 * x);
    let poly =
        t * (0.254_829_592 + t * (-0.284_496_736 + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    let erf = 1.0 - poly * (-x * x).exp();
    if z >= 0.0 { 0.5 * (1.0 + erf) } else { 0.5 * (1.0 - erf) }
}

/// Response time CDFs: live is a lognormal around 30 s; persistent adds a tail of customers answered hours
/// later, after the queue reopens.
fn cdf(policy: &str) -> Vec<(f64, f64)> {
    (0..=120)
        .map(|i| {
            let x = 10f64.powf(i as f64 / 20.0);
            let lognormal = |median: f64, sigma: f64| phi((x.ln() - median.ln()) / sigma);
            let f = match policy {
                "live" => lognormal(30.0, 0.7),
                "persistent" => 0.86 * lognormal(38.0, 0.75) + 0.14 * lognormal(4.0 * 3600.0, 1.0),
                _ => 0.9 * lognormal(34.0, 0.7) + 0.1 * lognormal(2.0 * 3600.0, 1.0),
            };
            (x, f)
        })
        .collect()
}

/// The response time at which the CDF reaches `share`, by linear interpolation.
fn quantile(cdf: &[(f64, f64)], share: f64) -> f64 {
    let i = cdf.iter().position(|p| p.1 >= share).unwrap();
    let ((x0, f0), (x1, f1)) = (cdf[i - 1], cdf[i]);
    x0 + (x1 - x0) * (share - f0) / (f1 - f0)
}

fn summary() -> Table {
    let mut columns: Vec<String> = SUMMARY.iter().map(|c| c.to_string()).collect();
    let metrics: Vec<String> = columns[1..].to_vec();
    columns.extend(metrics.iter().map(|m| format!("{m}_ci95")));
    columns.push("mode".into());
    let rows = POLICIES
        .iter()
        .map(|(name, mode)| {
            let c = cdf(name);
            let live = *mode == "live";
            // The third policy parks sooner: more capacity back, a little more service level lost.
            let k = if *name == "persistent-fast" { 1.2 } else { 1.0 };
            let values: Vec<f64> = vec![
                2.0,
                if live { 9650.0 } else { 10_120.0 },
                if live { 470.0 } else { 0.0 },
                if live { 402.0 } else { 151.0 },
                if live { 402.0 / 9180.0 } else { 151.0 / 10_120.0 },
                if live { 41.5 } else { 96.0 },
                if live { 0.38 } else { 0.52 },
                if live { 0.841 } else { 0.774 - 0.05 * (k - 1.0) },
                if live { 24.0 } else { 31.0 },
                if live { 88.0 } else { 171.0 },
                if live { 36.2 } else { 2410.0 },
                quantile(&c, 0.5),
                quantile(&c, 0.9),
                quantile(&c, 0.95),
                quantile(&c, 0.99),
                if live { 0.71 } else { 0.69 },
                if live { 0.88 } else { 0.62 / k },
                if live { 0.0 } else { 0.297 * k },
                if live { 0.0 } else { 4.234 * k },
                if live { 655.0 } else { 0.0 },
                if live { 0.21 } else { 0.93 },
                if live { 9180.0 } else { 9874.0 },
            ];
            let mut row = vec![Cell::Text(name.to_string())];
            row.extend(values.iter().map(|v| Cell::Num(*v)));
            row.extend(values.iter().enumerate().map(|(i, v)| {
                if i == 0 || (live && v.abs() < 1e-12) { Cell::Empty } else { Cell::Num(v.abs() * 0.02 + 0.001) }
            }));
            row.push(Cell::Text(mode.to_string()));
            row
        })
        .collect();
    Table { columns, rows }
}

/// A week of 30-minute intervals: queue open 08:00-20:00 on weekdays and 10:00-16:00 on Saturday, demand
/// peaking around midday.
fn intervals() -> Table {
    let mut rows = Vec::new();
    for (name, mode) in POLICIES {
        let live = mode == "live";
        let k = if name == "persistent-fast" { 1.2 } else { 1.0 };
        for rep in 1..=2 {
            for slot in 0..336 {
                let (day, half_hour) = (slot / 48, slot % 48);
                let hour = half_hour as f64 / 2.0;
                let open = match day {
                    0..=4 => (8.0..20.0).contains(&hour),
                    5 => (10.0..16.0).contains(&hour),
                    _ => false,
                };
                let demand = (-((hour - 13.0) / 4.0).powi(2)).exp() * if day == 5 { 0.6 } else { 1.0 };
                let noise = 1.0 + 0.03 * ((slot * 7 + rep * 13) % 11) as f64 / 11.0;
                let staffed = if day == 5 { 8.0 } else { 20.0 };
                let agents = if open { staffed * noise } else { 0.0 };
                let capacity_online = agents * 3.0;
                let waiting = if live { 0.0 } else { 35.0 + 60.0 * demand + if open { 0.0 } else { 25.0 } };
                let active = if open { capacity_online * (0.35 + 0.6 * demand).min(0.97) } else { 0.0 };
                let reclaimed = if live || !open { 0.0 } else { (k * waiting * 0.45).min(capacity_online * 0.5) };
                let used = if live { active } else { active * 0.7 / k };
                let queue = if open {
                    demand * if live { 3.0 } else { 2.0 }
                } else if live {
                    0.0
                } else {
                    4.0 + half_hour as f64 * 0.1
                };
                let arrivals = 40.0 * demand * noise;
                let start = format!("2024-01-{:02} {:02}:{:02}:00", 1 + day, half_hour / 2, (half_hour % 2) * 30);
                let num = Cell::Num;
                let when_open = |v: f64| if open { Cell::Num(v) } else { Cell::Empty };
                rows.push(vec![
                    Cell::Text(name.to_string()),
                    num(rep as f64),
                    Cell::Text(start),
                    num(arrivals.round()),
                    num((arrivals * 0.95).round()),
                    num(if live { (arrivals * 0.04).round() } else { 0.0 }),
                    num(if live && !open { arrivals.round() } else { 0.0 }),
                    num(queue),
                    num(active),
                    num(waiting),
                    num(agents),
                    num(capacity_online),
                    num(used),
                    when_open(0.45 + 0.4 * demand),
                    when_open(if live { 70.0 + 40.0 * demand } else { 90.0 + 90.0 * demand }),
                    when_open(if live { 0.9 - 0.15 * demand } else { 0.85 - 0.2 * demand }),
                    num(reclaimed),
                ]);
            }
        }
    }
    let mut columns: Vec<String> = INTERVALS.iter().map(|c| c.to_string()).collect();
    columns.push(RECLAIMED_CAPACITY_MEAN.to_string());
    Table { columns, rows }
}

fn outputs() -> RunOutputs {
    RunOutputs {
        scenario_name: "retail-support <demo> & co".into(),
        scenario_lines: vec![
            "60 conversations per hour at peak, weekdays 08:00-20:00 and Saturday 10:00-16:00".into(),
            "20 agents, 3 concurrent conversations each; 2 replications of 7 days".into(),
        ],
        summary: summary(),
        intervals: intervals(),
        week: None,
        response_cdf: POLICIES.iter().map(|(name, _)| (name.to_string(), cdf(name))).collect(),
        service_level_s: 60.0,
        capacity_per_agent: 3.0,
        notes: vec![
            "Conservation check passed: every conversation that arrived was closed, abandoned or refused.".into(),
        ],
        workstreams: None,
        queues: None,
    }
}

fn conversations() -> Table {
    Table {
        columns: vec!["policy".into(), "replication".into(), "arrival".into(), "first_response_s".into()],
        rows: vec![vec![
            Cell::Text("live".into()),
            Cell::Num(1.0),
            Cell::Text("2024-01-01 08:00:12".into()),
            Cell::Num(21.5),
        ]],
    }
}

const CHARTS: [&str; 5] = ["utilisation_week", "response_cdf", "reclaimed_week", "queue_week", "headline"];

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

fn no_temporaries(dir: &Path) {
    for entry in walk(dir) {
        assert!(!entry.contains(chatcap::report::atomic::TEMP_MARKER), "temporary left behind: {entry}");
    }
}

fn walk(dir: &Path) -> Vec<String> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        all.push(path.to_string_lossy().into_owned());
        if path.is_dir() {
            all.extend(walk(&path));
        }
    }
    all
}

#[test]
fn writes_every_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let outputs = outputs();
    write_run(&out, &outputs, Some(&conversations())).unwrap();
    if let Ok(keep) = std::env::var("CHATCAP_REPORT_KEEP") {
        write_run(Path::new(&keep), &outputs, Some(&conversations())).unwrap();
    }

    assert_eq!(names_in(&out), ["conversations.csv", "intervals.csv", "plots", "report.html", "summary.csv"]);
    let mut expected: Vec<String> = CHARTS.iter().flat_map(|c| [format!("{c}.png"), format!("{c}.svg")]).collect();
    expected.sort();
    assert_eq!(names_in(&out.join("plots")), expected);
    no_temporaries(dir.path());

    for chart in CHARTS {
        let png = image::open(out.join("plots").join(format!("{chart}.png"))).unwrap();
        assert_eq!((png.width(), png.height()), (1200, 700), "{chart}.png");
        let svg = std::fs::read_to_string(out.join("plots").join(format!("{chart}.svg"))).unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("viewBox=\"0 0 1200 700\""), "{chart}.svg");
    }
}

#[test]
fn csv_files_hold_the_tables() {
    let dir = tempfile::tempdir().unwrap();
    let outputs = outputs();
    write_run(dir.path(), &outputs, None).unwrap();
    assert!(!dir.path().join("conversations.csv").exists());

    let text = std::fs::read_to_string(dir.path().join("summary.csv")).unwrap();
    assert!(text.starts_with(&SUMMARY.join(",")));
    assert_eq!(columns::check(&outputs.summary, &SUMMARY), None);
    assert_eq!(columns::check(&outputs.intervals, &INTERVALS), None);
    assert!(!text.contains("NaN") && !text.contains("inf") && !text.contains('e'.to_ascii_uppercase()));
    let back = csv::read_csv(&dir.path().join("summary.csv")).unwrap();
    assert_eq!(back.columns, outputs.summary.columns);
    for (a, b) in back.rows.iter().flatten().zip(outputs.summary.rows.iter().flatten()) {
        match (a, b) {
            (Cell::Num(x), Cell::Num(y)) => assert!((x - y).abs() <= 1e-9 * y.abs().max(1.0), "{x} vs {y}"),
            _ => assert_eq!(a, b),
        }
    }
    let intervals = csv::read_csv(&dir.path().join("intervals.csv")).unwrap();
    assert_eq!(intervals.columns, outputs.intervals.columns);
    assert_eq!(intervals.rows.len(), POLICIES.len() * 2 * 336);
    // Occupancy with no agent online is undefined: an empty cell, never NaN.
    assert_eq!(intervals.rows[0][13], Cell::Empty);
}

#[test]
fn html_is_self_contained_and_names_every_policy() {
    let dir = tempfile::tempdir().unwrap();
    write_run(dir.path(), &outputs(), None).unwrap();
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    for forbidden in ["http://", "https://", "src=", "<script", "<link", "@import", "url("] {
        assert!(!html.contains(forbidden), "report.html contains {forbidden}");
    }
    for (policy, _) in POLICIES {
        assert!(html.contains(&format!("<th>{policy}</th>")), "policy {policy} missing from the table");
    }
    assert!(html.contains("retail-support &lt;demo&gt; &amp; co"));
    assert_eq!(html.matches("<svg ").count(), 5);
    assert!(html.contains("Conservation check passed"));
    assert!(html.contains("84.1% <span class=\"ci\">&plusmn; 1.8 pts</span>"));
}

/// The fixture's summary with the customer and staffing columns appended, as summary.csv has them once
/// customers are counted: live loses the customers it refuses; every policy has 1,000 agent-hours online.
fn summary_with_customers() -> Table {
    let mut t = summary();
    t.columns.extend(
        ["customers", "customers_lost", "lost_share", "lost_share_ci95", "agent_hours_online"].map(String::from),
    );
    for row in &mut t.rows {
        let live = row[0] == Cell::Text("live".into());
        let (customers, lost) = if live { (8_000.0, 820.0) } else { (8_000.0, 120.0) };
        row.extend([customers, lost, lost / customers, 0.004, 1_000.0].map(Cell::Num));
    }
    t
}

#[test]
fn verdict_numbers_are_the_summary_numbers() {
    for summary in [summary(), summary_with_customers()] {
        let sentences = verdict::verdict_at(&summary, Some(60.0));
        let customers = summary.column("lost_share").is_some();
        assert_eq!(sentences.len(), 4, "a sentence per policy and who is ahead: {sentences:?}");
        for (i, (policy, _)) in POLICIES.iter().enumerate() {
            let s = &sentences[i];
            let row = summary.policy_row(policy).unwrap();
            let value = |column: &str| summary.num(row, column).unwrap();
            assert!(s.to_lowercase().contains(&format!("{policy} picks up ")), "{s}");
            let sl = format!("{:.1}% of ", 100.0 * value("service_level"));
            assert!(s.contains(&sl), "{s} lacks {sl}");
            let p90 = chatcap::report::format::short_secs(value("response_p90_s"));
            assert!(s.contains(&format!("within {p90}")), "{s} lacks {p90}");
            let lost = if customers {
                value("lost_share")
            } else {
                (value("refused") + value("abandoned")) / value("conversations")
            };
            let whom = if customers { "customers" } else { "conversations" };
            assert!(s.contains(&format!("loses {:.1}% of its {whom}", 100.0 * lost)), "{s}");
            if value("refused") > 0.0 {
                assert!(s.contains(&format!("{} refused at arrival", verdict::count(value("refused")))), "{s}");
            }
            assert!(s.contains(&format!("{} abandoned", verdict::count(value("abandoned")))), "{s}");
        }
        assert_eq!(
            sentences[0].starts_with("At the same 1,000 agent-hours online, live"),
            customers,
            "{}",
            sentences[0]
        );
        let ahead = &sentences[3];
        assert!(ahead.starts_with("Live is ahead on service level (84.1% against 77.4% for persistent)"), "{ahead}");
        let whom = if customers { "customers" } else { "conversations" };
        let fewer = format!("; persistent and persistent-fast lose fewer {whom} (1.5% each, against ");
        assert!(ahead.contains(&fewer), "{ahead}");
    }
}

#[test]
fn one_policy_and_empty_inputs_still_write() {
    let dir = tempfile::tempdir().unwrap();
    let mut one = outputs();
    one.summary.rows.truncate(1);
    one.response_cdf.truncate(1);
    one.intervals.rows.retain(|r| r[0] == Cell::Text("live".into()));
    write_run(&dir.path().join("one"), &one, None).unwrap();
    let html = std::fs::read_to_string(dir.path().join("one/report.html")).unwrap();
    assert!(html.contains("Only one policy was simulated (live)"));

    let empty = RunOutputs { scenario_name: "empty".into(), ..RunOutputs::default() };
    write_run(&dir.path().join("empty"), &empty, None).unwrap();
    if let Ok(keep) = std::env::var("CHATCAP_REPORT_KEEP") {
        write_run(&Path::new(&keep).join("one"), &one, None).unwrap();
        write_run(&Path::new(&keep).join("empty"), &empty, None).unwrap();
    }
    assert!(dir.path().join("empty/plots/headline.png").is_file());
}

#[test]
fn failures_leave_no_partial_files() {
    let dir = tempfile::tempdir().unwrap();

    let file = dir.path().join("not-a-dir");
    std::fs::write(&file, "x").unwrap();
    assert!(write_run(&file, &outputs(), None).is_err());
    assert_eq!(names_in(dir.path()), ["not-a-dir"]);

    // The CSVs are staged before `plots/` turns out to be a file: they must be cleaned up, not renamed.
    let out = dir.path().join("run");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("plots"), "x").unwrap();
    std::fs::write(out.join("summary.csv"), "old").unwrap();
    let err = write_run(&out, &outputs(), None).unwrap_err();
    assert!(err.to_string().contains("plots"), "{err}");
    assert_eq!(names_in(&out), ["plots", "summary.csv"]);
    assert_eq!(std::fs::read_to_string(out.join("summary.csv")).unwrap(), "old");
    no_temporaries(dir.path());
}

#[test]
fn outputs_are_byte_for_byte_reproducible() {
    let dir = tempfile::tempdir().unwrap();
    let outputs = outputs();
    for name in ["a", "b"] {
        write_run(&dir.path().join(name), &outputs, Some(&conversations())).unwrap();
    }
    for file in walk(&dir.path().join("a")) {
        let path = Path::new(&file);
        if path.is_file() {
            let twin = dir.path().join("b").join(path.strip_prefix(dir.path().join("a")).unwrap());
            assert!(std::fs::read(path).unwrap() == std::fs::read(&twin).unwrap(), "{file} differs between runs");
        }
    }
}
