//! The chart of `sensitivity`: `tornado.svg`, one row per input in the
//! order of sensitivity.csv (largest cost swing on top). Each row has two
//! bars from the centre's monthly cost: to the cost at the input's low end
//! (upper bar) and at its high end (lower bar), so both ends show even when
//! they fall on the same side of the centre.

use super::Chart;
use super::frame::{
    Area, Mark, Scale, Words, dollar_label, draw_axes, draw_axis_labels, draw_heading, draw_legend,
    draw_x_ticks, nice_axis, tick_step,
};
use super::svg::{self, Svg};
use crate::compare::summary::dollars;
use crate::scenario::Scenario;
use crate::sensitivity::{Plan, Row, SensitivityStats};

/// The chart `sensitivity` writes (checked before the run).
pub const FILES: [&str; 1] = ["tornado.svg"];

const LOW: &str = "#1f77b4";
const HIGH: &str = "#ff7f0e";

/// The tornado chart; none without trials or inputs.
pub fn charts(sc: &Scenario, plan: &Plan, stats: &SensitivityStats, rows: &[Row]) -> Vec<Chart> {
    if stats.trials == 0 || rows.is_empty() {
        return Vec::new();
    }
    vec![tornado(sc, plan, stats, rows)]
}

fn tornado(sc: &Scenario, plan: &Plan, stats: &SensitivityStats, rows: &[Row]) -> Chart {
    let centre = stats.cost_per_month(0) / 100.0;
    let area = Area::with_left(200.0);
    let (lo, hi) = rows.iter().fold((centre, centre), |(lo, hi), r| {
        let (a, b) = (r.cost_low / 100.0, r.cost_high / 100.0);
        (lo.min(a).min(b), hi.max(a).max(b))
    });
    // Room beyond the longest bars for their cost labels.
    let pad = 0.18 * (hi - lo).max(1.0);
    // ...but no negative costs on the axis when none are drawn.
    let (x, x_ticks) = cost_axis(&area, (lo - pad).max(lo.min(0.0)), hi + pad);
    let words = Words {
        title: format!("{}: what moves the monthly cost", sc.name),
        // Trials and seed, as every chart states them (docs/outputs.md).
        subtitle: format!(
            "{} per variant, seed {}, every variant on the same trials; centre {}/month with the \
             reply rate at its median {:.2}%",
            crate::numbers::count(stats.trials, "trial", "trials"),
            sc.seed,
            dollars(centre * 100.0),
            100.0 * plan.rate_centre
        ),
        x_label: "mean cost per month, one input swung, the others at the centre (USD)".to_string(),
        y_label: "input (scenario key: low → high value)".to_string(),
    };
    let mut s = Svg::new(&words.title);
    draw_heading(&mut s, &words);
    draw_legend(
        &mut s,
        &[
            (Mark::Fill(LOW, "1"), "input at its low end".to_string()),
            (Mark::Fill(HIGH, "1"), "input at its high end".to_string()),
            (
                Mark::Dashed("#111111"),
                format!("centre {}", dollars(centre * 100.0)),
            ),
        ],
    );
    for (t, _) in &x_ticks {
        s.line(
            (x.px(*t), area.top),
            (x.px(*t), area.bottom),
            r##"stroke="#e3e3e3" stroke-width="1""##,
        );
    }
    let row_height = (area.height() / rows.len() as f64).min(90.0);
    for (k, row) in rows.iter().enumerate() {
        let top = area.top + row_height * k as f64;
        draw_row(&mut s, &area, &x, centre, row, top, row_height);
    }
    s.line(
        (x.px(centre), area.top),
        (x.px(centre), area.bottom),
        r##"class="centre" stroke="#111111" stroke-width="1.5" stroke-dasharray="6,4""##,
    );
    draw_axes(&mut s, &area);
    draw_x_ticks(&mut s, &area, &x, &x_ticks);
    draw_axis_labels(&mut s, &area, &words);
    Chart::new(FILES[0], words.title, s)
}

/// The cost axis: the data's range widened to whole ticks.
fn cost_axis(area: &Area, lo: f64, hi: f64) -> (Scale, Vec<(f64, String)>) {
    let (lo, hi, ticks) = nice_axis(lo, hi, 8);
    let step = tick_step(&ticks);
    let scale = Scale {
        lo,
        hi,
        px_lo: area.left + 8.0,
        px_hi: area.right - 8.0,
    };
    let labelled = ticks.iter().map(|&t| (t, dollar_label(t, step))).collect();
    (scale, labelled)
}

/// One input: its name and values on the left, its two bars, and each
/// end's cost at the end of its bar.
fn draw_row(s: &mut Svg, area: &Area, x: &Scale, centre: f64, row: &Row, top: f64, h: f64) {
    let input = &row.input;
    let room = area.left - 40.0;
    let size = svg::fit(input.name, room, 13.0);
    s.text(
        (area.left - 8.0, top + h / 2.0 - 7.0),
        input.name,
        &format!(r##"class="input" font-size="{size}" text-anchor="end" fill="#111111""##),
    );
    let values = format!("{} → {}", short(input.low), short(input.high));
    let size = svg::fit(&values, room, 11.0);
    s.text(
        (area.left - 8.0, top + h / 2.0 + 8.0),
        &svg::clip(&values, room, size),
        &format!(r##"font-size="{size}" text-anchor="end" fill="#555555""##),
    );
    let bar_h = (h * 0.3).min(16.0);
    for (cost, y, fill, class) in [
        (row.cost_low / 100.0, top + h / 2.0 - bar_h, LOW, "low"),
        (row.cost_high / 100.0, top + h / 2.0, HIGH, "high"),
    ] {
        let (a, b) = (x.px(centre), x.px(cost));
        s.rect(
            a.min(b),
            y,
            (b - a).abs().max(1.0),
            bar_h,
            &format!(r#"class="{class}" fill="{fill}""#),
        );
        let (dx, anchor) = if b >= a {
            (4.0, "start")
        } else {
            (-4.0, "end")
        };
        s.text(
            (b + dx, y + bar_h / 2.0),
            &dollars(cost * 100.0),
            &format!(r##"font-size="11" text-anchor="{anchor}" fill="#333333""##),
        );
    }
}

/// An input's value, short: up to 4 significant decimals, no trailing zeros.
fn short(v: f64) -> String {
    let text = if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else if v.abs() >= 1.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.4}")
    };
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::short;

    #[test]
    fn input_values_are_short() {
        assert_eq!(short(0.105_123), "0.1051");
        assert_eq!(short(2.5), "2.5");
        assert_eq!(short(1.0), "1");
        assert_eq!(short(0.0), "0");
        assert_eq!(short(1234.4), "1234");
    }
}
