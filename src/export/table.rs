//! The generic CSV writers: rows of a `#[derive(Serialize)]` struct (the
//! header is its field names, so it cannot drift from the rows), a header
//! and records, or `key,value` rows; all start with the [`Preamble`]'s
//! comment lines.
//!
//! Cells of user text are passed through [`for_spreadsheet`] by whoever
//! builds the records (they know which cells hold it); every value of a
//! `key,value` file is, since its value column mixes text and numbers.

use super::csv_error;
use super::preamble::{Preamble, csv_writer};
use crate::safe_text::for_spreadsheet;
use serde::Serialize;
use std::io::{self, Write};

/// Writes the preamble, the header of `R` (its field names, in order; for
/// a tuple of structs, theirs one after the other) and one record per row.
/// The header is written even with no rows.
pub fn write_rows<R: Serialize + Default>(
    out: &mut dyn Write,
    preamble: &Preamble,
    rows: &[R],
) -> io::Result<()> {
    let header = header_of::<R>()?;
    preamble.write(out)?;
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(out);
    w.write_record(&header).map_err(csv_error)?;
    for r in rows {
        w.serialize(r).map_err(csv_error)?;
    }
    w.flush()
}

/// The field names of `R`, as the csv writer derives them from a value.
pub(super) fn header_of<R: Serialize + Default>() -> io::Result<csv::StringRecord> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.serialize(R::default()).map_err(csv_error)?;
    let bytes = w
        .into_inner()
        .map_err(|e| io::Error::other(e.to_string()))?;
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes.as_slice());
    match r.records().next() {
        Some(header) => header.map_err(csv_error),
        None => Err(io::Error::other("a row struct with no field")),
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, Serialize)]
    struct Row {
        name: String,
        count: u64,
    }

    fn written(rows: &[Row]) -> String {
        let mut bytes = Vec::new();
        write_rows(&mut bytes, &Preamble::new("run", 7, 2, 12), rows).unwrap();
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn a_row_struct_gives_its_header_once_even_with_no_rows() {
        let empty = written(&[]);
        assert!(empty.ends_with("\nname,count\n"), "{empty}");
        let two = written(&[
            Row {
                name: "a,b".to_string(),
                count: 3,
            },
            Row {
                name: "c".to_string(),
                count: 4,
            },
        ]);
        assert!(two.ends_with("\nname,count\n\"a,b\",3\nc,4\n"), "{two}");
        assert_eq!(two.matches("name,count").count(), 1, "{two}");
    }
}
