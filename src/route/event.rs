//! One event line: a JSON object with `at` (milliseconds), `type`, and the fields its type takes.
//!
//! Every [`Input`] of the routing core has an event type, so a recorder can write exactly what a caller sent
//! (see `record.rs`), plus `tick`, which fires the timers the driver keeps. A field that does not belong to the
//! type, or a missing one, is an error naming it: a typo never passes silently.

use super::ids::{Agents, CallerId, Conversations};
use super::names::Names;
use crate::routing::{Input, Millis, Presence, Skills, Timer, TimerKind};
use serde::Deserialize;
use std::borrow::Cow;

/// The fields an event line may have, as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEvent<'a> {
    at: Option<u64>,
    #[serde(rename = "type", borrow)]
    kind: Option<Cow<'a, str>>,
    #[serde(borrow)]
    conversation: Option<CallerId<'a>>,
    #[serde(borrow)]
    workstream: Option<Cow<'a, str>>,
    #[serde(borrow)]
    skill: Option<Cow<'a, str>>,
    #[serde(borrow)]
    agent: Option<CallerId<'a>>,
    #[serde(borrow)]
    group: Option<Cow<'a, str>>,
    capacity: Option<u32>,
    #[serde(borrow)]
    presence: Option<Cow<'a, str>>,
    #[serde(borrow)]
    queue: Option<Cow<'a, str>>,
    #[serde(rename = "kind", borrow)]
    timer: Option<Cow<'a, str>>,
    generation: Option<u32>,
}

/// What an event line asks the driver to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Hand this input to the router.
    Input(Input),
    /// Fire every kept timer due at or before the event's time.
    Tick,
}

/// Every event type, with the fields it requires and allows (besides `at` and `type`).
pub const EVENT_TYPES: [(&str, &[&str], &[&str]); 16] = [
    ("arrived", &["conversation", "workstream"], &["skill"]),
    ("customer_message", &["conversation"], &[]),
    ("agent_replied", &["conversation"], &[]),
    ("agent_writing", &["conversation"], &[]),
    ("agent_ended", &["conversation"], &[]),
    ("wrap_up_done", &["conversation"], &[]),
    ("customer_left", &["conversation"], &[]),
    ("offer_accepted", &["conversation"], &[]),
    ("offer_declined", &["conversation"], &[]),
    ("signed_in", &["agent", "group", "capacity"], &[]),
    ("signed_out", &["agent"], &[]),
    ("presence", &["agent", "presence"], &[]),
    ("queue_opened", &["queue"], &[]),
    ("queue_closed", &["queue"], &[]),
    ("timer_fired", &["conversation", "kind", "generation"], &[]),
    ("tick", &[], &[]),
];

/// The presences an agent may choose, by event name.
pub const PRESENCES: [(&str, Presence); 4] = [
    ("available", Presence::Available),
    ("busy", Presence::Busy),
    ("do_not_disturb", Presence::DoNotDisturb),
    ("away", Presence::Away),
];

/// Timer kinds, by event and decision name.
pub const TIMER_KINDS: [(&str, TimerKind); 6] = [
    ("customer_idle", TimerKind::CustomerIdle),
    ("auto_close", TimerKind::AutoClose),
    ("same_agent_wait", TimerKind::SameAgentWait),
    ("queue_wait", TimerKind::QueueWait),
    ("offer_countdown", TimerKind::OfferCountdown),
    ("wrap_up_release", TimerKind::WrapUpRelease),
];

/// The name of a timer kind.
pub fn timer_kind_name(kind: TimerKind) -> &'static str {
    TIMER_KINDS.iter().find(|(_, k)| *k == kind).map_or("", |(n, _)| n)
}

impl RawEvent<'_> {
    /// The names of the fields present (besides `at` and `type`).
    fn present(&self) -> impl Iterator<Item = &'static str> {
        [
            ("conversation", self.conversation.is_some()),
            ("workstream", self.workstream.is_some()),
            ("skill", self.skill.is_some()),
            ("agent", self.agent.is_some()),
            ("group", self.group.is_some()),
            ("capacity", self.capacity.is_some()),
            ("presence", self.presence.is_some()),
            ("queue", self.queue.is_some()),
            ("kind", self.timer.is_some()),
            ("generation", self.generation.is_some()),
        ]
        .into_iter()
        .filter(|(_, there)| *there)
        .map(|(name, _)| name)
    }
}

