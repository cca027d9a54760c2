//! `chatcap merge`: join the folders of a sharded sweep into the folder one machine would have written.
//!
//! The shards' manifests must agree on everything but the shard, and together hold every shard `1/N` to `N/N`
//! exactly once. Rows of `sweep.csv` and `paired.csv` are taken as CSV records (text, never re-parsed as
//! numbers) and put back in point order, each point's rows in their original order; the CSV writer quotes
//! fields the same way whoever wrote them, so the merged file is byte-identical to a single-machine run's.

use super::manifest::Manifest;
use super::output::SweepFiles;
use super::run::POINT_COLUMN;
use crate::{Error, Result};
use std::path::{Path, PathBuf};

/// Reads the shard folders `dirs` and returns the files of the whole sweep.
pub fn merge(dirs: &[PathBuf]) -> Result<SweepFiles> {
    let Some(first) = dirs.first() else {
        return Err(Error::Input("merge: give the shard folders to join".into()));
    };
    let manifests: Vec<Manifest> = dirs.iter().map(|d| Manifest::read(d)).collect::<Result<_>>()?;
    let reference = Manifest { shard: "1/1".into(), ..manifests[0].clone() };
    let count = manifests[0].shard()?.count;
    if count > dirs.len() {
        // Checked before anything is sized from `count`, which comes from a file.
        return Err(Error::Input(format!(
            "merge: {} is one of {count} shards but {} folders were given; every shard 1/{count} to {count}/{count} \
             is needed",
            first.display(),
            dirs.len()
        )));
    }
    let mut seen = vec![None::<&Path>; count];
    for (dir, m) in dirs.iter().zip(&manifests) {
        if (Manifest { shard: "1/1".into(), ..m.clone() }) != reference {
            return Err(Error::Input(format!(
                "merge: {} is from a different sweep than {} (scenario, seed, --set or --vary differ)",
                dir.display(),
                first.display()
            )));
        }
        let shard = m.shard()?;
        if shard.count != count {
            return Err(Error::Input(format!(
                "merge: {} is shard {} but {} is one of {count} shards",
                dir.display(),
                m.shard,
                first.display()
            )));
        }
        if let Some(other) = seen[shard.index - 1] {
            return Err(Error::Input(format!(
                "merge: shard {} is given twice ({} and {})",
                m.shard,
                other.display(),
                dir.display()
            )));
        }
        seen[shard.index - 1] = Some(dir);
    }
    if let Some(missing) = seen.iter().position(Option::is_none) {
        return Err(Error::Input(format!("merge: shard {}/{count} is missing", missing + 1)));
    }
    Ok(SweepFiles { manifest: reference, sweep_csv: join(dirs, "sweep.csv")?, paired_csv: join(dirs, "paired.csv")? })
}

/// The CSV file `name` of every folder, rows sorted by point (stable), under the common header.
fn join(dirs: &[PathBuf], name: &str) -> Result<String> {
    let mut header: Option<csv::StringRecord> = None;
    let mut rows: Vec<(usize, csv::StringRecord)> = Vec::new();
    for dir in dirs {
        let path = dir.join(name);
        let bad = |what: String| Error::Input(format!("merge: {}: {what}", path.display()));
        let text = std::fs::read_to_string(&path).map_err(|e| bad(format!("cannot read it ({e})")))?;
        let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
        let this = reader.headers().map_err(|e| bad(e.to_string()))?.clone();
        match &header {
            Some(h) if *h != this => return Err(bad("its columns differ from the other shards'".into())),
            Some(_) => {}
            None => header = Some(this.clone()),
        }
        let point = this.iter().position(|c| c == POINT_COLUMN).ok_or_else(|| bad("no point column".into()))?;
        for record in reader.records() {
            let record = record.map_err(|e| bad(e.to_string()))?;
            let p = record.get(point).and_then(|v| v.parse::<usize>().ok()).ok_or_else(|| bad("bad point".into()))?;
            rows.push((p, record));
        }
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
