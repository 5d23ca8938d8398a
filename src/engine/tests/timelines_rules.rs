//! Hand-worked timelines of the rules beyond the core: follow-ups (standard
//! and Recruiter), plan changes, seats and the Recruiter response-rate
//! floor. Same conventions as `timelines.rs` (whose helpers these use): both
//! engines run each trial and must agree exactly; §7 conservation (with the
//! forfeited and returned credits) is checked on every cycle. Day 0 is Thu
//! 2026-01-01; January is days 0–30, February 31–58 (Feb 1 is a Sunday).

use super::timelines::{DAILY, Trial, run_text, toml};

/// The base scenario with `changes`, then `extra` TOML (array tables).
fn run_with(changes: &[&str], extra: &str) -> Trial {
    run_text(&format!("{}{extra}", toml(changes)))
}

/// One send a day, 10 credits, follow-ups after 6 days.
const FOLLOWED: [&str; 4] = [
    DAILY[0],
    DAILY[1],
    "follow_ups.enabled = true",
    "follow_ups.after_days = 6",
];

fn followed(extra: &[&str]) -> Trial {
    let mut changes = FOLLOWED.to_vec();
    changes.extend(extra);
    run_with(&changes, "")
}

#[test]
fn an_unanswered_inmail_is_followed_up_for_a_credit_ahead_of_new_demand_and_lost_if_blocked() {
    // Nobody answers. Days 0–5 send 6 new (10 → 4). Day 6: the follow-up of
    // day 0 goes first (→ 3), then the new one (→ 2); day 7 likewise (→ 0).
    // From day 8 everything is blocked: the follow-ups of days 2–7 (due days
    // 8–13, lost, not backlogged) and the new demand of days 8–30 (23).
    // Messages blocked are not followed up.
    let m = followed(&[]).cycles[0];
    assert_eq!((m.demand, m.sent_paid, m.follow_ups), (31, 10, 2));
    assert_eq!((m.follow_ups_blocked, m.blocked), (6, 6 + 23));
    assert_eq!(m.first_blocked_day, Some(9));
}

#[test]
fn a_response_by_the_follow_up_day_cancels_it_and_a_later_one_does_not() {
    // 100 credits, everyone answers. Delay 6: the answer arrives on the
    // follow-up day, before sends (§4 step 3): no follow-up at all; messages
    // of days 0–24 are answered in January. Delay 7: the follow-up goes out
    // on day d+6 (messages of days 0–24, 25 follow-ups), the recipient
    // answers the first message once, on day d+7 (days 0–23: 24 responses),
    // and the follow-up gets no answer of its own.
    // Balance: 100 − 31 + 25 = 94; 100 − 31 − 25 + 24 = 68.
    let base = ["plan.monthly_credits = 100", "response.rate = 1"];
    let on_time = followed(&[base[0], base[1], "delay.days = 6"]).cycles[0];
    let late = followed(&[base[0], base[1], "delay.days = 7"]).cycles[0];
    assert_eq!((on_time.follow_ups, on_time.sent_paid), (0, 31));
    assert_eq!((on_time.responses, on_time.refunds), (25, 25));
    assert_eq!(on_time.end_balance, 94);
    assert_eq!((late.follow_ups, late.sent_paid), (25, 56));
    assert_eq!((late.responses, late.refunds), (24, 24));
    assert_eq!(late.end_balance, 68);
}

