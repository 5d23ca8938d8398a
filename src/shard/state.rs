//! The accumulators of `run`, `compare` and `sweep` in a serialisable form:
//! every histogram as its `(value, count)` pairs, which is all its content
//! (histograms compare by content), so a state read back merges and
//! exports exactly like the one written.

use crate::compare::{CompareStats, PairStats};
use crate::engine::{CYCLE_METRICS, HORIZON_METRICS};
use crate::stats::{Histogram, RunStats};
use serde::{Deserialize, Serialize};

/// What one shard's trials produced, by command.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum State {
    Run {
        stats: RunState,
    },
    Compare {
        stats: CompareState,
    },
    /// One compare state per grid point, in grid order.
    Sweep {
        points: Vec<CompareState>,
    },
}

impl State {
    pub fn command(&self) -> &'static str {
        match self {
            State::Run { .. } => "run",
            State::Compare { .. } => "compare",
            State::Sweep { .. } => "sweep",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HistogramState {
    pairs: Vec<(i64, u64)>,
    none: u64,
    slow: u64,
}

impl HistogramState {
    pub fn of(h: &Histogram) -> HistogramState {
        HistogramState {
            pairs: h.iter().collect(),
            none: h.none_count(),
            slow: h.slow_records(),
        }
    }

    /// Every value within what one trial can record of `metric`
    /// ([`crate::metrics::Metric::domain`]): a file edited with its checksum
    /// recomputed could otherwise put a chance of 2.2 in the merged results.
    pub fn check_domain(&self, metric: crate::metrics::Metric, cycles: u64) -> Result<(), String> {
        let (least, most) = metric.domain(cycles);
        match self.pairs.iter().find(|(v, _)| *v < least || *v > most) {
            Some((v, _)) => Err(format!(
                "holds the value {v}, which no trial can record ({})",
                match most {
                    i64::MAX => format!("{least} or more"),
                    _ => format!("{least} to {most}"),
                }
            )),
            None => Ok(()),
        }
    }

    pub fn to_histogram(&self) -> Result<Histogram, String> {
        Histogram::from_counts(&self.pairs, self.none, self.slow)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunState {
    trials: u64,
    per_cycle: Vec<Vec<HistogramState>>,
    horizon: Vec<HistogramState>,
}

impl RunState {
    pub fn of(stats: &RunStats) -> RunState {
        let all = |hs: &[Histogram]| hs.iter().map(HistogramState::of).collect();
        RunState {
            trials: stats.trials,
            per_cycle: stats.per_cycle.iter().map(|c| all(c)).collect(),
            horizon: all(&stats.horizon),
        }
    }

    /// The statistics, checked against the metric catalogue's shape, and
    /// every histogram against the trials: each trial records each metric
    /// once (a cycle's, once per cycle), with a value or as none.
    pub fn to_stats(&self) -> Result<RunStats, String> {
        let trials = self.trials;
        let cycles = self.per_cycle.len() as u64;
        let all = |hs: &[HistogramState], metrics: &[crate::metrics::Metric], what: &str| {
            let want = metrics.len();
            if hs.len() != want {
                return Err(format!("{what} has {} metrics, expected {want}", hs.len()));
            }
            hs.iter()
                .enumerate()
                .map(|(m, h)| {
                    h.check_domain(metrics[m], cycles)
                        .map_err(|why| format!("{what}: {} {why}", metrics[m].name()))?;
                    let h = h.to_histogram()?;
                    if h.total() != trials {
                        return Err(format!(
                            "{what}: {} holds {} records for its {trials} trials",
                            metrics[m].name(),
                            h.total()
                        ));
                    }
                    Ok(h)
                })
                .collect()
        };
        let per_cycle = self
            .per_cycle
            .iter()
            .enumerate()
            .map(|(c, hs)| all(hs, &CYCLE_METRICS, &format!("cycle {}", c + 1)))
            .collect::<Result<Vec<_>, String>>()?;
        let horizon = all(&self.horizon, &HORIZON_METRICS, "the horizon")?;
        Ok(RunStats {
            per_cycle,
            horizon,
            trials: self.trials,
        })
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PairState {
    a: usize,
    b: usize,
    difference: HistogramState,
    a_cheaper: u64,
    b_cheaper: u64,
    ties: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CompareState {
    options: Vec<RunState>,
    pairs: Vec<PairState>,
}

impl CompareState {
    pub fn of(stats: &CompareStats) -> CompareState {
        let pair = |p: &PairStats| PairState {
            a: p.a,
            b: p.b,
            difference: HistogramState::of(&p.difference),
            a_cheaper: p.a_cheaper,
            b_cheaper: p.b_cheaper,
            ties: p.ties,
        };
        CompareState {
            options: stats.options.iter().map(RunState::of).collect(),
            pairs: stats.pairs.iter().map(pair).collect(),
        }
    }

    /// The statistics, checked: every option's shape, and every pair
    /// `a < b` in the order `CompareStats::new` lays them out.
    pub fn to_stats(&self) -> Result<CompareStats, String> {
        let months = self.options.first().map_or(0, |o| o.per_cycle.len());
        let mut stats = CompareStats::new(self.options.len(), months as u32);
        if stats.pairs.len() != self.pairs.len() {
            return Err(format!(
                "{} pairs for {} options",
                self.pairs.len(),
                self.options.len()
            ));
        }
        for (mine, theirs) in stats.options.iter_mut().zip(&self.options) {
            *mine = theirs.to_stats()?;
            if mine.months() != months {
                return Err("the options differ in months".to_string());
            }
        }
        for (mine, theirs) in stats.pairs.iter_mut().zip(&self.pairs) {
            if (mine.a, mine.b) != (theirs.a, theirs.b) {
                return Err(format!("pair ({}, {}) is out of place", theirs.a, theirs.b));
            }
            mine.difference = theirs.difference.to_histogram()?;
            mine.a_cheaper = theirs.a_cheaper;
            mine.b_cheaper = theirs.b_cheaper;
            mine.ties = theirs.ties;
            let trials = stats.options[theirs.a].trials;
            let shares = [theirs.a_cheaper, theirs.b_cheaper, theirs.ties]
                .into_iter()
                .fold(0u64, u64::saturating_add);
            if mine.difference.total() != trials || shares != trials {
                return Err(format!(
                    "pair ({}, {}) does not hold the options' {trials} trials",
                    theirs.a, theirs.b
                ));
            }
        }
        if stats.options.windows(2).any(|w| w[0].trials != w[1].trials) {
            return Err("the options hold different numbers of trials".to_string());
        }
        Ok(stats)
    }
}
