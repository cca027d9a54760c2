//! The scenario loader with `--set` overrides: any text and any overrides end in a scenario or an input error,
//! and every scenario it accepts builds a routing core for each of its policies.
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
    match chatcap::scenario::load_str(text, Path::new("fuzz.toml"), &sets) {
        Err(e) => assert!(
            matches!(e, chatcap::Error::Scenario(_) | chatcap::Error::Input(_)),
            "not an input error: {e}"
        ),
        // Whatever the loader accepts, the routing core accepts too: building every policy's router must not panic.
        Ok(scenario) => {
            for policy in &scenario.policies {
                let plan = chatcap::sim::plan::Plan::new(&scenario, policy);
                let _ = plan.router(&scenario, policy);
            }
        }
    }
});
