//! The router: one queue, its agents and its conversations, driven one input at a time.

use super::agent::Agent;
use super::conversation::Conversation;
use super::pool::Pool;
use super::queue::{Class, Queue};
use super::{
    AgentId, AgentView, AssignmentMethod, ConversationId, ConversationView, Effect, EndReason, IdleAction, Input,
    Millis, Policy, ReturnRoute, SignOutAction, State, Timer, TimerKind,
};
use rustc_hash::FxHashMap as HashMap;

/// The largest agent id accepted; agents live in a table indexed by id.
pub const MAX_AGENT_ID: u32 = 1 << 22;

/// Settings of a queue that are not a policy's business.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouterConfig {
    /// How the agent for the next queued conversation is chosen.
    pub assignment: AssignmentMethod,
    /// Whether a conversation in wrap-up keeps holding its agent's capacity.
    pub wrap_up_holds_capacity: bool,
    /// Whether the queue starts inside its operating hours.
    pub queue_open: bool,
}

impl Default for RouterConfig {
    fn default() -> RouterConfig {
        RouterConfig { assignment: AssignmentMethod::HighestCapacity, wrap_up_holds_capacity: true, queue_open: true }
    }
}

/// An input the router cannot accept; the router's state is unchanged when it says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RoutingError {
    /// Inputs must come in time order.
    #[error("time went backwards: {now} is before {last}")]
    TimeWentBackwards {
        /// The time given.
        now: Millis,
        /// The time of the previous input.
        last: Millis,
    },
    /// The conversation is not open (never arrived, or already closed).
    #[error("{0} is not open")]
    UnknownConversation(ConversationId),
    /// A conversation with that id is already open.
    #[error("{0} has already arrived")]
    DuplicateConversation(ConversationId),
    /// The input makes no sense in the conversation's current state.
    #[error("{conversation} is {state:?}: it cannot take {input}")]
    InvalidTransition {
        /// The conversation.
        conversation: ConversationId,
        /// Its state.
        state: State,
        /// What was attempted.
        input: &'static str,
    },
    /// The policy does not let the customer end the conversation.
    #[error("{0}: the policy does not let customers end conversations")]
    CustomerCannotLeave(ConversationId),
    /// The agent has never signed in, or its id is out of range.
    #[error("{0} is unknown")]
    UnknownAgent(AgentId),
    /// The agent is already signed in.
    #[error("{0} is already signed in")]
    AlreadySignedIn(AgentId),
    /// The agent is not signed in.
    #[error("{0} is not signed in")]
    NotSignedIn(AgentId),
    /// Capacity and units must be at least 1.
    #[error("capacity and units must be at least 1")]
    ZeroCapacity,
}

/// Totals across the queue, for dashboards and for the simulator's time-weighted metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Load {
    /// Agents online (signed in, or signing out while finishing their conversations).
    pub agents_online: u32,
    /// Capacity units of online agents.
    pub capacity_online: u64,
    /// Units held by conversations (active, and wrap-up where it holds capacity).
    pub capacity_used: u64,
    /// Units of parked conversations whose agent is on duty, each agent's counted up to its capacity: what the
    /// waiting stage gives back, never more than the capacity signed in.
    pub capacity_reclaimed: u64,
    /// Conversations queued or waiting for their previous agent.
    pub open: usize,
    /// Conversations with an agent.
    pub active: usize,
    /// Conversations parked in the waiting stage.
    pub waiting: usize,
    /// Conversations in wrap-up.
    pub wrap_up: usize,
}

/// The routing core. Feed it inputs with [`Router::handle`]; act on the effects it returns.
#[derive(Debug)]
pub struct Router {
    config: RouterConfig,
    policy: Box<dyn Policy>,
    conversations: HashMap<ConversationId, Conversation>,
    agents: Vec<Agent>,
    pool: Pool,
    queue: Queue,
    queue_open: bool,
    now: Millis,
    load: Load,
}

impl Router {
    /// A router with no agents and no conversations.
    pub fn new(config: RouterConfig, policy: Box<dyn Policy>) -> Router {
        Router {
            config,
            policy,
            conversations: HashMap::default(),
            agents: Vec::new(),
            pool: Pool::new(config.assignment),
            queue: Queue::default(),
            queue_open: config.queue_open,
            now: Millis::ZERO,
            load: Load::default(),
        }
    }

