//! `solve` end to end: it agrees with a fine `sweep` run on the same
//! trials, with the closed form of a case without noise, moves the right
//! way with the grant, and refuses a target the range cannot reach.

use super::common::{self, num, rows};
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

fn answer(dir: &Path) -> std::collections::HashMap<String, String> {
    rows(&dir.join("solve_answer.csv")).remove(0)
}

fn solve(file: &Path, out: &Path, args: &[&str]) -> std::collections::HashMap<String, String> {
    common::succeed("solve", &[file], out, args);
    answer(out)
}

/// The sweep's `ran_out_month` at each grid value, ascending.
fn swept(file: &Path, out: &Path, param: &str, trials: &str) -> Vec<(f64, f64)> {
    common::succeed(
        "sweep",
        &[file],
        out,
        &["--param", param, "--trials", trials],
    );
    rows(&out.join("sweep.csv"))
        .iter()
        .map(|r| (num(r, "value_1"), num(r, "ran_out_month")))
        .collect()
}

#[test]
fn solve_finds_the_same_whole_number_as_a_sweep_of_every_value_on_the_same_trials() {
    // Sales Navigator Core light, credits from 10 to 40: the fewest monthly
    // credits at which at most 5% of months run out. Both commands run the
    // same trials (seed 1), so solve's answer must be exactly the first
    // grid value whose sweep estimate is at or below 5%.
    let tmp = TempDir::new().unwrap();
    let file = common::repo("scenarios/sales_navigator_core_light.toml");
    let a = solve(
        &file,
        &tmp.path().join("solve"),
        &[
            "--param",
            "plan.monthly_credits",
            "--target",
            "exhausted=5%",
            "--range",
            "5..60",
            "--trials",
            "1500",
        ],
    );
    let grid = swept(
        &file,
        &tmp.path().join("sweep"),
        "plan.monthly_credits=5..60",
        "1500",
    );
    let first = grid
        .iter()
        .find(|(_, r)| *r <= 0.05)
        .expect("the grid reaches 5%");
    assert_eq!(a["direction"], "decreasing");
    assert_eq!(num(&a, "answer"), first.0, "{grid:?}");
    assert!(num(&a, "ci95_low") <= first.0 && first.0 <= num(&a, "ci95_high"));
}

#[test]
fn solve_lands_between_the_two_sweep_points_that_straddle_the_target() {
    // The reference scenario: the most InMails per workday at a 5% chance
    // of running out. On the same trials the sweep's estimates at 0.05
    // steps bracket the answer (one step of slack for a non-monotone wiggle
    // of the estimate between grid points).
    let tmp = TempDir::new().unwrap();
    let file = common::repo("scenarios/reference.toml");
    let a = solve(
        &file,
        &tmp.path().join("solve"),
        &[
            "--param",
            "demand.per_workday",
            "--target",
            "exhausted=5%",
            "--range",
            "1..4",
            "--trials",
            "1000",
        ],
    );
    let grid = swept(
        &file,
        &tmp.path().join("sweep"),
        "demand.per_workday=1..4:0.05",
        "1000",
    );
    let last_in = grid.iter().rev().find(|(_, r)| *r <= 0.05).unwrap().0;
    let first_out = grid
        .iter()
        .find(|(x, r)| *x > last_in - 1e-9 && *r > 0.05)
        .unwrap()
        .0;
    let x = num(&a, "answer");
    assert!(
        x >= last_in - 0.05 - 1e-9 && x <= first_out + 0.05 + 1e-9,
        "{x} vs {last_in}..{first_out}"
    );
    assert_eq!(a["direction"], "increasing");
}

/// One month starting on `start`, a fixed demand, no responses: a month
/// runs out exactly when its demand passes the grant.
fn closed_form_case(dir: &Path, grant: u32, start: &str) -> PathBuf {
    let path = dir.join(format!("grant_{grant}_{start}.toml"));
    let text = format!(
        "months = 1\nstart_date = {start}\n[plan]\nid = \"sales_navigator_core\"\n\
         monthly_credits = {grant}\n[demand]\nper_workday = 1\ndistribution = \"fixed\"\n\
         [response]\nrate = 0\n"
    );
    fs::write(&path, text).unwrap();
    path
}

