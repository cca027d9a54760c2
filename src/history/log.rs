//! Reading a contact log, row by row, into the contacts that reached the agents' queue.
//!
//! The rules, each a choice a planner can check against their own log:
//! - **Offered** = every row whose outcome is served or abandoned, except, when the mapping says
//!   `abandoned_before_queue_skipped`, abandoned rows with no wait and no time in the first `queue_entry`
//!   column (they hung up in self-service before reaching the queue). Rows with a `skipped` outcome are counted
//!   and dropped; any other outcome value is an error.
//! - **Arrival in the trace** = joining the queue: the first `queue_entry` column holding a time (a value listed
//!   in `formats.no_time` counts as empty, unless the logged wait is positive: a call queued at exactly
//!   midnight; the last column is always used).
//! - **Dates**: with a `date` column, time columns are times of day on that date, and a time more than 12 hours
//!   before the row's `arrival` time belongs to the next day (a call arriving at 23:59 and served at 00:01
//!   carries the earlier date). Calls arriving after midnight carry the next date themselves.
//! - **Wait** = the `wait` column (seconds), or `queue_exit` minus the queue entry. A wait over a day is an error.
//! - **Handle** (served) = the `handle` column, or service end minus service start. Service runs from
//!   `service_start` (default: queue entry + wait) to `service_end` (default: start + handle).
//!   Without a handle, served contacts draw one from the scenario's reply distribution.
//! - **Priority class** (with `[[priority_class]]`): the class listing the row's priority value (an empty cell
//!   is the value `""`); a value no class lists is an error.

use super::mapping::{Mapping, Timing};
use crate::{Error, Result};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const DAY_S: i64 = 86_400;

/// How a contact that reached the queue ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// An agent took it.
    Served,
    /// The customer gave up waiting.
    Abandoned,
}

/// One contact that reached the queue; times in seconds since 1970-01-01 00:00 (civil, no time zone).
#[derive(Debug, Clone, PartialEq)]
pub struct Contact {
    /// When it joined the queue.
    pub entry_s: i64,
    /// Served or abandoned.
    pub fate: Fate,
    /// Seconds in the queue.
    pub wait_s: f64,
    /// Seconds of service (served contacts with a known handle).
    pub handle_s: Option<f64>,
    /// Who served it, and from when to when (served contacts with a named agent).
    pub service: Option<(String, i64, i64)>,
    /// Contact type or queue, as logged.
    pub kind: String,
    /// Priority, as logged.
    pub priority: String,
    /// Its priority class (the mapping's `[[priority_class]]`, by place); `None` without classes.
    pub class: Option<usize>,
}

/// What the import read and what it did with each row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// Data rows read.
    pub rows: u64,
    /// Served rows.
    pub served: u64,
    /// Abandoned rows (including those that never reached the queue).
    pub abandoned: u64,
    /// Rows with a `skipped` outcome.
    pub skipped: u64,
    /// Abandoned rows that never reached the queue (dropped).
    pub abandoned_before_queue: u64,
    /// Served rows without an agent (kept, staffing nobody).
    pub served_without_agent: u64,
    /// Distinct agents.
    pub agents: u64,
}

/// A log, read.
#[derive(Debug, Clone)]
pub struct ContactLog {
    /// Contacts that reached the queue, by queue entry.
    pub contacts: Vec<Contact>,
    /// What was read.
    pub counts: Counts,
}

/// Column positions in the header, by role.
struct Layout {
    date: Option<usize>,
    arrival: usize,
    entry: Vec<(String, usize)>,
    wait: Option<usize>,
    exit: Option<usize>,
    outcome: usize,
    handle: Option<usize>,
    start: Option<usize>,
    end: Option<usize>,
    agent: Option<usize>,
    kind: Option<usize>,
    priority: Option<usize>,
}

