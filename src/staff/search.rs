//! The smallest staffing level meeting every target: start from the offered load, bracket, then bisect.
//!
//! The level is the scheduled headcount around the clock for a `count` scenario, or the roster's peak for a
//! shift or schedule scenario, whose `agents.scale` becomes `level / peak` so the roster keeps its shape (see
//! [`Knob`]). Shrinkage stays as the scenario sets it: the level counts scheduled agents.
//!
//! More agents should never make a target harder to meet (service level up, response times and occupancy
//! down), so "meets every target" is treated as monotone in the level. The search:
//! 1. refuses at once a target a known ceiling rules out (`super::ceiling`: a persistent queue's closed hours);
//! 2. starts at the lower bound `L` from the offered load (`super::load`), never below it for lack of
//!    progress, whatever headcount the scenario was written with;
//! 3. doubles its step up from `L` while the level fails, or down while it meets, until it holds a level that
//!    fails and one that meets, then bisects: about `2 log2(distance)` evaluations;
//! 4. when the generous level `U = max(16 L, L + 20)` (at most `MAX_AGENTS`) still fails, keeps doubling the
//!    level (`2 U`, `4 U`, ...) while the last step up closed at least [`MIN_GAIN`] of some missed target's gap,
//!    up to `MAX_AGENTS` at the busiest moment (for a scaled roster, a scale of `MAX_AGENTS / peak`); a level
//!    that meets is bisected down to the smallest. `L` counts only the agents' working time; conversations also
//!    hold capacity while customers think, and a persistent one keeps its slot for `park_after_idle` after each
//!    session, so real needs can be several times `L` (four times, for the shipped flagship's persistent
//!    policy), and a persistent `service_level` just under its closed-hours ceiling needs far more (190 agents
//!    for `service_level>=0.8` on `persistent-vs-live.toml`, 27 times `L`). Only when the largest level tried misses does it stop, with "not met at
//!    any staffing tried up to N" and the values reached at the largest levels, so the planner sees the trend.
//!
//! On a routing set-up the search varies one agent group's staffing ([`Searched::Group`]): its `count`, or the
//! scale of its shifts or schedule, in the policy's own set-up, the other groups held as the policy has them.
//! The offered-load bound is the whole team's, so it says nothing about one group: the search starts from the
//! group's headcount as written (its peak), brackets from there (down as well as up) and bisects as above. A
//! group's share of the work depends on the routing (overflow, shared queues), so no offered load is reported
//! for it. Only the ceilings every share has (at most 1, at least 0) are checked before simulating: the closed-
//! hours ceilings above read `[hours]` and `[agents]`, which a set-up's queues and groups replace.
//!
//! Every evaluation simulates every replication with the scenario's seeds, so all levels face the same
//! customers (common random numbers): a difference between 20 and 21 agents is the agents', not the draw's,
//! which keeps the simulated metric monotone in practice even though each value is noisy. Every level tried
//! is kept, in the order tried, for `staff-path.csv`.

use super::ceiling::{Waits, closeness, known_ceiling, share_always_met, share_ceiling};
use super::load::{Knob, Load, lower_bound, offered_load};
use super::target::{Direction, Target};
use crate::metrics::parts::{PartKind, parts_table};
use crate::metrics::run::PolicyRuns;
use crate::metrics::summary::summary_table;
use crate::report::Table;
use crate::scenario::{MAX_AGENTS, PolicyRouting, Scenario, Staffing};
use crate::sim::run::{RunOptions, simulate};
use crate::{Error, Result};

/// One simulated staffing: its summary row, whether every target held, and the runs (for interval metrics).
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// The largest scheduled headcount: the constant headcount, or the roster's peak at this scale.
    pub agents: u32,
    /// The staffing simulated.
    pub staffing: Staffing,
    /// Scheduled and online agent-hours per week.
    pub agent_hours: (f64, f64),
    /// `summary.csv` of the policy at this staffing (one row).
    pub summary: Table,
    /// `workstreams.csv` and `queues.csv` of the policy at this staffing (`None` without a routing set-up).
    pub parts: Option<(Table, Table)>,
    /// Whether every target held.
    pub meets: bool,
    /// The replications, intervals included.
    pub runs: PolicyRuns,
}

