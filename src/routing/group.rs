//! An agent group at run time: the queues it serves, its skills, and its pools of agents ready for work.

use super::agent::Agent;
use super::pool::{Pool, PoolKey};
use super::{AgentId, AssignmentMethod, GroupSetup, MAX_SKILLS, Skills};

/// A group's state.
#[derive(Debug, Clone)]
pub(crate) struct Group {
    /// Its skills as a set.
    pub skills: Skills,
    /// Its rating of each skill (0 for a skill it lacks).
    pub ratings: [u8; MAX_SKILLS],
    /// One pool per assignment method its queues use.
    pub pools: Vec<Pool>,
}

impl Group {
    pub fn new(setup: GroupSetup, methods: &[AssignmentMethod]) -> Group {
        let mut skills = Skills::NONE;
        let mut ratings = [0; MAX_SKILLS];
        for &(skill, rating) in &setup.skills {
            skills = skills.with(skill);
            ratings[skill.0 as usize] = rating;
        }
        let mut pools: Vec<Pool> = Vec::new();
        for &m in methods {
            if !pools.iter().any(|p| p.method == m) {
                pools.push(Pool::new(m));
            }
        }
        Group { skills, ratings, pools }
    }

    /// The group's best agent for work of `units` under `method`.
    pub fn best(
        &self,
        method: AssignmentMethod,
        units: u32,
        agents: &[Agent],
        excluded: &[AgentId],
    ) -> Option<(PoolKey, AgentId)> {
        self.pools.iter().find(|p| p.method == method)?.best(units, agents, excluded)
    }

    /// The sum of its ratings of the skills in `needs`, for closest matching.
    pub fn rating(&self, needs: Skills) -> u32 {
        needs.iter().map(|s| u32::from(self.ratings[s.0 as usize])).sum()
    }
}
