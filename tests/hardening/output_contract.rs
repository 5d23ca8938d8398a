//! The output folder is a contract (README, "Output contract"): the tool
//! owns the files it wrote there (listed in its manifest) and nothing else;
//! a new set replaces the old one whole or not at all; temporary names
//! cannot be hijacked; two runs never interleave; a killed run's leftovers
//! are removed by the next; `--samples` is part of the set and never
//! replaces a device; dangerous folders are refused; a failed write to
//! stdout or stderr is an error that names the stream, never a panic.

use super::{binary, inmail_sim, long_run, repo};
use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::{FileTypeExt, MetadataExt, symlink};
use std::path::{Path, PathBuf};
use std::process::{Child, Output, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;

const LIGHT: &str = "scenarios/sales_navigator_core_light.toml";

/// The manifest's name is part of the contract (README, "Output contract").
const MANIFEST: &str = ".inmail-sim-files";

/// What a run without `--precision` and `--no-charts` writes.
const RUN_FILES: [&str; 13] = [
    MANIFEST,
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
    "summary_horizon.csv",
];

/// What a run with `--no-charts` writes.
const CSV_ONLY: [&str; 8] = [
    MANIFEST,
    "histograms.csv",
    "histograms_horizon.csv",
    "metadata.csv",
    "metadata.json",
    "monthly.csv",
    "summary.csv",
    "summary_horizon.csv",
];

/// Every name in `dir` (hidden ones too), sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The regular files of `dir` and their bytes.
fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_file())
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            (name, fs::read(e.path()).unwrap())
        })
        .collect()
}

/// `inmail-sim run LIGHT --quiet --out OUT EXTRA...`.
fn run_into(out: &Path, extra: &[&str]) -> Output {
    inmail_sim()
        .arg("run")
        .arg(repo(LIGHT))
        .args(["--quiet", "--out"])
        .arg(out)
        .args(extra)
        .output()
        .unwrap()
}

fn succeed(out: &Path, extra: &[&str]) {
    let output = run_into(out, extra);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Runs into `out`, requires exit code 2 and returns stderr.
fn refused(out: &Path, extra: &[&str]) -> String {
    let output = run_into(out, extra);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(output.stdout.is_empty());
    stderr
}

fn wait(mut child: Child, limit: Duration) -> Option<i32> {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code();
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn is_root() -> bool {
    let probe = tempfile::NamedTempFile::new().unwrap();
    probe.as_file().metadata().unwrap().uid() == 0
}

#[test]
fn files_an_earlier_run_wrote_and_this_one_does_not_are_removed() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    succeed(
        &out,
        &["--precision", "total_cost=5", "--max-trials", "2000"],
    );
    assert!(names(&out).contains(&"precision.csv".to_string()));
    assert!(names(&out).contains(&"report.html".to_string()));

    // The case: every file left describes the second run.
    succeed(&out, &["--trials", "200", "--seed", "7", "--no-charts"]);
    assert_eq!(names(&out), CSV_ONLY);

    // A compare's files after a run.
    let compare = |files: &[&str]| {
        inmail_sim()
            .arg("compare")
            .args(files.iter().map(|f| repo(f)))
            .args(["--trials", "200", "--quiet", "--out"])
            .arg(&out)
            .assert()
            .code(0);
    };
    compare(&[LIGHT, "scenarios/sales_navigator_core_heavy.toml"]);
    assert!(names(&out).contains(&"pairs.csv".to_string()));
    assert!(!names(&out).contains(&"summary.csv".to_string()));
    succeed(&out, &["--trials", "200"]);
    assert_eq!(names(&out), RUN_FILES);
}

#[test]
fn files_the_tool_did_not_write_are_never_touched() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    fs::create_dir_all(out.join("mine")).unwrap();
    let theirs = [
        ("notes.txt", "my notes"),
        (".hidden", "hidden"),
        // Names the tool writes in other runs: not written here, so not its.
        ("precision.csv", "my own precision table"),
        ("options.csv", "my own options"),
        ("mine/summary.csv", "a summary in a subfolder"),
    ];
    for (name, text) in theirs {
        fs::write(out.join(name), text).unwrap();
    }
    succeed(&out, &["--trials", "200"]);
    succeed(&out, &["--trials", "200", "--no-charts"]);
    for (name, text) in theirs {
        assert_eq!(fs::read_to_string(out.join(name)).unwrap(), text, "{name}");
    }
    let expected: Vec<&str> = [&CSV_ONLY[..], &[".hidden", "mine", "notes.txt"]]
        .concat()
        .into_iter()
        .chain(["options.csv", "precision.csv"])
        .collect();
    let mut expected: Vec<String> = expected.into_iter().map(String::from).collect();
    expected.sort();
    assert_eq!(names(&out), expected);
}

