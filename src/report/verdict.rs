//! The plain-language verdict: the planner's question (which policy, at what staffing, loses whom) answered in a
//! few sentences, every number read from the summary table by column name.
//!
//! It says, in order: whether the policies ran on the same agent-hours online (`agent_hours_online`; when they
//! did not, it says so, since the comparison is then not like for like); for each policy, the share of
//! conversations picked up within the service level threshold in opening hours (`service_level_open_hours`) and
//! overall (`service_level`), the p90 agent response (`response_p90_s`), and what it loses: the share of
//! customers lost (`lost_share`, `customers_lost`) with the conversations refused at arrival (`refused`) and
//! abandoned in the queue (`abandoned`); and last, which policy is ahead on each of service level, customers
//! lost and response time, a difference within both policies' 95% intervals being called level.
//!
//! Columns a summary lacks are left out of the sentences, never guessed: without `lost_share` the loss is the
//! share of conversations refused or abandoned (`(refused + abandoned) / conversations`), and without
//! `agent_hours_online` nothing is said about staffing.

use super::{Table, format};

/// The column of service level in opening hours, preferred over `service_level` when present.
const SERVICE_LEVEL_OPEN: &str = "service_level_open_hours";

/// A value with the half-width of its 95% interval, when the summary has one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Value {
    /// The mean over replications.
    pub mean: f64,
    /// The 95% half-width, if known.
    pub ci: Option<f64>,
}

/// What a policy loses, as a share and of what.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Loss {
    /// The share lost, 0..1.
    pub share: Value,
    /// Whether the share is of customers (`lost_share`) rather than of conversations (refused + abandoned).
    pub of_customers: bool,
}

/// One policy's figures, read from the summary by column name; `None` where the column is absent or empty.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    /// The `policy` column.
    pub policy: String,
    /// `service_level_open_hours`.
    pub service_level_open: Option<Value>,
    /// `service_level`.
    pub service_level: Option<Value>,
    /// `response_p90_s`.
    pub response_p90: Option<Value>,
    /// `refused`.
    pub refused: Option<f64>,
    /// `abandoned`.
    pub abandoned: Option<f64>,
    /// `customers_lost`.
    pub customers_lost: Option<f64>,
    /// `still_open`: conversations no agent had finished when the run stopped (a queue that never settles).
    pub still_open: Option<f64>,
    /// `agent_hours_online`.
    pub agent_hours: Option<Value>,
    /// `occupancy`.
    pub occupancy: Option<Value>,
    /// The loss: `lost_share`, or refused and abandoned over `conversations`.
    pub loss: Option<Loss>,
}

impl Figures {
    /// The figures of row `row`.
    pub fn read(summary: &Table, row: usize) -> Figures {
        let value = |column: &str| {
            let mean = summary.num(row, column).filter(|v| v.is_finite())?;
            let ci = summary.num(row, &format!("{column}_ci95")).filter(|c| c.is_finite());
            Some(Value { mean, ci })
        };
        let plain = |column: &str| summary.num(row, column).filter(|v| v.is_finite());
        let (refused, abandoned) = (plain("refused"), plain("abandoned"));
        let loss = match value("lost_share") {
            Some(share) => Some(Loss { share, of_customers: true }),
            None => {
                let conversations = plain("conversations").filter(|c| *c > 0.0);
                match (conversations, refused, abandoned) {
                    (Some(c), r, a) if r.is_some() || a.is_some() => Some(Loss {
                        share: Value { mean: (r.unwrap_or(0.0) + a.unwrap_or(0.0)) / c, ci: None },
                        of_customers: false,
                    }),
                    _ => None,
                }
            }
        };
        Figures {
            policy: summary.text(row, "policy").map_or_else(|| format!("policy {}", row + 1), str::to_string),
            service_level_open: value(SERVICE_LEVEL_OPEN),
            service_level: value("service_level"),
            response_p90: value("response_p90_s"),
            refused,
            abandoned,
            customers_lost: plain("customers_lost"),
            still_open: plain("still_open"),
            agent_hours: value("agent_hours_online"),
            occupancy: value("occupancy"),
            loss,
        }
    }
}

