//! `--samples FILE`: the raw per-trial, per-cycle rows of the first trials,
//! for a spreadsheet or pandas. Columns: `trial` (0-based, the trial index
//! that `--seed` reproduces), `cycle` (1-based), then every per-cycle
//! metric in the order of [`CYCLE_METRICS`], money in dollars with two
//! decimals, `first_blocked_day` empty when nothing was blocked.

use super::{Preamble, csv_error, csv_writer};
use crate::engine::{CYCLE_METRICS, CycleMetrics, TrialObserver, TrialTotals};
use crate::stats::format_value;
use std::io::{self, Write};

/// Rows written when `--samples-limit` is not given.
pub const DEFAULT_SAMPLES_LIMIT: u64 = 100_000;
/// The largest `--samples-limit` accepted (about 1–2 GB of CSV).
pub const MAX_SAMPLES_LIMIT: u64 = 10_000_000;

/// The header: `trial`, `cycle`, then the metrics' names.
pub fn samples_header() -> Vec<&'static str> {
    ["trial", "cycle"]
        .into_iter()
        .chain(CYCLE_METRICS.iter().map(|m| m.name()))
        .collect()
}

/// Keeps one trial's cycles.
#[derive(Debug, Default)]
pub struct TrialCycles(pub Vec<CycleMetrics>);

impl TrialObserver for TrialCycles {
    fn cycle(&mut self, _: usize, metrics: &CycleMetrics) {
        self.0.push(*metrics);
    }
    fn trial(&mut self, _: &TrialTotals) {}
}

/// The CSV rows of one trial's cycles.
pub fn trial_records(trial: u64, cycles: &[CycleMetrics]) -> Vec<Vec<String>> {
    cycles
        .iter()
        .enumerate()
        .map(|(c, m)| {
            [trial.to_string(), (c + 1).to_string()]
                .into_iter()
                .chain(CYCLE_METRICS.iter().map(|metric| {
                    metric
                        .of_cycle(m)
                        .map_or(String::new(), |v| format_value(v, metric.scale()))
                }))
                .collect()
        })
        .collect()
}

/// Writes the preamble, the header and then `trials` trials, each produced
/// by `simulate`.
pub fn write_samples(
    out: &mut dyn Write,
    preamble: &Preamble,
    trials: u64,
    mut simulate: impl FnMut(u64) -> io::Result<Vec<CycleMetrics>>,
) -> io::Result<()> {
    let mut w = csv_writer(out, preamble)?;
    w.write_record(samples_header()).map_err(csv_error)?;
    for trial in 0..trials {
        for record in trial_records(trial, &simulate(trial)?) {
            w.write_record(&record).map_err(csv_error)?;
        }
    }
    w.flush()
}
