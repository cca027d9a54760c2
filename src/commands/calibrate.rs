//! `chatcap calibrate SCENARIO --history DIR [--train FROM..TO] [--test FROM..TO]`.

use crate::calibrate::ceiling::ceiling;
use crate::calibrate::chart;
use crate::calibrate::compare::{MIN_CALLS, by_hour, by_interval, total};
use crate::calibrate::fit::fit;
use crate::calibrate::head_start::{describe, moves};
use crate::calibrate::limits::limits;
use crate::calibrate::model::WindowRun;
use crate::calibrate::output::{Tested, calibrated_toml, calibration_csv, verdict};
use crate::calibrate::patience::{Shape, TypePatience};
use crate::calibrate::staffing::{available_csv, read_steps};
use crate::calibrate::window::{Window, halves};
use crate::history::read_history;
use crate::report::atomic::Staging;
use crate::{Error, Result};
use std::collections::BTreeSet;
use std::path::PathBuf;

const DAY_S: i64 = 86_400;
/// Quantiles of the fitted patience written for a scenario's empirical distribution.
const PATIENCE_QUANTILES: usize = 1000;

/// What `chatcap calibrate` was asked.
#[derive(Debug, Clone, Default)]
pub struct CalibrateRequest {
    /// The scenario to calibrate (e.g. the `scenario.toml` import wrote).
    pub scenario: PathBuf,
    /// The folder `chatcap import` wrote.
    pub history: PathBuf,
    /// Training window, `FROM..TO`; default the first half of the history's days.
    pub train: Option<String>,
    /// Test window; default the second half.
    pub test: Option<String>,
    /// Output folder [default: output/<scenario stem>-calibration/].
    pub out: Option<PathBuf>,
    /// Worker threads; 0 for one per core.
    pub jobs: usize,
    /// `KEY=VALUE` overrides applied before the fitted values (e.g. replications=10).
    pub sets: Vec<String>,
    /// Fit one availability for the whole day only, not one per busy hour of day.
    pub constant_availability: bool,
    /// How patience depends on time already waited.
    pub patience_shape: Shape,
}

