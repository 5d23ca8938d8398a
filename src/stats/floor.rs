//! What the summaries say about the Recruiter response-rate floor
//! (credit-rules §5, Help 413271). "Running out" in `run`, `compare`,
//! `sweep` and `sensitivity` is §6's `exhausted`: a send blocked for lack of
//! a credit. The floor's blocks stop every send for 14 days without a
//! credit missing (they even keep credits from running out), so where the
//! floor stopped sending, a summary says so beside its chance of running
//! out, rather than read as if nothing stopped the user; `recommend` and
//! `solve` count both as running out (docs/recommend.md).

use super::RunStats;
use crate::engine::Metric;

/// Mean days a month on which the floor stopped sending (seat-days where
/// seats do not pool), over every month of every trial.
pub fn days_per_month(stats: &RunStats) -> f64 {
    let months = stats.months().max(1) as f64;
    stats
        .horizon_of(Metric::FloorBlockedDays)
        .summary()
        .map_or(0.0, |s| s.mean / months)
}

/// Mean send attempts a month the floor refused (§6 `floor_refused`), over
/// every month of every trial.
pub fn refused_per_month(stats: &RunStats) -> f64 {
    let months = stats.months().max(1) as f64;
    stats
        .horizon_of(Metric::FloorRefused)
        .summary()
        .map_or(0.0, |s| s.mean / months)
}

/// Days (or InMails) to one decimal, or to three significant figures below
/// 0.05: a floor that stopped sending in a few trials is not "0.0 days".
fn tenths(x: f64) -> String {
    if x > 0.0 && x < 0.05 {
        crate::numbers::significant(x)
    } else {
        format!("{x:.1}")
    }
}

/// A share as a percent to one decimal, or to three significant figures
/// below 0.05%.
fn share_text(share: f64) -> String {
    let percent = 100.0 * share;
    if percent > 0.0 && percent < 0.05 {
        format!("{}%", crate::numbers::significant(percent))
    } else {
        format!("{percent:.1}%")
    }
}

/// What the floor's days are not: the end of every floor sentence.
const NOT_RUNNING_OUT: &str = "\"running out\" counts only sends blocked for lack of a credit, \
     so these are not in it (floor_blocked_days and floor_refused in run's CSVs; recommend and \
     solve count both)";

/// `run`'s sentence, when the floor stopped sending in some trial: "The
/// Recruiter response-rate floor (Help 413271) stopped all sending on 7.9
/// days a month on average, in 98.6% of trials at least once, refusing 32.0
/// send attempts a month; …" (with a backlog a retried InMail counts each
/// day). The refusals are said because they are in neither
/// `blocked` nor the sends: without them demand and sends do not add up.
pub fn run_note(stats: &RunStats, seat_days: bool) -> Option<String> {
    let days = days_per_month(stats);
    if days <= 0.0 {
        return None;
    }
    let share = stats.horizon_of(Metric::FloorBlockedDays).share_at_least(1);
    Some(format!(
        "The Recruiter response-rate floor (Help 413271) stopped all sending on {} {} a month on \
         average, in {} of trials at least once, refusing {} send attempts a month; \
         {NOT_RUNNING_OUT}.",
        tenths(days),
        if seat_days { "seat-days" } else { "days" },
        share_text(share),
        tenths(refused_per_month(stats)),
    ))
}

/// `compare`'s sentence, when the floor stopped sending under some option:
/// each option's days a month — seat-days for an option whose seats keep
/// balances of their own (`true`), as `run` says them: 22 such seat-days
/// of three recruiters are about 7 days each.
pub fn compare_note(options: &[(&str, f64, bool)]) -> Option<String> {
    if options.iter().all(|(_, days, _)| *days <= 0.0) {
        return None;
    }
    let each: Vec<String> = options
        .iter()
        .map(|(name, days, seat_days)| match seat_days {
            true => format!("{name} {} seat-days", tenths(*days)),
            false => format!("{name} {}", tenths(*days)),
        })
        .collect();
    Some(format!(
        "The Recruiter response-rate floor (Help 413271) stopped all sending on these days a \
         month on average: {}; {NOT_RUNNING_OUT}.",
        each.join(", ")
    ))
}

/// `sensitivity`'s sentence, for a scenario with the floor on (its
/// statistics keep no floor days).
pub const SENSITIVITY_NOTE: &str = "\"Ran out\" counts only sends blocked for lack of a credit: \
     the Recruiter response-rate floor (Help 413271), on in this scenario, also stops sending, \
     which `run` shows as floor_blocked_days and recommend and solve count as running out.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_floor_is_mentioned_only_where_it_stopped_sending() {
        let mut stats = RunStats::new(2);
        stats.trials = 4;
        for days in [0, 0, 0, 0] {
            stats.horizon_of_mut(Metric::FloorBlockedDays).record(days);
        }
        assert_eq!(run_note(&stats, false), None);
        assert_eq!(compare_note(&[("a", 0.0, false), ("b", 0.0, false)]), None);

        let mut stats = RunStats::new(2);
        stats.trials = 4;
        for (days, refused) in [(0, 0), (14, 150), (14, 130), (28, 280)] {
            stats.horizon_of_mut(Metric::FloorBlockedDays).record(days);
            stats.horizon_of_mut(Metric::FloorRefused).record(refused);
        }
        // 56 days over 4 trials of 2 months: 7 a month; 3 trials of 4;
        // 560 refusals over 8 months: 70 a month.
        let note = run_note(&stats, false).unwrap();
        assert!(
            note.contains(
                "on 7.0 days a month on average, in 75.0% of trials at least once, \
                 refusing 70.0 send attempts a month;"
            ),
            "{note}"
        );
        assert!(run_note(&stats, true).unwrap().contains("7.0 seat-days"));
        let note = compare_note(&[("core", 0.0, false), ("lite", 7.0, false)]).unwrap();
        assert!(note.contains("core 0.0, lite 7.0;"), "{note}");
        // Three recruiters with balances of their own: seat-days, as run says.
        let note = compare_note(&[("core", 0.0, false), ("team", 22.3, true)]).unwrap();
        assert!(note.contains("core 0.0, team 22.3 seat-days;"), "{note}");

        // 14 days in 1 trial of 1,000 over 12 months: not "0.0 days".
        let mut stats = RunStats::new(12);
        stats.trials = 1_000;
        for t in 0..1_000 {
            let days = if t == 0 { 14 } else { 0 };
            stats.horizon_of_mut(Metric::FloorBlockedDays).record(days);
        }
        let note = run_note(&stats, false).unwrap();
        assert!(note.contains("on 0.00117 days a month"), "{note}");
        assert!(note.contains("in 0.1% of trials"), "{note}");
    }
}
