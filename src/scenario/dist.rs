//! Random durations and counts, ready to sample.
//!
//! Durations (reply, think, away, patience, wrap-up) and counts (sessions, messages) are drawn from the
//! distributions a planner names in the scenario. Each value here holds a prebuilt sampler, so drawing is a
//! few arithmetic operations. Lognormal and gamma are given by their mean and standard deviation, the figures
//! planners have, and converted to the usual parameters here. Empirical distributions replay recorded
//! values, each equally likely.

use crate::routing::Millis;
use rand::{Rng, RngExt};
use rand_distr::{Distribution, Exp, Gamma, Geometric, LogNormal};
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

/// Why parameters make no distribution.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DistError {
    /// A mean or standard deviation of zero.
    #[error("the {0} must be positive, got 0s")]
    NotPositive(&'static str),
    /// A uniform duration whose minimum is above its maximum.
    #[error("min ({min}) is larger than max ({max})")]
    MinAboveMax {
        /// The minimum given.
        min: Millis,
        /// The maximum given.
        max: Millis,
    },
    /// A uniform count whose minimum is above its maximum.
    #[error("min ({min}) is larger than max ({max})")]
    CountMinAboveMax {
        /// The minimum given.
        min: u32,
        /// The maximum given.
        max: u32,
    },
    /// An empirical file with no values.
    #[error("the file holds no values")]
    NoValues,
    /// An empirical duration below zero (or not finite).
    #[error("the file holds {0}, but durations cannot be negative")]
    Negative(f64),
    /// A geometric count whose mean is below 1.
    #[error("the mean must be a number of at least 1 (counts start at 1), got {0}")]
    CountMeanBelowOne(f64),
    /// The sampler refused the parameters (what the sampling library said).
    #[error("{0}")]
    Sampler(String),
}

/// A distribution of durations.
#[derive(Debug, Clone)]
pub enum Dist {
    /// Always the same value (may be zero).
    Constant {
        /// The value.
        value: Millis,
    },
    /// Exponential: memoryless, standard deviation equal to the mean.
    Exponential {
        /// The mean.
        mean: Millis,
        /// Sampler in seconds.
        sampler: Exp<f64>,
    },
    /// Lognormal with this mean and standard deviation: skewed, a long tail of slow cases.
    LogNormal {
        /// The mean.
        mean: Millis,
        /// The standard deviation.
        sd: Millis,
        /// Sampler in seconds.
        sampler: LogNormal<f64>,
    },
    /// Gamma with this mean and standard deviation.
    Gamma {
        /// The mean.
        mean: Millis,
        /// The standard deviation.
        sd: Millis,
        /// Sampler in seconds.
        sampler: Gamma<f64>,
    },
    /// Every value from `min` to `max` equally likely.
    Uniform {
        /// Smallest value.
        min: Millis,
        /// Largest value.
        max: Millis,
    },
    /// Recorded values, each equally likely.
    Empirical {
        /// The file the values came from.
        file: PathBuf,
        /// The values, in seconds.
        samples: Arc<[f64]>,
    },
}

impl Dist {
    /// A constant.
    pub fn constant(value: Millis) -> Dist {
        Dist::Constant { value }
    }

    /// An exponential with this mean (must be positive).
    pub fn exponential(mean: Millis) -> Result<Dist, DistError> {
        positive(mean, "mean")?;
        let sampler = Exp::new(1.0 / mean.as_secs_f64()).map_err(|e| DistError::Sampler(e.to_string()))?;
        Ok(Dist::Exponential { mean, sampler })
    }

    /// A lognormal with this mean and standard deviation (both positive).
    pub fn lognormal(mean: Millis, sd: Millis) -> Result<Dist, DistError> {
        positive(mean, "mean")?;
        positive(sd, "sd")?;
        let (m, s) = (mean.as_secs_f64(), sd.as_secs_f64());
        let sigma2 = (1.0 + (s / m).powi(2)).ln();
        let sampler =
            LogNormal::new(m.ln() - sigma2 / 2.0, sigma2.sqrt()).map_err(|e| DistError::Sampler(e.to_string()))?;
        Ok(Dist::LogNormal { mean, sd, sampler })
    }

    /// A gamma with this mean and standard deviation (both positive).
    pub fn gamma(mean: Millis, sd: Millis) -> Result<Dist, DistError> {
        positive(mean, "mean")?;
        positive(sd, "sd")?;
        let (m, s) = (mean.as_secs_f64(), sd.as_secs_f64());
        let sampler = Gamma::new((m / s).powi(2), s * s / m).map_err(|e| DistError::Sampler(e.to_string()))?;
        Ok(Dist::Gamma { mean, sd, sampler })
    }

    /// A uniform from `min` to `max` inclusive.
    pub fn uniform(min: Millis, max: Millis) -> Result<Dist, DistError> {
        if min > max {
            return Err(DistError::MinAboveMax { min, max });
        }
        Ok(Dist::Uniform { min, max })
    }

