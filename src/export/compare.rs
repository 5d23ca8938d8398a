//! The CSV files of `compare`: `options.csv` (one row per option),
//! `pairs.csv` (one row per pair of options) and `metadata.csv` (what was
//! run, as `key,value` rows, with metadata.json beside it). `sweep` reuses
//! the option and pair columns, prefixed with the grid point.
//!
//! Money is printed in dollars (up to 4 decimals), shares from 0 to 1 (up
//! to 6 decimals), so the text is the same on every run with the same seed.
//! Scenario names, file names and the verdicts that quote the names are
//! user text: [`cell`] keeps a spreadsheet from evaluating them.

pub use super::table::{write_key_values, write_rows};
use crate::compare::{CompareSet, CompareSummary, label};
use crate::safe_text::for_spreadsheet;
use crate::stats::{ValueScale, format_f64};
use serde::Serialize;

/// A cell of user text (see [`for_spreadsheet`]).
pub fn cell(text: &str) -> String {
    for_spreadsheet(text).into_owned()
}

/// One row of options.csv (and the tail of a sweep.csv row); the header
/// is its field names. Money in dollars, shares from 0 to 1.
#[derive(Debug, Default, Serialize)]
pub struct OptionRow {
    option: String,
    scenario: String,
    file: String,
    plan_id: String,
    trials: u64,
    months: usize,
    monthly_cost: String,
    monthly_cost_se: String,
    monthly_cost_ci95_low: String,
    monthly_cost_ci95_high: String,
    ran_out_month: String,
    ran_out_month_ci95_low: String,
    ran_out_month_ci95_high: String,
    ran_out_horizon: String,
    ran_out_horizon_ci95_low: String,
    ran_out_horizon_ci95_high: String,
    blocked_per_month: String,
    refunds_per_month: String,
    expired_per_month: String,
    addons_per_month: String,
    cost_per_sent: String,
    cost_per_response: String,
    floor_blocked_days_per_month: String,
    floor_refused_per_month: String,
}

/// One row of pairs.csv (and the tail of a sweep_pairs.csv row).
#[derive(Debug, Default, Serialize)]
pub struct PairRow {
    option_a: String,
    option_b: String,
    scenario_a: String,
    scenario_b: String,
    trials: u64,
    months: usize,
    cost_difference: String,
    cost_difference_se: String,
    cost_difference_ci95_low: String,
    cost_difference_ci95_high: String,
    unpaired_ci95_half_width: String,
    a_cheaper: String,
    a_cheaper_ci95_low: String,
    a_cheaper_ci95_high: String,
    b_cheaper: String,
    tie: String,
    verdict: String,
    winner: String,
    /// `cost_difference` with the whole years annual billing commits to
    /// counted (`CompareSet::commitments`), as the verdict's second reading;
    /// equal to it where no option holds annual billing for less than whole
    /// years. (An independent check: `winner` named the option that costs
    /// $179.97 a month more once its year is paid, and no column said so.)
    committed_cost_difference: String,
    committed_winner: String,
}

pub(super) fn usd(cents: f64) -> String {
    format_f64(cents, ValueScale::Cents)
}

pub(super) fn share(x: f64) -> String {
    format_f64(x, ValueScale::Count)
}

/// One row per option.
pub fn option_rows(set: &CompareSet, summary: &CompareSummary) -> Vec<OptionRow> {
    summary
        .options
        .iter()
        .zip(&set.scenarios)
        .zip(&set.sources)
        .enumerate()
        .map(|(i, ((o, sc), src))| OptionRow {
            option: label(i),
            scenario: cell(&sc.name),
            file: cell(&src.path.display().to_string()),
            plan_id: sc.plan.id.clone(),
            trials: o.trials,
            months: summary.months,
            monthly_cost: usd(o.cost.mean),
            monthly_cost_se: usd(o.cost.se),
            monthly_cost_ci95_low: usd(o.cost.low),
            monthly_cost_ci95_high: usd(o.cost.high),
            ran_out_month: share(o.ran_out_month.mean),
            ran_out_month_ci95_low: share(o.ran_out_month.low),
            ran_out_month_ci95_high: share(o.ran_out_month.high),
            ran_out_horizon: share(o.ran_out_horizon.mean),
            ran_out_horizon_ci95_low: share(o.ran_out_horizon.low),
            ran_out_horizon_ci95_high: share(o.ran_out_horizon.high),
            blocked_per_month: share(o.blocked_per_month),
            refunds_per_month: share(o.refunds_per_month),
            expired_per_month: share(o.expired_per_month),
            addons_per_month: share(o.addons_per_month),
            cost_per_sent: o.cost_per_sent.map_or(String::new(), usd),
            cost_per_response: o.cost_per_response.map_or(String::new(), usd),
            floor_blocked_days_per_month: share(o.floor_days_per_month),
            floor_refused_per_month: share(o.refused_per_month),
        })
        .collect()
}

