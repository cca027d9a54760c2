//! What is wrong with a scenario, as a value: which file, where in it, which key, and what kind of problem.
//!
//! Every problem found while reading a scenario (its TOML, the `--set KEY=VALUE` overrides, the checks of each
//! key) is a [`ScenarioError`]. It renders as the one-line message planners read, `FILE:LINE: KEY: what is
//! wrong` or `FILE: --set KEY=VALUE: KEY: what is wrong`, but it is kept typed until then so that:
//! - callers change where an error came from without touching its text: the `sweep` and `staff` commands
//!   apply each `--vary` value as an override and then name it [`Place::Vary`]; a policy's `set` adds
//!   [`Context::PolicySet`];
//! - embedders match on the place, the key and the [`Problem`] instead of parsing a message.
//!
//! Data files a scenario names (traces, schedules, empirical samples) keep their own text errors; when one
//! is read for a key, it is wrapped as [`Problem::DataFile`], which renders `DATA-ERROR (read for FILE:LINE:
//! KEY)`.

use super::calendar::CalendarError;
use super::dist::DistError;
use super::duration::DurationError;
use super::overrides::OverrideError;
use crate::Error;
use crate::routing::Millis;
use std::fmt;
use std::path::PathBuf;

/// A problem in a scenario, located in its file or its overrides.
#[derive(Debug)]
pub struct ScenarioError {
    /// The scenario file, as the user named it.
    pub file: PathBuf,
    /// Where in the file, or which override.
    pub place: Place,
    /// The dotted key at fault (`agents.capacity`), when one is known.
    pub key: Option<String>,
    /// What is wrong.
    pub problem: Problem,
    /// What chatcap was doing when it found the problem, if it was more than reading the file.
    pub context: Option<Context>,
}

/// Where a problem is: a line of the file, an override from the command line, or the file as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// The file as a whole (no location known).
    File,
    /// A 1-based line of the file.
    Line(usize),
    /// A `--set KEY=VALUE` override; `text` is `KEY=VALUE` as given.
    Set {
        /// The override as given.
        text: String,
    },
    /// The same, but the override is a `--vary` value of a sweep or staffing point.
    Vary {
        /// The override as given (`KEY=VALUE` for one point of the grid).
        text: String,
    },
}

/// What chatcap was doing when it found the problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Context {
    /// Applying the `set` of the policy with this name to the file's routing set-up.
    PolicySet(String),
}

