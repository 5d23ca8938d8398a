//! Every CSV of every command opens in a plain CSV reader: header on line
//! 1, no comment lines, one type per column (issue 21). The provenance
//! (tool version, command, seed, each scenario file and its SHA-256,
//! trials, months) is in metadata.csv, and metadata.json beside it holds
//! the same rows as JSON. Checked against each other and against the
//! files' real hashes.

mod common;

use common::{csv_reader, succeed};
use inmail_sim::scenario::sha256_hex;
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn compare_set() -> Vec<PathBuf> {
    ["advanced", "core_addons"]
        .map(|n| {
            repo(&format!(
                "scenarios/compare/core_addons_vs_advanced/{n}.toml"
            ))
        })
        .to_vec()
}

/// metadata.csv's rows in order.
fn metadata_csv(dir: &Path) -> Vec<(String, String)> {
    let mut reader = csv_reader(&dir.join("metadata.csv"));
    assert_eq!(reader.headers().unwrap(), vec!["key", "value"]);
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_string(), r[1].to_string())
        })
        .collect()
}

fn metadata_json(dir: &Path) -> serde_json::Map<String, Value> {
    let text = fs::read_to_string(dir.join("metadata.json")).unwrap();
    match serde_json::from_str(&text) {
        Ok(Value::Object(map)) => map,
        other => panic!("metadata.json is not a JSON object: {other:?}\n{text}"),
    }
}

/// A JSON value as metadata.csv writes it; numbers are compared by value
/// (`1.250` in the CSV is `1.25` in JSON).
fn agrees(json: &Value, csv: &str) -> bool {
    match json {
        Value::String(s) => s == csv,
        Value::Bool(b) => b.to_string() == csv,
        Value::Null => csv.is_empty(),
        Value::Number(n) => match (n.as_u64(), n.as_f64()) {
            (Some(u), _) => u.to_string() == csv,
            (None, Some(f)) => csv.parse::<f64>() == Ok(f),
            _ => false,
        },
        _ => false,
    }
}

/// metadata.json has exactly metadata.csv's keys, each with the same value.
fn assert_json_agrees_with_csv(dir: &Path) {
    let csv = metadata_csv(dir);
    let json = metadata_json(dir);
    assert_eq!(json.len(), csv.len(), "a key is missing or repeated");
    for (key, value) in &csv {
        let j = json
            .get(key)
            .unwrap_or_else(|| panic!("{key} is not in metadata.json"));
        assert!(agrees(j, value), "{key}: csv {value:?}, json {j}");
    }
    // The JSON types what a reader computes with.
    assert!(json["trials"].is_u64() && json["seed"].is_u64(), "{json:?}");
    assert!(json["wall_time_seconds"].is_number(), "{json:?}");
}

/// The text of a metadata.json value.
fn text(json: &serde_json::Map<String, Value>, key: &str) -> String {
    match &json[key] {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// metadata.json names the tool version, the command, each scenario file
/// with its real SHA-256 (labelled like the options when there are
/// several) and each `--param`; returns its trials and months.
fn assert_provenance(dir: &Path, command: &str, files: &[PathBuf]) -> (String, String) {
    let json = metadata_json(dir);
    assert_eq!(text(&json, "tool"), "inmail-sim");
    assert_eq!(text(&json, "tool_version"), env!("CARGO_PKG_VERSION"));
    assert_eq!(text(&json, "command"), command);
    assert!(json["seed"].is_u64(), "{json:?}");
    for (i, file) in files.iter().enumerate() {
        let sha = sha256_hex(&fs::read(file).unwrap());
        let path = file.display().to_string();
        if files.len() == 1 {
            assert_eq!(text(&json, "scenario_file"), path);
            assert_eq!(text(&json, "scenario_sha256"), sha);
        } else {
            let l = char::from(b'A' + i as u8);
            assert_eq!(text(&json, &format!("option_{l}_file")), path);
            assert_eq!(text(&json, &format!("option_{l}_sha256")), sha);
        }
    }
    (text(&json, "trials"), text(&json, "months"))
}

/// What a cell holds, as a spreadsheet or pandas would type it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Number,
    Bool,
    Date,
    Text,
}

fn kind(cell: &str) -> Kind {
    let b = cell.as_bytes();
    let date = b.len() == 10 && b[4] == b'-' && b[7] == b'-';
    if cell.parse::<f64>().is_ok() {
        Kind::Number
    } else if cell == "true" || cell == "false" {
        Kind::Bool
    } else if date && cell.replace('-', "").bytes().all(|c| c.is_ascii_digit()) {
        Kind::Date
    } else {
        Kind::Text
    }
}

/// The columns of a CSV whose non-empty cells are of more than one kind.
/// metadata.csv's `value` column is text by design (it holds every key's
/// value; metadata.json types them).
fn mixed_columns(name: &str, text: &str) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let header = reader.headers().unwrap().clone();
    let mut kinds = vec![std::collections::BTreeSet::new(); header.len()];
    for record in reader.records() {
        let record = record.unwrap_or_else(|e| panic!("{name}: {e}"));
        for (i, cell) in record.iter().enumerate() {
            if !cell.is_empty() {
                kinds[i].insert(kind(cell));
            }
        }
    }
    header
        .iter()
        .zip(kinds)
        .filter(|(h, k)| k.len() > 1 && !(name == "metadata.csv" && *h == "value"))
        .map(|(h, k)| format!("{h}: {k:?}"))
        .collect()
}

