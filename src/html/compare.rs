//! The `compare` page: the terminal's verdict for each pair, the options
//! table and the paired differences.

use super::words::{dollars, horizon_words, percent};
use super::{Page, Table, standard_notes};
use crate::charts::Chart;
use crate::compare::{CompareSet, CompareSummary, label};

/// The most pair verdicts the page lists (every pair of five options).
const MAX_PAIRS: usize = 10;

/// The page of a finished comparison.
pub fn compare_page(set: &CompareSet, summary: &CompareSummary, charts: &[Chart]) -> Page {
    let trials = summary.options.first().map_or(0, |o| o.trials);
    // The terminal's words exactly, so the page and stdout agree.
    let said = |p: &&crate::compare::PairSummary| set.pair_verdict(p, summary.months);
    let mut headlines: Vec<String> = if summary.pairs.len() <= MAX_PAIRS {
        summary.pairs.iter().map(|p| said(&p)).collect()
    } else {
        // Many options (435 pairs for 30): the cheapest against each other,
        // the rest in pairs.csv, so the answer stays a page.
        let cheapest = (0..summary.options.len())
            .min_by(|&i, &j| {
                let cost = |k: usize| summary.options[k].cost.mean;
                cost(i).total_cmp(&cost(j))
            })
            .unwrap_or(0);
        let mut lines: Vec<String> = summary
            .pairs
            .iter()
            .filter(|p| p.a == cheapest || p.b == cheapest)
            .take(MAX_PAIRS)
            .map(|p| said(&p))
            .collect();
        lines.push(format!(
            "… and {} more pairs in pairs.csv (every pair of the {} options).",
            summary.pairs.len() - lines.len(),
            summary.options.len()
        ));
        lines
    };
    headlines.push(running_out(set, summary));
    headlines.extend(floor_note(set, summary));
    headlines.extend(set.late_start_note());
    Page {
        // Named as the verdict names them: two files of one name are
        // told apart ("a (option A) vs a (option B)").
        title: format!(
            "Which option costs less: {}",
            (0..set.scenarios.len())
                .map(|i| set.verdict_name(i))
                .collect::<Vec<_>>()
                .join(" vs ")
        ),
        subtitle: crate::stats::noting_few_trials(
            format!(
                "inmail-sim compare: {}, {} x {}, seed {} \
                 (every option on the same simulated trials)",
                crate::numbers::count(set.scenarios.len() as u64, "option", "options"),
                crate::numbers::count(trials, "trial", "trials"),
                crate::numbers::count(summary.months as u64, "month", "months"),
                set.seed
            ),
            trials,
        ),
        headlines,
        settings: settings(set, trials),
        charts: charts.to_vec(),
        tables: vec![
            assumptions_table(set),
            options_table(set, summary),
            pairs_table(set, summary),
        ],
        notes: standard_notes("options.csv and pairs.csv"),
    }
}

/// Each option's days a month stopped by the Recruiter floor, if any,
/// each option named as the verdicts name it (`CompareSet::verdict_name`:
/// two files of one name read "recruiter_floor 7.9, recruiter_floor 0.0").
pub fn floor_note(set: &CompareSet, summary: &CompareSummary) -> Option<String> {
    let names: Vec<String> = (0..set.scenarios.len())
        .map(|i| set.verdict_name(i))
        .collect();
    let days: Vec<(&str, f64, bool)> = summary
        .options
        .iter()
        .zip(&set.scenarios)
        .zip(&names)
        .map(|((o, sc), name)| {
            let seat_days = sc.seats.count > 1 && !sc.seats.pooled;
            (name.as_str(), o.floor_days_per_month, seat_days)
        })
        .collect();
    crate::stats::floor::compare_note(&days)
}

/// "The chance of running out in a month: advanced 57.8%, core_addons 0.0%."
/// (options named as the verdicts name them).
fn running_out(set: &CompareSet, summary: &CompareSummary) -> String {
    let each: Vec<String> = summary
        .options
        .iter()
        .enumerate()
        .map(|(i, o)| format!("{} {}", set.verdict_name(i), percent(o.ran_out_month.mean)))
        .collect();
    format!(
        "The chance of running out of credits in a month: {}.",
        each.join(", ")
    )
}

