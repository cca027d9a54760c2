//! Validation of the routing set-ups (several workstreams, queues, priorities, overflow, offers) against
//! queueing theory: set-ups that reduce to textbook queues must reproduce them.
//!
//! Every case has Poisson arrivals, one session of one message per conversation, exponential reply times, one
//! conversation per agent, no wrap-up and patient customers, so each pool of agents is an M/M/c queue:
//! - (a) two workstreams on one pool, in one queue or in two queues of equal priority, are one M/M/c at the
//!   summed rate, and each workstream sees the pool's wait ([`erlang_c_pooled`]);
//! - (b) two groups, each serving its own queue, are two separate M/M/c ([`erlang_c`] each);
//! - (c) two queues of priority 1 and 2 served by one group are Cobham's non-preemptive priority M/M/c
//!   ([`priority_waits`]); both classes wait at all with the pool's Erlang C probability;
//! - (d) a queue rule `more_waiting_than = N` with `action = "end"` is M/M/c/(c + N) ([`erlang_finite`]): the
//!   share turned away is the blocking probability, and admitted conversations wait as its formula says;
//! - (f) a queue rule `waited_longer_than = tau` with `action = "end"` is M/M/c+D ([`erlang_deadline`]): the
//!   share ended is its abandonment; with `action = "transfer"` to a queue whose agents are always free instead,
//!   the first queue is the same queue and every transferred conversation is answered at once, so every wait is
//!   the same, exactly;
//! - (e) push offers with a constant accept time `A` and a decline chance `p`, with far more agents than work
//!   (an agent is always free): a conversation is offered until one is accepted, a geometric number of times
//!   with mean `1 / (1 - p)`, each taking `A`, so it waits `A / (1 - p)` on average and always waits.
//!
//! Figures are read as a planner reads them, from the CSV files `chatcap run` writes: `summary.csv` for the
//! whole team and `workstreams.csv` per workstream, each a mean over independent replications with its 95%
//! Student-t half-width (`_ci95`). The tolerance is the run's own interval, widened from 95% to a family-wise
//! 99% over every check in this file (Bonferroni: each of the [`CHECKS`] checks at `1 - 0.01 / CHECKS`); the
//! theory must lie inside it, and the interval must be narrow enough to mean something (within 10% of the value
//! it tests).
//!
//! `cargo test --release --test validation_routing -- --nocapture --test-threads 1` prints every comparison as
//! the Markdown rows VALIDATION.md shows.

use chatcap::erlang::{erlang_c, erlang_c_pooled, erlang_deadline, erlang_finite, priority_waits};
use chatcap::metrics::student_t_quantile;
use std::collections::HashMap;
use std::path::Path;
use std::process::Command;
use tempfile::TempDir;

/// Family-wise error of all the statistical checks in this file.
const FAMILY_ERROR: f64 = 0.01;
/// Checks per case, and in all: the Bonferroni family.
const POOLED_CHECKS: usize = 12;
const DEDICATED_CHECKS: usize = 4;
const PRIORITY_CHECKS: usize = 5;
const FINITE_CHECKS: usize = 3;
const DEADLINE_CHECKS: usize = 3;
const OFFER_CHECKS: usize = 1;
const CHECKS: usize =
    POOLED_CHECKS + DEDICATED_CHECKS + PRIORITY_CHECKS + FINITE_CHECKS + DEADLINE_CHECKS + OFFER_CHECKS;

/// Service-level threshold of every case, seconds.
const THRESHOLD_S: f64 = 20.0;

/// A reducible set-up: the scenario's common part plus the case's own tables.
struct Case {
    name: &'static str,
    seed: u64,
    rate_per_hour: f64,
    aht_s: f64,
    days: u32,
    replications: u32,
    /// `[agents]` keys besides the reply time (a `count`, or nothing with groups).
    agents: &'static str,
    /// Workstreams, queues, groups, offers and policies.
    setup: &'static str,
}

impl Case {
    fn scenario(&self) -> String {
        format!(
            "name = \"{name}\"\nseed = {seed}\nduration = \"{days}d\"\nwarmup = \"1d\"\nreplications = {reps}\n\
             service_level = \"{THRESHOLD_S}s\"\n\n[arrivals]\nrate = {rate}\n\n[customer]\n\
             sessions = {{ dist = \"constant\", value = 1 }}\nmessages = {{ dist = \"constant\", value = 1 }}\n\n\
             [agents]\ncapacity = 1\nreply = {{ dist = \"exponential\", mean = \"{aht}s\" }}\n{agents}\n\n{setup}",
            name = self.name,
            seed = self.seed,
            days = self.days,
            reps = self.replications,
            rate = self.rate_per_hour,
            aht = self.aht_s,
            agents = self.agents,
            setup = self.setup,
        )
    }

