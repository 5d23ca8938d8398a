//! `recommend`: its choice on a hand-computable case, agreement with a
//! brute-force `compare` of every candidate at full precision, its choice
//! feasible on fresh random numbers, and a non-dominated monotone frontier.

use super::common::{self, num, rows};
use inmail_sim::compare::{CompareSummary, lockstep};
use inmail_sim::decide::recommend::candidates::{self, Choice};
use inmail_sim::decide::recommend::{self, Limits, Recommendation, Settings};
use inmail_sim::engine::Model;
use inmail_sim::runner::Progress;
use inmail_sim::scenario::Overrides;
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// `recommend FILE --out OUT ARGS...`, required to succeed; its stdout.
fn recommend_into(file: &Path, out: &Path, args: &[&str]) -> String {
    common::succeed("recommend", &[file], out, args)
}

/// Fixed demand of `v` InMails a month, no responses, 12 months (a whole
/// year, so annual billing is a candidate).
fn fixed_case(dir: &Path, v: u32) -> PathBuf {
    let path = dir.join(format!("v{v}.toml"));
    let text = format!(
        "months = 12\n[plan]\nid = \"premium_business\"\n[demand]\nper_cycle = {v}\n\
         distribution = \"fixed\"\n[response]\nrate = 0\n"
    );
    fs::write(&path, text).unwrap();
    path
}

#[test]
fn below_the_hand_computed_break_even_premium_business_with_add_ons_wins_and_above_it_core() {
    // With annual billing (cheaper for both): Premium Business costs
    // $47.99 + $10 per credit past its 15, Core $89.99 for 50 credits, all
    // with no noise (fixed demand, no responses). Break-even:
    // 47.99 + 10 (v − 15) = 89.99, v = 19.2 InMails a month.
    let tmp = TempDir::new().unwrap();
    for (v, plan, cost) in [
        (16, "premium_business", 57.99),
        (19, "premium_business", 87.99),
        (20, "sales_navigator_core", 89.99),
        (30, "sales_navigator_core", 89.99),
    ] {
        let file = fixed_case(tmp.path(), v);
        let out = tmp.path().join(format!("out{v}"));
        let stdout = recommend_into(
            &file,
            &out,
            &[
                "--plans",
                "premium_business,sales_navigator_core",
                "--what-if-addons",
            ],
        );
        let best = rows(&out.join("candidates.csv")).remove(0);
        assert_eq!(best["plan_id"], plan, "v = {v}\n{stdout}");
        assert_eq!(best["billing"], "annual", "v = {v}");
        assert!(
            (num(&best, "cost_per_month") - cost).abs() < 1e-9,
            "v = {v}: {best:?}"
        );
        assert_eq!(best["feasible"], "yes");
        assert!(stdout.contains("Recommended: "), "{stdout}");
    }
}

#[test]
fn annual_billing_is_not_a_candidate_over_a_horizon_that_is_not_whole_years() {
    // Two months "at $47.99" billed annually cost a year's $575.88.
    let tmp = TempDir::new().unwrap();
    let file = fixed_case(tmp.path(), 10);
    let out = tmp.path().join("out");
    let stdout = recommend_into(
        &file,
        &out,
        &["--plans", "premium_business", "--months", "2"],
    );
    let billings: Vec<String> = rows(&out.join("candidates.csv"))
        .into_iter()
        .map(|r| r["billing"].clone())
        .collect();
    assert_eq!(billings, vec!["monthly"], "{stdout}");
    assert!(stdout.contains("Annual billing is left out"), "{stdout}");
}

#[test]
fn a_plan_change_past_the_command_lines_months_is_replaced_not_refused() {
    // Every candidate replaces the file's plan changes with its own, so a
    // change in cycle 6 does not make --months 3 invalid (it did).
    let tmp = TempDir::new().unwrap();
    let file = fixed_case(tmp.path(), 16);
    let text = fs::read_to_string(&file).unwrap();
    fs::write(
        &file,
        format!("{text}[[plan_change]]\nfrom_cycle = 3\ncancel = true\n"),
    )
    .unwrap();
    let out = tmp.path().join("out");
    let stdout = recommend_into(
        &file,
        &out,
        &[
            "--plans",
            "premium_business",
            "--what-if-addons",
            "--months",
            "2",
        ],
    );
    let best = rows(&out.join("candidates.csv")).remove(0);
    assert_eq!(best["plan_id"], "premium_business");
    // ... and the outputs say it is left out.
    let note = "the file's [[plan_change]] is left out";
    assert!(stdout.contains(note), "{stdout}");
    assert!(
        fs::read_to_string(out.join("metadata.csv"))
            .unwrap()
            .contains(note)
    );
}

