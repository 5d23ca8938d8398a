//! `recommend`: the cheapest catalog plan × billing × add-on policy ×
//! seats whose chance of running out in a month (and, if asked, mean
//! blocked sends per month) stays within a limit.
//!
//! This module owns the candidates (`candidates`: how each is written
//! into the scenario), the successive elimination (`elimination`), and
//! what the result says (this file: verdicts, ranking, runner-up and the
//! cost-versus-risk frontier).
//!
//! Every candidate runs trials `0..n` with the scenario's seed: candidates
//! are paired on common random numbers, as in `compare`, and the paired
//! cost difference of two candidates is measured trial by trial.

pub mod candidates;
pub mod elimination;
#[cfg(test)]
mod tests;

pub use candidates::{Candidate, Policy};
pub use elimination::{Limits, Settings, Status, run};

use super::{Estimate, Outcome, Stat, Z95, estimate, paired};

/// A candidate's verdict against the limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Within every limit at 95% (the interval's upper end is within).
    Feasible,
    /// Past a limit at 95% (the interval's lower end is past it).
    Infeasible,
    /// Neither, at the trials run.
    Unsure,
}

impl Verdict {
    pub fn key(self) -> &'static str {
        match self {
            Verdict::Feasible => "yes",
            Verdict::Infeasible => "no",
            Verdict::Unsure => "unsure",
        }
    }
}

/// Standard normal CDF (Abramowitz–Stegun 7.1.26 erf, error < 1.5e-7).
pub fn normal_cdf(z: f64) -> f64 {
    let x = z.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.327_591_1 * x);
    let poly = t
        * (0.254_829_592
            + t * (-0.284_496_736
                + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    let erf = 1.0 - poly * (-x * x).exp();
    if z >= 0.0 {
        0.5 * (1.0 + erf)
    } else {
        0.5 * (1.0 - erf)
    }
}

/// One candidate's estimates over the trials it ran.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    pub candidate: Candidate,
    pub trials: u64,
    pub cost: Estimate,
    pub risk: Estimate,
    /// The chance that at least one month of the horizon runs out: the
    /// average month (`risk`) hides a riskier first month, before refunds
    /// and a carried balance come in.
    pub risk_horizon: Estimate,
    /// Sends per month that could not go out, for either reason.
    pub blocked: Estimate,
    /// The part of `blocked` the Recruiter response-rate floor refused.
    pub floor_blocked: Estimate,
    pub verdict: Verdict,
    /// How sure the verdict is: the normal probability that the true value
    /// is on the verdict's side of the limit (the least sure constraint).
    pub confidence: f64,
    pub status: Status,
}

impl Scored {
    /// The upper end of the risk's 95% interval, as the verdict reads it
    /// ([`upper`]).
    pub fn risk_high(&self) -> f64 {
        upper(self.risk, self.trials, SHARE)
    }

    /// The lower end of the risk's 95% interval, as every other file gives
    /// a chance's (`stats::chance_interval`: at least 3/trials below the
    /// mean, within 0 to 1): a risk of 100% in every trial is 0.999 to 1 at
    /// 4,000 trials, not "1 to 1".
    pub fn risk_low(&self) -> f64 {
        let r = self.risk;
        let (low, high) = (r.low().clamp(0.0, 1.0), r.high().clamp(0.0, 1.0));
        crate::stats::chance_interval(r.mean, (low, high), self.trials).0
    }
}

/// The upper 95% end of a statistic's estimate: the normal one, but never
/// less than the mean plus 3/trials. With no event at all that is the rule
/// of three (a share observed 0 in n trials may still be up to 3/n), and
/// the same margin stays while events are few, where the normal interval
/// is too narrow: otherwise a candidate with 4 short months in 12,000
/// (a normal upper end of 0.066%) would pass a 0.2% limit that one with
/// none (3/1000 = 0.3%) fails, and a dearer, riskier plan would win. With
/// many events the normal end is the wider and is used. Never above
/// `ceiling`, the statistic's own bound ([`SHARE`] for a share): a risk of
/// 100% is within a 100% limit, and an interval does not end at 100.3%.
pub fn upper(e: Estimate, trials: u64, ceiling: f64) -> f64 {
    e.high()
        .max(e.mean + 3.0 / trials.max(1) as f64)
        .min(ceiling)
}

