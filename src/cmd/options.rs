//! What the commands that simulate make of their shared options: the
//! scenario overrides, the `--precision` settings, the worker pool and the
//! memory check.

use crate::cli::{PrecisionArgs, SimArgs};
use crate::compare::Source;
use crate::error::UserError;
use crate::precision::Precision;
use crate::runner::memory;
use crate::scenario::{Overrides, Scenario};
use crate::sweep::Key;
use anyhow::Context;
use std::path::Path;

pub(super) fn overrides(opts: &SimArgs) -> Overrides {
    Overrides {
        trials: opts.trials,
        months: opts.months,
        seed: opts.seed,
    }
}

/// The `--set KEY=VALUE` edits, in the order given (a later one wins).
/// Every command that simulates reads them here, so here `--months` is
/// checked against a `--set months=…`.
pub(super) fn edits(opts: &SimArgs) -> Result<Vec<(Key, f64)>, UserError> {
    let edits = opts
        .set
        .iter()
        .map(|s| crate::sweep::parse_set(s))
        .collect::<Result<Vec<_>, _>>()?;
    refuse_months_twice(opts, &[])?;
    Ok(edits)
}

/// `--months` replaces the scenario's `months` after every edit is written
/// in, so next to a `--set months=…`, or a `months` that `sweep` or
/// `solve` varies (`varied`: the command's parameters and how they were
/// given), it would silently undo the other: every grid point or
/// evaluation would run `--months` months. Refused, naming both.
pub(super) fn refuse_months_twice(
    opts: &SimArgs,
    varied: &[(Key, String)],
) -> Result<(), UserError> {
    refuse_keys_twice(opts, varied)?;
    let Some(months) = opts.months else {
        return Ok(());
    };
    let is_months = |k: &Key| k.path == "months";
    let set = opts.set.iter().filter_map(|s| {
        let (k, _) = crate::sweep::parse_set(s).ok()?;
        is_months(&k).then(|| format!("--set {s}"))
    });
    let other = varied
        .iter()
        .filter(|(k, _)| is_months(k))
        .map(|(_, given)| given.clone())
        .chain(set)
        .next();
    match other {
        Some(other) => Err(UserError(format!(
            "--months {months} and {other} both set months; --months would override the \
             other and every run would have {months} months: give only one of them"
        ))),
        None => Ok(()),
    }
}

/// The same key given twice, where one would silently undo the other: two
/// `--set`s of it (the last won), or a `--set` of a key that `sweep` or
/// `solve` varies (`varied`; every point ran the varied value, while
/// metadata.csv's `set` row recorded the `--set`). Refused, naming both.
fn refuse_keys_twice(opts: &SimArgs, varied: &[(Key, String)]) -> Result<(), UserError> {
    let mut seen: Vec<(Key, String)> = varied.to_vec();
    for s in &opts.set {
        let Ok((key, _)) = crate::sweep::parse_set(s) else {
            continue; // refused with its own message where it is read
        };
        // The same key, or another spelling of one quantity (a demand
        // volume replaces the others; the rate's centre moves the rate).
        let same = |k: &Key| k.path == key.path || crate::sweep::same_quantity(*k, key).is_some();
        if let Some((k, earlier)) = seen.iter().find(|(k, _)| same(k)) {
            let what = match k.path == key.path {
                true => key.path,
                false => crate::sweep::same_quantity(*k, key).unwrap_or(key.path),
            };
            return Err(UserError(format!(
                "{earlier} and --set {s} both set {what}; one would silently override the \
                 other: give only one of them"
            )));
        }
        seen.push((key, format!("--set {s}")));
    }
    Ok(())
}

/// A scenario file of a set with the `--set` edits written in (see
/// `sweep::apply`); its `sha256` stays the file's own.
pub(super) fn read_source(path: &Path, edits: &[(Key, f64)]) -> anyhow::Result<Source> {
    let mut source = Source::read(path)?;
    if !edits.is_empty() {
        source.text =
            crate::sweep::apply(&source.text, path, edits).map_err(|e| blamed_edit(e, edits))?;
        blame_set(&source.text, path, edits)?;
    }
    Ok(source)
}

/// An edit `apply` refused (a follow-up key where follow-ups are off) is
/// the command line's: named first, as `blame_set` names the others.
fn blamed_edit(e: crate::scenario::ScenarioError, edits: &[(Key, f64)]) -> anyhow::Error {
    use crate::scenario::Problem;
    let edit = match &e.problem {
        Problem::Invalid(bad) => edits.iter().rev().find(|(k, _)| k.path == bad.key),
        _ => None,
    };
    match edit {
        Some((k, v)) => UserError(format!("--set {}={v}: {e}", k.path)).into(),
        None => e.into(),
    }
}

