//! When new customers arrive: a non-homogeneous Poisson process, or a recorded trace.
//!
//! The Poisson rate is piecewise constant: `per_hour x hourly[hour of day] x weekly[day of week]` on civil
//! hours. It is sampled exactly by inverting the cumulative intensity: draw an exponential amount of "expected
//! arrivals" and walk forward hour by hour, spending each hour's expected arrivals, until it is used up.

use super::seeds::Stream;
use crate::hours::{Origin, weekday_from_days};
use crate::routing::Millis;
use crate::scenario::{Arrivals, TraceRecord};
use rand::RngExt;

/// The next arrival, if any, with its trace record when replaying.
pub struct Arrival<'a> {
    /// When the customer arrives.
    pub at: Millis,
    /// The recorded values for this customer, when replaying a trace.
    pub record: Option<&'a TraceRecord>,
}

/// A source of arrivals up to a stop time.
pub enum ArrivalSource<'a> {
    /// Poisson arrivals with a weekly rate profile.
    Poisson {
        /// Arrivals per millisecond for each hour of the week, Monday 00:00 first.
        rate_per_ms: Box<[f64; 168]>,
        /// Civil anchor of time zero, to find the hour of the week.
        origin: Origin,
        /// Its own random stream.
        rng: Stream,
        /// The last arrival time, in milliseconds with their fractions.
        now: f64,
        /// The civil hour `now` is in: (its end, its rate), so most draws skip the calendar arithmetic.
        hour: (f64, f64),
    },
    /// Replayed arrivals.
    Trace {
        /// The records, sorted by arrival.
        records: &'a [TraceRecord],
        /// The next one to hand out.
        next: usize,
    },
}

impl<'a> ArrivalSource<'a> {
    /// A source for the scenario's arrivals, drawing from `rng` when random.
    pub fn new(arrivals: &'a Arrivals, origin: Origin, rng: Stream) -> ArrivalSource<'a> {
        match arrivals {
            Arrivals::Rate { per_hour, hourly, weekly } => {
                let mut rate_per_ms = Box::new([0.0; 168]);
                for (i, r) in rate_per_ms.iter_mut().enumerate() {
                    *r = per_hour * hourly[i % 24] * weekly[i / 24] / Millis::HOUR.0 as f64;
                }
                ArrivalSource::Poisson { rate_per_ms, origin, rng, now: 0.0, hour: (0.0, 0.0) }
            }
            Arrivals::Trace(records) => ArrivalSource::Trace { records, next: 0 },
        }
    }

    /// The next arrival strictly before `stop`, or `None` when there is none.
    pub fn next(&mut self, stop: Millis) -> Option<Arrival<'a>> {
        match self {
            ArrivalSource::Poisson { rate_per_ms, origin, rng, now, hour } => {
                let mut budget: f64 = -(1.0 - rng.random::<f64>()).ln();
                // The clock keeps fractions of a millisecond, so rounding never shortens the gaps on average.
                let mut t = *now;
                while t < stop.0 as f64 {
                    if t >= hour.0 {
                        let whole = Millis(t as u64);
                        let (day, ms) = origin.civil(whole);
                        let hour_of_week = weekday_from_days(day) * 24 + (ms / Millis::HOUR.0) as usize;
                        *hour = ((whole.0 + (Millis::HOUR.0 - ms % Millis::HOUR.0)) as f64, rate_per_ms[hour_of_week]);
                    }
                    let (segment_end, rate) = *hour;
                    let expected = rate * (segment_end - t);
                    if expected >= budget && rate > 0.0 {
                        *now = t + budget / rate;
                        let at = Millis(now.round() as u64);
                        return (at < stop).then_some(Arrival { at, record: None });
                    }
                    budget -= expected;
                    t = segment_end;
                }
                *now = stop.0 as f64;
                None
            }
            ArrivalSource::Trace { records, next } => {
                let record = records.get(*next).filter(|r| r.arrival < stop)?;
                *next += 1;
                Some(Arrival { at: record.arrival, record: Some(record) })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hours::days_from_civil;
    use crate::sim::seeds::{Purpose, stream};

    fn count(arrivals: &Arrivals, stop: Millis) -> Vec<Millis> {
        let origin = Origin::midnight(days_from_civil(2024, 1, 1));
        let mut source = ArrivalSource::new(arrivals, origin, stream(7, 0, 0, Purpose::Arrivals));
        std::iter::from_fn(|| source.next(stop).map(|a| a.at)).collect()
    }

    #[test]
    fn constant_rate_gives_the_expected_count_and_exponential_gaps() {
        let arrivals = Arrivals::Rate { per_hour: 120.0, hourly: [1.0; 24], weekly: [1.0; 7] };
        let times = count(&arrivals, Millis(7 * Millis::DAY.0));
        let expected = 120.0 * 168.0;
        // Poisson: standard deviation sqrt(expected); allow 4 of them.
        assert!((times.len() as f64 - expected).abs() < 4.0 * expected.sqrt(), "{} arrivals", times.len());
        assert!(times.windows(2).all(|w| w[0] <= w[1]));
        let mean_gap = times.windows(2).map(|w| (w[1].0 - w[0].0) as f64).sum::<f64>() / (times.len() - 1) as f64;
        assert!((mean_gap - 30_000.0).abs() < 4.0 * 30_000.0 / (times.len() as f64).sqrt());
    }

    #[test]
    fn hourly_and_weekly_factors_shape_the_rate() {
        let mut hourly = [0.0; 24];
        hourly[9] = 1.0;
        let mut weekly = [1.0; 7];
        weekly[6] = 0.0;
        let arrivals = Arrivals::Rate { per_hour: 600.0, hourly, weekly };
        let times = count(&arrivals, Millis(7 * Millis::DAY.0));
        assert!(times.iter().all(|t| (t.0 / Millis::HOUR.0) % 24 == 9), "only 09:00-10:00");
        assert!(times.iter().all(|t| t.0 / Millis::DAY.0 < 6), "nothing on Sunday");
        let expected = 600.0 * 6.0;
        assert!((times.len() as f64 - expected).abs() < 4.0 * expected.sqrt(), "{} arrivals", times.len());
    }

    #[test]
    fn very_high_rates_are_not_inflated_by_millisecond_rounding() {
        // 360,000 an hour is a gap of 10 ms on average: truncating each gap would add about 5%.
        let arrivals = Arrivals::Rate { per_hour: 360_000.0, hourly: [1.0; 24], weekly: [1.0; 7] };
        let n = count(&arrivals, Millis::HOUR).len() as f64;
        assert!((n - 360_000.0).abs() < 4.0 * 600.0, "{n} arrivals in an hour");
    }

    #[test]
    fn all_zero_rate_ends_without_looping_forever() {
        let arrivals = Arrivals::Rate { per_hour: 10.0, hourly: [0.0; 24], weekly: [1.0; 7] };
        assert!(count(&arrivals, Millis(30 * Millis::DAY.0)).is_empty());
    }

    #[test]
    fn trace_replays_records_before_the_stop() {
        let rec = |s: u64| TraceRecord {
            arrival: Millis::from_secs(s),
            handle: None,
            patience: None,
            sessions: None,
            messages: None,
            workstream: None,
        };
        let arrivals = Arrivals::Trace(vec![rec(1), rec(5), rec(9)]);
        assert_eq!(count(&arrivals, Millis::from_secs(9)), vec![Millis::from_secs(1), Millis::from_secs(5)]);
    }
}
