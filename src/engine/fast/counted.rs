//! The counted cycle: the fast engine's days when the ledger is two
//! running totals.
//!
//! When every lot lives the same number of days and only the renewal's
//! grant and fresh refunds add credits (one plan, no add-ons: see
//! `CyclePath::choose` in `engine::path`), lots expire in the order they came, and
//! spending soonest-expiring first (credit-rules §3) spends them in that
//! order too, as does the renewal's trim. The lots held are then always
//! the last ones added, and the ledger is fully described by two totals:
//! the credits *added* so far and the credits *gone* (spent, trimmed or
//! expired), the balance being their difference. Each step of §4 is a
//! comparison and an addition, with no branch on what the ledger holds:
//!
//! - step 1, expiry: the lots gone at the start of day `d` are those added
//!   on or before day `d − lifetime`, so *gone* rises to at least the
//!   total added by then;
//! - step 2, the renewal: the trim is taken from the oldest credits, so
//!   *gone* rises by it; the grant adds to *added*;
//! - step 3, responses: a day's refunds add to *added*;
//! - step 4, sends: as many of the day's messages as the balance holds go
//!   out (*gone* rises by them), the rest are blocked.
//!
//! A cycle runs in phases ([`Simulator::counted_cycle`]) so that the usual
//! day is a few instructions with one predictable branch. The draws are
//! the lean cycle's and the day-by-day path's, in the same order within
//! each stream, so every trial's results are identical to theirs (tested
//! in `lean`, on the scenarios that test it).

use super::Simulator;
use super::lean::day_of;
use crate::calendar::Cycle;
use crate::engine::Model;
use crate::engine::books::CountedTotals;
use crate::engine::day::{self, DaySteps};
use crate::engine::recipients::{Recipients, table_gap};
use crate::rules::{Renewal, fifo, refund};
use crate::sampling::delay::DelayInverter;
use crate::sampling::streams::SimRng;
use crate::scenario::{Plan, Refunds};
use rand::RngExt;

/// The counted ledger and the responses on their way, per trial.
#[derive(Debug)]
pub(super) struct Counted {
    /// Every lot lives this many days.
    lifetime: u32,
    /// Credits added since the trial began.
    added: u64,
    /// Credits spent, trimmed or expired since the trial began.
    gone: u64,
    /// `added_by[d + lifetime]` is the total added by the end of day `d`;
    /// the first `lifetime` entries are 0, so that day `d` reads the total
    /// its expiring lots were added by at `added_by[d]`, without a branch.
    added_by: Vec<u64>,
    /// Responses due on each day of the horizon: the count in the high 32
    /// bits, the refunds among them in the low 32. Days are read, not
    /// emptied, as the tail may run them again; a cycle's days are emptied
    /// at its end (no response arrives on a day already run), so a trial
    /// starts with none without clearing the whole horizon.
    arrivals: Vec<u64>,
    /// The cycle's responders, in message order (scratch).
    replies: Vec<Pending>,
    /// `arrivals` may hold a day's responses: a trial started and did not
    /// run to the horizon's end.
    dirty: bool,
}

/// A responder's reply, drawn ahead of the days.
#[derive(Debug, Clone, Copy)]
struct Pending {
    /// The message's index in the trial (its day is the one whose
    /// messages hold the index, in `bounds`).
    index: u64,
    /// The day its response arrives, and whether it brings a refund (1)
    /// or not (0). Sixteen bytes in all: the cycle's replies are written
    /// once each and read again only if a day runs short.
    arrival: u32,
    refund: u32,
}

impl Pending {
    /// What the reply adds to its arrival day's slot: one response, and
    /// its refund.
    #[inline(always)]
    fn due(&self) -> u64 {
        RESPONSE | u64::from(self.refund)
    }
}

/// One response in `arrivals`, and the refund mask.
const RESPONSE: u64 = 1 << 32;
const REFUNDS: u64 = RESPONSE - 1;

impl Counted {
    pub(super) fn new(model: &Model, lifetime: u32) -> Counted {
        let sc = &model.scenario;
        let days = sc.horizon.days() as usize;
        Counted {
            lifetime,
            added: 0,
            gone: 0,
            added_by: vec![0; days + lifetime as usize],
            arrivals: vec![0; days],
            replies: Vec::new(),
            dirty: false,
        }
    }

