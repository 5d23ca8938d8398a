//! `inmail-sim compare A.toml B.toml ...`: load the compare set, check the
//! output folder, simulate every option on the same trials, write
//! options.csv, pairs.csv, metadata.csv and metadata.json (and
//! precision.csv with `--precision`) all-or-nothing, print the table.

use super::options::{check_memory, overrides, pool, precision_of};
use super::output::{Tail, finish, prepare, run_metadata, stage, stage_metadata};
use crate::cli::CompareArgs;
use crate::compare::{self, CompareSet, CompareSummary};
use crate::export::Preamble;
use crate::export::compare::{option_rows, pair_rows, set_metadata, write_rows};
use crate::export::precision::write_precision;
use crate::runner::{Interrupted, interrupted};
use std::time::Instant;

pub fn compare(args: &CompareArgs) -> anyhow::Result<()> {
    let opts = &args.set.sim;
    let precision = precision_of(&args.set.precision, args.scenarios.len())?;
    let set = CompareSet::load(&args.scenarios, &overrides(opts))?;
    check_memory(&set.scenarios, set.trials, precision.as_ref(), opts.threads)?;
    let name = format!("compare_{}", set.names().join("_vs_"));
    let mut out = prepare(opts.out.as_deref(), &name)?;

    let pool = pool(opts.threads)?;
    let started = Instant::now();
    let models = set.models();
    let (stats, outcome) =
        pool.install(|| compare::run(&models, set.trials, precision.as_ref(), !opts.quiet));
    let wall_time = started.elapsed();
    if interrupted() {
        return Err(Interrupted.into()); // `out` is dropped: nothing is left
    }
    let summary = CompareSummary::new(&stats);

    let mut meta = set_metadata("compare", &set);
    meta.extend(run_metadata(
        stats.trials(),
        precision.as_ref(),
        outcome.as_ref(),
        pool.current_num_threads(),
        wall_time,
    ));
    let pre = Preamble::of_set("compare", &set, stats.trials());
    stage(&mut out, "options.csv", |w| {
        write_rows(w, &pre, &option_rows(&set, &summary))
    })?;
    stage(&mut out, "pairs.csv", |w| {
        write_rows(w, &pre, &pair_rows(&set, &summary))
    })?;
    stage_metadata(&mut out, &pre, &meta)?;
    if let Some(outcome) = &outcome {
        stage(&mut out, "precision.csv", |w| {
            write_precision(w, &pre, outcome)
        })?;
    }
    let tail = Tail {
        charts_on: opts.charts.enabled(),
        quiet: opts.quiet,
        charts: Box::new(|| crate::charts::compare::charts(&set, &stats)),
        page: Box::new(|charts| crate::html::compare_page(&set, &summary, charts)),
        table: Box::new(|| crate::terminal::compare::render(&set, &summary)),
        outcome: outcome.as_ref(),
        samples: None,
        what_if: set.what_ifs(),
        partial: false,
    };
    finish(out, tail)
}