#[test]
fn the_scenarios_own_plan_keeps_its_negotiated_prices_and_a_placeholder_price_is_said_to_be_one() {
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("contract.toml");
    fs::write(
        &file,
        "months = 12\n[plan]\nid = \"recruiter_corporate\"\nprice_monthly = 2500\n\
         price_annual = 2200\n[demand]\nper_workday = 3\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let stdout = recommend_into(
        &file,
        &out,
        &[
            "--plans",
            "recruiter_corporate,recruiter_professional_services",
        ],
    );
    let rows = rows(&out.join("candidates.csv"));
    let cost = |id: &str| {
        let row = rows.iter().find(|r| r["candidate"] == id).expect(id);
        num(row, "cost_per_month")
    };
    // The catalog prices both contracts at $900 a month, either billing.
    assert_eq!(cost("recruiter_corporate/monthly/never/1"), 2500.0);
    assert_eq!(cost("recruiter_corporate/annual/never/1"), 2200.0);
    assert_eq!(
        cost("recruiter_professional_services/monthly/never/1"),
        900.0
    );
    assert!(
        stdout.contains("Recruiter Corporate as your scenario sets it"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "Note: Recruiter Professional Services's price, $900.00 a month, is a placeholder"
        ),
        "{stdout}"
    );
    // A [plan] that names the contract but keeps the catalog's price: still
    // a placeholder, and said to be one.
    fs::write(
        &file,
        "months = 12\n[plan]\nid = \"recruiter_corporate\"\nname = \"Acme contract\"\n\
         [demand]\nper_workday = 3\n",
    )
    .unwrap();
    let out = tmp.path().join("named");
    let stdout = recommend_into(&file, &out, &["--plans", "recruiter_corporate"]);
    assert!(
        stdout.contains("Recruiter Corporate's price, $900.00 a month, is a placeholder"),
        "{stdout}"
    );
}

/// The case of the next tests: Poisson demand of 2.38 a workday (about 52
/// a month), reply rate 10% to 25%, 6 months; Premium Business and Core
/// with every add-on policy as a what-if: 24 candidates. At 2.38 Core
/// without add-ons runs out in about 5% of months (`solve` says 2.386 for
/// 5%): the cheapest candidate sits on the limit, so a recommender that
/// trusted a noisy mean would pick it about half the time.
fn noisy(dir: &Path) -> PathBuf {
    let path = dir.join("noisy.toml");
    let text = "months = 6\n[plan]\nid = \"premium_business\"\n[demand]\nper_workday = 2.38\n";
    fs::write(&path, text).unwrap();
    path
}

fn models(file: &Path, seed: u64) -> (Vec<candidates::Candidate>, Vec<Model>) {
    let choice = Choice {
        plans: vec!["premium_business".into(), "sales_navigator_core".into()],
        seats: (1, 1),
        what_if_addons: true,
        own: None,
        inline: None,
        pooled: false,
        buys_addons: false,
        months: 6,
        open_profiles: false,
    };
    let list = candidates::list(&choice).unwrap();
    let text = fs::read_to_string(file).unwrap();
    let overrides = Overrides {
        seed: Some(seed),
        ..Overrides::default()
    };
    let models = list
        .iter()
        .map(|c| Model::new(candidates::scenario(&text, file, &overrides, c).unwrap()))
        .collect();
    (list, models)
}

const LIMITS: Limits = Limits {
    max_risk: 0.05,
    max_blocked: None,
};

fn recommend_on(file: &Path, seed: u64, max_trials: u64) -> (Vec<Model>, Recommendation) {
    let (list, models) = models(file, seed);
    let settings = Settings {
        limits: LIMITS,
        resolution: 1.0,
        max_trials,
    };
    let e = recommend::run(&list, &models, &settings, &Progress::hidden()).unwrap();
    let months = models[0].scenario.months;
    (models, Recommendation::new(e, months))
}