    /// Empties the ledger for a new trial. The responses due are empty
    /// already, but after a trial cut short (Ctrl-C, whose round is then
    /// discarded), so the whole horizon is cleared only then.
    pub(super) fn reset(&mut self) {
        self.added = 0;
        self.gone = 0;
        if self.dirty {
            self.arrivals.fill(0);
        }
        self.dirty = true;
    }

    pub(super) fn balance(&self) -> u64 {
        self.added - self.gone
    }

    /// §4 step 3 of `day`: its responses' refunds; then the day's
    /// additions are complete, for the expiry `lifetime` days on. (The
    /// responses themselves are counted once the cycle's days have run:
    /// [`Counted::take_responses`].)
    #[inline(always)]
    fn receive(&mut self, day: u32) {
        let due = self.arrivals[day as usize];
        self.added += due & REFUNDS;
        self.added_by[(day + self.lifetime) as usize] = self.added;
    }

    /// The responses that arrived on `days`, once they have all run, and
    /// their slots emptied: a day's arrivals are final when it opens (a
    /// response comes a day or more after its message, and the tail
    /// withdraws only those due after the day that ran short), so the
    /// slots hold what each day received, and nothing lands on these days
    /// again this trial. One pass after the days rather than a sum in
    /// their loops, which then keep one register fewer; emptying in the
    /// same pass saves a call to clear them.
    fn take_responses(&mut self, days: std::ops::Range<u32>) -> u64 {
        let slots = &mut self.arrivals[days.start as usize..days.end as usize];
        slots.iter_mut().map(|due| std::mem::take(due) >> 32).sum()
    }

    /// §4 step 4 for `demand` messages: returns how many go out.
    #[inline(always)]
    fn send(&mut self, demand: u64) -> u64 {
        let sent = fifo::sendable(demand, self.balance());
        self.gone += sent;
        sent
    }

    /// Adds (`u64::wrapping_add`) or withdraws (`u64::wrapping_sub`) a
    /// reply's response at its arrival. §8.2: none after the horizon.
    #[inline(always)]
    fn arrive(&mut self, pending: &Pending, apply: fn(u64, u64) -> u64) {
        if let Some(slot) = self.arrivals.get_mut(pending.arrival as usize) {
            *slot = apply(*slot, pending.due());
        }
    }

    /// §4 steps 1, 3 and 4 of the days from `first` up to the first one
    /// whose messages the balance cannot all pay for (whose steps 1 and 3
    /// are done, its sends not); `end` if there is none. One comparison
    /// per day decides, so the loop runs a few instructions a day.
    #[inline(always)]
    fn days_until_short(
        &mut self,
        bounds: &[u64],
        first: u32,
        end: u32,
        days: &mut DayTotals,
    ) -> u32 {
        let n = end - first;
        let (from, len) = (first as usize, n as usize);
        let to = from + len;
        let lifetime = self.lifetime as usize;
        if self.covers(bounds, from, len) {
            self.covered_days(from, to);
            self.gone += bounds[len] - bounds[0];
            return end;
        }
        // Days counted from the cycle's first, on slices of the cycle's
        // days cut to their lengths here, so that the loop checks no index;
        // the totals are copied into the steps, so that they stay in
        // registers through the loop.
        let mut steps = UntilShort {
            added: self.added,
            gone: self.gone,
            arrivals: &self.arrivals[from..to],
            demand: &bounds[..=len],
            added_by: &mut self.added_by[from..to + lifetime],
            lifetime,
        };
        // The lengths, stated to the compiler, so that it can drop the
        // loop's index checks (the days run below `len`).
        assert!(
            steps.arrivals.len() == len
                && steps.demand.len() == len + 1
                && steps.added_by.len() == len + lifetime
        );
        let i = day::days(&mut steps, 0, n);
        // Every message of the days before the short one went out, so the
        // rest of what went is what expired.
        let sent = bounds[i as usize] - bounds[0];
        days.expired += steps.gone - self.gone - sent;
        (self.added, self.gone) = (steps.added, steps.gone);
        first + i
    }

