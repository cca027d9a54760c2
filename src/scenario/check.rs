//! Small checks shared by the validation stage: required keys, whole numbers, durations and fractions,
//! each failing with a message that names the key and its line.

use super::error::Problem;
use super::parse_duration;
use super::raw::{At, DurationText};
use super::source::Source;
use crate::Result;
use crate::routing::Millis;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// Ten years: the longest duration, warm-up or drain chatcap accepts.
pub const TEN_YEARS: Millis = Millis(3_650 * Millis::DAY.0);

/// The validation context: where values came from, and the directory data files are relative to.
pub struct Checker<'s> {
    /// Locations for messages.
    pub src: &'s Source<'s>,
    /// Directory of the scenario file.
    pub dir: &'s Path,
}

impl Checker<'_> {
    /// The value of a required key, or an error at the enclosing table saying what to write.
    pub fn required<'r, T>(
        &self,
        v: &'r At<T>,
        table: &Range<usize>,
        key: &str,
        example: &str,
    ) -> Result<&'r Spanned<T>> {
        v.as_ref().ok_or_else(|| self.src.missing(table, key, example))
    }

    /// A whole number from `min` to `max`.
    pub fn whole(&self, v: &Spanned<i64>, key: &str, min: i64, max: i64) -> Result<i64> {
        let n = *v.get_ref();
        if n < min {
            return Err(self.src.error(&v.span(), key, Problem::TooSmall { min, got: n }));
        }
        if n > max {
            return Err(self.src.error(&v.span(), key, Problem::TooLarge { max, got: n }));
        }
        Ok(n)
    }

    /// An optional whole number from `min` to `max`, or a default.
    pub fn whole_or(&self, v: &At<i64>, key: &str, min: i64, max: i64, default: i64) -> Result<i64> {
        v.as_ref().map_or(Ok(default), |v| self.whole(v, key, min, max))
    }

    /// A number from `min` to `max` (inclusive), finite.
    pub fn number(&self, v: &Spanned<f64>, key: &str, min: f64, max: f64, expected: &str) -> Result<f64> {
        let x = *v.get_ref();
        if !x.is_finite() || x < min || x > max {
            return Err(self.src.error(&v.span(), key, Problem::OutOfRange { expected: expected.into(), got: x }));
        }
        Ok(x)
    }

    /// A duration from `min` to `max`.
    pub fn duration(&self, v: &Spanned<DurationText>, key: &str, min: Millis, max: Millis) -> Result<Millis> {
        let text = &v.get_ref().0;
        let d = parse_duration(text).map_err(|e| self.src.error(&v.span(), key, e))?;
        if d < min {
            return Err(self.src.error(&v.span(), key, Problem::DurationTooShort { min, got: text.clone() }));
        }
        if d > max {
            return Err(self.src.error(&v.span(), key, Problem::DurationTooLong { max, got: text.clone() }));
        }
        Ok(d)
    }

    /// An optional duration from `min` to `max`, or a default.
    pub fn duration_or(
        &self,
        v: &At<DurationText>,
        key: &str,
        min: Millis,
        max: Millis,
        default: Millis,
    ) -> Result<Millis> {
        v.as_ref().map_or(Ok(default), |v| self.duration(v, key, min, max))
    }

    /// One of a fixed set of words.
    pub fn choice<T: Copy>(&self, v: &Spanned<String>, key: &str, options: &[(&str, T)]) -> Result<T> {
        let word = v.get_ref().trim();
        options.iter().find(|(name, _)| *name == word).map(|(_, t)| *t).ok_or_else(|| {
            let expected = options.iter().map(|o| o.0.to_string()).collect();
            self.src.error(&v.span(), key, Problem::UnknownValue { got: word.to_string(), expected })
        })
    }

    /// A data file named at `v`, relative to the scenario; an error at the key if it cannot be read.
    pub fn data_file(&self, v: &Spanned<String>, key: &str) -> Result<PathBuf> {
        let path = self.dir.join(v.get_ref().trim());
        match std::fs::metadata(&path) {
            Ok(m) if m.is_file() => Ok(path),
            Ok(_) => Err(self.src.error(&v.span(), key, Problem::NotAFile { path })),
            Err(reason) => Err(self.src.error(&v.span(), key, Problem::Unreadable { path, reason })),
        }
    }
}
