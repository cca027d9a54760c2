//! Sweeps: run a scenario over a grid of values of some of its keys, on one machine or many.
//!
//! - [`grid`]: `--vary KEY=SPEC` flags and the grid of points they span; each point's seed.
//! - [`shard`]: `--shard K/N|auto`, which points one machine runs.
//! - [`run`]: every (point, policy, replication) in parallel, reduced in a fixed order into `sweep.csv` rows
//!   and paired differences.
//! - [`output`], [`chart`], [`page`], [`manifest`]: the output folder, its charts, `report.html` and
//!   `sweep.toml`; [`verdict`]: the page's plain-language verdict.
//! - [`digest`]: the digests in `sweep.toml` of the resolved scenario and of each shard's rows.
//! - [`merge`]: shard folders joined into the folder one machine would have written.

pub mod chart;
pub mod digest;
pub mod grid;
pub mod manifest;
pub mod merge;
pub mod output;
pub mod page;
mod progress;
pub mod run;
pub mod shard;
pub mod verdict;

pub use grid::{Grid, Vary, parse_vary, point_seed};
pub use progress::{progress_bar, spinner};
pub use shard::Shard;
