//! What a `[[policy]]` means: today's single-queue policy, or a routing set-up of several workstreams.
//!
//! Without `[[workstream]]`, a policy is one mode (live or persistent) and one assignment method over one queue
//! and all of `[agents]` ([`PolicyRouting::Single`], the meaning scenarios always had). With `[[workstream]]`, the
//! scenario describes the routing set-up as a platform does ([`RoutingSpec`]):
//! - workstreams: the channels customers come through, each live or persistent, each taking a share of
//!   `[arrivals]` or its own arrival stream, each feeding one queue; a conversation takes `units` of an agent's
//!   capacity and may need one skill (skill shares are mutually exclusive: a conversation needs at most one);
//! - queues: a priority (lower first), an assignment method, opening hours, how strictly skills must match, and
//!   overflow rules tried in order (pre-queue: `out_of_hours`, `more_waiting_than`; in queue:
//!   `waited_longer_than`), which end the conversation, transfer it to another queue or (pre-queue only) queue it
//!   anyway; no chain of transfers returns to where it started;
//! - agent groups: each with its own roster and any `[agents]` key of its own (the rest from `[agents]`), the
//!   queues it serves and its skill ratings (1 to 5); without `[[agents.group]]`, `[agents]` is one group named
//!   `agents` serving every queue;
//! - offers: when present, an assignment is offered and the agent accepts (after a delay) or declines.
//!
//! Every id is an index in file order: `WorkstreamId(i)` is `workstreams[i]`, `QueueId(i)` is `queues[i]`,
//! `GroupId(i)` is `groups[i]`, `SkillId(i)` names `skills[i]`. A policy of a set-up is the file with its `set`
//! applied on top, validated again as a whole, so each policy carries its complete set-up.

use super::dist::Dist;
use super::model::{Agents, Arrivals, ModeSpec, Scenario};
use crate::hours::OperatingHours;
use crate::routing::{AssignmentMethod, Millis, OverflowRule, QueueId, SkillId, SkillMatch, WrapUpHold};

/// What one `[[policy]]` means.
#[derive(Debug, Clone)]
pub enum PolicyRouting {
    /// A scenario without `[[workstream]]`: one mode, one queue, one assignment method (today's meaning).
    Single {
        /// How an agent is chosen.
        assignment: AssignmentMethod,
        /// Live or persistent, with its timers.
        mode: ModeSpec,
    },
    /// A scenario with `[[workstream]]`: the whole set-up after this policy's `set`.
    Setup(Box<RoutingSpec>),
}

/// A routing set-up: workstreams, queues, agent groups, offers and the skills they name.
#[derive(Debug, Clone)]
pub struct RoutingSpec {
    /// The workstreams in file order; `WorkstreamId(i)` is index `i`.
    pub workstreams: Vec<WorkstreamSpec>,
    /// The queues in file order; `QueueId(i)` is index `i`.
    pub queues: Vec<QueueSpec>,
    /// The agent groups in file order; `GroupId(i)` is index `i`. Without `[[agents.group]]`: one group named
    /// `agents`, which is `[agents]`, serving every queue.
    pub groups: Vec<GroupSpec>,
    /// Push offers, or `None` for assignment at once.
    pub offers: Option<OffersSpec>,
    /// Skill names: `SkillId(i)` names `skills[i]`; at most [`MAX_SKILLS`](crate::routing::MAX_SKILLS).
    pub skills: Vec<String>,
}

/// One workstream: a channel with its mode, where its conversations come from, where they go, what they cost.
#[derive(Debug, Clone)]
pub struct WorkstreamSpec {
    /// Unique name among workstreams.
    pub name: String,
    /// Live or persistent, with its timers, exactly as a `[[policy]]` without workstreams takes them.
    pub mode: ModeSpec,
    /// Where its conversations come from.
    pub entry: Entry,
    /// The queue its conversations go to.
    pub queue: QueueId,
    /// Capacity units one of its conversations takes (1 to 1000).
    pub units: u32,
    /// Mutually exclusive shares of its conversations needing one skill each (each in [0, 1], summing to at most
    /// 1); the rest need no skill.
    pub skills: Vec<(SkillId, f64)>,
    /// Whether its conversations keep their capacity during wrap-up.
    pub wrap_up: WrapUpHold,
}

/// Where a workstream's conversations come from.
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant, reason = "one value per workstream; the inline factors keep lookups simple")]
pub enum Entry {
    /// This share of the scenario's `[arrivals]` (the shares of all workstreams sum to 1).
    Share(f64),
    /// Its own arrival stream.
    Own(Arrivals),
}