/// A value `--set` wrote that the scenario refuses is the command line's
/// mistake, not the file's: the error says so (`--set seats=0: …`), then
/// what the file's check said. Other problems are left to the command's
/// own parse, which reports them as before.
fn blame_set(text: &str, path: &Path, edits: &[(Key, f64)]) -> Result<(), UserError> {
    use crate::scenario::Problem;
    let Err(e) = crate::scenario::parse(text, path, &Overrides::default()) else {
        return Ok(());
    };
    let key = match &e.problem {
        Problem::Invalid(bad) => Some(bad.key.as_str()),
        Problem::Syntax(_) => None,
        _ => return Ok(()),
    };
    let named = edits.iter().rev().find(|(k, _)| Some(k.path) == key);
    let set = |edits: &mut dyn Iterator<Item = &(Key, f64)>| {
        let shown: Vec<String> = edits
            .map(|(k, v)| format!("--set {}={v}", k.path))
            .collect();
        shown.join(", ")
    };
    let blamed = match named {
        Some(edit) => set(&mut std::iter::once(edit)),
        // Another key refused (the cap below a --set grant), or the reader's
        // own refusal (a number past its type): the edits' doing only if the
        // file is valid without them.
        None if source_is_valid(path) => set(&mut edits.iter()),
        None => return Ok(()),
    };
    // The reader's message quotes a line of the edited text, which is not
    // in the user's file: its last line says the key, value and limits.
    let message = match &e.problem {
        Problem::Syntax(text) => {
            let last = text.lines().last().unwrap_or_default();
            format!("{}: {last}", path.display())
        }
        _ => e.to_string(),
    };
    Err(UserError(format!("{blamed}: {message}")))
}

/// Refuses a `--set` edit that changes nothing in any of the scenarios
/// (`sweep::without_effect`: `addons.price` where nothing buys add-ons). In
/// a compare set it stays if one file uses it. A text that does not parse
/// is left to the command's own parse.
pub(super) fn refuse_without_effect(
    texts: &[(&Path, &str)],
    edits: &[(Key, f64)],
    varied: &[Key],
) -> Result<(), UserError> {
    let mut scenarios = Vec::new();
    for (path, text) in texts {
        match crate::scenario::parse(text, path, &Overrides::default()) {
            Ok(sc) => scenarios.push(sc),
            Err(_) => return Ok(()),
        }
    }
    for (key, value) in edits {
        // `--set open_profile.limit=5` with `--param open_profile.share`:
        // the grid, not the file, decides.
        let enabler = crate::sweep::enabled_by(key.path);
        if varied.iter().any(|v| Some(v.path) == enabler) {
            continue;
        }
        let whys: Vec<_> = scenarios
            .iter()
            .map(|sc| crate::sweep::without_effect(sc, key.path))
            .collect();
        let unused = whys.iter().all(Option::is_some);
        if let Some(Some(why)) = whys.first().filter(|_| unused) {
            let every = if texts.len() > 1 {
                " (in every file)"
            } else {
                ""
            };
            return Err(UserError(format!(
                "--set {}={value}: changes nothing here: {why}{every}",
                key.path
            )));
        }
    }
    Ok(())
}

/// Whether the scenario file as written parses and validates.
fn source_is_valid(path: &Path) -> bool {
    Source::read(path)
        .is_ok_and(|s| crate::scenario::parse(&s.text, path, &Overrides::default()).is_ok())
}

/// A scenario's text with `--set`'s edits written in (the file's own
/// text without them).
pub(super) fn with_edits(text: &str, path: &Path, opts: &SimArgs) -> anyhow::Result<String> {
    let edits = edits(opts)?;
    if edits.is_empty() {
        return Ok(text.to_string());
    }
    let text = crate::sweep::apply(text, path, &edits).map_err(|e| blamed_edit(e, &edits))?;
    blame_set(&text, path, &edits)?;
    refuse_without_effect(&[(path, &text)], &edits, &[])?;
    Ok(text)
}

/// The metadata row that records `--set` (none without it, so that the
/// metadata of a plain run is unchanged): the outputs are reproducible
/// only with the edits.
/// The lines every output prints first (the what-ifs, `Scenario::what_ifs`),
/// with the `--set` changes said before them: a report of a file read
/// with `--set demand.per_week=5` otherwise credits its answer to a file
/// that says 12 (an independent check found recommend, solve and sweep
/// silent about it).
pub(super) fn first_lines(what_ifs: Vec<String>, opts: &SimArgs) -> Vec<String> {
    let changes: Vec<String> = opts
        .set
        .iter()
        .map(|s| crate::safe_text::command_line(std::slice::from_ref(s)))
        .collect();
    let changed = (!changes.is_empty()).then(|| {
        format!(
            "Changed for this run with --set: {} (the file itself is unchanged).",
            changes.join(", ")
        )
    });
    changed.into_iter().chain(what_ifs).collect()
}

pub(super) fn set_row(opts: &SimArgs) -> Option<(String, String)> {
    (!opts.set.is_empty()).then(|| ("set".to_string(), opts.set.join(" ")))
}

/// The precision settings, if `--precision` was given.
pub(super) fn precision_of(
    args: &PrecisionArgs,
    options: usize,
) -> Result<Option<Precision>, UserError> {
    if args.precision.is_empty() {
        // clap's `requires` does not fire once `--trials` is given (it
        // conflicts with --precision): said here, not silently ignored.
        if let Some(n) = args.max_trials {
            return Err(UserError(format!(
                "--max-trials {n} goes with --precision (the most trials to add while a target \
                 is not met); with a fixed number of trials give only --trials"
            )));
        }
        return Ok(None);
    }
    Precision::new(&args.precision, args.max_trials, options).map(Some)
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

/// The worker threads of `--threads` (all cores without it, at most
/// [`crate::runner::MAX_THREADS`]).
pub(super) fn pool(threads: Option<u16>) -> anyhow::Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(memory::threads(threads.map(usize::from)))
        .build()
        .context("cannot start the worker threads")
}
