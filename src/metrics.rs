//! What one trial reports (credit-rules.md §6): a record per cycle and the
//! totals over the horizon, and the list of metrics the outputs show, with
//! their names, units and meanings in one place. The engine fills the
//! records and `stats` summarises them: both depend on this module, which
//! depends on neither.

/// How a metric's raw integer is shown (`stats::format_value`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValueScale {
    /// A plain count, printed as an integer.
    Count,
    /// Money in cents, printed as dollars.
    Cents,
}

/// One cycle of one trial. Counts are credits or InMails; money is cents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CycleMetrics {
    pub demand: u64,
    pub sent_paid: u64,
    pub sent_free: u64,
    pub blocked: u64,
    pub responses: u64,
    pub refunds: u64,
    pub granted: u64,
    pub purchased: u64,
    pub expired: u64,
    pub trimmed: u64,
    /// Balance before the cycle's first day (not an output; for §7 checks).
    pub start_balance: u64,
    /// Balance right after the renewal's trim and grant (for §7 checks).
    pub balance_after_grant: u64,
    pub end_balance: u64,
    /// Day of the cycle (1-based) of the first blocked send.
    pub first_blocked_day: Option<u32>,
    pub addon_spend: i64,
    pub plan_cost: i64,
    /// Follow-ups sent (credit-rules §5).
    pub follow_ups: u64,
    /// Follow-ups that could not go out (no credit, or the floor); not an
    /// output, for the checks.
    pub follow_ups_blocked: u64,
    /// Credits lost at a plan change (they do not carry over, Help 57013, 75).
    pub forfeited: u64,
    /// Send attempts refused by the Recruiter response-rate floor (not in
    /// `blocked`); not an output, for the checks.
    pub floor_blocked: u64,
    /// Days of the cycle on which the floor blocked sending (seat-days when
    /// seats do not pool).
    pub floor_blocked_days: u64,
    /// Recruiter follow-up rule: credits charged for a follow-up that was
    /// then not sent (the first message was answered first, or the floor
    /// refused it), returned to the balance.
    pub follow_ups_returned: u64,
}

impl CycleMetrics {
    /// Adds another ledger's cycle (seats that do not pool): counts and
    /// balances add, the first blocked day is the earliest.
    pub fn add_seat(&mut self, m: &CycleMetrics) {
        self.demand += m.demand;
        self.sent_paid += m.sent_paid;
        self.sent_free += m.sent_free;
        self.blocked += m.blocked;
        self.responses += m.responses;
        self.refunds += m.refunds;
        self.granted += m.granted;
        self.purchased += m.purchased;
        self.expired += m.expired;
        self.trimmed += m.trimmed;
        self.start_balance += m.start_balance;
        self.balance_after_grant += m.balance_after_grant;
        self.end_balance += m.end_balance;
        self.first_blocked_day = match (self.first_blocked_day, m.first_blocked_day) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.addon_spend += m.addon_spend;
        self.plan_cost += m.plan_cost;
        self.follow_ups += m.follow_ups;
        self.follow_ups_blocked += m.follow_ups_blocked;
        self.forfeited += m.forfeited;
        self.floor_blocked += m.floor_blocked;
        self.floor_blocked_days += m.floor_blocked_days;
        self.follow_ups_returned += m.follow_ups_returned;
    }

    pub fn exhausted(&self) -> bool {
        self.blocked > 0
    }

    pub fn total_cost(&self) -> i64 {
        self.plan_cost + self.addon_spend
    }
}

/// One trial over the whole horizon.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TrialTotals {
    /// Sums of the cycles' additive metrics.
    pub sums: CycleMetrics,
    pub months_exhausted: u64,
    /// 1-based cycle of the first blocked send.
    pub first_exhausted_month: Option<u32>,
}

impl TrialTotals {
    pub fn add_cycle(&mut self, index: usize, m: &CycleMetrics) {
        let s = &mut self.sums;
        s.demand += m.demand;
        s.sent_paid += m.sent_paid;
        s.sent_free += m.sent_free;
        s.blocked += m.blocked;
        s.responses += m.responses;
        s.refunds += m.refunds;
        s.granted += m.granted;
        s.purchased += m.purchased;
        s.expired += m.expired;
        s.trimmed += m.trimmed;
        s.addon_spend += m.addon_spend;
        s.plan_cost += m.plan_cost;
        s.follow_ups += m.follow_ups;
        s.follow_ups_blocked += m.follow_ups_blocked;
        s.forfeited += m.forfeited;
        s.floor_blocked += m.floor_blocked;
        s.floor_blocked_days += m.floor_blocked_days;
        s.follow_ups_returned += m.follow_ups_returned;
        s.end_balance = m.end_balance;
        if m.exhausted() {
            self.months_exhausted += 1;
            self.first_exhausted_month.get_or_insert(index as u32 + 1);
        }
    }