#[test]
fn under_the_recruiter_rule_a_follow_up_is_charged_at_the_first_send_and_then_needs_no_credit() {
    // Help 417098. Nobody answers. Each send takes 2 credits (the message
    // and its follow-up): days 0–4 send 5 and empty the 10 credits; from
    // day 5 new demand is blocked (26), but the 5 prepaid follow-ups go out
    // on days 6–10. Under the standard rule the same credits send 8 new
    // messages and 2 follow-ups (the first test).
    let m = followed(&["follow_ups.rule = \"recruiter\""]).cycles[0];
    assert_eq!(
        (m.sent_paid, m.follow_ups, m.follow_ups_blocked),
        (10, 5, 0)
    );
    assert_eq!((m.blocked, m.first_blocked_day), (26, Some(6)));
    // With 9 credits, day 4's message takes the last one and its follow-up
    // cannot be charged: it is not scheduled, a blocked attempt on day 4.
    let odd = followed(&[
        "follow_ups.rule = \"recruiter\"",
        "plan.monthly_credits = 9",
    ]);
    let m = odd.cycles[0];
    assert_eq!((m.sent_paid, m.follow_ups, m.follow_ups_blocked), (9, 4, 1));
    assert_eq!((m.blocked, m.first_blocked_day), (27, Some(5)));
}

#[test]
fn under_the_recruiter_rule_an_answer_before_the_follow_up_returns_both_credits() {
    // Everyone answers after 3 days. Days 0–2 take 2 credits each (10 → 4);
    // from day 3 each day gets 2 back (the refund and the cancelled
    // follow-up's credit) and spends 2: never blocked. Answers of days 0–27
    // arrive in January: 28 responses, 28 refunds, 28 credits returned.
    // 10 − 62 + 28 + 28 = 4.
    let m = followed(&[
        "follow_ups.rule = \"recruiter\"",
        "response.rate = 1",
        "delay.days = 3",
    ])
    .cycles[0];
    assert_eq!((m.sent_paid, m.follow_ups, m.blocked), (62, 0, 0));
    assert_eq!(
        (m.responses, m.refunds, m.follow_ups_returned),
        (28, 28, 28)
    );
    assert_eq!(m.end_balance, 4);
}

const PLAN_CHANGES: &str = r#"
[[plan_change]]
from_cycle = 3
cancel = true

[[plan_change]]
from_cycle = 2
plan = { id = "sales_navigator_core", billing = "annual" }
"#;

#[test]
fn a_plan_change_forfeits_the_balance_grants_the_new_plan_and_charges_its_price() {
    // Nothing sent. Jan: the inline plan grants 10, costs $10. Feb 1: the 10
    // are forfeited (Help 57013, 75), Sales Navigator Core grants 50 and
    // costs its annual price per month, $89.99. Mar 1: cancelled: the 50
    // are forfeited, no grant, no cost. Changes may be listed in any order.
    let t = run_with(&["months = 3", "demand.per_workday = 0"], PLAN_CHANGES);
    assert_eq!(t.series(|m| m.granted), [10, 50, 0]);
    assert_eq!(t.series(|m| m.forfeited), [0, 10, 50]);
    assert_eq!(t.series(|m| m.end_balance), [10, 50, 0]);
    assert_eq!(t.series(|m| m.plan_cost), [1000, 8999, 0]);
}

#[test]
fn refunds_on_their_way_at_a_plan_change_are_lost_but_their_responses_count() {
    // One send a workday, each answered and refunded 2 days later. Jan: 22
    // sent; Fri Jan 30's answer arrives Sun Feb 1: 21 responses and refunds,
    // 10 − 22 + 21 = 9 left. Feb 1: 9 forfeited, 50 granted, the answer
    // counts but refunds nothing. Feb: 20 sent; Fri Feb 27's answer is due
    // Mar 1, past the horizon: 20 responses (1 + 19), 19 refunds;
    // 50 − 20 + 19 = 49. A cancelled March would have no credits: every
    // March send is blocked.
    let t = run_with(
        &[
            "months = 3",
            "demand.per_workday = 1",
            "response.rate = 1",
            "delay.days = 2",
        ],
        PLAN_CHANGES,
    );
    assert_eq!(t.series(|m| m.sent_paid), [22, 20, 0]);
    assert_eq!(t.series(|m| m.responses), [21, 20, 1]);
    assert_eq!(t.series(|m| m.refunds), [21, 19, 0]);
    assert_eq!(t.series(|m| m.forfeited), [0, 9, 49]);
    assert_eq!(t.series(|m| m.blocked), [0, 0, 22]);
}

