//! `intervals.csv` and `conversations.csv` streamed to disk, so a run's memory does not grow with its history.
//!
//! Runs of (policy, replication) execute in parallel and finish in any order, but the files list them in
//! (policy, replication) order. So each run writes its own temporary files in the output folder, named like every
//! other temporary (see [`atomic`]: removed on error, and after a `kill -9` by the next run into that folder):
//! - its interval rows as soon as it ends, as fixed-width binary numbers (the exact values, which the week
//!   charts fold; the CSV's rounding happens once, when the final file is assembled);
//! - its conversation records as CSV rows while it runs, in arrival order (see
//!   [`crate::metrics::records::ConversationLog`]).
//!
//! [`assemble`] then reads them back one run at a time, in (policy, replication) order, into the staged final
//! files, folding the charted columns on the way ([`WeekFolds`]: policies x columns x intervals of a week).
//! The final files are renamed into place with the rest of the outputs, all or nothing.
//!
//! What memory remains: per run in progress (one per worker thread), its interval rows until it ends (a few
//! numbers per interval of the window) and the finished conversation records waiting behind an earlier-arriving
//! open one. That second part is small when conversations end in about the order they arrive (live chat: about
//! 200 records on a week of M/M/20 at 255 an hour) but can reach much of a run's conversations when one stays
//! open for days, as persistent conversations do (up to 7,937 of a run's ~13,000 on
//! `scenarios/persistent-vs-live.toml`): the engine then holds the open ones anyway. Across runs only each
//! run's summary measurements (counters and histograms, for `summary.csv`) are kept, and the week charts' folds.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use super::Cell;
use super::atomic::{self, Staging};
use super::csv::cell_text;
use super::week::{self, CHARTED, WeekFolds, parse_timestamp};
use crate::hours::Origin;
use crate::metrics::collector::IntervalRow;
use crate::metrics::records;
use crate::metrics::summary::{INTERVAL_NUMBERS, interval_columns, interval_numbers};
use crate::routing::Millis;
use crate::{Error, Result};

/// Bytes of one interval row in a run's temporary file: its start, then its numbers, 8 bytes each.
const ROW_BYTES: usize = 8 * (1 + INTERVAL_NUMBERS);

/// The temporary files of every run, in (policy, replication) order; dropping it removes them.
#[derive(Debug)]
pub struct RunFiles {
    /// Per run: its interval rows, and its conversation rows when asked for.
    runs: Vec<(PathBuf, Option<PathBuf>)>,
}

impl RunFiles {
    /// Names (without creating them) the temporaries of `count` runs writing into `dir`.
    pub fn new(dir: &Path, count: usize, conversations: bool) -> RunFiles {
        let runs = (0..count)
            .map(|_| {
                let intervals = atomic::temp_for(&dir.join("intervals.csv"));
                (intervals, conversations.then(|| atomic::temp_for(&dir.join("conversations.csv"))))
            })
            .collect();
        RunFiles { runs }
    }

    /// Where run `index` writes its interval rows.
    pub fn intervals(&self, index: usize) -> &Path {
        &self.runs[index].0
    }

    /// Where run `index` writes its conversation rows, if asked for.
    pub fn conversations(&self, index: usize) -> Option<&Path> {
        self.runs[index].1.as_deref()
    }
}

impl Drop for RunFiles {
    fn drop(&mut self) {
        for (intervals, conversations) in &self.runs {
            // Best effort: a run that never started made no file.
            let _ = std::fs::remove_file(intervals);
            if let Some(c) = conversations {
                let _ = std::fs::remove_file(c);
            }
        }
    }
}

/// Writes one run's interval rows to `path`.
pub fn write_intervals(path: &Path, rows: &[IntervalRow]) -> Result<()> {
    let file = File::create(path).map_err(|e| Error::io(path, e))?;
    let mut out = BufWriter::new(file);
    for row in rows {
        let mut bytes = [0u8; ROW_BYTES];
        bytes[..8].copy_from_slice(&row.start.0.to_le_bytes());
        for (i, cell) in interval_numbers(row).iter().enumerate() {
            let v = match cell {
                Cell::Num(v) => *v,
                _ => f64::NAN,
            };
            bytes[8 * (i + 1)..8 * (i + 2)].copy_from_slice(&v.to_bits().to_le_bytes());
        }
        out.write_all(&bytes).map_err(|e| Error::io(path, e))?;
    }
    out.flush().map_err(|e| Error::io(path, e))
}

