//! The routing core alone: how many inputs per second `Router::handle` takes, with no simulator around it.
//!
//! 200 agents with 3 slots each take a rolling stream of persistent conversations through their whole life:
//! arrival and assignment, replies, a customer message, parking after silence, the customer's return to the
//! same agent, the agent ending it, and wrap-up. Run with `cargo bench --bench routing`.

use chatcap::routing::{
    AgentId, ConversationId, Effect, GroupId, Input, Millis, Persistent, Router, RouterConfig, Skills, TimerKind,
    WorkstreamId,
};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

const AGENTS: u32 = 200;
const CONVERSATIONS: u64 = 20_000;

/// Drives `CONVERSATIONS` conversations through the router; returns how many inputs it handled.
fn drive() -> u64 {
    let mut router = Router::single(RouterConfig::default(), Box::new(Persistent::default()));
    let mut out = Vec::with_capacity(16);
    let mut inputs = 0u64;
    let mut now = Millis::ZERO;
    let mut handle = |router: &mut Router, now: Millis, input: Input, out: &mut Vec<Effect>| {
        out.clear();
        inputs += 1;
        router.handle(now, input, out).expect("valid input");
    };
    for a in 0..AGENTS {
        handle(&mut router, now, Input::AgentSignedIn { agent: AgentId(a), group: GroupId(0), capacity: 3 }, &mut out);
    }
    for i in 0..CONVERSATIONS {
        let c = ConversationId(i);
        now += Millis::SECOND;
        handle(
            &mut router,
            now,
            Input::ConversationArrived { conversation: c, workstream: WorkstreamId(0), needs: Skills::NONE },
            &mut out,
        );
        handle(&mut router, now, Input::AgentReplied { conversation: c }, &mut out);
        handle(&mut router, now, Input::CustomerMessage { conversation: c }, &mut out);
        handle(&mut router, now, Input::AgentReplied { conversation: c }, &mut out);
        let idle = out.iter().find_map(|e| match e {
            Effect::StartTimer { timer, at } if timer.kind() == TimerKind::CustomerIdle => Some((*timer, *at)),
            _ => None,
        });
        if let Some((timer, at)) = idle {
            handle(&mut router, now.max(at), Input::TimerFired(timer), &mut out);
            now = now.max(at);
        }
        handle(&mut router, now, Input::CustomerMessage { conversation: c }, &mut out);
        handle(&mut router, now, Input::AgentReplied { conversation: c }, &mut out);
        handle(&mut router, now, Input::AgentEnded { conversation: c }, &mut out);
        handle(&mut router, now, Input::WrapUpDone { conversation: c }, &mut out);
    }
    black_box(router.load());
    inputs
}

fn bench_router(c: &mut Criterion) {
    let inputs = drive();
    let mut group = c.benchmark_group("router");
    group.sample_size(20);
    group.throughput(Throughput::Elements(inputs));
    group.bench_function("persistent_lifecycle_200_agents", |b| b.iter(|| black_box(drive())));
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().without_plots();
    targets = bench_router
}
criterion_main!(benches);
