//! What each option of a compare set assumes, in words, side by side: the
//! plan, its price and billing, the volume, the reply rate, the add-on
//! policy and price. The terminal and report.html show the same rows, so
//! a forwarded page says what was compared without the files.

use super::{CompareSet, label};
use crate::compare::summary::dollars;
use crate::numbers::significant;
use crate::sampling::rate::RateSpec;
use crate::scenario::{AddonPolicy, Billing, Redraw, Scenario, Volume};

/// Average workdays in a month (261 a year over 12) and weeks in a month
/// (365.25 / 7 / 12), to say a volume per month.
pub const WORKDAYS_PER_MONTH: f64 = 261.0 / 12.0;
pub const WEEKS_PER_MONTH: f64 = 365.25 / 7.0 / 12.0;

/// The rows: a heading and one cell per option, in option order.
pub fn rows(set: &CompareSet) -> Vec<(String, Vec<String>)> {
    let each = |f: &dyn Fn(&Scenario) -> String| set.scenarios.iter().map(f).collect::<Vec<_>>();
    let mut rows = vec![
        (
            "option".to_string(),
            (0..set.scenarios.len())
                .map(|i| format!("{} {}", label(i), set.scenarios[i].name))
                .collect(),
        ),
        ("plan".to_string(), each(&plan)),
        ("price and billing".to_string(), each(&price)),
        ("volume".to_string(), each(&volume)),
        (
            "reply rate".to_string(),
            each(&|sc| rate(&sc.response.spec, sc.response.redraw)),
        ),
        ("add-ons".to_string(), each(&addons)),
        ("add-on price".to_string(), each(&addon_price)),
    ];
    if set.scenarios.iter().any(|sc| sc.open_profile.share > 0.0) {
        let share = |sc: &Scenario| format!("{} of recipients", percent(sc.open_profile.share));
        rows.push(("Open Profile (free)".to_string(), each(&share)));
    }
    if set.scenarios.iter().any(|sc| !sc.plan_changes.is_empty()) {
        // Each change as `run` names it ("from Jun 2026 (month 4): …"), so
        // a forwarded page says what the option switches to and when.
        let changes = |sc: &Scenario| match sc.plan_changes.len() {
            0 => "none".to_string(),
            _ => sc.plan_change_lines().join("; "),
        };
        rows.push(("plan changes".to_string(), each(&changes)));
    }
    let files = set
        .sources
        .iter()
        .map(|s| s.path.display().to_string())
        .collect();
    rows.push(("file".to_string(), files));
    rows
}

/// An option in a sentence: "Premium Business + add-ons", with the
/// scenario name added when two options would read the same.
pub fn option_words(set: &CompareSet, i: usize) -> String {
    let short = |sc: &Scenario| {
        let mut words = sc.plan.name.clone();
        if sc.addons.policy != AddonPolicy::Never {
            words.push_str(" + add-ons");
        }
        words
    };
    let mine = short(&set.scenarios[i]);
    let same = set.scenarios.iter().filter(|sc| short(sc) == mine).count();
    match same {
        1 => format!("{} ({mine})", label(i)),
        _ => format!("{} ({mine}, {})", label(i), set.scenarios[i].name),
    }
}

fn percent(share: f64) -> String {
    format!("{}%", significant(100.0 * share))
}

fn plan(sc: &Scenario) -> String {
    let p = &sc.plan;
    let expiry = p
        .expiry_days
        .map_or("never expire".to_string(), |d| format!("last {d} days"));
    // Pooling changes how often a team runs out (one balance against one
    // each), so it is said beside the seats.
    let seats = match (sc.seats.count, sc.seats.pooled) {
        (1, _) => String::new(),
        (n, true) => format!(", {n} seats sharing one pooled balance"),
        (n, false) => format!(", {n} seats, each with its own balance"),
    };
    format!(
        "{} ({} credits a month, cap {}, credits {expiry}{seats})",
        p.name, p.monthly_credits, p.cap
    )
}

fn price(sc: &Scenario) -> String {
    let billing = match sc.billing {
        Billing::Monthly => "billed monthly",
        Billing::Annual => "billed annually",
    };
    let each = sc.plan.cycle_price_cents(sc.billing);
    match sc.seats.count {
        1 => format!("{} a month, {billing}", dollars(each as f64)),
        n => format!(
            "{} a month per seat ({} for the {n} seats), {billing}",
            dollars(each as f64),
            dollars((each * i64::from(n)) as f64)
        ),
    }
}

fn volume(sc: &Scenario) -> String {
    let d = &sc.demand;
    let days = if d.weekends { "day" } else { "workday" };
    let per_month = match d.volume {
        Volume::PerWorkday(x) if d.weekends => x * 365.25 / 12.0,
        Volume::PerWorkday(x) => x * WORKDAYS_PER_MONTH,
        Volume::PerWeek(x) => x * WEEKS_PER_MONTH,
        Volume::PerCycle(x) => x,
    };
    let stated = match d.volume {
        Volume::PerWorkday(x) => format!("{} a {days}", significant(x)),
        Volume::PerWeek(x) => format!("{} a week", significant(x)),
        Volume::PerCycle(x) => format!("{} a month", significant(x)),
    };
    let month = match d.volume {
        Volume::PerCycle(_) => String::new(),
        _ => format!(
            ", about {} a month",
            crate::numbers::rounded_count(per_month)
        ),
    };
    let backlog = if d.backlog {
        "; blocked ones retried"
    } else {
        ""
    };
    let each = if sc.seats.count > 1 { " per seat" } else { "" };
    format!("{stated}{month}{each}{backlog}")
}

