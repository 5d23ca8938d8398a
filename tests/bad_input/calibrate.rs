//! `calibrate` refuses a bad history (issue 20, "Bad input"): exit code 2,
//! a message naming the file, the row and the column where there is one,
//! the bad value and what is allowed, and nothing written: no output
//! folder and no snippet. One fixture per case in tests/fixtures/bad_history/.

use super::common::inmail_sim;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/bad_history")
        .join(name)
}

/// `calibrate FILE EXTRA... --out DIR --write SNIPPET` is refused with
/// every fragment, and neither DIR nor SNIPPET exists afterwards.
fn refused(file: &Path, extra: &[&str], fragments: &[&str]) {
    let tmp = TempDir::new().unwrap();
    let (out, snippet) = (tmp.path().join("out"), tmp.path().join("snippet.toml"));
    let output = inmail_sim()
        .arg("calibrate")
        .arg(file)
        .args(extra)
        .arg("--out")
        .arg(&out)
        .arg("--write")
        .arg(&snippet)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(2),
        "{}: {stderr}",
        file.display()
    );
    assert!(output.stdout.is_empty(), "{}", file.display());
    assert!(
        stderr.starts_with(&format!("error: {}: ", file.display())),
        "{stderr}"
    );
    for fragment in fragments {
        assert!(stderr.contains(fragment), "{stderr} lacks {fragment:?}");
    }
    assert!(!out.exists() && !snippet.exists(), "nothing is written");
}

