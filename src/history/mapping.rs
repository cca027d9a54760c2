//! The mapping file: which column of a contact log means what, in TOML.
//!
//! A contact log is any CSV or TSV with a header row and one row per contact. The mapping names the columns
//! chatcap needs (`[columns]`), how their times are written (`[formats]`) and which outcome values mean served,
//! abandoned or a row to skip (`[outcomes]`), and optionally which priority values are served alike, most urgent
//! first (`[[priority_class]]`: replayed as workstreams and queues of their priority).
//! `examples/bank_log/mapping.toml` is a complete, commented example; scenarios/README.md ("Mapping files")
//! lists every key.

use super::clock::TimeFormat;
use crate::scenario::{Place, ScenarioError, Source, parse_duration};
use crate::{Error, Result};
use serde::Deserialize;
use std::path::Path;
use toml::de::{DeTable, Deserializer};

/// One column or several tried in order (the first with a time in it wins).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Columns {
    /// One column.
    One(String),
    /// Several, tried in order.
    Many(Vec<String>),
}

impl Columns {
    /// The column names in order.
    pub fn names(&self) -> Vec<String> {
        match self {
            Columns::One(c) => vec![c.clone()],
            Columns::Many(v) => v.clone(),
        }
    }
}

/// `[columns]`: header names of the log's columns.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawColumns {
    /// The date, when time columns hold only a time of day.
    pub date: Option<String>,
    /// When the contact arrived (before any self-service); the reference for times past midnight.
    pub arrival: String,
    /// When it joined the agents' queue; default: `arrival`.
    pub queue_entry: Option<Columns>,
    /// Seconds spent in the queue, until served or until giving up.
    pub wait: Option<String>,
    /// When it left the queue (served or gave up): the wait is this minus the queue entry, if `wait` is absent.
    pub queue_exit: Option<String>,
    /// Served, abandoned or skipped, by value (see `[outcomes]`).
    pub outcome: String,
    /// Seconds of service of a served contact.
    pub handle: Option<String>,
    /// When service started.
    pub service_start: Option<String>,
    /// When service ended.
    pub service_end: Option<String>,
    /// Who served it.
    pub agent: Option<String>,
    /// Contact type or queue name (kept in the trace; calibration gives each type its own patience).
    #[serde(alias = "queue")]
    pub r#type: Option<String>,
    /// Priority (kept in the trace; with `[[priority_class]]`, replayed as queues of their priority).
    pub priority: Option<String>,
}

/// `[formats]`: how times are written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFormats {
    /// Format of the `date` column, e.g. `%y%m%d` or `%Y-%m-%d`.
    pub date: Option<String>,
    /// Format of time-of-day columns (with `date`), e.g. `%H:%M:%S`.
    pub time: Option<String>,
    /// Format of time columns that carry their own date (without `date`), e.g. `%Y-%m-%d %H:%M:%S`.
    pub datetime: Option<String>,
    /// Values of a time column that mean "did not happen" (e.g. `0:00:00`); the empty cell always does.
    #[serde(default)]
    pub no_time: Vec<String>,
    /// Values of the agent column that mean nobody (e.g. `NO_SERVER`); the empty cell always does.
    #[serde(default)]
    pub no_agent: Vec<String>,
}

/// `[outcomes]`: which values of the outcome column mean what.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOutcomes {
    /// Values meaning an agent took the contact.
    pub served: Vec<String>,
    /// Values meaning the customer gave up.
    pub abandoned: Vec<String>,
    /// Values of rows to skip (lost records, tests); counted, not offered.
    #[serde(default)]
    pub skipped: Vec<String>,
    /// An abandoned contact with no wait and no time in the first `queue_entry` column never reached the queue
    /// (it hung up in self-service): skipped.
    #[serde(default)]
    pub abandoned_before_queue_skipped: bool,
}

/// The most priority classes: each becomes a workstream and a queue, of which a scenario may have 1000.
const MAX_CLASSES: usize = crate::scenario::MAX_ENTRIES;

/// `[[priority_class]]`: values of the priority column served alike, most urgent class first.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PriorityClass {
    /// The class's name: its workstream and queue in `scenario.toml`, its value in the trace's `workstream` column.
    pub name: String,
    /// The priority column's values in this class; an empty cell is the value `""`.
    pub values: Vec<String>,
}

