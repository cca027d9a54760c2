//! Metrics: collectors during a run and summaries over replications.
//!
//! - [`collector`]: time-weighted levels, interval rows and outcomes of one run, in bounded memory.
//! - [`histogram`]: latency distributions in bounded memory, with quantiles accurate to under 1%.
//! - [`records`]: per-conversation records released in arrival order, holding only those out of order.
//! - [`summary`]: the output tables, reduced over replications in a fixed order.
//! - [`stats`]: Student-t confidence intervals over replications and a summation whose order is fixed.

pub mod collector;
pub mod histogram;
pub mod parts;
pub mod records;
pub mod stats;
pub mod summary;

pub use histogram::{Histogram, RELATIVE_ERROR};
pub use stats::{mean_ci, normal_quantile, student_t_cdf, student_t_quantile, sum, t_critical};
