//! Goal seek (`inmail-sim solve`): the value of one numeric parameter at
//! which a statistic hits a target, e.g. the most InMails per workday at
//! a 5% chance of running out in a month.
//!
//! The method, on common random numbers (every evaluation runs the same
//! trial indices with the same seed, so neighbouring values differ only by
//! the parameter):
//!
//! 1. **Scan** 9 evenly spaced values of the range (every whole number if
//!    fewer). The statistic's direction is the sign of the paired
//!    difference between the ends; the target must lie between the ends'
//!    estimates, or the command refuses: not reachable, or met over the
//!    whole range — unless a scan point inside the range is on the other
//!    side of the target, which is refused as turning back in the range.
//! 2. **Bisect** the scan cell where the estimate crosses the target, on
//!    the estimates themselves, until the bracket is one whole number or
//!    1/1024 of the range (or two neighbouring floats, for a range too
//!    narrow for that). The answer is the boundary of the region where
//!    the statistic is at most the target: for a whole-number key the
//!    last value inside it, otherwise the target interpolated linearly in
//!    the final bracket.
//! 3. **Interval** by test inversion: the 95% interval holds the values at
//!    which "statistic = target" is not rejected. Its end on the inside is
//!    found by bisecting `mean + 1.96 se ≤ target` (clearly inside), its
//!    end on the outside by bisecting `mean − 1.96 se ≤ target` (not
//!    clearly outside). Each evaluation's standard error is that of a mean
//!    of independent trials; the interval is pointwise (it does not widen
//!    for the number of evaluations). Where the scenario draws nothing at
//!    random the trials are exact ([`Values::exact`]): both searches find
//!    the answer's bracket, which is then the interval.
//! 4. **Near the target filled in**: where the evaluations' estimates
//!    cross the target more than once, the values between the first
//!    crossing and the last, and for a whole-number key the values in the
//!    answer's interval, are evaluated too (every whole number there, at
//!    most [`MAX_FILL`] spread evenly; otherwise the midpoint of each gap
//!    between evaluations): a statistic
//!    that turns back hides between evaluations near the target (months,
//!    whose calendar months differ in workdays, is one), and step 5 needs
//!    the neighbours of the turn to see it.
//! 5. **Monotone check**: every pair of neighbouring evaluations is
//!    compared trial by trial; a step against the direction by more than 4
//!    paired standard errors (or any step against it with no noise at all)
//!    is refused as "not monotone in the range".
//!
//! The root finder sees the statistic only through `eval` (its value per
//! trial at a parameter value), so it is tested on functions with known
//! roots as well as on the simulator.

use super::{Estimate, Stat};
use std::cmp::Ordering;

/// Scan points (step 1).
const SCAN_POINTS: usize = 9;
/// Continuous keys: bisection stops at this share of the range.
const RESOLUTION_SHARE: f64 = 1.0 / 1024.0;
/// A reversal beyond this many paired standard errors is not noise.
const REVERSAL_SE: f64 = 4.0;
/// Step 4: at most this many values filled in between crossings.
const MAX_FILL: usize = 32;

/// What to solve for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Problem {
    pub stat: Stat,
    pub target: f64,
    pub lo: f64,
    pub hi: f64,
    /// The parameter takes whole numbers.
    pub whole: bool,
    /// Trials per evaluation: a chance's interval keeps a margin of
    /// 3/trials ([`Stat::interval`]).
    pub trials: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Increasing,
    Decreasing,
}

impl Direction {
    pub fn key(self) -> &'static str {
        match self {
            Direction::Increasing => "increasing",
            Direction::Decreasing => "decreasing",
        }
    }
}

/// Why an evaluation was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Scan,
    Answer,
    Interval,
    /// Filled in between crossings of the target (step 4).
    Check,
}

impl Role {
    pub fn key(self) -> &'static str {
        match self {
            Role::Scan => "scan",
            Role::Answer => "bisection",
            Role::Interval => "interval",
            Role::Check => "check",
        }
    }
}

/// One evaluation: the parameter value and the statistic's estimate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evaluation {
    pub x: f64,
    pub estimate: Estimate,
    pub role: Role,
    /// Order in which it was made (1-based).
    pub order: usize,
    /// Its trials are exact ([`Values::exact`]).
    pub exact: bool,
}

