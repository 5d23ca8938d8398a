//! End-to-end tests of the `inmail-sim` binary: the shipped scenarios run and
//! write exactly the documented files; bad input exits with code 2, says
//! which file, key and value are wrong, and writes nothing.
//!
//! Bad scenarios live in tests/fixtures/bad/, one case per file, each with
//! its expected message fragments in `# expect: ...` comment lines (and text
//! the message must not contain in `# not: ...` lines): adding a case is
//! adding a file.

use assert_cmd::Command;
use inmail_sim::scenario::catalog::CATALOG;
use predicates::prelude::*;
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// The one place the command under test is built.
fn inmail_sim() -> Command {
    Command::cargo_bin("inmail-sim").expect("the inmail-sim binary is built")
}

const SUMMARY_HEADER: &str =
    "metric,cycle,unit,n,none,mean,sd,se,ci95_low,ci95_high,p5,p25,p50,p75,p95,min,max";
const HISTOGRAMS_HEADER: &str = "metric,cycle,unit,value,count,share,cumulative_share";
const METADATA_KEYS: [&str; 15] = [
    "scenario_name",
    "scenario_description",
    "scenario_file",
    "scenario_sha256",
    "seed",
    "trials",
    "partial",
    "months",
    "start_date",
    "plan_id",
    "billing",
    "tool",
    "tool_version",
    "threads",
    "wall_time_seconds",
];
const NOT_VALID_1_OF_1: &str = "error: 1 of 1 scenario files are not valid\n";

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// The `.toml` files directly in `dir`, sorted.
fn toml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    files.sort();
    files
}

/// Every name in `dir` (hidden ones too), sorted.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The first line after the leading `# ` comment lines: the header.
fn first_line(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap();
    let mut lines = text.lines().skip_while(|l| l.starts_with('#'));
    lines.next().unwrap_or_default().to_string()
}

/// `dir` holds exactly the files of a run of `trials` trials, the CSVs with their
/// documented headers, and nothing else (no temporary files).
fn assert_run_output(dir: &Path, trials: u64) {
    assert_eq!(
        names_in(dir),
        [
            "balance_fan.svg",
            "first_blocked_day.svg",
            "first_exhausted_month.svg",
            "histograms.csv",
            "metadata.csv",
            "metadata.json",
            "refunds_expired.svg",
            "report.html",
            "summary.csv"
        ],
        "in {}",
        dir.display()
    );
    assert_eq!(first_line(&dir.join("summary.csv")), SUMMARY_HEADER);
    assert_eq!(first_line(&dir.join("histograms.csv")), HISTOGRAMS_HEADER);
    let metadata = fs::read_to_string(dir.join("metadata.csv")).unwrap();
    let mut lines = metadata.lines().skip_while(|l| l.starts_with('#'));
    assert_eq!(lines.next(), Some("key,value"));
    let rows: Vec<(&str, &str)> = lines.map(|l| l.split_once(',').unwrap()).collect();
    let keys: Vec<&str> = rows.iter().map(|(k, _)| *k).collect();
    assert_eq!(keys, METADATA_KEYS);
    assert!(
        rows.contains(&("trials", &trials.to_string())),
        "{metadata}"
    );
    assert!(
        fs::read_to_string(dir.join("summary.csv"))
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with('#'))
            .count()
            > 1,
        "summary.csv has rows"
    );
}

/// Each file validates on its own line, then runs 2000 quiet trials into a
/// fresh folder that ends up holding exactly the documented files.
fn assert_scenarios_validate_and_run(files: &[PathBuf]) {
    let out = inmail_sim().arg("validate").args(files).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "validate failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for file in files {
        assert!(
            stdout.contains(&format!("ok: {} (", file.display())),
            "{stdout}"
        );
    }
    for file in files {
        let tmp = TempDir::new().unwrap();
        let dir = tmp.path().join("out");
        inmail_sim()
            .current_dir(tmp.path())
            .arg("run")
            .arg(file)
            .args(["--trials", "2000", "--quiet", "--out"])
            .arg(&dir)
            .assert()
            .success()
            .stdout("")
            .stderr("");
        assert_eq!(names_in(tmp.path()), ["out"], "{}", file.display());
        assert_run_output(&dir, 2000);
    }
}

#[test]
fn every_shipped_scenario_validates_and_runs_writing_exactly_the_documented_files() {
    let files = toml_files(&repo("scenarios"));
    assert!(
        files.len() >= 6,
        "expected at least 6 scenarios/*.toml, found {}",
        files.len()
    );
    assert_scenarios_validate_and_run(&files);
}

#[test]
fn every_good_fixture_validates_and_runs_writing_exactly_the_documented_files() {
    let files = toml_files(&repo("tests/fixtures/good"));
    assert!(files.len() >= 4, "found {} good fixtures", files.len());
    assert_scenarios_validate_and_run(&files);
}

