//! End-to-end refusals: bad input exits with code 2, says which file, key
//! and value are wrong, and writes nothing.
//!
//! Bad scenarios live in tests/fixtures/bad/, one case per file, each with
//! its expected message fragments in `# expect: ...` comment lines (and text
//! the message must not contain in `# not: ...` lines): adding a case is
//! adding a file.

mod common;

use common::{good, inmail_sim, names_in, repo, toml_files};
use predicates::prelude::*;
use std::fs;
use std::path::Path;
use tempfile::TempDir;

const NOT_VALID_1_OF_1: &str = "error: the scenario file is not valid\n";

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

/// Bad scenarios too big to commit, generated like fixtures: a 1 MB value,
/// about the largest a scenario file may hold (shown cut to 80 characters) and arrays nested 10,000 deep (the toml
/// crate's recursion limit, not a stack overflow).
#[test]
fn a_megabyte_value_and_deep_nesting_are_refused_with_a_short_message() {
    let tmp = TempDir::new().unwrap();
    let base = "[plan]\nid = \"free\"\n[demand]\nper_workday = 1\n";
    // Files of more than 1 MiB are refused before they are parsed
    // (tests/hardening.rs).
    let huge = "x".repeat(1_000_000);
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
            // Valid TOML: refused by the key table, the key cut short.
            "xxxx… = 1: unknown key",
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

/// The message of `inmail-sim ARGS...` refused by the argument parser
/// (exit 2, nothing written), from the "invalid value" on.
fn option_refusal(args: &[&str]) -> String {
    let tmp = TempDir::new().unwrap();
    let output = inmail_sim()
        .args(args)
        .arg("--out")
        .arg(tmp.path().join("out"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(output.stdout.is_empty(), "{args:?}");
    assert!(names_in(tmp.path()).is_empty(), "{args:?} wrote something");
    let at = stderr.find("invalid value").unwrap_or(0);
    stderr[at..].lines().next().unwrap_or("").to_string()
}

#[test]
fn trials_0_is_refused_with_the_same_message_by_every_command() {
    let file = good("premium_career_fixed_rate");
    let file = file.to_str().unwrap();
    let expected = "invalid value '0' for '--trials <N>': expected a whole number from 1 to \
1000000000000";
    for args in [
        vec!["run", file],
        vec!["sensitivity", file],
        vec!["compare", file, file],
        vec!["sweep", file, "--param", "demand.per_workday=1..2"],
    ] {
        let all: Vec<&str> = args.iter().copied().chain(["--trials", "0"]).collect();
        assert_eq!(option_refusal(&all), expected, "{args:?}");
    }
}

#[test]
fn months_beyond_the_allowed_range_say_the_range_1_to_1200() {
    let file = good("premium_career_fixed_rate");
    let file = file.to_str().unwrap();
    for months in ["0", "1201", "4294967296"] {
        let expected = format!(
            "invalid value '{months}' for '--months <M>': expected a whole number of months \
from 1 to 1200"
        );
        for args in [
            vec!["run", file],
            vec!["sensitivity", file],
            vec!["compare", file, file],
            vec!["sweep", file, "--param", "demand.per_workday=1..2"],
        ] {
            let all: Vec<&str> = args.iter().copied().chain(["--months", months]).collect();
            assert_eq!(option_refusal(&all), expected, "{args:?}");
        }
    }
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
                "error: {}: cannot read a scenario from a folder",
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
fn a_utf16_scenario_with_or_without_a_byte_order_mark_is_said_to_be_utf16() {
    let tmp = TempDir::new().unwrap();
    let text = "name = \"x\"\n[plan]\nid = \"free\"\n";
    let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let with_mark: Vec<u8> = [0xFF, 0xFE].into_iter().chain(le.clone()).collect();
    for (name, bytes) in [("bare.toml", le), ("marked.toml", with_mark)] {
        let file = tmp.path().join(name);
        fs::write(&file, bytes).unwrap();
        inmail_sim()
            .arg("validate")
            .arg(&file)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "is not UTF-8 text: it looks like UTF-16 (NUL bytes or a UTF-16 byte order \
                 mark); save it as UTF-8",
            ));
    }
    // One stray NUL in a UTF-8 file is not UTF-16: its line and column.
    let file = tmp.path().join("nul.toml");
    fs::write(
        &file,
        "[plan]\nid = \"free\"\n[demand]\nper_workday = 2\0\n",
    )
    .unwrap();
    inmail_sim()
        .arg("validate")
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("line 4").and(predicate::str::contains("UTF-16").not()));
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
    assert_eq!(errors[1], "error: 1 of 4 scenario files is not valid");
}

#[test]
fn trials_and_months_options_cannot_hide_a_bad_value_in_the_file() {
    let tmp = TempDir::new().unwrap();
    let base = "[plan]\nid = \"sales_navigator_core\"\n[demand]\nper_week = 10\n";
    let cases = [
        (
            "trials_0",
            format!("trials = 0\n{base}"),
            "trials = 0: expected a whole number from 1",
        ),
        (
            "months_0",
            format!("months = 0\n{base}"),
            "months = 0: expected a whole number of months from 1 to 1200",
        ),
        // The plan change is beyond the file's own 3 months.
        (
            "change_beyond_months",
            format!(
                "months = 3\n{base}[[plan_change]]\nfrom_cycle = 7\n\
plan = {{ id = \"sales_navigator_advanced\" }}\n"
            ),
            "plan_change[1].from_cycle = 7: expected a cycle from 2 to months (3)",
        ),
    ];
    for (name, text, fragment) in cases {
        let path = tmp.path().join(format!("{name}.toml"));
        fs::write(&path, &text).unwrap();
        let start = format!("{}: ", path.display());
        let file = [&path];
        let over = ["--trials", "10", "--months", "12"];
        common::assert_refused("run", &file, &over, &[&start, fragment]);
        common::assert_refused("sensitivity", &file, &over, &[&start, fragment]);
        common::assert_refused("compare", &[&path, &path], &over, &[&start, fragment]);
        let sweep = [&over[..], &["--param", "demand.per_week=5..6"]].concat();
        common::assert_refused("sweep", &file, &sweep, &[&start, fragment]);
        inmail_sim()
            .arg("validate")
            .arg(&path)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(fragment));
    }
    // A file valid on its own, whose plan change --months cuts off: the
    // message names --months, not the file's 24 months.
    let path = tmp.path().join("change_beyond_the_months_option.toml");
    fs::write(
        &path,
        format!(
            "months = 24\n{base}[[plan_change]]\nfrom_cycle = 13\n\
             plan = {{ id = \"sales_navigator_advanced\" }}\n"
        ),
    )
    .unwrap();
    common::assert_refused(
        "run",
        &[&path],
        &["--trials", "10", "--months", "6"],
        &[
            "plan_change[1].from_cycle = 13: expected a cycle from 2 to 6, the horizon --months 6 sets",
        ],
    );
}

