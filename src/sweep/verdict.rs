//! The sweep's verdict: where in the grid service level is best, what that point costs in lost customers and
//! occupancy, and, for each varied key, how much moving along it alone changes those figures.
//!
//! Every number is a `sweep.csv` row's, read by column name with [`Figures`] (the run verdict's reader), so the
//! same rules hold: service level in opening hours when the column exists, otherwise overall; losses as the share
//! of customers lost when `lost_share` exists, otherwise as the share of conversations refused or abandoned.
//!
//! "Along a key" holds every other varied key at the best point's value and keeps the best point's policy, so
//! each sentence isolates one key's effect. A change within the 95% intervals of both ends is said to be one.

use crate::report::verdict::{Figures, Value, capitalise, hours, join};
use crate::report::{Cell, Table, format};

/// The text of a key column's cell, as in `sweep.csv`.
fn text(table: &Table, row: usize, column: usize) -> String {
    match table.rows.get(row).and_then(|r| r.get(column)) {
        Some(Cell::Text(s)) => s.clone(),
        Some(Cell::Num(v)) => crate::report::csv::format_number(*v),
        _ => String::new(),
    }
}

/// A row of the sweep: its key values (in `keys` order), policy and figures.
struct Point {
    keys: Vec<String>,
    figures: Figures,
    service: Value,
}

