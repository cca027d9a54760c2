//! `chatcap route`'s driver over any bytes: every line is taken or refused with a message, never a panic, on a
//! set-up with two workstreams, a skill, overflow and offers (tests/fixtures/route/two-teams.toml).
#![no_main]

use chatcap::scenario::Scenario;
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::OnceLock;

const SETUP: &str = include_str!("../../tests/fixtures/route/two-teams.toml");

/// The set-up, loaded once: each input gets a fresh driver over it.
static SCENARIO: OnceLock<Scenario> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let scenario = SCENARIO.get_or_init(|| {
        chatcap::scenario::load_str(SETUP, Path::new("two-teams.toml"), &[]).expect("the set-up loads")
    });
    let mut driver = chatcap::route::Driver::for_policy(scenario, &scenario.policies[0]);
    let mut out = Vec::new();
    for line in data.split(|&b| b == b'\n') {
        let _ = driver.line(line, &mut out);
    }
});
