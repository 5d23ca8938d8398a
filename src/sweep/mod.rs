//! `sweep`: a scenario or a compare set over a full grid of one or two
//! parameters. This module owns the parameters (`--param KEY=FROM..TO[:STEP]`),
//! the grid, how a grid value is written into a scenario's TOML before it
//! is validated (so every scenario rule still applies), and the break-even
//! search (`breakeven`).

pub mod breakeven;
mod edit;
pub mod run;

pub use breakeven::{BreakEven, Cheaper, break_even};
pub use edit::{apply, centre_range, centred, stated};
pub use run::{BreakEvenLine, Point, PointResult};

use crate::error::UserError;
use crate::scenario::error::{MAX_SHOWN_CHARS, truncated};

/// How a parameter's values are read and written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A whole number (credits, days, months).
    Whole,
    /// Any number.
    Number,
    /// A share from 0 to 1, also written as a percentage ("12%").
    Share,
    /// Dollars, also written with "$".
    Money,
    /// `response.rate_center`: moves the rate distribution (see `edit`).
    RateCentre,
}

/// A parameter a sweep can vary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub path: &'static str,
    pub kind: Kind,
}

const fn key(path: &'static str, kind: Kind) -> Key {
    Key { path, kind }
}

/// Every numeric scenario key (not `seed` and `trials`, which are not part
/// of the model), plus the derived `response.rate_center`.
pub const KEYS: [Key; 27] = [
    key("months", Kind::Whole),
    key("seats", Kind::Whole),
    key("plan.monthly_credits", Kind::Whole),
    key("plan.cap", Kind::Whole),
    key("plan.expiry_days", Kind::Whole),
    key("plan.price_monthly", Kind::Money),
    key("plan.price_annual", Kind::Money),
    key("demand.per_workday", Kind::Number),
    key("demand.per_week", Kind::Number),
    key("demand.per_cycle", Kind::Number),
    key("response.rate", Kind::Share),
    key("response.rate_center", Kind::RateCentre),
    key("response.declines_share", Kind::Share),
    key("delay.median_days", Kind::Number),
    key("delay.p90_days", Kind::Number),
    key("delay.mean_days", Kind::Number),
    key("delay.days", Kind::Number),
    key("refunds.window_days", Kind::Whole),
    key("open_profile.share", Kind::Share),
    key("open_profile.limit", Kind::Whole),
    key("addons.price", Kind::Money),
    key("addons.pack", Kind::Whole),
    key("addons.max_per_month", Kind::Whole),
    key("addons.per_month", Kind::Whole),
    key("addons.expiry_days", Kind::Whole),
    key("follow_ups.after_days", Kind::Whole),
    key("follow_ups.response_factor", Kind::Share),
];

/// Why a value of `path` changes nothing in `sc`, if it changes nothing
/// whatever its value: `--set` or `--param` on it would report an answer
/// as if it had been studied (an independent check found `--set
/// addons.price=5` on a scenario that buys no add-ons printed "Changed for
/// this run" over byte-identical outputs). `addons.pack` and the other
/// policy keys are refused by the scenario's own check; follow-up keys by
/// `apply`.
pub fn without_effect(sc: &crate::scenario::Scenario, path: &str) -> Option<&'static str> {
    use crate::scenario::AddonPolicy;
    match path {
        "addons.price" | "addons.expiry_days" if sc.addons.policy == AddonPolicy::Never => {
            Some("the scenario buys no add-on credits ([addons] policy = \"never\")")
        }
        "plan.price_annual" if sc.billing == crate::scenario::Billing::Monthly => Some(
            "the plan is billed monthly (plan.billing = \"monthly\"), so its annual price is not charged",
        ),
        "open_profile.limit" if sc.open_profile.share == 0.0 => {
            Some("no recipient has an Open Profile (open_profile.share = 0)")
        }
        // Credit-rules §8.3: a decline is a response; its share matters only
        // where declines do not refund.
        "response.declines_share" if sc.refunds.declines => Some(
            "declines refund like any other response (refunds.declines = true), so their \
             share moves nothing",
        ),
        _ => None,
    }
}

