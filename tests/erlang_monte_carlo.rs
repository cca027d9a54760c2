//! Statistical validation of the Erlang formulas against a direct simulation of the same queue.
//!
//! The simulation follows customers in arrival order, each taking the agent who frees up first (first come, first
//! served); a customer whose wait would exceed their patience leaves without using an agent. Customers are split
//! into consecutive batches; the batch means are nearly independent, so their spread gives the Monte Carlo
//! standard error, and each formula must fall within four standard errors of the simulated value.

use chatcap::erlang::{erlang_a, erlang_c};
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;

const BATCHES: usize = 40;
const PER_BATCH: usize = 10_000;
const WARMUP: usize = 2_000;
const THRESHOLD_S: f64 = 20.0;

/// Per-batch shares and means: (waited, abandoned, mean wait, service level).
type Batch = [f64; 4];

fn exponential(rng: &mut Pcg64Mcg, mean: f64) -> f64 {
    -mean * (1.0 - rng.random::<f64>()).ln()
}

fn simulate(rate: f64, aht: f64, agents: usize, patience: Option<f64>, seed: u64) -> Vec<Batch> {
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    let mut free_at = vec![0.0f64; agents];
    let mut now = 0.0;
    let mut batches = Vec::with_capacity(BATCHES);
    let mut acc = [0.0; 4];
    for i in 0..WARMUP + BATCHES * PER_BATCH {
        now += exponential(&mut rng, 1.0 / rate);
        let patience = patience.map_or(f64::INFINITY, |p| exponential(&mut rng, p));
        let service = exponential(&mut rng, aht);
        let (agent, earliest) =
            free_at.iter().copied().enumerate().min_by(|a, b| a.1.total_cmp(&b.1)).expect("at least one agent");
        let wait = (earliest - now).max(0.0);
        let abandoned = wait > patience;
        if !abandoned {
            free_at[agent] = now + wait + service;
        }
        if i < WARMUP {
            continue;
        }
        let outcome = [
            f64::from(u8::from(wait > 0.0)),
            f64::from(u8::from(abandoned)),
            wait.min(patience),
            f64::from(u8::from(!abandoned && wait <= THRESHOLD_S)),
        ];
        for (a, o) in acc.iter_mut().zip(outcome) {
            *a += o;
        }
        if (i - WARMUP + 1).is_multiple_of(PER_BATCH) {
            batches.push(acc.map(|a| a / PER_BATCH as f64));
            acc = [0.0; 4];
        }
    }
    batches
}

/// Mean and standard error of column `k` of the batch means.
fn estimate(batches: &[Batch], k: usize) -> (f64, f64) {
    let n = batches.len() as f64;
    let mean = batches.iter().map(|b| b[k]).sum::<f64>() / n;
    let var = batches.iter().map(|b| (b[k] - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, (var / n).sqrt())
}

fn assert_agrees(name: &str, batches: &[Batch], k: usize, analytic: f64) {
    let (mc, se) = estimate(batches, k);
    assert!((mc - analytic).abs() <= 4.0 * se, "{name}: formula {analytic:.5}, simulated {mc:.5} +- {se:.5}");
}

#[test]
fn erlang_a_matches_simulation_when_overloaded() {
    let (rate, aht, agents, patience) = (100.0 / 1800.0, 180.0, 9, 120.0);
    let q = erlang_a(rate, aht, agents as u32, patience);
    let batches = simulate(rate, aht, agents, Some(patience), 11);
    assert_agrees("wait probability", &batches, 0, q.wait_probability);
    assert_agrees("abandon probability", &batches, 1, q.abandon_probability);
    assert_agrees("mean wait", &batches, 2, q.mean_wait_s);
    assert_agrees("service level", &batches, 3, q.service_level(THRESHOLD_S));
}

#[test]
fn erlang_a_matches_simulation_with_spare_agents() {
    let (rate, aht, agents, patience) = (100.0 / 1800.0, 180.0, 12, 60.0);
    let q = erlang_a(rate, aht, agents as u32, patience);
    let batches = simulate(rate, aht, agents, Some(patience), 12);
    assert_agrees("wait probability", &batches, 0, q.wait_probability);
    assert_agrees("abandon probability", &batches, 1, q.abandon_probability);
    assert_agrees("mean wait", &batches, 2, q.mean_wait_s);
    assert_agrees("service level", &batches, 3, q.service_level(THRESHOLD_S));
}

#[test]
fn erlang_c_matches_simulation() {
    let (rate, aht, agents) = (100.0 / 1800.0, 180.0, 13);
    let q = erlang_c(rate, aht, agents as u32);
    let batches = simulate(rate, aht, agents, None, 13);
    assert_agrees("wait probability", &batches, 0, q.wait_probability);
    assert_agrees("mean wait", &batches, 2, q.mean_wait_s);
    assert_agrees("service level", &batches, 3, q.service_level(THRESHOLD_S));
}
