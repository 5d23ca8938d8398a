//! The bookkeeping both engines share: the ledger, responses on their way,
//! the current cycle's metrics, and the steps of a day that involve no
//! random draw (credit-rules.md §4 steps 1–3, the credit side of step 4,
//! and step 5), applying the rules of `rules`. The engines differ only in
//! how they draw who sends what. (The counted cycle keeps its own ledger
//! of two totals and hands the books its cycle's totals: `add_counted`.)

use super::{CycleMetrics, Model, Terms};
use crate::rules::refund::{self, RefundLot};
use crate::rules::{Expiry, Ledger, ResponseFloor, addons, open_profile};
use crate::scenario::RefundExpiry;

/// What the counted path (`fast::counted`) found in a cycle, for the
/// cycle's metrics (§6).
#[derive(Debug, Clone, Copy, Default)]
pub struct CountedTotals {
    pub demand: u64,
    /// Messages that went out; the rest of the demand was blocked.
    pub sent: u64,
    pub expired: u64,
    pub trimmed: u64,
    pub granted: u64,
    pub balance_after_grant: u64,
    pub responses: u64,
    pub refunds: u64,
    pub first_blocked_day: Option<u32>,
}

/// Responses due on one day.
#[derive(Debug, Clone, Copy, Default)]
struct Arrivals {
    responses: u32,
    /// Refunds that come back as a fresh lot (`refund_expiry = "fresh"`).
    fresh_refunds: u32,
    /// Recruiter rule: credits of follow-ups cancelled by these responses.
    returned: u32,
}

#[derive(Debug)]
pub struct Books<'m> {
    model: &'m Model,
    ledger: Ledger,
    arrivals: Vec<Arrivals>,
    /// One bit per day of the horizon, set while responses are due that
    /// day: the lean cycle finds the next day with arrivals a word at a time.
    arrival_days: Vec<u64>,
    /// `refund_expiry = "original"`: the expiry each refund returns to.
    original_refunds: Vec<Vec<Expiry>>,
    cycle: CycleMetrics,
    cycle_start: u32,
    open_profile_used: u32,
    /// The plan in force (an index into `model.terms`).
    terms: usize,
    /// The cycle that just started brings a new plan.
    switching: bool,
    /// The first day of the terms in force (0 until a plan change): a
    /// Recruiter follow-up charged before it was the old plan's credit.
    terms_start: u32,
    /// The plan in force is cancelled: nothing is bought (a copy of its
    /// `Terms::cancelled`, read by every run that buys).
    cancelled: bool,
    /// The plan in force's `expiry_days`: how long a fresh refund lasts
    /// (§8.5), copied as each cycle starts for the days' arrivals.
    refund_lifetime: Option<u32>,
    /// The Recruiter response-rate floor, when the scenario has one.
    floor: Option<ResponseFloor>,
    /// The floor watches this trial: it has one, and the trial's demand
    /// does not rule out every assessment ([`Books::unwatch_floor`]).
    floor_on: bool,
    /// The floor blocks all sending today.
    floor_closed: bool,
    /// The first day on which the floor has work as the day opens
    /// ([`ResponseFloor::due`]); `u32::MAX` when it does not watch. On
    /// the days before it the floor does not block.
    floor_due: u32,
    /// The floor applies under the plan in force (`Floor::recruiter_plans_only`):
    /// it counts the InMails sent and blocks only then.
    floor_applies: bool,
}

impl<'m> Books<'m> {
    pub fn new(model: &'m Model) -> Books<'m> {
        let sc = &model.scenario;
        let lifetime = model
            .terms
            .iter()
            .map(|t| t.plan.expiry_days.unwrap_or(0))
            .max()
            .unwrap_or(0)
            .max(sc.addons.expiry_days);
        let days = sc.horizon.days() as usize;
        let original = match sc.refunds.expiry {
            RefundExpiry::Original => vec![Vec::new(); days],
            RefundExpiry::Fresh => Vec::new(),
        };
        Books {
            model,
            // A cycle's slack: the lean cycle adds refund lots up to a
            // cycle late, while lots a lifetime old may still be held.
            ledger: Ledger::new(lifetime + 31),
            arrivals: vec![Arrivals::default(); days],
            arrival_days: vec![0; days.div_ceil(64)],
            original_refunds: original,
            cycle: CycleMetrics::default(),
            cycle_start: 0,
            open_profile_used: 0,
            terms: 0,
            switching: false,
            terms_start: 0,
            cancelled: false,
            refund_lifetime: None,
            floor: sc
                .floor
                .map(|f| ResponseFloor::new(f).quiet_on(floor_quiet_days(model))),
            floor_on: sc.floor.is_some(),
            floor_closed: false,
            floor_due: u32::MAX,
            floor_applies: false,
        }
    }

    /// The model the books keep.
    #[inline(always)]
    pub fn model(&self) -> &'m Model {
        self.model
    }

