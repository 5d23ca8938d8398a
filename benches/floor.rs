//! One trial-year of the floor (see `support/floor.rs`) on the reference
//! scenario, beside `trial_year` in spirit: `cargo bench --bench floor`.

#[path = "support/floor.rs"]
#[allow(dead_code, reason = "Floor::run serves examples/throughput.rs")]
mod floor;

use criterion::{Criterion, criterion_group, criterion_main};
use inmail_sim::engine::Model;
use inmail_sim::scenario::{Overrides, load};
use std::hint::black_box;
use std::path::Path;

fn floor_year(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/reference.toml");
    let scenario = load(&path, &Overrides::default()).unwrap_or_else(|e| panic!("{e}"));
    let floor = floor::Floor::new(Model::new(scenario));
    let mut trial = 0;
    c.bench_function("floor/trial_year", |b| {
        b.iter(|| {
            black_box(floor.trial(trial));
            trial += 1;
        })
    });
}

criterion_group!(benches, floor_year);
criterion_main!(benches);
