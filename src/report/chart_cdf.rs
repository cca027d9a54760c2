//! The response time distribution: one cumulative curve per policy on a logarithmic time axis (response times
//! span seconds to days once conversations are parked), the summary's p50, p90 and p95 marked on each curve.
//!
//! No service level threshold is drawn: service level measures the wait in the queue before an agent picks a
//! conversation up, not the agent's responses, so a threshold line here would invite reading one as the other.

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axis::{Axis, tick_number};
use super::draw::{
    DrawResult, FONT, Swatch, draw_legend, draw_markers, draw_no_data, draw_policy_line, legend_column, series_style,
};
use super::{RunOutputs, format};

/// Percentiles marked on each curve: (summary column, share of responses).
const MARKED: [(&str, f64); 3] = [("response_p50_s", 0.50), ("response_p90_s", 0.90), ("response_p95_s", 0.95)];

/// Draws the chart on `area`, policies styled by their position in `policies`.
pub(super) fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    outputs: &RunOutputs,
    policies: &[String],
) -> DrawResult<DB> {
    let index_of = |name: &str| policies.iter().position(|p| p == name).unwrap_or(0);
    let rows = legend_rows(outputs, policies);
    let (plot, legend) = legend_column(area, &rows);

    let mut xs: Vec<f64> =
        outputs.response_cdf.iter().flat_map(|(_, c)| c.iter().map(|p| p.0)).filter(|x| *x > 0.0).collect();
    let has_data = !xs.is_empty();
    xs.extend(percentile_marks(outputs, policies).map(|(_, _, x, _)| x));
    let lo = xs.iter().copied().filter(|x| x.is_finite() && *x > 0.0).reduce(f64::min).unwrap_or(1.0);
    let hi = xs.iter().copied().filter(|x| x.is_finite()).reduce(f64::max).unwrap_or(1_000.0);
    let x_axis = Axis::log_seconds(lo, hi);
    let (lo, hi) = (x_axis.lo(), x_axis.hi());

    let mut chart = ChartBuilder::on(&plot)
        .margin_right(16)
        .margin_top(12)
        .x_label_area_size(56)
        .y_label_area_size(78)
        .build_cartesian_2d(x_axis, 0.0..100.0)?;
    let tick = |s: &f64| format::tick_duration(*s);
    chart
        .configure_mesh()
        .x_label_formatter(&tick)
        .x_desc("Agent response time: customer message to the agent's next reply (log scale)")
        .y_desc("Responses answered within (%)")
        .y_labels(11)
        .y_max_light_lines(1)
        .y_label_formatter(&tick_number)
        .label_style((FONT, 14))
        .axis_desc_style((FONT, 15))
        .light_line_style(RGBColor(235, 235, 235))
        .draw()?;
    if !has_data {
        draw_no_data(&chart.plotting_area().strip_coord_spec(), "no response times in this run")?;
    }

    let grey = RGBColor(150, 150, 150);
    let right = TextStyle::from((FONT, 13).into_font()).color(&grey).pos(Pos::new(HPos::Right, VPos::Bottom));
    for (_, share) in MARKED {
        let y = share * 100.0;
        chart.draw_series(std::iter::once(DashedPathElement::new(
            vec![(lo, y), (hi, y)],
            2,
            4,
            grey.stroke_width(1),
        )))?;
        chart.draw_series(std::iter::once(Text::new(format!("p{:.0}", y), (hi, y), right.clone())))?;
    }
    for (name, curve) in &outputs.response_cdf {
        let points: Vec<Option<(f64, f64)>> =
            curve.iter().filter(|(x, f)| *x > 0.0 && f.is_finite()).map(|&(x, f)| Some((x, 100.0 * f))).collect();
        draw_policy_line(&mut chart, index_of(name), &points, None)?;
    }
    // A rising curve leaves the space above-left and below-right of a point free: labels of the first policy go
    // above-left, the second's below-right, so they neither cross their curve nor collide. With more policies
    // the values are only in the legend.
    let label_marks = policies.len() <= 2;
    for (i, share, x, _) in percentile_marks(outputs, policies) {
        let style = series_style(i);
        let (pos, offset) = if i % 2 == 0 {
            (Pos::new(HPos::Right, VPos::Bottom), (-7, -5))
        } else {
            (Pos::new(HPos::Left, VPos::Top), (7, 5))
        };
        let mut text = TextStyle::from((FONT, 13).into_font()).pos(pos);
        text.color = style.color.to_backend_color();
        draw_markers(&mut chart, style.marker, style.color, 6, [(x, share * 100.0)])?;
        if !label_marks {
            continue;
        }
        chart.draw_series(std::iter::once(
            EmptyElement::at((x, share * 100.0)) + Text::new(format::short_secs(x), offset, text),
        ))?;
    }

    draw_legend(&legend, 40, &rows)
}

/// The legend: each policy's line, its p50 / p90 / p95 beneath, and the percentile guide lines.
fn legend_rows(outputs: &RunOutputs, policies: &[String]) -> Vec<(String, Swatch)> {
    let index_of = |name: &str| policies.iter().position(|p| p == name).unwrap_or(0);
    let marks: Vec<_> = percentile_marks(outputs, policies).collect();
    let mut rows: Vec<(String, Swatch)> = Vec::new();
    for (name, _) in &outputs.response_cdf {
        let i = index_of(name);
        rows.push((name.clone(), Swatch::Line(series_style(i))));
        let values: Vec<String> = marks
            .iter()
            .filter(|m| m.0 == i)
            .map(|&(_, share, x, _)| format!("p{:.0} {}", share * 100.0, format::short_secs(x)))
            .collect();
        if !values.is_empty() {
            rows.push((values.join("  "), Swatch::Note));
        }
    }
    rows.push(("p50 / p90 / p95".to_string(), Swatch::Rule(RGBColor(150, 150, 150), 2, 4)));
    rows
}

/// (policy index, share, response time, column) of every percentile the summary gives, for every policy.
fn percentile_marks<'a>(
    outputs: &'a RunOutputs,
    policies: &'a [String],
) -> impl Iterator<Item = (usize, f64, f64, &'static str)> + 'a {
    policies.iter().enumerate().flat_map(move |(i, name)| {
        let row = outputs.summary.policy_row(name);
        MARKED.iter().filter_map(move |&(column, share)| {
            let x = outputs.summary.num(row?, column)?;
            (x.is_finite() && x > 0.0).then_some((i, share, x, column))
        })
    })
}