    fn rate_per_sec(&self, share: f64) -> f64 {
        self.rate_per_hour * share / 3600.0
    }

    /// Runs the scenario with `chatcap run` and reads the tables it writes.
    fn run(&self) -> Tables {
        let dir = TempDir::new().expect("temp dir");
        let file = dir.path().join(format!("{}.toml", self.name));
        std::fs::write(&file, self.scenario()).expect("write scenario");
        let out = dir.path().join("out");
        let output = Command::new(env!("CARGO_BIN_EXE_chatcap"))
            .args(["run", "--quiet", "--out"])
            .arg(&out)
            .arg(&file)
            .output()
            .expect("chatcap runs");
        assert!(output.status.success(), "{}: {}", self.name, String::from_utf8_lossy(&output.stderr));
        Tables {
            replications: self.replications,
            summary: read(&out.join("summary.csv"), None),
            workstreams: read(&out.join("workstreams.csv"), Some("workstream")),
            queues: read(&out.join("queues.csv"), Some("queue")),
        }
    }
}

/// One row of a result table: every numeric column by name.
type Row = HashMap<String, f64>;

/// The tables of one run, rows keyed by (policy, workstream or queue; empty in the summary).
struct Tables {
    replications: u32,
    summary: HashMap<(String, String), Row>,
    workstreams: HashMap<(String, String), Row>,
    queues: HashMap<(String, String), Row>,
}

fn read(path: &Path, by: Option<&str>) -> HashMap<(String, String), Row> {
    let mut reader = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers = reader.headers().expect("header").clone();
    reader
        .records()
        .map(|record| {
            let record = record.expect("row");
            let field = |name: &str| {
                let i = headers.iter().position(|h| h == name).unwrap_or_else(|| panic!("{name} column"));
                record[i].to_string()
            };
            let key = (field("policy"), by.map(field).unwrap_or_default());
            let row = headers.iter().zip(record.iter()).filter_map(|(h, v)| Some((h.to_string(), v.parse().ok()?)));
            (key, row.collect())
        })
        .collect()
}

/// One comparison: what is measured, the simulated row, the metric, the theory.
struct Check<'a> {
    what: String,
    row: &'a Row,
    metric: &'static str,
    theory: f64,
}

impl Tables {
    fn summary(&self, policy: &str) -> &Row {
        &self.summary[&(policy.to_string(), String::new())]
    }
    fn workstream(&self, policy: &str, name: &str) -> &Row {
        self.workstreams.get(&(policy.to_string(), name.to_string())).unwrap_or_else(|| panic!("{policy} {name}"))
    }
    fn queue(&self, policy: &str, name: &str) -> &Row {
        self.queues.get(&(policy.to_string(), name.to_string())).unwrap_or_else(|| panic!("{policy} {name}"))
    }

    /// The Bonferroni half-width of one check from the run's 95% half-width: the same standard error times the
    /// Student-t quantile of `1 - FAMILY_ERROR / (2 CHECKS)` instead of 0.975.
    fn half_width(&self, ci95: f64) -> f64 {
        let df = f64::from(self.replications - 1);
        let each = 1.0 - FAMILY_ERROR / (2.0 * CHECKS as f64);
        ci95 / student_t_quantile(0.975, df) * student_t_quantile(each, df)
    }

