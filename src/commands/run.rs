//! `chatcap run`: simulate every policy of a scenario and write the outputs.

use super::{Estimate, Settings, default_out, parts_text, summary_text};
use crate::metrics::parts::{PartKind, parts_table};
use crate::metrics::summary::{conservation_held, response_cdf, summary_table};
use crate::paired::paired_table;
use crate::report::atomic::Staging;
use crate::report::csv::write_csv;
use crate::report::stream::{RunFiles, RunName, assemble};
use crate::report::{RunOutputs, Table, write_staged_run};
use crate::scenario::{PolicySpec, Scenario, load};
use crate::sim::run::{RunOptions, simulate_streaming};
use crate::{Error, Result};
use std::path::PathBuf;

/// What `chatcap run` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct RunRequest {
    /// The scenario file.
    pub scenario: PathBuf,
    /// Output folder; `output/<scenario stem>/` when absent.
    pub out: Option<PathBuf>,
    /// Seed, replications, threads, overrides, progress.
    pub settings: Settings,
    /// Also write `conversations.csv`.
    pub conversations: bool,
    /// Write the router's inputs and decisions as JSON lines in this folder.
    pub record_routing: Option<PathBuf>,
    /// Run even when the estimate of the work passes a limit (see [`Estimate`]).
    pub force: bool,
}

/// Runs the scenario, writes the outputs, and returns the text to print.
pub fn run(request: &RunRequest) -> Result<String> {
    let scenario = load(&request.scenario, &request.settings.overrides())?;
    for warning in scenario.setup_warnings() {
        eprintln!("warning: {warning}");
    }
    if !request.force {
        Estimate::of(&scenario).check(&request.scenario.display().to_string(), request.conversations)?;
    }
    let out = request.out.clone().unwrap_or_else(|| default_out(&request.scenario));
    let options = RunOptions {
        jobs: request.settings.jobs,
        record_conversations: request.conversations,
        progress: !request.settings.quiet,
        record_routing: request.record_routing.clone(),
    };
    if let Some(dir) = &request.record_routing {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    std::fs::create_dir_all(&out).map_err(|e| Error::io(&out, e))?;
    let count = scenario.policies.len() * scenario.replications as usize;
    let files = RunFiles::new(&out, count, request.conversations);
    let (runs, _) = simulate_streaming(&scenario, &options, &files)?;
    for p in &runs {
        for (r, run) in p.replications.iter().enumerate() {
            if let Some(o) = run.overloaded {
                return Err(Error::Other(format!(
                    "{}: policy {}, replication {}: {}",
                    request.scenario.display(),
                    p.policy,
                    r + 1,
                    o.describe()
                )));
            }
        }
    }

    let mut arrived = 0;
    for p in &runs {
        for (r, run) in p.replications.iter().enumerate() {
            conservation_held(&run.measured, run.held.engine_in_window, run.held.router_in_window).map_err(|e| {
                Error::Other(format!("conservation check failed for {} replication {}: {e}", p.policy, r + 1))
            })?;
            arrived += run.measured.conversations;
        }
    }
    let capacity = scenario.agents.capacity;
    let names: Vec<RunName> = runs
        .iter()
        .flat_map(|p| (1..=p.replications.len()).map(|r| RunName { policy: p.policy.clone(), replication: r }))
        .collect();
    let policies: Vec<String> = runs.iter().map(|p| p.policy.clone()).collect();
    let mut staging = Staging::new();
    let week = assemble(&mut staging, &out, &files, &names, &policies, scenario.origin)?;
    drop(files);
    let workstreams = parts_table(&runs, &scenario.policies, PartKind::Workstream, capacity);
    let queues = parts_table(&runs, &scenario.policies, PartKind::Queue, capacity);
    let outputs = RunOutputs {
        scenario_name: scenario.name.clone(),
        scenario_lines: scenario.describe(),
        summary: summary_table(&runs, &scenario.policies, capacity),
        intervals: Table::default(),
        week: Some(week),
        response_cdf: response_cdf(&runs),
        service_level_s: scenario.service_level.as_secs_f64(),
        capacity_per_agent: f64::from(capacity),
        notes: notes(arrived, &scenario),
        workstreams,
        queues,
    };
    write_staged_run(&out, &outputs, staging)?;
    let mut parts_written = String::new();
    for (table, file) in [(&outputs.workstreams, "workstreams.csv"), (&outputs.queues, "queues.csv")] {
        match table {
            Some(_) => parts_written.push_str(&format!(", {file}")),
            // No routing set-up: a file left by an earlier run would mislead.
            None => {
                let _ = std::fs::remove_file(out.join(file));
            }
        }
    }
    let paired = (runs.len() > 1).then(|| paired_table(&runs, &scenario.policies, capacity));
    match &paired {
        Some(table) => write_csv(&out.join("paired.csv"), table)?,
        // One policy: nothing to compare; a paired.csv left by an earlier run would mislead.
        None => {
            let _ = std::fs::remove_file(out.join("paired.csv"));
        }
    }

    let mut text = format!(
        "{}: {} policies x {} replications, window {} after {} warm-up\n\n",
        scenario.name,
        scenario.policies.len(),
        scenario.replications,
        scenario.duration,
        scenario.warmup
    );
    text.push_str(&summary_text(&outputs.summary));
    text.push_str(&parts_text(
        &outputs.summary,
        outputs.workstreams.as_ref(),
        outputs.queues.as_ref(),
        outputs.service_level_s,
    ));
    text.push('\n');
    text.push_str(&outputs.notes.join("\n"));
    let extra = format!("{}{parts_written}", if paired.is_some() { ", paired.csv" } else { "" });
    text.push_str(&format!("\nWrote {}/ (summary.csv, intervals.csv{extra}, report.html, plots/)\n", out.display()));
    Ok(text)
}

/// The report's notes: the conservation check, and how to read reclaimed capacity when a policy parks.
fn notes(arrived: u64, scenario: &Scenario) -> Vec<String> {
    let mut notes = vec![format!(
        "Conservation check passed for every policy and replication: of {arrived} conversations that arrived in the \
         window, each was closed, abandoned, refused or is counted as still open."
    )];
    if scenario.policies.iter().any(PolicySpec::has_persistent) {
        notes.push(
            "Reclaimed capacity counts, at each moment, each signed-in agent's parked conversations up to that \
             agent's capacity: the slots those conversations would still hold without the waiting stage, so \
             reclaimed agent equivalents never exceed the agents signed in. The slots given back are then filled by \
             other conversations, so capacity used plus reclaimed can exceed the team's capacity: read reclaimed as \
             the extra agents the team would need if it could not park, not as idle agents it could cut."
                .into(),
        );
    }
    notes
}
