//! The commands behind `chatcap`'s subcommands, as library functions that take plain values and return text.
//!
//! The binary (`src/main.rs`, `src/cli.rs`) only parses arguments, calls these and maps errors to exit codes.

mod calibrate;
mod check;
mod estimate;
mod import;
mod route;
mod run;
mod staff;
mod sweep;
mod text;

pub use calibrate::{CalibrateRequest, calibrate};
pub use check::check;
pub use estimate::{Estimate, MAX_CONVERSATION_ROWS, MAX_CONVERSATIONS, MAX_INTERVAL_ROWS};
pub use import::{ImportRequest, import};
pub use route::{RouteRequest, route};
pub use run::{RunRequest, run};
pub use staff::{StaffRequest, staff, thousands};
pub use sweep::{SweepRequest, merge, sweep};
pub use text::{parts_text, summary_text};

use std::path::{Path, PathBuf};

/// How to simulate, as every simulating command (`run`, `sweep`, `staff`) takes it.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Replaces the scenario's seed.
    pub seed: Option<u64>,
    /// Replaces the scenario's replications.
    pub replications: Option<u32>,
    /// Worker threads; 0 for one per core.
    pub jobs: usize,
    /// `KEY=VALUE` overrides of scenario keys.
    pub sets: Vec<String>,
    /// No progress display.
    pub quiet: bool,
}

impl Settings {
    /// The overrides, with `--seed` and `--replications` among them so they pass the scenario's own checks.
    fn overrides(&self) -> Vec<String> {
        let mut all = self.sets.clone();
        if let Some(seed) = self.seed {
            all.push(format!("seed={seed}"));
        }
        if let Some(n) = self.replications {
            all.push(format!("replications={n}"));
        }
        all
    }
}

/// The default output folder: `output/<scenario file stem>/`.
fn default_out(scenario: &Path) -> PathBuf {
    let stem = scenario.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "run".into());
    Path::new("output").join(stem)
}
