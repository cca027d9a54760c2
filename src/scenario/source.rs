//! Where a value came from, for error messages: `FILE:LINE: KEY: what is wrong`.
//!
//! Values read from the scenario file carry their byte range in the file. Values set on the command line with
//! `--set KEY=VALUE` carry a made-up range just past the end of the file, one per override, so the same
//! error path can name `--set KEY=VALUE` instead of a line. Errors are [`ScenarioError`]s.

use super::error::{Place, Problem, ScenarioError};
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

    /// The line of a position in the file, or the override a made-up range stands for.
    pub fn place(&self, span: &Range<usize>) -> Place {
        match self.override_at(span) {
            Some(text) => Place::Set { text: text.to_string() },
            None => Place::Line(self.line(span.start)),
        }
    }

    /// The 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        let end = offset.min(self.text.len());
        1 + self.text.as_bytes()[..end].iter().filter(|&&b| b == b'\n').count()
    }

    /// An input error about `key`, located at `span`.
    pub fn error(&self, span: &Range<usize>, key: &str, problem: impl Into<Problem>) -> Error {
        ScenarioError::new(self.file, self.place(span), Some(key), problem).into()
    }

    /// An input error about a key that is missing from the table spanning `table`.
    pub fn missing(&self, table: &Range<usize>, key: &str, example: &str) -> Error {
        self.error(table, key, Problem::Missing { example: example.to_string() })
    }

    /// Turns an error of the TOML reader (syntax, wrong type, unknown key) into a located input error.
    pub fn toml_error(&self, root: Option<&DeTable<'_>>, err: &toml::de::Error) -> Error {
        let problem = plain_problem(err.message());
        let Some(span) = err.span() else {
            return ScenarioError::new(self.file, Place::File, None, problem).into();
        };
        if let Some(text) = self.override_at(&span) {
            let key = text.split('=').next().unwrap_or(text).trim();
            return ScenarioError::new(self.file, Place::Set { text: text.to_string() }, Some(key), problem).into();
        }
        match root.and_then(|root| key_at(root, "", span.start)) {
            Some(found) if found.path == "policy" && problem.to_string().contains("invalid type: map") => {
                self.error(&span, &found.path, Problem::PolicyNotArray)
            }
            Some(found) => self.error(&span, &found.path, problem),
            None => {
                let near = self.text.get(span.clone()).filter(|t| !t.is_empty() && t.len() <= 40 && !t.contains('\n'));
                let problem = Problem::Syntax { near: near.map(str::to_string), message: problem.to_string() };
                ScenarioError::new(self.file, self.place(&span), None, problem).into()
            }
        }
    }
}

/// The reader's message with its type names in words a planner knows; an unknown key is typed, with the key
/// probably meant.
fn plain_problem(message: &str) -> Problem {
    let plain = plain_words(message);
    let Some((key, expected)) = unknown_key(&plain) else { return Problem::Toml(plain) };
    let suggestion = expected
        .iter()
        .map(|k| (edit_distance(&key, k), k))
        .filter(|(d, _)| *d <= 2.max(key.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k.clone());
    if typed_text(&key, &expected) == plain {
        return Problem::UnknownKey { key, expected, suggestion };
    }
    // Worded otherwise than the typed form words it: the reader's own words, with the suggestion.
    match suggestion {
        Some(s) => Problem::Toml(format!("{plain}; did you mean `{s}`?")),
        None => Problem::Toml(plain),
    }
}

/// The typo and the expected keys of "unknown key `capcity`, expected one of `count`, `capacity`".
fn unknown_key(message: &str) -> Option<(String, Vec<String>)> {
    let rest = message.strip_prefix("unknown key `")?;
    let (typo, rest) = rest.split_once('`')?;
    Some((typo.to_string(), rest.split('`').skip(1).step_by(2).map(str::to_string).collect()))
}

/// How [`Problem::UnknownKey`] words this key and list, without a suggestion.
fn typed_text(key: &str, expected: &[String]) -> String {
    Problem::UnknownKey { key: key.to_string(), expected: expected.to_vec(), suggestion: None }.to_string()
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
        let p = plain_problem("unknown field `capcity`, expected one of `count`, `capacity`, `reply`");
        assert!(
            matches!(&p, Problem::UnknownKey { key, suggestion: Some(s), .. } if key == "capcity" && s == "capacity")
        );
        assert_eq!(
            p.to_string(),
            "unknown key `capcity`, expected one of `count`, `capacity`, `reply`; did you mean `capacity`?"
        );
        let p = plain_problem("unknown field `zzz`, expected one of `count`, `capacity`, `reply`");
        assert!(matches!(&p, Problem::UnknownKey { suggestion: None, .. }), "{p}");
        assert_eq!(p.to_string(), "unknown key `zzz`, expected one of `count`, `capacity`, `reply`");
        // Worded otherwise than serde words a list: kept as the reader's words, still with a suggestion.
        let p = plain_problem("unknown field `capcity`, expected one of `count`, `capacity`");
        assert!(matches!(&p, Problem::Toml(_)), "{p}");
        assert_eq!(
            p.to_string(),
            "unknown key `capcity`, expected one of `count`, `capacity`; did you mean `capacity`?"
        );
        for message in
            ["unknown field `zzzzzz`, expected `count`", "unknown field `zzzzzz`, expected `count` or `capacity`"]
        {
            let p = plain_problem(message);
            assert!(matches!(p, Problem::UnknownKey { .. }), "{message}");
            assert_eq!(p.to_string(), message.replace("field", "key"));
        }
        assert_eq!(
            plain_problem("invalid type: string \"x\", expected i64").to_string(),
            "invalid type: string \"x\", expected a whole number"
        );
    }
}
