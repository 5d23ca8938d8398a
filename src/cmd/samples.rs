//! `run --samples FILE`: checked before the run (limit, scenario, that the
//! file's folder can be written), written after the run succeeded. The
//! sampled trials are trials `0..limit/months` (whole trials, at most the
//! run's trials), simulated again one after the other on this thread with
//! their own simulator: a trial depends only on the seed and its index, so
//! the rows are those of the run's trials and the file is the same for any
//! `--threads`. Written through an [`OutputDir`] for FILE's folder: a
//! hidden temporary name renamed at the end, removed on error or Ctrl-C,
//! with any folders created for it.

use crate::cli::RunArgs;
use crate::engine::{Model, Simulator};
use crate::error::UserError;
use crate::export::samples::{
    DEFAULT_SAMPLES_LIMIT, MAX_SAMPLES_LIMIT, TrialCycles, write_samples,
};
use crate::export::{OutputDir, Preamble, ScenarioFile, sha256_hex};
use crate::runner::{Interrupted, interrupted};
use crate::scenario::{self, Overrides};
use std::io;
use std::path::PathBuf;

#[derive(Debug)]
pub struct Samples {
    model: Model,
    trials: u64,
    target: PathBuf,
    name: String,
    /// The run's comment lines, and which trials are sampled.
    preamble: Preamble,
    /// FILE's folder, created if missing and checked writable.
    out: OutputDir,
}

/// `None` without `--samples`; refuses a bad limit or an unwritable file.
pub fn prepare(args: &RunArgs) -> anyhow::Result<Option<Samples>> {
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
    let sc = scenario::parse(
        &text,
        &args.scenario,
        &Overrides {
            trials: args.trials,
            months: args.months,
            seed: args.seed,
        },
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
    let file = ScenarioFile {
        file: args.scenario.display().to_string(),
        sha256: sha256_hex(text.as_bytes()),
    };
    let mut preamble = Preamble::single("run", &sc, file, sc.trials);
    let sampled = format!("trials 0 to {} of this run", trials.saturating_sub(1));
    preamble.extra.push(("samples", sampled));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| !n.is_empty())
        .ok_or_else(|| UserError(format!("--samples {}: not a file name", target.display())))?;
    let folder = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let out = OutputDir::prepare(&folder).map_err(|e| {
        UserError(format!(
            "--samples {}: cannot write there: {e}",
            target.display()
        ))
    })?;
    let samples = Samples {
        model: Model::new(sc),
        trials,
        target,
        name,
        preamble,
        out,
    };
    Ok(Some(samples))
}

impl Samples {
    /// Simulates the sampled trials and writes the file all-or-nothing.
    pub fn write(mut self) -> anyhow::Result<()> {
        let target = self.target.display().to_string();
        let cannot = |e: io::Error| UserError(format!("cannot write --samples {target}: {e}"));
        let mut sim = Simulator::new(&self.model);
        let trials = self.trials;
        let preamble = &self.preamble;
        let result = self.out.stage(&self.name, |w| {
            write_samples(w, preamble, trials, |trial| {
                if interrupted() {
                    return Err(io::Error::other(Interrupted));
                }
                let mut cycles = TrialCycles::default();
                sim.run_trial(trial, &mut cycles);
                Ok(cycles.0)
            })
        });
        if interrupted() {
            return Err(Interrupted.into()); // dropped: nothing is left behind
        }
        result.map_err(cannot)?;
        self.out.commit().map_err(cannot)?;
        Ok(())
    }
}
