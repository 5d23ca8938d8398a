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
        "solve: {} for {} = {} ({}, {} trials per evaluation, seed {}, every evaluation on the same trials)\n",
        q.key.path,
        p.stat.key(),
        p.stat.show(p.target),
        q.base.name,
        q.trials,
        q.base.seed
    );
    let _ = writeln!(s, "{}\n", q.sentence(a));
    let _ = writeln!(
        s,
        "{:>14} {:>12} {:>26}  step",
        q.key.path.rsplit('.').next().unwrap_or(q.key.path),
        p.stat.key(),
        "95% CI"
    );
    for e in &a.evaluations {
        let ci = format!(
            "{} to {}",
            p.stat.show(e.estimate.low()),
            p.stat.show(e.estimate.high())
        );
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
        "\n{} evaluations of {} trials each.",
        a.evaluations.len(),
        q.trials
    );
    s
}
