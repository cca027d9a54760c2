//! Durations as planners write them: `"90s"`, `"5m"`, `"2h"`, `"7d"`, `"1h30m"`, `"250ms"`, `"1.5h"`.

use crate::routing::Millis;

/// Parses a duration string into milliseconds; the error says what is wrong, for a message naming the key.
pub fn parse_duration(text: &str) -> Result<Millis, String> {
    let s = text.trim();
    if s.is_empty() {
        return Err("a duration cannot be empty; write for example \"90s\", \"5m\" or \"1h30m\"".into());
    }
    let mut total: f64 = 0.0;
    let mut rest = s;
    while !rest.is_empty() {
        let num_len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        if num_len == 0 {
            return Err(format!(
                "{text:?} is not a duration: expected a number before {rest:?} (e.g. \"90s\", \"1h30m\")"
            ));
        }
        let value: f64 = rest[..num_len]
            .parse()
            .map_err(|_| format!("{text:?} is not a duration: bad number {:?}", &rest[..num_len]))?;
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
            "" => {
                return Err(format!(
                    "{text:?} has no unit: write ms, s, m, h, d or w after the number (e.g. \"{value}s\")"
                ));
            }
            other => return Err(format!("{text:?} has an unknown unit {other:?}: use ms, s, m, h, d or w")),
        };
        total += value * scale;
    }
    if total > 1.0e15 {
        return Err(format!("{text:?} is absurdly long (over 30,000 years)"));
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
    }
}
