//! `run --samples FILE`: the raw rows of the first trials, the same for any
//! number of threads, equal to what the engine gives for those trials, and
//! bounded by `--samples-limit`.

mod common;

use common::{inmail_sim, model, succeed};
use inmail_sim::engine::{CYCLE_METRICS, CycleMetrics, Simulator, TrialObserver, TrialTotals};
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

const SCENARIO: &str = "seed = 9\nmonths = 3\ntrials = 500\n\
[plan]\nid = \"sales_navigator_core\"\n[demand]\nper_workday = 4\n\
[addons]\npolicy = \"when_empty\"\nprice = 10\nmax_per_month = 5\n";

fn write_scenario(dir: &Path) -> PathBuf {
    let path = dir.join("s.toml");
    fs::write(&path, SCENARIO).unwrap();
    path
}

fn run_with_samples(dir: &Path, name: &str, extra: &[&str]) -> PathBuf {
    let file = write_scenario(dir);
    let samples = dir.join(name).join("samples.csv");
    let samples_arg = samples.to_str().unwrap().to_string();
    succeed(
        "run",
        &[&file],
        &dir.join(name),
        &[&["--quiet", "--samples", &samples_arg], extra].concat(),
    );
    samples
}

#[derive(Default)]
struct Cycles(Vec<CycleMetrics>);

impl TrialObserver for Cycles {
    fn cycle(&mut self, _: usize, m: &CycleMetrics) {
        self.0.push(*m);
    }
    fn trial(&mut self, _: &TrialTotals) {}
}

