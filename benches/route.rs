//! `chatcap route` from a file: how many event lines per second one core reads, routes and writes decisions for.
//!
//! The file (generated once under target/route-bench/) holds 1,000,000 events for a small team
//! (benches/route-team.toml, 20 agents with 3 slots): a conversation every 3 seconds, each arriving, answered,
//! written to twice more and answered, ended and wrapped up, plus a tick every second that fires the timers the
//! router asked for. Every conversation finds a free slot, so every line is taken. Run with
//! `cargo bench --bench route`; the file can then be timed through the command itself:
//! `chatcap route benches/route-team.toml --input target/route-bench/events.jsonl > /dev/null`.

use chatcap::route::{Driver, run};
use chatcap::scenario::load;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::fmt::Write as _;
use std::io::BufReader;
use std::path::{Path, PathBuf};

const EVENTS: usize = 1_000_000;
const SETUP: &str = "benches/route-team.toml";

/// Writes the event file if it is not there yet; returns its path.
fn events_file() -> PathBuf {
    let path = Path::new("target/route-bench/events.jsonl").to_path_buf();
    if std::fs::read(&path).map(|b| b.iter().filter(|&&c| c == b'\n').count()).ok() == Some(EVENTS) {
        return path;
    }
    let mut events: Vec<(u64, u64, String)> = Vec::new();
    let mut seq = 0u64;
    let mut push = |events: &mut Vec<(u64, u64, String)>, at: u64, line: String| {
        events.push((at, seq, line));
        seq += 1;
    };
    for a in 0..20 {
        let group = if a < 10 { "generalists" } else { "specialists" };
        push(&mut events, 0, format!(r#"{{"at":0,"type":"signed_in","agent":{a},"group":"{group}","capacity":3}}"#));
    }
    // 8 lines a conversation and 3 ticks per conversation: 11 lines each.
    let conversations = (EVENTS - 20) / 11;
    for c in 0..conversations as u64 {
        let t = 1_000 + c * 3_000;
        let arrive = match c % 10 {
            0..=6 => r#""workstream":"web""#,
            7 | 8 => r#""workstream":"app""#,
            _ => r#""workstream":"app","skill":"billing""#,
        };
        push(&mut events, t, format!(r#"{{"at":{t},"type":"arrived","conversation":{c},{arrive}}}"#));
        for (after, kind) in [
            (10_000, "agent_replied"),
            (40_000, "customer_message"),
            (60_000, "agent_replied"),
            (90_000, "customer_message"),
            (110_000, "agent_replied"),
            (120_000, "agent_ended"),
            (130_000, "wrap_up_done"),
        ] {
            let at = t + after;
            push(&mut events, at, format!(r#"{{"at":{at},"type":"{kind}","conversation":{c}}}"#));
        }
    }
    let ticks = EVENTS - events.len();
    for i in 0..ticks as u64 {
        let at = 1_500 + i * 1_000;
        push(&mut events, at, format!(r#"{{"at":{at},"type":"tick"}}"#));
    }
    events.sort_by_key(|(at, seq, _)| (*at, *seq));
    let mut text = String::with_capacity(EVENTS * 64);
    for (_, _, line) in &events {
        writeln!(text, "{line}").expect("writing to a string");
    }
    std::fs::create_dir_all(path.parent().expect("a folder")).expect("target/ is writable");
    std::fs::write(&path, text).expect("target/ is writable");
    path
}

/// Routes the whole file, decisions to nowhere; returns (lines taken, lines refused, decisions).
fn route_file(path: &Path) -> (u64, u64, u64) {
    let scenario = load(Path::new(SETUP), &[]).expect("the bench set-up loads");
    let mut driver = Driver::for_policy(&scenario, &scenario.policies[0]);
    let file = std::fs::File::open(path).expect("the event file");
    let counts =
        run(&mut driver, BufReader::with_capacity(1 << 16, file), &mut std::io::sink(), "events", false, &mut |_| {})
            .expect("routing a file");
    (counts.events, counts.refused, counts.decisions)
}

fn bench(c: &mut Criterion) {
    let path = events_file();
    let (taken, refused, decisions) = route_file(&path);
    assert_eq!((taken, refused), (EVENTS as u64, 0), "the generated file is valid throughout");
    eprintln!("route bench: {taken} events, {decisions} decisions per pass");
    let mut group = c.benchmark_group("route");
    group.sample_size(10);
    group.throughput(Throughput::Elements(EVENTS as u64));
    group.bench_function("file_1m_events_20_agents", |b| b.iter(|| route_file(&path)));
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().without_plots();
    targets = bench
}
criterion_main!(benches);
