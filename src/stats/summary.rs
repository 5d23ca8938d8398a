//! Summary statistics of a histogram, and deterministic number formatting.
//!
//! Moments come from exact integer sums (i128) of the histogram's counts, so
//! a summary depends only on the multiset of records, never on how trials
//! were grouped across threads.
//!
//! - mean = Σv / n; sd = sample standard deviation (n − 1 denominator),
//!   computed as sqrt((nΣv² − (Σv)²) / (n(n−1)));
//!   se = sd / √n; 95% CI of the mean = mean ± 1.959963984540054·se.
//! - With fewer than 2 values there is no sample sd, so sd, se and the CI
//!   are NaN, written "n/a" (see [`few_trials_note`]): a single trial says
//!   nothing about the spread, and an interval of zero width would claim a
//!   certainty the run does not have.
//! - The CI is the normal approximation: every reported metric is a mean over
//!   thousands to millions of independent trials, where the central limit
//!   theorem makes the sampling distribution of the mean normal to far better
//!   precision than a t quantile would correct (t and z differ by < 0.1% at
//!   n = 1000).
//! - Quantiles are type 1 (inverse empirical CDF, no interpolation): the
//!   p-quantile is the smallest recorded value v whose cumulative count is at
//!   least rank = ceil(p·n), with p in percent and the rank computed in
//!   integers as ceil(p_percent·n / 100), minimum 1. So p5 of 5 values is the
//!   1st smallest, p50 the 3rd, p95 the 5th. Each quantile is a recorded value.

/// 97.5% quantile of the standard normal distribution.
const Z95: f64 = 1.959963984540054;

/// Percent levels of the reported quantiles, in `Summary` field order.
const PERCENTS: [u64; 5] = [5, 25, 50, 75, 95];

/// The 95% interval of a chance (a share of trials, or the mean of each
/// trial's share of months) over `n` trials: the normal interval `(low,
/// high)` widened to at least `mean ± 3/n` and cut to 0..1. With no event
/// seen (or every trial an event) the normal interval is "0 to 0", and
/// with a few it is too narrow: 3/n is the rule of three's 95% bound for
/// an event seen in none of n trials, and the margin stays while events
/// are few, so the interval never narrows as the first events appear
/// (0 events: 0 to 0.15% at 2,000 trials, and 1 event not 0 to 0.12%).
/// The one home of that rule: summary.csv's `exhausted` rows, compare's and
/// sweep's `ran_out_month`, solve's intervals and recommend's verdicts.
pub fn chance_interval(mean: f64, (low, high): (f64, f64), n: u64) -> (f64, f64) {
    // No interval (one trial: NaN, shown n/a) stays none.
    if low.is_nan() || high.is_nan() {
        return (low, high);
    }
    let edge = 3.0 / n.max(1) as f64;
    (
        low.min(mean - edge).clamp(0.0, 1.0),
        high.max(mean + edge).clamp(0.0, 1.0),
    )
}

/// Statistics of one metric's recorded values (none's excluded).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub n: u64,
    pub mean: f64,
    pub sd: f64,
    pub se: f64,
    pub ci95_low: f64,
    pub ci95_high: f64,
    pub p5: i64,
    pub p25: i64,
    pub p50: i64,
    pub p75: i64,
    pub p95: i64,
    pub min: i64,
    pub max: i64,
}

impl Summary {
    /// Summarises `(value, count)` pairs that are strictly ascending by value
    /// (as `Histogram` yields them); `None` when the counts add up to 0.
    /// Takes a `Clone` iterator so it can make passes without allocating.
    pub(super) fn from_sorted_counts<I>(pairs: I) -> Option<Summary>
    where
        I: Iterator<Item = (i64, u64)> + Clone,
    {
        let n = pairs
            .clone()
            .fold(0u64, |acc, (_, c)| acc.saturating_add(c));
        let min = pairs.clone().find(|&(_, c)| c > 0)?.0;
        let (mean, sd) =
            exact_moments(pairs.clone(), n).unwrap_or_else(|| float_moments(pairs.clone(), n));
        let (q, max) = quantiles(pairs, n);
        let (sd, se) = if n < 2 {
            (f64::NAN, f64::NAN)
        } else {
            (sd, sd / (n as f64).sqrt())
        };
        Some(Summary {
            n,
            mean,
            sd,
            se,
            ci95_low: mean - Z95 * se,
            ci95_high: mean + Z95 * se,
            p5: q[0],
            p25: q[1],
            p50: q[2],
            p75: q[3],
            p95: q[4],
            min,
            max,
        })
    }
}

