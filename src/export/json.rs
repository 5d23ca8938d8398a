//! `--json FILE` (or `-` for standard output): every CSV a command wrote,
//! and its metadata, as one JSON document, the way hyperfine's
//! `--export-json` works. Built from the CSVs' own bytes, so it holds the
//! same content by construction. Schema (docs/outputs.md, "JSON export"):
//!
//! ```text
//! { "schema_version": 1,
//!   "tool": "inmail-sim", "tool_version": "0.1.0", "command": "run",
//!   "metadata": { …metadata.json… },
//!   "tables": [ { "name": "summary", "file": "summary.csv",
//!                 "columns": ["cycle", …],
//!                 "rows": [ { "cycle": 1, … }, … ] }, … ] }
//! ```
//!
//! A column of words ([`TEXT_COLUMNS`]: names, files, labels, anything a
//! user typed) holds strings whatever its cells look like; any other
//! column whose every non-empty cell is a number as the tool writes one
//! holds numbers, one of only `true`/`false` holds booleans, any other
//! holds strings; an empty cell is `null`. Rows are objects, so `columns`
//! keeps the order. The workbook (`--xlsx`) is built from this document,
//! so its cells get the same types.

use serde_json::{Map, Value, json};
use std::io::{self, Write};

/// The version of the document's layout; raised when a key changes meaning.
pub const SCHEMA_VERSION: u64 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ColumnType {
    Number,
    Bool,
    Text,
}

/// The columns of every CSV whose cells are text, whatever they look like:
/// a scenario named `007`, `1e5` or `true` must stay that name, not turn
/// into 7, 100000.0 or a boolean (their values come from the user's files
/// and command line, or are the tool's own words). Guessing from the cells
/// cannot tell a name from a number, so the type of these is declared.
const TEXT_COLUMNS: [&str; 28] = [
    // Names, files and labels (compare, sweep, recommend).
    "option",
    "option_a",
    "option_b",
    "scenario",
    "scenario_a",
    "scenario_b",
    "file",
    "plan_id",
    "candidate",
    "verdict",
    "winner",
    "cheaper_below",
    "cheaper_above",
    "billing",
    "addons",
    // Keys and the tool's words.
    "param",
    "param_1",
    "param_2",
    "input",
    "role",
    "stat",
    "direction",
    "quantity",
    "unit",
    "metric",
    "month",
    "stopped",
    "status",
];

/// A number as the tool writes one: `-`, digits without a leading zero
/// (but `0` itself), then `.` and digits; then, as the decision commands'
/// CSVs write a float below 10^-5 or from 10^16 (the csv crate's shortest
/// form, `4.166666666666666e-6`), `e`, `-` and digits. Anything else
/// (`007`, `1e+5`, `inf`, ` 5`) was not written as a number, so it is not
/// read as one.
fn is_written_number(cell: &str) -> bool {
    let (mantissa, exponent) = match cell.split_once('e') {
        Some((m, e)) => (m, Some(e)),
        None => (cell, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix('-').unwrap_or(e)));
    exponent_ok && is_plain_number(mantissa)
}

