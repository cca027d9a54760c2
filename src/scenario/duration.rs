//! Durations as planners write them: `"90s"`, `"5m"`, `"2h"`, `"7d"`, `"1h30m"`, `"250ms"`, `"1.5h"`.

use crate::routing::Millis;

/// Why a text is not a duration; each names the text as written.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DurationError {
    /// Nothing but spaces.
    #[error("a duration cannot be empty; write for example \"90s\", \"5m\" or \"1h30m\"")]
    Empty,
    /// A minus sign: a duration is a length of time, never negative.
    #[error("{text:?} is negative: a duration is a length of time, 0s or more (e.g. \"0s\", \"1d\")")]
    Negative {
        /// The duration as written.
        text: String,
    },
    /// A unit (or other text) where a number should be.
    #[error("{text:?} is not a duration: expected a number before {rest:?} (e.g. \"90s\", \"1h30m\")")]
    NoNumber {
        /// The duration as written.
        text: String,
        /// The part from where a number was expected.
        rest: String,
    },
    /// Digits and dots that are not a number (`1..2`).
    #[error("{text:?} is not a duration: bad number {number:?}")]
    BadNumber {
        /// The duration as written.
        text: String,
        /// The digits and dots read.
        number: String,
    },
    /// A number without a unit.
    #[error("{text:?} has no unit: write ms, s, m, h, d or w after the number (e.g. \"{value}s\")")]
    NoUnit {
        /// The duration as written.
        text: String,
        /// The number read.
        value: f64,
    },
    /// A unit other than ms, s, m, h, d or w.
    #[error("{text:?} has an unknown unit {unit:?}: use ms, s, m, h, d or w")]
    UnknownUnit {
        /// The duration as written.
        text: String,
        /// The unit read.
        unit: String,
    },
    /// Longer than any plan could mean.
    #[error("{text:?} is absurdly long (over 30,000 years)")]
    TooLong {
        /// The duration as written.
        text: String,
    },
}

/// Parses a duration string into milliseconds; the error says what is wrong, for a message naming the key.
pub fn parse_duration(text: &str) -> Result<Millis, DurationError> {
    let s = text.trim();
    if s.is_empty() {
        return Err(DurationError::Empty);
    }
    if s.starts_with('-') {
        return Err(DurationError::Negative { text: text.into() });
    }
    let mut total: f64 = 0.0;
    let mut rest = s;
    while !rest.is_empty() {
        let num_len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        if num_len == 0 {
            return Err(DurationError::NoNumber { text: text.into(), rest: rest.into() });
        }
        let value: f64 = rest[..num_len]
            .parse()
            .map_err(|_| DurationError::BadNumber { text: text.into(), number: rest[..num_len].into() })?;
        rest = &rest[num_len..];
        let unit_len = rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        let scale = match unit {
            "ms" => 1.0,
            "s" => 1_000.0,
            "m" => 60_000.0,
            "h" => 3_600_000.0,
            "d" => 86_400_000.0,
            "w" => 604_800_000.0,
            "" => return Err(DurationError::NoUnit { text: text.into(), value }),
            other => return Err(DurationError::UnknownUnit { text: text.into(), unit: other.into() }),
        };
        total += value * scale;
    }
    if total > 1.0e15 {
        return Err(DurationError::TooLong { text: text.into() });
    }
    Ok(Millis(total.round() as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_unit_and_combinations() {
        assert_eq!(parse_duration("90s"), Ok(Millis::from_secs(90)));
        assert_eq!(parse_duration("5m"), Ok(Millis::from_mins(5)));
        assert_eq!(parse_duration("2h"), Ok(Millis::from_hours(2)));
        assert_eq!(parse_duration("7d"), Ok(Millis::DAY.0.checked_mul(7).map(Millis).unwrap()));
        assert_eq!(parse_duration("1h30m"), Ok(Millis::from_mins(90)));
        assert_eq!(parse_duration("250ms"), Ok(Millis(250)));
        assert_eq!(parse_duration("1.5h"), Ok(Millis::from_mins(90)));
        assert_eq!(parse_duration("0s"), Ok(Millis::ZERO));
        assert_eq!(parse_duration("2w"), Ok(Millis(2 * Millis::WEEK.0)));
    }

    #[test]
    fn rejects_what_is_not_a_duration() {
        for bad in ["", "5", "m", "5 minutes", "-5s", "5x", "1..2s", "1e30d"] {
            assert!(parse_duration(bad).is_err(), "{bad:?} should be rejected");
        }
        assert_eq!(parse_duration("-1d"), Err(DurationError::Negative { text: "-1d".into() }));
        assert!(parse_duration(" -5s").unwrap_err().to_string().contains("is negative"));
    }
}
