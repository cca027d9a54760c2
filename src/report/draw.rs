//! Drawing helpers shared by the charts: policy styles, markers, policy lines, the legend column.
//! Public so other chart families (the sweep's, in `crate::sweep`) look the same as the run's.
//!
//! Every policy keeps one style across all charts: a colour from a palette safe for colour-blind readers, plus
//! a dash pattern and a marker, so lines stay distinguishable when printed in greyscale.

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;

/// The font family every chart asks for; [`super::plots::register_fonts`] backs it with embedded DejaVu Sans.
pub const FONT: &str = "sans-serif";

/// The result of a drawing step on backend `DB`.
pub type DrawResult<DB> = std::result::Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// A marker shape drawn on a policy's line at intervals.
#[derive(Debug, Clone, Copy)]
pub enum Marker {
    /// A filled circle.
    Circle,
    /// A filled triangle.
    Triangle,
    /// An empty square.
    Square,
    /// A cross.
    Cross,
}

/// How one policy is drawn in every chart.
#[derive(Debug, Clone, Copy)]
pub struct SeriesStyle {
    /// Line and bar colour.
    pub color: RGBColor,
    /// Dash length and gap in pixels; `None` for a solid line.
    pub dash: Option<(u32, u32)>,
    /// The marker on the line and in the legend.
    pub marker: Marker,
}

/// Okabe-Ito colours ordered so neighbours differ in lightness too (dark blue, light orange, near-black, ...).
const PALETTE: [RGBColor; 6] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(60, 60, 60),
    RGBColor(213, 94, 0),
    RGBColor(86, 180, 233),
    RGBColor(204, 121, 167),
];
const DASHES: [Option<(u32, u32)>; 4] = [None, Some((14, 6)), Some((3, 5)), Some((22, 6))];
const MARKERS: [Marker; 4] = [Marker::Circle, Marker::Triangle, Marker::Square, Marker::Cross];

/// The style of the `index`-th policy; cycles never repeat all three of colour, dash and marker together
/// within the first dozen policies.
pub fn series_style(index: usize) -> SeriesStyle {
    SeriesStyle {
        color: PALETTE[index % PALETTE.len()],
        dash: DASHES[index % DASHES.len()],
        marker: MARKERS[index % MARKERS.len()],
    }
}

/// The stroke width of policy lines.
pub const LINE_WIDTH: u32 = 2;

/// Draws `kind` markers of `size` pixels at `points` (data coordinates) on a chart.
pub fn draw_markers<DB: DrawingBackend, CT: CoordTranslate<From = (f64, f64)>>(
    chart: &mut ChartContext<'_, DB, CT>,
    kind: Marker,
    color: RGBColor,
    size: i32,
    points: impl IntoIterator<Item = (f64, f64)>,
) -> DrawResult<DB> {
    let points = points.into_iter();
    match kind {
        Marker::Circle => chart.draw_series(points.map(|p| Circle::new(p, size, color.filled())))?,
        Marker::Triangle => chart.draw_series(points.map(|p| TriangleMarker::new(p, size + 1, color.filled())))?,
        Marker::Square => chart.draw_series(
            points.map(|p| EmptyElement::at(p) + Rectangle::new([(-size, -size), (size, size)], color.stroke_width(2))),
        )?,
        Marker::Cross => chart.draw_series(points.map(|p| Cross::new(p, size, color.stroke_width(2))))?,
    };
    Ok(())
}

/// Draws a short sample of a policy's line with its marker at pixel `(x, y)` of `area`, for legends.
fn draw_line_sample<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    style: SeriesStyle,
    (x, y): (i32, i32),
) -> DrawResult<DB> {
    let stroke = style.color.stroke_width(LINE_WIDTH);
    let line = vec![(x - 4, y), (x + 30, y)];
    match style.dash {
        None => area.draw(&PathElement::new(line, stroke))?,
        Some((dash, gap)) => area.draw(&DashedPathElement::new(line, dash, gap, stroke))?,
    }
    let (c, size, color) = ((x + 13, y), 4, style.color);
    match style.marker {
        Marker::Circle => area.draw(&Circle::new(c, size, color.filled())),
        Marker::Triangle => area.draw(&TriangleMarker::new(c, size + 1, color.filled())),
        Marker::Square => {
            area.draw(&Rectangle::new([(c.0 - size, c.1 - size), (c.0 + size, c.1 + size)], color.stroke_width(2)))
        }
        Marker::Cross => area.draw(&Cross::new(c, size, color.stroke_width(2))),
    }
}