fn good(name: &str) -> PathBuf {
    repo(&format!("tests/fixtures/good/{name}.toml"))
}

#[test]
fn a_run_prints_the_summary_table_on_stdout_and_no_progress_bar_on_stderr() {
    let tmp = TempDir::new().unwrap();
    inmail_sim()
        .current_dir(tmp.path())
        .arg("run")
        .arg(good("core_heavy_with_addons"))
        .args(["--trials", "2000", "--out", "out"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("core_heavy_with_addons")
                .and(predicate::str::contains("chance of running out"))
                .and(predicate::str::contains("total cost"))
                .and(predicate::str::contains(
                    "Wrote to out: summary.csv, histograms.csv",
                )),
        )
        // stderr is a pipe here, not a terminal: no progress bar.
        .stderr("");
    assert_run_output(&tmp.path().join("out"), 2000);
}

#[test]
fn quiet_prints_nothing_on_stdout_and_still_writes_the_files() {
    let tmp = TempDir::new().unwrap();
    inmail_sim()
        .current_dir(tmp.path())
        .arg("run")
        .arg(good("premium_career_fixed_rate"))
        .args(["--trials", "500", "-q", "--out", "out"])
        .assert()
        .success()
        .stdout("")
        .stderr("");
    assert_run_output(&tmp.path().join("out"), 500);
}

#[test]
fn the_default_output_folder_is_results_slash_the_scenario_name_in_the_working_directory() {
    let tmp = TempDir::new().unwrap();
    // `name` in the file wins over the file name...
    fs::copy(
        good("premium_career_fixed_rate"),
        tmp.path().join("copy.toml"),
    )
    .unwrap();
    // ...and without `name`, the file stem is the scenario name.
    fs::copy(
        good("inline_plan_monthly_addons"),
        tmp.path().join("team.toml"),
    )
    .unwrap();
    for file in ["copy.toml", "team.toml"] {
        inmail_sim()
            .current_dir(tmp.path())
            .args(["run", file, "--trials", "300", "--quiet"])
            .assert()
            .success();
    }
    let results = tmp.path().join("results");
    assert_eq!(names_in(&results), ["premium_career_fixed_rate", "team"]);
    assert_run_output(&results.join("premium_career_fixed_rate"), 300);
    assert_run_output(&results.join("team"), 300);
}

#[test]
fn out_creates_missing_parent_folders() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("a/b/c");
    inmail_sim()
        .arg("run")
        .arg(good("premium_career_fixed_rate"))
        .args(["--trials", "200", "--quiet", "--out"])
        .arg(&dir)
        .assert()
        .success();
    assert_run_output(&dir, 200);
}

/// A bad fixture's expectations, read from its comment lines.
struct Expectation {
    contains: Vec<String>,
    not_contains: Vec<String>,
}

fn expectation(path: &Path) -> Expectation {
    let text = fs::read_to_string(path).unwrap();
    let lines_after = |prefix: &str| -> Vec<String> {
        text.lines()
            .filter_map(|l| l.strip_prefix(prefix))
            .map(|s| s.trim().to_string())
            .collect()
    };
    Expectation {
        contains: lines_after("# expect:"),
        not_contains: lines_after("# not:"),
    }
}

/// What is wrong with one bad fixture's handling, if anything: both
/// `validate` and `run` must exit with 2, print the same message naming the
/// file and containing every expected fragment, and write nothing.
fn bad_fixture_problems(path: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    let expect = expectation(path);
    if expect.contains.is_empty() {
        problems.push("has no `# expect:` line".to_string());
    }
    let validate = inmail_sim().arg("validate").arg(path).output().unwrap();
    let stderr = String::from_utf8_lossy(&validate.stderr).into_owned();
    if validate.status.code() != Some(2) {
        problems.push(format!("validate exited with {:?}", validate.status.code()));
    }
    if !validate.stdout.is_empty() {
        problems.push("validate printed on stdout".to_string());
    }
    if !stderr.starts_with(&format!("error: {}: ", path.display())) {
        problems.push("the message does not start with the file's path".to_string());
    }
    for fragment in &expect.contains {
        if !stderr.contains(fragment.as_str()) {
            problems.push(format!("the message lacks {fragment:?}"));
        }
    }
    for fragment in &expect.not_contains {
        if stderr.contains(fragment.as_str()) {
            problems.push(format!("the message contains {fragment:?}"));
        }
    }

    let tmp = TempDir::new().unwrap();
    let run = inmail_sim()
        .current_dir(tmp.path())
        .arg("run")
        .arg(path)
        .arg("--out")
        .arg(tmp.path().join("out/deeper"))
        .output()
        .unwrap();
    if run.status.code() != Some(2) {
        problems.push(format!("run exited with {:?}", run.status.code()));
    }
    if !run.stdout.is_empty() {
        problems.push("run printed on stdout".to_string());
    }
    let run_stderr = String::from_utf8_lossy(&run.stderr);
    if format!("{run_stderr}{NOT_VALID_1_OF_1}") != stderr {
        problems.push(format!("run said something else: {run_stderr:?}"));
    }
    let left = names_in(tmp.path());
    if !left.is_empty() {
        problems.push(format!("run left {left:?} behind"));
    }
    if problems.is_empty() {
        return problems;
    }
    problems.push(format!("validate said: {stderr:?}"));
    problems
}

