//! The fast engine. Same model and same day loop as the reference engine,
//! but random draws scale with responses rather than sends: each demanded
//! message's Open Profile and response come from Bernoulli processes over
//! its index, drawn as geometric gaps (`recipients`), so the messages in
//! between — most of them — are plain: they need a credit and get no
//! response, and a run of them is sent (or blocked) in one ledger step.
//! When messages differ only in whether they respond, a whole cycle skips
//! the day loop: see [`counted`] (one plan, no add-ons, demand that mostly
//! goes out) and [`lean`] (the rest); both give the day loop's results.
//! Which of these runs is chosen once per model, in `engine::path`.

use super::backlog::Backlog;
use super::books::Books;
use super::driver::{Sends, day_by_day, drive};
use super::follow::{Due, FollowQueue};
use super::path::CyclePath;
use super::recipients::{Gaps, Message, Recipients, Reply};
use super::{CycleMetrics, Model, TrialObserver};
use crate::calendar::Cycle;
use crate::rules::follow_up::{self, FollowUp};
use crate::rules::response_floor;
use crate::sampling::streams::{SimRng, Stream, TrialKey, stream_rng};
use crate::scenario::{AddonPolicy, FollowUpRule, RefundExpiry};

/// Per-thread simulation state, reused across trials.
#[derive(Debug)]
pub struct Simulator<'m> {
    books: Books<'m>,
    recipients: Recipients,
    rng: SimRng,
    /// Index of the next message to be demanded in this trial.
    demanded: u64,
    backlog: Backlog,
    /// Which messages sent from the backlog respond: a Bernoulli process
    /// over the index of each retry (sent or blocked), drawn as geometric
    /// gaps from its own stream, so that the recipients of new messages do
    /// not depend on the backlog. A waiting message keeps only its kind
    /// (see `backlog`); whether it responds is drawn when it is retried,
    /// at the rate then in force (§4c, §8.9).
    retry: Gaps,
    /// Index of the next retry.
    retried: u64,
    retry_rng: SimRng,
    p: f64,
    follow: Option<FollowUps>,
    /// How the cycles run, chosen once ([`CyclePath::choose`]).
    path: CyclePath,
    /// The path of a trial the floor can never act on
    /// ([`CyclePath::unwatched`]), if the floor alone sets `path`.
    unwatched: Option<CyclePath>,
    /// How this trial's cycles run: `path`, or `unwatched`.
    trial_path: CyclePath,
    /// The trial's demand is still to be checked against the floor.
    floor_unchecked: bool,
    /// Scratch for the lean and counted cycles: where each day's messages
    /// start.
    bounds: Vec<u64>,
    /// The ledger as two running totals, on the counted path (see
    /// [`counted`]).
    counted: Option<Counted>,
    /// A day's new messages with special ones among them, and the backlog's
    /// retries, are one run through the ledger
    /// ([`Simulator::send_specials_in_one_run`], `retry_in_one_run`): no
    /// floor, no follow-up charged when its first message is sent, and no
    /// add-ons bought when refunds go back to their own lot.
    specials_in_one_run: bool,
    /// Scratch for that run: each paid responder's place among the day's
    /// paid messages, and its response.
    paid_replies: Vec<(u64, Reply)>,
}

mod counted;
mod lean;

use counted::Counted;

/// Follow-ups in the fast engine: which of them get a response is a
/// Bernoulli process over the follow-up index (each `Due::Open` follow-up
/// takes one, sent or blocked), drawn as geometric gaps from its own stream.
#[derive(Debug)]
struct FollowUps {
    queue: FollowQueue,
    rule: FollowUpRule,
    after_days: u32,
    factor: f64,
    answers: Gaps,
    /// Index of the next `Due::Open` follow-up.
    index: u64,
    rng: SimRng,
    /// Scratch for the day's entries.
    due: Vec<Due>,
}

