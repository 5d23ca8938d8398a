//! Getting started from an installed binary (issue 21, item 6): the shipped
//! examples written into an empty folder, a scenario from `init`, and `help
//! scenario`. Each test runs in a fresh temporary folder, as a user with no
//! clone of the repository would.

use super::common::inmail_sim;
use std::fs;
use std::path::Path;
use tempfile::TempDir;

/// Runs `inmail-sim ARGS` in `dir`, requires success, returns stdout.
fn ok_in(dir: &Path, args: &[&str]) -> String {
    let out = inmail_sim().current_dir(dir).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "inmail-sim {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Runs `inmail-sim ARGS` in `dir`, requires exit code 2, returns stderr.
fn refused_in(dir: &Path, args: &[&str]) -> String {
    let out = inmail_sim().current_dir(dir).args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "inmail-sim {args:?}");
    String::from_utf8(out.stderr).unwrap()
}

/// The README's calibrate example works after `cargo install`: the
/// history is among the examples, and calibrate reads it.
#[test]
fn examples_write_the_history_that_calibrate_reads_as_the_readme_says() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    let said = ok_in(dir, &["examples", "--write", "scenarios"]);
    assert!(
        said.contains("inmail-sim calibrate scenarios/calibrate/history.csv"),
        "{said}"
    );
    let shipped = fs::read_to_string(super::repo("scenarios/calibrate/history.csv")).unwrap();
    let written = fs::read_to_string(dir.join("scenarios/calibrate/history.csv")).unwrap();
    assert_eq!(written, shipped);
    let summary = ok_in(dir, &["calibrate", "scenarios/calibrate/history.csv"]);
    assert!(summary.starts_with("From 400 InMails sent"), "{summary}");
}

/// docs/calibrate.md sends the reader to the history's folder for its
/// README: `examples --write` writes it there, and printing the history
/// still prints the CSV alone.
#[test]
fn examples_write_the_calibrate_readme_that_docs_calibrate_points_to() {
    let doc = fs::read_to_string(super::repo("docs/calibrate.md")).unwrap();
    assert!(doc.contains("see that folder's README.md"), "{doc}");
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    let said = ok_in(dir, &["examples", "calibrate", "--write", "scenarios"]);
    assert!(said.starts_with("Wrote 2 files"), "{said}");
    let shipped = fs::read_to_string(super::repo("scenarios/calibrate/README.md")).unwrap();
    let written = fs::read_to_string(dir.join("scenarios/calibrate/README.md")).unwrap();
    assert_eq!(written, shipped);
    assert!(written.contains("| reply rate `p` | 0.17 |"), "{written}");
    let printed = ok_in(dir, &["examples", "calibrate"]);
    let history = fs::read_to_string(super::repo("scenarios/calibrate/history.csv")).unwrap();
    assert_eq!(printed, history);
}

#[test]
fn examples_written_into_an_empty_folder_run_and_compare_as_the_help_says() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    let said = ok_in(dir, &["examples", "--write", "x"]);
    assert!(
        said.contains("inmail-sim run x/sales_navigator_core_heavy.toml"),
        "{said}"
    );
    ok_in(
        dir,
        &[
            "run",
            "x/sales_navigator_core_heavy.toml",
            "--trials",
            "300",
            "--quiet",
        ],
    );
    assert!(
        dir.join("results/sales_navigator_core_heavy/summary.csv")
            .is_file()
    );
    // The compare it suggests gives the files in name order, as `*.toml`
    // does, so option A is the file whose header says "Option A".
    let set = "x/compare/premium_business_addons_vs_core";
    let compare = format!("inmail-sim compare {set}/core.toml {set}/premium_business_addons.toml");
    assert!(said.contains(&compare), "{said}");
    let a = fs::read_to_string(dir.join(format!("{set}/core.toml"))).unwrap();
    assert!(a.starts_with("# Option A of"), "{a}");
    ok_in(
        dir,
        &[
            "compare",
            &format!("{set}/core.toml"),
            &format!("{set}/premium_business_addons.toml"),
            "--trials",
            "300",
            "--quiet",
            "--out",
            "cmp",
        ],
    );
    assert!(dir.join("cmp/options.csv").is_file());
}

