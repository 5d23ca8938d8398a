//! `sensitivity`: what drives the cost. Each uncertain input is swung from
//! a low to a high value with every other input at its centre, and every
//! variant runs on the same trials with the same seed (common random
//! numbers), so the swing of each input is measured trial by trial.
//!
//! The inputs and their swings:
//! - `response.rate`: a distribution is fixed at its 10th and 90th
//!   percentiles; a fixed rate `p` is swung to `0.75 p` and `min(1.25 p, 1)`.
//!   Its centre (used by every other variant) is the distribution's median,
//!   fixed for every trial.
//! - the demand volume (`demand.per_workday`, `per_week` or `per_cycle`, as
//!   the file states it): ×0.75 and ×1.25.
//! - the delay: `delay.median_days` ×0.5 and ×2 (a lognormal's `p90_days`
//!   moves by the same factor, so the shape is kept); an exponential's
//!   `mean_days` or a fixed `days` likewise; an empirical table is skipped.
//! - `open_profile.share` `s`: 0 and `min(2 s, 1)`; skipped when `s = 0`
//!   or the limit is 0 (so are a fixed rate, a volume and an add-on price
//!   of 0: both swings would be 0).
//! - `addons.price`: ×0.75 and ×1.25 (to the cent); only when the policy
//!   buys add-ons.
//!
//! A swing never leaves the range a scenario allows: an end beyond it is
//! clamped to the limit (a rate or share to 100%, the demand to the most a
//! team may send, the price to $1,000,000), and the plan records each clamp
//! ([`Plan::clamped`]) so the table, metadata and report say so. Without
//! it, a valid scenario near a limit was refused.
//!
//! Each variant is the scenario's TOML with the values written in (the same
//! edit as `sweep`), validated like a file the user wrote. Per trial, every
//! variant's total cost and months with a blocked send are kept as exact
//! integer sums (and sums of squares of the paired differences), so the
//! result is the same for any number of threads.

use crate::engine::{CycleMetrics, Model, Simulator, TrialObserver, TrialTotals};
use crate::runner::{BATCH_TRIALS, Progress, interrupted};
use crate::sampling::delay::DelaySpec;
use crate::sampling::rate::{RateSampler, RateSpec};
use crate::scenario::{self, AddonPolicy, Overrides, Scenario, Volume};
use crate::sweep::{KEYS, Key, apply};
use anyhow::Context;
use rayon::prelude::*;
use statrs::function::beta::checked_beta_reg;
use std::ops::Range;
use std::path::Path;

/// Factors of the demand volume and of the add-on price.
pub const VOLUME_FACTORS: (f64, f64) = (0.75, 1.25);
/// Relative swing of a fixed response rate.
pub const FIXED_RATE_FACTORS: (f64, f64) = (0.75, 1.25);
/// Factors of the delay's median (and p90).
pub const DELAY_FACTORS: (f64, f64) = (0.5, 2.0);
/// The largest price `scenario::values::money_cents` accepts, in dollars.
pub const MAX_PRICE_DOLLARS: f64 = 1_000_000.0;

fn key(path: &str) -> Key {
    *KEYS
        .iter()
        .find(|k| k.path == path)
        .expect("a sweep key known to sensitivity")
}

/// One input's swing: its name (the scenario key), its centre, low and
/// high values, and the edits that write each end into the scenario.
#[derive(Debug, Clone)]
pub struct Input {
    pub name: &'static str,
    pub centre: f64,
    pub low: f64,
    pub high: f64,
    low_edits: Vec<(Key, f64)>,
    high_edits: Vec<(Key, f64)>,
}

/// The inputs of a scenario and the centre every variant starts from.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The response rate every variant but the rate's own is fixed at.
    pub rate_centre: f64,
    pub inputs: Vec<Input>,
    /// Inputs left out, with why.
    pub skipped: Vec<(&'static str, &'static str)>,
    /// Inputs whose high end was clamped to the allowed range, with what
    /// the swing would have been.
    pub clamped: Vec<(&'static str, String)>,
}

