//! `chatcap check`: validate a scenario without running it, and warn about plans that run but mislead.

use super::Estimate;
use crate::Result;
use crate::routing::Millis;
use crate::scenario::{Scenario, load};
use std::path::Path;

/// Loads and validates the scenario with its overrides; returns a short description of what would run, any
/// warnings, and an estimate of the work it asks for, saying whether `run` would refuse it without `--force`.
pub fn check(scenario: &Path, sets: &[String]) -> Result<String> {
    let s = load(scenario, sets)?;
    let estimate = Estimate::of(&s);
    let mut text = format!("{}: OK\n", scenario.display());
    let mut lines = s.describe();
    lines.extend(estimate.lines());
    if let Err(e) = estimate.check(&scenario.display().to_string(), false) {
        lines.push(format!("run would refuse it: {e}"));
    }
    for line in lines {
        text.push_str("  ");
        text.push_str(&line);
        text.push('\n');
    }
    for warning in warnings(&s) {
        text.push_str(&format!("warning: {warning}\n"));
    }
    Ok(text)
}

/// Every warning about a plan that runs but misleads: open hours nobody staffs, and in a routing set-up,
/// conversations needing a skill no group of their queue has (each policy's set-up once, by its name).
pub fn warnings(s: &Scenario) -> Vec<String> {
    // The open-hours check reads the scenario's one roster and one calendar; a set-up has a roster per group and
    // hours per queue, so it is not checked that way.
    let single = s.policies.iter().all(|p| p.setup().is_none());
    let mut out: Vec<String> = if single { unstaffed_warning(s).into_iter().collect() } else { Vec::new() };
    out.extend(s.setup_warnings());
    out
}

/// Open hours with nobody signed in, in the measured window: total time and the first such stretch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unstaffed {
    /// Open time with no agent scheduled.
    pub total: Millis,
    /// The first stretch of it: (from, to).
    pub first: Option<(Millis, Millis)>,
}

/// Walks the window through every staffing and opening-hours change, adding up open time with zero agents.
pub fn unstaffed_open_time(s: &Scenario) -> Unstaffed {
    let (start, end) = (s.warmup, s.warmup + s.duration);
    let steps = s.agents.staffing.steps(s.origin, end);
    let mut result = Unstaffed { total: Millis::ZERO, first: None };
    let mut t = start;
    let mut step = steps.partition_point(|(at, _)| *at <= t);
    while t < end {
        let headcount = steps[step - 1].1;
        let next_step = steps.get(step).map_or(end, |(at, _)| *at);
        let next_hours = s.hours.next_change(t).unwrap_or(end);
        let until = next_step.min(next_hours).min(end);
        if headcount == 0 && s.hours.is_open(t) {
            result.total += until - t;
            match &mut result.first {
                None => result.first = Some((t, until)),
                Some((_, to)) if *to == t => *to = until,
                Some(_) => {}
            }
        }
        if until == next_step {
            step += 1;
        }
        t = until;
    }
    result
}

/// The warning about open hours in which nobody is signed in, if there are any.
fn unstaffed_warning(s: &Scenario) -> Option<String> {
    let gap = unstaffed_open_time(s);
    let (from, to) = gap.first?;
    let weeks = s.duration.as_secs_f64() / (7.0 * 86_400.0);
    let hours = gap.total.as_secs_f64() / 3_600.0;
    Some(format!(
        "the queue is open with nobody signed in for {:.1} hours a week ({hours:.1} hours in the {} window), e.g. \
         from {} to {}. Customers who write then are accepted and wait for the next agent to sign in (live \
         customers until their patience runs out); close the queue then or schedule agents.",
        hours / weeks.max(1e-9),
        s.duration,
        s.origin.format(from),
        s.origin.format(to),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load_str;

    fn scenario(hours: &str, agents: &str) -> Scenario {
        let text = format!(
            "name = \"t\"\nduration = \"7d\"\n{hours}\n[arrivals]\nrate = 1\n[agents]\n{agents}\n\
             reply = {{ dist = \"constant\", value = \"1m\" }}\n[[policy]]\nname = \"live\"\nmode = \"live\"\n"
        );
        load_str(&text, Path::new("t.toml"), &[]).unwrap()
    }

    #[test]
    fn open_hours_without_agents_are_counted_with_the_first_stretch() {
        // Open 08:00-20:00 on weekdays; agents 09:00-17:00 on weekdays: 4 unstaffed open hours a weekday.
        let s = scenario(
            "[hours]\nmon = \"08:00-20:00\"\ntue = \"08:00-20:00\"\nwed = \"08:00-20:00\"\nthu = \"08:00-20:00\"\n\
             fri = \"08:00-20:00\"",
            "shifts = [ { days = \"mon-fri\", start = \"09:00\", end = \"17:00\", count = 2 } ]",
        );
        let gap = unstaffed_open_time(&s);
        assert_eq!(gap.total, Millis::from_hours(20));
        assert_eq!(gap.first, Some((Millis::from_hours(8), Millis::from_hours(9))));
        let warning = unstaffed_warning(&s).unwrap();
        assert!(warning.contains("20.0 hours a week"), "{warning}");
        assert!(warning.contains("from 2024-01-01 08:00:00 to 2024-01-01 09:00:00"), "{warning}");
    }

    #[test]
    fn a_queue_staffed_whenever_open_gets_no_warning() {
        let s = scenario(
            "[hours]\nmon = \"09:00-17:00\"",
            "shifts = [ { days = \"mon\", start = \"08:00\", end = \"18:00\", count = 1 } ]",
        );
        assert_eq!(unstaffed_open_time(&s).total, Millis::ZERO);
        assert_eq!(unstaffed_warning(&s), None);
        assert_eq!(unstaffed_warning(&scenario("", "count = 1")), None);
    }
}
