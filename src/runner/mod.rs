//! Many trials in parallel: fixed-size batches on a rayon pool, each thread
//! folding its trials into its own [`RunStats`], then an exact merge. Every
//! trial seeds its own random streams from `(seed, trial)`, so the result
//! does not depend on the number of threads or on scheduling.

mod progress;

use crate::engine::{Model, Simulator};
use crate::stats::RunStats;
use rayon::prelude::*;
use std::time::{Duration, Instant};

pub use progress::Progress;

/// Trials per batch: large enough that scheduling costs nothing, small
/// enough that the progress bar moves and the threads finish together.
pub const BATCH_TRIALS: u64 = 1024;

#[derive(Debug, Clone, Copy, Default)]
pub struct RunOptions {
    /// Worker threads; `None` uses every core.
    pub threads: Option<usize>,
    /// Show a progress bar on stderr (only drawn on a terminal).
    pub progress: bool,
}

#[derive(Debug)]
pub struct RunOutcome {
    pub stats: RunStats,
    pub threads: usize,
    pub wall_time: Duration,
}

/// Runs `trials` trials of `model`'s scenario, starting at trial 0.
pub fn run(
    model: &Model,
    trials: u64,
    options: RunOptions,
) -> Result<RunOutcome, rayon::ThreadPoolBuildError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads.unwrap_or(0))
        .build()?;
    let started = Instant::now();
    let progress = Progress::new(trials, options.progress);
    let stats = pool.install(|| simulate(model, 0..trials, &progress));
    progress.finish();
    Ok(RunOutcome {
        stats,
        threads: pool.current_num_threads(),
        wall_time: started.elapsed(),
    })
}

/// Simulates the trials in `range` on the current rayon pool.
pub fn simulate(model: &Model, range: std::ops::Range<u64>, progress: &Progress) -> RunStats {
    let months = model.scenario.months;
    let batches = range.end.saturating_sub(range.start).div_ceil(BATCH_TRIALS);
    (0..batches)
        .into_par_iter()
        .fold(
            || (Simulator::new(model), RunStats::new(months)),
            |(mut sim, mut stats), batch| {
                let first = range.start + batch * BATCH_TRIALS;
                let last = (first + BATCH_TRIALS).min(range.end);
                for trial in first..last {
                    sim.run_trial(trial, &mut stats);
                }
                progress.advance(last - first);
                (sim, stats)
            },
        )
        .map(|(_, stats)| stats)
        .reduce(
            || RunStats::new(months),
            |mut a, b| {
                a.merge(&b);
                a
            },
        )
}
