//! The per-trial response rate `p`.
//!
//! Credit-rules §5: "each trial draws its own p once from the scenario's
//! distribution ... fixed, uniform(low, high), triangular(low, mode, high),
//! beta given by mean and sd, or beta given by a 90% interval (default: 90%
//! of trials between 0.10 and 0.25)". This module owns the validation of
//! those parameters, the fit of the beta forms and the draw of `p`.

use rand::Rng;
use rand_distr::{Beta, Distribution, Triangular, Uniform};
use statrs::function::beta::checked_beta_reg;

use super::ParamError;

/// How a scenario describes the distribution of the response rate.
#[derive(Debug, Clone, PartialEq)]
pub enum RateSpec {
    /// Every trial uses this rate.
    Fixed(f64),
    /// Uniform on `[low, high)`.
    Uniform { low: f64, high: f64 },
    /// Triangular on `[low, high]` with its peak at `mode`.
    Triangular { low: f64, mode: f64, high: f64 },
    /// Beta distribution with this mean and standard deviation.
    BetaMeanSd { mean: f64, sd: f64 },
    /// 90% of trials between low and high: the 5th percentile is `low`, the 95th is `high`.
    BetaInterval90 { low: f64, high: f64 },
}

impl Default for RateSpec {
    /// Credit-rules §5 default: 90% of trials between 0.10 and 0.25.
    fn default() -> Self {
        RateSpec::BetaInterval90 {
            low: 0.10,
            high: 0.25,
        }
    }
}

/// A validated rate distribution, ready to draw from.
#[derive(Debug, Clone)]
pub struct RateSampler {
    dist: RateDist,
    mean: f64,
    beta_params: Option<(f64, f64)>,
}

// The rand_distr samplers are built once here, not per draw.
#[derive(Debug, Clone)]
enum RateDist {
    Fixed(f64),
    Uniform(Uniform<f64>),
    Triangular(Triangular<f64>),
    Beta(Beta<f64>),
}

/// Lowest and highest concentration `k = alpha + beta` the 90%-interval fit
/// searches. Below 1e-3 a beta is two point masses at 0 and 1 for any
/// purpose here; above 1e7 its sd is under ~1.6e-4, narrower than any rate
/// anyone can estimate, and statrs' incomplete beta loses accuracy (checked
/// against mpmath quadrature: relative error under 1e-8 at k = 1e7).
const K_MIN: f64 = 1e-3;
const K_MAX: f64 = 1e7;
/// The mean/sd form allows up to this concentration: beyond it the rate is
/// constant for all practical purposes and rand_distr's beta sampler starts
/// to run into overflow of `alpha + beta`.
const K_MAX_MEAN_SD: f64 = 1e10;
/// The 90%-interval fit must reproduce both CDF values to this tolerance:
/// statrs' incomplete beta is good to about 1e-8 (relative) at the largest
/// concentration, so a tighter one (it was 1e-11) refused fits right to
/// 1e-9 (`low = 0.999999, high = 0.9999999`) with a message that showed
/// them right. A percentile off by 1e-8 in probability moves no output.
const FIT_CDF_TOL: f64 = 1e-8;

