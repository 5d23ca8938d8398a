//! The censored fit of the reply rate `p` and the reply delay (issue 20).
//!
//! Model: each InMail is answered with probability `p`, after a continuous
//! delay `X` with distribution `F`, seen as the whole day
//! `D = max(1, ceil(X))` (credit-rules §4c). So an answer on day `d` says
//! `X` lies in `(d − 1, d]`: it is interval-censored, and contributes
//! `p · (F(d) − F(d − 1))` to the likelihood (the issue's `p·f(d)` on
//! whole days). An InMail `t ≥ 1` days old with no answer contributes
//! `(1 − p) + p · (1 − F(t))`: it is not a failure, only not answered so
//! far. With an answer window `W` (`--window`) an answer after it counts
//! as none, so `p` is the chance of an answer within `W` and `F` the
//! lognormal cut at `W` (see `model`): each `F` above is `F(x) / F(W)`.
//! `F` is lognormal; `p`, `mu` and `sigma` are fitted jointly by
//! maximum likelihood: for each `(mu, ln sigma)`, the best `p` solves a
//! one-dimensional concave problem exactly ([`best_p`]), and Nelder–Mead
//! searches `(mu, ln sigma)` on that profile.
//!
//! The 90% interval for `p` is the profile-likelihood interval
//! (`interval`): it follows the likelihood's own, often skewed shape, where
//! a normal approximation covered the truth in only ~86% of two-week-old
//! histories. As a scenario's `rate` it becomes the beta with the same 5th
//! and 95th percentiles (`src/sampling/rate.rs` fits it), so a run draws
//! rates the data allow. Where every InMail is old enough, the likelihood
//! is the binomial one, and the interval is close to the Jeffreys
//! posterior's, Beta(answered + ½, unanswered + ½), the prior a scenario's
//! `rate = { sent, responded }` states. Coverage is checked on synthetic
//! histories in the tests (tests/statistics/calibrate.rs).

use statrs::function::beta::beta_reg;

use super::history::History;
use super::interval::profile_interval;
use super::model::{Counts, LN_SIGMA_RANGE, MU_RANGE, log_likelihood};
pub use super::model::{LogNormalFit, normal_quantile};
use super::optimise::{decreasing_root, hessian, inverse_spd3, nelder_mead};
use super::table::{EmpiricalDelay, empirical_delay};
use crate::sampling::rate::{PRIOR_ALPHA, PRIOR_BETA, beta_from_counts, fit_beta_interval90};

/// The fit of one history.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    /// InMails that can say something (answered, or at least a day old).
    pub messages: usize,
    pub answered: usize,
    /// The longest any InMail has been followed: the oldest one's age in
    /// days, at most the window (`History::within`). An answer can only
    /// have been seen this many days after its send.
    pub followed_days: u32,
    pub rate: RateFit,
    pub delay: LogNormalFit,
    pub table: EmpiricalDelay,
    pub declines: Option<DeclinesFit>,
}

/// How much further above the estimate than below it, on the log-odds
/// scale, the rate's 90% interval may reach before the data are said not
/// to bound the rate from above (see [`Fit::rate_unbounded_above`]). A
/// binomial interval is nearly symmetric there: on final histories (every
/// InMail older than the window) of 10 to 1,000 InMails at rates of 2% to
/// 90% the ratio was 0.6 to 1.7, the most for 19 answers in 20. On young
/// histories (300 InMails of the last 7 to 14 days, true rate 17%) it
/// reached 2 to 5, and above 2 the estimate itself ran high and the beta
/// matched to the interval higher still: 27.5% (13.2%–80.0%, ratio 2.6)
/// became a beta with mean 45.5% (true rate 17%), and `solve` on the
/// written scenario answered 2.67 InMails a workday for a 5% chance that
/// a month runs out, where at the true rate that volume runs out in 13%
/// (an independent check, fifteenth session). The limit was 3 until then.
pub const SKEW_LIMIT: f64 = 2.0;

/// How many times the history's span ([`Fit::followed_days`]) the fitted
/// delay's median may be before the data are said not to tell the delay
/// (see [`Fit::delay_untold`]). On 61 synthetic histories of 300 InMails
/// sent over the last 14 days (true rate 17%, median 2.5 days, p90 15),
/// the fitted medians were at most 1.3 times the span, or 8 times and more
/// (months to years, at up to three times the true rate).
pub const DELAY_SPAN_LIMIT: f64 = 4.0;

