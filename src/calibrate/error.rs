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
    #[error(
        "the file is {what}, not CSV text; allowed: a comma-separated CSV file in UTF-8 \
         (in a spreadsheet: Save As or Download, \"CSV UTF-8\")"
    )]
    NotCsvText { what: &'static str },
    #[error("the file has a header but no rows: give one row per InMail sent")]
    NoRows,
    #[error("row {row}: {message}")]
    Csv { row: u64, message: String },
    /// A quote opened and never closed: the reader took the rest of the
    /// file as one cell, and would otherwise say only that the row is
    /// short of cells ("1 cell where the header has 5"), or nothing at
    /// all where the cell is one calibrate does not read.
    #[error(
        "row {quote_row}: a quote (\") opened in this row is never closed, so the rest of the \
         file (rows {quote_row} to {last_row}) was read as one cell; allowed: a quoted cell \
         closed by a quote, e.g. \"Smith, Jane\" (a quote within it written twice, \"\")",
        quote_row = row + opened,
        last_row = row + last
    )]
    UnclosedQuote {
        /// The row where the record with the quote starts.
        row: u64,
        /// Rows after it to the quote, and to the file's last row.
        opened: u64,
        last: u64,
    },
    #[error("the column mapping {text_q}: {why}", text_q = crate::safe_text::quoted(text))]
    BadMapping { text: String, why: String },
    #[error("no column named {name_q} for the {role}; the header has: {found}{hint}", name_q = crate::safe_text::quoted(name))]
    MissingColumn {
        role: &'static str,
        name: String,
        found: String,
        hint: &'static str,
    },
    #[error(
        "the header names {name_q} in columns {first} and {second}, so the {role} is \
         ambiguous; allowed: each column named once (rename one, or map the {role} to \
         another name with --columns)", name_q = crate::safe_text::quoted(name))]
    DuplicateColumn {
        role: &'static str,
        name: String,
        first: usize,
        second: usize,
    },
    #[error(
        "the {first} and the {second} would both read column {name_q}; allowed: a \
         column of its own for each role (check the mapping given with --columns)", name_q = crate::safe_text::quoted(name))]
    SharedColumn {
        first: &'static str,
        second: &'static str,
        name: String,
    },
    #[error("row {row}, column {column_q}: {value_q} is not a date; allowed: {allowed}", column_q = crate::safe_text::quoted(column), value_q = crate::safe_text::quoted_cell(value))]
    BadDate {
        row: u64,
        column: String,
        value: String,
        allowed: &'static str,
    },
    #[error(
        "row {row}, column {column_q}: {value_q} reads as two different dates (MM/DD/YYYY \
         and DD/MM/YYYY), and no date in the file has a day above 12 to settle which; \
         name the date format (--date-format mm/dd/yyyy or dd/mm/yyyy)", column_q = crate::safe_text::quoted(column), value_q = crate::safe_text::quoted_cell(value))]
    AmbiguousDates {
        row: u64,
        column: String,
        value: String,
    },
    #[error(
        "the file mixes date orders: row {}, column {} has {}, which is no MM/DD/YYYY \
         date, and row {}, column {} has {}, which is no DD/MM/YYYY date; allowed: one \
         order for the whole file",
        not_month_first.row,
        crate::safe_text::quoted(&not_month_first.column),
        crate::safe_text::quoted_cell(&not_month_first.value),
        not_day_first.row,
        crate::safe_text::quoted(&not_day_first.column),
        crate::safe_text::quoted_cell(&not_day_first.value)
    )]
    MixedDates {
        not_month_first: Box<Cell>,
        not_day_first: Box<Cell>,
    },
    #[error(
        "row {row}: the response date {replied_s} (column {replied_column_q}) is before the \
         sent date {sent_s} (column {sent_column_q}); allowed: a response on or after its send", replied_s = crate::safe_text::cell(replied), sent_s = crate::safe_text::cell(sent), replied_column_q = crate::safe_text::quoted(replied_column), sent_column_q = crate::safe_text::quoted(sent_column))]
    ReplyBeforeSend {
        row: u64,
        sent_column: String,
        sent: String,
        replied_column: String,
        replied: String,
    },
    #[error(
        "row {row}, column {column_q}: {value_s} is after the as-of date {as_of}; allowed: \
         dates up to the as-of date (give a later as-of date, or leave it out to use the \
         latest date in the file)", column_q = crate::safe_text::quoted(column), value_s = crate::safe_text::cell(value))]
    AfterAsOf {
        row: u64,
        column: String,
        value: String,
        as_of: String,
    },
    #[error(
        "row {row}, column {column_q}: the id {id_q} was already used on row {first_row}; \
         allowed: each InMail once, with its own id", column_q = crate::safe_text::quoted(column), id_q = crate::safe_text::quoted_cell(id))]
    DuplicateId {
        row: u64,
        column: String,
        id: String,
        first_row: u64,
    },
    #[error(
        "row {row}, column {column_q}: {value_q} is not an outcome; allowed: \"accepted\", \
         \"declined\" or empty (not known)", column_q = crate::safe_text::quoted(column), value_q = crate::safe_text::quoted_cell(value))]
    BadOutcome {
        row: u64,
        column: String,
        value: String,
    },
    #[error(
        "row {row}, column {column_q}: the outcome {value_q} needs a response date in \
         column {replied_column_q}; allowed: an empty outcome for an InMail not answered", column_q = crate::safe_text::quoted(column), value_q = crate::safe_text::quoted_cell(value), replied_column_q = crate::safe_text::quoted(replied_column))]
    OutcomeWithoutReply {
        row: u64,
        column: String,
        value: String,
        replied_column: String,
    },
    #[error(
        "no InMail old enough: all {} were sent on the as-of date {as_of} and none \
         was answered, so none has had a day to be answered; allowed: at least one InMail \
         sent before the as-of date",
        crate::numbers::grouped(*count as u64)
    )]
    NoneOldEnough { count: usize, as_of: String },
    #[error(
        "row {row}, column {column_q}: {value_s} is before LinkedIn's launch on 5 May 2003, \
         so no InMail was sent or answered then (an export's placeholder for no date, such \
         as 0001-01-01 or 1900-01-01, or a mistyped year?); allowed: dates from 2003-05-05 \
         on, and an empty response date for an InMail not answered",
        column_q = crate::safe_text::quoted(column), value_s = crate::safe_text::cell(value))]
    BeforeLinkedIn {
        row: u64,
        column: String,
        value: String,
    },
    #[error(
        "row {row}, column {column_q}: {value_s} is after today, {today}: a history holds no \
         date to come (a mistyped year?), and the as-of date would be taken from it; \
         allowed: dates up to today (or give --as-of DATE, the day the history was taken)",
        column_q = crate::safe_text::quoted(column), value_s = crate::safe_text::cell(value))]
    AfterToday {
        row: u64,
        column: String,
        value: String,
        today: String,
    },
    #[error(
        "row {row}, column {column_q}: {value_s} is {gap} days after every other date in the \
         file (the next latest is {next}, on row {next_row}), and the as-of date would be \
         taken from it, making every InMail that much older (a mistyped year?); allowed: \
         a latest date within {limit} days of the others (or give --as-of DATE if the \
         history was taken that late)",
        column_q = crate::safe_text::quoted(column),
        value_s = crate::safe_text::cell(value),
        gap = crate::numbers::grouped(*gap),
        limit = super::history::LATEST_GAP_DAYS)]
    LatestFarBeyond {
        row: u64,
        column: String,
        value: String,
        gap: u64,
        next: String,
        next_row: u64,
    },
    /// Ctrl-C while the file was read: the command stops (exit code 130).
    #[error("interrupted while reading")]
    Interrupted,
}

