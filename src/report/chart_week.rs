//! Charts through a typical week (utilisation, reclaimed capacity, queue): stacked panels sharing a Monday to
//! Sunday time axis, one line per policy.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axis::{Axis, tick_number};
use super::draw::{DrawResult, FONT, Swatch, draw_legend, draw_no_data, draw_policy_line, series_style};
use super::week::WeekProfile;
use super::{RunOutputs, columns, format};
use crate::Result;

/// One panel: a quantity through the week, per policy.
pub(super) struct WeekPanel {
    /// Caption above the panel.
    pub caption: String,
    /// The y axis description, with its unit.
    pub y_desc: String,
    /// The values, already in the axis unit.
    pub profile: WeekProfile,
    /// Whether the axis is a percentage (0..100, higher only if a value exceeds 100).
    pub percent: bool,
}

const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// Capacity utilisation (capacity used over capacity online, each averaged over the week's intervals first, so
/// quiet nights weigh as little as they do in the summary) and occupancy. Intervals with under
/// [`super::week::MIN_AGENTS_PLOTTED`] agents online are left out of both, so a straggler finishing a reply after
/// closing does not show as a full team at 100%.
pub(super) fn utilisation_panels(outputs: &RunOutputs, policies: &[String]) -> Result<Vec<WeekPanel>> {
    let folds = outputs.week_folds(policies)?;
    let used = folds.profile("capacity_used_mean", true);
    let online = folds.profile("capacity_online_mean", true);
    let mut utilisation = used.clone();
    for ((_, u), (_, o)) in utilisation.series.iter_mut().zip(&online.series) {
        for (u, o) in u.iter_mut().zip(o) {
            *u = match (*u, *o) {
                (Some(u), Some(o)) if o > 0.0 => Some(100.0 * u / o),
                _ => None,
            };
        }
    }
    let occupancy = folds.profile("occupancy", true).map(|v| 100.0 * v);
    Ok(vec![
        WeekPanel {
            caption: "Capacity utilisation: capacity held by conversations / capacity signed in (gaps: under half \
                      an agent online)"
                .into(),
            y_desc: "Capacity utilisation (%)".into(),
            profile: utilisation,
            percent: true,
        },
        WeekPanel {
            caption: "Occupancy: agents' working time (replies, wrap-up) / signed-in time (gaps: under half an \
                      agent online)"
                .into(),
            y_desc: "Occupancy (%)".into(),
            profile: occupancy,
            percent: true,
        },
    ])
}

/// Capacity released by parking, in agent equivalents, and the conversations parked in the waiting stage.
pub(super) fn reclaimed_panels(outputs: &RunOutputs, policies: &[String]) -> Result<Vec<WeekPanel>> {
    let per_agent = if outputs.capacity_per_agent > 0.0 { outputs.capacity_per_agent } else { 1.0 };
    let folds = outputs.week_folds(policies)?;
    Ok(vec![
        WeekPanel {
            caption: format!(
                "Reclaimed capacity: units released by parking / {} units per agent",
                format::plain(per_agent)
            ),
            y_desc: "Reclaimed (agent equivalents)".into(),
            profile: folds.profile(columns::RECLAIMED_CAPACITY_MEAN, false).map(|v| v / per_agent),
            percent: false,
        },
        WeekPanel {
            caption: "Conversations in the waiting stage (parked, holding no capacity)".into(),
            y_desc: "Waiting (conversations)".into(),
            profile: folds.profile("waiting_mean", false),
            percent: false,
        },
    ])
}

/// Conversations queued for an agent, and agents signed in.
pub(super) fn queue_panels(outputs: &RunOutputs, policies: &[String]) -> Result<Vec<WeekPanel>> {
    let folds = outputs.week_folds(policies)?;
    Ok(vec![
        WeekPanel {
            caption: "Queue length: conversations waiting for an agent".into(),
            y_desc: "Queue (conversations)".into(),
            profile: folds.profile("queue_length_mean", false),
            percent: false,
        },
        WeekPanel {
            caption: "Agents online (signed in)".into(),
            y_desc: "Agents online".into(),
            profile: folds.profile("agents_online_mean", false),
            percent: false,
        },
    ])
}

/// Draws the panels stacked, with the legend in a column on the right.
pub(super) fn draw<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, panels: &[WeekPanel]) -> DrawResult<DB> {
    let rows: Vec<_> = panels
        .first()
        .map(|p| {
            p.profile.series.iter().enumerate().map(|(i, (name, _))| (name.clone(), Swatch::Line(series_style(i))))
        })
        .into_iter()
        .flatten()
        .collect();
    let (plots, legend) = super::draw::legend_column(area, &rows);
    draw_legend(&legend, 60, &rows)?;
    let cells = plots.split_evenly((panels.len().max(1), 1));
    for (i, (panel, cell)) in panels.iter().zip(&cells).enumerate() {
        draw_panel(cell, panel, i + 1 == panels.len())?;
    }
    Ok(())
}

