//! Reading values the way users write them: rates as `0.12` or `"12%"`,
//! ranges as `"10% to 25%"`, money as `10` or `"$10.00"`, expiry as a number
//! of days or `"none"`. Each reader names the key and says what is allowed.

use super::error::{Invalid, MAX_SHOWN_CHARS, truncated};
use crate::calendar::{Date, days_in_month};
use crate::sampling::rate::RateSpec;
use toml::Value;

const RATE_FORMS: &str = "a share between 0 and 1 (0.12) or a percentage (\"12%\")";

/// Shows a TOML value as the user wrote it (strings quoted), cut to about
/// [`MAX_SHOWN_CHARS`] characters so that a huge value is not echoed whole.
pub fn shown(value: &Value) -> String {
    match value {
        Value::String(s) => crate::safe_text::quoted(&truncated(s, MAX_SHOWN_CHARS)),
        Value::Table(_) => "{ … }".to_string(),
        other => truncated(&other.to_string(), MAX_SHOWN_CHARS),
    }
}

/// A share of something in [0, 1]: `0.12`, `12%`, or a whole `0`/`1`.
pub fn share(key: &str, value: &Value) -> Result<f64, Invalid> {
    let parsed = match value {
        Value::Float(x) => Some(*x),
        Value::Integer(i) => Some(*i as f64),
        Value::String(s) => percent(s),
        _ => None,
    };
    let x =
        parsed.ok_or_else(|| Invalid::new(key, shown(value), format!("expected {RATE_FORMS}")))?;
    if !x.is_finite() || !(0.0..=1.0).contains(&x) {
        // A bare number such as `12` was most likely meant as a percentage.
        let bare = matches!(value, Value::Integer(_) | Value::Float(_));
        let hint = if bare && x > 1.0 && x <= 100.0 {
            format!(
                "a rate above 100% is impossible; for {x}% write \"{x}%\" or {}",
                x / 100.0
            )
        } else if x > 1.0 {
            "a rate above 100% is impossible: it must be between 0% and 100%".to_string()
        } else {
            format!("must be between 0% and 100%: {RATE_FORMS}")
        };
        return Err(Invalid::new(key, shown(value), hint));
    }
    // `-0%` is 0: adding 0 turns -0.0 into 0.0, so no output says "-0.0%".
    Ok(x + 0.0)
}

/// `"12%"` or `"12 %"` → 0.12; a plain number in a string is a share.
fn percent(text: &str) -> Option<f64> {
    let t = text.trim();
    match t.strip_suffix('%') {
        Some(num) => num.trim().parse::<f64>().ok().map(|x| x / 100.0),
        None => t.parse::<f64>().ok(),
    }
}

/// The response rate: a fixed share, a range read as a 90% interval, or a
/// table naming the distribution (credit-rules §5).
pub fn rate(key: &str, value: &Value) -> Result<RateSpec, Invalid> {
    match value {
        Value::String(text) => match range(key, value, text)? {
            Some((low, high)) => Ok(RateSpec::BetaInterval90 { low, high }),
            None => share(key, value).map(RateSpec::Fixed),
        },
        Value::Table(table) => rate_table(key, table),
        _ => share(key, value).map(RateSpec::Fixed),
    }
}

/// A range's two ends, in the order tried: `" to "` first, so that a
/// minus sign in `"-5% to 10%"` is not read as a dash.
const RANGE_SEPARATORS: [&str; 3] = [" to ", "–", "-"];

/// The ends of a range written `"10% to 25%"`, `"10%-25%"`, `"10 - 25%"`,
/// `"10–25%"` (en dash) or `"0.10 to 0.25"`; `Ok(None)` when `text` is not
/// a range. As people write "10–25%", a `%` after the high end alone
/// applies to both ends. Every error quotes the whole value.
fn range(key: &str, value: &Value, text: &str) -> Result<Option<(f64, f64)>, Invalid> {
    let t = text.trim();
    if percent(t).is_some() {
        return Ok(None); // one rate, such as "1e-3"
    }
    let Some((low, high)) = split_range(t) else {
        return Ok(None);
    };
    let whole = |why: String| Invalid::new(key, shown(value), why);
    if split_range(high).is_some() {
        return Err(whole(
            "a range has two ends, a low and a high one, e.g. \"10% to 25%\"".to_string(),
        ));
    }
    let bare = |end: &str| end.parse::<f64>().ok();
    let low = match (bare(low), high.ends_with('%')) {
        (Some(_), true) => format!("{low}%"),
        _ => low.to_string(),
    };
    if let (Some(l), Some(h)) = (bare(&low), bare(high)) {
        if l > 1.0 || h > 1.0 {
            return Err(whole(format!(
                "the ends are shares from 0 to 1; for percentages add the % sign: \"{l}% to {h}%\""
            )));
        }
    }
    let end = |which: &str, end: &str| {
        share(key, &Value::String(end.to_string())).map_err(|e| {
            let end = crate::safe_text::quoted(end);
            whole(format!("the {which} end {end}: {}", e.allowed))
        })
    };
    Ok(Some((end("low", &low)?, end("high", high)?)))
}

