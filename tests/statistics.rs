//! Statistical checks of the simulator against expectations computed by
//! hand or exactly from the model's own distributions.
//!
//! Tolerance: a simulated mean must lie within 4 standard errors of the
//! exact expectation. The standard error is the run's own (`Summary::se`,
//! the sample sd over √n; trials are independent), or the binomial formula
//! √(p(1−p)/n) for a proportion. Means over ≥ 10,000 trials are normal to
//! far better than the tolerance needs, and a 4-se miss has probability
//! ≈ 6.3e-5 per check when the model is right: with the 40 such checks
//! here, a false alarm is about a 1-in-400 event, and the seeds are fixed,
//! so a run that passes keeps passing. Where the outcome is certain (fixed
//! demand, fixed delay, rate 0) the check is exact equality.

mod common;

use common::model;
use inmail_sim::engine::{Metric, Model, ReferenceSimulator};
use inmail_sim::runner::{Progress, simulate};
use inmail_sim::stats::{Histogram, RunStats, Summary};

/// How many standard errors a mean may be off (see the module doc).
const Z: f64 = 4.0;

fn run(model: &Model, trials: u64) -> RunStats {
    simulate(model, 0..trials, &Progress::hidden())
}

fn cycle_histogram(stats: &RunStats, cycle: usize, metric: Metric) -> &Histogram {
    stats.in_cycle(cycle, metric)
}

fn cycle_summary(stats: &RunStats, cycle: usize, metric: Metric) -> Summary {
    cycle_histogram(stats, cycle, metric).summary().unwrap()
}

fn horizon_summary(stats: &RunStats, metric: Metric) -> Summary {
    stats.horizon_of(metric).summary().unwrap()
}

/// The metric has this value in every trial.
fn assert_always(stats: &RunStats, cycle: usize, metric: Metric, value: i64) {
    let h = cycle_histogram(stats, cycle, metric);
    let s = h.summary().unwrap();
    assert_eq!(
        (s.min, s.max, h.none_count()),
        (value, value, 0),
        "{} in cycle {}",
        metric.name(),
        cycle + 1
    );
}

fn assert_close(what: &str, mean: f64, expected: f64, se: f64) {
    assert!(
        (mean - expected).abs() <= Z * se,
        "{what}: simulated {mean}, expected {expected}, off by {:.2} se (se {se})",
        (mean - expected) / se
    );
}

/// P(N = k) for N ~ Poisson(lambda), k = 0..=max, by the recurrence
/// p(k) = p(k−1)·λ/k (exact to rounding for λ well below 700).
fn poisson_pmf(lambda: f64, max: u32) -> Vec<f64> {
    let mut p = vec![(-lambda).exp()];
    for k in 1..=max {
        p.push(p[k as usize - 1] * lambda / f64::from(k));
    }
    p
}

/// A plan that never runs out and never trims: every demanded InMail is
/// sent, so the counts below depend only on demand, rate and delay.
const BOTTOMLESS_PLAN: &str = r#"
[plan]
monthly_credits = 100000
cap = 10000000
expiry_days = "none"
renewal = "calendar"
price_monthly = 0
"#;

#[test]
fn refunds_in_a_middle_cycle_match_the_exact_expectation_from_the_delay_table() {
    // Poisson demand, the default beta rate and lognormal delay, a 5-day
    // refund window so that the window bites. Refunds counted in a cycle are
    // for responses arriving in it: E[refunds in cycle c] =
    // E[p] · Σ_send days s  E[demand(s)] · Σ_{k ≤ window, s+k in c} P(D = k),
    // since p and the demand are independent and nothing is ever blocked.
    let m = model(&format!(
        "seed = 11\nmonths = 4\n{BOTTOMLESS_PLAN}\n[demand]\nper_workday = 6\n\
         [refunds]\nwindow_days = 5\n"
    ));
    let sc = &m.scenario;
    let (window, table) = (sc.refunds.window_days, &sc.delay.table);
    let c = 2; // March 2026: two cycles of sends before it, one after.
    let cycle = sc.horizon.cycles[c];
    let in_cycle = |day: u32| (cycle.first_day..cycle.first_day + cycle.len).contains(&day);
    let (mut refunds, mut responses) = (0.0, 0.0);
    for s in (0..sc.horizon.days()).filter(|&s| m.demand.is_send_day(s)) {
        for k in (1..=table.max_day()).filter(|&k| in_cycle(s + k)) {
            let expected = m.demand.mean(s) * table.prob(k);
            responses += expected;
            if k <= window {
                refunds += expected;
            }
        }
    }
    let p = sc.response.sampler.mean();
    let stats = run(&m, 10_000);
    let got = cycle_summary(&stats, c, Metric::Refunds);
    assert_close("refunds in March", got.mean, p * refunds, got.se);
    let got = cycle_summary(&stats, c, Metric::Responses);
    assert_close("responses in March", got.mean, p * responses, got.se);
    // The window matters here, so the two checks test different sums.
    assert!(responses > refunds * 1.05);
}