impl RateSampler {
    /// Validates `spec` and prepares the sampler (fitting the beta forms).
    ///
    /// All rates must be finite and within `[0, 1]`; `low < high`;
    /// `low <= mode <= high`; `0 < mean < 1`; `sd > 0` and
    /// `sd^2 < mean*(1-mean)`; `0 < low < high < 1` for the interval.
    pub fn new(spec: &RateSpec) -> Result<Self, ParamError> {
        match *spec {
            RateSpec::Fixed(p) => {
                check_unit("rate", p)?;
                Ok(Self::plain(RateDist::Fixed(p), p))
            }
            RateSpec::Uniform { low, high } => {
                check_unit("low", low)?;
                check_unit("high", high)?;
                check_below("low", low, "high", high)?;
                let dist = Uniform::new(low, high).map_err(|e| {
                    ParamError::new("low", format!("uniform({low}, {high}) rejected: {e}"))
                })?;
                Ok(Self::plain(RateDist::Uniform(dist), 0.5 * (low + high)))
            }
            RateSpec::Triangular { low, mode, high } => {
                check_unit("low", low)?;
                check_unit("mode", mode)?;
                check_unit("high", high)?;
                check_below("low", low, "high", high)?;
                if !(low <= mode && mode <= high) {
                    return Err(ParamError::new(
                        "mode",
                        format!("mode {mode} is outside [low, high] = [{low}, {high}]"),
                    ));
                }
                let dist = Triangular::new(low, high, mode).map_err(|e| {
                    ParamError::new("mode", format!("triangular({low}, {mode}, {high}): {e}"))
                })?;
                let mean = (low + mode + high) / 3.0;
                Ok(Self::plain(RateDist::Triangular(dist), mean))
            }
            RateSpec::BetaMeanSd { mean, sd } => {
                let (alpha, beta) = beta_from_mean_sd(mean, sd)?;
                Self::beta(alpha, beta, "sd")
            }
            RateSpec::BetaInterval90 { low, high } => {
                let (alpha, beta) = fit_beta_interval90(low, high)?;
                Self::beta(alpha, beta, "low")
            }
        }
    }

    fn plain(dist: RateDist, mean: f64) -> Self {
        Self {
            dist,
            mean,
            beta_params: None,
        }
    }

    fn beta(alpha: f64, beta: f64, param: &'static str) -> Result<Self, ParamError> {
        let dist = Beta::new(alpha, beta)
            .map_err(|e| ParamError::new(param, format!("beta({alpha}, {beta}) rejected: {e}")))?;
        Ok(Self {
            dist: RateDist::Beta(dist),
            mean: alpha / (alpha + beta),
            beta_params: Some((alpha, beta)),
        })
    }

    /// Draws one rate, always within `[0, 1]`. `Fixed` consumes no random
    /// numbers; the others consume what rand_distr needs (beta uses
    /// rejection sampling, so a variable number).
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        let p = match &self.dist {
            RateDist::Fixed(p) => *p,
            RateDist::Uniform(d) => d.sample(rng),
            RateDist::Triangular(d) => d.sample(rng),
            RateDist::Beta(d) => d.sample(rng),
        };
        // Guards the [0, 1] promise against rounding at the ends (e.g.
        // triangular) and extreme beta shapes. Validated parameters are not
        // known to give NaN; if one ever did, the mean is the least bad answer.
        if p.is_nan() {
            self.mean
        } else {
            p.clamp(0.0, 1.0)
        }
    }

    /// The exact mean of the distribution.
    pub fn mean(&self) -> f64 {
        self.mean
    }

    /// `(alpha, beta)` for the two beta forms, `None` otherwise.
    pub fn beta_params(&self) -> Option<(f64, f64)> {
        self.beta_params
    }
}

fn check_unit(param: &'static str, v: f64) -> Result<(), ParamError> {
    if (0.0..=1.0).contains(&v) {
        Ok(())
    } else {
        Err(ParamError::new(
            param,
            format!("{param} {v} is outside [0, 1]: rates are probabilities"),
        ))
    }
}

/// A value in a message: as written for ordinary numbers, in exponent
/// form far from 1 (`1e-300` printed plainly is 300 digits).
fn shown(v: f64) -> String {
    if v != 0.0 && (v.abs() < 1e-4 || v.abs() >= 1e9) {
        format!("{v:e}")
    } else {
        v.to_string()
    }
}

fn check_open_unit(param: &'static str, v: f64) -> Result<(), ParamError> {
    if v > 0.0 && v < 1.0 {
        Ok(())
    } else {
        Err(ParamError::new(
            param,
            format!(
                "{param} {} must be strictly between 0 and 1 for a beta distribution",
                shown(v)
            ),
        ))
    }
}

fn check_below(
    lo_name: &'static str,
    lo: f64,
    hi_name: &'static str,
    hi: f64,
) -> Result<(), ParamError> {
    if lo < hi {
        Ok(())
    } else {
        Err(ParamError::new(
            lo_name,
            format!(
                "{lo_name} {} must be below {hi_name} {}",
                shown(lo),
                shown(hi)
            ),
        ))
    }
}

