//! The charts of `sweep`: the mean monthly cost of each option against the
//! first parameter, with its 95% interval as a band and each pair's
//! break-even marked (a dashed line, and the interval in which it lies
//! shaded), from the same numbers as sweep.csv and breakeven.csv.
//!
//! One parameter: `sweep_cost.svg`. Two parameters: one chart per value of
//! the second parameter, `sweep_cost_1.svg`, `sweep_cost_2.svg`, … in the
//! order of its values (the break-even is along the first parameter, as in
//! breakeven.csv). Lines for every value on one chart would be unreadable
//! beyond a few; so at most [`MAX_CHARTS`] values are charted, evenly
//! spread over the second parameter's grid including both ends.

use super::Chart;
use super::frame::{
    Area, Mark, Scale, Words, colour, dollar_label, draw_axes, draw_axis_labels, draw_heading,
    draw_legend, draw_x_ticks, draw_y_ticks, nice_axis, tick_label, tick_step, value_axis,
};
use super::svg::Svg;
use crate::compare::label;
use crate::sweep::{BreakEvenLine, Param, Point, PointResult};

/// The most charts a two-parameter sweep writes.
pub const MAX_CHARTS: usize = 12;

/// Every chart of a sweep.
pub fn charts(
    params: &[Param],
    points: &[Point],
    results: &[PointResult],
    lines: &[BreakEvenLine],
) -> Vec<Chart> {
    if points.is_empty() || results.iter().any(|r| r.trials == 0) {
        return Vec::new();
    }
    let Some(second) = params.get(1) else {
        let all: Vec<usize> = (0..points.len()).collect();
        let sweep = Sweep {
            params,
            points,
            results,
        };
        return vec![sweep.chart("sweep_cost.svg", None, &all, lines)];
    };
    let sweep = Sweep {
        params,
        points,
        results,
    };
    charted(second.values.len())
        .into_iter()
        .map(|k| {
            let other = second.values[k];
            let on_line: Vec<usize> = (0..points.len())
                .filter(|&i| points[i].values[1] == other)
                .collect();
            let mine: Vec<BreakEvenLine> = lines
                .iter()
                .filter(|l| l.other == Some(other))
                .cloned()
                .collect();
            let name = format!("sweep_cost_{}.svg", k + 1);
            sweep.chart(&name, Some(other), &on_line, &mine)
        })
        .collect()
}

/// Indices of the second parameter's values that get a chart: all of them
/// up to [`MAX_CHARTS`], else that many evenly spread, ends included.
pub fn charted(values: usize) -> Vec<usize> {
    if values <= MAX_CHARTS {
        return (0..values).collect();
    }
    let mut picked: Vec<usize> = (0..MAX_CHARTS)
        .map(|j| (j * (values - 1) + (MAX_CHARTS - 1) / 2) / (MAX_CHARTS - 1))
        .collect();
    picked.dedup();
    picked
}

/// The unit of a sweep parameter, for its axis label.
pub fn unit(path: &str) -> &'static str {
    match path {
        "months" => "months",
        "seats" => "seats",
        "plan.monthly_credits" | "plan.cap" | "addons.pack" => "credits",
        "plan.price_monthly" | "plan.price_annual" | "addons.price" => "USD",
        "demand.per_workday" => "InMails per workday",
        "demand.per_week" => "InMails per week",
        "demand.per_cycle" => "InMails per month",
        "open_profile.limit" => "InMails",
        "addons.max_per_month" | "addons.per_month" => "add-ons per month",
        "response.rate"
        | "response.rate_center"
        | "response.declines_share"
        | "open_profile.share" => "share, 0–1",
        "follow_ups.response_factor" => "factor",
        p if p.ends_with("_days") || p.ends_with(".days") => "days",
        _ => "value",
    }
}

struct Sweep<'a> {
    params: &'a [Param],
    points: &'a [Point],
    results: &'a [PointResult],
}

