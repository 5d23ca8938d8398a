//! `metadata.csv`: what was run — tool version, command, scenario, file
//! hash, seed, trials, months, the `--samples` trials, and whether Ctrl-C
//! cut it short (`partial`) — as `key,value` rows. It is the provenance of
//! every CSV beside it (they carry no comment lines, issue 21). `threads` and `wall_time_seconds`
//! describe this particular run; every other row is reproducible.
//! `metadata.json` holds the same rows of every command as one JSON object.

use super::table::write_key_values;
use super::{Exporter, FinishedRun};
use crate::safe_text::for_spreadsheet;
use crate::scenario::Billing;
use std::borrow::Cow;
use std::io::{self, Write};
use std::time::Duration;

/// Facts about a run that are not statistics.
#[derive(Debug, Clone)]
pub struct RunMetadata {
    pub scenario_file: String,
    /// SHA-256 of the scenario file's bytes, in hex (`sha256sum` prints the same).
    pub scenario_sha256: String,
    pub threads: usize,
    pub wall_time: Duration,
    /// Stopped by Ctrl-C with `--keep-partial`: `trials` is the trials
    /// completed (always `0..trials`).
    pub partial: bool,
    /// The `--set` edits as given, space-separated; empty without them
    /// (then metadata has no `set` row, as before `--set` existed).
    pub set: String,
    /// `--samples FILE`: the file as given and how many trials it holds
    /// (trials `0..n`).
    pub samples: Option<(String, u64)>,
}

/// The `key,value` rows of a run's metadata.csv (and metadata.json).
pub fn run_metadata_rows(run: &FinishedRun<'_>) -> Vec<(String, String)> {
    let sc = run.scenario;
    let meta = run.metadata;
    let billing = match sc.billing {
        Billing::Monthly => "monthly",
        Billing::Annual => "annual",
    };
    let rows: [(&str, String); 17] = [
        ("tool", env!("CARGO_PKG_NAME").to_string()),
        ("tool_version", env!("CARGO_PKG_VERSION").to_string()),
        ("command", "run".to_string()),
        ("scenario_name", sc.name.clone()),
        ("scenario_description", sc.description.clone()),
        ("scenario_file", meta.scenario_file.clone()),
        ("scenario_sha256", meta.scenario_sha256.clone()),
        ("seed", sc.seed.to_string()),
        ("trials", run.stats.trials.to_string()),
        ("partial", meta.partial.to_string()),
        ("months", sc.months.to_string()),
        ("start_date", sc.start.to_string()),
        ("plan_id", sc.plan.id.clone()),
        ("billing", billing.to_string()),
        ("renewal", renewal(sc).to_string()),
        ("threads", meta.threads.to_string()),
        (
            "wall_time_seconds",
            format!("{:.3}", meta.wall_time.as_secs_f64()),
        ),
    ];
    let mut rows: Vec<(String, String)> =
        rows.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    if let Some((file, trials)) = &meta.samples {
        // Before threads: every row above threads is reproducible.
        let at = rows.len() - 2;
        rows.insert(at, ("samples_file".to_string(), file.clone()));
        rows.insert(at + 1, ("samples_trials".to_string(), trials.to_string()));
    }
    if let Some(changes) = plan_changes_row(sc) {
        // Beside plan_id, which names only the first plan.
        let at = rows
            .iter()
            .position(|(k, _)| k == "renewal")
            .map_or(0, |i| i + 1);
        rows.insert(at, ("plan_changes".to_string(), changes));
    }
    if sc.seats.count > 1 {
        // A team: how many seats, and whether they share one balance
        // (which changes how often a month runs out), before threads.
        let at = rows.len() - 2;
        rows.insert(at, ("seats".to_string(), sc.seats.count.to_string()));
        rows.insert(at + 1, ("pooled".to_string(), sc.seats.pooled.to_string()));
    }
    if !meta.set.is_empty() {
        rows.insert(4, ("set".to_string(), meta.set.clone()));
    }
    rows.extend(what_if_rows(&sc.what_ifs()));
    rows
}