    /// Total cost divided by responses, in whole cents (rounded half away
    /// from zero); none when the trial got no response.
    pub fn cost_per_response(&self) -> Option<i64> {
        let responses = self.sums.responses as i64;
        (responses > 0).then(|| {
            let cost = self.sums.total_cost();
            (2 * cost + responses).div_euclid(2 * responses)
        })
    }
}

/// A metric as it appears in the output files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Metric {
    Demand,
    SentPaid,
    SentFree,
    Blocked,
    Responses,
    Refunds,
    Granted,
    Purchased,
    AddonSpend,
    Expired,
    Trimmed,
    EndBalance,
    Exhausted,
    FirstBlockedDay,
    PlanCost,
    TotalCost,
    MonthsExhausted,
    FirstExhaustedMonth,
    CostPerResponse,
    FollowUps,
    Forfeited,
    FollowUpsReturned,
    FloorBlockedDays,
    FloorRefused,
}

use Metric::*;

/// Reported for every cycle, in this order.
pub const CYCLE_METRICS: [Metric; 21] = [
    Demand,
    SentPaid,
    SentFree,
    Blocked,
    Responses,
    Refunds,
    Granted,
    Purchased,
    AddonSpend,
    Expired,
    Trimmed,
    EndBalance,
    Exhausted,
    FirstBlockedDay,
    PlanCost,
    TotalCost,
    FollowUps,
    Forfeited,
    FollowUpsReturned,
    FloorBlockedDays,
    FloorRefused,
];

/// Reported over the whole horizon (`cycle = all`): totals of the additive
/// metrics, then the per-trial horizon metrics of §6.
pub const HORIZON_METRICS: [Metric; 21] = [
    Demand,
    SentPaid,
    SentFree,
    Blocked,
    Responses,
    Refunds,
    Granted,
    Purchased,
    AddonSpend,
    Expired,
    Trimmed,
    PlanCost,
    TotalCost,
    MonthsExhausted,
    FirstExhaustedMonth,
    CostPerResponse,
    FollowUps,
    Forfeited,
    FollowUpsReturned,
    FloorBlockedDays,
    FloorRefused,
];

impl Metric {
    /// The least and the most one trial can record, over `cycles` cycles:
    /// every count and amount is 0 or more, `exhausted` is 0 or 1, a day of
    /// a cycle is 1 to 31, a month of the horizon 1 to `cycles`. `merge`
    /// refuses a partial state file holding anything else.
    pub fn domain(self, cycles: u64) -> (i64, i64) {
        let cycles = i64::try_from(cycles).unwrap_or(i64::MAX);
        match self {
            Exhausted => (0, 1),
            FirstBlockedDay => (1, 31),
            FirstExhaustedMonth => (1, cycles),
            MonthsExhausted => (0, cycles),
            _ => (0, i64::MAX),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Demand => "demand",
            SentPaid => "sent_paid",
            SentFree => "sent_free",
            Blocked => "blocked",
            Responses => "responses",
            Refunds => "refunds",
            Granted => "granted",
            Purchased => "purchased",
            AddonSpend => "addon_spend",
            Expired => "expired",
            Trimmed => "trimmed",
            EndBalance => "end_balance",
            Exhausted => "exhausted",
            FirstBlockedDay => "first_blocked_day",
            PlanCost => "plan_cost",
            TotalCost => "total_cost",
            MonthsExhausted => "months_exhausted",
            FirstExhaustedMonth => "first_exhausted_month",
            CostPerResponse => "cost_per_response",
            FollowUps => "follow_ups",
            Forfeited => "forfeited",
            FollowUpsReturned => "follow_ups_returned",
            FloorBlockedDays => "floor_blocked_days",
            FloorRefused => "floor_refused",
        }
    }