/// The most each of `seats` seats may send when the team may send `limit`:
/// `limit / seats` cut to 6 decimals, and below it if need be, so that
/// times the seats it is never above the limit (10000 / 7 rounds up to
/// 1428.571428571429, which times 7 is past 10000 and was refused).
fn most_per_seat(limit: f64, seats: u32) -> f64 {
    let seats = f64::from(seats);
    let mut most = (limit / seats * 1e6).floor() / 1e6;
    while most > 0.0 && most * seats > limit {
        // The next float down (`f64::next_down` is newer than the MSRV).
        most = f64::from_bits(most.to_bits() - 1);
    }
    most
}

/// `min(x, limit)`, recording in `clamped` when the limit applies.
fn clamp_high(
    clamped: &mut Vec<(&'static str, String)>,
    name: &'static str,
    x: f64,
    limit: f64,
    swing: &str,
) -> f64 {
    if x <= limit {
        return x;
    }
    clamped.push((
        name,
        format!("high end clamped to {limit}, the most allowed ({swing} would be {x})"),
    ));
    limit
}

/// The `q`-quantile of the rate distribution.
pub fn rate_quantile(spec: &RateSpec, q: f64) -> f64 {
    match *spec {
        RateSpec::Fixed(p) => p,
        RateSpec::Uniform { low, high } => low + q * (high - low),
        RateSpec::Triangular { low, mode, high } => {
            let w = high - low;
            if w <= 0.0 {
                return low;
            }
            if q < (mode - low) / w {
                low + (q * w * (mode - low)).sqrt()
            } else {
                high - ((1.0 - q) * w * (high - mode)).sqrt()
            }
        }
        RateSpec::BetaMeanSd { .. } | RateSpec::BetaInterval90 { .. } => {
            let Some((a, b)) = RateSampler::new(spec).ok().and_then(|s| s.beta_params()) else {
                return f64::NAN;
            };
            let (mut lo, mut hi) = (0.0f64, 1.0f64);
            for _ in 0..200 {
                let mid = 0.5 * (lo + hi);
                if mid <= lo || mid >= hi {
                    break;
                }
                if checked_beta_reg(a, b, mid).unwrap_or(f64::NAN) < q {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            0.5 * (lo + hi)
        }
    }
}

impl Input {
    /// `low → high` as a reader would write them: rates and shares in
    /// percent, prices in dollars, other values with at most 2 decimals.
    /// (The CSV keeps the exact numbers.)
    pub fn range_text(&self) -> String {
        format!("{} → {}", self.show(self.low), self.show(self.high))
    }

    fn show(&self, value: f64) -> String {
        let trim = |text: String| {
            if text.contains('.') {
                text.trim_end_matches('0').trim_end_matches('.').to_string()
            } else {
                text
            }
        };
        match self.name {
            "response.rate" | "open_profile.share" => {
                format!("{}%", trim(format!("{:.1}", 100.0 * value)))
            }
            "addons.price" => crate::compare::summary::dollars(100.0 * value),
            _ => trim(format!("{value:.2}")),
        }
    }
}

/// Rounds away float noise so the values read well in the CSV: to the
/// shortest decimal within a few units in the last place, which works at
/// every magnitude a valid scenario holds. (Rounding to 12 decimals turned
/// a delay of 1e-13 days into 0 and, through x × 1e12, one above about
/// 1.8e296 into infinity: valid scenarios refused.)
fn tidy(x: f64) -> f64 {
    crate::numbers::shortest_within(x, 2.0 * f64::EPSILON * x.abs())
}

fn swing(name: &'static str, centre: f64, low: f64, high: f64, edit: Key) -> Input {
    Input {
        name,
        centre,
        low,
        high,
        low_edits: vec![(edit, low)],
        high_edits: vec![(edit, high)],
    }
}

impl Plan {
    pub fn new(sc: &Scenario) -> Plan {
        let mut inputs = Vec::new();
        let mut skipped = Vec::new();
        let mut clamped = Vec::new();
        let rate = key("response.rate");
        let spec = &sc.response.spec;
        // Percentiles to 1e-6 (0.0001 percentage points): easier to read.
        let six = |x: f64| (x * 1e6).round() / 1e6;
        let rate_centre = match *spec {
            RateSpec::Fixed(p) => p,
            _ => six(rate_quantile(spec, 0.5)),
        };
        let (low, high) = match *spec {
            RateSpec::Fixed(p) => (
                tidy(p * FIXED_RATE_FACTORS.0),
                clamp_high(
                    &mut clamped,
                    "response.rate",
                    tidy(p * FIXED_RATE_FACTORS.1),
                    1.0,
                    "x1.25",
                ),
            ),
            _ => (six(rate_quantile(spec, 0.1)), six(rate_quantile(spec, 0.9))),
        };
        // A fixed 0 swings to 0 both ways: no input, as a share of 0.
        if *spec == RateSpec::Fixed(0.0) {
            skipped.push((
                "response.rate",
                "the rate is a fixed 0, which x0.75 and x1.25 leave 0",
            ));
        } else {
            inputs.push(swing("response.rate", rate_centre, low, high, rate));
        }

        let (path, v) = match sc.demand.volume {
            Volume::PerWorkday(v) => ("demand.per_workday", v),
            Volume::PerWeek(v) => ("demand.per_week", v),
            Volume::PerCycle(v) => ("demand.per_cycle", v),
        };
        let (lo, hi) = VOLUME_FACTORS;
        // The team's limit shared by its seats (validate's check_team_volume).
        let most = most_per_seat(
            scenario::team_volume_limit(sc.demand.volume),
            sc.seats.count,
        );
        let high = clamp_high(&mut clamped, path, tidy(v * hi), most, "x1.25");
        if v == 0.0 {
            skipped.push((path, "the volume is 0, which x0.75 and x1.25 leave 0"));
        } else {
            inputs.push(swing(path, v, tidy(v * lo), high, key(path)));
        }

        let (dlo, dhi) = DELAY_FACTORS;
        match sc.delay.spec {
            DelaySpec::LogNormal {
                median_days,
                p90_days,
            } => {
                let mut input = swing(
                    "delay.median_days",
                    median_days,
                    tidy(median_days * dlo),
                    tidy(median_days * dhi),
                    key("delay.median_days"),
                );
                input
                    .low_edits
                    .push((key("delay.p90_days"), tidy(p90_days * dlo)));
                input
                    .high_edits
                    .push((key("delay.p90_days"), tidy(p90_days * dhi)));
                inputs.push(input);
            }
            DelaySpec::Exponential { mean_days } => inputs.push(swing(
                "delay.mean_days",
                mean_days,
                tidy(mean_days * dlo),
                tidy(mean_days * dhi),
                key("delay.mean_days"),
            )),
            DelaySpec::Fixed { days } => inputs.push(swing(
                "delay.days",
                days,
                tidy(days * dlo),
                tidy(days * dhi),
                key("delay.days"),
            )),
            DelaySpec::Empirical(_) => {
                skipped.push(("delay", "an empirical delay table has no median to scale"));
            }
        }

        let share = sc.open_profile.share;
        if sc.open_profile.limit == Some(0) {
            // No free message goes out: the share changes nothing.
            skipped.push(("open_profile.share", "the limit of free messages is 0"));
        } else if share > 0.0 {
            let high = clamp_high(
                &mut clamped,
                "open_profile.share",
                tidy(2.0 * share),
                1.0,
                "x2",
            );
            inputs.push(swing(
                "open_profile.share",
                share,
                0.0,
                high,
                key("open_profile.share"),
            ));
        } else {
            skipped.push(("open_profile.share", "the share is 0"));
        }

        if sc.addons.policy == AddonPolicy::Never {
            skipped.push(("addons.price", "the scenario buys no add-ons"));
        } else if sc.addons.price_cents == 0 {
            skipped.push((
                "addons.price",
                "the price is 0, which x0.75 and x1.25 leave 0",
            ));
        } else {
            let cents = sc.addons.price_cents as f64;
            let high = clamp_high(
                &mut clamped,
                "addons.price",
                (cents * hi).round() / 100.0,
                MAX_PRICE_DOLLARS,
                "x1.25",
            );
            inputs.push(swing(
                "addons.price",
                cents / 100.0,
                (cents * lo).round() / 100.0,
                high,
                key("addons.price"),
            ));
        }
        // A swing past what a number can hold (a delay of 1e308 days times
        // 2): left out and said so, rather than run and refused as if the
        // file held an infinite value.
        let (inputs, too_large): (Vec<Input>, Vec<Input>) = inputs.into_iter().partition(|i| {
            i.low_edits
                .iter()
                .chain(&i.high_edits)
                .all(|(_, v)| v.is_finite())
        });
        for input in too_large {
            skipped.push((
                input.name,
                "its swing passes the largest number a value can hold",
            ));
        }
        Plan {
            rate_centre,
            inputs,
            skipped,
            clamped,
        }
    }

    /// Every variant's edits: the centre first, then each input's low and
    /// high end (variant `1 + 2 i` and `2 + 2 i`).
    fn variant_edits(&self) -> Vec<Vec<(Key, f64)>> {
        let rate = (key("response.rate"), self.rate_centre);
        let with = |edits: &[(Key, f64)], own_rate: bool| {
            let mut all = Vec::new();
            if !own_rate {
                all.push(rate);
            }
            all.extend_from_slice(edits);
            all
        };
        let mut variants = vec![vec![rate]];
        for input in &self.inputs {
            let own = input.name == "response.rate";
            variants.push(with(&input.low_edits, own));
            variants.push(with(&input.high_edits, own));
        }
        variants
    }

    /// Every variant as a validated model, all with the scenario's seed.
    pub fn models(
        &self,
        text: &str,
        path: &Path,
        overrides: &Overrides,
    ) -> anyhow::Result<Vec<Model>> {
        let names =
            std::iter::once("the centre".to_string()).chain(self.inputs.iter().flat_map(|i| {
                [
                    format!("{} = {}", i.name, i.low),
                    format!("{} = {}", i.name, i.high),
                ]
            }));
        self.variant_edits()
            .iter()
            .zip(names)
            .map(|(edits, name)| {
                let at = || format!("sensitivity at {name}");
                let edited = apply(text, path, edits).with_context(at)?;
                let sc = scenario::parse(&edited, path, overrides).with_context(at)?;
                Ok(Model::new(sc))
            })
            .collect()
    }
}

/// Exact sums over trials: per variant the total cost (cents) and months
/// with a blocked send; per input the paired differences high − low and
/// their squares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SensitivityStats {
    pub trials: u64,
    pub months: u32,
    pub cost: Vec<i128>,
    pub exhausted: Vec<i128>,
    pub cost_diff: Vec<(i128, i128)>,
    pub exhausted_diff: Vec<(i128, i128)>,
}

impl SensitivityStats {
    fn new(variants: usize, months: u32) -> SensitivityStats {
        let inputs = variants.saturating_sub(1) / 2;
        SensitivityStats {
            trials: 0,
            months,
            cost: vec![0; variants],
            exhausted: vec![0; variants],
            cost_diff: vec![(0, 0); inputs],
            exhausted_diff: vec![(0, 0); inputs],
        }
    }

    fn merge(&mut self, o: &SensitivityStats) {
        self.trials += o.trials;
        let add = |a: &mut [i128], b: &[i128]| a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        add(&mut self.cost, &o.cost);
        add(&mut self.exhausted, &o.exhausted);
        let add2 = |a: &mut [(i128, i128)], b: &[(i128, i128)]| {
            a.iter_mut().zip(b).for_each(|(x, y)| {
                x.0 += y.0;
                x.1 += y.1;
            })
        };
        add2(&mut self.cost_diff, &o.cost_diff);
        add2(&mut self.exhausted_diff, &o.exhausted_diff);
    }

    fn record(&mut self, per_variant: &[(i64, u64)]) {
        self.trials += 1;
        for (i, (c, e)) in per_variant.iter().enumerate() {
            self.cost[i] += i128::from(*c);
            self.exhausted[i] += i128::from(*e);
        }
        for k in 0..self.cost_diff.len() {
            let (lo, hi) = (per_variant[1 + 2 * k], per_variant[2 + 2 * k]);
            let dc = i128::from(hi.0) - i128::from(lo.0);
            let de = i128::from(hi.1) - i128::from(lo.1);
            self.cost_diff[k].0 += dc;
            self.cost_diff[k].1 += dc * dc;
            self.exhausted_diff[k].0 += de;
            self.exhausted_diff[k].1 += de * de;
        }
    }

    /// Mean monthly cost of variant `v`, in cents.
    pub fn cost_per_month(&self, v: usize) -> f64 {
        self.cost[v] as f64 / self.trials as f64 / f64::from(self.months)
    }

    /// The chance of running out in a month (mean of per-cycle `exhausted`).
    pub fn ran_out(&self, v: usize) -> f64 {
        self.exhausted[v] as f64 / self.trials as f64 / f64::from(self.months)
    }
}

/// A paired swing per month: mean and 95% interval (none with one trial).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Swing {
    pub mean: f64,
    pub ci: Option<(f64, f64)>,
}

fn paired(sums: (i128, i128), n: u64, months: u32) -> Swing {
    let n_f = n as f64;
    let scale = f64::from(months);
    let mean = sums.0 as f64 / n_f;
    let ci = (n > 1).then(|| {
        // Σd² − (Σd)²/n exactly in integers as far as possible.
        let ss = sums.1 as f64 - (sums.0 as f64) * mean;
        let sd = (ss.max(0.0) / (n_f - 1.0)).sqrt();
        let half = 1.959_963_984_540_054 * sd / n_f.sqrt();
        ((mean - half) / scale, (mean + half) / scale)
    });
    Swing {
        mean: mean / scale,
        ci,
    }
}

/// One input's result, as the CSV and the table show it.
#[derive(Debug, Clone)]
pub struct Row {
    pub input: Input,
    /// Monthly cost in cents at the low and high end.
    pub cost_low: f64,
    pub cost_high: f64,
    /// Paired swing of the monthly cost (high − low), cents.
    pub cost_swing: Swing,
    pub ran_out_low: f64,
    pub ran_out_high: f64,
    pub ran_out_swing: Swing,
    /// For the order: |Σ cost difference| and |Σ months-exhausted difference|.
    order: (u128, u128),
}

/// The rows, largest absolute cost swing first (ties: largest ran-out
/// swing first, then the order of the inputs). Compared on the exact sums.
pub fn rows(plan: &Plan, stats: &SensitivityStats) -> Vec<Row> {
    let mut rows: Vec<Row> = plan
        .inputs
        .iter()
        .enumerate()
        .map(|(k, input)| Row {
            input: input.clone(),
            cost_low: stats.cost_per_month(1 + 2 * k),
            cost_high: stats.cost_per_month(2 + 2 * k),
            cost_swing: paired(stats.cost_diff[k], stats.trials, stats.months),
            ran_out_low: stats.ran_out(1 + 2 * k),
            ran_out_high: stats.ran_out(2 + 2 * k),
            ran_out_swing: paired(stats.exhausted_diff[k], stats.trials, stats.months),
            order: (
                stats.cost_diff[k].0.unsigned_abs(),
                stats.exhausted_diff[k].0.unsigned_abs(),
            ),
        })
        .collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.order));
    rows
}

