//! `summary.csv`: one row per month and metric (the month's dates, then
//! the mean, its standard error and 95% CI, and quantiles), and
//! `summary_horizon.csv`: the same statistics over the whole horizon, one
//! row per metric. Two files, so that every column has one type (`cycle`
//! is a number in every row, issue 21).

use super::table::RowWriter;
use super::{Exporter, FinishedRun, MonthColumns, cycle_rows, horizon_rows};
use crate::engine::Metric;
use crate::stats::{Histogram, format_f64, format_value};
use serde::Serialize;
use std::io::{self, Write};

/// The statistics of one metric's histogram; the empty cells of a metric
/// that never happened are empty.
#[derive(Debug, Default, Serialize)]
pub struct StatsColumns {
    metric: &'static str,
    unit: &'static str,
    n: u64,
    none: u64,
    mean: String,
    sd: String,
    se: String,
    ci95_low: String,
    ci95_high: String,
    p5: String,
    p25: String,
    p50: String,
    p75: String,
    p95: String,
    min: String,
    max: String,
}

impl StatsColumns {
    pub fn of(metric: Metric, h: &Histogram) -> StatsColumns {
        let scale = metric.scale();
        let mut row = StatsColumns {
            metric: metric.name(),
            unit: metric.unit(),
            n: h.count(),
            none: h.none_count(),
            ..StatsColumns::default()
        };
        if let Some(s) = h.summary() {
            let f = |x: f64| format_f64(x, scale);
            let v = |x| format_value(x, scale);
            (row.mean, row.sd, row.se) = (f(s.mean), f(s.sd), f(s.se));
            // Within what a trial can record (a chance from 0 to 1, a
            // count from 0): the normal interval around a small mean of few
            // trials reaches past it. Months are not bounded here (the
            // horizon's length is the run's, not the metric's).
            let (least, most) = metric.domain(u64::MAX);
            let cut = |x: f64| x.clamp(least as f64, most as f64);
            let (mut low, mut high) = (cut(s.ci95_low), cut(s.ci95_high));
            // A chance (a yes/no metric): the rule of three's margin, so
            // that no month seen running out is not "0 to 0".
            if (least, most) == (0, 1) && s.n >= 2 {
                (low, high) = crate::stats::chance_interval(s.mean, (low, high), s.n);
            }
            (row.ci95_low, row.ci95_high) = (f(low), f(high));
            (row.p5, row.p25, row.p50) = (v(s.p5), v(s.p25), v(s.p50));
            (row.p75, row.p95) = (v(s.p75), v(s.p95));
            (row.min, row.max) = (v(s.min), v(s.max));
        }
        row
    }
}

/// A row of summary.csv: the month, then its statistics.
pub type SummaryRow = (MonthColumns, StatsColumns);

#[derive(Debug, Clone, Copy)]
pub struct SummaryCsv;

impl Exporter for SummaryCsv {
    fn file_name(&self) -> &'static str {
        "summary.csv"
    }

    fn write(&self, run: &FinishedRun<'_>, out: &mut dyn Write) -> io::Result<()> {
        let mut w = RowWriter::<SummaryRow>::new(out)?;
        let horizon = &run.scenario.horizon;
        for (cycle, metric, h) in cycle_rows(run.stats) {
            w.row(&(
                MonthColumns::of(horizon, cycle),
                StatsColumns::of(metric, h),
            ))?;
        }
        w.finish()
    }
}

#[derive(Debug, Clone, Copy)]
pub struct SummaryHorizonCsv;

impl Exporter for SummaryHorizonCsv {
    fn file_name(&self) -> &'static str {
        "summary_horizon.csv"
    }

    fn write(&self, run: &FinishedRun<'_>, out: &mut dyn Write) -> io::Result<()> {
        let mut w = RowWriter::<StatsColumns>::new(out)?;
        for (metric, h) in horizon_rows(run.stats) {
            w.row(&StatsColumns::of(metric, h))?;
        }
        w.finish()
    }
}
