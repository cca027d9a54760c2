//! The second-generation routing core, one rule at a time, through the public API: queue priority, skills,
//! overflow, transfers, offers, presence, wrap-up holds, timers of different kinds, and refused inputs.

use chatcap::routing::*;

const G0: GroupId = GroupId(0);
const G1: GroupId = GroupId(1);
const Q0: QueueId = QueueId(0);
const Q1: QueueId = QueueId(1);
const W0: WorkstreamId = WorkstreamId(0);
const W1: WorkstreamId = WorkstreamId(1);
const FRENCH: SkillId = SkillId(0);
const GERMAN: SkillId = SkillId(1);

fn c(n: u64) -> ConversationId {
    ConversationId(n)
}
fn a(n: u32) -> AgentId {
    AgentId(n)
}

fn queue(name: &str, priority: u32) -> QueueSetup {
    QueueSetup {
        name: name.into(),
        priority,
        assignment: AssignmentMethod::HighestCapacity,
        skill_match: SkillMatch::Exact,
        overflow: Vec::new(),
        open: true,
    }
}

fn live(name: &str, queue: QueueId) -> WorkstreamSetup {
    WorkstreamSetup {
        name: name.into(),
        policy: Box::new(Live::default()),
        queue,
        units: 1,
        wrap_up: WrapUpHold::Always,
    }
}

fn group(name: &str, queues: &[QueueId], skills: &[(SkillId, u8)]) -> GroupSetup {
    GroupSetup { name: name.into(), queues: queues.to_vec(), skills: skills.to_vec() }
}

/// A router and a clock, collecting effects.
struct Bench {
    router: Router,
    now: Millis,
}

impl Bench {
    fn new(setup: Setup) -> Bench {
        Bench { router: Router::new(setup).expect("valid set-up"), now: Millis::ZERO }
    }

    fn at(&mut self, secs: u64, input: Input) -> Vec<Effect> {
        self.now = Millis::from_secs(secs);
        let mut out = Vec::new();
        self.router.handle(self.now, input, &mut out).expect("input accepted");
        out
    }

    fn arrive(&mut self, secs: u64, id: u64, workstream: WorkstreamId, needs: Skills) -> Vec<Effect> {
        self.at(secs, Input::ConversationArrived { conversation: c(id), workstream, needs })
    }

    fn sign_in(&mut self, secs: u64, agent: u32, group: GroupId, capacity: u32) -> Vec<Effect> {
        self.at(secs, Input::AgentSignedIn { agent: a(agent), group, capacity })
    }

    fn state(&self, id: u64) -> Option<State> {
        self.router.conversation(c(id)).map(|v| v.state)
    }
}

fn assigned(effects: &[Effect]) -> Vec<(u64, u32)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Assigned { conversation, agent } => Some((conversation.0, agent.0)),
            _ => None,
        })
        .collect()
}

fn timers(effects: &[Effect]) -> Vec<(Timer, Millis)> {
    effects
        .iter()
        .filter_map(|e| if let Effect::StartTimer { timer, at } = e { Some((*timer, *at)) } else { None })
        .collect()
}

fn two_queues(p0: u32, p1: u32) -> Setup {
    Setup {
        workstreams: vec![live("a", Q0), live("b", Q1)],
        queues: vec![queue("first", p0), queue("second", p1)],
        groups: vec![group("everyone", &[Q0, Q1], &[])],
        offers: None,
    }
}

#[test]
fn an_agent_serving_two_queues_takes_the_higher_priority_first_whatever_the_age() {
    let mut b = Bench::new(two_queues(2, 1));
    b.arrive(1, 1, W0, Skills::NONE);
    b.arrive(2, 2, W1, Skills::NONE);
    let fx = b.sign_in(3, 0, G0, 1);
    assert_eq!(assigned(&fx), vec![(2, 0)], "queue 'second' has priority 1, before 'first' (2)");
    assert_eq!(b.router.queue_waiting(Q0), 1);
    assert_eq!(b.router.queue_waiting(Q1), 0);
}

#[test]
fn equal_priorities_go_oldest_first_across_queues() {
    let mut b = Bench::new(two_queues(1, 1));
    b.arrive(1, 1, W1, Skills::NONE);
    b.arrive(2, 2, W0, Skills::NONE);
    assert_eq!(assigned(&b.sign_in(3, 0, G0, 1)), vec![(1, 0)]);
}

