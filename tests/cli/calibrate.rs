//! `calibrate` end to end (issue 20): the printed summary, the files of
//! `--out`, the snippet a scenario runs with, and a synthetic history of
//! known truth calibrated back through the binary.

use super::common::inmail_sim;
use inmail_sim::calendar::Date;
use inmail_sim::calibrate::history::{self, ReadOptions};
use inmail_sim::calibrate::synthetic::{SyntheticSpec, generate, write_csv};
use inmail_sim::calibrate::{fit, summary};
use std::collections::HashMap;
use std::fs;
use std::path::Path;
use tempfile::TempDir;

fn shipped() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/calibrate/history.csv")
}

/// Runs `calibrate ARGS...`, requires success, returns stdout.
fn calibrate(args: &[&std::ffi::OsStr]) -> String {
    let output = inmail_sim().arg("calibrate").args(args).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// A CSV read with a plain reader (no comment handling): header on line 1.
fn plain_rows(path: &Path) -> Vec<HashMap<String, String>> {
    let text = fs::read_to_string(path).unwrap();
    assert!(!text.starts_with('#'), "{}: a comment line", path.display());
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            header
                .iter()
                .map(String::from)
                .zip(rec.iter().map(String::from))
                .collect()
        })
        .collect()
}

/// Every non-empty cell of a column parses as a number, or none does.
fn one_type_per_column(path: &Path) {
    let rows = plain_rows(path);
    for key in rows[0].keys() {
        let cells: Vec<&String> = rows
            .iter()
            .map(|r| &r[key])
            .filter(|c| !c.is_empty())
            .collect();
        let numbers = cells.iter().filter(|c| c.parse::<f64>().is_ok()).count();
        assert!(
            numbers == 0 || numbers == cells.len(),
            "{}: column {key} mixes numbers and text",
            path.display()
        );
    }
}

#[test]
fn calibrate_prints_the_summary_sentence_and_writes_the_folder_and_a_snippet_a_scenario_runs_with()
{
    let tmp = TempDir::new().unwrap();
    let (out, snippet) = (tmp.path().join("out"), tmp.path().join("rates.toml"));
    let stdout = calibrate(&[
        shipped().as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--write".as_ref(),
        snippet.as_os_str(),
    ]);
    // The sentence of the issue, with the library's fit of the same file
    // through the default 90-day window.
    let mut h = history::load(&shipped(), &ReadOptions::default()).unwrap();
    h.within(90);
    let f = fit(&h).unwrap();
    let sentence = summary::sentence(&f, &h);
    assert!(stdout.starts_with(&format!("{sentence}\n")), "{stdout}");
    assert!(
        sentence.starts_with(
            "From 400 InMails sent 2 Feb – 28 Nov 2026, 69 answered so far: your reply rate is "
        ),
        "{sentence}"
    );
    for part in [
        "(90% interval ",
        "%–",
        "); half of replies come within ",
        " days, 90% within ",
    ] {
        assert!(sentence.contains(part), "{sentence}");
    }
    let mut names: Vec<String> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    let expected = [
        "calibration.csv",
        "delay.csv",
        "delay_fit.svg",
        "metadata.csv",
        "metadata.json",
        "report.html",
    ];
    assert_eq!(names, expected);
    // metadata.csv is key,value like every command's (its values mix).
    for csv in ["calibration.csv", "delay.csv"] {
        one_type_per_column(&out.join(csv));
    }
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("<svg") && html.contains("how soon replies come"));
    let meta = plain_rows(&out.join("metadata.csv"));
    let sha = meta.iter().find(|r| r["key"] == "history_sha256").unwrap();
    assert_eq!(
        sha["value"],
        inmail_sim::scenario::sha256_hex(&fs::read(shipped()).unwrap())
    );
    let seats = meta.iter().find(|r| r["key"] == "seats").unwrap();
    assert_eq!(seats["value"], "2", "the example's two seats");

    // The snippet validates, and a scenario using it runs.
    let scenario = tmp.path().join("mine.toml");
    let text = format!(
        "[plan]\nid = \"sales_navigator_core\"\n\n[demand]\nper_workday = 3\n\n{}",
        fs::read_to_string(&snippet).unwrap()
    );
    fs::write(&scenario, text).unwrap();
    inmail_sim()
        .arg("validate")
        .arg(&scenario)
        .assert()
        .success();
    let run_out = tmp.path().join("run");
    inmail_sim()
        .arg("run")
        .arg(&scenario)
        .args(["--trials", "300", "--quiet", "--out"])
        .arg(&run_out)
        .assert()
        .success();
    assert!(run_out.join("summary.csv").is_file());
}

