//! Contact history: a contact log in any column layout turned into a chatcap trace, an inferred headcount and
//! per-interval history (`chatcap import`), the input of calibration (`chatcap calibrate`, `crate::calibrate`).
//!
//! - [`mapping`]: the TOML file saying which column means what.
//! - [`clock`]: dates and times in the log's own format.
//! - [`log`]: rows to contacts that reached the queue (the offered population and its rules).
//! - [`presence`]: agents' presence from service spells merged across short gaps.
//! - [`files`]: the folder written: `trace.csv`, `schedule.csv`, `history.csv`, `scenario.toml`.
//!
//! Contact types and priorities are kept in the trace (`type`, `priority` columns). With the mapping's
//! `[[priority_class]]`, each contact's class is its trace row's `workstream`, and `scenario.toml` has one
//! workstream and queue per class, the most urgent served first; types set patience in calibration.

pub mod clock;
pub mod files;
pub mod log;
pub mod mapping;
pub mod presence;

pub use files::{History, Observed, read_history, timestamp};
pub use log::{Contact, ContactLog, Counts, Fate};
pub use mapping::Mapping;
