//! The grid of a sweep: `--vary KEY=SPEC` flags expanded into every combination of values.
//!
//! A SPEC is a list `a,b,c` (numbers, durations or words, passed to the scenario as they are written), or a
//! range `lo..hi` (whole numbers, step 1) or `lo..hi:step` (numbers or durations such as `2m..10m:2m`; the
//! range includes `hi` when a step lands on it). The grid is the Cartesian product in flag order with the
//! *last* key varying fastest, and points are numbered from 0 in that order: the number every seed, shard and
//! merged row is keyed on.

use crate::routing::Millis;
use crate::scenario::parse_duration;
use crate::{Error, Result};

/// The most points one sweep may have: far beyond any sensible study, and a guard against a typo'd step.
pub const MAX_POINTS: usize = 100_000;

/// One `--vary` flag: a scenario key and the values it takes, as override text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vary {
    /// The dotted key path, as for `--set`.
    pub key: String,
    /// The values in order, each written as `--set` would take it.
    pub values: Vec<String>,
}

/// Parses one `--vary KEY=SPEC`; errors are [`Error::Input`] starting with `--vary` and the flag's text.
pub fn parse_vary(text: &str) -> Result<Vary> {
    let fail = |what: String| Error::Input(format!("--vary {text}: {what}"));
    let Some((key, spec)) = text.split_once('=') else {
        return Err(fail("expected KEY=SPEC, for example agents.count=20..30 or agents.capacity=1,2,3".into()));
    };
    let key = key.trim();
    if key.is_empty() || key.split('.').any(|s| s.trim().is_empty()) {
        return Err(fail(format!("{key:?} is not a key path; write for example agents.count=20..30")));
    }
    let spec = spec.trim();
    let values = if let Some((lo, rest)) = spec.split_once("..") {
        let (hi, step) = match rest.split_once(':') {
            Some((hi, step)) => (hi, Some(step)),
            None => (rest, None),
        };
        range(lo.trim(), hi.trim(), step.map(str::trim)).map_err(fail)?
    } else {
        let values: Vec<String> = spec.split(',').map(|v| v.trim().to_string()).collect();
        if values.iter().any(String::is_empty) {
            return Err(fail("empty value; write a list as a,b,c or a range as lo..hi or lo..hi:step".into()));
        }
        values
    };
    if values.len() > MAX_POINTS {
        return Err(fail(format!("{} values, more than the {MAX_POINTS} a sweep allows", values.len())));
    }
    Ok(Vary { key: key.to_string(), values })
}

/// The values of `lo..hi[:step]`, numbers or durations.
fn range(lo: &str, hi: &str, step: Option<&str>) -> std::result::Result<Vec<String>, String> {
    if let (Some(l), Some(h)) = (Decimal::parse(lo), Decimal::parse(hi)) {
        let s = match step {
            Some(s) => Some(Decimal::parse(s).ok_or_else(|| format!("step {s:?} is not a number, as lo and hi are"))?),
            None => None,
        };
        return decimal_range(l, h, s);
    }
    let numbers = (lo.parse::<f64>(), hi.parse::<f64>());
    if let (Ok(lo), Ok(hi)) = numbers {
        // Exponent notation (1e3): computed in floating point, shown in full (never cut to fewer digits).
        let step = match step {
            Some(s) => s.parse::<f64>().map_err(|_| format!("step {s:?} is not a number, as lo and hi are"))?,
            None if lo.fract() == 0.0 && hi.fract() == 0.0 => 1.0,
            None => return Err("a range of fractional numbers needs a step, as in 0.5..0.9:0.1".into()),
        };
        let values = steps(lo, hi, step)?;
        return Ok(values.into_iter().map(|v| format!("{v}")).collect());
    }
    let duration = |s: &str, what: &str| {
        parse_duration(s).map_err(|e| format!("{what} {s:?} is neither a number nor a duration ({e})"))
    };
    let (lo, hi) = (duration(lo, "lo")?, duration(hi, "hi")?);
    let Some(step) = step else {
        return Err("a range of durations needs a step, as in 2m..10m:2m".into());
    };
    let step = duration(step, "step")?;
    if step.0 == 0 {
        return Err(format!("the step must be positive, got {}", duration_text(step)));
    }
    if lo > hi {
        return Err("lo is greater than hi; write the range from low to high".into());
    }
    let count = (hi.0 - lo.0) / step.0 + 1;
    if count > MAX_POINTS as u64 {
        return Err(format!("{count} values, more than the {MAX_POINTS} a sweep allows; use a larger step"));
    }
    Ok((0..count).map(|i| duration_text(Millis(lo.0 + i * step.0))).collect())
}

