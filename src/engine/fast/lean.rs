//! The lean cycle: the fast engine's days when messages differ only in
//! whether they respond (`alike`).
//!
//! The cycle's demand is drawn up front, one count per send day from the
//! demand's own stream, into the index of each day's first message. Then
//! the loop runs from *stop* to stop — the days on which §4 steps 1–3 do
//! something (the renewal, a lot's expiry, arriving responses). Between
//! stops nothing reaches the ledger, so:
//!
//! - the messages of a run of days are paid for in one step at its end.
//!   That is exact: credits are spent soonest-expiring first
//!   (credit-rules §3), and with no lot added or expiring in between,
//!   taking a run's credits at once takes the same credits from the same
//!   lots as taking them day by day;
//! - the responders among them are found by message index (each one's day
//!   is the day whose messages include it) and their responses scheduled;
//!   one due before the next stop makes its arrival day the stop;
//! - only the day on which the balance runs short is sent as the
//!   day-by-day path sends it (`send_new_alike`: purchases, blocking), and
//!   the days after it, with no credit and none to buy, are blocked in one
//!   step until the next stop.
//!
//! With refunds to their own lot (§8.4) and nothing bought, the same
//! stretches run with responses as stops, and each paid responder's lot
//! is read off the ledger before its stretch is paid for
//! ([`Simulator::special_lean_cycle`]).
//!
//! Every draw is the day-by-day path's, in the same order within each
//! stream, so every trial's results are identical to it (tested below).

use super::Simulator;
use crate::calendar::Cycle;
use crate::engine::day::{DaySteps, days};
use crate::engine::path::same_lifetimes;
use crate::engine::recipients::{Recipients, Reply, table_gap};
use crate::sampling::delay::DelayTable;
use crate::sampling::streams::SimRng;
use rand::{Rng, RngExt};