/// Mean and sd from exact i128 sums; `None` if any step would overflow.
///
/// Σv cannot overflow for n ≤ u64::MAX records (|v·c| < 2^63·2^64 = 2^127),
/// but Σv² and nΣv² can for extreme inputs. Realistic metrics stay far below:
/// values ≤ 10^10 cents ($100M) and n ≤ 10^9 give nΣv² ≤ 10^38 < 1.7·10^38 =
/// i128::MAX. Every operation is checked anyway; on overflow the caller falls
/// back to a two-pass f64 computation (still deterministic: it iterates in
/// value order).
fn exact_moments<I>(pairs: I, n: u64) -> Option<(f64, f64)>
where
    I: Iterator<Item = (i64, u64)>,
{
    let (mut s1, mut s2) = (0i128, 0i128);
    for (v, c) in pairs {
        let vc = i128::from(v).checked_mul(i128::from(c))?;
        s1 = s1.checked_add(vc)?;
        s2 = s2.checked_add(vc.checked_mul(i128::from(v))?)?;
    }
    let n128 = i128::from(n);
    // mean = q + r/n with integer q, r: exact q keeps precision for large
    // values; only the fraction r/n is rounded.
    let mean = s1.div_euclid(n128) as f64 + s1.rem_euclid(n128) as f64 / n as f64;
    if n < 2 {
        return Some((mean, 0.0));
    }
    // nΣv² − (Σv)² ≥ 0 exactly (Cauchy–Schwarz); n(n−1) < 2^128 in u128.
    let num = n128.checked_mul(s2)?.checked_sub(s1.checked_mul(s1)?)?;
    let den = u128::from(n) * u128::from(n - 1);
    Some((mean, (num as f64 / den as f64).max(0.0).sqrt()))
}

/// Two-pass f64 mean and sd, used only when the exact sums overflow i128.
fn float_moments<I>(pairs: I, n: u64) -> (f64, f64)
where
    I: Iterator<Item = (i64, u64)> + Clone,
{
    let nf = n as f64;
    let mean = pairs.clone().map(|(v, c)| v as f64 * c as f64).sum::<f64>() / nf;
    if n < 2 {
        return (mean, 0.0);
    }
    let ss: f64 = pairs
        .map(|(v, c)| {
            let d = v as f64 - mean;
            d * d * c as f64
        })
        .sum();
    (mean, (ss / (nf - 1.0)).sqrt())
}

/// Type-1 rank of percent level `p` among `n` records: ceil(p·n/100) ≥ 1.
fn rank(p: u64, n: u64) -> u64 {
    let r = (u128::from(p) * u128::from(n)).div_ceil(100);
    u64::try_from(r).unwrap_or(n).max(1)
}

/// Type-1 quantiles at `PERCENTS` and the maximum, in one ascending pass.
fn quantiles<I>(pairs: I, n: u64) -> ([i64; 5], i64)
where
    I: Iterator<Item = (i64, u64)>,
{
    let ranks = PERCENTS.map(|p| rank(p, n));
    let mut out = [0i64; 5];
    let (mut next, mut cum, mut max) = (0usize, 0u64, i64::MIN);
    for (v, c) in pairs.filter(|&(_, c)| c > 0) {
        cum = cum.saturating_add(c);
        max = v;
        while next < ranks.len() && cum >= ranks[next] {
            out[next] = v;
            next += 1;
        }
    }
    // Unreachable when n is the sum of the counts; keeps the output defined.
    out.iter_mut().skip(next).for_each(|slot| *slot = max);
    (out, max)
}

