//! Data files a scenario points to: arrival traces, staffing schedules and empirical samples.
//!
//! All are small CSV files with a header row (an empirical samples file may skip it). Paths are relative to
//! the scenario file. Blank lines and lines starting with `#` are skipped. Errors name the data file, the
//! line and the column.

use super::calendar::parse_timestamp;
use super::model::TraceRecord;
use crate::hours::Origin;
use crate::routing::Millis;
use crate::{Error, Result};
use std::path::Path;

/// Reads an arrivals trace: `arrival` required; `handle`, `patience`, `sessions`, `messages` optional, and
/// `workstream` naming one of `workstreams` (the scenario's `[[workstream]]` names in file order; without any,
/// the column is ignored like any other unknown column).
pub fn read_trace(path: &Path, origin: Origin, workstreams: &[String]) -> Result<Vec<TraceRecord>> {
    let table = Csv::read(path)?;
    let arrival = table.column("arrival", true)?.unwrap_or_default();
    let [handle, patience, sessions, messages, workstream] =
        ["handle", "patience", "sessions", "messages", "workstream"].map(|c| table.column(c, false).ok().flatten());
    let workstream = workstream.filter(|_| !workstreams.is_empty());
    let mut records = Vec::with_capacity(table.rows.len());
    for (line, row) in &table.rows {
        let at = |col: Option<usize>| col.and_then(|c| row.get(c)).map(String::as_str);
        let err = |col: &str, what: String| Error::Input(format!("{}:{line}: {col}: {what}", path.display()));
        let arrival_text = at(Some(arrival)).unwrap_or("");
        let arrival = time_since_start(arrival_text, origin).map_err(|w| err("arrival", w))?;
        let seconds = |col: &str, text: &str| -> Result<Millis> {
            match text.parse::<f64>() {
                Ok(s) if (0.0..1e12).contains(&s) => Ok(Millis::from_secs_f64(s)),
                _ => Err(err(col, format!("{text:?} is not a number of seconds (0 or more)"))),
            }
        };
        let count = |col: &str, text: &str| -> Result<u32> {
            match text.parse::<u32>() {
                Ok(n) if n >= 1 => Ok(n),
                _ => Err(err(col, format!("{text:?} is not a whole number of at least 1"))),
            }
        };
        let handle = match at(handle) {
            None | Some("") => None,
            Some(t) => Some(seconds("handle", t)?),
        };
        let patience = match at(patience) {
            None => None,
            Some("") => Some(None),
            Some(t) => Some(Some(seconds("patience", t)?)),
        };
        let sessions = match at(sessions) {
            None | Some("") => None,
            Some(t) => Some(count("sessions", t)?),
        };
        let messages = match at(messages) {
            None | Some("") => None,
            Some(t) => Some(count("messages", t)?),
        };
        let workstream = match at(workstream) {
            None | Some("") => None,
            Some(name) => match workstreams.iter().position(|w| w == name) {
                Some(i) => Some(i as u16),
                None => {
                    let what = format!(
                        "{name:?} is not a workstream of the scenario (workstreams: {})",
                        workstreams.join(", ")
                    );
                    return Err(err("workstream", what));
                }
            },
        };
        records.push(TraceRecord { arrival, handle, patience, sessions, messages, workstream });
    }
    if records.is_empty() {
        return Err(Error::Input(format!("{}: the trace holds no arrivals", path.display())));
    }
    records.sort_by_key(|r| r.arrival);
    Ok(records)
}

