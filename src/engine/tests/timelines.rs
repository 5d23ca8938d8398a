//! Hand-worked timelines of whole trials: fixed demand, fixed rate, fixed
//! delay, run on both engines.
//!
//! With `rate = 0` or `1`, `distribution = "fixed"` demand and a fixed delay,
//! every trial is the same, so each test can state its timeline day by day
//! (credit-rules.md §3, §4, §8) and check exact metrics. Day 0 is
//! 2026-01-01, a Thursday, unless a test says otherwise; weekdays of the
//! first days: 0 Thu, 1 Fri, 2 Sat, 3 Sun, 4 Mon. January 2026 has 22
//! workdays (0, 1, 4–8, 11–15, 18–22, 25–29), February (days 31–58) 20.

use crate::engine::*;
use crate::scenario::{Overrides, parse};
use std::fmt::Write;
use std::path::Path;

/// Every test starts from this; a change `table.key = value` replaces the
/// key or adds it. No demand volume here: each test says its own.
const BASE: &[&str] = &[
    "months = 1",
    "plan.monthly_credits = 10",
    "plan.cap = 100",
    "plan.expiry_days = 90",
    "plan.renewal = \"calendar\"",
    "plan.price_monthly = 10",
    "demand.distribution = \"fixed\"",
    "response.rate = 0",
    "delay.distribution = \"fixed\"",
    "delay.days = 1",
];

/// One send every day: 7 a week spread over 7 days (§8.7).
pub(in crate::engine) const DAILY: [&str; 2] = ["demand.per_week = 7", "demand.weekends = true"];

pub(in crate::engine) fn toml(changes: &[&str]) -> String {
    let mut keys: Vec<(&str, &str, &str)> = Vec::new();
    for line in BASE.iter().chain(changes) {
        let (path, value) = line.split_once(" = ").expect("`key = value`");
        let (table, key) = path.split_once('.').unwrap_or(("", path));
        match keys.iter_mut().find(|(t, k, _)| (*t, *k) == (table, key)) {
            Some(entry) => entry.2 = value,
            None => keys.push((table, key, value)),
        }
    }
    let mut tables = vec![""];
    for (table, _, _) in &keys {
        if !tables.contains(table) {
            tables.push(table);
        }
    }
    let mut text = String::new();
    for table in tables {
        if !table.is_empty() {
            writeln!(text, "[{table}]").unwrap();
        }
        for (_, key, value) in keys.iter().filter(|k| k.0 == table) {
            writeln!(text, "{key} = {value}").unwrap();
        }
    }
    text
}

/// Everything one trial reports.
#[derive(Debug, Default, PartialEq)]
pub(in crate::engine) struct Trial {
    pub cycles: Vec<CycleMetrics>,
    pub totals: TrialTotals,
}

impl TrialObserver for Trial {
    fn cycle(&mut self, index: usize, metrics: &CycleMetrics) {
        assert_eq!(index, self.cycles.len());
        self.cycles.push(*metrics);
    }

    fn trial(&mut self, totals: &TrialTotals) {
        self.totals = *totals;
    }
}

impl Trial {
    /// One metric, cycle by cycle.
    pub fn series<T>(&self, metric: impl Fn(&CycleMetrics) -> T) -> Vec<T> {
        self.cycles.iter().map(metric).collect()
    }
}

fn model(changes: &[&str]) -> Model {
    model_of(&toml(changes))
}

pub(in crate::engine) fn model_of(text: &str) -> Model {
    let scenario = parse(text, Path::new("t.toml"), &Overrides::default())
        .unwrap_or_else(|e| panic!("{e}\n{text}"));
    Model::new(scenario)
}

/// Trial 0 of the scenario, checked against §7's conservation on the way.
/// Both engines run it: with every draw fixed they must agree exactly.
fn run(changes: &[&str]) -> Trial {
    run_text(&toml(changes))
}

