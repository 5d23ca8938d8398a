//! What can be wrong with a history file. Every problem names the row
//! (the file's line number, the header being row 1, as a spreadsheet
//! numbers it) and the column, shows the bad value, and says what is
//! allowed (issue 20, "Bad input").

use std::fmt;
use std::path::PathBuf;

use super::dates::Cell;

/// A history file that cannot be calibrated on, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryError {
    pub file: PathBuf,
    /// Boxed: the problems carry several strings, and a `Result` should
    /// stay small.
    pub problem: Box<HistoryProblem>,
}

impl fmt::Display for HistoryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file.display(), self.problem)
    }
}

impl std::error::Error for HistoryError {}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum HistoryProblem {
    #[error("cannot read the file: {0}")]
    Io(String),
    #[error(
        "the file is empty: it needs a header row naming its columns (at least {expected}) \
         and then one row per InMail sent"
    )]
    Empty { expected: String },
    #[error("the file has a header but no rows: give one row per InMail sent")]
    NoRows,
    #[error("row {row}: {message}")]
    Csv { row: u64, message: String },
    #[error("the column mapping {text:?}: {why}")]
    BadMapping { text: String, why: String },
    #[error("no column named {name:?} for the {role}; the header has: {found}{hint}")]
    MissingColumn {
        role: &'static str,
        name: String,
        found: String,
        hint: &'static str,
    },
    #[error(
        "the header names {name:?} in columns {first} and {second}, so the {role} is \
         ambiguous; allowed: each column named once (rename one, or map the {role} to \
         another name with --columns)"
    )]
    DuplicateColumn {
        role: &'static str,
        name: String,
        first: usize,
        second: usize,
    },
    #[error(
        "the {first} and the {second} would both read column {name:?}; allowed: a \
         column of its own for each role (check the mapping given with --columns)"
    )]
    SharedColumn {
        first: &'static str,
        second: &'static str,
        name: String,
    },
    #[error("row {row}, column {column:?}: {value:?} is not a date; allowed: {allowed}")]
    BadDate {
        row: u64,
        column: String,
        value: String,
        allowed: &'static str,
    },
    #[error(
        "row {row}, column {column:?}: {value:?} reads as two different dates (MM/DD/YYYY \
         and DD/MM/YYYY), and no date in the file has a day above 12 to settle which; \
         name the date format (--date-format mm/dd/yyyy or dd/mm/yyyy)"
    )]
    AmbiguousDates {
        row: u64,
        column: String,
        value: String,
    },
    #[error(
        "the file mixes date orders: row {}, column {:?} has {:?}, which is no MM/DD/YYYY \
         date, and row {}, column {:?} has {:?}, which is no DD/MM/YYYY date; allowed: one \
         order for the whole file",
        not_month_first.row, not_month_first.column, not_month_first.value,
        not_day_first.row, not_day_first.column, not_day_first.value
    )]
    MixedDates {
        not_month_first: Box<Cell>,
        not_day_first: Box<Cell>,
    },
    #[error(
        "row {row}: the response date {replied} (column {replied_column:?}) is before the \
         sent date {sent} (column {sent_column:?}); allowed: a response on or after its send"
    )]
    ReplyBeforeSend {
        row: u64,
        sent_column: String,
        sent: String,
        replied_column: String,
        replied: String,
    },
    #[error(
        "row {row}, column {column:?}: {value} is after the as-of date {as_of}; allowed: \
         dates up to the as-of date (give a later as-of date, or leave it out to use the \
         latest date in the file)"
    )]
    AfterAsOf {
        row: u64,
        column: String,
        value: String,
        as_of: String,
    },
    #[error(
        "row {row}, column {column:?}: the id {id:?} was already used on row {first_row}; \
         allowed: each InMail once, with its own id"
    )]
    DuplicateId {
        row: u64,
        column: String,
        id: String,
        first_row: u64,
    },
    #[error(
        "row {row}, column {column:?}: {value:?} is not an outcome; allowed: \"accepted\", \
         \"declined\" or empty (not known)"
    )]
    BadOutcome {
        row: u64,
        column: String,
        value: String,
    },
    #[error(
        "row {row}, column {column:?}: the outcome {value:?} needs a response date in \
         column {replied_column:?}; allowed: an empty outcome for an InMail not answered"
    )]
    OutcomeWithoutReply {
        row: u64,
        column: String,
        value: String,
        replied_column: String,
    },
    #[error(
        "no InMail old enough: all {count} were sent on the as-of date {as_of} and none \
         was answered, so none has had a day to be answered; allowed: at least one InMail \
         sent before the as-of date"
    )]
    NoneOldEnough { count: usize, as_of: String },
}