    /// The credits held.
    #[inline(always)]
    pub fn balance(&self) -> u64 {
        self.ledger.balance()
    }

    /// `count` new messages demanded (§6 `demand`).
    #[inline(always)]
    pub fn add_demand(&mut self, count: u64) {
        self.cycle.demand += count;
    }

    /// Brings the ledger's clock to `day`, as opening the day would, for a
    /// path that knows no lot expires before it (the lean cycle): a pack
    /// bought today is then placed against today.
    #[inline(always)]
    pub fn catch_up_to(&mut self, day: u32) {
        self.ledger.expire_through(day);
    }

    /// A cycle the counted path ran on its own ledger (`fast::counted`):
    /// its totals, added to the cycle's metrics.
    pub fn add_counted(&mut self, totals: &CountedTotals) {
        let cycle = &mut self.cycle;
        cycle.demand += totals.demand;
        cycle.sent_paid += totals.sent;
        cycle.blocked += totals.demand - totals.sent;
        cycle.expired += totals.expired;
        cycle.trimmed += totals.trimmed;
        cycle.granted += totals.granted;
        cycle.responses += totals.responses;
        cycle.refunds += totals.refunds;
        cycle.first_blocked_day = totals.first_blocked_day;
        cycle.balance_after_grant = totals.balance_after_grant;
    }