/// A history of `sent` InMails, one a day from 2020-01-01, the first
/// `answered` of them answered the next day; its last date, to give as
/// `--as-of` (200,000 days run to the year 2567, after today, which the
/// default as-of date refuses as a mistyped year).
fn next_day_history(path: &Path, sent: usize, answered: usize) -> String {
    let start = Date::parse("2020-01-01").unwrap();
    let mut text = String::from("sent,replied\n");
    for i in 0..sent {
        let day = Date::from_epoch_days(start.to_epoch_days() + i as i64);
        if i < answered {
            let next = Date::from_epoch_days(day.to_epoch_days() + 1);
            text.push_str(&format!("{day},{next}\n"));
        } else {
            text.push_str(&format!("{day},\n"));
        }
    }
    fs::write(path, text).unwrap();
    let last = start.to_epoch_days() + sent as i64 - 1;
    let last = Date::from_epoch_days(last.max(start.to_epoch_days() + answered as i64));
    last.to_string()
}

/// Whether `text`, pasted under a plan and a demand, is a valid scenario.
fn validates(dir: &Path, text: &str) -> Result<(), String> {
    let scenario = dir.join("pasted.toml");
    let body =
        format!("[plan]\nid = \"sales_navigator_core\"\n\n[demand]\nper_workday = 3\n\n{text}");
    fs::write(&scenario, &body).unwrap();
    let output = inmail_sim()
        .arg("validate")
        .arg(&scenario)
        .output()
        .unwrap();
    match output.status.success() {
        true => Ok(()),
        false => Err(format!(
            "{}\n{body}",
            String::from_utf8_lossy(&output.stderr)
        )),
    }
}

#[test]
fn every_rate_calibrate_writes_or_prints_as_a_comment_validates_when_pasted_into_a_scenario() {
    let tmp = TempDir::new().unwrap();
    // Every InMail answered (the interval reaches 100%), and one answer
    // in 200,000 (a 5th percentile below a millionth).
    let histories = [("all_answered", 200, 200), ("one_in_200k", 200_000, 1)];
    for (name, sent, answered) in histories {
        let history = tmp.path().join(format!("{name}.csv"));
        let as_of = next_day_history(&history, sent, answered);
        let mut written = 0;
        for form in ["mean-sd", "interval90"] {
            let snippet = tmp.path().join(format!("{name}-{form}.toml"));
            let output = inmail_sim()
                .arg("calibrate")
                .arg(&history)
                .args(["--as-of", &as_of, "--rate-form", form, "--write"])
                .arg(&snippet)
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            if !output.status.success() {
                // Refused whole, saying which form writes the beta.
                assert_eq!(output.status.code(), Some(2), "{name} {form}: {stderr}");
                assert!(stderr.contains("--rate-form mean-sd"), "{stderr}");
                assert!(!snippet.exists(), "{name} {form}: written anyway");
                continue;
            }
            written += 1;
            let text = fs::read_to_string(&snippet).unwrap();
            validates(tmp.path(), &text).unwrap_or_else(|e| panic!("{name} {form}: {e}"));
            // The other form, offered as a comment, validates too.
            if let Some(alt) = text
                .lines()
                .find_map(|l| l.strip_prefix("# the same beta: "))
            {
                let rate = text.lines().find(|l| l.starts_with("rate = ")).unwrap();
                let swapped = text.replace(rate, alt);
                validates(tmp.path(), &swapped).unwrap_or_else(|e| panic!("{name} {form}: {e}"));
            }
        }
        assert!(written >= 1, "{name}: no form was written");
    }
}

#[test]
fn replies_all_on_the_next_day_are_said_to_come_within_a_day() {
    let tmp = TempDir::new().unwrap();
    let history = tmp.path().join("next_day.csv");
    next_day_history(&history, 1, 1);
    let stdout = calibrate(&[history.as_os_str(), "--write".as_ref(), "-".as_ref()]);
    assert!(
        stdout.contains("half of replies within a day, 90% within a day"),
        "{stdout}"
    );
    for wrong in ["0.0 days", "1 InMails", "worth about 0 "] {
        assert!(!stdout.contains(wrong), "{wrong}: {stdout}");
    }
    assert!(stdout.contains("# 1 InMail sent"), "{stdout}");
    assert!(stdout.contains("worth less than one InMail"), "{stdout}");
}