/// The bound of a share (the risk): 100%.
pub const SHARE: f64 = 1.0;

/// The verdict and its confidence for a statistic against `limit`
/// (`ceiling`: the statistic's own bound, see [`upper`]).
fn against(e: Estimate, trials: u64, limit: f64, ceiling: f64) -> (Verdict, f64) {
    let up = upper(e, trials, ceiling);
    let se = e.se.max((up - e.mean) / Z95);
    // A limit at the statistic's own bound (--max-risk 100%) holds every
    // value it can take: sure, whatever the noise says of the tail past it.
    let p_within = if se == 0.0 || limit >= ceiling {
        if e.mean <= limit { 1.0 } else { 0.0 }
    } else {
        normal_cdf((limit - e.mean) / se)
    };
    if up <= limit {
        (Verdict::Feasible, p_within)
    } else if e.low() > limit {
        // Judged by the normal lower end, so sure by the normal se: the
        // widened one (for the upper end) said 68% of a candidate whose
        // whole interval is past the limit.
        let p_below = if e.se == 0.0 {
            0.0
        } else {
            normal_cdf((limit - e.mean) / e.se)
        };
        (Verdict::Infeasible, 1.0 - p_below)
    } else if p_within >= 0.5 {
        (Verdict::Unsure, p_within)
    } else {
        (Verdict::Unsure, 1.0 - p_within)
    }
}

/// Scores `outcomes` (a candidate's trials, in order) against `limits`.
pub fn score(candidate: &Candidate, outcomes: &[Outcome], months: u32, limits: &Limits) -> Scored {
    let n = outcomes.len() as u64;
    let risk = estimate(Stat::Exhausted, outcomes, months);
    let blocked = estimate(Stat::Blocked, outcomes, months);
    let mut checks = vec![against(risk, n, limits.max_risk, SHARE)];
    if let Some(max) = limits.max_blocked {
        checks.push(against(blocked, n, max, f64::INFINITY));
    }
    let verdict = if checks.iter().any(|c| c.0 == Verdict::Infeasible) {
        Verdict::Infeasible
    } else if checks.iter().all(|c| c.0 == Verdict::Feasible) {
        Verdict::Feasible
    } else {
        Verdict::Unsure
    };
    let confidence = checks
        .iter()
        .filter(|c| verdict == Verdict::Unsure || c.0 == verdict)
        .map(|c| c.1)
        .fold(1.0, f64::min);
    Scored {
        candidate: candidate.clone(),
        trials: n,
        cost: estimate(Stat::Cost, outcomes, months),
        risk,
        risk_horizon: Estimate::of(
            outcomes
                .iter()
                .map(|o| if o.months_exhausted > 0 { 1.0 } else { 0.0 }),
        ),
        blocked,
        floor_blocked: floor_blocked(outcomes, months),
        verdict,
        confidence,
        status: Status::Running,
    }
}

/// Sends per month the Recruiter floor refused, over `outcomes`.
fn floor_blocked(outcomes: &[Outcome], months: u32) -> Estimate {
    let m = f64::from(months.max(1));
    Estimate::of(outcomes.iter().map(|o| o.floor_blocked as f64 / m))
}

/// The paired comparison of the runner-up with the recommendation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pair {
    /// cost(runner-up) − cost(recommendation), dollars per month.
    pub difference: Estimate,
    /// Share of the shared trials in which the runner-up costs less.
    pub runner_up_cheaper: f64,
    pub trials: u64,
}

pub fn pair(a: &[Outcome], b: &[Outcome], months: u32) -> Pair {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let cheaper = b
        .iter()
        .zip(a)
        .filter(|(y, x)| y.cost_cents < x.cost_cents)
        .count();
    Pair {
        difference: paired(Stat::Cost, b, a, months),
        runner_up_cheaper: cheaper as f64 / n.max(1) as f64,
        trials: n as u64,
    }
}

