//! Service level by workstream: one group of bars per workstream, one bar per policy, with 95% interval
//! whiskers from `workstreams.csv`, so the policies' cost to each workstream reads at a glance.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::Table;
use super::chart_headline::{Bar, Scale, draw_panel};
use super::draw::{DrawResult, Swatch, draw_legend, legend_column, series_style};

/// Draws the panel and the policies' legend.
pub(super) fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    workstreams: &Table,
    policies: &[String],
) -> DrawResult<DB> {
    let rows: Vec<(String, Swatch)> =
        policies.iter().enumerate().map(|(i, name)| (name.clone(), Swatch::Bar(series_style(i).color))).collect();
    let (plot, legend) = legend_column(area, &rows);
    draw_legend(&legend, 60, &rows)?;
    let mut names: Vec<String> = Vec::new();
    for r in 0..workstreams.rows.len() {
        if let Some(name) = workstreams.text(r, "workstream")
            && !names.iter().any(|n| n == name)
        {
            names.push(name.to_string());
        }
    }
    let values: Vec<Vec<Bar>> = names
        .iter()
        .map(|name| {
            policies
                .iter()
                .map(|policy| {
                    let r = (0..workstreams.rows.len()).find(|&r| {
                        workstreams.text(r, "policy") == Some(policy) && workstreams.text(r, "workstream") == Some(name)
                    })?;
                    let v = workstreams.num(r, "service_level").filter(|v| v.is_finite())?;
                    let ci = workstreams.num(r, "service_level_ci95").filter(|c| c.is_finite() && *c > 0.0);
                    Some((v * 100.0, ci.map(|c| c * 100.0)))
                })
                .collect()
        })
        .collect();
    let labels: Vec<(&str, &str)> = names.iter().map(|n| ("service_level", n.as_str())).collect();
    draw_panel(
        &plot,
        "Share of each workstream's conversations picked up within the threshold (%)",
        &labels,
        &values,
        Scale::Percent,
    )
}
