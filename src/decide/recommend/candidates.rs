//! The candidates of `recommend` and how each is written into the
//! scenario: the catalog plans (or those named) × billing (monthly and
//! annual, once when the two prices are the same; annual only over whole
//! years) × add-on policy × seats.
//!
//! Add-on policies other than `never` are candidates only on plans that
//! sell add-ons today (none does: `scenario::catalog`), unless
//! `--what-if-addons`; a what-if candidate is marked so in every output.
//! The team's volume is the scenario's, as `run` reads it: the demand
//! times the file's seats (each seat has the file's demand). With `k`
//! seats each seat gets 1/k of it (a pooled team's pool gets all of it),
//! so seats are a way to split the same volume, not to multiply it. The
//! scenario's own `[plan]`, `[[plan_change]]` and `seats` are replaced;
//! its add-on price and expiry are kept. One exception: the candidates of
//! the scenario's own catalog plan keep what its `[plan]` sets (a
//! negotiated price, say, for a Recruiter contract whose catalog price is
//! a placeholder), billing and seats apart, so the user's terms are not
//! silently swapped for the catalog's. A plan the scenario defines
//! inline (a legacy plan, say) is not in the catalog, but it is the plan
//! the user has: it is a candidate too (`inline_plan`), with every value
//! its `[plan]` sets, so that "stay" is weighed against "switch".

use crate::error::UserError;
use crate::scenario::catalog::{self, CatalogPlan};
use crate::scenario::{self, Billing, Overrides, Scenario, ScenarioError};
use anyhow::Context;
use std::path::Path;
use toml::{Table, Value};

/// An add-on purchase policy (credit-rules §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    Never,
    /// Buy one credit when empty, at most `max` a month (`None`: no limit).
    WhenEmpty {
        max: Option<u32>,
    },
    /// Buy `per_month` credits every renewal day.
    Monthly {
        per_month: u32,
    },
    /// The scenario's own `[addons]`, as written: the add-ons the user
    /// buys on their own inline plan (`inline_plan`), which are not a
    /// what-if but what they do today.
    Own,
}

/// The add-on policies tried on a plan that sells add-ons (or with
/// `--what-if-addons`).
pub const POLICIES: [Policy; 6] = [
    Policy::Never,
    Policy::WhenEmpty { max: None },
    Policy::WhenEmpty { max: Some(10) },
    Policy::WhenEmpty { max: Some(25) },
    Policy::Monthly { per_month: 10 },
    Policy::Monthly { per_month: 25 },
];

impl Policy {
    pub fn words(self) -> String {
        match self {
            Policy::Never => "no add-ons".to_string(),
            Policy::WhenEmpty { max: None } => "add-ons when empty".to_string(),
            Policy::WhenEmpty { max: Some(m) } => {
                format!("add-ons when empty, at most {m} a month")
            }
            Policy::Monthly { per_month } => format!("{per_month} add-ons every month"),
            Policy::Own => "add-ons as your scenario buys them".to_string(),
        }
    }

    fn key(self) -> String {
        match self {
            Policy::Never => "never".to_string(),
            Policy::WhenEmpty { max: None } => "when_empty".to_string(),
            Policy::WhenEmpty { max: Some(m) } => format!("when_empty_max{m}"),
            Policy::Monthly { per_month } => format!("monthly{per_month}"),
            Policy::Own => "own".to_string(),
        }
    }
}

/// One candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub plan: &'static CatalogPlan,
    pub billing: Billing,
    pub policy: Policy,
    pub seats: u32,
    /// Buys add-ons on a plan that does not sell them today.
    pub what_if: bool,
    /// The scenario's own plan, with the values its `[plan]` sets.
    pub own: bool,
    /// ... and at a price of its own, not the catalog's.
    pub own_price: bool,
    /// The scenario's own plan, whose `[plan]` pools seats that the plan
    /// does not pool as sold (a what-if, as `run` says; an independent
    /// check found 4 pooled Core seats recommended where 4 real ones run
    /// out 9% of months, not 1%).
    pub pooled_what_if: bool,
}

impl Candidate {
    /// A short id: `plan/billing/policy/seats`.
    pub fn id(&self) -> String {
        let billing = match self.billing {
            Billing::Monthly => "monthly",
            Billing::Annual => "annual",
        };
        format!(
            "{}/{billing}/{}/{}",
            self.plan.id,
            self.policy.key(),
            self.seats
        )
    }

