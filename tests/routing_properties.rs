//! Property tests of the routing core's invariants over random input sequences.

use chatcap::routing::*;
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

const AGENTS: u32 = 4;

/// One step of a random scenario; indexes pick among what exists at that moment.
#[derive(Debug, Clone)]
enum Step {
    Arrive { units: u32 },
    Message(usize),
    Reply(usize),
    End(usize),
    WrapUpDone(usize),
    Leave(usize),
    SignIn { agent: u32, capacity: u32 },
    SignOut(u32),
    Writing(usize),
    Open,
    Close,
    FireTimer(usize),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (1u32..=2).prop_map(|units| Step::Arrive { units }),
        3 => any::<usize>().prop_map(Step::Message),
        4 => any::<usize>().prop_map(Step::Reply),
        2 => any::<usize>().prop_map(Step::End),
        2 => any::<usize>().prop_map(Step::WrapUpDone),
        1 => any::<usize>().prop_map(Step::Leave),
        2 => (0..AGENTS, 1u32..=3).prop_map(|(agent, capacity)| Step::SignIn { agent, capacity }),
        1 => (0..AGENTS).prop_map(Step::SignOut),
        2 => any::<usize>().prop_map(Step::Writing),
        1 => Just(Step::Open),
        1 => Just(Step::Close),
        4 => any::<usize>().prop_map(Step::FireTimer),
    ]
}

fn policy(which: u8) -> Box<dyn Policy> {
    match which {
        0 => Box::new(Live::default()),
        1 => Box::new(Persistent::default()),
        _ => Box::new(Persistent { same_agent: false, same_agent_wait: Millis::ZERO, ..Persistent::default() }),
    }
}

fn method(which: u8) -> AssignmentMethod {
    [AssignmentMethod::HighestCapacity, AssignmentMethod::RoundRobin, AssignmentMethod::LeastActive][which as usize % 3]
}

/// Runs a scenario, checking invariants after every input; returns every effect, for the determinism check.
fn run(policy_kind: u8, method_kind: u8, holds: bool, steps: &[(u64, Step)]) -> Result<Vec<Effect>, TestCaseError> {
    let config = RouterConfig { assignment: method(method_kind), wrap_up_holds_capacity: holds, queue_open: true };
    // Two workstreams on one queue: ordinary chats (1 unit) and heavy ones (2 units), same policy.
    let mut setup = Setup::single(
        policy(policy_kind),
        config.assignment,
        if holds { WrapUpHold::Always } else { WrapUpHold::Never },
        config.queue_open,
    );
    setup.workstreams.push(WorkstreamSetup {
        name: "heavy".into(),
        policy: policy(policy_kind),
        queue: QueueId(0),
        units: 2,
        wrap_up: setup.workstreams[0].wrap_up,
    });
    let mut router = Router::new(setup).expect("valid set-up");
    let mut now = Millis::ZERO;
    let mut next_id = 0u64;
    let mut units_of: BTreeMap<ConversationId, u32> = BTreeMap::new();
    let mut finished: BTreeSet<ConversationId> = BTreeSet::new();
    let mut timers: Vec<(Timer, Millis)> = Vec::new();
    // Conversations whose agent took them back through the same-agent override, by agent.
    let mut overridden: BTreeMap<ConversationId, AgentId> = BTreeMap::new();
    let mut all = Vec::new();
    for (gap, step) in steps {
        now += Millis(*gap);
        let open: Vec<ConversationId> = units_of.keys().copied().collect();
        let pick = |i: &usize| open.get(i % open.len().max(1)).copied().unwrap_or(ConversationId(u64::MAX));
        let input = match step {
            Step::Arrive { units } => {
                next_id += 1;
                units_of.insert(ConversationId(next_id), *units);
                Input::ConversationArrived {
                    conversation: ConversationId(next_id),
                    workstream: WorkstreamId(*units as u16 - 1),
                    needs: Skills::NONE,
                }
            }
            Step::Message(i) => Input::CustomerMessage { conversation: pick(i) },
            Step::Reply(i) => Input::AgentReplied { conversation: pick(i) },
            Step::End(i) => Input::AgentEnded { conversation: pick(i) },
            Step::WrapUpDone(i) => Input::WrapUpDone { conversation: pick(i) },
            Step::Leave(i) => Input::CustomerLeft { conversation: pick(i) },
            Step::SignIn { agent, capacity } => {
                Input::AgentSignedIn { agent: AgentId(*agent), group: GroupId(0), capacity: *capacity }
            }
            Step::SignOut(a) => Input::AgentSignedOut { agent: AgentId(*a) },
            Step::Writing(i) => Input::AgentWriting { conversation: pick(i) },
            Step::Open => Input::QueueOpened { queue: QueueId(0) },
            Step::Close => Input::QueueClosed { queue: QueueId(0) },
            Step::FireTimer(i) => {
                if timers.is_empty() {
                    continue;
                }
                let (timer, at) = timers.remove(i % timers.len());
                now = now.max(at);
                Input::TimerFired(timer)
            }
        };
        let mut out = Vec::new();
        match router.handle(now, input, &mut out) {
            Err(_) => {
                prop_assert!(out.is_empty(), "a rejected input must not have effects");
                if let Input::ConversationArrived { conversation, .. } = input {
                    units_of.remove(&conversation);
                }
            }
            Ok(()) => {
                for e in &out {
                    match *e {
                        Effect::StartTimer { timer, at } => {
                            prop_assert!(at > now, "timer {timer:?} at {at} is not after {now}");
                            timers.push((timer, at));
                        }
                        Effect::Refused { conversation, .. }
                        | Effect::Abandoned { conversation }
                        | Effect::Closed { conversation, .. } => {
                            prop_assert!(finished.insert(conversation), "{conversation} finished twice");
                            units_of.remove(&conversation);
                            overridden.remove(&conversation);
                        }
                        Effect::Reactivated { conversation, agent } => {
                            overridden.insert(conversation, agent);
                        }
                        Effect::Assigned { conversation, .. } | Effect::Parked { conversation, .. } => {
                            overridden.remove(&conversation);
                        }
                        _ => {}
                    }
                    if let Some(c) = mentioned(e) {
                        prop_assert!(!finished.contains(&c) || is_final(e), "closed {c} changed again: {e:?}");
                    }
                }
            }
        }
        let assigned_to: BTreeSet<AgentId> = out
            .iter()
            .filter_map(|e| if let Effect::Assigned { agent, .. } = e { Some(*agent) } else { None })
            .collect();
        check_state(&router, &units_of, &finished, &overridden, &assigned_to)?;
        all.extend(out);
    }
    Ok(all)
}