/// Every CSV in `dir` (and `extra`) has its header on line 1 (names, no
/// number among them), no comment line anywhere, rows as long as the
/// header, one kind per column, and `cycle`, if present, whole numbers.
fn assert_every_csv_is_plain(dir: &Path, extra: &[PathBuf]) -> usize {
    let mut csvs: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .chain(extra.iter().cloned())
        .collect();
    csvs.sort();
    for csv in &csvs {
        let name = csv.file_name().unwrap().to_str().unwrap();
        let text = fs::read_to_string(csv).unwrap();
        assert!(
            !text.lines().any(|l| l.starts_with('#')),
            "{name}: a comment"
        );
        let mut plain = csv_reader(csv);
        let header = plain.headers().unwrap().clone();
        assert!(
            header
                .iter()
                .all(|h| !h.is_empty() && kind(h) == Kind::Text),
            "{name}: line 1 is not a header: {header:?}"
        );
        let rows: Vec<csv::StringRecord> = plain.records().map(|r| r.unwrap()).collect();
        assert!(!rows.is_empty(), "{name} has no rows");
        assert_eq!(mixed_columns(name, &text), Vec::<String>::new(), "{name}");
        if let Some(i) = header.iter().position(|h| h == "cycle") {
            assert!(rows.iter().all(|r| r[i].parse::<u32>().is_ok()), "{name}");
        }
    }
    csvs.len()
}

#[test]
fn the_type_check_catches_a_cycle_column_with_all_in_it() {
    // Control for assert_every_csv_is_plain: the old summary.csv mixed
    // month numbers and `all` in one column.
    let old = "metric,cycle,mean\ndemand,1,5\ndemand,all,60\n";
    assert_eq!(mixed_columns("summary.csv", old).len(), 1);
    let dated = "cycle,period_start,value\n1,2026-01-20,\n2,2026-02-01,3\n";
    assert!(mixed_columns("summary.csv", dated).is_empty());
    let key_value = "key,value\ntrials,5\nfile,a.toml\n";
    assert!(mixed_columns("metadata.csv", key_value).is_empty());
    assert_eq!(mixed_columns("other.csv", key_value).len(), 1);
}

#[test]
fn run_writes_plain_csvs_with_the_provenance_in_a_matching_metadata_json() {
    let tmp = TempDir::new().unwrap();
    let file = repo("scenarios/sales_navigator_core_light.toml");
    let out = tmp.path().join("run");
    let samples = tmp.path().join("samples.csv");
    let samples_arg = samples.to_str().unwrap();
    let extra = ["--trials", "2000", "--quiet", "--samples", samples_arg];
    succeed("run", &[&file], &out, &extra);
    assert_json_agrees_with_csv(&out);
    let provenance = assert_provenance(&out, "run", std::slice::from_ref(&file));
    assert_eq!(provenance, ("2000".to_string(), "12".to_string()));
    let n = assert_every_csv_is_plain(&out, std::slice::from_ref(&samples));
    assert_eq!(
        n, 7,
        "summary, summary_horizon, monthly, histograms, histograms_horizon, metadata, samples"
    );
    // The samples file's provenance is the run's metadata.
    let json = metadata_json(&out);
    assert_eq!(text(&json, "samples_file"), samples_arg);
    assert_eq!(json["samples_trials"].as_u64(), Some(2000));
    assert_eq!(json["partial"], Value::Bool(false));
}

#[test]
fn run_with_precision_writes_a_plain_precision_csv_too() {
    let tmp = TempDir::new().unwrap();
    let file = repo("scenarios/sales_navigator_core_light.toml");
    let out = tmp.path().join("run");
    let extra = ["--precision", "total_cost=50", "--quiet"];
    succeed("run", &[&file], &out, &extra);
    let provenance = assert_provenance(&out, "run", std::slice::from_ref(&file));
    // The first round of 4096 trials meets ±$50: trials is what was run.
    assert_eq!(provenance.0, "4096");
    assert_eq!(assert_every_csv_is_plain(&out, &[]), 7);
}

#[test]
fn compare_writes_plain_csvs_and_labels_each_file_like_its_option() {
    let tmp = TempDir::new().unwrap();
    let files = compare_set();
    let out = tmp.path().join("compare");
    let extra = ["--quiet", "--precision", "total_cost=50"];
    succeed("compare", &files, &out, &extra);
    assert_json_agrees_with_csv(&out);
    assert_provenance(&out, "compare", &files);
    let n = assert_every_csv_is_plain(&out, &[]);
    assert_eq!(n, 4, "options, pairs, metadata, precision");
}

#[test]
fn sweep_writes_plain_csvs_and_each_param_in_the_metadata() {
    let tmp = TempDir::new().unwrap();
    let files = compare_set();
    let out = tmp.path().join("sweep");
    let extra = [
        "--param",
        "demand.per_workday=1..2",
        "--trials",
        "300",
        "--quiet",
    ];
    succeed("sweep", &files, &out, &extra);
    assert_json_agrees_with_csv(&out);
    assert_provenance(&out, "sweep", &files);
    assert_eq!(
        text(&metadata_json(&out), "param_1"),
        "demand.per_workday=1..2"
    );
    let n = assert_every_csv_is_plain(&out, &[]);
    assert_eq!(n, 5, "sweep, sweep_wide, sweep_pairs, breakeven, metadata");
}