#[test]
fn a_json_or_samples_name_that_is_the_users_file_in_the_output_folder_is_refused_and_kept() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("notes.json"), "my notes").unwrap();
    for option in ["--json", "--samples"] {
        let target = out.join("notes.json");
        let target = target.to_str().unwrap();
        let stderr = refused(&out, &["--trials", "200", "--no-charts", option, target]);
        assert!(
            stderr.contains("notes.json is already in the output folder")
                && stderr.contains("it may be yours, so nothing was written"),
            "{stderr}"
        );
        assert_eq!(names(&out), ["notes.json"], "{option}");
        assert_eq!(
            fs::read_to_string(out.join("notes.json")).unwrap(),
            "my notes"
        );
    }
    // The tool's own earlier --json file there is its to replace.
    let json = out.join("run.json");
    let json = json.to_str().unwrap();
    succeed(&out, &["--trials", "200", "--no-charts", "--json", json]);
    succeed(&out, &["--trials", "200", "--no-charts", "--json", json]);
    assert_eq!(
        fs::read_to_string(out.join("notes.json")).unwrap(),
        "my notes"
    );
}

#[test]
fn a_failed_commit_leaves_the_old_set_as_it_was_and_names_the_file() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    succeed(&out, &["--trials", "200"]);
    // report.html is now a folder with a file in it: it cannot be replaced.
    fs::remove_file(out.join("report.html")).unwrap();
    fs::create_dir(out.join("report.html")).unwrap();
    fs::write(out.join("report.html/inside.txt"), "keep").unwrap();
    let before = contents(&out);
    let names_before = names(&out);

    let stderr = refused(&out, &["--trials", "300", "--seed", "9"]);
    assert!(
        stderr.contains("report.html: a folder of that name is in the way"),
        "{stderr}"
    );
    assert_eq!(names(&out), names_before, "a file was added or removed");
    assert!(contents(&out) == before, "an old file was replaced");
    assert_eq!(
        fs::read_to_string(out.join("report.html/inside.txt")).unwrap(),
        "keep"
    );
}

#[test]
fn a_link_planted_at_a_temporary_name_is_not_followed() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    fs::create_dir(&out).unwrap();
    let victim = tmp.path().join("victim.txt");
    fs::write(&victim, "precious").unwrap();
    let victim_dir = tmp.path().join("victim_dir");
    fs::create_dir(&victim_dir).unwrap();
    fs::write(victim_dir.join("file"), "precious too").unwrap();

    // The temporary names of earlier versions were `.NAME.PID.tmp`: plant a
    // link at each for the next process ids (Linux hands them out in order).
    let last: u32 = fs::read_to_string("/proc/sys/kernel/ns_last_pid")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0);
    for pid in last + 1..=last + 1000 {
        for name in ["write-check", "summary.csv"] {
            symlink(&victim, out.join(format!(".{name}.{pid}.tmp"))).unwrap();
        }
    }
    // And a link with the prefix of today's staging folders.
    symlink(&victim_dir, out.join(".inmail-sim-stage.planted")).unwrap();

    succeed(&out, &["--trials", "200"]);
    assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
    assert_eq!(names(&victim_dir), ["file"]);
    assert_eq!(
        fs::read_to_string(victim_dir.join("file")).unwrap(),
        "precious too"
    );
    // Only the run's files remain, each a regular file of its own.
    assert_eq!(names(&out), RUN_FILES);
    for name in RUN_FILES {
        let kind = fs::symlink_metadata(out.join(name)).unwrap().file_type();
        assert!(kind.is_file(), "{name} is not a regular file");
    }
}

