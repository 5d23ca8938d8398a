//! `solve`'s question as the command line states it: `--param KEY` (any
//! key `sweep --param` accepts, `sweep::KEYS`), `--target STAT=VALUE` and
//! `--range LO..HI`, and the scenario evaluated at a parameter value: the
//! value written into the file's TOML (`sweep::apply`, so every scenario
//! rule still applies), validated, and simulated on trials `0..trials`
//! with the scenario's seed, so every evaluation shares its random numbers.

use super::solve::{Problem, Values};
use super::{Outcome, Stat, simulate};
use crate::compare::Source;
use crate::engine::Model;
use crate::error::UserError;
use crate::runner::{Interrupted, Progress, interrupted};
use crate::scenario::{self, Overrides, Scenario, values};
use crate::sweep::{self, Key, Kind};
use anyhow::Context;

/// Trials per evaluation without `--trials`: the file's, at most this many.
pub const DEFAULT_TRIALS: u64 = 20_000;
/// Most trials per evaluation (every evaluation's per-trial values are kept).
pub const MAX_TRIALS: u64 = 2_000_000;

/// A parsed question, ready to evaluate.
#[derive(Debug, Clone)]
pub struct Question {
    pub source: Source,
    pub key: Key,
    pub problem: Problem,
    /// The scenario as the file states it (seed and months applied).
    pub base: Scenario,
    pub trials: u64,
    pub overrides: Overrides,
    /// As given, for the metadata.
    pub target_text: String,
    pub range_text: String,
}

/// `--target STAT=VALUE`.
pub fn parse_target(text: &str) -> Result<(Stat, f64), UserError> {
    let bad = |why: String| {
        let text = crate::scenario::error::truncated(text, crate::scenario::error::MAX_SHOWN_CHARS);
        UserError(format!("--target {text}: {why}"))
    };
    let (stat, value) = text
        .split_once('=')
        .ok_or_else(|| bad("expected STAT=VALUE, e.g. exhausted=5% or blocked=0".into()))?;
    let stat = Stat::parse_key(stat).map_err(|e| bad(e.0))?;
    let shown = crate::scenario::error::truncated(value, crate::scenario::error::MAX_SHOWN_CHARS);
    if stat.is_bare_one(value) {
        return Err(bad(format!(
            "a bare 1 is read as a fraction, 100%, but may mean 1%: write {}=1% or {}=100%",
            stat.key(),
            stat.key()
        )));
    }
    let value = stat
        .read(value)
        .filter(|v| *v <= sweep::LARGEST)
        .ok_or_else(|| {
            bad(format!(
                "{} is not a value of {}: expected a number from 0 to 1e15 (a share from \
                 0% to 100% for exhausted, dollars for cost)",
                crate::safe_text::quoted(&shown),
                stat.key()
            ))
        })?;
    Ok((stat, value))
}

/// `--param KEY`: a key of `sweep::KEYS`.
pub fn parse_key(text: &str) -> Result<Key, UserError> {
    sweep::KEYS
        .iter()
        .find(|k| k.path == text.trim())
        .copied()
        .ok_or_else(|| {
            UserError(format!(
                "--param {text}: unknown parameter; the parameters are {}",
                sweep::key_list()
            ))
        })
}

/// `--range LO..HI`, each end read as `sweep --param` reads a grid's ends
/// (`sweep::read_value`), and compared as written.
fn parse_range(key: Key, text: &str) -> Result<(f64, f64), UserError> {
    let bad = |why: &str| UserError(format!("--range {text}: {why}"));
    if text.contains(':') {
        return Err(bad(
            "expected LO..HI, without a step (solve picks its own points)",
        ));
    }
    let (lo_text, hi_text) = text
        .split_once("..")
        .ok_or_else(|| bad("expected LO..HI, e.g. 1..10 or 10%..25%"))?;
    let read = |end: &str| sweep::read_value(key, end).map_err(|why| bad(&why));
    let (lo, hi) = (read(lo_text)?, read(hi_text)?);
    if hi <= lo {
        return Err(bad(&format!(
            "HI ({}) must be above LO ({})",
            hi_text.trim(),
            lo_text.trim()
        )));
    }
    Ok((lo, hi))
}