/// Whose staffing a search varies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Searched {
    /// `[agents]`, the whole team of a scenario without `[[workstream]]`.
    Team,
    /// One agent group of a routing set-up, by name; the other groups stay as the policy has them.
    Group(String),
}

impl Searched {
    /// The staffing of the searched agents in `scenario`'s first policy, as written; `None` for a group the
    /// policy does not have.
    pub fn base<'s>(&self, scenario: &'s Scenario) -> Option<&'s Staffing> {
        match self {
            Searched::Team => Some(&scenario.agents.staffing),
            Searched::Group(name) => {
                let setup = scenario.policies.first()?.setup()?;
                setup.groups.iter().find(|g| &g.name == name).map(|g| &g.agents.staffing)
            }
        }
    }

    /// `scenario` with the searched agents at `staffing`, in every policy's set-up for a group.
    fn apply(&self, scenario: &mut Scenario, staffing: &Staffing) {
        match self {
            Searched::Team => scenario.agents.staffing = staffing.clone(),
            Searched::Group(name) => {
                for policy in &mut scenario.policies {
                    if let PolicyRouting::Setup(spec) = &mut policy.routing {
                        for g in spec.groups.iter_mut().filter(|g| &g.name == name) {
                            g.agents.staffing = staffing.clone();
                        }
                    }
                }
            }
        }
    }
}

/// Simulates `scenario` (one policy) with `staffing` and checks `targets`; `records` keeps every measured
/// conversation's record in the runs (the per-interval search measures intervals from them).
pub fn evaluate(
    scenario: &Scenario,
    staffing: Staffing,
    targets: &[Target],
    confident: bool,
    jobs: usize,
    records: bool,
) -> Result<Evaluation> {
    evaluate_for(scenario, &Searched::Team, staffing, targets, confident, jobs, records)
}

/// [`evaluate`] with `staffing` given to the `searched` agents; the agents and agent-hours are theirs.
pub fn evaluate_for(
    scenario: &Scenario,
    searched: &Searched,
    staffing: Staffing,
    targets: &[Target],
    confident: bool,
    jobs: usize,
    records: bool,
) -> Result<Evaluation> {
    let mut s = scenario.clone();
    searched.apply(&mut s, &staffing);
    let agents = staffing.max_scheduled();
    let agent_hours = staffing.agent_hours_per_week(s.origin, s.window());
    let mut runs =
        simulate(&s, &RunOptions { jobs, record_conversations: records, progress: false, record_routing: None })?;
    let summary = summary_table(&runs, &s.policies, s.agents.capacity);
    let parts = parts_table(&runs, &s.policies, PartKind::Workstream, s.agents.capacity).zip(parts_table(
        &runs,
        &s.policies,
        PartKind::Queue,
        s.agents.capacity,
    ));
    // An overloaded run was cut short, so its figures say nothing good about this staffing: it misses.
    let overloaded = runs.iter().any(|p| p.replications.iter().any(|r| r.overloaded.is_some()));
    let runs = runs.pop().ok_or_else(|| Error::Other("the scenario has no policy".into()))?;
    let mut e = Evaluation { agents, staffing, agent_hours, summary, parts, meets: false, runs };
    e.meets = !overloaded && targets.iter().all(|t| met(&e, t, confident));
    Ok(e)
}

