//! From the file as written to a [`Scenario`]: defaults applied (each one
//! named with its source in docs/scenario-format.md and `help scenario`),
//! ranges checked, contradictions caught. Every error names the key, the bad value and what is allowed.

use super::raw::{
    RawAddons, RawDelay, RawDemand, RawFloor, RawFollowUps, RawPlan, RawPlanChange, RawRefunds,
    RawResponse, RawScenario,
};
use super::values::{self, shown};
use super::*;
use crate::sampling::delay::DelayTable;
use crate::sampling::rate::RateSampler;

pub const DEFAULT_SEED: u64 = 1;
pub const DEFAULT_TRIALS: u64 = 100_000;
pub const DEFAULT_MONTHS: u32 = 12;
/// credit-rules §1: the default subscription start, a Thursday.
pub const DEFAULT_START: Date = Date {
    year: 2026,
    month: 1,
    day: 1,
};
pub const MAX_TRIALS: u64 = 1_000_000_000_000;
/// Sends per day above this are not a person's InMail volume; they would only
/// make a run slow, so they are refused.
const MAX_SENDS_PER_DAY: f64 = 10_000.0;

pub fn scenario(raw: RawScenario, stem: &str, ov: &Overrides) -> Result<Scenario, Invalid> {
    let name = raw.name.clone().unwrap_or_else(|| default_name(stem));
    check_name(&name)?;
    let seed = ov.seed.or(raw.seed).unwrap_or(DEFAULT_SEED);
    let trials = trials(ov.trials, raw.trials)?;
    let months = months(ov.months, raw.months)?;
    let start = match &raw.start_date {
        Some(v) => values::date("start_date", v)?,
        None => DEFAULT_START,
    };
    let raw_plan = raw.plan.as_ref().ok_or_else(|| {
        Invalid::new(
            "plan",
            "(missing)",
            format!(
                "add a [plan] table with id = one of {}",
                catalog::known_ids()
            ),
        )
    })?;
    let (plan, billing) = plan(raw_plan)?;
    let seats = seats(&raw, raw_plan, &plan)?;
    // Where the horizon came from, for the message that a change is past it.
    let horizon = match ov.months {
        Some(m) => format!("{m}, the horizon --months {m} sets"),
        None => format!("months ({months})"),
    };
    let plan_changes = plan_changes(
        raw.plan_change.as_deref().unwrap_or(&[]),
        (months, &horizon),
        billing,
        plan.renewal,
    )?;
    check_ledger_credits(&plan, &plan_changes, seats)?;
    // Cycles keep the first plan's renewal days whatever the plan changes.
    let horizon = Horizon::new(start, plan.renewal, months);
    let response = response(&raw.response)?;
    let refunds = refunds(&raw.refunds)?;
    if !refunds.declines && response.declines_share == 0.0 {
        return Err(Invalid::new(
            "refunds.declines",
            "false",
            "has no effect while response.declines_share is 0: set declines_share to the share of \
             responses that are declines (e.g. 0.3)",
        ));
    }
    let follow_ups = follow_ups(raw.follow_ups.as_ref(), &plan)?;
    if follow_ups.is_some_and(|f| f.rule == FollowUpRule::Recruiter)
        && refunds.expiry == RefundExpiry::Original
    {
        return Err(Invalid::new(
            "refunds.expiry",
            "\"original\"",
            "is not modelled with the Recruiter follow-up rule (a follow-up is charged before it \
             is sent); use \"fresh\" or follow_ups.rule = \"standard\"",
        ));
    }
    let floor = floor(raw.floor.as_ref(), &plan, &plan_changes, seats)?;
    let demand = demand(&raw.demand)?;
    check_team_volume(&demand, seats)?;
    let addons = addons(&raw.addons, &plan)?;
    check_money_counted(&addons, &demand, seats, months)?;
    Ok(Scenario {
        seats,
        follow_ups,
        floor,
        plan_changes,
        name,
        description: description(raw.description)?,
        seed,
        trials,
        months,
        start,
        demand,
        delay: delay(&raw.delay, horizon.days())?,
        open_profile: open_profile(&raw.open_profile)?,
        addons,
        plan,
        billing,
        response,
        refunds,
        horizon,
    })
}

/// Results show dates with four-digit years ([`values::DATE_RANGE`]), as
/// far as spreadsheets read dates too: a run must end by 9999-12-31.
/// Checked on the horizon that runs (with `--months`), not on the file's
/// own when `--months` changes it.
pub(super) fn check_horizon_end(horizon: &Horizon) -> Result<(), Invalid> {
    let months = horizon.months();
    let last = horizon.period(horizon.cycles.len() - 1).end;
    if last.year <= 9999 {
        return Ok(());
    }
    Err(Invalid::new(
        "start_date",
        horizon.start.to_string(),
        format!(
            "with months = {months} the run would end on {last}, past 9999-12-31, the last \
             date the results can show: start earlier or run fewer months"
        ),
    ))
}

/// Longest scenario name: it names a folder and a column of every CSV.
const MAX_NAME_CHARS: usize = 100;

/// The name of a scenario without `name`, from its file name without
/// `.toml`, made into a name `check_name` accepts (docs/scenario-format.md, "Top level"):
/// non-ASCII letters transliterated to ASCII (`naïve` → `naive`), every
/// other character but letters, digits, `-`, `_` and `.` replaced by `_`
/// (`my scenario` → `my_scenario`), a leading `.` replaced by `_`, cut to
/// 100 characters, and `scenario` if nothing is left. A user never has to
/// rename a file for a name they did not write.
pub fn default_name(stem: &str) -> String {
    let ascii = deunicode::deunicode(stem);
    let mut name: String = ascii
        .chars()
        .map(|c| match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '-' | '_' | '.' => c,
            _ => '_',
        })
        .take(MAX_NAME_CHARS)
        .collect();
    if name.starts_with('.') {
        name.replace_range(..1, "_");
    }
    if name.is_empty() {
        name = "scenario".to_string();
    }
    name
}

/// The name becomes a folder under `results/`, so it must be a plain name.
fn check_name(name: &str) -> Result<(), Invalid> {
    let plain = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if name.is_empty() || name.len() > MAX_NAME_CHARS || !plain || name.starts_with('.') {
        return Err(Invalid::new(
            "name",
            crate::safe_text::quoted(name),
            "expected 1 to 100 letters, digits, '-', '_' or '.', not starting with '.' \
             (it names the results folder)",
        ));
    }
    Ok(())
}

