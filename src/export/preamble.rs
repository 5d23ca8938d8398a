//! The comment lines every CSV file starts with: the tool and version, the
//! command, the seed, each scenario file with its SHA-256, the trials and
//! the months, e.g.
//!
//! ```text
//! # inmail-sim 0.1.0 run
//! # seed: 42
//! # scenario: scenarios/reference.toml sha256 9f86d08…
//! # trials: 100000, months: 12
//! ```
//!
//! Only reproducible facts go here: the same files, options and seed give
//! the same lines whatever `--threads` is, so the CSVs stay byte-identical.
//! Threads and wall time live in metadata.csv and metadata.json only.
//! [`csv_writer`] is the one way a CSV is started, so no file can miss them.

use crate::compare::{CompareSet, label};
use crate::scenario::Scenario;
use std::io::{self, Write};

/// A scenario file as read: its path as given and the hex SHA-256 of its
/// bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioFile {
    pub file: String,
    pub sha256: String,
}

/// The facts the comment lines state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preamble {
    /// `run`, `compare`, `sweep` or `sensitivity`.
    pub command: &'static str,
    pub seed: u64,
    /// One file (`# scenario: …`) or several, labelled A, B, … like the options.
    pub files: Vec<ScenarioFile>,
    /// The trials the statistics are over (with `--keep-partial`, those completed).
    pub trials: u64,
    pub months: u32,
    /// Stopped by Ctrl-C with `--keep-partial`.
    pub partial: bool,
    /// Further `# key: value` lines, before the trials (a sweep's parameters).
    pub extra: Vec<(&'static str, String)>,
}

impl Preamble {
    pub fn new(command: &'static str, seed: u64, trials: u64, months: u32) -> Preamble {
        Preamble {
            command,
            seed,
            files: Vec::new(),
            trials,
            months,
            partial: false,
            extra: Vec::new(),
        }
    }

    /// A command on one scenario (`run`, `sensitivity`).
    pub fn single(
        command: &'static str,
        scenario: &Scenario,
        file: ScenarioFile,
        trials: u64,
    ) -> Preamble {
        let mut p = Preamble::new(command, scenario.seed, trials, scenario.months);
        p.files.push(file);
        p
    }

    /// A command on a compare set (`compare`, `sweep`): its files in option
    /// order, its seed and the first option's months (they agree).
    pub fn of_set(command: &'static str, set: &CompareSet, trials: u64) -> Preamble {
        let months = set.scenarios.first().map_or(0, |s| s.months);
        let mut p = Preamble::new(command, set.seed, trials, months);
        p.files = set
            .sources
            .iter()
            .map(|s| ScenarioFile {
                file: s.path.display().to_string(),
                sha256: s.sha256.clone(),
            })
            .collect();
        p
    }

    /// The comment lines, each starting with `# `, without line ends.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = vec![
            format!(
                "# {} {} {}",
                env!("CARGO_PKG_NAME"),
                env!("CARGO_PKG_VERSION"),
                self.command
            ),
            format!("# seed: {}", self.seed),
        ];
        let several = self.files.len() > 1;
        for (i, f) in self.files.iter().enumerate() {
            let name = if several {
                format!("scenario {}", label(i))
            } else {
                "scenario".to_string()
            };
            lines.push(format!(
                "# {name}: {} sha256 {}",
                one_line(&f.file),
                f.sha256
            ));
        }
        for (key, value) in &self.extra {
            lines.push(format!("# {key}: {}", one_line(value)));
        }
        lines.push(format!(
            "# trials: {}, months: {}",
            self.trials, self.months
        ));
        if self.partial {
            lines.push(PARTIAL_LINE.to_string());
        }
        lines
    }

    /// Writes the lines, each ended by `\n` (as the csv crate ends rows).
    pub fn write(&self, out: &mut dyn Write) -> io::Result<()> {
        for line in self.lines() {
            writeln!(out, "{line}")?;
        }
        Ok(())
    }
}

/// The line a `--keep-partial` run adds after the trials.
pub const PARTIAL_LINE: &str =
    "# partial: stopped by Ctrl-C (--keep-partial); trials is the number completed";

