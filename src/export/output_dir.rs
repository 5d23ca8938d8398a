//! The output folder, a contract (docs/outputs.md, "Output contract"): the tool owns
//! the files it wrote in a folder, listed in the folder's manifest
//! [`MANIFEST`], and nothing else.
//!
//! - **Locked.** [`OutputDir::prepare`] takes an exclusive lock on the
//!   folder itself (`flock` through `fs4`, no lock file) and holds it until
//!   the value is dropped. A second run is refused at once rather than made
//!   to wait: it would wait for the whole simulation of the first and then
//!   replace its files, which is never what two people starting runs mean.
//! - **Staged privately.** Every file is written into a fresh hidden staging
//!   folder `.inmail-sim-stage.XXXXXX` (unpredictable name, created
//!   exclusively with mode 0700 by `tempfile`); files in it are created with
//!   `create_new`, which never follows a link.
//! - **Only its own files.** A stale name is removed only if it is one only
//!   the tool writes, or a name the user chose (`--samples`, `--json`)
//!   whose entry records the length it was written with and the file still
//!   has (the `#= N` line after it): a manifest edited by hand, copied with
//!   a folder, or a planted journal cannot make it remove other files.
//! - **All or nothing.** [`OutputDir::commit`] moves the files it replaces
//!   and the stale ones (listed in the old manifest, not written now) aside
//!   into the staging folder, then the new ones into place, all by renames
//!   within one file system; if any rename fails it moves everything back,
//!   so either the whole new set is in place or the old set is as it was.
//!   The error names the file. A folder in the way of a file is refused
//!   before anything moves: the tool never removes or moves a folder.
//! - **Killed runs.** A commit writes a journal (the new names) in the
//!   staging folder before it moves anything, and while files move the
//!   manifest lists the old and the new names. The next run into the folder
//!   finishes a commit that a killed run (SIGKILL) left with every new file
//!   placed, and undoes one left earlier (`recover`), so the folder again
//!   holds one whole set; then it removes the leftover staging folders (and
//!   the `.NAME.PID.tmp` files of versions before the manifest) by their
//!   names, which only the tool uses, and by what a run puts in them: a
//!   folder of that name with anything else in it is left.
//! - **Nothing left on failure.** If the value is dropped before commit
//!   (an error, Ctrl-C), the staging folder is removed, and so are the
//!   folders this run created.
//!
//! A folder that receives only a `--samples` file ([`OutputDir::for_one_file`])
//! is locked and staged the same way but keeps no manifest: the tool owns
//! only the file named on the command line there.

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Component, Path, PathBuf};
use tempfile::TempDir;

/// The manifest: the names of the files the tool wrote in the folder.
pub const MANIFEST: &str = ".inmail-sim-files";

/// The start of a staging folder's name.
const STAGE_PREFIX: &str = ".inmail-sim-stage.";

/// The first line of the manifest.
const MANIFEST_HEAD: &str =
    "# inmail-sim: the files it wrote in this folder (README, \"Output contract\"); do not edit\n";

/// Every name a command writes in its output folder (the `--samples` file
/// aside). Charts of a sweep with two parameters are `sweep_cost_N.svg`.
pub const TOOL_FILES: [&str; 34] = [
    "summary.csv",
    "summary_horizon.csv",
    "monthly.csv",
    "histograms.csv",
    "histograms_horizon.csv",
    "metadata.csv",
    "metadata.json",
    "precision.csv",
    "options.csv",
    "pairs.csv",
    "sweep.csv",
    "sweep_wide.csv",
    "sweep_pairs.csv",
    "breakeven.csv",
    "sensitivity.csv",
    "report.html",
    "results.xlsx",
    "balance_fan.svg",
    "first_exhausted_month.svg",
    "first_blocked_day.svg",
    "refunds_expired.svg",
    "cost_distribution.svg",
    "cost_difference.svg",
    "tornado.svg",
    "sweep_cost.svg",
    "calibration.csv",
    "delay.csv",
    "delay_fit.svg",
    "candidates.csv",
    "frontier.csv",
    "frontier.svg",
    "solve.csv",
    "solve_answer.csv",
    "solve.svg",
];