/// One row per pair.
pub fn pair_rows(set: &CompareSet, summary: &CompareSummary) -> Vec<PairRow> {
    pair_rows_with(set, summary, &set.commitments(summary.months))
}

/// `pair_rows` with each option's commitment given (a sweep's grid point's,
/// `CompareSet::commitments`).
pub fn pair_rows_with(
    set: &CompareSet,
    summary: &CompareSummary,
    commitments: &[f64],
) -> Vec<PairRow> {
    summary
        .pairs
        .iter()
        .map(|p| {
            let (a, b) = (&set.scenarios[p.a].name, &set.scenarios[p.b].name);
            let d = &p.difference;
            let winner = if d.low > 0.0 {
                label(p.b)
            } else if d.high < 0.0 {
                label(p.a)
            } else {
                String::new()
            };
            let shift = commitments[p.a] - commitments[p.b];
            let (low, high) = (d.low + shift, d.high + shift);
            // Within half a cent both ways the committed costs are the
            // same (the verdict says so), whatever the float's sign.
            let committed_winner = if shift == 0.0 {
                winner.clone()
            } else if low.abs() < 0.5 && high.abs() < 0.5 {
                String::new()
            } else if low > 0.0 {
                label(p.b)
            } else if high < 0.0 {
                label(p.a)
            } else {
                String::new()
            };
            PairRow {
                option_a: label(p.a),
                option_b: label(p.b),
                scenario_a: cell(a),
                scenario_b: cell(b),
                trials: p.trials,
                months: summary.months,
                cost_difference: usd(d.mean),
                cost_difference_se: usd(d.se),
                cost_difference_ci95_low: usd(d.low),
                cost_difference_ci95_high: usd(d.high),
                unpaired_ci95_half_width: usd(p.unpaired_half_width),
                a_cheaper: share(p.a_cheaper.mean),
                a_cheaper_ci95_low: share(p.a_cheaper.low),
                a_cheaper_ci95_high: share(p.a_cheaper.high),
                b_cheaper: share(p.b_cheaper),
                tie: share(p.tie),
                verdict: cell(&set.pair_verdict_with(p, summary.months, commitments)),
                winner,
                committed_cost_difference: usd(d.mean + shift),
                committed_winner,
            }
        })
        .collect()
}

/// The metadata rows that describe a compare set: tool, files, hashes,
/// seed and horizon.
pub fn set_metadata(command: &str, set: &CompareSet) -> Vec<(String, String)> {
    let mut rows = vec![
        ("tool".to_string(), env!("CARGO_PKG_NAME").to_string()),
        (
            "tool_version".to_string(),
            env!("CARGO_PKG_VERSION").to_string(),
        ),
        ("command".to_string(), command.to_string()),
        ("options".to_string(), set.scenarios.len().to_string()),
    ];
    for (i, (sc, src)) in set.scenarios.iter().zip(&set.sources).enumerate() {
        let l = label(i);
        rows.push((format!("option_{l}_file"), src.path.display().to_string()));
        rows.push((format!("option_{l}_sha256"), src.sha256.clone()));
        rows.push((format!("option_{l}_scenario"), sc.name.clone()));
        rows.push((format!("option_{l}_plan_id"), sc.plan.id.clone()));
    }
    let first = &set.scenarios[0];
    rows.push(("seed".to_string(), set.seed.to_string()));
    rows.push(("months".to_string(), first.months.to_string()));
    rows.push(("start_date".to_string(), first.start.to_string()));
    rows.extend(super::metadata::what_if_rows(&set.what_ifs()));
    rows
}
