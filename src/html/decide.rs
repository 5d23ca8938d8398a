//! The `solve` and `recommend` pages: the answer in the terminal's words,
//! the settings, the chart and the table of evaluations or candidates.

use super::{Page, Table, standard_notes};
use crate::charts::Chart;
use crate::decide::question::{Question, show_value};
use crate::decide::solve::Answer;

/// The page of a solved question.
pub fn solve_page(q: &Question, a: &Answer, charts: &[Chart]) -> Page {
    let p = &q.problem;
    let rows = a
        .evaluations
        .iter()
        .map(|e| {
            vec![
                e.role.key().to_string(),
                show_value(q.key, e.x),
                p.stat.show(e.estimate.mean),
                p.stat.show(e.estimate.low()),
                p.stat.show(e.estimate.high()),
            ]
        })
        .collect();
    let settings = vec![
        (
            "Scenario".to_string(),
            format!("{} (file {})", q.base.name, q.source.path.display()),
        ),
        ("Parameter".to_string(), q.key.path.to_string()),
        (
            "Target".to_string(),
            format!("{} = {}", p.stat.key(), p.stat.show(p.target)),
        ),
        (
            "Range".to_string(),
            format!("{} to {}", show_value(q.key, p.lo), show_value(q.key, p.hi)),
        ),
        ("Trials per evaluation".to_string(), q.trials.to_string()),
        ("Seed".to_string(), q.base.seed.to_string()),
        ("Months".to_string(), q.base.months.to_string()),
    ];
    Page {
        title: format!("How far can {} go: {}", q.key.path, q.base.name),
        subtitle: format!(
            "inmail-sim solve: {} evaluations of {} trials x {} months, seed {} (every evaluation on the same trials)",
            a.evaluations.len(),
            q.trials,
            q.base.months,
            q.base.seed
        ),
        headlines: vec![q.sentence(a)],
        settings,
        charts: charts.to_vec(),
        tables: vec![Table {
            caption: "Every evaluation, by parameter value".to_string(),
            header: ["step", q.key.path, p.stat.key(), "95% low", "95% high"]
                .map(String::from)
                .to_vec(),
            rows,
            numeric_from: 1,
            note: "scan: the evenly spaced first look; bisection: the search for the answer; \
                   interval: the search for the ends of its 95% interval."
                .to_string(),
        }],
        notes: standard_notes("solve.csv and solve_answer.csv"),
    }
}
