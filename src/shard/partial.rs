//! The partial state file a shard writes, and the checks `merge` makes on
//! a set of them before it trusts their statistics.
//!
//! Format (version [`FORMAT_VERSION`]): three header lines, then one JSON
//! document on one line:
//!
//! ```text
//! inmail-sim partial state
//! format_version: 4
//! sha256: <hex SHA-256 of the JSON line, without its newline>
//! {"tool_version": …, "args": […], "seed": …, "trials": …, "shard": {…}, "state": {…}}
//! ```
//!
//! The checksum makes a truncated or edited file an error that names it,
//! never a silently smaller run. The JSON holds the command line the shard
//! ran (so `merge` finishes the same command), the scenario files' SHA-256
//! (so a file changed between the shards and the merge is refused), the
//! seed, the trials, the shard, and the exact accumulators ([`State`]):
//! histograms, whose size depends on the number of distinct values, never
//! on the number of trials.

use super::ShardSpec;
use super::state::State;
use crate::compare::CompareStats;
use crate::error::UserError;
use crate::scenario::sha256_hex;
use crate::stats::RunStats;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The first line of every partial state file.
pub const MAGIC: &str = "inmail-sim partial state";
/// The version of the format this build writes and reads. 2: the
/// fingerprint covers the whole command (`cmd::shard::normalised`), so a
/// version-1 file's would not match its command line. 3: the statistics
/// gained the metric `floor_refused`, so a version-2 file's lack one. 4:
/// the fingerprint names each scenario by its file name, not its path.
pub const FORMAT_VERSION: u32 = 4;
/// The largest partial file read: a sweep of many grid points is the
/// largest; a run's is well under a megabyte.
pub const MAX_BYTES: u64 = 1 << 30;

/// The longest wall time a partial may state, 100 years of seconds: far
/// beyond any shard, and small enough that those of the most shards
/// (`MAX_SHARDS`, a million) add up within a `Duration`.
const MAX_WALL_TIME_SECS: f64 = 100.0 * 365.25 * 86_400.0;

/// A scenario file a shard read: its path as given, and its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioId {
    pub path: String,
    pub sha256: String,
}

/// Everything one shard leaves for `merge`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Partial {
    pub tool_version: String,
    /// The command line after the program name, as the shard was given it.
    pub args: Vec<String>,
    /// SHA-256 of the parsed command with the options that cannot change
    /// the results (`--shard`, `--out`, `--threads`, `--quiet`) cleared:
    /// equal for every shard of one run.
    pub fingerprint: String,
    pub scenarios: Vec<ScenarioId>,
    pub seed: u64,
    pub trials: u64,
    pub shard: ShardSpec,
    pub trial_range: (u64, u64),
    /// Where `--shard auto` found the shard, if it did.
    pub scheduler: Option<String>,
    pub threads: usize,
    pub wall_time_secs: f64,
    pub state: State,
}

