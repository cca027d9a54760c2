//! A routing set-up checked: `[[workstream]]`, `[[queue]]`, `[[agents.group]]` and `[offers]` turned into a
//! [`RoutingSpec`], every name resolved to its index and every rule checked with an error naming the key.
//!
//! The rules (scenarios/README.md, "Several workstreams on one team", has them with examples):
//! - names are unique within their kind and usable in dotted keys (letters, digits, `-`, `_`);
//! - a workstream takes a `share` of `[arrivals]` or its own `arrivals`, not both; the shares sum to 1, and
//!   `[arrivals]` is given exactly when some workstream takes a share;
//! - every `queue` and `to` names a queue, every group's `queues` names queues, every queue is served by a group;
//! - overflow: `out_of_hours` takes no value, `more_waiting_than` a whole number, `waited_longer_than` a
//!   duration; `transfer` needs `to` (another queue), `assign_anyway` applies before queueing only; no chain of
//!   transfers returns to its start;
//! - with groups, `[agents]` has no roster (each group has its own) and gives every other key's default.

use super::agents_spec::{agents_as, check_defaults};
use super::check::{Checker, TEN_YEARS};
use super::dist::Dist;
use super::dist_spec::duration_dist;
use super::parse_duration;
use super::policy_spec::{ModeKeys, assignment, mode, usable_name};
use super::raw::{
    At, NumberOrText, RawAgents, RawOffers, RawOverflow, RawQueue, RawQueueHours, RawScenario, RawWorkstream,
};
use super::routing_model::{Entry, GroupSpec, OffersSpec, QueueSpec, RoutingSpec, WorkstreamSpec};
use super::validate::{arrivals, hours};
use crate::Result;
use crate::hours::{OperatingHours, Origin};
use crate::routing::{
    MAX_SKILLS, Millis, OverflowAction, OverflowCondition, OverflowRule, QueueId, SkillId, SkillMatch, WrapUpHold,
};
use std::ops::Range;
use toml::Spanned;

/// The most capacity units one conversation may take.
pub const MAX_UNITS: i64 = 1_000;
/// The highest (least urgent) queue priority.
pub const MAX_PRIORITY: i64 = 1_000;
/// The most waiting conversations a `more_waiting_than` rule may name.
const MAX_WAITING: i64 = 10_000_000;
/// The largest `decline_limit`.
const MAX_DECLINE_LIMIT: i64 = 1_000;
/// The most workstreams, queues or groups of a set-up.
pub const MAX_ENTRIES: usize = 1_000;
/// How far the workstreams' shares may sum from 1.
const SHARE_TOLERANCE: f64 = 1e-9;

/// The whole document: a missing table is reported at line 1.
const TOP: Range<usize> = 0..0;

