//! The commands behind `chatcap`'s subcommands, as library functions that take plain values and return text.
//!
//! The binary (`src/main.rs`, `src/cli.rs`) only parses arguments, calls these and maps errors to exit codes.

mod check;
mod run;
mod staff;
mod sweep;
mod text;

pub use check::check;
pub use run::{RunRequest, run};
pub use staff::{StaffRequest, staff};
pub use sweep::{SweepRequest, merge, sweep};
pub use text::summary_text;

use std::path::{Path, PathBuf};

/// `--seed` and `--replications` become overrides, so they pass the scenario's own validation.
fn overrides(sets: &[String], seed: Option<u64>, replications: Option<u32>) -> Vec<String> {
    let mut all = sets.to_vec();
    if let Some(seed) = seed {
        all.push(format!("seed={seed}"));
    }
    if let Some(n) = replications {
        all.push(format!("replications={n}"));
    }
    all
}

/// The default output folder: `output/<scenario file stem>/`.
fn default_out(scenario: &Path) -> PathBuf {
    let stem = scenario.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "run".into());
    Path::new("output").join(stem)
}
