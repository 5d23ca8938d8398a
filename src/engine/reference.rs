//! The reference engine: sends drawn as plainly as possible — one InMail at
//! a time, one random draw per decision, in send order. It is slow and
//! obviously right; the fast engine (`fast.rs`) must agree with it in
//! distribution on every shipped scenario (tests/engines_agree.rs) and
//! exactly on the hand-worked timelines (`engine/tests/`). Only tests use
//! it: no command runs it.

use super::backlog::Backlog;
use super::books::Books;
use super::driver::{Sends, drive};
use super::follow::{Due, FollowQueue};
use super::{Model, TrialObserver};
use crate::rules::Expiry;
use crate::rules::follow_up::{self, FollowUp};
use crate::sampling::streams::{SimRng, Stream, TrialKey, stream_rng};
use crate::scenario::{FollowUpRule, FollowUps};
use rand::RngExt;

#[derive(Debug)]
pub struct ReferenceSimulator<'m> {
    books: Books<'m>,
    rng: SimRng,
    p: f64,
    backlog: Backlog,
    /// Follow-ups waiting, and the stream of their draws.
    follow: Option<(FollowQueue, SimRng)>,
    due: Vec<Due>,
}

impl<'m> ReferenceSimulator<'m> {
    pub fn new(model: &'m Model) -> ReferenceSimulator<'m> {
        ReferenceSimulator {
            books: Books::new(model),
            rng: stream_rng(0, 0, Stream::Recipients),
            p: 0.0,
            backlog: Backlog::default(),
            follow: model.scenario.follow_ups.map(|f| {
                let queue = FollowQueue::new(f.after_days, model.scenario.horizon.days());
                (queue, stream_rng(0, 0, Stream::FollowUps))
            }),
            due: Vec::new(),
        }
    }

    /// Simulates trial number `trial` and reports it to `observer`.
    pub fn run_trial(&mut self, trial: u64, observer: &mut impl TrialObserver) {
        let model = self.books.model();
        drive(self, model, trial, observer);
    }

    /// One InMail: free to an Open Profile within the cycle's limit (§4a),
    /// otherwise it needs a credit (§4b); blocked ones may wait (§8.1).
    fn send(&mut self, day: u32, open_profile: bool) {
        if open_profile && self.books.send_free(day) {
            self.respond(day, None);
            return;
        }
        match self.books.spend_one(day) {
            Some(lot) => {
                let delay = self.respond(day, Some(lot));
                if self.follow.is_some() {
                    self.follow_up(day, delay);
                }
            }
            None => self.block(day, open_profile, 1),
        }
    }

    /// The follow-up settings; only called when follow-ups are on.
    fn follow_up_rules(&self) -> FollowUps {
        self.books
            .model()
            .scenario
            .follow_ups
            .expect("follow-ups are on")
    }

    /// A paid message went out on `day` and is answered after `delay` days
    /// (`None`: never): its follow-up (`rules::follow_up`).
    fn follow_up(&mut self, day: u32, delay: Option<u32>) {
        let f = self.follow_up_rules();
        if follow_up::charged_at_send(f.rule) && !self.books.charge_follow_up(day) {
            return;
        }
        let due = match follow_up::follow_up(f.rule, f.after_days, delay) {
            FollowUp::Dropped => return,
            FollowUp::Cancelled { delay } => {
                self.books.cancel_follow_up(day + delay);
                return;
            }
            FollowUp::Due { answered: true } => Due::Answered(1),
            FollowUp::Due { answered: false } => Due::Open(1),
        };
        if let Some((queue, _)) = &mut self.follow {
            queue.push(day, due);
        }
    }

    /// The follow-ups due on `day`, one at a time.
    fn send_follow_ups(&mut self, day: u32) {
        let Some((queue, _)) = &mut self.follow else {
            return;
        };
        let mut due = std::mem::take(&mut self.due);
        queue.take(day, &mut due);
        let f = self.follow_up_rules();
        for entry in due.drain(..) {
            let (count, open) = match entry {
                Due::Open(n) => (n, true),
                Due::Answered(n) => (n, false),
            };
            for _ in 0..count {
                let (sent, spent_from) = match f.rule {
                    FollowUpRule::Standard => {
                        let lot = self.books.follow_up_paid(day);
                        (lot.is_some(), lot)
                    }
                    FollowUpRule::Recruiter => (
                        self.books.follow_ups_prepaid(day, 1) == 1,
                        self.books.prepaid_refund(day, f.after_days),
                    ),
                };
                let Some((_, rng)) = &mut self.follow else {
                    return;
                };
                // The recipient answers once: a follow-up to a message that is
                // answered later gets no answer of its own.
                if !sent || !open || rng.random::<f64>() >= f.response_factor * self.p {
                    continue;
                }
                let sc = &self.books.model().scenario;
                let delay = sc.delay.table.sample(rng);
                let decline =
                    !sc.refunds.declines && rng.random::<f64>() < sc.response.declines_share;
                self.books
                    .schedule_response(day, delay, spent_from, decline);
            }
        }
        self.due = due;
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

    /// `count` messages blocked; with a backlog they wait, as messages that
    /// need a credit unless the floor refused Open Profile ones the limit
    /// had room for (`Books::waits_free`, §8.1).
    fn block(&mut self, day: u32, open_profile: bool, count: u64) {
        self.books.record_blocked(day, count);
        if self.books.model().scenario.demand.backlog {
            let free = self.books.waits_free(open_profile);
            self.backlog.push(count, free);
        }
    }

    /// §4c: a response with probability `p`, after a drawn delay; a decline
    /// is drawn only when declines do not refund.
    /// Returns the delay of the response, if there is one.
    fn respond(&mut self, day: u32, spent_from: Option<Expiry>) -> Option<u32> {
        if self.rng.random::<f64>() >= self.p {
            return None;
        }
        let sc = &self.books.model().scenario;
        let delay = sc.delay.table.sample(&mut self.rng);
        let decline = !sc.refunds.declines && self.rng.random::<f64>() < sc.response.declines_share;
        self.books
            .schedule_response(day, delay, spent_from, decline);
        Some(delay)
    }
}

impl<'m> Sends<'m> for ReferenceSimulator<'m> {
    fn books(&mut self) -> &mut Books<'m> {
        &mut self.books
    }

    fn start_trial(&mut self, key: TrialKey, p: f64) {
        let seed = self.books.model().scenario.seed;
        self.rng = key.rng(seed, Stream::Recipients);
        self.p = p;
        self.backlog = Backlog::default();
        if let Some((queue, rng)) = &mut self.follow {
            queue.clear();
            *rng = key.rng(seed, Stream::FollowUps);
        }
    }

    fn follow_ups(&mut self, day: u32) {
        self.send_follow_ups(day);
    }

    fn set_rate(&mut self, p: f64) {
        self.p = p;
    }

    fn send_day(&mut self, day: u32, new: u32) {
        let waiting = self.backlog.take();
        self.send_waiting(day, waiting.open_profile, true);
        self.send_waiting(day, waiting.paid, false);
        let share = self.books.model().scenario.open_profile.share;
        for _ in 0..new {
            // §4a: the Open Profile draw happens once, when first demanded.
            let open_profile = share > 0.0 && self.rng.random::<f64>() < share;
            self.send(day, open_profile);
        }
    }
}
