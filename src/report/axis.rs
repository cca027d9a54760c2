//! A numeric chart axis with ticks chosen by the caller: day boundaries on a week, durations on a log scale,
//! category positions under bars.
//!
//! plotters' own `with_key_points` cannot wrap an `f64` axis and still take a label formatter, hence this small
//! coordinate type. Public so the sweep charts (`crate::sweep`) tick their axes the same way.

use std::ops::Range;

use plotters::coord::ranged1d::{KeyPointHint, NoDefaultFormatting, Ranged, ValueFormatter};

/// Ticks that read as round durations (seconds, minutes, hours, days), spaced for a log axis.
const DURATION_TICKS: [f64; 19] = [
    0.01,
    0.1,
    1.0,
    2.0,
    5.0,
    10.0,
    30.0,
    60.0,
    120.0,
    300.0,
    600.0,
    1_800.0,
    3_600.0,
    7_200.0,
    21_600.0,
    86_400.0,
    259_200.0,
    604_800.0,
    2_592_000.0,
];

/// The unit a linear time axis is labelled in: every tick is a whole number of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeUnit {
    /// Seconds.
    Seconds,
    /// Minutes.
    Minutes,
    /// Hours.
    Hours,
    /// Days.
    Days,
}

impl TimeUnit {
    /// Seconds in one unit.
    pub fn seconds(self) -> f64 {
        match self {
            TimeUnit::Seconds => 1.0,
            TimeUnit::Minutes => 60.0,
            TimeUnit::Hours => 3_600.0,
            TimeUnit::Days => 86_400.0,
        }
    }

    /// The unit's symbol in labels.
    pub fn symbol(self) -> &'static str {
        match self {
            TimeUnit::Seconds => "s",
            TimeUnit::Minutes => "min",
            TimeUnit::Hours => "h",
            TimeUnit::Days => "d",
        }
    }

    /// `seconds` as a tick label in this unit: `45 min`, `6 h`.
    pub fn label(self, seconds: f64) -> String {
        format!("{} {}", tick_number(&(seconds / self.seconds())), self.symbol())
    }
}

/// Tick steps a reader counts in without arithmetic: whole seconds, minutes, hours or days that divide the next
/// unit evenly (a quarter hour, six hours, a week), with the unit each is labelled in.
const TIME_STEPS: [(f64, TimeUnit); 22] = [
    (1.0, TimeUnit::Seconds),
    (2.0, TimeUnit::Seconds),
    (5.0, TimeUnit::Seconds),
    (10.0, TimeUnit::Seconds),
    (15.0, TimeUnit::Seconds),
    (30.0, TimeUnit::Seconds),
    (60.0, TimeUnit::Minutes),
    (120.0, TimeUnit::Minutes),
    (300.0, TimeUnit::Minutes),
    (600.0, TimeUnit::Minutes),
    (900.0, TimeUnit::Minutes),
    (1_800.0, TimeUnit::Minutes),
    (3_600.0, TimeUnit::Hours),
    (7_200.0, TimeUnit::Hours),
    (10_800.0, TimeUnit::Hours),
    (21_600.0, TimeUnit::Hours),
    (43_200.0, TimeUnit::Hours),
    (86_400.0, TimeUnit::Days),
    (172_800.0, TimeUnit::Days),
    (604_800.0, TimeUnit::Days),
    (1_209_600.0, TimeUnit::Days),
    (2_592_000.0, TimeUnit::Days),
];

/// Ticks for a linear time axis over `lo..hi` seconds: the smallest round step of [`TIME_STEPS`] giving at most
/// `max_ticks` ticks, every tick a whole multiple of the step, and the unit they read in (`0, 15, 30, 45 min`,
/// `0, 6, 12, 18, 24 h`). Spans beyond the largest step count in days at a step of a round number of days.
pub fn time_ticks(lo: f64, hi: f64, max_ticks: usize) -> (Vec<f64>, TimeUnit) {
    let span = hi - lo;
    if !(span.is_finite() && span > 0.0) {
        return (vec![lo], TimeUnit::Seconds);
    }
    let max_ticks = max_ticks.max(2) as f64;
    let count = |step: f64| (hi / step).floor() - (lo / step).ceil() + 1.0;
    let (step, unit) = TIME_STEPS.iter().copied().find(|&(step, _)| count(step) <= max_ticks).unwrap_or_else(|| {
        let days = (span / 86_400.0 / (max_ticks - 1.0)).ceil();
        (super::chart_week::nice_ceiling(days) * 86_400.0, TimeUnit::Days)
    });
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    ((first..=last).map(|i| i as f64 * step).collect(), unit)
}

/// A tick label for a linear axis: whole numbers without decimals, others with up to two.
pub fn tick_number(v: &f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{:.0}", v.round())
    } else {
        let text = format!("{v:.2}");
        text.trim_end_matches('0').to_string()
    }
}

/// A linear or logarithmic axis over `lo..hi` with fixed tick positions.
#[derive(Debug, Clone)]
pub struct Axis {
    lo: f64,
    hi: f64,
    log: bool,
    ticks: Vec<f64>,
    light: Vec<f64>,
}

