//! `report.html` (issue 5): one self-contained page per run, compare, sweep
//! or sensitivity, to send to whoever approves the budget. It holds the
//! scenario's settings, the headline answers in plain words, the charts as
//! inline SVG and the key tables, with inline CSS and no script or external
//! URL at all, so it opens offline and prints on A4.
//!
//! This module owns the page: a small generic model ([`Page`]), its HTML
//! (`render`), the plain-words helpers (`words`), and how each command fills
//! the page from its statistics (`run`, `compare`, `sweep`, `sensitivity`).
//! The page reuses the terminal's sentences where they exist (the compare
//! verdict, the sweep break-even sentence), so both say the same thing.

mod calibrate;
mod compare;
mod decide;
mod render;
mod run;
mod sensitivity;
mod sweep;
pub mod words;

pub use calibrate::{CalibrateInput, calibrate_page};
pub use compare::compare_page;
pub use decide::{recommend_page, solve_page};
pub use render::{escape, render};
pub use run::run_page;
pub use sensitivity::sensitivity_page;
pub use sweep::sweep_page;

use crate::charts::Chart;
use crate::error::UserError;
use crate::export::OutputDir;

/// The report's file name in the output folder.
pub const FILE_NAME: &str = "report.html";

/// One page: everything the reader sees, as plain (unescaped) text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    /// The page's `<title>` and top heading.
    pub title: String,
    /// One line under the heading: what was run, e.g. the trials and seed.
    pub subtitle: String,
    /// The answers in plain words, one sentence each, most important first.
    pub headlines: Vec<String>,
    /// What was simulated: (setting, value) rows.
    pub settings: Vec<(String, String)>,
    /// The charts, in order; each is drawn inline with its title as caption.
    pub charts: Vec<Chart>,
    /// The key tables, after the charts.
    pub tables: Vec<Table>,
    /// Closing remarks (how to read the numbers, where the CSVs are).
    pub notes: Vec<String>,
}

/// A table with a caption; cells are plain text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    pub caption: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Columns from this index on hold numbers (right-aligned).
    pub numeric_from: usize,
    /// A line under the table, e.g. what "ran out" means.
    pub note: String,
}

/// At most this many rows of a long table go on the page (a sweep can
/// have 10,000 grid points); the CSV keeps every row.
pub const MAX_ROWS: usize = 120;

impl Table {
    /// Keeps the first [`MAX_ROWS`] rows and says where the rest are.
    pub fn truncate_for_page(&mut self, csv: &str) {
        let total = self.rows.len();
        if total > MAX_ROWS {
            self.rows.truncate(MAX_ROWS);
            let more = format!("The first {MAX_ROWS} of {total} rows; {csv} has them all.");
            self.note = if self.note.is_empty() {
                more
            } else {
                format!("{} {more}", self.note)
            };
        }
    }
}

/// The notes every page ends with.
fn standard_notes(csv_files: &str) -> Vec<String> {
    vec![
        format!(
            "Every number is a Monte Carlo estimate over the simulated trials; \
             {csv_files} in the same folder hold every statistic with its uncertainty (a \
             standard error or a 95% interval)."
        ),
        "The intervals measure simulation noise only, not whether the scenario's inputs \
         (volume, reply rate, prices) are right."
            .to_string(),
        format!(
            "Made by {} {}. This page is self-contained: it loads nothing, runs no script, \
             and can be sent as one file or printed (A4).",
            env!("CARGO_PKG_NAME"),
            env!("CARGO_PKG_VERSION")
        ),
    ]
}

/// Stages report.html in `out`, to be committed with the CSVs and charts
/// (all or nothing).
pub fn stage(out: &mut OutputDir, page: &Page) -> Result<(), UserError> {
    out.stage(FILE_NAME, |w| w.write_all(render(page).as_bytes()))
        .map_err(|e| {
            UserError(format!(
                "cannot write {FILE_NAME} in {}: {e}",
                out.path().display()
            ))
        })
}
