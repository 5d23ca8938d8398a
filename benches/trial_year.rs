//! One simulated trial-year of the reference scenario (Sales Navigator Core,
//! 3 sends per workday; `scenarios/reference.toml`), with and without the
//! statistics that a run records, so the cost of each is visible.
//!
//! `cargo bench --bench trial_year`. Fixed seed: the same trials every run.

use criterion::{Criterion, criterion_group, criterion_main};
use inmail_sim::engine::{CycleMetrics, Model, Simulator, TrialObserver, TrialTotals};
use inmail_sim::scenario::{Overrides, load};
use inmail_sim::stats::RunStats;
use std::hint::black_box;
use std::path::Path;

fn reference_model() -> Model {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/reference.toml");
    let overrides = Overrides {
        months: Some(12),
        seed: Some(1),
        ..Overrides::default()
    };
    match load(&path, &overrides) {
        Ok(scenario) => Model::new(scenario),
        Err(e) => panic!("the bench needs {}: {e}", path.display()),
    }
}

/// Keeps the engine's results alive without recording them.
struct Sink(u64);

impl TrialObserver for Sink {
    fn cycle(&mut self, _index: usize, m: &CycleMetrics) {
        self.0 = self.0.wrapping_add(m.end_balance + m.blocked);
    }
    fn trial(&mut self, totals: &TrialTotals) {
        self.0 = self.0.wrapping_add(totals.sums.refunds);
    }
}

fn trial_year(c: &mut Criterion) {
    let model = reference_model();
    let mut group = c.benchmark_group("trial_year");
    group.bench_function("engine_only", |b| {
        let mut sim = Simulator::new(&model);
        let mut sink = Sink(0);
        let mut trial = 0;
        b.iter(|| {
            sim.run_trial(trial, &mut sink);
            trial += 1;
        });
        black_box(sink.0);
    });
    group.bench_function("with_statistics", |b| {
        let mut sim = Simulator::new(&model);
        let mut stats = RunStats::new(12);
        let mut trial = 0;
        b.iter(|| {
            sim.run_trial(trial, &mut stats);
            trial += 1;
        });
        black_box(stats.trials);
    });
    group.finish();
}

criterion_group!(benches, trial_year);
criterion_main!(benches);