/// Splits at the first separator with text on both sides.
fn split_range(text: &str) -> Option<(&str, &str)> {
    RANGE_SEPARATORS.iter().find_map(|sep| {
        let (a, b) = text.split_once(sep)?;
        let (a, b) = (a.trim(), b.trim());
        (!a.is_empty() && !b.is_empty()).then_some((a, b))
    })
}

const RATE_TABLE_FORMS: &str = "distribution = \"fixed\" (value), \"uniform\" (low, high), \
\"triangular\" (low, mode, high), or \"beta\" (low, high for a 90% interval; or mean, sd)";

fn rate_table(key: &str, table: &toml::Table) -> Result<RateSpec, Invalid> {
    let counts = table.contains_key("sent") || table.contains_key("responded");
    if counts && !table.contains_key("distribution") {
        return rate_counts(key, table);
    }
    let dist = match table.get("distribution") {
        Some(Value::String(s)) => s.as_str(),
        Some(other) => {
            return Err(Invalid::new(
                &format!("{key}.distribution"),
                shown(other),
                RATE_TABLE_FORMS,
            ));
        }
        None => {
            return Err(Invalid::new(
                key,
                "{ … }",
                format!("the table needs {RATE_TABLE_FORMS}"),
            ));
        }
    };
    let allowed: &[&str] = match dist {
        "fixed" => &["value"],
        "uniform" => &["low", "high"],
        "triangular" => &["low", "mode", "high"],
        "beta" if table.contains_key("mean") || table.contains_key("sd") => &["mean", "sd"],
        "beta" => &["low", "high"],
        _ => {
            return Err(Invalid::new(
                &format!("{key}.distribution"),
                crate::safe_text::quoted(dist),
                RATE_TABLE_FORMS,
            ));
        }
    };
    for k in table.keys().filter(|k| *k != "distribution") {
        if !allowed.contains(&k.as_str()) {
            let expected = allowed.join(", ");
            return Err(Invalid::new(
                &format!("{key}.{k}"),
                shown(&table[k]),
                format!(
                    "unknown key for distribution = {}; expected {expected}",
                    crate::safe_text::quoted(dist)
                ),
            ));
        }
    }
    let get = |name: &str| -> Result<f64, Invalid> {
        let sub = format!("{key}.{name}");
        let v = table.get(name).ok_or_else(|| {
            Invalid::new(
                &sub,
                "(missing)",
                format!(
                    "distribution = {} needs {}",
                    crate::safe_text::quoted(dist),
                    allowed.join(", ")
                ),
            )
        })?;
        share(&sub, v)
    };
    Ok(match allowed {
        ["value"] => RateSpec::Fixed(get("value")?),
        ["low", "high"] if dist == "uniform" => RateSpec::Uniform {
            low: get("low")?,
            high: get("high")?,
        },
        ["low", "high"] => RateSpec::BetaInterval90 {
            low: get("low")?,
            high: get("high")?,
        },
        ["low", "mode", "high"] => RateSpec::Triangular {
            low: get("low")?,
            mode: get("mode")?,
            high: get("high")?,
        },
        _ => RateSpec::BetaMeanSd {
            mean: get("mean")?,
            sd: get("sd")?,
        },
    })
}

const COUNTS_FORM: &str = "rate = { sent = 240, responded = 41 }: whole numbers of InMails, \
`responded` at most `sent`, counting only InMails old enough to have been answered";