/// `run` for a whole scenario text.
pub(in crate::engine) fn run_text(text: &str) -> Trial {
    let model = model_of(text);
    let mut trial = Trial::default();
    Simulator::new(&model).run_trial(0, &mut trial);
    let mut reference = Trial::default();
    ReferenceSimulator::new(&model).run_trial(0, &mut reference);
    assert_eq!(trial, reference, "the fast and reference engines disagree");
    let mut balance = 0;
    for m in &trial.cycles {
        assert_eq!(
            m.start_balance, balance,
            "a cycle starts where the last ended"
        );
        assert_eq!(
            m.start_balance + m.granted + m.refunds + m.purchased + m.follow_ups_returned,
            m.end_balance + m.sent_paid + m.expired + m.trimmed + m.forfeited,
            "§7 conservation in {m:?}"
        );
        balance = m.end_balance;
    }
    trial
}

#[test]
fn a_grant_expires_at_the_start_of_day_90_before_that_days_renewal() {
    // Grants of 10 on days 0 (Jan 1), 31, 59, each expiring 90 days later;
    // nothing is sent. Day 89 (Mar 31) still holds 30 = the cap. Day 90
    // (Apr 1, first day of cycle 4): the day-0 lot expires first (30 → 20),
    // then the renewal grants 10 (→ 30). Granting before expiring would
    // grant 0 against the cap; expiring a day late would also grant 0.
    let t = run(&["plan.cap = 30", "demand.per_workday = 0", "months = 4"]);
    assert_eq!(t.series(|m| m.expired), [0, 0, 0, 10]);
    assert_eq!(t.series(|m| m.granted), [10, 10, 10, 10]);
    assert_eq!(t.series(|m| m.balance_after_grant), [10, 20, 30, 30]);
    assert_eq!(t.series(|m| m.end_balance), [10, 20, 30, 30]);
}

#[test]
fn a_credit_granted_on_day_0_with_expiry_5_is_spendable_through_day_4() {
    // 10 credits on day 0, expiring on day 5; one send a day. Days 0–4 spend
    // 5; at the start of day 5 the other 5 expire; days 5–30 (26 sends) are
    // blocked, first on day 6 of the cycle.
    let t = run(&[DAILY[0], DAILY[1], "plan.expiry_days = 5"]);
    let m = t.cycles[0];
    assert_eq!((m.demand, m.sent_paid, m.expired), (31, 5, 5));
    assert_eq!((m.blocked, m.first_blocked_day), (26, Some(6)));
    assert_eq!(m.end_balance, 0);
}

#[test]
fn refunds_over_the_cap_are_trimmed_on_the_next_renewal_before_the_grant() {
    // Start Wed 2026-04-01, calendar months: April = days 0–29 (22 workdays),
    // May = 30–60 (starts Fri, 21 workdays), June = 61–90 (starts Mon, 22).
    // Monthly 10, cap 10; 3 sends a workday, all answered 1 day later and
    // refunded (fresh). So each workday 10 → 7, and the next day back to 10.
    // - Apr: 66 sent; Apr 30's 3 answers arrive May 1: 63 refunds; ends at 7.
    // - May 1 (day 30): balance 7 (3 in flight) → grant 3 → 10, then the 3
    //   refunds → 13. From then on 13 after refunds, 10 after sends. 63 sent,
    //   66 refunds (3 from April); the last send (Fri May 29) comes back on
    //   Sat, so May ends at 13.
    // - Jun 1 (day 61, Mon): nothing in flight, 13 > cap: trim 3, grant 0,
    //   balance 10. 66 sent; Jun 30's 3 answers are due on day 91, past the
    //   horizon (§8.2): 63 responses and refunds; ends at 7.
    // No lot gets old: the day-0 grant (expiry day 90) is spent by day 5.
    let t = run(&[
        "start_date = \"2026-04-01\"",
        "months = 3",
        "plan.cap = 10",
        "demand.per_workday = 3",
        "response.rate = 1",
    ]);
    assert_eq!(t.series(|m| m.demand), [66, 63, 66]);
    assert_eq!(t.series(|m| m.sent_paid), [66, 63, 66]);
    assert_eq!(t.series(|m| m.responses), [63, 66, 63]);
    assert_eq!(t.series(|m| m.refunds), [63, 66, 63]);
    assert_eq!(t.series(|m| m.granted), [10, 3, 0]);
    assert_eq!(t.series(|m| m.trimmed), [0, 0, 3]);
    assert_eq!(t.series(|m| m.balance_after_grant), [10, 10, 10]);
    assert_eq!(t.series(|m| m.end_balance), [7, 13, 7]);
    assert_eq!(t.series(|m| m.expired), [0, 0, 0]);
    assert_eq!(t.series(|m| m.blocked), [0, 0, 0]);
}

