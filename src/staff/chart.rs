//! The chart of `chatcap staff --vary`: agents needed against the first varied value, one line per policy (and
//! per value of a second varied key), read from `staff.csv` so the chart shows exactly the table's numbers.
//!
//! The x axis is laid out as the sweep's charts lay theirs (`crate::sweep::chart::chart_data`: numbers, durations
//! in seconds labelled as written, or categories), and the lines use the run charts' styles.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::report::Table;
use crate::report::axis::{Axis, tick_number};
use crate::report::draw::{DrawResult, FONT, draw_legend, draw_no_data, draw_policy_line, legend_column};
use crate::sweep::chart::{ChartData, chart_data};
use crate::{Error, Result};

/// Pixel size of the chart.
pub const SIZE: (u32, u32) = (1200, 700);

/// A varied key as it appears in a file name: characters other than letters, digits, `.`, `-` and `_` become `_`.
pub fn file_key(key: &str) -> String {
    key.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' }).collect()
}

/// The lines of the chart, from `staff.csv` whose first columns are `keys`.
pub fn staff_chart_data(staff: &Table, keys: &[String]) -> ChartData {
    chart_data(staff, keys, "agents")
}

/// Whole-number ticks, about six, from 0 to `hi`.
fn agent_ticks(hi: f64) -> Vec<f64> {
    let step = [1.0, 2.0, 5.0, 10.0, 20.0, 25.0, 50.0, 100.0, 200.0, 250.0, 500.0, 1000.0, 2000.0, 5000.0, 10000.0]
        .into_iter()
        .find(|s| hi / s <= 8.0)
        .unwrap_or(20000.0);
    (0..).map(|i| f64::from(i) * step).take_while(|t| *t <= hi + 1e-9).collect()
}

fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, title: &str, data: &ChartData) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let area = root.titled(title, (FONT, 26).into_font().style(FontStyle::Bold))?;
    let area = area.margin(0, 6, 6, 14);
    let rows = data.legend_rows();
    let (plot, legend) = legend_column(&area, &rows);
    draw_legend(&legend, 60, &rows)?;

    let hi = data.series.iter().flat_map(|s| s.points.iter()).map(|p| p.1).fold(0.0, f64::max);
    let hi = (hi * 1.1).max(hi + 1.0);
    let (_, (x_lo, x_hi)) = data.x_range();
    let x_ticks: Vec<f64> = data.ticks.iter().map(|(x, _)| *x).collect();
    let mut chart = ChartBuilder::on(&plot)
        .margin(12)
        .x_label_area_size(50)
        .y_label_area_size(80)
        .build_cartesian_2d(Axis::linear(x_lo..x_hi, x_ticks), Axis::linear(0.0..hi, agent_ticks(hi)))?;
    let x_label = |x: &f64| {
        data.ticks
            .iter()
            .find(|(t, _)| (t - x).abs() <= 1e-9 * (1.0 + x.abs()))
            .map_or(String::new(), |(_, l)| l.clone())
    };
    chart
        .configure_mesh()
        .x_label_formatter(&x_label)
        .y_label_formatter(&tick_number)
        .y_desc("agents (scheduled, at the busiest moment)")
        .x_desc(data.x_title.as_str())
        .label_style((FONT, 14))
        .axis_desc_style((FONT, 15))
        .light_line_style(RGBColor(235, 235, 235))
        .draw()?;
    for (i, s) in data.series.iter().enumerate() {
        let line: Vec<Option<(f64, f64)>> = s.points.iter().map(|(x, v, _)| Some((*x, *v))).collect();
        draw_policy_line(&mut chart, i, &line, Some(1))?;
    }
    if data.series.is_empty() {
        draw_no_data(&chart.plotting_area().strip_coord_spec(), "no staffing answer to show")?;
    }
    Ok(())
}

/// The chart's title: the targets the answers meet.
pub fn title(targets: &str) -> String {
    format!("Agents needed for {targets}")
}

/// The chart as an SVG document.
pub fn render_svg(title: &str, data: &ChartData) -> Result<String> {
    crate::report::register_fonts()?;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        draw(&root, title, data).and_then(|()| root.present()).map_err(drawing_error)?;
    }
    Ok(svg)
}

/// The chart as a PNG file at `path` (whose extension must be `png`).
pub fn render_png(title: &str, data: &ChartData, path: &std::path::Path) -> Result<()> {
    crate::report::register_fonts()?;
    let root = BitMapBackend::new(path, SIZE).into_drawing_area();
    draw(&root, title, data).and_then(|()| root.present()).map_err(drawing_error)
}

fn drawing_error<E: std::error::Error + Send + Sync>(e: DrawingAreaErrorKind<E>) -> Error {
    Error::Other(format!("drawing the staffing chart: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Cell;

    #[test]
    fn one_line_per_policy_in_agents() {
        let row = |x: &str, policy: &str, n: f64| vec![Cell::Text(x.into()), Cell::Text(policy.into()), Cell::Num(n)];
        let staff = Table {
            columns: ["k", "policy", "agents"].map(String::from).to_vec(),
            rows: vec![
                row("3m", "live", 14.0),
                row("3m", "persistent", 9.0),
                row("1h", "live", 14.0),
                row("1h", "persistent", 12.0),
            ],
        };
        let data = staff_chart_data(&staff, &["k".to_string()]);
        assert_eq!(data.series.len(), 2);
        assert_eq!(data.series[1].points, vec![(180.0, 9.0, None), (3600.0, 12.0, None)]);
        let svg = render_svg(&title("service_level>=0.8"), &data).unwrap();
        assert!(
            svg.contains("Agents needed for service_level&gt;=0.8")
                && svg.contains("persistent")
                && svg.contains("1h\n</text>"),
            "{}",
            &svg[..200]
        );
        assert_eq!(file_key("policy.persistent.park_after_idle"), "policy.persistent.park_after_idle");
        assert_eq!(file_key("a/b c"), "a_b_c");
        assert_eq!(agent_ticks(13.2), [0.0, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0]);
    }
}