    /// Whether the balance pays for every message of the cycle's `len`
    /// days from `from`, whatever arrives: nothing expires in them (the
    /// lots added by the last one's expiry date are gone already, and each
    /// day reads an expiry total written before the cycle), and the
    /// balance holds all their messages (refunds only add). Then no day
    /// runs short, and the days need only their refunds counted.
    #[inline(always)]
    fn covers(&self, bounds: &[u64], from: usize, len: usize) -> bool {
        len > 0
            && self.lifetime as usize >= len
            && self.added_by[from + len - 1] <= self.gone
            && bounds[len] - bounds[0] <= self.balance()
    }

    /// §4 step 3 of days `from..to` that [`Counted::covers`]: each day's
    /// refunds, and the total added by its end for the expiry `lifetime`
    /// days on. (Step 1 finds nothing; step 4 sends every message, which
    /// the caller counts at once.)
    fn covered_days(&mut self, from: usize, to: usize) {
        let lifetime = self.lifetime as usize;
        let mut added = self.added;
        let arrivals = &self.arrivals[from..to];
        let added_by = &mut self.added_by[from + lifetime..to + lifetime];
        for (due, total) in arrivals.iter().zip(added_by) {
            added += due & REFUNDS;
            *total = added;
        }
        self.added = added;
    }

    /// §4 step 1 of `day`: lots added `lifetime` days ago or earlier are
    /// gone. Returns the credits that expired.
    #[inline(always)]
    fn expire(&mut self, day: u32) -> u64 {
        let expired = fifo::expired(self.added_by[day as usize], self.gone);
        self.gone += expired;
        expired
    }
}

/// The counted cycle's days until one runs short (`days_until_short`), on
/// the cycle's slices: day `i` is the cycle's `i`-th. Expiry is kept as
/// the total gone ([`fifo::gone_after_expiry`]); the credits it took are
/// counted once, after the loop.
struct UntilShort<'a> {
    added: u64,
    gone: u64,
    arrivals: &'a [u64],
    /// `demand[i]`: the index of day `i`'s first message.
    demand: &'a [u64],
    added_by: &'a mut [u64],
    lifetime: usize,
}

impl DaySteps for UntilShort<'_> {
    /// Steps 1 and 3 (the renewal, step 2, ran before the first day).
    #[inline(always)]
    fn open(&mut self, i: u32) {
        let i = i as usize;
        // Step 1: lots added `lifetime` days ago or earlier are gone.
        self.gone = fifo::gone_after_expiry(self.added_by[i], self.gone);
        // Step 3: the day's refunds; then its additions are complete, for
        // the expiry `lifetime` days on.
        let due = self.arrivals[i];
        self.added += due & REFUNDS;
        self.added_by[i + self.lifetime] = self.added;
    }

    /// Step 4, when the balance holds the day's messages.
    #[inline(always)]
    fn send(&mut self, i: u32, _end: u32) -> Option<u32> {
        let i = i as usize;
        let messages = self.demand[i + 1] - self.demand[i];
        if fifo::sendable(messages, self.added - self.gone) < messages {
            return None;
        }
        self.gone += messages;
        Some(i as u32 + 1)
    }
}

/// The counted cycle's days from the one after the first that ran short
/// (`counted_tail`): each day's messages go out while the balance lasts,
/// and only the replies to those that went out are scheduled.
struct Tail<'a, I: Iterator<Item = &'a Pending>> {
    ledger: &'a mut Counted,
    bounds: &'a [u64],
    first: u32,
    replies: std::iter::Peekable<I>,
    days: &'a mut DayTotals,
}

impl<'a, I: Iterator<Item = &'a Pending>> DaySteps for Tail<'a, I> {
    /// Steps 1 and 3.
    #[inline(always)]
    fn open(&mut self, day: u32) {
        self.days.expired += self.ledger.expire(day);
        self.ledger.receive(day);
    }

    /// Step 4: as many as the balance holds go out; the replies of those
    /// that did are scheduled.
    #[inline(always)]
    fn send(&mut self, day: u32, _end: u32) -> Option<u32> {
        let i = (day - self.first) as usize;
        let (from, to) = (self.bounds[i], self.bounds[i + 1]);
        let sent_end = from + self.ledger.send(to - from);
        while let Some(pending) = self.replies.next_if(|r| r.index < to) {
            if pending.index < sent_end {
                self.ledger.arrive(pending, u64::wrapping_add);
            }
        }
        Some(day + 1)
    }
}

