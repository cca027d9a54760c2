//! The event calendar: a binary heap of future events keyed by (time, sequence).
//!
//! Events at the same millisecond come out in the order they were scheduled (first in, first out), which makes
//! every run reproducible. Nothing is ever removed early: a cancelled event is recognised as stale when it pops.
//!
//! Far-off events (a parked conversation's auto-close a week ahead, most of which go stale when the customer
//! returns) live in a second heap, so the near heap that almost every event passes through stays small and
//! fast. Both heaps share one sequence counter and the earlier of their heads always comes out first, so the
//! order is exactly that of a single heap.

use crate::routing::Millis;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

struct Entry<E> {
    at: Millis,
    seq: u64,
    event: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        (self.at, self.seq) == (other.at, other.seq)
    }
}

impl<E> Eq for Entry<E> {}

impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<E> Ord for Entry<E> {
    /// Reversed, so that the max-heap pops the earliest (time, sequence) first.
    fn cmp(&self, other: &Self) -> Ordering {
        (other.at, other.seq).cmp(&(self.at, self.seq))
    }
}

/// Events further ahead than this go to the far heap.
const FAR: Millis = Millis::HOUR;

/// Future events in time order.
pub struct Calendar<E> {
    near: BinaryHeap<Entry<E>>,
    far: BinaryHeap<Entry<E>>,
    now: Millis,
    seq: u64,
}

impl<E> Default for Calendar<E> {
    fn default() -> Self {
        Calendar { near: BinaryHeap::new(), far: BinaryHeap::new(), now: Millis::ZERO, seq: 0 }
    }
}

impl<E> Calendar<E> {
    /// Schedules `event` at time `at`.
    #[inline]
    pub fn schedule(&mut self, at: Millis, event: E) {
        self.seq += 1;
        let entry = Entry { at, seq: self.seq, event };
        if at > self.now + FAR { self.far.push(entry) } else { self.near.push(entry) }
    }

    /// The earliest event and its time.
    #[inline]
    pub fn pop(&mut self) -> Option<(Millis, E)> {
        let from_far = match (self.near.peek(), self.far.peek()) {
            (Some(n), Some(f)) => f > n,
            (None, Some(_)) => true,
            _ => false,
        };
        let entry = if from_far { self.far.pop() } else { self.near.pop() }?;
        self.now = entry.at;
        Some((entry.at, entry.event))
    }

    /// How many events are pending.
    pub fn len(&self) -> usize {
        self.near.len() + self.far.len()
    }

    /// Whether nothing is pending.
    pub fn is_empty(&self) -> bool {
        self.near.is_empty() && self.far.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_time_order_and_first_in_first_out_on_ties() {
        let mut c = Calendar::default();
        c.schedule(Millis(5), "b");
        c.schedule(Millis(1), "a");
        c.schedule(Millis(5), "c");
        c.schedule(Millis(3), "x");
        let order: Vec<&str> = std::iter::from_fn(|| c.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, vec!["a", "x", "b", "c"]);
    }

    #[test]
    fn near_and_far_events_interleave_exactly_as_one_heap() {
        let mut c = Calendar::default();
        let week = Millis(7 * Millis::DAY.0);
        c.schedule(week, "far-1");
        c.schedule(Millis::MINUTE, "near-1");
        c.schedule(week, "far-2");
        assert_eq!(c.pop(), Some((Millis::MINUTE, "near-1")));
        c.schedule(week, "near-later-but-tied");
        c.schedule(week - Millis(1), "just-before");
        c.schedule(week + Millis(1), "just-after");
        let order: Vec<&str> = std::iter::from_fn(|| c.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, vec!["just-before", "far-1", "far-2", "near-later-but-tied", "just-after"]);
        assert!(c.is_empty());
    }
}
