//! `chatcap sweep` and `chatcap merge`: run a grid of scenario variations, and join sharded runs.

use super::{Settings, default_out};
use crate::report::csv::to_csv;
use crate::sweep::manifest::Manifest;
use crate::sweep::merge::merge as merge_folders;
use crate::sweep::output::{SweepFiles, write_folder};
use crate::sweep::run::run_sweep;
use crate::sweep::{Grid, Shard};
use crate::{Error, Result};
use std::path::PathBuf;

/// What `chatcap sweep` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct SweepRequest {
    /// The scenario file.
    pub scenario: PathBuf,
    /// `KEY=SPEC` flags.
    pub varies: Vec<String>,
    /// Output folder; `output/<scenario stem>-sweep/` when absent.
    pub out: Option<PathBuf>,
    /// Seed, replications, threads, overrides, progress.
    pub settings: Settings,
    /// `K/N` or `auto`; the whole grid when absent.
    pub shard: Option<String>,
}

/// Runs the sweep (or its shard), writes the folder and returns the text to print.
pub fn sweep(request: &SweepRequest) -> Result<String> {
    let grid = Grid::parse(&request.varies)?;
    let shard = match &request.shard {
        Some(text) => Shard::parse(text, |name| std::env::var(name).ok())?,
        None => Shard::ALL,
    };
    let sets = request.settings.overrides();
    let out = request.out.clone().unwrap_or_else(|| {
        let mut dir = default_out(&request.scenario).into_os_string();
        dir.push("-sweep");
        PathBuf::from(dir)
    });
    let result = run_sweep(&request.scenario, &sets, &grid, shard, request.settings.jobs, !request.settings.quiet)?;
    let (sweep_csv, paired_csv) = (to_csv(&result.sweep)?, to_csv(&result.paired)?);
    let manifest = Manifest::new(&result.scenario, &sets, &grid, shard).with_rows(&sweep_csv, &paired_csv);
    let files = SweepFiles { manifest, sweep_csv, paired_csv };
    write_folder(&out, &files)?;
    let mine = shard.points(grid.len()).len();
    let mut text = format!(
        "{}: sweep of {} points ({}), {} simulations\n",
        result.scenario.name,
        grid.len(),
        grid.keys().join(" x "),
        result.runs
    );
    if shard.count > 1 {
        text.push_str(&format!(
            "Shard {}/{}: {mine} of the points. Join the shards with chatcap merge DIR... --out DIR\n",
            shard.index, shard.count
        ));
        text.push_str(&format!("Wrote {}/ (sweep.csv, paired.csv, sweep.toml)\n", out.display()));
    } else {
        text.push_str(&format!("Wrote {}/ (sweep.csv, paired.csv, report.html, plots/)\n", out.display()));
    }
    Ok(text)
}

/// `chatcap merge DIR... --out DIR`: joins shard folders and writes the whole sweep's folder.
pub fn merge(dirs: &[PathBuf], out: &std::path::Path) -> Result<String> {
    if dirs.iter().any(|d| d == out) {
        return Err(Error::Input("merge: --out must be a new folder, not one of the shards".into()));
    }
    let files = merge_folders(dirs)?;
    write_folder(out, &files)?;
    Ok(format!(
        "{}: merged {} shards, {} points\nWrote {}/ (sweep.csv, paired.csv, report.html, plots/)\n",
        files.manifest.scenario,
        dirs.len(),
        files.manifest.points,
        out.display()
    ))
}