    /// What the number counts, for the `unit` column.
    pub fn unit(self) -> &'static str {
        match self {
            Demand | SentPaid | SentFree | Blocked | Responses | FollowUps | FloorRefused => {
                "inmails"
            }
            Refunds | Granted | Purchased | Expired | Trimmed | EndBalance | Forfeited
            | FollowUpsReturned => "credits",
            FloorBlockedDays => "days",
            AddonSpend | PlanCost | TotalCost | CostPerResponse => "usd",
            Exhausted => "yes=1",
            FirstBlockedDay => "day_of_cycle",
            MonthsExhausted => "months",
            FirstExhaustedMonth => "month",
        }
    }

    /// One sentence for the README and `--help`.
    pub fn meaning(self) -> &'static str {
        match self {
            Demand => "new InMails the user wanted to send (backlog retries not counted again)",
            SentPaid => {
                "InMails sent with a credit (Recruiter follow-up rule: a follow-up counts when it is charged, at the first send)"
            }
            SentFree => "InMails sent free to Open Profiles",
            Blocked => {
                "send attempts blocked for lack of a credit (a backlogged message counts each day it is blocked)"
            }
            Responses => {
                "responses arriving in the cycle, to paid and free InMails, declines included"
            }
            Refunds => "credits refunded for responses within the refund window",
            Granted => "monthly credits granted on the renewal day, after the cap",
            Purchased => "add-on credits bought",
            AddonSpend => "money spent on add-on credits",
            Expired => "credits lost to expiry",
            Trimmed => "credits over the cap removed on the renewal day",
            EndBalance => "credits held after the cycle's last day",
            Exhausted => {
                "1 if any send was blocked in the cycle: its mean is the chance of running out"
            }
            FirstBlockedDay => {
                "day of the cycle (1-based) of the first blocked send; none if never blocked"
            }
            PlanCost => "the plan's price for the cycle under the scenario's billing",
            TotalCost => "plan_cost + addon_spend",
            MonthsExhausted => "cycles in which at least one send was blocked",
            FirstExhaustedMonth => "the first cycle (1-based) with a blocked send; none if never",
            CostPerResponse => {
                "total_cost over the horizon / responses, to the cent; none with no response"
            }
            FollowUps => {
                "follow-ups sent to InMails still unanswered after follow_ups.after_days (0 when off)"
            }
            Forfeited => {
                "credits lost at a plan change or cancellation (credits do not carry over)"
            }
            FollowUpsReturned => {
                "Recruiter rule: prepaid follow-up credits returned (answered first, or refused by the floor)"
            }
            FloorBlockedDays => {
                "days of the cycle on which the Recruiter response-rate floor blocked sending (seat-days for seats that do not pool)"
            }
            FloorRefused => {
                "send attempts refused by the Recruiter response-rate floor, not in blocked (a backlogged message counts each day it is refused)"
            }
        }
    }

    pub fn scale(self) -> ValueScale {
        match self {
            AddonSpend | PlanCost | TotalCost | CostPerResponse => ValueScale::Cents,
            _ => ValueScale::Count,
        }
    }

    /// The metric's value in one cycle; `None` for "did not happen".
    pub fn of_cycle(self, m: &CycleMetrics) -> Option<i64> {
        let v = |x: u64| Some(x as i64);
        match self {
            Demand => v(m.demand),
            SentPaid => v(m.sent_paid),
            SentFree => v(m.sent_free),
            Blocked => v(m.blocked),
            Responses => v(m.responses),
            Refunds => v(m.refunds),
            Granted => v(m.granted),
            Purchased => v(m.purchased),
            AddonSpend => Some(m.addon_spend),
            Expired => v(m.expired),
            Trimmed => v(m.trimmed),
            EndBalance => v(m.end_balance),
            Exhausted => v(u64::from(m.exhausted())),
            FirstBlockedDay => m.first_blocked_day.map(i64::from),
            PlanCost => Some(m.plan_cost),
            TotalCost => Some(m.total_cost()),
            FollowUps => v(m.follow_ups),
            Forfeited => v(m.forfeited),
            FollowUpsReturned => v(m.follow_ups_returned),
            FloorBlockedDays => v(m.floor_blocked_days),
            FloorRefused => v(m.floor_blocked),
            MonthsExhausted | FirstExhaustedMonth | CostPerResponse => None,
        }
    }

    /// The metric's value over a trial's horizon.
    pub fn of_trial(self, t: &TrialTotals) -> Option<i64> {
        match self {
            MonthsExhausted => Some(t.months_exhausted as i64),
            FirstExhaustedMonth => t.first_exhausted_month.map(i64::from),
            CostPerResponse => t.cost_per_response(),
            other => other.of_cycle(&t.sums),
        }
    }
}

/// Every per-cycle metric of `m` at once, in [`CYCLE_METRICS`] order:
/// `cycle_values(m)[i] == CYCLE_METRICS[i].of_cycle(m)`. One pass, for the
/// statistics, which record them all every cycle.
#[inline]
pub fn cycle_values(m: &CycleMetrics) -> [Option<i64>; CYCLE_METRICS.len()] {
    let v = |x: u64| Some(x as i64);
    [
        v(m.demand),
        v(m.sent_paid),
        v(m.sent_free),
        v(m.blocked),
        v(m.responses),
        v(m.refunds),
        v(m.granted),
        v(m.purchased),
        Some(m.addon_spend),
        v(m.expired),
        v(m.trimmed),
        v(m.end_balance),
        v(u64::from(m.exhausted())),
        m.first_blocked_day.map(i64::from),
        Some(m.plan_cost),
        Some(m.total_cost()),
        v(m.follow_ups),
        v(m.forfeited),
        v(m.follow_ups_returned),
        v(m.floor_blocked_days),
        v(m.floor_blocked),
    ]
}

