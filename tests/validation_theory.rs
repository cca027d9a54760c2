//! Validation against queueing theory: scenarios that reduce to textbook queues must reproduce them.
//!
//! Every scenario here has Poisson arrivals, one session of one message per conversation, exponential reply
//! times and no wrap-up, so the simulator faces the M/M/s queue (Erlang C) or, with exponential patience, the
//! M/M/s+M queue (Erlang A), where `s` is the number of servers:
//! - capacity 1: one agent is one server;
//! - capacity N with `attention = "parallel"` and no slowdown: every slot serves at full speed on its own, so
//!   an agent is N servers and c agents are c x N servers;
//! - a persistent policy on the same scenario: nobody ever goes quiet (the only message is answered and the
//!   conversation resolves), so parking never triggers and the queue is the same as live's.
//!
//! Two exact checks complete them: with one slot per agent, neither the assignment method nor the attention
//! mode can change anyone's wait (reply times are drawn per customer), so all variants must give identical
//! numbers; and once customers do go quiet between sessions, persistent reclaims capacity and live does not.
//!
//! The tolerance is the run's own 99% Student-t interval over independent replications (each with a warm-up
//! from empty): the theory must lie inside it, and the interval must be narrow enough to mean something. The
//! compared quantities use the simulator's definitions, which are the formulas' too: probability of waiting
//! (not assigned at the instant of arrival), mean queue wait over all offered conversations (to assignment or
//! abandonment), service level (assigned within the threshold, abandoned ones count as misses), abandonment
//! over offered, and the share of server slots busy (occupancy for capacity 1, capacity utilisation for N).
//!
//! `cargo test --release --test validation_theory -- --nocapture --test-threads 1` prints every comparison as
//! the Markdown rows VALIDATION.md shows.

use chatcap::erlang::{erlang_a, erlang_c};
use chatcap::metrics::run::PolicyRuns;
use chatcap::metrics::summary::{METRICS, metric_values};
use chatcap::metrics::{mean_ci, student_t_quantile};
use chatcap::scenario::load_str;
use chatcap::sim::run::{RunOptions, simulate};
use std::path::Path;

/// Confidence of every comparison.
const CONFIDENCE: f64 = 0.99;
/// Service-level threshold of every case, seconds.
const THRESHOLD_S: f64 = 20.0;

/// One reducible queue: Poisson arrivals, exponential replies, optional exponential patience.
struct Queue {
    name: &'static str,
    seed: u64,
    rate_per_hour: f64,
    aht_s: u32,
    agents: u32,
    capacity: u32,
    patience_s: Option<u32>,
    days: u32,
    replications: u32,
}

impl Queue {
    /// Servers in the equivalent textbook queue.
    fn servers(&self) -> u32 {
        self.agents * self.capacity
    }

    /// The scenario as a planner would write it, with the given policies' TOML appended.
    fn scenario(&self, policies: &str) -> String {
        let patience = self
            .patience_s
            .map(|p| format!("patience = {{ dist = \"exponential\", mean = \"{p}s\" }}\n"))
            .unwrap_or_default();
        format!(
            "name = \"{name}\"\nseed = {seed}\nduration = \"{days}d\"\nwarmup = \"1d\"\nreplications = {reps}\n\
             service_level = \"{THRESHOLD_S}s\"\n\n[arrivals]\nrate = {rate}\n\n[customer]\n\
             sessions = {{ dist = \"constant\", value = 1 }}\nmessages = {{ dist = \"constant\", value = 1 }}\n\
             {patience}\n[agents]\ncount = {agents}\ncapacity = {capacity}\nattention = \"parallel\"\n\
             reply = {{ dist = \"exponential\", mean = \"{aht}s\" }}\n\n{policies}",
            name = self.name,
            seed = self.seed,
            days = self.days,
            reps = self.replications,
            rate = self.rate_per_hour,
            agents = self.agents,
            capacity = self.capacity,
            aht = self.aht_s,
        )
    }

