//! Reading values the way users write them: rates as `0.12` or `"12%"`,
//! ranges as `"10% to 25%"`, money as `10` or `"$10.00"`, expiry as a number
//! of days or `"none"`. Each reader names the key and says what is allowed.

use super::error::{Invalid, MAX_SHOWN_CHARS, truncated};
use crate::calendar::Date;
use crate::sampling::rate::RateSpec;
use toml::Value;

const RATE_FORMS: &str = "a share between 0 and 1 (0.12) or a percentage (\"12%\")";

/// Shows a TOML value as the user wrote it (strings quoted), cut to about
/// [`MAX_SHOWN_CHARS`] characters so that a huge value is not echoed whole.
pub fn shown(value: &Value) -> String {
    match value {
        Value::String(s) => format!("{:?}", truncated(s, MAX_SHOWN_CHARS)),
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
    Ok(x)
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
        Value::String(s) if split_range(s).is_some() => {
            let (low, high) = split_range(s).unwrap_or_default();
            let low = share(key, &Value::String(low))?;
            let high = share(key, &Value::String(high))?;
            Ok(RateSpec::BetaInterval90 { low, high })
        }
        Value::Table(table) => rate_table(key, table),
        _ => share(key, value).map(RateSpec::Fixed),
    }
}

/// Splits `"10% to 25%"` or `"10%-25%"` / `"10%–25%"` into its two ends.
fn split_range(text: &str) -> Option<(String, String)> {
    for sep in [" to ", "–", "-"] {
        if let Some((a, b)) = text.split_once(sep) {
            if !a.trim().is_empty() && !b.trim().is_empty() {
                return Some((a.trim().to_string(), b.trim().to_string()));
            }
        }
    }
    None
}

const RATE_TABLE_FORMS: &str = "distribution = \"fixed\" (value), \"uniform\" (low, high), \
\"triangular\" (low, mode, high), or \"beta\" (low, high for a 90% interval; or mean, sd)";

fn rate_table(key: &str, table: &toml::Table) -> Result<RateSpec, Invalid> {
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
                format!("{dist:?}"),
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
                format!("unknown key for distribution = {dist:?}; expected {expected}"),
            ));
        }
    }
    let get = |name: &str| -> Result<f64, Invalid> {
        let sub = format!("{key}.{name}");
        let v = table.get(name).ok_or_else(|| {
            Invalid::new(
                &sub,
                "(missing)",
                format!("distribution = {dist:?} needs {}", allowed.join(", ")),
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

/// Money in dollars (`10`, `10.5`, `"$10.00"`) → whole cents.
pub fn money_cents(key: &str, value: &Value) -> Result<i64, Invalid> {
    let parsed = match value {
        Value::Float(x) => Some(*x),
        Value::Integer(i) => Some(*i as f64),
        Value::String(s) => s
            .trim()
            .trim_start_matches('$')
            .replace(',', "")
            .parse::<f64>()
            .ok(),
        _ => None,
    };
    match parsed {
        Some(x) if x.is_finite() && (0.0..=1_000_000.0).contains(&x) => {
            Ok((x * 100.0).round() as i64)
        }
        _ => Err(Invalid::new(
            key,
            shown(value),
            "expected a price in US dollars between 0 and 1,000,000, e.g. 10 or \"$10.00\"",
        )),
    }
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
            "expected a whole number of days from 1 to 3650, or \"none\"",
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
    Date::parse(&text).ok_or_else(|| {
        Invalid::new(
            key,
            shown(value),
            "expected a date written YYYY-MM-DD, e.g. 2026-01-01",
        )
    })
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
    fn a_huge_value_is_shown_cut_short() {
        let shown_text = shown(&s(&"x".repeat(10_000_000)));
        assert_eq!(shown_text, format!("\"{}…\"", "x".repeat(MAX_SHOWN_CHARS)));
        let array = Value::Array(vec![Value::Integer(1); 100_000]);
        assert_eq!(shown(&array).chars().count(), MAX_SHOWN_CHARS + 1);
    }

    #[test]
    fn expiry_is_days_or_none() {
        assert_eq!(expiry_days("e", &Value::Integer(90)).unwrap(), Some(90));
        assert_eq!(expiry_days("e", &s("none")).unwrap(), None);
        assert!(expiry_days("e", &Value::Integer(0)).is_err());
        assert!(expiry_days("e", &Value::Integer(-1)).is_err());
    }
}
