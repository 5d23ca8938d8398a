//! One trial-year of the yardstick (see `support/yardstick.rs`) on the reference
//! scenario, beside `trial_year` in spirit: `cargo bench --bench yardstick`.

#[path = "support/yardstick.rs"]
#[allow(dead_code, reason = "Yardstick::run serves examples/throughput.rs")]
mod yardstick;

use criterion::{Criterion, criterion_group, criterion_main};
use inmail_sim::engine::Model;
use inmail_sim::scenario::{Overrides, load};
use std::hint::black_box;
use std::path::Path;

fn yardstick_year(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/reference.toml");
    let scenario = load(&path, &Overrides::default()).unwrap_or_else(|e| panic!("{e}"));
    let yardstick = yardstick::Yardstick::new(Model::new(scenario));
    let mut trial = 0;
    c.bench_function("yardstick/trial_year", |b| {
        b.iter(|| {
            black_box(yardstick.trial(trial));
            trial += 1;
        })
    });
}

criterion_group!(benches, yardstick_year);
criterion_main!(benches);
