//! The router: workstreams, queues, agent groups and their conversations, driven one input at a time.
//!
//! This file holds the router's state, its construction from a [`Setup`], and [`Router::handle`], which checks
//! an input completely (see `check.rs`) before anything changes, then hands it to the module that owns it:
//! `entry.rs` (arrivals, overflow, transfers), `conversation_inputs.rs` (messages, replies, ends),
//! `staffing.rs` (sign-in, sign-out, presence), `offers.rs`, `assign.rs` (the assignment cycle) and
//! `transitions.rs` (every state change with its bookkeeping).

use super::agent::Agent;
use super::conversation::Conversation;
use super::group::Group;
use super::lane::Lane;
use super::queue::Queue;
use super::setup::SetupError;
use super::{
    AgentId, AgentView, AssignmentMethod, ConversationId, ConversationView, Effect, Input, Millis, OfferSetup, Policy,
    QueueId, Setup, WorkstreamId, WorkstreamSetup, WrapUpHold,
};
use rustc_hash::FxHashMap as HashMap;

/// The largest agent id accepted; agents live in a table indexed by id.
pub const MAX_AGENT_ID: u32 = 1 << 22;

/// Settings of the one-queue router of [`Router::single`].
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

/// Totals, for dashboards and for the simulator's time-weighted metrics: across the team in [`Router::load`],
/// or for one workstream's conversations in [`Router::workstream_load`] (whose agent fields are zero).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Load {
    /// Agents online (signed in, or signing out while finishing their conversations).
    pub agents_online: u32,
    /// Capacity units of online agents.
    pub capacity_online: u64,
    /// Units held by conversations (offered, active, and wrap-up where it holds capacity).
    pub capacity_used: u64,
    /// Units of parked conversations whose agent is on duty, each agent's counted up to its capacity: what the
    /// waiting stage gives back, never more than the capacity signed in.
    pub capacity_reclaimed: u64,
    /// Conversations queued or waiting for their previous agent.
    pub open: usize,
    /// Conversations offered to an agent, not answered yet.
    pub offered: usize,
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
    pub(super) workstreams: Vec<WorkstreamSetup>,
    pub(super) queues: Vec<Queue>,
    pub(super) groups: Vec<Group>,
    pub(super) lanes: Vec<Lane>,
    pub(super) offers: Option<OfferSetup>,
    pub(super) conversations: HashMap<ConversationId, Conversation>,
    pub(super) agents: Vec<Agent>,
    pub(super) now: Millis,
    pub(super) load: Load,
    pub(super) by_workstream: Vec<Load>,
    /// Agents who accept new work (on duty, a working presence, room left): no assignment is tried without one.
    pub(super) accepting: usize,
    /// Conversations in every lane.
    pub(super) queued: usize,
    /// Order of entry into the queues, for ties.
    pub(super) seq: u64,
}

impl Router {
    /// A router for a set-up, with no agents and no conversations; the set-up is checked first.
    pub fn new(setup: Setup) -> Result<Router, SetupError> {
        setup.check()?;
        let Setup { workstreams, queues, groups, offers } = setup;
        let mut queues: Vec<Queue> = queues.into_iter().map(Queue::new).collect();
        let groups: Vec<Group> = groups
            .into_iter()
            .enumerate()
            .map(|(g, group)| {
                let methods: Vec<AssignmentMethod> =
                    group.queues.iter().map(|q| queues[q.0 as usize].setup.assignment).collect();
                for q in &group.queues {
                    queues[q.0 as usize].groups.push(super::GroupId(g as u16));
                }
                Group::new(group, &methods)
            })
            .collect();
        Ok(Router {
            by_workstream: vec![Load::default(); workstreams.len()],
            workstreams,
            queues,
            groups,
            lanes: Vec::new(),
            offers,
            conversations: HashMap::default(),
            agents: Vec::new(),
            now: Millis::ZERO,
            load: Load::default(),
            accepting: 0,
            queued: 0,
            seq: 0,
        })
    }

    /// The first-generation router: one workstream with `policy`, one queue, one group, no offers.
    pub fn single(config: RouterConfig, policy: Box<dyn Policy>) -> Router {
        let wrap_up = if config.wrap_up_holds_capacity { WrapUpHold::Always } else { WrapUpHold::Never };
        Router::new(Setup::single(policy, config.assignment, wrap_up, config.queue_open))
            .expect("a single-queue set-up is always valid")
    }

