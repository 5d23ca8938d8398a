//! `--shard` on run, compare and sweep: which work this process does (all
//! trials, one shard's, or none because `merge` brings the statistics),
//! and the partial state file a shard leaves (issue 23).

use super::output::default_folder;
use crate::error::UserError;
use crate::scenario::sha256_hex;
use crate::shard::ShardSpec;
use crate::shard::partial::{Merged, Partial, ScenarioId};
use crate::shard::state::State;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// What a command that simulates does.
pub(super) enum Work {
    /// Every trial, then the outputs: no `--shard`.
    Whole,
    /// One shard's trials, then its partial state file.
    Shard {
        spec: ShardSpec,
        scheduler: Option<String>,
    },
    /// No trials: `merge` brings every shard's statistics.
    Merged(Arc<Merged>),
}

impl Work {
    /// The command's inputs: its scenario `files` and, for `merge`, the
    /// partial files, which the output must not replace either.
    pub(super) fn inputs<'a>(&'a self, files: &'a [PathBuf]) -> Vec<&'a Path> {
        let partials: &[PathBuf] = match self {
            Work::Merged(m) => &m.partials,
            _ => &[],
        };
        files.iter().chain(partials).map(PathBuf::as_path).collect()
    }

    /// From the command's `--shard` (resolving `auto` from the environment
    /// and saying where it found the shard) or `merge`'s statistics.
    pub(super) fn of(args: &crate::cli::ShardArgs, quiet: bool) -> Result<Work, UserError> {
        if let Some(merged) = &args.merged {
            return Ok(Work::Merged(Arc::clone(merged)));
        }
        let Some(arg) = args.shard else {
            return Ok(Work::Whole);
        };
        let (spec, scheduler) = arg.resolve(&|name| std::env::var(name).ok())?;
        if let (Some(from), false) = (&scheduler, quiet) {
            super::note(&format!("--shard auto: {from}"));
        }
        Ok(Work::Shard { spec, scheduler })
    }
}

/// One shard's finished trials, ready to be written.
pub(super) struct ShardDone<'a> {
    pub spec: ShardSpec,
    pub scheduler: Option<String>,
    /// The folder `--out` names, if given.
    pub out: Option<&'a Path>,
    /// The folder the unsharded command would write by default.
    pub default_name: &'a str,
    /// The command with the options that cannot change results cleared.
    pub normalised: String,
    /// Each scenario file and the SHA-256 of its text as read (before any
    /// `--set`: `merge` reads the files again and compares).
    pub scenarios: Vec<(&'a Path, String)>,
    pub seed: u64,
    pub trials: u64,
    pub threads: usize,
    pub wall_time: Duration,
    pub quiet: bool,
}

/// Where shard `done`'s partial state file goes: `--out DIR` or
/// `results/<name>.shards/`, named `shard-K-of-N.partial`; the folder and
/// the file.
fn partial_path(done: &ShardDone<'_>) -> (PathBuf, PathBuf) {
    let dir = done.out.map_or_else(
        || {
            let mut d = default_folder(done.default_name).into_os_string();
            d.push(".shards");
            PathBuf::from(d)
        },
        Path::to_path_buf,
    );
    let path = dir.join(format!("{}.partial", done.spec.file_stem()));
    (dir, path)
}

/// Checks, before the shard runs, that its partial file may be written: a
/// shard folder keeps no manifest, so the tool replaces a file there only
/// when it is this very shard's partial from an earlier try (the same
/// command, scenario files, seed, trials and shard), which a re-run is
/// meant to replace. Another run's partial, or any other file under that
/// name, is refused (exit code 2), not destroyed.
pub(super) fn check_partial_target(done: &ShardDone<'_>) -> Result<(), UserError> {
    let (_, path) = partial_path(done);
    let refuse = |why: String| {
        UserError(format!(
            "cannot write the partial state file {}: {why}",
            path.display()
        ))
    };
    writable_folder(&path).map_err(&refuse)?;
    match std::fs::symlink_metadata(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(refuse(format!("cannot check what is there: {e}"))),
        Ok(m) if !m.is_file() => {
            return Err(refuse(
                "something other than a file is there; move it or choose another --out".into(),
            ));
        }
        Ok(_) => {}
    }
    let old = Partial::read(&path).map_err(|e| {
        refuse(format!(
            "a file that is not a partial state file of this version is there ({e}), and the \
             shard would replace it; move it or choose another --out"
        ))
    })?;
    let ids = scenario_ids(done);
    let same = old.fingerprint == sha256_hex(done.normalised.as_bytes())
        && old.shard == done.spec
        && old.seed == done.seed
        && old.trials == done.trials
        && old.scenarios == ids;
    if same {
        return Ok(());
    }
    // The same command over a scenario file edited since reads as the
    // same run unless the edit is named.
    let edited = old.scenarios.len() == ids.len()
        && old
            .scenarios
            .iter()
            .zip(&ids)
            .any(|(a, b)| a.path == b.path && a.sha256 != b.sha256);
    let why = if edited {
        ", over a scenario file whose contents have changed since"
    } else {
        ""
    };
    Err(refuse(format!(
        "it holds shard {} of another run (`inmail-sim {}`{why}), which this shard would \
         replace; merge or move it first, or choose another --out",
        old.shard,
        old.args.join(" ")
    )))
}

