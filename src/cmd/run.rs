//! `inmail-sim run`: load and validate the scenario, check the output folder
//! can be written, simulate, write the CSVs all-or-nothing, print a summary.

use super::options::{first_lines, overrides, precision_of, with_edits};
use super::output::{Tail, finish, prepare, stage};
use super::shard::{ShardDone, Work, check_partial_target, normalised, write_partial};
use crate::cli::{RunArgs, SimArgs};
use crate::engine::Model;
use crate::error::UserError;
use crate::export::{FinishedRun, OutputDir, RunMetadata, run_exporters};
use crate::precision::{Outcome, Precision};
use crate::runner::{self, Interrupted, RunOptions, RunOutcome, interrupted, memory};
use crate::scenario::{self, sha256_hex};
use crate::shard::ShardSpec;
use crate::shard::partial::{Merged, MergedStats};
use crate::shard::state::{RunState, State};
use anyhow::Context;

pub fn run(args: &RunArgs) -> anyhow::Result<()> {
    let precision = precision_of(&args.precision, 1)?;
    let (text, sc) = load(args, precision.as_ref())?;
    let work = Work::of(&args.shard, args.sim.quiet)?;
    if let Work::Shard { spec, scheduler } = work {
        return run_shard(args, &text, Model::new(sc), spec, scheduler);
    }
    let mut out = prepare(args.sim.out.as_deref(), &sc.name)?;
    let inputs = work.inputs(std::slice::from_ref(&args.scenario));
    super::output::check_targets(
        &out,
        args.sim.json.as_deref(),
        &super::output::Planned {
            csvs: &[
                &[
                    "summary.csv",
                    "summary_horizon.csv",
                    "monthly.csv",
                    "histograms.csv",
                    "histograms_horizon.csv",
                ][..],
                if precision.is_some() {
                    &["precision.csv"]
                } else {
                    &[]
                },
            ]
            .concat(),
            charts: args.sim.charts.enabled(),
            svgs: &crate::charts::run::FILES,
            xlsx: args.sim.xlsx,
        },
        &inputs,
    )?;
    // --samples: checked now, written after the run, committed with it.
    let samples = super::samples::prepare(args, &out)?;
    one_file_each(args)?;

    let model = Model::new(sc);
    let (outcome, precise) = match &work {
        Work::Merged(m) => (merged_outcome(m)?, None),
        _ => simulate(&model, precision.as_ref(), &args.sim)?,
    };
    let partial = !outcome.complete;
    if partial && !args.keep_partial {
        return Err(Interrupted.into()); // `out` is dropped: nothing is left
    }
    if partial && outcome.stats.trials == 0 {
        // No round finished: a set of 0 trials would replace an earlier
        // run's files with empty statistics that read as numbers.
        super::note(
            "Ctrl-C before the first round of trials had finished (the trials completed are \
             kept in whole rounds, docs/guide.md): nothing was written",
        );
        return Err(Interrupted.into());
    }

    let metadata = RunMetadata {
        scenario_file: args.scenario.display().to_string(),
        scenario_sha256: sha256_hex(text.as_bytes()),
        threads: outcome.threads,
        wall_time: outcome.wall_time,
        partial,
        set: args.sim.set.join(" "),
        // Not written after Ctrl-C (`finish`), so not said either.
        samples: samples.as_ref().filter(|_| !partial).map(|s| s.described()),
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
        json: args.sim.json.as_deref(),
        xlsx: args.sim.xlsx,
        what_if: first_lines(model.scenario.what_ifs(), &args.sim),
        partial,
        keep_on_ctrl_c: args.keep_partial,
    };
    finish(out, tail)?;
    match partial {
        true => Err(kept_partial(outcome.stats.trials)),
        // Ctrl-C after every trial had run, while the files were written:
        // with --keep-partial they were kept, whole.
        false if args.keep_partial && interrupted() => {
            super::note("Ctrl-C after every trial had run: wrote the whole run's files");
            Err(Interrupted.into())
        }
        false => Ok(()),
    }
}

