//! `inmail-sim sensitivity SCENARIO`: build the centre and each input's low
//! and high variant (each validated like a file), check the output folder,
//! simulate every variant on the same trials, write sensitivity.csv,
//! metadata.csv and metadata.json all-or-nothing, print the tornado table.

use super::options::{overrides, pool};
use super::output::{Tail, finish, prepare, stage, stage_metadata};
use crate::cli::SensitivityArgs;
use crate::compare::{Source, summary::dollars};
use crate::export::compare::write_table;
use crate::export::sensitivity::{SENSITIVITY_COLUMNS, sensitivity_records};
use crate::export::{Preamble, ScenarioFile};
use crate::runner::{Interrupted, Progress, interrupted};
use crate::scenario;
use crate::sensitivity::{self, Plan, Row, SensitivityStats};
use std::fmt::Write as _;
use std::time::Instant;

pub fn sensitivity(args: &SensitivityArgs) -> anyhow::Result<()> {
    let source = Source::read(&args.scenario)?;
    let overrides = overrides(&args.sim);
    let sc = scenario::parse(&source.text, &source.path, &overrides)?;
    let plan = Plan::new(&sc);
    let models = plan.models(&source.text, &source.path, &overrides)?;
    let mut out = prepare(args.sim.out.as_deref(), &format!("sensitivity_{}", sc.name))?;

    let pool = pool(args.sim.threads)?;
    let started = Instant::now();
    let bar = Progress::new(sc.trials, !args.sim.quiet);
    let stats = pool.install(|| sensitivity::simulate(&models, 0..sc.trials, &bar));
    bar.finish();
    let wall_time = started.elapsed();
    if interrupted() {
        return Err(Interrupted.into()); // `out` is dropped: nothing is left
    }
    let rows = sensitivity::rows(&plan, &stats);

    let mut meta: Vec<(String, String)> = [
        ("tool", env!("CARGO_PKG_NAME").to_string()),
        ("tool_version", env!("CARGO_PKG_VERSION").to_string()),
        ("command", "sensitivity".to_string()),
        ("scenario_name", sc.name.clone()),
        ("scenario_file", source.path.display().to_string()),
        ("scenario_sha256", source.sha256.clone()),
        ("seed", sc.seed.to_string()),
        ("trials", stats.trials.to_string()),
        ("months", sc.months.to_string()),
        ("start_date", sc.start.to_string()),
        ("rate_centre", plan.rate_centre.to_string()),
        (
            "centre_cost_per_month",
            crate::stats::format_f64(stats.cost_per_month(0), crate::stats::ValueScale::Cents),
        ),
        (
            "centre_ran_out",
            crate::stats::format_f64(stats.ran_out(0), crate::stats::ValueScale::Count),
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    for (input, why) in &plan.skipped {
        meta.push((format!("skipped_{input}"), why.to_string()));
    }
    for (input, what) in &plan.clamped {
        meta.push((format!("clamped_{input}"), what.clone()));
    }
    meta.push((
        "threads".to_string(),
        pool.current_num_threads().to_string(),
    ));
    meta.push((
        "wall_time_seconds".to_string(),
        format!("{:.3}", wall_time.as_secs_f64()),
    ));
    let file = ScenarioFile {
        file: source.path.display().to_string(),
        sha256: source.sha256.clone(),
    };
    let pre = Preamble::single("sensitivity", &sc, file, stats.trials);
    let records = sensitivity_records(&rows, stats.trials);
    stage(&mut out, "sensitivity.csv", |w| {
        write_table(w, &pre, &SENSITIVITY_COLUMNS, &records)
    })?;
    stage_metadata(&mut out, &pre, &meta)?;
    let tail = Tail {
        charts_on: args.sim.charts.enabled(),
        quiet: args.sim.quiet,
        charts: Box::new(|| crate::charts::sensitivity::charts(&sc.name, &plan, &stats, &rows)),
        page: Box::new(|charts| {
            let file = source.path.display().to_string();
            crate::report_html::sensitivity_page(&sc, &file, &plan, &stats, &rows, charts)
        }),
        table: Box::new(|| render(&sc.name, &plan, &stats, &rows)),
        outcome: None,
        samples: None,
        partial: false,
    };
    finish(out, tail)
}

/// Width of the longest bar of the tornado.
const BAR: usize = 24;

/// The tornado table: one line per input, largest cost swing first, with a
/// bar proportional to the swing (left of `|` when the high end costs
/// less, right when it costs more).
fn render(name: &str, plan: &Plan, stats: &SensitivityStats, rows: &[Row]) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "sensitivity of {name}: {} trials per variant, seed-paired (every variant on the same trials)",
        stats.trials
    );
    if let Some(note) = crate::stats::few_trials_note(stats.trials) {
        let _ = writeln!(t, "{note}");
    }
    let _ = writeln!(
        t,
        "centre (response rate fixed at its median {:.2}%): {}/month, ran out in {:.1}% of months\n",
        100.0 * plan.rate_centre,
        dollars(stats.cost_per_month(0)),
        100.0 * stats.ran_out(0)
    );
    let _ = writeln!(
        t,
        "{:<20} {:>19} {:>21} {:>11} {:>9}  {:^width$}",
        "input",
        "low → high",
        "cost/month low → high",
        "cost swing",
        "ran out",
        "cost swing (high − low)",
        width = 2 * BAR + 1
    );
    let widest = rows
        .iter()
        .map(|r| r.cost_swing.mean.abs())
        .fold(0.0, f64::max);
    for r in rows {
        let i = &r.input;
        let len = if widest > 0.0 {
            (r.cost_swing.mean.abs() / widest * BAR as f64).round() as usize
        } else {
            0
        };
        let (left, right) = if r.cost_swing.mean < 0.0 {
            ("#".repeat(len), String::new())
        } else {
            (String::new(), "#".repeat(len))
        };
        let _ = writeln!(
            t,
            "{:<20} {:>19} {:>21} {:>11} {:>+8.1}pp  {left:>BAR$}|{right:<BAR$}",
            i.name,
            i.range_text(),
            format!("{} → {}", dollars(r.cost_low), dollars(r.cost_high)),
            signed_dollars(r.cost_swing.mean),
            100.0 * r.ran_out_swing.mean,
        );
    }
    for (input, why) in &plan.skipped {
        let _ = writeln!(t, "(skipped {input}: {why})");
    }
    for (input, what) in &plan.clamped {
        let _ = writeln!(t, "(clamped {input}: {what})");
    }
    t
}

fn signed_dollars(cents: f64) -> String {
    if cents < 0.0 {
        format!("-{}", dollars(-cents))
    } else {
        format!("+{}", dollars(cents))
    }
}
