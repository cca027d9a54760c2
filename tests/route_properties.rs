//! `chatcap route`'s driver under random input: random bytes and random event lines never panic and every
//! decision line is JSON in time order; and a recorded stream of router inputs (`route::write_event`) replayed
//! through the driver gives the decisions the router gave when called directly.

use chatcap::route::{Driver, write_event};
use chatcap::routing::{
    AgentId, ConversationId, Effect, Input, Millis, Presence, QueueId, Router, SkillId, Skills, Timer, WorkstreamId,
};
use chatcap::scenario::{Scenario, load};
use chatcap::sim::plan::Plan;
use proptest::prelude::*;
use std::path::Path;

fn scenario() -> Scenario {
    load(Path::new("tests/fixtures/route/two-teams.toml"), &[]).unwrap()
}

fn driver(s: &Scenario) -> Driver {
    Driver::for_policy(s, &s.policies[0])
}

/// Feeds `text` line by line, checking what comes out: JSON objects with non-decreasing `at`.
fn feed(driver: &mut Driver, text: &[u8]) {
    let mut out = Vec::new();
    for line in text.split(|&b| b == b'\n') {
        let _ = driver.line(line, &mut out);
    }
    let mut last = 0;
    for line in out.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        let v: serde_json::Value = serde_json::from_slice(line).expect("a decision is JSON");
        let at = v["at"].as_u64().expect("at is a number");
        assert!(at >= last, "decisions in time order");
        last = at;
    }
}