#[test]
fn with_no_responses_and_fixed_demand_the_most_sends_per_workday_at_zero_risk_is_the_grant_over_the_workdays()
 {
    // January 2026 has 22 workdays, February 20. A fixed demand of x a
    // workday sends floor(W·x) in the month (the fraction carries from day
    // to day), so no send is blocked while floor(W·x) ≤ grant: the
    // boundary is (grant + 1) / W, just above grant / W, and solve's final
    // bracket (range / 1024 wide) must hold it. Nothing is drawn at random,
    // so every trial is the same trial and the chance is known exactly at
    // each value: the answer's interval is that bracket. (Read as 20
    // random trials with no month run out, it ran to the range's start,
    // as no chance within 3/trials of 0 could be ruled out anywhere.)
    let tmp = TempDir::new().unwrap();
    for (grant, start, workdays) in [
        (50, "2026-01-01", 22.0),
        (50, "2026-02-01", 20.0),
        (30, "2026-01-01", 22.0),
    ] {
        let file = closed_form_case(tmp.path(), grant, start);
        let out = tmp.path().join(format!("out_{grant}_{start}"));
        let a = solve(
            &file,
            &out,
            &[
                "--param",
                "demand.per_workday",
                "--target",
                "exhausted=0",
                "--range",
                "0..5",
                "--trials",
                "20",
            ],
        );
        let boundary = f64::from(grant + 1) / workdays;
        let resolution = 5.0 / 1024.0;
        // solve_answer.csv writes six decimals: each value within 5e-7.
        let written = 5e-7;
        let (low, high) = (num(&a, "ci95_low"), num(&a, "ci95_high"));
        assert!(
            low - written <= boundary && boundary <= high + written,
            "{grant}/{start}: {low}..{high} vs {boundary}"
        );
        assert!(
            high - low <= resolution + 2.0 * written,
            "{grant}/{start}: no noise: {low}..{high} is the final bracket"
        );
        let x = num(&a, "answer");
        assert!(
            x + written >= f64::from(grant) / workdays && x - written <= boundary,
            "{x}"
        );
        // Each evaluation's interval, as the answer's reads it, is its
        // value, and the page says why.
        for row in rows(&out.join("solve.csv")) {
            assert_eq!(row["ci95_low"], row["mean"], "{row:?}");
            assert_eq!(row["ci95_high"], row["mean"], "{row:?}");
        }
        let page = fs::read_to_string(out.join("report.html")).unwrap();
        assert!(page.contains("The scenario draws nothing at random"));
    }
}

#[test]
fn the_most_sends_at_a_given_risk_never_falls_when_the_grant_grows() {
    let tmp = TempDir::new().unwrap();
    let mut last = 0.0;
    for grant in [20, 35, 50, 80] {
        let file = tmp.path().join(format!("g{grant}.toml"));
        fs::write(
            &file,
            format!("months = 6\n[plan]\nid = \"sales_navigator_core\"\nmonthly_credits = {grant}\ncap = 240\n[demand]\nper_workday = 1\n"),
        )
        .unwrap();
        let out = tmp.path().join(format!("out{grant}"));
        let a = solve(
            &file,
            &out,
            &[
                "--param",
                "demand.per_workday",
                "--target",
                "exhausted=10%",
                "--range",
                "0.2..8",
                "--trials",
                "600",
            ],
        );
        let x = num(&a, "answer");
        assert!(x >= last, "grant {grant}: {x} < {last}");
        last = x;
    }
}

#[test]
fn a_target_the_range_cannot_reach_is_refused_with_both_ends_and_nothing_is_written() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    let file = common::repo("scenarios/reference.toml");
    common::inmail_sim()
        .args(["solve"])
        .arg(&file)
        .args([
            "--param",
            "demand.per_workday",
            "--target",
            "exhausted=5%",
            "--range",
            "4..8",
            "--trials",
            "200",
            "--out",
        ])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("not reachable in the range 4..8"));
    assert!(!out.exists());
    common::inmail_sim()
        .args(["solve"])
        .arg(&file)
        .args(["--param", "demand.volume", "--target", "exhausted=5%"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "unknown parameter; the parameters are months",
        ));
}