impl Sweep<'_> {
    /// The chart of the grid points `on_line` (ascending along the first
    /// parameter) and their break-evens.
    fn chart(
        &self,
        file_name: &str,
        other: Option<f64>,
        on_line: &[usize],
        lines: &[BreakEvenLine],
    ) -> Chart {
        let set = &self.points[0].set;
        let first = &self.params[0];
        let xs: Vec<f64> = on_line.iter().map(|&i| self.points[i].values[0]).collect();
        let options = set.scenarios.len();
        let cost = |i: usize, k: usize| self.results[i].summary.options[k].cost;
        let area = Area::standard();
        let top = on_line
            .iter()
            .flat_map(|&i| (0..options).map(move |k| (i, k)))
            // One trial has no interval (NaN): its mean sets the top.
            .map(|(i, k)| cost(i, k).high.max(cost(i, k).mean) / 100.0)
            .fold(0.0, f64::max);
        let (y, y_ticks) = value_axis(&area, 0.0, top.max(1.0), dollar_label);
        let (x, x_ticks) = grid_axis(&area, &xs);
        let at = match (self.params.get(1), other) {
            (Some(p), Some(v)) => format!(" at {} = {v}", p.key.path),
            _ => String::new(),
        };
        let words = Words {
            title: format!(
                "{}: cost per month against {}{at}",
                set.names().join(" vs "),
                first.key.path
            ),
            subtitle: format!(
                "{} per grid point, seed {}, every point and option on the same trials",
                self.trials_text(on_line),
                set.seed
            ),
            x_label: format!("{} ({})", first.key.path, unit(first.key.path)),
            y_label: "mean cost per month (USD)".to_string(),
        };
        let mut s = Svg::new(&words.title);
        draw_heading(&mut s, &words);
        let mut legend: Vec<(Mark, String)> = (0..options)
            .map(|k| {
                (
                    Mark::Line(colour(k)),
                    format!("{} {}", label(k), set.scenarios[k].name),
                )
            })
            .collect();
        legend.push((
            Mark::Fill("#555555", "0.2"),
            "95% CI of the mean".to_string(),
        ));
        if lines.iter().any(|l| l.result.value.is_some()) {
            legend.push((Mark::Dashed("#111111"), "break-even".to_string()));
            legend.push((
                Mark::Fill("#888888", "0.3"),
                "where it lies (95%, point by point)".to_string(),
            ));
        }
        draw_legend(&mut s, &legend);
        draw_y_ticks(&mut s, &area, &y, &y_ticks);
        for (j, line) in lines.iter().enumerate() {
            draw_break_even(&mut s, &area, &x, line, j);
        }
        for k in 0..options {
            let mut band: Vec<(f64, f64)> = on_line
                .iter()
                .map(|&i| {
                    (
                        x.px(self.points[i].values[0]),
                        y.px(cost(i, k).high / 100.0),
                    )
                })
                .collect();
            band.extend(
                on_line
                    .iter()
                    .rev()
                    .map(|&i| (x.px(self.points[i].values[0]), y.px(cost(i, k).low / 100.0))),
            );
            let c = colour(k);
            s.polygon(
                &band,
                &format!(r#"class="ci" fill="{c}" fill-opacity="0.2" stroke="none""#),
            );
            let means: Vec<(f64, f64)> = on_line
                .iter()
                .map(|&i| {
                    (
                        x.px(self.points[i].values[0]),
                        y.px(cost(i, k).mean / 100.0),
                    )
                })
                .collect();
            s.polyline(
                &means,
                &format!(
                    r#"class="cost option-{}" stroke="{c}" stroke-width="2.5""#,
                    label(k)
                ),
            );
            if means.len() <= 40 {
                for p in &means {
                    s.circle(*p, 3.0, &format!(r#"fill="{c}""#));
                }
            }
        }
        draw_axes(&mut s, &area);
        draw_x_ticks(&mut s, &area, &x, &x_ticks);
        draw_axis_labels(&mut s, &area, &words);
        Chart::new(file_name, words.title, s)
    }

    /// "20000 trials" or "4096–20480 trials" (with --precision).
    fn trials_text(&self, on_line: &[usize]) -> String {
        let t: Vec<u64> = on_line.iter().map(|&i| self.results[i].trials).collect();
        let (lo, hi) = (
            t.iter().copied().min().unwrap_or(0),
            t.iter().copied().max().unwrap_or(0),
        );
        if lo == hi {
            crate::numbers::count(lo, "trial", "trials")
        } else {
            format!(
                "{}–{} trials",
                crate::numbers::grouped(lo),
                crate::numbers::grouped(hi)
            )
        }
    }
}

/// An x scale from the first to the last grid value, with nice ticks
/// inside it.
fn grid_axis(area: &Area, xs: &[f64]) -> (Scale, Vec<(f64, String)>) {
    let lo = xs.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let (_, _, ticks) = nice_axis(lo, hi, 10);
    let step = tick_step(&ticks);
    let scale = Scale {
        lo,
        hi,
        px_lo: area.left + 12.0,
        px_hi: area.right - 12.0,
    };
    let inside = ticks
        .into_iter()
        .filter(|t| *t >= lo - step * 1e-6 && *t <= hi + step * 1e-6)
        .map(|t| (t, tick_label(t, step)))
        .collect();
    (scale, inside)
}

/// A pair's break-even: its interval shaded, a dashed line at the value
/// and a label near the top (stacked when there are several pairs).
fn draw_break_even(s: &mut Svg, area: &Area, x: &Scale, line: &BreakEvenLine, j: usize) {
    let r = &line.result;
    let Some(value) = r.value else {
        return;
    };
    let clamp = |v: f64| v.clamp(x.lo.min(x.hi), x.hi.max(x.lo));
    let low = x.px(clamp(r.low.unwrap_or(x.lo)));
    let high = x.px(clamp(r.high.unwrap_or(x.hi)));
    s.rect(
        low.min(high),
        area.top,
        (high - low).abs(),
        area.height(),
        r##"class="break-even-interval" fill="#888888" fill-opacity="0.15""##,
    );
    let at = x.px(value);
    s.line(
        (at, area.top),
        (at, area.bottom),
        r##"class="break-even" stroke="#111111" stroke-width="1.5" stroke-dasharray="6,4""##,
    );
    let text = format!(
        "{} = {} at {}",
        label(line.a),
        label(line.b),
        tick_label(value, 0.001)
    );
    // Left of the line when it is in the right half, so the text stays in.
    let (dx, anchor) = if at > (area.left + area.right) / 2.0 {
        (-6.0, "end")
    } else {
        (6.0, "start")
    };
    s.text(
        (at + dx, area.top + 12.0 + 16.0 * j as f64),
        &text,
        &format!(
            r##"class="break-even-label" font-size="12" text-anchor="{anchor}" fill="#111111""##
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_second_parameter_is_charted_at_evenly_spread_values_ends_included() {
        assert_eq!(charted(3), vec![0, 1, 2]);
        let picked = charted(100);
        assert_eq!(picked.len(), MAX_CHARTS);
        assert_eq!(picked[0], 0);
        assert_eq!(*picked.last().unwrap(), 99);
        assert!(picked.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn every_sweep_key_has_a_unit() {
        for key in crate::sweep::KEYS {
            assert_ne!(unit(key.path), "value", "{}", key.path);
        }
    }
}