/// The reply rate as the file states it: "12%", "10% to 25% (90% of
/// trials)", "uniform 10% to 25%".
pub fn rate(spec: &RateSpec, redraw: Redraw) -> String {
    let p = percent;
    let text = match *spec {
        RateSpec::Fixed(x) => p(x),
        RateSpec::BetaInterval90 { low, high } => {
            format!("{} to {} (90% of trials)", p(low), p(high))
        }
        RateSpec::Uniform { low, high } => format!("uniform {} to {}", p(low), p(high)),
        RateSpec::Triangular { low, mode, high } => {
            format!("triangular {} to {}, peak {}", p(low), p(high), p(mode))
        }
        RateSpec::BetaMeanSd { mean, sd } => format!("mean {}, sd {}", p(mean), p(sd)),
    };
    match redraw {
        Redraw::Trial => text,
        Redraw::Cycle => format!("{text}, drawn again each month"),
    }
}

fn addons(sc: &Scenario) -> String {
    match sc.addons.policy {
        AddonPolicy::Never => "never bought: sends are blocked when credits run out".to_string(),
        AddonPolicy::WhenEmpty {
            pack,
            max_per_month,
        } => {
            let packs = if pack == 1 {
                "1 credit".to_string()
            } else {
                format!("packs of {pack}")
            };
            let most = max_per_month.map_or(String::new(), |m| format!(", at most {m} a month"));
            format!("bought when empty, {packs}{most}")
        }
        AddonPolicy::Monthly { per_month } => format!("{per_month} bought every month"),
    }
}

fn addon_price(sc: &Scenario) -> String {
    match sc.addons.policy {
        AddonPolicy::Never => "–".to_string(),
        _ => format!(
            "{} a credit, lasting {} days",
            dollars(sc.addons.price_cents as f64),
            sc.addons.expiry_days
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn set(files: &[&str]) -> CompareSet {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let paths: Vec<PathBuf> = files.iter().map(|f| root.join(f)).collect();
        CompareSet::load(&paths, &Default::default()).unwrap()
    }

    #[test]
    fn each_option_is_described_in_file_order() {
        let dir = "scenarios/compare/premium_business_addons_vs_core/";
        let s = set(&[
            &format!("{dir}premium_business_addons.toml"),
            &format!("{dir}core.toml"),
        ]);
        let rows = rows(&s);
        let row = |name: &str| &rows.iter().find(|(h, _)| h == name).unwrap().1;
        assert_eq!(row("option")[0], "A premium_business_addons");
        assert!(
            row("plan")[0].starts_with("Premium Business (15 credits a month, cap 45"),
            "{rows:?}"
        );
        assert!(
            row("plan")[1].starts_with("Sales Navigator Core (50 credits a month"),
            "{rows:?}"
        );
        assert_eq!(
            row("price and billing")[1],
            "$119.99 a month, billed monthly"
        );
        assert!(
            row("add-ons")[0].starts_with("bought when empty"),
            "{rows:?}"
        );
        assert_eq!(row("add-on price")[1], "–");
        assert_eq!(option_words(&s, 0), "A (Premium Business + add-ons)");
        assert_eq!(option_words(&s, 1), "B (Sales Navigator Core)");
        // The other order: the labels follow the files as given.
        let swapped = set(&[
            &format!("{dir}core.toml"),
            &format!("{dir}premium_business_addons.toml"),
        ]);
        assert_eq!(option_words(&swapped, 0), "A (Sales Navigator Core)");
    }

    #[test]
    fn volumes_and_rates_are_said_as_people_say_them() {
        let s = set(&[
            "scenarios/sales_navigator_core_heavy.toml",
            "scenarios/premium_business.toml",
        ]);
        let rows = rows(&s);
        let volume = &rows.iter().find(|(h, _)| h == "volume").unwrap().1;
        assert_eq!(volume[0], "4 a workday, about 87 a month");
        assert_eq!(volume[1], "4 a week, about 17 a month");
        assert_eq!(
            rate(&RateSpec::default(), Redraw::Trial),
            "10% to 25% (90% of trials)"
        );
        assert_eq!(
            rate(&RateSpec::Fixed(0.125), Redraw::Cycle),
            "12.5%, drawn again each month"
        );
    }

    #[test]
    fn an_option_that_changes_plan_says_to_what_and_when() {
        let base = "start_date = 2026-03-17\nseed = 1\n[plan]\nid = \"sales_navigator_core\"\n\
                    [demand]\nper_workday = 1\n";
        let texts = [
            base.to_string(),
            format!(
                "{base}[[plan_change]]\nfrom_cycle = 4\n\
                 plan = {{ id = \"sales_navigator_advanced\" }}\n\
                 [[plan_change]]\nfrom_cycle = 8\ncancel = true\n"
            ),
        ];
        let sources = ["a.toml", "b.toml"]
            .iter()
            .zip(&texts)
            .map(|(p, t)| super::super::Source {
                path: PathBuf::from(p),
                text: t.clone(),
                sha256: String::new(),
            })
            .collect();
        let s = CompareSet::from_texts(sources, &texts, &Default::default()).unwrap();
        let rows = rows(&s);
        let changes = &rows.iter().find(|(h, _)| h == "plan changes").unwrap().1;
        assert_eq!(changes[0], "none");
        assert_eq!(
            changes[1],
            "from Jun 2026 (month 4): Sales Navigator Advanced (sales_navigator_advanced); \
             from Oct 2026 (month 8): cancelled"
        );
    }
}
