//! The fast engine. Same model and same day loop as the reference engine,
//! but random draws scale with responses rather than sends: each demanded
//! message's Open Profile and response come from Bernoulli processes over
//! its index, drawn as geometric gaps (`recipients`), so the messages in
//! between — most of them — are plain: they need a credit and get no
//! response, and a run of them is sent (or blocked) in one ledger step.

use super::backlog::{Backlog, Waiting};
use super::books::Books;
use super::driver::{Sends, drive};
use super::recipients::{Message, Recipients};
use super::{Model, TrialObserver};
use crate::sampling::streams::{SimRng, Stream, stream_rng};
use crate::scenario::Redraw;

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
        }
    }

    /// Simulates trial number `trial` and reports it to `observer`.
    pub fn run_trial(&mut self, trial: u64, observer: &mut impl TrialObserver) {
        let model = self.books.model;
        drive(self, model, trial, observer);
    }

    /// New demand: plain runs in one step, special messages one by one.
    fn send_new(&mut self, day: u32, new: u32) {
        let end = self.demanded + u64::from(new);
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
    fn send_plain(&mut self, day: u32, count: u64) {
        let blocked = self.books.spend_many(day, count);
        if blocked > 0 {
            self.books.record_blocked(day, blocked);
            if self.books.model.scenario.demand.backlog {
                self.backlog.push_plain(blocked);
            }
        }
    }

    /// One message that is an Open Profile or responds (§4a–c).
    fn send_message(&mut self, day: u32, message: Message) {
        let spent_from = if message.open_profile && self.books.send_free() {
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
    }

    /// The backlog goes first, in order (§8.1). When nothing in it can go
    /// out today, it is blocked in one step: the same counts as trying each
    /// message, without a cost that grows with a long blocked spell.
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

    fn start_trial(&mut self, trial: u64, p: f64) {
        let seed = self.books.model.scenario.seed;
        self.rng = stream_rng(seed, trial, Stream::Recipients);
        if self.books.model.scenario.response.redraw == Redraw::Cycle {
            self.redraw_rng = stream_rng(seed, trial, Stream::Redraw);
        }
        self.demanded = 0;
        self.backlog.clear();
        self.p = p;
        self.recipients.start(p, &mut self.rng);
    }

    fn set_rate(&mut self, p: f64) {
        self.p = p;
        self.recipients.set_rate(p, self.demanded, &mut self.rng);
        if self.backlog.total() > 0 {
            self.redraw_backlog();
        }
    }

    fn send_day(&mut self, day: u32, new: u32) {
        if self.backlog.total() > 0 {
            self.send_backlog(day);
        }
        self.send_new(day, new);
    }
}