#[test]
fn every_bad_fixture_is_refused_by_validate_and_run_with_exit_code_2_and_writes_nothing() {
    let files = toml_files(&repo("tests/fixtures/bad"));
    assert!(files.len() >= 25, "found only {} bad fixtures", files.len());
    let mut report = String::new();
    for file in &files {
        let problems = bad_fixture_problems(file);
        if !problems.is_empty() {
            let name = file.file_name().unwrap().to_string_lossy();
            report.push_str(&format!("\n{name}:\n  {}", problems.join("\n  ")));
        }
    }
    assert!(report.is_empty(), "bad fixtures handled wrongly:{report}");
}

/// Bad scenarios too big to commit, generated like fixtures: a 10 MB value
/// (shown cut to 80 characters) and arrays nested 10,000 deep (the toml
/// crate's recursion limit, not a stack overflow).
#[test]
fn a_ten_megabyte_value_and_deep_nesting_are_refused_with_a_short_message() {
    let tmp = TempDir::new().unwrap();
    let base = "[plan]\nid = \"free\"\n[demand]\nper_workday = 1\n";
    let huge = "x".repeat(10_000_000);
    let cases = [
        (
            "huge_name",
            "name = \"xxxx",
            format!("name = \"{huge}\"\n{base}"),
        ),
        (
            "huge_rate",
            "response.rate = \"xxxx",
            format!("{base}[response]\nrate = \"{huge}\"\n"),
        ),
        (
            "huge_key",
            "TOML parse error",
            format!("{huge} = 1\n{base}"),
        ),
        (
            "deep",
            "TOML parse error",
            format!(
                "{base}[response]\nrate = {}{}\n",
                "[".repeat(10_000),
                "]".repeat(10_000)
            ),
        ),
    ];
    for (name, fragment, body) in cases {
        let path = tmp.path().join(format!("{name}.toml"));
        fs::write(&path, format!("# expect: {fragment}\n{body}")).unwrap();
        let problems = bad_fixture_problems(&path);
        assert!(problems.is_empty(), "{name}: {problems:.2000?}");
        let out = inmail_sim().arg("validate").arg(&path).output().unwrap();
        assert!(
            out.stderr.len() < 2000,
            "{name}: {} bytes",
            out.stderr.len()
        );
    }
}

#[test]
fn a_missing_scenario_file_is_named_in_the_error() {
    let tmp = TempDir::new().unwrap();
    let missing = tmp.path().join("no_such_file.toml");
    for command in ["validate", "run"] {
        inmail_sim()
            .current_dir(tmp.path())
            .arg(command)
            .arg(&missing)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(format!(
                "error: {}: cannot read the scenario file",
                missing.display()
            )));
    }
    assert!(names_in(tmp.path()).is_empty());
}

#[test]
fn trials_0_on_the_command_line_is_refused_naming_the_option() {
    let tmp = TempDir::new().unwrap();
    inmail_sim()
        .arg("run")
        .arg(good("premium_career_fixed_rate"))
        .args(["--trials", "0", "--out"])
        .arg(tmp.path().join("out"))
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "--trials = 0: expected a whole number from 1",
        ));
    assert!(names_in(tmp.path()).is_empty());
}

#[test]
fn threads_0_is_refused_by_the_argument_parser_with_exit_code_2() {
    let tmp = TempDir::new().unwrap();
    inmail_sim()
        .arg("run")
        .arg(good("premium_career_fixed_rate"))
        .args(["--threads", "0", "--out"])
        .arg(tmp.path().join("out"))
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("'--threads <T>'").and(predicate::str::contains("0")));
    assert!(names_in(tmp.path()).is_empty());
}

#[test]
fn an_output_folder_under_a_regular_file_is_refused_and_nothing_is_created() {
    let tmp = TempDir::new().unwrap();
    let plain = tmp.path().join("plain");
    fs::write(&plain, b"not a folder").unwrap();
    for out in [plain.join("sub/deeper"), plain.clone()] {
        inmail_sim()
            .arg("run")
            .arg(good("premium_career_fixed_rate"))
            .args(["--trials", "100", "--out"])
            .arg(&out)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(format!(
                "error: cannot write to the output folder {}",
                out.display()
            )));
    }
    assert_eq!(names_in(tmp.path()), ["plain"]);
    assert_eq!(fs::read(&plain).unwrap(), b"not a folder");
}

