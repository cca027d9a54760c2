//! A numeric chart axis with ticks chosen by the caller: day boundaries on a week, durations on a log scale,
//! category positions under bars.
//!
//! plotters' own `with_key_points` cannot wrap an `f64` axis and still take a label formatter, hence this small
//! coordinate type.

use std::ops::Range;

use plotters::coord::ranged1d::{KeyPointHint, NoDefaultFormatting, Ranged, ValueFormatter};

/// A linear or logarithmic axis over `lo..hi` with fixed tick positions.
#[derive(Debug, Clone)]
pub(super) struct Axis {
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

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let span = f64::from(limit.1 - limit.0);
        (f64::from(limit.0) + self.fraction(*value) * span).round() as i32
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
        assert!(log.map(&0.0, (0, 300)) < 0);
    }
}