/// Cheaper first; at an equal mean cost (the same plan price with no
/// add-ons: Recruiter Professional Services and Corporate are both $900),
/// the smaller risk, then the fewer blocked sends. The leader and the
/// ranking both order by it, so two options a user pays the same for are
/// never decided for the one that runs out more.
pub fn cheaper_then_safer(a: &Scored, b: &Scored) -> std::cmp::Ordering {
    a.cost
        .mean
        .total_cmp(&b.cost.mean)
        .then(a.risk.mean.total_cmp(&b.risk.mean))
        .then(a.blocked.mean.total_cmp(&b.blocked.mean))
}

/// Candidates ranked: feasible by cost, then unsure by cost (equal costs
/// by risk: [`cheaper_then_safer`]), then infeasible by risk (equal risks,
/// as when every candidate runs out every month, by fewer blocked sends,
/// then cost; remaining ties by the candidate order, so the ranking is
/// reproducible).
pub fn rank(scored: &[Scored]) -> Vec<usize> {
    let class = |v: Verdict| match v {
        Verdict::Feasible => 0,
        Verdict::Unsure => 1,
        Verdict::Infeasible => 2,
    };
    let mut order: Vec<usize> = (0..scored.len()).collect();
    order.sort_by(|&i, &j| {
        let (a, b) = (&scored[i], &scored[j]);
        let within = match a.verdict {
            Verdict::Infeasible => a
                .risk
                .mean
                .total_cmp(&b.risk.mean)
                .then(a.blocked.mean.total_cmp(&b.blocked.mean))
                .then(a.cost.mean.total_cmp(&b.cost.mean)),
            _ => cheaper_then_safer(a, b),
        };
        class(a.verdict)
            .cmp(&class(b.verdict))
            .then(within)
            .then(i.cmp(&j))
    });
    order
}

/// The cost-versus-risk frontier: the candidates no other beats on both
/// mean cost and risk (at least as good on both, better on one), by cost
/// ascending; along it the risk falls strictly.
pub fn frontier(scored: &[Scored]) -> Vec<usize> {
    let beats = |j: &Scored, i: &Scored| {
        j.cost.mean <= i.cost.mean
            && j.risk.mean <= i.risk.mean
            && (j.cost.mean < i.cost.mean || j.risk.mean < i.risk.mean)
    };
    let mut front: Vec<usize> = (0..scored.len())
        .filter(|&i| !scored.iter().any(|j| beats(j, &scored[i])))
        .collect();
    front.sort_by(|&i, &j| {
        scored[i]
            .cost
            .mean
            .total_cmp(&scored[j].cost.mean)
            .then(scored[i].risk.mean.total_cmp(&scored[j].risk.mean))
            .then(i.cmp(&j))
    });
    // Equal cost and risk: keep the first of each such group.
    front.dedup_by(|b, a| {
        scored[*a].cost.mean == scored[*b].cost.mean && scored[*a].risk.mean == scored[*b].risk.mean
    });
    front
}

/// A candidate that stopped before the leader is priced with the leader
/// as a control variate: its mean over its `n` trials, plus β times the
/// leader's mean over all its trials minus the leader's mean over the
/// same `n` (β = cov(candidate, leader) / var(leader) on those trials).
/// Its own mean over fewer trials could rank it against the pairing that
/// stopped it (β ≈ 1 for a candidate that moves with the leader: the
/// leader's mean plus their paired difference), and β = 0 leaves a fixed
/// price exact.
fn price_on_the_leaders_trials(e: &mut elimination::Elimination, months: u32) {
    let Some(l) = e.scored.iter().position(|s| s.status == Status::Leader) else {
        return;
    };
    let cost = |o: &Outcome| Stat::Cost.of(o, months);
    let leader_all = e.scored[l].cost;
    for i in 0..e.scored.len() {
        let n = e.outcomes[i].len();
        if i == l || n < 2 || n >= e.outcomes[l].len() {
            continue;
        }
        let c: Vec<f64> = e.outcomes[i].iter().map(cost).collect();
        let x: Vec<f64> = e.outcomes[l][..n].iter().map(cost).collect();
        let (mc, mx) = (
            Estimate::of(c.iter().copied()),
            Estimate::of(x.iter().copied()),
        );
        let (mut cov, mut var) = (0.0, 0.0);
        for (ci, xi) in c.iter().zip(&x) {
            cov += (ci - mc.mean) * (xi - mx.mean);
            var += (xi - mx.mean) * (xi - mx.mean);
        }
        let beta = if var > 0.0 { cov / var } else { 0.0 };
        let rest = Estimate::of(c.iter().zip(&x).map(|(ci, xi)| ci - beta * xi));
        e.scored[i].cost = Estimate {
            mean: mc.mean + beta * (leader_all.mean - mx.mean),
            se: rest.se.hypot(beta * leader_all.se),
        };
    }
}