    /// The plan in force.
    pub fn terms(&self) -> &'m Terms {
        &self.model.terms[self.terms]
    }

    /// Empties everything for a new trial, keeping the memory.
    pub fn reset(&mut self) {
        self.ledger.reset();
        // Only days flagged in `arrival_days` hold anything: clearing just
        // those saves wiping the whole horizon every trial.
        for (word, bits) in self.arrival_days.iter_mut().enumerate() {
            let mut left = std::mem::take(bits);
            while left != 0 {
                let day = word * 64 + left.trailing_zeros() as usize;
                self.arrivals[day] = Arrivals::default();
                // A refund to its own lot is queued with its response.
                if let Some(list) = self.original_refunds.get_mut(day) {
                    list.clear();
                }
                left &= left - 1;
            }
        }
        self.terms = 0;
        self.switching = false;
        self.terms_start = 0;
        self.floor_closed = false;
        if let Some(floor) = &mut self.floor {
            floor.reset();
        }
        self.floor_on = self.floor.is_some();
        self.floor_due = if self.floor_on { 0 } else { u32::MAX };
    }

    /// This trial's demand leaves no window the floor would assess
    /// (`response_floor::never_assessed`): the floor can change nothing,
    /// and keeps no count of the trial. Call before its first cycle.
    pub fn unwatch_floor(&mut self) {
        self.floor_on = false;
        self.floor_applies = false;
        self.floor_due = u32::MAX;
    }

    /// Cycle `index` (0-based) starts on `first_day`.
    pub fn start_cycle(&mut self, index: usize, first_day: u32) {
        self.start_cycle_at(index, first_day, self.ledger.balance());
    }

    /// `start_cycle` for an engine that keeps the balance elsewhere.
    pub fn start_cycle_at(&mut self, index: usize, first_day: u32, balance: u64) {
        let terms = self.model.terms_of_cycle[index];
        self.switching = terms != self.terms;
        if self.switching {
            self.terms_start = first_day;
        }
        self.terms = terms;
        self.cancelled = self.terms().cancelled;
        self.refund_lifetime = self.terms().plan.expiry_days;
        self.cycle = CycleMetrics {
            start_balance: balance,
            plan_cost: self.terms().cycle_price_cents(),
            ..CycleMetrics::default()
        };
        self.cycle_start = first_day;
        self.open_profile_used = 0;
        // Only with a floor: the plan's kind is read from its id.
        self.floor_applies = self.floor_on && self.floor_applies_to_plan();
    }

    /// §4 step 5: the cycle's metrics, checked against §7's conservation.
    pub fn finish_cycle(&mut self) -> &CycleMetrics {
        self.finish_cycle_at(self.ledger.balance())
    }

    /// `finish_cycle` for an engine that keeps the balance elsewhere. The
    /// metrics are completed in place and lent, not copied out: they are
    /// about 180 bytes, and the observer copies what it keeps.
    pub fn finish_cycle_at(&mut self, balance: u64) -> &CycleMetrics {
        let price_cents = self.model.scenario.addons.price_cents;
        let m = &mut self.cycle;
        m.end_balance = balance;
        m.addon_spend = m.purchased as i64 * price_cents;
        debug_assert_eq!(
            m.start_balance + m.granted + m.refunds + m.purchased + m.follow_ups_returned,
            m.end_balance + m.sent_paid + m.expired + m.trimmed + m.forfeited,
            "§7 conservation"
        );
        m
    }

    /// Whether the floor (§5, Help 413271) applies under the plan in force:
    /// on Recruiter plans, or on every plan if the scenario says so
    /// ([`floor_applies_under`]).
    #[inline(never)]
    fn floor_applies_to_plan(&self) -> bool {
        floor_applies_under(self.model, self.terms)
    }

    /// §4 steps 1–3: expire; on the cycle's first day trim, grant and buy
    /// `monthly` add-ons (§8.6: after the grant); receive today's responses.
    /// On most days none of these happens, and each check is a comparison.
    #[inline(always)]
    pub fn open_day(&mut self, day: u32) {
        self.cycle.expired += self.ledger.expire_through(day);
        if day == self.cycle_start {
            self.start_of_cycle(day);
        }
        // Every arrival brings a response (refunds and returned follow-up
        // credits come with one), so a day without responses has nothing.
        if self.arrivals[day as usize].responses > 0 {
            self.receive_responses(day);
        }
        if day >= self.floor_due {
            self.floor_open(day);
        }
    }

    #[inline(never)]
    fn start_of_cycle(&mut self, day: u32) {
        if self.switching {
            self.switch_plan(day);
        }
        self.renew(day);
    }

    /// The floor's day, on a day it has work ([`ResponseFloor::due`]):
    /// whether it blocks sending until the next such day. Out of line:
    /// the floor's assessments are made late, in runs, and on most days
    /// a floor costs the day loop one comparison.
    #[inline(never)]
    fn floor_open(&mut self, day: u32) {
        if let Some(floor) = &mut self.floor {
            self.floor_closed = floor.open(day) && self.floor_applies;
            self.cycle.floor_blocked_days += u64::from(self.floor_closed);
            self.floor_due = floor.due();
        }
    }

    /// `note_sent`, out of line: the floor's work stays out of the day
    /// loops of scenarios without one.
    #[inline(never)]
    fn floor_sent(&mut self, day: u32, count: u64) {
        self.note_sent(day, count);
    }

    /// A plan change (Help 57013, 75: credits do not carry over): the
    /// balance is forfeited, and refunds still on their way for InMails sent
    /// under the old plan are lost (their responses still count).
    fn switch_plan(&mut self, day: u32) {
        let balance = self.ledger.balance();
        self.ledger.spend_many(balance);
        self.cycle.forfeited += balance;
        for slot in &mut self.arrivals[day as usize..] {
            slot.fresh_refunds = 0;
            slot.returned = 0;
        }
        for list in self.original_refunds.iter_mut().skip(day as usize) {
            list.clear();
        }
    }

    fn renew(&mut self, day: u32) {
        let sc = &self.model.scenario;
        let terms = self.terms();
        if terms.cancelled {
            return;
        }
        let plan = &terms.plan;
        let expiry = Expiry::after(day, plan.expiry_days);
        let (trimmed, granted) = self.ledger.renew(plan.monthly_credits, plan.cap, expiry);
        self.cycle.trimmed += trimmed;
        self.cycle.granted += granted;
        self.cycle.balance_after_grant = self.ledger.balance();
        if let Some(credits) = addons::at_renewal(sc.addons.policy) {
            self.buy(day, credits);
        }
    }

    fn buy(&mut self, day: u32, credits: u32) {
        let expiry = Expiry::after(day, Some(self.model.scenario.addons.expiry_days));
        self.ledger.add(credits, expiry);
        self.cycle.purchased += u64::from(credits);
    }

    /// §4 step 3: responses arriving today; each eligible one refunds.
    #[inline(never)]
    fn receive_responses(&mut self, day: u32) {
        let due = std::mem::take(&mut self.arrivals[day as usize]);
        self.arrival_days[day as usize / 64] &= !(1 << (day % 64));
        self.cycle.responses += u64::from(due.responses);
        if due.fresh_refunds > 0 {
            // §8.5: fresh refunds expire the plan's expiry_days after today.
            let expiry = Expiry::after(day, self.refund_lifetime);
            self.ledger.add(due.fresh_refunds, expiry);
            self.cycle.refunds += u64::from(due.fresh_refunds);
        }
        if due.returned > 0 {
            self.return_follow_up_credits(day, u64::from(due.returned));
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
    pub fn send_free(&mut self, day: u32) -> bool {
        let allowed = self.free_allowance_left();
        if allowed {
            self.open_profile_used += 1;
            self.cycle.sent_free += 1;
            self.note_sent(day, 1);
        }
        allowed
    }

    /// Whether an Open Profile message could still go out free now.
    pub fn free_allowance_left(&self) -> bool {
        !self.floor_closed && self.open_profile_room()
    }

    /// Whether this cycle's `open_profile.limit` has room (§8.13).
    fn open_profile_room(&self) -> bool {
        let limit = self.model.scenario.open_profile.limit;
        open_profile::free_left(limit, self.open_profile_used)
    }

    /// Whether a message blocked now may still go out free later (§8.1).
    /// An Open Profile message is blocked either past the cycle's limit —
    /// it then needed a credit, and waits as a message that needs one,
    /// never free again, even in a later cycle (issue 17) — or, with room
    /// left, because the floor refuses every send: it then keeps its free
    /// chance for when sending reopens.
    pub fn waits_free(&self, open_profile: bool) -> bool {
        open_profile && self.open_profile_room()
    }

    /// `count` InMails went out on `day` (for the floor's assessment).
    #[inline]
    fn note_sent(&mut self, day: u32, count: u64) {
        if let Some(floor) = self.floor.as_mut().filter(|_| self.floor_applies) {
            floor.sent(day, count);
        }
    }

    /// §4b: one message that needs a credit: buy a pack if the balance is
    /// 0 and the policy says so, then spend. Returns the lot spent from, or
    /// `None` when the send is blocked (the caller records the block).
    pub fn spend_one(&mut self, day: u32) -> Option<Expiry> {
        let lot = self.charge_one(day)?;
        self.note_sent(day, 1);
        Some(lot)
    }

    /// One credit taken (bought first if need be), counted in `sent_paid`.
    fn charge_one(&mut self, day: u32) -> Option<Expiry> {
        if self.floor_closed {
            return None;
        }
        if let Some(pack) = self.pack_to_buy() {
            self.buy(day, pack);
        }
        let lot = self.ledger.spend()?;
        self.cycle.sent_paid += 1;
        Some(lot)
    }

    /// `count` messages that need a credit and whose lots do not matter
    /// (they get no response): as many as can go out do, buying packs as
    /// `spend_one` would; returns how many are blocked.
    #[inline(always)]
    pub fn spend_many(&mut self, day: u32, count: u64) -> u64 {
        // The usual case inline: no floor to tell, and the balance holds
        // them with no purchase due on the way.
        let policy = self.model.scenario.addons.policy;
        let unbought = addons::sends_before_purchase(policy, self.ledger.balance());
        if count <= unbought && !self.floor_closed {
            self.ledger.spend_many(count);
            self.cycle.sent_paid += count;
            if self.floor_on {
                self.floor_sent(day, count);
            }
            return 0;
        }
        self.spend_many_buying(day, count)
    }

    #[inline(never)]
    fn spend_many_buying(&mut self, day: u32, count: u64) -> u64 {
        if self.floor_closed {
            return count;
        }
        if let Some(blocked) = self.spend_all_and_buy(day, count) {
            return blocked;
        }
        self.spend_in_steps(day, count)
    }

    /// `spend_many_buying` when the run is not the usual one
    /// (`spend_all_and_buy`): held credits and packs in turn. Out of line,
    /// so that the usual run's function keeps few registers.
    #[inline(never)]
    fn spend_in_steps(&mut self, day: u32, count: u64) -> u64 {
        let mut left = count;
        while left > 0 {
            let take = match self.ledger.balance() {
                0 => {
                    // The packs the rest of the run buys, at once (§4b).
                    let credits = self.bought_for_run(left);
                    if credits == 0 {
                        break;
                    }
                    self.buy_spending(day, credits, left)
                }
                balance => {
                    let take = left.min(self.unbought().max(1));
                    match take == balance {
                        // Usually: the run needs more than is held.
                        true => self.ledger.spend_all(),
                        false => self.ledger.spend_many(take),
                    }
                    take
                }
            };
            left -= take;
        }
        // The sends that went out, counted once for the run.
        self.cycle.sent_paid += count - left;
        self.note_sent(day, count - left);
        left
    }

    /// The usual run that buys: it needs more than is held, so everything
    /// held goes, and the packs bought for the rest pay for all of it, or
    /// there are none to buy. Then, as the loop of `spend_many_buying`
    /// would, the held credits are spent at once (a purchase is due only
    /// at 0), the packs are bought at once ([`Books::bought_for_run`]) and
    /// the sends they pay taken from them (`buy_spending`): the ledger
    /// keeps one lot, what the packs have left. Returns how many are
    /// blocked, or `None` (with nothing done) when the run goes otherwise.
    #[inline(always)]
    fn spend_all_and_buy(&mut self, day: u32, count: u64) -> Option<u64> {
        let (policy, held) = (self.model.scenario.addons.policy, self.ledger.balance());
        // A purchase is due only once everything held is spent, and the
        // packs then pay for every send they hold.
        let at_zero = |credits: u64| addons::sends_before_purchase(policy, credits) == credits;
        if held >= count || !at_zero(held) {
            return None;
        }
        let needed = count - held;
        let credits = self.bought_for_run(needed);
        let blocked = match u64::from(credits) {
            0 => {
                self.ledger.spend_all();
                needed
            }
            bought if bought >= needed && at_zero(bought) => {
                let expiry = Expiry::after(day, Some(self.model.scenario.addons.expiry_days));
                self.ledger.refill(credits - needed as u32, expiry);
                self.cycle.purchased += bought;
                0
            }
            _ => return None,
        };
        self.cycle.sent_paid += count - blocked;
        self.note_sent(day, count - blocked);
        Some(blocked)
    }

    /// With nothing held, buys `credits` and spends from them the sends
    /// of a run of `left` that they pay before the next purchase would be
    /// due; returns how many. The pack is the only lot, so its credits go
    /// into the ledger less those: the same lot that buying, then
    /// spending, leaves.
    fn buy_spending(&mut self, day: u32, credits: u32, left: u64) -> u64 {
        debug_assert_eq!(self.ledger.balance(), 0);
        let policy = self.model.scenario.addons.policy;
        let paid = addons::sends_before_purchase(policy, u64::from(credits));
        let take = left.min(paid.min(u64::from(credits)).max(1));
        let expiry = Expiry::after(day, Some(self.model.scenario.addons.expiry_days));
        self.ledger.add(credits - take as u32, expiry);
        self.cycle.purchased += u64::from(credits);
        take
    }

    /// The sends the balance pays before a purchase would be due
    /// ([`addons::sends_before_purchase`]), at most the balance.
    fn unbought(&self) -> u64 {
        let (policy, balance) = (self.model.scenario.addons.policy, self.ledger.balance());
        addons::sends_before_purchase(policy, balance).min(balance)
    }

    /// The credits that `needed` sends, one after another from a balance
    /// of 0, buy on the way ([`addons::bought_for_run`]); none once the
    /// subscription is cancelled.
    fn bought_for_run(&self, needed: u64) -> u32 {
        if self.cancelled {
            return 0;
        }
        let (policy, purchased) = (self.model.scenario.addons.policy, self.cycle.purchased);
        let credits = addons::bought_for_run(policy, needed, purchased);
        // More than a lot holds (never with real packs): one pack now, the
        // next when it is spent, as sends one by one would buy them.
        u32::try_from(credits)
            .unwrap_or_else(|_| addons::before_send(policy, 0, purchased).unwrap_or(0))
    }

    /// The lot the `k`-th of the next sends that need a credit takes it
    /// from, when the balance holds it without a purchase; `None` when it
    /// does not (see [`Ledger::lot_of`]).
    pub fn lot_of_send(&self, k: u64) -> Option<Expiry> {
        self.ledger.lot_of(k)
    }

    /// Whether a message needing a credit would be blocked now.
    pub fn out_of_credit(&self) -> bool {
        self.floor_closed || (self.ledger.balance() == 0 && self.pack_to_buy().is_none())
    }

    /// The pack to buy before a send that needs a credit
    /// ([`addons::before_send`]); none once the subscription is cancelled.
    fn pack_to_buy(&self) -> Option<u32> {
        if self.cancelled {
            return None;
        }
        let policy = self.model.scenario.addons.policy;
        addons::before_send(policy, self.ledger.balance(), self.cycle.purchased)
    }

    /// `count` send attempts blocked on `day` (§6 `blocked`, `first_blocked_day`).
    pub fn record_blocked(&mut self, day: u32, count: u64) {
        if self.floor_closed {
            self.cycle.floor_blocked += count;
            return;
        }
        self.cycle.blocked += count;
        self.cycle
            .first_blocked_day
            .get_or_insert(day - self.cycle_start + 1);
    }

    /// §4c: a response to a message sent on `day` arrives `delay` days
    /// later; a paid one (`spent_from`) answered within the refund window,
    /// and not a decline when declines do not refund, refunds a credit.
    #[inline]
    pub fn schedule_response(
        &mut self,
        day: u32,
        delay: u32,
        spent_from: Option<Expiry>,
        decline: bool,
    ) {
        let sc = &self.model.scenario;
        let arrival = day + delay;
        if let Some(floor) = self.floor.as_mut().filter(|_| self.floor_applies) {
            floor.answered(day, delay);
        }
        if arrival >= sc.horizon.days() {
            return; // §8.2: responses due after the horizon are not counted.
        }
        let slot = &mut self.arrivals[arrival as usize];
        slot.responses += 1;
        self.arrival_days[arrival as usize / 64] |= 1 << (arrival % 64);
        let Some(lot) = spent_from else { return };
        if !refund::refunds(&sc.refunds, delay, decline) {
            return;
        }
        match refund::refund_lot(sc.refunds.expiry, lot, arrival) {
            RefundLot::Fresh => slot.fresh_refunds += 1,
            RefundLot::Lost => {}
            RefundLot::Original(lot) => self.original_refunds[arrival as usize].push(lot),
        }
    }
}

impl Books<'_> {
    /// `schedule_response` for a paid message when `refund_expiry` is
    /// "fresh": the refund is a new lot (§8.5), so the lot the credit was
    /// spent from does not matter. Besides telling the floor, if one
    /// watches, it is only the arrival's counts (§4c, §8.2), inline: it
    /// runs for every responder.
    #[inline(always)]
    pub fn schedule_paid_response(&mut self, day: u32, delay: u32, decline: bool) {
        if self.floor_on {
            self.schedule_watched_response(day, delay, decline);
            return;
        }
        self.arrive_paid(day, delay, decline);
    }

    /// `schedule_paid_response` when a floor watches the trial: it is told,
    /// then the arrival is scheduled as without it. Out of line (see
    /// `floor_sent`), as one call, so that the responder loops of
    /// scenarios without a floor keep the shape they had.
    #[inline(never)]
    fn schedule_watched_response(&mut self, day: u32, delay: u32, decline: bool) {
        self.schedule_watched_inline(day, delay, decline);
    }

    /// Whether a floor watches the trial: a paid response is then
    /// [`Books::schedule_watched_inline`].
    #[inline(always)]
    pub fn floor_watches(&self) -> bool {
        self.floor_on
    }

    /// `schedule_paid_response` when a floor watches the trial, inline:
    /// for a loop over responders that asked [`Books::floor_watches`]
    /// once, so that each responder's bookkeeping is not a call.
    #[inline(always)]
    pub fn schedule_watched_inline(&mut self, day: u32, delay: u32, decline: bool) {
        if let Some(floor) = self.floor.as_mut().filter(|_| self.floor_applies) {
            floor.answered(day, delay);
        }
        self.arrive_paid(day, delay, decline);
    }

    /// A paid response's arrival and fresh refund (§4c, §8.2).
    #[inline(always)]
    fn arrive_paid(&mut self, day: u32, delay: u32, decline: bool) {
        let sc = &self.model.scenario;
        debug_assert_eq!(sc.refunds.expiry, RefundExpiry::Fresh);
        // §8.2: `arrivals` ends with the horizon; later responses do not count.
        let arrival = day + delay;
        let Some(slot) = self.arrivals.get_mut(arrival as usize) else {
            return;
        };
        slot.responses += 1;
        self.arrival_days[arrival as usize / 64] |= 1 << (arrival % 64);
        let refunds = refund::refunds(&sc.refunds, delay, decline);
        slot.fresh_refunds += u32::from(refunds);
    }
}

