//! A latency histogram with bounded relative error, in the style of HdrHistogram.
//!
//! Keeping every response time to sort later costs memory in proportion to the traffic. Instead we count values
//! in buckets whose width grows with the value: below 64 ms every millisecond has its own bucket; above, each
//! power-of-two range `[2^e, 2^(e+1))` is split into 64 equal buckets. A bucket is then never wider than 1/64 of its
//! lowest value, and reporting its middle is off by at most 1/128 of the true value (under 0.8%), for any value a
//! `u64` can hold, in 3,776 fixed buckets (30 KB). Finding a bucket is a count of leading zeros and a shift.
//!
//! The mean is exact (a running sum), and so are the minimum and maximum; quantiles are within [`RELATIVE_ERROR`].
//!
//! ```
//! use chatcap::metrics::Histogram;
//! use chatcap::routing::Millis;
//!
//! let mut h = Histogram::new();
//! for ms in 1..=10_000 {
//!     h.record(Millis(ms));
//! }
//! let p90 = h.quantile(0.9).unwrap().0 as f64;
//! assert!((p90 - 9_000.0).abs() <= 9_000.0 * chatcap::metrics::RELATIVE_ERROR);
//! ```

use std::fmt;

use crate::routing::Millis;

/// Bits of sub-bucket resolution: `2^SUB_BITS` buckets per power of two.
const SUB_BITS: u32 = 6;
/// Buckets per power of two.
const SUB: u64 = 1 << SUB_BITS;
/// Buckets needed to cover every `u64`.
const BUCKETS: usize = ((64 - SUB_BITS as usize) + 1) * SUB as usize;

/// Largest relative error of a reported quantile: half a bucket over the bucket's lowest value.
pub const RELATIVE_ERROR: f64 = 1.0 / (2 * SUB) as f64;

/// Counts of millisecond durations, for quantiles, means and CDFs without storing the samples.
#[derive(Clone, PartialEq, Eq)]
pub struct Histogram {
    counts: Box<[u64]>,
    count: u64,
    sum: u128,
    min: u64,
    max: u64,
}

/// The bucket holding `v`: the value itself below `2 SUB`, else the exponent and top `SUB_BITS + 1` bits.
fn index(v: u64) -> usize {
    let bits = 64 - v.leading_zeros();
    let shift = bits.saturating_sub(SUB_BITS + 1);
    ((shift as u64) * SUB + (v >> shift)) as usize
}

/// The lowest value and the width of bucket `i`.
fn bounds(i: usize) -> (u64, u64) {
    let i = i as u64;
    if i < SUB {
        return (i, 1);
    }
    let shift = i / SUB - 1;
    ((i % SUB + SUB) << shift, 1 << shift)
}

/// The value a bucket reports: its middle, rounded down.
fn representative(i: usize) -> u64 {
    let (lo, width) = bounds(i);
    lo + (width - 1) / 2
}

impl Default for Histogram {
    fn default() -> Histogram {
        Histogram::new()
    }
}

impl fmt::Debug for Histogram {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Histogram")
            .field("count", &self.count)
            .field("min", &self.min())
            .field("max", &self.max())
            .field("mean_ms", &self.mean())
            .finish()
    }
}

impl Histogram {
    /// An empty histogram; allocates its whole bucket array now so that recording never does.
    pub fn new() -> Histogram {
        Histogram { counts: vec![0; BUCKETS].into_boxed_slice(), count: 0, sum: 0, min: u64::MAX, max: 0 }
    }

    /// Count one duration.
    #[inline]
    pub fn record(&mut self, value: Millis) {
        self.record_n(value, 1);
    }

    /// Count the same duration `n` times.
    #[inline]
    pub fn record_n(&mut self, value: Millis, n: u64) {
        if n == 0 {
            return;
        }
        let v = value.0;
        self.counts[index(v)] += n;
        self.count += n;
        self.sum += v as u128 * n as u128;
        self.min = self.min.min(v);
        self.max = self.max.max(v);
    }

