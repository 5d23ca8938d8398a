//! `precision.csv`, written by `run` and `compare` with `--precision`: one
//! row per target with the 95% half-width wanted and reached, and why the
//! run stopped (every target met, or `--max-trials` reached first).

use super::table::write_rows;
use crate::precision::{Outcome, Quantity};
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
            // Six decimals, or six significant digits below 0.001: a target
            // of 1e-300 is not written as 0 beside met = yes.
            target: super::decide::number(t.half_width),
            achieved: super::decide::number(*achieved),
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
