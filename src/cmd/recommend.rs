//! `inmail-sim recommend SCENARIO [--max-risk 5%] [--max-blocked N]
//! [--plans ID,...] [--seats 1..K] [--what-if-addons] [--precision ...]
//! [--max-trials N]`: build and validate every candidate, check the output
//! folder, run the successive elimination (`decide::recommend`), write
//! candidates.csv, frontier.csv, metadata.csv and metadata.json
//! all-or-nothing, print the recommendation.

use super::options::{edits, first_lines, overrides, pool, read_source, set_row};
use super::output::{Tail, finish, prepare, stage, stage_metadata};
use crate::cli::RecommendArgs;
use crate::compare::Source;
use crate::decide::recommend::candidates::{self, Candidate, Choice};
use crate::decide::recommend::{self, Limits, Recommendation, Settings};
use crate::engine::Model;
use crate::error::UserError;
use crate::export::decide::{candidate_rows, frontier_rows, write_plain_rows};
use crate::runner::{Interrupted, Progress};
use crate::scenario::{self, Scenario};
use std::time::{Duration, Instant};

/// Most bytes the candidates' kept trials may take.
const MAX_KEPT_BYTES: u64 = 4 << 30;

/// Bytes a kept trial takes.
const TRIAL_BYTES: u64 = std::mem::size_of::<crate::decide::Outcome>() as u64;

/// Bytes a candidate's model takes per simulated month (its calendar and
/// its demand's per-day tables, `Model`), with room: measured 1.1 KiB
/// (390 candidates, 120 months against 12: 48 MB more at the peak).
const MODEL_BYTES_PER_MONTH: u64 = 1536;

pub fn recommend(args: &RecommendArgs) -> anyhow::Result<()> {
    let opts = &args.sim;
    let edits = edits(&args.sim)?;
    refuse_replaced(&edits)?;
    let source = read_source(&args.scenario, &edits)?;
    let base = base_scenario(&source, opts)?;
    let settings = settings(args, &base)?;
    let (list, models) = candidates_of(args, &source, settings.max_trials, &base)?;
    let mut out = prepare(opts.out.as_deref(), &format!("recommend_{}", base.name))?;
    super::output::check_targets(
        &out,
        opts.json.as_deref(),
        &super::output::Planned {
            csvs: &["candidates.csv", "frontier.csv"],
            charts: opts.charts.enabled(),
            svgs: &["frontier.svg"],
            xlsx: opts.xlsx,
        },
        &[&args.scenario],
    )?;

    let pool = pool(opts.threads)?;
    let started = Instant::now();
    let bar = Progress::new(0, !opts.quiet);
    let found = pool.install(|| recommend::run(&list, &models, &settings, &bar));
    bar.finish();
    let e = found.map_err(|_| Interrupted)?; // `out` is dropped: nothing is left
    let mut r = Recommendation::new(e, base.months);
    if args.plans.is_empty() {
        r.scenario_plan = crate::scenario::catalog::find(&base.plan.id);
    }
    r.late_start = (base.start.day != 1).then_some(base.start);
    r.backlog = base.demand.backlog;
    // Said only where the scenario's own prices are among the candidates,
    // over whole years (else annual billing is left out anyway, and said).
    let annual_weighed = candidates::annual_is_a_candidate(base.months);
    if annual_weighed && r.scored().iter().any(|s| s.candidate.own_price) {
        r.notes
            .extend(recommend::annual_priced_as_monthly(&base.plan));
    }
    let wall_time = started.elapsed();

    stage(&mut out, "candidates.csv", |w| {
        write_plain_rows(w, &candidate_rows(&r))
    })?;
    stage(&mut out, "frontier.csv", |w| {
        write_plain_rows(w, &frontier_rows(&r))
    })?;
    let mut meta = metadata(
        &source,
        &base,
        &r,
        &settings,
        pool.current_num_threads(),
        wall_time,
    );
    meta.extend(set_row(opts));
    let mut first = what_if(&r);
    first.extend(plan_changes_left_out(&source));
    meta.extend(crate::export::what_if_rows(&first));
    stage_metadata(&mut out, &meta)?;
    let limits = settings.limits;
    let tail = Tail {
        charts_on: opts.charts.enabled(),
        quiet: opts.quiet,
        charts: Box::new(|| {
            vec![crate::charts::decide::frontier_chart(
                &r,
                limits.max_risk,
                &base,
            )]
        }),
        page: Box::new(|charts| {
            crate::html::recommend_page(&r, &limits, page_settings(&source, &base, &meta), charts)
        }),
        table: Box::new(|| crate::terminal::decide::recommend_text(&r, &limits, &base.name)),
        outcome: None,
        samples: None,
        json: opts.json.as_deref(),
        xlsx: opts.xlsx,
        what_if: first_lines(first, opts),
        partial: false,
        keep_on_ctrl_c: false,
    };
    finish(out, tail)
}

