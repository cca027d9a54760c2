//! How many hours a model exactly right would reproduce: the chance part of the verdict's count.
//!
//! History is one draw of the world: the same arrivals and agents on another fortnight would have given other
//! waits and abandonments, because patience, handle times and who happened to be free vary from call to call.
//! If the model were exactly right, history would be like one more replication of it. So each replication in
//! turn plays history: its hours of day are compared with the mean of the other replications, under the same
//! tolerance the verdict uses, and the count of hours within it is what a perfect model would score against
//! that draw. The mean over replications is the count to expect from chance alone; the range shows its spread.
//! The verdict compares history (one draw) with the mean of `R` replications, a gap whose variance is
//! `1 + 1/R` times one draw's; a replication against the mean of the other `R - 1` has a gap of variance
//! `1 + 1/(R - 1)` times one draw's, so each gap is shrunk by `sqrt(1 - 1/R^2)`, the ratio of their standard
//! deviations, before the test.
//!
//! It is a ceiling, not a target: the model's replications vary only by what the model draws (patience, handle
//! times of contacts that abandoned in history, ties), while history also varies by what the model holds fixed
//! (agents' breaks, a slow system, a mislogged call), so a perfect model would score this or less on average.

use super::compare::{MIN_CALLS, TOLERANCE, hour_totals};
use super::model::Cell;
use crate::history::Observed;

/// Hours within the tolerance when each replication plays history against the mean of the others.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ceiling {
    /// Mean count over replications.
    pub mean: f64,
    /// Fewest hours within, over replications.
    pub min: usize,
    /// Most hours within, over replications.
    pub max: usize,
    /// Standard deviation of the count over replications.
    pub sd: f64,
    /// Hours of day judged (with at least [`MIN_CALLS`] observed contacts).
    pub hours: usize,
    /// Replications that played history.
    pub replications: usize,
}

impl Ceiling {
    /// Two standard deviations below the mean: a perfect model scores fewer about once in 40 draws (the count of
    /// a dozen or more hours, each in or out, is close to normal). Read from the spread of the counts rather
    /// than their fewest, which falls the more replications there are. Never below 0 hours.
    pub fn rarely_below(&self) -> f64 {
        (self.mean - 2.0 * self.sd).max(0.0)
    }
}

