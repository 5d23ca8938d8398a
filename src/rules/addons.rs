//! Add-on purchases (credit-rules §3 "Add-on credits", §8.6): when a
//! policy buys, and how many credits.

use crate::scenario::AddonPolicy;

/// §4 step 2: the credits bought on a renewal day, after the grant
/// (`monthly`); `None` under other policies.
#[inline]
pub fn at_renewal(policy: AddonPolicy) -> Option<u32> {
    match policy {
        AddonPolicy::Monthly { per_month } => Some(per_month),
        AddonPolicy::Never | AddonPolicy::WhenEmpty { .. } => None,
    }
}

/// §4b: the pack to buy before a send that needs a credit, with
/// `balance` credits held and `purchased` bought so far this cycle.
/// `when_empty` buys `pack` when the balance is 0, unless it would pass
/// `max_per_month` (§8.6); other policies never buy here.
#[inline]
pub fn before_send(policy: AddonPolicy, balance: u64, purchased: u64) -> Option<u32> {
    match policy {
        AddonPolicy::WhenEmpty {
            pack,
            max_per_month,
        } if balance == 0 => {
            let room =
                max_per_month.is_none_or(|max| purchased + u64::from(pack) <= u64::from(max));
            room.then_some(pack)
        }
        AddonPolicy::WhenEmpty { .. } | AddonPolicy::Never | AddonPolicy::Monthly { .. } => None,
    }
}

/// How many of a run of sends that each need a credit the balance pays
/// before one would find a purchase due ([`before_send`]): a run may take
/// that many in one step. Every policy today buys before a send only at 0,
/// so that is the balance.
#[inline(always)]
pub fn sends_before_purchase(policy: AddonPolicy, balance: u64) -> u64 {
    match policy {
        AddonPolicy::Never | AddonPolicy::WhenEmpty { .. } | AddonPolicy::Monthly { .. } => balance,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn when_empty_buys_a_pack_only_at_zero_and_within_the_monthly_limit() {
        let policy = AddonPolicy::WhenEmpty {
            pack: 5,
            max_per_month: Some(10),
        };
        assert_eq!(before_send(policy, 0, 0), Some(5));
        assert_eq!(before_send(policy, 0, 5), Some(5));
        assert_eq!(before_send(policy, 0, 6), None);
        assert_eq!(before_send(policy, 1, 0), None);
        assert_eq!(at_renewal(policy), None);
        assert_eq!(sends_before_purchase(policy, 7), 7);
    }

    #[test]
    fn monthly_buys_on_the_renewal_day_only() {
        let policy = AddonPolicy::Monthly { per_month: 7 };
        assert_eq!(at_renewal(policy), Some(7));
        assert_eq!(before_send(policy, 0, 0), None);
        assert_eq!(before_send(AddonPolicy::Never, 0, 0), None);
    }
}
