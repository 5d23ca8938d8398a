//! The charts of `compare`, drawn from the same histograms as options.csv
//! and pairs.csv:
//!
//! - `cost_distribution.svg`: each option's monthly cost (horizon total /
//!   months) over the trials, as box plots side by side;
//! - `cost_difference.svg`: each pair's paired difference A − B of the
//!   monthly cost, trial by trial, as box plots around a zero line.

use super::Chart;
use super::bars::draw_box;
use super::frame::{
    Area, Mark, Scale, Words, colour, dollar_label, draw_axes, draw_axis_labels, draw_heading,
    draw_legend, draw_y_ticks, value_axis,
};
use super::svg::{self, Svg};
use crate::compare::summary::dollars;
use crate::compare::{CompareSet, CompareStats, label};
use crate::engine::Metric;
use crate::stats::Summary;

/// The charts `compare` writes (checked before the run).
pub const FILES: [&str; 2] = ["cost_distribution.svg", "cost_difference.svg"];

/// Both compare charts; none if no trial ran.
pub fn charts(set: &CompareSet, stats: &CompareStats) -> Vec<Chart> {
    if stats.trials() == 0 {
        return Vec::new();
    }
    vec![cost_distribution(set, stats), cost_difference(set, stats)]
}

/// One box of a box-plot chart: its distribution, colour and two label
/// lines under it.
struct Slot {
    summary: Summary,
    colour: &'static str,
    label: String,
    detail: String,
}

fn legend_of_boxes() -> Vec<(Mark, String)> {
    vec![
        (
            Mark::Fill("#555555", "0.25"),
            "box: p25–p75 of trials".to_string(),
        ),
        (
            Mark::Line("#555555"),
            "whiskers: p5–p95; bar: median".to_string(),
        ),
        (Mark::Diamond("#111111"), "mean".to_string()),
    ]
}

fn subtitle(set: &CompareSet, stats: &CompareStats, tail: &str) -> String {
    format!(
        "{} × {}, seed {}, every option on the same trials; {tail}",
        crate::numbers::count(stats.trials(), "trial", "trials"),
        crate::numbers::count(stats.months() as u64, "month", "months"),
        set.seed
    )
}

fn cost_distribution(set: &CompareSet, stats: &CompareStats) -> Chart {
    let slots: Vec<Slot> = stats
        .options
        .iter()
        .enumerate()
        .filter_map(|(k, o)| {
            Some(Slot {
                summary: o.horizon_of(Metric::TotalCost).summary()?,
                colour: colour(k),
                label: format!("{}  {}", label(k), set.scenarios[k].name),
                detail: format!("({})", set.scenarios[k].plan.id),
            })
        })
        .collect();
    let words = Words {
        title: format!("{}: monthly cost of each option", set.names().join(" vs ")),
        subtitle: subtitle(set, stats, "cost over the horizon / months"),
        x_label: "option (scenario, plan)".to_string(),
        y_label: "cost per month (USD)".to_string(),
    };
    let s = boxes(&words, &slots, stats.months(), false);
    Chart::new(FILES[0], words.title, s)
}

fn cost_difference(set: &CompareSet, stats: &CompareStats) -> Chart {
    let slots: Vec<Slot> = stats
        .pairs
        .iter()
        .filter_map(|p| {
            Some(Slot {
                summary: p.difference.summary()?,
                colour: colour(p.a),
                label: format!("{} − {}", label(p.a), label(p.b)),
                detail: format!("{} − {}", set.scenarios[p.a].name, set.scenarios[p.b].name),
            })
        })
        .collect();
    let words = Words {
        title: format!(
            "{}: paired difference in monthly cost",
            set.names().join(" vs ")
        ),
        subtitle: subtitle(set, stats, "below 0 the first option is cheaper"),
        x_label: "pair (first option − second option, in the same simulated trial)".to_string(),
        y_label: "cost difference per month (USD)".to_string(),
    };
    let s = boxes(&words, &slots, stats.months(), true);
    Chart::new(FILES[1], words.title, s)
}

/// Box plots side by side; values are cents over the horizon, shown in
/// dollars per month. `zero_line` draws a dashed line at 0.
fn boxes(words: &Words, slots: &[Slot], months: usize, zero_line: bool) -> Svg {
    let scale = 1.0 / (100.0 * months.max(1) as f64);
    let area = Area::standard();
    let lo = slots
        .iter()
        .map(|s| s.summary.p5 as f64 * scale)
        .fold(0.0, f64::min);
    let hi = slots
        .iter()
        .map(|s| s.summary.p95 as f64 * scale)
        .fold(0.0, f64::max);
    let hi = slots
        .iter()
        .map(|s| s.summary.mean * scale)
        .fold(hi, f64::max);
    let (y, y_ticks) = value_axis(&area, lo, hi.max(lo + 1.0), dollar_label);
    let mut s = Svg::new(&words.title);
    draw_heading(&mut s, words);
    draw_legend(&mut s, &legend_of_boxes());
    draw_y_ticks(&mut s, &area, &y, &y_ticks);
    if zero_line {
        s.line(
            (area.left, y.px(0.0)),
            (area.right, y.px(0.0)),
            r##"class="zero" stroke="#111111" stroke-width="1.5" stroke-dasharray="6,4""##,
        );
    }
    let slot_width = area.width() / slots.len().max(1) as f64;
    let half = (slot_width * 0.22).min(60.0);
    for (k, slot) in slots.iter().enumerate() {
        let cx = area.left + slot_width * (k as f64 + 0.5);
        draw_box(&mut s, cx, half, &y, &slot.summary, scale, slot.colour);
        let room = area.left + slot_width * (k as f64 + 1.0) - (cx + half + 4.0);
        mean_text(&mut s, cx + half + 4.0, room, &y, slot, scale);
        slot_labels(&mut s, &area, cx, slot_width, slot);
    }
    draw_axes(&mut s, &area);
    draw_axis_labels(&mut s, &area, words);
    s
}

/// The mean in dollars beside its diamond, within the `room` left in its
/// slot: smaller, then cut, rather than into the next slot or past the
/// chart's edge (the last slot's "mean -$122.00" was cut off there).
fn mean_text(s: &mut Svg, x: f64, room: f64, y: &Scale, slot: &Slot, scale: f64) {
    let mean = slot.summary.mean * scale;
    let text = format!("mean {}", dollars(mean * 100.0));
    let size = svg::fit(&text, room, 12.0);
    s.text(
        (x, y.px(mean)),
        &svg::clip(&text, room, size),
        &format!(r##"class="mean-label" font-size="{size}" fill="#111111""##),
    );
}

fn slot_labels(s: &mut Svg, area: &Area, cx: f64, width: f64, slot: &Slot) {
    let room = width - 8.0;
    let size = svg::fit(&slot.label, room, 13.0);
    s.text(
        (cx, area.bottom + 16.0),
        &svg::clip(&slot.label, room, size),
        &format!(r##"class="xtick" font-size="{size}" text-anchor="middle" fill="#222222""##),
    );
    let size = svg::fit(&slot.detail, room, 11.0);
    s.text(
        (cx, area.bottom + 31.0),
        &svg::clip(&slot.detail, room, size),
        &format!(r##"font-size="{size}" text-anchor="middle" fill="#555555""##),
    );
}
