//! The offered load: how much agent time the customers of a scenario ask for, and from it a lower bound on the
//! headcount any staffing search can stop at.
//!
//! For one policy over the measured window:
//! - `λ`, conversations per hour the agents must serve: the arrival rate averaged over the window (a rate
//!   profile integrated hour by hour, or a trace's arrivals counted), keeping for a live policy only those that
//!   arrive while the queue is open (the others are refused and need no work).
//! - `W`, agent time per conversation: `replies x r x m + wrap-up` for single attention, where replies = sessions
//!   x messages per session (every customer message gets one reply; when `never_return > 0` only the first
//!   session is counted, since later ones may never come), `r` the mean reply time, and `m` the smallest
//!   `slowdown` factor (1 without slowdown). An agent writes one reply at a time, so one agent supplies at most
//!   one hour of this work per hour online, whatever the capacity.
//! - With parallel attention each conversation holds one unit of capacity at least while its replies are
//!   written (and during wrap-up when it holds capacity): the holding-time view, `capacity` units per agent.
//!
//! The offered load in agents is `a = λ x W / k` with `k = 1` (single) or `k = capacity` (parallel). A plan
//! online for fewer agent-hours than `a` x the window's hours cannot do the work the window brings, so the
//! search starts at the level `L = max(1, floor(a / f))`, where `f` is the average online headcount per unit of
//! the searched level (`1 - shrinkage` for a constant headcount; for a scaled roster, the roster's online
//! agent-hours per week at scale 1 / its peak / 168). Customers who abandon or never return need less work, so
//! `L` can exceed the answer in such scenarios; the search then walks down from it, so that costs evaluations,
//! never a wrong answer.

use crate::routing::Millis;
use crate::scenario::PolicySpec;
use crate::scenario::{Arrivals, Attention, Roster, Scenario, Staffing};
use crate::sim::policy::is_live;

/// One stretch of the window with a constant arrival rate, opening state and rostered state, or one recorded
/// arrival (a stretch of zero length).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stretch {
    /// Start, simulation milliseconds.
    pub from: f64,
    /// End (equal to `from` for a recorded arrival).
    pub to: f64,
    /// Expected arrivals in the stretch.
    pub arrivals: f64,
    /// Whether the queue is open.
    pub open: bool,
    /// `None` when the roster has agents; otherwise when it next has some (`f64::INFINITY` if never).
    pub staffed_at: Option<f64>,
    /// `None` when the queue is open and the roster has agents; otherwise when both next hold (`f64::INFINITY`
    /// if never).
    pub ready_at: Option<f64>,
}

/// When the roster as written (at scale 1, before shrinkage) has agents: always for a `count`; for shifts and
/// schedules, their headcount steps. Scaling a roster never staffs a moment it leaves empty.
struct Rostered {
    steps: Option<Vec<(Millis, u32)>>,
}

impl Rostered {
    fn of(scenario: &Scenario) -> Rostered {
        let steps = match &scenario.agents.staffing.roster {
            Roster::Count(_) => None,
            roster => Some(roster.steps(scenario.origin, scenario.horizon())),
        };
        Rostered { steps }
    }

    /// Whether anybody is rostered at `t`, and when the roster next changes.
    fn at(&self, t: Millis) -> (bool, Option<Millis>) {
        let Some(steps) = &self.steps else { return (true, None) };
        let next = steps.partition_point(|(s, _)| *s <= t);
        let now = next.checked_sub(1).map_or(0, |i| steps[i].1);
        (now > 0, steps.get(next).map(|s| s.0))
    }

    /// The first moment from `t` on when anybody is rostered.
    fn staffed_from(&self, t: Millis) -> Option<Millis> {
        let Some(steps) = &self.steps else { return Some(t) };
        if self.at(t).0 {
            return Some(t);
        }
        let next = steps.partition_point(|(s, _)| *s <= t);
        steps[next..].iter().find(|s| s.1 > 0).map(|s| s.0)
    }
}

