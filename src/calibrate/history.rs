//! Reading a history of sent InMails (issue 20): one row per InMail with
//! the day it was sent, the day it was answered (empty if not yet), and
//! optionally its outcome, its id and the seat that sent it.
//!
//! Default column names (matched without regard to case or surrounding
//! spaces): `sent`, `replied`, `outcome`, `id`, `seat`. `sent` and
//! `replied` are required; the others are used when present. A
//! [`Columns`] mapping (`sent=Date Sent,replied=Reply Date`) names the
//! columns of other exports; a column named in a mapping is required.
//!
//! The result is what the fit needs: for every InMail its age on the
//! as-of date and, if answered, its delay, in whole days (credit-rules
//! §4c: a response arrives `ceil(delay)` days after sending, at least 1; a
//! response on the day of sending is counted as 1 day).

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, Read};
use std::path::Path;

use super::dates::{self, Cell, DateFormat, RawDate, SlashOrders};
use super::error::{HistoryError, HistoryProblem};
use crate::calendar::Date;
use rows::{Hashing, Row, Source, without_bom};

mod rows;

/// Largest history file read: ~4 million rows of a typical export.
pub const MAX_HISTORY_BYTES: u64 = 256 * 1024 * 1024;

/// The column names of a history file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    pub sent: String,
    pub replied: String,
    /// `(name, required)`: required when the user named it.
    pub outcome: (String, bool),
    pub id: (String, bool),
    pub seat: (String, bool),
}

impl Default for Columns {
    fn default() -> Self {
        Columns {
            sent: "sent".into(),
            replied: "replied".into(),
            outcome: ("outcome".into(), false),
            id: ("id".into(), false),
            seat: ("seat".into(), false),
        }
    }
}

impl Columns {
    /// Reads a mapping `role=column,...` with roles `sent`, `replied`,
    /// `outcome`, `id`, `seat`; unnamed roles keep their defaults. Column
    /// names cannot contain `,` or `=`.
    pub fn parse(text: &str) -> Result<Columns, HistoryProblem> {
        let bad = |why: String| HistoryProblem::BadMapping {
            text: text.to_string(),
            why,
        };
        let mut columns = Columns::default();
        let mut seen = Vec::new();
        for pair in text.split(',').filter(|p| !p.trim().is_empty()) {
            let (role, name) = pair.split_once('=').ok_or_else(|| {
                bad(format!(
                    "{} is not role=column",
                    crate::safe_text::quoted(pair)
                ))
            })?;
            let (role, name) = (role.trim().to_ascii_lowercase(), name.trim().to_string());
            if name.is_empty() {
                return Err(bad(format!("no column name after \"{role}=\"")));
            }
            if seen.contains(&role) {
                return Err(bad(format!(
                    "the role {} is named twice",
                    crate::safe_text::quoted(&role)
                )));
            }
            match role.as_str() {
                "sent" => columns.sent = name,
                "replied" => columns.replied = name,
                "outcome" => columns.outcome = (name, true),
                "id" => columns.id = (name, true),
                "seat" => columns.seat = (name, true),
                _ => {
                    return Err(bad(format!(
                        "unknown role {}; allowed: sent, replied, outcome, id, seat",
                        crate::safe_text::quoted(&role)
                    )));
                }
            }
            seen.push(role);
        }
        Ok(columns)
    }
}

/// How to read a history file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadOptions {
    pub columns: Columns,
    pub format: DateFormat,
    /// The day the history was taken; default: the latest date in the file.
    pub as_of: Option<Date>,
}

/// One InMail, in whole days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Message {
    /// Days from sending to the as-of date.
    pub age: u32,
    /// Days from sending to the response (at least 1), if answered.
    pub delay: Option<u32>,
    /// Whether the response was a decline, when the outcome is known.
    pub declined: Option<bool>,
}

/// A history ready to fit.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    pub as_of: Date,
    pub first_sent: Date,
    pub last_sent: Date,
    /// Every InMail that can say something: answered, or sent before the
    /// as-of date.
    pub messages: Vec<Message>,
    /// InMails sent on the as-of date and not answered: no time to be
    /// answered yet, so they are left out.
    pub too_young: usize,
    /// Distinct non-empty seats, when a seat column is present.
    pub seats: Option<usize>,
    /// The answer window set by [`History::within`]: an InMail this many
    /// days old has its final answer.
    pub window: Option<u32>,
}

