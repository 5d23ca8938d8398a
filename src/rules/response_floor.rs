//! The Recruiter response-rate floor (credit-rules §5, Help 413271,
//! "InMail Improvement Period"): a Recruiter seat must keep its InMail
//! response rate at or above 13% on 100 or more InMails sent within every
//! 14-day assessment period; "if, over the last 14 days, 100 or more InMails
//! were sent with a response rate below 13%, sending is blocked for 14 days
//! after a 7-day grace period" (credit-rules §5, normative).
//!
//! The model, day by day (days are whole simulation days):
//! - **Response rate of a window** of 14 send days: responses to the
//!   InMails sent in the window (paid, free and follow-ups; declines count)
//!   that have arrived by the day of the assessment, over the InMails sent
//!   in the window. The window is assessed at the end of the 7-day grace
//!   that follows it — Help 413271: "InMail response rates are calculated
//!   7 days after the end of [a] period so that your InMail recipients have
//!   time to respond" — so every assessment looks at a window that ended 7
//!   days earlier. (Counting responses *received* in a window, or
//!   assessing a window the day it ends, would rate recent InMails before
//!   their answers could arrive and trip the floor for users well above it.)
//! - **Block** (the default, credit-rules §5): at the end of day `e`, the
//!   window `e−20 ..= e−7` holding 100 or more InMails at a rate below 13%
//!   blocks sending on days `e+1 ..= e+14` (the "Improvement Period";
//!   LinkedIn disables bulk InMail, the model blocks every send): the 14
//!   days after the window's 7-day grace, `e−6 ..= e`.
//! - **With `floor.warning = true`** (Help 413271's fuller account, which
//!   credit-rules §5 leaves out): such a window first starts a warning for
//!   days `e+1 ..= e+14`, and sending goes on; at the end of day `e+21`
//!   (the warning period plus 7 days of grace) the warning period's own
//!   InMails are assessed the same way. Still 100 or more below 13%:
//!   sending is blocked on days `e+22 ..= e+35`. Otherwise the warning
//!   lifts.
//! - Assessment then resumes with windows that start after the episode
//!   (the block, or a lifted warning's period), so one bad stretch
//!   triggers once.
//! - **Only while the floor applies** (docs/credit-rules.md §5: a Recruiter
//!   plan in force, unless `floor.enabled` puts it on every plan): no
//!   window is assessed at the end of a day under another plan or a
//!   cancelled one, and a warning whose re-assessment falls there lifts.
//!   Otherwise an assessment under, say, a cancelled plan would start a
//!   block that refuses nothing yet moves every later assessment (an
//!   independent implementation found it).

use crate::scenario::Floor;

const WINDOW: u32 = 14;
/// Days between the end of a window and its assessment.
const LAG: u32 = 7;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Watching,
    /// Warned (`floor.warning`); the warning period is re-assessed at the
    /// end of `assess_on`.
    Warned {
        assess_on: u32,
    },
    /// Sending is blocked up to `until`, included.
    Blocked {
        until: u32,
    },
}

/// The latest answer an assessment counts: `LAG + WINDOW - 1` days after
/// the window's first day, which is assessed at the end of that day.
const LATEST: u32 = LAG + WINDOW - 1;
/// Days a warning leaves unblocked after the day that warned: its
/// warning period is re-assessed at the end of `e + WINDOW + LAG`, and the
/// block, if any, starts the day after.
const UNBLOCKED: u32 = WINDOW + LAG;
/// The days the floor keeps changes of its window for, a ring. An InMail
/// sent on the day open, `t`, changes the windows of the days `t + LAG`
/// to `t + LATEST + 1`, while the first day not closed yet is at least
/// `t − UNBLOCKED` (a day open closes the days up to `LAG` after it, and
/// the floor then has no work for up to `LAG + UNBLOCKED` days,
/// [`ResponseFloor::open`]). A power of two, so
/// that a day's slot is a mask and needs no bounds check.
const SLOTS: usize = 64;
const _: () = assert!(SLOTS >= (UNBLOCKED + LATEST + 2) as usize);

/// No block: an empty range of days.
const NO_BLOCK: (u32, u32) = (1, 0);

/// A day's slot in the floor's ring.
#[inline(always)]
fn slot(day: u32) -> usize {
    day as usize % SLOTS
}