#[test]
fn recommend_agrees_with_a_brute_force_compare_of_every_candidate_at_full_precision() {
    // Brute force: every candidate on the same 16000 trials (compare's
    // lockstep), the cheapest whose risk's upper 95% end is within 5%.
    // Recommend may stop early; its choice must be the brute force's, or
    // one the brute force finds feasible and within the $1 resolution.
    let tmp = TempDir::new().unwrap();
    let file = noisy(tmp.path());
    let n = 16_000;
    let (models, r) = recommend_on(&file, 1, n);
    let stats = lockstep::simulate(&models, 0..n, &Progress::hidden());
    let summary = CompareSummary::new(&stats);
    let feasible = |i: usize| summary.options[i].ran_out_month.high <= LIMITS.max_risk;
    let cost = |i: usize| summary.options[i].cost.mean / 100.0;
    let brute = (0..models.len())
        .filter(|&i| feasible(i))
        .min_by(|&i, &j| cost(i).total_cmp(&cost(j)))
        .expect("a feasible candidate");
    let chosen = r.chosen.expect("a recommendation");
    assert!(feasible(chosen), "{}", r.scored()[chosen].candidate.id());
    assert!(
        chosen == brute || cost(chosen) - cost(brute) <= 1.0,
        "recommend {} (${:.2}) vs brute force {} (${:.2})",
        r.scored()[chosen].candidate.id(),
        cost(chosen),
        r.scored()[brute].candidate.id(),
        cost(brute)
    );
    // And it spent fewer trials than the brute force.
    assert!(r.elimination.trials_spent() < n * models.len() as u64);
}

#[test]
fn recommend_does_not_choose_a_recruiter_plan_whose_floor_stops_the_user_though_its_credits_last() {
    // 10 InMails every workday, never answered, on Recruiter Corporate
    // (150 credits a month, anniversary renewal on the 1st). The floor
    // (credit-rules §5) sees 100 sent in its window Jan 1-14 at 0%, and
    // after the grace blocks Jan 22 - Feb 4: of January's 220 InMails 150
    // go out (Jan 1-21, using up the grant) and the 70 of Jan 22-30 are
    // refused by the floor, not for lack of credit. It keeps blocking 14
    // days in 35, so no send is ever blocked for lack of credit (500
    // refused over the 6 months, 83.3 a month): a rule that counted only
    // credits would call the plan safe. Two pooled seats split the volume
    // (5 a day each, under the floor's 100 in 14 days) and are feasible.
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("floor.toml");
    fs::write(
        &file,
        "months = 6\n[plan]\nid = \"recruiter_corporate\"\n[demand]\nper_workday = 10\n\
         distribution = \"fixed\"\n[response]\nrate = 0\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let stdout = recommend_into(
        &file,
        &out,
        &["--plans", "recruiter_corporate", "--seats", "1..2"],
    );
    let rows = rows(&out.join("candidates.csv"));
    let one = rows
        .iter()
        .find(|r| r["seats"] == "1")
        .expect("the one-seat candidate");
    assert_eq!(one["feasible"], "no", "{one:?}");
    assert_eq!(num(one, "ran_out_month"), 1.0, "{one:?}");
    for key in ["blocked_per_month", "floor_blocked_per_month"] {
        // Written to six decimals, as summary.csv.
        assert!((num(one, key) - 500.0 / 6.0).abs() < 1e-6, "{key}: {one:?}");
    }
    assert_eq!(rows[0]["seats"], "2", "{stdout}");
    assert_eq!(rows[0]["feasible"], "yes");
    assert_eq!(num(&rows[0], "floor_blocked_per_month"), 0.0);
    assert!(
        stdout.contains("Recruiter response-rate floor refused"),
        "{stdout}"
    );
}

