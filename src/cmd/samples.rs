//! `run --samples FILE`: checked before the run (limit, scenario, and the
//! target, see [`Sink`]), written after the run succeeded and committed with
//! the run's files, so a bad target leaves the output folder as it was. The
//! sampled trials are trials `0..limit/months` (whole trials, at most the
//! run's trials), simulated again one after the other on this thread with
//! their own simulator: a trial depends only on the seed and its index, so
//! the rows are those of the run's trials and the file is the same for any
//! `--threads`.

use crate::cli::RunArgs;
use crate::engine::{Model, Simulator};
use crate::error::UserError;
use crate::export::samples::{
    DEFAULT_SAMPLES_LIMIT, MAX_SAMPLES_LIMIT, TrialCycles, write_samples,
};
use crate::export::{OutputDir, is_tool_name};
use crate::runner::{Interrupted, interrupted};
use crate::scenario;
use anyhow::Context;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Where the samples go.
#[derive(Debug)]
pub enum Sink {
    /// `-`: standard output (the summary table then goes to stderr).
    Stdout,
    /// A character device or a FIFO: written to as it is, never replaced
    /// (`--samples /dev/null` as root must leave /dev/null a device).
    Stream(PathBuf),
    /// A regular file (new or replaced) in the output folder: staged with
    /// the run's files.
    InOutput(String),
    /// A regular file elsewhere: staged in its own folder and committed
    /// together with the run's files.
    Elsewhere(OutputDir, String),
}

#[derive(Debug)]
pub struct Samples {
    model: Model,
    trials: u64,
    target: PathBuf,
    pub sink: Sink,
}

/// `None` without `--samples`; refuses a bad limit or a bad target. `out`
/// is the run's output folder, already prepared.
pub fn prepare(args: &RunArgs, out: &OutputDir) -> anyhow::Result<Option<Samples>> {
    let Some(target) = args.samples.clone() else {
        return Ok(None);
    };
    let limit = args.samples_limit.unwrap_or(DEFAULT_SAMPLES_LIMIT);
    if limit > MAX_SAMPLES_LIMIT {
        return Err(UserError(format!(
            "--samples-limit {limit}: at most {MAX_SAMPLES_LIMIT} rows (about 2 GB of CSV); \
sample fewer trials"
        ))
        .into());
    }
    let text = scenario::read(&args.scenario)?;
    let edited = super::options::with_edits(&text, &args.scenario, &args.sim)?;
    let sc = scenario::parse(
        &edited,
        &args.scenario,
        &super::options::overrides(&args.sim),
    )?;
    let months = u64::from(sc.months);
    if limit < months {
        return Err(UserError(format!(
            "--samples-limit {limit}: a trial has {months} rows (one per cycle); \
the limit must be at least {months}"
        ))
        .into());
    }
    let trials = (limit / months).min(sc.trials);
    let sink = sink(&target, &args.scenario, out)?;
    let samples = Samples {
        model: Model::new(sc),
        trials,
        target,
        sink,
    };
    Ok(Some(samples))
}

impl Samples {
    /// The file as given and the trials it holds (`0..n`), for metadata.csv.
    pub fn described(&self) -> (String, u64) {
        (self.target.display().to_string(), self.trials)
    }

    /// Whether the samples go to standard output.
    pub fn to_stdout(&self) -> bool {
        matches!(self.sink, Sink::Stdout)
    }

    /// Simulates the sampled trials and writes them: staged in `out` or in
    /// their own folder (returned, to be committed with `out`), or streamed.
    pub fn write(self, out: &mut OutputDir) -> anyhow::Result<Option<OutputDir>> {
        let target = self.target.display().to_string();
        let cannot = |e: io::Error| UserError(format!("cannot write --samples {target}: {e}"));
        let mut sim = Simulator::new(&self.model);
        let trials = self.trials;
        let sc = &self.model.scenario;
        let mut fill = |w: &mut dyn Write| {
            write_samples(w, sc, trials, |trial| {
                if interrupted() {
                    return Err(io::Error::other(Interrupted));
                }
                let mut cycles = TrialCycles::default();
                sim.run_trial(trial, &mut cycles);
                Ok(cycles.0)
            })
        };
        let (result, own) = match self.sink {
            Sink::Stdout => {
                let mut stdout = io::stdout().lock();
                let result = fill(&mut stdout).and_then(|()| stdout.flush());
                if let Err(e) = result {
                    if interrupted() {
                        return Err(Interrupted.into());
                    }
                    return Err(e).context("cannot write the samples to standard output");
                }
                return Ok(None);
            }
            Sink::Stream(path) => (stream(&path, fill), None),
            Sink::InOutput(name) => (out.stage(&name, fill), None),
            Sink::Elsewhere(mut dir, name) => (dir.stage(&name, fill), Some(dir)),
        };
        if interrupted() {
            return Err(Interrupted.into()); // dropped: nothing is left behind
        }
        result.map_err(cannot)?;
        Ok(own)
    }
}

