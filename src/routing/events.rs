//! What goes into the router (inputs) and what comes out (effects).
//!
//! Inputs are facts about the world: a customer wrote, an agent replied, a timer the router asked for came due.
//! Effects are the router's decisions and requests: who gets which conversation, what was parked or closed, and
//! which timers it wants. The caller acts on effects and feeds back what happens next.

use super::{AgentId, ConversationId, Millis};

/// Something that happened, reported to the router with the time it happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// A customer opened a new conversation (their first message), costing `units` of an agent's capacity.
    ConversationArrived {
        /// The new conversation.
        conversation: ConversationId,
        /// Capacity units it takes while active (1 for an ordinary chat).
        units: u32,
    },
    /// The customer wrote a message.
    CustomerMessage {
        /// The conversation written in.
        conversation: ConversationId,
    },
    /// The agent's reply was delivered to the customer.
    AgentReplied {
        /// The conversation replied in.
        conversation: ConversationId,
    },
    /// The agent ended the conversation (resolved); wrap-up begins.
    AgentEnded {
        /// The conversation ended.
        conversation: ConversationId,
    },
    /// The agent finished the after-conversation work.
    WrapUpDone {
        /// The conversation wrapped up.
        conversation: ConversationId,
    },
    /// The customer left: abandonment while queued, or closing the chat window (live only).
    CustomerLeft {
        /// The conversation left.
        conversation: ConversationId,
    },
    /// An agent signed in, ready to take up to `capacity` units of work.
    AgentSignedIn {
        /// The agent.
        agent: AgentId,
        /// Capacity units the agent can hold at once.
        capacity: u32,
    },
    /// The agent has started writing the reply to the conversation's pending message. Only sign-out uses it (an
    /// agent who signs out sends the reply they are writing before going), so callers may report it just
    /// before [`Input::AgentSignedOut`]; delivering the reply clears it.
    AgentWriting {
        /// The active conversation being answered.
        conversation: ConversationId,
    },
    /// An agent signed out (end of shift or a break).
    AgentSignedOut {
        /// The agent.
        agent: AgentId,
    },
    /// The queue's operating hours began.
    QueueOpened,
    /// The queue's operating hours ended.
    QueueClosed,
    /// A timer the router requested came due.
    TimerFired(Timer),
}

/// What a timer is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimerKind {
    /// The customer has been silent for the policy's idle threshold: end, park, or look again.
    CustomerIdle,
    /// A parked conversation has been silent long enough to close automatically.
    AutoClose,
    /// A returning customer has waited long enough for their previous agent; anyone may take it now.
    SameAgentWait,
}

/// A timer the router asked for. Timers are never cancelled: a stale one is recognised by its generation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Timer {
    /// The conversation it concerns.
    pub conversation: ConversationId,
    /// What it is for.
    pub kind: TimerKind,
    /// The conversation's activity generation when requested; any later activity makes the timer stale.
    pub generation: u32,
}

/// Why a new conversation was turned away.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RefuseReason {
    /// The queue is outside its operating hours and the policy does not accept out-of-hours conversations.
    OutOfHours,
    /// The policy refused for a reason of its own.
    Policy,
}

/// Why a conversation ended (went to wrap-up or closed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EndReason {
    /// The agent ended it: the customer's need was met.
    Resolved,
    /// The customer was silent too long (live chat's disconnect window).
    CustomerIdle,
    /// The customer closed the chat.
    CustomerEnded,
    /// It sat in the waiting stage too long without a customer message.
    AutoClosed,
}

/// A decision or request from the router, for the caller to act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// A queued conversation was given to an agent, who should answer its pending message.
    Assigned {
        /// The conversation.
        conversation: ConversationId,
        /// Its agent.
        agent: AgentId,
    },
    /// The conversation waits in the queue at this 1-based position.
    Queued {
        /// The conversation.
        conversation: ConversationId,
        /// 1 means next in line.
        position: usize,
    },
    /// The conversation moved to the waiting stage and its capacity was released at once.
    Parked {
        /// The conversation.
        conversation: ConversationId,
        /// The agent who keeps it (and is notified when the customer returns).
        agent: AgentId,
    },
    /// A parked conversation went straight back to its agent, who should answer the returning customer.
    Reactivated {
        /// The conversation.
        conversation: ConversationId,
        /// Its agent.
        agent: AgentId,
    },
    /// A returning customer waits for their previous agent, who is signed out, for a limited time.
    OfferedToSameAgent {
        /// The conversation.
        conversation: ConversationId,
        /// The agent it waits for.
        agent: AgentId,
    },
    /// A new conversation was turned away.
    Refused {
        /// The conversation.
        conversation: ConversationId,
        /// Why.
        reason: RefuseReason,
    },
    /// The customer left before any agent took the conversation. Final.
    Abandoned {
        /// The conversation.
        conversation: ConversationId,
    },
    /// The conversation ended and its agent began wrap-up.
    WrapUpStarted {
        /// The conversation.
        conversation: ConversationId,
        /// The agent wrapping up.
        agent: AgentId,
        /// Why it ended.
        reason: EndReason,
    },
    /// The conversation is closed for good. Final.
    Closed {
        /// The conversation.
        conversation: ConversationId,
        /// Why it ended.
        reason: EndReason,
    },
    /// An agent who signed out while still holding conversations has finished them and is now offline.
    AgentOffline {
        /// The agent.
        agent: AgentId,
    },
    /// Please feed `Input::TimerFired(timer)` back at time `at` (always later than now).
    StartTimer {
        /// The timer to fire.
        timer: Timer,
        /// When.
        at: Millis,
    },
}
