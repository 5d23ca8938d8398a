//! Errors in scenario files: which file, which key, the bad value and what is
//! allowed. They are the user's to fix, so the CLI exits with code 2.

use crate::safe_text::for_terminal;
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
    /// Not a regular file (a folder, FIFO, device, …): what it is.
    NotAFile(&'static str),
    /// Larger than `limit` bytes, the most a scenario file may be.
    TooLarge { limit: u64 },
    /// Not UTF-8 text.
    NotUtf8 {
        /// It looks like UTF-16: a byte order mark, or NUL bytes.
        utf16: bool,
    },
    /// Ctrl-C while the file was read.
    Interrupted,
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

/// Most characters of a user's key or value an error message shows: a
/// 10 MB value must not be echoed whole.
pub const MAX_SHOWN_CHARS: usize = 80;

/// Most characters of one line of a TOML syntax message (the toml crate
/// quotes the offending source line, which may be megabytes long).
pub const MAX_SYNTAX_LINE_CHARS: usize = 300;

/// Most lines of a TOML syntax message.
const MAX_SYNTAX_LINES: usize = 20;

/// `text` cut to at most `max` characters, with `…` marking the cut.
pub fn truncated(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some((cut, _)) => format!("{}…", &text[..cut]),
    }
}

/// A syntax message with every line and the number of lines bounded.
fn bounded_syntax(msg: &str) -> String {
    let mut lines: Vec<String> = msg
        .trim_end()
        .lines()
        .take(MAX_SYNTAX_LINES)
        .map(|l| truncated(&plain_serde(l), MAX_SYNTAX_LINE_CHARS))
        .collect();
    if msg.trim_end().lines().nth(MAX_SYNTAX_LINES).is_some() {
        lines.push("…".to_string());
    }
    lines.join("\n")
}

/// The TOML reader's own line for a value of the wrong type ("invalid
/// type: string "3", expected f64") in the words the rest of the errors
/// use, with a long number cut (`1e300` is echoed as 301 digits). The
/// quoted source line above it, with its caret, is left as it is.
fn plain_serde(line: &str) -> String {
    if !(line.starts_with("invalid type: ") || line.starts_with("invalid value: ")) {
        return line.to_string();
    }
    // The reader's own words for TOML's shapes and its integer type.
    let mut out = line
        .replace("invalid type: sequence,", "invalid type: a list [ ],")
        .replace("invalid type: map,", "invalid type: a table { },")
        .replace("` as i128,", "` (too large),");
    for (rust, words) in [
        ("expected f64", "expected a number"),
        (
            "expected u64",
            "expected a whole number from 0 to 18446744073709551615",
        ),
        (
            "expected u32",
            "expected a whole number from 0 to 4294967295",
        ),
        ("expected u16", "expected a whole number from 0 to 65535"),
        ("expected u8", "expected a whole number from 0 to 255"),
        ("expected i64", "expected a whole number"),
        ("expected i32", "expected a whole number"),
    ] {
        if let Some(head) = out.strip_suffix(rust) {
            out = format!("{head}{words}");
            break;
        }
    }
    // A backquoted value longer than 24 characters: its first 16 and `…`.
    if let Some(open) = out.find('`') {
        if let Some(len) = out[open + 1..].find('`') {
            let value = &out[open + 1..open + 1 + len];
            if value.chars().count() > 24 {
                let short = format!("{}…", value.chars().take(16).collect::<String>());
                out = format!("{}`{short}`{}", &out[..open], &out[open + 2 + len..]);
            }
        }
    }
    out
}

