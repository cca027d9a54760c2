//! Running the scenario on a window of history with candidate parameters, and what it gave per interval.

use super::head_start::Move;
use super::patience::{TypePatience, unit_draw};
use super::staffing::{available_csv, read_steps};
use super::window::Window;
use crate::history::presence::Steps;
use crate::history::timestamp;
use crate::metrics::run::Outcome;
use crate::report::atomic::write_file;
use crate::scenario::{RoutingSpec, Scenario, load};
use crate::sim::engine::Engine;
use crate::sim::run::run_all;
use crate::{Error, Result};
use indicatif::ProgressBar;
use std::path::{Path, PathBuf};

const DAY_S: i64 = 86_400;

/// The parameters calibration fits: none of them is in a contact log.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// Share of the inferred agents really answering this queue, by hour of day (applied to the inferred
    /// schedule, see [`super::staffing`]; with a scenario's own roster, hour 0's value is `agents.scale`).
    pub availability: [f64; 24],
    /// Factor on the log's patience means by type ([`super::patience`]).
    pub patience_factor: f64,
    /// After-call work per contact, seconds (`agents.wrap_up`), the handle time the log does not show.
    pub wrap_up_s: f64,
    /// Head start, seconds: a contact waiting longer than this in a less urgent queue moves to the next more
    /// urgent one ([`super::head_start`]); `None` for strict priority, and always `None` when the scenario's
    /// queues give the parameter no meaning.
    pub head_start_s: Option<f64>,
}

impl Params {
    /// The `--set` override for after-call work.
    pub fn overrides(&self) -> Vec<String> {
        vec![format!("agents.wrap_up={{ dist = \"constant\", value = \"{}s\" }}", self.wrap_up_s)]
    }
}

/// Simulated totals of one interval, one replication.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Cell {
    /// Conversations offered (not refused).
    pub offered: f64,
    /// Of them, abandoned.
    pub abandoned: f64,
    /// Sum of their waits, seconds.
    pub wait_s: f64,
}

/// One window of history, ready to simulate: its trace written, its overrides known.
#[derive(Debug, Clone)]
pub struct WindowRun {
    /// The window.
    pub window: Window,
    /// Scenario file.
    scenario: PathBuf,
    /// Overrides fixing trace, schedule, start and duration (and the user's own).
    base: Vec<String>,
    /// Interval length, seconds.
    pub interval_s: i64,
    /// The inferred presence, when the history has a schedule, and where to write it with availability applied.
    presence: Option<(Steps, PathBuf)>,
    /// The window's trace rows.
    pub rows: Vec<TraceRow>,
    /// Where the window's trace (with patience drawn) is written.
    trace_out: PathBuf,
    /// Patience means by type, once estimated.
    patience: Option<TypePatience>,
    /// The scenario's seed.
    seed: u64,
    /// The scenario's replications.
    pub replications: u32,
    /// The routing set-up of the scenario as run (its first policy, after the user's overrides); `None` without
    /// `[[workstream]]`.
    pub setup: Option<RoutingSpec>,
    /// Where the head start applies ([`super::head_start::moves`]); empty when it does not exist.
    head_start: Vec<Move>,
}

/// One contact of the trace.
#[derive(Debug, Clone, PartialEq)]
pub struct TraceRow {
    /// `arrival` as written.
    pub arrival: String,
    /// `handle` as written (may be empty).
    pub handle: String,
    /// Contact type.
    pub kind: String,
    /// The workstream it enters (its priority class), empty when the trace has no `workstream` column.
    pub workstream: String,
    /// Logged outcome: abandoned or not.
    pub abandoned: bool,
    /// Logged wait, seconds.
    pub wait_s: f64,
    /// Its place in the whole trace, which seeds its patience draws.
    pub index: usize,
}

impl WindowRun {
    /// Writes the window's rows of `history_dir/trace.csv` to `trace_out` and prepares the overrides.
    pub fn prepare(
        scenario: &Path,
        history_dir: &Path,
        window: Window,
        interval_s: i64,
        trace_out: &Path,
        user: &[String],
    ) -> Result<WindowRun> {
        let rows = window_rows(history_dir, &window)?;
        let mut base = user.to_vec();
        let schedule = history_dir.join("schedule.csv");
        let presence = if schedule.is_file() {
            let out = trace_out.with_file_name(format!("schedule-{}", name_tail(trace_out)));
            base.push(format!("agents.schedule={}", absolute(&out).display()));
            Some((read_steps(&schedule)?, out))
        } else {
            None
        };
        base.push(format!("start={}", timestamp(window.first * DAY_S)));
        base.push(format!("duration={}d", window.days()));
        base.push(format!("interval={interval_s}s"));
        // The scenario as given (with the user's overrides): its seed and replications.
        let mut first = user.to_vec();
        first.push(format!("arrivals.trace={}", absolute(&history_dir.join("trace.csv")).display()));
        let given = load(scenario, &first)?;
        Ok(WindowRun {
            seed: given.seed,
            replications: given.replications,
            setup: given.policies.first().and_then(|p| p.setup()).cloned(),
            window,
            scenario: scenario.to_path_buf(),
            base,
            interval_s,
            presence,
            rows,
            trace_out: trace_out.to_path_buf(),
            patience: None,
            head_start: Vec::new(),
        })
    }

    /// Sets the patience means by type (estimated on the training window).
    pub fn set_patience(&mut self, p: TypePatience) {
        self.patience = Some(p);
    }

    /// Sets where the head start applies (the same for every window of a calibration).
    pub fn set_head_start(&mut self, moves: Vec<Move>) {
        self.head_start = moves;
    }