#[test]
fn seats_that_do_not_pool_are_summed_and_pooled_seats_share_one_ledger() {
    // Two seats, 5 credits each, one send a workday each, nobody answers.
    // Apart: each seat sends 5 and is blocked 17 times in January and 15 in
    // February (first on day 8, then day 9): everything doubles, the price
    // too. Pooled: one ledger of 10 credits, 2 sends a workday: the same
    // days, the same counts.
    let base = [
        "months = 2",
        "plan.monthly_credits = 5",
        "demand.per_workday = 1",
        "seats = 2",
    ];
    let apart = run_with(&base, "");
    let mut pooled_changes = base.to_vec();
    pooled_changes.push("plan.pooled = true");
    let pooled = run_with(&pooled_changes, "");
    for t in [&apart, &pooled] {
        assert_eq!(t.series(|m| m.demand), [44, 40]);
        assert_eq!(t.series(|m| m.granted), [10, 10]);
        assert_eq!(t.series(|m| m.sent_paid), [10, 10]);
        assert_eq!(t.series(|m| m.blocked), [34, 30]);
        assert_eq!(t.series(|m| m.first_blocked_day), [Some(8), Some(9)]);
        assert_eq!(t.series(|m| m.plan_cost), [2000, 2000]);
    }
}

/// A Recruiter plan with plenty of credits, 10 sends a day (weekends
/// too), nobody answers, three months: days 0–30, 31–58 and 59–89.
const FLOORED: [&str; 6] = [
    "months = 3",
    "plan.id = \"recruiter_lite\"",
    "plan.monthly_credits = 1000",
    "plan.cap = 4000",
    "demand.per_week = 70",
    "demand.weekends = true",
];

#[test]
fn the_recruiter_floor_blocks_sending_for_the_14_days_after_a_7_day_grace() {
    // credit-rules §5. The window of days 0–13 (140 InMails, 0%) is
    // assessed after its grace, days 14–20, at the end of day 20: sending
    // is blocked on days 21–34 (10 in January, 4 in February; 14 × 10
    // refused, not counted as blocked for lack of credit). Assessment
    // resumes with windows from day 35: days 35–48 block days 56–69 (3 in
    // February, 11 in March); days 70–83 would be assessed on day 90, past
    // March.
    let t = run_with(&FLOORED, "");
    assert_eq!(t.series(|m| m.floor_blocked_days), [10, 7, 11]);
    assert_eq!(t.series(|m| m.floor_blocked), [100, 70, 110]);
    assert_eq!(t.series(|m| m.sent_paid), [210, 210, 200]);
    assert_eq!(t.series(|m| m.blocked), [0, 0, 0]);
    let mut answered = FLOORED.to_vec();
    answered.push("response.rate = 1");
    assert_eq!(run_with(&answered, "").totals.sums.floor_blocked_days, 0);
    let mut off = FLOORED.to_vec();
    off.push("floor.enabled = false");
    assert_eq!(run_with(&off, "").totals.sums.floor_blocked_days, 0);
}

#[test]
fn with_floor_warning_the_recruiter_floor_warns_then_blocks_sending_for_14_days() {
    // Help 413271's account (`floor.warning = true`). The same sends. The
    // window of days 0–13 (140 InMails, 0%) is assessed
    // at the end of day 20: a warning for days 21–34, re-assessed at the
    // end of day 41 (its 140, still 0%): sending is blocked on days 42–55,
    // all in February, so 14 × 10 = 140 of its 280 are refused (not counted
    // as blocked for lack of credit). The next window, days 56–69, is
    // assessed on day 76 and warned again; its block would start on day 98,
    // past March. Answering everyone keeps the floor away.
    let mut base = FLOORED.to_vec();
    base.push("floor.warning = true");
    let t = run_with(&base, "");
    assert_eq!(t.series(|m| m.floor_blocked_days), [0, 14, 0]);
    assert_eq!(t.series(|m| m.floor_blocked), [0, 140, 0]);
    assert_eq!(t.series(|m| m.sent_paid), [310, 140, 310]);
    assert_eq!(t.series(|m| m.blocked), [0, 0, 0]);
    let mut answered = base.to_vec();
    answered.push("response.rate = 1");
    let t = run_with(&answered, "");
    assert_eq!(t.totals.sums.floor_blocked_days, 0);
    let mut off = base.to_vec();
    off.push("floor.enabled = false");
    assert_eq!(run_with(&off, "").totals.sums.floor_blocked_days, 0);
}