/// The range without `--range`: 0%..100% for a share, 1%..99% for the
/// rate's centre, else 0 (1 for months and seats) to 4 × the file's value
/// (a catalog plan's own, for `plan.*` keys the file does not write).
fn default_range(key: Key, source: &Source, base: &Scenario) -> Result<String, UserError> {
    match key.kind {
        Kind::Share => return Ok("0..1".to_string()),
        Kind::RateCentre => return rate_centre_range(source),
        _ => {}
    }
    // Keys with a default: the scenario's value, stated or not; a catalog
    // plan's values are known without being written (the [plan] table
    // names only its id).
    let plan = &base.plan;
    let default = match key.path {
        "months" => Some(f64::from(base.months)),
        "seats" => Some(f64::from(base.seats.count)),
        "plan.monthly_credits" => Some(f64::from(plan.monthly_credits)),
        "plan.cap" => Some(f64::from(plan.cap)),
        "plan.expiry_days" => plan.expiry_days.map(f64::from),
        "plan.price_monthly" => Some(plan.price_monthly_cents as f64 / 100.0),
        "plan.price_annual" => Some(plan.price_annual_cents as f64 / 100.0),
        // $10 a credit unless the file says otherwise (credit-rules §3).
        "addons.price" => Some(base.addons.price_cents as f64 / 100.0),
        _ => None,
    };
    let written = scenario::table_and_seed(&source.text)
        .ok()
        .and_then(|(_, t)| {
            let (section, leaf) = key.path.split_once('.').unwrap_or(("", key.path));
            let table = if section.is_empty() {
                Some(&t)
            } else {
                t.get(section)?.as_table()
            };
            table?.get(leaf).cloned()
        });
    let no_range = |why: String| {
        UserError(format!(
            "{}: {} {why}, so no default range (0 to 4 × the file's value) can be derived \
             from it: give --range LO..HI",
            source.path.display(),
            key.path
        ))
    };
    // Read as the scenario reads the key, so "$10" is 10 and "12%" 0.12.
    let stated = match &written {
        Some(v) => Some(sweep::stated(key, v).ok_or_else(|| {
            no_range(format!("is {} in the file, not a number", values::shown(v)))
        })?),
        None => default,
    };
    match stated {
        // 4 × 0 is 0: no range to search.
        Some(0.0) if written.is_none() => Err(no_range(format!(
            "is 0 for {} (not written in the file)",
            base.plan.name
        ))),
        Some(0.0) => Err(no_range("is 0 in the file".to_string())),
        // 4 × 1e308 is infinite: no range of numbers.
        Some(v) if !(4.0 * v).is_finite() => Err(no_range(format!(
            "is {v:e} in the file, whose 4 × is past the largest number"
        ))),
        Some(v) if v > 0.0 => {
            let lo = if matches!(key.path, "months" | "seats") {
                1.0
            } else {
                0.0
            };
            let hi = if key.kind == Kind::Whole {
                (4.0 * v).ceil()
            } else {
                4.0 * v
            };
            Ok(format!("{lo}..{hi}"))
        }
        _ if key.path == "plan.expiry_days" && written.is_none() => Err(no_range(format!(
            "is not set for {}, whose credits never expire by age (not written in the file)",
            base.plan.name
        ))),
        _ => Err(no_range("is not stated in the file".to_string())),
    }
}

/// The default range of `response.rate_center`: 1%..99%, narrowed to the
/// centres that keep the file's rate (its interval or spread moved
/// along) inside 0..1, which a wide interval needs: "10% to 25%" can be
/// centred from 8% to 92%, not at 1%.
fn rate_centre_range(source: &Source) -> Result<String, UserError> {
    let rate = scenario::table_and_seed(&source.text)
        .ok()
        .and_then(|(_, t)| {
            let v = t.get("response")?.as_table()?.get("rate")?.clone();
            crate::scenario::values::rate("response.rate", &v).ok()
        });
    let (lo, hi) = sweep::centre_range(&rate.unwrap_or_default());
    let (lo, hi) = (lo.max(0.01), hi.min(0.99));
    if lo >= hi {
        return Err(UserError(format!(
            "{}: response.rate is too wide to move its centre and stay within 0% to 100%, so \
             there is no default range: give --range LO..HI",
            source.path.display()
        )));
    }
    // Rounded inwards to 1e-4, so the ends print as they are.
    let (lo, hi) = ((lo * 1e4).ceil() / 1e4, (hi * 1e4).floor() / 1e4);
    Ok(format!("{lo}..{hi}"))
}

