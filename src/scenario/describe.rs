//! A few plain-language lines summarising a scenario, for the top of a report.

use super::calendar::WEEKDAYS;
use super::model::{Arrivals, Attention, ModeSpec, Scenario};
use super::routing_model::{Entry, PolicyRouting, RoutingSpec};
use super::staffing::Roster;
use crate::hours::OperatingHours;
use crate::routing::Millis;
use crate::routing::{AssignmentMethod, OverflowAction, OverflowCondition, QueueId, SkillId, SkillMatch, WrapUpHold};

impl Scenario {
    /// Six lines: window, arrivals, customers, agents, hours, policies; then, for a routing set-up, each
    /// policy's workstreams, queues, groups and offers.
    pub fn describe(&self) -> Vec<String> {
        let o = self.origin;
        let window_start = self.warmup;
        let window_end = self.warmup + self.duration;
        let reps = if self.replications == 1 {
            "1 replication".to_string()
        } else {
            format!("{} replications", self.replications)
        };
        let warmup =
            if self.warmup == Millis::ZERO { "no warm-up".to_string() } else { format!("a {} warm-up", self.warmup) };
        let mut lines = vec![format!(
            "Window: {} measured from {} to {} after {warmup}, conversations followed up to {} after; {reps}, seed {}.",
            self.duration,
            o.format(window_start),
            o.format(window_end),
            self.drain,
            self.seed
        )];
        lines.push(match &self.arrivals {
            Arrivals::Rate { per_hour, hourly, weekly } => {
                let peak = per_hour * hourly.iter().cloned().fold(0.0, f64::max) * weekly.iter().cloned().fold(0.0, f64::max);
                let mean = per_hour * hourly.iter().sum::<f64>() / 24.0 * weekly.iter().sum::<f64>() / 7.0;
                format!("Arrivals: about {mean:.1} new conversations per hour on average, up to {peak:.1} at the busiest hour.")
            }
            Arrivals::Trace(records) if records.is_empty() && self.policies.iter().any(|p| p.setup().is_some()) => {
                "Arrivals: each workstream has its own, listed below.".to_string()
            }
            Arrivals::Trace(records) => {
                let named = records.iter().filter(|r| r.workstream.is_some()).count();
                let routed = match named {
                    0 => String::new(),
                    n if n == records.len() => ", each into the workstream the trace names".to_string(),
                    n => format!(", {n} of them into the workstream the trace names, the others by share"),
                };
                format!("Arrivals: {} recorded conversations replayed from a trace file{routed}.", records.len())
            }
        });
        let c = &self.customer;
        let patience = c.patience.as_ref().map_or("no limit".to_string(), |p| p.to_string());
        lines.push(format!(
            "Customers: sessions per conversation {}, messages per session {}, think {}, away {}, patience in a live \
             queue {patience}, {:.0}% never come back.",
            c.sessions,
            c.messages,
            c.think,
            c.away,
            c.never_return * 100.0
        ));
        if c.retry > 0.0 {
            let after =
                c.retry_after.as_ref().map_or("at the queue's next opening".to_string(), |d| format!("after {d}"));
            let last = lines.last_mut().expect("just pushed");
            last.push_str(&format!(
                " Live customers refused or giving up try again with chance {:.0}%, {after}.",
                c.retry * 100.0
            ));
        }
        if let Some(online) = &c.online {
            let last = lines.last_mut().expect("just pushed");
            last.push_str(&format!(" Persistent customers keep the chat open {online} for a reply."));
        }
        let a = &self.agents;
        let peak = a.staffing.max_scheduled();
        let mut staff = match &a.staffing.roster {
            Roster::Count(_) => format!("{peak} agents around the clock"),
            Roster::Shifts(s) => format!("{} shifts, up to {peak} agents at once", s.len()),
            Roster::Schedule(s) => format!("a schedule of {} changes, up to {peak} agents", s.len()),
        };
        if a.staffing.scale != 1.0 {
            staff.push_str(&format!(" (roster scaled by {})", a.staffing.scale));
        }
        if a.staffing.shrinkage > 0.0 {
            staff.push_str(&format!(
                ", {:.0}% shrinkage: up to {} online",
                a.staffing.shrinkage * 100.0,
                a.staffing.max_agents()
            ));
        }
        let attention = match a.attention {
            Attention::Single => "one reply at a time",
            Attention::Parallel => "replies in parallel",
        };
        if self.policies.iter().any(|p| p.setup().is_some()) {
            lines.push("Agents: in groups, listed with each policy's set-up below.".into());
        } else {
            lines.push(format!(
                "Agents: {staff}, capacity {} each, {attention}; reply {}, wrap-up {}.",
                a.capacity, a.reply, a.wrap_up
            ));
        }
        lines.push(format!("Hours: {}.", describe_hours(&self.hours)));
        let policies: Vec<String> = self
            .policies
            .iter()
            .map(|p| match &p.routing {
                PolicyRouting::Single { mode, .. } => format!("{} ({})", p.name, describe_mode(mode)),
                PolicyRouting::Setup(_) => p.name.clone(),
            })
            .collect();
        lines.push(format!("Policies: {}.", policies.join("; ")));
        let named = match &self.arrivals {
            Arrivals::Trace(records) if !records.is_empty() => {
                let n = records.iter().filter(|r| r.workstream.is_some()).count();
                if n == records.len() {
                    Named::All
                } else if n > 0 {
                    Named::Some
                } else {
                    Named::None
                }
            }
            _ => Named::None,
        };
        for p in &self.policies {
            if let Some(spec) = p.setup() {
                lines.extend(describe_setup(&p.name, spec, named));
            }
        }
        lines
    }
}

