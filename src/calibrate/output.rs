//! What calibration writes: `calibration.csv`, `calibrated.toml` and the verdict.

use super::ceiling::Ceiling;
use super::compare::{MIN_CALLS, Row, TOLERANCE};
use super::fit::Fit;
use super::head_start::{Move, describe};
use super::patience::TypePatience;
use super::window::Window;
use std::fmt::Write as _;

/// `calibration.csv`: per interval of the test window, then per hour of day, then the whole window.
pub fn calibration_csv(intervals: &[Row], hours: &[Row], total: &Row) -> String {
    let mut out = String::from(
        "scope,period,offered_observed,offered_simulated,abandon_rate_observed,abandon_rate_simulated,\
         abandon_rate_ci95,abandon_rate_error,wait_mean_observed_s,wait_mean_simulated_s,wait_mean_ci95_s,\
         wait_mean_error,within_15pct\n",
    );
    let num = |v: Option<f64>, d: usize| v.map_or(String::new(), |x| format!("{x:.d$}"));
    let mut put = |scope: &str, r: &Row| {
        let _ = writeln!(
            out,
            "{scope},{},{},{:.2},{},{},{},{},{},{},{},{},{}",
            r.period,
            r.offered,
            r.offered_sim,
            num(r.abandon, 4),
            num(r.abandon_sim.map(|s| s.0), 4),
            num(r.abandon_sim.and_then(|s| s.1), 4),
            num(r.abandon_error(), 4),
            num(r.wait, 2),
            num(r.wait_sim.map(|s| s.0), 2),
            num(r.wait_sim.and_then(|s| s.1), 2),
            num(r.wait_error(), 4),
            if r.abandon.is_some() { u8::from(r.within()).to_string() } else { String::new() },
        );
    };
    for r in intervals {
        put("interval", r);
    }
    for r in hours {
        put("hour", r);
    }
    put("window", total);
    out
}

/// Availability by hour of day as text: `07:00 0.85, 08:00 0.90, ...` for the hours listed.
pub fn availability_text(p: &super::Params, hours: &[usize]) -> String {
    hours.iter().map(|&h| format!("{h:02}:00 {:.2}", p.availability[h])).collect::<Vec<_>>().join(", ")
}

/// `calibrated.toml`: the fitted values as keys a planner pastes into a scenario replaying this history.
/// `schedule` is the file holding the inferred presence with the fitted availability applied, if any. The head
/// start is written only where the parameter exists (`fit.moves`). `patience_file` holds the pooled patience's
/// quantiles when its shape is not exponential.
pub fn calibrated_toml(
    fit: &Fit,
    patience: &TypePatience,
    patience_file: Option<&str>,
    train: &Window,
    mean_handle_s: Option<f64>,
    schedule: Option<&str>,
    busy: &[usize],
) -> String {
    let p = &fit.params;
    let factor = mean_handle_s.map_or(String::new(), |h| {
        format!(" (a handle-time factor of {:.2} on the mean handle of {h:.0} s)", 1.0 + p.wrap_up_s / h)
    });
    let staffing = match schedule {
        Some(file) => format!(
            "# Agents answering: the presence inferred from the log x availability by hour of day, fitted:\n\
             # {}.\n# The schedule is written beside this file: keep it next to the scenario.\n\
             # For a planned roster, availability a in an hour reads as shrinkage 1 - a.\n\
             schedule = \"{file}\"\n",
            availability_text(p, busy)
        ),
        None => format!(
            "# Share of the scenario's agents really answering this queue (for a roster: shrinkage {:.2}).\n\
             scale = {:.2}\n",
            (1.0 - p.availability[0]).max(0.0),
            p.availability[0]
        ),
    };
    let everyone = match patience_file {
        Some(file) => format!(
            "# The log's rate of giving up by time waited, pooled over types, before the factor: {}.\n\
             # A scenario's customer.patience is one for everyone: the pooled patience x the factor, as quantiles\n\
             # (mean {:.0} s). The file is written beside this one: keep it next to the scenario.\n\
             patience = {{ dist = \"empirical\", file = \"{file}\" }}\n",
            patience.describe_hazard(),
            patience.pooled_mean() * p.patience_factor
        ),
        None => format!(
            "# A scenario's customer.patience is one for everyone: the pooled mean x the factor.\n\
             patience = {{ dist = \"exponential\", mean = \"{:.0}s\" }}\n",
            patience.pooled_mean() * p.patience_factor
        ),
    };
    let toml = format!(
        "# Fitted by `chatcap calibrate` on {} (training loss {:.3}). Paste into the scenario replaying this history.\n\
         [customer]\n\
         # Patience, how long a customer waits before giving up: the log's estimate x {:.2}. By contact type\n\
         # (the replay draws each contact's patience from its type's): {}.\n\
         {everyone}\n\
         [agents]\n{staffing}\
         # After-call work the log does not show{factor}.\n\
         wrap_up = {{ dist = \"constant\", value = \"{:.0}s\" }}\n",
        train.label(),
        fit.loss,
        p.patience_factor,
        patience.describe(p.patience_factor),
        p.wrap_up_s,
    );
    toml + &queues_toml(p.head_start_s, &fit.moves)
}

