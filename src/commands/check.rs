//! `chatcap check`: validate a scenario without running it.

use super::Estimate;
use crate::Result;
use crate::scenario::load;
use std::path::Path;

/// Loads and validates the scenario with its overrides; returns a short description of what would run and an
/// estimate of the work it asks for, saying whether `run` would refuse it without `--force`.
pub fn check(scenario: &Path, sets: &[String]) -> Result<String> {
    let s = load(scenario, sets)?;
    let estimate = Estimate::of(&s);
    let mut text = format!("{}: OK\n", scenario.display());
    let mut lines = s.describe();
    lines.extend(estimate.lines());
    if let Err(e) = estimate.check(&scenario.display().to_string(), false) {
        lines.push(format!("run would refuse it: {e}"));
    }
    for line in lines {
        text.push_str("  ");
        text.push_str(&line);
        text.push('\n');
    }
    Ok(text)
}