/// The whole mapping file as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMapping {
    /// `tab`, `comma` or `semicolon`; default by the log's extension (`.tsv` tab, else comma).
    pub delimiter: Option<String>,
    /// Length of a history.csv interval; default 30m.
    pub interval: Option<String>,
    /// Service-level threshold of history.csv; default 20s.
    pub service_level: Option<String>,
    /// Gaps between an agent's services shorter than this count as present; default 15m.
    pub presence_gap: Option<String>,
    /// An agent counts as present this long before each spell of services and after it; default 0s.
    pub presence_pad: Option<String>,
    /// The columns.
    pub columns: RawColumns,
    /// The time formats.
    pub formats: RawFormats,
    /// The outcome values.
    pub outcomes: RawOutcomes,
    /// Priority classes, most urgent first; none: one queue.
    #[serde(default)]
    pub priority_class: Vec<PriorityClass>,
}

/// How times combine into moments.
#[derive(Debug, Clone)]
pub enum Timing {
    /// A date column plus time-of-day columns; a time more than 12 h before the arrival's belongs to the next day.
    DateAndTime {
        /// Format of the date column.
        date: TimeFormat,
        /// Format of the time columns.
        time: TimeFormat,
    },
    /// Every time column carries its own date.
    DateTime(TimeFormat),
}

/// A checked mapping.
#[derive(Debug, Clone)]
pub struct Mapping {
    /// Field delimiter, when the mapping fixes it.
    pub delimiter: Option<u8>,
    /// history.csv interval, seconds.
    pub interval_s: i64,
    /// Service-level threshold, seconds.
    pub service_level_s: f64,
    /// Presence gap, seconds.
    pub presence_gap_s: i64,
    /// Presence pad, seconds.
    pub presence_pad_s: i64,
    /// The columns.
    pub columns: RawColumns,
    /// How times are read.
    pub timing: Timing,
    /// "Did not happen" time values.
    pub no_time: Vec<String>,
    /// "Nobody" agent values.
    pub no_agent: Vec<String>,
    /// The outcome values.
    pub outcomes: RawOutcomes,
    /// Priority classes, most urgent first; empty: one queue.
    pub priority_classes: Vec<PriorityClass>,
}

impl Mapping {
    /// The priority class of a priority value: its place in [`Mapping::priority_classes`].
    pub fn priority_class(&self, value: &str) -> Option<usize> {
        self.priority_classes.iter().position(|c| c.values.iter().any(|v| v == value))
    }

    /// Reads and checks a mapping file; errors are one line, `FILE:LINE: KEY: what is wrong`.
    pub fn read(path: &Path) -> Result<Mapping> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::Input(format!("{}: cannot read the mapping: {e}", path.display())))?;
        Mapping::parse(&text, path)
    }

    /// Checks the text of a mapping file; `file` names it in errors, which are located like a scenario's.
    pub fn parse(text: &str, file: &Path) -> Result<Mapping> {
        let source = Source::new(file, text, &[]);
        let root = DeTable::parse(text).map_err(|e| source.toml_error(None, &e))?;
        let index = root.get_ref().clone();
        let raw = RawMapping::deserialize(Deserializer::from(root)).map_err(|e| source.toml_error(Some(&index), &e))?;
        check(raw).map_err(|Fault { key, problem }| {
            let place = locate(&index, &key).map_or(Place::File, |span| Place::Line(source.line(span.start)));
            ScenarioError::new(file, place, Some(&key), problem).into()
        })
    }
}

/// A problem with one key of a mapping: the dotted key (`priority_class[2].values`) and what is wrong.
struct Fault {
    key: String,
    problem: String,
}

fn fault(key: impl Into<String>, problem: impl Into<String>) -> Fault {
    Fault { key: key.into(), problem: problem.into() }
}

