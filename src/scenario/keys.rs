//! The scenario keys: one table of every key a scenario file accepts, with
//! its default, its allowed values and its source. Three things are made
//! from it, so they cannot drift apart: the validator's list of accepted
//! keys ([`check`], run before the file is read into `raw`), `inmail-sim
//! help scenario` ([`reference`]) and the comments `inmail-sim init`
//! writes. A test holds the table to the fields `raw` declares.
//!
//! "§N" is a section of docs/credit-rules.md; "Help N" a LinkedIn Help
//! Center answer; "seed 00N" a source article of the model.

use super::error::Invalid;
use super::values::shown;
use toml::{Table, Value};

/// One key of a scenario file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    /// The dotted path: `months`, `demand.per_workday`, `plan_change.from_cycle`.
    pub path: &'static str,
    pub default: &'static str,
    pub allowed: &'static str,
    /// What it means and where the default comes from.
    pub about: &'static str,
}

const fn key(
    path: &'static str,
    default: &'static str,
    allowed: &'static str,
    about: &'static str,
) -> Key {
    Key {
        path,
        default,
        allowed,
        about,
    }
}

/// The tables of a scenario file, in the order the reference shows them.
pub const SECTIONS: [(&str, &str); 10] = [
    (
        "plan",
        "the plan: `id` of a catalog plan (`inmail-sim plans`), any other key overrides it; without `id` an inline plan needs monthly_credits, cap, expiry_days, renewal and price_monthly (§2)",
    ),
    (
        "demand",
        "how many InMails you want to send; give exactly one of per_workday, per_week, per_cycle",
    ),
    ("response", "the chance that an InMail gets a response (§5)"),
    (
        "delay",
        "days from sending to the response, max(1, ceil(delay)); each distribution takes only its own keys (§5)",
    ),
    (
        "refunds",
        "when an answered InMail's credit comes back (Help 57013, 75; §3)",
    ),
    (
        "open_profile",
        "recipients with an Open Profile: free messages (Help 1451572; §4a)",
    ),
    (
        "addons",
        "buying extra credits (§3); keys of another policy are refused",
    ),
    (
        "follow_ups",
        "off unless the table is present: an unanswered InMail is followed up once (§5)",
    ),
    ("floor", "the Recruiter response-rate floor (Help 413271)"),
    (
        "plan_change",
        "[[plan_change]], repeatable: from a cycle on another plan is in force, or the subscription is cancelled; credits do not carry over (Help 57013, 75)",
    ),
];

const RATE: &str = "a share 0 to 1 or a percentage (\"12%\")";
const MONEY: &str = "US dollars, 10 or \"$1,600.00\", 0 to 1000000";

