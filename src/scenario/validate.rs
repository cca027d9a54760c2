//! The second loading stage: the raw file checked rule by rule and turned into a [`Scenario`].
//!
//! Every rule is checked here, once, with an error naming the key; nothing downstream re-validates. The top-level
//! keys, hours, arrivals and customers are checked in this file; agents, policies and distribution tables in
//! their own files.

use super::agents_spec::agents;
use super::calendar::{WEEKDAYS, parse_date, parse_day_hours, timestamp};
use super::check::{Checker, TEN_YEARS};
use super::dist::{CountDist, Dist};
use super::dist_spec::{count_dist, duration_dist};
use super::model::{Arrivals, Customer, DEFAULT_DRAIN, Scenario};
use super::policy_spec::{policies, setup_policies};
use super::raw::{RawArrivals, RawCustomer, RawHours, RawScenario};
use super::routing_spec::routing_spec;
use super::trace::read_trace;
use crate::Result;
use crate::hours::{OperatingHours, Origin, Span, days_from_civil};
use crate::routing::Millis;
use std::ops::Range;
use std::path::Path;
use toml::Spanned;

/// The most replications of one run.
pub const MAX_REPLICATIONS: i64 = 10_000;
/// The highest arrival rate, per hour.
pub const MAX_RATE: f64 = 1_000_000.0;

/// The whole document spans from its first byte: a missing top-level key is reported at line 1.
const TOP: Range<usize> = 0..0;

