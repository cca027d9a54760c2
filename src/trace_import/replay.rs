//! Writing a converted log as chatcap inputs and replaying it through the simulator.
//!
//! [`write_inputs`] puts `trace.csv` (and its variant `trace-unlimited.csv`), `schedule.csv` and
//! `bank-replay.toml` in a folder: a scenario the `chatcap` command runs as it is
//! (`chatcap run DIR/bank-replay.toml --conversations`). [`replay`] runs it
//! through the library with the headcount scaled by a factor, the one calibration knob the comparison uses:
//! the inferred headcount counts anyone who served a call in a half hour, but those agents also answered other
//! queues, took breaks and sat in after-call work the log does not show.

use super::hourly::{self, Hours};
use super::{BankLog, ServedPatience};
use crate::scenario::load;
use crate::sim::run::{RunOptions, simulate};
use crate::{Error, Result};
use std::path::{Path, PathBuf};

/// The scenario file [`write_inputs`] writes.
pub const SCENARIO_FILE: &str = "bank-replay.toml";

fn write(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).map_err(|e| Error::Other(format!("{}: cannot write: {e}", path.display())))
}

/// The seed of the imputed patience in `trace.csv`.
pub const PATIENCE_SEED: u64 = 1999;

/// Writes the trace (`trace.csv`, served calls' patience imputed; `trace-unlimited.csv`, unlimited), the
/// inferred schedule and the scenario (reading `trace.csv`) into `dir`, created if needed; returns the
/// scenario's path.
pub fn write_inputs(log: &BankLog, dir: &Path) -> Result<PathBuf> {
    std::fs::create_dir_all(dir).map_err(|e| Error::Other(format!("{}: cannot create: {e}", dir.display())))?;
    write(&dir.join("trace.csv"), &log.trace_csv(ServedPatience::Imputed { seed: PATIENCE_SEED }))?;
    write(&dir.join("trace-unlimited.csv"), &log.trace_csv(ServedPatience::Unlimited))?;
    write(&dir.join("schedule.csv"), &log.schedule_csv(1.0))?;
    let scenario = dir.join(SCENARIO_FILE);
    write(&scenario, &log.scenario_toml("trace.csv", "schedule.csv"))?;
    Ok(scenario)
}

/// Replays the scenario written by [`write_inputs`] in `dir` with served calls' patience as `served` says and
/// the headcount scaled by `factor` (a schedule `schedule-xFACTOR.csv` is written beside it unless the factor
/// is 1); returns the simulated hours.
pub fn replay(log: &BankLog, dir: &Path, served: ServedPatience, factor: f64) -> Result<Hours> {
    let mut overrides = Vec::new();
    if served == ServedPatience::Unlimited {
        overrides.push("arrivals.trace=trace-unlimited.csv".to_string());
    }
    if factor != 1.0 {
        let name = format!("schedule-x{factor:.2}.csv");
        write(&dir.join(&name), &log.schedule_csv(factor))?;
        overrides.push(format!("agents.schedule={name}"));
    }
    let scenario = load(&dir.join(SCENARIO_FILE), &overrides)?;
    let runs = simulate(&scenario, &RunOptions { jobs: 1, record_conversations: true, progress: false })?;
    Ok(hourly::simulated(&runs[0]))
}
