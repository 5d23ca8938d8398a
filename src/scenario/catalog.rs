//! The plan catalog: LinkedIn plans with their default credits, cap, expiry,
//! renewal and list prices (credit-rules.md §2), and what can really be
//! bought with each today: whether add-on credits are sold (Help 57013,
//! 703536) and whether seats pool their credits (Help 414347), every value
//! with its source and as-of date. Every number here can be overridden from
//! a scenario's `[plan]` table; what is sold is a fact about LinkedIn, so a
//! scenario that buys add-ons on a plan that sells none is run as a what-if
//! and every output says so ([`addon_what_if`]).

use crate::calendar::Renewal;

/// Where a value comes from and when the source last said it: `as_of` is
/// `YYYY` or `YYYY-MM`, the latest date the sources collected for
/// credit-rules.md (2024–2026) are known to state the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Source {
    pub text: &'static str,
    pub as_of: &'static str,
}

/// The price source of a plan sold at a negotiated price: its catalog
/// price only stands in for the user's quote.
const PLACEHOLDER_PRICE: &str = "custom price; a placeholder";

const fn src(text: &'static str, as_of: &'static str) -> Source {
    Source { text, as_of }
}

/// Whether add-on InMail credits can be bought on a plan today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddonSale {
    /// Sold; `limit`: the most credits a month, when a source gives one.
    Sold { limit: Option<u32> },
    /// Not sold today; `why` in a few words, with the Help answer.
    NotSold { why: &'static str },
}

/// One catalog entry. Prices are in cents so that costs add up exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CatalogPlan {
    pub id: &'static str,
    pub name: &'static str,
    pub monthly_credits: u32,
    pub cap: u32,
    /// `None`: credits never expire by age; only the cap trims them.
    pub expiry_days: Option<u32>,
    pub renewal: Renewal,
    pub price_monthly_cents: i64,
    /// Annual billing, charged per month.
    pub price_annual_cents: i64,
    /// Where the credits, cap, expiry and renewal come from.
    pub source: Source,
    /// Where the prices come from.
    pub price_source: Source,
    pub addons: AddonSale,
    pub addons_source: Source,
    /// Seats share one ledger by default (`plan.pooled` overrides it).
    pub pooled: bool,
    pub pooled_source: Source,
}

impl CatalogPlan {
    /// The product family, from the id: LinkedIn sells each for its own
    /// job — Sales Navigator for selling (Help 57013), Recruiter for hiring
    /// (Help 412114), Premium for members (Help 75) — so a decision that
    /// crosses families is worth a caveat (`recommend`).
    pub fn family(&self) -> &'static str {
        if self.id.starts_with("sales_navigator") {
            "Sales Navigator"
        } else if self.id.starts_with("recruiter") {
            "Recruiter"
        } else if self.id.starts_with("premium") {
            "Premium"
        } else {
            "free"
        }
    }

    /// The catalog's price stands in for a negotiated one (Recruiter
    /// contracts).
    pub fn price_is_placeholder(&self) -> bool {
        self.price_source.text == PLACEHOLDER_PRICE
    }

    pub fn sells_addons(&self) -> bool {
        matches!(self.addons, AddonSale::Sold { .. })
    }

    /// "no (Help 57013: ...)" or "yes, up to N a month", for tables.
    pub fn addons_words(&self) -> String {
        match self.addons {
            AddonSale::Sold { limit: None } => "yes".to_string(),
            AddonSale::Sold { limit: Some(n) } => format!("yes, up to {n} a month"),
            AddonSale::NotSold { .. } => "no".to_string(),
        }
    }
}

/// The credit terms of a plan, as §2's table gives them.
struct Terms {
    credits_cap: (u32, u32),
    expiry_days: Option<u32>,
    renewal: Renewal,
    prices_cents: (i64, i64),
    source: Source,
}

