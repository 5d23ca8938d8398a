//! The output folder, written all-or-nothing.
//!
//! Files are written to hidden temporary names in the target folder and
//! renamed into place only once every one is complete (a rename within a
//! folder is atomic). If anything fails, or the value is dropped before
//! [`OutputDir::commit`], the temporary files are deleted, and so are the
//! folders this run created, so an error leaves nothing behind.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

#[derive(Debug)]
pub struct OutputDir {
    dir: PathBuf,
    /// Folders this run created, deepest last.
    created: Vec<PathBuf>,
    /// (temporary, final) paths written so far.
    staged: Vec<(PathBuf, PathBuf)>,
    committed: bool,
}

impl OutputDir {
    /// Creates `dir` if needed and checks a file can be written in it, so an
    /// unwritable folder is reported before any simulation time is spent.
    pub fn prepare(dir: &Path) -> io::Result<OutputDir> {
        let mut out = OutputDir {
            dir: dir.to_path_buf(),
            created: Vec::new(),
            staged: Vec::new(),
            committed: false,
        };
        out.create_missing()?;
        let probe = out.temp_path("write-check");
        fs::write(&probe, b"")?;
        fs::remove_file(&probe)?;
        Ok(out)
    }

    fn create_missing(&mut self) -> io::Result<()> {
        let mut missing: Vec<PathBuf> = self
            .dir
            .ancestors()
            .take_while(|p| !p.as_os_str().is_empty() && !p.exists())
            .map(Path::to_path_buf)
            .collect();
        missing.reverse();
        for d in missing {
            fs::create_dir(&d)?;
            self.created.push(d);
        }
        if !self.dir.is_dir() {
            return Err(io::Error::other(format!(
                "{} is not a folder",
                self.dir.display()
            )));
        }
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.dir
    }

    fn temp_path(&self, name: &str) -> PathBuf {
        self.dir.join(format!(".{name}.{}.tmp", std::process::id()))
    }

    /// Writes `name` to a temporary file through `fill`.
    pub fn stage(
        &mut self,
        name: &str,
        fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<()> {
        let temp = self.temp_path(name);
        self.staged.push((temp.clone(), self.dir.join(name)));
        let mut w = BufWriter::new(fs::File::create(&temp)?);
        fill(&mut w)?;
        w.into_inner().map_err(|e| e.into_error())?.sync_all()
    }

    /// Renames every staged file into place.
    pub fn commit(mut self) -> io::Result<Vec<PathBuf>> {
        let mut finals = Vec::new();
        for (temp, target) in &self.staged {
            fs::rename(temp, target)?;
            finals.push(target.clone());
        }
        self.committed = true;
        Ok(finals)
    }
}

impl Drop for OutputDir {
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        for (temp, _) in &self.staged {
            let _ = fs::remove_file(temp);
        }
        for d in self.created.iter().rev() {
            let _ = fs::remove_dir(d); // only succeeds while empty
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn committed_files_appear_under_their_names_only() {
        let root = tempfile::tempdir().unwrap();
        let mut out = OutputDir::prepare(root.path()).unwrap();
        out.stage("a.csv", |w| w.write_all(b"a\n")).unwrap();
        out.stage("b.csv", |w| w.write_all(b"b\n")).unwrap();
        out.commit().unwrap();
        let mut names: Vec<String> = fs::read_dir(root.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, vec!["a.csv", "b.csv"]);
    }

    #[test]
    fn a_path_under_a_file_is_an_error() {
        let root = tempfile::tempdir().unwrap();
        let file = root.path().join("plain");
        fs::write(&file, b"").unwrap();
        assert!(OutputDir::prepare(&file.join("sub")).is_err());
        assert!(OutputDir::prepare(&file).is_err());
    }
}
