//! Simulated months per second of the simulator and of the yardstick, measured
//! side by side in one process, in interleaved rounds: the machine is shared
//! and noisy, so only ratios from one run mean anything. Prints each case's
//! median time, and each ratio as the median of the rounds' own ratios
//! with their range.
//!
//! `cargo run --release --example throughput -- [SCENARIO] [TRIALS] [ROUNDS]`
//! (defaults: scenarios/reference.toml, 100000, 5). `benches/report.sh`
//! runs it and adds peak memory.

#[path = "../benches/support/yardstick.rs"]
mod yardstick;

use inmail_sim::engine::Model;
use inmail_sim::runner::{Progress, simulate};
use inmail_sim::scenario::{Overrides, Volume, load};
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a thread pool")
}

/// Seconds taken by `work` on `threads` threads.
fn timed(threads: usize, work: impl FnOnce() -> u64 + Send) -> f64 {
    let pool = pool(threads);
    let start = Instant::now();
    black_box(pool.install(work));
    start.elapsed().as_secs_f64()
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = PathBuf::from(
        args.first()
            .map_or("scenarios/reference.toml", String::as_str),
    );
    let trials: u64 = args
        .get(1)
        .map_or(100_000, |a| a.parse().expect("TRIALS is a number"));
    let rounds: usize = args
        .get(2)
        .map_or(5, |a| a.parse().expect("ROUNDS is a number"));
    let scenario = load(&path, &Overrides::default()).unwrap_or_else(|e| panic!("{e}"));
    let months = (trials * u64::from(scenario.months)) as f64;
    let mut heavy = scenario.clone();
    if let Volume::PerWorkday(m) = heavy.demand.volume {
        heavy.demand.volume = Volume::PerWorkday(10.0 * m);
    }
    let model = Model::new(scenario.clone());
    let heavy = Model::new(heavy);
    let yardstick = yardstick::Yardstick::new(Model::new(scenario));
    let sim = |m: &Model| simulate(m, 0..trials, &Progress::hidden()).trials;

    let cases = [
        "simulator, 2 threads",
        "yardstick, 2 threads",
        "simulator, 1 thread",
        "yardstick, 1 thread",
        "simulator x10 sends, 2 threads",
    ];
    let mut seconds = vec![Vec::new(); cases.len()];
    for _ in 0..rounds {
        seconds[0].push(timed(2, || sim(&model)));
        seconds[1].push(timed(2, || yardstick.run(trials)));
        seconds[2].push(timed(1, || sim(&model)));
        seconds[3].push(timed(1, || yardstick.run(trials)));
        seconds[4].push(timed(2, || sim(&heavy)));
    }
    let med: Vec<f64> = seconds.iter().cloned().map(median).collect();
    println!(
        "{} trials x {} months, median of {rounds} interleaved rounds\n",
        trials, model.scenario.months
    );
    println!(
        "{:<32} {:>14} {:>16}",
        "case", "median seconds", "months/second"
    );
    for (case, s) in cases.iter().zip(&med) {
        println!("{case:<32} {s:>14.3} {:>16.0}", months / s);
    }
    println!();
    println!("ratio                              median  (range over rounds)");
    let ratios = [
        ("simulator / yardstick, 2 threads:", 1, 0),
        ("simulator / yardstick, 1 thread:", 3, 2),
        ("simulator 1 -> 2 threads:", 2, 0),
        ("time per month at 10x sends:", 4, 0),
    ];
    for (name, over, under) in ratios {
        let per_round = paired(&seconds[over], &seconds[under]);
        let n = per_round.len();
        let (low, mid, high) = (per_round[0], per_round[n / 2], per_round[n - 1]);
        println!("{name:<34} {mid:>5.2}x  ({low:.2}x to {high:.2}x)");
    }
}

/// Each round's `over / under`, sorted (the median is the middle one, as
/// in [`median`]): the two cases ran in the same
/// round, seconds apart, so the machine's drift from round to round
/// cancels out of each ratio, and their spread shows what is left.
fn paired(over: &[f64], under: &[f64]) -> Vec<f64> {
    let mut ratios: Vec<f64> = over.iter().zip(under).map(|(o, u)| o / u).collect();
    ratios.sort_by(f64::total_cmp);
    ratios
}
