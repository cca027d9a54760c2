//! `chatcap check`: validate a scenario without running it.

use crate::Result;
use crate::scenario::load;
use std::path::Path;

/// Loads and validates the scenario with its overrides; returns a short description of what would run.
pub fn check(scenario: &Path, sets: &[String]) -> Result<String> {
    let s = load(scenario, sets)?;
    let mut text = format!("{}: OK\n", scenario.display());
    for line in s.describe() {
        text.push_str("  ");
        text.push_str(&line);
        text.push('\n');
    }
    Ok(text)
}
