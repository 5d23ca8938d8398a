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
use std::io;

/// The sheets shown first, when the command wrote them: what people look at.
const FIRST: [&str; 4] = ["monthly", "options", "sweep_wide", "sensitivity"];

/// How a column's numbers are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Look {
    /// A chance or share from 0 to 1, as a percent ([`Formats::chance`]).
    Chance,
    Dollars,
    Date,
    Plain,
}

/// From the column's name (docs/outputs.md gives each column's unit).
fn look(column: &str) -> Look {
    const CHANCES: [&str; 8] = [
        "share",
        "cumulative_share",
        "a_cheaper",
        "a_cheaper_ci95_low",
        "a_cheaper_ci95_high",
        "b_cheaper",
        "tie",
        // recommend's: the chance that a candidate's verdict is right.
        "confidence",
    ];
    if column.starts_with("period_") {
        Look::Date
    } else if column.starts_with("ran_out") || CHANCES.contains(&column) {
        Look::Chance
    } else if column.starts_with("cost")
        || column.starts_with("monthly_cost")
        || column == "committed_cost_difference"
        || column == "unpaired_ci95_half_width"
    {
        Look::Dollars
    } else {
        Look::Plain
    }
}

/// The columns of `table` that hold a statistic in the unit their row
/// names: a chance in summary.csv's `exhausted` rows (unit `yes=1`), in
/// solve.csv's and solve_answer.csv's rows of `stat` `exhausted` and in
/// precision.csv's rows of unit `share`. summary.csv's `sd` and quantiles
/// stay plain (the quantiles of a yes/no metric are 0 or 1, a trial's
/// outcome rather than a chance), as do solve_answer.csv's `answer` and its
/// interval (values of the parameter).
fn row_unit_columns(table: &str) -> &'static [&'static str] {
    match table {
        "summary" | "summary_horizon" | "solve" => &["mean", "se", "ci95_low", "ci95_high"],
        "solve_answer" => &["target"],
        "precision" => &["target", "achieved"],
        _ => &[],
    }
}

/// The columns of `table` that hold a sum of money where the row's unit
/// is dollars (`usd`, `usd_per_month`, or solve's `cost`): in summary.csv
/// every statistic, quantiles included (a cost's quantile is a cost), and
/// a cost's value in the histograms.
fn row_money_columns(table: &str) -> &'static [&'static str] {
    match table {
        "summary" | "summary_horizon" => &[
            "mean",
            "sd",
            "se",
            "ci95_low",
            "ci95_high",
            "p5",
            "p25",
            "p50",
            "p75",
            "p95",
            "min",
            "max",
        ],
        "histograms" | "histograms_horizon" => &["value"],
        "solve" => &["mean", "se", "ci95_low", "ci95_high"],
        "solve_answer" => &["target"],
        "precision" => &["target", "achieved"],
        _ => &[],
    }
}

/// Whether the row says its statistics are chances.
fn row_of_chances(row: &Value) -> bool {
    matches!(row["unit"].as_str(), Some("yes=1" | "share"))
        || row["stat"].as_str() == Some("exhausted")
}

/// Whether the row says its statistics are dollars.
fn row_of_money(row: &Value) -> bool {
    matches!(row["unit"].as_str(), Some("usd" | "usd_per_month"))
        || row["stat"].as_str() == Some("cost")
}

/// How a parameter's values are shown, by the key's kind (`sweep::KEYS`,
/// the keys of `--param`, `--set` and the sensitivity inputs): dollars for
/// money, a percent for a share or the rate's centre, else `None`.
fn key_look(key: &str) -> Option<Look> {
    use crate::sweep::Kind;
    match crate::sweep::KEYS.iter().find(|k| k.path == key)?.kind {
        Kind::Money => Some(Look::Dollars),
        Kind::Share | Kind::RateCentre => Some(Look::Chance),
        _ => None,
    }
}

/// The look of `column` of `table` when it holds a value of the parameter
/// its row (or, in sweep_wide, the column itself) names: a solve for
/// `addons.price` in dollars, a sweep over `response.rate` in percent, the
/// add-on price's swing in dollars.
fn parameter_look(table: &str, column: &str, row: &Value) -> Option<Look> {
    let key = |k: &str| row[k].as_str().and_then(key_look);
    match (table, column) {
        ("solve", "value") => key("param"),
        ("solve_answer", "answer" | "ci95_low" | "ci95_high" | "range_low" | "range_high") => {
            key("param")
        }
        ("sweep" | "sweep_pairs", "value_1") => key("param_1"),
        ("sweep" | "sweep_pairs", "value_2") => key("param_2"),
        ("sweep_wide", c) => key_look(c),
        ("breakeven", "break_even" | "break_even_low" | "break_even_high") => key("param"),
        ("sensitivity", "centre_value" | "low_value" | "high_value") => key("input"),
        _ => None,
    }
}