// Issue 17 §5: corners the rules left open, as decided in
// docs/credit-rules.md (§5 and §8.1) and docs/model.md ("The model in brief").

/// Recruiter Lite with 210 credits a month (no expiry), 10 sends a day,
/// nobody answers, four months.
const FLOORED_210: [&str; 7] = [
    "months = 4",
    "plan.id = \"recruiter_lite\"",
    "plan.monthly_credits = 210",
    "plan.cap = 4000",
    "plan.expiry_days = \"none\"",
    "demand.per_week = 70",
    "demand.weekends = true",
];

#[test]
fn the_floor_first_assesses_a_whole_window_on_day_20_and_refuses_before_the_credits_run_out() {
    // The first assessment is at the end of day 20, of days 0–13 (140 at
    // 0%): days 21–34 are blocked by the floor, which refuses their sends
    // before the ledger is asked (January's 210 credits are gone on day
    // 20, so without the floor days 21–30 would be blocked for lack of
    // credit). February: days 35–55 send the new 210; the window 35–48
    // blocks days 56–69 (3 in February, 11 in March). March's 210 go out
    // on days 70–89 (200) and 90 (10, April 1); the window 70–83 blocks
    // days 91–104; days 105–119 send 150. (Windows reaching before day 0
    // would block from day 17: days 0–9 already hold 100.)
    let t = run_with(&FLOORED_210, "");
    assert_eq!(t.series(|m| m.sent_paid), [210, 210, 200, 160]);
    assert_eq!(t.series(|m| m.floor_blocked_days), [10, 7, 11, 14]);
    assert_eq!(t.series(|m| m.floor_blocked), [100, 70, 110, 140]);
    assert_eq!(t.series(|m| m.blocked), [0, 0, 0, 0]);
}

#[test]
fn with_floor_warning_the_floor_first_assesses_a_whole_window_on_day_20_and_after_a_lifted_warning_the_windows_after_it()
 {
    // `floor.warning = true`. Recruiter Lite with 210 credits a month (no expiry), 10 sends a day,
    // nobody answers: sends on days 0–20, 31–51 (Feb), 59–79 (Mar).
    // The first assessment is at the end of day 20, of days 0–13 (140 at
    // 0%): a warning for days 21–34, re-assessed at the end of day 41. Only
    // days 31–34 sent (40 < 100): the warning lifts. Assessment resumes with
    // windows starting after the warning period (day 35): days 35–48 at the
    // end of day 55 (140): warned for 56–69, re-assessed at the end of 76
    // (days 59–69 sent 110): blocked on days 77–90, 13 in March, 1 in April
    // (130 and 10 refused sends; March's last 30 credits go out in April).
    // (Windows reaching before day 0 would warn at the end of day 16 — days
    // 0–9 already hold 100 — and lift on day 37 (days 17–20: 40), and the
    // first block would be days 108–121: none in March, 12 in April;
    // windows from the lift on (day 42) would block on days 84–97: 6 and 8.)
    let mut changes = FLOORED_210.to_vec();
    changes.push("floor.warning = true");
    let t = run_with(&changes, "");
    assert_eq!(t.series(|m| m.sent_paid), [210, 210, 180, 240]);
    assert_eq!(t.series(|m| m.floor_blocked_days), [0, 0, 13, 1]);
    assert_eq!(t.series(|m| m.floor_blocked), [0, 0, 130, 10]);
}

