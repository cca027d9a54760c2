//! Who was there: agents' presence inferred from their service spells.
//!
//! A log shows agents only while they serve. The rule: an agent is **present** from the start of a service to
//! its end, and across any gap to their next service shorter than the presence gap `G` (default 15 minutes):
//! an agent who takes calls at 10:00-10:04 and 10:09-10:15 was there from 10:00 to 10:15; one whose next call
//! is 40 minutes later was away in between (a break, other work, signed out). Presence before an agent's first
//! call and after their last is not counted: idle time at the edges of a shift leaves no trace.
//!
//! The headcount at each moment is the number of agents present; per interval, `agents_present` is its time
//! average (an agent present 15 of 30 minutes counts 0.5), and `agents_seen` the old upper bound, the number of
//! distinct agents with any service overlapping the interval.

use std::collections::BTreeMap;

/// Headcount changes: (moment in seconds, agents present from then on), sorted, no two at the same moment.
pub type Steps = Vec<(i64, u32)>;

/// Each agent's presence spells: services merged across gaps shorter than `gap_s`.
pub fn spells(services: &BTreeMap<&str, Vec<(i64, i64)>>, gap_s: i64, pad_s: i64) -> Vec<(i64, i64)> {
    let mut out = Vec::new();
    for list in services.values() {
        let mut current: Option<(i64, i64)> = None;
        for &(start, end) in list {
            let (start, end) = (start - pad_s, end + pad_s);
            current = match current {
                Some((s, e)) if start - e < gap_s => Some((s, e.max(end))),
                Some(done) => {
                    out.push(done);
                    Some((start, end))
                }
                None => Some((start, end)),
            };
        }
        out.extend(current);
    }
    out
}

/// The headcount step function of a set of spells.
pub fn steps(spells: &[(i64, i64)]) -> Steps {
    let mut changes: BTreeMap<i64, i64> = BTreeMap::new();
    for &(s, e) in spells.iter().filter(|(s, e)| e > s) {
        *changes.entry(s).or_default() += 1;
        *changes.entry(e).or_default() -= 1;
    }
    let mut out = Steps::new();
    let mut count = 0i64;
    for (t, d) in changes {
        count += d;
        if d != 0 && out.last().is_none_or(|&(_, n)| n as i64 != count) {
            out.push((t, count as u32));
        }
    }
    out
}

/// Time-averaged headcount of `steps` over `[from, to)`.
pub fn mean_over(steps: &Steps, from: i64, to: i64) -> f64 {
    let at = steps.partition_point(|&(t, _)| t <= from);
    let mut level = if at == 0 { 0 } else { steps[at - 1].1 };
    let mut t = from;
    let mut area = 0.0;
    for &(when, n) in &steps[at..] {
        if when >= to {
            break;
        }
        area += f64::from(level) * (when - t) as f64;
        (t, level) = (when, n);
    }
    area += f64::from(level) * (to - t) as f64;
    area / (to - from) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_gaps_merge_and_long_gaps_split() {
        let mut by = BTreeMap::new();
        by.insert("A", vec![(0, 240), (540, 900), (3300, 3400)]);
        by.insert("B", vec![(600, 1200)]);
        let s = spells(&by, 900, 0);
        assert_eq!(s, vec![(0, 900), (3300, 3400), (600, 1200)]);
        let st = steps(&s);
        assert_eq!(st, vec![(0, 1), (600, 2), (900, 1), (1200, 0), (3300, 1), (3400, 0)]);
        // 0-1800: A 900 s + B 600 s = 1500 agent-seconds over 1800 s.
        assert!((mean_over(&st, 0, 1800) - 1500.0 / 1800.0).abs() < 1e-12);
        assert!((mean_over(&st, 1800, 3600) - 100.0 / 1800.0).abs() < 1e-12);
    }
}
