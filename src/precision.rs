//! Runs that stop at a stated precision (`--precision`): targets in the
//! user's units, the Wilson score interval for probabilities, and the
//! deterministic schedule that adds trials in rounds until every target is
//! met or `--max-trials` is reached.
//!
//! Determinism: a round's size is a function of the statistics so far, and
//! those are exact and independent of the thread count, so the same seed and
//! targets always give the same rounds, the same trial count and the same
//! files.

use crate::engine::{Metric, Model};
use crate::error::UserError;
use crate::runner::{self, BATCH_TRIALS, Progress, RunOptions, RunOutcome};
use crate::stats::{Histogram, RunStats};
use std::fmt;
use std::ops::Range;
use std::time::Instant;

/// The 97.5% quantile of the standard normal: every interval here is 95%.
pub const Z95: f64 = 1.959963984540054;

/// Trials in the first round: four batches, enough for a first estimate of
/// every standard error.
pub const FIRST_ROUND: u64 = 4 * BATCH_TRIALS;

/// `--max-trials` when not given.
pub const DEFAULT_MAX_TRIALS: u64 = 10_000_000;

/// The 95% Wilson score interval of a proportion: `successes` out of
/// `trials`. Unlike `p ± 1.96·se` it stays inside [0, 1] and does not
/// collapse to a zero width when no trial (or every trial) succeeded.
pub fn wilson(successes: u64, trials: u64) -> (f64, f64) {
    if trials == 0 {
        return (0.0, 1.0);
    }
    let n = trials as f64;
    let p = successes as f64 / n;
    let z2 = Z95 * Z95;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half = Z95 / denominator * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// Half the length of the Wilson interval (it is not symmetric around p).
pub fn wilson_half_width(successes: u64, trials: u64) -> f64 {
    let (low, high) = wilson(successes, trials);
    (high - low) / 2.0
}

/// What a precision target is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantity {
    /// The chance of running out in a month, for every month (and option):
    /// Wilson half-width, as a share.
    Exhausted,
    /// The mean monthly cost of every option: normal half-width, dollars.
    TotalCost,
    /// The paired mean monthly cost difference of every pair, dollars.
    CostDifference,
    /// The chance that A is cheaper than B, for every pair: Wilson, share.
    Cheaper,
}

pub const QUANTITIES: [Quantity; 4] = [
    Quantity::Exhausted,
    Quantity::TotalCost,
    Quantity::CostDifference,
    Quantity::Cheaper,
];

impl Quantity {
    pub fn name(self) -> &'static str {
        match self {
            Quantity::Exhausted => "exhausted",
            Quantity::TotalCost => "total_cost",
            Quantity::CostDifference => "cost_difference",
            Quantity::Cheaper => "cheaper",
        }
    }

    fn is_probability(self) -> bool {
        matches!(self, Quantity::Exhausted | Quantity::Cheaper)
    }

    /// Only a compare set with two or more options has pairs.
    pub fn needs_pairs(self) -> bool {
        matches!(self, Quantity::CostDifference | Quantity::Cheaper)
    }

    /// A half-width in this quantity's units: percentage points or dollars.
    pub fn show(self, half_width: f64) -> String {
        if self.is_probability() {
            format!("±{:.3}pp", 100.0 * half_width)
        } else {
            format!("±${half_width:.2}")
        }
    }
}

/// One `--precision` target: the 95% half-width wanted for a quantity, as a
/// share for probabilities and in dollars for costs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Target {
    pub quantity: Quantity,
    pub half_width: f64,
}

