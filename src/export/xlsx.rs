//! `--xlsx`: `results.xlsx`, every table of the command as a sheet (the
//! `--json` document's tables, so its cells are the CSVs'), with real
//! numbers and number formats (percent, dollars, dates), a frozen header
//! row, and native charts of what the SVGs show: the monthly chance of
//! running out, each option's monthly cost, the sweep's cost lines (the
//! break-even in the title). A `metadata` sheet comes last.
//!
//! Opt-in rather than written by default: a workbook of every histogram
//! takes as long to write as the CSVs themselves, most runs are read on the
//! terminal or in report.html, and a file nobody asked for would change
//! every folder's contents; the flag is one word when it is wanted.

use rust_xlsxwriter::{
    Chart, ChartType, DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError,
};
use serde_json::Value;

/// The sheets shown first, when the command wrote them: what people look at.
const FIRST: [&str; 4] = ["monthly", "options", "sweep_wide", "sensitivity"];

/// How a column's numbers are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Look {
    Percent,
    Dollars,
    Date,
    Plain,
}

/// From the column's name (docs/outputs.md gives each column's unit).
fn look(column: &str) -> Look {
    const SHARES: [&str; 7] = [
        "share",
        "cumulative_share",
        "a_cheaper",
        "a_cheaper_ci95_low",
        "a_cheaper_ci95_high",
        "b_cheaper",
        "tie",
    ];
    if column.starts_with("period_") {
        Look::Date
    } else if column.starts_with("ran_out") || SHARES.contains(&column) {
        Look::Percent
    } else if column.starts_with("cost")
        || column.starts_with("monthly_cost")
        || column == "unpaired_ci95_half_width"
    {
        Look::Dollars
    } else {
        Look::Plain
    }
}

