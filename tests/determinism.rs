//! Same seed, same scenario → byte-identical outputs, whatever the thread
//! count (credit-rules.md §7), through the command line and the library.

mod common;
#[path = "determinism/shards.rs"]
mod shards;

use assert_cmd::Command;
use inmail_sim::engine::{CycleMetrics, Model, Simulator, TrialObserver, TrialTotals};
use inmail_sim::runner::{BATCH_TRIALS, Progress, simulate};
use inmail_sim::stats::RunStats;
use std::fs;
use std::path::PathBuf;
use tempfile::TempDir;

/// Backlog, Open Profiles with a limit, capped add-ons, original-expiry
/// refunds and a per-cycle redraw: every feature that keeps state across
/// days is on, and demand is heavy enough that the plan runs out.
const BUSY: &str = r#"
name = "busy"
seed = 42
months = 5
start_date = 2026-01-31

[plan]
id = "premium_business"

[demand]
per_workday = 3
backlog = true

[response]
rate = "8% to 30%"
redraw = "cycle"
declines_share = 0.3

[refunds]
expiry = "original"
declines = false

[open_profile]
share = 0.2
limit = 6

[addons]
policy = "when_empty"
pack = 2
max_per_month = 10
"#;

/// Not a multiple of the runner's batch size, so the last batch is partial.
const TRIALS: u64 = 5000;

struct Run {
    dir: PathBuf,
}

