//! The compare table printed on stdout: one line per option, then each
//! pair's paired difference, who is cheaper how often, and the verdict.

use crate::compare::summary::{CompareSummary, dollars, horizon_words};
use crate::compare::{CompareSet, label};
use crate::html::words::percent;
use crate::safe_text::for_terminal;
use std::fmt::Write;

/// The columns of the options table, shared with report.html's.
pub const OPTION_COLUMNS: [&str; 10] = [
    "",
    "scenario (plan)",
    "cost/month (95% CI)",
    "ran out",
    "blocked",
    "refunds",
    "expired",
    "add-ons",
    "$/sent",
    "$/response",
];

fn money(cents: Option<f64>) -> String {
    cents.map_or("none".to_string(), dollars)
}

/// What each option assumes, row by row, one line per option: side by
/// side in a terminal's width (`compare::assumptions`).
fn assumptions(t: &mut String, set: &CompareSet) {
    let rows = crate::compare::assumptions::rows(set);
    let w = rows
        .iter()
        .map(|(h, _)| h.chars().count())
        .max()
        .unwrap_or(0);
    let _ = writeln!(
        t,
        "\nWhat each option assumes (A, B, ... in the order the files were given):"
    );
    for (heading, cells) in rows.iter().filter(|(h, _)| h != "option") {
        for (i, cell) in cells.iter().enumerate() {
            let shown = if i == 0 { heading.as_str() } else { "" };
            let _ = writeln!(t, "  {shown:<w$}  {}  {}", label(i), for_terminal(cell));
        }
    }
}

/// The clauses of the note under the options table, the terminal's and
/// report.html's alike (the page's once left out "for lack of a credit",
/// which every "ran out" note says: the Recruiter floor's blocks are not
/// in it). With a backlog, "blocked" is attempts, as `run` says.
pub fn options_note(set: &CompareSet) -> Vec<&'static str> {
    let mut note = vec![
        "means over every month of every trial; \"ran out\" is the chance that a send is \
         blocked for lack of a credit in a month",
    ];
    if set.scenarios.iter().any(|sc| sc.demand.backlog) {
        note.push(
            "with a backlog, \"blocked\" counts send attempts, a waiting InMail each day it is \
             retried",
        );
    }
    note.push(
        "$/sent and $/response: total cost over total sends or responses across all trials, \
         not a mean of each year's own ratio",
    );
    note
}

/// Renders the table for a finished comparison.
pub fn render(set: &CompareSet, summary: &CompareSummary) -> String {
    let mut t = String::new();
    let trials = summary.options.first().map_or(0, |o| o.trials);
    let _ = writeln!(
        t,
        "compare: {}, {} x {}, seed {} (every option on the same trials)",
        crate::numbers::count(set.scenarios.len() as u64, "option", "options"),
        crate::numbers::count(trials, "trial", "trials"),
        crate::numbers::count(summary.months as u64, "month", "months"),
        set.seed
    );
    if let Some(note) = crate::stats::few_trials_note(trials) {
        let _ = writeln!(t, "{note}");
    }
    assumptions(&mut t, set);
    let names: Vec<String> = set
        .scenarios
        .iter()
        .map(|sc| format!("{} ({})", for_terminal(&sc.name), for_terminal(&sc.plan.id)))
        .collect();
    let w = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
    let [
        o,
        s,
        cost,
        ran,
        blocked,
        refunds,
        expired,
        addons,
        sent,
        response,
    ] = OPTION_COLUMNS;
    let _ = writeln!(
        t,
        "\n{o:<2} {s:<w$} {cost:>27} {ran:>8} {blocked:>8} {refunds:>8} {expired:>8} \
         {addons:>8} {sent:>8} {response:>10}"
    );
    for (i, (o, name)) in summary.options.iter().zip(&names).enumerate() {
        let cost = o.cost.dollars_with_interval();
        let _ = writeln!(
            t,
            "{:<2} {:<w$} {:>27} {:>8} {:>8.1} {:>8.1} {:>8.1} {:>8.1} {:>8} {:>10}",
            label(i),
            name,
            cost,
            // A chance near 0 keeps its first digit (0.006%), as
            // report.html: "0.0%" read as "never runs out".
            percent(o.ran_out_month.mean),
            o.blocked_per_month,
            o.refunds_per_month,
            o.expired_per_month,
            o.addons_per_month,
            money(o.cost_per_sent),
            money(o.cost_per_response),
        );
    }
    let _ = writeln!(t, "(per month: {})", options_note(set).join(";\n "));
    // Named as the verdicts name them: two files of one name are told
    // apart by their labels here too.
    let names: Vec<String> = (0..set.scenarios.len())
        .map(|i| for_terminal(&set.verdict_name(i)).into_owned())
        .collect();
    let days: Vec<(&str, f64, bool)> = names
        .iter()
        .zip(&summary.options)
        .zip(&set.scenarios)
        .map(|((n, o), sc)| {
            (
                n.as_ref(),
                o.floor_days_per_month,
                sc.seats.count > 1 && !sc.seats.pooled,
            )
        })
        .collect();
    if let Some(note) = crate::stats::floor::compare_note(&days) {
        let _ = writeln!(t, "{note}");
    }
    if let Some(note) = set.late_start_note() {
        let _ = writeln!(t, "{note}");
    }
    for p in &summary.pairs {
        let d = &p.difference;
        let interval = if d.has_interval() {
            format!(
                "95% CI {} to {}, paired; unpaired runs would give ±{}",
                dollars(d.low),
                dollars(d.high),
                dollars(p.unpaired_half_width)
            )
        } else {
            format!("95% CI {}", crate::stats::NA)
        };
        let _ = writeln!(
            t,
            "\n{} − {}: {}/month ({interval})",
            label(p.a),
            label(p.b),
            dollars(d.mean),
        );
        let _ = writeln!(
            t,
            "  {} cheaper in {} of {}, {} in {}, the same cost in {}",
            label(p.a),
            percent(p.a_cheaper.mean),
            horizon_words(summary.months),
            label(p.b),
            percent(p.b_cheaper),
            percent(p.tie)
        );
        let _ = writeln!(t, "  {}", set.pair_verdict(p, summary.months));
    }
    t
}
