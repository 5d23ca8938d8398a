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
    // `a/../b` with `a` missing: the folder `a` would be made and left
    // empty, so refused as an output folder's path is.
    for (path, _) in files {
        super::check_no_parent_after_missing(path)
            .map_err(|e| UserError(format!("{}: {e} (nothing was written)", path.display())))?;
    }
    // A file where a folder of the set goes: said before any folder is made.
    if let Some(file) = files.iter().find_map(|(p, _)| file_in_the_way(p)) {
        return Err(UserError(format!(
            "{} is a file, where a folder of these files goes: move it or choose another \
             folder (nothing was written)",
            file.display()
        )));
    }
    let mut written: Vec<&Path> = Vec::new();
    let mut made: Vec<PathBuf> = Vec::new();
    for (path, text) in files {
        if let Err(e) = create(path, text, &mut made) {
            for done in &written {
                let _ = fs::remove_file(done);
            }
            // The folders made for them, deepest first (only if empty).
            for dir in made.iter().rev() {
                let _ = fs::remove_dir(dir);
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

/// The first existing ancestor of `path` that is not a folder.
fn file_in_the_way(path: &Path) -> Option<PathBuf> {
    path.ancestors()
        .skip(1)
        .filter(|a| !a.as_os_str().is_empty())
        .find(|a| fs::symlink_metadata(a).is_ok())
        .filter(|a| !a.is_dir())
        .map(Path::to_path_buf)
}

/// Creates `path` with `text`, and the folders above it that are missing
/// (added to `made`, outermost first).
fn create(path: &Path, text: &str, made: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        let missing: Vec<PathBuf> = parent
            .ancestors()
            .filter(|a| !a.as_os_str().is_empty() && fs::symlink_metadata(a).is_err())
            .map(Path::to_path_buf)
            .collect();
        fs::create_dir_all(parent)?;
        made.extend(missing.into_iter().rev());
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

    #[test]
    fn a_file_where_a_folder_goes_is_named_and_no_folder_is_made() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("compare")).unwrap();
        let blocker = dir.path().join("compare/set_b");
        fs::write(&blocker, "mine").unwrap();
        let files = [
            (dir.path().join("compare/set_a/x.toml"), "a"),
            (dir.path().join("compare/set_b/y.toml"), "b"),
        ];
        let e = write_new(&files).unwrap_err();
        assert!(e.0.contains("set_b is a file, where a folder"), "{e}");
        assert!(!dir.path().join("compare/set_a").exists());
        // A failure after folders were made removes them again.
        let dir = tempfile::tempdir().unwrap();
        let files = [
            (dir.path().join("new/sub/x.toml"), "a"),
            (dir.path().join("new/sub/x.toml"), "twice"),
        ];
        assert!(write_new(&files).is_err());
        assert!(!dir.path().join("new").exists());
    }
}
