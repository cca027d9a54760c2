//! The files of `chatcap staff`, all written together or not at all:
//! - `staff.csv`: one row per policy (and per point of a `--vary` grid, whose keys come first): `policy, agents`,
//!   then the `summary.csv` columns at that staffing, then [`STAFFING_COLUMNS`];
//! - `staff-path.csv`: every level tried, in order: `policy, step, agents, meets`, the summary columns, then
//!   [`STAFFING_COLUMNS`];
//! - on a routing set-up, both end with a `group` column naming the agent group searched; `agents`, `scale`,
//!   `shrinkage` and the agent-hours are that group's (the summary columns are the whole team's), and
//!   `offered_load_agents` is empty: a group's share of the work depends on the routing;
//! - with `--per-interval`, `staff-schedule-<policy>.csv` (`from,agents`, ready for `agents.schedule`) and
//!   `staff-schedule-path.csv` (`policy, round, agent_hours_per_week, failing_intervals, hopeless_intervals,
//!   window_meets`: 1 when every target held over the whole window at that round's schedule),
//!   `staff-week.csv` (see [`super::week`]) and `plots/staff_week.png` / `.svg`.

use super::schedule::{Schedule, staffing};
use super::search::{Evaluation, Found, Searched};
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
    /// The constant-headcount search.
    pub found: Found,
    /// The per-interval search, when asked for.
    pub schedule: Option<Schedule>,
}

/// `<keys...>, policy, <lead...>`, then the summary's columns after `policy`, then [`STAFFING_COLUMNS`], then
/// `group` for a group's search.
fn columns(keys: &[String], r: &PolicyStaff, evaluation: &Evaluation, lead: &[&str]) -> Vec<String> {
    let mut columns: Vec<String> = keys.to_vec();
    columns.push("policy".into());
    columns.extend(lead.iter().map(|c| c.to_string()));
    columns.extend(evaluation.summary.columns.iter().skip(1).cloned());
    columns.extend(STAFFING_COLUMNS.iter().map(|c| c.to_string()));
    if let Searched::Group(_) = r.found.searched {
        columns.push("group".into());
    }
    columns
}

/// A row: the point's values, the policy, `lead` cells, the summary's first row after `policy`, the staffing.
fn row(r: &PolicyStaff, lead: Vec<Cell>, evaluation: &Evaluation) -> Vec<Cell> {
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
    match &r.found.searched {
        Searched::Team => row.push(Cell::Num(r.found.load.agents)),
        Searched::Group(name) => row.extend([Cell::Empty, Cell::Text(name.clone())]),
    }
    row
}

/// `staff.csv`; `keys` are the `--vary` keys.
pub fn staff_table(keys: &[String], results: &[PolicyStaff]) -> Table {
    let mut table = Table::default();
    for r in results {
        let a = &r.found.answer;
        table.columns = columns(keys, r, a, &["agents"]);
        table.rows.push(row(r, vec![Cell::Num(f64::from(a.agents))], a));
    }
    table
}

/// `staff-path.csv`.
pub fn path_table(keys: &[String], results: &[PolicyStaff]) -> Table {
    let mut table = Table::default();
    for r in results {
        for (step, e) in r.found.path.iter().enumerate() {
            table.columns = columns(keys, r, e, &["step", "agents", "meets"]);
            let lead = vec![
                Cell::Num((step + 1) as f64),
                Cell::Num(f64::from(e.agents)),
                Cell::Num(f64::from(u8::from(e.meets))),
            ];
            table.rows.push(row(r, lead, e));
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
    results: &[PolicyStaff],
    scenario: &Scenario,
) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut staging = Staging::new();
    let staff = staff_table(keys, results);
    staging.write(&dir.join("staff.csv"), to_csv(&staff)?.as_bytes())?;
    staging.write(&dir.join("staff-path.csv"), to_csv(&path_table(keys, results))?.as_bytes())?;
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