impl History {
    pub fn answered(&self) -> usize {
        self.messages.iter().filter(|m| m.delay.is_some()).count()
    }

    /// The InMails at least `window` days old and how many of them were
    /// answered (within the window, once [`History::within`] has run):
    /// their outcome is final, so these two counts are a plain binomial
    /// sample of the rate, whatever the delay.
    pub fn settled(&self, window: u32) -> (usize, usize) {
        let old = self.messages.iter().filter(|m| m.age >= window);
        old.fold((0, 0), |(n, k), m| {
            (n + 1, k + usize::from(m.delay.is_some()))
        })
    }

    /// The history through a response window of `days` (credit-rules §3:
    /// an answer counts for a refund within `refund_window_days` of the
    /// send): an answer after more than `days` days counts as none, and an
    /// InMail is followed for at most `days` days (an older one is as old
    /// as the window). Returns the number of answers that came too late.
    pub fn within(&mut self, days: u32) -> usize {
        self.window = Some(days);
        let mut late = 0;
        for m in &mut self.messages {
            if m.delay.is_some_and(|d| d > days) {
                m.delay = None;
                m.declined = None;
                late += 1;
            }
            m.age = m.age.min(days);
        }
        late
    }
}

/// Reads and checks a history file.
pub fn load(path: &Path, options: &ReadOptions) -> Result<History, HistoryError> {
    load_hashed(path, options).map(|(history, _)| history)
}

/// Reads and checks a history file; also the hex SHA-256 of its bytes,
/// which names the data in metadata. The file is streamed, never held
/// whole (see [`rows`]).
pub fn load_hashed(path: &Path, options: &ReadOptions) -> Result<(History, String), HistoryError> {
    let fail = |problem| HistoryError {
        file: path.to_path_buf(),
        problem: Box::new(problem),
    };
    let io = |e: std::io::Error| fail(HistoryProblem::Io(e.to_string()));
    let too_big = |bytes: u64| {
        let why = format!("{bytes} bytes; allowed: at most {MAX_HISTORY_BYTES}");
        fail(HistoryProblem::Io(why))
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(fail(HistoryProblem::Io("not a regular file".into())));
    }
    if meta.len() > MAX_HISTORY_BYTES {
        return Err(too_big(meta.len()));
    }
    // One byte over the cap is enough to refuse a file that grew since.
    let file = std::fs::File::open(path).map_err(io)?;
    let mut input = Hashing::new(file.take(MAX_HISTORY_BYTES + 1));
    let history = read_rows(&mut input, Source::File(path), options).map_err(fail)?;
    let (bytes, sha256) = input.finish().map_err(io)?;
    if bytes > MAX_HISTORY_BYTES {
        return Err(too_big(bytes));
    }
    Ok((history, sha256))
}

struct Indices {
    sent: usize,
    replied: usize,
    outcome: Option<usize>,
    id: Option<usize>,
    seat: Option<usize>,
}

/// Reads and checks the text of a history file.
pub fn parse(text: &str, options: &ReadOptions) -> Result<History, HistoryProblem> {
    read_rows(text.as_bytes(), Source::Text(text), options)
}

/// Streams the rows of `input` (the text of `source`), keeping of each
/// only what the fit needs ([`Row`]), then settles the dates; a problem's
/// rows are the file's own line numbers (`Source::file_line`).
fn read_rows<R: Read>(
    input: R,
    source: Source<'_>,
    options: &ReadOptions,
) -> Result<History, HistoryProblem> {
    read_records(input, source, options).map_err(|p| p.with_rows(|l| source.file_line(l)))
}

