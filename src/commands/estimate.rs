//! What a scenario asks of the machine, before it runs: conversations, simulated days, events, output sizes.
//!
//! Every key has its own cap, but their product does not: ten years of a million arrivals an hour, replicated
//! ten thousand times, passes each check. `chatcap check` prints this estimate, and `run` refuses a scenario
//! past one of the limits below (exit 2, naming the keys and the figure) unless `--force` is given. The
//! figures are expectations from the scenario's own rates (a Poisson rate times its hourly and weekly
//! factors, or a trace's count), not bounds; they count new conversations, and recontacts add some more
//! (a quarter more on `scenarios/persistent-vs-live.toml`). With `[[workstream]]`, a run's arrivals are
//! `[arrivals]` plus every workstream's own stream, averaged over the policies (whose `set` may change them).
//!
//! The outputs stream: `intervals.csv` and `conversations.csv` are written to disk run by run (see
//! [`crate::report::stream`]), so their row limits bound the files' size and the time spent writing them, not
//! the memory, which no longer grows with replications, intervals or conversations over runs.

use crate::scenario::{Arrivals, Entry, Scenario};
use crate::{Error, Result};

/// Most conversations simulated in one command, over every policy and replication: about ten minutes per core
/// at the benchmarked 2-3 million a second, and hours on an overloaded persistent scenario.
pub const MAX_CONVERSATIONS: f64 = 1e9;
/// Most `intervals.csv` rows (policies x replications x intervals of the window): about 180 MB of file at
/// [`INTERVAL_ROW_BYTES`] each; the rows are streamed to disk, not held in memory.
pub const MAX_INTERVAL_ROWS: f64 = 2e6;
/// Most `conversations.csv` rows (policies x replications x conversations of the window), with
/// `--conversations`: about 1.5 GB of file at [`CONVERSATION_ROW_BYTES`] each; the rows are streamed to disk.
pub const MAX_CONVERSATION_ROWS: f64 = 2e7;

/// Bytes of one `intervals.csv` row and one `conversations.csv` row, measured on
/// `scenarios/persistent-vs-live.toml` (`chatcap run --conversations`: 592,787 bytes for 6,720 rows, 9,030,740
/// for 117,334).
const INTERVAL_ROW_BYTES: f64 = 90.0;
const CONVERSATION_ROW_BYTES: f64 = 77.0;

/// The work a scenario asks for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// Policies times replications: the runs.
    pub runs: f64,
    /// Conversations arriving in one run (warm-up and window).
    pub per_run: f64,
    /// Of those, the ones in the measured window.
    pub in_window: f64,
    /// Conversations over every run.
    pub conversations: f64,
    /// Simulated days of one run, drain included (the most a run simulates).
    pub days_per_run: f64,
    /// Events over every run: an arrival, then two per message (sent, answered), roughly.
    pub events: f64,
    /// `intervals.csv` rows.
    pub interval_rows: f64,
    /// `conversations.csv` rows, with `--conversations`.
    pub conversation_rows: f64,
}

impl Estimate {
    /// The estimate of a loaded scenario.
    pub fn of(s: &Scenario) -> Estimate {
        let (start, end) = s.window();
        let hours = |ms: u64| ms as f64 / 3_600_000.0;
        let expected = |arrivals: &Arrivals| match arrivals {
            Arrivals::Rate { per_hour, hourly, weekly } => {
                let factor = hourly.iter().sum::<f64>() / 24.0 * weekly.iter().sum::<f64>() / 7.0;
                (per_hour * factor * hours(end.0), per_hour * factor * hours(end.0 - start.0))
            }
            Arrivals::Trace(records) => {
                let before = |t: u64| records.iter().filter(|r| r.arrival.0 < t).count() as f64;
                (before(end.0), before(end.0) - before(start.0))
            }
        };
        // The shared arrivals, plus the workstreams' own streams of each policy's set-up, averaged over policies.
        let shared = expected(&s.arrivals);
        let (mut per_run, mut in_window) = (0.0, 0.0);
        for p in &s.policies {
            per_run += shared.0;
            in_window += shared.1;
            for w in p.setup().iter().flat_map(|spec| &spec.workstreams) {
                if let Entry::Own(own) = &w.entry {
                    let (all, window) = expected(own);
                    per_run += all;
                    in_window += window;
                }
            }
        }
        let policies = s.policies.len().max(1) as f64;
        let (per_run, in_window) = (per_run / policies, in_window / policies);
        let runs = s.policies.len() as f64 * f64::from(s.replications);
        let messages = s.customer.sessions.mean() * s.customer.messages.mean();
        let intervals = ((end.0 - start.0) as f64 / s.interval.0.max(1) as f64).ceil();
        Estimate {
            runs,
            per_run,
            in_window,
            conversations: runs * per_run,
            days_per_run: s.horizon().0 as f64 / 86_400_000.0,
            events: runs * per_run * (1.0 + 2.0 * messages),
            interval_rows: runs * intervals,
            conversation_rows: runs * in_window,
        }
    }

