//! Decisions on paired simulations (issue 19): `solve` (goal seek: the
//! value of one parameter at which a statistic hits a target) and
//! `recommend` (the cheapest catalog plan, billing, add-on policy and
//! seats within a risk limit).
//!
//! This module owns what the two share: the outcome of every trial kept
//! per candidate in trial order (`trials`), so that any two candidates or
//! parameter values can be compared trial by trial on common random
//! numbers; the statistics they target (`Stat`); and the paired
//! estimates. `solve` owns the root finder, `recommend` the candidates,
//! the successive elimination and the frontier. The commands are
//! `cmd::solve` and `cmd::recommend`; their files, `export::decide`.

pub mod question;
pub mod recommend;
pub mod solve;
pub mod trials;

pub use trials::{Outcome, simulate};

use crate::error::UserError;

/// The two-sided 95% normal quantile.
pub const Z95: f64 = 1.959_963_984_540_054;

/// A statistic of one trial, averaged over trials: what `solve` targets
/// and `recommend` constrains.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stat {
    /// The chance that a month runs out (a send cannot go out): the share
    /// of the trial's months with a send blocked for lack of credit or
    /// refused by the Recruiter floor (`ran_out_month`; see [`Outcome`]).
    Exhausted,
    /// Sends per month that could not go out: blocked for lack of credit
    /// or refused by the Recruiter floor.
    Blocked,
    /// Cost per month, in dollars.
    Cost,
}

impl Stat {
    pub const ALL: [Stat; 3] = [Stat::Exhausted, Stat::Blocked, Stat::Cost];

    pub fn key(self) -> &'static str {
        match self {
            Stat::Exhausted => "exhausted",
            Stat::Blocked => "blocked",
            Stat::Cost => "cost",
        }
    }

    /// In words, for sentences: "the chance a month runs out".
    pub fn words(self) -> &'static str {
        match self {
            Stat::Exhausted => "the chance a month runs out",
            Stat::Blocked => "the blocked sends per month",
            Stat::Cost => "the cost per month",
        }
    }

    /// The value of one trial.
    pub fn of(self, o: &Outcome, months: u32) -> f64 {
        let m = f64::from(months.max(1));
        match self {
            Stat::Exhausted => o.months_exhausted as f64 / m,
            Stat::Blocked => o.refused() as f64 / m,
            Stat::Cost => o.cost_cents as f64 / (100.0 * m),
        }
    }

    /// A value of this statistic as people write it: 5.0% / 1.25 / $120.00
    /// (n/a for a value that does not exist: an interval of one trial).
    pub fn show(self, v: f64) -> String {
        // An interval's low end just under zero would print "-0.00%": a
        // value that rounds to zero is shown as zero.
        let unit = match self {
            Stat::Exhausted => 0.00005,
            Stat::Blocked => 0.0005,
            Stat::Cost => 0.005,
        };
        if v.is_nan() {
            return crate::stats::NA.to_string();
        }
        // A limit or chance under 0.005% keeps three significant figures
        // (`--max-risk 0.0001%` is not "the 0.00% limit").
        if self == Stat::Exhausted && v > 0.0 && v < 0.00005 {
            return format!("{}%", crate::numbers::significant(v * 100.0));
        }
        let v = if v.abs() < unit { 0.0 } else { v };
        match self {
            Stat::Exhausted => format!("{:.2}%", v * 100.0),
            Stat::Blocked => format!("{v:.3}"),
            Stat::Cost => crate::compare::summary::dollars(100.0 * v),
        }
    }

    /// The 95% interval of `e`, over `trials`, within the values the
    /// statistic can take (a share from 0 to 100%, blocked sends and costs
    /// from 0): a normal interval around a small share would reach below
    /// 0. A chance of running out keeps the rule of three's margin
    /// ([`crate::stats::chance_interval`]): seen in no month it is not
    /// "0.00% to 0.00%", and with one month it does not narrow.
    pub fn interval(self, e: &Estimate, trials: u64) -> (f64, f64) {
        let top = match self {
            Stat::Exhausted => 1.0,
            Stat::Blocked | Stat::Cost => f64::INFINITY,
        };
        let (low, high) = (e.low().clamp(0.0, top), e.high().clamp(0.0, top));
        match self {
            Stat::Exhausted => crate::stats::chance_interval(e.mean, (low, high), trials),
            _ => (low, high),
        }
    }

    /// Reads a value: "5%" or 0.05 for exhausted, "$120" for cost.
    pub fn read(self, text: &str) -> Option<f64> {
        let t = text.trim();
        let v = match self {
            Stat::Exhausted => match t.strip_suffix('%') {
                Some(p) => p.trim().parse::<f64>().ok().map(|x| x / 100.0),
                None => t.parse::<f64>().ok(),
            },
            Stat::Blocked => t.parse::<f64>().ok(),
            Stat::Cost => crate::scenario::values::dollars(t),
        }?;
        let ok = v.is_finite() && v >= 0.0 && (self != Stat::Exhausted || v <= 1.0);
        ok.then_some(v)
    }

    /// A share written as a bare 1: 100% as a fraction, as `read` takes
    /// it, but as likely meant as 1% (a bare 5 is refused, so 1 is the one
    /// number that would pass silently with the other meaning). Callers
    /// refuse it and ask for the percent sign.
    pub fn is_bare_one(self, text: &str) -> bool {
        let t = text.trim();
        self == Stat::Exhausted && !t.ends_with('%') && t.parse::<f64>() == Ok(1.0)
    }

    pub fn parse_key(text: &str) -> Result<Stat, UserError> {
        Stat::ALL
            .into_iter()
            .find(|s| s.key() == text.trim())
            .ok_or_else(|| {
                UserError(format!(
                    "{} is not a statistic; the statistics are exhausted (the chance a \
                     month runs out, e.g. 5%), blocked (blocked sends per month) and cost \
                     (dollars per month)",
                    crate::safe_text::quoted(text)
                ))
            })
    }
}

