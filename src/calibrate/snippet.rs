//! A fit turned into the scenario's own forms (README, `[response]` and
//! `[delay]`): the rate's posterior as a beta by mean and sd, or by its 90%
//! interval (`src/sampling/rate.rs` fits the same beta back from either);
//! the delay as a lognormal by median and 90th percentile, or as an
//! empirical `(days, share)` table (`src/sampling/delay.rs`); and the
//! TOML snippet with both, commented with the data file and the as-of date.

use std::fmt::Write;

use super::fit::{Fit, beta_quantile};
use super::history::History;
use super::summary;
use crate::safe_text;
use crate::sampling::delay::DelaySpec;
use crate::sampling::rate::{RateSampler, RateSpec};

/// Which `rate` form the snippet writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RateForm {
    /// `{ distribution = "beta", mean, sd }`: the posterior's moments, the
    /// exact beta back (method of moments, `sampling::rate`).
    #[default]
    MeanSd,
    /// `{ distribution = "beta", low, high }`: the posterior's 5th and 95th
    /// percentiles.
    Interval90,
}

/// Which delay the snippet's `[delay]` table holds (the other is written
/// as a comment).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DelayForm {
    #[default]
    LogNormal,
    Empirical,
}

/// Empirical shares are written in millionths, so that the written shares
/// sum to exactly 1 (the scenario allows ±1e-6).
const SHARE_UNITS: i64 = 1_000_000;

/// A rate as the snippet writes it: six significant digits of its distance
/// to the nearer of 0 and 1, and at least six decimals. A fixed six
/// decimals wrote a 5th percentile of 0.00000088 as 0.000001 and a 95th of
/// 0.9999990 as 1.000000, which no scenario accepts.
fn rate_text(x: f64) -> String {
    let edge = x.min(1.0 - x);
    let decimals = if edge > 0.0 {
        (5 - edge.log10().floor() as i32).clamp(6, 17) as usize
    } else {
        6
    };
    format!("{x:.decimals$}")
}

/// The rate's two numbers in `form`, as written: the beta's mean and sd,
/// or its own 5th and 95th percentiles (not the profile interval's ends:
/// an end at 100% is matched a millionth inside, `fit::rate_fit`).
fn rate_numbers(fit: &Fit, form: RateForm) -> [(&'static str, String); 2] {
    let r = &fit.rate;
    match form {
        RateForm::MeanSd => [("mean", rate_text(r.mean())), ("sd", rate_text(r.sd()))],
        RateForm::Interval90 => [
            ("low", rate_text(beta_quantile(r.alpha, r.beta, 0.05))),
            ("high", rate_text(beta_quantile(r.alpha, r.beta, 0.95))),
        ],
    }
}

/// The fit as a scenario with `delay` should be given it. The rate is the
/// chance of an answer within the window and the lognormal is cut there;
/// a scenario's lognormal is not cut, and a run refunds only the share
/// `L(W)` of its answers that come within the window, so with the
/// lognormal form the scenario's rate is the fitted one over `L(W)` (its
/// beta's mean and sd both divided, the beta matched to them): a run then
/// answers within the window as often as the history did. (Found by an
/// independent check: median 30 days, p90 120, the written scenario
/// refunded 0.215 of its sends against the history's 0.260.) Unchanged
/// with the empirical table, which is within the window, or where the
/// quotient is no beta (a mean at or past 100%,
/// [`lognormal_unraisable`]): `--write` then refuses the lognormal form,
/// and the summary and the snippet say the rate could not be raised.
pub fn for_scenario(fit: &Fit, delay: DelayForm) -> std::borrow::Cow<'_, Fit> {
    use std::borrow::Cow;
    let within = fit.delay.within_window();
    if delay != DelayForm::LogNormal || within.is_nan() || within >= 1.0 {
        return Cow::Borrowed(fit);
    }
    match raised(fit, within) {
        Some((alpha, beta)) => {
            let mut scaled = fit.clone();
            scaled.rate.alpha = alpha;
            scaled.rate.beta = beta;
            Cow::Owned(scaled)
        }
        None => Cow::Borrowed(fit),
    }
}