/// Whether a command of the tool writes a file of this name (or the name is
/// one of its own bookkeeping names).
pub fn is_tool_name(name: &str) -> bool {
    let numbered_sweep_chart = name
        .strip_prefix("sweep_cost_")
        .and_then(|n| n.strip_suffix(".svg"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    TOOL_FILES.contains(&name)
        || numbered_sweep_chart
        || name == MANIFEST
        || name.starts_with(STAGE_PREFIX)
}

#[derive(Debug)]
pub struct OutputDir {
    dir: PathBuf,
    /// Folders this run created, deepest last.
    created: Vec<PathBuf>,
    /// The folder, opened and locked; the lock goes with the handle.
    lock: Option<fs::File>,
    /// The staging folder: `new/` the files written, `old/` the files moved
    /// aside during the commit.
    stage: Option<TempDir>,
    /// Names staged so far, in order.
    staged: Vec<String>,
    /// Whether the folder keeps a manifest (an output folder) or not (the
    /// folder of a `--samples` file).
    manifest: bool,
    /// What the commit did, for the roll-back.
    journal: Journal,
}

/// The renames of a commit in progress.
#[derive(Debug, Default)]
struct Journal {
    /// Names moved from the folder into `old/`.
    aside: Vec<String>,
    /// Names moved from `new/` into the folder.
    placed: Vec<String>,
    /// The manifest before the commit (`Some(None)`: there was none), once
    /// the commit replaced it.
    old_manifest: Option<Option<Vec<u8>>>,
}

impl OutputDir {
    /// Refuses a dangerous folder, creates `dir` if needed, locks it, removes
    /// what killed runs left there and creates the staging folder, so an
    /// unwritable folder is reported before any simulation time is spent.
    pub fn prepare(dir: &Path) -> io::Result<OutputDir> {
        OutputDir::open(dir, true)
    }

    /// The folder of a `--samples` file: the same, without a manifest.
    pub fn for_one_file(dir: &Path) -> io::Result<OutputDir> {
        OutputDir::open(dir, false)
    }

    fn open(dir: &Path, manifest: bool) -> io::Result<OutputDir> {
        refuse_dangerous(dir)?;
        let mut out = OutputDir {
            dir: dir.to_path_buf(),
            created: Vec::new(),
            lock: None,
            stage: None,
            staged: Vec::new(),
            manifest,
            journal: Journal::default(),
        };
        out.create_missing()?;
        out.lock = lock(dir)?;
        remove_leftovers(dir);
        let stage = tempfile::Builder::new()
            .prefix(STAGE_PREFIX)
            .tempdir_in(dir)
            .map_err(|e| cannot_create_files(&e))?;
        fs::create_dir(stage.path().join("new"))?;
        fs::create_dir(stage.path().join("old"))?;
        out.stage = Some(stage);
        Ok(out)
    }

    /// Creates the missing folders of the path, as `mkdir -p` would, but
    /// refuses a `..` after a missing folder (it cannot be followed, and
    /// `mkdir` would say "File exists").
    fn create_missing(&mut self) -> io::Result<()> {
        check_no_parent_after_missing(&self.dir)?;
        let mut path = PathBuf::new();
        for component in self.dir.components() {
            path.push(component);
            if !matches!(component, Component::Normal(_)) {
                continue;
            }
            match fs::metadata(&path) {
                Ok(m) if m.is_dir() => continue,
                Ok(_) => return Err(not_a_folder(&path)),
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
            // A link to nothing: creating the folder would fail with "File
            // exists", which says nothing of why.
            if let Ok(target) = fs::read_link(&path) {
                return Err(io::Error::new(
                    io::ErrorKind::NotFound,
                    format!(
                        "{} is a symbolic link to {}, which does not exist; create that \
                         folder, or choose another",
                        path.display(),
                        target.display()
                    ),
                ));
            }
            match fs::create_dir(&path) {
                Ok(()) => self.created.push(path.clone()),
                // Another run created it meanwhile: fine if it is a folder.
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && path.is_dir() => {}
                Err(e) => return Err(cannot_create_folder(&path, &e)),
            }
        }
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.dir
    }

    fn stage_dir(&self) -> &Path {
        self.stage
            .as_ref()
            .expect("an output folder has a staging folder until it is committed")
            .path()
    }

    /// Writes `name` into the staging folder through `fill`.
    pub fn stage(
        &mut self,
        name: &str,
        fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<()> {
        if !is_plain_name(name) || name == MANIFEST || name.starts_with(STAGE_PREFIX) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "{} is not a file name the tool may write",
                    crate::safe_text::quoted(name)
                ),
            ));
        }
        let path = self.stage_dir().join("new").join(name);
        // create_new: never follows a link, never reuses a file.
        let file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)?;
        self.staged.push(name.to_string());
        let mut w = BufWriter::new(file);
        fill(&mut w)?;
        w.into_inner().map_err(|e| e.into_error())?.sync_all()
    }

    /// Those of `names` (the files a commit writes) that are already in
    /// the folder under a name the tool writes, with no sign the tool
    /// wrote them. With a manifest, those it does not list: the tool wrote
    /// every file it lists, and no other (a run with `--no-charts` into a
    /// folder holding the user's own report.html leaves a manifest without
    /// it, and the next run with charts must not replace it). Without one,
    /// every such file: the folder is the user's (`--out .` in a folder
    /// holding their own report.html), or one the tool wrote and the user
    /// copied without its hidden manifest, where nothing tells the tool's
    /// files from theirs (a report.html of their own beside the copied
    /// CSVs was replaced when the tool's metadata.csv was taken as a
    /// record, found by an independent check).
    pub fn strangers(&self, names: &[String]) -> Vec<String> {
        let manifest = self.dir.join(MANIFEST);
        // A manifest that cannot be read as one (a link, a file too large)
        // is no record either way: the folder is judged as without one.
        let listed: Option<Vec<String>> = readable_manifest(&manifest).then(|| {
            read_entries(&manifest)
                .into_iter()
                .map(|(n, _)| n)
                .collect()
        });
        let unlisted = |n: &&String| listed.as_ref().is_none_or(|l| !l.contains(n));
        names
            .iter()
            .filter(|n| is_tool_name(n) && fs::symlink_metadata(self.dir.join(n)).is_ok())
            .filter(unlisted)
            .cloned()
            .collect()
    }

    /// Whether `name` (a name the user chose: `--json`, `--samples`) is
    /// already in the folder and not the file the tool wrote there: not
    /// listed, or listed but no longer the same file (its recorded length,
    /// inode and mtime, as [`OutputDir::owns_name`] checks them: a file the
    /// user put in its place, or a hand-edited manifest). A commit would
    /// replace it and the next run, finding it listed, would remove it.
    pub fn holds_users_file(&self, name: &str) -> bool {
        if fs::symlink_metadata(self.dir.join(name)).is_err() {
            return false;
        }
        let manifest = self.dir.join(MANIFEST);
        let ours = readable_manifest(&manifest)
            && read_entries(&manifest)
                .iter()
                .any(|(n, id)| n == name && removable(&self.dir, n, id.as_deref()));
        !ours
    }

    /// Whether a commit into this folder could replace or remove the file
    /// `name` in it: a name the tool writes, or a file an earlier run wrote
    /// under a name the user chose and the manifest still lists.
    pub fn owns_name(&self, name: &str) -> bool {
        if is_tool_name(name) {
            return true;
        }
        let listed = read_entries(&self.dir.join(MANIFEST));
        listed
            .iter()
            .any(|(n, id)| n == name && removable(&self.dir, n, id.as_deref()))
    }

    /// The names staged so far, in order.
    /// Takes a staged file back out of the set (`run --keep-partial` drops
    /// samples cut short by Ctrl-C); a name not staged is no error.
    pub fn unstage(&mut self, name: &str) -> io::Result<()> {
        if let Some(at) = self.staged.iter().position(|n| n == name) {
            self.staged.remove(at);
            fs::remove_file(self.stage_dir().join("new").join(name))?;
        }
        Ok(())
    }

    pub fn staged(&self) -> &[String] {
        &self.staged
    }

    /// The bytes of a file staged so far (`--json` is built from them).
    pub fn read_staged(&self, name: &str) -> io::Result<Vec<u8>> {
        if !self.staged.iter().any(|n| n == name) {
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!("{name} was not staged"),
            ));
        }
        fs::read(self.stage_dir().join("new").join(name))
    }

    /// Puts every staged file in place and removes the stale ones, or
    /// leaves the folder as it was. The final paths, in staging order.
    pub fn commit(self) -> io::Result<Vec<PathBuf>> {
        let mut all = OutputDir::commit_all(vec![self])?;
        Ok(all.remove(0))
    }

    /// Commits several folders as one: if one fails, those already
    /// committed are rolled back.
    pub fn commit_all(mut dirs: Vec<OutputDir>) -> io::Result<Vec<Vec<PathBuf>>> {
        for i in 0..dirs.len() {
            if let Err(e) = dirs[i].swap_in() {
                for d in dirs[..=i].iter_mut().rev() {
                    d.roll_back();
                }
                return Err(e);
            }
        }
        Ok(dirs.into_iter().map(OutputDir::finish).collect())
    }

    /// The refusals of a commit, made before anything moves: files the
    /// user may own under the names it writes ([`OutputDir::strangers`]),
    /// and a folder in the way of a file. A caller that writes elsewhere
    /// first (`--json -` to standard output) asks before it does.
    pub fn check_commit(&self) -> io::Result<()> {
        let strangers = if self.manifest {
            self.strangers(&self.staged)
        } else {
            Vec::new()
        };
        if !strangers.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!(
                    "{} {} already there, with no record that inmail-sim wrote {} (not listed in \
                     its hidden {MANIFEST}, or no such list): {} may be yours, so nothing was \
                     written; move {}, or choose another --out (a folder of the tool's copied \
                     without its hidden files: copy it with them, `cp -a`)",
                    strangers.join(", "),
                    if strangers.len() == 1 { "is" } else { "are" },
                    if strangers.len() == 1 { "it" } else { "them" },
                    if strangers.len() == 1 { "it" } else { "they" },
                    if strangers.len() == 1 { "it" } else { "them" },
                ),
            ));
        }
        let bookkeeping = self.manifest.then_some(MANIFEST.to_string());
        for name in self.staged.iter().chain(&bookkeeping) {
            let in_the_way = fs::symlink_metadata(self.dir.join(name)).is_ok_and(|m| m.is_dir());
            if in_the_way {
                return Err(io::Error::new(
                    io::ErrorKind::IsADirectory,
                    format!(
                        "cannot write {}: a folder of that name is in the way (the tool \
never replaces a folder); the old files are left as they were",
                        self.dir.join(name).display()
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The renames of the commit; on error, the caller rolls back.
    fn swap_in(&mut self) -> io::Result<()> {
        self.check_commit()?;
        // Without a readable manifest there is no old set: files under the
        // tool's names that this run does not write are left as they are,
        // unlisted (a folder copied without its manifest may hold the
        // user's own report.html beside the tool's CSVs, and nothing tells
        // them apart); a later run that would write one refuses.
        let old = if self.manifest {
            read_entries(&self.dir.join(MANIFEST))
        } else {
            Vec::new()
        };
        let new = self.staged.clone();
        // What the new files' entries record: who they are (`removable`).
        let new_entries: Vec<Entry> = new
            .iter()
            .map(|n| {
                let id = fs::symlink_metadata(self.stage_dir().join("new").join(n))
                    .ok()
                    .map(|m| identity(&m));
                (n.clone(), id)
            })
            .collect();
        // Stale: listed by the old manifest, not written now, and still the
        // file the tool wrote (`removable`); anything else listed is left.
        let stale_entries: Vec<Entry> = old
            .into_iter()
            .filter(|(n, _)| !new.contains(n))
            .filter(|(n, id)| removable(&self.dir, n, id.as_deref()))
            .collect();
        let stale: Vec<String> = stale_entries.iter().map(|(n, _)| n.clone()).collect();
        // The journal and the final manifest first: a run killed from here
        // on is finished or undone by the next one (`recover`).
        self.write_stage_file("journal", manifest_text(&new_entries).as_bytes())?;
        if self.manifest {
            self.write_stage_file("final", manifest_text(&new_entries).as_bytes())?;
            // While files move, the manifest covers old and new.
            let union: Vec<Entry> = new_entries.iter().chain(&stale_entries).cloned().collect();
            self.replace_manifest(&union)?;
        }
        for name in new.iter().chain(&stale) {
            let here = self.dir.join(name);
            let is_file = fs::symlink_metadata(&here).is_ok_and(|m| !m.is_dir());
            if is_file {
                fs::rename(&here, self.stage_dir().join("old").join(name))
                    .map_err(|e| cannot(&here, "move the old file aside", &e))?;
                self.journal.aside.push(name.clone());
            }
        }
        #[cfg(test)]
        tests::fail_point(&self.dir, "aside")?;
        for name in &new {
            fs::rename(self.stage_dir().join("new").join(name), self.dir.join(name))
                .map_err(|e| cannot(&self.dir.join(name), "put it in place", &e))?;
            self.journal.placed.push(name.clone());
            #[cfg(test)]
            tests::fail_point(&self.dir, "placed one")?;
        }
        if self.manifest {
            self.rename_manifest("final")?;
        }
        Ok(())
    }

    /// Puts `names` as the folder's manifest, remembering the old one.
    fn replace_manifest(&mut self, names: &[Entry]) -> io::Result<()> {
        let path = self.dir.join(MANIFEST);
        let before = fs::symlink_metadata(&path)
            .ok()
            .filter(fs::Metadata::is_file)
            .and_then(|_| fs::read(&path).ok());
        // Kept for `recover`: the old manifest, or a note that there was none.
        match &before {
            Some(bytes) => self.write_stage_file("old-manifest", bytes)?,
            None => self.write_stage_file("no-old-manifest", b"")?,
        }
        self.write_stage_file("union", manifest_text(names).as_bytes())?;
        self.rename_manifest("union")?;
        self.journal.old_manifest = Some(before);
        Ok(())
    }

    /// A bookkeeping file of the staging folder (beside `new/` and `old/`).
    fn write_stage_file(&self, name: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.stage_dir().join(name);
        let write = || {
            let mut file = fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)?;
            file.write_all(bytes)?;
            file.sync_all()
        };
        write().map_err(|e| {
            io::Error::new(
                e.kind(),
                format!(
                    "cannot write the list of files {MANIFEST} ({e}); the old files are left \
as they were"
                ),
            )
        })
    }

    fn rename_manifest(&self, staged: &str) -> io::Result<()> {
        fs::rename(self.stage_dir().join(staged), self.dir.join(MANIFEST))
            .map_err(|e| cannot(&self.dir.join(MANIFEST), "put it in place", &e))
    }

    /// Undoes the renames of a commit, best effort, last first.
    fn roll_back(&mut self) {
        let Some(stage) = self.stage.as_ref().map(|s| s.path().to_path_buf()) else {
            return;
        };
        for name in self.journal.placed.drain(..).rev() {
            let _ = fs::rename(self.dir.join(&name), stage.join("new").join(&name));
        }
        for name in self.journal.aside.drain(..).rev() {
            let _ = fs::rename(stage.join("old").join(&name), self.dir.join(&name));
        }
        match self.journal.old_manifest.take() {
            Some(Some(bytes)) => {
                let restored = stage.join("restore");
                if fs::write(&restored, bytes).is_ok() {
                    let _ = fs::rename(&restored, self.dir.join(MANIFEST));
                }
            }
            Some(None) => {
                let _ = fs::remove_file(self.dir.join(MANIFEST));
            }
            None => {}
        }
    }

    /// Ends a commit: the staging folder (with the old files) is removed.
    fn finish(mut self) -> Vec<PathBuf> {
        self.created.clear(); // they hold the new files: keep them
        self.staged.iter().map(|n| self.dir.join(n)).collect()
    }
}

impl Drop for OutputDir {
    fn drop(&mut self) {
        if let Some(stage) = self.stage.take() {
            let _ = stage.close();
        }
        for d in self.created.iter().rev() {
            let _ = fs::remove_dir(d); // only succeeds while empty
        }
        // The lock is released when `self.lock` closes, after the clean-up.
    }
}

/// A name that is one path component: no separator, not `.` or `..`.
fn is_plain_name(name: &str) -> bool {
    let mut components = Path::new(name).components();
    matches!(components.next(), Some(Component::Normal(n)) if n == OsStr::new(name))
        && components.next().is_none()
        && !name.contains('\0')
}

/// A manifest or journal entry: a name, and for a name the user chose
/// (`--samples`, `--json`) the identity of the file the tool wrote
/// ([`identity`]).
type Entry = (String, Option<String>);

/// The start of the line after a user-named entry that records its
/// identity (a comment to versions that do not read it).
const LENGTH_LINE: &str = "#= ";

/// Who a file is: its length, and on Unix its inode and modification time
/// in nanoseconds, which a rename keeps and no other file shares. A length
/// alone could be copied into a manifest by hand (`notes.txt` and `#= 9`)
/// and make a run remove the user's file of that length.
fn identity(m: &fs::Metadata) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        format!(
            "{} {} {}.{:09}",
            m.len(),
            m.ino(),
            m.mtime(),
            m.mtime_nsec()
        )
    }
    #[cfg(not(unix))]
    {
        m.len().to_string()
    }
}

fn manifest_text(entries: &[Entry]) -> String {
    let mut text = MANIFEST_HEAD.to_string();
    for (name, len) in entries {
        text.push_str(name);
        text.push('\n');
        if let Some(id) = len.as_ref().filter(|_| !is_tool_name(name)) {
            text.push_str(&format!("{LENGTH_LINE}{id}\n"));
        }
    }
    text
}

/// Whether a listed file may be removed or replaced as the tool's own: a
/// name only the tool writes, or a name the user chose whose entry records
/// the identity ([`identity`]: length, inode, modification time) that the
/// regular file there still has. A manifest edited by hand, or one copied
/// with a folder, cannot make the tool remove a file it did not write
/// (docs/outputs.md, "Output contract"); an entry of an older version, which
/// recorded only a length, leaves its file in place.
fn removable(dir: &Path, name: &str, id: Option<&str>) -> bool {
    if is_tool_name(name) {
        return true;
    }
    let here = fs::symlink_metadata(dir.join(name));
    matches!((id, here), (Some(id), Ok(m)) if m.is_file() && identity(&m) == id)
}

/// The names in the folder's manifest.
#[cfg(test)]
fn read_manifest(dir: &Path) -> Vec<String> {
    read_entries(&dir.join(MANIFEST))
        .into_iter()
        .map(|(n, _)| n)
        .collect()
}

/// Whether `path` is a manifest the tool can read: a regular file, not a
/// link, under 1 MiB ([`read_entries`] reads nothing else).
fn readable_manifest(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.is_file() && m.len() < 1 << 20)
}

