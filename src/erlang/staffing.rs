//! Agents needed: the smallest headcount meeting a service-level goal and/or a mean-wait goal.
//!
//! More agents never hurt in these models (service level rises, waits fall), so we look for the first headcount
//! that meets the goal by doubling an upper bound and then bisecting: about `2 log2(N)` evaluations instead of `N`.

use super::{erlang_a, erlang_c};

/// The largest headcount the formulas accept: beyond it a question is almost certainly a typo.
pub const MAX_AGENTS: u32 = 100_000;

/// A staffing goal; every goal given must hold. With no goal at all, any stable headcount qualifies.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Target {
    /// `(share, threshold_s)`: at least `share` (0 to 1) of contacts assigned within `threshold_s` seconds.
    pub service_level: Option<(f64, f64)>,
    /// At most this mean wait over all contacts, seconds.
    pub max_mean_wait_s: Option<f64>,
}

impl Target {
    /// Whether a model's service-level function and mean wait meet every goal.
    fn met(&self, service_level: impl Fn(f64) -> f64, mean_wait_s: f64) -> bool {
        let sl_ok = self.service_level.is_none_or(|(share, t)| service_level(t) >= share);
        let wait_ok = self.max_mean_wait_s.is_none_or(|w| mean_wait_s <= w);
        sl_ok && wait_ok
    }
}

/// Smallest headcount meeting `target` under Erlang C, or `None` if not even [`MAX_AGENTS`] do.
pub fn agents_needed_c(rate_per_sec: f64, aht_s: f64, target: &Target) -> Option<u32> {
    let stable_from = (rate_per_sec * aht_s).floor() + 1.0;
    if stable_from > MAX_AGENTS as f64 {
        return None;
    }
    smallest(stable_from as u32, |c| {
        let q = erlang_c(rate_per_sec, aht_s, c);
        target.met(|t| q.service_level(t), q.mean_wait_s)
    })
}

/// Smallest headcount meeting `target` under Erlang A, or `None` if not even [`MAX_AGENTS`] do.
///
/// A service level can never exceed the share of contacts served, and agents serve at most `c / a` of the offered
/// load, so the search starts at `share x a` agents and never looks at hopelessly overloaded headcounts.
pub fn agents_needed_a(rate_per_sec: f64, aht_s: f64, patience_s: f64, target: &Target) -> Option<u32> {
    let from = target.service_level.map_or(1.0, |(share, _)| (share * rate_per_sec * aht_s).ceil().max(1.0));
    if from > MAX_AGENTS as f64 {
        return None;
    }
    smallest(from as u32, |c| {
        let q = erlang_a(rate_per_sec, aht_s, c, patience_s);
        target.met(|t| q.service_level(t), q.mean_wait_s)
    })
}

/// The first `c >= lo` (up to [`MAX_AGENTS`]) where the monotone predicate `meets` holds.
fn smallest(lo: u32, meets: impl Fn(u32) -> bool) -> Option<u32> {
    if meets(lo) {
        return Some(lo);
    }
    let (mut bad, mut step) = (lo, 1u32);
    let mut good = loop {
        let hi = bad.saturating_add(step).min(MAX_AGENTS);
        if meets(hi) {
            break hi;
        }
        if hi == MAX_AGENTS {
            return None;
        }
        bad = hi;
        step = step.saturating_mul(2);
    };
    while good - bad > 1 {
        let mid = bad + (good - bad) / 2;
        if meets(mid) {
            good = mid;
        } else {
            bad = mid;
        }
    }
    Some(good)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RATE: f64 = 100.0 / 1800.0;

    #[test]
    fn erlang_c_staffing_matches_the_worked_example() {
        let eighty_in_20 = Target { service_level: Some((0.8, 20.0)), max_mean_wait_s: None };
        // 13 agents give 79.0%, just short.
        assert_eq!(agents_needed_c(RATE, 180.0, &eighty_in_20), Some(14));
        let ninety_in_20 = Target { service_level: Some((0.9, 20.0)), max_mean_wait_s: None };
        assert_eq!(agents_needed_c(RATE, 180.0, &ninety_in_20), Some(15));
        let asa_10 = Target { service_level: None, max_mean_wait_s: Some(10.0) };
        assert_eq!(agents_needed_c(RATE, 180.0, &asa_10), Some(14));
        assert_eq!(agents_needed_c(RATE, 180.0, &Target::default()), Some(11));
    }

    #[test]
    fn the_answer_is_the_first_headcount_that_qualifies() {
        let target = Target { service_level: Some((0.8, 20.0)), max_mean_wait_s: Some(30.0) };
        let needed = agents_needed_a(RATE, 180.0, 120.0, &target).unwrap();
        let meets = |c| {
            let q = erlang_a(RATE, 180.0, c, 120.0);
            q.service_level(20.0) >= 0.8 && q.mean_wait_s <= 30.0
        };
        assert!(meets(needed) && !meets(needed - 1));
    }

    #[test]
    fn an_impossible_goal_has_no_answer() {
        let target = Target { service_level: Some((1.5, 20.0)), max_mean_wait_s: None };
        assert_eq!(agents_needed_c(RATE, 180.0, &target), None);
    }
}
