//! The second loading stage: the raw file checked rule by rule and turned into a [`Scenario`].
//!
//! Every rule is checked here, once, with an error naming the key; nothing downstream re-validates.

use super::calendar::{WEEKDAYS, parse_clock, parse_date, parse_day_hours, parse_days, parse_timestamp};
use super::check::{Checker, TEN_YEARS};
use super::dist::{CountDist, Dist};
use super::dist_spec::{count_dist, duration_dist};
use super::model::{Agents, Arrivals, Attention, Customer, DEFAULT_DRAIN, ModeSpec, PolicySpec, Scenario};
use super::raw::{RawAgents, RawArrivals, RawCustomer, RawHours, RawPolicy, RawScenario, RawShift};
use super::staffing::{Shift, Staffing};
use super::trace::{read_schedule, read_trace};
use crate::Result;
use crate::routing::{AssignmentMethod, Millis, OperatingHours, Origin, Span, days_from_civil};
use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;
use toml::Spanned;

/// The most agents a scenario may staff at once.
pub const MAX_AGENTS: u32 = 100_000;
/// The most shifts a staffing plan may list.
pub const MAX_SHIFTS: usize = 1_000;
/// The largest capacity of one agent.
pub const MAX_CAPACITY: i64 = 1_000;
/// The most replications of one run.
pub const MAX_REPLICATIONS: i64 = 10_000;
/// The highest arrival rate, per hour.
pub const MAX_RATE: f64 = 1_000_000.0;

/// The whole document spans from its first byte: a missing top-level key is reported at line 1.
const TOP: Range<usize> = 0..0;

/// Checks a raw scenario and builds the model; `file` is recorded in the scenario.
pub fn validate(raw: RawScenario, c: &Checker<'_>, file: &Path) -> Result<Scenario> {
    let name = c.required(&raw.name, &TOP, "name", "name = \"retail-support\"")?;
    if name.get_ref().trim().is_empty() {
        return Err(c.src.error(&name.span(), "name", "must not be empty"));
    }
    let seed = c.whole_or(&raw.seed, "seed", 0, i64::MAX, 1)? as u64;
    let origin = match &raw.start {
        Some(s) => parse_timestamp(&s.get_ref().0).map_err(|e| c.src.error(&s.span(), "start", e))?,
        None => Origin::midnight(days_from_civil(2024, 1, 1)),
    };
    let duration = c.duration(
        c.required(&raw.duration, &TOP, "duration", "duration = \"14d\"")?,
        "duration",
        Millis(1),
        TEN_YEARS,
    )?;
    let warmup = c.duration_or(&raw.warmup, "warmup", Millis::ZERO, TEN_YEARS, Millis::ZERO)?;
    let drain = c.duration_or(&raw.drain, "drain", Millis::ZERO, TEN_YEARS, DEFAULT_DRAIN)?;
    let replications = c.whole_or(&raw.replications, "replications", 1, MAX_REPLICATIONS, 1)? as u32;
    let service_level =
        c.duration_or(&raw.service_level, "service_level", Millis(1), TEN_YEARS, Millis::from_secs(60))?;
    let interval = c.duration_or(&raw.interval, "interval", Millis::MINUTE, TEN_YEARS, Millis::from_mins(30))?;
    let hours = match &raw.hours {
        Some(h) => hours(c, h, origin)?,
        None => OperatingHours::always_open(origin),
    };
    let arrivals_table = c.required(&raw.arrivals, &TOP, "arrivals", "[arrivals] with rate = 60")?;
    let arrivals = arrivals(c, arrivals_table, origin)?;
    let customer = match &raw.customer {
        Some(t) => customer(c, t.get_ref())?,
        None => default_customer()?,
    };
    let agents_table = c.required(&raw.agents, &TOP, "agents", "[agents] with count = 20 and reply = { ... }")?;
    let agents = agents(c, agents_table, origin)?;
    let policies = policies(c, &raw.policy)?;
    Ok(Scenario {
        name: name.get_ref().trim().to_string(),
        file: file.to_path_buf(),
        seed,
        origin,
        duration,
        warmup,
        drain,
        replications,
        service_level,
        interval,
        hours,
        arrivals,
        customer,
        agents,
        policies,
    })
}