#[test]
fn examples_write_refuses_to_overwrite_and_then_writes_nothing() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    fs::create_dir_all(dir.join("x")).unwrap();
    fs::write(dir.join("x/premium_career.toml"), "mine").unwrap();
    let e = refused_in(dir, &["examples", "--write", "x"]);
    assert!(e.contains("x/premium_career.toml already exists"), "{e}");
    assert!(e.contains("never overwrites"), "{e}");
    assert_eq!(
        fs::read_to_string(dir.join("x/premium_career.toml")).unwrap(),
        "mine"
    );
    assert_eq!(
        fs::read_dir(dir.join("x")).unwrap().count(),
        1,
        "nothing else was written"
    );
    // One example by name goes beside it.
    ok_in(dir, &["examples", "recruiter_lite", "--write", "x"]);
    assert!(dir.join("x/recruiter_lite.toml").is_file());
}

#[test]
fn examples_lists_and_prints_the_embedded_files_and_names_an_unknown_one() {
    let tmp = TempDir::new().unwrap();
    let list = ok_in(tmp.path(), &["examples"]);
    for name in ["sales_navigator_core_heavy", "core_addons_vs_advanced"] {
        assert!(list.contains(name), "{list}");
    }
    let text = ok_in(tmp.path(), &["examples", "sales_navigator_core_light"]);
    let shipped = fs::read_to_string(super::repo("scenarios/sales_navigator_core_light.toml"));
    assert_eq!(text, shipped.unwrap());
    let e = refused_in(tmp.path(), &["examples", "nope"]);
    assert!(
        e.contains("no example called \"nope\"; the examples are everything,"),
        "{e}"
    );
}

/// Every `scenarios/...` file the help's examples name exists once
/// `examples --write scenarios` has run: the help works after `cargo install`.
#[test]
fn every_scenario_file_the_help_names_is_written_by_examples() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    ok_in(dir, &["examples", "--write", "scenarios"]);
    let commands = [
        "",
        "run",
        "compare",
        "sweep",
        "sensitivity",
        "validate",
        "examples",
    ];
    let mut named = 0;
    for command in commands {
        let help = ok_in(
            dir,
            &[command, "--help"]
                .into_iter()
                .filter(|a| !a.is_empty())
                .collect::<Vec<_>>(),
        );
        for word in help
            .split_whitespace()
            .filter(|w| w.starts_with("scenarios/"))
        {
            named += 1;
            let pattern = dir.join(word).display().to_string();
            let found = glob_count(&pattern);
            assert!(
                found > 0,
                "`inmail-sim {command} --help` names {word}, which examples does not write"
            );
        }
    }
    assert!(
        named >= 6,
        "the help's examples name {named} scenario files"
    );
}

/// The files matching `pattern`: a file, a folder (ending in `/`), or a
/// path whose last part is `*.toml`.
fn glob_count(pattern: &str) -> usize {
    match pattern.strip_suffix("/*.toml") {
        Some(folder) => fs::read_dir(folder).map_or(0, |d| d.count()),
        None if pattern.ends_with('/') => usize::from(Path::new(pattern).is_dir()),
        None => usize::from(Path::new(pattern).is_file()),
    }
}

#[test]
fn init_writes_a_scenario_that_runs_and_refuses_to_overwrite_it() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    let said = ok_in(dir, &["init", "my.toml"]);
    assert!(said.contains("inmail-sim run my.toml"), "{said}");
    ok_in(dir, &["run", "my.toml", "--trials", "300", "--quiet"]);
    assert!(dir.join("results/my/summary.csv").is_file());
    let before = fs::read_to_string(dir.join("my.toml")).unwrap();
    let e = refused_in(dir, &["init", "my.toml", "--per-workday", "9"]);
    assert!(e.contains("my.toml already exists"), "{e}");
    assert_eq!(fs::read_to_string(dir.join("my.toml")).unwrap(), before);
}

#[test]
fn init_writes_the_plan_volume_rate_and_addon_policy_it_is_given() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    let args = [
        "init",
        "buy.toml",
        "--plan",
        "premium_business",
        "--per-month",
        "40",
        "--rate",
        "12%",
        "--addons",
        "when_empty",
    ];
    ok_in(dir, &args);
    let text = fs::read_to_string(dir.join("buy.toml")).unwrap();
    for line in [
        "id = \"premium_business\"",
        "per_cycle = 40",
        "rate = \"12%\"",
        "policy = \"when_empty\"",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "no line {line:?} in\n{text}"
        );
    }
    ok_in(dir, &["run", "buy.toml", "--trials", "300", "--quiet"]);
    let summary = fs::read_to_string(dir.join("results/buy/metadata.csv")).unwrap();
    assert!(summary.contains("premium_business"), "{summary}");
}