impl Simulator<'_> {
    /// The days of `cycle` on the counted ledger, in three phases: the
    /// cycle's demand and its responders' replies are drawn first (each
    /// from its own stream, in the order the day-by-day path draws them);
    /// then the days run, with every reply scheduled as if its message went
    /// out, up to the first day whose messages the balance cannot all pay
    /// for; from that day on, the days run again with each reply scheduled
    /// only if its message went out.
    ///
    /// The first two phases are exact: until a day runs short every message
    /// goes out, and a response arrives at least a day after its message
    /// (`delay >= 1`), so every arrival up to the short day comes from a
    /// message that went out.
    pub(super) fn counted_cycle(
        &mut self,
        cycle: &Cycle,
        demand_rng: &mut crate::sampling::streams::SimRng,
    ) {
        let first = cycle.first_day;
        let end = first + cycle.len;
        let first_index = self.demanded;
        self.draw_cycle_demand(first, end, demand_rng);
        // The ledger borrowed apart from the rest of the simulator's state
        // (moving it out and back copied it twice a cycle).
        let ledger = self.counted.as_mut().expect("the counted ledger");
        let replies = ReplyDraws::new(self.books.model(), first, end, &self.bounds);
        replies.draw_cycle(ledger, &mut self.recipients, &mut self.rng);
        // §4 steps 1 and 2 of the renewal day; the first phase's step 1 on
        // that day then finds nothing more to expire.
        let expired_first = ledger.expire(first);
        let (trimmed, granted) = ledger.renewal(&self.books.terms().plan);
        let balance_after_grant = ledger.balance();
        let (added, gone) = (ledger.added, ledger.gone);
        let mut days = DayTotals::default();
        let short = ledger.days_until_short(&self.bounds, first, end, &mut days);
        if short < end {
            days.first_blocked = Some(short - first + 1);
            ledger.tail(&self.bounds, first, short, end, &mut days);
        }
        let demand = self.bounds[(end - first) as usize] - first_index;
        self.books.add_counted(&CountedTotals {
            demand,
            sent: ledger.gone - gone - days.expired,
            expired: expired_first + days.expired,
            trimmed,
            granted,
            balance_after_grant,
            responses: ledger.take_responses(first..end),
            refunds: ledger.added - added,
            first_blocked_day: days.first_blocked,
        });
        self.demanded = first_index + demand;
        if end == self.books.model().scenario.horizon.days() {
            ledger.dirty = false;
        }
    }
}

impl Counted {
    /// §3 "Grant" ([`Renewal::of`]): the trim is taken from the oldest
    /// credits, which the counted ledger holds soonest-expiring. Returns
    /// (trimmed, granted).
    fn renewal(&mut self, plan: &Plan) -> (u64, u64) {
        let Renewal { trimmed, granted } =
            Renewal::of(self.balance(), plan.monthly_credits, plan.cap);
        self.gone += trimmed;
        self.added += granted;
        (trimmed, granted)
    }
}

