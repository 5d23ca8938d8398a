//! `histograms.csv`: the full distribution of every metric in every cycle:
//! each value with its count, share and cumulative share, and a last row
//! `value = none` for trials where the metric did not happen.

use super::{Exporter, FinishedRun, csv_error, csv_writer, rows};
use crate::stats::format_value;
use std::io::{self, Write};

#[derive(Debug, Clone, Copy)]
pub struct HistogramsCsv;

impl Exporter for HistogramsCsv {
    fn file_name(&self) -> &'static str {
        "histograms.csv"
    }

    fn write(&self, run: &FinishedRun<'_>, out: &mut dyn Write) -> io::Result<()> {
        let mut w = csv_writer(out, &run.preamble())?;
        w.write_record([
            "metric",
            "cycle",
            "unit",
            "value",
            "count",
            "share",
            "cumulative_share",
        ])
        .map_err(csv_error)?;
        for (metric, cycle, h) in rows(run.stats) {
            let total = h.total() as f64;
            let mut cumulative = 0u64;
            let values = h.iter().map(|(v, n)| (format_value(v, metric.scale()), n));
            let none = (h.none_count() > 0).then(|| ("none".to_string(), h.none_count()));
            for (value, count) in values.chain(none) {
                cumulative += count;
                // Shares are ratios of exact counts: the same text every run.
                let share = (count as f64 / total).to_string();
                let cumulative_share = (cumulative as f64 / total).to_string();
                let record = [
                    metric.name(),
                    &cycle,
                    metric.unit(),
                    &value,
                    &count.to_string(),
                    &share,
                    &cumulative_share,
                ];
                w.write_record(record).map_err(csv_error)?;
            }
        }
        w.flush()
    }
}
