//! The folder `chatcap import` writes and `chatcap calibrate` reads: `trace.csv`, `schedule.csv`,
//! `history.csv` and `scenario.toml`.

use super::log::{ContactLog, Fate};
use super::mapping::Mapping;
use super::presence::{self, Steps};
use crate::hours::civil_from_days;
use crate::report::atomic::Staging;
use crate::{Error, Result};
use std::fmt::Write as _;
use std::path::Path;

const DAY_S: i64 = 86_400;

/// One interval of history as `history.csv` has it.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Observed {
    /// Start, seconds since 1970-01-01.
    pub start_s: i64,
    /// Contacts that joined the queue in the interval.
    pub offered: f64,
    /// Of them, served.
    pub served: f64,
    /// Of them, abandoned.
    pub abandoned: f64,
    /// Sum of their waits, seconds.
    pub wait_s: f64,
    /// Of them, served within the service-level threshold.
    pub within_sl: f64,
    /// Distinct agents with a service overlapping the interval.
    pub agents_seen: f64,
    /// Time-averaged agents present (service spells merged across short gaps).
    pub agents_present: f64,
}

/// A log turned into history: intervals, the inferred headcount, and the facts a scenario needs.
#[derive(Debug, Clone)]
pub struct History {
    /// Midnight of the first contact's date, days since 1970-01-01.
    pub first_day: i64,
    /// Days covered, the last contact's included.
    pub days: i64,
    /// Interval length, seconds.
    pub interval_s: i64,
    /// Service-level threshold, seconds.
    pub service_level_s: f64,
    /// Every interval of every day covered.
    pub intervals: Vec<Observed>,
    /// Agents present, as changes; empty when the log names no agent.
    pub steps: Steps,
    /// The mapping's priority classes, most urgent first: the workstreams and queues of `scenario.toml`.
    pub classes: Vec<String>,
}

/// `YYYY-MM-DD HH:MM:SS` of seconds since 1970-01-01.
pub fn timestamp(s: i64) -> String {
    let (y, m, d) = civil_from_days(s.div_euclid(DAY_S));
    let tod = s.rem_euclid(DAY_S);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}", tod / 3600, tod / 60 % 60, tod % 60)
}

impl History {
    /// Intervals and inferred presence of a log.
    pub fn new(log: &ContactLog, mapping: &Mapping) -> History {
        let first_day = log.contacts.first().map_or(0, |c| c.entry_s.div_euclid(DAY_S));
        let services = log.services_by_agent();
        let spells = presence::spells(&services, mapping.presence_gap_s, mapping.presence_pad_s);
        let steps = presence::steps(&spells);
        let last = log.contacts.last().map_or(0, |c| c.entry_s).max(steps.last().map_or(0, |s| s.0));
        let days = last.div_euclid(DAY_S) - first_day + 1;
        let step = mapping.interval_s;
        let n = (days * DAY_S / step) as usize;
        let origin = first_day * DAY_S;
        let mut intervals: Vec<Observed> = (0..n)
            .map(|k| {
                let start_s = origin + k as i64 * step;
                Observed {
                    start_s,
                    agents_present: presence::mean_over(&steps, start_s, start_s + step),
                    ..Default::default()
                }
            })
            .collect();
        for c in &log.contacts {
            let o = &mut intervals[((c.entry_s - origin) / step) as usize];
            o.offered += 1.0;
            o.wait_s += c.wait_s;
            match c.fate {
                Fate::Served => {
                    o.served += 1.0;
                    o.within_sl += f64::from(u8::from(c.wait_s <= mapping.service_level_s));
                }
                Fate::Abandoned => o.abandoned += 1.0,
            }
        }
        for (_, list) in services {
            let mut last_slot = None;
            for (s, e) in list {
                let first = ((s - origin) / step).max(0) as usize;
                let end = ((e.max(s + 1) - 1 - origin) / step).max(0) as usize;
                let (from, to) = (first.max(last_slot.map_or(0, |l: usize| l + 1)), end.min(n - 1));
                if from <= to {
                    intervals[from..=to].iter_mut().for_each(|o| o.agents_seen += 1.0);
                    last_slot = Some(to);
                }
            }
        }
        let classes = mapping.priority_classes.iter().map(|c| c.name.clone()).collect();
        History {
            first_day,
            days,
            interval_s: step,
            service_level_s: mapping.service_level_s,
            intervals,
            steps,
            classes,
        }
    }

