//! Staffing searches: the fewest agents that meet service targets, by simulation.
//!
//! - [`target`]: `--target METRIC>=X` / `METRIC<=X`.
//! - [`search`]: the smallest constant headcount, by bracketing then bisecting, at common random numbers.
//! - [`schedule`]: `--per-interval`, a weekly headcount per interval by simulate-and-adjust rounds.
//! - [`output`]: `staff.csv`, `staff-path.csv` and the schedule files.

pub mod output;
pub mod schedule;
pub mod search;
pub mod target;

pub use target::{Direction, Target};
