//! Writing a sweep output folder: `sweep.csv`, `paired.csv`, `sweep.toml`, and for a whole grid the charts
//! (`plots/sweep_<metric>.png` and `.svg`) and `report.html`.
//!
//! Everything is staged under temporary names and renamed at the end (`crate::report::atomic`): a failure leaves
//! no half-written file. The charts and the page are drawn from the CSV text itself, so a merged folder and a
//! single-machine folder with the same `sweep.csv` get the same charts and page, byte for byte. A shard of a
//! larger grid writes only the CSVs and the manifest; `chatcap merge` draws the rest.

use super::chart::{CHARTED, chart_data, render_png, render_svg};
use super::manifest::{MANIFEST, Manifest};
use super::page::page;
use crate::report::atomic::Staging;
use crate::report::csv::from_csv;
use crate::{Error, Result};
use std::path::Path;

/// The CSV texts and manifest of a sweep folder.
#[derive(Debug, Clone)]
pub struct SweepFiles {
    /// `sweep.toml`.
    pub manifest: Manifest,
    /// The text of `sweep.csv`.
    pub sweep_csv: String,
    /// The text of `paired.csv`.
    pub paired_csv: String,
}

/// Writes the folder `dir` (created if needed). Charts and `report.html` only when the manifest covers the whole
/// grid (`shard = "1/1"`).
pub fn write_folder(dir: &Path, files: &SweepFiles) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut staging = Staging::new();
    staging.write(&dir.join("sweep.csv"), files.sweep_csv.as_bytes())?;
    staging.write(&dir.join("paired.csv"), files.paired_csv.as_bytes())?;
    staging.write(&dir.join(MANIFEST), files.manifest.to_text()?.as_bytes())?;
    if files.manifest.shard()?.count == 1 {
        crate::report::register_fonts()?;
        let sweep = from_csv(&files.sweep_csv)?;
        let paired = from_csv(&files.paired_csv)?;
        let plots = dir.join("plots");
        std::fs::create_dir_all(&plots).map_err(|e| Error::io(&plots, e))?;
        let mut svgs = Vec::new();
        for (metric, title, share) in CHARTED.into_iter().filter(|(metric, _, _)| sweep.column(metric).is_some()) {
            let data = chart_data(&sweep, &files.manifest.keys, metric);
            let stem = format!("sweep_{metric}");
            let svg = render_svg(title, share, &data)?;
            staging.write(&plots.join(format!("{stem}.svg")), svg.as_bytes())?;
            staging.write_with(&plots.join(format!("{stem}.png")), |tmp| render_png(title, share, &data, tmp))?;
            svgs.push((stem, title.to_string(), svg));
        }
        let html = page(&files.manifest, &sweep, &paired, &svgs);
        staging.write(&dir.join("report.html"), html.as_bytes())?;
    }
    staging.commit()
}