    /// Handles one input at time `now`, appending the effects to `out`.
    pub fn handle(&mut self, now: Millis, input: Input, out: &mut Vec<Effect>) -> Result<(), RoutingError> {
        if now < self.now {
            return Err(RoutingError::TimeWentBackwards { now, last: self.now });
        }
        self.now = now;
        match input {
            Input::ConversationArrived { conversation, units } => self.arrive(conversation, units, out),
            Input::CustomerMessage { conversation } => self.customer_message(conversation, out),
            Input::AgentReplied { conversation } => self.agent_replied(conversation, out),
            Input::AgentEnded { conversation } => self.agent_ended(conversation, out),
            Input::WrapUpDone { conversation } => self.wrap_up_done(conversation, out),
            Input::CustomerLeft { conversation } => self.customer_left(conversation, out),
            Input::AgentSignedIn { agent, capacity } => self.sign_in(agent, capacity, out),
            Input::AgentWriting { conversation } => self.agent_writing(conversation),
            Input::AgentSignedOut { agent } => self.sign_out(agent, out),
            Input::QueueOpened => {
                self.queue_open = true;
                self.assign_pass(out);
                Ok(())
            }
            Input::QueueClosed => {
                self.queue_open = false;
                Ok(())
            }
            Input::TimerFired(timer) => {
                self.timer_fired(timer, out);
                Ok(())
            }
        }
    }

    /// A conversation's current view, while it is open.
    pub fn conversation(&self, id: ConversationId) -> Option<ConversationView> {
        self.conversations.get(&id).map(|c| c.view)
    }

    /// An agent's current view, once it has signed in.
    pub fn agent(&self, id: AgentId) -> Option<AgentView> {
        self.agents.get(id.0 as usize).map(Agent::view)
    }

    /// Current totals.
    pub fn load(&self) -> Load {
        self.load
    }

    /// Conversations in the queue for any agent (not those reserved for a returning customer's agent).
    pub fn queue_len(&self) -> usize {
        self.queue.len()
    }

    /// Whether the queue is inside its operating hours.
    pub fn is_queue_open(&self) -> bool {
        self.queue_open
    }

    /// The time of the last input.
    pub fn now(&self) -> Millis {
        self.now
    }

    fn arrive(&mut self, id: ConversationId, units: u32, out: &mut Vec<Effect>) -> Result<(), RoutingError> {
        if units == 0 {
            return Err(RoutingError::ZeroCapacity);
        }
        if self.conversations.contains_key(&id) {
            return Err(RoutingError::DuplicateConversation(id));
        }
        if let Err(reason) = self.policy.admit(self.queue_open) {
            out.push(Effect::Refused { conversation: id, reason });
            return Ok(());
        }
        self.conversations.insert(id, Conversation::new(id, units, self.now));
        self.load.open += 1;
        // With nobody queued ahead, a free agent takes it at once: it never waits in the queue.
        if self.queue.len() == 0
            && (self.queue_open || self.policy.assigns_while_closed())
            && let Some(agent) = self.pool.best(units, &self.agents)
        {
            self.assign(id, agent, out);
            return Ok(());
        }
        self.enqueue(id, Class::New, out);
        self.assign_pass(out);
        Ok(())
    }

    fn customer_message(&mut self, id: ConversationId, out: &mut Vec<Effect>) -> Result<(), RoutingError> {
        let now = self.now;
        let c = self.conversations.get_mut(&id).ok_or(RoutingError::UnknownConversation(id))?;
        match c.view.state {
            State::Open | State::Active => {
                c.view.last_customer_at = now;
                c.view.last_activity_at = now;
                c.view.awaiting_agent = true;
                if c.view.state == State::Active {
                    c.touch();
                }
                Ok(())
            }
            State::Waiting => {
                c.view.last_customer_at = now;
                c.view.last_activity_at = now;
                c.view.awaiting_agent = true;
                c.view.returns += 1;
                self.route_return(id, out);
                Ok(())
            }
            state => Err(RoutingError::InvalidTransition { conversation: id, state, input: "a customer message" }),
        }
    }