/// The beta `(alpha, beta)` of the fitted rate over `within`, the
/// lognormal's share within the window: its mean and sd both divided.
/// `None` where that is no beta (a mean at or past 100%, or nothing
/// within the window).
fn raised(fit: &Fit, within: f64) -> Option<(f64, f64)> {
    if within.is_nan() || within <= 0.0 {
        return None;
    }
    let (mean, sd) = (fit.rate.mean() / within, fit.rate.sd() / within);
    let spread = mean * (1.0 - mean) / (sd * sd) - 1.0;
    (mean < 1.0 && spread > 0.0 && spread.is_finite())
        .then_some((mean * spread, (1.0 - mean) * spread))
}

/// Whether the lognormal form cannot carry this fit: the lognormal puts
/// replies after the window, and the rate raised to make up for them
/// ([`for_scenario`]) is no beta (it passes 100%: 36% over a 21% share).
/// Written unraised, a run would answer within the window only the
/// share's part of what the history did (7% against 35%, found by an
/// independent check), so `--write` refuses that form and the snippet
/// and summary never say the rate is raised.
pub fn lognormal_unraisable(fit: &Fit) -> bool {
    let within = fit.delay.within_window();
    within < 1.0 && raised(fit, within).is_none()
}

/// The posterior of `p` in a scenario's `rate` form, rounded as written.
pub fn rate_spec(fit: &Fit, form: RateForm) -> RateSpec {
    let [(_, a), (_, b)] = rate_numbers(fit, form);
    // The texts are numbers rate_text wrote.
    let (a, b) = (a.parse().unwrap_or(f64::NAN), b.parse().unwrap_or(f64::NAN));
    match form {
        RateForm::MeanSd => RateSpec::BetaMeanSd { mean: a, sd: b },
        RateForm::Interval90 => RateSpec::BetaInterval90 { low: a, high: b },
    }
}

/// The rate in `form` as written, if a scenario accepts it: the check
/// `validate` makes (`RateSampler::new`). The low/high form of a beta far
/// from 50% (1 answer in 200,000, or every InMail answered) may be beyond
/// what the scenario's interval fit reproduces; the mean/sd form of the
/// same beta is then the one to write.
pub fn writable_rate(fit: &Fit, form: RateForm) -> Result<RateSpec, String> {
    let spec = rate_spec(fit, form);
    match RateSampler::new(&spec) {
        Ok(_) => Ok(spec),
        Err(e) => Err(e.to_string()),
    }
}

/// The delay in a scenario's `[delay]` form, rounded as written.
pub fn delay_spec(fit: &Fit, form: DelayForm) -> DelaySpec {
    match form {
        DelayForm::LogNormal => {
            let median = round_days(fit.delay.median());
            // Rounding must not bring p90 down to the median (the scenario
            // needs median < p90).
            let p90 = round_days(fit.delay.p90()).max(median + 0.001);
            DelaySpec::LogNormal {
                median_days: median,
                p90_days: p90,
            }
        }
        DelayForm::Empirical => DelaySpec::Empirical(
            shares_in_millionths(&fit.table.rows)
                .into_iter()
                .map(|(d, s)| (f64::from(d), s as f64 / SHARE_UNITS as f64))
                .collect(),
        ),
    }
}

/// Three decimals of a day (under two minutes), never 0.
fn round_days(x: f64) -> f64 {
    ((x * 1000.0).round() / 1000.0).max(0.001)
}

/// Shares rounded to millionths, the largest adjusted so they sum to
/// exactly one million.
fn shares_in_millionths(rows: &[(u32, f64)]) -> Vec<(u32, i64)> {
    let mut out: Vec<(u32, i64)> = rows
        .iter()
        .map(|&(d, s)| (d, (s * SHARE_UNITS as f64).round() as i64))
        .collect();
    let gap = SHARE_UNITS - out.iter().map(|r| r.1).sum::<i64>();
    if let Some(largest) = out.iter_mut().max_by_key(|r| r.1) {
        largest.1 += gap;
    }
    out
}

