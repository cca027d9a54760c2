//! `chatcap staff`: the fewest agents meeting every `--target`, per policy (and per point of a `--vary` grid),
//! by simulation.
//!
//! With `--vary`, every point is the scenario with the point's values applied as overrides (after `--set`),
//! keeping the scenario's seed, so every point faces the same customers and the answers differ by the varied
//! key only. Every point is loaded before anything is simulated: a bad key or value stops the command at once,
//! with nothing written.
//!
//! On a routing set-up (`[[workstream]]`) the search staffs one agent group (`--group`, or the only one) in each
//! policy's own set-up, holding the other groups as that policy has them; `--target` may then also read a
//! workstream's or a queue's row (`queue.NAME.METRIC>=X`).

use super::{Settings, default_out};
use crate::scenario::{Roster, Scenario, load, name_vary};
use crate::staff::idle::idle_part;
use crate::staff::output::{Outcome, PolicyStaff, write_staff};
use crate::staff::schedule::{check as check_per_interval, per_interval};
use crate::staff::search::{Found, Searched, check_ceilings, smallest_for};
use crate::staff::target::{PartNames, Target};
use crate::sweep::grid::Grid;
use crate::sweep::spinner;
use crate::{Error, Result};
use std::fmt::Write;
use std::path::PathBuf;

/// What `chatcap staff` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct StaffRequest {
    /// The scenario file.
    pub scenario: PathBuf,
    /// `METRIC>=X` / `METRIC<=X` flags; every one must hold.
    pub targets: Vec<String>,
    /// Only this policy; every policy when absent.
    pub policy: Option<String>,
    /// Output folder; `output/<scenario stem>/` when absent.
    pub out: Option<PathBuf>,
    /// Seed, replications, threads, overrides, progress.
    pub settings: Settings,
    /// Targets must hold on the pessimistic end of the 95% interval, not just on the mean.
    pub confident: bool,
    /// Also find a headcount per interval of the week.
    pub per_interval: bool,
    /// `--vary KEY=SPEC` flags: staff at every point of their grid.
    pub varies: Vec<String>,
    /// `--group NAME`: the agent group of a routing set-up to staff; optional when there is one.
    pub group: Option<String>,
}

/// One point to staff: the `--vary` values and the scenario with them applied.
struct Point {
    values: Vec<String>,
    scenario: Scenario,
}

/// Loads the scenario of every point (one point without `--vary`); errors about a point's values name `--vary`.
fn points(request: &StaffRequest) -> Result<(Vec<String>, Vec<Point>)> {
    let sets = request.settings.overrides();
    let base = load(&request.scenario, &sets)?;
    if request.varies.is_empty() {
        return Ok((Vec::new(), vec![Point { values: Vec::new(), scenario: base }]));
    }
    let grid = Grid::parse(&request.varies)?;
    let mut points = Vec::with_capacity(grid.len());
    for p in 0..grid.len() {
        let mut overrides = sets.clone();
        overrides.extend(grid.overrides(p));
        let mut scenario = load(&request.scenario, &overrides).map_err(|e| name_vary(e, &sets))?;
        scenario.seed = base.seed;
        points.push(Point { values: grid.point(p).iter().map(|v| v.to_string()).collect(), scenario });
    }
    Ok((grid.keys(), points))
}