    fn agent_replied(&mut self, id: ConversationId, out: &mut Vec<Effect>) -> Result<(), RoutingError> {
        let now = self.now;
        let c = self.conversations.get_mut(&id).ok_or(RoutingError::UnknownConversation(id))?;
        if c.view.state != State::Active {
            return Err(RoutingError::InvalidTransition {
                conversation: id,
                state: c.view.state,
                input: "an agent reply",
            });
        }
        c.view.awaiting_agent = false;
        c.view.last_activity_at = now;
        c.writing = false;
        c.touch();
        let agent = c.view.agent.expect("active has an agent");
        if let Some(after) = self.policy.idle_after() {
            let timer = Timer { conversation: id, kind: TimerKind::CustomerIdle, generation: c.generation };
            out.push(Effect::StartTimer { timer, at: later(now, now + after) });
        }
        // The last reply of an agent who signed out while writing it: the conversation parks now, as the others
        // did at sign-out, and the agent goes once nothing else holds them.
        if !self.agents[agent.0 as usize].on_duty() && self.policy.on_sign_out() == SignOutAction::Park {
            self.park(id, out);
            self.conversations.get_mut(&id).expect("parked is open").parked_at_sign_out = true;
            self.finish_sign_out_if_done(agent, out);
        }
        Ok(())
    }

    fn agent_writing(&mut self, id: ConversationId) -> Result<(), RoutingError> {
        let c = self.conversations.get_mut(&id).ok_or(RoutingError::UnknownConversation(id))?;
        if c.view.state != State::Active || !c.view.awaiting_agent {
            return Err(RoutingError::InvalidTransition {
                conversation: id,
                state: c.view.state,
                input: "the agent writing a reply",
            });
        }
        c.writing = true;
        Ok(())
    }

    fn agent_ended(&mut self, id: ConversationId, out: &mut Vec<Effect>) -> Result<(), RoutingError> {
        let state = self.conversations.get(&id).ok_or(RoutingError::UnknownConversation(id))?.view.state;
        match state {
            State::Active => {
                self.end(id, EndReason::Resolved, out);
                Ok(())
            }
            State::Waiting => {
                self.close_parked(id, EndReason::Resolved, out);
                Ok(())
            }
            state => Err(RoutingError::InvalidTransition { conversation: id, state, input: "the agent ending it" }),
        }
    }

    fn wrap_up_done(&mut self, id: ConversationId, out: &mut Vec<Effect>) -> Result<(), RoutingError> {
        let c = self.conversations.get(&id).ok_or(RoutingError::UnknownConversation(id))?;
        if c.view.state != State::WrapUp {
            return Err(RoutingError::InvalidTransition {
                conversation: id,
                state: c.view.state,
                input: "wrap-up done",
            });
        }
        let agent = c.view.agent.expect("a conversation in wrap-up has an agent");
        if c.holds_capacity {
            self.release(id);
        }
        let c = self.conversations.remove(&id).expect("checked above");
        self.load.wrap_up -= 1;
        let a = &mut self.agents[agent.0 as usize];
        a.wrapping_up -= 1;
        a.forget(id);
        out.push(Effect::Closed { conversation: id, reason: c.end_reason.unwrap_or(EndReason::Resolved) });
        self.finish_sign_out_if_done(agent, out);
        self.assign_pass(out);
        Ok(())
    }

    fn customer_left(&mut self, id: ConversationId, out: &mut Vec<Effect>) -> Result<(), RoutingError> {
        let c = self.conversations.get(&id).ok_or(RoutingError::UnknownConversation(id))?;
        if !self.policy.customer_can_leave() {
            return Err(RoutingError::CustomerCannotLeave(id));
        }
        match c.view.state {
            State::Open => {
                let c = self.conversations.remove(&id).expect("checked above");
                self.load.open -= 1;
                if let Some(key) = c.queue_key {
                    self.queue.remove(key);
                }
                if let Some(agent) = c.reserved_for {
                    self.agents[agent.0 as usize].reserved.retain(|&r| r != id);
                }
                out.push(Effect::Abandoned { conversation: id });
                Ok(())
            }
            State::Active => {
                self.end(id, EndReason::CustomerEnded, out);
                Ok(())
            }
            state => Err(RoutingError::InvalidTransition { conversation: id, state, input: "the customer leaving" }),
        }
    }

