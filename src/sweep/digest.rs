//! Digests for `sweep.toml`: what a shard was run from and what it wrote, so `chatcap merge` can tell a shard of
//! an edited scenario, or an edited `sweep.csv`, from a genuine one.
//!
//! The hash is 128-bit FNV-1a, written out here so it gives the same digest on every platform and every build
//! (it is no defence against someone forging a file on purpose, only against mistakes: an edited scenario that
//! kept its `name`, a row deleted or changed in a spreadsheet, a folder copied from another run).

use crate::scenario::Scenario;
use std::path::{Path, PathBuf};

const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;

/// The FNV-1a 128 digest of `bytes`, as 32 lower-case hex digits.
pub fn digest(bytes: &[u8]) -> String {
    let hash = bytes.iter().fold(OFFSET, |h, &b| (h ^ u128::from(b)).wrapping_mul(PRIME));
    format!("{hash:032x}")
}

/// The digest of a resolved scenario: every value after `--set`, including the contents of its data files
/// (traces, schedules, empirical samples), but not where the files sit, so shards may read the scenario from
/// different folders.
pub fn scenario_digest(scenario: &Scenario) -> String {
    let mut resolved = scenario.clone();
    resolved.file = PathBuf::from(scenario.file.file_name().unwrap_or_default());
    let mut text = format!("{resolved:#?}");
    let dir = scenario.file.parent().unwrap_or(Path::new(""));
    if !dir.as_os_str().is_empty() {
        // Data files are named relative to the scenario's folder: drop that folder from their paths.
        let prefix = format!("{:?}", dir.join(""));
        let prefix = prefix.trim_end_matches('"');
        text = text.replace(prefix, "\"");
    }
    digest(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_vectors() {
        // FNV-1a 128 of "" and "a", from the FNV reference tables.
        assert_eq!(digest(b""), "6c62272e07bb014262b821756295c58d");
        assert_eq!(digest(b"a"), "d228cb696f1a8caf78912b704e4a8964");
    }

    #[test]
    fn the_scenario_digest_follows_values_not_folders() {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/mmc.toml")).unwrap();
        let load = |file: &str, sets: &[&str]| {
            let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
            scenario_digest(&crate::scenario::load_str(&text, Path::new(file), &sets).unwrap())
        };
        assert_eq!(load("a/mmc.toml", &[]), load("/elsewhere/b/mmc.toml", &[]));
        assert_ne!(load("a/mmc.toml", &[]), load("a/mmc.toml", &["agents.count=7"]));
        assert_ne!(load("a/mmc.toml", &[]), load("a/mmc.toml", &["seed=2"]));
    }
}
