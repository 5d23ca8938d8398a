//! Plan changes as the outputs say them (docs/model.md, "Plan changes";
//! credit-rules §3 "Plan change"): the month each takes effect, by the
//! label the month tables use, and the plan then in force. Without them a
//! reader of `run`'s outputs sees the cost and the chance of running out
//! jump in a month with nothing to say why.

use super::{Billing, PlanChange, Scenario};

impl Scenario {
    /// "Jun 2026 (month 4)": when `change` takes effect. The month number
    /// is `from_cycle` as the file writes it (1-based), the label the one
    /// the month tables print for that month.
    pub fn change_month(&self, change: &PlanChange) -> String {
        let label = self.horizon.period(change.from_cycle).label();
        format!("{label} (month {})", change.from_cycle + 1)
    }

    /// The billing of the `i`-th change when it differs from that of the
    /// plan in force before it (a cancellation bills nothing, so neither
    /// has nor breaks one).
    pub fn changed_billing(&self, i: usize) -> Option<Billing> {
        let change = &self.plan_changes[i];
        let before = self.plan_changes[..i]
            .iter()
            .rev()
            .find(|c| !c.cancelled)
            .map_or(self.billing, |c| c.billing);
        (!change.cancelled && change.billing != before).then_some(change.billing)
    }

    /// One line per change: "from Jun 2026 (month 4): Sales Navigator
    /// Advanced (sales_navigator_advanced)", ", billed annually" when the
    /// billing changes, or "from Oct 2026 (month 8): cancelled".
    pub fn plan_change_lines(&self) -> Vec<String> {
        (0..self.plan_changes.len())
            .map(|i| {
                let change = &self.plan_changes[i];
                let when = self.change_month(change);
                if change.cancelled {
                    return format!("from {when}: cancelled");
                }
                let billing = match self.changed_billing(i) {
                    Some(Billing::Annual) => ", billed annually",
                    Some(Billing::Monthly) => ", billed monthly",
                    None => "",
                };
                let plan = &change.plan;
                format!("from {when}: {} ({}){billing}", plan.name, plan.id)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    fn scenario(changes: &str) -> crate::scenario::Scenario {
        let text = format!(
            "start_date = 2026-03-17\n[plan]\nid = \"sales_navigator_core\"\n\
             [demand]\nper_workday = 1\n{changes}"
        );
        crate::scenario::parse(&text, Path::new("s.toml"), &Default::default()).unwrap()
    }

    #[test]
    fn a_change_is_named_by_the_month_the_tables_print_and_its_plan() {
        // The first month is the partial 17–31 March, so month 4 is June.
        let sc = scenario(
            "[[plan_change]]\nfrom_cycle = 4\nplan = { id = \"sales_navigator_advanced\" }\n\
             [[plan_change]]\nfrom_cycle = 8\ncancel = true\n",
        );
        assert_eq!(
            sc.plan_change_lines(),
            [
                "from Jun 2026 (month 4): Sales Navigator Advanced (sales_navigator_advanced)",
                "from Oct 2026 (month 8): cancelled"
            ]
        );
    }

    #[test]
    fn a_change_says_its_billing_only_when_it_differs_from_the_plan_before() {
        let sc = scenario(
            "[[plan_change]]\nfrom_cycle = 3\ncancel = true\n\
             [[plan_change]]\nfrom_cycle = 5\n\
             plan = { id = \"sales_navigator_advanced\", billing = \"annual\" }\n\
             [[plan_change]]\nfrom_cycle = 7\n\
             plan = { id = \"sales_navigator_core\", billing = \"annual\" }\n",
        );
        let lines = sc.plan_change_lines();
        assert!(lines[1].ends_with("(sales_navigator_advanced), billed annually"));
        assert!(lines[2].ends_with("(sales_navigator_core)"), "{lines:?}");
    }
}