/// What the lean cycle (`fast::lean`) needs: where the next stop is, and
/// paying for sends counted since the last one.
impl Books<'_> {
    /// The first day after `day` and before `end` on which something
    /// reaches the ledger at the start of the day (§4 steps 1–3): a lot
    /// expires or responses arrive; `end` if none does. The renewal is the
    /// cycle's first day, so `end` (the next cycle's) covers it.
    #[inline]
    pub fn next_stop(&self, day: u32, end: u32) -> u32 {
        let expiry = self.ledger.soonest_expiry().unwrap_or(u32::MAX);
        end.min(expiry).min(self.next_arrival_after(day))
    }

    /// The first day after `day` and before `end` on which a lot expires;
    /// `end` if none does.
    #[inline]
    pub fn next_expiry(&self, end: u32) -> u32 {
        end.min(self.ledger.soonest_expiry().unwrap_or(u32::MAX))
    }

    /// §4 step 3 of every day from `from` to `to` (inclusive), late: the
    /// responses due on them arrive now, their refunds as lots expiring
    /// `lifetime` days after their day. Returns whether any arrived. For
    /// the lean cycle only, when lots are spent in the order they came
    /// (then a refund lot, expiring after every lot held, takes no part in
    /// paying for sends made before it), refunds are fresh lots and nothing
    /// expires before `to`.
    pub fn receive_between(&mut self, from: u32, to: u32, lifetime: u32) -> bool {
        if from > to {
            return false;
        }
        let (mut responses, mut refunds) = (0u64, 0u64);
        // A word of the arrival bitmap at a time: its days in range are
        // taken and cleared together. Ranges are short (a stretch's days),
        // so mostly one word.
        let (mut word, last_word) = (from as usize / 64, to as usize / 64);
        let mut range = u64::MAX << (from % 64);
        loop {
            if word == last_word {
                range &= u64::MAX >> (63 - to % 64);
            }
            let mut due_days = self.arrival_days[word] & range;
            self.arrival_days[word] &= !due_days;
            while due_days != 0 {
                let day = (word * 64) as u32 + due_days.trailing_zeros();
                due_days &= due_days - 1;
                let (r, f) = self.take_fresh(day, lifetime);
                responses += r;
                refunds += f;
            }
            if word == last_word {
                break;
            }
            word += 1;
            range = u64::MAX;
        }
        self.cycle.responses += responses;
        self.cycle.refunds += refunds;
        responses > 0
    }

    /// Whether responses are due on `day`.
    #[inline(always)]
    pub fn arrives_on(&self, day: u32) -> bool {
        let word = self.arrival_days.get(day as usize / 64);
        word.is_some_and(|w| (w >> (day % 64)) & 1 != 0)
    }

    /// `receive_between(day, day, lifetime)`, inline: the lean cycle's
    /// days after one that ran short come one at a time, and on many of
    /// them nothing arrives (one bit of the bitmap says so).
    #[inline(always)]
    pub fn receive_on(&mut self, day: u32, lifetime: u32) -> bool {
        let bit = 1u64 << (day % 64);
        let Some(word) = self.arrival_days.get_mut(day as usize / 64) else {
            return false;
        };
        if *word & bit == 0 {
            return false;
        }
        *word &= !bit;
        let (responses, refunds) = self.take_fresh(day, lifetime);
        self.cycle.responses += responses;
        self.cycle.refunds += refunds;
        responses > 0
    }

    /// The responses due on `day` (flagged, its bit already cleared),
    /// their fresh refunds added as a lot expiring `lifetime` days after
    /// it; returns how many of each.
    #[inline(always)]
    fn take_fresh(&mut self, day: u32, lifetime: u32) -> (u64, u64) {
        let due = std::mem::take(&mut self.arrivals[day as usize]);
        debug_assert_eq!(
            due.returned, 0,
            "no Recruiter follow-ups (which return credits) in the lean cycle"
        );
        self.ledger
            .add(due.fresh_refunds, Expiry::On(day + lifetime));
        (u64::from(due.responses), u64::from(due.fresh_refunds))
    }

    /// The first day after `day` with responses due; `u32::MAX` if none.
    pub fn next_arrival_after(&self, day: u32) -> u32 {
        self.next_arrival_from(day + 1)
    }

    /// The first day from `day` on with responses due; `u32::MAX` if none.
    fn next_arrival_from(&self, day: u32) -> u32 {
        let from = day as usize;
        let mut word = from / 64;
        let mut bits = match self.arrival_days.get(word) {
            Some(w) => w >> (from % 64) << (from % 64),
            None => return u32::MAX,
        };
        loop {
            if bits != 0 {
                return (word * 64) as u32 + bits.trailing_zeros();
            }
            word += 1;
            match self.arrival_days.get(word) {
                Some(&w) => bits = w,
                None => return u32::MAX,
            }
        }
    }

    /// Pays for `count` sends that the balance held when they were made,
    /// soonest-expiring lots first. Between stops no lot is added or
    /// expires, so paying for a run of days at once takes the same credits
    /// from the same lots as paying day by day (§3).
    #[inline(always)]
    pub fn pay(&mut self, count: u64) {
        if count == 0 {
            return;
        }
        self.ledger.spend_many(count);
        self.cycle.sent_paid += count;
    }
}

