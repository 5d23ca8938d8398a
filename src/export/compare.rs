//! The CSV files of `compare`: `options.csv` (one row per option),
//! `pairs.csv` (one row per pair of options) and `metadata.csv` (what was
//! run, as `key,value` rows, with metadata.json beside it). `sweep` reuses
//! the option and pair columns, prefixed with the grid point.
//!
//! Money is printed in dollars (up to 4 decimals), shares from 0 to 1 (up
//! to 6 decimals), so the text is the same on every run with the same seed.
//! Scenario names, file names and the verdicts that quote the names are
//! user text: [`cell`] keeps a spreadsheet from evaluating them.

pub use super::table::{write_key_values, write_rows, write_table};
use crate::compare::summary::verdict;
use crate::compare::{CompareSet, CompareSummary, label};
use crate::safe_text::for_spreadsheet;
use crate::stats::{ValueScale, format_f64};

/// A cell of user text (see [`for_spreadsheet`]).
pub fn cell(text: &str) -> String {
    for_spreadsheet(text).into_owned()
}

pub const OPTION_COLUMNS: [&str; 22] = [
    "option",
    "scenario",
    "file",
    "plan_id",
    "trials",
    "months",
    "monthly_cost",
    "monthly_cost_se",
    "monthly_cost_ci95_low",
    "monthly_cost_ci95_high",
    "ran_out_month",
    "ran_out_month_ci95_low",
    "ran_out_month_ci95_high",
    "ran_out_horizon",
    "ran_out_horizon_ci95_low",
    "ran_out_horizon_ci95_high",
    "blocked_per_month",
    "refunds_per_month",
    "expired_per_month",
    "addons_per_month",
    "cost_per_sent",
    "cost_per_response",
];

pub const PAIR_COLUMNS: [&str; 18] = [
    "option_a",
    "option_b",
    "scenario_a",
    "scenario_b",
    "trials",
    "months",
    "cost_difference",
    "cost_difference_se",
    "cost_difference_ci95_low",
    "cost_difference_ci95_high",
    "unpaired_ci95_half_width",
    "a_cheaper",
    "a_cheaper_ci95_low",
    "a_cheaper_ci95_high",
    "b_cheaper",
    "tie",
    "verdict",
    "winner",
];

fn usd(cents: f64) -> String {
    format_f64(cents, ValueScale::Cents)
}

fn share(x: f64) -> String {
    format_f64(x, ValueScale::Count)
}

/// One record per option, in OPTION_COLUMNS order.
pub fn option_records(set: &CompareSet, summary: &CompareSummary) -> Vec<Vec<String>> {
    let months = summary.months.to_string();
    summary
        .options
        .iter()
        .zip(&set.scenarios)
        .zip(&set.sources)
        .enumerate()
        .map(|(i, ((o, sc), src))| {
            let mut r = vec![
                label(i),
                cell(&sc.name),
                cell(&src.path.display().to_string()),
                sc.plan.id.clone(),
                o.trials.to_string(),
                months.clone(),
            ];
            r.extend([o.cost.mean, o.cost.se, o.cost.low, o.cost.high].map(usd));
            let shares = [
                o.ran_out_month.mean,
                o.ran_out_month.low,
                o.ran_out_month.high,
                o.ran_out_horizon.mean,
                o.ran_out_horizon.low,
                o.ran_out_horizon.high,
                o.blocked_per_month,
                o.refunds_per_month,
                o.expired_per_month,
                o.addons_per_month,
            ];
            r.extend(shares.map(share));
            r.extend([o.cost_per_sent, o.cost_per_response].map(|x| x.map_or(String::new(), usd)));
            r
        })
        .collect()
}

/// One record per pair, in PAIR_COLUMNS order.
pub fn pair_records(set: &CompareSet, summary: &CompareSummary) -> Vec<Vec<String>> {
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
            let mut r = vec![
                label(p.a),
                label(p.b),
                cell(a),
                cell(b),
                p.trials.to_string(),
                summary.months.to_string(),
            ];
            r.extend([d.mean, d.se, d.low, d.high, p.unpaired_half_width].map(usd));
            r.extend(
                [
                    p.a_cheaper.mean,
                    p.a_cheaper.low,
                    p.a_cheaper.high,
                    p.b_cheaper,
                    p.tie,
                ]
                .map(share),
            );
            r.push(cell(&verdict(p, a, b, summary.months)));
            r.push(winner);
            r
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
    rows
}
