//! The yardstick: only the random work the reference scenario cannot avoid,
//! drawn the plain way with the libraries' samplers — per trial one
//! response rate, per workday one Poisson demand draw, per send one
//! Bernoulli draw, per response one lognormal delay — summed so that
//! nothing is optimised away. Same generator (wyrand), same per-trial
//! seeding and the same rayon batches as the simulator, so the two are
//! measured like for like.
//!
//! Shared by `benches/yardstick.rs` and `examples/throughput.rs`.

use inmail_sim::engine::Model;
use inmail_sim::sampling::streams::{Stream, stream_rng};
use rand::RngExt;
use rand_distr::{Distribution, LogNormal, Poisson};
use rayon::prelude::*;

/// What the yardstick needs from a scenario: its days and distributions.
pub struct Yardstick {
    seed: u64,
    /// Mean demand of each day of the horizon (0 on weekends).
    daily_means: Vec<f64>,
    poisson: Poisson<f64>,
    delay: LogNormal<f64>,
    model: Model,
}

impl Yardstick {
    /// `model` must have one non-zero daily mean (per-workday demand) and a
    /// lognormal delay of median 2 and p90 12, as the reference scenario.
    pub fn new(model: Model) -> Yardstick {
        let days = model.scenario.horizon.days();
        let daily_means: Vec<f64> = (0..days).map(|d| model.demand.mean(d)).collect();
        let mean = daily_means.iter().copied().fold(0.0, f64::max);
        let sigma = (12.0_f64.ln() - 2.0_f64.ln()) / 1.281_551_565_544_600_4;
        Yardstick {
            seed: model.scenario.seed,
            daily_means,
            poisson: Poisson::new(mean).expect("a positive daily mean"),
            delay: LogNormal::new(2.0_f64.ln(), sigma).expect("valid lognormal"),
            model,
        }
    }

    /// One trial-year of unavoidable draws; returns a checksum.
    pub fn trial(&self, trial: u64) -> u64 {
        let mut rate_rng = stream_rng(self.seed, trial, Stream::Rate);
        let p = self.model.scenario.response.sampler.sample(&mut rate_rng);
        let mut rng = stream_rng(self.seed, trial, Stream::Recipients);
        let mut sum = 0u64;
        for &mean in &self.daily_means {
            if mean == 0.0 {
                continue;
            }
            let sends = self.poisson.sample(&mut rng) as u64;
            for _ in 0..sends {
                if rng.random_bool(p) {
                    sum += self.delay.sample(&mut rng).ceil() as u64;
                }
            }
            sum += sends;
        }
        sum
    }

    /// Trials `0..trials` on the current rayon pool, in the simulator's batches.
    pub fn run(&self, trials: u64) -> u64 {
        let batch = inmail_sim::runner::BATCH_TRIALS;
        (0..trials.div_ceil(batch))
            .into_par_iter()
            .map(|b| {
                (b * batch..((b + 1) * batch).min(trials))
                    .map(|t| self.trial(t))
                    .sum::<u64>()
            })
            .sum()
    }
}
