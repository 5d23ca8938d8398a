//! The charts of `run`, drawn from the same histograms as summary.csv and
//! histograms.csv:
//!
//! - `balance_fan.svg`: the credit balance at the end of each month
//!   (cycle), as a fan: p5–p95 and p25–p75 bands of the trials and the
//!   median line;
//! - `first_exhausted_month.svg`: the share of trials whose first blocked
//!   send falls in each month, and the share that never runs out;
//! - `first_blocked_day.svg`: the day of the month of the first blocked
//!   send, pooled over every month of every trial;
//! - `refunds_expired.svg`: mean credits refunded and expired per month.

use super::Chart;
use super::bars::{Bar, bar_scale, draw_bar};
use super::frame::{
    Area, Mark, Scale, Words, draw_axes, draw_axis_labels, draw_heading, draw_legend, draw_x_ticks,
    draw_y_ticks, integer_ticks, tick_label, value_axis,
};
use super::svg::Svg;
use crate::engine::Metric;
use crate::scenario::Scenario;
use crate::stats::{Histogram, RunStats};

/// The charts `run` writes, every one every time (checked before the run:
/// a file of the user's by one of these names is refused at once).
pub const FILES: [&str; 4] = [
    "balance_fan.svg",
    "first_exhausted_month.svg",
    "first_blocked_day.svg",
    "refunds_expired.svg",
];

/// Every chart of a run; none for a run with no trials.
pub fn charts(sc: &Scenario, stats: &RunStats) -> Vec<Chart> {
    if stats.trials == 0 || stats.months() == 0 {
        return Vec::new();
    }
    vec![
        balance_fan(sc, stats),
        first_exhausted_month(sc, stats),
        first_blocked_day(sc, stats),
        refunds_expired(sc, stats),
    ]
}

/// "Sales Navigator Core (sales_navigator_core), 1000 trials × 12 months, seed 1"
fn about(sc: &Scenario, stats: &RunStats) -> String {
    format!(
        "{} ({}), {} × {}, seed {}",
        sc.plan.name,
        sc.plan.id,
        crate::numbers::count(stats.trials, "trial", "trials"),
        crate::numbers::count(stats.months() as u64, "month", "months"),
        sc.seed
    )
}

/// An x scale over months `1..=months` for lines (a single month is
/// centred).
fn month_scale(area: &Area, months: usize) -> Scale {
    let (lo, hi) = if months > 1 {
        (1.0, months as f64)
    } else {
        (0.5, 1.5)
    };
    Scale {
        lo,
        hi,
        px_lo: area.left + 12.0,
        px_hi: area.right - 12.0,
    }
}

/// Ticks at months, labelled as users say them ("Jan", "20 Jan*" for a
/// partial first month), from the one place that dates them. Over more
/// than one year, the first tick and each tick in a new year carry the
/// year ("Jan 2027"), or two Januaries would read alike.
pub(super) fn month_ticks(sc: &Scenario, months: usize) -> Vec<(f64, String)> {
    let periods = sc.horizon.periods();
    let years = periods.first().map(|p| p.start.year) != periods.last().map(|p| p.start.year);
    let mut last_year = None;
    integer_ticks(1, months as i64, 12)
        .into_iter()
        .map(|t| {
            let label = match periods.get(t as usize - 1) {
                None => tick_label(t, 1.0),
                Some(p) if years && last_year != Some(p.start.year) => {
                    last_year = Some(p.start.year);
                    format!("{} {:04}", p.short_label(), p.start.year)
                }
                Some(p) => p.short_label(),
            };
            (t, label)
        })
        .collect()
}

/// The horizon's dates for an axis label: "1 Jan 2026 – 31 Dec 2026",
/// and what "*" marks.
fn month_span(sc: &Scenario) -> String {
    let partial = sc.horizon.periods().first().is_some_and(|p| p.partial);
    let mark = if partial {
        "; * partial first month"
    } else {
        ""
    };
    format!("{}{mark}", sc.horizon.span_label())
}