impl Question {
    /// Reads the file and the command line's question; checks the range's
    /// ends are valid scenarios (so a bad range is refused before anything
    /// runs).
    pub fn new(
        source: Source,
        param: &str,
        target: &str,
        range: Option<&str>,
        overrides: Overrides,
    ) -> anyhow::Result<Question> {
        let key = parse_key(param)?;
        let (stat, value) = parse_target(target)?;
        let base = scenario::parse(&source.text, &source.path, &overrides)?;
        if key.path.starts_with("follow_ups.") {
            // Refused where follow-ups are off (`sweep::apply`), before any
            // talk of a range: with --range it would be refused all the same.
            sweep::apply(&source.text, &source.path, &[(key, 1.0)])?;
        }
        let mut range_text = match range {
            Some(r) => r.to_string(),
            None => default_range(key, &source, &base)?,
        };
        let (mut lo, mut hi) = parse_range(key, &range_text)?;
        let trials = overrides.trials.unwrap_or(base.trials.min(DEFAULT_TRIALS));
        if trials > MAX_TRIALS {
            return Err(UserError(format!(
                "--trials {trials}: solve keeps every evaluation's trials; at most {MAX_TRIALS} per evaluation"
            ))
            .into());
        }
        let mut q = Question {
            source,
            key,
            problem: Problem {
                stat,
                target: value,
                lo,
                hi,
                whole: key.kind == Kind::Whole,
                trials,
            },
            base,
            trials,
            overrides,
            target_text: target.to_string(),
            range_text: String::new(),
        };
        if range.is_none() {
            // The default range is a guess around the file's value: its
            // ends are narrowed to the values the key allows (4 × 3,000
            // InMails a workday is past the most a day may send), never
            // past the file's own value, which is valid.
            let anchor = key_value(&q, lo, hi);
            (lo, hi) = (q.valid_towards(lo, anchor), q.valid_towards(hi, anchor));
            (q.problem.lo, q.problem.hi) = (lo, hi);
            if lo >= hi {
                // Nothing to search: the file's value is the only one the
                // key allows around it (a pool at the largest credits).
                return Err(UserError(format!(
                    "solve {}: the default range {range_text} narrows to the file's value {} \
                     alone (the values around it are not allowed here); give --range",
                    key.path,
                    show_value(key, anchor)
                ))
                .into());
            }
            range_text = format!("{lo}..{hi}");
        }
        q.range_text = range_text;
        q.scenario_at(lo)?;
        q.scenario_at(hi)?;
        Ok(q)
    }

    /// `end` if the scenario is valid there, else the valid value closest
    /// to it between `end` and `anchor` (a valid value), by bisection.
    fn valid_towards(&self, end: f64, anchor: f64) -> f64 {
        if self.scenario_at(end).is_ok() {
            return end;
        }
        let (mut good, mut bad) = (anchor, end);
        for _ in 0..80 {
            let mut mid = 0.5 * (good + bad);
            if self.problem.whole {
                mid = if bad > good { mid.floor() } else { mid.ceil() };
                if mid == good {
                    break;
                }
            } else if (bad - good).abs() <= 1e-9 * good.abs().max(1.0) {
                break;
            }
            if self.scenario_at(mid).is_ok() {
                good = mid;
            } else {
                bad = mid;
            }
        }
        // The end as people write it: the coarsest step of ten, within a
        // thousandth of the range, that is valid: rounded to the nearest
        // multiple (10000, not 9999.99999348), or, at an open end that has
        // no valid value to round to (a delay's median must be above 0),
        // taken towards the anchor (0.001, not 0.0000000009).
        let span = (anchor - end).abs();
        if span == 0.0 || !span.is_finite() {
            return good;
        }
        let inward: fn(f64) -> f64 = if anchor > good { f64::ceil } else { f64::floor };
        let top = span.log10().floor() as i32;
        (top - 12..=top)
            .rev()
            .flat_map(|k| [snap(good, k, f64::round), snap(good, k, inward)])
            .find(|&c| (c - good).abs() <= 1e-3 * span && self.scenario_at(c).is_ok())
            .unwrap_or(good)
    }

