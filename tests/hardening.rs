//! End-to-end tests of the limits that protect the machine: a run too big
//! for memory is refused before it starts, and Ctrl-C stops a long run at
//! once, leaving nothing behind (or, with `--keep-partial`, the statistics
//! of the trials completed, which are reproducible). The output folder's
//! contract is tested in hardening/output_contract.rs.

#[path = "hardening/output_contract.rs"]
mod output_contract;

use assert_cmd::Command;
use inmail_sim::export::PARTIAL_LINE;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;

fn inmail_sim() -> Command {
    Command::cargo_bin("inmail-sim").expect("the inmail-sim binary is built")
}

fn binary() -> PathBuf {
    assert_cmd::cargo::cargo_bin("inmail-sim")
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// Valid (every value is within its documented range) but 100 years of the
/// largest demand: its statistics cannot fit in memory.
const TOO_BIG: &str = "months = 1200\ntrials = 10000000\n\
[plan]\nid = \"sales_navigator_core\"\n[demand]\nper_cycle = 310000\n";

#[test]
fn a_run_too_big_for_memory_is_refused_with_its_size_before_anything_is_written() {
    let tmp = TempDir::new().unwrap();
    let path = tmp.path().join("too_big.toml");
    fs::write(&path, TOO_BIG).unwrap();
    let out = tmp.path().join("out");
    let assert = inmail_sim()
        .arg("run")
        .arg(&path)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.starts_with("error: this run would need about ")
            && stderr.contains(" GiB of memory for its statistics")
            && stderr.contains("reduce months"),
        "{stderr}"
    );
    assert!(!out.exists(), "the output folder was created");
    // The scenario itself is valid, and a short run of it is accepted.
    inmail_sim().arg("validate").arg(&path).assert().code(0);
    inmail_sim()
        .arg("compare")
        .arg(&path)
        .arg(&path)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2);
    assert!(!out.exists(), "compare created the output folder");
}

#[test]
fn the_largest_horizon_with_ordinary_demand_is_accepted() {
    let tmp = TempDir::new().unwrap();
    let path = tmp.path().join("century.toml");
    let text = "months = 1200\n[plan]\nid = \"sales_navigator_core\"\n[demand]\nper_workday = 20\n";
    fs::write(&path, text).unwrap();
    inmail_sim()
        .arg("run")
        .arg(&path)
        .args(["--trials", "2", "--quiet", "--out"])
        .arg(tmp.path().join("out"))
        .assert()
        .code(0);
}

/// Starts a run of many trials (minutes of work), waits until it is
/// simulating, and sends SIGINT as Ctrl-C would.
fn interrupted_run(out: &Path, extra: &[&str]) -> (Child, Instant) {
    let mut child = std::process::Command::new(binary())
        .arg("run")
        .arg(repo("scenarios/sales_navigator_core_light.toml"))
        .args(["--trials", "100000000", "--quiet", "--out"])
        .arg(out)
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    assert!(child.try_wait().unwrap().is_none(), "the run ended early");
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    (child, Instant::now())
}

/// Waits for the child, at most `limit`; its exit code and stderr.
fn finish(mut child: Child, sent: Instant, limit: Duration) -> (Option<i32>, String) {
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut stderr = String::new();
            use std::io::Read;
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut stderr)
                .unwrap();
            return (status.code(), stderr);
        }
        if sent.elapsed() > limit {
            let _ = child.kill();
            panic!("still running {limit:?} after Ctrl-C");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn ctrl_c_stops_a_long_run_within_two_seconds_with_code_130_and_leaves_nothing() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("results/heavy");
    let (child, sent) = interrupted_run(&out, &[]);
    let (code, stderr) = finish(child, sent, Duration::from_secs(2));
    assert_eq!(code, Some(130), "{stderr}");
    assert_eq!(stderr, "error: interrupted\n");
    assert!(
        !tmp.path().join("results").exists(),
        "the output folder is left behind"
    );
}

#[test]
fn ctrl_c_with_keep_partial_writes_the_trials_completed_reproducibly_marked_partial() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("partial");
    let (child, sent) = interrupted_run(&out, &["--keep-partial"]);
    let (code, stderr) = finish(child, sent, Duration::from_secs(2));
    assert_eq!(code, Some(130), "{stderr}");
    let meta = fs::read_to_string(out.join("metadata.csv")).unwrap();
    let value = |key: &str| {
        let row = meta
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{key},")));
        row.unwrap_or_else(|| panic!("no {key} in {meta}"))
            .to_string()
    };
    assert_eq!(value("partial"), "true");
    let trials: u64 = value("trials").parse().unwrap();
    assert!(trials > 0 && trials < 100_000_000, "{trials}");
    assert!(
        stderr.contains(&format!("the first {trials} trials")),
        "{stderr}"
    );

    // Trials 0..n exactly: a fresh run of n trials writes the same statistics.
    let full = tmp.path().join("full");
    inmail_sim()
        .arg("run")
        .arg(repo("scenarios/sales_navigator_core_light.toml"))
        .args(["--trials", &trials.to_string(), "--quiet", "--out"])
        .arg(&full)
        .assert()
        .code(0);
    // The files differ only by the comment line that says they are partial.
    for file in ["summary.csv", "histograms.csv"] {
        let a = fs::read_to_string(out.join(file)).unwrap();
        let b = fs::read_to_string(full.join(file)).unwrap();
        let partial_line = format!("{PARTIAL_LINE}\n");
        assert!(a.contains(&partial_line), "{file} does not say partial");
        assert!(
            !b.contains(&partial_line),
            "{file} of a full run says partial"
        );
        let a = a.replacen(&partial_line, "", 1);
        assert!(a == b, "{file} differs from a run of {trials} trials");
    }
    let full_meta = fs::read_to_string(full.join("metadata.csv")).unwrap();
    assert!(full_meta.contains("\npartial,false\n"), "{full_meta}");
}

/// Issue 17: a century of demand far above the plan, all of it waiting in
/// the backlog (the `free` plan has no credits, so nothing ever goes out).
const FLOOD: &str = "months = 1200\n[plan]\nid = \"free\"\n\
[demand]\nper_workday = 10000\nbacklog = true\n";

#[cfg(target_os = "linux")]
#[test]
fn a_backlog_of_a_century_of_blocked_demand_runs_in_bounded_memory() {
    // Over 360 million messages wait by the end. Kept as a list of the
    // waiting messages the backlog needed about 1.8 GB for this one trial;
    // kept as counts it needs nothing, and the run fits in 512 MiB of
    // address space (measured: about 15 MB resident).
    let tmp = TempDir::new().unwrap();
    let path = tmp.path().join("flood.toml");
    fs::write(&path, FLOOD).unwrap();
    let out = tmp.path().join("out");
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 524288 && exec \"$0\" \"$@\"")
        .arg(binary())
        .args(["run", "--trials", "1", "--threads", "1", "--no-charts"])
        .arg(&path)
        .arg("--out")
        .arg(&out)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
    let summary = fs::read_to_string(out.join("summary.csv")).unwrap();
    assert!(
        summary.contains("\nmonths_exhausted,all,months,1,0,1200,"),
        "{summary}"
    );
}