#[test]
fn fixed_demand_above_the_grant_blocks_exactly_the_excess_on_a_day_known_by_hand() {
    // 50 credits, rate 0 (no refunds), 60 InMails a cycle, fixed.
    // January 2026 has 22 workdays: 60/22 a day, so after the j-th workday
    // floor(60j/22) have been demanded; that first passes 50 at j = 19
    // (51), the 19th workday being Tuesday 27 January. February has 20
    // workdays at exactly 3 a day: 3j > 50 first at j = 17, Tuesday 24
    // February. Both months block 60 − 50 = 10 in every trial.
    let m = model(
        "seed = 5\nmonths = 2\n[plan]\nmonthly_credits = 50\ncap = 150\nexpiry_days = 90\n\
         renewal = \"calendar\"\nprice_monthly = 0\n\
         [demand]\nper_cycle = 60\ndistribution = \"fixed\"\n[response]\nrate = 0\n",
    );
    let stats = run(&m, 300);
    for (c, first_day) in [(0, 27), (1, 24)] {
        assert_always(&stats, c, Metric::Demand, 60);
        assert_always(&stats, c, Metric::SentPaid, 50);
        assert_always(&stats, c, Metric::Blocked, 10);
        assert_always(&stats, c, Metric::Exhausted, 1);
        assert_always(&stats, c, Metric::FirstBlockedDay, first_day);
        assert_always(&stats, c, Metric::EndBalance, 0);
    }
}

#[test]
fn the_chance_of_running_out_with_poisson_demand_is_the_poisson_tail_above_the_grant() {
    // Rate 0, one cycle, 50 credits: the cycle is exhausted iff its total
    // demand N ~ Poisson(45) (a sum of independent daily Poissons) exceeds
    // 50. Without a cap on add-ons the shortfall is bought instead, credit
    // by credit: E[purchased] = E[(N − 50)+].
    let text = |addons: &str| {
        format!(
            "seed = 3\nmonths = 1\n[plan]\nmonthly_credits = 50\ncap = 150\nexpiry_days = 90\n\
             renewal = \"calendar\"\nprice_monthly = 0\n\
             [demand]\nper_cycle = 45\n[response]\nrate = 0\n[addons]\n{addons}"
        )
    };
    let pmf = poisson_pmf(45.0, 400);
    let p_out: f64 = pmf[51..].iter().sum();
    let shortfall: f64 = (51..pmf.len()).map(|k| (k - 50) as f64 * pmf[k]).sum();
    let n = 20_000;

    let stats = run(&model(&text("policy = \"never\"")), n);
    let exhausted = cycle_summary(&stats, 0, Metric::Exhausted).mean;
    let se = (p_out * (1.0 - p_out) / n as f64).sqrt();
    assert_close("P(exhausted)", exhausted, p_out, se);

    let stats = run(&model(&text("policy = \"when_empty\"")), n);
    assert_always(&stats, 0, Metric::Blocked, 0);
    let bought = cycle_summary(&stats, 0, Metric::Purchased);
    assert_close("E[purchased]", bought.mean, shortfall, bought.se);
}

#[test]
fn the_share_of_answered_inmails_averages_the_mean_of_the_default_rate_distribution() {
    // Fixed demand of 5 a workday in January 2026 (22 workdays: 110 sends)
    // and a fixed 1-day delay: the last sends, on Friday 30 January, are
    // answered on the 31st, inside the horizon, so every response counts
    // and responses ~ Binomial(110, p) with p drawn per trial from the
    // default beta. E[responses / 110] = E[p].
    let m = model(&format!(
        "seed = 17\nmonths = 1\n{BOTTOMLESS_PLAN}\n[demand]\nper_workday = 5\n\
         distribution = \"fixed\"\n[delay]\ndistribution = \"fixed\"\ndays = 1\n"
    ));
    let stats = run(&m, 20_000);
    assert_always(&stats, 0, Metric::SentPaid, 110);
    let got = horizon_summary(&stats, Metric::Responses);
    let p = m.scenario.response.sampler.mean();
    assert!((0.10..0.25).contains(&p), "default E[p] = {p}");
    assert_close("responses / sends", got.mean / 110.0, p, got.se / 110.0);
}

