//! The commented scenario `inmail-sim init` writes: the keys a user is
//! likely to change, each with a comment made from the key table
//! (`keys::KEYS`: default, allowed values, source), set where the user chose
//! a value and commented out at its default otherwise. The text is
//! validated before it is returned, so a file `init` writes always runs.

use super::catalog::{self, CatalogPlan};
use super::error::Invalid;
use super::keys::KEYS;
use super::values;
use crate::sampling::demand::Volume;
use std::fmt::Write;
use toml::Value;

/// What the user chose on the command line; `None` takes the template's
/// value.
#[derive(Debug, Clone, Default)]
pub struct Choices {
    pub plan: Option<String>,
    pub volume: Option<Volume>,
    /// As written: "10% to 25%", "12%", 0.12.
    pub rate: Option<String>,
    /// "never", "when_empty" or "monthly".
    pub addons: Option<String>,
    /// Seats on the subscription, 1 to 1000.
    pub seats: Option<u32>,
}

/// The plan and demand a template has without choices: the most common
/// question, a Sales Navigator seat at a few InMails a workday.
const DEFAULT_PLAN: &str = "sales_navigator_core";
const DEFAULT_PER_WORKDAY: f64 = 3.0;
/// `addons.per_month` written for `--addons monthly`, which requires it.
const MONTHLY_ADDONS: u32 = 10;

/// One line of the template: a key, the value written, and whether it is
/// set (else commented out).
struct Line {
    path: &'static str,
    value: String,
    set: bool,
}

fn set(path: &'static str, value: impl Into<String>) -> Line {
    Line {
        path,
        value: value.into(),
        set: true,
    }
}

fn off(path: &'static str, value: &str) -> Line {
    Line {
        path,
        value: value.to_string(),
        set: false,
    }
}

/// The template's text for `choices`; `file` names it in the run command
/// the header shows. Bad choices are refused naming the option.
pub fn text(choices: &Choices, file: &str) -> Result<String, Invalid> {
    let plan = plan(choices.plan.as_deref())?;
    let rate = rate(choices.rate.as_deref())?;
    let policy = choices.addons.as_deref().unwrap_or("never");
    if !["never", "when_empty", "monthly"].contains(&policy) {
        return Err(Invalid::new(
            "--addons",
            format!("{policy:?}"),
            "expected never, when_empty or monthly",
        ));
    }
    let mut out = header(file);
    section(&mut out, "", &top(choices.seats));
    section(&mut out, "plan", &plan_lines(plan));
    section(&mut out, "demand", &demand_lines(choices.volume));
    section(
        &mut out,
        "response",
        &[
            set("response.rate", rate),
            off("response.redraw", "\"trial\""),
        ],
    );
    section(
        &mut out,
        "delay",
        &[off("delay.median_days", "2"), off("delay.p90_days", "12")],
    );
    section(
        &mut out,
        "refunds",
        &[
            off("refunds.window_days", "90"),
            off("refunds.expiry", "\"fresh\""),
        ],
    );
    section(
        &mut out,
        "open_profile",
        &[
            off("open_profile.share", "0"),
            off("open_profile.limit", "100"),
        ],
    );
    section(&mut out, "addons", &addon_lines(policy));
    if plan.id.starts_with("recruiter") {
        // On by default under a Recruiter plan, and the rule most likely
        // to stop a recruiter's sends (§5, Help 413271): shown, so that
        // nobody meets it first in the results.
        section(&mut out, "floor", &[off("floor.enabled", "true")]);
    }
    Ok(out)
}

/// The header comment. `file` is the user's file name: its control
/// characters are shown escaped (`\n`), or a line break in it would end the
/// comment and put the rest of the name into the scenario as TOML.
fn header(file: &str) -> String {
    let file = crate::safe_text::for_terminal(file);
    format!(
        "# A scenario written by `inmail-sim init`. Run it with\n\
#   inmail-sim run {file}\n\
# Change the values set below to yours. A line starting with `#` is a\n\
# comment: remove the `#` to set that key (the value shown is its default).\n\
# Every key, its default and its source: `inmail-sim help scenario`.\n\
# §N is a section of the model (docs/credit-rules.md), Help N a LinkedIn\n\
# Help Center answer.\n"
    )
}

