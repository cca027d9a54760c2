//! Dates, times of day and opening hours as planners write them.
//!
//! - a date: `2024-12-25`;
//! - a timestamp: `2024-01-01T08:00:00` or `2024-01-01 08:00:00` (seconds optional, a date alone is midnight);
//! - a time of day: `08:00`, and `24:00` as the end of a day;
//! - a day's opening hours: `"08:00-20:00"`, a list `["08:00-12:00", "13:00-20:00"]`, or `"closed"`.
//!   A span may not cross midnight: write the part after midnight on the next day.

use crate::hours::{Origin, Span, civil_from_days, days_from_civil};

/// Weekday keys, Monday first, as written in `[hours]` and in shift `days`.
pub const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Why a date, time of day, opening span or set of weekdays cannot be read; each names the text as written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// Not in the form `YYYY-MM-DD`.
    #[error("{0:?} is not a date: write YYYY-MM-DD, for example \"2024-12-25\"")]
    NotADate(String),
    /// In the form, but no such day (`2024-02-30`).
    #[error("{0:?} is not a date of the calendar")]
    NoSuchDay(String),
    /// A timestamp whose date part is not a date.
    #[error("{0:?} is not a timestamp: write YYYY-MM-DD HH:MM:SS, for example \"2024-01-01 08:00:00\"")]
    NotATimestamp(String),
    /// A timestamp whose time of day is not `HH:MM[:SS]`.
    #[error("{text:?} has a bad time of day {time:?}: write HH:MM:SS, for example 08:30:00")]
    BadTimeOfDay {
        /// The timestamp as written.
        text: String,
        /// Its time-of-day part.
        time: String,
    },
    /// Not `HH:MM`.
    #[error("{0:?} is not a time of day: write HH:MM, for example \"08:30\"")]
    NotAClock(String),
    /// `24:00` at the start of a span.
    #[error("24:00 can only end a span")]
    MidnightStart,
    /// A day's list of spans is empty.
    #[error("an empty list: write \"closed\" or spans such as \"08:00-20:00\"")]
    NoSpans,
    /// An entry without `-` between two times.
    #[error("{0:?} is not an opening span: write \"HH:MM-HH:MM\" (e.g. \"08:00-20:00\") or \"closed\"")]
    NotASpan(String),
    /// A span that ends at or before its start.
    #[error(
        "{0:?} ends before it starts; spans may not cross midnight: end this day at \"24:00\" and open the next \
         day from \"00:00\""
    )]
    EndsBeforeStart(String),
    /// A name that is not a weekday.
    #[error("{0:?} is not a weekday: use mon, tue, wed, thu, fri, sat, sun")]
    NotAWeekday(String),
    /// A set of weekdays with none in it.
    #[error("no weekday given: write for example \"mon-fri\" or [\"sat\", \"sun\"]")]
    NoWeekday,
}

/// Day number (days since 1970-01-01) of a `YYYY-MM-DD` date.
pub fn parse_date(text: &str) -> Result<i64, CalendarError> {
    let bad = || CalendarError::NotADate(text.into());
    let parts: Vec<&str> = text.trim().split('-').collect();
    let [y, m, d] = parts[..] else { return Err(bad()) };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(bad());
    }
    let (y, m, d): (i32, u32, u32) = match (y.parse(), m.parse(), d.parse()) {
        (Ok(y), Ok(m), Ok(d)) => (y, m, d),
        _ => return Err(bad()),
    };
    let day = days_from_civil(y, m, d);
    if !(1..=12).contains(&m) || civil_from_days(day) != (y, m, d) {
        return Err(CalendarError::NoSuchDay(text.into()));
    }
    Ok(day)
}

/// [`timestamp`] with the problem in words, for readers of data files (traces, contact logs) whose errors are text.
pub fn parse_timestamp(text: &str) -> Result<Origin, String> {
    timestamp(text).map_err(|e| e.to_string())
}

/// A timestamp `YYYY-MM-DD[ T]HH:MM[:SS]` (or a bare date, meaning midnight) as an [`Origin`].
pub fn timestamp(text: &str) -> Result<Origin, CalendarError> {
    let t = text.trim();
    let (date, time) = match t.find(['T', ' ']) {
        Some(i) => (&t[..i], t[i + 1..].trim()),
        None => (t, "00:00:00"),
    };
    let day = parse_date(date).map_err(|_| CalendarError::NotATimestamp(text.into()))?;
    let bad = || CalendarError::BadTimeOfDay { text: text.into(), time: time.into() };
    let fields: Vec<&str> = time.split(':').collect();
    if !(2..=3).contains(&fields.len()) || fields.iter().any(|f| f.len() != 2) {
        return Err(bad());
    }
    let nums: Vec<u64> = fields.iter().map(|f| f.parse::<u64>()).collect::<Result<_, _>>().map_err(|_| bad())?;
    let (h, m, s) = (nums[0], nums[1], nums.get(2).copied().unwrap_or(0));
    if h > 23 || m > 59 || s > 59 {
        return Err(bad());
    }
    Ok(Origin { day, ms_of_day: ((h * 60 + m) * 60 + s) * 1_000 })
}

