//! The statistics of a whole run: one exact histogram per metric and cycle,
//! plus one per horizon metric. It observes trials as the engine produces
//! them and merges with another run's, so the runner is a parallel fold and
//! a reduce, and memory depends on the number of distinct values, never on
//! the number of trials.

use super::Histogram;
use crate::engine::{
    CYCLE_METRICS, CycleMetrics, HORIZON_METRICS, Metric, TrialObserver, TrialTotals,
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

fn record(histogram: &mut Histogram, value: Option<i64>) {
    match value {
        Some(v) => histogram.record(v),
        None => histogram.record_none(),
    }
}

impl TrialObserver for RunStats {
    fn cycle(&mut self, index: usize, metrics: &CycleMetrics) {
        let histograms = &mut self.per_cycle[index];
        for (h, metric) in histograms.iter_mut().zip(CYCLE_METRICS) {
            record(h, metric.of_cycle(metrics));
        }
    }

    fn trial(&mut self, totals: &TrialTotals) {
        for (h, metric) in self.horizon.iter_mut().zip(HORIZON_METRICS) {
            record(h, metric.of_trial(totals));
        }
        self.trials += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
