//! `inmail-sim calibrate HISTORY.csv`: read and check the history, fit the
//! reply rate and delay with censoring (`calibrate::fit`), print the
//! summary, and write the scenario snippet (`--write`) and the output
//! folder (`--out`: calibration.csv, delay.csv, delay_fit.svg, report.html,
//! metadata) together, all or nothing: on any error nothing is written.

use super::output::stage;
use super::target::{same_file, same_folder};
use crate::calibrate::HistoryProblem;
use crate::calibrate::fit::{Fit, fit};
use crate::calibrate::history::{self, Columns, History, ReadOptions};
use crate::calibrate::snippet::{self, DelayForm, RateForm};
use crate::calibrate::summary;
use crate::cli::{CalibrateArgs, ChartArgs, DelayFormArg, RateFormArg};
use crate::error::UserError;
use crate::export::OutputDir;
use crate::export::calibrate::{delay_rows, estimate_rows, write_header_first};
use crate::html::{CalibrateInput, calibrate_page};
use crate::interrupt::Interrupted;
use crate::safe_text::for_terminal;
use anyhow::Context;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// A history, fitted.
struct Calibration {
    history: History,
    sha256: String,
    fit: Fit,
    /// Answers that came after the window (counted as none).
    late: usize,
    snippet: String,
}

pub fn calibrate(args: &CalibrateArgs) -> anyhow::Result<()> {
    refuse_idle_options(args)?;
    let c = calibration(args)?;
    if let Some(target) = &args.write {
        refuse_open_rate(target, &c, args.window)?;
        refuse_untold_delay(target, &c, args.window)?;
        refuse_unraisable(target, &c, delay_form(args))?;
        refuse_unwritable_form(target, &c, rate_form(args), delay_form(args))?;
    }
    let mut out = match &args.out {
        Some(dir) => Some(super::output::prepare(Some(dir), "calibrate")?),
        None => None,
    };
    if let Some(out) = &out {
        super::output::check_inputs(out, &[&args.history])?;
    }
    let mut snippet_dir = None;
    // `--write -`: the snippet on standard output (as `init -`, `--json -`
    // and `--samples -`), the summary on stderr.
    let to_stdout = args.write.as_deref().is_some_and(|t| t.as_os_str() == "-");
    if let Some(target) = args.write.as_ref().filter(|_| !to_stdout) {
        let (dir, name) = snippet_target(args, target, out.as_ref())?;
        let into = match dir {
            Some(d) => snippet_dir.insert(d),
            None => out.as_mut().expect("the snippet goes into --out"),
        };
        stage(into, &name, |w| w.write_all(c.snippet.as_bytes()))?;
    }
    if let Some(out) = out.as_mut() {
        stage_folder(out, args, &c)?;
    }
    let dirs: Vec<OutputDir> = out.into_iter().chain(snippet_dir).collect();
    // The last moment Ctrl-C can stop the command with the previous
    // outputs intact: the staged files are dropped with the folders.
    crate::interrupt::check()?;
    // `--write -` before the commit, as `--json -` is.
    if to_stdout {
        super::output::print_before_commit(&dirs, |w| w.write_all(c.snippet.as_bytes()))?;
    }
    let written = OutputDir::commit_all(dirs)
        .map_err(|e| UserError(format!("cannot finish writing the output files: {e}")))?;
    if args.quiet {
        return Ok(());
    }
    let written = written.concat();
    let text = printed(&c, args, &written);
    let printed = super::print(to_stdout, |w| w.write_all(text.as_bytes()));
    match written.is_empty() {
        true => printed,
        false => printed.context(super::output::WRITTEN_BUT_NOT_PRINTED),
    }
}