fn skills_setup(matching: SkillMatch) -> Setup {
    let mut q = queue("general", 1);
    q.skill_match = matching;
    Setup {
        workstreams: vec![live("chat", Q0)],
        queues: vec![q],
        groups: vec![group("french", &[Q0], &[(FRENCH, 4)]), group("generalists", &[Q0], &[(GERMAN, 2)])],
        offers: None,
    }
}

#[test]
fn exact_matching_waits_for_a_skilled_agent_and_lets_others_pass() {
    let mut b = Bench::new(skills_setup(SkillMatch::Exact));
    b.sign_in(0, 0, G1, 2);
    let fx = b.arrive(1, 1, W0, Skills::one(FRENCH));
    assert!(assigned(&fx).is_empty(), "the generalist lacks French");
    assert_eq!(assigned(&b.arrive(2, 2, W0, Skills::NONE)), vec![(2, 0)], "work needing no skill passes it");
    assert_eq!(assigned(&b.sign_in(3, 1, G0, 1)), vec![(1, 1)], "the French speaker takes it");
}

#[test]
fn closest_matching_prefers_the_skill_then_falls_back() {
    let mut b = Bench::new(skills_setup(SkillMatch::Closest));
    b.sign_in(0, 0, G1, 1);
    b.sign_in(0, 1, G0, 1);
    assert_eq!(assigned(&b.arrive(1, 1, W0, Skills::one(FRENCH))), vec![(1, 1)], "French speaker first");
    assert_eq!(assigned(&b.arrive(2, 2, W0, Skills::one(FRENCH))), vec![(2, 0)], "then the closest other");
}

#[test]
fn closest_matching_ranks_by_skills_held_then_rating() {
    let mut q = queue("general", 1);
    q.skill_match = SkillMatch::Closest;
    let setup = Setup {
        workstreams: vec![live("chat", Q0)],
        queues: vec![q],
        groups: vec![
            group("none", &[Q0], &[]),
            group("german-low", &[Q0], &[(GERMAN, 1)]),
            group("german-high", &[Q0], &[(GERMAN, 5)]),
        ],
        offers: None,
    };
    let mut b = Bench::new(setup);
    b.sign_in(0, 0, G0, 1);
    b.sign_in(0, 1, G1, 1);
    b.sign_in(0, 2, GroupId(2), 1);
    let needs = Skills::one(FRENCH).with(GERMAN);
    assert_eq!(assigned(&b.arrive(1, 1, W0, needs)), vec![(1, 2)], "German at 5 beats German at 1");
    assert_eq!(assigned(&b.arrive(2, 2, W0, needs)), vec![(2, 1)], "one skill beats none");
    assert_eq!(assigned(&b.arrive(3, 3, W0, needs)), vec![(3, 0)], "none is the last resort");
}

fn with_rules(rules: Vec<OverflowRule>) -> Setup {
    let mut q = queue("front", 1);
    q.overflow = rules;
    Setup {
        workstreams: vec![live("chat", Q0)],
        queues: vec![q, queue("backup", 1)],
        groups: vec![group("front-team", &[Q0], &[]), group("backup-team", &[Q1], &[])],
        offers: None,
    }
}

#[test]
fn more_waiting_than_ends_only_what_would_wait() {
    let rule = OverflowRule { when: OverflowCondition::MoreWaitingThan(1), action: OverflowAction::End };
    let mut b = Bench::new(with_rules(vec![rule]));
    b.sign_in(0, 0, G0, 1);
    assert_eq!(assigned(&b.arrive(1, 1, W0, Skills::NONE)), vec![(1, 0)], "served at once");
    b.arrive(2, 2, W0, Skills::NONE);
    assert_eq!(b.state(2), Some(State::Open), "the first to wait");
    let fx = b.arrive(3, 3, W0, Skills::NONE);
    assert!(fx.contains(&Effect::Refused { conversation: c(3), reason: RefuseReason::QueueFull }), "{fx:?}");
    assert_eq!(b.state(3), None);
}