/// Refuses `--set` on a key every candidate replaces (its plan, and the
/// add-on keys its policy sets), which would otherwise be ignored. `seats`
/// stays: it sets the team's volume (`candidates`, module docs).
fn refuse_replaced(edits: &[(crate::sweep::Key, f64)]) -> Result<(), UserError> {
    let replaced = |path: &str| {
        path.starts_with("plan.")
            || matches!(
                path,
                "addons.pack" | "addons.max_per_month" | "addons.per_month"
            )
    };
    match edits.iter().find(|(k, _)| replaced(k.path)) {
        Some((k, _)) => Err(UserError(format!(
            "--set {}: recommend replaces the scenario's plan and add-on policy with each \
             candidate's (the candidates of the scenario's own plan keep what its [plan] \
             sets: write a negotiated price there), so --set on it is refused; the keys it \
             keeps are the demand, response, delay, refunds, Open Profile, follow-ups, seats \
             (the team's volume), months and addons.price and addons.expiry_days (use --plans \
             to choose plans)",
            k.path
        ))),
        None => Ok(()),
    }
}

/// Every candidate of the command line, each validated as a scenario.
fn candidates_of(
    args: &RecommendArgs,
    source: &Source,
    max_trials: u64,
    base: &Scenario,
) -> anyhow::Result<(Vec<Candidate>, Vec<Model>)> {
    let months = base.months;
    let (_, table) = scenario::table_and_seed(&source.text)
        .map_err(|e| UserError(format!("{}: {e}", source.path.display())))?;
    let choice = Choice {
        plans: args.plans.clone(),
        // Without --seats, the team the scenario describes: its seats, each
        // with the file's demand (a team of 8 put on 1 seat ran out always).
        seats: match &args.seats {
            Some(text) => candidates::parse_seats(text)?,
            None => (base.seats.count, base.seats.count),
        },
        what_if_addons: args.what_if_addons,
        own: candidates::own_plan(&table, base),
        inline: candidates::inline_plan(base),
        pooled: base.seats.pooled,
        buys_addons: base.addons.policy != scenario::AddonPolicy::Never,
        months,
        open_profiles: base.open_profile.share > 0.0,
    };
    let list = candidates::list(&choice)?;
    check_memory(list.len(), max_trials, months)?;
    let overrides = overrides(&args.sim);
    let models = list
        .iter()
        .map(|c| candidates::scenario(&source.text, &source.path, &overrides, c).map(Model::new))
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok((list, models))
}

