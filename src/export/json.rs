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
//! A column whose every non-empty cell is a finite number holds numbers,
//! one of only `true`/`false` holds booleans, any other holds strings; an
//! empty cell is `null`. Rows are objects, so `columns` keeps the order.

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

fn column_type<'a>(cells: impl Iterator<Item = &'a str>) -> ColumnType {
    let mut t = None;
    for cell in cells.filter(|c| !c.is_empty()) {
        let this = if cell.parse::<f64>().is_ok_and(f64::is_finite) {
            ColumnType::Number
        } else if cell == "true" || cell == "false" {
            ColumnType::Bool
        } else {
            ColumnType::Text
        };
        match t {
            None => t = Some(this),
            Some(prev) if prev != this => return ColumnType::Text,
            _ => {}
        }
    }
    t.unwrap_or(ColumnType::Text)
}

fn cell_value(cell: &str, t: ColumnType) -> Value {
    if cell.is_empty() {
        return Value::Null;
    }
    match t {
        ColumnType::Number => {
            // Whole numbers stay integers (a seed, a count); else f64.
            if let Ok(n) = cell.parse::<i64>() {
                return Value::from(n);
            }
            cell.parse::<f64>().map_or(Value::Null, Value::from)
        }
        ColumnType::Bool => Value::Bool(cell == "true"),
        ColumnType::Text => Value::String(cell.to_string()),
    }
}

/// A CSV's columns and their types, from one pass over its records.
fn columns_and_types(bytes: &[u8]) -> io::Result<(Vec<String>, Vec<ColumnType>)> {
    let mut r = csv::Reader::from_reader(bytes);
    let columns: Vec<String> = r
        .headers()
        .map_err(io::Error::other)?
        .iter()
        .map(String::from)
        .collect();
    // Column by column, as `column_type` reads them, without holding the
    // records: each column's type so far, folded record by record.
    let mut seen: Vec<Option<ColumnType>> = vec![None; columns.len()];
    let mut mixed = vec![false; columns.len()];
    for rec in r.records() {
        let rec = rec.map_err(io::Error::other)?;
        for (i, cell) in (0..columns.len()).map(|i| (i, rec.get(i).unwrap_or(""))) {
            if mixed[i] || cell.is_empty() {
                continue;
            }
            let this = column_type(std::iter::once(cell));
            match seen[i] {
                None => seen[i] = Some(this),
                Some(prev) if prev != this => mixed[i] = true,
                _ => {}
            }
        }
    }
    let types = seen
        .iter()
        .zip(&mixed)
        .map(|(t, &m)| {
            if m {
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

/// One CSV as a table object.
pub fn table(file: &str, bytes: &[u8]) -> io::Result<Value> {
    let (columns, types) = columns_and_types(bytes)?;
    let rows: Vec<Value> = csv::Reader::from_reader(bytes)
        .records()
        .map(|rec| {
            let rec = rec.map_err(io::Error::other)?;
            Ok(row(&columns, &types, &rec))
        })
        .collect::<io::Result<_>>()?;
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