#[test]
fn without_a_range_the_rate_centre_and_the_seats_get_ranges_the_file_can_take() {
    // "10% to 25%" cannot be centred at 1% (its low end would be -6.5%):
    // the default range is the centres that keep it inside 0..100%,
    // 8% to 92% (7.5% and 92.5% moved in by half a point, a beta's ends
    // being strictly inside). The seats, not stated, default to 1: 1 to 4.
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("s.toml");
    fs::write(
        &file,
        "months = 2\n[plan]\nid = \"premium_business\"\n[demand]\nper_workday = 1\n\
         [response]\nrate = \"10% to 25%\"\n",
    )
    .unwrap();
    let a = solve(
        &file,
        &tmp.path().join("rate"),
        &[
            "--param",
            "response.rate_center",
            "--target",
            "blocked=1",
            "--trials",
            "200",
        ],
    );
    assert_eq!(
        (num(&a, "range_low"), num(&a, "range_high")),
        (0.08, 0.92),
        "{a:?}"
    );
    let out = tmp.path().join("seats");
    let output = common::inmail_sim()
        .args(["solve"])
        .arg(&file)
        .args([
            "--param",
            "seats",
            "--target",
            "exhausted=5%",
            "--trials",
            "200",
            "--quiet",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("no default range"), "{stderr}");
    // Here the target is out of reach (more unpooled seats, more months in
    // which one runs short): the refusal names the range it searched.
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("in the range 1..4"), "{stderr}");
}

#[test]
fn without_a_range_the_ends_stop_at_the_values_the_key_allows() {
    // 3,000 InMails a workday: 4 × that is past the most a day may send
    // (10,000), and a default range of 0..12000 would fail at its top end
    // with a value the user never chose. The top stops at 10,000.
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("s.toml");
    fs::write(
        &file,
        "months = 1\n[plan]\nid = \"sales_navigator_core\"\n[demand]\nper_workday = 3000\n",
    )
    .unwrap();
    let a = solve(
        &file,
        &tmp.path().join("out"),
        &[
            "--param",
            "demand.per_workday",
            "--target",
            "exhausted=5%",
            "--trials",
            "100",
        ],
    );
    assert_eq!(
        (num(&a, "range_low"), num(&a, "range_high")),
        (0.0, 10_000.0),
        "{a:?}"
    );
}

#[test]
fn a_range_narrower_than_the_floats_can_split_1024_times_is_solved_and_does_not_hang() {
    // The cost is the monthly price (no sends, no add-ons), so the target
    // $1024.005 lies between the cents either side of it. Bisecting
    // 1024.0049999999..1024.0050000001 to 1/1024 of its width needs finer
    // steps than the floats near 1024 have: the bracket reaches two
    // neighbouring floats first, whose midpoint is one of them, and the
    // search used to loop there forever.
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("price.toml");
    fs::write(
        &file,
        "months = 1\n[plan]\nid = \"sales_navigator_core\"\nprice_monthly = 1024\n\
         [demand]\nper_workday = 0\ndistribution = \"fixed\"\n[response]\nrate = 0\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let run = common::inmail_sim()
        .arg("solve")
        .arg(&file)
        .args([
            "--param",
            "plan.price_monthly",
            "--target",
            "cost=1024.005",
            "--range",
            "1024.0049999999..1024.0050000001",
            "--trials",
            "2",
            "--threads",
            "1",
            "--no-charts",
            "--out",
        ])
        .arg(&out)
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "status {:?}: {}",
        run.status,
        String::from_utf8_lossy(&run.stderr)
    );
    let a = answer(&out);
    let x = num(&a, "answer");
    assert!((1024.0049999999..=1024.0050000001).contains(&x), "{a:?}");
    assert_eq!(a["direction"], "increasing");
}

#[test]
fn with_one_trial_solve_gives_no_interval_and_says_so_like_run() {
    // One trial has no standard error: an interval of zero width (or one
    // the bisection's resolution made up) would claim a certainty the run
    // does not have.
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    let stdout = common::succeed(
        "solve",
        &[common::repo("scenarios/reference.toml")],
        &out,
        &[
            "--param",
            "demand.per_workday",
            "--target",
            "exhausted=5%",
            "--trials",
            "1",
            "--threads",
            "1",
            "--no-charts",
        ],
    );
    assert!(stdout.contains("(95% interval n/a;"), "{stdout}");
    assert!(stdout.contains("Only 1 trial was run"), "{stdout}");
    let a = answer(&out);
    assert_eq!((a["ci95_low"].as_str(), a["ci95_high"].as_str()), ("", ""));
    assert!(num(&a, "answer") > 0.0, "{a:?}");
    for e in rows(&out.join("solve.csv")) {
        assert_eq!(
            (
                e["se"].as_str(),
                e["ci95_low"].as_str(),
                e["ci95_high"].as_str()
            ),
            ("", "", ""),
            "{e:?}"
        );
    }
}

