//! Writing a grid value into a scenario file's TOML, before validation, so
//! that a swept value is checked exactly like one the user wrote.
//!
//! Two keys need more than a plain write:
//! - the demand volume keys (`demand.per_workday`, `per_week`, `per_cycle`)
//!   replace each other: sweeping `per_workday` over a file that states
//!   `per_week` removes `per_week`;
//! - `response.rate_center` moves the response-rate distribution so that its
//!   centre is the grid value and its shape is kept (see [`centred`]).

use super::{Key, Kind};
use crate::sampling::rate::RateSpec;
use crate::scenario::values;
use crate::scenario::{Invalid, Problem, ScenarioError, table_and_seed};
use std::path::Path;
use toml::{Table, Value};

const VOLUME_KEYS: [&str; 3] = ["per_workday", "per_week", "per_cycle"];

/// The scenario text with every `(key, value)` of `edits` written in.
pub fn apply(text: &str, path: &Path, edits: &[(Key, f64)]) -> Result<String, ScenarioError> {
    let syntax = |e: String| ScenarioError {
        file: path.to_path_buf(),
        problem: Problem::Syntax(e),
    };
    let (seed, mut table) = table_and_seed(text).map_err(|e| syntax(e.to_string()))?;
    for (key, value) in edits {
        set(&mut table, *key, *value).map_err(|inv| inv.in_file(path))?;
    }
    let rest = toml::to_string(&table).map_err(|e| syntax(e.to_string()))?;
    // Top-level keys come before the first table, so the seed goes first.
    Ok(match seed {
        Some(seed) => format!("seed = {seed}\n{rest}"),
        None => rest,
    })
}

fn set(root: &mut Table, key: Key, value: f64) -> Result<(), Invalid> {
    let (section, leaf) = match key.path.split_once('.') {
        Some((section, leaf)) => (Some(section), leaf),
        None => (None, key.path),
    };
    if section == Some("follow_ups") {
        follow_ups_on(root, key.path, value)?;
    }
    let table = match section {
        None => root,
        Some(name) => section_table(root, name)?,
    };
    if section == Some("demand") && VOLUME_KEYS.contains(&leaf) {
        table.retain(|k, _| !VOLUME_KEYS.contains(&k));
    }
    match key.kind {
        Kind::RateCentre => {
            let spec = match table.get("rate") {
                Some(v) => values::rate("response.rate", v)?,
                None => RateSpec::default(),
            };
            table.insert("rate".to_string(), rate_value(&centred(&spec, value)?));
        }
        Kind::Whole => {
            table.insert(leaf.to_string(), Value::Integer(value as i64));
        }
        Kind::Number | Kind::Share | Kind::Money => {
            table.insert(leaf.to_string(), Value::Float(value));
        }
    }
    Ok(())
}

/// A `follow_ups` key is edited only where follow-ups are on: they are on
/// once the `[follow_ups]` table is present (credit-rules §5), so writing
/// one of its keys into a file without it would turn them on unseen, and
/// into a file with `enabled = false` would change nothing.
fn follow_ups_on(root: &Table, key: &str, value: f64) -> Result<(), Invalid> {
    let off = |why: &str| {
        Err(Invalid::new(
            key,
            value,
            format!(
                "follow-ups are off in this file ({why}), and a value for {key} would {}; \
                 to study follow-ups, turn them on in the file ([follow_ups], enabled = true)",
                if why.starts_with("no") {
                    "turn them on unseen"
                } else {
                    "change nothing"
                }
            ),
        ))
    };
    match root.get("follow_ups") {
        None => off("no [follow_ups] table"),
        Some(Value::Table(t)) if t.get("enabled") == Some(&Value::Boolean(false)) => {
            off("enabled = false")
        }
        Some(_) => Ok(()),
    }
}

/// The number a file's `value` of `key` states, read as the scenario reads
/// that key: money as `10` or `"$10.00"` (to the cent), a share as `0.12`
/// or `"12%"`, other numbers as written. `None` for a value that is no
/// number (`expiry_days = "none"`) and for `response.rate_center`, which
/// is not a key of the file. The reverse of [`apply`], for `solve`'s
/// default range.
pub fn stated(key: Key, value: &Value) -> Option<f64> {
    match key.kind {
        Kind::Money => values::money_cents(key.path, value)
            .ok()
            .map(|cents| cents as f64 / 100.0),
        Kind::Share => values::share(key.path, value).ok(),
        Kind::Whole | Kind::Number => value
            .as_float()
            .or_else(|| value.as_integer().map(|i| i as f64)),
        Kind::RateCentre => None,
    }
}

/// Whether follow-ups are off in a scenario file's text (no
/// `[follow_ups]` table, or `enabled = false`); text that does not parse
/// counts as on, so that its own error is the one reported.
pub fn follow_ups_off(text: &str) -> bool {
    table_and_seed(text).is_ok_and(|(_, root)| match root.get("follow_ups") {
        None => true,
        Some(Value::Table(t)) => t.get("enabled") == Some(&Value::Boolean(false)),
        Some(_) => false,
    })
}