#[test]
fn the_files_seats_multiply_the_teams_volume_as_run_reads_them() {
    // Two seats of 10 InMails a month each (docs/model.md, "Seats": each
    // seat has the file's demand) are a team of 20: recommend must answer
    // exactly as for one seat of 20, every candidate on the same trials.
    let tmp = TempDir::new().unwrap();
    let write = |name: &str, text: &str| {
        let path = tmp.path().join(name);
        fs::write(&path, text).unwrap();
        path
    };
    let rest =
        "months = 12\n[plan]\nid = \"premium_business\"\n[demand]\ndistribution = \"fixed\"\n";
    let two = write(
        "two.toml",
        &format!("seats = 2\n{rest}per_cycle = 10\n[response]\nrate = 0\n"),
    );
    let one = write(
        "one.toml",
        &format!("{rest}per_cycle = 20\n[response]\nrate = 0\n"),
    );
    let args = [
        "--plans",
        "premium_business,sales_navigator_core",
        "--seats",
        "1..2",
    ];
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    recommend_into(&two, &a, &args);
    recommend_into(&one, &b, &args);
    let read = |dir: &Path| fs::read_to_string(dir.join("candidates.csv")).unwrap();
    assert_eq!(read(&a), read(&b));
    // 20 a month on one Premium Business seat (15 credits) runs short.
    let best = rows(&a.join("candidates.csv")).remove(0);
    assert_eq!(best["plan_id"], "sales_navigator_core", "{best:?}");
}

#[test]
fn the_recommended_option_is_within_the_risk_limit_on_fresh_random_numbers() {
    // 20 runs (seeds 1..=20, at most 4000 trials per candidate), each
    // choice then run on 20000 fresh trials (seed + 1000). If each choice
    // is within the limit with probability at least 95%, 17 or more of 20
    // pass with probability 0.984 (binomial, p = 0.95): the test allows up
    // to 3 failures.
    let tmp = TempDir::new().unwrap();
    let file = noisy(tmp.path());
    let mut passed = 0;
    for seed in 1..=20u64 {
        let (_, r) = recommend_on(&file, seed, 4000);
        let chosen = r.chosen.expect("a recommendation");
        let (_, fresh) = models(&file, seed + 1000);
        let model = &fresh[chosen];
        let out = inmail_sim::decide::simulate(model, 0..20_000, &Progress::hidden());
        let risk = inmail_sim::decide::estimate(inmail_sim::decide::Stat::Exhausted, &out, 6).mean;
        if risk <= LIMITS.max_risk {
            passed += 1;
        }
    }
    assert!(passed >= 17, "{passed} of 20 choices within the limit");
}

#[test]
fn the_frontier_is_non_dominated_and_its_risk_falls_as_its_cost_rises() {
    let tmp = TempDir::new().unwrap();
    let file = noisy(tmp.path());
    let out = tmp.path().join("out");
    recommend_into(
        &file,
        &out,
        &[
            "--plans",
            "premium_business,sales_navigator_core",
            "--what-if-addons",
            "--max-trials",
            "4000",
        ],
    );
    let all = rows(&out.join("candidates.csv"));
    let front = rows(&out.join("frontier.csv"));
    assert!(front.len() >= 2, "{front:?}");
    let point = |r: &std::collections::HashMap<String, String>| {
        (num(r, "cost_per_month"), num(r, "ran_out_month"))
    };
    for w in front.windows(2) {
        let (a, b) = (point(&w[0]), point(&w[1]));
        assert!(a.0 < b.0 && a.1 > b.1, "{a:?} then {b:?}");
    }
    for f in &front {
        let (c, r) = point(f);
        let beaten = all
            .iter()
            .map(point)
            .any(|(c2, r2)| c2 <= c && r2 <= r && (c2 < c || r2 < r));
        assert!(!beaten, "{} is beaten", f["candidate"]);
    }
    // Every candidate off the frontier is beaten by one on it.
    for a in all.iter().filter(|a| a["on_frontier"] == "false") {
        let (c, r) = point(a);
        assert!(
            front.iter().map(point).any(|(c2, r2)| c2 <= c && r2 <= r),
            "{}",
            a["candidate"]
        );
    }
}

