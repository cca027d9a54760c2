//! Unit tests of every transition and every assignment tie-break, through the public API.

use super::*;

const C1: ConversationId = ConversationId(1);
const C2: ConversationId = ConversationId(2);
const C3: ConversationId = ConversationId(3);
const A0: AgentId = AgentId(0);
const Q0: QueueId = QueueId(0);
const A1: AgentId = AgentId(1);
const A2: AgentId = AgentId(2);

/// A router plus a clock, collecting effects per step.
struct Bench {
    router: Router,
    now: Millis,
}

impl Bench {
    fn new(policy: Box<dyn Policy>, config: RouterConfig) -> Bench {
        Bench { router: Router::single(config, policy), now: Millis::ZERO }
    }

    fn live() -> Bench {
        Bench::new(Box::new(Live::default()), RouterConfig::default())
    }

    fn persistent() -> Bench {
        Bench::new(Box::new(Persistent::default()), RouterConfig::default())
    }

    fn with_method(method: AssignmentMethod) -> Bench {
        Bench::new(Box::new(Live::default()), RouterConfig { assignment: method, ..RouterConfig::default() })
    }

    fn at(&mut self, secs: u64, input: Input) -> Vec<Effect> {
        self.now = Millis::from_secs(secs);
        let mut out = Vec::new();
        self.router.handle(self.now, input, &mut out).expect("input accepted");
        out
    }

    fn err(&mut self, secs: u64, input: Input) -> RoutingError {
        let mut out = Vec::new();
        let e = self.router.handle(Millis::from_secs(secs), input, &mut out).expect_err("input rejected");
        assert!(out.is_empty(), "a rejected input has no effects");
        e
    }

    fn state(&self, c: ConversationId) -> Option<State> {
        self.router.conversation(c).map(|v| v.state)
    }

    fn used(&self, a: AgentId) -> u32 {
        self.router.agent(a).expect("agent known").used
    }
}

fn arrive(c: ConversationId) -> Input {
    Input::ConversationArrived { conversation: c, workstream: WorkstreamId(0), needs: Skills::NONE }
}
fn sign_in(a: AgentId, capacity: u32) -> Input {
    Input::AgentSignedIn { agent: a, group: GroupId(0), capacity }
}
fn reply(c: ConversationId) -> Input {
    Input::AgentReplied { conversation: c }
}
fn message(c: ConversationId) -> Input {
    Input::CustomerMessage { conversation: c }
}
fn timers(effects: &[Effect]) -> Vec<(Timer, Millis)> {
    effects
        .iter()
        .filter_map(|e| if let Effect::StartTimer { timer, at } = e { Some((*timer, *at)) } else { None })
        .collect()
}
fn assigned(effects: &[Effect]) -> Vec<(ConversationId, AgentId)> {
    effects
        .iter()
        .filter_map(
            |e| if let Effect::Assigned { conversation, agent } = e { Some((*conversation, *agent)) } else { None },
        )
        .collect()
}

#[test]
fn arrival_with_a_free_agent_is_assigned_at_once() {
    let mut b = Bench::live();
    b.at(0, sign_in(A0, 2));
    let fx = b.at(1, arrive(C1));
    assert_eq!(fx, vec![Effect::Assigned { conversation: C1, agent: A0 }], "it never waits in the queue");
    assert_eq!(b.state(C1), Some(State::Active));
    assert_eq!(b.used(A0), 1);
    assert_eq!(b.router.agent(A0).unwrap().presence, Presence::Available);
}

#[test]
fn arrival_without_agents_queues_oldest_first() {
    let mut b = Bench::live();
    assert_eq!(b.at(1, arrive(C1)), vec![Effect::Queued { conversation: C1, queue: Q0, position: 1 }]);
    assert_eq!(b.at(2, arrive(C2)), vec![Effect::Queued { conversation: C2, queue: Q0, position: 2 }]);
    let fx = b.at(3, sign_in(A0, 1));
    assert_eq!(assigned(&fx), vec![(C1, A0)]);
    assert_eq!(b.state(C2), Some(State::Open));
    assert_eq!(b.router.agent(A0).unwrap().free_units(), 0);
}

