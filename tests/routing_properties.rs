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
                    if let Some(c) = e.conversation() {
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

/// One step of a random run of the second-generation set-up below.
#[derive(Debug, Clone)]
enum Step2 {
    Arrive { workstream: u16, french: bool },
    Message(usize),
    Reply(usize),
    End(usize),
    WrapUpDone(usize),
    Leave(usize),
    Accept(usize),
    Decline(usize),
    SignIn { agent: u32, group: u16, capacity: u32 },
    SignOut(u32),
    Presence { agent: u32, presence: u8 },
    Open(u16),
    Close(u16),
    FireTimer(usize),
}

fn step2() -> impl Strategy<Value = Step2> {
    prop_oneof![
        4 => (0u16..2, any::<bool>()).prop_map(|(workstream, french)| Step2::Arrive { workstream, french }),
        2 => any::<usize>().prop_map(Step2::Message),
        4 => any::<usize>().prop_map(Step2::Reply),
        2 => any::<usize>().prop_map(Step2::End),
        2 => any::<usize>().prop_map(Step2::WrapUpDone),
        1 => any::<usize>().prop_map(Step2::Leave),
        3 => any::<usize>().prop_map(Step2::Accept),
        2 => any::<usize>().prop_map(Step2::Decline),
        2 => (0..AGENTS, 0u16..2, 1u32..=3).prop_map(|(agent, group, capacity)| Step2::SignIn { agent, group, capacity }),
        1 => (0..AGENTS).prop_map(Step2::SignOut),
        1 => (0..AGENTS, 0u8..4).prop_map(|(agent, presence)| Step2::Presence { agent, presence }),
        1 => (0u16..2).prop_map(Step2::Open),
        1 => (0u16..2).prop_map(Step2::Close),
        4 => any::<usize>().prop_map(Step2::FireTimer),
    ]
}

/// The random parts of a set-up: two workstreams on two queues served by two groups, one of them French.
#[derive(Debug, Clone)]
struct Shape {
    policies: [u8; 2],
    priorities: [u32; 2],
    methods: [u8; 2],
    closest: [bool; 2],
    /// Queue 0's rules, from a menu (queue 1 never transfers, so there is no loop).
    rules: Vec<u8>,
    /// Whether group 0 also serves queue 1, and group 1 queue 0.
    cross: [bool; 2],
    offers: Option<u32>,
    wrap_up: u8,
}

fn shape() -> impl Strategy<Value = Shape> {
    (
        (0u8..3, 0u8..3),
        (1u32..3, 1u32..3),
        (0u8..3, 0u8..3),
        (any::<bool>(), any::<bool>()),
        prop::collection::vec(0u8..6, 0..3),
        (any::<bool>(), any::<bool>()),
        prop::option::of(1u32..3),
        0u8..3,
    )
        .prop_map(|(p, pr, m, cl, rules, cross, offers, wrap_up)| Shape {
            policies: [p.0, p.1],
            priorities: [pr.0, pr.1],
            methods: [m.0, m.1],
            closest: [cl.0, cl.1],
            rules,
            cross: [cross.0, cross.1],
            offers,
            wrap_up,
        })
}

const FRENCH: SkillId = SkillId(0);

fn build(shape: &Shape) -> Setup {
    let rule = |r: u8| {
        let (when, action) = match r {
            0 => (OverflowCondition::OutOfHours, OverflowAction::End),
            1 => (OverflowCondition::OutOfHours, OverflowAction::Transfer(QueueId(1))),
            2 => (OverflowCondition::OutOfHours, OverflowAction::AssignAnyway),
            3 => (OverflowCondition::MoreWaitingThan(1), OverflowAction::Transfer(QueueId(1))),
            4 => (OverflowCondition::WaitedLongerThan(Millis::from_secs(200)), OverflowAction::Transfer(QueueId(1))),
            _ => (OverflowCondition::WaitedLongerThan(Millis::from_secs(100)), OverflowAction::End),
        };
        OverflowRule { when, action }
    };
    let wrap_up =
        [WrapUpHold::Always, WrapUpHold::Never, WrapUpHold::For(Millis::from_secs(30))][shape.wrap_up as usize];
    let queue = |i: usize| QueueSetup {
        name: format!("q{i}"),
        priority: shape.priorities[i],
        assignment: method(shape.methods[i]),
        skill_match: if shape.closest[i] { SkillMatch::Closest } else { SkillMatch::Exact },
        overflow: if i == 0 { shape.rules.iter().map(|&r| rule(r)).collect() } else { Vec::new() },
        open: true,
    };
    let workstream = |i: usize| WorkstreamSetup {
        name: format!("w{i}"),
        policy: policy(shape.policies[i]),
        queue: QueueId(i as u16),
        units: i as u32 + 1,
        wrap_up,
    };
    let mut g0 = vec![QueueId(0)];
    if shape.cross[0] {
        g0.push(QueueId(1));
    }
    let mut g1 = vec![QueueId(1)];
    if shape.cross[1] {
        g1.push(QueueId(0));
    }
    Setup {
        workstreams: vec![workstream(0), workstream(1)],
        queues: vec![queue(0), queue(1)],
        groups: vec![
            GroupSetup { name: "french".into(), queues: g0, skills: vec![(FRENCH, 3)] },
            GroupSetup { name: "general".into(), queues: g1, skills: vec![] },
        ],
        offers: shape.offers.map(|limit| OfferSetup { countdown: Millis::from_secs(60), decline_limit: limit }),
    }
}

/// Runs a second-generation scenario, checking every invariant after every input; returns every effect.
fn run2(shape: &Shape, steps: &[(u64, Step2)]) -> Result<Vec<Effect>, TestCaseError> {
    let setup = build(shape);
    let groups: Vec<GroupSetup> = setup.groups.clone();
    let mut router = Router::new(setup).expect("valid set-up");
    let mut now = Millis::ZERO;
    let mut next_id = 0u64;
    let mut live: BTreeMap<ConversationId, u32> = BTreeMap::new();
    let mut finished: BTreeSet<ConversationId> = BTreeSet::new();
    let mut timers: Vec<(Timer, Millis)> = Vec::new();
    let mut overridden: BTreeMap<ConversationId, AgentId> = BTreeMap::new();
    let mut declines: BTreeMap<(ConversationId, AgentId), u32> = BTreeMap::new();
    // Units an agent may hold over capacity because it signed in again with less than it held.
    let mut allowance: BTreeMap<AgentId, u32> = BTreeMap::new();
    let mut all = Vec::new();
    for (gap, step) in steps {
        now += Millis(*gap);
        let open: Vec<ConversationId> = live.keys().copied().collect();
        let pick = |i: &usize| open.get(i % open.len().max(1)).copied().unwrap_or(ConversationId(u64::MAX));
        let input = match step {
            Step2::Arrive { workstream, french } => {
                next_id += 1;
                live.insert(ConversationId(next_id), u32::from(*workstream) + 1);
                let needs = if *french { Skills::one(FRENCH) } else { Skills::NONE };
                Input::ConversationArrived {
                    conversation: ConversationId(next_id),
                    workstream: WorkstreamId(*workstream),
                    needs,
                }
            }
            Step2::Message(i) => Input::CustomerMessage { conversation: pick(i) },
            Step2::Reply(i) => Input::AgentReplied { conversation: pick(i) },
            Step2::End(i) => Input::AgentEnded { conversation: pick(i) },
            Step2::WrapUpDone(i) => Input::WrapUpDone { conversation: pick(i) },
            Step2::Leave(i) => Input::CustomerLeft { conversation: pick(i) },
            Step2::Accept(i) => Input::OfferAccepted { conversation: pick(i) },
            Step2::Decline(i) => Input::OfferDeclined { conversation: pick(i) },
            Step2::SignIn { agent, group, capacity } => {
                Input::AgentSignedIn { agent: AgentId(*agent), group: GroupId(*group), capacity: *capacity }
            }
            Step2::SignOut(agent) => Input::AgentSignedOut { agent: AgentId(*agent) },
            Step2::Presence { agent, presence } => Input::PresenceChanged {
                agent: AgentId(*agent),
                presence: [Presence::Available, Presence::Busy, Presence::DoNotDisturb, Presence::Away]
                    [*presence as usize],
            },
            Step2::Open(q) => Input::QueueOpened { queue: QueueId(*q) },
            Step2::Close(q) => Input::QueueClosed { queue: QueueId(*q) },
            Step2::FireTimer(i) => {
                if timers.is_empty() {
                    continue;
                }
                let (timer, at) = timers.remove(i % timers.len());
                now = now.max(at);
                Input::TimerFired(timer)
            }
        };
        let before = format!("{router:?}");
        let held_before = match input {
            Input::AgentSignedIn { agent, .. } => router.agent(agent).map_or(0, |a| a.used),
            _ => 0,
        };
        let mut out = Vec::new();
        match router.handle(now, input, &mut out) {
            Err(e) => {
                prop_assert!(out.is_empty(), "a rejected input must not have effects");
                prop_assert_eq!(
                    format!("{router:?}"),
                    before,
                    "{:?} was refused ({}) but changed the router",
                    input,
                    e
                );
                if let Input::ConversationArrived { conversation, .. } = input {
                    live.remove(&conversation);
                }
            }
            Ok(()) => {
                if let Input::AgentSignedIn { agent, capacity, .. } = input {
                    allowance.insert(agent, held_before.saturating_sub(capacity));
                }
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
                            live.remove(&conversation);
                            overridden.remove(&conversation);
                        }
                        Effect::Reactivated { conversation, agent } => {
                            overridden.insert(conversation, agent);
                        }
                        Effect::Assigned { conversation, .. }
                        | Effect::Parked { conversation, .. }
                        | Effect::Offered { conversation, .. } => {
                            overridden.remove(&conversation);
                        }
                        Effect::OfferWithdrawn { conversation, agent, declined: true } => {
                            *declines.entry((conversation, agent)).or_default() += 1;
                        }
                        _ => {}
                    }
                    if let Some(c) = e.conversation() {
                        prop_assert!(!finished.contains(&c) || is_final(e), "closed {c} changed again: {e:?}");
                    }
                }
            }
        }
        check_state2(&router, &groups, shape, &live, &finished, &overridden, &declines, &mut allowance)?;
        all.extend(out);
    }
    Ok(all)
}