/// `{ distribution = "beta", mean = …, sd = … }` as the snippet writes it.
pub fn rate_toml(fit: &Fit, form: RateForm) -> String {
    let [(a, a_text), (b, b_text)] = rate_numbers(fit, form);
    format!("{{ distribution = \"beta\", {a} = {a_text}, {b} = {b_text} }}")
}

/// The form's name as `--rate-form` takes it.
pub fn form_name(form: RateForm) -> &'static str {
    match form {
        RateForm::MeanSd => "mean-sd",
        RateForm::Interval90 => "interval90",
    }
}

fn delay_toml(spec: &DelaySpec, prefix: &str) -> String {
    match spec {
        DelaySpec::LogNormal {
            median_days,
            p90_days,
        } => format!(
            "{prefix}distribution = \"lognormal\"\n{prefix}median_days = {median_days}\n\
             {prefix}p90_days = {p90_days}\n"
        ),
        DelaySpec::Empirical(rows) => {
            let cells: Vec<String> = rows.iter().map(|(d, s)| format!("[{d}, {s:.6}]")).collect();
            let mut out = format!("{prefix}distribution = \"empirical\"\n{prefix}table = [\n");
            for chunk in cells.chunks(6) {
                let _ = writeln!(out, "{prefix}  {},", chunk.join(", "));
            }
            out.push_str(prefix);
            out.push_str("]\n");
            out
        }
        other => unreachable!("calibrate writes only lognormal or empirical delays, not {other:?}"),
    }
}

fn percent(x: f64) -> String {
    format!("{:.1}%", 100.0 * x)
}

/// The `[response]` and `[delay]` tables for a scenario, with comments
/// naming the data (`data_name`, e.g. the history file's name) and the
/// as-of date, and the alternative forms as comments.
pub fn render(
    fit: &Fit,
    history: &History,
    data_name: &str,
    rate: RateForm,
    delay: DelayForm,
) -> String {
    let name = safe_text::for_terminal(data_name);
    let r = &fit.rate;
    let scenario_fit = for_scenario(fit, delay);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# Calibrated by inmail-sim from {name}, as of {}:",
        history.as_of
    );
    let _ = writeln!(
        s,
        "# {} sent {} to {} ({} answered so far; {} sent on the as-of day left out).",
        summary::count(fit.messages + history.too_young, "InMail", "InMails"),
        history.first_sent,
        history.last_sent,
        crate::numbers::grouped(fit.answered as u64),
        crate::numbers::grouped(history.too_young as u64)
    );
    let _ = writeln!(
        s,
        "# Reply rate {} (maximum likelihood; unanswered InMails count as not answered \
         *yet*), 90% interval {} to {}:",
        percent(r.p_hat),
        percent(r.low90),
        percent(r.high90)
    );
    if fit.rate_unbounded_above() {
        // The rule `--write` refuses by (Fit::rate_unbounded_above): no
        // beta is offered to paste, in report.html either.
        s.push_str(&format!(
            "# the profile-likelihood interval; it is open at the top (the data do not bound \
             the rate from above yet), so no rate is written: {}, or write rate = {{ sent, \
             responded }} from the InMails old enough for their answers to be final.\n",
            super::summary::calibrate_again(fit, history)
        ));
    } else if fit.delay_untold() {
        // The rule `--write` refuses by (Fit::delay_untold): neither the
        // rate nor the delay is offered to paste, in report.html either.
        let _ = writeln!(
            s,
            "# the profile-likelihood interval; the data cannot tell the reply delay yet (the \
             fit's median, {}, is far beyond the {} the oldest InMail has had to be answered), \
             so no rate or delay is written: {}, or give [delay] yourself with rate = {{ sent, \
             responded }} from the InMails old enough for their answers to be final.",
            summary::delay_value(fit.delay.median()),
            summary::count(fit.followed_days as usize, "day", "days"),
            summary::longer_history(history)
        );
    } else {
        // With the lognormal cut at the window the rate below is that beta
        // rescaled (said next), not the beta itself.
        let which = match scenario_fit.rate.alpha != fit.rate.alpha {
            true => "the beta with that 90% interval is",
            false => "the rate below is the beta with that 90% interval,",
        };
        let _ = writeln!(
            s,
            "# the profile-likelihood interval; {which} Beta({:.3}, {:.3}), {}.",
            r.alpha,
            r.beta,
            summary::worth(r.n_eff)
        );
    }
    if scenario_fit.rate.alpha != fit.rate.alpha {
        let _ = writeln!(
            s,
            "# The rate below is the chance of an answer at any time: {} within the window, \
             over the {} of the lognormal [delay] that comes within it, so that a run \
             answers within the window as often as these InMails did.",
            percent(r.p_hat),
            percent(fit.delay.within_window())
        );
    }
    response_table(&mut s, &scenario_fit, rate);
    s.push('\n');
    delay_table(&mut s, fit, history, delay);
    s
}