#[test]
fn live_refuses_out_of_hours_but_serves_the_queue_after_closing() {
    let mut b = Bench::live();
    b.at(0, arrive(C1));
    b.at(1, Input::QueueClosed { queue: Q0 });
    assert_eq!(b.at(2, arrive(C2)), vec![Effect::Refused { conversation: C2, reason: RefuseReason::OutOfHours }]);
    assert_eq!(b.state(C2), None);
    assert_eq!(assigned(&b.at(3, sign_in(A0, 1))), vec![(C1, A0)]);
}

#[test]
fn persistent_accepts_out_of_hours_and_waits_for_opening() {
    let mut b = Bench::persistent();
    b.at(0, Input::QueueClosed { queue: Q0 });
    b.at(1, sign_in(A0, 1));
    assert_eq!(b.at(2, arrive(C1)), vec![Effect::Queued { conversation: C1, queue: Q0, position: 1 }]);
    assert_eq!(assigned(&b.at(3, Input::QueueOpened { queue: Q0 })), vec![(C1, A0)]);
}

#[test]
fn abandonment_while_open_is_final() {
    let mut b = Bench::live();
    b.at(0, arrive(C1));
    assert_eq!(b.at(5, Input::CustomerLeft { conversation: C1 }), vec![Effect::Abandoned { conversation: C1 }]);
    assert_eq!(b.state(C1), None);
    assert!(assigned(&b.at(6, sign_in(A0, 1))).is_empty());
    assert_eq!(b.err(7, message(C1)), RoutingError::UnknownConversation(C1));
}

#[test]
fn persistent_customers_cannot_leave() {
    let mut b = Bench::persistent();
    b.at(0, arrive(C1));
    assert_eq!(b.err(1, Input::CustomerLeft { conversation: C1 }), RoutingError::CustomerCannotLeave(C1));
}

#[test]
fn reply_requests_an_idle_check_and_a_message_makes_it_stale() {
    let mut b = Bench::live();
    b.at(0, sign_in(A0, 1));
    b.at(0, arrive(C1));
    let fx = b.at(10, reply(C1));
    let [(timer, at)] = timers(&fx)[..] else { panic!("one timer expected: {fx:?}") };
    assert_eq!((timer.kind(), at), (TimerKind::CustomerIdle, Millis::from_secs(10 + 180)));
    b.at(60, message(C1));
    assert!(b.at(190, Input::TimerFired(timer)).is_empty(), "stale timer ignored");
    assert_eq!(b.state(C1), Some(State::Active));
}

#[test]
fn live_customer_silence_ends_the_conversation_into_wrap_up() {
    let mut b = Bench::live();
    b.at(0, sign_in(A0, 1));
    b.at(0, arrive(C1));
    let (timer, _) = timers(&b.at(10, reply(C1)))[0];
    let fx = b.at(190, Input::TimerFired(timer));
    assert_eq!(fx, vec![Effect::WrapUpStarted { conversation: C1, agent: A0, reason: EndReason::CustomerIdle }]);
    assert_eq!(b.state(C1), Some(State::WrapUp));
    assert_eq!(b.used(A0), 1, "wrap-up holds capacity by default");
    assert_eq!(
        b.at(220, Input::WrapUpDone { conversation: C1 }),
        vec![Effect::Closed { conversation: C1, reason: EndReason::CustomerIdle }]
    );
    assert_eq!((b.state(C1), b.used(A0)), (None, 0));
}

#[test]
fn wrap_up_can_release_capacity_at_once() {
    let config = RouterConfig { wrap_up_holds_capacity: false, ..RouterConfig::default() };
    let mut b = Bench::new(Box::new(Live::default()), config);
    b.at(0, sign_in(A0, 1));
    b.at(0, arrive(C1));
    b.at(1, arrive(C2));
    b.at(5, reply(C1));
    let fx = b.at(6, Input::AgentEnded { conversation: C1 });
    assert_eq!(fx[0], Effect::WrapUpStarted { conversation: C1, agent: A0, reason: EndReason::Resolved });
    assert_eq!(assigned(&fx), vec![(C2, A0)], "freed capacity goes to the queue during wrap-up");
}