/// Reads a staffing schedule: columns `from` (timestamp or seconds from the start) and `agents`.
/// Entries before the start collapse into the headcount at time zero.
pub fn read_schedule(path: &Path, origin: Origin, max_agents: u32) -> Result<Vec<(Millis, u32)>> {
    let table = Csv::read(path)?;
    let from = table.column("from", true)?.unwrap_or_default();
    let agents = table.column("agents", true)?.unwrap_or_default();
    let mut entries: Vec<(i64, u32, u64)> = Vec::with_capacity(table.rows.len());
    for (line, row) in &table.rows {
        let err = |col: &str, what: String| Error::Input(format!("{}:{line}: {col}: {what}", path.display()));
        let text = row.get(from).map(String::as_str).unwrap_or("");
        let t = signed_time_since_start(text, origin).map_err(|w| err("from", w))?;
        let n_text = row.get(agents).map(String::as_str).unwrap_or("");
        let n = match n_text.parse::<u32>() {
            Ok(n) if n <= max_agents => n,
            _ => return Err(err("agents", format!("{n_text:?} is not a whole number from 0 to {max_agents}"))),
        };
        entries.push((t, n, *line));
    }
    if entries.is_empty() {
        return Err(Error::Input(format!("{}: the schedule holds no rows", path.display())));
    }
    entries.sort_by_key(|e| (e.0, e.2));
    if let Some(pair) = entries.windows(2).find(|w| w[0].0 == w[1].0) {
        let what = format!("line {} repeats the time of line {}", pair[1].2, pair[0].2);
        return Err(Error::Input(format!("{}:{}: from: {what}", path.display(), pair[1].2)));
    }
    let mut out: Vec<(Millis, u32)> = Vec::with_capacity(entries.len());
    for (t, n, _) in entries {
        let t = Millis(t.max(0) as u64);
        match out.last_mut() {
            Some(last) if last.0 == t => last.1 = n,
            _ => out.push((t, n)),
        }
    }
    Ok(out)
}

/// Reads one column of numbers (the first column; a non-numeric first row is a header).
pub fn read_numbers(path: &Path) -> Result<Vec<(u64, f64)>> {
    let text =
        std::fs::read_to_string(path).map_err(|e| Error::Input(format!("{}: cannot read: {e}", path.display())))?;
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let cell = raw.split(',').next().unwrap_or("").trim().trim_matches('"');
        if cell.is_empty() || cell.starts_with('#') {
            continue;
        }
        match cell.parse::<f64>() {
            Ok(v) if v.is_finite() => out.push((i as u64 + 1, v)),
            _ if out.is_empty() && i == first_content_line(&text) => {}
            _ => {
                return Err(Error::Input(format!("{}:{}: {cell:?} is not a number", path.display(), i + 1)));
            }
        }
    }
    if out.is_empty() {
        return Err(Error::Input(format!("{}: the file holds no values", path.display())));
    }
    Ok(out)
}

fn first_content_line(text: &str) -> usize {
    text.lines().position(|l| !(l.trim().is_empty() || l.trim().starts_with('#'))).unwrap_or(0)
}

/// `YYYY-MM-DD HH:MM:SS` or seconds from the start, as time since the start (not before it).
fn time_since_start(text: &str, origin: Origin) -> std::result::Result<Millis, String> {
    let t = signed_time_since_start(text, origin)?;
    if t < 0 {
        return Err(format!("{text:?} is before the scenario start {}", origin.format(Millis::ZERO)));
    }
    Ok(Millis(t as u64))
}

/// Like [`time_since_start`], but times before the start are negative instead of an error.
fn signed_time_since_start(text: &str, origin: Origin) -> std::result::Result<i64, String> {
    if let Ok(s) = text.parse::<f64>() {
        if !s.is_finite() || s.abs() > 1e11 {
            return Err(format!("{text:?} is not a usable number of seconds"));
        }
        return Ok((s * 1_000.0).round() as i64);
    }
    let at = parse_timestamp(text)
        .map_err(|_| format!("{text:?} is neither a timestamp (YYYY-MM-DD HH:MM:SS) nor seconds from the start"))?;
    Ok((at.day - origin.day) * Millis::DAY.0 as i64 + at.ms_of_day as i64 - origin.ms_of_day as i64)
}

/// A CSV file read into trimmed cells, with the header's lower-case names and each row's line number.
struct Csv<'p> {
    path: &'p Path,
    header: Vec<String>,
    rows: Vec<(u64, Vec<String>)>,
}

