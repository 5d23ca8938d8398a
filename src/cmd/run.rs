//! `inmail-sim run`: load and validate the scenario, check the output folder
//! can be written, simulate, write the CSVs all-or-nothing, print a summary.

use super::options::{overrides, precision_of};
use super::output::{Tail, finish, prepare, stage};
use crate::cli::{RunArgs, SimArgs};
use crate::engine::Model;
use crate::error::UserError;
use crate::export::{FinishedRun, OutputDir, RunMetadata, run_exporters};
use crate::precision::{Outcome, Precision};
use crate::runner::{self, Interrupted, RunOptions, RunOutcome, memory};
use crate::scenario::{self, sha256_hex};
use anyhow::Context;

pub fn run(args: &RunArgs) -> anyhow::Result<()> {
    let text = scenario::read(&args.scenario)?;
    let overrides = overrides(&args.sim);
    let precision = precision_of(&args.precision, 1)?;
    let sc = scenario::parse(&text, &args.scenario, &overrides)?;
    let threads = memory::threads(args.sim.threads.map(usize::from));
    match &precision {
        None => memory::check_run(&sc, sc.trials, threads)?,
        Some(p) => memory::check(&[&sc], p.max_trials, threads)?,
    }
    let mut out = prepare(args.sim.out.as_deref(), &sc.name)?;
    // --samples: checked now, written after the run, committed with it.
    let samples = super::samples::prepare(args, &out)?;

    let model = Model::new(sc);
    let (outcome, precise) = simulate(&model, precision.as_ref(), &args.sim)?;
    let partial = !outcome.complete;
    if partial && !args.keep_partial {
        return Err(Interrupted.into()); // `out` is dropped: nothing is left
    }

    let metadata = RunMetadata {
        scenario_file: args.scenario.display().to_string(),
        scenario_sha256: sha256_hex(text.as_bytes()),
        threads: outcome.threads,
        wall_time: outcome.wall_time,
        partial,
    };
    let finished = FinishedRun {
        scenario: &model.scenario,
        stats: &outcome.stats,
        metadata: &metadata,
    };
    stage_csvs(&mut out, &finished, precise.as_ref())?;
    let stats = &outcome.stats;
    let tail = Tail {
        charts_on: args.sim.charts.enabled(),
        quiet: args.sim.quiet,
        charts: Box::new(|| crate::charts::run::charts(&model.scenario, stats)),
        page: Box::new(|charts| crate::html::run_page(&model.scenario, &metadata, stats, charts)),
        table: Box::new(|| crate::terminal::run::render(&model.scenario, stats)),
        outcome: precise.as_ref(),
        samples,
        what_if: model.scenario.what_ifs(),
        partial,
    };
    finish(out, tail)?;
    if partial {
        super::note(&format!(
            "Ctrl-C: wrote the statistics of the first {} trials (partial = true in metadata.csv)",
            outcome.stats.trials
        ));
        return Err(Interrupted.into());
    }
    Ok(())
}

/// Runs the trials: the scenario's number, or with `--precision` until
/// the targets are met.
fn simulate(
    model: &Model,
    precision: Option<&Precision>,
    sim: &SimArgs,
) -> anyhow::Result<(RunOutcome, Option<Outcome>)> {
    let options = RunOptions {
        threads: sim.threads.map(usize::from),
        progress: !sim.quiet,
    };
    let (outcome, precise) = match precision {
        None => (runner::run(model, model.scenario.trials, options), None),
        Some(p) => match crate::precision::run_precise(model, p, options) {
            Ok((run, precise)) => (Ok(run), Some(precise)),
            Err(e) => (Err(e), None),
        },
    };
    let outcome = outcome.context("cannot start the worker threads")?;
    Ok((outcome, precise))
}

/// summary.csv, histograms.csv, metadata.csv and metadata.json, and
/// precision.csv with `--precision`.
fn stage_csvs(
    out: &mut OutputDir,
    finished: &FinishedRun<'_>,
    precise: Option<&Outcome>,
) -> Result<(), UserError> {
    for exporter in run_exporters() {
        stage(out, exporter.file_name(), |w| exporter.write(finished, w))?;
    }
    if let Some(precise) = precise {
        stage(out, "precision.csv", |w| {
            crate::export::precision::write_precision(w, &finished.preamble(), precise)
        })?;
    }
    Ok(())
}
