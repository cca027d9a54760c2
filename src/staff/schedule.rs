//! `--per-interval`: a headcount for every interval of the week, found by simulating and adjusting.
//!
//! The week is cut into slots of the scenario's `interval` (30 minutes by default: 336 slots). A slot's
//! headcount is *scheduled* agents: the scenario's `agents.shrinkage` applies to it as to any roster. A slot in
//! which the queue is closed throughout, in every week of the window, is *closed*: it gets no agents and is
//! never adjusted.
//!
//! Targets on [`INTERVAL_METRICS`](super::target::INTERVAL_METRICS) are judged slot by slot, on the slot's value
//! over every replication and every week of the window: `response_p90_s`, `occupancy` and
//! `capacity_utilisation` from `intervals.csv`'s measures (averaged), and the conversation measures
//! (`service_level`, `service_level_open_hours`, `wait_probability`, `queue_wait_mean_s`, `abandon_rate`) pooled
//! over the offered conversations that *arrived* in the slot. Every other summary metric (`first_response_p90_s`,
//! `first_response_open_p90_s`, ...) has no per-interval measure and is judged on the whole window: while one
//! misses, every open slot counts as missing. The algorithm:
//!
//! 1. Start from the constant answer `n`: each open slot gets `ceil(n x arrivals in the slot / arrivals in the
//!    busiest slot)`, so quiet hours start low and the peak starts at `n`; closed slots get 0.
//! 2. Simulate the whole run with that weekly schedule (repeated over warm-up, window and drain). Each slot
//!    that misses a target gets one more agent and is *locked*: it will not be lowered again. Each slot that
//!    meets every target and is not locked gets one agent fewer (down to zero), to probe whether it can.
//!    A slot whose missed targets got less than 5% closer over two raises in a row is *hopeless*: more agents
//!    do not fix it (a persistent policy's responses at opening time to messages written overnight), so the
//!    two raises are undone and it is left alone from then on.
//! 3. Repeat until a round changes nothing (every slot meets and is locked or at zero, or is hopeless) or
//!    [`MAX_ROUNDS`] rounds have run. The answer is the simulated schedule with the fewest agent-hours in
//!    which every slot but the hopeless ones met every target, preferring one whose whole window also meets
//!    every target (slots judged one by one can all pass while the window, weighted by traffic, misses: the
//!    hopeless slots count in the window). Every round is kept for `staff-schedule-path.csv`, with its
//!    whole-window verdict, and the terminal says plainly when the answer misses a target over the window.
//!
//! Limits, honestly: slots are not independent (an understaffed slot leaves a backlog to the next, and a
//! persistent conversation parked at night comes back in the morning), so lowering one slot can make a later
//! one fail; the greedy rounds cope with that but do not guarantee the fewest agent-hours. A slot's metric is
//! a mean over few conversations when traffic is light, so its verdict is noisy: use several replications and
//! a window of a few weeks. Slots where nothing was measured (no conversation offered, no response, no agent)
//! count as meeting the targets and are lowered to zero. Every round uses the same seeds (common random
//! numbers), so the rounds differ by their staffing only.

use super::search::{Evaluation, evaluate, met};
use super::target::{Direction, Target};
use crate::hours::OperatingHours;
use crate::metrics::run::Outcome;
use crate::routing::Millis;
use crate::scenario::{Roster, Scenario, Staffing};
use crate::{Error, Result};

/// The most simulate-and-adjust rounds.
pub const MAX_ROUNDS: usize = 40;

/// One round of the per-interval search.
#[derive(Debug, Clone)]
pub struct Round {
    /// The weekly headcounts simulated in this round, one per slot.
    pub slots: Vec<u32>,
    /// Slots that missed a target (and are not hopeless).
    pub failing: usize,
    /// Slots given up on: more agents did not bring them closer to the targets.
    pub hopeless: usize,
    /// Agent-hours per week of this schedule.
    pub agent_hours: f64,
    /// Per target, its value over the whole window at this schedule (the summary's mean).
    pub window: Vec<Option<f64>>,
    /// Whether every target held over the whole window at this schedule.
    pub window_meets: bool,
}