/// What `recommend` concludes from an elimination.
#[derive(Debug, Clone)]
pub struct Recommendation {
    pub elimination: elimination::Elimination,
    /// Candidate indices, best first (`rank`).
    pub ranking: Vec<usize>,
    pub chosen: Option<usize>,
    pub runner_up: Option<usize>,
    /// The runner-up against the recommendation, trial by trial.
    pub pair: Option<Pair>,
    pub frontier: Vec<usize>,
    pub months: u32,
    /// The scenario's catalog plan when the candidates were not chosen
    /// with `--plans`: a recommendation of another product family says so.
    pub scenario_plan: Option<&'static crate::scenario::catalog::CatalogPlan>,
    /// The scenario's start date when it is not the 1st of a month: a
    /// calendar plan's first month is then partial (`late_start`).
    pub late_start: Option<crate::calendar::Date>,
    /// Notes on the scenario's own terms the candidates keep (set by the
    /// command, said after the answer): [`annual_priced_as_monthly`].
    pub notes: Vec<String>,
    /// The scenario's `[demand] backlog` (every candidate keeps its
    /// demand): a blocked InMail waits and is tried again each send day,
    /// each try counted in `blocked`, so the answer says attempts
    /// ([`blocked_words`]).
    pub backlog: bool,
}

impl Recommendation {
    pub fn new(mut e: elimination::Elimination, months: u32) -> Recommendation {
        price_on_the_leaders_trials(&mut e, months);
        let ranking = rank(&e.scored);
        let usable = |k: usize| {
            ranking
                .get(k)
                .copied()
                .filter(|&i| e.scored[i].verdict != Verdict::Infeasible)
        };
        let (chosen, runner_up) = (usable(0), usable(1));
        let pair = chosen
            .zip(runner_up)
            .map(|(a, b)| pair(&e.outcomes[a], &e.outcomes[b], months));
        let frontier = frontier(&e.scored);
        Recommendation {
            elimination: e,
            ranking,
            chosen,
            runner_up,
            pair,
            frontier,
            months,
            scenario_plan: None,
            late_start: None,
            notes: Vec::new(),
            backlog: false,
        }
    }

    pub fn scored(&self) -> &[Scored] {
        &self.elimination.scored
    }

    /// A sentence for the tables when the Recruiter floor refused sends of
    /// some candidate: its refusals count as running out (see [`Outcome`]).
    pub fn floor_note(&self) -> Option<String> {
        let hit = self
            .scored()
            .iter()
            .filter(|s| s.floor_blocked.mean > 0.0)
            .count();
        (hit > 0).then(|| {
            format!(
                "ran out and blocked include sends the Recruiter response-rate floor refused \
                 (Help 413271; {hit} candidate{} hit it): it blocks sending for 14 days, so a month \
                 it does is one the user could not send their volume. floor_blocked_per_month in \
                 candidates.csv is that part.",
                if hit == 1 { "" } else { "s" }
            )
        })
    }

    /// A sentence for the tables when the scenario has a backlog: their
    /// "blocked" (and candidates.csv's `blocked_per_month`) counts a
    /// waiting InMail each day it is retried, as `run`'s "send attempts
    /// blocked (each retry)" does; "blocked 16.8" read as InMails against
    /// a demand of a few a day (an independent check, seventeenth session).
    pub fn blocked_note(&self) -> Option<String> {
        self.backlog.then(|| {
            "blocked: send attempts a month that could not go out, a waiting InMail counting \
             each day it is retried ([demand] backlog = true); blocked_per_month in \
             candidates.csv counts them the same way."
                .to_string()
        })
    }