/// A FIFO named `fifo` in `dir`.
fn mkfifo(dir: &Path) -> PathBuf {
    let fifo = dir.join("fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    fifo
}

#[test]
fn a_fifo_no_program_reads_is_refused_at_once_not_waited_on_and_nothing_is_written() {
    for flag in ["--samples", "--json"] {
        let tmp = TempDir::new().unwrap();
        let fifo = mkfifo(tmp.path());
        let out = tmp.path().join("out");
        let child = std::process::Command::new(binary())
            .arg("run")
            .arg(repo(LIGHT))
            .args(["--quiet", "--trials", "50", flag])
            .arg(&fifo)
            .arg("--out")
            .arg(&out)
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // It used to wait in open() until a reader came, deaf to Ctrl-C.
        assert_eq!(wait(child, Duration::from_secs(60)), Some(2), "{flag}");
        assert!(!out.exists(), "{flag}: nothing is written");
        assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    }
}

#[test]
fn a_device_node_or_fifo_as_samples_or_json_target_is_written_to_and_never_replaced() {
    for (flag, starts) in [("--samples", "trial,cycle,"), ("--json", "{")] {
        let tmp = TempDir::new().unwrap();
        // A FIFO: the file arrives through it, and it stays a FIFO.
        let fifo = mkfifo(tmp.path());
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || fs::read_to_string(fifo).unwrap())
        };
        let out = tmp.path().join("out");
        succeed(&out, &["--trials", "50", flag, fifo.to_str().unwrap()]);
        // Checked before reading: a replaced FIFO would leave the reader waiting.
        assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
        let written = reader.join().unwrap();
        assert!(written.starts_with(starts), "{flag}: {written}");
        assert_eq!(names(&out), RUN_FILES);

        // A character device (a copy of /dev/null made with mknod, so a
        // regression cannot replace the machine's own): needs root.
        if !is_root() {
            eprintln!("note: not root, the device-node half of this test is skipped");
            continue;
        }
        let null = tmp.path().join("null");
        let made = std::process::Command::new("mknod")
            .arg(&null)
            .args(["c", "1", "3"])
            .status()
            .unwrap();
        assert!(made.success());
        let out = tmp.path().join("out2");
        succeed(&out, &["--trials", "50", flag, null.to_str().unwrap()]);
        let kind = fs::symlink_metadata(&null).unwrap().file_type();
        assert!(
            kind.is_char_device(),
            "{flag}: the device node was replaced"
        );
        assert_eq!(names(&out), RUN_FILES);
        // Then /dev/null itself, the case: only after the copy passed.
        let out = tmp.path().join("out3");
        succeed(&out, &["--trials", "50", flag, "/dev/null"]);
        let kind = fs::symlink_metadata("/dev/null").unwrap().file_type();
        assert!(kind.is_char_device(), "{flag}: /dev/null was replaced");
    }
}

#[test]
fn samples_or_json_targets_that_are_not_files_of_their_own_are_refused_before_the_run() {
    for flag in ["--samples", "--json"] {
        let tmp = TempDir::new().unwrap();
        let scenario = tmp.path().join("s.toml");
        fs::copy(repo(LIGHT), &scenario).unwrap();
        let scenario_bytes = fs::read(&scenario).unwrap();
        let folder = tmp.path().join("a_folder");
        fs::create_dir(&folder).unwrap();
        let regular = tmp.path().join("regular.csv");
        fs::write(&regular, "x").unwrap();
        let link = tmp.path().join("link.csv");
        symlink(&regular, &link).unwrap();
        let hard = tmp.path().join("hard.toml");
        fs::hard_link(&scenario, &hard).unwrap();
        let socket = tmp.path().join("socket");
        let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
        let out = tmp.path().join("out");
        let own = out.join("summary.csv");
        let cases: [(&Path, &str); 6] = [
            (&folder, "is a folder"),
            (
                &scenario,
                "an input of this command, which the output would overwrite",
            ),
            (&hard, "an input of this command"),
            (&own, "a file the tool writes in the output folder"),
            (&link, "is a symbolic link to"),
            (&socket, "is not a regular file"),
        ];
        for (target, fragment) in cases {
            let output = inmail_sim()
                .arg("run")
                .arg(&scenario)
                .args(["--trials", "50", "--quiet", "--out"])
                .arg(&out)
                .arg(flag)
                .arg(target)
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(2), "{flag}: {stderr}");
            assert!(
                stderr.contains(fragment),
                "{flag} {}: {stderr}",
                target.display()
            );
            assert!(
                !out.exists(),
                "{flag} {}: the run wrote its files",
                target.display()
            );
        }
        assert_eq!(fs::read(&scenario).unwrap(), scenario_bytes);
        assert_eq!(fs::read_to_string(&regular).unwrap(), "x");
        assert!(fs::symlink_metadata(&link).unwrap().is_symlink());
    }
}