#[test]
fn init_refuses_a_bad_option_naming_it_and_writes_nothing() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    let e = refused_in(dir, &["init", "a.toml", "--plan", "sales_nav"]);
    assert!(
        e.contains("--plan = \"sales_nav\": unknown plan; known plans: free,"),
        "{e}"
    );
    // Each volume names its own limit, whatever the number.
    for (option, value, limit) in [
        ("--per-workday", "20000", "from 0 to 10,000"),
        ("--per-workday", "nan", "from 0 to 10,000"),
        ("--per-workday", "1e308", "from 0 to 10,000"),
        ("--per-week", "1e308", "from 0 to 70,000"),
        ("--per-month", "inf", "from 0 to 310,000"),
    ] {
        let e = refused_in(dir, &["init", "a.toml", option, value]);
        assert!(e.contains(option) && e.contains(limit), "{e}");
    }
    let e = refused_in(
        dir,
        &["init", "a.toml", "--per-workday", "2", "--per-week", "3"],
    );
    assert!(e.contains("cannot be used with"), "{e}");
    let e = refused_in(dir, &["init", "a.toml", "--rate", "150%"]);
    assert!(e.contains("--rate"), "{e}");
    assert_eq!(fs::read_dir(dir).unwrap().count(), 0);
}

#[test]
fn init_seats_out_of_range_says_from_1_to_1000_as_every_other_option_does() {
    // clap's own range check said "0 is not in 1..=1000" (an independent
    // check): Rust's range syntax, where every other option and a
    // scenario's `seats` say "from 1 to N".
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    for (value, said) in [
        (
            "0",
            "invalid value '0' for '--seats <N>': expected a whole number of seats from 1 to 1000",
        ),
        (
            "1001",
            "invalid value '1001' for '--seats <N>': expected a whole number of seats from 1 to 1000",
        ),
        (
            "99999999999",
            "expected a whole number of seats from 1 to 1000",
        ),
        (
            "1.5",
            "'1.5' for '--seats <N>': not a whole number; expected a whole number of seats from 1 to 1000",
        ),
    ] {
        let e = refused_in(dir, &["init", "a.toml", "--seats", value]);
        assert!(e.contains(said), "{e}");
        assert!(!e.contains("..="), "{e}");
    }
    assert_eq!(fs::read_dir(dir).unwrap().count(), 0);
    // The same words as the scenario key.
    fs::write(
        dir.join("s.toml"),
        "seats = 0\n[plan]\nid = \"premium_business\"\n",
    )
    .unwrap();
    let e = refused_in(dir, &["validate", "s.toml"]);
    assert!(
        e.contains("seats = 0: expected a whole number of seats from 1 to 1000"),
        "{e}"
    );
    let text = ok_in(dir, &["init", "-", "--seats", "1000"]);
    assert!(text.contains("\nseats = 1000\n"), "{text}");
}

#[test]
fn a_file_name_with_control_characters_stays_inside_the_comment_init_writes() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    for name in ["inj\nmonths = 3\n#.toml", "esc\u{1b}[31m.toml"] {
        let stdout = ok_in(dir, &["init", name]);
        // Shown escaped on the terminal too.
        assert!(
            !stdout.contains('\u{1b}') && stdout.lines().count() == 2,
            "{stdout:?}"
        );
        let text = fs::read_to_string(dir.join(name)).unwrap();
        assert!(!text.contains("\nmonths = 3"), "{text}");
        assert!(!text.contains('\u{1b}'), "{text}");
        // The scenario is valid, and runs the default 12 months.
        let out = ok_in(dir, &["validate", name]);
        assert!(out.contains("x 12 months"), "{out}");
    }
}

#[test]
fn help_scenario_prints_the_key_table_the_validator_uses() {
    let tmp = TempDir::new().unwrap();
    let text = ok_in(tmp.path(), &["help", "scenario"]);
    assert_eq!(text, inmail_sim::scenario::keys::reference());
    for k in inmail_sim::scenario::keys::KEYS {
        assert!(
            text.lines().any(|l| l == format!("  {}", k.path)),
            "{}",
            k.path
        );
    }
    let run = ok_in(tmp.path(), &["help", "run"]);
    assert!(run.contains("--trials"), "{run}");
    let e = refused_in(tmp.path(), &["help", "nope"]);
    assert!(e.contains("the topics are scenario, run,"), "{e}");
}

