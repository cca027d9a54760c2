//! Reclaimed capacity can never exceed what is signed in: over random small persistent scenarios (customers who
//! come back hours later to agents on shifts, so parked conversations pile up far beyond any agent's capacity),
//! `reclaimed_agent_equivalents` stays at or below the agents online, `reclaimed_capacity_share` within [0, 1],
//! and every interval's reclaimed capacity at or below the capacity online.

use chatcap::metrics::summary::{METRICS, metric_values};
use chatcap::scenario::load_str;
use chatcap::sim::run::{RunOptions, simulate};
use proptest::prelude::*;

/// A one-day persistent scenario from the drawn parameters.
fn scenario_text(
    capacity: u32,
    agents: u32,
    shifts: bool,
    rate: u32,
    sessions: u32,
    away_min: u32,
    park_min: u32,
) -> String {
    let staffing = if shifts {
        format!(
            "shifts = [ {{ days = \"mon\", start = \"06:00\", end = \"14:00\", count = {agents} }}, \
             {{ days = \"mon\", start = \"12:00\", end = \"22:00\", count = 1 }} ]"
        )
    } else {
        format!("count = {agents}")
    };
    format!(
        "name = \"bound\"\nduration = \"1d\"\ndrain = \"1d\"\n[arrivals]\nrate = {rate}\n[customer]\n\
         sessions = {{ dist = \"geometric\", mean = {sessions} }}\n\
         messages = {{ dist = \"geometric\", mean = 2 }}\n\
         away = {{ dist = \"exponential\", mean = \"{away_min}m\" }}\n\
         [agents]\n{staffing}\ncapacity = {capacity}\nreply = {{ dist = \"exponential\", mean = \"40s\" }}\n\
         [[policy]]\nname = \"persistent\"\nmode = \"persistent\"\npark_after_idle = \"{park_min}m\"\n\
         auto_close_after = \"1d\"\n"
    )
}

fn value(values: &[Option<f64>], name: &str) -> f64 {
    let i = METRICS.iter().position(|m| *m == name).expect("a summary metric");
    values[i].unwrap_or(0.0)
}

/// Checks the bounds on one scenario; returns the reclaimed agent-equivalents.
fn check(text: &str) -> Result<f64, TestCaseError> {
    let dir = tempfile::TempDir::new().unwrap();
    let s = load_str(text, &dir.path().join("bound.toml"), &[]).expect("valid scenario");
    let runs = simulate(&s, &RunOptions { jobs: 1, ..RunOptions::default() }).unwrap();
    let measured = &runs[0].replications[0].measured;
    let values = metric_values(measured, s.agents.capacity);
    let reclaimed = value(&values, "reclaimed_agent_equivalents");
    let online = value(&values, "agents_online_mean");
    prop_assert!(reclaimed <= online + 1e-9, "reclaimed {reclaimed} agents with {online} online");
    let share = value(&values, "reclaimed_capacity_share");
    prop_assert!((0.0..=1.0).contains(&share), "reclaimed share {share}");
    for row in &measured.intervals {
        let (r, c) = (row.means.capacity_reclaimed, row.means.capacity_online);
        prop_assert!(r <= c + 1e-9, "interval at {}: {r} units reclaimed, {c} online", row.start);
    }
    Ok(reclaimed)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn reclaimed_capacity_never_exceeds_the_capacity_signed_in(
        capacity in 1u32..=3,
        agents in 1u32..=4,
        shifts in any::<bool>(),
        rate in 5u32..=40,
        sessions in 1u32..=4,
        away_min in 5u32..=240,
        park_min in 1u32..=20,
    ) {
        check(&scenario_text(capacity, agents, shifts, rate, sessions, away_min, park_min))?;
    }
}

#[test]
fn one_agent_with_many_parked_conversations_reclaims_at_most_one_agent() {
    // 30 customers an hour, each away 4 hours between sessions, one agent with one slot: dozens of parked
    // conversations at a time, which the old uncapped figure counted as dozens of agents.
    let reclaimed = check(&scenario_text(1, 1, false, 30, 4, 240, 1)).unwrap();
    assert!(reclaimed > 0.5 && reclaimed <= 1.0, "reclaimed {reclaimed}");
}