fn hours(c: &Checker<'_>, raw: &Spanned<RawHours>, origin: Origin) -> Result<OperatingHours> {
    let h = raw.get_ref();
    let days = [&h.mon, &h.tue, &h.wed, &h.thu, &h.fri, &h.sat, &h.sun];
    let mut week: [Vec<Span>; 7] = Default::default();
    for (i, day) in days.iter().enumerate() {
        if let Some(day) = day {
            let key = format!("hours.{}", WEEKDAYS[i]);
            week[i] = parse_day_hours(&day.get_ref().0).map_err(|e| c.src.error(&day.span(), &key, e))?;
        }
    }
    if week.iter().all(Vec::is_empty) {
        return Err(c.src.error(
            &raw.span(),
            "hours",
            "every day is closed, so the queue never opens; give opening hours such as mon = \"08:00-20:00\", or remove [hours] for 24/7",
        ));
    }
    let mut closed = Vec::new();
    for d in h.closed_dates.iter().flat_map(|list| list.get_ref().iter()) {
        closed.push(parse_date(&d.get_ref().0).map_err(|e| c.src.error(&d.span(), "hours.closed_dates", e))?);
    }
    Ok(OperatingHours::weekly(origin, week, closed))
}

fn arrivals(c: &Checker<'_>, raw: &Spanned<RawArrivals>, origin: Origin) -> Result<Arrivals> {
    let a = raw.get_ref();
    match (&a.rate, &a.trace) {
        (Some(_), Some(t)) => Err(c.src.error(&t.span(), "arrivals.trace", "give either rate or trace, not both")),
        (None, None) => Err(c.src.missing(
            &raw.span(),
            "arrivals.rate",
            "rate = 60 (conversations per hour), or trace = \"arrivals.csv\"",
        )),
        (None, Some(t)) => {
            for (key, v) in [("arrivals.hourly", &a.hourly), ("arrivals.weekly", &a.weekly)] {
                if let Some(v) = v {
                    return Err(c.src.error(&v.span(), key, "shapes a rate; a trace already has its arrival times"));
                }
            }
            let path = c.data_file(t, "arrivals.trace")?;
            Ok(Arrivals::Trace(read_trace(&path, origin)?))
        }
        (Some(rate), None) => {
            let per_hour =
                c.number(rate, "arrivals.rate", 0.0, MAX_RATE, "a number of conversations per hour from 0 to 1000000")?;
            if per_hour == 0.0 {
                return Err(c.src.error(&rate.span(), "arrivals.rate", "must be positive, got 0"));
            }
            let hourly: [f64; 24] = factors(c, &a.hourly, "arrivals.hourly", "hour of the day, midnight first")?;
            let weekly: [f64; 7] = factors(c, &a.weekly, "arrivals.weekly", "day of the week, Monday first")?;
            Ok(Arrivals::Rate { per_hour, hourly, weekly })
        }
    }
}

/// Exactly N non-negative factors, not all zero; all ones when absent.
fn factors<const N: usize>(
    c: &Checker<'_>,
    raw: &Option<Spanned<Vec<Spanned<f64>>>>,
    key: &str,
    per: &str,
) -> Result<[f64; N]> {
    let Some(list) = raw else { return Ok([1.0; N]) };
    if list.get_ref().len() != N {
        return Err(c.src.error(
            &list.span(),
            key,
            format!("must list {N} factors, one per {per}; got {}", list.get_ref().len()),
        ));
    }
    let mut out = [0.0; N];
    for (i, f) in list.get_ref().iter().enumerate() {
        out[i] = c.number(f, key, 0.0, 1_000.0, &format!("a factor from 0 to 1000 (item {})", i + 1))?;
    }
    if out.iter().all(|f| *f == 0.0) {
        return Err(c.src.error(&list.span(), key, "every factor is 0, so no customer would ever arrive"));
    }
    Ok(out)
}

fn default_customer() -> Result<Customer> {
    Ok(Customer {
        sessions: CountDist::constant(1),
        messages: CountDist::constant(1),
        think: Dist::constant(Millis::from_secs(30)),
        away: Dist::exponential(Millis::from_hours(4)).map_err(crate::Error::Other)?,
        patience: None,
        never_return: 0.0,
    })
}

fn customer(c: &Checker<'_>, r: &RawCustomer) -> Result<Customer> {
    let defaults = default_customer()?;
    Ok(Customer {
        sessions: r.sessions.as_ref().map_or(Ok(defaults.sessions), |d| count_dist(c, d, "customer.sessions"))?,
        messages: r.messages.as_ref().map_or(Ok(defaults.messages), |d| count_dist(c, d, "customer.messages"))?,
        think: r.think.as_ref().map_or(Ok(defaults.think), |d| duration_dist(c, d, "customer.think"))?,
        away: r.away.as_ref().map_or(Ok(defaults.away), |d| duration_dist(c, d, "customer.away"))?,
        patience: r.patience.as_ref().map(|d| duration_dist(c, d, "customer.patience")).transpose()?,
        never_return: match &r.never_return {
            Some(v) => c.number(v, "customer.never_return", 0.0, 1.0, "a chance from 0 to 1")?,
            None => 0.0,
        },
    })
}

