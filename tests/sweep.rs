//! `sweep`: a full grid of one or two parameters, one row per grid point
//! and option, and the break-even of a compare set checked on a case with a
//! hand-computable answer; bad parameters are refused before anything runs.

mod common;

#[path = "decide/solve.rs"]
mod solve;

use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

use common::{num, rows};

/// The hand-computable case. Fixed demand of `v` InMails a month, a fixed
/// reply rate of 0 (no responses, so no refunds), calendar months.
/// A: $100 a month for 20 credits, plus a $10 credit whenever empty. Every
/// credit is spent in the month it arrives when v > 20, so expiry never
/// binds and A costs 100 + 10·max(0, v − 20) a month (and $100 for v ≤ 20).
/// B: $150 a month for 100 credits: never runs out for v ≤ 100.
/// Break-even: 100 + 10(v − 20) = 150, v* = 25 (with add-ons at $p:
/// v* = 20 + 50/p).
const COMMON: &str = "months = 3\n[demand]\nper_cycle = 10\ndistribution = \"fixed\"\n\
[response]\nrate = 0\n";
const PLAN_A: &str = "[plan]\nmonthly_credits = 20\ncap = 60\nexpiry_days = 90\n\
renewal = \"calendar\"\nprice_monthly = 100\n[addons]\npolicy = \"when_empty\"\nprice = 10\n";
const PLAN_B: &str = "[plan]\nmonthly_credits = 100\ncap = 300\nexpiry_days = 90\n\
renewal = \"calendar\"\nprice_monthly = 150\n";

fn hand_case(dir: &Path) -> Vec<PathBuf> {
    [("a.toml", PLAN_A), ("b.toml", PLAN_B)]
        .iter()
        .map(|(name, plan)| {
            let path = dir.join(name);
            fs::write(&path, format!("{COMMON}{plan}")).unwrap();
            path
        })
        .collect()
}

fn sweep_into(dir: &Path, files: &[PathBuf], extra: &[&str]) -> String {
    common::succeed("sweep", files, dir, extra)
}

#[test]
fn the_break_even_volume_of_a_hand_computable_case_is_found_within_the_grid_resolution() {
    let tmp = TempDir::new().unwrap();
    let files = hand_case(tmp.path());
    let out = tmp.path().join("out");
    let param = "demand.per_cycle=11..41:3";
    let stdout = sweep_into(&out, &files, &["--param", param, "--trials", "20"]);

    // Every grid point's cost is exactly the hand-computed one.
    let options = rows(&out.join("sweep.csv"));
    assert_eq!(options.len(), 11 * 2);
    for row in &options {
        let v = num(row, "value_1");
        let want = match row["option"].as_str() {
            "A" => 100.0 + 10.0 * (v - 20.0).max(0.0),
            _ => 150.0,
        };
        assert_eq!(num(row, "monthly_cost"), want, "{row:?}");
        assert_eq!(num(row, "refunds_per_month"), 0.0);
    }

    let even = rows(&out.join("breakeven.csv"));
    assert_eq!(even.len(), 1);
    let b = &even[0];
    // The grid step is 3; the costs are linear between 23 and 26, so the
    // interpolation is exact up to float rounding.
    assert!((num(b, "break_even") - 25.0).abs() < 1e-9, "{b:?}");
    assert_eq!(
        (num(b, "break_even_low"), num(b, "break_even_high")),
        (23.0, 26.0)
    );
    assert_eq!(
        (b["cheaper_below"].as_str(), b["cheaper_above"].as_str()),
        ("A", "B")
    );
    assert_eq!(b["crossings"], "1");
    assert!(
        stdout.contains(
            "Break-even on demand.per_cycle: below about 25 InMails a month, A (Inline plan + \
add-ons) is cheaper; above it, B (Inline plan) (95% interval 23 to 26)."
        ),
        "{stdout}"
    );
}