/// Runs the searches, writes the files and returns the text to print.
pub fn staff(request: &StaffRequest) -> Result<String> {
    if request.targets.is_empty() {
        return Err(Error::Input("--target: give at least one, for example --target service_level>=0.8".into()));
    }
    if request.per_interval && !request.varies.is_empty() {
        return Err(Error::Input(
            "--per-interval: give it without --vary (one weekly table per run); run staff --per-interval once per \
             value instead"
                .into(),
        ));
    }
    let (keys, points) = points(request)?;
    let first = &points[0].scenario;
    let names = first.policies.first().and_then(|p| p.setup()).map(|s| PartNames {
        workstreams: s.workstreams.iter().map(|w| w.name.clone()).collect(),
        queues: s.queues.iter().map(|q| q.name.clone()).collect(),
    });
    let targets: Vec<Target> =
        request.targets.iter().map(|t| Target::parse_in(t, names.as_ref())).collect::<Result<_>>()?;
    if request.confident && first.replications < 2 {
        return Err(Error::Input(
            "--confident: needs at least 2 replications for a confidence interval; add --replications 5".into(),
        ));
    }
    if let Some(name) = &request.policy
        && !first.policies.iter().any(|p| &p.name == name)
    {
        let names: Vec<&str> = first.policies.iter().map(|p| p.name.as_str()).collect();
        return Err(Error::Input(format!("--policy {name}: no policy has that name (policies: {})", names.join(", "))));
    }
    let searched = searched(first, request.group.as_deref())?;
    check_parts(first, &targets)?;
    if request.per_interval && searched != Searched::Team {
        return Err(Error::Input(
            "--per-interval: a per-interval search adjusts the headcount of one team serving one queue, slot by slot, \
             and a routing set-up ([[workstream]]) shares its work between agent groups; staff the group with a \
             constant search (leave out --per-interval), or search per interval on a scenario without \
             [[workstream]]"
                .into(),
        ));
    }
    let mut work = Vec::new();
    for point in &points {
        let mut scenario = point.scenario.clone();
        scenario.policies.retain(|p| request.policy.as_ref().is_none_or(|name| &p.name == name));
        if request.per_interval {
            check_per_interval(&scenario)?;
        }
        check_ceilings(&scenario, &targets).map_err(|e| match (e, point.values.is_empty()) {
            (Error::Input(m), false) => Error::Input(format!("{m} (at {})", at(&keys, &point.values))),
            (e, _) => e,
        })?;
        work.push((point, scenario));
    }
    let out = request.out.clone().unwrap_or_else(|| default_out(&request.scenario));
    let mut results = Vec::new();
    let bar = spinner(!request.settings.quiet);
    for (point, scenario) in work {
        let label = if point.values.is_empty() { String::new() } else { format!("{}: ", at(&keys, &point.values)) };
        for spec in &scenario.policies {
            let mut single = scenario.clone();
            single.policies = vec![spec.clone()];
            if let Some(why) = idle_part(&single, spec, &targets) {
                let outcome = Outcome::NotApplicable { searched: searched.clone(), why };
                results.push(PolicyStaff {
                    point: point.values.clone(),
                    policy: spec.name.clone(),
                    outcome,
                    schedule: None,
                });
                continue;
            }
            bar.set_message(format!("{label}{}: searching the headcount", spec.name));
            let found = smallest_for(&single, &searched, &targets, request.confident, request.settings.jobs, |e| {
                let verdict = if e.meets { "meets" } else { "misses" };
                bar.set_message(format!("{label}{}: {} agents {verdict} the targets", spec.name, e.agents));
            })
            .map_err(|e| match (e, point.values.is_empty()) {
                (Error::Input(m), false) => Error::Input(format!("{m} (at {})", at(&keys, &point.values))),
                (e, _) => e,
            })?;
            let schedule = if request.per_interval {
                bar.set_message(format!("{label}{}: adjusting the headcount interval by interval", spec.name));
                Some(per_interval(&single, &targets, &found.answer, request.settings.jobs)?)
            } else {
                None
            };
            let outcome = Outcome::Staffed(Box::new(found));
            results.push(PolicyStaff { point: point.values.clone(), policy: spec.name.clone(), outcome, schedule });
        }
    }
    bar.finish_and_clear();
    let goal = targets.iter().map(|t| t.text.as_str()).collect::<Vec<_>>().join(" and ");
    if results.iter().all(|r| r.found().is_none()) {
        let whys: Vec<String> = results
            .iter()
            .filter_map(|r| match &r.outcome {
                Outcome::NotApplicable { why, .. } => Some(format!("policy {}: {why}", r.policy)),
                Outcome::Staffed(_) => None,
            })
            .collect();
        return Err(Error::Input(format!("--target {goal}: not applicable to any policy: {}", whys.join("; "))));
    }
    write_staff(&out, &keys, &goal, &targets, &results, first)?;
    Ok(describe(first, &keys, &targets, request.confident, &searched, &results, &out))
}

