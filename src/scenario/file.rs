//! Reading a scenario file: the one way every command (run, validate,
//! compare, sweep, sensitivity and `run --samples`) gets a scenario's bytes.
//!
//! Only a regular file is read, and at most [`MAX_FILE_BYTES`] of it. The
//! type is checked before the file is opened, and the file is opened
//! without blocking and checked again once open, so a FIFO with no writer,
//! a terminal or `/dev/zero` is refused at once rather than waited on (a
//! blocked `open` or an endless read would not see Ctrl-C) or read until
//! memory runs out. Between chunks the read checks for Ctrl-C.

use super::error::{Problem, ScenarioError};
use crate::interrupt::interrupted;
use std::fs::{File, Metadata, OpenOptions};
use std::io::Read;
use std::path::Path;

/// The largest scenario file read: 1 MiB. The shipped scenarios are about
/// 2 KB; a scenario with a long empirical delay table stays far below it.
pub const MAX_FILE_BYTES: u64 = 1 << 20;

/// Bytes read between two checks for Ctrl-C.
const CHUNK_BYTES: usize = 64 << 10;

/// The bytes of the scenario file at `path`: refused (exit 2) if it is not
/// a regular file or is larger than [`MAX_FILE_BYTES`].
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, ScenarioError> {
    let fail = |problem: Problem| ScenarioError {
        file: path.to_path_buf(),
        problem,
    };
    // `metadata` follows links: a link to a regular file is read.
    let meta = std::fs::metadata(path).map_err(|e| fail(Problem::Read(e)))?;
    check_meta(&meta).map_err(fail)?;
    let mut file = open_without_blocking(path).map_err(|e| fail(Problem::Read(e)))?;
    // The path may have been replaced between the check and the open.
    let meta = file.metadata().map_err(|e| fail(Problem::Read(e)))?;
    check_meta(&meta).map_err(fail)?;

    let mut bytes = Vec::with_capacity(meta.len() as usize);
    let mut chunk = vec![0u8; CHUNK_BYTES];
    loop {
        if interrupted() {
            return Err(fail(Problem::Interrupted));
        }
        let n = file.read(&mut chunk).map_err(|e| fail(Problem::Read(e)))?;
        if n == 0 {
            return Ok(bytes);
        }
        bytes.extend_from_slice(&chunk[..n]);
        // The file may grow while it is read.
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(fail(Problem::TooLarge {
                limit: MAX_FILE_BYTES,
            }));
        }
    }
}

/// Refuses anything but a regular file no larger than the limit.
fn check_meta(meta: &Metadata) -> Result<(), Problem> {
    if !meta.is_file() {
        return Err(Problem::NotAFile(kind(meta)));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(Problem::TooLarge {
            limit: MAX_FILE_BYTES,
        });
    }
    Ok(())
}

/// What a non-regular file is, in the user's words.
pub(crate) fn kind(meta: &Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "something that is not a regular file"
}

/// Opens for reading; on Unix with `O_NONBLOCK`, so that opening a FIFO
/// that has no writer returns at once instead of waiting for one.
fn open_without_blocking(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(path: &Path) -> Problem {
        read_bytes(path).unwrap_err().problem
    }

    #[test]
    fn a_regular_file_is_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.toml");
        let text = "x".repeat(3 * CHUNK_BYTES + 7);
        std::fs::write(&path, &text).unwrap();
        assert_eq!(read_bytes(&path).unwrap(), text.as_bytes());
    }

    #[test]
    fn a_file_over_the_limit_is_refused_before_it_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.toml");
        let file = File::create(&path).unwrap();
        file.set_len(MAX_FILE_BYTES + 1).unwrap();
        assert!(matches!(problem(&path), Problem::TooLarge { .. }));
        file.set_len(MAX_FILE_BYTES).unwrap();
        assert_eq!(read_bytes(&path).unwrap().len() as u64, MAX_FILE_BYTES);
    }

    #[test]
    fn a_folder_is_not_a_scenario_file() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(problem(dir.path()), Problem::NotAFile("a folder")));
    }

    #[cfg(unix)]
    #[test]
    fn devices_are_refused_without_reading_them() {
        let p = problem(Path::new("/dev/zero"));
        assert!(
            matches!(p, Problem::NotAFile("a character device")),
            "{p:?}"
        );
    }
}