#[test]
fn open_profiles_take_their_share_of_demand_and_stop_at_the_limit() {
    // 110 fixed sends, 30% Open Profiles: sent_free ~ Binomial(110, 0.3).
    // With a limit of 30 a cycle, sent_free = min(X, 30), whose mean is
    // computed from the binomial pmf.
    let text = |limit: &str| {
        format!(
            "seed = 23\nmonths = 1\n{BOTTOMLESS_PLAN}\n[demand]\nper_workday = 5\n\
             distribution = \"fixed\"\n[response]\nrate = 0\n\
             [open_profile]\nshare = 0.3\n{limit}"
        )
    };
    let (n, sends, share) = (20_000, 110u32, 0.3f64);
    let stats = run(&model(&text("")), n);
    assert_always(&stats, 0, Metric::Demand, 110);
    assert_always(&stats, 0, Metric::Blocked, 0);
    let free = cycle_summary(&stats, 0, Metric::SentFree);
    let f = f64::from(sends);
    assert_close("sent_free / demand", free.mean / f, share, free.se / f);

    let mut binomial = vec![(1.0 - share).powi(sends as i32)];
    for k in 1..=sends {
        let prev = binomial[k as usize - 1];
        binomial.push(prev * f64::from(sends - k + 1) / f64::from(k) * share / (1.0 - share));
    }
    let capped: f64 = (0..=sends)
        .map(|k| f64::from(k.min(30)) * binomial[k as usize])
        .sum();
    let stats = run(&model(&text("limit = 30")), n);
    let free = cycle_summary(&stats, 0, Metric::SentFree);
    assert!(free.max <= 30);
    assert_close("E[min(free, 30)]", free.mean, capped, free.se);
}

#[test]
fn open_profile_messages_blocked_past_the_limit_never_go_out_free_from_the_backlog() {
    // Issue 17, §8.1. No credits at all, Poisson demand of 1 a workday,
    // half of it to Open Profiles, 10 free a cycle, a backlog. Messages
    // past the limit need a credit and, blocked, wait as such: nothing in
    // the backlog ever goes out, so each cycle's free messages are
    // min(10, X) with X ~ Poisson(0.5 × its workdays) its own new Open
    // Profile demand (a thinned Poisson count): January 22 workdays,
    // February 20, March 22. Were blocked Open Profile messages still free,
    // January's overflow (E ≈ 1.8) would fill February's free slots first
    // and its mean would be about 0.5 higher (≈ 50 se). Both engines,
    // 20,000 trials each, within 4 se of the exact mean.
    let text = "seed = 31\nmonths = 3\n[plan]\nid = \"free\"\n[demand]\nper_workday = 1\n\
                backlog = true\n[response]\nrate = 0.2\n\
                [open_profile]\nshare = 0.5\nlimit = 10\n";
    let model = model(text);
    let n = 20_000;
    for (engine, stats) in [
        ("fast", run(&model, n)),
        ("reference", run_reference(&model, n)),
    ] {
        for (cycle, workdays) in [(0, 22.0), (1, 20.0), (2, 22.0)] {
            assert_always(&stats, cycle, Metric::SentPaid, 0);
            // Σ_{k<10} k·P(X = k) + 10·P(X ≥ 10).
            let pmf = poisson_pmf(0.5 * workdays, 9);
            let below: f64 = pmf.iter().sum();
            let expected = (0..10).map(|k| k as f64 * pmf[k]).sum::<f64>() + 10.0 * (1.0 - below);
            let free = cycle_summary(&stats, cycle, Metric::SentFree);
            let what = format!("{engine}: E[min(10, X)] in cycle {}", cycle + 1);
            assert_close(&what, free.mean, expected, free.se);
        }
    }
}

