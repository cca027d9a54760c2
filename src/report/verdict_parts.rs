//! Who pays for a routing set-up: for each policy, the workstream or queue that does worst, with its figures
//! beside the team's, so a planner comparing two set-ups sees which customers carry the difference.
//!
//! Read from `workstreams.csv` and `queues.csv` (and the team's row of `summary.csv`) by column name. The worst
//! part on service level is the one with the lowest `service_level`; on abandonment, the one with the highest
//! `abandon_rate`. Parts whose figures round to the same percentage are named together (a workstream feeding a
//! single queue has that queue's figures); no part is named when they are all level, and abandonment is named
//! only when some part lost conversations that way.

use super::verdict::{capitalise, join};
use super::{Table, format};

/// One workstream's or queue's figures under one policy.
struct Part {
    /// "workstream chat-live", "queue billing".
    name: String,
    service_level: Option<f64>,
    abandon_rate: Option<f64>,
}

/// One sentence per policy with workstreams or queues, in the summary's order; empty without a set-up.
pub fn worst_parts(
    summary: &Table,
    workstreams: Option<&Table>,
    queues: Option<&Table>,
    threshold_s: Option<f64>,
) -> Vec<String> {
    let within = match threshold_s.filter(|t| *t > 0.0) {
        Some(t) => format!("within {}", format::short_secs(t)),
        None => "within the service level threshold".to_string(),
    };
    let mut sentences = Vec::new();
    for r in 0..summary.rows.len() {
        let Some(policy) = summary.text(r, "policy") else { continue };
        let mut parts = Vec::new();
        let mut idle = Vec::new();
        for (kind, table) in [("workstream", workstreams), ("queue", queues)] {
            let Some(table) = table else { continue };
            for i in (0..table.rows.len()).filter(|&i| table.text(i, "policy") == Some(policy)) {
                // A part this policy sends nothing to (a workstream with no share) has no figures to compare.
                if table.num(i, "conversations") == Some(0.0) {
                    idle.push(format!("{kind} {}", table.text(i, kind).unwrap_or("?")));
                    continue;
                }
                parts.push(Part {
                    name: format!("{kind} {}", table.text(i, kind).unwrap_or("?")),
                    service_level: table.num(i, "service_level").filter(|v| v.is_finite()),
                    abandon_rate: table.num(i, "abandon_rate").filter(|v| v.is_finite()),
                });
            }
        }
        if parts.is_empty() && idle.is_empty() {
            continue;
        }
        let team = |column: &str| summary.num(r, column).filter(|v| v.is_finite());
        sentences.push(sentence(policy, &parts, &idle, team("service_level"), team("abandon_rate"), &within));
    }
    sentences
}

/// The parts at the extreme of a figure (lowest when `lowest`), as (names, shown value, every part is there).
fn extreme(parts: &[Part], figure: fn(&Part) -> Option<f64>, lowest: bool) -> Option<(Vec<String>, String, bool)> {
    let values: Vec<(&Part, f64)> = parts.iter().filter_map(|p| figure(p).map(|v| (p, v))).collect();
    let pick = if lowest { f64::min } else { f64::max };
    let worst = values.iter().map(|(_, v)| *v).reduce(pick)?;
    let shown = format::percent(worst);
    let names: Vec<String> =
        values.iter().filter(|(_, v)| format::percent(*v) == shown).map(|(p, _)| p.name.clone()).collect();
    let all = names.len() == values.len();
    Some((names, shown, all))
}

fn team_figure(team: Option<f64>) -> String {
    team.map(|t| format!(" (team {})", format::percent(t))).unwrap_or_default()
}

fn does(names: &[String]) -> &'static str {
    if names.len() == 1 { "does" } else { "do" }
}

