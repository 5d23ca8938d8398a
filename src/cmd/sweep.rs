//! `inmail-sim sweep SCENARIO... --param KEY=FROM..TO[:STEP]`: validate every
//! grid point first, check the output folder, simulate each point like
//! `compare`, write sweep.csv (and sweep_pairs.csv and breakeven.csv for a
//! compare set), metadata.csv and metadata.json all-or-nothing, print a
//! short table.

use super::options::{
    edits, first_lines, overrides, pool, precision_of, read_source, refuse_months_twice, set_row,
};
use super::output::{Tail, finish, prepare, run_metadata, stage, stage_metadata};
use super::shard::{ShardDone, Work, check_partial_target, normalised, write_partial};
use crate::charts::Chart;
use crate::cli::{SimArgs, SweepArgs};
use crate::compare::{self, CompareSet, Source};
use crate::error::UserError;
use crate::export::OutputDir;
use crate::export::compare::{set_metadata, write_rows};
use crate::export::sweep::{breakeven_rows, sweep_pair_rows, sweep_rows, write_sweep_wide};
use crate::html::Page;
use crate::precision::Precision;
use crate::runner::{Interrupted, interrupted, memory};
use crate::scenario::Scenario;
use crate::shard::ShardSpec;
use crate::shard::partial::{Merged, MergedStats};
use crate::shard::state::{CompareState, State};
use crate::sweep::run::{
    break_evens, build, kept_bytes, point_result, prepare as prepare_points, run_point,
};
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
    let varied: Vec<_> = params
        .iter()
        .map(|p| (p.key, format!("--param {}", p.text)))
        .collect();
    refuse_months_twice(opts, &varied)?;
    let grid = sweep::points(&params)?;
    let precision = precision_of(&args.set.precision, args.scenarios.len())?;
    let sources = read_sources(args)?;
    if !opts.quiet {
        let untouched = crate::sweep::run::follow_ups_untouched(&params, &sources);
        for (source, _) in sources.iter().zip(untouched).filter(|(_, u)| *u) {
            super::note(&format!(
                "note: {} has follow-ups off; the swept follow_ups key leaves it as it is (the \
                 baseline of the set)",
                crate::safe_text::for_terminal(&source.path.display().to_string())
            ));
        }
    }
    let overrides = overrides(opts);
    let threads = memory::threads(opts.threads.map(usize::from));
    let kept = kept_bytes(grid.len(), params.len(), sources.len());
    let effective = std::cell::RefCell::new(vec![false; params.len()]);
    let fits = |set: &CompareSet| {
        mark_effective(&params, set, &effective);
        fits(set, precision.as_ref(), threads, kept)
    };
    let points = prepare_points(&params, &grid, &sources, &overrides, fits)?;
    refuse_flat_params(&params, &effective.borrow(), &points[0].set)?;
    let name = format!("sweep_{}", points[0].set.names().join("_vs_"));
    let grid = Grid {
        params: &params,
        points: &points,
        sources: &sources,
        overrides: &overrides,
    };
    let work = Work::of(&args.set.shard, opts.quiet)?;
    if let Work::Shard { spec, scheduler } = work {
        return sweep_shard(args, &grid, &name, spec, scheduler);
    }
    let mut out = prepare(opts.out.as_deref(), &name)?;
    let inputs = work.inputs(&args.scenarios);
    super::output::check_targets(
        &out,
        opts.json.as_deref(),
        &super::output::Planned {
            csvs: if points[0].set.scenarios.len() > 1 {
                &[
                    "sweep.csv",
                    "sweep_wide.csv",
                    "sweep_pairs.csv",
                    "breakeven.csv",
                ]
            } else {
                &["sweep.csv", "sweep_wide.csv"]
            },
            charts: opts.charts.enabled(),
            svgs: &[],
            xlsx: opts.xlsx,
        },
        &inputs,
    )?;

    let (results, threads, wall_time) = match &work {
        Work::Merged(m) => merged_results(m, &grid)?,
        _ => simulate(&grid, precision.as_ref(), opts)?,
    };
    let lines = break_evens(&params, &points, &results);

    let run = SweepRun {
        params: &params,
        points: &points,
        results: &results,
        lines: &lines,
    };
    let mut meta = sweep_metadata(&run, precision.as_ref(), threads, wall_time);
    // `set` where compare has it: after `start_date` and `what_if`.
    let after = ["what_if", "start_date"]
        .iter()
        .find_map(|k| meta.iter().position(|(key, _)| key == k))
        .map_or(meta.len(), |i| i + 1);
    meta.splice(after..after, set_row(opts));
    write_outputs(&mut out, &run, &meta)?;
    let tail = Tail {
        charts_on: opts.charts.enabled(),
        quiet: opts.quiet,
        charts: Box::new(|| crate::charts::sweep::charts(&params, &points, &results, &lines)),
        page: Box::new(|charts| page(&run, charts)),
        table: Box::new(|| render(&params, &points, &results, &lines)),
        outcome: None,
        samples: None,
        json: opts.json.as_deref(),
        xlsx: opts.xlsx,
        what_if: first_lines(every_what_if(&results), opts),
        partial: false,
        keep_on_ctrl_c: false,
    };
    finish(out, tail)
}

