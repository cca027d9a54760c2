//! Engine benchmarks: whole simulations through the real routing core, metrics included.
//!
//! - `mmc`: M/M/20 at occupancy 0.85 (the reference case of BENCHMARKS.md), conversations per second;
//! - `agents`: the same load per agent at 20, 200 and 2,000 agents: cost per conversation must stay flat;
//! - `persistent_week`: a week of a 500-agent persistent operation with sessions, idle gaps and opening hours.
//!
//! Run with `cargo bench --bench engine`; figures are in BENCHMARKS.md.

use chatcap::scenario::{Scenario, load_str};
use chatcap::sim::engine::Engine;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;

/// An M/M/c scenario: `agents` agents at occupancy 0.85, exponential 4-minute handling, `days` long.
fn mmc(agents: u32, days: u32) -> Scenario {
    let rate = 0.85 * f64::from(agents) * 60.0 / 4.0;
    let text = format!(
        "name = \"mmc\"\nduration = \"{days}d\"\ndrain = \"1d\"\n[arrivals]\nrate = {rate}\n[agents]\ncount = {agents}\n\
         reply = {{ dist = \"exponential\", mean = \"4m\" }}\n[[policy]]\nname = \"live\"\nmode = \"live\"\n"
    );
    load_str(&text, Path::new("bench.toml"), &[]).expect("valid scenario")
}

/// Runs replication 0 of the first policy and returns the number of measured conversations.
fn simulate(scenario: &Scenario) -> u64 {
    Engine::new(scenario, &scenario.policies[0], 0, false).run().measured.conversations
}

fn bench_mmc(c: &mut Criterion) {
    let scenario = mmc(20, 16);
    let conversations = simulate(&scenario);
    let mut group = c.benchmark_group("mmc");
    group.sample_size(10);
    group.throughput(Throughput::Elements(conversations));
    group.bench_function("m_m_20_rho_0.85", |b| b.iter(|| black_box(simulate(&scenario))));
    group.finish();
}

fn bench_agents(c: &mut Criterion) {
    let mut group = c.benchmark_group("agents");
    group.sample_size(10);
    for (agents, days) in [(20, 16), (200, 2), (2_000, 1)] {
        let scenario = mmc(agents, days);
        group.throughput(Throughput::Elements(simulate(&scenario)));
        group.bench_function(format!("{agents}_agents"), |b| b.iter(|| black_box(simulate(&scenario))));
    }
    group.finish();
}

/// A week of a 500-agent persistent operation: about 20,000 new conversations a day.
pub fn persistent_operation(duration: &str) -> Scenario {
    let text = format!(
        r#"name = "persistent-500"
duration = "{duration}"
drain = "2d"
[hours]
mon = "07:00-22:00"
tue = "07:00-22:00"
wed = "07:00-22:00"
thu = "07:00-22:00"
fri = "07:00-22:00"
sat = "08:00-20:00"
sun = "08:00-20:00"
[arrivals]
rate = 1100
hourly = [0.1, 0.05, 0.05, 0.05, 0.1, 0.2, 0.5, 0.9, 1.2, 1.4, 1.4, 1.3, 1.2, 1.3, 1.4, 1.4, 1.3, 1.2, 1.1, 1.0, 0.9, 0.7, 0.4, 0.2]
[customer]
sessions = {{ dist = "geometric", mean = 2 }}
messages = {{ dist = "geometric", mean = 4 }}
think = {{ dist = "lognormal", mean = "40s", sd = "30s" }}
away = {{ dist = "lognormal", mean = "3h", sd = "4h" }}
never_return = 0.1
[agents]
shifts = [
  {{ days = "daily", start = "07:00", end = "15:00", count = 250 }},
  {{ days = "daily", start = "14:00", end = "22:00", count = 250 }},
]
capacity = 3
reply = {{ dist = "lognormal", mean = "45s", sd = "25s" }}
slowdown = [1.0, 1.18, 1.4]
wrap_up = {{ dist = "constant", value = "30s" }}
[[policy]]
name = "persistent"
mode = "persistent"
park_after_idle = "5m"
"#
    );
    load_str(&text, Path::new("bench.toml"), &[]).expect("valid scenario")
}

fn bench_persistent(c: &mut Criterion) {
    let scenario = persistent_operation("7d");
    let mut group = c.benchmark_group("persistent");
    group.sample_size(10);
    group.throughput(Throughput::Elements(simulate(&scenario)));
    group.bench_function("500_agents_week", |b| b.iter(|| black_box(simulate(&scenario))));
    group.finish();
}

criterion_group! {
    name = benches;
    // Criterion's own charts need system fonts; the figures are what matter here.
    config = Criterion::default().without_plots();
    targets = bench_mmc, bench_agents, bench_persistent
}
criterion_main!(benches);
