//! `summary.csv`: one row per metric and cycle (and `cycle = all` for the
//! horizon) with the mean, its standard error and 95% CI, and quantiles.

use super::{Exporter, FinishedRun, csv_error, csv_writer, rows};
use crate::stats::{format_f64, format_value};
use std::io::{self, Write};

#[derive(Debug, Clone, Copy)]
pub struct SummaryCsv;

pub const SUMMARY_HEADER: [&str; 17] = [
    "metric",
    "cycle",
    "unit",
    "n",
    "none",
    "mean",
    "sd",
    "se",
    "ci95_low",
    "ci95_high",
    "p5",
    "p25",
    "p50",
    "p75",
    "p95",
    "min",
    "max",
];

impl Exporter for SummaryCsv {
    fn file_name(&self) -> &'static str {
        "summary.csv"
    }

    fn write(&self, run: &FinishedRun<'_>, out: &mut dyn Write) -> io::Result<()> {
        let mut w = csv_writer(out, &run.preamble())?;
        w.write_record(SUMMARY_HEADER).map_err(csv_error)?;
        for (metric, cycle, h) in rows(run.stats) {
            let scale = metric.scale();
            let mut record = vec![
                metric.name().to_string(),
                cycle,
                metric.unit().to_string(),
                h.count().to_string(),
                h.none_count().to_string(),
            ];
            match h.summary() {
                Some(s) => {
                    record.extend(
                        [s.mean, s.sd, s.se, s.ci95_low, s.ci95_high].map(|x| format_f64(x, scale)),
                    );
                    record.extend(
                        [s.p5, s.p25, s.p50, s.p75, s.p95, s.min, s.max]
                            .map(|v| format_value(v, scale)),
                    );
                }
                None => record.extend(std::iter::repeat_n(String::new(), 12)),
            }
            w.write_record(&record).map_err(csv_error)?;
        }
        w.flush()
    }
}
