//! Hand-worked ledger timelines. Each test writes out what the rules say
//! should happen day by day and checks the ledger agrees.

use super::*;

const NINETY: Option<u32> = Some(90);

#[test]
fn a_grant_expires_at_the_start_of_the_day_ninety_days_later() {
    // Granted on day 0 with 90-day expiry: spendable through day 89, gone on
    // day 90 (credit-rules §3 "Expiry").
    let mut l = Ledger::new(90);
    assert_eq!(l.renew(50, 150, Expiry::after(0, NINETY)), (0, 50));
    assert_eq!(l.expire_through(89), 0);
    assert_eq!(l.balance(), 50);
    assert_eq!(l.expire_through(90), 50);
    assert_eq!(l.balance(), 0);
}

#[test]
fn credits_are_spent_from_the_lot_that_expires_soonest() {
    let mut l = Ledger::new(90);
    l.add(2, Expiry::On(40));
    l.add(1, Expiry::On(10));
    l.add(1, Expiry::Never);
    assert_eq!(l.spend(), Some(Expiry::On(10)));
    assert_eq!(l.spend(), Some(Expiry::On(40)));
    assert_eq!(l.spend(), Some(Expiry::On(40)));
    assert_eq!(l.spend(), Some(Expiry::Never));
    assert_eq!(l.spend(), None);
    assert_eq!(l.balance(), 0);
}

#[test]
fn the_grant_fills_only_up_to_the_cap() {
    // Recruiter Lite: 30 a month, cap 120 (4x), no expiry (Help 412114).
    // Nothing spent: four grants reach 120, the fifth gives nothing.
    let mut l = Ledger::new(90);
    let granted: Vec<u64> = [0, 31, 59, 90, 120]
        .into_iter()
        .map(|day| {
            l.expire_through(day);
            l.renew(30, 120, Expiry::Never).1
        })
        .collect();
    assert_eq!(granted, vec![30, 30, 30, 30, 0]);
    assert_eq!(l.balance(), 120);
    // With 100 held, a cap of 120 leaves room for only 20 of the 50.
    let mut l = Ledger::new(90);
    l.add(100, Expiry::On(60));
    assert_eq!(l.renew(50, 120, Expiry::after(0, NINETY)), (0, 20));
}

#[test]
fn ninety_day_expiry_makes_room_under_the_cap_again() {
    // Sales Navigator: 50 a month, cap 150 (Help 57013). Three unspent
    // grants reach 150; on day 90 the first expires, so the fourth grant is
    // a full 50 again and the balance stays at the cap.
    let mut l = Ledger::new(90);
    let mut granted = Vec::new();
    let mut expired = 0;
    for day in [0, 31, 59, 90] {
        expired += l.expire_through(day);
        granted.push(l.renew(50, 150, Expiry::after(day, NINETY)).1);
    }
    assert_eq!(granted, vec![50, 50, 50, 50]);
    assert_eq!(expired, 50);
    assert_eq!(l.balance(), 150);
}

#[test]
fn a_balance_over_the_cap_is_trimmed_soonest_expiring_first_before_the_grant() {
    // Refunds pushed the balance to 160 over a cap of 150 (Help 412114:
    // "credits over the cap expire on refresh day").
    let mut l = Ledger::new(90);
    l.expire_through(30);
    l.add(100, Expiry::On(80));
    l.add(55, Expiry::On(40));
    l.add(5, Expiry::On(95));
    let (trimmed, granted) = l.renew(50, 150, Expiry::after(30, NINETY));
    assert_eq!((trimmed, granted), (10, 0));
    assert_eq!(
        l.lots(),
        vec![
            (Expiry::On(40), 45),
            (Expiry::On(80), 100),
            (Expiry::On(95), 5)
        ]
    );
}

#[test]
fn never_expiring_credits_are_trimmed_only_after_expiring_ones() {
    // Recruiter Lite: 30 a month, cap 120, no expiry; a 90-day add-on lot.
    let mut l = Ledger::new(90);
    l.add(115, Expiry::Never);
    l.add(10, Expiry::On(50));
    assert_eq!(l.renew(30, 120, Expiry::Never), (5, 0));
    assert_eq!(l.lots(), vec![(Expiry::On(50), 5), (Expiry::Never, 115)]);
}

#[test]
fn a_refund_into_a_lot_whose_day_has_passed_is_lost() {
    // refund_expiry = "original" (§8.4): the credit rejoins its lot's expiry
    // day e and is lost if e <= the arrival day.
    let mut l = Ledger::new(90);
    l.expire_through(20);
    assert!(!l.add(1, Expiry::On(20)));
    assert!(!l.add(1, Expiry::On(5)));
    assert!(l.add(1, Expiry::On(21)));
    assert_eq!(l.balance(), 1);
}