#[test]
fn without_a_range_a_price_written_or_from_the_catalog_gets_a_default_range_and_a_stated_0_asks_for_one()
 {
    // "$119.99" and "$10" are how the scenario format writes money: the
    // default range is 0 to 4 × the price the scenario reads, not "not
    // stated". Add-ons bought when empty never let a month run out, so the
    // target is met over the whole range, and the refusal names it.
    let tmp = TempDir::new().unwrap();
    let dollars = tmp.path().join("dollars.toml");
    fs::write(
        &dollars,
        "[plan]\nid = \"sales_navigator_core\"\nprice_monthly = \"$119.99\"\n[demand]\n\
         per_workday = 3\n[addons]\npolicy = \"when_empty\"\nprice = \"$10\"\n",
    )
    .unwrap();
    // A catalog plan's values are known without being written: the same
    // default range from the catalog's $119.99, and from its 50 credits
    // 0..200 narrowed to its cap of 150.
    let catalog = tmp.path().join("catalog.toml");
    fs::write(
        &catalog,
        "[plan]\nid = \"sales_navigator_core\"\n[demand]\nper_workday = 3\n[addons]\n\
         policy = \"when_empty\"\nprice = \"$10\"\n",
    )
    .unwrap();
    for (file, param, range) in [
        (&dollars, "plan.price_monthly", "0..479.96"),
        (&dollars, "addons.price", "0..40"),
        (&catalog, "plan.price_monthly", "0..479.96"),
        (&catalog, "plan.monthly_credits", "0..150"),
    ] {
        common::assert_refused(
            "solve",
            &[file],
            &[
                "--param",
                param,
                "--target",
                "exhausted=5%",
                "--trials",
                "20",
            ],
            &[&format!(
                "the target is met over the range {range}, as far as a scan shows"
            )],
        );
    }
    // A stated 0 has no 4 × to range over: said as it is.
    let zero = tmp.path().join("zero.toml");
    fs::write(
        &zero,
        "[plan]\nid = \"sales_navigator_core\"\n[demand]\nper_workday = 3\n[addons]\n\
         policy = \"when_empty\"\nprice = 0\n[open_profile]\nshare = 0.5\nlimit = 0\n",
    )
    .unwrap();
    for param in ["addons.price", "open_profile.limit"] {
        common::assert_refused(
            "solve",
            &[&zero],
            &["--param", param, "--target", "exhausted=5%"],
            &[&format!("{param} is 0 in the file"), "give --range LO..HI"],
        );
    }
}

#[test]
fn a_range_is_checked_in_its_own_words_and_on_the_values_as_written() {
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("price.toml");
    fs::write(
        &file,
        "months = 1\n[plan]\nid = \"sales_navigator_core\"\nprice_monthly = 1\n\
         [demand]\nper_workday = 0\ndistribution = \"fixed\"\n[response]\nrate = 0\n",
    )
    .unwrap();
    let solve_with = |range: &str, target: &str| -> Vec<String> {
        vec![
            "--param".into(),
            "plan.price_monthly".into(),
            "--target".into(),
            target.into(),
            "--range".into(),
            range.into(),
            "--trials".into(),
            "2".into(),
        ]
    };
    let args = solve_with("5..1", "cost=3");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    common::assert_refused(
        "solve",
        &[&file],
        &args,
        &["--range 5..1: HI (1) must be above LO (5)"],
    );
    // HI is above LO, by less than 1e-10: not refused as "not above"
    // (both ends rounded to 10 decimals were equal). Every price in it
    // costs $1.00, so the target is met over the whole range.
    let args = solve_with("1.00000000001..1.00000000002", "cost=1");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    common::assert_refused(
        "solve",
        &[&file],
        &args,
        &["the target is met over the range 1.00000000001..1.00000000002, as far as a scan shows"],
    );
}

