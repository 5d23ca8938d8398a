//! The `sensitivity` page: the centre, which input moves the monthly cost
//! most, and the tornado table.

use super::words::{dollars, percent};
use super::{Page, Table, standard_notes};
use crate::charts::Chart;
use crate::scenario::Scenario;
use crate::sensitivity::{Plan, Row, SensitivityStats, Swing};

/// The page of a finished sensitivity analysis.
pub fn sensitivity_page(
    sc: &Scenario,
    scenario_file: &str,
    plan: &Plan,
    stats: &SensitivityStats,
    rows: &[Row],
    charts: &[Chart],
) -> Page {
    let mut headlines = vec![format!(
        "At the centre (response rate fixed at its median {:.2}%) it costs {}/month and \
         runs out in {} of months.",
        100.0 * plan.rate_centre,
        dollars(stats.cost_per_month(0)),
        percent(stats.ran_out(0))
    )];
    headlines.extend(rows.first().map(biggest));
    let by_ran_out = |r: &&Row| r.ran_out_swing.mean.abs();
    if let Some(r) = rows
        .iter()
        .max_by(|a, b| by_ran_out(a).total_cmp(&by_ran_out(b)))
    {
        headlines.push(biggest_ran_out(r));
    }
    if sc.floor.is_some() {
        headlines.push(crate::stats::floor::SENSITIVITY_NOTE.to_string());
    }
    let mut settings = vec![
        ("Scenario".to_string(), sc.name.clone()),
        ("Scenario file".to_string(), scenario_file.to_string()),
    ];
    settings.extend(super::run::scenario_settings(sc));
    settings.extend([
        ("Months".to_string(), sc.months.to_string()),
        (
            "Trials".to_string(),
            format!("{} per variant", crate::numbers::grouped(stats.trials)),
        ),
        ("Seed".to_string(), sc.seed.to_string()),
    ]);
    for (input, why) in &plan.skipped {
        settings.push((format!("Skipped: {input}"), why.to_string()));
    }
    for (input, what) in &plan.clamped {
        settings.push((format!("Clamped: {input}"), what.clone()));
    }
    Page {
        title: format!("{}: which input matters most?", sc.name),
        subtitle: crate::stats::noting_few_trials(
            format!(
                "inmail-sim sensitivity: {} per variant, seed {} \
                 (every variant on the same trials)",
                crate::numbers::count(stats.trials, "trial", "trials"),
                sc.seed
            ),
            stats.trials,
        ),
        headlines,
        settings,
        charts: charts.to_vec(),
        tables: vec![tornado_table(rows)],
        notes: standard_notes("sensitivity.csv"),
    }
}

/// "demand.per_workday moves the monthly cost most: from 3 to 5 it goes
/// from $99.99 to $140.00 (+$40.01, 95% CI …)."
fn biggest(r: &Row) -> String {
    let i = &r.input;
    if r.cost_swing.mean == 0.0 {
        return "None of the inputs changes the monthly cost over its range.".to_string();
    }
    format!(
        "{} moves the monthly cost most: from {} to {} the cost goes from {} to {} ({}{}).",
        i.name,
        i.low,
        i.high,
        dollars(r.cost_low),
        dollars(r.cost_high),
        signed(r.cost_swing.mean),
        interval(&r.cost_swing)
    )
}

/// "demand.per_workday moves the chance of running out most: from 3 to 5
/// it goes from 62.6% to 100.0% of months."
fn biggest_ran_out(r: &Row) -> String {
    let i = &r.input;
    if r.ran_out_swing.mean == 0.0 {
        return "None of the inputs changes the chance of running out over its range.".to_string();
    }
    format!(
        "{} moves the chance of running out most: from {} to {} it goes from {} to {} of months.",
        i.name,
        i.low,
        i.high,
        percent(r.ran_out_low),
        percent(r.ran_out_high)
    )
}

fn signed(cents: f64) -> String {
    if cents < 0.0 {
        format!("-{}", dollars(-cents))
    } else {
        format!("+{}", dollars(cents))
    }
}

fn interval(s: &Swing) -> String {
    s.ci.map_or(String::new(), |(lo, hi)| {
        format!(", 95% CI {} to {}", signed(lo), signed(hi))
    })
}

/// The terminal's tornado table, largest cost swing first.
fn tornado_table(rows: &[Row]) -> Table {
    let rows = rows
        .iter()
        .map(|r| {
            let i = &r.input;
            vec![
                i.name.to_string(),
                i.range_text(),
                format!("{} → {}", dollars(r.cost_low), dollars(r.cost_high)),
                signed(r.cost_swing.mean),
                r.cost_swing.ci.map_or(String::new(), |(lo, hi)| {
                    format!("{} to {}", signed(lo), signed(hi))
                }),
                format!("{} → {}", percent(r.ran_out_low), percent(r.ran_out_high)),
            ]
        })
        .collect();
    Table {
        caption: "Each input from low to high, the rest at the centre".to_string(),
        header: [
            "input",
            "low → high",
            "cost/month low → high",
            "cost swing (high − low)",
            "95% CI",
            "ran out low → high",
        ]
        .map(String::from)
        .to_vec(),
        rows,
        numeric_from: 1,
        note: "Largest cost swing first; \"ran out\" is the chance that a send is blocked for lack of a credit \
               in a month."
            .to_string(),
    }
}