impl<'p> Csv<'p> {
    fn read(path: &'p Path) -> Result<Csv<'p>> {
        let file =
            std::fs::File::open(path).map_err(|e| Error::Input(format!("{}: cannot read: {e}", path.display())))?;
        let mut reader =
            csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).comment(Some(b'#')).from_reader(file);
        let bad = |e: csv::Error| {
            let line = e.position().map(|p| p.line()).unwrap_or(1);
            Error::Input(format!("{}:{line}: not a readable CSV: {e}", path.display()))
        };
        let header = reader.headers().map_err(bad)?.iter().map(|h| h.to_ascii_lowercase()).collect();
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(bad)?;
            if record.iter().all(str::is_empty) {
                continue;
            }
            let line = record.position().map(|p| p.line()).unwrap_or(0);
            rows.push((line, record.iter().map(str::to_owned).collect()));
        }
        Ok(Csv { path, header, rows })
    }

    /// The index of a column; a missing required column is an error.
    fn column(&self, name: &str, required: bool) -> Result<Option<usize>> {
        match self.header.iter().position(|h| h == name) {
            Some(i) => Ok(Some(i)),
            None if required => Err(Error::Input(format!(
                "{}:1: {name}: the header has no column {name:?} (columns: {})",
                self.path.display(),
                self.header.join(", ")
            ))),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hours::days_from_civil;
    use std::io::Write;

    fn file(text: &str) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(text.as_bytes()).unwrap();
        f
    }

    fn monday() -> Origin {
        Origin::midnight(days_from_civil(2024, 1, 1))
    }

    #[test]
    fn reads_and_sorts_a_trace() {
        let f = file("arrival,handle,patience,extra\n2024-01-01 00:01:00,30,,x\n10.5,,60,y\n20\n");
        let t = read_trace(f.path(), monday(), &[]).unwrap();
        assert_eq!(t.len(), 3);
        assert_eq!(
            t[0],
            TraceRecord {
                arrival: Millis(10_500),
                handle: None,
                patience: Some(Some(Millis(60_000))),
                sessions: None,
                messages: None,
                workstream: None
            }
        );
        assert_eq!(t[1].patience, None);
        assert_eq!(t[2].arrival, Millis::MINUTE);
        assert_eq!(t[2].patience, Some(None));
        assert_eq!(t[2].handle, Some(Millis(30_000)));
    }

    #[test]
    fn trace_errors_name_file_line_and_column() {
        let f = file("arrival,sessions\n5,1\n6,zero\n");
        let e = read_trace(f.path(), monday(), &[]).unwrap_err().to_string();
        assert!(e.contains(":3: sessions:"), "{e}");
        let f = file("when\n5\n");
        assert!(read_trace(f.path(), monday(), &[]).unwrap_err().to_string().contains("arrival"));
        let f = file("arrival\n2023-12-31 23:00:00\n");
        assert!(read_trace(f.path(), monday(), &[]).unwrap_err().to_string().contains("before the scenario start"));
    }

    #[test]
    fn schedule_rows_before_the_start_set_the_first_headcount() {
        let f = file("from,agents\n2023-12-31 22:00:00,3\n2023-12-31 23:00:00,4\n3600,6\n");
        assert_eq!(read_schedule(f.path(), monday(), 100).unwrap(), vec![(Millis::ZERO, 4), (Millis::HOUR, 6)]);
        let f = file("from,agents\n0,3\n0,4\n");
        assert!(read_schedule(f.path(), monday(), 100).is_err());
    }

    #[test]
    fn numbers_skip_a_header_and_comments() {
        let f = file("# seconds\nseconds\n1.5\n\n2,ignored\n");
        let v: Vec<f64> = read_numbers(f.path()).unwrap().into_iter().map(|x| x.1).collect();
        assert_eq!(v, vec![1.5, 2.0]);
        let f = file("1\nx\n");
        assert!(read_numbers(f.path()).unwrap_err().to_string().contains(":2:"));
    }
}
