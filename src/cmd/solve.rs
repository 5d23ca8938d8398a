//! `inmail-sim solve SCENARIO --param KEY --target STAT=VALUE [--range
//! LO..HI]`: read the question, check the output folder, search
//! (`decide::solve`), write solve.csv, solve_answer.csv, metadata.csv and
//! metadata.json all-or-nothing, print the answer.

use super::options::{
    edits, first_lines, overrides, pool, read_source, refuse_months_twice, set_row,
};
use super::output::{Tail, finish, prepare, stage, stage_metadata};
use crate::cli::SolveArgs;
use crate::decide::question::{Question, show_value};
use crate::decide::solve::{Answer, solve as search};
use crate::export::decide::{answer_row, evaluation_rows, write_plain_rows};
use crate::runner::{Interrupted, Progress, interrupted};
use std::time::{Duration, Instant};

pub fn solve(args: &SolveArgs) -> anyhow::Result<()> {
    let opts = &args.sim;
    if let Ok(key) = crate::decide::question::parse_key(&args.param) {
        refuse_months_twice(opts, &[(key, format!("--param {}", args.param))])?;
    }
    let edits = edits(&args.sim)?;
    let source = read_source(&args.scenario, &edits)?;
    let varied: Vec<_> = crate::decide::question::parse_key(&args.param)
        .into_iter()
        .collect();
    super::options::refuse_without_effect(&[(&source.path, &source.text)], &edits, &varied)?;
    let q = Question::new(
        source,
        &args.param,
        &args.target,
        args.range.as_deref(),
        overrides(opts),
    )?;
    // A parameter that changes nothing is said before any evaluation runs
    // (solve found it flat only after running every one).
    if let Some(why) = crate::sweep::without_effect(&q.base, q.key.path) {
        return Err(crate::error::UserError(format!(
            "--param {}: changes nothing here: {why}",
            args.param
        ))
        .into());
    }
    let mut out = prepare(opts.out.as_deref(), &format!("solve_{}", q.base.name))?;
    super::output::check_targets(
        &out,
        opts.json.as_deref(),
        &super::output::Planned {
            csvs: &["solve.csv", "solve_answer.csv"],
            charts: opts.charts.enabled(),
            svgs: &["solve.svg"],
            xlsx: opts.xlsx,
        },
        &[&args.scenario],
    )?;

    let pool = pool(opts.threads)?;
    let started = Instant::now();
    let bar = Progress::new(q.trials, !opts.quiet);
    let mut planned = 0;
    let mut eval = |x: f64| {
        planned += q.trials;
        bar.plan(planned);
        pool.install(|| q.values_at(x, &bar))
    };
    let found = search(&q.problem, &mut eval);
    bar.finish();
    if interrupted() {
        return Err(Interrupted.into()); // `out` is dropped: nothing is left
    }
    let answer = found?.map_err(|r| q.refusal(&r))?;
    let wall_time = started.elapsed();

    stage(&mut out, "solve.csv", |w| {
        write_plain_rows(w, &evaluation_rows(&q, &answer))
    })?;
    stage(&mut out, "solve_answer.csv", |w| {
        write_plain_rows(w, &[answer_row(&q, &answer)])
    })?;
    let mut meta = metadata(&q, &answer, pool.current_num_threads(), wall_time);
    meta.extend(set_row(opts));
    stage_metadata(&mut out, &meta)?;
    let tail = Tail {
        charts_on: opts.charts.enabled(),
        quiet: opts.quiet,
        charts: Box::new(|| vec![crate::charts::decide::solve_chart(&q, &answer)]),
        page: Box::new(|charts| crate::html::solve_page(&q, &answer, charts)),
        table: Box::new(|| crate::terminal::decide::solve_text(&q, &answer)),
        outcome: None,
        samples: None,
        json: opts.json.as_deref(),
        xlsx: opts.xlsx,
        what_if: first_lines(what_ifs(&q), opts),
        partial: false,
        keep_on_ctrl_c: false,
    };
    finish(out, tail)
}

/// An end of the answer's interval for the metadata. With fewer than 2
/// trials there is none: an empty cell, as in every CSV.
fn interval_end(q: &Question, x: f64) -> String {
    if x.is_nan() {
        String::new()
    } else {
        show_value(q.key, x)
    }
}

/// metadata.csv and metadata.json: the question, the answer, the run.
fn metadata(
    q: &Question,
    a: &Answer,
    threads: usize,
    wall_time: Duration,
) -> Vec<(String, String)> {
    let p = &q.problem;
    let rows: Vec<(&str, String)> = vec![
        ("tool", env!("CARGO_PKG_NAME").to_string()),
        ("tool_version", env!("CARGO_PKG_VERSION").to_string()),
        ("command", "solve".to_string()),
        ("scenario_name", q.base.name.clone()),
        ("scenario_file", q.source.path.display().to_string()),
        ("scenario_sha256", q.source.sha256.clone()),
        ("seed", q.base.seed.to_string()),
        ("trials_per_evaluation", q.trials.to_string()),
        ("months", q.base.months.to_string()),
        ("start_date", q.base.start.to_string()),
        ("param", q.key.path.to_string()),
        ("target", q.target_text.clone()),
        ("range", q.range_text.clone()),
        ("answer", show_value(q.key, a.x)),
        ("answer_ci95_low", interval_end(q, a.low)),
        ("answer_ci95_high", interval_end(q, a.high)),
        ("direction", a.direction.key().to_string()),
        ("evaluations", a.evaluations.len().to_string()),
        ("stat", p.stat.key().to_string()),
        ("threads", threads.to_string()),
        (
            "wall_time_seconds",
            format!("{:.3}", wall_time.as_secs_f64()),
        ),
    ];
    let mut rows: Vec<(String, String)> =
        rows.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    rows.extend(crate::export::what_if_rows(&what_ifs(q)));
    rows
}

/// The base scenario's what-ifs, and whether a cost target counts annual
/// billing's committed years.
fn what_ifs(q: &Question) -> Vec<String> {
    let mut lines = q.base.what_ifs();
    lines.extend(q.commitment_note().map(|n| format!("note: {n}")));
    lines
}
