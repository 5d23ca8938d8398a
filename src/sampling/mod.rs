//! Random inputs of the model, built once per scenario from its parameters:
//! the response rate `p` each trial draws ([`rate`], credit-rules §5), the
//! response delay in whole days ([`delay`], §4c and §5), daily demand
//! ([`demand`], §5 and §8.7–8.8), and independent random streams derived
//! from the seed ([`streams`]) of the one generator ([`generator`]).
//!
//! Constructors validate their parameters once and report problems as a
//! [`ParamError`]; after that, sampling never fails.

pub mod delay;
pub mod demand;
pub mod generator;
pub mod rate;
pub mod streams;

/// A probability as a threshold for a uniform 64-bit word `u`:
/// `P(u < t) = p` up to the 2^-64 resolution (`as` saturates 1.0 to
/// `u64::MAX`). Table inversions compare words with these, which is exact
/// at a finer resolution than converting the word to a 53-bit float.
pub(crate) fn word_threshold(p: f64) -> u64 {
    (p * 18_446_744_073_709_551_616.0) as u64
}

/// How many `u64::MAX` entries follow the thresholds of a table that
/// [`guided_count`] inverts, so that its unconditional step and the check
/// after it stay within the table.
pub(crate) const TABLE_PAD: usize = 2;

/// `#{k < len : t[k] <= u}` for non-decreasing thresholds `t`, the first
/// `len` entries of `padded` (then [`TABLE_PAD`] times `u64::MAX`), when
/// `start` (a guide-table entry) is at most that count: `len` for a word at
/// or past the last threshold. The same as scanning `while k < len &&
/// u >= t[k] { k += 1 }` from `start`, with the first step taken without a
/// branch: from the guide most words need 0 or 1 steps, at random, and a
/// loop's exit on that would be mispredicted often; more than one step is
/// rare, and its branch well predicted.
#[inline(always)]
pub(crate) fn guided_count(padded: &[u64], len: usize, start: usize, u: u64) -> usize {
    // start <= len, so both entries are thresholds or padding; one
    // bounds check for the two.
    let next = &padded[start..start + 2];
    let step = usize::from(u >= next[0]);
    if u >= next[step] {
        return guided_count_on(padded, len, start + step, u);
    }
    // start + step <= len here: len + 1 needs u = u64::MAX, which takes
    // the branch above.
    start + step
}

/// The rest of [`guided_count`]'s scan, from `k`: another step is due, or
/// `u` is u64::MAX and has reached the padding, which does not count.
#[cold]
#[inline(never)]
fn guided_count_on(padded: &[u64], len: usize, mut k: usize, u: u64) -> usize {
    while k < len && u >= padded[k] {
        k += 1;
    }
    k.min(len)
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

/// What the table inversions are tested against: the plain scan from
/// `start`, one threshold at a time, over unpadded `thresholds`.
#[cfg(test)]
pub(crate) fn plain_scan(thresholds: &[u64], start: usize, u: u64) -> usize {
    let mut k = start;
    while k < thresholds.len() && u >= thresholds[k] {
        k += 1;
    }
    k
}

/// Words to test a table of `thresholds` with: every threshold and its
/// neighbours (a slip of one entry shows there), the ends of the word
/// range, and a spread of 100,000 others.
#[cfg(test)]
pub(crate) fn testing_words(thresholds: &[u64]) -> impl Iterator<Item = u64> + '_ {
    thresholds
        .iter()
        .flat_map(|&t| [t.wrapping_sub(1), t, t.wrapping_add(1)])
        .chain((0..100_000u64).map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15)))
        .chain([0, 1, u64::MAX - 1, u64::MAX])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_guided_count_is_the_plain_scan_from_any_valid_start() {
        // Repeated thresholds, a real threshold at u64::MAX (a cumulative
        // probability that rounds to 1), and one without: every start
        // from 0 up to the true count, for words at, between and around
        // every threshold. After the padding, entries left from a longer
        // table (small values, which a read would count), never read.
        for real in [vec![5, 5, 10, 11, 30, u64::MAX], vec![0, 7, 7, 7, 40]] {
            let mut padded = real.clone();
            padded.extend([u64::MAX; TABLE_PAD]);
            padded.extend([1, 2, 3]);
            let words = real
                .iter()
                .flat_map(|&t| [t.wrapping_sub(1), t, t.wrapping_add(1)])
                .chain([0, 1, 20, u64::MAX - 1, u64::MAX]);
            for u in words {
                let count = real.iter().filter(|&&t| t <= u).count();
                for start in 0..=count {
                    let k = plain_scan(&real, start, u);
                    assert_eq!(
                        guided_count(&padded, real.len(), start, u),
                        k,
                        "{real:?}, {u}, {start}"
                    );
                }
            }
        }
    }
}
