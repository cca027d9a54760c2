//! The plain-language verdict: what each policy wins and loses against a baseline, with every number computed
//! from the summary table.
//!
//! The baseline is the first policy whose `mode` column says `live` (the status quo planners compare against),
//! or the first row when there is no such column. Differences smaller than the 95% intervals of both policies
//! combined are flagged, so a planner does not read noise as a trade-off.

use super::{Table, format};

/// How a metric is shown and which direction is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A share 0..1, shown as a percentage; differences in points.
    Share,
    /// Seconds.
    Seconds,
    /// Agent equivalents.
    Agents,
}

/// A summary metric the verdict weighs.
#[derive(Debug, Clone, Copy)]
pub struct Metric {
    /// The summary column.
    pub column: &'static str,
    /// Words for it in a sentence.
    pub label: &'static str,
    /// How it is shown.
    pub kind: Kind,
    /// Whether a larger value is better for the planner.
    pub higher_is_better: bool,
}

/// The capacity a policy wins back: the headline of every comparison.
pub const CAPACITY: Metric = Metric {
    column: "reclaimed_agent_equivalents",
    label: "agent-equivalents of capacity",
    kind: Kind::Agents,
    higher_is_better: true,
};

/// What that capacity may cost, in the order the verdict lists them.
pub const TRADE_OFFS: [Metric; 4] = [
    Metric { column: "response_p90_s", label: "p90 response", kind: Kind::Seconds, higher_is_better: false },
    Metric {
        column: "first_response_p90_s",
        label: "p90 first response",
        kind: Kind::Seconds,
        higher_is_better: false,
    },
    Metric { column: "service_level", label: "service level", kind: Kind::Share, higher_is_better: true },
    Metric { column: "abandon_rate", label: "abandonment", kind: Kind::Share, higher_is_better: false },
];

/// How busy agents are, reported beside the trade-off.
pub const LOAD: [Metric; 2] = [
    Metric { column: "capacity_utilisation", label: "capacity utilisation", kind: Kind::Share, higher_is_better: true },
    Metric { column: "occupancy", label: "occupancy", kind: Kind::Share, higher_is_better: true },
];

/// One metric of one policy against the baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct Delta {
    /// The summary column.
    pub column: &'static str,
    /// The policy's value.
    pub value: f64,
    /// The baseline's value.
    pub baseline: f64,
    /// `value - baseline`.
    pub diff: f64,
    /// Whether the difference exceeds the combined 95% half-widths; `None` without intervals.
    pub clear: Option<bool>,
}

/// The baseline row: the first with `mode` = `live`, otherwise the first row.
pub fn baseline_row(summary: &Table) -> Option<usize> {
    if summary.rows.is_empty() {
        return None;
    }
    let live =
        (0..summary.rows.len()).find(|&r| summary.text(r, "mode").is_some_and(|m| m.eq_ignore_ascii_case("live")));
    Some(live.unwrap_or(0))
}

/// `metric` of row `row` against row `base`; `None` if either value is missing.
pub fn delta(summary: &Table, metric: Metric, row: usize, base: usize) -> Option<Delta> {
    let value = summary.num(row, metric.column).filter(|v| v.is_finite())?;
    let baseline = summary.num(base, metric.column).filter(|v| v.is_finite())?;
    let ci = |r: usize| summary.num(r, &format!("{}_ci95", metric.column)).filter(|c| c.is_finite());
    let diff = value - baseline;
    let clear = match (ci(row), ci(base)) {
        (Some(a), Some(b)) => Some(diff.abs() > a.hypot(b)),
        _ => None,
    };
    Some(Delta { column: metric.column, value, baseline, diff, clear })
}

