//! The scenario file as written: serde structs that mirror the TOML, with
//! every key optional (defaults are applied in `validate`) and unknown keys
//! rejected so that a typo is an error, not a silent default.
//!
//! Keys that accept several forms (a rate as `0.12`, `"12%"`, `"10% to 25%"`
//! or a table; an expiry as a number or `"none"`) stay `toml::Value` here and
//! are read by `values`, which knows how to say what went wrong.

use serde::Deserialize;
use toml::Value;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub name: Option<String>,
    pub description: Option<String>,
    pub seed: Option<u64>,
    pub trials: Option<u64>,
    pub months: Option<u32>,
    pub start_date: Option<Value>,
    pub plan: Option<RawPlan>,
    #[serde(default)]
    pub demand: RawDemand,
    #[serde(default)]
    pub response: RawResponse,
    #[serde(default)]
    pub delay: RawDelay,
    #[serde(default)]
    pub refunds: RawRefunds,
    #[serde(default)]
    pub open_profile: RawOpenProfile,
    #[serde(default)]
    pub addons: RawAddons,
    /// Seats on the subscription (also accepted as `plan.seats`).
    pub seats: Option<u32>,
    pub follow_ups: Option<RawFollowUps>,
    pub floor: Option<RawFloor>,
    /// `[[plan_change]]` tables, in any order.
    pub plan_change: Option<Vec<RawPlanChange>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFollowUps {
    pub enabled: Option<bool>,
    pub after_days: Option<u32>,
    pub response_factor: Option<Value>,
    pub rule: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFloor {
    pub enabled: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPlanChange {
    pub from_cycle: Option<u32>,
    pub plan: Option<RawPlan>,
    pub cancel: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPlan {
    pub id: Option<String>,
    pub name: Option<String>,
    pub billing: Option<String>,
    pub monthly_credits: Option<u32>,
    pub cap: Option<u32>,
    pub expiry_days: Option<Value>,
    pub renewal: Option<String>,
    pub price_monthly: Option<Value>,
    pub price_annual: Option<Value>,
    pub seats: Option<u32>,
    /// Whether seats share one ledger (default: Recruiter plans do).
    pub pooled: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDemand {
    pub per_workday: Option<f64>,
    pub per_week: Option<f64>,
    pub per_cycle: Option<f64>,
    pub distribution: Option<String>,
    pub weekends: Option<bool>,
    pub backlog: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawResponse {
    pub rate: Option<Value>,
    pub redraw: Option<String>,
    pub declines_share: Option<Value>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDelay {
    pub distribution: Option<String>,
    pub median_days: Option<f64>,
    pub p90_days: Option<f64>,
    pub mean_days: Option<f64>,
    pub days: Option<f64>,
    pub table: Option<Vec<Vec<f64>>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRefunds {
    pub window_days: Option<u32>,
    pub declines: Option<bool>,
    pub expiry: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOpenProfile {
    pub share: Option<Value>,
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAddons {
    pub available: Option<bool>,
    pub policy: Option<String>,
    pub price: Option<Value>,
    pub pack: Option<u32>,
    pub max_per_month: Option<u32>,
    pub per_month: Option<u32>,
    pub expiry_days: Option<u32>,
}
