//! Helpers shared by the invariant, statistical and determinism tests.

#![allow(dead_code)] // Each test binary uses its own subset.

use inmail_sim::engine::Model;
use inmail_sim::scenario::{Overrides, Scenario, parse};
use std::fs;
use std::path::{Path, PathBuf};

/// Parses scenario text; a test scenario that does not validate is a bug in
/// the test or in validation, so the error is shown with the text.
pub fn scenario(text: &str) -> Scenario {
    parse(text, Path::new("test.toml"), &Overrides::default())
        .unwrap_or_else(|e| panic!("the test scenario is invalid: {e}\n---\n{text}"))
}

pub fn model(text: &str) -> Model {
    Model::new(scenario(text))
}

/// The binary under test.
pub fn inmail_sim() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("inmail-sim").expect("the inmail-sim binary is built")
}

/// Runs `inmail-sim SUBCOMMAND FILES... --out OUT EXTRA...`, requires it to
/// succeed (showing stderr if not) and returns its stdout.
pub fn succeed<P: AsRef<Path>>(
    subcommand: &str,
    files: &[P],
    out: &Path,
    extra: &[&str],
) -> String {
    let output = inmail_sim()
        .arg(subcommand)
        .args(files.iter().map(AsRef::as_ref))
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .expect("inmail-sim starts");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("stdout is UTF-8")
}

/// A plain CSV reader, no comment handling: every CSV the tool writes has
/// its header on line 1 (issue 21).
pub fn csv_reader(path: &Path) -> csv::Reader<std::fs::File> {
    csv::ReaderBuilder::new()
        .from_path(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The text of a CSV file: the header and the rows.
pub fn csv_body(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The rows of a CSV file with a header, each as column → value.
pub fn rows(path: &Path) -> Vec<std::collections::HashMap<String, String>> {
    let mut reader = csv_reader(path);
    let header = reader.headers().expect("a header row").clone();
    reader
        .records()
        .map(|record| {
            let record = record.expect("a well-formed row");
            header
                .iter()
                .map(String::from)
                .zip(record.iter().map(String::from))
                .collect()
        })
        .collect()
}

/// A numeric column of a row from [`rows`].
pub fn num(row: &std::collections::HashMap<String, String>, key: &str) -> f64 {
    row[key]
        .parse()
        .unwrap_or_else(|_| panic!("{key} in {row:?}"))
}

/// Runs `inmail-sim SUBCOMMAND FILES... --out DIR EXTRA...` that must be
/// refused: exit code 2, nothing on stdout, every fragment on stderr, and
/// no output folder.
pub fn assert_refused<P: AsRef<Path>>(
    subcommand: &str,
    files: &[P],
    extra: &[&str],
    fragments: &[&str],
) {
    let tmp = tempfile::TempDir::new().expect("a temporary folder");
    let dir = tmp.path().join("out");
    let mut assert = inmail_sim()
        .arg(subcommand)
        .args(files.iter().map(AsRef::as_ref))
        .arg("--out")
        .arg(&dir)
        .args(extra)
        .assert()
        .code(2)
        .stdout("");
    for fragment in fragments {
        assert = assert.stderr(predicates::str::contains(*fragment));
    }
    assert!(!dir.exists(), "nothing is written");
}

/// A path in the repository.
pub fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// The `.toml` files directly in `dir`, sorted.
pub fn toml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    files.sort();
    files
}

/// Every name in `dir` (hidden ones too), sorted.
pub fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A scenario of tests/fixtures/good/.
pub fn good(name: &str) -> PathBuf {
    repo(&format!("tests/fixtures/good/{name}.toml"))
}