impl Axis {
    /// A linear axis with labelled `ticks`.
    pub fn linear(range: Range<f64>, ticks: Vec<f64>) -> Axis {
        Axis { lo: range.start, hi: range.end, log: false, ticks, light: Vec::new() }
    }

    /// A logarithmic axis (both ends must be positive) with labelled `ticks`.
    pub fn log(range: Range<f64>, ticks: Vec<f64>) -> Axis {
        Axis { lo: range.start, hi: range.end, log: true, ticks, light: Vec::new() }
    }

    /// A logarithmic axis in seconds over `lo..hi` widened to powers of ten, ticked at round durations.
    pub fn log_seconds(lo: f64, hi: f64) -> Axis {
        let lo = 10f64.powf(lo.max(0.001).log10().floor());
        let hi = 10f64.powf(hi.max(lo).log10().ceil()).max(lo * 10.0);
        Axis::log(lo..hi, DURATION_TICKS.iter().copied().filter(|t| (lo..=hi).contains(t)).collect())
    }

    /// The lower end of the axis.
    pub fn lo(&self) -> f64 {
        self.lo
    }

    /// The upper end of the axis.
    pub fn hi(&self) -> f64 {
        self.hi
    }

    /// Adds unlabelled grid lines at `light`.
    pub fn with_light(mut self, light: Vec<f64>) -> Axis {
        self.light = light;
        self
    }

    /// Where `v` falls between the ends, 0 at `lo` and 1 at `hi`.
    fn fraction(&self, v: f64) -> f64 {
        let (v, lo, hi) =
            if self.log { (v.max(f64::MIN_POSITIVE).ln(), self.lo.ln(), self.hi.ln()) } else { (v, self.lo, self.hi) };
        if hi == lo { 0.0 } else { (v - lo) / (hi - lo) }
    }
}

impl Ranged for Axis {
    type FormatOption = NoDefaultFormatting;
    type ValueType = f64;

    /// Values far outside the range (zero on a log axis) are pinned just beyond it, so no backend is asked to
    /// draw to a coordinate billions of pixels away.
    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let span = f64::from(limit.1 - limit.0);
        let fraction = self.fraction(*value).clamp(-0.5, 1.5);
        (f64::from(limit.0) + fraction * span).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() { self.light.clone() } else { self.ticks.clone() }
    }

    fn range(&self) -> Range<f64> {
        self.lo..self.hi
    }
}

impl ValueFormatter<f64> for Axis {
    fn format(value: &f64) -> String {
        format!("{value}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_linear_and_log() {
        let lin = Axis::linear(0.0..10.0, vec![]);
        assert_eq!(lin.map(&5.0, (0, 100)), 50);
        assert_eq!(lin.map(&5.0, (100, 0)), 50);
        let log = Axis::log(1.0..1000.0, vec![]);
        assert_eq!(log.map(&10.0, (0, 300)), 100);
        assert_eq!(log.map(&0.0, (0, 300)), -150);
        let secs = Axis::log_seconds(3.0, 5_000.0);
        assert_eq!((secs.lo(), secs.hi()), (1.0, 10_000.0));
        assert_eq!(secs.ticks.first(), Some(&1.0));
        assert_eq!(tick_number(&20.0), "20");
        assert_eq!(tick_number(&2.5), "2.5");
    }

    #[test]
    fn time_ticks_are_whole_units_for_every_span() {
        // Spans from a few seconds to two months, starting at zero and elsewhere.
        let spans = [7.0, 45.0, 100.0, 299.0, 600.0, 1_000.0, 3_000.0, 5_400.0, 20_000.0, 86_400.0, 3e5, 1e6, 5.2e6];
        for &span in &spans {
            for lo in [0.0, span * 0.37] {
                let hi = lo + span;
                let (ticks, unit) = time_ticks(lo, hi, 8);
                assert!((2..=8).contains(&ticks.len()), "{span}: {ticks:?}");
                assert!(ticks.iter().all(|t| (lo..=hi).contains(t)), "{span}: {ticks:?} outside {lo}..{hi}");
                let step = ticks[1] - ticks[0];
                assert!(step * ticks.len() as f64 >= span * 0.4, "{span}: step {step} leaves the axis bare");
                for t in &ticks {
                    let whole = t / unit.seconds();
                    assert!((whole - whole.round()).abs() < 1e-9, "{span}: {t} s is not whole {unit:?}");
                    assert!(!unit.label(*t).contains('.'), "{}", unit.label(*t));
                }
                // The unit fits the step: never thousands of seconds, never a fraction of the unit between ticks.
                assert!(step >= unit.seconds() && step / unit.seconds() <= 30.0, "{span}: {step} {unit:?}");
            }
        }
        assert_eq!(
            time_ticks(0.0, 3_000.0, 8),
            (vec![0.0, 600.0, 1_200.0, 1_800.0, 2_400.0, 3_000.0], TimeUnit::Minutes)
        );
        assert_eq!(time_ticks(0.0, 86_400.0, 8).0.len(), 5);
        assert_eq!(time_ticks(0.0, 86_400.0, 8).1, TimeUnit::Hours);
        assert_eq!(TimeUnit::Minutes.label(2_700.0), "45 min");
        assert_eq!(TimeUnit::Hours.label(21_600.0), "6 h");
    }
}
