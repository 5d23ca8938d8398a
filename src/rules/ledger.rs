//! The balance as a set of lots: a count of credits per expiry day.
//!
//! The lots that expire are a queue, soonest first (a lot expiring on day
//! `d` is gone at the start of day `d`, credit-rules §3): spending and
//! expiry take from the front, and a new lot, which usually expires after
//! every lot held, joins at the back. Live lots expire within
//! `max_lifetime` days of today, so the queue is sized once: no allocation
//! after construction, O(1) grants, refunds, spending and expiry in the
//! usual case. Credits that never expire (Recruiter plans, Help 412114) are
//! a separate count spent last.

use super::Renewal;
use lots::Lots;

mod lots;

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
    /// The lots that expire, one per expiry day, soonest first. Lots
    /// mostly come in the order they expire (a grant or a refund expires a
    /// plan's lifetime after today), so adding one is a push at the back
    /// and spending takes from the front; a lot that expires sooner than
    /// the last (an add-on of a shorter lifetime) is inserted in order.
    lots: Lots,
    /// Credits that expire (in `lots`) and credits that never do.
    finite: u64,
    never: u64,
    /// Lots expiring on days before this one have been removed.
    expired_before: u32,
    /// No lot lives longer (checked in debug builds: the queue's size).
    max_lifetime: u32,
}

/// Credits that expire on the same day.
#[derive(Debug, Clone, Copy)]
struct Lot {
    expiry: u32,
    credits: u32,
}

impl Lot {
    /// What an unused slot of the ring holds.
    const EMPTY: Lot = Lot {
        expiry: 0,
        credits: 0,
    };
}

impl Ledger {
    /// A ledger for lots that live at most `max_lifetime` days. Live lots
    /// expire on distinct days within `max_lifetime` days of today, so
    /// `lots` never holds more than `max_lifetime + 1` and never grows
    /// after construction.
    pub fn new(max_lifetime: u32) -> Ledger {
        Ledger {
            lots: Lots::with_capacity(max_lifetime as usize + 1),
            finite: 0,
            never: 0,
            expired_before: 0,
            max_lifetime,
        }
    }

    /// Empties the ledger for a new trial, keeping its memory.
    pub fn reset(&mut self) {
        self.lots.clear();
        self.finite = 0;
        self.never = 0;
        self.expired_before = 0;
    }

    #[inline(always)]
    pub fn balance(&self) -> u64 {
        self.finite + self.never
    }

    /// The day the soonest-expiring lot is gone, if any credit expires.
    #[inline(always)]
    pub fn soonest_expiry(&self) -> Option<u32> {
        self.lots.front().map(|lot| lot.expiry)
    }

    /// Removes every lot expiring on or before `day`; returns how many
    /// credits expired. Call it at the start of `day` (§4 step 1); days
    /// skipped since the last call are caught up.
    #[inline(always)]
    pub fn expire_through(&mut self, day: u32) -> u64 {
        self.expired_before = self.expired_before.max(day + 1);
        match self.lots.front() {
            Some(lot) if lot.expiry <= day => self.expire_lots_through(day),
            _ => 0, // the common case: nothing expires today
        }
    }

    #[inline(never)]
    fn expire_lots_through(&mut self, day: u32) -> u64 {
        let mut expired = 0;
        while let Some(lot) = self.lots.front().filter(|lot| lot.expiry <= day) {
            expired += u64::from(lot.credits);
            self.lots.pop_front();
        }
        self.finite -= expired;
        expired
    }

    /// Adds `credits` expiring at `expiry`. A lot whose day has already
    /// come is lost; returns whether the credits were added. Inline
    /// always: the compiler left it out of line once the lots became a
    /// ring, and refunds that never expire (Recruiter plans) then paid a
    /// call for one addition.
    #[inline(always)]
    pub fn add(&mut self, credits: u32, expiry: Expiry) -> bool {
        if credits == 0 {
            return true;
        }
        match expiry {
            Expiry::Never => self.never += u64::from(credits),
            Expiry::On(day) if day < self.expired_before => return false,
            Expiry::On(day) => {
                match self.lots.back_mut() {
                    None => self.lots.push_back(Lot {
                        expiry: day,
                        credits,
                    }),
                    Some(last) if last.expiry < day => {
                        self.lots.push_back(Lot {
                            expiry: day,
                            credits,
                        });
                    }
                    Some(last) if last.expiry == day => last.credits += credits,
                    Some(_) => self.insert_in_order(day, credits),
                }
                debug_assert!(
                    day - self.expired_before <= self.max_lifetime,
                    "lot outlives the ledger's lifetime"
                );
                self.finite += u64::from(credits);
            }
        }
        true
    }

