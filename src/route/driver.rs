//! The driver: one event line in, the router's decisions out, timers kept for `tick`.
//!
//! Time comes only from the events, so the same events give the same decisions, byte for byte. A line the
//! driver or the router cannot take changes nothing and is reported as a [`LineError`].

use super::decision::Writer;
use super::event::{Step, parse, resolve};
use super::ids::{Agents, Conversations};
use super::names::Names;
use super::timers::Timers;
use crate::routing::{Effect, Input, Millis, Router, RoutingError};
use crate::scenario::{PolicySpec, Scenario};
use crate::sim::plan::Plan;

/// Why one event line was not taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct LineError(pub String);

/// What a driver has done so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Event lines taken.
    pub events: u64,
    /// Event lines refused (skipped).
    pub refused: u64,
    /// Decision lines written.
    pub decisions: u64,
    /// Timers fired by ticks.
    pub timers_fired: u64,
}

/// A router fed from event lines.
#[derive(Debug)]
pub struct Driver {
    router: Router,
    names: Names,
    conversations: Conversations,
    agents: Agents,
    timers: Timers,
    /// The time of the last event taken.
    last: Millis,
    effects: Vec<Effect>,
    counts: Counts,
}

impl Driver {
    /// A driver for `router`, whose set-up `names` describes.
    pub fn new(router: Router, names: Names) -> Driver {
        Driver {
            router,
            names,
            conversations: Conversations::default(),
            agents: Agents::default(),
            timers: Timers::default(),
            last: Millis::ZERO,
            effects: Vec::new(),
            counts: Counts::default(),
        }
    }

    /// A driver for one policy of a scenario: its routing set-up, each queue open or closed as its hours say at
    /// time zero.
    pub fn for_policy(scenario: &Scenario, policy: &PolicySpec) -> Driver {
        let router = Plan::new(scenario, policy).router(scenario, policy);
        Driver::new(router, Names::of(policy))
    }

    /// Takes one event line, appending its decisions to `out`.
    pub fn line(&mut self, line: &[u8], out: &mut Vec<u8>) -> Result<(), LineError> {
        let result = self.take(line, out);
        match result {
            Ok(()) => self.counts.events += 1,
            Err(_) => self.counts.refused += 1,
        }
        result
    }

    fn take(&mut self, line: &[u8], out: &mut Vec<u8>) -> Result<(), LineError> {
        let (at, raw) = parse(line).map_err(LineError)?;
        if at < self.last {
            return Err(LineError(format!(
                "time went backwards: \"at\" is {}, before the previous event's {}",
                at.0, self.last.0
            )));
        }
        let step = resolve(&raw, &self.names, &mut self.conversations, &mut self.agents).map_err(LineError)?;
        match step {
            Step::Input(input) => {
                if let Input::TimerFired(timer) = input {
                    self.timers.fired_by_caller(timer);
                }
                self.handle(at, input, out).map_err(|e| {
                    if let (Input::ConversationArrived { conversation, .. }, false) =
                        (input, matches!(e, RoutingError::DuplicateConversation(_)))
                    {
                        self.conversations.forget(conversation);
                    }
                    LineError(format!("the router refused it: {}", self.describe(e)))
                })?;
            }
            Step::Tick => {
                while let Some((timer, due)) = self.timers.next_due(at) {
                    let when = due.max(self.router.now());
                    self.handle(when, Input::TimerFired(timer), out).map_err(|e| LineError(self.describe(e)))?;
                    self.counts.timers_fired += 1;
                }
            }
        }
        self.last = at;
        Ok(())
    }

    /// Hands one input to the router and writes its decisions.
    fn handle(&mut self, at: Millis, input: Input, out: &mut Vec<u8>) -> Result<(), RoutingError> {
        self.effects.clear();
        self.router.handle(at, input, &mut self.effects)?;
        let writer = Writer { names: &self.names, conversations: &self.conversations, agents: &self.agents };
        for effect in &self.effects {
            writer.write(at, effect, out);
            if let Effect::StartTimer { timer, at: due } = *effect {
                self.timers.keep(timer, due);
            }
        }
        self.counts.decisions += self.effects.len() as u64;
        for effect in &self.effects {
            if let Effect::Refused { conversation, .. }
            | Effect::Abandoned { conversation }
            | Effect::Closed { conversation, .. } = *effect
            {
                self.conversations.forget(conversation);
            }
        }
        Ok(())
    }

    /// A router error in the caller's ids and the set-up's names.
    fn describe(&self, e: RoutingError) -> String {
        let c = |id| self.conversations.name(id);
        let a = |id| self.agents.name(id);
        match e {
            RoutingError::TimeWentBackwards { now, last } => {
                format!("time went backwards: {} is before {}", now.0, last.0)
            }
            RoutingError::UnknownConversation(id) => format!("{} is not open", c(id)),
            RoutingError::DuplicateConversation(id) => format!("{} has already arrived and is open", c(id)),
            RoutingError::InvalidTransition { conversation, state, input } => {
                format!("{} is {state:?}: it cannot take {input}", c(conversation))
            }
            RoutingError::CustomerCannotLeave(id) => {
                format!("{}: its workstream's mode does not let customers end conversations", c(id))
            }
            RoutingError::UnknownAgent(id) => format!("{} is unknown", a(id)),
            RoutingError::AlreadySignedIn(id) => format!("{} is already signed in", a(id)),
            RoutingError::NotSignedIn(id) => format!("{} is not signed in", a(id)),
            RoutingError::ZeroCapacity => "capacity must be at least 1".into(),
            RoutingError::UnknownWorkstream(w) => {
                format!("workstream {} does not exist", self.names.workstreams.name(usize::from(w.0)))
            }
            RoutingError::UnknownQueue(q) => {
                format!("queue {} does not exist", self.names.queues.name(usize::from(q.0)))
            }
            RoutingError::UnknownGroup(g) => {
                format!("group {} does not exist", self.names.groups.name(usize::from(g.0)))
            }
            RoutingError::OfflineIsNotAPresence(id) => {
                format!("{}: send signed_out rather than presence offline", a(id))
            }
        }
    }

    /// What the driver has done so far.
    pub fn counts(&self) -> Counts {
        self.counts
    }

    /// Timers kept for later ticks.
    pub fn timers_kept(&self) -> usize {
        self.timers.kept()
    }

    /// The router, to read its state.
    pub fn router(&self) -> &Router {
        &self.router
    }

    /// The set-up's names.
    pub fn names(&self) -> &Names {
        &self.names
    }
}