/// Monthly 10 (cap 100) expiring after 10 days; 10 sends a workday, so every
/// credit goes out the first workday it is held; every InMail is answered
/// `delay` days later. Returns January.
fn short_lived(delay: u32, refund_expiry: &str) -> CycleMetrics {
    let delay = format!("delay.days = {delay}");
    let expiry = format!("refunds.expiry = \"{refund_expiry}\"");
    let t = run(&[
        "plan.expiry_days = 10",
        "demand.per_workday = 10",
        "response.rate = 1",
        &delay,
        &expiry,
    ]);
    t.cycles[0]
}

#[test]
fn a_fresh_refund_outlives_the_lot_it_came_from_and_an_original_one_expires_with_it() {
    // Delay 9. Day 0 (Thu): grant 10 expiring day 10, all 10 sent; answers
    // on day 9 (Sat), when nothing is sent.
    // Fresh: day 9 refunds 10 expiring day 19; Mon day 11 sends them, back
    //   Wed day 20 (expiring 30), sent again; back Fri day 29, sent again;
    //   those answers are due on day 38, past the horizon. 40 sent, 30
    //   responses, 30 refunds, nothing expires.
    // Original: day 9 refunds 10 into the lot expiring day 10 (10 > 9); on
    //   Sun day 10 they expire unspent. 10 sent, 10 responses, 10 refunds,
    //   10 expired.
    // The difference: 20 refunds and 10 expired credits.
    let (f, o) = (short_lived(9, "fresh"), short_lived(9, "original"));
    assert_eq!(
        (f.sent_paid, f.responses, f.refunds, f.expired),
        (40, 30, 30, 0)
    );
    assert_eq!(
        (o.sent_paid, o.responses, o.refunds, o.expired),
        (10, 10, 10, 10)
    );
    assert_eq!((f.blocked, o.blocked), (220 - 40, 220 - 10));
    assert_eq!((f.end_balance, o.end_balance), (0, 0));
}

#[test]
fn an_original_expiry_refund_arriving_on_its_lots_expiry_day_is_lost() {
    // Delay 10: day 0's 10 answers arrive on day 10, the day their lot
    // expires. Original (§8.4, e ≤ arrival): 10 responses, no refund, nothing
    // left to expire. Fresh: refunded on Sun day 10, sent Mon day 11, back
    // and sent again on day 21; day 21's answers are due on day 31, past the
    // horizon: 30 sent, 20 responses, 20 refunds.
    let (f, o) = (short_lived(10, "fresh"), short_lived(10, "original"));
    assert_eq!(
        (f.sent_paid, f.responses, f.refunds, f.expired),
        (30, 20, 20, 0)
    );
    assert_eq!(
        (o.sent_paid, o.responses, o.refunds, o.expired),
        (10, 10, 0, 0)
    );
}

