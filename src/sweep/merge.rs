//! `chatcap merge`: join the folders of a sharded sweep into the folder one machine would have written.
//!
//! The shards' manifests must agree on everything but the shard and the row digests (so on the digest of the
//! resolved scenario too: a shard run from an edited scenario that kept its `name` is refused), and together
//! hold every shard `1/N` to `N/N` exactly once. Every row is checked against the grid: its point belongs to
//! the shard, its labels are the point's values, each point has one row per policy and no policy twice. Then
//! each file must match the digest its shard recorded, which catches a hand-edited figure. Rows of `sweep.csv`
//! and `paired.csv` are taken as CSV records (text, never re-parsed as numbers) and put back in point order,
//! each point's rows in their original order; the CSV writer quotes fields the same way whoever wrote them, so
//! the merged file is byte-identical to a single-machine run's.

use super::digest::digest;
use super::grid::Grid;
use super::manifest::{Manifest, read_regular};
use super::output::SweepFiles;
use super::run::POINT_COLUMN;
use super::shard::Shard;
use crate::{Error, Result};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One shard folder, its manifest and its shard.
struct Folder<'a> {
    dir: &'a Path,
    manifest: Manifest,
    shard: Shard,
}

impl Folder<'_> {
    /// `shard 2/8 (results/shard-1)`, for messages.
    fn name(&self) -> String {
        format!("shard {}/{} ({})", self.shard.index, self.shard.count, self.dir.display())
    }
}

/// Reads the shard folders `dirs` and returns the files of the whole sweep.
pub fn merge(dirs: &[PathBuf]) -> Result<SweepFiles> {
    let Some(first) = dirs.first() else {
        return Err(Error::Input("merge: give the shard folders to join".into()));
    };
    let folders: Vec<Folder> = dirs
        .iter()
        .map(|d| {
            let manifest = Manifest::read(d)?;
            let shard = manifest.shard().map_err(|e| Error::Input(format!("merge: {}: {e}", d.display())))?;
            Ok(Folder { dir: d, manifest, shard })
        })
        .collect::<Result<_>>()?;
    let reference = folders[0].manifest.sweep_part();
    let count = folders[0].shard.count;
    // Keyed by shard index, never sized from `count`, which comes from a file.
    let mut seen: BTreeMap<usize, &Path> = BTreeMap::new();
    for f in &folders {
        let m = &f.manifest;
        if m.sweep_part() != reference {
            let what = if m.scenario == reference.scenario && m.scenario_digest != reference.scenario_digest {
                format!(
                    "was run from a different scenario than {} (both are named {:?}, but a value or data file \
                     differs: digest {} against {}); its points {} would not be comparable",
                    folders[0].name(),
                    m.scenario,
                    m.scenario_digest,
                    reference.scenario_digest,
                    points_text(f.shard, m.points)
                )
            } else {
                format!("is from a different sweep than {} (scenario, seed, --set or --vary differ)", folders[0].name())
            };
            return Err(Error::Input(format!("merge: {} {what}", f.name())));
        }
        if f.shard.count != count {
            return Err(Error::Input(format!(
                "merge: {} is one of {} shards but {} is one of {count}",
                f.name(),
                f.shard.count,
                first.display()
            )));
        }
        if let Some(other) = seen.get(&f.shard.index) {
            return Err(Error::Input(format!(
                "merge: shard {} is given twice ({} and {})",
                m.shard,
                other.display(),
                f.dir.display()
            )));
        }
        seen.insert(f.shard.index, f.dir);
    }
    if seen.len() < count {
        let missing = (1..=seen.len() + 1).find(|k| !seen.contains_key(k)).unwrap_or(1);
        return Err(Error::Input(format!(
            "merge: shard {missing}/{count} is missing ({} folders given for {count} shards)",
            seen.len()
        )));
    }
    let grid = reference.grid().map_err(|e| Error::Input(format!("merge: {}: {e}", first.display())))?;
    let sweep_csv = join(&folders, &grid, "sweep.csv", |m| &m.sweep_digest)?;
    let paired_csv = join(&folders, &grid, "paired.csv", |m| &m.paired_digest)?;
    let manifest = reference.with_rows(&sweep_csv, &paired_csv);
    Ok(SweepFiles { manifest, sweep_csv, paired_csv })
}

/// `1, 4, 7`: the points of a grid of `len` that `shard` runs, the first few.
fn points_text(shard: Shard, len: usize) -> String {
    let points: Vec<String> = (shard.index - 1..len).step_by(shard.count).take(6).map(|p| p.to_string()).collect();
    let more = if shard.points_in(len) > 6 { ", ..." } else { "" };
    format!("{}{more}", points.join(", "))
}

