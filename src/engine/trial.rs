//! The fast engine. Same model and same day loop as the reference engine,
//! but random draws scale with responses rather than sends: each demanded
//! message's Open Profile and response come from Bernoulli processes over
//! its index, drawn as geometric gaps (`recipients`), so the messages in
//! between — most of them — are plain: they need a credit and get no
//! response, and a run of them is sent (or blocked) in one ledger step.

use super::backlog::{Backlog, Waiting};
use super::books::Books;
use super::driver::{Sends, drive};
use super::follow::{Due, FollowQueue};
use super::recipients::{Gaps, Message, Recipients, Reply};
use super::{Model, TrialObserver};
use crate::sampling::streams::{SimRng, Stream, TrialKey, stream_rng};
use crate::scenario::{FollowUpRule, Redraw};

/// Per-thread simulation state, reused across trials.
#[derive(Debug)]
pub struct Simulator<'m> {
    books: Books<'m>,
    recipients: Recipients,
    rng: SimRng,
    /// Redraws a waiting backlog's responses (§8.9), apart from `rng` so
    /// that the recipients of new messages do not depend on the backlog.
    redraw_rng: SimRng,
    /// Index of the next message to be demanded in this trial.
    demanded: u64,
    backlog: Backlog,
    /// Scratch for processing the backlog.
    waiting: Vec<Waiting>,
    p: f64,
    follow: Option<FollowUps>,
}

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

