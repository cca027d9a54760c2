//! Many runs at once: every replication of every policy, in parallel, collected in a fixed order.
//!
//! Each (policy, replication) pair is an independent simulation with its own seeds, so rayon can run them on
//! any number of threads; results come back in (policy, replication) order whatever the thread count, and
//! everything downstream reduces them in that order, so outputs are byte-identical for any `--jobs`.
//!
//! [`run_all`] is the one parallel runner: `chatcap run` ([`simulate`], [`simulate_streaming`], and `staff`
//! through them), `sweep` (every point's runs as one list) and `calibrate` (one run per replication) all use it.

use super::engine::Engine;
use crate::metrics::records::{ConversationLog, RecordFile};
use crate::metrics::run::{PolicyRuns, RunResult};
use crate::report::stream::{RunFiles, write_intervals};
use crate::scenario::Scenario;
use crate::{Error, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// How to run a scenario.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Worker threads; 0 means one per core.
    pub jobs: usize,
    /// Keep a record of every measured conversation.
    pub record_conversations: bool,
    /// Show a progress bar on stderr (only when stderr is a terminal).
    pub progress: bool,
    /// Write each run's router inputs and decisions as JSON lines in this folder (`--record-routing`).
    pub record_routing: Option<std::path::PathBuf>,
}

/// Simulates every replication of every policy of the scenario.
pub fn simulate(scenario: &Scenario, options: &RunOptions) -> Result<Vec<PolicyRuns>> {
    let record = options.record_conversations;
    simulate_each(scenario, options, |_, p, r| Ok(Engine::new(scenario, &scenario.policies[p], r, record).run()))
}

/// What the streamed runs held in memory at most, beyond one run's own state.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Held {
    /// The most finished conversation records one run held back, waiting for an earlier arrival to finish.
    pub most_records_waiting: usize,
}

/// [`simulate`], each run writing its interval rows, and its conversation records when asked for, to its own
/// temporary files in `files` (see [`crate::report::stream`]) instead of keeping them: the results hold no
/// interval rows and no records.
pub fn simulate_streaming(
    scenario: &Scenario,
    options: &RunOptions,
    files: &RunFiles,
) -> Result<(Vec<PolicyRuns>, Held)> {
    let most = AtomicUsize::new(0);
    let runs = simulate_each(scenario, options, |index, p, r| {
        let policy = &scenario.policies[p];
        let mut engine = Engine::new(scenario, policy, r, false);
        let file = match files.conversations(index) {
            Some(path) => {
                Some(Arc::new(Mutex::new(RecordFile::create(path, &policy.name, r as usize + 1, scenario.origin)?)))
            }
            None => None,
        };
        if let Some(file) = &file {
            engine = engine.with_records(ConversationLog::stream(Arc::clone(file)));
        }
        let recorder = match &options.record_routing {
            Some(dir) => Some(Arc::new(Mutex::new(super::recorder::Recorder::create(dir, policy, r)?))),
            None => None,
        };
        if let Some(recorder) = &recorder {
            engine = engine.with_recorder(Arc::clone(recorder));
        }
        let mut result = engine.run();
        if let Some(recorder) = recorder {
            let recorder =
                Arc::try_unwrap(recorder).map_err(|_| crate::Error::Other("recorder still shared".into()))?;
            recorder.into_inner().unwrap_or_else(|e| e.into_inner()).finish()?;
        }
        if let Some(file) = file {
            let mut file = file.lock().unwrap_or_else(|e| e.into_inner());
            file.finish()?;
            most.fetch_max(file.most_waiting, Ordering::Relaxed);
        }
        write_intervals(files.intervals(index), &result.measured.intervals)?;
        result.measured.intervals = Vec::new();
        Ok(result)
    })?;
    Ok((runs, Held { most_records_waiting: most.into_inner() }))
}

/// Runs `run(index, policy, replication)` for every pair of the scenario and groups the results by policy.
fn simulate_each(
    scenario: &Scenario,
    options: &RunOptions,
    run: impl Fn(usize, usize, u32) -> Result<RunResult> + Sync,
) -> Result<Vec<PolicyRuns>> {
    let runs: Vec<(usize, u32)> =
        (0..scenario.policies.len()).flat_map(|p| (0..scenario.replications).map(move |r| (p, r))).collect();
    let bar = progress_bar(runs.len() as u64, options.progress);
    let days_per_run = (scenario.warmup + scenario.duration).as_secs_f64() / 86_400.0;
    let results = run_all(&runs, options.jobs, &bar, |index, &(p, r)| {
        let result = run(index, p, r)?;
        // This run is counted on the bar once it returns.
        let days = (bar.position() + 1) as f64 * days_per_run;
        let rate = days / bar.elapsed().as_secs_f64().max(1e-3);
        bar.set_message(format!("{days:.0} simulated days, {rate:.0} days/s"));
        Ok(result)
    })?;
    Ok(PolicyRuns::group(&scenario.policies, scenario.replications, results))
}

/// The one parallel runner: `run(index, task)` for every task, on `jobs` worker threads (0: one per core),
/// each finished task counted on `bar`. The results come back in task order whatever the thread count; the
/// first error met stops the rest.
pub fn run_all<T: Sync, R: Send>(
    tasks: &[T],
    jobs: usize,
    bar: &ProgressBar,
    run: impl Fn(usize, &T) -> Result<R> + Sync,
) -> Result<Vec<R>> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|e| Error::Other(format!("cannot start worker threads: {e}")))?;
    let results = pool.install(|| {
        tasks
            .par_iter()
            .enumerate()
            .map(|(index, task)| {
                let result = run(index, task)?;
                bar.inc(1);
                Ok(result)
            })
            .collect()
    });
    bar.finish_and_clear();
    results
}

/// A progress bar on stderr, hidden when not wanted or when stderr is not a terminal.
fn progress_bar(len: u64, wanted: bool) -> ProgressBar {
    if !wanted || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template("{spinner} simulating [{bar:30}] {pos}/{len} runs, {msg}, eta {eta}")
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style.progress_chars("=> "));
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}