    /// The estimate as lines for `chatcap check`.
    pub fn lines(&self) -> Vec<String> {
        vec![
            format!(
                "work: {} runs (policies x replications) x {} conversations = {} conversations, about {} events",
                count(self.runs),
                count(self.per_run),
                count(self.conversations),
                count(self.events)
            ),
            format!("simulated time: at most {:.1} days per run, drain included", self.days_per_run),
            format!(
                "outputs: intervals.csv {} rows (about {}); conversations.csv, with --conversations, {} rows \
                 (about {})",
                count(self.interval_rows),
                bytes(self.interval_rows * INTERVAL_ROW_BYTES),
                count(self.conversation_rows),
                bytes(self.conversation_rows * CONVERSATION_ROW_BYTES)
            ),
        ]
    }

    /// Refuses the estimate past a limit (exit 2), naming the keys that make it so; `conversations` when
    /// `conversations.csv` is asked for.
    pub fn check(&self, scenario: &str, conversations: bool) -> Result<()> {
        let over = |what: String, keys: &str, figure: f64, limit: f64| {
            Error::Input(format!(
                "{scenario}: {what}: {} is more than the limit of {} (set by {keys}); lower them, or pass --force \
                 to run anyway",
                count(figure),
                count(limit)
            ))
        };
        if self.conversations > MAX_CONVERSATIONS {
            return Err(over(
                "conversations to simulate".into(),
                "arrivals.rate or the trace, warmup, duration, replications and the number of [[policy]]",
                self.conversations,
                MAX_CONVERSATIONS,
            ));
        }
        if self.interval_rows > MAX_INTERVAL_ROWS {
            return Err(over(
                "intervals.csv rows".into(),
                "duration, interval, replications and the number of [[policy]]",
                self.interval_rows,
                MAX_INTERVAL_ROWS,
            ));
        }
        if conversations && self.conversation_rows > MAX_CONVERSATION_ROWS {
            return Err(over(
                "conversations.csv rows (--conversations)".into(),
                "arrivals.rate or the trace, duration, replications and the number of [[policy]]",
                self.conversation_rows,
                MAX_CONVERSATION_ROWS,
            ));
        }
        Ok(())
    }
}

/// A count with thousands separators, or in millions and billions when large: `12,345`, `3.2 million`.
fn count(x: f64) -> String {
    if x >= 1e12 {
        format!("{x:.1e}")
    } else if x >= 1e9 {
        format!("{:.1} billion", x / 1e9)
    } else if x >= 1e6 {
        format!("{:.1} million", x / 1e6)
    } else {
        let whole = format!("{:.0}", x.max(0.0));
        let mut out = String::new();
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        out
    }
}

/// A size in KB, MB or GB, in bytes beyond.
fn bytes(b: f64) -> String {
    match b {
        b if b >= 1e12 => format!("{:.1e} bytes", b),
        b if b >= 1e9 => format!("{:.1} GB", b / 1e9),
        b if b >= 1e6 => format!("{:.0} MB", b / 1e6),
        b => format!("{:.0} KB", (b / 1e3).ceil()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn scenario(sets: &[&str]) -> Scenario {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/mmc.toml")).unwrap();
        let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
        crate::scenario::load_str(&text, Path::new("mmc.toml"), &sets).unwrap()
    }

    #[test]
    fn figures_follow_the_keys() {
        // 100 an hour, flat, for 1 day of window and no warm-up: 2,400 conversations per run.
        let e = Estimate::of(&scenario(&[
            "arrivals.rate=100",
            "warmup=0s",
            "duration=1d",
            "replications=3",
            "interval=1h",
        ]));
        assert!((e.per_run - 2_400.0).abs() < 1e-6, "{e:?}");
        assert_eq!(e.runs, 3.0);
        assert_eq!(e.interval_rows, 72.0);
        assert!(e.check("mmc.toml", true).is_ok());
        assert_eq!(count(1_234_567.0), "1.2 million");
        assert_eq!(count(12_345.0), "12,345");
    }

    #[test]
    fn absurd_products_are_refused_naming_the_keys() {
        let e = Estimate::of(&scenario(&["arrivals.rate=1000000", "duration=3650d", "replications=10000"]));
        let m = e.check("mmc.toml", false).unwrap_err().to_string();
        assert!(m.contains("conversations to simulate") && m.contains("replications") && m.contains("--force"), "{m}");
        let e = Estimate::of(&scenario(&["duration=3650d", "interval=1m"]));
        let m = e.check("mmc.toml", false).unwrap_err().to_string();
        assert!(m.contains("intervals.csv rows") && m.contains("interval"), "{m}");
    }
}
