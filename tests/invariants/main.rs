//! Property tests of credit-rules.md §7 and the bookkeeping around it:
//! random scenarios written as TOML, parsed like a user's file, simulated
//! for a few trials, and every cycle of every trial checked.
//!
//! Every generated scenario is meant to be valid: if one is refused, either
//! the generator or validation is wrong, and the failure shows the TOML.
//! The expected numbers (plan price, cap, add-on policy) come from the
//! generator, not from the parsed scenario, so a value that validation
//! reads wrongly fails here too.
//!
//! Proptest seeds its RNG randomly (the default), so every run explores new
//! scenarios; `failure_persistence` is off because its regressions file
//! would land in the shared repo unasked. A failure prints the shrunk
//! scenario as TOML (the `Debug` of [`Spec`]), ready to become a named test.

#[path = "../common/mod.rs"]
mod common;
mod generator;

use generator::{Policy, Spec, spec};
use inmail_sim::engine::{CycleMetrics, Model, Simulator, TrialObserver, TrialTotals};
use proptest::prelude::*;

/// Trials simulated per generated scenario, on one reused `Simulator` so
/// that the reset between trials is exercised too.
const TRIALS_PER_CASE: u64 = 3;

/// Checks every cycle as the engine reports it, then the trial's totals.
struct Checker<'a> {
    spec: &'a Spec,
    model: &'a Model,
    trial: u64,
    cycles: Vec<CycleMetrics>,
    /// Backlogged messages carried into the next cycle (`backlog = true`).
    pending: u64,
}

/// Evaluates each condition; `Err` lists the ones that failed, as written.
macro_rules! checks {
    ($($ok:expr),* $(,)?) => {{
        let failed: Vec<&str> = [$(($ok, stringify!($ok))),*]
            .into_iter()
            .filter(|c| !c.0)
            .map(|c| c.1)
            .collect();
        if failed.is_empty() { Ok(()) } else { Err(failed.join("\n")) }
    }};
}