    /// The answer in plain words, one sentence each: the recommendation,
    /// the runner-up (for the terminal and report.html alike).
    pub fn sentences(&self, limits: &Limits) -> Vec<String> {
        let s = self.scored();
        let limit = Stat::Exhausted.show(limits.max_risk);
        let Some(c) = self.chosen else {
            let safest = self
                .ranking
                .iter()
                .copied()
                // Equal risks (every candidate running out in every month,
                // or the same plan billed two ways): the one that blocks
                // fewer sends, then the cheaper. At 100% for all, "lowest
                // chance" named the cheaper of two where it blocked 417
                // sends a month against 375.
                .min_by(|&i, &j| {
                    s[i].risk
                        .mean
                        .total_cmp(&s[j].risk.mean)
                        .then(s[i].blocked.mean.total_cmp(&s[j].blocked.mean))
                        .then(s[i].cost.mean.total_cmp(&s[j].cost.mean))
                });
            let best = safest.map_or(String::new(), |i| {
                format!(
                    ": the lowest chance is {} ({})",
                    Stat::Exhausted.show(s[i].risk.mean),
                    s[i].candidate.words()
                )
            });
            let blocked = limits.max_blocked.map_or(String::new(), |b| {
                format!(
                    " and its {} within {} a month",
                    blocked_words(self.backlog, false),
                    blocked_limit(b)
                )
            });
            // With --max-blocked, the fewest blocked sends too: the lowest
            // chance alone (3.12% against a 50% limit) named the limit that
            // was met, not the one that failed (an independent check).
            let fewest = limits
                .max_blocked
                .and_then(|_| {
                    self.ranking.iter().copied().min_by(|&i, &j| {
                        s[i].blocked
                            .mean
                            .total_cmp(&s[j].blocked.mean)
                            .then(s[i].risk.mean.total_cmp(&s[j].risk.mean))
                            .then(s[i].cost.mean.total_cmp(&s[j].cost.mean))
                    })
                })
                .map_or(String::new(), |i| {
                    format!(
                        "; the fewest {} are {} a month ({})",
                        blocked_words(self.backlog, false),
                        Stat::Blocked.show(s[i].blocked.mean),
                        s[i].candidate.words()
                    )
                });
            let none = format!(
                "No candidate keeps the chance a month runs out within {limit}{blocked}{best}{fewest}."
            );
            return std::iter::once(none)
                .chain(self.late_start_note())
                .chain(self.annual_left_out())
                .chain(self.notes.iter().cloned())
                .collect();
        };
        // The limits the verdict is against: the risk's, and --max-blocked's
        // when given (either can be the one not shown).
        let limit = match limits.max_blocked {
            None => format!("the {limit} limit"),
            Some(b) => format!(
                "the {limit} limit and {} {} a month",
                blocked_limit(b),
                blocked_words(self.backlog, b == 1.0)
            ),
        };
        let r = &s[c];
        let sure = match r.verdict {
            Verdict::Feasible => format!("within {limit} at 95%"),
            _ => format!(
                "not shown within {limit} at 95% after {} (no candidate was)",
                crate::numbers::count(r.trials, "trial", "trials")
            ),
        };
        let any = match self.months {
            1 => String::new(),
            n => format!(
                "; {} that at least one of the {n} months does",
                Stat::Exhausted.show(r.risk_horizon.mean)
            ),
        };
        let mut out = vec![format!(
            "Recommended: {}: {} a month (95% CI {} to {}), a {} chance a month runs out \
             (95% CI {} to {}){any}; {sure}.",
            r.candidate.words(),
            crate::compare::summary::dollars(100.0 * r.cost.mean),
            crate::compare::summary::dollars(100.0 * r.cost.low()),
            crate::compare::summary::dollars(100.0 * r.cost.high()),
            Stat::Exhausted.show(r.risk.mean),
            Stat::Exhausted.show(r.risk_low()),
            Stat::Exhausted.show(r.risk_high()),
        )];
        out.extend(self.cheaper_unsure(c, &limit));
        out.extend(self.maybe_cheaper(c));

        if let (Some(u), Some(p)) = (self.runner_up, self.pair) {
            let u = &s[u];
            out.push(format!(
                "Runner-up: {}: {} a month; on the {} both ran, {} more (95% CI {} to {}), \
                 and the cheaper of the two in {:.1}% of them.",
                u.candidate.words(),
                crate::compare::summary::dollars(100.0 * u.cost.mean),
                crate::numbers::count(p.trials, "trial", "trials"),
                crate::compare::summary::dollars(100.0 * p.difference.mean),
                crate::compare::summary::dollars(100.0 * p.difference.low()),
                crate::compare::summary::dollars(100.0 * p.difference.high()),
                p.runner_up_cheaper * 100.0
            ));
        }
        out.extend(self.other_family(c));
        out.extend(placeholder_price(&s[c].candidate));
        out.extend(self.late_start_note());
        out.extend(self.annual_left_out());
        out.extend(self.notes.iter().cloned());
        out
    }

