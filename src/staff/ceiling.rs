//! Targets no headcount can meet, known before simulating anything.
//!
//! Some conversations wait for reasons no number of agents changes. A persistent queue accepts conversations
//! at any hour but assigns none while it is closed; and a roster of shifts or a schedule that has nobody on at
//! some moment has nobody then at any scale (the search scales the roster, keeping its shape), so conversations
//! offered then wait for its next agent. From the arrivals of the measured window (the rate profile integrated
//! stretch by stretch, or the trace's arrivals), with `late(t)` the share of offered conversations that wait
//! more than `t` for the queue to open with somebody rostered:
//! - `service_level >= x` needs `x <= 1 - late(service_level threshold)`;
//! - `wait_probability <= x` needs `x >= late(0)` (they cannot be assigned on arrival);
//! - `first_response_p50_s <= x` / `first_response_p90_s <= x` need `late(x)` at most 50% / 10%;
//! - `queue_wait_mean_s <= x` needs `x` at least their mean wait for that moment.
//!
//! A live queue refuses conversations while closed, and refused ones are not offered, so for a live policy only
//! open moments with nobody rostered count. The `_open_hours` metrics count only open time, so closed hours do not
//! cap them: the message suggests them. Shares (`service_level`, rates, `occupancy`, ...) cannot exceed 1 nor
//! fall below 0, for any policy; a share target whose bound lies beyond them on the other side (`>=-1`, `<=80`)
//! always holds, asks nothing, and is refused too.

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

/// Why an offered conversation waits whatever the headcount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cause {
    /// The queue is closed (persistent policies).
    Closed,
    /// The queue is open but the roster has nobody on.
    Unrostered,
}

/// One stretch of offered arrivals that wait, whatever the headcount, until `until`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Wait {
    from: f64,
    to: f64,
    arrivals: f64,
    until: f64,
    cause: Cause,
}

/// How a policy's offered conversations of the window wait for a moment when they can be assigned.
#[derive(Debug, Clone, PartialEq)]
pub struct Waits {
    waits: Vec<Wait>,
    /// Expected offered conversations in the window.
    total: f64,
}

impl Waits {
    /// The waits of `policy` in `scenario`'s window.
    pub fn of(scenario: &Scenario, policy: &PolicySpec) -> Waits {
        let live = is_live(policy);
        let mut total = 0.0;
        let mut waits = Vec::new();
        for s in stretches(scenario) {
            if live && !s.open {
                continue;
            }
            total += s.arrivals;
            let (until, cause) = match (live, s.open) {
                (true, _) => (s.staffed_at, Cause::Unrostered),
                (false, true) => (s.ready_at, Cause::Unrostered),
                (false, false) => (s.ready_at, Cause::Closed),
            };
            if let Some(until) = until {
                waits.push(Wait { from: s.from, to: s.to, arrivals: s.arrivals, until, cause });
            }
        }
        Waits { waits, total }
    }

    /// Share of offered conversations that wait more than `t_s` seconds, for one cause or for any.
    fn share_longer_for(&self, t_s: f64, cause: Option<Cause>) -> f64 {
        if self.total <= 0.0 {
            return 0.0;
        }
        let t = t_s * 1_000.0;
        let mut late = 0.0;
        for w in self.waits.iter().filter(|w| cause.is_none_or(|c| c == w.cause)) {
            // Arrivals at u wait until - u: longer than t for u < until - t.
            let cut = w.until - t;
            late += if w.to > w.from {
                w.arrivals * ((cut.min(w.to) - w.from) / (w.to - w.from)).clamp(0.0, 1.0)
            } else if w.until - w.from > t {
                w.arrivals
            } else {
                0.0
            };
        }
        late / self.total
    }

    /// Share of offered conversations that wait more than `t_s` seconds whatever the headcount.
    pub fn share_longer(&self, t_s: f64) -> f64 {
        self.share_longer_for(t_s, None)
    }

    /// Mean wait over offered conversations for a moment they can be assigned, seconds (infinite if none).
    pub fn mean_wait_s(&self) -> f64 {
        if self.total <= 0.0 {
            return 0.0;
        }
        let sum: f64 = self.waits.iter().map(|w| w.arrivals * (w.until - (w.from + w.to) / 2.0)).sum();
        sum / self.total / 1_000.0
    }