fn agents(c: &Checker<'_>, raw: &Spanned<RawAgents>, origin: Origin) -> Result<Agents> {
    let a = raw.get_ref();
    let given: Vec<(&str, Range<usize>)> = [
        ("count", a.count.as_ref().map(Spanned::span)),
        ("shifts", a.shifts.as_ref().map(Spanned::span)),
        ("schedule", a.schedule.as_ref().map(Spanned::span)),
    ]
    .into_iter()
    .filter_map(|(k, s)| s.map(|s| (k, s)))
    .collect();
    if given.is_empty() {
        return Err(c.src.missing(
            &raw.span(),
            "agents.count",
            "count = 20, or shifts = [...], or schedule = \"staffing.csv\"",
        ));
    }
    if given.len() > 1 {
        let (k, span) = &given[1];
        return Err(c.src.error(
            span,
            &format!("agents.{k}"),
            format!("give only one of count, shifts and schedule; {} is already given", given[0].0),
        ));
    }
    let staffing = if let Some(n) = &a.count {
        Staffing::Count(c.whole(n, "agents.count", 1, i64::from(MAX_AGENTS))? as u32)
    } else if let Some(shifts) = &a.shifts {
        let list = shifts.get_ref().iter().enumerate().map(|(i, s)| shift(c, s, i)).collect::<Result<Vec<_>>>()?;
        if list.is_empty() || list.len() > MAX_SHIFTS {
            let what = format!("must list from 1 to {MAX_SHIFTS} shifts, got {}", list.len());
            return Err(c.src.error(&shifts.span(), "agents.shifts", what));
        }
        let staffing = Staffing::Shifts(list);
        if staffing.max_agents() > MAX_AGENTS {
            return Err(c.src.error(
                &shifts.span(),
                "agents.shifts",
                format!("staff up to {} agents at once; at most {MAX_AGENTS} are supported", staffing.max_agents()),
            ));
        }
        staffing
    } else {
        let file = a.schedule.as_ref().map(|s| c.data_file(s, "agents.schedule")).transpose()?.unwrap_or_default();
        Staffing::Schedule(read_schedule(&file, origin, MAX_AGENTS)?)
    };
    if staffing.max_agents() == 0 {
        return Err(c.src.error(&given[0].1, &format!("agents.{}", given[0].0), "never staffs a single agent"));
    }
    let capacity = c.whole_or(&a.capacity, "agents.capacity", 1, MAX_CAPACITY, 1)? as u32;
    let attention = match &a.attention {
        Some(v) => {
            c.choice(v, "agents.attention", &[("single", Attention::Single), ("parallel", Attention::Parallel)])?
        }
        None => Attention::Single,
    };
    let reply = duration_dist(
        c,
        c.required(
            &a.reply,
            &raw.span(),
            "agents.reply",
            "reply = { dist = \"lognormal\", mean = \"45s\", sd = \"25s\" }",
        )?,
        "agents.reply",
    )?;
    let mut slowdown = Vec::new();
    if let Some(list) = &a.slowdown {
        if list.get_ref().len() > 1_000 {
            return Err(c.src.error(&list.span(), "agents.slowdown", "lists more than 1000 factors"));
        }
        for f in list.get_ref() {
            let x = c.number(f, "agents.slowdown", 0.0, 100.0, "a multiplier above 0 and at most 100")?;
            if x == 0.0 {
                return Err(c.src.error(&f.span(), "agents.slowdown", "a multiplier must be above 0, got 0"));
            }
            slowdown.push(x);
        }
    }
    let wrap_up = match &a.wrap_up {
        Some(d) => duration_dist(c, d, "agents.wrap_up")?,
        None => Dist::constant(Millis::ZERO),
    };
    let wrap_up_holds_capacity = a.wrap_up_holds_capacity.as_ref().is_none_or(|v| *v.get_ref());
    Ok(Agents { staffing, capacity, attention, reply, slowdown, wrap_up, wrap_up_holds_capacity })
}

fn shift(c: &Checker<'_>, raw: &Spanned<RawShift>, index: usize) -> Result<Shift> {
    let key = format!("agents.shifts[{}]", index + 1);
    let k = |p: &str| format!("{key}.{p}");
    let s = raw.get_ref();
    let days = match &s.days {
        Some(d) => parse_days(&d.get_ref().0).map_err(|e| c.src.error(&d.span(), &k("days"), e))?,
        None => [true; 7],
    };
    let clock = |v: &Option<Spanned<String>>, name: &str, example: &str| -> Result<u32> {
        let v = c.required(v, &raw.span(), &k(name), example)?;
        parse_clock(v.get_ref(), name == "end").map_err(|e| c.src.error(&v.span(), &k(name), e))
    };
    let start_min = clock(&s.start, "start", "start = \"08:00\"")?;
    let end_min = clock(&s.end, "end", "end = \"16:00\"")?;
    let count =
        c.whole(c.required(&s.count, &raw.span(), &k("count"), "count = 10")?, &k("count"), 1, i64::from(MAX_AGENTS))?
            as u32;
    Ok(Shift { days, start_min, end_min, count })
}