impl Evaluation {
    /// The mean and 95% half-width `target` reads: from the summary row, or from its part's row.
    pub fn reading(&self, target: &Target) -> (Option<f64>, Option<f64>) {
        let half = format!("{}_ci95", target.metric);
        let Some(part) = &target.part else {
            return (self.summary.num(0, &target.metric), self.summary.num(0, &half));
        };
        let Some((workstreams, queues)) = &self.parts else { return (None, None) };
        let table = match part.kind {
            PartKind::Workstream => workstreams,
            PartKind::Queue => queues,
        };
        let row = (0..table.rows.len()).find(|&r| table.text(r, part.label()) == Some(part.name.as_str()));
        row.map_or((None, None), |r| (table.num(r, &target.metric), table.num(r, &half)))
    }
}

/// Whether an evaluation meets `target`.
pub fn met(e: &Evaluation, target: &Target, confident: bool) -> bool {
    let (mean, half) = e.reading(target);
    target.met(mean, half, confident)
}

/// The outcome of a staffing search.
#[derive(Debug, Clone)]
pub struct Found {
    /// The evaluation at the smallest level meeting every target.
    pub answer: Evaluation,
    /// Every level tried, in order.
    pub path: Vec<Evaluation>,
    /// The offered load the search started from; zero for a group of a routing set-up, whose share of the work
    /// depends on the routing (see `searched`).
    pub load: Load,
    /// The level it started from (`L`, or a group's written headcount).
    pub start: u32,
    /// Whose staffing it varied.
    pub searched: Searched,
}

impl Found {
    /// The agent-hours of work a week the customers bring, when known (the whole team's search).
    pub fn work_hours(&self) -> Option<f64> {
        (self.searched == Searched::Team).then_some(self.load.agents * 168.0)
    }
}

/// Refuses targets a known ceiling rules out for `scenario`'s policies: an [`Error::Input`] naming the
/// policy and target, with the reason. On a routing set-up only a share's bounds are known. A share target whose
/// bound lies beyond 0 or 1, so that it always holds (`service_level>=-1`), is refused too.
pub fn check_ceilings(scenario: &Scenario, targets: &[Target]) -> Result<()> {
    for t in targets {
        if let Some(why) = share_always_met(t) {
            return Err(Error::Input(format!(
                "--target {}: met at any headcount, so it asks nothing: {why}; give a bound from 0 to 1",
                t.text
            )));
        }
    }
    for policy in &scenario.policies {
        let waits = policy.setup().is_none().then(|| Waits::of(scenario, policy));
        for t in targets {
            let why = match &waits {
                Some(waits) if t.part.is_none() => known_ceiling(scenario, t, waits),
                _ => share_ceiling(t),
            };
            if let Some(why) = why {
                return Err(Error::Input(format!(
                    "--target {}: unreachable for policy {} at any headcount: {why}",
                    t.text, policy.name
                )));
            }
        }
    }
    Ok(())
}

/// Finds the smallest staffing level of `scenario` (one policy) meeting every target. `progress` hears of
/// every level tried.
pub fn smallest_constant(
    scenario: &Scenario,
    targets: &[Target],
    confident: bool,
    jobs: usize,
    progress: impl FnMut(&Evaluation),
) -> Result<Found> {
    smallest_for(scenario, &Searched::Team, targets, confident, jobs, progress)
}

