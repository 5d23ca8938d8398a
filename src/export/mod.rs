//! Output files: one exporter per file behind [`Exporter`], every CSV
//! with its header on line 1 (rows of `#[derive(Serialize)]` structs,
//! see `table.rs`) and the provenance in metadata.csv and metadata.json
//! beside them, written through [`OutputDir`] so that a failed or
//! interrupted run never leaves a half-written file.

pub mod calibrate;
pub mod compare;
pub mod decide;
mod histograms;
pub mod json;
mod metadata;
pub mod monthly;
pub mod new_files;
mod output_dir;
pub mod precision;
pub mod samples;
pub mod sensitivity;
mod summary;
pub mod sweep;
pub mod table;
pub mod xlsx;

pub use histograms::{HistogramsCsv, HistogramsHorizonCsv};
pub use metadata::{
    MetadataCsv, MetadataJson, RunMetadata, run_metadata_rows, what_if_rows, write_metadata_json,
};
pub use output_dir::{
    MANIFEST, OutputDir, TOOL_FILES, check_no_parent_after_missing, is_tool_name,
};
pub use summary::{SummaryCsv, SummaryHorizonCsv};

use crate::calendar::Horizon;
use crate::engine::{CYCLE_METRICS, HORIZON_METRICS, Metric};
use crate::scenario::Scenario;
use crate::stats::{Histogram, RunStats};
use serde::Serialize;
use std::io::{self, Write};

/// Everything an exporter may show about a finished run.
#[derive(Debug, Clone, Copy)]
pub struct FinishedRun<'a> {
    pub scenario: &'a Scenario,
    pub stats: &'a RunStats,
    pub metadata: &'a RunMetadata,
}

/// One output file.
pub trait Exporter {
    fn file_name(&self) -> &'static str;
    fn write(&self, run: &FinishedRun<'_>, out: &mut dyn Write) -> io::Result<()>;
}

/// The files `run` writes.
pub fn run_exporters() -> Vec<Box<dyn Exporter>> {
    vec![
        Box::new(SummaryCsv),
        Box::new(SummaryHorizonCsv),
        Box::new(monthly::MonthlyCsv),
        Box::new(HistogramsCsv),
        Box::new(HistogramsHorizonCsv),
        Box::new(MetadataCsv),
        Box::new(MetadataJson),
    ]
}

/// Every (cycle index, metric, histogram) of a run's months, month by
/// month, in a fixed order.
pub fn cycle_rows(stats: &RunStats) -> impl Iterator<Item = (usize, Metric, &Histogram)> {
    stats
        .per_cycle
        .iter()
        .enumerate()
        .flat_map(|(c, hs)| CYCLE_METRICS.iter().zip(hs).map(move |(m, h)| (c, *m, h)))
}

/// Every (metric, histogram) over the whole horizon, in a fixed order.
pub fn horizon_rows(stats: &RunStats) -> impl Iterator<Item = (Metric, &Histogram)> {
    HORIZON_METRICS
        .iter()
        .zip(&stats.horizon)
        .map(|(m, h)| (*m, h))
}

/// The columns every per-month row starts with: the 1-based cycle, its
/// first and last day (ISO dates, inclusive), its length in days and
/// whether it is a partial first month (a calendar plan started after the
/// 1st, credit-rules §1). The dates come from [`Horizon::period`].
#[derive(Debug, Default, Clone, Serialize)]
pub struct MonthColumns {
    pub cycle: u32,
    pub period_start: String,
    pub period_end: String,
    pub days: u32,
    pub partial: bool,
}

impl MonthColumns {
    pub fn of(horizon: &Horizon, index: usize) -> MonthColumns {
        let p = horizon.period(index);
        MonthColumns {
            cycle: index as u32 + 1,
            period_start: p.start.to_string(),
            period_end: p.end.to_string(),
            days: p.days,
            partial: p.partial,
        }
    }
}

fn csv_error(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => io,
        other => io::Error::other(format!("{other:?}")),
    }
}
