//! The outcome of every trial of one model, kept in trial order: what
//! `solve` and `recommend` compare trial by trial. Trial `i` of any model
//! runs on the random numbers of (seed, i) (`runner`), so two models run
//! on the same trial indices are paired on common random numbers, and the
//! result does not depend on the number of threads.

use crate::engine::{CycleMetrics, Model, Simulator, TrialObserver, TrialTotals};
use crate::runner::{BATCH_TRIALS, Progress, interrupted};
use rayon::prelude::*;
use std::ops::Range;

/// What `solve` and `recommend` need of one trial (32 bytes).
///
/// A decision asks whether the user can send their volume, so a send the
/// Recruiter response-rate floor refuses (credit-rules §5, Help 413271)
/// counts as one that could not go out, like a send with no credit left:
/// a plan whose floor stops the user for 14 days is not one on which they
/// "never run out" (docs/recommend.md, "What counts as running out").
/// `run`'s own metrics keep the two apart (§6: `blocked` and `exhausted`
/// are for credits; `floor_blocked_days` for the floor).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Total cost over the horizon, in cents.
    pub cost_cents: i64,
    /// Months in which a send could not go out: no credit (§6's
    /// `exhausted`) or refused by the floor.
    pub months_exhausted: u64,
    /// Sends that could not go out for lack of credit (§6's `blocked`).
    pub blocked: u64,
    /// Sends the floor refused (not in `blocked`).
    pub floor_blocked: u64,
}

impl Outcome {
    /// Every send that could not go out, for either reason.
    pub fn refused(&self) -> u64 {
        self.blocked + self.floor_blocked
    }
}

/// Whether a cycle had a send that could not go out, for either reason.
fn short(m: &CycleMetrics) -> bool {
    m.exhausted() || m.floor_blocked > 0
}

struct Keep(Outcome);

impl TrialObserver for Keep {
    fn cycle(&mut self, _index: usize, metrics: &CycleMetrics) {
        self.0.months_exhausted += u64::from(short(metrics));
    }

    fn trial(&mut self, t: &TrialTotals) {
        self.0.cost_cents = t.sums.total_cost();
        self.0.blocked = t.sums.blocked;
        self.0.floor_blocked = t.sums.floor_blocked;
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