impl Simulator<'_> {
    /// The days of `cycle`, from stop to stop.
    /// `same_lifetimes`: see [`CyclePath::Lean`](crate::engine::path::CyclePath::Lean).
    pub(super) fn lean_cycle(
        &mut self,
        cycle: &Cycle,
        same_lifetimes: Option<u32>,
        demand_rng: &mut SimRng,
    ) {
        self.stretches::<false, false>(cycle, same_lifetimes, demand_rng);
    }

    /// The lean cycle, with responses as stops, for what the plain one
    /// does not do: refunds to their own lot (§8.4, nothing bought), where
    /// each paid responder's lot is read off the ledger before its stretch
    /// is paid for, or a backlog (§8.1), whose waiting messages are sent
    /// as the day-by-day path sends them, on the days they wait. Out of
    /// line, so that the other scenarios' cycle loop keeps the shape it had.
    /// Or Open Profiles (§4a): see [`Simulator::open_stretch`], and
    /// [`Simulator::open_lazy_stretch`] when every lot lives as long. Or
    /// follow-ups (§5): see [`Simulator::follow_lean_cycle`]. Cold,
    /// so that the caller's cycle loop is laid out for the other paths.
    #[cold]
    #[inline(never)]
    pub(super) fn special_lean_cycle(&mut self, cycle: &Cycle, demand_rng: &mut SimRng) {
        if self.follow.is_some() {
            self.follow_lean_cycle(cycle, demand_rng);
        } else if self.own_lots {
            self.stretches::<true, false>(cycle, None, demand_rng);
        } else if self.books.model().scenario.demand.backlog {
            self.stretches::<false, true>(cycle, None, demand_rng);
        } else {
            self.open_lean_cycle(cycle, demand_rng);
        }
    }

    /// `special_lean_cycle` with Open Profiles: with lots that all live
    /// as long, responses need not be stops (`open_lazy_stretch`). Out of
    /// line, so that the other special cycles keep the code they had
    /// (original_expiry took 68 more instructions a month with it inline).
    #[inline(never)]
    fn open_lean_cycle(&mut self, cycle: &Cycle, demand_rng: &mut SimRng) {
        let same_lifetimes = same_lifetimes(self.books.model());
        self.stretches::<true, true>(cycle, same_lifetimes, demand_rng);
    }

    #[inline(always)]
    fn stretches<const OWN_LOTS: bool, const RETRIES: bool>(
        &mut self,
        cycle: &Cycle,
        same_lifetimes: Option<u32>,
        demand_rng: &mut SimRng,
    ) {
        let first = cycle.first_day;
        let end = first + cycle.len;
        let first_index = self.demanded;
        if self.ahead_drawn {
            self.cycle_demand_ahead(first, end);
        } else {
            self.draw_cycle_demand(first, end, demand_rng);
        }
        let mut stretches = Stretches::<OWN_LOTS, RETRIES> {
            sim: self,
            first,
            same_lifetimes,
        };
        days(&mut stretches, first, end);
        self.books.add_demand(self.demanded - first_index);
    }

    /// Every day's demand of the cycle, up front: `bounds[i]` is the index
    /// of the first message of day `first + i` and `bounds[len]` the index
    /// after the cycle's last. The demand has its own stream and depends on
    /// nothing the ledger does, so drawing ahead draws the same counts, in
    /// the same order. With one table, the days are one pass that keeps
    /// the running total and draws on the send days.
    pub(super) fn draw_cycle_demand(&mut self, first: u32, end: u32, demand_rng: &mut SimRng) {
        let demand = &self.books.model().demand;
        let bounds = &mut self.bounds;
        let mut total = self.demanded;
        bounds.clear();
        bounds.push(total);
        // In a local, the generator's state can live in registers.
        let mut rng = demand_rng.clone();
        match demand.one_table(first..end) {
            Some((send_day, table)) => {
                bounds.extend(send_day.iter().map(|&sends| {
                    if sends {
                        total += u64::from(table.count(rng.next_u64()));
                    }
                    total
                }));
            }
            None => {
                bounds.extend((first..end).map(|day| {
                    total += u64::from(demand.draw(day, &mut rng));
                    total
                }));
            }
        }
        // Past the cycle's end, days no message reaches: `day_of` reads
        // a window of them without checking where the cycle ends.
        bounds.extend([u64::MAX; DAY_WINDOW]);
        *demand_rng = rng;
    }

    /// `draw_cycle_demand` for a trial whose demand was drawn ahead over
    /// the whole horizon (`Simulator::check_floor`): the same counts, from
    /// the same draws, copied rather than drawn again.
    fn cycle_demand_ahead(&mut self, first: u32, end: u32) {
        let ahead = &self.demand_ahead[first as usize..=end as usize];
        debug_assert_eq!(ahead[0], self.demanded);
        self.bounds.clear();
        self.bounds.extend_from_slice(ahead);
        self.bounds.extend([u64::MAX; DAY_WINDOW]);
    }

    /// The day message `index` is sent on, from `on`: see [`day_of`].
    #[inline(always)]
    fn day_of(&self, first: u32, on: u32, index: u64) -> u32 {
        first + day_of(&self.bounds, (on - first) as usize, index) as u32
    }

    /// The sends of days `day..stop` (`day` has been opened, the others
    /// need no opening). Returns the day the stretch ends: `stop`, or
    /// sooner when a response sent in it is due before `stop`.
    fn lean_stretch(&mut self, first: u32, day: u32, stop: u32) -> u32 {
        self.stretch::<false, false>(first, day, stop)
    }

    /// `lean_stretch` for [`Simulator::special_lean_cycle`].
    fn special_stretch<const OWN_LOTS: bool, const RETRIES: bool>(
        &mut self,
        first: u32,
        day: u32,
        stop: u32,
    ) -> u32 {
        self.stretch::<OWN_LOTS, RETRIES>(first, day, stop)
    }

    /// With `OWN_LOTS`, refunds go back to their own lot: see
    /// [`Simulator::send_responders`]. With `RETRIES`, a day on which
    /// messages wait is sent as the day-by-day path sends it (the backlog,
    /// then the new messages), and the blocked days after it count the
    /// waiting messages blocked again on each send day
    /// (`blocked_with_backlog`).
    #[inline(always)]
    fn stretch<const OWN_LOTS: bool, const RETRIES: bool>(
        &mut self,
        first: u32,
        mut day: u32,
        mut stop: u32,
    ) -> u32 {
        let at = |bounds: &[u64], day: u32| bounds[(day - first) as usize];
        while day < stop {
            debug_assert_eq!(self.demanded, at(&self.bounds, day));
            if RETRIES && self.backlog.total() > 0 {
                // Messages wait: only on a send day are they retried.
                if self.books.model().demand.is_send_day(day) {
                    let new = at(&self.bounds, day + 1) - self.demanded;
                    self.books.catch_up_to(day);
                    self.send_backlog(day);
                    self.send_new_alike(day, new as u32);
                }
                stop = stop.min(self.books.next_stop(day, stop));
                day += 1;
                if day < stop && self.books.out_of_credit() {
                    self.blocked_with_backlog(first, day, stop);
                    day = stop;
                }
                continue;
            }
            let short = self.short_day(first, day, stop);
            // Responders before it all go out; a response due sooner ends
            // the stretch there (its refund is a stop).
            let (cut, soonest) = self.send_responders(first, day, short, true, OWN_LOTS);
            stop = stop.min(soonest);
            let upto = at(&self.bounds, cut);
            self.books.pay(upto - self.demanded);
            self.demanded = upto;
            day = cut;
            if day >= stop {
                break;
            }
            // `day` runs short: sent message by message, buying or blocking.
            let new = at(&self.bounds, day + 1) - upto;
            // Brings the ledger's clock to today, as opening the day would
            // (nothing expires: the soonest lot is not due before `stop`),
            // so that a pack bought today is placed against today.
            self.books.catch_up_to(day);
            match OWN_LOTS {
                // Each paid responder's lot read off the ledger first.
                true if new > 0 => self.send_specials_in_one_run(day, upto + new),
                true => {}
                false => self.send_new_alike(day, new as u32),
            }
            stop = stop.min(self.books.next_stop(day, stop));
            day += 1;
            if day < stop && self.books.out_of_credit() {
                match RETRIES {
                    true => self.blocked_with_backlog(first, day, stop),
                    false => self.blocked_until(first, day, stop),
                }
                day = stop;
            }
        }
        stop
    }

    /// `lean_stretch` with Open Profiles (§4a), refunds as fresh lots and
    /// no backlog: the special messages of days `day..stop` are taken in
    /// index order, as the one-run day takes them, while their days are
    /// ones the balance pays for whole. An Open Profile message goes free
    /// while the cycle's allowance has room at its turn (which depends
    /// only on the free messages before it), so the messages of days up to
    /// `short`, the first day whose messages the balance and the free ones
    /// found so far cannot all cover, all go out; `short` only moves on as
    /// free ones are found, and a day is taken only once it is before
    /// `short` (free ones found later on that day only make room). The day
    /// the stretch is cut at is sent as the one-run day sends it, and so
    /// is every day of a blocked spell (free messages may still go out).
    fn open_stretch(&mut self, first: u32, mut day: u32, mut stop: u32) -> u32 {
        let at = |bounds: &[u64], day: u32| bounds[(day - first) as usize];
        while day < stop {
            debug_assert_eq!(self.demanded, at(&self.bounds, day));
            let credit_end = self.demanded + self.books.balance();
            let (short, free) = self.take_covered::<true>(first, day, &mut stop, credit_end);
            let cut = short.min(stop);
            let upto = at(&self.bounds, cut);
            self.books.pay(upto - self.demanded - free);
            self.demanded = upto;
            day = cut;
            if day >= stop {
                break;
            }
            // `day` may run short: sent as the one-run day sends it.
            let end = at(&self.bounds, day + 1);
            self.books.catch_up_to(day);
            if end > upto {
                self.send_specials_in_one_run(day, end);
            }
            stop = stop.min(self.books.next_stop(day, stop));
            day += 1;
            if day < stop && self.books.out_of_credit() {
                stop = self.open_blocked(first, day, stop);
                day = stop;
            }
        }
        stop
    }

    /// `blocked_until` with Open Profiles: days `day..stop` with no credit
    /// and none to buy, as one run. Each special message is taken in
    /// index order, as the one-run day of each of these days takes it: an
    /// Open Profile one still goes free while the cycle's allowance has
    /// room at its turn, and a free responder's response is a stop (the
    /// spell ends before its day: messages from then on are not taken);
    /// every other message is blocked, and its response, if any, dropped.
    /// §6 first_blocked_day is the day of the first message that did not
    /// go free. Returns the stop the spell ends at.
    fn open_blocked(&mut self, first: u32, day: u32, mut stop: u32) -> u32 {
        let at = |bounds: &[u64], day: u32| bounds[(day - first) as usize];
        let delays = &self.books.model().scenario.delay.table;
        let start = self.demanded;
        let mut free = 0;
        // The first message not gone free, once found; before that, the
        // index the next free one must have for none to be blocked yet.
        let (mut first_paid, mut cursor) = (None, start);
        let mut on = day;
        while self.recipients.next_special() < at(&self.bounds, stop) {
            let index = self.recipients.next_special();
            on = self.day_of(first, on, index);
            let message = self.recipients.take(index, delays, &mut self.rng);
            let gone_free = message.open_profile && self.books.send_free(on);
            if first_paid.is_none() {
                if index > cursor || !gone_free {
                    first_paid = Some(cursor);
                } else {
                    cursor += 1;
                }
            }
            if !gone_free {
                continue;
            }
            free += 1;
            if let Some(reply) = message.reply {
                self.books
                    .schedule_response(on, reply.delay, None, reply.decline);
                stop = stop.min(on.saturating_add(reply.delay));
            }
        }
        let upto = at(&self.bounds, stop);
        let blocked = upto - start - free;
        if blocked > 0 {
            let first_paid = first_paid.unwrap_or(cursor);
            self.books
                .record_blocked(self.day_of(first, day, first_paid), blocked);
        }
        self.demanded = upto;
        stop
    }

    /// `open_stretch` when lots are spent in the order they came
    /// (`lifetime`), as `lazy_stretch` is `lean_stretch` then: responses
    /// are not stops. Special messages are taken as in `open_stretch`;
    /// the responses due on the days up to the one the balance (with the
    /// free messages found) runs short on come in afterwards, and with the
    /// balance grown the search repeats. Exact for the reasons given at
    /// `lazy_stretch`: a free message takes no credit, and a refund lot
    /// expires after every lot held. `stop` is the next expiry or the
    /// cycle's end.
    fn open_lazy_stretch(&mut self, first: u32, mut day: u32, stop: u32, lifetime: u32) -> u32 {
        let at = |bounds: &[u64], day: u32| bounds[(day - first) as usize];
        while day < stop {
            // `day`'s responses are in; its sends are not.
            debug_assert_eq!(self.demanded, at(&self.bounds, day));
            let credit_end = self.demanded + self.books.balance();
            let (short, free) = self.take_covered::<false>(first, day, &mut { stop }, credit_end);
            let upto = at(&self.bounds, short);
            self.books.pay(upto - self.demanded - free);
            self.demanded = upto;
            let arrived = short > day
                && self
                    .books
                    .receive_between(day + 1, short.min(stop - 1), lifetime);
            day = short;
            if day >= stop || arrived {
                continue;
            }
            // `day` may run short: sent as the one-run day sends it.
            let end = at(&self.bounds, day + 1);
            self.books.catch_up_to(day);
            if end > upto {
                self.send_specials_in_one_run(day, end);
            }
            day += 1;
            if day < stop && self.books.out_of_credit() {
                // Blocked until credits come: the next day with responses.
                let next = self.books.next_arrival_after(day - 1).min(stop);
                day = self.open_blocked(first, day, next);
            }
            if day < stop {
                self.books.receive_on(day, lifetime);
            }
        }
        stop
    }

    /// The special messages of the days from `day` that the balance (up to
    /// message `credit_end`) and the free messages found so far pay for
    /// whole, each taken in index order: an Open Profile one goes free
    /// while the cycle's allowance has room at its turn, and every response
    /// is scheduled; with `STOPS`, a response also ends the stretch at its
    /// day (`stop` is lowered to it). Returns the first day the messages
    /// found do not cover (`stop` if none) and the free messages found.
    /// The shared part of `open_stretch` and `open_lazy_stretch`.
    #[inline(always)]
    fn take_covered<const STOPS: bool>(
        &mut self,
        first: u32,
        day: u32,
        stop: &mut u32,
        credit_end: u64,
    ) -> (u32, u64) {
        let at = |bounds: &[u64], day: u32| bounds[(day - first) as usize];
        let delays = &self.books.model().scenario.delay.table;
        let mut free = 0;
        let mut short = self.short_from(first, day, *stop, credit_end);
        let mut on = day;
        while self.recipients.next_special() < at(&self.bounds, *stop) {
            let index = self.recipients.next_special();
            on = self.day_of(first, on, index);
            if on >= short {
                short = self.short_from(first, short, *stop, credit_end + free);
                if on >= short {
                    break;
                }
            }
            let message = self.recipients.take(index, delays, &mut self.rng);
            let gone_free = message.open_profile && self.books.send_free(on);
            free += u64::from(gone_free);
            let Some(reply) = message.reply else { continue };
            if gone_free {
                self.books
                    .schedule_response(on, reply.delay, None, reply.decline);
            } else {
                self.books
                    .schedule_paid_response(on, reply.delay, reply.decline);
            }
            if STOPS {
                // Its response is a stop (responses arrive a day or more later).
                *stop = (*stop).min(on.saturating_add(reply.delay));
            }
        }
        if short < *stop {
            short = self.short_from(first, short, *stop, credit_end + free);
        }
        (short, free)
    }

    /// The first day from `from` (before `stop`) whose messages end past
    /// index `credit_end`; `stop` if none does.
    #[inline(always)]
    fn short_from(&self, first: u32, from: u32, stop: u32, credit_end: u64) -> u32 {
        let ends = &self.bounds[(from - first + 1) as usize..=(stop - first) as usize];
        from + ends.partition_point(|&end| end <= credit_end) as u32
    }

    /// `lean_stretch` when lots are spent in the order they came
    /// (`lifetime`, see [`CyclePath::Lean`](crate::engine::path::CyclePath::Lean)): then responses need not be stops. Days up to
    /// the one the balance runs short on are paid for, and the responses
    /// due on the days after the first of them up to that day come in
    /// afterwards. That is exact: every lot held expires before a refund
    /// lot does, so a refund takes no part in paying for the sends made
    /// before it, and those were affordable without it. With the balance
    /// grown, the short day may be short no longer, so the search repeats.
    /// `stop` is the next expiry or the cycle's end.
    fn lazy_stretch(&mut self, first: u32, mut day: u32, stop: u32, lifetime: u32) -> u32 {
        let at = |bounds: &[u64], day: u32| bounds[(day - first) as usize];
        while day < stop {
            // `day`'s responses are in; its sends are not.
            debug_assert_eq!(self.demanded, at(&self.bounds, day));
            let short = self.short_day(first, day, stop);
            self.send_responders(first, day, short, false, false);
            let upto = at(&self.bounds, short);
            self.books.pay(upto - self.demanded);
            self.demanded = upto;
            let arrived = short > day
                && self
                    .books
                    .receive_between(day + 1, short.min(stop - 1), lifetime);
            day = short;
            if day >= stop || arrived {
                continue;
            }
            // `day` runs short: sent message by message, buying or blocking.
            // With nothing held and nothing arriving, the next day runs
            // short too (or has no demand): sent the same way, without the
            // search for it. Add-ons keep the balance at 0 for the rest of
            // a month once the grant is spent.
            loop {
                let new = at(&self.bounds, day + 1) - self.demanded;
                self.books.catch_up_to(day);
                self.send_new_alike(day, new as u32);
                day += 1;
                let empty = day < stop
                    && self.books.balance() == 0
                    && !self.books.arrives_on(day)
                    && !self.books.out_of_credit();
                if !empty {
                    break;
                }
            }
            if day < stop && self.books.out_of_credit() {
                // Blocked until credits come: the next day with responses.
                let next = self.books.next_arrival_after(day - 1).min(stop);
                self.blocked_until(first, day, next);
                day = next;
            }
            if day < stop {
                self.books.receive_on(day, lifetime);
            }
        }
        stop
    }

    /// The first day from `day` whose messages the balance cannot all pay
    /// for; `stop` if the balance holds every message before it.
    #[inline(always)]
    fn short_day(&self, first: u32, day: u32, stop: u32) -> u32 {
        let credit_end = self.demanded + self.books.balance();
        let ends = &self.bounds[(day - first + 1) as usize..=(stop - first) as usize];
        day + ends.partition_point(|&end| end <= credit_end) as u32
    }

    /// Schedules the responses of the responders among the messages of
    /// days `day..until`, all of which go out. With `cut_at_arrivals`, a
    /// response due before `until` brings `until` forward to its day.
    /// Returns `until` and the soonest arrival (`u32::MAX` if none).
    /// With `own_lots` (refunds to their own lot, §8.4), each responder's
    /// refund goes back to the lot its credit takes: the ledger has not
    /// yet paid for the messages from `demanded` on, and holds them all,
    /// so that is the lot of its place among them ([`Books::lot_of_send`](crate::engine::books::Books::lot_of_send)).
    /// Inlined, so that `cut_at_arrivals` and `own_lots` are constants at
    /// each call.
    #[inline(always)]
    fn send_responders(
        &mut self,
        first: u32,
        day: u32,
        mut until: u32,
        cut_at_arrivals: bool,
        own_lots: bool,
    ) -> (u32, u32) {
        let at = |bounds: &[u64], day: u32| bounds[(day - first) as usize];
        let mut soonest = u32::MAX;
        let mut on = day;
        while self.recipients.next_responder() < at(&self.bounds, until) {
            let index = self.recipients.next_responder();
            on = self.day_of(first, on, index);
            let reply = self.next_reply(index);
            if own_lots {
                let lot = self.books.lot_of_send(index - self.demanded);
                debug_assert!(lot.is_some(), "the balance holds the stretch");
                self.books
                    .schedule_response(on, reply.delay, lot, reply.decline);
            } else {
                self.books
                    .schedule_paid_response(on, reply.delay, reply.decline);
            }
            soonest = soonest.min(on.saturating_add(reply.delay));
            if cut_at_arrivals {
                until = until.min(soonest);
            }
        }
        (until, soonest)
    }

    /// Days `day..stop` with no credit and none to buy: every message is
    /// blocked, and responders among them take their draws all the same.
    fn blocked_until(&mut self, first: u32, day: u32, stop: u32) {
        let at = |bounds: &[u64], day: u32| bounds[(day - first) as usize];
        let upto = at(&self.bounds, stop);
        let blocked = upto - self.demanded;
        if blocked > 0 {
            // §6 first_blocked_day: the first of these days with demand.
            let mut first_blocked = day;
            while at(&self.bounds, first_blocked + 1) == self.demanded {
                first_blocked += 1;
            }
            self.books.record_blocked(first_blocked, blocked);
        }
        while self.recipients.next_responder() < upto {
            let index = self.recipients.next_responder();
            self.next_reply(index);
        }
        self.demanded = upto;
    }

    /// `blocked_until` with a backlog (§8.1): on each send day the
    /// messages waiting are retried and blocked again, then the day's new
    /// ones are blocked and wait too, as `send_backlog` and `plain_blocked`
    /// count them day by day. (No Open Profiles on the lean cycle: every
    /// waiting message needs a credit.)
    fn blocked_with_backlog(&mut self, first: u32, day: u32, stop: u32) {
        let at = |bounds: &[u64], day: u32| bounds[(day - first) as usize];
        debug_assert_eq!(self.backlog.open_profile, 0);
        let demand = &self.books.model().demand;
        let mut waiting = self.backlog.paid;
        let (mut blocked, mut first_blocked) = (0, None);
        for d in day..stop {
            if !demand.is_send_day(d) {
                continue;
            }
            let new = at(&self.bounds, d + 1) - at(&self.bounds, d);
            if waiting + new > 0 && first_blocked.is_none() {
                first_blocked = Some(d);
            }
            blocked += waiting + new;
            waiting += new;
        }
        if let Some(d) = first_blocked {
            self.books.record_blocked(d, blocked);
        }
        self.backlog.paid = waiting;
        let upto = at(&self.bounds, stop);
        while self.recipients.next_responder() < upto {
            let index = self.recipients.next_responder();
            self.next_reply(index);
        }
        self.demanded = upto;
    }

    /// The response of message `index`, the next responder: the draws of
    /// `take_reply` (a gap, a delay, and a decline when declines matter),
    /// with a tabled gap drawn inline.
    #[inline(always)]
    pub(super) fn next_reply(&mut self, index: u64) -> Reply {
        let delays = &self.books.model().scenario.delay.table;
        let (gaps, declines) = self.recipients.replies();
        let (next, table) = gaps.next_and_table();
        let Some(table) = table else {
            return self.recipients.take_reply(index, delays, &mut self.rng);
        };
        debug_assert_eq!(*next, index);
        let rng = &mut self.rng;
        *next = index
            .saturating_add(1)
            .saturating_add(table_gap(table, rng));
        let delay = delays.sample(rng);
        let decline = declines.is_some_and(|d| rng.random::<f64>() < d);
        Reply { delay, decline }
    }
}