/// `calibrate`'s refusals (issue 20).
#[path = "bad_input/calibrate.rs"]
mod calibrate;

#[test]
fn months_given_by_months_and_by_set_or_a_varied_param_are_refused_by_every_command() {
    // --months replaces the scenario's months after --set and the swept or
    // solved value are written in: "months = 1, 2, 3" would all run 5
    // months, labelled as they were not.
    let file = good("premium_career_fixed_rate");
    let f = file.to_str().unwrap();
    let set = "--set months=3";
    for (args, other) in [
        (vec!["run", f, "--set", "months=3"], set),
        (vec!["compare", f, f, "--set", "months=3"], set),
        (
            vec![
                "sweep",
                f,
                "--param",
                "demand.per_workday=1..2",
                "--set",
                "months=3",
            ],
            set,
        ),
        (vec!["sensitivity", f, "--set", "months=3"], set),
        (
            vec![
                "solve",
                f,
                "--param",
                "demand.per_workday",
                "--target",
                "exhausted=5%",
                "--set",
                "months=3",
            ],
            set,
        ),
        (vec!["recommend", f, "--set", "months=3"], set),
        (
            vec!["sweep", f, "--param", "months=1..3"],
            "--param months=1..3",
        ),
        (
            vec!["solve", f, "--param", "months", "--target", "exhausted=50%"],
            "--param months",
        ),
    ] {
        let all: Vec<&str> = args.iter().copied().chain(["--months", "5"]).collect();
        common::assert_refused(
            all[0],
            &[] as &[&str],
            &all[1..],
            &[&format!("--months 5 and {other} both set months")],
        );
    }
}

