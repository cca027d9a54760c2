//! Scenario files: TOML read into serde structs that mirror the file, then validated into a model (issue 3).

mod duration;

pub use duration::parse_duration;
