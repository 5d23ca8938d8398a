//! Output files: one exporter per file behind [`Exporter`], all tidy
//! long-format CSV, written through [`OutputDir`] so that a failed or
//! interrupted run never leaves a half-written file.

pub mod compare;
mod histograms;
mod metadata;
mod output_dir;
pub mod precision;
pub mod samples;
pub mod sensitivity;
mod summary;
pub mod sweep;

pub use histograms::HistogramsCsv;
pub use metadata::{MetadataCsv, RunMetadata, sha256_hex};
pub use output_dir::OutputDir;
pub use summary::SummaryCsv;

use crate::engine::{CYCLE_METRICS, HORIZON_METRICS, Metric};
use crate::scenario::Scenario;
use crate::stats::{Histogram, RunStats};
use std::io::{self, Write};

/// Everything an exporter may show about a finished run.
#[derive(Debug, Clone, Copy)]
pub struct RunReport<'a> {
    pub scenario: &'a Scenario,
    pub stats: &'a RunStats,
    pub metadata: &'a RunMetadata,
}

/// One output file.
pub trait Exporter {
    fn file_name(&self) -> &'static str;
    fn write(&self, report: &RunReport<'_>, out: &mut dyn Write) -> io::Result<()>;
}

/// The files `run` writes.
pub fn run_exporters() -> Vec<Box<dyn Exporter>> {
    vec![
        Box::new(SummaryCsv),
        Box::new(HistogramsCsv),
        Box::new(MetadataCsv),
    ]
}

/// Every (metric, cycle label, histogram) of a run, per cycle first, then
/// the horizon (`cycle = all`), in a fixed order.
pub fn rows(stats: &RunStats) -> impl Iterator<Item = (Metric, String, &Histogram)> {
    let per_cycle = stats.per_cycle.iter().enumerate().flat_map(|(c, hs)| {
        CYCLE_METRICS
            .iter()
            .zip(hs)
            .map(move |(m, h)| (*m, (c + 1).to_string(), h))
    });
    let horizon = HORIZON_METRICS
        .iter()
        .zip(&stats.horizon)
        .map(|(m, h)| (*m, "all".to_string(), h));
    per_cycle.chain(horizon)
}

fn csv_error(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => io,
        other => io::Error::other(format!("{other:?}")),
    }
}
