//! Erlang C and Erlang A: the analytic companions of the simulator.
//!
//! Both formulas answer the planner's oldest question, "how long will customers wait with N agents?", for the
//! simplest possible contact centre: contacts arrive at random (a Poisson process at `rate` per unit time), each
//! takes an agent a random, exponentially distributed handling time with mean `aht`, agents take one contact at a
//! time, and whoever waits is served first come, first served. The *offered load* `a = rate x aht`, in Erlangs, is
//! the number of agents that would be busy if nobody ever waited; it is the one number that drives everything.
//!
//! - **Erlang C** (the M/M/c queue) assumes customers wait forever. It is exact for that model and the industry's
//!   staffing workhorse, but it is pessimistic when real customers give up, and it breaks down entirely when
//!   `a >= agents`: the queue then grows without bound. We report that case as probability of waiting 1, mean wait
//!   infinite (`f64::INFINITY`, printed as "unbounded") and service level 0.
//! - **Erlang A** (the M/M/c+M queue, "A" for abandonment) adds impatience: each waiting customer leaves after an
//!   exponentially distributed patience with mean `patience`, unless an agent picks them up first. Abandonment
//!   relieves the queue, so Erlang A is always stable and usually needs fewer agents than Erlang C for the same
//!   service level; as patience grows it turns into Erlang C.
//!
//! Four relatives check the routing set-ups (several workstreams, queues and priorities on one team):
//! [`erlang_c_pooled`] (several streams on one pool), [`priority_waits`] (non-preemptive priority classes,
//! Cobham), [`erlang_finite`] (M/M/c/K: a waiting room that turns customers away when full) and
//! [`erlang_deadline`] (M/M/c+D: a queue that ends a conversation after a fixed wait).
//!
//! Chat with concurrency, sessions and think time is richer than either model; the simulator exists for that. These
//! formulas are its sanity check: a scenario that reduces to one of these queues must reproduce them.
//!
//! Everything here is computed without factorials or large powers, so it stays accurate for thousands of agents.
//!
//! ```
//! use chatcap::erlang::{Target, agents_needed_c, erlang_a, erlang_c};
//!
//! // 100 chats per half hour, 3 minutes each, 14 agents.
//! let c = erlang_c(100.0 / 1800.0, 180.0, 14);
//! assert!((c.service_level(20.0) - 0.8884).abs() < 1e-4);
//! // The same with customers who give up after 4 minutes on average.
//! let a = erlang_a(100.0 / 1800.0, 180.0, 14, 240.0);
//! assert!(a.service_level(20.0) > c.service_level(20.0));
//! // Agents for 80% answered within 20 seconds.
//! let goal = Target { service_level: Some((0.8, 20.0)), max_mean_wait_s: None };
//! assert_eq!(agents_needed_c(100.0 / 1800.0, 180.0, &goal), Some(14));
//! ```

mod a;
mod c;
mod deadline;
mod finite;
mod pooled;
mod priority;
mod query;
mod staffing;

pub use a::{ErlangA, erlang_a};
pub use c::{ErlangC, erlang_b, erlang_c};
pub use deadline::{DeadlineQueue, erlang_deadline};
pub use finite::{FiniteQueue, erlang_finite};
pub use pooled::erlang_c_pooled;
pub use priority::priority_waits;
pub use query::{Model, Query, describe, run_query};
pub use staffing::{MAX_AGENTS, Target, agents_needed_a, agents_needed_c};