/// [`Simulator::next_reply`]'s draws from the fields it reads, for a
/// caller that holds others of the simulator's fields borrowed
/// (`follow_stretch`). The method keeps its own body: written as a call
/// to this one, the compiler laid out the loops around it worse (the
/// reference +38 instructions a trial-year, backlog +1.5%, measured).
#[inline(always)]
pub(super) fn next_reply(
    recipients: &mut Recipients,
    rng: &mut SimRng,
    delays: &DelayTable,
    index: u64,
) -> Reply {
    let (gaps, declines) = recipients.replies();
    let (next, table) = gaps.next_and_table();
    let Some(table) = table else {
        return recipients.take_reply(index, delays, rng);
    };
    debug_assert_eq!(*next, index);
    *next = index
        .saturating_add(1)
        .saturating_add(table_gap(table, rng));
    let delay = delays.sample(rng);
    let decline = declines.is_some_and(|d| rng.random::<f64>() < d);
    Reply { delay, decline }
}

/// The lean cycle's days (§4 in [`days`]'s order): each stop is opened
/// (steps 1–3), and its sends are the stretch of days up to the next.
/// `OWN_LOTS` and `RETRIES`: see [`Simulator::special_lean_cycle`].
struct Stretches<'s, 'm, const OWN_LOTS: bool, const RETRIES: bool> {
    sim: &'s mut Simulator<'m>,
    first: u32,
    same_lifetimes: Option<u32>,
}

