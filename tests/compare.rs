//! `compare`: options run on the same trials (common random numbers), the
//! paired difference is far more precise than unpaired runs, the outputs
//! are deterministic, and sets that cannot be compared are refused with
//! exit code 2 and nothing written.

mod common;

#[path = "decide/recommend.rs"]
mod recommend;

use inmail_sim::compare::lockstep::simulate;
use inmail_sim::compare::{CompareSet, CompareSummary};
use inmail_sim::engine::Model;
use inmail_sim::runner::Progress;
use inmail_sim::scenario::Overrides;
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

use common::rows;

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// The `.toml` files of a shipped compare set, sorted (as a shell glob).
fn set_files(set: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(repo(&format!("scenarios/compare/{set}")))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, text).unwrap();
    path
}

const HEAVY_SET: &str = "heavy_premium_business_addons_vs_core_addons";

fn lockstep_summary(models: &[Model], trials: u64) -> CompareSummary {
    let stats = simulate(models, 0..trials, &Progress::hidden());
    CompareSummary::new(&stats)
}

#[test]
fn paired_trials_give_a_cost_difference_interval_at_least_five_times_narrower_than_unpaired_runs() {
    let overrides = Overrides {
        trials: Some(2000),
        ..Overrides::default()
    };
    let set = CompareSet::load(&set_files(HEAVY_SET), &overrides).unwrap();
    let models = set.models();
    let paired = lockstep_summary(&models, set.trials);
    let pair = &paired.pairs[0];
    let ratio = pair.unpaired_half_width / pair.difference.half_width();
    // Both options buy add-ons, so both costs vary with the trial's demand
    // and reply rate; on the same trials those swings cancel.
    assert!(
        pair.difference.half_width() > 0.0 && ratio >= 5.0,
        "paired ±{} cents vs unpaired ±{} cents: only {ratio:.2}x narrower",
        pair.difference.half_width(),
        pair.unpaired_half_width
    );

    // The control: the same options on independent random numbers (B on
    // another seed). The per-trial differences are then as noisy as the
    // unpaired formula says, so this check would catch broken pairing.
    let mut b = set.scenarios[1].clone();
    b.seed += 1;
    let independent = [models[0].clone(), Model::new(b)];
    let unpaired = lockstep_summary(&independent, set.trials);
    let pair = &unpaired.pairs[0];
    let ratio = pair.unpaired_half_width / pair.difference.half_width();
    // Independent: the ratio is 1 up to the noise of two sd estimates from
    // 2000 trials (a few percent); 1.5 is far outside that noise.
    assert!(ratio < 1.5, "independent seeds still {ratio:.2}x narrower");
}

#[test]
fn an_option_compared_with_itself_ties_in_every_trial() {
    let file = set_files(HEAVY_SET)[0].clone();
    let overrides = Overrides {
        trials: Some(500),
        ..Overrides::default()
    };
    let set = CompareSet::load(&[file.clone(), file], &overrides).unwrap();
    let stats = simulate(&set.models(), 0..500, &Progress::hidden());
    let pair = &stats.pairs[0];
    assert_eq!((pair.ties, pair.a_cheaper, pair.b_cheaper), (500, 0, 0));
    assert_eq!(pair.difference.iter().collect::<Vec<_>>(), vec![(0, 500)]);
    assert_eq!(stats.options[0], stats.options[1]);
}

#[test]
fn two_options_with_one_name_are_told_apart_by_their_labels_in_every_verdict() {
    let file = set_files(HEAVY_SET)[0].clone();
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    let stdout = compare_into(&out, &[file.clone(), file], &["--trials", "50"]);
    let options = fs::read_to_string(out.join("options.csv")).unwrap();
    let scenario = options.lines().nth(1).unwrap().split(',').nth(1).unwrap();
    let both = format!("{scenario} (option A) and {scenario} (option B)");
    assert!(stdout.contains(&both), "{stdout}");
    let pairs = fs::read_to_string(out.join("pairs.csv")).unwrap();
    assert!(pairs.contains(&both), "{pairs}");
    let page = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(page.contains(&both), "the page's verdict");
}

#[test]
fn lockstep_statistics_do_not_depend_on_how_the_trials_are_split() {
    let overrides = Overrides::default();
    let set = CompareSet::load(&set_files("core_addons_vs_advanced"), &overrides).unwrap();
    let models = set.models();
    let all = simulate(&models, 0..2500, &Progress::hidden());
    let mut parts = simulate(&models, 1100..2500, &Progress::hidden());
    parts.merge(&simulate(&models, 0..1100, &Progress::hidden()));
    assert_eq!(all, parts);
}