fn top(seats: Option<u32>) -> Vec<Line> {
    let seats = match seats {
        Some(n) => set("seats", n.to_string()),
        None => off("seats", "1"),
    };
    vec![
        off("months", "12"),
        off("start_date", "2026-01-01"),
        off("trials", "100000"),
        off("seed", "1"),
        seats,
    ]
}

fn plan(id: Option<&str>) -> Result<&'static CatalogPlan, Invalid> {
    let id = id.unwrap_or(DEFAULT_PLAN);
    catalog::find(id).ok_or_else(|| {
        Invalid::new(
            "--plan",
            format!("{id:?}"),
            format!("unknown plan; known plans: {}", catalog::known_ids()),
        )
    })
}

fn plan_lines(p: &CatalogPlan) -> Vec<Line> {
    let dollars = |cents: i64| format!("{}.{:02}", cents / 100, cents % 100);
    let expiry = match p.expiry_days {
        Some(d) => d.to_string(),
        None => "\"none\"".to_string(),
    };
    let renewal = match p.renewal {
        crate::calendar::Renewal::Calendar => "\"calendar\"",
        crate::calendar::Renewal::Anniversary => "\"anniversary\"",
    };
    vec![
        set("plan.id", format!("{:?}", p.id)),
        off("plan.billing", "\"monthly\""),
        off("plan.price_monthly", &dollars(p.price_monthly_cents)),
        off("plan.price_annual", &dollars(p.price_annual_cents)),
        off("plan.monthly_credits", &p.monthly_credits.to_string()),
        off("plan.cap", &p.cap.to_string()),
        off("plan.expiry_days", &expiry),
        off("plan.renewal", renewal),
        off("plan.pooled", if p.pooled { "true" } else { "false" }),
    ]
}

fn demand_lines(volume: Option<Volume>) -> Vec<Line> {
    let number = |x: f64| {
        Value::Float(x)
            .to_string()
            .trim_end_matches(".0")
            .to_string()
    };
    let volume = match volume.unwrap_or(Volume::PerWorkday(DEFAULT_PER_WORKDAY)) {
        Volume::PerWorkday(x) => set("demand.per_workday", number(x)),
        Volume::PerWeek(x) => set("demand.per_week", number(x)),
        Volume::PerCycle(x) => set("demand.per_cycle", number(x)),
    };
    vec![
        volume,
        off("demand.distribution", "\"poisson\""),
        off("demand.weekends", "false"),
        off("demand.backlog", "false"),
    ]
}

fn rate(text: Option<&str>) -> Result<String, Invalid> {
    let Some(text) = text else {
        return Ok("\"10% to 25%\"".to_string());
    };
    // Read as the file will read it, so that a bad rate is refused here,
    // naming the option rather than a key the user did not write.
    let value = match text.trim().parse::<f64>() {
        Ok(x) => Value::Float(x),
        Err(_) => Value::String(text.trim().to_string()),
    };
    values::rate("--rate", &value)?;
    Ok(value.to_string())
}

fn addon_lines(policy: &str) -> Vec<Line> {
    let mut lines = vec![
        set("addons.policy", format!("{policy:?}")),
        off("addons.price", "10"),
    ];
    match policy {
        "when_empty" => {
            lines.push(off("addons.pack", "1"));
            lines.push(off("addons.max_per_month", "20"));
        }
        "monthly" => lines.push(set("addons.per_month", MONTHLY_ADDONS.to_string())),
        _ => {}
    }
    lines.push(off("addons.expiry_days", "90"));
    lines
}