/// Refuses an option that would change nothing without the output it
/// shapes, before the history is read: accepted, it reads as if it had
/// done something (an independent check found `--rate-form` and
/// `--no-charts` without `--write` or `--out` taken silently, where
/// `--force` was refused). `--delay-form` is not among them: it also
/// changes what the summary says of the snippet.
fn refuse_idle_options(args: &CalibrateArgs) -> Result<(), UserError> {
    let to_stdout = args.write.as_deref().is_some_and(|t| t.as_os_str() == "-");
    if args.force && args.write.is_none() {
        return Err(UserError(
            "--force goes with --write FILE (it lets the snippet replace an existing file); \
             without --write no file is written: give --write FILE, or leave --force out"
                .into(),
        ));
    }
    if args.force && to_stdout {
        return Err(UserError(
            "--force goes with --write FILE (it lets the snippet replace an existing file); \
             --write - prints the snippet, with no file to replace: leave --force out"
                .into(),
        ));
    }
    if let (Some(form), None, None) = (args.rate_form, &args.write, &args.out) {
        return Err(UserError(format!(
            "--rate-form {} goes with --write or --out (it chooses how the snippet writes the \
             rate; report.html in --out shows the snippet); without them no snippet is written \
             and the summary is the same: give --write FILE or --out DIR, or leave --rate-form \
             out",
            snippet::form_name(rate_form_of(form))
        )));
    }
    let ChartArgs { charts, no_charts } = args.charts;
    if (charts || no_charts) && args.out.is_none() {
        let flag = if no_charts { "--no-charts" } else { "--charts" };
        return Err(UserError(format!(
            "{flag} goes with --out (it chooses whether that folder gets the delay chart and \
             report.html); without --out no chart is written: give --out DIR, or leave {flag} \
             out"
        )));
    }
    Ok(())
}

/// Reads, checks and fits the history: every refusal is the user's to fix
/// (exit code 2), and comes before anything is written; Ctrl-C while the
/// file is read stops it ([`Interrupted`], exit code 130).
fn calibration(args: &CalibrateArgs) -> anyhow::Result<Calibration> {
    let columns = match &args.columns {
        Some(text) => Columns::parse(text).map_err(|e| UserError(format!("--columns: {e}")))?,
        None => Columns::default(),
    };
    let options = ReadOptions {
        columns,
        format: args.date_format,
        as_of: args.as_of,
    };
    let (mut history, sha256) = history::load_hashed(&args.history, &options).map_err(|e| {
        if *e.problem == HistoryProblem::Interrupted {
            anyhow::Error::new(Interrupted)
        } else {
            UserError(e.to_string()).into()
        }
    })?;
    let late = history.within(args.window);
    let fit = fit(&history).map_err(|e| {
        // An answer after the window counts as none (credit-rules §3): say
        // so, or "none has been answered" reads as wrong to a user who
        // sees a reply date in the file.
        let late = match late {
            0 => String::new(),
            n => format!(
                "; {} more than {} after {} send (--window) and {} as none",
                late_answers(n),
                crate::numbers::count(u64::from(args.window), "day", "days"),
                if n == 1 { "its" } else { "their" },
                if n == 1 { "counts" } else { "count" }
            ),
        };
        UserError(format!("{}: {e}{late}", display(&args.history)))
    })?;
    let rate = rate_form(args);
    let delay = delay_form(args);
    let name = args.history.file_name().map_or_else(
        || display(&args.history),
        |n| n.to_string_lossy().into_owned(),
    );
    let snippet = snippet::render(&fit, &history, &name, rate, delay);
    Ok(Calibration {
        history,
        sha256,
        fit,
        late,
        snippet,
    })
}

/// `--write` refuses a rate the data leave open at the top
/// ([`Fit::rate_unbounded_above`]): the beta matched
/// to such an interval has its mean far above the estimate, and a scenario
/// run on it would say the user runs out far less often than they will.
/// The summary still says what the data do bound.
fn refuse_open_rate(target: &Path, c: &Calibration, window: u32) -> Result<(), UserError> {
    let (fit, r) = (&c.fit, &c.fit.rate);
    if !fit.rate_unbounded_above() {
        return Ok(());
    }
    let counts = settled_counts(c, window);
    Err(UserError(format!(
        "--write {}: the history does not bound the reply rate from above yet (estimate {}, \
         90% interval {}–{}): too few InMails are old enough for their silence to count, so \
         a rate written from it would be a guess (the beta with that interval has mean {}). \
         Nothing was written. C{}, or write the rate from counts ({counts})",
        display(target),
        summary::percent(r.p_hat),
        summary::percent(r.low90),
        summary::percent(r.high90),
        summary::percent(r.mean()),
        &summary::calibrate_again(fit, &c.history)[1..],
    )))
}

