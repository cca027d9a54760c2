//! One customer, constant times: every number of the run can be worked out by hand, so the engine must hit it
//! exactly. The customer arrives at 0:01:00 with two sessions of two messages; replies take 45 s, the customer
//! answers 30 s after each reply, and comes back 2 hours after the first session. Wrap-up takes 30 s.

use chatcap::metrics::summary::{METRICS, metric_values};
use chatcap::scenario::load_str;
use chatcap::sim::run::{RunOptions, simulate};
use std::fs;

fn scenario(policy: &str, dir: &std::path::Path) -> chatcap::scenario::Scenario {
    fs::write(dir.join("one.csv"), "arrival,sessions,messages\n60,2,2\n").unwrap();
    let text = format!(
        r#"name = "one-customer"
duration = "1d"
drain = "1d"
[arrivals]
trace = "one.csv"
[customer]
think = {{ dist = "constant", value = "30s" }}
away = {{ dist = "constant", value = "2h" }}
[agents]
count = 1
capacity = 2
reply = {{ dist = "constant", value = "45s" }}
wrap_up = {{ dist = "constant", value = "30s" }}
{policy}"#
    );
    load_str(&text, &dir.join("one.toml"), &[]).expect("valid")
}

fn metrics(policy: &str) -> Vec<(&'static str, Option<f64>)> {
    let dir = tempfile::TempDir::new().unwrap();
    let s = scenario(policy, dir.path());
    let runs = simulate(&s, &RunOptions { jobs: 1, ..RunOptions::default() }).unwrap();
    let values = metric_values(&runs[0].replications[0].measured, s.agents.capacity);
    METRICS.iter().copied().zip(values).collect()
}

fn get(m: &[(&str, Option<f64>)], name: &str) -> f64 {
    m.iter().find(|(n, _)| *n == name).and_then(|(_, v)| *v).unwrap_or_else(|| panic!("{name} undefined"))
}

fn close(a: f64, b: f64) -> bool {
    let ok = (a - b).abs() < 1e-9 * b.abs().max(1.0);
    if !ok {
        eprintln!("got {a}, expected {b}");
    }
    ok
}

#[test]
fn persistent_parks_between_sessions_and_returns_to_the_same_agent() {
    let m = metrics("[[policy]]\nname = \"persistent\"\nmode = \"persistent\"\npark_after_idle = \"10m\"\n");
    // 0:01:00 arrives and is taken at once; replies at 1:45 and 3:00; parked at 13:00 (10 min of silence);
    // returns at 2:03:00, replies at 2:03:45 and 2:05:00, ends, wrap-up until 2:05:30.
    assert_eq!(get(&m, "conversations"), 1.0);
    assert_eq!(get(&m, "conversations_closed"), 1.0);
    assert_eq!(get(&m, "queue_wait_mean_s"), 0.0);
    assert_eq!(get(&m, "wait_probability"), 0.0);
    assert_eq!(get(&m, "service_level"), 1.0);
    assert_eq!(get(&m, "response_mean_s"), 45.0);
    assert_eq!(get(&m, "first_response_mean_s"), 45.0);
    assert_eq!(get(&m, "same_agent_share"), 1.0);
    assert_eq!(get(&m, "recontacts"), 0.0);
    let day = 86_400.0;
    let held = (780.0 - 60.0) + (7_530.0 - 7_380.0);
    let parked = 7_380.0 - 780.0;
    assert!(close(get(&m, "reclaimed_capacity_share"), parked / (parked + held)));
    assert!(close(get(&m, "capacity_utilisation"), held / (2.0 * day)));
    assert!(close(get(&m, "reclaimed_agent_equivalents"), parked / (2.0 * day)));
    assert!(close(get(&m, "occupancy"), (4.0 * 45.0 + 30.0) / day));
}

#[test]
fn live_ends_the_silent_conversation_and_the_return_is_a_recontact() {
    let m = metrics("[[policy]]\nname = \"live\"\nmode = \"live\"\nend_after_idle = \"3m\"\n");
    // 0:01:00 arrives; replies at 1:45 and 3:00; silent 3 min -> ends at 6:00, wrap-up to 6:30. At 2:03:00
    // the customer writes again: a new conversation, replies at 2:03:45 and 2:05:00, wrap-up to 2:05:30.
    assert_eq!(get(&m, "conversations"), 2.0);
    assert_eq!(get(&m, "recontacts"), 1.0);
    assert_eq!(get(&m, "conversations_closed"), 2.0);
    assert_eq!(get(&m, "response_mean_s"), 45.0);
    assert_eq!(get(&m, "same_agent_share"), 1.0, "one agent: the recontact meets the same one");
    assert_eq!(get(&m, "reclaimed_capacity_share"), 0.0);
    let day = 86_400.0;
    let held = (390.0 - 60.0) + (7_530.0 - 7_380.0);
    assert!(close(get(&m, "capacity_utilisation"), held / (2.0 * day)));
    assert!(close(get(&m, "occupancy"), (4.0 * 45.0 + 2.0 * 30.0) / day));
}