impl Fit {
    /// Whether the data leave the rate (all but) unbounded from above. On
    /// a young history a higher rate with slower replies explains the
    /// pending InMails almost as well, so the likelihood stays nearly flat
    /// towards 1, and the beta matched to the interval's ends puts its mass
    /// far above the estimate (Beta(0.73, 0.21), mean 78%, for an estimate
    /// of 16% with an interval of 10%–100%): no rate to plan with. Said of
    /// an interval that reaches 100% (or an estimate of 100%), or that
    /// reaches more than [`SKEW_LIMIT`] times as far above the estimate as
    /// below it on the log-odds scale; never when every InMail was answered
    /// (then the data themselves put the rate near 1). 199 answers of 200
    /// old InMails (99.5%, interval about 98%–99.9%) are bounded.
    pub fn rate_unbounded_above(&self) -> bool {
        let r = &self.rate;
        if self.answered >= self.messages {
            return false;
        }
        // 1 itself: the interval's end where the profile never drops (the
        // fit matches a beta a millionth inside), or an estimate of 1 with
        // InMails unanswered (their silence put down to slowness).
        let one = 1.0 - 1e-9;
        if r.high90 >= one || r.p_hat >= one {
            return true;
        }
        let logit = |p: f64| (p / (1.0 - p)).ln();
        // An estimate outside its interval (the effective-sample beta of a
        // fit whose interval reaches 0) counts as on the interval's end.
        let above = logit(r.high90) - logit(r.p_hat);
        let below = logit(r.p_hat) - logit(r.low90);
        // A NaN anywhere says "unbounded", never "write it" (checked before
        // `max`, which would turn it into 0).
        above.is_nan() || below.is_nan() || above.max(0.0) > SKEW_LIMIT * below.max(0.0)
    }

    /// Whether the data cannot tell the reply delay: no InMail has been
    /// followed for the whole window, and the fitted median is more than
    /// [`DELAY_SPAN_LIMIT`] times the days the oldest one has been. The
    /// joint fit of rate and delay is then all but unidentified: slow
    /// replies at a high rate explain "few replies yet" as well as quick
    /// ones at a low rate, and the search runs off towards the slow end
    /// (300 InMails of the last 14 days, true rate 17% and median a few
    /// days, gave a rate of 35% and a median of 3,641 days, the bound of
    /// the search). The profile interval does not show it: it refits the
    /// delay at each rate, and stays nearly symmetric. Never said once an
    /// InMail has been followed for the whole window: its silence is final,
    /// and those InMails bound the rate whatever the delay beyond them.
    pub fn delay_untold(&self) -> bool {
        let span = f64::from(self.followed_days.max(1));
        let whole_window = self.delay.window.is_some_and(|w| span >= w);
        let median = self.delay.median();
        // A NaN median says "untold", never "write it".
        !whole_window && (median.is_nan() || median > DELAY_SPAN_LIMIT * span)
    }
}

/// The reply rate: estimate, interval and the beta that carries it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateFit {
    /// Maximum-likelihood estimate with censoring.
    pub p_hat: f64,
    /// Answered over all InMails: what treating "not yet" as "never" gives.
    pub naive: f64,
    /// The effective binomial sample behind the interval.
    pub n_eff: f64,
    /// The beta with the 90% interval, Beta(alpha, beta).
    pub alpha: f64,
    pub beta: f64,
    /// Its 5th and 95th percentiles: the 90% interval.
    pub low90: f64,
    pub high90: f64,
}

impl RateFit {
    pub fn mean(&self) -> f64 {
        self.alpha / (self.alpha + self.beta)
    }

    pub fn sd(&self) -> f64 {
        let (a, b) = (self.alpha, self.beta);
        (a * b / ((a + b).powi(2) * (a + b + 1.0))).sqrt()
    }
}

/// The share of responses that are declines, among those with a known outcome.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DeclinesFit {
    pub known: usize,
    pub declined: usize,
    pub share: f64,
    /// Jeffreys 90% interval.
    pub low90: f64,
    pub high90: f64,
}