impl Target {
    /// Reads `exhausted=0.5pp`, `cheaper=1%`, `total_cost=1`,
    /// `cost_difference=$0.50`. A probability target needs its unit: a bare
    /// `exhausted=0.5` could be 0.5 percentage points or a share of 0.5 (50
    /// points, met at once), so it is refused with both readings.
    pub fn parse(text: &str) -> Result<Target, UserError> {
        let bad = |why: String| UserError(format!("--precision {text}: {why}"));
        let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit() || b == b'.');
        if !text.contains('=') && digits(text.trim()) {
            // What follows a comma in `total_cost=$1,000`: commas separate
            // targets (clap splits the list before it reaches here).
            return Err(UserError(format!(
                "--precision: \"{}\" is not a target: commas separate targets, so write \
                 dollars without a thousands comma (total_cost=1000)",
                text.trim()
            )));
        }
        let (name, value) = text
            .split_once('=')
            .ok_or_else(|| bad("expected QUANTITY=HALF_WIDTH, e.g. exhausted=0.5pp".into()))?;
        let quantity = QUANTITIES
            .into_iter()
            .find(|q| q.name() == name.trim())
            .ok_or_else(|| bad(format!("unknown quantity; use one of {}", quantity_names())))?;
        let value = value.trim();
        if quantity.is_probability() && value.parse::<f64>().is_ok() {
            return Err(bad(unit_needed(value)));
        }
        let half_width = if quantity.is_probability() {
            probability_value(value)
        } else {
            crate::scenario::values::dollars(value)
        };
        let allowed = if quantity.is_probability() {
            "a half-width above 0 and below 100 percentage points, with its unit: 0.5pp or 0.5%"
        } else {
            "a half-width in dollars above 0: 1, $1 or 0.25"
        };
        match half_width {
            Some(h) if h > 0.0 && h.is_finite() && (!quantity.is_probability() || h < 1.0) => {
                Ok(Target {
                    quantity,
                    half_width: h,
                })
            }
            _ => Err(bad(format!("expected {allowed}"))),
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = self.quantity.show(self.half_width);
        write!(f, "{}={}", self.quantity.name(), &shown["±".len()..])
    }
}

fn quantity_names() -> String {
    QUANTITIES.map(Quantity::name).join(", ")
}

/// `0.5pp` and `0.5%` are percentage points.
fn probability_value(text: &str) -> Option<f64> {
    let points = text.strip_suffix("pp").or_else(|| text.strip_suffix('%'))?;
    points.trim().parse::<f64>().ok().map(|x| x / 100.0)
}

/// The refusal of a bare number as a probability's half-width: the ways
/// it could have been meant, written with their units — as a share only
/// when it is one (0 to 1), and none for a value no half-width can be.
fn unit_needed(value: &str) -> String {
    let x = value
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite() && *x > 0.0);
    let Some(x) = x else {
        return "a probability's half-width is a number of percentage points above 0, \
                e.g. 0.5pp"
            .to_string();
    };
    let points = format!("write {value}pp for {value} percentage points");
    if x > 1.0 {
        return format!("a probability's half-width needs its unit: {points}");
    }
    let as_share = crate::stats::format_f64(100.0 * x, crate::stats::ValueScale::Count);
    format!(
        "a probability's half-width needs its unit: {points}, or {as_share}pp if {value} is a \
         share (0 to 1)"
    )
}

/// The precision settings of a run: the targets and the trial limit.
#[derive(Debug, Clone, PartialEq)]
pub struct Precision {
    pub targets: Vec<Target>,
    pub max_trials: u64,
}

impl Precision {
    /// Parses the targets; `options` is the number of scenarios compared (1
    /// for `run`), since pair targets need two or more.
    pub fn new(
        targets: &[String],
        max_trials: Option<u64>,
        options: usize,
    ) -> Result<Precision, UserError> {
        let targets = targets
            .iter()
            .map(|t| Target::parse(t))
            .collect::<Result<Vec<_>, _>>()?;
        // One half-width per quantity: a second would silently be the one
        // that decides (the tighter), whatever order the user meant.
        for (i, t) in targets.iter().enumerate() {
            if let Some(u) = targets[..i].iter().find(|u| u.quantity == t.quantity) {
                return Err(UserError(format!(
                    "--precision {u} and {t}: {} is given twice; give one half-width for it",
                    t.quantity.name()
                )));
            }
        }
        if let Some(t) = targets.iter().find(|t| t.quantity.needs_pairs()) {
            if options < 2 {
                return Err(UserError(format!(
                    "--precision {t}: {} is about a pair of options; it needs a compare set of two or more scenarios",
                    t.quantity.name()
                )));
            }
        }
        let max_trials = max_trials.unwrap_or(DEFAULT_MAX_TRIALS);
        if max_trials == 0 {
            return Err(UserError("--max-trials 0: at least 1 trial".to_string()));
        }
        Ok(Precision {
            targets,
            max_trials,
        })
    }
}

/// Statistics that know the half-width of each [`Quantity`].
pub trait Measured {
    /// The widest 95% half-width of `quantity` over everything it covers
    /// (every month, option or pair), in the target's units.
    fn half_width(&self, quantity: Quantity) -> f64;
    fn trials(&self) -> u64;
    fn merge_from(&mut self, other: Self);
}

/// Why a run stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// Every target was met.
    TargetsMet,
    /// `--max-trials` was reached first.
    MaxTrials,
    /// Ctrl-C stopped the rounds (the statistics hold the rounds completed).
    Interrupted,
}

