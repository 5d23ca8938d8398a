//! One simulated trial-year of the reference scenario (Sales Navigator Core,
//! 3 sends per workday; `scenarios/reference.toml`), with and without the
//! statistics that a run records, so the cost of each is visible.
//!
//! `cargo bench --bench trial_year`. Fixed seed: the same trials every run.

use criterion::{Criterion, criterion_group, criterion_main};
#[path = "support/reference.rs"]
mod reference;

use inmail_sim::stats::RunStats;
use reference::{Sink, bench_trials, reference_model};
use std::hint::black_box;

fn trial_year(c: &mut Criterion) {
    let model = reference_model(12);
    let mut group = c.benchmark_group("trial_year");
    group.bench_function("engine_only", |b| {
        let mut sink = Sink(0);
        bench_trials(b, &model, &mut sink);
        black_box(sink.0);
    });
    group.bench_function("with_statistics", |b| {
        let mut stats = RunStats::new(12);
        bench_trials(b, &model, &mut stats);
        black_box(stats.trials);
    });
    group.finish();
}

criterion_group!(benches, trial_year);
criterion_main!(benches);