    /// In words: "Sales Navigator Core, billed monthly, no add-ons, 1 seat".
    pub fn words(&self) -> String {
        let billing = match self.billing {
            Billing::Monthly => "billed monthly",
            Billing::Annual => "billed annually",
        };
        let seats = if self.seats == 1 {
            "1 seat".to_string()
        } else {
            format!("{} seats", self.seats)
        };
        let what_if = match (self.what_if, self.plan.id == INLINE_ID) {
            (false, _) => "",
            (true, false) => " (what-if: not sold today)",
            (true, true) => " (what-if: add-ons on your own plan)",
        };
        let pooled = if self.pooled_what_if {
            " (what-if: seats pooled)"
        } else {
            ""
        };
        let own = if self.own {
            " as your scenario sets it"
        } else {
            ""
        };
        // With several seats an add-on policy is each seat's, or the pool's
        // (docs/model.md, "Seats"): "10 every month" would read the same
        // for $800 and $100.
        let whose = match (self.seats, self.policy, self.plan.pooled) {
            (1, _, _) | (_, Policy::Never, _) => "",
            (_, _, true) => " for the pool",
            (_, _, false) => " per seat",
        };
        format!(
            "{}{own}, {billing}, {}{whose}{what_if}, {seats}{pooled}",
            self.plan.name,
            self.policy.words()
        )
    }
}

/// The scenario's own catalog plan when its `[plan]` sets more than the
/// id, billing and seats, with its prices as the scenario reads them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnPlan {
    pub id: String,
    pub monthly_cents: i64,
    pub annual_cents: i64,
}

/// The keys of a scenario's `[plan]` that a candidate of the same plan
/// does not keep: the candidate sets them.
const CANDIDATE_KEYS: [&str; 3] = ["id", "billing", "seats"];

/// The scenario's own plan (`OwnPlan`), if any: `table` is the file's,
/// `base` the scenario read from it.
pub fn own_plan(table: &Table, base: &Scenario) -> Option<OwnPlan> {
    let plan = table.get("plan")?.as_table()?;
    let id = plan.get("id")?.as_str()?;
    let sets_terms = plan.keys().any(|k| !CANDIDATE_KEYS.contains(&k.as_str()));
    (sets_terms && catalog::find(id).is_some()).then(|| OwnPlan {
        id: id.to_string(),
        monthly_cents: base.plan.price_monthly_cents,
        annual_cents: base.plan.price_annual_cents,
    })
}

/// The id `--plans` and the outputs give the scenario's inline plan.
pub const INLINE_ID: &str = "inline";

/// The scenario's inline plan as a catalog entry, when its `[plan]` has no
/// `id`. Made once per command and kept for its lifetime (leaked: the
/// candidates refer to catalog entries as `&'static`).
pub fn inline_plan(base: &Scenario) -> Option<&'static CatalogPlan> {
    let p = &base.plan;
    if p.id != INLINE_ID {
        return None;
    }
    const YOURS: catalog::Source = catalog::Source {
        text: "your scenario's [plan]",
        as_of: "",
    };
    let plan = CatalogPlan {
        id: INLINE_ID,
        name: Box::leak(p.name.clone().into_boxed_str()),
        monthly_credits: p.monthly_credits,
        cap: p.cap,
        expiry_days: p.expiry_days,
        renewal: p.renewal,
        price_monthly_cents: p.price_monthly_cents,
        price_annual_cents: p.price_annual_cents,
        source: YOURS,
        price_source: YOURS,
        addons: catalog::AddonSale::NotSold {
            why: "your scenario's own plan is not in the catalog: whether it sells add-on \
                  credits is not known",
        },
        addons_source: YOURS,
        pooled: base.seats.pooled,
        pooled_source: YOURS,
    };
    Some(Box::leak(Box::new(plan)))
}

/// What the command line chose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// `--plans`; empty: every catalog plan but `free` (unless some
    /// recipients have an Open Profile).
    pub plans: Vec<String>,
    pub seats: (u32, u32),
    pub what_if_addons: bool,
    pub own: Option<OwnPlan>,
    /// The scenario's inline plan (`inline_plan`), if it has one.
    pub inline: Option<&'static CatalogPlan>,
    /// Whether the scenario's `[plan]` pools its seats (`pooled = true`, or a
    /// plan that pools): kept by the candidates of its own plan.
    pub pooled: bool,
    /// Whether the scenario buys add-ons (its `[addons]` policy is not
    /// `never`): its inline plan is then also a candidate with them.
    pub buys_addons: bool,
    /// The horizon: annual billing is a candidate only over whole years.
    pub months: u32,
    /// Whether some recipients have an Open Profile (`open_profile.share`
    /// above 0): the `free` plan sends to them free (Help 1451572), so it is
    /// a candidate then, at $0 (an independent check found a scenario of
    /// Open Profiles only told to buy Premium Career).
    pub open_profiles: bool,
}