#[test]
fn sensitivity_writes_plain_csvs_and_a_matching_metadata_json() {
    let tmp = TempDir::new().unwrap();
    let file = repo("scenarios/sales_navigator_core_heavy_addons.toml");
    let out = tmp.path().join("sensitivity");
    succeed(
        "sensitivity",
        &[&file],
        &out,
        &["--trials", "300", "--quiet"],
    );
    assert_json_agrees_with_csv(&out);
    let provenance = assert_provenance(&out, "sensitivity", std::slice::from_ref(&file));
    assert_eq!(provenance, ("300".to_string(), "12".to_string()));
    assert_eq!(assert_every_csv_is_plain(&out, &[]), 2);
}

#[test]
fn the_agreement_check_catches_a_changed_value() {
    // Control for assert_json_agrees_with_csv: the comparison is not vacuous.
    assert!(agrees(&Value::from(5u64), "5"));
    assert!(!agrees(&Value::from(5u64), "6"));
    assert!(agrees(&Value::from(1.25), "1.250"));
    assert!(!agrees(&Value::from("a"), "b"));
    assert!(!agrees(&Value::Null, "0"));
}

/// OWASP "CSV Injection": user text starting with `=`, `+`, `-`, `@`, tab
/// or CR gets a leading `'` in every CSV cell; numbers stay numbers, and
/// metadata.json keeps the text as written.
#[test]
fn user_text_a_spreadsheet_would_evaluate_is_quoted_in_csv_cells_and_kept_in_json() {
    let tmp = TempDir::new().unwrap();
    let formula = "=HYPERLINK(\"http://x\",\"y\")";
    let scenario = |name: &str, plan: &str| {
        format!(
            "name = \"{name}\"\ndescription = '{formula}'\ntrials = 300\n\
             [plan]\nid = \"{plan}\"\n[demand]\nper_workday = 3\n"
        )
    };
    fs::write(tmp.path().join("=a.toml"), scenario("-a", "premium_career")).unwrap();
    fs::write(
        tmp.path().join("@b.toml"),
        scenario("-b", "sales_navigator_core"),
    )
    .unwrap();
    for args in [
        &["run", "=a.toml", "--out", "run", "--no-charts"][..],
        &[
            "compare",
            "=a.toml",
            "@b.toml",
            "--out",
            "cmp",
            "--no-charts",
        ],
    ] {
        let out = common::inmail_sim()
            .current_dir(tmp.path())
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    let run = tmp.path().join("run");
    let csv: std::collections::HashMap<_, _> = metadata_csv(&run).into_iter().collect();
    assert_eq!(csv["scenario_name"], "'-a");
    assert_eq!(csv["scenario_description"], format!("'{formula}"));
    assert_eq!(csv["scenario_file"], "'=a.toml");
    assert_eq!(csv["seed"], "1");
    let json = metadata_json(&run);
    assert_eq!(text(&json, "scenario_name"), "-a");
    assert_eq!(text(&json, "scenario_description"), formula);
    assert_eq!(text(&json, "scenario_file"), "=a.toml");

    let cmp = tmp.path().join("cmp");
    let options = common::rows(&cmp.join("options.csv"));
    let columns: Vec<_> = options
        .iter()
        .map(|r| (&r["scenario"], &r["file"]))
        .collect();
    assert_eq!(
        columns,
        [
            (&"'-a".to_string(), &"'=a.toml".to_string()),
            (&"'-b".to_string(), &"'@b.toml".to_string())
        ]
    );
    let csv: std::collections::HashMap<_, _> = metadata_csv(&cmp).into_iter().collect();
    assert_eq!(csv["option_A_scenario"], "'-a");
    assert_eq!(csv["option_B_file"], "'@b.toml");
    let pair = &common::rows(&cmp.join("pairs.csv"))[0];
    assert_eq!(
        (pair["scenario_a"].as_str(), pair["scenario_b"].as_str()),
        ("'-a", "'-b")
    );
    // Premium Career ($39.99) is far cheaper than Sales Navigator Core
    // ($119.99): the verdict starts with "-a saves", the difference is a
    // negative number, written as one.
    assert!(pair["verdict"].starts_with("'-a saves"), "{pair:?}");
    assert!(common::num(pair, "cost_difference") < -50.0, "{pair:?}");
    assert!(pair["cost_difference"].starts_with('-'), "{pair:?}");
}

/// A name that reads as a number (`-5`) is text like a name `-A1`: both get
/// the leading `'` in every CSV (a column of names holds text only), and
/// metadata.json and `--json` keep them as written, as strings.
#[test]
fn a_name_that_reads_as_a_negative_number_is_protected_like_any_other_name() {
    let tmp = TempDir::new().unwrap();
    for (file, name, plan) in [
        ("n.toml", "-5", "premium_career"),
        ("a.toml", "-A1", "sales_navigator_core"),
    ] {
        let text = format!(
            "name = \"{name}\"\ntrials = 300\n[plan]\nid = \"{plan}\"\n[demand]\nper_workday = 3\n"
        );
        fs::write(tmp.path().join(file), text).unwrap();
    }
    let files = [tmp.path().join("n.toml"), tmp.path().join("a.toml")];
    let run = tmp.path().join("run");
    succeed("run", &files[..1], &run, &["--no-charts"]);
    let csv: std::collections::HashMap<_, _> = metadata_csv(&run).into_iter().collect();
    assert_eq!(csv["scenario_name"], "'-5");
    assert_eq!(csv["seed"], "1");
    assert_eq!(metadata_json(&run)["scenario_name"], Value::from("-5"));

    let cmp = tmp.path().join("cmp");
    let json_file = tmp.path().join("cmp.json");
    let json_arg = json_file.to_str().unwrap();
    succeed(
        "compare",
        &files,
        &cmp,
        &["--no-charts", "--json", json_arg],
    );
    let names: Vec<String> = common::rows(&cmp.join("options.csv"))
        .iter()
        .map(|r| r["scenario"].clone())
        .collect();
    assert_eq!(names, ["'-5", "'-A1"]);
    let csv: std::collections::HashMap<_, _> = metadata_csv(&cmp).into_iter().collect();
    assert_eq!(
        (
            csv["option_A_scenario"].as_str(),
            csv["option_B_scenario"].as_str()
        ),
        ("'-5", "'-A1")
    );
    let doc: Value = serde_json::from_str(&fs::read_to_string(&json_file).unwrap()).unwrap();
    assert_eq!(doc["metadata"]["option_A_scenario"], Value::from("-5"));
    let options = doc["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["file"] == "options.csv")
        .expect("options.csv in --json");
    assert_eq!(options["rows"][0]["scenario"], Value::from("-5"));
}

/// Each table of a `--json` document has the rows of its CSV, cell for
/// cell (numbers by value, an empty cell as null).
fn assert_json_tables_match_csvs(doc: &Value, dir: &Path) -> usize {
    let tables = doc["tables"].as_array().expect("tables");
    for t in tables {
        let file = t["file"].as_str().unwrap();
        let mut reader = csv_reader(&dir.join(file));
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        let columns: Vec<&str> = t["columns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        assert_eq!(columns, header, "{file}");
        let rows = t["rows"].as_array().unwrap();
        let records: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), records.len(), "{file}");
        for (row, record) in rows.iter().zip(&records) {
            for (column, cell) in header.iter().zip(record.iter()) {
                let value = &row[column.as_str()];
                assert!(agrees(value, cell), "{file} {column}: {value} vs {cell:?}");
            }
        }
    }
    tables.len()
}

#[test]
fn json_export_holds_every_csv_and_the_metadata_in_one_document() {
    let tmp = TempDir::new().unwrap();
    let file = repo("scenarios/sales_navigator_core_light.toml");
    let out = tmp.path().join("run");
    let target = tmp.path().join("all.json");
    let extra = [
        "--trials",
        "300",
        "--quiet",
        "--json",
        target.to_str().unwrap(),
    ];
    succeed("run", &[&file], &out, &extra);
    let doc: Value = serde_json::from_slice(&fs::read(&target).unwrap()).unwrap();
    assert_eq!(doc["schema_version"], 1);
    assert_eq!(doc["command"], "run");
    assert_eq!(Value::Object(metadata_json(&out)), doc["metadata"]);
    // Every CSV but metadata.csv, which "metadata" holds.
    assert_eq!(assert_json_tables_match_csvs(&doc, &out), 5);
    assert_eq!(doc["tables"][0]["rows"][0]["cycle"], 1);

    // `-`: the document alone on stdout, the table on stderr.
    let out = tmp.path().join("cmp");
    let stdout = succeed(
        "compare",
        &compare_set(),
        &out,
        &["--trials", "300", "--json", "-"],
    );
    let doc: Value = serde_json::from_str(&stdout).expect("stdout is the document");
    assert_eq!(doc["command"], "compare");
    assert_eq!(assert_json_tables_match_csvs(&doc, &out), 2);
}

#[test]
fn a_json_target_that_is_a_file_the_tool_writes_is_refused_and_nothing_is_written() {
    let tmp = TempDir::new().unwrap();
    let file = repo("scenarios/sales_navigator_core_light.toml");
    let out = tmp.path().join("run");
    let target = out.join("summary.csv");
    let output = common::inmail_sim()
        .arg("run")
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .args(["--trials", "50", "--quiet", "--json"])
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--json") && stderr.contains("summary.csv"),
        "{stderr}"
    );
    let left: Vec<_> = fs::read_dir(&out).map_or(Vec::new(), |d| d.collect());
    assert!(left.is_empty(), "{left:?}");
}