#[test]
fn bad_recommend_and_solve_options_are_refused_naming_the_option_and_what_is_allowed() {
    let tmp = TempDir::new().unwrap();
    let file = common::repo("scenarios/reference.toml");
    let out = tmp.path().join("out");
    let cases: [(&str, &[&str], &str); 11] = [
        (
            "recommend",
            &["--plans", "inline"],
            "--plans inline: inline names the scenario's own plan when its [plan] is defined \
             inline",
        ),
        (
            "recommend",
            &["--max-blocked", "0"],
            "--max-blocked 0: no number of trials can show that a candidate never blocks",
        ),
        (
            "recommend",
            &["--plans", "sales_navigator"],
            "unknown plan \"sales_navigator\"; known plans: free",
        ),
        (
            "recommend",
            &["--max-risk", "1"],
            "--max-risk 1: a bare 1 is read as a fraction, 100% (every candidate passes), but \
             may mean 1%: write 1% or 100%",
        ),
        (
            "solve",
            &["--param", "demand.per_workday", "--target", "exhausted=1"],
            "--target exhausted=1: a bare 1 is read as a fraction, 100%, but may mean 1%: write \
             exhausted=1% or exhausted=100%",
        ),
        (
            "recommend",
            &["--max-risk", "150%"],
            "--max-risk 150%: expected a share from 0% to 100%",
        ),
        (
            "recommend",
            &["--seats", "0..3"],
            "--seats 0..3: expected a number of seats or a range",
        ),
        (
            "recommend",
            &["--precision", "cheaper=1pp"],
            "--precision cheaper=1pp: expected cost_difference=DOLLARS",
        ),
        (
            "recommend",
            &["--set", "plan.monthly_credits=100"],
            "--set plan.monthly_credits: recommend replaces the scenario's plan",
        ),
        (
            "solve",
            &["--param", "demand.per_workday", "--target", "ran_out=5%"],
            "is not a statistic; the statistics are exhausted",
        ),
        (
            "solve",
            &[
                "--param",
                "demand.per_workday",
                "--target",
                "exhausted=5%",
                "--range",
                "5..1",
            ],
            "--range 5..1",
        ),
    ];
    for (command, args, expected) in cases {
        common::inmail_sim()
            .arg(command)
            .arg(&file)
            .args(args)
            .arg("--out")
            .arg(&out)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(expected));
        assert!(!out.exists(), "{command} {args:?} wrote its folder");
    }
}

#[test]
fn the_scenarios_inline_plan_is_a_candidate_so_staying_is_weighed_against_switching() {
    // The legacy 20-credit plan at $64.99 a month billed annually runs out
    // in about 1% of months at 0.8 InMails a workday: cheaper than any
    // catalog plan that also stays within 5%, so staying is the answer.
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    let stdout = recommend_into(
        &common::repo("scenarios/inline_plan.toml"),
        &out,
        &[
            "--set",
            "demand.per_workday=0.8",
            "--max-trials",
            "1000",
            "--threads",
            "1",
        ],
    );
    let ranked = rows(&out.join("candidates.csv"));
    let best = &ranked[0];
    assert_eq!(best["plan_id"], "inline", "{stdout}");
    assert_eq!(best["candidate"], "inline/annual/never/1");
    assert_eq!(num(best, "cost_per_month"), 64.99);
    assert!(
        stdout.contains(
            "Recommended: Sales Navigator Professional (legacy) as your scenario sets it, \
             billed annually"
        ),
        "{stdout}"
    );
    // Named by --plans like a catalog plan.
    let out = tmp.path().join("named");
    recommend_into(
        &common::repo("scenarios/inline_plan.toml"),
        &out,
        &[
            "--plans",
            "inline",
            "--max-trials",
            "1000",
            "--threads",
            "1",
        ],
    );
    let named = rows(&out.join("candidates.csv"));
    assert!(named.iter().all(|r| r["plan_id"] == "inline"));
    assert_eq!(named.len(), 2, "monthly and annual billing");
    // A scenario that buys add-ons on its own plan: that plan with them is
    // a candidate too, as written and not a what-if.
    let text = fs::read_to_string(common::repo("scenarios/inline_plan.toml")).unwrap();
    let file = tmp.path().join("own_addons.toml");
    fs::write(
        &file,
        format!("{text}\n[addons]\npolicy = \"when_empty\"\npack = 10\nprice = 1\n"),
    )
    .unwrap();
    let out = tmp.path().join("own");
    recommend_into(
        &file,
        &out,
        &[
            "--plans",
            "inline",
            "--max-trials",
            "1000",
            "--threads",
            "1",
        ],
    );
    let own = rows(&out.join("candidates.csv"));
    let with = own
        .iter()
        .find(|r| r["candidate"] == "inline/annual/own/1")
        .expect("the plan with its own add-ons");
    assert_eq!(with["what_if"], "false");
    assert_eq!(num(with, "ran_out_month"), 0.0, "{with:?}");
    assert_eq!(own.len(), 4, "two billings, with and without the add-ons");
}

