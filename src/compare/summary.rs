//! What a compare set's statistics say: per option, the monthly cost and
//! the chance of running out with their 95% intervals and the per-month
//! means; per pair, the paired cost difference, the chance that each option
//! is the cheaper one, and a verdict in plain words.
//!
//! Money stays in cents here (the CSV writers print dollars); every "per
//! month" figure is a horizon total divided by the number of months.

use super::lockstep::{CompareStats, PairStats};
use crate::engine::Metric;
use crate::precision::{Z95, wilson};
use crate::stats::{Histogram, RunStats};

/// A mean with its standard error and 95% interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    pub mean: f64,
    pub se: f64,
    pub low: f64,
    pub high: f64,
}

impl Estimate {
    /// The mean of a horizon histogram divided by `months`, with the
    /// normal interval `mean ± 1.96·se`.
    fn per_month(h: &Histogram, months: usize) -> Estimate {
        let m = months as f64;
        // One trial: se is NaN, and so is the interval (written n/a).
        let (mean, se) = h.summary().map_or((0.0, 0.0), |s| (s.mean / m, s.se / m));
        Estimate {
            mean,
            se,
            low: mean - Z95 * se,
            high: mean + Z95 * se,
        }
    }

    /// A proportion with its Wilson interval (`se` is the binomial one);
    /// none (NaN) with fewer than 2 trials, like every other interval.
    fn proportion(successes: u64, trials: u64) -> Estimate {
        let p = successes as f64 / trials.max(1) as f64;
        let (low, high) = if trials < 2 {
            (f64::NAN, f64::NAN)
        } else {
            wilson(successes, trials)
        };
        Estimate {
            mean: p,
            se: if trials < 2 {
                f64::NAN
            } else {
                (p * (1.0 - p) / trials as f64).sqrt()
            },
            low,
            high,
        }
    }

    pub fn half_width(&self) -> f64 {
        (self.high - self.low) / 2.0
    }

    /// Whether there is an interval (there is none with fewer than 2 trials).
    pub fn has_interval(&self) -> bool {
        !self.low.is_nan() && !self.high.is_nan()
    }

    /// `$mean ($low–$high)` for an estimate in cents; `$mean (n/a)` without
    /// an interval.
    pub fn dollars_with_interval(&self) -> String {
        if !self.has_interval() {
            return format!("{} ({})", dollars(self.mean), crate::stats::NA);
        }
        format!(
            "{} ({}–{})",
            dollars(self.mean),
            dollars(self.low),
            dollars(self.high)
        )
    }
}

/// One option of a compare set.
#[derive(Debug, Clone, PartialEq)]
pub struct OptionSummary {
    pub trials: u64,
    /// Mean monthly cost, cents.
    pub cost: Estimate,
    /// The chance of running out in a month: the mean of `exhausted` over
    /// every month of every trial. Its interval comes from each trial's
    /// share of months (the months of one trial are not independent).
    pub ran_out_month: Estimate,
    /// The chance of running out at least once over the horizon (Wilson).
    pub ran_out_horizon: Estimate,
    pub blocked_per_month: f64,
    pub refunds_per_month: f64,
    pub expired_per_month: f64,
    pub addons_per_month: f64,
    /// Mean days a month the Recruiter response-rate floor stopped sending
    /// (`stats::floor`), which `ran_out_month` leaves out.
    pub floor_days_per_month: f64,
    /// Send attempts a month the floor refused (`floor_refused`), which
    /// `blocked_per_month` leaves out.
    pub refused_per_month: f64,
    /// Mean cost over mean InMails sent (paid and free), cents.
    pub cost_per_sent: Option<f64>,
    /// Mean cost over mean responses, cents.
    pub cost_per_response: Option<f64>,
}

fn mean(stats: &RunStats, metric: Metric) -> f64 {
    stats.horizon_of(metric).summary().map_or(0.0, |s| s.mean)
}

fn ratio(numerator: f64, denominator: f64) -> Option<f64> {
    (denominator > 0.0).then(|| numerator / denominator)
}