/// The entries of a manifest or journal: plain names only, and never the
/// tool's own bookkeeping names, each with the length recorded on the line
/// after it, if any. A file that is not a regular file (a link, say) is not
/// read.
fn read_entries(path: &Path) -> Vec<Entry> {
    if !readable_manifest(path) {
        return Vec::new();
    }
    let text = fs::read(path).unwrap_or_default();
    let mut seen = BTreeSet::new();
    let mut entries: Vec<Entry> = Vec::new();
    let mut last_was_name = false;
    for line in String::from_utf8_lossy(&text).lines() {
        if let Some(len) = line.strip_prefix(LENGTH_LINE) {
            if let (true, Some(entry)) = (last_was_name, entries.last_mut()) {
                entry.1 = Some(len.trim().to_string()).filter(|id| !id.is_empty());
            }
            last_was_name = false;
            continue;
        }
        last_was_name = false;
        let name_like = !line.is_empty() && !line.starts_with('#');
        if name_like
            && is_plain_name(line)
            && line != MANIFEST
            && !line.starts_with(STAGE_PREFIX)
            && seen.insert(line.to_string())
        {
            entries.push((line.to_string(), None));
            last_was_name = true;
        }
    }
    entries
}

/// Removes what killed runs left: staging folders (by their prefix), and
/// the `.NAME.PID.tmp` files of earlier versions for the names the tool
/// writes. A link is removed, never followed. Best effort: a leftover that
/// cannot be removed is harmless.
fn remove_leftovers(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let path = entry.path();
        if name.starts_with(STAGE_PREFIX) {
            let _ = if kind.is_dir() {
                recover(dir, &path);
                remove_stage(&path)
            } else {
                fs::remove_file(&path)
            };
        } else if is_legacy_temp(name) && !kind.is_dir() {
            let _ = fs::remove_file(&path);
        }
    }
}