/// The numeric key whose value decides whether `path` has an effect
/// ([`without_effect`]), where there is one: a `--set` of the one is not
/// refused while a sweep or solve varies the other.
pub fn enabled_by(path: &str) -> Option<&'static str> {
    (path == "open_profile.limit").then_some("open_profile.share")
}

/// The most grid points a sweep may have (all parameters together).
pub const MAX_POINTS: usize = 10_000;

/// One `--param`: a key and its grid values, ascending.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub key: Key,
    pub values: Vec<f64>,
    /// As given on the command line, for the metadata.
    pub text: String,
}

impl Param {
    /// Reads `KEY=FROM..TO[:STEP]`.
    pub fn parse(text: &str) -> Result<Param, UserError> {
        let bad = |why: String| UserError(format!("--param {text}: {why}"));
        let (name, range) = text
            .split_once('=')
            .ok_or_else(|| bad("expected KEY=FROM..TO[:STEP]".into()))?;
        let key = KEYS
            .iter()
            .find(|k| k.path == name.trim())
            .copied()
            .ok_or_else(|| {
                bad(format!(
                    "unknown parameter; the parameters are {}",
                    key_list()
                ))
            })?;
        let (span, step) = match range.split_once(':') {
            Some((span, step)) => (span, Some(step)),
            None => (range, None),
        };
        let (from, to) = span
            .split_once("..")
            .ok_or_else(|| bad("expected FROM..TO, e.g. 1..10 or 10%..25%:5%".into()))?;
        let number = |s: &str| read_number(s, key.kind).map_err(bad);
        let (from_text, to_text) = (from, to);
        let (from, to) = (number(from)?, number(to)?);
        let percent = |s: &str| s.trim().ends_with('%');
        let step = match step {
            // "10%..30%:5" reads the step as 500% and runs one point: for
            // a range written in percent, a bare step is refused as
            // ambiguous, as --precision does.
            Some(s) if percent(from_text) && percent(to_text) && !percent(s) => {
                return Err(bad(format!(
                    "the range is in percent but the step {0} is not, so it would read as \
                     {0} (a share, {1}%); write the step in percent too, e.g. {0}%",
                    s.trim(),
                    number(s)? * 100.0
                )));
            }
            Some(s) => number(s)?,
            None if key.kind == Kind::Whole => 1.0,
            None if to > from => (to - from) / 10.0,
            None => 1.0,
        };
        let values = grid(from, to, step).map_err(|why| bad(why.to_string()))?;
        if key.kind == Kind::Money {
            if let Some(v) = values.iter().find(|v| !whole_cents(**v)) {
                return Err(bad(format!(
                    "{} is in dollars and cents; the grid has {v} (give a STEP in whole cents)",
                    key.path
                )));
            }
        }
        if key.kind == Kind::Whole {
            if let Some(v) = values.iter().find(|v| v.fract() != 0.0 || **v < 0.0) {
                return Err(bad(format!(
                    "{} takes whole numbers; the grid has {v}",
                    key.path
                )));
            }
        }
        Ok(Param {
            key,
            values,
            text: text.to_string(),
        })
    }
}

