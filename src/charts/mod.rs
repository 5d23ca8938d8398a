//! Charts as SVG files beside the CSVs (issue 5): one set per command, drawn
//! from the same statistics the CSVs hold, with no system libraries.
//!
//! `svg` writes the documents (and says why no plotting crate is used),
//! `frame` lays out titles, axes, ticks and legends, `bars` draws bars and
//! box plots; `run`, `compare`, `sweep`, `sensitivity` and `decide` build each
//! command's charts. Every chart is a pure function of the statistics, so
//! it is byte-identical for any number of threads, like the CSVs.

mod bars;
pub mod calibrate;
pub mod compare;
pub mod decide;
mod frame;
pub use frame::Words;
pub mod run;
pub mod sensitivity;
pub mod svg;
pub mod sweep;
#[cfg(test)]
mod tests;

use crate::error::UserError;
use crate::export::OutputDir;

/// One rendered chart: the SVG text and what to call it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chart {
    /// File name in the output folder, e.g. `balance_fan.svg`.
    pub file_name: String,
    /// The chart's title as drawn on it (also its caption in report.html).
    pub title: String,
    /// A complete, standalone SVG document.
    pub svg: String,
}

impl Chart {
    fn new(file_name: &str, title: String, svg: svg::Svg) -> Chart {
        Chart {
            file_name: file_name.to_string(),
            title,
            svg: svg.finish(),
        }
    }
}

/// Stages every chart in `out`, to be committed with the CSVs (all or
/// nothing).
pub fn stage(out: &mut OutputDir, charts: &[Chart]) -> Result<(), UserError> {
    for chart in charts {
        out.stage(&chart.file_name, |w| w.write_all(chart.svg.as_bytes()))
            .map_err(|e| {
                UserError(format!(
                    "cannot write {} in {}: {e}",
                    chart.file_name,
                    out.path().display()
                ))
            })?;
    }
    Ok(())
}
