//! The verdict's "Limits" line: what the scenario as run (after `--set`) does with the trace's workstreams.
//!
//! The line is derived, not assumed: the workstreams the trace's rows reach (rows naming none take the
//! workstreams' shares), the distinct queues those workstreams join, and their priorities. Two priority classes
//! sent to one queue by `--set workstream.high.queue=regular` are served first come first served, and the line
//! says so. With queues of different priorities it says the fitted head start ([`super::head_start`]).

use super::head_start::reached_queues;
use crate::scenario::{Entry, RoutingSpec};
use std::collections::BTreeSet;

/// Said of every model calibration builds: the log's contact types do not route.
const TYPES: &str = "contact types set only patience";

/// The "Limits" line (with its newline) for the routing set-up of the scenario as run (`None`: a scenario
/// without `[[workstream]]`), given the workstream names the trace's rows carry and whether some rows carry none;
/// `head_start` is the fitted head start in words ([`super::head_start::describe`]) when the parameter exists.
pub fn limits(
    setup: Option<&RoutingSpec>,
    named: &BTreeSet<String>,
    unnamed: bool,
    head_start: Option<&str>,
) -> String {
    let Some(spec) = setup else {
        return format!(
            "Limits: one queue, first come first served; the log's priorities are not replayed as queues (give the \
             mapping [[priority_class]] tables and import again); {TYPES}.\n"
        );
    };
    let reached: Vec<usize> = (0..spec.workstreams.len())
        .filter(|&w| {
            let ws = &spec.workstreams[w];
            named.contains(&ws.name) || (unnamed && matches!(ws.entry, Entry::Share(s) if s > 0.0))
        })
        .collect();
    let queues = reached_queues(spec, named, unnamed);
    let names = |ids: &[usize]| ids.iter().map(|&w| spec.workstreams[w].name.as_str()).collect::<Vec<_>>();
    let mut t = String::from("Limits: ");
    match queues.as_slice() {
        [] => t.push_str("the trace's contacts reach no workstream of the scenario"),
        [q] => {
            t.push_str(&format!("one queue ({}), first come first served", spec.queues[*q].name));
            if reached.len() > 1 {
                t.push_str(&format!(
                    ": workstreams {} all join it, so priority classes are not served by priority",
                    and_list(&names(&reached))
                ));
            }
        }
        many => {
            let listed: Vec<String> = many
                .iter()
                .map(|&q| format!("{} (priority {})", spec.queues[q].name, spec.queues[q].priority))
                .collect();
            let first = spec.queues[many[0]].priority;
            let order = if many.iter().all(|&q| spec.queues[q].priority == first) {
                "all of one priority, so not served by priority"
            } else {
                "the lower priority number served first"
            };
            t.push_str(&format!("{} queues, {}: {order}", many.len(), and_list(&listed)));
            if let Some(h) = head_start {
                t.push_str(&format!("; {h}"));
            }
        }
    }
    if !queues.is_empty() {
        let all = spec.groups.iter().all(|g| queues.iter().all(|&q| g.queues.iter().any(|id| id.0 as usize == q)));
        t.push_str(if all { "; every agent serves every queue" } else { "; agents serve only their group's queues" });
        let overflowing: Vec<&str> = queues
            .iter()
            .filter(|&&q| !spec.queues[q].overflow.is_empty())
            .map(|&q| spec.queues[q].name.as_str())
            .collect();
        if !overflowing.is_empty() {
            let (queue, has) = if overflowing.len() == 1 { ("queue", "has") } else { ("queues", "have") };
            t.push_str(&format!("; {queue} {} {has} overflow rules", and_list(&overflowing)));
        }
    }
    t.push_str(&format!("; {TYPES}.\n"));
    t
}

/// `a`, `a and b`, `a, b and c`.
fn and_list<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [init @ .., last] => {
            format!("{} and {}", init.iter().map(AsRef::as_ref).collect::<Vec<_>>().join(", "), last.as_ref())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load_str;
    use std::path::Path;

    /// The routing `chatcap import` writes for classes `high` and `regular`, with `sets` applied.
    fn setup(sets: &[&str]) -> RoutingSpec {
        let text = "name = \"replay\"\nduration = \"1h\"\n[arrivals]\nrate = 60\n\
                    [agents]\ncount = 2\nreply = { dist = \"constant\", value = \"60s\" }\n\
                    [[workstream]]\nname = \"high\"\nmode = \"live\"\nshare = 0.3\nqueue = \"high\"\n\
                    [[workstream]]\nname = \"regular\"\nmode = \"live\"\nshare = 0.7\nqueue = \"regular\"\n\
                    [[queue]]\nname = \"high\"\npriority = 1\n[[queue]]\nname = \"regular\"\npriority = 2\n";
        let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
        let s = load_str(text, Path::new("s.toml"), &sets).expect("loads");
        s.policies[0].setup().expect("a routing set-up").clone()
    }

    fn both() -> BTreeSet<String> {
        ["high", "regular"].map(String::from).into()
    }

    #[test]
    fn two_queues_of_two_priorities_are_named_in_serving_order() {
        assert_eq!(
            limits(Some(&setup(&[])), &both(), false, None),
            "Limits: 2 queues, high (priority 1) and regular (priority 2): the lower priority number served first; \
             every agent serves every queue; contact types set only patience.\n"
        );
        let fitted =
            limits(Some(&setup(&[])), &both(), false, Some("regular contacts join high after 10 s waiting, fitted"));
        assert!(
            fitted.contains(
                "the lower priority number served first; regular contacts join high after 10 s waiting, fitted; every"
            ),
            "{fitted}"
        );
        // Swapped priorities: regular is named first.
        let swapped = setup(&["queue.high.priority=3"]);
        assert!(limits(Some(&swapped), &both(), false, None).contains("regular (priority 2) and high (priority 3)"));
        let equal = setup(&["queue.high.priority=2"]);
        assert!(limits(Some(&equal), &both(), false, None).contains("all of one priority, so not served by priority"));
    }

    #[test]
    fn classes_sent_to_one_queue_are_first_come_first_served() {
        let one = setup(&["workstream.high.queue=regular"]);
        assert_eq!(
            limits(Some(&one), &both(), false, None),
            "Limits: one queue (regular), first come first served: workstreams high and regular all join it, so \
             priority classes are not served by priority; every agent serves every queue; contact types set only \
             patience.\n"
        );
    }

    #[test]
    fn only_the_workstreams_the_trace_reaches_count() {
        let only_regular: BTreeSet<String> = ["regular".to_string()].into();
        assert!(
            limits(Some(&setup(&[])), &only_regular, false, None)
                .starts_with("Limits: one queue (regular), first come")
        );
        // Rows naming no workstream take the shares: both queues.
        assert!(limits(Some(&setup(&[])), &BTreeSet::new(), true, None).starts_with("Limits: 2 queues"));
    }

    #[test]
    fn overflow_rules_and_no_setup_are_said() {
        let overflow = setup(&[
            "queue.regular.overflow=[{ when = \"waited_longer_than\", value = \"30s\", action = \"transfer\", to = \"high\" }]",
        ]);
        assert!(limits(Some(&overflow), &both(), false, None).contains("; queue regular has overflow rules;"));
        assert!(
            limits(None, &BTreeSet::new(), false, None)
                .starts_with("Limits: one queue, first come first served; the log's")
        );
    }
}
