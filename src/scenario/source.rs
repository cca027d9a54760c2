//! Where a value came from, for error messages: `FILE:LINE: KEY: what is wrong`.
//!
//! Values read from the scenario file carry their byte range in the file. Values set on the command line with
//! `--set KEY=VALUE` carry a made-up range just past the end of the file, one per override, so the same
//! error path can name `--set KEY=VALUE` instead of a line.

use crate::Error;
use std::ops::Range;
use std::path::Path;
use toml::de::{DeTable, DeValue};

/// The scenario text and the overrides applied to it, to turn byte ranges into readable locations.
pub struct Source<'a> {
    /// The scenario file, as the user named it.
    pub file: &'a Path,
    text: &'a str,
    overrides: &'a [String],
}

impl<'a> Source<'a> {
    /// A source for `text` read from `file`, with `--set` overrides.
    pub fn new(file: &'a Path, text: &'a str, overrides: &'a [String]) -> Source<'a> {
        Source { file, text, overrides }
    }

    /// The made-up range standing for override number `index`.
    pub fn override_span(&self, index: usize) -> Range<usize> {
        let at = self.text.len() + 1 + index;
        at..at
    }

    /// The override a range stands for, if it is one.
    pub fn override_at(&self, span: &Range<usize>) -> Option<&'a str> {
        let index = span.start.checked_sub(self.text.len() + 1)?;
        self.overrides.get(index).map(String::as_str)
    }

    /// `FILE:LINE` for a position in the file, `FILE: --set KEY=VALUE` for an override.
    pub fn place(&self, span: &Range<usize>) -> String {
        match self.override_at(span) {
            Some(text) => format!("{}: --set {}", self.file.display(), text),
            None => format!("{}:{}", self.file.display(), self.line(span.start)),
        }
    }

    /// The 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        let end = offset.min(self.text.len());
        1 + self.text.as_bytes()[..end].iter().filter(|&&b| b == b'\n').count()
    }

    /// An input error about `key`, located at `span`.
    pub fn error(&self, span: &Range<usize>, key: &str, what: impl std::fmt::Display) -> Error {
        Error::Input(format!("{}: {key}: {what}", self.place(span)))
    }

    /// An input error about a key that is missing from the table spanning `table`.
    pub fn missing(&self, table: &Range<usize>, key: &str, example: &str) -> Error {
        self.error(table, key, format!("is required, for example {example}"))
    }

    /// Turns an error of the TOML reader (syntax, wrong type, unknown key) into a located input error.
    pub fn toml_error(&self, root: Option<&DeTable<'_>>, err: &toml::de::Error) -> Error {
        let message = plain_message(err.message());
        let Some(span) = err.span() else {
            return Error::Input(format!("{}: {message}", self.file.display()));
        };
        if let Some(text) = self.override_at(&span) {
            let key = text.split('=').next().unwrap_or(text).trim();
            return Error::Input(format!("{}: --set {text}: {key}: {message}", self.file.display()));
        }
        match root.and_then(|root| key_at(root, "", span.start)) {
            Some(found) if found.path == "policy" && message.contains("invalid type: map") => self.error(
                &span,
                &found.path,
                "write each policy as a [[policy]] table, with double brackets, even when there is only one",
            ),
            Some(found) => self.error(&span, &found.path, message),
            None => {
                let near = self.text.get(span.clone()).filter(|t| !t.is_empty() && t.len() <= 40 && !t.contains('\n'));
                let near = near.map(|t| format!(" near `{t}`")).unwrap_or_default();
                Error::Input(format!("{}: invalid TOML{near}: {message}", self.place(&span)))
            }
        }
    }
}

/// Rewrites the reader's type names into words a planner knows, and suggests the key meant by a typo.
fn plain_message(message: &str) -> String {
    let plain = plain_words(message);
    match did_you_mean(&plain) {
        Some(key) => format!("{plain}; did you mean `{key}`?"),
        None => plain,
    }
}

