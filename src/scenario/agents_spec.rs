//! The `[agents]` table checked: one staffing form (count, shifts or schedule), capacity, speed.

use super::calendar::{parse_clock, parse_days};
use super::check::Checker;
use super::dist::Dist;
use super::dist_spec::duration_dist;
use super::model::{Agents, Attention};
use super::raw::{RawAgents, RawShift};
use super::staffing::{Roster, Shift, Staffing};
use super::trace::read_schedule;
use crate::Result;
use crate::hours::Origin;
use crate::routing::Millis;
use std::ops::Range;
use toml::Spanned;

/// The most agents a scenario may staff at once.
pub const MAX_AGENTS: u32 = 100_000;
/// The most shifts a staffing plan may list.
pub const MAX_SHIFTS: usize = 1_000;
/// The largest capacity of one agent.
pub const MAX_CAPACITY: i64 = 1_000;

/// Checks `[agents]`; schedules are read relative to the scenario and anchored at `origin`.
pub fn agents(c: &Checker<'_>, raw: &Spanned<RawAgents>, origin: Origin) -> Result<Agents> {
    agents_as(c, raw.get_ref(), &raw.span(), "agents", origin)
}

/// Checks a table of `[agents]` keys spanning `table`, whose keys are named `PREFIX.KEY` in messages (`agents`,
/// or `agents.group.NAME` for a group's keys over `[agents]`'s).
pub fn agents_as(c: &Checker<'_>, a: &RawAgents, table: &Range<usize>, prefix: &str, origin: Origin) -> Result<Agents> {
    let k = |key: &str| format!("{prefix}.{key}");
    let given: Vec<(&str, Range<usize>)> = [
        ("count", a.count.as_ref().map(Spanned::span)),
        ("shifts", a.shifts.as_ref().map(Spanned::span)),
        ("schedule", a.schedule.as_ref().map(Spanned::span)),
    ]
    .into_iter()
    .filter_map(|(k, s)| s.map(|s| (k, s)))
    .collect();
    if given.is_empty() {
        return Err(c.src.missing(table, &k("count"), "count = 20, or shifts = [...], or schedule = \"staffing.csv\""));
    }
    if given.len() > 1 {
        let (k, span) = &given[1];
        return Err(c.src.error(
            span,
            &format!("{prefix}.{k}"),
            format!("give only one of count, shifts and schedule; {} is already given", given[0].0),
        ));
    }
    let roster = if let Some(n) = &a.count {
        Roster::Count(c.whole(n, &k("count"), 1, i64::from(MAX_AGENTS))? as u32)
    } else if let Some(shifts) = &a.shifts {
        let list =
            shifts.get_ref().iter().enumerate().map(|(i, s)| shift(c, s, i, prefix)).collect::<Result<Vec<_>>>()?;
        if list.is_empty() || list.len() > MAX_SHIFTS {
            let what = format!("must list from 1 to {MAX_SHIFTS} shifts, got {}", list.len());
            return Err(c.src.error(&shifts.span(), &k("shifts"), what));
        }
        let roster = Roster::Shifts(list);
        if roster.max_agents() > MAX_AGENTS {
            return Err(c.src.error(
                &shifts.span(),
                &k("shifts"),
                format!("staff up to {} agents at once; at most {MAX_AGENTS} are supported", roster.max_agents()),
            ));
        }
        roster
    } else {
        let file = a.schedule.as_ref().map(|s| c.data_file(s, &k("schedule"))).transpose()?.unwrap_or_default();
        Roster::Schedule(read_schedule(&file, origin, MAX_AGENTS)?)
    };
    if roster.max_agents() == 0 {
        return Err(c.src.error(&given[0].1, &k(given[0].0), "never staffs a single agent"));
    }
    let staffing = scale_and_shrinkage(c, a, roster, prefix)?;
    let set = settings(c, a, prefix)?;
    let reply = match set.reply {
        Some(reply) => reply,
        None => {
            return Err(c.src.missing(
                table,
                &k("reply"),
                "reply = { dist = \"lognormal\", mean = \"45s\", sd = \"25s\" }",
            ));
        }
    };
    Ok(Agents {
        staffing,
        capacity: set.capacity,
        attention: set.attention,
        reply,
        slowdown: set.slowdown,
        wrap_up: set.wrap_up,
        wrap_up_holds_capacity: set.wrap_up_holds_capacity,
    })
}

/// Checks `[agents]` when agent groups give the rosters: every key but the roster, with its own name, so that a
/// wrong default is reported as `agents.KEY` rather than under the first group that inherits it.
pub fn check_defaults(c: &Checker<'_>, a: &RawAgents) -> Result<()> {
    settings(c, a, "agents")?;
    scale_and_shrinkage_values(c, a, "agents")?;
    Ok(())
}