impl Problem {
    /// The 95% interval of an evaluation, as the interval search reads it
    /// and every table shows it: the statistic's own ([`Stat::interval`],
    /// a chance with the rule of three's margin), or, for exact trials,
    /// the value itself. The margin allows for a rarer event the trials
    /// did not draw; where nothing is drawn at random there is none, and
    /// with it a target of `exhausted=0%` could never be "clearly met" at
    /// any value, so the answer's interval would run to the range's end
    /// while the answer is known to the final bracket. With one trial
    /// there is no interval either way (n/a).
    pub fn interval(&self, e: &Evaluation) -> (f64, f64) {
        self.interval_of(&e.estimate, e.exact)
    }

    /// [`Problem::interval`] of an estimate, exact or not.
    pub fn interval_of(&self, e: &Estimate, exact: bool) -> (f64, f64) {
        if exact && e.has_interval() {
            (e.mean, e.mean)
        } else {
            self.stat.interval(e, self.trials)
        }
    }
}

/// The answer with its 95% interval.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub x: f64,
    /// The interval's ends: NaN with fewer than 2 trials per evaluation.
    pub low: f64,
    pub high: f64,
    pub direction: Direction,
    /// Every evaluation, by parameter value.
    pub evaluations: Vec<Evaluation>,
    /// The final bracket of the bisection.
    pub bracket: (f64, f64),
}

impl Answer {
    /// Whether the answer has an interval (not with fewer than 2 trials).
    pub fn has_interval(&self) -> bool {
        !self.low.is_nan() && !self.high.is_nan()
    }

    /// Said under the table when every evaluation is exact (and has an
    /// interval, from 2 trials): intervals of no width otherwise read as a
    /// bug, or as false precision.
    pub fn exact_note(&self) -> Option<&'static str> {
        let exact = self.has_interval() && self.evaluations.iter().all(|e| e.exact);
        exact.then_some(
            "The scenario draws nothing at random (fixed demand, a reply rate of 0, no Open \
             Profile), so every trial is the same trial: each value is exact, and the answer's \
             interval is no wider than the search's last step.",
        )
    }
}

/// Why no answer can be given.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// The statistic does not change over the range, and misses the target.
    Flat { value: Estimate },
    /// Even the best end of the range misses the target.
    Unreachable { at_lo: Estimate, at_hi: Estimate },
    /// The whole range meets the target: the boundary is beyond it.
    Everywhere { at_lo: Estimate, at_hi: Estimate },
    /// Both ends on one side of the target and a scan point inside the
    /// range on the other (`met_inside`: at or below it there): the
    /// statistic turns back within the range, so neither "not reachable"
    /// nor "met over the whole range" is true.
    Interior {
        x: f64,
        at_x: Estimate,
        at_lo: Estimate,
        at_hi: Estimate,
        met_inside: bool,
    },
    /// A step against the direction larger than noise.
    NotMonotone {
        a: f64,
        b: f64,
        at_a: Estimate,
        at_b: Estimate,
        step: Estimate,
    },
}

/// The statistic at one parameter value.
#[derive(Debug, Clone, PartialEq)]
pub struct Values {
    /// Its value in each trial, in trial order.
    pub per_trial: Vec<f64>,
    /// Every trial is the same trial: the scenario there draws nothing at
    /// random (`Scenario::draws_nothing_at_random`), so the mean is the
    /// statistic's value, not an estimate of it.
    pub exact: bool,
}

impl Values {
    /// Values from random trials: an estimate.
    pub fn sampled(per_trial: Vec<f64>) -> Values {
        Values {
            per_trial,
            exact: false,
        }
    }
}

/// The statistic at a parameter value; errors (a value the scenario
/// refuses, Ctrl-C) stop the search.
pub type Eval<'a> = dyn FnMut(f64) -> anyhow::Result<Values> + 'a;

struct Search<'p, 'e> {
    problem: &'p Problem,
    eval: &'e mut Eval<'e>,
    /// Every evaluation, with its per-trial values (for paired checks).
    done: Vec<(Evaluation, Vec<f64>)>,
}

impl Search<'_, '_> {
    fn at(&mut self, x: f64, role: Role) -> anyhow::Result<Estimate> {
        Ok(self.evaluation(x, role)?.estimate)
    }