    /// The scenario with the parameter at `x`, validated.
    pub fn scenario_at(&self, x: f64) -> anyhow::Result<Scenario> {
        let at = || format!("solve at {} = {x}", self.key.path);
        let text = sweep::apply(&self.source.text, &self.source.path, &[(self.key, x)])
            .with_context(at)?;
        let sc = scenario::parse(&text, &self.source.path, &self.overrides).with_context(at)?;
        Ok(sc)
    }

    /// The target statistic's value per trial `0..trials` at `x`, in
    /// trial order (per month of the scenario at `x`, whose months may be
    /// the parameter), exact where that scenario draws nothing at random;
    /// `Interrupted` on Ctrl-C.
    pub fn values_at(&self, x: f64, progress: &Progress) -> anyhow::Result<Values> {
        let model = Model::new(self.scenario_at(x)?);
        let outcomes: Vec<Outcome> = simulate(&model, 0..self.trials, progress);
        if interrupted() {
            return Err(Interrupted.into());
        }
        let (stat, months) = (self.problem.stat, model.scenario.months);
        let committed = self.committed_cents(&model.scenario) as f64 / (100.0 * f64::from(months));
        Ok(Values {
            per_trial: outcomes
                .iter()
                .map(|o| stat.of(o, months) + committed)
                .collect(),
            exact: model.scenario.draws_nothing_at_random(),
        })
    }

    /// What a cost target adds to each trial's cost at `sc`: the plan cost
    /// annual billing commits to beyond the months the model charges
    /// (`Scenario::uncounted_commitment_cents`), as `compare`'s verdict
    /// counts it. A cost is what one pays, and 6 months of an annual plan
    /// are a year paid (an independent check found `solve --target cost=`
    /// answer 2 months of an annual plan whose year costs $575.88).
    fn committed_cents(&self, sc: &Scenario) -> i64 {
        match self.problem.stat {
            Stat::Cost => sc.uncounted_commitment_cents(),
            _ => 0,
        }
    }

    /// Said first, with the what-ifs, when a cost target counts annual
    /// billing's whole years somewhere in the range (the base scenario, or
    /// any number of months that is not whole years when `months` is the
    /// parameter).
    pub fn commitment_note(&self) -> Option<String> {
        let annual = std::iter::once(self.base.billing)
            .chain(self.base.plan_changes.iter().map(|c| c.billing))
            .any(|b| b == crate::scenario::Billing::Annual);
        let counted = self.committed_cents(&self.base) > 0
            || (self.key.path == "months" && annual && self.problem.stat == Stat::Cost);
        counted.then(|| {
            "the cost per month counts the whole years annual billing commits to (run and the \
             outputs of one scenario charge only the months held), so it is what is paid: \
             compare with billing = \"monthly\""
                .to_string()
        })
    }
}

/// `x` on the grid of steps `10^k`, by `to` (round, ceil or floor):
/// divided by the step's inverse below 1, so that 2.01 is the double
/// nearest 2.01, not 201 × 0.01 = 2.0100000000000002.
fn snap(x: f64, k: i32, to: fn(f64) -> f64) -> f64 {
    if k < 0 {
        let inverse = 10f64.powi(-k);
        to(x * inverse) / inverse
    } else {
        let step = 10f64.powi(k);
        to(x / step) * step
    }
}