/// Finds the smallest staffing level of the `searched` agents of `scenario` (one policy) meeting every target.
pub fn smallest_for(
    scenario: &Scenario,
    searched: &Searched,
    targets: &[Target],
    confident: bool,
    jobs: usize,
    mut progress: impl FnMut(&Evaluation),
) -> Result<Found> {
    check_ceilings(scenario, targets)?;
    let policy = scenario.policies.first().ok_or_else(|| Error::Other("the scenario has no policy".into()))?;
    let base = searched.base(scenario).ok_or_else(|| match searched {
        Searched::Group(name) => Error::Input(format!("--group {name}: policy {} has no such group", policy.name)),
        Searched::Team => Error::Other("the scenario has no agents".into()),
    })?;
    let knob = Knob::of(base);
    // The lowest level that puts anybody online (shrinkage can round a small team to nobody).
    let lowest = (1..=MAX_AGENTS).find(|n| knob.staffing(base, *n).max_agents() > 0).unwrap_or(MAX_AGENTS);
    let (load, start) = match searched {
        Searched::Team => {
            let load = offered_load(scenario, policy);
            (load, lower_bound(&load, knob.online_per_level(scenario)).max(lowest))
        }
        Searched::Group(_) => {
            let none = Load { per_hour: 0.0, work_s: 0.0, per_agent: 1.0, agents: 0.0 };
            (none, base.max_scheduled().clamp(lowest, MAX_AGENTS))
        }
    };
    let upper = start.saturating_mul(16).max(start.saturating_add(20)).min(MAX_AGENTS);
    let mut path: Vec<(u32, Evaluation)> = Vec::new();
    let mut level = |path: &mut Vec<(u32, Evaluation)>, n: u32| -> Result<bool> {
        if let Some((_, e)) = path.iter().find(|(level, _)| *level == n) {
            return Ok(e.meets);
        }
        let e = evaluate_for(scenario, searched, knob.staffing(base, n), targets, confident, jobs, false)?;
        progress(&e);
        let meets = e.meets;
        path.push((n, e));
        Ok(meets)
    };
    let mut answer = bracket_bisect(start, lowest, upper, |n| level(&mut path, n))?;
    // Beyond the generous level: keep doubling while the last step up still closes the gap.
    let mut top = upper;
    while answer.is_none() && top < MAX_AGENTS && still_closing(&path, targets, confident) {
        let next = top.saturating_mul(2).min(MAX_AGENTS);
        if level(&mut path, next)? {
            answer = Some(bisect(top, next, |n| level(&mut path, n))?);
        }
        top = next;
    }
    let Some(good) = answer else {
        let notes: Vec<String> = match searched {
            Searched::Team if policy.setup().is_none() => {
                let waits = Waits::of(scenario, policy);
                targets.iter().filter_map(|t| closeness(scenario, t, &waits)).collect()
            }
            _ => Vec::new(),
        };
        let work = (*searched == Searched::Team).then_some(load.agents * 168.0);
        return Err(not_met(&policy.name, searched, targets, confident, &path, work, &notes));
    };
    let answer = path
        .iter()
        .find(|(n, _)| *n == good)
        .map(|(_, e)| e.clone())
        .ok_or_else(|| Error::Other("search lost".into()))?;
    Ok(Found { answer, path: path.into_iter().map(|(_, e)| e).collect(), load, start, searched: searched.clone() })
}

/// The share of a missed target's gap that a step up must close for the search to keep doubling past the
/// generous level.
pub const MIN_GAIN: f64 = 0.05;

/// How far a summary is from meeting `target` (0 when it meets, infinite when the metric is undefined), on the
/// value the verdict uses (the pessimistic end of the interval with `confident`).
pub fn gap(e: &Evaluation, target: &Target, confident: bool) -> f64 {
    let (mean, half) = e.reading(target);
    let Some(mean) = mean else { return f64::INFINITY };
    let half = if confident { half.unwrap_or(0.0) } else { 0.0 };
    match target.direction {
        Direction::AtLeast => (target.bound - (mean - half)).max(0.0),
        Direction::AtMost => ((mean + half) - target.bound).max(0.0),
    }
}

/// Whether, between the two largest levels tried, some missed target came at least [`MIN_GAIN`] of its gap
/// closer (an undefined metric becoming defined counts as closer).
fn still_closing(path: &[(u32, Evaluation)], targets: &[Target], confident: bool) -> bool {
    let mut levels: Vec<&(u32, Evaluation)> = path.iter().collect();
    levels.sort_by_key(|(n, _)| std::cmp::Reverse(*n));
    let (Some((_, last)), Some((_, before))) = (levels.first(), levels.get(1)) else { return true };
    targets.iter().any(|t| {
        let (old, new) = (gap(before, t, confident), gap(last, t, confident));
        // A metric still undefined at the larger level (no later sessions for `same_agent_share`, say) is not
        // coming closer: infinite against infinite is no progress, so the doubling stops.
        new > 0.0 && new.is_finite() && (old.is_infinite() || new <= old * (1.0 - MIN_GAIN))
    })
}

