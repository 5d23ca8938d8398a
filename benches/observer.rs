//! The cost of recording trials into `RunStats`, apart from the engine:
//! 1,000 trials of the reference scenario (`scenarios/reference.toml`, seed
//! 1) are simulated once into memory, and only their recording is timed.
//!
//! - `fresh_1000`: a new `RunStats` records the 1,000 trials, as the runner
//!   does for each batch of 1,024 (so the histograms' growth is included).
//! - `warm_1000`: the same trials recorded again into statistics that have
//!   already seen them (the steady state of a long batch).
//!
//! `cargo bench --bench observer`. Divide by 1,000 for the cost per trial.

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use inmail_sim::engine::{CycleMetrics, Model, Simulator, TrialObserver, TrialTotals};
use inmail_sim::scenario::{Overrides, load};
use inmail_sim::stats::RunStats;
use std::hint::black_box;
use std::path::Path;

const TRIALS: u64 = 1000;
const MONTHS: u32 = 12;

/// One trial as the engine reported it.
struct Recorded {
    cycles: Vec<CycleMetrics>,
    totals: TrialTotals,
}

/// Keeps every report, to replay it later.
#[derive(Default)]
struct Collect {
    current: Vec<CycleMetrics>,
    trials: Vec<Recorded>,
}

impl TrialObserver for Collect {
    fn cycle(&mut self, index: usize, metrics: &CycleMetrics) {
        assert_eq!(index, self.current.len(), "cycles arrive in order");
        self.current.push(*metrics);
    }
    fn trial(&mut self, totals: &TrialTotals) {
        let cycles = std::mem::take(&mut self.current);
        self.trials.push(Recorded {
            cycles,
            totals: *totals,
        });
    }
}

fn reference_trials() -> Vec<Recorded> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/reference.toml");
    let overrides = Overrides {
        months: Some(MONTHS),
        seed: Some(1),
        ..Overrides::default()
    };
    let model = match load(&path, &overrides) {
        Ok(scenario) => Model::new(scenario),
        Err(e) => panic!("the bench needs {}: {e}", path.display()),
    };
    let mut sim = Simulator::new(&model);
    let mut collect = Collect::default();
    for trial in 0..TRIALS {
        sim.run_trial(trial, &mut collect);
    }
    collect.trials
}

/// Not inlined, so that callgrind can count its instructions apart
/// (`valgrind --tool=callgrind` on the bench binary, then divide the
/// inclusive cost of `replay` by its calls and by `TRIALS`).
#[inline(never)]
fn replay(stats: &mut RunStats, trials: &[Recorded]) {
    for t in trials {
        for (index, metrics) in t.cycles.iter().enumerate() {
            stats.cycle(index, metrics);
        }
        stats.trial(&t.totals);
    }
}

fn observer(c: &mut Criterion) {
    let trials = reference_trials();
    let mut group = c.benchmark_group("observer");
    group.bench_function("fresh_1000", |b| {
        b.iter_batched_ref(
            || RunStats::new(MONTHS),
            |stats| {
                replay(stats, black_box(&trials));
                black_box(stats.trials)
            },
            BatchSize::SmallInput,
        );
    });
    group.bench_function("warm_1000", |b| {
        let mut stats = RunStats::new(MONTHS);
        replay(&mut stats, &trials);
        b.iter(|| {
            replay(&mut stats, black_box(&trials));
            black_box(stats.trials)
        });
    });
    group.finish();
}

criterion_group!(benches, observer);
criterion_main!(benches);
