//! The scenario file as written: serde structs that mirror the TOML, with
//! every key optional (defaults are applied in `validate`) and unknown keys
//! rejected so that a typo is an error, not a silent default.
//!
//! Keys that accept several forms (a rate as `0.12`, `"12%"`, `"10% to 25%"`
//! or a table; an expiry as a number or `"none"`) stay `toml::Value` here and
//! are read by `values`, which knows how to say what went wrong. Keys that
//! hold a table accept only a table: any other value is refused in the
//! user's words (see `TomlTable`), not serde's.

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;
use std::marker::PhantomData;
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
    #[serde(default, deserialize_with = "some_table")]
    pub plan: Option<RawPlan>,
    #[serde(default, deserialize_with = "table")]
    pub demand: RawDemand,
    #[serde(default, deserialize_with = "table")]
    pub response: RawResponse,
    #[serde(default, deserialize_with = "table")]
    pub delay: RawDelay,
    #[serde(default, deserialize_with = "table")]
    pub refunds: RawRefunds,
    #[serde(default, deserialize_with = "table")]
    pub open_profile: RawOpenProfile,
    #[serde(default, deserialize_with = "table")]
    pub addons: RawAddons,
    /// Seats on the subscription (also accepted as `plan.seats`).
    pub seats: Option<u32>,
    #[serde(default, deserialize_with = "some_table")]
    pub follow_ups: Option<RawFollowUps>,
    #[serde(default, deserialize_with = "some_table")]
    pub floor: Option<RawFloor>,
    /// `[[plan_change]]` tables, in any order.
    #[serde(default, deserialize_with = "tables")]
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
    pub warning: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPlanChange {
    pub from_cycle: Option<u32>,
    #[serde(default, deserialize_with = "some_table")]
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

/// What a key that holds a table must be, in the user's words: serde's own
/// message for `plan = ["x"]` was "expected struct RawPlan with 11
/// elements" (a derived struct also accepts an array of its fields).
trait TomlTable {
    /// The key, as written in the file.
    const KEY: &'static str;
    /// What it must be, e.g. "a [demand] table".
    const WHAT: &'static str;
    /// How to write it.
    const EXAMPLE: &'static str;
}

macro_rules! toml_table {
    ($($raw:ty => $key:literal, $what:literal, $example:literal;)*) => {
        $(impl TomlTable for $raw {
            const KEY: &'static str = $key;
            const WHAT: &'static str = $what;
            const EXAMPLE: &'static str = $example;
        })*
    };
}

toml_table! {
    RawPlan => "plan", "a [plan] table",
        "[plan] with id = a plan of `inmail-sim plans` (plan = { id = \"sales_navigator_core\" }) or the keys of an inline plan";
    RawDemand => "demand", "a [demand] table", "demand = { per_workday = 5 }";
    RawResponse => "response", "a [response] table", "response = { rate = \"10% to 25%\" }";
    RawDelay => "delay", "a [delay] table", "delay = { distribution = \"exponential\", mean_days = 3 }";
    RawRefunds => "refunds", "a [refunds] table", "refunds = { window_days = 90 }";
    RawOpenProfile => "open_profile", "an [open_profile] table", "open_profile = { share = 0.2 }";
    RawAddons => "addons", "an [addons] table", "addons = { policy = \"when_empty\" }";
    RawFollowUps => "follow_ups", "a [follow_ups] table", "follow_ups = { after_days = 6 }";
    RawFloor => "floor", "a [floor] table", "floor = { enabled = false }";
    RawPlanChange => "plan_change", "a [[plan_change]] table",
        "[[plan_change]] with from_cycle = 2 and plan = { id = \"premium_career\" } or cancel = true";
}

/// The error for a value of the wrong kind: the key, what it must be, what
/// was found and how to write it. A string given as a plan is most likely a
/// catalog id, so the example uses it.
fn refuse<T: TomlTable, E: de::Error>(found: &str, string: Option<&str>) -> E {
    let example = match string {
        Some(id) if T::KEY == "plan" => format!("plan = {{ id = {id:?} }}"),
        _ => T::EXAMPLE.to_string(),
    };
    E::custom(format!(
        "{} must be {}, not {found}; write {example}",
        T::KEY,
        T::WHAT
    ))
}

/// The refusals of every kind of value but the one a visitor wants.
macro_rules! refuse_scalars {
    ($t:ty) => {
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            let shown = format!("a string ({:?})", super::error::truncated(v, 40));
            Err(refuse::<$t, E>(&shown, Some(v)))
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Err(refuse::<$t, E>(&v.to_string(), None))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Err(refuse::<$t, E>(&format!("a number ({v})"), None))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Err(refuse::<$t, E>(&format!("a number ({v})"), None))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Err(refuse::<$t, E>(&format!("a number ({v})"), None))
        }
    };
}

/// Reads a table into `T`; any other value is refused by [`refuse`].
struct TableVisitor<T>(PhantomData<T>);

impl<'de, T: TomlTable + Deserialize<'de>> Visitor<'de> for TableVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::WHAT)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::deserialize(de::value::MapAccessDeserializer::new(map))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<T, A::Error> {
        Err(refuse::<T, A::Error>("an array", None))
    }

    refuse_scalars!(T);
}

fn table<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: TomlTable + Deserialize<'de>,
{
    d.deserialize_map(TableVisitor(PhantomData))
}

fn some_table<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: TomlTable + Deserialize<'de>,
{
    table(d).map(Some)
}

/// One table of an array of tables, read by [`table`].
struct Each<T>(PhantomData<T>);

impl<'de, T: TomlTable + Deserialize<'de>> de::DeserializeSeed<'de> for Each<T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        table(d)
    }
}

/// An array of tables (`[[plan_change]]`); anything else is refused.
struct ArrayVisitor<T>(PhantomData<T>);

impl<'de, T: TomlTable + Deserialize<'de>> Visitor<'de> for ArrayVisitor<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[[{}]] tables", T::KEY)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut all = Vec::new();
        while let Some(t) = seq.next_element_seed(Each(PhantomData))? {
            all.push(t);
        }
        Ok(all)
    }

    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<Vec<T>, A::Error> {
        Err(refuse::<T, A::Error>(
            "a single table (write [[...]], not [...])",
            None,
        ))
    }

    refuse_scalars!(T);
}

fn tables<'de, D, T>(d: D) -> Result<Option<Vec<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: TomlTable + Deserialize<'de>,
{
    d.deserialize_seq(ArrayVisitor(PhantomData)).map(Some)
}
