//! Random inputs of the model, built once per scenario from its parameters:
//! the response rate `p` each trial draws ([`rate`], credit-rules §5), the
//! response delay in whole days ([`delay`], §4c and §5), daily demand
//! ([`demand`], §5 and §8.7–8.8), and independent random streams derived
//! from the seed ([`streams`]).
//!
//! Constructors validate their parameters once and report problems as a
//! [`ParamError`]; after that, sampling never fails.

pub mod delay;
pub mod demand;
pub mod rate;
pub mod streams;

/// A probability as a threshold for a uniform 64-bit word `u`:
/// `P(u < t) = p` up to the 2^-64 resolution (`as` saturates 1.0 to
/// `u64::MAX`). Table inversions compare words with these, which is exact
/// at a finer resolution than converting the word to a 53-bit float.
pub(crate) fn word_threshold(p: f64) -> u64 {
    (p * 18_446_744_073_709_551_616.0) as u64
}

/// A distribution parameter that the constructors reject.
///
/// The message always names the parameter, its bad value and what is
/// allowed, e.g. `sd 0.4 is too large for mean 0.15: a beta distribution
/// needs sd < sqrt(mean*(1-mean)) = 0.357`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ParamError {
    param: &'static str,
    message: String,
}

impl ParamError {
    /// An error about `param`; `message` should start with the parameter
    /// name and value and say what is allowed.
    pub fn new(param: &'static str, message: impl Into<String>) -> Self {
        Self {
            param,
            message: message.into(),
        }
    }

    /// The name of the offending parameter (e.g. `"sd"`, `"median_days"`).
    pub fn param(&self) -> &'static str {
        self.param
    }
}