/// The counts of the InMails at least the window's days old, whose
/// answers are final, as a scenario's `rate = { sent, responded }`.
fn settled_counts(c: &Calibration, window: u32) -> String {
    match c.history.settled(window) {
        (0, _) => format!("no InMail is {window} days old yet"),
        (n, k) => format!(
            "the {} at least {window} days old, whose answers are final, say \
             `rate = {{ sent = {n}, responded = {k} }}`",
            summary::count(n, "InMail", "InMails")
        ),
    }
}

/// `--write` refuses a fit whose delay the data cannot tell
/// ([`Fit::delay_untold`]): the rate then rests on a delay the search
/// made up (a median of years on a history of two weeks), and a scenario
/// run on it answers nothing like the history did. calibrate has no
/// option to fix the delay, so the way out is a longer history, or the
/// scenario's own `[delay]` with a rate from counts.
fn refuse_untold_delay(target: &Path, c: &Calibration, window: u32) -> Result<(), UserError> {
    let (fit, r) = (&c.fit, &c.fit.rate);
    if !fit.delay_untold() {
        return Ok(());
    }
    Err(UserError(format!(
        "--write {}: the history cannot tell the reply delay yet (the fitted median, {}, is \
         far beyond the {} its oldest InMail has had to be answered): slow replies at a high \
         rate explain the InMails not answered yet as well as quick ones at a low rate, so \
         the rate (estimate {}, 90% interval {}–{}) would be a guess. Nothing was written. \
         C{}, or give the scenario's [delay] yourself (calibrate has no option to fix it) \
         with the rate from counts ({})",
        display(target),
        summary::delay_value(fit.delay.median()),
        summary::count(fit.followed_days as usize, "day", "days"),
        summary::percent(r.p_hat),
        summary::percent(r.low90),
        summary::percent(r.high90),
        &summary::longer_history(&c.history)[1..],
        settled_counts(c, window)
    )))
}

/// `--write` with the lognormal `[delay]` refuses a fit whose rate cannot
/// be raised for the replies that lognormal puts after the window
/// ([`snippet::lognormal_unraisable`]): written as fitted, a run would
/// answer within the window only the lognormal's share of what the
/// history did. The empirical table needs no raise.
fn refuse_unraisable(target: &Path, c: &Calibration, delay: DelayForm) -> Result<(), UserError> {
    let fit = &c.fit;
    if delay != DelayForm::LogNormal || !snippet::lognormal_unraisable(fit) {
        return Ok(());
    }
    let within = fit.delay.within_window();
    Err(UserError(format!(
        "--write {}: with the lognormal [delay] (median {}) only {} of replies come within \
         the {}-day --window, so for a run to answer within it as often as these InMails did \
         ({}) the rate would have to be {} / {}, past 100%; written as fitted, a run would \
         answer within the window about {} of the time. Nothing was written. Give \
         --delay-form empirical: its table keeps every reply within the window, with the rate \
         as fitted",
        display(target),
        summary::delay_value(fit.delay.median()),
        summary::percent(within),
        c.history.window.unwrap_or_default(),
        summary::percent(fit.rate.mean()),
        summary::percent(fit.rate.mean()),
        summary::percent(within),
        summary::percent(fit.rate.mean() * within),
    )))
}

/// `--rate-form` as the snippet takes it (mean and sd unless given).
fn rate_form(args: &CalibrateArgs) -> RateForm {
    rate_form_of(args.rate_form.unwrap_or(RateFormArg::MeanSd))
}

fn rate_form_of(form: RateFormArg) -> RateForm {
    match form {
        RateFormArg::MeanSd => RateForm::MeanSd,
        RateFormArg::Interval90 => RateForm::Interval90,
    }
}

/// `--delay-form` as the snippet takes it.
fn delay_form(args: &CalibrateArgs) -> DelayForm {
    match args.delay_form {
        DelayFormArg::Lognormal => DelayForm::LogNormal,
        DelayFormArg::Empirical => DelayForm::Empirical,
    }
}

