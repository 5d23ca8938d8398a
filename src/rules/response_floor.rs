//! The Recruiter response-rate floor (Help 413271, "InMail Improvement
//! Period"): a Recruiter seat must keep its InMail response rate at or above
//! 13% on 100 or more InMails sent within every 14-day assessment period.
//!
//! The model, day by day (days are whole simulation days):
//! - **Response rate of a window** of 14 send days: responses to the
//!   InMails sent in the window (paid, free and follow-ups; declines count)
//!   that have arrived by the day of the assessment, over the InMails sent
//!   in the window. Help 413271: "InMail response rates are calculated 7
//!   days after the end of a warning period so that your InMail recipients
//!   have time to respond" — so every assessment looks at a window that
//!   ended 7 days earlier. (Counting responses *received* in a window, or
//!   assessing a window the day it ends, would rate recent InMails before
//!   their answers could arrive and trip the floor for users well above it.)
//! - **Warning**: at the end of day `e`, the window `e−20 ..= e−7` holding
//!   100 or more InMails at a rate below 13% starts a warning for days
//!   `e+1 ..= e+14`; sending goes on.
//! - **Grace and re-assessment**: at the end of day `e+21` (the warning
//!   period plus 7 days of grace) the warning period's own InMails are
//!   assessed the same way. Still 100 or more below 13%: sending is
//!   **blocked** (the "Improvement Period"; LinkedIn disables bulk InMail,
//!   the model blocks every send) on days `e+22 ..= e+35`. Otherwise the
//!   warning lifts.
//! - Assessment then resumes with windows that start after the episode
//!   (the warning period, or the block), so one bad stretch triggers once.

use crate::scenario::Floor;

const WINDOW: u32 = 14;
/// Days between the end of a window and its assessment.
const LAG: u32 = 7;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Watching,
    /// Warned; the warning period is re-assessed at the end of `assess_on`.
    Warned {
        assess_on: u32,
    },
    /// Sending is blocked from `from` to `until`, both included.
    Blocked {
        from: u32,
        until: u32,
    },
}

/// The latest answer an assessment counts: `LAG + WINDOW - 1` days after
/// the window's first day, which is assessed at the end of that day.
const LATEST: u32 = LAG + WINDOW - 1;

#[derive(Debug, Clone)]
pub struct ResponseFloor {
    rule: Floor,
    /// The InMails sent on each day and how soon their answers came.
    days: Vec<SendDay>,
    /// `late[a]`: answers arriving on day `a` to InMails sent `LAG + 1` to
    /// `LATEST` days earlier (the ones that arrive while their window waits
    /// for its assessment).
    late: Vec<u32>,
    /// The window an assessment at the end of the last closed day looks
    /// at, the days `LATEST` to `LAG` days before it: its InMails, and
    /// their answers arrived by then. Kept as each day closes
    /// (`slide_window`), so that an answer is counted once, not once per
    /// window.
    window: Window,
    phase: Phase,
    /// Assessed windows start on or after this day.
    watch_from: u32,
}

/// A window's InMails and the answers an assessment counts.
#[derive(Debug, Clone, Copy, Default)]
struct Window {
    sent: u64,
    answered: u64,
}

/// One day's InMails, for the windows that hold it.
#[derive(Debug, Clone, Copy, Default)]
struct SendDay {
    sent: u32,
    /// Answered within `LAG` days: counted from the first assessment of a
    /// window holding the day.
    early: u32,
    /// Answered within `LATEST` days: counted by the last.
    by_last: u32,
}

impl ResponseFloor {
    pub fn new(rule: Floor, days: usize) -> ResponseFloor {
        ResponseFloor {
            rule,
            days: vec![SendDay::default(); days],
            late: vec![0; days + LATEST as usize + 1],
            window: Window::default(),
            phase: Phase::Watching,
            watch_from: 0,
        }
    }

    /// A new trial. The days' counts are not cleared here but one day at
    /// a time by [`ResponseFloor::open_day`]: clearing every day of the
    /// horizon (about 20 KB a year) cost more than the rest of a trial's
    /// floor bookkeeping. Only the late answers of the first days, which
    /// no day opens ahead, are cleared here.
    pub fn reset(&mut self) {
        self.phase = Phase::Watching;
        self.watch_from = 0;
        self.window = Window::default();
        let first = self.late.len().min(LATEST as usize);
        self.late[..first].fill(0);
    }

    /// The start of `day`, before anything is sent on it: its counts are
    /// emptied, and so are the late answers of the day `LATEST` days on,
    /// which only InMails sent from today can receive. Every day is opened
    /// and closed, in order, before it is assessed (InMails are counted on
    /// the day they are sent, and a window is assessed days after its
    /// last), so nothing of an earlier trial is read.
    pub fn open_day(&mut self, day: u32) {
        self.days[day as usize] = SendDay::default();
        self.late[(day + LATEST) as usize] = 0;
    }