fn draw_panel<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, panel: &WeekPanel, bottom: bool) -> DrawResult<DB> {
    let y_max = match (panel.percent, panel.profile.max()) {
        // Shares go to 100%, or above when same-agent returns push capacity in use past what is online.
        (true, Some(m)) if m > 100.0 => nice_ceiling(m * 1.02),
        (true, _) => 100.0,
        (false, Some(m)) if m > 0.0 => nice_ceiling(m * 1.05),
        (false, _) => 1.0,
    };
    let mut chart = ChartBuilder::on(area)
        .caption(&panel.caption, (FONT, 17))
        .margin_right(12)
        .x_label_area_size(if bottom { 52 } else { 26 })
        .y_label_area_size(78)
        .build_cartesian_2d(
            Axis::linear(0.0..168.0, (0..=7).map(|d| f64::from(d) * 24.0).collect())
                .with_light((0..28).map(|q| f64::from(q) * 6.0).collect()),
            0.0..y_max,
        )?;
    let day_label = |h: &f64| {
        let day = (*h / 24.0).round() as usize;
        if day >= 7 { "Sun 24:00".to_string() } else { format!("{} 00:00", DAYS[day]) }
    };
    let mut mesh = chart.configure_mesh();
    mesh.x_label_formatter(&day_label)
        .y_desc(panel.y_desc.as_str())
        .y_labels(6)
        .y_max_light_lines(1)
        .y_label_formatter(&tick_number)
        .label_style((FONT, 14))
        .axis_desc_style((FONT, 15))
        .light_line_style(RGBColor(235, 235, 235));
    if bottom {
        mesh.x_desc("Time of week, Monday 00:00 to Sunday 24:00 (interval midpoints)");
    }
    mesh.draw()?;
    if panel.profile.max().is_none() {
        return draw_no_data(&chart.plotting_area().strip_coord_spec(), "no data for this run");
    }
    let slot_hours = f64::from(panel.profile.slot_seconds) / 3_600.0;
    let marker_every = (6.0 / slot_hours).round().max(1.0) as usize;
    for (i, (_, values)) in panel.profile.series.iter().enumerate() {
        let points: Vec<Option<(f64, f64)>> = values
            .iter()
            .enumerate()
            .map(|(s, v)| v.map(|v| (panel.profile.slot_hours(s) + slot_hours / 2.0, v)))
            .collect();
        draw_policy_line(&mut chart, i, &points, Some(marker_every))?;
    }
    Ok(())
}

/// A round number at or above `v` (1, 2, 2.5 or 5 times a power of ten), for axis ranges.
pub(super) fn nice_ceiling(v: f64) -> f64 {
    let magnitude = 10f64.powf(v.log10().floor());
    [1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|&c| c >= v)
        .unwrap_or(10.0 * magnitude)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::report::{Cell, Table, columns::INTERVALS};

    /// One policy, one day of hourly intervals: `online[h]` agents online with occupancy `occupancy[h]`.
    fn outputs(online: &[f64], occupancy: &[f64]) -> RunOutputs {
        let rows = online
            .iter()
            .zip(occupancy)
            .enumerate()
            .map(|(h, (&agents, &occ))| {
                INTERVALS
                    .iter()
                    .map(|c| match *c {
                        "policy" => Cell::Text("persistent".into()),
                        "replication" => Cell::Num(1.0),
                        "interval_start" => Cell::Text(format!("2024-01-01 {h:02}:00:00")),
                        "agents_online_mean" => Cell::Num(agents),
                        "capacity_online_mean" => Cell::Num(agents * 3.0),
                        "capacity_used_mean" => Cell::Num(agents * 3.0 * occ),
                        "occupancy" => Cell::Num(occ),
                        _ => Cell::Num(0.0),
                    })
                    .collect()
            })
            .collect();
        let intervals = Table { columns: INTERVALS.iter().map(|c| c.to_string()).collect(), rows };
        RunOutputs { intervals, capacity_per_agent: 3.0, ..RunOutputs::default() }
    }

    #[test]
    fn a_fraction_of_an_agent_is_not_plotted_as_full_occupancy() {
        // 08:00-10:00 staffed by 12 agents at 60%; 10:00 a straggler (0.3 agents online on average) working
        // throughout; 11:00 exactly half an agent, still plotted.
        let out = outputs(&[0.0, 12.0, 12.0, 0.3, 0.5], &[0.0, 0.6, 0.6, 1.0, 1.0]);
        let panels = utilisation_panels(&out, &["persistent".to_string()]).unwrap();
        let slot = |panel: &WeekPanel, h: usize| panel.profile.series[0].1[h];
        assert_eq!(panels[0].profile.slot_seconds, 3_600);
        for panel in &panels {
            assert!((slot(panel, 1).unwrap() - 60.0).abs() < 1e-9, "{}", panel.caption);
            assert_eq!(slot(panel, 3), None, "{}: 0.3 agents online must be a gap, not 100%", panel.caption);
            assert_eq!(slot(panel, 4), Some(100.0), "{}", panel.caption);
            assert_eq!(slot(panel, 0), None, "{}", panel.caption);
            assert!(panel.caption.contains("under half an agent online"));
        }
        assert!(panels.iter().all(|p| p.profile.max() == Some(100.0)));
    }

    #[test]
    fn nice_ceilings() {
        assert_eq!(nice_ceiling(0.7), 0.8);
        assert_eq!(nice_ceiling(3.2), 4.0);
        assert_eq!(nice_ceiling(21.0), 25.0);
        assert_eq!(nice_ceiling(10.7), 15.0);
        assert_eq!(nice_ceiling(100.0), 100.0);
    }
}
