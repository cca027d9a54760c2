//! Bank log -> trace: a real call-centre log turned into a chatcap trace, staffing schedule and scenario.
//!
//! The log is the Technion "Anonymous Bank" month (one tab-separated row per call: VRU, queue and service
//! times of day, outcome `AGENT` / `HANG` / `PHANTOM`, server name; see `../shared/data/README.md`). Replaying
//! it through the live policy with capacity 1 and one message per conversation tests the simulator against
//! history rather than theory. The choices, each forced by the data:
//!
//! - **Rows kept.** `PHANTOM` rows are lost records, in the README's words (none has a server, and their
//!   outcome is unknown): dropped. `HANG` rows with no queue entry (`q_start` 0:00:00 and `q_time` 0) hung up in
//!   the voice-response unit and never reached an agent's queue: not offered, dropped. Everything else reached
//!   the queue and becomes one conversation.
//! - **Arrival** is the moment the call joined the agents' queue: `q_start` when the call queued, otherwise
//!   `vru_exit` (a call served at once went from the VRU straight to an agent; where both exist they are equal).
//!   Time in the VRU is self-service and not part of the queue.
//! - **Dates.** A call's `date` is the date of `vru_entry`; its other times of day may cross midnight within
//!   that date, so a time more than 12 hours before `vru_entry` belongs to the next day. Calls after midnight
//!   carry the next date already. A call queued at exactly midnight has `q_start` 0:00:00 and a positive
//!   `q_time`, so "queued" means `q_start` not 0:00:00 or `q_time` > 0.
//! - **Served calls** (`AGENT`) get `handle` = `ser_time`, the observed service. Their patience is censored:
//!   they did not give up, so it exceeded their wait, by an unknown amount. [`ServedPatience`] offers two
//!   readings: unlimited (an empty cell), which lets nobody abandon who did not abandon in history, or imputed:
//!   the wait plus an exponential draw whose mean is the maximum-likelihood estimate of an exponential patience
//!   from censored data, total time in queue over the number who abandoned (by memorylessness, an exponential
//!   patience known to exceed the wait is the wait plus a fresh exponential). 491 served calls have no server
//!   name and a few seconds of service; they are kept as served (the README counts them as `AGENT`) but add
//!   nobody to the headcount.
//! - **Abandoned calls** (`HANG` in the queue) get `patience` = `q_time`, the observed time they gave up after,
//!   and no `handle` (drawn from the scenario's reply distribution if the simulation serves them in time).
//! - **Headcount** per half hour is the number of distinct named servers with service activity overlapping that
//!   half hour. It is a lower bound on who was signed in (idle agents leave no trace) and an upper bound on who
//!   answered this queue all the half hour (an agent who took one call at 10:29 counts for 10:00-10:30). The
//!   schedule ends at the last half hour anyone worked, whose headcount stays on so the queue drains.
//! - **Reply distribution**: lognormal with the mean and standard deviation of the served calls' `ser_time`,
//!   used only for calls the trace gives no handle.
//!
//! [`replay`] writes the inputs and runs them; [`hourly`] compares the log and a replay of it hour of day by
//! hour of day.

pub mod hourly;
pub mod replay;

use crate::routing::{Origin, civil_from_days, days_from_civil};
use crate::{Error, Result};
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

/// The patience a served call gets in the trace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServedPatience {
    /// Empty cell: waits without limit.
    Unlimited,
    /// Its observed wait plus an exponential draw with the log's patience estimate as mean, from a generator
    /// seeded with `seed`, so the trace is reproducible.
    Imputed {
        /// Seed of the draws.
        seed: u64,
    },
}

/// Length of a staffing slot, seconds: the schedule has one headcount per half hour.
pub const SLOT_S: i64 = 1800;
const DAY_S: i64 = 86_400;

/// How a call that reached the queue ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// An agent took it (`AGENT`).
    Served,
    /// The caller hung up in the queue (`HANG`).
    Abandoned,
}

/// One call that reached the agents' queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// Seconds from the log's origin (midnight of its first date) to joining the queue.
    pub arrival_s: i64,
    /// Served or abandoned.
    pub fate: Fate,
    /// Seconds in the queue (`q_time`): until served, or until the caller hung up.
    pub wait_s: u32,
    /// Seconds of service (`ser_time`); 0 for abandoned calls.
    pub service_s: u32,
}