/// `rate = { sent = 240, responded = 41 }`: the rate learned from counts,
/// the posterior beta under the prior `calibrate` uses
/// ([`crate::sampling::rate::PRIOR_ALPHA`], Jeffreys). `responded` counts
/// only InMails old enough to have been answered (docs/calibrate.md):
/// recent InMails with no answer yet would bias the rate low.
fn rate_counts(key: &str, table: &toml::Table) -> Result<RateSpec, Invalid> {
    use crate::sampling::rate::{MAX_SENT, spec_from_counts};
    if let Some(k) = table
        .keys()
        .find(|k| !matches!(k.as_str(), "sent" | "responded"))
    {
        return Err(Invalid::new(
            &format!("{key}.{k}"),
            shown(&table[k]),
            format!("unknown key beside sent and responded; expected {COUNTS_FORM}"),
        ));
    }
    let count = |name: &str, min: u64| -> Result<u64, Invalid> {
        let sub = format!("{key}.{name}");
        match table.get(name) {
            None => Err(Invalid::new(
                &sub,
                "(missing)",
                format!("expected {COUNTS_FORM}"),
            )),
            Some(Value::Integer(n)) if (min as i64..=MAX_SENT as i64).contains(n) => Ok(*n as u64),
            Some(v @ Value::Integer(n)) if *n < 0 => Err(Invalid::new(
                &sub,
                shown(v),
                format!("a count of InMails cannot be negative; expected {COUNTS_FORM}"),
            )),
            Some(v @ Value::Integer(_)) => Err(Invalid::new(
                &sub,
                shown(v),
                format!("expected a whole number from {min} to {MAX_SENT}"),
            )),
            Some(v) => Err(Invalid::new(
                &sub,
                shown(v),
                format!("expected a whole number of InMails: {COUNTS_FORM}"),
            )),
        }
    };
    let sent = count("sent", 1)?;
    let responded = count("responded", 0)?;
    if responded > sent {
        return Err(Invalid::new(
            &format!("{key}.responded"),
            responded,
            format!("more than the {sent} InMails sent; allowed: 0 to {sent}"),
        ));
    }
    Ok(spec_from_counts(sent, responded))
}

const MONEY_RANGE: &str =
    "expected a price in US dollars between 0 and 1,000,000, e.g. 10 or \"$10.00\"";

/// Money in dollars (`10`, `10.5`, `"$10.00"`, `"$1,600"`) → whole cents.
pub fn money_cents(key: &str, value: &Value) -> Result<i64, Invalid> {
    let parsed = match value {
        Value::Float(x) => Some(*x),
        Value::Integer(i) => Some(*i as f64),
        Value::String(s) => money_text(s).map_err(|why| Invalid::new(key, shown(value), why))?,
        _ => None,
    };
    match parsed {
        Some(x) if x.is_finite() && (0.0..=1_000_000.0).contains(&x) => {
            Ok((x * 100.0).round() as i64)
        }
        _ => Err(Invalid::new(key, shown(value), MONEY_RANGE)),
    }
}

/// A dollar amount typed on the command line (`--target cost=$1,000`,
/// `--precision cost_difference=5`), read as a file's money is; `None`
/// when it is no such amount.
pub fn dollars(text: &str) -> Option<f64> {
    money_text(text).ok().flatten()
}

/// A money string: an optional `$`, then a number whose whole part may
/// group its digits in threes with commas (`"1,600"`, `"$12,345,678.9"`).
/// `Ok(None)`: not a number at all. `Err`: a comma anywhere else: `"1,5"`
/// is a decimal comma or a typo, never $15, so the user is asked to write
/// it plainly instead of being read a price ten or a hundred times off.
pub fn money_text(text: &str) -> Result<Option<f64>, String> {
    let t = text.trim();
    let number = t.strip_prefix('$').map_or(t, str::trim_start);
    if !number.contains(',') {
        return Ok(number.parse::<f64>().ok());
    }
    let (whole, fraction) = match number.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (number, None),
    };
    let mut groups = whole.split(',');
    let first = groups.next().unwrap_or_default();
    let digits = |g: &str| g.bytes().all(|b| b.is_ascii_digit());
    // "0,500" or "01,000" groups nothing: a grouped number has no leading
    // 0, so it is a decimal comma ($0.50) or a typo, never $500.
    let grouped = (1..=3).contains(&first.len())
        && digits(first)
        && !first.starts_with('0')
        && groups.all(|g| g.len() == 3 && digits(g))
        && fraction.is_none_or(|f| !f.is_empty() && digits(f));
    if !grouped {
        let rule = "a comma may only separate thousands in the dollars (\"1,600\", \"$1,600.00\")";
        // "1,5" and "$1,50" are most likely a decimal comma.
        let decimal = number.replacen(',', ".", 1);
        // Only "1,5" or "1,50" (one or two digits after the comma) reads
        // as cents; "-1,000" is a sign, not "-1.000".
        let cents_after = number.split_once(',').is_some_and(|(before, after)| {
            (1..=2).contains(&after.len()) || before.starts_with('0')
        });
        return Err(match decimal.parse::<f64>() {
            Ok(_) if number.matches(',').count() == 1 && !number.contains('.') && cents_after => {
                format!("{rule}; for cents write a point: \"{decimal}\"")
            }
            _ => format!("{rule}; for cents write a point, e.g. \"1600.50\""),
        });
    }
    Ok(number.replace(',', "").parse::<f64>().ok())
}