/// The kinds of wrong value a scenario can hold.
#[derive(Debug, thiserror::Error)]
pub enum Problem {
    /// A required key is absent; `example` shows how to write it.
    #[error("is required, for example {example}")]
    Missing {
        /// A line to copy, such as `rate = 60`.
        example: String,
    },
    /// A whole number below its minimum.
    #[error("must be a whole number >= {min}, got {got}")]
    TooSmall {
        /// The smallest allowed.
        min: i64,
        /// The value given.
        got: i64,
    },
    /// A whole number above its maximum.
    #[error("must be at most {max}, got {got}")]
    TooLarge {
        /// The largest allowed.
        max: i64,
        /// The value given.
        got: i64,
    },
    /// A number outside its range (or not finite); `expected` says the range in words.
    #[error("must be {expected}, got {got}")]
    OutOfRange {
        /// The range, such as `a fraction from 0 to 1`.
        expected: String,
        /// The value given.
        got: f64,
    },
    /// Text that is not a duration.
    #[error(transparent)]
    Duration(#[from] DurationError),
    /// A duration shorter than allowed.
    #[error("{}, got {got:?}", at_least(*min))]
    DurationTooShort {
        /// The shortest allowed (1 ms means "positive").
        min: Millis,
        /// The duration as written.
        got: String,
    },
    /// A duration longer than allowed.
    #[error("must be at most {max}, got {got:?}")]
    DurationTooLong {
        /// The longest allowed.
        max: Millis,
        /// The duration as written.
        got: String,
    },
    /// A word that is not one of the key's choices.
    #[error("unknown value {got:?}; expected one of {}", expected.join(", "))]
    UnknownValue {
        /// The word given.
        got: String,
        /// The words allowed.
        expected: Vec<String>,
    },
    /// A data file named by the key is a folder or a device.
    #[error("{} is not a file", path.display())]
    NotAFile {
        /// The path, relative to the working directory.
        path: PathBuf,
    },
    /// A data file named by the key cannot be read.
    #[error("cannot read {}: {reason}", path.display())]
    Unreadable {
        /// The path, relative to the working directory.
        path: PathBuf,
        /// What the operating system said.
        reason: std::io::Error,
    },
    /// A bad date, time of day, opening span or weekday.
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    /// Parameters no distribution has (a zero mean, a minimum above the maximum, no recorded values).
    #[error(transparent)]
    Dist(#[from] DistError),
    /// A `--set` (or a policy's `set`) that cannot be applied.
    #[error(transparent)]
    Override(#[from] OverrideError),
    /// A key the table does not have; `expected` lists the keys it has, `suggestion` the one probably meant.
    #[error(fmt = unknown_key)]
    UnknownKey {
        /// The key written.
        key: String,
        /// The keys the table takes.
        expected: Vec<String>,
        /// The expected key closest to the one written.
        suggestion: Option<String>,
    },
    /// `[policy]` written where `[[policy]]` is needed.
    #[error("write each policy as a [[policy]] table, with double brackets, even when there is only one")]
    PolicyNotArray,
    /// What the TOML reader said about a value of the wrong type, in plain words.
    #[error("{0}")]
    Toml(String),
    /// The text is not TOML; `near` is the offending text when it is short.
    #[error("invalid TOML{}: {message}", near.as_ref().map(|t| format!(" near `{t}`")).unwrap_or_default())]
    Syntax {
        /// The text at the error, if short and on one line.
        near: Option<String>,
        /// What the TOML reader said.
        message: String,
    },
    /// A data file named by the key is wrong; the text is the data file's own located message.
    #[error("{0}")]
    DataFile(String),
    /// Any other problem, in words.
    #[error("{0}")]
    Other(String),
}

impl ScenarioError {
    /// A problem with `key` at `place` of `file`.
    pub fn new(
        file: impl Into<PathBuf>,
        place: Place,
        key: Option<&str>,
        problem: impl Into<Problem>,
    ) -> ScenarioError {
        ScenarioError { file: file.into(), place, key: key.map(str::to_owned), problem: problem.into(), context: None }
    }

    /// Names `--vary` for an override that is not one of `sets`, the user's own `--set`s: the commands that
    /// vary a scenario add each point's values as overrides after `sets`.
    pub fn name_vary(&mut self, sets: &[String]) {
        if let Place::Set { text } = &self.place
            && !sets.contains(text)
        {
            self.place = Place::Vary { text: text.clone() };
        }
    }

    /// `FILE`, `FILE:LINE`, `FILE: --set KEY=VALUE` or `FILE: --vary KEY=VALUE`.
    fn location(&self) -> String {
        let file = self.file.display();
        match &self.place {
            Place::File => file.to_string(),
            Place::Line(line) => format!("{file}:{line}"),
            Place::Set { text } => format!("{file}: --set {text}"),
            Place::Vary { text } => format!("{file}: --vary {text}"),
        }
    }
}

/// [`ScenarioError::name_vary`] on a scenario error; any other error is returned as it is.
pub fn name_vary(err: Error, sets: &[String]) -> Error {
    match err {
        Error::Scenario(mut e) => {
            e.name_vary(sets);
            Error::Scenario(e)
        }
        other => other,
    }
}

impl From<ScenarioError> for Error {
    fn from(e: ScenarioError) -> Error {
        Error::Scenario(Box::new(e))
    }
}

impl From<String> for Problem {
    fn from(what: String) -> Problem {
        Problem::Other(what)
    }
}

impl From<&str> for Problem {
    fn from(what: &str) -> Problem {
        Problem::Other(what.to_string())
    }
}

impl fmt::Display for ScenarioError {
    /// `FILE:LINE: KEY: what is wrong`; a data file's own message comes first, `(read for FILE:LINE: KEY)` after.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let location = self.location();
        let key = self.key.as_deref().map(|k| format!(": {k}")).unwrap_or_default();
        match &self.problem {
            Problem::DataFile(what) => write!(f, "{what} (read for {location}{key})")?,
            problem => write!(f, "{location}{key}: {problem}")?,
        }
        match &self.context {
            Some(Context::PolicySet(name)) => write!(f, " (applying the set of policy {name})"),
            None => Ok(()),
        }
    }
}

impl std::error::Error for ScenarioError {}

/// The unknown-key message: the key, the expected keys worded as serde words them ("expected one of" a list),
/// then the suggestion.
fn unknown_key(key: &str, expected: &[String], suggestion: &Option<String>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    write!(f, "unknown key `{key}`, ")?;
    match expected {
        [] => write!(f, "there are no fields")?,
        [one] => write!(f, "expected `{one}`")?,
        [a, b] => write!(f, "expected `{a}` or `{b}`")?,
        many => write!(f, "expected one of {}", many.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", "))?,
    }
    match suggestion {
        Some(s) => write!(f, "; did you mean `{s}`?"),
        None => Ok(()),
    }
}

fn at_least(min: Millis) -> String {
    if min == Millis(1) { "must be positive".to_string() } else { format!("must be at least {min}") }
}
