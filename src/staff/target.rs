//! `--target METRIC>=X` and `--target METRIC<=X`: what a staffing search must achieve.
//!
//! METRIC is any column of `summary.csv` (`service_level`, `response_p90_s`, `abandon_rate`, ...), read from the
//! policy's row; on a routing set-up it may also be `workstream.NAME.METRIC` or `queue.NAME.METRIC`, a column of
//! `workstreams.csv` / `queues.csv` read from that part's row. A target holds on the mean over replications, or,
//! when asked to be confident, on the pessimistic end of the 95% interval: `mean - ci95 >= X` for a floor,
//! `mean + ci95 <= X` for a ceiling.

use crate::metrics::parts::{PartKind, part_metrics};
use crate::metrics::summary::METRICS;
use crate::{Error, Result};

/// The metrics a per-interval search measures interval by interval (from `intervals.csv`'s levels and the
/// conversations arriving in each interval); every other summary metric is judged on the whole window.
pub const INTERVAL_METRICS: [&str; 8] = [
    "service_level",
    "service_level_open_hours",
    "wait_probability",
    "queue_wait_mean_s",
    "abandon_rate",
    "response_p90_s",
    "occupancy",
    "capacity_utilisation",
];

/// Which side of the bound the metric must be on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// `METRIC>=X`.
    AtLeast,
    /// `METRIC<=X`.
    AtMost,
}

/// The workstream or queue a target is read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// A workstream (`workstreams.csv`) or a queue (`queues.csv`).
    pub kind: PartKind,
    /// Its name in the scenario.
    pub name: String,
}

impl Part {
    /// `workstream` or `queue`: the key prefix and the parts table's name column.
    pub fn label(&self) -> &'static str {
        match self.kind {
            PartKind::Workstream => "workstream",
            PartKind::Queue => "queue",
        }
    }
}

/// The names of a routing set-up's workstreams and queues, for examples in messages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartNames {
    /// Workstreams, in file order.
    pub workstreams: Vec<String>,
    /// Queues, in file order.
    pub queues: Vec<String>,
}

impl PartNames {
    /// The names of parts of this kind.
    pub fn of(&self, kind: PartKind) -> &[String] {
        match kind {
            PartKind::Workstream => &self.workstreams,
            PartKind::Queue => &self.queues,
        }
    }
}

/// One parsed `--target`.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// The column it reads (of `summary.csv`, or of the part's table).
    pub metric: String,
    /// The workstream or queue whose row it reads; `None` for the policy's summary row.
    pub part: Option<Part>,
    /// `>=` or `<=`.
    pub direction: Direction,
    /// X.
    pub bound: f64,
    /// The flag as written, for messages.
    pub text: String,
}

impl Target {
    /// Parses `METRIC>=X` or `METRIC<=X`; errors are [`Error::Input`] starting with `--target`.
    pub fn parse(text: &str) -> Result<Target> {
        Target::parse_in(text, None)
    }

    /// [`Target::parse`], with the scenario's part names (`names`) for the example a target without a part name
    /// gets.
    pub fn parse_in(text: &str, names: Option<&PartNames>) -> Result<Target> {
        let fail = |what: String| Error::Input(format!("--target {text}: {what}"));
        let (metric, direction, bound) = if let Some((m, x)) = text.split_once(">=") {
            (m, Direction::AtLeast, x)
        } else if let Some((m, x)) = text.split_once("<=") {
            (m, Direction::AtMost, x)
        } else {
            return Err(fail("expected METRIC>=X or METRIC<=X, for example service_level>=0.8".into()));
        };
        let (part, metric) = split_part(metric.trim());
        if let Some(part) = &part {
            let has = part_metrics(part.kind);
            if part.name.is_empty() {
                let shown = if has.contains(&metric) { metric } else { "service_level" };
                let label = part.label();
                let known = names.map(|n| n.of(part.kind)).unwrap_or_default();
                let example = match known.first() {
                    Some(first) => format!(", for example {label}.{first}.{shown} ({label}s: {})", known.join(", ")),
                    None => format!(", NAME being a [[{label}]]'s name"),
                };
                return Err(fail(format!("name the {label}: {label}.NAME.METRIC{example}")));
            }
            if !has.contains(&metric) {
                let why = if METRICS.contains(&metric) {
                    let workstreams = part_metrics(PartKind::Workstream);
                    let whose = if workstreams.contains(&metric) {
                        format!("of the whole team and of each workstream: use {metric} or workstream.NAME.{metric}")
                    } else {
                        format!("of the whole team only: use {metric}")
                    };
                    format!("a {} has no {metric} (a figure {whose})", part.label())
                } else {
                    format!("{metric:?} is not a metric")
                };
                return Err(fail(format!("{why}; a {}'s metrics are {}", part.label(), has.join(", "))));
            }
        } else if !METRICS.contains(&metric) {
            return Err(fail(format!("{metric:?} is not a summary metric; use one of {}", METRICS.join(", "))));
        }
        let bound: f64 =
            bound.trim().parse().ok().filter(|b: &f64| b.is_finite()).ok_or_else(|| {
                fail(format!("{:?} is not a number (shares are 0 to 1, times in seconds)", bound.trim()))
            })?;
        Ok(Target { metric: metric.to_string(), part, direction, bound, text: text.to_string() })
    }

