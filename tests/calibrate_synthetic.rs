//! Calibration recovers the parameters that made a log: chatcap simulates a month of a known centre, its
//! `conversations.csv` is imported as a contact log, and `chatcap calibrate` must fit back the hidden
//! parameters on the first week and reproduce the second week within the model's own interval.
//!
//! The centre: 6 agents, capacity 1, replies exponential with mean 180 s, 20 s of after-call work, patience
//! exponential with mean 120 s, 100 contacts an hour. The log shows arrivals, waits and outcomes but no handle
//! (so the after-call work is invisible, as in a real log) and no agent names (so the scenario's 6 agents
//! stand). The fit's resolution is its grid, so each parameter must land on the grid point nearest the truth
//! or a neighbour of it.

use chatcap::calibrate::fit::{PATIENCE_FACTOR, WRAP_UP_S};
use chatcap::calibrate::patience::Shape;
use chatcap::commands::{CalibrateRequest, ImportRequest, RunRequest, Settings, calibrate, import, run};
use chatcap::metrics::stats::t_critical;
use std::fs;

const SCENARIO: &str = r#"
name = "synthetic"
seed = 7
start = "2024-01-01 00:00:00"
duration = "14d"
replications = 1
[arrivals]
rate = 100
[customer]
sessions = { dist = "constant", value = 1 }
messages = { dist = "constant", value = 1 }
patience = { dist = "exponential", mean = "120s" }
[agents]
count = 6
capacity = 1
reply = { dist = "exponential", mean = "180s" }
wrap_up = { dist = "constant", value = "20s" }
[[policy]]
name = "live"
mode = "live"
"#;

const MAPPING: &str = r#"
[columns]
arrival = "arrival"
wait = "queue_wait_s"
outcome = "outcome"
[formats]
datetime = "%Y-%m-%d %H:%M:%S"
[outcomes]
served = ["resolved"]
abandoned = ["abandoned"]
"#;

const REPLICATIONS: f64 = 10.0;

fn index_of(grid: &[f64], v: f64) -> usize {
    (0..grid.len()).min_by(|&a, &b| (grid[a] - v).abs().total_cmp(&(grid[b] - v).abs())).unwrap()
}

/// The best row of fit.csv (the first with the smallest loss, as the search keeps it).
fn fitted(fit_csv: &str) -> (f64, f64, f64) {
    let mut lines = fit_csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (a, p, w, l) = (col("availability_00"), col("patience_factor"), col("wrap_up_s"), col("loss"));
    let mut best: Option<(f64, (f64, f64, f64))> = None;
    for line in lines {
        let f: Vec<f64> = line.split(',').map(|x| x.parse().unwrap()).collect();
        if best.is_none_or(|b| f[l] < b.0) {
            best = Some((f[l], (f[a], f[p], f[w])));
        }
    }
    best.unwrap().1
}

#[test]
fn a_log_made_by_chatcap_calibrates_back_to_its_parameters() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("synthetic.toml");
    fs::write(&scenario, SCENARIO).unwrap();
    let made = dir.path().join("made");
    let settings = Settings { jobs: 2, quiet: true, ..Settings::default() };
    run(&RunRequest {
        scenario: scenario.clone(),
        out: Some(made.clone()),
        settings,
        conversations: true,
        force: false,
        record_routing: None,
    })
    .unwrap();
    let mapping = dir.path().join("map.toml");
    fs::write(&mapping, MAPPING).unwrap();
    let history = dir.path().join("history");
    import(&ImportRequest { log: made.join("conversations.csv"), mapping, out: history.clone() }).unwrap();
    let out = dir.path().join("cal");
    let verdict = calibrate(&CalibrateRequest {
        scenario,
        history: history.clone(),
        train: Some("2024-01-01..2024-01-07".into()),
        test: Some("2024-01-08..2024-01-14".into()),
        out: Some(out.clone()),
        jobs: 2,
        sets: vec![format!("replications={REPLICATIONS}")],
        constant_availability: false,
        patience_shape: Shape::Exponential,
    })
    .unwrap();

    // The log's own patience estimate on the training week: total wait / abandoned.
    let trace = fs::read_to_string(history.join("trace.csv")).unwrap();
    let (mut waited, mut gave_up) = (0.0, 0.0);
    for line in trace.lines().skip(1).filter(|l| l < &"2024-01-08") {
        let f: Vec<&str> = line.split(',').collect();
        waited += f[5].parse::<f64>().unwrap();
        gave_up += f64::from(u8::from(f[4] == "abandoned"));
    }
    let estimate = waited / gave_up;

    let (availability, patience_factor, wrap_up) = fitted(&fs::read_to_string(out.join("fit.csv")).unwrap());
    assert_eq!((6.0 * availability).round(), 6.0, "all 6 agents answer: availability {availability}\n{verdict}");
    let truth = index_of(&PATIENCE_FACTOR, 120.0 / estimate);
    assert!(
        index_of(&PATIENCE_FACTOR, patience_factor).abs_diff(truth) <= 1,
        "patience: fitted {:.0} s, truth 120 s\n{verdict}",
        patience_factor * estimate
    );
    assert!(
        index_of(&WRAP_UP_S, wrap_up).abs_diff(index_of(&WRAP_UP_S, 20.0)) <= 1,
        "after-call work: fitted {wrap_up} s, truth 20 s\n{verdict}"
    );

    // The test week: the observed totals are one more draw of what the model simulates, so each must lie in
    // the model's 95% prediction interval (Bonferroni over the two checks): t x sd x sqrt(1 + 1/n), where the
    // file's ci95 is t(0.975) x sd / sqrt(n).
    let csv = fs::read_to_string(out.join("calibration.csv")).unwrap();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let window: Vec<&str> = lines.find(|l| l.starts_with("window,")).unwrap().split(',').collect();
    let get = |name: &str| window[header.iter().position(|h| *h == name).unwrap()].parse::<f64>().unwrap();
    let df = REPLICATIONS - 1.0;
    let widen = (REPLICATIONS + 1.0).sqrt() * t_critical(1.0 - 0.05 / 2.0, df) / t_critical(0.95, df);
    for metric in ["abandon_rate", "wait_mean"] {
        let unit = if metric == "wait_mean" { "_s" } else { "" };
        let (obs, sim) = (get(&format!("{metric}_observed{unit}")), get(&format!("{metric}_simulated{unit}")));
        let half = get(&format!("{metric}_ci95{unit}")) * widen;
        assert!((obs - sim).abs() <= half, "{metric}: observed {obs}, simulated {sim} +/- {half}\n{verdict}");
    }
    assert_eq!(get("offered_observed"), get("offered_simulated"), "the replay offers exactly the logged contacts");
}
