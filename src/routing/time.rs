//! Time as the router sees it: whole milliseconds since an origin the caller chooses.
//!
//! Integer time keeps every run reproducible (no floating-point drift in event order) and is fine-grained
//! enough for chat, where nothing meaningful happens faster than a millisecond.

use std::fmt;
use std::ops::{Add, AddAssign, Sub};

/// A point in time or a duration, in milliseconds. The router never reads a clock: callers pass this in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Millis(pub u64);

impl Millis {
    /// Zero: the origin, or an empty duration.
    pub const ZERO: Millis = Millis(0);
    /// The far future: a deadline that never comes.
    pub const NEVER: Millis = Millis(u64::MAX);
    /// One second.
    pub const SECOND: Millis = Millis(1_000);
    /// One minute.
    pub const MINUTE: Millis = Millis(60_000);
    /// One hour.
    pub const HOUR: Millis = Millis(3_600_000);
    /// One day.
    pub const DAY: Millis = Millis(86_400_000);
    /// One week.
    pub const WEEK: Millis = Millis(604_800_000);

    /// Whole seconds.
    pub const fn from_secs(s: u64) -> Millis {
        Millis(s * 1_000)
    }

    /// Whole minutes.
    pub const fn from_mins(m: u64) -> Millis {
        Millis(m * 60_000)
    }

    /// Whole hours.
    pub const fn from_hours(h: u64) -> Millis {
        Millis(h * 3_600_000)
    }

    /// Fractional seconds, rounded to the nearest millisecond; negative or NaN becomes zero.
    pub fn from_secs_f64(s: f64) -> Millis {
        let ms = (s * 1_000.0).round();
        if ms.is_nan() || ms <= 0.0 {
            Millis::ZERO
        } else if ms >= u64::MAX as f64 {
            Millis::NEVER
        } else {
            Millis(ms as u64)
        }
    }

    /// This duration in seconds, for reporting.
    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / 1_000.0
    }

    /// Addition that stops at [`Millis::NEVER`] instead of overflowing.
    pub fn saturating_add(self, other: Millis) -> Millis {
        Millis(self.0.saturating_add(other.0))
    }

    /// Subtraction that stops at zero.
    pub fn saturating_sub(self, other: Millis) -> Millis {
        Millis(self.0.saturating_sub(other.0))
    }
}

impl Add for Millis {
    type Output = Millis;
    fn add(self, other: Millis) -> Millis {
        self.saturating_add(other)
    }
}

impl AddAssign for Millis {
    fn add_assign(&mut self, other: Millis) {
        *self = *self + other;
    }
}

impl Sub for Millis {
    type Output = Millis;
    fn sub(self, other: Millis) -> Millis {
        self.saturating_sub(other)
    }
}

impl fmt::Display for Millis {
    /// Durations print the way scenario files write them: `1h30m`, `45s`, `250ms`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if *self == Millis::NEVER {
            return f.write_str("never");
        }
        let mut ms = self.0;
        if ms == 0 {
            return f.write_str("0s");
        }
        for (unit, len) in [("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1_000)] {
            if ms >= len {
                write!(f, "{}{}", ms / len, unit)?;
                ms %= len;
            }
        }
        if ms > 0 {
            write!(f, "{ms}ms")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_saturates_instead_of_wrapping() {
        assert_eq!(Millis(5) - Millis(9), Millis::ZERO);
        assert_eq!(Millis::NEVER + Millis(1), Millis::NEVER);
    }

    #[test]
    fn displays_like_a_scenario_duration() {
        assert_eq!(Millis::from_mins(90).to_string(), "1h30m");
        assert_eq!(Millis(45_250).to_string(), "45s250ms");
        assert_eq!(Millis::ZERO.to_string(), "0s");
        assert_eq!((Millis::DAY + Millis::SECOND).to_string(), "1d1s");
    }

    #[test]
    fn fractional_seconds_round_to_the_millisecond() {
        assert_eq!(Millis::from_secs_f64(1.2345), Millis(1_235));
        assert_eq!(Millis::from_secs_f64(-3.0), Millis::ZERO);
        assert_eq!(Millis::from_secs_f64(f64::NAN), Millis::ZERO);
    }
}