/// One `--set KEY=VALUE`: a key of [`KEYS`] and its value, read as a
/// `--param` grid value is (so "12%" and "$10" work), written into the file
/// by [`apply`] and validated with it.
pub fn parse_set(text: &str) -> Result<(Key, f64), UserError> {
    let bad = |why: String| UserError(format!("--set {text}: {why}"));
    let (name, value) = text
        .split_once('=')
        .ok_or_else(|| bad("expected KEY=VALUE, e.g. --set demand.per_workday=5".to_string()))?;
    let key = KEYS
        .iter()
        .find(|k| k.path == name.trim())
        .copied()
        .ok_or_else(|| bad(format!("unknown key; the keys are {}", key_list())))?;
    // `--set 'k="1,000"'`: the quotes of a TOML string, not part of the
    // number; said, rather than blamed on the comma ("1,000" is fine).
    let unquoted = value.trim().trim_matches(|c| c == '"' || c == '\'');
    // Keys whose file value may be a word (`expiry_days = "none"` or
    // "never", credits that never expire): --set writes numbers only.
    let word = ["none", "never"]
        .iter()
        .any(|w| unquoted.eq_ignore_ascii_case(w));
    if key.path.ends_with("expiry_days") && word {
        return Err(bad(format!(
            "--set takes a number of days; credits that never expire are written in the file \
             ({} = \"none\")",
            key.path.rsplit('.').next().unwrap_or(key.path)
        )));
    }
    if unquoted.len() + 2 <= value.trim().len() {
        return Err(bad(format!(
            "write the value without quotes: --set {}={unquoted}",
            key.path
        )));
    }
    let x = read_value(key, value).map_err(bad)?;
    // One value, recorded as written: it must be what runs. (`solve
    // --range` reads its ends by `read_value` too, and bisects between
    // cents anyway.)
    // A share past 0..100%: said here, in the user's own words (written
    // into the file as 1.5, the file's check would read "150%" as 1.5 and
    // suggest "1.5%").
    if key.kind == Kind::Share && !(0.0..=1.0).contains(&x) {
        return Err(bad(format!(
            "{} is a share from 0% to 100% (0 to 1), not {}",
            key.path,
            crate::safe_text::quoted(value.trim())
        )));
    }
    if key.kind == Kind::Money && !whole_cents(x) {
        return Err(bad(format!(
            "{} is in dollars and cents, not {}",
            key.path,
            crate::safe_text::quoted(value.trim())
        )));
    }
    Ok((key, x))
}

/// One value of `key` as the command line writes it (`--set`, `solve
/// --range`): read as a grid's ends are ("12%", "$10"), a whole number
/// for a whole-number key.
pub fn read_value(key: Key, text: &str) -> Result<f64, String> {
    let x = read_number(text, key.kind)?;
    if key.kind == Kind::Whole && (x.fract() != 0.0 || x < 0.0) {
        // The range itself is the scenario's check (`months` from 1, …).
        return Err(format!("{} takes a whole number, not {x}", key.path));
    }
    Ok(x)
}

/// Whether `x` dollars is a whole number of cents. Prices are kept in
/// cents (`values::money_cents`): a value between two cents would run as
/// the nearer one, labelled as it was not.
fn whole_cents(x: f64) -> bool {
    let cents = x * 100.0;
    (cents - cents.round()).abs() <= 1e-6 * cents.abs().max(1.0)
}

/// The keys, comma-separated, for error messages.
pub fn key_list() -> String {
    KEYS.map(|k| k.path).join(", ")
}

/// The largest number `--set`, `--param` and `--range` read; every key's
/// own limit is far below it.
pub const LARGEST: f64 = 1e15;

