//! The smallest constant headcount meeting every target: bracket, then bisect.
//!
//! More agents should never make a target harder to meet (service level up, response times and occupancy
//! down), so "meets every target" is treated as monotone in headcount. Starting from the scenario's own
//! headcount, the search doubles its step up (or down) until it holds a headcount that fails and one that
//! meets, then bisects between them: about `2 log2(distance)` evaluations rather than one per headcount.
//!
//! Every evaluation simulates every replication with the scenario's seeds, so all headcounts face the same
//! customers (common random numbers): a difference between 20 and 21 agents is the agents', not the draw's,
//! which keeps the simulated metric monotone in practice even though each value is noisy. Every headcount
//! tried is kept, in the order tried, for `staff-path.csv`.

use super::target::{Direction, Target};
use crate::metrics::summary::summary_table;
use crate::report::Table;
use crate::scenario::{MAX_AGENTS, Scenario, Staffing};
use crate::sim::run::{PolicyRuns, RunOptions, simulate};
use crate::{Error, Result};

/// One simulated staffing: its summary row, whether every target held, and the runs (for interval metrics).
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// The constant headcount, or the largest headcount of a schedule.
    pub agents: u32,
    /// `summary.csv` of the policy at this staffing (one row).
    pub summary: Table,
    /// Whether every target held.
    pub meets: bool,
    /// The replications, intervals included.
    pub runs: PolicyRuns,
}

/// Simulates `scenario` (one policy) with `staffing` and checks `targets`.
pub fn evaluate(
    scenario: &Scenario,
    staffing: Staffing,
    targets: &[Target],
    confident: bool,
    jobs: usize,
) -> Result<Evaluation> {
    let mut s = scenario.clone();
    s.agents.staffing = staffing;
    let agents = s.agents.staffing.max_agents();
    let mut runs = simulate(&s, &RunOptions { jobs, record_conversations: false, progress: false })?;
    let summary = summary_table(&runs, &s.policies, s.agents.capacity);
    let meets = targets.iter().all(|t| met(&summary, t, confident));
    let runs = runs.pop().ok_or_else(|| Error::Other("the scenario has no policy".into()))?;
    Ok(Evaluation { agents, summary, meets, runs })
}

/// Whether the first row of a summary meets `target`.
pub fn met(summary: &Table, target: &Target, confident: bool) -> bool {
    target.met(summary.num(0, &target.metric), summary.num(0, &format!("{}_ci95", target.metric)), confident)
}

/// The outcome of a constant-headcount search.
#[derive(Debug, Clone)]
pub struct Found {
    /// The evaluation at the smallest headcount meeting every target.
    pub answer: Evaluation,
    /// Every headcount tried, in order.
    pub path: Vec<Evaluation>,
}

/// Finds the smallest constant headcount of `scenario` (one policy) meeting every target. `progress` hears
/// of every headcount tried.
pub fn smallest_constant(
    scenario: &Scenario,
    targets: &[Target],
    confident: bool,
    jobs: usize,
    mut progress: impl FnMut(&Evaluation),
) -> Result<Found> {
    let mut path: Vec<Evaluation> = Vec::new();
    let start = scenario.agents.staffing.max_agents().clamp(1, MAX_AGENTS);
    let answer = bracket_bisect(start, MAX_AGENTS, |n| {
        if let Some(e) = path.iter().find(|e| e.agents == n) {
            return Ok(if e.meets { Verdict::Meets } else { Verdict::Fails });
        }
        let e = evaluate(scenario, Staffing::count(n), targets, confident, jobs)?;
        progress(&e);
        let meets = e.meets;
        path.push(e);
        Ok(match meets {
            true => Verdict::Meets,
            false if no_progress(&path, targets) => Verdict::Hopeless,
            false => Verdict::Fails,
        })
    })?;
    let Some(good) = answer else {
        let last = path.iter().max_by_key(|e| e.agents);
        return Err(unreachable(targets, last));
    };
    let answer = path.iter().find(|e| e.agents == good).cloned().ok_or_else(|| Error::Other("search lost".into()))?;
    Ok(Found { answer, path })
}

/// What one evaluation says about a headcount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Every target holds.
    Meets,
    /// Some target does not hold.
    Fails,
    /// Some target does not hold and adding agents has stopped helping: give up.
    Hopeless,
}