impl ContactLog {
    /// Reads the log at `path` as `mapping` describes; errors name the file, row (line) and column.
    pub fn read(path: &Path, mapping: &Mapping) -> Result<ContactLog> {
        let text = std::fs::read(path).map_err(|e| Error::Input(format!("{}: cannot read: {e}", path.display())))?;
        let tab = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("tsv"));
        let delimiter = mapping.delimiter.unwrap_or(if tab { b'\t' } else { b',' });
        ContactLog::parse(&text, delimiter, mapping).map_err(|e| Error::Input(format!("{}:{e}", path.display())))
    }

    /// Reads log text; errors read `LINE: column NAME: what is wrong`.
    pub fn parse(text: &[u8], delimiter: u8, mapping: &Mapping) -> std::result::Result<ContactLog, String> {
        let mut reader =
            csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).has_headers(true).from_reader(text);
        let header: Vec<String> =
            reader.headers().map_err(|e| format!("1: {e}"))?.iter().map(|h| h.trim().to_string()).collect();
        let layout = layout(&header, mapping)?;
        let mut contacts = Vec::new();
        let mut counts = Counts::default();
        let mut agents = BTreeSet::new();
        for record in reader.records() {
            let record = record.map_err(|e| format!("{}: {e}", e.position().map_or(0, |p| p.line())))?;
            let line = record.position().map_or(0, |p| p.line());
            if record.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            counts.rows += 1;
            let row = Row { fields: &record, header: &header, mapping };
            if let Some(c) = row.contact(&layout, &mut counts).map_err(|e| format!("{line}: {e}"))? {
                if let Some((agent, _, _)) = &c.service {
                    agents.insert(agent.clone());
                }
                contacts.push(c);
            }
        }
        if contacts.is_empty() {
            return Err("2: the log holds no served or abandoned contact".into());
        }
        counts.agents = agents.len() as u64;
        contacts.sort_by_key(|c| c.entry_s);
        Ok(ContactLog { contacts, counts })
    }

    /// Each agent's services as (start, end) seconds, sorted by start.
    pub fn services_by_agent(&self) -> BTreeMap<&str, Vec<(i64, i64)>> {
        let mut by: BTreeMap<&str, Vec<(i64, i64)>> = BTreeMap::new();
        for c in &self.contacts {
            if let Some((agent, start, end)) = &c.service {
                by.entry(agent.as_str()).or_default().push((*start, *end));
            }
        }
        for spells in by.values_mut() {
            spells.sort_unstable();
        }
        by
    }
}

fn layout(header: &[String], m: &Mapping) -> std::result::Result<Layout, String> {
    let find = |key: &str, name: &str| -> std::result::Result<usize, String> {
        header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| format!("1: column {name:?} (columns.{key} in the mapping) is not in the header"))
    };
    let opt = |key: &str, name: &Option<String>| name.as_deref().map(|n| find(key, n)).transpose();
    let c = &m.columns;
    let entry_names = c.queue_entry.as_ref().map_or_else(|| vec![c.arrival.clone()], |q| q.names());
    let entry = entry_names
        .iter()
        .map(|n| find("queue_entry", n).map(|i| (n.clone(), i)))
        .collect::<std::result::Result<_, _>>()?;
    Ok(Layout {
        date: opt("date", &c.date)?,
        arrival: find("arrival", &c.arrival)?,
        entry,
        wait: opt("wait", &c.wait)?,
        exit: opt("queue_exit", &c.queue_exit)?,
        outcome: find("outcome", &c.outcome)?,
        handle: opt("handle", &c.handle)?,
        start: opt("service_start", &c.service_start)?,
        end: opt("service_end", &c.service_end)?,
        agent: opt("agent", &c.agent)?,
        kind: opt("type", &c.r#type)?,
        priority: opt("priority", &c.priority)?,
    })
}

/// One data row being read.
struct Row<'a> {
    fields: &'a csv::StringRecord,
    header: &'a [String],
    mapping: &'a Mapping,
}