/// What can be bought, and how seats share credits.
struct Sale {
    price_source: Source,
    addons: AddonSale,
    addons_source: Source,
    pooled: bool,
    pooled_source: Source,
}

const fn plan(id: &'static str, name: &'static str, t: Terms, s: Sale) -> CatalogPlan {
    CatalogPlan {
        id,
        name,
        monthly_credits: t.credits_cap.0,
        cap: t.credits_cap.1,
        expiry_days: t.expiry_days,
        renewal: t.renewal,
        price_monthly_cents: t.prices_cents.0,
        price_annual_cents: t.prices_cents.1,
        source: t.source,
        price_source: s.price_source,
        addons: s.addons,
        addons_source: s.addons_source,
        pooled: s.pooled,
        pooled_source: s.pooled_source,
    }
}

use Renewal::{Anniversary, Calendar};

/// Public list prices in USD as reported 2024–2026 (seeds 002–004):
/// defaults, never truths.
const LIST_PRICES: Source = src("public list prices, seeds 002-004", "2026-04");
const ONE_LEDGER_PER_SEAT: Source = src("one ledger per member (Help 75, 57013)", "2026");
const SALES_NAVIGATOR_SELLS_NONE: AddonSale = AddonSale::NotSold {
    why: "Sales Navigator sells no add-on credits today (Help 57013)",
};
const HELP_57013: Source = src(
    "Help 57013: \"At this time, you can't purchase additional InMail credits\" (seed 001)",
    "2026",
);
/// Help 703536 tells Premium members who run out to upgrade and mentions
/// no purchase; a legacy Help text let legacy Premium plans buy "a limited
/// number".
const PREMIUM_SELLS_NONE: AddonSale = AddonSale::NotSold {
    why: "Premium sells no add-on credits today (Help 703536: upgrade instead; only legacy Premium plans could buy a limited number)",
};
const HELP_703536: Source = src(
    "Help 703536 (upgrade when out; no purchase); legacy Help text: legacy Premium plans could buy a limited number",
    "2026",
);
const RECRUITER_SELLS_NONE: AddonSale = AddonSale::NotSold {
    why: "Recruiter sells no add-on credits today (legacy Help text: not available to Recruiter account holders)",
};
const LEGACY_HELP: Source = src(
    "legacy Help text: purchases \"are not available to Sales Navigator and Recruiter account holders\"",
    "2026",
);
/// credit-rules.md §2, in its order.
pub const CATALOG: &[CatalogPlan] = &[
    plan(
        "free",
        "Free LinkedIn",
        Terms {
            credits_cap: (0, 0),
            expiry_days: None,
            renewal: Calendar,
            prices_cents: (0, 0),
            source: src("seed 003", "2025"),
        },
        Sale {
            price_source: src("free plan: no price", "2026"),
            addons: AddonSale::NotSold {
                why: "a free account sends no InMails (seed 003)",
            },
            addons_source: src("seed 003", "2025"),
            pooled: false,
            pooled_source: ONE_LEDGER_PER_SEAT,
        },
    ),
    plan(
        "premium_career",
        "Premium Career",
        Terms {
            credits_cap: (5, 15),
            expiry_days: Some(90),
            renewal: Anniversary,
            prices_cents: (3999, 1999),
            source: src("Help 75; seeds 003, 004", "2026-04"),
        },
        Sale {
            price_source: LIST_PRICES,
            addons: PREMIUM_SELLS_NONE,
            addons_source: HELP_703536,
            pooled: false,
            pooled_source: ONE_LEDGER_PER_SEAT,
        },
    ),
    plan(
        "premium_business",
        "Premium Business",
        Terms {
            credits_cap: (15, 45),
            expiry_days: Some(90),
            renewal: Anniversary,
            prices_cents: (5999, 4799),
            source: src("Help 75; seed 004", "2026-04"),
        },
        Sale {
            price_source: LIST_PRICES,
            addons: PREMIUM_SELLS_NONE,
            addons_source: HELP_703536,
            pooled: false,
            pooled_source: ONE_LEDGER_PER_SEAT,
        },
    ),
    plan(
        "sales_navigator_core",
        "Sales Navigator Core",
        Terms {
            credits_cap: (50, 150),
            expiry_days: Some(90),
            renewal: Calendar,
            prices_cents: (11999, 8999),
            source: src("Help 57013; seeds 000, 001", "2026"),
        },
        Sale {
            price_source: LIST_PRICES,
            addons: SALES_NAVIGATOR_SELLS_NONE,
            addons_source: HELP_57013,
            pooled: false,
            pooled_source: ONE_LEDGER_PER_SEAT,
        },
    ),
    plan(
        "sales_navigator_advanced",
        "Sales Navigator Advanced",
        Terms {
            credits_cap: (50, 150),
            expiry_days: Some(90),
            renewal: Calendar,
            prices_cents: (15999, 13999),
            source: src("Help 57013; seed 001", "2026"),
        },
        Sale {
            price_source: LIST_PRICES,
            addons: SALES_NAVIGATOR_SELLS_NONE,
            addons_source: HELP_57013,
            pooled: false,
            pooled_source: ONE_LEDGER_PER_SEAT,
        },
    ),
    plan(
        "sales_navigator_advanced_plus",
        "Sales Navigator Advanced Plus",
        Terms {
            credits_cap: (50, 150),
            expiry_days: Some(90),
            renewal: Calendar,
            prices_cents: (13333, 13333),
            source: src("Help 57013; seed 001", "2026"),
        },
        Sale {
            price_source: src("seed 001: about 1,600 a year", "2026"),
            addons: SALES_NAVIGATOR_SELLS_NONE,
            addons_source: HELP_57013,
            pooled: false,
            pooled_source: ONE_LEDGER_PER_SEAT,
        },
    ),
    plan(
        "recruiter_lite",
        "Recruiter Lite",
        Terms {
            credits_cap: (30, 120),
            expiry_days: None,
            renewal: Anniversary,
            prices_cents: (16999, 14000),
            source: src("Help 412114, 414347", "2026"),
        },
        Sale {
            price_source: LIST_PRICES,
            addons: RECRUITER_SELLS_NONE,
            addons_source: LEGACY_HELP,
            pooled: false,
            pooled_source: src(
                "Help 414347 pools Recruiter contracts; Recruiter Lite is a one-person seat",
                "2026",
            ),
        },
    ),
    plan(
        "recruiter_professional_services",
        "Recruiter Professional Services",
        Terms {
            credits_cap: (100, 400),
            expiry_days: None,
            renewal: Anniversary,
            prices_cents: (90000, 90000),
            source: src("Help 412114, 414347", "2026"),
        },
        Sale {
            price_source: src(PLACEHOLDER_PRICE, "2026"),
            addons: RECRUITER_SELLS_NONE,
            addons_source: LEGACY_HELP,
            pooled: true,
            pooled_source: src("Help 414347: a contract's seats share its credits", "2026"),
        },
    ),
    plan(
        "recruiter_corporate",
        "Recruiter Corporate",
        Terms {
            credits_cap: (150, 600),
            expiry_days: None,
            renewal: Anniversary,
            prices_cents: (90000, 90000),
            source: src("Help 412114, 414347", "2026"),
        },
        Sale {
            price_source: src(PLACEHOLDER_PRICE, "2026"),
            addons: RECRUITER_SELLS_NONE,
            addons_source: LEGACY_HELP,
            pooled: true,
            pooled_source: src("Help 414347: a contract's seats share its credits", "2026"),
        },
    ),
];