/// One run's interval rows read back: start, then the numbers (not-a-number for an empty cell).
fn read_intervals(path: &Path) -> Result<impl Iterator<Item = Result<(Millis, [f64; INTERVAL_NUMBERS])>>> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let mut input = BufReader::new(file);
    let path = path.to_path_buf();
    Ok(std::iter::from_fn(move || {
        let mut bytes = [0u8; ROW_BYTES];
        match input.read_exact(&mut bytes) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return None,
            Err(e) => return Some(Err(Error::io(&path, e))),
        }
        let word = |i: usize| u64::from_le_bytes(bytes[8 * i..8 * (i + 1)].try_into().expect("8 bytes"));
        let numbers = std::array::from_fn(|i| f64::from_bits(word(i + 1)));
        Some(Ok((Millis(word(0)), numbers)))
    }))
}

/// A run of the assembly: its policy and replication (from 1).
#[derive(Debug, Clone)]
pub struct RunName {
    /// The policy's name.
    pub policy: String,
    /// The replication, numbered from 1.
    pub replication: usize,
}

/// Stages `intervals.csv` (and `conversations.csv` when the runs wrote it) into `staging` from the runs'
/// temporaries, in the order of `names`, and returns the week charts' folds over the interval rows.
pub fn assemble(
    staging: &mut Staging,
    dir: &Path,
    files: &RunFiles,
    names: &[RunName],
    policies: &[String],
    origin: Origin,
) -> Result<WeekFolds> {
    let mut folds = None;
    staging.write_with(&dir.join("intervals.csv"), |tmp| {
        folds = Some(assemble_intervals(tmp, files, names, policies, origin)?);
        Ok(())
    })?;
    if names.first().is_some_and(|_| files.conversations(0).is_some()) {
        staging.write_with(&dir.join("conversations.csv"), |tmp| assemble_conversations(tmp, files, names.len()))?;
    }
    folds.ok_or_else(|| Error::Other("intervals.csv: nothing was assembled".into()))
}

fn assemble_intervals(
    tmp: &Path,
    files: &RunFiles,
    names: &[RunName],
    policies: &[String],
    origin: Origin,
) -> Result<WeekFolds> {
    let io = |e: std::io::Error| Error::io(tmp, e);
    let csv_err = |e: ::csv::Error| Error::Other(format!("{}: {e}", tmp.display()));
    let mut out =
        ::csv::WriterBuilder::new().flexible(false).from_writer(BufWriter::new(File::create(tmp).map_err(io)?));
    let header = interval_columns();
    out.write_record(&header).map_err(csv_err)?;
    // Every run has the same interval starts: the first run's give the interval length.
    let starts: Vec<i64> = match names.first() {
        Some(_) => read_intervals(files.intervals(0))?
            .map(|row| row.map(|(start, _)| seconds(origin, start)))
            .collect::<Result<_>>()?,
        None => Vec::new(),
    };
    let mut folds = WeekFolds::new(week::run_slot_seconds(&starts), policies, &CHARTED);
    // The numbers follow `policy, replication, interval_start`.
    let number_of = |column: &str| header.iter().position(|h| h == column).and_then(|i| i.checked_sub(3));
    for (index, name) in names.iter().enumerate() {
        for row in read_intervals(files.intervals(index))? {
            let (start, numbers) = row?;
            let start_text = origin.format(start);
            let mut record = vec![name.policy.clone(), format_number(name.replication as f64), start_text.clone()];
            record.extend(numbers.iter().map(|&v| format_number(v)));
            out.write_record(&record).map_err(csv_err)?;
            let at = parse_timestamp(&start_text).unwrap_or_default();
            folds.add(&name.policy, at, |column| number_of(column).map(|i| numbers[i]).filter(|v| !v.is_nan()));
        }
    }
    out.into_inner().map_err(|e| Error::Other(format!("{}: {e}", tmp.display())))?.flush().map_err(io)?;
    Ok(folds)
}

/// A number as the CSV shows it; not-a-number is an empty cell.
fn format_number(v: f64) -> String {
    cell_text(&if v.is_nan() { Cell::Empty } else { Cell::Num(v) })
}

/// `start` as seconds since 1970-01-01, read back from the text the CSV shows, as the charts always did.
fn seconds(origin: Origin, start: Millis) -> i64 {
    parse_timestamp(&origin.format(start)).unwrap_or_default()
}

fn assemble_conversations(tmp: &Path, files: &RunFiles, runs: usize) -> Result<()> {
    let io = |e: std::io::Error| Error::io(tmp, e);
    let mut out = BufWriter::new(File::create(tmp).map_err(io)?);
    let mut header = ::csv::Writer::from_writer(Vec::new());
    header.write_record(records::COLUMNS).map_err(|e| Error::Other(format!("{}: {e}", tmp.display())))?;
    let header = header.into_inner().map_err(|e| Error::Other(format!("{}: {e}", tmp.display())))?;
    out.write_all(&header).map_err(io)?;
    for index in 0..runs {
        let Some(path) = files.conversations(index) else { continue };
        let mut part = File::open(path).map_err(|e| Error::io(path, e))?;
        std::io::copy(&mut part, &mut out).map_err(io)?;
    }
    out.flush().map_err(io)
}