#[test]
fn the_sweep_table_keeps_its_columns_apart_when_a_cost_passes_a_thousand_dollars() {
    // A at 130 a month: $100 + 110 add-ons at $10 = $1,200.00, wider than
    // the column once was, so the trials ran into it.
    let tmp = TempDir::new().unwrap();
    let files = hand_case(tmp.path());
    let out = tmp.path().join("out");
    let stdout = sweep_into(
        &out,
        &files,
        &["--param", "demand.per_cycle=30..130:100", "--trials", "20"],
    );
    let table: Vec<&str> = stdout
        .lines()
        .skip_while(|l| !l.starts_with("grid point"))
        .take_while(|l| !l.is_empty())
        .collect();
    assert_eq!(table.len(), 1 + 2 * 2, "{stdout}");
    assert!(table.iter().any(|l| l.contains("$1,200.00")), "{stdout}");
    for line in &table {
        // Five cells, at least two spaces between any two of them.
        let cells: Vec<&str> = line
            .split("  ")
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        assert_eq!(cells.len(), 5, "{line:?}\n{stdout}");
        // The last column is right-aligned: every line ends where it does.
        assert_eq!(
            line.chars().count(),
            table[0].chars().count(),
            "{line:?}\n{stdout}"
        );
    }
}

#[test]
fn a_break_even_on_a_price_gives_its_interval_in_dollars_like_its_estimate() {
    // 30 InMails a month: A costs $100 + 10 add-ons at $p, B $150 (its
    // 100 credits never run out, so it buys none): break-even at p = $5,
    // between the grid's $4 and $6.
    let tmp = TempDir::new().unwrap();
    let files = hand_case(tmp.path());
    for (file, addons) in files
        .iter()
        .zip(["", "[addons]\npolicy = \"when_empty\"\n"])
    {
        let text = fs::read_to_string(file).unwrap();
        let text = text.replace("per_cycle = 10", "per_cycle = 30");
        fs::write(file, format!("{text}{addons}")).unwrap();
    }
    let out = tmp.path().join("out");
    let stdout = sweep_into(
        &out,
        &files,
        &["--param", "addons.price=2..8:2", "--trials", "20"],
    );
    assert!(
        stdout.contains(
            "Break-even on addons.price: below about addons.price = $5.00, A (Inline plan + \
             add-ons, a) is cheaper; above it, B (Inline plan + add-ons, b) (95% interval $4.00 \
             to $6.00)."
        ),
        "{stdout}"
    );
}

#[test]
fn a_break_even_sentence_says_where_the_cheaper_option_is_cheaper_by_not_sending() {
    // A without add-ons: $100 a month for 20 credits, so above 20 a month
    // it blocks v - 20 sends and stays cheaper than B ($150, never blocks).
    let tmp = TempDir::new().unwrap();
    let mut files = hand_case(tmp.path());
    let no_addons = PLAN_A.split("[addons]").next().unwrap();
    fs::write(&files[0], format!("{COMMON}{no_addons}")).unwrap();
    files.truncate(2);
    let out = tmp.path().join("out");
    let stdout = sweep_into(
        &out,
        &files,
        &["--param", "demand.per_cycle=11..41:3", "--trials", "20"],
    );
    assert!(
        stdout.contains(
            "none on the grid; A (Inline plan, a) is cheaper throughout. Where A (Inline plan, a) \
             is cheaper it also sends less: at demand.per_cycle = 41, 21.0 more send attempts a \
             month blocked for lack of a credit, running out in 100.0% of months against 0.0% for B (Inline plan, b) \
             (sweep_pairs.csv has every point)."
        ),
        "{stdout}"
    );
    // Where the cheaper option sends as much, nothing is added.
    let out = tmp.path().join("low");
    let stdout = sweep_into(
        &out,
        &files,
        &["--param", "demand.per_cycle=11..20:3", "--trials", "20"],
    );
    assert!(!stdout.contains("sends less"), "{stdout}");
}

