//! Follow-ups in the fast engine (credit-rules §5): the queue of those due,
//! which of them get a response, and sending a day's due ones, runs of
//! plain ones in one step.

use crate::engine::books::Books;
use crate::engine::follow::{Due, FollowQueue};
use crate::engine::recipients::{Gaps, Recipients, Reply};
use crate::rules::follow_up::{self, FollowUp};
use crate::sampling::delay::DelayTable;
use crate::sampling::streams::SimRng;
use crate::scenario::FollowUpRule;

/// Follow-ups in the fast engine: which of them get a response is a
/// Bernoulli process over the follow-up index (each `Due::Open` follow-up
/// takes one, sent or blocked), drawn as geometric gaps from its own stream.
#[derive(Debug)]
pub(super) struct FollowUps {
    pub(super) queue: FollowQueue,
    pub(super) rule: FollowUpRule,
    pub(super) after_days: u32,
    pub(super) factor: f64,
    pub(super) answers: Gaps,
    /// Index of the next `Due::Open` follow-up.
    pub(super) index: u64,
    pub(super) rng: SimRng,
}

/// The follow-ups of a run's first `sent` paid messages, in the order they
/// went out (§5): each responder's as `rules::follow_up` says, the plain
/// messages' in runs between them. (Standard rule: a follow-up is charged
/// when it goes out, so a sent message always has one scheduled.)
/// Inline: it runs on every day with a responder, and a call's set-up
/// cost a quarter of its work.
#[inline(always)]
pub(super) fn queue_follow_ups(f: &mut FollowUps, day: u32, sent: u64, replies: &[(u64, Reply)]) {
    debug_assert!(!follow_up::charged_at_send(f.rule));
    // Open follow-ups in a row are one entry (as `FollowQueue::push` would
    // merge them): pushed only when an answered one comes between.
    let (mut open, mut next) = (0, 0);
    for &(at, reply) in replies.iter().take_while(|(at, _)| *at < sent) {
        open += at - next;
        next = at + 1;
        match follow_up::follow_up(f.rule, f.after_days, Some(reply.delay)) {
            FollowUp::Due { answered: false } => open += 1,
            FollowUp::Due { answered: true } => {
                f.queue.push(day, Due::Open(std::mem::take(&mut open)));
                f.queue.push(day, Due::Answered(1));
            }
            FollowUp::Dropped | FollowUp::Cancelled { .. } => {}
        }
    }
    f.queue.push(day, Due::Open(open + sent - next));
}

impl FollowUps {
    /// The follow-ups due on `day`, in the order their first messages went
    /// out: runs of plain ones in one step, answering ones one by one.
    /// The day's slot is read in place, as a slice, with the other fields
    /// borrowed apart from it (nothing sent today queues a follow-up due
    /// today: `after_days` is at least 1).
    pub(super) fn send_due(&mut self, day: u32, books: &mut Books, recipients: &Recipients) {
        let FollowUps {
            queue,
            rule,
            after_days,
            answers,
            index,
            rng,
            ..
        } = self;
        let due = queue.due_on(day);
        if due.is_empty() {
            return;
        }
        let mut answering = Answering {
            rule: *rule,
            after_days: *after_days,
            answers,
            index,
            rng,
        };
        for &entry in due {
            match entry {
                Due::Answered(count) => send_plain(*rule, books, day, count),
                Due::Open(count) => answering.send_open(books, recipients, day, count),
            }
        }
        queue.clear_day(day);
    }
}

impl FollowUps {
    /// How many follow-ups are due on `day`, answering or not.
    #[inline(always)]
    pub(super) fn due_count(&self, day: u32) -> u64 {
        let due = self.queue.totals_on(day);
        due.open + due.answered
    }

    /// The follow-ups due on `day` when all of them go out, or none do:
    /// the draws [`FollowUps::send_due`] makes, in the same order, and the
    /// day's slot emptied. Only the open ones (first messages never
    /// answered) may get a response; their answering ones' responses are
    /// passed to `answered` (nothing else sets one follow-up apart from
    /// another when the whole day goes the same way). Returns how many
    /// were due.
    #[inline(always)]
    pub(super) fn take_due_whole(
        &mut self,
        day: u32,
        recipients: &Recipients,
        delays: &DelayTable,
        mut answered: impl FnMut(Reply),
    ) -> u64 {
        let due = self.queue.totals_on(day);
        let end = self.index + due.open;
        while self.answers.next < end {
            self.answers.advance_past(self.answers.next, &mut self.rng);
            answered(recipients.reply_attributes(delays, &mut self.rng));
        }
        self.index = end;
        self.queue.clear_day(day);
        due.open + due.answered
    }
}

/// `count` follow-ups that get no response.
#[inline(always)]
fn send_plain(rule: FollowUpRule, books: &mut Books, day: u32, count: u64) {
    match rule {
        FollowUpRule::Recruiter => books.follow_ups_prepaid(day, count),
        FollowUpRule::Standard => books.follow_ups_paid(day, count),
    };
}

/// The fields of [`FollowUps`] that say which follow-ups get a response,
/// borrowed apart from the queue whose entries are being read.
struct Answering<'f> {
    rule: FollowUpRule,
    after_days: u32,
    answers: &'f mut Gaps,
    index: &'f mut u64,
    rng: &'f mut SimRng,
}

impl Answering<'_> {
    /// `count` follow-ups whose first messages are never answered: plain
    /// runs in one step, the ones that get a response one by one.
    #[inline(always)]
    fn send_open(&mut self, books: &mut Books, recipients: &Recipients, day: u32, count: u64) {
        let end = *self.index + count;
        while *self.index < end {
            let next = self.answers.next.min(end);
            if next > *self.index {
                send_plain(self.rule, books, day, next - *self.index);
                *self.index = next;
                continue;
            }
            self.answers.advance_past(*self.index, self.rng);
            *self.index += 1;
            let table = &books.model().scenario.delay.table;
            let reply = recipients.reply_attributes(table, self.rng);
            let (sent, spent_from) = match self.rule {
                FollowUpRule::Standard => {
                    let lot = books.follow_up_paid(day);
                    (lot.is_some(), lot)
                }
                // Charged at the first send; the refund is a fresh lot, if
                // that charge was under the plan still in force.
                FollowUpRule::Recruiter => (
                    books.follow_ups_prepaid(day, 1) == 1,
                    books.prepaid_refund(day, self.after_days),
                ),
            };
            if sent {
                books.schedule_response(day, reply.delay, spent_from, reply.decline);
            }
        }
    }
}
