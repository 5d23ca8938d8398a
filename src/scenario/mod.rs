//! Scenario files: the TOML a user writes (`raw`), how its values are read
//! (`values`), the plan catalog (`catalog`), and the validated [`Scenario`]
//! that the engine takes. Nothing downstream of here sees TOML or clap.

pub mod catalog;
mod changes;
pub mod error;
pub mod file;
mod hash;
pub mod keys;
mod raw;
pub mod template;
mod validate;
pub mod values;

use crate::calendar::{Date, Horizon, Renewal};
use crate::sampling::delay::{DelaySpec, DelayTable};
/// The demand spec lives next to its sampler (`sampling::demand`).
pub use crate::sampling::demand::{Demand, DemandDistribution, Volume};
use crate::sampling::rate::{RateSampler, RateSpec};
pub use error::{Invalid, Problem, ScenarioError};
pub use hash::sha256_hex;
use std::path::Path;
pub use validate::{MAX_TRIALS, check_months, check_seats, check_trials, team_volume_limit};

/// The largest horizon a run accepts: 100 years of cycles.
pub const MAX_MONTHS: u32 = 1200;

/// A validated scenario: every default applied, every value in range.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    pub seed: u64,
    pub trials: u64,
    pub months: u32,
    pub start: Date,
    pub plan: Plan,
    pub billing: Billing,
    pub demand: Demand,
    pub response: Response,
    pub delay: Delay,
    pub refunds: Refunds,
    pub open_profile: OpenProfile,
    pub addons: Addons,
    /// The horizon laid out from `start`, `months` and the plan's renewal.
    pub horizon: Horizon,
    pub seats: Seats,
    /// `None`: no follow-ups (the default).
    pub follow_ups: Option<FollowUps>,
    /// `None`: no response-rate floor.
    pub floor: Option<Floor>,
    /// Plan changes over the horizon, by cycle, earliest first.
    pub plan_changes: Vec<PlanChange>,
}

/// Seats on the subscription (credit-rules §2; Help 414347).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seats {
    pub count: u32,
    /// One ledger with `count`× the grant and cap (Recruiter); otherwise
    /// each seat has its own ledger.
    pub pooled: bool,
}

/// credit-rules §5 "Follow-ups".
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FollowUps {
    /// An InMail still unanswered this many days after sending is followed up.
    pub after_days: u32,
    /// A follow-up is answered with probability `response_factor × p`.
    pub response_factor: f64,
    pub rule: FollowUpRule,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowUpRule {
    /// The follow-up needs a credit when it is sent (Help 57013).
    Standard,
    /// Charged when scheduled, at the first send; cancelled and both
    /// credits refunded if the first message is answered first (Help 417098).
    Recruiter,
}

/// The Recruiter response-rate floor (Help 413271).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Floor {
    /// InMails an assessment window must hold for the rule to apply
    /// (100 per seat).
    pub min_sent: u32,
    /// The lowest response rate allowed (13%).
    pub threshold: f64,
    /// `floor.warning`: a window below the floor first brings a warning,
    /// and sending is blocked only if the warning period is below too
    /// (Help 413271's account); off, the default, it blocks after the
    /// 7-day grace (credit-rules §5).
    pub warning: bool,
    /// On by default because a plan of the scenario is a Recruiter plan:
    /// the rule applies only while a Recruiter plan is in force. Set by
    /// `floor.enabled = true`: under every plan (issue 17).
    pub recruiter_plans_only: bool,
}

/// From cycle `from_cycle` (0-based) on, `plan` is in force; `cancelled`:
/// the subscription is cancelled (no grant, no cost, no add-ons).
#[derive(Debug, Clone, PartialEq)]
pub struct PlanChange {
    pub from_cycle: usize,
    pub plan: Plan,
    pub billing: Billing,
    pub cancelled: bool,
}