/// The window's arrivals cut into stretches of constant rate, opening state and rostered state.
pub fn stretches(scenario: &Scenario) -> Vec<Stretch> {
    let (w0, w1) = scenario.window();
    let hours = &scenario.hours;
    let rostered = Rostered::of(scenario);
    let never = |t: Option<Millis>| t.map_or(f64::INFINITY, |m| m.0 as f64);
    let ready_from = |t: Millis| {
        let mut u = t;
        for _ in 0..100_000 {
            if !hours.is_open(u) {
                match hours.next_change(u) {
                    Some(v) => u = v,
                    None => return None,
                }
            } else {
                match rostered.staffed_from(u) {
                    Some(v) if v == u => return Some(u),
                    Some(v) => u = v,
                    None => return None,
                }
            }
        }
        None
    };
    let stretch = |from: Millis, to: Millis, arrivals: f64| {
        let open = hours.is_open(from);
        let staffed = rostered.at(from).0;
        Stretch {
            from: from.0 as f64,
            to: to.0 as f64,
            arrivals,
            open,
            staffed_at: (!staffed).then(|| never(rostered.staffed_from(from))),
            ready_at: (!(open && staffed)).then(|| never(ready_from(from))),
        }
    };
    match &scenario.arrivals {
        Arrivals::Trace(records) => records
            .iter()
            .filter(|r| r.arrival >= w0 && r.arrival < w1)
            .map(|r| stretch(r.arrival, r.arrival, 1.0))
            .collect(),
        Arrivals::Rate { per_hour, hourly, weekly } => {
            let mut out = Vec::new();
            let mut t = w0;
            while t < w1 {
                let (day, ms) = scenario.origin.civil(t);
                let hour_end = Millis(t.0 + (Millis::HOUR.0 - ms % Millis::HOUR.0));
                let change = hours.next_change(t).unwrap_or(w1);
                let roster_change = rostered.at(t).1.unwrap_or(w1);
                let end = hour_end.min(change).min(roster_change).min(w1).max(Millis(t.0 + 1));
                let weekday = crate::hours::weekday_from_days(day);
                let rate = per_hour * hourly[(ms / Millis::HOUR.0) as usize] * weekly[weekday];
                let length_h = (end.0 - t.0) as f64 / Millis::HOUR.0 as f64;
                out.push(stretch(t, end, rate * length_h));
                t = end;
            }
            out
        }
    }
}

/// The offered load of one policy, and the search's lower bound.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Load {
    /// Conversations per hour the agents must serve, averaged over the window.
    pub per_hour: f64,
    /// Agent time per conversation, seconds (`W`).
    pub work_s: f64,
    /// Conversations one agent works on at once (`k`).
    pub per_agent: f64,
    /// The offered load in agents online (`a`).
    pub agents: f64,
}

/// The offered load of `policy` in `scenario`.
pub fn offered_load(scenario: &Scenario, policy: &PolicySpec) -> Load {
    let live = is_live(policy);
    let served: f64 = stretches(scenario).iter().filter(|s| !live || s.open).map(|s| s.arrivals).sum();
    let window_h = scenario.duration.as_secs_f64() / 3_600.0;
    let per_hour = served / window_h.max(1e-9);
    let c = &scenario.customer;
    let sessions = if c.never_return > 0.0 { 1.0 } else { c.sessions.mean() };
    let a = &scenario.agents;
    let slowdown = a.slowdown.iter().copied().fold(1.0, f64::min);
    let replies_s = sessions * c.messages.mean() * a.reply.mean().as_secs_f64() * slowdown;
    let wrap_s = a.wrap_up.mean().as_secs_f64();
    let (work_s, per_agent) = match a.attention {
        Attention::Single => (replies_s + wrap_s, 1.0),
        Attention::Parallel => {
            (replies_s + if a.wrap_up_holds_capacity { wrap_s } else { 0.0 }, f64::from(a.capacity.max(1)))
        }
    };
    Load { per_hour, work_s, per_agent, agents: per_hour * work_s / 3_600.0 / per_agent }
}

