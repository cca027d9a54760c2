//! What goes into the router (inputs) and what comes out (effects).
//!
//! Inputs are facts about the world: a customer wrote, an agent replied, a timer the router asked for came due.
//! Effects are the router's decisions and requests: who gets which conversation, what was parked or closed, and
//! which timers it wants. The caller acts on effects and feeds back what happens next.

use super::{
    AgentId, ConversationId, GroupId, Millis, OverflowAction, OverflowCondition, Presence, QueueId, Skills,
    WorkstreamId,
};

/// Something that happened, reported to the router with the time it happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// A customer opened a new conversation (their first message) on a workstream.
    ConversationArrived {
        /// The new conversation.
        conversation: ConversationId,
        /// The workstream it came through: its queue, mode and capacity cost.
        workstream: WorkstreamId,
        /// The skills it needs (none for most conversations).
        needs: Skills,
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
    /// An agent of a group signed in, ready to take up to `capacity` units of work.
    AgentSignedIn {
        /// The agent.
        agent: AgentId,
        /// Its group: the queues it serves and its skills.
        group: GroupId,
        /// Capacity units the agent can hold at once.
        capacity: u32,
    },
    /// A signed-in agent chose a presence: Available and Busy take new work, Do not disturb and Away do not.
    PresenceChanged {
        /// The agent.
        agent: AgentId,
        /// The presence chosen (not Offline: signing out is [`Input::AgentSignedOut`]).
        presence: Presence,
    },
    /// The agent accepted the conversation offered to them.
    OfferAccepted {
        /// The conversation offered.
        conversation: ConversationId,
    },
    /// The agent declined the conversation offered to them.
    OfferDeclined {
        /// The conversation offered.
        conversation: ConversationId,
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
    /// A queue's operating hours began.
    QueueOpened {
        /// The queue.
        queue: QueueId,
    },
    /// A queue's operating hours ended.
    QueueClosed {
        /// The queue.
        queue: QueueId,
    },
    /// A timer the router requested came due.
    TimerFired(Timer),
}

/// What a timer is for. A conversation may have one pending timer of each kind; they never cancel each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimerKind {
    /// The customer has been silent for the policy's idle threshold: end, park, or look again.
    CustomerIdle,
    /// A parked conversation has been silent long enough to close automatically.
    AutoClose,
    /// A returning customer has waited long enough for their previous agent; anyone may take it now.
    SameAgentWait,
    /// A queued conversation has waited as long as its queue's in-queue overflow rule allows.
    QueueWait,
    /// An offer's countdown ran out: it counts as a decline.
    OfferCountdown,
    /// A wrap-up has held its capacity as long as its workstream allows.
    WrapUpRelease,
}

impl TimerKind {
    /// How many generation counters a conversation keeps: one for the activity kinds, one for each other kind.
    pub(crate) const SLOTS: usize = 4;

    /// The generation counter this kind uses.
    #[inline]
    pub(crate) fn slot(self) -> usize {
        match self {
            TimerKind::CustomerIdle | TimerKind::AutoClose | TimerKind::SameAgentWait => 0,
            TimerKind::QueueWait => 1,
            TimerKind::OfferCountdown => 2,
            TimerKind::WrapUpRelease => 3,
        }
    }
}

/// A timer the router asked for, opaque to the caller: hold it and hand it back when it comes due. Timers are
/// never cancelled: one made stale by later events is recognised and ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Timer {
    pub(crate) conversation: ConversationId,
    pub(crate) kind: TimerKind,
    /// The conversation's generation for this kind when requested.
    pub(crate) generation: u32,
}

impl Timer {
    /// The conversation it concerns (for callers that keep timers per conversation).
    pub fn conversation(&self) -> ConversationId {
        self.conversation
    }

    /// What it is for (for logs and dashboards).
    pub fn kind(&self) -> TimerKind {
        self.kind
    }
}

/// Why a new conversation was turned away.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RefuseReason {
    /// The queue is outside its operating hours and the policy does not accept out-of-hours conversations.
    OutOfHours,
    /// The queue already held as many waiting conversations as its overflow rule allows.
    QueueFull,
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
    /// It waited in a queue longer than the queue's overflow rule allows, and the rule ends it.
    Overflowed,
}

impl Effect {
    /// The conversation the effect concerns, if any.
    pub fn conversation(&self) -> Option<ConversationId> {
        match *self {
            Effect::Assigned { conversation, .. }
            | Effect::Queued { conversation, .. }
            | Effect::Parked { conversation, .. }
            | Effect::Reactivated { conversation, .. }
            | Effect::OfferedToSameAgent { conversation, .. }
            | Effect::Offered { conversation, .. }
            | Effect::OfferWithdrawn { conversation, .. }
            | Effect::Overflowed { conversation, .. }
            | Effect::Transferred { conversation, .. }
            | Effect::Refused { conversation, .. }
            | Effect::Abandoned { conversation }
            | Effect::WrapUpStarted { conversation, .. }
            | Effect::Closed { conversation, .. } => Some(conversation),
            Effect::StartTimer { timer, .. } => Some(timer.conversation),
            Effect::AgentOffline { .. } => None,
        }
    }
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
    /// The conversation waits in a queue at this 1-based position.
    Queued {
        /// The conversation.
        conversation: ConversationId,
        /// The queue.
        queue: QueueId,
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
    /// The conversation was offered to an agent, who must accept (or decline) before the countdown ends; the
    /// agent's capacity is held for it meanwhile.
    Offered {
        /// The conversation.
        conversation: ConversationId,
        /// The agent offered it.
        agent: AgentId,
    },
    /// An offer ended without acceptance (declined, timed out, or the agent signed out); the conversation is
    /// back in its queue, at its old place.
    OfferWithdrawn {
        /// The conversation.
        conversation: ConversationId,
        /// The agent it was offered to.
        agent: AgentId,
        /// Whether the agent declined it (or let the countdown run out), as opposed to signing out.
        declined: bool,
    },
    /// A queue's overflow rule applied to the conversation.
    Overflowed {
        /// The conversation.
        conversation: ConversationId,
        /// The queue whose rule applied.
        queue: QueueId,
        /// The rule's condition.
        when: OverflowCondition,
        /// What the rule does (a transfer or an end follows as its own effect).
        action: OverflowAction,
    },
    /// The conversation moved from one queue to another (an overflow rule's transfer).
    Transferred {
        /// The conversation.
        conversation: ConversationId,
        /// The queue it left.
        from: QueueId,
        /// The queue it joins.
        to: QueueId,
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
    /// An agent who signed out is now offline: at once if they held nothing, or once they finish what they held.
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
