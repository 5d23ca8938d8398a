//! The bookkeeping both engines share: the ledger, responses on their way,
//! the current cycle's metrics, and the steps of a day that involve no
//! random draw (credit-rules.md §4 steps 1–3, the credit side of step 4,
//! and step 5). The engines differ only in how they draw who sends what.

use super::{CycleMetrics, Model};
use crate::rules::{Expiry, Ledger};
use crate::scenario::{AddonPolicy, RefundExpiry};

/// Responses due on one day.
#[derive(Debug, Clone, Copy, Default)]
struct Arrivals {
    responses: u32,
    /// Refunds that come back as a fresh lot (`refund_expiry = "fresh"`).
    fresh_refunds: u32,
}

#[derive(Debug)]
pub struct Books<'m> {
    pub model: &'m Model,
    pub ledger: Ledger,
    arrivals: Vec<Arrivals>,
    /// `refund_expiry = "original"`: the expiry each refund returns to.
    original_refunds: Vec<Vec<Expiry>>,
    pub cycle: CycleMetrics,
    cycle_start: u32,
    open_profile_used: u32,
}

impl<'m> Books<'m> {
    pub fn new(model: &'m Model) -> Books<'m> {
        let sc = &model.scenario;
        let lifetime = sc.plan.expiry_days.unwrap_or(0).max(sc.addons.expiry_days);
        let days = sc.horizon.days() as usize;
        let original = match sc.refunds.expiry {
            RefundExpiry::Original => vec![Vec::new(); days],
            RefundExpiry::Fresh => Vec::new(),
        };
        Books {
            model,
            ledger: Ledger::new(lifetime),
            arrivals: vec![Arrivals::default(); days],
            original_refunds: original,
            cycle: CycleMetrics::default(),
            cycle_start: 0,
            open_profile_used: 0,
        }
    }

    /// Empties everything for a new trial, keeping the memory.
    pub fn reset(&mut self) {
        self.ledger.reset();
        self.arrivals.fill(Arrivals::default());
        self.original_refunds.iter_mut().for_each(Vec::clear);
    }

    pub fn start_cycle(&mut self, first_day: u32) {
        let sc = &self.model.scenario;
        self.cycle = CycleMetrics {
            start_balance: self.ledger.balance(),
            plan_cost: sc.plan.cycle_price_cents(sc.billing),
            ..CycleMetrics::default()
        };
        self.cycle_start = first_day;
        self.open_profile_used = 0;
    }

    /// §4 step 5: the cycle's metrics, checked against §7's conservation.
    pub fn finish_cycle(&mut self) -> CycleMetrics {
        let mut m = self.cycle;
        m.end_balance = self.ledger.balance();
        m.addon_spend = m.purchased as i64 * self.model.scenario.addons.price_cents;
        debug_assert_eq!(
            m.start_balance + m.granted + m.refunds + m.purchased,
            m.end_balance + m.sent_paid + m.expired + m.trimmed,
            "§7 conservation"
        );
        m
    }

    /// §4 steps 1–3: expire; on the cycle's first day trim, grant and buy
    /// `monthly` add-ons (§8.6: after the grant); receive today's responses.
    pub fn open_day(&mut self, day: u32) {
        self.cycle.expired += self.ledger.expire_through(day);
        if day == self.cycle_start {
            self.renew(day);
        }
        self.receive_responses(day);
    }

    fn renew(&mut self, day: u32) {
        let sc = &self.model.scenario;
        let plan = &sc.plan;
        let expiry = Expiry::after(day, plan.expiry_days);
        let (trimmed, granted) = self.ledger.renew(plan.monthly_credits, plan.cap, expiry);
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

    /// §4a: whether a message to an Open Profile can go out free now; if
    /// so it is counted as sent.
    pub fn send_free(&mut self) -> bool {
        let limit = self.model.scenario.open_profile.limit;
        let allowed = limit.is_none_or(|limit| self.open_profile_used < limit);
        if allowed {
            self.open_profile_used += 1;
            self.cycle.sent_free += 1;
        }
        allowed
    }

    /// Whether an Open Profile message could still go out free this cycle.
    pub fn free_allowance_left(&self) -> bool {
        let limit = self.model.scenario.open_profile.limit;
        limit.is_none_or(|limit| self.open_profile_used < limit)
    }

    /// §4b: one message that needs a credit: buy a pack if the balance is
    /// 0 and the policy says so, then spend. Returns the lot spent from, or
    /// `None` when the send is blocked (the caller records the block).
    pub fn spend_one(&mut self, day: u32) -> Option<Expiry> {
        if self.ledger.balance() == 0 {
            if let Some(pack) = self.pack_to_buy() {
                self.buy(day, pack);
            }
        }
        let lot = self.ledger.spend()?;
        self.cycle.sent_paid += 1;
        Some(lot)
    }

    /// `count` messages that need a credit and whose lots do not matter
    /// (they get no response): as many as can go out do, buying packs as
    /// `spend_one` would; returns how many are blocked.
    pub fn spend_many(&mut self, day: u32, count: u64) -> u64 {
        let mut left = count;
        while left > 0 {
            if self.ledger.balance() == 0 {
                match self.pack_to_buy() {
                    Some(pack) => self.buy(day, pack),
                    None => return left,
                }
            }
            let take = left.min(self.ledger.balance());
            self.ledger.spend_many(take);
            self.cycle.sent_paid += take;
            left -= take;
        }
        0
    }

    /// Whether a message needing a credit would be blocked now.
    pub fn out_of_credit(&self) -> bool {
        self.ledger.balance() == 0 && self.pack_to_buy().is_none()
    }

    /// `when_empty`: the pack to buy, unless it would pass `max_per_month`
    /// (§8.6); `None` under other policies.
    fn pack_to_buy(&self) -> Option<u32> {
        match self.model.scenario.addons.policy {
            AddonPolicy::WhenEmpty {
                pack,
                max_per_month,
            } => {
                let room = max_per_month
                    .is_none_or(|max| self.cycle.purchased + u64::from(pack) <= u64::from(max));
                room.then_some(pack)
            }
            _ => None,
        }
    }

    /// `count` send attempts blocked on `day` (§6 `blocked`, `first_blocked_day`).
    pub fn record_blocked(&mut self, day: u32, count: u64) {
        self.cycle.blocked += count;
        self.cycle
            .first_blocked_day
            .get_or_insert(day - self.cycle_start + 1);
    }

    /// §4c: a response to a message sent on `day` arrives `delay` days
    /// later; a paid one (`spent_from`) answered within the refund window,
    /// and not a decline when declines do not refund, refunds a credit.
    pub fn schedule_response(
        &mut self,
        day: u32,
        delay: u32,
        spent_from: Option<Expiry>,
        decline: bool,
    ) {
        let sc = &self.model.scenario;
        let arrival = day + delay;
        if arrival >= sc.horizon.days() {
            return; // §8.2: responses due after the horizon are not counted.
        }
        let slot = &mut self.arrivals[arrival as usize];
        slot.responses += 1;
        let Some(lot) = spent_from else { return };
        if delay > sc.refunds.window_days || (decline && !sc.refunds.declines) {
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
