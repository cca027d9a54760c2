//! Summaries over replications: a fixed-order sum, and means with Student-t confidence intervals.
//!
//! Each replication of a run gives one number per metric. Their mean estimates the metric; how much it could be
//! off is the half-width `t * s / sqrt(n)`, where `s` is the sample standard deviation of the `n` replications and
//! `t` the Student-t quantile with `n - 1` degrees of freedom. With few replications `t` is much larger than the
//! normal 1.96 (12.7 for two replications at 95%), which is why the interval is honest even when `n` is small.
//!
//! The Student-t quantile comes from its distribution function, `P(T > t) = I_x(df/2, 1/2) / 2` with
//! `x = df / (df + t^2)`, where `I` is the regularised incomplete beta function (evaluated by its continued
//! fraction, Numerical Recipes section 6.4), solved for `t` by bisection. For a million or more degrees of freedom
//! (and infinity) we use the normal quantile (Acklam's rational approximation, relative error below 1.2e-9) with
//! the Cornish-Fisher correction (Abramowitz and Stegun 26.7.5).
//!
//! Floating-point addition is not associative: `(a + b) + c` can differ from `a + (b + c)` in the last bits. So that
//! a result never depends on how many threads produced its parts, every sum here runs left to right over a slice
//! in the order given; callers keep that order fixed (by replication index, not by finishing time).

/// Degrees of freedom from which the Cornish-Fisher expansion replaces the exact inversion.
const LARGE_DF: f64 = 1e6;

/// Sum left to right in slice order: deterministic for a given order, which callers must keep fixed.
pub fn sum(values: &[f64]) -> f64 {
    values.iter().fold(0.0, |acc, x| acc + x)
}

/// Mean and Student-t confidence half-width (`confidence` such as 0.95); the half-width is `None` with fewer than
/// two samples, and the mean is NaN with none.
pub fn mean_ci(samples: &[f64], confidence: f64) -> (f64, Option<f64>) {
    let n = samples.len();
    if n == 0 {
        return (f64::NAN, None);
    }
    let mean = sum(samples) / n as f64;
    if n < 2 {
        return (mean, None);
    }
    let squares: Vec<f64> = samples.iter().map(|x| (x - mean) * (x - mean)).collect();
    let variance = sum(&squares) / (n - 1) as f64;
    let t = t_critical(confidence, (n - 1) as f64);
    (mean, Some(t * (variance / n as f64).sqrt()))
}

/// Two-sided critical value: the `t` with `P(|T| <= t) = confidence` for `df` degrees of freedom (may be infinite).
pub fn t_critical(confidence: f64, df: f64) -> f64 {
    student_t_quantile(0.5 + confidence / 2.0, df)
}

/// The `p`-quantile of Student's t with `df > 0` degrees of freedom (infinity gives the normal quantile).
/// `p` outside `(0, 1)` gives -infinity, infinity or NaN.
pub fn student_t_quantile(p: f64, df: f64) -> f64 {
    if p.is_nan() || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    if p < 0.5 {
        return -student_t_quantile(1.0 - p, df);
    }
    if p == 0.5 {
        return 0.0;
    }
    if df >= LARGE_DF {
        return cornish_fisher(normal_quantile(p), df);
    }
    let tail = 1.0 - p;
    let mut hi = 1.0;
    while upper_tail(hi, df) > tail && hi < 1e300 {
        hi *= 2.0;
    }
    let mut lo = 0.0;
    for _ in 0..2000 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if upper_tail(mid, df) > tail {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// Student's t distribution function `P(T <= t)` for `df > 0`; from a million degrees of freedom on (infinity
/// included) it uses a million, which is within 1e-6 of the normal distribution.
pub fn student_t_cdf(t: f64, df: f64) -> f64 {
    let df = df.min(LARGE_DF);
    if t >= 0.0 { 1.0 - upper_tail(t, df) } else { upper_tail(-t, df) }
}

/// `P(T > t)` for `t >= 0`, computed directly so small tails keep their precision.
fn upper_tail(t: f64, df: f64) -> f64 {
    0.5 * incomplete_beta(df / 2.0, 0.5, df / (df + t * t))
}

/// The standard normal `p`-quantile, by Acklam's rational approximation (relative error below 1.2e-9).
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969683028665376e+01,
        2.209460984245205e+02,
        -2.759285104469687e+02,
        1.38357751867269e+02,
        -3.066479806614716e+01,
        2.506628277459239e+00,
    ];
    const B: [f64; 5] = [
        -5.447609879822406e+01,
        1.615858368580409e+02,
        -1.556989798598866e+02,
        6.680131188771972e+01,
        -1.328068155288572e+01,
    ];
    const C: [f64; 6] = [
        -7.784894002430293e-03,
        -3.223964580411365e-01,
        -2.400758277161838e+00,
        -2.549732539343734e+00,
        4.374664141464968e+00,
        2.938163982698783e+00,
    ];
    const D: [f64; 4] = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
    const P_LOW: f64 = 0.02425;
    if p.is_nan() {
        return f64::NAN;
    }
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < P_LOW {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - P_LOW {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

/// Student-t quantile from the normal one, to fourth order in `1/df` (Abramowitz and Stegun 26.7.5).
fn cornish_fisher(z: f64, df: f64) -> f64 {
    if df.is_infinite() {
        return z;
    }
    let z2 = z * z;
    let g1 = (z2 + 1.0) * z / 4.0;
    let g2 = ((5.0 * z2 + 16.0) * z2 + 3.0) * z / 96.0;
    let g3 = (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) * z / 384.0;
    let g4 = ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2 - 945.0) * z / 92160.0;
    z + (g1 + (g2 + (g3 + g4 / df) / df) / df) / df
}

/// `ln Gamma(x)` for `x > 0`, by the Lanczos approximation (g = 7, nine terms; about 15 significant digits).
fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const COEF: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let series = COEF[1..].iter().enumerate().fold(COEF[0], |acc, (i, c)| acc + c / (x + (i + 1) as f64));
    let t = x + G + 0.5;
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + series.ln()
}

/// The regularised incomplete beta function `I_x(a, b)`.
fn incomplete_beta(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let front = (ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln()).exp();
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_fraction(a, b, x) / a
    } else {
        1.0 - front * beta_fraction(b, a, 1.0 - x) / b
    }
}