    /// Theory for this queue: (metric, value) pairs in the simulator's definitions.
    fn theory(&self) -> Vec<(&'static str, f64)> {
        let rate = self.rate_per_hour / 3600.0;
        let aht = f64::from(self.aht_s);
        let busy = if self.capacity == 1 { "occupancy" } else { "capacity_utilisation" };
        match self.patience_s {
            None => {
                let q = erlang_c(rate, aht, self.servers());
                vec![
                    ("wait_probability", q.wait_probability),
                    ("queue_wait_mean_s", q.mean_wait_s),
                    ("service_level", q.service_level(THRESHOLD_S)),
                    (busy, q.occupancy),
                ]
            }
            Some(p) => {
                let q = erlang_a(rate, aht, self.servers(), f64::from(p));
                vec![
                    ("abandon_rate", q.abandon_probability),
                    ("wait_probability", q.wait_probability),
                    ("queue_wait_mean_s", q.mean_wait_s),
                    ("service_level", q.service_level(THRESHOLD_S)),
                    (busy, q.occupancy),
                ]
            }
        }
    }

    /// A one-line description for the printed tables.
    fn describe(&self) -> String {
        let load = self.rate_per_hour * f64::from(self.aht_s) / 3600.0;
        let model = match self.patience_s {
            None => "Erlang C".to_string(),
            Some(p) => format!("Erlang A, patience {p} s"),
        };
        format!(
            "{}: {model}; {} per hour, AHT {} s, {} agents x capacity {} = {} servers, load {load:.1} Erl \
             (per-server {:.3}); {} replications x {} days",
            self.name,
            self.rate_per_hour,
            self.aht_s,
            self.agents,
            self.capacity,
            self.servers(),
            load / f64::from(self.servers()),
            self.replications,
            self.days
        )
    }
}

/// The live policy every case runs.
const LIVE: &str = "[[policy]]\nname = \"live\"\nmode = \"live\"\n";

fn column(name: &str) -> usize {
    METRICS.iter().position(|m| *m == name).expect("known metric")
}

/// Per-replication values of one metric for one policy.
fn values(runs: &PolicyRuns, capacity: u32, name: &str) -> Vec<f64> {
    runs.replications
        .iter()
        .map(|r| metric_values(&r.measured, capacity)[column(name)].expect("metric defined"))
        .collect()
}

/// Loads and runs a scenario written in the test.
fn run(text: &str, name: &str) -> Vec<PolicyRuns> {
    let scenario = load_str(text, Path::new(&format!("{name}.toml")), &[]).expect("test scenario is valid");
    simulate(&scenario, &RunOptions { jobs: 0, ..RunOptions::default() }).expect("runs")
}

/// Compares every theory quantity with the simulated mean and its 99% interval; prints the Markdown rows and
/// returns the failures.
fn compare(queue: &Queue, runs: &PolicyRuns) -> Vec<String> {
    println!("\n{}\n", queue.describe());
    println!("| metric | simulated (mean ± 99% CI) | theory | inside |");
    println!("|---|---|---|---|");
    let mut failures = Vec::new();
    for (name, expected) in queue.theory() {
        let v = values(runs, queue.capacity, name);
        let (mean, half) = mean_ci(&v, CONFIDENCE);
        let half = half.expect("several replications");
        let inside = (mean - expected).abs() <= half;
        println!("| {name} | {mean:.4} ± {half:.4} | {expected:.4} | {} |", if inside { "yes" } else { "NO" });
        if !inside {
            failures.push(format!("{name}: simulated {mean:.5} ± {half:.5} (99%), theory {expected:.5}"));
        }
        if half > 0.1 * expected.abs().max(0.01) {
            failures.push(format!("{name}: interval ±{half:.5} too wide to test {expected:.5}"));
        }
    }
    failures
}

/// Runs the queue under the live policy and checks it against theory.
fn check(queue: &Queue) {
    let runs = run(&queue.scenario(LIVE), queue.name);
    let failures = compare(queue, &runs[0]);
    assert!(failures.is_empty(), "{}:\n{}", queue.name, failures.join("\n"));
}

