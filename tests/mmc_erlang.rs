//! `scenarios/mmc.toml` reduces chat to an M/M/c queue, so the simulator must agree with Erlang C.
//!
//! The tolerance is the run's own 99% confidence interval over replications: if the simulator were biased by
//! more than its own noise, this fails.

use chatcap::erlang::erlang_c;
use chatcap::metrics::summary::{METRICS, metric_values};
use chatcap::metrics::{mean_ci, sum};
use chatcap::scenario::{Arrivals, load};
use chatcap::sim::run::{RunOptions, simulate};
use std::path::Path;

fn column(name: &str) -> usize {
    METRICS.iter().position(|m| *m == name).expect("known metric")
}

#[test]
fn mmc_scenario_matches_erlang_c_within_its_99_percent_interval() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/mmc.toml");
    let scenario = load(&path, &["replications=20".into()]).expect("shipped scenario loads");
    let Arrivals::Rate { per_hour, .. } = scenario.arrivals else { panic!("mmc uses a rate") };
    let aht_s = scenario.agents.reply.mean().as_secs_f64();
    let agents = match scenario.agents.staffing.roster {
        chatcap::scenario::Roster::Count(n) => n,
        _ => panic!("mmc uses a constant headcount"),
    };
    let theory = erlang_c(per_hour / 3600.0, aht_s, agents);

    let runs = simulate(&scenario, &RunOptions { jobs: 0, ..RunOptions::default() }).expect("runs");
    let per_rep: Vec<[Option<f64>; METRICS.len()]> =
        runs[0].replications.iter().map(|r| metric_values(&r.measured, scenario.agents.capacity)).collect();
    let values = |name: &str| -> Vec<f64> { per_rep.iter().map(|v| v[column(name)].expect("defined")).collect() };

    for (name, expected) in [
        ("wait_probability", theory.wait_probability),
        ("queue_wait_mean_s", theory.mean_wait_s),
        ("service_level", theory.service_level(scenario.service_level.as_secs_f64())),
        ("occupancy", theory.occupancy),
    ] {
        let v = values(name);
        let (mean, half) = mean_ci(&v, 0.99);
        let half = half.expect("several replications");
        assert!(
            (mean - expected).abs() <= half,
            "{name}: simulated {mean:.4} ± {half:.4} (99%), Erlang C says {expected:.4}"
        );
        assert!(half < 0.1 * expected.abs().max(0.01), "{name}: interval ±{half} too wide to mean anything");
    }
    // Every offered conversation was served: nothing abandons without patience.
    assert_eq!(sum(&values("abandoned")), 0.0);
}