impl OptionSummary {
    pub fn new(stats: &RunStats) -> OptionSummary {
        let months = stats.months();
        let m = months as f64;
        let exhausted_months = stats.horizon_of(Metric::MonthsExhausted);
        let ran_out_ever: u64 = exhausted_months
            .iter()
            .filter(|(v, _)| *v >= 1)
            .map(|(_, n)| n)
            .sum();
        let cost = mean(stats, Metric::TotalCost);
        // InMails that went out: under the Recruiter follow-up rule a
        // follow-up is charged (in `sent_paid`) with its first message and
        // returned unsent when the first is answered first; those are not
        // sent (an independent check: every follow-up answered away, $/sent
        // was half of the same scenario without follow-ups). Over the
        // horizon the returns net out; a follow-up still waiting at the end
        // stays counted, paid for within it.
        let sent = mean(stats, Metric::SentPaid) + mean(stats, Metric::SentFree)
            - mean(stats, Metric::FollowUpsReturned);
        let mut ran_out_month = Estimate::per_month(exhausted_months, months);
        if ran_out_month.has_interval() {
            // With no month run out, or few, the normal interval claims too
            // much: the rule of three's margin (`stats::chance_interval`).
            let r = &mut ran_out_month;
            (r.low, r.high) = crate::stats::chance_interval(r.mean, (r.low, r.high), stats.trials);
        }
        OptionSummary {
            trials: stats.trials,
            cost: Estimate::per_month(stats.horizon_of(Metric::TotalCost), months),
            ran_out_month,
            ran_out_horizon: Estimate::proportion(ran_out_ever, stats.trials),
            blocked_per_month: mean(stats, Metric::Blocked) / m,
            refunds_per_month: mean(stats, Metric::Refunds) / m,
            expired_per_month: mean(stats, Metric::Expired) / m,
            addons_per_month: mean(stats, Metric::Purchased) / m,
            floor_days_per_month: crate::stats::floor::days_per_month(stats),
            refused_per_month: crate::stats::floor::refused_per_month(stats),
            cost_per_sent: ratio(cost, sent),
            cost_per_response: ratio(cost, mean(stats, Metric::Responses)),
        }
    }
}

/// One pair (A, B) of a compare set.
#[derive(Debug, Clone, PartialEq)]
pub struct PairSummary {
    pub a: usize,
    pub b: usize,
    pub trials: u64,
    /// Mean monthly cost of A minus B, cents, from the per-trial
    /// differences (paired).
    pub difference: Estimate,
    /// The 95% half-width the same trials would give unpaired:
    /// 1.96·√(se_A² + se_B²) from each option's own cost distribution.
    pub unpaired_half_width: f64,
    /// Share of trials in which A cost strictly less (Wilson interval).
    pub a_cheaper: Estimate,
    pub b_cheaper: f64,
    pub tie: f64,
    /// Blocked sends per month of A and of B.
    pub blocked: (f64, f64),
    /// Days a month the Recruiter floor stopped A's and B's sending (whose
    /// refused sends `blocked` does not count).
    pub floor_days: (f64, f64),
    /// Send attempts a month the floor refused, of A and of B.
    pub refused: (f64, f64),
}

impl PairSummary {
    pub fn new(pair: &PairStats, options: &[OptionSummary], months: usize) -> PairSummary {
        let trials = pair.trials();
        let n = trials.max(1) as f64;
        let (se_a, se_b) = (options[pair.a].cost.se, options[pair.b].cost.se);
        PairSummary {
            a: pair.a,
            b: pair.b,
            trials,
            difference: Estimate::per_month(&pair.difference, months),
            unpaired_half_width: Z95 * (se_a * se_a + se_b * se_b).sqrt(),
            a_cheaper: Estimate::proportion(pair.a_cheaper, trials),
            b_cheaper: pair.b_cheaper as f64 / n,
            tie: pair.ties as f64 / n,
            blocked: (
                options[pair.a].blocked_per_month,
                options[pair.b].blocked_per_month,
            ),
            floor_days: (
                options[pair.a].floor_days_per_month,
                options[pair.b].floor_days_per_month,
            ),
            refused: (
                options[pair.a].refused_per_month,
                options[pair.b].refused_per_month,
            ),
        }
    }
}

/// Everything a compare set's trials say.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareSummary {
    pub months: usize,
    pub options: Vec<OptionSummary>,
    pub pairs: Vec<PairSummary>,
}