/// The verdict without knowing the service level threshold ("within the threshold").
pub fn verdict(summary: &Table) -> Vec<String> {
    verdict_at(summary, None)
}

/// The verdict: a few sentences, every number from `summary`; `threshold_s` is the service level threshold in
/// seconds, named in the sentences when given.
pub fn verdict_at(summary: &Table, threshold_s: Option<f64>) -> Vec<String> {
    let all: Vec<Figures> = (0..summary.rows.len()).map(|r| Figures::read(summary, r)).collect();
    let within = match threshold_s.filter(|t| *t > 0.0) {
        Some(t) => format!("within {}", format::short_secs(t)),
        None => "within the service level threshold".to_string(),
    };
    match all.as_slice() {
        [] => vec!["The summary has no policy, so there is nothing to judge.".to_string()],
        [one] => {
            let mut sentence =
                format!("Only one policy was simulated ({}), so there is no trade-off to weigh", one.policy);
            match describe(one, &within) {
                Some(text) => {
                    let hours = one.agent_hours.map(|h| format!("at {} agent-hours online ", hours(h.mean)));
                    sentence.push_str(&format!(": {}it {text}.", hours.unwrap_or_default()));
                }
                None => sentence.push('.'),
            }
            vec![sentence]
        }
        several => {
            let mut sentences = Vec::new();
            let (prefix, staffing) = footing(several);
            sentences.extend(staffing);
            for (i, f) in several.iter().enumerate() {
                let lead = if i == 0 { prefix.clone() } else { String::new() };
                match describe(f, &within) {
                    Some(text) => sentences.push(capitalise(&format!("{lead}{} {text}.", f.policy))),
                    None => sentences.push(capitalise(&format!("{lead}{}: no figures in the summary.", f.policy))),
                }
            }
            sentences.extend(ahead(several));
            sentences
        }
    }
}

/// The staffing footing: a prefix for the first policy's sentence when every policy had the same agent-hours
/// online, or a sentence saying they did not. Nothing when agent-hours are unknown.
fn footing(all: &[Figures]) -> (String, Option<String>) {
    let Some(hours_of) = all.iter().map(|f| f.agent_hours.map(|h| h.mean)).collect::<Option<Vec<f64>>>() else {
        return (String::new(), None);
    };
    let (lo, hi) = hours_of.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), h| (a.min(*h), b.max(*h)));
    if hours(lo) == hours(hi) {
        return (format!("At the same {} agent-hours online, ", hours(hi)), None);
    }
    if hi - lo <= 0.01 * hi {
        return (format!("At about the same agent-hours online ({} to {}), ", hours(lo), hours(hi)), None);
    }
    let listed: Vec<String> = all.iter().zip(&hours_of).map(|(f, h)| format!("{} {}", f.policy, hours(*h))).collect();
    let sentence = format!(
        "The policies did not run on the same staffing (agent-hours online: {}; the most is {:.0}% above the \
         least), so the figures below do not compare like with like.",
        join(&listed),
        100.0 * (hi - lo) / lo.max(f64::MIN_POSITIVE)
    );
    (String::new(), Some(sentence))
}

/// "picks up 81.0% of conversations within 60 s in opening hours (78.2% overall), answers 90% of messages within
/// 89 s and loses 9.8% of its customers (1,204 conversations refused at arrival, 310 abandoned)", or `None` when
/// the summary has none of these figures.
fn describe(f: &Figures, within: &str) -> Option<String> {
    let mut clauses = Vec::new();
    let accepted =
        if f.refused.is_some_and(|r| r >= 0.5) { "of the conversations it accepts" } else { "of conversations" };
    match (f.service_level_open, f.service_level) {
        (Some(open), Some(all)) => clauses.push(format!(
            "picks up {} {accepted} {within} in opening hours ({} overall)",
            format::percent(open.mean),
            format::percent(all.mean)
        )),
        (Some(open), None) => {
            clauses.push(format!("picks up {} {accepted} {within} in opening hours", format::percent(open.mean)))
        }
        (None, Some(all)) => clauses.push(format!("picks up {} {accepted} {within}", format::percent(all.mean))),
        (None, None) => {}
    }
    if let Some(p90) = f.response_p90 {
        clauses.push(format!("answers 90% of customer messages within {}", format::short_secs(p90.mean)));
    }
    if let Some(loss) = lost(f) {
        clauses.push(loss);
    }
    (!clauses.is_empty()).then(|| join(&clauses))
}