/// The six commands that read scenarios and write an output folder, each
/// quick, with `b` as the scenario (and `a` as the other of a pair).
fn every_command(a: &str, b: &str) -> Vec<Vec<String>> {
    let lines: [&[&str]; 6] = [
        &["run", b],
        &["compare", a, b],
        &["sweep", a, b, "--param", "demand.per_workday=1..2"],
        &["sensitivity", b],
        &[
            "solve",
            b,
            "--param",
            "demand.per_workday",
            "--target",
            "exhausted=50%",
        ],
        &["recommend", b, "--plans", "premium_career"],
    ];
    lines
        .iter()
        .map(|l| {
            l.iter()
                .chain(&["--trials", "20"])
                .map(|s| s.to_string())
                .collect()
        })
        .collect()
}

#[test]
fn every_command_refuses_a_json_target_that_is_one_of_its_scenario_files() {
    let tmp = TempDir::new().unwrap();
    let a = tmp.path().join("a.toml");
    let b = tmp.path().join("b.toml");
    fs::copy(repo(LIGHT), &a).unwrap();
    fs::copy(repo(LIGHT), &b).unwrap();
    let bytes = fs::read(&b).unwrap();
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    let out = tmp.path().join("out");
    let commands = every_command(a, b);
    for args in commands {
        let output = inmail_sim()
            .args(&args)
            .args(["--quiet", "--out"])
            .arg(&out)
            .args(["--json", b])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("an input of this command"),
            "{args:?}: {stderr}"
        );
        assert!(!out.exists(), "{args:?}: wrote its files");
        assert_eq!(
            fs::read(b).unwrap(),
            bytes,
            "{args:?}: the scenario changed"
        );
    }
}

