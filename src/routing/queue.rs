//! The queue of conversations waiting for an agent.
//!
//! Order: returning conversations (customers who came back to a conversation with an agent affinity) first,
//! then everything else, each oldest first by the moment it joined the queue, which for persistent chat is the
//! customer's last interaction. Ties go to whoever was queued first.

use super::{ConversationId, Millis};
use std::collections::BTreeSet;

/// Priority class within the queue; smaller goes first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Class {
    Returning,
    New,
}

/// A conversation's place in the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct QueueKey {
    class: Class,
    since: Millis,
    seq: u64,
    conversation: ConversationId,
}

/// Conversations waiting for any agent, in routing order.
#[derive(Debug, Default, Clone)]
pub(crate) struct Queue {
    items: BTreeSet<QueueKey>,
    /// How many returning conversations are queued, so positions need no counting.
    returning: usize,
    seq: u64,
}

impl Queue {
    /// Adds a conversation and returns its key and 1-based position.
    pub fn push(&mut self, conversation: ConversationId, class: Class, since: Millis) -> (QueueKey, usize) {
        self.seq += 1;
        let key = QueueKey { class, since, seq: self.seq, conversation };
        self.items.insert(key);
        // Items join at `since` = now, never earlier than anyone of their class already queued (the router's time
        // only moves forward), so a returning item goes last among the returning, a new one last of all.
        let position = match class {
            Class::Returning => {
                self.returning += 1;
                self.returning
            }
            Class::New => self.items.len(),
        };
        (key, position)
    }

    pub fn remove(&mut self, key: QueueKey) {
        if self.items.remove(&key) && key.class == Class::Returning {
            self.returning -= 1;
        }
    }

    /// Conversations in routing order.
    pub fn iter(&self) -> impl Iterator<Item = QueueKey> + '_ {
        self.items.iter().copied()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }
}

impl QueueKey {
    pub fn conversation(self) -> ConversationId {
        self.conversation
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn returning_first_then_oldest() {
        let mut q = Queue::default();
        let (_, p1) = q.push(ConversationId(1), Class::New, Millis(10));
        let (_, p2) = q.push(ConversationId(2), Class::New, Millis(20));
        let (k3, p3) = q.push(ConversationId(3), Class::Returning, Millis(30));
        let (_, p4) = q.push(ConversationId(4), Class::Returning, Millis(40));
        let (_, p5) = q.push(ConversationId(5), Class::New, Millis(50));
        assert_eq!((p1, p2, p3, p4, p5), (1, 2, 1, 2, 5));
        let order: Vec<u64> = q.iter().map(|k| k.conversation().0).collect();
        assert_eq!(order, vec![3, 4, 1, 2, 5]);
        q.remove(k3);
        assert_eq!(q.len(), 4);
        assert_eq!(q.iter().next().map(|k| k.conversation()), Some(ConversationId(4)));
        assert_eq!(q.push(ConversationId(6), Class::Returning, Millis(60)).1, 2);
    }

    #[test]
    fn ties_go_to_the_first_queued() {
        let mut q = Queue::default();
        q.push(ConversationId(9), Class::New, Millis(10));
        q.push(ConversationId(1), Class::New, Millis(10));
        let order: Vec<u64> = q.iter().map(|k| k.conversation().0).collect();
        assert_eq!(order, vec![9, 1]);
    }
}
