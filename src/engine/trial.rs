//! The day loop of one trial, in the order of credit-rules.md §4: expire;
//! on a renewal day trim, grant and buy `monthly` add-ons; receive the
//! responses arriving today (refunds); send, one InMail at a time; and at
//! the end of a cycle, report its metrics.

use super::{CycleMetrics, Model, TrialObserver, TrialTotals};
use crate::rules::{Expiry, Ledger};
use crate::sampling::streams::{SimRng, Stream, stream_rng};
use crate::scenario::{AddonPolicy, Redraw, RefundExpiry};
use rand::RngExt;

/// Responses due on one day.
#[derive(Debug, Clone, Copy, Default)]
struct Arrivals {
    responses: u32,
    /// Refunds that come back as a fresh lot (`refund_expiry = "fresh"`).
    fresh_refunds: u32,
}

/// Blocked messages waiting for a credit (`backlog = true`, §8.1). Open
/// Profile recipients are kept apart: their draw was made when first
/// demanded, and they may go out free in a later cycle.
#[derive(Debug, Clone, Copy, Default)]
struct Backlog {
    open_profile: u64,
    paid: u64,
}

/// Per-thread simulation state, reused across trials.
#[derive(Debug)]
pub struct Simulator<'m> {
    model: &'m Model,
    ledger: Ledger,
    arrivals: Vec<Arrivals>,
    /// `refund_expiry = "original"`: the expiry each refund returns to.
    original_refunds: Vec<Vec<Expiry>>,
    rng: SimRng,
    p: f64,
    backlog: Backlog,
    /// The cycle being simulated: its metrics and first day.
    cycle: CycleMetrics,
    cycle_start: u32,
    open_profile_used: u32,
}