/// A window's InMails and answers packed in one word, the InMails in the
/// low 32 bits and the answers in the high 32: adding packed words adds
/// both counts (as integers modulo 2^64, so a change may be negative;
/// a window's own counts are below 2^32, and unpack exactly: a trial
/// sends at most 10,000 InMails a day for a team, follow-ups and retries
/// at most doubling that, over at most 1200 months, under 10^9 in all).
const ANSWER: u64 = 1 << 32;

/// A packed window's (InMails, answers).
#[inline(always)]
fn unpack(window: u64) -> (u64, u64) {
    (window & (ANSWER - 1), window >> 32)
}

#[derive(Debug, Clone)]
pub struct ResponseFloor {
    rule: Floor,
    /// `changes[slot(c)]`: what closing day `c` adds to the window
    /// (packed, [`ANSWER`]): the InMails and answers that enter it, less
    /// those that leave it. Written as InMails are sent and answers
    /// scheduled, up to `LATEST + 1` days ahead; emptied as each day
    /// closes and as a trial starts.
    changes: [u64; SLOTS],
    /// The first day not closed yet: days are closed ahead of the day
    /// open, as far as its InMails settle them ([`ResponseFloor::open`]).
    unclosed: u32,
    /// The first day that the days not closed yet may block, or on which
    /// a block known already starts or goes on; days before it open
    /// without closing any.
    due: u32,
    /// The floor blocks the days from the last one that closed days up to
    /// `due` (not included).
    blocked: bool,
    /// The days of the last block found, both included ([`NO_BLOCK`]
    /// before any): days are closed ahead, so a block may be found before
    /// its first day opens, and still go on after its last day closed.
    block: (u32, u32),
    /// The window an assessment at the end of the last closed day looks
    /// at, the days `LATEST` to `LAG` days before it: its InMails, and
    /// their answers arrived by then (packed, [`ANSWER`]). Kept as each
    /// day closes, one addition of its change.
    window: u64,
    phase: Phase,
    /// Assessed windows start on or after this day.
    watch_from: u32,
    /// The days, both ends included, on which the floor does not apply
    /// (another plan in force): no assessment at their end. Empty for
    /// most scenarios (no plan change).
    quiet: Vec<(u32, u32)>,
}

impl ResponseFloor {
    pub fn new(rule: Floor) -> ResponseFloor {
        ResponseFloor {
            rule,
            changes: [0; SLOTS],
            unclosed: 0,
            due: 0,
            blocked: false,
            block: NO_BLOCK,
            window: 0,
            phase: Phase::Watching,
            watch_from: 0,
            quiet: Vec::new(),
        }
    }

    /// The floor does not apply on the days of `quiet` (ranges, both ends
    /// included): under a plan it does not cover.
    pub fn quiet_on(mut self, quiet: Vec<(u32, u32)>) -> ResponseFloor {
        self.quiet = quiet;
        self
    }

    /// Whether a window may be assessed at the end of `day`.
    fn applies(&self, day: u32) -> bool {
        self.quiet.iter().all(|&(a, b)| day < a || b < day)
    }

    /// A new trial: the ring emptied (half a kilobyte), nothing closed.
    pub fn reset(&mut self) {
        self.phase = Phase::Watching;
        self.watch_from = 0;
        self.window = 0;
        self.changes = [0; SLOTS];
        self.unclosed = 0;
        self.due = 0;
        self.blocked = false;
        self.block = NO_BLOCK;
    }

    /// The first day from which [`ResponseFloor::open`] has work: the days
    /// before it open as the last one that did (not blocked). A caller
    /// may skip `open` on them.
    #[inline(always)]
    pub fn due(&self) -> u32 {
        self.due
    }

    /// The start of `day`, before anything is sent on it (days are opened
    /// in order from the trial's first, 0; days before [`ResponseFloor::due`]
    /// may be skipped): returns whether the floor blocks sending on it.
    ///
    /// Days are closed (assessed) ahead: the end of day `c` assesses the
    /// InMails sent `LAG` or more days before it, with their answers,
    /// which are counted as their InMails are sent, so when `day` opens
    /// every day up to `day + LAG − 1` can be closed, and an assessment
    /// made early is the one made on time. The floor then knows every
    /// block up to `day + LAG`, and, watching, has no work until the day
    /// after (with warnings, none for `UNBLOCKED` days more; warned, none
    /// up to the re-assessment); so most days open without a call, and
    /// the assessments are made in runs.
    #[inline(always)]
    pub fn open(&mut self, day: u32) -> bool {
        if day >= self.due {
            self.close_ahead_of(day);
        }
        self.blocked
    }