/// "12%" → 0.12 for shares, "$10" → 10 for money, else a plain number.
/// Refused, saying which: text that is no number, and a number beyond
/// what a float holds ("1e400" parses as infinity, "nan" and "inf" as
/// themselves), which no key allows.
fn read_number(text: &str, kind: Kind) -> Result<f64, String> {
    let t = text.trim();
    let (t, scale) = match kind {
        Kind::Share | Kind::RateCentre => match t.strip_suffix('%') {
            Some(p) => (p.trim(), 0.01),
            None => (t, 1.0),
        },
        // As a file's money reads: "$1,000" too (`values::money_text`);
        // what is no number, or too large, is said below.
        Kind::Money => match crate::scenario::values::money_text(t) {
            Ok(Some(x)) if x.is_finite() && x.abs() <= LARGEST => return Ok(x),
            Err(why) => {
                return Err(format!(
                    "{}: {why}",
                    crate::safe_text::quoted(&truncated(t, MAX_SHOWN_CHARS))
                ));
            }
            _ => (t.strip_prefix('$').unwrap_or(t), 1.0),
        },
        Kind::Whole | Kind::Number => (t, 1.0),
    };
    match t.parse::<f64>() {
        // No key takes more than 1e12 (trials): a larger number is a slip,
        // said short rather than echoed in 309 digits (or as `inf`).
        Ok(x) if x.is_finite() && x.abs() > LARGEST => Err(format!(
            "{} is too large: no key takes more than 1e15",
            crate::safe_text::quoted(&truncated(text.trim(), MAX_SHOWN_CHARS))
        )),
        Ok(x) if x.is_finite() => Ok(x * scale),
        Ok(x) if x.is_infinite() && !t.to_ascii_lowercase().contains("inf") => Err(format!(
            "{} is too large: numbers end at about 1.8e308",
            crate::safe_text::quoted(&truncated(text.trim(), MAX_SHOWN_CHARS))
        )),
        _ => Err(format!(
            "{} is not a number: expected {}",
            crate::safe_text::quoted(&truncated(text.trim(), MAX_SHOWN_CHARS)),
            match kind {
                Kind::Share | Kind::RateCentre => "a share, 12% or 0.12",
                Kind::Money => "an amount in dollars, 10 or $10",
                Kind::Whole => "a whole number",
                Kind::Number => "a number, 2.5 say",
            }
        )),
    }
}

/// FROM, FROM + STEP, … up to TO (included when it is on the grid, within
/// 1e-9 of a step). FROM and TO are kept as written; the values between
/// are freed of the sum's float noise so that 0.1 steps print as 0.3, not
/// 0.30000000000000004 (rounding to a fixed number of decimals instead
/// printed 1e15 as 1000000000000000.1 and made 1e-11 0).
fn grid(from: f64, to: f64, step: f64) -> Result<Vec<f64>, &'static str> {
    if to < from {
        return Err("TO is below FROM");
    }
    if step <= 0.0 {
        return Err("STEP must be above 0");
    }
    let steps = ((to - from) / step + 1e-9).floor();
    if steps + 1.0 > MAX_POINTS as f64 {
        return Err("the grid has more than 10000 points; use a larger STEP");
    }
    Ok((0..=steps as usize)
        .map(|k| {
            if k == 0 {
                // `-0..1` starts at 0, not "-0" (adding 0 drops the sign).
                return from + 0.0;
            }
            let x = from + k as f64 * step;
            // A few units in the last place of the sum's largest term.
            let noise = 4.0 * f64::EPSILON * (from.abs() + k as f64 * step.abs());
            if (x - to).abs() <= noise {
                to + 0.0
            } else {
                crate::numbers::shortest_within(x, noise)
            }
        })
        .collect())
}

/// What two different keys both set, if they set one quantity: a demand
/// volume replaces the file's (`edit`), and `response.rate_center` moves
/// whatever `response.rate` was set to.
pub fn same_quantity(a: Key, b: Key) -> Option<&'static str> {
    let volume = |k: Key| {
        matches!(
            k.path,
            "demand.per_workday" | "demand.per_week" | "demand.per_cycle"
        )
    };
    let rate = |k: Key| matches!(k.path, "response.rate" | "response.rate_center");
    if volume(a) && volume(b) {
        Some("the demand's volume")
    } else if rate(a) && rate(b) {
        Some("the response rate")
    } else {
        None
    }
}