impl Checker<'_> {
    fn check_cycle(&self, c: usize, m: &CycleMetrics) -> Result<(), String> {
        let spec = self.spec;
        // The plan in force: the last change at or before this cycle.
        let (facts, cancelled) = spec
            .changes
            .iter()
            .rev()
            .find(|(from, _, _)| *from <= c)
            .map_or((spec.plan, false), |(_, f, cancel)| (*f, *cancel));
        let changed = spec.changes.first().is_some_and(|(from, _, _)| *from <= c);
        let seats = u64::from(spec.seats);
        // Add-on policies and the Open Profile limit apply per ledger: one
        // for pooled seats (Recruiter plans), one per seat otherwise.
        let ledgers = if self.model.scenario.seats.pooled {
            1
        } else {
            seats
        };
        let (monthly, cap) = (
            u64::from(facts.monthly) * seats,
            u64::from(facts.cap) * seats,
        );
        let cycle = self.model.scenario.horizon.cycles[c];
        let prev_end = c.checked_sub(1).map_or(0, |p| self.cycles[p].end_balance);
        let sent = m.sent_paid + m.sent_free;
        let inflow = m.start_balance + m.granted + m.refunds + m.purchased + m.follow_ups_returned;
        let outflow = m.sent_paid + m.expired + m.trimmed + m.forfeited;
        let never_expire =
            spec.plan.expiry.is_none() && spec.policy == Policy::Never && spec.changes.is_empty();
        let (pack, max) = match spec.policy {
            Policy::WhenEmpty { pack, max } => (u64::from(pack), max.map(u64::from)),
            _ => (1, None),
        };
        let purchased_ok = match spec.policy {
            _ if cancelled => m.purchased == 0,
            Policy::Never => m.purchased == 0,
            Policy::WhenEmpty { .. } => {
                m.purchased % pack == 0 && max.is_none_or(|x| m.purchased <= x * ledgers)
            }
            Policy::Monthly(n) => m.purchased == u64::from(n) * ledgers,
        };
        let unlimited_addons =
            matches!(spec.policy, Policy::WhenEmpty { max: None, .. }) && !cancelled;
        let (op_on, limit) = spec.open_profile;
        let floor = self.model.scenario.floor.is_some();
        // Follow-ups go out on any day, weekends included.
        let blocked_day_ok = m.first_blocked_day.is_none_or(|d| {
            (1..=cycle.len).contains(&d)
                && (spec.follow_ups || self.model.demand.is_send_day(cycle.first_day + d - 1))
        });
        // With a backlog, what is left over at the end of the cycle was
        // blocked on its last send day; without one, demand is sent or lost.
        // Follow-ups (sent or blocked) are not demand: left out of this.
        let refused = m.blocked + m.floor_blocked;
        let backlog_ok = spec.follow_ups
            || match (self.pending + m.demand).checked_sub(sent) {
                None => false,
                Some(left) if spec.backlog => left <= refused && (refused > 0 || left == 0),
                Some(_) => m.demand == sent + refused,
            };
        // §7: start + granted + refunds + purchased − sent_paid − expired
        // − trimmed = end, extended by credits forfeited at a plan change
        // and prepaid follow-up credits returned; and the renewal trims to
        // the cap before granting.
        let balance_kept = inflow == m.end_balance + outflow;
        // Per ledger: summed seats may trim in one and grant in another.
        let trim_leaves_cap =
            ledgers > 1 || m.trimmed == 0 || (m.granted == 0 && m.balance_after_grant == cap);
        let spend = m.purchased as i64 * spec.addon_price;
        checks![
            m.start_balance == prev_end,
            balance_kept,
            m.balance_after_grant <= cap,
            m.granted <= monthly,
            ledgers > 1 || m.granted == monthly || m.balance_after_grant == cap,
            trim_leaves_cap,
            m.trimmed <= m.start_balance,
            m.refunds <= m.responses,
            !spec.rate_zero || m.responses == 0,
            !spec.all_declines_kept || m.refunds == 0,
            !never_expire || m.expired == 0,
            purchased_ok,
            !unlimited_addons || m.blocked == 0,
            m.addon_spend == spend,
            m.plan_cost == facts.price * seats as i64,
            op_on || m.sent_free == 0,
            limit.is_none_or(|l| m.sent_free <= u64::from(l) * ledgers),
            changed || m.forfeited == 0,
            // A cancelled plan charges nothing and refunds nothing: its
            // credits are gone, and refunds due after the change are lost
            // (a Recruiter follow-up charged before it refunded into the
            // cancelled ledger and paid for sends).
            !cancelled || m.sent_paid + m.refunds + m.follow_ups_returned == 0,
            spec.follow_ups || m.follow_ups + m.follow_ups_blocked + m.follow_ups_returned == 0,
            floor || m.floor_blocked + m.floor_blocked_days == 0,
            m.floor_blocked_days <= u64::from(cycle.len) * seats,
            m.first_blocked_day.is_some() == (m.blocked > 0),
            blocked_day_ok,
            backlog_ok,
        ]
    }

    fn check_trial(&self, t: &TrialTotals) -> Result<(), String> {
        let cs = &self.cycles;
        let sum = |f: fn(&CycleMetrics) -> u64| cs.iter().map(f).sum::<u64>();
        let money = |f: fn(&CycleMetrics) -> i64| cs.iter().map(f).sum::<i64>();
        let blocked: Vec<u32> = (1..)
            .zip(cs)
            .filter(|(_, m)| m.blocked > 0)
            .map(|(i, _)| i)
            .collect();
        let s = &t.sums;
        checks![
            cs.len() == self.spec.months as usize,
            s.demand == sum(|m| m.demand),
            s.sent_paid == sum(|m| m.sent_paid),
            s.sent_free == sum(|m| m.sent_free),
            s.blocked == sum(|m| m.blocked),
            s.responses == sum(|m| m.responses),
            s.refunds == sum(|m| m.refunds),
            s.granted == sum(|m| m.granted),
            s.purchased == sum(|m| m.purchased),
            s.expired == sum(|m| m.expired),
            s.trimmed == sum(|m| m.trimmed),
            s.addon_spend == money(|m| m.addon_spend),
            s.plan_cost == money(|m| m.plan_cost),
            Some(s.end_balance) == cs.last().map(|m| m.end_balance),
            t.months_exhausted == blocked.len() as u64,
            t.first_exhausted_month == blocked.first().copied(),
        ]
    }
}

impl TrialObserver for Checker<'_> {
    fn cycle(&mut self, index: usize, m: &CycleMetrics) {
        assert_eq!(index, self.cycles.len(), "cycles are reported in order");
        if let Err(e) = self.check_cycle(index, m) {
            panic!("trial {}, cycle {}: {m:?}\n{e}", self.trial, index + 1);
        }
        // Follow-ups are not demand; with them on the backlog check is off.
        self.pending = (self.pending + m.demand).saturating_sub(m.sent_paid + m.sent_free);
        self.cycles.push(*m);
    }

    fn trial(&mut self, totals: &TrialTotals) {
        if let Err(e) = self.check_trial(totals) {
            panic!("trial {}: {totals:?}\n{e}", self.trial);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 512,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn every_cycle_of_every_random_scenario_keeps_the_credit_rules(spec in spec()) {
        let model = Model::new(common::scenario(&spec.text));
        let p = &model.scenario.plan;
        let facts = (p.monthly_credits, p.cap, p.expiry_days);
        prop_assert_eq!(facts, (spec.plan.monthly, spec.plan.cap, spec.plan.expiry));
        prop_assert_eq!(model.scenario.seats.count, spec.seats);
        prop_assert_eq!(model.scenario.follow_ups.is_some(), spec.follow_ups);
        prop_assert_eq!(model.scenario.plan_changes.len(), spec.changes.len());
        prop_assert_eq!(model.scenario.horizon.cycles.len(), spec.months as usize);
        let mut sim = Simulator::new(&model);
        for trial in spec.first_trial..spec.first_trial + TRIALS_PER_CASE {
            let mut checker =
                Checker { spec: &spec, model: &model, trial, cycles: Vec::new(), pending: 0 };
            sim.run_trial(trial, &mut checker);
        }
    }
}