#[test]
fn add_on_credits_expiring_sooner_are_spent_before_the_grant() {
    // Day 0: grant 10 expiring day 90, then a `monthly` add-on of 5 expiring
    // day 8. One send a day, soonest-expiring first: days 0–4 spend the
    // add-ons, days 5–14 the grant, days 15–30 (16) are blocked. Spending the
    // grant first would let the 5 add-ons expire on day 8 and block from
    // day 10 on.
    let t = run(&[
        DAILY[0],
        DAILY[1],
        "addons.policy = \"monthly\"",
        "addons.per_month = 5",
        "addons.expiry_days = 8",
        "addons.price = 1",
    ]);
    let m = t.cycles[0];
    assert_eq!((m.granted, m.purchased, m.addon_spend), (10, 5, 500));
    assert_eq!((m.sent_paid, m.expired, m.blocked), (15, 0, 16));
    assert_eq!(m.first_blocked_day, Some(16));
}

#[test]
fn a_response_later_than_the_refund_window_refunds_nothing_and_one_on_the_window_refunds() {
    // Delay 10 days. 10 sends a workday against 10 credits: day 0 sends all.
    // Window 9: day 0's answers arrive on day 10, counted, no refund; the
    //   rest of January is blocked: 10 sent, 210 blocked.
    // Window 10 (delay ≤ window): refunded on Sun day 10, sent Mon day 11,
    //   refunded and sent on day 21; those answers are due on day 31, past
    //   the horizon: 30 sent, 20 responses, 20 refunds, 190 blocked.
    let base = [
        "demand.per_workday = 10",
        "response.rate = 1",
        "delay.days = 10",
    ];
    let late = run(&[base[0], base[1], base[2], "refunds.window_days = 9"]);
    let on_time = run(&[base[0], base[1], base[2], "refunds.window_days = 10"]);
    let (l, w) = (late.cycles[0], on_time.cycles[0]);
    assert_eq!(
        (l.sent_paid, l.responses, l.refunds, l.blocked),
        (10, 10, 0, 210)
    );
    assert_eq!(
        (w.sent_paid, w.responses, w.refunds, w.blocked),
        (30, 20, 20, 190)
    );
}

#[test]
fn responses_due_after_the_horizon_are_not_counted() {
    // Day 0 sends all 10 credits. January has days 0–30.
    // Delay 30: the answers arrive on day 30, counted and refunded.
    // Delay 31: due on day 31, past a one-month horizon: nothing.
    // Two months, delay 31: they arrive on Sun Feb 1 (day 31) after the
    //   grant: balance 20, spent Mon and Tue (their answers are due on days
    //   63–64, past the horizon); the rest of February is blocked.
    let base = ["demand.per_workday = 10", "response.rate = 1"];
    let d30 = run(&[base[0], base[1], "delay.days = 30"]);
    let d31 = run(&[base[0], base[1], "delay.days = 31"]);
    let two = run(&[base[0], base[1], "delay.days = 31", "months = 2"]);
    let (a, b) = (d30.cycles[0], d31.cycles[0]);
    assert_eq!((a.responses, a.refunds, a.end_balance), (10, 10, 10));
    assert_eq!((b.responses, b.refunds, b.end_balance), (0, 0, 0));
    assert_eq!(two.series(|m| m.responses), [0, 10]);
    assert_eq!(two.series(|m| m.refunds), [0, 10]);
    assert_eq!(two.series(|m| m.sent_paid), [10, 20]);
    assert_eq!(two.series(|m| m.blocked), [210, 180]);
    assert_eq!(two.totals.sums.responses, 10);
}

/// Monthly 2 (cap 10), one send a day, add-on packs of 3 at $2.50 a credit.
const PACKS: [&str; 7] = [
    DAILY[0],
    DAILY[1],
    "months = 2",
    "plan.monthly_credits = 2",
    "plan.cap = 10",
    "addons.policy = \"when_empty\"",
    "addons.pack = 3",
];