/// Every key a scenario file accepts.
pub const KEYS: &[Key] = &[
    key(
        "name",
        "the file name without .toml, made plain",
        "1 to 100 letters, digits, '-', '_', '.'; not starting with '.'",
        "names the results folder",
    ),
    key(
        "description",
        "\"\"",
        "any text; no control characters but tab and line breaks",
        "for your notes; copied to metadata",
    ),
    key(
        "seed",
        "1",
        "a whole number, 0 or more",
        "--seed overrides it",
    ),
    key(
        "trials",
        "100000",
        "1 to 1000000000000",
        "--trials overrides it",
    ),
    key(
        "months",
        "12",
        "1 to 1200",
        "cycles per trial; --months overrides it",
    ),
    key(
        "start_date",
        "2026-01-01",
        "a date, YYYY-MM-DD",
        "day 0, the subscription start; anniversary plans renew on its day of month (§1)",
    ),
    key(
        "seats",
        "1",
        "1 to 1000",
        "seats on the subscription (or plan.seats, not both); each seat has the file's whole demand and grant",
    ),
    key(
        "plan.id",
        "none (an inline plan)",
        "an id of `inmail-sim plans`",
        "the catalog of §2",
    ),
    key(
        "plan.name",
        "the catalog name, else \"Inline plan\"",
        "text without control characters",
        "shown in the tables",
    ),
    key(
        "plan.billing",
        "\"monthly\"",
        "\"monthly\", \"annual\"",
        "which price each cycle costs (§2)",
    ),
    key(
        "plan.monthly_credits",
        "the catalog's",
        "0 or more",
        "credits granted on each renewal day (§2)",
    ),
    key(
        "plan.cap",
        "the catalog's",
        "at least monthly_credits, at most 2000000000 (times the seats when pooled)",
        "a grant tops the balance up to the cap, no further (§2)",
    ),
    key(
        "plan.expiry_days",
        "the catalog's",
        "1 to 3650, or \"none\"",
        "days a granted or refunded credit lasts (§3)",
    ),
    key(
        "plan.renewal",
        "the catalog's",
        "\"calendar\" (the 1st), \"anniversary\" (the start date's day)",
        "when cycles begin (§1)",
    ),
    key(
        "plan.price_monthly",
        "the catalog's",
        MONEY,
        "charged each cycle with monthly billing, per seat; 2024-2026 US list prices (§2)",
    ),
    key(
        "plan.price_annual",
        "the catalog's; price_monthly if that is set",
        MONEY,
        "charged each cycle with annual billing, per seat (the annual price per month)",
    ),
    key("plan.seats", "1", "1 to 1000", "as the top-level seats"),
    key(
        "plan.pooled",
        "true for the Recruiter contracts (recruiter_professional_services, recruiter_corporate), else false",
        "true, false",
        "whether the seats share one ledger (Help 414347)",
    ),
    key(
        "demand.per_workday",
        "none: give one of the three volumes",
        "0 to 10000",
        "InMails you want to send each Monday to Friday",
    ),
    key(
        "demand.per_week",
        "none",
        "0 to 70000",
        "per week: a fifth on each workday",
    ),
    key(
        "demand.per_cycle",
        "none",
        "0 to 310000",
        "per cycle (month), spread evenly over its send days",
    ),
    key(
        "demand.distribution",
        "\"poisson\"",
        "\"poisson\", \"fixed\"",
        "Poisson: each day's count is random with that mean; fixed: exact counts (§5, §8.8)",
    ),
    key(
        "demand.weekends",
        "false",
        "true, false",
        "true spreads the volume over all 7 days (§8.7)",
    ),
    key(
        "demand.backlog",
        "false",
        "true, false",
        "true: a blocked InMail is retried the next send day (§4b, §8.1)",
    ),
    key(
        "response.rate",
        "\"10% to 25%\"",
        "a rate, a range \"10% to 25%\" (a beta with 90% of trials inside), your own counts { sent = N, responded = K } (whole numbers, N at least 1, K from 0 to N), or { distribution = \"fixed\" | \"uniform\" | \"triangular\" | \"beta\", ... }",
        "each trial draws its own rate; the default is seeds 000 and 002 (§5); counts give the beta learned from them (Jeffreys prior, docs/calibrate.md)",
    ),
    key(
        "response.redraw",
        "\"trial\"",
        "\"trial\", \"cycle\"",
        "\"cycle\" draws a new rate every cycle (§8.9)",
    ),
    key(
        "response.declines_share",
        "0",
        RATE,
        "share of responses that are declines; matters only with refunds.declines = false (§8.3)",
    ),
    key(
        "delay.distribution",
        "\"lognormal\"",
        "\"lognormal\", \"exponential\", \"fixed\", \"empirical\"",
        "no public data; LinkedIn reminds the recipient within 3 days (seed 001, §5)",
    ),
    key(
        "delay.median_days",
        "2",
        "above 0",
        "lognormal: the median delay (§5)",
    ),
    key(
        "delay.p90_days",
        "12",
        "above median_days",
        "lognormal: the 90th percentile (§5)",
    ),
    key(
        "delay.mean_days",
        "3",
        "above 0",
        "exponential: the mean delay (simulator choice)",
    ),
    key(
        "delay.days",
        "2",
        "above 0",
        "fixed: every response after this many days (simulator choice)",
    ),
    key(
        "delay.table",
        "none (required for \"empirical\")",
        "rows [days, share], days increasing, shares summing to 1",
        "empirical, e.g. [[1, 0.3], [3, 0.4], [7, 0.2], [30, 0.1]]",
    ),
    key(
        "refunds.window_days",
        "90",
        "1 to 3650",
        "a response within this many days refunds the credit (Help 57013, 75)",
    ),
    key(
        "refunds.declines",
        "true",
        "true, false",
        "declines refund too (Help 57013, 75); false needs response.declines_share above 0",
    ),
    key(
        "refunds.expiry",
        "\"fresh\"",
        "\"fresh\", \"original\"",
        "fresh: a new lot expiring expiry_days after the refund; original: the spent lot's expiry (§3, §8.4)",
    ),
    key(
        "open_profile.share",
        "0",
        RATE,
        "chance that a recipient has an Open Profile: free, no refund (Help 1451572, seed 002, §4a)",
    ),
    key(
        "open_profile.limit",
        "no limit",
        "0 or more",
        "free messages per cycle; past it they need a credit (§4a, §8.13)",
    ),
    key(
        "addons.available",
        "true",
        "true, false",
        "false refuses any policy but \"never\" (Help 57013: Sales Navigator sells none today)",
    ),
    key(
        "addons.policy",
        "\"never\"",
        "\"never\", \"when_empty\", \"monthly\"",
        "when_empty: a send that finds 0 credits buys a pack first; monthly: buy per_month each renewal day (§3)",
    ),
    key(
        "addons.price",
        "10",
        MONEY,
        "dollars per credit (seeds 002, 003)",
    ),
    key(
        "addons.pack",
        "1",
        "1 to 10000",
        "when_empty: credits per purchase (§3)",
    ),
    key(
        "addons.max_per_month",
        "no limit",
        "at least pack",
        "when_empty: most credits bought per cycle (§3, §8.6)",
    ),
    key(
        "addons.per_month",
        "none (required for \"monthly\")",
        "1 to 10000",
        "monthly: credits bought each renewal day",
    ),
    key(
        "addons.expiry_days",
        "90",
        "1 to 3650",
        "days a bought credit lasts (§3)",
    ),
    key(
        "follow_ups.enabled",
        "true once the table is present",
        "true, false",
        "no table, no follow-ups",
    ),
    key(
        "follow_ups.after_days",
        "6",
        "1 to 90",
        "seed 000: follow up after 5-7 days",
    ),
    key(
        "follow_ups.response_factor",
        "0.5",
        RATE,
        "a follow-up is answered with probability factor x rate (§5)",
    ),
    key(
        "follow_ups.rule",
        "\"recruiter\" on recruiter plans, else \"standard\"",
        "\"standard\", \"recruiter\"",
        "standard: charged when sent (Help 57013); recruiter: charged when scheduled (Help 417098)",
    ),
    key(
        "floor.enabled",
        "true if a recruiter plan is ever in force",
        "true, false",
        "100+ InMails in 14 days answered below 13%: after a 7-day grace, 14 days without sending (§5, Help 413271)",
    ),
    key(
        "floor.warning",
        "false",
        "true, false",
        "true: a warning period first, and the block only if its own InMails are below 13% too (Help 413271)",
    ),
    key(
        "plan_change.from_cycle",
        "none (required)",
        "2 to months, one change per cycle",
        "the first cycle of the new plan",
    ),
    key(
        "plan_change.plan",
        "none",
        "a [plan] table (id or inline)",
        "its billing defaults to the first plan's",
    ),
    key(
        "plan_change.cancel",
        "false",
        "true (without plan)",
        "no grant, no cost, no add-ons from then on",
    ),
];