/// Builds the workbook from a `--json` document.
pub fn workbook(doc: &Value) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    // A fixed creation time: the same run gives the same bytes.
    let epoch = ExcelDateTime::from_ymd(1980, 1, 1)?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&epoch));
    let empty = Vec::new();
    let tables = doc["tables"].as_array().unwrap_or(&empty);
    let mut ordered: Vec<&Value> = FIRST
        .iter()
        .filter_map(|n| tables.iter().find(|t| t["name"] == *n))
        .collect();
    let rest: Vec<&Value> = tables
        .iter()
        .filter(|t| !FIRST.iter().any(|n| t["name"] == *n))
        .collect();
    ordered.extend(rest);
    let break_even = break_even_words(tables);
    for table in ordered {
        let sheet = book.add_worksheet();
        write_table(sheet, table)?;
        add_chart(sheet, table, &break_even)?;
    }
    write_metadata(book.add_worksheet(), &doc["metadata"])?;
    book.save_to_buffer()
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// The header in bold, frozen; then the rows, numbers as numbers.
fn write_table(sheet: &mut Worksheet, table: &Value) -> Result<(), XlsxError> {
    sheet.set_name(table["name"].as_str().unwrap_or("table"))?;
    let columns = strings(&table["columns"]);
    let bold = Format::new().set_bold();
    let formats = [
        Format::new().set_num_format("0.0%"),
        Format::new().set_num_format("$#,##0.00"),
        Format::new().set_num_format("yyyy-mm-dd"),
        // Other numbers: whole ones with thousands separators, means to at
        // most three decimals (the cell keeps the full value).
        Format::new().set_num_format("#,##0"),
        Format::new().set_num_format("#,##0.0##"),
    ];
    let mut widths: Vec<usize> = columns.iter().map(|n| n.chars().count()).collect();
    for (c, name) in columns.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *name, &bold)?;
    }
    let empty = Vec::new();
    for (r, row) in table["rows"]
        .as_array()
        .unwrap_or(&empty)
        .iter()
        .enumerate()
    {
        let r = r as u32 + 1;
        for (c, name) in columns.iter().enumerate() {
            widths[c] = widths[c].max(shown_width(&row[*name]));
            let c = c as u16;
            match (&row[*name], look(name)) {
                (Value::Number(n), Look::Percent) => {
                    sheet.write_number_with_format(r, c, n.as_f64().unwrap_or(0.0), &formats[0])?
                }
                (Value::Number(n), Look::Dollars) => {
                    sheet.write_number_with_format(r, c, n.as_f64().unwrap_or(0.0), &formats[1])?
                }
                (Value::Number(n), _) => {
                    let x = n.as_f64().unwrap_or(0.0);
                    let format = if x.fract() == 0.0 {
                        &formats[3]
                    } else {
                        &formats[4]
                    };
                    sheet.write_number_with_format(r, c, x, format)?
                }
                (Value::String(s), Look::Date) => match date(s) {
                    Some(d) => sheet.write_datetime_with_format(r, c, &d, &formats[2])?,
                    None => sheet.write_string(r, c, cell_text(s))?,
                },
                (Value::String(s), _) => sheet.write_string(r, c, cell_text(s))?,
                (Value::Bool(b), _) => sheet.write_boolean(r, c, *b)?,
                _ => sheet,
            };
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    set_widths(sheet, &widths)
}

/// The most characters an Excel cell holds.
const CELL_MAX_CHARS: usize = 32_767;

/// A text cut to what a cell holds, `…` marking the cut: a scenario's
/// description may be any length (the CSVs and JSON keep it whole), and a
/// longer cell would fail the workbook after the run.
fn cell_text(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().nth(CELL_MAX_CHARS).is_none() {
        return std::borrow::Cow::Borrowed(s);
    }
    let kept = s.chars().take(CELL_MAX_CHARS - 1);
    std::borrow::Cow::Owned(kept.chain(std::iter::once('…')).collect())
}

/// The characters a cell shows (a number with up to 6 decimals).
fn shown_width(v: &Value) -> usize {
    match v {
        Value::String(s) => s.chars().count(),
        Value::Number(n) => n.to_string().len().min(10),
        Value::Bool(_) => 5,
        _ => 0,
    }
}

/// Column widths from the widest cell, with room for fonts wider than
/// Excel's Calibri (LibreOffice and gnumeric substitute their own): an
/// autofit from Calibri's metrics cuts headers off there.
fn set_widths(sheet: &mut Worksheet, widths: &[usize]) -> Result<(), XlsxError> {
    for (c, w) in widths.iter().enumerate() {
        let width = (*w as f64 * 1.3 + 2.0).min(60.0);
        sheet.set_column_width(c as u16, width)?;
    }
    Ok(())
}

fn date(text: &str) -> Option<ExcelDateTime> {
    let d = crate::calendar::Date::parse_iso(text)?;
    ExcelDateTime::from_ymd(d.year as u16, d.month as u8, d.day as u8).ok()
}

/// The metadata as `key`, `value` rows.
fn write_metadata(sheet: &mut Worksheet, metadata: &Value) -> Result<(), XlsxError> {
    sheet.set_name("metadata")?;
    let bold = Format::new().set_bold();
    sheet.write_string_with_format(0, 0, "key", &bold)?;
    sheet.write_string_with_format(0, 1, "value", &bold)?;
    if let Some(map) = metadata.as_object() {
        for (r, (key, value)) in map.iter().enumerate() {
            let r = r as u32 + 1;
            sheet.write_string(r, 0, key)?;
            match value {
                Value::Number(n) => sheet.write_number(r, 1, n.as_f64().unwrap_or(0.0))?,
                Value::String(s) => sheet.write_string(r, 1, cell_text(s))?,
                Value::Bool(b) => sheet.write_boolean(r, 1, *b)?,
                _ => sheet,
            };
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    let widest = |f: fn(&(&String, &Value)) -> usize| {
        metadata
            .as_object()
            .map_or(0, |m| m.iter().map(|kv| f(&kv)).max().unwrap_or(0))
    };
    set_widths(
        sheet,
        &[
            widest(|(k, _)| k.chars().count()),
            widest(|(_, v)| shown_width(v)),
        ],
    )
}

/// ", break-even A–B at 1.16" for each pair with one (first parameter).
fn break_even_words(tables: &[Value]) -> String {
    let Some(rows) = tables
        .iter()
        .find(|t| t["name"] == "breakeven")
        .and_then(|t| t["rows"].as_array())
    else {
        return String::new();
    };
    rows.iter()
        .filter(|r| r["other_value"].is_null())
        .filter_map(|r| {
            let at = r["break_even"].as_f64()?;
            let (a, b) = (r["option_a"].as_str()?, r["option_b"].as_str()?);
            Some(format!(", break-even {a}–{b} at {at:.3}"))
        })
        .collect()
}

/// The native chart of the sheets that have one.
fn add_chart(sheet: &mut Worksheet, table: &Value, break_even: &str) -> Result<(), XlsxError> {
    let name = table["name"].as_str().unwrap_or_default();
    let columns = strings(&table["columns"]);
    let rows = table["rows"].as_array().map_or(0, Vec::len) as u32;
    if rows == 0 {
        return Ok(());
    }
    let col = |c: &str| columns.iter().position(|x| *x == c).map(|i| i as u16);
    let at = columns.len() as u16 + 1;
    let chart = match name {
        "monthly" => {
            let (Some(x), Some(y)) = (col("period_start"), col("ran_out")) else {
                return Ok(());
            };
            let mut chart = Chart::new(ChartType::Column);
            chart
                .title()
                .set_name("Chance of running out, month by month");
            chart
                .add_series()
                .set_name("ran out")
                .set_categories((name, 1, x, rows, x))
                .set_values((name, 1, y, rows, y));
            // Each month at its first day, labelled "Jan 2026": a text
            // label like "Feb 2026" is read back as a date by some
            // spreadsheets, a real date is shown the same by all.
            chart
                .x_axis()
                .set_text_axis(true)
                .set_num_format("mmm yyyy");
            chart.y_axis().set_num_format("0%").set_min(0);
            chart.legend().set_hidden();
            chart
        }
        "options" => {
            let (Some(x), Some(y)) = (col("scenario"), col("monthly_cost")) else {
                return Ok(());
            };
            let mut chart = Chart::new(ChartType::Bar);
            chart.title().set_name("Monthly cost of each option");
            chart
                .add_series()
                .set_name("monthly cost")
                .set_categories((name, 1, x, rows, x))
                .set_values((name, 1, y, rows, y));
            // Bars start at $0: a cut axis would exaggerate the gap.
            chart.x_axis().set_num_format("$#,##0").set_min(0);
            chart.y_axis().set_text_axis(true);
            chart.legend().set_hidden();
            chart
        }
        "sweep_wide" => {
            let mut chart = Chart::new(ChartType::ScatterStraightWithMarkers);
            chart
                .title()
                .set_name(&format!("Monthly cost against {}{break_even}", columns[0]));
            for (c, column) in columns.iter().enumerate() {
                if let Some(option) = column.strip_prefix("monthly_cost_") {
                    let c = c as u16;
                    chart
                        .add_series()
                        .set_name(&format!("option {option}"))
                        .set_categories((name, 1, 0, rows, 0))
                        .set_values((name, 1, c, rows, c));
                }
            }
            chart.x_axis().set_name(columns[0]);
            chart
                .y_axis()
                .set_num_format("$#,##0")
                .set_name("dollars a month");
            chart
        }
        _ => return Ok(()),
    };
    sheet.insert_chart(1, at, &chart)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_longer_than_a_cell_holds_is_cut_to_the_limit_with_an_ellipsis() {
        let long = "é".repeat(40_000);
        let cut = cell_text(&long);
        assert_eq!(cut.chars().count(), CELL_MAX_CHARS);
        assert!(cut.ends_with('…'));
        let exact = "d".repeat(CELL_MAX_CHARS);
        assert_eq!(cell_text(&exact), exact.as_str());
    }
}