/// Checks a raw scenario and builds the model; `file` is recorded in the scenario. With `[[workstream]]` every
/// policy starts as the file's own set-up (the loader then applies each policy's `set`); `agents` is then the
/// first group's.
pub fn validate(raw: RawScenario, c: &Checker<'_>, file: &Path) -> Result<Scenario> {
    let name = c.required(&raw.name, &TOP, "name", "name = \"retail-support\"")?;
    if name.get_ref().trim().is_empty() {
        return Err(c.src.error(&name.span(), "name", "must not be empty"));
    }
    let seed = c.whole_or(&raw.seed, "seed", 0, i64::MAX, 1)? as u64;
    let origin = match &raw.start {
        Some(s) => timestamp(&s.get_ref().0).map_err(|e| c.src.error(&s.span(), "start", e))?,
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
    let setup = raw.workstream.is_some();
    if !setup {
        refuse_setup_keys(c, &raw)?;
    }
    let hours = match &raw.hours {
        Some(h) => hours(c, h.get_ref(), &h.span(), "hours", origin)?,
        None => OperatingHours::always_open(origin),
    };
    let workstreams = workstream_names(&raw);
    let arrivals = match &raw.arrivals {
        Some(a) => arrivals(c, a.get_ref(), &a.span(), "arrivals", origin, &workstreams)?,
        // Every workstream has its own arrivals (routing_spec refuses a share without [arrivals]).
        None if setup => Arrivals::Trace(Vec::new()),
        None => return Err(c.src.missing(&TOP, "arrivals", "[arrivals] with rate = 60")),
    };
    let customer = match &raw.customer {
        Some(t) => customer(c, t.get_ref(), &hours)?,
        None => default_customer()?,
    };
    let (agents, policies) = if setup {
        let spec = routing_spec(c, &raw, &hours, origin)?;
        (spec.groups[0].agents.clone(), setup_policies(c, &raw.policy, &spec)?)
    } else {
        let agents_table = c.required(&raw.agents, &TOP, "agents", "[agents] with count = 20 and reply = { ... }")?;
        (agents(c, agents_table, origin)?, policies(c, &raw.policy)?)
    };
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

/// Checks an `[hours]`-like table spanning `span`, whose keys are named `PREFIX.KEY` in messages.
pub fn hours(
    c: &Checker<'_>,
    h: &RawHours,
    span: &Range<usize>,
    prefix: &str,
    origin: Origin,
) -> Result<OperatingHours> {
    let days = [&h.mon, &h.tue, &h.wed, &h.thu, &h.fri, &h.sat, &h.sun];
    let mut week: [Vec<Span>; 7] = Default::default();
    for (i, day) in days.iter().enumerate() {
        if let Some(day) = day {
            let key = format!("{prefix}.{}", WEEKDAYS[i]);
            week[i] = parse_day_hours(&day.get_ref().0).map_err(|e| c.src.error(&day.span(), &key, e))?;
        }
    }
    if week.iter().all(Vec::is_empty) {
        return Err(c.src.error(
            span,
            prefix,
            "every day is closed, so the queue never opens; give opening hours such as mon = \"08:00-20:00\", or remove [hours] for 24/7",
        ));
    }
    let mut closed = Vec::new();
    for d in h.closed_dates.iter().flat_map(|list| list.get_ref().iter()) {
        closed.push(
            parse_date(&d.get_ref().0).map_err(|e| c.src.error(&d.span(), &format!("{prefix}.closed_dates"), e))?,
        );
    }
    Ok(OperatingHours::weekly(origin, week, closed))
}

/// The names of the file's `[[workstream]]`s in file order, as a trace's `workstream` column names them (a
/// missing name is empty, matching no trace cell; `routing_spec` reports it).
pub fn workstream_names(raw: &RawScenario) -> Vec<String> {
    let list = raw.workstream.as_ref().map_or(&[][..], |l| l.get_ref().as_slice());
    list.iter().map(|w| w.get_ref().name.as_ref().map_or(String::new(), |n| n.get_ref().trim().to_string())).collect()
}

/// Checks an `[arrivals]`-like table spanning `span`, whose keys are named `PREFIX.KEY` in messages; a trace's
/// `workstream` column names one of `workstreams`.
pub fn arrivals(
    c: &Checker<'_>,
    a: &RawArrivals,
    span: &Range<usize>,
    prefix: &str,
    origin: Origin,
    workstreams: &[String],
) -> Result<Arrivals> {
    let k = |key: &str| format!("{prefix}.{key}");
    match (&a.rate, &a.trace) {
        (Some(_), Some(t)) => Err(c.src.error(&t.span(), &k("trace"), "give either rate or trace, not both")),
        (None, None) => {
            Err(c.src.missing(span, &k("rate"), "rate = 60 (conversations per hour), or trace = \"arrivals.csv\""))
        }
        (None, Some(t)) => {
            for (key, v) in [(k("hourly"), &a.hourly), (k("weekly"), &a.weekly)] {
                if let Some(v) = v {
                    return Err(c.src.error(&v.span(), &key, "shapes a rate; a trace already has its arrival times"));
                }
            }
            let path = c.data_file(t, &k("trace"))?;
            Ok(Arrivals::Trace(read_trace(&path, origin, workstreams)?))
        }
        (Some(rate), None) => {
            let per_hour =
                c.number(rate, &k("rate"), 0.0, MAX_RATE, "a number of conversations per hour from 0 to 1000000")?;
            if per_hour == 0.0 {
                return Err(c.src.error(&rate.span(), &k("rate"), "must be positive, got 0"));
            }
            let hourly: [f64; 24] = factors(c, &a.hourly, &k("hourly"), "hour of the day, midnight first")?;
            let weekly: [f64; 7] = factors(c, &a.weekly, &k("weekly"), "day of the week, Monday first")?;
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

/// Without `[[workstream]]`, the tables of a routing set-up mean nothing: refuse them rather than ignore them.
fn refuse_setup_keys(c: &Checker<'_>, raw: &RawScenario) -> Result<()> {
    let group = raw.agents.as_ref().and_then(|a| a.get_ref().group.as_ref()).map(Spanned::span);
    let given = [
        ("queue", "[[queue]]", raw.queue.as_ref().map(Spanned::span)),
        ("agents.group", "[[agents.group]]", group),
        ("offers", "[offers]", raw.offers.as_ref().map(Spanned::span)),
    ];
    if let Some((key, table, Some(span))) = given.into_iter().find(|g| g.2.is_some()) {
        return Err(c.src.error(
            &span,
            key,
            format!(
                "{table} belongs to a routing set-up, which needs [[workstream]] tables (see \"Several workstreams\" \
                 in scenarios/README.md); add them, or remove {table}"
            ),
        ));
    }
    Ok(())
}

fn default_customer() -> Result<Customer> {
    Ok(Customer {
        sessions: CountDist::constant(1),
        messages: CountDist::constant(1),
        think: Dist::constant(Millis::from_secs(30)),
        away: Dist::exponential(Millis::from_hours(4)).map_err(|e| crate::Error::Other(e.to_string()))?,
        patience: None,
        never_return: 0.0,
        retry: 0.0,
        retry_after: None,
        online: None,
    })
}

fn customer(c: &Checker<'_>, r: &RawCustomer, hours: &OperatingHours) -> Result<Customer> {
    let defaults = default_customer()?;
    let retry = match &r.retry {
        Some(v) => c.number(v, "customer.retry", 0.0, 1.0, "a chance from 0 to 1")?,
        None => 0.0,
    };
    let retry_after = r.retry_after.as_ref().map(|d| duration_dist(c, d, "customer.retry_after")).transpose()?;
    if let Some(v) = &r.retry
        && retry > 0.0
        && retry_after.is_none()
        && hours.next_change(Millis::ZERO).is_none()
    {
        return Err(c.src.error(
            &v.span(),
            "customer.retry",
            "without retry_after customers retry at the queue's next opening, but the queue never closes; give retry_after = { dist = \"exponential\", mean = \"30m\" }",
        ));
    }
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
        retry,
        retry_after,
        online: r.online.as_ref().map(|d| duration_dist(c, d, "customer.online")).transpose()?,
    })
}