/// The continued fraction of the incomplete beta function, by the modified Lentz method.
fn beta_fraction(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let fix = |v: f64| if v.abs() < TINY { TINY } else { v };
    let mut c = 1.0;
    let mut d = 1.0 / fix(1.0 - (a + b) * x / (a + 1.0));
    let mut h = d;
    for m in 1..10_000 {
        let m = m as f64;
        let even = m * (b - m) * x / ((a + 2.0 * m - 1.0) * (a + 2.0 * m));
        d = 1.0 / fix(1.0 + even * d);
        c = fix(1.0 + even / c);
        h *= d * c;
        let odd = -(a + m) * (a + b + m) * x / ((a + 2.0 * m) * (a + 2.0 * m + 1.0));
        d = 1.0 / fix(1.0 + odd * d);
        c = fix(1.0 + odd / c);
        let step = d * c;
        h *= step;
        if (step - 1.0).abs() < 1e-15 {
            break;
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two-sided critical values from the standard table: (df, 95%, 99%).
    const TABLE: [(f64, f64, f64); 7] = [
        (1.0, 12.706, 63.657),
        (2.0, 4.303, 9.925),
        (4.0, 2.776, 4.604),
        (9.0, 2.262, 3.250),
        (29.0, 2.045, 2.756),
        (100.0, 1.984, 2.626),
        (f64::INFINITY, 1.960, 2.576),
    ];

    #[test]
    fn critical_values_match_the_table_to_three_decimals() {
        for (df, t95, t99) in TABLE {
            assert!((t_critical(0.95, df) - t95).abs() < 5e-4, "df {df}: {}", t_critical(0.95, df));
            assert!((t_critical(0.99, df) - t99).abs() < 5e-4, "df {df}: {}", t_critical(0.99, df));
        }
    }

    #[test]
    fn closed_forms_for_one_and_two_degrees_of_freedom() {
        for p in [0.6, 0.9, 0.975, 0.999] {
            let cauchy = (std::f64::consts::PI * (p - 0.5)).tan();
            assert!((student_t_quantile(p, 1.0) - cauchy).abs() < 1e-9 * cauchy.max(1.0));
            let two = (2.0 * p - 1.0) / (2.0 * p * (1.0 - p)).sqrt();
            assert!((student_t_quantile(p, 2.0) - two).abs() < 1e-9 * two.max(1.0));
        }
    }

    #[test]
    fn quantile_and_distribution_function_agree() {
        for df in [0.5, 1.0, 3.0, 7.5, 40.0, 1000.0] {
            for p in [0.01, 0.3, 0.5, 0.8, 0.995] {
                assert!((student_t_cdf(student_t_quantile(p, df), df) - p).abs() < 1e-10, "df {df}, p {p}");
            }
        }
    }

    #[test]
    fn cornish_fisher_agrees_with_the_exact_inversion_where_they_meet() {
        for p in [0.9, 0.975, 0.995] {
            let exact = student_t_quantile(p, 2e5);
            let expanded = cornish_fisher(normal_quantile(p), 2e5);
            assert!((exact - expanded).abs() < 1e-8, "{exact} vs {expanded}");
        }
        assert!((student_t_quantile(0.975, 1e6) - 1.959_966).abs() < 1e-5);
        assert!((student_t_cdf(1.959_963_985, f64::INFINITY) - 0.975).abs() < 1e-6);
    }

    #[test]
    fn normal_quantile_matches_known_values() {
        assert!((normal_quantile(0.975) - 1.959_963_984_540_054).abs() < 1e-8);
        assert!((normal_quantile(0.995) - 2.575_829_303_548_901).abs() < 1e-8);
        assert!((normal_quantile(0.01) + 2.326_347_874_040_841).abs() < 1e-8);
        assert_eq!(normal_quantile(0.5), 0.0);
    }

    #[test]
    fn mean_ci_uses_the_t_interval() {
        let (mean, half) = mean_ci(&[1.0, 2.0, 3.0, 4.0], 0.95);
        assert_eq!(mean, 2.5);
        let expected = 3.182_446 * (5.0f64 / 3.0 / 4.0).sqrt();
        assert!((half.unwrap() - expected).abs() < 1e-5, "{half:?} vs {expected}");
        assert_eq!(mean_ci(&[7.0], 0.95), (7.0, None));
        assert!(mean_ci(&[], 0.95).0.is_nan());
        assert_eq!(mean_ci(&[2.0, 2.0, 2.0], 0.99), (2.0, Some(0.0)));
    }

    #[test]
    fn the_sum_runs_left_to_right() {
        let values = [1e16, 1.0, -1e16, 1.0];
        assert_eq!(sum(&values), ((1e16 + 1.0) - 1e16) + 1.0);
        assert_eq!(sum(&[]), 0.0);
    }
}