/// What the conversion read and what it did with each row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// Data rows read.
    pub rows: u64,
    /// Rows with outcome `AGENT` (served).
    pub agent: u64,
    /// Rows with outcome `HANG` (abandoned, in the VRU or in the queue).
    pub hang: u64,
    /// Rows with outcome `PHANTOM` (lost records, dropped).
    pub phantom: u64,
    /// `HANG` rows that never joined the queue (dropped).
    pub hang_before_queue: u64,
    /// `AGENT` rows served without queueing.
    pub served_at_once: u64,
    /// `AGENT` rows without a server name (kept as served, not staffing anyone).
    pub served_without_server: u64,
    /// Distinct named servers.
    pub servers: u64,
    /// Distinct dates in the `date` column.
    pub dates: u64,
}

/// A bank log, converted.
#[derive(Debug, Clone)]
pub struct BankLog {
    /// Midnight of the first date: the trace's and scenario's clock origin.
    pub origin: Origin,
    /// Days covered from the origin, including any spill past the last date's midnight.
    pub days: i64,
    /// Calls that reached the queue, in arrival order.
    pub calls: Vec<Call>,
    /// Distinct named servers active in each half hour from the origin, [`SLOT_S`] seconds each.
    pub headcount: Vec<u32>,
    /// What was read and kept.
    pub counts: Counts,
}

/// Seconds after midnight of `H:MM:SS`.
fn clock(text: &str) -> Option<i64> {
    let mut parts = text.trim().split(':').map(|p| p.parse::<i64>().ok());
    let (h, m, s) = (parts.next()??, parts.next()??, parts.next()??);
    (parts.next().is_none() && (0..24).contains(&h) && (0..60).contains(&m) && (0..60).contains(&s))
        .then_some(h * 3600 + m * 60 + s)
}

/// Day number of a `YYMMDD` date (years 1900-1999 for `YY` >= 50, else 2000s).
fn date(text: &str) -> Option<i64> {
    let t = text.trim();
    if t.len() != 6 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (yy, mm, dd): (i32, u32, u32) = (t[0..2].parse().ok()?, t[2..4].parse().ok()?, t[4..6].parse().ok()?);
    let year = if yy >= 50 { 1900 + yy } else { 2000 + yy };
    let day = days_from_civil(year, mm, dd);
    (civil_from_days(day) == (year, mm, dd)).then_some(day)
}

/// The columns the conversion reads, by header name.
const COLUMNS: [&str; 10] =
    ["date", "vru_entry", "vru_exit", "q_start", "q_time", "outcome", "ser_start", "ser_exit", "ser_time", "server"];

/// One parsed row, times in seconds from day 0 of the epoch.
struct Row {
    day: i64,
    arrival: i64,
    queued: bool,
    outcome: String,
    wait: u32,
    service: (i64, i64, u32),
    server: String,
}

fn parse_row(fields: &[&str], at: &[usize; 10]) -> std::result::Result<Row, String> {
    let get = |k: usize| fields.get(at[k]).map(|f| f.trim()).ok_or_else(|| format!("missing column {}", COLUMNS[k]));
    let day = date(get(0)?).ok_or_else(|| format!("date: {:?} is not YYMMDD", get(0).unwrap_or("")))?;
    let time = |k: usize| clock(get(k)?).ok_or_else(|| format!("{}: {:?} is not H:MM:SS", COLUMNS[k], get(k)));
    let seconds = |k: usize| get(k)?.parse::<u32>().map_err(|_| format!("{}: not a number of seconds", COLUMNS[k]));
    let entry = time(1)?;
    // A time of day more than 12 hours before the VRU entry crossed midnight: it is on the next day.
    let absolute = |tod: i64| day * DAY_S + tod + if tod + DAY_S / 2 < entry { DAY_S } else { 0 };
    let q_start = time(3)?;
    let wait = seconds(4)?;
    let queued = q_start != 0 || wait > 0;
    let arrival = absolute(if queued { q_start } else { time(2)? });
    let service = (absolute(time(6)?), absolute(time(7)?), seconds(8)?);
    Ok(Row { day, arrival, queued, outcome: get(5)?.to_string(), wait, service, server: get(9)?.to_string() })
}

impl BankLog {
    /// Reads and converts the log at `path`.
    pub fn read(path: &Path) -> Result<BankLog> {
        let text =
            std::fs::read_to_string(path).map_err(|e| Error::Input(format!("{}: cannot read: {e}", path.display())))?;
        BankLog::parse(&text).map_err(|e| Error::Input(format!("{}:{e}", path.display())))
    }