#[test]
fn erlang_c_small_team() {
    check(&Queue {
        name: "c-small",
        seed: 101,
        rate_per_hour: 48.0,
        aht_s: 180,
        agents: 3,
        capacity: 1,
        patience_s: None,
        days: 20,
        replications: 20,
    });
}

#[test]
fn erlang_c_at_occupancy_above_0_9() {
    check(&Queue {
        name: "c-busy",
        seed: 102,
        rate_per_hour: 276.0,
        aht_s: 120,
        agents: 10,
        capacity: 1,
        patience_s: None,
        days: 30,
        replications: 20,
    });
}

#[test]
fn erlang_c_with_over_100_agents() {
    check(&Queue {
        name: "c-large",
        seed: 103,
        rate_per_hour: 1320.0,
        aht_s: 300,
        agents: 120,
        capacity: 1,
        patience_s: None,
        days: 10,
        replications: 20,
    });
}

#[test]
fn erlang_a_overloaded() {
    check(&Queue {
        name: "a-overloaded",
        seed: 104,
        rate_per_hour: 220.0,
        aht_s: 180,
        agents: 10,
        capacity: 1,
        patience_s: Some(120),
        days: 10,
        replications: 20,
    });
}

#[test]
fn erlang_a_with_spare_agents() {
    check(&Queue {
        name: "a-spare",
        seed: 105,
        rate_per_hour: 270.0,
        aht_s: 240,
        agents: 20,
        capacity: 1,
        patience_s: Some(240),
        days: 10,
        replications: 20,
    });
}

#[test]
fn parallel_concurrency_is_c_times_n_servers_erlang_c() {
    check(&Queue {
        name: "c-concurrency",
        seed: 106,
        rate_per_hour: 156.0,
        aht_s: 300,
        agents: 5,
        capacity: 3,
        patience_s: None,
        days: 20,
        replications: 20,
    });
}

#[test]
fn parallel_concurrency_is_c_times_n_servers_erlang_a() {
    check(&Queue {
        name: "a-concurrency",
        seed: 107,
        rate_per_hour: 96.0,
        aht_s: 300,
        agents: 4,
        capacity: 2,
        patience_s: Some(180),
        days: 20,
        replications: 20,
    });
}

/// The 99% Student-t half-width of a difference of paired samples, for the persistent-versus-live check.
fn paired_half_width(a: &[f64], b: &[f64]) -> f64 {
    let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| x - y).collect();
    let n = d.len() as f64;
    let mean = d.iter().sum::<f64>() / n;
    let var = d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    student_t_quantile(0.5 + CONFIDENCE / 2.0, n - 1.0) * (var / n).sqrt()
}

#[test]
fn persistent_matches_live_and_erlang_c_when_nobody_goes_idle() {
    let queue = Queue {
        name: "persistent-reducible",
        seed: 108,
        rate_per_hour: 156.0,
        aht_s: 300,
        agents: 5,
        capacity: 3,
        patience_s: None,
        days: 20,
        replications: 20,
    };
    let policies =
        format!("{LIVE}\n[[policy]]\nname = \"persistent\"\nmode = \"persistent\"\npark_after_idle = \"1m\"\n");
    let runs = run(&queue.scenario(&policies), queue.name);
    let (live, persistent) = (&runs[0], &runs[1]);
    let failures = compare(&queue, persistent);
    assert!(failures.is_empty(), "persistent vs Erlang C:\n{}", failures.join("\n"));
    for name in ["wait_probability", "queue_wait_mean_s", "service_level", "capacity_utilisation"] {
        let (l, p) = (values(live, queue.capacity, name), values(persistent, queue.capacity, name));
        let gap = (l.iter().sum::<f64>() - p.iter().sum::<f64>()) / l.len() as f64;
        println!("persistent - live, {name}: {gap:.3e} (paired 99% half-width {:.3e})", paired_half_width(&p, &l));
        assert!(gap.abs() <= paired_half_width(&p, &l).max(1e-12), "{name}: persistent differs from live by {gap}");
    }
    let reclaimed = values(persistent, queue.capacity, "reclaimed_capacity_share");
    assert!(reclaimed.iter().all(|&r| r == 0.0), "parking triggered with nobody idle: {reclaimed:?}");
}

