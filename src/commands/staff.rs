//! `chatcap staff`: the fewest agents meeting every `--target`, per policy, by simulation.

use super::{Settings, default_out};
use crate::report::csv::format_number;
use crate::scenario::load;
use crate::staff::output::{PolicyStaff, write_staff};
use crate::staff::schedule::{check as check_per_interval, per_interval};
use crate::staff::search::smallest_constant;
use crate::staff::target::Target;
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
}

/// Runs the searches, writes the files and returns the text to print.
pub fn staff(request: &StaffRequest) -> Result<String> {
    if request.targets.is_empty() {
        return Err(Error::Input("--target: give at least one, for example --target service_level>=0.8".into()));
    }
    let targets: Vec<Target> = request.targets.iter().map(|t| Target::parse(t)).collect::<Result<_>>()?;
    let scenario = load(&request.scenario, &request.settings.overrides())?;
    if request.confident && scenario.replications < 2 {
        return Err(Error::Input(
            "--confident: needs at least 2 replications for a confidence interval; add --replications 5".into(),
        ));
    }
    let policies: Vec<_> = match &request.policy {
        Some(name) => {
            let spec = scenario.policies.iter().find(|p| &p.name == name).ok_or_else(|| {
                let names: Vec<&str> = scenario.policies.iter().map(|p| p.name.as_str()).collect();
                Error::Input(format!("--policy {name}: no policy has that name (policies: {})", names.join(", ")))
            })?;
            vec![spec.clone()]
        }
        None => scenario.policies.clone(),
    };
    if request.per_interval {
        check_per_interval(&scenario, &targets)?;
    }
    let out = request.out.clone().unwrap_or_else(|| default_out(&request.scenario));
    let mut results = Vec::new();
    let bar = spinner(!request.settings.quiet);
    for spec in policies {
        let mut single = scenario.clone();
        single.policies = vec![spec.clone()];
        bar.set_message(format!("{}: searching the headcount", spec.name));
        let found = smallest_constant(&single, &targets, request.confident, request.settings.jobs, |e| {
            let verdict = if e.meets { "meets" } else { "misses" };
            bar.set_message(format!("{}: {} agents {verdict} the targets", spec.name, e.agents));
        })?;
        let schedule = if request.per_interval {
            bar.set_message(format!("{}: adjusting the headcount interval by interval", spec.name));
            Some(per_interval(&single, &targets, &found.answer, request.settings.jobs)?)
        } else {
            None
        };
        results.push(PolicyStaff { policy: spec.name.clone(), found, schedule });
    }
    bar.finish_and_clear();
    write_staff(&out, &results, &scenario)?;
    Ok(describe(&scenario.name, &targets, request.confident, &results, &out))
}

/// The terminal summary.
fn describe(name: &str, targets: &[Target], confident: bool, results: &[PolicyStaff], out: &std::path::Path) -> String {
    let goal: Vec<&str> = targets.iter().map(|t| t.text.as_str()).collect();
    let on = if confident { "on the pessimistic end of the 95% interval" } else { "on the mean" };
    let mut text = format!("{name}: fewest agents with {} ({on})\n\n", goal.join(" and "));
    for r in results {
        let a = &r.found.answer;
        let values: Vec<String> = targets
            .iter()
            .map(|t| {
                let v = a.summary.num(0, &t.metric).map_or("-".into(), format_number_short);
                let ci = a.summary.num(0, &format!("{}_ci95", t.metric)).map(format_number_short);
                format!("{} {v}{}", t.metric, ci.map(|c| format!(" ±{c}")).unwrap_or_default())
            })
            .collect();
        let tried: Vec<String> =
            r.found.path.iter().map(|e| format!("{}{}", e.agents, if e.meets { "✓" } else { "✗" })).collect();
        let _ = writeln!(text, "{:<14} {} agents: {}", r.policy, a.agents, values.join(", "));
        let _ = writeln!(text, "{:<14} tried {}", "", tried.join(" "));
        if let Some(s) = &r.schedule {
            let constant_hours = f64::from(a.agents) * 168.0;
            let best =
                s.rounds.iter().filter(|r| r.failing == 0).min_by(|a, b| a.agent_hours.total_cmp(&b.agent_hours));
            match best {
                Some(round) => {
                    let _ = writeln!(
                        text,
                        "{:<14} per interval: {} agent-hours a week against {} constant, after {} rounds{} \
                         (staff-schedule-{}.csv)",
                        "",
                        format_number(round.agent_hours.round()),
                        format_number(constant_hours),
                        s.rounds.len(),
                        if s.converged { "" } else { ", stopped at the round limit" },
                        r.policy
                    );
                    if round.hopeless > 0 {
                        let _ = writeln!(
                            text,
                            "{:<14} {} intervals of the week miss the targets however many agents they get \
                             (see staff-schedule-path.csv)",
                            "", round.hopeless
                        );
                    }
                }
                None => {
                    let _ = writeln!(
                        text,
                        "{:<14} per interval: no schedule met every target in every interval within {} rounds",
                        "",
                        s.rounds.len()
                    );
                }
            }
        }
    }
    let _ = writeln!(text, "\nWrote {}/ (staff.csv, staff-path.csv)", out.display());
    text
}

/// A value for the terminal: three significant decimals at most.
fn format_number_short(v: f64) -> String {
    if v.abs() >= 100.0 { format!("{v:.0}") } else { format!("{v:.3}") }
}