/// `text` on one line: control characters (a newline in a file name, say)
/// are escaped, so they cannot end the comment and start a data row. A
/// spreadsheet also splits a comment line at its commas: a `'` is put after
/// a comma that would start a cell with `=`, `+`, `-` or `@` (even behind
/// spaces or a `"`), so no part of a file name becomes a formula
/// (`safe_text::for_spreadsheet` does the same for whole cells).
fn one_line(text: &str) -> String {
    let mut line = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        if c.is_control() {
            line.extend(c.escape_default());
            continue;
        }
        line.push(c);
        // A comma is one byte, so `i + 1` is the next character's start.
        if c == ','
            && text[i + 1..]
                .trim_start_matches([' ', '"'])
                .starts_with(['=', '+', '-', '@'])
        {
            line.push('\'');
        }
    }
    line
}

/// Starts a CSV: writes the preamble's lines, then hands back the writer
/// for the header and the rows. Every CSV the tool writes begins here.
pub fn csv_writer<'a>(
    out: &'a mut dyn Write,
    preamble: &Preamble,
) -> io::Result<csv::Writer<&'a mut dyn Write>> {
    preamble.write(out)?;
    Ok(csv::Writer::from_writer(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str) -> ScenarioFile {
        ScenarioFile {
            file: name.to_string(),
            sha256: "ab12".to_string(),
        }
    }

    #[test]
    fn one_scenario_gives_four_lines_with_the_version_seed_file_and_trials() {
        let mut p = Preamble::new("run", 42, 5000, 12);
        p.files.push(file("s.toml"));
        let version = env!("CARGO_PKG_VERSION");
        assert_eq!(
            p.lines(),
            [
                format!("# inmail-sim {version} run"),
                "# seed: 42".to_string(),
                "# scenario: s.toml sha256 ab12".to_string(),
                "# trials: 5000, months: 12".to_string(),
            ]
        );
    }

    #[test]
    fn several_scenarios_are_labelled_like_the_options_and_partial_is_said() {
        let mut p = Preamble::new("compare", 1, 10, 3);
        p.files = vec![file("a.toml"), file("b.toml")];
        p.extra.push(("param", "months=1..3".to_string()));
        p.partial = true;
        let lines = p.lines();
        assert_eq!(lines[2], "# scenario A: a.toml sha256 ab12");
        assert_eq!(lines[3], "# scenario B: b.toml sha256 ab12");
        assert_eq!(lines[4], "# param: months=1..3");
        assert_eq!(lines.last().map(String::as_str), Some(PARTIAL_LINE));
    }

    #[test]
    fn a_newline_in_a_file_name_cannot_start_a_data_row() {
        let mut p = Preamble::new("run", 1, 1, 1);
        p.files.push(file("evil\nname,1,2.toml"));
        let mut bytes = Vec::new();
        p.write(&mut bytes).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.lines().all(|l| l.starts_with("# ")), "{text}");
        assert!(text.contains("evil\\nname"), "{text}");
    }

    #[test]
    fn a_comma_in_a_file_name_cannot_start_a_formula_cell() {
        let mut p = Preamble::new("sweep", 1, 1, 1);
        p.files.push(file("naïve,=1+1, \"@SUM(A1)\",ok,-2.toml"));
        p.extra.push(("param", "a,+b".to_string()));
        let lines = p.lines();
        assert_eq!(
            lines[2],
            "# scenario: naïve,'=1+1,' \"@SUM(A1)\",ok,'-2.toml sha256 ab12"
        );
        assert_eq!(lines[3], "# param: a,'+b");
        // As a spreadsheet reads the lines: no cell starts a formula.
        let text = lines.join("\n");
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        for record in r.records() {
            for cell in record.unwrap().iter() {
                let cell = cell.trim_start();
                assert!(!cell.starts_with(['=', '+', '-', '@']), "{cell:?}");
            }
        }
    }

    #[test]
    fn a_csv_reader_that_skips_comments_sees_only_the_header_and_rows() {
        let mut p = Preamble::new("run", 1, 1, 1);
        p.files.push(file("s.toml"));
        let mut bytes = Vec::new();
        {
            let mut w = csv_writer(&mut bytes, &p).unwrap();
            w.write_record(["a", "b"]).unwrap();
            w.write_record(["1", "2"]).unwrap();
            w.flush().unwrap();
        }
        assert!(bytes.starts_with(b"# inmail-sim "));
        let mut r = csv::ReaderBuilder::new()
            .comment(Some(b'#'))
            .from_reader(bytes.as_slice());
        assert_eq!(r.headers().unwrap(), vec!["a", "b"]);
        let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        assert_eq!(rows, [csv::StringRecord::from(vec!["1", "2"])]);
        // Control: without `comment`, the first comment line is the header.
        let mut plain = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(bytes.as_slice());
        assert_ne!(plain.headers().unwrap(), vec!["a", "b"]);
    }
}