#[test]
fn no_command_replaces_an_input_that_sits_in_its_output_folder_under_an_output_name() {
    // The scenario copied into the output folder as `candidates.csv` (or
    // linked there as `summary.csv`): the commit would move it aside with
    // the old set and delete it. Refused before the run, the file intact;
    // a scenario there under its own name is left alone and the run works.
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    fs::create_dir(&out).unwrap();
    let bytes = fs::read(repo(LIGHT)).unwrap();
    let elsewhere = tmp.path().join("b.toml");
    fs::write(&elsewhere, &bytes).unwrap();
    let history = repo("scenarios/calibrate/history.csv");
    // Each command with the input `IN` (the one at risk) and `B` another.
    let outputs = [
        "summary.csv",
        "pairs.csv",
        "sweep.csv",
        "sensitivity.csv",
        "solve.csv",
        "candidates.csv",
    ];
    let mut cases: Vec<(&str, Vec<String>)> =
        outputs.into_iter().zip(every_command("B", "IN")).collect();
    cases[1].1.swap(1, 2); // compare IN B: the input first
    cases.push(("delay.csv", vec!["calibrate".into(), "IN".into()]));
    for (name, args) in cases {
        let input = out.join(name);
        let content = if args[0] == "calibrate" {
            fs::read(&history).unwrap()
        } else {
            bytes.clone()
        };
        fs::write(&input, &content).unwrap();
        let args: Vec<&str> = args
            .iter()
            .map(|a| match a.as_str() {
                "IN" => input.to_str().unwrap(),
                "B" => elsewhere.to_str().unwrap(),
                other => other,
            })
            .collect();
        let output = inmail_sim()
            .args(&args)
            .args(["--quiet", "--out"])
            .arg(&out)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains(&format!("is its {name}")),
            "{args:?}: {stderr}"
        );
        assert_eq!(
            fs::read(&input).unwrap(),
            content,
            "{args:?}: the input changed"
        );
        assert_eq!(
            fs::read_dir(&out).unwrap().count(),
            1,
            "{args:?}: wrote files"
        );
        fs::remove_file(&input).unwrap();
    }
    // Given through a link from elsewhere, it is still that file.
    let scenario = out.join("summary.csv");
    fs::write(&scenario, &bytes).unwrap();
    let via_link = tmp.path().join("via.toml");
    symlink(&scenario, &via_link).unwrap();
    let output = inmail_sim()
        .arg("run")
        .arg(&via_link)
        .args(["--trials", "20", "--quiet", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert_eq!(fs::read(&scenario).unwrap(), bytes);
    fs::remove_file(out.join("summary.csv")).unwrap();
    // Under a name of its own it is the user's file, and stays.
    let own = out.join("my.toml");
    fs::write(&own, &bytes).unwrap();
    let output = inmail_sim()
        .arg("run")
        .arg(&own)
        .args(["--trials", "20", "--quiet", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_eq!(fs::read(&own).unwrap(), bytes);
    assert!(out.join("summary.csv").is_file());
}

#[test]
fn samples_to_dash_go_to_stdout_alone_and_the_table_to_stderr() {
    let tmp = TempDir::new().unwrap();
    let output = inmail_sim()
        .arg("run")
        .arg(repo(LIGHT))
        .args(["--trials", "20", "--samples", "-", "--out"])
        .arg(tmp.path().join("out"))
        .output()
        .unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    // Header on line 1: the samples and nothing else on stdout.
    let body: Vec<&str> = stdout.lines().collect();
    assert!(body[0].starts_with("trial,cycle,"), "{stdout}");
    assert_eq!(body.len(), 1 + 20 * 12, "{stdout}");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("Wrote to "), "{stderr}");
}

#[test]
fn a_second_run_into_a_folder_in_use_is_refused_and_writes_nothing() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    let first = long_run(&out, &[]);
    let stderr = refused(&out, &["--trials", "200"]);
    assert!(
        stderr.contains("another inmail-sim run is writing to this folder"),
        "{stderr}"
    );
    // Stop the first run (Ctrl-C): it leaves nothing, so the folder shows
    // that the second wrote nothing either.
    let status = std::process::Command::new("kill")
        .args(["-INT", &first.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(wait(first, Duration::from_secs(5)), Some(130));
    assert!(!out.exists(), "files were left: {:?}", names(&out));
    // Once the folder is free, a run goes through.
    succeed(&out, &["--trials", "200"]);
    assert_eq!(names(&out), RUN_FILES);
}

#[test]
fn what_a_killed_run_left_is_removed_by_the_next_run() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    succeed(&out, &["--trials", "200"]);
    let mut killed = long_run(&out, &[]);
    killed.kill().unwrap(); // SIGKILL: no clean-up runs
    killed.wait().unwrap();
    let left: Vec<String> = names(&out)
        .into_iter()
        .filter(|n| n.starts_with(".inmail-sim-stage."))
        .collect();
    assert_eq!(left.len(), 1, "the killed run's staging folder: {left:?}");

    // A manifest that lists more than the last set (as while a commit moves
    // files; here precision.csv), and the temporary files of earlier
    // versions. (Killed commits themselves: the unit tests of OutputDir.)
    let mut manifest = fs::read_to_string(out.join(MANIFEST)).unwrap();
    manifest.push_str("precision.csv\n");
    fs::write(out.join(MANIFEST), manifest).unwrap();
    fs::write(out.join("precision.csv"), "of the killed run").unwrap();
    fs::write(out.join(".summary.csv.4242.tmp"), "half").unwrap();
    fs::write(out.join(".write-check.4242.tmp"), "").unwrap();

    succeed(&out, &["--trials", "200", "--no-charts"]);
    assert_eq!(names(&out), CSV_ONLY);
}

#[test]
fn the_file_system_root_and_the_home_folder_are_refused_as_output_folders() {
    let tmp = TempDir::new().unwrap();
    let before = names(Path::new("/"));
    let stderr = refused(Path::new("/"), &["--trials", "20"]);
    assert!(stderr.contains("root of the file system"), "{stderr}");
    assert_eq!(names(Path::new("/")), before);

    let home = tmp.path().join("home");
    fs::create_dir_all(home.join("sub")).unwrap();
    for out in [home.clone(), home.join("sub/..")] {
        let output = inmail_sim()
            .env("HOME", &home)
            .arg("run")
            .arg(repo(LIGHT))
            .args(["--trials", "20", "--quiet", "--out"])
            .arg(&out)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("it is your home folder itself"), "{stderr}");
    }
    assert_eq!(names(&home), ["sub"]);
}

#[test]
fn output_folder_errors_say_what_was_wrong_in_the_users_terms() {
    let tmp = TempDir::new().unwrap();
    // `results` does not exist, so `results/..` cannot be followed.
    let output = inmail_sim()
        .current_dir(tmp.path())
        .arg("run")
        .arg(repo(LIGHT))
        .args(["--trials", "20", "--quiet", "--out", "results/../x"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("goes back up (..) from results, which does not exist"),
        "{stderr}"
    );
    assert!(!stderr.contains("File exists"), "{stderr}");
    assert!(names(tmp.path()).is_empty());

    // /proc exists but takes no files: not "No such file or directory".
    let stderr = refused(Path::new("/proc"), &["--trials", "20"]);
    assert!(
        stderr.contains("a system folder that takes no new files"),
        "{stderr}"
    );
}

#[test]
fn a_default_compare_folder_name_too_long_for_the_file_system_is_shortened() {
    let tmp = TempDir::new().unwrap();
    let files: Vec<PathBuf> = ["a", "b", "c"]
        .iter()
        .map(|letter| {
            let path = tmp.path().join(format!("{letter}.toml"));
            let text = format!(
                "name = \"{}\"\n[plan]\nid = \"sales_navigator_core\"\n[demand]\nper_workday = 2\n",
                letter.repeat(90)
            );
            fs::write(&path, text).unwrap();
            path
        })
        .collect();
    let compare = || {
        inmail_sim()
            .current_dir(tmp.path())
            .arg("compare")
            .args(&files)
            .args(["--trials", "100", "--quiet", "--no-charts"])
            .assert()
            .code(0);
    };
    compare();
    let folders = names(&tmp.path().join("results"));
    assert_eq!(folders.len(), 1, "{folders:?}");
    let name = &folders[0];
    assert!(name.len() <= 255, "{} bytes", name.len());
    assert!(name.starts_with(&format!("compare_{}_vs_", "a".repeat(90))));
    // The same set gives the same folder: the second run replaces the first.
    compare();
    assert_eq!(names(&tmp.path().join("results")), folders);
}

#[test]
fn failed_writes_to_stdout_and_stderr_name_the_stream_and_never_panic() {
    let full = || {
        fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    // An error whose message cannot be printed still exits with its code.
    for args in [
        &["run", "no_such_file.toml"][..],
        &["validate", LIGHT, "no.toml"],
    ] {
        let status = std::process::Command::new(binary())
            .current_dir(repo(""))
            .args(args)
            .stdout(Stdio::null())
            .stderr(full())
            .status()
            .unwrap();
        assert_eq!(status.code(), Some(2), "{args:?} (a panic exits with 101)");
    }

    for args in [
        &["plans"][..],
        &["validate", LIGHT],
        &["--help"],
        &["run", "--help"],
    ] {
        let output = std::process::Command::new(binary())
            .current_dir(repo(""))
            .args(args)
            .stdout(full())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains("cannot write to standard output: No space left on device"),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn json_to_a_full_standard_output_fails_and_writes_no_folder() {
    // The document cannot be written (`> /dev/full`), so the folder is not
    // either: all or nothing. (A closed standard output is /dev/null to a
    // Rust program, as `> /dev/null` is: the user's choice.)
    let tmp = TempDir::new().unwrap();
    let full = tmp.path().join("full");
    let output = std::process::Command::new(binary())
        .arg("run")
        .arg(repo(LIGHT))
        .args(["--trials", "20", "--quiet", "--json", "-", "--out"])
        .arg(&full)
        .stdout(
            fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .unwrap(),
        )
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("cannot write to standard output"),
        "{stderr}"
    );
    assert!(!full.exists(), "the folder was written without its --json");
}

#[test]
fn files_under_the_tools_names_in_a_folder_it_never_wrote_are_refused_not_replaced() {
    // `--out .` in a folder of the user's holding their own report.html:
    // no manifest, so the tool has no record of writing it, and the run is
    // refused (exit code 2) rather than replacing it. So is a folder the
    // tool wrote and the user copied without its hidden manifest, with a
    // report.html of their own put in it: nothing tells the copied files
    // from theirs (its metadata.csv, once taken as a record, let a run
    // replace that report.html). Refused before the run, by metadata.csv.
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    fs::create_dir(&out).unwrap();
    fs::write(out.join("report.html"), "mine").unwrap();
    let stderr = refused(&out, &["--trials", "100"]);
    assert!(stderr.contains("report.html is already there"), "{stderr}");
    assert_eq!(fs::read_to_string(out.join("report.html")).unwrap(), "mine");
    assert_eq!(names(&out), ["report.html"]);
    let copied = tmp.path().join("copied");
    succeed(&copied, &["--trials", "100"]);
    fs::remove_file(copied.join(MANIFEST)).unwrap();
    fs::write(copied.join("report.html"), "my report").unwrap();
    let before = contents(&copied);
    let stderr = refused(&copied, &["--trials", "100"]);
    // Every file of the tool's is named at once, not two per try.
    for name in [
        "metadata.csv",
        "summary.csv",
        "report.html",
        "balance_fan.svg",
    ] {
        assert!(stderr.contains(name), "{name}: {stderr}");
    }
    assert!(stderr.contains("cp -a"), "{stderr}");
    assert!(contents(&copied) == before, "the copied folder changed");
}

#[test]
fn a_users_file_under_a_name_the_run_writes_is_refused_before_the_simulation() {
    // A billion trials would take an hour: refused before they run, it
    // takes milliseconds (the limit is far from both, for a loaded machine).
    // A chart's name too: it used to be found only at the commit.
    for mine in ["summary.csv", "balance_fan.svg"] {
        let tmp = TempDir::new().unwrap();
        let out = tmp.path().join("out");
        fs::create_dir(&out).unwrap();
        fs::write(out.join(mine), "mine").unwrap();
        let mut child = std::process::Command::new(binary())
            .arg("run")
            .arg(repo(LIGHT))
            .args(["--quiet", "--trials", "1000000000", "--out"])
            .arg(&out)
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stderr = String::new();
        let pipe = child.stderr.take().unwrap();
        let code = wait(child, Duration::from_secs(60));
        std::io::Read::read_to_string(&mut { pipe }, &mut stderr).unwrap();
        assert_eq!(code, Some(2), "{stderr}");
        assert!(
            stderr.contains(&format!("{mine} is already there")),
            "{stderr}"
        );
        assert_eq!(fs::read_to_string(out.join(mine)).unwrap(), "mine");
        assert_eq!(names(&out), [mine]);
    }
}

#[test]
fn a_users_file_beside_a_run_without_it_is_not_replaced_by_a_later_run_that_writes_that_name() {
    // A run with --no-charts writes no report.html, so the user's own one
    // in its folder was not in its way; the folder then has a manifest,
    // which does not list report.html. The next run with charts must not
    // take that manifest as a record that the tool wrote report.html.
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    fs::create_dir(&out).unwrap();
    fs::write(out.join("report.html"), "mine").unwrap();
    succeed(&out, &["--trials", "20", "--no-charts"]);
    assert_eq!(fs::read_to_string(out.join("report.html")).unwrap(), "mine");
    let before = contents(&out);
    let stderr = refused(&out, &["--trials", "20"]);
    assert!(stderr.contains("report.html is already there"), "{stderr}");
    assert!(contents(&out) == before, "the folder changed");
    // With --json - the refusal comes before the document is written:
    // nothing on standard output either (`refused` checks it is empty).
    let stderr = refused(&out, &["--trials", "20", "--json", "-"]);
    assert!(stderr.contains("report.html is already there"), "{stderr}");
}

#[test]
fn json_to_a_pipe_its_reader_closes_early_still_writes_the_folder() {
    // `--json - | head -c 10`: the reader took what it wanted; the run's
    // files are written and the exit code is 0, as for `plans | head`.
    use std::io::Read;
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    let mut child = std::process::Command::new(binary())
        .arg("run")
        .arg(repo(LIGHT))
        .args(["--trials", "2000", "--quiet", "--json", "-", "--out"])
        .arg(&out)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut head = [0u8; 10];
    child.stdout.take().unwrap().read_exact(&mut head).unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        out.join("summary.csv").exists(),
        "the folder was not written"
    );
}

#[test]
fn json_or_samples_to_dev_stdout_carry_only_their_data_the_table_goes_to_stderr() {
    let tmp = TempDir::new().unwrap();
    for (flag, name) in [("--json", "json"), ("--samples", "samples")] {
        let out = tmp.path().join(name);
        let output = run_into(&out, &["--trials", "20", flag, "/dev/stdout"]);
        assert!(output.status.success(), "{flag}");
        let text = String::from_utf8(output.stdout).unwrap();
        if flag == "--json" {
            serde_json::from_str::<serde_json::Value>(&text)
                .unwrap_or_else(|e| panic!("{flag} /dev/stdout is not one JSON document: {e}"));
        } else {
            let mut lines = text.lines();
            let columns = lines.next().unwrap().split(',').count();
            assert!(lines.all(|l| l.split(',').count() == columns), "{text}");
        }
    }
}

#[test]
fn merge_never_replaces_its_own_partials_sitting_in_its_output_folder_under_an_output_name() {
    let tmp = TempDir::new().unwrap();
    let parts = tmp.path().join("parts");
    for k in ["1/2", "2/2"] {
        inmail_sim()
            .arg("run")
            .arg(repo(LIGHT))
            .args(["--trials", "60", "--shard", k, "-q", "--out"])
            .arg(&parts)
            .assert()
            .success();
    }
    let out = tmp.path().join("out");
    fs::create_dir(&out).unwrap();
    let a = out.join("summary.csv");
    let b = out.join("mine.partial");
    fs::copy(parts.join("shard-1-of-2.partial"), &a).unwrap();
    fs::copy(parts.join("shard-2-of-2.partial"), &b).unwrap();
    let before = fs::read(&a).unwrap();
    let output = inmail_sim()
        .arg("merge")
        .args([&a, &b])
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("is its summary.csv"), "{stderr}");
    assert!(fs::read(&a).unwrap() == before, "the partial was replaced");
}

#[test]
fn json_or_samples_under_a_name_of_another_runs_output_folder_are_refused() {
    let tmp = TempDir::new().unwrap();
    let other = tmp.path().join("other");
    succeed(&other, &["--trials", "20"]);
    let before = contents(&other);
    for flag in ["--json", "--samples"] {
        let target = other.join("summary.csv");
        let stderr = refused(
            &tmp.path().join("out"),
            &["--trials", "20", flag, target.to_str().unwrap()],
        );
        assert!(stderr.contains("another run's output folder"), "{stderr}");
    }
    assert!(contents(&other) == before, "the other set changed");
}

#[test]
fn a_path_back_up_through_a_missing_folder_is_refused_by_init_examples_and_shards_leaving_no_folder()
 {
    let tmp = TempDir::new().unwrap();
    let cases: [&[&str]; 3] = [
        &["init", "iz/../iy.toml"],
        &["examples", "reference", "--write", "ez/../ey"],
        &[
            "run", LIGHT, "--trials", "20", "--shard", "1/2", "--out", "sz/../sy",
        ],
    ];
    for args in cases {
        let args: Vec<String> = args
            .iter()
            .map(|a| match *a {
                LIGHT => repo(LIGHT).display().to_string(),
                other => other.to_string(),
            })
            .collect();
        inmail_sim()
            .current_dir(tmp.path())
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicates::str::contains("goes back up (..)"));
        assert!(
            names(tmp.path()).is_empty(),
            "{args:?} left {:?}",
            names(tmp.path())
        );
    }
}