    /// Maximum-likelihood mean of an exponential patience, waits censored by service: total wait / abandoned.
    pub fn patience_mle_s(&self) -> f64 {
        let (wait, ab) = self.intervals.iter().fold((0.0, 0.0), |(w, a), o| (w + o.wait_s, a + o.abandoned));
        wait / f64::max(ab, 1.0)
    }

    /// `history.csv`.
    pub fn history_csv(&self) -> String {
        let mut out = String::from(
            "interval_start,offered,served,abandoned,abandon_rate,wait_mean_s,service_level,agents_seen,agents_present\n",
        );
        for o in &self.intervals {
            let ratio = |x: f64, digits: usize| {
                if o.offered > 0.0 { format!("{:.digits$}", x / o.offered) } else { String::new() }
            };
            let _ = writeln!(
                out,
                "{},{},{},{},{},{},{},{},{:.3}",
                timestamp(o.start_s),
                o.offered,
                o.served,
                o.abandoned,
                ratio(o.abandoned, 4),
                ratio(o.wait_s, 3),
                ratio(o.within_sl, 4),
                o.agents_seen,
                o.agents_present
            );
        }
        out
    }

    /// `schedule.csv`: agents present, one row per change, from the first date's midnight.
    pub fn schedule_csv(&self) -> String {
        let mut out = String::from("from,agents\n");
        let origin = self.first_day * DAY_S;
        if self.steps.first().is_none_or(|s| s.0 > origin) {
            let _ = writeln!(out, "{},0", timestamp(origin));
        }
        for &(t, n) in &self.steps {
            let _ = writeln!(out, "{},{n}", timestamp(t));
        }
        out
    }

