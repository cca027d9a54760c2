//! Patience by contact type, from the log, and each contact's own draw of it.
//!
//! A served customer's patience is censored (they waited and did not give up, by an unknown margin), an
//! abandoned one's is observed. For an exponential patience the maximum-likelihood mean from such data is the
//! total time waited over the number who gave up. Contact types differ a lot (on the bank's log, prospective
//! customers `NW` 211 s, regular `PS` 446 s, stock exchange `NE` 794 s), and their mix changes by hour of day,
//! so each type with at least [`MIN_ABANDONED`] abandonments in the training window gets its own mean; the rest
//! share the pooled one. Calibration fits one factor on all of them.
//!
//! Each contact draws its patience as mean x `E`, `E` a standard exponential from a stream seeded by the
//! contact's place in the trace and the replication: every candidate of the fit, and the test, gives the same customer the same
//! draw (common random numbers), so candidates differ only by their parameters.

use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;
use std::collections::BTreeMap;

/// A type needs this many abandonments in the training window for a patience of its own.
pub const MIN_ABANDONED: f64 = 30.0;
/// Seed of the per-contact patience draws.
pub const SEED: u64 = 0x5EED_CA1B;

/// Patience means by type, seconds, before the fitted factor.
#[derive(Debug, Clone, PartialEq)]
pub struct TypePatience {
    /// Types with their own mean.
    pub by_type: BTreeMap<String, f64>,
    /// Everyone else's.
    pub pooled: f64,
}

impl TypePatience {
    /// Estimates from logged (type, abandoned, wait seconds) of the training window.
    pub fn estimate<'a>(logged: impl Iterator<Item = (&'a str, bool, f64)>) -> TypePatience {
        let mut per: BTreeMap<String, (f64, f64)> = BTreeMap::new();
        let (mut wait, mut gave_up) = (0.0, 0.0);
        for (kind, abandoned, w) in logged {
            let e = per.entry(kind.to_string()).or_default();
            e.0 += w;
            e.1 += f64::from(u8::from(abandoned));
            wait += w;
            gave_up += f64::from(u8::from(abandoned));
        }
        let pooled = if gave_up > 0.0 { wait / gave_up } else { 180.0 };
        let by_type = per
            .into_iter()
            .filter(|(k, (_, a))| !k.is_empty() && *a >= MIN_ABANDONED)
            .map(|(k, (w, a))| (k, w / a))
            .collect();
        TypePatience { by_type, pooled }
    }

    /// The mean of a type.
    pub fn mean(&self, kind: &str) -> f64 {
        self.by_type.get(kind).copied().unwrap_or(self.pooled)
    }

    /// `PS 446 s, NW 211 s, other types (pooled) 345 s`, each times `factor`.
    pub fn describe(&self, factor: f64) -> String {
        let mut parts: Vec<String> = self.by_type.iter().map(|(k, m)| format!("{k} {:.0} s", m * factor)).collect();
        let rest = if self.by_type.is_empty() { "all types" } else { "other types (pooled)" };
        parts.push(format!("{rest} {:.0} s", self.pooled * factor));
        parts.join(", ")
    }
}

/// The standard exponential draw of the contact at `index` in the trace, in replication `r`.
pub fn unit_draw(index: usize, r: u32) -> f64 {
    let key = (index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ u64::from(r).wrapping_mul(0xD1B5_4A32_D192_ED03);
    let mut rng = Pcg64Mcg::seed_from_u64(SEED ^ key);
    -(1.0 - rng.random::<f64>()).ln()
}