    /// "19.8% of conversations arrive while the queue is closed, more than 1m before it opens" for the
    /// conversations waiting more than `t_s`, by cause.
    fn why(&self, t_s: f64) -> String {
        let pct = |share: f64| format!("{:.1}%", share * 100.0);
        let closed = self.share_longer_for(t_s, Some(Cause::Closed));
        let empty = self.share_longer_for(t_s, Some(Cause::Unrostered));
        let longer = duration_text(Millis::from_secs_f64(t_s));
        let mut parts = Vec::new();
        if closed > 0.0 {
            parts.push(format!(
                "{} of conversations arrive while the queue is closed, more than {longer} before it opens",
                pct(closed)
            ));
        }
        if empty > 0.0 {
            parts.push(format!(
                "{} arrive while nobody is rostered, more than {longer} before the roster's next agent (scaling the \
                 roster never staffs those hours)",
                pct(empty)
            ));
        }
        parts.join(", and ")
    }

    /// What to try instead.
    fn hint(&self, t_s: f64, open_metric: &str) -> String {
        let mut hints = Vec::new();
        if self.share_longer_for(t_s, Some(Cause::Closed)) > 0.0 {
            hints.push(format!("try {open_metric}, which counts only open time"));
        }
        if self.share_longer_for(t_s, Some(Cause::Unrostered)) > 0.0 {
            hints.push("add shifts covering the opening hours".to_string());
        }
        hints.join("; ")
    }
}

/// For a `service_level>=x` target below its ceiling: a note saying how close to the ceiling it sits, for the
/// message of a target the search found unreachable.
pub fn closeness(scenario: &Scenario, target: &Target, waits: &Waits) -> Option<String> {
    if target.metric != "service_level" || target.direction != Direction::AtLeast {
        return None;
    }
    let threshold = scenario.service_level.as_secs_f64();
    let late = waits.share_longer(threshold);
    if late <= 0.0 || late >= 1.0 {
        return None;
    }
    let open_share = (target.bound / (1.0 - late)).min(1.0);
    Some(format!(
        "{}, so service_level cannot exceed {}, and {} needs {:.1}% of the others answered within {}; {}",
        waits.why(threshold),
        format_number(((1.0 - late) * 1_000.0).floor() / 1_000.0),
        target.text,
        open_share * 100.0,
        duration_text(scenario.service_level),
        waits.hint(threshold, "service_level_open_hours")
    ))
}

/// Why `target` cannot be met whatever the staffing because its metric is a share (0 to 1) and the bound is
/// outside that range; a part's shares are shares too.
pub fn share_ceiling(target: &Target) -> Option<String> {
    let (x, metric) = (target.bound, target.metric.as_str());
    if !SHARES.contains(&metric) {
        return None;
    }
    match target.direction {
        Direction::AtLeast if x > 1.0 => Some(format!("{metric} is a share and cannot exceed 1")),
        Direction::AtMost if x < 0.0 => Some(format!("{metric} is a share and cannot fall below 0")),
        _ => None,
    }
}

/// Why `target` asks nothing because its metric is a share (0 to 1) and the bound is outside that range on the
/// side that always holds (`service_level>=-1`); such a target is refused like one that can never hold.
pub fn share_always_met(target: &Target) -> Option<String> {
    let (x, metric) = (target.bound, target.metric.as_str());
    if !SHARES.contains(&metric) {
        return None;
    }
    match target.direction {
        Direction::AtLeast if x < 0.0 => Some(format!("{metric} is a share and cannot fall below 0")),
        Direction::AtMost if x > 1.0 => Some(format!("{metric} is a share and cannot exceed 1")),
        _ => None,
    }
}

