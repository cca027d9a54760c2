//! A conversation and its life cycle.
//!
//! ```text
//! Open ──assign──▶ Active ──agent ends / customer idle (live)──▶ WrapUp ──done──▶ Closed
//!  │                 │  ▲
//!  │ abandon    park │  │ customer returns (same agent)
//!  ▼                 ▼  │
//! (gone)           Waiting ──customer returns (anyone)──▶ Open
//!                    └──────────── silent too long ─────────▶ Closed
//! ```
//! Every conversation is in exactly one state; Closed is final and the router forgets it.

use super::{AgentId, ConversationId, EndReason, Millis};

/// Where a conversation is in its life cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum State {
    /// In the queue, or reserved for a returning customer's previous agent; holds no capacity.
    Open,
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
    /// The agent who has it, or had it last (kept while parked, for affinity).
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

/// The router's record of one open conversation.
#[derive(Debug, Clone)]
pub(crate) struct Conversation {
    pub view: ConversationView,
    /// Bumped by every event that makes pending timers stale.
    pub generation: u32,
    /// Whether its units are counted in its agent's used capacity right now.
    pub holds_capacity: bool,
    /// Why it ended, once it has.
    pub end_reason: Option<EndReason>,
    /// Its place in the queue while queued.
    pub queue_key: Option<super::queue::QueueKey>,
    /// The agent it waits for while reserved for a returning customer's previous agent.
    pub reserved_for: Option<AgentId>,
    /// Parked because its agent signed out (not because the customer went quiet).
    pub parked_at_sign_out: bool,
    /// Its agent is writing the reply to the pending message: signing out, they send it before going.
    pub writing: bool,
}

impl Conversation {
    pub fn new(id: ConversationId, units: u32, now: Millis) -> Conversation {
        Conversation {
            view: ConversationView {
                id,
                state: State::Open,
                agent: None,
                units,
                arrived_at: now,
                last_customer_at: now,
                last_activity_at: now,
                awaiting_agent: true,
                returns: 0,
            },
            generation: 0,
            holds_capacity: false,
            end_reason: None,
            queue_key: None,
            reserved_for: None,
            parked_at_sign_out: false,
            writing: false,
        }
    }

    /// Makes every timer requested so far stale.
    pub fn touch(&mut self) {
        self.generation = self.generation.wrapping_add(1);
    }
}
