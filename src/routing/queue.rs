//! A queue at run time: its settings, whether it is open, who serves it, and how many wait in it.

use super::{GroupId, Millis, OverflowAction, OverflowCondition, QueueSetup};

/// A queue's state.
#[derive(Debug, Clone)]
pub(crate) struct Queue {
    pub setup: QueueSetup,
    /// Inside its operating hours.
    pub open: bool,
    /// Its lanes (indexes into the router's lanes).
    pub lanes: Vec<usize>,
    /// The groups whose agents take its work.
    pub groups: Vec<GroupId>,
    /// Conversations waiting in its lanes.
    pub waiting: usize,
    /// Of those, returning ones (they go first), so positions need no counting.
    pub returning: usize,
}

impl Queue {
    pub fn new(setup: QueueSetup) -> Queue {
        let open = setup.open;
        Queue { setup, open, lanes: Vec::new(), groups: Vec::new(), waiting: 0, returning: 0 }
    }

    /// Its in-queue rule: how long a conversation may wait, and what then (the first such rule counts).
    pub fn wait_limit(&self) -> Option<(Millis, OverflowAction)> {
        self.setup.overflow.iter().find_map(|rule| match rule.when {
            OverflowCondition::WaitedLongerThan(limit) => Some((limit, rule.action)),
            _ => None,
        })
    }
}
