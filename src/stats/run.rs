//! The statistics of a whole run: one exact histogram per metric and cycle,
//! plus one per horizon metric. It observes trials as the engine produces
//! them and merges with another run's, so the runner is a parallel fold and
//! a reduce, and memory depends on the number of distinct values, never on
//! the number of trials.

use super::Histogram;
use crate::engine::{
    CYCLE_METRICS, CycleMetrics, HORIZON_METRICS, Metric, TrialObserver, TrialTotals, cycle_values,
    horizon_values,
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunStats {
    /// `per_cycle[c][i]` is metric `CYCLE_METRICS[i]` in cycle `c`.
    pub per_cycle: Vec<Vec<Histogram>>,
    /// `horizon[i]` is metric `HORIZON_METRICS[i]` over the horizon.
    pub horizon: Vec<Histogram>,
    pub trials: u64,
}

impl RunStats {
    pub fn new(months: u32) -> RunStats {
        RunStats {
            per_cycle: vec![vec![Histogram::new(); CYCLE_METRICS.len()]; months as usize],
            horizon: vec![Histogram::new(); HORIZON_METRICS.len()],
            trials: 0,
        }
    }

    /// Adds another run's statistics; exact, so the order does not matter.
    pub fn merge(&mut self, other: &RunStats) {
        for (mine, theirs) in self.per_cycle.iter_mut().zip(&other.per_cycle) {
            for (a, b) in mine.iter_mut().zip(theirs) {
                a.merge(b);
            }
        }
        for (a, b) in self.horizon.iter_mut().zip(&other.horizon) {
            a.merge(b);
        }
        self.trials += other.trials;
    }

    pub fn months(&self) -> usize {
        self.per_cycle.len()
    }

    /// Per-cycle `metric` in cycle `cycle` (0-based).
    pub fn in_cycle(&self, cycle: usize, metric: Metric) -> &Histogram {
        &self.per_cycle[cycle][cycle_index(metric)]
    }

    /// Per-cycle `metric` of every cycle, in order.
    pub fn per_cycle_of(&self, metric: Metric) -> impl Iterator<Item = &Histogram> {
        let i = cycle_index(metric);
        self.per_cycle.iter().map(move |hs| &hs[i])
    }

    /// `metric` over the horizon (`cycle = all`).
    pub fn horizon_of(&self, metric: Metric) -> &Histogram {
        &self.horizon[horizon_index(metric)]
    }

    /// Whether any trial lost credits at a plan change (docs/model.md,
    /// "Plan changes"): the outputs then show `forfeited`, which is 0 in
    /// every month of a scenario without a `[[plan_change]]`.
    pub fn forfeits(&self) -> bool {
        self.horizon_of(Metric::Forfeited)
            .summary()
            .is_some_and(|s| s.mean > 0.0)
    }

    /// For building statistics by hand (tests).
    pub fn in_cycle_mut(&mut self, cycle: usize, metric: Metric) -> &mut Histogram {
        &mut self.per_cycle[cycle][cycle_index(metric)]
    }

    /// For building statistics by hand (tests).
    pub fn horizon_of_mut(&mut self, metric: Metric) -> &mut Histogram {
        &mut self.horizon[horizon_index(metric)]
    }
}

fn horizon_index(metric: Metric) -> usize {
    let i = HORIZON_METRICS.iter().position(|m| *m == metric);
    i.expect("a horizon metric")
}

fn cycle_index(metric: Metric) -> usize {
    let i = CYCLE_METRICS.iter().position(|m| *m == metric);
    i.expect("a per-cycle metric")
}

/// `record(&mut $h[i], $v[i])` for each listed `i`.
macro_rules! record_each {
    ($h:ident, $v:ident, $($i:literal)*) => {
        $(record(&mut $h[$i], $v[$i]);)*
    };
}

/// `record_all` is written out for twenty-one metrics: a new metric must be
/// added to its list of indices.
const METRICS: usize = 21;
const _: () = assert!(CYCLE_METRICS.len() == METRICS && HORIZON_METRICS.len() == METRICS);

/// Records `values[i]` into `histograms[i]`. With as many histograms as
/// values (always, for statistics made by `new`) each record is written out:
/// no loop, and the `Option` of each metric that always has a value is
/// resolved at compile time (the compiler does not unroll a loop of twenty).
/// Always inlined, so that the values go from the cycle's fields straight
/// into the histograms, never through an array in memory.
#[inline(always)]
fn record_all(histograms: &mut [Histogram], values: impl Fn() -> [Option<i64>; METRICS]) {
    if let Ok(h) = <&mut [Histogram; METRICS]>::try_from(&mut *histograms) {
        let values = values();
        record_each!(h, values, 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20);
        return;
    }
    record_prefix(histograms, values());
}

/// `record_all` for statistics not made by `new`: as many as there are of
/// both. Apart, with its own call of `values`, so that on the hot path the
/// array of values is only indexed by constants and never built in memory.
#[cold]
#[inline(never)]
fn record_prefix(histograms: &mut [Histogram], values: [Option<i64>; METRICS]) {
    for (h, value) in histograms.iter_mut().zip(values) {
        record(h, value);
    }
}

#[inline(always)]
fn record(histogram: &mut Histogram, value: Option<i64>) {
    match value {
        Some(v) => histogram.record(v),
        None => histogram.record_none(),
    }
}

impl TrialObserver for RunStats {
    // The observer runs for every cycle of every trial: the values are
    // taken in one pass (not a `match` per metric) and recorded by
    // `record_all`.
    #[inline]
    fn cycle(&mut self, index: usize, metrics: &CycleMetrics) {
        record_all(&mut self.per_cycle[index], || cycle_values(metrics));
    }

    #[inline]
    fn trial(&mut self, totals: &TrialTotals) {
        record_all(&mut self.horizon, || horizon_values(totals));
        self.trials += 1;
    }
}

/// Trials [`BulkStats`] holds before it records them.
const BULK_TRIALS: usize = 16;

/// Records into a [`RunStats`] in bulk: it keeps the metrics of up to
/// [`BULK_TRIALS`] trials, then records each cycle's twenty histograms for
/// all of them at once, so that those histograms are in cache for the
/// whole group rather than fetched again for every trial (recording a
/// trial as it ends touches 260 histograms, more than the first-level
/// cache holds). The records, and so the statistics, are the same as
/// recording each trial as it ends. A trial cut short (Ctrl-C) before its
/// end is never recorded; the runner drops such a round anyway.
#[derive(Debug)]
pub struct BulkStats<'a> {
    stats: &'a mut RunStats,
    months: usize,
    /// Cycle `c` of held trial `t` at `t * months + c`.
    cycles: Vec<CycleMetrics>,
    totals: Vec<TrialTotals>,
}

