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