#[test]
fn when_empty_add_ons_buy_exactly_the_shortfall_in_whole_packs_and_never_block() {
    // 50 credits, 60 fixed InMails a cycle, rate 0, 90-day expiry, cap 150.
    // Pack 1: each cycle buys 60 − 50 = 10. Pack 3: January buys 4 packs
    // (12) and keeps 2; February has 52, needs 8, buys 3 packs (9), keeps
    // 1; March has 51, needs 9, buys 9 and keeps 0.
    let text = |pack: u32| {
        format!(
            "seed = 2\nmonths = 3\n[plan]\nmonthly_credits = 50\ncap = 150\nexpiry_days = 90\n\
             renewal = \"calendar\"\nprice_monthly = 0\n\
             [demand]\nper_cycle = 60\ndistribution = \"fixed\"\n[response]\nrate = 0\n\
             [addons]\npolicy = \"when_empty\"\npack = {pack}\nprice = 10\n"
        )
    };
    let stats = run(&model(&text(1)), 200);
    for c in 0..3 {
        assert_always(&stats, c, Metric::Blocked, 0);
        assert_always(&stats, c, Metric::Purchased, 10);
        assert_always(&stats, c, Metric::AddonSpend, 10 * 1000);
        assert_always(&stats, c, Metric::EndBalance, 0);
    }
    let stats = run(&model(&text(3)), 200);
    for (c, bought, kept) in [(0, 12, 2), (1, 9, 1), (2, 9, 0)] {
        assert_always(&stats, c, Metric::Blocked, 0);
        assert_always(&stats, c, Metric::SentPaid, 60);
        assert_always(&stats, c, Metric::Purchased, bought);
        assert_always(&stats, c, Metric::AddonSpend, bought * 1000);
        assert_always(&stats, c, Metric::EndBalance, kept);
    }
}

/// Every trial of `model` on the reference engine (one draw per decision).
fn run_reference(model: &Model, trials: u64) -> RunStats {
    let mut stats = RunStats::new(model.scenario.months);
    let mut sim = ReferenceSimulator::new(model);
    for trial in 0..trials {
        sim.run_trial(trial, &mut stats);
    }
    stats
}

/// 110 fixed sends in January 2026, rate 20%, answered after 1 day,
/// follow-ups after 6 days at half the rate, under `rule`.
fn follow_up_model(rule: &str) -> Model {
    model(&format!(
        "seed = 29\nmonths = 1\n{BOTTOMLESS_PLAN}\n[demand]\nper_workday = 5\n\
         distribution = \"fixed\"\n[response]\nrate = 0.2\n\
         [delay]\ndistribution = \"fixed\"\ndays = 1\n\
         [follow_ups]\nenabled = true\nafter_days = 6\nresponse_factor = 0.5\nrule = \"{rule}\"\n"
    ))
}

// Expectations for `follow_up_model`: the messages of the 17 workdays up to
// day 24 (85) are followed up on day d + 6 ≤ 30 when unanswered (0.8), so
// E[follow-ups] = 85 · 0.8 = 68; each is answered with 0.5 · 0.2 = 0.1 a
// day later, inside January. The 110 first messages are answered with 0.2,
// the last on day 30: E[responses] = 22 + 6.8 = 28.8.
const FOLLOW_UPS: f64 = 68.0;
const FIRST_ANSWERS: f64 = 22.0;
const FOLLOW_UP_ANSWERS: f64 = 6.8;

#[test]
fn follow_ups_go_to_the_unanswered_share_and_are_answered_at_the_factor_times_the_rate() {
    let m = follow_up_model("standard");
    let n = 20_000;
    for (engine, stats) in [("fast", run(&m, n)), ("reference", run_reference(&m, n))] {
        let f = cycle_summary(&stats, 0, Metric::FollowUps);
        assert_close(&format!("{engine}: follow-ups"), f.mean, FOLLOW_UPS, f.se);
        let r = cycle_summary(&stats, 0, Metric::Responses);
        let expected = FIRST_ANSWERS + FOLLOW_UP_ANSWERS;
        assert_close(&format!("{engine}: responses"), r.mean, expected, r.se);
        // Every follow-up costs a credit when sent.
        let paid = cycle_summary(&stats, 0, Metric::SentPaid);
        assert_close(
            &format!("{engine}: sent_paid"),
            paid.mean,
            110.0 + FOLLOW_UPS,
            paid.se,
        );
    }
}