/// Annual billing commits to a year, paid whatever the horizon; the model
/// charges its price per month (credit-rules §2, §8.10), so over a horizon
/// that is not whole years it would look cheaper than it is (two months
/// "at $47.99" cost $575.88). It is a candidate only over whole years.
pub fn annual_is_a_candidate(months: u32) -> bool {
    months % 12 == 0
}

/// Reads `--seats K` or `--seats LO..HI`.
pub fn parse_seats(text: &str) -> Result<(u32, u32), UserError> {
    let bad = || {
        UserError(format!(
            "--seats {text}: expected a number of seats or a range LO..HI, from 1 to 50"
        ))
    };
    let (lo, hi) = match text.split_once("..") {
        Some((a, b)) => (
            a.trim().parse().map_err(|_| bad())?,
            b.trim().parse().map_err(|_| bad())?,
        ),
        None => {
            let k: u32 = text.trim().parse().map_err(|_| bad())?;
            (k, k)
        }
    };
    if lo < 1 || hi < lo || hi > 50 {
        return Err(bad());
    }
    Ok((lo, hi))
}

/// Every candidate of `choice`, in catalog order, then billing, policy and
/// seats.
pub fn list(choice: &Choice) -> Result<Vec<Candidate>, UserError> {
    let mut plans: Vec<&'static CatalogPlan> = Vec::new();
    let find = |id: &str| match choice.inline {
        Some(inline) if id == INLINE_ID => Some(inline),
        _ => catalog::find(id),
    };
    for id in &choice.plans {
        if id.trim() == INLINE_ID && choice.inline.is_none() {
            return Err(UserError(format!(
                "--plans {}: {INLINE_ID} names the scenario's own plan when its [plan] is \
                 defined inline (without an id); this scenario's plan is a catalog plan: name \
                 it by its id (known plans: {})",
                choice.plans.join(","),
                catalog::known_ids()
            )));
        }
        let plan = find(id.trim()).ok_or_else(|| {
            let inline = match choice.inline {
                Some(_) => format!(", and {INLINE_ID} (the scenario's own plan)"),
                None => String::new(),
            };
            UserError(format!(
                "--plans {}: unknown plan {}; known plans: {}{inline}",
                choice.plans.join(","),
                crate::safe_text::quoted(id),
                catalog::known_ids()
            ))
        })?;
        if !plans.contains(&plan) {
            plans.push(plan);
        }
    }
    if choice.plans.is_empty() {
        // The user's own inline plan first: on a tie, staying is listed
        // before switching.
        plans = choice.inline.into_iter().collect();
        plans.extend(
            catalog::CATALOG
                .iter()
                .filter(|p| p.id != "free" || choice.open_profiles),
        );
    }
    let mut out = Vec::new();
    for plan in plans {
        if plan.id == INLINE_ID {
            let prices = (plan.price_monthly_cents, plan.price_annual_cents);
            out.extend(of_plan(choice, plan, prices, true, true));
            continue;
        }
        let own = choice.own.as_ref().filter(|o| o.id == plan.id);
        let (monthly, annual) = own
            .map_or((plan.price_monthly_cents, plan.price_annual_cents), |o| {
                (o.monthly_cents, o.annual_cents)
            });
        let own_price = own.is_some()
            && (monthly, annual) != (plan.price_monthly_cents, plan.price_annual_cents);
        out.extend(of_plan(
            choice,
            plan,
            (monthly, annual),
            own.is_some(),
            own_price,
        ));
    }
    Ok(out)
}

