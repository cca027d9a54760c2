//! The roster: signing agents in and out, group by group, as each group's staffing says.
//!
//! Every group owns a block of agent ids (see [`super::plan`]). When a group's headcount steps up, its lowest
//! ids not on duty sign in; when it steps down, its highest ids on duty sign out. With persistent workstreams,
//! an agent signing out first tells the router which replies they are still writing (those conversations stay
//! with them until the reply is sent); what happens to the rest is the router's to decide.

use super::engine::Engine;
use super::world::Task;
use crate::routing::{AgentId, GroupId, Input};

impl Engine<'_> {
    /// Signs a group's agents in or out to reach `headcount`: lowest ids come first, highest ids leave first.
    pub(super) fn staff(&mut self, group: usize, headcount: u32) {
        let plan = &self.plan.groups[group];
        let (capacity, first, last) = (plan.agents.capacity, plan.first as usize, (plan.first + plan.size) as usize);
        let mut id = first;
        while self.online[group] < headcount && id < last {
            if !self.on_duty[id] {
                self.on_duty[id] = true;
                self.online[group] += 1;
                let agent = AgentId(id as u32);
                self.input(Input::AgentSignedIn { agent, group: GroupId(group as u16), capacity });
                self.recount(agent);
            }
            id += 1;
        }
        let mut id = last;
        while self.online[group] > headcount && id > first {
            id -= 1;
            if self.on_duty[id] {
                self.on_duty[id] = false;
                self.online[group] -= 1;
                let agent = AgentId(id as u32);
                // Persistent: the agent sends the reply they are writing, then goes; the rest park now.
                if self.plan.any_persistent {
                    for i in 0..self.desks[id].writing.len() {
                        let task = self.desks[id].writing[i];
                        if let Task::Reply { conversation, .. } = task
                            && self.wanted(agent, task)
                        {
                            self.input(Input::AgentWriting { conversation });
                        }
                    }
                }
                self.input(Input::AgentSignedOut { agent });
            }
        }
    }
}
