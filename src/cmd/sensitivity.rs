//! `inmail-sim sensitivity SCENARIO`: build the centre and each input's low
//! and high variant (each validated like a file), check the output folder,
//! simulate every variant on the same trials, write sensitivity.csv,
//! metadata.csv and metadata.json all-or-nothing, print the tornado table.

use super::options::{edits, first_lines, overrides, pool, read_source, set_row};
use super::output::{Tail, finish, prepare, stage, stage_metadata};
use crate::cli::SensitivityArgs;
use crate::compare::Source;
use crate::export::compare::write_rows;
use crate::export::sensitivity::sensitivity_rows;
use crate::runner::{Interrupted, Progress, interrupted};
use crate::scenario::{self, Scenario};
use crate::sensitivity::{self, Plan, SensitivityStats};
use crate::terminal::sensitivity::render;
use std::time::{Duration, Instant};

pub fn sensitivity(args: &SensitivityArgs) -> anyhow::Result<()> {
    let edits = edits(&args.sim)?;
    let source = read_source(&args.scenario, &edits)?;
    super::options::refuse_without_effect(&[(&source.path, &source.text)], &edits, &[])?;
    let overrides = overrides(&args.sim);
    let sc = scenario::parse(&source.text, &source.path, &overrides)?;
    let plan = Plan::new(&sc);
    let models = plan.models(&source.text, &source.path, &overrides)?;
    let mut out = prepare(args.sim.out.as_deref(), &format!("sensitivity_{}", sc.name))?;
    super::output::check_targets(
        &out,
        args.sim.json.as_deref(),
        &super::output::Planned {
            csvs: &["sensitivity.csv"],
            charts: args.sim.charts.enabled(),
            svgs: &crate::charts::sensitivity::FILES,
            xlsx: args.sim.xlsx,
        },
        &[&args.scenario],
    )?;

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

    let threads = pool.current_num_threads();
    let mut meta = metadata(&sc, &source, &plan, &stats, threads, wall_time);
    meta.extend(set_row(&args.sim));
    let records = sensitivity_rows(&rows, stats.trials);
    stage(&mut out, "sensitivity.csv", |w| write_rows(w, &records))?;
    stage_metadata(&mut out, &meta)?;
    let tail = Tail {
        charts_on: args.sim.charts.enabled(),
        quiet: args.sim.quiet,
        charts: Box::new(|| crate::charts::sensitivity::charts(&sc, &plan, &stats, &rows)),
        page: Box::new(|charts| {
            let file = source.path.display().to_string();
            crate::html::sensitivity_page(&sc, &file, &plan, &stats, &rows, charts)
        }),
        table: Box::new(|| render(&sc, &plan, &stats, &rows)),
        outcome: None,
        samples: None,
        json: args.sim.json.as_deref(),
        xlsx: args.sim.xlsx,
        what_if: first_lines(sc.what_ifs(), &args.sim),
        partial: false,
        keep_on_ctrl_c: false,
    };
    finish(out, tail)
}

/// metadata.csv and metadata.json: the scenario, the centre's results,
/// the inputs skipped or clamped, and the run itself.
fn metadata(
    sc: &Scenario,
    source: &Source,
    plan: &Plan,
    stats: &SensitivityStats,
    threads: usize,
    wall_time: Duration,
) -> Vec<(String, String)> {
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
    meta.extend(crate::export::what_if_rows(&sc.what_ifs()));
    for (input, why) in &plan.skipped {
        meta.push((format!("skipped_{input}"), why.to_string()));
    }
    for (input, what) in &plan.clamped {
        meta.push((format!("clamped_{input}"), what.clone()));
    }
    meta.push(("threads".to_string(), threads.to_string()));
    meta.push((
        "wall_time_seconds".to_string(),
        format!("{:.3}", wall_time.as_secs_f64()),
    ));
    meta
}