    /// What it reads, as written: `service_level`, or `queue.french.service_level`.
    pub fn label(&self) -> String {
        match &self.part {
            None => self.metric.clone(),
            Some(p) => format!("{}.{}.{}", p.label(), p.name, self.metric),
        }
    }

    /// Whether a metric with this `mean` and 95% half-width `half` meets the target; with `confident`, the
    /// pessimistic end of the interval must (and an interval is needed). An undefined metric fails.
    pub fn met(&self, mean: Option<f64>, half: Option<f64>, confident: bool) -> bool {
        let Some(mean) = mean else { return false };
        let margin = if confident {
            match half {
                Some(h) => h,
                None => return false,
            }
        } else {
            0.0
        };
        match self.direction {
            Direction::AtLeast => mean - margin >= self.bound,
            Direction::AtMost => mean + margin <= self.bound,
        }
    }

    /// Whether the per-interval search measures it interval by interval (otherwise on the whole window).
    pub fn per_interval(&self) -> bool {
        self.part.is_none() && INTERVAL_METRICS.contains(&self.metric.as_str())
    }
}

/// `workstream.NAME.METRIC` and `queue.NAME.METRIC` into the part and the metric; anything else is a summary
/// metric.
fn split_part(text: &str) -> (Option<Part>, &str) {
    for (prefix, kind) in [("workstream.", PartKind::Workstream), ("queue.", PartKind::Queue)] {
        if let Some(rest) = text.strip_prefix(prefix) {
            let (name, metric) = rest.rsplit_once('.').unwrap_or(("", rest));
            return (Some(Part { kind, name: name.trim().to_string() }), metric.trim());
        }
    }
    (None, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_directions() {
        let t = Target::parse("service_level>=0.8").unwrap();
        assert_eq!((t.metric.as_str(), t.direction, t.bound), ("service_level", Direction::AtLeast, 0.8));
        let t = Target::parse(" response_p90_s <= 120 ").unwrap();
        assert_eq!((t.metric.as_str(), t.direction, t.bound), ("response_p90_s", Direction::AtMost, 120.0));
        for bad in ["service_level>0.8", "service_levle>=0.8", "service_level>=high", "occupancy<=", "=>1"] {
            let e = Target::parse(bad).unwrap_err().to_string();
            assert!(e.starts_with("--target"), "{bad}: {e}");
        }
    }

    #[test]
    fn confident_uses_the_pessimistic_end() {
        let floor = Target::parse("service_level>=0.8").unwrap();
        assert!(floor.met(Some(0.82), Some(0.03), false));
        assert!(!floor.met(Some(0.82), Some(0.03), true));
        assert!(!floor.met(Some(0.82), None, true));
        assert!(!floor.met(None, None, false));
        let ceiling = Target::parse("response_p90_s<=120").unwrap();
        assert!(ceiling.met(Some(100.0), Some(10.0), true));
        assert!(!ceiling.met(Some(100.0), Some(30.0), true));
        assert!(ceiling.per_interval() && Target::parse("abandon_rate<=0.1").unwrap().per_interval());
        assert!(!Target::parse("first_response_open_p90_s<=600").unwrap().per_interval());
    }

    #[test]
    fn parses_targets_on_a_part() {
        let t = Target::parse("queue.french.service_level>=0.8").unwrap();
        let part = t.part.as_ref().unwrap();
        assert_eq!((part.kind, part.name.as_str(), t.metric.as_str()), (PartKind::Queue, "french", "service_level"));
        assert_eq!(t.label(), "queue.french.service_level");
        assert!(!t.per_interval());
        let t = Target::parse("workstream.chat-fr.abandon_rate<=0.05").unwrap();
        assert_eq!(t.part.unwrap().kind, PartKind::Workstream);
        assert_eq!(Target::parse("service_level>=0.8").unwrap().part, None);
        let e = Target::parse("queue.french.occupancy<=0.9").unwrap_err().to_string();
        assert!(e.contains("a queue has no occupancy") && e.contains("service_level"), "{e}");
        let e = Target::parse("queue.french.customers_lost<=9").unwrap_err().to_string();
        assert!(e.contains("a queue has no customers_lost"), "{e}");
        let e = Target::parse("workstream.chat-fr.servce_level>=0.8").unwrap_err().to_string();
        assert!(e.contains("\"servce_level\" is not a metric"), "{e}");
        let e = Target::parse("queue.service_level>=0.8").unwrap_err().to_string();
        assert!(e.contains("queue.NAME.METRIC"), "{e}");
        let names = PartNames { workstreams: vec!["chat-fr".into()], queues: vec!["french".into(), "general".into()] };
        let e = Target::parse_in("queue..abandon_rate<=0.1", Some(&names)).unwrap_err().to_string();
        assert!(e.contains("for example queue.french.abandon_rate (queues: french, general)"), "{e}");
        let e = Target::parse_in("workstream..occupancy<=0.1", Some(&names)).unwrap_err().to_string();
        assert!(e.contains("for example workstream.chat-fr.service_level (workstreams: chat-fr)"), "{e}");
        let e = Target::parse("workstream.chat-fr.agent_hours_online<=9").unwrap_err().to_string();
        assert!(e.contains("a figure of the whole team only: use agent_hours_online"), "{e}");
        let e = Target::parse("queue.french.lost_share<=0.1").unwrap_err().to_string();
        assert!(e.contains("use lost_share or workstream.NAME.lost_share"), "{e}");
        assert!(Target::parse("workstream.chat-fr.capacity_utilisation<=0.9").is_ok());
    }
}