/// Every horizon metric of `t` at once, in [`HORIZON_METRICS`] order:
/// `horizon_values(t)[i] == HORIZON_METRICS[i].of_trial(t)`.
#[inline]
pub fn horizon_values(t: &TrialTotals) -> [Option<i64>; HORIZON_METRICS.len()] {
    let s = &t.sums;
    let v = |x: u64| Some(x as i64);
    [
        v(s.demand),
        v(s.sent_paid),
        v(s.sent_free),
        v(s.blocked),
        v(s.responses),
        v(s.refunds),
        v(s.granted),
        v(s.purchased),
        Some(s.addon_spend),
        v(s.expired),
        v(s.trimmed),
        Some(s.plan_cost),
        Some(s.total_cost()),
        v(t.months_exhausted),
        t.first_exhausted_month.map(i64::from),
        t.cost_per_response(),
        v(s.follow_ups),
        v(s.forfeited),
        v(s.follow_ups_returned),
        v(s.floor_blocked_days),
        v(s.floor_blocked),
    ]
}

/// The horizon line's label for [`Metric::Blocked`]: without a backlog a
/// blocked InMail is tried once, so the count is of InMails; with one, a
/// waiting InMail is tried again each send day and counts each time
/// (docs/outputs.md), and "InMails blocked 4,388" against a demand of 786
/// misread as InMails (an independent check, fifteenth session).
pub fn blocked_label(backlog: bool) -> &'static str {
    if backlog {
        "send attempts blocked (each retry)"
    } else {
        "InMails blocked"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn names_are_unique_snake_case() {
        let mut names: Vec<&str> = CYCLE_METRICS
            .iter()
            .chain(&HORIZON_METRICS)
            .map(|m| m.name())
            .collect();
        assert!(
            names
                .iter()
                .all(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        );
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 24);
    }

    fn arbitrary_cycle() -> impl Strategy<Value = CycleMetrics> {
        // Distinct small numbers per field, so a swapped pair shows; money
        // may be negative or large (sparse).
        let count = || 0u64..1_000_000;
        let money = || -1_000_000i64..10_000_000;
        (
            (
                count(),
                count(),
                count(),
                0u64..3,
                count(),
                count(),
                count(),
            ),
            (count(), count(), count(), count(), count(), count()),
            (prop::option::of(1u32..32), money(), money()),
            (count(), count(), count(), count(), count(), count()),
        )
            .prop_map(|(a, b, c, d)| CycleMetrics {
                demand: a.0,
                sent_paid: a.1,
                sent_free: a.2,
                blocked: a.3,
                responses: a.4,
                refunds: a.5,
                granted: a.6,
                purchased: b.0,
                expired: b.1,
                trimmed: b.2,
                start_balance: b.3,
                balance_after_grant: b.4,
                end_balance: b.5,
                first_blocked_day: c.0,
                addon_spend: c.1,
                plan_cost: c.2,
                follow_ups: d.0,
                follow_ups_blocked: d.1,
                forfeited: d.2,
                floor_blocked: d.3,
                floor_blocked_days: d.4,
                follow_ups_returned: d.5,
            })
    }

    proptest! {
        #[test]
        fn cycle_values_are_each_metric_of_the_cycle(m in arbitrary_cycle()) {
            prop_assert_eq!(cycle_values(&m), CYCLE_METRICS.map(|x| x.of_cycle(&m)));
        }

        #[test]
        fn horizon_values_are_each_metric_of_the_trial(
            cycles in prop::collection::vec(arbitrary_cycle(), 0..4),
        ) {
            let mut t = TrialTotals::default();
            for (i, m) in cycles.iter().enumerate() {
                t.add_cycle(i, m);
            }
            prop_assert_eq!(horizon_values(&t), HORIZON_METRICS.map(|x| x.of_trial(&t)));
        }
    }

    #[test]
    fn totals_add_cycles_and_remember_the_first_exhausted_month() {
        let quiet = CycleMetrics {
            responses: 3,
            plan_cost: 11999,
            ..Default::default()
        };
        let blocked = CycleMetrics {
            blocked: 2,
            responses: 1,
            addon_spend: 1000,
            plan_cost: 11999,
            ..Default::default()
        };
        let mut t = TrialTotals::default();
        t.add_cycle(0, &quiet);
        t.add_cycle(1, &blocked);
        t.add_cycle(2, &blocked);
        assert_eq!(t.months_exhausted, 2);
        assert_eq!(t.first_exhausted_month, Some(2));
        assert_eq!(t.sums.total_cost(), 3 * 11999 + 2000);
        // 37997 cents over 5 responses = 7599.4 → 7599.
        assert_eq!(t.cost_per_response(), Some(7599));
        assert_eq!(TrialTotals::default().cost_per_response(), None);
    }
}
