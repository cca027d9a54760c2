//! The `[[policy]]` tables checked: unique names, a mode, and only the settings that belong to that mode.

use super::check::{Checker, TEN_YEARS};
use super::model::{ModeSpec, PolicySpec};
use super::raw::RawPolicy;
use crate::Result;
use crate::routing::{AssignmentMethod, Millis};
use std::collections::HashSet;
use std::ops::Range;
use toml::Spanned;

/// The whole document: a missing `[[policy]]` is reported at line 1.
const TOP: Range<usize> = 0..0;

/// Checks every policy, in file order: at least one, names unique.
pub fn policies(c: &Checker<'_>, raw: &Option<Spanned<Vec<Spanned<RawPolicy>>>>) -> Result<Vec<PolicySpec>> {
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