    fn sign_in(&mut self, id: AgentId, capacity: u32, out: &mut Vec<Effect>) -> Result<(), RoutingError> {
        if capacity == 0 {
            return Err(RoutingError::ZeroCapacity);
        }
        if id.0 > MAX_AGENT_ID {
            return Err(RoutingError::UnknownAgent(id));
        }
        let index = id.0 as usize;
        if index >= self.agents.len() {
            let start = self.agents.len() as u32;
            self.agents.extend((start..=id.0).map(|i| Agent::new(AgentId(i))));
        }
        let agent = &self.agents[index];
        if agent.on_duty() {
            return Err(RoutingError::AlreadySignedIn(id));
        }
        let was_online = agent.signed_in;
        let now = self.now;
        let agent = &mut self.agents[index];
        let old_capacity = agent.capacity;
        agent.capacity = capacity;
        agent.signed_in = true;
        agent.finishing = false;
        if agent.held.is_empty() {
            agent.last_released_at = now;
        }
        if was_online {
            self.load.capacity_online -= u64::from(old_capacity);
        } else {
            self.load.agents_online += 1;
        }
        self.load.capacity_online += u64::from(capacity);
        self.load.capacity_reclaimed += u64::from(agent.reclaimed());
        let reserved = std::mem::take(&mut agent.reserved);
        self.pool.file(&self.agents[index]);
        for conversation in reserved {
            self.reactivate(conversation, id, out);
        }
        self.assign_pass(out);
        Ok(())
    }

    fn sign_out(&mut self, id: AgentId, out: &mut Vec<Effect>) -> Result<(), RoutingError> {
        let agent = self.agents.get(id.0 as usize).ok_or(RoutingError::UnknownAgent(id))?;
        if !agent.on_duty() {
            return Err(RoutingError::NotSignedIn(id));
        }
        self.pool.withdraw(agent);
        let agent = &mut self.agents[id.0 as usize];
        self.load.capacity_reclaimed -= u64::from(agent.reclaimed());
        agent.finishing = true;
        if self.policy.on_sign_out() == SignOutAction::Park {
            let held = agent.held.clone();
            for conversation in held {
                let c = &self.conversations[&conversation];
                // The reply being written is sent first: that conversation parks once it is delivered.
                if c.view.state == State::Active && !c.writing {
                    self.park(conversation, out);
                    self.conversations.get_mut(&conversation).expect("held is open").parked_at_sign_out = true;
                    if self.conversations[&conversation].view.awaiting_agent {
                        self.route_return(conversation, out);
                    }
                }
            }
        }
        self.finish_sign_out_if_done(id, out);
        self.assign_pass(out);
        Ok(())
    }

    fn timer_fired(&mut self, timer: Timer, out: &mut Vec<Effect>) {
        let Some(c) = self.conversations.get(&timer.conversation) else { return };
        if c.generation != timer.generation {
            return;
        }
        let id = timer.conversation;
        match (timer.kind, c.view.state) {
            (TimerKind::CustomerIdle, State::Active) if !c.view.awaiting_agent => {
                let agent = self.agents[c.view.agent.expect("active has an agent").0 as usize].view();
                match self.policy.on_idle(&c.view, &agent) {
                    IdleAction::End => self.end(id, EndReason::CustomerIdle, out),
                    IdleAction::Park => {
                        self.park(id, out);
                        self.assign_pass(out);
                    }
                    IdleAction::CheckAgainAfter(after) => {
                        let at = later(self.now, self.now + after);
                        out.push(Effect::StartTimer { timer, at });
                    }
                    IdleAction::Keep => {}
                }
            }
            (TimerKind::AutoClose, State::Waiting) => self.close_parked(id, EndReason::AutoClosed, out),
            (TimerKind::SameAgentWait, State::Open) if c.reserved_for.is_some() => {
                let agent = c.reserved_for.expect("checked");
                self.conversations.get_mut(&id).expect("present").reserved_for = None;
                self.agents[agent.0 as usize].reserved.retain(|&r| r != id);
                self.enqueue(id, Class::Returning, out);
                self.assign_pass(out);
            }
            _ => {}
        }
    }

