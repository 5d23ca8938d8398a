//! The CSVs of `calibrate --out` (issue 20): `calibration.csv`, one row per
//! estimate with its 90% interval, and `delay.csv`, one row per day of
//! delay with the data (answers on that day, InMails still unanswered at
//! that age) beside the two fitted delays (the nonparametric table and the
//! lognormal), as cumulative shares and as shares of the day.
//!
//! Header on line 1 and no comment lines (issue 21): the provenance (tool,
//! history file and its SHA-256, as-of date) is in metadata.csv beside
//! them. Every column holds one type: numbers, or text in `quantity` and
//! `unit`; an estimate without an interval leaves those cells empty.

use super::csv_error;
use crate::calibrate::fit::{Fit, normal_quantile};
use crate::calibrate::history::History;
use serde::Serialize;
use std::io::{self, Write};

/// One row of calibration.csv.
#[derive(Debug, Default, Serialize)]
pub struct EstimateRow {
    pub quantity: &'static str,
    pub estimate: f64,
    pub low90: Option<f64>,
    pub high90: Option<f64>,
    pub standard_error: Option<f64>,
    pub unit: &'static str,
}

/// One row of delay.csv.
#[derive(Debug, Default, Serialize)]
pub struct DelayRow {
    /// Whole days from send to answer (credit-rules §4c).
    pub day: u32,
    /// InMails answered after exactly `day` days.
    pub answered: u64,
    /// InMails exactly `day` days old with no answer yet (censored there).
    pub unanswered: u64,
    /// The nonparametric table: share of replies within `day` days.
    pub empirical_cdf: f64,
    /// The fitted lognormal: share of replies within `day` days.
    pub lognormal_cdf: f64,
    /// The table's share of replies on `day` (the scenario's `table` row).
    pub empirical_share: f64,
    /// The lognormal's share of replies on `day`: `F(day) − F(day − 1)`.
    pub lognormal_share: f64,
}

/// Writes rows of `R`: its field names on line 1, then one record per row
/// (the rows are never empty here). The same as `export::table::write_rows`
/// once that writes no comment lines (issue 21).
pub fn write_header_first<R: Serialize>(out: &mut dyn Write, rows: &[R]) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    for r in rows {
        w.serialize(r).map_err(csv_error)?;
    }
    w.flush()
}

/// The rows of calibration.csv. The delay's intervals are the delta
/// method's on the log scale: `exp(ln q ± 1.645 · se(ln q))`.
pub fn estimate_rows(fit: &Fit) -> Vec<EstimateRow> {
    let r = &fit.rate;
    let z = normal_quantile(0.95);
    let d = fit.delay;
    // A delay fitted from one or two answers can have an infinite standard
    // error: the cell is then empty (a CSV's missing value), never "inf".
    let finite = |x: Option<f64>| x.filter(|v| v.is_finite());
    let on_log = |q: f64, se: Option<f64>| {
        let rel = finite(se.map(|se| se / q));
        EstimateRow {
            estimate: q,
            low90: finite(rel.map(|s| q * (-z * s).exp())),
            high90: finite(rel.map(|s| q * (z * s).exp())),
            standard_error: finite(se),
            unit: "days",
            ..EstimateRow::default()
        }
    };
    let mut rows = vec![
        EstimateRow {
            quantity: "reply_rate",
            estimate: r.p_hat,
            low90: Some(r.low90),
            high90: Some(r.high90),
            standard_error: Some(r.sd()),
            unit: "share",
        },
        EstimateRow {
            quantity: "reply_rate_naive",
            estimate: r.naive,
            unit: "share",
            ..EstimateRow::default()
        },
        EstimateRow {
            quantity: "delay_median",
            ..on_log(d.median(), d.se_median())
        },
        EstimateRow {
            quantity: "delay_p90",
            ..on_log(d.p90(), d.se_p90())
        },
    ];
    if let Some(k) = &fit.declines {
        let se = (k.share * (1.0 - k.share) / k.known as f64).sqrt();
        rows.push(EstimateRow {
            quantity: "declines_share",
            estimate: k.share,
            low90: Some(k.low90),
            high90: Some(k.high90),
            standard_error: Some(se),
            unit: "share",
        });
    }
    rows
}

/// The rows of delay.csv: every day from 1 to the last answered day, then
/// the table's last row if it lies beyond (the replies the data cannot
/// place, README `[delay]`).
pub fn delay_rows(fit: &Fit, history: &History) -> Vec<DelayRow> {
    let last = fit.table.cdf.last().map_or(1, |r| r.0);
    let mut answered = vec![0u64; last as usize + 1];
    let mut unanswered = vec![0u64; last as usize + 1];
    for m in &history.messages {
        match m.delay {
            Some(d) => answered[(d as usize).min(last as usize)] += 1,
            None if m.age <= last => unanswered[m.age as usize] += 1,
            None => {}
        }
    }
    let share = |day: u32| {
        fit.table
            .rows
            .iter()
            .find(|r| r.0 == day)
            .map_or(0.0, |r| r.1)
    };
    let mut empirical = 0.0;
    let mut rows: Vec<DelayRow> = (1..=last)
        .map(|day| {
            empirical += share(day);
            row(fit, day, empirical, share(day))
        })
        .collect();
    for (i, r) in rows.iter_mut().enumerate() {
        r.answered = answered[i + 1];
        r.unanswered = unanswered[i + 1];
    }
    if let Some(&(day, tail)) = fit.table.rows.last().filter(|r| r.0 > last) {
        rows.push(row(fit, day, 1.0, tail));
    }
    rows
}

fn row(fit: &Fit, day: u32, empirical_cdf: f64, empirical_share: f64) -> DelayRow {
    let f = |x: u32| fit.delay.cdf(f64::from(x));
    DelayRow {
        day,
        empirical_cdf: empirical_cdf.min(1.0),
        lognormal_cdf: f(day),
        empirical_share,
        lognormal_share: f(day) - f(day - 1),
        ..DelayRow::default()
    }
}
