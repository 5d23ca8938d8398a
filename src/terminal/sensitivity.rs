//! The tornado table of `sensitivity` printed on stdout.

use crate::compare::summary::dollars;
use crate::safe_text::for_terminal;
use crate::scenario::Scenario;
use crate::sensitivity::{Plan, Row, SensitivityStats};
use std::fmt::Write as _;

/// Width of the longest bar of the tornado.
const BAR: usize = 24;

/// The tornado table: one line per input, largest cost swing first, with a
/// bar proportional to the swing (left of `|` when the high end costs
/// less, right when it costs more).
pub fn render(sc: &Scenario, plan: &Plan, stats: &SensitivityStats, rows: &[Row]) -> String {
    let name = for_terminal(&sc.name);
    let mut t = String::new();
    let _ = writeln!(
        t,
        "sensitivity of {name}: {} per variant, seed {} (every variant on the same trials)",
        crate::numbers::count(stats.trials, "trial", "trials"),
        sc.seed
    );
    if let Some(note) = crate::stats::few_trials_note(stats.trials) {
        let _ = writeln!(t, "{note}");
    }
    let _ = writeln!(
        t,
        "centre (response rate fixed at its median {:.2}%): {}/month, ran out in {:.1}% of months\n",
        100.0 * plan.rate_centre,
        dollars(stats.cost_per_month(0)),
        100.0 * stats.ran_out(0)
    );
    let _ = writeln!(
        t,
        "{:<20} {:>19} {:>21} {:>11} {:>9}  {:^width$}",
        "input",
        "low → high",
        "cost/month low → high",
        "cost swing",
        "ran out",
        "cost swing (high − low)",
        width = 2 * BAR + 1
    );
    let widest = rows
        .iter()
        .map(|r| r.cost_swing.mean.abs())
        .fold(0.0, f64::max);
    for r in rows {
        let i = &r.input;
        let len = if widest > 0.0 {
            (r.cost_swing.mean.abs() / widest * BAR as f64).round() as usize
        } else {
            0
        };
        let (left, right) = if r.cost_swing.mean < 0.0 {
            ("#".repeat(len), String::new())
        } else {
            (String::new(), "#".repeat(len))
        };
        let _ = writeln!(
            t,
            "{:<20} {:>19} {:>21} {:>11} {:>+8.1}pp  {left:>BAR$}|{right:<BAR$}",
            i.name,
            i.range_text(),
            format!("{} → {}", dollars(r.cost_low), dollars(r.cost_high)),
            signed_dollars(r.cost_swing.mean),
            100.0 * r.ran_out_swing.mean,
        );
    }
    for (input, why) in &plan.skipped {
        let _ = writeln!(t, "(skipped {input}: {why})");
    }
    for (input, what) in &plan.clamped {
        let _ = writeln!(t, "(clamped {input}: {what})");
    }
    if sc.floor.is_some() {
        let _ = writeln!(t, "({})", crate::stats::floor::SENSITIVITY_NOTE);
    }
    t
}

fn signed_dollars(cents: f64) -> String {
    if cents < 0.0 {
        format!("-{}", dollars(-cents))
    } else {
        format!("+{}", dollars(cents))
    }
}