    /// Routes a customer returning to a parked conversation, per the policy.
    fn route_return(&mut self, id: ConversationId, out: &mut Vec<Effect>) {
        let c = self.conversations.get_mut(&id).expect("caller checked");
        c.touch();
        let agent = c.view.agent.expect("a parked conversation keeps its agent");
        let units = c.view.units;
        c.view.state = State::Open;
        self.load.waiting -= 1;
        self.load.open += 1;
        self.change_parked(agent, |parked| parked - units);
        match self.policy.on_return(&self.conversations[&id].view) {
            ReturnRoute::SameAgent { .. } if self.agents[agent.0 as usize].on_duty() => {
                self.reactivate(id, agent, out);
            }
            // A conversation parked because its agent signed out does not wait for that agent: their shift is
            // over, and the customer was in the middle of it.
            ReturnRoute::SameAgent { wait } if wait > Millis::ZERO && !self.conversations[&id].parked_at_sign_out => {
                let c = self.conversations.get_mut(&id).expect("present");
                c.reserved_for = Some(agent);
                self.agents[agent.0 as usize].reserved.push(id);
                out.push(Effect::OfferedToSameAgent { conversation: id, agent });
                let timer = Timer { conversation: id, kind: TimerKind::SameAgentWait, generation: c.generation };
                out.push(Effect::StartTimer { timer, at: later(self.now, self.now + wait) });
            }
            _ => {
                self.enqueue(id, Class::Returning, out);
                self.assign_pass(out);
            }
        }
    }

    /// Puts an open conversation in the queue.
    fn enqueue(&mut self, id: ConversationId, class: Class, out: &mut Vec<Effect>) {
        let (key, position) = self.queue.push(id, class, self.now);
        self.conversations.get_mut(&id).expect("present").queue_key = Some(key);
        out.push(Effect::Queued { conversation: id, position });
    }

    /// Gives queued conversations to eligible agents, in queue order, while both last.
    fn assign_pass(&mut self, out: &mut Vec<Effect>) {
        if !self.queue_open && !self.policy.assigns_while_closed() {
            return;
        }
        while !self.pool.is_empty() {
            let Some(key) = self.queue.iter().next() else { break };
            let id = key.conversation();
            let units = self.conversations[&id].view.units;
            let Some(agent) = self.pool.best(units, &self.agents) else { break };
            self.queue.remove(key);
            self.conversations.get_mut(&id).expect("queued is open").queue_key = None;
            self.assign(id, agent, out);
        }
    }

    /// Gives an open conversation to an agent chosen by the assignment method.
    fn assign(&mut self, id: ConversationId, agent: AgentId, out: &mut Vec<Effect>) {
        self.take(id, agent, true);
        out.push(Effect::Assigned { conversation: id, agent });
    }

    /// Gives a returning conversation straight back to its agent, over capacity if need be.
    fn reactivate(&mut self, id: ConversationId, agent: AgentId, out: &mut Vec<Effect>) {
        self.conversations.get_mut(&id).expect("present").reserved_for = None;
        self.take(id, agent, false);
        out.push(Effect::Reactivated { conversation: id, agent });
    }

    /// An open conversation becomes active with `agent`, holding its units; `assigned` marks a new assignment
    /// (which round robin counts), as opposed to a return to the same agent.
    fn take(&mut self, id: ConversationId, agent: AgentId, assigned: bool) {
        let now = self.now;
        let c = self.conversations.get_mut(&id).expect("present");
        c.touch();
        c.parked_at_sign_out = false;
        c.view.state = State::Active;
        c.view.agent = Some(agent);
        c.holds_capacity = true;
        let units = c.view.units;
        self.load.open -= 1;
        self.load.active += 1;
        self.load.capacity_used += u64::from(units);
        self.refile(agent, |a| {
            a.used += units;
            a.held.push(id);
            if assigned {
                a.last_assigned_at = now;
            }
        });
    }