/// One random event line: a type, ids from small pools (some unknown), names (some wrong), a time.
fn event_line() -> impl Strategy<Value = String> {
    let types = prop::sample::select(vec![
        "arrived",
        "customer_message",
        "agent_replied",
        "agent_writing",
        "agent_ended",
        "wrap_up_done",
        "customer_left",
        "offer_accepted",
        "offer_declined",
        "signed_in",
        "signed_out",
        "presence",
        "queue_opened",
        "queue_closed",
        "timer_fired",
        "tick",
        "bogus",
    ]);
    let names = prop::sample::select(vec!["web", "app", "sales", "support", "general", "french", "x"]);
    let presences = prop::sample::select(vec!["available", "busy", "do_not_disturb", "away", "offline"]);
    let kinds = prop::sample::select(vec!["customer_idle", "queue_wait", "offer_countdown", "auto_close"]);
    (types, 0u64..400_000, 0u8..6, 0u8..4, names, presences, kinds, 0u32..4, any::<bool>()).prop_map(
        |(t, at, c, a, name, presence, kind, g, text_id)| {
            let c = if text_id { format!("\"c{c}\"") } else { c.to_string() };
            match t {
                "arrived" => format!(r#"{{"at":{at},"type":"arrived","conversation":{c},"workstream":"{name}"}}"#),
                "signed_in" => format!(
                    r#"{{"at":{at},"type":"signed_in","agent":{a},"group":"{}","capacity":{g}}}"#,
                    if g % 2 == 0 { "general" } else { "french" }
                ),
                "signed_out" => format!(r#"{{"at":{at},"type":"signed_out","agent":{a}}}"#),
                "presence" => format!(r#"{{"at":{at},"type":"presence","agent":{a},"presence":"{presence}"}}"#),
                "queue_opened" | "queue_closed" => format!(r#"{{"at":{at},"type":"{t}","queue":"{name}"}}"#),
                "timer_fired" => {
                    format!(r#"{{"at":{at},"type":"timer_fired","conversation":{c},"kind":"{kind}","generation":{g}}}"#)
                }
                "tick" => format!(r#"{{"at":{at},"type":"tick"}}"#),
                _ => format!(r#"{{"at":{at},"type":"{t}","conversation":{c}}}"#),
            }
        },
    )
}

/// One router input for the record-and-replay check, with a time step; `None` fires the earliest kept timer.
#[derive(Debug, Clone)]
enum Action {
    Input(u64, Input),
    FireTimer,
}

fn action() -> impl Strategy<Value = Action> {
    let conversation = (0u64..6).prop_map(ConversationId);
    let agent = (0u32..3).prop_map(AgentId);
    let input = prop_oneof![
        (conversation.clone(), 0u16..2, any::<bool>()).prop_map(|(conversation, w, skill)| {
            let needs = if skill { Skills::one(SkillId(0)) } else { Skills::NONE };
            Input::ConversationArrived { conversation, workstream: WorkstreamId(w), needs }
        }),
        conversation.clone().prop_map(|conversation| Input::CustomerMessage { conversation }),
        conversation.clone().prop_map(|conversation| Input::AgentReplied { conversation }),
        conversation.clone().prop_map(|conversation| Input::AgentWriting { conversation }),
        conversation.clone().prop_map(|conversation| Input::AgentEnded { conversation }),
        conversation.clone().prop_map(|conversation| Input::WrapUpDone { conversation }),
        conversation.clone().prop_map(|conversation| Input::CustomerLeft { conversation }),
        conversation.clone().prop_map(|conversation| Input::OfferAccepted { conversation }),
        conversation.prop_map(|conversation| Input::OfferDeclined { conversation }),
        (agent.clone(), 0u16..2, 0u32..3).prop_map(|(agent, g, capacity)| Input::AgentSignedIn {
            agent,
            group: chatcap::routing::GroupId(g),
            capacity
        }),
        agent.clone().prop_map(|agent| Input::AgentSignedOut { agent }),
        (agent, prop::sample::select(vec![Presence::Available, Presence::Away, Presence::Busy, Presence::Offline]))
            .prop_map(|(agent, presence)| Input::PresenceChanged { agent, presence }),
        (0u16..2).prop_map(|q| Input::QueueOpened { queue: QueueId(q) }),
        (0u16..2).prop_map(|q| Input::QueueClosed { queue: QueueId(q) }),
    ];
    prop_oneof![4 => (0u64..90_000, input).prop_map(|(step, i)| Action::Input(step, i)), 1 => Just(Action::FireTimer)]
}

/// A decision's type, conversation and agent, as the router's effect and as the driver's line say it.
fn effect_key(e: &Effect) -> (String, Option<u64>, Option<u64>) {
    let name = format!("{e:?}");
    let name = name.split([' ', '{', '(']).next().unwrap().to_string();
    let agent = match *e {
        Effect::Assigned { agent, .. }
        | Effect::Offered { agent, .. }
        | Effect::OfferWithdrawn { agent, .. }
        | Effect::Parked { agent, .. }
        | Effect::Reactivated { agent, .. }
        | Effect::OfferedToSameAgent { agent, .. }
        | Effect::WrapUpStarted { agent, .. }
        | Effect::AgentOffline { agent } => Some(u64::from(agent.0)),
        _ => None,
    };
    (name, e.conversation().map(|c| c.0), agent)
}

fn line_key(v: &serde_json::Value) -> (String, Option<u64>, Option<u64>) {
    let name = match v["type"].as_str().unwrap() {
        "assigned" => "Assigned",
        "offered" => "Offered",
        "offer_withdrawn" => "OfferWithdrawn",
        "queued" => "Queued",
        "parked" => "Parked",
        "reactivated" => "Reactivated",
        "offered_to_same_agent" => "OfferedToSameAgent",
        "overflowed" => "Overflowed",
        "transferred" => "Transferred",
        "refused" => "Refused",
        "abandoned" => "Abandoned",
        "wrap_up_started" => "WrapUpStarted",
        "closed" => "Closed",
        "agent_offline" => "AgentOffline",
        "timer" => "StartTimer",
        other => panic!("unknown decision {other}"),
    };
    (name.to_string(), v["conversation"].as_u64(), v["agent"].as_u64())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2_000)) {
        let s = scenario();
        feed(&mut driver(&s), &bytes);
    }

    #[test]
    fn random_event_lines_never_panic_and_decisions_stay_in_time_order(
        mut lines in prop::collection::vec(event_line(), 0..120),
        sorted in any::<bool>(),
    ) {
        if sorted {
            lines.sort_by_key(|l| l[6..l.find(',').unwrap()].parse::<u64>().unwrap());
        }
        let s = scenario();
        feed(&mut driver(&s), lines.join("\n").as_bytes());
    }

    #[test]
    fn a_recorded_input_stream_replays_to_the_routers_own_decisions(actions in prop::collection::vec(action(), 0..150)) {
        let s = scenario();
        let policy = &s.policies[0];
        let mut router: Router = Plan::new(&s, policy).router(&s, policy);
        let mut driver = driver(&s);
        let names = driver.names().clone();
        let mut timers: Vec<(Millis, Timer)> = Vec::new();
        let mut now = Millis::ZERO;
        let (mut effects, mut line, mut out) = (Vec::new(), Vec::new(), Vec::new());
        for action in actions {
            let (at, input) = match action {
                Action::Input(step, input) => (now + Millis(step), input),
                Action::FireTimer => {
                    let Some(i) = (0..timers.len()).min_by_key(|&i| timers[i].0) else { continue };
                    let (due, timer) = timers.remove(i);
                    (due.max(now), Input::TimerFired(timer))
                }
            };
            effects.clear();
            let direct = router.handle(at, input, &mut effects);
            line.clear();
            write_event(at, &input, &names, &mut line);
            out.clear();
            let replayed = driver.line(&line, &mut out);
            prop_assert_eq!(direct.is_ok(), replayed.is_ok(), "{:?} / {:?} for {}", direct, replayed, String::from_utf8_lossy(&line));
            if direct.is_ok() {
                now = at;
            }
            let got: Vec<_> = out
                .split(|&b| b == b'\n')
                .filter(|l| !l.is_empty())
                .map(|l| line_key(&serde_json::from_slice(l).unwrap()))
                .collect();
            let want: Vec<_> = effects.iter().map(effect_key).collect();
            prop_assert_eq!(got, want);
            for e in &effects {
                if let Effect::StartTimer { timer, at } = *e {
                    timers.push((at, timer));
                }
            }
        }
    }
}