/// One row per option (label, name, plan, file), then the shared run
/// settings.
pub(super) fn settings(set: &CompareSet, trials: u64) -> Vec<(String, String)> {
    let mut rows: Vec<(String, String)> = set
        .scenarios
        .iter()
        .zip(&set.sources)
        .enumerate()
        .map(|(i, (sc, source))| {
            let mut value = format!(
                "{}: {} ({}), file {}",
                sc.name,
                sc.plan.name,
                sc.plan.id,
                source.path.display()
            );
            if !sc.description.trim().is_empty() {
                value.push_str(&format!(". {}", sc.description.trim()));
            }
            (format!("Option {}", label(i)), value)
        })
        .collect();
    if let Some(first) = set.scenarios.first() {
        rows.push(("Months".to_string(), first.months.to_string()));
        rows.push(("Start date".to_string(), first.start.to_string()));
    }
    rows.push(("Trials".to_string(), crate::numbers::grouped(trials)));
    rows.push(("Seed".to_string(), set.seed.to_string()));
    rows
}

/// What each option assumes, one column per option in the order of the
/// files given, so that a forwarded page says what was compared.
fn assumptions_table(set: &CompareSet) -> Table {
    let mut rows = crate::compare::assumptions::rows(set);
    let (_, options) = rows.remove(0);
    let header = std::iter::once(String::new())
        .chain(options)
        .collect::<Vec<_>>();
    Table {
        caption: "What each option assumes".to_string(),
        numeric_from: header.len(),
        header,
        rows: rows
            .into_iter()
            .map(|(h, cells)| std::iter::once(h).chain(cells).collect())
            .collect(),
        note: "Options are labelled A, B, ... in the order the files were given.".to_string(),
    }
}

fn money(cents: Option<f64>) -> String {
    cents.map_or("none".to_string(), dollars)
}

/// The terminal's options table.
fn options_table(set: &CompareSet, summary: &CompareSummary) -> Table {
    let rows = summary
        .options
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let sc = &set.scenarios[i];
            vec![
                label(i),
                format!("{} ({})", sc.name, sc.plan.id),
                o.cost.dollars_with_interval(),
                percent(o.ran_out_month.mean),
                format!("{:.1}", o.blocked_per_month),
                format!("{:.1}", o.refunds_per_month),
                format!("{:.1}", o.expired_per_month),
                format!("{:.1}", o.addons_per_month),
                money(o.cost_per_sent),
                money(o.cost_per_response),
            ]
        })
        .collect();
    Table {
        caption: "The options, per month".to_string(),
        header: crate::terminal::compare::OPTION_COLUMNS
            .map(String::from)
            .to_vec(),
        rows,
        numeric_from: 2,
        note: format!(
            "Per month: {}.",
            crate::terminal::compare::options_note(set).join("; ")
        ),
    }
}

/// Each pair's paired difference and who is cheaper how often.
fn pairs_table(set: &CompareSet, summary: &CompareSummary) -> Table {
    let rows = summary
        .pairs
        .iter()
        .map(|p| {
            let d = &p.difference;
            vec![
                format!(
                    "{} − {} ({} − {})",
                    label(p.a),
                    label(p.b),
                    set.scenarios[p.a].name,
                    set.scenarios[p.b].name
                ),
                dollars(d.mean),
                if d.has_interval() {
                    format!("{} to {}", dollars(d.low), dollars(d.high))
                } else {
                    crate::stats::NA.to_string()
                },
                format!("±{}", dollars(p.unpaired_half_width)),
                percent(p.a_cheaper.mean),
                percent(p.b_cheaper),
                percent(p.tie),
            ]
        })
        .collect();
    Table {
        caption: "Paired differences of the monthly cost".to_string(),
        header: [
            "pair",
            "difference/month",
            "95% CI (paired)",
            "unpaired would give",
            "first cheaper",
            "second cheaper",
            "same cost",
        ]
        .map(String::from)
        .to_vec(),
        rows,
        numeric_from: 1,
        note: format!(
            "\"cheaper\": the share of {} in which the option cost strictly less.",
            horizon_words(summary.months)
        ),
    }
}