const OPTION_HEADER: &str = "option,scenario,file,plan_id,trials,months,monthly_cost,monthly_cost_se,\
monthly_cost_ci95_low,monthly_cost_ci95_high,ran_out_month,ran_out_month_ci95_low,ran_out_month_ci95_high,\
ran_out_horizon,ran_out_horizon_ci95_low,ran_out_horizon_ci95_high,blocked_per_month,refunds_per_month,\
expired_per_month,addons_per_month,cost_per_sent,cost_per_response,\
floor_blocked_days_per_month,floor_refused_per_month";
const PAIR_HEADER: &str = "option_a,option_b,scenario_a,scenario_b,trials,months,cost_difference,\
cost_difference_se,cost_difference_ci95_low,cost_difference_ci95_high,unpaired_ci95_half_width,a_cheaper,\
a_cheaper_ci95_low,a_cheaper_ci95_high,b_cheaper,tie,verdict,winner,\
committed_cost_difference,committed_winner";

fn compare_into(dir: &Path, files: &[PathBuf], extra: &[&str]) -> String {
    common::succeed("compare", files, dir, extra)
}

#[test]
fn compare_writes_the_documented_files_and_a_verdict_for_every_shipped_set() {
    let sets = [
        "core_addons_vs_advanced",
        "core_vs_recruiter_lite",
        "premium_business_addons_vs_core",
        HEAVY_SET,
    ];
    for set in sets {
        let files = set_files(set);
        assert_eq!(files.len(), 2, "{set}");
        for f in &files {
            let text = fs::read_to_string(f).unwrap();
            assert!(
                text.contains("Question this set answers"),
                "{}",
                f.display()
            );
        }
        let tmp = TempDir::new().unwrap();
        let dir = tmp.path().join("out");
        let stdout = compare_into(&dir, &files, &["--trials", "1000"]);
        assert!(stdout.contains("A − B: "), "{stdout}");
        let mut names: Vec<String> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                ".inmail-sim-files",
                "cost_difference.svg",
                "cost_distribution.svg",
                "metadata.csv",
                "metadata.json",
                "options.csv",
                "pairs.csv",
                "report.html"
            ]
        );
        let text = common::csv_body(&dir.join("options.csv"));
        assert_eq!(text.lines().next(), Some(OPTION_HEADER));
        let text = common::csv_body(&dir.join("pairs.csv"));
        assert_eq!(text.lines().next(), Some(PAIR_HEADER));
        let pair = &rows(&dir.join("pairs.csv"))[0];
        assert!(stdout.contains(&pair["verdict"]), "{stdout}");
        let shares: f64 = ["a_cheaper", "b_cheaper", "tie"]
            .iter()
            .map(|k| pair[*k].parse::<f64>().unwrap())
            .sum();
        assert!((shares - 1.0).abs() < 1e-5, "{pair:?}");
    }
}