#[test]
fn a_follow_up_key_of_a_file_without_follow_ups_is_refused_before_any_talk_of_a_range() {
    // It asked for --range, and given one, refused the key: a dead end.
    let file = common::repo("scenarios/sales_navigator_core_light.toml");
    let output = common::inmail_sim()
        .arg("solve")
        .arg(&file)
        .args([
            "--param",
            "follow_ups.after_days",
            "--target",
            "exhausted=5%",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("follow-ups are off"), "{stderr}");
    assert!(!stderr.contains("--range"), "{stderr}");
}

#[test]
fn a_target_of_zero_with_random_demand_says_the_answer_depends_on_the_trials() {
    let tmp = TempDir::new().unwrap();
    let file = common::repo("scenarios/reference.toml");
    let stdout = common::succeed(
        "solve",
        &[&file],
        &tmp.path().join("zero"),
        &[
            "--param",
            "demand.per_workday",
            "--target",
            "exhausted=0%",
            "--trials",
            "300",
        ],
    );
    assert!(
        stdout.contains("A target of 0 is met only where none of the 300 trials ran out"),
        "{stdout}"
    );
    // A target above 0 has an answer that settles as trials grow: no such words.
    let stdout = common::succeed(
        "solve",
        &[&file],
        &tmp.path().join("small"),
        &[
            "--param",
            "demand.per_workday",
            "--target",
            "exhausted=5%",
            "--trials",
            "300",
        ],
    );
    assert!(!stdout.contains("A target of 0"), "{stdout}");
}

#[test]
fn a_teams_answer_says_it_is_each_seats_demand() {
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("team.toml");
    fs::write(
        &file,
        "seats = 3\n[plan]\nid = \"sales_navigator_core\"\n[demand]\nper_workday = 2\n",
    )
    .unwrap();
    let stdout = common::succeed(
        "solve",
        &[&file],
        &tmp.path().join("out"),
        &[
            "--param",
            "demand.per_workday",
            "--target",
            "exhausted=5%",
            "--trials",
            "200",
        ],
    );
    assert!(
        stdout.contains(
            "The scenario has 3 seats: the value is each seat's demand (the team sends 3 times \
             it); each seat has its own credits, and a month runs out when any seat's does."
        ),
        "{stdout}"
    );
}

#[test]
fn a_cost_target_counts_the_year_annual_billing_commits_to() {
    // Six months of Premium Business billed annually ($47.99 a month) pay
    // for the year: $95.98 a month of the six, as a monthly price of $95.98
    // would (the same trials, so the same answer); at $47.99 a month the
    // add-ons could take more of the target (an independent check found
    // the commitment left out).
    let tmp = TempDir::new().unwrap();
    let file = |name: &str, plan: &str| {
        let path = tmp.path().join(format!("{name}.toml"));
        let text = format!(
            "months = 6\n[plan]\nid = \"premium_business\"\n{plan}\n[demand]\n\
             per_workday = 1\n[response]\nrate = \"5% to 15%\"\n[addons]\npolicy = \"when_empty\"\n"
        );
        fs::write(&path, text).unwrap();
        path
    };
    let annual = file("annual", "billing = \"annual\"");
    let as_paid = file("as_paid", "price_monthly = 95.98");
    let modelled = file("modelled", "price_monthly = 47.99");
    let args = [
        "--param",
        "demand.per_workday",
        "--range",
        "0..4",
        "--target",
        "cost=150",
        "--trials",
        "400",
    ];
    let at = |path: &Path, name: &str| {
        let out = tmp.path().join(name);
        let stdout = common::succeed("solve", &[path], &out, &args);
        (num(&answer(&out), "answer"), stdout)
    };
    let (a, stdout) = at(&annual, "a");
    assert!(
        stdout.contains("counts the whole years annual billing commits to"),
        "{stdout}"
    );
    let (p, _) = at(&as_paid, "p");
    assert_eq!(a, p);
    let (m, stdout) = at(&modelled, "m");
    // $47.99 a month more room is 4.8 add-on credits a month, about 0.2
    // a workday (22 workdays).
    assert!(m > a + 0.1, "{m} against {a}");
    assert!(!stdout.contains("commits"), "{stdout}");
}

#[test]
fn with_a_backlog_a_blocked_target_is_said_to_count_send_attempts_each_retry() {
    // A backlog retries a blocked InMail each send day and counts each
    // try: the answer names attempts, as run's horizon line does; without
    // a backlog it keeps "blocked sends".
    let tmp = TempDir::new().unwrap();
    for (backlog, words) in [
        (
            true,
            "the send attempts blocked (each retry) per month stays",
        ),
        (false, "the blocked sends per month stays"),
    ] {
        let file = tmp.path().join(format!("backlog_{backlog}.toml"));
        fs::write(
            &file,
            format!(
                "months = 12\n[plan]\nid = \"premium_business\"\n[demand]\nper_workday = 1\n\
                 distribution = \"fixed\"\nbacklog = {backlog}\n[response]\nrate = 0\n"
            ),
        )
        .unwrap();
        let out = tmp.path().join(format!("out_{backlog}"));
        let stdout = common::succeed(
            "solve",
            &[&file],
            &out,
            &[
                "--param",
                "demand.per_workday",
                "--target",
                "blocked=5",
                "--range",
                "0..2",
                "--trials",
                "20",
            ],
        );
        assert!(stdout.contains(words), "backlog = {backlog}\n{stdout}");
        let page = fs::read_to_string(out.join("report.html")).unwrap();
        assert!(page.contains(words), "backlog = {backlog}: the page");
    }
}
