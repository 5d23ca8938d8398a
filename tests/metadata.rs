//! Run metadata: every CSV of every command starts with the same comment
//! lines (tool version, command, seed, each scenario file and its SHA-256,
//! trials, months), and metadata.json beside metadata.csv holds the same
//! rows as JSON. Checked against each other and against the files' real
//! hashes.

mod common;

use common::{csv_comments, csv_reader, succeed};
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

/// metadata.csv's rows in order, read past its comment lines.
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

/// The comment lines the CSVs of this folder must start with, built from
/// metadata.json and the scenario files themselves.
fn expected_comments(dir: &Path, command: &str, files: &[PathBuf]) -> Vec<String> {
    let json = metadata_json(dir);
    let version = text(&json, "tool_version");
    let mut lines = vec![
        format!("# inmail-sim {version} {command}"),
        format!("# seed: {}", text(&json, "seed")),
    ];
    for (i, file) in files.iter().enumerate() {
        let sha = sha256_hex(&fs::read(file).unwrap());
        let path = file.display().to_string();
        let name = if files.len() == 1 {
            assert_eq!(text(&json, "scenario_file"), path);
            assert_eq!(text(&json, "scenario_sha256"), sha);
            "scenario".to_string()
        } else {
            let l = char::from(b'A' + i as u8);
            assert_eq!(text(&json, &format!("option_{l}_file")), path);
            assert_eq!(text(&json, &format!("option_{l}_sha256")), sha);
            format!("scenario {l}")
        };
        lines.push(format!("# {name}: {path} sha256 {sha}"));
    }
    for n in 1..=2 {
        if let Some(Value::String(p)) = json.get(&format!("param_{n}")) {
            lines.push(format!("# param: {p}"));
        }
    }
    lines.push(format!(
        "# trials: {}, months: {}",
        text(&json, "trials"),
        text(&json, "months")
    ));
    lines
}

/// Every CSV in `dir` (and `extra`) starts with `expected`, and nothing
/// else in them is a comment.
fn assert_every_csv_starts_with(dir: &Path, extra: &[PathBuf], expected: &[String]) -> usize {
    let mut csvs: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .chain(extra.iter().cloned())
        .collect();
    csvs.sort();
    for csv in &csvs {
        assert_eq!(csv_comments(csv), expected, "{}", csv.display());
        let text = fs::read_to_string(csv).unwrap();
        let later = text
            .lines()
            .skip(expected.len())
            .any(|l| l.starts_with('#'));
        assert!(!later, "{}: a comment after the header", csv.display());
    }
    csvs.len()
}

#[test]
fn run_writes_the_same_comment_lines_in_every_csv_and_a_matching_metadata_json() {
    let tmp = TempDir::new().unwrap();
    let file = repo("scenarios/sales_navigator_core_light.toml");
    let out = tmp.path().join("run");
    let samples = tmp.path().join("samples.csv");
    let samples_arg = samples.to_str().unwrap();
    let extra = ["--trials", "2000", "--quiet", "--samples", samples_arg];
    succeed("run", &[&file], &out, &extra);
    assert_json_agrees_with_csv(&out);
    let mut expected = expected_comments(&out, "run", std::slice::from_ref(&file));
    assert_eq!(expected[3], "# trials: 2000, months: 12");
    let n = assert_every_csv_starts_with(&out, &[], &expected);
    assert_eq!(n, 3, "summary, histograms, metadata");
    // The samples file says which trials it holds, before the trials line.
    expected.insert(3, "# samples: trials 0 to 1999 of this run".to_string());
    assert_every_csv_starts_with(tmp.path(), &[], &expected);
    assert_eq!(metadata_json(&out)["partial"], Value::Bool(false));
}

#[test]
fn run_with_precision_writes_the_comment_lines_in_precision_csv_too() {
    let tmp = TempDir::new().unwrap();
    let file = repo("scenarios/sales_navigator_core_light.toml");
    let out = tmp.path().join("run");
    let extra = ["--precision", "total_cost=50", "--quiet"];
    succeed("run", &[&file], &out, &extra);
    let expected = expected_comments(&out, "run", std::slice::from_ref(&file));
    // The first round of 4096 trials meets ±$50: trials is what was run.
    assert_eq!(expected[3], "# trials: 4096, months: 12");
    assert_eq!(assert_every_csv_starts_with(&out, &[], &expected), 4);
}

#[test]
fn compare_labels_each_scenario_line_like_its_option_in_every_csv() {
    let tmp = TempDir::new().unwrap();
    let files = compare_set();
    let out = tmp.path().join("compare");
    let extra = ["--quiet", "--precision", "total_cost=50"];
    succeed("compare", &files, &out, &extra);
    assert_json_agrees_with_csv(&out);
    let expected = expected_comments(&out, "compare", &files);
    assert!(expected[2].starts_with("# scenario A: "), "{expected:?}");
    assert!(expected[2].contains("advanced.toml"), "{expected:?}");
    let n = assert_every_csv_starts_with(&out, &[], &expected);
    assert_eq!(n, 4, "options, pairs, metadata, precision");
}

#[test]
fn sweep_adds_each_param_to_the_comment_lines() {
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
    let expected = expected_comments(&out, "sweep", &files);
    assert_eq!(expected[4], "# param: demand.per_workday=1..2");
    let n = assert_every_csv_starts_with(&out, &[], &expected);
    assert_eq!(n, 4, "sweep, sweep_pairs, breakeven, metadata");
}

#[test]
fn sensitivity_writes_the_comment_lines_and_a_matching_metadata_json() {
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
    let expected = expected_comments(&out, "sensitivity", std::slice::from_ref(&file));
    assert_eq!(expected.len(), 4);
    assert_eq!(assert_every_csv_starts_with(&out, &[], &expected), 2);
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
