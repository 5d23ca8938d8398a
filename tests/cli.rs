//! End-to-end tests of the `inmail-sim` binary that succeed: the shipped
//! scenarios run and write exactly the documented files, the summary table,
//! output folders, `plans`, `--help` and `--version`. Refusals of bad input
//! are in tests/bad_input.rs.

#[path = "cli/citations.rs"]
mod citations;
mod common;
#[path = "cli/docs_links.rs"]
mod docs_links;
#[path = "cli/starter.rs"]
mod starter;

use common::{good, inmail_sim, names_in, repo, toml_files};
use inmail_sim::scenario::catalog::CATALOG;
use predicates::prelude::*;
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

const SUMMARY_HEADER: &str = "cycle,period_start,period_end,days,partial,\
metric,unit,n,none,mean,sd,se,ci95_low,ci95_high,p5,p25,p50,p75,p95,min,max";
const SUMMARY_HORIZON_HEADER: &str =
    "metric,unit,n,none,mean,sd,se,ci95_low,ci95_high,p5,p25,p50,p75,p95,min,max";
const HISTOGRAMS_HEADER: &str = "cycle,period_start,period_end,days,partial,\
metric,unit,value,count,share,cumulative_share";
const MONTHLY_HEADER: &str = "cycle,month,period_start,period_end,days,partial,ran_out,\
demand,sent,blocked,blocked_p5,blocked_p95,responses,refunds,expired,bought,cost,cost_p5,cost_p95,\
floor_refused,forfeited";
const METADATA_KEYS: [&str; 17] = [
    "tool",
    "tool_version",
    "command",
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
    "renewal",
    "threads",
    "wall_time_seconds",
];

/// Line 1 of a file: the header of a CSV.
fn first_line(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap();
    text.lines().next().unwrap_or_default().to_string()
}

/// `dir` holds exactly the files of a run of `trials` trials (and the
/// manifest that lists them), the CSVs with their documented headers, and
/// nothing else (no temporary files).
fn assert_run_output(dir: &Path, trials: u64) {
    assert_eq!(
        names_in(dir),
        [
            ".inmail-sim-files",
            "balance_fan.svg",
            "first_blocked_day.svg",
            "first_exhausted_month.svg",
            "histograms.csv",
            "histograms_horizon.csv",
            "metadata.csv",
            "metadata.json",
            "monthly.csv",
            "refunds_expired.svg",
            "report.html",
            "summary.csv",
            "summary_horizon.csv"
        ],
        "in {}",
        dir.display()
    );
    assert_eq!(first_line(&dir.join("summary.csv")), SUMMARY_HEADER);
    assert_eq!(first_line(&dir.join("histograms.csv")), HISTOGRAMS_HEADER);
    assert_eq!(
        first_line(&dir.join("summary_horizon.csv")),
        SUMMARY_HORIZON_HEADER
    );
    assert_eq!(first_line(&dir.join("monthly.csv")), MONTHLY_HEADER);
    let metadata = fs::read_to_string(dir.join("metadata.csv")).unwrap();
    let mut lines = metadata.lines();
    assert_eq!(lines.next(), Some("key,value"));
    let rows: Vec<(&str, &str)> = lines.map(|l| l.split_once(',').unwrap()).collect();
    // `what_if` is there only for a what-if (add-ons a plan does not sell).
    let keys: Vec<&str> = rows
        .iter()
        .map(|(k, _)| *k)
        .filter(|k| *k != "what_if")
        .collect();
    assert_eq!(keys, METADATA_KEYS);
    assert!(
        rows.contains(&("trials", &trials.to_string())),
        "{metadata}"
    );
    assert!(
        fs::read_to_string(dir.join("summary.csv"))
            .unwrap()
            .lines()
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
                    "Wrote to out: summary.csv, summary_horizon.csv, monthly.csv, histograms.csv",
                )),
        )
        // stderr is a pipe here, not a terminal: no progress bar.
        .stderr("");
    assert_run_output(&tmp.path().join("out"), 2000);
}

