//! Outputs: CSV tables, charts and the one-page HTML report, one file per format.
//!
//! [`write_run`] turns a [`RunOutputs`] into `summary.csv`, `intervals.csv`, `conversations.csv`,
//! `workstreams.csv` and `queues.csv` (routing set-ups only), `plots/*.{png,svg}` and `report.html`; `chatcap run` streams the two large CSVs instead (see [`stream`]) and
//! hands them, already staged, to [`write_staged_run`]. Every file is staged under a
//! temporary name and renamed only once all of them were written, so a failure never leaves a half-written
//! file behind (see [`atomic`]).

pub mod atomic;
pub mod axis;
mod chart_cdf;
mod chart_headline;
mod chart_parts;
mod chart_week;
pub mod columns;
pub mod csv;
pub mod draw;
pub mod format;
pub mod html;
mod html_parts;
pub mod plots;
pub mod stream;
pub mod verdict;
pub mod verdict_parts;
pub mod week;

use std::path::Path;

pub use plots::register_fonts;

/// One value in an output table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text, such as a policy name or a timestamp.
    Text(String),
    /// A number.
    Num(f64),
    /// No value (for example a confidence interval with one replication).
    Empty,
}

/// A table of named columns, the in-memory form of every CSV chatcap writes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    /// Column names, in output order.
    pub columns: Vec<String>,
    /// Rows, each with one cell per column.
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// The index of a column by name.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }

    /// A numeric cell by row and column name; `None` when absent, empty or text.
    pub fn num(&self, row: usize, column: &str) -> Option<f64> {
        match self.rows.get(row)?.get(self.column(column)?)? {
            Cell::Num(v) => Some(*v),
            _ => None,
        }
    }

    /// A text cell by row and column name.
    pub fn text(&self, row: usize, column: &str) -> Option<&str> {
        match self.rows.get(row)?.get(self.column(column)?)? {
            Cell::Text(s) => Some(s),
            _ => None,
        }
    }

    /// The row whose `policy` column is `name`.
    pub fn policy_row(&self, name: &str) -> Option<usize> {
        (0..self.rows.len()).find(|&r| self.text(r, "policy") == Some(name))
    }
}

/// Everything a `chatcap run` hands to the writers.
#[derive(Debug, Clone, Default)]
pub struct RunOutputs {
    /// The scenario's `name`, used as the report's title.
    pub scenario_name: String,
    /// A few plain-language lines describing the scenario, shown under the title.
    pub scenario_lines: Vec<String>,
    /// Exactly `summary.csv`: the CONTRACT.md columns in order, then extras; one row per policy.
    pub summary: Table,
    /// Exactly `intervals.csv`: the CONTRACT.md columns plus `reclaimed_capacity_mean` (capacity units released
    /// by parking, time-averaged over the interval), when held in memory; empty when `chatcap run` streamed the
    /// file (see [`stream`]) and gives [`RunOutputs::week`] instead.
    pub intervals: Table,
    /// The week charts' columns of `intervals.csv` folded as the file was written; `None`: fold
    /// [`RunOutputs::intervals`].
    pub week: Option<week::WeekFolds>,
    /// Per policy: (response time in seconds, share of responses at or below it), increasing in both.
    pub response_cdf: Vec<(String, Vec<(f64, f64)>)>,
    /// The service level threshold in seconds.
    pub service_level_s: f64,
    /// Capacity units of one agent, to turn capacity into agent equivalents.
    pub capacity_per_agent: f64,
    /// Lines such as the conservation check result, shown in the report.
    pub notes: Vec<String>,
    /// Exactly `workstreams.csv` when the scenario is a routing set-up (`[[workstream]]`); `None` otherwise.
    pub workstreams: Option<Table>,
    /// Exactly `queues.csv`, likewise.
    pub queues: Option<Table>,
}

impl RunOutputs {
    /// The week charts' folds: those given, or [`RunOutputs::intervals`] folded now.
    pub fn week_folds(&self, policies: &[String]) -> crate::Result<std::borrow::Cow<'_, week::WeekFolds>> {
        match &self.week {
            Some(folds) => Ok(std::borrow::Cow::Borrowed(folds)),
            None => {
                Ok(std::borrow::Cow::Owned(week::WeekFolds::from_table(&self.intervals, policies, &week::CHARTED)?))
            }
        }
    }
}

/// Writes every output of a run into `dir` (created if needed): the CSVs, `conversations.csv` when given, the
/// charts as PNG and SVG under `plots/`, and `report.html`.
///
/// All or nothing: files are staged under temporary names and renamed at the end; on any error the temporaries
/// are removed, files from an earlier run are left untouched, and the error is returned.
pub fn write_run(dir: &Path, outputs: &RunOutputs, conversations: Option<&Table>) -> crate::Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| crate::Error::io(dir, e))?;
    let mut staging = atomic::Staging::new();
    staging.write(&dir.join("intervals.csv"), csv::to_csv(&outputs.intervals)?.as_bytes())?;
    if let Some(table) = conversations {
        staging.write(&dir.join("conversations.csv"), csv::to_csv(table)?.as_bytes())?;
    }
    write_staged_run(dir, outputs, staging)
}

/// [`write_run`] with `intervals.csv` (and `conversations.csv`) already in `staging`, as `chatcap run` streams
/// them (see [`stream`]): adds the other outputs, then renames everything into place.
pub fn write_staged_run(dir: &Path, outputs: &RunOutputs, mut staging: atomic::Staging) -> crate::Result<()> {
    register_fonts()?;
    std::fs::create_dir_all(dir).map_err(|e| crate::Error::io(dir, e))?;
    staging.write(&dir.join("summary.csv"), csv::to_csv(&outputs.summary)?.as_bytes())?;
    for (table, file) in [(&outputs.workstreams, "workstreams.csv"), (&outputs.queues, "queues.csv")] {
        if let Some(table) = table {
            staging.write(&dir.join(file), csv::to_csv(table)?.as_bytes())?;
        }
    }
    let plots_dir = dir.join("plots");
    std::fs::create_dir_all(&plots_dir).map_err(|e| crate::Error::io(&plots_dir, e))?;
    let mut svgs = Vec::new();
    for chart in plots::Chart::for_run(outputs) {
        let svg = plots::render_svg(chart, outputs)?;
        staging.write(&plots_dir.join(format!("{}.svg", chart.file_stem())), svg.as_bytes())?;
        let png = plots_dir.join(format!("{}.png", chart.file_stem()));
        staging.write_with(&png, |tmp| plots::render_png(chart, outputs, tmp))?;
        svgs.push((chart, svg));
    }
    let page = html::page(outputs, &svgs);
    staging.write(&dir.join("report.html"), page.as_bytes())?;
    staging.commit()
}
