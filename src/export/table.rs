//! The generic CSV writers: rows of a `#[derive(Serialize)]` struct (the
//! header is its field names, so it cannot drift from the rows), streamed
//! by [`RowWriter`] or written from a slice, and `key,value` rows. Every
//! CSV starts with its header on line 1: no comment lines (issue 21), the
//! provenance is in metadata.csv and metadata.json beside it.
//!
//! Cells of user text are passed through
//! [`crate::safe_text::for_spreadsheet`] by whoever builds the rows (they
//! know which cells hold it); the values of a `key,value` file, a column
//! of text and numbers, by [`super::metadata::csv_value`], which tells
//! them apart by their key.

use super::csv_error;
use serde::Serialize;
use std::io::{self, Write};
use std::marker::PhantomData;

/// Writes rows of `R` one at a time, so a large file (histograms.csv,
/// `--samples`) never sits in memory: the header of `R` (its field names,
/// in order; for a tuple of structs, theirs one after the other) on
/// creation, then one record per [`RowWriter::row`].
pub struct RowWriter<'a, R> {
    w: csv::Writer<&'a mut dyn Write>,
    row: PhantomData<fn(&R)>,
}

impl<R> std::fmt::Debug for RowWriter<'_, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RowWriter")
    }
}

impl<'a, R: Serialize + Default> RowWriter<'a, R> {
    /// Writes the header, even if no row follows.
    pub fn new(out: &'a mut dyn Write) -> io::Result<Self> {
        let header = header_of::<R>()?;
        let mut w = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(out);
        w.write_record(&header).map_err(csv_error)?;
        Ok(RowWriter {
            w,
            row: PhantomData,
        })
    }

    pub fn row(&mut self, row: &R) -> io::Result<()> {
        self.w.serialize(row).map_err(csv_error)
    }

    pub fn finish(mut self) -> io::Result<()> {
        self.w.flush()
    }
}

/// Writes the header of `R` and one record per row.
pub fn write_rows<R: Serialize + Default>(out: &mut dyn Write, rows: &[R]) -> io::Result<()> {
    let mut w = RowWriter::new(out)?;
    for r in rows {
        w.row(r)?;
    }
    w.finish()
}

/// The field names of `R`, as the csv writer derives them from a value.
pub fn header_of<R: Serialize + Default>() -> io::Result<csv::StringRecord> {
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

/// One row of a metadata.csv.
#[derive(Debug, Default, Serialize)]
struct KeyValue<'a> {
    key: &'a str,
    value: String,
}

/// Writes `key,value` rows. Text that a spreadsheet would evaluate (a
/// description starting with `=`, a name `-5`) gets a leading `'`; the
/// numbers of the number keys are left alone
/// ([`super::metadata::csv_value`]). metadata.json, written from the same
/// rows, keeps them as they are.
pub fn write_key_values(out: &mut dyn Write, rows: &[(String, String)]) -> io::Result<()> {
    let rows: Vec<KeyValue<'_>> = rows
        .iter()
        .map(|(k, v)| KeyValue {
            key: k,
            value: super::metadata::csv_value(k, v).into_owned(),
        })
        .collect();
    write_rows(out, &rows)
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
        write_rows(&mut bytes, rows).unwrap();
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn a_row_struct_gives_its_header_on_line_1_once_even_with_no_rows() {
        assert_eq!(written(&[]), "name,count\n");
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
        assert_eq!(two, "name,count\n\"a,b\",3\nc,4\n");
    }

    #[test]
    fn key_values_keep_a_formula_from_being_evaluated() {
        let mut bytes = Vec::new();
        let rows = [("scenario_name", "=1+1"), ("trials", "5")]
            .map(|(k, v)| (k.to_string(), v.to_string()));
        write_key_values(&mut bytes, &rows).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(text, "key,value\nscenario_name,'=1+1\ntrials,5\n");
    }

    #[test]
    fn key_values_keep_the_tools_negative_numbers_and_protect_a_name_that_reads_as_one() {
        let mut bytes = Vec::new();
        let rows = [
            ("scenario_name", "-5"),
            ("delay_lognormal_mu", "-0.287682"),
            ("scenario_description", "+1"),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string()));
        write_key_values(&mut bytes, &rows).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(
            text,
            "key,value\nscenario_name,'-5\ndelay_lognormal_mu,-0.287682\n\
             scenario_description,'+1\n"
        );
    }
}
