//! The `[[policy]]` tables checked: unique names, a mode, and only the settings that belong to that mode.
//!
//! Without `[[workstream]]` a policy names a mode and an assignment method. With `[[workstream]]` the modes
//! belong to the workstreams and the assignment methods to the queues, so a policy holds only its `name` and a
//! `set` of dotted keys (applied by the loader, see `set_policies`). The mode checks here are shared by both.

use super::check::{Checker, TEN_YEARS};
use super::model::{ModeSpec, PolicySpec};
use super::raw::{At, DurationText, RawPolicy};
use super::routing_model::{PolicyRouting, RoutingSpec};
use crate::Result;
use crate::routing::{AssignmentMethod, Millis};
use std::collections::HashSet;
use std::ops::Range;
use toml::Spanned;

/// The whole document: a missing `[[policy]]` is reported at line 1.
const TOP: Range<usize> = 0..0;

/// The name of the one policy of a set-up without `[[policy]]`.
pub const BASE_POLICY: &str = "base";

/// The keys that choose a mode and set its timers, from a `[[policy]]` or a `[[workstream]]`.
pub struct ModeKeys<'r> {
    /// `live` or `persistent`.
    pub mode: &'r At<String>,
    /// Live: customer silence that ends the conversation.
    pub end_after_idle: &'r At<DurationText>,
    /// Persistent: customer silence that parks the conversation.
    pub park_after_idle: &'r At<DurationText>,
    /// Persistent: send a returning customer back to the same agent.
    pub same_agent: &'r At<bool>,
    /// Persistent: how long a returning customer waits for a signed-out previous agent.
    pub same_agent_wait: &'r At<DurationText>,
    /// Persistent: a parked conversation with no customer message this long is closed.
    pub auto_close_after: &'r At<DurationText>,
}