    /// Started after the 1st, a calendar plan's first month is partial
    /// and charged in full (credit-rules §1, §8.10): its months cover
    /// fewer days than an anniversary plan's, and its short first month,
    /// with less demand and a full grant, runs out less often, so the
    /// comparison is not like for like (docs/recommend.md).
    fn late_start_note(&self) -> Option<String> {
        let renewals = self.scored().iter().map(|s| s.candidate.plan.renewal);
        crate::calendar::late_start_note(self.late_start?, renewals)
    }

    /// Why no candidate is billed annually over a horizon that is not
    /// whole years (`candidates::annual_is_a_candidate`).
    fn annual_left_out(&self) -> Option<String> {
        let has_annual = self.scored().iter().any(|s| {
            let p = s.candidate.plan;
            p.price_annual_cents != p.price_monthly_cents
        });
        (has_annual && !candidates::annual_is_a_candidate(self.months)).then(|| {
            format!(
                "Annual billing is left out: it commits to a year, paid in full, and these {} \
                 would make it look cheaper than it is; run with --months 12 (or 24, 36) to \
                 weigh it.",
                crate::numbers::count(u64::from(self.months), "month", "months")
            )
        })
    }
}

impl Recommendation {
    /// Candidates cheaper than the recommendation `c` (a feasible one)
    /// left unsure when the trials ran out: the rule picks the cheapest
    /// candidate shown feasible, but one of these, with more trials, could
    /// be shown feasible and cheaper; the answer says so rather than read
    /// as if they had been ruled out.
    fn cheaper_unsure(&self, c: usize, limit: &str) -> Option<String> {
        let s = self.scored();
        if s[c].verdict != Verdict::Feasible {
            return None;
        }
        let cheaper: Vec<usize> = self
            .ranking
            .iter()
            .copied()
            .filter(|&i| s[i].verdict == Verdict::Unsure && s[i].cost.mean < s[c].cost.mean)
            .collect();
        let &cheapest = cheaper.first()?;
        let most = cheaper.iter().map(|&i| s[i].trials).max().unwrap_or(0);
        let at = format!(
            "{} ({} a month)",
            s[cheapest].candidate.words(),
            crate::compare::summary::dollars(100.0 * s[cheapest].cost.mean)
        );
        let (who, them) = match cheaper.len() {
            1 => (format!("A cheaper candidate, {at}, was"), "it"),
            n => (format!("{n} cheaper candidates, from {at}, were"), "them"),
        };
        Some(format!(
            "{who} left unsure after {}: not shown within or past {limit} at 95%. Raise \
             --max-trials to decide {them}; the recommendation could change.",
            crate::numbers::count(most, "trial", "trials")
        ))
    }
}

