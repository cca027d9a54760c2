//! The search: coordinate descent over a grid of each parameter, every candidate facing the same customers.
//!
//! Every evaluation uses the scenario's seed, so candidates differ only by their parameters (common random
//! numbers: each customer draws from their own stream). Starting from availability 1, the log's
//! maximum-likelihood patience and no after-call work, each parameter in turn moves to its best grid value with
//! the others held; passes repeat until a pass changes nothing (at most [`MAX_PASSES`]).

use super::compare::{by_hour, loss};
use super::model::{Params, WindowRun};
use crate::history::Observed;
use crate::Result;
use std::collections::BTreeMap;

/// Share of inferred agents answering.
pub const AVAILABILITY: [f64; 23] = [
    0.40, 0.45, 0.50, 0.55, 0.60, 0.65, 0.70, 0.75, 0.80, 0.85, 0.90, 0.95, 1.00, 1.05, 1.10, 1.15, 1.20, 1.25, 1.30,
    1.35, 1.40, 1.45, 1.50,
];
/// Mean patience, seconds (steps of about 20%).
pub const PATIENCE_S: [f64; 20] =
    [20.0, 30.0, 40.0, 50.0, 60.0, 75.0, 90.0, 110.0, 130.0, 160.0, 190.0, 230.0, 280.0, 340.0, 400.0, 480.0, 580.0, 700.0, 840.0, 1000.0];
/// After-call work per contact, seconds.
pub const WRAP_UP_S: [f64; 15] =
    [0.0, 5.0, 10.0, 15.0, 20.0, 25.0, 30.0, 40.0, 50.0, 60.0, 75.0, 90.0, 110.0, 130.0, 160.0];
/// Passes over the three parameters at most.
pub const MAX_PASSES: usize = 4;

/// The outcome of a fit.
#[derive(Debug, Clone)]
pub struct Fit {
    /// The best parameters found.
    pub params: Params,
    /// Their training loss.
    pub loss: f64,
    /// Every evaluated point with its loss, in evaluation order.
    pub tried: Vec<(Params, f64)>,
}

fn nearest(grid: &[f64], v: f64) -> usize {
    (0..grid.len()).min_by(|&a, &b| (grid[a] - v).abs().total_cmp(&(grid[b] - v).abs())).unwrap_or(0)
}

/// Fits the parameters on the training window, starting at patience `patience0_s`.
pub fn fit(train: &WindowRun, observed: &[Observed], patience0_s: f64, jobs: usize) -> Result<Fit> {
    let grids: [&[f64]; 3] = [&AVAILABILITY, &PATIENCE_S, &WRAP_UP_S];
    let mut at = [nearest(&AVAILABILITY, 1.0), nearest(&PATIENCE_S, patience0_s), 0];
    let mut cache: BTreeMap<[usize; 3], f64> = BTreeMap::new();
    let mut tried = Vec::new();
    let params = |i: [usize; 3]| Params { availability: AVAILABILITY[i[0]], patience_s: PATIENCE_S[i[1]], wrap_up_s: WRAP_UP_S[i[2]] };
    let mut eval = |i: [usize; 3], tried: &mut Vec<(Params, f64)>| -> Result<f64> {
        if let Some(&l) = cache.get(&i) {
            return Ok(l);
        }
        let sim = train.run(&params(i), jobs)?;
        let l = loss(&by_hour(observed, &sim));
        cache.insert(i, l);
        tried.push((params(i), l));
        Ok(l)
    };
    let mut best = eval(at, &mut tried)?;
    for _ in 0..MAX_PASSES {
        let before = at;
        for (d, grid) in grids.iter().enumerate() {
            for k in 0..grid.len() {
                let mut i = at;
                i[d] = k;
                let l = eval(i, &mut tried)?;
                if l < best {
                    (best, at) = (l, i);
                }
            }
        }
        if at == before {
            break;
        }
    }
    Ok(Fit { params: params(at), loss: best, tried })
}
