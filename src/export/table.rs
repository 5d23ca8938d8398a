//! The generic CSV writers: a header and records, or `key,value` rows;
//! both start with the [`Preamble`]'s comment lines.
//!
//! Cells of user text are passed through [`for_spreadsheet`] by whoever
//! builds the records (they know which cells hold it); every value of a
//! `key,value` file is, since its value column mixes text and numbers.

use super::csv_error;
use super::preamble::{Preamble, csv_writer};
use crate::safe_text::for_spreadsheet;
use std::io::{self, Write};

/// Writes the preamble, a header and records.
pub fn write_table<H: AsRef<str>>(
    out: &mut dyn Write,
    preamble: &Preamble,
    header: &[H],
    records: &[Vec<String>],
) -> io::Result<()> {
    let mut w = csv_writer(out, preamble)?;
    w.write_record(header.iter().map(AsRef::as_ref))
        .map_err(csv_error)?;
    for r in records {
        w.write_record(r).map_err(csv_error)?;
    }
    w.flush()
}

/// Writes the preamble and `key,value` rows. Values that a spreadsheet
/// would evaluate (a description starting with `=`) get a leading `'`;
/// numbers are left alone. metadata.json, written from the same rows,
/// keeps them as they are.
pub fn write_key_values(
    out: &mut dyn Write,
    preamble: &Preamble,
    rows: &[(String, String)],
) -> io::Result<()> {
    let records: Vec<Vec<String>> = rows
        .iter()
        .map(|(k, v)| vec![k.clone(), for_spreadsheet(v).into_owned()])
        .collect();
    write_table(out, preamble, &["key", "value"], &records)
}
