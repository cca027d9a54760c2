//! Sharding: one slice of a sweep's grid per machine, for Slurm job arrays and Kubernetes Indexed Jobs.
//!
//! Shard `K/N` (K from 1 to N) runs the points `i` with `i % N == K - 1`: round robin rather than contiguous
//! blocks, because neighbouring points usually cost about the same (a sweep over `agents.count` gets slower as
//! the queue shrinks or grows), so round robin gives every shard a similar mix. Each point's seed depends only on
//! its index in the whole grid, so a point gives the same numbers whichever shard runs it, and `chatcap merge`
//! can join the shards into the very file one machine would have written.
//!
//! `--shard auto` reads the environment:
//! - Slurm job arrays: `SLURM_ARRAY_TASK_ID` (K-1 when the array is `--array=0-(N-1)`) and
//!   `SLURM_ARRAY_TASK_COUNT` (N). Arrays numbered from 1 work as well when `SLURM_ARRAY_TASK_MIN` is 1: the
//!   index is taken relative to the minimum.
//! - Kubernetes Indexed Jobs: `JOB_COMPLETION_INDEX` (0 to N-1) and `CHATCAP_SHARD_COUNT` (N), which the
//!   manifest sets to the Job's `completions` (Kubernetes does not export it itself).

use super::grid::MAX_POINTS;
use crate::{Error, Result};

/// The most shards a sweep may be split into: one per point of the largest grid. A larger `N` is a typo, and
/// `merge` must never size anything from an unchecked count.
pub const MAX_SHARDS: usize = MAX_POINTS;

/// One slice of a grid: shard `index` (1-based) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which shard, from 1 to `count`.
    pub index: usize,
    /// How many shards share the grid.
    pub count: usize,
}

impl Shard {
    /// The whole grid as one shard.
    pub const ALL: Shard = Shard { index: 1, count: 1 };

    /// Parses `K/N` or `auto` (reading `env` for the variables above); errors name `--shard`.
    pub fn parse(text: &str, env: impl Fn(&str) -> Option<String>) -> Result<Shard> {
        let text = text.trim();
        if text == "auto" {
            return from_env(env);
        }
        let fail = |what: &str| Error::Input(format!("--shard {text}: {what}"));
        let Some((k, n)) = text.split_once('/') else {
            return Err(fail("expected K/N (this is shard K of N, from 1/N to N/N) or auto"));
        };
        let (Ok(index), Ok(count)) = (k.trim().parse::<usize>(), n.trim().parse::<usize>()) else {
            return Err(fail("K and N must be whole numbers, as in 2/8"));
        };
        Shard::new(index, count).map_err(|what| fail(&what))
    }

    /// A shard, checked: `1 <= index <= count <= MAX_SHARDS`.
    pub fn new(index: usize, count: usize) -> std::result::Result<Shard, String> {
        if count == 0 {
            return Err("N must be at least 1".into());
        }
        if count > MAX_SHARDS {
            return Err(format!(
                "N must be at most {MAX_SHARDS} (one shard per point of the largest grid), got {count}"
            ));
        }
        if index == 0 || index > count {
            return Err(format!("K must be from 1 to {count}"));
        }
        Ok(Shard { index, count })
    }

    /// Whether point `point` of the grid belongs to this shard.
    pub fn owns(&self, point: usize) -> bool {
        point % self.count == self.index - 1
    }

    /// How many points of a grid of `len` points this shard runs.
    pub fn points_in(&self, len: usize) -> usize {
        len.saturating_sub(self.index - 1).div_ceil(self.count)
    }

    /// The points of a grid of `len` points that this shard runs, in order.
    pub fn points(&self, len: usize) -> Vec<usize> {
        (0..len).filter(|&p| self.owns(p)).collect()
    }
}