fn read_records<R: Read>(
    input: R,
    source: Source<'_>,
    options: &ReadOptions,
) -> Result<History, HistoryProblem> {
    let columns = &options.columns;
    let mut input = without_bom(input).map_err(|e| HistoryProblem::Io(e.to_string()))?;
    let start = input
        .fill_buf()
        .map_err(|e| HistoryProblem::Io(e.to_string()))?;
    if let Some(what) = not_text(start) {
        return Err(HistoryProblem::NotCsvText { what });
    }
    let mut reader = rows::csv_reader(input);
    let header = reader.headers().map_err(|e| csv_problem(1, &e))?.clone();
    if header.iter().all(str::is_empty) {
        let expected = format!(
            "{} and {}",
            crate::safe_text::quoted(&columns.sent),
            crate::safe_text::quoted(&columns.replied)
        );
        return Err(HistoryProblem::Empty { expected });
    }
    // A quote in the header that never closes takes the whole file into
    // a column's name: said as such, not as a column missing.
    if header.as_slice().contains(['\n', '\r']) {
        let quote = header.position().and_then(|p| unclosed_quote(source, p));
        if let Some(problem) = quote {
            return Err(problem);
        }
    }
    let at = find_columns(&header, columns)?;
    let mut seen = Seen::default();
    let mut record = csv::StringRecord::new();
    // Where the last record started, if a cell of it holds a line end:
    // the mark of a quote that may never close.
    let mut broken: Option<csv::Position> = None;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let row = e.position().map_or(0, |p| p.line());
                let problem = csv_problem(row, &e);
                return Err(e.position().map_or(problem.clone(), |p| {
                    unclosed_quote(source, p).unwrap_or(problem)
                }));
            }
        }
        broken = record
            .as_slice()
            .contains(['\n', '\r'])
            .then(|| record.position().cloned())
            .flatten();
        // Ctrl-C is looked at every few thousand rows: a file of millions
        // takes seconds to read, and the check costs nothing then.
        if seen.rows.len() % 4096 == 0 && crate::interrupt::interrupted() {
            return Err(HistoryProblem::Interrupted);
        }
        if !record.iter().all(str::is_empty) {
            // A bad cell in a row whose quote swallowed the rest of the
            // file is the quote's fault: said as such.
            seen.row(&record, &at, options).map_err(|problem| {
                broken
                    .as_ref()
                    .and_then(|p| unclosed_quote(source, p))
                    .unwrap_or(problem)
            })?;
        }
    }
    // The last record may have taken the rest of the file into a cell
    // calibrate does not read: the rows in it would be lost unsaid.
    if let Some(problem) = broken.as_ref().and_then(|p| unclosed_quote(source, p)) {
        return Err(problem);
    }
    if seen.rows.is_empty() {
        return Err(HistoryProblem::NoRows);
    }
    let day_first = day_first(&seen.orders, options.format)?;
    let seats = at.seat.map(|_| seen.seats.len());
    let rows = std::mem::take(&mut seen.rows);
    drop(seen);
    build(&rows, day_first, options, seats, (source, &at))
}

/// What the rows read so far have shown.
#[derive(Default)]
struct Seen {
    rows: Vec<Row>,
    orders: SlashOrders,
    seats: HashSet<String>,
    /// Each id and its row: ids must be unique.
    ids: HashMap<Box<str>, u64>,
}