#[test]
fn a_follow_up_to_a_message_answered_after_the_horizon_gets_no_answer_of_its_own() {
    // Issue 17 §5: "never answered" means never, not "not by the end of the
    // horizon". One send a day in January, everyone answers (p = 1), half
    // after 1 day and half after 60 (past the horizon); follow-ups after 2
    // days at half the rate. A message answered after 1 day is answered
    // before its follow-up day; one answered after 60 days is followed up
    // (days 0–28: E = 14.5) but its recipient answers once, after the
    // horizon: the follow-up gets no chance of its own. January's answers
    // are then those of the messages of days 0–29 with a 1-day delay:
    // Binomial(30, 1/2), E = 15. (Were such a follow-up treated as never
    // answered, half of those of days 0–27 would be answered, half of
    // those a day later: 3.5 more, about 180 se.) Both engines, 20,000
    // trials, within 4 se.
    let text = format!(
        "seed = 37\nmonths = 1\n{BOTTOMLESS_PLAN}\n[demand]\nper_week = 7\nweekends = true\n\
         distribution = \"fixed\"\n[response]\nrate = 1\n\
         [delay]\ndistribution = \"empirical\"\ntable = [[1, 0.5], [60, 0.5]]\n\
         [follow_ups]\nenabled = true\nafter_days = 2\nresponse_factor = 0.5\n"
    );
    let model = model(&text);
    let n = 20_000;
    for (engine, stats) in [
        ("fast", run(&model, n)),
        ("reference", run_reference(&model, n)),
    ] {
        let follow_ups = cycle_summary(&stats, 0, Metric::FollowUps);
        let what = format!("{engine}: follow-ups");
        assert_close(&what, follow_ups.mean, 14.5, follow_ups.se);
        let responses = cycle_summary(&stats, 0, Metric::Responses);
        let what = format!("{engine}: responses");
        assert_close(&what, responses.mean, 15.0, responses.se);
    }
}

#[test]
fn recruiter_follow_ups_are_charged_up_front_and_returned_when_the_first_is_answered() {
    // Help 417098: every message is charged twice when sent (220 in every
    // trial); an answer to the first message (delay 1 ≤ 6) returns the
    // follow-up's credit: E[returned] = 22.
    let m = follow_up_model("recruiter");
    let n = 20_000;
    for (engine, stats) in [("fast", run(&m, n)), ("reference", run_reference(&m, n))] {
        assert_always(&stats, 0, Metric::SentPaid, 220);
        let f = cycle_summary(&stats, 0, Metric::FollowUps);
        assert_close(&format!("{engine}: follow-ups"), f.mean, FOLLOW_UPS, f.se);
        let back = cycle_summary(&stats, 0, Metric::FollowUpsReturned);
        assert_close(
            &format!("{engine}: returned"),
            back.mean,
            FIRST_ANSWERS,
            back.se,
        );
        let r = cycle_summary(&stats, 0, Metric::Refunds);
        let expected = FIRST_ANSWERS + FOLLOW_UP_ANSWERS;
        assert_close(&format!("{engine}: refunds"), r.mean, expected, r.se);
    }
}

#[test]
fn seats_have_independent_recipients_and_pooling_changes_the_chance_of_running_out() {
    // Three seats apart, 110 fixed sends each, rate 20%, bottomless:
    // responses ~ Binomial(330, 0.2) if the seats' recipients are
    // independent (variance 52.8), not 3 · Binomial(110, 0.2) (variance
    // 158.4) if they were copies. The sample variance of n = 20,000 has a
    // standard error of σ²·√(2/(n−1)) (normal to within the binomial's excess
    // kurtosis of 0.0008), so 4 se is 4% of 52.8.
    let m = model(&format!(
        "seed = 31\nmonths = 1\nseats = 3\n{BOTTOMLESS_PLAN}\n[demand]\nper_workday = 5\n\
         distribution = \"fixed\"\n[response]\nrate = 0.2\n\
         [delay]\ndistribution = \"fixed\"\ndays = 1\n"
    ));
    let n = 20_000u64;
    let stats = run(&m, n);
    assert_always(&stats, 0, Metric::SentPaid, 330);
    let r = cycle_summary(&stats, 0, Metric::Responses);
    assert_close("responses", r.mean, 66.0, r.se);
    let variance = 330.0 * 0.2 * 0.8;
    let se = variance * (2.0 / (n as f64 - 1.0)).sqrt();
    assert_close("variance of responses", r.sd * r.sd, variance, se);

    // Two seats of 50 credits, Poisson(45) each a cycle, rate 0. Apart, the
    // cycle is exhausted when either seat's demand passes 50; pooled (one
    // ledger of 100), when their sum, Poisson(90), passes 100.
    let text = |pooled: bool| {
        format!(
            "seed = 37\nmonths = 1\nseats = 2\n[plan]\nmonthly_credits = 50\ncap = 150\n\
             expiry_days = 90\nrenewal = \"calendar\"\nprice_monthly = 0\npooled = {pooled}\n\
             [demand]\nper_cycle = 45\n[response]\nrate = 0\n"
        )
    };
    let one: f64 = poisson_pmf(45.0, 400)[51..].iter().sum();
    let apart = 1.0 - (1.0 - one) * (1.0 - one);
    let pooled: f64 = poisson_pmf(90.0, 500)[101..].iter().sum();
    for (is_pooled, p) in [(false, apart), (true, pooled)] {
        let stats = run(&model(&text(is_pooled)), n);
        let got = cycle_summary(&stats, 0, Metric::Exhausted).mean;
        let se = (p * (1.0 - p) / n as f64).sqrt();
        assert_close(&format!("P(exhausted), pooled {is_pooled}"), got, p, se);
    }
}

