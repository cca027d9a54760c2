//! The charts of a run (five, six with workstreams), drawn once by code generic over the plotters backend and rendered as PNG (bitmap)
//! and SVG (text, also inlined in `report.html`).
//!
//! The drawing helpers the charts share (styles, markers, legends) are in `report/draw.rs`.

use std::path::Path;
use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::draw::{DrawResult, FONT, draw_no_data};
use super::{RunOutputs, chart_cdf, chart_headline, chart_parts, chart_week};
use crate::{Error, Result};

/// Pixel size of every chart.
pub const SIZE: (u32, u32) = (1200, 700);

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
    /// Service level of each workstream per policy, for a routing set-up only.
    WorkstreamServiceLevel,
}

impl Chart {
    /// Every chart, in the order of the report.
    pub const ALL: [Chart; 5] =
        [Chart::Headline, Chart::UtilisationWeek, Chart::ResponseCdf, Chart::ReclaimedWeek, Chart::QueueWeek];

    /// The charts of a run: [`Chart::ALL`], and the workstreams' service level for a routing set-up.
    pub fn for_run(outputs: &RunOutputs) -> Vec<Chart> {
        let mut charts = Chart::ALL.to_vec();
        if outputs.workstreams.as_ref().is_some_and(|t| !t.rows.is_empty()) {
            charts.insert(1, Chart::WorkstreamServiceLevel);
        }
        charts
    }

    /// File name without extension under `plots/`.
    pub fn file_stem(self) -> &'static str {
        match self {
            Chart::UtilisationWeek => "utilisation_week",
            Chart::ResponseCdf => "response_cdf",
            Chart::ReclaimedWeek => "reclaimed_week",
            Chart::QueueWeek => "queue_week",
            Chart::Headline => "headline",
            Chart::WorkstreamServiceLevel => "workstreams_service_level",
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
            Chart::WorkstreamServiceLevel => "Service level by workstream and policy (whiskers: 95% interval)",
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
    register_fonts()?;
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
            Chart::ResponseCdf | Chart::Headline | Chart::WorkstreamServiceLevel => Vec::new(),
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
        Chart::WorkstreamServiceLevel => match &data.outputs.workstreams {
            Some(table) => chart_parts::draw(&area, table, &data.policies),
            None => draw_no_data(&area, "No workstreams in this scenario"),
        },
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
    outputs.week.iter().flat_map(|w| w.policies()).for_each(|name| add(name));
    names
}