/// The `[[queue]]` part of `calibrated.toml`: the head start as each less urgent queue's overflow rule, or a
/// comment that strict priority fitted best; nothing when the parameter does not exist.
fn queues_toml(head_start_s: Option<f64>, moves: &[Move]) -> String {
    if moves.is_empty() {
        return String::new();
    }
    let Some(s) = head_start_s else {
        return "\n# Head start, fitted: none. Strict priority (the more urgent queue always served first) fitted better \
                than letting\n# a contact that has waited move to the more urgent queue; the scenario's [[queue]] \
                tables need no change.\n"
            .to_string();
    };
    let mut t = format!(
        "\n# Head start, fitted: {}.\n\
         # In the scenario's [[queue]] table of each name below, add its overflow line (its other keys stay as they\n\
         # are):\n",
        describe(moves, Some(s))
    );
    for m in moves {
        let _ = write!(t, "[[queue]]\nname = \"{}\"\noverflow = {}\n", m.from, m.overflow(s));
    }
    t
}

/// A relative error as a signed percentage: whole percent, but one decimal between 10% and 20% so that a miss
/// near the tolerance shows on which side of it it falls (two when one decimal would read exactly 15.0%).
fn pct(v: Option<f64>) -> String {
    v.map_or("-".into(), |x| {
        let p = 100.0 * x;
        let tolerance = 100.0 * TOLERANCE;
        if !(10.0..=20.0).contains(&p.abs()) {
            format!("{p:+.0}%")
        } else if format!("{:.1}", p.abs()) == format!("{tolerance:.1}") && p.abs() != tolerance {
            format!("{p:+.2}%")
        } else {
            format!("{p:+.1}%")
        }
    })
}

/// What the fitted model gave against history: the verdict's evidence.
#[derive(Debug, Clone, Copy)]
pub struct Tested<'a> {
    /// The test window by hour of day.
    pub hours: &'a [Row],
    /// The test window in one row.
    pub total: &'a Row,
    /// The training window by hour of day, with the fitted values.
    pub train_hours: &'a [Row],
    /// Hours a model exactly right would reproduce by chance alone, on the test and on the training window.
    pub chance: Option<(Ceiling, Ceiling)>,
}

/// Busy hours (at least [`MIN_CALLS`] observed contacts) within the tolerance, and busy hours.
fn count_within(hours: &[Row]) -> (usize, usize) {
    let judged = hours.iter().filter(|h| h.offered >= MIN_CALLS);
    (judged.clone().filter(|h| h.within()).count(), judged.count())
}

/// What the counts say together: the test window's (`tested`) against chance on it (`chance`), the training
/// window's (`fitted`) against chance there (`fitted_chance`). A count at or above what a perfect model rarely
/// falls below ([`Ceiling::rarely_below`]) is within what chance gives.
fn reading(tested: usize, fitted: usize, chance: Ceiling, fitted_chance: Ceiling) -> String {
    let (low, fitted_low) = (chance.rarely_below(), fitted_chance.rarely_below());
    if tested as f64 >= low {
        format!(
            "Reading: {tested} hours is within what chance gives a model exactly right (rarely fewer than \
             {low:.1}): the misses below are mostly history's own noise."
        )
    } else if fitted as f64 >= fitted_low {
        format!(
            "Reading: the fit is within what chance allows on the weeks it saw ({fitted}; a model exactly right \
             rarely fewer than {fitted_low:.1}) but not on the test weeks ({tested}; rarely fewer than {low:.1}): \
             the test weeks differ from the training weeks in ways the model is not told (for instance how much of \
             their time present agents spent answering, hour by hour); fit on the most recent weeks before trusting \
             an hour's answer."
        )
    } else {
        format!(
            "Reading: even on the weeks it was fitted on the model reproduces fewer hours ({fitted}) than a model \
             exactly right rarely falls below there ({fitted_low:.1}): it misses something hour by hour; read the \
             misses below before trusting an hour's answer."
        )
    }
}

