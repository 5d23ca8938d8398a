//! `inmail-sim compare A.toml B.toml ...`: load the compare set, check the
//! output folder, simulate every option on the same trials, write
//! options.csv, pairs.csv, metadata.csv and metadata.json (and
//! precision.csv with `--precision`) all-or-nothing, print the table.

use crate::charts::Chart;
use crate::cli::{CompareArgs, PrecisionArgs, SetArgs};
use crate::compare::{self, CompareSet, CompareSummary, report};
use crate::error::UserError;
use crate::export::compare::{
    OPTION_COLUMNS, PAIR_COLUMNS, option_records, pair_records, set_metadata, write_key_values,
    write_table,
};
use crate::export::precision::write_precision;
use crate::export::{OutputDir, Preamble, write_metadata_json};
use crate::precision::{Outcome, Precision};
use crate::runner::{Interrupted, interrupted, memory};
use crate::scenario::{Overrides, Scenario};
use anyhow::Context;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub fn compare(args: &CompareArgs) -> anyhow::Result<()> {
    let opts = &args.set;
    let precision = precision_of(&opts.precision, args.scenarios.len())?;
    let set = CompareSet::load(&args.scenarios, &overrides(opts))?;
    check_memory(&set.scenarios, set.trials, precision.as_ref(), opts.threads)?;
    let names = set.names();
    let dir = opts
        .out
        .clone()
        .unwrap_or_else(|| default_folder(&format!("compare_{}", names.join("_vs_"))));
    let mut out = prepare(&dir)?;

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
        write_table(w, &pre, &OPTION_COLUMNS, &option_records(&set, &summary))
    })?;
    stage(&mut out, "pairs.csv", |w| {
        write_table(w, &pre, &PAIR_COLUMNS, &pair_records(&set, &summary))
    })?;
    stage_metadata(&mut out, &pre, &meta)?;
    if let Some(outcome) = &outcome {
        stage(&mut out, "precision.csv", |w| {
            write_precision(w, &pre, outcome)
        })?;
    }
    // report.html is staged from these charts
    let charts: Vec<Chart> = if opts.charts.enabled() {
        crate::charts::compare::charts(&set, &stats)
    } else {
        Vec::new()
    };
    crate::charts::stage(&mut out, &charts)?;
    if opts.charts.enabled() {
        let page = crate::report_html::compare_page(&set, &summary, &charts);
        crate::report_html::stage(&mut out, &page)?;
    }
    if interrupted() {
        return Err(Interrupted.into());
    }
    let written = commit(out)?;

    if !opts.quiet {
        let table = report::render(&set, &summary);
        super::print(false, |w| {
            write!(w, "{table}")?;
            print_ending(w, outcome.as_ref(), &written)
        })?;
    }
    Ok(())
}

/// Refuses a set whose options' statistics, run side by side, would not
/// fit in memory (see `runner::memory`).
pub(super) fn check_memory(
    scenarios: &[Scenario],
    trials: u64,
    precision: Option<&Precision>,
    threads: Option<u16>,
) -> Result<(), UserError> {
    let all: Vec<&Scenario> = scenarios.iter().collect();
    let trials = precision.map_or(trials, |p| p.max_trials);
    memory::check(&all, trials, memory::threads(threads.map(usize::from)))
}

pub(super) fn overrides(opts: &SetArgs) -> Overrides {
    Overrides {
        trials: opts.trials,
        months: opts.months,
        seed: opts.seed,
    }
}

/// The precision settings, if `--precision` was given.
pub(super) fn precision_of(
    args: &PrecisionArgs,
    options: usize,
) -> Result<Option<Precision>, UserError> {
    if args.precision.is_empty() {
        return Ok(None);
    }
    Precision::new(&args.precision, args.max_trials, options).map(Some)
}

/// The longest default folder name, in bytes: 255 is the limit of the
/// common file systems (ext4, XFS, APFS, NTFS in UTF-16 units).
const MAX_FOLDER_NAME: usize = 255;