impl<const OWN_LOTS: bool, const RETRIES: bool> DaySteps for Stretches<'_, '_, OWN_LOTS, RETRIES> {
    #[inline(always)]
    fn open(&mut self, day: u32) {
        self.sim.books.open_day(day);
    }

    #[inline(always)]
    fn send(&mut self, day: u32, end: u32) -> Option<u32> {
        let sim = &mut *self.sim;
        Some(if let Some(lifetime) = self.same_lifetimes {
            let stop = sim.books.next_expiry(end);
            match (OWN_LOTS, RETRIES) {
                // Both: Open Profiles (see `special_lean_cycle`).
                (true, true) => sim.open_lazy_stretch(self.first, day, stop, lifetime),
                _ => sim.lazy_stretch(self.first, day, stop, lifetime),
            }
        } else {
            let stop = sim.books.next_stop(day, end);
            match (OWN_LOTS, RETRIES) {
                // Both: Open Profiles (see `special_lean_cycle`).
                (true, true) => sim.open_stretch(self.first, day, stop),
                (false, false) => sim.lean_stretch(self.first, day, stop),
                _ => sim.special_stretch::<OWN_LOTS, RETRIES>(self.first, day, stop),
            }
        })
    }
}

/// The day of the cycle (counted from its first) that message `index` is
/// sent on, from `on`, a day at or before it: the last day whose first
/// message is at or before `index`, in `bounds` (where each day's messages
/// start, then [`DAY_WINDOW`] days no message reaches). The days are
/// counted a window at a time rather than stepped through one by one,
/// since a loop that stops after a random number of days is a mispredicted
/// branch for every responder.
#[inline(always)]
pub(super) fn day_of(bounds: &[u64], mut on: usize, index: u64) -> usize {
    loop {
        // One length check for the window (a range's would also check
        // that its start is not past its end).
        let window: &[u64; DAY_WINDOW] = bounds[on + 1..]
            .first_chunk()
            .expect("bounds end with a window of days no message reaches");
        let passed = window
            .iter()
            .map(|&b| usize::from(b <= index))
            .sum::<usize>();
        on += passed;
        if passed < DAY_WINDOW {
            return on;
        }
    }
}

