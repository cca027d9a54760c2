//! The five charts of a run, drawn once by code generic over the plotters backend and rendered as PNG (bitmap)
//! and SVG (text, also inlined in `report.html`).
//!
//! Every policy keeps one style across all charts: a colour from a palette safe for colour-blind readers, plus
//! a dash pattern and a marker, so lines stay distinguishable when printed in greyscale.

use std::path::Path;
use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;

use super::{RunOutputs, chart_cdf, chart_headline, chart_week};
use crate::{Error, Result};

/// Pixel size of every chart.
pub const SIZE: (u32, u32) = (1200, 700);

/// The font family every chart asks for; [`register_fonts`] backs it with embedded DejaVu Sans.
pub(super) const FONT: &str = "sans-serif";

/// The result of a drawing step on backend `DB`.
pub(super) type DrawResult<DB> = std::result::Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// One chart of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chart {
    /// Capacity utilisation and occupancy through a typical week.
    UtilisationWeek,
    /// Distribution of agent response times (CDF, log axis) with percentiles and the service level threshold.
    ResponseCdf,
    /// Capacity reclaimed by the waiting stage and conversations waiting, through a typical week.
    ReclaimedWeek,
    /// Queue length and agents online through a typical week.
    QueueWeek,
    /// Headline metrics per policy with 95% intervals.
    Headline,
}

impl Chart {
    /// Every chart, in the order of the report.
    pub const ALL: [Chart; 5] =
        [Chart::Headline, Chart::UtilisationWeek, Chart::ResponseCdf, Chart::ReclaimedWeek, Chart::QueueWeek];

    /// File name without extension under `plots/`.
    pub fn file_stem(self) -> &'static str {
        match self {
            Chart::UtilisationWeek => "utilisation_week",
            Chart::ResponseCdf => "response_cdf",
            Chart::ReclaimedWeek => "reclaimed_week",
            Chart::QueueWeek => "queue_week",
            Chart::Headline => "headline",
        }
    }

    /// The chart's title, drawn on it and used as its caption in the report.
    pub fn title(self) -> &'static str {
        match self {
            Chart::UtilisationWeek => "Capacity utilisation and occupancy through a typical week",
            Chart::ResponseCdf => "Agent response time distribution",
            Chart::ReclaimedWeek => "Capacity reclaimed by the waiting stage through a typical week",
            Chart::QueueWeek => "Queue length and agents online through a typical week",
            Chart::Headline => "Headline metrics per policy (whiskers: 95% interval over replications)",
        }
    }
}

/// Registers the embedded DejaVu Sans as the charts' font. Bitmap text needs a font file and chatcap must not
/// depend on what fonts a machine has; called once at start-up, later calls return the first outcome.
pub fn register_fonts() -> Result<()> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        [
            (FontStyle::Normal, dejavu::sans::regular()),
            (FontStyle::Bold, dejavu::sans::bold()),
            (FontStyle::Oblique, dejavu::sans::oblique()),
            (FontStyle::Italic, dejavu::sans::oblique()),
        ]
        .into_iter()
        .all(|(style, bytes)| plotters::style::register_font(FONT, style, bytes).is_ok())
    });
    if ok { Ok(()) } else { Err(Error::Other("the embedded DejaVu Sans font could not be loaded".into())) }
}

/// The chart as an SVG document.
pub fn render_svg(chart: Chart, outputs: &RunOutputs) -> Result<String> {
    let data = ChartData::prepare(chart, outputs)?;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        draw(&root, &data).and_then(|()| root.present()).map_err(|e| drawing_error(chart, e))?;
    }
    Ok(svg)
}

/// Renders the chart as a PNG file at `path` (whose extension must be `png`).
pub fn render_png(chart: Chart, outputs: &RunOutputs, path: &Path) -> Result<()> {
    register_fonts()?;
    let data = ChartData::prepare(chart, outputs)?;
    let root = BitMapBackend::new(path, SIZE).into_drawing_area();
    draw(&root, &data).and_then(|()| root.present()).map_err(|e| drawing_error(chart, e))
}

fn drawing_error<E: std::error::Error + Send + Sync>(chart: Chart, e: DrawingAreaErrorKind<E>) -> Error {
    Error::Other(format!("drawing plots/{}: {e}", chart.file_stem()))
}

