//! Patience by contact type, from the log, and each contact's own draw of it.
//!
//! A served customer's patience is censored (they waited and did not give up, by an unknown margin), an
//! abandoned one's is observed. Two shapes ([`Shape`]):
//! - **exponential** (the default): one constant rate of giving up; its maximum-likelihood mean from censored
//!   waits is the total time waited over the number who gave up.
//! - **logged**: a hazard by wait. Waiting time is cut into pieces at [`EDGES_S`]; in each piece the rate at
//!   which waiting customers give up is the abandonments that fell in it over the total time customers spent
//!   waiting in it (the maximum-likelihood estimate of a piecewise-constant hazard from censored waits, the
//!   life-table estimate of survival analysis). A piece with fewer than [`MIN_PIECE_EVENTS`] abandonments joins
//!   the next, so every rate rests on data; with one piece this is the exponential.
//!
//! Why both: on the bank's log customers give up faster early (Brown et al., JASA 2005, find the same on this
//! data): over the training fortnight one give-up per 232 s waited in the first 10 s, per 374 s from 60 to
//! 120 s, per 477 s from 120 to 300 s. Yet replayed by hour of day, the exponential fits the bank's training
//! fortnight better (VALIDATION.md, section 2). A planner with another log can try both (`--patience-shape`) and
//! keep the one with the lower training loss.
//!
//! Contact types differ a lot (on the bank's log, prospective customers `NW` give up about twice as fast as
//! regular ones `PS`), and their mix changes by hour of day, so each type with at least [`MIN_ABANDONED`]
//! abandonments in the training window gets its own multiplier of the pooled hazard (proportional hazards:
//! its abandonments over those the pooled hazard predicts for its waits; with one piece, its own total wait
//! over its own abandonments); the rest share the pooled hazard. Calibration fits one factor that stretches
//! every type's patience.
//!
//! Each contact draws a standard exponential `E` from a stream seeded by the contact's place in the trace and the
//! replication; its patience is the wait at which its type's cumulative hazard reaches `E`. Every candidate of
//! the fit, and the test, gives the same customer the same draw (common random numbers), so candidates differ
//! only by their parameters.

use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;
use std::collections::BTreeMap;

/// A type needs this many abandonments in the training window for a patience of its own.
pub const MIN_ABANDONED: f64 = 30.0;
/// Where the hazard's pieces end, seconds of waiting: finer where most customers give up, the last piece open.
pub const EDGES_S: [f64; 5] = [10.0, 30.0, 60.0, 120.0, 300.0];
/// A piece of the hazard needs this many abandonments (pooled over types), else it joins the next.
pub const MIN_PIECE_EVENTS: f64 = 10.0;
/// Seed of the per-contact patience draws.
pub const SEED: u64 = 0x5EED_CA1B;
/// The pooled mean when the training window has no abandonment at all, seconds.
const NO_ABANDONMENT_MEAN_S: f64 = 180.0;

/// How patience depends on time already waited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Shape {
    /// One constant hazard: exponential patience with the log's maximum-likelihood mean.
    #[default]
    Exponential,
    /// The hazard by wait as the log shows it (pieces at [`EDGES_S`]).
    Logged,
}

impl Shape {
    /// Where this shape cuts waiting time.
    fn edges(self) -> &'static [f64] {
        match self {
            Shape::Logged => &EDGES_S,
            Shape::Exponential => &[],
        }
    }
}

/// A piecewise-constant hazard: `rates[k]` per second of waiting from `starts[k]` until the next start (the
/// last piece has no end).
#[derive(Debug, Clone, PartialEq)]
pub struct Hazard {
    /// Where each piece starts, seconds; the first is 0.
    pub starts: Vec<f64>,
    /// Rate of giving up in each piece, per second; the last is positive.
    pub rates: Vec<f64>,
}

impl Hazard {
    /// Cumulative hazard at wait `t`: the expected number of give-ups of a customer who waited `t`.
    pub fn cumulative(&self, t: f64) -> f64 {
        let mut h = 0.0;
        for (k, (&start, &rate)) in self.starts.iter().zip(&self.rates).enumerate() {
            let end = self.starts.get(k + 1).copied().unwrap_or(f64::INFINITY);
            if t <= start {
                break;
            }
            h += rate * (t.min(end) - start);
        }
        h
    }

    /// The wait at which the cumulative hazard times `multiplier` reaches `target`.
    pub fn inverse(&self, target: f64, multiplier: f64) -> f64 {
        let mut left = target / multiplier;
        for (k, (&start, &rate)) in self.starts.iter().zip(&self.rates).enumerate() {
            let end = self.starts.get(k + 1).copied();
            match end {
                Some(end) if rate * (end - start) < left => left -= rate * (end - start),
                _ if rate > 0.0 => return start + left / rate,
                Some(_) => {}
                None => return f64::INFINITY,
            }
        }
        f64::INFINITY
    }

