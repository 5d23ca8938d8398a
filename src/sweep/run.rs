//! Running a sweep: every grid point's compare set is built and validated
//! before anything is simulated (a bad value anywhere on the grid is
//! reported at once), then each point runs like `compare` with the same
//! seed and trial numbers, so neighbouring points share their random
//! numbers too and the curves are smooth.

use super::breakeven::{BreakEven, break_even};
use super::{Param, apply};
use crate::compare::{self, CompareSet, CompareSummary, Source};
use crate::precision::Precision;
use crate::scenario::Overrides;
use anyhow::Context;

/// One grid point: its values (one per parameter) and its compare set.
#[derive(Debug, Clone)]
pub struct Point {
    pub values: Vec<f64>,
    pub set: CompareSet,
}

/// What one grid point's trials said.
#[derive(Debug, Clone)]
pub struct PointResult {
    pub summary: CompareSummary,
    pub trials: u64,
    /// `fixed_trials`, `targets_met` or `max_trials`.
    pub stopped: &'static str,
}

/// "demand.per_workday = 3, addons.price = 10"
pub fn describe(params: &[Param], values: &[f64]) -> String {
    params
        .iter()
        .zip(values)
        .map(|(p, v)| format!("{} = {v}", p.key.path))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Builds and validates the compare set of every grid point.
pub fn prepare(
    params: &[Param],
    grid: &[Vec<f64>],
    sources: &[Source],
    overrides: &Overrides,
) -> anyhow::Result<Vec<Point>> {
    grid.iter()
        .map(|values| {
            let edits: Vec<_> = params.iter().map(|p| p.key).zip(values.clone()).collect();
            let at = || format!("sweep at {}", describe(params, values));
            let texts = sources
                .iter()
                .map(|s| apply(&s.text, &s.path, &edits))
                .collect::<Result<Vec<_>, _>>()
                .with_context(at)?;
            let set =
                CompareSet::from_texts(sources.to_vec(), &texts, overrides).with_context(at)?;
            Ok(Point {
                values: values.clone(),
                set,
            })
        })
        .collect()
}

/// Simulates one grid point on the current rayon pool.
pub fn run_point(point: &Point, precision: Option<&Precision>, progress: bool) -> PointResult {
    let models = point.set.models();
    let (stats, outcome) = compare::run(&models, point.set.trials, precision, progress);
    PointResult {
        summary: CompareSummary::new(&stats),
        trials: stats.trials(),
        stopped: outcome.map_or("fixed_trials", |o| o.stop.key()),
    }
}

/// The break-even of one pair along the first parameter, for one value of
/// the second parameter (`other`, none in a one-parameter sweep).
#[derive(Debug, Clone, PartialEq)]
pub struct BreakEvenLine {
    pub a: usize,
    pub b: usize,
    pub other: Option<f64>,
    pub result: BreakEven,
}

/// Every pair's break-even along the first parameter, once per value of the
/// second parameter.
pub fn break_evens(
    params: &[Param],
    points: &[Point],
    results: &[PointResult],
) -> Vec<BreakEvenLine> {
    let others: Vec<Option<f64>> = match params.get(1) {
        Some(p) => p.values.iter().copied().map(Some).collect(),
        None => vec![None],
    };
    let pairs = results.first().map_or(0, |r| r.summary.pairs.len());
    let mut lines = Vec::new();
    for other in others {
        let on_line: Vec<usize> = (0..points.len())
            .filter(|&i| other.is_none_or(|o| points[i].values[1] == o))
            .collect();
        let xs: Vec<f64> = on_line.iter().map(|&i| points[i].values[0]).collect();
        for pair in 0..pairs {
            let diffs: Vec<_> = on_line
                .iter()
                .map(|&i| results[i].summary.pairs[pair].difference)
                .collect();
            let p = &results[on_line[0]].summary.pairs[pair];
            lines.push(BreakEvenLine {
                a: p.a,
                b: p.b,
                other,
                result: break_even(&xs, &diffs),
            });
        }
    }
    lines
}
