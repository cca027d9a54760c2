//! The summary as a plain-text table for the terminal, and for a routing set-up each policy's workstreams and
//! queues with the one that does worst.

use crate::report::Table;
use crate::report::verdict_parts::worst_parts;

/// Headline metrics shown on the terminal: (column, heading, how to show it).
const SHOWN: [(&str, &str, Show); 17] = [
    ("customers", "customers", Show::Count),
    ("customers_lost", "lost customers", Show::Count),
    ("lost_share", "  share lost", Show::Percent),
    ("conversations", "conversations", Show::Count),
    ("refused", "refused", Show::Count),
    ("abandon_rate", "abandon rate", Show::Percent),
    ("service_level", "service level", Show::Percent),
    ("service_level_open_hours", "  in open hours", Show::Percent),
    ("queue_wait_mean_s", "queue wait", Show::Seconds),
    ("first_response_p90_s", "1st resp p90", Show::Seconds),
    ("response_p90_s", "resp p90", Show::Seconds),
    ("agent_hours_online", "agent-hours", Show::Count),
    ("occupancy", "occupancy", Show::Percent),
    ("capacity_utilisation", "cap. used", Show::Percent),
    ("reclaimed_capacity_share", "reclaimed", Show::Percent),
    ("reclaimed_agent_equivalents", "reclaimed agents", Show::Plain),
    ("recontacts", "recontacts", Show::Count),
];

/// A workstream's or queue's figures on the terminal: (column, heading, how to show it).
const PART_SHOWN: [(&str, &str, Show); 9] = [
    ("conversations", "conversations", Show::Count),
    ("service_level", "service level", Show::Percent),
    ("abandon_rate", "abandon rate", Show::Percent),
    ("queue_wait_mean_s", "queue wait", Show::Seconds),
    ("overflowed", "overflowed", Show::Count),
    ("transferred_in", "transfers in", Show::Count),
    ("transferred_out", "transfers out", Show::Count),
    ("offers", "offers", Show::Count),
    ("declines", "declines", Show::Count),
];

#[derive(Clone, Copy)]
enum Show {
    Count,
    Percent,
    Seconds,
    Plain,
}

fn show(value: Option<f64>, half: Option<f64>, how: Show) -> String {
    let Some(v) = value else { return "-".into() };
    let (main, unit, scale) = match how {
        Show::Count => (format!("{v:.0}"), "", 1.0),
        Show::Percent => (format!("{:.1}%", v * 100.0), "", 100.0),
        Show::Seconds => {
            // A long wait in seconds is unreadable: minutes from 10 minutes, hours from 2 hours.
            let (unit, scale) = match v {
                v if v >= 7_200.0 => ("h", 1.0 / 3_600.0),
                v if v >= 600.0 => ("min", 1.0 / 60.0),
                _ => ("s", 1.0),
            };
            let main = if unit == "s" { format!("{v:.0}s") } else { format!("{:.1}{unit}", v * scale) };
            (main, unit, scale)
        }
        Show::Plain => (format!("{v:.2}"), "", 1.0),
    };
    match (half, how) {
        (Some(h), Show::Plain) => format!("{main} ±{h:.2}"),
        (Some(h), Show::Count) => format!("{main} ±{h:.0}"),
        (Some(h), _) => format!("{main} ±{:.1}{unit}", h * scale),
        (None, _) => main,
    }
}

/// One line per headline metric, one column per policy, with ± 95% half-widths where there are several runs.
pub fn summary_text(summary: &Table) -> String {
    let policies: Vec<String> =
        (0..summary.rows.len()).map(|r| summary.text(r, "policy").unwrap_or("?").to_string()).collect();
    let mut lines: Vec<Vec<String>> =
        vec![std::iter::once("metric".to_string()).chain(policies.iter().cloned()).collect()];
    for (column, heading, how) in SHOWN {
        let mut line = vec![heading.to_string()];
        for r in 0..summary.rows.len() {
            line.push(show(summary.num(r, column), summary.num(r, &format!("{column}_ci95")), how));
        }
        lines.push(line);
    }
    align(&lines)
}

