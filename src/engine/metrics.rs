//! What one trial reports (credit-rules.md §6): a record per cycle and the
//! totals over the horizon, and the list of metrics the outputs show, with
//! their names, units and meanings in one place.

use crate::stats::ValueScale;

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
}

impl CycleMetrics {
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
}

use Metric::*;

/// Reported for every cycle, in this order.
pub const CYCLE_METRICS: [Metric; 16] = [
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
];

/// Reported over the whole horizon (`cycle = all`): totals of the additive
/// metrics, then the per-trial horizon metrics of §6.
pub const HORIZON_METRICS: [Metric; 16] = [
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
];

impl Metric {
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
        }
    }

    /// What the number counts, for the `unit` column.
    pub fn unit(self) -> &'static str {
        match self {
            Demand | SentPaid | SentFree | Blocked | Responses => "inmails",
            Refunds | Granted | Purchased | Expired | Trimmed | EndBalance => "credits",
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
            SentPaid => "InMails sent with a credit",
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

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(names.len(), 19);
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
