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
}