fn mentioned(e: &Effect) -> Option<ConversationId> {
    match *e {
        Effect::Assigned { conversation, .. }
        | Effect::Queued { conversation, .. }
        | Effect::Parked { conversation, .. }
        | Effect::Reactivated { conversation, .. }
        | Effect::OfferedToSameAgent { conversation, .. }
        | Effect::Refused { conversation, .. }
        | Effect::Abandoned { conversation }
        | Effect::WrapUpStarted { conversation, .. }
        | Effect::Closed { conversation, .. }
        | Effect::Offered { conversation, .. }
        | Effect::OfferWithdrawn { conversation, .. }
        | Effect::Overflowed { conversation, .. }
        | Effect::Transferred { conversation, .. } => Some(conversation),
        Effect::StartTimer { timer, .. } => Some(timer.conversation()),
        Effect::AgentOffline { .. } => None,
    }
}

fn is_final(e: &Effect) -> bool {
    matches!(e, Effect::Refused { .. } | Effect::Abandoned { .. } | Effect::Closed { .. })
}

fn check_state(
    router: &Router,
    open: &BTreeMap<ConversationId, u32>,
    finished: &BTreeSet<ConversationId>,
    overridden: &BTreeMap<ConversationId, AgentId>,
    assigned_to: &BTreeSet<AgentId>,
) -> Result<(), TestCaseError> {
    // Nothing lost: every conversation not finished is in the router, in exactly one state; nothing finished is.
    let mut by_state = [0usize; 6];
    for &c in open.keys() {
        let view = router.conversation(c);
        prop_assert!(view.is_some(), "{c} was lost");
        let state = view.unwrap().state;
        prop_assert!(state != State::Closed);
        by_state[state as usize] += 1;
    }
    for &c in finished {
        prop_assert!(router.conversation(c).is_none(), "{c} is finished but still open");
    }
    let load = router.load();
    prop_assert_eq!(load.open, by_state[State::Open as usize]);
    prop_assert_eq!(load.active, by_state[State::Active as usize]);
    prop_assert_eq!(load.waiting, by_state[State::Waiting as usize]);
    prop_assert_eq!(load.wrap_up, by_state[State::WrapUp as usize]);
    // Capacity: an agent given work from the queue is never over capacity afterwards, except by conversations
    // the same-agent override brought back. (An agent who signs in again with less capacity than it holds is
    // over capacity too, but is given nothing until it is under again.)
    let mut used_total = 0u64;
    for a in 0..AGENTS {
        let Some(agent) = router.agent(AgentId(a)) else { continue };
        used_total += u64::from(agent.used);
        let override_units: u32 = overridden
            .iter()
            .filter(|(c, ag)| **ag == agent.id && router.conversation(**c).is_some_and(|v| v.agent == Some(agent.id)))
            .map(|(c, _)| open[c])
            .sum();
        if assigned_to.contains(&agent.id) {
            prop_assert!(
                agent.used <= agent.capacity + override_units,
                "agent {} uses {} of {} (override {})",
                a,
                agent.used,
                agent.capacity,
                override_units
            );
        }
    }
    prop_assert_eq!(load.capacity_used, used_total);
    // Reclaimed capacity counts each agent's parked units up to its capacity: never above the capacity online.
    prop_assert!(load.capacity_reclaimed <= load.capacity_online, "{load:?}");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn invariants_hold_for_any_input_sequence(
        policy_kind in 0u8..3,
        method_kind in 0u8..3,
        holds in any::<bool>(),
        steps in prop::collection::vec((0u64..400_000, step()), 1..120),
    ) {
        let first = run(policy_kind, method_kind, holds, &steps)?;
        let second = run(policy_kind, method_kind, holds, &steps)?;
        prop_assert_eq!(first, second, "identical inputs must give identical effects");
    }
}