/// The verdict on a sweep table whose first `keys.len()` columns are the varied keys; `threshold_s` is the
/// service level threshold, named when given.
pub fn sweep_verdict(table: &Table, keys: &[String], threshold_s: Option<f64>) -> Vec<String> {
    let open = table.column("service_level_open_hours").is_some();
    let points: Vec<Point> = (0..table.rows.len())
        .filter_map(|r| {
            let figures = Figures::read(table, r);
            let service = if open { figures.service_level_open } else { figures.service_level }?;
            Some(Point { keys: (0..keys.len()).map(|k| text(table, r, k)).collect(), figures, service })
        })
        .collect();
    let Some(best) = points.iter().enumerate().fold(None, |best: Option<usize>, (i, p)| match best {
        Some(b) if points[b].service.mean >= p.service.mean => Some(b),
        _ => Some(i),
    }) else {
        return vec!["The sweep has no service level to compare.".to_string()];
    };
    let b = &points[best];
    let within = match threshold_s.filter(|t| *t > 0.0) {
        Some(t) => format!("within {}", format::short_secs(t)),
        None => "within the service level threshold".to_string(),
    };
    let hours_text = if open { " in opening hours" } else { "" };
    // A key along which the best policy's service level does not move (a persistent setting, for live) is no
    // part of the answer: name it "any", rather than the grid's first value.
    let indifferent: Vec<bool> = (0..keys.len())
        .map(|k| {
            let along: Vec<&Point> = points
                .iter()
                .filter(|p| {
                    p.figures.policy == b.figures.policy
                        && p.keys.iter().enumerate().all(|(j, v)| j == k || *v == b.keys[j])
                })
                .collect();
            along.len() > 1
                && along.iter().all(|p| format::percent(p.service.mean) == format::percent(b.service.mean))
                && along.iter().all(|p| costs(&p.figures) == costs(&b.figures))
        })
        .collect();
    let at = |p: &Point| {
        let pairs: Vec<String> = keys
            .iter()
            .zip(&p.keys)
            .zip(&indifferent)
            .map(|((k, v), any)| if *any { format!("any {k}") } else { format!("{k} = {v}") })
            .collect();
        pairs.join(", ")
    };
    let mut sentences = vec![format!(
        "Best service level in the grid: {} at {}, picking up {} of {} {within}{hours_text}{}.",
        b.figures.policy,
        at(b),
        format::percent(b.service.mean),
        if b.figures.refused.is_some_and(|r| r >= 0.5) { "the conversations it accepts" } else { "conversations" },
        costs(&b.figures).map(|c| format!(", {c}")).unwrap_or_default()
    )];
    let others: Vec<String> = points
        .iter()
        .filter(|p| p.keys == b.keys && p.figures.policy != b.figures.policy)
        .map(|p| {
            let mut s = format!("{} reaches {}", p.figures.policy, format::percent(p.service.mean));
            if let Some(c) = costs(&p.figures) {
                s.push_str(&format!(", {c}"));
            }
            s
        })
        .collect();
    if !others.is_empty() {
        sentences.push(format!("At the same point {}.", join(&others)));
    }
    // Each key alone: the other keys held at the best point's values, the best point's policy first.
    let mut policies: Vec<&str> = vec![b.figures.policy.as_str()];
    for p in &points {
        if !policies.contains(&p.figures.policy.as_str()) {
            policies.push(p.figures.policy.as_str());
        }
    }
    for (k, key) in keys.iter().enumerate() {
        for policy in &policies {
            let slice: Vec<&Point> = points
                .iter()
                .filter(|p| {
                    p.figures.policy == *policy && p.keys.iter().enumerate().all(|(j, v)| j == k || *v == b.keys[j])
                })
                .collect();
            if slice.len() < 2 {
                continue;
            }
            let top = slice.iter().fold(slice[0], |t, p| if p.service.mean > t.service.mean { p } else { t });
            // The other end: the lowest service level along the key; among equals, the value farthest from the best.
            let at_best = slice.iter().position(|p| p.keys == top.keys).unwrap_or(0);
            let worst = slice
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != at_best)
                .min_by(|(i, p), (j, q)| {
                    p.service.mean.total_cmp(&q.service.mean).then(j.abs_diff(at_best).cmp(&i.abs_diff(at_best)))
                })
                .map_or(slice[0], |(_, p)| *p);
            let held: Vec<String> = keys
                .iter()
                .zip(&top.keys)
                .enumerate()
                .filter(|(j, _)| *j != k)
                .map(|(_, (key, v))| format!("{key} = {v}"))
                .collect();
            let context = if held.is_empty() {
                top.figures.policy.clone()
            } else {
                format!("{}, {}", top.figures.policy, held.join(", "))
            };
            let noise = match (top.service.ci, worst.service.ci) {
                (Some(a), Some(w)) => (top.service.mean - worst.service.mean).abs() <= a.hypot(w),
                _ => false,
            };
            let flat = format::percent(top.service.mean) == format::percent(worst.service.mean);
            // Costs read from the worst end to the best; along a flat key, in grid order.
            let worst_first = !flat || slice.iter().position(|p| p.keys == worst.keys).unwrap_or(0) < at_best;
            let (from, to) = if worst_first { (worst, top) } else { (top, worst) };
            let mut sentence = if flat {
                format!(
                    "Along {key} ({context}) service level is the same at {} and {} ({})",
                    from.keys[k],
                    to.keys[k],
                    format::percent(top.service.mean)
                )
            } else if noise {
                format!(
                    "Along {key} ({context}) service level hardly moves: {} at {} and {} at {}, within the 95% intervals",
                    format::percent(worst.service.mean),
                    worst.keys[k],
                    format::percent(top.service.mean),
                    top.keys[k]
                )
            } else {
                format!(
                    "Along {key} ({context}) service level is best at {} ({}) and worst at {} ({})",
                    top.keys[k],
                    format::percent(top.service.mean),
                    worst.keys[k],
                    format::percent(worst.service.mean)
                )
            };
            let changes = changes(&from.figures, &to.figures);
            if flat && changes.iter().all(|(_, changed)| !changed) {
                sentences.push(capitalise(&format!(
                    "Changing {key} makes no difference to {} ({} service level at {} and {}).",
                    top.figures.policy,
                    format::percent(top.service.mean),
                    from.keys[k],
                    to.keys[k]
                )));
                continue;
            }
            if !changes.is_empty() {
                let listed: Vec<String> = changes.into_iter().map(|(text, _)| text).collect();
                sentence.push_str(&format!("; from {} to {}, {}", from.keys[k], to.keys[k], join(&listed)));
            }
            sentence.push('.');
            sentences.push(capitalise(&sentence));
        }
    }
    sentences
}