impl Seen {
    /// Reads and checks one row's cells.
    fn row(
        &mut self,
        record: &csv::StringRecord,
        at: &Indices,
        options: &ReadOptions,
    ) -> Result<(), HistoryProblem> {
        let columns = &options.columns;
        let row = record.position().map_or(0, |p| p.line());
        if row > rows::MAX_LINE {
            return Err(HistoryProblem::Csv {
                row,
                message: format!("allowed: at most {} lines", rows::MAX_LINE),
            });
        }
        let cell = |i: usize| record.get(i).unwrap_or("");
        let date = |i: usize, name: &str| -> Result<RawDate, HistoryProblem> {
            dates::read(cell(i), options.format).ok_or_else(|| HistoryProblem::BadDate {
                row,
                column: name.to_string(),
                value: cell(i).to_string(),
                allowed: options.format.allowed(),
            })
        };
        let sent = date(at.sent, &columns.sent)?;
        let replied = match cell(at.replied) {
            "" => None,
            _ => Some(date(at.replied, &columns.replied)?),
        };
        // Written on an earlier date than the send, in another zone, but
        // after it by their UTC offsets: answered on the send's day.
        let replied = match (sent, replied) {
            (RawDate::Iso(s), Some(RawDate::Iso(r)))
                if r < s && dates::answered_after_send(cell(at.sent), cell(at.replied)) =>
            {
                Some(RawDate::Iso(s))
            }
            _ => replied,
        };
        for (raw, i, name) in [
            (Some(sent), at.sent, &columns.sent),
            (replied, at.replied, &columns.replied),
        ] {
            if let Some(raw) = raw {
                self.orders.see(raw, || Cell {
                    row,
                    column: name.clone(),
                    value: cell(i).to_string(),
                });
            }
        }
        let declined = match at.outcome {
            Some(i) => outcome(cell(i), row, &columns.outcome.0)?,
            None => None,
        };
        if declined.is_some() && replied.is_none() {
            return Err(HistoryProblem::OutcomeWithoutReply {
                row,
                column: columns.outcome.0.clone(),
                value: cell(at.outcome.unwrap_or(0)).to_string(),
                replied_column: columns.replied.clone(),
            });
        }
        if let Some(seat) = at.seat.map(cell).filter(|s| !s.is_empty()) {
            if !self.seats.contains(seat) {
                self.seats.insert(seat.to_string());
            }
        }
        if let Some(id) = at.id.map(cell).filter(|s| !s.is_empty()) {
            self.unique_id(id, row, columns)?;
        }
        self.rows.push(Row::new(row, sent, replied, declined));
        Ok(())
    }

    fn unique_id(&mut self, id: &str, row: u64, columns: &Columns) -> Result<(), HistoryProblem> {
        if let Some(&first_row) = self.ids.get(id) {
            return Err(HistoryProblem::DuplicateId {
                row,
                column: columns.id.0.clone(),
                id: id.to_string(),
                first_row,
            });
        }
        self.ids.insert(id.into(), row);
        Ok(())
    }
}

/// What a file whose first bytes are not CSV text seems to be: a
/// spreadsheet's own format or UTF-16 text (which the UTF-8 reader would
/// refuse with no hint of the fix), judged from its first buffer.
fn not_text(start: &[u8]) -> Option<&'static str> {
    if start.starts_with(b"PK\x03\x04") {
        Some("a zip archive (an .xlsx or .ods workbook?)")
    } else if start.starts_with(b"\xD0\xCF\x11\xE0") {
        Some("an old Excel workbook (.xls)")
    } else if start.starts_with(b"\xFF\xFE") || start.starts_with(b"\xFE\xFF") {
        Some("UTF-16 text (its byte-order mark says so)")
    } else if header_line(start).contains(&0) {
        // UTF-16 without a mark has a NUL in every other byte of a plain
        // header; a NUL in a later cell is that cell's error, quoted.
        Some("binary or UTF-16 text (its header holds NUL bytes)")
    } else {
        None
    }
}

/// The bytes up to the first line feed (all of them if none).
fn header_line(start: &[u8]) -> &[u8] {
    start.split(|&b| b == b'\n').next().unwrap_or(start)
}

/// The record at `at` as [`HistoryProblem::UnclosedQuote`], if a quote in
/// it is never closed ([`Source::open_quote`]).
fn unclosed_quote(source: Source<'_>, at: &csv::Position) -> Option<HistoryProblem> {
    let quote = source.open_quote(at.byte())?;
    Some(HistoryProblem::UnclosedQuote {
        row: at.line(),
        opened: quote.opened,
        last: quote.last,
    })
}

fn csv_problem(row: u64, e: &csv::Error) -> HistoryProblem {
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!(
                "{} where the header has {expected_len}; allowed: one cell per column",
                crate::numbers::count(*len, "cell", "cells")
            )
        }
        csv::ErrorKind::Utf8 { .. } => "the text is not UTF-8; allowed: a UTF-8 CSV file \
                                        (in a spreadsheet: Save As or Download, \"CSV UTF-8\")"
            .into(),
        _ => e.to_string(),
    };
    HistoryProblem::Csv { row, message }
}

