//! Dates and times as a log writes them, read with a small strftime-like format.
//!
//! Supported fields: `%Y` (4-digit year), `%y` (2-digit year: 50-99 are 1900s, 00-49 2000s), `%m`, `%d`, `%H`,
//! `%M`, `%S` (each one or two digits), `%%`; every other character must appear as written. A time of day
//! without a date is seconds after midnight; a date is a day number (days since 1970-01-01).

use crate::hours::{civil_from_days, days_from_civil};

/// One piece of a format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece {
    Year4,
    Year2,
    Month,
    Day,
    Hour,
    Minute,
    Second,
    Literal(char),
}

/// A parsed format such as `%Y-%m-%d %H:%M:%S`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeFormat {
    text: String,
    pieces: Vec<Piece>,
}

/// What one value gave: a day number if the format has a date, seconds after midnight if it has a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    /// Days since 1970-01-01.
    pub day: Option<i64>,
    /// Seconds after midnight (0 when the format has no time).
    pub tod: i64,
}

impl TimeFormat {
    /// Reads a format; errors say which field is unknown.
    pub fn parse(text: &str) -> Result<TimeFormat, String> {
        let mut pieces = Vec::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            if c != '%' {
                pieces.push(Piece::Literal(c));
                continue;
            }
            pieces.push(match chars.next() {
                Some('Y') => Piece::Year4,
                Some('y') => Piece::Year2,
                Some('m') => Piece::Month,
                Some('d') => Piece::Day,
                Some('H') => Piece::Hour,
                Some('M') => Piece::Minute,
                Some('S') => Piece::Second,
                Some('%') => Piece::Literal('%'),
                other => {
                    return Err(format!(
                        "{text:?}: unknown field %{} (use %Y %y %m %d %H %M %S)",
                        other.map(String::from).unwrap_or_default()
                    ));
                }
            });
        }
        if pieces.iter().all(|p| matches!(p, Piece::Literal(_))) {
            return Err(format!("{text:?} has no date or time field"));
        }
        Ok(TimeFormat { text: text.to_string(), pieces })
    }

    /// Whether the format has a date part.
    pub fn has_date(&self) -> bool {
        self.pieces.iter().any(|p| matches!(p, Piece::Year4 | Piece::Year2 | Piece::Month | Piece::Day))
    }

    /// Reads one value; `Err` says it does not match the format.
    pub fn read(&self, value: &str) -> Result<Stamp, String> {
        let bad = || format!("{value:?} does not match the format {:?}", self.text);
        let bytes = value.trim().as_bytes();
        let mut at = 0;
        let (mut year, mut month, mut day) = (None, None, None);
        let (mut h, mut m, mut s) = (0i64, 0i64, 0i64);
        for (k, piece) in self.pieces.iter().enumerate() {
            let max_digits = match piece {
                Piece::Literal(c) => {
                    let mut buf = [0u8; 4];
                    let lit = c.encode_utf8(&mut buf).as_bytes();
                    if !bytes[at..].starts_with(lit) {
                        return Err(bad());
                    }
                    at += lit.len();
                    continue;
                }
                Piece::Year4 => 4,
                _ => 2,
            };
            // A field followed by another field (e.g. %y%m%d) takes exactly its width; otherwise 1 or 2 digits.
            let fixed =
                matches!(self.pieces.get(k + 1), Some(p) if !matches!(p, Piece::Literal(_))) || *piece == Piece::Year4;
            let digits = bytes[at..].iter().take(max_digits).take_while(|b| b.is_ascii_digit()).count();
            if digits == 0 || (fixed && digits != max_digits) {
                return Err(bad());
            }
            let n: i64 = std::str::from_utf8(&bytes[at..at + digits]).map_err(|_| bad())?.parse().map_err(|_| bad())?;
            at += digits;
            match piece {
                Piece::Year4 => year = Some(n as i32),
                Piece::Year2 => year = Some(if n >= 50 { 1900 + n as i32 } else { 2000 + n as i32 }),
                Piece::Month => month = Some(n as u32),
                Piece::Day => day = Some(n as u32),
                Piece::Hour => h = n,
                Piece::Minute => m = n,
                Piece::Second => s = n,
                Piece::Literal(_) => {}
            }
        }
        if at != bytes.len() || h > 23 || m > 59 || s > 59 {
            return Err(bad());
        }
        let day = match (year, month, day) {
            (None, None, None) => None,
            (Some(y), Some(mo), Some(d)) => {
                let n = days_from_civil(y, mo, d);
                if civil_from_days(n) != (y, mo, d) {
                    return Err(format!("{value:?} is not a calendar date"));
                }
                Some(n)
            }
            _ => return Err(format!("the format {:?} needs year, month and day together", self.text)),
        };
        Ok(Stamp { day, tod: h * 3600 + m * 60 + s })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bank_dates_and_times_read() {
        let d = TimeFormat::parse("%y%m%d").unwrap();
        assert_eq!(d.read("990201").unwrap().day, Some(days_from_civil(1999, 2, 1)));
        assert!(d.read("991301").is_err(), "month 13");
        let t = TimeFormat::parse("%H:%M:%S").unwrap();
        assert_eq!(t.read("7:02:47").unwrap(), Stamp { day: None, tod: 7 * 3600 + 2 * 60 + 47 });
        assert!(t.read("24:00:00").is_err());
        assert!(t.read("7:02").is_err());
        let dt = TimeFormat::parse("%Y-%m-%d %H:%M:%S").unwrap();
        let s = dt.read("2024-01-01 08:30:00").unwrap();
        assert_eq!((s.day, s.tod), (Some(days_from_civil(2024, 1, 1)), 8 * 3600 + 1800));
        assert!(TimeFormat::parse("%Q").is_err());
    }
}