/// The candidates of one plan billed at `(monthly, annual)` cents: its
/// billings × the add-on policies × seats.
fn of_plan(
    choice: &Choice,
    plan: &'static CatalogPlan,
    (monthly, annual): (i64, i64),
    own: bool,
    own_price: bool,
) -> impl Iterator<Item = Candidate> {
    let billings: &[Billing] = if annual == monthly || !annual_is_a_candidate(choice.months) {
        &[Billing::Monthly]
    } else {
        &[Billing::Monthly, Billing::Annual]
    };
    let mut policies: Vec<Policy> = if plan.sells_addons() || choice.what_if_addons {
        POLICIES.to_vec()
    } else {
        POLICIES[..1].to_vec()
    };
    // The user's own plan with the add-ons they buy on it today.
    if plan.id == INLINE_ID && choice.buys_addons {
        policies.insert(1, Policy::Own);
    }
    let seats = choice.seats.0..=choice.seats.1;
    let choice_pools = choice.pooled;
    billings.iter().flat_map(move |&billing| {
        let seats = seats.clone();
        let policies = policies.clone();
        policies.into_iter().flat_map(move |policy| {
            seats.clone().map(move |seats| Candidate {
                pooled_what_if: own
                    && choice_pools
                    && !plan.pooled
                    && plan.id != INLINE_ID
                    && seats > 1,
                plan,
                billing,
                policy,
                seats,
                what_if: !matches!(policy, Policy::Never | Policy::Own) && !plan.sells_addons(),
                own,
                own_price,
            })
        })
    })
}

/// The scenario's TOML with the candidate written in (module docs).
pub fn text(table: &Table, seed: Option<u64>, c: &Candidate) -> String {
    let mut t = table.clone();
    let team = file_seats(&t);
    t.remove("plan_change");
    t.remove("seats");
    let mut plan = match (c.own, t.get("plan")) {
        (true, Some(Value::Table(own))) => own.clone(),
        _ => Table::new(),
    };
    plan.retain(|k, _| !CANDIDATE_KEYS.contains(&AsRef::<str>::as_ref(k)));
    if c.plan.id != INLINE_ID {
        plan.insert("id".into(), Value::String(c.plan.id.into()));
    }
    let billing = if c.billing == Billing::Annual {
        "annual"
    } else {
        "monthly"
    };
    plan.insert("billing".into(), Value::String(billing.into()));
    t.insert("plan".into(), Value::Table(plan));
    t.insert("seats".into(), Value::Integer(i64::from(c.seats)));
    let mut addons = match t.remove("addons") {
        Some(Value::Table(a)) => a,
        _ => Table::new(),
    };
    if c.policy != Policy::Own {
        addons.retain(|k, _| k == "price" || k == "expiry_days");
    }
    let policy = match c.policy {
        Policy::Own => "",
        Policy::Never => "never",
        Policy::WhenEmpty { max } => {
            if let Some(m) = max {
                addons.insert("max_per_month".into(), Value::Integer(i64::from(m)));
            }
            "when_empty"
        }
        Policy::Monthly { per_month } => {
            addons.insert("per_month".into(), Value::Integer(i64::from(per_month)));
            "monthly"
        }
    };
    if c.policy != Policy::Own {
        addons.insert("policy".into(), Value::String(policy.into()));
    }
    t.insert("addons".into(), Value::Table(addons));
    if c.seats != team {
        if let Some(Value::Table(demand)) = t.get_mut("demand") {
            for key in ["per_workday", "per_week", "per_cycle"] {
                if let Some(v) = demand
                    .get(key)
                    .and_then(|v| v.as_float().or_else(|| v.as_integer().map(|i| i as f64)))
                {
                    let each = v * f64::from(team) / f64::from(c.seats);
                    demand.insert(key.into(), Value::Float(each));
                }
            }
        }
    }
    let rest = toml::to_string(&t).unwrap_or_default();
    match seed {
        Some(seed) => format!("seed = {seed}\n{rest}"),
        None => rest,
    }
}

/// The file's seats (`seats` or `plan.seats`, else 1): each has the
/// file's demand, so the team's volume is the demand times the seats, as
/// `run` reads the file (docs/model.md, "Seats"). A value the scenario's
/// validation would refuse is left to it (read as 1 here).
fn file_seats(t: &Table) -> u32 {
    let plan_seats = t
        .get("plan")
        .and_then(Value::as_table)
        .and_then(|p| p.get("seats"));
    t.get("seats")
        .or(plan_seats)
        .and_then(Value::as_integer)
        .and_then(|n| u32::try_from(n).ok())
        .filter(|&n| n >= 1)
        .unwrap_or(1)
}

/// The candidate's scenario, validated.
pub fn scenario(
    source_text: &str,
    path: &Path,
    overrides: &Overrides,
    c: &Candidate,
) -> anyhow::Result<Scenario> {
    let (seed, table) = scenario::table_and_seed(source_text).map_err(|e| ScenarioError {
        file: path.to_path_buf(),
        problem: scenario::Problem::Syntax(e.to_string()),
    })?;
    let text = text(&table, seed, c);
    scenario::parse(&text, path, overrides)
        .with_context(|| format!("recommend candidate {}", c.id()))
}