/// Whose staffing to search: `[agents]` without a routing set-up (where `--group agents`, its one group, is
/// accepted), else the `--group` named or the set-up's only group.
fn searched(scenario: &Scenario, group: Option<&str>) -> Result<Searched> {
    let Some(setup) = scenario.policies.first().and_then(|p| p.setup()) else {
        return match group {
            None | Some("agents") => Ok(Searched::Team),
            Some(name) => Err(Error::Input(format!(
                "--group {name}: the scenario has no [[agents.group]]: its one group is [agents], named agents; \
                 leave --group out"
            ))),
        };
    };
    let names: Vec<&str> = setup.groups.iter().map(|g| g.name.as_str()).collect();
    match (group, names.as_slice()) {
        (Some(name), _) if names.contains(&name) => Ok(Searched::Group(name.to_string())),
        (Some(name), _) => {
            Err(Error::Input(format!("--group {name}: no agent group has that name (groups: {})", names.join(", "))))
        }
        (None, [only]) => Ok(Searched::Group(only.to_string())),
        (None, _) => Err(Error::Input(format!(
            "--group: the scenario has {} agent groups ({}); name the one to staff, for example --group {} (the \
             others keep their written headcount)",
            names.len(),
            names.join(", "),
            names[0]
        ))),
    }
}

/// Refuses a `--target` on a workstream or queue the scenario does not have (or on any part without a routing
/// set-up), naming the ones it has.
fn check_parts(scenario: &Scenario, targets: &[Target]) -> Result<()> {
    for t in targets {
        let Some(part) = &t.part else { continue };
        for policy in &scenario.policies {
            let Some(setup) = policy.setup() else {
                return Err(Error::Input(format!(
                    "--target {}: the scenario has no [[workstream]], so no {} to read; use a summary metric such as \
                     {}",
                    t.text,
                    part.label(),
                    t.metric
                )));
            };
            let names: Vec<&str> = match part.kind {
                crate::metrics::parts::PartKind::Workstream => {
                    setup.workstreams.iter().map(|w| w.name.as_str()).collect()
                }
                crate::metrics::parts::PartKind::Queue => setup.queues.iter().map(|q| q.name.as_str()).collect(),
            };
            if !names.contains(&part.name.as_str()) {
                return Err(Error::Input(format!(
                    "--target {}: no {} is named {} ({}s: {})",
                    t.text,
                    part.label(),
                    part.name,
                    part.label(),
                    names.join(", ")
                )));
            }
        }
    }
    Ok(())
}

/// `key=value, key=value` of a grid point.
fn at(keys: &[String], values: &[String]) -> String {
    keys.iter().zip(values).map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(", ")
}