/// "loses 9.8% of its customers (1,400 customers; 1,204 conversations refused at arrival, 310 abandoned)", or
/// "loses 21.1% of its conversations (3,012 refused at arrival)" without the customer columns. Zero counts are
/// left out of the brackets.
fn lost(f: &Figures) -> Option<String> {
    let loss = f.loss?;
    let refused = f.refused.filter(|r| *r >= 0.5);
    let abandoned = f.abandoned.filter(|a| *a >= 0.5);
    let customers = f.customers_lost.filter(|c| *c >= 0.5);
    let unfinished = f.still_open.filter(|o| *o >= 0.5);
    let whom = if loss.of_customers { "customers" } else { "conversations" };
    if refused.is_none() && abandoned.is_none() && customers.is_none() && loss.share.mean < 0.0005 {
        return Some(format!("loses no {whom}"));
    }
    let mut conversations = Vec::new();
    if let Some(r) = refused {
        conversations.push(format!("{} refused at arrival", count(r)));
    }
    if let Some(a) = abandoned {
        conversations.push(format!("{} abandoned", count(a)));
    }
    if let Some(o) = unfinished
        && loss.of_customers
    {
        conversations.push(format!("{} still open when the run stopped", count(o)));
    }
    let mut detail = Vec::new();
    if loss.of_customers {
        if let Some(c) = customers {
            detail.push(format!("{} customers", count(c)));
        }
        if !conversations.is_empty() {
            detail.push(format!("conversations: {}", conversations.join(", ")));
        }
    } else if !conversations.is_empty() {
        detail.push(conversations.join(", "));
    }
    let mut text = format!("loses {} of its {whom}", format::percent(loss.share.mean));
    if !detail.is_empty() {
        text.push_str(&format!(" ({})", detail.join("; ")));
    }
    Some(text)
}

/// One axis the policies are compared on.
struct Axis {
    /// "is ahead on service level in opening hours", and the same for several policies ("are ahead ...").
    winner_phrase: (&'static str, &'static str),
    /// "service level in opening hours", for a level result.
    name: &'static str,
    /// Whether larger is better.
    higher_is_better: bool,
    /// Words before the values: "p90 " for response times.
    value_prefix: &'static str,
    /// How values are shown.
    show: fn(f64) -> String,
}