/// The keys of a table (`""`: the top level), without the table's prefix.
pub fn keys_of(section: &str) -> impl Iterator<Item = &'static str> + '_ {
    KEYS.iter()
        .filter_map(move |k| match k.path.rsplit_once('.') {
            Some((s, leaf)) if s == section => Some(leaf),
            None if section.is_empty() => Some(k.path),
            _ => None,
        })
}

/// The names a table accepts, for an error: its keys, and at the top level
/// the tables too.
fn accepted(section: &str) -> Vec<&'static str> {
    let mut names: Vec<&str> = keys_of(section).collect();
    if section.is_empty() {
        names.extend(SECTIONS.iter().map(|(s, _)| *s));
    }
    names
}

/// Refuses a key the table does not list, naming it by its dotted path and
/// saying what its table takes. Values of the wrong kind are left to `raw`,
/// which says what they must be.
pub fn check(root: &Table) -> Result<(), Invalid> {
    check_table(root, "", "")
}

fn check_table(table: &Table, section: &str, shown_as: &str) -> Result<(), Invalid> {
    let names = accepted(section);
    for (name, value) in table {
        let path = match shown_as {
            "" => name.clone(),
            prefix => format!("{prefix}.{name}"),
        };
        if !names.contains(&name.as_str()) {
            let table_name = match section {
                "" => "the top level".to_string(),
                s => format!("[{s}]"),
            };
            return Err(Invalid::new(
                &path,
                shown(value),
                format!(
                    "unknown key; {table_name} takes {} (all keys: inmail-sim help scenario)",
                    names.join(", ")
                ),
            ));
        }
        let inner = match (section, name.as_str()) {
            ("", s) if SECTIONS.iter().any(|(n, _)| *n == s) => s,
            ("plan_change", "plan") => "plan",
            _ => continue,
        };
        match value {
            Value::Table(t) => check_table(t, inner, &path)?,
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    if let Value::Table(t) = item {
                        check_table(t, inner, &format!("{path}[{}]", i + 1))?;
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// The unknown key's error with the line it is on, when a line of `text`
/// plainly sets it (`key =` or `"key" =`); the table holds no positions.
pub fn with_line(mut invalid: Invalid, text: &str) -> Invalid {
    let leaf = invalid.key.rsplit('.').next().unwrap_or_default();
    let sets = |line: &str| {
        !line.trim_start().starts_with('#')
            && [leaf.to_string(), format!("{leaf:?}")].iter().any(|k| {
                line.match_indices(k.as_str()).any(|(at, _)| {
                    let before = line[..at].chars().next_back();
                    let after = line[at + k.len()..].trim_start();
                    !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
                        && after.starts_with('=')
                })
            })
    };
    if let Some(n) = text.lines().position(sets) {
        invalid.allowed = format!("line {}: {}", n + 1, invalid.allowed);
    }
    invalid
}

/// `inmail-sim help scenario`: every key, its default, what it allows and
/// its source, table by table.
pub fn reference() -> String {
    let mut text = String::from(
        "SCENARIO FORMAT\n\n\
A scenario is a TOML file. Only [plan] and one demand volume are required; every other \
key has a default. `inmail-sim init` writes a commented one; `inmail-sim examples` lists \
the shipped ones. §N is a section of the model (docs/credit-rules.md), Help N a LinkedIn \
Help Center answer, seed 00N a source article of the model.\n\n\
Minimal scenario:\n\n  [plan]\n  id = \"sales_navigator_core\"\n\n  [demand]\n  per_workday = 3\n",
    );
    text.push_str("\nTop level\n");
    push_keys(&mut text, "");
    for (section, about) in SECTIONS {
        text.push_str(&format!("\n[{section}]: {about}\n"));
        push_keys(&mut text, section);
    }
    text
}

fn push_keys(text: &mut String, section: &str) {
    for k in KEYS
        .iter()
        .filter(|k| k.path.rsplit_once('.').map_or("", |(s, _)| s) == section)
    {
        text.push_str(&format!(
            "  {}\n      default: {}\n      allowed: {}\n      {}\n",
            k.path, k.default, k.allowed, k.about
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> Table {
        toml::from_str(text).unwrap()
    }

    #[test]
    fn a_misspelt_key_is_named_by_its_path_with_what_its_table_takes() {
        let e = check(&table("[demand]\nper_wrokday = 3\n")).unwrap_err();
        assert_eq!(e.key, "demand.per_wrokday");
        assert!(
            e.allowed.contains("[demand] takes per_workday, per_week"),
            "{e}"
        );
        let e = check(&table("mnths = 3\n")).unwrap_err();
        assert!(e.allowed.contains("the top level takes name,"), "{e}");
        assert!(e.allowed.contains("plan_change"), "{e}");
    }

    #[test]
    fn plan_change_tables_and_their_plans_are_checked_too() {
        let ok =
            "[[plan_change]]\nfrom_cycle = 2\nplan = { id = \"free\", billing = \"annual\" }\n";
        assert_eq!(check(&table(ok)), Ok(()));
        let bad = "[[plan_change]]\nfrom_cycle = 2\n[[plan_change]]\nfrom_cycle = 3\nplan = { idd = \"free\" }\n";
        assert_eq!(
            check(&table(bad)).unwrap_err().key,
            "plan_change[2].plan.idd"
        );
    }

    #[test]
    fn the_error_names_the_line_that_sets_the_unknown_key() {
        let text = "months = 3\n[demand]\nweekends = true\nper_wrokday = 3\n";
        let e = with_line(check(&table(text)).unwrap_err(), text);
        assert!(e.allowed.starts_with("line 4: unknown key"), "{e}");
    }

    /// A deserializer that answers only "which fields do you have": serde's
    /// derive passes a struct's field names to `deserialize_struct`.
    struct FieldsOf;

    impl<'de> serde::Deserializer<'de> for FieldsOf {
        type Error = serde::de::value::Error;
        fn deserialize_any<V: serde::de::Visitor<'de>>(
            self,
            _: V,
        ) -> Result<V::Value, Self::Error> {
            Err(serde::de::Error::custom("not a struct"))
        }
        fn deserialize_struct<V: serde::de::Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            Err(serde::de::Error::custom(fields.join(",")))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
            identifier ignored_any
        }
    }

    fn fields<T: for<'de> serde::Deserialize<'de>>() -> Vec<String> {
        let Err(e) = T::deserialize(FieldsOf) else {
            panic!("FieldsOf deserializes nothing")
        };
        let e = e.to_string();
        let mut all: Vec<String> = e.split(',').map(String::from).collect();
        all.sort();
        all
    }

    fn listed(section: &str) -> Vec<String> {
        let mut all: Vec<String> = accepted(section).iter().map(|s| s.to_string()).collect();
        all.sort();
        all
    }

    /// The table is the validator's list of accepted keys ([`check`] runs
    /// before serde); serde's `deny_unknown_fields` stays as a backstop, so
    /// the two lists must be the same.
    #[test]
    fn the_table_lists_exactly_the_keys_the_raw_scenario_declares() {
        use crate::scenario::raw::*;
        assert_eq!(listed(""), fields::<RawScenario>());
        assert_eq!(listed("plan"), fields::<RawPlan>());
        assert_eq!(listed("demand"), fields::<RawDemand>());
        assert_eq!(listed("response"), fields::<RawResponse>());
        assert_eq!(listed("delay"), fields::<RawDelay>());
        assert_eq!(listed("refunds"), fields::<RawRefunds>());
        assert_eq!(listed("open_profile"), fields::<RawOpenProfile>());
        assert_eq!(listed("addons"), fields::<RawAddons>());
        assert_eq!(listed("follow_ups"), fields::<RawFollowUps>());
        assert_eq!(listed("floor"), fields::<RawFloor>());
        assert_eq!(listed("plan_change"), fields::<RawPlanChange>());
    }

    /// `help scenario` shows every key the validator accepts, and nothing else.
    #[test]
    fn the_reference_lists_every_accepted_key_and_only_those() {
        let text = reference();
        let shown: Vec<&str> = text
            .lines()
            .filter_map(|l| l.strip_prefix("  "))
            .filter(|w| {
                w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_.".contains(c))
            })
            .collect();
        let paths: Vec<&str> = KEYS.iter().map(|k| k.path).collect();
        assert_eq!(shown, paths);
        for (section, _) in SECTIONS {
            assert!(text.contains(&format!("\n[{section}]: ")), "{section}");
        }
    }

    /// docs/scenario-format.md documents the counts form of the reply rate
    /// and the validator accepts it: `help scenario`, `man` and `init`'s
    /// comments, all made from this table, must give it too.
    #[test]
    fn the_reference_gives_the_reply_rate_as_counts_too() {
        let text = reference();
        let rate = text
            .split("\n  response.rate\n")
            .nth(1)
            .and_then(|rest| rest.split("\n  response.").next())
            .expect("a response.rate entry");
        assert!(rate.contains("{ sent = N, responded = K }"), "{rate}");
        let counts: Table = toml::from_str("sent = 240\nresponded = 41").unwrap();
        super::super::values::rate("response.rate", &toml::Value::Table(counts)).unwrap();
    }

    #[test]
    fn every_key_is_listed_once_with_a_default_an_allowed_form_and_a_source() {
        for (i, k) in KEYS.iter().enumerate() {
            assert!(KEYS[i + 1..].iter().all(|o| o.path != k.path), "{}", k.path);
            assert!(!k.default.is_empty() && !k.allowed.is_empty() && !k.about.is_empty());
            if let Some((section, _)) = k.path.rsplit_once('.') {
                assert!(SECTIONS.iter().any(|(s, _)| *s == section), "{}", k.path);
            }
        }
    }
}