#[test]
fn live_customer_can_end_an_active_chat() {
    let mut b = Bench::live();
    b.at(0, sign_in(A0, 1));
    b.at(0, arrive(C1));
    let fx = b.at(3, Input::CustomerLeft { conversation: C1 });
    assert_eq!(fx, vec![Effect::WrapUpStarted { conversation: C1, agent: A0, reason: EndReason::CustomerEnded }]);
}

#[test]
fn persistent_parks_after_silence_and_releases_capacity() {
    let mut b = Bench::persistent();
    b.at(0, sign_in(A0, 1));
    b.at(0, arrive(C1));
    b.at(1, arrive(C2));
    let (timer, at) = timers(&b.at(10, reply(C1)))[0];
    assert_eq!(at, Millis::from_secs(610));
    let fx = b.at(610, Input::TimerFired(timer));
    assert_eq!(fx[0], Effect::Parked { conversation: C1, agent: A0 });
    let [(close, close_at)] = timers(&fx)[..] else { panic!("auto-close timer expected") };
    assert_eq!((close.kind, close_at), (TimerKind::AutoClose, Millis::from_secs(10) + Millis(7 * Millis::DAY.0)));
    assert_eq!(assigned(&fx), vec![(C2, A0)], "the released capacity serves the queue");
    assert_eq!(b.state(C1), Some(State::Waiting));
    assert_eq!(b.router.load().capacity_reclaimed, 1);
}

#[test]
fn returning_customer_goes_back_to_the_same_agent_even_when_full() {
    let mut b = Bench::persistent();
    b.at(0, sign_in(A0, 1));
    b.at(0, sign_in(A1, 1));
    b.at(0, arrive(C1));
    let (timer, _) = timers(&b.at(10, reply(C1)))[0];
    b.at(610, Input::TimerFired(timer));
    b.at(620, arrive(C2));
    b.at(621, arrive(C3));
    assert_eq!((b.used(A0), b.used(A1)), (1, 1));
    let fx = b.at(5000, message(C1));
    assert_eq!(fx, vec![Effect::Reactivated { conversation: C1, agent: A0 }]);
    assert_eq!(b.used(A0), 2, "same-agent return overrides capacity");
    let v = b.router.conversation(C1).unwrap();
    assert_eq!((v.state, v.returns, v.awaiting_agent), (State::Active, 1, true));
    assert_eq!(b.router.load().capacity_reclaimed, 0);
}

#[test]
fn returning_customer_waits_for_a_signed_out_agent_then_goes_to_anyone() {
    let mut b = Bench::persistent();
    b.at(0, sign_in(A0, 1));
    b.at(0, arrive(C1));
    let (timer, _) = timers(&b.at(10, reply(C1)))[0];
    b.at(610, Input::TimerFired(timer));
    b.at(700, Input::AgentSignedOut { agent: A0 });
    b.at(800, sign_in(A1, 1));
    let fx = b.at(1000, message(C1));
    assert_eq!(fx[0], Effect::OfferedToSameAgent { conversation: C1, agent: A0 });
    let (wait, at) = timers(&fx)[0];
    assert_eq!((wait.kind, at), (TimerKind::SameAgentWait, Millis::from_secs(1000 + 3600)));
    assert_eq!(b.state(C1), Some(State::Open));
    let fx = b.at(4600, Input::TimerFired(wait));
    assert_eq!(
        fx,
        vec![
            Effect::Queued { conversation: C1, queue: Q0, position: 1 },
            Effect::Assigned { conversation: C1, agent: A1 }
        ]
    );
}