fn find_columns(header: &csv::StringRecord, columns: &Columns) -> Result<Indices, HistoryProblem> {
    // A name found twice could be either column: refused, not guessed.
    let find = |role: &'static str, name: &str| {
        let mut at =
            (0..header.len()).filter(|&i| header[i].trim().eq_ignore_ascii_case(name.trim()));
        match (at.next(), at.next()) {
            (Some(first), Some(second)) => Err(HistoryProblem::DuplicateColumn {
                role,
                name: header[first].to_string(),
                first: first + 1,
                second: second + 1,
            }),
            (first, _) => Ok(first),
        }
    };
    let found = || {
        header
            .iter()
            .map(crate::safe_text::quoted)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let hint = separated_by(header)
        .unwrap_or(" (name the columns with a mapping such as sent=Date Sent,replied=Reply Date)");
    let required = |role: &'static str, name: &str| {
        find(role, name)?.ok_or_else(|| HistoryProblem::MissingColumn {
            role,
            name: name.to_string(),
            found: found(),
            hint,
        })
    };
    let optional = |role: &'static str, (name, needed): &(String, bool)| {
        if *needed {
            required(role, name).map(Some)
        } else {
            find(role, name)
        }
    };
    let mut at = Indices {
        sent: required("sent date", &columns.sent)?,
        replied: required("response date", &columns.replied)?,
        outcome: optional("outcome", &columns.outcome)?,
        id: optional("id", &columns.id)?,
        seat: optional("seat", &columns.seat)?,
    };
    one_role_a_column(&mut at, columns, header)?;
    Ok(at)
}

/// The hint for a header read as one column that holds semicolons or
/// tabs: the file is separated by them (a spreadsheet's export in many
/// locales), not by the commas calibrate reads.
fn separated_by(header: &csv::StringRecord) -> Option<&'static str> {
    let only = header.iter().next().filter(|_| header.len() == 1)?;
    if only.contains(';') {
        Some(
            " (the file seems to be separated by semicolons; calibrate reads \
             comma-separated CSV: export it with commas)",
        )
    } else if only.contains('\t') {
        Some(
            " (the file seems to be separated by tabs; calibrate reads comma-separated \
             CSV: export it with commas)",
        )
    } else {
        None
    }
}

/// A column read for two roles would make one field two things
/// (`--columns sent=date,replied=date` answers every InMail on its send
/// day): refused when both roles were asked for (named in the mapping,
/// or the dates, always read); an optional role left at its default
/// (`outcome`, `id`, `seat`) gives way, so `--columns sent=id` reads the
/// column `id` as the sent date and no ids.
fn one_role_a_column(
    at: &mut Indices,
    columns: &Columns,
    header: &csv::StringRecord,
) -> Result<(), HistoryProblem> {
    // (role, its column, asked for)
    let mut roles = [
        ("sent date", Some(at.sent), true),
        ("response date", Some(at.replied), true),
        ("outcome", at.outcome, columns.outcome.1),
        ("id", at.id, columns.id.1),
        ("seat", at.seat, columns.seat.1),
    ];
    for i in 0..roles.len() {
        for j in i + 1..roles.len() {
            let (first, second) = (roles[i], roles[j]);
            let Some(column) = first.1.filter(|_| first.1 == second.1) else {
                continue;
            };
            match (first.2, second.2) {
                (true, true) => {
                    return Err(HistoryProblem::SharedColumn {
                        first: first.0,
                        second: second.0,
                        name: header[column].to_string(),
                    });
                }
                (_, false) => roles[j].1 = None,
                (false, true) => roles[i].1 = None,
            }
        }
    }
    (at.outcome, at.id, at.seat) = (roles[2].1, roles[3].1, roles[4].1);
    Ok(())
}

/// `Some(true)` for a decline, `Some(false)` for an acceptance, `None` when
/// not known (an empty cell).
fn outcome(value: &str, row: u64, column: &str) -> Result<Option<bool>, HistoryProblem> {
    match value.to_ascii_lowercase().as_str() {
        "" => Ok(None),
        "accepted" => Ok(Some(false)),
        "declined" => Ok(Some(true)),
        _ => Err(HistoryProblem::BadOutcome {
            row,
            column: column.to_string(),
            value: value.to_string(),
        }),
    }
}