/// What a staging folder holds besides `new` and `old`: every name
/// `write_stage_file` and `roll_back` write there.
const STAGE_FILES: [&str; 6] = [
    "journal",
    "final",
    "old-manifest",
    "no-old-manifest",
    "union",
    "restore",
];

/// Removes a killed run's staging folder by what a run puts in it: the
/// files of [`STAGE_FILES`], and the files in `new` and `old`; a folder
/// of that name holding anything else (a user's folder that happens to be
/// named so) keeps it, and itself, since only empty folders are removed.
fn remove_stage(stage: &Path) -> io::Result<()> {
    for name in STAGE_FILES {
        let path = stage.join(name);
        if fs::symlink_metadata(&path).is_ok_and(|m| !m.is_dir()) {
            let _ = fs::remove_file(&path);
        }
    }
    for sub in ["new", "old"] {
        let sub = stage.join(sub);
        if !fs::symlink_metadata(&sub).is_ok_and(|m| m.is_dir()) {
            continue;
        }
        for entry in fs::read_dir(&sub).into_iter().flatten().flatten() {
            if entry.file_type().is_ok_and(|t| !t.is_dir()) {
                let _ = fs::remove_file(entry.path());
            }
        }
        let _ = fs::remove_dir(&sub);
    }
    fs::remove_dir(stage)
}