/// "live is ahead on service level in opening hours (81.0% against 64.0%) and answers faster (p90 89 s against
/// 24 min); persistent loses fewer customers (0.4% against 9.8%)." Level axes get a sentence of their own.
fn ahead(all: &[Figures]) -> Vec<String> {
    let open = all.iter().all(|f| f.service_level_open.is_some());
    let service = Axis {
        winner_phrase: if open {
            ("is ahead on service level in opening hours", "are ahead on service level in opening hours")
        } else {
            ("is ahead on service level", "are ahead on service level")
        },
        name: if open { "service level in opening hours" } else { "service level" },
        higher_is_better: true,
        value_prefix: "",
        show: format::percent,
    };
    let customers = all.iter().all(|f| f.loss.is_some_and(|l| l.of_customers));
    let lost = Axis {
        winner_phrase: if customers {
            ("loses fewer customers", "lose fewer customers")
        } else {
            ("loses fewer conversations", "lose fewer conversations")
        },
        name: if customers { "customers lost" } else { "conversations lost" },
        higher_is_better: false,
        value_prefix: "",
        show: format::percent,
    };
    let speed = Axis {
        winner_phrase: ("answers faster", "answer faster"),
        name: "p90 response",
        higher_is_better: false,
        value_prefix: "p90 ",
        show: format::short_secs,
    };
    let axes: [(Axis, Vec<Option<Value>>); 3] = [
        // Opening hours only when every policy has that figure, so no policy is judged on another measure.
        (service, all.iter().map(|f| if open { f.service_level_open } else { f.service_level }).collect()),
        (lost, all.iter().map(|f| f.loss.map(|l| l.share)).collect()),
        (speed, all.iter().map(|f| f.response_p90).collect()),
    ];
    let mut wins: Vec<(Vec<usize>, Vec<String>)> = Vec::new();
    let mut level = Vec::new();
    for (axis, values) in &axes {
        let Some(ranked) = rank(values, axis.higher_is_better) else { continue };
        let value = |i: usize| values[i].unwrap_or(Value { mean: 0.0, ci: None });
        let shown = |i: usize| (axis.show)(value(i).mean);
        // The leaders: the best and every policy level with it (the same when rounded, or within the 95%
        // intervals of both).
        let noise = |i: usize| shown(i) != shown(ranked[0]);
        let leaders: Vec<usize> = ranked
            .iter()
            .copied()
            .take_while(|&i| {
                let (a, b) = (value(ranked[0]), value(i));
                !noise(i) || matches!((a.ci, b.ci), (Some(ca), Some(cb)) if (a.mean - b.mean).abs() <= ca.hypot(cb))
            })
            .collect();
        let listed =
            |ids: &[usize]| -> Vec<String> { ids.iter().map(|&i| format!("{} {}", all[i].policy, shown(i))).collect() };
        if leaders.len() == all.len() {
            let within = if leaders.iter().any(|&i| noise(i)) { " within the 95% intervals" } else { "" };
            level.push(format!("{} is level{within} ({})", axis.name, listed(&leaders).join(", ")));
            continue;
        }
        let next = ranked[leaders.len()];
        // The runners-up showing the same figure are named together ("102 s for overflow-5m and never").
        let mut tied: Vec<usize> =
            ranked[leaders.len()..].iter().copied().filter(|&i| shown(i) == shown(next)).collect();
        tied.sort_unstable();
        let runners: Vec<String> = tied.iter().map(|&i| all[i].policy.clone()).collect();
        let for_next = if all.len() > 2 { format!(" for {}", join(&runners)) } else { String::new() };
        let phrase = match leaders.as_slice() {
            [one] => format!(
                "{} ({}{} against {}{for_next})",
                axis.winner_phrase.0,
                axis.value_prefix,
                shown(*one),
                shown(next)
            ),
            several => {
                let values = if several.iter().all(|&i| !noise(i)) {
                    format!("{}{} each", axis.value_prefix, shown(several[0]))
                } else {
                    several
                        .iter()
                        .map(|&i| format!("{}{}", axis.value_prefix, shown(i)))
                        .collect::<Vec<_>>()
                        .join(" and ")
                };
                format!("{} ({values}, against {}{for_next})", axis.winner_phrase.1, shown(next))
            }
        };
        match wins.iter_mut().find(|(w, _)| *w == leaders) {
            Some((_, phrases)) => phrases.push(phrase),
            None => wins.push((leaders, vec![phrase])),
        }
    }
    let mut sentences = Vec::new();
    if !wins.is_empty() {
        let parts: Vec<String> = wins
            .iter()
            .map(|(w, phrases)| {
                let names: Vec<String> = w.iter().map(|&i| all[i].policy.clone()).collect();
                format!("{} {}", join(&names), join(phrases))
            })
            .collect();
        sentences.push(capitalise(&format!("{}.", parts.join("; "))));
    }
    if !level.is_empty() {
        sentences.push(capitalise(&format!("{}.", join(&level))));
    }
    sentences
}

/// Row indices ordered best first, or `None` unless every policy has a value and there are two or more.
fn rank(values: &[Option<Value>], higher_is_better: bool) -> Option<Vec<usize>> {
    let means: Vec<f64> = values.iter().map(|v| v.map(|v| v.mean)).collect::<Option<_>>()?;
    if means.len() < 2 {
        return None;
    }
    let mut order: Vec<usize> = (0..means.len()).collect();
    order.sort_by(|&i, &j| {
        let cmp = means[i].total_cmp(&means[j]);
        if higher_is_better { cmp.reverse() } else { cmp }
    });
    Some(order)
}