pub fn find(id: &str) -> Option<&'static CatalogPlan> {
    CATALOG.iter().find(|p| p.id == id)
}

/// The known ids, comma-separated, for error messages.
pub fn known_ids() -> String {
    CATALOG.iter().map(|p| p.id).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_caps_are_whole_multiples_of_the_grant() {
        for (i, p) in CATALOG.iter().enumerate() {
            assert!(CATALOG[i + 1..].iter().all(|q| q.id != p.id), "{}", p.id);
            if let Some(multiple) = p.cap.checked_div(p.monthly_credits) {
                assert!(multiple == 3 || multiple == 4, "{}", p.id);
                assert_eq!(p.cap % p.monthly_credits, 0, "{}", p.id);
            }
        }
    }

    #[test]
    fn recruiter_credits_never_expire_and_others_last_ninety_days() {
        for p in CATALOG.iter().filter(|p| p.monthly_credits > 0) {
            let recruiter = p.id.starts_with("recruiter");
            assert_eq!(p.expiry_days.is_none(), recruiter, "{}", p.id);
            assert_eq!(p.cap / p.monthly_credits == 4, recruiter, "{}", p.id);
        }
    }

    /// `YYYY` or `YYYY-MM`, in 2024–2026 (the sources collected for §2).
    fn is_as_of(date: &str) -> bool {
        let (year, month) = date.split_once('-').unwrap_or((date, "01"));
        let year_ok = year.len() == 4 && (2024..=2026).contains(&year.parse::<u32>().unwrap_or(0));
        let month_ok = month.len() == 2 && (1..=12).contains(&month.parse::<u32>().unwrap_or(0));
        year_ok && month_ok
    }

    #[test]
    fn every_plan_says_where_each_value_comes_from_and_as_of_when() {
        assert!(is_as_of("2026-04") && is_as_of("2025"));
        assert!(!is_as_of("") && !is_as_of("2026-13") && !is_as_of("26-04"));
        for p in CATALOG {
            for (what, s) in [
                ("terms", p.source),
                ("prices", p.price_source),
                ("add-ons", p.addons_source),
                ("pooling", p.pooled_source),
            ] {
                assert!(!s.text.trim().is_empty(), "{} {what}: no source", p.id);
                assert!(is_as_of(s.as_of), "{} {what}: as of {:?}", p.id, s.as_of);
            }
            if let AddonSale::NotSold { why } = p.addons {
                assert!(
                    why.contains("(Help ")
                        || why.contains("(seed ")
                        || why.contains("(legacy Help"),
                    "{}: {why}",
                    p.id
                );
            }
        }
    }

    #[test]
    fn no_plan_sells_add_ons_today_and_only_recruiter_contracts_pool() {
        // Help 57013 (Sales Navigator), 703536 (Premium), the legacy Help
        // text (Recruiter); Help 414347 pools contracts, not Lite.
        for p in CATALOG {
            assert!(!p.sells_addons(), "{}", p.id);
            let contract = p.id.starts_with("recruiter") && p.id != "recruiter_lite";
            assert_eq!(p.pooled, contract, "{}", p.id);
        }
        assert!(!find("recruiter_lite").unwrap().pooled);
    }

    #[test]
    fn recruiter_lite_runs_unpooled_by_default_and_recruiter_contracts_pooled() {
        let seats = |id: &str, extra: &str| {
            let text =
                format!("seats = 3\n[plan]\nid = \"{id}\"\n{extra}[demand]\nper_workday = 1\n");
            crate::scenario::parse(&text, std::path::Path::new("t.toml"), &Default::default())
                .unwrap()
                .seats
        };
        assert!(!seats("recruiter_lite", "").pooled);
        assert!(seats("recruiter_lite", "pooled = true\n").pooled);
        assert!(seats("recruiter_corporate", "").pooled);
        assert!(seats("recruiter_professional_services", "").pooled);
        assert!(!seats("sales_navigator_core", "").pooled);
    }

    #[test]
    fn unknown_ids_are_not_found() {
        assert!(find("sales_navigator_core").is_some());
        assert!(find("sales_navigator").is_none());
        assert!(known_ids().contains("recruiter_lite"));
    }
}