/// Why a history cannot be fitted.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FitError {
    #[error(
        "{} answered: a reply delay cannot be \
         fitted, and the reply rate is only known to be low (below {}: the top \
         of its 90% interval if every InMail were old enough to have been answered)",
        none_of(*messages),
        super::summary::percent(*upper)
    )]
    NoResponses {
        messages: usize,
        /// The bound, as a share.
        upper: f64,
    },
}

/// "none of the 3 InMails old enough has been", "the 1 InMail old enough
/// has not been".
fn none_of(messages: usize) -> String {
    if messages == 1 {
        "the 1 InMail old enough has not been".to_string()
    } else {
        format!(
            "none of the {} InMails old enough has been",
            crate::numbers::grouped(messages as u64)
        )
    }
}

/// The `p` that maximises the likelihood for a given delay: the root of
/// `A/p − Σ n_t F(t) / (1 − p F(t))`, which decreases in `p` (the
/// log-likelihood is concave in `p`); 1 when it is still positive there.
fn best_p(c: &Counts, mu: f64, sigma: f64) -> f64 {
    let ln_within = c.ln_within(mu, sigma);
    let f: Vec<(f64, f64)> = c
        .pending
        .iter()
        .map(|&(t, n)| (n, c.answered_by(t, mu, sigma, ln_within)))
        .collect();
    let a = c.n_answered;
    let g = |p: f64| a / p - f.iter().map(|&(n, f)| n * f / (1.0 - p * f)).sum::<f64>();
    let dg = |p: f64| {
        -a / (p * p)
            - f.iter()
                .map(|&(n, f)| n * f * f / (1.0 - p * f).powi(2))
                .sum::<f64>()
    };
    let top = 1.0 - 1e-12;
    if g(top) >= 0.0 {
        return 1.0;
    }
    decreasing_root(g, dg, 1e-300, top)
}

/// Fits a history. Needs at least one answered InMail (else the delay is
/// unknown and the rate only bounded above).
pub fn fit(history: &History) -> Result<Fit, FitError> {
    let c = Counts::new(history);
    let messages = history.messages.len();
    if c.n_answered == 0.0 {
        // Jeffreys upper 95% bound on 0 out of n, as if all were old enough.
        let n = messages as f64;
        let upper = beta_quantile(0.5, n + 0.5, 0.95);
        return Err(FitError::NoResponses { messages, upper });
    }
    let delay = fit_lognormal(&c);
    let p_hat = best_p(&c, delay.mu, delay.sigma);
    let (_, cov) = covariance(&c, p_hat, delay);
    let delay = LogNormalFit { cov, ..delay };
    let rate = rate_fit(&c, p_hat, &delay, messages);
    let table = empirical_delay(&c, p_hat, &delay);
    Ok(Fit {
        messages,
        answered: c.n_answered as usize,
        followed_days: history.messages.iter().map(|m| m.age).max().unwrap_or(0),
        rate,
        delay,
        table,
        declines: declines(history),
    })
}

/// Nelder–Mead on the profile likelihood of `(mu, ln sigma)`, started from
/// the answered delays' log-mean and log-sd (biased short on young
/// histories: the search corrects that).
fn fit_lognormal(c: &Counts) -> LogNormalFit {
    let logs: Vec<(f64, f64)> = c
        .answered
        .iter()
        .map(|&(d, n)| ((f64::from(d) - 0.5).ln(), n))
        .collect();
    let mean = logs.iter().map(|(x, n)| x * n).sum::<f64>() / c.n_answered;
    let var = logs
        .iter()
        .map(|(x, n)| n * (x - mean).powi(2))
        .sum::<f64>()
        / c.n_answered;
    let start = [
        mean.clamp(MU_RANGE.0, MU_RANGE.1),
        (var.sqrt().max(0.3))
            .ln()
            .clamp(LN_SIGMA_RANGE.0, LN_SIGMA_RANGE.1),
    ];
    let objective = |x: &[f64; 2]| {
        let inside = (MU_RANGE.0..=MU_RANGE.1).contains(&x[0])
            && (LN_SIGMA_RANGE.0..=LN_SIGMA_RANGE.1).contains(&x[1]);
        if !inside {
            return f64::INFINITY;
        }
        let sigma = x[1].exp();
        -log_likelihood(c, best_p(c, x[0], sigma), x[0], sigma)
    };
    let (x, _) = nelder_mead(objective, start, [0.5, 0.3]);
    LogNormalFit {
        mu: x[0],
        sigma: x[1].exp(),
        cov: None,
        window: c.window.map(f64::from),
    }
}