    fn evaluation(&mut self, x: f64, role: Role) -> anyhow::Result<Evaluation> {
        if let Some((e, _)) = self.done.iter().find(|(e, _)| e.x == x) {
            return Ok(*e);
        }
        let Values { per_trial, exact } = (self.eval)(x)?;
        let estimate = Estimate::of(per_trial.iter().copied());
        let order = self.done.len() + 1;
        let e = Evaluation {
            x,
            estimate,
            role,
            order,
            exact,
        };
        self.done.push((e, per_trial));
        Ok(e)
    }

    /// The bracket `(a, b)`, `a < b`, where `inside` changes value between
    /// two scan points, bisected to the resolution; `None` if it never
    /// changes on the scan.
    fn bracket(
        &mut self,
        scan: &[f64],
        role: Role,
        inside: impl Fn(&Evaluation) -> bool,
    ) -> anyhow::Result<Option<(f64, f64)>> {
        let mut cell = None;
        for w in scan.windows(2) {
            let (ea, eb) = (self.evaluation(w[0], role)?, self.evaluation(w[1], role)?);
            if inside(&ea) != inside(&eb) {
                cell = Some((w[0], w[1], inside(&ea)));
                break;
            }
        }
        let Some((mut a, mut b, inside_a)) = cell else {
            return Ok(None);
        };
        let resolution = (self.problem.hi - self.problem.lo) * RESOLUTION_SHARE;
        loop {
            // Evaluations already made are not made again, so a loop that
            // only revisits them would never reach the runner's own check.
            crate::interrupt::check()?;
            let mid = if self.problem.whole {
                if b - a <= 1.0 {
                    break;
                }
                ((a + b) / 2.0).floor()
            } else {
                if b - a <= resolution {
                    break;
                }
                (a + b) / 2.0
            };
            // A range narrower than 1024 steps of the floats there (say
            // 1024.0049999999..1024.0050000001) reaches neighbouring floats
            // before the resolution: their midpoint is one of them, and
            // bisecting further would change nothing, forever.
            if !(a < mid && mid < b) {
                break;
            }
            if inside(&self.evaluation(mid, role)?) == inside_a {
                a = mid;
            } else {
                b = mid;
            }
        }
        Ok(Some((a, b)))
    }

    /// The paired difference `stat(b) − stat(a)` of two evaluations.
    fn step(&self, a: f64, b: f64) -> Estimate {
        let values = |x: f64| {
            &self
                .done
                .iter()
                .find(|(e, _)| e.x == x)
                .expect("evaluated")
                .1
        };
        Estimate::of(values(b).iter().zip(values(a)).map(|(y, x)| y - x))
    }
}

/// The scan points: 9 evenly spaced values, or every whole number.
fn scan_points(p: &Problem) -> Vec<f64> {
    let mut xs: Vec<f64> = (0..SCAN_POINTS)
        .map(|i| p.lo + (p.hi - p.lo) * i as f64 / (SCAN_POINTS - 1) as f64)
        .map(|x| if p.whole { x.round() } else { x })
        .collect();
    xs.dedup();
    xs
}