fn section_table<'t>(root: &'t mut Table, name: &str) -> Result<&'t mut Table, Invalid> {
    let entry = root
        .entry(name.to_string())
        .or_insert_with(|| Value::Table(Table::new()));
    match entry {
        Value::Table(t) => Ok(t),
        other => Err(Invalid::new(
            name,
            values::shown(other),
            "must be a table to sweep one of its keys",
        )),
    }
}

/// Twelve decimals: removes the float noise of a shift (0.15000000000000002).
fn tidy(x: f64) -> f64 {
    (x * 1e12).round() / 1e12
}

/// The rate distribution moved to centre `c`, keeping its shape. The centre
/// of each form: the value of `fixed`; the midpoint of `uniform`; the mean
/// `(low + mode + high) / 3` of `triangular`; `mean` of a beta given by
/// mean and sd (sd kept); the midpoint of a beta's 90% interval (the
/// interval keeps its width; the beta is fitted again to the moved one).
pub fn centred(spec: &RateSpec, c: f64) -> Result<RateSpec, Invalid> {
    let moved = match *spec {
        RateSpec::Fixed(_) => RateSpec::Fixed(c),
        RateSpec::Uniform { low, high } => {
            let d = c - (low + high) / 2.0;
            RateSpec::Uniform {
                low: tidy(low + d),
                high: tidy(high + d),
            }
        }
        RateSpec::Triangular { low, mode, high } => {
            let d = c - (low + mode + high) / 3.0;
            RateSpec::Triangular {
                low: tidy(low + d),
                mode: tidy(mode + d),
                high: tidy(high + d),
            }
        }
        RateSpec::BetaMeanSd { sd, .. } => RateSpec::BetaMeanSd { mean: c, sd },
        RateSpec::BetaInterval90 { low, high } => {
            let d = c - (low + high) / 2.0;
            RateSpec::BetaInterval90 {
                low: tidy(low + d),
                high: tidy(high + d),
            }
        }
    };
    let (low, high) = match moved {
        RateSpec::Fixed(p) | RateSpec::BetaMeanSd { mean: p, .. } => (p, p),
        RateSpec::Uniform { low, high }
        | RateSpec::Triangular { low, high, .. }
        | RateSpec::BetaInterval90 { low, high } => (low, high),
    };
    if low < 0.0 || high > 1.0 {
        // Said the same for --set, a sweep's grid and solve's range: the
        // centres that keep this distribution inside 0% to 100%.
        let pct = |x: f64| format!("{}%", crate::numbers::significant(100.0 * x));
        let (lo, hi) = centre_range(spec);
        let allowed = if lo <= hi {
            format!("a centre from {} to {} keeps it inside", pct(lo), pct(hi))
        } else {
            "no centre keeps this distribution inside: narrow it".to_string()
        };
        return Err(Invalid::new(
            "response.rate_center",
            c,
            format!(
                "moving the response rate there puts it at {} to {}, outside 0% to 100%; \
                 {allowed}",
                pct(low),
                pct(high)
            ),
        ));
    }
    Ok(moved)
}

/// The centres `centred` can move `spec` to with the rate kept inside
/// 0.5%..99.5% (a beta's ends must be strictly inside 0..1), as `(lo,
/// hi)`; `lo > hi` when none can.
pub fn centre_range(spec: &RateSpec) -> (f64, f64) {
    const EDGE: f64 = 0.005;
    let around =
        |centre: f64, low: f64, high: f64| (EDGE + (centre - low), 1.0 - EDGE - (high - centre));
    match *spec {
        RateSpec::Fixed(_) => (EDGE, 1.0 - EDGE),
        RateSpec::Uniform { low, high } | RateSpec::BetaInterval90 { low, high } => {
            around((low + high) / 2.0, low, high)
        }
        RateSpec::Triangular { low, mode, high } => around((low + mode + high) / 3.0, low, high),
        // A beta with this sd needs sd² < c (1 − c).
        RateSpec::BetaMeanSd { sd, .. } => {
            let half = (1.0 - 4.0 * sd * sd).max(0.0).sqrt() / 2.0;
            (0.5 - half + EDGE, 0.5 + half - EDGE)
        }
    }
}