/// Whether a file can be created in the folder of `path`, if it exists,
/// found before the shard spends its time simulating (a folder that does
/// not exist yet is created when the file is written). The probe is a
/// temporary file, removed at once.
fn writable_folder(path: &std::path::Path) -> Result<(), String> {
    // `a/../b` with `a` missing would leave an empty `a` behind.
    crate::export::check_no_parent_after_missing(path).map_err(|e| e.to_string())?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => std::path::Path::new("."),
    };
    if !dir.is_dir() {
        return Ok(());
    }
    let probe = tempfile::Builder::new()
        .prefix(".inmail-sim-partial-")
        .tempfile_in(dir);
    // The error's kind, not its text: tempfile's names the probe's
    // random file name, which says nothing to the user.
    probe.map(drop).map_err(|e| {
        format!(
            "no file can be created in {} ({}); choose another --out",
            dir.display(),
            std::io::Error::from(e.kind())
        )
    })
}

fn scenario_ids(done: &ShardDone<'_>) -> Vec<ScenarioId> {
    done.scenarios
        .iter()
        .map(|(p, sha256)| ScenarioId {
            path: p.display().to_string(),
            sha256: sha256.clone(),
        })
        .collect()
}

/// Writes shard `done`'s partial state file ([`partial_path`]).
pub(super) fn write_partial(done: ShardDone<'_>, state: State) -> anyhow::Result<()> {
    let (dir, path) = partial_path(&done);
    let range = done.spec.range(done.trials);
    let partial = Partial {
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        args: command_line()?,
        fingerprint: sha256_hex(done.normalised.as_bytes()),
        scenarios: scenario_ids(&done),
        seed: done.seed,
        trials: done.trials,
        shard: done.spec,
        trial_range: (range.start, range.end),
        scheduler: done.scheduler,
        threads: done.threads,
        wall_time_secs: done.wall_time.as_secs_f64(),
        state,
    };
    partial.write(&path)?;
    if !done.quiet {
        let last = range
            .end
            .checked_sub(1)
            .map_or("none".into(), |l| l.to_string());
        super::note(&format!(
            "shard {} (trials {} to {last} of {}): wrote {}; when every shard has run: \
             inmail-sim merge {}/*.partial",
            done.spec,
            range.start,
            done.trials,
            path.display(),
            dir.display()
        ));
    }
    Ok(())
}

/// The command line after the program name, which `merge` parses again:
/// every argument must be text.
fn command_line() -> Result<Vec<String>, UserError> {
    std::env::args_os()
        .skip(1)
        .map(|a| {
            a.into_string().map_err(|a| {
                UserError(format!(
                    "--shard needs a command line of text; this argument is not: {}",
                    a.to_string_lossy()
                ))
            })
        })
        .collect()
}

/// The whole command with the options that cannot change its results
/// (`--out`, `--threads`, `--quiet`, `--shard`) cleared and each scenario
/// named by its file name alone, as text: every shard of one run gives the
/// same, and its SHA-256 is the partial file's fingerprint. `merge`
/// computes it again from each file's command line (`check_fingerprint`),
/// so an edited command line is refused. The folder a scenario was read
/// from cannot change a result (its bytes are compared by SHA-256, and its
/// file name, which can name an option, is kept): shards run from another
/// folder, on another machine, or given `./x.toml` for `x.toml`, were
/// refused as "different options".
pub(super) fn normalised(command: &crate::cli::Command) -> Option<String> {
    use crate::cli::{Command, ShardArgs, SimArgs};
    use std::path::PathBuf;
    let clear = |sim: &mut SimArgs, shard: &mut ShardArgs| {
        sim.out = None;
        sim.threads = None;
        sim.quiet = false;
        *shard = ShardArgs::default();
    };
    let name = |p: &PathBuf| PathBuf::from(p.file_name().unwrap_or(p.as_os_str()));
    match command {
        Command::Run(a) => {
            let mut a = a.clone();
            clear(&mut a.sim, &mut a.shard);
            a.scenario = name(&a.scenario);
            Some(format!("run {a:?}"))
        }
        Command::Compare(a) => {
            let mut a = a.clone();
            clear(&mut a.set.sim, &mut a.set.shard);
            a.scenarios = a.scenarios.iter().map(name).collect();
            Some(format!("compare {a:?}"))
        }
        Command::Sweep(a) => {
            let mut a = a.clone();
            clear(&mut a.set.sim, &mut a.set.shard);
            a.scenarios = a.scenarios.iter().map(name).collect();
            Some(format!("sweep {a:?}"))
        }
        _ => None,
    }
}

/// Refuses a partial file whose command line is not the one its
/// fingerprint was made from: the file was edited (its checksum
/// recomputed), and merging it would finish another command than the one
/// the shards ran (a `--set` the statistics never saw, `--months 6` over
/// 12 months of them).
pub(super) fn check_fingerprint(
    path: &Path,
    partial: &Partial,
    command: &crate::cli::Command,
) -> Result<(), UserError> {
    let same =
        normalised(command).is_some_and(|text| sha256_hex(text.as_bytes()) == partial.fingerprint);
    if same {
        return Ok(());
    }
    Err(UserError(format!(
        "{}: its command line (inmail-sim {}) is not the one its shard ran (the fingerprint \
         differs): the file was edited; run that shard again",
        path.display(),
        crate::safe_text::command_line(&partial.args)
    )))
}