#[test]
fn persistent_reclaims_capacity_once_customers_go_idle() {
    let text = r#"
name = "idle-customers"
seed = 109
duration = "5d"
warmup = "1d"
replications = 5
[arrivals]
rate = 60
[customer]
sessions = { dist = "constant", value = 2 }
messages = { dist = "constant", value = 1 }
away = { dist = "exponential", mean = "30m" }
[agents]
count = 10
capacity = 3
attention = "parallel"
reply = { dist = "exponential", mean = "2m" }
[[policy]]
name = "live"
mode = "live"
[[policy]]
name = "persistent"
mode = "persistent"
park_after_idle = "5m"
"#;
    let runs = run(text, "idle-customers");
    let (live, persistent) = (&runs[0], &runs[1]);
    let live_share = values(live, 3, "reclaimed_capacity_share");
    let persistent_share = values(persistent, 3, "reclaimed_capacity_share");
    println!("\nidle-customers: two sessions 30 min apart (exponential), park after 5 min; 5 replications x 5 days\n");
    println!(
        "| policy | reclaimed_capacity_share (mean ± 99% CI) | reclaimed_agent_equivalents | capacity_utilisation |"
    );
    println!("|---|---|---|---|");
    for p in [live, persistent] {
        let cell = |name: &str| {
            let (mean, half) = mean_ci(&values(p, 3, name), CONFIDENCE);
            format!("{mean:.4} ± {:.4}", half.expect("replications"))
        };
        let (share, agents) = (cell("reclaimed_capacity_share"), cell("reclaimed_agent_equivalents"));
        println!("| {} | {share} | {agents} | {} |", p.policy, cell("capacity_utilisation"));
    }
    let (mean, half) = mean_ci(&persistent_share, CONFIDENCE);
    assert!(live_share.iter().all(|&r| r == 0.0), "live never parks: {live_share:?}");
    assert!(mean - half.expect("replications") > 0.0, "persistent reclaims capacity: {mean} ± {half:?}");
    let persistent_agents = values(persistent, 3, "reclaimed_agent_equivalents");
    assert!(persistent_agents.iter().all(|&r| r > 0.0), "reclaimed agents: {persistent_agents:?}");
}

#[test]
fn assignment_method_and_attention_do_not_change_a_one_slot_queue() {
    // With one slot per agent and reply times drawn per customer, which free agent takes a conversation and
    // whether the agent writes one reply at a time cannot change anyone's wait: every variant must give
    // exactly the same numbers, replication by replication.
    let queue = Queue {
        name: "invariance",
        seed: 110,
        rate_per_hour: 48.0,
        aht_s: 180,
        agents: 3,
        capacity: 1,
        patience_s: Some(300),
        days: 5,
        replications: 5,
    };
    let policies: String = ["highest_capacity", "round_robin", "least_active"]
        .iter()
        .map(|a| format!("[[policy]]\nname = \"{a}\"\nmode = \"live\"\nassignment = \"{a}\"\n\n"))
        .collect();
    let parallel = run(&queue.scenario(&policies), queue.name);
    let single =
        run(&queue.scenario(&policies).replace("attention = \"parallel\"", "attention = \"single\""), "single");
    let reference = &parallel[0];
    for runs in parallel.iter().chain(&single) {
        for name in ["abandon_rate", "wait_probability", "queue_wait_mean_s", "service_level", "occupancy"] {
            assert_eq!(
                values(runs, 1, name),
                values(reference, 1, name),
                "{name}: {} differs from highest_capacity with parallel attention",
                runs.policy
            );
        }
    }
}