/// Checks the routing set-up of a scenario with `[[workstream]]`; `hours` is the scenario's `[hours]`.
pub fn routing_spec(c: &Checker<'_>, raw: &RawScenario, hours: &OperatingHours, origin: Origin) -> Result<RoutingSpec> {
    let mut skills = SkillNames::default();
    let queue_list = c.required(&raw.queue, &TOP, "queue", "a [[queue]] table with name = \"general\"")?;
    let queue_names = names(c, queue_list.get_ref(), |q| &q.name, "queue")?;
    if queue_names.is_empty() {
        return Err(c.src.missing(&queue_list.span(), "queue", "a [[queue]] table with name = \"general\""));
    }
    let agents_table = c.required(&raw.agents, &TOP, "agents", "[agents] with reply = { ... }")?;
    let a = agents_table.get_ref();
    let default_hold = match a.wrap_up_holds_capacity.as_ref().is_none_or(|v| *v.get_ref()) {
        true => WrapUpHold::Always,
        false => WrapUpHold::Never,
    };
    let ws_list = c.required(&raw.workstream, &TOP, "workstream", "a [[workstream]] table")?;
    let ws_names = names(c, ws_list.get_ref(), |w| &w.name, "workstream")?;
    let mut workstreams = Vec::new();
    for (w, name) in ws_list.get_ref().iter().zip(&ws_names) {
        workstreams.push(workstream(c, w, name, (&queue_names, &ws_names), &mut skills, default_hold, origin)?);
    }
    shares(c, raw, &ws_list.span(), &workstreams)?;
    let mut queues = Vec::new();
    for (q, name) in queue_list.get_ref().iter().zip(&queue_names) {
        queues.push(queue(c, q, name, &queue_names, hours, origin)?);
    }
    no_transfer_loop(c, queue_list.get_ref(), &queues)?;
    let groups = groups(c, agents_table, &queue_names, &mut skills, origin)?;
    for (i, q) in queue_list.get_ref().iter().enumerate() {
        let id = QueueId(i as u16);
        if !groups.iter().any(|g| g.queues.contains(&id)) {
            let span = q.get_ref().name.as_ref().map_or(q.span(), Spanned::span);
            return Err(c.src.error(
                &span,
                &format!("queue.{}", queue_names[i]),
                "no [[agents.group]] serves this queue, so its conversations could never be answered; add it to a \
                 group's queues",
            ));
        }
    }
    let offers = raw.offers.as_ref().map(|o| offers(c, o.get_ref())).transpose()?;
    Ok(RoutingSpec { workstreams, queues, groups, offers, skills: skills.names })
}

/// The names of a list of tables, checked usable and unique, in file order.
fn names<T>(c: &Checker<'_>, list: &[Spanned<T>], name: impl Fn(&T) -> &At<String>, kind: &str) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    if list.len() > MAX_ENTRIES {
        let span = list[MAX_ENTRIES].span();
        return Err(c.src.error(
            &span,
            kind,
            format!("more than {MAX_ENTRIES} are given; at most {MAX_ENTRIES} are supported"),
        ));
    }
    for (i, item) in list.iter().enumerate() {
        let key = format!("{kind}[{}].name", i + 1);
        let v = c.required(name(item.get_ref()), &item.span(), &key, "name = \"general\"")?;
        let n = usable_name(c, v, &key)?;
        if out.contains(&n) {
            return Err(c.src.error(
                &v.span(),
                &format!("{kind}.{n}.name"),
                format!("another {kind} already has this name; names must be unique"),
            ));
        }
        out.push(n);
    }
    Ok(out)
}

/// The queue a name refers to, or an error listing the queues.
fn queue_id(c: &Checker<'_>, v: &Spanned<String>, key: &str, queues: &[String]) -> Result<QueueId> {
    let name = v.get_ref().trim();
    queues.iter().position(|q| q == name).map(|i| QueueId(i as u16)).ok_or_else(|| {
        c.src.error(&v.span(), key, format!("no [[queue]] is named {name:?} (queues: {})", queues.join(", ")))
    })
}

/// Skill names in order of first mention: a skill's id is its position.
#[derive(Default)]
struct SkillNames {
    names: Vec<String>,
}

impl SkillNames {
    fn id(&mut self, c: &Checker<'_>, name: &str, span: &Range<usize>, key: &str) -> Result<SkillId> {
        if let Some(i) = self.names.iter().position(|n| n == name) {
            return Ok(SkillId(i as u8));
        }
        if name.is_empty() || !name.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_') {
            return Err(c.src.error(
                span,
                key,
                format!("{name:?} is not a usable skill name: use letters, digits, - and _"),
            ));
        }
        if self.names.len() == MAX_SKILLS {
            return Err(c.src.error(
                span,
                key,
                format!("names more than {MAX_SKILLS} skills; at most {MAX_SKILLS} are supported"),
            ));
        }
        self.names.push(name.to_string());
        Ok(SkillId((self.names.len() - 1) as u8))
    }
}