/// The follow-ups of a run's first `sent` paid messages, in the order they
/// went out (§5): each responder's as `rules::follow_up` says, the plain
/// messages' in runs between them. (Standard rule: a follow-up is charged
/// when it goes out, so a sent message always has one scheduled.)
fn queue_follow_ups(f: &mut FollowUps, day: u32, sent: u64, replies: &[(u64, Reply)]) {
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

/// `count` sends that each need a credit, as [`Books::spend_many`]:
/// returns how many were blocked. With nothing held and nothing to buy
/// all of them are, which is told without the ledger's run: once a
/// cycle's credits run out, days of blocked sends (and, with a backlog,
/// blocked retries) follow one another to its end.
#[inline(always)]
fn spend_or_block(books: &mut Books, day: u32, count: u64) -> u64 {
    if books.balance() == 0 && books.out_of_credit() {
        return count;
    }
    books.spend_many(day, count)
}

impl FollowUps {
    /// The follow-ups due on `day`, in the order their first messages went
    /// out: runs of plain ones in one step, answering ones one by one.
    fn send_due(&mut self, day: u32, books: &mut Books, recipients: &Recipients) {
        self.queue.take(day, &mut self.due);
        for i in 0..self.due.len() {
            match self.due[i] {
                Due::Answered(count) => self.send_plain(books, day, count),
                Due::Open(count) => self.send_open(books, recipients, day, count),
            }
        }
        self.due.clear();
    }

    /// `count` follow-ups that get no response.
    fn send_plain(&self, books: &mut Books, day: u32, count: u64) {
        match self.rule {
            FollowUpRule::Recruiter => books.follow_ups_prepaid(day, count),
            FollowUpRule::Standard => books.follow_ups_paid(day, count),
        };
    }

    /// `count` follow-ups whose first messages are never answered: plain
    /// runs in one step, the ones that get a response one by one.
    fn send_open(&mut self, books: &mut Books, recipients: &Recipients, day: u32, count: u64) {
        let end = self.index + count;
        while self.index < end {
            let next = self.answers.next.min(end);
            if next > self.index {
                self.send_plain(books, day, next - self.index);
                self.index = next;
                continue;
            }
            self.answers.advance_past(self.index, &mut self.rng);
            self.index += 1;
            let table = &books.model().scenario.delay.table;
            let reply = recipients.reply_attributes(table, &mut self.rng);
            let spent_from = match self.rule {
                FollowUpRule::Standard => books.follow_up_paid(day),
                // Charged at the first send; the refund is a fresh lot.
                FollowUpRule::Recruiter => {
                    (books.follow_ups_prepaid(day, 1) == 1).then_some(crate::rules::Expiry::Never)
                }
            };
            if spent_from.is_some() {
                books.schedule_response(day, reply.delay, spent_from, reply.decline);
            }
        }
    }
}

impl<'m> Simulator<'m> {
    pub fn new(model: &'m Model) -> Simulator<'m> {
        let mut sim = Simulator::on_path(model, CyclePath::choose(model));
        sim.unwatched = CyclePath::unwatched(model);
        sim
    }

    /// A simulator whose cycles run on `path`. Tests use it to run a
    /// slower path than [`CyclePath::choose`]'s and compare; a path is
    /// right for a model only if it is that one or slower.
    pub(super) fn on_path(model: &'m Model, path: CyclePath) -> Simulator<'m> {
        let sc = &model.scenario;
        let declines = (!sc.refunds.declines).then_some(sc.response.declines_share);
        Simulator {
            books: Books::new(model),
            recipients: Recipients::new(sc.open_profile.share, declines),
            rng: stream_rng(0, 0, Stream::Recipients),
            retry: Gaps::new(0.0),
            retried: 0,
            retry_rng: stream_rng(0, 0, Stream::Backlog),
            demanded: 0,
            backlog: Backlog::default(),
            p: 0.0,
            follow: sc.follow_ups.map(|f| FollowUps {
                queue: FollowQueue::new(f.after_days, sc.horizon.days()),
                rule: f.rule,
                after_days: f.after_days,
                factor: f.response_factor,
                answers: Gaps::new(0.0),
                index: 0,
                rng: stream_rng(0, 0, Stream::FollowUps),
                due: Vec::new(),
            }),
            path,
            unwatched: None,
            trial_path: path,
            floor_unchecked: false,
            bounds: Vec::new(),
            counted: match path {
                CyclePath::Counted { lifetime } => Some(Counted::new(model, lifetime)),
                _ => None,
            },
            specials_in_one_run: sc.floor.is_none()
                && sc
                    .follow_ups
                    .is_none_or(|f| !follow_up::charged_at_send(f.rule))
                && (sc.refunds.expiry == RefundExpiry::Fresh
                    || sc.addons.policy == AddonPolicy::Never),
            paid_replies: Vec::new(),
        }
    }

    /// The balance, when the counted cycle runs the ledger (which then
    /// keeps it, not the books).
    fn counted_balance(&self) -> Option<u64> {
        self.counted.as_ref().map(Counted::balance)
    }

    /// Simulates trial number `trial` and reports it to `observer`.
    pub fn run_trial(&mut self, trial: u64, observer: &mut impl TrialObserver) {
        let model = self.books.model();
        drive(self, model, trial, observer);
    }

    /// Before the trial's first cycle: if its demand leaves the floor no
    /// window to assess (`response_floor::never_assessed`), the trial runs
    /// as without a floor, on `unwatched`. Its demand is drawn ahead from
    /// a copy of its stream, which the days then draw again: the floor
    /// limits sends to one day at a time, and that costs more than the
    /// draws.
    #[inline(never)]
    fn check_floor(&mut self, demand_rng: &SimRng) {
        use rand::Rng;
        let model = self.books.model();
        let (Some(unwatched), Some(rule)) = (self.unwatched, &model.scenario.floor) else {
            return;
        };
        let (demand, days) = (&model.demand, model.scenario.horizon.days());
        let mut rng = demand_rng.clone();
        let never = match demand.one_table(0..days) {
            Some((send_day, table)) => {
                let daily = send_day.iter().map(|&sends| match sends {
                    true => table.count(rng.next_u64()),
                    false => 0,
                });
                response_floor::never_assessed(rule, daily)
            }
            None => {
                response_floor::never_assessed(rule, (0..days).map(|d| demand.draw(d, &mut rng)))
            }
        };
        if never {
            self.books.unwatch_floor();
            self.trial_path = unwatched;
        }
    }

    /// New demand: plain runs in one step, special messages one by one.
    #[inline(always)]
    fn send_new(&mut self, day: u32, new: u32) {
        if self.path.alike() {
            self.send_new_alike(day, new);
            return;
        }
        let end = self.demanded + u64::from(new);
        if self.recipients.next_special() >= end {
            // Most days: every message of the day is plain.
            if new > 0 {
                self.send_plain(day, u64::from(new));
                self.demanded = end;
            }
            return;
        }
        self.send_new_with_special(day, end);
    }

    #[inline(never)]
    fn send_new_with_special(&mut self, day: u32, end: u64) {
        if self.specials_in_one_run {
            self.send_specials_in_one_run(day, end);
        } else {
            self.send_specials_one_by_one(day, end);
        }
    }

    /// The day's new messages up to `end`, special ones one by one: with a
    /// floor (which may refuse any send) or follow-ups charged when their
    /// first message goes out.
    #[inline(never)]
    fn send_specials_one_by_one(&mut self, day: u32, end: u64) {
        while self.demanded < end {
            let special = self.recipients.next_special().min(end);
            if special > self.demanded {
                self.send_plain(day, special - self.demanded);
                self.demanded = special;
                continue;
            }
            let table = &self.books.model().scenario.delay.table;
            let message = self.recipients.take(self.demanded, table, &mut self.rng);
            self.demanded += 1;
            self.send_message(day, message);
        }
    }

    /// The day's new messages up to `end`, some of them special, as one
    /// run through the ledger; the same results, from the same draws, as
    /// sending them one by one. Without a floor nothing refuses a send but
    /// the ledger, and nothing adds credits between a day's sends (§4b: a
    /// purchase happens inside `spend_many` exactly where a send would make
    /// it), so:
    /// - an Open Profile message goes out free exactly when the cycle's
    ///   allowance has room at its turn (§4a), which depends only on the
    ///   free messages before it, not on the ledger;
    /// - the others need a credit each, in order, and the blocked ones are
    ///   the last of them; one blocked now never waits free (§8.1: the
    ///   allowance had no room at its turn and gets none back this cycle).
    ///
    /// Each special message is drawn at its turn (`take`, in index order,
    /// as before); the paid responders wait in `paid_replies` until the run
    /// says which of them went out. Their credits' lots matter only when
    /// refunds go back to their own lot (§8.4); nothing is bought then (see
    /// `specials_in_one_run`), so each one's lot is read off the ledger
    /// before the run spends.
    #[inline(always)]
    fn send_specials_in_one_run(&mut self, day: u32, end: u64) {
        let start = self.demanded;
        let mut replies = std::mem::take(&mut self.paid_replies);
        let mut free = 0;
        let sc = &self.books.model().scenario;
        if sc.open_profile.share <= 0.0 {
            // Only responders, all paid: their draws inline, as `take`
            // makes them.
            while self.recipients.next_responder() < end {
                let index = self.recipients.next_responder();
                let reply = self.next_reply(index);
                replies.push((index - start, reply));
            }
        }
        let table = &sc.delay.table;
        while self.recipients.next_special() < end {
            let index = self.recipients.next_special();
            let message = self.recipients.take(index, table, &mut self.rng);
            if message.open_profile && self.books.send_free(day) {
                free += 1;
                if let Some(reply) = message.reply {
                    self.books
                        .schedule_response(day, reply.delay, None, reply.decline);
                }
            } else if let Some(reply) = message.reply {
                replies.push((index - start - free, reply));
            }
        }
        let paid = end - start - free;
        let sent = match self.books.model().scenario.refunds.expiry {
            RefundExpiry::Fresh => {
                let sent = paid - spend_or_block(&mut self.books, day, paid);
                for &(_, reply) in replies.iter().take_while(|(at, _)| *at < sent) {
                    self.books
                        .schedule_paid_response(day, reply.delay, reply.decline);
                }
                sent
            }
            RefundExpiry::Original => {
                // Nothing is bought (see `specials_in_one_run`): the ones
                // that go out are those the balance holds, and each takes
                // its credit from the lot `lot_of_send` finds.
                for &(at, reply) in &replies {
                    let Some(lot) = self.books.lot_of_send(at) else {
                        break;
                    };
                    self.books
                        .schedule_response(day, reply.delay, Some(lot), reply.decline);
                }
                paid - spend_or_block(&mut self.books, day, paid)
            }
        };
        if paid > sent {
            self.plain_blocked(day, paid - sent);
        }
        if let Some(f) = &mut self.follow {
            queue_follow_ups(f, day, sent, &replies);
        }
        replies.clear();
        self.paid_replies = replies;
        self.demanded = end;
    }

    /// New demand when messages are alike but for their responses: the
    /// day is one run through the ledger. Sends go out in order and
    /// nothing adds credits between them (§4b: a purchase happens inside
    /// `spend_many` exactly where a send would make it), so the blocked
    /// ones are the day's last; each responder is then drawn as `take`
    /// would, and its response scheduled if it went out.
    #[inline(always)]
    fn send_new_alike(&mut self, day: u32, new: u32) {
        if new == 0 {
            return;
        }
        let end = self.demanded + u64::from(new);
        let blocked = self.books.spend_many(day, u64::from(new));
        if blocked > 0 {
            self.plain_blocked(day, blocked);
        }
        if self.recipients.next_responder() < end {
            self.responders_alike(day, end, end - blocked);
        }
        self.demanded = end;
    }

    /// The responders among messages up to `end`; those before `sent_end`
    /// went out. Blocked ones still take their draws, so that the message
    /// at each index is the same in every scenario (common random numbers).
    #[inline(never)]
    fn responders_alike(&mut self, day: u32, end: u64, sent_end: u64) {
        while self.recipients.next_responder() < end {
            let index = self.recipients.next_responder();
            let reply = self.next_reply(index);
            if index < sent_end {
                self.books
                    .schedule_paid_response(day, reply.delay, reply.decline);
            }
        }
    }

    /// `count` plain messages: they need credits and get no response.
    /// Returns how many were blocked.
    #[inline(always)]
    fn send_plain(&mut self, day: u32, count: u64) -> u64 {
        if self.follow.is_none() {
            let blocked = spend_or_block(&mut self.books, day, count);
            if blocked > 0 {
                self.plain_blocked(day, blocked);
            }
            return blocked;
        }
        self.send_plain_with_follow_ups(day, count)
    }

    #[inline(never)]
    fn send_plain_with_follow_ups(&mut self, day: u32, count: u64) -> u64 {
        let blocked = match &mut self.follow {
            None => self.books.spend_many(day, count),
            Some(f) if f.rule == FollowUpRule::Standard => {
                let blocked = spend_or_block(&mut self.books, day, count);
                f.queue.push(day, Due::Open(count - blocked));
                blocked
            }
            Some(f) => {
                let (sent, charged) = self.books.spend_pairs(day, count);
                // Follow-ups that could not be charged are not scheduled;
                // which of the sent messages they belong to does not matter.
                f.queue.push(day, Due::Open(charged));
                count - sent
            }
        };
        if blocked > 0 {
            self.plain_blocked(day, blocked);
        }
        blocked
    }

    #[inline(never)]
    fn plain_blocked(&mut self, day: u32, blocked: u64) {
        self.books.record_blocked(day, blocked);
        if self.books.model().scenario.demand.backlog {
            self.backlog.push(blocked, false);
        }
    }

    /// One message that is an Open Profile or responds (§4a–c).
    fn send_message(&mut self, day: u32, message: Message) {
        let spent_from = if message.open_profile && self.books.send_free(day) {
            None
        } else {
            match self.books.spend_one(day) {
                Some(lot) => Some(lot),
                None => {
                    self.books.record_blocked(day, 1);
                    if self.books.model().scenario.demand.backlog {
                        let free = self.books.waits_free(message.open_profile);
                        self.backlog.push(1, free);
                    }
                    return;
                }
            }
        };
        if let Some(reply) = message.reply {
            self.books
                .schedule_response(day, reply.delay, spent_from, reply.decline);
        }
        if spent_from.is_some() && self.follow.is_some() {
            self.schedule_follow_up(day, message.reply);
        }
    }

    /// A paid message went out on `day`: its follow-up, unless the
    /// response comes first (`rules::follow_up`).
    fn schedule_follow_up(&mut self, day: u32, reply: Option<Reply>) {
        let Some(f) = &mut self.follow else { return };
        if follow_up::charged_at_send(f.rule) && !self.books.charge_follow_up(day) {
            return;
        }
        match follow_up::follow_up(f.rule, f.after_days, reply.map(|r| r.delay)) {
            FollowUp::Dropped => {}
            FollowUp::Cancelled { delay } => self.books.cancel_follow_up(day + delay),
            FollowUp::Due { answered: true } => f.queue.push(day, Due::Answered(1)),
            FollowUp::Due { answered: false } => f.queue.push(day, Due::Open(1)),
        }
    }

    /// The follow-ups due on `day`, in the order their first messages went
    /// out: runs of plain ones in one step, answering ones one by one. The
    /// follow-ups are borrowed apart from the books, not moved out and
    /// back (a copy of the whole state every day).
    fn send_follow_ups(&mut self, day: u32) {
        if let Some(f) = &mut self.follow {
            f.send_due(day, &mut self.books, &self.recipients);
        }
    }

    /// The backlog goes first (§8.1): Open Profile messages that may still
    /// go out free, then those that need a credit. Once nothing can go out
    /// today the rest is blocked in one step: the same counts as trying
    /// each message, without a cost that grows with a long blocked spell.
    #[inline(never)]
    fn send_backlog(&mut self, day: u32) {
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

impl<'m> Sends<'m> for Simulator<'m> {
    fn books(&mut self) -> &mut Books<'m> {
        &mut self.books
    }

    fn start_trial(&mut self, key: TrialKey, p: f64) {
        let seed = self.books.model().scenario.seed;
        self.rng = key.rng(seed, Stream::Recipients);
        self.demanded = 0;
        self.trial_path = self.path;
        self.floor_unchecked = self.unwatched.is_some();
        if let Some(counted) = &mut self.counted {
            counted.reset();
        }
        self.backlog.take();
        self.p = p;
        self.recipients.start(p, &mut self.rng);
        if self.books.model().scenario.demand.backlog {
            self.retry_rng = key.rng(seed, Stream::Backlog);
            self.retried = 0;
            self.retry.set_rate(p);
            self.retry.start_at(0, &mut self.retry_rng);
        }
        if let Some(f) = &mut self.follow {
            f.queue.clear();
            f.rng = key.rng(seed, Stream::FollowUps);
            f.index = 0;
            f.answers.set_rate(f.factor * p);
            f.answers.start_at(0, &mut f.rng);
        }
    }

    fn set_rate(&mut self, p: f64) {
        self.p = p;
        self.recipients.set_rate(p, self.demanded, &mut self.rng);
        if let Some(f) = &mut self.follow {
            // Memoryless, as for new messages: restart at the next index.
            f.answers.set_rate(f.factor * p);
            f.answers.start_at(f.index, &mut f.rng);
        }
        if self.books.model().scenario.demand.backlog {
            // Memoryless: restart at the next retry.
            self.retry.set_rate(p);
            self.retry.start_at(self.retried, &mut self.retry_rng);
        }
    }

    fn follow_ups(&mut self, day: u32) {
        self.send_follow_ups(day);
    }

    #[inline(always)]
    fn send_day(&mut self, day: u32, new: u32) {
        if self.backlog.total() > 0 {
            self.send_backlog(day);
        }
        self.send_new(day, new);
    }

    fn start_cycle(&mut self, index: usize, first_day: u32) {
        match self.counted_balance() {
            Some(balance) => self.books.start_cycle_at(index, first_day, balance),
            None => self.books.start_cycle(index, first_day),
        }
    }

    fn finish_cycle(&mut self) -> CycleMetrics {
        match self.counted_balance() {
            Some(balance) => self.books.finish_cycle_at(balance),
            None => self.books.finish_cycle(),
        }
    }

    fn cycle_days(&mut self, model: &'m Model, cycle: &Cycle, demand_rng: &mut SimRng) {
        if self.floor_unchecked {
            self.floor_unchecked = false;
            self.check_floor(demand_rng);
        }
        match self.trial_path {
            CyclePath::Counted { .. } => self.counted_cycle(cycle, demand_rng),
            CyclePath::Lean { same_lifetimes } => {
                self.lean_cycle(cycle, same_lifetimes, demand_rng)
            }
            CyclePath::DayByDay { .. } => day_by_day(self, model, cycle, demand_rng),
        }
    }
}

#[cfg(test)]
mod tests {
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
}