/// Two customers at the same instant, one agent with two slots; replies are 45 s, twice as long at 2 chats.
fn two_at_once(attention: &str) -> Vec<(&'static str, Option<f64>)> {
    let dir = tempfile::TempDir::new().unwrap();
    fs::write(dir.path().join("two.csv"), "arrival\n60\n60\n").unwrap();
    let text = format!(
        "name = \"two\"\nduration = \"1h\"\n[arrivals]\ntrace = \"two.csv\"\n[agents]\ncount = 1\ncapacity = 2\n\
         attention = \"{attention}\"\nslowdown = [1.0, 2.0]\nreply = {{ dist = \"constant\", value = \"45s\" }}\n\
         wrap_up = {{ dist = \"constant\", value = \"30s\" }}\n[[policy]]\nname = \"live\"\nmode = \"live\"\n"
    );
    let s = load_str(&text, &dir.path().join("two.toml"), &[]).unwrap();
    let runs = simulate(&s, &RunOptions { jobs: 1, ..RunOptions::default() }).unwrap();
    METRICS.iter().copied().zip(metric_values(&runs[0].replications[0].measured, 2)).collect()
}

#[test]
fn single_attention_writes_one_reply_at_a_time_slower_under_load() {
    // The first reply starts at once with one active chat: 45 s. The second waits for it and starts at 1:45,
    // when the first conversation is in wrap-up (not active): one active chat, 45 s, answered 90 s after
    // arrival. The first one's wrap-up waits behind that reply on the single desk.
    let m = two_at_once("single");
    assert_eq!(get(&m, "response_mean_s"), (45.0 + 90.0) / 2.0);
    // Busy from 1:00 to 3:30: two replies and two 30 s wrap-ups back to back.
    assert!(close(get(&m, "occupancy"), (45.0 + 45.0 + 30.0 + 30.0) / 3_600.0));
}

#[test]
fn parallel_attention_writes_replies_side_by_side() {
    // Both replies start at 1:00: the first with one chat held (45 s), the second with two (90 s).
    let m = two_at_once("parallel");
    assert_eq!(get(&m, "response_mean_s"), (45.0 + 90.0) / 2.0);
    // Working (at least one task in progress) from 1:00 until the second wrap-up ends at 3:00.
    assert!(close(get(&m, "occupancy"), 120.0 / 3_600.0));
}

#[test]
fn waits_in_open_hours_exclude_the_time_the_queue_was_closed() {
    // A persistent customer writes at 07:00 to a queue that opens at 08:00; the agent (on duty all day)
    // takes it at the opening and replies 45 s later. An hour and 45 s in all, 45 s of it in opening hours.
    let dir = tempfile::TempDir::new().unwrap();
    fs::write(dir.path().join("early.csv"), "arrival\n2024-01-01 07:00:00\n").unwrap();
    let text = "name = \"early\"\nduration = \"1d\"\n[hours]\nmon = \"08:00-20:00\"\n[arrivals]\ntrace = \"early.csv\"\n\
                [agents]\ncount = 1\nreply = { dist = \"constant\", value = \"45s\" }\n\
                [[policy]]\nname = \"persistent\"\nmode = \"persistent\"\n";
    let s = load_str(text, &dir.path().join("early.toml"), &[]).unwrap();
    let runs = simulate(&s, &RunOptions { jobs: 1, ..RunOptions::default() }).unwrap();
    let m: Vec<(&str, Option<f64>)> =
        METRICS.iter().copied().zip(metric_values(&runs[0].replications[0].measured, 1)).collect();
    assert_eq!(get(&m, "queue_wait_mean_s"), 3_600.0);
    assert_eq!(get(&m, "service_level"), 0.0);
    assert_eq!(get(&m, "service_level_open_hours"), 1.0);
    let bound = chatcap::metrics::RELATIVE_ERROR;
    assert!((get(&m, "first_response_p90_s") - 3_645.0).abs() <= 3_645.0 * bound);
    assert!((get(&m, "first_response_open_p90_s") - 45.0).abs() <= 45.0 * bound);
}

#[test]
fn a_long_chain_of_instant_work_does_not_overflow_the_stack() {
    // Thousands of persistent conversations wait overnight for an agent whose replies and wrap-ups take no
    // time: at the opening every one of them is answered and closed in the same instant.
    let dir = tempfile::TempDir::new().unwrap();
    let text = "name = \"instant\"\nduration = \"1d\"\n[hours]\nmon = \"20:00-24:00\"\n[arrivals]\nrate = 1000\n\
                [agents]\ncount = 1\nreply = { dist = \"constant\", value = \"0s\" }\n\
                [[policy]]\nname = \"persistent\"\nmode = \"persistent\"\n";
    let s = load_str(text, &dir.path().join("instant.toml"), &[]).unwrap();
    let runs = simulate(&s, &RunOptions { jobs: 1, ..RunOptions::default() }).unwrap();
    let m = &runs[0].replications[0].measured;
    assert!(m.conversations > 15_000, "{} conversations", m.conversations);
    assert_eq!(m.closed, m.conversations, "every one answered and closed");
}
