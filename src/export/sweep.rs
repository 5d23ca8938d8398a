//! The CSV files of `sweep`: `sweep.csv` (one row per grid point and
//! option), `sweep_pairs.csv` (one row per grid point and pair) and
//! `breakeven.csv` (one row per pair, and per value of the second
//! parameter). Grid values are printed in Rust's shortest form (`0.15`, `3`).

use super::Preamble;
use super::compare::{OPTION_COLUMNS, PAIR_COLUMNS, cell, option_records, pair_records};
use crate::compare::label;
use crate::sweep::{BreakEvenLine, Cheaper, Param, Point, PointResult};
use std::iter::once;

/// The columns every sweep.csv and sweep_pairs.csv row starts with.
pub const GRID_COLUMNS: [&str; 5] = ["param_1", "value_1", "param_2", "value_2", "stopped"];

pub const BREAKEVEN_COLUMNS: [&str; 12] = [
    "option_a",
    "option_b",
    "scenario_a",
    "scenario_b",
    "param",
    "break_even",
    "break_even_low",
    "break_even_high",
    "cheaper_below",
    "cheaper_above",
    "crossings",
    "other_value",
];

fn number(x: Option<f64>) -> String {
    x.map_or(String::new(), |v| v.to_string())
}

fn grid_fields(params: &[Param], point: &Point, result: &PointResult) -> Vec<String> {
    let name = |i: usize| {
        params
            .get(i)
            .map_or(String::new(), |p| p.key.path.to_string())
    };
    let value = |i: usize| number(point.values.get(i).copied());
    vec![
        name(0),
        value(0),
        name(1),
        value(1),
        result.stopped.to_string(),
    ]
}

fn header(tail: &[&'static str]) -> Vec<&'static str> {
    GRID_COLUMNS.iter().chain(tail).copied().collect()
}

pub fn sweep_header() -> Vec<&'static str> {
    header(&OPTION_COLUMNS)
}

pub fn sweep_pairs_header() -> Vec<&'static str> {
    header(&PAIR_COLUMNS)
}

/// sweep.csv (`pairs = false`) or sweep_pairs.csv (`pairs = true`) records.
pub fn sweep_records(
    params: &[Param],
    points: &[Point],
    results: &[PointResult],
    pairs: bool,
) -> Vec<Vec<String>> {
    points
        .iter()
        .zip(results)
        .flat_map(|(point, result)| {
            let prefix = grid_fields(params, point, result);
            let rows = match pairs {
                false => option_records(&point.set, &result.summary),
                true => pair_records(&point.set, &result.summary),
            };
            rows.into_iter()
                .map(move |r| prefix.iter().cloned().chain(r).collect())
        })
        .collect()
}

/// The comment lines of a sweep's CSVs: the set's files and seed, each
/// `--param` as given, and the trials of metadata.csv (per grid point; the
/// most of any point with `--precision`).
pub fn sweep_preamble(params: &[Param], points: &[Point], results: &[PointResult]) -> Preamble {
    let most = results.iter().map(|r| r.trials).max().unwrap_or(0);
    let mut p = Preamble::of_set("sweep", &points[0].set, most);
    p.extra = params.iter().map(|q| ("param", q.text.clone())).collect();
    p
}

fn cheaper(c: Option<Cheaper>, line: &BreakEvenLine) -> String {
    match c {
        Some(Cheaper::A) => label(line.a),
        Some(Cheaper::B) => label(line.b),
        None => String::new(),
    }
}

pub fn breakeven_records(
    params: &[Param],
    points: &[Point],
    lines: &[BreakEvenLine],
) -> Vec<Vec<String>> {
    let names = points[0].set.names();
    lines
        .iter()
        .map(|line| {
            let r = &line.result;
            [label(line.a), label(line.b)]
                .into_iter()
                .chain([cell(names[line.a]), cell(names[line.b])])
                .chain(once(params[0].key.path.to_string()))
                .chain([r.value, r.low, r.high].map(number))
                .chain([
                    cheaper(r.cheaper_below, line),
                    cheaper(r.cheaper_above, line),
                ])
                .chain([r.crossings.to_string(), number(line.other)])
                .collect()
        })
        .collect()
}
