//! `histograms.csv`: the full distribution of every metric in every month:
//! each value with its count, share and cumulative share, and a last row
//! with an empty `value` for trials where the metric did not happen;
//! `histograms_horizon.csv`: the same over the whole horizon. Streamed
//! row by row: the file can be large.

use super::table::RowWriter;
use super::{Exporter, FinishedRun, MonthColumns, cycle_rows, horizon_rows};
use crate::engine::Metric;
use crate::stats::{Histogram, format_value};
use serde::Serialize;
use std::io::{self, Write};

/// One value of one metric's histogram.
#[derive(Debug, Default, Clone, Serialize)]
pub struct ValueColumns {
    metric: &'static str,
    unit: &'static str,
    /// Empty: the trials where the metric did not happen.
    value: String,
    count: u64,
    share: String,
    cumulative_share: String,
}

/// The rows of one histogram, in value order, then the "did not happen" row.
fn values(metric: Metric, h: &Histogram) -> impl Iterator<Item = ValueColumns> + '_ {
    let total = h.total() as f64;
    let mut cumulative = 0u64;
    let values = h
        .iter()
        .map(move |(v, n)| (format_value(v, metric.scale()), n));
    let none = (h.none_count() > 0).then(|| (String::new(), h.none_count()));
    values.chain(none).map(move |(value, count)| {
        cumulative += count;
        // Shares are ratios of exact counts: the same text every run.
        ValueColumns {
            metric: metric.name(),
            unit: metric.unit(),
            value,
            count,
            share: (count as f64 / total).to_string(),
            cumulative_share: (cumulative as f64 / total).to_string(),
        }
    })
}

#[derive(Debug, Clone, Copy)]
pub struct HistogramsCsv;

impl Exporter for HistogramsCsv {
    fn file_name(&self) -> &'static str {
        "histograms.csv"
    }

    fn write(&self, run: &FinishedRun<'_>, out: &mut dyn Write) -> io::Result<()> {
        let mut w = RowWriter::<(MonthColumns, ValueColumns)>::new(out)?;
        let horizon = &run.scenario.horizon;
        for (cycle, metric, h) in cycle_rows(run.stats) {
            let month = MonthColumns::of(horizon, cycle);
            for v in values(metric, h) {
                w.row(&(month.clone(), v))?;
            }
        }
        w.finish()
    }
}

#[derive(Debug, Clone, Copy)]
pub struct HistogramsHorizonCsv;

impl Exporter for HistogramsHorizonCsv {
    fn file_name(&self) -> &'static str {
        "histograms_horizon.csv"
    }

    fn write(&self, run: &FinishedRun<'_>, out: &mut dyn Write) -> io::Result<()> {
        let mut w = RowWriter::<ValueColumns>::new(out)?;
        for (metric, h) in horizon_rows(run.stats) {
            for v in values(metric, h) {
                w.row(&v)?;
            }
        }
        w.finish()
    }
}