    /// A lot that expires before the last one held.
    #[inline(never)]
    fn insert_in_order(&mut self, day: u32, credits: u32) {
        // From the front: such a lot (a refund back to the lot it was spent
        // from, §8.4) is usually among the soonest to expire.
        let at = (self.lots.iter())
            .position(|lot| lot.expiry >= day)
            .unwrap_or(self.lots.len());
        match self.lots.get_mut(at) {
            Some(lot) if lot.expiry == day => lot.credits += credits,
            _ => self.lots.insert(
                at,
                Lot {
                    expiry: day,
                    credits,
                },
            ),
        }
    }

    /// Renewal day, §3 "Grant": the trim and grant of [`Renewal::of`],
    /// the trim taken soonest-expiring first, the grant a lot expiring at
    /// `expiry`. Returns `(trimmed, granted)`.
    pub fn renew(&mut self, monthly: u32, cap: u32, expiry: Expiry) -> (u64, u64) {
        let Renewal { trimmed, granted } = Renewal::of(self.balance(), monthly, cap);
        self.spend_many(trimmed);
        self.add(granted as u32, expiry);
        (trimmed, granted)
    }

    /// The lot the `k`-th next credit spent (0-based) comes from, soonest-
    /// expiring first as [`Ledger::spend`] takes them; `None` when the
    /// balance holds fewer than `k + 1` credits. Lots are few (a grant and
    /// the refunds of a few days), so this is a short walk.
    pub fn lot_of(&self, mut k: u64) -> Option<Expiry> {
        for lot in self.lots.iter() {
            if k < u64::from(lot.credits) {
                return Some(Expiry::On(lot.expiry));
            }
            k -= u64::from(lot.credits);
        }
        (k < self.never).then_some(Expiry::Never)
    }

    /// Spends one credit from the lot that expires soonest (§3); returns
    /// that lot's expiry, or `None` when the balance is 0.
    pub fn spend(&mut self) -> Option<Expiry> {
        let Some(lot) = self.lots.front_mut() else {
            return self.never.checked_sub(1).map(|left| {
                self.never = left;
                Expiry::Never
            });
        };
        let expiry = lot.expiry;
        lot.credits -= 1;
        if lot.credits == 0 {
            self.lots.pop_front();
        }
        self.finite -= 1;
        Some(Expiry::On(expiry))
    }

    /// Spends every credit held, as `balance` calls of [`Ledger::spend`]
    /// would: every lot goes, whatever the order.
    #[inline]
    pub fn spend_all(&mut self) {
        self.lots.clear();
        self.finite = 0;
        self.never = 0;
    }

    /// Spends every credit held, then adds `credits` expiring at `expiry`,
    /// as [`Ledger::spend_all`] then [`Ledger::add`] would (and returns
    /// what `add` returns): a run of sends that takes everything held and
    /// buys add-ons for the rest keeps only what the packs have left. The
    /// ledger is then empty when the lot comes, so it is a push without
    /// `add`'s search for its place.
    #[inline]
    pub fn refill(&mut self, credits: u32, expiry: Expiry) -> bool {
        self.spend_all();
        match expiry {
            _ if credits == 0 => {}
            Expiry::Never => self.never = u64::from(credits),
            Expiry::On(day) if day < self.expired_before => return false,
            Expiry::On(day) => {
                debug_assert!(
                    day - self.expired_before <= self.max_lifetime,
                    "lot outlives the ledger's lifetime"
                );
                self.lots.push_back(Lot {
                    expiry: day,
                    credits,
                });
                self.finite = u64::from(credits);
            }
        }
        true
    }

    /// Spends `credits` credits, soonest-expiring first, as `credits` calls
    /// of [`Ledger::spend`] would; the balance must hold them.
    #[inline(always)]
    pub fn spend_many(&mut self, credits: u64) {
        debug_assert!(credits <= self.balance(), "spending more than the balance");
        // The usual case, a few sends from a lot that holds them, inline.
        if let Some(lot) = self.lots.front_mut() {
            if u64::from(lot.credits) > credits {
                lot.credits -= credits as u32;
                self.finite -= credits;
                return;
            }
        }
        self.spend_across_lots(credits);
    }

    #[inline(never)]
    fn spend_across_lots(&mut self, credits: u64) {
        let finite = credits.min(self.finite);
        self.never -= credits - finite; // credits that never expire go last
        self.finite -= finite;
        let mut left = finite;
        while left > 0 {
            let lot = self.lots.front_mut().expect("the balance holds them");
            if u64::from(lot.credits) > left {
                lot.credits -= left as u32;
                return;
            }
            left -= u64::from(lot.credits);
            self.lots.pop_front();
        }
    }

    /// Credits by expiry, soonest first (for tests and debugging).
    pub fn lots(&self) -> Vec<(Expiry, u64)> {
        let mut lots: Vec<(Expiry, u64)> = self
            .lots
            .iter()
            .map(|lot| (Expiry::On(lot.expiry), u64::from(lot.credits)))
            .collect();
        if self.never > 0 {
            lots.push((Expiry::Never, self.never));
        }
        lots
    }
}

#[cfg(test)]
mod tests;