#[test]
fn a_key_set_twice_or_set_and_varied_is_refused_naming_both() {
    // The last --set won silently; a --set of a swept key was recorded in
    // metadata.csv while every point ran the swept value.
    let file = good("premium_career_fixed_rate");
    let f = file.to_str().unwrap();
    let cases: [(Vec<&str>, &str); 3] = [
        (
            vec![
                "run",
                f,
                "--set",
                "demand.per_workday=2",
                "--set",
                "demand.per_workday=3",
            ],
            "--set demand.per_workday=2 and --set demand.per_workday=3 both set demand.per_workday",
        ),
        (
            vec![
                "sweep",
                f,
                "--param",
                "demand.per_workday=1..2",
                "--set",
                "demand.per_workday=5",
            ],
            "--param demand.per_workday=1..2 and --set demand.per_workday=5 both set",
        ),
        (
            vec![
                "solve",
                f,
                "--param",
                "demand.per_workday",
                "--target",
                "exhausted=5%",
                "--set",
                "demand.per_workday=5",
            ],
            "--param demand.per_workday and --set demand.per_workday=5 both set",
        ),
    ];
    for (args, message) in cases {
        common::assert_refused(args[0], &[] as &[&str], &args[1..], &[message]);
    }
    // Another spelling of one quantity: a volume replaces the others.
    common::assert_refused(
        "sweep",
        &[] as &[&str],
        &[
            f,
            "--param",
            "demand.per_workday=1..3:2",
            "--set",
            "demand.per_week=50",
        ],
        &[
            "--param demand.per_workday=1..3:2 and --set demand.per_week=50 both set the demand's volume",
        ],
    );
}

#[test]
fn recommends_max_trials_is_read_like_trials_and_says_its_own_range() {
    // 1e2 and 1_00 are how --trials reads counts: refused for their
    // value (below the first round), not as "invalid digit".
    let file = good("premium_career_fixed_rate");
    let file = file.to_str().unwrap();
    for n in ["1e2", "1_00"] {
        assert_eq!(
            option_refusal(&["recommend", file, "--max-trials", n]),
            format!(
                "invalid value '{n}' for '--max-trials <N>': expected a whole number from 1000 \
to 10000000"
            )
        );
    }
}

#[test]
fn recommend_with_both_trials_and_max_trials_says_they_set_the_same_limit_and_to_give_one() {
    // recommend's --trials is its most trials per candidate, as
    // --max-trials is: one of the two would be dropped without a word.
    // An independent check met clap's "'--trials' cannot be used multiple
    // times" here, though each was given once.
    let file = good("premium_career_fixed_rate");
    for order in [
        ["--trials", "2000", "--max-trials", "5000"],
        ["--max-trials", "5000", "--trials", "2000"],
    ] {
        common::assert_refused(
            "recommend",
            &[&file],
            &order,
            &[
                "error: --max-trials 5000 and --trials 2000 both set recommend's most trials \
                 per candidate",
                "give one of them",
            ],
        );
    }
}