#[test]
fn a_signed_out_agent_who_returns_in_time_gets_the_conversation_back() {
    let mut b = Bench::persistent();
    b.at(0, sign_in(A0, 1));
    b.at(0, arrive(C1));
    let (timer, _) = timers(&b.at(10, reply(C1)))[0];
    b.at(610, Input::TimerFired(timer));
    b.at(700, Input::AgentSignedOut { agent: A0 });
    let fx = b.at(1000, message(C1));
    let (wait, _) = timers(&fx)[0];
    assert_eq!(b.at(2000, sign_in(A0, 1)), vec![Effect::Reactivated { conversation: C1, agent: A0 }]);
    assert!(b.at(4600, Input::TimerFired(wait)).is_empty(), "the wait timer is stale");
}

#[test]
fn without_same_agent_a_return_goes_to_the_front_of_the_queue() {
    let policy = Persistent { same_agent: false, ..Persistent::default() };
    let mut b = Bench::new(Box::new(policy), RouterConfig::default());
    b.at(0, sign_in(A0, 1));
    b.at(0, arrive(C1));
    let (timer, _) = timers(&b.at(10, reply(C1)))[0];
    b.at(610, Input::TimerFired(timer));
    b.at(620, arrive(C2));
    b.at(630, arrive(C3));
    assert_eq!(b.at(700, message(C1)), vec![Effect::Queued { conversation: C1, queue: Q0, position: 1 }]);
    b.at(710, Input::AgentEnded { conversation: C2 });
    assert_eq!(assigned(&b.at(720, Input::WrapUpDone { conversation: C2 })), vec![(C1, A0)]);
}

#[test]
fn parked_conversations_auto_close_after_silence() {
    let mut b = Bench::persistent();
    b.at(0, sign_in(A0, 1));
    b.at(0, arrive(C1));
    let (timer, _) = timers(&b.at(10, reply(C1)))[0];
    let (close, at) = timers(&b.at(610, Input::TimerFired(timer)))[0];
    let fx = b.at(at.0 / 1000, Input::TimerFired(close));
    assert_eq!(fx, vec![Effect::Closed { conversation: C1, reason: EndReason::AutoClosed }]);
    assert_eq!(b.state(C1), None);
    assert_eq!(b.router.load().capacity_reclaimed, 0);
}

#[test]
fn the_agent_can_close_a_parked_conversation() {
    let mut b = Bench::persistent();
    b.at(0, sign_in(A0, 1));
    b.at(0, arrive(C1));
    let (timer, _) = timers(&b.at(10, reply(C1)))[0];
    b.at(610, Input::TimerFired(timer));
    let fx = b.at(700, Input::AgentEnded { conversation: C1 });
    assert_eq!(fx, vec![Effect::Closed { conversation: C1, reason: EndReason::Resolved }]);
}

#[test]
fn persistent_sign_out_waits_for_the_reply_being_written() {
    let mut b = Bench::persistent();
    b.at(0, sign_in(A0, 2));
    b.at(0, arrive(C1));
    b.at(0, arrive(C2));
    // A0 is writing C1's reply when the shift ends; C2's reply is not started.
    assert!(b.at(100, Input::AgentWriting { conversation: C1 }).is_empty());
    let fx = b.at(100, Input::AgentSignedOut { agent: A0 });
    assert!(fx.contains(&Effect::Parked { conversation: C2, agent: A0 }));
    assert!(fx.contains(&Effect::Queued { conversation: C2, queue: Q0, position: 1 }), "C2 is handed over");
    assert!(!fx.contains(&Effect::AgentOffline { agent: A0 }), "A0 still holds C1");
    assert_eq!(b.state(C1), Some(State::Active));
    assert_eq!(b.router.agent(A0).unwrap().duty, Duty::SigningOut);
    // The reply is sent: C1 parks as the others did, and A0 goes.
    let fx = b.at(130, reply(C1));
    assert!(fx.contains(&Effect::Parked { conversation: C1, agent: A0 }));
    assert!(fx.contains(&Effect::AgentOffline { agent: A0 }));
    assert_eq!(b.state(C1), Some(State::Waiting));
    let load = b.router.load();
    assert_eq!((load.agents_online, load.capacity_used, load.capacity_reclaimed), (0, 0, 0));
    // Only a conversation awaiting its agent's reply can be written to.
    assert!(matches!(b.err(140, Input::AgentWriting { conversation: C1 }), RoutingError::InvalidTransition { .. }));
}

