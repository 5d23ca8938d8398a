//! The CSVs of `solve` and `recommend`: Serialize row structs written
//! header first, with no `#` comment lines and one type per column (what
//! happens to the run was, is in metadata.csv).

use super::csv_error;
use crate::decide::question::Question;
use crate::decide::recommend::Recommendation;
use crate::decide::solve::Answer;
use serde::Serialize;
use std::io::{self, Write};

/// Writes the header of `R` and one record per row (the header even with
/// no rows).
pub fn write_plain_rows<R: Serialize + Default>(out: &mut dyn Write, rows: &[R]) -> io::Result<()> {
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(out);
    let header = super::table::header_of::<R>()?;
    w.write_record(&header).map_err(csv_error)?;
    for r in rows {
        w.serialize(r).map_err(csv_error)?;
    }
    w.flush()
}

/// One row of solve.csv: one evaluation.
#[derive(Debug, Default, Serialize)]
pub struct EvaluationRow {
    /// 1-based order in which the evaluations were made.
    pub order: usize,
    pub param: String,
    pub value: String,
    /// scan, bisection or interval.
    pub role: String,
    pub stat: String,
    pub mean: String,
    /// Empty with fewer than 2 trials, which give no standard error.
    pub se: Option<String>,
    pub ci95_low: Option<String>,
    pub ci95_high: Option<String>,
    pub trials: u64,
}

/// A value that may not exist (NaN: an interval of one trial) as a cell:
/// empty when it does not; else as candidates.csv writes numbers
/// ([`number`]: six decimals, six significant digits below 0.001), not
/// `0.34872070312500003`.
fn existing(x: f64) -> Option<String> {
    (!x.is_nan()).then(|| number(x))
}

pub fn evaluation_rows(q: &Question, answer: &Answer) -> Vec<EvaluationRow> {
    answer
        .evaluations
        .iter()
        .map(|e| EvaluationRow {
            order: e.order,
            param: q.key.path.to_string(),
            value: number(e.x),
            role: e.role.key().to_string(),
            stat: q.problem.stat.key().to_string(),
            mean: number(e.estimate.mean),
            se: existing(e.estimate.se),
            ci95_low: existing(q.problem.interval(e).0),
            ci95_high: existing(q.problem.interval(e).1),
            trials: q.trials,
        })
        .collect()
}

/// solve_answer.csv: the answer, one row.
#[derive(Debug, Default, Serialize)]
pub struct AnswerRow {
    pub param: String,
    pub stat: String,
    pub target: String,
    pub answer: String,
    /// Empty with fewer than 2 trials per evaluation.
    pub ci95_low: Option<String>,
    pub ci95_high: Option<String>,
    /// increasing or decreasing: how the statistic moves with the parameter.
    pub direction: String,
    pub range_low: String,
    pub range_high: String,
    pub evaluations: usize,
    pub trials_per_evaluation: u64,
    pub seed: u64,
}

pub fn answer_row(q: &Question, a: &Answer) -> AnswerRow {
    AnswerRow {
        param: q.key.path.to_string(),
        stat: q.problem.stat.key().to_string(),
        target: number(q.problem.target),
        answer: number(a.x),
        ci95_low: existing(a.low),
        ci95_high: existing(a.high),
        direction: a.direction.key().to_string(),
        range_low: number(q.problem.lo),
        range_high: number(q.problem.hi),
        evaluations: a.evaluations.len(),
        trials_per_evaluation: q.trials,
        seed: q.base.seed,
    }
}

/// One row of candidates.csv: one candidate, best first.
#[derive(Debug, Default, Serialize)]
pub struct CandidateRow {
    pub rank: usize,
    pub candidate: String,
    pub plan_id: String,
    pub billing: String,
    pub addons: String,
    pub seats: u32,
    /// Buys add-ons on a plan that sells none today.
    pub what_if: bool,
    pub cost_per_month: String,
    pub cost_ci95_low: String,
    pub cost_ci95_high: String,
    /// The chance a month runs out (a share): a send could not go out, for
    /// lack of credit or refused by the Recruiter floor.
    pub ran_out_month: String,
    pub ran_out_month_ci95_low: String,
    pub ran_out_month_ci95_high: String,
    /// The chance that at least one month of the horizon runs out.
    pub ran_out_horizon: String,
    /// Sends a month that could not go out, for lack of credit or refused
    /// by the Recruiter floor.
    pub blocked_per_month: String,
    /// The part of `blocked_per_month` the Recruiter floor refused.
    pub floor_blocked_per_month: String,
    /// yes, no or unsure (at 95%).
    pub feasible: String,
    /// The probability that the verdict is right (normal approximation).
    pub confidence: String,
    pub trials: u64,
    /// leader, dominated, infeasible, resolved or max_trials.
    pub status: String,
    pub on_frontier: bool,
}