fn workstream(
    c: &Checker<'_>,
    raw: &Spanned<RawWorkstream>,
    name: &str,
    (queues, workstreams): (&[String], &[String]),
    skills: &mut SkillNames,
    default_hold: WrapUpHold,
    origin: Origin,
) -> Result<WorkstreamSpec> {
    let w = raw.get_ref();
    let prefix = format!("workstream.{name}");
    let k = |key: &str| format!("{prefix}.{key}");
    let keys = ModeKeys {
        mode: &w.mode,
        end_after_idle: &w.end_after_idle,
        park_after_idle: &w.park_after_idle,
        same_agent: &w.same_agent,
        same_agent_wait: &w.same_agent_wait,
        auto_close_after: &w.auto_close_after,
    };
    let mode = mode(c, &keys, &raw.span(), &prefix, ("workstream", "workstreams"))?;
    let entry = match (&w.share, &w.arrivals) {
        (Some(_), Some(a)) => {
            return Err(c.src.error(&a.span(), &k("arrivals"), "give either share or arrivals, not both"));
        }
        (None, None) => {
            return Err(c.src.missing(
                &raw.span(),
                &k("share"),
                "share = 0.5 (of [arrivals]), or its own arrivals = { rate = 40 }",
            ));
        }
        (Some(s), None) => Entry::Share(c.number(s, &k("share"), 0.0, 1.0, "a share from 0 to 1")?),
        (None, Some(a)) => Entry::Own(arrivals(c, a.get_ref(), &a.span(), &k("arrivals"), origin, workstreams)?),
    };
    let queue_v = c.required(&w.queue, &raw.span(), &k("queue"), "queue = \"general\"")?;
    let queue = queue_id(c, queue_v, &k("queue"), queues)?;
    let units = c.whole_or(&w.units, &k("units"), 1, MAX_UNITS, 1)? as u32;
    let mut needs = Vec::new();
    if let Some(list) = &w.skills {
        let mut total = 0.0;
        for (skill, share) in &list.get_ref().0 {
            let key = k(&format!("skills.{skill}"));
            let id = skills.id(c, skill, &share.span(), &key)?;
            let x = c.number(share, &key, 0.0, 1.0, "a share of the workstream's conversations from 0 to 1")?;
            total += x;
            needs.push((id, x));
        }
        if total > 1.0 + SHARE_TOLERANCE {
            return Err(c.src.error(
                &list.span(),
                &k("skills"),
                format!(
                    "the shares sum to {total}, above 1; each conversation needs at most one skill, so the shares \
                     are parts of the same whole (the rest need none)"
                ),
            ));
        }
    }
    needs.sort_by_key(|(id, _)| *id);
    let wrap_up = match &w.wrap_up_holds_capacity {
        None => default_hold,
        Some(v) => match v.get_ref().trim() {
            "always" => WrapUpHold::Always,
            "never" => WrapUpHold::Never,
            text => {
                let d = parse_duration(text).map_err(|_| {
                    c.src.error(
                        &v.span(),
                        &k("wrap_up_holds_capacity"),
                        format!("{text:?} is not \"always\", \"never\" or a duration such as \"30s\""),
                    )
                })?;
                if d == Millis::ZERO || d > TEN_YEARS {
                    return Err(c.src.error(
                        &v.span(),
                        &k("wrap_up_holds_capacity"),
                        format!("a duration must be positive and at most {TEN_YEARS} (for none, write \"never\"), got {text:?}"),
                    ));
                }
                WrapUpHold::For(d)
            }
        },
    };
    Ok(WorkstreamSpec { name: name.to_string(), mode, entry, queue, units, skills: needs, wrap_up })
}

