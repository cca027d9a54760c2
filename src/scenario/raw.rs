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
    /// The channels customers come through, each live or persistent (routing depth).
    pub workstream: At<Vec<Spanned<RawWorkstream>>>,
    /// The queues workstreams feed and agent groups serve.
    pub queue: At<Vec<Spanned<RawQueue>>>,
    /// Push offers: agents accept or decline each assignment.
    pub offers: At<RawOffers>,
}

/// `[hours]`: opening spans per weekday and closed dates.
#[derive(Debug, Clone, Deserialize)]
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
#[derive(Debug, Clone, Deserialize)]
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
#[derive(Debug, Clone, Default, Deserialize)]
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
    /// `[[agents.group]]`: agent groups, each with its own roster; `[agents]` then gives the defaults.
    pub group: At<Vec<Spanned<RawGroup>>>,
}

/// One `[[agents.group]]` table: a name, the queues it serves, skills, and any `[agents]` key of its own.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGroup {
    /// Unique name, used in reports and in `--set agents.group.NAME.KEY`.
    pub name: At<String>,
    /// The queues its agents take work from.
    pub queues: At<Vec<Spanned<String>>>,
    /// Skill ratings, 1 to 5, by skill name.
    pub skills: At<Named<i64>>,
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

impl RawGroup {
    /// The group's `[agents]` keys laid over `[agents]`'s own: each key the group gives wins; the roster
    /// (count, shifts, schedule) is always the group's own.
    pub fn over(&self, base: &RawAgents) -> RawAgents {
        RawAgents {
            count: self.count.clone(),
            shifts: self.shifts.clone(),
            schedule: self.schedule.clone(),
            scale: self.scale.clone().or_else(|| base.scale.clone()),
            shrinkage: self.shrinkage.clone().or_else(|| base.shrinkage.clone()),
            capacity: self.capacity.clone().or_else(|| base.capacity.clone()),
            attention: self.attention.clone().or_else(|| base.attention.clone()),
            reply: self.reply.clone().or_else(|| base.reply.clone()),
            slowdown: self.slowdown.clone().or_else(|| base.slowdown.clone()),
            wrap_up: self.wrap_up.clone().or_else(|| base.wrap_up.clone()),
            wrap_up_holds_capacity: self.wrap_up_holds_capacity.clone().or_else(|| base.wrap_up_holds_capacity.clone()),
            group: None,
        }
    }
}

/// One entry of `agents.shifts`.
#[derive(Debug, Clone, Deserialize)]
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
    /// With `[[workstream]]`: dotted keys set on top of the file for this policy, like `--set`.
    pub set: At<toml::Table>,
}

/// One `[[workstream]]` table: a channel with its mode, where its conversations come from and go.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWorkstream {
    /// Unique name, used in reports and in `--set workstream.NAME.KEY`.
    pub name: At<String>,
    /// `live` or `persistent`.
    pub mode: At<String>,
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
    /// Share of `[arrivals]` entering here.
    pub share: At<f64>,
    /// Its own arrival stream, instead of a share.
    pub arrivals: At<RawArrivals>,
    /// The queue its conversations go to.
    pub queue: At<String>,
    /// Capacity units one of its conversations takes.
    pub units: At<i64>,
    /// Share of its conversations needing each skill, by skill name.
    pub skills: At<Named<f64>>,
    /// `always`, `never` or a duration.
    pub wrap_up_holds_capacity: At<String>,
}

/// One `[[queue]]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQueue {
    /// Unique name, used in reports and in `--set queue.NAME.KEY`.
    pub name: At<String>,
    /// Lower goes first.
    pub priority: At<i64>,
    /// `highest_capacity`, `round_robin` or `least_active`.
    pub assignment: At<String>,
    /// `"default"` or a table like `[hours]`.
    pub hours: At<RawQueueHours>,
    /// `exact` or `closest`.
    pub skill_match: At<String>,
    /// Overflow rules, in the order they are tried.
    pub overflow: At<Vec<Spanned<RawOverflow>>>,
}

/// A queue's `hours`: a word (`"default"`) or its own `[hours]`-like table.
#[derive(Debug)]
pub enum RawQueueHours {
    /// A word, such as `"default"`.
    Word(String),
    /// Its own opening hours.
    Table(Box<RawHours>),
}

impl<'de> Deserialize<'de> for RawQueueHours {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawQueueHours;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("\"default\" or a table like [hours], such as { mon = \"08:00-20:00\" }")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawQueueHours, E> {
                Ok(RawQueueHours::Word(v.to_owned()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawQueueHours, A::Error> {
                RawHours::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|h| RawQueueHours::Table(Box::new(h)))
            }
        }
        d.deserialize_any(V)
    }
}

/// One overflow rule: `{ when = "more_waiting_than", value = 50, action = "transfer", to = "backup" }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOverflow {
    /// `out_of_hours`, `more_waiting_than` or `waited_longer_than`.
    pub when: At<String>,
    /// The condition's threshold: a whole number or a duration.
    pub value: At<NumberOrText>,
    /// `end`, `transfer` or `assign_anyway`.
    pub action: At<String>,
    /// The queue a transfer goes to.
    pub to: At<String>,
}

/// A whole number or a text, kept as written for validation.
#[derive(Debug, Clone)]
pub enum NumberOrText {
    /// A TOML integer.
    Number(i64),
    /// A TOML string.
    Text(String),
}

impl<'de> Deserialize<'de> for NumberOrText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = NumberOrText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a whole number or a duration in quotes")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<NumberOrText, E> {
                Ok(NumberOrText::Number(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<NumberOrText, E> {
                Ok(NumberOrText::Number(i64::try_from(v).unwrap_or(i64::MAX)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<NumberOrText, E> {
                Ok(NumberOrText::Text(v.to_owned()))
            }
        }
        d.deserialize_any(V)
    }
}

/// `[offers]`: push offers.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOffers {
    /// How long an offer stays open.
    pub countdown: At<DurationText>,
    /// Time an agent takes to accept.
    pub accept: At<RawDist>,
    /// Chance an agent declines an offer.
    pub decline: At<f64>,
    /// Declines of one conversation after which the agent is not offered it again.
    pub decline_limit: At<i64>,
}

/// A table of values by name, in file order: `{ french = 0.2, german = 0.1 }`.
#[derive(Debug, Clone)]
pub struct Named<T>(pub Vec<(String, Spanned<T>)>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Named<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Named<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a table of names and values, such as { french = 0.2 }")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Named<T>, A::Error> {
                let mut items = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    items.push((key, map.next_value::<Spanned<T>>()?));
                }
                Ok(Named(items))
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

/// A duration distribution table: `{ dist = "lognormal", mean = "40s", sd = "30s" }`.
#[derive(Debug, Clone, Deserialize)]
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