fn settings(args: &RecommendArgs, base: &Scenario) -> Result<Settings, UserError> {
    // recommend's --trials is its most trials per candidate, as
    // --max-trials is (docs/recommend.md): given both, one would be
    // dropped without a word (an independent check read the refusal it
    // once met as clap's "cannot be used multiple times").
    if let (Some(max), Some(trials)) = (args.max_trials, args.sim.trials) {
        return Err(UserError(format!(
            "--max-trials {max} and --trials {trials} both set recommend's most trials per \
             candidate (its rounds double from 1000 up to it); give one of them"
        )));
    }
    let max_blocked = match args.max_blocked {
        Some(b) if !(b.is_finite() && b >= 0.0) => {
            return Err(UserError(format!(
                "--max-blocked {b}: expected a number of sends above 0"
            )));
        }
        // A mean of exactly 0 can never be shown: however many trials show
        // no block, a rarer one stays possible (the verdict's upper end is
        // at least 3/trials), so every candidate would stay unsure.
        Some(0.0) => {
            return Err(UserError(
                "--max-blocked 0: no number of trials can show that a candidate never blocks \
                 a send (a rarer block stays possible), so none would be recommended; give a \
                 small limit above 0, e.g. --max-blocked 0.1"
                    .to_string(),
            ));
        }
        other => other,
    };
    Ok(Settings {
        limits: Limits {
            max_risk: recommend::parse_max_risk(&args.max_risk)?,
            max_blocked,
        },
        resolution: recommend::parse_resolution(&args.precision)?,
        max_trials: args
            .max_trials
            .or(args.sim.trials)
            .unwrap_or(base.trials)
            .max(1000),
    })
}

/// The scenario the candidates are built on: the file validated as
/// written, then read with the command line's values and without its plan
/// changes, which every candidate replaces with its own (`--months 3` is
/// not refused for a `[[plan_change]] from_cycle = 6` no candidate keeps).
fn base_scenario(source: &Source, opts: &crate::cli::SimArgs) -> anyhow::Result<Scenario> {
    let as_written = scenario::Overrides::default();
    scenario::parse(&source.text, &source.path, &as_written)?;
    let (seed, mut table) = scenario::table_and_seed(&source.text)
        .map_err(|e| UserError(format!("{}: {e}", source.path.display())))?;
    if table.remove("plan_change").is_none() {
        return Ok(scenario::parse(
            &source.text,
            &source.path,
            &overrides(opts),
        )?);
    }
    let mut text = toml::to_string(&table)
        .map_err(|e| UserError(format!("{}: {e}", source.path.display())))?;
    if let Some(seed) = seed {
        text = format!("seed = {seed}\n{text}");
    }
    Ok(scenario::parse(&text, &source.path, &overrides(opts))?)
}

/// Refuses, before any candidate is built, a search whose candidates'
/// models and kept trials would take more than [`MAX_KEPT_BYTES`]: both
/// grow with the candidates, the one with `months`, the other with the
/// trials.
fn check_memory(candidates: usize, max_trials: u64, months: u32) -> Result<(), UserError> {
    let per_candidate = max_trials
        .saturating_mul(TRIAL_BYTES)
        .saturating_add(u64::from(months).saturating_mul(MODEL_BYTES_PER_MONTH));
    let bytes = (candidates as u64).saturating_mul(per_candidate);
    if bytes > MAX_KEPT_BYTES {
        return Err(UserError(format!(
            "{} x {} and {} would keep {} MiB (at most {} MiB): lower --max-trials (or --trials) or \
             --months, or narrow --plans or --seats",
            crate::numbers::count(candidates as u64, "candidate", "candidates"),
            crate::numbers::count(max_trials, "trial", "trials"),
            crate::numbers::count(u64::from(months), "month", "months"),
            crate::numbers::grouped(bytes >> 20),
            crate::numbers::grouped(MAX_KEPT_BYTES >> 20)
        )));
    }
    Ok(())
}

/// A note that the file's plan changes are not weighed: every candidate is
/// one plan for the whole horizon (`base_scenario`); `--help` said so, the
/// outputs did not (an independent check).
fn plan_changes_left_out(source: &Source) -> Option<String> {
    let (_, table) = scenario::table_and_seed(&source.text).ok()?;
    let n = table.get("plan_change")?.as_array()?.len();
    Some(format!(
        "note: the file's {} left out: each candidate is one plan for the whole horizon",
        if n == 1 {
            "[[plan_change]] is".to_string()
        } else {
            format!("{n} [[plan_change]] tables are")
        }
    ))
}