/// Minutes after midnight of `HH:MM` (`24:00` allowed when `end_of_day` is true).
pub fn parse_clock(text: &str, end_of_day: bool) -> Result<u32, CalendarError> {
    let bad = || CalendarError::NotAClock(text.into());
    let (h, m) = text.trim().split_once(':').ok_or_else(bad)?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return Err(bad());
    }
    let (h, m): (u32, u32) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if h == 24 && m == 0 && end_of_day {
        return Ok(1_440);
    }
    if h > 23 || m > 59 {
        return Err(if h == 24 { CalendarError::MidnightStart } else { bad() });
    }
    Ok(h * 60 + m)
}

/// One day's opening spans from its entries: `"closed"`, or spans `"HH:MM-HH:MM"` within the day.
pub fn parse_day_hours(entries: &[String]) -> Result<Vec<Span>, CalendarError> {
    if entries.len() == 1 && entries[0].trim().eq_ignore_ascii_case("closed") {
        return Ok(Vec::new());
    }
    if entries.is_empty() {
        return Err(CalendarError::NoSpans);
    }
    let mut spans = Vec::with_capacity(entries.len());
    for entry in entries {
        let (start, end) = entry.split_once('-').ok_or_else(|| CalendarError::NotASpan(entry.clone()))?;
        let start = parse_clock(start, false)?;
        let end = parse_clock(end, true)?;
        if end <= start {
            return Err(CalendarError::EndsBeforeStart(entry.clone()));
        }
        spans.push(Span { start, end });
    }
    Ok(spans)
}

/// A set of weekdays: `"mon-fri"`, `"sat,sun"`, `"daily"`, or a list `["mon", "wed"]`; Monday first.
pub fn parse_days(entries: &[String]) -> Result<[bool; 7], CalendarError> {
    let index = |name: &str| {
        WEEKDAYS
            .iter()
            .position(|d| d.eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| CalendarError::NotAWeekday(name.trim().into()))
    };
    let mut days = [false; 7];
    for entry in entries {
        for part in entry.split(',') {
            let part = part.trim();
            if part.eq_ignore_ascii_case("daily") || part.eq_ignore_ascii_case("all") {
                days = [true; 7];
            } else if let Some((from, to)) = part.split_once('-') {
                let (from, to) = (index(from)?, index(to)?);
                let mut d = from;
                loop {
                    days[d] = true;
                    if d == to {
                        break;
                    }
                    d = (d + 1) % 7;
                }
            } else {
                days[index(part)?] = true;
            }
        }
    }
    if !days.contains(&true) {
        return Err(CalendarError::NoWeekday);
    }
    Ok(days)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_timestamps() {
        assert_eq!(parse_date("2024-01-01"), Ok(19_723));
        assert!(parse_date("2024-02-30").is_err());
        assert!(parse_date("2024-1-01").is_err());
        assert!(parse_date("christmas").is_err());
        let o = timestamp("2024-01-02T08:30:15").unwrap();
        assert_eq!(o, Origin { day: 19_724, ms_of_day: (8 * 3600 + 30 * 60 + 15) * 1000 });
        assert_eq!(timestamp("2024-01-02 08:30:15"), Ok(o));
        assert_eq!(timestamp("2024-01-02").unwrap().ms_of_day, 0);
        assert!(matches!(timestamp("2024-01-02 25:00:00"), Err(CalendarError::BadTimeOfDay { .. })));
        assert!(matches!(timestamp("2024-01-02 8:00"), Err(CalendarError::BadTimeOfDay { .. })));
        assert_eq!(parse_date("2024-02-30"), Err(CalendarError::NoSuchDay("2024-02-30".into())));
        assert_eq!(
            parse_timestamp("christmas 08:00"),
            Err("\"christmas 08:00\" is not a timestamp: write YYYY-MM-DD HH:MM:SS, for example \"2024-01-01 08:00:00\""
                .into())
        );
    }

    #[test]
    fn opening_hours() {
        let s = |v: &[&str]| parse_day_hours(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(s(&["08:00-20:00"]), Ok(vec![Span { start: 480, end: 1200 }]));
        assert_eq!(s(&["closed"]), Ok(vec![]));
        assert_eq!(s(&["00:00-24:00"]), Ok(vec![Span { start: 0, end: 1440 }]));
        assert_eq!(s(&["08:00-12:00", "13:00-20:00"]).unwrap().len(), 2);
        assert_eq!(s(&["22:00-02:00"]), Err(CalendarError::EndsBeforeStart("22:00-02:00".into())));
        assert_eq!(s(&["24:00-24:00"]), Err(CalendarError::MidnightStart));
        assert!(s(&["24:00-24:00"]).is_err());
        assert!(s(&["8-20"]).is_err());
        assert!(s(&["08:00"]).is_err());
        assert!(s(&[]).is_err());
    }

    #[test]
    fn weekday_sets() {
        let d = |v: &str| parse_days(&[v.to_string()]);
        assert_eq!(d("mon-fri"), Ok([true, true, true, true, true, false, false]));
        assert_eq!(d("fri-mon"), Ok([true, false, false, false, true, true, true]));
        assert_eq!(d("sat,sun"), Ok([false, false, false, false, false, true, true]));
        assert_eq!(d("daily"), Ok([true; 7]));
        assert!(d("monday").is_err());
    }
}