/// Dollars as every CSV writes money: to the hundredth of a cent, trailing
/// zeros trimmed (a raw f64 printed 65.33866666666667).
fn usd(dollars: f64) -> String {
    crate::stats::format_f64(100.0 * dollars, crate::metrics::ValueScale::Cents)
}

/// A share or count to six decimals, trailing zeros trimmed, as summary.csv;
/// below 0.001, to six significant digits (exponent form), so that a chance
/// of one month in a hundred million is not written as 0.
pub(crate) fn number(x: f64) -> String {
    if x != 0.0 && x.abs() < 1e-3 && x.is_finite() {
        let text = format!("{x:.5e}");
        let (digits, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        let digits = digits.trim_end_matches('0').trim_end_matches('.');
        return format!("{digits}e{exponent}");
    }
    crate::stats::format_f64(x, crate::metrics::ValueScale::Count)
}

fn billing_key(b: crate::scenario::Billing) -> &'static str {
    match b {
        crate::scenario::Billing::Monthly => "monthly",
        crate::scenario::Billing::Annual => "annual",
    }
}

pub fn candidate_rows(r: &Recommendation) -> Vec<CandidateRow> {
    let s = r.scored();
    r.ranking
        .iter()
        .enumerate()
        .map(|(k, &i)| {
            let c = &s[i];
            let id = c.candidate.id();
            CandidateRow {
                rank: k + 1,
                addons: id.split('/').nth(2).unwrap_or_default().to_string(),
                candidate: id,
                plan_id: c.candidate.plan.id.to_string(),
                billing: billing_key(c.candidate.billing).to_string(),
                seats: c.candidate.seats,
                what_if: c.candidate.what_if || c.candidate.pooled_what_if,
                cost_per_month: usd(c.cost.mean),
                cost_ci95_low: usd(c.cost.low()),
                cost_ci95_high: usd(c.cost.high()),
                ran_out_month: number(c.risk.mean),
                ran_out_month_ci95_low: number(c.risk_low()),
                ran_out_month_ci95_high: number(c.risk_high()),
                ran_out_horizon: number(c.risk_horizon.mean),
                blocked_per_month: number(c.blocked.mean),
                floor_blocked_per_month: number(c.floor_blocked.mean),
                feasible: c.verdict.key().to_string(),
                confidence: number(c.confidence),
                trials: c.trials,
                status: c.status.key().to_string(),
                on_frontier: r.frontier.contains(&i),
            }
        })
        .collect()
}

/// One row of frontier.csv: a candidate no other beats on both cost and
/// risk, by cost ascending.
#[derive(Debug, Default, Serialize)]
pub struct FrontierRow {
    pub candidate: String,
    pub cost_per_month: String,
    pub cost_ci95_low: String,
    pub cost_ci95_high: String,
    pub ran_out_month: String,
    pub ran_out_month_ci95_low: String,
    pub ran_out_month_ci95_high: String,
    pub feasible: String,
    /// As in candidates.csv: a frontier point one cannot buy as modelled
    /// (add-ons not sold, seats pooled) is marked here too.
    pub what_if: bool,
}

pub fn frontier_rows(r: &Recommendation) -> Vec<FrontierRow> {
    r.frontier
        .iter()
        .map(|&i| {
            let c = &r.scored()[i];
            FrontierRow {
                candidate: c.candidate.id(),
                cost_per_month: usd(c.cost.mean),
                cost_ci95_low: usd(c.cost.low()),
                cost_ci95_high: usd(c.cost.high()),
                ran_out_month: number(c.risk.mean),
                ran_out_month_ci95_low: number(c.risk_low()),
                ran_out_month_ci95_high: number(c.risk_high()),
                feasible: c.verdict.key().to_string(),
                what_if: c.candidate.what_if || c.candidate.pooled_what_if,
            }
        })
        .collect()
}

#[cfg(test)]
mod number_tests {
    use super::number;

    #[test]
    fn shares_are_written_to_six_decimals_and_small_ones_to_six_digits_never_as_zero() {
        assert_eq!(number(0.304_083_333_333), "0.304083");
        assert_eq!(number(0.0), "0");
        assert_eq!(number(1.0), "1");
        assert_eq!(number(8.333_333e-9), "8.33333e-9");
        assert_eq!(number(0.000_25), "2.5e-4");
    }
}
