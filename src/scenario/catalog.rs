//! The plan catalog: LinkedIn plans with their default credits, cap, expiry,
//! renewal and list prices (credit-rules.md §2). Every number here can be
//! overridden from a scenario's `[plan]` table.

use crate::calendar::Renewal;

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
    /// Where the numbers come from.
    pub source: &'static str,
}

const fn plan(
    id: &'static str,
    name: &'static str,
    credits_cap: (u32, u32),
    expiry_days: Option<u32>,
    renewal: Renewal,
    prices_cents: (i64, i64),
    source: &'static str,
) -> CatalogPlan {
    CatalogPlan {
        id,
        name,
        monthly_credits: credits_cap.0,
        cap: credits_cap.1,
        expiry_days,
        renewal,
        price_monthly_cents: prices_cents.0,
        price_annual_cents: prices_cents.1,
        source,
    }
}

use Renewal::{Anniversary, Calendar};

/// credit-rules.md §2, in its order. Prices are public list prices in USD as
/// reported 2024–2026: defaults, never truths.
pub const CATALOG: &[CatalogPlan] = &[
    plan(
        "free",
        "Free LinkedIn",
        (0, 0),
        None,
        Calendar,
        (0, 0),
        "seed 003",
    ),
    plan(
        "premium_career",
        "Premium Career",
        (5, 15),
        Some(90),
        Anniversary,
        (3999, 1999),
        "Help 75; seeds 003, 004",
    ),
    plan(
        "premium_business",
        "Premium Business",
        (15, 45),
        Some(90),
        Anniversary,
        (5999, 4799),
        "Help 75; seed 004",
    ),
    plan(
        "sales_navigator_core",
        "Sales Navigator Core",
        (50, 150),
        Some(90),
        Calendar,
        (11999, 8999),
        "Help 57013; seeds 000, 001",
    ),
    plan(
        "sales_navigator_advanced",
        "Sales Navigator Advanced",
        (50, 150),
        Some(90),
        Calendar,
        (15999, 13999),
        "Help 57013; seed 001",
    ),
    plan(
        "sales_navigator_advanced_plus",
        "Sales Navigator Advanced Plus",
        (50, 150),
        Some(90),
        Calendar,
        (13333, 13333),
        "Help 57013; seed 001 (about 1,600 a year)",
    ),
    plan(
        "recruiter_lite",
        "Recruiter Lite",
        (30, 120),
        None,
        Anniversary,
        (16999, 14000),
        "Help 412114, 414347",
    ),
    plan(
        "recruiter_professional_services",
        "Recruiter Professional Services",
        (100, 400),
        None,
        Anniversary,
        (90000, 90000),
        "Help 412114, 414347 (custom price)",
    ),
    plan(
        "recruiter_corporate",
        "Recruiter Corporate",
        (150, 600),
        None,
        Anniversary,
        (90000, 90000),
        "Help 412114, 414347 (custom price)",
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

    #[test]
    fn unknown_ids_are_not_found() {
        assert!(find("sales_navigator_core").is_some());
        assert!(find("sales_navigator").is_none());
        assert!(known_ids().contains("recruiter_lite"));
    }
}