/// Free text that other programs will read (metadata.csv, report.html)
/// holds no control character but those in `allowed`: a NUL ends a C
/// string and an ESC sequence recolours a terminal; neither is a note.
/// Nor an invisible direction control (U+202E reverses what follows it on
/// every screen the name reaches, the terminal, a spreadsheet and the
/// report; an independent check put one in a plan's name).
fn check_text(key: &str, text: &str, allowed: &str) -> Result<(), Invalid> {
    let bad = text.chars().enumerate().find(|(_, c)| {
        (c.is_control() && !allowed.contains(*c))
            || is_direction_control(*c)
            || is_unicode_line_break(*c)
    });
    let Some((at, c)) = bad else { return Ok(()) };
    let (what, kept) = match allowed {
        _ if is_direction_control(c) => ("the direction control", "none is allowed"),
        "" if is_unicode_line_break(c) => ("the line separator", "none is allowed"),
        _ if is_unicode_line_break(c) => {
            ("the line separator", "write line breaks as new lines (\\n)")
        }
        "" => ("the control character", "none is allowed"),
        _ => (
            "the control character",
            "only tabs and line breaks are allowed",
        ),
    };
    Err(Invalid::new(
        key,
        crate::safe_text::quoted(text),
        format!(
            "contains {what} U+{:04X} at character {}; {kept}",
            c as u32,
            at + 1
        ),
    ))
}

/// Unicode's own line and paragraph separators: not control characters,
/// but a CSV reader or a terminal may break a line at them (an independent
/// check).
fn is_unicode_line_break(c: char) -> bool {
    matches!(c, '\u{2028}' | '\u{2029}')
}

