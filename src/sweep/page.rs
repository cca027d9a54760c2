//! The sweep's `report.html`: the grid, a verdict (`super::verdict`), one chart per headline metric, the
//! headline columns of every point and the paired differences. Self-contained like the run's report: inline styles and SVG, nothing from the network.

use std::fmt::Write;

use super::chart::CHARTED;
use super::manifest::Manifest;
use super::verdict::sweep_verdict;
use crate::report::html::escape;
use crate::report::{Cell, Table, format};

const STYLE: &str = "\
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;color:#1d1d1f;\
max-width:1240px;margin:0 auto;padding:24px 20px 60px;line-height:1.45}\
h1{font-size:1.8em;margin:0 0 .3em}h2{font-size:1.3em;margin:1.8em 0 .6em;border-bottom:1px solid #ddd;\
padding-bottom:.2em}ul{color:#444}\
table{border-collapse:collapse;font-size:.92em;margin:.4em 0}\
th,td{border:1px solid #d0d0d0;padding:4px 8px;text-align:right;white-space:nowrap}\
th{background:#f2f2f2}.ci{color:#666;font-size:.9em}.scroll{overflow-x:auto;max-height:640px}\
figure{margin:1.2em 0 2em}figure svg{display:block;width:100%;height:auto;border:1px solid #e4e4e4}\
figcaption{color:#555;font-size:.92em;margin-top:.3em}\
.verdict{background:#f3f7fb;border-left:4px solid #0072b2;padding:10px 16px;margin:0}.verdict p{margin:.4em 0}";

/// The whole page; `svgs` are (file stem, title, SVG document) of the charts in order.
pub fn page(manifest: &Manifest, sweep: &Table, paired: &Table, svgs: &[(String, String, String)]) -> String {
    let mut html = String::new();
    let title = escape(&manifest.scenario);
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>chatcap sweep: {title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <h1>Sweep: {title}</h1>\n<ul>\n"
    );
    for line in description(manifest, sweep) {
        let _ = writeln!(html, "<li>{}</li>", escape(&line));
    }
    html.push_str("</ul>\n<h2>Verdict</h2>\n<div class=\"verdict\">\n");
    for sentence in sweep_verdict(sweep, &manifest.keys, None) {
        let _ = writeln!(html, "<p>{}</p>", escape(&sentence));
    }
    html.push_str("</div>\n<h2>Charts</h2>\n");
    for (stem, chart_title, svg) in svgs {
        let body = svg.trim().replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1);
        let body = body.replacen("<svg ", &format!("<svg role=\"img\" aria-label=\"{}\" ", escape(chart_title)), 1);
        let _ = writeln!(
            html,
            "<figure id=\"{stem}\">\n{body}\n<figcaption>{} against {} (plots/{stem}.svg, plots/{stem}.png); \
             the band is the 95% interval over replications</figcaption>\n</figure>",
            escape(chart_title),
            escape(manifest.keys.first().map_or("", String::as_str)),
        );
    }
    html.push_str(
        "<h2>Every point</h2>\n<p class=\"ci\">Means over replications &plusmn; 95% half-width. All columns \
                   are in sweep.csv.</p>\n",
    );
    html.push_str(&table(sweep, &manifest.keys, &["policy"], false));
    html.push_str(
        "<h2>Paired differences</h2>\n<p class=\"ci\">Each policy minus the baseline (the first live policy) at the \
         same point, replication by replication (the same customers), &plusmn; the 95% interval of those \
         differences. An interval that excludes zero is a real difference. All columns are in paired.csv.</p>\n",
    );
    if paired.rows.is_empty() {
        html.push_str("<p>Only one policy: nothing to compare.</p>\n");
    } else {
        html.push_str(&table(paired, &manifest.keys, &["policy", "baseline"], true));
    }
    html.push_str("</body>\n</html>\n");
    html
}

/// Plain-language lines describing the sweep.
fn description(m: &Manifest, sweep: &Table) -> Vec<String> {
    let mut lines = vec![format!(
        "{} points, {} rows (one per point and policy); replications per point: {}.",
        m.points,
        sweep.rows.len(),
        (0..sweep.rows.len().min(1))
            .filter_map(|r| sweep.num(r, "replications"))
            .map(format::plain)
            .next()
            .unwrap_or_default()
    )];
    for (key, values) in m.keys.iter().zip(&m.values) {
        lines.push(format!("{key}: {}", values.join(", ")));
    }
    if !m.sets.is_empty() {
        lines.push(format!("Overrides: {}", m.sets.join(" ")));
    }
    lines.push(format!(
        "Base seed {}; each point draws its own customers from a seed derived from the base seed and the point's \
         number, and every policy at a point faces the same customers.",
        m.seed
    ));
    lines
}

/// An HTML table of the key columns, `lead` columns and the charted metrics with their intervals; `diff`
/// shows shares as signed percentage points.
fn table(t: &Table, keys: &[String], lead: &[&str], diff: bool) -> String {
    let mut html = String::from("<div class=\"scroll\"><table>\n<tr>");
    let metrics: Vec<&(&str, &str, bool)> = CHARTED.iter().filter(|(c, _, _)| t.column(c).is_some()).collect();
    for h in keys.iter().map(String::as_str).chain(lead.iter().copied()).chain(metrics.iter().map(|m| m.0)) {
        let _ = write!(html, "<th>{}</th>", escape(h));
    }
    html.push_str("</tr>\n");
    for r in 0..t.rows.len() {
        html.push_str("<tr>");
        for c in keys.iter().map(String::as_str).chain(lead.iter().copied()) {
            let text = match t.column(c).map(|i| &t.rows[r][i]) {
                Some(Cell::Text(s)) => s.clone(),
                Some(Cell::Num(v)) => crate::report::csv::format_number(*v),
                _ => String::new(),
            };
            let _ = write!(html, "<td>{}</td>", escape(&text));
        }
        for (column, _, share) in &metrics {
            let value = t.num(r, column);
            let ci = t.num(r, &format!("{column}_ci95"));
            let show = |v: f64| match (*share, diff) {
                (true, false) => format!("{:.1}%", v * 100.0),
                (true, true) => format!("{:.1} pts", v * 100.0),
                (false, _) => format!("{v:.1} s"),
            };
            let shown = match value {
                Some(v) if diff && *share => format::points(v),
                Some(v) if diff => format::secs_diff(v),
                Some(v) => show(v),
                None => String::new(),
            };
            let _ = write!(html, "<td>{}", escape(&shown));
            if let Some(c) = ci {
                let _ = write!(html, " <span class=\"ci\">&plusmn; {}</span>", escape(&show(c)));
            }
            html.push_str("</td>");
        }
        html.push_str("</tr>\n");
    }
    html.push_str("</table></div>\n");
    html
}
