//! # The routing core: how chat routing works
//!
//! This module decides which agent gets which conversation. It is a deterministic state machine with no clock,
//! no randomness and no I/O (a "sans-IO" core, like `quinn-proto` or `h11`): the caller passes the current time
//! and one [`Input`] to [`Router::handle`], and gets back [`Effect`]s, the decisions made and the timers wanted.
//! A chat platform could run it behind its message bus; chatcap's simulator is simply its busiest caller.
//! It names nothing else of chatcap and no crate but std, `rustc_hash` and `thiserror`; `tests/routing_is_sans_io.rs`
//! holds it to that allow-list (a module in this crate rather than a crate of its own, so that the simulator's
//! hot path inlines across the boundary).
//!
//! ## The set-up
//! A [`Setup`] describes routing as a platform administrator configures it:
//! - **Workstreams** are the channels customers come through (a live-chat widget, a persistent-chat widget).
//!   Each has a mode, expressed as a [`Policy`], a queue its conversations go to, a cost in capacity units, and
//!   whether wrap-up holds capacity ([`WrapUpHold`]). A conversation may need skills ([`Skills`]).
//! - **Queues** hold conversations waiting for an agent. Each has a priority (lower first, for agents who serve
//!   several), operating hours (opened and closed by the caller), an [`AssignmentMethod`], a [`SkillMatch`], and
//!   [`OverflowRule`]s for when it is closed, too long, or a conversation has waited too long.
//! - **Agent groups** serve a list of queues and share skills with ratings. Each agent signs in to a group with
//!   a capacity in units.
//! - **Offers** ([`OfferSetup`]), when present, make an assignment an offer the agent must accept.
//!
//! [`Setup::single`] (or [`Router::single`]) is the simplest set-up: one workstream, one queue, one group.
//!
//! ## Conversations
//! A conversation is in exactly one [`State`]:
//! - **Open**: waiting for an agent, in a queue (or reserved for a returning customer's previous agent).
//! - **Offered** (with offers only): offered to an agent, holding their capacity until they answer.
//! - **Active**: with an agent, holding some of that agent's capacity.
//! - **Waiting** (persistent chat only): parked after the customer went quiet. The agent keeps it, but its
//!   capacity is released at once; when the customer writes again it wakes up with its history.
//! - **WrapUp**: ended; the agent does the after-conversation work (which may or may not hold capacity).
//! - **Closed**: final. The router forgets it.
//!
//! A customer may leave an Open conversation (abandonment) in live chat.
//!
//! ## Agents, presence and capacity
//! An agent is Offline, OnDuty, or SigningOut (finishing what they hold after signing out). On duty they choose
//! a [`Presence`]: Available and Busy take new work, Do not disturb and Away do not. Each conversation costs its
//! workstream's units of the agent's capacity; only agents with room are given new work.
//!
//! ## Entering a queue and overflow
//! A new conversation meets its queue's pre-queue overflow rules (closed; too many waiting), which may end it,
//! transfer it to another queue or queue it anyway; otherwise its workstream's policy admits it (live chat
//! refuses out of hours). With nobody waiting ahead and an eligible agent free it is assigned at once; otherwise
//! it waits. A queue's in-queue rule ends or transfers a conversation that waited too long. Transfer rules may
//! not form a loop (the set-up is refused). See `entry.rs`.
//!
//! ## The assignment cycle
//! Whenever something could make a match, the router gives the first waiting conversation an eligible agent
//! can take to the best such agent, and repeats: returning conversations first, then by queue priority, then
//! oldest first (for persistent chat, "oldest" means the moment the customer last needed an agent). Eligible
//! means on duty, a working presence, room, a group serving the queue and the skills needed (exactly, or the
//! closest match). The queue's assignment method chooses among them: highest free capacity, round robin
//! (oldest last assignment) or least active (capacity released longest ago). Agents are indexed per group and
//! method, and interchangeable conversations share a lane, so no pass scans every agent or a whole queue. See
//! `assign.rs`.
//!
//! ## Offers
//! With offers, the chosen agent is offered the conversation and has a countdown to accept. A decline, or the
//! countdown running out, puts it back in its queue at its old place; after the decline limit the agent is not
//! offered it again. See `offers.rs`.
//!
//! ## Policies
//! What differs between live and persistent chat is a workstream's [`Policy`]: whether out-of-hours
//! conversations are accepted, what customer silence does (end the conversation, or park it), where a returning
//! customer goes, and what an agent's sign-out does. Two are built in, [`Live`] and [`Persistent`]; a planner's
//! own is one new type implementing the trait (see `examples/custom_policy.rs`).
//!
//! ## Timers
//! The router never sleeps. When it needs to act later (customer silence, auto-close, waiting for an agent, an
//! offer's countdown, a queue's wait limit, a wrap-up's hold) it emits [`Effect::StartTimer`]. A [`Timer`] is
//! opaque: the caller keeps it and feeds it back with [`Input::TimerFired`] when it comes due. Timers are never
//! cancelled: one made stale by later events is recognised and ignored. A conversation has at most one live
//! timer of each [`TimerKind`], and timers of different kinds never make each other stale.
//!
//! ## Driving the router
//! 1. Build a [`Setup`] and call [`Router::new`] (it checks that every queue a workstream, group or transfer
//!    names exists, that some group serves every queue, and that no transfer chain loops), or use
//!    [`Router::single`].
//! 2. Feed every fact as it happens, in time order, with [`Router::handle`]`(now, input, &mut effects)`:
//!    agents signing in ([`Input::AgentSignedIn`]) and out, presence changes, queues opening and closing,
//!    conversations arriving, customer messages, agent replies and ends, wrap-ups done, offers answered. Two
//!    are easy to forget: [`Input::CustomerLeft`] when a waiting customer gives up (without it nobody ever
//!    abandons, and the conversation waits for an agent forever), and [`Input::AgentWriting`] when an agent
//!    starts a reply (an agent who signs out then sends it before the conversation is parked). Time never goes
//!    backwards; several inputs may share an instant.
//! 3. Act on every effect, in order:
//!    - [`Effect::Assigned`] / [`Effect::Reactivated`]: put the conversation on the agent's desk; the agent
//!      answers the pending message and reports [`Input::AgentReplied`].
//!    - [`Effect::Offered`]: show the offer; report [`Input::OfferAccepted`] or [`Input::OfferDeclined`].
//!    - [`Effect::WrapUpStarted`]: the agent does the after-work, then reports [`Input::WrapUpDone`].
//!    - [`Effect::StartTimer`]: keep the timer and hand it back with [`Input::TimerFired`] at or after its
//!      time, before any input later than that time.
//!    - [`Effect::Queued`], [`Effect::Parked`], [`Effect::OfferedToSameAgent`], [`Effect::Overflowed`],
//!      [`Effect::Transferred`], [`Effect::OfferWithdrawn`]: tell the people concerned; nothing to report back.
//!    - [`Effect::Refused`], [`Effect::Abandoned`], [`Effect::Closed`]: final; forget the conversation.
//!    - [`Effect::AgentOffline`]: the agent who signed out has finished (at once if they held nothing).
//! 4. An input the router cannot take returns a [`RoutingError`] and changes nothing: log it and go on.
//!
//! [`Router::load`], [`Router::workstream_load`], [`Router::conversation`] and [`Router::agent`] read the
//! state at any time, for dashboards and the simulator's measurements.

mod agent;
mod assign;
mod check;
mod conversation;
mod entry;
mod errors;
mod events;
mod group;
mod ids;
mod lane;
mod messages;
mod offers;
pub mod policies;
mod policy;
mod pool;
mod queue;
mod router;
mod setup;
mod staffing;
mod time;
mod transitions;

pub use agent::{AgentView, Duty, Presence};
pub use conversation::{ConversationView, State};
pub use errors::{RoutingError, SetupError};
pub use events::{Effect, EndReason, Input, RefuseReason, Timer, TimerKind};
pub use ids::{AgentId, ConversationId};
pub use policies::{Live, Persistent};
pub use policy::{IdleAction, Policy, ReturnRoute, SignOutAction};
pub use router::{Load, MAX_AGENT_ID, Router, RouterConfig};
pub use setup::{
    GroupId, GroupSetup, MAX_SKILLS, OfferSetup, OverflowAction, OverflowCondition, OverflowRule, QueueId, QueueSetup,
    Setup, SkillId, SkillMatch, Skills, WorkstreamId, WorkstreamSetup, WrapUpHold,
};
pub use time::Millis;

/// How an eligible agent is chosen for the next conversation in a queue.
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