/// `-`, digits without a leading zero (but `0` itself), then `.` and digits.
fn is_plain_number(cell: &str) -> bool {
    let unsigned = cell.strip_prefix('-').unwrap_or(cell);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (unsigned, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && (whole == "0" || !whole.starts_with('0')) && fraction.is_none_or(digits)
}

/// The type of one non-empty cell of a column not in [`TEXT_COLUMNS`].
fn cell_type(cell: &str) -> ColumnType {
    if is_written_number(cell) {
        ColumnType::Number
    } else if cell == "true" || cell == "false" {
        ColumnType::Bool
    } else {
        ColumnType::Text
    }
}

/// A whole number as Rust writes a whole float (`900.0`, in the decision
/// commands' CSVs) without its `.0`: an integer, as every other whole
/// number is in the JSON and the workbook. Dollars written with cents
/// (`0.00`) keep them: a money column stays one of decimals.
fn whole(cell: &str) -> Option<&str> {
    let int = cell.strip_suffix(".0")?;
    let digits = int.strip_prefix('-').unwrap_or(int);
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then_some(int)
}

fn cell_value(cell: &str, t: ColumnType) -> Value {
    if cell.is_empty() {
        return Value::Null;
    }
    match t {
        // Whole numbers stay integers (a seed up to 2^64 - 1, a count);
        // else f64.
        ColumnType::Number => whole(cell)
            .unwrap_or(cell)
            .parse::<serde_json::Number>()
            .map_or(Value::Null, Value::Number),
        ColumnType::Bool => Value::Bool(cell == "true"),
        // The CSVs' formula protection is theirs alone (outputs.md).
        ColumnType::Text => Value::String(crate::safe_text::from_spreadsheet(cell).to_string()),
    }
}

/// A CSV's columns and their types, from one pass over its records: the
/// one place a cell's JSON (and workbook) type is decided.
fn columns_and_types(bytes: &[u8]) -> io::Result<(Vec<String>, Vec<ColumnType>)> {
    let mut r = csv::Reader::from_reader(bytes);
    let columns: Vec<String> = r
        .headers()
        .map_err(io::Error::other)?
        .iter()
        .map(String::from)
        .collect();
    // Column by column, without holding the records: each column's type
    // so far, folded record by record; a column of text (declared, or of
    // mixed cells) is settled and its cells no longer read.
    let mut seen: Vec<Option<ColumnType>> = vec![None; columns.len()];
    let mut text: Vec<bool> = columns
        .iter()
        .map(|c| TEXT_COLUMNS.contains(&c.as_str()))
        .collect();
    for rec in r.records() {
        let rec = rec.map_err(io::Error::other)?;
        for (i, cell) in (0..columns.len()).map(|i| (i, rec.get(i).unwrap_or(""))) {
            if text[i] || cell.is_empty() {
                continue;
            }
            let this = cell_type(cell);
            match seen[i] {
                None => seen[i] = Some(this),
                Some(prev) if prev != this => text[i] = true,
                _ => {}
            }
        }
    }
    let types = seen
        .iter()
        .zip(&text)
        .map(|(t, &is_text)| {
            if is_text {
                ColumnType::Text
            } else {
                t.unwrap_or(ColumnType::Text)
            }
        })
        .collect();
    Ok((columns, types))
}

/// One record as a row object, each cell as its column's type.
fn row(columns: &[String], types: &[ColumnType], rec: &csv::StringRecord) -> Value {
    let row: Map<String, Value> = columns
        .iter()
        .zip(types)
        .zip(rec.iter())
        .map(|((c, t), cell)| (c.clone(), cell_value(cell, *t)))
        .collect();
    Value::Object(row)
}

/// A CSV's columns, and its records as row objects one at a time: what
/// the workbook is written from, so that `--xlsx` of a long run never holds
/// a table whole.
pub fn typed_rows(
    bytes: &[u8],
) -> io::Result<(Vec<String>, impl Iterator<Item = io::Result<Value>> + '_)> {
    let (columns, types) = columns_and_types(bytes)?;
    let names = columns.clone();
    let rows = csv::Reader::from_reader(bytes)
        .into_records()
        .map(move |rec| {
            let rec = rec.map_err(io::Error::other)?;
            Ok(row(&names, &types, &rec))
        });
    Ok((columns, rows))
}

/// One CSV as a table object.
pub fn table(file: &str, bytes: &[u8]) -> io::Result<Value> {
    let (columns, rows) = typed_rows(bytes)?;
    let rows: Vec<Value> = rows.collect::<io::Result<_>>()?;
    let name = file.strip_suffix(".csv").unwrap_or(file);
    Ok(json!({ "name": name, "file": file, "columns": columns, "rows": rows }))
}

/// The document: `metadata` is metadata.json's object; `csvs` the CSV
/// files (but metadata.csv, which `metadata` holds) in the order written.
pub fn document(metadata: Value, csvs: &[(String, Vec<u8>)]) -> io::Result<Value> {
    let tables = csvs
        .iter()
        .filter(|(name, _)| name != "metadata.csv")
        .map(|(name, bytes)| table(name, bytes))
        .collect::<io::Result<Vec<_>>>()?;
    let command = metadata.get("command").cloned().unwrap_or(Value::Null);
    Ok(json!({
        "schema_version": SCHEMA_VERSION,
        "tool": env!("CARGO_PKG_NAME"),
        "tool_version": env!("CARGO_PKG_VERSION"),
        "command": command,
        "metadata": metadata,
        "tables": tables,
    }))
}

/// Writes the document, indented, ending with a newline.
pub fn write_document(out: &mut dyn Write, doc: &Value) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, doc).map_err(io::Error::other)?;
    writeln!(out)
}

