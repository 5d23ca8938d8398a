//! `precision.csv`, written by `run` and `compare` with `--precision`: one
//! row per target with the 95% half-width wanted and reached, and why the
//! run stopped (every target met, or `--max-trials` reached first).

use super::table::write_rows;
use crate::precision::{Outcome, Quantity};
use crate::stats::{ValueScale, format_f64};
use serde::Serialize;
use std::io::{self, Write};

/// One row of precision.csv; the header is its field names.
#[derive(Debug, Default, Serialize)]
struct PrecisionRow {
    quantity: &'static str,
    unit: &'static str,
    target: String,
    achieved: String,
    met: &'static str,
    trials: u64,
    stopped: &'static str,
}

fn unit(q: Quantity) -> &'static str {
    match q {
        Quantity::Exhausted | Quantity::Cheaper => "share",
        Quantity::TotalCost | Quantity::CostDifference => "usd_per_month",
    }
}

/// Writes one row per target.
pub fn write_precision(out: &mut dyn Write, outcome: &Outcome) -> io::Result<()> {
    let rows: Vec<PrecisionRow> = outcome
        .achieved
        .iter()
        .map(|(t, achieved)| PrecisionRow {
            quantity: t.quantity.name(),
            unit: unit(t.quantity),
            target: format_f64(t.half_width, ValueScale::Count),
            achieved: format_f64(*achieved, ValueScale::Count),
            met: if *achieved <= t.half_width {
                "yes"
            } else {
                "no"
            },
            trials: outcome.trials,
            stopped: outcome.stop.key(),
        })
        .collect();
    write_rows(out, &rows)
}
