//! The trace, schedule and empirical-file readers: any bytes end in values or an input error naming the file.
#![no_main]

use chatcap::hours::{Origin, days_from_civil};
use chatcap::scenario::{MAX_AGENTS, read_numbers, read_schedule, read_trace};
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::OnceLock;

/// One file per fuzzing process, rewritten for every input.
fn file() -> &'static PathBuf {
    static FILE: OnceLock<PathBuf> = OnceLock::new();
    FILE.get_or_init(|| std::env::temp_dir().join(format!("chatcap-fuzz-data-{}.csv", std::process::id())))
}

fuzz_target!(|data: &[u8]| {
    let path = file();
    std::fs::write(path, data).expect("temp file");
    let origin = Origin::midnight(days_from_civil(2024, 1, 1));
    let input = |e: chatcap::Error| {
        assert!(matches!(e, chatcap::Error::Input(_)), "not an input error: {e}");
        assert!(e.to_string().contains("chatcap-fuzz-data-"), "the file is not named: {e}");
    };
    if let Err(e) = read_trace(path, origin, &[]) {
        input(e);
    }
    match read_schedule(path, origin, MAX_AGENTS) {
        Ok(steps) => assert!(steps.iter().all(|&(_, n)| n <= MAX_AGENTS)),
        Err(e) => input(e),
    }
    match read_numbers(path) {
        Ok(values) => assert!(!values.is_empty() && values.iter().all(|(_, v)| v.is_finite())),
        Err(e) => input(e),
    }
});
