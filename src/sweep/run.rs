//! Running a sweep: every grid point's compare set is built and validated
//! before anything is simulated (a bad value anywhere on the grid is
//! reported at once), then each point runs like `compare` with the same
//! seed and trial numbers, so neighbouring points share their random
//! numbers too and the curves are smooth.
//!
//! A grid point's set (every file's scenario with its delay table) is built
//! when it is checked and again when it runs, and dropped in between: kept
//! for every point, 50 files × 10,000 points held gigabytes outside the
//! memory check. Checking the grid honours Ctrl-C between points.

use super::breakeven::{BreakEven, break_even};
use super::{Key, Param, apply};
use crate::compare::{self, CompareSet, CompareSummary, Source};
use crate::error::UserError;
use crate::precision::Precision;
use crate::runner::Interrupted;
use crate::scenario::Overrides;
use anyhow::Context;
use std::sync::Arc;

/// One grid point: its values (one per parameter), and what every point's
/// compare set has in common (the files, names, seed and trials: those of
/// the first point). The point's own set is built by [`build`] when it runs.
#[derive(Debug, Clone)]
pub struct Point {
    pub values: Vec<f64>,
    pub set: Arc<CompareSet>,
}

/// What one grid point's trials said.
#[derive(Debug, Clone)]
pub struct PointResult {
    pub summary: CompareSummary,
    pub trials: u64,
    /// `fixed_trials`, `targets_met` or `max_trials`.
    pub stopped: &'static str,
    /// Each option's cost a month that annual billing commits to beyond
    /// this point's horizon (`CompareSet::commitments`), cents: the points
    /// share the first point's set, but months and prices move with the
    /// grid.
    pub commitments: Vec<f64>,
    /// This point's what-if lines (`CompareSet::what_ifs`).
    pub what_ifs: Vec<String>,
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

fn is_follow_up_key(key: &Key) -> bool {
    key.path.starts_with("follow_ups.")
}

/// For each source, whether a swept `follow_ups` key leaves it as it is:
/// in a compare set where some files have follow-ups on, those with them
/// off are the baseline ("with follow-ups against without"), kept without
/// follow-ups at every point. Where no file has them on, the key is
/// written in everywhere, and `edit` refuses it there.
pub fn follow_ups_untouched(params: &[Param], sources: &[Source]) -> Vec<bool> {
    let swept = params.iter().any(|p| is_follow_up_key(&p.key));
    let off: Vec<bool> = sources
        .iter()
        .map(|s| swept && super::edit::follow_ups_off(&s.text))
        .collect();
    match off.iter().all(|&o| o) {
        true => vec![false; sources.len()],
        false => off,
    }
}

/// Builds and validates the compare set of the grid point at `values`.
pub fn build(
    params: &[Param],
    values: &[f64],
    sources: &[Source],
    overrides: &Overrides,
) -> anyhow::Result<CompareSet> {
    let edits: Vec<_> = params.iter().map(|p| p.key).zip(values.to_vec()).collect();
    let at = || format!("sweep at {}", describe(params, values));
    let untouched = follow_ups_untouched(params, sources);
    let texts = sources
        .iter()
        .zip(&untouched)
        .map(|(s, &untouched)| {
            let own: Vec<_> = edits
                .iter()
                .filter(|(k, _)| !(untouched && is_follow_up_key(k)))
                .copied()
                .collect();
            apply(&s.text, &s.path, &own)
        })
        .collect::<Result<Vec<_>, _>>()
        .with_context(at)?;
    CompareSet::from_texts(sources.to_vec(), &texts, overrides).with_context(at)
}

/// Builds, validates and `check`s (e.g. for memory) the compare set of
/// every grid point, one at a time, keeping only its values; stops with
/// `Interrupted` on Ctrl-C.
pub fn prepare(
    params: &[Param],
    grid: &[Vec<f64>],
    sources: &[Source],
    overrides: &Overrides,
    check: impl Fn(&CompareSet) -> Result<(), UserError>,
) -> anyhow::Result<Vec<Point>> {
    let mut first: Option<Arc<CompareSet>> = None;
    let mut points = Vec::with_capacity(grid.len());
    for values in grid {
        crate::interrupt::check().map_err(|_| Interrupted)?;
        let set = build(params, values, sources, overrides)?;
        check(&set)?;
        let shared = first.get_or_insert_with(|| Arc::new(set)).clone();
        points.push(Point {
            values: values.clone(),
            set: shared,
        });
    }
    Ok(points)
}

/// Bytes a sweep keeps for every grid point until the end (its values and
/// its result, with one summary per option and per pair), so the memory
/// check can count them: they grow with points × options².
pub fn kept_bytes(points: usize, params: usize, options: usize) -> u64 {
    use std::mem::size_of;
    let pairs = options * options.saturating_sub(1) / 2;
    let per_point = size_of::<Point>()
        + params * size_of::<f64>()
        + size_of::<PointResult>()
        + options * size_of::<compare::OptionSummary>()
        + pairs * size_of::<compare::PairSummary>();
    (points as u64).saturating_mul(per_point as u64)
}

/// Simulates one grid point's set (from [`build`]) on the current rayon
/// pool.
pub fn run_point(set: &CompareSet, precision: Option<&Precision>, progress: bool) -> PointResult {
    let models = set.models();
    let (stats, outcome) = compare::run(&models, set.trials, precision, progress);
    PointResult {
        stopped: outcome.map_or("fixed_trials", |o| o.stop.key()),
        ..point_result(&stats, set)
    }
}

/// A grid point's result from its statistics, run to a fixed number of
/// trials (or merged from shards, which always are), and its set (from
/// [`build`]).
pub fn point_result(stats: &compare::CompareStats, set: &CompareSet) -> PointResult {
    let summary = CompareSummary::new(stats);
    PointResult {
        commitments: set.commitments(summary.months),
        what_ifs: set.what_ifs(),
        summary,
        trials: stats.trials(),
        stopped: "fixed_trials",
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
    /// For A and for B, the grid point on the line where it is the cheaper
    /// one (by the estimated difference, as the headline names the cheaper
    /// side), or costs exactly the same (`Shortfall::tie`), and sends the
    /// most fewer InMails than the other, if it ever does
    /// by 0.1 a month or more: part of its saving is sends it does not
    /// make, which the headline must say (a plan that cannot send the
    /// volume is not the cheaper way to send it).
    pub shortfalls: Vec<Shortfall>,
}

/// Where a cheaper option sends less (`BreakEvenLine::shortfalls`).
#[derive(Debug, Clone, PartialEq)]
pub struct Shortfall {
    /// The option that is cheaper there.
    pub option: usize,
    /// The other option of the pair.
    pub other: usize,
    /// The first parameter's value at the grid point.
    pub at: f64,
    /// Send attempts a month that could not go out (blocked for lack of a
    /// credit or refused by the Recruiter floor; with a backlog, a retried
    /// InMail counts each day) beyond the other option's.
    pub fewer: f64,
    /// The chance a month runs out there, of `option` and of `other`.
    pub ran_out: (f64, f64),
    /// Whether the Recruiter floor refused sends of either there.
    pub floor: bool,
    /// The two cost exactly the same there: `option` is the one that
    /// sends less, not a cheaper one.
    pub tie: bool,
}

/// Each option's worst shortfall over the grid points of one line, where
/// it is the cheaper option of the pair.
fn shortfalls(xs: &[f64], results: &[&PointResult], pair: usize) -> Vec<Shortfall> {
    let mut worst: Vec<Shortfall> = Vec::new();
    for (x, r) in xs.iter().zip(results) {
        let p = &r.summary.pairs[pair];
        // Cheaper by the estimate, as the break-even's headline names the
        // cheaper side of the crossing (with a 95% interval for where it
        // lies, not for each point): a headline that says "above it, A" on
        // a grid where no point's interval excludes $0 must still say what
        // A does not send (an independent check, fifteenth session).
        let o = &r.summary.options;
        let unsent = |i: usize| o[i].blocked_per_month + o[i].refused_per_month;
        // Costing exactly the same (equal prices, nothing bought), the one
        // that sends less is named, as compare's verdict names it.
        let tie = p.difference.mean == 0.0;
        let (option, other) = match &p.difference {
            d if d.mean < 0.0 => (p.a, p.b),
            d if d.mean > 0.0 => (p.b, p.a),
            _ if unsent(p.a) >= unsent(p.b) => (p.a, p.b),
            _ => (p.b, p.a),
        };
        let fewer = unsent(option) - unsent(other);
        if fewer < 0.1 {
            continue;
        }
        let found = Shortfall {
            option,
            other,
            at: *x,
            fewer,
            ran_out: (o[option].ran_out_month.mean, o[other].ran_out_month.mean),
            floor: o[option].refused_per_month + o[other].refused_per_month > 0.0,
            tie,
        };
        match worst
            .iter_mut()
            .find(|w| (w.option, w.tie) == (option, tie))
        {
            Some(w) if w.fewer >= fewer => {}
            Some(w) => *w = found,
            None => worst.push(found),
        }
    }
    worst.sort_by_key(|w| (w.tie, w.option));
    worst
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
            let line_results: Vec<&PointResult> = on_line.iter().map(|&i| &results[i]).collect();
            lines.push(BreakEvenLine {
                a: p.a,
                b: p.b,
                other,
                result: break_even(&xs, &diffs),
                shortfalls: shortfalls(&xs, &line_results, pair),
            });
        }
    }
    lines
}