/// Fits on the training window, tests on the test window, writes the outputs; returns the verdict.
pub fn calibrate(req: &CalibrateRequest) -> Result<String> {
    let observed = read_history(&req.history.join("history.csv"))?;
    let interval_s = observed.get(1).map_or(DAY_S, |o| o.start_s - observed[0].start_s);
    let lo = observed[0].start_s.div_euclid(DAY_S);
    let hi = observed[observed.len() - 1].start_s.div_euclid(DAY_S);
    let (train0, test0) = match (&req.train, &req.test) {
        (Some(_), Some(_)) => (None, None),
        _ => {
            let (a, b) = halves(lo, hi)?;
            (Some(a), Some(b))
        }
    };
    let train = match &req.train {
        Some(t) => Window::parse(t, "--train", lo, hi)?,
        None => train0.expect("default"),
    };
    let test = match &req.test {
        Some(t) => Window::parse(t, "--test", lo, hi)?,
        None => test0.expect("default"),
    };
    if train.overlaps(&test) {
        return Err(Error::Input(format!(
            "--train {} and --test {} share days: test on days the fit has not seen",
            train.label(),
            test.label()
        )));
    }
    let out = req.out.clone().unwrap_or_else(|| {
        let stem = req.scenario.file_stem().map_or("calibration".into(), |s| s.to_string_lossy().into_owned());
        PathBuf::from("output").join(format!("{stem}-calibration"))
    });
    let inputs = out.join("inputs");
    std::fs::create_dir_all(&inputs).map_err(|e| Error::io(&inputs, e))?;
    let mut train_run =
        WindowRun::prepare(&req.scenario, &req.history, train, interval_s, &inputs.join("trace-train.csv"), &req.sets)?;
    let mut test_run =
        WindowRun::prepare(&req.scenario, &req.history, test, interval_s, &inputs.join("trace-test.csv"), &req.sets)?;
    let train_obs = train.observed(&observed);
    let test_obs = test.observed(&observed);
    let patience = TypePatience::estimate(
        req.patience_shape,
        train_run.rows.iter().map(|r| (r.kind.as_str(), r.abandoned, r.wait_s)),
    );
    train_run.set_patience(patience.clone());
    test_run.set_patience(patience.clone());
    let rows = || train_run.rows.iter().chain(&test_run.rows);
    let named: BTreeSet<String> = rows().filter(|r| !r.workstream.is_empty()).map(|r| r.workstream.clone()).collect();
    let unnamed = rows().any(|r| r.workstream.is_empty());
    let moves = moves(train_run.setup.as_ref(), &named, unnamed);
    train_run.set_head_start(moves.clone());
    test_run.set_head_start(moves.clone());
    let fitted = fit(&train_run, &train_obs, !req.constant_availability, req.jobs)?;
    let sim = test_run.run(&fitted.params, req.jobs)?;
    let intervals = by_interval(&test_obs, &sim);
    let hours = by_hour(&test_obs, &sim);
    let whole = total(&test_obs, &sim);
    let busy: Vec<usize> =
        by_hour(&train_obs, &[]).iter().enumerate().filter(|(_, h)| h.offered >= MIN_CALLS).map(|(k, _)| k).collect();
    let head_start = (!moves.is_empty()).then(|| format!("{}, fitted", describe(&moves, fitted.params.head_start_s)));
    let limits = limits(test_run.setup.as_ref(), &named, unnamed, head_start.as_deref());
    let train_sim = train_run.run(&fitted.params, req.jobs)?;
    let train_hours = by_hour(&train_obs, &train_sim);
    let tested = Tested {
        hours: &hours,
        total: &whole,
        train_hours: &train_hours,
        chance: ceiling(&test_obs, &sim).zip(ceiling(&train_obs, &train_sim)),
    };
    let text = verdict(&fitted, &patience, (&train, &test), &limits, &busy, tested);
    let mean_handle = mean_handle(&req.history);
    let title = format!("History against the calibrated model, test window {}", test.label());
    let plots = out.join("plots");
    std::fs::create_dir_all(&plots).map_err(|e| Error::io(&plots, e))?;
    let mut staging = Staging::new();
    staging.write(&out.join("calibration.csv"), calibration_csv(&intervals, &hours, &whole).as_bytes())?;
    let schedule = train_run.has_presence().then_some("schedule-calibrated.csv");
    if let Some(file) = schedule {
        let steps = read_steps(&req.history.join("schedule.csv"))?;
        let csv = available_csv(&steps, lo * DAY_S, (hi + 2) * DAY_S, &fitted.params.availability);
        staging.write(&out.join(file), csv.as_bytes())?;
    }
    let patience_file = (patience.shape != Shape::Exponential).then_some("patience-calibrated.csv");
    if let Some(file) = patience_file {
        let quantiles = patience.quantiles_csv(fitted.params.patience_factor, PATIENCE_QUANTILES);
        staging.write(&out.join(file), quantiles.as_bytes())?;
    }
    let toml = calibrated_toml(&fitted, &patience, patience_file, &train, mean_handle, schedule, &busy);
    staging.write(&out.join("calibrated.toml"), toml.as_bytes())?;
    staging.write(&out.join("verdict.txt"), text.as_bytes())?;
    staging.write(&out.join("fit.csv"), fit_csv(&fitted).as_bytes())?;
    staging.write_with(&plots.join("calibration.png"), |tmp| chart::png(&hours, &title, tmp))?;
    staging.write(&plots.join("calibration.svg"), chart::svg(&hours, &title)?.as_bytes())?;
    staging.commit()?;
    Ok(format!(
        "{text}Wrote {dir}/calibration.csv, {dir}/calibrated.toml, {dir}/verdict.txt, {dir}/fit.csv, \
         {dir}/plots/calibration.png and .svg{}.",
        schedule.iter().chain(&patience_file).map(|f| format!(", {dir}/{f}", dir = out.display())).collect::<String>(),
        dir = out.display()
    ))
}

/// Mean handle time of the trace's served contacts, if it has handles.
fn mean_handle(history: &std::path::Path) -> Option<f64> {
    let text = std::fs::read_to_string(history.join("trace.csv")).ok()?;
    let (sum, n) = text
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').nth(1)?.parse::<f64>().ok())
        .fold((0.0, 0.0), |(s, n), h| (s + h, n + 1.0));
    (n > 0.0).then(|| sum / n)
}

/// `fit.csv`: every evaluated point of the search and its training loss, with a head start column (empty for
/// strict priority) when the parameter exists.
fn fit_csv(f: &crate::calibrate::fit::Fit) -> String {
    let head_start = !f.moves.is_empty();
    let mut out = String::from("step,");
    for h in 0..24 {
        out.push_str(&format!("availability_{h:02},"));
    }
    out.push_str(if head_start {
        "patience_factor,wrap_up_s,head_start_s,loss\n"
    } else {
        "patience_factor,wrap_up_s,loss\n"
    });
    for (k, (p, l)) in f.tried.iter().enumerate() {
        out.push_str(&format!("{},", k + 1));
        for a in p.availability {
            out.push_str(&format!("{a},"));
        }
        out.push_str(&format!("{},{},", p.patience_factor, p.wrap_up_s));
        if head_start {
            out.push_str(&p.head_start_s.map_or(",".into(), |s| format!("{s},")));
        }
        out.push_str(&format!("{l:.6}\n"));
    }
    out
}