impl<'a> ReplyDraws<'a> {
    fn new(model: &'a Model, first: u32, end: u32, bounds: &'a [u64]) -> ReplyDraws<'a> {
        let scenario = &model.scenario;
        ReplyDraws {
            delays: scenario.delay.table.inverter(),
            rules: scenario.refunds,
            first,
            bounds,
            last: bounds[(end - first) as usize],
        }
    }

    /// The replies of the cycle's responders, in message order, into
    /// `ledger.replies`, each scheduled as if its message went out. The
    /// draws are `next_reply`'s, in its order (a gap, a delay, a decline
    /// when declines matter), made here on a copy of the generator and of
    /// the next responder's index, so that both stay in registers through
    /// the loop rather than go through memory at every draw.
    fn draw_cycle(&self, ledger: &mut Counted, recipients: &mut Recipients, sim_rng: &mut SimRng) {
        let draws = self;
        let (gaps, declines) = recipients.replies();
        let mut rng = sim_rng.clone();
        ledger.replies.clear();
        // The gap drawn inline from the table (the usual case), so that no
        // call takes the generator and it can stay in registers. A table's
        // gap is short, so the index cannot overflow; the other draws may
        // give "never" (u64::MAX), and saturate.
        let next = match gaps.table() {
            Some(table) => draws.draw_into(
                ledger,
                &mut rng,
                gaps.next,
                |index, rng| index + 1 + table_gap(table, rng),
                declines,
            ),
            None => draws.draw_into(
                ledger,
                &mut rng,
                gaps.next,
                |index, rng| index.saturating_add(1).saturating_add(gaps.gap(rng)),
                declines,
            ),
        };
        gaps.next = next;
        *sim_rng = rng;
    }
}

impl Counted {
    /// The days from `short`, the first one the balance runs short on (its
    /// steps 1 and 3 done), to `end`: each day's messages go out while the
    /// balance lasts and the rest are blocked, and only the replies to
    /// messages that went out are scheduled.
    fn tail(&mut self, bounds: &[u64], first: u32, short: u32, end: u32, days: &mut DayTotals) {
        let ledger = self;
        let short_from = bounds[(short - first) as usize];
        let from = ledger.replies.partition_point(|r| r.index < short_from);
        let replies = std::mem::take(&mut ledger.replies);
        for pending in &replies[from..] {
            ledger.arrive(pending, u64::wrapping_sub);
        }
        let mut tail = Tail {
            ledger,
            bounds,
            first,
            replies: replies[from..].iter().peekable(),
            days,
        };
        // The short day was opened by the first phase: its sends, then the
        // days after it in full.
        tail.send(short, end);
        day::days(&mut tail, short + 1, end);
        ledger.replies = replies;
    }
}

/// What a cycle's responders are drawn with (`draw_cycle_replies`).
struct ReplyDraws<'a> {
    delays: DelayInverter<'a>,
    rules: Refunds,
    /// The cycle's first day, and where each of its days' messages start
    /// (`draw_cycle_demand`'s bounds, padded for `day_of`).
    first: u32,
    bounds: &'a [u64],
    /// The index of the first message after the cycle.
    last: u64,
}

impl ReplyDraws<'_> {
    /// The replies of the responders from `index` on, up to `last`, into
    /// `ledger.replies`, each scheduled as if its message went out; `next`
    /// gives the responder after one (drawing its gap). The draws are
    /// `next_reply`'s, in its order: a gap, a delay, a decline when
    /// declines matter. Returns the next responder's index.
    #[inline(always)]
    fn draw_into(
        &self,
        ledger: &mut Counted,
        rng: &mut SimRng,
        mut index: u64,
        mut next: impl FnMut(u64, &mut SimRng) -> u64,
        declines: Option<f64>,
    ) -> u64 {
        // The day message `index` is sent on: responders come in message
        // order, so the day only moves forward, a window of days at a time
        // (`lean::day_of`; a binary search per responder cost about 50
        // instructions, a day-by-day scan a mispredicted branch).
        let mut day = 0;
        while index < self.last {
            day = day_of(self.bounds, day, index);
            let on = self.first + day as u32;
            let after = next(index, rng);
            let delay = self.delays.sample(rng);
            let decline = declines.is_some_and(|d| rng.random::<f64>() < d);
            debug_assert!(delay >= 1, "a response comes a day or more later");
            let pending = Pending {
                index,
                arrival: on + delay,
                refund: u32::from(refund::refunds(&self.rules, delay, decline)),
            };
            ledger.arrive(&pending, u64::wrapping_add);
            ledger.replies.push(pending);
            index = after;
        }
        index
    }
}

/// What the day loops count themselves; the rest comes from the totals.
#[derive(Default)]
struct DayTotals {
    expired: u64,
    /// §6 first_blocked_day: the day of the cycle (1-based).
    first_blocked: Option<u32>,
}