#[test]
fn reclaimed_capacity_counts_an_agent_parked_units_up_to_its_capacity() {
    let mut b = Bench::persistent();
    b.at(0, sign_in(A0, 2));
    for (i, c) in [C1, C2, C3].into_iter().enumerate() {
        let t = i as u64 * 1000;
        b.at(t, arrive(c));
        let (timer, _) = timers(&b.at(t + 10, reply(c)))[0];
        b.at(t + 610, Input::TimerFired(timer));
    }
    // Three parked conversations on an agent with two slots: two slots given back, not three.
    assert_eq!(b.router.load().waiting, 3);
    assert_eq!(b.router.load().capacity_reclaimed, 2);
    b.at(3000, message(C1));
    assert_eq!(b.router.load().capacity_reclaimed, 2, "two still parked");
    b.at(3001, message(C2));
    assert_eq!(b.router.load().capacity_reclaimed, 1);
    b.at(3002, Input::AgentSignedOut { agent: A0 });
    assert_eq!(b.router.load().capacity_reclaimed, 0, "nothing is reclaimed for an agent signed out");
}

#[test]
fn persistent_sign_out_parks_what_the_agent_holds() {
    let mut b = Bench::persistent();
    b.at(0, sign_in(A0, 2));
    b.at(0, arrive(C1));
    b.at(0, arrive(C2));
    b.at(5, reply(C1));
    let fx = b.at(100, Input::AgentSignedOut { agent: A0 });
    assert!(fx.contains(&Effect::Parked { conversation: C1, agent: A0 }));
    assert!(fx.contains(&Effect::Parked { conversation: C2, agent: A0 }));
    assert!(
        fx.contains(&Effect::Queued { conversation: C2, queue: Q0, position: 1 }),
        "C2 awaited a reply: anyone may take it"
    );
    assert!(fx.contains(&Effect::AgentOffline { agent: A0 }));
    assert_eq!((b.state(C1), b.state(C2)), (Some(State::Waiting), Some(State::Open)));
    let load = b.router.load();
    assert_eq!((load.agents_online, load.capacity_used, load.capacity_reclaimed), (0, 0, 0));
    assert_eq!(assigned(&b.at(101, sign_in(A1, 1))), vec![(C2, A1)]);
    // C1's customer was mid-conversation: writing again while A0 is away, they do not wait for A0.
    b.at(102, Input::AgentEnded { conversation: C2 });
    b.at(103, Input::WrapUpDone { conversation: C2 });
    assert_eq!(
        b.at(104, message(C1)),
        vec![
            Effect::Queued { conversation: C1, queue: Q0, position: 1 },
            Effect::Assigned { conversation: C1, agent: A1 }
        ]
    );
}

#[test]
fn live_sign_out_finishes_held_conversations_first() {
    let mut b = Bench::live();
    b.at(0, sign_in(A0, 2));
    b.at(0, arrive(C1));
    assert!(b.at(10, Input::AgentSignedOut { agent: A0 }).is_empty());
    assert_eq!(b.router.agent(A0).unwrap().duty, Duty::SigningOut);
    assert!(assigned(&b.at(11, arrive(C2))).is_empty(), "a signing-out agent takes nothing new");
    b.at(20, Input::AgentEnded { conversation: C1 });
    let fx = b.at(30, Input::WrapUpDone { conversation: C1 });
    assert!(fx.contains(&Effect::AgentOffline { agent: A0 }));
    assert_eq!(b.router.load().agents_online, 0);
}

#[test]
fn highest_capacity_prefers_most_free_then_oldest_assignment() {
    let mut b = Bench::with_method(AssignmentMethod::HighestCapacity);
    b.at(0, sign_in(A0, 2));
    b.at(0, sign_in(A1, 3));
    assert_eq!(assigned(&b.at(1, arrive(C1))), vec![(C1, A1)], "3 free beats 2 free");
    assert_eq!(assigned(&b.at(2, arrive(C2))), vec![(C2, A0)], "2 vs 2: A0 never assigned, so older");
    assert_eq!(assigned(&b.at(3, arrive(C3))), vec![(C3, A1)], "1 vs 2 free");
}