/// Finishes or undoes the commit a killed run left in its staging folder
/// `stage`, so the folder holds one whole set: if every file of the new set
/// had been placed, the commit is finished (the final manifest put in
/// place); otherwise the new files placed are removed and the old ones and
/// the old manifest moved back. Nothing happens without a journal (the run
/// was killed before its commit began). Best effort, like the commit.
fn recover(dir: &Path, stage: &Path) {
    let journal = stage.join("journal");
    if !fs::symlink_metadata(&journal).is_ok_and(|m| m.is_file()) {
        return;
    }
    let new = read_entries(&journal);
    let staged = |n: &String| fs::symlink_metadata(stage.join("new").join(n)).is_ok();
    if !new.iter().any(|(n, _)| staged(n)) {
        let _ = fs::rename(stage.join("final"), dir.join(MANIFEST));
        return;
    }
    // Placed by the killed commit: removed to undo it, if still its own
    // (a journal planted in a folder of that name removes nothing else).
    for (name, len) in new.iter().filter(|(n, _)| !staged(n)) {
        let here = dir.join(name);
        if fs::symlink_metadata(&here).is_ok_and(|m| !m.is_dir())
            && removable(dir, name, len.as_deref())
        {
            let _ = fs::remove_file(&here);
        }
    }
    for entry in fs::read_dir(stage.join("old"))
        .into_iter()
        .flatten()
        .flatten()
    {
        let name = entry.file_name();
        let plain = name.to_str().is_some_and(is_plain_name);
        if plain && fs::symlink_metadata(dir.join(&name)).is_err() {
            let _ = fs::rename(entry.path(), dir.join(&name));
        }
    }
    if fs::symlink_metadata(stage.join("old-manifest")).is_ok_and(|m| m.is_file()) {
        let _ = fs::rename(stage.join("old-manifest"), dir.join(MANIFEST));
    } else if stage.join("no-old-manifest").is_file() {
        let _ = fs::remove_file(dir.join(MANIFEST));
    }
}

/// `.summary.csv.1234.tmp`, `.write-check.1234.tmp`: the temporary names of
/// versions before the manifest.
fn is_legacy_temp(name: &str) -> bool {
    let Some(rest) = name.strip_prefix('.').and_then(|n| n.strip_suffix(".tmp")) else {
        return false;
    };
    let Some((base, pid)) = rest.rsplit_once('.') else {
        return false;
    };
    !pid.is_empty()
        && pid.bytes().all(|b| b.is_ascii_digit())
        && (base == "write-check" || is_tool_name(base))
}

/// The system's own top-level folders (the Filesystem Hierarchy
/// Standard's), refused as output folders themselves; folders inside them
/// (/var/tmp/x, /usr/local/share/x) are the user's choice.
const SYSTEM_FOLDERS: [&str; 12] = [
    "/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/libx32", "/run", "/sbin",
    "/usr", "/var",
];

/// Whether the resolved `real` is the system folder `f` or where it leads:
/// on merged-/usr systems /bin and /lib64 are links to /usr/bin and
/// /usr/lib64, so `--out /bin` resolves to a folder inside /usr that the
/// name alone would not refuse.
fn is_system_folder(real: &Path, f: &str) -> bool {
    real == Path::new(f) || fs::canonicalize(f).is_ok_and(|target| target == real)
}

