//! The calibration chart: abandonment and mean wait by hour of day, history against the calibrated model with
//! its 95% interval, on the test window. Drawn with the report's house style (`crate::report::draw`).

use super::compare::{MIN_CALLS, Row};
use crate::report::draw::{FONT, Swatch, draw_legend, draw_policy_line, series_style, with_legend_column};
use crate::report::register_fonts;
use crate::{Error, Result};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

const SIZE: (u32, u32) = (1400, 560);

fn err<E: std::fmt::Debug>(e: E) -> Error {
    Error::Other(format!("drawing the calibration chart: {e:?}"))
}

fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, hours: &[Row], title: &str) -> Result<()> {
    root.fill(&WHITE).map_err(err)?;
    let (head, body) = root.split_vertically(44);
    head.draw_text(title, &TextStyle::from((FONT, 20).into_font()), (16, 14)).map_err(err)?;
    let (plots, legend) = with_legend_column(&body);
    let panels = plots.split_evenly((1, 2));
    let busy: Vec<(f64, &Row)> =
        hours.iter().enumerate().filter(|(_, h)| h.offered >= MIN_CALLS).map(|(i, h)| (i as f64 + 0.5, h)).collect();
    type Pick = fn(&Row) -> (Option<f64>, Option<(f64, Option<f64>)>);
    let abandon: Pick =
        |h| (h.abandon.map(|v| 100.0 * v), h.abandon_sim.map(|(m, c)| (100.0 * m, c.map(|c| 100.0 * c))));
    let wait: Pick = |h| (h.wait, h.wait_sim);
    for (area, (caption, unit, pick)) in panels.iter().zip([
        ("Abandonment: abandoned / offered", "Abandonment (%)", abandon),
        ("Mean queue wait, abandoned contacts included", "Mean wait (s)", wait),
    ]) {
        let obs: Vec<Option<(f64, f64)>> = busy.iter().map(|(x, h)| pick(h).0.map(|v| (*x, v))).collect();
        let sim: Vec<Option<(f64, f64)>> = busy.iter().map(|(x, h)| pick(h).1.map(|v| (*x, v.0))).collect();
        let top = busy
            .iter()
            .flat_map(|(_, h)| {
                let (o, s) = pick(h);
                [o, s.map(|(m, c)| m + c.unwrap_or(0.0))]
            })
            .flatten()
            .fold(0.0, f64::max)
            * 1.15;
        let lo = busy.first().map_or(0.0, |b| b.0.floor());
        let hi = busy.last().map_or(24.0, |b| b.0.ceil());
        let mut chart = ChartBuilder::on(area)
            .caption(caption, (FONT, 17))
            .margin(12)
            .x_label_area_size(48)
            .y_label_area_size(64)
            .build_cartesian_2d(lo..hi, 0.0..top.max(1.0))
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_labels(10)
            .x_label_formatter(&|x| format!("{:02}:00", *x as u32))
            .x_desc("Hour of day (joining the queue)")
            .y_desc(unit)
            .label_style((FONT, 14))
            .axis_desc_style((FONT, 15))
            .light_line_style(RGBColor(235, 235, 235))
            .draw()
            .map_err(err)?;
        draw_policy_line(&mut chart, 2, &obs, Some(1)).map_err(err)?;
        draw_policy_line(&mut chart, 0, &sim, Some(1)).map_err(err)?;
        let color = series_style(0).color;
        chart
            .draw_series(busy.iter().filter_map(|(x, h)| {
                let (m, c) = pick(h).1?;
                let c = c?;
                Some(PathElement::new(vec![(*x, (m - c).max(0.0)), (*x, m + c)], color.stroke_width(2)))
            }))
            .map_err(err)?;
    }
    let rows = vec![
        ("history (observed)".to_string(), Swatch::Line(series_style(2))),
        ("calibrated model".to_string(), Swatch::Line(series_style(0))),
        ("bars: 95% interval".to_string(), Swatch::Note),
    ];
    draw_legend(&legend, 80, &rows).map_err(err)?;
    root.present().map_err(err)?;
    Ok(())
}

/// Draws the chart as a PNG file at `path`.
pub fn png(hours: &[Row], title: &str, path: &Path) -> Result<()> {
    register_fonts()?;
    let root = BitMapBackend::new(path, SIZE).into_drawing_area();
    draw(&root, hours, title)
}

/// The chart as SVG text.
pub fn svg(hours: &[Row], title: &str) -> Result<String> {
    register_fonts()?;
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, SIZE).into_drawing_area();
        draw(&root, hours, title)?;
    }
    Ok(text)
}