impl<'m> Simulator<'m> {
    pub fn new(model: &'m Model) -> Simulator<'m> {
        let sc = &model.scenario;
        let lifetime = sc.plan.expiry_days.unwrap_or(0).max(sc.addons.expiry_days);
        let days = sc.horizon.days() as usize;
        let original = match sc.refunds.expiry {
            RefundExpiry::Original => vec![Vec::new(); days],
            RefundExpiry::Fresh => Vec::new(),
        };
        Simulator {
            model,
            ledger: Ledger::new(lifetime),
            arrivals: vec![Arrivals::default(); days],
            original_refunds: original,
            rng: stream_rng(0, 0, Stream::Recipients),
            p: 0.0,
            backlog: Backlog::default(),
            cycle: CycleMetrics::default(),
            cycle_start: 0,
            open_profile_used: 0,
        }
    }

    /// Simulates trial number `trial` and reports it to `observer`.
    pub fn run_trial(&mut self, trial: u64, observer: &mut impl TrialObserver) {
        let sc = &self.model.scenario;
        self.reset(trial);
        let mut rate_rng = stream_rng(sc.seed, trial, Stream::Rate);
        let mut demand_rng = stream_rng(sc.seed, trial, Stream::Demand);
        let mut totals = TrialTotals::default();
        self.p = sc.response.sampler.sample(&mut rate_rng);
        for (index, cycle) in sc.horizon.cycles.iter().enumerate() {
            if index > 0 && sc.response.redraw == Redraw::Cycle {
                self.p = sc.response.sampler.sample(&mut rate_rng);
            }
            self.start_cycle(cycle.first_day);
            for day in cycle.first_day..cycle.first_day + cycle.len {
                self.step(day, &mut demand_rng);
            }
            let m = self.finish_cycle();
            observer.cycle(index, &m);
            totals.add_cycle(index, &m);
        }
        observer.trial(&totals);
    }

    fn reset(&mut self, trial: u64) {
        self.ledger.reset();
        self.arrivals.fill(Arrivals::default());
        self.original_refunds.iter_mut().for_each(Vec::clear);
        self.rng = stream_rng(self.model.scenario.seed, trial, Stream::Recipients);
        self.backlog = Backlog::default();
    }

    fn start_cycle(&mut self, first_day: u32) {
        let sc = &self.model.scenario;
        self.cycle = CycleMetrics {
            start_balance: self.ledger.balance(),
            plan_cost: sc.plan.cycle_price_cents(sc.billing),
            ..CycleMetrics::default()
        };
        self.cycle_start = first_day;
        self.open_profile_used = 0;
    }

    fn finish_cycle(&mut self) -> CycleMetrics {
        let mut m = self.cycle;
        m.end_balance = self.ledger.balance();
        m.addon_spend = m.purchased as i64 * self.model.scenario.addons.price_cents;
        // §7: start + granted + refunds + purchased − sent_paid − expired
        // − trimmed = end. The property tests check it on every cycle.
        debug_assert_eq!(
            m.start_balance + m.granted + m.refunds + m.purchased,
            m.end_balance + m.sent_paid + m.expired + m.trimmed
        );
        m
    }

    /// One day in the order of §4.
    fn step(&mut self, day: u32, demand_rng: &mut SimRng) {
        self.cycle.expired += self.ledger.expire_through(day);
        if day == self.cycle_start {
            self.renew(day);
        }
        self.receive_responses(day);
        if self.model.demand.is_send_day(day) {
            let new = self.model.demand.draw(day, demand_rng);
            self.send_day(day, new);
        }
    }

    /// §4 step 2: trim the excess over the cap, grant; `monthly` add-ons
    /// arrive after the grant (§8.6).
    fn renew(&mut self, day: u32) {
        let sc = &self.model.scenario;
        let plan = &sc.plan;
        let (trimmed, granted) = self.ledger.renew(
            plan.monthly_credits,
            plan.cap,
            Expiry::after(day, plan.expiry_days),
        );
        self.cycle.trimmed += trimmed;
        self.cycle.granted += granted;
        self.cycle.balance_after_grant = self.ledger.balance();
        if let AddonPolicy::Monthly { per_month } = sc.addons.policy {
            self.buy(day, per_month);
        }
    }

    fn buy(&mut self, day: u32, credits: u32) {
        let expiry = Expiry::after(day, Some(self.model.scenario.addons.expiry_days));
        self.ledger.add(credits, expiry);
        self.cycle.purchased += u64::from(credits);
    }

    /// §4 step 3: responses arriving today; each eligible one refunds.
    fn receive_responses(&mut self, day: u32) {
        let due = std::mem::take(&mut self.arrivals[day as usize]);
        self.cycle.responses += u64::from(due.responses);
        if due.fresh_refunds > 0 {
            // §8.5: fresh refunds expire the plan's expiry_days after today.
            let expiry = Expiry::after(day, self.model.scenario.plan.expiry_days);
            self.ledger.add(due.fresh_refunds, expiry);
            self.cycle.refunds += u64::from(due.fresh_refunds);
        }
        if let Some(list) = self.original_refunds.get_mut(day as usize) {
            for expiry in list.drain(..) {
                // Only refunds whose lot outlives the arrival are queued.
                let added = self.ledger.add(1, expiry);
                debug_assert!(added);
                self.cycle.refunds += 1;
            }
        }
    }

    /// §4 step 4: the backlog first (§8.1), then today's new demand.
    fn send_day(&mut self, day: u32, new: u32) {
        self.cycle.demand += u64::from(new);
        let waiting = std::mem::take(&mut self.backlog);
        self.send_waiting(day, waiting.open_profile, true);
        self.send_waiting(day, waiting.paid, false);
        let share = self.model.scenario.open_profile.share;
        for _ in 0..new {
            // §4a: the Open Profile draw happens once, when first demanded.
            let open_profile = share > 0.0 && self.rng.random::<f64>() < share;
            self.send(day, open_profile);
        }
    }

    /// Retries `count` backlogged messages. Once nothing more can go out
    /// today the rest are blocked in one step: a backlog can grow without
    /// bound, and retrying it message by message would make a long blocked
    /// spell cost time in proportion to its length squared. The outcome is
    /// the same as one at a time (§8.1: each blocked attempt counts).
    fn send_waiting(&mut self, day: u32, count: u64, open_profile: bool) {
        for done in 0..count {
            if self.nothing_can_go_out(open_profile) {
                self.block(day, open_profile, count - done);
                return;
            }
            self.send(day, open_profile);
        }
    }

    fn open_profile_allowance_left(&self) -> bool {
        let limit = self.model.scenario.open_profile.limit;
        limit.is_none_or(|limit| self.open_profile_used < limit)
    }

    fn nothing_can_go_out(&self, open_profile: bool) -> bool {
        let free = open_profile && self.open_profile_allowance_left();
        self.ledger.balance() == 0 && self.pack_to_buy().is_none() && !free
    }

    /// One InMail: free to an Open Profile within the cycle's limit (§4a),
    /// otherwise it needs a credit, bought if the policy says so (§4b).
    fn send(&mut self, day: u32, open_profile: bool) {
        if open_profile && self.open_profile_allowance_left() {
            self.open_profile_used += 1;
            self.cycle.sent_free += 1;
            self.respond(day, None);
            return;
        }
        if self.ledger.balance() == 0 {
            if let Some(pack) = self.pack_to_buy() {
                self.buy(day, pack);
            }
        }
        match self.ledger.spend() {
            Some(lot) => {
                self.cycle.sent_paid += 1;
                self.respond(day, Some(lot));
            }
            None => self.block(day, open_profile, 1),
        }
    }

    /// `when_empty`: the pack to buy, unless it would pass `max_per_month`
    /// (§8.6); `None` under other policies.
    fn pack_to_buy(&self) -> Option<u32> {
        match self.model.scenario.addons.policy {
            AddonPolicy::WhenEmpty {
                pack,
                max_per_month,
            } => max_per_month
                .is_none_or(|max| self.cycle.purchased + u64::from(pack) <= u64::from(max))
                .then_some(pack),
            _ => None,
        }
    }

    /// `count` sends blocked for lack of a credit; with a backlog they wait
    /// for the next send day (§8.1).
    fn block(&mut self, day: u32, open_profile: bool, count: u64) {
        self.cycle.blocked += count;
        self.cycle
            .first_blocked_day
            .get_or_insert(day - self.cycle_start + 1);
        if self.model.scenario.demand.backlog {
            match open_profile {
                true => self.backlog.open_profile += count,
                false => self.backlog.paid += count,
            }
        }
    }

    /// §4c: a sent InMail gets a response with probability `p`, arriving
    /// `ceil(delay)` days later; a paid one answered within the refund
    /// window (and not a decline, if declines do not refund) refunds.
    fn respond(&mut self, day: u32, spent_from: Option<Expiry>) {
        if self.rng.random::<f64>() >= self.p {
            return;
        }
        let sc = &self.model.scenario;
        let delay = sc.delay.table.sample(&mut self.rng);
        let arrival = day + delay;
        if arrival >= sc.horizon.days() {
            return; // §8.2: responses due after the horizon are not counted.
        }
        let slot = &mut self.arrivals[arrival as usize];
        slot.responses += 1;
        let Some(lot) = spent_from else { return };
        if delay > sc.refunds.window_days {
            return;
        }
        // §3 / seed 003: with refund_declines = false a decline keeps the credit.
        if !sc.refunds.declines && self.rng.random::<f64>() < sc.response.declines_share {
            return;
        }
        match (sc.refunds.expiry, lot) {
            (RefundExpiry::Fresh, _) => slot.fresh_refunds += 1,
            // §8.4: back to its original expiry; lost if that day has come.
            (RefundExpiry::Original, Expiry::On(e)) if e <= arrival => {}
            (RefundExpiry::Original, lot) => self.original_refunds[arrival as usize].push(lot),
        }
    }
}

#[cfg(test)]
mod tests;