#[test]
fn when_empty_buys_packs_up_to_the_monthly_limit_then_blocks_until_next_cycle() {
    // Annual billing: $15 a cycle instead of $20. Limit 6 credits a cycle.
    // Jan: days 0–1 spend the grant; day 2 finds 0 and buys 3 (days 2–4, the
    // rest of the pack stays in the balance); day 5 buys 3 more (6 bought);
    // day 8 would pass 6: blocked from day 8 (day 9 of the cycle) to day 30,
    // 23 blocked. Feb (days 31–58) repeats it: purchases reset, 8 sent,
    // blocked from Feb 9 (day 9), 20 blocked.
    let mut changes = PACKS.to_vec();
    changes.extend([
        "addons.max_per_month = 6",
        "addons.price = 2.50",
        "plan.price_monthly = 20",
        "plan.price_annual = 15",
        "plan.billing = \"annual\"",
    ]);
    let t = run(&changes);
    assert_eq!(t.series(|m| m.demand), [31, 28]);
    assert_eq!(t.series(|m| m.sent_paid), [8, 8]);
    assert_eq!(t.series(|m| m.purchased), [6, 6]);
    assert_eq!(t.series(|m| m.blocked), [23, 20]);
    assert_eq!(t.series(|m| m.first_blocked_day), [Some(9), Some(9)]);
    assert_eq!(t.series(|m| m.addon_spend), [1500, 1500]);
    assert_eq!(t.series(|m| m.plan_cost), [1500, 1500]);
    assert_eq!(t.series(|m| m.total_cost()), [3000, 3000]);
    assert_eq!(t.series(|m| m.end_balance), [0, 0]);
    assert_eq!(t.totals.months_exhausted, 2);
    assert_eq!(t.totals.first_exhausted_month, Some(1));
    assert_eq!(t.totals.sums.total_cost(), 6000);
    assert_eq!(t.totals.cost_per_response(), None);
}

#[test]
fn when_empty_without_a_limit_never_blocks_and_keeps_what_is_left_of_a_pack() {
    // Jan: the grant covers days 0–1; 29 more sends need 10 packs (30
    // credits, bought on days 2, 5, …, 29): 1 credit left at the end.
    // Feb: start 1, grant 2 → 3 covers days 31–33; 25 more need 9 packs (27),
    // 2 left. Monthly billing, $20; add-ons at the default $10.
    let mut changes = PACKS.to_vec();
    changes.push("plan.price_monthly = 20");
    let t = run(&changes);
    assert_eq!(t.series(|m| m.blocked), [0, 0]);
    assert_eq!(t.series(|m| m.granted), [2, 2]);
    assert_eq!(t.series(|m| m.purchased), [30, 27]);
    assert_eq!(t.series(|m| m.end_balance), [1, 2]);
    assert_eq!(t.series(|m| m.addon_spend), [30_000, 27_000]);
    assert_eq!(t.series(|m| m.total_cost()), [32_000, 29_000]);
    assert_eq!(t.totals.months_exhausted, 0);
}

#[test]
fn monthly_add_ons_can_pass_the_cap_and_the_soonest_expiring_excess_is_trimmed() {
    // Monthly 10, cap 10, grants expire after 90 days, add-ons (5 each
    // renewal, after the grant, $3) after 45. Nothing is sent.
    // Day 0: grant 10 (exp 90), buy 5 (exp 45) → 15 (10 after the grant).
    // Day 31: 15 > 10: trim 5, soonest first = the add-ons; grant 0; buy 5
    //   (exp 76) → 15. Day 45: nothing left to expire.
    // Day 59: trim the 5 add-ons (exp 76); buy 5 (exp 104).
    // Day 90: the day-0 grant expires (15 → 5); grant 5 → 10; buy 5 → 15.
    // Day 104: day 59's add-ons expire → 10.
    // Trimming the grant instead would make 5 add-ons expire on day 45.
    let t = run(&[
        "months = 4",
        "plan.cap = 10",
        "demand.per_workday = 0",
        "addons.policy = \"monthly\"",
        "addons.per_month = 5",
        "addons.expiry_days = 45",
        "addons.price = 3",
    ]);
    assert_eq!(t.series(|m| m.trimmed), [0, 5, 5, 0]);
    assert_eq!(t.series(|m| m.expired), [0, 0, 0, 15]);
    assert_eq!(t.series(|m| m.granted), [10, 0, 0, 5]);
    assert_eq!(t.series(|m| m.purchased), [5, 5, 5, 5]);
    assert_eq!(t.series(|m| m.balance_after_grant), [10, 10, 10, 10]);
    assert_eq!(t.series(|m| m.end_balance), [15, 15, 15, 10]);
    assert_eq!(t.series(|m| m.addon_spend), [1500, 1500, 1500, 1500]);
    assert_eq!(t.series(|m| m.total_cost()), [2500, 2500, 2500, 2500]);
}