struct Tap {
    cost: i64,
    exhausted: u64,
}

impl TrialObserver for Tap {
    fn cycle(&mut self, _: usize, _: &CycleMetrics) {}
    fn trial(&mut self, t: &TrialTotals) {
        self.cost = t.sums.total_cost();
        self.exhausted = t.months_exhausted;
    }
}

/// Simulates trials `range` of every variant in lockstep on the current
/// rayon pool, in fixed batches merged exactly (like `compare`). After
/// Ctrl-C the rest is skipped; callers check [`interrupted`].
pub fn simulate(models: &[Model], range: Range<u64>, progress: &Progress) -> SensitivityStats {
    let months = models.first().map_or(1, |m| m.scenario.months);
    let n = models.len();
    let batches = range.end.saturating_sub(range.start).div_ceil(BATCH_TRIALS);
    let fresh = || {
        let sims: Vec<Simulator<'_>> = models.iter().map(Simulator::new).collect();
        (
            sims,
            SensitivityStats::new(n, months),
            vec![(0i64, 0u64); n],
        )
    };
    (0..batches)
        .into_par_iter()
        .fold(fresh, |(mut sims, mut stats, mut per), batch| {
            let first = range.start + batch * BATCH_TRIALS;
            let last = (first + BATCH_TRIALS).min(range.end);
            for trial in first..last {
                if interrupted() {
                    return (sims, stats, per);
                }
                for (sim, slot) in sims.iter_mut().zip(per.iter_mut()) {
                    let mut tap = Tap {
                        cost: 0,
                        exhausted: 0,
                    };
                    sim.run_trial(trial, &mut tap);
                    *slot = (tap.cost, tap.exhausted);
                }
                stats.record(&per);
            }
            progress.advance(last - first);
            (sims, stats, per)
        })
        .map(|(_, stats, _)| stats)
        .reduce(
            || SensitivityStats::new(n, months),
            |mut a, b| {
                a.merge(&b);
                a
            },
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_price_limit_is_the_one_a_scenario_file_allows() {
        let price = |p: &str| {
            let text = format!(
                "[plan]\nid = \"sales_navigator_core\"\n[demand]\nper_week = 1\n\
                 [addons]\npolicy = \"monthly\"\nper_month = 1\nprice = {p}\n"
            );
            scenario::parse(&text, Path::new("p.toml"), &Overrides::default())
        };
        assert!(price(&MAX_PRICE_DOLLARS.to_string()).is_ok());
        assert!(price(&(MAX_PRICE_DOLLARS + 0.01).to_string()).is_err());
    }

    #[test]
    fn a_swing_past_the_largest_number_is_skipped_and_said_so() {
        let text = "[plan]\nid = \"sales_navigator_core\"\n[demand]\nper_week = 1\n\
                    [delay]\nmedian_days = 1e308\np90_days = 1.5e308\n";
        let sc = scenario::parse(text, Path::new("d.toml"), &Overrides::default()).unwrap();
        let plan = Plan::new(&sc);
        assert!(plan.inputs.iter().all(|i| i.name != "delay.median_days"));
        assert!(
            plan.skipped
                .iter()
                .any(|(name, _)| *name == "delay.median_days"),
            "{:?}",
            plan.skipped
        );
    }

    #[test]
    fn input_ranges_read_as_percent_dollars_or_plain_numbers() {
        let input = |name, low, high| swing(name, 0.0, low, high, key("demand.per_workday"));
        let text = |name, low, high| input(name, low, high).range_text();
        assert_eq!(text("response.rate", 0.11288, 0.230047), "11.3% → 23%");
        assert_eq!(text("open_profile.share", 0.0, 0.2), "0% → 20%");
        assert_eq!(text("addons.price", 7.5, 12.5), "$7.50 → $12.50");
        assert_eq!(text("demand.per_workday", 2.25, 3.75), "2.25 → 3.75");
        assert_eq!(text("delay.median_days", 1.0, 4.0), "1 → 4");
    }

    #[test]
    fn quantiles_of_each_rate_form_are_where_their_formulas_put_them() {
        let u = RateSpec::Uniform {
            low: 0.1,
            high: 0.3,
        };
        assert!((rate_quantile(&u, 0.1) - 0.12).abs() < 1e-12);
        // Symmetric triangle 0..1 with mode 0.5: median 0.5, p10 = sqrt(0.05).
        let t = RateSpec::Triangular {
            low: 0.0,
            mode: 0.5,
            high: 1.0,
        };
        assert!((rate_quantile(&t, 0.5) - 0.5).abs() < 1e-12);
        assert!((rate_quantile(&t, 0.1) - 0.05f64.sqrt()).abs() < 1e-12);
        // The 90% interval form: its p5 and p95 are the stated ends.
        let b = RateSpec::BetaInterval90 {
            low: 0.1,
            high: 0.25,
        };
        assert!((rate_quantile(&b, 0.05) - 0.1).abs() < 1e-9);
        assert!((rate_quantile(&b, 0.95) - 0.25).abs() < 1e-9);
        let m = rate_quantile(&b, 0.5);
        assert!(m > 0.1 && m < 0.25);
    }
}