/// For "unknown key `capcity`, expected one of `count`, `capacity`", the expected key closest to the typo.
fn did_you_mean(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("unknown key `")?;
    let (typo, rest) = rest.split_once('`')?;
    rest.split('`')
        .skip(1)
        .step_by(2)
        .map(|key| (edit_distance(typo, key), key))
        .filter(|(d, _)| *d <= 2.max(typo.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, key)| key)
}

/// Levenshtein distance between two short strings.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1).min(row[j] + 1).min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

fn plain_words(message: &str) -> String {
    let message = message.trim().replace("unknown field", "unknown key");
    let message = message.split('\n').next().unwrap_or_default().to_string();
    [
        ("expected i64", "expected a whole number"),
        ("expected f64", "expected a number"),
        ("expected a sequence", "expected a list in brackets [ ]"),
        ("expected a boolean", "expected true or false"),
    ]
    .iter()
    .fold(message, |m, (from, to)| m.replace(from, to))
    .split(", expected struct")
    .next()
    .map(|m| {
        if m.contains("invalid type") && !m.contains("expected") { format!("{m}, expected a table") } else { m.into() }
    })
    .unwrap_or_default()
}

/// A dotted key path found at a byte offset, with the size of the range that matched (smaller is closer).
struct Found {
    path: String,
    size: usize,
}

/// The innermost key whose name or value covers byte `pos`; array-of-table entries are named by their `name`.
fn key_at(table: &DeTable<'_>, prefix: &str, pos: usize) -> Option<Found> {
    let mut best: Option<Found> = None;
    for (key, value) in table.iter() {
        let path =
            if prefix.is_empty() { key.get_ref().to_string() } else { format!("{prefix}.{key}", key = key.get_ref()) };
        for span in [key.span(), value.span()] {
            if covers(&span, pos) {
                consider(&mut best, Found { path: path.clone(), size: span.len() });
            }
        }
        if let Some(found) = value_at(value.get_ref(), &path, pos) {
            consider(&mut best, found);
        }
    }
    best
}

fn value_at(value: &DeValue<'_>, path: &str, pos: usize) -> Option<Found> {
    match value {
        DeValue::Table(table) => key_at(table, path, pos),
        DeValue::Array(items) => {
            let mut best = None;
            for (i, item) in items.iter().enumerate() {
                let name = match item.get_ref() {
                    DeValue::Table(t) => t.get("name").and_then(|n| n.get_ref().as_str()).map(str::to_owned),
                    _ => None,
                };
                let item_path = match name {
                    Some(name) => format!("{path}.{name}"),
                    None if matches!(item.get_ref(), DeValue::Table(_)) => format!("{path}[{}]", i + 1),
                    None => path.to_string(),
                };
                if covers(&item.span(), pos) {
                    consider(&mut best, Found { path: item_path.clone(), size: item.span().len() });
                }
                if let Some(found) = value_at(item.get_ref(), &item_path, pos) {
                    consider(&mut best, found);
                }
            }
            best
        }
        _ => None,
    }
}

fn covers(span: &Range<usize>, pos: usize) -> bool {
    span.start <= pos && (pos < span.end || pos == span.start)
}

fn consider(best: &mut Option<Found>, found: Found) {
    let better = match best {
        None => true,
        Some(b) => found.size < b.size || (found.size == b.size && found.path.len() > b.path.len()),
    };
    if better {
        *best = Some(found);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_get_a_suggestion() {
        let m = plain_message("unknown field `capcity`, expected one of `count`, `capacity`, `reply`");
        assert!(m.ends_with("did you mean `capacity`?"), "{m}");
        let m = plain_message("unknown field `zzz`, expected one of `count`, `capacity`");
        assert!(!m.contains("did you mean"), "{m}");
        assert_eq!(
            plain_message("invalid type: string \"x\", expected i64"),
            "invalid type: string \"x\", expected a whole number"
        );
    }
}
