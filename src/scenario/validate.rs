//! From the file as written to a [`Scenario`]: defaults applied (each one
//! named with its source in the README), ranges checked, contradictions
//! caught. Every error names the key, the bad value and what is allowed.

use super::raw::{RawAddons, RawDelay, RawDemand, RawPlan, RawRefunds, RawResponse, RawScenario};
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
const MAX_TRIALS: u64 = 1_000_000_000_000;
/// Sends per day above this are not a person's InMail volume; they would only
/// make a run slow, so they are refused.
const MAX_SENDS_PER_DAY: f64 = 10_000.0;

pub fn scenario(raw: RawScenario, stem: &str, ov: &Overrides) -> Result<Scenario, Invalid> {
    let name = raw.name.clone().unwrap_or_else(|| stem.to_string());
    check_name(&name)?;
    let seed = ov.seed.or(raw.seed).unwrap_or(DEFAULT_SEED);
    let trials = trials(ov.trials, raw.trials)?;
    let months = months(ov.months, raw.months)?;
    let start = match &raw.start_date {
        Some(v) => values::date("start_date", v)?,
        None => DEFAULT_START,
    };
    let raw_plan = raw.plan.ok_or_else(|| {
        Invalid::new(
            "plan",
            "(missing)",
            format!(
                "add a [plan] table with id = one of {}",
                catalog::known_ids()
            ),
        )
    })?;
    let (plan, billing) = plan(&raw_plan)?;
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
    Ok(Scenario {
        name,
        description: raw.description.unwrap_or_default(),
        seed,
        trials,
        months,
        start,
        demand: demand(&raw.demand)?,
        delay: delay(&raw.delay, horizon.days())?,
        open_profile: open_profile(&raw.open_profile)?,
        addons: addons(&raw.addons)?,
        plan,
        billing,
        response,
        refunds,
        horizon,
    })
}

/// The name becomes a folder under `results/`, so it must be a plain name.
fn check_name(name: &str) -> Result<(), Invalid> {
    let plain = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if name.is_empty() || name.len() > 100 || !plain || name.starts_with('.') {
        return Err(Invalid::new(
            "name",
            format!("{name:?}"),
            "expected 1 to 100 letters, digits, '-', '_' or '.', not starting with '.' \
             (it names the results folder)",
        ));
    }
    Ok(())
}

fn trials(cli: Option<u64>, file: Option<u64>) -> Result<u64, Invalid> {
    let (key, value) = match (cli, file) {
        (Some(v), _) => ("--trials", v),
        (None, Some(v)) => ("trials", v),
        (None, None) => return Ok(DEFAULT_TRIALS),
    };
    if !(1..=MAX_TRIALS).contains(&value) {
        return Err(Invalid::new(
            key,
            value,
            format!("expected a whole number from 1 to {MAX_TRIALS}"),
        ));
    }
    Ok(value)
}

fn months(cli: Option<u32>, file: Option<u32>) -> Result<u32, Invalid> {
    let (key, value) = match (cli, file) {
        (Some(v), _) => ("--months", v),
        (None, Some(v)) => ("months", v),
        (None, None) => return Ok(DEFAULT_MONTHS),
    };
    if !(1..=MAX_MONTHS).contains(&value) {
        return Err(Invalid::new(
            key,
            value,
            format!("expected a whole number of months from 1 to {MAX_MONTHS}"),
        ));
    }
    Ok(value)
}

fn plan(raw: &RawPlan) -> Result<(Plan, Billing), Invalid> {
    let base = match raw.id.as_deref() {
        Some(id) => {
            let known = catalog::find(id).ok_or_else(|| {
                Invalid::new(
                    "plan.id",
                    format!("{id:?}"),
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
                "an inline plan (no plan.id) must set monthly_credits, cap, expiry_days, renewal and \
                 price_monthly; or set plan.id to one of {}",
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
                format!("{other:?}"),
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
                format!("{other:?}"),
                "expected \"monthly\" or \"annual\"",
            ));
        }
    };
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
                format!("{other:?}"),
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
                format!("{other:?}"),
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
                format!("{other:?}"),
                "expected \"lognormal\", \"exponential\", \"fixed\" or \"empirical\"",
            ));
        }
    };
    let table_text = raw.table.as_ref().map(|t| format!("{t:?}"));
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
                "does not apply to distribution = {dist:?}, which takes {}",
                keys.join(", ")
            ),
        ));
    }
    let table = DelayTable::new(&spec, horizon_days)
        .map_err(|e| Invalid::new("delay", dist, e.to_string()))?;
    Ok(Delay { spec, table })
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
                    format!("{row:?}"),
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
                format!("applies only to policy = \"{owner}\", not {policy:?}"),
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
                format!("{other:?}"),
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

fn addons(raw: &RawAddons) -> Result<Addons, Invalid> {
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
                format!("{other:?}"),
                "expected \"never\", \"when_empty\" or \"monthly\"",
            ));
        }
    };
    if raw.available == Some(false) && policy != AddonPolicy::Never {
        return Err(Invalid::new(
            "addons.policy",
            format!("{policy_name:?}"),
            "addons.available = false says this plan sells no add-on credits (Help 57013 says Sales \
             Navigator sells none today); use policy = \"never\" or set available = true to model a what-if",
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