/// A count over the window, rounded, with thousands separators: `1204.4` -> `1,204`.
pub fn count(v: f64) -> String {
    let digits = format!("{:.0}", v.abs().round());
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if v < -0.5 { format!("-{grouped}") } else { grouped }
}

/// Agent-hours: whole hours from 100 up, one decimal below.
pub fn hours(v: f64) -> String {
    if v.abs() >= 100.0 { count(v) } else { format!("{v:.1}") }
}

/// The first letter in upper case, for a sentence that starts with a policy name.
pub fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// "a", "a and b", "a, b and c".
pub fn join(parts: &[String]) -> String {
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

    /// A summary with `columns` and one row per policy (`None`: an empty cell).
    fn table(columns: &[&str], rows: &[(&str, Vec<Option<f64>>)]) -> Table {
        let mut all = vec!["policy".to_string()];
        all.extend(columns.iter().map(|c| c.to_string()));
        Table {
            columns: all,
            rows: rows
                .iter()
                .map(|(p, values)| {
                    let mut row = vec![Cell::Text(p.to_string())];
                    row.extend(values.iter().map(|v| v.map_or(Cell::Empty, Cell::Num)));
                    row
                })
                .collect(),
        }
    }

    const WITH_CUSTOMERS: [&str; 12] = [
        "conversations",
        "refused",
        "abandoned",
        "service_level",
        "service_level_ci95",
        "service_level_open_hours",
        "service_level_open_hours_ci95",
        "response_p90_s",
        "customers_lost",
        "lost_share",
        "lost_share_ci95",
        "agent_hours_online",
    ];

    /// Live refuses many customers at closed hours; persistent keeps them but picks up fewer within 60 s.
    fn live_and_persistent(live_hours: f64) -> Table {
        table(
            &WITH_CUSTOMERS,
            &[
                (
                    "live",
                    [14_306.0, 1_204.4, 310.0, 0.78, 0.01, 0.81, 0.01, 89.0, 1_400.0, 0.098, 0.004, live_hours]
                        .map(Some)
                        .to_vec(),
                ),
                (
                    "persistent",
                    [12_100.0, 0.0, 0.0, 0.60, 0.02, 0.64, 0.02, 1_414.0, 50.0, 0.004, 0.001, 412.0].map(Some).to_vec(),
                ),
            ],
        )
    }

    #[test]
    fn names_what_each_policy_loses_at_equal_agent_hours() {
        let v = verdict_at(&live_and_persistent(412.0), Some(60.0));
        assert_eq!(
            v,
            vec![
                "At the same 412 agent-hours online, live picks up 81.0% of the conversations it accepts within 60 s \
                 in opening hours (78.0% overall), answers 90% of customer messages within 89 s and loses 9.8% of \
                 its customers (1,400 customers; conversations: 1,204 refused at arrival, 310 abandoned).",
                "Persistent picks up 64.0% of conversations within 60 s in opening hours (60.0% overall), answers 90% \
                 of customer messages within 24 min and loses 0.4% of its customers (50 customers).",
                "Live is ahead on service level in opening hours (81.0% against 64.0%) and answers faster (p90 89 s \
                 against 24 min); persistent loses fewer customers (0.4% against 9.8%).",
            ]
        );
    }

    #[test]
    fn runners_up_tied_on_a_figure_are_named_together() {
        let row = |name: &'static str, p90: f64| {
            (name, [1_000.0, 0.0, 0.0, 0.9, 0.0, 0.9, 0.0, p90, 10.0, 0.01, 0.0, 400.0].map(Some).to_vec())
        };
        let three = table(&WITH_CUSTOMERS, &[row("a", 102.0), row("b", 94.0), row("c", 102.2)]);
        let v = verdict_at(&three, Some(60.0)).join(" ");
        assert!(v.contains("B answers faster (p90 94 s against 102 s for a and c)"), "{v}");
    }

    #[test]
    fn different_agent_hours_are_said_not_hidden() {
        let v = verdict_at(&live_and_persistent(380.0), Some(60.0));
        assert!(v[0].starts_with("The policies did not run on the same staffing (agent-hours online: live 380 and persistent 412; the most is 8% above the least)"), "{}", v[0]);
        assert!(v[1].starts_with("Live picks up 81.0%"), "{}", v[1]);
        let about = verdict_at(&live_and_persistent(410.0), None);
        assert!(about[0].starts_with("At about the same agent-hours online (410 to 412), live picks up 81.0% of the conversations it accepts within the service level threshold"), "{}", about[0]);
    }

    #[test]
    fn without_the_customer_columns_losses_are_conversations_refused_or_abandoned() {
        let t = table(
            &["conversations", "refused", "abandoned", "service_level", "response_p90_s"],
            &[
                ("live", vec![Some(14_306.0), Some(3_011.6), Some(0.0), Some(1.0), Some(89.0)]),
                ("persistent", vec![Some(9_160.0), Some(0.0), Some(0.0), Some(0.419), Some(1_414.0)]),
            ],
        );
        let v = verdict_at(&t, Some(60.0));
        assert_eq!(v.len(), 3, "{v:?}");
        assert_eq!(
            v[0],
            "Live picks up 100.0% of the conversations it accepts within 60 s, answers 90% of customer messages \
             within 89 s and loses 21.1% of its conversations (3,012 refused at arrival)."
        );
        assert!(v[1].ends_with("and loses no conversations."), "{}", v[1]);
        assert!(!v.iter().any(|s| s.contains("agent-hours") || s.contains("customers lost")), "{v:?}");
        assert_eq!(
            v[2],
            "Live is ahead on service level (100.0% against 41.9%) and answers faster (p90 89 s against 24 min); \
             persistent loses fewer conversations (0.0% against 21.1%)."
        );
    }

    #[test]
    fn differences_within_the_intervals_are_level() {
        let t = table(
            &["service_level", "service_level_ci95", "response_p90_s", "response_p90_s_ci95"],
            &[
                ("a", vec![Some(0.80), Some(0.03), Some(60.0), Some(1.0)]),
                ("b", vec![Some(0.82), Some(0.03), Some(50.0), Some(1.0)]),
                ("c", vec![Some(0.70), Some(0.01), Some(70.0), Some(1.0)]),
            ],
        );
        let v = verdict(&t);
        assert_eq!(
            v.last().unwrap(),
            "B and a are ahead on service level (82.0% and 80.0%, against 70.0% for c); b answers faster (p90 50 s \
             against 60 s for a)."
        );
        let mut all_level = t.clone();
        all_level.rows[2][1] = Cell::Num(0.79);
        let v = verdict(&all_level);
        assert_eq!(v[3], "B answers faster (p90 50 s against 60 s for a).");
        assert_eq!(v[4], "Service level is level within the 95% intervals (b 82.0%, a 80.0%, c 79.0%).");
    }

    #[test]
    fn one_policy_or_none() {
        let mut t = live_and_persistent(412.0);
        t.rows.truncate(1);
        let v = verdict_at(&t, Some(60.0));
        assert_eq!(v.len(), 1);
        assert!(
            v[0].starts_with(
                "Only one policy was simulated (live), so there is no trade-off to weigh: at 412 agent-hours online \
                 it picks up 81.0%"
            ),
            "{}",
            v[0]
        );
        assert!(v[0].contains("loses 9.8% of its customers"), "{}", v[0]);
        assert_eq!(verdict(&Table::default()).len(), 1);
    }

    #[test]
    fn counts_read_easily() {
        assert_eq!(count(1_204.4), "1,204");
        assert_eq!(count(999.6), "1,000");
        assert_eq!(count(12.0), "12");
        assert_eq!(count(1_234_567.0), "1,234,567");
    }

    #[test]
    fn conversations_still_open_at_the_stop_are_named_with_the_loss() {
        let mut t = live_and_persistent(412.0);
        t.columns.push("still_open".into());
        t.rows[0].push(Cell::Num(0.0));
        t.rows[1].push(Cell::Num(2_164.1));
        let v = verdict_at(&t, Some(60.0));
        assert!(
            v[1].ends_with(
                "loses 0.4% of its customers (50 customers; conversations: 2,164 still open when the run stopped)."
            ),
            "{}",
            v[1]
        );
        assert!(!v[0].contains("still open"), "{}", v[0]);
    }
}
