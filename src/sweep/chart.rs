//! Sweep charts: one headline metric against the first varied key, one line per policy (and per value of the
//! second varied key), with the 95% interval over replications as a shaded band.
//!
//! The x axis is numeric when every value of the first key is a number or a duration (durations in seconds),
//! otherwise the values are evenly spaced categories in grid order. With three or more varied keys, the
//! charts fix the third and later keys at their first value (the table and `sweep.csv` have every point).
//! Styles (colours, dashes, markers, legend column) are the run charts' (`crate::report::draw`).

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::report::axis::{Axis, TimeUnit, tick_number, time_ticks};
use crate::report::draw::{
    DrawResult, FONT, Swatch, draw_legend, draw_no_data, draw_policy_line, legend_column, series_style,
};
use crate::report::{Cell, Table};
use crate::scenario::parse_duration;
use crate::{Error, Result};

/// Pixel size of every sweep chart.
pub const SIZE: (u32, u32) = (1200, 700);

/// The metrics charted, with their title and whether they are shares (shown as percentages). A metric absent
/// from `sweep.csv` (`lost_share` before customers were counted) gets no chart.
pub const CHARTED: [(&str, &str, bool); 8] = [
    ("service_level_open_hours", "Service level in opening hours", true),
    ("service_level", "Service level", true),
    ("lost_share", "Customers lost", true),
    ("response_p90_s", "Response time, 90th percentile", false),
    ("first_response_p90_s", "First response, 90th percentile", false),
    ("occupancy", "Occupancy", true),
    ("capacity_utilisation", "Capacity utilisation", true),
    ("abandon_rate", "Abandon rate", true),
];

/// What the x positions of a chart are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XAxis {
    /// The values themselves.
    Numbers,
    /// Durations, in seconds.
    Seconds,
    /// Words: evenly spaced, in grid order.
    Categories,
}

/// The most labelled ticks on the x axis; beyond it every second (third, ...) value is labelled.
const MAX_TICKS: usize = 12;

/// About six round ticks over `lo..hi`.
fn y_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let raw = (hi - lo) / 6.0;
    if !(raw.is_finite() && raw > 0.0) {
        return vec![lo];
    }
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * magnitude).find(|s| *s >= raw).unwrap_or(raw);
    let first = (lo / step).ceil() as i64;
    (first..).map(|i| i as f64 * step).take_while(|t| *t <= hi + step * 1e-9).collect()
}

/// One line of a chart: its label and (x, mean, 95% half-width) points in x order.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// `policy`, or `policy, value` of the second varied key.
    pub label: String,
    /// (x, mean, half-width) per point.
    pub points: Vec<(f64, f64, Option<f64>)>,
}

/// What a chart of `metric` shows, prepared from `sweep.csv` before any drawing.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartData {
    /// The x axis title: the first varied key.
    pub x_title: String,
    /// The second varied key, whose values label the lines, if any.
    pub series_key: Option<String>,
    /// Third and later varied keys, held at their first value: `key = value`.
    pub held: Vec<String>,
    /// Every x value: its position on the axis and its text in `sweep.csv`.
    pub ticks: Vec<(f64, String)>,
    /// How x positions read: numbers, durations in seconds, or category indices.
    pub axis: XAxis,
    /// The lines.
    pub series: Vec<Series>,
}

impl ChartData {
    /// The legend: the series key as a note, one line swatch per series, then the held keys.
    pub fn legend_rows(&self) -> Vec<(String, Swatch)> {
        let mut rows: Vec<(String, Swatch)> =
            self.series_key.iter().map(|k| (format!("policy, {k}"), Swatch::Note)).collect();
        rows.extend(self.series.iter().enumerate().map(|(i, s)| (s.label.clone(), Swatch::Line(series_style(i)))));
        rows.extend(self.held.iter().map(|h| (h.clone(), Swatch::Note)));
        rows
    }