/// Writes to a device or FIFO through its path, without creating,
/// truncating or renaming anything.
fn stream(path: &Path, fill: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    let file = fs::OpenOptions::new().write(true).open(path)?;
    let mut w = io::BufWriter::new(file);
    fill(&mut w)?;
    w.flush()
}

/// Checks the target before the run: refuses a folder, a block device, a
/// socket, a link to a regular file, the scenario file and the run's own
/// output names (exit code 2).
fn sink(target: &Path, scenario: &Path, out: &OutputDir) -> Result<Sink, UserError> {
    if target.as_os_str() == "-" {
        return Ok(Sink::Stdout);
    }
    let refuse = |why: String| UserError(format!("--samples {}: {why}", target.display()));
    match fs::symlink_metadata(target) {
        Ok(m) if m.file_type().is_symlink() => return link_sink(target, &refuse),
        Ok(m) => {
            if let Some(sink) = special_sink(target, &m, &refuse)? {
                return Ok(sink);
            }
            if same_file(target, scenario) {
                return Err(refuse(
                    "is the scenario file; the samples would overwrite it".to_string(),
                ));
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(refuse(format!("cannot be written: {e}"))),
    }
    let name = target
        .file_name()
        .and_then(|n| n.to_str())
        .filter(|n| !n.is_empty())
        .ok_or_else(|| refuse("not a file name".to_string()))?
        .to_string();
    let folder = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if same_folder(&folder, out.path()) {
        if is_tool_name(&name) {
            return Err(refuse(format!(
                "{name} is a file the tool writes in the output folder; choose another name"
            )));
        }
        return Ok(Sink::InOutput(name));
    }
    let dir = OutputDir::for_one_file(&folder)
        .map_err(|e| refuse(format!("cannot write in {}: {e}", folder.display())))?;
    Ok(Sink::Elsewhere(dir, name))
}

/// A link: followed only to a device or FIFO (`/dev/stdout` on a terminal
/// or a pipe), which is streamed to; a link is never replaced.
fn link_sink(target: &Path, refuse: &dyn Fn(String) -> UserError) -> Result<Sink, UserError> {
    let m = fs::metadata(target)
        .map_err(|e| refuse(format!("is a symbolic link that cannot be followed: {e}")))?;
    if let Some(sink) = special_sink(target, &m, refuse)? {
        return Ok(sink);
    }
    let real =
        fs::canonicalize(target).map_or_else(|_| "a file".to_string(), |p| p.display().to_string());
    Err(refuse(format!(
        "is a symbolic link to {real}; give that file itself, or - for standard output"
    )))
}

/// A target that is not a regular file: streamed to (character device,
/// FIFO) or refused (folder, block device, socket). `None` for a regular file.
fn special_sink(
    target: &Path,
    m: &fs::Metadata,
    refuse: &dyn Fn(String) -> UserError,
) -> Result<Option<Sink>, UserError> {
    let kind = m.file_type();
    if kind.is_file() {
        return Ok(None);
    }
    if kind.is_dir() {
        return Err(refuse("is a folder; give a file name".to_string()));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_char_device() || kind.is_fifo() {
            return Ok(Some(Sink::Stream(target.to_path_buf())));
        }
        if kind.is_block_device() {
            return Err(refuse(
                "is a block device (a disk); the samples are never written over one".to_string(),
            ));
        }
    }
    Err(refuse(
        "is not a regular file, a character device or a FIFO".to_string(),
    ))
}

/// Whether two existing paths are the same file (a hard link too).
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(a), Ok(b)) = (fs::metadata(a), fs::metadata(b)) {
            return a.dev() == b.dev() && a.ino() == b.ino();
        }
        false
    }
    #[cfg(not(unix))]
    {
        matches!((fs::canonicalize(a), fs::canonicalize(b)), (Ok(a), Ok(b)) if a == b)
    }
}

/// Whether two paths name the same existing folder.
pub(super) fn same_folder(a: &Path, b: &Path) -> bool {
    matches!((fs::canonicalize(a), fs::canonicalize(b)), (Ok(a), Ok(b)) if a == b)
}
