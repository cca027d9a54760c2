//! Engine benchmarks: whole simulations through the real routing core, metrics included.
//!
//! - `mmc`: M/M/20 at occupancy 0.85 (the reference case of BENCHMARKS.md), conversations per second;
//! - `bare`: the same M/M/20 as a bare binary-heap loop with no routing logic, the floor to compare with;
//! - `agents`: the same load per agent at 20, 200 and 2,000 agents: cost per conversation must stay flat;
//! - `routing_depth`: one pooled queue of 1,000 agents (`benches/single-1000.toml`) against skills-based routing
//!   over 20 queues and 30 groups of the same 1,000 agents (`benches/multi-skill.toml`), same load: the cost per
//!   conversation of the second one must stay within twice the first's;
//! - `persistent`: a week of `benches/persistent-500.toml`, a 500-agent persistent operation with sessions,
//!   idle gaps and opening hours (the year-long run is timed from the command line, see BENCHMARKS.md).
//!
//! Run with `cargo bench --bench engine`; figures are in BENCHMARKS.md.

use chatcap::scenario::{Scenario, load, load_str};
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

fn bench_routing_depth(c: &mut Criterion) {
    let mut group = c.benchmark_group("routing_depth");
    group.sample_size(10);
    for name in ["single-1000", "multi-skill"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("benches/{name}.toml"));
        let scenario = load(&path, &[]).expect("valid scenario");
        group.throughput(Throughput::Elements(simulate(&scenario)));
        group.bench_function(name, |b| b.iter(|| black_box(simulate(&scenario))));
    }
    group.finish();
}

fn bench_persistent(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/persistent-500.toml");
    let scenario = load(&path, &["duration=7d".into()]).expect("valid scenario");
    let mut group = c.benchmark_group("persistent");
    group.sample_size(10);
    group.throughput(Throughput::Elements(simulate(&scenario)));
    group.bench_function("500_agents_week", |b| b.iter(|| black_box(simulate(&scenario))));
    group.finish();
}

/// The floor: M/M/20 as a bare binary-heap loop with no routing core and no metrics beyond a wait sum.
fn bare_mmc(customers: u64) -> f64 {
    use rand::{RngExt, SeedableRng};
    use std::cmp::Reverse;
    use std::collections::{BinaryHeap, VecDeque};
    let mut rng = rand_pcg::Pcg64Mcg::seed_from_u64(1);
    let (agents, service, rate) = (20u32, 240.0, 0.85 * 20.0 / 240.0);
    let exp = |rng: &mut rand_pcg::Pcg64Mcg, mean: f64| -mean * (1.0 - rng.random::<f64>()).ln();
    // (time in ms, kind): 0 = arrival, 1 = departure.
    let mut heap = BinaryHeap::new();
    heap.push(Reverse((0u64, 0u8)));
    let (mut free, mut arrived, mut waiting, mut wait_sum) = (agents, 0u64, VecDeque::new(), 0u64);
    while let Some(Reverse((now, kind))) = heap.pop() {
        if kind == 0 {
            arrived += 1;
            if arrived < customers {
                heap.push(Reverse((now + (exp(&mut rng, 1.0 / rate) * 1000.0) as u64, 0)));
            }
            if free > 0 {
                free -= 1;
                heap.push(Reverse((now + (exp(&mut rng, service) * 1000.0) as u64, 1)));
            } else {
                waiting.push_back(now);
            }
        } else if let Some(since) = waiting.pop_front() {
            wait_sum += now - since;
            heap.push(Reverse((now + (exp(&mut rng, service) * 1000.0) as u64, 1)));
        } else {
            free += 1;
        }
    }
    wait_sum as f64 / customers as f64
}

fn bench_bare(c: &mut Criterion) {
    let mut group = c.benchmark_group("bare");
    group.sample_size(10);
    group.throughput(Throughput::Elements(100_000));
    group.bench_function("m_m_20_heap_loop", |b| b.iter(|| black_box(bare_mmc(100_000))));
    group.finish();
}

criterion_group! {
    name = benches;
    // Criterion's own charts need system fonts; the figures are what matter here.
    config = Criterion::default().without_plots();
    targets = bench_mmc, bench_bare, bench_agents, bench_routing_depth, bench_persistent
}
criterion_main!(benches);