    /// The smallest and largest x position, and the axis range around them with 4% of padding either side (one
    /// unit either side for a single position, 0..1 for none).
    pub fn x_range(&self) -> ((f64, f64), (f64, f64)) {
        let (lo, hi) =
            self.ticks.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), (x, _)| (a.min(*x), b.max(*x)));
        let padded = if lo.is_finite() && hi > lo {
            let pad = (hi - lo) * 0.04;
            (lo - pad, hi + pad)
        } else if lo.is_finite() {
            (lo - 1.0, lo + 1.0)
        } else {
            (0.0, 1.0)
        };
        ((lo, hi), padded)
    }
}

/// Reads the chart of `metric` out of a sweep table whose first `keys.len()` columns are the varied keys.
pub fn chart_data(table: &Table, keys: &[String], metric: &str) -> ChartData {
    let text = |row: &[Cell], c: usize| match &row[c] {
        Cell::Text(s) => s.clone(),
        Cell::Num(v) => crate::report::csv::format_number(*v),
        Cell::Empty => String::new(),
    };
    let (Some(value_col), Some(policy_col)) = (table.column(metric), table.column("policy")) else {
        return ChartData {
            x_title: keys.first().cloned().unwrap_or_default(),
            series_key: keys.get(1).cloned(),
            held: Vec::new(),
            ticks: Vec::new(),
            axis: XAxis::Categories,
            series: Vec::new(),
        };
    };
    let ci_col = table.column(&format!("{metric}_ci95"));
    let fixed: Vec<(usize, String)> =
        (2..keys.len()).filter_map(|k| table.rows.first().map(|r| (k, text(r, k)))).collect();
    let rows: Vec<&Vec<Cell>> = table.rows.iter().filter(|r| fixed.iter().all(|(k, v)| text(r, *k) == *v)).collect();

    let mut x_values: Vec<String> = Vec::new();
    for r in &rows {
        let x = text(r, 0);
        if !x_values.contains(&x) {
            x_values.push(x);
        }
    }
    let numeric: Option<Vec<f64>> = x_values.iter().map(|x| x.parse::<f64>().ok()).collect();
    let seconds: Option<Vec<f64>> = x_values.iter().map(|x| parse_duration(x).ok().map(|d| d.as_secs_f64())).collect();
    let (positions, axis) = match (numeric, seconds) {
        (Some(v), _) => (v, XAxis::Numbers),
        (None, Some(v)) => (v, XAxis::Seconds),
        (None, None) => ((0..x_values.len()).map(|i| i as f64).collect(), XAxis::Categories),
    };
    let x_title = keys.first().cloned().unwrap_or_default();
    let ticks = x_values.iter().zip(&positions).map(|(label, x)| (*x, label.clone())).collect();

    let mut series: Vec<Series> = Vec::new();
    for r in &rows {
        let label = match keys.get(1) {
            Some(_) => format!("{}, {}", text(r, policy_col), text(r, 1)),
            None => text(r, policy_col),
        };
        let x = positions[x_values.iter().position(|v| *v == text(r, 0)).unwrap_or(0)];
        let value = match r[value_col] {
            Cell::Num(v) => v,
            _ => continue,
        };
        let ci = ci_col.and_then(|c| match r[c] {
            Cell::Num(v) => Some(v),
            _ => None,
        });
        match series.iter_mut().find(|s| s.label == label) {
            Some(s) => s.points.push((x, value, ci)),
            None => series.push(Series { label, points: vec![(x, value, ci)] }),
        }
    }
    for s in &mut series {
        s.points.sort_by(|a, b| a.0.total_cmp(&b.0));
    }
    let held = fixed.iter().map(|(k, v)| format!("{} = {v}", keys[*k])).collect();
    ChartData { x_title, series_key: keys.get(1).cloned(), held, ticks, axis, series }
}

/// The x ticks over the data range `lo..hi`: up to [`MAX_TICKS`] values are ticked and labelled as written in
/// `sweep.csv`; more durations tick at round times in the returned unit, more numbers or words at every n-th value.
fn x_ticks(data: &ChartData, lo: f64, hi: f64) -> (Vec<f64>, Option<TimeUnit>) {
    if data.ticks.len() <= MAX_TICKS {
        return (data.ticks.iter().map(|(x, _)| *x).collect(), None);
    }
    if data.axis == XAxis::Seconds {
        let (ticks, unit) = time_ticks(lo, hi, MAX_TICKS);
        return (ticks, Some(unit));
    }
    let every = data.ticks.len().div_ceil(MAX_TICKS);
    (data.ticks.iter().step_by(every).map(|(x, _)| *x).collect(), None)
}