    /// Recorded values in seconds (at least one, none negative).
    pub fn empirical(file: PathBuf, samples: Vec<f64>) -> Result<Dist, DistError> {
        if samples.is_empty() {
            return Err(DistError::NoValues);
        }
        if let Some(bad) = samples.iter().find(|v| !v.is_finite() || **v < 0.0) {
            return Err(DistError::Negative(*bad));
        }
        Ok(Dist::Empirical { file, samples: samples.into() })
    }

    /// Draws one duration.
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> Millis {
        match self {
            Dist::Constant { value } => *value,
            Dist::Exponential { sampler, .. } => Millis::from_secs_f64(sampler.sample(rng)),
            Dist::LogNormal { sampler, .. } => Millis::from_secs_f64(sampler.sample(rng)),
            Dist::Gamma { sampler, .. } => Millis::from_secs_f64(sampler.sample(rng)),
            Dist::Uniform { min, max } => Millis(rng.random_range(min.0..=max.0)),
            Dist::Empirical { samples, .. } => Millis::from_secs_f64(samples[rng.random_range(0..samples.len())]),
        }
    }

    /// The mean duration.
    pub fn mean(&self) -> Millis {
        match self {
            Dist::Constant { value } => *value,
            Dist::Exponential { mean, .. } | Dist::LogNormal { mean, .. } | Dist::Gamma { mean, .. } => *mean,
            Dist::Uniform { min, max } => Millis(min.0 / 2 + max.0 / 2 + (min.0 % 2 + max.0 % 2) / 2),
            Dist::Empirical { samples, .. } => {
                Millis::from_secs_f64(samples.iter().sum::<f64>() / samples.len() as f64)
            }
        }
    }
}

impl fmt::Display for Dist {
    /// A short description: `lognormal mean 45s sd 25s`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Dist::Constant { value } => write!(f, "{value}"),
            Dist::Exponential { mean, .. } => write!(f, "exponential mean {mean}"),
            Dist::LogNormal { mean, sd, .. } => write!(f, "lognormal mean {mean} sd {sd}"),
            Dist::Gamma { mean, sd, .. } => write!(f, "gamma mean {mean} sd {sd}"),
            Dist::Uniform { min, max } => write!(f, "uniform {min} to {max}"),
            Dist::Empirical { file, samples } => {
                write!(f, "{} recorded values from {} (mean {})", samples.len(), file.display(), self.mean())
            }
        }
    }
}

/// A distribution of whole counts of at least 1 (sessions per conversation, messages per session).
#[derive(Debug, Clone)]
pub enum CountDist {
    /// Always the same count.
    Constant {
        /// The count.
        value: u32,
    },
    /// Geometric on 1, 2, 3, ...: each further one as likely as the mean implies.
    Geometric {
        /// The mean (at least 1).
        mean: f64,
        /// Sampler of the count minus one.
        sampler: Geometric,
    },
    /// Every count from `min` to `max` equally likely.
    Uniform {
        /// Smallest count.
        min: u32,
        /// Largest count.
        max: u32,
    },
    /// Recorded counts, each equally likely.
    Empirical {
        /// The file the counts came from.
        file: PathBuf,
        /// The counts.
        samples: Arc<[u32]>,
    },
}

impl CountDist {
    /// A constant count.
    pub fn constant(value: u32) -> CountDist {
        CountDist::Constant { value }
    }

    /// A geometric on 1, 2, ... with this mean (at least 1).
    pub fn geometric(mean: f64) -> Result<CountDist, DistError> {
        if !mean.is_finite() || mean < 1.0 {
            return Err(DistError::CountMeanBelowOne(mean));
        }
        let sampler = Geometric::new(1.0 / mean).map_err(|e| DistError::Sampler(e.to_string()))?;
        Ok(CountDist::Geometric { mean, sampler })
    }

    /// A uniform from `min` to `max` inclusive.
    pub fn uniform(min: u32, max: u32) -> Result<CountDist, DistError> {
        if min > max {
            return Err(DistError::CountMinAboveMax { min, max });
        }
        Ok(CountDist::Uniform { min, max })
    }

    /// Recorded counts (at least one value).
    pub fn empirical(file: PathBuf, samples: Vec<u32>) -> Result<CountDist, DistError> {
        if samples.is_empty() {
            return Err(DistError::NoValues);
        }
        Ok(CountDist::Empirical { file, samples: samples.into() })
    }

    /// Draws one count.
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> u32 {
        match self {
            CountDist::Constant { value } => *value,
            CountDist::Geometric { sampler, .. } => 1 + sampler.sample(rng).min(u64::from(u32::MAX - 1)) as u32,
            CountDist::Uniform { min, max } => rng.random_range(*min..=*max),
            CountDist::Empirical { samples, .. } => samples[rng.random_range(0..samples.len())],
        }
    }