/// The look of one cell of `table`: its column's, or for a column of
/// [`row_unit_columns`] or [`row_money_columns`] the unit its row names,
/// or a parameter's value ([`parameter_look`]).
fn cell_look(table: &str, column: &str, row: &Value) -> Look {
    if let Some(look) = parameter_look(table, column, row) {
        return look;
    }
    match look(column) {
        Look::Plain if row_unit_columns(table).contains(&column) && row_of_chances(row) => {
            Look::Chance
        }
        Look::Plain if row_money_columns(table).contains(&column) && row_of_money(row) => {
            Look::Dollars
        }
        other => other,
    }
}

/// Metadata keys whose values are chances (recommend's limit, sensitivity's
/// chance at the centre).
const CHANCE_KEYS: [&str; 2] = ["max_risk", "centre_ran_out"];

/// The most decimals a chance's percent is shown with: a chance of 10⁻²²
/// still shows (no run has the 10²² trial-months that could estimate one).
const MOST_CHANCE_DECIMALS: usize = 20;

/// The decimals of the percent a chance is shown with: two (4.96%), and
/// for a chance within 0.1 points of 0% or of 100% but not at it, enough to
/// show two significant digits of its distance from there (0.0056%,
/// 99.9960%): a small chance never reads 0.00%, a near-certain one never
/// 100.00%. The cell keeps the exact value.
fn chance_decimals(x: f64) -> usize {
    let gap = x.abs().min((1.0 - x).abs()) * 100.0;
    if !(gap > 0.0 && gap < 0.1) {
        return 2;
    }
    // The decimal place of the gap's first significant digit, then one more.
    let first = (-gap.log10()).ceil() as usize;
    (first + 1).clamp(2, MOST_CHANCE_DECIMALS)
}

/// The rows a sheet holds, its header included (Excel's limit).
const SHEET_ROWS: u32 = 1_048_576;

/// Builds the workbook from the `--json` document's parts: metadata.json's
/// object and the CSVs (their cells typed as in the document,
/// `json::typed_rows`). Each sheet streams its rows to a temporary file
/// (rust_xlsxwriter's low-memory mode), so memory stays flat however long
/// the tables; a table longer than a sheet goes on in `name (2)`, `name
/// (3)`…, each with the header, rather than failing the run after it ran.
pub fn workbook(metadata: &Value, csvs: &[(String, Vec<u8>)]) -> Result<Vec<u8>, XlsxError> {
    workbook_in_sheets_of(metadata, csvs, SHEET_ROWS)
}

/// Every sheet opens a temporary file, and the library panics where one
/// cannot be made: asked before the run (and again before the workbook),
/// for an error that says what is wrong.
pub fn check_temp_folder() -> io::Result<()> {
    tempfile::tempfile().map(drop).map_err(|e| {
        io::Error::new(
            e.kind(),
            format!(
                "it needs a writable folder for temporary files ({}, set by TMPDIR): {e}",
                std::env::temp_dir().display()
            ),
        )
    })
}

fn workbook_in_sheets_of(
    metadata: &Value,
    csvs: &[(String, Vec<u8>)],
    sheet_rows: u32,
) -> Result<Vec<u8>, XlsxError> {
    check_temp_folder().map_err(XlsxError::IoError)?;
    let mut book = Workbook::new();
    // A fixed creation time: the same run gives the same bytes.
    let epoch = ExcelDateTime::from_ymd(1980, 1, 1)?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&epoch));
    let tables: Vec<(&str, &[u8])> = csvs
        .iter()
        .filter(|(file, _)| file != "metadata.csv")
        .map(|(file, bytes)| (file.strip_suffix(".csv").unwrap_or(file), bytes.as_slice()))
        .collect();
    let mut ordered: Vec<(&str, &[u8])> = FIRST
        .iter()
        .filter_map(|n| tables.iter().find(|(name, _)| name == n).copied())
        .collect();
    ordered.extend(tables.iter().filter(|(name, _)| !FIRST.contains(name)));
    let break_even = break_even_words(&tables)?;
    let formats = Formats::new();
    for (name, bytes) in ordered {
        let (columns, rows) = crate::export::json::typed_rows(bytes)?;
        let first_rows = write_table(&mut book, name, &columns, rows, &formats, sheet_rows)?;
        add_chart(
            book.worksheet_from_name(name)?,
            name,
            &columns,
            first_rows,
            &break_even,
        )?;
    }
    write_metadata(book.add_worksheet(), metadata, &formats)?;
    book.save_to_buffer()
}