/// Draws one chart on `root`.
fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    share: bool,
    data: &ChartData,
) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let area = root.titled(title, (FONT, 26).into_font().style(FontStyle::Bold))?;
    let area = area.margin(0, 6, 6, 14);
    let rows = data.legend_rows();
    let (plot, legend) = legend_column(&area, &rows);
    draw_legend(&legend, 60, &rows)?;

    let all = || data.series.iter().flat_map(|s| s.points.iter());
    let lo = all().map(|(_, v, c)| v - c.unwrap_or(0.0)).fold(0.0, f64::min);
    let hi = all().map(|(_, v, c)| v + c.unwrap_or(0.0)).fold(f64::NEG_INFINITY, f64::max);
    let hi = if hi.is_finite() && hi > lo { hi + (hi - lo) * 0.08 } else { lo + 1.0 };
    let ((data_lo, data_hi), (x_lo, x_hi)) = data.x_range();
    let (x_ticks, x_time) = x_ticks(data, data_lo, data_hi);
    // Times tick at whole seconds, minutes, hours or days; shares and counts at round numbers.
    let (y_ticks, unit) = if share {
        (y_ticks(lo, hi), None)
    } else {
        let (ticks, unit) = time_ticks(lo, hi, 7);
        (ticks, Some(unit))
    };
    let mut chart = ChartBuilder::on(&plot)
        .margin(12)
        .x_label_area_size(50)
        .y_label_area_size(80)
        .build_cartesian_2d(Axis::linear(x_lo..x_hi, x_ticks), Axis::linear(lo..hi, y_ticks))?;
    let x_label = |x: &f64| {
        if let Some(unit) = x_time {
            return unit.label(*x);
        }
        data.ticks
            .iter()
            .find(|(t, _)| (t - x).abs() <= 1e-9 * (1.0 + x.abs()))
            .map_or(String::new(), |(_, l)| l.clone())
    };
    let y_label = |y: &f64| match unit {
        Some(unit) => unit.label(*y),
        None => format!("{}%", tick_number(&(y * 100.0))),
    };
    chart
        .configure_mesh()
        .x_label_formatter(&x_label)
        .y_label_formatter(&y_label)
        .y_max_light_lines(1)
        .x_desc(data.x_title.as_str())
        .label_style((FONT, 14))
        .axis_desc_style((FONT, 15))
        .light_line_style(RGBColor(235, 235, 235))
        .draw()?;
    for (i, s) in data.series.iter().enumerate() {
        let color = series_style(i).color;
        let upper: Vec<(f64, f64)> = s.points.iter().map(|(x, v, c)| (*x, v + c.unwrap_or(0.0))).collect();
        let lower: Vec<(f64, f64)> = s.points.iter().rev().map(|(x, v, c)| (*x, v - c.unwrap_or(0.0))).collect();
        if s.points.iter().any(|p| p.2.is_some_and(|c| c > 0.0)) {
            let band: Vec<(f64, f64)> = upper.into_iter().chain(lower).collect();
            chart.draw_series(std::iter::once(Polygon::new(band, color.mix(0.18).filled())))?;
        }
        let line: Vec<Option<(f64, f64)>> = s.points.iter().map(|(x, v, _)| Some((*x, *v))).collect();
        draw_policy_line(&mut chart, i, &line, Some(1))?;
    }
    if data.series.is_empty() {
        draw_no_data(&chart.plotting_area().strip_coord_spec(), "no data for this metric")?;
    }
    Ok(())
}

/// The chart of `metric` (one of [`CHARTED`]) as an SVG document.
pub fn render_svg(title: &str, share: bool, data: &ChartData) -> Result<String> {
    crate::report::register_fonts()?;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        draw(&root, title, share, data).and_then(|()| root.present()).map_err(|e| drawing_error(title, e))?;
    }
    Ok(svg)
}