/// Follow-ups (credit-rules §5).
impl Books<'_> {
    /// Standard rule: `count` follow-ups that get no response, each needing
    /// a credit now; returns how many went out. The others are blocked and
    /// lost (a follow-up is not backlogged).
    pub fn follow_ups_paid(&mut self, day: u32, count: u64) -> u64 {
        let blocked = self.spend_many(day, count);
        self.follow_ups_done(day, count - blocked, blocked);
        count - blocked
    }

    /// Standard rule: one follow-up that gets a response; the lot it was
    /// paid from, or `None` when blocked.
    pub fn follow_up_paid(&mut self, day: u32) -> Option<Expiry> {
        let lot = self.spend_one(day);
        self.follow_ups_done(day, u64::from(lot.is_some()), u64::from(lot.is_none()));
        lot
    }

    /// Recruiter rule: `count` follow-ups charged at the first send go out
    /// today; returns how many. When the floor refuses them, their credits
    /// come back, if they were charged under the plan in force.
    pub fn follow_ups_prepaid(&mut self, day: u32, count: u64) -> u64 {
        if self.floor_closed {
            // An old plan's credit does not carry over (`prepaid_refund`).
            let after = self.model.scenario.follow_ups.map_or(0, |f| f.after_days);
            if self.prepaid_refund(day, after).is_some() {
                self.return_follow_up_credits(day, count);
            }
            self.follow_ups_done(day, 0, count);
            return 0;
        }
        self.note_sent(day, count);
        self.follow_ups_done(day, count, 0);
        count
    }

    /// Standard rule: `count` follow-ups went out in a stretch the balance
    /// paid for whole (`fast::follow_stretch`); their credits are paid
    /// with the stretch's other sends ([`Books::pay`]).
    #[inline(always)]
    pub fn follow_ups_paid_for(&mut self, count: u64) {
        self.cycle.follow_ups += count;
    }

    /// Standard rule: `count` follow-ups due on `day` blocked, with no
    /// credit held and none to buy (`fast::follow_stretch`).
    pub fn follow_ups_blocked(&mut self, day: u32, count: u64) {
        debug_assert!(self.out_of_credit());
        self.follow_ups_done(day, 0, count);
    }

    fn follow_ups_done(&mut self, day: u32, sent: u64, blocked: u64) {
        self.cycle.follow_ups += sent;
        if blocked > 0 {
            self.cycle.follow_ups_blocked += blocked;
            self.record_blocked(day, blocked);
        }
    }

    /// Recruiter rule: what an answer to a prepaid follow-up going out on
    /// `day` refunds, its first message sent `after` days before: a fresh
    /// lot (`Expiry::Never` marks one), unless a plan change (or the
    /// cancellation) came in between. Then its credit was the old plan's,
    /// and the old plan's credits and refunds do not carry over (Help
    /// 57013, 75; docs/credit-rules.md, "Settled corners"): refunded into
    /// a cancelled subscription, it bought paid sends after the cancel.
    pub fn prepaid_refund(&self, day: u32, after: u32) -> Option<Expiry> {
        (day.saturating_sub(after) >= self.terms_start).then_some(Expiry::Never)
    }

    /// Recruiter rule: charges the follow-up of a message just sent; `false`
    /// when no credit is left for it (it is not scheduled, and counts as a
    /// blocked attempt).
    pub fn charge_follow_up(&mut self, day: u32) -> bool {
        let charged = self.charge_one(day).is_some();
        if !charged {
            self.follow_ups_done(day, 0, 1);
        }
        charged
    }

    /// Recruiter rule, a plain run: `count` messages, each followed by the
    /// charge of its follow-up, as `count` rounds of `spend_one` and
    /// `charge_follow_up` would do. Returns (messages sent, follow-ups
    /// charged); messages not sent are blocked (the caller records them).
    pub fn spend_pairs(&mut self, day: u32, count: u64) -> (u64, u64) {
        let (mut sent, mut charged) = (0, 0);
        if self.floor_closed {
            return (0, 0);
        }
        while sent < count {
            match self.pack_to_buy() {
                Some(pack) => self.buy(day, pack),
                None if self.ledger.balance() == 0 => break,
                None => {}
            }
            let pairs = (count - sent).min(self.unbought() / 2);
            if pairs > 0 {
                self.ledger.spend_many(2 * pairs);
                self.cycle.sent_paid += 2 * pairs;
                sent += pairs;
                charged += pairs;
                continue;
            }
            // One credit: the message takes it; its follow-up may buy.
            self.ledger.spend_many(1);
            self.cycle.sent_paid += 1;
            sent += 1;
            charged += u64::from(self.charge_follow_up(day));
        }
        self.note_sent(day, sent);
        (sent, charged)
    }

    /// Recruiter rule: a follow-up cancelled because its first message was
    /// answered on `arrival`: its credit comes back that day (a fresh lot;
    /// the Recruiter rule refuses `refund_expiry = "original"`).
    pub fn cancel_follow_up(&mut self, arrival: u32) {
        if let Some(slot) = self.arrivals.get_mut(arrival as usize) {
            slot.returned += 1;
            self.arrival_days[arrival as usize / 64] |= 1 << (arrival % 64);
        }
    }

    fn return_follow_up_credits(&mut self, day: u32, count: u64) {
        let expiry = Expiry::after(day, self.terms().plan.expiry_days);
        self.ledger.add(count as u32, expiry);
        self.cycle.follow_ups_returned += count;
    }
}

/// Whether the floor (§5, Help 413271) applies under `model.terms[terms]`:
/// on Recruiter plans, or on every plan if the scenario says so; never
/// while the subscription is cancelled (there is no seat to restrict).
fn floor_applies_under(model: &Model, terms: usize) -> bool {
    let t = &model.terms[terms];
    let recruiter = t.plan.is_recruiter();
    !t.cancelled && (model.scenario.floor).is_some_and(|f| recruiter || !f.recruiter_plans_only)
}

/// The days of the cycles under a plan the floor does not apply to, as
/// ranges (both ends included): the floor assesses no window at their end.
fn floor_quiet_days(model: &Model) -> Vec<(u32, u32)> {
    let cycles = &model.scenario.horizon.cycles;
    let mut quiet: Vec<(u32, u32)> = Vec::new();
    for (c, cycle) in cycles.iter().enumerate() {
        if floor_applies_under(model, model.terms_of_cycle[c]) || cycle.len == 0 {
            continue;
        }
        let (a, b) = (cycle.first_day, cycle.first_day + cycle.len - 1);
        match quiet.last_mut() {
            Some(last) if last.1 + 1 == a => last.1 = b,
            _ => quiet.push((a, b)),
        }
    }
    quiet
}
