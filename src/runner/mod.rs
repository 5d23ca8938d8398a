//! Many trials in parallel: fixed-size batches on a rayon pool, each thread
//! folding its trials into its own [`RunStats`], then an exact merge. Every
//! trial seeds its own random streams from `(seed, trial)`, so the result
//! does not depend on the number of threads or on scheduling.
//!
//! [`run`] goes in sequential rounds of parallel batches and every trial
//! first checks for Ctrl-C ([`interrupt`]). A round cut short is thrown
//! away, so an interrupted run holds exactly trials `0..n` (`n` a whole
//! number of rounds): a prefix, reproducible with `--trials n`.

pub mod memory;
mod progress;

use crate::engine::{Model, Simulator};
use crate::stats::{BulkStats, RunStats};
use rayon::prelude::*;
use std::time::{Duration, Instant};

pub use crate::interrupt::{Interrupted, catch_ctrl_c, interrupted};
pub use progress::Progress;

/// Trials per batch: large enough that scheduling costs nothing, small
/// enough that the progress bar moves and the threads finish together.
pub const BATCH_TRIALS: u64 = 1024;

/// The most worker threads: `--threads` allows 1 to this, and without it
/// every core is used up to this, so that every run, and the partial state
/// of every shard, says a thread count within it (`merge` refuses one that
/// does not).
pub const MAX_THREADS: usize = 1024;

/// Batches per worker thread in one round of [`run`]: enough that threads
/// finish a round together, few enough that an interrupted run loses little.
pub(crate) const ROUND_BATCHES_PER_THREAD: u64 = 4;

#[derive(Debug, Clone, Copy, Default)]
pub struct RunOptions {
    /// Worker threads; `None` uses every core.
    pub threads: Option<usize>,
    /// Show a progress bar on stderr (only drawn on a terminal).
    pub progress: bool,
}

#[derive(Debug)]
pub struct RunOutcome {
    /// Trials `0..stats.trials`: all of them, or those of the rounds
    /// completed before Ctrl-C.
    pub stats: RunStats,
    pub threads: usize,
    pub wall_time: Duration,
    /// False when Ctrl-C stopped the run before every trial was simulated.
    pub complete: bool,
}

/// Runs `trials` trials of `model`'s scenario, starting at trial 0, in
/// rounds; after Ctrl-C it returns the rounds completed (`complete` false).
pub fn run(
    model: &Model,
    trials: u64,
    options: RunOptions,
) -> Result<RunOutcome, rayon::ThreadPoolBuildError> {
    run_range(model, 0..trials, options)
}

/// Runs trials `range` of `model`'s scenario (a shard's share, or all of
/// them from 0), in rounds; after Ctrl-C it returns the rounds completed,
/// a prefix of `range` (`complete` false).
pub fn run_range(
    model: &Model,
    range: std::ops::Range<u64>,
    options: RunOptions,
) -> Result<RunOutcome, rayon::ThreadPoolBuildError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(memory::threads(options.threads))
        .build()?;
    let started = Instant::now();
    let progress = Progress::new(range.end.saturating_sub(range.start), options.progress);
    let round = BATCH_TRIALS * ROUND_BATCHES_PER_THREAD * pool.current_num_threads() as u64;
    let mut stats = RunStats::new(model.scenario.months);
    let mut next = range.start;
    while next < range.end && !interrupted() {
        let this = next..next.saturating_add(round).min(range.end);
        let done = pool.install(|| simulate(model, this.clone(), &progress));
        if interrupted() {
            break; // the round may be cut short: not a prefix, so dropped
        }
        stats.merge(&done);
        next = this.end;
    }
    progress.finish();
    Ok(RunOutcome {
        complete: next >= range.end,
        stats,
        threads: pool.current_num_threads(),
        wall_time: started.elapsed(),
    })
}

/// Simulates the trials in `range` on the current rayon pool. After Ctrl-C
/// the remaining trials are skipped, so the result then holds an arbitrary
/// subset of `range`: callers check [`interrupted`] and drop it.
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
                let mut recorder = BulkStats::new(&mut stats);
                for trial in first..last {
                    if interrupted() {
                        drop(recorder);
                        return (sim, stats);
                    }
                    sim.run_trial(trial, &mut recorder);
                }
                drop(recorder);
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
