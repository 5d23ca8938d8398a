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
        "sweep: {} x {}, seed {} (every point and option on the same trials)\n",
        crate::numbers::count(set.scenarios.len() as u64, "option", "options"),
        crate::numbers::count(points.len() as u64, "grid point", "grid points"),
        set.seed
    );
    let fewest = results.iter().map(|r| r.trials).min().unwrap_or(0);
    if let Some(note) = crate::stats::few_trials_note(fewest) {
        let _ = writeln!(t, "{note}\n");
    }
    let mut rows = vec![
        [
            "grid point",
            "option",
            "trials",
            "cost/month (95% CI)",
            "ran out",
        ]
        .map(String::from),
    ];
    for (point, result) in points.iter().zip(results) {
        for (i, o) in result.summary.options.iter().enumerate() {
            rows.push([
                describe(params, &point.values),
                format!(
                    "{} {}",
                    crate::compare::label(i),
                    point.set.scenarios[i].name
                ),
                crate::numbers::grouped(o.trials),
                o.cost.dollars_with_interval(),
                format!("{:.1}%", 100.0 * o.ran_out_month.mean),
            ]);
        }
    }
    // Each column as wide as its widest cell: a name, a two-parameter grid
    // point or a cost of $1,000 and more would otherwise run into the next.
    let w: [usize; 5] =
        std::array::from_fn(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0));
    for r in &rows {
        let _ = writeln!(
            t,
            "{:<a$}  {:<b$}  {:>c$}  {:>d$}  {:>e$}",
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            a = w[0],
            b = w[1],
            c = w[2],
            d = w[3],
            e = w[4]
        );
    }
    for line in lines {
        // Plan names come from the user's files: shown, not obeyed.
        let sentence = break_even_sentence(params, set, (points, results), line);
        let _ = writeln!(t, "\n{}", crate::safe_text::for_terminal(&sentence));
    }
    t
}

/// One break-even in words: where the cheaper option changes, the value
/// rounded to what a grid can tell ("below about 1.16 InMails a workday,
/// about 25 a month, A (Premium Business + add-ons) is cheaper"); the
/// exact value is in breakeven.csv.
pub fn break_even_sentence(
    params: &[Param],
    set: &CompareSet,
    (points, results): (&[Point], &[PointResult]),
    line: &BreakEvenLine,
) -> String {
    // The line's own points: with a second parameter, those at its value.
    let on_line: Vec<&PointResult> = points
        .iter()
        .zip(results)
        .filter(|(p, _)| line.other.is_none_or(|v| p.values.get(1) == Some(&v)))
        .map(|(_, r)| r)
        .collect();
    crossing_sentence(params, set, line) + &commitment_words(set, &on_line, line)
}

/// " A (Sales Navigator Core) is billed annually for less than whole
/// years: …" when an option of the line holds an annual plan for months
/// that are not whole years at some grid point. The costs the break-even
/// compares count the months held; the years committed to add an amount a
/// month that it leaves out (each point's verdict in sweep_pairs.csv
/// counts it: `summary::commitment_clause`). The amount is each point's
/// (`PointResult::commitments`): one where it is the same at every point,
/// else its range over the grid.
fn commitment_words(set: &CompareSet, results: &[&PointResult], line: &BreakEvenLine) -> String {
    let mut words = String::new();
    for i in [line.a, line.b] {
        let amounts = results.iter().map(|r| r.commitments[i]);
        let low = amounts.clone().fold(f64::INFINITY, f64::min);
        let high = amounts.fold(0.0, f64::max);
        if high <= 0.0 {
            continue;
        }
        let dollars = crate::compare::summary::dollars;
        let amount = match low == high {
            true => format!("{} a month", dollars(high)),
            false => format!(
                "from {} to {} a month over these grid points",
                dollars(low),
                dollars(high)
            ),
        };
        let _ = write!(
            words,
            " {} is billed annually for less than whole years: counting the years it \
             commits to adds {amount} to its cost, which this break-even leaves out \
             (sweep_pairs.csv's verdicts count it).",
            crate::compare::assumptions::option_words(set, i),
        );
    }
    words
}