/// Kept here too, where the values are formatted.
pub use crate::metrics::ValueScale;

/// Formats a raw integer value: counts as integers, cents as dollars with
/// exactly two decimals ("1234" → "12.34", "-5" → "-0.05").
pub fn format_value(raw: i64, scale: ValueScale) -> String {
    match scale {
        ValueScale::Count => raw.to_string(),
        ValueScale::Cents => {
            // unsigned_abs: i64::MIN has no positive i64 counterpart.
            let abs = raw.unsigned_abs();
            let sign = if raw < 0 { "-" } else { "" };
            format!("{sign}{}.{:02}", abs / 100, abs % 100)
        }
    }
}

/// How a value that does not exist (an interval of one trial) is written.
pub const NA: &str = "n/a";

/// The sentence every summary adds when fewer than 2 trials were run: they
/// give no standard error and no interval.
pub fn few_trials_note(trials: u64) -> Option<String> {
    (trials < 2).then(|| {
        format!(
            "Only {trials} trial{} run: standard errors and 95% intervals need at least 2 \
             trials, so they are n/a; run more trials (--trials) for a result to rely on.",
            if trials == 1 { " was" } else { "s were" }
        )
    })
}

/// `text` with [`few_trials_note`] appended when there is one.
pub fn noting_few_trials(text: String, trials: u64) -> String {
    match few_trials_note(trials) {
        Some(note) => format!("{text}. {note}"),
        None => text,
    }
}

/// Formats a derived real (mean, sd, CI bound). Count: up to 6 decimals;
/// Cents: dollars with up to 4 decimals. Trailing zeros (and a bare ".") are
/// trimmed, and a value that rounds to zero prints "0", never "-0"; a
/// value that does not exist (NaN) is an empty cell.
pub fn format_f64(x: f64, scale: ValueScale) -> String {
    if x.is_nan() {
        // No value: an sd, se or interval of fewer than 2 trials. An empty
        // cell is missing to every CSV reader and keeps the column numeric
        // (issue 21: one type per column); the terminal and report.html
        // write NA.
        return String::new();
    }
    if !x.is_finite() {
        // Rust prints "inf", "-inf": deterministic, flagged in a CSV.
        return x.to_string();
    }
    let digits = match scale {
        ValueScale::Count => format!("{:.6}", x.abs()),
        // Round in cents (2 decimals of the exact binary value), then move
        // the decimal point textually: dividing by 100 first would add a
        // second rounding (12.345 is not representable in binary).
        ValueScale::Cents => cents_to_dollars(&format!("{:.2}", x.abs())),
    };
    let body = trim_fraction(&digits);
    if x < 0.0 && body != "0" {
        format!("-{body}")
    } else {
        body.to_string()
    }
}

/// "1234.50" (cents) → "12.3450" (dollars): shifts the point two places left.
fn cents_to_dollars(cents: &str) -> String {
    let (int, frac) = cents.split_once('.').unwrap_or((cents, ""));
    let padded = format!("{int:0>3}");
    let (dollars, cc) = padded.split_at(padded.len() - 2);
    format!("{dollars}.{cc}{frac}")
}