impl Run {
    fn file(&self, name: &str) -> String {
        fs::read_to_string(self.dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    /// metadata.csv rows as (key, value).
    fn metadata(&self) -> Vec<(String, String)> {
        self.file("metadata.csv")
            .lines()
            .skip_while(|l| l.starts_with('#'))
            .skip(1)
            .map(|l| {
                let (k, v) = l.split_once(',').expect("key,value");
                (k.to_string(), v.to_string())
            })
            .collect()
    }

    /// metadata.csv without the rows that describe this particular run.
    fn reproducible_metadata(&self) -> Vec<(String, String)> {
        let mut rows = self.metadata();
        rows.retain(|(k, _)| k != "threads" && k != "wall_time_seconds");
        rows
    }

    fn metadata_value(&self, key: &str) -> String {
        let rows = self.metadata();
        let row = rows.iter().find(|(k, _)| k == key);
        row.unwrap_or_else(|| panic!("no {key} in metadata.csv"))
            .1
            .clone()
    }
}

/// Writes the scenario into `tmp` once and runs it with `args`, into a new
/// output folder named `out`.
fn run_cli(tmp: &TempDir, out: &str, args: &[&str]) -> Run {
    let scenario = tmp.path().join("busy.toml");
    if !scenario.exists() {
        fs::write(&scenario, BUSY).unwrap();
    }
    let dir = tmp.path().join(out);
    let trials = TRIALS.to_string();
    Command::cargo_bin("inmail-sim")
        .unwrap()
        .arg("run")
        .arg(&scenario)
        .args(["--trials", &trials, "--quiet", "--out"])
        .arg(&dir)
        .args(args)
        .assert()
        .success();
    Run { dir }
}

fn assert_same_file(a: &Run, b: &Run, name: &str) {
    // Not assert_eq!: a diff of two large CSVs helps nobody.
    let (x, y) = (a.file(name), b.file(name));
    assert!(!x.is_empty(), "{name} is empty");
    if x != y {
        let line = x.lines().zip(y.lines()).position(|(p, q)| p != q);
        panic!("{name} differs (first at line {line:?})");
    }
}

#[test]
fn one_thread_and_four_threads_write_byte_identical_results() {
    assert_ne!(TRIALS % BATCH_TRIALS, 0, "the last batch must be partial");
    let tmp = TempDir::new().unwrap();
    let one = run_cli(&tmp, "one", &["--threads", "1"]);
    let four = run_cli(&tmp, "four", &["--threads", "4"]);
    assert_eq!(one.metadata_value("threads"), "1");
    assert_eq!(four.metadata_value("threads"), "4");
    assert_eq!(one.metadata_value("trials"), TRIALS.to_string());
    assert_same_file(&one, &four, "summary.csv");
    assert_same_file(&one, &four, "histograms.csv");
    assert_same_file(&one, &four, "summary_horizon.csv");
    assert_same_file(&one, &four, "monthly.csv");
    assert_eq!(one.reproducible_metadata(), four.reproducible_metadata());
    assert_eq!(
        one.reproducible_metadata().len() + 2,
        one.metadata().len(),
        "threads and wall_time_seconds are the only rows left out"
    );
}

#[test]
fn the_same_seed_twice_writes_identical_files_and_another_seed_does_not() {
    let tmp = TempDir::new().unwrap();
    let first = run_cli(&tmp, "first", &["--threads", "3"]);
    let again = run_cli(&tmp, "again", &["--threads", "3"]);
    let other = run_cli(&tmp, "other", &["--threads", "3", "--seed", "43"]);
    for name in ["summary.csv", "histograms.csv"] {
        assert_same_file(&first, &again, name);
    }
    assert_eq!(first.reproducible_metadata(), again.reproducible_metadata());
    assert_eq!(first.metadata_value("seed"), "42");
    assert_eq!(other.metadata_value("seed"), "43");
    assert_ne!(first.file("summary.csv"), other.file("summary.csv"));
}

fn busy_model() -> Model {
    common::model(BUSY)
}

#[test]
fn simulating_all_trials_at_once_equals_merging_any_split_of_them() {
    let model = busy_model();
    let n = 2 * BATCH_TRIALS + 300;
    let all = simulate(&model, 0..n, &Progress::hidden());
    assert_eq!(all.trials, n);
    for k in [1, BATCH_TRIALS, BATCH_TRIALS + 77, n - 1] {
        let mut head = simulate(&model, 0..k, &Progress::hidden());
        let tail = simulate(&model, k..n, &Progress::hidden());
        head.merge(&tail);
        assert!(head == all, "splitting at trial {k} changed the statistics");
    }
    // The splits are not vacuous: the two halves differ from each other.
    let a = simulate(&model, 0..500, &Progress::hidden());
    let b = simulate(&model, 500..1000, &Progress::hidden());
    assert!(a != b);
}

#[test]
fn the_thread_pool_size_does_not_change_the_statistics() {
    let model = busy_model();
    let on = |threads: usize| -> RunStats {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| simulate(&model, 0..1500, &Progress::hidden()))
    };
    assert!(on(1) == on(3));
}

/// Records a trial's cycles and totals.
#[derive(Default, PartialEq, Debug)]
struct Recorder {
    cycles: Vec<CycleMetrics>,
    totals: Vec<TrialTotals>,
}

impl TrialObserver for Recorder {
    fn cycle(&mut self, _index: usize, metrics: &CycleMetrics) {
        self.cycles.push(*metrics);
    }
    fn trial(&mut self, totals: &TrialTotals) {
        self.totals.push(*totals);
    }
}

fn trial_on(sim: &mut Simulator<'_>, trial: u64) -> Recorder {
    let mut r = Recorder::default();
    sim.run_trial(trial, &mut r);
    r
}

#[test]
fn a_trial_depends_only_on_its_index_not_on_the_trials_run_before_it() {
    let model = busy_model();
    let mut fresh = Simulator::new(&model);
    let expected = trial_on(&mut fresh, 7);
    let mut reused = Simulator::new(&model);
    for t in (0..20).rev() {
        trial_on(&mut reused, t);
    }
    assert_eq!(trial_on(&mut reused, 7), expected);
    assert_ne!(trial_on(&mut reused, 8), expected);
    assert!(
        expected
            .cycles
            .iter()
            .any(|m| m.blocked > 0 && m.refunds > 0)
    );
}

/// Every file of `a` and `b` is the same, but the metadata rows that
/// describe the machine (threads, wall time).
fn assert_same_folders(a: &std::path::Path, b: &std::path::Path) {
    let names = common::names_in(a);
    assert_eq!(names, common::names_in(b));
    assert!(names.len() > 3, "{names:?}");
    for name in names {
        let keep = |text: String| -> String {
            text.lines()
                .filter(|l| !l.contains("threads") && !l.contains("wall_time"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        let (x, y) = (
            keep(fs::read_to_string(a.join(&name)).unwrap()),
            keep(fs::read_to_string(b.join(&name)).unwrap()),
        );
        assert!(x == y, "{name} differs between thread counts");
    }
}

/// `solve` and `recommend` (with its successive elimination) on the busy
/// scenario: byte-identical folders on 1 and 4 threads.
#[test]
fn solve_and_recommend_write_byte_identical_results_on_one_and_four_threads() {
    let tmp = TempDir::new().unwrap();
    let scenario = tmp.path().join("busy.toml");
    fs::write(&scenario, BUSY).unwrap();
    let commands: [(&str, &[&str]); 2] = [
        (
            "solve",
            &[
                "--param",
                "demand.per_workday",
                "--target",
                "exhausted=20%",
                "--range",
                "0.5..4",
                "--trials",
                "1500",
            ],
        ),
        (
            "recommend",
            &[
                "--plans",
                "premium_business,sales_navigator_core",
                "--what-if-addons",
                "--max-trials",
                "6000",
            ],
        ),
    ];
    for (command, args) in commands {
        let dirs: Vec<PathBuf> = ["1", "4"]
            .iter()
            .map(|threads| {
                let dir = tmp.path().join(format!("{command}_{threads}"));
                Command::cargo_bin("inmail-sim")
                    .unwrap()
                    .arg(command)
                    .arg(&scenario)
                    .args(args)
                    .args(["--quiet", "--threads", threads, "--out"])
                    .arg(&dir)
                    .assert()
                    .success();
                dir
            })
            .collect();
        assert_same_folders(&dirs[0], &dirs[1]);
    }
}

/// The counted cycle (one expiring plan, demand that mostly goes out) and
/// the Recruiter floor (which warns and blocks at this volume) empty their
/// per-day state as the days run rather than per trial: a trial run after
/// others must still see none of theirs.
#[test]
fn a_trial_after_others_sees_nothing_of_theirs_on_the_counted_and_floor_paths() {
    let counted = "seed = 3\nmonths = 6\n[plan]\nid = \"sales_navigator_core\"\n\
                   [demand]\nper_workday = 3\n[response]\nrate = \"30% to 60%\"\n";
    let floor = "seed = 3\nmonths = 6\n[plan]\nid = \"recruiter_lite\"\n[demand]\n\
                 per_workday = 10\n[response]\nrate = \"5% to 12%\"\n[addons]\n\
                 policy = \"when_empty\"\npack = 10\n[floor]\nenabled = true\n";
    for text in [counted, floor] {
        let model = common::model(text);
        let mut reused = Simulator::new(&model);
        let before: Vec<Recorder> = (0..30).map(|t| trial_on(&mut reused, t)).collect();
        for t in [0, 11, 29] {
            let mut fresh = Simulator::new(&model);
            assert_eq!(
                trial_on(&mut fresh, t),
                before[t as usize],
                "trial {t} of\n{text}"
            );
        }
        let floor_blocked: u64 = before
            .iter()
            .flat_map(|r| &r.cycles)
            .map(|m| m.floor_blocked)
            .sum();
        let refunds: u64 = before
            .iter()
            .flat_map(|r| &r.cycles)
            .map(|m| m.refunds)
            .sum();
        assert!(refunds > 0, "{text}");
        if text == floor {
            assert!(floor_blocked > 0, "the floor blocks in some trial");
        }
    }
}

#[test]
fn a_scenario_said_to_draw_nothing_at_random_has_the_same_outcome_in_every_trial() {
    // `solve` reads such a scenario's statistic as exact (no rule-of-three
    // margin): fixed demand, a reply rate of 0, no Open Profile, with
    // every other feature that could draw on: follow-ups, the Recruiter
    // floor, a backlog, seats of their own, weekends, add-ons, a plan
    // change, random delays, declines and per-cycle redraws.
    let exact = [
        "[plan]\nid = \"premium_business\"\n[demand]\nper_cycle = 19\ndistribution = \"fixed\"\n\
         [response]\nrate = 0\n",
        "months = 5\nstart_date = 2026-01-31\nseats = 3\n[plan]\nid = \"recruiter_lite\"\n\
         [demand]\nper_workday = 12.3\ndistribution = \"fixed\"\nbacklog = true\n\
         [response]\nrate = 0\nredraw = \"cycle\"\ndeclines_share = 0.4\n\
         [refunds]\ndeclines = false\n[follow_ups]\nafter_days = 4\n\
         [addons]\npolicy = \"when_empty\"\n\
         [[plan_change]]\nfrom_cycle = 3\nplan = { id = \"sales_navigator_core\" }\n",
        "months = 4\n[plan]\nid = \"sales_navigator_core\"\n[demand]\nper_week = 17\n\
         distribution = \"fixed\"\nweekends = true\nbacklog = true\n[response]\nrate = 0\n\
         [follow_ups]\nafter_days = 2\nrule = \"standard\"\n[floor]\nenabled = true\n",
    ];
    let mut floor_refused = false;
    for text in exact {
        let model = common::model(text);
        assert!(model.scenario.draws_nothing_at_random(), "{text}");
        let trials = inmail_sim::decide::simulate(&model, 0..300, &Progress::new(0, false));
        assert!(
            trials.iter().all(|t| *t == trials[0]),
            "{text}\n{:?}",
            trials.iter().take(3).collect::<Vec<_>>()
        );
        assert!(trials[0].blocked + trials[0].floor_blocked > 0, "{text}");
        floor_refused |= trials[0].floor_blocked > 0;
    }
    assert!(floor_refused, "the floor took part");
    // Any draw that reaches the outcome: not exact.
    let fixed = "[plan]\nid = \"premium_business\"\n[demand]\nper_cycle = 19\n\
                 distribution = \"fixed\"\n[response]\nrate = 0\n";
    for random in [
        fixed.replace("distribution = \"fixed\"", "distribution = \"poisson\""),
        fixed.replace("rate = 0", "rate = 0.01"),
        format!("{fixed}[open_profile]\nshare = 0.5\n"),
    ] {
        assert!(
            !common::scenario(&random).draws_nothing_at_random(),
            "{random}"
        );
    }
}