/// Solves `problem`, evaluating the statistic through `eval`. `Ok(Err(_))`
/// is a refusal: the question has no answer in the range.
pub fn solve<'e>(
    problem: &Problem,
    eval: &'e mut Eval<'e>,
) -> anyhow::Result<Result<Answer, Refusal>> {
    let mut s = Search {
        problem,
        eval,
        done: Vec::new(),
    };
    let scan = scan_points(problem);
    for &x in &scan {
        s.at(x, Role::Scan)?;
    }
    let (lo, hi) = (scan[0], scan[scan.len() - 1]);
    let (at_lo, at_hi) = (s.at(lo, Role::Scan)?, s.at(hi, Role::Scan)?);
    let ends = s.step(lo, hi);
    let direction = match ends.mean.partial_cmp(&0.0) {
        Some(Ordering::Greater) => Direction::Increasing,
        Some(Ordering::Less) => Direction::Decreasing,
        // No change: within the target at both ends is the whole range
        // meeting it (say, no month runs out at 0 or 1 InMail a workday),
        // which the user fixes by widening the range; past it, there is no
        // direction to widen in.
        _ if at_lo.mean <= problem.target => {
            return Ok(Err(interior(&s, &scan, true, at_lo, at_hi)
                .unwrap_or(Refusal::Everywhere { at_lo, at_hi })));
        }
        _ => return Ok(Err(Refusal::Flat { value: at_lo })),
    };
    if let Some(r) = monotone(&s, direction) {
        return Ok(Err(r));
    }
    let t = problem.target;
    let (inside_end, outside_end) = match direction {
        Direction::Increasing => (at_lo, at_hi),
        Direction::Decreasing => (at_hi, at_lo),
    };
    if inside_end.mean > t {
        return Ok(Err(interior(&s, &scan, false, at_lo, at_hi)
            .unwrap_or(Refusal::Unreachable { at_lo, at_hi })));
    }
    if outside_end.mean <= t {
        return Ok(Err(
            interior(&s, &scan, true, at_lo, at_hi).unwrap_or(Refusal::Everywhere { at_lo, at_hi })
        ));
    }
    let (a, b) = s
        .bracket(&scan, Role::Answer, |e| e.estimate.mean <= t)?
        .expect("the ends are on either side of the target");
    let x = point(&mut s, direction, (a, b))?;
    // With fewer than 2 trials there are no standard errors to invert:
    // the interval does not exist (NaN, shown n/a), as in every command.
    let (mut low, mut high) = (f64::NAN, f64::NAN);
    if at_lo.has_interval() {
        // The interval each evaluation shows (a chance's with the rule of
        // three's margin; exact trials' the value itself), so that the
        // answer's interval and the table's rows agree: with no noise both
        // searches find the answer's bracket, and so the interval is it.
        let clear = s.bracket(&scan, Role::Interval, |e| problem.interval(e).1 <= t)?;
        let plausible = s.bracket(&scan, Role::Interval, |e| problem.interval(e).0 <= t)?;
        (low, high) = interval(problem, direction, x, clear, plausible);
    }
    fill_crossings(&mut s, (low, high))?;
    if let Some(r) = monotone(&s, direction) {
        return Ok(Err(r));
    }
    let mut evaluations: Vec<Evaluation> = s.done.iter().map(|(e, _)| *e).collect();
    evaluations.sort_by(|p, q| p.x.total_cmp(&q.x));
    Ok(Ok(Answer {
        x,
        low,
        high,
        direction,
        evaluations,
        bracket: (a, b),
    }))
}

/// With both ends of the range on one side of the target (`ends_met`: at
/// or below it), the scan point furthest on the other side, if any: a
/// statistic that rises above the target and falls back (the Recruiter
/// floor's, whose blocks stop the sends that would run out) is neither met
/// over the whole range nor unreachable, whatever its ends say.
fn interior(
    s: &Search<'_, '_>,
    scan: &[f64],
    ends_met: bool,
    at_lo: Estimate,
    at_hi: Estimate,
) -> Option<Refusal> {
    let t = s.problem.target;
    let estimate = |x: f64| {
        s.done
            .iter()
            .find(|(e, _)| e.x == x)
            .expect("scanned")
            .0
            .estimate
    };
    // How far past the target on the other side: positive when across.
    let across = |e: Estimate| if ends_met { e.mean - t } else { t - e.mean };
    // The points between the ends (none when the scan is one or two).
    let inner = scan.get(1..scan.len().saturating_sub(1)).unwrap_or(&[]);
    let (x, at_x) = inner
        .iter()
        .map(|&x| (x, estimate(x)))
        .filter(|(_, e)| across(*e) > 0.0 || (!ends_met && e.mean == t))
        .max_by(|a, b| across(a.1).total_cmp(&across(b.1)))?;
    Some(Refusal::Interior {
        x,
        at_x,
        at_lo,
        at_hi,
        met_inside: !ends_met,
    })
}

