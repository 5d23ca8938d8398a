//! What `solve` and `recommend` print: the answer in words, then a short
//! table.

use crate::decide::question::{Question, show_value};
use crate::decide::solve::Answer;
use std::fmt::Write;

/// `solve`'s answer and its evaluations.
pub fn solve_text(q: &Question, a: &Answer) -> String {
    let mut s = String::new();
    let p = &q.problem;
    let _ = writeln!(
        s,
        "solve: {} for {} = {} ({}, {} per evaluation, seed {}, every evaluation on the same trials)\n",
        q.key.path,
        p.stat.key(),
        p.stat.show(p.target),
        q.base.name,
        crate::numbers::count(q.trials, "trial", "trials"),
        q.base.seed
    );
    if let Some(note) = crate::stats::few_trials_note(q.trials) {
        let _ = writeln!(s, "{note}\n");
    }
    let _ = writeln!(s, "{}\n", q.sentence(a));
    let _ = writeln!(
        s,
        "{:>14} {:>12} {:>26}  step",
        q.key.path.rsplit('.').next().unwrap_or(q.key.path),
        p.stat.key(),
        "95% CI"
    );
    for e in &a.evaluations {
        let ci = if e.estimate.has_interval() {
            let (low, high) = p.interval(e);
            format!("{} to {}", p.stat.show(low), p.stat.show(high))
        } else {
            crate::stats::NA.to_string()
        };
        let _ = writeln!(
            s,
            "{:>14} {:>12} {:>26}  {}",
            show_value(q.key, e.x),
            p.stat.show(e.estimate.mean),
            ci,
            e.role.key()
        );
    }
    let _ = writeln!(
        s,
        "\n{} of {} each.",
        crate::numbers::count(a.evaluations.len() as u64, "evaluation", "evaluations"),
        crate::numbers::count(q.trials, "trial", "trials")
    );
    if let Some(note) = a.exact_note() {
        let _ = writeln!(s, "{note}");
    }
    s
}

/// `recommend`'s answer and its ranked table (the first 25 rows; the CSV
/// has them all).
pub fn recommend_text(
    r: &crate::decide::recommend::Recommendation,
    limits: &crate::decide::recommend::Limits,
    name: &str,
) -> String {
    let mut s = String::new();
    let e = &r.elimination;
    let _ = writeln!(
        s,
        "recommend: {} for {name}, {}, every candidate on the same trials ({} in all, {})\n",
        crate::numbers::count(e.scored.len() as u64, "candidate", "candidates"),
        crate::numbers::count(u64::from(r.months), "month", "months"),
        crate::numbers::count(e.trials_spent(), "trial", "trials"),
        crate::numbers::count(e.rounds as u64, "round", "rounds")
    );
    for line in r.sentences(limits) {
        let _ = writeln!(s, "{line}");
    }
    let _ = writeln!(
        s,
        "\n{:>4}  {:<58} {:>10} {:>9} {:>8} {:>8} {:>7}  status",
        "rank", "candidate", "$/month", "ran out", "blocked", "feasible", "trials"
    );
    for (k, &i) in r.ranking.iter().enumerate().take(25) {
        let c = &e.scored[i];
        let _ = writeln!(
            s,
            "{:>4}  {:<58} {:>10} {:>9} {:>8.2} {:>8} {:>7}  {}",
            k + 1,
            c.candidate.id(),
            format!("{:.2}", c.cost.mean),
            crate::decide::Stat::Exhausted.show(c.risk.mean),
            c.blocked.mean,
            format!("{} {:.0}%", c.verdict.key(), c.confidence * 100.0),
            c.trials,
            c.status.key()
        );
    }
    if r.ranking.len() > 25 {
        let _ = writeln!(s, "  ... {} more in candidates.csv", r.ranking.len() - 25);
    }
    // Apart from the answer, under the table whose column they explain.
    let notes: Vec<String> = r.blocked_note().into_iter().chain(r.floor_note()).collect();
    if !notes.is_empty() {
        let _ = writeln!(s);
    }
    for note in notes {
        let _ = writeln!(s, "{note}");
    }
    s
}