/// "losing 2.1% of its customers at 62.0% occupancy and 412 agent-hours online".
fn costs(f: &Figures) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(loss) = f.loss {
        let whom = if loss.of_customers { "customers" } else { "conversations (refused or abandoned)" };
        if loss.share.mean < 0.0005 {
            parts.push(format!("losing no {}", if loss.of_customers { "customers" } else { "conversations" }));
        } else {
            parts.push(format!("losing {} of its {whom}", format::percent(loss.share.mean)));
        }
    }
    let mut at = Vec::new();
    if let Some(o) = f.occupancy {
        at.push(format!("{} occupancy", format::percent(o.mean)));
    }
    if let Some(h) = f.agent_hours {
        at.push(format!("{} agent-hours online", hours(h.mean)));
    }
    if !at.is_empty() {
        parts.push(format!("at {}", join(&at)));
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// "customers lost go from 9.8% to 2.1%", "occupancy stays at 80.0%", "agent-hours online from 300 to 412".
/// Each with whether it changed (as shown).
fn changes(from: &Figures, to: &Figures) -> Vec<(String, bool)> {
    let change = |what: &str, stays: &str, a: String, b: String| {
        if a == b { (format!("{what} {stays} at {a}"), false) } else { (format!("{what} from {a} to {b}"), true) }
    };
    let mut parts = Vec::new();
    if let (Some(a), Some(b)) = (from.loss, to.loss) {
        let whom = if a.of_customers { "customers lost" } else { "conversations lost" };
        parts.push(change(whom, "stay", format::percent(a.share.mean), format::percent(b.share.mean)));
    }
    if let (Some(a), Some(b)) = (from.occupancy, to.occupancy) {
        parts.push(change("occupancy", "stays", format::percent(a.mean), format::percent(b.mean)));
    }
    if let (Some(a), Some(b)) = (from.agent_hours, to.agent_hours) {
        parts.push(change("agent-hours online", "stay", hours(a.mean), hours(b.mean)));
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sweep over agents.count (20, 30) and park_after_idle (10m, 1h) with a live and a persistent policy.
    /// Persistent at 30 agents and 10m is best; live refuses customers at closed hours.
    fn table(with_customers: bool) -> Table {
        let mut columns: Vec<String> = ["agents.count", "policy.persistent.park_after_idle", "policy"]
            .iter()
            .chain(&["conversations", "refused", "abandoned", "service_level", "service_level_ci95", "occupancy"])
            .map(|c| c.to_string())
            .collect();
        if with_customers {
            columns.extend(
                ["service_level_open_hours", "service_level_open_hours_ci95", "lost_share", "agent_hours_online"]
                    .map(String::from),
            );
        }
        let mut rows = Vec::new();
        for agents in [20.0, 30.0] {
            for (park, boost) in [("10m", 0.05), ("1h", 0.0)] {
                for policy in ["live", "persistent"] {
                    let live = policy == "live";
                    let sl: f64 =
                        if live { 0.5 + agents / 100.0 } else { 0.4 + agents / 100.0 + boost * agents / 10.0 };
                    let refused = if live { 1_000.0 } else { 0.0 };
                    let mut row = vec![
                        Cell::Num(agents),
                        Cell::Text(park.into()),
                        Cell::Text(policy.into()),
                        Cell::Num(10_000.0),
                        Cell::Num(refused),
                        Cell::Num(200.0),
                        Cell::Num(sl - 0.03),
                        Cell::Num(0.01),
                        Cell::Num(16.0 / agents),
                    ];
                    if with_customers {
                        row.extend([sl, 0.01, if live { 0.09 } else { 0.015 }, agents * 7.0 * 12.0].map(Cell::Num));
                    }
                    rows.push(row);
                }
            }
        }
        Table { columns, rows }
    }

    fn keys() -> Vec<String> {
        vec!["agents.count".to_string(), "policy.persistent.park_after_idle".to_string()]
    }

    #[test]
    fn names_the_best_point_and_what_each_key_costs() {
        let v = sweep_verdict(&table(true), &keys(), Some(60.0));
        assert_eq!(
            v,
            vec![
                "Best service level in the grid: persistent at agents.count = 30, policy.persistent.park_after_idle = \
                 10m, picking up 85.0% of conversations within 60 s in opening hours, losing 1.5% of its customers \
                 at 53.3% occupancy and 2,520 agent-hours online.",
                "At the same point live reaches 80.0%, losing 9.0% of its customers at 53.3% occupancy and 2,520 \
                 agent-hours online.",
                "Along agents.count (persistent, policy.persistent.park_after_idle = 10m) service level is best at 30 \
                 (85.0%) and worst at 20 (70.0%); from 20 to 30, customers lost stay at 1.5%, occupancy from 80.0% \
                 to 53.3% and agent-hours online from 1,680 to 2,520.",
                "Along agents.count (live, policy.persistent.park_after_idle = 10m) service level is best at 30 \
                 (80.0%) and worst at 20 (70.0%); from 20 to 30, customers lost stay at 9.0%, occupancy from 80.0% \
                 to 53.3% and agent-hours online from 1,680 to 2,520.",
                "Along policy.persistent.park_after_idle (persistent, agents.count = 30) service level is best at 10m \
                 (85.0%) and worst at 1h (70.0%); from 1h to 10m, customers lost stay at 1.5%, occupancy stays at \
                 53.3% and agent-hours online stay at 2,520.",
                "Changing policy.persistent.park_after_idle makes no difference to live (80.0% service level at 10m and \
                 1h).",
            ]
        );
    }

    #[test]
    fn without_customer_columns_losses_are_refusals_and_abandonment() {
        let v = sweep_verdict(&table(false), &keys(), None);
        assert!(
            v[0].starts_with(
                "Best service level in the grid: persistent at agents.count = 30, policy.persistent.park_after_idle \
                 = 10m, picking up 82.0% of conversations within the service level threshold, losing 2.0% of its conversations \
                 (refused or abandoned) at 53.3% occupancy."
            ),
            "{}",
            v[0]
        );
        // Live refuses 1,000 of 10,000 and 200 abandon: 12% lost, named beside its service level.
        assert!(v[1].contains("live reaches 77.0%, losing 12.0% of its conversations"), "{}", v[1]);
        assert!(!v.iter().any(|s| s.contains("agent-hours")), "{v:?}");
    }

    #[test]
    fn a_change_inside_the_intervals_is_called_so() {
        let mut t = table(true);
        let ci = t.column("service_level_open_hours_ci95").unwrap();
        for row in &mut t.rows {
            row[ci] = Cell::Num(0.2);
        }
        let v = sweep_verdict(&t, &keys(), Some(60.0));
        assert!(v[2].starts_with("Along agents.count (persistent, policy.persistent.park_after_idle = 10m) service level hardly moves: 70.0% at 20 and 85.0% at 30, within the 95% intervals"), "{}", v[2]);
        assert_eq!(sweep_verdict(&Table::default(), &keys(), None).len(), 1);
        // Flat service level: the sentence says so and still gives the cost between the ends of the key.
        let mut flat = table(true);
        let sl = flat.column("service_level_open_hours").unwrap();
        for row in &mut flat.rows {
            row[sl] = Cell::Num(1.0);
        }
        let v = sweep_verdict(&flat, &keys(), Some(60.0));
        assert!(
            v[0].starts_with(
                "Best service level in the grid: live at agents.count = 20, any policy.persistent.park_after_idle, \
                 picking up 100.0% of the conversations it accepts within 60 s"
            ),
            "{}",
            v[0]
        );
        assert_eq!(
            v[2],
            "Along agents.count (live, policy.persistent.park_after_idle = 10m) service level is the same at 20 and \
             30 (100.0%); from 20 to 30, customers lost stay at 9.0%, occupancy from 80.0% to 53.3% and agent-hours \
             online from 1,680 to 2,520."
        );
    }
}
