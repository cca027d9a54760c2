//! The routing set-up: workstreams, queues, agent groups and offers, as a platform administrator configures them.
//!
//! A [`Setup`] is plain data handed to [`Router::new`](super::Router::new). Everything in it is referred to by
//! index ([`WorkstreamId`], [`QueueId`], [`GroupId`], [`SkillId`]); names are kept only for messages and reports.
//! [`Setup::single`] is the first-generation router: one workstream, one queue, one group, no offers.

pub use super::errors::SetupError;
use super::{AssignmentMethod, Millis, Policy};

/// A workstream: the channel a conversation came through, with its mode (the [`Policy`]) and its cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct WorkstreamId(pub u16);

/// A queue, by its index in [`Setup::queues`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct QueueId(pub u16);

/// An agent group, by its index in [`Setup::groups`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct GroupId(pub u16);

/// A skill, by number (0 to 63).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SkillId(pub u8);

/// The most skills a set-up may name: skill needs are a 64-bit set.
pub const MAX_SKILLS: usize = 64;

/// A set of skills a conversation needs (or an agent has).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Skills(pub u64);

impl Skills {
    /// No skill needed.
    pub const NONE: Skills = Skills(0);

    /// The set holding one skill.
    pub fn one(skill: SkillId) -> Skills {
        Skills(1 << skill.0)
    }

    /// This set with `skill` added.
    pub fn with(self, skill: SkillId) -> Skills {
        Skills(self.0 | 1 << skill.0)
    }

    /// Whether every skill of `need` is in this set.
    pub fn covers(self, need: Skills) -> bool {
        need.0 & !self.0 == 0
    }

    /// How many skills of `need` are in this set.
    pub fn matching(self, need: Skills) -> u32 {
        (self.0 & need.0).count_ones()
    }

    /// The skills in the set, lowest first.
    pub fn iter(self) -> impl Iterator<Item = SkillId> {
        (0..MAX_SKILLS as u8).filter(move |&s| self.0 & 1 << s != 0).map(SkillId)
    }
}

/// Whether a conversation in wrap-up keeps holding its agent's capacity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WrapUpHold {
    /// Until the agent reports the wrap-up done.
    Always,
    /// Never: the capacity is free as soon as the conversation ends.
    Never,
    /// For at most this long (then free, even if the agent is still writing notes).
    For(Millis),
}

/// How strictly a conversation's skill needs must be met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SkillMatch {
    /// Only agents with every needed skill are eligible.
    #[default]
    Exact,
    /// Agents with every needed skill go first; if none has room, the agent with most of them takes it.
    Closest,
}

/// When an overflow rule applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OverflowCondition {
    /// Pre-queue: the queue is outside its operating hours when the conversation arrives.
    OutOfHours,
    /// Pre-queue: this many conversations already wait in the queue.
    MoreWaitingThan(u32),
    /// In queue: the conversation has waited this long without an agent.
    WaitedLongerThan(Millis),
}

/// What an overflow rule does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OverflowAction {
    /// The conversation ends without an agent.
    End,
    /// The conversation joins the back of another queue (whose pre-queue rules apply in turn).
    Transfer(QueueId),
    /// Pre-queue only: the conversation is queued anyway, and may be assigned while the queue is closed.
    AssignAnyway,
}

/// One overflow rule of a queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OverflowRule {
    /// When it applies.
    pub when: OverflowCondition,
    /// What it does.
    pub action: OverflowAction,
}

/// A workstream's routing settings.
#[derive(Debug)]
pub struct WorkstreamSetup {
    /// Its name, for messages.
    pub name: String,
    /// What its mode decides: admission, silence, returns, sign-out.
    pub policy: Box<dyn Policy>,
    /// The queue its conversations go to.
    pub queue: QueueId,
    /// Capacity units one of its conversations takes.
    pub units: u32,
    /// Whether wrap-up holds capacity.
    pub wrap_up: WrapUpHold,
}

/// A queue's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueSetup {
    /// Its name, for messages.
    pub name: String,
    /// Lower goes first when an agent serves several queues.
    pub priority: u32,
    /// How an agent is chosen for its conversations.
    pub assignment: AssignmentMethod,
    /// How strictly skill needs are met.
    pub skill_match: SkillMatch,
    /// Its overflow rules, in the order they are tried.
    pub overflow: Vec<OverflowRule>,
    /// Whether it starts inside its operating hours.
    pub open: bool,
}

/// An agent group's settings (capacity comes with each agent's sign-in).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupSetup {
    /// Its name, for messages.
    pub name: String,
    /// The queues its agents take work from.
    pub queues: Vec<QueueId>,
    /// Its agents' skills with their ratings (1 to 5).
    pub skills: Vec<(SkillId, u8)>,
}

/// Push offers: an assignment is offered first, and the agent accepts or declines it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OfferSetup {
    /// How long an offer stays open; an offer not accepted in time counts as a decline.
    pub countdown: Millis,
    /// After this many declines of one conversation, the agent is not offered it again.
    pub decline_limit: u32,
}

