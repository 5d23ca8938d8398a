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
    mask: usize,
    never: u64,
    balance: u64,
    /// No lot expires before this day (a lower bound kept for the scan).
    soonest: u32,
    /// Lots expiring on days before this one have been removed.
    expired_before: u32,
}

impl Ledger {
    /// A ledger for lots that live at most `max_lifetime` days.
    pub fn new(max_lifetime: u32) -> Ledger {
        let len = (max_lifetime as usize + 1).next_power_of_two();
        Ledger {
            ring: vec![0; len],
            mask: len - 1,
            never: 0,
            balance: 0,
            soonest: 0,
            expired_before: 0,
        }
    }

    /// Empties the ledger for a new trial, keeping its memory.
    pub fn reset(&mut self) {
        self.ring.fill(0);
        self.never = 0;
        self.balance = 0;
        self.soonest = 0;
        self.expired_before = 0;
    }

    pub fn balance(&self) -> u64 {
        self.balance
    }

    /// Removes every lot expiring on or before `day`; returns how many
    /// credits expired. Call it at the start of `day` (§4 step 1); days
    /// skipped since the last call are caught up.
    pub fn expire_through(&mut self, day: u32) -> u64 {
        let mut expired = 0;
        let first = self.expired_before.max(self.soonest);
        let horizon = first.saturating_add(self.ring.len() as u32);
        for d in first..=day.min(horizon) {
            let slot = self.slot(d);
            expired += u64::from(std::mem::take(&mut self.ring[slot]));
        }
        self.expired_before = self.expired_before.max(day + 1);
        self.soonest = self.soonest.max(day + 1);
        self.balance -= expired;
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
                self.soonest = self.soonest.min(day);
            }
        }
        self.balance += u64::from(credits);
        true
    }

    /// Renewal day, §3 "Grant": trim the balance down to the cap,
    /// soonest-expiring first (Help 412114: "credits over the cap expire on
    /// refresh day"), then grant `min(monthly, cap − balance)` credits.
    /// Returns `(trimmed, granted)`.
    pub fn renew(&mut self, monthly: u32, cap: u32, expiry: Expiry) -> (u64, u64) {
        let cap = u64::from(cap);
        let trimmed = self.balance.saturating_sub(cap);
        for _ in 0..trimmed {
            self.take_soonest();
        }
        let granted = u64::from(monthly).min(cap - self.balance);
        self.add(granted as u32, expiry);
        (trimmed, granted)
    }

    /// Spends one credit from the lot that expires soonest (§3); returns
    /// that lot's expiry, or `None` when the balance is 0.
    pub fn spend(&mut self) -> Option<Expiry> {
        (self.balance > 0).then(|| self.take_soonest())
    }

    /// Spends `credits` credits, soonest-expiring first, as `credits` calls
    /// of [`Ledger::spend`] would; the balance must hold them.
    pub fn spend_many(&mut self, credits: u64) {
        debug_assert!(credits <= self.balance, "spending more than the balance");
        let finite = self.balance - self.never;
        let mut left = credits.min(finite);
        self.never -= credits - left;
        self.balance -= credits;
        while left > 0 {
            let slot = self.slot(self.soonest);
            let take = left.min(u64::from(self.ring[slot]));
            self.ring[slot] -= take as u32;
            left -= take;
            if self.ring[slot] == 0 {
                self.soonest += 1;
            }
        }
    }

    /// Removes one credit from the soonest-expiring lot; balance must be > 0.
    fn take_soonest(&mut self) -> Expiry {
        self.balance -= 1;
        let finite = self.balance + 1 - self.never;
        if finite == 0 {
            self.never -= 1;
            return Expiry::Never;
        }
        loop {
            let slot = self.slot(self.soonest);
            if self.ring[slot] > 0 {
                self.ring[slot] -= 1;
                return Expiry::On(self.soonest);
            }
            self.soonest += 1;
        }
    }

    fn slot(&self, day: u32) -> usize {
        day as usize & self.mask
    }

    /// Credits by expiry, soonest first (for tests and debugging).
    pub fn lots(&self) -> Vec<(Expiry, u64)> {
        let mut lots = Vec::new();
        let first = self.soonest.max(self.expired_before);
        for day in first..first + self.ring.len() as u32 {
            let n = self.ring[self.slot(day)];
            if n > 0 {
                lots.push((Expiry::On(day), u64::from(n)));
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