/// The Unicode controls that reorder the text after them as it is shown
/// (bidirectional embeddings, overrides and isolates). The marks (U+200E,
/// U+200F) only settle the direction of what is next to them, and mixed
/// Arabic or Hebrew text may need them.
fn is_direction_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The description: any text, tabs and line breaks included (multi-line
/// TOML strings), but no other control character.
fn description(text: Option<String>) -> Result<String, Invalid> {
    let text = text.unwrap_or_default();
    check_text("description", &text, "\t\n\r")?;
    Ok(text)
}

/// The file's `trials` is checked as written even when `--trials`
/// replaces it, so a file `validate` refuses is refused by every command.
fn trials(cli: Option<u64>, file: Option<u64>) -> Result<u64, Invalid> {
    if let Some(v) = file {
        check_trials(v).map_err(|allowed| Invalid::new("trials", v, allowed))?;
    }
    if let Some(v) = cli {
        check_trials(v).map_err(|allowed| Invalid::new("--trials", v, allowed))?;
    }
    Ok(cli.or(file).unwrap_or(DEFAULT_TRIALS))
}

/// What `trials` (and `--trials`) allows; the command line's value parser
/// says the same.
pub fn check_trials(value: u64) -> Result<u64, String> {
    if (1..=MAX_TRIALS).contains(&value) {
        Ok(value)
    } else {
        Err(format!("expected a whole number from 1 to {MAX_TRIALS}"))
    }
}

/// Like [`trials`]: the file's `months` is checked even when `--months`
/// replaces it.
fn months(cli: Option<u32>, file: Option<u32>) -> Result<u32, Invalid> {
    if let Some(v) = file {
        check_months(u64::from(v)).map_err(|allowed| Invalid::new("months", v, allowed))?;
    }
    if let Some(v) = cli {
        check_months(u64::from(v)).map_err(|allowed| Invalid::new("--months", v, allowed))?;
    }
    Ok(cli.or(file).unwrap_or(DEFAULT_MONTHS))
}

/// What `months` (and `--months`) allows.
pub fn check_months(value: u64) -> Result<u32, String> {
    match u32::try_from(value) {
        Ok(v) if (1..=MAX_MONTHS).contains(&v) => Ok(v),
        _ => Err(format!(
            "expected a whole number of months from 1 to {MAX_MONTHS}"
        )),
    }
}

/// The keys an inline `[plan]` must set.
const INLINE_REQUIRED: &str = "monthly_credits, cap, expiry_days, renewal and price_monthly";

fn plan(raw: &RawPlan) -> Result<(Plan, Billing), Invalid> {
    let base = match raw.id.as_deref() {
        Some(id) => {
            let known = catalog::find(id).ok_or_else(|| {
                Invalid::new(
                    "plan.id",
                    crate::safe_text::quoted(id),
                    format!("unknown plan; known plans: {}", catalog::known_ids()),
                )
            })?;
            Some(known)
        }
        None => None,
    };
    let required = |key: &str| {
        Invalid::new(
            &format!("plan.{key}"),
            "(missing)",
            format!(
                "an inline plan (no plan.id) must set {INLINE_REQUIRED}; or set plan.id to one of {}",
                catalog::known_ids()
            ),
        )
    };
    let monthly_credits = raw
        .monthly_credits
        .or(base.map(|b| b.monthly_credits))
        .ok_or_else(|| required("monthly_credits"))?;
    let cap = raw
        .cap
        .or(base.map(|b| b.cap))
        .ok_or_else(|| required("cap"))?;
    if cap < monthly_credits {
        return Err(Invalid::new(
            "plan.cap",
            cap,
            format!("the cap must be at least monthly_credits ({monthly_credits})"),
        ));
    }
    let expiry_days = match (&raw.expiry_days, base) {
        (Some(v), _) => values::expiry_days("plan.expiry_days", v)?,
        (None, Some(b)) => b.expiry_days,
        (None, None) => return Err(required("expiry_days")),
    };
    let renewal = match (raw.renewal.as_deref(), base) {
        (Some("calendar"), _) => Renewal::Calendar,
        (Some("anniversary"), _) => Renewal::Anniversary,
        (Some(other), _) => {
            return Err(Invalid::new(
                "plan.renewal",
                crate::safe_text::quoted(other),
                "expected \"calendar\" or \"anniversary\"",
            ));
        }
        (None, Some(b)) => b.renewal,
        (None, None) => return Err(required("renewal")),
    };
    let price_monthly_cents = match (&raw.price_monthly, base) {
        (Some(v), _) => values::money_cents("plan.price_monthly", v)?,
        (None, Some(b)) => b.price_monthly_cents,
        (None, None) => return Err(required("price_monthly")),
    };
    let price_annual_cents = match (&raw.price_annual, base) {
        (Some(v), _) => values::money_cents("plan.price_annual", v)?,
        (None, Some(b)) if raw.price_monthly.is_none() => b.price_annual_cents,
        // A user who changes the monthly price of a plan without saying the
        // annual one gets the monthly price for both: never a stale default.
        (None, _) => price_monthly_cents,
    };
    let billing = match raw.billing.as_deref() {
        None | Some("monthly") => Billing::Monthly,
        Some("annual") => Billing::Annual,
        Some(other) => {
            return Err(Invalid::new(
                "plan.billing",
                crate::safe_text::quoted(other),
                "expected \"monthly\" or \"annual\"",
            ));
        }
    };
    if let Some(name) = &raw.name {
        check_text("plan.name", name, "")?;
    }
    let plan = Plan {
        id: base.map_or("inline", |b| b.id).to_string(),
        name: raw
            .name
            .clone()
            .or(base.map(|b| b.name.to_string()))
            .unwrap_or_else(|| "Inline plan".to_string()),
        monthly_credits,
        cap,
        expiry_days,
        renewal,
        price_monthly_cents,
        price_annual_cents,
    };
    Ok((plan, billing))
}

fn demand(raw: &RawDemand) -> Result<Demand, Invalid> {
    let given: Vec<(&str, f64, f64)> = [
        ("demand.per_workday", raw.per_workday, MAX_SENDS_PER_DAY),
        ("demand.per_week", raw.per_week, MAX_SENDS_PER_DAY * 7.0),
        ("demand.per_cycle", raw.per_cycle, MAX_SENDS_PER_DAY * 31.0),
    ]
    .into_iter()
    .filter_map(|(k, v, max)| v.map(|v| (k, v, max)))
    .collect();
    let (key, value, max) = match given.as_slice() {
        [one] => *one,
        [] => {
            return Err(Invalid::new(
                "demand",
                "(missing)",
                "say how many InMails you want to send: demand.per_workday, per_week or per_cycle",
            ));
        }
        [first, second, ..] => {
            return Err(Invalid::new(
                second.0,
                second.1,
                format!(
                    "give only one of per_workday, per_week, per_cycle ({} is set too)",
                    first.0
                ),
            ));
        }
    };
    if !value.is_finite() || !(0.0..=max).contains(&value) {
        return Err(Invalid::new(
            key,
            value,
            format!("expected a number of InMails from 0 to {max}"),
        ));
    }
    // `-0.0` is 0 (adding 0 drops the sign), so no output says "-0 InMails".
    let value = value + 0.0;
    let volume = match key {
        "demand.per_workday" => Volume::PerWorkday(value),
        "demand.per_week" => Volume::PerWeek(value),
        _ => Volume::PerCycle(value),
    };
    let distribution = match raw.distribution.as_deref() {
        None | Some("poisson") => DemandDistribution::Poisson,
        Some("fixed") => DemandDistribution::Fixed,
        Some(other) => {
            return Err(Invalid::new(
                "demand.distribution",
                crate::safe_text::quoted(other),
                "expected \"poisson\" or \"fixed\"",
            ));
        }
    };
    Ok(Demand {
        volume,
        distribution,
        weekends: raw.weekends.unwrap_or(false),
        backlog: raw.backlog.unwrap_or(false),
    })
}

fn response(raw: &RawResponse) -> Result<Response, Invalid> {
    let spec = match &raw.rate {
        Some(v) => values::rate("response.rate", v)?,
        // credit-rules §5: 90% of trials between 10% and 25% (seeds 000, 002).
        None => RateSpec::BetaInterval90 {
            low: 0.10,
            high: 0.25,
        },
    };
    let sampler = RateSampler::new(&spec).map_err(|e| {
        let shown_rate = raw
            .rate
            .as_ref()
            .map_or_else(|| "(default)".to_string(), shown);
        Invalid::new("response.rate", shown_rate, e.to_string())
    })?;
    let redraw = match raw.redraw.as_deref() {
        None | Some("trial") => Redraw::Trial,
        Some("cycle") => Redraw::Cycle,
        Some(other) => {
            return Err(Invalid::new(
                "response.redraw",
                crate::safe_text::quoted(other),
                "expected \"trial\" or \"cycle\"",
            ));
        }
    };
    let declines_share = match &raw.declines_share {
        Some(v) => values::share("response.declines_share", v)?,
        None => 0.0,
    };
    Ok(Response {
        spec,
        sampler,
        redraw,
        declines_share,
    })
}

fn delay(raw: &RawDelay, horizon_days: u32) -> Result<Delay, Invalid> {
    let dist = raw.distribution.as_deref().unwrap_or("lognormal");
    let (spec, keys): (DelaySpec, &[&str]) = match dist {
        "lognormal" => (
            // credit-rules §5: no public data; median 2 days, p90 12 days.
            DelaySpec::LogNormal {
                median_days: raw.median_days.unwrap_or(2.0),
                p90_days: raw.p90_days.unwrap_or(12.0),
            },
            &["median_days", "p90_days"],
        ),
        "exponential" => (
            DelaySpec::Exponential {
                mean_days: raw.mean_days.unwrap_or(3.0),
            },
            &["mean_days"],
        ),
        "fixed" => (
            DelaySpec::Fixed {
                days: raw.days.unwrap_or(2.0),
            },
            &["days"],
        ),
        "empirical" => (empirical(raw)?, &["table"]),
        other => {
            return Err(Invalid::new(
                "delay.distribution",
                crate::safe_text::quoted(other),
                "expected \"lognormal\", \"exponential\", \"fixed\" or \"empirical\"",
            ));
        }
    };
    let table_text = raw.table.as_ref().map(|t| table_shown(t));
    let set = [
        ("median_days", raw.median_days.map(|v| v.to_string())),
        ("p90_days", raw.p90_days.map(|v| v.to_string())),
        ("mean_days", raw.mean_days.map(|v| v.to_string())),
        ("days", raw.days.map(|v| v.to_string())),
        ("table", table_text),
    ];
    let stray = set.iter().find(|(k, v)| v.is_some() && !keys.contains(k));
    if let Some((key, Some(value))) = stray {
        return Err(Invalid::new(
            &format!("delay.{key}"),
            value,
            format!(
                "does not apply to distribution = {}, which takes {}",
                crate::safe_text::quoted(dist),
                keys.join(", ")
            ),
        ));
    }
    let table = DelayTable::new(&spec, horizon_days).map_err(|e| match &raw.table {
        // The table's rows and shares are wrong, not the distribution.
        Some(rows) if dist == "empirical" => {
            Invalid::new("delay.table", table_shown(rows), e.to_string())
        }
        _ => Invalid::new("delay", dist, e.to_string()),
    })?;
    Ok(Delay { spec, table })
}

/// An empirical table as TOML writes it, `[[1, 0.5], [2, 0.5]]`, cut
/// like any shown value.
fn table_shown(rows: &[Vec<f64>]) -> String {
    let rows: Vec<String> = rows
        .iter()
        .map(|r| {
            let cells: Vec<String> = r.iter().map(f64::to_string).collect();
            format!("[{}]", cells.join(", "))
        })
        .collect();
    super::error::truncated(
        &format!("[{}]", rows.join(", ")),
        super::error::MAX_SHOWN_CHARS,
    )
}

fn empirical(raw: &RawDelay) -> Result<DelaySpec, Invalid> {
    let rows = raw.table.as_ref().ok_or_else(|| {
        Invalid::new(
            "delay.table",
            "(missing)",
            "distribution = \"empirical\" needs table = [[days, share], ...]",
        )
    })?;
    let mut pairs = Vec::with_capacity(rows.len());
    for row in rows {
        match row.as_slice() {
            [days, share] => pairs.push((*days, *share)),
            _ => {
                return Err(Invalid::new(
                    "delay.table",
                    table_shown(std::slice::from_ref(row)),
                    "each row is [days, share], e.g. [3, 0.25]",
                ));
            }
        }
    }
    Ok(DelaySpec::Empirical(pairs))
}

/// Keys of another policy are refused, as in `[delay]`: a `per_month` left
/// under `when_empty` would otherwise be silently ignored.
fn check_addon_keys(raw: &RawAddons, policy: &str) -> Result<(), Invalid> {
    let keys = [
        ("pack", raw.pack, "when_empty"),
        ("max_per_month", raw.max_per_month, "when_empty"),
        ("per_month", raw.per_month, "monthly"),
    ];
    for (key, value, owner) in keys {
        if let Some(v) = value.filter(|_| owner != policy) {
            return Err(Invalid::new(
                &format!("addons.{key}"),
                v,
                format!(
                    "applies only to policy = \"{owner}\", not {}",
                    crate::safe_text::quoted(policy)
                ),
            ));
        }
    }
    Ok(())
}

fn refunds(raw: &RawRefunds) -> Result<Refunds, Invalid> {
    let window_days = raw.window_days.unwrap_or(90);
    if !(1..=3650).contains(&window_days) {
        return Err(Invalid::new(
            "refunds.window_days",
            window_days,
            "expected a whole number of days from 1 to 3650",
        ));
    }
    let expiry = match raw.expiry.as_deref() {
        None | Some("fresh") => RefundExpiry::Fresh,
        Some("original") => RefundExpiry::Original,
        Some(other) => {
            return Err(Invalid::new(
                "refunds.expiry",
                crate::safe_text::quoted(other),
                "expected \"fresh\" or \"original\"",
            ));
        }
    };
    Ok(Refunds {
        window_days,
        declines: raw.declines.unwrap_or(true),
        expiry,
    })
}

fn open_profile(raw: &super::raw::RawOpenProfile) -> Result<OpenProfile, Invalid> {
    let share = match &raw.share {
        Some(v) => values::share("open_profile.share", v)?,
        None => 0.0,
    };
    Ok(OpenProfile {
        share,
        limit: raw.limit,
    })
}

fn addons(raw: &RawAddons, plan: &Plan) -> Result<Addons, Invalid> {
    let policy_name = raw.policy.as_deref().unwrap_or("never");
    check_addon_keys(raw, policy_name)?;
    let policy = match policy_name {
        "never" => AddonPolicy::Never,
        "when_empty" => {
            let pack = raw.pack.unwrap_or(1);
            if !(1..=10_000).contains(&pack) {
                return Err(Invalid::new(
                    "addons.pack",
                    pack,
                    "expected a whole number of credits from 1 to 10000",
                ));
            }
            if let Some(max) = raw.max_per_month.filter(|max| *max < pack) {
                return Err(Invalid::new(
                    "addons.max_per_month",
                    max,
                    format!(
                        "is below one pack ({pack}), so nothing could ever be bought; raise it or use policy = \"never\""
                    ),
                ));
            }
            AddonPolicy::WhenEmpty {
                pack,
                max_per_month: raw.max_per_month,
            }
        }
        "monthly" => match raw.per_month {
            Some(n @ 1..=10_000) => AddonPolicy::Monthly { per_month: n },
            other => {
                let shown = other.map_or_else(|| "(missing)".to_string(), |n| n.to_string());
                return Err(Invalid::new(
                    "addons.per_month",
                    shown,
                    "policy = \"monthly\" needs per_month, the credits bought each renewal day (1 to 10000)",
                ));
            }
        },
        other => {
            return Err(Invalid::new(
                "addons.policy",
                crate::safe_text::quoted(other),
                "expected \"never\", \"when_empty\" or \"monthly\"",
            ));
        }
    };
    if raw.available == Some(false) && policy != AddonPolicy::Never {
        // The source cited is the plan's own (the catalog's), not another
        // plan's: Help 57013 is about Sales Navigator.
        let source = match catalog::find(&plan.id).map(|p| p.addons) {
            Some(catalog::AddonSale::NotSold { why }) => format!(" ({why})"),
            _ => String::new(),
        };
        return Err(Invalid::new(
            "addons.policy",
            crate::safe_text::quoted(policy_name),
            format!(
                "addons.available = false says this plan sells no add-on credits{source}; use \
                 policy = \"never\" or set available = true to model a what-if"
            ),
        ));
    }
    let price_cents = match &raw.price {
        Some(v) => values::money_cents("addons.price", v)?,
        None => 1000, // $10 a credit: seeds 002 and 003.
    };
    let expiry_days = raw.expiry_days.unwrap_or(90);
    if !(1..=3650).contains(&expiry_days) {
        return Err(Invalid::new(
            "addons.expiry_days",
            expiry_days,
            "expected a whole number of days from 1 to 3650",
        ));
    }
    Ok(Addons {
        policy,
        price_cents,
        expiry_days,
    })
}

/// The most the team's demand volume may be, in the unit of `volume`'s key
/// (per workday, week or cycle); one seat's is this over the seats.
pub fn team_volume_limit(volume: Volume) -> f64 {
    match volume {
        Volume::PerWorkday(_) => MAX_SENDS_PER_DAY,
        Volume::PerWeek(_) => MAX_SENDS_PER_DAY * 7.0,
        Volume::PerCycle(_) => MAX_SENDS_PER_DAY * 31.0,
    }
}

/// The team's volume is bounded like one sender's (MAX_SENDS_PER_DAY a
/// workday): past it a single trial takes seconds to minutes, and the
/// numbers describe no InMail user.
fn check_team_volume(demand: &Demand, seats: Seats) -> Result<(), Invalid> {
    let (key, per_seat) = match demand.volume {
        Volume::PerWorkday(m) => ("demand.per_workday", m),
        Volume::PerWeek(w) => ("demand.per_week", w),
        Volume::PerCycle(c) => ("demand.per_cycle", c),
    };
    let max = team_volume_limit(demand.volume);
    let team = per_seat * f64::from(seats.count);
    if team > max {
        return Err(Invalid::new(
            key,
            per_seat,
            format!(
                "times {} seats is {team} for the team; the team's volume must stay at most {max}",
                seats.count
            ),
        ));
    }
    Ok(())
}

/// The most money a horizon may reach, in cents ($20 quadrillion): under a
/// quarter of what a trial's totals count (`i64::MAX`, about $92
/// quadrillion), so that sums and differences of totals cannot wrap.
const MAX_HORIZON_CENTS: i64 = 2_000_000_000_000_000_000;

/// Refuses add-on terms whose purchases over the horizon could pass
/// [`MAX_HORIZON_CENTS`] (an independent check: 1,000 seats for 1,200
/// months at $1,000,000 a credit in packs of 10,000 printed a total that had
/// wrapped past `i64::MAX`). The bound: a month's sends at most twice the
/// team's mean volume plus 1,000, twice again for follow-ups; each add-on
/// purchase allows at least one send (when empty), or the policy's own
/// monthly credits; plans cost at most 1,000 seats × $1,000,000 × 1,200
/// months, far below it.
fn check_money_counted(
    addons: &Addons,
    demand: &Demand,
    seats: Seats,
    months: u32,
) -> Result<(), Invalid> {
    let ledgers = f64::from(seats.count);
    let team_month = f64::from(seats.count)
        * match demand.volume {
            Volume::PerWorkday(m) => m * 23.0,
            Volume::PerWeek(w) => w * 5.0,
            Volume::PerCycle(c) => c,
        };
    let sends = 2.0 * (2.0 * team_month + 1000.0);
    let (credits, terms) = match addons.policy {
        AddonPolicy::Never => return Ok(()),
        AddonPolicy::WhenEmpty {
            pack,
            max_per_month,
        } => {
            let by_sends = f64::from(pack) * sends;
            let credits = max_per_month.map_or(by_sends, |m| by_sends.min(f64::from(m) * ledgers));
            (credits, format!("addons.pack = {pack}"))
        }
        AddonPolicy::Monthly { per_month } => (
            f64::from(per_month) * ledgers,
            format!("addons.per_month = {per_month}"),
        ),
    };
    let bound = credits * addons.price_cents as f64 * f64::from(months);
    if bound <= MAX_HORIZON_CENTS as f64 {
        return Ok(());
    }
    Err(Invalid::new(
        "addons.price",
        crate::compare::summary::dollars(addons.price_cents as f64),
        format!(
            "with {terms}, {} and {}, the add-ons bought could cost more than \
             {} over the horizon, past what inmail-sim counts in cents: lower the price, the \
             credits bought, the seats or the months",
            crate::numbers::count(u64::from(seats.count), "seat", "seats"),
            crate::numbers::count(u64::from(months), "month", "months"),
            crate::compare::summary::dollars(MAX_HORIZON_CENTS as f64)
        ),
    ))
}

/// Most credits a ledger's cap may hold: a seat's cap, or a pooled team's
/// (`seats ×` the cap, docs/model.md, "Seats"). A lot is counted in 32 bits
/// (two `u32`s, kept small because every send touches it) and one lot can
/// gather a renewal's grant, that day's add-ons and that day's refunds
/// (all expire together); with the cap within 2 billion, the rest is
/// bounded by the horizon's sends (at most 2 × 310,000 × 1,200 = 744
/// million refunds, as many add-ons bought when empty, and 10,000 packs or
/// monthly credits), so a lot stays below `u32::MAX` (4,294,967,295).
const MAX_LEDGER_CAP: u64 = 2_000_000_000;

/// Refuses a cap past [`MAX_LEDGER_CAP`] for the ledger that holds it,
/// rather than let a lot overflow (a cap of 4,294,967,295 with monthly
/// add-ons panicked), or a pool be silently capped while its price still
/// grows with the seats (issue 17). The cap is checked: it is at least the
/// grant.
fn check_ledger_credits(plan: &Plan, changes: &[PlanChange], seats: Seats) -> Result<(), Invalid> {
    let plans = std::iter::once(("plan.cap".to_string(), plan)).chain(
        changes
            .iter()
            .enumerate()
            .map(|(i, c)| (format!("plan_change[{}].plan.cap", i + 1), &c.plan)),
    );
    let pooled = if seats.pooled { seats.count } else { 1 };
    for (key, plan) in plans {
        let team = u64::from(plan.cap) * u64::from(pooled);
        if team <= MAX_LEDGER_CAP {
            continue;
        }
        let why = if pooled > 1 {
            format!(
                "times {pooled} pooled seats is {team} credits for the team's pool; a pool holds \
                 at most {MAX_LEDGER_CAP} credits: lower the cap (and monthly_credits) or the seats"
            )
        } else {
            format!(
                "expected at most {MAX_LEDGER_CAP} credits (lower monthly_credits with it): a \
                 balance is counted in 32 bits"
            )
        };
        return Err(Invalid::new(&key, plan.cap, why));
    }
    Ok(())
}

/// Most seats a scenario may have: a team, not a company-wide rollout
/// (non-pooled seats are simulated one by one).
const MAX_SEATS: u32 = 1000;

/// A number of seats, 1 to [`MAX_SEATS`], in the words `init --seats`
/// uses too (not clap's "0 is not in 1..=1000").
pub fn check_seats(value: u64) -> Result<u32, String> {
    match u32::try_from(value) {
        Ok(n) if (1..=MAX_SEATS).contains(&n) => Ok(n),
        _ => Err(format!(
            "expected a whole number of seats from 1 to {MAX_SEATS}"
        )),
    }
}

/// `seats` at the top level or in `[plan]` (not both); seats pool their
/// credits by default where the catalog says so: Recruiter Corporate and
/// Professional Services contracts (Help 414347), not Recruiter Lite, a
/// one-person seat, nor an inline plan.
fn seats(raw: &RawScenario, raw_plan: &RawPlan, plan: &Plan) -> Result<Seats, Invalid> {
    let (key, count) = match (raw.seats, raw_plan.seats) {
        (Some(_), Some(inner)) => {
            return Err(Invalid::new(
                "plan.seats",
                inner,
                "seats is set at the top level too: give it once",
            ));
        }
        (Some(n), None) => ("seats", n),
        (None, Some(n)) => ("plan.seats", n),
        (None, None) => ("seats", 1),
    };
    check_seats(u64::from(count)).map_err(|why| Invalid::new(key, count, why))?;
    Ok(Seats {
        count,
        pooled: raw_plan
            .pooled
            .unwrap_or_else(|| catalog::find(&plan.id).is_some_and(|c| c.pooled)),
    })
}

/// `(months, horizon)`: the horizon and, for messages, where it was set
/// (the file's `months` or `--months`).
fn plan_changes(
    raw: &[RawPlanChange],
    (months, horizon): (u32, &str),
    first_billing: Billing,
    first_renewal: Renewal,
) -> Result<Vec<PlanChange>, Invalid> {
    let mut changes: Vec<PlanChange> = Vec::with_capacity(raw.len());
    for (i, change) in raw.iter().enumerate() {
        let key = |k: &str| format!("plan_change[{}].{k}", i + 1);
        let from = change.from_cycle.ok_or_else(|| {
            Invalid::new(
                &key("from_cycle"),
                "(missing)",
                "say from which cycle (2 or later, 1-based) the change applies",
            )
        })?;
        if !(2..=months).contains(&from) {
            return Err(Invalid::new(
                &key("from_cycle"),
                from,
                format!("expected a cycle from 2 to {horizon}; cycle 1 is [plan]"),
            ));
        }
        if changes.iter().any(|c| c.from_cycle + 1 == from as usize) {
            return Err(Invalid::new(
                &key("from_cycle"),
                from,
                "another plan_change starts in the same cycle",
            ));
        }
        let (plan, billing, cancelled) = match (change.cancel, &change.plan) {
            (Some(true), None) => {
                let free = catalog::find("free").expect("the catalog has a free plan");
                let mut plan = catalog_plan(free);
                plan.id = "cancelled".to_string();
                plan.name = "Cancelled".to_string();
                (plan, first_billing, true)
            }
            (Some(true), Some(_)) => {
                return Err(Invalid::new(
                    &key("cancel"),
                    "true",
                    "a cancelled plan has no plan table: give either cancel = true or plan = { ... }",
                ));
            }
            (_, Some(raw_plan)) => {
                for (k, set) in [
                    ("seats", raw_plan.seats.is_some()),
                    ("pooled", raw_plan.pooled.is_some()),
                ] {
                    if set {
                        return Err(Invalid::new(
                            &key(&format!("plan.{k}")),
                            "(set)",
                            "seats are the subscription's, not a plan change's: set them once, at the top",
                        ));
                    }
                }
                // The renewal days are the subscription's too: a change
                // keeps the first plan's (docs/model.md), so another
                // renewal given here would be ignored without a word. The
                // first plan's is taken as given (an inline plan needs one).
                let first = match first_renewal {
                    Renewal::Calendar => "calendar",
                    Renewal::Anniversary => "anniversary",
                };
                if let Some(renewal) = raw_plan.renewal.as_deref().filter(|r| *r != first) {
                    return Err(Invalid::new(
                        &key("plan.renewal"),
                        crate::safe_text::quoted(renewal),
                        format!(
                            "a plan change keeps the first plan's renewal days ({first}): leave \
                             renewal out of the change, or write \"{first}\""
                        ),
                    ));
                }
                let raw_plan = &RawPlan {
                    renewal: Some(first.to_string()),
                    ..raw_plan.clone()
                };
                let (plan, billing) = plan(raw_plan).map_err(|mut inv| {
                    inv.key = format!("plan_change[{}].{}", i + 1, inv.key);
                    // A change's inline plan takes the first plan's renewal
                    // (given above): asking for one would lead to a file
                    // refused for a renewal of its own.
                    inv.allowed = inv.allowed.replace(
                        INLINE_REQUIRED,
                        "monthly_credits, cap, expiry_days and price_monthly (a change keeps the \
                         first plan's renewal days)",
                    );
                    inv
                })?;
                let billing = if raw_plan.billing.is_none() {
                    first_billing
                } else {
                    billing
                };
                (plan, billing, false)
            }
            (_, None) => {
                return Err(Invalid::new(
                    &key("plan"),
                    "(missing)",
                    "give the new plan (plan = { id = \"...\" }) or cancel = true",
                ));
            }
        };
        changes.push(PlanChange {
            from_cycle: from as usize - 1,
            plan,
            billing,
            cancelled,
        });
    }
    changes.sort_by_key(|c| c.from_cycle);
    Ok(changes)
}

fn catalog_plan(p: &catalog::CatalogPlan) -> Plan {
    Plan {
        id: p.id.to_string(),
        name: p.name.to_string(),
        monthly_credits: p.monthly_credits,
        cap: p.cap,
        expiry_days: p.expiry_days,
        renewal: p.renewal,
        price_monthly_cents: p.price_monthly_cents,
        price_annual_cents: p.price_annual_cents,
    }
}

/// credit-rules §5 "Follow-ups": off unless the table says otherwise.
fn follow_ups(raw: Option<&RawFollowUps>, plan: &Plan) -> Result<Option<FollowUps>, Invalid> {
    let Some(raw) = raw else { return Ok(None) };
    if raw.enabled == Some(false) {
        return Ok(None);
    }
    // Seed 000: "follow up after 5–7 days on unanswered InMails".
    let after_days = raw.after_days.unwrap_or(6);
    if !(1..=90).contains(&after_days) {
        return Err(Invalid::new(
            "follow_ups.after_days",
            after_days,
            "expected a whole number of days from 1 to 90 (seed 000 says 5 to 7)",
        ));
    }
    let response_factor = match &raw.response_factor {
        Some(v) => values::share("follow_ups.response_factor", v)?,
        None => 0.5,
    };
    let rule = match raw.rule.as_deref() {
        None if plan.is_recruiter() => FollowUpRule::Recruiter,
        None | Some("standard") => FollowUpRule::Standard,
        Some("recruiter") => FollowUpRule::Recruiter,
        Some(other) => {
            return Err(Invalid::new(
                "follow_ups.rule",
                crate::safe_text::quoted(other),
                "expected \"standard\" (a credit when sent, Help 57013) or \"recruiter\" (charged when \
                 scheduled, refunded if answered first, Help 417098)",
            ));
        }
    };
    Ok(Some(FollowUps {
        after_days,
        response_factor,
        rule,
    }))
}

/// Help 413271: on by default when a Recruiter plan is in force at any time.
fn floor(
    raw: Option<&RawFloor>,
    plan: &Plan,
    changes: &[PlanChange],
    seats: Seats,
) -> Result<Option<Floor>, Invalid> {
    let recruiter = plan.is_recruiter() || changes.iter().any(|c| c.plan.is_recruiter());
    let explicit = raw.and_then(|r| r.enabled);
    let enabled = explicit.unwrap_or(recruiter);
    // Pooled seats are simulated as one sender: the team is assessed as one,
    // with 100 InMails per seat.
    let per_sender = if seats.pooled { seats.count } else { 1 };
    Ok(enabled.then_some(Floor {
        min_sent: 100 * per_sender,
        threshold: 0.13,
        warning: raw.and_then(|r| r.warning).unwrap_or(false),
        // Help 413271 is a Recruiter rule: on by default, it follows the
        // plan in force; asked for, it applies throughout.
        recruiter_plans_only: explicit.is_none(),
    }))
}

#[cfg(test)]
mod rule_tests {
    use super::super::{Overrides, parse};
    use std::path::Path;

    fn error(extra: &str) -> String {
        let text =
            format!("{extra}\n[plan]\nid = \"sales_navigator_core\"\n[demand]\nper_workday = 1\n");
        match parse(&text, Path::new("t.toml"), &Overrides::default()) {
            Ok(_) => panic!("accepted:\n{text}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn an_inline_plan_in_a_change_takes_the_first_plans_renewal_and_refuses_another() {
        let change = |renewal: &str| {
            let text = format!(
                "months = 2\n[plan]\nid = \"sales_navigator_core\"\n[demand]\nper_workday = 1\n\
                 [[plan_change]]\nfrom_cycle = 2\nplan = {{ monthly_credits = 10, cap = 30, \
                 expiry_days = 90, price_monthly = 50{renewal} }}\n"
            );
            parse(&text, Path::new("t.toml"), &Overrides::default())
        };
        // Left out, or the first plan's (calendar): the inline plan runs.
        for renewal in ["", ", renewal = \"calendar\""] {
            let sc = change(renewal).unwrap_or_else(|e| panic!("{renewal}: {e}"));
            assert_eq!(sc.plan_changes[0].plan.monthly_credits, 10);
            assert_eq!(
                sc.plan_changes[0].plan.renewal,
                crate::calendar::Renewal::Calendar
            );
        }
        let e = change(", renewal = \"anniversary\"")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("plan_change[1].plan.renewal = \"anniversary\"")
                && e.contains("keeps the first plan's renewal days (calendar)"),
            "{e}"
        );
    }

    #[test]
    fn annual_billing_over_a_horizon_that_is_not_whole_years_is_a_what_if() {
        let scenario = |months: u32, billing: &str| {
            let text = format!(
                "months = {months}\nseats = 2\n[plan]\nid = \"sales_navigator_core\"\n\
                 billing = \"{billing}\"\n[demand]\nper_workday = 1\n"
            );
            parse(&text, Path::new("t.toml"), &Overrides::default()).unwrap()
        };
        let what_ifs = |months: u32, billing: &str| scenario(months, billing).what_ifs();
        // What compare adds to its verdict: the 9 months of the year not
        // charged, at $89.99 for each of 2 seats; 15 months commit to 24.
        assert_eq!(
            scenario(3, "annual").uncounted_commitment_cents(),
            9 * 2 * 8999
        );
        assert_eq!(
            scenario(15, "annual").uncounted_commitment_cents(),
            9 * 2 * 8999
        );
        assert_eq!(scenario(24, "annual").uncounted_commitment_cents(), 0);
        // Annual billing at the monthly price commits to the year too.
        let plus = parse(
            "months = 6\n[plan]\nid = \"sales_navigator_advanced_plus\"\nbilling = \"annual\"\n\
             [demand]\nper_workday = 1\n",
            Path::new("t.toml"),
            &Overrides::default(),
        )
        .unwrap();
        assert_eq!(plus.plan.price_annual_cents, plus.plan.price_monthly_cents);
        assert_eq!(
            plus.uncounted_commitment_cents(),
            6 * plus.plan.price_annual_cents
        );
        assert_eq!(plus.what_ifs().len(), 1, "{:?}", plus.what_ifs());
        assert_eq!(scenario(3, "monthly").uncounted_commitment_cents(), 0);
        let short = what_ifs(3, "annual");
        assert_eq!(short.len(), 1, "{short:?}");
        assert!(
            short[0].contains("commits to a year ($2,159.76 for 2 seats)"),
            "{short:?}"
        );
        assert!(what_ifs(24, "annual").is_empty());
        let long = what_ifs(18, "annual");
        assert!(
            long[0].contains("so these 18 months commit to 2 years ($4,319.52)"),
            "{long:?}"
        );
        assert!(what_ifs(3, "monthly").is_empty());
    }

    #[test]
    fn an_annual_plan_changed_before_a_year_and_pooling_a_plan_that_does_not_pool_are_what_ifs() {
        let what_ifs = |text: &str| {
            parse(text, Path::new("t.toml"), &Overrides::default())
                .unwrap()
                .what_ifs()
        };
        // Upgraded after 3 months of a year's commitment: the 3 months
        // before (and the 9 after, to the horizon's end) are said.
        let changed = what_ifs(
            "seats = 2\n[plan]\nid = \"sales_navigator_core\"\nbilling = \"annual\"\n\
             [demand]\nper_workday = 1\n[[plan_change]]\nfrom_cycle = 4\n\
             plan = { id = \"sales_navigator_advanced\" }\n",
        );
        assert_eq!(changed.len(), 2, "{changed:?}");
        assert!(
            changed[0].contains("commits Sales Navigator Core to a year ($2,159.76 for 2 seats)")
                && changed[0].contains("held for 3 months here (months 1 to 3)"),
            "{changed:?}"
        );
        assert!(changed[1].contains("(months 4 to 12)"), "{changed:?}");
        // Held 18 months before the change: two years committed, not one.
        let long = what_ifs(
            "months = 24\n[plan]\nid = \"sales_navigator_core\"\nbilling = \"annual\"\n\
             [demand]\nper_workday = 1\n[[plan_change]]\nfrom_cycle = 19\n\
             plan = { id = \"sales_navigator_advanced\" }\n",
        );
        assert!(
            long[0].contains("the 18 months it is held here (months 1 to 18) commit to 2 years"),
            "{long:?}"
        );
        // A cancellation ends the commitment's cost too: said for the plan
        // before it only.
        let cancelled = what_ifs(
            "[plan]\nid = \"sales_navigator_core\"\nbilling = \"annual\"\n\
             [demand]\nper_workday = 1\n[[plan_change]]\nfrom_cycle = 7\ncancel = true\n",
        );
        assert_eq!(cancelled.len(), 1, "{cancelled:?}");
        assert!(cancelled[0].contains("(months 1 to 6)"), "{cancelled:?}");
        // Sales Navigator seats pooled: a what-if; Recruiter contracts pool.
        let pooled = |id: &str| {
            what_ifs(&format!(
                "seats = 3\n[plan]\nid = \"{id}\"\npooled = true\n[demand]\nper_workday = 1\n"
            ))
        };
        let sn = pooled("sales_navigator_core");
        assert!(
            sn.iter()
                .any(|l| l.contains("Sales Navigator Core seats do not share")),
            "{sn:?}"
        );
        assert!(pooled("recruiter_corporate").is_empty());
        // A Recruiter contract's pooled seats changed to Sales Navigator
        // stay pooled: the what-if names the later plan.
        let changed = what_ifs(
            "seats = 4\n[plan]\nid = \"recruiter_corporate\"\n[demand]\nper_workday = 1\n\
             [[plan_change]]\nfrom_cycle = 4\nplan = { id = \"sales_navigator_core\" }\n",
        );
        assert!(
            changed
                .iter()
                .any(|l| l.contains("Sales Navigator Core seats do not share")),
            "{changed:?}"
        );
    }

    #[test]
    fn a_file_name_that_is_not_a_plain_name_gives_a_valid_default_name() {
        use super::{check_name, default_name};
        let cases = [
            ("my scenario", "my_scenario"),
            ("naïve", "naive"),
            ("Größe 2026", "Grosse_2026"),
            (".hidden", "_hidden"),
            ("a/b:c*?", "a_b_c__"),
            ("", "scenario"),
            ("plain-name_1.2", "plain-name_1.2"),
        ];
        for (stem, name) in cases {
            assert_eq!(default_name(stem), name, "{stem:?}");
        }
        let stems = [
            "日本語",
            "\u{1b}[31mred",
            "\0",
            "é".repeat(300).as_str(),
            "..",
            " ",
        ]
        .map(String::from);
        for stem in &stems {
            let name = default_name(stem);
            assert!(check_name(&name).is_ok(), "{stem:?} gave {name:?}");
        }
        let text = "[plan]\nid = \"free\"\n[demand]\nper_workday = 1\n";
        let sc = parse(
            text,
            Path::new("dir/my scenario.toml"),
            &Overrides::default(),
        );
        assert_eq!(sc.map(|s| s.name).unwrap(), "my_scenario");
    }

    #[test]
    fn the_keys_of_the_later_rules_are_checked_with_the_key_named() {
        assert!(error("seats = 0").contains("seats = 0: expected a whole number of seats"));
        let text = "seats = 2\n[plan]\nid = \"free\"\nseats = 3\n[demand]\nper_workday = 1\n";
        let both = parse(text, Path::new("t.toml"), &Overrides::default());
        let both = both.map(|_| ()).unwrap_err().to_string();
        assert!(
            both.contains("plan.seats = 3: seats is set at the top level too"),
            "{both}"
        );
        let e = error("[[plan_change]]\nfrom_cycle = 1\ncancel = true");
        assert!(
            e.contains("plan_change[1].from_cycle = 1: expected a cycle from 2"),
            "{e}"
        );
        let e = error("[[plan_change]]\nfrom_cycle = 2\nplan = { id = \"nope\" }");
        assert!(
            e.contains("plan_change[1].plan.id = \"nope\": unknown plan"),
            "{e}"
        );
        let e = error("[follow_ups]\nrule = \"recruiter\"\n[refunds]\nexpiry = \"original\"");
        assert!(
            e.contains("refunds.expiry = \"original\": is not modelled"),
            "{e}"
        );
        let e = error("[follow_ups]\nafter_days = 0");
        assert!(e.contains("follow_ups.after_days = 0"), "{e}");
    }
}
