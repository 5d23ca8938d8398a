//! The two layers under a trial-year (`trial_year.rs`): the credit ledger
//! alone, and one cycle of the engine — the step the fast engine takes
//! (the lean cycle runs a month from stop to stop, not day by day).
//!
//! `cargo bench --bench ledger`. No randomness in the ledger bench; the
//! cycle bench uses the reference scenario's fixed seed.

use criterion::{Criterion, criterion_group, criterion_main};
#[path = "support/reference.rs"]
mod reference;

use inmail_sim::rules::{Expiry, Ledger};
use reference::{Sink, bench_trials, reference_model};
use std::hint::black_box;

/// A reference-like year of ledger work: a grant of 50 (cap 150) on each
/// 30th day, a refund lot every other day, 3 credits spent each weekday
/// while the balance lasts, expiry checked every day; 90-day lots.
fn ledger_year(ledger: &mut Ledger) -> u64 {
    ledger.reset();
    let mut spent = 0;
    for day in 0..360 {
        ledger.expire_through(day);
        if day % 30 == 0 {
            ledger.renew(50, 150, Expiry::On(day + 90));
        }
        if day % 2 == 1 {
            ledger.add(1, Expiry::On(day + 90));
        }
        if day % 7 < 5 {
            let take = ledger.balance().min(3);
            ledger.spend_many(take);
            spent += take;
        }
    }
    spent
}

fn ledger_and_cycle(c: &mut Criterion) {
    let mut group = c.benchmark_group("layers");
    group.bench_function("ledger_year", |b| {
        // Lots live 90 days; the engine sizes the queue with a cycle's slack.
        let mut ledger = Ledger::new(90 + 31);
        b.iter(|| black_box(ledger_year(&mut ledger)));
    });
    let model = reference_model(1);
    group.bench_function("engine_one_cycle", |b| {
        let mut sink = Sink(0);
        bench_trials(b, &model, &mut sink);
        black_box(sink.0);
    });
    group.finish();
}

criterion_group!(benches, ledger_and_cycle);
criterion_main!(benches);