/// `--set` is the file with the key changed: the same statistics as a copy
/// of the file with the new value written in, and not those of the file.
#[test]
fn run_with_set_gives_the_results_of_the_file_with_that_value() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    let shipped =
        fs::read_to_string(super::repo("scenarios/sales_navigator_core_heavy.toml")).unwrap();
    assert!(
        shipped.contains("\nper_workday = 4 "),
        "the test edits this line"
    );
    fs::write(
        dir.join("five.toml"),
        shipped.replace("\nper_workday = 4 ", "\nper_workday = 5 "),
    )
    .unwrap();
    let heavy = super::repo("scenarios/sales_navigator_core_heavy.toml");
    let heavy = heavy.to_str().unwrap();
    let common = ["--trials", "400", "--seed", "3", "--quiet", "--no-charts"];
    let run = |args: &[&str], out: &str| {
        let mut all = vec!["run"];
        all.extend(args);
        all.extend(common);
        all.extend(["--out", out]);
        ok_in(dir, &all);
        super::common::csv_body(&dir.join(out).join("summary.csv"))
    };
    let set = run(&[heavy, "--set", "demand.per_workday=5"], "set");
    assert_eq!(set, run(&["five.toml"], "five"));
    assert_ne!(
        set,
        run(&[heavy], "four"),
        "control: the file's own volume gives other results"
    );
    let meta = fs::read_to_string(dir.join("set/metadata.csv")).unwrap();
    assert!(meta.contains("set,demand.per_workday=5"), "{meta}");
    let plain = fs::read_to_string(dir.join("four/metadata.csv")).unwrap();
    assert!(
        !plain.contains("\nset,"),
        "no set row without --set: {plain}"
    );
}

#[test]
fn set_is_accepted_by_compare_sweep_and_sensitivity_and_recorded() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    let set = super::repo("scenarios/compare/premium_business_addons_vs_core");
    let (a, b) = (
        set.join("premium_business_addons.toml"),
        set.join("core.toml"),
    );
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    let quick = [
        "--trials",
        "200",
        "--quiet",
        "--no-charts",
        "--set",
        "response.rate=12%",
    ];
    let runs: [(&str, Vec<&str>); 3] = [
        ("compare", vec![a, b]),
        ("sweep", vec![a, b, "--param", "demand.per_workday=1..2"]),
        ("sensitivity", vec![a]),
    ];
    for (command, files) in runs {
        let mut args = vec![command];
        args.extend(files);
        args.extend(quick);
        args.extend(["--out", command]);
        ok_in(dir, &args);
        let meta = fs::read_to_string(dir.join(command).join("metadata.csv")).unwrap();
        assert!(meta.contains("set,response.rate=12%"), "{command}: {meta}");
    }
}

#[test]
fn a_bad_set_names_the_key_and_what_is_allowed_and_writes_nothing() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    let heavy = super::repo("scenarios/sales_navigator_core_heavy.toml");
    let heavy = heavy.to_str().unwrap();
    let e = refused_in(dir, &["run", heavy, "--set", "demand.per_workda=5"]);
    assert!(
        e.contains("--set demand.per_workda=5: unknown key; the keys are months, seats,"),
        "{e}"
    );
    let e = refused_in(dir, &["run", heavy, "--set", "plan.cap=1.5"]);
    assert!(e.contains("plan.cap takes a whole number"), "{e}");
    let e = refused_in(dir, &["run", heavy, "--set", "demand.per_workday=lots"]);
    assert!(e.contains("\"lots\" is not a number"), "{e}");
    // Validated as the file is: the scenario's own rule and words.
    let e = refused_in(
        dir,
        &["sensitivity", heavy, "--set", "demand.per_workday=-1"],
    );
    assert!(
        e.contains("sales_navigator_core_heavy.toml: demand.per_workday = -1"),
        "{e}"
    );
    // The value came from the command line, and the error says so first.
    let e = refused_in(dir, &["run", heavy, "--set", "seats=0"]);
    assert!(e.contains("--set seats=0: "), "{e}");
    assert!(
        e.contains("seats = 0: expected a whole number of seats"),
        "{e}"
    );
    // A number past what the reader holds, and a value that makes another
    // key wrong: still the command line's, without quoting a line of the
    // edited text that is not in the file.
    let e = refused_in(
        dir,
        &["run", heavy, "--set", "plan.monthly_credits=4294967296"],
    );
    assert!(
        e.contains(
            "plan.monthly_credits = 4294967296: expected a whole number from 0 to 4,294,967,295"
        ),
        "{e}"
    );
    assert!(
        e.starts_with("error: --set plan.monthly_credits=4294967296: "),
        "{e}"
    );
    assert!(!e.contains("TOML parse error at line"), "{e}");
    let e = refused_in(dir, &["run", heavy, "--set", "response.rate=150%"]);
    assert!(
        e.contains("--set response.rate=150%: response.rate is a share from 0% to 100%"),
        "{e}"
    );
    let e = refused_in(dir, &["run", heavy, "--set", "plan.monthly_credits=200"]);
    assert!(
        e.starts_with("error: --set plan.monthly_credits=200: "),
        "{e}"
    );
    assert!(
        e.contains("the cap must be at least monthly_credits (200)"),
        "{e}"
    );
    assert_eq!(fs::read_dir(dir).unwrap().count(), 0);
}