    #[inline]
    pub fn sent(&mut self, day: u32, count: u64) {
        self.days[day as usize].sent += count as u32;
    }

    /// A response to an InMail sent on `day` arrives `delay` days later.
    pub fn answered(&mut self, day: u32, delay: u32) {
        let counts = &mut self.days[day as usize];
        counts.early += u32::from(delay <= LAG);
        counts.by_last += u32::from(delay <= LATEST);
        if (LAG + 1..=LATEST).contains(&delay) {
            self.late[(day + delay) as usize] += 1;
        }
    }

    /// Whether the floor blocks sending on `day`.
    pub fn closed(&self, day: u32) -> bool {
        matches!(self.phase, Phase::Blocked { from, until } if (from..=until).contains(&day))
    }

    /// The end of day `day`: assessments and changes of phase.
    pub fn close_day(&mut self, day: u32) {
        self.slide_window(day);
        match self.phase {
            Phase::Watching => {
                let Some(start) = day.checked_sub(LATEST) else {
                    return;
                };
                if start >= self.watch_from && self.below() {
                    self.phase = Phase::Warned {
                        assess_on: day + WINDOW + LAG,
                    };
                }
            }
            Phase::Warned { assess_on } if assess_on == day => {
                let start = day - LATEST;
                if self.below() {
                    self.phase = Phase::Blocked {
                        from: day + 1,
                        until: day + WINDOW,
                    };
                    self.watch_from = day + WINDOW + 1;
                } else {
                    self.phase = Phase::Watching;
                    self.watch_from = start + WINDOW;
                }
            }
            Phase::Blocked { until, .. } if until == day => self.phase = Phase::Watching,
            _ => {}
        }
    }

    /// `window` from the end of `day - 1` to the end of `day`: it gains
    /// the day `LAG` days back with its InMails and their answers so far
    /// (those within `LAG` days), and the answers arriving today to the
    /// days it already held; it loses the day `LATEST + 1` days back with
    /// its InMails and the answers counted for it (those within `LATEST`
    /// days).
    #[inline]
    fn slide_window(&mut self, day: u32) {
        let w = &mut self.window;
        if let Some(gained) = day.checked_sub(LAG).map(|d| self.days[d as usize]) {
            w.sent += u64::from(gained.sent);
            w.answered += u64::from(gained.early);
        }
        w.answered += u64::from(self.late[day as usize]);
        if let Some(lost) = day.checked_sub(LATEST + 1).map(|d| self.days[d as usize]) {
            w.sent -= u64::from(lost.sent);
            w.answered -= u64::from(lost.by_last);
        }
    }

    /// Whether the window of `WINDOW` days assessed at the end of the day
    /// just closed (`LATEST` to `LAG` days before it) holds `min_sent` or
    /// more InMails answered below the floor.
    fn below(&self) -> bool {
        let Window { sent, answered } = self.window;
        // Most windows hold fewer than `min_sent` InMails and cannot be
        // below the floor.
        if !assessed(&self.rule, sent) {
            return false;
        }
        // A ratio, not `answered < threshold × sent`: 182 of 1400 is exactly
        // 13% as a quotient, while 0.13 × 1400 rounds above 182.
        (answered as f64 / sent as f64) < self.rule.threshold
    }
}

/// Whether a window holding `sent` InMails is assessed at all: the rule
/// applies on `min_sent` (100) or more (Help 413271).
#[inline(always)]
fn assessed(rule: &Floor, sent: u64) -> bool {
    sent >= u64::from(rule.min_sent)
}

