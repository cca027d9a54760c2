//! The progress bar of a sweep or a staffing search on stderr: hidden with `--quiet` or when stderr is not a
//! terminal, so scripts and CI logs stay clean.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// A bar counting `len` simulations, or a hidden one when not `wanted` or stderr is not a terminal.
pub fn progress_bar(len: u64, wanted: bool) -> ProgressBar {
    if !wanted || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    let style =
        ProgressStyle::with_template("{spinner} sweeping [{bar:30}] {pos}/{len} runs, {elapsed} elapsed, eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style.progress_chars("=> "));
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}