/// For a routing set-up, one table per policy with a line per workstream and per queue, then for each policy
/// the part that does worst; empty without a set-up.
pub fn parts_text(summary: &Table, workstreams: Option<&Table>, queues: Option<&Table>, threshold_s: f64) -> String {
    if workstreams.is_none() && queues.is_none() {
        return String::new();
    }
    let mut text = String::new();
    for r in 0..summary.rows.len() {
        let Some(policy) = summary.text(r, "policy") else { continue };
        let mut lines: Vec<Vec<String>> = vec![
            std::iter::once(format!("{policy}:")).chain(PART_SHOWN.iter().map(|(_, h, _)| h.to_string())).collect(),
        ];
        for (kind, table) in [("workstream", workstreams), ("queue", queues)] {
            let Some(table) = table else { continue };
            for i in (0..table.rows.len()).filter(|&i| table.text(i, "policy") == Some(policy)) {
                let mut line = vec![format!("  {kind} {}", table.text(i, kind).unwrap_or("?"))];
                for (column, _, how) in PART_SHOWN {
                    line.push(show(table.num(i, column), table.num(i, &format!("{column}_ci95")), how));
                }
                lines.push(line);
            }
        }
        if lines.len() > 1 {
            text.push('\n');
            text.push_str(&align(&lines));
        }
    }
    let moved =
        workstreams.is_some_and(|t| (0..t.rows.len()).any(|i| t.num(i, "transferred_out").unwrap_or(0.0) > 0.0));
    if moved {
        text.push_str(
            "\nA workstream's transfers in and out both count its conversations moved from one queue to another; a \
             queue's say which way they went.\n",
        );
    }
    let worst = worst_parts(summary, workstreams, queues, Some(threshold_s));
    if !worst.is_empty() {
        text.push('\n');
        text.push_str(&worst.join("\n"));
        text.push('\n');
    }
    text
}

/// Lines of cells as columns: the first left-aligned, the others right-aligned, two spaces apart.
fn align(lines: &[Vec<String>]) -> String {
    let widths: Vec<usize> =
        (0..lines[0].len()).map(|c| lines.iter().map(|l| l[c].chars().count()).max().unwrap_or(0)).collect();
    let mut text = String::new();
    for line in lines {
        for (c, cell) in line.iter().enumerate() {
            if c == 0 {
                text.push_str(&format!("{cell:<w$}", w = widths[0]));
            } else {
                text.push_str(&format!("  {cell:>w$}", w = widths[c]));
            }
        }
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Cell;

    #[test]
    fn shows_each_policy_as_a_column_with_intervals() {
        let table = Table {
            columns: vec!["policy".into(), "service_level".into(), "service_level_ci95".into()],
            rows: vec![
                vec![Cell::Text("live".into()), Cell::Num(0.8123), Cell::Num(0.021)],
                vec![Cell::Text("persistent".into()), Cell::Num(0.5), Cell::Empty],
            ],
        };
        let text = summary_text(&table);
        assert!(text.lines().next().unwrap().contains("live") && text.contains("persistent"));
        assert!(text.contains("81.2% ±2.1"), "{text}");
        assert!(text.contains("50.0%"));
        assert!(text.contains("conversations") && text.contains('-'));
    }

    #[test]
    fn long_times_read_in_minutes_and_hours() {
        assert_eq!(show(Some(91.2), Some(0.8), Show::Seconds), "91s ±0.8s");
        assert_eq!(show(Some(2_421.0), Some(432.0), Show::Seconds), "40.4min ±7.2min");
        assert_eq!(show(Some(44_774.0), Some(276.7), Show::Seconds), "12.4h ±0.1h");
    }
}