/// `--shard auto`: Slurm's array variables, else Kubernetes' completion index with `CHATCAP_SHARD_COUNT`.
fn from_env(env: impl Fn(&str) -> Option<String>) -> Result<Shard> {
    let number = |name: &str| -> Result<Option<usize>> {
        match env(name) {
            None => Ok(None),
            Some(v) => v
                .trim()
                .parse::<usize>()
                .map(Some)
                .map_err(|_| Error::Input(format!("--shard auto: {name}={v:?} is not a whole number"))),
        }
    };
    let (index0, count, source) = if let Some(id) = number("SLURM_ARRAY_TASK_ID")? {
        let count = number("SLURM_ARRAY_TASK_COUNT")?.ok_or_else(|| {
            Error::Input("--shard auto: SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not".into())
        })?;
        let min = number("SLURM_ARRAY_TASK_MIN")?.unwrap_or(0);
        let Some(index0) = id.checked_sub(min) else {
            return Err(Error::Input(format!("--shard auto: SLURM_ARRAY_TASK_ID {id} is below SLURM_ARRAY_TASK_MIN")));
        };
        (index0, count, "SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT")
    } else if let Some(id) = number("JOB_COMPLETION_INDEX")? {
        let count = number("CHATCAP_SHARD_COUNT")?.ok_or_else(|| {
            Error::Input(
                "--shard auto: JOB_COMPLETION_INDEX is set but CHATCAP_SHARD_COUNT is not; set it to the Job's \
                 completions"
                    .into(),
            )
        })?;
        (id, count, "JOB_COMPLETION_INDEX/CHATCAP_SHARD_COUNT")
    } else {
        return Err(Error::Input(
            "--shard auto: neither SLURM_ARRAY_TASK_ID (Slurm job array) nor JOB_COMPLETION_INDEX (Kubernetes \
             Indexed Job) is set; use --shard K/N"
                .into(),
        ));
    };
    Shard::new(index0 + 1, count).map_err(|what| Error::Input(format!("--shard auto ({source}): {what}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn explicit_shards() {
        let s = Shard::parse("2/3", env(&[])).unwrap();
        assert_eq!(s, Shard { index: 2, count: 3 });
        assert_eq!(s.points(8), [1, 4, 7]);
        for len in 0..10 {
            assert_eq!(s.points_in(len), s.points(len).len(), "{len}");
        }
        for bad in [
            "0/3",
            "4/3",
            "1/0",
            "a/b",
            "3",
            "",
            "1/2/3",
            "1/100001",
            "1/18446744073709551615",
            "1/99999999999999999999",
        ] {
            let e = Shard::parse(bad, env(&[])).unwrap_err().to_string();
            assert!(e.starts_with("--shard"), "{bad}: {e}");
        }
    }

    #[test]
    fn shards_partition_the_grid() {
        let mut all: Vec<usize> = (1..=4).flat_map(|k| Shard { index: k, count: 4 }.points(10)).collect();
        all.sort_unstable();
        assert_eq!(all, (0..10).collect::<Vec<_>>());
    }

    #[test]
    fn auto_reads_slurm_then_kubernetes() {
        let slurm = env(&[("SLURM_ARRAY_TASK_ID", "0"), ("SLURM_ARRAY_TASK_COUNT", "4")]);
        assert_eq!(Shard::parse("auto", slurm).unwrap(), Shard { index: 1, count: 4 });
        let from_one =
            env(&[("SLURM_ARRAY_TASK_ID", "4"), ("SLURM_ARRAY_TASK_COUNT", "4"), ("SLURM_ARRAY_TASK_MIN", "1")]);
        assert_eq!(Shard::parse("auto", from_one).unwrap(), Shard { index: 4, count: 4 });
        let k8s = env(&[("JOB_COMPLETION_INDEX", "2"), ("CHATCAP_SHARD_COUNT", "3")]);
        assert_eq!(Shard::parse("auto", k8s).unwrap(), Shard { index: 3, count: 3 });
        for bad in [
            env(&[]),
            env(&[("SLURM_ARRAY_TASK_ID", "1")]),
            env(&[("JOB_COMPLETION_INDEX", "1")]),
            env(&[("JOB_COMPLETION_INDEX", "3"), ("CHATCAP_SHARD_COUNT", "3")]),
            env(&[("JOB_COMPLETION_INDEX", "x"), ("CHATCAP_SHARD_COUNT", "3")]),
        ] {
            let e = Shard::parse("auto", bad).unwrap_err().to_string();
            assert!(e.starts_with("--shard auto"), "{e}");
        }
    }
}
