//! The replay chart: abandonment and mean wait by hour of day, history against two replays.
//!
//! Drawn in the house style of `chatcap::report` (embedded DejaVu Sans, Okabe-Ito colours, a dash pattern and a
//! marker per series so it reads in greyscale, the legend in its own column). Hours with fewer than 100 calls
//! in the month (night) are left out: their rates rest on a handful of calls.

use chatcap::trace_import::hourly::{Hour, Hours};
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use std::path::Path;

const FONT: &str = "sans-serif";
/// Hours with fewer calls than this are not drawn.
const MIN_CALLS: f64 = 100.0;

/// How one series is drawn: colour, dash (None = solid) and marker shape index.
struct Style {
    color: RGBColor,
    dash: Option<(u32, u32)>,
    marker: usize,
}

const STYLES: [Style; 3] = [
    Style { color: RGBColor(60, 60, 60), dash: None, marker: 0 },
    Style { color: RGBColor(0, 114, 178), dash: Some((14, 6)), marker: 1 },
    Style { color: RGBColor(230, 159, 0), dash: Some((3, 5)), marker: 2 },
];

/// Draws the chart to `path` (PNG).
pub fn draw(path: &Path, observed: &Hours, inferred: &Hours, calibrated: &Hours, factor: f64) -> anyhow::Result<()> {
    chatcap::report::register_fonts()?;
    let root = BitMapBackend::new(path, (1400, 560)).into_drawing_area();
    root.fill(&WHITE).map_err(err)?;
    let (title, body) = root.split_vertically(44);
    title
        .draw_text(
            "Anonymous Bank, February 1999: history against chatcap's replay, by hour of arrival",
            &TextStyle::from((FONT, 20).into_font()),
            (16, 14),
        )
        .map_err(err)?;
    let (plots, legend) = body.split_horizontally(1400 - 230);
    let panels = plots.split_evenly((1, 2));
    let series = [observed, inferred, calibrated];
    let rate = |h: &Hour| h.abandon_rate().map(|r| 100.0 * r);
    panel(&panels[0], "Abandonment: abandoned / offered", "Abandonment (%)", &series, &rate)?;
    panel(&panels[1], "Mean queue wait, abandoned calls included", "Mean wait (s)", &series, &|h: &Hour| {
        h.mean_wait_s()
    })?;
    let labels = ["observed (log)".to_string(), "replay, inferred".to_string(), format!("replay, x{factor:.2} staff")];
    draw_legend(&legend, &labels).map_err(err)?;
    root.present().map_err(err)?;
    Ok(())
}

fn err<E: std::fmt::Debug>(e: E) -> anyhow::Error {
    anyhow::anyhow!("{e:?}")
}

/// One panel: the value `y` of every series by hour of day.
fn panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    caption: &str,
    y_desc: &str,
    series: &[&Hours; 3],
    y: &dyn Fn(&Hour) -> Option<f64>,
) -> anyhow::Result<()> {
    let points: Vec<Vec<(f64, f64)>> = series
        .iter()
        .map(|hours| {
            hours
                .iter()
                .enumerate()
                .filter(|(_, h)| h.arrivals >= MIN_CALLS)
                .filter_map(|(i, h)| y(h).map(|v| (i as f64 + 0.5, v)))
                .collect()
        })
        .collect();
    let top = points.iter().flatten().map(|p| p.1).fold(0.0, f64::max) * 1.15;
    let mut chart = ChartBuilder::on(area)
        .caption(caption, (FONT, 17))
        .margin(12)
        .x_label_area_size(48)
        .y_label_area_size(64)
        .build_cartesian_2d(6.0..24.0, 0.0..top.max(1.0))
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_labels(10)
        .x_label_formatter(&|x| format!("{:02}:00", *x as u32))
        .x_desc("Hour of day (arrival)")
        .y_desc(y_desc)
        .y_labels(6)
        .y_label_formatter(&|v| format!("{v:.0}"))
        .label_style((FONT, 14))
        .axis_desc_style((FONT, 15))
        .light_line_style(RGBColor(235, 235, 235))
        .draw()
        .map_err(err)?;
    for (line, style) in points.iter().zip(&STYLES) {
        let stroke = style.color.stroke_width(2);
        match style.dash {
            None => chart.draw_series(std::iter::once(PathElement::new(line.clone(), stroke))).map_err(err)?,
            Some((d, g)) => {
                chart.draw_series(std::iter::once(DashedPathElement::new(line.clone(), d, g, stroke))).map_err(err)?
            }
        };
        let color = style.color;
        match style.marker {
            0 => chart.draw_series(line.iter().map(|&p| Circle::new(p, 4, color.filled()))).map_err(err)?,
            1 => chart.draw_series(line.iter().map(|&p| TriangleMarker::new(p, 5, color.filled()))).map_err(err)?,
            _ => chart
                .draw_series(
                    line.iter()
                        .map(|&p| EmptyElement::at(p) + Rectangle::new([(-4, -4), (4, 4)], color.stroke_width(2))),
                )
                .map_err(err)?,
        };
    }
    Ok(())
}

/// The legend column: a line sample with its marker and a label per series.
fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    labels: &[String; 3],
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let text = TextStyle::from((FONT, 16).into_font());
    for (i, (label, style)) in labels.iter().zip(&STYLES).enumerate() {
        let y = 80 + 30 * i as i32;
        let stroke = style.color.stroke_width(2);
        let line = vec![(12, y), (46, y)];
        match style.dash {
            None => area.draw(&PathElement::new(line, stroke))?,
            Some((d, g)) => area.draw(&DashedPathElement::new(line, d, g, stroke))?,
        }
        match style.marker {
            0 => area.draw(&Circle::new((29, y), 4, style.color.filled()))?,
            1 => area.draw(&TriangleMarker::new((29, y), 5, style.color.filled()))?,
            _ => area.draw(&Rectangle::new([(25, y - 4), (33, y + 4)], style.color.stroke_width(2)))?,
        }
        area.draw_text(label, &text, (54, y - 8))?;
    }
    Ok(())
}