    /// Where the head start applies; empty when the parameter does not exist.
    pub fn head_start(&self) -> &[Move] {
        &self.head_start
    }

    /// Whether availability applies to an inferred schedule (by hour) rather than the scenario's own roster.
    pub fn has_presence(&self) -> bool {
        self.presence.is_some()
    }

    /// The scenario of replication `r` with these parameters, its trace and schedule written first; only its
    /// first policy is kept, and it runs one replication.
    pub fn scenario(&self, p: &Params, r: u32) -> Result<Scenario> {
        let mut all = self.base.clone();
        all.extend(p.overrides());
        if let Some(h) = p.head_start_s {
            all.extend(self.head_start.iter().map(|m| m.set(h)));
        }
        let patience = self.patience.as_ref().expect("patience set before running");
        let mut trace = String::from("arrival,handle,patience,workstream\n");
        for row in &self.rows {
            let patience = patience.draw(&row.kind, unit_draw(row.index, r)) * p.patience_factor;
            trace.push_str(&format!("{},{},{patience:.1},{}\n", row.arrival, row.handle, row.workstream));
        }
        let trace_out = self.trace_out.with_file_name(format!("{}-r{}.csv", self.stem(), r + 1));
        write_file(&trace_out, trace.as_bytes())?;
        all.push(format!("arrivals.trace={}", absolute(&trace_out).display()));
        all.push("replications=1".into());
        all.push(format!("seed={}", self.seed.wrapping_add(u64::from(r))));
        if self.presence.is_none() {
            all.push(format!("agents.scale={}", p.availability[0]));
        }
        let mut s = load(&self.scenario, &all)?;
        s.policies.truncate(1);
        Ok(s)
    }

    fn stem(&self) -> String {
        self.trace_out.file_stem().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
    }

    /// Simulates with `p`: per replication, per interval of the window. Each replication draws its own
    /// patience for every contact (from the contact's stream for that replication) and its own engine streams
    /// (seed + replication), so the spread over replications is the model's whole randomness.
    pub fn run(&self, p: &Params, jobs: usize) -> Result<Vec<Vec<Cell>>> {
        if let Some((steps, out)) = &self.presence {
            let (from, to) = (self.window.first * DAY_S, (self.window.last + 2) * DAY_S);
            write_file(out, available_csv(steps, from, to, &p.availability).as_bytes())?;
        }
        let n = (self.window.days() * DAY_S / self.interval_s) as usize;
        let step_ms = self.interval_s as u64 * 1000;
        let one = |r: u32| -> Result<Vec<Cell>> {
            // The scenario has one policy and one replication (see `scenario`): replication 0 of its own seed.
            let scenario = self.scenario(p, r)?;
            let run = Engine::new(&scenario, &scenario.policies[0], 0, true).run();
            let mut cells = vec![Cell::default(); n];
            for c in run.records.iter().filter(|c| c.outcome != Outcome::Refused) {
                let Some(cell) = cells.get_mut((c.arrived_at.0 / step_ms) as usize) else { continue };
                cell.offered += 1.0;
                cell.abandoned += f64::from(u8::from(c.outcome == Outcome::Abandoned));
                cell.wait_s += (c.assigned_at.unwrap_or(c.ended_at) - c.arrived_at).as_secs_f64();
            }
            Ok(cells)
        };
        let replications: Vec<u32> = (0..self.replications).collect();
        run_all(&replications, jobs, &ProgressBar::hidden(), |_, &r| one(r))
    }
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// `trace-train.csv` -> `train.csv`: the part of a trace file name after `trace-`.
fn name_tail(trace: &Path) -> String {
    let name = trace.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    name.strip_prefix("trace-").unwrap_or(&name).to_string()
}

/// The trace rows of `history_dir/trace.csv` in the window, with their patience draws.
fn window_rows(history_dir: &Path, window: &Window) -> Result<Vec<TraceRow>> {
    let path = history_dir.join("trace.csv");
    let fail = |what: String| Error::Input(format!("{}: {what}", path.display()));
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(&path)
        .map_err(|e| fail(format!("cannot read (run `chatcap import` first): {e}")))?;
    let header: Vec<String> = reader.headers().map_err(|e| fail(e.to_string()))?.iter().map(str::to_string).collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| fail(format!("no column {name:?}: calibration needs a trace written by `chatcap import`")))
    };
    let [arrival, handle, kind, outcome, wait] =
        ["arrival", "handle", "type", "logged_outcome", "logged_wait_s"].map(col);
    let (arrival, handle, kind, outcome, wait) = (arrival?, handle?, kind?, outcome?, wait?);
    let workstream = col("workstream").ok();
    let (from, to) = (timestamp(window.first * DAY_S), timestamp((window.last + 1) * DAY_S));
    let mut rows = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let record = record.map_err(|e| fail(e.to_string()))?;
        let line = index + 2;
        let get = |k: usize| record.get(k).unwrap_or("").trim();
        let at = get(arrival);
        if !(at >= from.as_str() && at < to.as_str()) {
            continue;
        }
        let wait_s =
            get(wait).parse::<f64>().map_err(|_| fail(format!("line {line}: logged_wait_s is not a number")))?;
        rows.push(TraceRow {
            arrival: at.to_string(),
            handle: get(handle).to_string(),
            kind: get(kind).to_string(),
            workstream: workstream.map_or(String::new(), |w| get(w).to_string()),
            abandoned: get(outcome) == "abandoned",
            wait_s,
            index,
        });
    }
    if rows.is_empty() {
        return Err(Error::Input(format!("window {}: the history has no contacts in it", window.label())));
    }
    Ok(rows)
}
