//! chatcap: a discrete-event simulator for live and persistent customer-service chat.
//!
//! The [`routing`] core decides which agent gets which conversation; the simulator drives it with synthetic or
//! recorded customers and agents and measures what planners care about.
#![warn(missing_docs)]

pub mod calibrate;
pub mod commands;
pub mod erlang;
pub mod error;
pub mod history;
pub mod hours;
pub mod metrics;
pub mod paired;
pub mod report;
pub mod route;
pub mod routing;
pub mod scenario;
pub mod sim;
pub mod staff;
pub mod sweep;

pub use error::{Error, Result};