    /// An active conversation moves to the waiting stage; its capacity is free at once.
    fn park(&mut self, id: ConversationId, out: &mut Vec<Effect>) {
        self.release(id);
        let now = self.now;
        let c = self.conversations.get_mut(&id).expect("present");
        c.touch();
        c.view.state = State::Waiting;
        c.writing = false;
        let agent = c.view.agent.expect("active has an agent");
        let (units, generation, last) = (c.view.units, c.generation, c.view.last_activity_at);
        self.load.active -= 1;
        self.load.waiting += 1;
        self.agents[agent.0 as usize].forget(id);
        self.change_parked(agent, |parked| parked + units);
        out.push(Effect::Parked { conversation: id, agent });
        if let Some(after) = self.policy.auto_close_after() {
            let timer = Timer { conversation: id, kind: TimerKind::AutoClose, generation };
            out.push(Effect::StartTimer { timer, at: later(now, last + after) });
        }
    }

    /// An active conversation ends: wrap-up starts, releasing capacity now unless wrap-up holds it.
    fn end(&mut self, id: ConversationId, reason: EndReason, out: &mut Vec<Effect>) {
        let holds = self.config.wrap_up_holds_capacity;
        if !holds {
            self.release(id);
        }
        let c = self.conversations.get_mut(&id).expect("present");
        c.touch();
        c.view.state = State::WrapUp;
        c.end_reason = Some(reason);
        let agent = c.view.agent.expect("active has an agent");
        self.load.active -= 1;
        self.load.wrap_up += 1;
        self.agents[agent.0 as usize].wrapping_up += 1;
        out.push(Effect::WrapUpStarted { conversation: id, agent, reason });
        if !holds {
            self.assign_pass(out);
        }
    }

    /// A parked conversation closes without returning to anyone.
    fn close_parked(&mut self, id: ConversationId, reason: EndReason, out: &mut Vec<Effect>) {
        let c = self.conversations.remove(&id).expect("present");
        let agent = c.view.agent.expect("parked keeps its agent");
        self.load.waiting -= 1;
        self.change_parked(agent, |parked| parked - c.view.units);
        out.push(Effect::Closed { conversation: id, reason });
    }

    /// Frees a conversation's units on its agent.
    fn release(&mut self, id: ConversationId) {
        let now = self.now;
        let c = self.conversations.get_mut(&id).expect("present");
        if !c.holds_capacity {
            return;
        }
        c.holds_capacity = false;
        let units = c.view.units;
        let agent = c.view.agent.expect("holding capacity means an agent");
        self.load.capacity_used -= u64::from(units);
        self.refile(agent, |a| {
            a.used -= units;
            a.last_released_at = now;
        });
    }

    /// Changes an agent's parked units, keeping the capped reclaimed total right without scanning agents.
    fn change_parked(&mut self, agent: AgentId, change: impl FnOnce(u32) -> u32) {
        let a = &mut self.agents[agent.0 as usize];
        let before = a.reclaimed();
        a.parked_units = change(a.parked_units);
        self.load.capacity_reclaimed = self.load.capacity_reclaimed - u64::from(before) + u64::from(a.reclaimed());
    }

    /// Changes an agent while keeping the pool's ordering right.
    fn refile(&mut self, agent: AgentId, change: impl FnOnce(&mut Agent)) {
        let a = &mut self.agents[agent.0 as usize];
        self.pool.withdraw(a);
        change(a);
        self.pool.file(a);
    }

    /// A signing-out agent goes offline once they hold nothing.
    fn finish_sign_out_if_done(&mut self, agent: AgentId, out: &mut Vec<Effect>) {
        let a = &mut self.agents[agent.0 as usize];
        if a.finishing && a.held.is_empty() {
            a.finishing = false;
            a.signed_in = false;
            self.load.agents_online -= 1;
            self.load.capacity_online -= u64::from(a.capacity);
            out.push(Effect::AgentOffline { agent });
        }
    }
}

/// A timer time that is strictly after now, as every timer request must be.
fn later(now: Millis, at: Millis) -> Millis {
    at.max(now + Millis(1))
}
