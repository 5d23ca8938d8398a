//! The CSV files of `sweep`: `sweep.csv` (one row per grid point and
//! option), `sweep_pairs.csv` (one row per grid point and pair) and
//! `breakeven.csv` (one row per pair, and per value of the second
//! parameter), and `sweep_wide.csv` (one row per grid point, one column
//! per option's monthly cost and chance of running out: ready to chart).
//! Grid values are printed in Rust's shortest form (`0.15`, `3`).

use super::compare::{OptionRow, PairRow, cell, option_rows, pair_rows_with, share, usd};
use super::csv_error;
use crate::compare::label;
use crate::sweep::{BreakEvenLine, Cheaper, Param, Point, PointResult};
use serde::Serialize;
use std::io::{self, Write};

/// The columns every sweep.csv and sweep_pairs.csv row starts with: the
/// grid point (`param_2`, `value_2` empty with one parameter).
#[derive(Debug, Clone, Default, Serialize)]
pub struct GridRow {
    param_1: String,
    value_1: String,
    param_2: String,
    value_2: String,
    stopped: String,
}

/// One row of sweep.csv: the grid point, then the option's columns.
pub type SweepRow = (GridRow, OptionRow);

/// One row of sweep_pairs.csv: the grid point, then the pair's columns.
pub type SweepPairRow = (GridRow, PairRow);

/// One row of breakeven.csv.
#[derive(Debug, Default, Serialize)]
pub struct BreakEvenRow {
    option_a: String,
    option_b: String,
    scenario_a: String,
    scenario_b: String,
    param: String,
    break_even: String,
    break_even_low: String,
    break_even_high: String,
    cheaper_below: String,
    cheaper_above: String,
    crossings: usize,
    other_value: String,
}

fn number(x: Option<f64>) -> String {
    x.map_or(String::new(), |v| v.to_string())
}

fn estimate(x: Option<f64>) -> String {
    x.map_or(String::new(), super::decide::number)
}

fn grid_row(params: &[Param], point: &Point, result: &PointResult) -> GridRow {
    let name = |i: usize| {
        params
            .get(i)
            .map_or(String::new(), |p| p.key.path.to_string())
    };
    let value = |i: usize| number(point.values.get(i).copied());
    GridRow {
        param_1: name(0),
        value_1: value(0),
        param_2: name(1),
        value_2: value(1),
        stopped: result.stopped.to_string(),
    }
}

/// sweep.csv rows: per grid point, one per option.
pub fn sweep_rows(params: &[Param], points: &[Point], results: &[PointResult]) -> Vec<SweepRow> {
    points
        .iter()
        .zip(results)
        .flat_map(|(point, result)| {
            let grid = grid_row(params, point, result);
            option_rows(&point.set, &result.summary)
                .into_iter()
                .map(move |r| (grid.clone(), r))
        })
        .collect()
}

/// sweep_pairs.csv rows: per grid point, one per pair.
pub fn sweep_pair_rows(
    params: &[Param],
    points: &[Point],
    results: &[PointResult],
) -> Vec<SweepPairRow> {
    points
        .iter()
        .zip(results)
        .flat_map(|(point, result)| {
            let grid = grid_row(params, point, result);
            pair_rows_with(&point.set, &result.summary, &result.commitments)
                .into_iter()
                .map(move |r| (grid.clone(), r))
        })
        .collect()
}

/// sweep_wide.csv: one row per grid point; the columns are each
/// parameter (named by its key, holding its value), the trials, then per
/// option `monthly_cost_A` (dollars) and `ran_out_month_A` (share 0 to 1).
/// The header depends on the parameters and the options, so it is built
/// here with the records, from the same lists.
pub fn write_sweep_wide(
    out: &mut dyn Write,
    params: &[Param],
    points: &[Point],
    results: &[PointResult],
) -> io::Result<()> {
    let options = points.first().map_or(0, |p| p.set.scenarios.len());
    let mut header: Vec<String> = params.iter().map(|p| p.key.path.to_string()).collect();
    header.push("trials".to_string());
    for i in 0..options {
        header.push(format!("monthly_cost_{}", label(i)));
        header.push(format!("ran_out_month_{}", label(i)));
    }
    let mut w = csv::Writer::from_writer(out);
    w.write_record(&header).map_err(csv_error)?;
    for (point, result) in points.iter().zip(results) {
        let mut record: Vec<String> = point.values.iter().map(|v| v.to_string()).collect();
        record.push(result.trials.to_string());
        for o in &result.summary.options {
            record.push(usd(o.cost.mean));
            record.push(share(o.ran_out_month.mean));
        }
        w.write_record(&record).map_err(csv_error)?;
    }
    w.flush()
}

fn cheaper(c: Option<Cheaper>, line: &BreakEvenLine) -> String {
    match c {
        Some(Cheaper::A) => label(line.a),
        Some(Cheaper::B) => label(line.b),
        None => String::new(),
    }
}

pub fn breakeven_rows(
    params: &[Param],
    points: &[Point],
    lines: &[BreakEvenLine],
) -> Vec<BreakEvenRow> {
    let names = points[0].set.names();
    lines
        .iter()
        .map(|line| {
            let r = &line.result;
            BreakEvenRow {
                option_a: label(line.a),
                option_b: label(line.b),
                scenario_a: cell(names[line.a]),
                scenario_b: cell(names[line.b]),
                param: params[0].key.path.to_string(),
                // Estimates, to six decimals as the other deciding CSVs
                // (not 1.048908399376707); the grid's values stay as given.
                break_even: estimate(r.value),
                break_even_low: estimate(r.low),
                break_even_high: estimate(r.high),
                cheaper_below: cheaper(r.cheaper_below, line),
                cheaper_above: cheaper(r.cheaper_above, line),
                crossings: r.crossings,
                other_value: number(line.other),
            }
        })
        .collect()
}
