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

use super::target::Target;
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

/// Finds the smallest constant headcount of `scenario` (one policy) meeting every target.
pub fn smallest_constant(scenario: &Scenario, targets: &[Target], confident: bool, jobs: usize) -> Result<Found> {
    let mut path: Vec<Evaluation> = Vec::new();
    let try_count = |n: u32, path: &mut Vec<Evaluation>| -> Result<bool> {
        if let Some(e) = path.iter().find(|e| e.agents == n) {
            return Ok(e.meets);
        }
        let e = evaluate(scenario, Staffing::Count(n), targets, confident, jobs)?;
        let meets = e.meets;
        path.push(e);
        Ok(meets)
    };
    let start = scenario.agents.staffing.max_agents().clamp(1, MAX_AGENTS);
    let (mut bad, mut good) = if try_count(start, &mut path)? {
        let mut step = 1;
        loop {
            let lower = start.saturating_sub(step).max(1);
            if lower == start {
                break (0, start);
            }
            if !try_count(lower, &mut path)? {
                break (lower, start - step / 2);
            }
            if lower == 1 {
                break (0, 1);
            }
            step *= 2;
        }
    } else {
        let mut step = 1;
        let mut below = start;
        loop {
            let upper = start.saturating_add(step).min(MAX_AGENTS);
            if try_count(upper, &mut path)? {
                break (below, upper);
            }
            if upper == MAX_AGENTS {
                return Err(unreachable(targets, path.last()));
            }
            if plateau(&path, targets) {
                return Err(unreachable(targets, path.last()));
            }
            below = upper;
            step *= 2;
        }
    };
    // The bracket's good end must be one that was tried and met (the step halving above keeps it so).
    good = path.iter().filter(|e| e.meets && e.agents > bad).map(|e| e.agents).min().unwrap_or(good);
    while good - bad > 1 {
        let mid = bad + (good - bad) / 2;
        if try_count(mid, &mut path)? {
            good = mid;
        } else {
            bad = mid;
        }
    }
    let answer = path.iter().find(|e| e.agents == good).cloned().ok_or_else(|| Error::Other("search lost".into()))?;
    Ok(Found { answer, path })
}

/// Whether the last two headcounts tried gave the same values of every target metric: more agents change
/// nothing, so the targets cannot be met by adding agents.
fn plateau(path: &[Evaluation], targets: &[Target]) -> bool {
    let [.., a, b] = path else { return false };
    targets.iter().all(|t| a.summary.num(0, &t.metric) == b.summary.num(0, &t.metric))
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
        "--target: no headcount meets {} (at {} agents: {}); more agents stop helping",
        targets.iter().map(|t| t.text.as_str()).collect::<Vec<_>>().join(" and "),
        last.map_or(0, |e| e.agents),
        values.join(", ")
    ))
}