impl CompareSummary {
    pub fn new(stats: &CompareStats) -> CompareSummary {
        let months = stats.months();
        let options: Vec<OptionSummary> = stats.options.iter().map(OptionSummary::new).collect();
        let pairs = stats
            .pairs
            .iter()
            .map(|p| PairSummary::new(p, &options, months))
            .collect();
        CompareSummary {
            months,
            options,
            pairs,
        }
    }
}

/// "$41.23" from cents.
pub fn dollars(cents: f64) -> String {
    if cents.is_nan() {
        return crate::stats::NA.to_string();
    }
    let rounded = (cents.abs()).round();
    let sign = if cents < 0.0 && rounded > 0.0 {
        "-"
    } else {
        ""
    };
    // Thousands grouped as every count is ("$1,439.88"); f64 cents are
    // exact integers far beyond any cost a run can reach.
    let whole = (rounded / 100.0).trunc();
    let cents = rounded - whole * 100.0;
    format!(
        "{sign}${}.{:02}",
        crate::numbers::grouped(whole as u64),
        cents as u64
    )
}

fn percent(share: f64) -> String {
    format!("{:.1}%", 100.0 * share)
}

/// "simulated years" for 12 months, else "simulated 24-month horizons".
pub fn horizon_words(months: usize) -> String {
    match months {
        12 => "simulated years".to_string(),
        1 => "simulated months".to_string(),
        m => format!("simulated {m}-month horizons"),
    }
}

/// "blocks 5.6 more sends a month", or, where the Recruiter floor refused
/// sends or a backlog retries them (`retries`), "has 5.6 more send
/// attempts a month blocked for lack of a credit …": with a backlog a
/// waiting InMail counts each day it is retried, and "blocks 413.6 more
/// sends" against a demand of 66 misread as InMails.
fn unsent_words(extra: f64, floor: bool, retries: bool) -> String {
    if !floor && !retries {
        return format!("blocks {extra:.1} more sends a month");
    }
    format!(
        "has {extra:.1} more send attempts a month blocked for lack of a credit{}{}",
        if floor {
            " or refused by the Recruiter floor"
        } else {
            ""
        },
        if retries {
            " (a waiting InMail counts each day it is retried)"
        } else {
            ""
        }
    )
}

/// A cheaper option that sends less is not simply better: say so when it
/// has at least 0.1 more send attempts a month that could not go out.
/// `cheaper` and `other` are (blocked, refused by the floor) a month: a
/// Recruiter plan's floor can refuse many times what credits block, so
/// both count.
fn sends_fewer(cheaper: (f64, f64), other: (f64, f64), retries: bool) -> String {
    let extra = (cheaper.0 + cheaper.1) - (other.0 + other.1);
    if extra < 0.1 {
        return String::new();
    }
    let floor = cheaper.1 != 0.0 || other.1 != 0.0;
    format!(", but it {}", unsent_words(extra, floor, retries))
}

/// Where neither option is named cheaper (a tie, or an interval that holds
/// $0), the one that sends less still must be named: " b blocks 20.5 more
/// sends a month than a." A plan that cannot send the volume is not "the
/// same" as one that can (an independent check found a verdict of "cost
/// exactly the same" where one option ran out in 99% of months and the
/// other in 12%). Empty under 0.1 a month.
fn blocks_more(
    unsent_a: (f64, f64),
    unsent_b: (f64, f64),
    names: (&str, &str),
    retries: bool,
) -> String {
    let total = |u: (f64, f64)| u.0 + u.1;
    let (more, fewer, extra) = if total(unsent_a) >= total(unsent_b) {
        (names.0, names.1, total(unsent_a) - total(unsent_b))
    } else {
        (names.1, names.0, total(unsent_b) - total(unsent_a))
    };
    if extra < 0.1 {
        return String::new();
    }
    let floor = unsent_a.1 != 0.0 || unsent_b.1 != 0.0;
    format!(
        " {more} {} than {fewer}.",
        unsent_words(extra, floor, retries)
    )
}

