//! The `calibrate` page: the summary sentence, how far to trust it, the
//! delay chart, the estimates and the snippet's numbers.

use super::{Page, Table};
use crate::calibrate::fit::Fit;
use crate::calibrate::history::History;
use crate::calibrate::snippet::{DelayForm, lognormal_unraisable};
use crate::calibrate::summary::{self, percent};
use crate::charts::Chart;

/// What the page says about the input, beside the fit.
#[derive(Debug, Clone)]
pub struct CalibrateInput {
    /// The history file as given.
    pub file: String,
    pub sha256: String,
    /// (setting, value) rows: as-of date, window, columns, date format.
    pub settings: Vec<(String, String)>,
    /// The `[response]` + `[delay]` snippet, shown as written.
    pub snippet: String,
    /// The snippet's `[delay]` form (`--delay-form`).
    pub delay_form: DelayForm,
}

/// The page of a calibration.
pub fn calibrate_page(
    input: &CalibrateInput,
    fit: &Fit,
    history: &History,
    charts: &[Chart],
) -> Page {
    let mut headlines = vec![summary::sentence(fit, history)];
    headlines.extend(summary::details(fit, history, input.delay_form));
    let mut settings = vec![
        ("History file".to_string(), input.file.clone()),
        ("SHA-256".to_string(), input.sha256.clone()),
    ];
    settings.extend(input.settings.iter().cloned());
    let snippet = Table {
        caption: if fit.rate_unbounded_above() {
            "The scenario snippet, without a rate: the data do not bound it from above yet \
             (calibrate --write refuses it)"
                .to_string()
        } else if fit.delay_untold() {
            "The scenario snippet, without a rate or a delay: the data cannot tell the reply \
             delay yet (calibrate --write refuses it)"
                .to_string()
        } else if input.delay_form == DelayForm::LogNormal && lognormal_unraisable(fit) {
            "The scenario snippet, its rate not raised for the lognormal's replies after the \
             window (calibrate --write refuses it; --delay-form empirical writes one)"
                .to_string()
        } else {
            "The scenario snippet (calibrate --write FILE writes it)".to_string()
        },
        header: vec!["line".to_string()],
        rows: input.snippet.lines().map(|l| vec![l.to_string()]).collect(),
        numeric_from: 1,
        note: String::new(),
    };
    Page {
        title: format!("Reply rate and delay from {}", input.file),
        subtitle: format!(
            "inmail-sim calibrate: {}, as of {}",
            summary::count(fit.messages + history.too_young, "InMail", "InMails"),
            history.as_of
        ),
        headlines,
        settings,
        charts: charts.to_vec(),
        tables: vec![estimates(fit), snippet],
        notes: notes(),
    }
}

fn estimates(fit: &Fit) -> Table {
    let r = &fit.rate;
    let d = fit.delay;
    let mut rows = vec![
        vec![
            "reply rate".to_string(),
            percent(r.p_hat),
            format!("{} – {}", percent(r.low90), percent(r.high90)),
        ],
        vec![
            "reply rate if pending were failures".to_string(),
            percent(r.naive),
            String::new(),
        ],
        vec![
            "delay median".to_string(),
            summary::delay_value(d.median()),
            se(d.se_median()),
        ],
        vec![
            "delay 90th percentile".to_string(),
            summary::delay_value(d.p90()),
            se(d.se_p90()),
        ],
    ];
    if let Some(k) = &fit.declines {
        rows.push(vec![
            "declines among answers".to_string(),
            percent(k.share),
            format!("{} – {}", percent(k.low90), percent(k.high90)),
        ]);
    }
    Table {
        caption: "The estimates".to_string(),
        header: ["quantity", "estimate", "90% interval (or standard error)"]
            .map(String::from)
            .to_vec(),
        rows,
        numeric_from: 1,
        note: "calibration.csv and delay.csv in the same folder hold these and the delay \
               day by day."
            .to_string(),
    }
}

fn se(se: Option<f64>) -> String {
    se.map_or(String::new(), |s| format!("standard error {s:.2} days"))
}

fn notes() -> Vec<String> {
    vec![
        "Model: each InMail is answered with probability p, after a delay with a lognormal \
         distribution, seen in whole days. An InMail t days old with no answer counts as \
         (1 − p) + p·(1 − F(t)): not answered so far, not a failure."
            .to_string(),
        "The rate's interval assumes the InMails are alike and independent; a history that \
         mixes very different campaigns has a wider real spread."
            .to_string(),
        format!(
            "Made by {} {}. This page is self-contained: it loads nothing, runs no script, \
             and can be sent as one file or printed (A4).",
            env!("CARGO_PKG_NAME"),
            env!("CARGO_PKG_VERSION")
        ),
    ]
}