/// The verdict: one or two sentences per policy compared with the baseline, or a description of the only
/// policy. Every number is the summary's, rounded for reading.
pub fn verdict(summary: &Table) -> Vec<String> {
    let Some(base) = baseline_row(summary) else {
        return vec!["The summary has no policy, so there is nothing to judge.".to_string()];
    };
    let name = |r: usize| summary.text(r, "policy").map_or_else(|| format!("policy {}", r + 1), str::to_string);
    if summary.rows.len() == 1 {
        return vec![single(summary, base, &name(base))];
    }
    let mut sentences = Vec::new();
    for row in (0..summary.rows.len()).filter(|&r| r != base) {
        sentences.push(trade_off(summary, row, base, &name(row), &name(base)));
        if let Some(load) = load(summary, row, base, &name(row)) {
            sentences.push(load);
        }
    }
    sentences
}

/// "persistent frees 4.2 agent-equivalents of capacity compared with live (4.2 against 0.0), at a cost of ...".
fn trade_off(summary: &Table, row: usize, base: usize, policy: &str, baseline: &str) -> String {
    let mut sentence = match delta(summary, CAPACITY, row, base) {
        Some(d) => {
            let decimals = format::agents_decimals(d.value.abs().max(d.baseline.abs()));
            let both = format!("({:.*} against {:.*}{})", decimals, d.value, decimals, d.baseline, noise(&d));
            let shown = |v: f64| format::agents(v);
            if d.value == 0.0 && d.baseline == 0.0 {
                format!("{policy} reclaims no capacity, like {baseline}")
            } else if rounds_to_zero(d.diff, format::agents_decimals(d.diff)) {
                format!("{policy} frees about the same capacity as {baseline} {both}")
            } else if d.diff > 0.0 {
                format!("{policy} frees {} {} compared with {baseline} {both}", shown(d.diff), CAPACITY.label)
            } else {
                format!("{policy} frees {} fewer {} than {baseline} {both}", shown(-d.diff), CAPACITY.label)
            }
        }
        None => format!("{policy} compared with {baseline}"),
    };
    let (mut costs, mut gains, mut compared) = (Vec::new(), Vec::new(), 0);
    for metric in TRADE_OFFS {
        let Some(d) = delta(summary, metric, row, base) else { continue };
        compared += 1;
        let (text, zero) = clause(metric, &d);
        if zero {
            continue;
        }
        if (d.diff > 0.0) == metric.higher_is_better { gains.push(text) } else { costs.push(text) }
    }
    if !costs.is_empty() {
        sentence.push_str(", at a cost of ");
        sentence.push_str(&join(&costs));
    } else if compared > 0 {
        sentence.push_str(", with no cost in response times, service level or abandonment");
    }
    if !gains.is_empty() {
        sentence.push_str("; in its favour: ");
        sentence.push_str(&join(&gains));
    }
    sentence.push('.');
    sentence
}

/// "For persistent: capacity utilisation 62.0% against 88.0% (-26.0 points) and occupancy ...": how busy
/// agents are.
fn load(summary: &Table, row: usize, base: usize, policy: &str) -> Option<String> {
    let parts: Vec<String> =
        LOAD.iter().filter_map(|&m| delta(summary, m, row, base).map(|d| clause_with_values(m, &d))).collect();
    (!parts.is_empty()).then(|| format!("For {policy}: {}.", join(&parts)))
}

/// "+35 s p90 response (95 s against 60 s)" and whether it rounds to no difference.
fn clause(metric: Metric, d: &Delta) -> (String, bool) {
    let (diff, value, baseline, zero) = match metric.kind {
        Kind::Seconds => (
            format::secs_diff(d.diff),
            format::secs_plain(d.value),
            format::secs_plain(d.baseline),
            rounds_to_zero(d.diff, format::secs_decimals(d.diff)),
        ),
        Kind::Share => (
            format!("{} of", format::points(d.diff)),
            format::percent(d.value),
            format::percent(d.baseline),
            rounds_to_zero(d.diff * 100.0, 1),
        ),
        Kind::Agents => (
            format::signed(d.diff, format::agents_decimals(d.diff)),
            format::agents(d.value),
            format::agents(d.baseline),
            rounds_to_zero(d.diff, format::agents_decimals(d.diff)),
        ),
    };
    (format!("{diff} {} ({value} against {baseline}{})", metric.label, noise(d)), zero)
}

