//! The scenario loader with `--set` overrides: any text and any overrides end in a scenario or an input error.
//!
//! The input is the scenario text, then one override per line after a NUL byte.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let (text, sets) = match data.iter().position(|&b| b == 0) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &[][..]),
    };
    let Ok(text) = std::str::from_utf8(text) else { return };
    let sets: Vec<String> = String::from_utf8_lossy(sets).lines().take(8).map(str::to_owned).collect();
    if let Err(e) = chatcap::scenario::load_str(text, Path::new("fuzz.toml"), &sets) {
        assert!(matches!(e, chatcap::Error::Input(_)), "not an input error: {e}");
    }
});
