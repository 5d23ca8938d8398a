//! The pieces of the calibration model that the fit and the table share:
//! the history grouped by day ([`Counts`]) and the lognormal delay
//! ([`LogNormalFit`]) with its whole-day probabilities (credit-rules §4c:
//! a response arrives `max(1, ceil(X))` days after sending).
//!
//! With an answer window `W` (`--window`, the refund window of
//! credit-rules §3) an answer after `W` days counts as none, so the data
//! cannot see one: `p` is the chance of an answer *within* `W`, and the
//! delay is the lognormal cut at `W`, `F(x) / F(W)`. Without the cut the
//! fit could explain silence by answers after the window, which no data
//! can confirm, and an old history's rate ran off towards 1 with the
//! delay towards years.

use statrs::function::erf::{erfc, erfc_inv};

use super::history::History;
use crate::sampling::delay::Z_090;

/// The lognormal delay `ln X ~ Normal(mu, sigma²)`, with standard errors
/// from the observed information (`None` when it is not positive definite).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LogNormalFit {
    pub mu: f64,
    pub sigma: f64,
    /// Covariance of `(mu, ln sigma)`.
    pub cov: Option<[[f64; 2]; 2]>,
    /// The answer window `W` in days: the delay of an answer is the
    /// lognormal given `X <= W`. `None`: not cut.
    pub window: Option<f64>,
}

impl LogNormalFit {
    /// The uncut lognormal's median: what a scenario's `[delay]` is given.
    pub fn median(&self) -> f64 {
        self.mu.exp()
    }

    /// The uncut lognormal's 90th percentile.
    pub fn p90(&self) -> f64 {
        (self.mu + Z_090 * self.sigma).exp()
    }

    /// `P(X <= W)`: the share of the uncut lognormal within the window
    /// (1 without one).
    pub fn within_window(&self) -> f64 {
        self.window
            .map_or(1.0, |w| cdf_sf(w, self.mu, self.sigma).0)
    }

    /// The delay of an answer, `P(X <= x | X <= W)`.
    pub fn cdf(&self, x: f64) -> f64 {
        let x = self.window.map_or(x, |w| x.min(w));
        (cdf_sf(x, self.mu, self.sigma).0 / self.within_window()).min(1.0)
    }

    /// The `q` quantile of the delay of an answer (within the window).
    pub fn quantile(&self, q: f64) -> f64 {
        let x = (self.mu + self.sigma * normal_quantile(q * self.within_window())).exp();
        self.window.map_or(x, |w| x.min(w))
    }

    /// Half of answers come within this many days.
    pub fn median_within(&self) -> f64 {
        self.quantile(0.5)
    }

    /// 90% of answers come within this many days.
    pub fn p90_within(&self) -> f64 {
        self.quantile(0.9)
    }

    /// Standard error of the median, by the delta method: `median · se(mu)`.
    pub fn se_median(&self) -> Option<f64> {
        self.cov.map(|c| self.median() * c[0][0].sqrt())
    }

    /// Standard error of the 90th percentile `exp(mu + z·sigma)`, by the
    /// delta method with `d sigma = sigma · d ln sigma`.
    pub fn se_p90(&self) -> Option<f64> {
        self.cov.map(|c| {
            let g = [1.0, Z_090 * self.sigma];
            let var = g[0] * g[0] * c[0][0] + 2.0 * g[0] * g[1] * c[0][1] + g[1] * g[1] * c[1][1];
            self.p90() * var.max(0.0).sqrt()
        })
    }
}

/// The standard normal quantile.
pub fn normal_quantile(q: f64) -> f64 {
    -std::f64::consts::SQRT_2 * erfc_inv(2.0 * q)
}

/// A history grouped by day: the likelihood then costs one term per
/// distinct day, not per InMail.
#[derive(Debug, Clone)]
pub(crate) struct Counts {
    /// `(d, count)`: answered after `d` days.
    pub answered: Vec<(u32, f64)>,
    /// `(t, count)`: not answered, `t >= 1` days old.
    pub pending: Vec<(u32, f64)>,
    /// `(age, count)` of every InMail.
    pub ages: Vec<(u32, f64)>,
    pub n_answered: f64,
    /// The answer window (`History::window`): the delay is cut there.
    pub window: Option<u32>,
}

