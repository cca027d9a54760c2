//! Part targets that mean nothing in a policy, known before simulating: the part gets no conversations.
//!
//! A policy of a routing set-up may give a workstream no traffic (a share of 0, as `blended-team.toml`'s
//! `persistent-0` gives `chat-persistent`, or an arrival stream of its own with nothing in it), and then a queue
//! that only that workstream feeds gets none either. A target on such a part reads a metric that is undefined at
//! every staffing, so no search can answer it; the policy is reported as not applicable to the targets and the
//! others are still staffed. Read from the policy's set-up alone:
//! - a workstream gets conversations when it has a share above 0 of an `[arrivals]` that brings some (a rate
//!   above 0 at some hour of some day, or a trace with records left to the shares), a trace record naming it, or
//!   an arrival stream of its own that brings some;
//! - a queue gets conversations when a workstream that gets some feeds it, or an overflow rule of a queue that
//!   gets some transfers to it.

use super::target::Target;
use crate::metrics::parts::PartKind;
use crate::routing::OverflowAction;
use crate::scenario::{Arrivals, Entry, PolicySpec, RoutingSpec, Scenario};

/// Why a target of `targets` reads a part that gets no conversations in `policy` ("workstream chat-persistent
/// gets no conversations in this policy (its share is 0)"), for the first such target; `None` when every part
/// read gets some, or without a routing set-up.
pub fn idle_part(scenario: &Scenario, policy: &PolicySpec, targets: &[Target]) -> Option<String> {
    let setup = policy.setup()?;
    let fed = fed_workstreams(scenario, setup);
    let reached = reached_queues(setup, &fed);
    targets.iter().filter_map(|t| t.part.as_ref()).find_map(|part| match part.kind {
        PartKind::Workstream => {
            let i = setup.workstreams.iter().position(|w| w.name == part.name)?;
            (!fed[i]).then(|| {
                let why = match &setup.workstreams[i].entry {
                    Entry::Share(share) if *share <= 0.0 => "its share is 0".to_string(),
                    Entry::Share(_) => "[arrivals] brings none".to_string(),
                    Entry::Own(Arrivals::Trace(records)) if !records.is_empty() => {
                        "every row of its own trace names another workstream".to_string()
                    }
                    Entry::Own(_) => "its own arrivals bring none".to_string(),
                };
                format!("workstream {} gets no conversations in this policy ({why})", part.name)
            })
        }
        PartKind::Queue => {
            let q = setup.queues.iter().position(|q| q.name == part.name)?;
            (!reached[q]).then(|| {
                format!(
                    "queue {} gets no conversations in this policy (no workstream with conversations feeds it, \
                     and no overflow rule transfers any to it)",
                    part.name
                )
            })
        }
    })
}

/// Whether arrivals bring any conversation: a rate above 0 at some hour of some day, or a trace with records
/// (`shared`: only records without a workstream of their own, which the shares split).
fn brings_some(arrivals: &Arrivals, shared: bool) -> bool {
    match arrivals {
        Arrivals::Rate { per_hour, hourly, weekly } => {
            *per_hour > 0.0 && hourly.iter().any(|f| *f > 0.0) && weekly.iter().any(|f| *f > 0.0)
        }
        Arrivals::Trace(records) => records.iter().any(|r| !shared || r.workstream.is_none()),
    }
}

/// For each workstream of `setup`, whether it gets conversations. A trace's row that names a workstream feeds
/// that one, whichever trace it is in (the scenario's, or a workstream's own); an unnamed row of a workstream's
/// own trace feeds its owner, and an unnamed row of the scenario's trace goes to the shares.
fn fed_workstreams(scenario: &Scenario, setup: &RoutingSpec) -> Vec<bool> {
    let shared = brings_some(&scenario.arrivals, true);
    let mut fed: Vec<bool> =
        setup.workstreams.iter().map(|w| matches!(w.entry, Entry::Share(share) if share > 0.0) && shared).collect();
    let feed = |fed: &mut Vec<bool>, records: &[crate::scenario::TraceRecord], owner: Option<usize>| {
        for r in records {
            if let Some(w) = r.workstream.map(usize::from).or(owner)
                && let Some(f) = fed.get_mut(w)
            {
                *f = true;
            }
        }
    };
    if let Arrivals::Trace(records) = &scenario.arrivals {
        feed(&mut fed, records, None);
    }
    for (i, w) in setup.workstreams.iter().enumerate() {
        match &w.entry {
            Entry::Own(Arrivals::Trace(records)) => feed(&mut fed, records, Some(i)),
            Entry::Own(rate) => {
                if brings_some(rate, false) {
                    fed[i] = true;
                }
            }
            Entry::Share(_) => {}
        }
    }
    fed
}

