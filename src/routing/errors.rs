//! What the router refuses: a set-up that cannot work, and inputs that make no sense.

use super::{AgentId, ConversationId, GroupId, Millis, QueueId, State, WorkstreamId};

/// A set-up the router cannot run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SetupError {
    /// Routing needs at least one workstream, one queue and one group.
    #[error("a set-up needs at least one workstream, one queue and one agent group")]
    Empty,
    /// A workstream names a queue that does not exist.
    #[error("workstream {workstream:?} sends its conversations to queue #{queue}, which does not exist")]
    UnknownQueue {
        /// The workstream.
        workstream: String,
        /// The queue index it names.
        queue: u16,
    },
    /// A group or overflow rule names a queue that does not exist.
    #[error("{owner} names queue #{queue}, which does not exist")]
    UnknownQueueIn {
        /// Who names it.
        owner: String,
        /// The queue index.
        queue: u16,
    },
    /// A workstream's conversations must take at least one unit.
    #[error("workstream {0:?} has units = 0; a conversation takes at least one unit")]
    ZeroUnits(String),
    /// A queue nobody serves would hold its conversations for ever.
    #[error("queue {0:?} is served by no agent group")]
    Unserved(String),
    /// Following transfer rules from a queue comes back to it.
    #[error("queues transfer in a loop: {}", .0.join(" -> "))]
    TransferLoop(Vec<String>),
    /// "Assign anyway" is a pre-queue action.
    #[error(
        "queue {0:?}: assign_anyway applies to out_of_hours and more_waiting_than rules, not to waited_longer_than"
    )]
    AssignAnywayInQueue(String),
    /// Offers need a countdown and a decline limit of at least 1.
    #[error("offers need a countdown longer than 0 and a decline limit of at least 1")]
    Offers,
    /// Too many workstreams, queues or groups for their 16-bit ids.
    #[error("at most 65,535 workstreams, queues and groups")]
    TooMany,
}

/// An input the router cannot accept; the router's state is unchanged when it says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RoutingError {
    /// Inputs must come in time order.
    #[error("time went backwards: {now} is before {last}")]
    TimeWentBackwards {
        /// The time given.
        now: Millis,
        /// The time of the previous input.
        last: Millis,
    },
    /// The conversation is not open (never arrived, or already closed).
    #[error("{0} is not open")]
    UnknownConversation(ConversationId),
    /// A conversation with that id is already open.
    #[error("{0} has already arrived")]
    DuplicateConversation(ConversationId),
    /// The input makes no sense in the conversation's current state.
    #[error("{conversation} is {state:?}: it cannot take {input}")]
    InvalidTransition {
        /// The conversation.
        conversation: ConversationId,
        /// Its state.
        state: State,
        /// What was attempted.
        input: &'static str,
    },
    /// The policy does not let the customer end the conversation.
    #[error("{0}: the policy does not let customers end conversations")]
    CustomerCannotLeave(ConversationId),
    /// The agent has never signed in, or its id is out of range.
    #[error("{0} is unknown")]
    UnknownAgent(AgentId),
    /// The agent is already signed in.
    #[error("{0} is already signed in")]
    AlreadySignedIn(AgentId),
    /// The agent is not signed in.
    #[error("{0} is not signed in")]
    NotSignedIn(AgentId),
    /// Capacity must be at least 1.
    #[error("capacity must be at least 1")]
    ZeroCapacity,
    /// No such workstream in the set-up.
    #[error("workstream #{} does not exist", .0.0)]
    UnknownWorkstream(WorkstreamId),
    /// No such queue in the set-up.
    #[error("queue #{} does not exist", .0.0)]
    UnknownQueue(QueueId),
    /// No such group in the set-up.
    #[error("group #{} does not exist", .0.0)]
    UnknownGroup(GroupId),
    /// Offline is reached by signing out, not chosen as a presence.
    #[error("{0}: sign out rather than choosing Offline")]
    OfflineIsNotAPresence(AgentId),
}