/// The cell formats, made once for the workbook.
struct Formats {
    bold: Format,
    /// `0.00%`, `0.000%`, … : `chances[d - 2]` shows `d` decimals
    /// ([`chance_decimals`]).
    chances: Vec<Format>,
    dollars: Format,
    date: Format,
    // Other numbers: whole ones with thousands separators, means to at
    // most three decimals (the cell keeps the full value).
    whole: Format,
    decimal: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            bold: Format::new().set_bold(),
            chances: (2..=MOST_CHANCE_DECIMALS)
                .map(|d| Format::new().set_num_format(format!("0.{}%", "0".repeat(d))))
                .collect(),
            dollars: Format::new().set_num_format("$#,##0.00"),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            whole: Format::new().set_num_format("#,##0"),
            decimal: Format::new().set_num_format("#,##0.0##"),
        }
    }

    /// The one format of every chance in the workbook, by its value.
    fn chance(&self, x: f64) -> &Format {
        &self.chances[chance_decimals(x) - 2]
    }
}

/// A table as one sheet, or as many as its rows need: each with the header
/// in bold, frozen, then rows, numbers as numbers. Returns the rows of the
/// first sheet (its chart's).
fn write_table(
    book: &mut Workbook,
    name: &str,
    columns: &[String],
    rows: impl Iterator<Item = io::Result<Value>>,
    formats: &Formats,
    sheet_rows: u32,
) -> Result<u32, XlsxError> {
    let mut rows = rows.peekable();
    let mut first_rows = None;
    for part in 1u32.. {
        let sheet = book.add_worksheet_with_low_memory();
        sheet.set_name(if part == 1 {
            name.to_string()
        } else {
            format!("{name} ({part})")
        })?;
        let mut widths: Vec<usize> = columns.iter().map(|n| n.chars().count()).collect();
        for (c, column) in columns.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, column, &formats.bold)?;
        }
        let mut r = 1;
        while r < sheet_rows {
            let Some(row) = rows.next() else { break };
            write_row(sheet, r, name, columns, &row?, formats, &mut widths)?;
            r += 1;
        }
        sheet.set_freeze_panes(1, 0)?;
        set_widths(sheet, &widths)?;
        first_rows.get_or_insert(r - 1);
        if rows.peek().is_none() {
            break;
        }
    }
    Ok(first_rows.unwrap_or(0))
}