/// For each queue of `setup`, whether it gets conversations: fed by a workstream that gets some, or reached by
/// transfers from such a queue.
fn reached_queues(setup: &RoutingSpec, fed: &[bool]) -> Vec<bool> {
    let mut reached = vec![false; setup.queues.len()];
    let mut todo: Vec<usize> =
        setup.workstreams.iter().zip(fed).filter(|(_, f)| **f).map(|(w, _)| usize::from(w.queue.0)).collect();
    while let Some(q) = todo.pop() {
        if std::mem::replace(&mut reached[q], true) {
            continue;
        }
        for rule in &setup.queues[q].overflow {
            if let OverflowAction::Transfer(to) = rule.action {
                todo.push(usize::from(to.0));
            }
        }
    }
    reached
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load;
    use std::path::Path;

    fn scenario(name: &str, sets: &[&str]) -> Scenario {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios").join(name);
        let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
        load(&path, &sets).unwrap()
    }

    fn idle(s: &Scenario, policy: &str, target: &str) -> Option<String> {
        let policy = s.policies.iter().find(|p| p.name == policy).unwrap();
        idle_part(s, policy, &[Target::parse(target).unwrap()])
    }

    #[test]
    fn a_workstream_with_share_0_and_the_queue_only_it_feeds_get_nothing() {
        let s = scenario("blended-team.toml", &[]);
        let target = "workstream.chat-persistent.first_response_open_p90_s<=1200";
        assert_eq!(
            idle(&s, "persistent-0", target).as_deref(),
            Some("workstream chat-persistent gets no conversations in this policy (its share is 0)")
        );
        assert_eq!(idle(&s, "persistent-30", target), None);
        let queue = idle(&s, "persistent-0", "queue.messaging.service_level>=0.5").unwrap();
        assert!(queue.starts_with("queue messaging gets no conversations in this policy"), "{queue}");
        assert_eq!(idle(&s, "persistent-60", "queue.messaging.service_level>=0.5"), None);
        assert_eq!(idle(&s, "persistent-0", "workstream.chat-live.service_level>=0.5"), None);
        assert_eq!(idle(&s, "persistent-0", "service_level>=0.5"), None, "summary targets read the whole team");
    }

    #[test]
    fn a_queue_reached_only_by_transfers_gets_conversations() {
        // skills-overflow: chat-en feeds general, chat-fr feeds french, whose overflow rules move some to general.
        let s = scenario("skills-overflow.toml", &["workstream.chat-en.share=0", "workstream.chat-fr.share=1"]);
        assert_eq!(idle(&s, "overflow-5m", "queue.general.service_level>=0.5"), None);
        assert!(idle(&s, "never", "queue.general.service_level>=0.5").is_some(), "never overflows: general is idle");
        let s = scenario("skills-overflow.toml", &["workstream.chat-en.share=1", "workstream.chat-fr.share=0"]);
        assert!(idle(&s, "overflow-5m", "queue.french.abandon_rate<=0.1").is_some());
        assert_eq!(idle(&s, "overflow-5m", "queue.general.abandon_rate<=0.1"), None);
    }

    #[test]
    fn a_row_of_an_own_trace_feeds_the_workstream_it_names() {
        let mut s = scenario("blended-team.toml", &[]);
        let p = s.policies.iter().position(|p| p.name == "persistent-0").unwrap();
        // chat-live's own trace, every row naming chat-persistent (share 0 in persistent-0).
        let record = crate::scenario::TraceRecord {
            arrival: crate::routing::Millis::from_secs(60),
            handle: None,
            patience: None,
            sessions: None,
            messages: None,
            workstream: Some(1),
        };
        let crate::scenario::PolicyRouting::Setup(spec) = &mut s.policies[p].routing else { panic!("a set-up") };
        spec.workstreams[0].entry = Entry::Own(Arrivals::Trace(vec![record; 6]));
        assert_eq!(idle(&s, "persistent-0", "workstream.chat-persistent.service_level>=0.5"), None);
        let why = idle(&s, "persistent-0", "workstream.chat-live.service_level>=0.5").unwrap();
        assert!(why.ends_with("(every row of its own trace names another workstream)"), "{why}");
    }

    #[test]
    fn own_arrivals_of_rate_0_bring_nothing() {
        let mut s = scenario("blended-team.toml", &[]);
        let p = s.policies.iter().position(|p| p.name == "persistent-30").unwrap();
        let target = "workstream.chat-persistent.service_level>=0.5";
        let own = |s: &mut Scenario, per_hour: f64| {
            let crate::scenario::PolicyRouting::Setup(spec) = &mut s.policies[p].routing else { panic!("a set-up") };
            spec.workstreams[1].entry = Entry::Own(Arrivals::Rate { per_hour, hourly: [1.0; 24], weekly: [1.0; 7] });
        };
        own(&mut s, 0.0);
        let why = idle(&s, "persistent-30", target).unwrap();
        assert!(why.ends_with("(its own arrivals bring none)"), "{why}");
        own(&mut s, 5.0);
        assert_eq!(idle(&s, "persistent-30", target), None);
    }
}