    /// A live, capacity-1 replay scenario of this history.
    pub fn scenario_toml(&self, log: &ContactLog) -> String {
        let handles: Vec<f64> = log.contacts.iter().filter_map(|c| c.handle_s).collect();
        let n = handles.len().max(1) as f64;
        let mean = (handles.iter().sum::<f64>() / n).max(1.0);
        let sd = (handles.iter().map(|h| (h - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0)).sqrt().max(1.0);
        let staffing = if self.steps.is_empty() {
            "# The log names no agent, so no schedule was inferred: set the headcount you had.\ncount = 1".to_string()
        } else {
            "# Agents present, inferred from service spells (see README, \"Calibrating to history\").\n\
             schedule = \"schedule.csv\""
                .to_string()
        };
        format!(
            "# Replay of a contact log, written by `chatcap import`. One contact = one conversation of one message;\n\
             # arrivals and handle times come from the log (trace.csv). Fit the unknowns with `chatcap calibrate`.\n\
             name = \"history-replay\"\nseed = 1\nstart = \"{start}\"\nduration = \"{days}d\"\nreplications = 5\n\
             service_level = \"{sl}s\"\ninterval = \"{iv}s\"\n\n[arrivals]\ntrace = \"trace.csv\"\n\n[customer]\n\
             sessions = {{ dist = \"constant\", value = 1 }}\nmessages = {{ dist = \"constant\", value = 1 }}\n\
             # Maximum-likelihood exponential patience from the log: total wait / abandoned contacts.\n\
             patience = {{ dist = \"exponential\", mean = \"{pat:.0}s\" }}\n\n[agents]\n{staffing}\ncapacity = 1\n\
             # The served contacts' handle times; used only for contacts the trace gives none (abandoned ones).\n\
             reply = {{ dist = \"lognormal\", mean = \"{mean:.0}s\", sd = \"{sd:.0}s\" }}\n\n\
             {routing}",
            start = timestamp(self.first_day * DAY_S),
            days = self.days,
            sl = self.service_level_s,
            iv = self.interval_s,
            pat = self.patience_mle_s().max(1.0),
            routing = self.routing_toml(log),
        )
    }

    /// The scenario's routing: one live queue without priority classes; with them, one workstream and one queue
    /// per class, the most urgent class's queue first (priority 1, 2, ...), every queue served by all agents.
    fn routing_toml(&self, log: &ContactLog) -> String {
        if self.classes.is_empty() {
            return "[[policy]]\nname = \"live\"\nmode = \"live\"\n".to_string();
        }
        let mut counts = vec![0u64; self.classes.len()];
        for c in &log.contacts {
            if let Some(k) = c.class {
                counts[k] += 1;
            }
        }
        let shares = shares_in_millionths(&counts);
        let mut out = String::from(
            "# One workstream and one queue per priority class of the log (the mapping's [[priority_class]],\n\
             # most urgent first): each contact enters its class's workstream (the trace's workstream column).\n\
             # A free agent takes a contact from the queue of lowest priority number first, first come first\n\
             # served within a queue. A share is the class's share of the log, used only for a trace row that\n\
             # names no workstream.\n",
        );
        for (name, share) in self.classes.iter().zip(&shares) {
            let _ = write!(
                out,
                "\n[[workstream]]\nname = \"{name}\"\nmode = \"live\"\nshare = {}.{:06}\nqueue = \"{name}\"\n",
                share / 1_000_000,
                share % 1_000_000
            );
        }
        for (k, name) in self.classes.iter().enumerate() {
            let _ = write!(out, "\n[[queue]]\nname = \"{name}\"\npriority = {}\n", k + 1);
        }
        out
    }

    /// Writes the four files into `dir` (created if needed), all or none.
    pub fn write(&self, log: &ContactLog, dir: &Path) -> Result<()> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let mut staging = Staging::new();
        staging.write(&dir.join("trace.csv"), trace_csv(log, &self.classes).as_bytes())?;
        if !self.steps.is_empty() {
            staging.write(&dir.join("schedule.csv"), self.schedule_csv().as_bytes())?;
        }
        staging.write(&dir.join("history.csv"), self.history_csv().as_bytes())?;
        staging.write(&dir.join("scenario.toml"), self.scenario_toml(log).as_bytes())?;
        staging.commit()
    }
}

/// `trace.csv`: `arrival,handle,type,priority,logged_outcome,logged_wait_s`, and `workstream` (the contact's
/// priority class) when the mapping has `classes`. Abandoned contacts have no handle (drawn from the scenario's
/// reply distribution if served) and no contact a patience (the scenario's `customer.patience` applies;
/// `chatcap calibrate` fits it). The `logged_` columns are what history says happened; chatcap reads them only to
/// calibrate, never as inputs of a run.
pub fn trace_csv(log: &ContactLog, classes: &[String]) -> String {
    let mut out = String::from("arrival,handle,type,priority,logged_outcome,logged_wait_s");
    out.push_str(if classes.is_empty() { "\n" } else { ",workstream\n" });
    for c in &log.contacts {
        let handle = c.handle_s.map(|h| format!("{h}")).unwrap_or_default();
        let outcome = match c.fate {
            Fate::Served => "served",
            Fate::Abandoned => "abandoned",
        };
        let _ = write!(
            out,
            "{},{handle},{},{},{outcome},{}",
            timestamp(c.entry_s),
            csv_text(&c.kind),
            csv_text(&c.priority),
            c.wait_s
        );
        match c.class.and_then(|k| classes.get(k)) {
            Some(name) => {
                let _ = writeln!(out, ",{name}");
            }
            None => out.push('\n'),
        }
    }
    out
}