fn rate_value(spec: &RateSpec) -> Value {
    let table = |dist: &str, entries: &[(&str, f64)]| {
        let mut t = Table::new();
        t.insert("distribution".into(), Value::String(dist.into()));
        for (k, v) in entries {
            t.insert((*k).into(), Value::Float(*v));
        }
        Value::Table(t)
    };
    match *spec {
        RateSpec::Fixed(p) => Value::Float(p),
        RateSpec::Uniform { low, high } => table("uniform", &[("low", low), ("high", high)]),
        RateSpec::Triangular { low, mode, high } => table(
            "triangular",
            &[("low", low), ("mode", mode), ("high", high)],
        ),
        RateSpec::BetaMeanSd { mean, sd } => table("beta", &[("mean", mean), ("sd", sd)]),
        RateSpec::BetaInterval90 { low, high } => table("beta", &[("low", low), ("high", high)]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Overrides, parse};
    use crate::sweep::KEYS;

    fn key(path: &str) -> Key {
        *KEYS.iter().find(|k| k.path == path).unwrap()
    }

    const BASE: &str = "seed = 3\n[plan]\nid = \"sales_navigator_core\"\n[demand]\nper_week = 10\n";

    fn edited(text: &str, edits: &[(&str, f64)]) -> crate::scenario::Scenario {
        let edits: Vec<(Key, f64)> = edits.iter().map(|(k, v)| (key(k), *v)).collect();
        let text = apply(text, Path::new("x.toml"), &edits).unwrap();
        parse(&text, Path::new("x.toml"), &Overrides::default()).unwrap()
    }

    #[test]
    fn a_seed_above_the_largest_toml_integer_is_kept() {
        let text = BASE.replace("seed = 3", "seed = 18446744073709551615");
        let sc = edited(&text, &[("demand.per_workday", 2.0)]);
        assert_eq!(sc.seed, u64::MAX);
        assert_eq!(sc.demand.volume, crate::scenario::Volume::PerWorkday(2.0));
    }

    #[test]
    fn a_follow_up_key_is_refused_where_follow_ups_are_off_and_written_where_on() {
        let refused = |text: &str| {
            let edits = [(key("follow_ups.after_days"), 6.0)];
            apply(text, Path::new("x.toml"), &edits)
                .unwrap_err()
                .to_string()
        };
        let absent = refused(BASE);
        assert!(absent.contains("no [follow_ups] table"), "{absent}");
        assert!(absent.contains("turn them on unseen"), "{absent}");
        let disabled = refused(&format!("{BASE}[follow_ups]\nenabled = false\n"));
        assert!(disabled.contains("enabled = false"), "{disabled}");
        let on = format!("{BASE}[follow_ups]\nafter_days = 3\n");
        let sc = edited(&on, &[("follow_ups.after_days", 9.0)]);
        assert_eq!(sc.follow_ups.map(|f| f.after_days), Some(9));
    }

    #[test]
    fn a_volume_key_replaces_the_other_volume_keys() {
        let sc = edited(BASE, &[("demand.per_workday", 3.5)]);
        assert_eq!(sc.demand.volume, crate::scenario::Volume::PerWorkday(3.5));
        assert_eq!(sc.seed, 3);
    }

    #[test]
    fn whole_number_money_and_share_keys_are_written_in_their_forms() {
        let sc = edited(
            BASE,
            &[
                ("plan.monthly_credits", 20.0),
                ("addons.price", 12.5),
                ("open_profile.share", 0.25),
                ("months", 3.0),
            ],
        );
        assert_eq!(sc.plan.monthly_credits, 20);
        assert_eq!(sc.addons.price_cents, 1250);
        assert_eq!(sc.open_profile.share, 0.25);
        assert_eq!(sc.months, 3);
    }

    #[test]
    fn the_rate_centre_moves_each_form_and_keeps_its_shape() {
        let c = |spec: RateSpec| centred(&spec, 0.3).unwrap();
        assert_eq!(c(RateSpec::Fixed(0.1)), RateSpec::Fixed(0.3));
        assert_eq!(
            c(RateSpec::Uniform {
                low: 0.1,
                high: 0.2
            }),
            RateSpec::Uniform {
                low: 0.25,
                high: 0.35
            }
        );
        assert_eq!(
            c(RateSpec::Triangular {
                low: 0.1,
                mode: 0.1,
                high: 0.4
            }),
            RateSpec::Triangular {
                low: 0.2,
                mode: 0.2,
                high: 0.5
            }
        );
        assert_eq!(
            c(RateSpec::BetaMeanSd {
                mean: 0.1,
                sd: 0.05
            }),
            RateSpec::BetaMeanSd {
                mean: 0.3,
                sd: 0.05
            }
        );
        // The default "10% to 25%": midpoint 17.5% → 22.5% to 37.5%.
        assert_eq!(
            c(RateSpec::default()),
            RateSpec::BetaInterval90 {
                low: 0.225,
                high: 0.375
            }
        );
        let e = centred(&RateSpec::default(), 0.05).unwrap_err();
        assert_eq!(e.key, "response.rate_center");
        assert!(e.allowed.contains("outside 0% to 100%"), "{e}");
    }

    #[test]
    fn the_rate_centre_is_written_back_as_a_table_the_scenario_accepts() {
        let text = format!("{BASE}[response]\nrate = \"10% to 20%\"\n");
        let sc = edited(&text, &[("response.rate_center", 0.2)]);
        assert_eq!(
            sc.response.spec,
            RateSpec::BetaInterval90 {
                low: 0.15,
                high: 0.25
            }
        );
        let sc = edited(BASE, &[("response.rate_center", 0.2)]);
        assert_eq!(
            sc.response.spec,
            RateSpec::BetaInterval90 {
                low: 0.125,
                high: 0.275
            }
        );
    }
}
