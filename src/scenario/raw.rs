//! The scenario file exactly as written: serde structs that mirror the TOML, nothing checked yet.
//!
//! This is the first of the two loading stages. Every table refuses unknown keys, so a typo is reported
//! instead of being silently ignored. Every value keeps its position in the file (`Spanned`), so the second
//! stage (validation) can say on which line a wrong value sits. Required keys are `Option` here on purpose:
//! validation reports a missing key with a message that says what to write.

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;
use toml::Spanned;

/// A value with its byte range in the scenario file.
pub type At<T> = Option<Spanned<T>>;

/// The whole file: top-level keys and the tables below them.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    /// Scenario name, used in reports.
    pub name: At<String>,
    /// Seed of the random streams.
    pub seed: At<i64>,
    /// Civil date and time of simulation time zero.
    pub start: At<TextOrDate>,
    /// Length of the measured window.
    pub duration: At<DurationText>,
    /// Simulated time before the window, not measured.
    pub warmup: At<DurationText>,
    /// How long open conversations are followed after the window.
    pub drain: At<DurationText>,
    /// Independent repetitions of the run.
    pub replications: At<i64>,
    /// Threshold of the service-level metric.
    pub service_level: At<DurationText>,
    /// Bucket length of the interval report.
    pub interval: At<DurationText>,
    /// Queue operating hours.
    pub hours: At<RawHours>,
    /// How conversations arrive.
    pub arrivals: At<RawArrivals>,
    /// How customers behave.
    pub customer: At<RawCustomer>,
    /// Who answers and how fast.
    pub agents: At<RawAgents>,
    /// The routing policies to compare.
    pub policy: At<Vec<Spanned<RawPolicy>>>,
}

/// `[hours]`: opening spans per weekday and closed dates.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHours {
    /// Monday.
    pub mon: At<OneOrMany>,
    /// Tuesday.
    pub tue: At<OneOrMany>,
    /// Wednesday.
    pub wed: At<OneOrMany>,
    /// Thursday.
    pub thu: At<OneOrMany>,
    /// Friday.
    pub fri: At<OneOrMany>,
    /// Saturday.
    pub sat: At<OneOrMany>,
    /// Sunday.
    pub sun: At<OneOrMany>,
    /// Whole dates the queue is closed.
    pub closed_dates: At<Vec<Spanned<TextOrDate>>>,
}

/// `[arrivals]`: a rate with profiles, or a trace file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawArrivals {
    /// Conversations per hour when every factor is 1.
    pub rate: At<f64>,
    /// 24 hour-of-day factors.
    pub hourly: At<Vec<Spanned<f64>>>,
    /// 7 day-of-week factors, Monday first.
    pub weekly: At<Vec<Spanned<f64>>>,
    /// Path of a CSV of recorded arrivals.
    pub trace: At<String>,
}

/// `[customer]`: sessions, messages and timings of the customers.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCustomer {
    /// Sessions per conversation.
    pub sessions: At<RawCountDist>,
    /// Customer messages per session.
    pub messages: At<RawCountDist>,
    /// Agent reply to the customer's next message.
    pub think: At<RawDist>,
    /// Gap between sessions.
    pub away: At<RawDist>,
    /// Time a customer waits in a live queue before leaving.
    pub patience: At<RawDist>,
    /// Chance the customer drops the conversation before a next session.
    pub never_return: At<f64>,
    /// Live: chance a refused or abandoned customer tries again.
    pub retry: At<f64>,
    /// Live: delay before that try.
    pub retry_after: At<RawDist>,
    /// Persistent: how long a customer keeps the chat open waiting for a reply.
    pub online: At<RawDist>,
}

/// `[agents]`: headcount, capacity and working speed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAgents {
    /// A fixed headcount.
    pub count: At<i64>,
    /// Weekly shifts.
    pub shifts: At<Vec<Spanned<RawShift>>>,
    /// Path of a CSV headcount schedule.
    pub schedule: At<String>,
    /// Multiplier of every headcount of the roster.
    pub scale: At<f64>,
    /// Share of scheduled agents not online.
    pub shrinkage: At<f64>,
    /// Concurrent conversations per agent.
    pub capacity: At<i64>,
    /// `single` or `parallel`.
    pub attention: At<String>,
    /// Time to write one reply.
    pub reply: At<RawDist>,
    /// Reply time multipliers by number of active conversations.
    pub slowdown: At<Vec<Spanned<f64>>>,
    /// After-conversation work.
    pub wrap_up: At<RawDist>,
    /// Whether wrap-up keeps the conversation's capacity.
    pub wrap_up_holds_capacity: At<bool>,
}

