//! The real-history replay: the Anonymous Bank log (February 1999) converted into a trace and replayed.
//!
//! The log lives outside the repository (`../shared/data/`, see its README); without it this test says so and
//! passes. With it, the conversion must reproduce the README's facts about the file, and the replay must
//! offer exactly the calls the log offered, hour of day by hour of day: nothing lost or invented between the
//! log, the trace and the simulator's clock.

use chatcap::trace_import::hourly;
use chatcap::trace_import::replay::{PATIENCE_SEED, replay, write_inputs};
use chatcap::trace_import::{BankLog, ServedPatience};
use std::path::Path;

#[test]
fn bank_log_converts_and_replays_with_the_observed_arrivals() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/anonymous-bank-1999-02.tsv");
    if !path.is_file() {
        println!("skipped: {} is not here (the data set is not part of the repository)", path.display());
        return;
    }
    let log = BankLog::read(&path).expect("the log converts");
    let c = &log.counts;
    assert_eq!((c.agent, c.hang, c.phantom), (27_162, 5_904, 278), "outcomes as the README counts them");
    assert_eq!(c.rows, 33_344);
    assert_eq!(c.dates, 28);
    assert_eq!(c.servers + 1, 25, "24 named servers plus NO_SERVER: the README's 25 distinct values");
    assert_eq!(log.service_mean_sd().0.round(), 176.0, "mean ser_time of served calls");
    assert_eq!(log.calls.len() as u64, c.agent + c.hang - c.hang_before_queue, "every AGENT and queued HANG");

    let dir = tempfile::tempdir().expect("temporary folder");
    write_inputs(&log, dir.path()).expect("inputs written");
    let observed = hourly::observed(&log);
    let simulated = replay(&log, dir.path(), ServedPatience::Imputed { seed: PATIENCE_SEED }, 1.0).expect("replays");
    for (hour, (o, s)) in observed.iter().zip(&simulated).enumerate() {
        assert_eq!(o.arrivals, s.arrivals, "arrivals at {hour:02}:00");
    }
    let total = hourly::total(&simulated);
    assert_eq!(total.arrivals, log.calls.len() as f64);
    assert!(total.abandoned <= total.arrivals && total.wait_s > 0.0);
}