#[test]
fn with_a_backlog_the_horizon_counts_blocked_send_attempts_not_inmails() {
    // A waiting InMail is retried each send day and counts each time: the
    // label and report.html say attempts, so a total above the demand is
    // not read as InMails.
    let tmp = TempDir::new().unwrap();
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/variants/backlog.toml");
    let out = tmp.path().join("out");
    inmail_sim()
        .arg("run")
        .arg(&file)
        .args(["--trials", "200", "--threads", "1", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stdout(
            predicate::str::contains("send attempts blocked (each retry)")
                .and(predicate::str::contains("InMails blocked").not()),
        );
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.contains("send attempts a month are blocked for lack of a credit"));
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
fn a_file_named_with_a_space_or_an_accent_and_no_name_runs_under_a_plain_name_made_from_it() {
    let tmp = TempDir::new().unwrap();
    for file in ["my scenario.toml", "naïve.toml"] {
        fs::copy(good("inline_plan_monthly_addons"), tmp.path().join(file)).unwrap();
        inmail_sim()
            .current_dir(tmp.path())
            .args(["validate", file])
            .assert()
            .success();
        inmail_sim()
            .current_dir(tmp.path())
            .args(["run", file, "--trials", "200", "--quiet"])
            .assert()
            .success();
    }
    let results = tmp.path().join("results");
    assert_eq!(names_in(&results), ["my_scenario", "naive"]);
    assert_run_output(&results.join("naive"), 200);
}

#[test]
fn an_escape_sequence_in_a_file_name_is_shown_escaped_not_sent_to_the_terminal() {
    let tmp = TempDir::new().unwrap();
    let good_name = "\u{1b}[2Jok.toml";
    fs::copy(
        good("inline_plan_monthly_addons"),
        tmp.path().join(good_name),
    )
    .unwrap();
    let bad_name = "\u{1b}]0;title\u{7}bad.toml";
    fs::write(tmp.path().join(bad_name), "[plan]\nid = \"nope\"\n").unwrap();
    // The TOML parser quotes the line it cannot read: here, a raw ESC.
    fs::write(tmp.path().join("raw.toml"), "name = \"\u{1b}[2J\"\n").unwrap();
    let out = inmail_sim()
        .current_dir(tmp.path())
        .args(["validate", good_name, bad_name, "raw.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let (stdout, stderr) = (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    );
    assert!(
        stdout.starts_with("ok: \\u{1b}[2Jok.toml (__2Jok: Team plan,"),
        "{stdout:?}"
    );
    assert!(
        stderr.starts_with("error: \\u{1b}]0;title\\u{7}bad.toml: plan.id = \"nope\""),
        "{stderr:?}"
    );
    assert!(stderr.contains("\\u{1b}[2J"), "{stderr:?}");
    let raw = |text: &str| text.chars().any(|c| c.is_control() && c != '\n');
    assert!(!raw(&stdout) && !raw(&stderr), "{stdout:?} {stderr:?}");
}

#[test]
fn one_trial_of_one_month_is_said_in_the_singular_on_the_terminal_the_page_and_the_charts() {
    let tmp = TempDir::new().unwrap();
    // A calendar plan started on the 31st: a partial first month of 1 day.
    let file = tmp.path().join("one.toml");
    fs::write(
        &file,
        "start_date = 2026-01-31\ntrials = 1\nmonths = 1\n\
         [plan]\nid = \"sales_navigator_core\"\n[demand]\nper_workday = 3\n",
    )
    .unwrap();
    let validated = inmail_sim().arg("validate").arg(&file).output().unwrap();
    let validated = String::from_utf8(validated.stdout).unwrap();
    assert!(validated.contains(", 1 trial x 1 month)"), "{validated}");
    let out = tmp.path().join("out");
    let stdout = inmail_sim()
        .arg("run")
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let stdout = String::from_utf8(stdout.stdout).unwrap();
    assert!(stdout.contains(", 1 trial x 1 month, seed 1"), "{stdout}");
    assert!(stdout.contains("* partial month: 1 day,"), "{stdout}");
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        html.contains("inmail-sim run: 1 trial x 1 month"),
        "report.html"
    );
    assert!(html.contains("over the month)"), "report.html");
    assert!(html.contains("A partial month: 1 day,"), "report.html");
    let svg = fs::read_to_string(out.join("balance_fan.svg")).unwrap();
    assert!(svg.contains("1 trial × 1 month"), "{svg}");
    for text in [&stdout, &validated, &html, &svg] {
        for wrong in ["1 trials", "1 months", "1 days"] {
            assert!(!text.contains(wrong), "{wrong}");
        }
    }
    let examples = tmp.path().join("examples");
    let stdout = inmail_sim()
        .args(["examples", "reference", "--write"])
        .arg(&examples)
        .output()
        .unwrap();
    let stdout = String::from_utf8(stdout.stdout).unwrap();
    assert!(stdout.starts_with("Wrote 1 file into"), "{stdout}");
}

#[test]
fn user_values_in_messages_are_quoted_as_typed_not_as_rust_debug_text() {
    let tmp = TempDir::new().unwrap();
    let file = good("inline_plan_monthly_addons");
    for (set, shown) in [
        (
            "response.rate=\"5%\"",
            "--set response.rate=\"5%\": write the value without quotes: --set response.rate=5%",
        ),
        ("response.rate=5%x", "\"5%x\" is not a number"),
        (
            "response.rate=5\n[plan]\nid=\"free\"",
            "'5\\n[plan]\\nid=\"free\"'",
        ),
    ] {
        let out = inmail_sim()
            .arg("run")
            .arg(&file)
            .args(["--trials", "5", "--quiet", "--set", set, "--out"])
            .arg(tmp.path().join("out"))
            .output()
            .unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(shown), "{stderr}");
        assert!(!stderr.contains("\\\""), "{stderr}");
    }
    let out = inmail_sim()
        .current_dir(tmp.path())
        .args(["init", "x.toml", "--rate", "12%\""])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("'12%\"'") && !stderr.contains("\\\""),
        "{stderr}"
    );
}

#[test]
fn a_plan_name_with_a_bidi_override_is_refused_and_a_direction_mark_is_kept() {
    // An override reverses what follows it on every screen the name
    // reaches (the terminal, a spreadsheet, the report): refused, as other
    // controls are. A mark only settles the direction next to it.
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("rtl.toml");
    fs::write(
        &file,
        "[plan]\nid = \"sales_navigator_core\"\nname = \"abc\u{202e}dcba\"\n\
         [demand]\nper_workday = 3\n",
    )
    .unwrap();
    common::assert_refused(
        "run",
        &[&file],
        &["--trials", "5"],
        &[
            "plan.name",
            "contains the direction control U+202E at character 4",
        ],
    );
    fs::write(
        &file,
        "[plan]\nid = \"sales_navigator_core\"\nname = \"abc\u{200f}dcba\"\n\
         [demand]\nper_workday = 3\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    inmail_sim()
        .arg("run")
        .arg(&file)
        .args(["--trials", "5", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
}

#[test]
fn control_characters_in_the_output_folder_are_shown_escaped_where_it_is_printed() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("e\u{1b}[31mx\ny");
    let output = inmail_sim()
        .arg("run")
        .arg(good("inline_plan_monthly_addons"))
        .args(["--trials", "5", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    let wrote = stdout.lines().find(|l| l.starts_with("Wrote to ")).unwrap();
    assert!(wrote.contains("e\\u{1b}[31mx\\ny: "), "{stdout:?}");
    let report = stdout
        .lines()
        .find(|l| l.starts_with("The one-page report: "));
    assert!(
        report.unwrap().ends_with("e\\u{1b}[31mx\\ny/report.html"),
        "{stdout:?}"
    );
    assert!(!stdout.contains('\u{1b}'), "{stdout:?}");
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

/// Runs `inmail-sim` with `args`, its stdout a pipe whose reader is gone
/// before the first write (like `| head -0`), so writing fails with a
/// broken pipe; asserts that it exits with 0 and says nothing on stderr.
fn assert_quiet_success_into_a_closed_pipe(args: &[&std::ffi::OsStr]) {
    let mut child = std::process::Command::new(inmail_sim().get_program())
        .args(args)
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
fn plans_into_a_closed_pipe_is_not_an_error() {
    assert_quiet_success_into_a_closed_pipe(&["plans".as_ref()]);
}

#[test]
fn a_run_into_a_closed_pipe_exits_with_0_and_still_writes_every_file() {
    // The reader is gone long before the summary is printed (the trials
    // come first): the broken pipe must neither be an error nor cost the
    // files.
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    let scenario = good("core_heavy_with_addons");
    assert_quiet_success_into_a_closed_pipe(&[
        "run".as_ref(),
        scenario.as_os_str(),
        "--trials".as_ref(),
        "2000".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    assert_run_output(&out, 2000);
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

/// Help text with its wrapping undone: words joined by single spaces.
fn help_words(args: &[&str]) -> String {
    let out = inmail_sim().args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_help_says_run_writes_its_monthly_table_charts_and_report_not_three_csvs() {
    let about = "Simulate a scenario and write its results (summary, monthly and histogram \
                 CSVs, charts, report.html) to a folder";
    for args in [&["--help"][..], &["run", "--help"], &["help", "run"]] {
        let help = help_words(args);
        assert!(help.contains(about), "{args:?}: {help}");
        assert!(!help.contains("write summary.csv, histograms.csv and metadata.csv"));
    }
    let top = help_words(&["--help"]);
    assert!(
        top.contains("SVG charts and a one-page report.html"),
        "{top}"
    );
}

#[test]
fn the_sensitivity_help_names_every_file_sensitivity_writes() {
    let help = help_words(&["sensitivity", "--help"]);
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("s");
    let file = repo("scenarios/reference.toml");
    let extra = [
        "--trials",
        "50",
        "--months",
        "2",
        "--threads",
        "1",
        "--quiet",
    ];
    common::succeed("sensitivity", &[&file], &out, &extra);
    let written: Vec<String> = names_in(&out)
        .into_iter()
        .filter(|n| !n.starts_with('.'))
        .collect();
    assert_eq!(written.len(), 5, "{written:?}");
    for name in &written {
        assert!(help.contains(name.as_str()), "{name} is not in: {help}");
    }
}

#[test]
fn version_prints_the_package_version() {
    inmail_sim()
        .arg("--version")
        .assert()
        .success()
        .stdout(format!("inmail-sim {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn an_escape_sequence_in_an_output_folder_named_in_an_error_is_shown_escaped() {
    let tmp = TempDir::new().unwrap();
    // A plain file where the folder should be: the error names the path.
    let blocker = tmp.path().join("\u{1b}[2Jx");
    fs::write(&blocker, b"").unwrap();
    let out = inmail_sim()
        .args([
            "run",
            "scenarios/reference.toml",
            "--trials",
            "10",
            "--quiet",
        ])
        .arg("--out")
        .arg(blocker.join("sub"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("\\u{1b}[2Jx"), "{stderr:?}");
    assert!(!stderr.contains('\u{1b}'), "{stderr:?}");
}

/// The `seed` row of a metadata.csv.
fn metadata_seed(dir: &Path) -> String {
    let text = fs::read_to_string(dir.join("metadata.csv")).unwrap();
    let row = text.lines().find_map(|l| l.strip_prefix("seed,"));
    row.unwrap_or_else(|| panic!("no seed row in {}", dir.display()))
        .to_string()
}

#[test]
fn every_command_accepts_the_largest_seed_a_file_can_state_and_uses_it() {
    let tmp = TempDir::new().unwrap();
    let largest = u64::MAX.to_string();
    let text = format!(
        "seed = {largest}\n[plan]\nid = \"sales_navigator_core\"\n[demand]\nper_week = 10\n"
    );
    let a = tmp.path().join("a.toml");
    let b = tmp.path().join("b.toml");
    fs::write(&a, &text).unwrap();
    fs::write(&b, &text).unwrap();
    inmail_sim().arg("validate").arg(&a).assert().code(0);
    let few = ["--trials", "20", "--no-charts", "--quiet"];
    let sweep = [&few[..], &["--param", "demand.per_week=5..6"]].concat();
    let runs: [(&str, Vec<&Path>, &[&str]); 4] = [
        ("run", vec![&a], &few),
        ("compare", vec![&a, &b], &few),
        ("sweep", vec![&a, &b], &sweep),
        ("sensitivity", vec![&a], &few),
    ];
    for (command, files, extra) in runs {
        let out = tmp.path().join(command);
        common::succeed(command, &files, &out, extra);
        assert_eq!(metadata_seed(&out), largest, "{command}");
    }
}

#[test]
fn one_trial_gives_no_interval_in_the_table_the_csvs_or_report_html_and_says_so() {
    let tmp = TempDir::new().unwrap();
    let note = "Only 1 trial was run: standard errors and 95% intervals need at least 2 trials";
    let out = tmp.path().join("run");
    let file = repo("scenarios/premium_career.toml");
    let stdout = common::succeed("run", &[&file], &out, &["--trials", "1"]);
    assert!(stdout.contains(note), "{stdout}");
    // No interval: empty cells, missing to any CSV reader, so the
    // columns stay numeric.
    let rows = common::rows(&out.join("summary_horizon.csv"));
    let cost = rows.iter().find(|r| r["metric"] == "total_cost").unwrap();
    for key in ["sd", "se", "ci95_low", "ci95_high"] {
        assert_eq!(cost[key], "", "{key}");
    }
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains(note) && !html.contains("NaN"));

    let out = tmp.path().join("compare");
    let files = toml_files(&repo("scenarios/compare/core_addons_vs_advanced"));
    let stdout = common::succeed("compare", &files, &out, &["--trials", "1"]);
    assert!(stdout.contains(note), "{stdout}");
    // Not "$159.99 ($159.99–$159.99)": an interval of zero width.
    assert!(
        stdout.contains(" (n/a)") && !stdout.contains("95% CI $"),
        "{stdout}"
    );
    let options = common::rows(&out.join("options.csv"));
    for key in [
        "monthly_cost_se",
        "monthly_cost_ci95_low",
        "monthly_cost_ci95_high",
    ] {
        assert_eq!(options[0][key], "", "{key}");
    }
    let pairs = common::rows(&out.join("pairs.csv"));
    assert_eq!(pairs[0]["cost_difference_ci95_low"], "");
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains(note) && html.contains("(n/a)") && !html.contains("NaN"));
}

/// `calibrate` (issue 20).
#[path = "cli/calibrate.rs"]
mod calibrate;

#[test]
fn a_calendar_plan_started_on_the_20th_dates_its_partial_first_month_everywhere() {
    // credit-rules §1: Sales Navigator renews on the 1st, so a start on
    // 20 Jan gives a first month of 12 days.
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("sn20.toml");
    fs::write(
        &file,
        "start_date = \"2026-01-20\"\nmonths = 3\ntrials = 200\n\
         [plan]\nid = \"sales_navigator_core\"\n[demand]\nper_workday = 3\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let stdout = common::succeed("run", &[&file], &out, &[]);
    assert!(stdout.contains("\n20 Jan – 31 Jan 2026* "), "{stdout}");
    assert!(stdout.contains("\nFeb 2026 "), "{stdout}");
    assert!(stdout.contains("* partial month: 12 days"), "{stdout}");
    // The full price of a partial month is clarification 10 of §8.
    assert!(stdout.contains("(credit-rules §1, §8.10)"), "{stdout}");
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("20 Jan – 31 Jan 2026*"), "report.html");
    assert!(html.contains("A partial month: 12 days"), "report.html");
    assert!(html.contains("(credit-rules §1, §8.10)"), "report.html");
    let fan = fs::read_to_string(out.join("balance_fan.svg")).unwrap();
    assert!(fan.contains(">20 Jan*<") && fan.contains(">Feb<"), "{fan}");
    let monthly = common::rows(&out.join("monthly.csv"));
    let dates: Vec<(&str, &str, &str, &str, &str)> = monthly
        .iter()
        .map(|r| {
            (
                r["month"].as_str(),
                r["period_start"].as_str(),
                r["period_end"].as_str(),
                r["days"].as_str(),
                r["partial"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        dates,
        [
            (
                "20 Jan – 31 Jan 2026",
                "2026-01-20",
                "2026-01-31",
                "12",
                "true"
            ),
            ("Feb 2026", "2026-02-01", "2026-02-28", "28", "false"),
            ("Mar 2026", "2026-03-01", "2026-03-31", "31", "false"),
        ]
    );
    // summary.csv's months carry the same dates.
    let summary = common::rows(&out.join("summary.csv"));
    assert!(
        summary
            .iter()
            .filter(|r| r["cycle"] == "1")
            .all(|r| r["period_start"] == "2026-01-20" && r["days"] == "12")
    );
}

#[test]
fn monthly_csv_holds_the_means_of_summary_csv_month_by_month() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    let file = repo("scenarios/sales_navigator_core_heavy_addons.toml");
    common::succeed("run", &[&file], &out, &["--trials", "300", "--quiet"]);
    let summary = common::rows(&out.join("summary.csv"));
    let monthly = common::rows(&out.join("monthly.csv"));
    assert_eq!(monthly.len(), 12);
    let mean = |cycle: &str, metric: &str| {
        let r = summary
            .iter()
            .find(|r| r["cycle"] == cycle && r["metric"] == metric)
            .unwrap();
        common::num(r, "mean")
    };
    for row in &monthly {
        let c = row["cycle"].as_str();
        for (column, metric) in [
            ("ran_out", "exhausted"),
            ("demand", "demand"),
            ("blocked", "blocked"),
            ("responses", "responses"),
            ("refunds", "refunds"),
            ("expired", "expired"),
            ("bought", "purchased"),
            ("cost", "total_cost"),
            ("forfeited", "forfeited"),
        ] {
            assert_eq!(common::num(row, column), mean(c, metric), "{column} {c}");
        }
        let sent = mean(c, "sent_paid") + mean(c, "sent_free");
        assert!((common::num(row, "sent") - sent).abs() < 1e-6, "sent {c}");
        assert!(common::num(row, "cost_p5") <= common::num(row, "cost_p95"));
    }
}

/// Sales Navigator Core from 1 January 2026 at exactly 20 InMails a month
/// with no reply, upgraded to Advanced from month 3: by hand, January's 50
/// credits less 20 sent leave 30, February's grant brings 80 (under the
/// cap of 150), less 20 leaves 60, and on 1 March, the change, those 60 are
/// forfeited (docs/model.md, "Plan changes"). Nothing expires: January's
/// credits last 90 days, to 31 March.
const UPGRADE_IN_MARCH: &str = "name = \"upgrade_in_march\"\nstart_date = 2026-01-01\n\
months = 4\ntrials = 20\n[plan]\nid = \"sales_navigator_core\"\n[demand]\nper_cycle = 20\n\
distribution = \"fixed\"\n[response]\nrate = 0\n[[plan_change]]\nfrom_cycle = 3\n\
plan = { id = \"sales_navigator_advanced\" }\n";

#[test]
fn a_plan_change_is_named_in_the_heading_and_its_forfeited_credits_shown_in_every_month_table() {
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("upgrade.toml");
    fs::write(&file, UPGRADE_IN_MARCH).unwrap();
    let out = tmp.path().join("out");
    let stdout = common::succeed("run", &[&file], &out, &[]);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[1],
        "plan change from Mar 2026 (month 3): Sales Navigator Advanced (sales_navigator_advanced)",
        "{stdout}"
    );
    let table = |month: &str| lines.iter().find(|l| l.starts_with(month)).unwrap();
    assert!(
        table("month").contains(" expired forfeited       cost"),
        "{stdout}"
    );
    assert!(table("Feb 2026").contains(" 0.0       0.0 "), "{stdout}");
    assert!(table("Mar 2026").contains(" 0.0      60.0 "), "{stdout}");
    assert!(
        stdout.contains("  credits forfeited at plan changes     60.0\n"),
        "{stdout}"
    );
    let monthly = common::rows(&out.join("monthly.csv"));
    let forfeited: Vec<&str> = monthly.iter().map(|r| r["forfeited"].as_str()).collect();
    assert_eq!(forfeited, ["0", "0", "60", "0"]);
    let metadata = fs::read_to_string(out.join("metadata.csv")).unwrap();
    assert!(
        metadata.contains(
            "\nrenewal,calendar\nplan_changes,Mar 2026 (month 3): sales_navigator_advanced\n"
        ),
        "{metadata}"
    );
    let report = fs::read_to_string(out.join("report.html")).unwrap();
    for said in [
        "From Mar 2026 (month 3): Sales Navigator Advanced (sales_navigator_advanced), $",
        "0 expire unused; 60 credits held at the plan change in Mar 2026 are forfeited",
        ">forfeited</th>",
    ] {
        assert!(report.contains(said), "report.html lacks {said}");
    }
}

#[test]
fn a_run_without_a_plan_change_shows_no_forfeited_column_or_line() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    let file = repo("scenarios/sales_navigator_core_heavy.toml");
    let stdout = common::succeed("run", &[&file], &out, &["--trials", "300"]);
    assert!(!stdout.contains("forfeited"), "{stdout}");
    assert!(!stdout.contains("plan change"), "{stdout}");
    let report = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(!report.contains("forfeited"));
    assert!(!report.contains("Plan change"));
    // monthly.csv's column is always there (a fixed header), and 0.
    let monthly = common::rows(&out.join("monthly.csv"));
    assert!(monthly.iter().all(|r| r["forfeited"] == "0"));
}

/// Sales Navigator Core buying add-ons, which Help 57013 says it cannot.
const WHAT_IF_LINE: &str = "what-if: Sales Navigator sells no add-on credits today (Help 57013)";

/// The what-if line is on the terminal, in report.html and in metadata.csv
/// and metadata.json of `dir`.
fn assert_what_if_everywhere(command: &str, stdout: &str, dir: &Path) {
    assert!(
        stdout.contains(WHAT_IF_LINE),
        "{command} terminal:\n{stdout}"
    );
    for file in ["report.html", "metadata.csv", "metadata.json"] {
        let text = fs::read_to_string(dir.join(file)).unwrap();
        assert!(text.contains(WHAT_IF_LINE), "{command} {file}");
    }
}

#[test]
fn a_scenario_buying_add_ons_a_plan_does_not_sell_runs_and_every_output_says_it_is_a_what_if() {
    let tmp = TempDir::new().unwrap();
    let what_if = repo("scenarios/sales_navigator_core_heavy_addons.toml");
    let plain = repo("scenarios/sales_navigator_core_heavy.toml");
    let few = ["--trials", "300"];
    let dir = tmp.path().join("run");
    let stdout = common::succeed("run", &[&what_if], &dir, &few);
    assert_what_if_everywhere("run", &stdout, &dir);
    let dir = tmp.path().join("compare");
    let stdout = common::succeed("compare", &[&plain, &what_if], &dir, &few);
    assert_what_if_everywhere("compare", &stdout, &dir);
    let dir = tmp.path().join("sweep");
    let grid = ["--trials", "100", "--param", "demand.per_workday=3..4"];
    let stdout = common::succeed("sweep", &[&what_if], &dir, &grid);
    assert_what_if_everywhere("sweep", &stdout, &dir);
    let dir = tmp.path().join("sensitivity");
    let stdout = common::succeed("sensitivity", &[&what_if], &dir, &["--trials", "100"]);
    assert_what_if_everywhere("sensitivity", &stdout, &dir);
    let dir = tmp.path().join("solve");
    let goal = [
        "--param",
        "demand.per_workday",
        "--target",
        "cost=$200",
        "--range",
        "1..8",
    ];
    let stdout = common::succeed("solve", &[&what_if], &dir, &[&goal[..], &few].concat());
    assert_what_if_everywhere("solve", &stdout, &dir);
    // recommend with what-if add-ons on the heavy demand: Core buying them
    // is the cheapest within 5%.
    let dir = tmp.path().join("recommend");
    let choose = ["--plans", "sales_navigator_core", "--what-if-addons"];
    let stdout = common::succeed("recommend", &[&plain], &dir, &choose);
    assert_what_if_everywhere("recommend", &stdout, &dir);
    // The same plan without add-ons is no what-if.
    let dir = tmp.path().join("plain");
    let stdout = common::succeed("run", &[&plain], &dir, &few);
    assert!(!stdout.contains("what-if"), "{stdout}");
    let meta = fs::read_to_string(dir.join("metadata.csv")).unwrap();
    assert!(!meta.contains("what_if"), "{meta}");
}

#[test]
fn plans_says_what_can_be_bought_and_the_source_and_date_of_every_value() {
    let out = inmail_sim().arg("plans").assert().success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let header = stdout.lines().next().unwrap();
    assert!(
        header.contains("add-ons") && header.contains("pooled"),
        "{header}"
    );
    // The last two columns: add-ons sold today, seats pooled.
    let last_two = |id: &str| {
        let line = stdout
            .lines()
            .find(|l| l.split_whitespace().next() == Some(id))
            .unwrap();
        let words: Vec<&str> = line.split_whitespace().collect();
        words[words.len() - 2..].join(" ")
    };
    assert_eq!(last_two("recruiter_lite"), "no no");
    assert_eq!(last_two("recruiter_corporate"), "no yes");
    assert_eq!(last_two("sales_navigator_core"), "no no");
    for plan in CATALOG {
        for s in [
            plan.source,
            plan.price_source,
            plan.addons_source,
            plan.pooled_source,
        ] {
            assert!(
                stdout.contains(&format!("{} ({})", s.text, s.as_of)),
                "{}: {s:?} missing",
                plan.id
            );
        }
    }
}

#[test]
fn a_recruiter_run_shows_the_floors_refused_sends_so_that_demand_adds_up() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    let stdout = common::succeed(
        "run",
        &[repo("scenarios/recruiter_floor.toml")],
        &out,
        &["--trials", "300", "--threads", "1", "--no-charts"],
    );
    assert!(stdout.contains("blocked  refused responses"), "{stdout}");
    assert!(stdout.contains(", refusing "), "{stdout}");
    // No backlog or follow-ups: every InMail wanted is sent, blocked or
    // refused, so the means (six decimals each) add up.
    let means: std::collections::HashMap<String, f64> =
        common::rows(&out.join("summary_horizon.csv"))
            .into_iter()
            .map(|r| (r["metric"].clone(), r["mean"].parse().unwrap_or(f64::NAN)))
            .collect();
    let accounted =
        means["sent_paid"] + means["sent_free"] + means["blocked"] + means["floor_refused"];
    assert!(means["floor_refused"] > 0.0, "{means:?}");
    assert!((means["demand"] - accounted).abs() < 1e-5, "{means:?}");
    // Without the floor the column is left out of the table.
    let out = tmp.path().join("plain");
    let stdout = common::succeed(
        "run",
        &[repo("scenarios/reference.toml")],
        &out,
        &["--trials", "100", "--threads", "1", "--no-charts"],
    );
    assert!(!stdout.contains("refused"), "{stdout}");
}

#[test]
fn a_teams_run_says_its_seats_and_whether_they_share_credits_in_the_heading() {
    let tmp = TempDir::new().unwrap();
    for (pooled, words) in [
        ("true", "3 seats sharing one pool of credits (team totals)"),
        ("false", "3 seats, each with its own credits (team totals)"),
    ] {
        let file = tmp.path().join(format!("team_{pooled}.toml"));
        fs::write(
            &file,
            format!(
                "seats = 3\n[plan]\nid = \"recruiter_lite\"\npooled = {pooled}\n\
                 [demand]\nper_workday = 1\n"
            ),
        )
        .unwrap();
        let stdout = common::succeed(
            "run",
            &[&file],
            &tmp.path().join(pooled),
            &["--trials", "100", "--threads", "1", "--no-charts"],
        );
        // Pooling Recruiter Lite, a one-person seat, is a what-if, said
        // first; the heading follows.
        let heading = stdout.lines().find(|l| l.starts_with("team_")).unwrap();
        assert!(heading.contains(words), "{stdout}");
        assert_eq!(
            stdout.starts_with("what-if: Recruiter Lite seats do not share their credits"),
            pooled == "true",
            "{stdout}"
        );
    }
}

#[test]
fn every_deciding_command_says_first_what_set_changed_on_the_terminal_and_in_report_html() {
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("rep12.toml");
    fs::write(
        &file,
        "[plan]\nid = \"sales_navigator_core\"\n[demand]\nper_week = 12\n",
    )
    .unwrap();
    let said = "Changed for this run with --set: demand.per_week=5 (the file itself is unchanged).";
    let commands: [&[&str]; 3] = [
        &[
            "solve",
            "--param",
            "plan.monthly_credits",
            "--target",
            "exhausted=5%",
            "--trials",
            "200",
        ],
        &[
            "recommend",
            "--max-trials",
            "1000",
            "--plans",
            "sales_navigator_core",
        ],
        &[
            "sweep",
            "--param",
            "response.rate_center=10%..20%:5%",
            "--trials",
            "200",
        ],
    ];
    for (k, args) in commands.iter().enumerate() {
        let out = tmp.path().join(format!("out{k}"));
        let output = inmail_sim()
            .arg(args[0])
            .arg(&file)
            .args(&args[1..])
            .args(["--threads", "1", "--set", "demand.per_week=5", "--out"])
            .arg(&out)
            .output()
            .unwrap();
        let stdout = String::from_utf8(output.stdout).unwrap();
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(output.status.success(), "{}: {stdout}{stderr}", args[0]);
        assert!(stdout.contains(said), "{}: {stdout}", args[0]);
        let html = fs::read_to_string(out.join("report.html")).unwrap();
        assert!(
            html.contains("demand.per_week=5"),
            "{}: report.html",
            args[0]
        );
    }
}
