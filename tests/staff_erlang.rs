//! Where the scenario reduces to M/M/c (`scenarios/mmc.toml`), the simulated staffing search must find the
//! headcount Erlang C gives.
//!
//! The target is chosen off the knife edge: 75% answered within 20 s. Erlang C gives 70.0% with 20 agents and
//! 80.8% with 21, so the answer is 21 with five percentage points either side. Five replications of a week
//! (about 43,000 conversations each) put the simulated service level within about ±0.6 points (95%), so
//! the margin is some eight half-widths: the test checks that too, rather than trusting it.

use chatcap::erlang::{Target as ErlangTarget, agents_needed_c};
use chatcap::scenario::{Arrivals, load};
use chatcap::staff::Target;
use chatcap::staff::search::smallest_constant;
use std::path::Path;

#[test]
fn constant_headcount_for_a_service_level_matches_erlang_c() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/mmc.toml");
    let scenario = load(&path, &["replications=5".into(), "duration=7d".into()]).expect("shipped scenario loads");
    let Arrivals::Rate { per_hour, .. } = scenario.arrivals else { panic!("mmc uses a rate") };
    let aht_s = scenario.agents.reply.mean().as_secs_f64();
    let threshold_s = scenario.service_level.as_secs_f64();
    let goal = ErlangTarget { service_level: Some((0.75, threshold_s)), max_mean_wait_s: None };
    let erlang = agents_needed_c(per_hour / 3600.0, aht_s, &goal).expect("Erlang C has an answer");
    assert_eq!(erlang, 21);

    let target = Target::parse("service_level>=0.75").unwrap();
    let found = smallest_constant(&scenario, std::slice::from_ref(&target), false, 0, |_| {}).expect("search runs");
    assert_eq!(found.answer.agents, erlang, "simulation and Erlang C disagree");
    assert!(found.path.len() <= 6, "a handful of evaluations, got {}", found.path.len());

    // Off the knife edge: one agent fewer misses, and both verdicts are clear of the run's own noise.
    let at = |n: u32| found.path.iter().find(|e| e.agents == n).expect("neighbour was tried");
    for (n, meets) in [(erlang - 1, false), (erlang, true)] {
        let e = at(n);
        let sl = e.summary.num(0, "service_level").unwrap();
        let half = e.summary.num(0, "service_level_ci95").unwrap();
        assert_eq!(e.meets, meets);
        assert!((sl - 0.75).abs() > 3.0 * half, "{n} agents: {sl:.4} ± {half:.4} is too close to 0.75");
    }
}

/// The search starts from the offered load, not from the scenario's headcount: written at 1 agent, at 10 agents
/// below the answer, or at three times the answer, the scenario gets Erlang C's answer by the same path.
#[test]
fn the_answer_does_not_depend_on_the_headcount_written_in_the_scenario() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/mmc.toml");
    let target = Target::parse("service_level>=0.75").unwrap();
    let mut paths = Vec::new();
    for count in [1, 11, 63] {
        let sets = ["replications=5".into(), "duration=7d".into(), format!("agents.count={count}")];
        let scenario = load(&path, &sets).expect("shipped scenario loads");
        let found = smallest_constant(&scenario, std::slice::from_ref(&target), false, 0, |_| {}).expect("search runs");
        assert_eq!(found.answer.agents, 21, "written with {count} agents");
        assert!((found.load.agents - 17.0).abs() < 1e-9, "255 an hour x 4 minutes = 17 Erlangs");
        assert_eq!(found.start, 17);
        paths.push(found.path.iter().map(|e| (e.agents, e.meets)).collect::<Vec<_>>());
    }
    assert!(paths.windows(2).all(|w| w[0] == w[1]), "{paths:?}");
}