/// `point 4 (agents.count=7, agents.capacity=2)`.
fn point_text(grid: &Grid, point: usize) -> String {
    format!("point {point} ({})", grid.overrides(point).join(", "))
}

/// The CSV file `name` of every folder, checked against the grid and the shard's digest, rows sorted by point
/// (stable), under the common header.
fn join(folders: &[Folder], grid: &Grid, name: &str, recorded: impl Fn(&Manifest) -> &String) -> Result<String> {
    let keys = grid.keys();
    let mut header: Option<csv::StringRecord> = None;
    let mut rows: Vec<(usize, csv::StringRecord)> = Vec::new();
    let mut policies_of: Vec<Option<BTreeSet<String>>> = vec![None; grid.len()];
    let mut edited: Option<Error> = None;
    for f in folders {
        let path = f.dir.join(name);
        let bad = |what: String| Error::Input(format!("merge: {} {name}: {what}", f.name()));
        let text = read_regular(&path).map_err(|e| bad(format!("cannot read {} ({e})", path.display())))?;
        let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
        let this = reader.headers().map_err(|e| bad(e.to_string()))?.clone();
        match &header {
            Some(h) if *h != this => return Err(bad("its columns differ from the other shards'".into())),
            Some(_) => {}
            None => header = Some(this.clone()),
        }
        if this.len() < keys.len() || this.iter().zip(&keys).any(|(c, k)| c != k) {
            return Err(bad(format!("its first columns are not the varied keys {}", keys.join(", "))));
        }
        let point = this.iter().position(|c| c == POINT_COLUMN).ok_or_else(|| bad("no point column".into()))?;
        let policy = this.iter().position(|c| c == "policy").ok_or_else(|| bad("no policy column".into()))?;
        for record in reader.records() {
            let record = record.map_err(|e| bad(e.to_string()))?;
            let line = record.position().map_or(0, |p| p.line());
            let at = |what: String| bad(format!("line {line}: {what}"));
            let p = record
                .get(point)
                .and_then(|v| v.parse::<usize>().ok())
                .ok_or_else(|| at(format!("{:?} is not a point number", record.get(point).unwrap_or(""))))?;
            if p >= grid.len() {
                return Err(at(format!("point {p} is not in the grid of {} points", grid.len())));
            }
            if !f.shard.owns(p) {
                return Err(at(format!(
                    "{} belongs to shard {}/{}, not to this one",
                    point_text(grid, p),
                    p % f.shard.count + 1,
                    f.shard.count
                )));
            }
            for ((key, want), got) in keys.iter().zip(grid.point(p)).zip(record.iter()) {
                if got != want {
                    return Err(at(format!("{} is labelled {key}={got}, not {key}={want}", point_text(grid, p))));
                }
            }
            let name_of_policy = record.get(policy).unwrap_or("").to_string();
            if !policies_of[p].get_or_insert_with(BTreeSet::new).insert(name_of_policy.clone()) {
                return Err(at(format!("{} has a second row for policy {name_of_policy:?}", point_text(grid, p))));
            }
            rows.push((p, record));
        }
        if edited.is_none() && digest(text.as_bytes()) != *recorded(&f.manifest) {
            // Reported after the row checks, which can name the point.
            edited = Some(bad(
                "the file is not what the shard wrote (it does not match the digest in its sweep.toml): a figure \
                 was edited, or the file copied from another run; run the shard again"
                    .into(),
            ));
        }
    }
    let all: BTreeSet<String> = policies_of.iter().flatten().flatten().cloned().collect();
    for (p, found) in policies_of.iter().enumerate() {
        let found = found.clone().unwrap_or_default();
        if let Some(lost) = all.difference(&found).next() {
            let owner = folders.iter().find(|f| f.shard.owns(p)).map(Folder::name).unwrap_or_default();
            return Err(Error::Input(format!(
                "merge: {owner} {name}: {} has no row for policy {lost:?} (a row was deleted)",
                point_text(grid, p)
            )));
        }
    }
    if let Some(e) = edited {
        return Err(e);
    }
    rows.sort_by_key(|(p, _)| *p);
    let header = header.unwrap_or_default();
    let mut writer = csv::WriterBuilder::new().flexible(false).from_writer(Vec::new());
    let err = |e: csv::Error| Error::Other(format!("merge: {name}: {e}"));
    writer.write_record(&header).map_err(err)?;
    for (_, record) in &rows {
        writer.write_record(record).map_err(err)?;
    }
    let bytes = writer.into_inner().map_err(|e| Error::Other(format!("merge: {name}: {e}")))?;
    String::from_utf8(bytes).map_err(|e| Error::Other(format!("merge: {name}: {e}")))
}