/// The smallest `n` in `lowest..=max` that `meets`, assuming meeting is monotone (once a level meets, every
/// larger one does). From `start`, steps of 1, 2, 4, ... go down while levels meet, or up while they fail, until
/// the answer is bracketed; bisection then closes the bracket. `None` when `max` fails. `meets` is called at
/// most once per level if it caches, as the caller's does.
pub fn bracket_bisect(
    start: u32,
    lowest: u32,
    max: u32,
    mut meets: impl FnMut(u32) -> Result<bool>,
) -> Result<Option<u32>> {
    let lowest = lowest.max(1);
    let max = max.max(lowest);
    let start = start.clamp(lowest, max);
    // `bad` fails (`lowest - 1`: nothing below), `good` meets.
    let (bad, good) = if meets(start)? {
        let (mut good, mut step) = (start, 1);
        loop {
            if good == lowest {
                break (lowest - 1, lowest);
            }
            let lower = good.saturating_sub(step).max(lowest);
            if meets(lower)? {
                good = lower;
            } else {
                break (lower, good);
            }
            step = step.saturating_mul(2);
        }
    } else {
        let (mut bad, mut step) = (start, 1);
        loop {
            if bad >= max {
                return Ok(None);
            }
            let upper = bad.saturating_add(step).min(max);
            if meets(upper)? {
                break (bad, upper);
            }
            bad = upper;
            step = step.saturating_mul(2);
        }
    };
    Ok(Some(bisect(bad, good, meets)?))
}

/// The smallest level in `bad + 1..=good` that `meets`, given that `bad` fails and `good` meets.
pub fn bisect(mut bad: u32, mut good: u32, mut meets: impl FnMut(u32) -> Result<bool>) -> Result<u32> {
    while good - bad > 1 {
        let mid = bad + (good - bad) / 2;
        if meets(mid)? {
            good = mid;
        } else {
            bad = mid;
        }
    }
    Ok(good)
}

