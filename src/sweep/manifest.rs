//! `sweep.toml`: what a sweep output folder holds, so `chatcap merge` can check that shards belong together.
//!
//! It records the scenario and the digest of its resolved values (data files included), the base seed, the
//! `--set` overrides, the grid, the shard, and the digests of the shard's `sweep.csv` and `paired.csv`. Shards
//! of one sweep have identical manifests but for `shard` and the row digests; `merge` refuses anything else,
//! checks each shard's rows against its digests, and writes the manifest of the whole grid (`shard = "1/1"`,
//! digests of the merged rows), which is exactly what a single-machine run writes.

use super::digest::{digest, scenario_digest};
use super::grid::Grid;
use super::shard::Shard;
use crate::scenario::Scenario;
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
    /// The digest of the resolved scenario (every value after `--set`, data files included).
    pub scenario_digest: String,
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
    /// The digest of this folder's `sweep.csv`.
    pub sweep_digest: String,
    /// The digest of this folder's `paired.csv`.
    pub paired_digest: String,
}

impl Manifest {
    /// The manifest of `shard` of a sweep of `scenario` (with `sets` applied), before its rows are known.
    pub fn new(scenario: &Scenario, sets: &[String], grid: &Grid, shard: Shard) -> Manifest {
        Manifest {
            scenario: scenario.name.clone(),
            scenario_digest: scenario_digest(scenario),
            seed: scenario.seed,
            sets: sets.to_vec(),
            keys: grid.keys(),
            values: grid.varies.iter().map(|v| v.values.clone()).collect(),
            points: grid.len(),
            shard: format!("{}/{}", shard.index, shard.count),
            sweep_digest: String::new(),
            paired_digest: String::new(),
        }
    }

    /// The manifest with the digests of the rows written next to it.
    pub fn with_rows(self, sweep_csv: &str, paired_csv: &str) -> Manifest {
        Manifest { sweep_digest: digest(sweep_csv.as_bytes()), paired_digest: digest(paired_csv.as_bytes()), ..self }
    }

    /// What every shard of one sweep shares: the manifest without its shard and row digests.
    pub fn sweep_part(&self) -> Manifest {
        Manifest { shard: "1/1".into(), sweep_digest: String::new(), paired_digest: String::new(), ..self.clone() }
    }

    /// The grid the manifest records, checked as `--vary` flags are (at most [`super::grid::MAX_POINTS`]
    /// points), and agreeing with its `points`.
    pub fn grid(&self) -> Result<Grid> {
        let bad = |what: String| Error::Input(format!("{MANIFEST}: {what}"));
        if self.keys.len() != self.values.len() {
            return Err(bad(format!("{} keys but {} lists of values", self.keys.len(), self.values.len())));
        }
        let varies = self
            .keys
            .iter()
            .zip(&self.values)
            .map(|(key, values)| super::grid::Vary { key: key.clone(), values: values.clone() })
            .collect();
        let grid = Grid::new(varies).map_err(|e| bad(e.to_string()))?;
        if grid.varies.iter().any(|v| v.values.is_empty()) || grid.len() != self.points {
            return Err(bad(format!("points = {} but the grid of values has {}", self.points, grid.len())));
        }
        Ok(grid)
    }

    /// The manifest as TOML text.
    pub fn to_text(&self) -> Result<String> {
        toml::to_string(self).map_err(|e| Error::Other(format!("{MANIFEST}: {e}")))
    }

    /// Reads the manifest of the sweep output folder `dir`.
    pub fn read(dir: &Path) -> Result<Manifest> {
        let path = dir.join(MANIFEST);
        let text = read_regular(&path).map_err(|e| {
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

/// The text of a file of a sweep folder; a device or pipe put in its place is refused instead of read forever.
pub fn read_regular(path: &Path) -> std::io::Result<String> {
    if !std::fs::metadata(path)?.is_file() {
        return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a regular file"));
    }
    std::fs::read_to_string(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/mmc.toml")).unwrap();
        let scenario = crate::scenario::load_str(&text, Path::new("mmc.toml"), &[]).unwrap();
        let grid = Grid::parse(&["agents.count=2..4".into(), "policy.p.mode=live,persistent".into()]).unwrap();
        let m = Manifest::new(&scenario, &["duration=1d".into()], &grid, Shard { index: 2, count: 3 })
            .with_rows("a,point\n", "b,point\n");
        let text = m.to_text().unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(MANIFEST), &text).unwrap();
        assert_eq!(Manifest::read(dir.path()).unwrap(), m);
        assert_eq!(m.shard().unwrap(), Shard { index: 2, count: 3 });
        assert_eq!(m.grid().unwrap(), grid);
        assert_eq!(m.scenario_digest.len(), 32);
        assert_ne!(m.sweep_digest, m.paired_digest);
        assert!(Manifest::read(&dir.path().join("nowhere")).is_err());
        assert!(Manifest { points: 7, ..m.clone() }.grid().is_err());
    }
}