#[test]
fn skipped_days_are_caught_up_when_expiring() {
    let mut l = Ledger::new(90);
    l.add(3, Expiry::On(10));
    l.add(4, Expiry::On(12));
    l.add(5, Expiry::On(70));
    assert_eq!(l.expire_through(11), 3);
    assert_eq!(l.expire_through(69), 4);
    assert_eq!(l.expire_through(500), 5);
    assert_eq!(l.balance(), 0);
    assert!(l.add(7, Expiry::On(560)));
    assert_eq!(l.lots(), vec![(Expiry::On(560), 7)]);
}

#[test]
fn reset_empties_everything() {
    let mut l = Ledger::new(90);
    l.add(3, Expiry::On(10));
    l.add(3, Expiry::Never);
    l.expire_through(5);
    l.reset();
    assert_eq!(l.balance(), 0);
    assert_eq!(l.lots(), vec![]);
    assert_eq!(l.spend(), None);
}

#[test]
fn spending_all_leaves_what_spending_the_balance_leaves() {
    let mut l = Ledger::new(90);
    l.expire_through(10);
    l.add(3, Expiry::On(20));
    l.add(4, Expiry::Never);
    let mut all = l.clone();
    l.spend_many(l.balance());
    all.spend_all();
    assert_eq!(all.lots(), l.lots());
    assert_eq!(all.balance(), 0);
    // Both add the next lot alike.
    assert!(all.add(2, Expiry::On(40)) && l.add(2, Expiry::On(40)));
    assert_eq!(all.lots(), l.lots());
}

#[test]
fn refilling_leaves_what_spending_all_then_adding_leaves() {
    let fill = |l: &mut Ledger| {
        l.expire_through(10);
        l.add(3, Expiry::On(20));
        l.add(5, Expiry::On(15));
        l.add(4, Expiry::Never);
    };
    // A lot that expires, one that never does, none, and one whose day
    // has come (lost: `add` returns false).
    for (credits, expiry) in [
        (7, Expiry::On(40)),
        (7, Expiry::Never),
        (0, Expiry::On(40)),
        (7, Expiry::On(10)),
    ] {
        let (mut refilled, mut added) = (Ledger::new(90), Ledger::new(90));
        fill(&mut refilled);
        fill(&mut added);
        let kept = refilled.refill(credits, expiry);
        added.spend_all();
        assert_eq!(kept, added.add(credits, expiry), "{credits} {expiry:?}");
        assert_eq!(refilled.lots(), added.lots(), "{credits} {expiry:?}");
        assert_eq!(refilled.balance(), added.balance(), "{credits} {expiry:?}");
        // And the next lots go to the same places.
        for l in [&mut refilled, &mut added] {
            l.add(2, Expiry::On(30));
            l.add(1, Expiry::On(50));
        }
        assert_eq!(refilled.lots(), added.lots(), "{credits} {expiry:?}");
    }
}

#[test]
fn spending_many_at_once_takes_the_same_credits_as_one_at_a_time() {
    let fill = |l: &mut Ledger| {
        l.expire_through(10);
        l.add(3, Expiry::On(20));
        l.add(5, Expiry::On(15));
        l.add(4, Expiry::Never);
        l.add(2, Expiry::On(90));
    };
    for n in 0..=14 {
        let (mut bulk, mut single) = (Ledger::new(90), Ledger::new(90));
        fill(&mut bulk);
        fill(&mut single);
        bulk.spend_many(n);
        for _ in 0..n {
            single.spend();
        }
        assert_eq!(bulk.lots(), single.lots(), "n = {n}");
        assert_eq!(bulk.balance(), 14 - n);
        // Both keep spending in the same order afterwards.
        assert_eq!(bulk.spend(), single.spend());
    }
}

/// The ledger against the plainest possible model of §3 — a sorted map of
/// lots by expiry day — under random sequences of every operation, over
/// lifetimes shorter than, equal to and longer than one bitmap word, so
/// the ring's wrap-around and the word-at-a-time scan are exercised.
mod against_a_sorted_map {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    #[derive(Debug, Clone)]
    enum Op {
        Advance(u32),
        Add(u32, Option<u32>),
        Spend,
        SpendMany(u64),
        Renew(u32, u32),
    }

