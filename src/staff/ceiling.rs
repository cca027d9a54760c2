//! Targets no headcount can meet, known before simulating anything.
//!
//! A persistent queue accepts conversations at any hour, but nobody is assigned while it is closed. A
//! conversation that arrives more than `t` before the next opening waits longer than `t` however many agents
//! there are. From the arrivals of the measured window (the rate profile integrated stretch by stretch, or the
//! trace's arrivals), with `closed(t)` the share of offered conversations that wait more than `t` for the
//! queue to open:
//! - `service_level >= x` needs `x <= 1 - closed(service_level threshold)`;
//! - `wait_probability <= x` needs `x >= closed(0)` (they cannot be assigned on arrival);
//! - `first_response_p50_s <= x` / `first_response_p90_s <= x` need `closed(x)` at most 50% / 10%;
//! - `queue_wait_mean_s <= x` needs `x` at least the mean wait for the opening.
//!
//! Live queues refuse conversations while closed, and refused ones are not offered, so these ceilings do not
//! apply to them. The `_open_hours` metrics count only open time, so they have none either: the message says so.
//! Shares (`service_level`, rates, `occupancy`, ...) cannot exceed 1 nor fall below 0, for any policy.

use super::load::stretches;
use super::target::{Direction, Target};
use crate::report::csv::format_number;
use crate::routing::Millis;
use crate::scenario::{PolicySpec, Scenario};
use crate::sim::policy::is_live;
use crate::sweep::grid::duration_text;

/// Summary metrics that are shares from 0 to 1.
const SHARES: [&str; 9] = [
    "abandon_rate",
    "wait_probability",
    "service_level",
    "occupancy",
    "capacity_utilisation",
    "reclaimed_capacity_share",
    "same_agent_share",
    "service_level_open_hours",
    "lost_share",
];

/// How the window's offered conversations wait for the queue to open.
#[derive(Debug, Clone, PartialEq)]
pub struct ClosedWaits {
    /// (arrivals, opens_at or None) per stretch; see [`stretches`].
    stretches: Vec<super::load::Stretch>,
    /// Expected offered conversations in the window.
    total: f64,
}

impl ClosedWaits {
    /// The waits of `scenario`'s window.
    pub fn of(scenario: &Scenario) -> ClosedWaits {
        let stretches = stretches(scenario);
        let total = stretches.iter().map(|s| s.arrivals).sum();
        ClosedWaits { stretches, total }
    }

    /// Share of offered conversations that wait more than `t` seconds for the queue to open.
    pub fn share_longer(&self, t_s: f64) -> f64 {
        if self.total <= 0.0 {
            return 0.0;
        }
        let t = t_s * 1_000.0;
        let mut late = 0.0;
        for s in &self.stretches {
            let Some(open) = s.opens_at else { continue };
            // Arrivals at u wait open - u: longer than t for u < open - t.
            let cut = open - t;
            late += if s.to > s.from {
                s.arrivals * ((cut.min(s.to) - s.from) / (s.to - s.from)).clamp(0.0, 1.0)
            } else if open - s.from > t {
                s.arrivals
            } else {
                0.0
            };
        }
        late / self.total
    }

    /// Mean wait for the queue to open over offered conversations, seconds (infinite if it never opens again).
    pub fn mean_wait_s(&self) -> f64 {
        if self.total <= 0.0 {
            return 0.0;
        }
        let sum: f64 = self
            .stretches
            .iter()
            .filter_map(|s| s.opens_at.map(|open| s.arrivals * (open - (s.from + s.to) / 2.0)))
            .sum();
        sum / self.total / 1_000.0
    }
}

/// For a persistent `service_level>=x` target below its closed-hours ceiling: a note saying how close to the
/// ceiling it sits, for the message of a target the search found unreachable.
pub fn closeness(scenario: &Scenario, policy: &PolicySpec, target: &Target, waits: &ClosedWaits) -> Option<String> {
    if is_live(policy) || target.metric != "service_level" || target.direction != Direction::AtLeast {
        return None;
    }
    let late = waits.share_longer(scenario.service_level.as_secs_f64());
    if late <= 0.0 || late >= 1.0 {
        return None;
    }
    let open_share = (target.bound / (1.0 - late)).min(1.0);
    Some(format!(
        "{:.1}% of conversations arrive while the queue is closed, so service_level cannot exceed {}, and {} needs \
         {:.1}% of the others answered within {}; try service_level_open_hours, which counts only open time",
        late * 100.0,
        format_number(((1.0 - late) * 1_000.0).floor() / 1_000.0),
        target.text,
        open_share * 100.0,
        duration_text(scenario.service_level)
    ))
}