    /// Compares every check, prints the Markdown table and returns the failures.
    fn compare(&self, title: &str, checks: &[Check<'_>], expected_count: usize) -> Vec<String> {
        assert_eq!(checks.len(), expected_count, "{title}: the family size counts every check");
        println!("\n{title}\n");
        println!("| what | metric | simulated (mean ± Bonferroni 99%) | theory | inside |");
        println!("|---|---|---|---|---|");
        let mut failures = Vec::new();
        for c in checks {
            let mean = c.row[c.metric];
            let half = self.half_width(c.row[&format!("{}_ci95", c.metric)]);
            let inside = (mean - c.theory).abs() <= half;
            let yes = if inside { "yes" } else { "NO" };
            println!("| {} | {} | {mean:.4} ± {half:.4} | {:.4} | {yes} |", c.what, c.metric, c.theory);
            if !inside {
                failures
                    .push(format!("{} {}: simulated {mean:.5} ± {half:.5}, theory {:.5}", c.what, c.metric, c.theory));
            }
            if half > 0.1 * c.theory.abs().max(0.01) {
                failures.push(format!("{} {}: interval ±{half:.5} too wide to test {:.5}", c.what, c.metric, c.theory));
            }
        }
        failures
    }
}

/// Wait probability and mean wait of `row` against one Erlang C.
fn erlang_checks<'a>(what: &str, row: &'a Row, probability: f64, wait_s: f64) -> [Check<'a>; 2] {
    [
        Check { what: what.to_string(), row, metric: "wait_probability", theory: probability },
        Check { what: what.to_string(), row, metric: "queue_wait_mean_s", theory: wait_s },
    ]
}