impl Stop {
    /// The value of `stopped` in the output files.
    pub fn key(self) -> &'static str {
        match self {
            Stop::TargetsMet => "targets_met",
            Stop::MaxTrials => "max_trials",
            Stop::Interrupted => "interrupted",
        }
    }
}

/// How a precision run ended: the reason, and each target with the
/// half-width reached.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub stop: Stop,
    pub trials: u64,
    pub achieved: Vec<(Target, f64)>,
}

impl Outcome {
    /// One line for stdout.
    pub fn sentence(&self) -> String {
        let parts: Vec<String> = self
            .achieved
            .iter()
            .map(|(t, h)| {
                let relation = if *h <= t.half_width { "≤" } else { ">" };
                format!(
                    "{} {} {} {}",
                    t.quantity.name(),
                    t.quantity.show(*h),
                    relation,
                    t.quantity.show(t.half_width)
                )
            })
            .collect();
        let trials = crate::numbers::count(self.trials, "trial", "trials");
        let head = match self.stop {
            Stop::TargetsMet => format!("Every precision target met after {trials}"),
            Stop::MaxTrials => {
                format!("Stopped at --max-trials ({trials}) before every precision target was met")
            }
            Stop::Interrupted => {
                format!("Interrupted after {trials}, before every precision target was checked")
            }
        };
        format!("{head}: {}", parts.join("; "))
    }
}

/// Runs rounds of trials through `simulate` (given a range of trial
/// indices) until every target is met or `max_trials` is reached.
pub fn until_precise<S: Measured>(
    precision: &Precision,
    mut simulate: impl FnMut(Range<u64>) -> S,
) -> (S, Outcome) {
    let first = FIRST_ROUND.min(precision.max_trials);
    let mut stats = simulate(0..first);
    loop {
        let achieved: Vec<(Target, f64)> = precision
            .targets
            .iter()
            .map(|t| (*t, stats.half_width(t.quantity)))
            .collect();
        let met = achieved.iter().all(|(t, h)| *h <= t.half_width);
        let done = stats.trials();
        let stopped = runner::interrupted();
        if met || done >= precision.max_trials || stopped {
            let stop = if met {
                Stop::TargetsMet
            } else if stopped {
                Stop::Interrupted
            } else {
                Stop::MaxTrials
            };
            let trials = done;
            return (
                stats,
                Outcome {
                    stop,
                    trials,
                    achieved,
                },
            );
        }
        let next = next_total(done, &achieved, precision.max_trials);
        stats.merge_from(simulate(done..next));
    }
}

/// The trial count to reach next: the count the worst target projects (a
/// half-width shrinks as 1/√n), 10% more for the noise in that projection,
/// rounded up to whole batches; at least one batch more and at most four
/// times as many, so a poor early estimate cannot overshoot by much.
fn next_total(done: u64, achieved: &[(Target, f64)], max_trials: u64) -> u64 {
    let ratio = achieved
        .iter()
        .map(|(t, h)| (h / t.half_width).powi(2))
        .fold(1.0, f64::max);
    let projected = (done as f64 * ratio * 1.1).ceil();
    let projected = if projected.is_finite() && projected < 1e18 {
        projected as u64
    } else {
        u64::MAX / 8
    };
    let batches = projected.div_ceil(BATCH_TRIALS);
    let wanted = batches.saturating_mul(BATCH_TRIALS);
    let at_least = done + BATCH_TRIALS;
    let at_most = done.saturating_mul(4).max(at_least);
    wanted.clamp(at_least, at_most).min(max_trials)
}

/// `run --precision`: rounds of `runner::simulate` on a pool of
/// `options.threads` until the targets are met or `max_trials` is reached.
pub fn run_precise(
    model: &Model,
    precision: &Precision,
    options: RunOptions,
) -> Result<(RunOutcome, Outcome), rayon::ThreadPoolBuildError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(runner::memory::threads(options.threads))
        .build()?;
    let started = Instant::now();
    let progress = Progress::new(FIRST_ROUND, options.progress);
    let round = |range: Range<u64>| {
        progress.plan(range.end);
        let stats = pool.install(|| runner::simulate(model, range, &progress));
        if runner::interrupted() {
            // Cut short by Ctrl-C: not a prefix of the trials, so dropped.
            return RunStats::new(model.scenario.months);
        }
        stats
    };
    let (stats, outcome) = until_precise(precision, round);
    progress.finish();
    let run = RunOutcome {
        complete: outcome.stop != Stop::Interrupted,
        stats,
        threads: pool.current_num_threads(),
        wall_time: started.elapsed(),
    };
    Ok((run, outcome))
}