/// Why `target` cannot be met by `policy` at any headcount, if a known ceiling says so.
pub fn known_ceiling(scenario: &Scenario, policy: &PolicySpec, target: &Target, waits: &ClosedWaits) -> Option<String> {
    let (x, metric) = (target.bound, target.metric.as_str());
    if SHARES.contains(&metric) {
        match target.direction {
            Direction::AtLeast if x > 1.0 => return Some(format!("{metric} is a share and cannot exceed 1")),
            Direction::AtMost if x < 0.0 => return Some(format!("{metric} is a share and cannot fall below 0")),
            _ => {}
        }
    }
    if is_live(policy) {
        return None;
    }
    let pct = |share: f64| format!("{:.1}%", share * 100.0);
    match (metric, target.direction) {
        ("service_level", Direction::AtLeast) => {
            let threshold = scenario.service_level;
            let late = waits.share_longer(threshold.as_secs_f64());
            (x > 1.0 - late).then(|| {
                format!(
                    "{} of conversations arrive while the queue is closed, more than {} before it opens, so \
                     service_level cannot exceed {}; try service_level_open_hours, which counts only open time",
                    pct(late),
                    duration_text(threshold),
                    format_number(((1.0 - late) * 1_000.0).floor() / 1_000.0)
                )
            })
        }
        ("wait_probability", Direction::AtMost) => {
            let closed = waits.share_longer(0.0);
            (x < closed).then(|| {
                format!(
                    "{} of conversations arrive while the queue is closed and wait for it to open, so \
                     wait_probability cannot fall below {}",
                    pct(closed),
                    format_number((closed * 1_000.0).ceil() / 1_000.0)
                )
            })
        }
        ("first_response_p50_s" | "first_response_p90_s", Direction::AtMost) => {
            let tail = if metric == "first_response_p50_s" { 0.5 } else { 0.1 };
            let late = waits.share_longer(x);
            (late > tail).then(|| {
                format!(
                    "{} of conversations arrive more than {} before the queue opens, so {metric} cannot be {} or \
                     less; try first_response_open_p90_s, which counts only open time",
                    pct(late),
                    duration_text(Millis::from_secs_f64(x)),
                    format_number(x)
                )
            })
        }
        ("queue_wait_mean_s", Direction::AtMost) => {
            let mean = waits.mean_wait_s();
            (x < mean).then(|| {
                format!(
                    "conversations arriving while the queue is closed wait {} for it to open on average over all \
                     conversations, so queue_wait_mean_s cannot be {} or less",
                    format_number(mean.round()),
                    format_number(x)
                )
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load_str;

    fn scenario(mode: &str) -> Scenario {
        let days: String = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
            .iter()
            .map(|d| format!("{d} = \"08:00-20:00\"\n"))
            .collect();
        let text = format!(
            "name = \"t\"\nduration = \"7d\"\n[hours]\n{days}[arrivals]\nrate = 60\n[agents]\ncount = 2\nreply = {{ \
             dist = \"constant\", value = \"1m\" }}\n[[policy]]\nname = \"p\"\nmode = \"{mode}\"\n"
        );
        load_str(&text, std::path::Path::new("t.toml"), &[]).unwrap()
    }

    #[test]
    fn closed_hours_cap_a_persistent_service_level() {
        // Open 08-20 every day at a flat rate: half the arrivals find the queue closed; those in the last minute
        // before 08:00 (1 of 1440 minutes) wait at most 60 s. Mean wait for the opening: half of them wait
        // 6 h on average, so 3 h over all arrivals.
        let s = scenario("persistent");
        let waits = ClosedWaits::of(&s);
        assert!((waits.share_longer(0.0) - 0.5).abs() < 1e-9);
        assert!((waits.share_longer(60.0) - (0.5 - 1.0 / 1440.0)).abs() < 1e-9);
        assert!((waits.mean_wait_s() - 3.0 * 3600.0).abs() < 1e-6);
        let why = |text: &str| known_ceiling(&s, &s.policies[0], &Target::parse(text).unwrap(), &waits);
        let sl = why("service_level>=0.6").expect("above the ceiling");
        assert!(
            sl.contains("49.9%") && sl.contains("cannot exceed 0.5") && sl.contains("service_level_open_hours"),
            "{sl}"
        );
        assert_eq!(why("service_level>=0.5"), None);
        assert!(why("wait_probability<=0.4").is_some() && why("wait_probability<=0.5").is_none());
        assert!(why("first_response_p90_s<=3600").is_some() && why("first_response_p50_s<=3600").is_none());
        assert!(why("queue_wait_mean_s<=10000").is_some() && why("queue_wait_mean_s<=11000").is_none());
        assert!(why("service_level_open_hours>=0.99").is_none());
        assert!(why("service_level>=1.01").unwrap().contains("cannot exceed 1"));
        // A live queue refuses those arrivals instead: no ceiling.
        let live = scenario("live");
        let waits = ClosedWaits::of(&live);
        assert_eq!(
            known_ceiling(&live, &live.policies[0], &Target::parse("service_level>=0.99").unwrap(), &waits),
            None
        );
    }
}