/// One entry of `agents.shifts`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawShift {
    /// Weekdays the shift starts on: `"mon-fri"`, `"sat,sun"`, `["mon", "wed"]`.
    pub days: At<OneOrMany>,
    /// Start time of day, `"08:00"`.
    pub start: At<String>,
    /// End time of day, `"16:00"`; not after the start means the next day.
    pub end: At<String>,
    /// Agents on this shift.
    pub count: At<i64>,
}

/// One `[[policy]]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPolicy {
    /// Unique name, used in reports and in `--set policy.NAME.KEY`.
    pub name: At<String>,
    /// `live` or `persistent`.
    pub mode: At<String>,
    /// `highest_capacity`, `round_robin` or `least_active`.
    pub assignment: At<String>,
    /// Live: customer silence that ends the conversation.
    pub end_after_idle: At<DurationText>,
    /// Persistent: customer silence that parks the conversation.
    pub park_after_idle: At<DurationText>,
    /// Persistent: send a returning customer back to the same agent.
    pub same_agent: At<bool>,
    /// Persistent: how long a returning customer waits for a signed-out previous agent.
    pub same_agent_wait: At<DurationText>,
    /// Persistent: a parked conversation with no customer message this long is closed.
    pub auto_close_after: At<DurationText>,
}

/// A duration distribution table: `{ dist = "lognormal", mean = "40s", sd = "30s" }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDist {
    /// Distribution name.
    pub dist: At<String>,
    /// Constant value.
    pub value: At<DurationText>,
    /// Mean.
    pub mean: At<DurationText>,
    /// Standard deviation.
    pub sd: At<DurationText>,
    /// Uniform lower bound.
    pub min: At<DurationText>,
    /// Uniform upper bound.
    pub max: At<DurationText>,
    /// Empirical samples file (seconds).
    pub file: At<String>,
}

/// A count distribution table: `{ dist = "geometric", mean = 2 }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCountDist {
    /// Distribution name.
    pub dist: At<String>,
    /// Constant value.
    pub value: At<i64>,
    /// Mean.
    pub mean: At<f64>,
    /// Uniform lower bound.
    pub min: At<i64>,
    /// Uniform upper bound.
    pub max: At<i64>,
    /// Empirical samples file (whole numbers).
    pub file: At<String>,
}

/// A duration as written, `"1h30m"`; parsed during validation.
#[derive(Debug, Clone)]
pub struct DurationText(pub String);

impl<'de> Deserialize<'de> for DurationText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = DurationText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a duration in quotes, such as \"90s\", \"5m\" or \"1h30m\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DurationText, E> {
                Ok(DurationText(v.to_owned()))
            }
        }
        d.deserialize_any(V)
    }
}

/// A date or timestamp, written in quotes or as a bare TOML date; kept as text for validation.
#[derive(Debug, Clone)]
pub struct TextOrDate(pub String);

impl<'de> Deserialize<'de> for TextOrDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = TextOrDate;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date such as \"2024-01-01\" or a timestamp such as \"2024-01-01T08:00:00\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<TextOrDate, E> {
                Ok(TextOrDate(v.to_owned()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<TextOrDate, A::Error> {
                let date = toml::value::Datetime::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(TextOrDate(date.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// One string or a list of strings: `"08:00-20:00"` or `["08:00-12:00", "13:00-20:00"]`.
#[derive(Debug, Clone)]
pub struct OneOrMany(pub Vec<String>);

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = OneOrMany;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string or a list of strings")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<OneOrMany, E> {
                Ok(OneOrMany(vec![v.to_owned()]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<OneOrMany, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<String>()? {
                    items.push(item);
                }
                Ok(OneOrMany(items))
            }
        }
        d.deserialize_any(V)
    }
}
