//! A file named on the command line for one output (`--samples FILE`,
//! `--json FILE`): what already stands at that path decides how it is
//! written, the same way for every flag. A character device or a FIFO
//! (`/dev/null`, `/dev/stdout`, a named pipe) is written to as it is, never
//! replaced: renaming a staged file over `/dev/null` as root would turn the
//! device into a regular file. A folder, a block device, a socket and a
//! link to a regular file are refused, and so is any of the command's own
//! input files, which the output would overwrite (issue 17's contract:
//! nothing the user did not ask to replace is destroyed). A regular file,
//! or none, is staged and committed with the command's outputs.

use crate::error::UserError;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// What stands at an output target before the command runs.
#[derive(Debug)]
pub enum Existing {
    /// Nothing, or a regular file that is none of the inputs: staged.
    File,
    /// A character device or a FIFO (or a link to one): streamed to.
    Stream(PathBuf),
}

/// Classifies `target` for `flag` (e.g. `--json`), refusing what must not
/// be written over; `inputs` are the command's input files.
pub fn existing(flag: &str, target: &Path, inputs: &[&Path]) -> Result<Existing, UserError> {
    let refuse = |why: String| UserError(format!("{flag} {}: {why}", target.display()));
    let m = match fs::symlink_metadata(target) {
        Ok(m) => m,
        // Nothing there (a file where a folder of the path should be is
        // the caller's to name: it checks the folder).
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
            ) =>
        {
            return Ok(Existing::File);
        }
        Err(e) => return Err(refuse(format!("cannot be written: {e}"))),
    };
    // An input under any name (a link to it, or /dev/stdout with stdout
    // redirected into it) is never written over.
    if let Some(input) = inputs.iter().find(|i| same_file(target, i)) {
        return Err(refuse(format!(
            "is {}, an input of this command, which the output would overwrite; \
             choose another file name",
            input.display()
        )));
    }
    if m.file_type().is_symlink() {
        // /dev/stdout, /dev/fd/1: a link to whatever stdout is, a regular
        // file included (`> f.json`), written to as standard output.
        if is_stdout(target) {
            return Ok(Existing::Stream(target.to_path_buf()));
        }
        return link(target, &refuse);
    }
    if let Some(stream) = special(target, &m, &refuse)? {
        return Ok(stream);
    }
    Ok(Existing::File)
}

/// Whether `name` in `folder` belongs to another output folder's set: a
/// name the tool writes, in a folder with a manifest (`--json
/// other-run/summary.csv`). Written there, it would mix this run's file
/// into that run's set, which the next run into that folder would then
/// remove as its own.
pub fn another_runs_output(folder: &Path, name: &str) -> bool {
    crate::export::is_tool_name(name)
        && fs::symlink_metadata(folder.join(crate::export::MANIFEST)).is_ok()
}

/// The refusal for [`another_runs_output`].
pub fn mixes_sets(folder: &Path, name: &str) -> String {
    format!(
        "{name} is a file inmail-sim writes in {}, another run's output folder; writing it there \
         would mix this run's file into that set; choose another name or folder",
        folder.display()
    )
}

/// Whether `target` is this process's standard output under another name
/// (`/dev/stdout`, `/dev/fd/1`, `/proc/self/fd/1`, or the pipe or file
/// stdout goes to): then it is written as `-` is, with the table on
/// stderr, so that the table never lands in the data. `/dev/null` is
/// never taken for it (both being /dev/null says nothing).
#[cfg(unix)]
pub fn is_stdout(target: &Path) -> bool {
    use std::os::fd::AsFd;
    use std::os::unix::fs::MetadataExt;
    let Ok(fd) = io::stdout().as_fd().try_clone_to_owned() else {
        return false;
    };
    let (Ok(out), Ok(m)) = (fs::File::from(fd).metadata(), fs::metadata(target)) else {
        return false;
    };
    let null = fs::metadata("/dev/null").is_ok_and(|n| n.rdev() == m.rdev() && m.rdev() != 0);
    !null && m.dev() == out.dev() && m.ino() == out.ino()
}

#[cfg(not(unix))]
pub fn is_stdout(_target: &Path) -> bool {
    false
}