/// Recruiter follow-ups after 6 days, one send a day, 100 credits, and the
/// plan cancelled from February.
fn recruiter_cancelled(extra: &[&str]) -> Trial {
    let mut changes = FOLLOWED.to_vec();
    changes.extend([
        "months = 2",
        "follow_ups.rule = \"recruiter\"",
        "plan.monthly_credits = 100",
    ]);
    changes.extend(extra);
    run_with(&changes, "[[plan_change]]\nfrom_cycle = 2\ncancel = true\n")
}

#[test]
fn recruiter_follow_ups_prepaid_before_a_cancellation_still_go_out_and_returns_due_after_it_are_lost()
 {
    // Nobody answers. January: 31 messages, each charged with its follow-up
    // (62 of 100 credits); follow-ups of days 0–24 go out on days 6–30.
    // Feb 1: 38 forfeited. The follow-ups of days 25–30, paid in January,
    // go out on days 31–36 under the cancelled plan; new demand is blocked
    // (28 days).
    let t = recruiter_cancelled(&[]);
    assert_eq!(t.series(|m| m.sent_paid), [62, 0]);
    assert_eq!(t.series(|m| m.follow_ups), [25, 6]);
    assert_eq!(t.series(|m| m.forfeited), [0, 38]);
    assert_eq!(t.series(|m| m.blocked), [0, 28]);
    // Everyone answers after 3 days: every follow-up is cancelled, its
    // credit returned with the refund when the answer arrives — in January
    // for days 0–27 (28 each; 100 − 62 + 56 = 94, forfeited). The answers
    // to days 28–30 arrive on days 31–33: they count, but their refunds and
    // returned credits are lost with the plan (credits do not carry over).
    let t = recruiter_cancelled(&["response.rate = 1", "delay.days = 3"]);
    assert_eq!(t.series(|m| m.follow_ups), [0, 0]);
    assert_eq!(t.series(|m| m.responses), [28, 3]);
    assert_eq!(t.series(|m| m.refunds), [28, 0]);
    assert_eq!(t.series(|m| m.follow_ups_returned), [28, 0]);
    assert_eq!(t.series(|m| m.forfeited), [0, 94]);
    assert_eq!(t.series(|m| m.end_balance), [94, 0]);
}

#[test]
fn a_recruiter_follow_up_prepaid_before_a_cancellation_and_answered_after_it_refunds_nothing() {
    // Ten messages a day, 700 credits: January sends all 310 with their
    // follow-ups (620 credits). Half the first messages are answered (a
    // day later); a follow-up to one that is not, with 50%. The follow-ups
    // of days 25–30 (about 30 open) go out on days 31–36 under the
    // cancelled plan: their answers count, but their credits were
    // January's, so they refund nothing, and the backlog (every message
    // blocked in February) has no credit to send with. A random reply
    // rate: the two engines draw differently (they agree in distribution,
    // tests/engines_agree.rs), so each is checked on its own, trial by
    // trial (20 fixed trials each).
    let mut changes = FOLLOWED.to_vec();
    changes.extend([
        "months = 2",
        "follow_ups.rule = \"recruiter\"",
        "demand.per_week = 70",
        "plan.monthly_credits = 700",
        "plan.cap = 2100",
        "response.rate = 0.5",
        "demand.backlog = true",
    ]);
    let text = format!(
        "{}[[plan_change]]\nfrom_cycle = 2\ncancel = true\n",
        toml(&changes)
    );
    let model = super::timelines::model_of(&text);
    let mut answered_after = 0;
    for i in 0..20 {
        let (mut fast, mut reference) = (Trial::default(), Trial::default());
        crate::engine::Simulator::new(&model).run_trial(i, &mut fast);
        crate::engine::ReferenceSimulator::new(&model).run_trial(i, &mut reference);
        for t in [fast, reference] {
            let february = t.cycles[1];
            assert!(february.follow_ups > 0, "{february:?}");
            assert_eq!(
                (
                    february.sent_paid,
                    february.refunds,
                    february.follow_ups_returned
                ),
                (0, 0, 0),
                "trial {i}: {february:?}"
            );
            answered_after += february.responses;
        }
    }
    assert!(answered_after > 0, "answers arrive after the cancellation");
    // The control: without the cancellation the same follow-ups' answers
    // refund in February, so the checks above can tell the two apart.
    let kept = super::timelines::model_of(&toml(&changes));
    let refunded: u64 = (0..20)
        .map(|i| {
            let mut t = Trial::default();
            crate::engine::Simulator::new(&kept).run_trial(i, &mut t);
            t.cycles[1].refunds
        })
        .sum();
    assert!(refunded > 0, "answers in February refund without a change");
}

