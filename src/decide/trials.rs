//! The outcome of every trial of one model, kept in trial order: what
//! `solve` and `recommend` compare trial by trial. Trial `i` of any model
//! runs on the random numbers of (seed, i) (`runner`), so two models run
//! on the same trial indices are paired on common random numbers, and the
//! result does not depend on the number of threads.

use crate::engine::{CycleMetrics, Model, Simulator, TrialObserver, TrialTotals};
use crate::runner::{BATCH_TRIALS, Progress, interrupted};
use rayon::prelude::*;
use std::ops::Range;

/// What `solve` and `recommend` need of one trial (24 bytes).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Total cost over the horizon, in cents.
    pub cost_cents: i64,
    pub months_exhausted: u64,
    pub blocked: u64,
}

struct Keep(Outcome);

impl TrialObserver for Keep {
    fn cycle(&mut self, _index: usize, _metrics: &CycleMetrics) {}

    fn trial(&mut self, t: &TrialTotals) {
        self.0 = Outcome {
            cost_cents: t.sums.total_cost(),
            months_exhausted: t.months_exhausted,
            blocked: t.sums.blocked,
        };
    }
}

/// Trials `range` of `model` on the current rayon pool, in trial order.
/// On Ctrl-C the batches still to run are skipped: the caller checks
/// `interrupted()` and discards the result.
pub fn simulate(model: &Model, range: Range<u64>, progress: &Progress) -> Vec<Outcome> {
    let batches = range.end.saturating_sub(range.start).div_ceil(BATCH_TRIALS);
    let parts: Vec<Vec<Outcome>> = (0..batches)
        .into_par_iter()
        .map_init(
            || Simulator::new(model),
            |sim, batch| {
                let first = range.start + batch * BATCH_TRIALS;
                let last = (first + BATCH_TRIALS).min(range.end);
                let mut out = Vec::with_capacity((last - first) as usize);
                for trial in first..last {
                    if interrupted() {
                        break;
                    }
                    let mut keep = Keep(Outcome::default());
                    sim.run_trial(trial, &mut keep);
                    out.push(keep.0);
                }
                progress.advance(last - first);
                out
            },
        )
        .collect();
    parts.concat()
}