#[test]
fn where_two_options_cost_the_same_the_break_even_sentence_names_the_one_that_sends_less() {
    // A at B's $150 without add-ons: the same cost at every grid point,
    // but above 20 a month A blocks v - 20 sends and B none.
    let tmp = TempDir::new().unwrap();
    let mut files = hand_case(tmp.path());
    let no_addons = PLAN_A.split("[addons]").next().unwrap();
    let same_price = no_addons.replace("price_monthly = 100", "price_monthly = 150");
    fs::write(&files[0], format!("{COMMON}{same_price}")).unwrap();
    files.truncate(2);
    let stdout = sweep_into(
        &tmp.path().join("out"),
        &files,
        &["--param", "demand.per_cycle=11..41:3", "--trials", "20"],
    );
    assert!(
        stdout.contains(
            "none on the grid; they cost the same at every grid point. Where A (Inline plan, a) \
             costs the same as B (Inline plan, b) it sends less: at demand.per_cycle = 41, 21.0 \
             more send attempts a month blocked for lack of a credit, running out in 100.0% of \
             months against 0.0% for B (Inline plan, b) (sweep_pairs.csv has every point)."
        ),
        "{stdout}"
    );
}

#[test]
fn a_two_parameter_sweep_gives_one_row_per_point_and_option_and_a_break_even_per_second_value() {
    let tmp = TempDir::new().unwrap();
    let files = hand_case(tmp.path());
    let out = tmp.path().join("out");
    let args = [
        "--param",
        "demand.per_cycle=11..41:3",
        "--param",
        "addons.price=10..20:10",
    ];
    sweep_into(
        &out,
        &files,
        &[&args[..], &["--trials", "10", "--quiet"]].concat(),
    );
    let options = rows(&out.join("sweep.csv"));
    assert_eq!(options.len(), 11 * 2 * 2);
    assert_eq!(rows(&out.join("sweep_pairs.csv")).len(), 11 * 2);
    let even = rows(&out.join("breakeven.csv"));
    let at: Vec<(f64, f64)> = even
        .iter()
        .map(|r| (num(r, "other_value"), num(r, "break_even")))
        .collect();
    // v* = 20 + 50/p: 25 at $10; 22.5 at $20 (between 20 and 23, linear).
    assert_eq!(at.len(), 2);
    assert_eq!(at[0].0, 10.0);
    assert!((at[0].1 - 25.0).abs() < 1e-9, "{at:?}");
    assert_eq!(at[1].0, 20.0);
    assert!((at[1].1 - 22.5).abs() < 1e-9, "{at:?}");
    assert_wide_table_matches(&out, &options, &["demand.per_cycle", "addons.price"]);
}

/// sweep_wide.csv: one row per grid point, in sweep.csv's order, each
/// option's monthly cost and chance of running out in its own column.
fn assert_wide_table_matches(
    out: &Path,
    long: &[std::collections::HashMap<String, String>],
    params: &[&str],
) {
    let wide = rows(&out.join("sweep_wide.csv"));
    let options = long.len() / wide.len();
    assert_eq!(wide.len() * options, long.len());
    for (i, row) in wide.iter().enumerate() {
        for (o, option) in long[i * options..(i + 1) * options].iter().enumerate() {
            assert_eq!(row[params[0]], option["value_1"]);
            if let Some(p) = params.get(1) {
                assert_eq!(row[*p], option["value_2"]);
            }
            let l = &option["option"];
            assert_eq!(l, &char::from(b'A' + o as u8).to_string());
            assert_eq!(row[&format!("monthly_cost_{l}")], option["monthly_cost"]);
            assert_eq!(row[&format!("ran_out_month_{l}")], option["ran_out_month"]);
        }
    }
}

#[test]
fn a_sweep_of_one_scenario_writes_one_row_per_grid_point_and_is_the_same_for_any_thread_count() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios/sales_navigator_core_heavy_addons.toml");
    let tmp = TempDir::new().unwrap();
    let run = |name: &str, threads: &str| {
        let dir = tmp.path().join(name);
        let extra = [
            "--param",
            "response.rate_center=10%..30%:10%",
            "--trials",
            "1500",
            "--months",
            "2",
        ];
        sweep_into(
            &dir,
            std::slice::from_ref(&file),
            &[&extra[..], &["--threads", threads]].concat(),
        );
        dir
    };
    let (one, two) = (run("one", "1"), run("two", "2"));
    let a = fs::read(one.join("sweep.csv")).unwrap();
    assert_eq!(a, fs::read(two.join("sweep.csv")).unwrap());
    assert!(
        !one.join("breakeven.csv").exists(),
        "one scenario has no pairs"
    );
    let options = rows(&one.join("sweep.csv"));
    let values: Vec<&str> = options.iter().map(|r| r["value_1"].as_str()).collect();
    assert_eq!(values, ["0.1", "0.2", "0.3"]);
    // A higher reply rate refunds more credits, so fewer add-ons are bought.
    let refunds: Vec<f64> = options
        .iter()
        .map(|r| num(r, "refunds_per_month"))
        .collect();
    assert!(
        refunds[0] < refunds[1] && refunds[1] < refunds[2],
        "{refunds:?}"
    );
}

