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
            let (low, high) = p.interval(e);
            vec![
                e.role.key().to_string(),
                show_value(q.key, e.x),
                p.stat.show(e.estimate.mean),
                p.stat.show(low),
                p.stat.show(high),
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
        subtitle: crate::stats::noting_few_trials(
            format!(
                "inmail-sim solve: {} of {} x {}, seed {} (every evaluation on the same trials)",
                crate::numbers::count(a.evaluations.len() as u64, "evaluation", "evaluations"),
                crate::numbers::count(q.trials, "trial", "trials"),
                crate::numbers::count(u64::from(q.base.months), "month", "months"),
                q.base.seed
            ),
            q.trials,
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
            note: format!(
                "scan: the evenly spaced first look; bisection: the search for the answer; \
                 interval: the search for the ends of its 95% interval.{}",
                a.exact_note().map_or(String::new(), |n| format!(" {n}"))
            ),
        }],
        notes: standard_notes("solve.csv and solve_answer.csv"),
    }
}

/// The page of a recommendation.
pub fn recommend_page(
    r: &crate::decide::recommend::Recommendation,
    limits: &crate::decide::recommend::Limits,
    settings: Vec<(String, String)>,
    charts: &[Chart],
) -> Page {
    use crate::decide::Stat;
    let s = r.scored();
    let rows = r
        .ranking
        .iter()
        .enumerate()
        .map(|(k, &i)| {
            let c = &s[i];
            vec![
                (k + 1).to_string(),
                c.candidate.words(),
                crate::compare::summary::dollars(100.0 * c.cost.mean),
                Stat::Exhausted.show(c.risk.mean),
                format!("{:.2}", c.blocked.mean),
                format!("{} ({:.0}%)", c.verdict.key(), c.confidence * 100.0),
                c.trials.to_string(),
                c.status.key().to_string(),
            ]
        })
        .collect();
    let mut table = Table {
        caption: "Every candidate, best first".to_string(),
        header: [
            "rank",
            "candidate",
            "$/month",
            "ran out",
            "blocked",
            "feasible",
            "trials",
            "status",
        ]
        .map(String::from)
        .to_vec(),
        rows,
        numeric_from: 2,
        note: format!(
            "ran out: the chance a month runs out. feasible: within the limits at 95% (yes), past \
             them at 95% (no), or unsure, with the confidence of that verdict. status: why the \
             candidate stopped (docs/recommend.md).{}{}",
            r.blocked_note().map_or(String::new(), |n| format!(" {n}")),
            r.floor_note().map_or(String::new(), |n| format!(" {n}"))
        ),
    };
    table.truncate_for_page("candidates.csv");
    Page {
        title: "Which plan to buy".to_string(),
        subtitle: format!(
            "inmail-sim recommend: {}, {}, {} in all, every candidate on the same trials",
            crate::numbers::count(s.len() as u64, "candidate", "candidates"),
            crate::numbers::count(u64::from(r.months), "month", "months"),
            crate::numbers::count(r.elimination.trials_spent(), "trial", "trials")
        ),
        headlines: r.sentences(limits),
        settings,
        charts: charts.to_vec(),
        tables: vec![table],
        notes: standard_notes("candidates.csv and frontier.csv"),
    }
}
