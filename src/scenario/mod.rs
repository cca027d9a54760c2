//! Scenario files: what a planner writes, checked and turned into the model the simulator runs.
//!
//! Loading happens in two stages. First the TOML is read into serde structs that mirror the file exactly
//! (the private `raw` module; unknown keys are refused), after any `--set KEY=VALUE` overrides have been
//! applied to the parsed document. Then every rule is checked once and the values become real types: durations in
//! milliseconds, distributions ready to sample, opening hours, a staffing plan ([`Scenario`]). Every error
//! reads `FILE:LINE: KEY: what is wrong`, or `FILE: --set KEY=VALUE: KEY: what is wrong` for an override, and is
//! a typed [`ScenarioError`] (see `error`) until it is shown.
//!
//! A scenario with `[[workstream]]` describes a routing set-up (workstreams, queues, agent groups, offers; see
//! `routing_model` for its meaning and `routing_spec` for its rules). Each of its policies is then the file with
//! the policy's `set` applied on top and validated again (`set_policies`), so every [`PolicySpec`] carries either
//! today's single mode ([`PolicyRouting::Single`]) or its whole set-up ([`PolicyRouting::Setup`]).

mod agents_spec;
mod calendar;
mod check;
mod describe;
mod dist;
mod dist_spec;
mod duration;
mod error;
mod load;
mod model;
mod overrides;
mod policy_spec;
mod raw;
mod routing_model;
mod routing_spec;
mod set_policies;
mod source;
mod staffing;
mod trace;
mod validate;

#[cfg(test)]
mod routing_tests;
#[cfg(test)]
mod tests;

pub use agents_spec::{MAX_AGENTS, MAX_CAPACITY, MAX_SHIFTS};
pub use calendar::{CalendarError, parse_date, parse_timestamp, timestamp};
pub use dist::{CountDist, Dist, DistError};
pub use duration::{DurationError, parse_duration};
pub use error::{Context, Place, Problem, ScenarioError, name_vary};
pub use load::{MAX_SCENARIO_BYTES, load, load_str, read_scenario};
pub use model::{Agents, Arrivals, Attention, Customer, DEFAULT_DRAIN, ModeSpec, PolicySpec, Scenario, TraceRecord};
pub use overrides::OverrideError;
pub use routing_model::{Entry, GroupSpec, OffersSpec, PolicyRouting, QueueSpec, RoutingSpec, WorkstreamSpec};
pub use routing_spec::{MAX_ENTRIES, MAX_PRIORITY, MAX_UNITS};
pub(crate) use source::Source;
pub use staffing::{MAX_HORIZON, Roster, Shift, Staffing, area, scaled};
pub use trace::{read_numbers, read_schedule, read_trace};
pub use validate::{MAX_RATE, MAX_REPLICATIONS};