impl Row<'_> {
    fn cell(&self, at: usize) -> std::result::Result<&str, String> {
        self.fields
            .get(at)
            .map(str::trim)
            .ok_or_else(|| format!("column {:?}: missing (the row has {} fields)", self.header[at], self.fields.len()))
    }

    fn fail(&self, at: usize, what: String) -> String {
        format!("column {:?}: {what}", self.header[at])
    }

    /// Whether a time cell says "did not happen".
    fn no_time(&self, value: &str) -> bool {
        value.is_empty() || self.mapping.no_time.iter().any(|v| v == value)
    }

    /// The moment in a time column, seconds since the epoch; `reference` is the arrival for the date roll.
    fn moment(&self, at: usize, reference: Option<(i64, i64)>) -> std::result::Result<i64, String> {
        let value = self.cell(at)?;
        match &self.mapping.timing {
            Timing::DateTime(f) => {
                let s = f.read(value).map_err(|e| self.fail(at, e))?;
                Ok(s.day.unwrap_or(0) * DAY_S + s.tod)
            }
            Timing::DateAndTime { time, .. } => {
                let tod = time.read(value).map_err(|e| self.fail(at, e))?.tod;
                let (day, arrival_tod) = reference.unwrap_or((0, tod));
                let roll = if tod + DAY_S / 2 < arrival_tod { DAY_S } else { 0 };
                Ok(day * DAY_S + tod + roll)
            }
        }
    }

    fn seconds(&self, at: usize) -> std::result::Result<f64, String> {
        let value = self.cell(at)?;
        match value.parse::<f64>() {
            Ok(s) if s.is_finite() && s >= 0.0 => Ok(s),
            _ => Err(self.fail(at, format!("{value:?} is not a number of seconds (0 or more)"))),
        }
    }

    fn contact(&self, l: &Layout, counts: &mut Counts) -> std::result::Result<Option<Contact>, String> {
        let o = &self.mapping.outcomes;
        let outcome = self.cell(l.outcome)?;
        let fate = if o.served.iter().any(|v| v == outcome) {
            counts.served += 1;
            Fate::Served
        } else if o.abandoned.iter().any(|v| v == outcome) {
            counts.abandoned += 1;
            Fate::Abandoned
        } else if o.skipped.iter().any(|v| v == outcome) {
            counts.skipped += 1;
            return Ok(None);
        } else {
            let known: Vec<&String> = o.served.iter().chain(&o.abandoned).chain(&o.skipped).collect();
            return Err(
                self.fail(l.outcome, format!("{outcome:?} is not a known outcome (the mapping lists {known:?})"))
            );
        };
        // The reference for the date roll: the row's date and the arrival's time of day.
        let reference = match (&self.mapping.timing, l.date) {
            (Timing::DateAndTime { date, time }, Some(d)) => {
                let day = date.read(self.cell(d)?).map_err(|e| self.fail(d, e))?.day.unwrap_or(0);
                let tod = time.read(self.cell(l.arrival)?).map_err(|e| self.fail(l.arrival, e))?.tod;
                Some((day, tod))
            }
            _ => None,
        };
        let (last, rest) = l.entry.split_last().expect("at least one queue_entry column");
        // A "no time" value (e.g. 0:00:00) with a positive logged wait is a contact queued at exactly midnight.
        let waited = match l.wait {
            Some(w) => self.seconds(w)? > 0.0,
            None => false,
        };
        let mut entry = None;
        for (_, at) in rest {
            let value = self.cell(*at)?;
            if !self.no_time(value) || (waited && !value.is_empty()) {
                entry = Some(self.moment(*at, reference)?);
                break;
            }
        }
        let first_empty = l.entry.len() > 1 && entry.is_none();
        let entry = match entry {
            Some(e) => e,
            None => self.moment(last.1, reference)?,
        };
        let wait_s = match (l.wait, l.exit) {
            (Some(w), _) => self.seconds(w)?,
            (None, Some(x)) => {
                let exit = self.moment(x, reference)?;
                if exit < entry {
                    return Err(self.fail(x, format!("leaves the queue {} s before joining it", entry - exit)));
                }
                (exit - entry) as f64
            }
            (None, None) => unreachable!("the mapping requires wait or queue_exit"),
        };
        let wait_col = l.wait.or(l.exit).expect("checked by the mapping");
        if wait_s > DAY_S as f64 {
            return Err(self.fail(wait_col, format!("a wait of {wait_s} s is longer than a day")));
        }
        if fate == Fate::Abandoned && o.abandoned_before_queue_skipped && first_empty && wait_s == 0.0 {
            counts.abandoned_before_queue += 1;
            return Ok(None);
        }
        let text = |at: Option<usize>| -> std::result::Result<String, String> {
            at.map(|a| self.cell(a).map(str::to_string)).transpose().map(Option::unwrap_or_default)
        };
        let (kind, priority) = (text(l.kind)?, text(l.priority)?);
        let class = match (l.priority, self.mapping.priority_classes.is_empty()) {
            (Some(at), false) => Some(self.mapping.priority_class(&priority).ok_or_else(|| {
                let listed: Vec<&String> = self.mapping.priority_classes.iter().flat_map(|c| &c.values).collect();
                let empty = if priority.is_empty() { "; an empty cell is listed as \"\"" } else { "" };
                self.fail(at, format!("{priority:?} is in no priority_class (the mapping lists {listed:?}{empty})"))
            })?),
            _ => None,
        };
        let mut contact =
            Contact { entry_s: entry, fate, wait_s, handle_s: None, service: None, kind, priority, class };
        if fate == Fate::Abandoned {
            return Ok(Some(contact));
        }
        let timed = |at: Option<usize>| -> std::result::Result<Option<i64>, String> {
            match at {
                Some(a) if !self.no_time(self.cell(a)?) => self.moment(a, reference).map(Some),
                _ => Ok(None),
            }
        };
        let start = timed(l.start)?.unwrap_or(entry + wait_s.round() as i64);
        let end = timed(l.end)?;
        let handle = match (l.handle, end) {
            (Some(h), _) => Some(self.seconds(h)?),
            // Whole-second times may put the end a second before entry + wait: a handle of zero, not an error.
            (None, Some(e)) if e >= entry => Some((e - start).max(0) as f64),
            (None, Some(e)) => {
                let at = l.end.expect("an end time comes from its column");
                return Err(self.fail(at, format!("service ends {} s before the contact joined the queue", entry - e)));
            }
            _ => None,
        };
        contact.handle_s = handle;
        let end = end.unwrap_or(start + handle.unwrap_or(0.0).round() as i64).max(start);
        let agent = text(l.agent)?;
        if agent.is_empty() || self.mapping.no_agent.contains(&agent) {
            counts.served_without_agent += 1;
        } else {
            contact.service = Some((agent, start, end));
        }
        Ok(Some(contact))
    }
}