/// Whether the floor can never act on a trial whose InMails sent each day
/// are at most `daily` (one count per day of the horizon, from the first):
/// no `WINDOW` consecutive days of them hold enough to be assessed, so no
/// assessment warns and nothing is blocked. The floor then changes
/// nothing, and the trial can run as if it had none. Stops reading
/// `daily` at the first window that could be assessed.
pub fn never_assessed(rule: &Floor, daily: impl IntoIterator<Item = u32>) -> bool {
    // The running total after each of the last 32 days (a power of two
    // above `WINDOW`, so the ring's index is a mask): a window's sends are
    // one subtraction. Before day `WINDOW` the total `WINDOW` days back
    // reads a slot not yet written, 0.
    const RING: usize = 32;
    let mut totals = [0u64; RING];
    let mut total = 0u64;
    for (i, count) in daily.into_iter().enumerate() {
        total += u64::from(count);
        totals[i % RING] = total;
        let before = totals[i.wrapping_sub(WINDOW as usize) % RING];
        if assessed(rule, total - before) {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn watch() -> ResponseFloor {
        ResponseFloor::new(
            Floor {
                min_sent: 100,
                threshold: 0.13,
                recruiter_plans_only: false,
            },
            200,
        )
    }

    /// Sends `per_day` on days 0..days, `answered` of them answered after
    /// `delay` days; returns the first and last blocked day.
    fn blocked_days(per_day: u64, answered: u64, delay: u32, days: u32) -> Vec<u32> {
        let mut w = watch();
        let mut closed = Vec::new();
        for d in 0..200 {
            w.open_day(d);
            if w.closed(d) {
                closed.push(d);
            } else if d < days {
                w.sent(d, per_day);
                for _ in 0..answered {
                    w.answered(d, delay);
                }
            }
            w.close_day(d);
        }
        closed
    }

    #[test]
    fn a_low_rate_warns_on_day_20_and_blocks_days_42_to_55() {
        // 10 a day, 1 answered after a day (10%): the window 0–13 holds 140
        // at 10%, assessed at the end of day 20: warning for days 21–34,
        // re-assessed at the end of day 41 (same 10%): blocked 42–55.
        let closed = blocked_days(10, 1, 1, 200);
        assert_eq!(closed.first(), Some(&42));
        assert_eq!(closed[..14], (42..56).collect::<Vec<_>>()[..]);
        // Watching resumes with windows from day 56: a window 56–69 is
        // assessed on day 76, warned 77–90, re-assessed 97, blocked 98–111.
        assert_eq!(closed[14], 98);
    }

    #[test]
    fn the_floor_needs_100_inmails_and_a_rate_below_13_percent() {
        // 7 a day: 98 in 14 days, never assessed.
        assert!(blocked_days(7, 0, 1, 200).is_empty());
        // 100 a day, 13 answered: exactly at the floor, no block; 12: below.
        assert!(blocked_days(100, 13, 1, 200).is_empty());
        assert!(!blocked_days(100, 12, 1, 200).is_empty());
    }

    #[test]
    fn answers_that_come_after_the_assessment_do_not_count_but_earlier_ones_do() {
        // 10 a day, 2 answered (20%) but only after 21 days: at the
        // assessment (7 to 20 days after each send) none has arrived.
        assert!(!blocked_days(10, 2, 21, 200).is_empty());
        // Answered after 7 days: every window's answers are in by then.
        assert!(blocked_days(10, 2, 7, 200).is_empty());
    }

    /// A window's InMails and the answers it counts, kept as days close,
    /// are at every day those a count over the window finds: its days'
    /// InMails, and their answers that arrived by the assessment, at delays
    /// on either side of every bound (`LAG`, `LATEST`).
    #[test]
    fn the_window_s_answers_kept_day_by_day_are_those_counted_afresh() {
        let mut w = watch();
        let mut answers: Vec<(u32, u32)> = Vec::new();
        let sent_on = |day: u32| u64::from(day % 7 * 3);
        // A small multiplicative hash: varied delays without a generator.
        let delay_of = |n: u32| n.wrapping_mul(2_654_435_761) >> 27; // 0..=31
        for day in 0..200 {
            w.open_day(day);
            w.sent(day, sent_on(day));
            for k in 0..day % 5 {
                let delay = delay_of(day * 7 + k);
                w.answered(day, delay);
                answers.push((day, delay));
            }
            w.close_day(day);
            let window = day.saturating_sub(LATEST)..=day.saturating_sub(LAG);
            let afresh = answers
                .iter()
                .filter(|&&(s, d)| day >= LAG && window.contains(&s) && s + d <= day)
                .count();
            assert_eq!(w.window.answered, afresh as u64, "day {day}");
            let sent: u64 = window.filter(|_| day >= LAG).map(sent_on).sum();
            assert_eq!(w.window.sent, sent, "day {day}");
        }
    }

    #[test]
    fn a_trial_is_never_assessed_only_if_no_14_days_hold_100_inmails() {
        let rule = watch().rule;
        let never = |daily: &[u32]| never_assessed(&rule, daily.iter().copied());
        // 7 a day: 98 in any 14 days.
        assert!(never(&[7; 200]));
        // One day of 9 among them: its 14 days hold 100.
        let mut daily = [7; 200];
        daily[150] = 9;
        assert!(!never(&daily));
        // 99 in 14 days, then a day of 1 just after them: the window
        // sliding past the first day of 99 drops it.
        let mut daily = [0; 40];
        daily[10] = 99;
        daily[24] = 1;
        assert!(never(&daily));
        daily[23] = 1;
        assert!(!never(&daily));
        // Fewer days than a window: their sum.
        assert!(!never(&[50, 50]));
        assert!(never(&[50, 49]));
    }

    #[test]
    fn a_rate_that_improves_during_the_warning_lifts_it() {
        // Bad for 14 days (warning at day 20), then silence: the warning
        // period's InMails number 0 < 100, so no block.
        assert!(blocked_days(10, 1, 1, 14).is_empty());
    }
}
