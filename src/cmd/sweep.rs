//! `inmail-sim sweep SCENARIO... --param KEY=FROM..TO[:STEP]`: validate every
//! grid point first, check the output folder, simulate each point like
//! `compare`, write sweep.csv (and sweep_pairs.csv and breakeven.csv for a
//! compare set), metadata.csv and metadata.json all-or-nothing, print a
//! short table.

use super::options::{overrides, pool, precision_of};
use super::output::{Tail, finish, prepare, run_metadata, stage, stage_metadata};
use crate::charts::Chart;
use crate::cli::SweepArgs;
use crate::compare::{CompareSet, Source};
use crate::error::UserError;
use crate::export::OutputDir;
use crate::export::compare::{set_metadata, write_rows};
use crate::export::sweep::{breakeven_rows, sweep_pair_rows, sweep_preamble, sweep_rows};
use crate::html::Page;
use crate::precision::Precision;
use crate::runner::{Interrupted, interrupted, memory};
use crate::scenario::Scenario;
use crate::sweep::run::{break_evens, build, kept_bytes, prepare as prepare_points, run_point};
use crate::sweep::{self, BreakEvenLine, Param, Point, PointResult};
use crate::terminal::sweep::{break_even_sentence, render};
use std::time::{Duration, Instant};

pub fn sweep(args: &SweepArgs) -> anyhow::Result<()> {
    let opts = &args.set.sim;
    let params = args
        .param
        .iter()
        .map(|p| Param::parse(p))
        .collect::<Result<Vec<_>, _>>()?;
    let grid = sweep::points(&params)?;
    let precision = precision_of(&args.set.precision, args.scenarios.len())?;
    let sources = args
        .scenarios
        .iter()
        .map(|p| Source::read(p))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let overrides = overrides(opts);
    let threads = memory::threads(opts.threads.map(usize::from));
    let kept = kept_bytes(grid.len(), params.len(), sources.len());
    let fits = |set: &CompareSet| fits(set, precision.as_ref(), threads, kept);
    let points = prepare_points(&params, &grid, &sources, &overrides, fits)?;
    let name = format!("sweep_{}", points[0].set.names().join("_vs_"));
    let mut out = prepare(opts.out.as_deref(), &name)?;

    let pool = pool(opts.threads)?;
    let started = Instant::now();
    let mut results: Vec<PointResult> = Vec::with_capacity(points.len());
    for p in &points {
        let set = build(&params, &p.values, &sources, &overrides)?;
        results.push(pool.install(|| run_point(&set, precision.as_ref(), !opts.quiet)));
        if interrupted() {
            return Err(Interrupted.into()); // `out` is dropped: nothing is left
        }
    }
    let wall_time = started.elapsed();
    let lines = break_evens(&params, &points, &results);

    let run = SweepRun {
        params: &params,
        points: &points,
        results: &results,
        lines: &lines,
    };
    let meta = sweep_metadata(
        &run,
        precision.as_ref(),
        pool.current_num_threads(),
        wall_time,
    );
    write_outputs(&mut out, &run, &meta)?;
    let tail = Tail {
        charts_on: opts.charts.enabled(),
        quiet: opts.quiet,
        charts: Box::new(|| crate::charts::sweep::charts(&params, &points, &results, &lines)),
        page: Box::new(|charts| page(&run, charts)),
        table: Box::new(|| render(&params, &points, &results, &lines)),
        outcome: None,
        samples: None,
        what_if: points[0].set.what_ifs(),
        partial: false,
    };
    finish(out, tail)
}

/// report.html, with the break-evens in the terminal's words.
fn page(run: &SweepRun<'_>, charts: &[Chart]) -> Page {
    let set = &run.points[0].set;
    let sentences: Vec<String> = run
        .lines
        .iter()
        .map(|l| break_even_sentence(run.params, set, l))
        .collect();
    crate::html::sweep_page(run.params, run.points, run.results, &sentences, charts)
}

/// Refuses a grid point that would not fit in memory: grid points run
/// one after another, so each must fit on its own, beside what the sweep
/// keeps of every point.
fn fits(
    set: &CompareSet,
    precision: Option<&Precision>,
    threads: usize,
    kept: u64,
) -> Result<(), UserError> {
    let all: Vec<&Scenario> = set.scenarios.iter().collect();
    let trials = precision.map_or(set.trials, |p| p.max_trials);
    memory::check_with(&all, trials, threads, kept)
}

/// A finished sweep, for the writers.
struct SweepRun<'a> {
    params: &'a [Param],
    points: &'a [Point],
    results: &'a [PointResult],
    lines: &'a [BreakEvenLine],
}

fn sweep_metadata(
    run: &SweepRun<'_>,
    precision: Option<&Precision>,
    threads: usize,
    wall_time: Duration,
) -> Vec<(String, String)> {
    let mut meta = set_metadata("sweep", &run.points[0].set);
    for (i, p) in run.params.iter().enumerate() {
        meta.push((format!("param_{}", i + 1), p.text.clone()));
    }
    meta.push(("grid_points".to_string(), run.points.len().to_string()));
    let most = run.results.iter().map(|r| r.trials).max().unwrap_or(0);
    meta.extend(run_metadata(most, precision, None, threads, wall_time));
    if precision.is_some() {
        // Every grid point stops on its own: "targets_met" only if all did.
        let all_met = run.results.iter().all(|r| r.stopped == "targets_met");
        let stopped = if all_met { "targets_met" } else { "max_trials" };
        if let Some(row) = meta.iter_mut().find(|(k, _)| k == "stopped") {
            row.1 = stopped.to_string();
        }
    }
    meta
}

/// Stages sweep.csv, and for a compare set sweep_pairs.csv and
/// breakeven.csv, then metadata.csv and metadata.json.
fn write_outputs(
    out: &mut OutputDir,
    run: &SweepRun<'_>,
    meta: &[(String, String)],
) -> Result<(), UserError> {
    let pre = sweep_preamble(run.params, run.points, run.results);
    let rows = sweep_rows(run.params, run.points, run.results);
    stage(out, "sweep.csv", |w| write_rows(w, &pre, &rows))?;
    if run.points[0].set.scenarios.len() > 1 {
        let pairs = sweep_pair_rows(run.params, run.points, run.results);
        stage(out, "sweep_pairs.csv", |w| write_rows(w, &pre, &pairs))?;
        let even = breakeven_rows(run.params, run.points, run.lines);
        stage(out, "breakeven.csv", |w| write_rows(w, &pre, &even))?;
    }
    stage_metadata(out, &pre, meta)
}