impl Partial {
    pub fn command(&self) -> &'static str {
        self.state.command()
    }

    /// Writes the file atomically (a temporary file beside it, renamed over
    /// it), so a shard killed while writing leaves no half file that
    /// `merge` could take for a finished one.
    pub fn write(&self, path: &Path) -> Result<(), UserError> {
        let fail = |e: &dyn std::fmt::Display| {
            UserError(format!(
                "cannot write the partial state file {}: {e}",
                path.display()
            ))
        };
        let json = serde_json::to_string(self).map_err(|e| fail(&e))?;
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        std::fs::create_dir_all(dir).map_err(|e| fail(&e))?;
        let mut builder = tempfile::Builder::new();
        builder.prefix(".inmail-sim-partial-");
        // Readable as any file the user writes (the umask applies), not
        // tempfile's private 0600: on a cluster the merge may run as
        // another user of the group.
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
        // The error's kind, not its text, which names the random file.
        let mut tmp = builder.tempfile_in(dir).map_err(|e| {
            let kind = std::io::Error::from(e.kind());
            fail(&format!(
                "no file can be created in {} ({kind})",
                dir.display()
            ))
        })?;
        let header = format!(
            "{MAGIC}\nformat_version: {FORMAT_VERSION}\nsha256: {}\n",
            sha256_hex(json.as_bytes())
        );
        let written = tmp
            .write_all(header.as_bytes())
            .and_then(|()| tmp.write_all(json.as_bytes()))
            .and_then(|()| tmp.write_all(b"\n"))
            .and_then(|()| tmp.as_file().sync_all());
        written.map_err(|e| fail(&e))?;
        tmp.persist(path).map_err(|e| fail(&e.error))?;
        Ok(())
    }

    /// Reads and checks one file: the magic line, the format version, the
    /// checksum, the JSON, and that its statistics hold its trials.
    pub fn read(path: &Path) -> Result<Partial, UserError> {
        let bad = |why: String| UserError(format!("{}: {why}", path.display()));
        let text = read_limited(path).map_err(&bad)?;
        let mut lines = text.splitn(4, '\n');
        if lines.next() != Some(MAGIC) {
            return Err(bad(format!(
                "not an inmail-sim partial state file (its first line is not `{MAGIC}`)"
            )));
        }
        let version = lines
            .next()
            .and_then(|l| l.strip_prefix("format_version: "));
        match version.map(str::parse::<u32>) {
            Some(Ok(FORMAT_VERSION)) => {}
            Some(Ok(v)) => {
                return Err(bad(format!(
                    "written in partial-state format version {v}; this inmail-sim ({}) reads \
                     version {FORMAT_VERSION}: merge with the inmail-sim that ran the shards",
                    env!("CARGO_PKG_VERSION")
                )));
            }
            _ => {
                return Err(bad(
                    "its format_version line is missing or unreadable".into()
                ));
            }
        }
        let sum = lines.next().and_then(|l| l.strip_prefix("sha256: "));
        let json = lines.next().and_then(|l| l.strip_suffix('\n'));
        let (Some(sum), Some(json)) = (sum, json) else {
            return Err(bad("truncated: the file ends before its statistics".into()));
        };
        if sha256_hex(json.as_bytes()) != sum {
            return Err(bad(
                "truncated or corrupt: its checksum does not match its contents".into(),
            ));
        }
        let partial: Partial =
            serde_json::from_str(json).map_err(|e| bad(format!("unreadable statistics: {e}")))?;
        partial.check_own_trials().map_err(bad)?;
        partial.check_run_facts().map_err(bad)?;
        Ok(partial)
    }

    /// The threads and wall time are metadata only, but the merged
    /// metadata.csv states them: a thread count no run of this tool uses
    /// or a wall time no clock gives (negative, or past what can be
    /// added up over every shard) is an edited file, refused as one, not
    /// written on or dropped to 0 without a word.
    fn check_run_facts(&self) -> Result<(), String> {
        let most = crate::runner::MAX_THREADS;
        if !(1..=most).contains(&self.threads) {
            return Err(format!(
                "its threads, {}, is no thread count a shard runs with; allowed: a whole \
                 number from 1 to {most}",
                self.threads
            ));
        }
        let secs = self.wall_time_secs;
        if !(secs.is_finite() && (0.0..=MAX_WALL_TIME_SECS).contains(&secs)) {
            return Err(format!(
                "its wall_time_secs, {}, is no time a shard can take; allowed: seconds \
                 from 0 to {} (100 years)",
                // As the file writes it (1e+308, not 309 digits).
                serde_json::Value::from(secs),
                crate::numbers::grouped(MAX_WALL_TIME_SECS as u64)
            ));
        }
        Ok(())
    }

    /// The shard's range is the documented split of its trials, and its
    /// statistics hold exactly that many trials.
    fn check_own_trials(&self) -> Result<(), String> {
        let spec = ShardSpec::new(self.shard.index, self.shard.count)?;
        let range = spec.range(self.trials);
        if (range.start, range.end) != self.trial_range {
            return Err(format!("its trial range does not match shard {spec}"));
        }
        let held = match &self.state {
            State::Run { stats } => vec![stats.to_stats()?.trials],
            State::Compare { stats } => vec![stats.to_stats()?.trials()],
            State::Sweep { points } => points
                .iter()
                .map(|p| p.to_stats().map(|s| s.trials()))
                .collect::<Result<_, _>>()?,
        };
        let want = range.end - range.start;
        if held.iter().any(|&n| n != want) {
            return Err(format!(
                "its statistics do not hold the {want} trials of shard {spec}"
            ));
        }
        Ok(())
    }
}