impl Plan {
    /// Whether LinkedIn's Recruiter rules apply (plan ids `recruiter…`).
    pub fn is_recruiter(&self) -> bool {
        self.id.starts_with("recruiter")
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The catalog id, or `"inline"` for a plan defined in the file.
    pub id: String,
    pub name: String,
    pub monthly_credits: u32,
    pub cap: u32,
    /// `None`: credits never expire by age.
    pub expiry_days: Option<u32>,
    pub renewal: Renewal,
    pub price_monthly_cents: i64,
    pub price_annual_cents: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Billing {
    Monthly,
    /// Charged per month at the annual price (credit-rules §2).
    Annual,
}

impl Plan {
    /// What one cycle of this plan costs under `billing`, in cents.
    pub fn cycle_price_cents(&self, billing: Billing) -> i64 {
        match billing {
            Billing::Monthly => self.price_monthly_cents,
            Billing::Annual => self.price_annual_cents,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Response {
    pub spec: RateSpec,
    pub sampler: RateSampler,
    pub redraw: Redraw,
    /// Share of responses that are declines ("Not interested"), §8.3.
    pub declines_share: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Redraw {
    /// One `p` per trial (default): the user's true rate is uncertain.
    Trial,
    /// A new `p` every cycle (§8.9).
    Cycle,
}

#[derive(Debug, Clone)]
pub struct Delay {
    pub spec: DelaySpec,
    /// P(a response arrives k days after sending), k = 1..=horizon days.
    pub table: DelayTable,
}

/// The refund settings; the rule is `rules::refund`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refunds {
    pub window_days: u32,
    pub declines: bool,
    pub expiry: RefundExpiry,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefundExpiry {
    /// A new lot expiring `expiry_days` after the refund day (default).
    Fresh,
    /// Back into the lot it was spent from; lost if that lot has expired.
    Original,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OpenProfile {
    pub share: f64,
    /// Free messages allowed per cycle; `None` for no limit.
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Addons {
    pub policy: AddonPolicy,
    pub price_cents: i64,
    pub expiry_days: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddonPolicy {
    Never,
    /// Buy `pack` credits when a send finds the balance at 0, unless this
    /// cycle's purchases would pass `max_per_month`.
    WhenEmpty {
        pack: u32,
        max_per_month: Option<u32>,
    },
    /// Buy `per_month` credits on every renewal day, after the grant.
    Monthly {
        per_month: u32,
    },
}

impl Scenario {
    /// Whether no random number reaches the outcome, so that every trial
    /// is the same trial: fixed demand (§8.8), a reply rate of exactly 0
    /// (no response, so no delay, decline, refund or floor assessment
    /// depends on a draw, and follow-ups, answered at a share of that
    /// rate, are never answered either) and no Open Profile recipient.
    /// Conservative: a scenario it says no to may still be deterministic
    /// (every recipient an Open Profile), never the other way round, which
    /// a test checks trial by trial on scenarios with every other feature
    /// on. `solve` reads such a scenario's statistic as exact.
    pub fn draws_nothing_at_random(&self) -> bool {
        self.demand.distribution == DemandDistribution::Fixed
            && self.response.spec == RateSpec::Fixed(0.0)
            && self.open_profile.share == 0.0
    }

    /// The what-if lines every output prints: add-on credits bought on a
    /// catalog plan that sells none today (Help 57013, 703536). The run
    /// still models the purchases: comparing them is what the user asked.
    /// An inline plan is the user's own, so it says nothing.
    pub fn what_ifs(&self) -> Vec<String> {
        let mut lines: Vec<String> = self.annual_commitment();
        lines.extend(self.pooling_not_sold());
        if self.addons.policy == AddonPolicy::Never {
            return lines;
        }
        let changes = self.plan_changes.iter().filter(|c| !c.cancelled);
        for plan in std::iter::once(&self.plan).chain(changes.map(|c| &c.plan)) {
            if let Some(catalog::AddonSale::NotSold { why }) =
                catalog::find(&plan.id).map(|c| c.addons)
            {
                let line = format!("what-if: {why}");
                if !lines.contains(&line) {
                    lines.push(line);
                }
            }
        }
        lines
    }

    /// Annual billing held for a span that is not whole years (the horizon,
    /// or the months before a `[[plan_change]]`): the model charges the
    /// annual price per month held (credit-rules §2, §8.10), but the plan is
    /// bought for a year, so the cost shown is not what one pays. An
    /// independent walkthrough found an annual Core plan upgraded after 3
    /// months charged for those 3 only, with no word of the 9 committed.
    fn annual_commitment(&self) -> Vec<String> {
        let changes = &self.plan_changes;
        let mut lines = Vec::new();
        for (plan, start, end) in self.annual_spans_short_of_years() {
            let held = end - start;
            let year = crate::compare::summary::dollars(
                (12 * i64::from(self.seats.count) * plan.price_annual_cents) as f64,
            );
            let seats = crate::numbers::count(u64::from(self.seats.count), "seat", "seats");
            // Past a year it commits to the next whole year too: 18 months
            // hold two years' commitment, not "a year".
            let years = held.div_ceil(12);
            lines.push(if changes.is_empty() && years > 1 {
                let total = crate::compare::summary::dollars(
                    (12 * years as i64 * i64::from(self.seats.count) * plan.price_annual_cents)
                        as f64,
                );
                format!(
                    "what-if: annual billing commits to whole years ({year} a year for {seats}), \
                     so these {} months commit to {years} years ({total}) but are charged only \
                     their share; compare with billing = \"monthly\"",
                    self.months
                )
            } else if changes.is_empty() {
                format!(
                    "what-if: annual billing commits to a year ({year} for {seats}), but these {} \
                     months are charged only their share; for a shorter need, compare with \
                     billing = \"monthly\"",
                    self.months
                )
            } else if years > 1 {
                let total = crate::compare::summary::dollars(
                    (12 * years as i64 * i64::from(self.seats.count) * plan.price_annual_cents)
                        as f64,
                );
                format!(
                    "what-if: annual billing commits {} to whole years ({year} a year for \
                     {seats}), so the {} it is held here ({}) commit to {years} \
                     years ({total}) but are charged only their share; the rest of the last \
                     year is not in the cost (compare with billing = \"monthly\")",
                    plan.name,
                    crate::numbers::count(held as u64, "month", "months"),
                    months_span(start + 1, end)
                )
            } else {
                format!(
                    "what-if: annual billing commits {} to a year ({year} for {seats}), but it is \
                     held for {} here ({}) and charged only for those; the rest of \
                     the year is not in the cost (compare with billing = \"monthly\")",
                    plan.name,
                    crate::numbers::count(held as u64, "month", "months"),
                    months_span(start + 1, end)
                )
            });
        }
        lines
    }

    /// The spans (plan, first month, end month, 0-based) billed annually
    /// for a number of months that is not whole years, whatever the annual
    /// price: the model charges the months held
    /// (credit-rules §2, §8.10), the plan commits to whole years.
    fn annual_spans_short_of_years(&self) -> Vec<(&Plan, usize, usize)> {
        let changes = &self.plan_changes;
        let ends = changes
            .iter()
            .map(|c| c.from_cycle)
            .chain([self.months as usize]);
        let spans = std::iter::once((&self.plan, self.billing, false, 0)).chain(
            changes
                .iter()
                .map(|c| (&c.plan, c.billing, c.cancelled, c.from_cycle)),
        );
        spans
            .zip(ends)
            .filter(|((_, billing, cancelled, start), end)| {
                let held = end.saturating_sub(*start);
                // Whatever its price: annual billing at the monthly price
                // (Advanced Plus, an inline plan without price_annual) still
                // commits to the year (an independent check found such a plan
                // held 6 months called the cheaper option).
                !cancelled && *billing == Billing::Annual && held % 12 != 0
            })
            .map(|((plan, _, _, start), end)| (plan, start, end.max(start)))
            .collect()
    }

    /// The plan cost annual billing commits to beyond what the horizon
    /// charges (cents, every seat): each short span's months up to its next
    /// whole year at the annual price. `compare` adds it to a verdict, since
    /// a 6-month horizon of an annual plan is otherwise half a year cheaper
    /// than it is to buy.
    pub fn uncounted_commitment_cents(&self) -> i64 {
        self.annual_spans_short_of_years()
            .iter()
            .map(|(plan, start, end)| {
                let held = (end - start) as i64;
                let committed = (held + 11) / 12 * 12;
                (committed - held) * i64::from(self.seats.count) * plan.price_annual_cents
            })
            .sum()
    }

    /// `pooled = true` on seats the catalog says do not share credits
    /// (Sales Navigator, Premium, Recruiter Lite): a what-if, as add-ons on a
    /// plan that sells none are, so that a pooled answer is not read as
    /// something one can buy.
    /// Every plan in force is asked, the later ones too: a Recruiter
    /// contract's pooled seats stay pooled after a change to Sales
    /// Navigator, whose seats do not pool (an independent check).
    fn pooling_not_sold(&self) -> Option<String> {
        if !self.seats.pooled || self.seats.count < 2 {
            return None;
        }
        let changes = self.plan_changes.iter().filter(|c| !c.cancelled);
        let c = std::iter::once(&self.plan)
            .chain(changes.map(|c| &c.plan))
            .filter_map(|p| catalog::find(&p.id))
            .find(|c| !c.pooled)?;
        Some(format!(
            "what-if: {} seats do not share their credits ({}); these {} are pooled in one \
             balance, as `pooled = true` or the plan before a change asks",
            c.name, c.pooled_source.text, self.seats.count
        ))
    }
}

/// Command-line values that replace the file's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Overrides {
    pub trials: Option<u64>,
    pub months: Option<u32>,
    pub seed: Option<u64>,
}

/// Reads, parses and validates a scenario file.
pub fn load(path: &Path, overrides: &Overrides) -> Result<Scenario, ScenarioError> {
    parse(&read(path)?, path, overrides)
}

/// The text of a scenario file, read as [`file::read_bytes`] reads it (a
/// regular file, at most [`file::MAX_FILE_BYTES`]); it must be UTF-8.
pub fn read(path: &Path) -> Result<String, ScenarioError> {
    let bytes = file::read_bytes(path)?;
    // UTF-16 (Windows editors' "Unicode"): with a byte order mark it is not
    // UTF-8; without one, plain ASCII keys read as UTF-8 with a NUL between
    // letters, which TOML never has, and the reader would quote them.
    // A stray NUL in a UTF-8 file is not UTF-16: ASCII written in UTF-16
    // has a NUL in every other byte, so a quarter or more of them is.
    let nuls = bytes.iter().filter(|&&b| b == 0).count();
    let utf16 = bytes.starts_with(&[0xFF, 0xFE])
        || bytes.starts_with(&[0xFE, 0xFF])
        || (nuls > 0 && nuls * 4 >= bytes.len());
    let not_utf8 = |utf16| ScenarioError {
        file: path.to_path_buf(),
        problem: Problem::NotUtf8 { utf16 },
    };
    if utf16 {
        return Err(not_utf8(true));
    }
    String::from_utf8(bytes).map_err(|_| not_utf8(false))
}

/// A scenario's top-level `seed` and the rest of its TOML as a table. The
/// toml crate's tables hold i64 integers, but a seed is any u64 (up to
/// 18446744073709551615), so the seed is read apart as the file's own reader
/// reads it; anything that edits or inspects a scenario's TOML goes through
/// this.
pub fn table_and_seed(text: &str) -> Result<(Option<u64>, toml::Table), toml::de::Error> {
    #[derive(serde::Deserialize)]
    struct Split {
        seed: Option<u64>,
        #[serde(flatten)]
        rest: toml::Table,
    }
    let split: Split = toml::from_str(text)?;
    Ok((split.seed, split.rest))
}

/// The reader's message for a value that is not a whole number where one
/// belongs (`months = 1.5`, `trials = 1e3`, `seats = "2"`), ending with
/// the key, its value as written and the key's own limits from the key
/// table (`months = 1.5: expected a whole number from 1 to 1200`), not
/// the range of the integer type that holds it (0 to 4294967295), nor the
/// value as the reader converted it (`1000.0` for `1e3`). `None` for any
/// other error, or a key not in the table.
fn whole_numbers_named(e: &toml::de::Error, text: &str) -> Option<String> {
    let last = e.message().lines().last()?;
    let integer = [
        "expected u64",
        "expected u32",
        "expected u16",
        "expected u8",
    ];
    if !(last.starts_with("invalid type: ") || last.starts_with("invalid value: "))
        || !integer.iter().any(|t| last.ends_with(t))
    {
        return None;
    }
    let span = e.span()?;
    let value = text.get(span.clone())?;
    let path = key_at(text, span.start)?;
    let key = key_named(&path)?;
    let path = numbered(text, span.start, &path);
    let allowed = match key.allowed.split_once(" to ") {
        Some((low, high)) if low.parse::<u64>().is_ok() && high.parse::<u64>().is_ok() => {
            let (low, high) = (low.parse::<u64>().ok()?, high.parse::<u64>().ok()?);
            format!(
                "expected a whole number from {} to {}",
                crate::numbers::grouped(low),
                crate::numbers::grouped(high)
            )
        }
        // No upper limit of the key's own: for a whole number out of the
        // integer type's range (`monthly_credits = 4294967296`, `-1`), the
        // type's is the one the value passed, and the message says it.
        _ if last.starts_with("invalid value: integer") => {
            let most = crate::numbers::grouped(type_max(last)?);
            match key.allowed.ends_with("0 or more") {
                true => format!("expected a whole number from 0 to {most}"),
                // The key states its own upper limit, lower than the type's.
                false if key.allowed.contains("at most") => format!(
                    "expected a whole number, {}",
                    key.allowed.trim_start_matches("a whole number, ")
                ),
                false => format!(
                    "expected a whole number, {} (at most {most})",
                    key.allowed.trim_start_matches("a whole number, ")
                ),
            }
        }
        _ if key.allowed.starts_with("a whole number") => format!("expected {}", key.allowed),
        _ => format!("expected a whole number, {}", key.allowed),
    };
    let value = error::truncated(value, error::MAX_SHOWN_CHARS);
    let message = e.to_string();
    let head: Vec<&str> = message.lines().filter(|l| *l != last).collect();
    Some(format!("{}\n{path} = {value}: {allowed}", head.join("\n")))
}

/// The largest value of the integer type a reader's message ends with.
fn type_max(message: &str) -> Option<u64> {
    [
        ("expected u64", u64::MAX),
        ("expected u32", u64::from(u32::MAX)),
        ("expected u16", u64::from(u16::MAX)),
        ("expected u8", u64::from(u8::MAX)),
    ]
    .into_iter()
    .find(|(t, _)| message.ends_with(t))
    .map(|(_, max)| max)
}

/// The dotted key whose value starts at byte `at` of `text`: the nearest
/// `[table]` header above it, the key of an inline table the value is in
/// (`plan = { seats = 2.0 }`), and the key before its `=`.
/// The key table's entry for a dotted path; a change's plan table
/// (`plan_change.plan.id`) takes the keys of `[plan]`.
fn key_named(path: &str) -> Option<&'static keys::Key> {
    let table_path = match path.strip_prefix("plan_change.") {
        Some(rest) if rest.starts_with("plan.") => rest,
        _ => path,
    };
    keys::KEYS.iter().find(|k| k.path == table_path)
}

/// `plan_change.plan.id` as the other errors name it, `plan_change[2].plan.id`:
/// the change is the count of `[[plan_change]]` headers before `at` (a
/// change written as `[plan_change.plan]` under its header counts the same).
fn numbered(text: &str, at: usize, path: &str) -> String {
    let Some(rest) = path.strip_prefix("plan_change.") else {
        return path.to_string();
    };
    let before = text.get(..at).unwrap_or(text);
    let n = before
        .lines()
        .filter(|l| l.trim().replace(' ', "") == "[[plan_change]]")
        .count();
    format!("plan_change[{}].{rest}", n.max(1))
}

fn key_at(text: &str, at: usize) -> Option<String> {
    let before = text.get(..at)?;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = &before[line_start..];
    // The key just before the value; inside an array (`table = [[1, "x"]`)
    // the array's key.
    let own = line
        .rsplit(['{', ','])
        .next()
        .and_then(|l| l.trim_end().strip_suffix('='))
        .or_else(|| {
            let (key, value) = line.split_once('=')?;
            value.trim_start().starts_with('[').then_some(key)
        })?
        .trim();
    let inline = line
        .find('{')
        .and_then(|i| line[..i].trim_end().strip_suffix('='))
        .map(str::trim);
    let header = before[..line_start]
        .lines()
        .rev()
        .map(str::trim)
        // A table header, not a row of a multi-line array (`[1, 0.5],`).
        .find(|l| {
            l.starts_with('[')
                && !l.contains(',')
                && l.trim_start_matches('[')
                    .starts_with(|c: char| c.is_alphabetic() || c == '"')
        })
        .map(|l| l.trim_matches(|c| c == '[' || c == ']').trim());
    let parts: Vec<&str> = [header, inline, Some(own)]
        .into_iter()
        .flatten()
        .filter(|p| !p.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join(".").replace(['"', '\'', ' '], ""))
}

/// The reader's message, saying "date" where a date stands in the wrong
/// place. The toml crate hands a date to serde as a map with one private
/// key, so a date where a number or a string belongs was reported as
/// "invalid type: map", and one where a table belongs as an unknown field
/// `$__toml_private_datetime`.
/// A value of the wrong type for its key (`per_workday = "3"`, `id = 5`,
/// `backlog = "yes"`, `start_date = 2027-02-29`): the reader's message, then
/// a line naming the key, the value and what the key allows, from the key
/// table `help scenario` prints, as every other bad value is said. The
/// reader's own line says only the type it wanted ("expected a number").
fn with_key_named(e: &toml::de::Error, text: &str, message: String) -> String {
    let message = change_plan_named(e, text, message);
    let last = e.message().lines().last().unwrap_or_default();
    let typed = [
        "invalid type: ",
        "invalid value: ",
        "invalid date",
        "invalid time",
    ];
    if !typed.iter().any(|t| last.starts_with(t)) {
        return message;
    }
    let named = e.span().and_then(|span| {
        let value = text.get(span.clone())?;
        let path = key_at(text, span.start)?;
        let key = key_named(&path)?;
        let path = numbered(text, span.start, &path);
        let a = key.allowed;
        let allowed = if a == "true, false" {
            "true or false".to_string()
        } else if a
            .split_once(" to ")
            .is_some_and(|(l, h)| l.parse::<f64>().is_ok() && h.parse::<f64>().is_ok())
        {
            format!("a number from {a}")
        } else if a.starts_with(|c: char| c.is_ascii_digit()) && a.ends_with("or more") {
            format!("a number, {a}")
        } else if a.starts_with("above") || a.starts_with("at ") {
            format!("a number {a}")
        } else {
            a.to_string()
        };
        let value = error::truncated(value, error::MAX_SHOWN_CHARS);
        Some(format!("{path} = {value}: expected {allowed}"))
    });
    match named {
        Some(line) => format!("{}\n{line}", message.trim_end()),
        None => message,
    }
}

/// `plan = 5` under a `[[plan_change]]` header: the table's own message
/// names the top-level `[plan]`; the key is the change's plan, numbered as
/// the other errors number it.
fn change_plan_named(e: &toml::de::Error, text: &str, message: String) -> String {
    const TOP: &str = "plan must be a [plan] table";
    let Some(at) = e.span().map(|s| s.start) else {
        return message;
    };
    let header = text.get(..at).unwrap_or(text).lines().rev().find_map(|l| {
        let l = l.trim();
        l.starts_with('[').then(|| l.replace(' ', ""))
    });
    if !message.contains(TOP) || header.as_deref() != Some("[[plan_change]]") {
        return message;
    }
    let key = numbered(text, at, "plan_change.plan");
    message
        .replace(TOP, &format!("{key} must be a plan table"))
        .replace(
            "write [plan] with id = a plan of `inmail-sim plans` (plan = { id = \"sales_navigator_core\" }) or the keys of an inline plan",
            "write plan = { id = \"sales_navigator_advanced\" } (a plan of `inmail-sim plans`), the keys of an inline plan, or cancel = true",
        )
}

fn dates_named(e: &toml::de::Error, text: &str) -> String {
    let message = e.to_string();
    let Some(date) = e
        .span()
        .and_then(|span| text.get(span))
        .filter(|value| value.parse::<toml::value::Datetime>().is_ok())
    else {
        return message;
    };
    let lines: Vec<String> = message
        .lines()
        .map(|line| {
            if line.starts_with("unknown field `$__toml_private_datetime`") {
                format!("invalid type: date {date}, expected a table")
            } else {
                line.replace("invalid type: map", &format!("invalid type: date {date}"))
            }
        })
        .collect();
    lines.join("\n")
}

/// Parses and validates scenario text; `path` names it in errors and gives
/// the default scenario name (the file stem made plain, see
/// `validate::default_name`).
///
/// The text is validated as written, and with the command line's
/// `overrides`: `--trials` or `--months` cannot hide a value the file gets
/// wrong (a file `validate` refuses is refused by every command). The
/// file's own `trials` and `months` are always checked; its other values
/// depend on the horizon only through `months`, so a second pass as
/// written is needed only when `--months` changes it.
pub fn parse(text: &str, path: &Path, overrides: &Overrides) -> Result<Scenario, ScenarioError> {
    // The keys are checked against the key table first, so that the list
    // of accepted keys is the one `help scenario` shows; a file that is
    // not TOML is left to the reader below, which says where.
    if let Ok((_, table)) = table_and_seed(text) {
        keys::check(&table).map_err(|inv| keys::with_line(inv, text).in_file(path))?;
    }
    let raw: raw::RawScenario = toml::from_str(text).map_err(|e| ScenarioError {
        file: path.to_path_buf(),
        problem: Problem::Syntax(
            whole_numbers_named(&e, text)
                .unwrap_or_else(|| with_key_named(&e, text, dates_named(&e, text))),
        ),
    })?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "scenario".to_string());
    let new_horizon = overrides.months.is_some_and(|m| Some(m) != raw.months);
    if new_horizon {
        let as_written = Overrides::default();
        validate::scenario(raw.clone(), &stem, &as_written).map_err(|inv| inv.in_file(path))?;
    }
    let scenario = validate::scenario(raw, &stem, overrides).map_err(|inv| inv.in_file(path))?;
    validate::check_horizon_end(&scenario.horizon).map_err(|inv| inv.in_file(path))?;
    Ok(scenario)
}

/// "months 4 to 12", or "month 1" for a span of one.
fn months_span(first: usize, last: usize) -> String {
    if first == last {
        format!("month {first}")
    } else {
        format!("months {first} to {last}")
    }
}
