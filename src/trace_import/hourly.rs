//! History against replay, hour of day by hour of day: arrivals, abandonment and mean queue wait.
//!
//! Both sides use the simulator's definitions: a call's wait runs from joining the queue to being taken or to
//! hanging up; abandonment is abandoned over offered; a conversation counts in the hour of day of its arrival,
//! pooled over every day of the log. The simulated side averages over replications.

use super::{BankLog, Fate};
use crate::sim::engine::Outcome;
use crate::sim::run::PolicyRuns;

/// Totals of one hour of day.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Hour {
    /// Conversations offered (arrivals), per replication.
    pub arrivals: f64,
    /// Of them, abandoned, per replication.
    pub abandoned: f64,
    /// Sum of their queue waits, seconds, per replication.
    pub wait_s: f64,
}

impl Hour {
    /// Abandoned over offered; `None` without arrivals.
    pub fn abandon_rate(&self) -> Option<f64> {
        (self.arrivals > 0.0).then(|| self.abandoned / self.arrivals)
    }

    /// Mean queue wait, seconds; `None` without arrivals.
    pub fn mean_wait_s(&self) -> Option<f64> {
        (self.arrivals > 0.0).then(|| self.wait_s / self.arrivals)
    }
}

/// Every hour of day, from 00:00-01:00 to 23:00-24:00.
pub type Hours = [Hour; 24];

/// The whole log summed over all hours.
pub fn total(hours: &Hours) -> Hour {
    hours.iter().fold(Hour::default(), |t, h| Hour {
        arrivals: t.arrivals + h.arrivals,
        abandoned: t.abandoned + h.abandoned,
        wait_s: t.wait_s + h.wait_s,
    })
}

/// What the log says, by hour of day of arrival.
pub fn observed(log: &BankLog) -> Hours {
    let mut hours = Hours::default();
    for c in &log.calls {
        let h = &mut hours[(c.arrival_s.rem_euclid(86_400) / 3600) as usize];
        h.arrivals += 1.0;
        h.abandoned += f64::from(u8::from(c.fate == Fate::Abandoned));
        h.wait_s += f64::from(c.wait_s);
    }
    hours
}

/// What a replay gave, by hour of day of arrival, averaged over replications. The scenario must start at
/// midnight and the run must keep conversation records; conversations still open when the run stopped count
/// their wait so far.
pub fn simulated(runs: &PolicyRuns) -> Hours {
    let mut hours = Hours::default();
    let reps = runs.replications.len().max(1) as f64;
    for r in &runs.replications {
        for c in &r.records {
            if c.outcome == Outcome::Refused {
                continue;
            }
            let h = &mut hours[((c.arrived_at.0 / 1_000) % 86_400 / 3600) as usize];
            h.arrivals += 1.0 / reps;
            h.abandoned += f64::from(u8::from(c.outcome == Outcome::Abandoned)) / reps;
            let left = c.assigned_at.unwrap_or(c.ended_at);
            h.wait_s += (left - c.arrived_at).as_secs_f64() / reps;
        }
    }
    hours
}