/// Monthly 5 (cap 100), one send a workday, nobody answers.
const SCARCE: [&str; 3] = [
    "months = 2",
    "plan.monthly_credits = 5",
    "demand.per_workday = 1",
];

#[test]
fn a_fresh_refund_of_an_add_on_credit_gets_the_plans_expiry() {
    // §8.5. No grant (monthly 0, cap 0); add-ons bought one at a time when
    // empty, expiring the day after purchase; plan expiry 20 days. One send
    // a workday, answered the next day. Day 0 buys 1 and sends it; each
    // refund expires 20 days on, so the one credit serves every workday and
    // waits out each weekend: 1 bought, 22 sent and refunded (Fri Jan 30's on
    // Sat day 30), nothing expires. With the add-on's 1-day expiry the
    // refund of Fri day 1 (arriving Sat) would expire on Sun.
    let t = run(&[
        "plan.monthly_credits = 0",
        "plan.cap = 0",
        "plan.expiry_days = 20",
        "demand.per_workday = 1",
        "response.rate = 1",
        "addons.policy = \"when_empty\"",
        "addons.expiry_days = 1",
    ]);
    let m = t.cycles[0];
    assert_eq!(
        (m.purchased, m.sent_paid, m.refunds, m.expired),
        (1, 22, 22, 0)
    );
    assert_eq!((m.blocked, m.end_balance), (0, 1));
}

#[test]
fn a_partial_first_cycle_is_charged_in_full() {
    // §8.10: a start on Thu Jan 15 with calendar renewal gives a 17-day
    // first cycle, then February; each is charged $10 and gets its grant.
    let t = run(&[
        "start_date = \"2026-01-15\"",
        "months = 2",
        "demand.per_workday = 0",
    ]);
    assert_eq!(t.series(|m| m.plan_cost), [1000, 1000]);
    assert_eq!(t.series(|m| m.granted), [10, 10]);
}

#[test]
fn without_a_backlog_blocked_demand_is_lost() {
    // Jan: days 0, 1, 4, 5, 6 spend the 5 credits; Thu day 7 (day 8 of the
    // cycle) is the first blocked; 22 − 5 = 17 blocked.
    // Feb: granted on Sun day 31; Mon–Fri days 32–36 spend it; Mon day 39
    // (day 9) is the first blocked; 20 − 5 = 15 blocked.
    let t = run(&SCARCE);
    assert_eq!(t.series(|m| m.demand), [22, 20]);
    assert_eq!(t.series(|m| m.sent_paid), [5, 5]);
    assert_eq!(t.series(|m| m.blocked), [17, 15]);
    assert_eq!(t.series(|m| m.exhausted()), [true, true]);
    assert_eq!(t.series(|m| m.first_blocked_day), [Some(8), Some(9)]);
    assert_eq!(t.totals.sums.blocked, 32);
    assert_eq!(t.totals.months_exhausted, 2);
    assert_eq!(t.totals.first_exhausted_month, Some(1));
}