/// The file's value of the key, a valid point inside the default range
/// `lo..hi` (4 × the value at the top for a number; the middle of a share's
/// or a centre's range), found as the base scenario's value where one
/// exists: a value in the range at which the scenario is valid.
fn key_value(q: &Question, lo: f64, hi: f64) -> f64 {
    let guesses = [hi / 4.0, (hi / 4.0).ceil(), 0.5 * (lo + hi)];
    guesses
        .into_iter()
        .find(|&x| x >= lo && x <= hi && q.scenario_at(x).is_ok())
        .unwrap_or(lo)
}

/// A parameter value as people write it: 12.5% for a share, $10.00 for
/// money, whole numbers plain, else up to 3 decimals; n/a for an interval's
/// end that does not exist (one trial).
pub fn show_value(key: Key, x: f64) -> String {
    if x.is_nan() {
        return crate::stats::NA.to_string();
    }
    match key.kind {
        Kind::Share | Kind::RateCentre => format!("{:.2}%", x * 100.0),
        Kind::Money => crate::compare::summary::dollars(100.0 * x),
        Kind::Whole => format!("{x:.0}"),
        Kind::Number => {
            let t = format!("{x:.3}");
            t.trim_end_matches('0').trim_end_matches('.').to_string()
        }
    }
}