/// Recruiter Lite, 10 sends a day, all to Open Profiles (no limit),
/// nobody answers, a backlog, two months.
const FLOORED_FREE: [&str; 6] = [
    "months = 2",
    "plan.id = \"recruiter_lite\"",
    "demand.per_week = 70",
    "demand.weekends = true",
    "demand.backlog = true",
    "open_profile.share = 1",
];

#[test]
fn an_open_profile_message_refused_by_the_floor_waits_free_and_goes_out_free_when_sending_reopens()
{
    // Free messages count for the floor: blocked on days 21–34. Day 21
    // refuses its 10 new messages, day 22 the 10 waiting and its 10 new,
    // …, day 30 100: 10 × (1 + … + 10) = 550 refused attempts in January,
    // not blocked for lack of credit; February's days 31–34, 110 + 120 +
    // 130 + 140 = 500. On day 35 the 140 waiting go out free with the
    // day's 10, although credits wait unused. The window 35–48 (280 at
    // 0%) blocks days 56–69: 10 + 20 + 30 refused attempts on days 56–58.
    // February sends 150 + 20 × 10 = 350 free, none paid.
    let t = run_with(&FLOORED_FREE, "");
    assert_eq!(t.series(|m| m.sent_free), [210, 350]);
    assert_eq!(t.series(|m| m.sent_paid), [0, 0]);
    assert_eq!(t.series(|m| m.floor_blocked_days), [10, 7]);
    assert_eq!(t.series(|m| m.floor_blocked), [550, 560]);
    assert_eq!(t.series(|m| m.blocked), [0, 0]);
}

#[test]
fn with_floor_warning_an_open_profile_message_refused_by_the_floor_waits_free_and_goes_out_free() {
    // `floor.warning = true`. Recruiter Lite, 10 sends a day, all to Open Profiles (no limit),
    // nobody answers, a backlog. Free messages count for the floor: warned
    // at the end of day 20, blocked on days 42–55 (as in
    // `the_recruiter_floor_warns_then_blocks_sending_for_14_days`).
    // Day 42 refuses its 10 new messages, day 43 the 10 waiting and its 10
    // new, …, day 55 140: 10 × (1 + … + 14) = 1050 refused attempts, not
    // blocked for lack of credit. On day 56 the 140 waiting go out free
    // with the day's 10, although credits wait unused: February sends
    // 110 + 150 + 20 = 280 free, none paid.
    let mut changes = FLOORED_FREE.to_vec();
    changes.push("floor.warning = true");
    let t = run_with(&changes, "");
    assert_eq!(t.series(|m| m.sent_free), [310, 280]);
    assert_eq!(t.series(|m| m.sent_paid), [0, 0]);
    assert_eq!(t.series(|m| m.floor_blocked_days), [0, 14]);
    assert_eq!(t.series(|m| m.floor_blocked), [0, 1050]);
    assert_eq!(t.series(|m| m.blocked), [0, 0]);
}

/// Two seats of 5 credits pooled (one ledger of 10), one send a workday
/// each (44 in January, 40 in February), nobody answers.
fn pooled(extra: &[&str]) -> Trial {
    let mut changes = vec![
        "months = 2",
        "plan.monthly_credits = 5",
        "plan.pooled = true",
        "demand.per_workday = 1",
        "seats = 2",
    ];
    changes.extend(extra);
    run_with(&changes, "")
}