impl Invalid {
    /// The key and the value are cut to [`MAX_SHOWN_CHARS`] characters.
    pub fn new(key: &str, value: impl fmt::Display, allowed: impl Into<String>) -> Invalid {
        Invalid {
            key: truncated(key, MAX_SHOWN_CHARS),
            value: truncated(&value.to_string(), MAX_SHOWN_CHARS),
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
        // The file name and the TOML parser's quote of the bad line are the
        // user's text, printed to a terminal: escape sequences are shown.
        let file = self.file.display().to_string();
        let file = for_terminal(&file);
        match &self.problem {
            Problem::Read(e) => write!(f, "{file}: cannot read the scenario file: {e}"),
            Problem::NotAFile(kind) => write!(
                f,
                "{file}: cannot read a scenario from {kind}: a scenario must be a regular TOML \
                 file"
            ),
            Problem::TooLarge { limit } => write!(
                f,
                "{file}: the scenario file is larger than {} MiB, the most a scenario file may \
                 be; a scenario is a short TOML file",
                limit >> 20
            ),
            Problem::NotUtf8 { utf16: false } => {
                write!(f, "{file}: the scenario file is not UTF-8 text")
            }
            Problem::NotUtf8 { utf16: true } => write!(
                f,
                "{file}: the scenario file is not UTF-8 text: it looks like UTF-16 (NUL bytes or \
                 a UTF-16 byte order mark); save it as UTF-8"
            ),
            Problem::Interrupted => write!(f, "{file}: interrupted while reading"),
            Problem::Syntax(msg) => {
                let lines: Vec<_> = bounded_syntax(msg)
                    .lines()
                    .map(|l| for_terminal(l).into_owned())
                    .collect();
                write!(f, "{file}: {}", lines.join("\n"))
            }
            Problem::Invalid(inv) => write!(f, "{file}: {}", for_terminal(&inv.to_string())),
        }
    }
}

impl std::error::Error for ScenarioError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readers_type_errors_are_said_in_plain_words_and_long_numbers_are_cut() {
        assert_eq!(
            plain_serde("invalid type: string \"3\", expected f64"),
            "invalid type: string \"3\", expected a number"
        );
        assert_eq!(
            plain_serde("invalid value: integer `4294967296`, expected u32"),
            "invalid value: integer `4294967296`, expected a whole number from 0 to 4294967295"
        );
        let huge = format!(
            "invalid type: floating point `1{}`, expected u32",
            "0".repeat(300)
        );
        assert_eq!(
            plain_serde(&huge),
            "invalid type: floating point `1000000000000000…`, expected a whole number from 0 to \
             4294967295"
        );
        assert_eq!(
            plain_serde("invalid type: sequence, expected f64"),
            "invalid type: a list [ ], expected a number"
        );
        assert_eq!(
            plain_serde("invalid type: map, expected f64"),
            "invalid type: a table { }, expected a number"
        );
        assert_eq!(
            plain_serde("invalid type: integer `99999999999999999999999` as i128, expected u64"),
            "invalid type: integer `99999999999999999999999` (too large), expected a whole \
             number from 0 to 18446744073709551615"
        );
        // The quoted source line is the user's text, left alone.
        assert_eq!(plain_serde("3 | cap = 1e300"), "3 | cap = 1e300");
    }

    #[test]
    fn long_values_are_cut_with_an_ellipsis_at_a_character_boundary() {
        assert_eq!(truncated("short", 80), "short");
        assert_eq!(
            truncated(&"é".repeat(81), 80),
            format!("{}…", "é".repeat(80))
        );
        let inv = Invalid::new(&"k".repeat(200), "v".repeat(10_000_000), "allowed");
        assert_eq!(inv.key.chars().count(), MAX_SHOWN_CHARS + 1);
        assert_eq!(inv.value.chars().count(), MAX_SHOWN_CHARS + 1);
    }

    #[test]
    fn syntax_messages_are_bounded_in_line_length_and_count() {
        let msg = format!("line one\n{}\n", "x".repeat(1_000_000));
        let shown = bounded_syntax(&msg);
        assert!(shown.len() < 400, "{} bytes", shown.len());
        assert!(shown.starts_with("line one\nxxx"), "{shown:.40}");
        let many = "a\n".repeat(1000);
        assert_eq!(bounded_syntax(&many).lines().count(), MAX_SYNTAX_LINES + 1);
    }
}