/// Checks the mapping as read: durations, delimiter, time formats, columns, outcomes and priority classes.
fn check(raw: RawMapping) -> std::result::Result<Mapping, Fault> {
    let seconds = |key: &str, v: &Option<String>, default: &str| -> std::result::Result<f64, Fault> {
        let text = v.as_deref().unwrap_or(default);
        let d = parse_duration(text).map_err(|e| fault(key, e.to_string()))?;
        Ok(d.as_secs_f64())
    };
    let interval_s = seconds("interval", &raw.interval, "30m")? as i64;
    if interval_s < 60 || 86_400 % interval_s != 0 {
        return Err(fault("interval", "must divide a day into whole intervals of at least a minute (15m, 30m, 1h)"));
    }
    let service_level_s = seconds("service_level", &raw.service_level, "20s")?;
    let presence_gap_s = seconds("presence_gap", &raw.presence_gap, "15m")? as i64;
    let presence_pad_s = seconds("presence_pad", &raw.presence_pad, "0s")? as i64;
    let delimiter = match raw.delimiter.as_deref() {
        None => None,
        Some("tab") => Some(b'\t'),
        Some("comma") => Some(b','),
        Some("semicolon") => Some(b';'),
        Some(other) => return Err(fault("delimiter", format!("{other:?} is not tab, comma or semicolon"))),
    };
    let format = |key: &str, v: &Option<String>| -> std::result::Result<Option<TimeFormat>, Fault> {
        v.as_deref().map(|f| TimeFormat::parse(f).map_err(|e| fault(format!("formats.{key}"), e))).transpose()
    };
    let f = &raw.formats;
    let timing = match (&raw.columns.date, format("date", &f.date)?, format("time", &f.time)?) {
        (Some(_), Some(date), Some(time)) => Timing::DateAndTime { date, time },
        (Some(_), date, _) => {
            let key = if date.is_none() { "formats.date" } else { "formats.time" };
            return Err(fault(key, "is required when columns.date is set (set formats.date and formats.time)"));
        }
        (None, _, _) => Timing::DateTime(format("datetime", &f.datetime)?.ok_or_else(|| {
            fault(
                "formats.datetime",
                "is required without columns.date (or set columns.date, formats.date, formats.time)",
            )
        })?),
    };
    let c = &raw.columns;
    if c.wait.is_none() && c.queue_exit.is_none() {
        return Err(fault("columns", "set wait (seconds in queue) or queue_exit (time leaving the queue)"));
    }
    let o = &raw.outcomes;
    for (key, values) in [("outcomes.served", &o.served), ("outcomes.abandoned", &o.abandoned)] {
        if values.is_empty() {
            return Err(fault(key, "list at least one value of the outcome column"));
        }
    }
    if let Some(v) = o.abandoned.iter().find(|v| o.served.contains(v)) {
        return Err(fault("outcomes.abandoned", format!("{v:?} is listed twice (also in outcomes.served)")));
    }
    for v in &o.skipped {
        if let Some(other) = [("served", &o.served), ("abandoned", &o.abandoned)].iter().find(|(_, l)| l.contains(v)) {
            return Err(fault("outcomes.skipped", format!("{v:?} is listed twice (also in outcomes.{})", other.0)));
        }
    }
    priority_classes(&raw)?;
    Ok(Mapping {
        delimiter,
        interval_s,
        service_level_s,
        presence_gap_s,
        presence_pad_s,
        columns: raw.columns,
        timing,
        no_time: raw.formats.no_time,
        no_agent: raw.formats.no_agent,
        outcomes: raw.outcomes,
        priority_classes: raw.priority_class,
    })
}

/// Where a dotted key (`outcomes.served`, `priority_class[2].values`) is written: the span of its deepest part
/// present in the file (the table holding a missing key), or `None` when not even its first part is.
fn locate(root: &DeTable<'_>, key: &str) -> Option<std::ops::Range<usize>> {
    let mut table = root;
    let mut found = None;
    for part in key.split('.') {
        let (name, item) = match part.split_once('[') {
            Some((name, rest)) => (name, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (part, None),
        };
        let Some((k, v)) = table.iter().find(|(k, _)| k.get_ref().as_ref() == name) else { break };
        found = Some(k.span());
        let value = match (item, v.get_ref().as_array()) {
            (Some(n), Some(items)) => match items.get(n.wrapping_sub(1)) {
                Some(entry) => {
                    found = Some(entry.span());
                    entry.get_ref()
                }
                None => break,
            },
            _ => v.get_ref(),
        };
        match value.as_table() {
            Some(t) => table = t,
            None => break,
        }
    }
    found
}

/// Checks `[[priority_class]]`: only with a priority column; names usable as workstream and queue names and
/// unique; every class has values, and no value is in two classes.
fn priority_classes(raw: &RawMapping) -> std::result::Result<(), Fault> {
    let classes = &raw.priority_class;
    if classes.is_empty() {
        return Ok(());
    }
    if raw.columns.priority.is_none() {
        return Err(fault("priority_class", "needs columns.priority, the column whose values the classes list"));
    }
    if classes.len() > MAX_CLASSES {
        return Err(fault("priority_class", format!("{} classes; at most {MAX_CLASSES} are supported", classes.len())));
    }
    for (i, c) in classes.iter().enumerate() {
        let key = format!("priority_class[{}]", i + 1);
        if c.name.is_empty() || !c.name.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_') {
            return Err(fault(
                format!("{key}.name"),
                format!("{:?} is not a usable name: use letters, digits, - and _ only", c.name),
            ));
        }
        if classes[..i].iter().any(|d| d.name == c.name) {
            return Err(fault(
                format!("{key}.name"),
                format!("{:?} is the name of an earlier class; names must be unique", c.name),
            ));
        }
        if c.values.is_empty() {
            return Err(fault(format!("{key}.values"), "list at least one value of the priority column"));
        }
        if let Some(v) = c.values.iter().find(|v| classes[..i].iter().any(|d| d.values.contains(v))) {
            return Err(fault(format!("{key}.values"), format!("{v:?} is already in an earlier class")));
        }
    }
    Ok(())
}
