//! `precision.csv`, written by `run` and `compare` with `--precision`: one
//! row per target with the 95% half-width wanted and reached, and why the
//! run stopped (every target met, or `--max-trials` reached first).

use super::Preamble;
use super::table::write_table;
use crate::precision::{Outcome, Quantity};
use crate::stats::{ValueScale, format_f64};
use std::io::{self, Write};

pub const PRECISION_COLUMNS: [&str; 7] = [
    "quantity", "unit", "target", "achieved", "met", "trials", "stopped",
];

fn unit(q: Quantity) -> &'static str {
    match q {
        Quantity::Exhausted | Quantity::Cheaper => "share",
        Quantity::TotalCost | Quantity::CostDifference => "usd_per_month",
    }
}

/// Writes one row per target.
pub fn write_precision(
    out: &mut dyn Write,
    preamble: &Preamble,
    outcome: &Outcome,
) -> io::Result<()> {
    let records: Vec<Vec<String>> = outcome
        .achieved
        .iter()
        .map(|(t, achieved)| {
            vec![
                t.quantity.name().to_string(),
                unit(t.quantity).to_string(),
                format_f64(t.half_width, ValueScale::Count),
                format_f64(*achieved, ValueScale::Count),
                (if *achieved <= t.half_width {
                    "yes"
                } else {
                    "no"
                })
                .to_string(),
                outcome.trials.to_string(),
                outcome.stop.key().to_string(),
            ]
        })
        .collect();
    write_table(out, preamble, &PRECISION_COLUMNS, &records)
}