/// After Ctrl-C with `--keep-partial`: says what was written; the run
/// still ends as interrupted (exit 130).
fn kept_partial(trials: u64) -> anyhow::Error {
    super::note(&format!(
        "Ctrl-C: wrote the statistics of the first {} (partial = true in metadata.csv)",
        crate::numbers::count(trials, "trial", "trials")
    ));
    Interrupted.into()
}

/// Reads the file, writes `--set`'s edits in, validates it, and checks
/// that the run fits in memory. Returns the file's own text (for its
/// hash) and the scenario.
fn load(
    args: &RunArgs,
    precision: Option<&Precision>,
) -> anyhow::Result<(String, crate::scenario::Scenario)> {
    let text = scenario::read(&args.scenario)?;
    let edited = with_edits(&text, &args.scenario, &args.sim)?;
    let sc = scenario::parse(&edited, &args.scenario, &overrides(&args.sim))?;
    let threads = memory::threads(args.sim.threads.map(usize::from));
    match precision {
        None => memory::check_run(&sc, sc.trials, threads)?,
        Some(p) => memory::check(&[&sc], p.max_trials, threads)?,
    }
    Ok((text, sc))
}

/// `run --shard K/N`: simulates the shard's trials and writes its partial
/// state file instead of the outputs. Ctrl-C writes nothing.
fn run_shard(
    args: &RunArgs,
    text: &str,
    model: Model,
    spec: ShardSpec,
    scheduler: Option<String>,
) -> anyhow::Result<()> {
    if args.samples.is_some() {
        return Err(UserError(
            "--samples cannot be written by a shard: run the first trials without --shard".into(),
        )
        .into());
    }
    let trials = model.scenario.trials;
    let mut rest = args.clone();
    rest.shard = Default::default();
    let mut done = ShardDone {
        spec,
        scheduler,
        out: args.sim.out.as_deref(),
        default_name: &model.scenario.name,
        normalised: normalised(&crate::cli::Command::Run(rest.clone())).unwrap_or_default(),
        scenarios: vec![(&args.scenario, sha256_hex(text.as_bytes()))],
        seed: model.scenario.seed,
        trials,
        threads: 0,
        wall_time: std::time::Duration::ZERO,
        quiet: args.sim.quiet,
    };
    check_partial_target(&done)?;
    let options = RunOptions {
        threads: args.sim.threads.map(usize::from),
        progress: !args.sim.quiet,
    };
    let outcome = runner::run_range(&model, spec.range(trials), options)
        .context("cannot start the worker threads")?;
    if !outcome.complete {
        return Err(Interrupted.into()); // nothing written
    }
    (done.threads, done.wall_time) = (outcome.threads, outcome.wall_time);
    let stats = RunState::of(&outcome.stats);
    write_partial(done, State::Run { stats })
}

/// The outcome `merge` brings: every shard's statistics, merged.
fn merged_outcome(m: &Merged) -> anyhow::Result<RunOutcome> {
    let MergedStats::Run(stats) = &m.stats else {
        return Err(UserError("the partial state files are not from `run`".into()).into());
    };
    Ok(RunOutcome {
        stats: stats.clone(),
        threads: m.threads,
        wall_time: m.wall_time,
        complete: true,
    })
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

/// The CSVs and metadata of [`run_exporters`] (summary, monthly,
/// histograms, metadata.csv and metadata.json), and precision.csv with
/// `--precision`.
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
            crate::export::precision::write_precision(w, precise)
        })?;
    }
    Ok(())
}

/// `--samples` and `--json` naming one file (not `-`, which finish checks):
/// refused before the run rather than after it.
fn one_file_each(args: &RunArgs) -> Result<(), UserError> {
    let (Some(samples), Some(json)) = (&args.samples, &args.sim.json) else {
        return Ok(());
    };
    let same = |a: &std::path::Path, b: &std::path::Path| {
        use super::target::{name_and_folder, same_folder};
        matches!((name_and_folder(a), name_and_folder(b)),
            (Some((x, dx)), Some((y, dy))) if x == y && same_folder(&dx, &dy))
    };
    if samples.as_os_str() != "-" && same(samples, json) {
        return Err(UserError(format!(
            "--samples {} and --json {} name the same file; give the two different names",
            samples.display(),
            json.display()
        )));
    }
    Ok(())
}