fn assert_refused(files: &[PathBuf], extra: &[&str], fragments: &[&str]) {
    common::assert_refused("sweep", files, extra, fragments);
}

#[test]
fn a_sweep_over_an_unknown_parameter_lists_the_ones_that_exist_and_writes_nothing() {
    let tmp = TempDir::new().unwrap();
    let files = hand_case(tmp.path());
    assert_refused(
        &files,
        &["--param", "demand.per_day=1..5"],
        &[
            "--param demand.per_day=1..5: unknown parameter",
            "demand.per_workday",
            "response.rate_center",
        ],
    );
}

#[test]
fn a_grid_value_the_scenario_refuses_is_reported_before_anything_runs() {
    let tmp = TempDir::new().unwrap();
    let files = hand_case(tmp.path());
    // 40 credits fit both caps; 400 are over A's cap of 60. The first
    // grid point is fine, so the error comes from the check of the whole
    // grid before any simulation.
    assert_refused(
        &files,
        &["--param", "plan.monthly_credits=40..400:360"],
        &[
            "sweep at plan.monthly_credits = 400",
            "a.toml: plan.cap = 60",
        ],
    );
    // "10% to 25%" centred on 5% would start below 0%.
    let heavy = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios/sales_navigator_core_heavy_addons.toml");
    assert_refused(
        &[heavy],
        &["--param", "response.rate_center=5%..20%:5%"],
        &[
            "sweep at response.rate_center = 0.05",
            "response.rate_center = 0.05: moving the response rate there puts it at -2.5% to 12.5%, outside 0% to 100%; a centre from 8% to 92% keeps it inside",
        ],
    );
    assert_refused(
        &files,
        &["--param", "plan.cap=10..20:0.5"],
        &["whole numbers"],
    );
    assert_refused(
        &files,
        &["--param", "months=1..2", "--param", "months=1..2"],
        &["given twice"],
    );
}

#[test]
fn a_grid_value_is_shown_as_written_even_far_from_one() {
    // Rounding the grid to 10 decimals printed 1e15 as
    // 1000000000000000.1, a value nobody wrote.
    let tmp = TempDir::new().unwrap();
    let files = hand_case(tmp.path());
    assert_refused(
        &files,
        &["--param", "demand.per_workday=1e15..1e15"],
        &["sweep at demand.per_workday = 1000000000000000:"],
    );
}