#[test]
fn a_backlog_is_retried_only_on_send_days_and_each_blocked_attempt_counts() {
    // Jan: the same 5 sends; from day 7 on, each of the 17 blocked workdays
    // retries the whole backlog and then the new message, all blocked: the
    // j-th blocked workday counts j blocks, 1 + … + 17 = 153. Weekends retry
    // nothing (else each would add the backlog again). 17 wait at the end.
    // Feb: Sun Feb 1 (day 31) gets the grant but is no send day. Mon day 32
    // sends 5 of the backlog, blocks the other 12 and the new one: 13 blocks,
    // first on day 2 of the cycle. Workday i of 20 then counts 12 + i:
    // Σ = 20·12 + 210 = 450. Demand counts new messages only. (Whether the
    // backlog goes before new demand cannot show here: the messages are alike.)
    let mut changes = SCARCE.to_vec();
    changes.push("demand.backlog = true");
    let t = run(&changes);
    assert_eq!(t.series(|m| m.demand), [22, 20]);
    assert_eq!(t.series(|m| m.sent_paid), [5, 5]);
    assert_eq!(t.series(|m| m.blocked), [153, 450]);
    assert_eq!(t.series(|m| m.first_blocked_day), [Some(8), Some(2)]);
    assert_eq!(t.totals.sums.blocked, 603);
    assert_eq!(t.totals.sums.demand, 42);
}

#[test]
fn open_profile_messages_are_free_get_answers_and_refund_nothing() {
    // Share 1: all 22 January messages are free; each is answered a day
    // later (Fri Jan 30's on Sat day 30): 22 responses, no refund, the 5
    // credits untouched.
    let t = run(&[
        SCARCE[1],
        SCARCE[2],
        "response.rate = 1",
        "open_profile.share = 1",
    ]);
    let m = t.cycles[0];
    assert_eq!(
        (m.demand, m.sent_free, m.sent_paid, m.blocked),
        (22, 22, 0, 0)
    );
    assert_eq!((m.responses, m.refunds, m.end_balance), (22, 0, 5));
}

#[test]
fn past_the_open_profile_limit_messages_need_a_credit_and_the_limit_resets_each_cycle() {
    // Limit 10 free a cycle. Jan: workdays 0–13 (10) free, the other 12 paid;
    // every answer comes a day later, paid ones refunded, so the 5 credits
    // never run out. Feb: Sun day 31 grants 5 → 10; 10 free (days 32–43),
    // 10 paid; Fri Feb 27's answer arrives Sat Feb 28, still February.
    let mut changes = SCARCE.to_vec();
    changes.extend([
        "response.rate = 1",
        "open_profile.share = 1",
        "open_profile.limit = 10",
    ]);
    let t = run(&changes);
    assert_eq!(t.series(|m| m.sent_free), [10, 10]);
    assert_eq!(t.series(|m| m.sent_paid), [12, 10]);
    assert_eq!(t.series(|m| m.responses), [22, 20]);
    assert_eq!(t.series(|m| m.refunds), [12, 10]);
    assert_eq!(t.series(|m| m.blocked), [0, 0]);
    assert_eq!(t.series(|m| m.end_balance), [5, 10]);
}

/// Issue 17's case: no credits at all, every recipient an Open Profile,
/// 3 free messages a cycle, one message a week, a backlog.
const OPEN_PROFILE_BACKLOG: [&str; 7] = [
    "months = 2",
    "plan.monthly_credits = 0",
    "plan.cap = 0",
    "demand.per_week = 1",
    "demand.backlog = true",
    "open_profile.share = 1",
    "open_profile.limit = 3",
];

#[test]
fn an_open_profile_message_blocked_past_the_limit_waits_as_a_paid_one_and_never_goes_out_free() {
    // §8.1: the Open Profile draw is made once, when the message is first
    // demanded; past the cycle's limit it needs a credit, and blocked it
    // waits as a message that needs a credit. One a week at 0.2 a workday
    // (§8.8) gives a message on Wednesdays: Jan 7, 14, 21, 28 (days 6, 13,
    // 20, 27), Feb 4, 11, 18, 25 (days 34, 41, 48, 55).
    // Jan: days 6, 13, 20 go out free (the limit, 3); Jan 28's is blocked
    // on Wed–Fri Jan 28–30: 3 blocked, first on day 28 of the cycle.
    // Feb: the limit is back to 3, but Jan 28's message needs a credit
    // (there are none): it is blocked on all 20 workdays, from Mon Feb 2
    // (day 2 of the cycle). Feb 4, 11, 18 go out free; Feb 25's is past the
    // limit, blocked Wed–Fri Feb 25–27: 20 + 3 = 23 blocked. (Were the
    // waiting message still free, it would take Feb 2's free slot: 11
    // blocked, first on day 18.)
    let t = run(&OPEN_PROFILE_BACKLOG);
    assert_eq!(t.series(|m| m.demand), [4, 4]);
    assert_eq!(t.series(|m| m.sent_free), [3, 3]);
    assert_eq!(t.series(|m| m.sent_paid), [0, 0]);
    assert_eq!(t.series(|m| m.blocked), [3, 23]);
    assert_eq!(t.series(|m| m.first_blocked_day), [Some(28), Some(2)]);
}

