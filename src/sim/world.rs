//! The people around the router: customers who write and come back, agents who write replies and wrap up.
//!
//! A **customer** arrives with a number of sessions, each of a number of messages. Within a session their next
//! message comes `think` after the agent's reply; the next session's first message comes `away` after the
//! session's last reply (unless they never return). When their last message is answered the need is met and
//! the agent ends the conversation. If their conversation ends before that (live chat's disconnect window, or
//! a parked conversation auto-closing), their next message opens a new conversation: a recontact.
//!
//! A live customer who is refused (queue closed) or abandons the queue tries again with chance `retry`, after
//! `retry_after` (or at the queue's next opening): a new conversation, counted as a recontact. A failed retry
//! retries again with the same chance, up to the customer's conversation-id budget, and retries of customers
//! who first arrived in the window are followed into the drain, so the customer-level counts are complete.
//!
//! A persistent customer keeps the chat open for `online` after writing; a reply arriving later is read on
//! their next visit, so their next message comes `away` after the reply instead of `think`. That costs no
//! session: the customer has the same messages to write, only later.
//!
//! An **agent** has a desk of tasks: replies to write and wrap-ups to do. With `single` attention tasks are
//! done one at a time in order; with `parallel` attention each is done independently. A reply takes the
//! `reply` time times the `slowdown` factor for the agent's load when it starts.

use super::seeds::Stream;
use crate::routing::{AgentId, ConversationId, Millis};
use std::collections::VecDeque;

/// Work an agent does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Task {
    /// Write the reply to a conversation's pending customer message; `token` tells a still-wanted reply.
    Reply {
        /// The conversation.
        conversation: ConversationId,
        /// Matches the conversation's reply token while this reply is still wanted.
        token: u32,
    },
    /// The after-conversation work.
    WrapUp {
        /// The conversation.
        conversation: ConversationId,
    },
}

/// An agent's desk: tasks waiting and how many are in progress.
#[derive(Debug, Default)]
pub struct Desk {
    /// Tasks not yet started (single attention only).
    pub waiting: VecDeque<Task>,
    /// Tasks in progress.
    pub in_progress: u32,
    /// Replies in progress, so an agent signing out sends the one being written.
    pub writing: Vec<Task>,
    /// Whether this desk is counted among the agents working (online with a task in progress).
    pub counted: bool,
}

/// A customer while they still have something to say or a conversation open.
#[derive(Debug)]
pub struct Customer {
    /// The workstream they came through.
    pub workstream: u16,
    /// The skill their conversations need, if any.
    pub needs: crate::routing::Skills,
    /// Whether their workstream is live chat.
    pub live: bool,
    /// Their current (or last) conversation.
    pub conversation: ConversationId,
    /// How many conversations they have opened.
    pub opened: u32,
    /// Their behaviour's random stream.
    pub behaviour: Stream,
    /// The random stream of the agent work they cause.
    pub work: Stream,
    /// Sessions still to come after the current one.
    pub sessions_left: u32,
    /// Messages still to come in the current session, after the pending one.
    pub messages_left: u32,
    /// When their unanswered message was written.
    pub asked_at: Millis,
    /// The agent who answered them last.
    pub last_agent: Option<AgentId>,
    /// Their conversation ended before their need was met: the next message opens a new one.
    pub cut_off: bool,
    /// A message of theirs is scheduled.
    pub writing: bool,
    /// They dropped the conversation and will not write again.
    pub gone: bool,
    /// Recorded messages per session (trace replay): every session has this many.
    pub messages_per_session: Option<u32>,
    /// Recorded time for the agent's first reply (trace replay).
    pub first_reply_time: Option<Millis>,
    /// Recorded patience (trace replay): `Some(None)` waits without limit.
    pub patience: Option<Option<Millis>>,
    /// Their first contact arrived in the measured window: they count among the customers.
    pub measured: bool,
    /// An agent has taken one of their conversations.
    pub reached: bool,
    /// A retry of theirs is scheduled.
    pub retrying: bool,
    /// Their retry draws (created at the first failed try).
    pub retry: Option<Stream>,
    /// Their online-time draws (persistent with `online` only).
    pub online: Option<Stream>,
}

/// The simulator's notes on an open conversation.
#[derive(Debug, Clone, Copy)]
pub struct Conversation {
    /// Its workstream.
    pub workstream: u16,
    /// The queue it is in (or was served from).
    pub queue: u16,
    /// When it entered that queue (its arrival, or its transfer).
    pub entered_at: Millis,
    /// Offers made so far, to recognise a stale answer.
    pub offers: u32,
    /// The customer (arrival index).
    pub customer: u64,
    /// When it arrived.
    pub arrived_at: Millis,
    /// Whether an agent has taken it yet.
    pub assigned: bool,
    /// Whether the agent has replied yet.
    pub replied: bool,
    /// Bumped whenever a reply task is created, so only the newest one is delivered.
    pub reply_token: u32,
    /// The customer came back to it from the waiting stage and awaits the first answer since.
    pub returning: bool,
    /// Whether it was opened by a recontact.
    pub recontact: bool,
}

/// Conversation ids carry their customer: the customer index shifted left, plus the conversation count.
pub const CONVERSATIONS_PER_CUSTOMER: u64 = 1 << 8;

/// The id of a customer's `n`-th conversation.
pub fn conversation_id(customer: u64, n: u32) -> ConversationId {
    ConversationId(customer * CONVERSATIONS_PER_CUSTOMER + u64::from(n))
}

/// The customer of a conversation.
pub fn customer_of(conversation: ConversationId) -> u64 {
    conversation.0 / CONVERSATIONS_PER_CUSTOMER
}