#[test]
fn a_start_after_the_first_of_the_month_is_said_to_make_calendar_plans_not_like_for_like() {
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("late.toml");
    let text = "months = 12\nstart_date = 2026-01-20\n[plan]\nid = \"sales_navigator_core\"\n\
                [demand]\nper_workday = 1\n";
    fs::write(&file, text).unwrap();
    let args = [
        "--plans",
        "sales_navigator_core,premium_business",
        "--max-trials",
        "1000",
    ];
    let stdout = recommend_into(&file, &tmp.path().join("late"), &args);
    assert!(
        stdout.contains("Note: your scenario starts on 2026-01-20, not on the 1st"),
        "{stdout}"
    );
    fs::write(&file, text.replace("2026-01-20", "2026-02-01")).unwrap();
    let stdout = recommend_into(&file, &tmp.path().join("first"), &args);
    assert!(!stdout.contains("not on the 1st"), "{stdout}");
}

#[test]
fn candidates_csv_writes_money_to_the_hundredth_of_a_cent_and_shares_to_six_decimals_or_digits() {
    let tmp = TempDir::new().unwrap();
    let file = noisy(tmp.path());
    let out = tmp.path().join("out");
    recommend_into(
        &file,
        &out,
        &[
            "--plans",
            "premium_business",
            "--what-if-addons",
            "--max-trials",
            "1000",
        ],
    );
    for row in rows(&out.join("candidates.csv")) {
        for (key, most) in [
            ("cost_per_month", 4),
            ("cost_ci95_low", 4),
            ("ran_out_month", 6),
            ("blocked_per_month", 6),
            ("confidence", 6),
        ] {
            // Small shares in exponent form, six significant digits.
            let (digits, most) = match row[key].split_once('e') {
                Some((mantissa, _)) => (mantissa, 5),
                None => (row[key].as_str(), most),
            };
            let decimals = digits.split_once('.').map_or(0, |(_, d)| d.len());
            assert!(decimals <= most, "{key} = {}", row[key]);
            assert!(row[key].parse::<f64>().is_ok(), "{key} = {}", row[key]);
        }
    }
}

#[test]
fn with_max_blocked_nothing_feasible_names_the_fewest_blocked_sends_not_only_the_lowest_chance() {
    // 19 InMails a month, no responses: Premium Business (15 credits a
    // month) blocks 4 a month and runs out every month. Its chance, 100%,
    // is within a 100% limit; its blocked sends fail --max-blocked 1, and
    // the answer must name them, not only the (met) lowest chance.
    let tmp = TempDir::new().unwrap();
    let file = fixed_case(tmp.path(), 19);
    let out = tmp.path().join("out");
    let stdout = common::succeed(
        "recommend",
        &[&file],
        &out,
        &[
            "--plans",
            "premium_business",
            "--max-risk",
            "100%",
            "--max-blocked",
            "1",
            "--max-trials",
            "1000",
        ],
    );
    assert!(
        stdout.contains("No candidate keeps the chance a month runs out within 100.00%"),
        "{stdout}"
    );
    assert!(
        stdout.contains("the fewest blocked sends are 4.000 a month (Premium Business"),
        "{stdout}"
    );
}

