//! Agents' desks: the replies and wrap-ups an agent works on, how long each takes, and in what order.
//!
//! An assignment puts a reply on the agent's desk; each later customer message in an active conversation puts
//! another. A reply takes the group's `reply` time (a trace's recorded first reply, when replaying) times the
//! `slowdown` factor for the agent's load when it starts, drawn from the customer's work stream; a wrap-up
//! takes `wrap_up`, drawn from the conversation's own stream. With `single` attention the desk works one task
//! at a time, in order, skipping replies that went stale (the conversation moved on); with `parallel` attention
//! every task runs at once. A finished reply is delivered to the customer only if it is still wanted.
//!
//! The desks also keep the count of agents working: online with a task in progress.

use super::engine::{Engine, Event};
use super::seeds::{Purpose, stream};
use super::world::{CONVERSATIONS_PER_CUSTOMER, Task, customer_of};
use crate::routing::{AgentId, ConversationId, Input, Millis, State};
use crate::scenario::{Agents, Attention, Dist};

impl<'s> Engine<'s> {
    /// A draw for one conversation from its own stream (none needed for a constant).
    pub(super) fn draw(&self, dist: &Dist, conversation: ConversationId, purpose: Purpose) -> Millis {
        match dist {
            Dist::Constant { value } => *value,
            _ => dist.sample(&mut stream(self.scenario.seed, self.replication, conversation.0, purpose)),
        }
    }

    /// Puts a task on an agent's desk, starting it if the agent is free.
    pub(super) fn give(&mut self, agent: AgentId, task: Task) {
        match self.agents_of(agent).attention {
            Attention::Parallel => self.start(agent, task),
            Attention::Single => {
                let desk = &mut self.desks[agent.0 as usize];
                if desk.in_progress == 0 && desk.waiting.is_empty() {
                    // A task just given to an idle desk is wanted by construction: start it straight away.
                    self.start(agent, task);
                } else {
                    desk.waiting.push_back(task);
                    if desk.in_progress == 0 {
                        self.start_next(agent);
                    }
                }
            }
        }
    }

    /// Starts the next still-wanted task on a single-attention desk.
    fn start_next(&mut self, agent: AgentId) {
        while let Some(task) = self.desks[agent.0 as usize].waiting.pop_front() {
            if self.wanted(agent, task) {
                self.start(agent, task);
                return;
            }
        }
    }

    /// Whether a task still needs doing: replies go stale when the conversation moved on.
    pub(super) fn wanted(&self, agent: AgentId, task: Task) -> bool {
        match task {
            Task::Reply { conversation, token } => {
                self.conversations.get(&conversation).is_some_and(|c| c.reply_token == token)
                    && self
                        .router
                        .conversation(conversation)
                        .is_some_and(|v| v.state == State::Active && v.agent == Some(agent) && v.awaiting_agent)
            }
            Task::WrapUp { .. } => true,
        }
    }

    /// Starts a task: its duration drawn now (a reply slows with the agent's load), its end scheduled.
    fn start(&mut self, agent: AgentId, task: Task) {
        let agents = self.agents_of(agent);
        let duration = match task {
            Task::Reply { conversation, .. } => {
                let replied = self.conversations[&conversation].replied;
                let load = self.router.agent(agent).map_or(1, |a| a.active.max(1));
                let customer = self.customers.get_mut(&customer_of(conversation));
                match customer {
                    // A recorded handle time is the first reply of the recorded conversation, not of later recontacts.
                    Some(c)
                        if !replied
                            && c.first_reply_time.is_some()
                            && conversation.0 % CONVERSATIONS_PER_CUSTOMER == 0 =>
                    {
                        c.first_reply_time.expect("checked")
                    }
                    Some(c) => {
                        let base = agents.reply.sample(&mut c.work);
                        let factor = agents.slowdown.get(load - 1).or(agents.slowdown.last()).copied().unwrap_or(1.0);
                        Millis((base.0 as f64 * factor).round() as u64)
                    }
                    None => agents.reply.mean(),
                }
            }
            Task::WrapUp { conversation } => self.draw(&agents.wrap_up, conversation, Purpose::WrapUp),
        };
        let desk = &mut self.desks[agent.0 as usize];
        desk.in_progress += 1;
        if matches!(task, Task::Reply { .. }) {
            desk.writing.push(task);
        }
        self.recount(agent);
        if duration == Millis::ZERO {
            // Nothing to wait for (a zero wrap-up, say): finish it once the current event is handled, without a
            // round trip through the calendar and without recursing (a chain of them could be long).
            self.instant.push_back((agent, task));
        } else {
            self.calendar.schedule(self.now + duration, Event::TaskDone(agent, task));
        }
    }

    /// Keeps `working` = agents online with a task in progress. An agent signing out stays online until the
    /// reply they are writing is sent; other work finishing after they went offline (a queued reply to a
    /// conversation parked at sign-out, a wrap-up) is not counted.
    pub(super) fn recount(&mut self, agent: AgentId) {
        let online = self.router.agent(agent).is_some_and(|a| a.online());
        let desk = &mut self.desks[agent.0 as usize];
        let busy = online && desk.in_progress > 0;
        if busy != desk.counted {
            desk.counted = busy;
            if busy {
                self.working += 1;
            } else {
                self.working -= 1;
            }
        }
    }

    /// A task is done: a still-wanted reply reaches the customer, a finished wrap-up is told to the router.
    pub(super) fn task_done(&mut self, agent: AgentId, task: Task) {
        let desk = &mut self.desks[agent.0 as usize];
        desk.in_progress -= 1;
        if let Some(i) = desk.writing.iter().position(|&t| t == task) {
            desk.writing.swap_remove(i);
        }
        self.recount(agent);
        match task {
            Task::Reply { conversation, .. } => {
                if self.wanted(agent, task) {
                    self.deliver_reply(agent, conversation);
                }
            }
            Task::WrapUp { conversation } => self.input(Input::WrapUpDone { conversation }),
        }
        if self.agents_of(agent).attention == Attention::Single && self.desks[agent.0 as usize].in_progress == 0 {
            self.start_next(agent);
        }
    }

    /// The settings of an agent's group.
    fn agents_of(&self, agent: AgentId) -> &'s Agents {
        match &self.plan.groups[..] {
            [only] => only.agents,
            groups => groups[self.agent_group[agent.0 as usize] as usize].agents,
        }
    }
}
