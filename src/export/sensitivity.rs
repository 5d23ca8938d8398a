//! `sensitivity.csv`: one row per input, largest absolute cost swing first.
//! Values are in the units of the scenario key (`response.rate` and
//! `open_profile.share` as shares, `addons.price` in dollars); costs are
//! dollars per month; `ran_out_*` are shares of months with a blocked send.

use crate::sensitivity::{Row, Swing};
use crate::stats::{ValueScale, format_f64};
use serde::Serialize;

/// One row of sensitivity.csv; the header is its field names.
#[derive(Debug, Default, Serialize)]
pub struct SensitivityRow {
    input: String,
    centre_value: String,
    low_value: String,
    high_value: String,
    cost_low: String,
    cost_high: String,
    cost_swing: String,
    cost_swing_ci_low: String,
    cost_swing_ci_high: String,
    ran_out_low: String,
    ran_out_high: String,
    ran_out_swing: String,
    ran_out_swing_ci_low: String,
    ran_out_swing_ci_high: String,
    trials: u64,
}

fn swing_fields(s: &Swing, scale: ValueScale) -> [String; 3] {
    // No interval (fewer than 2 trials): empty cells, missing to a reader.
    let (lo, hi) = s.ci.map_or((String::new(), String::new()), |(lo, hi)| {
        (format_f64(lo, scale), format_f64(hi, scale))
    });
    [format_f64(s.mean, scale), lo, hi]
}

pub fn sensitivity_rows(rows: &[Row], trials: u64) -> Vec<SensitivityRow> {
    let cents = ValueScale::Cents;
    let share = ValueScale::Count;
    rows.iter()
        .map(|r| {
            let i = &r.input;
            let [cost_swing, cost_swing_ci_low, cost_swing_ci_high] =
                swing_fields(&r.cost_swing, cents);
            let [ran_out_swing, ran_out_swing_ci_low, ran_out_swing_ci_high] =
                swing_fields(&r.ran_out_swing, share);
            SensitivityRow {
                input: i.name.to_string(),
                centre_value: i.centre.to_string(),
                low_value: i.low.to_string(),
                high_value: i.high.to_string(),
                cost_low: format_f64(r.cost_low, cents),
                cost_high: format_f64(r.cost_high, cents),
                cost_swing,
                cost_swing_ci_low,
                cost_swing_ci_high,
                ran_out_low: format_f64(r.ran_out_low, share),
                ran_out_high: format_f64(r.ran_out_high, share),
                ran_out_swing,
                ran_out_swing_ci_low,
                ran_out_swing_ci_high,
                trials,
            }
        })
        .collect()
}
