//! The search: coordinate descent over a grid of each parameter, every candidate facing the same customers.
//!
//! Every evaluation uses the scenario's seed, so candidates differ only by their parameters (common random
//! numbers: each customer draws from their own stream). Starting from availability 1, the log's
//! maximum-likelihood patience (factor 1) and no after-call work, each parameter in turn moves to its best grid value with
//! the others held; passes repeat until a pass changes nothing (at most [`MAX_PASSES`]).

use super::compare::{MIN_CALLS, by_hour, loss};
use super::head_start::{HEAD_START_S, Move};
use super::model::{Params, WindowRun};
use crate::Result;
use crate::history::Observed;
use std::collections::BTreeMap;

/// Share of inferred agents answering.
pub const AVAILABILITY: [f64; 23] = [
    0.40, 0.45, 0.50, 0.55, 0.60, 0.65, 0.70, 0.75, 0.80, 0.85, 0.90, 0.95, 1.00, 1.05, 1.10, 1.15, 1.20, 1.25, 1.30,
    1.35, 1.40, 1.45, 1.50,
];
/// Factor on the log's patience means by type.
pub const PATIENCE_FACTOR: [f64; 17] =
    [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.35, 1.5, 1.7, 2.0, 2.5, 3.0, 4.0];
/// After-call work per contact, seconds.
pub const WRAP_UP_S: [f64; 15] =
    [0.0, 5.0, 10.0, 15.0, 20.0, 25.0, 30.0, 40.0, 50.0, 60.0, 75.0, 90.0, 110.0, 130.0, 160.0];
/// An hour's availability stays within this many grid steps (0.05 each) of the whole day's: breaks move
/// availability by a few percent from hour to hour, and a larger swing fitted on a few weeks is more likely
/// noise in that hour's history than a habit of the team.
pub const HOURLY_STEPS: usize = 2;
/// Passes over the parameters at most.
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
    /// Where the head start applies; empty when the parameter does not exist (and was not searched).
    pub moves: Vec<Move>,
}

fn nearest(grid: &[f64], v: f64) -> usize {
    (0..grid.len()).min_by(|&a, &b| (grid[a] - v).abs().total_cmp(&(grid[b] - v).abs())).unwrap_or(0)
}

/// A point of the search: grid indices of availability by hour (24), patience, after-call work and head start
/// (0 strict priority, k > 0 `HEAD_START_S[k - 1]`).
type Point = [usize; 27];
const PATIENCE: usize = 24;
const WRAP: usize = 25;
const HEAD: usize = 26;

/// One coordinate of the search: every hour's availability at once, one hour's, patience or after-call work.
#[derive(Debug, Clone, Copy)]
enum Dim {
    /// Every hour's availability, one value.
    AllHours,
    /// Hours `[a, b)` together.
    Hours(usize, usize),
    /// Patience factor, after-call work or head start, by index in the point.
    Other(usize),
}

fn params(i: &Point) -> Params {
    Params {
        availability: std::array::from_fn(|h| AVAILABILITY[i[h]]),
        patience_factor: PATIENCE_FACTOR[i[PATIENCE]],
        wrap_up_s: WRAP_UP_S[i[WRAP]],
        head_start_s: i[HEAD].checked_sub(1).map(|k| HEAD_START_S[k]),
    }
}

/// Fits the parameters on the training window, starting at availability 1, the log's patience and no
/// after-call work. First one availability for
/// every hour, with patience and after-call work; then, if `by_hour_of_day` and availability applies to an
/// inferred schedule,
/// availability hour by hour for the hours with at least [`MIN_CALLS`] training contacts (breaks and other
/// duties cluster by hour of day), patience and after-call work again. The head start, when the window has one
/// ([`WindowRun::head_start`]), is searched after after-call work in both phases.
pub fn fit(train: &WindowRun, observed: &[Observed], by_hour_of_day: bool, jobs: usize) -> Result<Fit> {
    let mut at: Point = [nearest(&AVAILABILITY, 1.0); 27];
    at[PATIENCE] = nearest(&PATIENCE_FACTOR, 1.0);
    at[WRAP] = 0;
    at[HEAD] = 0;
    let mut cache: BTreeMap<Point, f64> = BTreeMap::new();
    let mut tried = Vec::new();
    let mut eval = |i: &Point, tried: &mut Vec<(Params, f64)>| -> Result<f64> {
        if let Some(&l) = cache.get(i) {
            return Ok(l);
        }
        let p = params(i);
        let l = loss(&by_hour(observed, &train.run(&p, jobs)?));
        cache.insert(*i, l);
        tried.push((p, l));
        Ok(l)
    };
    let mut best = eval(&at, &mut tried)?;
    let busy: Vec<usize> =
        by_hour(observed, &[]).iter().enumerate().filter(|(_, h)| h.offered >= MIN_CALLS).map(|(k, _)| k).collect();
    let others: &[Dim] = if train.head_start().is_empty() {
        &[Dim::Other(PATIENCE), Dim::Other(WRAP)]
    } else {
        &[Dim::Other(PATIENCE), Dim::Other(WRAP), Dim::Other(HEAD)]
    };
    let mut global = vec![Dim::AllHours];
    global.extend_from_slice(others);
    let mut hourly: Vec<Dim> = busy.iter().map(|&h| Dim::Hours(h, h + 1)).collect();
    hourly.extend_from_slice(others);
    let phases: Vec<&[Dim]> =
        if train.has_presence() && by_hour_of_day { vec![&global[..], &hourly[..]] } else { vec![&global[..]] };
    let mut global_at = None;
    for dims in phases {
        if matches!(dims.first(), Some(Dim::Hours(..))) {
            global_at = Some(at[0]);
        }
        for _ in 0..MAX_PASSES {
            let before = at;
            for &dim in dims {
                let range = match dim {
                    Dim::AllHours => 0..AVAILABILITY.len(),
                    Dim::Hours(..) => {
                        let g = global_at.unwrap_or(at[0]);
                        g.saturating_sub(HOURLY_STEPS)..(g + HOURLY_STEPS + 1).min(AVAILABILITY.len())
                    }
                    Dim::Other(PATIENCE) => 0..PATIENCE_FACTOR.len(),
                    Dim::Other(HEAD) => 0..HEAD_START_S.len() + 1,
                    Dim::Other(_) => 0..WRAP_UP_S.len(),
                };
                for k in range {
                    let mut i = at;
                    match dim {
                        Dim::AllHours => i[..24].fill(k),
                        Dim::Hours(a, b) => i[a..b].fill(k),
                        Dim::Other(h) => i[h] = k,
                    }
                    let l = eval(&i, &mut tried)?;
                    if l < best {
                        (best, at) = (l, i);
                    }
                }
            }
            if at == before {
                break;
            }
        }
    }
    Ok(Fit { params: params(&at), loss: best, tried, moves: train.head_start().to_vec() })
}
