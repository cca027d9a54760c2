//! The files of `chatcap staff`, all written together or not at all:
//! - `staff.csv`: one row per policy (and per point of a `--vary` grid, whose keys come first): `policy, agents`,
//!   then the `summary.csv` columns at that staffing, then [`STAFFING_COLUMNS`];
//! - `staff-path.csv`: every level tried, in order: `policy, step, agents, meets`, the summary columns, then
//!   [`STAFFING_COLUMNS`];
//! - on a routing set-up, both then get a `group` column naming the agent group searched; `agents`, `scale`,
//!   `shrinkage` and the agent-hours are that group's (the summary columns are the whole team's), and
//!   `offered_load_agents` is empty: a group's share of the work depends on the routing. `staff.csv` then has a
//!   `note` ("not applicable: ..." for a policy in which a target's part gets no conversations, whose row is
//!   otherwise empty), and both end with one column per part target (`queue.french.service_level`, then its
//!   `_ci95`) at that staffing;
//! - with `--per-interval`, `staff-schedule-<policy>.csv` (`from,agents`, ready for `agents.schedule`) and
//!   `staff-schedule-path.csv` (`policy, round, agent_hours_per_week, failing_intervals, hopeless_intervals,
//!   window_meets`: 1 when every target held over the whole window at that round's schedule),
//!   `staff-week.csv` (see [`super::week`]) and `plots/staff_week.png` / `.svg`.

use super::schedule::{Schedule, staffing};
use super::search::{Evaluation, Found, Searched};
use super::target::Target;
use crate::report::atomic::Staging;
use crate::report::csv::to_csv;
use crate::report::{Cell, Table};
use crate::scenario::Scenario;
use crate::{Error, Result};
use std::path::Path;

/// Columns appended after the summary's in `staff.csv` and `staff-path.csv`: the roster's scale (1 for a constant
/// headcount), the shrinkage, scheduled and online agent-hours per week, and the offered load in agents.
pub const STAFFING_COLUMNS: [&str; 5] =
    ["scale", "shrinkage", "scheduled_agent_hours_per_week", "online_agent_hours_per_week", "offered_load_agents"];

/// What a staffing search found for one policy.
#[derive(Debug, Clone)]
pub struct PolicyStaff {
    /// The values of the `--vary` keys at this point (empty without `--vary`).
    pub point: Vec<String>,
    /// The policy's name.
    pub policy: String,
    /// The constant-headcount search, or why none was run.
    pub outcome: Outcome,
    /// The per-interval search, when asked for.
    pub schedule: Option<Schedule>,
}

/// A policy's answer, or why it has none.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// The search ran and found the smallest staffing.
    Staffed(Box<Found>),
    /// A target reads a part that gets no conversations in this policy (see [`super::idle`]); the reason, as
    /// "workstream chat-persistent gets no conversations in this policy (its share is 0)".
    NotApplicable {
        /// Whose staffing would have been searched.
        searched: Searched,
        /// Why no staffing can be judged.
        why: String,
    },
}

impl PolicyStaff {
    /// The search's outcome, when it ran.
    pub fn found(&self) -> Option<&Found> {
        match &self.outcome {
            Outcome::Staffed(found) => Some(found.as_ref()),
            Outcome::NotApplicable { .. } => None,
        }
    }

    /// Whose staffing was searched (or would have been).
    pub fn searched(&self) -> &Searched {
        match &self.outcome {
            Outcome::Staffed(found) => &found.searched,
            Outcome::NotApplicable { searched, .. } => searched,
        }
    }
}

/// The columns of the part targets (`queue.french.service_level`, then its `_ci95`), in the order given.
fn part_columns(targets: &[Target]) -> Vec<String> {
    targets.iter().filter(|t| t.part.is_some()).flat_map(|t| [t.label(), format!("{}_ci95", t.label())]).collect()
}