/// Trials with value 1 in a 0/1 histogram.
pub fn ones(h: &Histogram) -> u64 {
    h.iter().find(|(v, _)| *v == 1).map_or(0, |(_, n)| n)
}

/// The widest Wilson half-width of the monthly chance of running out.
pub fn exhausted_half_width(stats: &RunStats) -> f64 {
    stats
        .per_cycle_of(Metric::Exhausted)
        .map(|h| wilson_half_width(ones(h), h.count()))
        .fold(0.0, f64::max)
}

/// The 95% half-width of a horizon total, per month, in dollars (for a
/// histogram of cents).
pub fn monthly_dollars_half_width(h: &Histogram, months: usize) -> f64 {
    h.summary()
        .map_or(f64::INFINITY, |s| Z95 * s.se / months as f64 / 100.0)
}

/// The 95% half-width of the mean monthly cost, in dollars.
pub fn total_cost_half_width(stats: &RunStats) -> f64 {
    let h = stats.horizon_of(Metric::TotalCost);
    monthly_dollars_half_width(h, stats.months())
}

impl Measured for RunStats {
    fn half_width(&self, quantity: Quantity) -> f64 {
        match quantity {
            Quantity::Exhausted => exhausted_half_width(self),
            Quantity::TotalCost => total_cost_half_width(self),
            // Refused by `Precision::new` for a single scenario.
            Quantity::CostDifference | Quantity::Cheaper => 0.0,
        }
    }

    fn trials(&self) -> u64 {
        self.trials
    }

