//! Output files: one exporter per file behind [`Exporter`], all tidy
//! long-format CSV (each starting with the [`Preamble`]'s comment lines)
//! plus metadata.json, written through [`OutputDir`] so that a failed or
//! interrupted run never leaves a half-written file.

pub mod compare;
pub mod decide;
mod histograms;
mod metadata;
mod output_dir;
mod preamble;
pub mod precision;
pub mod samples;
pub mod sensitivity;
mod summary;
pub mod sweep;
mod table;

pub use histograms::HistogramsCsv;
pub use metadata::{
    MetadataCsv, MetadataJson, RunMetadata, run_metadata_rows, what_if_rows, write_metadata_json,
};
pub use output_dir::{MANIFEST, OutputDir, is_tool_name};
pub use preamble::{PARTIAL_LINE, Preamble, ScenarioFile, csv_writer};
pub use summary::SummaryCsv;

use crate::engine::{CYCLE_METRICS, HORIZON_METRICS, Metric};
use crate::scenario::Scenario;
use crate::stats::{Histogram, RunStats};
use std::io::{self, Write};

/// Everything an exporter may show about a finished run.
#[derive(Debug, Clone, Copy)]
pub struct FinishedRun<'a> {
    pub scenario: &'a Scenario,
    pub stats: &'a RunStats,
    pub metadata: &'a RunMetadata,
}

impl FinishedRun<'_> {
    /// The comment lines that start each of the run's CSVs.
    pub fn preamble(&self) -> Preamble {
        let file = ScenarioFile {
            file: self.metadata.scenario_file.clone(),
            sha256: self.metadata.scenario_sha256.clone(),
        };
        let mut p = Preamble::single("run", self.scenario, file, self.stats.trials);
        p.partial = self.metadata.partial;
        p
    }
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
        Box::new(HistogramsCsv),
        Box::new(MetadataCsv),
        Box::new(MetadataJson),
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
