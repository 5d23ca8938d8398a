//! The short human-readable summary printed to stdout after a run: the
//! chance of running out each month, expected refunds and expired credits,
//! and cost per response. The CSVs hold everything; this is the glance.

use crate::compare::summary::dollars;
use crate::engine::Metric;
use crate::safe_text::for_terminal;
use crate::scenario::Scenario;
use crate::stats::{Histogram, RunStats};
use std::fmt::Write;

fn mean(h: &Histogram) -> f64 {
    h.summary().map_or(0.0, |s| s.mean)
}

/// Renders the table for a finished run.
pub fn render(scenario: &Scenario, stats: &RunStats) -> String {
    let mut t = String::new();
    heading(&mut t, scenario, stats);
    month_table(&mut t, scenario, stats);
    horizon_lines(&mut t, scenario, stats);
    let seat_days = scenario.seats.count > 1 && !scenario.seats.pooled;
    if let Some(note) = crate::stats::floor::run_note(stats, seat_days) {
        let _ = writeln!(t, "\n{note}");
    }
    t
}

/// The first lines: scenario, plan, seats, trials, and each plan change.
fn heading(t: &mut String, scenario: &Scenario, stats: &RunStats) {
    // A team's figures are the team's: said up front, with whether its
    // seats share their credits (docs/model.md, "Seats").
    let seats = match (scenario.seats.count, scenario.seats.pooled) {
        (1, _) => String::new(),
        (n, true) => format!(", {n} seats sharing one pool of credits (team totals)"),
        (n, false) => format!(", {n} seats, each with its own credits (team totals)"),
    };
    let _ = writeln!(
        t,
        "{} — {} ({}){seats}, {} x {}, seed {}",
        for_terminal(&scenario.name),
        for_terminal(&scenario.plan.name),
        for_terminal(&scenario.plan.id),
        crate::numbers::count(stats.trials, "trial", "trials"),
        crate::numbers::count(u64::from(scenario.months), "month", "months"),
        scenario.seed
    );
    // Each plan change, by the month label of the table below: the cost
    // and the chance of running out change there (docs/model.md, "Plan
    // changes"), and the heading's plan is only the first.
    for line in scenario.plan_change_lines() {
        let _ = writeln!(t, "plan change {}", for_terminal(&line));
    }
    if let Some(note) = crate::stats::few_trials_note(stats.trials) {
        let _ = writeln!(t, "{note}");
    }
}

/// The month-by-month table and the notes on its optional columns.
fn month_table(t: &mut String, scenario: &Scenario, stats: &RunStats) {
    // Months as users say them, from the one place that dates them.
    let periods = scenario.horizon.periods();
    let labels: Vec<String> = periods
        .iter()
        .map(|p| {
            let mark = if p.partial { "*" } else { "" };
            format!("{}{mark}", p.label())
        })
        .collect();
    let width = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    // The Recruiter floor's refused sends, where it refused any: in
    // neither `blocked` nor the chance of running out, they would
    // otherwise be missing from the table (demand 220, blocked 0).
    let floor = mean(stats.horizon_of(Metric::FloorRefused)) > 0.0;
    let refused_head = if floor { "  refused" } else { "" };
    // Credits held at a plan change are lost (docs/model.md, "Plan
    // changes"): shown where any were, or the new plan, starting from its
    // first grant, reads as the reason its first month runs out.
    let forfeit = stats.forfeits();
    let forfeit_head = if forfeit { " forfeited" } else { "" };
    let _ = writeln!(
        t,
        "\n{:<width$} {:>9} {:>9} {:>8}{refused_head} {:>9} {:>8} {:>8}{forfeit_head} {:>10}",
        "month", "ran out", "demand", "blocked", "responses", "refunds", "expired", "cost"
    );
    for (c, label) in labels.iter().enumerate().take(stats.months()) {
        let refused = optional_column(floor, 8, stats, c, Metric::FloorRefused);
        let forfeited = optional_column(forfeit, 9, stats, c, Metric::Forfeited);
        let _ = writeln!(
            t,
            "{label:<width$} {:>8.1}% {:>9.1} {:>8.1}{refused} {:>9.1} {:>8.1} {:>8.1}{forfeited} {:>10}",
            100.0 * mean(stats.in_cycle(c, Metric::Exhausted)),
            mean(stats.in_cycle(c, Metric::Demand)),
            mean(stats.in_cycle(c, Metric::Blocked)),
            mean(stats.in_cycle(c, Metric::Responses)),
            mean(stats.in_cycle(c, Metric::Refunds)),
            mean(stats.in_cycle(c, Metric::Expired)),
            dollars(mean(stats.in_cycle(c, Metric::TotalCost))),
        );
    }
    if floor {
        let _ = writeln!(
            t,
            "refused: sends the Recruiter response-rate floor refused (not in blocked or ran out)"
        );
    }
    if forfeit {
        let _ = writeln!(
            t,
            "forfeited: credits held when the plan changed, lost (credits do not carry over to \
             the new plan)"
        );
    }
    if let Some(p) = periods.first().filter(|p| p.partial) {
        let _ = writeln!(
            t,
            "* partial month: {}, from the start date to the first renewal on the 1st, with a \
             full month's grant and price (credit-rules §1, §8.10)",
            crate::numbers::count(u64::from(p.days), "day", "days")
        );
    }
}