/// Days until credits expire, or `"none"` (Recruiter plans, Help 412114).
pub fn expiry_days(key: &str, value: &Value) -> Result<Option<u32>, Invalid> {
    match value {
        Value::String(s) if s.eq_ignore_ascii_case("none") || s.eq_ignore_ascii_case("never") => {
            Ok(None)
        }
        Value::Integer(i) if (1..=3650).contains(i) => Ok(Some(*i as u32)),
        _ => Err(Invalid::new(
            key,
            shown(value),
            "expected a whole number of days from 1 to 3650, or \"none\" (also \"never\")",
        )),
    }
}

/// `start_date = 2026-01-01` (a TOML date) or `"2026-01-01"`.
pub fn date(key: &str, value: &Value) -> Result<Date, Invalid> {
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Datetime(dt) => dt.to_string(),
        _ => String::new(),
    };
    Date::parse_iso(text.trim())
        .ok_or_else(|| Invalid::new(key, shown(value), why_not_a_date(&text)))
}

/// The dates a scenario may start on: four-digit years.
pub const DATE_RANGE: &str = "0001-01-01 to 9999-12-31";

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Why `text`, which [`Date::parse`] refused, is not a date: not written
/// YYYY-MM-DD, a month or day that does not exist (2026-02-29), or a year
/// outside [`DATE_RANGE`].
fn why_not_a_date(text: &str) -> String {
    let form = "expected a date written YYYY-MM-DD, e.g. 2026-01-01".to_string();
    let parts: Vec<&str> = text.trim().split('-').collect();
    let number = |p: &str, len: usize| {
        let digits = p.len() == len && p.bytes().all(|b| b.is_ascii_digit());
        digits.then(|| p.parse::<u32>().ok()).flatten()
    };
    let [Some(year), Some(month), Some(day)] = (match parts.as_slice() {
        [y, m, d] => [number(y, 4), number(m, 2), number(d, 2)],
        _ => return form,
    }) else {
        return form;
    };
    if year == 0 {
        return format!("year 0 is outside the supported range, {DATE_RANGE}");
    }
    if !(1..=12).contains(&month) {
        return format!("there is no month {month:02}: months are 01 to 12");
    }
    let days = days_in_month(year as i32, month);
    let month_name = MONTH_NAMES[month as usize - 1];
    if day == 0 {
        return format!(
            "there is no day 00: days start at 01 ({month_name} {year} has {days} days)"
        );
    }
    format!("this date does not exist: {month_name} {year} has {days} days")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> Value {
        Value::String(text.to_string())
    }

    #[test]
    fn shares_read_as_fractions_or_percentages() {
        assert_eq!(share("k", &Value::Float(0.12)).unwrap(), 0.12);
        assert_eq!(share("k", &s("12%")).unwrap(), 0.12);
        assert_eq!(share("k", &s(" 12.5 % ")).unwrap(), 0.125);
        assert_eq!(share("k", &Value::Integer(0)).unwrap(), 0.0);
        // A negative zero is 0, never shown "-0.0%".
        for zero in [s("-0%"), Value::Float(-0.0)] {
            assert!(share("k", &zero).unwrap().is_sign_positive(), "{zero}");
        }
    }

    #[test]
    fn shares_outside_zero_to_one_say_what_is_allowed() {
        let e = share("response.rate", &Value::Integer(12)).unwrap_err();
        assert!(e.allowed.contains("above 100%"), "{e}");
        let e = share("response.rate", &s("120%")).unwrap_err();
        assert!(e.to_string().starts_with("response.rate = \"120%\""), "{e}");
        assert!(e.allowed.contains("between 0% and 100%"), "{e}");
        assert!(share("k", &Value::Float(-0.1)).is_err());
        assert!(share("k", &Value::Float(f64::NAN)).is_err());
        assert!(share("k", &s("lots")).is_err());
        assert!(share("k", &Value::Boolean(true)).is_err());
    }

    #[test]
    fn a_range_is_a_ninety_percent_interval() {
        assert_eq!(
            rate("r", &s("10% to 25%")).unwrap(),
            RateSpec::BetaInterval90 {
                low: 0.10,
                high: 0.25
            }
        );
        assert_eq!(
            rate("r", &s("10%–25%")).unwrap(),
            RateSpec::BetaInterval90 {
                low: 0.10,
                high: 0.25
            }
        );
        assert_eq!(rate("r", &s("15%")).unwrap(), RateSpec::Fixed(0.15));
    }

    #[test]
    fn a_percent_sign_after_the_high_end_alone_applies_to_both_ends() {
        let ten_to_25 = RateSpec::BetaInterval90 {
            low: 0.10,
            high: 0.25,
        };
        for text in [
            "10-25%",
            "10 - 25%",
            "10–25%",
            "10 to 25%",
            " 10 to 25 % ",
            "0.10 to 0.25",
        ] {
            assert_eq!(rate("r", &s(text)).unwrap(), ten_to_25, "{text}");
        }
        assert_eq!(rate("r", &s("1e-3")).unwrap(), RateSpec::Fixed(0.001));
    }

    #[test]
    fn a_bad_range_is_quoted_whole_in_the_error() {
        let cases = [
            ("10% to 20% to 30%", "two ends"),
            ("10-25", "add the % sign: \"10% to 25%\""),
            ("10%-25", "the high end \"25\": a rate above 100%"),
            ("10% to lots", "the high end \"lots\""),
            ("-5% to 10%", "the low end \"-5%\""),
        ];
        for (text, why) in cases {
            let e = rate("response.rate", &s(text)).unwrap_err();
            assert_eq!(e.value, format!("{text:?}"), "{e}");
            assert!(e.allowed.contains(why), "{text}: {e}");
        }
    }

    #[test]
    fn rate_counts_give_the_jeffreys_posterior_beta() {
        // 41 of 240: Beta(41.5, 199.5), the prior calibrate states.
        let table: toml::Table = toml::from_str("sent = 240\nresponded = 41").unwrap();
        let spec = rate("response.rate", &Value::Table(table)).unwrap();
        let (a, b) = crate::sampling::rate::RateSampler::new(&spec)
            .unwrap()
            .beta_params()
            .unwrap();
        assert!(
            (a - 41.5).abs() < 1e-9 && (b - 199.5).abs() < 1e-9,
            "{a} {b}"
        );
        // The edges are still betas: none answered, all answered.
        for (sent, responded) in [(10, 0), (10, 10), (1, 1)] {
            let text = format!("sent = {sent}\nresponded = {responded}");
            let table: toml::Table = toml::from_str(&text).unwrap();
            let spec = rate("r", &Value::Table(table)).unwrap();
            let sampler = crate::sampling::rate::RateSampler::new(&spec).unwrap();
            let (a, b) = sampler.beta_params().unwrap();
            let want = (responded as f64 + 0.5, (sent - responded) as f64 + 0.5);
            assert!(
                (a - want.0).abs() < 1e-9 && (b - want.1).abs() < 1e-9,
                "{text}"
            );
        }
    }

    #[test]
    fn rate_tables_name_their_distribution() {
        let t: toml::Table =
            toml::from_str("distribution = \"triangular\"\nlow = 0.1\nmode = \"15%\"\nhigh = 0.3")
                .unwrap();
        assert_eq!(
            rate("r", &Value::Table(t)).unwrap(),
            RateSpec::Triangular {
                low: 0.1,
                mode: 0.15,
                high: 0.3
            }
        );
        let t: toml::Table =
            toml::from_str("distribution = \"beta\"\nmean = 0.15\nsd = 0.04").unwrap();
        assert_eq!(
            rate("r", &Value::Table(t)).unwrap(),
            RateSpec::BetaMeanSd {
                mean: 0.15,
                sd: 0.04
            }
        );
        let t: toml::Table =
            toml::from_str("distribution = \"uniform\"\nlow = 0.1\nhihg = 0.3").unwrap();
        let e = rate("r", &Value::Table(t)).unwrap_err();
        assert_eq!(e.key, "r.hihg");
        let t: toml::Table = toml::from_str("distribution = \"gamma\"").unwrap();
        assert!(
            rate("r", &Value::Table(t))
                .unwrap_err()
                .allowed
                .contains("triangular")
        );
    }

    #[test]
    fn money_is_read_in_dollars_and_kept_in_cents() {
        assert_eq!(money_cents("p", &Value::Float(119.99)).unwrap(), 11999);
        assert_eq!(money_cents("p", &s("$1,600.00")).unwrap(), 160000);
        assert_eq!(money_cents("p", &Value::Integer(10)).unwrap(), 1000);
        assert!(money_cents("p", &Value::Float(-1.0)).is_err());
        assert!(money_cents("p", &Value::Float(f64::INFINITY)).is_err());
    }

    #[test]
    fn a_comma_is_read_only_as_a_thousands_separator() {
        assert_eq!(money_cents("p", &s("1,600")).unwrap(), 160_000);
        assert_eq!(money_cents("p", &s("$12,345.67")).unwrap(), 1_234_567);
        assert_eq!(money_cents("p", &s(" $ 999,999.5 ")).unwrap(), 99_999_950);
        assert_eq!(money_cents("p", &s("1600")).unwrap(), 160_000);
        for bad in [
            "1,5", "$1,50", "1,60", "1,6000", ",600", "1,600,", "1,,600", "1.600,5", "0,500",
            "00,500", "$0,999", "01,000",
        ] {
            let e = money_cents("plan.price_monthly", &s(bad)).unwrap_err();
            assert_eq!(e.value, format!("{bad:?}"));
            assert!(e.allowed.contains("only separate thousands"), "{bad}: {e}");
        }
        let e = money_cents("p", &s("$1,50")).unwrap_err();
        assert!(e.allowed.ends_with("write a point: \"1.50\""), "{e}");
        // A leading 0 groups no thousands: "0,500" is $0.50 written the
        // European way or a typo, never $500 (an independent check).
        let e = money_cents("p", &s("0,500")).unwrap_err();
        assert!(e.allowed.ends_with("write a point: \"0.500\""), "{e}");
        // Past the range, the range is what is wrong.
        let e = money_cents("p", &s("12,345,678.9")).unwrap_err();
        assert!(e.allowed.contains("between 0 and 1,000,000"), "{e}");
    }

    #[test]
    fn a_huge_value_is_shown_cut_short() {
        let shown_text = shown(&s(&"x".repeat(10_000_000)));
        assert_eq!(shown_text, format!("\"{}…\"", "x".repeat(MAX_SHOWN_CHARS)));
        let array = Value::Array(vec![Value::Integer(1); 100_000]);
        assert_eq!(shown(&array).chars().count(), MAX_SHOWN_CHARS + 1);
    }

    #[test]
    fn an_impossible_date_is_said_not_to_exist_and_year_0_to_be_out_of_range() {
        let why = |text: &str| date("start_date", &s(text)).unwrap_err().allowed;
        assert_eq!(
            why("2026-02-29"),
            "this date does not exist: February 2026 has 28 days"
        );
        assert_eq!(
            why("2026-04-31"),
            "this date does not exist: April 2026 has 30 days"
        );
        assert!(why("2026-01-00").starts_with("there is no day 00"));
        assert_eq!(
            why("2026-13-01"),
            "there is no month 13: months are 01 to 12"
        );
        assert_eq!(
            why("0000-01-01"),
            "year 0 is outside the supported range, 0001-01-01 to 9999-12-31"
        );
        for form in [
            "2026/01/01",
            "01-01-2026",
            "2026-01-01T10:00:00",
            "soon",
            "",
        ] {
            assert!(why(form).contains("YYYY-MM-DD"), "{form}: {}", why(form));
        }
        assert_eq!(date("d", &s("2028-02-29")).unwrap().day, 29);
    }

    #[test]
    fn expiry_is_days_or_none() {
        assert_eq!(expiry_days("e", &Value::Integer(90)).unwrap(), Some(90));
        assert_eq!(expiry_days("e", &s("none")).unwrap(), None);
        assert!(expiry_days("e", &Value::Integer(0)).is_err());
        assert!(expiry_days("e", &Value::Integer(-1)).is_err());
    }

    #[test]
    fn a_date_is_read_only_when_written_yyyy_mm_dd() {
        // Dates are exactly YYYY-MM-DD: no two-digit year read as year 26,
        // no sign, no unpadded month or day, and no panic on a multibyte
        // character where a dash should be.
        for bad in [
            "26-01-01",
            "+2026-01-01",
            "2026-1-5",
            "2026-01-5",
            "20é6-01-1",
            "2026年01-01",
        ] {
            assert!(date("start_date", &s(bad)).is_err(), "{bad}");
        }
        assert!(date("start_date", &s("2026-01-05")).is_ok());
    }
}