#[test]
fn two_workstreams_on_one_pool_are_one_pooled_erlang_c() {
    let case = Case {
        name: "pooled",
        seed: 201,
        rate_per_hour: 96.0,
        aht_s: 180.0,
        days: 40,
        replications: 20,
        agents: "count = 6",
        setup: r#"
[[workstream]]
name = "web"
mode = "live"
share = 0.6
queue = "pool"

[[workstream]]
name = "app"
mode = "live"
share = 0.4
queue = "pool"

[[queue]]
name = "pool"

[[queue]]
name = "pool-2"

[[policy]]
name = "one-queue"

[[policy]]
name = "two-queues"
set = { "workstream.app.queue" = "pool-2" }
"#,
    };
    let tables = case.run();
    // The variant really splits the pool's work over two queues (oldest first across equal priorities).
    for (policy, queue, used) in
        [("one-queue", "pool-2", false), ("two-queues", "pool", true), ("two-queues", "pool-2", true)]
    {
        assert_eq!(tables.queue(policy, queue)["conversations"] > 0.0, used, "{policy}: queue {queue}");
    }
    // ... and, oldest first across queues of equal priority being first come, first served, changes nothing.
    for ws in ["web", "app"] {
        let (one, two) = (tables.workstream("one-queue", ws), tables.workstream("two-queues", ws));
        for metric in ["wait_probability", "queue_wait_mean_s", "queue_wait_mean_s_ci95", "service_level"] {
            assert_eq!(one[metric], two[metric], "{ws} {metric}: two equal-priority queues differ from one queue");
        }
    }
    let pool = erlang_c_pooled(&[case.rate_per_sec(0.6), case.rate_per_sec(0.4)], case.aht_s, 6);
    let (p, w) = (pool.wait_probability, pool.mean_wait_s);
    let mut checks = Vec::new();
    for policy in ["one-queue", "two-queues"] {
        checks.extend(erlang_checks(&format!("{policy}: all"), tables.summary(policy), p, w));
        for ws in ["web", "app"] {
            checks.extend(erlang_checks(&format!("{policy}: {ws}"), tables.workstream(policy, ws), p, w));
        }
    }
    let title = format!(
        "pooled: 96 per hour (web 60%, app 40%), AHT 180 s, 6 agents, load 4.8 Erl; Erlang C at the summed rate; \
         {} replications x {} days",
        case.replications, case.days
    );
    let failures = tables.compare(&title, &checks, POOLED_CHECKS);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn two_dedicated_groups_are_two_separate_erlang_c() {
    let case = Case {
        name: "dedicated",
        seed: 202,
        rate_per_hour: 96.0,
        aht_s: 180.0,
        days: 40,
        replications: 20,
        agents: "",
        setup: r#"
[[agents.group]]
name = "sales-team"
count = 4
queues = ["sales"]

[[agents.group]]
name = "support-team"
count = 3
queues = ["support"]

[[workstream]]
name = "sales"
mode = "live"
share = 0.6
queue = "sales"

[[workstream]]
name = "support"
mode = "live"
share = 0.4
queue = "support"

[[queue]]
name = "sales"

[[queue]]
name = "support"
"#,
    };
    let tables = case.run();
    let sales = erlang_c(case.rate_per_sec(0.6), case.aht_s, 4);
    let support = erlang_c(case.rate_per_sec(0.4), case.aht_s, 3);
    let mut checks = Vec::new();
    checks.extend(erlang_checks(
        "sales (4 agents)",
        tables.workstream("base", "sales"),
        sales.wait_probability,
        sales.mean_wait_s,
    ));
    checks.extend(erlang_checks(
        "support (3 agents)",
        tables.workstream("base", "support"),
        support.wait_probability,
        support.mean_wait_s,
    ));
    let title = format!(
        "dedicated: 57.6 per hour on 4 agents (load 2.88 Erl) and 38.4 per hour on 3 (1.92 Erl), AHT 180 s; two \
         Erlang C; {} replications x {} days",
        case.replications, case.days
    );
    let failures = tables.compare(&title, &checks, DEDICATED_CHECKS);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn two_priority_queues_on_one_group_follow_cobham() {
    let case = Case {
        name: "priority",
        seed: 203,
        rate_per_hour: 96.0,
        aht_s: 180.0,
        days: 40,
        replications: 20,
        agents: "count = 6",
        setup: r#"
[[workstream]]
name = "vip"
mode = "live"
share = 0.4
queue = "first"

[[workstream]]
name = "standard"
mode = "live"
share = 0.6
queue = "second"

[[queue]]
name = "first"
priority = 1

[[queue]]
name = "second"
priority = 2
"#,
    };
    let tables = case.run();
    let rates = [case.rate_per_sec(0.4), case.rate_per_sec(0.6)];
    let waits = priority_waits(&rates, case.aht_s, 6);
    let pool = erlang_c_pooled(&rates, case.aht_s, 6);
    let (vip, standard) = (tables.workstream("base", "vip"), tables.workstream("base", "standard"));
    let checks = vec![
        Check { what: "vip (priority 1)".into(), row: vip, metric: "queue_wait_mean_s", theory: waits[0] },
        Check { what: "standard (priority 2)".into(), row: standard, metric: "queue_wait_mean_s", theory: waits[1] },
        Check { what: "vip".into(), row: vip, metric: "wait_probability", theory: pool.wait_probability },
        Check { what: "standard".into(), row: standard, metric: "wait_probability", theory: pool.wait_probability },
        // Conservation: priorities reorder the queue, they do not change the pool's mean wait.
        Check {
            what: "all".into(),
            row: tables.summary("base"),
            metric: "queue_wait_mean_s",
            theory: pool.mean_wait_s,
        },
    ];
    let title = format!(
        "priority: 38.4 per hour at priority 1, 57.6 at priority 2, AHT 180 s, 6 agents (load 4.8 Erl); Cobham's \
         non-preemptive priority M/M/c; {} replications x {} days",
        case.replications, case.days
    );
    let failures = tables.compare(&title, &checks, PRIORITY_CHECKS);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_full_waiting_room_turns_away_as_m_m_c_k() {
    let case = Case {
        name: "finite",
        seed: 204,
        rate_per_hour: 96.0,
        aht_s: 180.0,
        days: 40,
        replications: 20,
        agents: "count = 5",
        setup: r#"
[[workstream]]
name = "chat"
mode = "live"
share = 1.0
queue = "small"

[[queue]]
name = "small"
overflow = [{ when = "more_waiting_than", value = 3, action = "end" }]
"#,
    };
    let tables = case.run();
    let q = erlang_finite(case.rate_per_sec(1.0), case.aht_s, 5, 3);
    let chat = tables.workstream("base", "chat");
    let checks = vec![
        Check {
            what: "turned away".into(),
            row: tables.summary("base"),
            metric: "lost_share",
            theory: q.blocking_probability,
        },
        Check { what: "admitted".into(), row: chat, metric: "wait_probability", theory: q.admitted_wait_probability },
        Check { what: "admitted".into(), row: chat, metric: "queue_wait_mean_s", theory: q.admitted_mean_wait_s },
    ];
    let title = format!(
        "finite: 96 per hour, AHT 180 s, 5 agents (load 4.8 Erl), more_waiting_than = 3 -> end; M/M/5/8; {} \
         replications x {} days",
        case.replications, case.days
    );
    let failures = tables.compare(&title, &checks, FINITE_CHECKS);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_wait_limit_ends_as_m_m_c_plus_d_and_transfers_without_delay() {
    let case = Case {
        name: "deadline",
        seed: 206,
        rate_per_hour: 96.0,
        aht_s: 180.0,
        days: 40,
        replications: 20,
        agents: "",
        setup: r#"
[[agents.group]]
name = "team"
count = 5
queues = ["first"]

[[agents.group]]
name = "backup-team"
count = 30
queues = ["backup"]

[[workstream]]
name = "chat"
mode = "live"
share = 1.0
queue = "first"

[[queue]]
name = "first"
overflow = [{ when = "waited_longer_than", value = "60s", action = "end" }]

[[queue]]
name = "backup"

[[policy]]
name = "end"

[[policy]]
name = "transfer"
set = { "queue.first.overflow" = [{ when = "waited_longer_than", value = "60s", action = "transfer", to = "backup" }] }
"#,
    };
    let tables = case.run();
    let q = erlang_deadline(case.rate_per_sec(1.0), case.aht_s, 5, 60.0);
    let ended = tables.workstream("end", "chat");
    // The ended ones are counted as abandoned, and as the queue's overflow.
    assert_eq!(tables.queue("end", "first")["overflowed"], ended["abandoned"]);
    // Transferred instead: 30 backup agents for under 1 Erlang are all busy with probability below 1e-30, so a
    // transferred conversation is answered the moment it arrives there: the same waits, nobody abandons.
    let transferred = tables.workstream("transfer", "chat");
    for metric in ["wait_probability", "queue_wait_mean_s", "queue_wait_mean_s_ci95", "service_level"] {
        assert_eq!(transferred[metric], ended[metric], "{metric}: a transfer to free agents changed the wait");
    }
    assert_eq!(transferred["abandoned"], 0.0);
    let (out, into) = (tables.queue("transfer", "first"), tables.queue("transfer", "backup"));
    assert_eq!((out["transferred_out"], into["transferred_in"]), (ended["abandoned"], ended["abandoned"]));
    let checks = vec![
        Check { what: "ended".into(), row: ended, metric: "abandon_rate", theory: q.ended_probability },
        Check { what: "all".into(), row: ended, metric: "wait_probability", theory: q.wait_probability },
        Check { what: "all".into(), row: ended, metric: "queue_wait_mean_s", theory: q.mean_wait_s },
    ];
    let title = format!(
        "deadline: 96 per hour, AHT 180 s, 5 agents (load 4.8 Erl), waited_longer_than = 60s -> end; M/M/5+D(60 s); \
         {} replications x {} days",
        case.replications, case.days
    );
    let failures = tables.compare(&title, &checks, DEADLINE_CHECKS);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn declined_offers_delay_assignment_geometrically() {
    const ACCEPT_S: f64 = 10.0;
    const DECLINE: f64 = 0.3;
    let case = Case {
        name: "offers",
        seed: 205,
        rate_per_hour: 30.0,
        aht_s: 180.0,
        days: 10,
        replications: 20,
        agents: "count = 20",
        setup: r#"
[[workstream]]
name = "chat"
mode = "live"
share = 1.0
queue = "general"

[[queue]]
name = "general"

[offers]
countdown = "2m"
accept = { dist = "constant", value = "10s" }
decline = 0.3
decline_limit = 3

[[policy]]
name = "declines"

[[policy]]
name = "no-declines"
set = { "offers.decline" = 0.0 }
"#,
    };
    let tables = case.run();
    // Without declines the timeline is exact: every conversation is offered once and waits exactly the accept
    // time, in every replication.
    let exact = tables.workstream("no-declines", "chat");
    assert_eq!((exact["queue_wait_mean_s"], exact["queue_wait_mean_s_ci95"]), (ACCEPT_S, 0.0), "no declines");
    let general = tables.queue("no-declines", "general");
    assert_eq!((general["offers"], general["declines"]), (general["conversations"], 0.0), "one offer each");
    let chat = tables.workstream("declines", "chat");
    // 1.5 Erlangs on 20 agents: all busy with probability Erlang C(20, 1.5) < 1e-14, so every offer finds a
    // free agent and the wait is the offers' alone. Every conversation waits at least one accept time: exact.
    assert!(erlang_c(case.rate_per_sec(1.0), case.aht_s, 20).wait_probability < 1e-14);
    assert_eq!(chat["wait_probability"], 1.0, "every conversation waits for its offer to be accepted");
    let expected = ACCEPT_S / (1.0 - DECLINE);
    let checks = vec![Check { what: "offered".into(), row: chat, metric: "queue_wait_mean_s", theory: expected }];
    let title = format!(
        "offers: 30 per hour, AHT 180 s, 20 agents (1.5 Erl), accept constant {ACCEPT_S} s, decline {DECLINE}; \
         mean wait A / (1 - p); {} replications x {} days",
        case.replications, case.days
    );
    let failures = tables.compare(&title, &checks, OFFER_CHECKS);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
