//! # The routing core: how chat routing works
//!
//! This module decides which agent gets which conversation. It is a deterministic state machine with no clock,
//! no randomness and no I/O (a "sans-IO" core, like `quinn-proto` or `h11`): the caller passes the current time
//! and one [`Input`] to [`Router::handle`], and gets back [`Effect`]s, the decisions made and the timers wanted.
//! A chat platform could run it behind its message bus; chatcap's simulator is simply its busiest caller.
//!
//! ## Conversations
//! A conversation is in exactly one [`State`]:
//! - **Open**: waiting for an agent, in the queue (or reserved for a returning customer's previous agent).
//! - **Active**: with an agent, holding some of that agent's capacity.
//! - **Waiting** (persistent chat only): parked after the customer went quiet. The agent keeps it, but its
//!   capacity is released at once; when the customer writes again it wakes up with its history.
//! - **WrapUp**: ended; the agent does the after-conversation work (which may or may not hold capacity).
//! - **Closed**: final. The router forgets it.
//!
//! A customer may leave an Open conversation (abandonment) in live chat.
//!
//! ## Agents and capacity
//! Each agent signs in with a capacity in units, and each conversation costs units (usually 1, so capacity is
//! "how many chats at once"). Presence follows from load: Available (nothing held), Busy (some), Full (all).
//! Only Available and Busy agents are offered new work.
//!
//! ## The queue and assignment
//! Open conversations wait in one queue: customers returning to a parked conversation first, then oldest first
//! (for persistent chat, "oldest" means the moment the customer last needed an agent). An assignment pass runs
//! whenever something could make a match: a conversation arrives, capacity is freed, an agent signs in or the
//! queue opens. It gives the head of the queue to the best eligible agent by the [`AssignmentMethod`]:
//! highest free capacity, round robin (oldest last assignment) or least active (capacity released longest ago).
//!
//! ## Operating hours
//! The caller decides when a queue opens (chatcap uses `crate::hours::OperatingHours`, a weekly calendar) and
//! reports it with [`Input::QueueOpened`] and [`Input::QueueClosed`].
//!
//! ## Policies
//! What differs between live and persistent chat is a [`Policy`]: whether out-of-hours conversations are
//! accepted, what customer silence does (end the conversation, or park it), where a returning customer goes,
//! and what an agent's sign-out does. Two are built in, [`Live`] and [`Persistent`]; a planner's own is one
//! new type implementing the trait (see `examples/custom_policy.rs`).
//!
//! ## Timers
//! The router never sleeps. When it needs to act later (customer silence, auto-close, waiting for an agent) it
//! emits [`Effect::StartTimer`]; the caller feeds the [`Timer`] back when it comes due. Timers are never
//! cancelled: one made stale by later activity is recognised by its generation and ignored.

mod agent;
mod conversation;
mod events;
mod ids;
pub mod policies;
mod policy;
mod pool;
mod queue;
mod router;
mod setup;
mod time;

pub use agent::{AgentView, Presence};
pub use conversation::{ConversationView, State};
pub use events::{Effect, EndReason, Input, RefuseReason, Timer, TimerKind};
pub use ids::{AgentId, ConversationId};
pub use policies::{Live, Persistent};
pub use policy::{IdleAction, Policy, ReturnRoute, SignOutAction};
pub use router::{Load, MAX_AGENT_ID, Router, RouterConfig, RoutingError};
pub use setup::{
    GroupId, GroupSetup, MAX_SKILLS, OfferSetup, OverflowAction, OverflowCondition, OverflowRule, QueueId, QueueSetup,
    Setup, SkillId, SkillMatch, Skills, WorkstreamId, WorkstreamSetup, WrapUpHold,
};
pub use time::Millis;

/// How an eligible agent is chosen for the next conversation in the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum AssignmentMethod {
    /// Most free capacity; ties go to the agent whose last assignment is oldest.
    #[default]
    HighestCapacity,
    /// The agent whose last assignment is oldest.
    RoundRobin,
    /// The agent whose capacity was released longest ago.
    LeastActive,
}
#[cfg(test)]
mod tests;