#[cfg(test)]
mod prepare_tests {
    use super::*;
    use crate::sweep::{Param, points};
    use std::path::PathBuf;

    fn source() -> Source {
        Source {
            path: PathBuf::from("s.toml"),
            text: "[plan]\nid = \"sales_navigator_core\"\n[demand]\nper_week = 4\n".to_string(),
            sha256: String::new(),
        }
    }

    #[test]
    fn checking_the_grid_keeps_one_set_for_every_point_and_checks_each() {
        let params = vec![Param::parse("demand.per_week=1..50:1").unwrap()];
        let grid = points(&params).unwrap();
        let sources = vec![source(), source()];
        let checked = std::cell::Cell::new(0);
        let kept = prepare(&params, &grid, &sources, &Overrides::default(), |set| {
            checked.set(checked.get() + 1);
            assert_eq!(set.scenarios.len(), 2);
            Ok(())
        })
        .unwrap();
        assert_eq!((kept.len(), checked.get()), (50, 50));
        assert!(kept.iter().all(|p| Arc::ptr_eq(&p.set, &kept[0].set)));
        // Each point's own set is built again when it runs.
        let set = build(&params, &kept[49].values, &sources, &Overrides::default()).unwrap();
        assert_eq!(
            set.scenarios[0].demand.volume,
            crate::scenario::Volume::PerWeek(50.0)
        );
    }

    #[test]
    fn what_a_sweep_keeps_grows_with_points_and_pairs_of_options() {
        let one = kept_bytes(1, 2, 50);
        assert_eq!(kept_bytes(10_000, 2, 50), 10_000 * one);
        // 50 options have 1225 pairs.
        let pair = std::mem::size_of::<compare::PairSummary>() as u64;
        assert!(one > 1225 * pair, "{one}");
    }
}
