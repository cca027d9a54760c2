//! Numbers for people: shares as percentages, times in seconds with a friendlier unit beside long ones, signed
//! differences. Shared by the HTML page, the verdict and the chart labels so they always agree.

/// A share (0..1) as a percentage with one decimal: `0.8412` -> `84.1%`.
pub fn percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

/// A difference of two shares in percentage points, signed: `0.031` -> `+3.1 points`.
pub fn points(diff: f64) -> String {
    format!("{} points", signed(diff * 100.0, 1))
}

/// A number with a sign (`+` for positive, `-` for negative, none for zero) and `decimals` decimals.
pub fn signed(v: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, v.abs());
    if text.trim_start_matches(['0', '.']).is_empty() {
        text
    } else if v > 0.0 {
        format!("+{text}")
    } else {
        format!("-{text}")
    }
}

/// Decimals that show a number of seconds to a sensible precision: tenths below 10 s, whole seconds above.
pub fn secs_decimals(s: f64) -> usize {
    if s.abs() < 10.0 { 1 } else { 0 }
}

/// Seconds with the unit, and minutes or hours beside long ones: `95.2` -> `95 s`, `5400` -> `5400 s (1.5 h)`.
pub fn secs(s: f64) -> String {
    let base = format!("{:.*} s", secs_decimals(s), s);
    match friendly(s) {
        Some(f) => format!("{base} ({f})"),
        None => base,
    }
}

/// Seconds with the unit and nothing else: `9040 s`.
pub fn secs_plain(s: f64) -> String {
    format!("{:.*} s", secs_decimals(s), s)
}

/// The shortest readable form: seconds below ten minutes, then minutes, hours or days: `74 s`, `2.3 h`.
pub fn short_secs(s: f64) -> String {
    friendly(s).unwrap_or_else(|| secs_plain(s))
}

/// A signed difference in seconds: `+35 s`, `-1200 s (20 min)`.
pub fn secs_diff(d: f64) -> String {
    let base = format!("{} s", signed(d, secs_decimals(d)));
    match friendly(d.abs()) {
        Some(f) => format!("{base} ({f})"),
        None => base,
    }
}

/// Minutes, hours or days for durations long enough that seconds stop meaning much to a reader.
fn friendly(s: f64) -> Option<String> {
    let s = s.abs();
    if s >= 2.0 * 86_400.0 {
        Some(format!("{:.1} d", s / 86_400.0))
    } else if s >= 2.0 * 3_600.0 {
        Some(format!("{:.1} h", s / 3_600.0))
    } else if s >= 600.0 {
        Some(format!("{:.0} min", s / 60.0))
    } else {
        None
    }
}

/// A duration for an axis tick: `30 s`, `2 min`, `1 h`, `3 d`, with no decimals unless needed.
pub fn tick_duration(s: f64) -> String {
    let (value, unit) = if s >= 86_400.0 {
        (s / 86_400.0, "d")
    } else if s >= 3_600.0 {
        (s / 3_600.0, "h")
    } else if s >= 60.0 {
        (s / 60.0, "min")
    } else {
        (s, "s")
    };
    let text = format!("{value:.1}");
    let text = text.strip_suffix(".0").unwrap_or(&text);
    format!("{text} {unit}")
}

/// Agent equivalents: two decimals below one agent, one above.
pub fn agents(v: f64) -> String {
    format!("{:.*}", agents_decimals(v), v)
}

/// Decimals used by [`agents`].
pub fn agents_decimals(v: f64) -> usize {
    if v.abs() < 1.0 { 2 } else { 1 }
}

/// A plain number for a table: integers without decimals, others with up to three significant decimals.
pub fn plain(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else if v.abs() >= 100.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.3}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_numbers() {
        assert_eq!(percent(0.8412), "84.1%");
        assert_eq!(points(0.031), "+3.1 points");
        assert_eq!(points(-0.0004), "0.0 points");
        assert_eq!(signed(-2.26, 1), "-2.3");
        assert_eq!(secs(95.2), "95 s");
        assert_eq!(secs(4.25), "4.2 s");
        assert_eq!(secs(5400.0), "5400 s (90 min)");
        assert_eq!(secs(9000.0), "9000 s (2.5 h)");
        assert_eq!(secs_diff(35.4), "+35 s");
        assert_eq!(short_secs(74.2), "74 s");
        assert_eq!(short_secs(8181.0), "2.3 h");
        assert_eq!(secs_diff(-1200.0), "-1200 s (20 min)");
        assert_eq!(tick_duration(30.0), "30 s");
        assert_eq!(tick_duration(90.0), "1.5 min");
        assert_eq!(tick_duration(3600.0), "1 h");
        assert_eq!(agents(4.234), "4.2");
        assert_eq!(agents(0.234), "0.23");
        assert_eq!(plain(1234.0), "1234");
    }
}
