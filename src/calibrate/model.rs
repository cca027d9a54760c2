//! Running the scenario on a window of history with candidate parameters, and what it gave per interval.

use super::window::Window;
use crate::history::timestamp;
use crate::report::atomic::write_file;
use crate::scenario::{Scenario, load};
use crate::sim::engine::Outcome;
use crate::sim::run::{RunOptions, simulate};
use crate::{Error, Result};
use std::path::{Path, PathBuf};

const DAY_S: i64 = 86_400;

/// The parameters calibration fits: none of them is in a contact log.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// Share of the inferred agents really answering this queue (`agents.scale` on the inferred schedule).
    pub availability: f64,
    /// Mean of the customers' exponential patience, seconds (`customer.patience`).
    pub patience_s: f64,
    /// After-call work per contact, seconds (`agents.wrap_up`), the handle time the log does not show.
    pub wrap_up_s: f64,
}

impl Params {
    /// The `--set` overrides that put these parameters into a scenario.
    pub fn overrides(&self) -> Vec<String> {
        vec![
            format!("agents.scale={}", self.availability),
            format!("customer.patience={{ dist = \"exponential\", mean = \"{}s\" }}", self.patience_s),
            format!("agents.wrap_up={{ dist = \"constant\", value = \"{}s\" }}", self.wrap_up_s),
        ]
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
        let trace_path = history_dir.join("trace.csv");
        let text = std::fs::read_to_string(&trace_path)
            .map_err(|e| Error::Input(format!("{}: cannot read (run `chatcap import` first): {e}", trace_path.display())))?;
        let mut lines = text.lines();
        let mut out = format!("{}\n", lines.next().unwrap_or("arrival"));
        let (from, to) = (timestamp(window.first * DAY_S), timestamp((window.last + 1) * DAY_S));
        let mut n = 0;
        for line in lines {
            let at = line.get(..19).unwrap_or("");
            if at >= from.as_str() && at < to.as_str() {
                out.push_str(line);
                out.push('\n');
                n += 1;
            }
        }
        if n == 0 {
            return Err(Error::Input(format!("window {}: the history has no contacts in it", window.label())));
        }
        write_file(trace_out, out.as_bytes())?;
        let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
        let mut base = user.to_vec();
        base.push(format!("arrivals.trace={}", absolute(trace_out).display()));
        let schedule = history_dir.join("schedule.csv");
        if schedule.is_file() {
            base.push(format!("agents.schedule={}", absolute(&schedule).display()));
        }
        base.push(format!("start={from}"));
        base.push(format!("duration={}d", window.days()));
        base.push(format!("interval={interval_s}s"));
        Ok(WindowRun { window, scenario: scenario.to_path_buf(), base, interval_s })
    }

    /// The scenario with these parameters; only its first policy is kept.
    pub fn scenario(&self, p: &Params) -> Result<Scenario> {
        let mut all = self.base.clone();
        all.extend(p.overrides());
        let mut s = load(&self.scenario, &all)?;
        s.policies.truncate(1);
        Ok(s)
    }

    /// Simulates with `p`: per replication, per interval of the window.
    pub fn run(&self, p: &Params, jobs: usize) -> Result<Vec<Vec<Cell>>> {
        let scenario = self.scenario(p)?;
        let runs = simulate(&scenario, &RunOptions { jobs, record_conversations: true, progress: false })?;
        let n = (self.window.days() * DAY_S / self.interval_s) as usize;
        let step_ms = self.interval_s as u64 * 1000;
        Ok(runs[0]
            .replications
            .iter()
            .map(|r| {
                let mut cells = vec![Cell::default(); n];
                for c in r.records.iter().filter(|c| c.outcome != Outcome::Refused) {
                    let Some(cell) = cells.get_mut((c.arrived_at.0 / step_ms) as usize) else { continue };
                    cell.offered += 1.0;
                    cell.abandoned += f64::from(u8::from(c.outcome == Outcome::Abandoned));
                    cell.wait_s += (c.assigned_at.unwrap_or(c.ended_at) - c.arrived_at).as_secs_f64();
                }
                cells
            })
            .collect())
    }
}
