//! A routing policy written outside chatcap, against the public `Policy` trait only.
//!
//! "Park when full": a persistent-chat variant that parks an idle conversation only when its agent is at full
//! capacity, the moment a new customer could use the slot. While the agent has room, idle conversations stay
//! active so a returning customer gets an instant answer; the agent's capacity is checked again every minute.
//!
//! Run it with `cargo run --example custom_policy`: it replays a small script through the real router and
//! prints what the policy decided. `cargo test --release` runs the same script as a test.

use chatcap::routing::{
    AgentId, AgentView, ConversationId, ConversationView, Effect, GroupId, IdleAction, Input, Millis, Persistent,
    Policy, RefuseReason, ReturnRoute, Router, RouterConfig, SignOutAction, Skills, WorkstreamId,
};

/// Park idle conversations only when the agent is full; otherwise keep them and look again later.
#[derive(Debug, Clone, Copy)]
struct ParkWhenFull {
    /// Customer silence before the first check.
    idle: Millis,
    /// Everything else behaves like persistent chat.
    base: Persistent,
}

impl Policy for ParkWhenFull {
    fn admit(&self, queue_open: bool) -> Result<(), RefuseReason> {
        self.base.admit(queue_open)
    }
    fn assigns_while_closed(&self) -> bool {
        self.base.assigns_while_closed()
    }
    fn idle_after(&self) -> Option<Millis> {
        Some(self.idle)
    }
    fn on_idle(&self, _conversation: &ConversationView, agent: &AgentView) -> IdleAction {
        if agent.used >= agent.capacity { IdleAction::Park } else { IdleAction::CheckAgainAfter(Millis::MINUTE) }
    }
    fn customer_can_leave(&self) -> bool {
        self.base.customer_can_leave()
    }
    fn on_return(&self, conversation: &ConversationView) -> ReturnRoute {
        self.base.on_return(conversation)
    }
    fn on_sign_out(&self) -> SignOutAction {
        self.base.on_sign_out()
    }
    fn auto_close_after(&self) -> Option<Millis> {
        self.base.auto_close_after()
    }
}

/// Drives a router through a script, firing requested timers in time order; returns every effect with its time.
fn replay(script: &[(Millis, Input)]) -> Vec<(Millis, Effect)> {
    let policy = ParkWhenFull { idle: Millis::from_mins(5), base: Persistent::default() };
    let mut router = Router::single(RouterConfig::default(), Box::new(policy));
    let mut timers: Vec<(Millis, Input)> = Vec::new();
    let mut log = Vec::new();
    let mut pending: Vec<(Millis, Input)> = script.to_vec();
    while !pending.is_empty() || !timers.is_empty() {
        // Take the earliest of the next scripted input and the next timer (script first on ties).
        let next_script = pending.first().map(|(t, _)| *t).unwrap_or(Millis::NEVER);
        timers.sort_by_key(|(t, _)| *t);
        let (now, input) = match timers.first() {
            Some((t, _)) if *t < next_script => timers.remove(0),
            _ => pending.remove(0),
        };
        let mut out = Vec::new();
        router.handle(now, input, &mut out).expect("script is valid");
        for e in out {
            if let Effect::StartTimer { timer, at } = e {
                timers.push((at, Input::TimerFired(timer)));
            }
            log.push((now, e));
        }
        if now > Millis::HOUR {
            break;
        }
    }
    log
}

/// One agent with two slots; a first customer goes quiet, a second arrives 10 minutes later.
fn script() -> Vec<(Millis, Input)> {
    let (a, c1, c2) = (AgentId(0), ConversationId(1), ConversationId(2));
    vec![
        (Millis::ZERO, Input::AgentSignedIn { agent: a, group: GroupId(0), capacity: 2 }),
        (
            Millis::ZERO,
            Input::ConversationArrived { conversation: c1, workstream: WorkstreamId(0), needs: Skills::NONE },
        ),
        (Millis::from_secs(30), Input::AgentReplied { conversation: c1 }),
        (
            Millis::from_mins(10),
            Input::ConversationArrived { conversation: c2, workstream: WorkstreamId(0), needs: Skills::NONE },
        ),
        (Millis::from_mins(10) + Millis::from_secs(40), Input::AgentReplied { conversation: c2 }),
    ]
}

fn main() {
    for (t, effect) in replay(&script()) {
        if !matches!(effect, Effect::StartTimer { .. }) {
            println!("{:>8}  {effect:?}", t.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idle_conversations_park_only_once_the_agent_is_full() {
        let log = replay(&script());
        let parked: Vec<(Millis, ConversationId)> = log
            .iter()
            .filter_map(
                |(t, e)| if let Effect::Parked { conversation, .. } = e { Some((*t, *conversation)) } else { None },
            )
            .collect();
        // Conversation 1 went quiet at 0:30 but stayed active while the agent had a free slot. Conversation 2
        // filled the agent at 10:00, so the next minutely check (10:30) parks conversation 1. Conversation 2 then
        // goes quiet at 10:40 with the agent no longer full, so it stays active.
        assert_eq!(parked, vec![(Millis::from_secs(10 * 60 + 30), ConversationId(1))]);
    }
}