/// The error of a search whose largest level tried still misses: the values reached at the largest levels, why
/// it stopped there, and `notes` on known ceilings; `work` is the agent-hours of work a week the customers bring,
/// when known.
fn not_met(
    policy: &str,
    searched: &Searched,
    targets: &[Target],
    confident: bool,
    path: &[(u32, Evaluation)],
    work: Option<f64>,
    notes: &[String],
) -> Error {
    use crate::commands::thousands;
    let goal = targets.iter().map(|t| t.text.as_str()).collect::<Vec<_>>().join(" and ");
    let mut levels: Vec<&(u32, Evaluation)> = path.iter().collect();
    levels.sort_by_key(|(n, _)| *n);
    let Some((top, e)) = levels.last() else {
        return Error::Input(format!("--target {goal}: not met for policy {policy}: no staffing could be tried"));
    };
    // The trend: the largest levels tried, up to four.
    let trend = &levels[levels.len().saturating_sub(4)..];
    let values: Vec<String> = targets
        .iter()
        .filter(|t| gap(e, t, confident) > 0.0)
        .map(|t| {
            let at: Vec<String> = trend
                .iter()
                .enumerate()
                .map(|(i, (n, e))| {
                    let v = e.reading(t).0.map_or("undefined".into(), |v| format!("{v:.3}"));
                    if i == 0 { format!("{} = {v} at {n} agents", t.label()) } else { format!("{v} at {n}") }
                })
                .collect();
            at.join(", ")
        })
        .collect();
    let undefined: Vec<String> =
        targets.iter().filter(|t| trend.iter().all(|(_, e)| e.reading(t).0.is_none())).map(Target::label).collect();
    let why = if !undefined.is_empty() {
        format!(
            "{} has nothing to measure in this scenario at any staffing tried (for example no later sessions, or no \
             conversation answered), so more agents cannot meet it",
            undefined.join(" and ")
        )
    } else if *top >= MAX_AGENTS {
        format!("{MAX_AGENTS} agents is the most chatcap simulates")
    } else if let Some((before, _)) = levels.iter().rev().nth(1) {
        format!(
            "going from {before} to {top} agents closed less than {:.0}% of the gap to the target, so no more were tried",
            MIN_GAIN * 100.0
        )
    } else {
        "no larger staffing was tried".into()
    };
    let mut text = match (searched, work) {
        (Searched::Group(group), _) => format!(
            "--target {goal}: not met for policy {policy} at any staffing of group {group} tried, up to {top} agents \
             of that group at the busiest moment ({} online agent-hours a week; the other groups as written): \
             reached {}; {why}",
            thousands(e.agent_hours.1),
            values.join("; ")
        ),
        (Searched::Team, work) => {
            let work = work.unwrap_or(0.0);
            format!(
                "--target {goal}: not met for policy {policy} at any staffing tried, up to {top} agents at the busiest \
                 moment ({} online agent-hours a week, {}x the {} agent-hours of work the customers bring): reached \
                 {}; {why}",
                thousands(e.agent_hours.1),
                crate::report::csv::format_number((e.agent_hours.1 / work.max(1e-9) * 10.0).round() / 10.0),
                thousands(work),
                values.join("; ")
            )
        }
    };
    for note in notes {
        text.push_str("; ");
        text.push_str(note);
    }
    Error::Input(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs the search against "meets from `need` on", counting evaluations.
    fn search(start: u32, need: u32, max: u32) -> (Option<u32>, usize) {
        let mut tried = std::collections::BTreeSet::new();
        let found = bracket_bisect(start, 1, max, |n| {
            tried.insert(n);
            Ok(n >= need)
        })
        .unwrap();
        (found, tried.len())
    }

    #[test]
    fn a_target_just_under_the_closed_hours_ceiling_is_not_refused() {
        // persistent-vs-live's persistent queue: 19.8% of conversations wait more than 1m for an opening, so
        // service_level cannot exceed 0.802. A target of 0.8 is under it (met at about 190 agents); 0.803 is not.
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/persistent-vs-live.toml");
        let mut scenario = crate::scenario::load(&path, &[]).unwrap();
        scenario.policies.retain(|p| p.name == "persistent");
        let check = |text: &str| check_ceilings(&scenario, &[Target::parse(text).unwrap()]);
        assert!(check("service_level>=0.8").is_ok());
        assert!(check("service_level>=0.802").is_ok());
        let refused = check("service_level>=0.803").unwrap_err().to_string();
        assert!(refused.contains("cannot exceed 0.802"), "{refused}");
    }

    #[test]
    fn bisect_finds_the_smallest_meeting_level_between_a_failing_and_a_meeting_one() {
        for need in [113, 150, 190, 224] {
            let mut calls = 0;
            let found = bisect(112, 224, |n| {
                calls += 1;
                Ok(n >= need)
            })
            .unwrap();
            assert_eq!(found, need);
            assert!(calls <= 7, "{calls}");
        }
    }

    #[test]
    fn finds_the_threshold_from_any_start_in_few_steps() {
        for start in [1, 2, 5, 20, 21, 40, 1000] {
            for need in [1, 2, 3, 17, 20, 21, 22, 64, 500] {
                let (found, evaluations) = search(start, need, 100_000);
                assert_eq!(found, Some(need), "start {start}, need {need}");
                let distance = f64::from(start.abs_diff(need) + 2);
                assert!(evaluations as f64 <= 2.0 * distance.log2() + 3.0, "start {start}, need {need}: {evaluations}");
            }
        }
        assert_eq!(search(20, 200, 100), (None, 8), "20, 21, 23, 27, 35, 51, 83, then the cap 100");
    }
}