/// What a chart shows, computed from the run before any drawing (the part that can fail on bad input).
struct ChartData<'a> {
    chart: Chart,
    outputs: &'a RunOutputs,
    policies: Vec<String>,
    panels: Vec<chart_week::WeekPanel>,
}

impl<'a> ChartData<'a> {
    fn prepare(chart: Chart, outputs: &'a RunOutputs) -> Result<ChartData<'a>> {
        let policies = policy_names(outputs);
        let panels = match chart {
            Chart::UtilisationWeek => chart_week::utilisation_panels(outputs, &policies)?,
            Chart::ReclaimedWeek => chart_week::reclaimed_panels(outputs, &policies)?,
            Chart::QueueWeek => chart_week::queue_panels(outputs, &policies)?,
            Chart::ResponseCdf | Chart::Headline => Vec::new(),
        };
        Ok(ChartData { chart, outputs, policies, panels })
    }
}

fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, data: &ChartData) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let area = root.titled(data.chart.title(), (FONT, 26).into_font().style(FontStyle::Bold))?;
    let area = area.margin(0, 6, 6, 14);
    match data.chart {
        Chart::UtilisationWeek | Chart::ReclaimedWeek | Chart::QueueWeek => chart_week::draw(&area, &data.panels),
        Chart::ResponseCdf => chart_cdf::draw(&area, data.outputs, &data.policies),
        Chart::Headline => chart_headline::draw(&area, &data.outputs.summary, &data.policies),
    }
}

/// Every policy of the run, summary order first so styles follow the summary table.
pub fn policy_names(outputs: &RunOutputs) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut add = |name: &str| {
        if !names.iter().any(|n| n == name) {
            names.push(name.to_string());
        }
    };
    (0..outputs.summary.rows.len()).filter_map(|r| outputs.summary.text(r, "policy")).for_each(&mut add);
    outputs.response_cdf.iter().for_each(|(name, _)| add(name));
    (0..outputs.intervals.rows.len()).filter_map(|r| outputs.intervals.text(r, "policy")).for_each(&mut add);
    names
}

/// A marker shape drawn on a policy's line at intervals.
#[derive(Debug, Clone, Copy)]
pub(super) enum Marker {
    Circle,
    Triangle,
    Square,
    Cross,
}

/// How one policy is drawn in every chart.
#[derive(Debug, Clone, Copy)]
pub(super) struct SeriesStyle {
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
pub(super) fn series_style(index: usize) -> SeriesStyle {
    SeriesStyle {
        color: PALETTE[index % PALETTE.len()],
        dash: DASHES[index % DASHES.len()],
        marker: MARKERS[index % MARKERS.len()],
    }
}

/// The stroke width of policy lines.
pub(super) const LINE_WIDTH: u32 = 2;

/// Draws `kind` markers of `size` pixels at `points` (data coordinates) on a chart.
pub(super) fn draw_markers<DB: DrawingBackend, CT: CoordTranslate<From = (f64, f64)>>(
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
pub(super) fn draw_policy_line<DB: DrawingBackend, CT: CoordTranslate<From = (f64, f64)>>(
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
pub(super) enum Swatch {
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
pub(super) const LEGEND_WIDTH: u32 = 210;

/// Splits off the legend column on the right of `area`; returns (plot area, legend area).
pub(super) fn with_legend_column<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
) -> (DrawingArea<DB, Shift>, DrawingArea<DB, Shift>) {
    let width = area.dim_in_pixel().0;
    area.split_horizontally(width.saturating_sub(LEGEND_WIDTH))
}

/// Draws a legend as a column of rows (swatch, label) starting at `top` pixels. A separate column keeps the
/// legend from hiding data, whatever the data does.
pub(super) fn draw_legend<DB: DrawingBackend>(
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
pub(super) fn draw_no_data<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, message: &str) -> DrawResult<DB> {
    let (w, h) = area.dim_in_pixel();
    let style = TextStyle::from((FONT, 18).into_font()).color(&RGBColor(90, 90, 90)).pos(
        plotters::style::text_anchor::Pos::new(
            plotters::style::text_anchor::HPos::Center,
            plotters::style::text_anchor::VPos::Center,
        ),
    );
    area.draw_text(message, &style, (w as i32 / 2, h as i32 / 2))
}
