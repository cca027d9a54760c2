//! `chatcap erlang c|a`: validate the command-line values, compute, and print a small table for planners.

use std::fmt::Write;

use super::a::{QUEUE_STATES_LIMIT, queue_states_estimate};
use super::{ErlangA, ErlangC, MAX_AGENTS, Target, agents_needed_a, agents_needed_c, erlang_a, erlang_c};
use crate::routing::Millis;
use crate::{Error, Result};

/// Service level goal used for the "agents needed" line: 80% within the requested threshold.
const STAFFING_SHARE: f64 = 0.8;

/// The values of `chatcap erlang c|a`, as the command line gives them.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// `--rate`: contacts per hour.
    pub rate_per_hour: f64,
    /// `--aht`: average handling time.
    pub aht: Millis,
    /// `--agents`: number of agents.
    pub agents: u32,
    /// `--patience`: mean patience in queue; `Some` selects Erlang A, `None` Erlang C.
    pub patience: Option<Millis>,
    /// `--sl`: service level threshold.
    pub sl: Millis,
}

/// A computed model, either flavour.
#[derive(Debug, Clone, PartialEq)]
pub enum Model {
    /// Customers wait forever.
    C(ErlangC),
    /// Customers give up after an exponential patience.
    A(ErlangA),
}

impl Model {
    /// Arrival rate, contacts per second.
    pub fn rate_per_sec(&self) -> f64 {
        match self {
            Model::C(m) => m.rate_per_sec,
            Model::A(m) => m.rate_per_sec,
        }
    }

    /// Mean handling time, seconds.
    pub fn aht_s(&self) -> f64 {
        match self {
            Model::C(m) => m.aht_s,
            Model::A(m) => m.aht_s,
        }
    }

    /// Number of agents.
    pub fn agents(&self) -> u32 {
        match self {
            Model::C(m) => m.agents,
            Model::A(m) => m.agents,
        }
    }

    /// Share of agent time spent handling contacts.
    pub fn occupancy(&self) -> f64 {
        match self {
            Model::C(m) => m.occupancy,
            Model::A(m) => m.occupancy,
        }
    }

    /// Probability that an arriving contact has to wait.
    pub fn wait_probability(&self) -> f64 {
        match self {
            Model::C(m) => m.wait_probability,
            Model::A(m) => m.wait_probability,
        }
    }

    /// Mean wait over all offered contacts, seconds (infinite for an unstable Erlang C queue).
    pub fn mean_wait_s(&self) -> f64 {
        match self {
            Model::C(m) => m.mean_wait_s,
            Model::A(m) => m.mean_wait_s,
        }
    }

    /// Share of offered contacts assigned within `threshold_s` seconds.
    pub fn service_level(&self, threshold_s: f64) -> f64 {
        match self {
            Model::C(m) => m.service_level(threshold_s),
            Model::A(m) => m.service_level(threshold_s),
        }
    }

    /// Smallest headcount meeting `target` under the same model, or `None` beyond [`MAX_AGENTS`].
    pub fn agents_needed(&self, target: &Target) -> Option<u32> {
        match self {
            Model::C(m) => agents_needed_c(m.rate_per_sec, m.aht_s, target),
            Model::A(m) => agents_needed_a(m.rate_per_sec, m.aht_s, m.patience_s, target),
        }
    }
}

/// Validate a query, compute Erlang C (no patience) or Erlang A (with patience) and return the printed report.
pub fn run_query(q: &Query) -> Result<String> {
    if !(q.rate_per_hour.is_finite() && q.rate_per_hour > 0.0) {
        return Err(Error::Input(format!("--rate: must be a positive number per hour, got {}", q.rate_per_hour)));
    }
    if q.aht == Millis::ZERO {
        return Err(Error::Input("--aht: must be longer than 0s".into()));
    }
    if q.agents < 1 {
        return Err(Error::Input("--agents: must be at least 1".into()));
    }
    if q.agents > MAX_AGENTS {
        return Err(Error::Input(format!("--agents: must be at most {MAX_AGENTS}, got {}", q.agents)));
    }
    if q.patience == Some(Millis::ZERO) {
        return Err(Error::Input("--patience: must be longer than 0s".into()));
    }
    let rate = q.rate_per_hour / 3600.0;
    let aht = q.aht.as_secs_f64();
    if rate * aht > MAX_AGENTS as f64 {
        return Err(Error::Input(format!(
            "--rate: an offered load of {:.0} Erlangs (rate x aht) is beyond what these formulas handle ({MAX_AGENTS})",
            rate * aht
        )));
    }
    if let Some(p) = q.patience {
        let waiting = queue_states_estimate(rate, aht, q.agents, p.as_secs_f64());
        if waiting > QUEUE_STATES_LIMIT {
            return Err(Error::Input(format!(
                "--patience: with these values up to {waiting:.0} customers could be waiting at once, more than the \
                 Erlang A formula here handles ({QUEUE_STATES_LIMIT:.0}); shorten --patience or add --agents"
            )));
        }
    }
    let model = match q.patience {
        None => Model::C(erlang_c(rate, aht, q.agents)),
        Some(p) => Model::A(erlang_a(rate, aht, q.agents, p.as_secs_f64())),
    };
    Ok(describe(&model, q.sl))
}