/// The smallest `n` in `1..=max` that `judge` says meets, assuming meeting is monotone (once a headcount
/// meets, every larger one does). From `start`, steps of 1, 2, 4, ... go down while headcounts meet, or up
/// while they fail, until the answer is bracketed; bisection then closes the bracket. `None` when `max` fails
/// or `judge` gives up. `judge` is called at most once per headcount if it caches, as the caller's does.
pub fn bracket_bisect(start: u32, max: u32, mut judge: impl FnMut(u32) -> Result<Verdict>) -> Result<Option<u32>> {
    let start = start.clamp(1, max.max(1));
    // `bad` fails (0: nothing below 1), `good` meets.
    let (mut bad, mut good) = match judge(start)? {
        Verdict::Meets => {
            let (mut good, mut step) = (start, 1);
            loop {
                if good == 1 {
                    break (0, 1);
                }
                let lower = good.saturating_sub(step).max(1);
                match judge(lower)? {
                    Verdict::Meets => good = lower,
                    Verdict::Fails | Verdict::Hopeless => break (lower, good),
                }
                step = step.saturating_mul(2);
            }
        }
        Verdict::Hopeless => return Ok(None),
        Verdict::Fails => {
            let (mut bad, mut step) = (start, 1);
            loop {
                if bad >= max {
                    return Ok(None);
                }
                let upper = bad.saturating_add(step).min(max);
                match judge(upper)? {
                    Verdict::Meets => break (bad, upper),
                    Verdict::Fails => bad = upper,
                    Verdict::Hopeless => return Ok(None),
                }
                step = step.saturating_mul(2);
            }
        }
    };
    while good - bad > 1 {
        let mid = bad + (good - bad) / 2;
        match judge(mid)? {
            Verdict::Meets => good = mid,
            Verdict::Fails | Verdict::Hopeless => bad = mid,
        }
    }
    Ok(Some(good))
}

/// Whether adding agents has stopped helping: the last three headcounts tried were increasing and failing,
/// and every failing target's metric got no closer to its bound from one to the next (it stayed put, as a
/// persistent policy's overnight waits do, or moved away, as occupancy does for `occupancy>=X`).
fn no_progress(path: &[Evaluation], targets: &[Target]) -> bool {
    let [.., a, b, c] = path else { return false };
    if !(a.agents < b.agents && b.agents < c.agents) || a.meets || b.meets || c.meets {
        return false;
    }
    let closer = |from: &Evaluation, to: &Evaluation, t: &Target| match (
        from.summary.num(0, &t.metric),
        to.summary.num(0, &t.metric),
    ) {
        (Some(x), Some(y)) => match t.direction {
            Direction::AtLeast => y > x,
            Direction::AtMost => y < x,
        },
        (None, Some(_)) => true,
        _ => false,
    };
    targets.iter().filter(|t| !met(&c.summary, t, false)).all(|t| !closer(a, b, t) && !closer(b, c, t))
}

fn unreachable(targets: &[Target], last: Option<&Evaluation>) -> Error {
    let values: Vec<String> = match last {
        Some(e) => targets
            .iter()
            .map(|t| {
                let v = e.summary.num(0, &t.metric).map_or("undefined".into(), crate::report::csv::format_number);
                format!("{} = {v}", t.metric)
            })
            .collect(),
        None => Vec::new(),
    };
    Error::Input(format!(
        "--target: no headcount meets {} (at {} agents: {}); adding agents stopped helping",
        targets.iter().map(|t| t.text.as_str()).collect::<Vec<_>>().join(" and "),
        last.map_or(0, |e| e.agents),
        values.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs the search against "meets from `need` on", counting evaluations.
    fn search(start: u32, need: u32, max: u32) -> (Option<u32>, usize) {
        let mut tried = std::collections::BTreeSet::new();
        let found = bracket_bisect(start, max, |n| {
            tried.insert(n);
            Ok(if n >= need { Verdict::Meets } else { Verdict::Fails })
        })
        .unwrap();
        (found, tried.len())
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

    #[test]
    fn gives_up_when_told() {
        let found = bracket_bisect(10, 1000, |n| Ok(if n < 13 { Verdict::Fails } else { Verdict::Hopeless })).unwrap();
        assert_eq!(found, None);
    }
}