/// A whole number with thousands separators: `1,176`.
pub fn thousands(v: f64) -> String {
    let digits = format!("{:.0}", v.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if v.round() < 0.0 { format!("-{out}") } else { out }
}

/// A headcount in words: "1 agent", "14 agents".
fn agents(n: u32) -> String {
    if n == 1 { "1 agent".into() } else { format!("{n} agents") }
}

/// The answer for one policy in words: "live needs 14 agents (1,176 scheduled agent-hours a week, 1,058 online
/// after 10% shrinkage)".
fn answer_line(r: &PolicyStaff, found: &Found) -> String {
    let a = &found.answer;
    let (scheduled, online) = a.agent_hours;
    let agents = agents(a.agents);
    let (agents, roster) = match &found.searched {
        Searched::Team => (agents, "the roster".to_string()),
        Searched::Group(name) => (format!("{agents} in group {name}"), format!("group {name}'s roster")),
    };
    let who = match &a.staffing.roster {
        Roster::Count(_) => format!("{} needs {agents} around the clock", r.policy),
        _ => format!(
            "{} needs {roster} at scale {}, up to {} at once",
            r.policy,
            crate::report::csv::format_number((a.staffing.scale * 1000.0).round() / 1000.0),
            self::agents(a.agents)
        ),
    };
    let online = if a.staffing.shrinkage > 0.0 {
        format!(
            ", {} online after {}% shrinkage",
            thousands(online),
            crate::report::csv::format_number(a.staffing.shrinkage * 100.0)
        )
    } else {
        String::new()
    };
    format!("{who} ({} scheduled agent-hours a week{online})", thousands(scheduled))
}

/// The terminal summary.
fn describe(
    scenario: &Scenario,
    keys: &[String],
    targets: &[Target],
    confident: bool,
    searched: &Searched,
    results: &[PolicyStaff],
    out: &std::path::Path,
) -> String {
    let goal: Vec<&str> = targets.iter().map(|t| t.text.as_str()).collect();
    let on = if confident { "on the pessimistic end of the 95% interval" } else { "on the mean" };
    let mut text = format!("{}: to meet {} ({on}):\n", scenario.name, goal.join(" and "));
    if let Searched::Group(name) = searched {
        let others: Vec<&str> = scenario
            .policies
            .first()
            .and_then(|p| p.setup())
            .map(|s| s.groups.iter().map(|g| g.name.as_str()).filter(|g| g != name).collect())
            .unwrap_or_default();
        let held = if others.is_empty() {
            String::new()
        } else {
            format!("; the other groups ({}) keep the headcount each policy writes for them", others.join(", "))
        };
        let _ = writeln!(text, "staffing agent group {name}{held}");
    }
    text.push('\n');
    let mut last_point: Option<&[String]> = None;
    for r in results {
        if !keys.is_empty() && last_point != Some(r.point.as_slice()) {
            let _ = writeln!(text, "{}", at(keys, &r.point));
            last_point = Some(r.point.as_slice());
        }
        let indent = if keys.is_empty() { "" } else { "  " };
        let found = match &r.outcome {
            Outcome::Staffed(found) => found,
            Outcome::NotApplicable { why, .. } => {
                let _ = writeln!(text, "{indent}{}: not applicable: {why}; no staffing searched", r.policy);
                continue;
            }
        };
        let a = &found.answer;
        let _ = writeln!(text, "{indent}{}", answer_line(r, found));
        let values: Vec<String> = targets
            .iter()
            .map(|t| {
                let (v, ci) = a.reading(t);
                let (v, ci) = match v {
                    Some(v) => (format_number_short(v), ci.map(|c| format!(" ±{}", format_like(c, v)))),
                    None => ("-".into(), None),
                };
                format!("{} {v}{}", t.label(), ci.unwrap_or_default())
            })
            .collect();
        let scaled = !matches!(a.staffing.roster, Roster::Count(_));
        let tried: Vec<String> = found
            .path
            .iter()
            .map(|e| {
                let level = if scaled {
                    crate::report::csv::format_number((e.staffing.scale * 1000.0).round() / 1000.0)
                } else {
                    e.agents.to_string()
                };
                format!("{level}{}", if e.meets { "✓" } else { "✗" })
            })
            .collect();
        let work = found
            .work_hours()
            .map(|h| format!("the customers bring {} agent-hours of work a week; ", thousands(h)))
            .unwrap_or_default();
        let _ = writeln!(
            text,
            "{indent}  reaches {}; {work}tried {}{}",
            values.join(", "),
            if scaled { "scale " } else { "" },
            tried.join(" ")
        );
        if let Some(line) = losses(&a.summary) {
            let _ = writeln!(text, "{indent}  {line}");
        }
        if let Some(s) = &r.schedule {
            per_interval_lines(&mut text, indent, targets, r, found, s);
        }
    }
    let mut files = vec!["staff.csv".to_string(), "staff-path.csv".to_string()];
    if let Some(k) = keys.first() {
        files.push(format!("plots/staff_{}.png", crate::staff::chart::file_key(k)));
    }
    if results.iter().any(|r| r.schedule.as_ref().is_some_and(|s| s.best.is_some())) {
        files.extend(["staff-week.csv", "staff-schedule-<policy>.csv", "plots/staff_week.png"].map(String::from));
    }
    let _ = writeln!(text, "\nWrote {}/ ({})", out.display(), files.join(", "));
    text
}

/// What a policy loses at a staffing, from its summary row: "loses 757 of 3,138 customers at that staffing
/// (lost_share 0.241): 747 conversations refused, 183 abandoned in the queue".
fn losses(summary: &crate::report::Table) -> Option<String> {
    let get = |c: &str| summary.num(0, c);
    let (lost, customers, share) = (get("customers_lost")?, get("customers")?, get("lost_share"));
    let share = share.map(|v| format!(" (lost_share {v:.3})")).unwrap_or_default();
    let mut line = format!("loses {} of {} customers at that staffing{share}", thousands(lost), thousands(customers));
    if let (Some(refused), Some(abandoned)) = (get("refused"), get("abandoned")) {
        let _ = write!(
            line,
            ": {} conversations refused, {} abandoned in the queue",
            thousands(refused),
            thousands(abandoned)
        );
    }
    Some(line)
}

/// The per-interval answer: its agent-hours against the constant answer's, and what the whole window reaches at
/// that schedule against every target, saying plainly when it misses one.
fn per_interval_lines(
    text: &mut String,
    indent: &str,
    targets: &[Target],
    r: &PolicyStaff,
    found: &Found,
    s: &crate::staff::schedule::Schedule,
) {
    let constant_hours = found.answer.agent_hours.0;
    let Some(round) = s.best_round.and_then(|i| s.rounds.get(i)) else {
        let _ = writeln!(
            text,
            "{indent}  per interval: no schedule met every target in every interval within {} rounds",
            s.rounds.len()
        );
        return;
    };
    let _ = writeln!(
        text,
        "{indent}  per interval: {} agent-hours a week against {}, after {} rounds{} (staff-week.csv, \
         staff-schedule-{}.csv)",
        thousands(round.agent_hours),
        thousands(constant_hours),
        s.rounds.len(),
        if s.converged { "" } else { ", stopped at the round limit" },
        r.policy
    );
    if round.hopeless > 0 {
        let _ = writeln!(
            text,
            "{indent}  {} intervals of the week miss the targets however many agents they get (see \
             staff-schedule-path.csv)",
            round.hopeless
        );
    }
    let verdicts: Vec<String> = targets
        .iter()
        .zip(&round.window)
        .map(|(t, v)| {
            let held = t.met(*v, None, false);
            let v = v.map_or("undefined".into(), format_number_short);
            let bound = t.text.trim_start_matches(t.metric.as_str());
            format!("{} {v} against {bound}, {}", t.metric, if held { "met" } else { "MISSED" })
        })
        .collect();
    let _ = writeln!(text, "{indent}  over the whole window that schedule reaches {}", verdicts.join("; "));
    if !round.window_meets {
        let _ = writeln!(
            text,
            "{indent}  so the per-interval schedule does NOT meet the targets over the whole window: it is not a \
             cheaper answer; the constant answer above ({} agent-hours a week) is",
            thousands(constant_hours)
        );
    }
}

/// A value for the terminal: three significant decimals at most.
fn format_number_short(v: f64) -> String {
    format_like(v, v)
}

/// `v` with as many decimals as `value` is shown with: an interval reads like the value it belongs to (`564 ±45`).
fn format_like(v: f64, value: f64) -> String {
    if value.abs() >= 100.0 { format!("{v:.0}") } else { format!("{v:.3}") }
}

#[cfg(test)]
mod tests {
    use super::{agents, format_like, format_number_short, thousands};

    #[test]
    fn an_interval_reads_like_its_value_and_one_agent_is_singular() {
        assert_eq!(format!("{} ±{}", format_number_short(564.2), format_like(44.686, 564.2)), "564 ±45");
        assert_eq!(format!("{} ±{}", format_number_short(0.8051), format_like(0.0079, 0.8051)), "0.805 ±0.008");
        assert_eq!(format_like(123.4, 99.0), "123.400", "a value under 100 keeps its decimals, and its interval");
        assert_eq!((agents(1), agents(0), agents(2)), ("1 agent".into(), "0 agents".into(), "2 agents".into()));
    }

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(1176.4), "1,176");
        assert_eq!(thousands(999.0), "999");
        assert_eq!(thousands(1_234_567.0), "1,234,567");
        assert_eq!(thousands(0.0), "0");
    }
}