impl<'m> Simulator<'m> {
    pub fn new(model: &'m Model) -> Simulator<'m> {
        let sc = &model.scenario;
        let declines = (!sc.refunds.declines).then_some(sc.response.declines_share);
        Simulator {
            books: Books::new(model),
            recipients: Recipients::new(sc.open_profile.share, declines),
            rng: stream_rng(0, 0, Stream::Recipients),
            redraw_rng: stream_rng(0, 0, Stream::Redraw),
            demanded: 0,
            backlog: Backlog::default(),
            waiting: Vec::new(),
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
        }
    }

    /// Simulates trial number `trial` and reports it to `observer`.
    pub fn run_trial(&mut self, trial: u64, observer: &mut impl TrialObserver) {
        let model = self.books.model;
        drive(self, model, trial, observer);
    }

    /// New demand: plain runs in one step, special messages one by one.
    #[inline(always)]
    fn send_new(&mut self, day: u32, new: u32) {
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
        while self.demanded < end {
            let special = self.recipients.next_special().min(end);
            if special > self.demanded {
                self.send_plain(day, special - self.demanded);
                self.demanded = special;
                continue;
            }
            let table = &self.books.model.scenario.delay.table;
            let message = self.recipients.take(self.demanded, table, &mut self.rng);
            self.demanded += 1;
            self.send_message(day, message);
        }
    }

    /// `count` plain messages: they need credits and get no response.
    #[inline(always)]
    fn send_plain(&mut self, day: u32, count: u64) {
        if self.follow.is_none() {
            let blocked = self.books.spend_many(day, count);
            if blocked > 0 {
                self.plain_blocked(day, blocked);
            }
            return;
        }
        self.send_plain_with_follow_ups(day, count);
    }

    #[inline(never)]
    fn send_plain_with_follow_ups(&mut self, day: u32, count: u64) {
        let blocked = match &mut self.follow {
            None => self.books.spend_many(day, count),
            Some(f) if f.rule == FollowUpRule::Standard => {
                let blocked = self.books.spend_many(day, count);
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
    }

    #[inline(never)]
    fn plain_blocked(&mut self, day: u32, blocked: u64) {
        self.books.record_blocked(day, blocked);
        if self.books.model.scenario.demand.backlog {
            self.backlog.push_plain(blocked);
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
                    if self.books.model.scenario.demand.backlog {
                        self.backlog.push(message);
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
    /// response comes first (credit-rules §5; Help 417098 for Recruiter).
    fn schedule_follow_up(&mut self, day: u32, reply: Option<Reply>) {
        let Some(f) = &mut self.follow else { return };
        let answered_first = reply.is_some_and(|r| r.delay <= f.after_days);
        let due = match reply {
            None => Due::Open(1),
            Some(_) => Due::Answered(1),
        };
        match f.rule {
            FollowUpRule::Standard if answered_first => {}
            FollowUpRule::Standard => f.queue.push(day, due),
            FollowUpRule::Recruiter => {
                if !self.books.charge_follow_up(day) {
                    return;
                }
                match reply {
                    Some(r) if answered_first => self.books.cancel_follow_up(day + r.delay),
                    _ => f.queue.push(day, due),
                }
            }
        }
    }

    /// The follow-ups due on `day`, in the order their first messages went
    /// out: runs of plain ones in one step, answering ones one by one.
    fn send_follow_ups(&mut self, day: u32) {
        let Some(mut f) = self.follow.take() else {
            return;
        };
        let mut due = std::mem::take(&mut f.due);
        f.queue.take(day, &mut due);
        for entry in due.drain(..) {
            match entry {
                Due::Answered(count) => self.follow_ups_plain(&f, day, count),
                Due::Open(count) => self.follow_ups_open(&mut f, day, count),
            }
        }
        f.due = due;
        self.follow = Some(f);
    }

    /// `count` follow-ups that get no response.
    fn follow_ups_plain(&mut self, f: &FollowUps, day: u32, count: u64) {
        match f.rule {
            FollowUpRule::Recruiter => self.books.follow_ups_prepaid(day, count),
            FollowUpRule::Standard => self.books.follow_ups_paid(day, count),
        };
    }

    /// `count` follow-ups whose first messages are never answered: plain
    /// runs in one step, the ones that get a response one by one.
    fn follow_ups_open(&mut self, f: &mut FollowUps, day: u32, count: u64) {
        let end = f.index + count;
        while f.index < end {
            let next = f.answers.next.min(end);
            if next > f.index {
                self.follow_ups_plain(f, day, next - f.index);
                f.index = next;
                continue;
            }
            f.answers.advance_past(f.index, &mut f.rng);
            f.index += 1;
            let table = &self.books.model.scenario.delay.table;
            let reply = self.recipients.reply_attributes(table, &mut f.rng);
            let spent_from = match f.rule {
                FollowUpRule::Standard => self.books.follow_up_paid(day),
                // Charged at the first send; the refund is a fresh lot.
                FollowUpRule::Recruiter => (self.books.follow_ups_prepaid(day, 1) == 1)
                    .then_some(crate::rules::Expiry::Never),
            };
            if spent_from.is_some() {
                self.books
                    .schedule_response(day, reply.delay, spent_from, reply.decline);
            }
        }
    }

    /// The backlog goes first, in order (§8.1). When nothing in it can go
    /// out today, it is blocked in one step: the same counts as trying each
    /// message, without a cost that grows with a long blocked spell.
    #[inline(never)]
    fn send_backlog(&mut self, day: u32) {
        let free_possible = self.backlog.open_profile() > 0 && self.books.free_allowance_left();
        if self.books.out_of_credit() && !free_possible {
            self.books.record_blocked(day, self.backlog.total());
            return;
        }
        let mut waiting = std::mem::take(&mut self.waiting);
        self.backlog.drain_into(&mut waiting);
        for entry in waiting.drain(..) {
            match entry {
                Waiting::Plain(count) => self.send_plain(day, count),
                Waiting::One(message) => self.send_message(day, message),
            }
        }
        self.waiting = waiting;
    }

    /// `redraw = "cycle"`: messages still waiting are sent in the new
    /// cycle, so their responses follow the new cycle's rate (§8.9).
    fn redraw_backlog(&mut self) {
        let mut waiting = std::mem::take(&mut self.waiting);
        self.backlog.drain_into(&mut waiting);
        let table = &self.books.model.scenario.delay.table;
        for entry in waiting.drain(..) {
            let (count, open_profile) = match entry {
                Waiting::Plain(count) => (count, false),
                Waiting::One(message) => (1, message.open_profile),
            };
            for _ in 0..count {
                let reply = self.recipients.redraw(self.p, table, &mut self.redraw_rng);
                match (open_profile, reply) {
                    (false, None) => self.backlog.push_plain(1),
                    _ => self.backlog.push(Message {
                        open_profile,
                        reply,
                    }),
                }
            }
        }
        self.waiting = waiting;
    }
}

impl<'m> Sends<'m> for Simulator<'m> {
    fn books(&mut self) -> &mut Books<'m> {
        &mut self.books
    }

    fn start_trial(&mut self, key: TrialKey, p: f64) {
        let seed = self.books.model.scenario.seed;
        self.rng = key.rng(seed, Stream::Recipients);
        if self.books.model.scenario.response.redraw == Redraw::Cycle {
            self.redraw_rng = key.rng(seed, Stream::Redraw);
        }
        self.demanded = 0;
        self.backlog.clear();
        self.p = p;
        self.recipients.start(p, &mut self.rng);
        if let Some(f) = &mut self.follow {
            f.queue.clear();
            f.rng = key.rng(seed, Stream::FollowUps);
            f.index = 0;
            f.answers = Gaps::new(f.factor * p);
            f.answers.start_at(0, &mut f.rng);
        }
    }

    fn set_rate(&mut self, p: f64) {
        self.p = p;
        self.recipients.set_rate(p, self.demanded, &mut self.rng);
        if let Some(f) = &mut self.follow {
            // Memoryless, as for new messages: restart at the next index.
            f.answers = Gaps::new(f.factor * p);
            f.answers.start_at(f.index, &mut f.rng);
        }
        if self.backlog.total() > 0 {
            self.redraw_backlog();
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
}