/// One row's cells of `table`, each as its column's look; widens `widths` to fit.
fn write_row(
    sheet: &mut Worksheet,
    r: u32,
    table: &str,
    columns: &[String],
    row: &Value,
    formats: &Formats,
    widths: &mut [usize],
) -> Result<(), XlsxError> {
    for (c, name) in columns.iter().enumerate() {
        let cell = &row[name.as_str()];
        widths[c] = widths[c].max(shown_width(cell));
        let c = c as u16;
        match (cell, cell_look(table, name, row)) {
            (Value::Number(n), Look::Chance) => {
                let x = n.as_f64().unwrap_or(0.0);
                sheet.write_number_with_format(r, c, x, formats.chance(x))?
            }
            (Value::Number(n), Look::Dollars) => {
                sheet.write_number_with_format(r, c, n.as_f64().unwrap_or(0.0), &formats.dollars)?
            }
            (Value::Number(n), _) => {
                let x = n.as_f64().unwrap_or(0.0);
                let format = if x.fract() == 0.0 {
                    &formats.whole
                } else {
                    &formats.decimal
                };
                sheet.write_number_with_format(r, c, x, format)?
            }
            (Value::String(s), Look::Date) => match date(s) {
                Some(d) => sheet.write_datetime_with_format(r, c, &d, &formats.date)?,
                None => sheet.write_string(r, c, cell_text(s))?,
            },
            (Value::String(s), _) => sheet.write_string(r, c, cell_text(s))?,
            (Value::Bool(b), _) => sheet.write_boolean(r, c, *b)?,
            _ => sheet,
        };
    }
    Ok(())
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

/// The metadata as `key`, `value` rows, typed as metadata.json types them
/// (numbers, `true`/`false` as booleans), dates (`start_date`) as dates and
/// chances (`max_risk`, `centre_ran_out`) as percents, as in the tables.
fn write_metadata(
    sheet: &mut Worksheet,
    metadata: &Value,
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name("metadata")?;
    sheet.write_string_with_format(0, 0, "key", &formats.bold)?;
    sheet.write_string_with_format(0, 1, "value", &formats.bold)?;
    if let Some(map) = metadata.as_object() {
        for (r, (key, value)) in map.iter().enumerate() {
            let r = r as u32 + 1;
            sheet.write_string(r, 0, key)?;
            match value {
                Value::Number(n) if CHANCE_KEYS.contains(&key.as_str()) => {
                    let x = n.as_f64().unwrap_or(0.0);
                    sheet.write_number_with_format(r, 1, x, formats.chance(x))?
                }
                Value::Number(n) => sheet.write_number(r, 1, n.as_f64().unwrap_or(0.0))?,
                Value::String(s) => match date(s).filter(|_| key.ends_with("date")) {
                    Some(d) => sheet.write_datetime_with_format(r, 1, &d, &formats.date)?,
                    None => sheet.write_string(r, 1, cell_text(s))?,
                },
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
fn break_even_words(tables: &[(&str, &[u8])]) -> Result<String, XlsxError> {
    let Some((_, bytes)) = tables.iter().find(|(name, _)| *name == "breakeven") else {
        return Ok(String::new());
    };
    let (_, rows) = crate::export::json::typed_rows(bytes)?;
    let mut words = String::new();
    for r in rows {
        let r = r?;
        if !r["other_value"].is_null() {
            continue;
        }
        if let (Some(at), Some(a), Some(b)) = (
            r["break_even"].as_f64(),
            r["option_a"].as_str(),
            r["option_b"].as_str(),
        ) {
            words.push_str(&format!(", break-even {a}–{b} at {at:.3}"));
        }
    }
    Ok(words)
}

/// The native chart of the sheets that have one.
fn add_chart(
    sheet: &mut Worksheet,
    name: &str,
    columns: &[String],
    rows: u32,
    break_even: &str,
) -> Result<(), XlsxError> {
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
            chart.x_axis().set_name(&columns[0]);
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
    fn a_table_longer_than_a_sheet_goes_on_in_numbered_sheets_each_with_the_header() {
        use calamine::{Data, Reader, Xlsx};
        let csvs = vec![
            (
                "histograms.csv".to_string(),
                b"cycle,value\n1,10\n1,11\n2,12\n2,13\n3,14\n".to_vec(),
            ),
            ("metadata.csv".to_string(), b"key,value\nseed,1\n".to_vec()),
        ];
        let metadata = serde_json::json!({"command": "run", "seed": 1});
        // Sheets of three rows: the header and two of the table's.
        let bytes = workbook_in_sheets_of(&metadata, &csvs, 3).unwrap();
        let mut book = Xlsx::new(io::Cursor::new(bytes)).unwrap();
        let names = book.sheet_names();
        assert_eq!(
            names,
            ["histograms", "histograms (2)", "histograms (3)", "metadata"]
        );
        let mut values = Vec::new();
        for name in &names[..3] {
            let range = book.worksheet_range(name).unwrap();
            let mut rows = range.rows();
            let header: Vec<String> = rows.next().unwrap().iter().map(|c| c.to_string()).collect();
            assert_eq!(header, ["cycle", "value"], "{name}");
            for row in rows {
                assert!(range.height() <= 3, "{name}");
                match row[1] {
                    Data::Float(x) => values.push(x),
                    ref other => panic!("{name}: {other:?}"),
                }
            }
        }
        assert_eq!(values, [10.0, 11.0, 12.0, 13.0, 14.0]);
    }

    /// What Excel shows for `x` in `0.<d zeros>%`.
    fn shown_as_percent(x: f64) -> String {
        format!("{:.*}%", chance_decimals(x), x * 100.0)
    }

    #[test]
    fn a_chance_shows_as_a_percent_and_a_small_or_near_certain_one_never_as_0_or_100() {
        assert_eq!(shown_as_percent(0.0496), "4.96%");
        assert_eq!(shown_as_percent(0.05), "5.00%");
        assert_eq!(shown_as_percent(0.0), "0.00%");
        assert_eq!(shown_as_percent(1.0), "100.00%");
        assert_eq!(shown_as_percent(0.0012), "0.12%");
        assert_eq!(shown_as_percent(0.000056), "0.0056%");
        assert_eq!(shown_as_percent(0.00099), "0.099%");
        assert_eq!(shown_as_percent(4.166666666666666e-6), "0.00042%");
        assert_eq!(shown_as_percent(3e-12), "0.00000000030%");
        assert_eq!(shown_as_percent(0.99996), "99.9960%");
        // A swing of a chance may be negative.
        assert_eq!(shown_as_percent(-0.000031), "-0.0031%");
        assert_eq!(shown_as_percent(-0.25), "-25.00%");
        for x in [1e-300, f64::MIN_POSITIVE, 1.0 - f64::EPSILON] {
            assert!(chance_decimals(x) <= MOST_CHANCE_DECIMALS, "{x}");
        }
        let formats = Formats::new();
        assert_eq!(formats.chances.len(), MOST_CHANCE_DECIMALS - 1);
    }

    #[test]
    fn a_statistic_is_a_chance_where_its_row_says_so_and_a_parameter_value_never_is() {
        let exhausted = serde_json::json!({"metric": "exhausted", "unit": "yes=1"});
        let blocked = serde_json::json!({"metric": "blocked", "unit": "inmails"});
        assert_eq!(cell_look("summary", "mean", &exhausted), Look::Chance);
        assert_eq!(cell_look("summary", "ci95_high", &exhausted), Look::Chance);
        assert_eq!(cell_look("summary", "p50", &exhausted), Look::Plain);
        assert_eq!(cell_look("summary", "mean", &blocked), Look::Plain);
        let solved = serde_json::json!({"stat": "exhausted"});
        assert_eq!(cell_look("solve", "mean", &solved), Look::Chance);
        assert_eq!(cell_look("solve", "value", &solved), Look::Plain);
        assert_eq!(cell_look("solve_answer", "target", &solved), Look::Chance);
        // The answer's interval is in the parameter's unit.
        assert_eq!(cell_look("solve_answer", "ci95_low", &solved), Look::Plain);
        let cost = serde_json::json!({"stat": "cost"});
        assert_eq!(cell_look("solve", "mean", &cost), Look::Dollars);
        assert_eq!(cell_look("solve", "value", &cost), Look::Plain);
        assert_eq!(cell_look("solve_answer", "ci95_low", &cost), Look::Plain);
        // A cost's every statistic is in dollars, its count of trials not.
        let money = serde_json::json!({"metric": "total_cost", "unit": "usd"});
        assert_eq!(cell_look("summary", "p95", &money), Look::Dollars);
        assert_eq!(cell_look("summary", "n", &money), Look::Plain);
        assert_eq!(cell_look("histograms", "value", &money), Look::Dollars);
        assert_eq!(cell_look("histograms", "count", &money), Look::Plain);
        assert_eq!(cell_look("histograms", "value", &blocked), Look::Plain);
        // A money parameter's values are dollars; another's are not.
        let price = serde_json::json!({"param": "addons.price", "param_1": "plan.price_annual"});
        assert_eq!(cell_look("solve", "value", &price), Look::Dollars);
        assert_eq!(cell_look("solve_answer", "ci95_low", &price), Look::Dollars);
        assert_eq!(cell_look("sweep", "value_1", &price), Look::Dollars);
        assert_eq!(
            cell_look("sweep_wide", "plan.price_annual", &price),
            Look::Dollars
        );
        assert_eq!(
            cell_look("sweep_wide", "demand.per_week", &price),
            Look::Plain
        );
        let volume = serde_json::json!({"param": "demand.per_week", "input": "addons.price"});
        assert_eq!(cell_look("solve", "value", &volume), Look::Plain);
        assert_eq!(
            cell_look("sensitivity", "low_value", &volume),
            Look::Dollars
        );
        // A share's values in percent (0.0001 is not "0.0").
        let rate = serde_json::json!({"param_1": "response.rate", "input": "open_profile.share"});
        assert_eq!(cell_look("sweep", "value_1", &rate), Look::Chance);
        assert_eq!(
            cell_look("sweep_wide", "response.rate_center", &rate),
            Look::Chance
        );
        assert_eq!(
            cell_look("sensitivity", "centre_value", &rate),
            Look::Chance
        );
        let per_month = serde_json::json!({"quantity": "total_cost", "unit": "usd_per_month"});
        assert_eq!(cell_look("precision", "target", &per_month), Look::Dollars);
        let share = serde_json::json!({"quantity": "exhausted", "unit": "share"});
        assert_eq!(cell_look("precision", "achieved", &share), Look::Chance);
        assert_eq!(
            cell_look("candidates", "confidence", &blocked),
            Look::Chance
        );
    }

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
