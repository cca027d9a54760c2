//! `report.html`: one self-contained page comparing the policies, readable offline and safe to mail around.
//!
//! Styles are inline, the charts are inline SVG, and nothing refers to the network (no scripts, fonts or
//! images to fetch). All text from the scenario and the tables is HTML-escaped.

use std::fmt::Write;

use super::plots::Chart;
use super::{Cell, RunOutputs, Table, csv, format, html_parts, verdict, verdict_parts};

/// Columns of the headline table: (summary column, heading, how to show it).
const HEADLINE: [(&str, &str, Shown); 18] = [
    ("customers", "Customers", Shown::Count),
    ("customers_lost", "Lost customers", Shown::Count),
    ("lost_share", "Share lost", Shown::Percent),
    ("conversations", "Conversations", Shown::Count),
    ("refused", "Refused", Shown::Count),
    ("service_level", "Service level", Shown::Percent),
    ("service_level_open_hours", "Service level, opening hours", Shown::Percent),
    ("abandon_rate", "Abandon rate", Shown::Percent),
    ("response_p50_s", "Response p50", Shown::Seconds),
    ("response_p90_s", "Response p90", Shown::Seconds),
    ("response_p95_s", "Response p95", Shown::Seconds),
    ("first_response_p90_s", "First response p90", Shown::Seconds),
    ("agent_hours_online", "Agent-hours online", Shown::Count),
    ("occupancy", "Occupancy", Shown::Percent),
    ("capacity_utilisation", "Capacity utilisation", Shown::Percent),
    ("reclaimed_capacity_share", "Reclaimed share", Shown::Percent),
    ("reclaimed_agent_equivalents", "Reclaimed agent equivalents", Shown::Agents),
    ("same_agent_share", "Same agent", Shown::Percent),
];

#[derive(Debug, Clone, Copy)]
pub(super) enum Shown {
    /// Whole numbers with thousands separators (a count over the window); the interval to one decimal below 10.
    Count,
    /// Agent equivalents, to the decimals a planner can act on.
    Agents,
    Percent,
    Seconds,
}

const STYLE: &str = "\
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;color:#1d1d1f;\
max-width:1240px;margin:0 auto;padding:24px 20px 60px;line-height:1.45}\
h1{font-size:1.8em;margin:0 0 .3em}h2{font-size:1.3em;margin:1.8em 0 .6em;border-bottom:1px solid #ddd;\
padding-bottom:.2em}\
.scenario{color:#444;margin:0 0 1em;padding-left:1.2em}\
.verdict{background:#f3f7fb;border-left:4px solid #0072b2;padding:10px 16px;margin:0}\
.verdict p{margin:.4em 0}\
table{border-collapse:collapse;font-size:.92em;margin:.4em 0}\
th,td{border:1px solid #d0d0d0;padding:4px 8px;text-align:right;white-space:nowrap}\
th{background:#f2f2f2}td:first-child,th:first-child,td.name,th.name{text-align:left}\
.ci{color:#666;font-size:.9em}.col{color:#888;font-size:.8em;font-family:monospace}\
.scroll{overflow-x:auto}table.parts{font-size:.86em}table.parts th{white-space:normal}\
figure{margin:1.2em 0 2em}figure svg{display:block;width:100%;height:auto;border:1px solid #e4e4e4}\
figcaption{color:#555;font-size:.92em;margin-top:.3em}\
.notes li{margin:.2em 0}details{margin-top:1em}summary{cursor:pointer;color:#0072b2}";

/// The whole page. `svgs` are the charts' SVG documents in the order they are shown.
pub fn page(outputs: &RunOutputs, svgs: &[(Chart, String)]) -> String {
    let mut html = String::with_capacity(svgs.iter().map(|(_, s)| s.len()).sum::<usize>() + 16_384);
    let title = escape(&outputs.scenario_name);
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>chatcap: {title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{title}</h1>\n"
    );
    if !outputs.scenario_lines.is_empty() {
        html.push_str("<ul class=\"scenario\">\n");
        for line in &outputs.scenario_lines {
            let _ = writeln!(html, "<li>{}</li>", escape(line));
        }
        html.push_str("</ul>\n");
    }

    html.push_str("<h2>Verdict</h2>\n<div class=\"verdict\">\n");
    let threshold = Some(outputs.service_level_s);
    let parts =
        verdict_parts::worst_parts(&outputs.summary, outputs.workstreams.as_ref(), outputs.queues.as_ref(), threshold);
    for sentence in verdict::verdict_at(&outputs.summary, threshold).into_iter().chain(parts) {
        let _ = writeln!(html, "<p>{}</p>", escape(&sentence));
    }
    html.push_str(
        "</div>\n<p class=\"ci\">Counts are per measured window, means over replications; every figure is \
         summary.csv's.</p>\n",
    );

    html.push_str("<h2>Headline metrics</h2>\n");
    html.push_str(&headline_table(&outputs.summary));
    let _ = writeln!(
        html,
        "<p class=\"ci\">Means over replications; &plusmn; is the half-width of the 95% interval (Student t), \
         absent with one replication. Service level threshold: {}.</p>",
        escape(&format::secs(outputs.service_level_s))
    );

    html.push_str(&html_parts::sections(outputs));

    html.push_str("<h2>Charts</h2>\n");
    for (chart, svg) in svgs {
        let _ = writeln!(
            html,
            "<figure id=\"{}\">\n{}\n<figcaption>{} (plots/{}.svg, plots/{}.png)</figcaption>\n</figure>",
            chart.file_stem(),
            inline_svg(svg, chart.title()),
            escape(chart.title()),
            chart.file_stem(),
            chart.file_stem()
        );
    }

    if !outputs.notes.is_empty() {
        html.push_str("<h2>Notes</h2>\n<ul class=\"notes\">\n");
        for note in &outputs.notes {
            let _ = writeln!(html, "<li>{}</li>", escape(note));
        }
        html.push_str("</ul>\n");
    }

    html.push_str("<details>\n<summary>Every column of summary.csv</summary>\n");
    html.push_str(&full_table(&outputs.summary));
    html.push_str("</details>\n</body>\n</html>\n");
    html
}