/// The ceiling of the hours of day judged in `observed` (their contact counts choose the hours), from the
/// per-replication, per-interval `sim`; `None` with fewer than 3 replications (the others' mean would be one
/// draw).
pub fn ceiling(observed: &[Observed], sim: &[Vec<Cell>]) -> Option<Ceiling> {
    if sim.len() < 3 {
        return None;
    }
    let (obs, cells) = hour_totals(observed, sim);
    let judged: Vec<usize> = (0..24).filter(|&h| obs[h].offered >= MIN_CALLS).collect();
    let rates = |c: &Cell| (c.offered > 0.0).then(|| (c.abandoned / c.offered, c.wait_s / c.offered));
    let shrink = (1.0 - 1.0 / (sim.len() * sim.len()) as f64).sqrt();
    let within = |mine: f64, others: f64| {
        if mine > 0.0 { (shrink * (others - mine) / mine).abs() <= TOLERANCE } else { others == 0.0 }
    };
    let counts: Vec<usize> = (0..sim.len())
        .map(|r| {
            judged
                .iter()
                .filter(|&&h| {
                    let Some((a, w)) = rates(&cells[r][h]) else { return false };
                    let others: Vec<(f64, f64)> =
                        (0..sim.len()).filter(|&q| q != r).filter_map(|q| rates(&cells[q][h])).collect();
                    let n = others.len() as f64;
                    let (oa, ow) = others.iter().fold((0.0, 0.0), |(x, y), (a, w)| (x + a / n, y + w / n));
                    n > 0.0 && within(a, oa) && within(w, ow)
                })
                .count()
        })
        .collect();
    let mean = counts.iter().sum::<usize>() as f64 / counts.len() as f64;
    let var = counts.iter().map(|&c| (c as f64 - mean).powi(2)).sum::<f64>() / (counts.len() - 1) as f64;
    Some(Ceiling {
        mean,
        sd: var.sqrt(),
        min: counts.iter().copied().min().unwrap_or(0),
        max: counts.iter().copied().max().unwrap_or(0),
        hours: judged.len(),
        replications: sim.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn observed(hours: &[(i64, f64)]) -> Vec<Observed> {
        hours.iter().map(|&(h, n)| Observed { start_s: h * 3600, offered: n, ..Observed::default() }).collect()
    }

    fn cell(offered: f64, abandoned: f64, wait_s: f64) -> Cell {
        Cell { offered, abandoned, wait_s }
    }

    #[test]
    fn identical_replications_reproduce_every_hour() {
        let obs = observed(&[(9, 500.0), (10, 500.0), (11, 20.0)]);
        let rep = vec![cell(100.0, 10.0, 3000.0), cell(100.0, 20.0, 6000.0), cell(5.0, 1.0, 10.0)];
        let c = ceiling(&obs, &vec![rep; 4]).unwrap();
        assert_eq!((c.mean, c.min, c.max, c.sd, c.hours, c.replications), (2.0, 2, 2, 0.0, 2, 4));
    }

    #[test]
    fn a_replication_far_from_the_others_misses_its_hours() {
        let obs = observed(&[(9, 500.0), (10, 500.0)]);
        let usual = vec![cell(100.0, 10.0, 3000.0), cell(100.0, 20.0, 6000.0)];
        // Hour 9 of the odd one: abandonment 10% like the others, wait 40 s against 30 s (the others' 30 s is
        // 25% below it); hour 10: abandonment 25% against 20% (20% below), wait 60 s.
        let odd = vec![cell(100.0, 10.0, 4000.0), cell(100.0, 25.0, 6000.0)];
        let sim = vec![usual.clone(), usual.clone(), usual.clone(), odd];
        let c = ceiling(&obs, &sim).unwrap();
        // Gaps shrink by sqrt(1 - 1/16) = 0.968. Each usual one against the others' mean (two usual, one odd):
        // hour 9 wait 33.3 s against 30 s (+11.1%, shrunk 10.8%), in; hour 10 abandonment 21.7% against 20%
        // (+8.3%), in. The odd one: hour 9's wait 30 s against 40 s (-25%, shrunk -24.2%) and hour 10's
        // abandonment 20% against 25% (-20%, shrunk -19.4%) are out.
        assert_eq!((c.min, c.max), (0, 2));
        assert_eq!(c.mean, 6.0 / 4.0);
        // Counts 2, 2, 2, 0: deviations 0.5, 0.5, 0.5, -1.5; variance 3 / 3.
        assert_eq!(c.sd, 1.0);
        assert_eq!(c.rarely_below(), 0.0, "1.5 - 2 x 1 is below 0 hours");
    }

    #[test]
    fn the_ceiling_is_what_a_perfect_model_scores_in_the_verdicts_comparison() {
        use rand::SeedableRng;
        use rand_distr::{Distribution, Normal};
        // 17 busy hours; each replication's abandonment and wait are the truth times 1 + e, e normal with sd 8%.
        let noise = Normal::new(0.0, 0.08).unwrap();
        let mut rng = rand_pcg::Pcg64Mcg::seed_from_u64(3);
        let obs = observed(&(7..24).map(|h| (h, 200.0)).collect::<Vec<_>>());
        let draw = |rng: &mut rand_pcg::Pcg64Mcg| 1.0 + noise.sample(rng);
        // The perfect model's score as the verdict compares: the mean of its 5 replications against history, one
        // more draw, both errors within 15%.
        let hit = |rng: &mut rand_pcg::Pcg64Mcg| {
            let history = draw(rng);
            let model = (0..5).map(|_| draw(rng)).sum::<f64>() / 5.0;
            ((model - history) / history).abs() <= TOLERANCE
        };
        let trials = 200_000;
        let p = (0..trials).filter(|_| hit(&mut rng) && hit(&mut rng)).count() as f64 / trials as f64;
        let want = 17.0 * p;
        let want_se = 17.0 * (p * (1.0 - p) / trials as f64).sqrt();
        let sets = 400;
        let scores: Vec<f64> = (0..sets)
            .map(|_| {
                let sim: Vec<Vec<Cell>> = (0..5)
                    .map(|_| {
                        // One interval per observed hour, as `observed` lists them.
                        (0..obs.len())
                            .map(|_| cell(1000.0, 150.0 * draw(&mut rng), 50_000.0 * draw(&mut rng)))
                            .collect()
                    })
                    .collect();
                ceiling(&obs, &sim).unwrap().mean
            })
            .collect();
        let mean = scores.iter().sum::<f64>() / sets as f64;
        let sd = (scores.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / (sets - 1) as f64).sqrt();
        // One check: 1.96 standard errors of the difference (both sides are estimates). Without the shrink the
        // mean falls about a fifth of an hour short; with the shrink sqrt((R - 1) / R) it is as far above.
        let tolerance = 1.96 * (sd * sd / sets as f64 + want_se * want_se).sqrt();
        assert!(
            (mean - want).abs() <= tolerance,
            "ceiling {mean:.2} against a perfect model's {want:.2} +/- {tolerance:.2}"
        );
    }

    #[test]
    fn too_few_replications_give_no_ceiling() {
        let obs = observed(&[(9, 500.0)]);
        assert!(ceiling(&obs, &vec![vec![cell(1.0, 0.0, 1.0)]; 2]).is_none());
    }
}