/// The what-if lines, one for each plan among the candidates (every row
/// of the table and of candidates.csv, not only the recommendation) that
/// buys add-ons the plan does not sell today, or pools seats it does not
/// pool as sold, each said once.
fn what_if(r: &Recommendation) -> Vec<String> {
    r.scored()
        .iter()
        .map(|s| &s.candidate)
        .flat_map(|c| {
            let addons = match (c.what_if, c.plan.addons) {
                (true, scenario::catalog::AddonSale::NotSold { why }) => {
                    Some(format!("what-if: {why}"))
                }
                _ => None,
            };
            let pooled = c.pooled_what_if.then(|| {
                format!(
                    "what-if: {} seats do not share their credits ({}); its candidates of 2 \
                     or more seats are pooled in one balance, as your [plan]'s pooled = true \
                     asks, so their risk is lower than that of the seats one can buy (give \
                     pooled = false, or leave it out, to weigh those)",
                    c.plan.name, c.plan.pooled_source.text
                )
            });
            addons.into_iter().chain(pooled)
        })
        .fold(Vec::new(), |mut v, l| {
            if !v.contains(&l) {
                v.push(l);
            }
            v
        })
}

fn metadata(
    source: &Source,
    base: &Scenario,
    r: &Recommendation,
    s: &Settings,
    threads: usize,
    wall_time: Duration,
) -> Vec<(String, String)> {
    let e = &r.elimination;
    let id = |i: Option<usize>| i.map_or(String::new(), |i| e.scored[i].candidate.id());
    let years = |trials: u64| format!("{:.1}", trials as f64 * f64::from(base.months) / 12.0);
    let rows: Vec<(&str, String)> = vec![
        ("tool", env!("CARGO_PKG_NAME").to_string()),
        ("tool_version", env!("CARGO_PKG_VERSION").to_string()),
        ("command", "recommend".to_string()),
        ("scenario_name", base.name.clone()),
        ("scenario_file", source.path.display().to_string()),
        ("scenario_sha256", source.sha256.clone()),
        ("seed", base.seed.to_string()),
        ("months", base.months.to_string()),
        ("start_date", base.start.to_string()),
        ("max_risk", s.limits.max_risk.to_string()),
        (
            "max_blocked",
            s.limits
                .max_blocked
                .map_or(String::new(), |b| b.to_string()),
        ),
        ("precision", format!("cost_difference={}", s.resolution)),
        ("max_trials", s.max_trials.to_string()),
        ("candidates", e.scored.len().to_string()),
        ("rounds", e.rounds.to_string()),
        ("trials_spent", e.trials_spent().to_string()),
        ("trial_years_spent", years(e.trials_spent())),
        (
            "trial_years_full_precision",
            years(s.max_trials * e.scored.len() as u64),
        ),
        ("recommendation", id(r.chosen)),
        ("runner_up", id(r.runner_up)),
        ("threads", threads.to_string()),
        (
            "wall_time_seconds",
            format!("{:.3}", wall_time.as_secs_f64()),
        ),
    ];
    rows.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

/// report.html's settings: the scenario and the limits, from the metadata.
fn page_settings(
    source: &Source,
    base: &Scenario,
    meta: &[(String, String)],
) -> Vec<(String, String)> {
    let mut rows = vec![(
        "Scenario".to_string(),
        format!("{} (file {})", base.name, source.path.display()),
    )];
    let shown = [
        "max_risk",
        "max_blocked",
        "precision",
        "max_trials",
        "candidates",
        "trials_spent",
        "seed",
        "months",
    ];
    rows.extend(
        meta.iter()
            .filter(|(k, _)| shown.contains(&k.as_str()))
            .cloned(),
    );
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_memory_check_counts_the_months_of_every_candidate_as_well_as_its_trials() {
        // 3,900 candidates (--seats 1..50 --what-if-addons) of 20,000 trials
        // keep 2.4 GiB of trials: within the limit over 12 months, past it
        // over 1,200, whose models take 1.5 KiB a month each.
        assert!(check_memory(3_900, 20_000, 12).is_ok());
        let e = check_memory(3_900, 20_000, 1_200).unwrap_err().0;
        assert!(e.contains("1,200 months") && e.contains("--months"), "{e}");
        // Months alone can pass it.
        assert!(check_memory(3_900, 1_000, 1_200).is_err());
    }
}
