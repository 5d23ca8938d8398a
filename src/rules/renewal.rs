//! §4 step 2, the renewal (credit-rules §3 "Grant"): trim the balance down
//! to the cap, then grant up to the cap.

/// What a renewal does to a balance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Renewal {
    /// Credits over the cap, gone on the renewal day soonest-expiring
    /// first (Help 412114: "credits over the cap expire on refresh day").
    pub trimmed: u64,
    /// `min(monthly, cap − balance)`, taken after the trim.
    pub granted: u64,
}

impl Renewal {
    /// The renewal of `balance` under a plan granting `monthly` credits up
    /// to `cap`.
    #[inline]
    pub fn of(balance: u64, monthly: u32, cap: u32) -> Renewal {
        let cap = u64::from(cap);
        let trimmed = balance.saturating_sub(cap);
        let granted = u64::from(monthly).min(cap - (balance - trimmed));
        Renewal { trimmed, granted }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_renewal_trims_what_is_over_the_cap_then_grants_up_to_it() {
        // Under the cap: the grant fills up to it, at most the monthly grant.
        assert_eq!(
            Renewal::of(10, 50, 150),
            Renewal {
                trimmed: 0,
                granted: 50
            }
        );
        assert_eq!(
            Renewal::of(120, 50, 150),
            Renewal {
                trimmed: 0,
                granted: 30
            }
        );
        // Over the cap: trimmed to it, and nothing granted.
        assert_eq!(
            Renewal::of(170, 50, 150),
            Renewal {
                trimmed: 20,
                granted: 0
            }
        );
    }
}