/// A human-readable table of a model's measures, with service level at `sl` and the agents needed for 80% in `sl`.
pub fn describe(model: &Model, sl: Millis) -> String {
    let t = sl.as_secs_f64();
    let staffing = Target { service_level: Some((STAFFING_SHARE, t)), max_mean_wait_s: None };
    let (title, patience, abandon, wait_label) = match model {
        Model::C(_) => ("Erlang C (M/M/c): customers wait as long as it takes", None, None, "mean wait (ASA)"),
        Model::A(m) => (
            "Erlang A (M/M/c+M): waiting customers give up after an exponential patience",
            Some(m.patience_s),
            Some(m.abandon_probability),
            "mean wait (incl. abandoned)",
        ),
    };
    let mut rows: Vec<(String, String)> = vec![
        ("arrivals".into(), format!("{:.2} per hour", model.rate_per_sec() * 3600.0)),
        ("average handling time".into(), Millis::from_secs_f64(model.aht_s()).to_string()),
    ];
    if let Some(p) = patience {
        rows.push(("mean patience".into(), Millis::from_secs_f64(p).to_string()));
    }
    rows.push(("agents".into(), model.agents().to_string()));
    rows.push(("offered load".into(), format!("{:.3} Erlangs", model.rate_per_sec() * model.aht_s())));
    rows.push(("occupancy".into(), percent(model.occupancy())));
    rows.push(("probability of waiting".into(), percent(model.wait_probability())));
    if let Some(p) = abandon {
        rows.push(("probability of abandonment".into(), percent(p)));
    }
    let wait = model.mean_wait_s();
    let wait_text = if wait.is_finite() && wait >= 60.0 {
        format!("{wait:.2} s ({})", Millis::from_secs_f64(wait.round()))
    } else if wait.is_finite() {
        format!("{wait:.2} s")
    } else {
        "unbounded (offered load >= agents: the queue grows forever)".into()
    };
    rows.push((wait_label.into(), wait_text));
    rows.push((format!("service level within {sl}"), percent(model.service_level(t))));
    let needed_text =
        model.agents_needed(&staffing).map_or_else(|| format!("more than {MAX_AGENTS}"), |n| n.to_string());
    rows.push((format!("agents for {:.0}% within {sl}", STAFFING_SHARE * 100.0), needed_text));
    let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    let mut out = format!("{title}\n");
    for (k, v) in rows {
        let _ = writeln!(out, "  {k:<width$}  {v}");
    }
    out
}

/// A probability as a percentage with two decimals.
fn percent(p: f64) -> String {
    format!("{:.2}%", p * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(agents: u32, patience: Option<Millis>) -> Query {
        Query { rate_per_hour: 200.0, aht: Millis::from_secs(180), agents, patience, sl: Millis::from_secs(20) }
    }

    fn input_error(q: &Query) -> String {
        match run_query(q) {
            Err(Error::Input(msg)) => msg,
            other => panic!("expected an input error, got {other:?}"),
        }
    }

    #[test]
    fn erlang_c_report_shows_the_worked_example() {
        let out = run_query(&query(14, None)).unwrap();
        assert!(out.starts_with("Erlang C"), "{out}");
        for needle in ["10.000 Erlangs", "71.43%", "17.41%", "7.84 s", "service level within 20s", "88.84%"] {
            assert!(out.contains(needle), "missing {needle} in\n{out}");
        }
    }

    #[test]
    fn erlang_a_report_adds_abandonment_and_patience() {
        let out = run_query(&query(12, Some(Millis::from_mins(4)))).unwrap();
        assert!(out.starts_with("Erlang A"), "{out}");
        assert!(out.contains("probability of abandonment") && out.contains("mean patience") && out.contains("4m"));
    }

    #[test]
    fn an_overloaded_erlang_c_says_the_wait_is_unbounded() {
        assert!(run_query(&query(9, None)).unwrap().contains("unbounded"));
    }

    #[test]
    fn bad_values_name_their_flag() {
        assert_eq!(input_error(&query(0, None)), "--agents: must be at least 1");
        assert!(input_error(&Query { rate_per_hour: 0.0, ..query(5, None) }).starts_with("--rate:"));
        assert!(input_error(&Query { rate_per_hour: f64::NAN, ..query(5, None) }).starts_with("--rate:"));
        assert!(input_error(&Query { aht: Millis::ZERO, ..query(5, None) }).starts_with("--aht:"));
        assert!(input_error(&query(5, Some(Millis::ZERO))).starts_with("--patience:"));
        assert!(input_error(&query(MAX_AGENTS + 1, None)).starts_with("--agents:"));
        assert!(input_error(&Query { rate_per_hour: 1e12, ..query(5, None) }).starts_with("--rate:"));
        assert!(input_error(&query(5, Some(Millis::from_hours(24 * 365 * 10)))).starts_with("--patience:"));
    }
}