#[test]
fn more_waiting_than_zero_is_loss_when_everyone_is_busy() {
    let rule = OverflowRule { when: OverflowCondition::MoreWaitingThan(0), action: OverflowAction::End };
    let mut b = Bench::new(with_rules(vec![rule]));
    b.sign_in(0, 0, G0, 1);
    assert_eq!(assigned(&b.arrive(1, 1, W0, Skills::NONE)), vec![(1, 0)]);
    let fx = b.arrive(2, 2, W0, Skills::NONE);
    assert!(matches!(fx.last(), Some(Effect::Refused { reason: RefuseReason::QueueFull, .. })), "{fx:?}");
}

#[test]
fn out_of_hours_transfers_to_the_backup_queue() {
    let rule = OverflowRule { when: OverflowCondition::OutOfHours, action: OverflowAction::Transfer(Q1) };
    let mut b = Bench::new(with_rules(vec![rule]));
    b.sign_in(0, 0, G0, 1);
    b.sign_in(0, 1, G1, 1);
    b.at(1, Input::QueueClosed { queue: Q0 });
    let fx = b.arrive(2, 1, W0, Skills::NONE);
    assert!(fx.contains(&Effect::Transferred { conversation: c(1), from: Q0, to: Q1 }), "{fx:?}");
    assert_eq!(assigned(&fx), vec![(1, 1)], "the backup team serves it although live chat refuses out of hours");
    assert_eq!(b.router.conversation(c(1)).unwrap().queue, Q1);
}

#[test]
fn out_of_hours_assign_anyway_admits_and_assigns_while_closed() {
    let rule = OverflowRule { when: OverflowCondition::OutOfHours, action: OverflowAction::AssignAnyway };
    let mut b = Bench::new(with_rules(vec![rule]));
    b.at(0, Input::QueueClosed { queue: Q0 });
    let fx = b.arrive(1, 1, W0, Skills::NONE);
    assert!(!fx.iter().any(|e| matches!(e, Effect::Refused { .. })), "{fx:?}");
    assert_eq!(assigned(&b.sign_in(2, 0, G0, 1)), vec![(1, 0)], "assigned with the queue still closed");
    let fx = b.arrive(3, 2, W0, Skills::NONE);
    assert_eq!(b.state(2), Some(State::Open), "{fx:?}");
}

#[test]
fn waited_longer_than_transfers_then_the_backup_serves() {
    let rule = OverflowRule {
        when: OverflowCondition::WaitedLongerThan(Millis::from_secs(300)),
        action: OverflowAction::Transfer(Q1),
    };
    let mut b = Bench::new(with_rules(vec![rule]));
    b.sign_in(0, 1, G1, 1);
    let fx = b.arrive(10, 1, W0, Skills::NONE);
    let (timer, at) = timers(&fx).into_iter().find(|(t, _)| t.kind() == TimerKind::QueueWait).expect("wait timer");
    assert_eq!(at, Millis::from_secs(310));
    let fx = b.at(310, Input::TimerFired(timer));
    assert!(fx.contains(&Effect::Transferred { conversation: c(1), from: Q0, to: Q1 }), "{fx:?}");
    assert_eq!(assigned(&fx), vec![(1, 1)]);
}

#[test]
fn waited_longer_than_end_closes_it_and_a_taken_conversation_ignores_the_timer() {
    let rule =
        OverflowRule { when: OverflowCondition::WaitedLongerThan(Millis::from_secs(60)), action: OverflowAction::End };
    let mut b = Bench::new(with_rules(vec![rule]));
    let t1 = timers(&b.arrive(0, 1, W0, Skills::NONE))[0].0;
    let t2 = timers(&b.arrive(0, 2, W0, Skills::NONE))[0].0;
    assert_eq!(assigned(&b.sign_in(30, 0, G0, 1)), vec![(1, 0)]);
    assert!(b.at(60, Input::TimerFired(t1)).is_empty(), "taken before its limit: stale");
    let fx = b.at(60, Input::TimerFired(t2));
    assert!(fx.contains(&Effect::Closed { conversation: c(2), reason: EndReason::Overflowed }), "{fx:?}");
    assert_eq!(b.router.load().open, 0);
}

