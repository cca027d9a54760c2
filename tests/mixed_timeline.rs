//! Live and persistent chat on one team, constant times: every figure of each workstream and queue can be worked
//! out by hand, so the engine must hit it exactly.
//!
//! One agent (capacity 1, replies take 45 s, wrap-up 30 s holding the capacity) serves two queues: `live`
//! (priority 1) and `messages` (priority 2). A live customer arrives at 0:01:00 with one message; a persistent
//! customer arrives at 0:01:30 with two sessions of one message, coming back after 1 hour.
//!
//! - 0:01:00 live: taken at once; reply at 0:01:45, the need is met, wrap-up until 0:02:15.
//! - 0:01:30 persistent: the agent is full, so it waits in `messages`; taken at 0:02:15 (45 s wait); reply at
//!   0:03:00 (first response 90 s); silent 10 minutes, parked at 0:13:00.
//! - 1:03:00 the persistent customer is back: straight to the same agent, reply at 1:03:45 (45 s), need met,
//!   wrap-up until 1:04:15.

use chatcap::metrics::summary::{METRICS, metric_values};
use chatcap::scenario::load_str;
use chatcap::sim::run::{RunOptions, simulate};
use std::fs;

/// Every metric of one measurement, by name.
type Named = Vec<(&'static str, Option<f64>)>;

/// The team's figures, then each workstream's, then each queue's.
fn run() -> (Named, Vec<Named>, Vec<Named>) {
    let dir = tempfile::TempDir::new().unwrap();
    fs::write(dir.path().join("live.csv"), "arrival,sessions,messages\n60,1,1\n").unwrap();
    fs::write(dir.path().join("persistent.csv"), "arrival,sessions,messages\n90,2,1\n").unwrap();
    let text = r#"name = "mixed"
duration = "1d"
drain = "1d"
[customer]
think = { dist = "constant", value = "30s" }
away = { dist = "constant", value = "1h" }
[agents]
count = 1
capacity = 1
reply = { dist = "constant", value = "45s" }
wrap_up = { dist = "constant", value = "30s" }

[[workstream]]
name = "chat-live"
mode = "live"
arrivals = { trace = "live.csv" }
queue = "live"

[[workstream]]
name = "chat-persistent"
mode = "persistent"
park_after_idle = "10m"
arrivals = { trace = "persistent.csv" }
queue = "messages"

[[queue]]
name = "live"
priority = 1

[[queue]]
name = "messages"
priority = 2
"#;
    let s = load_str(text, &dir.path().join("mixed.toml"), &[]).expect("valid");
    let runs = simulate(&s, &RunOptions { jobs: 1, ..RunOptions::default() }).unwrap();
    let r = &runs[0].replications[0];
    let named = |m| METRICS.iter().copied().zip(metric_values(m, 1)).collect::<Vec<_>>();
    let b = r.breakdown.as_ref().expect("a set-up is measured by part");
    (
        named(&r.measured),
        b.workstreams.iter().map(|p| named(&p.measured)).collect(),
        b.queues.iter().map(|p| named(&p.measured)).collect(),
    )
}

fn get(m: &[(&str, Option<f64>)], name: &str) -> f64 {
    m.iter().find(|(n, _)| *n == name).and_then(|(_, v)| *v).unwrap_or_else(|| panic!("{name} undefined"))
}

#[test]
fn each_workstream_and_queue_meets_the_hand_computed_timeline() {
    let (team, workstreams, queues) = run();
    assert_eq!(get(&team, "conversations"), 2.0);
    assert_eq!(get(&team, "conversations_closed"), 2.0);
    assert_eq!(get(&team, "queue_wait_mean_s"), 22.5, "0 s and 45 s");
    assert_eq!(get(&team, "wait_probability"), 0.5);

    let (live, persistent) = (&workstreams[0], &workstreams[1]);
    assert_eq!(get(live, "conversations"), 1.0);
    assert_eq!(get(live, "queue_wait_mean_s"), 0.0);
    assert_eq!(get(live, "first_response_mean_s"), 45.0);
    assert_eq!(get(live, "response_mean_s"), 45.0);
    assert_eq!(get(persistent, "conversations"), 1.0);
    assert_eq!(get(persistent, "queue_wait_mean_s"), 45.0, "taken when the live wrap-up ends");
    assert_eq!(get(persistent, "wait_probability"), 1.0);
    assert_eq!(get(persistent, "first_response_mean_s"), 90.0);
    assert_eq!(get(persistent, "response_mean_s"), (90.0 + 45.0) / 2.0);
    assert_eq!(get(persistent, "same_agent_share"), 1.0, "the return goes to the same agent");
    assert_eq!(get(persistent, "recontacts"), 0.0);
    // Capacity held against the team's capacity online (1 unit for the day's 86,400 s, plus the drain's
    // time to the last event, measured inside the window only): live 0:01:00-0:02:15, persistent
    // 0:02:15-0:13:00 and 1:03:00-1:04:15.
    let held_live = 75.0;
    let held_persistent = (780.0 - 135.0) + 75.0;
    let day = 86_400.0;
    let capacity_online = get(&team, "capacity_utilisation");
    assert!((capacity_online - (held_live + held_persistent) / day).abs() < 1e-12, "{capacity_online}");

    let (q_live, q_messages) = (&queues[0], &queues[1]);
    assert_eq!(get(q_live, "conversations"), 1.0);
    assert_eq!(get(q_live, "queue_wait_mean_s"), 0.0);
    assert_eq!(get(q_messages, "conversations"), 1.0);
    assert_eq!(get(q_messages, "queue_wait_mean_s"), 45.0);
}