/// A percentage to 0.1 that never rounds a rare event to 0% or a near
/// certainty to 100%.
fn percent(p: f64) -> String {
    if p > 0.0 && p < 0.05 {
        "<0.1%".to_string()
    } else if (99.95..100.0).contains(&p) {
        ">99.9%".to_string()
    } else {
        format!("{p:.1}%")
    }
}

fn count_label(v: f64, step: f64) -> String {
    tick_label(v, step)
}

fn percent_label(v: f64, step: f64) -> String {
    format!("{}%", tick_label(v, step))
}

/// The fan chart of `end_balance` over the cycles.
fn balance_fan(sc: &Scenario, stats: &RunStats) -> Chart {
    let quantiles: Vec<[f64; 5]> = stats
        .per_cycle_of(Metric::EndBalance)
        .map(|h| {
            h.summary().map_or([0.0; 5], |s| {
                [s.p5, s.p25, s.p50, s.p75, s.p95].map(|v| v as f64)
            })
        })
        .collect();
    let area = Area::standard();
    let top = quantiles.iter().map(|q| q[4]).fold(0.0, f64::max);
    let (y, y_ticks) = value_axis(&area, 0.0, top.max(5.0), count_label);
    let x = month_scale(&area, quantiles.len());
    let words = Words {
        title: format!("{}: credits left at the end of each month", sc.name),
        subtitle: about(sc, stats),
        x_label: format!("month ({}; the balance after its last day)", month_span(sc)),
        y_label: "credit balance at month end (credits)".to_string(),
    };
    let mut s = Svg::new(&words.title);
    draw_heading(&mut s, &words);
    draw_legend(
        &mut s,
        &[
            (
                Mark::Fill("#1f77b4", "0.18"),
                "p5–p95 of trials".to_string(),
            ),
            (Mark::Fill("#1f77b4", "0.4"), "p25–p75".to_string()),
            (Mark::Line("#0b3d66"), "median".to_string()),
        ],
    );
    draw_y_ticks(&mut s, &area, &y, &y_ticks);
    let at = |c: usize, v: f64| (x.px((c + 1) as f64), y.px(v));
    for (lo, hi, opacity, class) in [(0, 4, "0.18", "band90"), (1, 3, "0.4", "band50")] {
        let mut band: Vec<(f64, f64)> = quantiles
            .iter()
            .enumerate()
            .map(|(c, q)| at(c, q[hi]))
            .collect();
        band.extend(
            quantiles
                .iter()
                .enumerate()
                .rev()
                .map(|(c, q)| at(c, q[lo])),
        );
        if quantiles.len() == 1 {
            // One month: a band one tenth of the width, so it is visible.
            band = band_of_one(&x, &y, quantiles[0][lo], quantiles[0][hi]);
        }
        s.polygon(
            &band,
            &format!(r##"class="{class}" fill="#1f77b4" fill-opacity="{opacity}" stroke="none""##),
        );
    }
    let median: Vec<(f64, f64)> = quantiles
        .iter()
        .enumerate()
        .map(|(c, q)| at(c, q[2]))
        .collect();
    s.polyline(
        &median,
        r##"class="median" stroke="#0b3d66" stroke-width="2.5""##,
    );
    if median.len() <= 36 {
        for p in &median {
            s.circle(*p, 3.0, r##"fill="#0b3d66""##);
        }
    }
    draw_axes(&mut s, &area);
    draw_x_ticks(&mut s, &area, &x, &month_ticks(sc, quantiles.len()));
    draw_axis_labels(&mut s, &area, &words);
    Chart::new(FILES[0], words.title, s)
}

fn band_of_one(x: &Scale, y: &Scale, lo: f64, hi: f64) -> Vec<(f64, f64)> {
    let half = (x.px_hi - x.px_lo) / 20.0;
    let c = x.px(1.0);
    vec![
        (c - half, y.px(hi)),
        (c + half, y.px(hi)),
        (c + half, y.px(lo)),
        (c - half, y.px(lo)),
    ]
}

/// Bars of the first month with a blocked send, and a "never" bar.
fn first_exhausted_month(sc: &Scenario, stats: &RunStats) -> Chart {
    let h = stats.horizon_of(Metric::FirstExhaustedMonth);
    let months = stats.months() as i64;
    let total = h.total().max(1) as f64;
    let share = |n: u64| 100.0 * n as f64 / total;
    let never = share(h.none_count());
    // "never" stands apart from the months, a little past the last one.
    let never_at = months + (months as f64 / 15.0).ceil() as i64;
    let area = Area::standard();
    let top = h.iter().map(|(_, n)| share(n)).fold(never, f64::max);
    let (y, y_ticks) = value_axis(&area, 0.0, top.max(1.0), percent_label);
    let x = bar_scale(&area, 1, never_at);
    let words = Words {
        title: format!("{}: the first month you run out", sc.name),
        subtitle: format!(
            "{}; never ran out: {} of trials",
            about(sc, stats),
            percent(never)
        ),
        x_label: format!("first month with a blocked send ({})", month_span(sc)),
        y_label: "share of trials (%)".to_string(),
    };
    let mut s = Svg::new(&words.title);
    draw_heading(&mut s, &words);
    draw_legend(
        &mut s,
        &[
            (
                Mark::Fill("#d62728", "1"),
                "ran out first in this month".to_string(),
            ),
            (Mark::Fill("#999999", "1"), "never ran out".to_string()),
        ],
    );
    draw_y_ticks(&mut s, &area, &y, &y_ticks);
    for (month, n) in h.iter() {
        let bar = Bar {
            x: month as f64,
            offset: 0.0,
            width: 0.8,
            value: share(n),
            fill: "#d62728",
            class: "share",
        };
        draw_bar(&mut s, &x, &y, &bar);
    }
    let bar = Bar {
        x: never_at as f64,
        offset: 0.0,
        width: 0.8_f64.max(months as f64 / 40.0),
        value: never,
        fill: "#999999",
        class: "never",
    };
    draw_bar(&mut s, &x, &y, &bar);
    draw_axes(&mut s, &area);
    let mut ticks = month_ticks(sc, stats.months());
    ticks.push((never_at as f64, "never".to_string()));
    draw_x_ticks(&mut s, &area, &x, &ticks);
    draw_axis_labels(&mut s, &area, &words);
    Chart::new(FILES[1], words.title, s)
}

/// Bars of the day of the month of the first blocked send, pooled over all
/// months of all trials.
fn first_blocked_day(sc: &Scenario, stats: &RunStats) -> Chart {
    let mut pooled = Histogram::new();
    for h in stats.per_cycle_of(Metric::FirstBlockedDay) {
        pooled.merge(h);
    }
    let total = pooled.total().max(1) as f64;
    let share = |n: u64| 100.0 * n as f64 / total;
    let last_day = pooled.iter().map(|(d, _)| d).max().unwrap_or(28).max(28);
    let area = Area::standard();
    let top = pooled.iter().map(|(_, n)| share(n)).fold(0.0, f64::max);
    let (y, y_ticks) = value_axis(&area, 0.0, top.max(1.0), percent_label);
    let x = bar_scale(&area, 1, last_day);
    let words = Words {
        title: format!("{}: the day of the month you run out", sc.name),
        subtitle: format!(
            "{}; no blocked send in {} of months",
            about(sc, stats),
            percent(share(pooled.none_count()))
        ),
        x_label: "day of the month of its first blocked send (day of cycle, 1 = first day)"
            .to_string(),
        y_label: "share of all months of all trials (%)".to_string(),
    };
    let mut s = Svg::new(&words.title);
    draw_heading(&mut s, &words);
    draw_legend(
        &mut s,
        &[(
            Mark::Fill("#ff7f0e", "1"),
            "first blocked send on this day (every month of every trial pooled)".to_string(),
        )],
    );
    draw_y_ticks(&mut s, &area, &y, &y_ticks);
    for (day, n) in pooled.iter() {
        let bar = Bar {
            x: day as f64,
            offset: 0.0,
            width: 0.8,
            value: share(n),
            fill: "#ff7f0e",
            class: "share",
        };
        draw_bar(&mut s, &x, &y, &bar);
    }
    if pooled.count() == 0 {
        s.text(
            (
                (area.left + area.right) / 2.0,
                (area.top + area.bottom) / 2.0,
            ),
            "No send was blocked in any simulated month.",
            r##"class="note" font-size="16" text-anchor="middle" fill="#444444""##,
        );
    }
    draw_axes(&mut s, &area);
    let ticks: Vec<(f64, String)> = integer_ticks(1, last_day, 16)
        .into_iter()
        .map(|t| (t, tick_label(t, 1.0)))
        .collect();
    draw_x_ticks(&mut s, &area, &x, &ticks);
    draw_axis_labels(&mut s, &area, &words);
    Chart::new(FILES[2], words.title, s)
}

/// Mean credits refunded and expired in each month, side by side.
fn refunds_expired(sc: &Scenario, stats: &RunStats) -> Chart {
    let mean = |h: &Histogram| h.summary().map_or(0.0, |s| s.mean);
    let refunds: Vec<f64> = stats.per_cycle_of(Metric::Refunds).map(mean).collect();
    let expired: Vec<f64> = stats.per_cycle_of(Metric::Expired).map(mean).collect();
    let area = Area::standard();
    let top = refunds.iter().chain(&expired).copied().fold(0.0, f64::max);
    let (y, y_ticks) = value_axis(&area, 0.0, top.max(1.0), count_label);
    let x = bar_scale(&area, 1, refunds.len() as i64);
    let words = Words {
        title: format!("{}: credits refunded and expired each month", sc.name),
        subtitle: format!("{}; means over trials", about(sc, stats)),
        x_label: format!("month ({})", month_span(sc)),
        y_label: "credits per month (mean of trials)".to_string(),
    };
    let mut s = Svg::new(&words.title);
    draw_heading(&mut s, &words);
    draw_legend(
        &mut s,
        &[
            (
                Mark::Fill("#2ca02c", "1"),
                "refunded (answered InMails)".to_string(),
            ),
            (Mark::Fill("#8c564b", "1"), "expired unused".to_string()),
        ],
    );
    draw_y_ticks(&mut s, &area, &y, &y_ticks);
    for (c, (r, e)) in refunds.iter().zip(&expired).enumerate() {
        let month = (c + 1) as f64;
        for (value, offset, fill, class) in [
            (*r, -0.2, "#2ca02c", "refunds"),
            (*e, 0.2, "#8c564b", "expired"),
        ] {
            let bar = Bar {
                x: month,
                offset,
                width: 0.38,
                value,
                fill,
                class,
            };
            draw_bar(&mut s, &x, &y, &bar);
        }
    }
    draw_axes(&mut s, &area);
    draw_x_ticks(&mut s, &area, &x, &month_ticks(sc, refunds.len()));
    draw_axis_labels(&mut s, &area, &words);
    Chart::new(FILES[3], words.title, s)
}

#[cfg(test)]
mod tests {
    use super::percent;

    #[test]
    fn a_percentage_is_never_rounded_to_a_certainty() {
        assert_eq!(percent(99.96), ">99.9%");
        assert_eq!(percent(100.0), "100.0%");
        assert_eq!(percent(0.01), "<0.1%");
        assert_eq!(percent(0.0), "0.0%");
        assert_eq!(percent(12.34), "12.3%");
    }
}