/// `<keys...>, policy, <lead...>`, then the summary's columns after `policy`, then [`STAFFING_COLUMNS`]; for a
/// group's search, then `group`, `note` (in `staff.csv` only) and the part targets' columns.
fn columns(
    keys: &[String],
    searched: &Searched,
    summary: &Table,
    lead: &[&str],
    note: bool,
    targets: &[Target],
) -> Vec<String> {
    let mut columns: Vec<String> = keys.to_vec();
    columns.push("policy".into());
    columns.extend(lead.iter().map(|c| c.to_string()));
    columns.extend(summary.columns.iter().skip(1).cloned());
    columns.extend(STAFFING_COLUMNS.iter().map(|c| c.to_string()));
    if let Searched::Group(_) = searched {
        columns.push("group".into());
        if note {
            columns.push("note".into());
        }
        columns.extend(part_columns(targets));
    }
    columns
}

/// A row: the point's values, the policy, `lead` cells, the summary's first row after `policy`, the staffing,
/// then for a group's search its name, the note (in `staff.csv` only: empty when staffed) and the part targets'
/// values.
fn row(r: &PolicyStaff, lead: Vec<Cell>, evaluation: &Evaluation, note: bool, targets: &[Target]) -> Vec<Cell> {
    let mut row: Vec<Cell> = r.point.iter().map(|v| Cell::Text(v.clone())).collect();
    row.push(Cell::Text(r.policy.clone()));
    row.extend(lead);
    row.extend(evaluation.summary.rows.first().into_iter().flat_map(|r| r.iter().skip(1).cloned()));
    let (scheduled, online) = evaluation.agent_hours;
    row.extend([
        Cell::Num(evaluation.staffing.scale),
        Cell::Num(evaluation.staffing.shrinkage),
        Cell::Num(scheduled),
        Cell::Num(online),
    ]);
    match r.searched() {
        Searched::Team => row.push(Cell::Num(r.found().map_or(0.0, |f| f.load.agents))),
        Searched::Group(name) => {
            row.extend([Cell::Empty, Cell::Text(name.clone())]);
            if note {
                row.push(Cell::Empty);
            }
            for t in targets.iter().filter(|t| t.part.is_some()) {
                let (value, half) = evaluation.reading(t);
                row.extend([value, half].map(|v| v.map_or(Cell::Empty, Cell::Num)));
            }
        }
    }
    row
}

/// `staff.csv`; `keys` are the `--vary` keys. A policy not applicable to the targets has an empty row but for
/// its point, name, group and note.
pub fn staff_table(keys: &[String], targets: &[Target], results: &[PolicyStaff]) -> Table {
    let mut table = Table::default();
    let Some(first) = results.iter().find_map(PolicyStaff::found) else { return table };
    let summary = &first.answer.summary;
    table.columns = columns(keys, &first.searched, summary, &["agents"], true, targets);
    for r in results {
        match &r.outcome {
            Outcome::Staffed(found) => {
                let a = &found.answer;
                table.rows.push(row(r, vec![Cell::Num(f64::from(a.agents))], a, true, targets));
            }
            Outcome::NotApplicable { why, .. } => {
                let mut row: Vec<Cell> = r.point.iter().map(|v| Cell::Text(v.clone())).collect();
                row.push(Cell::Text(r.policy.clone()));
                row.resize(table.columns.len(), Cell::Empty);
                if let (Some(g), Some(n), Searched::Group(name)) =
                    (table.column("group"), table.column("note"), r.searched())
                {
                    row[g] = Cell::Text(name.clone());
                    row[n] = Cell::Text(format!("not applicable: {why}"));
                }
                table.rows.push(row);
            }
        }
    }
    table
}

/// `staff-path.csv` (a policy not applicable to the targets tried nothing, so has no rows).
pub fn path_table(keys: &[String], targets: &[Target], results: &[PolicyStaff]) -> Table {
    let mut table = Table::default();
    for r in results {
        let Some(found) = r.found() else { continue };
        for (step, e) in found.path.iter().enumerate() {
            table.columns = columns(keys, &found.searched, &e.summary, &["step", "agents", "meets"], false, targets);
            let lead = vec![
                Cell::Num((step + 1) as f64),
                Cell::Num(f64::from(e.agents)),
                Cell::Num(f64::from(u8::from(e.meets))),
            ];
            table.rows.push(row(r, lead, e, false, targets));
        }
    }
    table
}