/// Writes the same bytes as [`write_document`] of [`document`]`(metadata,
/// csvs)`, a row at a time: the document of a long run (1,200 months of
/// histograms) is hundreds of megabytes as JSON and ten times that as a
/// `Value`, so `--json` alone never builds it. Each piece is serde_json's
/// own pretty form, indented to its depth.
pub fn write_streaming(
    out: &mut dyn Write,
    metadata: &Value,
    csvs: &[(String, Vec<u8>)],
) -> io::Result<()> {
    let head = json!({
        "schema_version": SCHEMA_VERSION,
        "tool": env!("CARGO_PKG_NAME"),
        "tool_version": env!("CARGO_PKG_VERSION"),
        "command": metadata.get("command").cloned().unwrap_or(Value::Null),
        "metadata": metadata,
    });
    out.write_all(b"{\n")?;
    for (key, value) in head.as_object().expect("an object") {
        write!(out, "  {}: ", Value::from(key.as_str()))?;
        pretty_at(out, value, 1)?;
        out.write_all(b",\n")?;
    }
    out.write_all(b"  \"tables\": ")?;
    let tables: Vec<&(String, Vec<u8>)> = csvs
        .iter()
        .filter(|(name, _)| name != "metadata.csv")
        .collect();
    if tables.is_empty() {
        out.write_all(b"[]")?;
    } else {
        out.write_all(b"[\n")?;
        for (i, (file, bytes)) in tables.iter().enumerate() {
            out.write_all(b"    ")?;
            stream_table(out, file, bytes)?;
            out.write_all(if i + 1 < tables.len() { b",\n" } else { b"\n" })?;
        }
        out.write_all(b"  ]")?;
    }
    out.write_all(b"\n}\n")
}

/// `value` in serde_json's pretty form, its lines after the first indented
/// by `depth` levels of two spaces (the first follows the key).
fn pretty_at(out: &mut dyn Write, value: &Value, depth: usize) -> io::Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(io::Error::other)?;
    let pad = "  ".repeat(depth);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            write!(out, "\n{pad}")?;
        }
        out.write_all(line.as_bytes())?;
    }
    Ok(())
}