/// When the Recruiter floor stopped either option's sending: its days and
/// refused sends a month, since the chance of running out counts credit
/// blocks only and a floor's refused sends can be many times more
/// (docs/model.md).
fn floor_clause(pair: &PairSummary, a: &str, b: &str) -> String {
    let (fa, fb) = pair.floor_days;
    if fa <= 0.0 && fb <= 0.0 {
        return String::new();
    }
    let one = |x: f64| format!("{x:.1}");
    format!(
        " The Recruiter floor also stopped sending on {} days a month for {a} and {} for {b}, \
         refusing {} and {} send attempts a month; its refusals are not in the chance of \
         running out.",
        one(fa),
        one(fb),
        one(pair.refused.0),
        one(pair.refused.1),
    )
}

/// When annual billing commits an option to more months than the horizon
/// charges it (`Scenario::uncounted_commitment_cents`, spread over the
/// horizon's months as `extra`, cents a month of A and of B): the verdict
/// again with that cost counted. It is a fixed amount, so the difference's
/// interval moves by it whole. Without it a 6-month horizon of an annual
/// plan read "saves $30.00/month" where buying it costs $59.99 a month
/// more (an independent check, sixteenth session).
pub fn commitment_clause(pair: &PairSummary, (a, b): (&str, &str), extra: (f64, f64)) -> String {
    if extra == (0.0, 0.0) || !pair.difference.has_interval() {
        return String::new();
    }
    let d = &pair.difference;
    let shift = extra.0 - extra.1;
    let (mean, low, high) = (d.mean + shift, d.low + shift, d.high + shift);
    // "$89.99 a month for core_annual": the amount and its unit together,
    // before the name ("$89.99 for a a month" read as a name "a a").
    let whose = match (extra.0 > 0.0, extra.1 > 0.0) {
        (true, true) => format!(
            "{} a month for {a} and {} a month for {b}",
            dollars(extra.0),
            dollars(extra.1)
        ),
        (true, false) => format!("{} a month for {a}", dollars(extra.0)),
        _ => format!("{} a month for {b}", dollars(extra.1)),
    };
    if shift == 0.0 {
        return format!(
            " These costs count only the months held of an annual plan; counting the whole \
             years its billing commits to adds {whose}, the same for both, which leaves \
             this verdict as it is."
        );
    }
    // Within half a cent either way, "saves $0.00" would name a winner of
    // nothing (18 months of annual Core against monthly Core).
    let cent = |x: f64| x.abs() < 0.5;
    let then = if cent(low) && cent(high) {
        format!(
            "they cost the same to the cent ({a} minus {b} {}/month)",
            dollars(mean)
        )
    } else if low > 0.0 {
        format!(
            "{b} saves {}/month (95% CI {}–{})",
            dollars(mean),
            dollars(low),
            dollars(high)
        )
    } else if high < 0.0 {
        format!(
            "{a} saves {}/month (95% CI {}–{})",
            dollars(-mean),
            dollars(-high),
            dollars(-low)
        )
    } else {
        format!(
            "neither is clearly cheaper ({a} minus {b} {}/month, 95% CI {} to {})",
            dollars(mean),
            dollars(low),
            dollars(high)
        )
    };
    format!(
        " These costs count only the months held of an annual plan; counting the whole years \
         its billing commits to adds {whose}, and then {then}."
    )
}

