//! One trial, day by day, in the normative order of credit-rules.md §4.
//! A [`Model`] is built once per scenario and shared by all threads; each
//! thread owns a [`Simulator`] whose buffers are reused from trial to
//! trial, so the inner loop allocates nothing.
//!
//! Two engines implement the same model: [`Simulator`], the fast one every
//! command uses, and [`ReferenceSimulator`], one draw per decision, kept as
//! the yardstick the fast one is tested against. They share the trial loop
//! (`driver`) and the bookkeeping (`books`); they differ in how they draw
//! the recipients of the messages sent.

mod backlog;
mod books;
mod driver;
pub mod metrics;
mod recipients;
mod reference;
mod trial;

pub use metrics::{CYCLE_METRICS, CycleMetrics, HORIZON_METRICS, Metric, TrialTotals};
pub use reference::ReferenceSimulator;
pub use trial::Simulator;

use crate::sampling::demand::DemandPlan;
use crate::scenario::Scenario;

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
    pub demand: DemandPlan,
}

impl Model {
    pub fn new(scenario: Scenario) -> Model {
        let demand = DemandPlan::new(&scenario.demand, &scenario.horizon);
        Model { scenario, demand }
    }
}

#[cfg(test)]
mod timelines;
