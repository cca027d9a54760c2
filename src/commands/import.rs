//! `chatcap import LOG --map MAPPING --out DIR`: a contact log into a trace, a headcount and history.

use crate::Result;
use crate::history::{ContactLog, History, Mapping};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// What `chatcap import` was asked.
#[derive(Debug, Clone)]
pub struct ImportRequest {
    /// The contact log (CSV or TSV).
    pub log: PathBuf,
    /// The mapping file (TOML).
    pub mapping: PathBuf,
    /// Output folder.
    pub out: PathBuf,
}

/// Reads the log, writes `trace.csv`, `schedule.csv`, `history.csv` and `scenario.toml`, and says what it kept.
pub fn import(req: &ImportRequest) -> Result<String> {
    let mapping = Mapping::read(&req.mapping)?;
    let log = ContactLog::read(&req.log, &mapping)?;
    let history = History::new(&log, &mapping);
    history.write(&log, &req.out)?;
    Ok(describe(&log, &history, &req.out))
}

fn describe(log: &ContactLog, h: &History, out: &Path) -> String {
    let c = &log.counts;
    let mut t = String::new();
    let _ = writeln!(
        t,
        "Read {} rows: {} served, {} abandoned ({} of them before reaching the queue, dropped), {} skipped.",
        c.rows, c.served, c.abandoned, c.abandoned_before_queue, c.skipped
    );
    let offered = log.contacts.len();
    let abandoned: f64 = h.intervals.iter().map(|o| o.abandoned).sum();
    let wait: f64 = h.intervals.iter().map(|o| o.wait_s).sum();
    let _ = writeln!(
        t,
        "Offered {offered} contacts over {} day{}: {:.1}% abandoned, mean wait {:.1} s.",
        h.days,
        if h.days == 1 { "" } else { "s" },
        100.0 * abandoned / offered as f64,
        wait / offered as f64
    );
    if h.steps.is_empty() {
        let _ = writeln!(t, "The log names no agent: no schedule inferred (set the headcount in scenario.toml).");
    } else {
        let seen: f64 = h.intervals.iter().map(|o| o.agents_seen).sum::<f64>() * h.interval_s as f64 / 3600.0;
        let present: f64 = h.intervals.iter().map(|o| o.agents_present).sum::<f64>() * h.interval_s as f64 / 3600.0;
        let _ = writeln!(
            t,
            "{} agents ({} served contacts name none). Agent-hours: {present:.0} present (service spells merged \
             across gaps under the presence gap), {seen:.0} seen (anyone serving in an interval, all of it).",
            c.agents, c.served_without_agent
        );
    }
    let _ = writeln!(t, "Patience (maximum likelihood, exponential): mean {:.0} s.", h.patience_mle_s());
    if !h.classes.is_empty() {
        let mut counts = vec![0usize; h.classes.len()];
        log.contacts.iter().filter_map(|c| c.class).for_each(|k| counts[k] += 1);
        let parts: Vec<String> = h
            .classes
            .iter()
            .zip(&counts)
            .enumerate()
            .map(|(k, (name, n))| {
                format!("{name} {n} ({:.1}%, queue priority {})", 100.0 * *n as f64 / offered as f64, k + 1)
            })
            .collect();
        let _ = writeln!(t, "Priority classes, served in this order: {}.", parts.join(", "));
    }
    let dir = out.display();
    let mut files: Vec<String> = ["trace.csv", "history.csv", "scenario.toml"].map(|f| format!("{dir}/{f}")).into();
    if !h.steps.is_empty() {
        files.push(format!("{dir}/schedule.csv"));
    }
    let _ = write!(t, "Wrote {}.\nNext: chatcap calibrate {dir}/scenario.toml --history {dir}", files.join(", "));
    t
}
