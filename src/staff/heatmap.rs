//! `plots/staff_week.png` / `.svg`: the per-interval staffing as a heatmap, one panel per policy, weekdays across
//! and times of day down, each cell shaded by the agents it needs (its number written in it when it fits).
//! Closed intervals are grey and empty: no agents are scheduled there.

use super::week::{WEEKDAYS, Week, clock};
use crate::report::draw::{DrawResult, FONT};
use crate::{Error, Result};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

const LEFT: i32 = 70;
const TOP: i32 = 100;
const CELL_W: i32 = 70;
const PANEL_GAP: i32 = 30;
const LEGEND_W: i32 = 170;
const CLOSED: RGBColor = RGBColor(225, 225, 225);

/// Row height in pixels for `rows` rows: the table fits in about 720 pixels.
fn row_height(rows: usize) -> i32 {
    (720 / rows.max(1) as i32).clamp(6, 28)
}

/// Pixel size of the heatmap of these weeks.
pub fn size(weeks: &[(String, Week)]) -> (u32, u32) {
    let rows = weeks.first().map_or(1, |(_, w)| w.times.len());
    let panels = weeks.len().max(1) as i32;
    let width = LEFT + panels * (7 * CELL_W + PANEL_GAP) + LEGEND_W;
    let height = TOP + rows as i32 * row_height(rows) + 40;
    (width as u32, height as u32)
}

/// White for 0 to dark blue for `max`.
fn shade(n: u32, max: u32) -> RGBColor {
    let f = if max == 0 { 0.0 } else { f64::from(n) / f64::from(max) };
    let mix = |light: f64, dark: f64| (light + (dark - light) * f).round() as u8;
    RGBColor(mix(255.0, 8.0), mix(255.0, 48.0), mix(255.0, 107.0))
}

fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, weeks: &[(String, Week)]) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let centre = Pos::new(HPos::Center, VPos::Center);
    let right = Pos::new(HPos::Right, VPos::Center);
    let left = Pos::new(HPos::Left, VPos::Center);
    let title = TextStyle::from((FONT, 24).into_font().style(FontStyle::Bold));
    root.draw_text("Scheduled agents needed, interval by interval", &title, (LEFT, 14))?;
    let max = weeks.iter().flat_map(|(_, w)| w.agents.iter().flatten()).copied().max().unwrap_or(0);
    let rows = weeks.first().map_or(0, |(_, w)| w.times.len());
    let h = row_height(rows);
    let label = TextStyle::from((FONT, 14).into_font()).pos(right);
    for (p, (policy, week)) in weeks.iter().enumerate() {
        let x0 = LEFT + p as i32 * (7 * CELL_W + PANEL_GAP);
        let head = TextStyle::from((FONT, 18).into_font().style(FontStyle::Bold)).pos(centre);
        root.draw_text(policy, &head, (x0 + 7 * CELL_W / 2, TOP - 44))?;
        for (d, day) in WEEKDAYS.iter().enumerate() {
            let style = TextStyle::from((FONT, 15).into_font()).pos(centre);
            root.draw_text(day, &style, (x0 + d as i32 * CELL_W + CELL_W / 2, TOP - 14))?;
        }
        for (r, ms) in week.times.iter().enumerate() {
            let y = TOP + r as i32 * h;
            if p == 0 && (h >= 14 || ms % 3_600_000 == 0) {
                root.draw_text(&clock(*ms), &label, (LEFT - 8, y + h / 2))?;
            }
            for d in 0..7 {
                let x = x0 + d as i32 * CELL_W;
                let n = week.agents[r][d];
                let fill = if week.closed[r][d] { CLOSED } else { shade(n, max) };
                root.draw(&Rectangle::new([(x, y), (x + CELL_W - 1, y + h - 1)], fill.filled()))?;
                if !week.closed[r][d] && h >= 11 {
                    let dark = max > 0 && f64::from(n) / f64::from(max) > 0.55;
                    let color = if dark { WHITE } else { BLACK };
                    let style = TextStyle::from((FONT, (h - 3).min(15) as u32).into_font()).color(&color).pos(centre);
                    root.draw_text(&n.to_string(), &style, (x + CELL_W / 2, y + h / 2))?;
                }
            }
        }
    }
    // Legend: the shade scale and the closed swatch.
    let lx = LEFT + weeks.len() as i32 * (7 * CELL_W + PANEL_GAP) + 10;
    let text = TextStyle::from((FONT, 14).into_font()).pos(left);
    root.draw_text("agents", &TextStyle::from((FONT, 15).into_font().style(FontStyle::Bold)), (lx, TOP - 20))?;
    let steps = 10;
    for i in 0..=steps {
        let n = (f64::from(max) * f64::from(i) / f64::from(steps)).round() as u32;
        let y = TOP + i * 22;
        root.draw(&Rectangle::new([(lx, y), (lx + 30, y + 20)], shade(n, max).filled()))?;
        root.draw(&Rectangle::new([(lx, y), (lx + 30, y + 20)], BLACK.stroke_width(1)))?;
        if i == 0 || i == steps || i == steps / 2 {
            root.draw_text(&n.to_string(), &text, (lx + 38, y + 10))?;
        }
    }
    let y = TOP + (steps + 2) * 22;
    root.draw(&Rectangle::new([(lx, y), (lx + 30, y + 20)], CLOSED.filled()))?;
    root.draw_text("closed: no agents", &text, (lx + 38, y + 10))?;
    Ok(())
}

/// The heatmap as an SVG document.
pub fn render_svg(weeks: &[(String, Week)]) -> Result<String> {
    crate::report::register_fonts()?;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size(weeks)).into_drawing_area();
        draw(&root, weeks).and_then(|()| root.present()).map_err(drawing_error)?;
    }
    Ok(svg)
}

/// The heatmap as a PNG file at `path` (whose extension must be `png`).
pub fn render_png(weeks: &[(String, Week)], path: &std::path::Path) -> Result<()> {
    crate::report::register_fonts()?;
    let root = BitMapBackend::new(path, size(weeks)).into_drawing_area();
    draw(&root, weeks).and_then(|()| root.present()).map_err(drawing_error)
}

fn drawing_error<E: std::error::Error + Send + Sync>(e: DrawingAreaErrorKind<E>) -> Error {
    Error::Other(format!("drawing the staffing heatmap: {e}"))
}