#[test]
fn the_recruiter_floor_triggers_alike_in_both_engines_for_users_near_the_threshold() {
    // Rates uniform between 5% and 25% (around the 13% floor), 10 InMails a
    // day, lognormal delays: the floor blocks some trials and not others.
    // The two engines draw recipients differently but implement one model,
    // so their mean blocked days must agree within 4 standard errors of the
    // difference, √(se₁² + se₂²).
    let m = model(
        "seed = 41\nmonths = 3\n[plan]\nid = \"recruiter_lite\"\nmonthly_credits = 1000\n\
         cap = 4000\n[demand]\nper_week = 70\nweekends = true\n\
         [response]\nrate = { distribution = \"uniform\", low = 0.05, high = 0.25 }\n",
    );
    let n = 4_000;
    let fast = horizon_summary(&run(&m, n), Metric::FloorBlockedDays);
    let reference = horizon_summary(&run_reference(&m, n), Metric::FloorBlockedDays);
    assert!(fast.mean > 1.0 && fast.mean < 20.0, "{fast:?}");
    let se = (fast.se * fast.se + reference.se * reference.se).sqrt();
    assert_close(
        "floor days, fast vs reference",
        fast.mean,
        reference.mean,
        se,
    );
}

/// April 2026 as the first month after a switch to Premium Business, and
/// April 2026 as the first month of a fresh Premium Business subscription.
fn april_on_premium_business(after_a_switch: bool) -> Model {
    let demand = "[demand]\nper_workday = 1.2\n";
    let text = if after_a_switch {
        format!(
            "seed = 11\nmonths = 4\n[plan]\nid = \"sales_navigator_core\"\n{demand}\
             [[plan_change]]\nfrom_cycle = 4\nplan = {{ id = \"premium_business\" }}\n"
        )
    } else {
        format!(
            "seed = 12\nmonths = 1\nstart_date = \"2026-04-01\"\n[plan]\nid = \"premium_business\"\n{demand}"
        )
    };
    model(&text)
}

#[test]
fn after_a_plan_change_the_month_behaves_like_a_fresh_start_on_the_new_plan() {
    // Credits do not carry over (Help 57013, 75) and refunds still on their
    // way are lost, so April after the switch has the same distribution as
    // April of a subscription started that day, except for responses to
    // March's InMails, which still arrive. The two runs use different seeds,
    // so they are independent: the se of the difference is the root of the
    // sum of squares.
    let trials = 20_000;
    let switched = run(&april_on_premium_business(true), trials);
    let fresh = run(&april_on_premium_business(false), trials);
    for metric in [
        Metric::Exhausted,
        Metric::SentPaid,
        Metric::Blocked,
        Metric::Refunds,
        Metric::Granted,
        Metric::PlanCost,
    ] {
        let a = cycle_summary(&switched, 3, metric);
        let b = cycle_summary(&fresh, 0, metric);
        let se = (a.se * a.se + b.se * b.se).sqrt();
        if se == 0.0 {
            assert_eq!(a.mean, b.mean, "{}", metric.name());
        } else {
            assert_close(metric.name(), a.mean, b.mean, se);
        }
    }
    // The whole March balance is forfeited at the switch, and nothing before.
    assert!(cycle_summary(&switched, 3, Metric::Forfeited).mean > 0.0);
    assert_always(&switched, 2, Metric::Forfeited, 0);
}

/// `calibrate` (issue 20) on synthetic histories.
#[path = "statistics/calibrate.rs"]
mod calibrate;