    #[derive(Default)]
    struct Model {
        lots: BTreeMap<u32, u64>,
        never: u64,
        expired_before: u32,
    }

    impl Model {
        fn balance(&self) -> u64 {
            self.lots.values().sum::<u64>() + self.never
        }
        fn expire_through(&mut self, day: u32) -> u64 {
            let keep = self.lots.split_off(&(day + 1));
            let gone = std::mem::replace(&mut self.lots, keep).values().sum();
            self.expired_before = self.expired_before.max(day + 1);
            gone
        }
        fn add(&mut self, credits: u32, expiry: Expiry) -> bool {
            match expiry {
                Expiry::Never => self.never += u64::from(credits),
                Expiry::On(d) if d < self.expired_before => return credits == 0,
                Expiry::On(d) if credits > 0 => {
                    *self.lots.entry(d).or_default() += u64::from(credits)
                }
                Expiry::On(_) => {}
            }
            true
        }
        fn spend(&mut self) -> Option<Expiry> {
            if let Some(mut first) = self.lots.first_entry() {
                let day = *first.key();
                *first.get_mut() -= 1;
                if *first.get() == 0 {
                    first.remove();
                }
                return Some(Expiry::On(day));
            }
            self.never.checked_sub(1).map(|n| {
                self.never = n;
                Expiry::Never
            })
        }
        fn lots(&self) -> Vec<(Expiry, u64)> {
            let mut v: Vec<_> = self
                .lots
                .iter()
                .map(|(d, n)| (Expiry::On(*d), *n))
                .collect();
            if self.never > 0 {
                v.push((Expiry::Never, self.never));
            }
            v
        }
    }

    fn op(lifetime: u32) -> impl Strategy<Value = Op> {
        prop_oneof![
            (0..40u32).prop_map(Op::Advance),
            (0..20u32, proptest::option::weighted(0.8, 1..=lifetime))
                .prop_map(|(c, e)| Op::Add(c, e)),
            Just(Op::Spend),
            (0..60u64).prop_map(Op::SpendMany),
            (0..60u32, 0..200u32).prop_map(|(m, c)| Op::Renew(m, c)),
        ]
    }

    fn scenario() -> impl Strategy<Value = (u32, Vec<Op>)> {
        prop_oneof![Just(5u32), Just(63), Just(90), Just(365)].prop_flat_map(|lifetime| {
            (
                Just(lifetime),
                proptest::collection::vec(op(lifetime), 1..200),
            )
        })
    }

    proptest! {
        #[test]
        fn every_operation_agrees_with_the_model((lifetime, ops) in scenario()) {
            let mut ledger = Ledger::new(lifetime);
            let mut model = Model::default();
            let mut day = 0;
            for op in ops {
                match op {
                    Op::Advance(n) => {
                        day += n;
                        prop_assert_eq!(ledger.expire_through(day), model.expire_through(day));
                    }
                    Op::Add(credits, life) => {
                        let expiry = Expiry::after(day, life);
                        prop_assert_eq!(ledger.add(credits, expiry), model.add(credits, expiry));
                    }
                    Op::Spend => prop_assert_eq!(ledger.spend(), model.spend()),
                    Op::SpendMany(n) => {
                        let n = n.min(model.balance());
                        ledger.spend_many(n);
                        for _ in 0..n {
                            model.spend();
                        }
                    }
                    Op::Renew(monthly, cap) => {
                        let trimmed = model.balance().saturating_sub(u64::from(cap));
                        for _ in 0..trimmed {
                            model.spend();
                        }
                        let granted = u64::from(monthly).min(u64::from(cap) - model.balance());
                        let expiry = Expiry::after(day, Some(lifetime));
                        model.add(granted as u32, expiry);
                        prop_assert_eq!(ledger.renew(monthly, cap, expiry), (trimmed, granted));
                    }
                }
                prop_assert_eq!(ledger.balance(), model.balance());
                prop_assert_eq!(ledger.lots(), model.lots());
            }
        }
    }
}

#[test]
fn the_lot_of_the_kth_next_credit_is_the_one_spending_would_take() {
    let mut l = Ledger::new(90);
    l.add(2, Expiry::On(40));
    l.add(1, Expiry::On(10));
    l.add(1, Expiry::Never);
    let found: Vec<Option<Expiry>> = (0..5).map(|k| l.lot_of(k)).collect();
    let spent: Vec<Option<Expiry>> = (0..5).map(|_| l.spend()).collect();
    assert_eq!(found, spent);
    assert_eq!(found[1], Some(Expiry::On(40)));
    assert_eq!(found[4], None);
}