/// The what-if lines of every grid point, each once, in grid order: a
/// sweep over months says each horizon's ("these 6 months", "these 18
/// months"), not only the first point's.
fn every_what_if(results: &[PointResult]) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for line in results.iter().flat_map(|r| &r.what_ifs) {
        if !lines.contains(line) {
            lines.push(line.clone());
        }
    }
    lines
}

/// Every file, with `--set`'s edits written in.
fn read_sources(args: &SweepArgs) -> anyhow::Result<Vec<Source>> {
    let edits = edits(&args.set.sim)?;
    let sources = args
        .scenarios
        .iter()
        .map(|p| read_source(p, &edits))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let texts: Vec<_> = sources
        .iter()
        .map(|s| (s.path.as_path(), s.text.as_str()))
        .collect();
    super::options::refuse_without_effect(&texts, &edits)?;
    Ok(sources)
}

/// Marks the parameters that change something in `set` (a grid point's
/// set, `sweep::without_effect`).
fn mark_effective(params: &[Param], set: &CompareSet, effective: &std::cell::RefCell<Vec<bool>>) {
    for (i, param) in params.iter().enumerate() {
        let moves = |sc| crate::sweep::without_effect(sc, param.key.path).is_none();
        if set.scenarios.iter().any(moves) {
            effective.borrow_mut()[i] = true;
        }
    }
}

/// Refuses a `--param` that changes nothing at any point of the grid in
/// any file: its table would be flat, read as "the price does not matter"
/// where the scenario buys nothing.
fn refuse_flat_params(
    params: &[Param],
    effective: &[bool],
    first: &CompareSet,
) -> Result<(), UserError> {
    // The first such parameter is named; the user fixes one at a time.
    let Some((param, _)) = params.iter().zip(effective).find(|(_, e)| !**e) else {
        return Ok(());
    };
    let why = first
        .scenarios
        .iter()
        .find_map(|sc| crate::sweep::without_effect(sc, param.key.path))
        .unwrap_or("no file of the set uses it");
    Err(UserError(format!(
        "--param {}: changes nothing here: {why}",
        param.text
    )))
}

/// The grid a sweep runs: its parameters, points and files.
struct Grid<'a> {
    params: &'a [Param],
    points: &'a [Point],
    sources: &'a [Source],
    overrides: &'a crate::scenario::Overrides,
}

impl Grid<'_> {
    /// The compare set of grid point `p`, built and validated again.
    fn set(&self, p: &Point) -> anyhow::Result<CompareSet> {
        build(self.params, &p.values, self.sources, self.overrides)
    }
}

/// Runs every grid point like `compare`, one after another.
fn simulate(
    grid: &Grid<'_>,
    precision: Option<&Precision>,
    opts: &SimArgs,
) -> anyhow::Result<(Vec<PointResult>, usize, Duration)> {
    let pool = pool(opts.threads)?;
    let started = Instant::now();
    let mut results: Vec<PointResult> = Vec::with_capacity(grid.points.len());
    for p in grid.points {
        let set = grid.set(p)?;
        results.push(pool.install(|| run_point(&set, precision, !opts.quiet)));
        if interrupted() {
            return Err(Interrupted.into()); // the output folder is dropped: nothing is left
        }
    }
    Ok((results, pool.current_num_threads(), started.elapsed()))
}