/// `live, ends after 3m of silence` or `persistent, parks after 10m of silence, same agent`.
fn describe_mode(mode: &ModeSpec) -> String {
    match mode {
        ModeSpec::Live { end_after_idle } => format!("live, ends after {end_after_idle} of silence"),
        ModeSpec::Persistent { park_after_idle, same_agent, .. } => format!(
            "persistent, parks after {park_after_idle} of silence{}",
            if *same_agent { ", same agent" } else { "" }
        ),
    }
}

/// How many of a trace's rows name their workstream: a workstream's share applies only to the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Named {
    /// No trace row names one (or the arrivals are not a trace): shares split every arrival.
    None,
    /// Some rows name one: shares split the rest.
    Some,
    /// Every row names one: shares are unused.
    All,
}

/// One line per workstream, queue and group of a policy's set-up, and one for offers.
fn describe_setup(policy: &str, spec: &RoutingSpec, named: Named) -> Vec<String> {
    let queue = |q: &QueueId| spec.queues[usize::from(q.0)].name.as_str();
    let skill = |s: &SkillId| spec.skills[usize::from(s.0)].as_str();
    let mut lines = vec![format!("Set-up of policy {policy}:")];
    for w in &spec.workstreams {
        let entry = match &w.entry {
            Entry::Share(s) => match named {
                Named::None => format!("{:.1}% of the arrivals", s * 100.0),
                Named::Some => format!("{:.1}% of the trace rows naming no workstream", s * 100.0),
                Named::All => format!("share {:.1}% unused (the trace names every row's workstream)", s * 100.0),
            },
            Entry::Own(Arrivals::Rate { per_hour, .. }) => format!("its own {per_hour} an hour"),
            Entry::Own(Arrivals::Trace(r)) => format!("its own trace of {} conversations", r.len()),
        };
        let mut text = format!(
            "  workstream {}: {entry}, {}, to queue {}, {} unit(s)",
            w.name,
            describe_mode(&w.mode),
            queue(&w.queue),
            w.units
        );
        if !w.skills.is_empty() {
            let needs: Vec<String> = w.skills.iter().map(|(s, x)| format!("{} {:.0}%", skill(s), x * 100.0)).collect();
            text.push_str(&format!(", needing {}", needs.join(", ")));
        }
        text.push_str(match w.wrap_up {
            WrapUpHold::Always => ", wrap-up holds capacity",
            WrapUpHold::Never => ", wrap-up frees capacity",
            WrapUpHold::For(_) => "",
        });
        if let WrapUpHold::For(d) = w.wrap_up {
            text.push_str(&format!(", wrap-up holds capacity at most {d}"));
        }
        lines.push(format!("{text}."));
    }
    for q in &spec.queues {
        let rules: Vec<String> = q
            .overflow
            .iter()
            .map(|r| {
                let when = match r.when {
                    OverflowCondition::OutOfHours => "out of hours".to_string(),
                    OverflowCondition::MoreWaitingThan(n) => format!("more than {n} waiting"),
                    OverflowCondition::WaitedLongerThan(d) => format!("waited longer than {d}"),
                };
                let action = match r.action {
                    OverflowAction::End => "end".to_string(),
                    OverflowAction::Transfer(to) => format!("transfer to {}", queue(&to)),
                    OverflowAction::AssignAnyway => "assign anyway".to_string(),
                };
                format!("{when}: {action}")
            })
            .collect();
        let overflow =
            if rules.is_empty() { "no overflow".to_string() } else { format!("overflow {}", rules.join("; ")) };
        let matching = match q.skill_match {
            SkillMatch::Exact => "exact",
            SkillMatch::Closest => "closest",
        };
        lines.push(format!(
            "  queue {}: priority {}, {} assignment, {} skill match, hours {}, {overflow}.",
            q.name,
            q.priority,
            match q.assignment {
                AssignmentMethod::HighestCapacity => "highest_capacity",
                AssignmentMethod::RoundRobin => "round_robin",
                AssignmentMethod::LeastActive => "least_active",
            },
            matching,
            describe_hours(&q.hours)
        ));
    }
    for g in &spec.groups {
        let queues: Vec<&str> = g.queues.iter().map(queue).collect();
        let skills: Vec<String> = g.skills.iter().map(|(s, r)| format!("{} {r}", skill(s))).collect();
        let skills = if skills.is_empty() { String::new() } else { format!(", skills {}", skills.join(", ")) };
        lines.push(format!(
            "  group {}: up to {} agents, capacity {} each, serving {}{skills}.",
            g.name,
            g.agents.staffing.max_scheduled(),
            g.agents.capacity,
            queues.join(", ")
        ));
    }
    lines.push(match &spec.offers {
        None => "  offers: none, conversations are assigned at once.".to_string(),
        Some(o) => format!(
            "  offers: countdown {}, accept {}, decline {:.0}%, not offered again after {} declines.",
            o.countdown,
            o.accept,
            o.decline * 100.0,
            o.decline_limit
        ),
    });
    lines
}

