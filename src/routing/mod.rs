//! The routing core (being written): see issue 2.

mod hours;
mod time;

pub use hours::{MINUTES_PER_DAY, OperatingHours, Origin, Span, civil_from_days, days_from_civil, weekday_from_days};
pub use time::Millis;

/// How an eligible agent is chosen for the next conversation in the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum AssignmentMethod {
    /// Most free capacity; ties go to the agent whose last assignment is oldest.
    #[default]
    HighestCapacity,
    /// The agent whose last assignment is oldest.
    RoundRobin,
    /// The agent whose capacity was released longest ago.
    LeastActive,
}
