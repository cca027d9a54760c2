//! The agents of one group who can take new work, indexed so that choosing one never scans every agent.
//!
//! Each assignment method is an ordering of eligible agents; a group keeps one pool per method its queues use,
//! a sorted set under that ordering, and re-files an agent whenever its load or timestamps change.
//! - highest capacity: most free units first, then oldest last assignment;
//! - round robin: oldest last assignment first;
//! - least active: capacity released longest ago first.
//!
//! Remaining ties go to the lower agent id, so choices are reproducible. Keys compare across groups, so the best
//! agent of a queue served by several groups is the best of each group's best.

use super::agent::Agent;
use super::{AgentId, AssignmentMethod, Millis};
use std::collections::BTreeSet;

/// An agent's place in a pool: smaller is preferred.
pub(crate) type PoolKey = (u32, Millis, AgentId);

/// Eligible agents in preference order for one assignment method.
#[derive(Debug, Clone)]
pub(crate) struct Pool {
    pub method: AssignmentMethod,
    ordered: BTreeSet<PoolKey>,
}

impl Pool {
    pub fn new(method: AssignmentMethod) -> Pool {
        Pool { method, ordered: BTreeSet::new() }
    }

    #[inline]
    fn key(&self, agent: &Agent) -> PoolKey {
        match self.method {
            AssignmentMethod::HighestCapacity => (u32::MAX - agent.free(), agent.last_assigned_at, agent.id),
            AssignmentMethod::RoundRobin => (0, agent.last_assigned_at, agent.id),
            AssignmentMethod::LeastActive => (0, agent.last_released_at, agent.id),
        }
    }

    /// Takes an agent that accepted work out, before its state changes.
    #[inline]
    pub fn remove(&mut self, agent: &Agent) {
        self.ordered.remove(&self.key(agent));
    }

    /// Files an agent that accepts work, after its state changed.
    #[inline]
    pub fn insert(&mut self, agent: &Agent) {
        self.ordered.insert(self.key(agent));
    }

    /// The preferred agent with at least `units` free and not in `excluded`, with its key.
    pub fn best(&self, units: u32, agents: &[Agent], excluded: &[AgentId]) -> Option<(PoolKey, AgentId)> {
        let fits = |&(_, _, id): &PoolKey| agents[id.0 as usize].free() >= units;
        let found = match (self.method, excluded.is_empty()) {
            // The first agent has the most free units: if it cannot fit the work, nobody can.
            (AssignmentMethod::HighestCapacity, true) => self.ordered.first().copied().filter(fits),
            (AssignmentMethod::HighestCapacity, false) => {
                self.ordered.iter().copied().find(|(_, _, id)| !excluded.contains(id)).filter(fits)
            }
            (_, true) => self.ordered.iter().copied().find(fits),
            (_, false) => self.ordered.iter().copied().find(|k| fits(k) && !excluded.contains(&k.2)),
        };
        found.map(|key| (key, key.2))
    }
}