#[test]
fn a_bad_history_is_refused_naming_the_row_and_column_and_nothing_is_written() {
    let cases: [(&str, &[&str], &[&str]); 9] = [
        (
            "missing_column.csv",
            &[],
            &[
                r#"no column named "sent" for the sent date"#,
                r#""date_sent""#,
            ],
        ),
        (
            "unparseable_date.csv",
            &[],
            &[r#"row 3, column "replied": "yesterday" is not a date; allowed: "#],
        ),
        (
            "reply_before_send.csv",
            &[],
            &[
                "row 3: the response date 2026-01-07",
                "before the sent date 2026-01-08",
            ],
        ),
        (
            "after_as_of.csv",
            &["--as-of", "2026-02-01"],
            &[r#"row 3, column "sent": 2026-03-02 is after the as-of date 2026-02-01"#],
        ),
        (
            "duplicate_id.csv",
            &[],
            &[r#"row 4, column "id": the id "a1" was already used on row 2"#],
        ),
        (
            "empty.csv",
            &[],
            &["the file is empty: it needs a header row"],
        ),
        (
            "none_old_enough.csv",
            &[],
            &["no InMail old enough: all 2 were sent on the as-of date 2026-01-05"],
        ),
        (
            "no_answer.csv",
            &[],
            &["the 1 InMail old enough has not been answered"],
        ),
        (
            "bad_outcome.csv",
            &[],
            &[r#"row 2, column "outcome": "maybe" is not an outcome; allowed: "accepted""#],
        ),
    ];
    for (name, extra, fragments) in cases {
        refused(&fixture(name), extra, fragments);
    }
}

#[test]
fn a_cell_with_a_control_character_is_quoted_with_it_escaped_not_as_rust_debug_text() {
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("nul.csv");
    std::fs::write(
        &file,
        "sent,replied\n2026-01-01,2026-01-02\n2026-03-01,\0\n",
    )
    .unwrap();
    refused(
        &file,
        &[],
        &[r#"row 3, column "replied": "\u{0}" is not a date"#],
    );
    let file = tmp.path().join("quote.csv");
    std::fs::write(&file, "sent,replied\n2026-01-01,\"\"\"2026\"\"\"\n").unwrap();
    refused(
        &file,
        &[],
        &[r#"row 2, column "replied": '"2026"' is not a date"#],
    );
}

#[test]
fn calibrate_refuses_bad_options_with_what_is_allowed_and_writes_nothing() {
    let history = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/calibrate/history.csv");
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    for (args, fragment) in [
        (vec!["--columns", "sent"], "--columns: the column mapping"),
        (vec!["--columns", "when=sent"], "unknown role \"when\""),
        (
            vec!["--as-of", "28/11/2026"],
            "allowed: a date as YYYY-MM-DD",
        ),
        (vec!["--date-format", "yyyy/mm/dd"], "allowed: auto, iso"),
        (vec!["--window", "0"], "--window"),
    ] {
        inmail_sim()
            .arg("calibrate")
            .arg(&history)
            .args(&args)
            .arg("--out")
            .arg(&out)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(fragment));
        assert!(!out.exists(), "{args:?}: nothing is written");
    }
}

#[test]
fn calibrate_write_refuses_an_existing_file_unless_forced_and_then_replaces_it_whole() {
    let history = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/calibrate/history.csv");
    let tmp = TempDir::new().unwrap();
    let (snippet, out) = (tmp.path().join("rates.toml"), tmp.path().join("out"));
    std::fs::write(&snippet, "# mine\n").unwrap();
    let run = |force: bool| {
        let mut cmd = inmail_sim();
        cmd.arg("calibrate")
            .arg(&history)
            .arg("--write")
            .arg(&snippet);
        cmd.arg("--out").arg(&out).arg("--quiet");
        if force {
            cmd.arg("--force");
        }
        cmd.output().unwrap()
    };
    let refused = run(false);
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("exists; give --force to replace it"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&snippet).unwrap(), "# mine\n");
    assert!(!out.exists(), "the folder is not written either");
    let forced = run(true);
    assert!(
        forced.status.success(),
        "{}",
        String::from_utf8_lossy(&forced.stderr)
    );
    let text = std::fs::read_to_string(&snippet).unwrap();
    assert!(
        text.starts_with("# Calibrated by inmail-sim from history.csv"),
        "{text}"
    );
    assert!(out.join("report.html").is_file());
    // The history itself is never the target, even with --force.
    inmail_sim()
        .args(["calibrate", "--force", "--write"])
        .arg(&history)
        .arg(&history)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("is the history file"));
}

#[test]
fn calibrate_write_refuses_a_file_of_another_runs_output_folder_even_with_force() {
    let history = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/calibrate/history.csv");
    let tmp = TempDir::new().unwrap();
    let first = tmp.path().join("first");
    inmail_sim()
        .arg("calibrate")
        .arg(&history)
        .arg("--out")
        .arg(&first)
        .arg("--quiet")
        .assert()
        .success();
    let before = std::fs::read(first.join("calibration.csv")).unwrap();
    let out = tmp.path().join("out");
    inmail_sim()
        .arg("calibrate")
        .arg(&history)
        .arg("--force")
        .arg("--write")
        .arg(first.join("calibration.csv"))
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("another run's output folder"));
    assert_eq!(
        std::fs::read(first.join("calibration.csv")).unwrap(),
        before
    );
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn calibrate_write_refuses_a_rate_the_history_leaves_open_at_the_top_and_writes_nothing() {
    use inmail_sim::calendar::Date;
    use inmail_sim::calibrate::synthetic::{SyntheticSpec, generate, write_csv};
    // 200 InMails over the last 7 days: through the 90-day window the
    // likelihood of this draw stays flat up to a rate of 1, so the beta
    // matched to the interval would have a mean far above the estimate.
    let as_of = Date::parse("2026-11-28").unwrap();
    let young = SyntheticSpec {
        span_days: 7,
        ..SyntheticSpec::young(as_of)
    };
    let tmp = TempDir::new().unwrap();
    let history = tmp.path().join("young.csv");
    write_csv(
        &generate(&young, 1),
        std::fs::File::create(&history).unwrap(),
    )
    .unwrap();
    let (out, snippet) = (tmp.path().join("out"), tmp.path().join("rates.toml"));
    let output = inmail_sim()
        .arg("calibrate")
        .arg(&history)
        .args(["--as-of", "2026-11-28", "--out"])
        .arg(&out)
        .arg("--write")
        .arg(&snippet)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("does not bound the reply rate from above yet"),
        "{stderr}"
    );
    assert!(stderr.contains("rates.toml"), "{stderr}");
    // Every InMail is under 7 days old: no counts to offer instead.
    assert!(stderr.contains("no InMail is 90 days old yet"), "{stderr}");
    assert!(!out.exists() && !snippet.exists(), "nothing is written");
    // Without --write the summary still says what the data do bound.
    let shown = inmail_sim()
        .arg("calibrate")
        .arg(&history)
        .args(["--as-of", "2026-11-28"])
        .output()
        .unwrap();
    assert!(shown.status.success());
    let said = String::from_utf8_lossy(&shown.stdout);
    assert!(said.contains("not written as a scenario's rate"), "{said}");
}