impl<'r> ModeKeys<'r> {
    /// The mode keys of a `[[policy]]`.
    pub fn of_policy(p: &'r RawPolicy) -> ModeKeys<'r> {
        ModeKeys {
            mode: &p.mode,
            end_after_idle: &p.end_after_idle,
            park_after_idle: &p.park_after_idle,
            same_agent: &p.same_agent,
            same_agent_wait: &p.same_agent_wait,
            auto_close_after: &p.auto_close_after,
        }
    }
}

/// Checks every policy of a scenario without `[[workstream]]`, in file order: at least one, names unique.
pub fn policies(c: &Checker<'_>, raw: &Option<Spanned<Vec<Spanned<RawPolicy>>>>) -> Result<Vec<PolicySpec>> {
    let example = "a [[policy]] table with name = \"live\" and mode = \"live\"";
    let list = c.required(raw, &TOP, "policy", example)?;
    if list.get_ref().is_empty() {
        return Err(c.src.missing(&list.span(), "policy", example));
    }
    unique(c, list.get_ref(), policy)
}

/// The policies of a scenario with `[[workstream]]`: each a name (and a `set`, applied by the loader), starting
/// from the file's own set-up; one policy named `base` when the file has no `[[policy]]`.
pub fn setup_policies(
    c: &Checker<'_>,
    raw: &Option<Spanned<Vec<Spanned<RawPolicy>>>>,
    base: &RoutingSpec,
) -> Result<Vec<PolicySpec>> {
    let routing = || PolicyRouting::Setup(Box::new(base.clone()));
    let list = match raw {
        Some(list) if !list.get_ref().is_empty() => list.get_ref(),
        _ => return Ok(vec![PolicySpec { name: BASE_POLICY.into(), routing: routing() }]),
    };
    unique(c, list, |c, raw, i| {
        let name = policy_name(c, raw, i)?;
        let p = raw.get_ref();
        let foreign = [
            ("mode", p.mode.as_ref().map(Spanned::span)),
            ("assignment", p.assignment.as_ref().map(Spanned::span)),
            ("end_after_idle", p.end_after_idle.as_ref().map(Spanned::span)),
            ("park_after_idle", p.park_after_idle.as_ref().map(Spanned::span)),
            ("same_agent", p.same_agent.as_ref().map(Spanned::span)),
            ("same_agent_wait", p.same_agent_wait.as_ref().map(Spanned::span)),
            ("auto_close_after", p.auto_close_after.as_ref().map(Spanned::span)),
        ];
        if let Some((key, Some(span))) = foreign.into_iter().find(|(_, s)| s.is_some()) {
            return Err(c.src.error(
                &span,
                &format!("policy.{name}.{key}"),
                format!(
                    "with [[workstream]], modes belong to each [[workstream]] and assignment to each [[queue]]; a \
                     policy is a variant of the set-up: write its changes as set = {{ \"workstream.NAME.{key}\" = ... }}"
                ),
            ));
        }
        Ok(PolicySpec { name, routing: routing() })
    })
}

/// Checks each policy with `check`, refusing a name given twice.
fn unique(
    c: &Checker<'_>,
    list: &[Spanned<RawPolicy>],
    check: impl Fn(&Checker<'_>, &Spanned<RawPolicy>, usize) -> Result<PolicySpec>,
) -> Result<Vec<PolicySpec>> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (i, p) in list.iter().enumerate() {
        let spec = check(c, p, i)?;
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

/// A name usable in reports and in dotted `--set` keys: letters, digits, `-` and `_`.
pub fn usable_name(c: &Checker<'_>, v: &Spanned<String>, key: &str) -> Result<String> {
    let name = v.get_ref().trim().to_string();
    if name.is_empty() || !name.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_') {
        return Err(c.src.error(
            &v.span(),
            key,
            format!("{name:?} is not a usable name: use letters, digits, - and _ only"),
        ));
    }
    Ok(name)
}

fn policy_name(c: &Checker<'_>, raw: &Spanned<RawPolicy>, index: usize) -> Result<String> {
    let key = format!("policy[{}].name", index + 1);
    usable_name(c, c.required(&raw.get_ref().name, &raw.span(), &key, "name = \"live\"")?, &key)
}

fn policy(c: &Checker<'_>, raw: &Spanned<RawPolicy>, index: usize) -> Result<PolicySpec> {
    let p = raw.get_ref();
    let name = policy_name(c, raw, index)?;
    if let Some(set) = &p.set {
        return Err(c.src.error(
            &set.span(),
            &format!("policy.{name}.set"),
            "a policy's set changes a routing set-up, which needs [[workstream]]; without it, write the policy's \
             mode and timers directly",
        ));
    }
    let k = |key: &str| format!("policy.{name}.{key}");
    let assignment = assignment(c, &p.assignment, &k("assignment"))?;
    let mode = mode(c, &ModeKeys::of_policy(p), &raw.span(), &format!("policy.{name}"), ("policy", "policies"))?;
    Ok(PolicySpec::single_queue(name, assignment, mode))
}

/// An assignment method, `highest_capacity` when absent.
pub fn assignment(c: &Checker<'_>, v: &At<String>, key: &str) -> Result<AssignmentMethod> {
    match v {
        Some(v) => c.choice(
            v,
            key,
            &[
                ("highest_capacity", AssignmentMethod::HighestCapacity),
                ("round_robin", AssignmentMethod::RoundRobin),
                ("least_active", AssignmentMethod::LeastActive),
            ],
        ),
        None => Ok(AssignmentMethod::HighestCapacity),
    }
}

/// A mode and its timers, from the table spanning `table` whose keys are named `PREFIX.KEY`; `what` (`policy`,
/// `workstream`) and its plural name the table in messages.
pub fn mode(
    c: &Checker<'_>,
    p: &ModeKeys<'_>,
    table: &Range<usize>,
    prefix: &str,
    (what, whats): (&str, &str),
) -> Result<ModeSpec> {
    let k = |key: &str| format!("{prefix}.{key}");
    let mode_v = c.required(p.mode, table, &k("mode"), "mode = \"live\" or mode = \"persistent\"")?;
    let persistent = c.choice(mode_v, &k("mode"), &[("live", false), ("persistent", true)])?;
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
                format!("belongs to {other} {whats}, but this {what}'s mode is {mode_name}"),
            ));
        }
    }
    Ok(if persistent {
        ModeSpec::Persistent {
            park_after_idle: c.duration_or(
                p.park_after_idle,
                &k("park_after_idle"),
                Millis(1),
                TEN_YEARS,
                Millis::from_mins(10),
            )?,
            same_agent: p.same_agent.as_ref().is_none_or(|v| *v.get_ref()),
            same_agent_wait: c.duration_or(
                p.same_agent_wait,
                &k("same_agent_wait"),
                Millis::ZERO,
                TEN_YEARS,
                Millis::HOUR,
            )?,
            auto_close_after: c.duration_or(
                p.auto_close_after,
                &k("auto_close_after"),
                Millis(1),
                TEN_YEARS,
                Millis(7 * Millis::DAY.0),
            )?,
        }
    } else {
        ModeSpec::Live {
            end_after_idle: c.duration_or(
                p.end_after_idle,
                &k("end_after_idle"),
                Millis(1),
                TEN_YEARS,
                Millis::from_mins(3),
            )?,
        }
    })
}