/// Draws a policy's line through `points`, broken where a value is missing, with markers every
/// `marker_every` points if given (offset by policy so markers of overlapping lines do not hide each other).
pub fn draw_policy_line<DB: DrawingBackend, CT: CoordTranslate<From = (f64, f64)>>(
    chart: &mut ChartContext<'_, DB, CT>,
    index: usize,
    points: &[Option<(f64, f64)>],
    marker_every: Option<usize>,
) -> DrawResult<DB> {
    let style = series_style(index);
    let stroke = style.color.stroke_width(LINE_WIDTH);
    let segments: Vec<Vec<(f64, f64)>> = points
        .split(Option::is_none)
        .filter(|s| !s.is_empty())
        .map(|s| s.iter().flatten().copied().collect())
        .collect();
    for segment in segments {
        match style.dash {
            None => chart.draw_series(std::iter::once(PathElement::new(segment, stroke)))?,
            Some((dash, gap)) => {
                chart.draw_series(std::iter::once(DashedPathElement::new(segment, dash, gap, stroke)))?
            }
        };
    }
    let Some(every) = marker_every.map(|m| m.max(1)) else {
        return Ok(());
    };
    let offset = (index * every / 4) % every;
    let marked = points.iter().enumerate().filter(|(i, _)| i % every == offset).filter_map(|(_, p)| *p);
    draw_markers(chart, style.marker, style.color, 4, marked)
}

/// What a legend row shows beside its label.
#[derive(Debug, Clone, Copy)]
pub enum Swatch {
    /// A policy's line with its marker.
    Line(SeriesStyle),
    /// A filled box, for bars.
    Bar(RGBColor),
    /// A reference line (colour, dash and gap).
    Rule(RGBColor, u32, u32),
    /// No swatch: a smaller line of text under the row before, such as a policy's percentiles.
    Note,
}

/// Width of the legend column when a chart does not size it from its entries ([`legend_column`]).
pub const LEGEND_WIDTH: u32 = 210;

/// The narrowest and widest legend column: wider entries wrap onto more lines instead of being cut.
const LEGEND_MIN: u32 = 150;
const LEGEND_MAX: u32 = 340;

/// Where label text starts after a swatch, and where a note starts, in pixels from the column's left edge.
const SWATCH_TEXT_X: i32 = 54;
const NOTE_X: i32 = 16;

/// Font sizes of labels and notes, and the vertical step between rows, at full size.
const LABEL_FONT: f64 = 16.0;
const NOTE_FONT: f64 = 13.0;
const ROW_STEP: f64 = 28.0;
const NOTE_STEP: f64 = 18.0;

/// Splits off the legend column on the right of `area` at the default width; returns (plot area, legend area).
pub fn with_legend_column<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
) -> (DrawingArea<DB, Shift>, DrawingArea<DB, Shift>) {
    let width = area.dim_in_pixel().0;
    area.split_horizontally(width.saturating_sub(LEGEND_WIDTH))
}

/// Splits off a legend column wide enough for the longest of `rows` (measured in the chart font), between
/// [`LEGEND_MIN`] and [`LEGEND_MAX`] pixels; returns (plot area, legend area).
pub fn legend_column<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    rows: &[(String, Swatch)],
) -> (DrawingArea<DB, Shift>, DrawingArea<DB, Shift>) {
    let width = area.dim_in_pixel().0;
    area.split_horizontally(width.saturating_sub(legend_width(rows)))
}

/// The legend column width that shows every row of `rows` on one line, within [`LEGEND_MIN`]..[`LEGEND_MAX`].
pub fn legend_width(rows: &[(String, Swatch)]) -> u32 {
    let widest = rows
        .iter()
        .map(|(label, swatch)| {
            let (x, size) =
                if matches!(swatch, Swatch::Note) { (NOTE_X, NOTE_FONT) } else { (SWATCH_TEXT_X, LABEL_FONT) };
            x as u32 + text_width(label, size) + 12
        })
        .max()
        .unwrap_or(0);
    widest.clamp(LEGEND_MIN, LEGEND_MAX)
}

/// The width of `text` in pixels in the chart font at `size`; an estimate if the font cannot measure it.
pub fn text_width(text: &str, size: f64) -> u32 {
    (FONT, size)
        .into_font()
        .box_size(text)
        .map(|(w, _)| w)
        .unwrap_or_else(|_| (text.chars().count() as f64 * size * 0.62).ceil() as u32)
}