#[test]
fn a_transfer_loop_is_refused_naming_the_queues() {
    let mut setup = with_rules(vec![OverflowRule {
        when: OverflowCondition::MoreWaitingThan(5),
        action: OverflowAction::Transfer(Q1),
    }]);
    setup.queues[1].overflow =
        vec![OverflowRule { when: OverflowCondition::OutOfHours, action: OverflowAction::Transfer(Q0) }];
    let err = Router::new(setup).expect_err("a loop");
    assert_eq!(err, SetupError::TransferLoop(vec!["front".into(), "backup".into(), "front".into()]));
}

#[test]
fn an_unserved_queue_and_an_in_queue_assign_anyway_are_refused() {
    let mut setup = with_rules(vec![]);
    setup.groups.pop();
    assert_eq!(Router::new(setup).unwrap_err(), SetupError::Unserved("backup".into()));
    let setup = with_rules(vec![OverflowRule {
        when: OverflowCondition::WaitedLongerThan(Millis::SECOND),
        action: OverflowAction::AssignAnyway,
    }]);
    assert_eq!(Router::new(setup).unwrap_err(), SetupError::AssignAnywayInQueue("front".into()));
}

fn offers(limit: u32) -> Setup {
    let mut q = queue("general", 1);
    q.overflow = vec![OverflowRule {
        when: OverflowCondition::WaitedLongerThan(Millis::from_secs(100)),
        action: OverflowAction::End,
    }];
    Setup {
        workstreams: vec![live("chat", Q0)],
        queues: vec![q],
        groups: vec![group("team", &[Q0], &[])],
        offers: Some(OfferSetup { countdown: Millis::from_secs(30), decline_limit: limit }),
    }
}

#[test]
fn an_offer_holds_capacity_until_accepted() {
    let mut b = Bench::new(offers(3));
    b.sign_in(0, 0, G0, 1);
    let fx = b.arrive(1, 1, W0, Skills::NONE);
    assert!(fx.contains(&Effect::Offered { conversation: c(1), agent: a(0) }), "{fx:?}");
    assert_eq!(b.state(1), Some(State::Offered));
    assert_eq!(b.router.agent(a(0)).unwrap().used, 1);
    assert!(assigned(&b.arrive(2, 2, W0, Skills::NONE)).is_empty(), "the offer holds the only unit");
    assert_eq!(assigned(&b.at(5, Input::OfferAccepted { conversation: c(1) })), vec![(1, 0)]);
    assert_eq!(b.state(1), Some(State::Active));
}

#[test]
fn a_declined_offer_keeps_its_place_and_the_limit_stops_reoffers() {
    let mut b = Bench::new(offers(1));
    b.sign_in(0, 0, G0, 1);
    b.arrive(1, 1, W0, Skills::NONE);
    b.arrive(2, 2, W0, Skills::NONE);
    let fx = b.at(3, Input::OfferDeclined { conversation: c(1) });
    assert!(fx.contains(&Effect::OfferWithdrawn { conversation: c(1), agent: a(0), declined: true }));
    // At the limit, agent 0 is not offered conversation 1 again: conversation 2 goes to them instead.
    assert!(fx.contains(&Effect::Offered { conversation: c(2), agent: a(0) }), "{fx:?}");
    // Another agent gets conversation 1, still first in line.
    let fx = b.sign_in(4, 1, G0, 1);
    assert!(fx.contains(&Effect::Offered { conversation: c(1), agent: a(1) }), "{fx:?}");
}

#[test]
fn an_offer_countdown_counts_as_a_decline_and_does_not_cancel_the_queue_wait() {
    let mut b = Bench::new(offers(3));
    let fx = b.arrive(0, 1, W0, Skills::NONE);
    let (wait, wait_at) = timers(&fx)[0];
    assert_eq!(wait.kind(), TimerKind::QueueWait);
    let fx = b.sign_in(90, 0, G0, 1);
    let (countdown, countdown_at) = timers(&fx)[0];
    assert_eq!((countdown.kind(), countdown_at), (TimerKind::OfferCountdown, Millis::from_secs(120)));
    // The wait limit passes while the offer is out: nothing yet.
    assert!(b.at(wait_at.0 / 1000, Input::TimerFired(wait)).is_empty());
    // The countdown runs out: a decline, and the overdue conversation overflows at once.
    let fx = b.at(120, Input::TimerFired(countdown));
    assert!(fx.contains(&Effect::OfferWithdrawn { conversation: c(1), agent: a(0), declined: true }), "{fx:?}");
    assert!(fx.contains(&Effect::Closed { conversation: c(1), reason: EndReason::Overflowed }), "{fx:?}");
    assert_eq!(b.router.agent(a(0)).unwrap().used, 0);
}