fn sentence(
    policy: &str,
    parts: &[Part],
    idle: &[String],
    team_sl: Option<f64>,
    team_ab: Option<f64>,
    within: &str,
) -> String {
    let every = if idle.is_empty() { "every workstream and queue" } else { "every workstream and queue with traffic" };
    let service = extreme(parts, |p| p.service_level, true);
    // Abandonment is named only when some part lost conversations that way.
    let abandon = extreme(parts, |p| p.abandon_rate, false).filter(|(_, shown, _)| shown != &format::percent(0.0));
    let abandoned = |shown: &str| format!("{shown} of conversations abandoned{}", team_figure(team_ab));
    let text = match (service, abandon) {
        (None, None) => "no workstream or queue had conversations in the window".to_string(),
        // "None abandoned" only when none did: a rate that rounds to 0.0% is still said to be there.
        (Some((_, sl, true)), None) if parts.iter().any(|p| p.abandon_rate.is_some_and(|r| r > 0.0)) => {
            format!("{every} picks up {sl} of conversations {within}, and under 0.05% abandon in each")
        }
        (Some((_, sl, true)), None) => {
            format!("{every} picks up {sl} of conversations {within} and none has any abandoned")
        }
        (Some((_, sl, true)), Some((names, ab, _))) => format!(
            "{every} picks up {sl} of conversations {within}; {} {} worst on abandonment: {}",
            join(&names),
            does(&names),
            abandoned(&ab)
        ),
        (Some((names, sl, false)), Some((ab_names, ab, _))) if ab_names == names => format!(
            "{} {} worst: {sl} of conversations picked up {within}{} and {}",
            join(&names),
            does(&names),
            team_figure(team_sl),
            abandoned(&ab)
        ),
        (Some((names, sl, false)), abandon) => {
            let mut text = format!(
                "{} {} worst on service level: {sl} of conversations picked up {within}{}",
                join(&names),
                does(&names),
                team_figure(team_sl)
            );
            if let Some((ab_names, ab, _)) = abandon {
                text.push_str(&format!("; {} on abandonment: {}", join(&ab_names), abandoned(&ab)));
            }
            text
        }
        (None, Some((names, ab, _))) => {
            format!("{} {} worst on abandonment: {}", join(&names), does(&names), abandoned(&ab))
        }
    };
    let idle = match idle {
        [] => String::new(),
        [one] => format!("; {one} gets no conversations in this policy"),
        many => format!("; {} get no conversations in this policy", join(many)),
    };
    capitalise(&format!("In {policy}, {text}{idle}."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::csv::from_csv;

    fn summary() -> Table {
        from_csv("policy,service_level,abandon_rate\nas-is,0.98,0.01\nmore-persistent,0.789,0.013\n").unwrap()
    }

    fn workstreams() -> Table {
        from_csv(
            "policy,workstream,service_level,abandon_rate\n\
             as-is,chat-live,1,0.0\nas-is,chat-persistent,0.949,0.03\n\
             more-persistent,chat-live,1,0\nmore-persistent,chat-persistent,0.6991,0.02\n",
        )
        .unwrap()
    }

    fn queues() -> Table {
        from_csv(
            "policy,queue,service_level,abandon_rate\n\
             as-is,general,1,0.0\nas-is,billing,0.949,0.001\n\
             more-persistent,general,1,0\nmore-persistent,billing,0.6991,0.02\n",
        )
        .unwrap()
    }

    #[test]
    fn names_the_worst_part_of_each_policy_with_its_figures() {
        let v = worst_parts(&summary(), Some(&workstreams()), Some(&queues()), Some(60.0));
        assert_eq!(
            v,
            vec![
                "In as-is, workstream chat-persistent and queue billing do worst on service level: 94.9% of \
                 conversations picked up within 60 s (team 98.0%); workstream chat-persistent on abandonment: 3.0% \
                 of conversations abandoned (team 1.0%).",
                "In more-persistent, workstream chat-persistent and queue billing do worst: 69.9% of conversations \
                 picked up within 60 s (team 78.9%) and 2.0% of conversations abandoned (team 1.3%).",
            ]
        );
    }

    #[test]
    fn level_parts_are_not_singled_out_and_no_set_up_says_nothing() {
        let level = from_csv("policy,workstream,service_level,abandon_rate\nas-is,a,1,0\nas-is,b,0.99999,0\n").unwrap();
        let v = worst_parts(&summary(), Some(&level), None, None);
        assert_eq!(
            v,
            vec![
                "In as-is, every workstream and queue picks up 100.0% of conversations within the service level \
                 threshold and none has any abandoned."
            ]
        );
        assert!(worst_parts(&summary(), None, None, Some(60.0)).is_empty());
    }

    #[test]
    fn a_part_without_conversations_is_left_out_and_said_to_be_idle() {
        let idle = from_csv(
            "policy,workstream,conversations,service_level,abandon_rate\n\
             as-is,chat-live,120,0.998,0.001\nas-is,chat-persistent,0,,\n",
        )
        .unwrap();
        let queues = from_csv(
            "policy,queue,conversations,service_level,abandon_rate\nas-is,live,120,0.998,0.001\nas-is,messaging,0,,\n",
        )
        .unwrap();
        let v = worst_parts(&summary(), Some(&idle), Some(&queues), Some(60.0));
        assert_eq!(
            v,
            vec![
                "In as-is, every workstream and queue with traffic picks up 99.8% of conversations within 60 s; \
                 workstream chat-live and queue live do worst on abandonment: 0.1% of conversations abandoned \
                 (team 1.0%); workstream chat-persistent and queue messaging get no conversations in this policy."
            ]
        );
    }

    #[test]
    fn a_rate_that_rounds_to_nothing_is_not_called_none() {
        let tiny = from_csv(
            "policy,workstream,service_level,abandon_rate
as-is,a,1,0.0002
as-is,b,1,0
",
        )
        .unwrap();
        let v = worst_parts(&summary(), Some(&tiny), None, None);
        assert_eq!(
            v,
            vec![
                "In as-is, every workstream and queue picks up 100.0% of conversations within the service level \
                 threshold, and under 0.05% abandon in each."
            ]
        );
    }
}