/// The plain verdict: which busy hours of the test window the model reproduces within 15% on both abandonment
/// and mean wait, and which it does not, with the direction of each miss; how many it reproduces on the
/// training window and how many a model exactly right would by chance, so that a planner can tell a model that
/// does not transfer from weeks too noisy to judge; `limits` is the last line, what the scenario as run does
/// with the trace's workstreams ([`super::limits`]).
pub fn verdict(
    fit: &Fit,
    patience: &TypePatience,
    (train, test): (&Window, &Window),
    limits: &str,
    busy: &[usize],
    tested: Tested<'_>,
) -> String {
    let Tested { hours, total, train_hours, chance } = tested;
    let judged: Vec<&Row> = hours.iter().filter(|h| h.offered >= MIN_CALLS).collect();
    let good: Vec<&str> = judged.iter().filter(|h| h.within()).map(|h| h.period.as_str()).collect();
    let bad: Vec<String> = judged
        .iter()
        .filter(|h| !h.within())
        .map(|h| format!("{} (abandonment {}, wait {})", h.period, pct(h.abandon_error()), pct(h.wait_error())))
        .collect();
    let p = &fit.params;
    let mut t = String::new();
    let _ = writeln!(
        t,
        "Fitted on {}: availability {}; patience x {:.2} of the log's estimate ({}); after-call work {:.0} s{}.",
        train.label(),
        if busy.is_empty() || p.availability.iter().all(|a| *a == p.availability[0]) {
            format!("{:.2}", p.availability[0])
        } else {
            format!("by hour {}", availability_text(p, busy))
        },
        p.patience_factor,
        patience.describe(p.patience_factor),
        p.wrap_up_s,
        if fit.moves.is_empty() {
            String::new()
        } else {
            p.head_start_s.map_or("; head start none (strict priority)".into(), |s| format!("; head start {s} s"))
        }
    );
    let _ = writeln!(
        t,
        "Tested on {}: abandonment {} simulated vs {} observed ({}), mean wait {} vs {} ({}).",
        test.label(),
        total.abandon_sim.map_or("-".into(), |s| format!("{:.1}%", 100.0 * s.0)),
        total.abandon.map_or("-".into(), |o| format!("{:.1}%", 100.0 * o)),
        pct(total.abandon_error()),
        total.wait_sim.map_or("-".into(), |s| format!("{:.0} s", s.0)),
        total.wait.map_or("-".into(), |o| format!("{o:.0} s")),
        pct(total.wait_error()),
    );
    let _ = writeln!(
        t,
        "{} of {} hours of day with at least {MIN_CALLS} contacts have both abandonment and mean wait within {:.0}% of history.",
        good.len(),
        judged.len(),
        100.0 * TOLERANCE
    );
    let (fitted_within, fitted_judged) = count_within(train_hours);
    let _ = writeln!(
        t,
        "On the training window {}, the weeks these values were fitted on (expect more there): {fitted_within} of \
         {fitted_judged} hours within {:.0}%.",
        train.label(),
        100.0 * TOLERANCE
    );
    if let Some((c, fitted_chance)) = chance {
        let _ = writeln!(
            t,
            "Even a model exactly right would expect only about {:.1} of {} hours within {:.0}% on the test window, \
             and rarely fewer than {:.1} (two standard deviations): history is one draw, and an hour's abandonment \
             and wait move from draw to draw (each of the {} replications, played as history against the mean of \
             the others, has {} to {}).",
            c.mean,
            c.hours,
            100.0 * TOLERANCE,
            c.rarely_below(),
            c.replications,
            c.min,
            c.max,
        );
        let _ = writeln!(t, "{}", reading(good.len(), fitted_within, c, fitted_chance));
    } else {
        let _ = writeln!(
            t,
            "How many hours chance alone leaves within {:.0}% needs 3 or more replications (--set replications=5).",
            100.0 * TOLERANCE
        );
    }
    let tol = 100.0 * TOLERANCE;
    let _ = writeln!(
        t,
        "Within {tol:.0}% of history on both abandonment and mean wait: {}.",
        if good.is_empty() { "none".to_string() } else { good.join(", ") }
    );
    let _ = writeln!(
        t,
        "Off by more than {tol:.0}% on abandonment or mean wait: {}.",
        if bad.is_empty() { "none".to_string() } else { bad.join("; ") }
    );
    t.push_str(limits);
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reading_tells_noise_from_weeks_that_differ_from_a_model_that_misses() {
        // Test window: rarely fewer than 12 - 2 x 1.5 = 9; training window: 13 - 2 x 1 = 11.
        let chance = Ceiling { mean: 12.0, sd: 1.5, min: 10, max: 14, hours: 17, replications: 5 };
        let fitted = Ceiling { mean: 13.0, sd: 1.0, ..chance };
        assert!(reading(9, 10, chance, fitted).contains("mostly history's own noise"), "at the bound chance gives");
        let differ = reading(8, 11, chance, fitted);
        assert!(
            differ.contains("(11; a model exactly right rarely fewer than 11.0) but not on the test weeks (8; rarely fewer than 9.0)"),
            "{differ}"
        );
        let misses = reading(8, 10, chance, fitted);
        assert!(
            misses.contains("fewer hours (10) than a model exactly right rarely falls below there (11.0)"),
            "{misses}"
        );
    }

    #[test]
    fn errors_near_the_tolerance_show_their_side_of_it() {
        let shown = |x: f64| pct(Some(x));
        assert_eq!(shown(-0.152), "-15.2%");
        assert_eq!(shown(0.148), "+14.8%");
        assert_eq!(shown(0.1504), "+15.04%", "one decimal would read 15.0% above the line");
        assert_eq!(shown(-0.1496), "-14.96%", "one decimal would read 15.0% within the line");
        assert_eq!(shown(0.15), "+15.0%");
        assert_eq!(shown(0.104), "+10.4%");
        assert_eq!(shown(0.199), "+19.9%");
        assert_eq!(shown(0.08), "+8%");
        assert_eq!(shown(-0.26), "-26%");
        assert_eq!(pct(None), "-");
    }
}
