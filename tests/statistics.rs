//! Statistical checks of the simulator against expectations computed by
//! hand or exactly from the model's own distributions.
//!
//! Tolerance: a simulated mean must lie within 4 standard errors of the
//! exact expectation. The standard error is the run's own (`Summary::se`,
//! the sample sd over √n; trials are independent), or the binomial formula
//! √(p(1−p)/n) for a proportion. Means over ≥ 10,000 trials are normal to
//! far better than the tolerance needs, and a 4-se miss has probability
//! ≈ 6.3e-5 per check when the model is right: with the seven such checks
//! here, a false alarm is about a 1-in-2000 event, and the seeds are fixed,
//! so a run that passes keeps passing. Where the outcome is certain (fixed
//! demand, fixed delay, rate 0) the check is exact equality.

mod common;

use common::model;
use inmail_sim::engine::{CYCLE_METRICS, HORIZON_METRICS, Metric, Model};
use inmail_sim::runner::{Progress, simulate};
use inmail_sim::stats::{Histogram, RunStats, Summary};

/// How many standard errors a mean may be off (see the module doc).
const Z: f64 = 4.0;

fn run(model: &Model, trials: u64) -> RunStats {
    simulate(model, 0..trials, &Progress::hidden())
}

fn cycle_histogram(stats: &RunStats, cycle: usize, metric: Metric) -> &Histogram {
    let i = CYCLE_METRICS.iter().position(|m| *m == metric).unwrap();
    &stats.per_cycle[cycle][i]
}

fn cycle_summary(stats: &RunStats, cycle: usize, metric: Metric) -> Summary {
    cycle_histogram(stats, cycle, metric).summary().unwrap()
}

fn horizon_summary(stats: &RunStats, metric: Metric) -> Summary {
    let i = HORIZON_METRICS.iter().position(|m| *m == metric).unwrap();
    stats.horizon[i].summary().unwrap()
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
