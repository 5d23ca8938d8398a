//! §4 step 3 and §4c, refunds (credit-rules §3 "Refund", §8.2, §8.4,
//! §8.5): which responses give a credit back, and into which lot.

use super::Expiry;
use crate::scenario::{RefundExpiry, Refunds};

/// Whether a response `delay` days after a paid InMail refunds its credit:
/// within the refund window, and not a decline when declines do not refund
/// (they do by default, Help 57013, 75).
#[inline(always)]
pub fn refunds(rules: &Refunds, delay: u32, decline: bool) -> bool {
    delay <= rules.window_days && (!decline || rules.declines)
}

/// Where a refund arriving on day `arrival` goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefundLot {
    /// §8.5 (`refund_expiry = "fresh"`): a new lot expiring the plan's
    /// `expiry_days` after the arrival.
    Fresh,
    /// §8.4 (`refund_expiry = "original"`): back into the lot it was spent
    /// from, expiring as that lot does.
    Original(Expiry),
    /// §8.4: that lot's day has come by the arrival; the credit is lost.
    Lost,
}

/// The lot of a refund for a credit spent from `spent_from`, arriving on
/// day `arrival`, under `expiry`.
#[inline]
pub fn refund_lot(expiry: RefundExpiry, spent_from: Expiry, arrival: u32) -> RefundLot {
    match (expiry, spent_from) {
        (RefundExpiry::Fresh, _) => RefundLot::Fresh,
        (RefundExpiry::Original, Expiry::On(e)) if e <= arrival => RefundLot::Lost,
        (RefundExpiry::Original, lot) => RefundLot::Original(lot),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_response_refunds_within_the_window_and_a_decline_only_if_declines_refund() {
        let rules = Refunds {
            window_days: 10,
            declines: false,
            expiry: RefundExpiry::Fresh,
        };
        assert!(refunds(&rules, 10, false));
        assert!(!refunds(&rules, 11, false));
        assert!(!refunds(&rules, 3, true));
        let declines = Refunds {
            declines: true,
            ..rules
        };
        assert!(refunds(&declines, 3, true));
    }

    #[test]
    fn a_refund_to_its_original_lot_is_lost_once_that_lot_has_expired() {
        let lot = Expiry::On(20);
        assert_eq!(refund_lot(RefundExpiry::Fresh, lot, 25), RefundLot::Fresh);
        assert_eq!(
            refund_lot(RefundExpiry::Original, lot, 19),
            RefundLot::Original(lot)
        );
        assert_eq!(refund_lot(RefundExpiry::Original, lot, 20), RefundLot::Lost);
        let never = Expiry::Never;
        assert_eq!(
            refund_lot(RefundExpiry::Original, never, 999),
            RefundLot::Original(never)
        );
    }
}