/// The chart as a PNG file at `path` (whose extension must be `png`).
pub fn render_png(title: &str, share: bool, data: &ChartData, path: &std::path::Path) -> Result<()> {
    crate::report::register_fonts()?;
    let root = BitMapBackend::new(path, SIZE).into_drawing_area();
    draw(&root, title, share, data).and_then(|()| root.present()).map_err(|e| drawing_error(title, e))
}

fn drawing_error<E: std::error::Error + Send + Sync>(title: &str, e: DrawingAreaErrorKind<E>) -> Error {
    Error::Other(format!("drawing the sweep chart {title:?}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        let row = |count: &str, cap: &str, policy: &str, sl: f64| {
            vec![
                Cell::Text(count.into()),
                Cell::Text(cap.into()),
                Cell::Text(policy.into()),
                Cell::Num(sl),
                Cell::Num(0.01),
            ]
        };
        Table {
            columns: ["agents.count", "agents.capacity", "policy", "service_level", "service_level_ci95"]
                .map(String::from)
                .to_vec(),
            rows: vec![
                row("20", "1", "live", 0.5),
                row("20", "2", "live", 0.6),
                row("10", "1", "live", 0.3),
                row("10", "2", "live", 0.4),
            ],
        }
    }

    #[test]
    fn one_series_per_policy_and_second_key_sorted_by_x() {
        let keys = ["agents.count".to_string(), "agents.capacity".to_string()];
        let data = chart_data(&table(), &keys, "service_level");
        assert_eq!(data.series.len(), 2);
        assert_eq!(data.series[0].label, "live, 1");
        assert_eq!(data.series[0].points, vec![(10.0, 0.3, Some(0.01)), (20.0, 0.5, Some(0.01))]);
        assert_eq!(data.ticks[0], (20.0, "20".to_string()));
        let svg = render_svg("Service level", true, &data).unwrap();
        assert!(svg.contains("<svg") && svg.contains("agents.count"));
    }

    #[test]
    fn durations_and_words_make_an_axis() {
        let mut t = table();
        for (r, x) in t.rows.iter_mut().zip(["2m", "2m", "90s", "90s"]) {
            r[0] = Cell::Text(x.into());
        }
        let keys = ["k".to_string(), "agents.capacity".to_string()];
        let data = chart_data(&t, &keys, "service_level");
        assert_eq!(data.series[0].points[0].0, 90.0);
        for (r, x) in t.rows.iter_mut().zip(["b", "b", "a", "a"]) {
            r[0] = Cell::Text(x.into());
        }
        let data = chart_data(&t, &keys, "service_level");
        assert_eq!(data.ticks, vec![(0.0, "b".to_string()), (1.0, "a".to_string())]);
        assert_eq!(x_ticks(&data, 0.0, 1.0), (vec![0.0, 1.0], None));
        assert!(chart_data(&t, &keys, "missing").series.is_empty());
    }

    #[test]
    fn many_durations_tick_at_round_times() {
        // 2m..60m:4m: fifteen values, too many to label; ticks fall on whole multiples of five minutes.
        let values: Vec<String> = (0..15).map(|i| format!("{}m", 2 + 4 * i)).collect();
        let t = Table {
            columns: ["k", "policy", "service_level"].map(String::from).to_vec(),
            rows: values
                .iter()
                .map(|v| vec![Cell::Text(v.clone()), Cell::Text("live".into()), Cell::Num(0.5)])
                .collect(),
        };
        let data = chart_data(&t, &["k".to_string()], "service_level");
        assert_eq!(data.axis, XAxis::Seconds);
        let (ticks, unit) = x_ticks(&data, 120.0, 3_480.0);
        assert_eq!(unit, Some(TimeUnit::Minutes));
        assert_eq!(ticks.first(), Some(&300.0));
        assert!(ticks.len() <= MAX_TICKS && ticks.iter().all(|t| t % 300.0 == 0.0), "{ticks:?}");
        assert_eq!(unit.unwrap().label(ticks[1]), "10 min");
    }
}