fn read_limited(path: &Path) -> Result<String, String> {
    use std::io::Read;
    // The type before the open: opening a FIFO with no writer waits for
    // one, where neither Ctrl-C's flag nor SIGTERM's reaches (a `merge` of
    // a FIFO hung; an independent check, fifteenth session).
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read it: {e}"))?;
    if meta.is_dir() {
        return Err(format!(
            "a folder, not a partial state file; give the files in it, e.g. {}",
            path.join("*.partial").display()
        ));
    }
    if !meta.is_file() {
        return Err(format!(
            "{}, not a regular file: not a partial state file",
            crate::scenario::file::kind(&meta)
        ));
    }
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read it: {e}"))?;
    if meta.len() > MAX_BYTES {
        return Err(format!(
            "larger than {MAX_BYTES} bytes: not a partial state file"
        ));
    }
    if meta.len() == 0 {
        // A shard stopped before it wrote, or a file truncated: the
        // partial state file is written whole or not at all.
        return Err(
            "the file is empty: not a partial state file (a shard that finishes writes \
                    its whole state; run that shard again)"
                .to_string(),
        );
    }
    // The first line before the rest: any file given by mistake (a large
    // CSV, an image) is told apart without reading it whole.
    let mut file = file.take(MAX_BYTES + 1);
    let mut head = vec![0; MAGIC.len() + 1];
    let head_read = file.read_exact(&mut head);
    if head_read.is_err() || head[..MAGIC.len()] != *MAGIC.as_bytes() || head[MAGIC.len()] != b'\n'
    {
        return Err(format!(
            "not an inmail-sim partial state file (its first line is not `{MAGIC}`)"
        ));
    }
    let mut text = String::from_utf8(head).expect("the magic line is text");
    file.read_to_string(&mut text)
        .map_err(|e| format!("cannot read it as text: {e}"))?;
    if text.len() as u64 > MAX_BYTES {
        return Err(format!(
            "larger than {MAX_BYTES} bytes: not a partial state file"
        ));
    }
    Ok(text)
}

/// The merged statistics of every shard of one run, by command.
#[derive(Debug, Clone)]
pub enum MergedStats {
    Run(RunStats),
    Compare(CompareStats),
    Sweep(Vec<CompareStats>),
}

/// A checked, complete set of shards: their merged statistics and what the
/// finished outputs need from them.
#[derive(Debug, Clone)]
pub struct Merged {
    pub args: Vec<String>,
    /// The partial files merged: inputs the output must not replace.
    pub partials: Vec<PathBuf>,
    pub scenarios: Vec<ScenarioId>,
    pub stats: MergedStats,
    /// The most threads any shard used.
    pub threads: usize,
    /// The shards' wall times added up: the compute the run took.
    pub wall_time: Duration,
}

impl Merged {
    /// Checks that `partials` are the shards of one run, each exactly once,
    /// and merges their statistics. Errors name the files.
    pub fn check(partials: Vec<(PathBuf, Partial)>) -> Result<Merged, UserError> {
        let Some((first_path, first)) = partials.first() else {
            return Err(UserError(
                "merge needs at least one partial state file".into(),
            ));
        };
        for (path, p) in &partials[1..] {
            same_run(first_path, first, path, p)?;
        }
        every_shard_once(&partials)?;
        let stats = merge_states(&partials)?;
        Ok(Merged {
            args: first.args.clone(),
            partials: partials.iter().map(|(path, _)| path.clone()).collect(),
            scenarios: first.scenarios.clone(),
            stats,
            threads: partials.iter().map(|(_, p)| p.threads).max().unwrap_or(1),
            wall_time: partials
                .iter()
                // Within range: `Partial::read` checked each.
                .map(|(_, p)| Duration::try_from_secs_f64(p.wall_time_secs).unwrap_or_default())
                .sum(),
        })
    }

    /// Checks that the scenario files, read again at the paths the shards
    /// were given, are those the shards read: before the command parses
    /// them, so a changed file is named as changed, not as invalid.
    pub fn check_scenarios(&self) -> Result<(), UserError> {
        for id in &self.scenarios {
            let path = Path::new(&id.path);
            let text = crate::scenario::read(path).map_err(|e| {
                UserError(format!(
                    "the shards' scenario file cannot be read again: {e:#}"
                ))
            })?;
            if sha256_hex(text.as_bytes()) != id.sha256 {
                return Err(UserError(format!(
                    "{} has changed since the shards ran (they read a file with SHA-256 {}): \
                     merge with the scenario files the shards used",
                    path.display(),
                    id.sha256
                )));
            }
        }
        Ok(())
    }
}