    /// Closes the days up to `day + LAG` (not included), and finds whether
    /// the floor blocks `day` and the next day on which it has work.
    /// Inline: `Books` calls it out of line, on the days it has work.
    #[inline]
    fn close_ahead_of(&mut self, day: u32) {
        let end = day + LAG;
        self.settle(end);
        let (from, until) = self.block;
        self.blocked = (from..=until).contains(&day);
        self.due = if self.blocked {
            // Day by day: each blocked day is counted as it opens, and the
            // day after the block opens unblocked.
            day + 1
        } else if day < from && from <= until {
            // A block found ahead: nothing changes before its first day.
            from
        } else {
            match self.phase {
                // A window assessed at the end of `end` or later blocks
                // from `end + 1` at the soonest, or warns then.
                Phase::Watching if self.rule.warning => end + UNBLOCKED + 1,
                Phase::Watching => end + 1,
                // Nothing is blocked up to the re-assessment.
                Phase::Warned { assess_on } => assess_on + 1,
                // Not reached: a block found is known above until it ends.
                Phase::Blocked { .. } => day + 1,
            }
        };
    }

    /// Closes the days from the first not closed up to `end` (not
    /// included), each as it would be at its end.
    #[inline]
    fn settle(&mut self, end: u32) {
        let mut closing = self.unclosed;
        while closing < end {
            closing = match self.phase {
                Phase::Watching => self.watch(closing, end),
                _ => {
                    self.assess(closing);
                    closing + 1
                }
            };
        }
        self.unclosed = self.unclosed.max(end);
    }

    /// `count` InMails went out on `day`, the day open: they are in the
    /// windows closed on days `day + LAG` to `day + LATEST`.
    #[inline]
    pub fn sent(&mut self, day: u32, count: u64) {
        self.change(day, LAG, count);
    }

    /// A response to an InMail sent on `day`, the day open, arrives
    /// `delay` days later: it is in the windows closed from its arrival
    /// (or from `day + LAG`, the first that holds its InMail) to
    /// `day + LATEST` (the last), none if it comes later. Without a branch
    /// on the delay: one that comes too late adds 0.
    #[inline(always)]
    pub fn answered(&mut self, day: u32, delay: u32) {
        let answer = u64::from(delay <= LATEST) * ANSWER;
        self.change(day, delay.max(LAG), answer);
    }

    /// `packed` enters the window closed on `day + after` and leaves it
    /// on `day + LATEST + 1`.
    #[inline(always)]
    fn change(&mut self, day: u32, after: u32, packed: u64) {
        debug_assert!(day + LAG >= self.unclosed, "counted on its own day");
        let (enter, leave) = (slot(day + after), slot(day + LATEST + 1));
        self.changes[enter] = self.changes[enter].wrapping_add(packed);
        self.changes[leave] = self.changes[leave].wrapping_sub(packed);
    }

    /// The days from `from` up to `to` (not included) closed while
    /// watching, as [`ResponseFloor::assess`] closes them, with the window
    /// in a register: until a window is below the floor, whose day is then
    /// the last closed. Returns the next day to close.
    #[inline(always)]
    fn watch(&mut self, from: u32, to: u32) -> u32 {
        // The first day whose window starts on or after `watch_from`.
        let first = self.watch_from + LATEST;
        let mut window = self.window;
        for day in from..to {
            let change = std::mem::take(&mut self.changes[slot(day)]);
            window = window.wrapping_add(change);
            if day >= first && self.below(window) && self.applies(day) {
                self.window = window;
                if self.rule.warning {
                    self.phase = Phase::Warned {
                        assess_on: day + WINDOW + LAG,
                    };
                } else {
                    self.block_after(day);
                }
                return day + 1;
            }
        }
        self.window = window;
        to
    }

