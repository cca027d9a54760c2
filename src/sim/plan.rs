//! What one policy asks the engine to simulate, in one shape for both kinds of policy: its workstreams (with
//! where their customers come from), its queues' hours, its agent groups (with the agent ids each owns) and its
//! offers. A single-queue policy is one of each; a routing set-up is what its tables say. The plan also builds
//! the routing core's [`Setup`] for the policy.

use super::policy::{build_policy, policy_of_mode, router_config};
use crate::hours::OperatingHours;
use crate::routing::{GroupSetup, OfferSetup, QueueId, QueueSetup, Router, Setup, SkillId, WorkstreamSetup};
use crate::scenario::{Agents, Arrivals, Entry, ModeSpec, OffersSpec, PolicySpec, Scenario};

/// One workstream as the engine sees it.
#[derive(Debug)]
pub struct StreamPlan<'s> {
    /// Live chat (patience, retries) rather than persistent (online, parking).
    pub live: bool,
    /// The queue its conversations go to first.
    pub queue: QueueId,
    /// Shares of its conversations needing each skill (mutually exclusive).
    pub skills: &'s [(SkillId, f64)],
}

/// One agent group as the engine sees it: its settings and the agent ids it owns.
#[derive(Debug)]
pub struct GroupPlan<'s> {
    /// Roster, capacity, attention, reply and wrap-up times.
    pub agents: &'s Agents,
    /// Its first agent id; its agents are `first..first + size`.
    pub first: u32,
    /// The most agents it ever has on duty.
    pub size: u32,
}

/// One arrival stream: `[arrivals]` split by shares, or a workstream's own.
#[derive(Debug)]
pub struct SourcePlan<'s> {
    /// The arrivals.
    pub arrivals: &'s Arrivals,
    /// The workstream its customers enter, or `None` to draw one by the workstreams' shares.
    pub workstream: Option<u16>,
}

/// What a policy asks the engine to simulate.
#[derive(Debug)]
pub struct Plan<'s> {
    /// A scenario without `[[workstream]]`: one workstream, one queue, one group; no breakdown is measured.
    pub single: bool,
    /// Workstreams, by id.
    pub workstreams: Vec<StreamPlan<'s>>,
    /// Each queue's operating hours, by id.
    pub hours: Vec<&'s OperatingHours>,
    /// Agent groups, by id.
    pub groups: Vec<GroupPlan<'s>>,
    /// Arrival streams; stream `k` draws from its own random stream `k`.
    pub sources: Vec<SourcePlan<'s>>,
    /// Workstreams taking a share of `[arrivals]`, with the running total of the shares.
    pub shares: Vec<(u16, f64)>,
    /// Push offers and the agents' answers.
    pub offers: Option<&'s OffersSpec>,
    /// Whether any workstream is persistent (its agents send the reply they are writing when they sign out).
    pub any_persistent: bool,
}

impl<'s> Plan<'s> {
    /// The plan of `policy` on `scenario`.
    pub fn new(scenario: &'s Scenario, policy: &'s PolicySpec) -> Plan<'s> {
        let Some(spec) = policy.setup() else {
            let size = scenario.agents.staffing.max_agents();
            return Plan {
                single: true,
                workstreams: vec![StreamPlan { live: policy.is_live(), queue: QueueId(0), skills: &[] }],
                hours: vec![&scenario.hours],
                groups: vec![GroupPlan { agents: &scenario.agents, first: 0, size }],
                sources: vec![SourcePlan { arrivals: &scenario.arrivals, workstream: Some(0) }],
                shares: Vec::new(),
                offers: None,
                any_persistent: !policy.is_live(),
            };
        };
        let mut shares = Vec::new();
        let mut total = 0.0;
        let mut own = Vec::new();
        for (i, w) in spec.workstreams.iter().enumerate() {
            match &w.entry {
                Entry::Share(share) if *share > 0.0 => {
                    total += share;
                    shares.push((i as u16, total));
                }
                Entry::Share(_) => {}
                Entry::Own(arrivals) => own.push(SourcePlan { arrivals, workstream: Some(i as u16) }),
            }
        }
        let mut sources = Vec::new();
        if !shares.is_empty() {
            sources.push(SourcePlan { arrivals: &scenario.arrivals, workstream: None });
        }
        sources.extend(own);
        let mut first = 0;
        let groups = spec
            .groups
            .iter()
            .map(|g| {
                let size = g.agents.staffing.max_agents();
                let plan = GroupPlan { agents: &g.agents, first, size };
                first += size;
                plan
            })
            .collect();
        Plan {
            single: false,
            workstreams: spec
                .workstreams
                .iter()
                .map(|w| StreamPlan {
                    live: matches!(w.mode, ModeSpec::Live { .. }),
                    queue: w.queue,
                    skills: &w.skills,
                })
                .collect(),
            hours: spec.queues.iter().map(|q| &q.hours).collect(),
            groups,
            sources,
            shares,
            offers: spec.offers.as_ref(),
            any_persistent: spec.workstreams.iter().any(|w| matches!(w.mode, ModeSpec::Persistent { .. })),
        }
    }

    /// The routing core for this policy, every queue opened or closed as its hours say at time zero.
    pub fn router(&self, scenario: &Scenario, policy: &PolicySpec) -> Router {
        let Some(spec) = policy.setup() else {
            let config = router_config(policy, &scenario.agents, scenario.hours.is_open(crate::routing::Millis::ZERO));
            return Router::single(config, build_policy(policy));
        };
        let setup = Setup {
            workstreams: spec
                .workstreams
                .iter()
                .map(|w| WorkstreamSetup {
                    name: w.name.clone(),
                    policy: policy_of_mode(&w.mode),
                    queue: w.queue,
                    units: w.units,
                    wrap_up: w.wrap_up,
                })
                .collect(),
            queues: spec
                .queues
                .iter()
                .map(|q| QueueSetup {
                    name: q.name.clone(),
                    priority: q.priority,
                    assignment: q.assignment,
                    skill_match: q.skill_match,
                    overflow: q.overflow.clone(),
                    open: q.hours.is_open(crate::routing::Millis::ZERO),
                })
                .collect(),
            groups: spec
                .groups
                .iter()
                .map(|g| GroupSetup { name: g.name.clone(), queues: g.queues.clone(), skills: g.skills.clone() })
                .collect(),
            offers: spec.offers.as_ref().map(|o| OfferSetup { countdown: o.countdown, decline_limit: o.decline_limit }),
        };
        Router::new(setup).expect("the scenario's checks cover every rule of the routing set-up")
    }

    /// Every agent id of every group.
    pub fn agent_count(&self) -> usize {
        self.groups.iter().map(|g| g.size as usize).sum()
    }

    /// The group owning each agent id.
    pub fn agent_groups(&self) -> Vec<u16> {
        self.groups.iter().enumerate().flat_map(|(g, plan)| std::iter::repeat_n(g as u16, plan.size as usize)).collect()
    }

    /// The workstream a customer of the shared stream enters, for a uniform draw `u` in [0, 1).
    pub fn workstream_for(&self, u: f64) -> u16 {
        let total = self.shares.last().map_or(1.0, |&(_, t)| t);
        let x = u * total;
        self.shares.iter().find(|&&(_, cumulative)| x < cumulative).or(self.shares.last()).map_or(0, |&(w, _)| w)
    }
}
