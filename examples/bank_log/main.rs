//! Replays a real month of a bank's call centre through chatcap and compares the replay with history.
//!
//! ```sh
//! cargo run --release --example bank_log -- ../shared/data/anonymous-bank-1999-02.tsv output/bank [docs/bank-replay.png]
//! ```
//!
//! It converts the log (see `chatcap::trace_import` for every choice) into `trace.csv`, `schedule.csv` and
//! `bank-replay.toml` in OUT_DIR, which `chatcap run OUT_DIR/bank-replay.toml --conversations` also runs; replays
//! it; and prints, as Markdown, what the conversion kept and the observed and simulated arrivals, abandonment and
//! mean wait per hour of day. It then calibrates one knob, the share of the inferred headcount that was
//! really answering this queue, by matching the month's abandonment rate and mean wait (the smallest sum of
//! relative errors), and shows the calibrated replay hour by hour too. With a third argument it draws both replays against history as a PNG chart.

mod chart;

use anyhow::{Context, Result, bail};
use chatcap::trace_import::hourly::{self, Hour, Hours};
use chatcap::trace_import::replay::{PATIENCE_SEED, replay, write_inputs};
use chatcap::trace_import::{BankLog, ServedPatience};
use std::path::PathBuf;

/// Headcount factors tried by the calibration, from the inferred headcount down.
const FACTORS: [f64; 11] = [1.0, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6, 0.55, 0.5];

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if !(2..=3).contains(&args.len()) {
        bail!("usage: bank_log LOG.tsv OUT_DIR [CHART.png]");
    }
    let (log_path, out) = (PathBuf::from(&args[0]), PathBuf::from(&args[1]));
    let log = BankLog::read(&log_path)?;
    let scenario = write_inputs(&log, &out)?;
    print_counts(&log);
    println!("\nWrote {} (with trace.csv and schedule.csv beside it).", scenario.display());

    let observed = hourly::observed(&log);
    let seen = hourly::total(&observed);
    let imputed = ServedPatience::Imputed { seed: PATIENCE_SEED };
    println!("\nServed calls' patience imputed with mean {:.0} s.", log.patience_mean_s());
    let inferred = replay(&log, &out, imputed, 1.0)?;
    println!("\n### Replay with the inferred headcount (factor 1.00, imputed patience)\n");
    print_hours(&observed, &inferred);

    println!("\n### Calibration: headcount factor against the month's totals\n");
    println!(
        "| headcount factor | abandonment, imputed patience | mean wait (s), imputed | abandonment, unlimited patience | mean wait (s), unlimited |"
    );
    println!("|---|---|---|---|---|");
    println!(
        "| observed | {} | {} | {} | {} |",
        pct(seen.abandon_rate()),
        secs(seen.mean_wait_s()),
        pct(seen.abandon_rate()),
        secs(seen.mean_wait_s())
    );
    let mut best = (f64::INFINITY, 1.0, inferred);
    for factor in FACTORS {
        let hours = if factor == 1.0 { inferred } else { replay(&log, &out, imputed, factor)? };
        let unlimited = hourly::total(&replay(&log, &out, ServedPatience::Unlimited, factor)?);
        let t = hourly::total(&hours);
        println!(
            "| {factor:.2} | {} | {} | {} | {} |",
            pct(t.abandon_rate()),
            secs(t.mean_wait_s()),
            pct(unlimited.abandon_rate()),
            secs(unlimited.mean_wait_s())
        );
        let gap =
            relative_gap(t.abandon_rate(), seen.abandon_rate()) + relative_gap(t.mean_wait_s(), seen.mean_wait_s());
        if gap < best.0 {
            best = (gap, factor, hours);
        }
    }
    let (_, factor, calibrated) = best;
    println!("\n### Replay with the calibrated headcount (factor {factor:.2}, imputed patience)\n");
    print_hours(&observed, &calibrated);

    if let Some(png) = args.get(2) {
        chart::draw(png.as_ref(), &observed, &inferred, &calibrated, factor).context("drawing the chart")?;
        println!("\nChart: {png}");
    }
    Ok(())
}

fn print_counts(log: &BankLog) {
    let c = &log.counts;
    println!("### What the conversion read and kept\n");
    println!(
        "| rows | AGENT | HANG | PHANTOM | HANG before the queue (dropped) | offered (trace rows) | served at once | AGENT without server | named servers | dates |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    println!(
        "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
        c.rows,
        c.agent,
        c.hang,
        c.phantom,
        c.hang_before_queue,
        log.calls.len(),
        c.served_at_once,
        c.served_without_server,
        c.servers,
        c.dates
    );
    let (mean, sd) = log.service_mean_sd();
    println!(
        "\nServed calls' ser_time: mean {mean:.1} s, sd {sd:.1} s (the reply distribution for calls without one)."
    );
    let agent_hours = log.headcount.iter().map(|&n| f64::from(n)).sum::<f64>() / 2.0;
    println!(
        "Inferred headcount: {agent_hours:.0} agent-hours over the month; the log's service fills {:.1}% of them.",
        100.0 * log.busy_share()
    );
}

/// |simulated - observed| / observed, the calibration's distance on one total.
fn relative_gap(simulated: Option<f64>, observed: Option<f64>) -> f64 {
    match (simulated, observed) {
        (Some(s), Some(o)) if o > 0.0 => (s - o).abs() / o,
        _ => f64::INFINITY,
    }
}

fn pct(v: Option<f64>) -> String {
    v.map_or("-".into(), |x| format!("{:.1}%", 100.0 * x))
}

fn secs(v: Option<f64>) -> String {
    v.map_or("-".into(), |x| format!("{x:.0}"))
}

fn print_hours(observed: &Hours, simulated: &Hours) {
    println!(
        "| hour | arrivals observed | arrivals simulated | abandonment observed | abandonment simulated | mean wait observed (s) | mean wait simulated (s) |"
    );
    println!("|---|---|---|---|---|---|---|");
    let row = |label: &str, o: &Hour, s: &Hour| {
        println!(
            "| {label} | {:.0} | {:.0} | {} | {} | {} | {} |",
            o.arrivals,
            s.arrivals,
            pct(o.abandon_rate()),
            pct(s.abandon_rate()),
            secs(o.mean_wait_s()),
            secs(s.mean_wait_s())
        );
    };
    for (h, (o, s)) in observed.iter().zip(simulated).enumerate() {
        row(&format!("{h:02}:00"), o, s);
    }
    row("all", &hourly::total(observed), &hourly::total(simulated));
}