/// What a staffing search varies: the constant headcount, or the roster's scale.
#[derive(Debug, Clone, PartialEq)]
pub enum Knob {
    /// `count` scenarios: the level is the scheduled headcount around the clock.
    Count,
    /// Shift and schedule scenarios: the level is the scheduled peak; the scale is `level / peak`.
    Scale {
        /// The roster's peak headcount at scale 1.
        peak: u32,
    },
}

impl Knob {
    /// The knob of a scenario's roster.
    pub fn of(staffing: &Staffing) -> Knob {
        match staffing.roster {
            Roster::Count(_) => Knob::Count,
            _ => Knob::Scale { peak: staffing.roster.max_agents().max(1) },
        }
    }

    /// The staffing at `level`: shrinkage as the scenario has it.
    pub fn staffing(&self, base: &Staffing, level: u32) -> Staffing {
        match self {
            Knob::Count => Staffing { roster: Roster::Count(level), scale: 1.0, shrinkage: base.shrinkage },
            Knob::Scale { peak } => Staffing {
                roster: base.roster.clone(),
                scale: f64::from(level) / f64::from(*peak),
                shrinkage: base.shrinkage,
            },
        }
    }

    /// Average online headcount per unit of level (`f` in the module doc).
    pub fn online_per_level(&self, scenario: &Scenario) -> f64 {
        let base = &scenario.agents.staffing;
        match self {
            Knob::Count => 1.0 - base.shrinkage,
            Knob::Scale { peak } => {
                let unit = Staffing { roster: base.roster.clone(), scale: 1.0, shrinkage: base.shrinkage };
                let (_, online) = unit.agent_hours_per_week(scenario.origin, scenario.window());
                online / 168.0 / f64::from(*peak)
            }
        }
    }
}

/// The lowest level the search starts from: `max(1, floor(a / f))`.
pub fn lower_bound(load: &Load, online_per_level: f64) -> u32 {
    if online_per_level <= 0.0 {
        return 1;
    }
    (load.agents / online_per_level).floor().clamp(1.0, f64::from(crate::scenario::MAX_AGENTS)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load_str;

    fn scenario(extra: &str) -> Scenario {
        let text = format!(
            "name = \"t\"\nduration = \"7d\"\n{extra}\n[arrivals]\nrate = 60\n[customer]\nmessages = {{ dist = \
             \"constant\", value = 3 }}\n[agents]\ncount = 2\nreply = {{ dist = \"constant\", value = \"1m\" }}\n\
             wrap_up = {{ dist = \"constant\", value = \"30s\" }}\n[[policy]]\nname = \"live\"\nmode = \"live\"\n\
             [[policy]]\nname = \"persistent\"\nmode = \"persistent\"\n"
        );
        load_str(&text, std::path::Path::new("t.toml"), &[]).unwrap()
    }

    #[test]
    fn the_load_is_rate_times_work() {
        // 60 an hour x (3 replies x 60 s + 30 s) = 12,600 s an hour: 3.5 agents.
        let s = scenario("");
        let load = offered_load(&s, &s.policies[0]);
        assert!((load.per_hour - 60.0).abs() < 1e-9 && (load.work_s - 210.0).abs() < 1e-9, "{load:?}");
        assert!((load.agents - 3.5).abs() < 1e-9);
        assert_eq!(lower_bound(&load, 1.0), 3);
        assert_eq!(lower_bound(&load, 0.5), 7);
        // Open 12 hours a day: live serves half the arrivals, persistent all of them.
        let s = scenario(
            "[hours]\nmon = \"08:00-20:00\"\ntue = \"08:00-20:00\"\nwed = \"08:00-20:00\"\nthu = \"08:00-20:00\"\nfri = \"08:00-20:00\"\nsat = \"08:00-20:00\"\nsun = \"08:00-20:00\"",
        );
        assert!((offered_load(&s, &s.policies[0]).per_hour - 30.0).abs() < 1e-9);
        assert!((offered_load(&s, &s.policies[1]).per_hour - 60.0).abs() < 1e-9);
    }
}
