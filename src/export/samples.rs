//! `--samples FILE`: the raw per-trial, per-month rows of the first trials,
//! for a spreadsheet or pandas, streamed row by row. Columns: `trial`
//! (0-based, the trial index that `--seed` reproduces), `cycle` (1-based),
//! the month's dates (`period_start`, `period_end`, `days`, `partial`),
//! `reply_rate` (the response rate the trial drew, in force that month),
//! then every per-month metric in the order of [`CYCLE_METRICS`], money in
//! dollars with two decimals, `first_blocked_day` empty when nothing was
//! blocked. Its provenance is the run's metadata.csv (`samples_file`,
//! `samples_trials`).

use super::MonthColumns;
use super::table::RowWriter;
use crate::engine::{CYCLE_METRICS, CycleMetrics, RateDraws, TrialObserver, TrialTotals};
use crate::scenario::Scenario;
use crate::stats::format_value;
use serde::ser::{Serialize, SerializeStruct, Serializer};
use std::io::{self, Write};

/// Rows written when `--samples-limit` is not given.
pub const DEFAULT_SAMPLES_LIMIT: u64 = 100_000;
/// The largest `--samples-limit` accepted (about 1–2 GB of CSV).
pub const MAX_SAMPLES_LIMIT: u64 = 10_000_000;

/// Keeps one trial's cycles.
#[derive(Debug, Default)]
pub struct TrialCycles(pub Vec<CycleMetrics>);

impl TrialObserver for TrialCycles {
    fn cycle(&mut self, _: usize, metrics: &CycleMetrics) {
        self.0.push(*metrics);
    }
    fn trial(&mut self, _: &TrialTotals) {}
}

/// The trial.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct TrialColumns {
    trial: u64,
}

/// The rate the trial drew, in force this month.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct RateColumn {
    reply_rate: f64,
}

/// One cell per metric of [`CYCLE_METRICS`], named after it: a struct
/// whose fields are the metric catalogue, so the header follows it.
#[derive(Debug, Default, Clone, Copy)]
pub struct MetricCells(Option<CycleMetrics>);

impl Serialize for MetricCells {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("MetricCells", CYCLE_METRICS.len())?;
        for metric in CYCLE_METRICS {
            let cell = self
                .0
                .and_then(|m| metric.of_cycle(&m))
                .map_or(String::new(), |v| format_value(v, metric.scale()));
            st.serialize_field(metric.name(), &cell)?;
        }
        st.end()
    }
}

/// One row of the samples file.
pub type SampleRow = (TrialColumns, MonthColumns, RateColumn, MetricCells);

/// The header, as written (for tests and docs).
pub fn samples_header() -> io::Result<csv::StringRecord> {
    super::table::header_of::<SampleRow>()
}

/// Writes the header and then `trials` trials, each produced by
/// `simulate`, row by row.
pub fn write_samples(
    out: &mut dyn Write,
    sc: &Scenario,
    trials: u64,
    mut simulate: impl FnMut(u64) -> io::Result<Vec<CycleMetrics>>,
) -> io::Result<()> {
    let months: Vec<MonthColumns> = (0..sc.horizon.cycles.len())
        .map(|c| MonthColumns::of(&sc.horizon, c))
        .collect();
    let mut w = RowWriter::<SampleRow>::new(out)?;
    for trial in 0..trials {
        let rates = RateDraws::by_cycle(sc, trial);
        for ((cycle, month), rate) in simulate(trial)?.iter().zip(&months).zip(rates) {
            let row = (
                TrialColumns { trial },
                month.clone(),
                RateColumn { reply_rate: rate },
                MetricCells(Some(*cycle)),
            );
            w.row(&row)?;
        }
    }
    w.finish()
}
