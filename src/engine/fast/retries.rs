//! The backlog's retries in the fast engine (credit-rules §8.1): waiting
//! messages go before the day's new ones, Open Profile ones first; whether
//! a retry responds is drawn when it goes out, from its own stream.

use super::follow_ups::queue_follow_ups;
use super::{Simulator, spend_or_block};
use crate::engine::recipients::{Message, Reply};
use crate::scenario::RefundExpiry;

impl Simulator<'_> {
    /// The backlog goes first (§8.1): Open Profile messages that may still
    /// go out free, then those that need a credit. Once nothing can go out
    /// today the rest is blocked in one step: the same counts as trying
    /// each message, without a cost that grows with a long blocked spell.
    #[inline(never)]
    pub(super) fn send_backlog(&mut self, day: u32) {
        let waiting = self.backlog.take();
        for left in (1..=waiting.open_profile).rev() {
            if !self.books.free_allowance_left() && self.books.out_of_credit() {
                self.block_waiting(day, left, true);
                break;
            }
            let reply = self.retry_reply();
            self.send_message(
                day,
                Message {
                    open_profile: true,
                    reply,
                },
            );
        }
        if self.specials_in_one_run
            && self.books.model().scenario.refunds.expiry == RefundExpiry::Fresh
        {
            self.retry_in_one_run(day, waiting.paid);
            return;
        }
        let mut left = waiting.paid;
        while left > 0 {
            if self.books.out_of_credit() {
                self.block_waiting(day, left, false);
                break;
            }
            let plain = (self.retry.next - self.retried).min(left);
            if plain > 0 {
                // Only the messages that went out take their places in the
                // retry process. Were blocked ones to use up theirs (all
                // non-responders, as the run stops before a responder), the
                // next responder would be kept for a message that goes out,
                // and those sent would respond more often than `p`.
                let blocked = self.send_plain(day, plain);
                self.retried += plain - blocked;
                left -= plain;
                continue;
            }
            let reply = self.retry_reply();
            self.send_message(
                day,
                Message {
                    open_profile: false,
                    reply,
                },
            );
            left -= 1;
        }
    }

    /// `count` waiting messages that need a credit, as one run through the
    /// ledger: the same results, from the same draws, as the loop of
    /// `send_backlog`. Without a floor only the ledger blocks, and nothing
    /// adds credits between the sends, so the blocked ones are the run's
    /// last and wait again. Only the messages that went out take places in
    /// the retry process, so its responders are those among the next
    /// `sent` retries, drawn as `retry_reply` draws them. Their refunds
    /// are fresh lots (§8.5), so which credit each took does not matter.
    fn retry_in_one_run(&mut self, day: u32, count: u64) {
        if count == 0 {
            return;
        }
        let blocked = spend_or_block(&mut self.books, day, count);
        if blocked > 0 {
            self.block_waiting(day, blocked, false);
        }
        let (first, sent) = (self.retried, count - blocked);
        let mut replies = std::mem::take(&mut self.paid_replies);
        while self.retry.next < first + sent {
            let index = self.retry.next;
            self.retry.advance_past(index, &mut self.retry_rng);
            let table = &self.books.model().scenario.delay.table;
            let reply = self.recipients.reply_attributes(table, &mut self.retry_rng);
            self.books
                .schedule_paid_response(day, reply.delay, reply.decline);
            replies.push((index - first, reply));
        }
        self.retried = first + sent;
        if let Some(f) = &mut self.follow {
            queue_follow_ups(f, day, sent, &replies);
        }
        replies.clear();
        self.paid_replies = replies;
    }

    /// Whether the next retry responds, and how (§4c). Called only for a
    /// message that goes out: one is blocked only once nothing can go out
    /// (`out_of_credit`), which is checked before.
    fn retry_reply(&mut self) -> Option<Reply> {
        let index = self.retried;
        self.retried += 1;
        if self.retry.next != index {
            return None;
        }
        self.retry.advance_past(index, &mut self.retry_rng);
        let table = &self.books.model().scenario.delay.table;
        Some(self.recipients.reply_attributes(table, &mut self.retry_rng))
    }

    /// `count` waiting messages blocked again today; Open Profile ones past
    /// the limit now need a credit (`Books::waits_free`).
    fn block_waiting(&mut self, day: u32, count: u64, open_profile: bool) {
        self.books.record_blocked(day, count);
        let free = self.books.waits_free(open_profile);
        self.backlog.push(count, free);
    }
}