/// The shares of `[arrivals]` sum to 1, and `[arrivals]` is given exactly when some workstream takes a share.
fn shares(c: &Checker<'_>, raw: &RawScenario, list: &Range<usize>, workstreams: &[WorkstreamSpec]) -> Result<()> {
    let shares: Vec<f64> =
        workstreams.iter().filter_map(|w| if let Entry::Share(s) = w.entry { Some(s) } else { None }).collect();
    match (&raw.arrivals, shares.is_empty()) {
        (Some(a), true) => Err(c.src.error(
            &a.span(),
            "arrivals",
            "no workstream takes a share of [arrivals] (each has its own arrivals); remove [arrivals], or give \
             workstreams a share",
        )),
        (None, false) => {
            Err(c.src.missing(&TOP, "arrivals", "[arrivals] with rate = 60, which the workstreams' shares divide"))
        }
        // Every workstream has arrivals of its own: there are no shares to add up.
        (None, true) => Ok(()),
        (Some(_), false) => {
            let total: f64 = shares.iter().sum();
            if (total - 1.0).abs() > SHARE_TOLERANCE {
                let each: Vec<String> = workstreams
                    .iter()
                    .filter_map(|w| if let Entry::Share(s) = w.entry { Some(format!("{} {s}", w.name)) } else { None })
                    .collect();
                return Err(c.src.error(
                    list,
                    "workstream.share",
                    format!(
                        "the workstreams' shares of [arrivals] must sum to 1, but sum to {total} ({})",
                        each.join(", ")
                    ),
                ));
            }
            Ok(())
        }
    }
}

fn queue(
    c: &Checker<'_>,
    raw: &Spanned<RawQueue>,
    name: &str,
    queues: &[String],
    default_hours: &OperatingHours,
    origin: Origin,
) -> Result<QueueSpec> {
    let q = raw.get_ref();
    let k = |key: &str| format!("queue.{name}.{key}");
    let priority = c.whole_or(&q.priority, &k("priority"), 0, MAX_PRIORITY, 1)? as u32;
    let assignment = assignment(c, &q.assignment, &k("assignment"))?;
    let hours = match &q.hours {
        None => default_hours.clone(),
        Some(h) => match h.get_ref() {
            RawQueueHours::Word(w) if w.trim() == "default" => default_hours.clone(),
            RawQueueHours::Word(w) => {
                return Err(c.src.error(
                    &h.span(),
                    &k("hours"),
                    format!("unknown value {w:?}; write \"default\" (the scenario's [hours]) or a table like [hours]"),
                ));
            }
            RawQueueHours::Table(t) => hours(c, t, &h.span(), &k("hours"), origin)?,
        },
    };
    let skill_match = match &q.skill_match {
        Some(v) => c.choice(v, &k("skill_match"), &[("exact", SkillMatch::Exact), ("closest", SkillMatch::Closest)])?,
        None => SkillMatch::Exact,
    };
    let mut overflow = Vec::new();
    for (i, rule) in q.overflow.iter().flat_map(|l| l.get_ref().iter()).enumerate() {
        overflow.push(overflow_rule(c, rule, &format!("queue.{name}.overflow[{}]", i + 1), name, queues)?);
    }
    Ok(QueueSpec { name: name.to_string(), priority, assignment, hours, skill_match, overflow })
}