/// " 438.8": the mean of `metric` in cycle `c`, right-aligned in `width`,
/// for a column shown only when `shown`; otherwise nothing, so a table
/// without it keeps its layout byte for byte.
fn optional_column(
    shown: bool,
    width: usize,
    stats: &RunStats,
    c: usize,
    metric: Metric,
) -> String {
    match shown {
        true => format!(" {:>width$.1}", mean(stats.in_cycle(c, metric))),
        false => String::new(),
    }
}

/// " (Jul 2026)": month `month` (1-based) as users say it.
fn month_name(scenario: &Scenario, month: i64) -> String {
    usize::try_from(month - 1)
        .ok()
        .filter(|&c| c < scenario.horizon.cycles.len())
        .map_or(String::new(), |c| {
            format!(" ({})", scenario.horizon.period(c).label())
        })
}

fn horizon_lines(t: &mut String, scenario: &Scenario, stats: &RunStats) {
    let months_out = stats.horizon_of(Metric::MonthsExhausted);
    let first = stats.horizon_of(Metric::FirstExhaustedMonth);
    let per_response = stats.horizon_of(Metric::CostPerResponse);
    let _ = writeln!(t, "\nOver the horizon (means over trials):");
    let _ = writeln!(
        t,
        "  chance of running out at least once  {:.1}%",
        100.0 * months_out.share_at_least(1)
    );
    if let Some(s) = first.summary() {
        let _ = writeln!(
            t,
            "  first month you run out, if you do    median {}{}, p5 {}, p95 {}",
            s.p50,
            month_name(scenario, s.p50),
            s.p5,
            s.p95
        );
    }
    let _ = writeln!(
        t,
        "  months with a blocked send            {:.1} of {}",
        mean(months_out),
        stats.months()
    );
    for (label, metric) in [
        (
            crate::metrics::blocked_label(scenario.demand.backlog),
            Metric::Blocked,
        ),
        ("credits refunded", Metric::Refunds),
        ("credits expired", Metric::Expired),
        ("credits forfeited at plan changes", Metric::Forfeited),
        ("add-on credits bought", Metric::Purchased),
    ] {
        // Only where a plan change forfeited any: unchanged otherwise.
        if metric == Metric::Forfeited && !stats.forfeits() {
            continue;
        }
        let _ = writeln!(t, "  {label:<37} {:.1}", mean(stats.horizon_of(metric)));
    }
    let _ = writeln!(
        t,
        "  total cost                            {}",
        dollars(mean(stats.horizon_of(Metric::TotalCost)))
    );
    match per_response.summary() {
        Some(s) => {
            let _ = writeln!(
                t,
                "  cost per response                     {} (median {})",
                dollars(s.mean),
                dollars(s.p50 as f64)
            );
        }
        None => {
            let _ = writeln!(
                t,
                "  cost per response                     none (no trial got a response)"
            );
        }
    }
}