/// A mean with its standard error. With fewer than 2 trials there is no
/// standard error: `se` is NaN, as in `stats::summary`, and so is the
/// interval (shown n/a).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Estimate {
    pub mean: f64,
    pub se: f64,
}

impl Estimate {
    /// The mean and standard error of `values` (trials are independent),
    /// summed in trial order so the result is the same for any thread count.
    pub fn of(values: impl Iterator<Item = f64>) -> Estimate {
        let values: Vec<f64> = values.collect();
        let n = values.len() as f64;
        if n == 0.0 {
            return Estimate::default();
        }
        // Every trial alike (a chance of exactly 1/6 in each): the mean is
        // that value and the error none, not a sum's rounding (se 2e-18).
        if n > 1.0 && values.iter().all(|v| *v == values[0]) {
            return Estimate {
                mean: values[0],
                se: 0.0,
            };
        }
        let mean = neumaier_sum(&values) / n;
        let mut sq = 0.0f64;
        for v in &values {
            sq += (v - mean) * (v - mean);
        }
        let se = if n > 1.0 {
            (sq / (n - 1.0) / n).sqrt()
        } else {
            f64::NAN
        };
        Estimate { mean, se }
    }

    /// Whether there is a standard error, and so an interval (not with
    /// fewer than 2 trials).
    pub fn has_interval(&self) -> bool {
        !self.se.is_nan()
    }

    pub fn low(&self) -> f64 {
        self.mean - Z95 * self.se
    }

    pub fn high(&self) -> f64 {
        self.mean + Z95 * self.se
    }
}

/// The sum with Neumaier's compensation: a fixed price summed over many
/// trials comes back as that price (19.99, not 19.990000000000133).
fn neumaier_sum(values: &[f64]) -> f64 {
    let (mut sum, mut compensation) = (0.0f64, 0.0f64);
    for &v in values {
        let t = sum + v;
        compensation += if sum.abs() >= v.abs() {
            (sum - t) + v
        } else {
            (v - t) + sum
        };
        sum = t;
    }
    sum + compensation
}

/// The paired estimate of `stat(a) − stat(b)` over the trials both ran.
pub fn paired(stat: Stat, a: &[Outcome], b: &[Outcome], months: u32) -> Estimate {
    Estimate::of(
        a.iter()
            .zip(b)
            .map(|(x, y)| stat.of(x, months) - stat.of(y, months)),
    )
}

/// The estimate of `stat` over `outcomes`.
pub fn estimate(stat: Stat, outcomes: &[Outcome], months: u32) -> Estimate {
    Estimate::of(outcomes.iter().map(|o| stat.of(o, months)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statistics_read_as_people_write_them() {
        assert_eq!(Stat::Exhausted.read("5%"), Some(0.05));
        assert_eq!(Stat::Exhausted.read("0.05"), Some(0.05));
        assert_eq!(Stat::Exhausted.read("150%"), None);
        assert_eq!(Stat::Cost.read("$120.5"), Some(120.5));
        assert_eq!(Stat::Blocked.read("-1"), None);
        assert!(Stat::parse_key("ran_out").is_err());
    }

    #[test]
    fn a_value_that_rounds_to_zero_is_shown_without_a_minus_sign() {
        assert_eq!(Stat::Exhausted.show(-1e-9), "0.00%");
        assert_eq!(Stat::Cost.show(-0.001), "$0.00");
        assert_eq!(Stat::Blocked.show(-0.5), "-0.500");
        assert_eq!(Stat::Exhausted.show(0.05), "5.00%");
    }

    #[test]
    fn an_estimate_has_the_textbook_standard_error() {
        let e = Estimate::of([1.0, 2.0, 3.0, 4.0].into_iter());
        assert_eq!(e.mean, 2.5);
        // sd = sqrt(5/3), se = sd / 2
        assert!((e.se - (5.0f64 / 3.0).sqrt() / 2.0).abs() < 1e-12);
    }

    #[test]
    fn one_trial_has_no_standard_error_and_its_interval_is_shown_as_n_a() {
        let e = Estimate::of([2.5].into_iter());
        assert_eq!(e.mean, 2.5);
        assert!(!e.has_interval());
        assert_eq!(Stat::Cost.show(e.low()), "n/a");
        assert!(Estimate::of([1.0, 1.0].into_iter()).has_interval());
    }

    #[test]
    fn trials_that_all_agree_have_no_error_not_a_sums_rounding() {
        let sixth = 1.0 / 6.0;
        // 100 such values sum, compensated, to a mean 2.8e-17 off 1/6.
        let e = Estimate::of(std::iter::repeat_n(sixth, 100));
        assert_eq!(
            e,
            Estimate {
                mean: sixth,
                se: 0.0
            }
        );
    }
}