    /// Blocks the `WINDOW` days after `day`, whose end found a window
    /// below the floor; windows are then assessed from the block's end.
    fn block_after(&mut self, day: u32) {
        self.phase = Phase::Blocked {
            until: day + WINDOW,
        };
        self.block = (day + 1, day + WINDOW);
        self.watch_from = day + WINDOW + 1;
    }

    /// The end of day `day` while warned or blocked: the window slides
    /// (its change is read and its slot emptied for the day `SLOTS` on),
    /// then the re-assessment and changes of phase.
    #[inline(always)]
    fn assess(&mut self, day: u32) {
        let change = std::mem::take(&mut self.changes[slot(day)]);
        self.window = self.window.wrapping_add(change);
        match self.phase {
            // Watching: see `watch`, which closes those days.
            Phase::Watching => debug_assert!(false, "watching days close in `watch`"),
            Phase::Warned { assess_on } if assess_on == day => {
                if self.below(self.window) && self.applies(day) {
                    self.block_after(day);
                } else {
                    self.phase = Phase::Watching;
                    self.watch_from = day - LATEST + WINDOW;
                }
            }
            Phase::Blocked { until } if until == day => self.phase = Phase::Watching,
            _ => {}
        }
    }

    /// The InMails of the window assessed at the end of the last closed day.
    #[cfg(test)]
    fn window_sent(&self) -> u64 {
        unpack(self.window).0
    }

    /// Their answers arrived by then.
    #[cfg(test)]
    fn window_answered(&self) -> u64 {
        unpack(self.window).1
    }