/// Refuses the root of the file system, the system's top-level folders and
/// the user's home folder itself: the tool replaces and removes the files
/// it wrote in its folder, and those folders hold everything else.
fn refuse_dangerous(dir: &Path) -> io::Result<()> {
    let Ok(real) = fs::canonicalize(dir) else {
        return Ok(()); // missing: it will be created, so it is neither
    };
    let why = if real.parent().is_none() {
        "it is the root of the file system"
    } else if SYSTEM_FOLDERS.iter().any(|f| is_system_folder(&real, f)) {
        "it is one of the system's own folders"
    } else if std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .and_then(|h| fs::canonicalize(h).ok())
        .is_some_and(|home| home == real)
    {
        "it is your home folder itself"
    } else {
        return Ok(());
    };
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        format!(
            "{why}; the tool replaces and removes the files it wrote in its output folder, \
so give it a folder of its own (such as results/NAME)"
        ),
    ))
}

/// `results/../x` with `results` missing: `..` cannot be followed.
pub fn check_no_parent_after_missing(dir: &Path) -> io::Result<()> {
    let mut path = PathBuf::new();
    let mut missing: Option<PathBuf> = None;
    for component in dir.components() {
        if component == Component::ParentDir {
            if let Some(m) = &missing {
                return Err(io::Error::new(
                    io::ErrorKind::NotFound,
                    format!(
                        "the path goes back up (..) from {}, which does not exist; \
create it first or give the path without ..",
                        m.display()
                    ),
                ));
            }
        }
        path.push(component);
        if missing.is_none() && !path.exists() {
            missing = Some(path.clone());
        }
    }
    Ok(())
}

/// Locks the folder (exclusive, at once or refused). A folder that cannot
/// be opened or locked at all (a file system without `flock`, such as some
/// network mounts) is used unlocked: refusing every run there would be worse
/// than the interleaving the lock prevents, and a folder that cannot be
/// written is reported when the staging folder is created.
fn lock(dir: &Path) -> io::Result<Option<fs::File>> {
    let Ok(file) = fs::File::open(dir) else {
        return Ok(None);
    };
    match fs4::FileExt::try_lock(&file) {
        Ok(()) => Ok(Some(file)),
        Err(fs4::TryLockError::WouldBlock) => Err(io::Error::new(
            io::ErrorKind::WouldBlock,
            "another inmail-sim run is writing to this folder (it holds the folder's lock); \
wait for it to finish or choose another folder with --out",
        )),
        Err(fs4::TryLockError::Error(_)) => Ok(None),
    }
}

fn not_a_folder(path: &Path) -> io::Error {
    io::Error::new(
        io::ErrorKind::NotADirectory,
        format!("{} exists and is not a folder", path.display()),
    )
}

fn cannot_create_folder(path: &Path, e: &io::Error) -> io::Error {
    io::Error::new(
        e.kind(),
        format!(
            "cannot create the folder {}: {}",
            path.display(),
            in_words(e)
        ),
    )
}

/// The folder exists but a file cannot be created in it.
fn cannot_create_files(e: &io::Error) -> io::Error {
    io::Error::new(
        e.kind(),
        format!("cannot create files in it: {}", in_words(e)),
    )
}

/// An error of the file system, in the user's terms.
fn in_words(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        io::ErrorKind::ReadOnlyFilesystem => "the file system is read-only".to_string(),
        io::ErrorKind::StorageFull => "the disk is full".to_string(),
        // /proc and /sys: the folder exists but takes no new files.
        io::ErrorKind::NotFound => {
            "it is a system folder that takes no new files (such as /proc or /sys)".to_string()
        }
        _ => e.to_string(),
    }
}