#[test]
fn add_on_packs_limits_and_the_open_profile_limit_are_the_pooled_teams_not_each_seats() {
    // when_empty, pack 1, at most 3 a month: the team buys 3 (not 6), so
    // 13 of 44 and 13 of 40 go out.
    let t = pooled(&["addons.policy = \"when_empty\"", "addons.max_per_month = 3"]);
    assert_eq!(t.series(|m| m.purchased), [3, 3]);
    assert_eq!(t.series(|m| m.sent_paid), [13, 13]);
    // monthly, 2 a month: the team gets 2 (not 4) on each renewal day.
    let t = pooled(&["addons.policy = \"monthly\"", "addons.per_month = 2"]);
    assert_eq!(t.series(|m| m.purchased), [2, 2]);
    assert_eq!(t.series(|m| m.sent_paid), [12, 12]);
    // A pack of 4 is 4 credits for the team, not 4 a seat: 10 + 4 + 4 = 18
    // in January, and February buys 3 packs (12) by the same limit of 12.
    let t = pooled(&[
        "addons.policy = \"when_empty\"",
        "addons.pack = 4",
        "addons.max_per_month = 12",
    ]);
    assert_eq!(t.series(|m| m.purchased), [12, 12]);
    assert_eq!(t.series(|m| m.sent_paid), [22, 22]);
    // Open Profiles (all of them), limit 5 a cycle: 5 free for the team,
    // the next 10 use the pooled credits.
    let t = pooled(&["open_profile.share = 1", "open_profile.limit = 5"]);
    assert_eq!(t.series(|m| m.sent_free), [5, 5]);
    assert_eq!(t.series(|m| m.sent_paid), [10, 10]);
}

#[test]
fn fixed_fractional_demand_of_pooled_seats_carries_its_fraction_on_the_teams_total() {
    // One a week a seat, 2 seats, no credits: the team asks 2 a week, 0.4 a
    // workday (§8.8 on the team's running total): 0.4, 0.8 (days 0, 1),
    // 1.2 on Mon day 4 — the first message, blocked on day 5 of the cycle —
    // then 2.0 on Wed day 6. Seats apart each carry their own 0.2 a workday
    // and both first send on Wed day 6 (day 7). January: 8 either way
    // (floor(8.8) and 2 × floor(4.4)).
    let base = [
        "months = 1",
        "plan.monthly_credits = 0",
        "plan.cap = 0",
        "demand.per_week = 1",
        "seats = 2",
    ];
    let mut changes = base.to_vec();
    changes.push("plan.pooled = true");
    let pooled = run_with(&changes, "");
    assert_eq!(pooled.series(|m| m.first_blocked_day), [Some(5)]);
    assert_eq!(pooled.series(|m| m.demand), [8]);
    let apart = run_with(&base, "");
    assert_eq!(apart.series(|m| m.first_blocked_day), [Some(7)]);
    assert_eq!(apart.series(|m| m.demand), [8]);
}

/// 10 sends a day, nobody answers, 1000 credits a month under either plan,
/// `first` in January and `then` from February.
fn floor_across_a_change(first: &str, then: &str, extra: &[&str]) -> Trial {
    let mut changes = vec![
        "months = 3",
        "plan.monthly_credits = 1000",
        "plan.cap = 4000",
        "demand.per_week = 70",
        "demand.weekends = true",
    ];
    changes.push(first);
    changes.extend(extra);
    let change = format!(
        "[[plan_change]]\nfrom_cycle = 2\n\
         plan = {{ id = \"{then}\", monthly_credits = 1000, cap = 4000 }}\n"
    );
    run_with(&changes, &change)
}