/// The `plan_changes` value: each change's month (its label in
/// monthly.csv and its number) and the plan id then in force, or
/// `cancelled`, with the billing when it changes, joined by ` | ` as
/// `what_if` is: "Jun 2026 (month 4): sales_navigator_advanced". `None`
/// without a change, so the metadata of other scenarios is unchanged.
fn plan_changes_row(sc: &crate::scenario::Scenario) -> Option<String> {
    let words: Vec<String> = (0..sc.plan_changes.len())
        .map(|i| {
            let change = &sc.plan_changes[i];
            let plan = if change.cancelled {
                "cancelled"
            } else {
                change.plan.id.as_str()
            };
            let billing = match sc.changed_billing(i) {
                Some(Billing::Annual) => ", billing annual",
                Some(Billing::Monthly) => ", billing monthly",
                None => "",
            };
            format!("{}: {plan}{billing}", sc.change_month(change))
        })
        .collect();
    (!words.is_empty()).then(|| words.join(" | "))
}

/// `calendar` (credits on the 1st) or `anniversary` (on the start date's
/// day), credit-rules §1: what the dates of the months follow.
pub fn renewal(sc: &crate::scenario::Scenario) -> &'static str {
    match sc.horizon.renewal {
        crate::calendar::Renewal::Calendar => "calendar",
        crate::calendar::Renewal::Anniversary => "anniversary",
    }
}

/// The `what_if` metadata row, when there is a what-if (none otherwise, so
/// the metadata of a plain scenario is unchanged).
pub fn what_if_rows(lines: &[String]) -> Vec<(String, String)> {
    if lines.is_empty() {
        return Vec::new();
    }
    vec![("what_if".to_string(), lines.join(" | "))]
}

#[derive(Debug, Clone, Copy)]
pub struct MetadataCsv;

impl Exporter for MetadataCsv {
    fn file_name(&self) -> &'static str {
        "metadata.csv"
    }

    fn write(&self, run: &FinishedRun<'_>, out: &mut dyn Write) -> io::Result<()> {
        write_key_values(out, &run_metadata_rows(run))
    }
}

/// metadata.json: the rows of metadata.csv as one JSON object.
#[derive(Debug, Clone, Copy)]
pub struct MetadataJson;

impl Exporter for MetadataJson {
    fn file_name(&self) -> &'static str {
        "metadata.json"
    }

    fn write(&self, run: &FinishedRun<'_>, out: &mut dyn Write) -> io::Result<()> {
        write_metadata_json(out, &run_metadata_rows(run))
    }
}

/// Keys whose values are numbers in metadata.json (`null` when empty).
const NUMBER_KEYS: [&str; 36] = [
    "seed",
    "samples_trials",
    "trials",
    "months",
    "options",
    "grid_points",
    "max_trials",
    "rate_centre",
    "centre_cost_per_month",
    "centre_ran_out",
    "threads",
    "wall_time_seconds",
    // calibrate's counts and fit
    "window_days",
    "inmails",
    "inmails_sent_on_as_of_day",
    "answered",
    "answered_after_window",
    "seats",
    "rate_beta_alpha",
    "rate_beta_beta",
    "delay_lognormal_mu",
    "delay_lognormal_sigma",
    "delay_ks_distance",
    "delay_ks_guide",
    // solve's and recommend's
    "trials_per_evaluation",
    "answer",
    "answer_ci95_low",
    "answer_ci95_high",
    "evaluations",
    "max_risk",
    "max_blocked",
    "candidates",
    "rounds",
    "trials_spent",
    "trial_years_spent",
    "trial_years_full_precision",
];