/// A failed rename or write of the commit, naming the file.
fn cannot(path: &Path, what: &str, e: &io::Error) -> io::Error {
    io::Error::new(
        e.kind(),
        format!(
            "cannot write {} ({what}: {e}); the old files are left as they were",
            path.display()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    thread_local! {
        /// A folder whose commit fails at a point: "aside" (after moving
        /// the old files aside) or "placed one" (after placing a file).
        static FAIL_IN: RefCell<Option<(PathBuf, &'static str)>> = const { RefCell::new(None) };
    }

    pub(super) fn fail_point(dir: &Path, point: &str) -> io::Result<()> {
        let fail = FAIL_IN.with(|f| {
            f.borrow()
                .as_ref()
                .is_some_and(|(d, p)| d == dir && *p == point)
        });
        if fail {
            return Err(io::Error::other("injected failure"));
        }
        Ok(())
    }

    #[cfg(unix)]
    /// Called directly, not through a run: a run into /etc without the
    /// refusal would write there.
    #[test]
    fn the_systems_own_folders_are_refused_and_folders_inside_them_are_not() {
        for folder in ["/etc", "/usr", "/var", "/dev", "/etc/../usr"] {
            let refused = refuse_dangerous(Path::new(folder)).unwrap_err();
            assert!(
                refused
                    .to_string()
                    .contains("one of the system's own folders"),
                "{folder}: {refused}"
            );
        }
        let tmp = tempfile::TempDir::new().unwrap();
        std::os::unix::fs::symlink("/usr", tmp.path().join("usr-link")).unwrap();
        assert!(refuse_dangerous(&tmp.path().join("usr-link")).is_err());
        // Merged /usr: /bin is a link to /usr/bin, and both are refused.
        for folder in ["/bin", "/lib64", "/sbin", "/lib"] {
            let Ok(target) = std::fs::canonicalize(folder) else {
                continue;
            };
            for path in [Path::new(folder), target.as_path()] {
                let refused = refuse_dangerous(path).unwrap_err();
                assert!(
                    refused
                        .to_string()
                        .contains("one of the system's own folders")
                );
            }
        }
        for fine in ["/var/tmp", "/usr/local", "/tmp"] {
            if Path::new(fine).exists() {
                refuse_dangerous(Path::new(fine)).unwrap();
            }
        }
        refuse_dangerous(tmp.path()).unwrap();
    }

    fn fail_at(dir: Option<(&Path, &'static str)>) {
        FAIL_IN.with(|f| *f.borrow_mut() = dir.map(|(d, p)| (d.to_path_buf(), p)));
    }

    /// A commit stopped at `point` as SIGKILL would stop it: no roll-back,
    /// no clean-up, the staging folder left (the lock is released, as the
    /// kernel releases a killed process's locks).
    fn killed_commit_at(dir: &Path, point: &'static str, files: &[(&str, &str)]) {
        let mut out = OutputDir::prepare(dir).unwrap();
        for (name, text) in files {
            out.stage(name, |w| w.write_all(text.as_bytes())).unwrap();
        }
        fail_at(Some((dir, point)));
        let result = out.swap_in();
        fail_at(None);
        assert!(result.is_err());
        out.lock = None;
        std::mem::forget(out);
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn write_set(dir: &Path, files: &[(&str, &str)]) -> io::Result<Vec<PathBuf>> {
        let mut out = OutputDir::prepare(dir)?;
        for (name, text) in files {
            out.stage(name, |w| w.write_all(text.as_bytes()))?;
        }
        out.commit()
    }

    #[test]
    fn a_dropped_output_dir_leaves_nothing_behind() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("results/a/b");
        {
            let mut out = OutputDir::prepare(&target).unwrap();
            out.stage("x.csv", |w| w.write_all(b"half")).unwrap();
            assert!(target.is_dir());
        }
        assert!(!root.path().join("results").exists());
    }

    #[test]
    fn committed_files_appear_under_their_names_with_the_manifest_only() {
        let root = tempfile::tempdir().unwrap();
        write_set(root.path(), &[("a.csv", "a\n"), ("b.csv", "b\n")]).unwrap();
        assert_eq!(names(root.path()), [MANIFEST, "a.csv", "b.csv"]);
        assert_eq!(read_manifest(root.path()), ["a.csv", "b.csv"]);
    }

    #[test]
    fn a_manifest_edited_by_hand_cannot_make_the_tool_remove_a_file_it_did_not_write() {
        // The user's files listed in the manifest by hand (or by a manifest
        // copied with a folder): not the tool's names and no length of the
        // tool's, so they stay; the tool's own stale file goes.
        let root = tempfile::tempdir().unwrap();
        let dir = root.path();
        write_set(
            dir,
            &[("summary.csv", "s"), ("mine.csv", "written by the tool")],
        )
        .unwrap();
        fs::write(dir.join("thesis.docx"), "precious").unwrap();
        let mut text = fs::read_to_string(dir.join(MANIFEST)).unwrap();
        // Its right length (8 bytes) used to be enough to remove it.
        text.push_str("thesis.docx\n#= 8\n");
        fs::write(dir.join(MANIFEST), text).unwrap();
        // mine.csv edited since: no longer the tool's file.
        fs::write(dir.join("mine.csv"), "edited by the user").unwrap();
        write_set(dir, &[("monthly.csv", "m")]).unwrap();
        assert_eq!(
            names(dir),
            [MANIFEST, "mine.csv", "monthly.csv", "thesis.docx"]
        );
        assert_eq!(
            fs::read_to_string(dir.join("thesis.docx")).unwrap(),
            "precious"
        );
        // A file the tool wrote under a name the user chose, unchanged, is
        // stale like any other.
        write_set(dir, &[("monthly.csv", "m"), ("samples.csv", "rows")]).unwrap();
        write_set(dir, &[("monthly.csv", "m")]).unwrap();
        assert!(!dir.join("samples.csv").exists());
    }

    #[test]
    fn a_planted_journal_removes_nothing_the_tool_did_not_place() {
        // A staging folder made by hand, as a killed commit's: its journal
        // names the user's file as placed (with no length, or a wrong one).
        // The next run's recovery removes only what the tool wrote.
        for journal in [
            "monthly.csv\nthesis.docx\n",
            "monthly.csv\nthesis.docx\n#= 7\n",
        ] {
            let root = tempfile::tempdir().unwrap();
            let dir = root.path();
            write_set(dir, &[("summary.csv", "s")]).unwrap();
            fs::write(dir.join("thesis.docx"), "precious").unwrap();
            let stage = dir.join(format!("{STAGE_PREFIX}planted"));
            fs::create_dir_all(stage.join("new")).unwrap();
            fs::create_dir_all(stage.join("old")).unwrap();
            fs::write(stage.join("new").join("monthly.csv"), "m").unwrap();
            fs::write(stage.join("journal"), journal).unwrap();
            drop(OutputDir::prepare(dir).unwrap());
            assert_eq!(
                fs::read_to_string(dir.join("thesis.docx")).unwrap(),
                "precious",
                "{journal:?}"
            );
            assert!(!stage.exists(), "the leftover staging folder is removed");
        }
    }

    #[test]
    fn a_killed_commits_staging_folder_is_removed_whatever_stage_it_reached() {
        for left in STAGE_FILES {
            let root = tempfile::tempdir().unwrap();
            let dir = root.path();
            write_set(dir, &[("summary.csv", "s")]).unwrap();
            let stage = dir.join(format!("{STAGE_PREFIX}killed"));
            fs::create_dir_all(stage.join("new")).unwrap();
            fs::create_dir_all(stage.join("old")).unwrap();
            fs::write(stage.join(left), "x").unwrap();
            drop(OutputDir::prepare(dir).unwrap());
            assert!(!stage.exists(), "{left} kept the staging folder");
        }
    }

    #[test]
    fn a_users_folder_named_like_a_staging_folder_keeps_what_the_tool_did_not_put_there() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path();
        let folder = dir.join(format!("{STAGE_PREFIX}abc"));
        fs::create_dir_all(folder.join("notes")).unwrap();
        fs::write(folder.join("important.doc"), "mine").unwrap();
        fs::write(folder.join("notes").join("a.txt"), "mine too").unwrap();
        drop(OutputDir::prepare(dir).unwrap());
        assert_eq!(
            fs::read_to_string(folder.join("important.doc")).unwrap(),
            "mine"
        );
        assert!(folder.join("notes").join("a.txt").is_file());
    }

    #[test]
    fn a_path_under_a_file_is_an_error() {
        let root = tempfile::tempdir().unwrap();
        let file = root.path().join("plain");
        fs::write(&file, b"").unwrap();
        assert!(OutputDir::prepare(&file.join("sub")).is_err());
        assert!(OutputDir::prepare(&file).is_err());
    }

    #[test]
    fn a_failure_after_the_old_files_moved_aside_puts_them_back() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("out");
        write_set(&dir, &[("a.csv", "old a"), ("b.csv", "old b")]).unwrap();
        fs::write(dir.join("notes.txt"), "mine").unwrap();
        let before = names(&dir);

        fail_at(Some((&dir, "aside")));
        let result = write_set(&dir, &[("a.csv", "new a"), ("c.csv", "new c")]);
        fail_at(None);

        assert!(result.is_err());
        assert_eq!(names(&dir), before);
        assert_eq!(fs::read_to_string(dir.join("a.csv")).unwrap(), "old a");
        assert_eq!(fs::read_to_string(dir.join("b.csv")).unwrap(), "old b");
        assert_eq!(read_manifest(&dir), ["a.csv", "b.csv"]);
    }

    #[test]
    fn a_failed_second_folder_rolls_back_the_first() {
        let root = tempfile::tempdir().unwrap();
        let (one, two) = (root.path().join("one"), root.path().join("two"));
        write_set(&one, &[("a.csv", "old a")]).unwrap();
        let mut first = OutputDir::prepare(&one).unwrap();
        first.stage("a.csv", |w| w.write_all(b"new a")).unwrap();
        first.stage("b.csv", |w| w.write_all(b"new b")).unwrap();
        let mut second = OutputDir::for_one_file(&two).unwrap();
        second.stage("s.csv", |w| w.write_all(b"s")).unwrap();
        fs::create_dir_all(two.join("s.csv/inside")).unwrap(); // in the way

        let e = OutputDir::commit_all(vec![first, second]).unwrap_err();
        assert!(e.to_string().contains("s.csv: a folder"), "{e}");
        assert_eq!(names(&one), [MANIFEST, "a.csv"]);
        assert_eq!(fs::read_to_string(one.join("a.csv")).unwrap(), "old a");
    }

    #[test]
    fn a_staged_name_planted_as_a_link_is_not_followed() {
        let root = tempfile::tempdir().unwrap();
        let victim = root.path().join("victim");
        fs::write(&victim, "precious").unwrap();
        let mut out = OutputDir::prepare(&root.path().join("out")).unwrap();
        let planted = out.stage_dir().join("new/summary.csv");
        std::os::unix::fs::symlink(&victim, &planted).unwrap();
        let e = out.stage("summary.csv", |w| w.write_all(b"x")).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
    }

    #[test]
    fn a_second_output_dir_on_a_locked_folder_is_refused() {
        let root = tempfile::tempdir().unwrap();
        let _first = OutputDir::prepare(root.path()).unwrap();
        let e = OutputDir::prepare(root.path()).unwrap_err();
        assert!(e.to_string().contains("another inmail-sim run"), "{e}");
    }

    #[test]
    fn tool_names_and_leftovers_are_recognised_by_their_exact_form() {
        assert!(is_tool_name("sweep_cost_12.svg") && is_tool_name("report.html"));
        assert!(!is_tool_name("sweep_cost_.svg") && !is_tool_name("notes.csv"));
        assert!(is_legacy_temp(".summary.csv.4242.tmp"));
        assert!(is_legacy_temp(".write-check.1.tmp"));
        assert!(!is_legacy_temp(".notes.csv.4242.tmp"));
        assert!(!is_legacy_temp(".summary.csv.x.tmp"));
    }

    #[test]
    fn a_manifest_names_only_plain_files_in_the_folder() {
        let root = tempfile::tempdir().unwrap();
        let text = format!("# c\na.csv\n../escape\n/etc/passwd\n{MANIFEST}\n.\n\nb.csv\na.csv\n");
        fs::write(root.path().join(MANIFEST), text).unwrap();
        assert_eq!(read_manifest(root.path()), ["a.csv", "b.csv"]);
    }

    #[test]
    fn a_commit_killed_before_every_file_was_placed_is_undone_by_the_next_run() {
        for point in ["aside", "placed one"] {
            let root = tempfile::tempdir().unwrap();
            let dir = root.path().join("out");
            write_set(&dir, &[("a.csv", "old a"), ("b.csv", "old b")]).unwrap();
            fs::write(dir.join("notes.txt"), "mine").unwrap();
            let before = names(&dir);
            killed_commit_at(&dir, point, &[("a.csv", "new a"), ("c.csv", "new c")]);
            assert_ne!(names(&dir), before, "{point}: the kill changed nothing");

            drop(OutputDir::prepare(&dir).unwrap()); // the next run, failing
            assert_eq!(names(&dir), before, "{point}");
            assert_eq!(fs::read_to_string(dir.join("a.csv")).unwrap(), "old a");
            assert_eq!(fs::read_to_string(dir.join("b.csv")).unwrap(), "old b");
            assert_eq!(read_manifest(&dir), ["a.csv", "b.csv"], "{point}");
        }
    }

    #[test]
    fn a_commit_killed_after_every_file_was_placed_is_finished_by_the_next_run() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("out");
        write_set(&dir, &[("a.csv", "old a"), ("b.csv", "old b")]).unwrap();
        // Killed after placing its only file, before the final manifest.
        killed_commit_at(&dir, "placed one", &[("a.csv", "new a")]);
        assert_eq!(read_manifest(&dir), ["a.csv", "b.csv"]);

        drop(OutputDir::prepare(&dir).unwrap());
        assert_eq!(names(&dir), [MANIFEST, "a.csv"]);
        assert_eq!(fs::read_to_string(dir.join("a.csv")).unwrap(), "new a");
        assert_eq!(read_manifest(&dir), ["a.csv"]);
    }
}