impl HistoryProblem {
    /// The problem with every row number passed through `line`: the csv
    /// reader's line of a record is one low after a CRLF line end and
    /// after each blank line before it (it is taken before the previous
    /// record's pending LF and the skipped blank lines are read), so the
    /// rows are mapped to the file's own line numbers when reported
    /// (`rows::Source::file_line`).
    pub fn with_rows(mut self, line: impl Fn(u64) -> u64) -> HistoryProblem {
        use HistoryProblem::*;
        match &mut self {
            Csv { row, .. }
            | UnclosedQuote { row, .. }
            | BadDate { row, .. }
            | AmbiguousDates { row, .. }
            | ReplyBeforeSend { row, .. }
            | AfterAsOf { row, .. }
            | BadOutcome { row, .. }
            | OutcomeWithoutReply { row, .. }
            | AfterToday { row, .. }
            | BeforeLinkedIn { row, .. } => *row = line(*row),
            DuplicateId { row, first_row, .. } => {
                (*row, *first_row) = (line(*row), line(*first_row));
            }
            LatestFarBeyond { row, next_row, .. } => {
                (*row, *next_row) = (line(*row), line(*next_row));
            }
            MixedDates {
                not_month_first,
                not_day_first,
            } => {
                not_month_first.row = line(not_month_first.row);
                not_day_first.row = line(not_day_first.row);
            }
            _ => {}
        }
        self
    }
}
