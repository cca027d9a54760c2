//! Every policy of a run faces the same customers making the same choices: where the policies cannot differ,
//! their results must be identical, not merely close.

use chatcap::metrics::summary::{METRICS, metric_values};
use chatcap::scenario::load_str;
use chatcap::sim::run::{RunOptions, simulate};
use std::path::Path;

#[test]
fn policies_that_never_diverge_give_identical_results_even_with_patience_and_wrap_up() {
    // Nobody idles long enough to be disconnected or parked, and 50 agents mean nobody waits: live and
    // persistent behave alike. Patience (drawn only by live) and random wrap-ups must not shift other draws.
    let text = r#"name = "crn"
duration = "2d"
drain = "1d"
replications = 3
[arrivals]
rate = 20
[customer]
sessions = { dist = "geometric", mean = 2 }
messages = { dist = "geometric", mean = 3 }
think = { dist = "exponential", mean = "60s" }
away = { dist = "exponential", mean = "5m" }
patience = { dist = "exponential", mean = "4m" }
[agents]
count = 50
reply = { dist = "lognormal", mean = "20s", sd = "10s" }
wrap_up = { dist = "uniform", min = "10s", max = "40s" }
[[policy]]
name = "live"
mode = "live"
end_after_idle = "30d"
[[policy]]
name = "persistent"
mode = "persistent"
park_after_idle = "30d"
"#;
    let scenario = load_str(text, Path::new("crn.toml"), &[]).unwrap();
    let runs = simulate(&scenario, &RunOptions { jobs: 2, ..RunOptions::default() }).unwrap();
    for (live, persistent) in runs[0].replications.iter().zip(&runs[1].replications) {
        let a = metric_values(&live.measured, 1);
        let b = metric_values(&persistent.measured, 1);
        assert!(live.measured.conversations > 50);
        for (k, name) in METRICS.iter().enumerate() {
            assert_eq!(a[k], b[k], "{name} differs between policies that never diverge");
        }
    }
}

#[test]
fn drawing_online_times_does_not_shift_the_customers_other_draws() {
    // Customers who keep the chat open 30 days never miss a reply, but their online times are still drawn:
    // drawn from their own stream, they must leave everything else exactly as without `online`.
    let base = r#"name = "crn-online"
duration = "2d"
drain = "2d"
replications = 2
[arrivals]
rate = 30
[customer]
sessions = { dist = "geometric", mean = 2 }
messages = { dist = "geometric", mean = 3 }
think = { dist = "exponential", mean = "60s" }
away = { dist = "exponential", mean = "1h" }
[agents]
count = 4
capacity = 2
reply = { dist = "lognormal", mean = "40s", sd = "20s" }
[[policy]]
name = "persistent"
mode = "persistent"
park_after_idle = "5m"
"#;
    let with = base.replace("[agents]", "online = { dist = \"uniform\", min = \"30d\", max = \"31d\" }\n[agents]");
    let run = |text: &str| {
        let scenario = load_str(text, Path::new("crn-online.toml"), &[]).unwrap();
        let runs = simulate(&scenario, &RunOptions { jobs: 1, ..RunOptions::default() }).unwrap();
        runs[0].replications.iter().map(|r| metric_values(&r.measured, 2)).collect::<Vec<_>>()
    };
    let (without, with) = (run(base), run(&with));
    assert!(without[0][0].unwrap() > 50.0);
    for (a, b) in without.iter().zip(&with) {
        for (k, name) in METRICS.iter().enumerate() {
            assert_eq!(a[k], b[k], "{name} changed by drawing online times nobody reaches");
        }
    }
}