#[test]
fn anniversary_renewal_from_january_31_clamps_month_by_month() {
    // §8.11: renewals on Jan 31 (day 0), Feb 28 (28), Mar 31 (59), Apr 30
    // (89), May 31 (120): cycles of 28, 31, 30, 31 days, seen in the demand
    // of one free (Open Profile) message a day. Grants of 5 expire 90 days
    // later: day 0's on day 90 (May 1), day 28's on day 118 (May 29), both
    // in the fourth cycle. A clamp that stuck at the 28th would give cycles
    // of 28, 28, 31, 30 and only day 90's expiry in the fourth.
    let t = run(&[
        DAILY[0],
        DAILY[1],
        "months = 4",
        "start_date = \"2026-01-31\"",
        "plan.renewal = \"anniversary\"",
        "plan.monthly_credits = 5",
        "open_profile.share = 1",
    ]);
    assert_eq!(t.series(|m| m.demand), [28, 31, 30, 31]);
    assert_eq!(t.series(|m| m.sent_free), [28, 31, 30, 31]);
    assert_eq!(t.series(|m| m.granted), [5, 5, 5, 5]);
    assert_eq!(t.series(|m| m.expired), [0, 0, 0, 10]);
    assert_eq!(t.series(|m| m.end_balance), [5, 10, 15, 10]);
}

#[test]
fn declines_that_do_not_refund_leave_responses_without_refunds() {
    // Every response is a decline. Refunded (the default): each send comes
    // back the next day, the 5 credits last all month: 22 sent, 22 refunds.
    // Not refunded: days 0, 1, 4, 5, 6 spend the 5 credits, 5 answers, no
    // refund, 17 blocked.
    let base = [
        SCARCE[1],
        SCARCE[2],
        "response.rate = 1",
        "response.declines_share = 1",
    ];
    let refunded = run(&base);
    let mut changes = base.to_vec();
    changes.push("refunds.declines = false");
    let kept = run(&changes);
    let (r, k) = (refunded.cycles[0], kept.cycles[0]);
    assert_eq!(
        (r.sent_paid, r.responses, r.refunds, r.blocked),
        (22, 22, 22, 0)
    );
    assert_eq!(
        (k.sent_paid, k.responses, k.refunds, k.blocked),
        (5, 5, 0, 17)
    );
}

#[test]
fn a_fixed_rate_redrawn_each_cycle_and_a_reused_simulator_change_nothing() {
    // The trimming timeline above, with `redraw = "cycle"`, and trials 0, 7
    // and 0 again run on one simulator: all identical.
    let changes = [
        "start_date = \"2026-04-01\"",
        "months = 3",
        "plan.cap = 10",
        "demand.per_workday = 3",
        "response.rate = 1",
    ];
    let per_trial = run(&changes);
    let mut redrawn = changes.to_vec();
    redrawn.push("response.redraw = \"cycle\"");
    assert_eq!(run(&redrawn), per_trial);
    let model = model(&redrawn);
    let mut sim = Simulator::new(&model);
    for index in [0, 7, 0] {
        let mut trial = Trial::default();
        sim.run_trial(index, &mut trial);
        assert_eq!(trial, per_trial, "trial {index}");
    }
    assert_eq!(per_trial.totals.sums.trimmed, 3);
}