/// Runs `cmd` (a run of a billion trials, an hour's work) and returns its
/// exit status and standard error once it exits, which it must do within
/// a minute (refused before the simulation: milliseconds; the limit is far
/// from both, for a loaded machine).
fn refused_within_a_minute(mut cmd: std::process::Command) -> (std::process::ExitStatus, String) {
    let mut child = cmd.stderr(std::process::Stdio::piped()).spawn().unwrap();
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if started.elapsed() > std::time::Duration::from_secs(60) {
            child.kill().unwrap();
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let status = status.expect("refused within a minute, before the run");
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    (status, stderr)
}

#[test]
fn a_workbook_without_a_writable_temporary_folder_is_refused_before_the_simulation_runs() {
    let tmp = TempDir::new().unwrap();
    let file = repo("scenarios/sales_navigator_core_light.toml");
    let out = tmp.path().join("run");
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_inmail-sim"));
    cmd.arg("run")
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .args(["--trials", "1000000000", "--quiet", "--xlsx"])
        .env("TMPDIR", tmp.path().join("no-such-folder"));
    let (status, stderr) = refused_within_a_minute(cmd);
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("--xlsx") && stderr.contains("TMPDIR") && stderr.contains("no-such-folder"),
        "{stderr}"
    );
    assert!(!out.exists());
}

#[test]
fn a_json_target_that_cannot_be_written_is_refused_before_the_simulation_runs() {
    let tmp = TempDir::new().unwrap();
    let file = repo("scenarios/sales_navigator_core_light.toml");
    let out = tmp.path().join("run");
    let blocker = tmp.path().join("a-file");
    fs::write(&blocker, "").unwrap();
    // A billion trials would take an hour; refused first, it takes
    // milliseconds.
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_inmail-sim"));
    cmd.arg("run")
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .args(["--trials", "1000000000", "--quiet", "--json"])
        .arg(blocker.join("results.json"));
    let (status, stderr) = refused_within_a_minute(cmd);
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("--json") && stderr.contains("exists and is not a folder"),
        "{stderr}"
    );
    assert!(!out.exists());
}