/// Which order the slashed dates are read in: told, or settled by the file.
fn day_first(orders: &SlashOrders, format: DateFormat) -> Result<bool, HistoryProblem> {
    match format {
        DateFormat::DayFirst => return Ok(true),
        DateFormat::MonthFirst | DateFormat::Iso => return Ok(false),
        DateFormat::Auto => {}
    }
    match (&orders.not_month_first, &orders.not_day_first) {
        (Some(a), Some(b)) => Err(HistoryProblem::MixedDates {
            not_month_first: Box::new(a.clone()),
            not_day_first: Box::new(b.clone()),
        }),
        (Some(_), None) => Ok(true),
        (None, Some(_)) => Ok(false),
        (None, None) => match &orders.two_ways {
            Some(c) => Err(HistoryProblem::AmbiguousDates {
                row: c.row,
                column: c.column.clone(),
                value: c.value.clone(),
            }),
            // Every slashed date reads the same both ways (or there is none).
            None => Ok(false),
        },
    }
}

fn build(
    rows: &[Row],
    day_first: bool,
    options: &ReadOptions,
    seats: Option<usize>,
    (source, at): (Source<'_>, &Indices),
) -> Result<History, HistoryProblem> {
    // Read with an order that every cell allows, so resolve cannot fail.
    let date = |raw: RawDate| dates::resolve(raw, day_first).unwrap_or(Date::from_epoch_days(0));
    let as_of = match options.as_of {
        Some(d) => d,
        None => latest_date(rows, date, (source, at), &options.columns)?,
    };
    let mut messages = Vec::with_capacity(rows.len());
    let mut too_young = 0;
    let (mut first_sent, mut last_sent) = (as_of, as_of);
    for (i, r) in rows.iter().enumerate() {
        let (sent, replied) = (date(r.sent()), r.replied().map(date));
        check_row(sent, replied, as_of)
            .map_err(|problem| quoted(problem, (source, at), r.line(), &options.columns))?;
        (first_sent, last_sent) = match i {
            0 => (sent, sent),
            _ => (first_sent.min(sent), last_sent.max(sent)),
        };
        let days = |a: Date, b: Date| (b.to_epoch_days() - a.to_epoch_days()) as u32;
        let delay = replied.map(|d| days(sent, d).max(1));
        let age = days(sent, as_of);
        if age == 0 && delay.is_none() {
            too_young += 1;
            continue;
        }
        messages.push(Message {
            age,
            delay,
            declined: r.declined(),
        });
    }
    if messages.is_empty() {
        return Err(HistoryProblem::NoneOldEnough {
            count: rows.len(),
            as_of: as_of.to_string(),
        });
    }
    Ok(History {
        as_of,
        first_sent,
        last_sent,
        messages,
        too_young,
        seats,
        window: None,
    })
}

/// How far, in days, the latest date of a file may lie beyond all the
/// others before it is taken for a mistyped year rather than the as-of
/// date: a year, longer than any pause in sending worth calibrating
/// across (and `--as-of` accepts a longer one).
pub const LATEST_GAP_DAYS: u64 = 366;

/// A date in the file and where: the row, and whether it is the response
/// date.
#[derive(Clone, Copy)]
struct Placed {
    date: Date,
    row: u64,
    replied: bool,
}

/// The default as-of date: the latest date in the file, unless it is after
/// today or more than [`LATEST_GAP_DAYS`] beyond every other date, which a
/// mistyped year gives (2062 among 2025 dates would age every InMail by 36
/// years and count every silence as final): refused, naming the row.
fn latest_date(
    rows: &[Row],
    date: impl Fn(RawDate) -> Date,
    source: (Source<'_>, &Indices),
    columns: &Columns,
) -> Result<Date, HistoryProblem> {
    let (mut top, mut next): (Option<Placed>, Option<Placed>) = (None, None);
    for r in rows {
        let cells = [(Some(r.sent()), false), (r.replied(), true)];
        for (raw, replied) in cells {
            let Some(raw) = raw else { continue };
            let p = Placed {
                date: date(raw),
                row: r.line(),
                replied,
            };
            match top {
                Some(t) if p.date <= t.date => {
                    if p.date < t.date && next.is_none_or(|n| p.date > n.date) {
                        next = Some(p);
                    }
                }
                _ => (top, next) = (Some(p), top),
            }
        }
    }
    let Some(top) = top else {
        return Ok(Date::from_epoch_days(0));
    };
    let value = || {
        let column = at_column(source.1, top.replied);
        let cell = source.0.cells(top.row, &[column]).pop().unwrap_or_default();
        let name = if top.replied {
            &columns.replied
        } else {
            &columns.sent
        };
        (name.clone(), cell)
    };
    let today = today();
    if top.date > today {
        let (column, value) = value();
        return Err(HistoryProblem::AfterToday {
            row: top.row,
            column,
            value,
            today: today.to_string(),
        });
    }
    if let Some(n) = next {
        let gap = (top.date.to_epoch_days() - n.date.to_epoch_days()) as u64;
        if gap > LATEST_GAP_DAYS {
            let (column, value) = value();
            return Err(HistoryProblem::LatestFarBeyond {
                row: top.row,
                column,
                value,
                gap,
                next: n.date.to_string(),
                next_row: n.row,
            });
        }
    }
    Ok(top.date)
}

/// The sent or the response column's index.
fn at_column(at: &Indices, replied: bool) -> usize {
    if replied { at.replied } else { at.sent }
}

/// Today, by the system clock, in UTC: no history holds a later date.
fn today() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Date::from_epoch_days((secs / 86_400) as i64)
}

/// Why a row's dates are refused; [`quoted`] makes the message.
enum DateProblem {
    /// A date after the as-of date: the response date's, or the sent one's.
    AfterAsOf {
        replied: bool,
        as_of: Date,
    },
    ReplyBeforeSend,
    /// A date before [`linkedin_launch`]: the response date's, or the sent one's.
    BeforeLinkedIn {
        replied: bool,
    },
}

/// The message for a row refused for its dates: the rows keep no text,
/// so the two date cells are read again from the source to quote them.
fn quoted(
    problem: DateProblem,
    (source, at): (Source<'_>, &Indices),
    row: u64,
    columns: &Columns,
) -> HistoryProblem {
    let mut cells = source.cells(row, &[at.sent, at.replied]).into_iter();
    let (sent, replied) = (
        cells.next().unwrap_or_default(),
        cells.next().unwrap_or_default(),
    );
    match problem {
        DateProblem::AfterAsOf {
            replied: true,
            as_of,
        } => HistoryProblem::AfterAsOf {
            row,
            column: columns.replied.clone(),
            value: replied,
            as_of: as_of.to_string(),
        },
        DateProblem::AfterAsOf {
            replied: false,
            as_of,
        } => HistoryProblem::AfterAsOf {
            row,
            column: columns.sent.clone(),
            value: sent,
            as_of: as_of.to_string(),
        },
        DateProblem::BeforeLinkedIn { replied: r } => HistoryProblem::BeforeLinkedIn {
            row,
            column: if r {
                columns.replied.clone()
            } else {
                columns.sent.clone()
            },
            value: if r { replied } else { sent },
        },
        DateProblem::ReplyBeforeSend => HistoryProblem::ReplyBeforeSend {
            row,
            sent_column: columns.sent.clone(),
            sent,
            replied_column: columns.replied.clone(),
            replied,
        },
    }
}

/// LinkedIn's launch, 5 May 2003: no InMail was sent or answered before
/// it. An earlier date is an export's placeholder for "no date"
/// (`0001-01-01`, `1900-01-01`) or a mistyped year, and taken as a send it
/// would make the history span two thousand years and its InMail "final".
pub fn linkedin_launch() -> Date {
    Date::parse("2003-05-05").expect("a valid date")
}

/// A response on or after its send, nothing after the as-of date and
/// nothing before LinkedIn's launch.
fn check_row(sent: Date, replied: Option<Date>, as_of: Date) -> Result<(), DateProblem> {
    let launch = linkedin_launch();
    if sent < launch {
        return Err(DateProblem::BeforeLinkedIn { replied: false });
    }
    if replied.is_some_and(|r| r < launch) {
        return Err(DateProblem::BeforeLinkedIn { replied: true });
    }
    if sent > as_of {
        return Err(DateProblem::AfterAsOf {
            replied: false,
            as_of,
        });
    }
    match replied {
        Some(r) if r < sent => Err(DateProblem::ReplyBeforeSend),
        Some(r) if r > as_of => Err(DateProblem::AfterAsOf {
            replied: true,
            as_of,
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests;