/// `open 24/7`, or each weekday's spans: `mon 08:00-20:00, ..., sun closed`.
fn describe_hours(hours: &OperatingHours) -> String {
    if hours.is_always_open() {
        return "open 24/7".into();
    }
    let origin = hours.origin();
    let days_to_monday = (7 - crate::hours::weekday_from_days(origin.day) as u64) % 7;
    let mut days: Vec<(usize, usize, String)> = Vec::new();
    for i in 0..WEEKDAYS.len() {
        // The same weekday in the following weeks, until one that is not a closed date.
        let spans = (0..8u64)
            .map(|week| {
                let day_start = Millis::DAY.0 * (days_to_monday + i as u64 + 7 * (week + 1)) - origin.ms_of_day;
                day_spans(hours, Millis(day_start))
            })
            .find(|s| !s.is_empty())
            .unwrap_or_default();
        let text = if spans.is_empty() { "closed".to_string() } else { spans.join(", ") };
        match days.last_mut() {
            Some(last) if last.2 == text => last.1 = i,
            _ => days.push((i, i, text)),
        }
    }
    if days.len() == 1 {
        return format!("every day {}", days[0].2);
    }
    days.iter()
        .map(|(from, to, text)| match from == to {
            true => format!("{} {text}", WEEKDAYS[*from]),
            false => format!("{}-{} {text}", WEEKDAYS[*from], WEEKDAYS[*to]),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Opening spans of the day starting at `day_start`, as `HH:MM-HH:MM`.
fn day_spans(hours: &OperatingHours, day_start: Millis) -> Vec<String> {
    let day_end = day_start + Millis::DAY;
    let hhmm = |t: Millis| {
        let m = (t - day_start).0 / 60_000;
        format!("{:02}:{:02}", m / 60, m % 60)
    };
    let mut spans = Vec::new();
    let mut t = day_start;
    let mut open_since = hours.is_open(t).then_some(t);
    while let Some(next) = hours.next_change(t).filter(|n| *n < day_end) {
        match open_since.take() {
            Some(from) => spans.push(format!("{}-{}", hhmm(from), hhmm(next))),
            None => open_since = Some(next),
        }
        t = next;
    }
    if let Some(from) = open_since {
        spans.push(format!("{}-{}", hhmm(from), hhmm(day_end)));
    }
    spans
}