/// "capacity utilisation 62.0% against 88.0% (-26.0 points)".
fn clause_with_values(metric: Metric, d: &Delta) -> String {
    format!(
        "{} {} against {} ({}{})",
        metric.label,
        format::percent(d.value),
        format::percent(d.baseline),
        format::points(d.diff),
        noise(d)
    )
}

/// The only policy, described on its own.
fn single(summary: &Table, row: usize, policy: &str) -> String {
    let mut parts = Vec::new();
    for metric in [TRADE_OFFS[2], TRADE_OFFS[0], TRADE_OFFS[3], LOAD[0], LOAD[1], CAPACITY] {
        let Some(v) = summary.num(row, metric.column).filter(|v| v.is_finite()) else { continue };
        parts.push(match metric.kind {
            Kind::Share => format!("{} {}", metric.label, format::percent(v)),
            Kind::Seconds => format!("{} {}", metric.label, format::secs(v)),
            Kind::Agents => format!("{} {}", format::agents(v), metric.label),
        });
    }
    let mut text = format!("Only one policy was simulated ({policy}), so there is no trade-off to weigh");
    if !parts.is_empty() {
        text.push_str(": ");
        text.push_str(&join(&parts));
    }
    text.push('.');
    text
}

/// " (within the 95% intervals)" when the difference may be noise.
fn noise(d: &Delta) -> &'static str {
    if d.clear == Some(false) { "; within the 95% intervals" } else { "" }
}

fn rounds_to_zero(v: f64, decimals: usize) -> bool {
    (v.abs() * 10f64.powi(decimals as i32)).round() == 0.0
}

/// "a", "a and b", "a, b and c".
fn join(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Cell;

    fn summary(rows: &[(&str, &str, f64, f64, f64, f64)]) -> Table {
        let columns =
            ["policy", "mode", "reclaimed_agent_equivalents", "response_p90_s", "service_level", "service_level_ci95"];
        Table {
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows: rows
                .iter()
                .map(|&(p, m, rae, p90, sl, ci)| {
                    vec![
                        Cell::Text(p.into()),
                        Cell::Text(m.into()),
                        Cell::Num(rae),
                        Cell::Num(p90),
                        Cell::Num(sl),
                        Cell::Num(ci),
                    ]
                })
                .collect(),
        }
    }

    #[test]
    fn persistent_against_live() {
        let t = summary(&[
            ("persistent", "persistent", 4.234, 95.0, 0.81, 0.005),
            ("live", "live", 0.0, 60.0, 0.841, 0.005),
        ]);
        assert_eq!(baseline_row(&t), Some(1));
        let v = verdict(&t);
        assert_eq!(
            v,
            vec![
                "persistent frees 4.2 agent-equivalents of capacity compared with live (4.2 against 0.0), at a cost \
                 of +35 s p90 response (95 s against 60 s) and -3.1 points of service level (81.0% against 84.1%)."
            ]
        );
    }

    #[test]
    fn noise_and_gains_are_named() {
        let t = summary(&[("a", "live", 0.0, 60.0, 0.80, 0.05), ("b", "live", 0.0, 50.0, 0.82, 0.05)]);
        let v = verdict(&t);
        assert_eq!(v.len(), 1);
        assert!(v[0].starts_with("b reclaims no capacity, like a, with no cost"), "{}", v[0]);
        assert!(
            v[0].contains(
                "with no cost in response times, service level or abandonment; in its favour: -10 s p90 response"
            ),
            "{}",
            v[0]
        );
        assert!(v[0].contains("+2.0 points of service level (82.0% against 80.0%; within the 95% intervals)"));
    }

    #[test]
    fn one_policy_or_none() {
        let t = summary(&[("live", "live", 0.0, 60.0, 0.841, 0.0)]);
        let v = verdict(&t);
        assert_eq!(v.len(), 1);
        assert!(v[0].starts_with("Only one policy was simulated (live)"));
        assert!(v[0].contains("service level 84.1%") && v[0].contains("p90 response 60 s"));
        assert_eq!(verdict(&Table::default()).len(), 1);
    }
}