/// `--write` refuses a rate form the scenario could not read back
/// ([`snippet::writable_rate`]): the snippet would fail `validate` once
/// pasted. The other form of the same beta is offered.
fn refuse_unwritable_form(
    target: &Path,
    c: &Calibration,
    form: RateForm,
    delay: DelayForm,
) -> Result<(), UserError> {
    let fit = snippet::for_scenario(&c.fit, delay);
    if snippet::writable_rate(&fit, form).is_ok() {
        return Ok(());
    }
    let other = match form {
        RateForm::MeanSd => RateForm::Interval90,
        RateForm::Interval90 => RateForm::MeanSd,
    };
    Err(UserError(format!(
        "--write {}: --rate-form {} would write rate = {}, which `validate` refuses: a \
         scenario cannot fit the same beta back from those numbers. Nothing was written. \
         Write the same beta, Beta({:.2}, {:.2}), with --rate-form {}",
        display(target),
        snippet::form_name(form),
        snippet::rate_toml(&fit, form),
        fit.rate.alpha,
        fit.rate.beta,
        snippet::form_name(other),
    )))
}

/// A beta parameter for metadata: empty when the rate is open at the top
/// or the delay untold (`--write` refuses both).
fn beta_cell(fit: &Fit, x: f64) -> String {
    if fit.rate_unbounded_above() || fit.delay_untold() {
        String::new()
    } else {
        format!("{x:.6}")
    }
}

/// "1 answer came", "3 answers came".
fn late_answers(n: usize) -> String {
    format!("{} came", summary::count(n, "answer", "answers"))
}

fn display(path: &Path) -> String {
    path.display().to_string()
}

/// Where `--write` goes: its own folder (locked and staged like an output
/// folder, without a manifest), or `None` when that is the `--out` folder.
/// Refuses a folder, anything but a regular file, the history itself, and
/// an existing file without `--force`.
fn snippet_target(
    args: &CalibrateArgs,
    target: &Path,
    out: Option<&OutputDir>,
) -> Result<(Option<OutputDir>, String), UserError> {
    let refuse = |why: &str| UserError(format!("--write {}: {why}", display(target)));
    match fs::symlink_metadata(target) {
        Ok(m) if !m.is_file() => {
            return Err(refuse(
                "is not a regular file; allowed: a new or a regular file",
            ));
        }
        Ok(_) if same_file(target, &args.history) => {
            return Err(refuse("is the history file; the snippet would replace it"));
        }
        Ok(_) if !args.force => {
            return Err(refuse(
                "exists; give --force to replace it, or choose another file name",
            ));
        }
        Ok(_) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(refuse(&format!("cannot be written: {e}"))),
    }
    let name = target
        .file_name()
        .and_then(|n| n.to_str())
        .filter(|n| !n.is_empty())
        .ok_or_else(|| refuse("is not a file name"))?
        .to_string();
    let folder = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if let Some(out) = out.filter(|o| same_folder(&folder, o.path())) {
        if crate::export::is_tool_name(&name) {
            return Err(refuse(&format!(
                "{name} is a file the tool writes in {}; choose another name",
                display(out.path())
            )));
        }
        return Ok((None, name));
    }
    // Another run's output folder: one of its files, even with --force,
    // would mix the snippet into that set (`run --json` refuses the same).
    if super::target::another_runs_output(&folder, &name) {
        return Err(refuse(&super::target::mixes_sets(&folder, &name)));
    }
    let dir = OutputDir::for_one_file(&folder)
        .map_err(|e| refuse(&format!("cannot write in {}: {e}", display(&folder))))?;
    Ok((Some(dir), name))
}

/// calibration.csv, delay.csv, metadata, and (with charts) delay_fit.svg
/// and report.html.
fn stage_folder(out: &mut OutputDir, args: &CalibrateArgs, c: &Calibration) -> anyhow::Result<()> {
    let estimates = estimate_rows(&c.fit);
    stage(out, "calibration.csv", |w| {
        write_header_first(w, &estimates)
    })?;
    let days = delay_rows(&c.fit, &c.history);
    stage(out, "delay.csv", |w| write_header_first(w, &days))?;
    let meta = metadata(args, c);
    super::output::stage_metadata(out, &meta)?;
    if !args.charts.enabled() {
        return Ok(());
    }
    let name = for_terminal(&display(&args.history)).into_owned();
    let charts = crate::charts::calibrate::charts(&name, &c.fit, &c.history);
    crate::charts::stage(out, &charts)?;
    let input = CalibrateInput {
        file: name,
        sha256: c.sha256.clone(),
        settings: settings(args, c),
        snippet: c.snippet.clone(),
        delay_form: delay_form(args),
    };
    let page = calibrate_page(&input, &c.fit, &c.history, &charts);
    crate::html::stage(out, &page)?;
    Ok(())
}