    /// Mean patience under this hazard times `multiplier`, seconds.
    pub fn mean(&self, multiplier: f64) -> f64 {
        let mut mean = 0.0;
        let mut survive = 1.0;
        for (k, (&start, &rate)) in self.starts.iter().zip(&self.rates).enumerate() {
            let r = rate * multiplier;
            match self.starts.get(k + 1) {
                Some(&end) if r > 0.0 => {
                    let next = survive * (-r * (end - start)).exp();
                    mean += (survive - next) / r;
                    survive = next;
                }
                Some(&end) => mean += survive * (end - start),
                None => mean += survive / r,
            }
        }
        mean
    }
}

/// Patience by type, before the fitted factor.
#[derive(Debug, Clone, PartialEq)]
pub struct TypePatience {
    /// The pooled hazard by wait.
    pub hazard: Hazard,
    /// Types with a multiplier of their own.
    pub by_type: BTreeMap<String, f64>,
    /// The shape it was estimated with.
    pub shape: Shape,
}

impl TypePatience {
    /// Estimates from logged (type, abandoned, wait seconds) of the training window.
    pub fn estimate<'a>(shape: Shape, logged: impl Iterator<Item = (&'a str, bool, f64)> + Clone) -> TypePatience {
        let hazard = pooled_hazard(shape.edges(), logged.clone());
        let mut per: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
        for (kind, abandoned, w) in logged {
            let e = per.entry(kind).or_default();
            e.0 += hazard.cumulative(w);
            e.1 += f64::from(u8::from(abandoned));
        }
        let by_type = per
            .into_iter()
            .filter(|(k, (expected, a))| !k.is_empty() && *a >= MIN_ABANDONED && *expected > 0.0)
            .map(|(k, (expected, a))| (k.to_string(), a / expected))
            .collect();
        TypePatience { hazard, by_type, shape }
    }

    /// The multiplier of a type's hazard.
    fn multiplier(&self, kind: &str) -> f64 {
        self.by_type.get(kind).copied().unwrap_or(1.0)
    }

    /// The patience of a contact of type `kind` whose standard exponential draw is `unit`, before the factor.
    pub fn draw(&self, kind: &str, unit: f64) -> f64 {
        self.hazard.inverse(unit, self.multiplier(kind))
    }

    /// Mean patience of everyone sharing the pooled hazard, seconds.
    pub fn pooled_mean(&self) -> f64 {
        self.hazard.mean(1.0)
    }

    /// `PS 446 s, NW 211 s, other types (pooled) 345 s`: mean patience, each times `factor`.
    pub fn describe(&self, factor: f64) -> String {
        let mut parts: Vec<String> =
            self.by_type.iter().map(|(k, m)| format!("{k} {:.0} s", self.hazard.mean(*m) * factor)).collect();
        let rest = if self.by_type.is_empty() { "all types" } else { "other types (pooled)" };
        parts.push(format!("{rest} {:.0} s", self.pooled_mean() * factor));
        let means = parts.join(", ");
        match self.shape {
            Shape::Exponential => format!("means {means}, exponential"),
            Shape::Logged => format!("means {means}, shaped by the log's hazard by wait"),
        }
    }

    /// The pooled hazard piece by piece, each rate as the mean it would have alone:
    /// `0-10 s 1 give-up per 232 s waited, 10-30 s per 258 s, ..., from 300 s per 454 s`, before the factor.
    pub fn describe_hazard(&self) -> String {
        let h = &self.hazard;
        let piece = |k: usize| match h.starts.get(k + 1) {
            Some(end) => format!("{:.0}-{end:.0} s", h.starts[k]),
            None => format!("from {:.0} s", h.starts[k]),
        };
        (0..h.starts.len())
            .map(|k| {
                let per = if h.rates[k] > 0.0 { format!("{:.0} s", 1.0 / h.rates[k]) } else { "never".into() };
                if k == 0 {
                    format!("{} 1 give-up per {per} waited", piece(k))
                } else {
                    format!("{} per {per}", piece(k))
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// `patience_s` quantiles of the pooled patience times `factor`, one per line: an empirical distribution a
    /// scenario reads (`customer.patience = { dist = "empirical", file = ... }`).
    pub fn quantiles_csv(&self, factor: f64, n: usize) -> String {
        let mut out = String::from("patience_s\n");
        for i in 0..n {
            let u = (i as f64 + 0.5) / n as f64;
            out.push_str(&format!("{:.1}\n", self.hazard.inverse(-(1.0 - u).ln(), 1.0) * factor));
        }
        out
    }
}

/// The pooled piecewise hazard at `edges`, pieces with too few abandonments merged into the next (the last
/// into the one before).
fn pooled_hazard<'a>(edges: &[f64], logged: impl Iterator<Item = (&'a str, bool, f64)>) -> Hazard {
    let mut starts = vec![0.0];
    starts.extend_from_slice(edges);
    let mut events = vec![0.0; starts.len()];
    let mut exposure = vec![0.0; starts.len()];
    for (_, abandoned, w) in logged {
        for (k, &start) in starts.iter().enumerate() {
            let end = starts.get(k + 1).copied().unwrap_or(f64::INFINITY);
            if w > start {
                exposure[k] += w.min(end) - start;
            }
            // A give-up at exactly an edge ends the piece it was exposed in (whole-second waits land on edges).
            if abandoned && (w > start || k == 0) && w <= end {
                events[k] += 1.0;
            }
        }
    }
    let mut pieces: Vec<(f64, f64, f64)> = Vec::new();
    let mut open: Option<(f64, f64, f64)> = None;
    for k in 0..starts.len() {
        let (s, e, x) = open.take().unwrap_or((starts[k], 0.0, 0.0));
        let merged = (s, e + events[k], x + exposure[k]);
        if merged.1 >= MIN_PIECE_EVENTS {
            pieces.push(merged);
        } else {
            open = Some(merged);
        }
    }
    if let Some((_, e, x)) = open {
        match pieces.last_mut() {
            Some(last) => {
                last.1 += e;
                last.2 += x;
            }
            None => pieces.push((0.0, e, x)),
        }
    }
    let (starts, rates) = pieces
        .into_iter()
        .map(|(s, e, x)| if e > 0.0 && x > 0.0 { (s, e / x) } else { (s, 1.0 / NO_ABANDONMENT_MEAN_S) })
        .unzip();
    Hazard { starts, rates }
}

/// The standard exponential draw of the contact at `index` in the trace, in replication `r`.
pub fn unit_draw(index: usize, r: u32) -> f64 {
    let key = (index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ u64::from(r).wrapping_mul(0xD1B5_4A32_D192_ED03);
    let mut rng = Pcg64Mcg::seed_from_u64(SEED ^ key);
    -(1.0 - rng.random::<f64>()).ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * b.abs().max(1.0)
    }

    #[test]
    fn one_piece_is_the_exponential_with_total_wait_over_abandonments() {
        let log = [("PS", true, 100.0), ("PS", false, 300.0), ("NW", true, 50.0), ("NW", false, 0.0)];
        let p = TypePatience::estimate(Shape::Exponential, log.iter().copied());
        assert_eq!(p.hazard.starts, vec![0.0]);
        assert!(close(p.pooled_mean(), 450.0 / 2.0), "{p:?}");
        assert!(close(p.draw("XX", 2.0), 450.0), "a unit draw of 2 is twice the mean");
    }

    #[test]
    fn types_with_enough_abandonments_get_their_own_multiplier() {
        // 40 quick NW customers give up after 20 s each; 40 PS customers after 80 s; one piece.
        let mut log = vec![("NW", true, 20.0); 40];
        log.extend(vec![("PS", true, 80.0); 40]);
        log.extend(vec![("TT", true, 10.0); 5]);
        let p = TypePatience::estimate(Shape::Exponential, log.iter().copied());
        let pooled = (40.0 * 20.0 + 40.0 * 80.0 + 5.0 * 10.0) / 85.0;
        assert!(close(p.pooled_mean(), pooled));
        assert!(close(p.hazard.mean(p.by_type["NW"]), 20.0), "NW's own mean is its wait per abandonment");
        assert!(close(p.hazard.mean(p.by_type["PS"]), 80.0));
        assert!(!p.by_type.contains_key("TT"), "5 abandonments are too few for a type of its own");
        assert!(close(p.draw("TT", 1.0), pooled));
    }

    #[test]
    fn a_hazard_by_wait_is_counted_piece_by_piece() {
        // Piece [0, 10): 10 give up at 5 s, 10 pass through; exposure 10 x 5 + 10 x 10 = 150 s: rate 10/150.
        // Piece [10, 30): the 10 survivors all give up at 20 s: exposure 10 x 10 = 100 s: rate 10/100.
        let mut log = vec![("", true, 5.0); 10];
        log.extend(vec![("", true, 20.0); 10]);
        let p = TypePatience::estimate(Shape::Logged, log.iter().copied());
        assert_eq!(p.hazard.starts, vec![0.0, 10.0], "pieces without 10 abandonments join the one before");
        assert!(close(p.hazard.rates[0], 10.0 / 150.0) && close(p.hazard.rates[1], 0.1), "{:?}", p.hazard);
        // Cumulative hazard at 10 s is 10 x 10/150 = 2/3; a draw of 1 reaches it 1/3 / 0.1 = 3.33 s later.
        assert!(close(p.hazard.cumulative(10.0), 2.0 / 3.0));
        assert!(close(p.draw("", 1.0), 10.0 + (1.0 / 3.0) / 0.1));
        assert!(close(p.draw("", 0.5), 0.5 / (10.0 / 150.0)));
        // Mean: integral of exp(-H): (1 - e^{-2/3}) / (1/15) + e^{-2/3} / 0.1.
        let mean = (1.0 - (-2.0f64 / 3.0).exp()) * 15.0 + (-2.0f64 / 3.0).exp() * 10.0;
        assert!(close(p.pooled_mean(), mean), "{} against {mean}", p.pooled_mean());
    }

    #[test]
    fn a_give_up_at_exactly_an_edge_counts_in_the_piece_it_was_waited_in() {
        // Whole-second waits: 10 give up at exactly 10 s, 10 at exactly 30 s. Piece [0, 10]: 10 events over
        // 20 x 10 s; piece (10, 30]: 10 events over 10 x 20 s. Both 0.05 per second.
        let mut log = vec![("", true, 10.0); 10];
        log.extend(vec![("", true, 30.0); 10]);
        let p = TypePatience::estimate(Shape::Logged, log.iter().copied());
        assert_eq!(p.hazard.starts, vec![0.0, 10.0], "{:?}", p.hazard);
        assert!(p.hazard.rates.iter().all(|&r| close(r, 0.05)), "{:?}", p.hazard);
    }

    #[test]
    fn the_hazard_is_described_piece_by_piece() {
        let mut log = vec![("", true, 5.0); 10];
        log.extend(vec![("", true, 20.0); 10]);
        let p = TypePatience::estimate(Shape::Logged, log.iter().copied());
        assert_eq!(p.describe_hazard(), "0-10 s 1 give-up per 15 s waited, from 10 s per 10 s");
    }

    #[test]
    fn drawing_inverts_the_cumulative_hazard() {
        let h = Hazard { starts: vec![0.0, 10.0, 30.0, 60.0], rates: vec![0.01, 0.0, 0.004, 0.002] };
        for target in [0.01, 0.1, 0.2, 0.3, 1.0, 5.0] {
            for m in [0.5, 1.0, 2.0] {
                let t = h.inverse(target, m);
                assert!(close(m * h.cumulative(t), target), "target {target} m {m}: t {t}");
            }
        }
        assert_eq!(h.inverse(0.05, 1.0), 5.0);
        assert_eq!(h.inverse(0.1, 1.0), 10.0, "a piece without give-ups is crossed at once");
    }

    #[test]
    fn the_estimate_recovers_a_known_hazard_from_censored_waits() {
        // Patience: hazard 1/100 per s below 60 s, 1/400 above; waits censored by service at exponential(90 s).
        let truth = Hazard { starts: vec![0.0, 60.0], rates: vec![0.01, 0.0025] };
        let mut rng = Pcg64Mcg::seed_from_u64(7);
        let log: Vec<(&str, bool, f64)> = (0..40_000)
            .map(|_| {
                let patience = truth.inverse(-(1.0 - rng.random::<f64>()).ln(), 1.0);
                let service = -90.0 * (1.0 - rng.random::<f64>()).ln();
                ("", patience < service, patience.min(service))
            })
            .collect();
        let p = TypePatience::estimate(Shape::Logged, log.iter().copied());
        // Each piece's rate is events / exposure; its relative standard error is 1 / sqrt(events). Six pieces:
        // two-sided 0.05 family-wise, 0.05 / 6 each, is 2.64 standard errors.
        for (k, &start) in p.hazard.starts.iter().enumerate() {
            let want = if start < 60.0 { 0.01 } else { 0.0025 };
            let end = p.hazard.starts.get(k + 1).copied().unwrap_or(f64::INFINITY);
            let events = log.iter().filter(|(_, a, w)| *a && *w > start && *w <= end).count() as f64;
            let se = want / events.sqrt();
            assert!((p.hazard.rates[k] - want).abs() <= 2.64 * se, "piece at {start} s: {:?}", p.hazard);
        }
    }

    #[test]
    fn pooled_quantiles_are_a_scenario_distribution_with_the_pooled_mean() {
        let p = TypePatience::estimate(Shape::Exponential, [("", true, 100.0)].into_iter());
        let csv = p.quantiles_csv(2.0, 1000);
        let values: Vec<f64> = csv.lines().skip(1).map(|l| l.parse().unwrap()).collect();
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        assert_eq!(values.len(), 1000);
        // Exactly 200 s x the mean of -ln(1 - u) over the midpoints u, each value rounded to 0.1 s.
        let want = 200.0 * (0..1000).map(|i| -(1.0 - (i as f64 + 0.5) / 1000.0).ln()).sum::<f64>() / 1000.0;
        assert!((mean - want).abs() <= 0.05, "mean {mean} of the quantiles against {want}");
    }
}