#[test]
fn a_follow_up_key_swept_over_a_set_leaves_the_files_without_follow_ups_as_they_are() {
    // "With follow-ups against without": the file with them off is the
    // baseline, the same at every point, and the terminal says so.
    let tmp = TempDir::new().unwrap();
    let base = "months = 2\n[plan]\nid = \"sales_navigator_core\"\n[demand]\nper_workday = 3\n";
    let with = tmp.path().join("with.toml");
    let without = tmp.path().join("without.toml");
    fs::write(&with, format!("{base}[follow_ups]\nafter_days = 5\n")).unwrap();
    fs::write(&without, base).unwrap();
    let out = tmp.path().join("out");
    let output = common::inmail_sim()
        .arg("sweep")
        .args([&with, &without])
        .args([
            "--param",
            "follow_ups.after_days=2..8:3",
            "--trials",
            "200",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("without.toml has follow-ups off"),
        "{stderr}"
    );
    let rows = rows(&out.join("sweep.csv"));
    let cost = |file: &str| -> Vec<String> {
        rows.iter()
            .filter(|r| r["file"].ends_with(file))
            .map(|r| r["blocked_per_month"].clone())
            .collect()
    };
    let (varied, baseline) = (cost("with.toml"), cost("without.toml"));
    assert_eq!(baseline.len(), 3);
    assert!(baseline.iter().all(|b| *b == baseline[0]), "{baseline:?}");
    assert!(varied.iter().any(|v| *v != varied[0]), "{varied:?}");
    // Over files that all have follow-ups off, the key is refused.
    let refused = common::inmail_sim()
        .arg("sweep")
        .args([&without, &without])
        .args([
            "--param",
            "follow_ups.after_days=2..8:3",
            "--trials",
            "20",
            "--out",
        ])
        .arg(tmp.path().join("none"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("follow-ups are off"), "{stderr}");
}

#[test]
fn options_that_tie_or_differ_without_crossing_are_described_as_they_are() {
    // A and B at 1..2 a cycle: A's 20 credits are never short, so it
    // costs $100 at both points against B's $150; A twice costs the same
    // everywhere. Neither pair crosses.
    let tmp = TempDir::new().unwrap();
    let files = hand_case(tmp.path());
    let twin = tmp.path().join("a2.toml");
    fs::copy(&files[0], &twin).unwrap();
    let extra = ["--param", "demand.per_cycle=1..2:1", "--trials", "20"];
    let printed = sweep_into(&tmp.path().join("ab"), &files, &extra);
    assert!(
        printed.contains("none on the grid; A (") && printed.contains("is cheaper throughout."),
        "{printed}"
    );
    let printed = sweep_into(&tmp.path().join("aa"), &[files[0].clone(), twin], &extra);
    assert!(
        printed.contains("none on the grid; they cost the same at every grid point."),
        "{printed}"
    );
}

#[test]
fn each_grid_point_counts_its_own_annual_commitment_in_its_verdict() {
    // Core billed annually ($89.99 a month of a $1,079.88 year) against
    // Core billed monthly ($119.99), over 6, 10 and 14 months: the year's
    // uncounted months add 6 × 89.99 / 6 = $89.99, 2 × 89.99 / 10 = $18.00
    // and 10 × 89.99 / 14 = $64.28 a month. The points share the first
    // point's set, whose horizon is 6 months: each must use its own.
    let tmp = TempDir::new().unwrap();
    let write = |name: &str, billing: &str| {
        let path = tmp.path().join(name);
        let text = format!(
            "[plan]\nid = \"sales_navigator_core\"\nbilling = \"{billing}\"\n[demand]\n\
             per_cycle = 10\ndistribution = \"fixed\"\n[response]\nrate = 0\n"
        );
        fs::write(&path, text).unwrap();
        path
    };
    let files = [write("a.toml", "annual"), write("m.toml", "monthly")];
    let out = tmp.path().join("out");
    let stdout = sweep_into(
        &out,
        &files,
        &["--param", "months=6..14:4", "--trials", "20"],
    );
    let pairs = rows(&out.join("sweep_pairs.csv"));
    for (months, adds, then, difference, winner) in [
        ("6", "$89.99", "m saves $59.99/month", 59.99, "B"),
        ("10", "$18.00", "a saves $12.00/month", -12.0, "A"),
        ("14", "$64.28", "m saves $34.28/month", 34.28, "B"),
    ] {
        let row = pairs.iter().find(|r| r["value_1"] == months).unwrap();
        let v = &row["verdict"];
        assert!(
            v.contains(&format!("adds {adds} a month for a, and then {then}")),
            "{months}: {v}"
        );
        // The columns agree with the verdict's second reading; `winner`
        // stays the file's costs' (annual is cheaper by the month held).
        let committed = num(row, "committed_cost_difference");
        assert!((committed - difference).abs() < 0.006, "{months}: {row:?}");
        assert_eq!(row["committed_winner"], winner, "{months}: {row:?}");
        assert_eq!(row["winner"], "A", "{months}: {row:?}");
    }
    // The what-if names every horizon, the break-even the range.
    let metadata = fs::read_to_string(out.join("metadata.csv")).unwrap();
    for horizon in ["these 6 months", "these 10 months", "these 14 months"] {
        assert!(stdout.contains(horizon), "{stdout}");
        assert!(metadata.contains(horizon), "metadata.csv: {metadata}");
    }
    assert!(
        stdout.contains("adds from $18.00 to $89.99 a month over these grid points"),
        "{stdout}"
    );
}