/// Refuses two partials that are not shards of the same run, saying what
/// differs.
fn same_run(pa: &Path, a: &Partial, pb: &Path, b: &Partial) -> Result<(), UserError> {
    let hashes = |p: &Partial| {
        p.scenarios
            .iter()
            .map(|s| s.sha256.clone())
            .collect::<Vec<_>>()
    };
    let names = |p: &Partial| {
        p.scenarios
            .iter()
            .map(|s| {
                let path = Path::new(&s.path);
                let name = path.file_name().unwrap_or(path.as_os_str());
                crate::safe_text::for_terminal(&name.to_string_lossy()).into_owned()
            })
            .collect::<Vec<_>>()
    };
    let differs: Option<String> = if a.tool_version != b.tool_version {
        Some(format!(
            "inmail-sim {} and {}",
            a.tool_version, b.tool_version
        ))
    } else if a.command() != b.command() {
        Some(format!("commands `{}` and `{}`", a.command(), b.command()))
    } else if hashes(a) != hashes(b) {
        Some("different scenario files (their SHA-256 differ)".into())
    } else if names(a) != names(b) {
        // Same bytes under another name: the name is part of the run (it
        // labels a compare option and the outputs), so it is in the
        // fingerprint; say so rather than "different options".
        Some(format!(
            "the same scenario contents under different file names ({} and {}); run \
             every shard with the file under one name",
            names(a).join(", "),
            names(b).join(", ")
        ))
    } else if a.seed != b.seed {
        Some(format!("seeds {} and {}", a.seed, b.seed))
    } else if a.trials != b.trials {
        Some(format!("{} and {} trials", a.trials, b.trials))
    } else if a.shard.count != b.shard.count {
        Some(format!("{} and {} shards", a.shard.count, b.shard.count))
    } else if a.fingerprint != b.fingerprint {
        Some(format!(
            "different options (inmail-sim {} and inmail-sim {})",
            crate::safe_text::command_line(&a.args),
            crate::safe_text::command_line(&b.args)
        ))
    } else {
        None
    };
    match differs {
        None => Ok(()),
        Some(what) => Err(UserError(format!(
            "{} and {} are not shards of the same run: {what}",
            pa.display(),
            pb.display()
        ))),
    }
}

fn every_shard_once(partials: &[(PathBuf, Partial)]) -> Result<(), UserError> {
    let count = partials[0].1.shard.count;
    let mut seen: BTreeMap<u32, &Path> = BTreeMap::new();
    for (path, p) in partials {
        if let Some(before) = seen.insert(p.shard.index, path) {
            return Err(UserError(format!(
                "shard {} is given twice: {} and {}",
                p.shard,
                before.display(),
                path.display()
            )));
        }
    }
    let missing: Vec<String> = (1..=count)
        .filter(|k| !seen.contains_key(k))
        .map(|k| k.to_string())
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let shown = match missing.len() {
        n if n > 10 => format!("{} … ({n} in all)", missing[..10].join(", ")),
        _ => missing.join(", "),
    };
    Err(UserError(format!(
        "shards missing: {shown} of {count}; every shard 1 to {count} must be given once"
    )))
}

fn merge_states(partials: &[(PathBuf, Partial)]) -> Result<MergedStats, UserError> {
    let bad = |path: &Path, why: String| UserError(format!("{}: {why}", path.display()));
    let mut merged: Option<MergedStats> = None;
    for (path, p) in partials {
        let next = match &p.state {
            State::Run { stats } => MergedStats::Run(stats.to_stats().map_err(|e| bad(path, e))?),
            State::Compare { stats } => {
                MergedStats::Compare(stats.to_stats().map_err(|e| bad(path, e))?)
            }
            State::Sweep { points } => MergedStats::Sweep(
                points
                    .iter()
                    .map(|s| s.to_stats())
                    .collect::<Result<_, _>>()
                    .map_err(|e| bad(path, e))?,
            ),
        };
        merged = Some(match merged {
            None => next,
            Some(done) => merge_two(done, next).map_err(|e| bad(path, e))?,
        });
    }
    merged.ok_or_else(|| UserError("no statistics to merge".into()))
}

fn merge_two(a: MergedStats, b: MergedStats) -> Result<MergedStats, String> {
    let shape = || "its statistics do not have the shape of the other shards'".to_string();
    match (a, b) {
        (MergedStats::Run(mut a), MergedStats::Run(b)) if a.months() == b.months() => {
            a.merge(&b);
            Ok(MergedStats::Run(a))
        }
        (MergedStats::Compare(mut a), MergedStats::Compare(b)) if same_set(&a, &b) => {
            a.merge(&b);
            Ok(MergedStats::Compare(a))
        }
        (MergedStats::Sweep(mut a), MergedStats::Sweep(b)) if a.len() == b.len() => {
            for (x, y) in a.iter_mut().zip(&b) {
                if !same_set(x, y) {
                    return Err(shape());
                }
                x.merge(y);
            }
            Ok(MergedStats::Sweep(a))
        }
        _ => Err(shape()),
    }
}

fn same_set(a: &CompareStats, b: &CompareStats) -> bool {
    a.options.len() == b.options.len() && a.months() == b.months()
}
