//! The routing core stays a pure state machine: no clock, no randomness, no I/O, no simulator.
//!
//! Two rules over the text of `src/routing/`, so a new module of chatcap or a new dependency cannot slip in
//! unnoticed: every path into chatcap names the routing core itself (`crate::routing`, `super::`), never
//! another module; every other crate is on a short allow-list (the standard library's pure parts, a hasher,
//! the error derive). A denied word inside the allowed parts of std (`std::time`, `std::fs`, ...) is refused too.

use std::fs;
use std::path::Path;

/// Crates the routing core may name at the start of a path.
const ALLOWED_CRATES: [&str; 5] = ["std", "core", "alloc", "rustc_hash", "thiserror"];

/// Parts of the standard library that would bring a clock, the file system, the network or threads.
const FORBIDDEN_STD: [&str; 7] =
    ["std::time", "std::fs", "std::io", "std::net", "std::thread", "std::env", "std::process"];

/// The words a path may start with besides a crate or a module: the path keywords, the primitive types and the
/// lint tools of attributes (`#[allow(clippy::...)]`).
const PATH_STARTS: [&str; 22] = [
    "crate", "super", "self", "Self", "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128",
    "isize", "f32", "f64", "bool", "char", "clippy", "rustdoc",
];

/// Every `a::b` path in a line of code, as the identifier before the first `::` and the rest of the path.
fn paths(code: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let bytes = code.as_bytes();
    let is_ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut i = 0;
    while let Some(at) = code[i..].find("::") {
        let sep = i + at;
        let mut start = sep;
        while start > 0 && is_ident(bytes[start - 1]) {
            start -= 1;
        }
        // Only the head of a path: the identifier before `::` must not itself follow another `::`.
        let head_of_path = start < 2 || &code[start - 2..start] != "::";
        if start < sep && head_of_path {
            let mut end = sep + 2;
            while end < bytes.len() && (is_ident(bytes[end]) || code[end..].starts_with("::")) {
                end += if code[end..].starts_with("::") { 2 } else { 1 };
            }
            found.push((code[start..sep].to_string(), code[start..end].to_string()));
        }
        i = sep + 2;
    }
    found
}

/// The full paths a `use` item brings in, brace groups expanded: `std::{fs, io::Read}` gives `std::fs` and
/// `std::io::Read`.
fn use_paths(item: &str) -> Vec<String> {
    let item = item.trim().trim_end_matches(';').trim();
    let Some(open) = item.find('{') else { return vec![item.to_string()] };
    let prefix = &item[..open];
    let inner = &item[open + 1..item.rfind('}').unwrap_or(item.len())];
    // Split the group on the commas at its own depth.
    let (mut parts, mut depth, mut start) = (Vec::new(), 0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .filter(|p| !p.trim().is_empty())
        .flat_map(|p| use_paths(&format!("{prefix}{}", p.trim())))
        .map(|p| p.trim_end_matches("::self").to_string())
        .collect()
}

#[test]
fn use_groups_are_expanded() {
    assert_eq!(use_paths("std::{fs, io::{self, Read}};"), ["std::fs", "std::io", "std::io::Read"]);
    assert_eq!(use_paths("super::lane::QueueKey;"), ["super::lane::QueueKey"]);
}

#[test]
fn paths_are_read_from_a_line_of_code() {
    let found = paths("use crate::sim::engine; let x = super::Router::new(std::time::Instant::now());");
    let heads: Vec<&str> = found.iter().map(|(h, _)| h.as_str()).collect();
    assert_eq!(heads, ["crate", "super", "std"]);
    assert_eq!(found[0].1, "crate::sim::engine");
    assert_eq!(found[2].1, "std::time::Instant::now");
}

#[test]
fn routing_uses_no_clock_randomness_io_or_other_chatcap_modules() {
    let mut files = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src/routing")];
    let mut checked = 0;
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        // Names a `use` line brought in (`use std::fmt;` lets `fmt::Display` through): the `use` line itself is
        // checked like any other.
        let imported: Vec<&str> = text
            .lines()
            .filter(|l| l.trim_start().starts_with("use ") || l.trim_start().starts_with("pub use "))
            .filter_map(|l| l.rsplit_once("::").map(|(_, names)| names))
            .flat_map(|names| names.split(|c: char| !(c.is_alphanumeric() || c == '_')))
            .filter(|w| !w.is_empty())
            .collect();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            let place = format!("{}:{}", path.display(), n + 1);
            // A `use` line's groups are read whole: `use std::{fs, env};` names std::fs and std::env.
            let trimmed = code.trim_start().trim_start_matches("pub ").trim_start_matches("pub(crate) ");
            if let Some(item) = trimmed.strip_prefix("use ") {
                for path in use_paths(item) {
                    for denied in FORBIDDEN_STD {
                        assert!(
                            !(path == denied || path.starts_with(&format!("{denied}::"))),
                            "{place}: the routing core must not use `{denied}`: {line}"
                        );
                    }
                }
            }
            for (head, path) in paths(code) {
                if head == "crate" {
                    assert!(
                        path == "crate::routing" || path.starts_with("crate::routing::"),
                        "{place}: the routing core may use no other chatcap module: `{path}` in {line}"
                    );
                } else if head.starts_with(|c: char| c.is_ascii_lowercase()) && !PATH_STARTS.contains(&head.as_str()) {
                    // A lower-case head is a crate or a module of the core (`lane::Class`): a crate must be allowed.
                    assert!(
                        is_core_module(&head)
                            || ALLOWED_CRATES.contains(&head.as_str())
                            || imported.contains(&head.as_str()),
                        "{place}: the routing core may not use the crate `{head}` (allowed: {ALLOWED_CRATES:?}): {line}"
                    );
                }
                for denied in FORBIDDEN_STD {
                    assert!(
                        !(path == denied || path.starts_with(&format!("{denied}::"))),
                        "{place}: the routing core must not use `{denied}`: {line}"
                    );
                }
            }
            for word in ["Instant", "SystemTime"] {
                let found = code.match_indices(word).any(|(i, _)| {
                    let before = code[..i].chars().next_back();
                    let after = code[i + word.len()..].chars().next();
                    !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
                        && !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
                });
                assert!(!found, "{place}: the routing core must not use `{word}`: {line}");
            }
        }
        checked += 1;
    }
    assert!(checked >= 10, "expected the routing core's files, read {checked}");
}

/// Whether `head` is one of the core's own modules (a file or folder anywhere under `src/routing/`).
fn is_core_module(head: &str) -> bool {
    let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src/routing")];
    while let Some(dir) = dirs.pop() {
        if dir.join(format!("{head}.rs")).exists() || dir.join(head).is_dir() {
            return true;
        }
        dirs.extend(fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()));
    }
    false
}