fn overflow_rule(
    c: &Checker<'_>,
    raw: &Spanned<RawOverflow>,
    prefix: &str,
    queue: &str,
    queues: &[String],
) -> Result<OverflowRule> {
    let r = raw.get_ref();
    let k = |key: &str| format!("{prefix}.{key}");
    let when_v = c.required(&r.when, &raw.span(), &k("when"), "when = \"out_of_hours\"")?;
    let when_word =
        c.choice(when_v, &k("when"), &[("out_of_hours", 0), ("more_waiting_than", 1), ("waited_longer_than", 2)])?;
    let when = match (when_word, &r.value) {
        (0, None) => OverflowCondition::OutOfHours,
        (0, Some(v)) => {
            return Err(c.src.error(&v.span(), &k("value"), "out_of_hours takes no value; remove it"));
        }
        (1, Some(v)) => match v.get_ref() {
            NumberOrText::Number(n) => {
                let n = c.whole(&Spanned::new(v.span(), *n), &k("value"), 0, MAX_WAITING)?;
                OverflowCondition::MoreWaitingThan(n as u32)
            }
            NumberOrText::Text(t) => {
                return Err(c.src.error(
                    &v.span(),
                    &k("value"),
                    format!("must be a whole number of conversations, got {t:?}"),
                ));
            }
        },
        (1, None) => return Err(c.src.missing(&raw.span(), &k("value"), "value = 50 (conversations waiting)")),
        (_, Some(v)) => match v.get_ref() {
            NumberOrText::Text(t) => {
                let d = Spanned::new(v.span(), super::raw::DurationText(t.clone()));
                OverflowCondition::WaitedLongerThan(c.duration(&d, &k("value"), Millis(1), TEN_YEARS)?)
            }
            NumberOrText::Number(n) => {
                return Err(c.src.error(
                    &v.span(),
                    &k("value"),
                    format!("must be a duration in quotes such as \"10m\", got {n}"),
                ));
            }
        },
        (_, None) => return Err(c.src.missing(&raw.span(), &k("value"), "value = \"10m\"")),
    };
    let action_v = c.required(&r.action, &raw.span(), &k("action"), "action = \"end\"")?;
    let action_word = c.choice(action_v, &k("action"), &[("end", 0), ("transfer", 1), ("assign_anyway", 2)])?;
    if action_word != 1
        && let Some(to) = &r.to
    {
        return Err(c.src.error(
            &to.span(),
            &k("to"),
            "only a transfer goes to another queue; remove to, or write action = \"transfer\"",
        ));
    }
    let action = match action_word {
        0 => OverflowAction::End,
        1 => {
            let to_v = c.required(&r.to, &raw.span(), &k("to"), "to = \"backup\" (the queue to transfer to)")?;
            let to = queue_id(c, to_v, &k("to"), queues)?;
            if queues[usize::from(to.0)] == queue {
                return Err(c.src.error(&to_v.span(), &k("to"), "a queue cannot transfer to itself"));
            }
            OverflowAction::Transfer(to)
        }
        _ => {
            if let OverflowCondition::WaitedLongerThan(_) = when {
                return Err(c.src.error(
                    &action_v.span(),
                    &k("action"),
                    "assign_anyway applies before a conversation queues (when = out_of_hours or more_waiting_than); \
                     one that has waited is already in the queue: use end or transfer",
                ));
            }
            OverflowAction::AssignAnyway
        }
    };
    Ok(OverflowRule { when, action })
}

/// Refuses a chain of transfers (over every rule of every queue) that returns to a queue it left.
fn no_transfer_loop(c: &Checker<'_>, raw: &[Spanned<RawQueue>], queues: &[QueueSpec]) -> Result<()> {
    let targets = |q: usize| -> Vec<(usize, usize)> {
        queues[q]
            .overflow
            .iter()
            .enumerate()
            .filter_map(|(i, r)| match r.action {
                OverflowAction::Transfer(to) => Some((usize::from(to.0), i)),
                _ => None,
            })
            .collect()
    };
    // Depth-first search; `state`: 0 unseen, 1 on the current path, 2 done.
    let mut state = vec![0u8; queues.len()];
    for start in 0..queues.len() {
        if state[start] != 0 {
            continue;
        }
        let mut path = vec![start];
        let mut next = vec![0usize];
        state[start] = 1;
        while let Some(&q) = path.last() {
            let edges = targets(q);
            let depth = path.len() - 1;
            let Some(&(to, rule)) = edges.get(next[depth]) else {
                state[q] = 2;
                path.pop();
                next.pop();
                continue;
            };
            next[depth] += 1;
            match state[to] {
                1 => {
                    let from = path.iter().position(|&p| p == to).unwrap_or(0);
                    let mut names: Vec<&str> = path[from..].iter().map(|&p| queues[p].name.as_str()).collect();
                    names.push(&queues[to].name);
                    let r = &raw[q].get_ref().overflow;
                    let span = r
                        .as_ref()
                        .and_then(|l| l.get_ref().get(rule))
                        .map(|rule| rule.get_ref().to.as_ref().map_or(rule.span(), Spanned::span))
                        .unwrap_or_else(|| raw[q].span());
                    return Err(c.src.error(
                        &span,
                        &format!("queue.{}.overflow[{}].to", queues[q].name, rule + 1),
                        format!(
                            "the transfers go round in a loop ({}), so a conversation could be transferred forever; \
                             end the chain in a queue that does not transfer back",
                            names.join(" -> ")
                        ),
                    ));
                }
                0 => {
                    state[to] = 1;
                    path.push(to);
                    next.push(0);
                }
                _ => {}
            }
        }
    }
    Ok(())
}

