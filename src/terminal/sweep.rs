//! The sweep table printed on stdout: one line per grid point and option,
//! then each break-even in a sentence (also report.html's headlines).

use crate::compare::CompareSet;
use crate::sweep::run::describe;
use crate::sweep::{self, BreakEvenLine, Param, Point, PointResult};
use std::fmt::Write as _;

/// The sweep table: one line per grid point and option, then the
/// break-evens.
pub fn render(
    params: &[Param],
    points: &[Point],
    results: &[PointResult],
    lines: &[BreakEvenLine],
) -> String {
    let mut t = String::new();
    let set = &points[0].set;
    let _ = writeln!(
        t,
        "sweep: {} option(s) x {} grid points, seed {} (every point and option on the same trials)\n",
        set.scenarios.len(),
        points.len(),
        set.seed
    );
    let fewest = results.iter().map(|r| r.trials).min().unwrap_or(0);
    if let Some(note) = crate::stats::few_trials_note(fewest) {
        let _ = writeln!(t, "{note}\n");
    }
    let _ = writeln!(
        t,
        "{:<40} {:<24} {:>9} {:>30} {:>8}",
        "grid point", "option", "trials", "cost/month (95% CI)", "ran out"
    );
    for (point, result) in points.iter().zip(results) {
        for (i, o) in result.summary.options.iter().enumerate() {
            let cost = o.cost.dollars_with_interval();
            let option = format!(
                "{} {}",
                crate::compare::label(i),
                point.set.scenarios[i].name
            );
            let _ = writeln!(
                t,
                "{:<40} {:<24} {:>9} {:>30} {:>7.1}%",
                describe(params, &point.values),
                option,
                crate::numbers::grouped(o.trials),
                cost,
                100.0 * o.ran_out_month.mean
            );
        }
    }
    for line in lines {
        let _ = writeln!(t, "\n{}", break_even_sentence(params, set, line));
    }
    t
}

/// One break-even in words: where the cheaper option changes.
pub fn break_even_sentence(params: &[Param], set: &CompareSet, line: &BreakEvenLine) -> String {
    let name = |i: usize| format!("{} ({})", crate::compare::label(i), set.scenarios[i].name);
    let other = match (params.get(1), line.other) {
        (Some(p), Some(v)) => format!(" at {} = {v}", p.key.path),
        _ => String::new(),
    };
    let head = format!(
        "Break-even {}, {} vs {}{other}",
        params[0].key.path,
        name(line.a),
        name(line.b)
    );
    let r = &line.result;
    let who = |c: Option<sweep::Cheaper>| match c {
        Some(sweep::Cheaper::A) => name(line.a),
        Some(sweep::Cheaper::B) => name(line.b),
        None => "neither".to_string(),
    };
    let Some(value) = r.value else {
        return format!(
            "{head}: none on the grid; {} is cheaper throughout.",
            who(r.cheaper_below)
        );
    };
    let bound = |b: Option<f64>| b.map_or("beyond the grid".to_string(), |v| v.to_string());
    format!(
        "{head}: {value:.4} (between {} and {}); {} is cheaper below, {} above{}.",
        bound(r.low),
        bound(r.high),
        who(r.cheaper_below),
        who(r.cheaper_above),
        if r.crossings > 1 {
            format!(
                " ({} crossings: the cheaper option changes more than once)",
                r.crossings
            )
        } else {
            String::new()
        }
    )
}
