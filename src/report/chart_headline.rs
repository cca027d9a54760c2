//! Headline metrics side by side: grouped bars per policy with 95% interval whiskers (from the `<metric>_ci95`
//! columns; none where the summary has none), shares on one panel and seconds on the other. A metric the summary
//! lacks (`lost_share` before customers were counted) has no group at all rather than an empty one.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axis::{Axis, TimeUnit, tick_number, time_ticks};
use super::chart_week::nice_ceiling;
use super::draw::{DrawResult, FONT, Swatch, draw_legend, legend_column, series_style};
use super::{Table, format};

/// Shares shown as percentages: (summary column, axis label).
const SHARES: [(&str, &str); 7] = [
    ("service_level_open_hours", "SL open hours"),
    ("service_level", "service level"),
    ("lost_share", "customers lost"),
    ("capacity_utilisation", "utilisation"),
    ("occupancy", "occupancy"),
    ("reclaimed_capacity_share", "reclaimed share"),
    ("abandon_rate", "abandon rate"),
];

/// Times in seconds: (summary column, axis label).
const SECONDS: [(&str, &str); 2] = [("response_p90_s", "response p90"), ("first_response_p90_s", "first response p90")];

/// One bar: the value and, when the summary has one, the half-width of its 95% interval.
pub(super) type Bar = Option<(f64, Option<f64>)>;

/// Value labels above bars are drawn only up to this many policies; beyond it they would overlap.
const MAX_LABELLED_POLICIES: usize = 4;

/// Draws both panels and the legend.
pub(super) fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    summary: &Table,
    policies: &[String],
) -> DrawResult<DB> {
    let rows: Vec<(String, Swatch)> =
        policies.iter().enumerate().map(|(i, name)| (name.clone(), Swatch::Bar(series_style(i).color))).collect();
    let (plots, legend) = legend_column(area, &rows);
    draw_legend(&legend, 60, &rows)?;
    let present = |columns: &[(&'static str, &'static str)]| -> Vec<(&'static str, &'static str)> {
        columns.iter().copied().filter(|(c, _)| summary.column(c).is_some()).collect()
    };
    let (shares, seconds) = (present(&SHARES), present(&SECONDS));
    let width = plots.dim_in_pixel().0;
    let (left, right) = plots.split_horizontally(width * 64 / 100);
    let group = |columns: &[(&'static str, &'static str)], scale: f64| -> Vec<Vec<Bar>> {
        columns
            .iter()
            .map(|(column, _)| {
                policies
                    .iter()
                    .map(|name| {
                        let row = summary.policy_row(name)?;
                        let v = summary.num(row, column).filter(|v| v.is_finite())?;
                        let ci = summary.num(row, &format!("{column}_ci95")).filter(|c| c.is_finite() && *c > 0.0);
                        Some((v * scale, ci.map(|c| c * scale)))
                    })
                    .collect()
            })
            .collect()
    };
    draw_panel(&left, "Shares (%)", &shares, &group(&shares, 100.0), Scale::Percent)?;
    draw_panel(&right, "90th percentiles", &seconds, &group(&seconds, 1.0), Scale::Seconds)
}

/// The value axis of a panel.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Scale {
    /// 0..100 %.
    Percent,
    /// Seconds, on a log axis when values differ by more than [`LOG_SPREAD`] (a persistent policy's p90 can be
    /// hours while a live one's is a minute, and a linear axis would flatten the short bars to nothing).
    Seconds,
}

/// The ratio of largest to smallest value beyond which seconds go on a log axis.
const LOG_SPREAD: f64 = 20.0;

