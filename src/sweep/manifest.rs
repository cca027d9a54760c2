//! `sweep.toml`: what a sweep output folder holds, so `chatcap merge` can check that shards belong together.
//!
//! It records the scenario, the base seed, the `--set` overrides, the grid and the shard. Shards of one sweep
//! have identical manifests but for `shard`; `merge` refuses anything else, and writes the manifest of the
//! whole grid (`shard = "1/1"`), which is exactly what a single-machine run writes.

use super::grid::Grid;
use super::shard::Shard;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The file name of the manifest in a sweep output folder.
pub const MANIFEST: &str = "sweep.toml";

/// The contents of `sweep.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The scenario's `name`.
    pub scenario: String,
    /// The base seed (after `--set`); each point's seed derives from it.
    pub seed: u64,
    /// The `--set` overrides, in order.
    pub sets: Vec<String>,
    /// The varied keys, in order.
    pub keys: Vec<String>,
    /// The values of each varied key.
    pub values: Vec<Vec<String>>,
    /// Points in the whole grid.
    pub points: usize,
    /// Which shard this folder holds, `K/N`.
    pub shard: String,
}

impl Manifest {
    /// The manifest of `shard` of a sweep.
    pub fn new(scenario: &str, seed: u64, sets: &[String], grid: &Grid, shard: Shard) -> Manifest {
        Manifest {
            scenario: scenario.to_string(),
            seed,
            sets: sets.to_vec(),
            keys: grid.keys(),
            values: grid.varies.iter().map(|v| v.values.clone()).collect(),
            points: grid.len(),
            shard: format!("{}/{}", shard.index, shard.count),
        }
    }

    /// The manifest as TOML text.
    pub fn to_text(&self) -> Result<String> {
        toml::to_string(self).map_err(|e| Error::Other(format!("{MANIFEST}: {e}")))
    }

    /// Reads the manifest of the sweep output folder `dir`.
    pub fn read(dir: &Path) -> Result<Manifest> {
        let path = dir.join(MANIFEST);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Error::Input(format!(
                "{}: cannot read it ({e}); is {} a sweep output folder?",
                path.display(),
                dir.display()
            ))
        })?;
        toml::from_str(&text).map_err(|e| Error::Input(format!("{}: {}", path.display(), e.message())))
    }

    /// The shard this manifest describes.
    pub fn shard(&self) -> Result<Shard> {
        Shard::parse(&self.shard, |_| None).map_err(|e| Error::Input(format!("{MANIFEST}: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let grid = Grid::parse(&["agents.count=2..4".into(), "policy.p.mode=live,persistent".into()]).unwrap();
        let m = Manifest::new("s", 7, &["duration=1d".into()], &grid, Shard { index: 2, count: 3 });
        let text = m.to_text().unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(MANIFEST), &text).unwrap();
        assert_eq!(Manifest::read(dir.path()).unwrap(), m);
        assert_eq!(m.shard().unwrap(), Shard { index: 2, count: 3 });
        assert!(Manifest::read(&dir.path().join("nowhere")).is_err());
    }
}
