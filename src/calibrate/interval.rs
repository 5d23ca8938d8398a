//! The 90% interval for the reply rate `p`: a profile-likelihood interval,
//! the rates `p` whose profile log-likelihood (the delay `(mu, sigma)`
//! refitted at each `p`) is within `χ²₁(0.90) / 2 = 1.3528` of the
//! maximum (Wilks; Venzon and Moolgavkar 1988 for the method).
//!
//! Why not the normal approximation from the observed information: on a
//! young history (most InMails sent in the last two weeks) the likelihood
//! of `p` is skewed (a higher rate with slower replies explains the
//! pending InMails almost as well), and the symmetric interval covered the
//! true rate in only ~86% of synthetic 14-day histories and ~71% of 7-day
//! ones. The profile interval follows the likelihood's own shape.
//!
//! The search runs on `u = logit(p)`: outward from the estimate in steps
//! that double until the drop passes the cut, then the Illinois variant
//! of regula falsi on the bracket, refitting the delay by Nelder–Mead
//! started from the last point's delay.

use super::model::{Counts, LN_SIGMA_RANGE, MU_RANGE, log_likelihood};
use super::optimise::nelder_mead_rounds;

/// Half the 90% quantile of chi-square with one degree of freedom.
const HALF_CHI2_90: f64 = 1.352_771_727_047_702;

/// `logit` never goes beyond this: `p` within 1e-13 of 0 or 1.
const U_LIMIT: f64 = 30.0;

fn expit(u: f64) -> f64 {
    1.0 / (1.0 + (-u).exp())
}

/// The profile log-likelihood at `p`, and the delay `(mu, ln sigma)` that
/// attains it, searched from `start`.
fn profile(c: &Counts, p: f64, start: [f64; 2]) -> (f64, [f64; 2]) {
    let objective = |x: &[f64; 2]| {
        let inside = (MU_RANGE.0..=MU_RANGE.1).contains(&x[0])
            && (LN_SIGMA_RANGE.0..=LN_SIGMA_RANGE.1).contains(&x[1]);
        if !inside {
            return f64::INFINITY;
        }
        -log_likelihood(c, p, x[0], x[1].exp())
    };
    let (x, f) = nelder_mead_rounds(objective, start, [0.2, 0.1], 1);
    (-f, x)
}

/// The `(low, high)` 90% profile-likelihood interval for `p`, from the
/// maximum-likelihood estimate `(p_hat, mu, ln sigma)` and its
/// log-likelihood `top`. An end where the profile never drops far enough
/// is 0 or 1: the data do not bound the rate on that side.
pub(crate) fn profile_interval(c: &Counts, p_hat: f64, delay: [f64; 2], top: f64) -> (f64, f64) {
    let u_hat = (p_hat / (1.0 - p_hat)).ln().clamp(-U_LIMIT, U_LIMIT);
    let low = end(c, u_hat, delay, top, -1.0).map_or(0.0, expit);
    let high = end(c, u_hat, delay, top, 1.0).map_or(1.0, expit);
    (low, high)
}

/// One end of the interval, in `u`, on the side `direction` (±1).
fn end(c: &Counts, u_hat: f64, delay: [f64; 2], top: f64, direction: f64) -> Option<f64> {
    // g(u) < 0 inside the interval, > 0 outside.
    let mut start = delay;
    let mut g = |u: f64| {
        let (value, x) = profile(c, expit(u), start);
        start = x;
        top - value - HALF_CHI2_90
    };
    let (mut a, mut ga) = (u_hat, -HALF_CHI2_90);
    let mut step = 0.25;
    let (mut b, mut gb) = loop {
        let b = (a + direction * step).clamp(-U_LIMIT, U_LIMIT);
        let gb = g(b);
        if gb > 0.0 {
            break (b, gb);
        }
        if b.abs() >= U_LIMIT {
            return None;
        }
        (a, ga) = (b, gb);
        step *= 2.0;
    };
    // Illinois: regula falsi that halves the stale end's value.
    let mut side = 0;
    for _ in 0..60 {
        let m = b - gb * (b - a) / (gb - ga);
        let gm = g(m);
        if gm.abs() < 1e-5 || (b - a).abs() < 1e-9 {
            return Some(m);
        }
        if (gm > 0.0) == (gb > 0.0) {
            (b, gb) = (m, gm);
            if side == 1 {
                ga /= 2.0;
            }
            side = 1;
        } else {
            (a, ga) = (m, gm);
            if side == -1 {
                gb /= 2.0;
            }
            side = -1;
        }
    }
    Some(0.5 * (a + b))
}