/// The outcome of a per-interval search.
#[derive(Debug, Clone)]
pub struct Schedule {
    /// Slot length.
    pub slot: Millis,
    /// The best schedule found (see [`per_interval`]); `None` if no round met every slot but hopeless ones.
    pub best: Option<Vec<u32>>,
    /// The round of the best schedule.
    pub best_round: Option<usize>,
    /// Every round in order.
    pub rounds: Vec<Round>,
    /// Per slot: whether the queue is closed throughout it in every week (those slots get no agents).
    pub closed: Vec<bool>,
    /// Whether the rounds settled before [`MAX_ROUNDS`].
    pub converged: bool,
}

/// Slots in a week of `slot`-long intervals; the slot must divide a day, so the week reads as a table of
/// intervals of the day by weekday.
pub fn slots_per_week(slot: Millis) -> Result<usize> {
    if slot.0 == 0 || !Millis::DAY.0.is_multiple_of(slot.0) {
        return Err(Error::Input(format!(
            "--per-interval: the scenario's interval must divide a day evenly (15m, 30m, 1h, ...), got {}",
            crate::sweep::grid::duration_text(slot)
        )));
    }
    Ok((Millis::WEEK.0 / slot.0) as usize)
}

/// The slot of simulation time `t`.
fn slot_of(t: Millis, slot: Millis, count: usize) -> usize {
    ((t.0 % Millis::WEEK.0) / slot.0) as usize % count
}

/// The weekly headcounts repeated over the whole run, as `agents.schedule` entries (changes only).
pub fn staffing(slots: &[u32], slot: Millis, horizon: Millis) -> Vec<(Millis, u32)> {
    let mut entries: Vec<(Millis, u32)> = Vec::new();
    let mut t = Millis::ZERO;
    while t < horizon || entries.is_empty() {
        let n = slots[slot_of(t, slot, slots.len())];
        if entries.last().is_none_or(|(_, last)| *last != n) {
            entries.push((t, n));
        }
        t = Millis(t.0 + slot.0);
    }
    entries
}

/// Per slot: whether the queue is closed throughout it in every week of the window.
pub fn closed_slots(hours: &OperatingHours, window: (Millis, Millis), slot: Millis, count: usize) -> Vec<bool> {
    let mut closed = vec![true; count];
    let mut t = Millis(window.0.0 - window.0.0 % slot.0);
    while t < window.1 {
        let s = slot_of(t, slot, count);
        if closed[s] && hours.open_between(t, Millis(t.0 + slot.0)) > Millis::ZERO {
            closed[s] = false;
        }
        t = Millis(t.0 + slot.0);
    }
    closed
}

/// Sums per slot of the conversation measures: offered, within the threshold, within it in open time, waited
/// on arrival, total wait (ms), abandoned.
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    offered: u64,
    within: u64,
    within_open: u64,
    waited: u64,
    wait_ms: f64,
    abandoned: u64,
}

/// Per slot, per target: the slot's value over replications and weeks, `None` where nothing was measured or the
/// metric has no per-interval measure.
fn slot_means(eval: &Evaluation, targets: &[Target], scenario: &Scenario, count: usize) -> Vec<Vec<Option<f64>>> {
    let slot = scenario.interval;
    let threshold = scenario.service_level;
    let mut tallies = vec![Tally::default(); count];
    let mut sums = vec![vec![(0.0, 0usize); targets.len()]; count];
    for run in &eval.runs.replications {
        for r in run.records.iter().filter(|r| r.outcome != Outcome::Refused) {
            let t = &mut tallies[slot_of(r.arrived_at, slot, count)];
            let waited_until = r.assigned_at.unwrap_or(r.ended_at);
            t.offered += 1;
            t.within += u64::from(r.assigned_at.is_some_and(|a| a - r.arrived_at <= threshold));
            t.within_open +=
                u64::from(r.assigned_at.is_some_and(|a| scenario.hours.open_between(r.arrived_at, a) <= threshold));
            t.waited += u64::from(r.assigned_at != Some(r.arrived_at));
            t.wait_ms += (waited_until - r.arrived_at).0 as f64;
            t.abandoned += u64::from(r.outcome == Outcome::Abandoned);
        }
        for row in &run.measured.intervals {
            let s = slot_of(row.start, slot, count);
            for (k, t) in targets.iter().enumerate() {
                let value = match t.metric.as_str() {
                    "response_p90_s" => row.response_p90_s,
                    "occupancy" => row.occupancy(),
                    "capacity_utilisation" => {
                        (row.means.capacity_online > 0.0).then(|| row.means.capacity_used / row.means.capacity_online)
                    }
                    _ => None,
                };
                if let Some(v) = value.filter(|v| v.is_finite()) {
                    sums[s][k].0 += v;
                    sums[s][k].1 += 1;
                }
            }
        }
    }
    (0..count)
        .map(|s| {
            let t = tallies[s];
            let share = |n: u64| (t.offered > 0).then(|| n as f64 / t.offered as f64);
            targets
                .iter()
                .enumerate()
                .map(|(k, target)| match target.metric.as_str() {
                    "service_level" => share(t.within),
                    "service_level_open_hours" => share(t.within_open),
                    "wait_probability" => share(t.waited),
                    "abandon_rate" => share(t.abandoned),
                    "queue_wait_mean_s" => (t.offered > 0).then(|| t.wait_ms / t.offered as f64 / 1_000.0),
                    _ => {
                        let (sum, n) = sums[s][k];
                        (n > 0).then(|| sum / n as f64)
                    }
                })
                .collect()
        })
        .collect()
}