/// The days since 1899-12-30 of an ISO date: its value in a spreadsheet.
fn spreadsheet_day(iso: &str) -> f64 {
    let d = inmail_sim::calendar::Date::parse(iso).expect("an ISO date");
    (d.to_epoch_days() + 25_569) as f64
}

/// Every CSV in `dir` but metadata.csv is a sheet of results.xlsx with
/// the same header and the same cells: numbers as numbers, dates as
/// dates, `true`/`false` as booleans, empty cells empty. Returns the
/// sheet names in order.
fn assert_workbook_matches_csvs(dir: &Path) -> Vec<String> {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let mut book: Xlsx<_> = open_workbook(dir.join("results.xlsx")).expect("an xlsx file");
    let sheets = book.sheet_names();
    let mut csvs: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .filter(|p| !p.ends_with("metadata.csv"))
        .collect();
    csvs.sort();
    for csv in &csvs {
        let name = csv.file_stem().unwrap().to_str().unwrap();
        let range = book.worksheet_range(name).expect("a sheet per CSV");
        let mut reader = csv_reader(csv);
        let header = reader.headers().unwrap().clone();
        let mut rows = range.rows();
        let first: Vec<String> = rows.next().unwrap().iter().map(|c| c.to_string()).collect();
        assert_eq!(first, header.iter().collect::<Vec<_>>(), "{name}");
        let records: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        assert_eq!(range.height(), records.len() + 1, "{name}");
        for (record, row) in records.iter().zip(rows) {
            for ((column, text), cell) in header.iter().zip(record).zip(row) {
                let same = match cell {
                    Data::Empty => text.is_empty(),
                    Data::Float(x) => text.parse::<f64>() == Ok(*x),
                    Data::Int(i) => text.parse::<i64>() == Ok(*i),
                    Data::DateTime(d) => spreadsheet_day(text) == d.as_f64(),
                    Data::Bool(b) => text == b.to_string(),
                    Data::String(s) => s == text,
                    _ => false,
                };
                assert!(same, "{name} {column}: {cell:?} vs {text:?}");
            }
        }
    }
    sheets
}

#[test]
fn the_workbook_holds_every_csv_as_a_sheet_with_the_same_cells() {
    let tmp = TempDir::new().unwrap();
    // A partial first month: dates that differ from month to month.
    let file = tmp.path().join("sn20.toml");
    fs::write(
        &file,
        "start_date = \"2026-01-20\"\nmonths = 4\ntrials = 300\n\
         [plan]\nid = \"sales_navigator_core\"\n[demand]\nper_workday = 3\n",
    )
    .unwrap();
    let out = tmp.path().join("run");
    succeed("run", &[&file], &out, &["--quiet", "--xlsx"]);
    let sheets = assert_workbook_matches_csvs(&out);
    // The table people look at first; the metadata last.
    assert_eq!(sheets.first().map(String::as_str), Some("monthly"));
    assert_eq!(sheets.last().map(String::as_str), Some("metadata"));
    assert_eq!(sheets.len(), 6);
    // Dates are dates (a date format), numbers numbers, not text.
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let mut book: Xlsx<_> = open_workbook(out.join("results.xlsx")).unwrap();
    let monthly = book.worksheet_range("monthly").unwrap();
    let row: Vec<&Data> = monthly.rows().nth(1).unwrap().iter().collect();
    assert!(matches!(row[0], Data::Float(x) if *x == 1.0), "{row:?}");
    assert!(matches!(row[2], Data::DateTime(_)), "{row:?}");
    assert!(matches!(row[5], Data::Bool(true)), "{row:?}");

    let out = tmp.path().join("sweep");
    let extra = [
        "--param",
        "demand.per_workday=1..2",
        "--trials",
        "200",
        "--quiet",
        "--xlsx",
    ];
    succeed("sweep", &compare_set(), &out, &extra);
    let sheets = assert_workbook_matches_csvs(&out);
    assert_eq!(sheets.first().map(String::as_str), Some("sweep_wide"));
    assert_eq!(sheets.len(), 5);
}

#[test]
fn scenario_names_that_look_like_numbers_or_flags_stay_text_in_the_json_and_the_workbook() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let tmp = TempDir::new().unwrap();
    for names in [["007", "1e5"], ["true", "false"]] {
        let files: Vec<PathBuf> = names
            .iter()
            .map(|n| {
                let f = tmp.path().join(format!("{n}.toml"));
                fs::write(
                    &f,
                    "[plan]\nid = \"sales_navigator_core\"\n[demand]\nper_workday = 2\n",
                )
                .unwrap();
                f
            })
            .collect();
        let out = tmp.path().join(format!("cmp-{}", names[0]));
        let json = tmp.path().join(format!("{}.json", names[0]));
        let extra = [
            "--trials",
            "20",
            "--quiet",
            "--xlsx",
            "--no-charts",
            "--json",
        ];
        let mut extra: Vec<&str> = extra.to_vec();
        extra.push(json.to_str().unwrap());
        succeed("compare", &files, &out, &extra);
        let doc: Value = serde_json::from_slice(&fs::read(&json).unwrap()).unwrap();
        let table = |name: &str| {
            doc["tables"]
                .as_array()
                .unwrap()
                .iter()
                .find(|t| t["name"] == name)
                .unwrap()["rows"]
                .clone()
        };
        let options = table("options");
        assert_eq!(options[0]["scenario"], names[0], "{options}");
        assert_eq!(options[1]["scenario"], names[1], "{options}");
        let pairs = table("pairs");
        assert_eq!(pairs[0]["scenario_a"], names[0], "{pairs}");
        assert_eq!(pairs[0]["scenario_b"], names[1], "{pairs}");
        // Numbers are still numbers.
        assert!(options[0]["trials"].is_u64(), "{options}");

        let mut book: Xlsx<_> = open_workbook(out.join("results.xlsx")).unwrap();
        let sheet = book.worksheet_range("options").unwrap();
        let header: Vec<String> = sheet
            .rows()
            .next()
            .unwrap()
            .iter()
            .map(|c| c.to_string())
            .collect();
        let col = header.iter().position(|h| h == "scenario").unwrap();
        for (row, name) in sheet.rows().skip(1).zip(names) {
            assert_eq!(row[col], Data::String(name.to_string()), "{row:?}");
        }
    }
}

