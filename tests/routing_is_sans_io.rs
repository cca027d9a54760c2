//! The routing core stays a pure state machine: no clock, no randomness, no I/O, no simulator.

use std::fs;
use std::path::Path;

#[test]
fn routing_uses_no_clock_randomness_io_or_other_chatcap_modules() {
    let forbidden = [
        "rand",
        "std::time",
        "std::fs",
        "std::io",
        "std::net",
        "std::thread",
        "crate::sim",
        "crate::scenario",
        "crate::metrics",
        "crate::report",
        "crate::commands",
        "crate::erlang",
        "Instant",
        "SystemTime",
    ];
    let mut files = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src/routing")];
    let mut checked = 0;
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for word in forbidden {
                let found = code.match_indices(word).any(|(i, _)| {
                    let before = code[..i].chars().next_back();
                    let after = code[i + word.len()..].chars().next();
                    !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
                        && !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
                });
                assert!(!found, "{}:{}: the routing core must not use `{word}`: {line}", path.display(), n + 1);
            }
        }
        checked += 1;
    }
    assert!(checked >= 10, "expected the routing core's files, read {checked}");
}