/// Whether a slot with these means meets every target (an unmeasured metric counts as met).
fn slot_meets(means: &[Option<f64>], targets: &[Target]) -> bool {
    means.iter().zip(targets).all(|(m, t)| m.is_none() || t.met(*m, None, false))
}

/// How far a metric is from meeting its target (0 when it meets).
fn gap(mean: Option<f64>, target: &Target) -> f64 {
    match (mean, target.direction) {
        (None, _) => 0.0,
        (Some(v), Direction::AtLeast) => (target.bound - v).max(0.0),
        (Some(v), Direction::AtMost) => (v - target.bound).max(0.0),
    }
}

/// Consecutive raises of one slot after which a missed target must be at least [`MIN_GAIN`] of its gap closer,
/// or the slot is given up on.
const HOPELESS_AFTER: usize = 2;

/// The share of a missed target's gap that [`HOPELESS_AFTER`] raises must close.
const MIN_GAIN: f64 = 0.05;

/// Arrivals per slot, summed over replications and weeks.
fn arrivals(eval: &Evaluation, slot: Millis, count: usize) -> Vec<u64> {
    let mut out = vec![0; count];
    for run in &eval.runs.replications {
        for row in &run.measured.intervals {
            out[slot_of(row.start, slot, count)] += row.arrivals;
        }
    }
    out
}

/// Whether a per-interval search can run: a window of at least a week, and an interval that divides the week.
pub fn check(scenario: &Scenario) -> Result<()> {
    if scenario.duration < Millis::WEEK {
        return Err(Error::Input(format!(
            "--per-interval: the window (duration) must cover at least a week to measure every interval of the \
             week, got {}; for example --set duration=14d",
            crate::sweep::grid::duration_text(scenario.duration)
        )));
    }
    slots_per_week(scenario.interval).map(|_| ())
}

