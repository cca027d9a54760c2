//! The timers the router asked for, kept until a `tick` reaches their time.
//!
//! Timers come due in time order, ties in the order they were asked for, so a replay is deterministic. A timer
//! the caller already fired with a `timer_fired` event is not fired again by a tick.

use crate::routing::{Millis, Timer};
use rustc_hash::FxHashSet;
use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

/// A kept timer: due time, then request order.
#[derive(Debug, Clone, Copy)]
struct Kept {
    due: Millis,
    seq: u64,
    timer: Timer,
}

impl PartialEq for Kept {
    fn eq(&self, other: &Self) -> bool {
        (self.due, self.seq) == (other.due, other.seq)
    }
}
impl Eq for Kept {}
impl PartialOrd for Kept {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Kept {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.due, self.seq).cmp(&(other.due, other.seq))
    }
}

/// Timers waiting for their time.
#[derive(Debug, Default)]
pub struct Timers {
    heap: BinaryHeap<Reverse<Kept>>,
    seq: u64,
    /// Timers fired by `timer_fired` events while still kept here.
    fired: FxHashSet<Timer>,
}

impl Timers {
    /// Keeps a timer until `due`.
    pub fn keep(&mut self, timer: Timer, due: Millis) {
        self.heap.push(Reverse(Kept { due, seq: self.seq, timer }));
        self.seq += 1;
    }

    /// Notes that the caller fired this timer itself.
    pub fn fired_by_caller(&mut self, timer: Timer) {
        self.fired.insert(timer);
    }

    /// The next timer due at or before `now`, with its due time, taking it out.
    pub fn next_due(&mut self, now: Millis) -> Option<(Timer, Millis)> {
        while let Some(Reverse(next)) = self.heap.peek() {
            if next.due > now {
                return None;
            }
            let Reverse(kept) = self.heap.pop().expect("peeked");
            if !self.fired.is_empty() && self.fired.remove(&kept.timer) {
                continue;
            }
            return Some((kept.timer, kept.due));
        }
        None
    }

    /// How many timers are kept.
    pub fn kept(&self) -> usize {
        self.heap.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routing::{ConversationId, TimerKind};

    fn timer(c: u64) -> Timer {
        Timer { conversation: ConversationId(c), kind: TimerKind::QueueWait, generation: 1 }
    }

    #[test]
    fn timers_come_due_in_time_order_ties_in_request_order() {
        let mut t = Timers::default();
        t.keep(timer(1), Millis(50));
        t.keep(timer(2), Millis(10));
        t.keep(timer(3), Millis(50));
        assert_eq!(t.next_due(Millis(9)), None);
        assert_eq!(t.next_due(Millis(50)), Some((timer(2), Millis(10))));
        assert_eq!(t.next_due(Millis(50)), Some((timer(1), Millis(50))));
        assert_eq!(t.next_due(Millis(50)), Some((timer(3), Millis(50))));
        assert_eq!((t.next_due(Millis(99)), t.kept()), (None, 0));
    }

    #[test]
    fn a_timer_the_caller_fired_is_not_fired_again() {
        let mut t = Timers::default();
        t.keep(timer(1), Millis(10));
        t.keep(timer(2), Millis(20));
        t.fired_by_caller(timer(1));
        assert_eq!(t.next_due(Millis(30)), Some((timer(2), Millis(20))));
        assert_eq!(t.next_due(Millis(30)), None);
    }
}
