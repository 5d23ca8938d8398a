//! `monthly.csv`: the terminal's month table as a wide table, one row per
//! month: its dates and label, then the chance of running out and the
//! means of demand, sent, blocked, responses, refunds, expired, bought and
//! cost, with p5/p95 of blocked and cost, the Recruiter floor's refused
//! sends and the credits forfeited at a plan change (issue 21: "chance I
//! run out in March" is one cell, no filter or pivot).

use super::table::RowWriter;
use super::{Exporter, FinishedRun};
use crate::engine::Metric;
use crate::stats::{Histogram, RunStats, format_f64, format_value};
use serde::Serialize;
use std::io::{self, Write};

/// One row of monthly.csv. Shares from 0 to 1, money in dollars.
#[derive(Debug, Default, Serialize)]
pub struct MonthlyRow {
    pub cycle: u32,
    /// As users say it: "Jan 2026", "20 Jan – 31 Jan 2026".
    pub month: String,
    pub period_start: String,
    pub period_end: String,
    pub days: u32,
    pub partial: bool,
    /// Share of trials with a blocked send this month.
    pub ran_out: String,
    pub demand: String,
    pub sent: String,
    pub blocked: String,
    pub blocked_p5: String,
    pub blocked_p95: String,
    pub responses: String,
    pub refunds: String,
    pub expired: String,
    pub bought: String,
    pub cost: String,
    pub cost_p5: String,
    pub cost_p95: String,
    /// Sends the Recruiter floor refused (0 without it): in neither
    /// `blocked` nor `ran_out`, so that demand adds up.
    pub floor_refused: String,
    /// Credits lost at a plan change (0 without one, docs/model.md "Plan
    /// changes"): last, so the columns before it keep their places.
    pub forfeited: String,
}

fn mean(h: &Histogram) -> f64 {
    h.summary().map_or(0.0, |s| s.mean)
}

/// The mean of `metric` in cycle `c`, as summary.csv writes it.
fn mean_of(stats: &RunStats, c: usize, metric: Metric) -> String {
    format_f64(mean(stats.in_cycle(c, metric)), metric.scale())
}

/// p5 and p95 of `metric` in cycle `c` (empty if it never happened).
fn tails(stats: &RunStats, c: usize, metric: Metric) -> (String, String) {
    let s = stats.in_cycle(c, metric).summary();
    let v = |x| format_value(x, metric.scale());
    s.map_or((String::new(), String::new()), |s| (v(s.p5), v(s.p95)))
}

/// The rows of a run, month by month.
pub fn monthly_rows(run: &FinishedRun<'_>) -> Vec<MonthlyRow> {
    let stats = run.stats;
    let horizon = &run.scenario.horizon;
    (0..stats.months())
        .map(|c| {
            let p = horizon.period(c);
            let (blocked_p5, blocked_p95) = tails(stats, c, Metric::Blocked);
            let (cost_p5, cost_p95) = tails(stats, c, Metric::TotalCost);
            let sent = mean(stats.in_cycle(c, Metric::SentPaid))
                + mean(stats.in_cycle(c, Metric::SentFree));
            MonthlyRow {
                cycle: c as u32 + 1,
                month: p.label(),
                period_start: p.start.to_string(),
                period_end: p.end.to_string(),
                days: p.days,
                partial: p.partial,
                ran_out: mean_of(stats, c, Metric::Exhausted),
                demand: mean_of(stats, c, Metric::Demand),
                sent: format_f64(sent, Metric::SentPaid.scale()),
                blocked: mean_of(stats, c, Metric::Blocked),
                blocked_p5,
                blocked_p95,
                responses: mean_of(stats, c, Metric::Responses),
                refunds: mean_of(stats, c, Metric::Refunds),
                expired: mean_of(stats, c, Metric::Expired),
                bought: mean_of(stats, c, Metric::Purchased),
                cost: mean_of(stats, c, Metric::TotalCost),
                cost_p5,
                cost_p95,
                floor_refused: mean_of(stats, c, Metric::FloorRefused),
                forfeited: mean_of(stats, c, Metric::Forfeited),
            }
        })
        .collect()
}

#[derive(Debug, Clone, Copy)]
pub struct MonthlyCsv;

impl Exporter for MonthlyCsv {
    fn file_name(&self) -> &'static str {
        "monthly.csv"
    }

    fn write(&self, run: &FinishedRun<'_>, out: &mut dyn Write) -> io::Result<()> {
        let mut w = RowWriter::<MonthlyRow>::new(out)?;
        for row in monthly_rows(run) {
            w.row(&row)?;
        }
        w.finish()
    }
}