#[test]
fn a_scenario_that_is_a_folder_is_refused_with_exit_code_2() {
    let tmp = TempDir::new().unwrap();
    let folder = tmp.path().join("folder.toml");
    fs::create_dir(&folder).unwrap();
    for command in ["validate", "run"] {
        inmail_sim()
            .current_dir(tmp.path())
            .arg(command)
            .arg(&folder)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(format!(
                "error: {}: cannot read the scenario file",
                folder.display()
            )));
    }
    assert_eq!(names_in(tmp.path()), ["folder.toml"]);
    assert!(names_in(&folder).is_empty());
}

#[test]
fn a_scenario_that_is_not_utf8_is_refused_with_exit_code_2() {
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("latin1.toml");
    let text = "name = \"caf\u{e9}\"\n[plan]\nid = \"free\"\n[demand]\nper_workday = 1\n";
    let latin1: Vec<u8> = text.chars().map(|c| c as u8).collect();
    fs::write(&file, latin1).unwrap();
    for command in ["validate", "run"] {
        inmail_sim()
            .current_dir(tmp.path())
            .arg(command)
            .arg(&file)
            .assert()
            .code(2)
            .stdout("")
            .stderr(
                predicate::str::contains(format!("error: {}: ", file.display()))
                    .and(predicate::str::contains("UTF-8")),
            );
    }
    assert_eq!(names_in(tmp.path()), ["latin1.toml"]);
}

#[test]
fn validate_with_one_bad_file_among_good_ones_reports_each_and_exits_with_2() {
    let goods = [
        good("premium_career_fixed_rate"),
        good("recruiter_lite_per_cycle"),
        good("core_heavy_with_addons"),
    ];
    let bad = repo("tests/fixtures/bad/rate_120_percent.toml");
    let out = inmail_sim()
        .arg("validate")
        .args(&goods[..2])
        .arg(&bad)
        .arg(&goods[2])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let ok_lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(ok_lines.len(), 3, "{stdout}");
    for (line, file) in ok_lines.iter().zip(&goods) {
        assert!(
            line.starts_with(&format!("ok: {} (", file.display())),
            "{line}"
        );
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let errors: Vec<&str> = stderr.lines().collect();
    assert_eq!(errors.len(), 2, "{stderr}");
    assert!(errors[0].starts_with(&format!("error: {}: response.rate", bad.display())));
    assert_eq!(errors[1], "error: 1 of 4 scenario files are not valid");
}

#[test]
fn plans_lists_every_catalog_id_and_exits_with_0() {
    let out = inmail_sim().arg("plans").assert().success().stderr("");
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(CATALOG.len() >= 9);
    for plan in CATALOG {
        assert!(
            stdout
                .lines()
                .any(|l| l.split_whitespace().next() == Some(plan.id)),
            "{} missing from:\n{stdout}",
            plan.id
        );
    }
}

#[test]
fn plans_into_a_closed_pipe_is_not_an_error() {
    // Like `inmail-sim plans | head -0`: the reader is gone before the first
    // write, so the write fails with a broken pipe, which must exit with 0.
    let mut child = std::process::Command::new(inmail_sim().get_program())
        .arg("plans")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{:?}", out.status);
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn the_top_level_help_lists_the_subcommands_and_examples() {
    inmail_sim().arg("--help").assert().success().stdout(
        predicate::str::contains("run")
            .and(predicate::str::contains("validate"))
            .and(predicate::str::contains("plans"))
            .and(predicate::str::contains("--version"))
            .and(predicate::str::contains("Examples:"))
            .and(predicate::str::contains(
                "inmail-sim validate scenarios/*.toml",
            )),
    );
}

#[test]
fn the_run_help_lists_every_option_examples_and_exit_status() {
    let mut help = predicate::str::contains("Examples:")
        .and(predicate::str::contains("inmail-sim run scenarios/"))
        .and(predicate::str::contains("Exit status"))
        .boxed();
    for option in [
        "--trials",
        "--months",
        "--seed",
        "--threads",
        "--out",
        "--quiet",
    ] {
        help = help.and(predicate::str::contains(option)).boxed();
    }
    inmail_sim()
        .args(["run", "--help"])
        .assert()
        .success()
        .stdout(help);
}

#[test]
fn version_prints_the_package_version() {
    inmail_sim()
        .arg("--version")
        .assert()
        .success()
        .stdout(format!("inmail-sim {}\n", env!("CARGO_PKG_VERSION")));
}