/// Everything the router needs to know before the first input.
#[derive(Debug)]
pub struct Setup {
    /// The workstreams, indexed by [`WorkstreamId`].
    pub workstreams: Vec<WorkstreamSetup>,
    /// The queues, indexed by [`QueueId`].
    pub queues: Vec<QueueSetup>,
    /// The agent groups, indexed by [`GroupId`].
    pub groups: Vec<GroupSetup>,
    /// Push offers, or `None` for assignment at once.
    pub offers: Option<OfferSetup>,
}

impl Setup {
    /// One workstream with `policy`, one queue, one group serving it, no offers: the first-generation router.
    pub fn single(policy: Box<dyn Policy>, assignment: AssignmentMethod, wrap_up: WrapUpHold, open: bool) -> Setup {
        Setup {
            workstreams: vec![WorkstreamSetup { name: "default".into(), policy, queue: QueueId(0), units: 1, wrap_up }],
            queues: vec![QueueSetup {
                name: "default".into(),
                priority: 1,
                assignment,
                skill_match: SkillMatch::Exact,
                overflow: Vec::new(),
                open,
            }],
            groups: vec![GroupSetup { name: "default".into(), queues: vec![QueueId(0)], skills: Vec::new() }],
            offers: None,
        }
    }
}

impl Setup {
    /// Checks that every name points somewhere, every queue is served, and transfers cannot loop.
    pub fn check(&self) -> Result<(), SetupError> {
        if self.workstreams.is_empty() || self.queues.is_empty() || self.groups.is_empty() {
            return Err(SetupError::Empty);
        }
        let limit = usize::from(u16::MAX);
        if self.workstreams.len() > limit || self.queues.len() > limit || self.groups.len() > limit {
            return Err(SetupError::TooMany);
        }
        let known = |q: QueueId| usize::from(q.0) < self.queues.len();
        for w in &self.workstreams {
            if !known(w.queue) {
                return Err(SetupError::UnknownQueue { workstream: w.name.clone(), queue: w.queue.0 });
            }
            if w.units == 0 {
                return Err(SetupError::ZeroUnits(w.name.clone()));
            }
        }
        for g in &self.groups {
            if let Some(q) = g.queues.iter().find(|&&q| !known(q)) {
                return Err(SetupError::UnknownQueueIn { owner: format!("group {:?}", g.name), queue: q.0 });
            }
        }
        for (i, q) in self.queues.iter().enumerate() {
            if !self.groups.iter().any(|g| g.queues.contains(&QueueId(i as u16))) {
                return Err(SetupError::Unserved(q.name.clone()));
            }
            for rule in &q.overflow {
                if let OverflowAction::Transfer(to) = rule.action
                    && !known(to)
                {
                    return Err(SetupError::UnknownQueueIn { owner: format!("queue {:?}", q.name), queue: to.0 });
                }
                if matches!(rule.when, OverflowCondition::WaitedLongerThan(_))
                    && rule.action == OverflowAction::AssignAnyway
                {
                    return Err(SetupError::AssignAnywayInQueue(q.name.clone()));
                }
            }
        }
        if let Some(loop_) = self.transfer_loop() {
            return Err(SetupError::TransferLoop(loop_));
        }
        if let Some(o) = self.offers
            && (o.countdown == Millis::ZERO || o.decline_limit == 0)
        {
            return Err(SetupError::Offers);
        }
        Ok(())
    }

    /// A chain of transfer rules that returns to where it started, by queue name, if there is one.
    pub fn transfer_loop(&self) -> Option<Vec<String>> {
        let targets = |q: usize| -> Vec<usize> {
            self.queues[q]
                .overflow
                .iter()
                .filter_map(|r| match r.action {
                    OverflowAction::Transfer(to) => Some(usize::from(to.0)),
                    _ => None,
                })
                .collect()
        };
        // Depth-first search with colours: 1 = on the current path, 2 = done.
        let n = self.queues.len();
        let mut colour = vec![0u8; n];
        let mut path = Vec::new();
        fn visit(
            q: usize,
            targets: &dyn Fn(usize) -> Vec<usize>,
            colour: &mut [u8],
            path: &mut Vec<usize>,
        ) -> Option<Vec<usize>> {
            colour[q] = 1;
            path.push(q);
            for t in targets(q) {
                if colour[t] == 1 {
                    let start = path.iter().position(|&p| p == t).expect("on the path");
                    let mut cycle = path[start..].to_vec();
                    cycle.push(t);
                    return Some(cycle);
                }
                if colour[t] == 0
                    && let Some(cycle) = visit(t, targets, colour, path)
                {
                    return Some(cycle);
                }
            }
            path.pop();
            colour[q] = 2;
            None
        }
        (0..n)
            .find_map(|q| if colour[q] == 0 { visit(q, &targets, &mut colour, &mut path) } else { None })
            .map(|cycle| cycle.into_iter().map(|q| self.queues[q].name.clone()).collect())
    }
}