/// The options as the page shows them.
fn settings(args: &CalibrateArgs, c: &Calibration) -> Vec<(String, String)> {
    let columns = args
        .columns
        .clone()
        .unwrap_or_else(|| "the default names".into());
    vec![
        ("As of".to_string(), c.history.as_of.to_string()),
        (
            "Window".to_string(),
            format!(
                "{} days ({} later answers counted as none)",
                args.window, c.late
            ),
        ),
        ("Columns".to_string(), columns),
        ("Date format".to_string(), format!("{:?}", args.date_format)),
    ]
}

/// metadata.csv and metadata.json: the tool, the data and its hash, the
/// options, and the fit's numbers.
fn metadata(args: &CalibrateArgs, c: &Calibration) -> Vec<(String, String)> {
    let (f, h, r) = (&c.fit, &c.history, &c.fit.rate);
    [
        ("tool", env!("CARGO_PKG_NAME").to_string()),
        ("tool_version", env!("CARGO_PKG_VERSION").to_string()),
        ("command", "calibrate".to_string()),
        ("history_file", display(&args.history)),
        ("history_sha256", c.sha256.clone()),
        ("as_of", h.as_of.to_string()),
        ("window_days", args.window.to_string()),
        ("columns", args.columns.clone().unwrap_or_default()),
        ("date_format", args.date_format.name().to_string()),
        ("inmails", (f.messages + h.too_young).to_string()),
        ("inmails_sent_on_as_of_day", h.too_young.to_string()),
        ("answered", f.answered.to_string()),
        ("answered_after_window", c.late.to_string()),
        ("seats", h.seats.map_or(String::new(), |n| n.to_string())),
        ("first_sent", h.first_sent.to_string()),
        ("last_sent", h.last_sent.to_string()),
        ("rate_interval", "profile likelihood, 90%".to_string()),
        // No beta for a rate the data leave open at the top (--write
        // refuses it): empty, not a beta to copy.
        ("rate_beta_alpha", beta_cell(f, r.alpha)),
        ("rate_beta_beta", beta_cell(f, r.beta)),
        ("delay_lognormal_mu", format!("{:.6}", f.delay.mu)),
        ("delay_lognormal_sigma", format!("{:.6}", f.delay.sigma)),
        ("delay_ks_distance", format!("{:.6}", f.table.ks)),
        ("delay_ks_guide", format!("{:.6}", f.table.ks_critical)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

/// The summary, the details and the files written.
fn printed(c: &Calibration, args: &CalibrateArgs, written: &[PathBuf]) -> String {
    let mut lines = vec![summary::sentence(&c.fit, &c.history), String::new()];
    lines.extend(summary::details(&c.fit, &c.history, delay_form(args)));
    if c.late > 0 {
        lines.push(format!(
            "{} more than {} after {} send (--window) and {} as none.",
            late_answers(c.late),
            crate::numbers::count(u64::from(args.window), "day", "days"),
            if c.late == 1 { "its" } else { "their" },
            if c.late == 1 { "counts" } else { "count" }
        ));
    }
    lines.push(String::new());
    match &args.write {
        Some(path) if path.as_os_str() == "-" => lines.push(
            "Wrote the [response] and [delay] tables for a scenario to standard output."
                .to_string(),
        ),
        Some(path) => lines.push(format!(
            "Wrote the [response] and [delay] tables for a scenario to {}.",
            display(path)
        )),
        None => lines.push(
            "Give --write FILE to write the [response] and [delay] tables for a scenario."
                .to_string(),
        ),
    }
    if let (Some(dir), true) = (&args.out, !written.is_empty()) {
        let names: Vec<String> = written
            .iter()
            .filter(|p| p.parent().is_some_and(|d| same_folder(d, dir)))
            .filter_map(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .collect();
        lines.push(format!("Wrote to {}: {}", display(dir), names.join(", ")));
    }
    let mut text: String = lines
        .iter()
        .map(|l| for_terminal(l))
        .collect::<Vec<_>>()
        .join("\n");
    text.push('\n');
    text
}
