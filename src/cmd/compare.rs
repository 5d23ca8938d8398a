//! `inmail-sim compare A.toml B.toml ...`: load the compare set, check the
//! output folder, simulate every option on the same trials, write
//! options.csv, pairs.csv, metadata.csv and metadata.json (and
//! precision.csv with `--precision`) all-or-nothing, print the table.

use super::options::{
    check_memory, edits, first_lines, overrides, pool, precision_of, read_source, set_row,
};
use super::output::{Tail, finish, prepare, run_metadata, stage, stage_metadata};
use super::shard::{ShardDone, Work, check_partial_target, normalised, write_partial};
use crate::cli::CompareArgs;
use crate::compare::{self, CompareSet, CompareStats, CompareSummary};
use crate::error::UserError;
use crate::export::compare::{option_rows, pair_rows, set_metadata, write_rows};
use crate::export::precision::write_precision;
use crate::precision::Outcome;
use crate::runner::{Interrupted, interrupted};
use crate::shard::ShardSpec;
use crate::shard::partial::{Merged, MergedStats};
use crate::shard::state::{CompareState, State};
use std::path::Path;
use std::time::Duration;
use std::time::Instant;

pub fn compare(args: &CompareArgs) -> anyhow::Result<()> {
    let opts = &args.set.sim;
    let precision = precision_of(&args.set.precision, args.scenarios.len())?;
    let set = load_set(args)?;
    check_memory(&set.scenarios, set.trials, precision.as_ref(), opts.threads)?;
    let name = format!("compare_{}", set.names().join("_vs_"));
    let work = Work::of(&args.set.shard, opts.quiet)?;
    if let Work::Shard { spec, scheduler } = work {
        return compare_shard(args, &set, &name, spec, scheduler);
    }
    let mut out = prepare(opts.out.as_deref(), &name)?;
    let inputs = work.inputs(&args.scenarios);
    super::output::check_targets(
        &out,
        opts.json.as_deref(),
        &super::output::Planned {
            csvs: &[
                &["options.csv", "pairs.csv"][..],
                if precision.is_some() {
                    &["precision.csv"]
                } else {
                    &[]
                },
            ]
            .concat(),
            charts: opts.charts.enabled(),
            svgs: &crate::charts::compare::FILES,
            xlsx: opts.xlsx,
        },
        &inputs,
    )?;

    let (stats, outcome, threads, wall_time) = match &work {
        Work::Merged(m) => merged_stats(m)?,
        _ => simulate(&set, precision.as_ref(), opts)?,
    };
    if interrupted() {
        return Err(Interrupted.into()); // `out` is dropped: nothing is left
    }
    let summary = CompareSummary::new(&stats);

    let mut meta = set_metadata("compare", &set);
    meta.extend(set_row(opts));
    meta.extend(run_metadata(
        stats.trials(),
        precision.as_ref(),
        outcome.as_ref(),
        threads,
        wall_time,
    ));
    stage_csvs(&mut out, &set, &summary, &meta, outcome.as_ref())?;
    let tail = Tail {
        charts_on: opts.charts.enabled(),
        quiet: opts.quiet,
        charts: Box::new(|| crate::charts::compare::charts(&set, &stats)),
        page: Box::new(|charts| crate::html::compare_page(&set, &summary, charts)),
        table: Box::new(|| crate::terminal::compare::render(&set, &summary)),
        outcome: outcome.as_ref(),
        samples: None,
        json: opts.json.as_deref(),
        xlsx: opts.xlsx,
        what_if: first_lines(set.what_ifs(), opts),
        partial: false,
        keep_on_ctrl_c: false,
    };
    finish(out, tail)
}

/// Reads every file with `--set`'s edits written in, and validates the set.
fn load_set(args: &CompareArgs) -> anyhow::Result<CompareSet> {
    let opts = &args.set.sim;
    let edits = edits(opts)?;
    let sources = args
        .scenarios
        .iter()
        .map(|p| read_source(p, &edits))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let texts: Vec<_> = sources
        .iter()
        .map(|s| (s.path.as_path(), s.text.as_str()))
        .collect();
    super::options::refuse_without_effect(&texts, &edits, &[])?;
    let texts: Vec<String> = sources.iter().map(|s| s.text.clone()).collect();
    CompareSet::from_texts(sources, &texts, &overrides(opts))
}

/// Every option on the same trials: the set's number, or with
/// `--precision` until the targets are met.
fn simulate(
    set: &CompareSet,
    precision: Option<&crate::precision::Precision>,
    opts: &crate::cli::SimArgs,
) -> anyhow::Result<Simulated> {
    let pool = pool(opts.threads)?;
    let started = Instant::now();
    let models = set.models();
    let (stats, outcome) =
        pool.install(|| compare::run(&models, set.trials, precision, !opts.quiet));
    Ok((
        stats,
        outcome,
        pool.current_num_threads(),
        started.elapsed(),
    ))
}

/// options.csv, pairs.csv, the metadata, and precision.csv with
/// `--precision`.
fn stage_csvs(
    out: &mut crate::export::OutputDir,
    set: &CompareSet,
    summary: &CompareSummary,
    meta: &[(String, String)],
    outcome: Option<&Outcome>,
) -> Result<(), UserError> {
    stage(out, "options.csv", |w| {
        write_rows(w, &option_rows(set, summary))
    })?;
    stage(out, "pairs.csv", |w| {
        write_rows(w, &pair_rows(set, summary))
    })?;
    stage_metadata(out, meta)?;
    if let Some(outcome) = outcome {
        stage(out, "precision.csv", |w| write_precision(w, outcome))?;
    }
    Ok(())
}

/// `compare --shard K/N`: simulates the shard's trials of every option in
/// lockstep and writes its partial state file instead of the outputs.
fn compare_shard(
    args: &CompareArgs,
    set: &CompareSet,
    name: &str,
    spec: ShardSpec,
    scheduler: Option<String>,
) -> anyhow::Result<()> {
    let opts = &args.set.sim;
    let pool = pool(opts.threads)?;
    let mut done = ShardDone {
        spec,
        scheduler,
        out: opts.out.as_deref(),
        default_name: name,
        normalised: normalised(&crate::cli::Command::Compare(args.clone())).unwrap_or_default(),
        scenarios: sources_of(set),
        seed: set.seed,
        trials: set.trials,
        threads: pool.current_num_threads(),
        wall_time: Duration::ZERO,
        quiet: opts.quiet,
    };
    check_partial_target(&done)?;
    let started = Instant::now();
    let models = set.models();
    let range = spec.range(set.trials);
    let stats = pool.install(|| compare::run_range(&models, range, !opts.quiet));
    if interrupted() {
        return Err(Interrupted.into()); // nothing written
    }
    done.wall_time = started.elapsed();
    let stats = CompareState::of(&stats);
    write_partial(done, State::Compare { stats })
}

/// Every file of the set: its path and its text as read.
/// Each file of the set and the SHA-256 of the file as read (its text
/// here may carry `--set`'s edits).
pub(super) fn sources_of(set: &CompareSet) -> Vec<(&Path, String)> {
    set.sources
        .iter()
        .map(|s| (s.path.as_path(), s.sha256.clone()))
        .collect()
}

type Simulated = (CompareStats, Option<Outcome>, usize, Duration);

/// The statistics `merge` brings.
fn merged_stats(m: &Merged) -> anyhow::Result<Simulated> {
    let MergedStats::Compare(stats) = &m.stats else {
        return Err(UserError("the partial state files are not from `compare`".into()).into());
    };
    Ok((stats.clone(), None, m.threads, m.wall_time))
}
