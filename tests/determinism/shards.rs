//! Shards (issue 23): a run cut into shards that run as separate processes
//! in parallel, merged, writes the same bytes as the run on one machine
//! (apart from wall time and threads in metadata); a set of partial files
//! that is not every shard of one run exactly once is refused by name.

use super::common::{inmail_sim, repo};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command as Process;
use tempfile::TempDir;

/// Runs `inmail-sim ARGS --shard K/4 --out PARTS` for K = 1..4 as four
/// processes at once, through `xargs -P 4`, as a batch scheduler would.
/// (xargs replaces its marker inside every argument, so the marker must
/// not occur in a path: a temporary folder's random name may hold a `K`.)
fn four_shards_in_parallel(args: &[String], parts: &Path) {
    let bin = assert_cmd::cargo::cargo_bin("inmail-sim");
    let output = Process::new("sh")
        .arg("-c")
        .arg(r#"printf '%s\n' 1 2 3 4 | xargs -P 4 -I @K@ "$@" --shard @K@/4 -q --out "$PARTS""#)
        .arg("sh")
        .arg(&bin)
        .args(args)
        .env("PARTS", parts)
        .output()
        .expect("sh and xargs run");
    assert!(
        output.status.success(),
        "every shard succeeds: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn partials(parts: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(parts)
        .expect("the partial folder")
        .map(|e| e.expect("an entry").path())
        .collect();
    files.sort();
    files
}

fn merge(files: &[PathBuf], out: &Path) {
    inmail_sim()
        .arg("merge")
        .args(files)
        .arg("--out")
        .arg(out)
        .arg("-q")
        .assert()
        .success();
}

/// Every file of `a` and `b`, byte for byte, but the lines of metadata that
/// describe the machine (wall time, threads).
fn assert_same_outputs(a: &Path, b: &Path) {
    let names = |d: &Path| {
        let mut n: Vec<String> = fs::read_dir(d)
            .expect("an output folder")
            .map(|e| {
                e.expect("an entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        n.sort();
        n
    };
    assert_eq!(names(a), names(b));
    let machine = |line: &&str| line.contains("wall_time") || line.contains("threads");
    for name in names(a) {
        let (x, y) = (
            fs::read(a.join(&name)).unwrap(),
            fs::read(b.join(&name)).unwrap(),
        );
        if name.starts_with("metadata") {
            let keep = |bytes: &[u8]| -> Vec<String> {
                let text = String::from_utf8(bytes.to_vec()).expect("metadata is text");
                text.lines()
                    .filter(|l| !machine(l))
                    .map(String::from)
                    .collect()
            };
            assert_eq!(keep(&x), keep(&y), "{name}");
            assert!(
                String::from_utf8_lossy(&x).lines().any(|l| machine(&l)),
                "{name} says the wall time"
            );
        } else {
            assert!(
                x == y,
                "{name} differs between the single run and the merged shards"
            );
        }
    }
}

/// Runs `args` on one machine and as four merged shards, and compares.
fn sharded_equals_single(args: &[&str]) {
    let tmp = TempDir::new().unwrap();
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let single = tmp.path().join("single");
    inmail_sim()
        .args(&args)
        .args(["--threads", "2", "-q", "--out"])
        .arg(&single)
        .assert()
        .success();
    let parts = tmp.path().join("parts");
    four_shards_in_parallel(&args, &parts);
    assert_eq!(partials(&parts).len(), 4);
    let merged = tmp.path().join("merged");
    merge(&partials(&parts), &merged);
    assert_same_outputs(&single, &merged);
}

fn path(p: &str) -> String {
    repo(p).display().to_string()
}

#[test]
fn four_shards_of_a_run_merge_into_the_bytes_of_one_run() {
    let s = path("scenarios/everything.toml");
    sharded_equals_single(&["run", &s, "--trials", "3001", "--seed", "5"]);
}

#[test]
fn four_shards_of_a_compare_merge_into_the_bytes_of_one_compare() {
    let a = path("scenarios/compare/core_addons_vs_advanced/core_addons.toml");
    let b = path("scenarios/compare/core_addons_vs_advanced/advanced.toml");
    sharded_equals_single(&["compare", &a, &b, "--trials", "2003"]);
}

#[test]
fn four_shards_of_a_sweep_merge_into_the_bytes_of_one_sweep() {
    let a = path("scenarios/compare/core_addons_vs_advanced/core_addons.toml");
    let b = path("scenarios/compare/core_addons_vs_advanced/advanced.toml");
    let grid = "demand.per_workday=1..3";
    sharded_equals_single(&["sweep", &a, &b, "--param", grid, "--trials", "1002"]);
}

#[test]
fn shards_run_with_set_merge_though_the_files_they_name_were_not_edited() {
    // `--set` edits the text the shards simulate, not the files: merge
    // reads the files again and must find the ones the shards read (it
    // refused compare and sweep shards with `--set` as "changed").
    let a = path("scenarios/compare/core_addons_vs_advanced/core_addons.toml");
    let b = path("scenarios/compare/core_addons_vs_advanced/advanced.toml");
    let set = ["--set", "response.rate=12%"];
    sharded_equals_single(&[&["compare", &a, &b, "--trials", "1002"][..], &set].concat());
    let grid = "demand.per_workday=1..2";
    let sweep = ["sweep", &a, &b, "--param", grid, "--trials", "502"];
    sharded_equals_single(&[&sweep[..], &set].concat());
}

/// Four shards of the reference run at `trials`, with `extra` options.
fn reference_shards(tmp: &TempDir, name: &str, extra: &[&str]) -> Vec<PathBuf> {
    let parts = tmp.path().join(name);
    for k in 1..=4 {
        inmail_sim()
            .arg("run")
            .arg(repo("scenarios/reference.toml"))
            .args([
                "--trials",
                "400",
                "-q",
                "--shard",
                &format!("{k}/4"),
                "--out",
            ])
            .arg(&parts)
            .args(extra)
            .assert()
            .success();
    }
    partials(&parts)
}

/// `merge FILES` fails with exit 2, says each of `fragments`, and writes
/// nothing.
fn refused(files: &[PathBuf], fragments: &[&str]) {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    let mut assert = inmail_sim()
        .arg("merge")
        .args(files)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2);
    for f in fragments {
        assert = assert.stderr(predicates::str::contains(*f));
    }
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn a_missing_or_duplicated_shard_is_refused_by_number() {
    let tmp = TempDir::new().unwrap();
    let files = reference_shards(&tmp, "parts", &[]);
    refused(&files[..3], &["shards missing: 4 of 4"]);
    let twice = [&files[..], &files[1..2]].concat();
    refused(
        &twice,
        &["shard 2/4 is given twice", "shard-2-of-4.partial"],
    );
}

#[test]
fn a_folder_given_to_merge_is_refused_naming_its_partial_files() {
    let tmp = TempDir::new().unwrap();
    let files = reference_shards(&tmp, "parts", &[]);
    let folder = files[0].parent().unwrap().to_path_buf();
    refused(
        &[folder],
        &["a folder, not a partial state file", "*.partial"],
    );
}

#[test]
fn a_shard_from_another_seed_or_scenario_is_refused_naming_both_files() {
    let tmp = TempDir::new().unwrap();
    let files = reference_shards(&tmp, "parts", &[]);
    let other_seed = reference_shards(&tmp, "seed", &["--seed", "99"]);
    let mixed = [&files[..3], &other_seed[3..]].concat();
    refused(
        &mixed,
        &[
            "not shards of the same run",
            "seeds 1 and 99",
            "seed/shard-4-of-4",
        ],
    );

    let copy = tmp.path().join("changed.toml");
    let text = fs::read_to_string(repo("scenarios/reference.toml")).unwrap();
    fs::write(&copy, format!("{text}\n# edited\n")).unwrap();
    let parts = tmp.path().join("other");
    inmail_sim()
        .arg("run")
        .arg(&copy)
        .args(["--trials", "400", "-q", "--shard", "4/4", "--out"])
        .arg(&parts)
        .assert()
        .success();
    let mixed = [&files[..3], &partials(&parts)[..]].concat();
    refused(&mixed, &["different scenario files"]);
}

#[test]
fn a_scenario_file_changed_after_the_shards_ran_is_refused() {
    let tmp = TempDir::new().unwrap();
    let scenario = tmp.path().join("mine.toml");
    fs::copy(repo("scenarios/reference.toml"), &scenario).unwrap();
    let parts = tmp.path().join("parts");
    for k in ["1/2", "2/2"] {
        inmail_sim()
            .arg("run")
            .arg(&scenario)
            .args(["--trials", "100", "-q", "--shard", k, "--out"])
            .arg(&parts)
            .assert()
            .success();
    }
    fs::write(&scenario, "name = \"changed\"\n").unwrap();
    refused(
        &partials(&parts),
        &["mine.toml has changed since the shards ran"],
    );
}

#[test]
fn a_truncated_or_corrupt_partial_is_refused_by_name() {
    let tmp = TempDir::new().unwrap();
    let files = reference_shards(&tmp, "parts", &[]);
    let bytes = fs::read(&files[1]).unwrap();
    fs::write(&files[1], &bytes[..bytes.len() / 2]).unwrap();
    refused(&files, &["shard-2-of-4.partial", "truncated"]);
    let mut flipped = bytes.clone();
    let at = bytes.len() - 20;
    flipped[at] = if flipped[at] == b'1' { b'2' } else { b'1' };
    fs::write(&files[1], &flipped).unwrap();
    refused(&files, &["shard-2-of-4.partial", "checksum does not match"]);
    fs::write(&files[1], "name = \"a scenario, not a partial\"\n").unwrap();
    refused(&files, &["not an inmail-sim partial state file"]);
}

#[test]
fn a_partial_whose_histograms_do_not_hold_its_trials_is_refused_though_its_checksum_matches() {
    // One count of shard 2's first histogram raised by a million and the
    // checksum made again: the file is whole, its content impossible (each
    // trial records each metric once a cycle). Merged, the demand's
    // summary would count a million trials that never ran.
    let tmp = TempDir::new().unwrap();
    let files = reference_shards(&tmp, "parts", &[]);
    let text = fs::read_to_string(&files[1]).unwrap();
    let lines: Vec<&str> = text.splitn(4, '\n').collect();
    let mut doc: serde_json::Value = serde_json::from_str(lines[3].trim_end()).unwrap();
    let count = &mut doc["state"]["stats"]["per_cycle"][0][0]["pairs"][0][1];
    *count = serde_json::Value::from(count.as_u64().unwrap() + 1_000_000);
    let json = serde_json::to_string(&doc).unwrap();
    let sum = inmail_sim::scenario::sha256_hex(json.as_bytes());
    fs::write(
        &files[1],
        format!("{}\n{}\nsha256: {sum}\n{json}\n", lines[0], lines[1]),
    )
    .unwrap();
    refused(
        &files,
        &[
            "shard-2-of-4.partial",
            "cycle 1: demand holds",
            "for its 100 trials",
        ],
    );
}

/// Rewrites shard file `file`'s statistics with `edit` and its checksum
/// to match: a whole file with an edited content.
fn edit_partial(file: &std::path::Path, edit: impl FnOnce(&mut serde_json::Value)) {
    let text = fs::read_to_string(file).unwrap();
    let lines: Vec<&str> = text.splitn(4, '\n').collect();
    let mut doc: serde_json::Value = serde_json::from_str(lines[3].trim_end()).unwrap();
    edit(&mut doc);
    let json = serde_json::to_string(&doc).unwrap();
    let sum = inmail_sim::scenario::sha256_hex(json.as_bytes());
    fs::write(
        file,
        format!("{}\n{}\nsha256: {sum}\n{json}\n", lines[0], lines[1]),
    )
    .unwrap();
}

#[test]
fn a_partial_holding_values_no_trial_can_record_is_refused_though_its_checksum_matches() {
    // A month run out 5 times (merged: a chance of 2.2 a month) and a
    // negative demand, each with the trials' counts kept.
    let tmp = TempDir::new().unwrap();
    let files = reference_shards(&tmp, "parts", &[]);
    let original = fs::read(&files[2]).unwrap();
    edit_partial(&files[2], |doc| {
        doc["state"]["stats"]["per_cycle"][0][12]["pairs"] = serde_json::json!([[5, 100]]);
    });
    refused(
        &files,
        &[
            "shard-3-of-4.partial",
            "cycle 1: exhausted holds the value 5, which no trial can record (0 to 1)",
        ],
    );
    fs::write(&files[2], original).unwrap();
    edit_partial(&files[2], |doc| {
        doc["state"]["stats"]["per_cycle"][0][0]["pairs"][0][0] = serde_json::json!(-5);
    });
    refused(
        &files,
        &["cycle 1: demand holds the value -5, which no trial can record (0 or more)"],
    );
}

#[test]
fn a_partial_stating_threads_or_a_wall_time_no_shard_can_have_is_refused_though_its_checksum_matches()
 {
    // An independent check re-signed a shard claiming 10^12 threads, and
    // wall times of -1 and 1e308 seconds (metadata only): merge wrote the
    // threads into metadata.csv and counted those wall times as 0.
    let tmp = TempDir::new().unwrap();
    let files = reference_shards(&tmp, "parts", &[]);
    let original = fs::read(&files[1]).unwrap();
    for (key, value, said) in [
        (
            "threads",
            serde_json::json!(1_000_000_000_000_u64),
            "its threads, 1000000000000, is no thread count a shard runs with; allowed: a \
             whole number from 1 to 1024",
        ),
        (
            "threads",
            serde_json::json!(0),
            "its threads, 0, is no thread count",
        ),
        (
            "wall_time_secs",
            serde_json::json!(-1.0),
            "its wall_time_secs, -1.0, is no time a shard can take; allowed: seconds from 0 \
             to 3,155,760,000 (100 years)",
        ),
        (
            "wall_time_secs",
            serde_json::json!(1e308),
            "its wall_time_secs, 1e+308, is no time a shard can take",
        ),
    ] {
        fs::write(&files[1], &original).unwrap();
        edit_partial(&files[1], |doc| doc[key] = value);
        refused(&files, &["shard-2-of-4.partial", said]);
    }
    // Untouched, the same shards merge.
    fs::write(&files[1], &original).unwrap();
    merge(&files, &tmp.path().join("merged"));
}

#[test]
fn a_partial_of_another_format_version_is_refused_saying_both_versions() {
    let tmp = TempDir::new().unwrap();
    let files = reference_shards(&tmp, "parts", &[]);
    let text = fs::read_to_string(&files[0]).unwrap();
    let future = text.replacen("format_version: 4\n", "format_version: 5\n", 1);
    assert_ne!(future, text);
    fs::write(&files[0], future).unwrap();
    refused(
        &files,
        &[
            "shard-1-of-4.partial",
            "format version 5",
            "reads version 4",
        ],
    );
}

/// Shard 1/2 of the reference run from `first`, 2/2 from `second`, into
/// `parts`: their partial files.
fn two_shards_from(first: &Path, second: &Path, parts: &Path) -> Vec<PathBuf> {
    for (k, file) in [("1/2", first), ("2/2", second)] {
        inmail_sim()
            .arg("run")
            .arg(file)
            .args(["--trials", "400", "-q", "--shard", k, "--out"])
            .arg(parts)
            .assert()
            .success();
    }
    partials(parts)
}

#[test]
fn shards_that_read_the_same_scenario_from_different_folders_merge() {
    // `./x.toml` for `x.toml`, or a copy on another machine: the bytes
    // are compared by SHA-256, the folder cannot change a result.
    let tmp = TempDir::new().unwrap();
    let elsewhere = tmp.path().join("elsewhere");
    fs::create_dir(&elsewhere).unwrap();
    let shipped = repo("scenarios/reference.toml");
    for name in ["reference.toml", "renamed.toml"] {
        fs::copy(&shipped, elsewhere.join(name)).unwrap();
    }
    let copy = elsewhere.join("reference.toml");
    let files = two_shards_from(&shipped, &copy, &tmp.path().join("parts"));
    inmail_sim()
        .arg("merge")
        .args(&files)
        .args(["-q", "--out"])
        .arg(tmp.path().join("merged"))
        .assert()
        .success();
    // A copy under another file name names another option: refused.
    let renamed = elsewhere.join("renamed.toml");
    let files = two_shards_from(&shipped, &renamed, &tmp.path().join("renamed_parts"));
    refused(
        &files,
        &[
            "not shards of the same run",
            "different file names (reference.toml and renamed.toml)",
        ],
    );
}

#[test]
fn a_shard_refuses_precision_targets_and_samples() {
    let s = repo("scenarios/reference.toml");
    inmail_sim()
        .arg("run")
        .arg(&s)
        .args(["--shard", "1/2", "--precision", "exhausted=1pp"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--precision"));
    let tmp = TempDir::new().unwrap();
    inmail_sim()
        .arg("run")
        .arg(&s)
        .args(["--shard", "1/2", "--trials", "10", "--samples"])
        .arg(tmp.path().join("s.csv"))
        .arg("--out")
        .arg(tmp.path().join("p"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--samples cannot be written by a shard",
        ));
    assert!(!tmp.path().join("p").exists());
}

#[cfg(target_os = "linux")]
#[test]
fn a_shard_into_a_folder_where_no_file_can_be_created_is_refused_before_it_simulates() {
    // /proc takes no new files, even from root. Simulated first, these
    // trials would take minutes; refused first, the run ends at once.
    let started = std::time::Instant::now();
    let output = inmail_sim()
        .arg("run")
        .arg(repo("scenarios/reference.toml"))
        .args([
            "--shard",
            "1/2",
            "--trials",
            "100000000",
            "-q",
            "--out",
            "/proc",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("no file can be created in /proc"),
        "{stderr}"
    );
    assert!(!stderr.contains(".inmail-sim-partial-"), "{stderr}");
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
}

#[test]
fn shard_auto_reads_a_slurm_array_and_says_so() {
    let tmp = TempDir::new().unwrap();
    let parts = tmp.path().join("parts");
    inmail_sim()
        .arg("run")
        .arg(repo("scenarios/reference.toml"))
        .args(["--trials", "100", "--shard", "auto", "--out"])
        .arg(&parts)
        .env("SLURM_ARRAY_TASK_ID", "1")
        .env("SLURM_ARRAY_TASK_MIN", "0")
        .env("SLURM_ARRAY_TASK_COUNT", "3")
        .assert()
        .success()
        .stderr(predicates::str::contains("Slurm: SLURM_ARRAY_TASK_ID=1"));
    assert!(parts.join("shard-2-of-3.partial").is_file());
}

/// The partial state holds histograms, so its size follows the number of
/// distinct values, not the trials: measured on the reference scenario,
/// 39 KB at 1,000 trials and 73 KB at 1,000,000. Here: ten times the
/// trials adds less than half again.
#[test]
fn the_partial_state_of_the_reference_scenario_is_small_and_does_not_grow_with_trials() {
    let tmp = TempDir::new().unwrap();
    let size = |trials: &str| {
        let parts = tmp.path().join(trials);
        inmail_sim()
            .arg("run")
            .arg(repo("scenarios/reference.toml"))
            .args(["--trials", trials, "-q", "--shard", "1/1", "--out"])
            .arg(&parts)
            .assert()
            .success();
        fs::metadata(parts.join("shard-1-of-1.partial"))
            .unwrap()
            .len()
    };
    let (small, large) = (size("2000"), size("20000"));
    assert!(large < 100_000, "{large} bytes");
    assert!(
        (large as f64) < 1.5 * small as f64,
        "{small} -> {large} bytes"
    );
}

#[test]
fn a_shard_replaces_only_its_own_earlier_partial_never_another_runs_or_a_users_file() {
    let tmp = TempDir::new().unwrap();
    let parts = tmp.path().join("parts");
    let shard = |scenario: &str, trials: &str| {
        inmail_sim()
            .args(["run", &path(scenario), "--trials", trials])
            .args(["--shard", "1/2", "-q", "--out"])
            .arg(&parts)
            .output()
            .unwrap()
    };
    let file = parts.join("shard-1-of-2.partial");
    assert!(shard("scenarios/reference.toml", "400").status.success());
    // The same shard again (a retry) replaces it.
    assert!(shard("scenarios/reference.toml", "400").status.success());
    let kept = fs::read(&file).unwrap();
    // Another run's shard 1/2 into the same folder is refused, by name.
    for (scenario, trials) in [
        ("scenarios/premium_business.toml", "400"),
        ("scenarios/reference.toml", "600"),
    ] {
        let other = shard(scenario, trials);
        let stderr = String::from_utf8_lossy(&other.stderr);
        assert_eq!(other.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("of another run"), "{stderr}");
        assert!(fs::read(&file).unwrap() == kept, "the partial was replaced");
    }
    // The same command over a scenario file edited since: the message
    // says what differs, the command line being the same.
    let edited = tmp.path().join("edited.toml");
    fs::copy(path("scenarios/reference.toml"), &edited).unwrap();
    let own = tmp.path().join("own");
    let shard_of = |file: &Path| {
        inmail_sim()
            .arg("run")
            .arg(file)
            .args(["--trials", "400", "--shard", "1/2", "-q", "--out"])
            .arg(&own)
            .output()
            .unwrap()
    };
    assert!(shard_of(&edited).status.success());
    let text = fs::read_to_string(&edited).unwrap();
    fs::write(
        &edited,
        text.replace("per_workday = 3 ", "per_workday = 4 "),
    )
    .unwrap();
    let changed = shard_of(&edited);
    let stderr = String::from_utf8_lossy(&changed.stderr);
    assert_eq!(changed.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("whose contents have changed since"),
        "{stderr}"
    );
    // A file of the user's under that name is never replaced.
    fs::write(&file, "my notes").unwrap();
    let mine = shard("scenarios/reference.toml", "400");
    assert_eq!(mine.status.code(), Some(2));
    assert_eq!(fs::read_to_string(&file).unwrap(), "my notes");
}

#[test]
fn a_partial_whose_command_line_was_edited_is_refused_though_its_checksum_matches() {
    // The first file's command line decides what merge finishes: with
    // `--months 6` over 12 months of statistics it panicked, with a
    // `--set` the statistics never saw it wrote them under that label.
    let tmp = TempDir::new().unwrap();
    let files = reference_shards(&tmp, "parts", &[]);
    let original = fs::read(&files[0]).unwrap();
    for extra in [
        &["--months", "6"][..],
        &["--set", "demand.per_workday=5"][..],
        &["--samples", "x.csv"][..],
    ] {
        edit_partial(&files[0], |doc| {
            let args = doc["args"].as_array_mut().unwrap();
            args.extend(extra.iter().map(|a| serde_json::json!(a)));
        });
        refused(
            &files,
            &[
                "shard-1-of-4.partial: its command line",
                "the file was edited",
            ],
        );
        fs::write(&files[0], &original).unwrap();
    }
}