/// `sweep --shard K/N`: the shard's trials of every grid point, written as
/// one partial state file instead of the outputs.
fn sweep_shard(
    args: &SweepArgs,
    grid: &Grid<'_>,
    name: &str,
    spec: ShardSpec,
    scheduler: Option<String>,
) -> anyhow::Result<()> {
    let opts = &args.set.sim;
    let pool = pool(opts.threads)?;
    let trials = grid.points[0].set.trials;
    let first = &grid.points[0].set;
    let mut done = ShardDone {
        spec,
        scheduler,
        out: opts.out.as_deref(),
        default_name: name,
        normalised: normalised(&crate::cli::Command::Sweep(args.clone())).unwrap_or_default(),
        scenarios: grid
            .sources
            .iter()
            .map(|s| (s.path.as_path(), s.sha256.clone()))
            .collect(),
        seed: first.seed,
        trials,
        threads: pool.current_num_threads(),
        wall_time: Duration::ZERO,
        quiet: opts.quiet,
    };
    check_partial_target(&done)?;
    let started = Instant::now();
    let mut states = Vec::with_capacity(grid.points.len());
    for p in grid.points {
        let models = grid.set(p)?.models();
        let stats = pool.install(|| compare::run_range(&models, spec.range(trials), !opts.quiet));
        if interrupted() {
            return Err(Interrupted.into()); // nothing written
        }
        states.push(CompareState::of(&stats));
    }
    done.wall_time = started.elapsed();
    write_partial(done, State::Sweep { points: states })
}

/// Every grid point's result from the statistics `merge` brings.
fn merged_results(
    m: &Merged,
    grid: &Grid<'_>,
) -> anyhow::Result<(Vec<PointResult>, usize, Duration)> {
    let MergedStats::Sweep(points) = &m.stats else {
        return Err(UserError("the partial state files are not from `sweep`".into()).into());
    };
    if points.len() != grid.points.len() {
        return Err(UserError("the partial state files hold another grid".into()).into());
    }
    let results = points
        .iter()
        .zip(grid.points)
        .map(|(stats, p)| Ok(point_result(stats, &grid.set(p)?)))
        .collect::<anyhow::Result<_>>()?;
    Ok((results, m.threads, m.wall_time))
}

/// report.html, with the break-evens in the terminal's words.
fn page(run: &SweepRun<'_>, charts: &[Chart]) -> Page {
    let set = &run.points[0].set;
    let sentences: Vec<String> = run
        .lines
        .iter()
        .map(|l| break_even_sentence(run.params, set, (run.points, run.results), l))
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
    // Every grid point's what-ifs (the first point's set has only its own:
    // "these 6 months" where the grid runs to 14).
    let what_if = crate::export::what_if_rows(&every_what_if(run.results));
    match meta.iter().position(|(k, _)| k == "what_if") {
        Some(i) => {
            meta.splice(i..=i, what_if);
        }
        None => {
            let at = meta
                .iter()
                .position(|(k, _)| k == "start_date")
                .map_or(meta.len(), |i| i + 1);
            meta.splice(at..at, what_if);
        }
    }
    for (i, p) in run.params.iter().enumerate() {
        let name = format!("param_{}", i + 1);
        // The first point's months are not the sweep's: say which param
        // varies them (its grid is in that row).
        if p.key.path == "months" {
            if let Some(row) = meta.iter_mut().find(|(k, _)| k == "months") {
                row.1 = format!("varied ({name})");
            }
        }
        meta.push((name, p.text.clone()));
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

/// Stages sweep.csv and sweep_wide.csv, and for a compare set sweep_pairs.csv and
/// breakeven.csv, then metadata.csv and metadata.json.
fn write_outputs(
    out: &mut OutputDir,
    run: &SweepRun<'_>,
    meta: &[(String, String)],
) -> Result<(), UserError> {
    let rows = sweep_rows(run.params, run.points, run.results);
    stage(out, "sweep.csv", |w| write_rows(w, &rows))?;
    stage(out, "sweep_wide.csv", |w| {
        write_sweep_wide(w, run.params, run.points, run.results)
    })?;
    if run.points[0].set.scenarios.len() > 1 {
        let pairs = sweep_pair_rows(run.params, run.points, run.results);
        stage(out, "sweep_pairs.csv", |w| write_rows(w, &pairs))?;
        let even = breakeven_rows(run.params, run.points, run.lines);
        stage(out, "breakeven.csv", |w| write_rows(w, &even))?;
    }
    stage_metadata(out, meta)
}
