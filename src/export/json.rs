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

/// One CSV as a table object.
pub fn table(file: &str, bytes: &[u8]) -> io::Result<Value> {
    let mut r = csv::Reader::from_reader(bytes);
    let columns: Vec<String> = r
        .headers()
        .map_err(io::Error::other)?
        .iter()
        .map(String::from)
        .collect();
    let records: Vec<csv::StringRecord> = r
        .records()
        .collect::<Result<_, _>>()
        .map_err(io::Error::other)?;
    let types: Vec<ColumnType> = (0..columns.len())
        .map(|i| column_type(records.iter().map(|rec| rec.get(i).unwrap_or(""))))
        .collect();
    let rows: Vec<Value> = records
        .iter()
        .map(|rec| {
            let row: Map<String, Value> = columns
                .iter()
                .zip(&types)
                .zip(rec.iter())
                .map(|((c, t), cell)| (c.clone(), cell_value(cell, *t)))
                .collect();
            Value::Object(row)
        })
        .collect();
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
