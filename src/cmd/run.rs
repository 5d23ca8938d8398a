//! `inmail-sim run`: load and validate the scenario, check the output folder
//! can be written, simulate, write the CSVs all-or-nothing, print a summary.

use crate::charts::Chart;
use crate::cli::RunArgs;
use crate::engine::Model;
use crate::error::UserError;
use crate::export::{OutputDir, RunMetadata, RunReport, run_exporters, sha256_hex};
use crate::runner::{self, Interrupted, RunOptions, memory};
use crate::scenario::{self, Overrides};
use anyhow::Context;

pub fn run(args: &RunArgs) -> anyhow::Result<()> {
    let text = scenario::read(&args.scenario)?;
    let overrides = Overrides {
        trials: args.trials,
        months: args.months,
        seed: args.seed,
    };
    let precision = super::compare::precision_of(&args.precision, 1)?;
    let sc = scenario::parse(&text, &args.scenario, &overrides)?;
    let threads = memory::threads(args.threads.map(usize::from));
    match &precision {
        None => memory::check_run(&sc, sc.trials, threads)?,
        Some(p) => memory::check(&[&sc], p.max_trials, threads)?,
    }
    let dir = args
        .out
        .clone()
        .unwrap_or_else(|| super::compare::default_folder(&sc.name));
    let mut out = OutputDir::prepare(&dir).map_err(|e| {
        UserError(format!(
            "cannot write to the output folder {}: {e}",
            dir.display()
        ))
    })?;
    // --samples: checked now, written after the run, committed with it.
    let samples = super::samples::prepare(args, &out)?;
    let samples_to_stdout = samples
        .as_ref()
        .is_some_and(super::samples::Samples::to_stdout);

    let trials = sc.trials;
    let model = Model::new(sc);
    let options = RunOptions {
        threads: args.threads.map(usize::from),
        progress: !args.quiet,
    };
    let (outcome, precise) = match &precision {
        None => (runner::run(&model, trials, options), None),
        Some(p) => match crate::precision::run_precise(&model, p, options) {
            Ok((run, precise)) => (Ok(run), Some(precise)),
            Err(e) => (Err(e), None),
        },
    };
    let outcome = outcome.context("cannot start the worker threads")?;
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
    let report = RunReport {
        scenario: &model.scenario,
        stats: &outcome.stats,
        metadata: &metadata,
    };
    for exporter in run_exporters() {
        out.stage(exporter.file_name(), |w| exporter.write(&report, w))
            .map_err(|e| {
                UserError(format!(
                    "cannot write {} in {}: {e}",
                    exporter.file_name(),
                    dir.display()
                ))
            })?;
    }
    if let Some(precise) = &precise {
        super::compare::stage(&mut out, "precision.csv", |w| {
            crate::export::precision::write_precision(w, &report.preamble(), precise)
        })?;
    }
    // report.html is staged from these charts
    let charts: Vec<Chart> = if args.charts.enabled() {
        crate::charts::run::charts(&model.scenario, &outcome.stats)
    } else {
        Vec::new()
    };
    crate::charts::stage(&mut out, &charts)?;
    if args.charts.enabled() {
        let page =
            crate::report_html::run_page(&model.scenario, &metadata, &outcome.stats, &charts);
        crate::report_html::stage(&mut out, &page)?;
    }
    // A partial run writes no samples (README, "Raw samples").
    let samples_dir = match samples {
        Some(s) if !partial => s.write(&mut out)?,
        _ => None,
    };
    if runner::interrupted() && !partial {
        // Ctrl-C while the files were written: keep the promise, leave none.
        return Err(Interrupted.into());
    }
    let mut written = OutputDir::commit_all([out].into_iter().chain(samples_dir).collect())
        .map_err(|e| UserError(format!("cannot finish writing the output files: {e}")))?;
    let written = written.remove(0);

    if !args.quiet {
        let table = crate::report::render(&model.scenario, &outcome.stats);
        // With `--samples -` stdout carries the samples only.
        super::print(samples_to_stdout, |w| {
            write!(w, "{table}")?;
            super::compare::print_ending(w, precise.as_ref(), &written)
        })?;
    }
    if partial {
        super::note(&format!(
            "Ctrl-C: wrote the statistics of the first {} trials (partial = true in metadata.csv)",
            outcome.stats.trials
        ));
        return Err(Interrupted.into());
    }
    Ok(())
}