/// The pair's verdict in one sentence, naming the options `a` and `b`. A
/// winner is named only when the 95% interval of the difference excludes 0.
/// `retries`: either option has a backlog, so blocked sends are attempts.
pub fn verdict(pair: &PairSummary, a: &str, b: &str, months: usize, retries: bool) -> String {
    let d = &pair.difference;
    let horizons = horizon_words(months);
    let unsent_a = (pair.blocked.0, pair.refused.0);
    let unsent_b = (pair.blocked.1, pair.refused.1);
    if pair.tie == 1.0 {
        return format!(
            "{a} and {b} cost exactly the same in every one of the {horizons}.{}{}",
            blocks_more(unsent_a, unsent_b, (a, b), retries),
            floor_clause(pair, a, b)
        );
    }
    let a_share = pair.a_cheaper.mean;
    if !d.has_interval() {
        return format!(
            "No verdict from {} trial: {a} minus {b} is {}/month in it, with no interval \
(at least 2 trials are needed).",
            pair.trials,
            dollars(d.mean)
        );
    }
    let floor = floor_clause(pair, a, b);
    if d.low > 0.0 {
        return format!(
            "{b} saves {}/month over {a} (95% CI {}–{}) and is cheaper in {} of {horizons}{}.{floor}",
            dollars(d.mean),
            dollars(d.low),
            dollars(d.high),
            percent(pair.b_cheaper),
            sends_fewer(unsent_b, unsent_a, retries)
        );
    }
    if d.high < 0.0 {
        return format!(
            "{a} saves {}/month over {b} (95% CI {}–{}) and is cheaper in {} of {horizons}{}.{floor}",
            dollars(-d.mean),
            dollars(-d.high),
            dollars(-d.low),
            percent(a_share),
            sends_fewer(unsent_a, unsent_b, retries)
        );
    }
    format!(
        "No clear winner: {a} minus {b} is {}/month (95% CI {} to {}, which includes 0); \
{a} is cheaper in {} of {horizons}, {b} in {}.{}{floor}",
        dollars(d.mean),
        dollars(d.low),
        dollars(d.high),
        percent(a_share),
        percent(pair.b_cheaper),
        blocks_more(unsent_a, unsent_b, (a, b), retries)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(mean: f64, half: f64, a: f64, b: f64) -> PairSummary {
        PairSummary {
            a: 0,
            b: 1,
            trials: 1000,
            difference: Estimate {
                mean,
                se: half / Z95,
                low: mean - half,
                high: mean + half,
            },
            unpaired_half_width: 0.0,
            a_cheaper: Estimate {
                mean: a,
                se: 0.0,
                low: a,
                high: a,
            },
            b_cheaper: b,
            tie: 1.0 - a - b,
            blocked: (0.0, 0.0),
            floor_days: (0.0, 0.0),
            refused: (0.0, 0.0),
        }
    }

    #[test]
    fn the_verdict_names_the_cheaper_option_with_its_saving_and_interval() {
        // A costs $41/month more than B: B saves.
        let v = verdict(
            &pair(4100.0, 300.0, 0.07, 0.93),
            "core",
            "advanced",
            12,
            false,
        );
        assert_eq!(
            v,
            "advanced saves $41.00/month over core (95% CI $38.00–$44.00) and is cheaper in 93.0% of simulated years."
        );
        let mut p = pair(-4100.0, 300.0, 0.93, 0.07);
        let v = verdict(&p, "core", "advanced", 24, false);
        assert_eq!(
            v,
            "core saves $41.00/month over advanced (95% CI $38.00–$44.00) and is cheaper in 93.0% of simulated 24-month horizons."
        );
        p.blocked = (5.62, 0.0);
        assert!(
            verdict(&p, "core", "advanced", 12, false)
                .ends_with("years, but it blocks 5.6 more sends a month."),
        );
        // The floor's refused sends are not in those blocks: said.
        p.floor_days = (0.0, 7.8);
        p.refused = (0.0, 61.25);
        assert!(verdict(&p, "core", "advanced", 12, false).ends_with(
            "The Recruiter floor also stopped sending on 0.0 days a month for core and 7.8 \
                 for advanced, refusing 0.0 and 61.2 send attempts a month; its refusals are not \
                 in the chance of running out."
        ),);
        // A cheaper option the floor stops sends less, refusals included:
        // 5.9 blocked and 94.1 refused are 100 attempts, not "5.9 more".
        p.blocked = (5.9, 0.0);
        p.refused = (94.1, 0.0);
        assert!(
            verdict(&p, "core", "advanced", 12, false).contains(
                "years, but it has 100.0 more send attempts a month blocked for lack of a \
                 credit or refused by the Recruiter floor."
            ),
            "{}",
            verdict(&p, "core", "advanced", 12, false)
        );
    }

    #[test]
    fn annual_billing_held_for_part_of_a_year_is_counted_for_the_whole_year_in_a_second_verdict() {
        // A, annual Core for 6 months, charged $89.99 a month, saves $30 a
        // month over B billed monthly; the 6 months it commits to beyond
        // the horizon add $89.99 a month over these 6.
        let p = pair(-3000.0, 10.0, 1.0, 0.0);
        assert_eq!(commitment_clause(&p, ("a", "m"), (0.0, 0.0)), "");
        assert_eq!(
            commitment_clause(&p, ("a", "m"), (8999.0, 0.0)),
            " These costs count only the months held of an annual plan; counting the whole \
             years its billing commits to adds $89.99 a month for a, and then m saves \
             $59.99/month (95% CI $59.89–$60.09)."
        );
        // Both annual: only the difference of what each adds moves it.
        assert!(
            commitment_clause(&p, ("a", "m"), (8999.0, 6000.0)).ends_with(
                "adds $89.99 a month for a and $60.00 a month for m, and then neither is clearly \
                 cheaper (a minus m -$0.01/month, 95% CI -$0.11 to $0.09)."
            )
        );
        // Adding the same to both leaves the verdict; a difference moved to
        // within half a cent names no winner of $0.00 (18 months of annual
        // Core, $29.9967 a month more, against monthly Core's $30 saving).
        assert!(commitment_clause(&p, ("a", "m"), (500.0, 500.0)).ends_with(
            "adds $5.00 a month for a and $5.00 a month for m, the same for both, which \
                            leaves this verdict as it is."
        ));
        let close = pair(-3000.0, 0.1, 1.0, 0.0);
        assert!(
            commitment_clause(&close, ("a", "m"), (2999.67, 0.0))
                .ends_with("they cost the same to the cent (a minus m $0.00/month)."),
            "{}",
            commitment_clause(&close, ("a", "m"), (2999.67, 0.0))
        );
    }

    #[test]
    fn the_verdict_names_no_winner_when_the_interval_includes_zero() {
        let v = verdict(&pair(-50.0, 120.0, 0.48, 0.45), "a", "b", 12, false);
        assert!(
            v.starts_with("No clear winner: a minus b is -$0.50/month (95% CI -$1.70 to $0.70"),
            "{v}"
        );
        assert!(
            v.ends_with("a is cheaper in 48.0% of simulated years, b in 45.0%."),
            "{v}"
        );
        let mut tie = pair(0.0, 0.0, 0.0, 0.0);
        let v = verdict(&tie, "a", "b", 12, false);
        assert_eq!(
            v,
            "a and b cost exactly the same in every one of the simulated years."
        );
        // Neither cheaper, one sending less: that one is named.
        tie.blocked = (0.7, 20.5);
        assert_eq!(
            verdict(&tie, "a", "b", 12, false),
            "a and b cost exactly the same in every one of the simulated years. b blocks 19.8 \
             more sends a month than a."
        );
        let mut open = pair(34.0, 120.0, 0.49, 0.51);
        open.blocked = (4.5, 0.0);
        open.refused = (0.0, 3.0);
        // With a backlog the blocked sends are attempts, each retry counted.
        let mut retried = pair(34.0, 120.0, 0.49, 0.51);
        retried.blocked = (413.6, 0.0);
        assert!(
            verdict(&retried, "heavy", "light", 12, true).ends_with(
                " heavy has 413.6 more send attempts a month blocked for lack of a credit (a \
                 waiting InMail counts each day it is retried) than light."
            ),
            "{}",
            verdict(&retried, "heavy", "light", 12, true)
        );
        let v = verdict(&open, "advanced", "core_addons", 12, false);
        assert!(
            v.ends_with(
                "core_addons in 51.0%. advanced has 1.5 more send attempts a month blocked for \
                 lack of a credit or refused by the Recruiter floor than core_addons."
            ),
            "{v}"
        );
    }

    #[test]
    fn a_chance_of_running_out_seen_as_zero_or_one_keeps_an_open_end_of_three_over_the_trials() {
        for (exhausted, low, high) in [(0, 0.0, 0.03), (2, 0.97, 1.0)] {
            let mut stats = RunStats::new(2);
            stats.trials = 100;
            for _ in 0..100 {
                stats
                    .horizon_of_mut(Metric::MonthsExhausted)
                    .record(exhausted);
                stats.horizon_of_mut(Metric::TotalCost).record(100);
            }
            let r = OptionSummary::new(&stats).ran_out_month;
            assert_eq!((r.low, r.high), (low, high), "{exhausted} of 2 months");
        }
    }

    #[test]
    fn dollars_round_to_the_cent_and_never_print_minus_zero() {
        assert_eq!(dollars(4123.4), "$41.23");
        assert_eq!(dollars(-0.2), "$0.00");
        assert_eq!(dollars(-150.0), "-$1.50");
        assert_eq!(dollars(143_988.0), "$1,439.88");
        assert_eq!(dollars(19_053_586_011_999.0), "$190,535,860,119.99");
    }
}
