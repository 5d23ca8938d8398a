use super::*;
use crate::engine::tests::timelines::{Trial, model_of};

/// A day's special messages (Open Profiles, responders, retries from
/// the backlog) as one run through the ledger must give every trial
/// exactly what sending them one by one gives: same draws, same metrics.
#[test]
fn special_messages_in_one_run_match_sending_them_one_by_one() {
    let base = "months = 6\n[plan]\nid = \"sales_navigator_core\"\n[demand]\n";
    let cases = [
        // Free messages up to the cycle's limit, then paid ones; days
        // that block part-way (8 a day), declines that do not refund.
        "per_workday = 8\n[open_profile]\nshare = 0.3\nlimit = 10\n\
         [response]\ndeclines_share = 0.4\n[refunds]\ndeclines = false\n",
        // Follow-ups, whose runs are queued in the order sent.
        "per_workday = 6\nbacklog = true\n[open_profile]\nshare = 0.4\nlimit = 6\n\
         [follow_ups]\nafter_days = 6\nresponse_factor = 0.5\n",
        // Retries from the backlog, with packs bought inside a run.
        "per_workday = 6\nbacklog = true\n[response]\nredraw = \"cycle\"\n\
         [addons]\npolicy = \"when_empty\"\npack = 5\nmax_per_month = 10\n",
        // Refunds to their own lots.
        "per_workday = 5\nbacklog = true\n[refunds]\nexpiry = \"original\"\n\
         [open_profile]\nshare = 0.3\nlimit = 8\n[follow_ups]\nafter_days = 4\n",
    ];
    let mut blocked = 0;
    for case in cases {
        let text = format!("{base}{case}");
        let model = model_of(&text);
        // Message by message, as `choose` picks when there are special
        // messages (and for the backlog's retries on either day path).
        let path = CyclePath::DayByDay { alike: false };
        let mut run = Simulator::on_path(&model, path);
        assert!(run.specials_in_one_run, "{text}");
        let mut one_by_one = Simulator::on_path(&model, path);
        one_by_one.specials_in_one_run = false;
        for trial in 0..300 {
            let (mut a, mut b) = (Trial::default(), Trial::default());
            run.run_trial(trial, &mut a);
            one_by_one.run_trial(trial, &mut b);
            assert_eq!(a, b, "trial {trial} of\n{text}");
            blocked += a.cycles.iter().map(|c| c.blocked).sum::<u64>();
        }
    }
    assert!(blocked > 0, "some runs end blocked part-way");
}

/// The one-run day (`alike`) must give every trial exactly what the
/// message-by-message path gives: same draws, same metrics.
#[test]
fn a_day_as_one_run_matches_the_message_by_message_path() {
    let base = "months = 6\n[plan]\nid = \"sales_navigator_core\"\n[demand]\n";
    let cases = [
        "per_workday = 3\n",
        // Blocks most days of a month: runs end part-way through a day.
        "per_workday = 8\n[response]\nrate = \"30% to 60%\"\n",
        // Purchases inside a run, and a monthly limit that then blocks.
        "per_workday = 5\n[addons]\npolicy = \"when_empty\"\npack = 2\nmax_per_month = 6\n",
        // Blocked messages that wait, retried before new ones.
        "per_workday = 6\nbacklog = true\n[response]\nrate = \"20% to 40%\"\n",
        // Declines that do not refund, and a rate redrawn each cycle.
        "per_workday = 4\n[response]\ndeclines_share = 0.4\nredraw = \"cycle\"\n\
         [refunds]\ndeclines = false\nwindow_days = 5\n",
    ];
    // The Recruiter floor, which warns and blocks at this volume and
    // rate, with packs bought inside a day's run, and without them.
    let recruiter = "months = 6\n[plan]\nid = \"recruiter_lite\"\n[demand]\n\
                     per_workday = 10\n[response]\nrate = \"8% to 20%\"\n[floor]\n\
                     enabled = true\n";
    let floor_cases = [
        recruiter.to_string(),
        format!("{recruiter}[addons]\npolicy = \"when_empty\"\npack = 10\n"),
    ];
    let texts = cases.map(|case| format!("{base}{case}"));
    let mut floor_blocked = 0;
    for text in texts.iter().chain(&floor_cases) {
        let model = model_of(text);
        let mut fast = Simulator::on_path(&model, CyclePath::DayByDay { alike: true });
        assert!(CyclePath::choose(&model).alike(), "{text}");
        let mut general = Simulator::on_path(&model, CyclePath::DayByDay { alike: false });
        for trial in 0..300 {
            let (mut a, mut b) = (Trial::default(), Trial::default());
            fast.run_trial(trial, &mut a);
            general.run_trial(trial, &mut b);
            assert_eq!(a, b, "trial {trial} of\n{text}");
            floor_blocked += a.cycles.iter().map(|c| c.floor_blocked).sum::<u64>();
        }
    }
    assert!(floor_blocked > 0, "the floor blocks sends in some trials");
}

/// A trial whose demand leaves the floor no window to assess runs as
/// without a floor (`check_floor`); every trial must still give what
/// the day-by-day path with the floor gives. At 8 and 9 a workday some
/// trials' 14 days reach 100 InMails and some do not; at a low rate
/// the floor then warns and blocks.
#[test]
fn a_trial_the_floor_cannot_assess_runs_without_it_and_gives_the_same_results() {
    let recruiter = |per_workday: &str, extra: &str| {
        format!(
            "months = 6\n[plan]\nid = \"recruiter_lite\"\n[demand]\n\
             per_workday = {per_workday}\n[response]\nrate = \"5% to 12%\"\n\
             [floor]\nenabled = true\n{extra}"
        )
    };
    let texts = [
        recruiter("8", ""),
        recruiter("9", "[addons]\npolicy = \"when_empty\"\npack = 10\n"),
        // A different mean each cycle: no single demand table, so the
        // demand drawn ahead (and reused by the lean cycle) is drawn day
        // by day.
        "months = 6\n[plan]\nid = \"recruiter_lite\"\n[demand]\nper_cycle = 180\n\
         [response]\nrate = \"5% to 12%\"\n[floor]\nenabled = true\n"
            .to_string(),
        // Another plan under which the floor applies (issue 17): its
        // credits expire, and the counted cycle is not used.
        "months = 6\n[plan]\nid = \"sales_navigator_core\"\n[demand]\n\
         per_workday = 9\n[floor]\nenabled = true\n"
            .to_string(),
    ];
    let (mut unwatched, mut watched, mut floor_blocked) = (0, 0, 0);
    for text in &texts {
        let model = model_of(text);
        let mut fast = Simulator::new(&model);
        assert!(fast.unwatched.is_some(), "{text}");
        let mut days = Simulator::on_path(&model, CyclePath::DayByDay { alike: true });
        for trial in 0..300 {
            let (mut a, mut b) = (Trial::default(), Trial::default());
            fast.run_trial(trial, &mut a);
            days.run_trial(trial, &mut b);
            assert_eq!(a, b, "trial {trial} of\n{text}");
            match fast.trial_path {
                CyclePath::Lean { .. } => unwatched += 1,
                _ => watched += 1,
            }
            floor_blocked += a.cycles.iter().map(|c| c.floor_blocked).sum::<u64>();
        }
    }
    assert!(
        unwatched > 100 && watched > 100,
        "{unwatched} unwatched, {watched} watched"
    );
    assert!(floor_blocked > 0, "the floor blocks sends in some trials");
}