/// `[response]`: the rate in the chosen form, the other as a comment, and
/// the declines share when outcomes are known.
fn response_table(s: &mut String, fit: &Fit, rate: RateForm) {
    s.push_str("[response]\n");
    let other = match rate {
        RateForm::MeanSd => RateForm::Interval90,
        RateForm::Interval90 => RateForm::MeanSd,
    };
    if fit.rate_unbounded_above() {
        s.push_str("# rate: not written (the data do not bound it from above yet)\n");
    } else if fit.delay_untold() {
        s.push_str("# rate: not written (the data cannot tell the reply delay yet)\n");
    } else {
        // Only what a scenario accepts is written, even as a comment: a
        // user pastes the comment as readily as the line.
        match writable_rate(fit, rate) {
            Ok(_) => {
                let _ = writeln!(s, "rate = {}", rate_toml(fit, rate));
            }
            Err(_) => {
                let _ = writeln!(
                    s,
                    "# rate: not written in the {} form, which a scenario cannot fit back \
                     to this beta; --rate-form {} writes the same beta",
                    form_name(rate),
                    form_name(other)
                );
            }
        }
        if writable_rate(fit, other).is_ok() {
            let _ = writeln!(s, "# the same beta: rate = {}", rate_toml(fit, other));
        }
    }
    match &fit.declines {
        Some(d) => {
            let _ = writeln!(
                s,
                "declines_share = {:.6}  # {} of {} with a known outcome {} (90% interval \
                 {} to {})",
                d.share,
                crate::numbers::grouped(d.declined as u64),
                crate::numbers::count(d.known as u64, "answer", "answers"),
                crate::numbers::noun(d.declined as f64, "was a decline", "were declines"),
                percent(d.low90),
                percent(d.high90)
            );
        }
        None => s.push_str("# declines_share: no outcomes in the data\n"),
    }
}