impl Question {
    /// The target statistic in words (`Stat::words`), but with a backlog
    /// `blocked` counts a waiting InMail each day it is retried, so it is
    /// attempts, as `run`'s "send attempts blocked (each retry)"
    /// (`metrics::blocked_label`); no parameter turns the backlog on or off.
    pub fn stat_words(&self) -> &'static str {
        match (self.problem.stat, self.base.demand.backlog) {
            (Stat::Blocked, true) => "the send attempts blocked (each retry) per month",
            (stat, _) => stat.words(),
        }
    }

    /// The answer in one sentence, for the terminal and report.html.
    pub fn sentence(&self, a: &super::solve::Answer) -> String {
        let p = &self.problem;
        let (most, way) = match a.direction {
            super::solve::Direction::Increasing => ("most", "rises"),
            super::solve::Direction::Decreasing => ("least", "falls"),
        };
        let interval = if a.has_interval() {
            format!(
                "{} to {}",
                show_value(self.key, a.low),
                show_value(self.key, a.high)
            )
        } else {
            crate::stats::NA.to_string()
        };
        // The chance is the average month's: the first month, before any
        // refund or carried credit, runs out more often (a user reading
        // "stays at or below" as "in every month" would be misled).
        let average = match p.stat {
            super::Stat::Exhausted => {
                " It is the average over the months; the first months can \
                 run out more often: `run` at the answer shows each month (monthly.csv)."
            }
            _ => "",
        };
        // A chance or count of exactly 0 is met where no trial ran out: with
        // random demand the true value is above 0 at any volume, so the more
        // trials, the rarer the run-outs seen and the lower the answer.
        let zero = match p.stat {
            super::Stat::Exhausted | super::Stat::Blocked
                if p.target == 0.0
                    && self.base.demand.distribution
                        == crate::scenario::DemandDistribution::Poisson =>
            {
                format!(
                    " A target of 0 is met only where none of the {} ran out: with random \
                     (Poisson) demand it is never exactly 0, so the answer and its interval fall \
                     as trials grow; a small target ({}, say) gives an answer that does not \
                     depend on the number of trials.",
                    crate::numbers::count(self.trials, "trial", "trials"),
                    match p.stat {
                        super::Stat::Blocked => "blocked=0.1",
                        _ => "exhausted=0.1%",
                    }
                )
            }
            _ => String::new(),
        };
        // A team's demand keys are each seat's (docs/model.md, "Seats"): an
        // answer of 1.333 for 4 recruiters is not the team's volume.
        let seats = self.base.seats;
        let team = match (seats.count, self.key.path.starts_with("demand.")) {
            (n, true) if n > 1 => format!(
                " The scenario has {n} seats: the value is each seat's demand (the team sends \
                 {n} times it){}.",
                if seats.pooled {
                    ", from one pool of credits"
                } else {
                    "; each seat has its own credits, and a month runs out when any seat's does"
                }
            ),
            _ => String::new(),
        };
        format!(
            "The {most} {} at which {} stays at or below {}: {} (95% interval {interval}; {} {} \
             as {} grows).{average}{team}{zero}",
            self.key.path,
            self.stat_words(),
            p.stat.show(p.target),
            show_value(self.key, a.x),
            p.stat.key(),
            way,
            self.key.path
        )
    }

    /// Why no answer could be given, as an error message.
    pub fn refusal(&self, r: &super::solve::Refusal) -> UserError {
        use super::solve::Refusal;
        let p = &self.problem;
        let stat = p.stat;
        let (lo, hi) = (show_value(self.key, p.lo), show_value(self.key, p.hi));
        // The same 95% interval as solve's table (`Problem::interval`): a
        // chance seen in no trial is "0.00% (0.00% to 1.50%)", not "±0.00%",
        // unless the scenario at that value draws nothing at random.
        let exact = |x: f64| {
            self.scenario_at(x)
                .is_ok_and(|sc| sc.draws_nothing_at_random())
        };
        let shown = |e: &super::Estimate, x: f64| {
            if !e.has_interval() {
                return format!("{} (no interval with 1 trial)", stat.show(e.mean));
            }
            let (low, high) = p.interval_of(e, exact(x));
            format!(
                "{} (95% interval {} to {})",
                stat.show(e.mean),
                stat.show(low),
                stat.show(high)
            )
        };
        let what = format!(
            "solve {} for {}={}",
            self.key.path,
            stat.key(),
            stat.show(p.target)
        );
        UserError(
            match r {
                Refusal::Flat { value } => format!(
                    "{what}: {} does not change between {lo} and {hi} (it is {} at both ends); \
                 this parameter does not move it here",
                    stat.key(),
                    shown(value, p.lo)
                ),
                Refusal::Unreachable { at_lo, at_hi } => format!(
                    "{what}: the target is not reachable in the range {}: {} is {} at {lo} and \
                 {} at {hi}, above the target at both ends and at the values scanned between \
                 them (between scanned values it is not checked); widen --range",
                    self.range_text,
                    stat.key(),
                    shown(at_lo, p.lo),
                    shown(at_hi, p.hi)
                ),
                Refusal::Everywhere { at_lo, at_hi } => format!(
                    "{what}: the target is met over the range {}, as far as a scan shows: {} is {} \
                 at {lo} and {} at {hi}, at or below the target at both ends and at the values \
                 scanned between them (between scanned values it is not checked); widen --range \
                 to find where it is crossed",
                    self.range_text,
                    stat.key(),
                    shown(at_lo, p.lo),
                    shown(at_hi, p.hi)
                ),
                Refusal::Interior {
                    x,
                    at_x,
                    at_lo,
                    at_hi,
                    met_inside,
                } => {
                    let (ends, inside) = if *met_inside {
                        ("above the target at both ends", "at or below it")
                    } else {
                        ("at or below the target at both ends", "above it")
                    };
                    format!(
                        "{what}: {} is {} at {lo} and {} at {hi}, {ends}, but {} at {}, {inside}: \
                     it is not monotone in the range {}; narrow --range to a part where it only \
                     rises or only falls",
                        stat.key(),
                        shown(at_lo, p.lo),
                        shown(at_hi, p.hi),
                        shown(at_x, *x),
                        show_value(self.key, *x),
                        self.range_text
                    )
                }
                Refusal::NotMonotone {
                    a,
                    b,
                    at_a,
                    at_b,
                    step,
                } => format!(
                    "{what}: {} is not monotone in the range {}: it goes from {} at {} to {} at {} \
                 against its overall direction (by {}, more than 4 paired standard errors); \
                 narrow --range to a part where it only rises or only falls",
                    stat.key(),
                    self.range_text,
                    shown(at_a, *a),
                    show_value(self.key, *a),
                    shown(at_b, *b),
                    show_value(self.key, *b),
                    stat.show(step.mean.abs())
                ),
            }
            .to_string()
                + &self
                    .commitment_note()
                    .map_or(String::new(), |n| format!(" (note: {n})")),
        )
    }
}