/// The break-even itself, as `break_even_sentence` says it.
fn crossing_sentence(params: &[Param], set: &CompareSet, line: &BreakEvenLine) -> String {
    let name = |i: usize| crate::compare::assumptions::option_words(set, i);
    let key = params[0].key;
    let other = match (params.get(1), line.other) {
        (Some(p), Some(v)) => format!(" (at {} = {})", p.key.path, plain_value(p.key, v)),
        _ => String::new(),
    };
    let head = format!("Break-even on {}{other}", key.path);
    let short = shortfall_words(params, set, line);
    let r = &line.result;
    let who = |c: Option<sweep::Cheaper>| match c {
        Some(sweep::Cheaper::A) => name(line.a),
        Some(sweep::Cheaper::B) => name(line.b),
        None => "neither".to_string(),
    };
    let Some(value) = r.value else {
        // Where they cost exactly the same (no add-on bought at low
        // volume, say), "cheaper throughout" would not be true.
        if r.cheaper_below.is_none() {
            return format!(
                "{head}, {} vs {}: none on the grid; they cost the same at every grid point.{short}",
                name(line.a),
                name(line.b)
            );
        }
        let throughout = match r.ties {
            0 => "throughout".to_string(),
            n => format!(
                "wherever they differ (they cost the same at {} of the grid)",
                crate::numbers::count(n as u64, "point", "points")
            ),
        };
        return format!(
            "{head}, {} vs {}: none on the grid; {} is cheaper {throughout}.{short}",
            name(line.a),
            name(line.b),
            who(r.cheaper_below)
        );
    };
    let weekends = set.scenarios[line.a].demand.weekends;
    // In the parameter's unit, as the estimate is ("$4.00", "15%").
    let bound = |b: Option<f64>| b.map_or("beyond the grid".to_string(), |b| plain_value(key, b));
    let crossings = if r.crossings > 1 {
        format!(
            " The cheaper option changes {} times on the grid: read the chart.",
            r.crossings
        )
    } else {
        String::new()
    };
    format!(
        "{head}: below about {}, {} is cheaper; above it, {} (95% interval {} to {}).{crossings}\
         {short}",
        value_words(key, value, Some(weekends)),
        who(r.cheaper_below),
        who(r.cheaper_above),
        bound(r.low),
        bound(r.high),
    )
}

/// " Where A (Core) is cheaper it also sends less: at demand.per_workday =
/// 5, 48.6 more send attempts a month blocked for lack of a credit, running
/// out in 100.0% of months against
/// 0.0% for B (…); sweep_pairs.csv has every point." for each option of
/// the line that saves partly by not sending; empty when neither does.
fn shortfall_words(params: &[Param], set: &CompareSet, line: &BreakEvenLine) -> String {
    let name = |i: usize| crate::compare::assumptions::option_words(set, i);
    let key = params[0].key;
    let mut words = String::new();
    for s in &line.shortfalls {
        let (opening, also) = match s.tie {
            true => ("costs the same as", ""),
            false => ("is cheaper", "also "),
        };
        let than = if s.tie {
            format!(" {}", name(s.other))
        } else {
            String::new()
        };
        let _ = write!(
            words,
            " Where {} {opening}{than} it {also}sends less: at {} = {}, {:.1} more send attempts \
             a month {}, running out in {:.1}% of months against {:.1}% for {}",
            name(s.option),
            key.path,
            plain_value(key, s.at),
            s.fewer,
            match s.floor {
                true => "blocked or refused by the Recruiter floor",
                false => "blocked for lack of a credit",
            },
            100.0 * s.ran_out.0,
            100.0 * s.ran_out.1,
            name(s.other),
        );
        words.push_str(" (sweep_pairs.csv has every point).");
    }
    words
}

/// A swept value in words, rounded to three significant figures: a volume
/// also per month (`weekends`: whether a "workday" volume is sent every
/// day), a share as a percentage, money in dollars.
fn value_words(key: sweep::Key, v: f64, weekends: Option<bool>) -> String {
    use crate::compare::assumptions::{WEEKS_PER_MONTH, WORKDAYS_PER_MONTH};
    use crate::numbers::{rounded_count, significant};
    let month = |per_month: f64| format!(", about {} a month", rounded_count(per_month));
    match (key.path, key.kind) {
        ("demand.per_workday", _) => {
            let (day, days) = match weekends {
                Some(true) => ("day", 365.25 / 12.0),
                _ => ("workday", WORKDAYS_PER_MONTH),
            };
            let m = if weekends.is_some() {
                month(v * days)
            } else {
                String::new()
            };
            format!("{} InMails a {day}{m}", significant(v))
        }
        ("demand.per_week", _) => {
            let m = if weekends.is_some() {
                month(v * WEEKS_PER_MONTH)
            } else {
                String::new()
            };
            format!("{} InMails a week{m}", significant(v))
        }
        ("demand.per_cycle", _) => format!("{} InMails a month", significant(v)),
        _ => format!("{} = {}", key.path, plain_value(key, v)),
    }
}

/// A value of `key` rounded to three significant figures: "15%", "$12.40", "23".
fn plain_value(key: sweep::Key, v: f64) -> String {
    use crate::numbers::significant;
    match key.kind {
        sweep::Kind::Share | sweep::Kind::RateCentre => format!("{}%", significant(100.0 * v)),
        sweep::Kind::Money => crate::compare::summary::dollars(100.0 * v),
        _ => significant(v),
    }
}