/// `[delay]`: the chosen form, the other as comments, and the fit's check.
fn delay_table(s: &mut String, fit: &Fit, history: &History, delay: DelayForm) {
    let t = &fit.table;
    let _ = writeln!(
        s,
        "# Reply delay: lognormal fit, half of replies within {}, 90% within {}; \
         the nonparametric table differs from it by at most {:.3} (Kolmogorov-Smirnov; \
         guide: below {:.3}).",
        summary::days(fit.delay.median_within()),
        summary::days(fit.delay.p90_within()),
        t.ks,
        t.ks_critical
    );
    if t.beyond > 0.0 {
        let _ = writeln!(
            s,
            "# The table's last row holds the {} of replies the data cannot place (later \
             than the oldest answer), at the lognormal's median beyond it.",
            percent(t.beyond)
        );
    }
    if let Some(line) = summary::beyond_window(fit, history, delay) {
        let _ = writeln!(s, "# {line}");
    }
    // A delay the data cannot tell is shown, not offered to paste.
    let prefix = if fit.delay_untold() {
        s.push_str(
            "# [delay]: not written (the data cannot tell the reply delay yet); the fit, for \
             the record:\n",
        );
        "# "
    } else {
        s.push_str("[delay]\n");
        ""
    };
    let (main, alt) = match delay {
        DelayForm::LogNormal => (DelayForm::LogNormal, DelayForm::Empirical),
        DelayForm::Empirical => (DelayForm::Empirical, DelayForm::LogNormal),
    };
    s.push_str(&delay_toml(&delay_spec(fit, main), prefix));
    s.push_str("# or:\n");
    s.push_str(&delay_toml(&delay_spec(fit, alt), "# "));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Date;
    use crate::calibrate::fit::fit;
    use crate::calibrate::synthetic::{SyntheticSpec, generate, to_history};
    use crate::sampling::rate::RateSampler;
    use crate::scenario::{self, Overrides};
    use std::path::Path;

    fn sample_fit(declines_share: f64) -> (Fit, History) {
        let as_of = Date::parse("2026-11-28").unwrap();
        let spec = SyntheticSpec {
            messages: 400,
            p: 0.17,
            median_days: 2.5,
            p90_days: 15.0,
            span_days: 120,
            as_of,
            declines_share,
            seats: 1,
        };
        let h = to_history(&generate(&spec, 3), as_of);
        (fit(&h).unwrap(), h)
    }

    fn scenario_with(snippet: &str) -> scenario::Scenario {
        let text = format!(
            "[plan]\nid = \"sales_navigator_core\"\n\n[demand]\nper_workday = 3\n\n{snippet}"
        );
        match scenario::parse(&text, Path::new("calibrated.toml"), &Overrides::default()) {
            Ok(s) => s,
            Err(e) => panic!("{e}\n{text}"),
        }
    }

    #[test]
    fn the_snippet_is_a_valid_part_of_a_scenario_in_every_form() {
        let (f, h) = sample_fit(0.25);
        for rate in [RateForm::MeanSd, RateForm::Interval90] {
            for delay in [DelayForm::LogNormal, DelayForm::Empirical] {
                let text = render(&f, &h, "history.csv", rate, delay);
                let s = scenario_with(&text);
                let written = for_scenario(&f, delay);
                assert_eq!(s.response.spec, rate_spec(&written, rate), "{text}");
                assert_eq!(s.delay.spec, delay_spec(&f, delay), "{text}");
                let declines = f.declines.unwrap().share;
                assert!(
                    (s.response.declines_share - declines).abs() < 1e-6,
                    "{text}"
                );
                assert!(
                    text.contains("from history.csv, as of 2026-11-28"),
                    "{text}"
                );
            }
        }
    }

    #[test]
    fn with_the_lognormal_a_scenario_answers_within_the_window_as_the_history_did() {
        // Whatever the fit, the written rate times the uncut lognormal's
        // share within the window is the fitted rate (to rounding), and its
        // spread scales with it; the empirical table is written as fitted.
        let (f, _) = sample_fit(0.25);
        let within = f.delay.within_window();
        let written = for_scenario(&f, DelayForm::LogNormal);
        if within < 1.0 {
            assert!((written.rate.mean() * within / f.rate.mean() - 1.0).abs() < 1e-9);
            assert!((written.rate.sd() * within / f.rate.sd() - 1.0).abs() < 1e-9);
        }
        let mut slow = f.clone();
        slow.delay.window = Some(5.0);
        let within = slow.delay.within_window();
        assert!(within < 0.9, "{within}");
        let written = for_scenario(&slow, DelayForm::LogNormal);
        assert!((written.rate.mean() * within / slow.rate.mean() - 1.0).abs() < 1e-9);
        assert_eq!(*for_scenario(&slow, DelayForm::Empirical), slow);
    }

    #[test]
    fn a_rate_the_lognormal_cannot_carry_is_written_as_fitted_and_never_said_raised() {
        // A lognormal with a median of years through a 90-day window that
        // every InMail has passed: 17% answered within it, and the
        // lognormal puts only a few percent of its replies there, so the
        // raised rate would pass 100%. The snippet said "the snippet's
        // rate is raised to match" over the unraised rate.
        let (mut f, mut h) = sample_fit(0.0);
        h.window = Some(90);
        f.followed_days = 90;
        f.delay.window = Some(90.0);
        f.delay.mu = 8.0;
        assert!(
            !f.delay_untold() && lognormal_unraisable(&f),
            "{:?}",
            f.delay
        );
        assert_eq!(*for_scenario(&f, DelayForm::LogNormal), f);
        for delay in [DelayForm::LogNormal, DelayForm::Empirical] {
            let text = render(&f, &h, "h.csv", RateForm::MeanSd, delay);
            assert!(!text.contains("rate is raised"), "{text}");
            assert!(!text.contains("chance of an answer at any time"), "{text}");
            let said = summary::details(&f, &h, delay).join("\n");
            assert!(!said.contains("rate is raised"), "{said}");
        }
        let text = render(&f, &h, "h.csv", RateForm::MeanSd, DelayForm::LogNormal);
        assert!(text.contains("cannot be raised to match"), "{text}");
        // A fit the lognormal carries keeps its raise (and says so).
        let (f, mut h) = sample_fit(0.0);
        h.window = Some(90);
        let mut slow = f.clone();
        slow.delay.window = Some(5.0);
        assert!(!lognormal_unraisable(&slow));
        let text = render(&slow, &h, "h.csv", RateForm::MeanSd, DelayForm::LogNormal);
        assert!(
            text.contains("the snippet's rate is raised to match"),
            "{text}"
        );
    }

    #[test]
    fn both_rate_forms_give_back_the_posterior_beta() {
        let (f, _) = sample_fit(0.0);
        for form in [RateForm::MeanSd, RateForm::Interval90] {
            let s = RateSampler::new(&rate_spec(&f, form)).unwrap();
            let (a, b) = s.beta_params().unwrap();
            // Written to a millionth: alpha and beta come back to 0.1%.
            assert!(
                (a / f.rate.alpha - 1.0).abs() < 1e-3,
                "{form:?}: {a} vs {}",
                f.rate.alpha
            );
            assert!(
                (b / f.rate.beta - 1.0).abs() < 1e-3,
                "{form:?}: {b} vs {}",
                f.rate.beta
            );
        }
    }

    #[test]
    fn without_outcomes_the_snippet_leaves_declines_share_alone() {
        let (mut f, h) = sample_fit(0.0);
        f.declines = None;
        let text = render(&f, &h, "h.csv", RateForm::MeanSd, DelayForm::LogNormal);
        assert!(text.contains("# declines_share: no outcomes"), "{text}");
        assert_eq!(scenario_with(&text).response.declines_share, 0.0);
    }

    #[test]
    fn answers_all_on_the_next_day_still_give_a_valid_snippet() {
        // The lognormal runs to its lower bound on mu (a delay of minutes):
        // the written median and p90 must still be positive and ordered.
        let day = Date::parse("2026-06-01").unwrap();
        let mut messages = vec![
            crate::calibrate::Message {
                age: 30,
                delay: Some(1),
                declined: None,
            };
            12
        ];
        messages.extend(vec![
            crate::calibrate::Message {
                age: 20,
                delay: None,
                declined: None,
            };
            40
        ]);
        let h = History {
            as_of: day,
            first_sent: day,
            last_sent: day,
            messages,
            too_young: 0,
            seats: None,
            window: None,
        };
        let f = fit(&h).unwrap();
        assert!((f.rate.p_hat - 12.0 / 52.0).abs() < 1e-6, "{:?}", f.rate);
        for delay in [DelayForm::LogNormal, DelayForm::Empirical] {
            let text = render(&f, &h, "h.csv", RateForm::Interval90, delay);
            let s = scenario_with(&text);
            assert!(s.delay.table.prob_at_most(1) > 0.99, "{text}");
        }
    }

    #[test]
    fn written_shares_sum_to_exactly_one_million_millionths() {
        let rows: Vec<(u32, f64)> = (1..=60).map(|d| (d, 1.0 / 60.0)).collect();
        let m = shares_in_millionths(&rows);
        assert_eq!(m.iter().map(|r| r.1).sum::<i64>(), SHARE_UNITS);
        // Rounded alone, 60 × 16667 would be 1,000,020.
        assert_eq!(m.iter().filter(|r| r.1 == 16_667).count(), 59);
    }

    #[test]
    fn a_data_name_with_a_line_break_stays_in_its_comment() {
        let (f, h) = sample_fit(0.0);
        let text = render(
            &f,
            &h,
            "evil\n[plan]\nid = \"free\"",
            RateForm::MeanSd,
            DelayForm::LogNormal,
        );
        let s = scenario_with(&text);
        assert_eq!(s.plan.monthly_credits, 50, "{text}");
    }
}