/// A table: its header, then each key with its comment from the key table.
fn section(out: &mut String, name: &str, lines: &[Line]) {
    if !name.is_empty() {
        let _ = writeln!(out, "\n[{name}]");
    } else {
        out.push('\n');
    }
    for line in lines {
        let key = KEYS
            .iter()
            .find(|k| k.path == line.path)
            .expect("the template writes only keys of the key table");
        let leaf = line.path.rsplit('.').next().unwrap_or(line.path);
        let _ = writeln!(
            out,
            "# {leaf}: {}. Default {}; allowed {}.",
            key.about, key.default, key.allowed
        );
        let hash = if line.set { "" } else { "# " };
        let _ = writeln!(out, "{hash}{leaf} = {}", line.value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Overrides, parse};
    use std::path::Path;

    fn scenario(choices: &Choices) -> crate::scenario::Scenario {
        let text = text(choices, "my.toml").unwrap();
        parse(&text, Path::new("my.toml"), &Overrides::default())
            .unwrap_or_else(|e| panic!("{e}\n{text}"))
    }

    #[test]
    fn the_template_runs_for_every_plan_and_every_addon_policy() {
        for p in catalog::CATALOG {
            for policy in ["never", "when_empty", "monthly"] {
                let choices = Choices {
                    plan: Some(p.id.to_string()),
                    addons: Some(policy.to_string()),
                    ..Choices::default()
                };
                let sc = scenario(&choices);
                assert_eq!(sc.plan.id, p.id);
            }
        }
    }

    #[test]
    fn the_choices_are_written_and_the_rest_is_commented_out_at_its_default() {
        let sc = scenario(&Choices {
            volume: Some(Volume::PerWeek(12.5)),
            rate: Some("12%".to_string()),
            addons: Some("when_empty".to_string()),
            ..Choices::default()
        });
        assert_eq!(sc.demand.volume, Volume::PerWeek(12.5));
        assert_eq!(
            sc.response.spec,
            crate::sampling::rate::RateSpec::Fixed(0.12)
        );
        assert!(matches!(
            sc.addons.policy,
            crate::scenario::AddonPolicy::WhenEmpty {
                pack: 1,
                max_per_month: None
            }
        ));
        let sc = scenario(&Choices {
            plan: Some("recruiter_corporate".to_string()),
            seats: Some(5),
            ..Choices::default()
        });
        assert_eq!((sc.seats.count, sc.seats.pooled), (5, true));
        let sc = scenario(&Choices::default());
        assert_eq!(sc.seats.count, 1);
        assert_eq!(sc.plan.id, DEFAULT_PLAN);
        assert_eq!(sc.demand.volume, Volume::PerWorkday(3.0));
        assert_eq!(sc.months, 12);
    }

    /// Every commented-out line, uncommented, gives the scenario it would
    /// without the line: the values shown are the defaults.
    #[test]
    fn uncommenting_a_default_line_changes_nothing() {
        let base = text(
            &Choices {
                addons: Some("when_empty".into()),
                ..Choices::default()
            },
            "x",
        )
        .unwrap();
        let plain = parse(&base, Path::new("x.toml"), &Overrides::default()).unwrap();
        let mut section = String::new();
        for line in base.lines() {
            if line.starts_with('[') {
                section = line.to_string();
            }
            let Some(key_line) = line
                .strip_prefix("# ")
                .filter(|l| l.contains(" = ") && !l.contains(':'))
            else {
                continue;
            };
            if key_line.starts_with("max_per_month") || key_line.starts_with("limit") {
                continue; // no limit by default: the line shows an example limit
            }
            if key_line.starts_with("price_monthly") {
                continue; // setting it also sets price_annual's default (see the key table)
            }
            let edited = base.replacen(
                &format!("{section}\n"),
                &format!("{section}\n{key_line}\n"),
                1,
            );
            let edited = if section.is_empty() {
                format!("{key_line}\n{base}")
            } else {
                edited
            };
            let sc = parse(&edited, Path::new("x.toml"), &Overrides::default())
                .unwrap_or_else(|e| panic!("{key_line}: {e}"));
            assert_eq!(
                format!("{:?}", sc.plan),
                format!("{:?}", plain.plan),
                "{key_line}"
            );
            assert_eq!(
                format!("{:?}", sc.demand),
                format!("{:?}", plain.demand),
                "{key_line}"
            );
            assert_eq!(
                format!("{:?}", sc.addons),
                format!("{:?}", plain.addons),
                "{key_line}"
            );
            assert_eq!(
                format!("{:?}", sc.refunds),
                format!("{:?}", plain.refunds),
                "{key_line}"
            );
            assert_eq!(
                (sc.months, sc.trials, sc.seed),
                (plain.months, plain.trials, plain.seed),
                "{key_line}"
            );
        }
    }

    #[test]
    fn bad_choices_name_the_option() {
        let bad = |c: Choices| text(&c, "x").unwrap_err().key;
        assert_eq!(
            bad(Choices {
                plan: Some("sales_nav".into()),
                ..Choices::default()
            }),
            "--plan"
        );
        assert_eq!(
            bad(Choices {
                rate: Some("250%".into()),
                ..Choices::default()
            }),
            "--rate"
        );
        assert_eq!(
            bad(Choices {
                addons: Some("always".into()),
                ..Choices::default()
            }),
            "--addons"
        );
    }
}
