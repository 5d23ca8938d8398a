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
//! Follow-ups (§5) are in [`follow_ups`], the backlog's retries (§8.1) in
//! [`retries`].

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
    /// Where each day's messages start, over the whole horizon, as
    /// `check_floor` drew them: the lean cycle takes its cycles' days from
    /// here rather than drawing them again, when `ahead_drawn`.
    demand_ahead: Vec<u64>,
    /// `demand_ahead` holds this trial's demand: the floor never assesses
    /// it.
    ahead_drawn: bool,
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
    /// Refunds go back to the lot their credit came from (§8.4): the lean
    /// cycle reads each paid responder's lot off the ledger.
    own_lots: bool,
    /// A lean cycle is one for refunds to their own lot, a backlog or
    /// Open Profiles (`CyclePath::choose` picks it for them only on their
    /// own: `special_lean_cycle`); read only on that path.
    special_lean: bool,
}

mod counted;
mod follow_stretch;
mod follow_ups;
mod lean;
mod retries;

use counted::Counted;
use follow_ups::{FollowUps, queue_follow_ups};

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
        // Follow-ups take the lean cycle only in stretches of one lifetime
        // (`fast::follow_stretch`); asked for another lean cycle, they run
        // message by message (`send_new` would send their days alike).
        let path = match path {
            CyclePath::Lean {
                same_lifetimes: None,
            } if sc.follow_ups.is_some() => CyclePath::DayByDay { alike: false },
            path => path,
        };
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
            }),
            path,
            unwatched: None,
            trial_path: path,
            floor_unchecked: false,
            bounds: Vec::new(),
            demand_ahead: Vec::new(),
            ahead_drawn: false,
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
            own_lots: sc.refunds.expiry == RefundExpiry::Original,
            special_lean: sc.refunds.expiry == RefundExpiry::Original
                || sc.demand.backlog
                || sc.open_profile.share > 0.0
                || sc.follow_ups.is_some(),
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
    /// a copy of its stream: the floor limits sends to one day at a time,
    /// and that costs more than the draws. A trial that then runs on the
    /// lean cycle takes its days' demand from these draws
    /// (`demand_ahead`, each day's first message as the running total),
    /// which is all of it; one that does not draws its days again.
    #[inline(never)]
    fn check_floor(&mut self, demand_rng: &SimRng) {
        use rand::Rng;
        let model = self.books.model();
        let (Some(unwatched), Some(rule)) = (self.unwatched, &model.scenario.floor) else {
            return;
        };
        let (demand, days) = (&model.demand, model.scenario.horizon.days());
        let mut rng = demand_rng.clone();
        // Written in place (the memory is kept from trial to trial), each
        // day's slot as its count is drawn.
        let ahead = &mut self.demand_ahead;
        ahead.resize(days as usize + 1, 0);
        let mut total = self.demanded;
        ahead[0] = total;
        let mut keep = |(count, slot): (u32, &mut u64)| {
            total += u64::from(count);
            *slot = total;
            count
        };
        let slots = ahead[1..].iter_mut();
        let never = match demand.one_table(0..days) {
            Some((send_day, table)) => {
                let daily = send_day.iter().map(|&sends| match sends {
                    true => table.count(rng.next_u64()),
                    false => 0,
                });
                response_floor::never_assessed(rule, daily.zip(slots).map(&mut keep))
            }
            None => {
                let daily = (0..days).map(|d| demand.draw(d, &mut rng));
                response_floor::never_assessed(rule, daily.zip(slots).map(&mut keep))
            }
        };
        if never {
            self.books.unwatch_floor();
            self.trial_path = unwatched;
            self.ahead_drawn = true;
        }
    }

    /// New demand: plain runs in one step, special messages one by one.
    #[inline(always)]
    fn send_new(&mut self, day: u32, new: u32) {
        if self.path.alike() {
            // Only the day-by-day path sends a trial the floor watches.
            self.send_alike(day, new, true);
            return;
        }
        self.send_new_unalike(day, new);
    }

    /// `send_new` when messages differ in more than their responses.
    #[inline(always)]
    fn send_new_unalike(&mut self, day: u32, new: u32) {
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
        self.send_alike(day, new, false);
    }

    /// `send_new_alike`; its responders go to `responders_watched` when
    /// `may_watch` and a floor watches the trial. A constant at each
    /// call: the lean cycle's days, which a watched trial never takes,
    /// are compiled without the check.
    #[inline(always)]
    fn send_alike(&mut self, day: u32, new: u32, may_watch: bool) {
        if new == 0 {
            return;
        }
        let end = self.demanded + u64::from(new);
        let blocked = self.books.spend_many(day, u64::from(new));
        if blocked > 0 {
            self.plain_blocked(day, blocked);
        }
        if self.recipients.next_responder() < end {
            match may_watch && self.books.floor_watches() {
                true => self.responders_watched(day, end, end - blocked),
                false => self.responders_alike(day, end, end - blocked),
            }
        }
        self.demanded = end;
    }

    /// The responders among messages up to `end`; those before `sent_end`
    /// went out. Blocked ones still take their draws, so that the message
    /// at each index is the same in every scenario (common random numbers).
    #[inline(never)]
    fn responders_alike(&mut self, day: u32, end: u64, sent_end: u64) {
        self.responders::<false>(day, end, sent_end);
    }

    /// `responders_alike` when a floor watches the trial: each responder
    /// that went out is told to the floor and scheduled inline
    /// (`Books::schedule_watched_inline`), not through a call per
    /// responder. Its own function, so that the loop without a floor
    /// keeps its shape.
    #[inline(never)]
    fn responders_watched(&mut self, day: u32, end: u64, sent_end: u64) {
        self.responders::<true>(day, end, sent_end);
    }

    /// The loop of `responders_alike` and `responders_watched`, compiled
    /// into each.
    #[inline(always)]
    fn responders<const WATCHED: bool>(&mut self, day: u32, end: u64, sent_end: u64) {
        while self.recipients.next_responder() < end {
            let index = self.recipients.next_responder();
            let reply = self.next_reply(index);
            if index < sent_end {
                if WATCHED {
                    self.books
                        .schedule_watched_inline(day, reply.delay, reply.decline);
                } else {
                    self.books
                        .schedule_paid_response(day, reply.delay, reply.decline);
                }
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

    /// Inline, behind `send_plain`'s check that follow-ups are on: it runs
    /// on most send days of a scenario with them, and its call's set-up
    /// and return were a fifth of its instructions.
    #[inline(always)]
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
        self.ahead_drawn = false;
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

    fn finish_cycle<'s>(&'s mut self) -> &'s CycleMetrics
    where
        'm: 's,
    {
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
            CyclePath::Lean { .. } if self.special_lean => {
                self.special_lean_cycle(cycle, demand_rng)
            }
            CyclePath::Lean { same_lifetimes } => {
                self.lean_cycle(cycle, same_lifetimes, demand_rng)
            }
            CyclePath::DayByDay { .. } => day_by_day(self, model, cycle, demand_rng),
        }
    }
}

#[cfg(test)]
mod tests;
