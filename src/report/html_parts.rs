//! `report.html`'s "By workstream" and "By queue" sections: `workstreams.csv` and `queues.csv` as tables, one row
//! per policy and part, shown only for a routing set-up.

use std::fmt::Write;

use super::html::{Shown, cell, escape};
use super::{RunOutputs, Table};

/// A part's columns: (column, heading, how to show it).
const COLUMNS: [(&str, &str, Shown); 9] = [
    ("conversations", "Conversations", Shown::Count),
    ("service_level", "Service level", Shown::Percent),
    ("abandon_rate", "Abandon rate", Shown::Percent),
    ("queue_wait_mean_s", "Mean queue wait", Shown::Seconds),
    ("overflowed", "Overflowed", Shown::Count),
    ("transferred_in", "Transfers in", Shown::Count),
    ("transferred_out", "Transfers out", Shown::Count),
    ("offers", "Offers", Shown::Count),
    ("declines", "Declines", Shown::Count),
];

/// The two sections, or nothing without a set-up.
pub fn sections(outputs: &RunOutputs) -> String {
    let mut html = String::new();
    for (table, kind, title, file) in [
        (&outputs.workstreams, "workstream", "By workstream", "workstreams.csv"),
        (&outputs.queues, "queue", "By queue", "queues.csv"),
    ] {
        let Some(table) = table.as_ref().filter(|t| !t.rows.is_empty()) else { continue };
        let _ = writeln!(html, "<h2>{title}</h2>");
        html.push_str(&part_table(table, kind));
        let _ = writeln!(html, "<p class=\"ci\">{}</p>", note(kind, file));
    }
    html
}

fn note(kind: &str, file: &str) -> String {
    let counted = match kind {
        "queue" => {
            "A queue counts every conversation routed to it, those it overflowed at once and those transferred in \
             included; its waits are waits in that queue. "
        }
        _ => {
            "A workstream counts the conversations its customers opened, wherever they were routed; its transfers \
             in and out both count its conversations moved from one queue to another. "
        }
    };
    format!(
        "{counted}Routing counts are means per replication; &plusmn; is the 95% half-width. Every figure is \
         {file}'s."
    )
}

/// One row per policy and part, a column per figure the table has.
fn part_table(table: &Table, kind: &str) -> String {
    let shown: Vec<&(&str, &str, Shown)> = COLUMNS.iter().filter(|(c, _, _)| table.column(c).is_some()).collect();
    let mut html = String::from("<div class=\"scroll\"><table class=\"parts\">\n<tr><th>Policy</th>");
    let _ = write!(html, "<th class=\"name\">{}</th>", if kind == "queue" { "Queue" } else { "Workstream" });
    for (column, heading, _) in &shown {
        let _ = write!(html, "<th>{}<br><span class=\"col\">{}</span></th>", escape(heading), escape(column));
    }
    html.push_str("</tr>\n");
    for r in 0..table.rows.len() {
        let _ = write!(
            html,
            "<tr><td>{}</td><td class=\"name\">{}</td>",
            escape(table.text(r, "policy").unwrap_or("?")),
            escape(table.text(r, kind).unwrap_or("?"))
        );
        for (column, _, how) in &shown {
            html.push_str(&cell(table, r, column, *how));
        }
        html.push_str("</tr>\n");
    }
    html.push_str("</table></div>\n");
    html
}
