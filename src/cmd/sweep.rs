//! `inmail-sim sweep SCENARIO... --param KEY=FROM..TO[:STEP]`: validate every
//! grid point first, check the output folder, simulate each point like
//! `compare`, write sweep.csv (and sweep_pairs.csv and breakeven.csv for a
//! compare set), metadata.csv and metadata.json all-or-nothing, print a
//! short table.

use super::options::{overrides, pool, precision_of};
use super::output::{Tail, finish, prepare, run_metadata, stage, stage_metadata};
use crate::cli::SweepArgs;
use crate::compare::Source;
use crate::error::UserError;
use crate::export::OutputDir;
use crate::export::compare::{set_metadata, write_table};
use crate::export::sweep::{
    BREAKEVEN_COLUMNS, breakeven_records, sweep_header, sweep_pairs_header, sweep_preamble,
    sweep_records,
};
use crate::precision::Precision;
use crate::runner::{Interrupted, interrupted, memory};
use crate::scenario::Scenario;
use crate::sweep::run::{
    break_evens, build, describe, kept_bytes, prepare as prepare_points, run_point,
};
use crate::sweep::{self, BreakEvenLine, Param, Point, PointResult};
use std::fmt::Write as _;
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
    // Grid points run one after another: each must fit on its own, beside
    // what the sweep keeps of every point.
    let kept = kept_bytes(grid.len(), params.len(), sources.len());
    let threads = memory::threads(opts.threads.map(usize::from));
    let fits = |set: &crate::compare::CompareSet| {
        let all: Vec<&Scenario> = set.scenarios.iter().collect();
        let trials = precision.as_ref().map_or(set.trials, |p| p.max_trials);
        memory::check_with(&all, trials, threads, kept)
    };
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
        page: Box::new(|charts| {
            let set = &points[0].set;
            let sentences: Vec<String> = lines
                .iter()
                .map(|l| break_even_sentence(&params, set, l))
                .collect();
            crate::report_html::sweep_page(&params, &points, &results, &sentences, charts)
        }),
        table: Box::new(|| render(&params, &points, &results, &lines)),
        outcome: None,
        samples: None,
        partial: false,
    };
    finish(out, tail)
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
    let rows = sweep_records(run.params, run.points, run.results, false);
    stage(out, "sweep.csv", |w| {
        write_table(w, &pre, &sweep_header(), &rows)
    })?;
    if run.points[0].set.scenarios.len() > 1 {
        let pairs = sweep_records(run.params, run.points, run.results, true);
        stage(out, "sweep_pairs.csv", |w| {
            write_table(w, &pre, &sweep_pairs_header(), &pairs)
        })?;
        let even = breakeven_records(run.params, run.points, run.lines);
        stage(out, "breakeven.csv", |w| {
            write_table(w, &pre, &BREAKEVEN_COLUMNS, &even)
        })?;
    }
    stage_metadata(out, &pre, meta)
}

/// The sweep table: one line per grid point and option, then the
/// break-evens.
fn render(
    params: &[Param],
    points: &[Point],
    results: &[PointResult],
    lines: &[BreakEvenLine],
) -> String {
    let mut t = String::new();
    let set = &points[0].set;
    let _ = writeln!(
        t,
        "sweep: {} option(s) x {} grid points, seed {} (every point and option on the same trials)\n",
        set.scenarios.len(),
        points.len(),
        set.seed
    );
    let fewest = results.iter().map(|r| r.trials).min().unwrap_or(0);
    if let Some(note) = crate::stats::few_trials_note(fewest) {
        let _ = writeln!(t, "{note}\n");
    }
    let _ = writeln!(
        t,
        "{:<40} {:<24} {:>9} {:>30} {:>8}",
        "grid point", "option", "trials", "cost/month (95% CI)", "ran out"
    );
    for (point, result) in points.iter().zip(results) {
        for (i, o) in result.summary.options.iter().enumerate() {
            let cost = o.cost.dollars_with_interval();
            let option = format!(
                "{} {}",
                crate::compare::label(i),
                point.set.scenarios[i].name
            );
            let _ = writeln!(
                t,
                "{:<40} {:<24} {:>9} {:>30} {:>7.1}%",
                describe(params, &point.values),
                option,
                o.trials,
                cost,
                100.0 * o.ran_out_month.mean
            );
        }
    }
    for line in lines {
        let _ = writeln!(t, "\n{}", break_even_sentence(params, set, line));
    }
    t
}

fn break_even_sentence(
    params: &[Param],
    set: &crate::compare::CompareSet,
    line: &BreakEvenLine,
) -> String {
    let name = |i: usize| format!("{} ({})", crate::compare::label(i), set.scenarios[i].name);
    let other = match (params.get(1), line.other) {
        (Some(p), Some(v)) => format!(" at {} = {v}", p.key.path),
        _ => String::new(),
    };
    let head = format!(
        "Break-even {}, {} vs {}{other}",
        params[0].key.path,
        name(line.a),
        name(line.b)
    );
    let r = &line.result;
    let who = |c: Option<sweep::Cheaper>| match c {
        Some(sweep::Cheaper::A) => name(line.a),
        Some(sweep::Cheaper::B) => name(line.b),
        None => "neither".to_string(),
    };
    let Some(value) = r.value else {
        return format!(
            "{head}: none on the grid; {} is cheaper throughout.",
            who(r.cheaper_below)
        );
    };
    let bound = |b: Option<f64>| b.map_or("beyond the grid".to_string(), |v| v.to_string());
    format!(
        "{head}: {value:.4} (between {} and {}); {} is cheaper below, {} above{}.",
        bound(r.low),
        bound(r.high),
        who(r.cheaper_below),
        who(r.cheaper_above),
        if r.crossings > 1 {
            format!(
                " ({} crossings: the cheaper option changes more than once)",
                r.crossings
            )
        } else {
            String::new()
        }
    )
}