fn dollars(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

#[test]
fn a_limit_of_31_rows_samples_the_first_10_whole_trials_as_run_trial_gives_them() {
    let dir = TempDir::new().unwrap();
    let samples = run_with_samples(dir.path(), "a", &["--samples-limit", "31"]);
    let mut reader = common::csv_reader(&samples);
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let names: Vec<&str> = CYCLE_METRICS.iter().map(|m| m.name()).collect();
    let head = [
        "trial",
        "cycle",
        "period_start",
        "period_end",
        "days",
        "partial",
        "reply_rate",
    ];
    assert_eq!(header[..7], head);
    assert_eq!(header[7..], names[..]);
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    // 31 rows / 3 months = 10 whole trials.
    assert_eq!(records.len(), 30);

    let model = model(SCENARIO);
    let mut sim = Simulator::new(&model);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    for trial in 0..10u64 {
        let mut cycles = Cycles::default();
        sim.run_trial(trial, &mut cycles);
        for (c, m) in cycles.0.iter().enumerate() {
            let row = &records[trial as usize * 3 + c];
            assert_eq!(row[0], trial.to_string());
            assert_eq!(row[1], (c + 1).to_string());
            // The default start, 2026-01-01, on a calendar plan.
            let month = ["01", "02", "03"][c];
            assert_eq!(row[col("period_start")], format!("2026-{month}-01"));
            assert_eq!(&row[col("days")], ["31", "28", "31"][c]);
            // One rate per trial (redraw = "trial"), drawn from the
            // scenario's default range; it differs between trials.
            let rate: f64 = row[col("reply_rate")].parse().unwrap();
            assert!((0.0..=1.0).contains(&rate), "{rate}");
            assert_eq!(
                row[col("reply_rate")],
                records[trial as usize * 3][col("reply_rate")]
            );
            assert_eq!(row[col("demand")], m.demand.to_string());
            assert_eq!(row[col("sent_paid")], m.sent_paid.to_string());
            assert_eq!(row[col("refunds")], m.refunds.to_string());
            assert_eq!(row[col("end_balance")], m.end_balance.to_string());
            assert_eq!(row[col("exhausted")], u8::from(m.blocked > 0).to_string());
            assert_eq!(
                row[col("first_blocked_day")],
                m.first_blocked_day.map_or(String::new(), |d| d.to_string())
            );
            assert_eq!(row[col("addon_spend")], dollars(m.addon_spend));
            assert_eq!(row[col("total_cost")], dollars(m.plan_cost + m.addon_spend));
        }
    }
    assert_ne!(records[0][col("reply_rate")], records[3][col("reply_rate")]);
}

#[test]
fn the_samples_file_is_byte_identical_for_one_and_two_threads() {
    let dir = TempDir::new().unwrap();
    let one = run_with_samples(dir.path(), "t1", &["--threads", "1"]);
    let two = run_with_samples(dir.path(), "t2", &["--threads", "2"]);
    let bytes = fs::read(&one).unwrap();
    assert_eq!(bytes, fs::read(&two).unwrap());
    // The default limit (100,000 rows) holds all 500 trials of 3 months.
    let body = common::csv_body(&one);
    assert_eq!(body.lines().count(), 1 + 500 * 3);
}

#[test]
fn a_limit_above_ten_million_rows_is_refused_with_exit_code_2_before_the_run() {
    let dir = TempDir::new().unwrap();
    let file = write_scenario(dir.path());
    let out = dir.path().join("out");
    inmail_sim()
        .arg("run")
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .args(["--samples", "x.csv", "--samples-limit", "10000001"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("at most 10000000 rows"));
    assert!(!out.exists());
}

#[test]
fn a_run_that_fails_leaves_no_samples_file_behind() {
    let dir = TempDir::new().unwrap();
    let file = write_scenario(dir.path());
    let blocker = dir.path().join("plain");
    fs::write(&blocker, b"").unwrap();
    let samples = dir.path().join("sub/samples.csv");
    inmail_sim()
        .arg("run")
        .arg(&file)
        .arg("--out")
        .arg(blocker.join("out")) // under a file: cannot be written
        .arg("--samples")
        .arg(&samples)
        .assert()
        .code(2);
    assert!(!dir.path().join("sub").exists());
}

#[test]
fn samples_and_json_in_one_folder_outside_the_output_are_both_written_and_one_name_is_refused() {
    // One folder, two files: staged in one folder set (a second lock on the
    // folder would refuse the run as if another were writing there).
    let tmp = TempDir::new().unwrap();
    let file = write_scenario(tmp.path());
    let side = tmp.path().join("side");
    let run = |samples: &Path, json: &Path, out: &str| {
        inmail_sim()
            .arg("run")
            .arg(&file)
            .args(["--trials", "50", "--quiet", "--no-charts", "--samples"])
            .arg(samples)
            .arg("--json")
            .arg(json)
            .arg("--out")
            .arg(tmp.path().join(out))
            .output()
            .unwrap()
    };
    let output = run(&side.join("s.csv"), &side.join("r.json"), "out");
    assert!(output.status.success(), "{output:?}");
    assert!(side.join("s.csv").is_file() && side.join("r.json").is_file());
    // The same name twice: refused before the run, nothing written.
    let output = run(
        &tmp.path().join("x.csv"),
        &tmp.path().join("./x.csv"),
        "out2",
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("name the same file"), "{stderr}");
    assert!(!tmp.path().join("x.csv").exists() && !tmp.path().join("out2").exists());
}

#[test]
fn samples_to_a_reader_that_stops_early_fail_with_exit_code_1_and_write_no_folder() {
    // `run --samples - | head -1`: far more rows than a pipe holds, the
    // reader gone after one line. The samples are cut short, so the set is
    // not whole: no folder, and not the success a closed pipe is elsewhere.
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let tmp = TempDir::new().unwrap();
    let file = write_scenario(tmp.path());
    let out = tmp.path().join("out");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_inmail-sim"))
        .arg("run")
        .arg(&file)
        .args([
            "--trials",
            "3000",
            "--threads",
            "1",
            "--samples",
            "-",
            "--out",
        ])
        .arg(&out)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with("trial,"), "{first}");
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("cut short"), "{stderr}");
    assert!(!out.exists());
}
