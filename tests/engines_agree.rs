//! The fast engine and the reference engine (one draw per decision) agree
//! in distribution on every shipped scenario: for every metric and cycle,
//! the two means differ by no more than chance allows.
//!
//! The engines run on disjoint trial ranges (fast: 0..n, reference:
//! n..2n), so their estimates are independent and the standard error of
//! the difference is sqrt(se_fast² + se_reference²). With m comparisons
//! over all scenarios, each uses the two-sided Bonferroni bound for a
//! family-wise false-alarm rate of 0.1%: z = Φ⁻¹(1 − 0.001 / 2m), about 5.2
//! for m ≈ 2,000. A plain 4-standard-error bound per comparison would
//! flag one of 2,000 correct comparisons by chance about 12% of the time;
//! the seed is fixed, so the test is deterministic either way. Where both
//! engines show no spread at all (a constant), the means must be equal.

use inmail_sim::engine::{CYCLE_METRICS, HORIZON_METRICS, Model, ReferenceSimulator, Simulator};
use inmail_sim::scenario::{Overrides, load};
use inmail_sim::stats::{Histogram, RunStats};
use statrs::distribution::{ContinuousCDF, Normal};
use std::path::{Path, PathBuf};

const TRIALS: u64 = 3000;

fn shipped_scenarios() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files = Vec::new();
    let mut folders = vec![root];
    while let Some(dir) = folders.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "toml") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn both_engines(model: &Model) -> (RunStats, RunStats) {
    let months = model.scenario.months;
    let (mut fast, mut reference) = (RunStats::new(months), RunStats::new(months));
    let mut sim = Simulator::new(model);
    for trial in 0..TRIALS {
        sim.run_trial(trial, &mut fast);
    }
    let mut sim = ReferenceSimulator::new(model);
    for trial in TRIALS..2 * TRIALS {
        sim.run_trial(trial, &mut reference);
    }
    (fast, reference)
}

/// (label, fast histogram, reference histogram) for every metric and cycle.
fn pairs<'a>(
    fast: &'a RunStats,
    reference: &'a RunStats,
) -> Vec<(String, &'a Histogram, &'a Histogram)> {
    let mut out = Vec::new();
    for (c, (a, b)) in fast.per_cycle.iter().zip(&reference.per_cycle).enumerate() {
        for (i, metric) in CYCLE_METRICS.iter().enumerate() {
            out.push((
                format!("{} in cycle {}", metric.name(), c + 1),
                &a[i],
                &b[i],
            ));
        }
    }
    for (i, metric) in HORIZON_METRICS.iter().enumerate() {
        out.push((
            format!("{} over the horizon", metric.name()),
            &fast.horizon[i],
            &reference.horizon[i],
        ));
    }
    out
}

#[test]
fn the_fast_engine_agrees_with_the_reference_engine_on_every_shipped_scenario() {
    let files = shipped_scenarios();
    assert!(
        files.len() >= 10,
        "expected the shipped scenarios, found {files:?}"
    );
    let runs: Vec<(PathBuf, RunStats, RunStats)> = files
        .into_iter()
        .map(|path| {
            let overrides = Overrides {
                trials: Some(TRIALS),
                ..Overrides::default()
            };
            let scenario = load(&path, &overrides).unwrap_or_else(|e| panic!("{e}"));
            let (fast, reference) = both_engines(&Model::new(scenario));
            (path, fast, reference)
        })
        .collect();
    let comparisons: usize = runs.iter().map(|(_, f, r)| pairs(f, r).len()).sum();
    let alpha = 0.001 / (2.0 * comparisons as f64);
    let z_bound = Normal::new(0.0, 1.0).unwrap().inverse_cdf(1.0 - alpha);
    let mut failures = Vec::new();
    for (path, fast, reference) in &runs {
        for (label, a, b) in pairs(fast, reference) {
            let (Some(sa), Some(sb)) = (a.summary(), b.summary()) else {
                // A metric that never happened in one engine must be rare
                // in the other: at most a handful of trials.
                assert!(
                    a.count() + b.count() <= 5,
                    "{}: {label}: only one engine has values",
                    path.display()
                );
                continue;
            };
            let se = (sa.se * sa.se + sb.se * sb.se).sqrt();
            let agree = if se == 0.0 {
                sa.mean == sb.mean
            } else {
                ((sa.mean - sb.mean) / se).abs() <= z_bound
            };
            if !agree {
                failures.push(format!(
                    "{}: {label}: fast {:.4} ± {:.4}, reference {:.4} ± {:.4}",
                    path.display(),
                    sa.mean,
                    sa.se,
                    sb.mean,
                    sb.se
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {comparisons} comparisons beyond {z_bound:.2} standard errors:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