#[test]
fn with_a_backlog_recommend_says_its_blocked_sends_are_send_attempts_each_retry_counted() {
    // 19 InMails a month with a backlog, no responses: on Premium Business
    // (15 credits) the 4 left over wait and are tried again each send day,
    // each try counted in blocked, so "blocked sends" (the words without a
    // backlog, checked above) would misread the count as InMails.
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("backlog.toml");
    fs::write(
        &file,
        "months = 12\n[plan]\nid = \"premium_business\"\n[demand]\nper_cycle = 19\n\
         distribution = \"fixed\"\nbacklog = true\n[response]\nrate = 0\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let args = [
        "--plans",
        "premium_business",
        "--max-risk",
        "100%",
        "--max-blocked",
        "1",
        "--max-trials",
        "1000",
    ];
    let stdout = common::succeed("recommend", &[&file], &out, &args);
    let attempts = "send attempts blocked (each retry)";
    assert!(
        stdout.contains(&format!(" and its {attempts} within 1 a month")),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("; the fewest {attempts} are ")),
        "{stdout}"
    );
    let note = "blocked: send attempts a month that could not go out, a waiting InMail \
                counting each day it is retried";
    assert!(stdout.contains(note), "the table's note\n{stdout}");
    let page = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(page.contains(attempts) && page.contains(note), "{page}");
    for said in [&stdout, &page] {
        assert!(!said.contains("blocked sends"), "{said}");
    }

    // A limit the candidates meet: the verdict's limit is attempts too.
    let out = tmp.path().join("met");
    let stdout = common::succeed(
        "recommend",
        &[&file],
        &out,
        &[
            "--plans",
            "premium_business",
            "--max-risk",
            "100%",
            "--max-blocked",
            "100000",
            "--max-trials",
            "1000",
        ],
    );
    assert!(
        stdout.contains(&format!("the 100.00% limit and 100000 {attempts} a month")),
        "{stdout}"
    );
}

#[test]
fn the_free_plan_is_a_candidate_when_recipients_have_open_profiles() {
    // Every recipient an Open Profile, 10 a month within the limit: the
    // free plan sends them all at $0.
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("open.toml");
    fs::write(
        &file,
        "months = 12\n[plan]\nid = \"premium_career\"\n[demand]\nper_cycle = 10\n\
         distribution = \"fixed\"\n[open_profile]\nshare = 1\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let stdout = recommend_into(&file, &out, &["--max-trials", "1000"]);
    let best = rows(&out.join("candidates.csv")).remove(0);
    assert_eq!(best["plan_id"], "free", "{stdout}");
    assert_eq!(num(&best, "cost_per_month"), 0.0);
    // Without Open Profiles it is no candidate: it could send nothing.
    fs::write(
        &file,
        "months = 12\n[plan]\nid = \"premium_career\"\n[demand]\nper_cycle = 10\n",
    )
    .unwrap();
    let out = tmp.path().join("closed");
    recommend_into(&file, &out, &["--max-trials", "1000"]);
    assert!(
        rows(&out.join("candidates.csv"))
            .iter()
            .all(|r| r["plan_id"] != "free")
    );
}

#[test]
fn pooled_seats_on_a_plan_that_does_not_pool_are_a_what_if_in_every_output() {
    // `pooled = true` on Sales Navigator seats, which keep one ledger each
    // (an independent check: 4 pooled seats ran out 1% of months, 4 real
    // ones 9%, and recommend said nothing).
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("pool.toml");
    fs::write(
        &file,
        "months = 12\nseats = 3\n[plan]\nid = \"sales_navigator_core\"\npooled = true\n\
         [demand]\nper_workday = 2\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let stdout = recommend_into(
        &file,
        &out,
        &[
            "--max-trials",
            "1000",
            "--plans",
            "sales_navigator_core,premium_business",
        ],
    );
    assert!(
        stdout.contains("what-if: Sales Navigator Core seats do not share their credits"),
        "{stdout}"
    );
    for r in rows(&out.join("candidates.csv")) {
        let pooled_core = r["plan_id"] == "sales_navigator_core";
        assert_eq!(r["what_if"], pooled_core.to_string(), "{r:?}");
    }
    let meta = fs::read_to_string(out.join("metadata.csv")).unwrap();
    assert!(meta.contains("what_if,"), "{meta}");
    assert!(
        fs::read_to_string(out.join("report.html"))
            .unwrap()
            .contains("(what-if: seats pooled)")
    );
    // Without the key, nothing is a what-if.
    fs::write(
        &file,
        "months = 12\nseats = 3\n[plan]\nid = \"sales_navigator_core\"\n[demand]\nper_workday = 2\n",
    )
    .unwrap();
    let out = tmp.path().join("unpooled");
    let stdout = recommend_into(
        &file,
        &out,
        &["--max-trials", "1000", "--plans", "sales_navigator_core"],
    );
    assert!(!stdout.contains("what-if"), "{stdout}");
}
