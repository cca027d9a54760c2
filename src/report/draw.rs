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

/// Width of the legend column on the right of every chart.
pub const LEGEND_WIDTH: u32 = 210;

/// Splits off the legend column on the right of `area`; returns (plot area, legend area).
pub fn with_legend_column<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
) -> (DrawingArea<DB, Shift>, DrawingArea<DB, Shift>) {
    let width = area.dim_in_pixel().0;
    area.split_horizontally(width.saturating_sub(LEGEND_WIDTH))
}

/// Draws a legend as a column of rows (swatch, label) starting at `top` pixels. A separate column keeps the
/// legend from hiding data, whatever the data does.
pub fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    top: i32,
    rows: &[(String, Swatch)],
) -> DrawResult<DB> {
    let left_centre = plotters::style::text_anchor::Pos::new(
        plotters::style::text_anchor::HPos::Left,
        plotters::style::text_anchor::VPos::Center,
    );
    let text = TextStyle::from((FONT, 16).into_font()).pos(left_centre);
    let note = TextStyle::from((FONT, 13).into_font()).color(&RGBColor(80, 80, 80)).pos(left_centre);
    let mut y = top;
    for (i, (label, swatch)) in rows.iter().enumerate() {
        if i > 0 {
            y += if matches!(swatch, Swatch::Note) { 18 } else { 28 };
        }
        match *swatch {
            Swatch::Line(style) => draw_line_sample(area, style, (16, y))?,
            Swatch::Bar(color) => {
                area.draw(&Rectangle::new([(14, y - 8), (44, y + 8)], color.filled()))?;
                area.draw(&Rectangle::new([(14, y - 8), (44, y + 8)], BLACK.stroke_width(1)))?;
            }
            Swatch::Rule(color, dash, gap) => {
                area.draw(&DashedPathElement::new(vec![(12, y), (46, y)], dash, gap, color.stroke_width(2)))?
            }
            Swatch::Note => {
                area.draw_text(&shorten(label, 30), &note, (16, y))?;
                continue;
            }
        }
        area.draw_text(&shorten(label, 20), &text, (54, y))?;
    }
    Ok(())
}

/// A label cut to `max` characters with an ellipsis, so long policy names do not run off the chart.
fn shorten(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_string()
    } else {
        let mut s: String = label.chars().take(max - 1).collect();
        s.push('…');
        s
    }
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