impl<'a> BulkStats<'a> {
    pub fn new(stats: &'a mut RunStats) -> BulkStats<'a> {
        let months = stats.per_cycle.len();
        BulkStats {
            stats,
            months,
            cycles: vec![CycleMetrics::default(); BULK_TRIALS * months],
            totals: Vec::with_capacity(BULK_TRIALS),
        }
    }

    /// The bytes a recorder for `months` cycles holds (for the memory
    /// estimate).
    pub fn bytes(months: usize) -> u64 {
        let cycle = std::mem::size_of::<CycleMetrics>() * months;
        (BULK_TRIALS * (cycle + std::mem::size_of::<TrialTotals>())) as u64
    }

    /// Records the trials held.
    pub fn flush(&mut self) {
        let held = self.totals.len();
        for (c, histograms) in self.stats.per_cycle.iter_mut().enumerate() {
            for t in 0..held {
                let metrics = &self.cycles[t * self.months + c];
                record_all(histograms, || cycle_values(metrics));
            }
        }
        for totals in &self.totals {
            record_all(&mut self.stats.horizon, || horizon_values(totals));
        }
        self.stats.trials += held as u64;
        self.totals.clear();
    }
}

/// Whatever is held is recorded when the recorder goes.
impl Drop for BulkStats<'_> {
    fn drop(&mut self) {
        self.flush();
    }
}

