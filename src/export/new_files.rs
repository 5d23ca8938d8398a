//! Files written once and never replaced: the scenarios of `inmail-sim
//! examples --write` and the template of `inmail-sim init`. They are the
//! user's to edit, so an existing file is never overwritten: every target
//! is checked before anything is written, each file is created with
//! `create_new` (a file that appears in between is not clobbered), and on
//! a failure the files already written are removed.

use crate::error::UserError;
use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes each `(path, text)`; refuses, writing nothing, if any path exists.
pub fn write_new(files: &[(PathBuf, &str)]) -> Result<(), UserError> {
    let existing: Vec<String> = files
        .iter()
        .filter(|(p, _)| fs::symlink_metadata(p).is_ok())
        .map(|(p, _)| p.display().to_string())
        .collect();
    if !existing.is_empty() {
        let mut named = existing
            .iter()
            .take(3)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        if existing.len() > 3 {
            named.push_str(&format!(" and {} more", existing.len() - 3));
        }
        return Err(UserError(format!(
            "{named} already exist{}; inmail-sim never overwrites a file: remove {} or choose \
             another name or folder (nothing was written)",
            if existing.len() == 1 { "s" } else { "" },
            if existing.len() == 1 { "it" } else { "them" },
        )));
    }
    let mut written: Vec<&Path> = Vec::new();
    for (path, text) in files {
        if let Err(e) = create(path, text) {
            for done in &written {
                let _ = fs::remove_file(done);
            }
            return Err(UserError(format!(
                "cannot write {}: {e} (nothing was written)",
                path.display()
            )));
        }
        written.push(path);
    }
    Ok(())
}

fn create(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent)?;
    }
    let mut file = OpenOptions::new().write(true).create_new(true).open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_existing_file_is_named_and_nothing_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("sub/a.toml"), dir.path().join("b.toml"));
        fs::write(&b, "mine").unwrap();
        let e = write_new(&[(a.clone(), "new a"), (b.clone(), "new b")]).unwrap_err();
        assert!(e.0.contains("b.toml already exists"), "{e}");
        assert!(!a.exists());
        assert_eq!(fs::read_to_string(&b).unwrap(), "mine");
        write_new(&[(a.clone(), "new a")]).unwrap();
        assert_eq!(fs::read_to_string(&a).unwrap(), "new a");
    }
}