/// `var(p̂)` and the covariance of `(mu, ln sigma)` from the inverse of the
/// observed information (the Hessian of −log-likelihood in `(p, mu, ln
/// sigma)`); `(NaN, None)` when `p̂` is on a bound or the matrix is not
/// positive definite.
fn covariance(c: &Counts, p: f64, d: LogNormalFit) -> (f64, Option<[[f64; 2]; 2]>) {
    let edge = p.min(1.0 - p);
    if edge <= 1e-9 {
        return (f64::NAN, None);
    }
    let f = |x: &[f64; 3]| -log_likelihood(c, x[0], x[1], x[2].exp());
    let h = hessian(f, [p, d.mu, d.sigma.ln()], [1e-3 * edge, 1e-3, 1e-3]);
    match inverse_spd3(h) {
        Some(inv) => (
            inv[0][0],
            Some([[inv[1][1], inv[1][2]], [inv[2][1], inv[2][2]]]),
        ),
        None => (f64::NAN, None),
    }
}

/// The rate's interval and beta (see the module doc): the profile
/// interval, and the beta with the same 5th and 95th percentiles. When no
/// beta has them (an end at 0 or 1: the data do not bound the rate there),
/// the Jeffreys posterior on the effective sample `Σ F̂(age)` instead:
/// every InMail weighted by the chance that a responder would have
/// answered it by now.
fn rate_fit(c: &Counts, p_hat: f64, delay: &LogNormalFit, messages: usize) -> RateFit {
    let n = messages as f64;
    let top = log_likelihood(c, p_hat, delay.mu, delay.sigma);
    let (low, high) = profile_interval(c, p_hat, [delay.mu, delay.sigma.ln()], top);
    // An end at 0 or 1 (the data do not bound the rate there) is matched a
    // millionth inside.
    let edge = 1e-6;
    let (alpha, beta, low90, high90) =
        match fit_beta_interval90(low.max(edge), high.min(1.0 - edge)) {
            Ok((a, b)) => (a, b, low, high),
            Err(_) => {
                let exposure: f64 = c
                    .ages
                    .iter()
                    .map(|&(t, k)| k * delay.cdf(f64::from(t).max(1.0)))
                    .sum::<f64>()
                    .min(n);
                let (a, b) = beta_from_counts(exposure, p_hat * exposure);
                (a, b, beta_quantile(a, b, 0.05), beta_quantile(a, b, 0.95))
            }
        };
    RateFit {
        p_hat,
        naive: c.n_answered / n,
        n_eff: alpha + beta - PRIOR_ALPHA - PRIOR_BETA,
        alpha,
        beta,
        low90,
        high90,
    }
}