/// `text` broken at spaces into lines no wider than `width` pixels at `size` (a word wider than that is broken
/// between characters), so a legend never cuts a label.
pub fn wrap(text: &str, size: f64, width: u32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
        if text_width(&candidate, size) <= width {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        for c in word.chars() {
            line.push(c);
            if text_width(&line, size) > width && line.chars().count() > 1 {
                let last = line.pop().unwrap_or(c);
                lines.push(std::mem::replace(&mut line, last.to_string()));
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// A legend laid out in a column: each row's wrapped lines and vertical position, and the sizes used.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendLayout {
    /// Per row: (y of its first line, its lines).
    pub rows: Vec<(i32, Vec<String>)>,
    /// Label font size in pixels.
    pub label_font: f64,
    /// Note font size in pixels.
    pub note_font: f64,
    /// The y just below the last line.
    pub bottom: i32,
}

/// Lays `rows` out in a column `width` x `height` pixels from `top`: labels wrap to the width, and when the rows
/// do not fit the height, fonts and steps shrink together until they do (down to a floor), never dropping text.
pub fn legend_layout(rows: &[(String, Swatch)], top: i32, width: u32, height: u32) -> LegendLayout {
    let mut scale = 1.0;
    loop {
        let (label_font, note_font) = (LABEL_FONT * scale, NOTE_FONT * scale);
        let mut y = top;
        let mut placed = Vec::with_capacity(rows.len());
        for (i, (label, swatch)) in rows.iter().enumerate() {
            let note = matches!(swatch, Swatch::Note);
            let (x, size, step) = if note {
                (NOTE_X, note_font, NOTE_STEP * scale)
            } else {
                (SWATCH_TEXT_X, label_font, ROW_STEP * scale)
            };
            if i > 0 {
                y += step.round() as i32;
            }
            let lines = wrap(label, size, width.saturating_sub(x as u32 + 4).max(20));
            placed.push((y, lines.clone()));
            y += ((lines.len() - 1) as f64 * (size + 3.0)).round() as i32;
        }
        let bottom = y + (LABEL_FONT * scale) as i32;
        if bottom <= height as i32 || scale <= 0.55 {
            return LegendLayout { rows: placed, label_font, note_font, bottom };
        }
        scale -= 0.05;
    }
}

/// Draws a legend as a column of rows (swatch, label) starting at `top` pixels. A separate column keeps the
/// legend from hiding data, whatever the data does; labels wrap rather than being cut (see [`legend_layout`]).
pub fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    top: i32,
    rows: &[(String, Swatch)],
) -> DrawResult<DB> {
    let left_centre = plotters::style::text_anchor::Pos::new(
        plotters::style::text_anchor::HPos::Left,
        plotters::style::text_anchor::VPos::Center,
    );
    let (width, height) = area.dim_in_pixel();
    let layout = legend_layout(rows, top, width, height);
    let text = TextStyle::from((FONT, layout.label_font).into_font()).pos(left_centre);
    let note = TextStyle::from((FONT, layout.note_font).into_font()).color(&RGBColor(80, 80, 80)).pos(left_centre);
    for ((_, swatch), &(y, ref lines)) in rows.iter().zip(&layout.rows) {
        let (style, x, size) = match *swatch {
            Swatch::Note => (&note, NOTE_X, layout.note_font),
            _ => (&text, SWATCH_TEXT_X, layout.label_font),
        };
        match *swatch {
            Swatch::Line(s) => draw_line_sample(area, s, (16, y))?,
            Swatch::Bar(color) => {
                area.draw(&Rectangle::new([(14, y - 8), (44, y + 8)], color.filled()))?;
                area.draw(&Rectangle::new([(14, y - 8), (44, y + 8)], BLACK.stroke_width(1)))?;
            }
            Swatch::Rule(color, dash, gap) => {
                area.draw(&DashedPathElement::new(vec![(12, y), (46, y)], dash, gap, color.stroke_width(2)))?
            }
            Swatch::Note => {}
        }
        for (k, line) in lines.iter().enumerate() {
            area.draw_text(line, style, (x, y + (k as f64 * (size + 3.0)).round() as i32))?;
        }
    }
    Ok(())
}

/// Writes `message` in the middle of an empty plot, so a chart without data says so instead of looking broken.
pub fn draw_no_data<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, message: &str) -> DrawResult<DB> {
    let (w, h) = area.dim_in_pixel();
    let style = TextStyle::from((FONT, 18).into_font()).color(&RGBColor(90, 90, 90)).pos(
        plotters::style::text_anchor::Pos::new(
            plotters::style::text_anchor::HPos::Center,
            plotters::style::text_anchor::VPos::Center,
        ),
    );
    area.draw_text(message, &style, (w as i32 / 2, h as i32 / 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows() -> Vec<(String, Swatch)> {
        vec![
            ("persistent-with-a-long-name".to_string(), Swatch::Line(series_style(0))),
            ("p50 96 s  p90 24 min  p95 3.8 h".to_string(), Swatch::Note),
            ("live".to_string(), Swatch::Bar(BLACK)),
        ]
    }

    #[test]
    fn legend_keeps_every_character() {
        super::super::register_fonts().unwrap();
        let rows = rows();
        let width = legend_width(&rows);
        assert!(width > LEGEND_WIDTH, "the long name widens the column: {width}");
        for narrow in [width, 120] {
            let layout = legend_layout(&rows, 40, narrow, 700);
            for ((label, _), (_, lines)) in rows.iter().zip(&layout.rows) {
                assert_eq!(lines.join(" ").replace(' ', ""), label.replace(' ', ""), "text lost at {narrow} px");
                for line in lines {
                    assert!(text_width(line, layout.label_font) <= narrow, "{line:?} wider than {narrow}");
                }
            }
        }
        assert_eq!(legend_layout(&rows, 40, width, 700).rows.iter().map(|r| r.1.len()).sum::<usize>(), 3);
        // Too many rows for the height: everything shrinks to fit instead of running off the bottom.
        let many: Vec<_> = (0..30).map(|i| (format!("policy {i}"), Swatch::Line(series_style(i)))).collect();
        let layout = legend_layout(&many, 60, 220, 640);
        assert_eq!(layout.rows.len(), 30);
        assert!(layout.bottom <= 640, "{}", layout.bottom);
    }
}
