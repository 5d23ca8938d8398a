//! The reference engine: sends drawn as plainly as possible — one InMail at
//! a time, one random draw per decision, in send order. It is slow and
//! obviously right; the fast engine (`trial.rs`) must agree with it in
//! distribution on every shipped scenario and exactly on the hand-worked
//! timelines. Tests and `--engine reference` use it.

use super::books::Books;
use super::driver::{Sends, drive};
use super::{Model, TrialObserver};
use crate::rules::Expiry;
use crate::sampling::streams::{SimRng, Stream, stream_rng};
use rand::RngExt;

/// Blocked messages waiting for a credit (`backlog = true`, §8.1). Open
/// Profile recipients are kept apart: their draw was made when first
/// demanded, and they may go out free in a later cycle.
#[derive(Debug, Clone, Copy, Default)]
struct Backlog {
    open_profile: u64,
    paid: u64,
}

#[derive(Debug)]
pub struct ReferenceSimulator<'m> {
    books: Books<'m>,
    rng: SimRng,
    p: f64,
    backlog: Backlog,
}

impl<'m> ReferenceSimulator<'m> {
    pub fn new(model: &'m Model) -> ReferenceSimulator<'m> {
        ReferenceSimulator {
            books: Books::new(model),
            rng: stream_rng(0, 0, Stream::Recipients),
            p: 0.0,
            backlog: Backlog::default(),
        }
    }

    /// Simulates trial number `trial` and reports it to `observer`.
    pub fn run_trial(&mut self, trial: u64, observer: &mut impl TrialObserver) {
        let model = self.books.model;
        drive(self, model, trial, observer);
    }

    /// One InMail: free to an Open Profile within the cycle's limit (§4a),
    /// otherwise it needs a credit (§4b); blocked ones may wait (§8.1).
    fn send(&mut self, day: u32, open_profile: bool) {
        if open_profile && self.books.send_free() {
            self.respond(day, None);
            return;
        }
        match self.books.spend_one(day) {
            Some(lot) => self.respond(day, Some(lot)),
            None => self.block(day, open_profile, 1),
        }
    }

    /// Retries `count` backlogged messages; once nothing can go out today
    /// the rest are blocked in one step (the same counts as one at a time).
    fn send_waiting(&mut self, day: u32, count: u64, open_profile: bool) {
        for done in 0..count {
            let free = open_profile && self.books.free_allowance_left();
            if self.books.out_of_credit() && !free {
                self.block(day, open_profile, count - done);
                return;
            }
            self.send(day, open_profile);
        }
    }

    fn block(&mut self, day: u32, open_profile: bool, count: u64) {
        self.books.record_blocked(day, count);
        if self.books.model.scenario.demand.backlog {
            match open_profile {
                true => self.backlog.open_profile += count,
                false => self.backlog.paid += count,
            }
        }
    }

    /// §4c: a response with probability `p`, after a drawn delay; a decline
    /// is drawn only when declines do not refund.
    fn respond(&mut self, day: u32, spent_from: Option<Expiry>) {
        if self.rng.random::<f64>() >= self.p {
            return;
        }
        let sc = &self.books.model.scenario;
        let delay = sc.delay.table.sample(&mut self.rng);
        let decline = !sc.refunds.declines && self.rng.random::<f64>() < sc.response.declines_share;
        self.books
            .schedule_response(day, delay, spent_from, decline);
    }
}

impl<'m> Sends<'m> for ReferenceSimulator<'m> {
    fn books(&mut self) -> &mut Books<'m> {
        &mut self.books
    }

    fn start_trial(&mut self, trial: u64, p: f64) {
        self.rng = stream_rng(self.books.model.scenario.seed, trial, Stream::Recipients);
        self.p = p;
        self.backlog = Backlog::default();
    }

    fn set_rate(&mut self, p: f64) {
        self.p = p;
    }

    fn send_day(&mut self, day: u32, new: u32) {
        let waiting = std::mem::take(&mut self.backlog);
        self.send_waiting(day, waiting.open_profile, true);
        self.send_waiting(day, waiting.paid, false);
        let share = self.books.model.scenario.open_profile.share;
        for _ in 0..new {
            // §4a: the Open Profile draw happens once, when first demanded.
            let open_profile = share > 0.0 && self.rng.random::<f64>() < share;
            self.send(day, open_profile);
        }
    }
}
