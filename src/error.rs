//! Errors the library reports, split by whose fault they are: the user's input (exit code 2) or anything else.

use crate::scenario::ScenarioError;
use std::path::PathBuf;

/// Everything that can go wrong in chatcap.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The user's input is wrong: an unreadable scenario, a data file, a command-line value. Exit code 2.
    #[error("{0}")]
    Input(String),
    /// A scenario file or its overrides are wrong, kept typed (file, place, key, problem). Exit code 2.
    #[error(transparent)]
    Scenario(Box<ScenarioError>),
    /// Reading or writing a file failed for reasons other than bad content. Exit code 1.
    #[error("{path}: {source}")]
    Io {
        /// The file involved.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// Any other failure. Exit code 1.
    #[error("{0}")]
    Other(String),
}

impl Error {
    /// The process exit code this error maps to (2 for bad input, 1 otherwise).
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Input(_) | Error::Scenario(_) => 2,
            _ => 1,
        }
    }

    /// An I/O error about a path.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io { path: path.into(), source }
    }
}

/// Result with chatcap's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