fn without_run_facts(metadata: &str) -> String {
    metadata
        .lines()
        .filter(|l| !l.starts_with("threads,") && !l.starts_with("wall_time_seconds,"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn compare_output_is_byte_identical_for_one_and_two_threads() {
    let files = set_files("core_addons_vs_advanced");
    let tmp = TempDir::new().unwrap();
    let (one, two) = (tmp.path().join("one"), tmp.path().join("two"));
    let stdout_one = compare_into(&one, &files, &["--trials", "3000", "--threads", "1"]);
    let stdout_two = compare_into(&two, &files, &["--trials", "3000", "--threads", "2"]);
    for name in ["options.csv", "pairs.csv"] {
        let a = fs::read(one.join(name)).unwrap();
        assert_eq!(a, fs::read(two.join(name)).unwrap(), "{name}");
    }
    let meta = |d: &Path| without_run_facts(&fs::read_to_string(d.join("metadata.csv")).unwrap());
    assert_eq!(meta(&one), meta(&two));
    let table = |s: &str| {
        s.lines()
            .take_while(|l| !l.starts_with("Wrote"))
            .collect::<String>()
    };
    assert_eq!(table(&stdout_one), table(&stdout_two));
}

const PLAN: &str = "[plan]\nid = \"sales_navigator_core\"\n[demand]\nper_workday = 2\n";

fn assert_refused(files: &[PathBuf], extra: &[&str], fragments: &[&str]) {
    common::assert_refused("compare", files, extra, fragments);
}

#[test]
fn scenarios_with_different_months_cannot_be_compared_and_the_error_names_files_and_key() {
    let tmp = TempDir::new().unwrap();
    let a = write(tmp.path(), "a.toml", &format!("months = 12\n{PLAN}"));
    let b = write(tmp.path(), "b.toml", &format!("months = 24\n{PLAN}"));
    let names = format!("{}, {}: months = 12, 24:", a.display(), b.display());
    assert_refused(&[a.clone(), b.clone()], &[], &[&names, "--months"]);
    // --months sets the horizon of every option: then they compare.
    let out = tmp.path().join("ok");
    compare_into(
        &out,
        &[a, b],
        &["--months", "2", "--trials", "50", "--quiet"],
    );
    assert!(out.join("pairs.csv").exists());
}

#[test]
fn scenarios_with_different_start_dates_cannot_be_compared() {
    let tmp = TempDir::new().unwrap();
    let a = write(
        tmp.path(),
        "a.toml",
        &format!("start_date = 2026-01-01\n{PLAN}"),
    );
    let b = write(
        tmp.path(),
        "b.toml",
        &format!("start_date = 2026-02-01\n{PLAN}"),
    );
    assert_refused(&[a, b], &[], &["start_date = 2026-01-01, 2026-02-01"]);
}

#[test]
fn files_that_state_different_seeds_are_refused_unless_seed_is_given() {
    let tmp = TempDir::new().unwrap();
    let a = write(tmp.path(), "a.toml", &format!("seed = 1\n{PLAN}"));
    let b = write(tmp.path(), "b.toml", &format!("seed = 7\n{PLAN}"));
    let c = write(tmp.path(), "c.toml", PLAN);
    let names = format!("{}, {}: seed = 1, 7:", a.display(), b.display());
    assert_refused(&[a.clone(), b.clone(), c.clone()], &[], &[&names, "--seed"]);
    let out = tmp.path().join("ok");
    compare_into(
        &out,
        &[a, b, c],
        &["--seed", "5", "--trials", "50", "--months", "1", "--quiet"],
    );
    let meta = fs::read_to_string(out.join("metadata.csv")).unwrap();
    assert!(meta.contains("\nseed,5\n"), "{meta}");
    // Three options make three pairs: A–B, A–C, B–C.
    let pairs: Vec<String> = rows(&out.join("pairs.csv"))
        .iter()
        .map(|r| format!("{}{}", r["option_a"], r["option_b"]))
        .collect();
    assert_eq!(pairs, ["AB", "AC", "BC"]);
}

#[test]
fn an_invalid_option_or_a_single_scenario_is_refused_with_exit_code_2() {
    let tmp = TempDir::new().unwrap();
    let good = write(tmp.path(), "good.toml", PLAN);
    let bad = write(
        tmp.path(),
        "bad.toml",
        "[plan]\nid = \"nope\"\n[demand]\nper_workday = 2\n",
    );
    assert_refused(&[good.clone(), bad], &[], &["bad.toml: plan.id = \"nope\""]);
    assert_refused(std::slice::from_ref(&good), &[], &["SCENARIO"]);
    assert_refused(
        &[good.clone(), good.clone()],
        &["--precision", "cheaper=101pp"],
        &["--precision cheaper=101pp"],
    );
    assert_refused(
        &[good.clone(), good],
        &["--precision", "cheaper=1pp", "--trials", "9"],
        &["--trials"],
    );
}

#[test]
fn a_late_start_is_said_to_make_calendar_and_anniversary_options_not_like_for_like() {
    let tmp = TempDir::new().unwrap();
    let option = |name: &str, plan: &str, start: &str| {
        let text = format!(
            "months = 3\nstart_date = {start}\n[plan]\nid = \"{plan}\"\n\
             [demand]\nper_workday = 1\n"
        );
        write(tmp.path(), name, &text)
    };
    let note = "not on the 1st, so a calendar plan's (Sales Navigator's) first month is partial";
    let late = [
        option("pb.toml", "premium_business", "2026-01-20"),
        option("core.toml", "sales_navigator_core", "2026-01-20"),
    ];
    let out = tmp.path().join("late");
    let stdout = compare_into(&out, &late, &["--trials", "200"]);
    assert!(stdout.contains(note), "{stdout}");
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    // (report.html escapes the apostrophes.)
    assert!(
        html.contains("first month is partial, charged in full and granted in full"),
        "report.html says it too"
    );
    let first = [
        option("pb1.toml", "premium_business", "2026-02-01"),
        option("core1.toml", "sales_navigator_core", "2026-02-01"),
    ];
    let stdout = compare_into(&tmp.path().join("first"), &first, &["--trials", "200"]);
    assert!(!stdout.contains("not on the 1st"), "{stdout}");
}

#[test]
fn recruiter_follow_ups_returned_unsent_are_not_counted_as_sent_in_cost_per_sent() {
    // Every first message answered in 3 days, before its follow-up is due
    // on day 6: each prepaid follow-up is returned unsent, so the InMails
    // sent are the first messages, as without follow-ups. (They counted:
    // $/sent was half.) Only those still waiting at the horizon's end stay
    // counted, prepaid within it: the last 3 workdays' (answered after the
    // horizon), against 261 first messages, 1.1%.
    let tmp = TempDir::new().unwrap();
    let write = |name: &str, follow: &str| {
        let path = tmp.path().join(name);
        let text = format!(
            "[plan]\nid = \"recruiter_lite\"\nmonthly_credits = 100\ncap = 400\n[floor]\n\
             enabled = false\n[demand]\nper_workday = 1\ndistribution = \"fixed\"\n\
             [response]\nrate = 1\n[delay]\ndistribution = \"fixed\"\ndays = 3\n{follow}"
        );
        fs::write(&path, text).unwrap();
        path
    };
    let files = [
        write("with.toml", "[follow_ups]\nafter_days = 6\n"),
        write("without.toml", ""),
    ];
    let dir = tmp.path().join("out");
    compare_into(&dir, &files, &["--trials", "20"]);
    let options = rows(&dir.join("options.csv"));
    let (with, without) = (
        common::num(&options[0], "cost_per_sent"),
        common::num(&options[1], "cost_per_sent"),
    );
    assert!(
        with < without && with > 0.985 * without,
        "{with} against {without}"
    );
}
