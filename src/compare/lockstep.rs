//! Common random numbers: every option of a compare set runs on the same
//! trial indices with the same seed, in lockstep. For each trial index the
//! options' simulators run one after the other, and the per-trial costs are
//! compared right away, so the paired differences are exact per trial.
//!
//! Everything is stored in exact, mergeable histograms (the difference of
//! two trials' costs is a whole number of cents), so memory does not grow
//! with the number of trials and the fixed-batch parallel fold gives the
//! same statistics for any number of threads.

use crate::engine::{CycleMetrics, Model, Simulator, TrialObserver, TrialTotals};
use crate::runner::{BATCH_TRIALS, Progress};
use crate::stats::{Histogram, RunStats};
use rayon::prelude::*;
use std::ops::Range;

/// What a compare set's trials produced: each option's full statistics and
/// each pair's paired cost differences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompareStats {
    pub options: Vec<RunStats>,
    /// Every pair `a < b`, in the order (0,1), (0,2), …, (1,2), …
    pub pairs: Vec<PairStats>,
}

/// The per-trial cost difference of options `a` and `b` over the horizon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PairStats {
    pub a: usize,
    pub b: usize,
    /// total_cost(a) − total_cost(b) of each trial, in cents.
    pub difference: Histogram,
    /// Trials in which `a` cost strictly less than `b`.
    pub a_cheaper: u64,
    /// Trials in which `b` cost strictly less than `a`.
    pub b_cheaper: u64,
    /// Trials in which both cost exactly the same.
    pub ties: u64,
}

impl PairStats {
    fn new(a: usize, b: usize) -> PairStats {
        PairStats {
            a,
            b,
            difference: Histogram::new(),
            a_cheaper: 0,
            b_cheaper: 0,
            ties: 0,
        }
    }

    fn record(&mut self, cost_a: i64, cost_b: i64) {
        self.difference.record(cost_a - cost_b);
        match cost_a.cmp(&cost_b) {
            std::cmp::Ordering::Less => self.a_cheaper += 1,
            std::cmp::Ordering::Greater => self.b_cheaper += 1,
            std::cmp::Ordering::Equal => self.ties += 1,
        }
    }

    fn merge(&mut self, other: &PairStats) {
        self.difference.merge(&other.difference);
        self.a_cheaper += other.a_cheaper;
        self.b_cheaper += other.b_cheaper;
        self.ties += other.ties;
    }

    pub fn trials(&self) -> u64 {
        self.a_cheaper + self.b_cheaper + self.ties
    }
}

impl CompareStats {
    pub fn new(options: usize, months: u32) -> CompareStats {
        let pairs = (0..options)
            .flat_map(|a| (a + 1..options).map(move |b| PairStats::new(a, b)))
            .collect();
        CompareStats {
            options: vec![RunStats::new(months); options],
            pairs,
        }
    }

    /// Adds another set of trials; exact, so the order does not matter.
    pub fn merge(&mut self, other: &CompareStats) {
        for (mine, theirs) in self.options.iter_mut().zip(&other.options) {
            mine.merge(theirs);
        }
        for (mine, theirs) in self.pairs.iter_mut().zip(&other.pairs) {
            mine.merge(theirs);
        }
    }

    pub fn trials(&self) -> u64 {
        self.options.first().map_or(0, |o| o.trials)
    }

    pub fn months(&self) -> usize {
        self.options.first().map_or(0, RunStats::months)
    }

    /// Runs trial `trial` of every option and records it.
    fn observe(&mut self, sims: &mut [Simulator<'_>], trial: u64, costs: &mut [i64]) {
        for ((sim, stats), cost) in sims.iter_mut().zip(&mut self.options).zip(costs.iter_mut()) {
            let mut tap = Tap { stats, cost: 0 };
            sim.run_trial(trial, &mut tap);
            *cost = tap.cost;
        }
        for pair in &mut self.pairs {
            pair.record(costs[pair.a], costs[pair.b]);
        }
    }
}

/// Forwards a trial to an option's statistics and keeps its total cost.
struct Tap<'a> {
    stats: &'a mut RunStats,
    cost: i64,
}

impl TrialObserver for Tap<'_> {
    fn cycle(&mut self, index: usize, metrics: &CycleMetrics) {
        self.stats.cycle(index, metrics);
    }

    fn trial(&mut self, totals: &TrialTotals) {
        self.stats.trial(totals);
        self.cost = totals.sums.total_cost();
    }
}

/// Simulates trials `range` of every model in lockstep on the current rayon
/// pool: fixed batches of trial indices, folded per thread and merged
/// exactly, like `runner::simulate`. The models must share seed and months.
pub fn simulate(models: &[Model], range: Range<u64>, progress: &Progress) -> CompareStats {
    let months = models.first().map_or(1, |m| m.scenario.months);
    let n = models.len();
    let batches = range.end.saturating_sub(range.start).div_ceil(BATCH_TRIALS);
    let fresh = || {
        let sims: Vec<Simulator<'_>> = models.iter().map(Simulator::new).collect();
        (sims, CompareStats::new(n, months), vec![0i64; n])
    };
    (0..batches)
        .into_par_iter()
        .fold(fresh, |(mut sims, mut stats, mut costs), batch| {
            let first = range.start + batch * BATCH_TRIALS;
            let last = (first + BATCH_TRIALS).min(range.end);
            for trial in first..last {
                // Ctrl-C: stop here; the caller discards the cut round.
                if crate::runner::interrupted() {
                    break;
                }
                stats.observe(&mut sims, trial, &mut costs);
            }
            progress.advance(last - first);
            (sims, stats, costs)
        })
        .map(|(_, stats, _)| stats)
        .reduce(
            || CompareStats::new(n, months),
            |mut a, b| {
                a.merge(&b);
                a
            },
        )
}