/// Removes trailing zeros of a fraction, then a trailing ".".
fn trim_fraction(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chance_interval_keeps_the_rule_of_three_margin_and_stays_within_0_and_1() {
        let n = 2000;
        // No event: 0 to 3/n, not 0 to 0.
        assert_eq!(chance_interval(0.0, (0.0, 0.0), n), (0.0, 0.0015));
        // One event in 2,000 (normal 0 to 0.00148): still 3/n above it.
        let (low, high) = chance_interval(0.0005, (-0.00048, 0.00148), n);
        assert_eq!(low, 0.0);
        assert!((high - 0.002).abs() < 1e-15, "{high}");
        // Every trial: 1 - 3/n to 1.
        assert_eq!(chance_interval(1.0, (1.0, 1.0), n), (1.0 - 0.0015, 1.0));
        // One trial: no interval, still none.
        let (low, high) = chance_interval(0.0, (f64::NAN, f64::NAN), 1);
        assert!(low.is_nan() && high.is_nan());
        // Many events: the normal interval, wider than 3/n, as it is.
        assert_eq!(chance_interval(0.5, (0.478, 0.522), n), (0.478, 0.522));
    }
    use crate::stats::Histogram;
    use proptest::prelude::*;

    fn summary_of(values: &[i64]) -> Option<Summary> {
        let mut h = Histogram::new();
        values.iter().for_each(|&v| h.record(v));
        h.summary()
    }

    fn close(got: f64, want: f64, tol: f64) -> bool {
        (got - want).abs() <= tol
    }

    #[test]
    fn hand_worked_example() {
        let s = summary_of(&[1, 2, 2, 3, 10]).expect("values");
        // Σv = 18, mean = 18/5 = 3.6.
        // Σv² = 1 + 4 + 4 + 9 + 100 = 118; nΣv² − (Σv)² = 590 − 324 = 266;
        // n(n−1) = 20, var = 13.3. Check by deviations: 2.6² + 2·1.6² + 0.6²
        // + 6.4² = 6.76 + 5.12 + 0.36 + 40.96 = 53.2, /4 = 13.3.
        // sd = √13.3 = 3.6469165057620934; se = sd/√5 = 1.6309506430300091.
        assert_eq!(s.n, 5);
        assert_eq!(s.mean, 3.6);
        assert!(close(s.sd, 3.646_916_505_762_093_4, 1e-12), "{}", s.sd);
        assert!(close(s.se, 1.630_950_643_030_009, 1e-12), "{}", s.se);
        assert!(close(s.ci95_low, 3.6 - 1.959963984540054 * s.se, 1e-12));
        assert!(close(s.ci95_high, 3.6 + 1.959963984540054 * s.se, 1e-12));
        // Ranks ceil(p·5/100): p5 → 1, p25 → 2, p50 → 3, p75 → 4, p95 → 5.
        let q = [s.p5, s.p25, s.p50, s.p75, s.p95, s.min, s.max];
        assert_eq!(q, [1, 2, 2, 3, 10, 1, 10]);
    }

    #[test]
    fn a_single_value_has_no_spread_and_no_interval() {
        let s = summary_of(&[-7]).expect("values");
        assert_eq!((s.n, s.mean, s.p5, s.p95), (1, -7.0, -7, -7));
        for x in [s.sd, s.se, s.ci95_low, s.ci95_high] {
            assert!(x.is_nan(), "{s:?}");
            assert_eq!(format_f64(x, ValueScale::Cents), "");
        }
        let two = summary_of(&[-7, -7]).expect("values");
        assert_eq!((two.sd, two.ci95_low, two.ci95_high), (0.0, -7.0, -7.0));
        assert!(
            few_trials_note(1)
                .unwrap()
                .starts_with("Only 1 trial was run")
        );
        assert!(few_trials_note(2).is_none());
    }

    #[test]
    fn ranks_on_exact_percent_boundaries() {
        let values: Vec<i64> = (1..=100).collect();
        let s = summary_of(&values).expect("values");
        assert_eq!([s.p5, s.p25, s.p50, s.p75, s.p95], [5, 25, 50, 75, 95]);
        assert_eq!(rank(5, 1), 1);
        assert_eq!(rank(95, 20), 19);
        assert_eq!(rank(95, u64::MAX), u64::MAX - u64::MAX / 20);
    }

    #[test]
    fn overflowing_sums_fall_back_to_f64() {
        let values = [i64::MAX, i64::MAX, i64::MIN, 0];
        let mut h = Histogram::new();
        values.iter().for_each(|&v| h.record(v));
        assert!(exact_moments(h.iter(), 4).is_none(), "Σv² overflows i128");
        let s = h.summary().expect("values");
        let (mean, sd) = naive_moments(&values);
        assert!(close(s.mean, mean, 1e-9 * mean.abs()));
        assert!(close(s.sd, sd, 1e-9 * sd));
    }

    #[test]
    fn format_value_cases() {
        let cents = |v| format_value(v, ValueScale::Cents);
        assert_eq!(cents(1234), "12.34");
        assert_eq!(cents(-5), "-0.05");
        assert_eq!(cents(0), "0.00");
        assert_eq!(cents(100), "1.00");
        assert_eq!(cents(-120), "-1.20");
        assert_eq!(cents(i64::MIN), "-92233720368547758.08");
        assert_eq!(format_value(-42, ValueScale::Count), "-42");
        assert_eq!(format_value(0, ValueScale::Count), "0");
    }

    #[test]
    fn format_f64_cases() {
        let count = |x| format_f64(x, ValueScale::Count);
        let cents = |x| format_f64(x, ValueScale::Cents);
        assert_eq!(count(2.5), "2.5");
        assert_eq!(count(3.0), "3");
        assert_eq!(count(0.123_456_7), "0.123457");
        assert_eq!(count(-1.25), "-1.25");
        assert_eq!(count(-0.0), "0");
        assert_eq!(count(-0.000_000_1), "0");
        assert_eq!(count(1e15), "1000000000000000");
        assert_eq!(cents(1234.5), "12.345");
        assert_eq!(cents(1234.0), "12.34");
        assert_eq!(cents(1200.0), "12");
        assert_eq!(cents(5.0), "0.05");
        assert_eq!(cents(0.25), "0.0025");
        assert_eq!(cents(0.123), "0.0012");
        assert_eq!(cents(-1234.5678), "-12.3457");
        assert_eq!(cents(-0.001), "0");
        assert_eq!(cents(0.0), "0");
        assert_eq!(count(f64::NAN), "");
        assert_eq!(cents(f64::NEG_INFINITY), "-inf");
    }

    /// Two-pass f64 mean and sample sd.
    fn naive_moments(values: &[i64]) -> (f64, f64) {
        let n = values.len() as f64;
        let mean = values.iter().map(|&v| v as f64).sum::<f64>() / n;
        let ss: f64 = values.iter().map(|&v| (v as f64 - mean).powi(2)).sum();
        let sd = if values.len() > 1 {
            (ss / (n - 1.0)).sqrt()
        } else {
            0.0
        };
        (mean, sd)
    }

    /// Type 1 by definition: smallest sorted[i-1] with i/n ≥ p/100.
    fn naive_quantile(sorted: &[i64], p: usize) -> i64 {
        let n = sorted.len();
        let i = (1..=n).find(|&i| 100 * i >= p * n).unwrap_or(n);
        sorted[i - 1]
    }

    fn value() -> impl Strategy<Value = i64> {
        prop_oneof![
            3 => 0i64..50,
            1 => -5000i64..5000,
            1 => -1_000_000_000_000i64..=1_000_000_000_000,
        ]
    }

    proptest! {
        #[test]
        fn matches_naive_computation(values in prop::collection::vec(value(), 2..200)) {
            let s = summary_of(&values).expect("non-empty");
            let mut sorted = values.clone();
            sorted.sort_unstable();
            let q = [s.p5, s.p25, s.p50, s.p75, s.p95];
            let want = [5, 25, 50, 75, 95].map(|p| naive_quantile(&sorted, p));
            prop_assert_eq!(q, want);
            prop_assert_eq!((s.min, s.max), (sorted[0], sorted[sorted.len() - 1]));
            prop_assert_eq!(s.n, values.len() as u64);
            let (mean, sd) = naive_moments(&values);
            // Relative 1e-9, plus the naive two-pass f64 error itself, which
            // is about ε·max|v| when the values are large and the sd small.
            let big = sorted[0].unsigned_abs().max(sorted[sorted.len() - 1].unsigned_abs());
            let slack = 16.0 * f64::EPSILON * big as f64;
            prop_assert!(close(s.mean, mean, 1e-9 * mean.abs().max(1.0)), "{} {}", s.mean, mean);
            prop_assert!(close(s.sd, sd, 1e-9 * sd.max(1.0) + slack), "{} {}", s.sd, sd);
            prop_assert!(close(s.se, sd / (values.len() as f64).sqrt(), 1e-9 * sd.max(1.0) + slack));
        }
    }
}