/// report.html and the terminal say what each option assumes, in the order
/// the files were given: the page stands on its own when forwarded.
#[test]
fn compare_shows_each_options_assumptions_in_file_order_on_the_terminal_and_the_page() {
    let tmp = TempDir::new().unwrap();
    let set = super::repo("scenarios/compare/premium_business_addons_vs_core");
    let (pb, core) = (
        set.join("premium_business_addons.toml"),
        set.join("core.toml"),
    );
    let (pb, core) = (pb.to_str().unwrap(), core.to_str().unwrap());
    let stdout = ok_in(
        tmp.path(),
        &["compare", core, pb, "--trials", "1200", "--out", "c"],
    );
    let a = "plan               A  Sales Navigator Core (50 credits a month, cap 150";
    let b = "                   B  Premium Business (15 credits a month, cap 45";
    assert!(stdout.contains(a) && stdout.contains(b), "{stdout}");
    assert!(
        stdout.contains("add-on price       A  –\n                     B  $10.00 a credit"),
        "{stdout}"
    );
    let page = fs::read_to_string(tmp.path().join("c/report.html")).unwrap();
    assert!(
        page.contains("What each option assumes"),
        "no assumptions table"
    );
    let core_at = page
        .find("Sales Navigator Core (50 credits a month")
        .expect("option A's plan");
    let pb_at = page
        .find("Premium Business (15 credits a month")
        .expect("option B's plan");
    assert!(core_at < pb_at, "the first file's column comes first");
    assert!(page.contains("$59.99 a month, billed monthly"));
    assert!(
        page.contains("1,200 trials"),
        "the count is grouped on the page"
    );
    assert!(
        stdout.contains("compare: 2 options, 1,200 trials"),
        "{stdout}"
    );
}

/// The README's quick start shows real output: each `inmail-sim run` and
/// `inmail-sim compare` command of it, run in a folder where `examples
/// --write scenarios` has put the files, prints exactly the text block
/// under it (the sweep is left out: about 25 s). When the terminal's
/// tables change, paste the new output (printed below) into the README.
#[test]
fn the_readme_quick_start_commands_print_what_the_readme_shows() {
    let readme = fs::read_to_string(super::repo("README.md")).unwrap();
    let blocks: Vec<&str> = readme.split("```").collect();
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    ok_in(dir, &["examples", "--write", "scenarios"]);
    let mut checked = 0;
    for pair in blocks.windows(3) {
        let (Some(command), Some(shown)) =
            (pair[0].strip_prefix("sh\n"), pair[2].strip_prefix("text\n"))
        else {
            continue;
        };
        let command = command.trim();
        if !(command.starts_with("inmail-sim run ") || command.starts_with("inmail-sim compare "))
            || command.contains('\n')
        {
            continue;
        }
        let mut args: Vec<String> = Vec::new();
        for word in command.split_whitespace().skip(1) {
            match word.strip_suffix("/*.toml") {
                // As a shell expands it: the folder's .toml files by name.
                Some(folder) => {
                    let mut files: Vec<String> = fs::read_dir(dir.join(folder))
                        .unwrap()
                        .map(|e| format!("{folder}/{}", e.unwrap().file_name().to_string_lossy()))
                        .filter(|f| f.ends_with(".toml"))
                        .collect();
                    files.sort();
                    args.extend(files);
                }
                None => args.push(word.to_string()),
            }
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let printed = ok_in(dir, &args);
        assert_eq!(
            printed.trim_end(),
            shown.trim_end(),
            "`{command}` now prints:\n{printed}"
        );
        checked += 1;
    }
    assert_eq!(checked, 2, "the README's run and compare examples");
}