/// The prior of a rate learned from counts, in `calibrate` and in a
/// scenario's `rate = { sent, responded }`: Jeffreys' Beta(1/2, 1/2), the
/// usual reference prior for a proportion, with good frequentist coverage
/// even on small samples (Brown, Cai and DasGupta 2001), and worth one
/// InMail of information.
pub const PRIOR_ALPHA: f64 = 0.5;
pub const PRIOR_BETA: f64 = 0.5;

/// The most InMails a `sent` count may say: the posterior's concentration
/// stays far below the mean/sd form's limit.
pub const MAX_SENT: u64 = 1_000_000_000;

/// The posterior Beta(alpha, beta) of a rate after `responded` answers
/// out of `sent` InMails (`responded <= sent`), under the prior above.
pub fn beta_from_counts(sent: f64, responded: f64) -> (f64, f64) {
    (responded + PRIOR_ALPHA, sent - responded + PRIOR_BETA)
}

/// That posterior as the scenario's `mean`/`sd` form, which gives the same
/// beta back (method of moments, [`RateSampler::new`]).
pub fn spec_from_counts(sent: u64, responded: u64) -> RateSpec {
    let (a, b) = beta_from_counts(sent as f64, responded as f64);
    RateSpec::BetaMeanSd {
        mean: a / (a + b),
        sd: (a * b / ((a + b).powi(2) * (a + b + 1.0))).sqrt(),
    }
}

/// Method of moments: `alpha = m*k`, `beta = (1-m)*k` with
/// `k = m(1-m)/sd^2 - 1`, which is positive iff `sd^2 < m(1-m)`.
fn beta_from_mean_sd(mean: f64, sd: f64) -> Result<(f64, f64), ParamError> {
    check_open_unit("mean", mean)?;
    if !(sd > 0.0 && sd.is_finite()) {
        return Err(ParamError::new(
            "sd",
            format!("sd {} must be a positive number", shown(sd)),
        ));
    }
    let max_var = mean * (1.0 - mean);
    let k = max_var / (sd * sd) - 1.0;
    let (alpha, beta) = (mean * k, (1.0 - mean) * k);
    if !(alpha > 0.0 && beta > 0.0) {
        return Err(ParamError::new(
            "sd",
            format!(
                "sd {} is too large for mean {}: a beta distribution needs \
                 sd < sqrt(mean*(1-mean)) = {:.3}",
                shown(sd),
                shown(mean),
                max_var.sqrt()
            ),
        ));
    }
    if k > K_MAX_MEAN_SD {
        return Err(ParamError::new(
            "sd",
            format!(
                "sd {} is too small for mean {}: a beta distribution needs \
                 sd >= {:.3e} (concentration <= {K_MAX_MEAN_SD:e}); use a fixed rate instead",
                shown(sd),
                shown(mean),
                (max_var / (K_MAX_MEAN_SD + 1.0)).sqrt()
            ),
        ));
    }
    Ok((alpha, beta))
}

/// CDF of beta(m*k, (1-m)*k) at `x`; NaN where statrs refuses (the
/// bisections then fail the final residual check instead of panicking).
fn beta_cdf_mk(m: f64, k: f64, x: f64) -> f64 {
    checked_beta_reg(m * k, (1.0 - m) * k, x).unwrap_or(f64::NAN)
}