/// The `q` quantile of Beta(a, b), by bisection to full precision.
pub fn beta_quantile(a: f64, b: f64, q: f64) -> f64 {
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if beta_reg(a, b, mid) < q {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

fn declines(history: &History) -> Option<DeclinesFit> {
    let known: Vec<bool> = history.messages.iter().filter_map(|m| m.declined).collect();
    if known.is_empty() {
        return None;
    }
    let declined = known.iter().filter(|&&d| d).count();
    let (a, b) = beta_from_counts(known.len() as f64, declined as f64);
    // Jeffreys, with Brown, Cai and DasGupta's (2001) ends: 0 below when
    // none declined and 1 above when all did, so that the interval always
    // holds the estimate (0 of 1 read "0.0%, 90% interval 0.2%-77.1%").
    Some(DeclinesFit {
        known: known.len(),
        declined,
        share: declined as f64 / known.len() as f64,
        low90: if declined == 0 {
            0.0
        } else {
            beta_quantile(a, b, 0.05)
        },
        high90: if declined == known.len() {
            1.0
        } else {
            beta_quantile(a, b, 0.95)
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Date;
    use crate::calibrate::history::Message;
    use crate::calibrate::synthetic::{SyntheticSpec, generate, to_history};
    use crate::sampling::delay::Z_090;
    use statrs::function::erf::erfc;

    fn history(messages: &[(u32, Option<u32>, Option<bool>)]) -> History {
        let day = Date::parse("2026-06-01").unwrap();
        History {
            as_of: day,
            first_sent: day,
            last_sent: day,
            messages: messages
                .iter()
                .map(|&(age, delay, declined)| Message {
                    age,
                    delay,
                    declined,
                })
                .collect(),
            too_young: 0,
            seats: None,
            window: None,
        }
    }

    fn phi(z: f64) -> f64 {
        0.5 * erfc(-z / std::f64::consts::SQRT_2)
    }

    #[test]
    fn the_likelihood_is_the_issues_censored_product_on_whole_days() {
        // Answered after 1 and 3 days; unanswered at 2 and 10 days old.
        let h = history(&[
            (5, Some(1), None),
            (7, Some(3), None),
            (2, None, None),
            (10, None, None),
        ]);
        let c = Counts::new(&h);
        let (p, mu, sigma) = (0.3, 0.7, 1.1);
        let f = |x: f64| {
            if x <= 0.0 {
                0.0
            } else {
                phi((x.ln() - mu) / sigma)
            }
        };
        let by_hand = (p * f(1.0)).ln()
            + (p * (f(3.0) - f(2.0))).ln()
            + ((1.0 - p) + p * (1.0 - f(2.0))).ln()
            + ((1.0 - p) + p * (1.0 - f(10.0))).ln();
        let got = log_likelihood(&c, p, mu, sigma);
        assert!((got - by_hand).abs() < 1e-12, "{got} vs {by_hand}");
    }

    #[test]
    fn the_profiled_rate_is_the_best_on_a_fine_grid() {
        let h = history(&[
            (5, Some(1), None),
            (7, Some(3), None),
            (2, None, None),
            (10, None, None),
            (1, None, None),
        ]);
        let c = Counts::new(&h);
        let (mu, sigma) = (1.0, 0.8);
        let p = best_p(&c, mu, sigma);
        let at_p = log_likelihood(&c, p, mu, sigma);
        for k in 1..1000 {
            let q = f64::from(k) / 1000.0;
            assert!(
                log_likelihood(&c, q, mu, sigma) <= at_p + 1e-12,
                "p {p}, q {q}"
            );
        }
    }

    #[test]
    fn every_old_message_answered_puts_the_rate_at_one_with_a_sane_interval() {
        let h = history(&[
            (30, Some(1), None),
            (30, Some(2), None),
            (40, Some(4), None),
        ]);
        let f = fit(&h).unwrap();
        assert_eq!(f.rate.p_hat, 1.0);
        assert!(
            f.rate.low90 > 0.3 && f.rate.low90 < f.rate.high90 && f.rate.high90 <= 1.0,
            "{:?}",
            f.rate
        );
    }

    #[test]
    fn no_answer_at_all_is_an_error_with_an_upper_bound() {
        let h = history(&[(30, None, None); 20]);
        let e = fit(&h).unwrap_err().to_string();
        assert!(e.contains("none of the 20 InMails"), "{e}");
        // Beta(0.5, 20.5) at 0.95 is 0.09048 (by quadrature, independently).
        assert!(e.contains("below 9.0%"), "{e}");
    }

    #[test]
    fn no_answer_among_millions_gives_a_bound_with_significant_figures_and_grouped_counts() {
        // 0 of 19,884,104: Beta(0.5, n + 0.5) at 0.95 is about
        // 1.92/(2n) = 9.7e-8, i.e. 0.00000966%: never "0.0%".
        let mut h = history(&[(30, None, None)]);
        h.messages = vec![h.messages[0]; 19_884_104];
        let e = fit(&h).unwrap_err().to_string();
        assert!(e.contains("none of the 19,884,104 InMails"), "{e}");
        assert!(e.contains("below 0.00000966%"), "{e}");
    }

    #[test]
    fn declines_are_counted_among_known_outcomes() {
        let h = history(&[
            (9, Some(1), Some(true)),
            (9, Some(2), Some(false)),
            (9, Some(2), None),
            (9, Some(3), Some(false)),
            (9, None, None),
        ]);
        let d = fit(&h).unwrap().declines.unwrap();
        assert_eq!((d.known, d.declined), (3, 1));
        assert!((d.share - 1.0 / 3.0).abs() < 1e-15);
        // Jeffreys Beta(1.5, 2.5) quantiles.
        assert!((beta_reg(1.5, 2.5, d.low90) - 0.05).abs() < 1e-12);
        assert!((beta_reg(1.5, 2.5, d.high90) - 0.95).abs() < 1e-12);
        assert!(
            fit(&history(&[(9, Some(1), None)]))
                .unwrap()
                .declines
                .is_none()
        );
        // None or all declined: the interval reaches 0 or 1 and holds the
        // estimate.
        let none = fit(&history(&[(9, Some(1), Some(false))])).unwrap();
        let none = none.declines.unwrap();
        assert_eq!((none.share, none.low90), (0.0, 0.0));
        assert!(none.high90 > 0.0 && none.high90 < 1.0);
        let all = fit(&history(&[(9, Some(1), Some(true))])).unwrap();
        let all = all.declines.unwrap();
        assert_eq!((all.share, all.high90), (1.0, 1.0));
        assert!(all.low90 > 0.0);
    }

    #[test]
    fn a_large_old_history_gives_back_the_truth() {
        // 20,000 InMails up to a year old: the rate's se is about
        // sqrt(0.2·0.8/20000) = 0.0028 and the median's about 0.05 days;
        // 4 se each (a chance miss ~6e-5).
        let as_of = Date::parse("2026-11-28").unwrap();
        let spec = SyntheticSpec {
            messages: 20_000,
            p: 0.2,
            median_days: 2.0,
            p90_days: 12.0,
            span_days: 365,
            as_of,
            declines_share: 0.0,
            seats: 1,
        };
        let f = fit(&to_history(&generate(&spec, 7), as_of)).unwrap();
        assert!((f.rate.p_hat - 0.2).abs() < 4.0 * 0.0028, "{:?}", f.rate);
        let se = f.delay.se_median().unwrap();
        assert!(se > 0.02 && se < 0.1, "se {se}");
        assert!((f.delay.median() - 2.0).abs() < 4.0 * se, "{:?}", f.delay);
        assert!((f.rate.low90..f.rate.high90).contains(&f.rate.p_hat));
    }

    /// `n` InMails each `age_from..` days old, answered with chance `p`
    /// after a delay uniform on 1–85 days (a shape no lognormal fits
    /// well: it is flat), through a 90-day window; seeded.
    fn old_history(n: usize, p: f64, age_from: u32, seed: u64) -> History {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed);
        let messages = (0..n)
            .map(|_| Message {
                age: age_from + rng.random_range(0..200),
                delay: rng.random_bool(p).then(|| rng.random_range(1..=85)),
                declined: None,
            })
            .collect::<Vec<_>>();
        let mut h = history(&[]);
        h.messages = messages;
        h.within(90);
        h
    }

    #[test]
    fn where_every_inmail_is_past_the_window_the_rate_is_the_binomial_share() {
        // Every InMail is at least 166 days old: each answer is final, so
        // the rate is answered/sent whatever the delay. Uncut, the delay
        // ran off to years and the rate to 89% on such a history.
        let h = old_history(2_000, 0.2, 166, 11);
        let f = fit(&h).unwrap();
        let share = f.answered as f64 / f.messages as f64;
        // best_p's root is found to ~1e-12; 1e-9 allows the Nelder–Mead
        // delay to sit anywhere.
        assert!(
            (f.rate.p_hat - share).abs() < 1e-9,
            "{:?} vs {share}",
            f.rate
        );
        // And the truth: se = sqrt(0.2 · 0.8 / 2000) = 0.0089; 4 se (a
        // chance miss ~6e-5 for a fixed seed that passes once).
        assert!((f.rate.p_hat - 0.2).abs() < 4.0 * 0.0089, "{:?}", f.rate);
        assert!(!f.rate_unbounded_above(), "{:?}", f.rate);
        // The replies the summary describes are those within the window.
        assert!(f.delay.p90_within() <= 90.0, "{:?}", f.delay);
        assert!((f.delay.cdf(90.0) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn a_history_partly_inside_the_window_keeps_the_rate_within_its_standard_error() {
        // Ages 20 to 219 days: the 35% younger than the window are
        // censored, the rest final. 0.0089 is the binomial se of 2,000;
        // censoring makes the fit's se somewhat larger, so 4 of them is
        // about 3 of the fit's (a chance miss ~3e-3, checked once for this
        // fixed seed), while the uncut fit put the rate near 1.
        let h = old_history(2_000, 0.2, 20, 12);
        let f = fit(&h).unwrap();
        assert!((f.rate.p_hat - 0.2).abs() < 4.0 * 0.0089, "{:?}", f.rate);
        assert!((f.rate.low90..=f.rate.high90).contains(&f.rate.p_hat));
    }

    #[test]
    fn a_history_younger_than_its_replies_take_is_said_not_to_tell_the_delay() {
        // 300 InMails of the last 14 days (true rate 17%, median 2.5 days,
        // p90 15) through the 90-day window: this draw's fit runs to the
        // search's bound, a median of 3,641 days, at a rate of 26.5%, with
        // an interval the skew rule does not flag.
        let as_of = Date::parse("2026-11-28").unwrap();
        let spec = SyntheticSpec {
            messages: 300,
            p: 0.17,
            median_days: 2.5,
            p90_days: 15.0,
            span_days: 14,
            as_of,
            declines_share: 0.0,
            seats: 1,
        };
        let young = |seed| {
            let mut h = to_history(&generate(&spec, seed), as_of);
            h.within(90);
            fit(&h).unwrap()
        };
        let f = young(5);
        assert_eq!(f.followed_days, 13);
        assert!(
            (f.delay.median() - MU_RANGE.1.exp()).abs() < 1.0,
            "{:?}",
            f.delay
        );
        assert!(!f.rate_unbounded_above(), "{:?}", f.rate);
        assert!(f.delay_untold());
        // A draw whose fit finds the quick replies is not flagged.
        let f = young(0);
        assert!(
            f.delay.median() < 10.0 && !f.delay_untold(),
            "{:?}",
            f.delay
        );
        // Nor is one where InMails have been followed for the whole
        // window, whatever its delay: their silence bounds the rate.
        let h = old_history(2_000, 0.2, 20, 12);
        let mut f = fit(&h).unwrap();
        f.delay.mu = MU_RANGE.1;
        assert!(!f.delay_untold());
    }

    #[test]
    fn the_normal_and_beta_quantiles_invert_their_cdfs() {
        for q in [0.001, 0.05, 0.5, 0.9, 0.999] {
            // statrs' erfc_inv is good to ~5e-12 here.
            assert!((phi(normal_quantile(q)) - q).abs() < 1e-10, "{q}");
            assert!(
                (beta_reg(2.5, 40.0, beta_quantile(2.5, 40.0, q)) - q).abs() < 1e-12,
                "{q}"
            );
        }
        assert!((normal_quantile(0.9) - Z_090).abs() < 1e-12);
    }

    #[test]
    fn on_an_old_history_the_profile_interval_is_the_binomial_one() {
        // 1,000 InMails a year old, 200 answered within 1 to 5 days: every
        // pending InMail is a sure non-responder (F(365) ≈ 1), so the
        // profile is the binomial likelihood of 200 in 1,000. Its 90%
        // likelihood-ratio interval (≈ 0.2 ± 1.645·0.0126) has the Jeffreys
        // posterior's probabilities 5% and 95% at its ends, within 1%.
        let day = Date::parse("2026-06-01").unwrap();
        let mut messages = vec![
            Message {
                age: 365,
                delay: None,
                declined: None
            };
            800
        ];
        messages.extend((0..200).map(|i| Message {
            age: 365,
            delay: Some(1 + i % 5),
            declined: None,
        }));
        let h = History {
            as_of: day,
            first_sent: day,
            last_sent: day,
            messages,
            too_young: 0,
            seats: None,
            window: None,
        };
        let f = fit(&h).unwrap();
        let (low, high) = (f.rate.low90, f.rate.high90);
        let (a, b) = beta_from_counts(1000.0, 200.0);
        assert!((beta_reg(a, b, low) - 0.05).abs() < 0.01, "{low}");
        assert!((beta_reg(a, b, high) - 0.95).abs() < 0.01, "{high}");
        assert!((0.178..0.182).contains(&low) && (0.219..0.223).contains(&high));
        // The rate the snippet writes is the beta with that interval.
        let (a, b) = fit_beta_interval90(low, high).unwrap();
        assert!((f.rate.alpha - a).abs() < 1e-9 && (f.rate.beta - b).abs() < 1e-9);
    }
}