/// Shares of `counts` in millionths, summing to exactly one million: each share rounded down, then the
/// millionths left over go one each to the largest remainders (ties to the later class), so no share is pushed
/// below zero and the scenario's check that shares sum to 1 always holds.
fn shares_in_millionths(counts: &[u64]) -> Vec<u64> {
    let total = counts.iter().sum::<u64>();
    if total == 0 {
        let mut out = vec![0; counts.len()];
        if let Some(last) = out.last_mut() {
            *last = 1_000_000;
        }
        return out;
    }
    let scaled: Vec<u128> = counts.iter().map(|&n| u128::from(n) * 1_000_000).collect();
    let mut out: Vec<u64> = scaled.iter().map(|&x| (x / u128::from(total)) as u64).collect();
    let left = 1_000_000 - out.iter().sum::<u64>();
    let mut by_remainder: Vec<usize> = (0..counts.len()).collect();
    by_remainder.sort_by_key(|&i| (std::cmp::Reverse(scaled[i] % u128::from(total)), std::cmp::Reverse(i)));
    for &i in by_remainder.iter().take(left as usize) {
        out[i] += 1;
    }
    out
}

fn csv_text(s: &str) -> String {
    if s.contains([',', '"', '\n']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
}

/// Reads `history.csv` back; errors name the file and line.
pub fn read_history(path: &Path) -> Result<Vec<Observed>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::Input(format!("{}: cannot read (run `chatcap import` first): {e}", path.display())))?;
    let mut lines = text.lines().enumerate();
    let header: Vec<&str> = lines.next().map(|(_, h)| h.split(',').collect()).unwrap_or_default();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .ok_or_else(|| Error::Input(format!("{}:1: no column {name:?}", path.display())))
    };
    let [start, offered, served, abandoned, wait, sl, seen, present] = [
        "interval_start",
        "offered",
        "served",
        "abandoned",
        "wait_mean_s",
        "service_level",
        "agents_seen",
        "agents_present",
    ]
    .map(col);
    let (start, offered, served, abandoned, wait, sl, seen, present) =
        (start?, offered?, served?, abandoned?, wait?, sl?, seen?, present?);
    let mut out = Vec::new();
    for (i, line) in lines {
        let f: Vec<&str> = line.split(',').collect();
        let bad = |what: &str| Error::Input(format!("{}:{}: {what}", path.display(), i + 1));
        let num = |k: usize| -> Result<f64> {
            match f.get(k).map(|v| v.trim()) {
                Some("") => Ok(0.0),
                Some(v) => v.parse::<f64>().map_err(|_| bad(&format!("{:?} is not a number", header[k]))),
                None => Err(bad(&format!("no {:?}", header[k]))),
            }
        };
        let stamp = crate::scenario::parse_timestamp(f.get(start).copied().unwrap_or("")).map_err(|e| bad(&e))?;
        let n = num(offered)?;
        out.push(Observed {
            start_s: stamp.day * DAY_S + (stamp.ms_of_day / 1000) as i64,
            offered: n,
            served: num(served)?,
            abandoned: num(abandoned)?,
            wait_s: num(wait)? * n,
            within_sl: num(sl)? * n,
            agents_seen: num(seen)?,
            agents_present: num(present)?,
        });
    }
    if out.is_empty() {
        return Err(Error::Input(format!("{}: no intervals", path.display())));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::shares_in_millionths;

    #[test]
    fn shares_sum_to_exactly_one() {
        assert_eq!(shares_in_millionths(&[1, 1, 1]), vec![333_333, 333_333, 333_334]);
        assert_eq!(shares_in_millionths(&[2, 0, 6]), vec![250_000, 0, 750_000]);
        assert_eq!(shares_in_millionths(&[9008, 22117]).iter().sum::<u64>(), 1_000_000);
        assert_eq!(shares_in_millionths(&[0, 0]), vec![0, 1_000_000]);
        // Counts where rounding each share half-up overshoots a million (the last was clamped at 0 and the
        // total stayed above 1).
        assert_eq!(shares_in_millionths(&[1, 1, 4, 0]), vec![166_666, 166_667, 666_667, 0]);
        for a in 0..8u64 {
            for b in 0..8u64 {
                for c in 0..8u64 {
                    for d in [0u64, 1, 3] {
                        let shares = shares_in_millionths(&[a, b, c, d]);
                        assert_eq!(shares.iter().sum::<u64>(), 1_000_000, "{a} {b} {c} {d}: {shares:?}");
                        if a + b + c + d > 0 {
                            assert_eq!(shares[3] == 0, d == 0, "{a} {b} {c} {d}: {shares:?}");
                        }
                    }
                }
            }
        }
    }
}
