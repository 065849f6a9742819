//! Progress bars on a terminal, nothing otherwise (indicatif hides itself off a TTY).

use indicatif::{ProgressBar, ProgressStyle};

/// A bar for one phase of `total` steps, labelled `phase`.
pub fn bar(phase: &'static str, total: u64) -> ProgressBar {
    let bar = ProgressBar::new(total);
    let style = ProgressStyle::with_template("{prefix:>10} [{bar:30}] {pos}/{len} {wide_msg}")
        .expect("static template")
        .progress_chars("=> ");
    bar.set_style(style);
    bar.set_prefix(phase);
    bar
}