/// Step 4: the values not yet evaluated in the zone where the statistic
/// is near the target: from the first crossing of the target to the last
/// when the estimates cross it more than once, and for a whole-number key
/// the answer's 95% interval `(low, high)` (NaN without one) — every whole
/// number there
/// ([`MAX_FILL`] at most, evenly spread), else the midpoint of each gap
/// between evaluations (module docs).
fn fill_crossings(s: &mut Search<'_, '_>, (low, high): (f64, f64)) -> anyhow::Result<()> {
    let t = s.problem.target;
    let mut xs: Vec<(f64, bool)> = s
        .done
        .iter()
        .map(|(e, _)| (e.x, e.estimate.mean <= t))
        .collect();
    xs.sort_by(|p, q| p.0.total_cmp(&q.0));
    let crossings: Vec<usize> = (1..xs.len()).filter(|&i| xs[i - 1].1 != xs[i].1).collect();
    let mut zone: Option<(f64, f64)> = match (crossings.first(), crossings.last()) {
        (Some(&first), Some(&last)) if first != last => Some((xs[first - 1].0, xs[last].0)),
        _ => None,
    };
    // Whole numbers only: a continuous key's bisections already crowd its
    // interval, and midpoints there would double the work for little.
    if s.problem.whole && low.is_finite() && high.is_finite() && low < high {
        zone = Some(zone.map_or((low, high), |(a, b)| (a.min(low), b.max(high))));
    }
    let Some((from, to)) = zone else {
        return Ok(());
    };
    let known = |x: f64| xs.iter().any(|z| z.0 == x);
    let fill: Vec<f64> = if s.problem.whole {
        let first = from.ceil();
        let count = (to.floor() - first + 1.0).max(0.0) as usize;
        let missing: Vec<f64> = (0..count)
            .map(|k| first + k as f64)
            .filter(|&x| !known(x))
            .collect();
        spread(&missing, MAX_FILL)
    } else {
        let inside: Vec<f64> = xs
            .iter()
            .map(|z| z.0)
            .filter(|&x| from <= x && x <= to)
            .collect();
        let mids: Vec<f64> = inside
            .windows(2)
            .map(|w| (w[0] + w[1]) / 2.0)
            .filter(|&m| !known(m))
            .collect();
        spread(&mids, MAX_FILL)
    };
    for x in fill {
        s.at(x, Role::Check)?;
    }
    Ok(())
}

/// At most `n` of `xs`, evenly spread over it (all of them if few).
fn spread(xs: &[f64], n: usize) -> Vec<f64> {
    if xs.len() <= n {
        return xs.to_vec();
    }
    let mut picked: Vec<f64> = (0..n).map(|k| xs[k * (xs.len() - 1) / (n - 1)]).collect();
    picked.dedup();
    picked
}

/// The answer in the final bracket `(a, b)`.
fn point(s: &mut Search<'_, '_>, direction: Direction, (a, b): (f64, f64)) -> anyhow::Result<f64> {
    if s.problem.whole {
        return Ok(match direction {
            Direction::Increasing => a,
            Direction::Decreasing => b,
        });
    }
    let (fa, fb) = (s.at(a, Role::Answer)?.mean, s.at(b, Role::Answer)?.mean);
    let t = s.problem.target;
    if fa == fb {
        return Ok((a + b) / 2.0);
    }
    Ok((a + (t - fa) / (fb - fa) * (b - a)).clamp(a, b))
}

/// The 95% interval from the brackets of "clearly inside" and "not clearly
/// outside" (module docs, step 3).
fn interval(
    p: &Problem,
    direction: Direction,
    x: f64,
    clear: Option<(f64, f64)>,
    plausible: Option<(f64, f64)>,
) -> (f64, f64) {
    let increasing = direction == Direction::Increasing;
    // The end of a bracket where its predicate holds, and the other end.
    let ends = |(a, b): (f64, f64)| if increasing { (a, b) } else { (b, a) };
    let (range_inside, range_outside) = if increasing {
        (p.lo, p.hi)
    } else {
        (p.hi, p.lo)
    };
    let inner = clear.map_or(range_inside, |br| ends(br).0);
    let outer = plausible.map_or(range_outside, |br| {
        let (held, other) = ends(br);
        if p.whole { held } else { other }
    });
    (inner.min(outer).min(x), inner.max(outer).max(x))
}

/// The first step between neighbouring evaluations that goes against
/// `direction` by more than noise.
fn monotone(s: &Search<'_, '_>, direction: Direction) -> Option<Refusal> {
    let mut xs: Vec<(f64, Estimate)> = s.done.iter().map(|(e, _)| (e.x, e.estimate)).collect();
    xs.sort_by(|p, q| p.0.total_cmp(&q.0));
    let sign = if direction == Direction::Increasing {
        1.0
    } else {
        -1.0
    };
    xs.windows(2).find_map(|w| {
        let step = s.step(w[0].0, w[1].0);
        let against = step.mean * sign < 0.0;
        // One trial measures no noise: any step against counts, as it
        // does when the trials show no noise at all.
        let beyond_noise = !step.has_interval() || -step.mean * sign > REVERSAL_SE * step.se;
        (against && beyond_noise).then_some(Refusal::NotMonotone {
            a: w[0].0,
            b: w[1].0,
            at_a: w[0].1,
            at_b: w[1].1,
            step,
        })
    })
}

#[cfg(test)]
mod tests;