#[test]
fn a_history_of_known_truth_calibrates_back_to_it_through_the_binary() {
    // 3,000 InMails over a year from the synthetic generator, rate 0.2,
    // delay median 3 days and p90 20: calibration.csv's estimates must be
    // within 4 of their standard errors of the truth (a chance miss about
    // 6e-5 each), and its 90% interval for the rate must be no wider than
    // 4·1.645·sqrt(0.2·0.8/3000) (twice a binomial interval of that size).
    let as_of = Date::parse("2026-11-28").unwrap();
    let spec = SyntheticSpec {
        messages: 3000,
        p: 0.2,
        median_days: 3.0,
        p90_days: 20.0,
        span_days: 365,
        as_of,
        declines_share: 0.3,
        seats: 2,
    };
    let tmp = TempDir::new().unwrap();
    let path = tmp.path().join("history.csv");
    write_csv(&generate(&spec, 77), fs::File::create(&path).unwrap()).unwrap();
    let out = tmp.path().join("out");
    calibrate(&[
        path.as_os_str(),
        "--as-of".as_ref(),
        "2026-11-28".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
        "--quiet".as_ref(),
    ]);
    let rows = plain_rows(&out.join("calibration.csv"));
    let get = |q: &str, col: &str| -> f64 {
        let row = rows.iter().find(|r| r["quantity"] == q).unwrap();
        row[col].parse().unwrap()
    };
    for (q, truth) in [
        ("reply_rate", spec.p),
        ("delay_median", spec.median_days),
        ("delay_p90", spec.p90_days),
        ("declines_share", spec.declines_share),
    ] {
        let (est, se) = (get(q, "estimate"), get(q, "standard_error"));
        assert!(
            (est - truth).abs() <= 4.0 * se,
            "{q}: {est} ± {se}, truth {truth}"
        );
        assert!(get(q, "low90") <= est && est <= get(q, "high90"), "{q}");
    }
    let width = get("reply_rate", "high90") - get("reply_rate", "low90");
    let binomial = 2.0 * 1.645 * (0.2f64 * 0.8 / 3000.0).sqrt();
    assert!(width <= 2.0 * binomial, "interval {width} vs {binomial}");
}

#[test]
fn a_reply_written_the_day_before_its_send_in_another_zone_but_after_it_is_answered_on_the_send_day()
 {
    // Sent 08:00 in Tokyo on 10 June, answered two hours later, written as
    // 20:00 in New York on 9 June: by the written dates a reply before its
    // send. The other rows keep their written dates.
    let tmp = TempDir::new().unwrap();
    let path = tmp.path().join("zones.csv");
    fs::write(
        &path,
        "id,sent,replied\n\
         z,2026-06-10T08:00:00+09:00,2026-06-09T20:00:00-05:00\n\
         a,2026-06-01,2026-06-04\n\
         b,2026-06-02,\n",
    )
    .unwrap();
    let options = ReadOptions {
        as_of: Date::parse("2026-06-20"),
        ..ReadOptions::default()
    };
    let h = history::load(&path, &options).unwrap();
    let mut delays: Vec<Option<u32>> = h.messages.iter().map(|m| m.delay).collect();
    delays.sort();
    // The zone row answered on its send's day counts as the next day, as
    // every same-day answer does (a response arrives ceil(delay) days on).
    assert_eq!(delays, [None, Some(1), Some(3)]);
    calibrate(&[path.as_os_str(), "--as-of".as_ref(), "2026-06-20".as_ref()]);

    // Five hours before its send, though written on the same day: kept as
    // written (same day), as a time without an offset always was. Written
    // on the day before and before it by the offsets: refused.
    let before = tmp.path().join("before.csv");
    fs::write(
        &before,
        "id,sent,replied\nz,2026-06-10T08:00+09:00,2026-06-09T17:00-05:00\na,2026-06-01,\n",
    )
    .unwrap();
    let output = inmail_sim().arg("calibrate").arg(&before).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("before the sent date"), "{stderr}");
}
