//! `--precision`: trials are added in rounds until every target is met or
//! `--max-trials` is reached; the output says which; the same seed and
//! targets give the same trial count and the same files.

mod common;

use inmail_sim::precision::wilson;
use predicates::prelude::*;
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

use common::{inmail_sim, rows};

fn metadata(dir: &Path) -> HashMap<String, String> {
    rows(&dir.join("metadata.csv"))
        .into_iter()
        .map(|r| (r["key"].clone(), r["value"].clone()))
        .collect()
}

/// Sales Navigator Core at 2.5 a workday over three months: the chance of
/// running out in the first month is about a third, where ±1 percentage
/// point needs about 8400 trials.
const MIDDLING: &str = "months = 3\n[plan]\nid = \"sales_navigator_core\"\n\
[demand]\nper_workday = 2.5\n";

fn scenario(dir: &Path) -> PathBuf {
    let path = dir.join("middling.toml");
    fs::write(&path, MIDDLING).unwrap();
    path
}

fn run(file: &Path, dir: &Path, extra: &[&str]) -> String {
    common::succeed("run", &[file], dir, extra)
}

#[test]
fn a_run_stops_once_the_chance_of_running_out_is_known_to_the_target_and_says_so() {
    let tmp = TempDir::new().unwrap();
    let file = scenario(tmp.path());
    let dir = tmp.path().join("out");
    let stdout = run(&file, &dir, &["--precision", "exhausted=1pp"]);
    assert!(
        stdout.contains("Every precision target met after "),
        "{stdout}"
    );
    let target = &rows(&dir.join("precision.csv"))[0];
    assert_eq!(
        (
            target["quantity"].as_str(),
            target["met"].as_str(),
            target["stopped"].as_str()
        ),
        ("exhausted", "yes", "targets_met")
    );
    let trials: u64 = target["trials"].parse().unwrap();
    assert_eq!(metadata(&dir)["trials"], trials.to_string());
    // More than the first round of 4096: the run really added rounds.
    assert!(trials > 4096, "{trials}");
    // Rounds continue the trial numbers: the files are those of a plain
    // run of the same number of trials.
    let plain = tmp.path().join("plain");
    run(&file, &plain, &["--trials", &trials.to_string(), "--quiet"]);
    for name in ["summary.csv", "histograms.csv"] {
        let a = fs::read(dir.join(name)).unwrap();
        assert_eq!(a, fs::read(plain.join(name)).unwrap(), "{name}");
    }
    // Recompute from summary.csv: every month's Wilson half-width is within
    // the target, and the figure in precision.csv is the widest of them.
    let widest = rows(&dir.join("summary.csv"))
        .iter()
        .filter(|r| r["metric"] == "exhausted")
        .map(|r| {
            let n: u64 = r["n"].parse().unwrap();
            let p: f64 = r["mean"].parse().unwrap();
            let (low, high) = wilson((p * n as f64).round() as u64, n);
            (high - low) / 2.0
        })
        .fold(0.0, f64::max);
    assert!(widest <= 0.01, "{widest}");
    let achieved: f64 = target["achieved"].parse().unwrap();
    assert!((achieved - widest).abs() < 1e-6, "{achieved} vs {widest}");
}

#[test]
fn a_run_that_cannot_meet_its_target_stops_at_max_trials_and_says_so() {
    let tmp = TempDir::new().unwrap();
    let file = scenario(tmp.path());
    let dir = tmp.path().join("out");
    let stdout = run(
        &file,
        &dir,
        &["--precision", "exhausted=0.1pp", "--max-trials", "6000"],
    );
    assert!(
        stdout.contains(
            "Stopped at --max-trials (6,000 trials) before every precision target was met"
        ),
        "{stdout}"
    );
    let target = &rows(&dir.join("precision.csv"))[0];
    assert_eq!(
        (
            target["met"].as_str(),
            target["stopped"].as_str(),
            target["trials"].as_str()
        ),
        ("no", "max_trials", "6000")
    );
    assert_eq!(metadata(&dir)["trials"], "6000");
}