    /// Whether the window of `WINDOW` days assessed at the end of the day
    /// just closed (`LATEST` to `LAG` days before it) holds `min_sent` or
    /// more InMails answered below the floor.
    fn below(&self, window: u64) -> bool {
        let (sent, answered) = unpack(window);
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

    fn floor(warning: bool) -> ResponseFloor {
        ResponseFloor::new(Floor {
            min_sent: 100,
            threshold: 0.13,
            warning,
            recruiter_plans_only: false,
        })
    }

    /// The default rule (credit-rules §5): no warning.
    fn watch() -> ResponseFloor {
        floor(false)
    }

    /// Sends `per_day` on days 0..days, `answered` of them answered after
    /// `delay` days, opening every day; returns the blocked days.
    fn blocked_days(per_day: u64, answered: u64, delay: u32, days: u32) -> Vec<u32> {
        blocked_days_of(watch(), per_day, answered, delay, days)
    }

    fn blocked_days_of(
        mut w: ResponseFloor,
        per_day: u64,
        answered: u64,
        delay: u32,
        days: u32,
    ) -> Vec<u32> {
        let mut closed = Vec::new();
        w.reset();
        for d in 0..200 {
            if w.open(d) {
                closed.push(d);
            } else if d < days {
                w.sent(d, per_day);
                for _ in 0..answered {
                    w.answered(d, delay);
                }
            }
        }
        closed
    }

    #[test]
    fn no_window_is_assessed_at_the_end_of_a_day_the_floor_does_not_apply() {
        // As below, but the floor does not apply on days 15–30 (a cancelled
        // plan): the window 0–13, assessed on day 20, starts no block.
        // Windows go on sliding: the first assessed after, at the end of
        // day 31, is the window 11–24, whose InMails are at 10% (the floor
        // counts what is sent; under another plan the engine sends none to
        // it), and blocks 32–45. Before the fix the day-20 block ran to 34
        // and moved the next assessment to the window from 35 (day 55).
        let w = watch().quiet_on(vec![(15, 30)]);
        let closed = blocked_days_of(w, 10, 1, 1, 200);
        assert_eq!(closed[..14], (32..46).collect::<Vec<_>>()[..]);
        // With warnings, a re-assessment that falls on a quiet day lifts
        // the warning: warned on day 20, re-assessed on day 41.
        let w = floor(true).quiet_on(vec![(41, 41)]);
        let closed = blocked_days_of(w, 10, 1, 1, 200);
        assert!(!closed.contains(&42), "{closed:?}");
    }

    #[test]
    fn a_low_rate_blocks_the_14_days_after_the_window_s_7_day_grace() {
        // 10 a day, 1 answered after a day (10%): the window 0–13 holds 140
        // at 10%; after its grace, days 14–20, it is assessed at the end of
        // day 20 and blocks days 21–34 (credit-rules §5).
        let closed = blocked_days(10, 1, 1, 200);
        assert_eq!(closed[..14], (21..35).collect::<Vec<_>>()[..]);
        // Watching resumes with windows from day 35: the window 35–48 is
        // assessed on day 55 and blocks 56–69.
        assert_eq!(closed[14..28], (56..70).collect::<Vec<_>>()[..]);
    }

    #[test]
    fn with_warnings_a_low_rate_warns_on_day_20_and_blocks_days_42_to_55() {
        // The same, with `floor.warning`: warning for days 21–34,
        // re-assessed at the end of day 41 (same 10%): blocked 42–55.
        let closed = blocked_days_of(floor(true), 10, 1, 1, 200);
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
        w.reset();
        for day in 0..200 {
            w.sent(day, sent_on(day));
            for k in 0..day % 5 {
                let delay = delay_of(day * 7 + k);
                w.answered(day, delay);
                answers.push((day, delay));
            }
            w.settle(day + 1);
            let window = day.saturating_sub(LATEST)..=day.saturating_sub(LAG);
            let afresh = answers
                .iter()
                .filter(|&&(s, d)| day >= LAG && window.contains(&s) && s + d <= day)
                .count();
            assert_eq!(w.window_answered(), afresh as u64, "day {day}");
            let sent: u64 = window.filter(|_| day >= LAG).map(sent_on).sum();
            assert_eq!(w.window_sent(), sent, "day {day}");
        }
    }

    /// Days closed ahead, in runs, and opened only from `due`, block the
    /// days that closing each day at its end blocks, through blocks,
    /// warnings, lifted warnings and windows on either side of the floor,
    /// with warnings and without.
    #[test]
    fn days_closed_ahead_block_what_days_closed_on_time_block() {
        // A small multiplicative hash: a varied volume and rate.
        let hash = |n: u32| n.wrapping_mul(2_654_435_761) >> 16;
        for warning in [false, true] {
            let (mut ahead, mut on_time) = (floor(warning), floor(warning));
            let (mut blocks, mut warnings) = (0, 0);
            for trial in 0..400u32 {
                ahead.reset();
                on_time.reset();
                let mut blocked = false;
                for day in 0..400u32 {
                    // As `Books` does: the days before `due` are not
                    // opened, and keep what the last one that was found.
                    if day >= ahead.due() {
                        blocked = ahead.open(day);
                    }
                    // Each day closed at its end, none ahead.
                    on_time.settle(day);
                    let (from, until) = on_time.block;
                    let on_time_blocked = (from..=until).contains(&day);
                    assert_eq!(
                        blocked, on_time_blocked,
                        "warning {warning}, trial {trial}, day {day}"
                    );
                    blocks += u32::from(blocked);
                    warnings += u32::from(matches!(on_time.phase, Phase::Warned { .. }));
                    if blocked {
                        continue;
                    }
                    let h = hash(trial * 1000 + day);
                    // 4 to 16 a day (140 in 14 days on average, some
                    // windows under 100), about 6% to 18% answered, trial
                    // by trial and over time.
                    let sent = u64::from(4 + h % 13);
                    let rate = 6 + (trial + day / 50) % 13;
                    for w in [&mut ahead, &mut on_time] {
                        w.sent(day, sent);
                        for k in 0..sent as u32 {
                            if hash(h + k) % 100 < rate {
                                w.answered(day, hash(h * 3 + k) % 30);
                            }
                        }
                    }
                }
            }
            assert!(blocks > 100, "warning {warning}: {blocks} blocks");
            assert!(
                !warning || warnings > 100,
                "warning {warning}: {warnings} warnings"
            );
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
    fn with_warnings_a_rate_that_improves_during_the_warning_lifts_it() {
        // Bad for 14 days (warning at day 20), then silence: the warning
        // period's InMails number 0 < 100, so no block.
        assert!(blocked_days_of(floor(true), 10, 1, 1, 14).is_empty());
    }

    #[test]
    fn without_warnings_one_bad_window_blocks_however_the_rate_goes_on() {
        // Bad for 14 days, then silence: blocked after the grace all the
        // same, once.
        assert_eq!(blocked_days(10, 1, 1, 14), (21..35).collect::<Vec<_>>());
    }
}
