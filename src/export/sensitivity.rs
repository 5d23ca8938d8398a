//! `sensitivity.csv`: one row per input, largest absolute cost swing first.
//! Values are in the units of the scenario key (`response.rate` and
//! `open_profile.share` as shares, `addons.price` in dollars); costs are
//! dollars per month; `ran_out_*` are shares of months with a blocked send.

use crate::sensitivity::{Row, Swing};
use crate::stats::{ValueScale, format_f64};

pub const SENSITIVITY_COLUMNS: [&str; 15] = [
    "input",
    "centre_value",
    "low_value",
    "high_value",
    "cost_low",
    "cost_high",
    "cost_swing",
    "cost_swing_ci_low",
    "cost_swing_ci_high",
    "ran_out_low",
    "ran_out_high",
    "ran_out_swing",
    "ran_out_swing_ci_low",
    "ran_out_swing_ci_high",
    "trials",
];

fn swing_fields(s: &Swing, scale: ValueScale) -> [String; 3] {
    let na = || crate::stats::NA.to_string();
    let (lo, hi) = s.ci.map_or((na(), na()), |(lo, hi)| {
        (format_f64(lo, scale), format_f64(hi, scale))
    });
    [format_f64(s.mean, scale), lo, hi]
}

pub fn sensitivity_records(rows: &[Row], trials: u64) -> Vec<Vec<String>> {
    let cents = ValueScale::Cents;
    let share = ValueScale::Count;
    rows.iter()
        .map(|r| {
            let i = &r.input;
            let [cs, cs_lo, cs_hi] = swing_fields(&r.cost_swing, cents);
            let [rs, rs_lo, rs_hi] = swing_fields(&r.ran_out_swing, share);
            vec![
                i.name.to_string(),
                i.centre.to_string(),
                i.low.to_string(),
                i.high.to_string(),
                format_f64(r.cost_low, cents),
                format_f64(r.cost_high, cents),
                cs,
                cs_lo,
                cs_hi,
                format_f64(r.ran_out_low, share),
                format_f64(r.ran_out_high, share),
                rs,
                rs_lo,
                rs_hi,
                trials.to_string(),
            ]
        })
        .collect()
}