#[test]
fn do_not_disturb_keeps_work_but_takes_nothing_new() {
    let mut b = Bench::new(Setup::single(
        Box::new(Live::default()),
        AssignmentMethod::HighestCapacity,
        WrapUpHold::Always,
        true,
    ));
    b.sign_in(0, 0, G0, 2);
    assert_eq!(assigned(&b.arrive(1, 1, W0, Skills::NONE)), vec![(1, 0)]);
    b.at(2, Input::PresenceChanged { agent: a(0), presence: Presence::DoNotDisturb });
    assert!(assigned(&b.arrive(3, 2, W0, Skills::NONE)).is_empty());
    assert_eq!(b.state(1), Some(State::Active));
    assert_eq!(b.router.agent(a(0)).unwrap().presence, Presence::DoNotDisturb);
    assert_eq!(assigned(&b.at(4, Input::PresenceChanged { agent: a(0), presence: Presence::Busy })), vec![(2, 0)]);
}

#[test]
fn wrap_up_holds_capacity_for_its_time_only() {
    let mut setup =
        Setup::single(Box::new(Live::default()), AssignmentMethod::HighestCapacity, WrapUpHold::Always, true);
    setup.workstreams[0].wrap_up = WrapUpHold::For(Millis::from_secs(20));
    let mut b = Bench::new(setup);
    b.sign_in(0, 0, G0, 1);
    b.arrive(0, 1, W0, Skills::NONE);
    b.arrive(0, 2, W0, Skills::NONE);
    let fx = b.at(10, Input::AgentEnded { conversation: c(1) });
    let (release, at) = timers(&fx).into_iter().find(|(t, _)| t.kind() == TimerKind::WrapUpRelease).unwrap();
    assert_eq!(at, Millis::from_secs(30));
    assert_eq!(assigned(&b.at(30, Input::TimerFired(release))), vec![(2, 0)], "the unit is free after 20 s");
    assert_eq!(b.state(1), Some(State::WrapUp), "while the notes go on");
    b.at(40, Input::WrapUpDone { conversation: c(1) });
    assert_eq!(b.router.agent(a(0)).unwrap().used, 1, "conversation 2 only");
}

#[test]
fn a_refused_input_changes_nothing_not_even_the_time() {
    let mut b = Bench::new(two_queues(1, 1));
    b.arrive(5, 1, W0, Skills::NONE);
    let before = format!("{:?}", b.router);
    let mut out = Vec::new();
    let bad = [
        Input::AgentReplied { conversation: c(1) },
        Input::ConversationArrived { conversation: c(1), workstream: W0, needs: Skills::NONE },
        Input::ConversationArrived { conversation: c(2), workstream: WorkstreamId(7), needs: Skills::NONE },
        Input::AgentSignedIn { agent: a(0), group: GroupId(9), capacity: 1 },
        Input::QueueOpened { queue: QueueId(4) },
        Input::OfferAccepted { conversation: c(1) },
        Input::AgentSignedOut { agent: a(3) },
    ];
    for input in bad {
        assert!(b.router.handle(Millis::from_secs(50), input, &mut out).is_err(), "{input:?}");
        assert!(out.is_empty());
        assert_eq!(format!("{:?}", b.router), before, "{input:?} changed the router");
    }
    assert_eq!(b.router.now(), Millis::from_secs(5), "a refused input does not move the clock");
}

#[test]
fn workstream_totals_add_up_to_the_team() {
    let mut b = Bench::new(two_queues(1, 1));
    b.sign_in(0, 0, G0, 1);
    b.arrive(1, 1, W0, Skills::NONE);
    b.arrive(2, 2, W1, Skills::NONE);
    b.arrive(3, 3, W1, Skills::NONE);
    let (w0, w1, all) = (b.router.workstream_load(W0), b.router.workstream_load(W1), b.router.load());
    assert_eq!((w0.active, w0.open, w1.active, w1.open), (1, 0, 0, 2));
    assert_eq!((all.active, all.open), (w0.active + w1.active, w0.open + w1.open));
}
