//! What the engine benches share: the reference scenario at a fixed seed,
//! an observer that keeps results alive without recording them, and the
//! timed loop over successive trials.

use criterion::Bencher;
use inmail_sim::engine::{CycleMetrics, Model, Simulator, TrialObserver, TrialTotals};
use inmail_sim::scenario::{Overrides, load};
use std::path::Path;

/// `scenarios/reference.toml` over `months` months, seed 1.
pub fn reference_model(months: u32) -> Model {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/reference.toml");
    let overrides = Overrides {
        months: Some(months),
        seed: Some(1),
        ..Overrides::default()
    };
    match load(&path, &overrides) {
        Ok(scenario) => Model::new(scenario),
        Err(e) => panic!("the bench needs {}: {e}", path.display()),
    }
}

/// Times one trial of `model` per iteration, trial 0, 1, 2, … in turn,
/// each reported to `observer`.
pub fn bench_trials(b: &mut Bencher, model: &Model, observer: &mut impl TrialObserver) {
    let mut sim = Simulator::new(model);
    let mut trial = 0;
    b.iter(|| {
        sim.run_trial(trial, observer);
        trial += 1;
    });
}

/// Keeps the engine's results alive without recording them.
pub struct Sink(pub u64);

impl TrialObserver for Sink {
    fn cycle(&mut self, _index: usize, m: &CycleMetrics) {
        self.0 = self.0.wrapping_add(m.end_balance + m.blocked);
    }
    fn trial(&mut self, totals: &TrialTotals) {
        self.0 = self.0.wrapping_add(totals.sums.refunds);
    }
}