/// One table object at depth 2, its rows one at a time.
fn stream_table(out: &mut dyn Write, file: &str, bytes: &[u8]) -> io::Result<()> {
    let (columns, types) = columns_and_types(bytes)?;
    let name = file.strip_suffix(".csv").unwrap_or(file);
    write!(out, "{{\n      \"name\": {},\n", Value::from(name))?;
    writeln!(out, "      \"file\": {},", Value::from(file))?;
    out.write_all(b"      \"columns\": ")?;
    pretty_at(out, &json!(columns), 3)?;
    out.write_all(b",\n      \"rows\": ")?;
    let mut r = csv::Reader::from_reader(bytes);
    let mut first = true;
    for rec in r.records() {
        let rec = rec.map_err(io::Error::other)?;
        out.write_all(if first {
            b"[\n        "
        } else {
            b",\n        "
        })?;
        pretty_at(out, &row(&columns, &types, &rec), 4)?;
        first = false;
    }
    out.write_all(if first { b"[]" } else { b"\n      ]" })?;
    out.write_all(b"\n    }")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_whole_number_written_with_a_zero_fraction_is_an_integer() {
        let t = table("c.csv", b"cost,value\n900.0,0.5\n-2.00,2.5\n").unwrap();
        assert_eq!(t["rows"][0]["cost"], json!(900));
        assert_eq!(t["rows"][1]["cost"], json!(-2.0));
        assert_eq!(t["rows"][0]["value"], json!(0.5));
        assert!(t["rows"][1]["value"].is_f64());
    }

    #[test]
    fn columns_are_typed_as_a_whole_and_empty_cells_are_null() {
        let csv = "cycle,month,ran_out,partial,sd,name\n\
                   1,Jan 2026,0.25,true,,7\n\
                   2,Feb 2026,1,false,0.5,a\n";
        let t = table("monthly.csv", csv.as_bytes()).unwrap();
        assert_eq!(t["name"], "monthly");
        assert_eq!(t["columns"][1], "month");
        let rows = t["rows"].as_array().unwrap();
        assert_eq!(rows[0]["cycle"], 1);
        assert_eq!(rows[0]["ran_out"], 0.25);
        assert_eq!(rows[1]["ran_out"], 1);
        assert_eq!(rows[0]["partial"], true);
        assert!(rows[0]["sd"].is_null());
        assert_eq!(rows[1]["sd"], 0.5);
        // "7" in a column of text stays text.
        assert_eq!(rows[0]["name"], "7");
        assert_eq!(rows[0]["month"], "Jan 2026");
    }

    #[test]
    fn names_stay_text_even_when_every_one_looks_like_a_number_or_a_flag() {
        let csv = "option,scenario,file,plan_id,trials,monthly_cost\n\
                   A,007,007.toml,true,20,119.99\n\
                   B,1e5,1e5.toml,false,20,59.99\n";
        let t = table("options.csv", csv.as_bytes()).unwrap();
        let rows = t["rows"].as_array().unwrap();
        assert_eq!(rows[0]["scenario"], "007");
        assert_eq!(rows[1]["scenario"], "1e5");
        assert_eq!(rows[0]["plan_id"], "true");
        assert_eq!(rows[1]["plan_id"], "false");
        assert_eq!(rows[0]["trials"], 20);
        assert_eq!(rows[1]["monthly_cost"], 59.99);
    }

    #[test]
    fn only_numbers_as_the_tool_writes_them_are_numbers() {
        for n in [
            "0",
            "7",
            "-2",
            "0.25",
            "119.99",
            "18446744073709551615",
            "4.166666666666666e-6",
            "1e16",
            "-3.5e-7",
        ] {
            assert!(is_written_number(n), "{n}");
        }
        for t in [
            "007", "1e+5", "1e", "e5", "1e-", "1e5.5", "inf", "NaN", "", "-", "1.", ".5", " 5",
            "+5",
        ] {
            assert!(!is_written_number(t), "{t}");
        }
        // solve.csv's column of chances, small ones in the csv crate's
        // exponent form: numbers throughout.
        let t = table("solve.csv", b"mean\n0.0\n4.166666666666666e-6\n").unwrap();
        assert!(t["rows"][0]["mean"].is_number(), "{t}");
        assert_eq!(t["rows"][1]["mean"].as_f64(), Some(4.166666666666666e-6));
        // In a column nobody declared, a name such as 007 is text.
        let t = table("x.csv", b"label\n007\n12\n").unwrap();
        assert_eq!(t["rows"][0]["label"], "007");
        assert_eq!(t["rows"][1]["label"], "12");
    }

    #[test]
    fn the_streamed_document_is_byte_for_byte_the_built_one() {
        let csvs = vec![
            (
                "monthly.csv".to_string(),
                "cycle,month,ran_out,partial,sd,name\n1,Jan 2026,0.25,true,,7\n\
                 2,Feb 2026,1,false,0.5,a\n3,\"Mar, 2026\",1e-3,true,x,\"q\"\"\"\n"
                    .as_bytes()
                    .to_vec(),
            ),
            ("empty.csv".to_string(), b"a,b\n".to_vec()),
            ("metadata.csv".to_string(), b"key,value\nseed,1\n".to_vec()),
            ("one.csv".to_string(), b"x\n-2\n".to_vec()),
        ];
        let metadata = json!({"command": "run", "seed": 1, "nested": {"a": [1, 2], "e": []}});
        let mut built = Vec::new();
        write_document(&mut built, &document(metadata.clone(), &csvs).unwrap()).unwrap();
        let mut streamed = Vec::new();
        write_streaming(&mut streamed, &metadata, &csvs).unwrap();
        assert_eq!(
            String::from_utf8(streamed).unwrap(),
            String::from_utf8(built).unwrap()
        );
        // No tables at all.
        let (mut built, mut streamed) = (Vec::new(), Vec::new());
        write_document(&mut built, &document(json!({}), &[]).unwrap()).unwrap();
        write_streaming(&mut streamed, &json!({}), &[]).unwrap();
        assert_eq!(streamed, built);
    }

    #[test]
    fn the_document_leaves_metadata_csv_to_the_metadata_object() {
        let csvs = vec![
            ("summary.csv".to_string(), b"a\n1\n".to_vec()),
            ("metadata.csv".to_string(), b"key,value\nseed,1\n".to_vec()),
        ];
        let doc = document(json!({"command": "run", "seed": 1}), &csvs).unwrap();
        assert_eq!(doc["schema_version"], SCHEMA_VERSION);
        assert_eq!(doc["command"], "run");
        assert_eq!(doc["metadata"]["seed"], 1);
        let tables = doc["tables"].as_array().unwrap();
        assert_eq!(tables.len(), 1);
        assert_eq!(tables[0]["file"], "summary.csv");
    }
}
