//! `run --samples FILE`: checked before the run (limit, scenario, and the
//! target, see [`Sink`]), written after the run succeeded and committed with
//! the run's files, so a bad target leaves the output folder as it was. The
//! sampled trials are trials `0..limit/months` (whole trials, at most the
//! run's trials), simulated again one after the other on this thread with
//! their own simulator: a trial depends only on the seed and its index, so
//! the rows are those of the run's trials and the file is the same for any
//! `--threads`.

use super::target::{self, Existing};
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

    /// The samples' name in the output folder, when they are staged there.
    pub fn name_in_output(&self) -> Option<String> {
        match &self.sink {
            Sink::InOutput(name) => Some(name.clone()),
            _ => None,
        }
    }

    /// Whether the samples go to standard output.
    pub fn to_stdout(&self) -> bool {
        matches!(self.sink, Sink::Stdout)
    }

    /// The folder of its own the samples were to go to, prepared and
    /// locked before the run (a target outside the output folder), unused.
    pub fn into_dir(self) -> Option<OutputDir> {
        match self.sink {
            Sink::Elsewhere(dir, _) => Some(dir),
            _ => None,
        }
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
                    // A reader that stops early (`| head`) cuts the samples
                    // short: the run's set is not whole, so nothing is
                    // committed, and the exit code must say so (a closed
                    // pipe is otherwise taken as success, `main`).
                    if e.kind() == io::ErrorKind::BrokenPipe {
                        return Err(anyhow::anyhow!(
                            "cannot write the samples to standard output: the reader closed it \
                             before the last row (a pipe into `head`?), so the samples are cut \
                             short and no file was written to {}",
                            out.path().display()
                        ));
                    }
                    return Err(e).context("cannot write the samples to standard output");
                }
                return Ok(None);
            }
            Sink::Stream(path) => (target::stream(&path, fill), None),
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

/// Checks the target before the run (`super::target`): streams to a
/// device or FIFO, refuses what must not be written over (the scenario
/// file among them) and the run's own output names (exit code 2).
fn sink(target: &Path, scenario: &Path, out: &OutputDir) -> Result<Sink, UserError> {
    if target.as_os_str() == "-" {
        return Ok(Sink::Stdout);
    }
    let refuse = |why: String| UserError(format!("--samples {}: {why}", target.display()));
    // Standard output under another name is written as `-` is (the table
    // then goes to stderr), but only once the target passed the checks:
    // an input, or one of the run's own outputs, is refused under any name.
    if let Existing::Stream(path) = target::existing("--samples", target, &[scenario])? {
        return Ok(match target::is_stdout(&path) {
            true => Sink::Stdout,
            false => Sink::Stream(path),
        });
    }
    let (name, folder) =
        target::name_and_folder(target).ok_or_else(|| refuse("not a file name".to_string()))?;
    if target::same_folder(&folder, out.path()) && is_tool_name(&name) {
        return Err(refuse(format!(
            "{name} is a file the tool writes in the output folder; choose another name"
        )));
    }
    if target::is_stdout(target) {
        // A regular file stdout is redirected into (`> f.csv`).
        return Ok(Sink::Stdout);
    }
    if target::same_folder(&folder, out.path()) {
        target::refuse_users_file("--samples", target, out, &name)?;
        return Ok(Sink::InOutput(name));
    }
    if target::another_runs_output(&folder, &name) {
        return Err(refuse(target::mixes_sets(&folder, &name)));
    }
    let dir = OutputDir::for_one_file(&folder)
        .map_err(|e| refuse(format!("cannot write in {}: {e}", folder.display())))?;
    Ok(Sink::Elsewhere(dir, name))
}