/// Headline metrics, one row per metric and one column per policy (policies are few, metrics many, so the
/// table fits the page), with "± ci95" where the summary has an interval.
fn headline_table(summary: &Table) -> String {
    let mut html = String::from("<div class=\"scroll\"><table>\n<tr><th>Metric</th>");
    for r in 0..summary.rows.len() {
        let _ = write!(html, "<th>{}</th>", escape(summary.text(r, "policy").unwrap_or("?")));
    }
    html.push_str("</tr>\n");
    for (column, heading, how) in HEADLINE.iter().filter(|(c, _, _)| summary.column(c).is_some()) {
        let _ = write!(html, "<tr><td>{} <span class=\"col\">{}</span></td>", escape(heading), escape(column));
        for r in 0..summary.rows.len() {
            html.push_str(&cell(summary, r, column, *how));
        }
        html.push_str("</tr>\n");
    }
    html.push_str("</table></div>\n");
    html
}

/// One figure as a table cell, with "± ci95" where the table has an interval.
pub(super) fn cell(table: &Table, r: usize, column: &str, how: Shown) -> String {
    let value = table.num(r, column).filter(|v| v.is_finite());
    let ci = table.num(r, &format!("{column}_ci95")).filter(|v| v.is_finite());
    let (text, ci_text) = match (how, value) {
        (_, None) => (String::new(), None),
        (Shown::Percent, Some(v)) => (format::percent(v), ci.map(|c| format!("{:.1} pts", c * 100.0))),
        (Shown::Seconds, Some(v)) => (format::secs(v), ci.map(|c| format!("{:.*} s", format::secs_decimals(c), c))),
        (Shown::Count, Some(v)) => {
            (verdict::count(v), ci.map(|c| if c < 10.0 { format!("{c:.1}") } else { verdict::count(c) }))
        }
        (Shown::Agents, Some(v)) => {
            (format::agents(v), ci.map(|c| format!("{:.*}", format::agents_decimals(c).max(1), c)))
        }
    };
    let mut html = format!("<td>{}", escape(&text));
    if let Some(c) = ci_text {
        let _ = write!(html, " <span class=\"ci\">&plusmn; {}</span>", escape(&c));
    }
    html.push_str("</td>");
    html
}

/// The summary exactly as in summary.csv, for readers who want every column.
fn full_table(summary: &Table) -> String {
    let mut html = String::from("<div class=\"scroll\"><table>\n<tr>");
    for column in &summary.columns {
        let _ = write!(html, "<th>{}</th>", escape(column));
    }
    html.push_str("</tr>\n");
    for row in &summary.rows {
        html.push_str("<tr>");
        for cell in row {
            let text = match cell {
                Cell::Text(s) => s.clone(),
                Cell::Num(v) => csv::format_number(*v),
                Cell::Empty => String::new(),
            };
            let _ = write!(html, "<td>{}</td>", escape(&text));
        }
        html.push_str("</tr>\n");
    }
    html.push_str("</table></div>\n");
    html
}

/// An SVG document ready to sit inside HTML: the XML namespace declaration is implied by HTML (and would be
/// the page's only URL), and an accessible name is added.
fn inline_svg(svg: &str, title: &str) -> String {
    let body = svg.trim().replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1);
    body.replacen("<svg ", &format!("<svg role=\"img\" aria-label=\"{}\" ", escape(title)), 1)
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(escape("<a href='x'>&\"</a>"), "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;");
    }

    #[test]
    fn inline_svg_has_no_namespace_url() {
        let svg = "<svg width=\"1\" height=\"1\" viewBox=\"0 0 1 1\" xmlns=\"http://www.w3.org/2000/svg\">\n</svg>\n";
        let inlined = inline_svg(svg, "A <title>");
        assert!(!inlined.contains("http"));
        assert!(inlined.starts_with("<svg role=\"img\" aria-label=\"A &lt;title&gt;\" width=\"1\""));
    }

    #[test]
    fn page_escapes_scenario_text() {
        let outputs = RunOutputs {
            scenario_name: "a<b".into(),
            scenario_lines: vec!["x & y".into()],
            notes: vec!["<script>".into()],
            ..RunOutputs::default()
        };
        let html = page(&outputs, &[]);
        assert!(html.contains("<h1>a&lt;b</h1>"));
        assert!(html.contains("<li>x &amp; y</li>"));
        assert!(html.contains("<li>&lt;script&gt;</li>"));
        assert!(!html.contains("<script"));
    }

    #[test]
    fn headline_counts_are_whole_and_grouped() {
        let summary = csv::from_csv(
            "policy,customers,customers_ci95,reclaimed_agent_equivalents,reclaimed_agent_equivalents_ci95\n\
             live,9181.5,94.556,4.845,0.013\n",
        )
        .expect("a valid table");
        let html = headline_table(&summary);
        assert!(html.contains("<td>9,182 <span class=\"ci\">&plusmn; 95</span></td>"), "{html}");
        assert!(html.contains("<td>4.8 <span class=\"ci\">&plusmn; 0.01</span></td>"), "{html}");
    }
}
