//! A conversation and its life cycle.
//!
//! ```text
//!                  ┌──decline / time-out──┐
//!                  ▼                      │
//! Open ──assign──▶ (Offered ──accept──)▶ Active ──agent ends / customer idle (live)──▶ WrapUp ──done──▶ Closed
//!  │  │                                   │  ▲
//!  │  │ overflow: end / transfer     park │  │ customer returns (same agent)
//!  │  ▼                                   ▼  │
//!  │ (gone, or Open in another queue)   Waiting ──customer returns (anyone)──▶ Open
//!  │ abandon                              └──────────── silent too long ─────────▶ Closed
//!  ▼
//! (gone)
//! ```
//! Every conversation is in exactly one state; Closed is final and the router forgets it. Offered exists only
//! when the set-up has push offers; without them an assignment goes straight from Open to Active.

use super::lane::QueueKey;
use super::{AgentId, ConversationId, EndReason, Millis, QueueId, Skills, Timer, TimerKind, WorkstreamId};

/// Where a conversation is in its life cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum State {
    /// In a queue, or reserved for a returning customer's previous agent; holds no capacity.
    Open,
    /// Offered to an agent who has not answered yet; holds that agent's capacity.
    Offered,
    /// With an agent, holding capacity.
    Active,
    /// Parked in the waiting stage (persistent chat): the agent keeps it but its capacity is free.
    Waiting,
    /// Ended; the agent is doing the after-conversation work.
    WrapUp,
    /// Finished for good.
    Closed,
}

/// A read-only view of a conversation, for policies and callers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConversationView {
    /// Its id.
    pub id: ConversationId,
    /// Its state.
    pub state: State,
    /// The workstream it came through.
    pub workstream: WorkstreamId,
    /// The queue it is in, or was routed through last.
    pub queue: QueueId,
    /// The skills it needs.
    pub needs: Skills,
    /// The agent who has it, or had it last (kept while parked, for affinity); while offered, the agent offered.
    pub agent: Option<AgentId>,
    /// Capacity units it takes while active.
    pub units: u32,
    /// When it arrived.
    pub arrived_at: Millis,
    /// The customer's last message.
    pub last_customer_at: Millis,
    /// The last message of either side: customer silence counts from here.
    pub last_activity_at: Millis,
    /// True when the customer wrote last and awaits the agent's reply.
    pub awaiting_agent: bool,
    /// How many times it came back from the waiting stage.
    pub returns: u32,
}

/// Declines of one conversation per agent.
#[derive(Debug, Clone, Default)]
pub(crate) struct Declines(Vec<(AgentId, u32)>);

/// The router's record of one open conversation.
#[derive(Debug, Clone)]
pub(crate) struct Conversation {
    pub view: ConversationView,
    /// Per timer family (activity, queue wait, offer countdown, wrap-up release), bumped by every event that
    /// makes that family's pending timer stale.
    pub generations: [u32; TimerKind::SLOTS],
    /// Whether its units are counted in its agent's used capacity right now.
    pub holds_capacity: bool,
    /// Why it ended, once it has.
    pub end_reason: Option<EndReason>,
    /// Its lane and place while queued; kept while it is offered, so a declined offer puts it back in its place.
    place: Option<(usize, QueueKey)>,
    /// Whether it is in its lane right now (not offered, not reserved).
    pub queued: bool,
    /// The agent it waits for while reserved for a returning customer's previous agent.
    pub reserved_for: Option<AgentId>,
    /// Parked because its agent signed out (not because the customer went quiet).
    pub parked_at_sign_out: bool,
    /// Its agent is writing the reply to the pending message: signing out, they send it before going.
    pub writing: bool,
    /// Admitted by an overflow rule's "assign anyway": it may be assigned while its queue is closed.
    pub anytime: bool,
    /// Declines per agent, for the offer decline limit; boxed, as most conversations are never declined.
    declines: Option<Box<Declines>>,
    /// Its queue's wait limit passed while it was on offer: it overflows if the offer is not accepted.
    pub overdue: bool,
}

impl Conversation {
    pub fn new(view: ConversationView) -> Conversation {
        Conversation {
            view,
            generations: [0; TimerKind::SLOTS],
            holds_capacity: false,
            end_reason: None,
            place: None,
            queued: false,
            reserved_for: None,
            parked_at_sign_out: false,
            writing: false,
            anytime: false,
            declines: None,
            overdue: false,
        }
    }

    /// Makes every pending activity timer stale (the conversation moved on).
    #[inline]
    pub fn touch(&mut self) {
        self.bump(TimerKind::CustomerIdle);
    }

    /// Makes the pending timer of one kind stale. The activity kinds share one generation: they belong to
    /// different states (active, parked, reserved), so one never waits while another is pending.
    #[inline]
    pub fn bump(&mut self, kind: TimerKind) {
        let g = &mut self.generations[kind.slot()];
        *g = g.wrapping_add(1);
    }

    /// The current generation of a timer kind.
    #[inline]
    pub fn generation(&self, kind: TimerKind) -> u32 {
        self.generations[kind.slot()]
    }

    /// A timer of `kind` for this conversation at its current generation: one that a later bump makes stale.
    #[inline]
    pub fn timer(&self, kind: TimerKind) -> Timer {
        Timer { conversation: self.view.id, kind, generation: self.generation(kind) }
    }

    /// Agents who declined it as often as the limit allows, and are not offered it again.
    pub fn excluded(&self, limit: u32) -> impl Iterator<Item = AgentId> + '_ {
        self.declines.iter().flat_map(|d| d.0.iter()).filter(move |&&(_, n)| n >= limit).map(|&(a, _)| a)
    }

    /// Counts one decline by `agent`.
    pub fn declined_by(&mut self, agent: AgentId) {
        let declines = &mut self.declines.get_or_insert_default().0;
        match declines.iter_mut().find(|(a, _)| *a == agent) {
            Some((_, n)) => *n += 1,
            None => declines.push((agent, 1)),
        }
    }

    /// Its lane and its key there, while it has a place in a queue.
    #[inline]
    pub fn place(&self) -> Option<(usize, QueueKey)> {
        self.place
    }

    /// Gives it a place in a lane, or takes its place away.
    #[inline]
    pub fn set_place(&mut self, place: Option<(usize, QueueKey)>) {
        self.place = place;
    }

    /// Whether it has a place in a queue (queued, or offered from one).
    #[inline]
    pub fn has_place(&self) -> bool {
        self.place.is_some()
    }
}
