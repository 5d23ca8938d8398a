//! The lot ledger's rules when every lot lives the same number of days
//! and only grants and fresh refunds add credits: lots then expire in the
//! order they came, and spending soonest-expiring first (credit-rules §3)
//! and the renewal's trim (§3 "Grant", [`Renewal::of`](super::Renewal::of))
//! take them in that order too. The lots held are always the last ones
//! added, so the ledger is two running totals — credits *added* and
//! credits *gone* (spent, trimmed or expired) — and each rule is a
//! function of counts. The fast engine's counted cycle keeps the ledger
//! this way (`engine::fast::counted`); [`Ledger`](super::Ledger) is the
//! same rules on lots, and the engines' equivalence tests hold the two to
//! the same results.

/// §4 step 1: the credits that expire at the start of a day, when
/// `added_by` credits had been added by the end of the day a lifetime
/// before it (a lot created on day `c` is gone on day `c + lifetime`,
/// [`Expiry::after`](super::Expiry::after)) and `gone` have gone so far.
/// Gone ones are the oldest, so those of the expiring lots still held are
/// the difference.
#[inline(always)]
pub fn expired(added_by: u64, gone: u64) -> u64 {
    added_by.saturating_sub(gone)
}

/// §4 step 1 as the total gone: `gone + expired(added_by, gone)`, for a
/// loop that counts the expired credits once, from the totals, rather
/// than day by day.
#[inline(always)]
pub fn gone_after_expiry(added_by: u64, gone: u64) -> u64 {
    gone.max(added_by)
}

/// §4 step 4: of `demand` messages that each need a credit, how many go
/// out: as many as the balance holds, in order; the rest are blocked.
#[inline(always)]
pub fn sendable(demand: u64, balance: u64) -> u64 {
    demand.min(balance)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{Expiry, Ledger};

    /// The two totals give what the lot ledger gives: grants of 10 on
    /// days 0, 5 and 10, lots living 8 days, 4 credits spent a day.
    #[test]
    fn two_totals_expire_and_spend_as_the_lot_ledger_does() {
        let lifetime = 8;
        let mut ledger = Ledger::new(lifetime);
        let (mut added, mut gone) = (0u64, 0u64);
        let mut added_by = vec![0u64; 40 + lifetime as usize];
        for day in 0..30u32 {
            let expired_lots = ledger.expire_through(day);
            let expired_totals = expired(added_by[day as usize], gone);
            assert_eq!(
                gone_after_expiry(added_by[day as usize], gone),
                gone + expired_totals
            );
            gone += expired_totals;
            assert_eq!(expired_totals, expired_lots, "day {day}");
            if day % 5 == 0 {
                ledger.add(10, Expiry::after(day, Some(lifetime)));
                added += 10;
            }
            added_by[(day + lifetime) as usize] = added;
            let sent = sendable(4, added - gone);
            assert_eq!(sent, 4.min(ledger.balance()), "day {day}");
            ledger.spend_many(sent);
            gone += sent;
            assert_eq!(added - gone, ledger.balance(), "day {day}");
        }
    }
}
