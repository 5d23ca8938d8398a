//! The chart of `calibrate`: `delay_fit.svg`, the share of replies that
//! come within `d` days, three ways: the fitted lognormal (a curve), the
//! nonparametric table (steps: Kaplan–Meier on all InMails, scaled by the
//! fitted rate, so the InMails still pending are counted as such), and the
//! data as they look uncorrected (dots: the cumulative share of the answers
//! received so far by delay, which runs high on a young history because
//! the slow answers have not come yet).

use super::Chart;
use super::frame::{
    Area, Mark, Scale, Words, draw_axes, draw_axis_labels, draw_heading, draw_legend, draw_x_ticks,
    draw_y_ticks, integer_ticks, tick_label, value_axis,
};
use super::svg::Svg;
use crate::calibrate::fit::Fit;
use crate::calibrate::history::History;
use crate::calibrate::summary::{days, percent};

const CURVE: &str = "#1f77b4";
const STEPS: &str = "#d62728";
const DOTS: &str = "#555555";

/// The delay chart.
pub fn charts(data_name: &str, fit: &Fit, history: &History) -> Vec<Chart> {
    vec![delay_fit(data_name, fit, history)]
}

/// The last day shown: the last answered day, and at least the fitted
/// 90th percentile (so the curve's bend shows), at most a year.
fn last_day(fit: &Fit) -> u32 {
    let answered = fit.table.cdf.last().map_or(1, |r| r.0);
    let p90 = fit.delay.p90_within().ceil().clamp(1.0, 365.0) as u32;
    answered.max(p90).clamp(2, 365)
}

fn delay_fit(data_name: &str, fit: &Fit, history: &History) -> Chart {
    let area = Area::standard();
    let last = last_day(fit);
    let x = Scale {
        lo: 0.0,
        hi: f64::from(last),
        px_lo: area.left,
        px_hi: area.right,
    };
    let (y, y_ticks) = value_axis(&area, 0.0, 1.0, |v, step| {
        format!("{}%", tick_label(100.0 * v, 100.0 * step))
    });
    let words = Words {
        title: format!("{data_name}: how soon replies come"),
        subtitle: format!(
            "{} answered of {} as of {}; half of replies within {}, 90% within {}; reply rate {}",
            crate::numbers::grouped(fit.answered as u64),
            crate::numbers::count(
                (fit.messages + history.too_young) as u64,
                "InMail",
                "InMails"
            ),
            history.as_of,
            days(fit.delay.median_within()),
            days(fit.delay.p90_within()),
            percent(fit.rate.p_hat)
        ),
        x_label: "days from sending to the reply".to_string(),
        y_label: "share of replies within that many days".to_string(),
    };
    let mut s = Svg::new(&words.title);
    draw_heading(&mut s, &words);
    draw_legend(
        &mut s,
        &[
            (Mark::Line(CURVE), "lognormal fit".to_string()),
            (
                Mark::Line(STEPS),
                "empirical table (pending counted)".to_string(),
            ),
            (
                Mark::Fill(DOTS, "1"),
                "answers so far, uncorrected".to_string(),
            ),
        ],
    );
    draw_y_ticks(&mut s, &area, &y, &y_ticks);
    let curve: Vec<(f64, f64)> = (0..=200)
        .map(|i| f64::from(last) * f64::from(i) / 200.0)
        .map(|d| (x.px(d), y.px(fit.delay.cdf(d))))
        .collect();
    s.polyline(
        &curve,
        &format!(r#"class="lognormal" stroke="{CURVE}" stroke-width="2.5""#),
    );
    s.polyline(
        &steps(fit, last, &x, &y),
        &format!(r#"class="empirical" stroke="{STEPS}" stroke-width="2""#),
    );
    for (d, share) in uncorrected(history) {
        if d <= last {
            s.circle(
                (x.px(f64::from(d)), y.px(share)),
                3.0,
                &format!(r#"class="answers" fill="{DOTS}""#),
            );
        }
    }
    draw_axes(&mut s, &area);
    let x_ticks: Vec<(f64, String)> = std::iter::once(0.0)
        .chain(integer_ticks(1, i64::from(last), 12))
        .map(|t| (t, format!("{t:.0}")))
        .collect();
    draw_x_ticks(&mut s, &area, &x, &x_ticks);
    draw_axis_labels(&mut s, &area, &words);
    Chart::new("delay_fit.svg", words.title, s)
}

/// The table's CDF as steps, rising on each answered day: the whole-day
/// delay `D` of the scenario's `empirical` form, which meets the continuous
/// delay's CDF on whole days (`P(D <= d) = P(X <= d)`).
fn steps(fit: &Fit, last: u32, x: &Scale, y: &Scale) -> Vec<(f64, f64)> {
    let mut points = vec![(x.px(0.0), y.px(0.0))];
    let mut level = 0.0;
    for &(d, f) in fit.table.cdf.iter().filter(|r| r.0 <= last) {
        points.push((x.px(f64::from(d)), y.px(level)));
        points.push((x.px(f64::from(d)), y.px(f)));
        level = f;
    }
    points.push((x.px(f64::from(last)), y.px(level)));
    points
}

/// `(d, share of the answers so far that came within d days)` on every
/// answered day.
fn uncorrected(history: &History) -> Vec<(u32, f64)> {
    let mut delays: Vec<u32> = history.messages.iter().filter_map(|m| m.delay).collect();
    delays.sort_unstable();
    let n = delays.len() as f64;
    let mut out: Vec<(u32, f64)> = Vec::new();
    for (i, d) in delays.iter().enumerate() {
        match out.last_mut() {
            Some(last) if last.0 == *d => last.1 = (i + 1) as f64 / n,
            _ => out.push((*d, (i + 1) as f64 / n)),
        }
    }
    out
}
