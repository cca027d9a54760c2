//! The discrete-event engine and the synthetic world that drives the routing core.
//!
//! Time is integer milliseconds; events sit in one calendar keyed by (time, sequence), so runs are exactly
//! reproducible. Each replication of each policy is an independent [`engine::Engine`] run; customers draw from
//! their own random streams, so every policy of a run faces the same customers (common random numbers).

pub mod adapter;
pub mod arrivals;
pub mod clock;
pub mod customers;
pub mod desks;
pub mod engine;
pub mod observe;
pub mod plan;
pub mod policy;
pub mod recorder;
pub mod roster;
pub mod run;
pub mod seeds;
pub mod world;
