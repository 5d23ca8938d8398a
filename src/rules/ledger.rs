//! The balance as a set of lots: a count of credits per expiry day.
//!
//! Live lots always expire within `max_lifetime` days of today (a lot
//! expiring on day `d` is gone at the start of day `d`, credit-rules §3), so
//! the counts live in a ring of at least `max_lifetime + 1` slots, indexed
//! by the expiry day modulo its length (a power of two, so the index is a
//! mask rather than a division on the spending scan):
//! no allocation after construction, O(1) grants, refunds and expiry, and a
//! short forward scan to find the soonest-expiring lot. Credits that never
//! expire (Recruiter plans, Help 412114) are a separate count spent last.

/// When a lot expires: the day it is gone, or never.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Expiry {
    /// Gone at the start of this simulation day.
    On(u32),
    Never,
}

impl Expiry {
    /// A lot created on `day` that lasts `lifetime` days (`None`: forever).
    pub fn after(day: u32, lifetime: Option<u32>) -> Expiry {
        match lifetime {
            Some(days) => Expiry::On(day + days),
            None => Expiry::Never,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Ledger {
    /// Credits by expiry day, at `expiry & mask`.
    ring: Vec<u32>,
    /// One bit per ring slot, set when the slot holds credits: the soonest
    /// lot after a spent one is found a word at a time, not a day at a time.
    occupied: Vec<u64>,
    mask: usize,
    /// Credits that expire (in the ring) and credits that never do.
    finite: u64,
    never: u64,
    /// The expiry day of the soonest-expiring finite lot; [`NO_LOT`] when
    /// every credit held never expires (or none is held).
    soonest: u32,
    /// Lots expiring on days before this one have been removed.
    expired_before: u32,
}

/// `soonest` when no finite lot is held.
const NO_LOT: u32 = u32::MAX;

/// The ring has at least one full bitmap word, so that a scan that steps a
/// word at a time wraps at the ring's end.
const MIN_SLOTS: usize = 64;

impl Ledger {
    /// A ledger for lots that live at most `max_lifetime` days.
    pub fn new(max_lifetime: u32) -> Ledger {
        let len = (max_lifetime as usize + 1)
            .next_power_of_two()
            .max(MIN_SLOTS);
        Ledger {
            ring: vec![0; len],
            occupied: vec![0; len / 64],
            mask: len - 1,
            finite: 0,
            never: 0,
            soonest: NO_LOT,
            expired_before: 0,
        }
    }

    /// Empties the ledger for a new trial, keeping its memory.
    pub fn reset(&mut self) {
        self.ring.fill(0);
        self.occupied.fill(0);
        self.finite = 0;
        self.never = 0;
        self.soonest = NO_LOT;
        self.expired_before = 0;
    }

    #[inline(always)]
    pub fn balance(&self) -> u64 {
        self.finite + self.never
    }

    /// The day the soonest-expiring lot is gone, if any credit expires.
    #[inline(always)]
    pub fn soonest_expiry(&self) -> Option<u32> {
        (self.soonest != NO_LOT).then_some(self.soonest)
    }

    /// Removes every lot expiring on or before `day`; returns how many
    /// credits expired. Call it at the start of `day` (§4 step 1); days
    /// skipped since the last call are caught up.
    #[inline(always)]
    pub fn expire_through(&mut self, day: u32) -> u64 {
        self.expired_before = self.expired_before.max(day + 1);
        if self.soonest > day {
            return 0; // the common case: nothing expires today
        }
        self.expire_lots_through(day)
    }

    #[inline(never)]
    fn expire_lots_through(&mut self, day: u32) -> u64 {
        let mut expired = 0;
        while self.soonest <= day {
            let slot = self.slot(self.soonest);
            let credits = u64::from(std::mem::take(&mut self.ring[slot]));
            self.finite -= credits;
            expired += credits;
            self.vacate(slot);
        }
        expired
    }

    /// Adds `credits` expiring at `expiry`. A lot whose day has already
    /// come is lost; returns whether the credits were added.
    pub fn add(&mut self, credits: u32, expiry: Expiry) -> bool {
        if credits == 0 {
            return true;
        }
        match expiry {
            Expiry::Never => self.never += u64::from(credits),
            Expiry::On(day) if day < self.expired_before => return false,
            Expiry::On(day) => {
                debug_assert!(
                    day - self.expired_before < self.ring.len() as u32,
                    "lot outlives the ring"
                );
                let slot = self.slot(day);
                self.ring[slot] += credits;
                self.occupied[slot / 64] |= 1 << (slot % 64);
                self.soonest = self.soonest.min(day);
                self.finite += u64::from(credits);
            }
        }
        true
    }

    /// Renewal day, §3 "Grant": trim the balance down to the cap,
    /// soonest-expiring first (Help 412114: "credits over the cap expire on
    /// refresh day"), then grant `min(monthly, cap − balance)` credits.
    /// Returns `(trimmed, granted)`.
    pub fn renew(&mut self, monthly: u32, cap: u32, expiry: Expiry) -> (u64, u64) {
        let cap = u64::from(cap);
        let trimmed = self.balance().saturating_sub(cap);
        self.spend_many(trimmed);
        let granted = u64::from(monthly).min(cap - self.balance());
        self.add(granted as u32, expiry);
        (trimmed, granted)
    }

    /// Spends one credit from the lot that expires soonest (§3); returns
    /// that lot's expiry, or `None` when the balance is 0.
    pub fn spend(&mut self) -> Option<Expiry> {
        if self.finite == 0 {
            return self.never.checked_sub(1).map(|left| {
                self.never = left;
                Expiry::Never
            });
        }
        let day = self.soonest;
        let slot = self.slot(day);
        self.ring[slot] -= 1;
        self.finite -= 1;
        if self.ring[slot] == 0 {
            self.vacate(slot);
        }
        Some(Expiry::On(day))
    }

    /// Spends `credits` credits, soonest-expiring first, as `credits` calls
    /// of [`Ledger::spend`] would; the balance must hold them.
    #[inline(always)]
    pub fn spend_many(&mut self, credits: u64) {
        debug_assert!(credits <= self.balance(), "spending more than the balance");
        // The usual case, a few sends from a lot that holds them, inline.
        let slot = self.slot(self.soonest);
        if self.soonest != NO_LOT && u64::from(self.ring[slot]) > credits {
            self.ring[slot] -= credits as u32;
            self.finite -= credits;
            return;
        }
        self.spend_across_lots(credits);
    }

    #[inline(never)]
    fn spend_across_lots(&mut self, credits: u64) {
        let mut left = credits.min(self.finite);
        self.never -= credits - left; // credits that never expire go last
        while left > 0 {
            let slot = self.slot(self.soonest);
            let take = left.min(u64::from(self.ring[slot]));
            self.ring[slot] -= take as u32;
            self.finite -= take;
            left -= take;
            if self.ring[slot] == 0 {
                self.vacate(slot);
            }
        }
    }

    /// `slot` (the soonest lot's) is now empty: clear its bit and move
    /// `soonest` to the next lot, if any.
    fn vacate(&mut self, slot: usize) {
        self.occupied[slot / 64] &= !(1 << (slot % 64));
        self.soonest = if self.finite == 0 {
            NO_LOT
        } else {
            self.next_occupied(self.soonest + 1)
        };
    }

    /// The first day from `from` on whose slot holds credits. Every live
    /// lot lies within one ring length after the soonest, so the scan wraps
    /// at most once; some slot must be occupied.
    fn next_occupied(&self, from: u32) -> u32 {
        let mut slot = self.slot(from);
        let mut distance = 0u32;
        loop {
            let bits = self.occupied[slot / 64] >> (slot % 64);
            if bits != 0 {
                return from + distance + bits.trailing_zeros();
            }
            let step = 64 - slot % 64;
            distance += step as u32;
            debug_assert!(distance <= 2 * self.ring.len() as u32, "no occupied slot");
            slot = (slot + step) & self.mask;
        }
    }

    #[inline]
    fn slot(&self, day: u32) -> usize {
        day as usize & self.mask
    }

    /// Credits by expiry, soonest first (for tests and debugging).
    pub fn lots(&self) -> Vec<(Expiry, u64)> {
        let mut lots = Vec::new();
        if self.soonest != NO_LOT {
            for day in self.soonest..self.soonest + self.ring.len() as u32 {
                let n = self.ring[self.slot(day)];
                if n > 0 {
                    lots.push((Expiry::On(day), u64::from(n)));
                }
            }
        }
        if self.never > 0 {
            lots.push((Expiry::Never, self.never));
        }
        lots
    }
}

#[cfg(test)]
mod tests;