/// Parses one line's JSON into its time and raw fields.
pub fn parse(line: &[u8]) -> Result<(Millis, RawEvent<'_>), String> {
    let raw: RawEvent = serde_json::from_slice(line).map_err(|e| format!("not a JSON event: {e}"))?;
    let at = raw.at.ok_or("missing field \"at\" (the time in milliseconds)")?;
    Ok((Millis(at), raw))
}

/// Turns a parsed event into a step for the router, resolving names and ids. An arriving conversation's and a
/// signing-in agent's ids are added (the driver forgets a conversation again if the router refuses it).
pub fn resolve(
    raw: &RawEvent,
    names: &Names,
    conversations: &mut Conversations,
    agents: &mut Agents,
) -> Result<Step, String> {
    let kind = raw.kind.as_deref().ok_or("missing field \"type\"")?;
    let Some(&(kind, required, optional)) = EVENT_TYPES.iter().find(|(name, ..)| *name == kind) else {
        let known: Vec<&str> = EVENT_TYPES.iter().map(|(n, ..)| *n).collect();
        return Err(format!("unknown event type {kind:?} (types: {})", known.join(", ")));
    };
    if let Some(field) = raw.present().find(|f| !required.contains(f) && !optional.contains(f)) {
        return Err(format!("field \"{field}\" does not belong in event type {kind}"));
    }
    if let Some(field) = required.iter().find(|f| !raw.present().any(|p| p == **f)) {
        return Err(format!("event type {kind} needs field \"{field}\""));
    }
    let conversation = |conversations: &Conversations| conversations.get(raw.conversation.as_ref().expect("required"));
    let agent = |agents: &Agents| agents.get(raw.agent.as_ref().expect("required"));
    let queue = || names.queue(raw.queue.as_deref().expect("required"));
    let input = match kind {
        "arrived" => {
            let workstream = names.workstream(raw.workstream.as_deref().expect("required"))?;
            let needs = match raw.skill.as_deref() {
                Some(skill) => Skills::one(names.skill(skill)?),
                None => Skills::NONE,
            };
            let conversation = conversations.get_or_add(raw.conversation.as_ref().expect("required"))?;
            Input::ConversationArrived { conversation, workstream, needs }
        }
        "customer_message" => Input::CustomerMessage { conversation: conversation(conversations)? },
        "agent_replied" => Input::AgentReplied { conversation: conversation(conversations)? },
        "agent_writing" => Input::AgentWriting { conversation: conversation(conversations)? },
        "agent_ended" => Input::AgentEnded { conversation: conversation(conversations)? },
        "wrap_up_done" => Input::WrapUpDone { conversation: conversation(conversations)? },
        "customer_left" => Input::CustomerLeft { conversation: conversation(conversations)? },
        "offer_accepted" => Input::OfferAccepted { conversation: conversation(conversations)? },
        "offer_declined" => Input::OfferDeclined { conversation: conversation(conversations)? },
        "signed_in" => {
            let group = names.group(raw.group.as_deref().expect("required"))?;
            let capacity = raw.capacity.expect("required");
            Input::AgentSignedIn { agent: agents.get_or_add(raw.agent.as_ref().expect("required"))?, group, capacity }
        }
        "signed_out" => Input::AgentSignedOut { agent: agent(agents)? },
        "presence" => {
            let name = raw.presence.as_deref().expect("required");
            let Some(&(_, presence)) = PRESENCES.iter().find(|(n, _)| *n == name) else {
                let known: Vec<&str> = PRESENCES.iter().map(|(n, _)| *n).collect();
                return Err(format!(
                    "unknown presence {name:?} (presences: {}; to go offline, send signed_out)",
                    known.join(", ")
                ));
            };
            Input::PresenceChanged { agent: agent(agents)?, presence }
        }
        "queue_opened" => Input::QueueOpened { queue: queue()? },
        "queue_closed" => Input::QueueClosed { queue: queue()? },
        "timer_fired" => {
            let name = raw.timer.as_deref().expect("required");
            let Some(&(_, kind)) = TIMER_KINDS.iter().find(|(n, _)| *n == name) else {
                let known: Vec<&str> = TIMER_KINDS.iter().map(|(n, _)| *n).collect();
                return Err(format!("unknown timer {name:?} (timers: {})", known.join(", ")));
            };
            let generation = raw.generation.expect("required");
            // A timer of a conversation that has ended is stale: the router ignores it, and so may we.
            let conversation = conversation(conversations).unwrap_or(crate::routing::ConversationId(u64::MAX));
            Input::TimerFired(Timer { conversation, kind, generation })
        }
        _ => return Ok(Step::Tick),
    };
    Ok(Step::Input(input))
}