/// A link: followed only to a device or FIFO (`/dev/stdout` on a terminal
/// or a pipe), which is streamed to; a link is never replaced.
fn link(target: &Path, refuse: &dyn Fn(String) -> UserError) -> Result<Existing, UserError> {
    let m = fs::metadata(target)
        .map_err(|e| refuse(format!("is a symbolic link that cannot be followed: {e}")))?;
    if let Some(stream) = special(target, &m, refuse)? {
        return Ok(stream);
    }
    let real =
        fs::canonicalize(target).map_or_else(|_| "a file".to_string(), |p| p.display().to_string());
    Err(refuse(format!(
        "is a symbolic link to {real}; give that file itself, or - for standard output"
    )))
}

/// A target that is not a regular file: streamed to (character device,
/// FIFO) or refused (folder, block device, socket). `None` for a regular file.
fn special(
    target: &Path,
    m: &fs::Metadata,
    refuse: &dyn Fn(String) -> UserError,
) -> Result<Option<Existing>, UserError> {
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
            return Ok(Some(Existing::Stream(target.to_path_buf())));
        }
        if kind.is_block_device() {
            return Err(refuse(
                "is a block device (a disk); output is never written over one".to_string(),
            ));
        }
    }
    Err(refuse(
        "is not a regular file, a character device or a FIFO".to_string(),
    ))
}

/// The file name of `target` and the folder it goes in (`.` for a bare
/// name), or `None` for a path with no file name (`..`, `/`).
pub fn name_and_folder(target: &Path) -> Option<(String, PathBuf)> {
    let name = target
        .file_name()
        .and_then(|n| n.to_str())
        .filter(|n| !n.is_empty())?
        .to_string();
    let folder = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Some((name, folder))
}

/// Writes to a device or FIFO through its path, without creating,
/// truncating or renaming anything.
pub fn stream(path: &Path, fill: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    let file = open_for_writing(path)?;
    let mut w = io::BufWriter::new(file);
    fill(&mut w)?;
    w.flush()
}

/// Opens a device or FIFO for writing. A FIFO no program reads would block
/// the open until one does, deaf to Ctrl-C (a blocked open is not
/// interrupted by our handler): on Unix it is opened without waiting
/// (`O_NONBLOCK` fails at once with no reader), and its writes wait for
/// room in [`Patient`], which Ctrl-C stops.
fn open_for_writing(path: &Path) -> io::Result<Patient> {
    let mut options = fs::OpenOptions::new();
    options.write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    match options.open(path) {
        Ok(file) => Ok(Patient(file)),
        #[cfg(unix)]
        Err(e) if e.raw_os_error() == Some(libc::ENXIO) => Err(io::Error::other(
            "it is a FIFO that no program is reading; start the reader first",
        )),
        Err(e) => Err(e),
    }
}

/// A non-blocking file written as a blocking one: a write that finds the
/// pipe full waits a millisecond and tries again, until Ctrl-C.
struct Patient(fs::File);

impl Write for Patient {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        loop {
            match self.0.write(buf) {
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    if crate::runner::interrupted() {
                        // Not `ErrorKind::Interrupted`: `write_all` retries that.
                        return Err(io::Error::other("interrupted by Ctrl-C"));
                    }
                    std::thread::sleep(std::time::Duration::from_millis(1));
                }
                done => return done,
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

/// Whether two existing paths are the same file (a hard link too).
pub fn same_file(a: &Path, b: &Path) -> bool {
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
pub fn same_folder(a: &Path, b: &Path) -> bool {
    matches!((fs::canonicalize(a), fs::canonicalize(b)), (Ok(a), Ok(b)) if a == b)
}

/// Refuses `--json` or `--samples` (`option`) naming a file of the output
/// folder that the tool did not write there (`OutputDir::holds_users_file`):
/// replaced now, it would be removed by the next run as this run's output.
pub fn refuse_users_file(
    option: &str,
    target: &std::path::Path,
    out: &crate::export::OutputDir,
    name: &str,
) -> Result<(), crate::error::UserError> {
    if !out.holds_users_file(name) {
        return Ok(());
    }
    Err(crate::error::UserError(format!(
        "{option} {}: {name} is already in the output folder {}, with no record that \
         inmail-sim wrote it: it may be yours, so nothing was written; choose another name, \
         move it, or choose another --out",
        target.display(),
        out.path().display()
    )))
}