/// Runs the per-interval search for `scenario` (one policy), starting from the constant answer `constant`.
pub fn per_interval(scenario: &Scenario, targets: &[Target], constant: &Evaluation, jobs: usize) -> Result<Schedule> {
    check(scenario)?;
    let slot = scenario.interval;
    let count = slots_per_week(slot)?;
    let closed = closed_slots(&scenario.hours, scenario.window(), slot, count);
    let load = arrivals(constant, slot, count);
    let peak = load.iter().zip(&closed).filter(|(_, c)| !**c).map(|(a, _)| *a).max().unwrap_or(0).max(1);
    let mut slots: Vec<u32> = load
        .iter()
        .zip(&closed)
        .map(|(a, c)| if *c { 0 } else { (f64::from(constant.agents) * *a as f64 / peak as f64).ceil() as u32 })
        .collect();
    let (slot_targets, window_targets): (Vec<Target>, Vec<Target>) =
        targets.iter().cloned().partition(Target::per_interval);
    let shrinkage = scenario.agents.staffing.shrinkage;
    let mut locked = vec![false; count];
    let mut hopeless = vec![false; count];
    // Per slot: (headcount, means) of each consecutive failing round.
    let mut misses: Vec<Vec<(u32, Vec<Option<f64>>)>> = vec![Vec::new(); count];
    let hours_per_slot = slot.as_secs_f64() / 3_600.0;
    let horizon = scenario.horizon();
    let mut rounds = Vec::new();
    // (agent-hours, round, whole window met) of the best round so far.
    let mut best: Option<(f64, usize, bool)> = None;
    let mut converged = false;
    for _ in 0..MAX_ROUNDS {
        let entries = staffing(&slots, slot, horizon);
        let plan = Staffing { roster: Roster::Schedule(entries), scale: 1.0, shrinkage };
        let eval = evaluate(scenario, plan, targets, false, jobs, true)?;
        let means = slot_means(&eval, &slot_targets, scenario, count);
        let window_met = window_targets.iter().all(|t| met(&eval, t, false));
        let meets: Vec<bool> =
            (0..count).map(|s| closed[s] || (window_met && slot_meets(&means[s], &slot_targets))).collect();
        let failing = (0..count).filter(|&s| !meets[s] && !hopeless[s]).count();
        let agent_hours = slots.iter().map(|n| f64::from(*n) * hours_per_slot).sum::<f64>();
        let window_meets = targets.iter().all(|t| met(&eval, t, false));
        rounds.push(Round {
            slots: slots.clone(),
            failing,
            hopeless: hopeless.iter().filter(|h| **h).count(),
            agent_hours,
            window: targets.iter().map(|t| eval.reading(t).0).collect(),
            window_meets,
        });
        // A schedule meeting the targets over the whole window too beats any that does not, then fewer hours.
        let better = |&(h, _, w): &(f64, usize, bool)| (window_meets, -agent_hours) > (w, -h);
        if failing == 0 && best.as_ref().is_none_or(better) {
            best = Some((agent_hours, rounds.len() - 1, window_meets));
        }
        let mut changed = false;
        for s in 0..count {
            if hopeless[s] {
                continue;
            }
            if meets[s] {
                misses[s].clear();
                if !locked[s] && slots[s] > 0 {
                    slots[s] -= 1;
                    changed = true;
                }
                continue;
            }
            misses[s].push((slots[s], means[s].clone()));
            let n = misses[s].len();
            if n > HOPELESS_AFTER
                && window_met
                && slot_targets.iter().enumerate().all(|(k, t)| {
                    let (old, new) = (&misses[s][n - 1 - HOPELESS_AFTER].1, &misses[s][n - 1].1);
                    let (g_old, g_new) = (gap(old[k], t), gap(new[k], t));
                    g_new == 0.0 || g_new > g_old * (1.0 - MIN_GAIN)
                })
            {
                // HOPELESS_AFTER raises did not help: undo them and leave the slot as it was.
                hopeless[s] = true;
                slots[s] = misses[s][n - 1 - HOPELESS_AFTER].0;
                changed = true;
                continue;
            }
            slots[s] += 1;
            locked[s] = true;
            changed = true;
        }
        if !changed {
            converged = true;
            break;
        }
    }
    let best_round = best.map(|(_, r, _)| r);
    Ok(Schedule { slot, best: best_round.map(|r| rounds[r].slots.clone()), best_round, rounds, converged, closed })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekly_slots_repeat_over_the_run() {
        let slot = Millis::HOUR;
        let mut slots = vec![2u32; 168];
        slots[1] = 5;
        let entries = staffing(&slots, slot, Millis(2 * Millis::WEEK.0));
        assert_eq!(entries[0], (Millis::ZERO, 2));
        assert_eq!(entries[1], (Millis::HOUR, 5));
        assert_eq!(entries[2], (Millis(2 * Millis::HOUR.0), 2));
        assert_eq!(entries[3], (Millis(Millis::WEEK.0 + Millis::HOUR.0), 5));
        assert_eq!(entries.len(), 5);
        assert_eq!(slots_per_week(Millis::from_mins(30)).unwrap(), 336);
        assert!(slots_per_week(Millis::from_mins(11)).is_err());
    }

    #[test]
    fn gaps_and_verdicts_of_a_slot() {
        let floor = Target::parse("service_level>=0.8").unwrap();
        let ceiling = Target::parse("response_p90_s<=120").unwrap();
        assert!((gap(Some(0.7), &floor) - 0.1).abs() < 1e-12);
        assert_eq!(gap(Some(0.9), &floor), 0.0);
        assert_eq!(gap(Some(150.0), &ceiling), 30.0);
        assert_eq!(gap(None, &ceiling), 0.0);
        let targets = [floor, ceiling];
        assert!(slot_meets(&[Some(0.85), Some(100.0)], &targets));
        assert!(slot_meets(&[None, None], &targets), "nothing measured counts as met");
        assert!(!slot_meets(&[Some(0.85), Some(130.0)], &targets));
    }
}
