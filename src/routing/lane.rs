//! A lane: the conversations of one queue that are interchangeable for routing.
//!
//! Conversations of one queue, one workstream and one set of skill needs can be taken by exactly the same
//! agents, so only the first of them matters when looking for work: keeping them apart means an assignment never
//! scans a queue. Order within a lane: returning conversations (customers back to a conversation with an agent
//! affinity) first, then everything else, each oldest first by the moment it joined the queue, which for
//! persistent chat is the customer's last interaction. Ties go to whoever was queued first.

use super::{ConversationId, Millis, QueueId, Skills, WorkstreamId};
use std::collections::BTreeSet;

/// Priority class within a queue; smaller goes first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Class {
    Returning,
    New,
}

/// A conversation's place in its lane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct QueueKey {
    pub class: Class,
    pub since: Millis,
    /// Router-wide arrival order in the queues, so that ties across lanes are broken alike.
    pub seq: u64,
    pub conversation: ConversationId,
}

/// Interchangeable conversations waiting in one queue, in routing order.
#[derive(Debug, Clone)]
pub(crate) struct Lane {
    pub queue: QueueId,
    pub workstream: WorkstreamId,
    pub needs: Skills,
    /// Assignable while the queue is closed (the workstream's policy allows it, or an overflow rule said so).
    pub anytime: bool,
    pub items: BTreeSet<QueueKey>,
}

impl Lane {
    pub fn new(queue: QueueId, workstream: WorkstreamId, needs: Skills, anytime: bool) -> Lane {
        Lane { queue, workstream, needs, anytime, items: BTreeSet::new() }
    }

    /// Whether conversations of this kind belong here.
    pub fn holds(&self, queue: QueueId, workstream: WorkstreamId, needs: Skills, anytime: bool) -> bool {
        self.queue == queue && self.workstream == workstream && self.needs == needs && self.anytime == anytime
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(class: Class, since: u64, seq: u64, id: u64) -> QueueKey {
        QueueKey { class, since: Millis(since), seq, conversation: ConversationId(id) }
    }

    #[test]
    fn returning_first_then_oldest_then_first_queued() {
        let mut lane = Lane::new(QueueId(0), WorkstreamId(0), Skills::NONE, false);
        for k in [
            key(Class::New, 10, 1, 1),
            key(Class::New, 20, 2, 2),
            key(Class::Returning, 30, 3, 3),
            key(Class::New, 10, 4, 9),
            key(Class::Returning, 40, 5, 4),
        ] {
            lane.items.insert(k);
        }
        let order: Vec<u64> = lane.items.iter().map(|k| k.conversation.0).collect();
        assert_eq!(order, vec![3, 4, 1, 9, 2]);
    }
}