/// A value of metadata.csv as its cell holds it. The value column mixes
/// the tool's numbers and the user's text, and only the key tells them
/// apart: a number under one of the [`NUMBER_KEYS`] is left as it is (a
/// negative `delay_lognormal_mu` stays a number a spreadsheet can sum);
/// every other value is text, protected by [`for_spreadsheet`] even when it
/// reads as a number (a scenario named `-5`, as options.csv writes it).
pub fn csv_value<'a>(key: &str, value: &'a str) -> Cow<'a, str> {
    let number = value.parse::<f64>().is_ok_and(f64::is_finite);
    if NUMBER_KEYS.contains(&key) && number {
        Cow::Borrowed(value)
    } else {
        for_spreadsheet(value)
    }
}

/// Keys whose values are `true` or `false` in metadata.json.
const BOOLEAN_KEYS: [&str; 2] = ["partial", "pooled"];

/// The JSON value of one metadata row: a number or boolean for the keys
/// listed above, a string for every other (file names, hashes, dates,
/// descriptions), so a reader gets `trials` as a number without guessing.
fn json_value(key: &str, text: &str) -> serde_json::Value {
    use serde_json::Value;
    if NUMBER_KEYS.contains(&key) {
        if text.is_empty() {
            return Value::Null;
        }
        if let Ok(n) = text.parse::<serde_json::Number>() {
            return Value::Number(n);
        }
    }
    if BOOLEAN_KEYS.contains(&key) {
        if let Ok(b) = text.parse::<bool>() {
            return Value::Bool(b);
        }
    }
    Value::String(text.to_string())
}

/// The rows in their metadata.csv order (serde_json's own map would sort
/// the keys).
struct Ordered<'a>(&'a [(String, String)]);

impl serde::Serialize for Ordered<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, json_value(k, v))))
    }
}

/// Writes `rows` (the rows of a metadata.csv) as a JSON object, one key a
/// line, in the same order.
pub fn write_metadata_json(out: &mut dyn Write, rows: &[(String, String)]) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &Ordered(rows)).map_err(io::Error::other)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json_of(rows: &[(&str, &str)]) -> serde_json::Value {
        let rows: Vec<(String, String)> = rows
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let mut bytes = Vec::new();
        write_metadata_json(&mut bytes, &rows).unwrap();
        serde_json::from_slice(&bytes).unwrap()
    }

    #[test]
    fn json_types_numbers_and_flags_and_keeps_everything_else_as_text() {
        let json = json_of(&[
            ("seed", "18446744073709551615"),
            ("wall_time_seconds", "1.250"),
            ("max_trials", ""),
            ("partial", "true"),
            ("scenario_sha256", "0123456789"),
            ("scenario_description", "say \"hi\"\n# not a comment"),
        ]);
        assert_eq!(json["seed"].as_u64(), Some(u64::MAX));
        assert_eq!(json["wall_time_seconds"].as_f64(), Some(1.25));
        assert!(json["max_trials"].is_null());
        assert_eq!(json["partial"].as_bool(), Some(true));
        // All digits, yet a hash: text, because its key says so.
        assert_eq!(json["scenario_sha256"].as_str(), Some("0123456789"));
        assert_eq!(
            json["scenario_description"].as_str(),
            Some("say \"hi\"\n# not a comment")
        );
    }

    #[test]
    fn json_writes_a_teams_pooled_flag_as_a_boolean_like_partial() {
        let json = json_of(&[("seats", "2"), ("pooled", "false"), ("partial", "false")]);
        assert_eq!(json["seats"].as_u64(), Some(2));
        assert_eq!(json["pooled"].as_bool(), Some(false));
        assert_eq!(json["partial"].as_bool(), Some(false));
    }

    #[test]
    fn json_keeps_the_order_of_the_csv_rows() {
        let mut bytes = Vec::new();
        let rows = [("b", "1"), ("a", "2")].map(|(k, v)| (k.to_string(), v.to_string()));
        write_metadata_json(&mut bytes, &rows).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.find("\"b\"") < text.find("\"a\""), "{text}");
    }
}