    /// Add another histogram's counts, as if its values had been recorded here.
    pub fn merge(&mut self, other: &Histogram) {
        for (mine, theirs) in self.counts.iter_mut().zip(other.counts.iter()) {
            *mine += theirs;
        }
        self.count += other.count;
        self.sum += other.sum;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
    }

    /// Number of values recorded.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Exact sum of the values, milliseconds.
    pub fn sum(&self) -> u128 {
        self.sum
    }

    /// Exact mean in milliseconds; `None` when empty.
    pub fn mean(&self) -> Option<f64> {
        (self.count > 0).then(|| self.sum as f64 / self.count as f64)
    }

    /// Exact mean in seconds, the unit of the output tables; `None` when empty.
    pub fn mean_secs(&self) -> Option<f64> {
        self.mean().map(|ms| ms / 1_000.0)
    }

    /// Exact smallest value; `None` when empty.
    pub fn min(&self) -> Option<Millis> {
        (self.count > 0).then_some(Millis(self.min))
    }

    /// Exact largest value; `None` when empty.
    pub fn max(&self) -> Option<Millis> {
        (self.count > 0).then_some(Millis(self.max))
    }

    /// The `q`-quantile (`q` in `[0, 1]`, clamped): the `ceil(q n)`-th smallest value within [`RELATIVE_ERROR`].
    /// `q = 0` and `q = 1` give the exact minimum and maximum; `None` when empty.
    pub fn quantile(&self, q: f64) -> Option<Millis> {
        if self.count == 0 {
            return None;
        }
        let q = if q.is_nan() { 0.0 } else { q.clamp(0.0, 1.0) };
        let rank = ((q * self.count as f64).ceil() as u64).clamp(1, self.count);
        let mut seen = 0;
        for (i, &c) in self.counts.iter().enumerate() {
            seen += c;
            if seen >= rank {
                return Some(Millis(representative(i).clamp(self.min, self.max)));
            }
        }
        Some(Millis(self.max))
    }

    /// Share of values at or below `value`, assuming values spread evenly inside the one bucket it splits;
    /// 0 when empty.
    pub fn fraction_at_or_below(&self, value: Millis) -> f64 {
        let v = value.0;
        if self.count == 0 || v < self.min {
            return 0.0;
        }
        if v >= self.max {
            return 1.0;
        }
        let i = index(v);
        let below: u64 = self.counts[..i].iter().sum();
        let (lo, width) = bounds(i);
        let inside = self.counts[i] as f64 * (v - lo + 1) as f64 / width as f64;
        ((below as f64 + inside) / self.count as f64).min(1.0)
    }