/// A number as written in decimal (`-12`, `0.25`, `1000000000001`), held exactly as `units / 10^places`, so a
/// range of them keeps every digit the user wrote.
#[derive(Debug, Clone, Copy)]
struct Decimal {
    units: i128,
    places: u32,
}

impl Decimal {
    /// Plain decimal notation with at most 30 digits; anything else (exponents, `inf`) is `None`.
    fn parse(text: &str) -> Option<Decimal> {
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.strip_prefix('+').unwrap_or(text)),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() && fraction.is_empty() || !all_digits(whole) || !all_digits(fraction) {
            return None;
        }
        if whole.len() + fraction.len() > 30 {
            return None;
        }
        let units: i128 = format!("{whole}{fraction}").parse().ok()?;
        Some(Decimal { units: if negative { -units } else { units }, places: fraction.len() as u32 })
    }

    /// The units at `places` decimal places (`places >= self.places`).
    fn at(self, places: u32) -> Option<i128> {
        self.units.checked_mul(10i128.checked_pow(places - self.places)?)
    }
}

/// `units / 10^places` written out: `12`, `0.25`, `-1.5`, `0.10` keeps the places of the range.
fn decimal_text(units: i128, places: u32) -> String {
    if places == 0 {
        return units.to_string();
    }
    let sign = if units < 0 { "-" } else { "" };
    let digits = format!("{:0>width$}", units.unsigned_abs(), width = places as usize + 1);
    let (whole, fraction) = digits.split_at(digits.len() - places as usize);
    format!("{sign}{whole}.{fraction}")
}

/// `lo, lo + step, ...` up to `hi` included, in exact decimal arithmetic; whole numbers stay whole numbers.
fn decimal_range(lo: Decimal, hi: Decimal, step: Option<Decimal>) -> std::result::Result<Vec<String>, String> {
    // A range written backwards is said first: no step would help it.
    let both = lo.places.max(hi.places);
    if let (Some(l), Some(h)) = (lo.at(both), hi.at(both))
        && l > h
    {
        return Err("lo is greater than hi; write the range from low to high".into());
    }
    let step = match step {
        Some(s) => s,
        None if lo.places == 0 && hi.places == 0 => Decimal { units: 1, places: 0 },
        None => return Err("a range of fractional numbers needs a step, as in 0.5..0.9:0.1".into()),
    };
    let places = lo.places.max(hi.places).max(step.places);
    let too_long = || "lo, hi and step have too many digits for a range".to_string();
    let (l, h, s) = (lo.at(places).ok_or_else(too_long)?, hi.at(places).ok_or_else(too_long)?, step.at(places));
    let s = s.ok_or_else(too_long)?;
    if s <= 0 {
        return Err(format!("the step must be positive, got {}", decimal_text(step.units, step.places)));
    }
    if l > h {
        return Err("lo is greater than hi; write the range from low to high".into());
    }
    let count = (h - l) / s + 1;
    if count > MAX_POINTS as i128 {
        return Err(format!("{count} values, more than the {MAX_POINTS} a sweep allows; use a larger step"));
    }
    // Shown with no more places than the inputs need: 0.1..0.3:0.1 gives 0.1, 0.2, 0.3.
    Ok((0..count).map(|i| trim_places(&decimal_text(l + i * s, places))).collect())
}

