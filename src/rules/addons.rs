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

/// §4b for a run: with the balance at 0, `needed` sends that each need a
/// credit, sent one after another with `purchased` bought so far this
/// cycle, buy this many credits on the way: a pack ([`before_send`])
/// whenever the balance is back at 0, while the monthly limit has room. A
/// run may buy them at once: they are bought on the same day, so they
/// make one lot, and nothing else is held.
#[inline]
pub fn bought_for_run(policy: AddonPolicy, needed: u64, purchased: u64) -> u64 {
    match policy {
        AddonPolicy::WhenEmpty {
            pack,
            max_per_month,
        } if pack > 0 => {
            let pack = u64::from(pack);
            // Usually one pack: no division then.
            let wanted = match needed <= pack {
                true => u64::from(needed > 0),
                false => needed.div_ceil(pack),
            };
            let packs = match max_per_month {
                Some(max) => wanted.min(u64::from(max).saturating_sub(purchased) / pack),
                None => wanted,
            };
            packs * pack
        }
        AddonPolicy::WhenEmpty { .. } | AddonPolicy::Never | AddonPolicy::Monthly { .. } => 0,
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

    /// A run buys what sends one by one would: `before_send` at each 0.
    #[test]
    fn a_run_buys_the_packs_that_sends_one_by_one_would() {
        for (pack, max) in [
            (1, None),
            (5, Some(10)),
            (3, Some(10)),
            (4, Some(2)),
            (2, None),
        ] {
            let policy = AddonPolicy::WhenEmpty {
                pack,
                max_per_month: max,
            };
            for purchased in [0, 3, 5, 9, 12] {
                for needed in 0..25 {
                    let (mut balance, mut bought) = (0u64, purchased);
                    for _ in 0..needed {
                        if let Some(p) = before_send(policy, balance, bought) {
                            balance += u64::from(p);
                            bought += u64::from(p);
                        }
                        if balance == 0 {
                            break;
                        }
                        balance -= 1;
                    }
                    assert_eq!(
                        bought_for_run(policy, needed, purchased),
                        bought - purchased,
                        "pack {pack}, max {max:?}, purchased {purchased}, needed {needed}"
                    );
                }
            }
        }
        assert_eq!(bought_for_run(AddonPolicy::Never, 5, 0), 0);
    }

    #[test]
    fn monthly_buys_on_the_renewal_day_only() {
        let policy = AddonPolicy::Monthly { per_month: 7 };
        assert_eq!(at_renewal(policy), Some(7));
        assert_eq!(before_send(policy, 0, 0), None);
        assert_eq!(before_send(AddonPolicy::Never, 0, 0), None);
    }
}