#[test]
fn a_set_or_a_param_that_changes_nothing_is_refused_by_every_command_that_takes_it() {
    // The reference buys no add-ons, has no Open Profiles and refunds
    // declines: these values would print "Changed for this run" over
    // byte-identical outputs (an independent check).
    let reference = common::repo("scenarios/reference.toml");
    let addons = common::repo("scenarios/sales_navigator_core_heavy_addons.toml");
    let f = reference.to_str().unwrap();
    let nothing = "changes nothing here";
    for (args, fragment) in [
        (
            vec!["run", f, "--set", "addons.price=5"],
            "policy = \"never\"",
        ),
        (
            vec!["run", f, "--set", "addons.expiry_days=30"],
            "policy = \"never\"",
        ),
        (
            vec!["run", f, "--set", "open_profile.limit=3"],
            "open_profile.share = 0",
        ),
        (
            vec!["run", f, "--set", "response.declines_share=0.3"],
            "refunds.declines = true",
        ),
        (
            vec!["compare", f, f, "--set", "addons.price=5"],
            "(in every file)",
        ),
        (vec!["sensitivity", f, "--set", "addons.price=5"], "policy"),
        (
            vec![
                "solve",
                f,
                "--param",
                "demand.per_workday",
                "--target",
                "exhausted=5%",
                "--set",
                "addons.price=5",
            ],
            "policy",
        ),
        (
            vec!["sweep", f, "--param", "addons.price=5..15:5"],
            "--param addons.price=5..15:5",
        ),
    ] {
        common::assert_refused(args[0], &[] as &[&str], &args[1..], &[nothing, fragment]);
    }
    // Where one file of a set buys add-ons, their price is studied.
    let tmp = tempfile::TempDir::new().unwrap();
    common::succeed(
        "compare",
        &[&reference, &addons],
        &tmp.path().join("set"),
        &["--set", "addons.price=5", "--trials", "200"],
    );
    // Open Profiles swept with their limit: the limit matters where the
    // share is above 0.
    common::succeed(
        "sweep",
        &[&reference],
        &tmp.path().join("grid"),
        &[
            "--param",
            "open_profile.share=0..0.2:0.2",
            "--param",
            "open_profile.limit=1..2",
            "--trials",
            "200",
        ],
    );
}

#[test]
fn a_set_the_file_cannot_take_is_named_first_as_the_command_lines() {
    let reference = common::repo("scenarios/reference.toml");
    let f = reference.to_str().unwrap();
    // Follow-ups are off in the reference: the refusal is --set's, not the
    // file's.
    common::assert_refused(
        "run",
        &[f],
        &["--set", "follow_ups.after_days=5"],
        &["--set follow_ups.after_days=5: ", "turn them on unseen"],
    );
    // "none" is a file's word for credits that never expire, not a number.
    common::assert_refused(
        "run",
        &[f],
        &["--set", "plan.expiry_days=none"],
        &["--set takes a number of days", "expiry_days = \"none\""],
    );
}

#[test]
fn a_negative_number_is_refused_by_its_option_with_what_it_allows_not_taken_for_a_flag() {
    // clap read "-1" as an unknown flag ("unexpected argument '-1'") and
    // advised `-- -1`, which makes it a file name.
    let reference = common::repo("scenarios/reference.toml");
    let f = reference.to_str().unwrap();
    for (args, fragment) in [
        (vec!["run", f, "--trials", "-5"], "'--trials <N>'"),
        (vec!["run", f, "--months", "-5"], "'--months <M>'"),
        (vec!["run", f, "--seed", "-5"], "'--seed <S>'"),
        (vec!["run", f, "--threads", "-1"], "'--threads <T>'"),
        (
            vec!["recommend", f, "--seats", "-1"],
            "--seats -1: expected",
        ),
        (
            vec!["recommend", f, "--max-blocked", "-1"],
            "--max-blocked -1: expected",
        ),
    ] {
        common::assert_refused(args[0], &[] as &[&str], &args[1..], &[fragment]);
    }
    let tmp = tempfile::TempDir::new().unwrap();
    let file = tmp.path().join("n.toml");
    common::inmail_sim()
        .args(["init", file.to_str().unwrap(), "--per-workday", "-1"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "'--per-workday <N>': expected a number of InMails",
        ));
    assert!(!file.exists());
}