#[allow(clippy::too_many_arguments)]
fn check_state2(
    router: &Router,
    groups: &[GroupSetup],
    shape: &Shape,
    live: &BTreeMap<ConversationId, u32>,
    finished: &BTreeSet<ConversationId>,
    overridden: &BTreeMap<ConversationId, AgentId>,
    declines: &BTreeMap<(ConversationId, AgentId), u32>,
    allowance: &mut BTreeMap<AgentId, u32>,
) -> Result<(), TestCaseError> {
    // Nothing lost or duplicated by offers, transfers and overflow: every conversation not finished is in the
    // router in exactly one state, counted once in the totals; nothing finished is.
    let mut by_state = [0usize; 6];
    for &c in live.keys() {
        let view = router.conversation(c);
        prop_assert!(view.is_some(), "{c} was lost");
        by_state[view.unwrap().state as usize] += 1;
    }
    for &c in finished {
        prop_assert!(router.conversation(c).is_none(), "{c} is finished but still open");
    }
    let load = router.load();
    prop_assert_eq!(load.open, by_state[State::Open as usize]);
    prop_assert_eq!(load.offered, by_state[State::Offered as usize]);
    prop_assert_eq!(load.active, by_state[State::Active as usize]);
    prop_assert_eq!(load.waiting, by_state[State::Waiting as usize]);
    prop_assert_eq!(load.wrap_up, by_state[State::WrapUp as usize]);
    let w: Vec<Load> = (0..2).map(|i| router.workstream_load(WorkstreamId(i))).collect();
    prop_assert_eq!(load.open, w[0].open + w[1].open);
    prop_assert_eq!(load.active, w[0].active + w[1].active);
    prop_assert_eq!(load.capacity_used, w[0].capacity_used + w[1].capacity_used);
    let waiting: usize = (0..2).map(|q| router.waiting_in(QueueId(q)).len()).sum();
    prop_assert_eq!(waiting, router.queue_len());
    // Capacity, for every agent after every step: never over capacity, except by conversations the same-agent
    // override brought back and by what it held when it signed in again with less capacity.
    let mut used_total = 0u64;
    for a in 0..AGENTS {
        let Some(agent) = router.agent(AgentId(a)) else { continue };
        used_total += u64::from(agent.used);
        let override_units: u32 = overridden
            .iter()
            .filter(|(c, ag)| **ag == agent.id && router.conversation(**c).is_some_and(|v| v.agent == Some(agent.id)))
            .map(|(c, _)| live[c])
            .sum();
        let extra = allowance.get(&agent.id).copied().unwrap_or(0);
        prop_assert!(
            agent.used <= agent.capacity + override_units + extra,
            "agent {} uses {} of {} (override {}, allowance {})",
            a,
            agent.used,
            agent.capacity,
            override_units,
            extra
        );
        if agent.used <= agent.capacity {
            allowance.remove(&agent.id);
        }
    }
    prop_assert_eq!(load.capacity_used, used_total);
    // Work conservation: while a queue is open and holds a conversation, no eligible agent has room for it.
    for q in 0..2u16 {
        if !router.is_open(QueueId(q)) {
            continue;
        }
        for c in router.waiting_in(QueueId(q)) {
            let view = router.conversation(c).expect("queued is open");
            for a in 0..AGENTS {
                let Some(agent) = router.agent(AgentId(a)) else { continue };
                let group = &groups[agent.group.0 as usize];
                let skilled = view.needs == Skills::NONE
                    || group.skills.iter().any(|&(s, _)| s == FRENCH)
                    || shape.closest[q as usize];
                let excluded =
                    shape.offers.is_some_and(|limit| declines.get(&(c, agent.id)).copied().unwrap_or(0) >= limit);
                let eligible = agent.duty == Duty::OnDuty
                    && agent.presence.takes_work()
                    && agent.free_units() >= view.units
                    && group.queues.contains(&QueueId(q))
                    && skilled
                    && !excluded;
                prop_assert!(!eligible, "{c} waits in open queue {q} while agent {a} could take it: {agent:?}");
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn second_generation_invariants_hold_for_any_set_up_and_input_sequence(
        shape in shape(),
        steps in prop::collection::vec((0u64..200_000, step2()), 1..150),
    ) {
        let first = run2(&shape, &steps)?;
        let second = run2(&shape, &steps)?;
        prop_assert_eq!(first, second, "identical inputs must give identical effects");
    }
}