impl Recommendation {
    /// Candidates shown feasible whose paired cost difference with the
    /// recommendation `c` reaches below $0 at 95%: the elimination stopped
    /// them once that difference was known to ± the precision, so they may
    /// cost less by less than it; the answer says so rather than read as
    /// if the order were settled.
    fn maybe_cheaper(&self, c: usize) -> Option<String> {
        let s = self.scored();
        let o = &self.elimination.outcomes;
        let cheaper_in_some_trial = |i: usize| {
            o[i].iter()
                .zip(&o[c])
                .any(|(x, y)| x.cost_cents < y.cost_cents)
        };
        let close: Vec<(usize, Estimate)> = self
            .ranking
            .iter()
            .copied()
            .filter(|&i| i != c && s[i].verdict == Verdict::Feasible)
            .map(|i| (i, super::paired(Stat::Cost, &o[i], &o[c], self.months)))
            // Less by at least a cent at the interval's end, and less in
            // at least one trial: a normal interval around a difference
            // that is never below 0 can still reach below it.
            .filter(|(i, d)| d.has_interval() && d.low() <= -0.005 && cheaper_in_some_trial(*i))
            .collect();
        let &(first, d) = close.first()?;
        let lowest = close
            .iter()
            .map(|(_, d)| d.low())
            .fold(f64::INFINITY, f64::min);
        let others = match close.len() {
            1 => String::new(),
            2 => " and 1 more candidate".to_string(),
            n => format!(" and {} more candidates", n - 1),
        };
        let who = format!(
            "{} ({} more on average){others}",
            s[first].candidate.words(),
            dollars(d.mean)
        );
        // Stopped as resolved, their difference was known to ± the
        // precision; still running at --max-trials, the trials ran out.
        let settle = match close.iter().any(|(i, _)| s[*i].status == Status::Resolved) {
            true => {
                "a smaller --precision cost_difference settles which is cheaper, with more trials"
            }
            false => "more --max-trials settle which is cheaper",
        };
        Some(format!(
            "Not settled: {who} could cost less than the recommendation, by up to {} a month \
             (the 95% interval of the paired difference reaches below $0); {settle}.",
            dollars(-lowest)
        ))
    }
}

impl Recommendation {
    /// A caveat when the recommendation `c` is of another product family
    /// than the scenario's plan (a Recruiter contract for a seller): the
    /// catalog's prices and credits say nothing of what each product is
    /// for, so the answer names the best candidate of the user's own family
    /// and how to keep to it.
    fn other_family(&self, c: usize) -> Option<String> {
        let own = self.scenario_plan?;
        let s = self.scored();
        let chosen = s[c].candidate.plan;
        if chosen.family() == own.family() || own.family() == "free" {
            return None;
        }
        let best = self
            .ranking
            .iter()
            .map(|&i| &s[i])
            .find(|x| x.candidate.plan.family() == own.family())
            .map_or(String::new(), |x| {
                let within = match x.verdict {
                    Verdict::Feasible => "within the limits",
                    Verdict::Unsure => "not shown within the limits",
                    Verdict::Infeasible => "not within the limits",
                };
                // A placeholder price is no price to choose by: said.
                let placeholder =
                    match x.candidate.plan.price_is_placeholder() && !x.candidate.own_price {
                        true => " (at the catalog's placeholder price: set your quote)",
                        false => "",
                    };
                format!(
                    " The best {} candidate, {}, costs {} a month{placeholder} and runs out in {} \
                     of months ({within}).",
                    own.family(),
                    x.candidate.words(),
                    crate::compare::summary::dollars(100.0 * x.cost.mean),
                    Stat::Exhausted.show(x.risk.mean),
                )
            });
        let ids: Vec<&str> = crate::scenario::catalog::CATALOG
            .iter()
            .filter(|p| p.family() == own.family())
            .map(|p| p.id)
            .collect();
        Some(format!(
            "Note: {} is a {} plan; your scenario's, {}, is {}, and LinkedIn sells each \
             family for its own use (Sales Navigator for selling, Recruiter for hiring).{best} \
             To choose within your family: --plans {}.",
            chosen.name,
            chosen.family(),
            own.name,
            own.family(),
            ids.join(",")
        ))
    }
}