    fn merge_from(&mut self, other: Self) {
        self.merge(&other);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn wilson_matches_values_computed_by_hand() {
        // Reference values from the closed form evaluated in Python:
        // (p + z²/2n)/(1 + z²/n) ± z/(1 + z²/n)·√(p(1−p)/n + z²/4n²).
        let (low, high) = wilson(5, 10);
        assert!(close(low, 0.236593090512564) && close(high, 0.7634069094874361));
        let (low, high) = wilson(81, 263);
        assert!(close(low, 0.2552885198782742) && close(high, 0.36620957698280004));
        let (low, high) = wilson(1, 1000);
        assert!(close(low, 0.00017654637062607852) && close(high, 0.0056425585979579355));
    }

    #[test]
    fn wilson_stays_inside_0_and_1_and_keeps_a_width_at_the_edges() {
        let (low, high) = wilson(0, 10);
        assert_eq!(low, 0.0);
        assert!(close(high, 0.2775327998628892));
        let (low, high) = wilson(10, 10);
        assert!(close(low, 0.7224672001371107));
        assert!(high <= 1.0 && high > 0.99999);
        assert_eq!(wilson(0, 0), (0.0, 1.0));
    }

    #[test]
    fn wilson_narrows_like_one_over_root_n() {
        let small = wilson_half_width(500, 1000);
        let large = wilson_half_width(50_000, 100_000);
        // 100 times the trials: 10 times narrower, less a little because
        // the z²/n terms also shrink (9.98104, from the closed form in Python).
        assert!(
            (small / large - 9.981039570602354).abs() < 1e-9,
            "{small} {large}"
        );
    }

    #[test]
    fn targets_read_percentage_points_shares_and_dollars() {
        let t = Target::parse("exhausted=0.5pp").unwrap();
        assert_eq!(t.quantity, Quantity::Exhausted);
        assert!(close(t.half_width, 0.005));
        assert!(close(Target::parse("cheaper=1%").unwrap().half_width, 0.01));
        assert!(close(
            Target::parse("exhausted=0.2pp").unwrap().half_width,
            0.002
        ));
        let t = Target::parse("total_cost=$1.50").unwrap();
        assert_eq!(t.quantity, Quantity::TotalCost);
        assert!(close(t.half_width, 1.5));
        assert_eq!(t.to_string(), "total_cost=$1.50");
        assert_eq!(
            Target::parse("exhausted=0.5pp").unwrap().to_string(),
            "exhausted=0.500pp"
        );
    }

    #[test]
    fn a_bare_number_for_a_probability_is_refused_with_both_readings() {
        let e = Precision::new(&["exhausted=1pp".into(), "exhausted=2pp".into()], None, 1)
            .unwrap_err()
            .0;
        assert!(e.contains("exhausted is given twice"), "{e}");
        let e = Target::parse("exhausted=0.5").unwrap_err().0;
        assert_eq!(
            e,
            "--precision exhausted=0.5: a probability's half-width needs its unit: write 0.5pp \
             for 0.5 percentage points, or 50pp if 0.5 is a share (0 to 1)"
        );
        let e = Target::parse("cheaper=0.005").unwrap_err().0;
        assert!(
            e.contains("write 0.005pp") && e.contains("or 0.5pp if"),
            "{e}"
        );
        // No share reading past 1; no suggestion at all for what no
        // half-width can be.
        let e = Target::parse("exhausted=2").unwrap_err().0;
        assert!(e.ends_with("write 2pp for 2 percentage points"), "{e}");
        for bad in ["0", "-1", "nan", "inf"] {
            let e = Target::parse(&format!("exhausted={bad}")).unwrap_err().0;
            assert!(
                e.ends_with("a number of percentage points above 0, e.g. 0.5pp"),
                "{e}"
            );
        }
        // Dollars need no unit.
        assert!(close(
            Target::parse("total_cost=0.5").unwrap().half_width,
            0.5
        ));
    }

    #[test]
    fn bad_targets_say_what_is_allowed() {
        let e = Target::parse("000").unwrap_err().0;
        assert!(e.contains("commas separate targets"), "{e}");
        let e = Target::parse("ran_out=1pp").unwrap_err().0;
        assert!(
            e.contains("exhausted, total_cost, cost_difference, cheaper"),
            "{e}"
        );
        let e = Target::parse("exhausted=0pp").unwrap_err().0;
        assert!(e.contains("above 0"), "{e}");
        assert!(Target::parse("exhausted=100pp").is_err());
        assert!(Target::parse("total_cost=-1").is_err());
        assert!(Target::parse("total_cost").is_err());
        let e = Precision::new(&["cheaper=1pp".into()], None, 1)
            .unwrap_err()
            .0;
        assert!(e.contains("compare set"), "{e}");
    }

    #[test]
    fn rounds_grow_by_whole_batches_between_one_batch_and_four_times() {
        let t = Target::parse("total_cost=1").unwrap();
        // Twice the wanted width: about 4.4 times the trials, capped at 4.
        assert_eq!(next_total(4096, &[(t, 2.0)], u64::MAX), 4 * 4096);
        // Nearly met: still one more batch.
        assert_eq!(next_total(4096, &[(t, 1.0001)], u64::MAX), 4096 + 1024);
        // 1.2 times the width: 4096·1.44·1.1 = 6488.1 → 7 batches.
        assert_eq!(next_total(4096, &[(t, 1.2)], u64::MAX), 7 * 1024);
        assert_eq!(next_total(4096, &[(t, 2.0)], 5000), 5000);
    }

    /// A fake whose half-width is exactly 100/√n: the schedule can be
    /// followed by hand.
    #[derive(Debug)]
    struct Fake(u64);

    impl Measured for Fake {
        fn half_width(&self, _: Quantity) -> f64 {
            100.0 / (self.0 as f64).sqrt()
        }
        fn trials(&self) -> u64 {
            self.0
        }
        fn merge_from(&mut self, other: Self) {
            self.0 += other.0;
        }
    }

    fn precision(target: f64, max_trials: u64) -> Precision {
        Precision {
            targets: vec![Target {
                quantity: Quantity::TotalCost,
                half_width: target,
            }],
            max_trials,
        }
    }

    #[test]
    fn rounds_run_contiguous_trials_until_the_target_is_met() {
        let mut ranges = Vec::new();
        let (stats, outcome) = until_precise(&precision(1.0, 1 << 40), |r| {
            ranges.push(r.clone());
            Fake(r.end - r.start)
        });
        // 100/√n ≤ 1 needs n ≥ 10000. After 4096 (±1.5625): ×2.44·1.1 →
        // 10995.2 → 11 batches = 11264, which meets it.
        assert_eq!(ranges, vec![0..4096, 4096..11264]);
        assert_eq!((stats.0, outcome.trials), (11264, 11264));
        assert_eq!(outcome.stop, Stop::TargetsMet);
        assert!(
            outcome
                .sentence()
                .starts_with("Every precision target met after 11,264 trials")
        );
    }

    #[test]
    fn max_trials_ends_the_rounds_and_says_so() {
        let (stats, outcome) = until_precise(&precision(0.01, 5000), |r| Fake(r.end - r.start));
        assert_eq!((stats.0, outcome.stop), (5000, Stop::MaxTrials));
        assert!(
            outcome.sentence().contains("total_cost ±$1.41 > ±$0.01"),
            "{}",
            outcome.sentence()
        );
        let (_, outcome) = until_precise(&precision(0.01, 100), |r| Fake(r.end - r.start));
        assert_eq!(outcome.trials, 100);
    }
}