impl TrialObserver for BulkStats<'_> {
    #[inline]
    fn cycle(&mut self, index: usize, metrics: &CycleMetrics) {
        self.cycles[self.totals.len() * self.months + index] = *metrics;
    }

    #[inline]
    fn trial(&mut self, totals: &TrialTotals) {
        self.totals.push(*totals);
        if self.totals.len() == BULK_TRIALS {
            self.flush();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records each metric through `Metric::of_cycle`/`of_trial`, one at a
    /// time: what `RunStats` must be equivalent to.
    struct PerMetric(RunStats);

    impl TrialObserver for PerMetric {
        fn cycle(&mut self, index: usize, metrics: &CycleMetrics) {
            for metric in CYCLE_METRICS {
                let h = self.0.in_cycle_mut(index, metric);
                record(h, metric.of_cycle(metrics));
            }
        }
        fn trial(&mut self, totals: &TrialTotals) {
            for metric in HORIZON_METRICS {
                record(self.0.horizon_of_mut(metric), metric.of_trial(totals));
            }
            self.0.trials += 1;
        }
    }

    #[test]
    fn observing_the_reference_scenario_equals_recording_metric_by_metric() {
        use crate::engine::{Model, Simulator};
        use crate::scenario::{Overrides, load};
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let overrides = Overrides {
            months: Some(12),
            ..Overrides::default()
        };
        let scenario = load(&path.join("scenarios/reference.toml"), &overrides);
        let model = Model::new(scenario.expect("the reference scenario loads"));
        let mut sim = Simulator::new(&model);
        let mut fast = RunStats::new(12);
        let mut slow = PerMetric(RunStats::new(12));
        for trial in 0..300 {
            sim.run_trial(trial, &mut fast);
            sim.run_trial(trial, &mut slow);
        }
        assert_eq!(fast, slow.0);
        // Control: one more trial on one side only is seen.
        sim.run_trial(300, &mut fast);
        assert_ne!(fast, slow.0);
    }

    #[test]
    fn recording_in_bulk_equals_recording_each_trial_as_it_ends() {
        use crate::engine::{Model, Simulator};
        use crate::scenario::{Overrides, load};
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let scenario = load(
            &path.join("scenarios/sales_navigator_core_heavy_addons.toml"),
            &Overrides::default(),
        );
        let model = Model::new(scenario.expect("the scenario loads"));
        let mut sim = Simulator::new(&model);
        let months = model.scenario.months;
        let (mut each, mut bulk) = (RunStats::new(months), RunStats::new(months));
        // Not a multiple of the group, so the last group is recorded when
        // the recorder goes.
        let trials = 3 * BULK_TRIALS as u64 + 5;
        let mut recorder = BulkStats::new(&mut bulk);
        for trial in 0..trials {
            sim.run_trial(trial, &mut each);
            sim.run_trial(trial, &mut recorder);
        }
        drop(recorder);
        assert_eq!(each.trials, trials);
        assert_eq!(each, bulk);
    }

    #[test]
    fn statistics_with_fewer_histograms_than_metrics_record_a_prefix() {
        let mut short = vec![Histogram::new(); 2];
        let mut values = [Some(1); METRICS];
        values[..3].copy_from_slice(&[Some(4), None, Some(9)]);
        record_all(&mut short, || values);
        assert_eq!(short[0].iter().collect::<Vec<_>>(), vec![(4, 1)]);
        assert_eq!((short[1].count(), short[1].none_count()), (0, 1));
    }

    #[test]
    fn merging_two_halves_equals_observing_everything() {
        let cycles: Vec<CycleMetrics> = (0..6)
            .map(|i| CycleMetrics {
                demand: i * 7,
                blocked: i % 2,
                first_blocked_day: (i % 2 == 1).then_some(i as u32),
                ..Default::default()
            })
            .collect();
        let observe = |stats: &mut RunStats, range: std::ops::Range<usize>| {
            for pair in cycles[range].chunks(2) {
                let mut totals = TrialTotals::default();
                for (c, m) in pair.iter().enumerate() {
                    stats.cycle(c, m);
                    totals.add_cycle(c, m);
                }
                stats.trial(&totals);
            }
        };
        let mut all = RunStats::new(2);
        observe(&mut all, 0..6);
        let mut a = RunStats::new(2);
        let mut b = RunStats::new(2);
        observe(&mut a, 0..2);
        observe(&mut b, 2..6);
        b.merge(&a);
        assert_eq!(b, all);
        assert_eq!(all.trials, 3);
    }
}
