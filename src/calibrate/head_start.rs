//! The head start: how partial a log's priority was, the fourth parameter calibration fits when the trace's
//! contacts reach queues of different priorities (a mapping's `[[priority_class]]`).
//!
//! Serving the most urgent queue strictly first is the most priority can do; a real team often serves it less
//! strictly (an agent takes the caller who has waited long, whatever the class). The model: a contact that has
//! waited longer than the head start in a less urgent queue moves to the back of the next more urgent queue (an
//! in-queue overflow rule `waited_longer_than`, action `transfer`, on each less urgent queue), where it competes
//! with that queue's contacts first come first served. The fit tries strict priority (no move) and
//! [`HEAD_START_S`].
//!
//! The parameter exists only when the queues the trace reaches have at least two priorities, each priority one
//! queue (so "the next more urgent queue" is one queue), and none of them has overflow rules of its own (a
//! scenario or `--set` that gives them rules keeps its rules, unfitted). Otherwise [`moves`] is empty, the fit
//! never tries it and no output mentions it.

use crate::scenario::{Entry, RoutingSpec};
use std::collections::BTreeSet;

/// Head starts the fit tries besides strict priority, seconds: from "almost first come first served" to "five
/// minutes ahead".
pub const HEAD_START_S: [f64; 7] = [5.0, 10.0, 20.0, 30.0, 60.0, 120.0, 300.0];

/// One move: a contact waiting in queue `from` longer than the head start joins queue `to`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    /// The less urgent queue.
    pub from: String,
    /// The next more urgent queue.
    pub to: String,
}

impl Move {
    /// The `--set` override placing the move on `from` with head start `s` seconds.
    pub fn set(&self, s: f64) -> String {
        format!("queue.{}.overflow={}", self.from, self.overflow(s))
    }

    /// The `overflow` value of queue `from`.
    pub fn overflow(&self, s: f64) -> String {
        format!("[{{ when = \"waited_longer_than\", value = \"{s}s\", action = \"transfer\", to = \"{}\" }}]", self.to)
    }
}

/// The queues the trace's rows reach, most urgent first (lower priority number, then file order): the queues of
/// the workstreams the rows name, and of the workstreams taking a share when some rows name none.
pub fn reached_queues(spec: &RoutingSpec, named: &BTreeSet<String>, unnamed: bool) -> Vec<usize> {
    let mut queues: Vec<usize> = spec
        .workstreams
        .iter()
        .filter(|ws| named.contains(&ws.name) || (unnamed && matches!(ws.entry, Entry::Share(s) if s > 0.0)))
        .map(|ws| ws.queue.0 as usize)
        .collect();
    queues.sort_by_key(|&q| (spec.queues[q].priority, q));
    queues.dedup();
    queues
}

/// The moves the head start applies, less urgent queue to next more urgent; empty when the parameter does not
/// exist (no set-up, one queue, two queues of one priority, or overflow rules already given).
pub fn moves(setup: Option<&RoutingSpec>, named: &BTreeSet<String>, unnamed: bool) -> Vec<Move> {
    let Some(spec) = setup else { return Vec::new() };
    let queues = reached_queues(spec, named, unnamed);
    let distinct = queues.windows(2).all(|w| spec.queues[w[0]].priority < spec.queues[w[1]].priority);
    if queues.len() < 2 || !distinct || queues.iter().any(|&q| !spec.queues[q].overflow.is_empty()) {
        return Vec::new();
    }
    queues
        .windows(2)
        .map(|w| Move { from: spec.queues[w[1]].name.clone(), to: spec.queues[w[0]].name.clone() })
        .collect()
}

/// In words: "regular contacts join high after 10 s waiting", or strict priority.
pub fn describe(moves: &[Move], head_start_s: Option<f64>) -> String {
    let list = moves.iter().map(|m| format!("{} contacts join {}", m.from, m.to)).collect::<Vec<_>>().join(", ");
    match head_start_s {
        Some(s) => format!("{list} after {s} s waiting"),
        None => "no head start for a waiting contact (strict priority)".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routing::{Millis, OverflowAction, OverflowCondition, OverflowRule, QueueId};
    use crate::scenario::load_str;
    use std::path::Path;

    /// The routing `chatcap import` writes for classes `high` and `regular`, with `sets` applied; `None`
    /// for the one-queue scenario of a log without priority classes.
    fn setup(sets: &[&str], classes: bool) -> Option<RoutingSpec> {
        let mut text = String::from(
            "name = \"replay\"\nduration = \"1h\"\n[arrivals]\nrate = 60\n\
             [agents]\ncount = 2\nreply = { dist = \"constant\", value = \"60s\" }\n",
        );
        if classes {
            text.push_str(
                "[[workstream]]\nname = \"high\"\nmode = \"live\"\nshare = 0.3\nqueue = \"high\"\n\
                 [[workstream]]\nname = \"regular\"\nmode = \"live\"\nshare = 0.7\nqueue = \"regular\"\n\
                 [[queue]]\nname = \"high\"\npriority = 1\n[[queue]]\nname = \"regular\"\npriority = 2\n",
            );
        } else {
            text.push_str("[[policy]]\nname = \"live\"\nmode = \"live\"\n");
        }
        let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
        let s = load_str(&text, Path::new("s.toml"), &sets).expect("loads");
        s.policies[0].setup().cloned()
    }

    fn both() -> BTreeSet<String> {
        ["high", "regular"].map(String::from).into()
    }

    #[test]
    fn the_head_start_exists_only_between_queues_of_different_priorities() {
        assert!(setup(&[], false).is_none(), "a log without classes has no routing set-up");
        assert_eq!(moves(setup(&[], false).as_ref(), &BTreeSet::new(), false), []);
        assert_eq!(
            moves(setup(&[], true).as_ref(), &both(), false),
            [Move { from: "regular".into(), to: "high".into() }]
        );
        // Swapped priorities: high waits, regular is the more urgent.
        let swapped = setup(&["queue.high.priority=3"], true);
        assert_eq!(moves(swapped.as_ref(), &both(), false), [Move { from: "high".into(), to: "regular".into() }]);
        for sets in [
            vec!["workstream.high.queue=regular"],
            vec!["queue.high.priority=2"],
            vec![
                "queue.regular.overflow=[{ when = \"waited_longer_than\", value = \"30s\", action = \"transfer\", \
                 to = \"high\" }]",
            ],
        ] {
            assert_eq!(moves(setup(&sets, true).as_ref(), &both(), false), [], "{sets:?}");
        }
        // Only the queues the trace reaches count.
        let only_regular: BTreeSet<String> = ["regular".to_string()].into();
        assert_eq!(moves(setup(&[], true).as_ref(), &only_regular, false), []);
    }

    #[test]
    fn a_move_is_the_overflow_rule_the_scenario_reads() {
        let m = Move { from: "regular".into(), to: "high".into() };
        let spec = setup(&[&m.set(10.0)], true).expect("a set-up");
        let regular = spec.queues.iter().find(|q| q.name == "regular").expect("queue regular");
        let rule = OverflowRule {
            when: OverflowCondition::WaitedLongerThan(Millis(10_000)),
            action: OverflowAction::Transfer(QueueId(0)),
        };
        assert_eq!(regular.overflow, [rule]);
        assert_eq!(describe(std::slice::from_ref(&m), Some(10.0)), "regular contacts join high after 10 s waiting");
        assert_eq!(describe(&[m], None), "no head start for a waiting contact (strict priority)");
    }
}