/// One queue.
#[derive(Debug, Clone)]
pub struct QueueSpec {
    /// Unique name among queues.
    pub name: String,
    /// Lower goes first when an agent serves several queues (0 to 1000).
    pub priority: u32,
    /// How an agent is chosen for its conversations.
    pub assignment: AssignmentMethod,
    /// When it is open: the scenario's `[hours]` or its own.
    pub hours: OperatingHours,
    /// How strictly skill needs are met.
    pub skill_match: SkillMatch,
    /// Overflow rules, in the order they are tried.
    pub overflow: Vec<OverflowRule>,
}

/// One agent group.
#[derive(Debug, Clone)]
pub struct GroupSpec {
    /// Unique name among groups.
    pub name: String,
    /// Its roster, capacity and speed: its own `[agents]` keys over `[agents]`'s.
    pub agents: Agents,
    /// The queues its agents take work from (at least one).
    pub queues: Vec<QueueId>,
    /// Its agents' skills with their ratings (1 to 5).
    pub skills: Vec<(SkillId, u8)>,
}

/// Push offers.
#[derive(Debug, Clone)]
pub struct OffersSpec {
    /// How long an offer stays open; one not accepted in time counts as a decline.
    pub countdown: Millis,
    /// Time an agent takes to accept.
    pub accept: Dist,
    /// Chance an agent declines an offer (0 to 1).
    pub decline: f64,
    /// After this many declines of one conversation, an agent is not offered it again (at least 1).
    pub decline_limit: u32,
}

impl RoutingSpec {
    /// Whether every workstream that receives conversations is live (a workstream with share 0 is idle).
    pub fn is_live(&self) -> bool {
        self.active().all(|w| matches!(w.mode, ModeSpec::Live { .. }))
    }

    /// Whether every workstream that receives conversations is persistent.
    pub fn is_persistent(&self) -> bool {
        self.active().all(|w| matches!(w.mode, ModeSpec::Persistent { .. }))
    }

    /// The workstreams that receive conversations: a share above 0, or arrivals of their own.
    fn active(&self) -> impl Iterator<Item = &WorkstreamSpec> {
        self.workstreams.iter().filter(|w| !matches!(w.entry, Entry::Share(share) if share <= 0.0))
    }

    /// Warnings about a set-up that runs but misleads: conversations needing a skill that no group serving
    /// their queue has, under exact matching, can never be served.
    pub fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        for w in &self.workstreams {
            let queue = &self.queues[usize::from(w.queue.0)];
            if queue.skill_match != SkillMatch::Exact {
                continue;
            }
            for &(skill, share) in w.skills.iter().filter(|(_, share)| *share > 0.0) {
                let served = self
                    .groups
                    .iter()
                    .any(|g| g.queues.contains(&w.queue) && g.skills.iter().any(|(s, _)| *s == skill));
                if !served {
                    out.push(format!(
                        "workstream {}: {:.0}% of its conversations need skill {}, but no group serving queue {} has \
                         it, and the queue matches skills exactly: those conversations can never be served; give a \
                         group of queue {} that skill, or set skill_match = \"closest\"",
                        w.name,
                        share * 100.0,
                        self.skills[usize::from(skill.0)],
                        queue.name,
                        queue.name
                    ));
                }
            }
        }
        out
    }
}

impl Scenario {
    /// The warnings about each policy's routing set-up (none without `[[workstream]]`), prefixed by the policy's
    /// name when there are several; `check` and `run` print them.
    pub fn setup_warnings(&self) -> Vec<String> {
        // The same warning from several policies is said once, naming them (or "every policy").
        let mut found: Vec<(String, Vec<&str>)> = Vec::new();
        for p in &self.policies {
            if let Some(spec) = p.setup() {
                for w in spec.warnings() {
                    match found.iter_mut().find(|(text, _)| *text == w) {
                        Some((_, names)) => names.push(&p.name),
                        None => found.push((w, vec![&p.name])),
                    }
                }
            }
        }
        let every = self.policies.len();
        found
            .into_iter()
            .map(|(text, names)| match names.len() {
                _ if every == 1 => text,
                n if n == every => format!("every policy: {text}"),
                1 => format!("policy {}: {text}", names[0]),
                _ => format!("policies {}: {text}", names.join(", ")),
            })
            .collect()
    }
}