/// Days `day_of` counts at once: responders are a few days apart, so one
/// window almost always holds the next one's day.
const DAY_WINDOW: usize = 4;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::path::{CyclePath, same_lifetimes};
    use crate::engine::tests::timelines::{Trial, model_of};

    /// The lean cycle must give every trial exactly what the day-by-day
    /// path gives: same draws, same metrics. Both of its ways are checked
    /// (responses as stops, and taken in late when lifetimes allow), and so
    /// is the counted cycle (`counted`) where it applies.
    #[test]
    fn the_lean_and_counted_cycles_match_the_day_by_day_path() {
        let base = "months = 6\n[plan]\nid = \"sales_navigator_core\"\n[demand]\n";
        let core = |case: &str| format!("{base}{case}");
        let mut texts: Vec<String> = [
            "per_workday = 3\n",
            // Blocks most days of a month.
            "per_workday = 8\n[response]\nrate = \"30% to 60%\"\n",
            // Runs short mid-month, with many refunds coming back in it.
            "per_workday = 4\n[response]\nrate = \"30% to 60%\"\n[delay]\nmedian_days = 1\n\
             p90_days = 3\n",
            // Purchases when empty, and a monthly limit that then blocks.
            "per_workday = 5\n[addons]\npolicy = \"when_empty\"\npack = 2\nmax_per_month = 6\n\
             expiry_days = 90\n",
            // Purchases of one credit whenever empty, no limit (as the
            // shipped heavy add-ons scenario): after the grant is spent,
            // each day runs short, and is sent without the search while
            // nothing arrives; then packs of 3 on every day of the week.
            "per_workday = 4\n[addons]\npolicy = \"when_empty\"\n",
            "per_workday = 4\nweekends = true\n[addons]\npolicy = \"when_empty\"\npack = 3\n",
            // Monthly purchases that expire sooner than the plan's credits.
            "per_workday = 2\n[addons]\npolicy = \"monthly\"\nper_month = 5\nexpiry_days = 20\n",
            // Declines that do not refund, a rate redrawn each cycle, a
            // short refund window.
            "per_workday = 4\n[response]\ndeclines_share = 0.4\nredraw = \"cycle\"\n\
             [refunds]\ndeclines = false\nwindow_days = 5\n",
            // Weekends, fixed demand, and a balance that outlives months.
            "per_workday = 1\nweekends = true\ndistribution = \"fixed\"\n",
            "per_week = 4\n",
            // A different mean each cycle (no single demand table).
            "per_cycle = 60\n",
        ]
        .map(core)
        .to_vec();
        texts.extend([
            // Two seats that do not pool, and a plan change then a cancel.
            format!(
                "seats = 2\n{}[[plan_change]]\nfrom_cycle = 2\n\
                 plan = {{ id = \"sales_navigator_advanced\" }}\n\
                 [[plan_change]]\nfrom_cycle = 4\ncancel = true\n",
                core("per_workday = 3\n")
            ),
            // Renewal on the subscription's day of the month (Premium).
            "months = 6\nstart_date = 2026-01-15\n[plan]\nid = \"premium_career\"\n\
             [demand]\nper_workday = 1\n"
                .to_string(),
            // Lots that live less than a cycle: some expire in the cycle
            // they came in.
            "months = 6\n[plan]\nmonthly_credits = 30\ncap = 60\nexpiry_days = 12\n\
             renewal = \"calendar\"\nprice_monthly = 10\n[demand]\nper_workday = 2\n\
             [response]\nrate = \"20% to 50%\"\n"
                .to_string(),
            // More refunds than sends in some cycles, over a cap no higher
            // than the grant: the renewal trims.
            "months = 6\n[plan]\nmonthly_credits = 20\ncap = 20\nexpiry_days = 60\n\
             renewal = \"calendar\"\nprice_monthly = 10\n[demand]\nper_workday = 1\n\
             [response]\nrate = \"60% to 90%\"\n[delay]\nmedian_days = 10\np90_days = 30\n"
                .to_string(),
        ]);
        let (mut lazy_cases, mut counted_cases) = (0, 0);
        for text in &texts {
            let model = model_of(text);
            let path = CyclePath::choose(&model);
            assert!(
                matches!(path, CyclePath::Counted { .. } | CyclePath::Lean { .. }),
                "{text}"
            );
            counted_cases += usize::from(matches!(path, CyclePath::Counted { .. }));
            let same_lifetimes = same_lifetimes(&model);
            lazy_cases += usize::from(same_lifetimes.is_some());
            let mut daily = Simulator::on_path(&model, CyclePath::DayByDay { alike: true });
            let mut fast = Simulator::new(&model);
            let mut lean = Simulator::on_path(&model, CyclePath::Lean { same_lifetimes });
            let strict_path = CyclePath::Lean {
                same_lifetimes: None,
            };
            let mut strict = Simulator::on_path(&model, strict_path);
            for trial in 0..300 {
                let mut runs = [(); 4].map(|_| Trial::default());
                daily.run_trial(trial, &mut runs[0]);
                fast.run_trial(trial, &mut runs[1]);
                lean.run_trial(trial, &mut runs[2]);
                strict.run_trial(trial, &mut runs[3]);
                assert_eq!(runs[0], runs[1], "trial {trial}, fastest way, of\n{text}");
                assert_eq!(runs[0], runs[2], "trial {trial}, lean, of\n{text}");
                assert_eq!(
                    runs[0], runs[3],
                    "trial {trial}, responses as stops, of\n{text}"
                );
            }
        }
        assert!(
            lazy_cases >= 8,
            "all but the short-lived add-ons and lots: {lazy_cases}"
        );
        assert!(
            counted_cases >= 8,
            "one plan, no add-ons, demand that mostly goes out: {counted_cases}"
        );
    }

    /// With refunds to their own lot (§8.4) the lean cycle reads each
    /// responder's lot off the ledger before its stretch is paid for, and
    /// with a backlog (§8.1) it sends the days on which messages wait as
    /// the day-by-day path does, and with Open Profiles (§4a) it takes the
    /// special messages in order; it must give every trial what the
    /// message-by-message path gives.
    #[test]
    fn the_lean_cycle_with_own_lots_a_backlog_or_open_profiles_matches_the_day_by_day_path() {
        let base = "months = 6\n[plan]\nid = \"sales_navigator_core\"\n\
                    [refunds]\nexpiry = \"original\"\n[demand]\n";
        let cases = [
            "per_workday = 3\n",
            // Blocks most days of a month, many refunds back to old lots.
            "per_workday = 8\n[response]\nrate = \"30% to 60%\"\n",
            // Runs short mid-month with refunds coming back in it, some to
            // lots that expire before they arrive (lost).
            "per_workday = 4\n[response]\nrate = \"30% to 60%\"\n[delay]\nmedian_days = 3\n\
             p90_days = 40\n",
            // Declines that do not refund, a short window, rates by cycle.
            "per_workday = 4\n[response]\ndeclines_share = 0.4\nredraw = \"cycle\"\n",
        ];
        let mut texts: Vec<String> = cases.iter().map(|c| format!("{base}{c}")).collect();
        texts[3] = texts[3].replace(
            "[refunds]\n",
            "[refunds]\ndeclines = false\nwindow_days = 5\n",
        );
        // Lots that live less than a cycle, and a plan change then a cancel.
        texts.push(
            "months = 6\n[plan]\nmonthly_credits = 30\ncap = 60\nexpiry_days = 12\n\
             renewal = \"calendar\"\nprice_monthly = 10\n[refunds]\nexpiry = \"original\"\n\
             [demand]\nper_workday = 2\n[response]\nrate = \"20% to 50%\"\n"
                .to_string(),
        );
        texts.push(format!(
            "{base}per_workday = 3\n[[plan_change]]\nfrom_cycle = 2\n\
             plan = {{ id = \"sales_navigator_advanced\" }}\n\
             [[plan_change]]\nfrom_cycle = 4\ncancel = true\n"
        ));
        // A backlog: blocked spells that end with refunds or a renewal,
        // weekends on which messages wait, add-on packs bought when empty,
        // weekly demand that some weeks leaves days without messages.
        let backlog =
            "months = 6\n[plan]\nid = \"sales_navigator_core\"\n[demand]\nbacklog = true\n";
        texts.extend(
            [
                "per_workday = 3\n",
                "per_workday = 8\n[response]\nrate = \"30% to 60%\"\n",
                "per_workday = 5\n[response]\nrate = \"30% to 60%\"\nredraw = \"cycle\"\n\
                 [delay]\nmedian_days = 1\np90_days = 3\n",
                "per_workday = 5\n[addons]\npolicy = \"when_empty\"\npack = 2\nmax_per_month = 6\n",
                "per_workday = 6\n[addons]\npolicy = \"monthly\"\nper_month = 5\nexpiry_days = 20\n",
                "per_week = 9\n",
                "per_workday = 4\nweekends = true\n[response]\nrate = \"5% to 10%\"\n",
            ]
            .map(|case| format!("{backlog}{case}")),
        );
        // Open Profiles: free up to the cycle's limit, then paid; blocked
        // spells in which free messages still go out; packs bought when
        // empty; declines; weekends.
        let open = "months = 6\n[plan]\nid = \"sales_navigator_core\"\n[open_profile]\n";
        texts.extend(
            [
                "share = 0.3\nlimit = 10\n[demand]\nper_workday = 3\n",
                "share = 0.4\nlimit = 6\n[demand]\nper_workday = 8\n\
                 [response]\nrate = \"30% to 60%\"\n",
                "share = 0.5\nlimit = 40\n[demand]\nper_workday = 6\n[response]\n\
                 declines_share = 0.4\nredraw = \"cycle\"\n[refunds]\ndeclines = false\n",
                "share = 0.2\n[demand]\nper_workday = 5\n[addons]\npolicy = \"when_empty\"\n\
                 pack = 2\nmax_per_month = 6\n",
                "share = 0.3\nlimit = 5\n[demand]\nper_workday = 4\nweekends = true\n\
                 [delay]\nmedian_days = 1\np90_days = 3\n",
            ]
            .map(|case| format!("{open}{case}")),
        );
        // Lots that live less than a cycle: responses are stops
        // (`open_stretch`); the cases above have lots of one lifetime
        // (`open_lazy_stretch`), but for the packs bought when empty.
        texts.push(
            "months = 6\n[plan]\nmonthly_credits = 30\ncap = 60\nexpiry_days = 12\n\
             renewal = \"calendar\"\nprice_monthly = 10\n[open_profile]\nshare = 0.3\n\
             limit = 10\n[demand]\nper_workday = 3\n"
                .to_string(),
        );
        let (mut refunds, mut blocked) = (0, 0);
        for text in &texts {
            let model = model_of(text);
            let lean = CyclePath::Lean {
                same_lifetimes: None,
            };
            assert_eq!(CyclePath::choose(&model), lean, "{text}");
            let mut daily = Simulator::on_path(&model, CyclePath::DayByDay { alike: false });
            let mut fast = Simulator::new(&model);
            for trial in 0..300 {
                let (mut a, mut b) = (Trial::default(), Trial::default());
                daily.run_trial(trial, &mut a);
                fast.run_trial(trial, &mut b);
                assert_eq!(a, b, "trial {trial} of\n{text}");
                refunds += a.cycles.iter().map(|c| c.refunds).sum::<u64>();
                blocked += a.cycles.iter().map(|c| c.blocked).sum::<u64>();
            }
        }
        assert!(
            refunds > 0 && blocked > 0,
            "{refunds} refunds, {blocked} blocked"
        );
    }
}