fn groups(
    c: &Checker<'_>,
    agents_table: &Spanned<RawAgents>,
    queues: &[String],
    skills: &mut SkillNames,
    origin: Origin,
) -> Result<Vec<GroupSpec>> {
    let a = agents_table.get_ref();
    let Some(list) = &a.group else {
        let agents = agents_as(c, a, &agents_table.span(), "agents", origin)?;
        let all = (0..queues.len()).map(|i| QueueId(i as u16)).collect();
        return Ok(vec![GroupSpec { name: "agents".into(), agents, queues: all, skills: Vec::new() }]);
    };
    for (key, span) in [
        ("count", a.count.as_ref().map(Spanned::span)),
        ("shifts", a.shifts.as_ref().map(Spanned::span)),
        ("schedule", a.schedule.as_ref().map(Spanned::span)),
    ] {
        if let Some(span) = span {
            return Err(c.src.error(
                &span,
                &format!("agents.{key}"),
                format!("with [[agents.group]], each group has its own roster: move {key} into each [[agents.group]]"),
            ));
        }
    }
    check_defaults(c, a)?;
    let group_names = names(c, list.get_ref(), |g| &g.name, "agents.group")?;
    if group_names.is_empty() {
        return Err(c.src.missing(&list.span(), "agents.group", "an [[agents.group]] table with name and count"));
    }
    let mut out = Vec::new();
    for (g, name) in list.get_ref().iter().zip(group_names) {
        let prefix = format!("agents.group.{name}");
        let k = |key: &str| format!("{prefix}.{key}");
        let raw = g.get_ref();
        let agents = agents_as(c, &raw.over(a), &g.span(), &prefix, origin)?;
        let queues_v = c.required(&raw.queues, &g.span(), &k("queues"), "queues = [\"general\"]")?;
        if queues_v.get_ref().is_empty() {
            return Err(c.src.error(&queues_v.span(), &k("queues"), "must name at least one queue the group serves"));
        }
        let mut served = Vec::new();
        for q in queues_v.get_ref() {
            let id = queue_id(c, q, &k("queues"), queues)?;
            if !served.contains(&id) {
                served.push(id);
            }
        }
        let mut ratings = Vec::new();
        for (skill, rating) in raw.skills.iter().flat_map(|s| s.get_ref().0.iter()) {
            let key = k(&format!("skills.{skill}"));
            let id = skills.id(c, skill, &rating.span(), &key)?;
            ratings.push((id, c.whole(rating, &key, 1, 5)? as u8));
        }
        ratings.sort_by_key(|(id, _)| *id);
        out.push(GroupSpec { name, agents, queues: served, skills: ratings });
    }
    Ok(out)
}

fn offers(c: &Checker<'_>, o: &RawOffers) -> Result<OffersSpec> {
    Ok(OffersSpec {
        countdown: c.duration_or(&o.countdown, "offers.countdown", Millis(1), TEN_YEARS, Millis::from_mins(2))?,
        accept: match &o.accept {
            Some(d) => duration_dist(c, d, "offers.accept")?,
            None => Dist::constant(Millis::ZERO),
        },
        decline: match &o.decline {
            Some(v) => c.number(v, "offers.decline", 0.0, 1.0, "a chance from 0 to 1")?,
            None => 0.0,
        },
        decline_limit: c.whole_or(&o.decline_limit, "offers.decline_limit", 1, MAX_DECLINE_LIMIT, 3)? as u32,
    })
}
