//! The progress bar: one factory, on stderr, drawn only on a terminal and
//! never with `--quiet`, so data on stdout never mixes with it.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

#[derive(Debug)]
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A bar for `trials` trials, hidden when `wanted` is false or stderr is
    /// not a terminal.
    pub fn new(trials: u64, wanted: bool) -> Progress {
        if !wanted || !std::io::stderr().is_terminal() {
            return Progress { bar: None };
        }
        let bar = ProgressBar::with_draw_target(Some(trials), ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template(
            "{spinner} {elapsed_precise} [{wide_bar}] {human_pos}/{human_len} trials ({rate}, ETA {eta})",
        )
        .map(|s| {
            // indicatif's {per_sec} prints four decimals ("123456.7891/s").
            s.with_key("rate", |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = w.write_str(&crate::numbers::per_second(state.per_sec()));
            })
        })
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style.progress_chars("=> "));
        Progress { bar: Some(bar) }
    }

    pub fn hidden() -> Progress {
        Progress { bar: None }
    }

    /// The trials planned so far become the bar's length, which a run that
    /// adds rounds as it goes (`--precision`) grows round by round, so one
    /// bar counts the whole run rather than one that restarts each round.
    pub fn plan(&self, trials: u64) {
        if let Some(bar) = &self.bar {
            bar.set_length(trials);
        }
    }

    pub fn advance(&self, trials: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(trials);
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