fn policies(c: &Checker<'_>, raw: &Option<Spanned<Vec<Spanned<RawPolicy>>>>) -> Result<Vec<PolicySpec>> {
    let example = "a [[policy]] table with name = \"live\" and mode = \"live\"";
    let list = c.required(raw, &TOP, "policy", example)?;
    if list.get_ref().is_empty() {
        return Err(c.src.missing(&list.span(), "policy", example));
    }
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (i, p) in list.get_ref().iter().enumerate() {
        let spec = policy(c, p, i)?;
        if !seen.insert(spec.name.clone()) {
            let span = p.get_ref().name.as_ref().map_or(p.span(), Spanned::span);
            return Err(c.src.error(
                &span,
                &format!("policy.{}.name", spec.name),
                "another policy already has this name; names must be unique",
            ));
        }
        out.push(spec);
    }
    Ok(out)
}

fn policy(c: &Checker<'_>, raw: &Spanned<RawPolicy>, index: usize) -> Result<PolicySpec> {
    let p = raw.get_ref();
    let fallback = format!("policy[{}]", index + 1);
    let name_v = c.required(&p.name, &raw.span(), &format!("{fallback}.name"), "name = \"live\"")?;
    let name = name_v.get_ref().trim().to_string();
    if name.is_empty() || !name.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_') {
        return Err(c.src.error(
            &name_v.span(),
            &format!("{fallback}.name"),
            format!("{name:?} is not a usable name: use letters, digits, - and _ only"),
        ));
    }
    let k = |key: &str| format!("policy.{name}.{key}");
    let mode_v = c.required(&p.mode, &raw.span(), &k("mode"), "mode = \"live\" or mode = \"persistent\"")?;
    let persistent = c.choice(mode_v, &k("mode"), &[("live", false), ("persistent", true)])?;
    let assignment = match &p.assignment {
        Some(v) => c.choice(
            v,
            &k("assignment"),
            &[
                ("highest_capacity", AssignmentMethod::HighestCapacity),
                ("round_robin", AssignmentMethod::RoundRobin),
                ("least_active", AssignmentMethod::LeastActive),
            ],
        )?,
        None => AssignmentMethod::HighestCapacity,
    };
    let mode_name = if persistent { "persistent" } else { "live" };
    let foreign: Vec<(&str, Option<Range<usize>>)> = if persistent {
        vec![("end_after_idle", p.end_after_idle.as_ref().map(Spanned::span))]
    } else {
        vec![
            ("park_after_idle", p.park_after_idle.as_ref().map(Spanned::span)),
            ("same_agent", p.same_agent.as_ref().map(Spanned::span)),
            ("same_agent_wait", p.same_agent_wait.as_ref().map(Spanned::span)),
            ("auto_close_after", p.auto_close_after.as_ref().map(Spanned::span)),
        ]
    };
    for (key, span) in foreign {
        if let Some(span) = span {
            let other = if persistent { "live" } else { "persistent" };
            return Err(c.src.error(
                &span,
                &k(key),
                format!("belongs to {other} policies, but this policy's mode is {mode_name}"),
            ));
        }
    }
    let mode = if persistent {
        ModeSpec::Persistent {
            park_after_idle: c.duration_or(
                &p.park_after_idle,
                &k("park_after_idle"),
                Millis(1),
                TEN_YEARS,
                Millis::from_mins(10),
            )?,
            same_agent: p.same_agent.as_ref().is_none_or(|v| *v.get_ref()),
            same_agent_wait: c.duration_or(
                &p.same_agent_wait,
                &k("same_agent_wait"),
                Millis::ZERO,
                TEN_YEARS,
                Millis::HOUR,
            )?,
            auto_close_after: c.duration_or(
                &p.auto_close_after,
                &k("auto_close_after"),
                Millis(1),
                TEN_YEARS,
                Millis(7 * Millis::DAY.0),
            )?,
        }
    } else {
        ModeSpec::Live {
            end_after_idle: c.duration_or(
                &p.end_after_idle,
                &k("end_after_idle"),
                Millis(1),
                TEN_YEARS,
                Millis::from_mins(3),
            )?,
        }
    };
    Ok(PolicySpec { name, assignment, mode })
}