    /// The mean count.
    pub fn mean(&self) -> f64 {
        match self {
            CountDist::Constant { value } => f64::from(*value),
            CountDist::Geometric { mean, .. } => *mean,
            CountDist::Uniform { min, max } => (f64::from(*min) + f64::from(*max)) / 2.0,
            CountDist::Empirical { samples, .. } => {
                samples.iter().map(|&v| f64::from(v)).sum::<f64>() / samples.len() as f64
            }
        }
    }
}

impl fmt::Display for CountDist {
    /// A short description: `geometric mean 2`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CountDist::Constant { value } => write!(f, "{value}"),
            CountDist::Geometric { mean, .. } => write!(f, "geometric mean {mean}"),
            CountDist::Uniform { min, max } => write!(f, "uniform {min} to {max}"),
            CountDist::Empirical { file, samples } => {
                write!(f, "{} recorded values from {} (mean {:.2})", samples.len(), file.display(), self.mean())
            }
        }
    }
}

fn positive(value: Millis, what: &'static str) -> Result<(), DistError> {
    if value == Millis::ZERO {
        return Err(DistError::NotPositive(what));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_pcg::Pcg64Mcg;

    /// Sample mean and its standard error over `n` draws.
    fn mean_and_se(n: usize, mut draw: impl FnMut() -> f64) -> (f64, f64) {
        let xs: Vec<f64> = (0..n).map(|_| draw()).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        (mean, (var / n as f64).sqrt())
    }

    fn assert_duration_mean(d: &Dist) {
        let mut rng = Pcg64Mcg::seed_from_u64(7);
        let (mean, se) = mean_and_se(200_000, || d.sample(&mut rng).as_secs_f64());
        let want = d.mean().as_secs_f64();
        assert!((mean - want).abs() <= 4.0 * se + 1e-3, "{d}: sample mean {mean}, want {want} (se {se})");
    }

    #[test]
    fn duration_sample_means_converge() {
        let s = Millis::from_secs;
        assert_duration_mean(&Dist::exponential(s(240)).unwrap());
        assert_duration_mean(&Dist::lognormal(s(45), s(25)).unwrap());
        assert_duration_mean(&Dist::lognormal(s(3 * 3600), s(5 * 3600)).unwrap());
        assert_duration_mean(&Dist::gamma(s(40), s(30)).unwrap());
        assert_duration_mean(&Dist::uniform(s(10), s(50)).unwrap());
        assert_duration_mean(&Dist::empirical("x".into(), vec![1.0, 2.0, 10.0]).unwrap());
        let mut rng = Pcg64Mcg::seed_from_u64(1);
        assert_eq!(Dist::constant(Millis::ZERO).sample(&mut rng), Millis::ZERO);
    }

    #[test]
    fn lognormal_has_the_configured_spread() {
        let d = Dist::lognormal(Millis::from_secs(45), Millis::from_secs(25)).unwrap();
        let mut rng = Pcg64Mcg::seed_from_u64(3);
        let xs: Vec<f64> = (0..200_000).map(|_| d.sample(&mut rng).as_secs_f64()).collect();
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        let sd = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / xs.len() as f64).sqrt();
        assert!((sd - 25.0).abs() < 0.5, "sd {sd}");
    }

    #[test]
    fn count_sample_means_converge() {
        for d in [
            CountDist::geometric(2.0).unwrap(),
            CountDist::geometric(1.0).unwrap(),
            CountDist::uniform(1, 6).unwrap(),
            CountDist::empirical("x".into(), vec![1, 1, 4]).unwrap(),
        ] {
            let mut rng = Pcg64Mcg::seed_from_u64(11);
            let (mean, se) = mean_and_se(200_000, || f64::from(d.sample(&mut rng)));
            assert!((mean - d.mean()).abs() <= 4.0 * se + 1e-9, "{d}: sample mean {mean}, want {}", d.mean());
        }
    }

    #[test]
    fn rejects_impossible_parameters() {
        assert_eq!(Dist::exponential(Millis::ZERO).unwrap_err(), DistError::NotPositive("mean"));
        assert_eq!(Dist::lognormal(Millis::from_secs(1), Millis::ZERO).unwrap_err(), DistError::NotPositive("sd"));
        assert!(Dist::gamma(Millis::ZERO, Millis::from_secs(1)).is_err());
        assert!(Dist::uniform(Millis::from_secs(2), Millis::from_secs(1)).is_err());
        assert!(Dist::empirical("x".into(), vec![]).is_err());
        assert!(Dist::empirical("x".into(), vec![-1.0]).is_err());
        assert!(CountDist::geometric(0.5).is_err());
        assert!(CountDist::uniform(3, 2).is_err());
    }
}