/// Bisects on `[lo, hi]` for the point where `below(mid)` switches from true
/// to false, to full f64 resolution; `below` must be true at `lo`'s side.
fn bisect(mut lo: f64, mut hi: f64, below: impl Fn(f64) -> bool) -> f64 {
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if below(mid) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// For concentration `k`, the mean `m` at which CDF(low) = 0.05. With `k`
/// fixed, raising `m` raises alpha and lowers beta, so the distribution is
/// stochastically larger and CDF(low) falls: monotone (checked in tests).
fn mean_for_low(low: f64, k: f64) -> f64 {
    bisect(0.0, 1.0, |m| beta_cdf_mk(m, k, low) > 0.05)
}

/// CDF(high) once the 5th percentile is pinned at `low`. It rises with `k`:
/// a more concentrated beta with the same 5th percentile has a lower 95th
/// (from 0.05 as k -> 0, two point masses, to 1 as k -> inf; checked in tests).
fn cdf_high_at(low: f64, high: f64, k: f64) -> (f64, f64) {
    let m = mean_for_low(low, k);
    (m, beta_cdf_mk(m, k, high))
}

/// Finds `(alpha, beta)` with CDF(low) = 0.05 and CDF(high) = 0.95 by two
/// nested one-dimensional bisections (mean inside, log-concentration
/// outside), which cannot diverge the way a 2-D Newton iteration can.
pub fn fit_beta_interval90(low: f64, high: f64) -> Result<(f64, f64), ParamError> {
    check_open_unit("low", low)?;
    check_open_unit("high", high)?;
    check_below("low", low, "high", high)?;
    let fail = |why: &str| {
        ParamError::new(
            "low",
            format!(
                "interval low {} .. high {}: no beta distribution has its 5th \
                 percentile at low and its 95th at high ({why}); allowed: \
                 0 < low < high < 1 with a beta concentration alpha+beta in \
                 [{K_MIN:e}, {K_MAX:e}]",
                shown(low),
                shown(high)
            ),
        )
    };
    // NaN means statrs refused: no bracket, so no fit.
    let at_min = cdf_high_at(low, high, K_MIN).1;
    if at_min.is_nan() || at_min >= 0.95 {
        return Err(fail("the interval is too wide"));
    }
    let at_max = cdf_high_at(low, high, K_MAX).1;
    if at_max.is_nan() || at_max <= 0.95 {
        return Err(fail(
            "the interval is too narrow: it would need alpha+beta above the maximum; \
             widen it or use a fixed rate",
        ));
    }
    let ln_k = bisect(K_MIN.ln(), K_MAX.ln(), |t| {
        cdf_high_at(low, high, t.exp()).1 < 0.95
    });
    let k = ln_k.exp();
    let (m, cdf_high) = cdf_high_at(low, high, k);
    let cdf_low = beta_cdf_mk(m, k, low);
    if !((cdf_low - 0.05).abs() <= FIT_CDF_TOL && (cdf_high - 0.95).abs() <= FIT_CDF_TOL) {
        return Err(fail(&format!(
            "the closest fit has CDF(low) = {cdf_low}, CDF(high) = {cdf_high}"
        )));
    }
    Ok((m * k, (1.0 - m) * k))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};
    use rand_xoshiro::Xoshiro256PlusPlus;
    use statrs::function::beta::beta_reg;

    fn rng(seed: u64) -> Xoshiro256PlusPlus {
        Xoshiro256PlusPlus::seed_from_u64(seed)
    }
    fn uni(low: f64, high: f64) -> RateSpec {
        RateSpec::Uniform { low, high }
    }
    fn tri(low: f64, mode: f64, high: f64) -> RateSpec {
        RateSpec::Triangular { low, mode, high }
    }
    fn msd(mean: f64, sd: f64) -> RateSpec {
        RateSpec::BetaMeanSd { mean, sd }
    }
    fn i90(low: f64, high: f64) -> RateSpec {
        RateSpec::BetaInterval90 { low, high }
    }

    /// The sample mean of 200_000 draws must lie within 4 standard errors
    /// of the exact mean (a chance failure has probability ~6e-5).
    fn check_mean(spec: RateSpec, variance: f64, seed: u64) {
        let s = RateSampler::new(&spec).unwrap();
        let mut r = rng(seed);
        let n = 200_000;
        let mut sum = 0.0;
        for _ in 0..n {
            let p = s.sample(&mut r);
            assert!((0.0..=1.0).contains(&p), "{spec:?} drew {p}");
            sum += p;
        }
        let se = (variance / f64::from(n)).sqrt();
        let dev = sum / f64::from(n) - s.mean();
        assert!(dev.abs() <= 4.0 * se, "{spec:?}: off by {dev}, se {se}");
    }

    fn beta_var(s: &RateSampler) -> f64 {
        let (a, b) = s.beta_params().unwrap();
        a * b / ((a + b) * (a + b) * (a + b + 1.0))
    }

    fn quantile(a: f64, b: f64, q: f64) -> f64 {
        bisect(0.0, 1.0, |x| beta_reg(a, b, x) < q)
    }

    #[test]
    fn fixed_returns_value_and_consumes_nothing() {
        let s = RateSampler::new(&RateSpec::Fixed(0.17)).unwrap();
        let (mut a, mut b) = (rng(1), rng(1));
        assert_eq!(s.sample(&mut a), 0.17);
        assert_eq!((s.mean(), s.beta_params()), (0.17, None));
        assert_eq!(a.random::<u64>(), b.random::<u64>());
    }

    #[test]
    fn sample_means_match_exact_means() {
        let (l, m, h) = (0.05, 0.12, 0.30);
        check_mean(uni(l, h), (h - l).powi(2) / 12.0, 2);
        let tri_var = (l * l + m * m + h * h - l * m - l * h - m * h) / 18.0;
        check_mean(tri(l, m, h), tri_var, 3);
        check_mean(tri(l, l, h), (l * l + h * h - l * h) / 18.0, 4);
        for (spec, seed) in [
            (msd(0.15, 0.05), 5),
            (msd(0.3, 0.45), 6),
            (i90(0.1, 0.25), 7),
        ] {
            let var = beta_var(&RateSampler::new(&spec).unwrap());
            check_mean(spec, var, seed);
        }
    }

    #[test]
    fn beta_mean_sd_method_of_moments() {
        // k = 0.15*0.85/0.05^2 - 1 = 50.
        let s = RateSampler::new(&msd(0.15, 0.05)).unwrap();
        let (a, b) = s.beta_params().unwrap();
        assert!(
            (a - 7.5).abs() < 1e-12 && (b - 42.5).abs() < 1e-12,
            "{a} {b}"
        );
        assert!((s.mean() - 0.15).abs() < 1e-15);
    }

    #[test]
    fn default_interval_fit_reproduces_quantiles() {
        let s = RateSampler::new(&RateSpec::default()).unwrap();
        let (a, b) = s.beta_params().unwrap();
        assert!((quantile(a, b, 0.05) - 0.10).abs() < 1e-8);
        assert!((quantile(a, b, 0.95) - 0.25).abs() < 1e-8);
        // Cross-checked against mpmath: I_0.10 = 0.05, I_0.25 = 0.95 to 5e-15.
        assert!((a - 11.175_328_667_509_95).abs() < 1e-6, "alpha {a}");
        assert!((b - 54.843_906_149_369_03).abs() < 1e-6, "beta {b}");
    }

    #[test]
    fn interval_fits_reproduce_quantiles_to_1e_9() {
        let cases = [
            (0.1, 0.25),
            (0.01, 0.02),
            (0.4, 0.6),
            (0.001, 0.999),
            (1e-6, 0.5),
        ];
        for (low, high) in cases.into_iter().chain([(0.5, 0.999_999), (0.15, 0.16)]) {
            let (a, b) = RateSampler::new(&i90(low, high))
                .unwrap()
                .beta_params()
                .unwrap();
            let (q05, q95) = (quantile(a, b, 0.05), quantile(a, b, 0.95));
            assert!((q05 - low).abs() < 1e-9, "{low}..{high}: q05 {q05}");
            assert!((q95 - high).abs() < 1e-9, "{low}..{high}: q95 {q95}");
        }
    }

    #[test]
    fn cdf_at_low_falls_with_mean_for_fixed_k() {
        for k in [1e-3, 0.1, 1.0, 10.0, 65.0, 1e3, 1e5, 1e7] {
            for low in [1e-4, 0.1, 0.5, 0.9] {
                let mut prev = f64::INFINITY;
                for i in 1..200 {
                    let c = beta_cdf_mk(f64::from(i) / 200.0, k, low);
                    assert!(c <= prev, "k {k} low {low} m {i}/200: {c} > {prev}");
                    prev = c;
                }
            }
        }
    }

    #[test]
    fn cdf_at_high_rises_with_k_once_low_is_pinned() {
        for (low, high) in [(0.1, 0.25), (0.001, 0.999), (0.5, 0.9), (0.01, 0.02)] {
            let mut prev = 0.0;
            for i in 0..=100 {
                let k = (K_MIN.ln() + (K_MAX / K_MIN).ln() * f64::from(i) / 100.0).exp();
                let c = cdf_high_at(low, high, k).1;
                assert!(c >= prev - 1e-12, "{low}..{high} k {k}: {c} < {prev}");
                prev = c;
            }
        }
    }

    fn err(spec: RateSpec) -> ParamError {
        match RateSampler::new(&spec) {
            Ok(s) => panic!("{spec:?} accepted: {s:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn constructor_errors_name_parameter_and_value() {
        let (nan, inf) = (f64::NAN, f64::INFINITY);
        let cases = [
            (RateSpec::Fixed(1.5), "rate", "rate 1.5 "),
            (RateSpec::Fixed(-0.1), "rate", "rate -0.1 "),
            (RateSpec::Fixed(nan), "rate", "rate NaN "),
            (uni(0.3, 0.2), "low", "low 0.3 must be below high 0.2"),
            (uni(0.2, 0.2), "low", "low 0.2 must be below high 0.2"),
            (uni(0.1, inf), "high", "high inf "),
            (tri(0.1, 0.5, 0.3), "mode", "mode 0.5 "),
            (tri(0.1, nan, 0.3), "mode", "mode NaN "),
            (tri(0.4, 0.4, 0.3), "low", "low 0.4 "),
            (msd(0.0, 0.1), "mean", "mean 0 "),
            (msd(1.2, 0.1), "mean", "mean 1.2 "),
            (msd(0.15, 0.0), "sd", "sd 0 "),
            (msd(0.15, -0.1), "sd", "sd -0.1 "),
            (msd(0.15, nan), "sd", "sd NaN "),
            (msd(0.15, 1e-9), "sd", "sd 1e-9 is too small"),
            (i90(0.0, 0.2), "low", "low 0 "),
            (i90(0.1, 1.0), "high", "high 1 "),
            (i90(0.25, 0.1), "low", "low 0.25 must be below"),
            (i90(-inf, 0.1), "low", "low -inf "),
        ];
        for (spec, param, text) in cases {
            let e = err(spec.clone());
            assert_eq!(e.param(), param, "{spec:?}: {e}");
            assert!(e.to_string().starts_with(text), "{spec:?}: {e}");
        }
        assert_eq!(
            err(msd(0.15, 0.4)).to_string(),
            "sd 0.4 is too large for mean 0.15: a beta distribution needs \
             sd < sqrt(mean*(1-mean)) = 0.357"
        );
    }

    #[test]
    fn too_narrow_interval_is_an_error_naming_it() {
        let msg = err(i90(0.15, 0.1501)).to_string();
        assert!(msg.contains("low 0.15 .. high 0.1501"), "{msg}");
        assert!(msg.contains("too narrow"), "{msg}");
    }

    #[test]
    fn extreme_accepted_parameters_sample_inside_unit_interval() {
        let specs = [msd(0.5, 0.499_999_999), msd(1e-9, 1e-5), msd(0.999, 1e-6)];
        let more = [i90(1e-9, 0.999_999), uni(0.0, 1.0), tri(0.0, 1.0, 1.0)];
        let mut r = rng(9);
        for spec in specs.into_iter().chain(more) {
            let s = RateSampler::new(&spec).unwrap();
            for _ in 0..10_000 {
                let p = s.sample(&mut r);
                assert!((0.0..=1.0).contains(&p), "{spec:?} drew {p}");
            }
        }
    }

    /// Pins the random stream so seeded output files stay reproducible
    /// across refactors: a change in how draws are made fails this. The
    /// 1e-12 slack only absorbs last-bit differences in libm or in the fit.
    #[test]
    fn default_beta_stream_is_stable() {
        let s = RateSampler::new(&RateSpec::default()).unwrap();
        let mut r = rng(42);
        let pinned = [
            0.223_831_095_869_572_45,
            0.218_487_387_885_417_13,
            0.114_334_610_090_338_68,
        ];
        for want in pinned {
            let got = s.sample(&mut r);
            assert!((got - want).abs() < 1e-12, "got {got}, pinned {want}");
        }
    }
}
