//! Availability applied to the inferred presence: a schedule of agents really answering.
//!
//! The presence schedule (`schedule.csv` from `chatcap import`) says how many agents were present at each
//! moment. Availability `a(h)` (by hour of day `h`) says what share of that presence was answering this queue.
//! Rounding `a x n` to whole agents would move whole agents at once on the small teams of a night or a
//! shift edge (0.85 of 3 agents is 3, of 4 is 3), so the schedule is built on a grid of [`SLOT_S`] slots with
//! error diffusion: each slot gets the whole number nearest to its target plus the shortfall carried from the
//! slots before, so over any stretch the agent-time online equals the target within one agent-slot. An
//! availability of 0.85 on 3 agents reads as 3 agents for most slots and 2 for some: an agent stepping away.

use crate::history::presence::{Steps, mean_over};
use crate::history::timestamp;
use crate::{Error, Result};
use std::fmt::Write as _;
use std::path::Path;

/// Grid of the available schedule, seconds.
pub const SLOT_S: i64 = 300;
const DAY_S: i64 = 86_400;

/// Reads `schedule.csv` as written by `chatcap import`: (seconds since 1970-01-01, agents).
pub fn read_steps(path: &Path) -> Result<Steps> {
    let text =
        std::fs::read_to_string(path).map_err(|e| Error::Input(format!("{}: cannot read: {e}", path.display())))?;
    let mut out = Steps::new();
    for (i, line) in text.lines().enumerate().skip(1) {
        let bad = || Error::Input(format!("{}:{}: expected YYYY-MM-DD HH:MM:SS,agents", path.display(), i + 1));
        let (at, n) = line.split_once(',').ok_or_else(bad)?;
        let o = crate::scenario::parse_timestamp(at).map_err(|_| bad())?;
        let n: u32 = n.trim().parse().map_err(|_| bad())?;
        out.push((o.day * DAY_S + (o.ms_of_day / 1000) as i64, n));
    }
    Ok(out)
}

/// The schedule CSV of `steps` x availability by hour of day over `[from, to)`, on the slot grid.
pub fn available_csv(steps: &Steps, from: i64, to: i64, availability: &[f64; 24]) -> String {
    let mut out = String::from("from,agents\n");
    let mut carried = 0.0;
    let mut last = None;
    let mut t = from;
    while t < to {
        let hour = (t.rem_euclid(DAY_S) / 3600) as usize;
        let target = availability[hour] * mean_over(steps, t, t + SLOT_S);
        let n = (target + carried).round().max(0.0);
        carried += target - n;
        if last != Some(n) {
            let _ = writeln!(out, "{},{}", timestamp(t), n as u32);
            last = Some(n);
        }
        t += SLOT_S;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_diffusion_keeps_the_agent_time() {
        // 3 agents all day at availability 0.85: 2.55 agents on average, in whole agents per slot.
        let steps = vec![(0, 3)];
        let csv = available_csv(&steps, 0, DAY_S, &[0.85; 24]);
        let rows: Vec<(i64, f64)> = csv
            .lines()
            .skip(1)
            .map(|l| {
                let (a, n) = l.split_once(',').unwrap();
                let o = crate::scenario::parse_timestamp(a).unwrap();
                (o.day * DAY_S + (o.ms_of_day / 1000) as i64, n.parse().unwrap())
            })
            .collect();
        let mut area = 0.0;
        for (k, (t, n)) in rows.iter().enumerate() {
            let end = rows.get(k + 1).map_or(DAY_S, |r| r.0);
            area += n * (end - t) as f64;
        }
        let expected = 2.55 * DAY_S as f64;
        assert!((area - expected).abs() <= SLOT_S as f64, "{area} vs {expected}");
        assert!(rows.iter().all(|r| r.1 == 2.0 || r.1 == 3.0));
    }
}