#[test]
fn the_floor_on_by_default_watches_and_blocks_only_while_a_recruiter_plan_is_in_force() {
    // Help 413271 is a Recruiter rule. Recruiter Lite in January, Sales
    // Navigator Core from February: January's window 0–13 blocks days
    // 21–34, but only days 21–30 under Recruiter; Core's InMails are not
    // counted.
    let recruiter_first = "plan.id = \"recruiter_lite\"";
    let t = floor_across_a_change(recruiter_first, "sales_navigator_core", &[]);
    assert_eq!(t.series(|m| m.floor_blocked_days), [10, 0, 0]);
    // Asked for (`floor.enabled = true`), it applies under every plan:
    // days 21–34, then the window 35–48 (Core's InMails) blocks 56–69.
    let t = floor_across_a_change(
        recruiter_first,
        "sales_navigator_core",
        &["floor.enabled = true"],
    );
    assert_eq!(t.series(|m| m.floor_blocked_days), [10, 7, 11]);
    // Core in January, Recruiter Lite from February: only February's
    // InMails count. The first window holding 100 is days 27–40 (sends
    // 31–40), assessed at the end of day 47: blocked on days 48–61 (11 in
    // February, 3 in March); the window 62–75 blocks days 83–96 (7 in
    // March). (Counting Core's January InMails would block days 21–34.)
    let t = floor_across_a_change("plan.id = \"sales_navigator_core\"", "recruiter_lite", &[]);
    assert_eq!(t.series(|m| m.floor_blocked_days), [0, 11, 10]);
    assert_eq!(t.series(|m| m.floor_blocked), [0, 110, 100]);
}

#[test]
fn with_floor_warning_the_floor_on_by_default_blocks_only_while_a_recruiter_plan_is_in_force() {
    // `floor.warning = true`. Recruiter Lite in January, Sales
    // Navigator Core from February: January's InMails warn at the end of
    // day 20 and the warning period's (days 21–30 under Recruiter: 100)
    // would block days 42–55, but Core is then in force: nothing is
    // blocked, and Core's InMails are not counted.
    let warn = "floor.warning = true";
    let t = floor_across_a_change(
        "plan.id = \"recruiter_lite\"",
        "sales_navigator_core",
        &[warn],
    );
    assert_eq!(t.series(|m| m.floor_blocked_days), [0, 0, 0]);
    // Asked for (`floor.enabled = true`), it applies under every plan: the
    // block of days 42–55 falls under Core. (Before issue 17 this was also
    // what the default did.)
    let t = floor_across_a_change(
        "plan.id = \"recruiter_lite\"",
        "sales_navigator_core",
        &["floor.enabled = true", warn],
    );
    assert_eq!(t.series(|m| m.floor_blocked_days), [0, 14, 0]);
    // Core in January, Recruiter Lite from February: only February's
    // InMails count. The first window holding 100 is days 27–40 (sends
    // 31–40), assessed at the end of day 47: warned for days 48–61,
    // re-assessed at the end of day 68 (140): blocked on days 69–82, in
    // March. (Counting Core's January InMails would block days 42–55.)
    let t = floor_across_a_change(
        "plan.id = \"sales_navigator_core\"",
        "recruiter_lite",
        &[warn],
    );
    assert_eq!(t.series(|m| m.floor_blocked_days), [0, 0, 14]);
    assert_eq!(t.series(|m| m.floor_blocked), [0, 0, 140]);
}

#[test]
fn a_cancelled_plan_still_sends_free_open_profile_messages_within_the_limit() {
    // Every recipient has an Open Profile, 15 free a cycle, one send a
    // workday, 5 credits. January (22): 15 free, then 7 need a credit: 5
    // paid, 2 blocked. February (20), cancelled: no grant, yet 15 still go
    // out free, as on the `free` plan; the other 5 are blocked.
    let t = run_with(
        &[
            "months = 2",
            "plan.monthly_credits = 5",
            "demand.per_workday = 1",
            "open_profile.share = 1",
            "open_profile.limit = 15",
        ],
        "[[plan_change]]\nfrom_cycle = 2\ncancel = true\n",
    );
    assert_eq!(t.series(|m| m.sent_free), [15, 15]);
    assert_eq!(t.series(|m| m.sent_paid), [5, 0]);
    assert_eq!(t.series(|m| m.blocked), [2, 5]);
}
