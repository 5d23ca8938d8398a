//! Errors in scenario files: which file, which key, the bad value and what is
//! allowed. They are the user's to fix, so the CLI exits with code 2.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug)]
pub struct ScenarioError {
    pub file: PathBuf,
    pub problem: Problem,
}

#[derive(Debug)]
pub enum Problem {
    /// The file could not be read.
    Read(std::io::Error),
    /// TOML syntax or shape (unknown key, wrong type); the text carries the
    /// line and column from the toml crate.
    Syntax(String),
    /// A key whose value is out of range or contradicts another key.
    Invalid(Invalid),
}

/// A bad value: `key = value` and what would be allowed instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub key: String,
    pub value: String,
    pub allowed: String,
}

impl Invalid {
    pub fn new(key: &str, value: impl fmt::Display, allowed: impl Into<String>) -> Invalid {
        Invalid {
            key: key.to_string(),
            value: value.to_string(),
            allowed: allowed.into(),
        }
    }

    pub fn in_file(self, file: &Path) -> ScenarioError {
        ScenarioError {
            file: file.to_path_buf(),
            problem: Problem::Invalid(self),
        }
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} = {}: {}", self.key, self.value, self.allowed)
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = self.file.display();
        match &self.problem {
            Problem::Read(e) => write!(f, "{file}: cannot read the scenario file: {e}"),
            Problem::Syntax(msg) => write!(f, "{file}: {}", msg.trim_end()),
            Problem::Invalid(inv) => write!(f, "{file}: {inv}"),
        }
    }
}

impl std::error::Error for ScenarioError {}
