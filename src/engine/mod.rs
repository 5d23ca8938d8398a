//! One trial, day by day, in the normative order of credit-rules.md §4.
//! A [`Model`] is built once per scenario and shared by all threads; each
//! thread owns a [`Simulator`] whose buffers are reused from trial to
//! trial, so the inner loop allocates nothing.
//!
//! Two engines implement the same model: [`Simulator`] (`fast`), the one
//! every command uses, and [`ReferenceSimulator`] (`reference`), one draw
//! per decision, kept for tests to check the fast one against. They share
//! the trial loop (`driver`), the bookkeeping (`books`) and the rules
//! (`crate::rules`); they differ in how they draw the recipients of the
//! messages sent. The fast engine's way through a cycle is chosen once per
//! model (`path`). Hand-worked timelines of whole trials are under
//! `tests/` (test-only).

mod backlog;
mod books;
mod day;
mod driver;
mod fast;
mod follow;
mod path;
mod recipients;
mod reference;

pub use crate::metrics::{
    CYCLE_METRICS, CycleMetrics, HORIZON_METRICS, Metric, TrialTotals, cycle_values, horizon_values,
};
pub use driver::RateDraws;
pub use fast::Simulator;
pub use reference::ReferenceSimulator;

use crate::sampling::demand::DemandPlan;
use crate::scenario::{Billing, Plan, Scenario, Volume};

/// Receives a trial's results as they are produced.
pub trait TrialObserver {
    /// Cycle `index` (0-based) of the current trial has ended.
    fn cycle(&mut self, index: usize, metrics: &CycleMetrics);
    /// The current trial has ended.
    fn trial(&mut self, totals: &TrialTotals);
}

/// A scenario with everything that is the same for every trial laid out.
#[derive(Debug, Clone)]
pub struct Model {
    pub scenario: Scenario,
    /// The demand of one simulated ledger: one seat's, or the whole team's
    /// when seats pool their credits.
    pub demand: DemandPlan,
    /// The plans in force over the horizon, as one simulated ledger sees
    /// them (pooled seats: the grant, cap and price times the seats).
    pub terms: Vec<Terms>,
    /// Index into `terms` of the plan in force in each cycle.
    pub terms_of_cycle: Vec<usize>,
    /// Ledgers simulated per trial: the seats, unless they pool.
    pub ledgers: u32,
}

/// The plan in force for a stretch of cycles.
#[derive(Debug, Clone, PartialEq)]
pub struct Terms {
    pub plan: Plan,
    pub billing: Billing,
    /// Cancelled: no grant, no cost, no add-on purchases.
    pub cancelled: bool,
}

impl Terms {
    pub fn cycle_price_cents(&self) -> i64 {
        self.plan.cycle_price_cents(self.billing)
    }
}

impl Model {
    pub fn new(scenario: Scenario) -> Model {
        let seats = scenario.seats;
        let scale = if seats.pooled { seats.count } else { 1 };
        let mut demand = scenario.demand;
        let factor = f64::from(scale);
        demand.volume = match demand.volume {
            Volume::PerWorkday(x) => Volume::PerWorkday(x * factor),
            Volume::PerWeek(x) => Volume::PerWeek(x * factor),
            Volume::PerCycle(x) => Volume::PerCycle(x * factor),
        };
        let demand = DemandPlan::new(&demand, &scenario.horizon);
        // Validation keeps a pool within u32 (`check_ledger_credits`).
        let scaled = |plan: &Plan| Plan {
            monthly_credits: plan.monthly_credits * scale,
            cap: plan.cap * scale,
            price_monthly_cents: plan.price_monthly_cents * i64::from(scale),
            price_annual_cents: plan.price_annual_cents * i64::from(scale),
            ..plan.clone()
        };
        let mut terms = vec![Terms {
            plan: scaled(&scenario.plan),
            billing: scenario.billing,
            cancelled: false,
        }];
        let mut terms_of_cycle = vec![0; scenario.horizon.cycles.len()];
        for change in &scenario.plan_changes {
            terms.push(Terms {
                plan: scaled(&change.plan),
                billing: change.billing,
                cancelled: change.cancelled,
            });
            let index = terms.len() - 1;
            terms_of_cycle[change.from_cycle..].fill(index);
        }
        let ledgers = if seats.pooled { 1 } else { seats.count };
        Model {
            scenario,
            demand,
            terms,
            terms_of_cycle,
            ledgers,
        }
    }
}

#[cfg(test)]
mod tests;