/// Why `target` cannot be met at any headcount, if a known ceiling says so.
pub fn known_ceiling(scenario: &Scenario, target: &Target, waits: &Waits) -> Option<String> {
    let (x, metric) = (target.bound, target.metric.as_str());
    if let Some(why) = share_ceiling(target) {
        return Some(why);
    }
    match (metric, target.direction) {
        ("service_level", Direction::AtLeast) => {
            let threshold = scenario.service_level.as_secs_f64();
            let late = waits.share_longer(threshold);
            (x > 1.0 - late).then(|| {
                format!(
                    "{}, so service_level cannot exceed {}; {}",
                    waits.why(threshold),
                    format_number(((1.0 - late) * 1_000.0).floor() / 1_000.0),
                    waits.hint(threshold, "service_level_open_hours")
                )
            })
        }
        ("wait_probability", Direction::AtMost) => {
            let late = waits.share_longer(0.0);
            (x < late).then(|| {
                format!(
                    "{}, so wait_probability cannot fall below {}",
                    waits.why(0.0),
                    format_number((late * 1_000.0).ceil() / 1_000.0)
                )
            })
        }
        ("first_response_p50_s" | "first_response_p90_s", Direction::AtMost) => {
            let tail = if metric == "first_response_p50_s" { 0.5 } else { 0.1 };
            let late = waits.share_longer(x);
            (late > tail).then(|| {
                format!(
                    "{}, so {metric} cannot be {} or less; {}",
                    waits.why(x),
                    format_number(x),
                    waits.hint(x, "first_response_open_p90_s")
                )
            })
        }
        ("queue_wait_mean_s", Direction::AtMost) => {
            let mean = waits.mean_wait_s();
            (x < mean).then(|| {
                format!(
                    "{}, and they make the mean wait at least {} s, so queue_wait_mean_s cannot be {} or less",
                    waits.why(0.0),
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
        let waits = Waits::of(&s, &s.policies[0]);
        assert!((waits.share_longer(0.0) - 0.5).abs() < 1e-9);
        assert!((waits.share_longer(60.0) - (0.5 - 1.0 / 1440.0)).abs() < 1e-9);
        assert!((waits.mean_wait_s() - 3.0 * 3600.0).abs() < 1e-6);
        let why = |text: &str| known_ceiling(&s, &Target::parse(text).unwrap(), &waits);
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
        let waits = Waits::of(&live, &live.policies[0]);
        assert_eq!(known_ceiling(&live, &Target::parse("service_level>=0.99").unwrap(), &waits), None);
    }

    #[test]
    fn a_share_bound_beyond_0_or_1_on_the_side_that_always_holds_is_caught() {
        let always = |text: &str| share_always_met(&Target::parse(text).unwrap());
        assert!(always("service_level>=-1").unwrap().contains("cannot fall below 0"));
        assert!(always("queue.french.abandon_rate<=1.5").unwrap().contains("cannot exceed 1"));
        for fine in
            ["service_level>=0", "service_level>=0.8", "abandon_rate<=1", "response_p90_s>=-1", "service_level>=80"]
        {
            assert_eq!(always(fine), None, "{fine}");
        }
        assert!(share_ceiling(&Target::parse("service_level>=80").unwrap()).is_some(), "refused as unreachable");
    }

    #[test]
    fn hours_the_roster_leaves_empty_cap_any_policy() {
        // Open around the clock, agents 08-20 only: half the arrivals find nobody rostered, at any scale.
        let text = "name = \"t\"\nduration = \"7d\"\n[arrivals]\nrate = 60\n[agents]\nshifts = [{ start = \"08:00\", \
                    end = \"20:00\", count = 4 }]\nreply = { dist = \"constant\", value = \"1m\" }\n[[policy]]\n\
                    name = \"p\"\nmode = \"live\"\n";
        let s = crate::scenario::load_str(text, std::path::Path::new("t.toml"), &[]).unwrap();
        let waits = Waits::of(&s, &s.policies[0]);
        assert!((waits.share_longer(0.0) - 0.5).abs() < 1e-9);
        let why = known_ceiling(&s, &Target::parse("service_level>=0.6").unwrap(), &waits).expect("capped");
        assert!(why.contains("49.9% arrive while nobody is rostered") && why.contains("add shifts"), "{why}");
        assert!(!why.contains("closed"), "{why}");
        assert_eq!(known_ceiling(&s, &Target::parse("service_level>=0.45").unwrap(), &waits), None);
        // A count is rostered around the clock: no ceiling.
        let s = crate::scenario::load_str(
            &text.replace("shifts = [{ start = \"08:00\", end = \"20:00\", count = 4 }]", "count = 4"),
            std::path::Path::new("t.toml"),
            &[],
        )
        .unwrap();
        assert_eq!(Waits::of(&s, &s.policies[0]).share_longer(0.0), 0.0);
    }
}