/// The y axis for `values`, its description and its tick labels.
fn value_axis(scale: Scale, values: &[Vec<Bar>]) -> (Axis, &'static str, fn(&f64) -> String) {
    let bars = || values.iter().flatten().flatten();
    let top = bars().map(|(v, ci)| v + ci.unwrap_or(0.0)).fold(0.0, f64::max);
    let bottom = bars().map(|(v, ci)| v - ci.unwrap_or(0.0)).filter(|v| *v > 0.0).fold(f64::INFINITY, f64::min);
    match scale {
        Scale::Percent => (Axis::linear(0.0..110.0, y_ticks(100.0)), "Share (%)", tick_number),
        Scale::Seconds if top > 0.0 && top / bottom > LOG_SPREAD => {
            (Axis::log_seconds(bottom, top * 2.0), "Time (log scale)", |s| format::tick_duration(*s))
        }
        Scale::Seconds => {
            let max = if top > 0.0 { top * 1.15 } else { 60.0 };
            let (ticks, unit) = time_ticks(0.0, max, 7);
            let label: fn(&f64) -> String = match unit {
                TimeUnit::Seconds => |s| TimeUnit::Seconds.label(*s),
                TimeUnit::Minutes => |s| TimeUnit::Minutes.label(*s),
                TimeUnit::Hours => |s| TimeUnit::Hours.label(*s),
                TimeUnit::Days => |s| TimeUnit::Days.label(*s),
            };
            (Axis::linear(0.0..max, ticks), "Time", label)
        }
    }
}

/// One panel of grouped bars: `values[metric][policy]` is (value, interval half-width).
pub(super) fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    caption: &str,
    metrics: &[(&str, &str)],
    values: &[Vec<Bar>],
    scale: Scale,
) -> DrawResult<DB> {
    let (y_axis, y_desc, y_label) = value_axis(scale, values);
    let base = y_axis.lo();
    let m = metrics.len();
    let mut chart = ChartBuilder::on(area)
        .caption(caption, (FONT, 18))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(70)
        .build_cartesian_2d(Axis::linear(-0.5..m as f64 - 0.5, (0..m).map(|i| i as f64).collect()), y_axis)?;
    let label = |x: &f64| metrics.get(x.round() as usize).map_or(String::new(), |(_, l)| l.to_string());
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_label_formatter(&label)
        .y_label_formatter(&y_label)
        .y_max_light_lines(1)
        .y_desc(y_desc)
        .label_style((FONT, 14))
        .axis_desc_style((FONT, 15))
        .light_line_style(RGBColor(235, 235, 235))
        .draw()?;

    let n = values.first().map_or(0, Vec::len).max(1);
    let width = 0.8 / n as f64;
    let whisker = BLACK.stroke_width(2);
    let text = TextStyle::from((FONT, 13).into_font()).pos(Pos::new(HPos::Center, VPos::Bottom));
    for (g, bars) in values.iter().enumerate() {
        for (p, bar) in bars.iter().enumerate() {
            let Some((v, ci)) = *bar else { continue };
            let v = v.max(base);
            let x0 = g as f64 - 0.4 + p as f64 * width;
            let centre = x0 + width / 2.0;
            let color = series_style(p).color;
            chart.draw_series([
                Rectangle::new([(x0 + width * 0.06, base), (x0 + width * 0.94, v)], color.filled()),
                Rectangle::new([(x0 + width * 0.06, base), (x0 + width * 0.94, v)], BLACK.stroke_width(1)),
            ])?;
            if let Some(ci) = ci {
                let (lo, hi) = ((v - ci).max(base), v + ci);
                let cap = width * 0.18;
                chart.draw_series([
                    PathElement::new(vec![(centre, lo), (centre, hi)], whisker),
                    PathElement::new(vec![(centre - cap, lo), (centre + cap, lo)], whisker),
                    PathElement::new(vec![(centre - cap, hi), (centre + cap, hi)], whisker),
                ])?;
            }
            if n <= MAX_LABELLED_POLICIES {
                let shown = if scale == Scale::Percent { format!("{v:.1}") } else { format::short_secs(v) };
                let y = v + ci.unwrap_or(0.0);
                chart.draw_series(std::iter::once(
                    EmptyElement::at((centre, y)) + Text::new(shown, (0, -4), text.clone()),
                ))?;
            }
        }
    }
    if values.iter().flatten().all(Option::is_none) {
        super::draw::draw_no_data(&chart.plotting_area().strip_coord_spec(), "no data for this run")?;
    }
    Ok(())
}

/// About six round ticks from zero to `max`.
fn y_ticks(max: f64) -> Vec<f64> {
    let step = nice_ceiling(max / 6.0);
    (0..).map(|i| f64::from(i) * step).take_while(|t| *t <= max + step * 1e-9).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks() {
        assert_eq!(y_ticks(100.0), vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert_eq!(y_ticks(250.0).last(), Some(&250.0));
    }
}
