//! Charts as SVG files beside the CSVs (issue 5): one set per command, drawn
//! from the same statistics the CSVs hold, with no system libraries.

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
