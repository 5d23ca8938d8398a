//! The `sweep` page: the terminal's break-even sentences, and the cost and
//! chance of running out at every grid point.

use super::words::{dollars, percent};
use super::{Page, Table, standard_notes};
use crate::charts::Chart;
use crate::compare::label;
use crate::sweep::run::describe;
use crate::sweep::{Param, Point, PointResult};

const MAX_HEADLINES: usize = 8;

/// The page of a finished sweep; `break_evens` are the sentences the
/// terminal prints (none for a single scenario).
pub fn sweep_page(
    params: &[Param],
    points: &[Point],
    results: &[PointResult],
    break_evens: &[String],
    charts: &[Chart],
) -> Page {
    let set = &points[0].set;
    let keys: Vec<&str> = params.iter().map(|p| p.key.path).collect();
    // A two-parameter sweep has a break-even per value of the second
    // parameter: a few make the answer, the rest are in breakeven.csv.
    let mut headlines: Vec<String> = break_evens.iter().take(MAX_HEADLINES).cloned().collect();
    if break_evens.len() > MAX_HEADLINES {
        headlines.push(format!(
            "… and {} more break-evens in breakeven.csv.",
            break_evens.len() - MAX_HEADLINES
        ));
    }
    if headlines.is_empty() {
        headlines = cost_ranges(params, points, results);
    }
    let mut settings = super::compare::settings(set, set.trials);
    if let Some(row) = settings.iter_mut().find(|(k, _)| k == "Trials") {
        let most = results.iter().map(|r| r.trials).max().unwrap_or(0);
        row.1 = format!(
            "{} per grid point",
            crate::numbers::count(most, "trial", "trials")
        );
    }
    for (i, p) in params.iter().enumerate() {
        // The first point's months are not the sweep's (metadata.csv too).
        if p.key.path == "months" {
            if let Some(row) = settings.iter_mut().find(|(k, _)| k == "Months") {
                row.1 = format!("varied (parameter {})", i + 1);
            }
        }
        settings.push((format!("Parameter {}", i + 1), p.text.clone()));
    }
    settings.push(("Grid points".to_string(), points.len().to_string()));
    let csv = if set.scenarios.len() > 1 {
        "sweep.csv, sweep_pairs.csv and breakeven.csv"
    } else {
        "sweep.csv"
    };
    Page {
        title: format!("{} over {}", set.names().join(" vs "), keys.join(" and ")),
        subtitle: crate::stats::noting_few_trials(
            format!(
                "inmail-sim sweep: {} x {}, seed {} \
                 (every point and option on the same trials)",
                crate::numbers::count(set.scenarios.len() as u64, "option", "options"),
                crate::numbers::count(points.len() as u64, "grid point", "grid points"),
                set.seed
            ),
            results.iter().map(|r| r.trials).min().unwrap_or(0),
        ),
        headlines,
        settings,
        charts: charts.to_vec(),
        tables: vec![grid_table(params, points, results)],
        notes: standard_notes(csv),
    }
}

/// For a single scenario: where on the grid it costs least and most, and
/// where it runs out least and most often.
fn cost_ranges(params: &[Param], points: &[Point], results: &[PointResult]) -> Vec<String> {
    let option = |i: usize| &results[i].summary.options[0];
    let at = |i: usize| describe(params, &points[i].values);
    let name = &points[0].set.scenarios[0].name;
    let Some((cheap, dear)) = extremes(results.len(), |i| option(i).cost.mean) else {
        return Vec::new();
    };
    let (cost_low, cost_high) = (option(cheap).cost.mean, option(dear).cost.mean);
    let cost = if dollars(cost_low) == dollars(cost_high) {
        format!(
            "{name} costs {}/month at every grid point.",
            dollars(cost_low)
        )
    } else {
        format!(
            "{name} costs from {}/month at {} to {}/month at {}.",
            dollars(cost_low),
            at(cheap),
            dollars(cost_high),
            at(dear)
        )
    };
    let ran_out = |i: usize| option(i).ran_out_month.mean;
    let (least, most) = extremes(results.len(), ran_out).unwrap_or((cheap, dear));
    let out = if percent(ran_out(least)) == percent(ran_out(most)) {
        format!(
            "It runs out of credits in {} of months at every grid point.",
            percent(ran_out(least))
        )
    } else {
        format!(
            "It runs out of credits in {} of months at {} and in {} at {}.",
            percent(ran_out(least)),
            at(least),
            percent(ran_out(most)),
            at(most)
        )
    };
    vec![cost, out]
}

/// The indices of the smallest and largest `value` (the first of ties).
fn extremes(n: usize, value: impl Fn(usize) -> f64) -> Option<(usize, usize)> {
    let low = (0..n).min_by(|a, b| value(*a).total_cmp(&value(*b)))?;
    let high = (0..n)
        .rev()
        .max_by(|a, b| value(*a).total_cmp(&value(*b)))?;
    Some((low, high))
}

/// The terminal's sweep table.
fn grid_table(params: &[Param], points: &[Point], results: &[PointResult]) -> Table {
    let mut rows = Vec::new();
    for (point, result) in points.iter().zip(results) {
        for (i, o) in result.summary.options.iter().enumerate() {
            rows.push(vec![
                describe(params, &point.values),
                format!("{} {}", label(i), point.set.scenarios[i].name),
                crate::numbers::grouped(o.trials),
                o.cost.dollars_with_interval(),
                percent(o.ran_out_month.mean),
            ]);
        }
    }
    let mut t = Table {
        caption: "Every grid point".to_string(),
        header: [
            "grid point",
            "option",
            "trials",
            "cost/month (95% CI)",
            "ran out",
        ]
        .map(String::from)
        .to_vec(),
        rows,
        numeric_from: 2,
        note: "\"ran out\" is the chance that a send is blocked for lack of a credit in a month."
            .to_string(),
    };
    t.truncate_for_page("sweep.csv");
    t
}