/// A note when the scenario's own catalog plan (whose candidates keep its
/// prices) has one price for both billings where the catalog has a lower
/// annual one: a file that sets `price_monthly` alone prices annual billing
/// the same (docs/scenario-format.md), so the list annual price is never
/// weighed, without a word (an independent check: Core at $100 a month was
/// recommended "billed monthly" with the catalog's $89.99 annual unseen).
pub fn annual_priced_as_monthly(plan: &crate::scenario::Plan) -> Option<String> {
    let listed = crate::scenario::catalog::find(&plan.id)?;
    let one_price = plan.price_annual_cents == plan.price_monthly_cents;
    let list_differs = listed.price_annual_cents != listed.price_monthly_cents;
    (one_price && list_differs && plan.price_monthly_cents != listed.price_monthly_cents).then(
        || {
            format!(
                "Note: your scenario prices {} at {} a month billed either way (price_annual, \
                 when not set, is price_monthly), so its annual billing is not weighed apart; the \
                 catalog lists {} a month billed annually: set price_annual to your annual quote \
                 to weigh it.",
                plan.name,
                crate::compare::summary::dollars(plan.price_monthly_cents as f64),
                crate::compare::summary::dollars(listed.price_annual_cents as f64)
            )
        },
    )
}

/// A note when the recommendation's price is the catalog's stand-in for
/// a negotiated one: the decision is only as good as that price.
fn placeholder_price(c: &Candidate) -> Option<String> {
    (c.plan.price_is_placeholder() && !c.own_price).then(|| {
        format!(
            "Note: {}'s price, {} a month, is a placeholder for a negotiated contract \
             (inmail-sim plans); set your quote, per seat, as price_monthly (and price_annual) in the \
             [plan] of a scenario on {} and run recommend on it.",
            c.plan.name,
            crate::compare::summary::dollars(c.plan.price_monthly_cents as f64),
            c.plan.id
        )
    })
}

fn dollars(v: f64) -> String {
    crate::compare::summary::dollars(100.0 * v)
}

/// What `blocked` counts, in words: "blocked sends" ("blocked send" for
/// `one`), or with a backlog "send attempts blocked (each retry)", as
/// `run` labels its horizon line (`metrics::blocked_label`): a waiting
/// InMail is tried each send day and each try counts, so "the fewest
/// blocked sends are 16.767 a month" misread as InMails, and
/// `--max-blocked` limits attempts.
pub fn blocked_words(backlog: bool, one: bool) -> &'static str {
    match (backlog, one) {
        (false, false) => "blocked sends",
        (false, true) => "blocked send",
        (true, false) => "send attempts blocked (each retry)",
        (true, true) => "send attempt blocked (each retry)",
    }
}

/// `--max-blocked` as given, in exponent form below 0.001 (1e-300 printed
/// as a decimal is 300 digits).
fn blocked_limit(b: f64) -> String {
    if b != 0.0 && b.abs() < 1e-3 {
        format!("{b:e}")
    } else {
        format!("{b}")
    }
}

/// `--max-risk`: "5%" or 0.05.
pub fn parse_max_risk(text: &str) -> Result<f64, crate::error::UserError> {
    if Stat::Exhausted.is_bare_one(text) {
        return Err(crate::error::UserError(format!(
            "--max-risk {text}: a bare 1 is read as a fraction, 100% (every candidate passes), \
             but may mean 1%: write 1% or 100%"
        )));
    }
    let risk = Stat::Exhausted.read(text).ok_or_else(|| {
        crate::error::UserError(format!(
            "--max-risk {text}: expected a share from 0% to 100%, e.g. 5% or 0.05"
        ))
    })?;
    // As `--max-blocked 0`: a verdict's upper end is at least 3/trials, so
    // no candidate could ever be shown within a limit of 0.
    if risk == 0.0 {
        return Err(crate::error::UserError(format!(
            "--max-risk {text}: no number of trials can show that a candidate never runs out \
             (a rarer month stays possible), so none would be recommended; give a small limit \
             above 0, e.g. --max-risk 0.1%"
        )));
    }
    Ok(risk)
}

/// `--precision cost_difference=DOLLARS` (or just DOLLARS): the resolution.
pub fn parse_resolution(text: &str) -> Result<f64, crate::error::UserError> {
    let value = text.strip_prefix("cost_difference=").unwrap_or(text);
    crate::scenario::values::dollars(value).filter(|v| v.is_finite() && *v > 0.0)
        .ok_or_else(|| {
            crate::error::UserError(format!(
                "--precision {text}: expected cost_difference=DOLLARS above 0, e.g. cost_difference=1 \
                 (recommend resolves the leaders' paired cost difference to that 95% half-width)"
            ))
        })
}
