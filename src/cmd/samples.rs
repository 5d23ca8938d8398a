//! `run --samples FILE`: checked before the run (limit, scenario, that the
//! file's folder can be written), written after the run succeeded. The
//! sampled trials are trials `0..limit/months` (whole trials, at most the
//! run's trials), simulated again one after the other on this thread with
//! their own simulator: a trial depends only on the seed and its index, so
//! the rows are those of the run's trials and the file is the same for any
//! `--threads`. Written to a hidden temporary name beside FILE and renamed
//! at the end; an error or Ctrl-C removes it.

use crate::cli::RunArgs;
use crate::engine::{Model, Simulator};
use crate::error::UserError;
use crate::export::samples::{
    DEFAULT_SAMPLES_LIMIT, MAX_SAMPLES_LIMIT, TrialCycles, write_samples,
};
use crate::runner::{Interrupted, interrupted};
use crate::scenario::{self, Overrides};
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

#[derive(Debug)]
pub struct Samples {
    model: Model,
    trials: u64,
    target: PathBuf,
    temp: PathBuf,
    /// Folders created for FILE, deepest last; removed again on failure.
    created: Vec<PathBuf>,
    done: bool,
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
    let sc = scenario::load(
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
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| !n.is_empty())
        .ok_or_else(|| UserError(format!("--samples {}: not a file name", target.display())))?;
    let temp = target.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let mut samples = Samples {
        model: Model::new(sc),
        trials,
        target,
        temp,
        created: Vec::new(),
        done: false,
    };
    samples.create_folders().map_err(|e| {
        UserError(format!(
            "--samples {}: cannot write there: {e}",
            samples.target.display()
        ))
    })?;
    Ok(Some(samples))
}

impl Samples {
    /// Creates FILE's missing folders and checks a file can be written.
    fn create_folders(&mut self) -> io::Result<()> {
        let parent = self.target.parent().unwrap_or(Path::new(""));
        let mut missing: Vec<PathBuf> = parent
            .ancestors()
            .take_while(|p| !p.as_os_str().is_empty() && !p.exists())
            .map(Path::to_path_buf)
            .collect();
        missing.reverse();
        for d in missing {
            fs::create_dir(&d)?;
            self.created.push(d);
        }
        fs::write(&self.temp, b"")
    }

    /// Simulates the sampled trials and writes the file all-or-nothing.
    pub fn write(mut self) -> anyhow::Result<()> {
        let cannot = |e: io::Error| {
            UserError(format!(
                "cannot write --samples {}: {e}",
                self.target.display()
            ))
        };
        let file = fs::File::create(&self.temp).map_err(cannot)?;
        let mut w = BufWriter::new(file);
        let mut sim = Simulator::new(&self.model);
        let result = write_samples(&mut w, self.trials, |trial| {
            if interrupted() {
                return Err(io::Error::other(Interrupted));
            }
            let mut cycles = TrialCycles::default();
            sim.run_trial(trial, &mut cycles);
            Ok(cycles.0)
        })
        .and_then(|()| w.flush())
        .and_then(|()| w.into_inner().map_err(|e| e.into_error())?.sync_all());
        if interrupted() {
            return Err(Interrupted.into()); // dropped: the file is removed
        }
        result.map_err(cannot)?;
        fs::rename(&self.temp, &self.target).map_err(cannot)?;
        self.done = true;
        Ok(())
    }
}

impl Drop for Samples {
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_file(&self.temp);
            for d in self.created.iter().rev() {
                let _ = fs::remove_dir(d); // only succeeds while empty
            }
        }
    }
}