#[test]
fn highest_capacity_ties_on_everything_go_to_the_lower_id() {
    let mut b = Bench::with_method(AssignmentMethod::HighestCapacity);
    b.at(0, sign_in(A2, 1));
    b.at(0, sign_in(A1, 1));
    assert_eq!(assigned(&b.at(1, arrive(C1))), vec![(C1, A1)]);
}

#[test]
fn round_robin_picks_the_oldest_last_assignment_regardless_of_load() {
    let mut b = Bench::with_method(AssignmentMethod::RoundRobin);
    b.at(0, sign_in(A0, 3));
    b.at(0, sign_in(A1, 3));
    assert_eq!(assigned(&b.at(1, arrive(C1))), vec![(C1, A0)]);
    assert_eq!(assigned(&b.at(2, arrive(C2))), vec![(C2, A1)]);
    b.at(3, Input::AgentEnded { conversation: C1 });
    b.at(3, Input::WrapUpDone { conversation: C1 });
    assert_eq!(assigned(&b.at(4, arrive(C3))), vec![(C3, A0)], "A0 assigned at 1s, A1 at 2s");
}

#[test]
fn least_active_picks_capacity_released_longest_ago() {
    let mut b = Bench::with_method(AssignmentMethod::LeastActive);
    b.at(0, sign_in(A0, 2));
    b.at(1, sign_in(A1, 2));
    assert_eq!(assigned(&b.at(2, arrive(C1))), vec![(C1, A0)], "A0 free since 0s, A1 since 1s");
    assert_eq!(assigned(&b.at(3, arrive(C2))), vec![(C2, A0)], "assignment does not change release time");
    b.at(4, Input::AgentEnded { conversation: C1 });
    b.at(5, Input::WrapUpDone { conversation: C1 });
    assert_eq!(assigned(&b.at(6, arrive(C3))), vec![(C3, A1)], "A0 released at 5s, A1 at 1s");
}

#[test]
fn invalid_inputs_are_rejected_without_effects() {
    let mut b = Bench::live();
    b.at(10, sign_in(A0, 1));
    assert_eq!(
        b.err(5, arrive(C1)),
        RoutingError::TimeWentBackwards { now: Millis::from_secs(5), last: Millis::from_secs(10) }
    );
    b.at(10, arrive(C1));
    assert_eq!(b.err(11, arrive(C1)), RoutingError::DuplicateConversation(C1));
    assert_eq!(b.err(11, sign_in(A0, 1)), RoutingError::AlreadySignedIn(A0));
    assert_eq!(b.err(11, sign_in(A1, 0)), RoutingError::ZeroCapacity);
    assert_eq!(b.err(11, Input::AgentSignedOut { agent: A2 }), RoutingError::UnknownAgent(A2));
    assert_eq!(b.err(11, reply(C2)), RoutingError::UnknownConversation(C2));
    assert!(matches!(b.err(11, Input::WrapUpDone { conversation: C1 }), RoutingError::InvalidTransition { .. }));
    assert!(matches!(
        b.err(11, Input::AgentEnded { conversation: ConversationId(9) }),
        RoutingError::UnknownConversation(_)
    ));
}

#[test]
fn every_timer_is_in_the_future() {
    let policy = Persistent { park_after_idle: Millis::ZERO, auto_close_after: Millis::ZERO, ..Persistent::default() };
    let mut b = Bench::new(Box::new(policy), RouterConfig::default());
    b.at(0, sign_in(A0, 1));
    b.at(0, arrive(C1));
    let (t, at) = timers(&b.at(10, reply(C1)))[0];
    assert!(at > Millis::from_secs(10));
    let mut out = Vec::new();
    b.router.handle(at, Input::TimerFired(t), &mut out).unwrap();
    assert!(timers(&out).iter().all(|(_, when)| *when > at));
}