impl Counts {
    pub(crate) fn new(history: &History) -> Counts {
        let group = |days: &mut dyn Iterator<Item = u32>| {
            let mut v: Vec<u32> = days.collect();
            v.sort_unstable();
            let mut out: Vec<(u32, f64)> = Vec::new();
            for d in v {
                match out.last_mut() {
                    Some(last) if last.0 == d => last.1 += 1.0,
                    _ => out.push((d, 1.0)),
                }
            }
            out
        };
        let m = &history.messages;
        let answered = group(&mut m.iter().filter_map(|m| m.delay));
        let pending = group(&mut m.iter().filter(|m| m.delay.is_none()).map(|m| m.age));
        let ages = group(&mut m.iter().map(|m| m.age));
        let n_answered = answered.iter().map(|a| a.1).sum();
        Counts {
            answered,
            pending,
            ages,
            n_answered,
            window: history.window,
        }
    }

    /// `ln F(W)`: an answer's delay is the lognormal given `X <= W`, so
    /// every probability of a delay is divided by `F(W)` (0 without a window).
    pub(crate) fn ln_within(&self, mu: f64, sigma: f64) -> f64 {
        match self.window {
            Some(w) => cdf_sf(f64::from(w), mu, sigma)
                .0
                .max(f64::MIN_POSITIVE)
                .ln(),
            None => 0.0,
        }
    }

    /// `F(t) / F(W)`: the chance that an answer within the window has come
    /// by age `t` (ages are at most `W`, so at most 1).
    pub(crate) fn answered_by(&self, t: u32, mu: f64, sigma: f64, ln_within: f64) -> f64 {
        let (f, _) = cdf_sf(f64::from(t), mu, sigma);
        (f.max(f64::MIN_POSITIVE).ln() - ln_within).exp().min(1.0)
    }
}

/// `(F(x), 1 − F(x))` for the lognormal `(mu, sigma)`, each computed
/// directly so that tail values keep their accuracy.
pub(crate) fn cdf_sf(x: f64, mu: f64, sigma: f64) -> (f64, f64) {
    if x <= 0.0 {
        return (0.0, 1.0);
    }
    let z = (x.ln() - mu) / (sigma * std::f64::consts::SQRT_2);
    (0.5 * erfc(-z), 0.5 * erfc(z))
}

/// `ln P(d − 1 < X <= d)`, the whole-day probability of day `d`.
pub(crate) fn ln_day_prob(d: u32, mu: f64, sigma: f64) -> f64 {
    let (f_hi, s_hi) = cdf_sf(f64::from(d), mu, sigma);
    let (f_lo, s_lo) = cdf_sf(f64::from(d) - 1.0, mu, sigma);
    // Subtract the smaller pair: the right tail by survivals.
    let prob = if f_hi < 0.5 { f_hi - f_lo } else { s_lo - s_hi };
    prob.max(f64::MIN_POSITIVE).ln()
}

/// Bounds of the search: delays from minutes to ten years, sigma from a
/// nearly fixed delay to an absurdly spread one. The fit reaches a bound
/// only when the data say next to nothing (then the interval says so).
pub(crate) const MU_RANGE: (f64, f64) = (-4.6, 8.2);
pub(crate) const LN_SIGMA_RANGE: (f64, f64) = (-3.0, 2.3);

/// The log-likelihood at `(p, mu, sigma)`: an answer on day `d` gives
/// `p · P(d − 1 < X <= d) / F(W)`, an InMail `t` days old with none
/// `1 − p · F(t) / F(W)`. Where every InMail is `W` days old the latter
/// is `1 − p` and the rate's part is the binomial likelihood.
pub(crate) fn log_likelihood(c: &Counts, p: f64, mu: f64, sigma: f64) -> f64 {
    if !(0.0..=1.0).contains(&p) {
        return f64::NEG_INFINITY;
    }
    let ln_within = c.ln_within(mu, sigma);
    let answered: f64 = c
        .answered
        .iter()
        .map(|&(d, n)| n * (ln_day_prob(d, mu, sigma) - ln_within))
        .sum();
    let pending: f64 = c
        .pending
        .iter()
        .map(|&(t, n)| {
            let f = c.answered_by(t, mu, sigma, ln_within);
            n * (1.0 - p * f).max(f64::MIN_POSITIVE).ln()
        })
        .sum();
    let rate = if c.n_answered > 0.0 {
        c.n_answered * p.ln()
    } else {
        0.0
    };
    rate + answered + pending
}