#[test]
fn the_same_seed_and_targets_give_the_same_trial_count_and_the_same_files_on_any_thread_count() {
    let tmp = TempDir::new().unwrap();
    let file = scenario(tmp.path());
    let (one, two) = (tmp.path().join("one"), tmp.path().join("two"));
    let targets = ["--precision", "exhausted=1.5pp,total_cost=0.5", "--quiet"];
    run(&file, &one, &[&targets[..], &["--threads", "1"]].concat());
    run(&file, &two, &[&targets[..], &["--threads", "2"]].concat());
    for name in ["summary.csv", "histograms.csv", "precision.csv"] {
        let a = fs::read(one.join(name)).unwrap();
        assert_eq!(a, fs::read(two.join(name)).unwrap(), "{name}");
    }
    assert_eq!(metadata(&one)["trials"], metadata(&two)["trials"]);
}

#[test]
fn compare_with_pair_targets_stops_when_the_difference_and_the_chance_of_being_cheaper_are_known() {
    let tmp = TempDir::new().unwrap();
    let set =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/compare/core_addons_vs_advanced");
    let dir = tmp.path().join("out");
    let out = inmail_sim()
        .arg("compare")
        .arg(set.join("advanced.toml"))
        .arg(set.join("core_addons.toml"))
        .args([
            "--months",
            "3",
            "--precision",
            "cost_difference=1,cheaper=2pp",
        ])
        .arg("--out")
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("Every precision target met after "),
        "{stdout}"
    );
    let targets = rows(&dir.join("precision.csv"));
    assert_eq!(targets.len(), 2);
    assert!(
        targets
            .iter()
            .all(|t| t["met"] == "yes" && t["stopped"] == "targets_met")
    );
    let meta = metadata(&dir);
    assert_eq!(meta["stopped"], "targets_met");
    assert_eq!(meta["precision"], "cost_difference=$1.00 cheaper=2.000pp");
    // The pair row agrees: its interval is within ±$1 and its Wilson
    // interval of "A is cheaper" within ±2 percentage points.
    let pair = &rows(&dir.join("pairs.csv"))[0];
    let num = |k: &str| pair[k].parse::<f64>().unwrap();
    assert!(num("cost_difference_ci95_high") - num("cost_difference_ci95_low") <= 2.0 + 1e-9);
    assert!(num("a_cheaper_ci95_high") - num("a_cheaper_ci95_low") <= 0.04 + 1e-9);
    assert_eq!(pair["trials"], meta["trials"]);
}

#[test]
fn precision_with_trials_or_a_pair_target_on_one_scenario_is_refused_with_exit_code_2() {
    let tmp = TempDir::new().unwrap();
    let file = scenario(tmp.path());
    let dir = tmp.path().join("out");
    let refused = |extra: &[&str], fragment: &str| {
        inmail_sim()
            .arg("run")
            .arg(&file)
            .arg("--out")
            .arg(&dir)
            .args(extra)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(fragment));
        assert!(!dir.exists());
    };
    refused(
        &["--precision", "exhausted=1pp", "--trials", "10"],
        "--trials",
    );
    refused(&["--precision", "cheaper=1pp"], "needs a compare set");
    refused(
        &["--precision", "total_cost=-1"],
        "a half-width in dollars above 0",
    );
    refused(&["--max-trials", "10"], "--precision");
    // With --trials, clap's `requires` lets it through: refused all the same.
    refused(
        &["--max-trials", "5000", "--trials", "50"],
        "--max-trials 5000 goes with --precision",
    );
}

#[test]
fn a_bare_number_as_a_probability_target_is_refused_suggesting_both_units() {
    let tmp = TempDir::new().unwrap();
    let file = scenario(tmp.path());
    let dir = tmp.path().join("out");
    inmail_sim()
        .arg("run")
        .arg(&file)
        .arg("--out")
        .arg(&dir)
        .args(["--precision", "exhausted=0.5"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "--precision exhausted=0.5: a probability's half-width needs its unit: write 0.5pp \
for 0.5 percentage points, or 50pp if 0.5 is a share (0 to 1)",
        ));
    assert!(!dir.exists());
}