/// A schedule file: `from,agents`, one row per change over the whole run.
pub fn schedule_table(slots: &[u32], schedule: &Schedule, scenario: &Scenario) -> Table {
    let rows = staffing(slots, schedule.slot, scenario.horizon())
        .into_iter()
        .map(|(t, n)| vec![Cell::Text(scenario.origin.format(t)), Cell::Num(f64::from(n))])
        .collect();
    Table { columns: vec!["from".into(), "agents".into()], rows }
}

/// `staff-schedule-path.csv`.
pub fn schedule_path_table(results: &[PolicyStaff]) -> Table {
    let columns =
        ["policy", "round", "agent_hours_per_week", "failing_intervals", "hopeless_intervals", "window_meets"]
            .map(String::from)
            .to_vec();
    let mut rows = Vec::new();
    for r in results {
        for (i, round) in r.schedule.iter().flat_map(|s| s.rounds.iter()).enumerate() {
            rows.push(vec![
                Cell::Text(r.policy.clone()),
                Cell::Num((i + 1) as f64),
                Cell::Num(round.agent_hours),
                Cell::Num(round.failing as f64),
                Cell::Num(round.hopeless as f64),
                Cell::Num(f64::from(u8::from(round.window_meets))),
            ]);
        }
    }
    Table { columns, rows }
}

/// Writes every file into `dir` (created if needed), atomically; `keys` are the `--vary` keys, `goal` the targets
/// as written (for the chart's title).
pub fn write_staff(
    dir: &Path,
    keys: &[String],
    goal: &str,
    targets: &[Target],
    results: &[PolicyStaff],
    scenario: &Scenario,
) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut staging = Staging::new();
    let staff = staff_table(keys, targets, results);
    staging.write(&dir.join("staff.csv"), to_csv(&staff)?.as_bytes())?;
    staging.write(&dir.join("staff-path.csv"), to_csv(&path_table(keys, targets, results))?.as_bytes())?;
    if let Some(key) = keys.first() {
        let plots = dir.join("plots");
        std::fs::create_dir_all(&plots).map_err(|e| Error::io(&plots, e))?;
        let data = super::chart::staff_chart_data(&staff, keys);
        let stem = format!("staff_{}", super::chart::file_key(key));
        let title = super::chart::title(goal);
        let svg = super::chart::render_svg(&title, &data)?;
        staging.write(&plots.join(format!("{stem}.svg")), svg.as_bytes())?;
        staging.write_with(&plots.join(format!("{stem}.png")), |tmp| super::chart::render_png(&title, &data, tmp))?;
    }
    if results.iter().any(|r| r.schedule.is_some()) {
        staging.write(&dir.join("staff-schedule-path.csv"), to_csv(&schedule_path_table(results))?.as_bytes())?;
    }
    let mut weeks = Vec::new();
    for r in results {
        if let Some(schedule) = &r.schedule
            && let Some(best) = &schedule.best
        {
            let table = schedule_table(best, schedule, scenario);
            staging.write(&dir.join(format!("staff-schedule-{}.csv", r.policy)), to_csv(&table)?.as_bytes())?;
            weeks.push((r.policy.clone(), super::week::week(best, schedule, scenario.origin)));
        }
    }
    if !weeks.is_empty() {
        staging.write(&dir.join("staff-week.csv"), to_csv(&super::week::week_table(&weeks))?.as_bytes())?;
        let plots = dir.join("plots");
        std::fs::create_dir_all(&plots).map_err(|e| Error::io(&plots, e))?;
        staging.write(&plots.join("staff_week.svg"), super::heatmap::render_svg(&weeks)?.as_bytes())?;
        staging.write_with(&plots.join("staff_week.png"), |tmp| super::heatmap::render_png(&weeks, tmp))?;
    }
    staging.commit()
}