    /// Handles one input at time `now`, appending the effects to `out`. An input refused with an error changes
    /// nothing, not even the router's time.
    pub fn handle(&mut self, now: Millis, input: Input, out: &mut Vec<Effect>) -> Result<(), super::RoutingError> {
        self.check(now, &input)?;
        // The busiest inputs refuse a wrong conversation in the same look-up that handles them, before any change.
        match input {
            Input::ConversationArrived { conversation, workstream, needs } => {
                return self.arrive(now, conversation, workstream, needs, out);
            }
            Input::AgentReplied { conversation } => return self.agent_replied(now, conversation, out),
            Input::AgentEnded { conversation } => return self.agent_ended(now, conversation, out),
            Input::WrapUpDone { conversation } => return self.wrap_up_done(now, conversation, out),
            _ => {}
        }
        self.now = now;
        match input {
            Input::ConversationArrived { .. } => {}
            Input::CustomerMessage { conversation } => self.customer_message(conversation, out),
            Input::AgentReplied { .. } | Input::AgentEnded { .. } | Input::WrapUpDone { .. } => {}
            Input::CustomerLeft { conversation } => self.customer_left(conversation, out),
            Input::AgentWriting { conversation } => {
                self.conversations.get_mut(&conversation).expect("checked").writing = true;
            }
            Input::AgentSignedIn { agent, group, capacity } => self.sign_in(agent, group, capacity, out),
            Input::AgentSignedOut { agent } => self.sign_out(agent, out),
            Input::PresenceChanged { agent, presence } => self.change_presence(agent, presence, out),
            Input::OfferAccepted { conversation } => self.accept_offer(conversation, out),
            Input::OfferDeclined { conversation } => self.decline_offer(conversation, true, out),
            Input::QueueOpened { queue } => {
                self.queues[queue.0 as usize].open = true;
                self.assign_pass(out);
            }
            Input::QueueClosed { queue } => self.queues[queue.0 as usize].open = false,
            Input::TimerFired(timer) => self.timer_fired(timer, out),
        }
        Ok(())
    }

    /// A conversation's current view, while it is open.
    pub fn conversation(&self, id: ConversationId) -> Option<ConversationView> {
        self.conversations.get(&id).map(|c| c.view)
    }

    /// An agent's current view, once it has signed in.
    pub fn agent(&self, id: AgentId) -> Option<AgentView> {
        self.agents.get(id.0 as usize).map(Agent::view)
    }

    /// Current totals across the team.
    pub fn load(&self) -> Load {
        self.load
    }

    /// Current totals of one workstream's conversations (agent fields zero; `capacity_used` is its units held).
    pub fn workstream_load(&self, workstream: WorkstreamId) -> Load {
        if self.by_workstream.len() > 1 {
            return self.by_workstream[workstream.0 as usize];
        }
        Load { agents_online: 0, capacity_online: 0, capacity_reclaimed: 0, ..self.load }
    }

    /// Conversations waiting in every queue (not those offered, nor those reserved for a returning customer's
    /// agent).
    pub fn queue_len(&self) -> usize {
        self.queued
    }

    /// Conversations waiting in one queue.
    pub fn queue_waiting(&self, queue: QueueId) -> usize {
        self.queues[queue.0 as usize].waiting
    }

    /// The conversations waiting in one queue, in no particular order (for dashboards and checks).
    pub fn waiting_in(&self, queue: QueueId) -> Vec<ConversationId> {
        self.queues[queue.0 as usize]
            .lanes
            .iter()
            .flat_map(|&lane| self.lanes[lane].items.iter().map(|key| key.conversation))
            .collect()
    }

    /// Whether a queue is inside its operating hours.
    pub fn is_open(&self, queue: QueueId) -> bool {
        self.queues[queue.0 as usize].open
    }

    /// The time of the last input.
    pub fn now(&self) -> Millis {
        self.now
    }

    /// The policy of a conversation's workstream.
    pub(super) fn policy_of(&self, id: ConversationId) -> &dyn Policy {
        self.workstreams[self.conversations[&id].view.workstream.0 as usize].policy.as_ref()
    }

    /// Applies a change to a load figure of the team's totals and of the conversation's workstream alike.
    #[inline]
    pub(super) fn tally(&mut self, workstream: WorkstreamId, change: impl Fn(&mut Load)) {
        change(&mut self.load);
        // With one workstream its totals are the team's: kept once, read from `load`.
        if self.by_workstream.len() > 1 {
            change(&mut self.by_workstream[workstream.0 as usize]);
        }
    }
}

/// A timer time that is strictly after now, as every timer request must be.
pub(super) fn later(now: Millis, at: Millis) -> Millis {
    at.max(now + Millis(1))
}