/// The `[agents]` keys other than the roster, scale and shrinkage, checked; `reply` may be missing here.
struct Settings {
    capacity: u32,
    attention: Attention,
    reply: Option<Dist>,
    slowdown: Vec<f64>,
    wrap_up: Dist,
    wrap_up_holds_capacity: bool,
}

fn settings(c: &Checker<'_>, a: &RawAgents, prefix: &str) -> Result<Settings> {
    let k = |key: &str| format!("{prefix}.{key}");
    let capacity = c.whole_or(&a.capacity, &k("capacity"), 1, MAX_CAPACITY, 1)? as u32;
    let attention = match &a.attention {
        Some(v) => c.choice(v, &k("attention"), &[("single", Attention::Single), ("parallel", Attention::Parallel)])?,
        None => Attention::Single,
    };
    let reply = a.reply.as_ref().map(|d| duration_dist(c, d, &k("reply"))).transpose()?;
    let mut slowdown = Vec::new();
    if let Some(list) = &a.slowdown {
        if list.get_ref().len() > 1_000 {
            return Err(c.src.error(&list.span(), &k("slowdown"), "lists more than 1000 factors"));
        }
        for f in list.get_ref() {
            let x = c.number(f, &k("slowdown"), 0.0, 100.0, "a multiplier above 0 and at most 100")?;
            if x == 0.0 {
                return Err(c.src.error(&f.span(), &k("slowdown"), "a multiplier must be above 0, got 0"));
            }
            slowdown.push(x);
        }
    }
    let wrap_up = match &a.wrap_up {
        Some(d) => duration_dist(c, d, &k("wrap_up"))?,
        None => Dist::constant(Millis::ZERO),
    };
    let wrap_up_holds_capacity = a.wrap_up_holds_capacity.as_ref().is_none_or(|v| *v.get_ref());
    Ok(Settings { capacity, attention, reply, slowdown, wrap_up, wrap_up_holds_capacity })
}

/// `scale` (0 or more) and `shrinkage` (0 up to, not including, 1), or 1 and 0 when absent.
fn scale_and_shrinkage_values(c: &Checker<'_>, a: &RawAgents, prefix: &str) -> Result<(f64, f64)> {
    let k = |key: &str| format!("{prefix}.{key}");
    let scale = match &a.scale {
        Some(v) => c.number(v, &k("scale"), 0.0, f64::from(MAX_AGENTS), "a multiplier of 0 or more")?,
        None => 1.0,
    };
    let shrinkage = match &a.shrinkage {
        Some(v) => {
            let x = c.number(v, &k("shrinkage"), 0.0, 1.0, "a share from 0 up to (not including) 1")?;
            if x >= 1.0 {
                return Err(c.src.error(
                    &v.span(),
                    &k("shrinkage"),
                    "must be below 1: a shrinkage of 1 leaves nobody online (0.3 = 30% of scheduled agents away)",
                ));
            }
            x
        }
        None => 0.0,
    };
    Ok((scale, shrinkage))
}

/// `agents.scale` and `agents.shrinkage` applied to a checked roster: the scaled roster must stay within
/// [`MAX_AGENTS`] and leave at least one agent online at its peak.
fn scale_and_shrinkage(c: &Checker<'_>, a: &RawAgents, roster: Roster, prefix: &str) -> Result<Staffing> {
    let k = |key: &str| format!("{prefix}.{key}");
    let (scale, shrinkage) = scale_and_shrinkage_values(c, a, prefix)?;
    let staffing = Staffing { roster, scale, shrinkage };
    if staffing.max_scheduled() > MAX_AGENTS
        && let Some(v) = &a.scale
    {
        let what =
            format!("schedules up to {} agents at once; at most {MAX_AGENTS} are supported", staffing.max_scheduled());
        return Err(c.src.error(&v.span(), &k("scale"), what));
    }
    if staffing.max_agents() == 0 {
        let (span, key) = match (&a.shrinkage, &a.scale) {
            (Some(v), _) if staffing.max_scheduled() > 0 => (v.span(), k("shrinkage")),
            (_, Some(v)) => (v.span(), k("scale")),
            (Some(v), None) => (v.span(), k("shrinkage")),
            (None, None) => return Ok(staffing),
        };
        let what = format!(
            "leaves no agent online ({} scheduled at the peak, {} online after shrinkage)",
            staffing.max_scheduled(),
            staffing.max_agents()
        );
        return Err(c.src.error(&span, &key, what));
    }
    Ok(staffing)
}

fn shift(c: &Checker<'_>, raw: &Spanned<RawShift>, index: usize, prefix: &str) -> Result<Shift> {
    let key = format!("{prefix}.shifts[{}]", index + 1);
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