/// `results/NAME`, for a folder the user did not choose. A name too long
/// for a file system (three 90-character scenario names in a compare) is
/// shortened the same way every time: its first 200 bytes (on a character
/// boundary), `_` and the first 12 hex digits of the whole name's SHA-256,
/// so two different sets still get different folders.
pub(super) fn default_folder(name: &str) -> PathBuf {
    if name.len() <= MAX_FOLDER_NAME {
        return PathBuf::from("results").join(name);
    }
    let mut end = 200;
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    let hash = crate::export::sha256_hex(name.as_bytes());
    PathBuf::from("results").join(format!("{}_{}", &name[..end], &hash[..12]))
}

pub(super) fn prepare(dir: &Path) -> Result<OutputDir, UserError> {
    OutputDir::prepare(dir).map_err(|e| {
        UserError(format!(
            "cannot write to the output folder {}: {e}",
            dir.display()
        ))
    })
}

pub(super) fn pool(threads: Option<u16>) -> anyhow::Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.map_or(0, usize::from))
        .build()
        .context("cannot start the worker threads")
}

pub(super) fn stage(
    out: &mut OutputDir,
    name: &str,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), UserError> {
    out.stage(name, fill).map_err(|e| {
        UserError(format!(
            "cannot write {name} in {}: {e}",
            out.path().display()
        ))
    })
}

/// metadata.csv and metadata.json: the same rows, as CSV and as JSON.
pub(super) fn stage_metadata(
    out: &mut OutputDir,
    preamble: &Preamble,
    rows: &[(String, String)],
) -> Result<(), UserError> {
    stage(out, "metadata.csv", |w| write_key_values(w, preamble, rows))?;
    stage(out, "metadata.json", |w| write_metadata_json(w, rows))
}

pub(super) fn commit(out: OutputDir) -> Result<Vec<PathBuf>, UserError> {
    out.commit()
        .map_err(|e| UserError(format!("cannot finish writing the output files: {e}")))
}

/// Metadata rows about the run itself: trials, precision, threads, time.
pub(super) fn run_metadata(
    trials: u64,
    precision: Option<&Precision>,
    outcome: Option<&Outcome>,
    threads: usize,
    wall_time: Duration,
) -> Vec<(String, String)> {
    let targets = precision.map_or(String::new(), |p| {
        p.targets
            .iter()
            .map(|t| t.to_string())
            .collect::<Vec<_>>()
            .join(" ")
    });
    let max_trials = precision.map_or(String::new(), |p| p.max_trials.to_string());
    let stopped = outcome.map_or("fixed_trials", |o| o.stop.key());
    vec![
        ("trials".to_string(), trials.to_string()),
        ("precision".to_string(), targets),
        ("max_trials".to_string(), max_trials),
        ("stopped".to_string(), stopped.to_string()),
        ("threads".to_string(), threads.to_string()),
        (
            "wall_time_seconds".to_string(),
            format!("{:.3}", wall_time.as_secs_f64()),
        ),
    ]
}

/// The precision sentence (if any) and the files written.
pub(super) fn print_ending(
    out: &mut dyn Write,
    outcome: Option<&Outcome>,
    written: &[PathBuf],
) -> io::Result<()> {
    if let Some(o) = outcome {
        writeln!(out, "\n{}", o.sentence())?;
    }
    let Some(dir) = written.first().and_then(|p| p.parent()) else {
        return Ok(());
    };
    let names: Vec<String> = written
        .iter()
        .filter_map(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .collect();
    writeln!(out, "\nWrote to {}: {}", dir.display(), names.join(", "))?;
    if names.iter().any(|n| n == "report.html") {
        let report = dir.join("report.html");
        writeln!(out, "The one-page report: {}", report.display())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_default_folder_name_too_long_is_shortened_the_same_way_every_time() {
        let short = "compare_a_vs_b";
        assert_eq!(default_folder(short), Path::new("results").join(short));
        let long = format!("compare_{}", vec!["é".repeat(45); 3].join("_vs_"));
        assert!(long.len() > MAX_FOLDER_NAME);
        let name = default_folder(&long);
        let name = name.file_name().unwrap().to_str().unwrap().to_string();
        assert!(name.len() <= MAX_FOLDER_NAME, "{}", name.len());
        assert_eq!(default_folder(&long), default_folder(&long));
        // Two sets that share the first 200 bytes still differ.
        let other = format!("{long}x");
        assert_ne!(default_folder(&other), default_folder(&long));
        assert!(name.starts_with("compare_é"), "{name}");
    }
}
