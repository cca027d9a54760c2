//! Writing a router input as an event line, for a caller that records what it sends (the simulator's
//! `--record-routing`): replaying the lines through `chatcap route` hands the router the same inputs.
//!
//! Conversation and agent ids are written as the numbers the caller uses; set-up ids as their names; timers as
//! `timer_fired` events with their conversation, kind and generation.

use super::event::{PRESENCES, timer_kind_name};
use super::ids::itoa;
use super::names::Names;
use crate::routing::{Input, Millis, Presence};

/// Appends the event line (ending in a newline) for `input` at `at` to `out`.
pub fn write_event(at: Millis, input: &Input, names: &Names, out: &mut Vec<u8>) {
    let mut digits = [0u8; 20];
    out.extend_from_slice(b"{\"at\":");
    out.extend_from_slice(itoa(at.0, &mut digits));
    let mut field = |out: &mut Vec<u8>, key: &str, number: Option<u64>| {
        out.extend_from_slice(b",\"");
        out.extend_from_slice(key.as_bytes());
        out.extend_from_slice(b"\":");
        if let Some(n) = number {
            out.extend_from_slice(itoa(n, &mut digits));
        }
    };
    let kind = |out: &mut Vec<u8>, name: &str| {
        out.extend_from_slice(b",\"type\":\"");
        out.extend_from_slice(name.as_bytes());
        out.push(b'"');
    };
    match *input {
        Input::ConversationArrived { conversation, workstream, needs } => {
            kind(out, "arrived");
            field(out, "conversation", Some(conversation.0));
            field(out, "workstream", None);
            names.workstreams.write(usize::from(workstream.0), out);
            // The router takes any set of skills; an event names one (as the scenario's workstreams draw them).
            if let Some(skill) = needs.iter().next() {
                field(out, "skill", None);
                names.skills.write(usize::from(skill.0), out);
            }
        }
        Input::CustomerMessage { conversation }
        | Input::AgentReplied { conversation }
        | Input::AgentEnded { conversation }
        | Input::WrapUpDone { conversation }
        | Input::CustomerLeft { conversation }
        | Input::OfferAccepted { conversation }
        | Input::OfferDeclined { conversation }
        | Input::AgentWriting { conversation } => {
            let name = match input {
                Input::CustomerMessage { .. } => "customer_message",
                Input::AgentReplied { .. } => "agent_replied",
                Input::AgentEnded { .. } => "agent_ended",
                Input::WrapUpDone { .. } => "wrap_up_done",
                Input::CustomerLeft { .. } => "customer_left",
                Input::OfferAccepted { .. } => "offer_accepted",
                Input::OfferDeclined { .. } => "offer_declined",
                _ => "agent_writing",
            };
            kind(out, name);
            field(out, "conversation", Some(conversation.0));
        }
        Input::AgentSignedIn { agent, group, capacity } => {
            kind(out, "signed_in");
            field(out, "agent", Some(u64::from(agent.0)));
            field(out, "group", None);
            names.groups.write(usize::from(group.0), out);
            field(out, "capacity", Some(u64::from(capacity)));
        }
        Input::AgentSignedOut { agent } => {
            kind(out, "signed_out");
            field(out, "agent", Some(u64::from(agent.0)));
        }
        Input::PresenceChanged { agent, presence } => {
            kind(out, "presence");
            field(out, "agent", Some(u64::from(agent.0)));
            field(out, "presence", None);
            let name = PRESENCES.iter().find(|(_, p)| *p == presence).map_or("offline", |(n, _)| n);
            debug_assert!(presence != Presence::Offline || name == "offline");
            out.push(b'"');
            out.extend_from_slice(name.as_bytes());
            out.push(b'"');
        }
        Input::QueueOpened { queue } | Input::QueueClosed { queue } => {
            kind(out, if matches!(input, Input::QueueOpened { .. }) { "queue_opened" } else { "queue_closed" });
            field(out, "queue", None);
            names.queues.write(usize::from(queue.0), out);
        }
        Input::TimerFired(timer) => {
            kind(out, "timer_fired");
            field(out, "conversation", Some(timer.conversation().0));
            field(out, "kind", None);
            out.push(b'"');
            out.extend_from_slice(timer_kind_name(timer.kind()).as_bytes());
            out.push(b'"');
            field(out, "generation", Some(u64::from(timer.generation)));
        }
    }
    out.extend_from_slice(b"}\n");
}