/// The full grid of one or two parameters: every combination, the first
/// parameter varying slowest.
pub fn points(params: &[Param]) -> Result<Vec<Vec<f64>>, UserError> {
    match params {
        [one] => Ok(one.values.iter().map(|v| vec![*v]).collect()),
        [one, two] if one.key == two.key => Err(UserError(format!(
            "--param {} is given twice; sweep two different parameters",
            one.key.path
        ))),
        [one, two] if same_quantity(one.key, two.key).is_some() => Err(UserError(format!(
            "--param {} and --param {} both set {}: the one written last would undo the \
             other at every point; sweep one of them",
            one.key.path,
            two.key.path,
            same_quantity(one.key, two.key).unwrap_or_default()
        ))),
        [one, two] => {
            let n = one.values.len() * two.values.len();
            if n > MAX_POINTS {
                return Err(UserError(format!(
                    "--param {} --param {}: {n} grid points, more than {MAX_POINTS}; use larger steps",
                    one.text, two.text
                )));
            }
            Ok(one
                .values
                .iter()
                .flat_map(|a| two.values.iter().map(move |b| vec![*a, *b]))
                .collect())
        }
        _ => Err(UserError(
            "give --param once or twice: a sweep covers one or two parameters".to_string(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_grid_includes_both_ends_and_prints_clean_decimals() {
        let p = Param::parse("demand.per_workday=0.1..0.5:0.1").unwrap();
        assert_eq!(p.values, vec![0.1, 0.2, 0.3, 0.4, 0.5]);
        let p = Param::parse("response.rate_center=10%..25%:5%").unwrap();
        assert_eq!(p.values, vec![0.1, 0.15, 0.2, 0.25]);
        let p = Param::parse("addons.price=$5..$15:5").unwrap();
        assert_eq!(p.values, vec![5.0, 10.0, 15.0]);
        // A grid from -0 starts at 0, shown "0", not "-0".
        let p = Param::parse("demand.per_workday=-0..1:0.5").unwrap();
        assert!(p.values[0].is_sign_positive(), "{:?}", p.values);
        let p = Param::parse("demand.per_workday=-0..-0").unwrap();
        assert!(
            p.values.iter().all(|v| v.is_sign_positive()),
            "{:?}",
            p.values
        );
        // Money as a file writes it, thousands grouped; a decimal comma
        // is refused as in a file.
        let p = Param::parse("plan.price_monthly=$1,000..$2,000:$500").unwrap();
        assert_eq!(p.values, vec![1000.0, 1500.0, 2000.0]);
        let comma = Param::parse("addons.price=1,5..3").unwrap_err().to_string();
        assert!(comma.contains("only separate thousands"), "{comma}");
        let cents = Param::parse("addons.price=$1,000..$1,000.04:0.004").unwrap_err();
        assert!(cents.to_string().contains("dollars and cents"), "{cents}");
        // Quotes, not the comma, are what is wrong with "1,000".
        let quoted = parse_set("plan.price_monthly=\"1,000\"")
            .unwrap_err()
            .to_string();
        assert!(
            quoted.ends_with("write the value without quotes: --set plan.price_monthly=1,000"),
            "{quoted}"
        );
        let set = parse_set("addons.price=$10.005").unwrap_err().to_string();
        assert!(set.contains("dollars and cents"), "{set}");
        assert_eq!(parse_set("addons.price=$10.05").unwrap().1, 10.05);
        // TO off the grid is left out; whole keys step by 1 by default.
        let p = Param::parse("plan.monthly_credits=10..14").unwrap();
        assert_eq!(p.values, vec![10.0, 11.0, 12.0, 13.0, 14.0]);
        assert_eq!(
            Param::parse("months=1..6:2").unwrap().values,
            vec![1.0, 3.0, 5.0]
        );
        // Values print as written, at any magnitude.
        let p = Param::parse("demand.per_workday=1e15..1e15").unwrap();
        assert_eq!(p.values, vec![1e15]);
        assert_eq!(p.values[0].to_string(), "1000000000000000");
        let p = Param::parse("delay.median_days=1e-11..5e-11:1e-11").unwrap();
        assert_eq!(p.values, vec![1e-11, 2e-11, 3e-11, 4e-11, 5e-11]);
        // Without a step, other keys take ten steps.
        assert_eq!(
            Param::parse("open_profile.share=0..1")
                .unwrap()
                .values
                .len(),
            11
        );
    }

    #[test]
    fn an_unknown_parameter_lists_the_ones_that_exist() {
        let e = Param::parse("demand.per_day=1..5").unwrap_err().0;
        assert!(e.contains("unknown parameter"), "{e}");
        assert!(e.contains("demand.per_workday, demand.per_week"), "{e}");
        assert!(e.contains("response.rate_center"), "{e}");
    }

    #[test]
    fn bad_grids_say_what_is_wrong() {
        let e = |t: &str| Param::parse(t).unwrap_err().0;
        assert!(e("plan.cap=10..20:0.5").contains("whole numbers"));
        assert!(e("demand.per_workday=5..1").contains("TO is below FROM"));
        assert!(e("demand.per_workday=1..5:0").contains("STEP must be above 0"));
        assert!(e("demand.per_workday=1..5:0.0001").contains("more than 10000"));
        assert!(e("demand.per_workday=1-5").contains("FROM..TO"));
        assert!(e("demand.per_workday=a..5").contains("not a number"));
        assert!(e("demand.per_workday=1..1e400").contains("\"1e400\" is too large"));
        assert!(e("demand.per_workday=1..inf").contains("\"inf\" is not a number"));
        // Finite but past any key (echoed as inf, or in 309 digits, before).
        assert!(e("demand.per_workday=1e308..1e308").contains("no key takes more than 1e15"));
        // A bare step for a range in percent would read as a share (500%).
        assert!(e("response.rate=10%..30%:5").contains("write the step in percent too"));
        assert_eq!(
            Param::parse("response.rate=10%..30%:5%")
                .unwrap()
                .values
                .len(),
            5
        );
    }

    #[test]
    fn a_set_value_beyond_a_float_is_too_large_and_nan_is_not_a_number() {
        let e = |t: &str| parse_set(t).unwrap_err().0;
        assert!(e("demand.per_workday=1e400").contains("\"1e400\" is too large"));
        assert!(e("demand.per_workday=-1e400").contains("too large"));
        assert!(e("demand.per_workday=NaN").contains("\"NaN\" is not a number"));
        assert!(e("demand.per_workday=-Infinity").contains("not a number"));
        assert_eq!(parse_set("response.rate=12%").unwrap().1, 0.12);
    }

    #[test]
    fn two_parameters_make_a_full_grid_with_the_first_varying_slowest() {
        let a = Param::parse("demand.per_workday=1..2:1").unwrap();
        let b = Param::parse("addons.price=5..10:5").unwrap();
        let grid = points(&[a.clone(), b]).unwrap();
        assert_eq!(
            grid,
            vec![
                vec![1.0, 5.0],
                vec![1.0, 10.0],
                vec![2.0, 5.0],
                vec![2.0, 10.0]
            ]
        );
        assert!(points(&[a.clone(), a]).is_err());
    }

    #[test]
    fn two_parameters_that_set_one_quantity_are_refused() {
        // A volume replaces the file's volume, so per_week written after
        // per_workday would make the per_workday axis do nothing; the
        // rate's centre likewise moves whatever rate was written.
        for (a, b, what) in [
            (
                "demand.per_workday=1..3:1",
                "demand.per_week=5..15:5",
                "the demand's volume",
            ),
            (
                "demand.per_cycle=10..20:10",
                "demand.per_workday=1..2:1",
                "the demand's volume",
            ),
            (
                "response.rate=10%..30%:10%",
                "response.rate_center=10%..20%:5%",
                "the response rate",
            ),
        ] {
            let (a, b) = (Param::parse(a).unwrap(), Param::parse(b).unwrap());
            let e = points(&[a, b]).unwrap_err().0;
            assert!(e.contains(&format!("both set {what}")), "{e}");
        }
        let rate = Param::parse("response.rate=10%..30%:10%").unwrap();
        let volume = Param::parse("demand.per_week=5..15:5").unwrap();
        assert!(points(&[rate, volume]).is_ok());
    }
}