    /// At most `max_points` points `(seconds, share at or below)` of the empirical CDF, one per occupied bucket
    /// (thinned evenly when there are more), for plotting on a log axis: zero is placed at 1 ms.
    pub fn cdf_points(&self, max_points: usize) -> Vec<(f64, f64)> {
        if self.count == 0 || max_points == 0 {
            return Vec::new();
        }
        let mut points = Vec::new();
        let mut seen = 0;
        for (i, &c) in self.counts.iter().enumerate() {
            if c == 0 {
                continue;
            }
            seen += c;
            let (lo, width) = bounds(i);
            let top = (lo + (width - 1)).clamp(self.min, self.max).max(1);
            points.push((top as f64 / 1_000.0, seen as f64 / self.count as f64));
        }
        if points.len() <= max_points {
            return points;
        }
        if max_points == 1 {
            return vec![points[points.len() - 1]];
        }
        let last = points.len() - 1;
        (0..max_points).map(|k| points[(k * last + (max_points - 1) / 2) / (max_points - 1)]).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn from(values: &[u64]) -> Histogram {
        let mut h = Histogram::new();
        for &v in values {
            h.record(Millis(v));
        }
        h
    }

    /// The `ceil(q n)`-th smallest of a sorted sample: the order statistic [`Histogram::quantile`] estimates.
    fn exact_quantile(sorted: &[u64], q: f64) -> u64 {
        let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
        sorted[rank - 1]
    }

    fn within_bound(estimate: u64, exact: u64) -> bool {
        (estimate as f64 - exact as f64).abs() <= RELATIVE_ERROR * exact as f64
    }

    #[test]
    fn buckets_tile_the_whole_range() {
        assert_eq!(index(u64::MAX), BUCKETS - 1);
        for i in 0..BUCKETS - 1 {
            let (lo, width) = bounds(i);
            assert_eq!(bounds(i + 1).0, lo + width, "gap after bucket {i}");
            assert!(width == 1 || (width as f64) <= lo as f64 / SUB as f64);
        }
    }

    #[test]
    fn small_values_are_exact() {
        let h = from(&[0, 1, 2, 3, 63, 127]);
        assert_eq!(h.quantile(0.0), Some(Millis(0)));
        assert_eq!(h.quantile(0.5), Some(Millis(2)));
        assert_eq!(h.quantile(0.8), Some(Millis(63)));
        assert_eq!(h.quantile(1.0), Some(Millis(127)));
    }

    #[test]
    fn quantiles_of_a_known_sample_are_within_the_bound() {
        let values: Vec<u64> = (1..=100_000).collect();
        let h = from(&values);
        for q in [0.01, 0.1, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999] {
            let estimate = h.quantile(q).unwrap().0;
            let exact = exact_quantile(&values, q);
            assert!(within_bound(estimate, exact), "q {q}: {estimate} vs {exact}");
        }
        assert_eq!(h.mean(), Some(50_000.5));
        assert_eq!(h.mean_secs(), Some(50.0005));
        assert_eq!(h.count(), 100_000);
    }

    #[test]
    fn empty_histograms_have_no_quantiles() {
        let h = Histogram::new();
        assert!(h.is_empty());
        assert_eq!(h.quantile(0.5), None);
        assert_eq!(h.mean(), None);
        assert_eq!(h.fraction_at_or_below(Millis(5)), 0.0);
        assert!(h.cdf_points(10).is_empty());
    }

    #[test]
    fn merging_equals_recording_everything_in_one() {
        let a: Vec<u64> = (0..5_000).map(|i| i * 37 % 90_001).collect();
        let b: Vec<u64> = (0..3_000).map(|i| i * i).collect();
        let mut merged = from(&a);
        merged.merge(&from(&b));
        let all: Vec<u64> = a.iter().chain(&b).copied().collect();
        assert_eq!(merged, from(&all));
    }

    #[test]
    fn fraction_at_or_below_counts_the_values() {
        let h = from(&(1..=1000).collect::<Vec<_>>());
        assert_eq!(h.fraction_at_or_below(Millis(0)), 0.0);
        assert_eq!(h.fraction_at_or_below(Millis(50)), 0.05);
        assert!((h.fraction_at_or_below(Millis(600)) - 0.6).abs() < 0.005);
        assert_eq!(h.fraction_at_or_below(Millis(1000)), 1.0);
    }

    #[test]
    fn cdf_points_rise_to_one_within_the_budget() {
        let h = from(&(0..200_000).map(|i| i * 7).collect::<Vec<_>>());
        let points = h.cdf_points(50);
        assert_eq!(points.len(), 50);
        assert_eq!(points[0].0, 0.001);
        assert_eq!(points.last().unwrap(), &(1_399.993, 1.0));
        assert!(points.windows(2).all(|w| w[0].0 < w[1].0 && w[0].1 <= w[1].1));
        assert_eq!(h.cdf_points(1), vec![(1_399.993, 1.0)]);
    }

    proptest! {
        #[test]
        fn quantile_error_stays_within_the_bound(
            values in prop::collection::vec(prop_oneof![0u64..200, 0u64..10_000_000, any::<u64>()], 1..300),
            q in 0.0f64..=1.0,
        ) {
            let h = from(&values);
            let mut sorted = values.clone();
            sorted.sort_unstable();
            let estimate = h.quantile(q).unwrap().0;
            let exact = exact_quantile(&sorted, q);
            prop_assert!(within_bound(estimate, exact), "q {}: {} vs {}", q, estimate, exact);
        }

        #[test]
        fn every_value_lands_in_a_bucket_that_contains_it(v in any::<u64>()) {
            let (lo, width) = bounds(index(v));
            prop_assert!(lo <= v && v - lo < width);
        }
    }
}