/// `0.50` -> `0.5`, `2.0` -> `2`: trailing zeros of the fraction add nothing.
fn trim_places(text: &str) -> String {
    if !text.contains('.') {
        return text.to_string();
    }
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// `lo, lo + step, ...` up to `hi` (included within rounding), computed as `lo + i * step` so errors do not add up.
fn steps(lo: f64, hi: f64, step: f64) -> std::result::Result<Vec<f64>, String> {
    if !(lo.is_finite() && hi.is_finite() && step.is_finite()) {
        return Err("lo, hi and step must be finite".into());
    }
    if step <= 0.0 {
        return Err(format!("the step must be positive, got {}", crate::report::csv::format_number(step)));
    }
    if lo > hi {
        return Err("lo is greater than hi; write the range from low to high".into());
    }
    let count = ((hi - lo) / step + 1e-9).floor() + 1.0;
    if count > MAX_POINTS as f64 {
        return Err(format!("{count} values, more than the {MAX_POINTS} a sweep allows; use a larger step"));
    }
    Ok((0..count as usize).map(|i| lo + i as f64 * step).collect())
}

/// A duration as the scenario file would write it, in the largest unit that divides it: `2m`, `90s`, `1500ms`.
pub fn duration_text(d: Millis) -> String {
    for (unit, ms) in [("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1_000)] {
        if d.0 > 0 && d.0.is_multiple_of(ms) {
            return format!("{}{unit}", d.0 / ms);
        }
    }
    format!("{}ms", d.0)
}

/// The full grid of a sweep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grid {
    /// The varied keys in flag order.
    pub varies: Vec<Vary>,
}

impl Grid {
    /// A grid from parsed flags; refuses no flags, and a key given twice.
    pub fn new(varies: Vec<Vary>) -> Result<Grid> {
        if varies.is_empty() {
            return Err(Error::Input("--vary: give at least one, for example --vary agents.count=20..30".into()));
        }
        for (i, v) in varies.iter().enumerate() {
            if varies[..i].iter().any(|w| w.key == v.key) {
                return Err(Error::Input(format!("--vary {}: the key is varied twice", v.key)));
            }
        }
        let total = varies.iter().try_fold(1usize, |acc, v| acc.checked_mul(v.values.len()));
        match total {
            Some(n) if n <= MAX_POINTS => Ok(Grid { varies }),
            _ => Err(Error::Input(format!("--vary: the grid has more than {MAX_POINTS} points; vary fewer values"))),
        }
    }

    /// Parses every `--vary` flag into a grid.
    pub fn parse(flags: &[String]) -> Result<Grid> {
        Grid::new(flags.iter().map(|f| parse_vary(f)).collect::<Result<Vec<_>>>()?)
    }

    /// How many points the grid has.
    pub fn len(&self) -> usize {
        self.varies.iter().map(|v| v.values.len()).product()
    }

    /// Whether the grid has no point (never true for a grid built by [`Grid::new`]).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The values of point `index`, one per varied key, in key order (the last key varies fastest).
    pub fn point(&self, index: usize) -> Vec<&str> {
        let mut rest = index;
        let mut values = vec![""; self.varies.len()];
        for (k, v) in self.varies.iter().enumerate().rev() {
            values[k] = &v.values[rest % v.values.len()];
            rest /= v.values.len();
        }
        values
    }

    /// The `KEY=VALUE` overrides of point `index`.
    pub fn overrides(&self, index: usize) -> Vec<String> {
        self.varies.iter().zip(self.point(index)).map(|(v, value)| format!("{}={value}", v.key)).collect()
    }

    /// The varied keys, in order.
    pub fn keys(&self) -> Vec<String> {
        self.varies.iter().map(|v| v.key.clone()).collect()
    }
}

/// The seed of point `index` of a sweep with base seed `base`: a SplitMix64 mix of both, so neighbouring points
/// draw unrelated customers, and the same point always draws the same ones (whatever shard runs it). Cut to 63
/// bits so it is a valid scenario `seed`.
pub fn point_seed(base: u64, index: usize) -> u64 {
    let mix = |mut z: u64| {
        z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    mix(base ^ mix(index as u64 ^ 0x5357_4545_5000_0000)) >> 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<String> {
        parse_vary(text).unwrap().values
    }

    #[test]
    fn lists_ranges_and_durations() {
        assert_eq!(values("agents.count=20..23"), ["20", "21", "22", "23"]);
        assert_eq!(values("agents.count=20..30:5"), ["20", "25", "30"]);
        assert_eq!(values("agents.count=20..29:5"), ["20", "25"]);
        assert_eq!(values("customer.never_return=0.1..0.3:0.1"), ["0.1", "0.2", "0.3"]);
        assert_eq!(values("policy.p.park_after_idle=2m..10m:2m"), ["2m", "4m", "6m", "8m", "10m"]);
        assert_eq!(values("x=90s..3m:45s"), ["90s", "135s", "3m"]);
        assert_eq!(values("policy.p.assignment=round_robin, least_active"), ["round_robin", "least_active"]);
        assert_eq!(values("agents.count=7"), ["7"]);
        assert_eq!(values("x=0.05..0.2:0.05"), ["0.05", "0.1", "0.15", "0.2"]);
        assert_eq!(values("x=-1..1"), ["-1", "0", "1"]);
        assert_eq!(values("x=1e3..3e3:1e3"), ["1000", "2000", "3000"]);
    }

    #[test]
    fn ranges_keep_every_digit() {
        assert_eq!(values("seed=1000000000001..1000000000003"), ["1000000000001", "1000000000002", "1000000000003"]);
        assert_eq!(
            values("seed=9223372036854775805..9223372036854775807"),
            ["9223372036854775805", "9223372036854775806", "9223372036854775807"]
        );
        assert_eq!(
            values("x=0.123456789012345..0.123456789012347:0.000000000000001"),
            ["0.123456789012345", "0.123456789012346", "0.123456789012347"]
        );
    }

    #[test]
    fn bad_specs_name_the_flag() {
        for bad in [
            "agents.count",
            "=1,2",
            "a..b=1",
            "agents.count=1,,2",
            "agents.count=30..20",
            "agents.count=1..5:0",
            "agents.count=1..5:-1",
            "agents.count=0.5..0.9",
            "x=2m..10m",
            "x=2m..ten",
            "x=1..100000000",
        ] {
            let e = parse_vary(bad).unwrap_err();
            assert!(matches!(e, Error::Input(_)), "{bad}");
            assert!(e.to_string().starts_with("--vary "), "{bad}: {e}");
        }
    }

    #[test]
    fn a_range_written_backwards_says_so_even_without_a_step() {
        let e = parse_vary("agents.scale=1..0.5").unwrap_err().to_string();
        assert!(e.contains("lo is greater than hi"), "{e}");
    }

    #[test]
    fn points_enumerate_the_product_last_key_fastest() {
        let grid = Grid::parse(&["a=1,2".into(), "b=x,y,z".into()]).unwrap();
        assert_eq!(grid.len(), 6);
        assert_eq!(grid.point(0), ["1", "x"]);
        assert_eq!(grid.point(1), ["1", "y"]);
        assert_eq!(grid.point(3), ["2", "x"]);
        assert_eq!(grid.overrides(5), ["a=2", "b=z"]);
        assert!(Grid::parse(&["a=1".into(), "a=2".into()]).is_err());
        assert!(Grid::parse(&[]).is_err());
    }

    #[test]
    fn point_seeds_are_distinct_and_valid() {
        let seeds: Vec<u64> = (0..100).map(|i| point_seed(1, i)).collect();
        assert!(seeds.iter().all(|s| *s <= i64::MAX as u64));
        let mut sorted = seeds.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), seeds.len());
        assert_ne!(point_seed(1, 0), point_seed(2, 0));
    }
}
