//! Staffing searches: the fewest agents that meet service targets, by simulation.
//!
//! - [`target`]: `--target METRIC>=X` / `METRIC<=X`.
//! - [`load`]: the offered load and the lower bound a search starts from.
//! - [`ceiling`]: targets no headcount can meet, known before simulating.
//! - [`idle`]: part targets that mean nothing in a policy whose set-up sends the part no conversations.
//! - [`search`]: the smallest headcount (or roster scale), by bracketing then bisecting, at common random numbers.
//! - [`schedule`]: `--per-interval`, a weekly headcount per interval by simulate-and-adjust rounds.
//! - [`week`] and [`heatmap`]: the per-interval answer as `staff-week.csv` and `plots/staff_week.png`.
//! - [`chart`]: `plots/staff_<key>.png` of `staff --vary`.
//! - [`output`]: `staff.csv`, `staff-path.csv` and the schedule files.

pub mod ceiling;
pub mod chart;
pub mod heatmap;
pub mod idle;
pub mod load;
pub mod output;
pub mod schedule;
pub mod search;
pub mod target;
pub mod week;

pub use target::{Direction, PartNames, Target};