/// A headless spreadsheet that converts a workbook's first sheet(s) to
/// CSV: gnumeric's `ssconvert` (the lighter, what .ci/run installs) or
/// LibreOffice. `None` when neither is installed.
fn spreadsheet_converter() -> Option<&'static str> {
    ["ssconvert", "soffice", "libreoffice"]
        .into_iter()
        .find(|tool| {
            std::process::Command::new("sh")
                .arg("-c")
                .arg(format!("command -v {tool}"))
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

#[test]
fn a_real_spreadsheet_opens_the_workbook_and_reads_the_months_of_monthly_csv() {
    let Some(tool) = spreadsheet_converter() else {
        eprintln!(
            "SKIPPED: neither gnumeric (ssconvert) nor LibreOffice is installed; \
             .ci/run installs gnumeric (apt-get install gnumeric)"
        );
        return;
    };
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("sn20.toml");
    fs::write(
        &file,
        "start_date = \"2026-01-20\"\nmonths = 3\ntrials = 200\n\
         [plan]\nid = \"sales_navigator_core\"\n[demand]\nper_workday = 3\n",
    )
    .unwrap();
    let out = tmp.path().join("run");
    succeed("run", &[&file], &out, &["--quiet", "--xlsx", "--no-charts"]);
    let conv = tmp.path().join("conv");
    fs::create_dir(&conv).unwrap();
    let xlsx = out.join("results.xlsx");
    let mut cmd = std::process::Command::new(tool);
    if tool == "ssconvert" {
        cmd.args(["-S", "--export-type=Gnumeric_stf:stf_csv"])
            .arg(&xlsx)
            .arg(conv.join("%s.csv"));
    } else {
        // LibreOffice converts the first sheet: monthly.
        cmd.args(["--headless", "--convert-to", "csv", "--outdir"])
            .arg(&conv)
            .arg(&xlsx)
            .env("HOME", tmp.path());
    }
    let status = cmd.output().expect("the converter starts");
    assert!(status.status.success(), "{status:?}");
    let converted = if tool == "ssconvert" {
        conv.join("monthly.csv")
    } else {
        conv.join("results.csv")
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(&converted)
        .unwrap();
    let header = reader.headers().unwrap().clone();
    // Rows beside the chart are exported empty.
    let got: Vec<csv::StringRecord> = reader
        .records()
        .map(|r| r.unwrap())
        .filter(|r| r.iter().any(|c| !c.is_empty()))
        .collect();
    let want = common::rows(&out.join("monthly.csv"));
    assert_eq!(got.len(), want.len());
    let at = |name: &str| header.iter().position(|h| h == name).expect(name);
    for (row, expected) in got.iter().zip(&want) {
        assert_eq!(&row[at("month")], expected["month"].as_str());
        assert_eq!(&row[at("cycle")], expected["cycle"].as_str());
        assert_eq!(&row[at("days")], expected["days"].as_str());
        // A date cell: 2026/01/20 (gnumeric) or 2026-01-20 (the format).
        let start = row[at("period_start")].replace('/', "-");
        assert_eq!(start, expected["period_start"]);
    }
}

/// The number format of every cell of `sheet` in the workbook `xlsx`, by
/// (row, column) from 0, read from the file's XML (calamine reads values,
/// not formats); a cell with no style is absent (`General`).
fn number_formats(xlsx: &Path, sheet: &str) -> std::collections::HashMap<(u32, u32), String> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(fs::File::open(xlsx).unwrap()).unwrap();
    let mut read = |name: &str| {
        let mut text = String::new();
        zip.by_name(name)
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .read_to_string(&mut text)
            .unwrap();
        text
    };
    let (workbook, rels, styles) = (
        read("xl/workbook.xml"),
        read("xl/_rels/workbook.xml.rels"),
        read("xl/styles.xml"),
    );
    let (workbook, rels, styles) = (
        roxmltree::Document::parse(&workbook).unwrap(),
        roxmltree::Document::parse(&rels).unwrap(),
        roxmltree::Document::parse(&styles).unwrap(),
    );
    const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let id = workbook
        .descendants()
        .find(|n| n.has_tag_name("sheet") && n.attribute("name") == Some(sheet))
        .and_then(|n| n.attribute((R, "id")))
        .unwrap_or_else(|| panic!("no sheet {sheet}"));
    let target = rels
        .descendants()
        .find(|n| n.attribute("Id") == Some(id))
        .and_then(|n| n.attribute("Target"))
        .unwrap();
    // The built-in formats the workbook may use, else its own numFmts.
    let code = |id: &str| -> String {
        let builtin = match id {
            "0" => Some("General"),
            "1" => Some("0"),
            "2" => Some("0.00"),
            "3" => Some("#,##0"),
            "4" => Some("#,##0.00"),
            "9" => Some("0%"),
            "10" => Some("0.00%"),
            _ => None,
        };
        builtin.map(str::to_string).unwrap_or_else(|| {
            styles
                .descendants()
                .find(|n| n.has_tag_name("numFmt") && n.attribute("numFmtId") == Some(id))
                .and_then(|n| n.attribute("formatCode"))
                .unwrap_or_else(|| panic!("number format {id}"))
                .to_string()
        })
    };
    let xfs: Vec<String> = styles
        .descendants()
        .find(|n| n.has_tag_name("cellXfs"))
        .unwrap()
        .children()
        .filter(|n| n.has_tag_name("xf"))
        .map(|n| code(n.attribute("numFmtId").unwrap_or("0")))
        .collect();
    let xml = read(&format!("xl/{target}"));
    let sheet_xml = roxmltree::Document::parse(&xml).unwrap();
    let mut formats = std::collections::HashMap::new();
    for c in sheet_xml.descendants().filter(|n| n.has_tag_name("c")) {
        let Some(s) = c.attribute("s") else { continue };
        let at = c.attribute("r").unwrap();
        let letters: String = at.chars().take_while(char::is_ascii_alphabetic).collect();
        let row: u32 = at[letters.len()..].parse().unwrap();
        let col = letters
            .bytes()
            .fold(0u32, |n, b| n * 26 + u32::from(b - b'A' + 1));
        formats.insert((row - 1, col - 1), xfs[s.parse::<usize>().unwrap()].clone());
    }
    formats
}

/// Whether a cell is a chance, by docs/outputs.md: by its column, or, for a
/// statistic, by the unit its row names.
fn is_chance(table: &str, column: &str, row: &std::collections::HashMap<String, String>) -> bool {
    let by_column = column.starts_with("ran_out")
        || column.starts_with("a_cheaper")
        || [
            "share",
            "cumulative_share",
            "b_cheaper",
            "tie",
            "confidence",
        ]
        .contains(&column);
    let unit = row.get("unit").map(String::as_str);
    let stat = row.get("stat").map(String::as_str);
    let by_row = match table {
        "summary" | "summary_horizon" => {
            unit == Some("yes=1") && ["mean", "se", "ci95_low", "ci95_high"].contains(&column)
        }
        "solve" => {
            stat == Some("exhausted") && ["mean", "se", "ci95_low", "ci95_high"].contains(&column)
        }
        "solve_answer" => stat == Some("exhausted") && column == "target",
        "precision" => unit == Some("share") && ["target", "achieved"].contains(&column),
        _ => false,
    };
    // A value of a share parameter (docs/outputs.md, "results.xlsx").
    let share_key = |k: &str| {
        matches!(
            k,
            "response.rate"
                | "response.rate_center"
                | "response.declines_share"
                | "open_profile.share"
                | "follow_ups.response_factor"
        )
    };
    let param = |k: &str| row.get(k).is_some_and(|v| share_key(v));
    let by_param = match (table, column) {
        ("sensitivity", "centre_value" | "low_value" | "high_value") => param("input"),
        ("sweep" | "sweep_pairs", "value_1") => param("param_1"),
        ("sweep" | "sweep_pairs", "value_2") => param("param_2"),
        ("sweep_wide", c) => share_key(c),
        ("solve", "value") => param("param"),
        ("solve_answer", "answer" | "ci95_low" | "ci95_high" | "range_low" | "range_high") => {
            param("param")
        }
        ("breakeven", "break_even" | "break_even_low" | "break_even_high") => param("param"),
        _ => false,
    };
    by_column || by_row || by_param
}

/// A chance's cell shows a percent with a fixed number of decimals
/// (`0.00%`, `0.0000%`), and what it shows is 0% only for 0 and 100% only
/// for 1. Returns what it shows.
fn assert_shown_as_a_percent(x: f64, format: &str, what: &str) -> String {
    let decimals = format
        .strip_prefix("0.")
        .and_then(|f| f.strip_suffix('%'))
        .filter(|zeros| zeros.chars().all(|c| c == '0'))
        .unwrap_or_else(|| panic!("{what}: {x} has the format {format:?}, not a percent"))
        .len();
    let shown = format!("{:.*}", decimals, x * 100.0);
    let value: f64 = shown.parse().unwrap();
    assert!(
        (value == 0.0) == (x == 0.0) && (value.abs() == 100.0) == (x.abs() == 1.0),
        "{what}: {x} shows as {shown}% with {format:?}"
    );
    shown
}

/// Every chance in the workbook in `dir` (every table's, and the metadata
/// sheet's `max_risk` and `centre_ran_out`) is shown as a percent that
/// tells a small chance from none, every other number is not a percent,
/// and every cell holds the CSV's exact value. Returns how many chances.
fn assert_chances_are_percents(dir: &Path) -> usize {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    assert_workbook_matches_csvs(dir);
    let xlsx = dir.join("results.xlsx");
    let mut book: Xlsx<_> = open_workbook(&xlsx).unwrap();
    let mut chances = 0;
    for entry in fs::read_dir(dir).unwrap() {
        let csv = entry.unwrap().path();
        let table = csv.file_stem().unwrap().to_str().unwrap().to_string();
        if csv.extension().is_none_or(|x| x != "csv") || table == "metadata" {
            continue;
        }
        let formats = number_formats(&xlsx, &table);
        let header = csv_reader(&csv).headers().unwrap().clone();
        for (r, row) in common::rows(&csv).iter().enumerate() {
            for (c, column) in header.iter().enumerate() {
                let Ok(x) = row[column].parse::<f64>() else {
                    continue;
                };
                let at = (r as u32 + 1, c as u32);
                let format = formats.get(&at).map_or("General", String::as_str);
                let what = format!("{table} row {} {column}", r + 1);
                if is_chance(&table, column, row) {
                    assert_shown_as_a_percent(x, format, &what);
                    chances += 1;
                } else {
                    assert!(!format.contains('%'), "{what}: {x} shown as {format:?}");
                }
            }
        }
    }
    let metadata = book.worksheet_range("metadata").unwrap();
    let formats = number_formats(&xlsx, "metadata");
    for (r, row) in metadata.rows().enumerate().skip(1) {
        let key = row[0].to_string();
        if let Data::Float(x) = row[1] {
            let format = formats
                .get(&(r as u32, 1))
                .map_or("General", String::as_str);
            if ["max_risk", "centre_ran_out"].contains(&key.as_str()) {
                assert_shown_as_a_percent(x, format, &format!("metadata {key}"));
                chances += 1;
            } else {
                assert!(!format.contains('%'), "metadata {key}: {format:?}");
            }
        }
    }
    chances
}

#[test]
fn every_chance_in_every_workbook_shows_as_a_percent_and_a_small_one_never_as_zero() {
    let tmp = TempDir::new().unwrap();
    let file = repo("scenarios/reference.toml");
    let quick = ["--threads", "1", "--quiet", "--no-charts", "--xlsx"];
    let with = |more: &[&'static str]| [&quick[..], more].concat();
    // Up to 2,000 trials: a histogram value one trial had is a share of
    // 0.05%, which "0.0%" showed as none.
    let run = tmp.path().join("run");
    let extra = with(&[
        "--max-trials",
        "2000",
        "--months",
        "3",
        "--precision",
        "exhausted=0.1pp",
    ]);
    succeed("run", &[&file], &run, &extra);
    let compare = tmp.path().join("compare");
    succeed(
        "compare",
        &compare_set(),
        &compare,
        &with(&["--trials", "300"]),
    );
    let sweep = tmp.path().join("sweep");
    let extra = with(&["--trials", "200", "--param", "demand.per_workday=1..3"]);
    succeed("sweep", &compare_set(), &sweep, &extra);
    let sensitivity = tmp.path().join("sensitivity");
    succeed(
        "sensitivity",
        &[&file],
        &sensitivity,
        &with(&["--trials", "300"]),
    );
    let solve = tmp.path().join("solve");
    let extra = with(&[
        "--trials",
        "300",
        "--param",
        "demand.per_workday",
        "--target",
        "exhausted=5%",
    ]);
    succeed("solve", &[&file], &solve, &extra);
    let recommend = tmp.path().join("recommend");
    succeed(
        "recommend",
        &[&file],
        &recommend,
        &with(&["--trials", "300"]),
    );
    for dir in [&run, &compare, &sweep, &sensitivity, &solve, &recommend] {
        let chances = assert_chances_are_percents(dir);
        assert!(chances > 0, "{}", dir.display());
    }
    // The cells the check found wanting: a shown chance, a confidence, an
    // answer's target.
    let formats = number_formats(&solve.join("results.xlsx"), "solve_answer");
    assert_eq!(formats[&(1, 2)], "0.00%");
    let answer = common::rows(&solve.join("solve_answer.csv"));
    assert_eq!(answer[0]["target"], "0.05");
}

#[test]
fn the_metadata_sheet_writes_flags_as_booleans_and_the_start_date_as_a_date() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("team");
    let extra = [
        "--set",
        "seats=2",
        "--trials",
        "100",
        "--months",
        "2",
        "--threads",
        "1",
        "--quiet",
        "--no-charts",
        "--xlsx",
    ];
    succeed("run", &[repo("scenarios/reference.toml")], &out, &extra);
    let json = metadata_json(&out);
    assert_eq!(json["pooled"], Value::Bool(false), "{json:?}");
    assert_eq!(json["partial"], Value::Bool(false), "{json:?}");
    // metadata.csv is unchanged: text.
    let csv = metadata_csv(&out);
    assert!(
        csv.contains(&("pooled".to_string(), "false".to_string())),
        "{csv:?}"
    );
    let mut book: Xlsx<_> = open_workbook(out.join("results.xlsx")).unwrap();
    let sheet = book.worksheet_range("metadata").unwrap();
    let value = |key: &str| {
        sheet
            .rows()
            .find(|r| r[0] == Data::String(key.to_string()))
            .unwrap_or_else(|| panic!("no {key}"))[1]
            .clone()
    };
    assert_eq!(value("pooled"), Data::Bool(false));
    assert_eq!(value("partial"), Data::Bool(false));
    assert_eq!(value("seats"), Data::Float(2.0));
    match value("start_date") {
        Data::DateTime(d) => assert_eq!(d.as_f64(), spreadsheet_day("2026-01-01")),
        other => panic!("start_date: {other:?}"),
    }
    let row = sheet
        .rows()
        .position(|r| r[0] == Data::String("start_date".to_string()))
        .unwrap();
    let formats = number_formats(&out.join("results.xlsx"), "metadata");
    assert_eq!(formats[&(row as u32, 1)], "yyyy-mm-dd");
    // A name that looks like a date stays text: only date keys are dates.
    assert_eq!(
        value("scenario_name"),
        Data::String("reference".to_string())
    );
}