    /// Converts the text of a log (tab-separated, header row first); errors read `LINE: what is wrong`.
    pub fn parse(text: &str) -> std::result::Result<BankLog, String> {
        let mut lines = text.lines().enumerate();
        let header: Vec<&str> = lines.next().map(|(_, h)| h.split('\t').map(str::trim).collect()).unwrap_or_default();
        let mut at = [0usize; 10];
        for (k, name) in COLUMNS.iter().enumerate() {
            at[k] = header.iter().position(|h| h == name).ok_or_else(|| format!("1: no column {name:?}"))?;
        }
        let mut counts = Counts::default();
        let mut calls = Vec::new();
        let mut dates = BTreeSet::new();
        let mut activity: Vec<(String, i64, i64)> = Vec::new();
        for (i, line) in lines {
            if line.trim().is_empty() {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            let row = parse_row(&fields, &at).map_err(|e| format!("{}: {e}", i + 1))?;
            counts.rows += 1;
            dates.insert(row.day);
            let named = row.server != "NO_SERVER" && !row.server.is_empty();
            let fate = match row.outcome.as_str() {
                "AGENT" => {
                    counts.agent += 1;
                    counts.served_at_once += u64::from(!row.queued);
                    counts.served_without_server += u64::from(!named);
                    if named {
                        activity.push((row.server.clone(), row.service.0, row.service.1));
                    }
                    Fate::Served
                }
                "HANG" => {
                    counts.hang += 1;
                    if !row.queued {
                        counts.hang_before_queue += 1;
                        continue;
                    }
                    Fate::Abandoned
                }
                "PHANTOM" => {
                    counts.phantom += 1;
                    continue;
                }
                other => return Err(format!("{}: outcome: {other:?} is not AGENT, HANG or PHANTOM", i + 1)),
            };
            let service_s = if fate == Fate::Served { row.service.2 } else { 0 };
            calls.push(Call { arrival_s: row.arrival, fate, wait_s: row.wait, service_s });
        }
        let first = *dates.first().ok_or("2: the log holds no calls")?;
        counts.dates = dates.len() as u64;
        counts.servers = activity.iter().map(|a| a.0.as_str()).collect::<BTreeSet<_>>().len() as u64;
        for c in &mut calls {
            c.arrival_s -= first * DAY_S;
        }
        calls.sort_by_key(|c| c.arrival_s);
        let last_s = calls
            .last()
            .map_or(0, |c| c.arrival_s)
            .max(activity.iter().map(|a| a.2 - first * DAY_S).max().unwrap_or(0));
        let days = last_s.div_euclid(DAY_S) + 1;
        let headcount = headcount(&activity, first * DAY_S, days);
        Ok(BankLog { origin: Origin::midnight(first), days, calls, headcount, counts })
    }

    /// The trace CSV: `arrival,handle,patience`; served calls carry their service and the patience `served`
    /// says, abandoned ones their observed patience and no handle.
    pub fn trace_csv(&self, served: ServedPatience) -> String {
        let mut out = String::from("arrival,handle,patience\n");
        let mean = self.patience_mean_s();
        let mut rng = match served {
            ServedPatience::Imputed { seed } => Some(Pcg64Mcg::seed_from_u64(seed)),
            ServedPatience::Unlimited => None,
        };
        for c in &self.calls {
            let at = self.timestamp(c.arrival_s);
            let _ = match (c.fate, rng.as_mut()) {
                (Fate::Served, None) => writeln!(out, "{at},{},", c.service_s),
                (Fate::Served, Some(rng)) => {
                    let extra = -mean * (1.0 - rng.random::<f64>()).ln();
                    writeln!(out, "{at},{},{:.1}", c.service_s, f64::from(c.wait_s) + extra)
                }
                (Fate::Abandoned, _) => writeln!(out, "{at},,{}", c.wait_s),
            };
        }
        out
    }

    /// Maximum-likelihood mean of an exponential patience, from waits censored by service: total seconds in
    /// queue of every call over the number who abandoned.
    pub fn patience_mean_s(&self) -> f64 {
        let waited: f64 = self.calls.iter().map(|c| f64::from(c.wait_s)).sum();
        let abandoned = self.calls.iter().filter(|c| c.fate == Fate::Abandoned).count();
        waited / abandoned.max(1) as f64
    }

    /// The schedule CSV (`from,agents`), the inferred headcount scaled by `factor` and rounded, one row per
    /// change. It stops at the last half hour anyone worked, whose headcount stays on so the queue drains.
    pub fn schedule_csv(&self, factor: f64) -> String {
        let mut out = String::from("from,agents\n");
        let mut last = None;
        let worked = self.headcount.iter().rposition(|&n| n > 0).map_or(1, |k| k + 1);
        for (k, &n) in self.headcount[..worked].iter().enumerate() {
            let agents = (f64::from(n) * factor).round() as u32;
            if last != Some(agents) {
                let _ = writeln!(out, "{},{agents}", self.timestamp(k as i64 * SLOT_S));
                last = Some(agents);
            }
        }
        out
    }

    /// Mean and standard deviation of served calls' service times, seconds.
    pub fn service_mean_sd(&self) -> (f64, f64) {
        let served: Vec<f64> =
            self.calls.iter().filter(|c| c.fate == Fate::Served).map(|c| f64::from(c.service_s)).collect();
        let n = served.len().max(1) as f64;
        let mean = served.iter().sum::<f64>() / n;
        let var = served.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
        (mean, var.sqrt())
    }

    /// Service seconds of every served call over the agent-seconds of the inferred headcount: how busy the log
    /// says the inferred staff were (the 491 served calls without a server name add a few seconds each).
    pub fn busy_share(&self) -> f64 {
        let served: f64 = self.calls.iter().map(|c| f64::from(c.service_s)).sum();
        let staffed: f64 = self.headcount.iter().map(|&n| f64::from(n) * SLOT_S as f64).sum();
        served / staffed.max(1.0)
    }

    /// A live, capacity-1 replay scenario reading `trace` and `schedule` (paths relative to the scenario).
    pub fn scenario_toml(&self, trace: &str, schedule: &str) -> String {
        let (mean, sd) = self.service_mean_sd();
        format!(
            "# Replay of a bank call centre's log, written by `cargo run --release --example bank_log`.\n\
             # One call = one conversation of one message; arrivals, service times and patience come from the\n\
             # log ({trace}); the headcount per half hour is inferred from agent activity ({schedule}).\n\
             name = \"bank-replay\"\nseed = 1\nstart = \"{start}\"\nduration = \"{days}d\"\nreplications = 1\n\
             service_level = \"20s\"\n\n[arrivals]\ntrace = \"{trace}\"\n\n[customer]\n\
             sessions = {{ dist = \"constant\", value = 1 }}\nmessages = {{ dist = \"constant\", value = 1 }}\n\n\
             [agents]\nschedule = \"{schedule}\"\ncapacity = 1\n\
             # Fitted to the served calls' ser_time; used only for calls the trace gives no handle.\n\
             reply = {{ dist = \"lognormal\", mean = \"{mean:.0}s\", sd = \"{sd:.0}s\" }}\n\n\
             [[policy]]\nname = \"live\"\nmode = \"live\"\n",
            start = self.timestamp(0),
            days = self.days,
        )
    }

    /// `YYYY-MM-DD HH:MM:SS` of a time `s` seconds from the origin.
    pub fn timestamp(&self, s: i64) -> String {
        let day = self.origin.day + s.div_euclid(DAY_S);
        let tod = s.rem_euclid(DAY_S);
        let (y, m, d) = civil_from_days(day);
        format!("{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}", tod / 3600, tod / 60 % 60, tod % 60)
    }
}

/// Distinct servers whose service overlaps each half hour of `days` days from `origin_s`.
fn headcount(activity: &[(String, i64, i64)], origin_s: i64, days: i64) -> Vec<u32> {
    let slots = (days * DAY_S / SLOT_S) as usize;
    let mut who: BTreeMap<usize, BTreeSet<&str>> = BTreeMap::new();
    for (server, start, end) in activity {
        let (start, end) = (start - origin_s, (*end).max(*start) - origin_s);
        let first = start.div_euclid(SLOT_S).max(0) as usize;
        // A service ending exactly on a boundary does not reach into the next slot.
        let last = ((end - 1).max(start)).div_euclid(SLOT_S).max(0) as usize;
        for k in first..=last.min(slots.saturating_sub(1)) {
            who.entry(k).or_default().insert(server.as_str());
        }
    }
    (0..slots).map(|k| who.get(&k).map_or(0, |s| s.len() as u32)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "vru+line\tcall_id\tcustomer_id\tpriority\ttype\tdate\tvru_entry\tvru_exit\tvru_time\t\
                          q_start\tq_exit\tq_time\toutcome\tser_start\tser_exit\tser_time\tserver";

    fn log(rows: &[&str]) -> BankLog {
        let text = std::iter::once(HEADER).chain(rows.iter().copied()).collect::<Vec<_>>().join("\r\n");
        BankLog::parse(&text).expect("valid log")
    }

    #[test]
    fn queued_served_and_abandoned_calls_become_trace_rows() {
        let b = log(&[
            "AA0101\t1\t0\t0\tPS\t990201\t7:02:47\t7:02:56\t9\t0:00:00\t0:00:00\t0\tAGENT\t7:02:55\t7:05:41\t166\tDORIT",
            "AA0101\t2\t5\t2\tPS\t990201\t8:09:16\t8:09:22\t6\t8:09:22\t8:09:27\t5\tHANG\t0:00:00\t0:00:00\t0\tNO_SERVER",
            "AA0101\t3\t0\t0\tPS\t990201\t9:00:00\t9:00:05\t5\t0:00:00\t0:00:00\t0\tHANG\t0:00:00\t0:00:00\t0\tNO_SERVER",
            "AA0101\t4\t0\t0\tPS\t990201\t9:10:00\t9:10:05\t5\t9:10:05\t9:11:00\t55\tPHANTOM\t9:11:00\t9:11:04\t4\tNO_SERVER",
        ]);
        assert_eq!((b.counts.agent, b.counts.hang, b.counts.phantom, b.counts.hang_before_queue), (1, 2, 1, 1));
        assert_eq!(
            b.trace_csv(ServedPatience::Unlimited),
            "arrival,handle,patience\n1999-02-01 07:02:56,166,\n1999-02-01 08:09:22,,5\n",
            "served at once arrive at vru_exit, queued ones at q_start"
        );
        assert_eq!(b.headcount[14], 1, "DORIT served 07:02:55-07:05:41, slot 07:00");
        assert_eq!(b.headcount.iter().sum::<u32>(), 1);
    }

    #[test]
    fn times_after_midnight_within_a_date_belong_to_the_next_day() {
        let b = log(&[
            "AA0101\t1\t0\t0\tPS\t990215\t23:59:54\t23:59:54\t0\t0:00:00\t0:00:27\t27\tAGENT\t0:00:26\t0:01:33\t67\tAVNI",
            "AA0101\t2\t0\t0\tPS\t990216\t0:10:00\t0:10:05\t5\t0:10:05\t0:10:30\t25\tAGENT\t0:10:30\t0:12:00\t90\tAVNI",
        ]);
        let trace = b.trace_csv(ServedPatience::Unlimited);
        let rows: Vec<&str> = trace.lines().skip(1).map(|l| &l[..19]).collect();
        assert_eq!(rows, ["1999-02-16 00:00:00", "1999-02-16 00:10:05"]);
        assert_eq!(b.days, 2);
        assert_eq!(b.headcount[48], 1, "AVNI active 00:00-00:30 on the second day");
    }

    #[test]
    fn imputed_patience_exceeds_the_wait_and_is_reproducible() {
        let b = log(&[
            "AA0101\t1\t0\t0\tPS\t990201\t8:00:00\t8:00:05\t5\t8:00:05\t8:01:05\t60\tAGENT\t8:01:05\t8:03:00\t115\tDORIT",
            "AA0101\t2\t0\t0\tPS\t990201\t8:10:00\t8:10:05\t5\t8:10:05\t8:10:45\t40\tHANG\t0:00:00\t0:00:00\t0\tNO_SERVER",
        ]);
        assert_eq!(b.patience_mean_s(), 100.0, "100 s in queue, one abandonment");
        let trace = b.trace_csv(ServedPatience::Imputed { seed: 3 });
        assert_eq!(trace, b.trace_csv(ServedPatience::Imputed { seed: 3 }));
        let served: f64 = trace.lines().nth(1).and_then(|l| l.rsplit(',').next()).unwrap().parse().unwrap();
        assert!(served > 60.0, "patience {served} exceeds the 60 s the caller waited");
        assert!(trace.ends_with(",,40\n"), "abandoned calls keep their observed patience");
    }

    #[test]
    fn schedule_rows_appear_only_when_the_headcount_changes() {
        let b = log(&[
            "AA0101\t1\t0\t0\tPS\t990201\t7:02:47\t7:02:56\t9\t0:00:00\t0:00:00\t0\tAGENT\t7:02:55\t8:05:41\t3766\tDORIT",
        ]);
        assert_eq!(b.schedule_csv(1.0), "from,agents\n1999-02-01 00:00:00,0\n1999-02-01 07:00:00,1\n");
        assert!(b.schedule_csv(0.4).lines().all(|l| !l.ends_with(",1")), "0.4 agents rounds to none");
    }

    #[test]
    fn bad_rows_name_their_line() {
        let text = format!(
            "{HEADER}\nAA0101\t1\t0\t0\tPS\t991301\t7:02:47\t7:02:56\t9\t0:00:00\t0:00:00\t0\tAGENT\t0:0:0\t0:0:0\t0\tX"
        );
        assert_eq!(BankLog::parse(&text).unwrap_err(), "2: date: \"991301\" is not YYMMDD");
    }
}
