//! Two chart bodies several charts share: vertical bars at whole-number
//! positions (months, days) and box plots of distributions side by side.

use super::frame::{Area, Scale};
use super::svg::Svg;
use crate::stats::Summary;

/// An x scale for bars centred on whole numbers `first..=last`.
pub fn bar_scale(area: &Area, first: i64, last: i64) -> Scale {
    Scale {
        lo: first as f64 - 0.5,
        hi: last as f64 + 0.5,
        px_lo: area.left + 4.0,
        px_hi: area.right - 4.0,
    }
}

/// One bar: centred at `x + offset` (in data units), `width` data units
/// wide, from 0 to `value`. `class` names the series for tests and readers.
pub struct Bar<'a> {
    pub x: f64,
    pub offset: f64,
    pub width: f64,
    pub value: f64,
    pub fill: &'a str,
    pub class: &'a str,
}

pub fn draw_bar(s: &mut Svg, x: &Scale, y: &Scale, bar: &Bar<'_>) {
    let left = x.px(bar.x + bar.offset - bar.width / 2.0);
    let right = x.px(bar.x + bar.offset + bar.width / 2.0);
    let top = y.px(bar.value.max(0.0));
    let base = y.px(0.0);
    // At least a hairline, so a tiny non-zero share is still visible.
    let w = (right - left).max(0.8);
    s.rect(
        left,
        top,
        w,
        base - top,
        &format!(r#"class="{}" fill="{}""#, bar.class, bar.fill),
    );
}

/// A distribution as a box plot at slot centre `cx`: whiskers p5–p95, box
/// p25–p75, a line at the median and a diamond at the mean. `scale` turns
/// the summary's raw values into the y axis's units.
pub fn draw_box(
    s: &mut Svg,
    cx: f64,
    half: f64,
    y: &Scale,
    summary: &Summary,
    scale: f64,
    colour: &str,
) {
    let v = |raw: i64| y.px(raw as f64 * scale);
    let stroke = format!(r#"stroke="{colour}" stroke-width="2""#);
    s.line((cx, v(summary.p5)), (cx, v(summary.p25)), &stroke);
    s.line((cx, v(summary.p75)), (cx, v(summary.p95)), &stroke);
    for q in [summary.p5, summary.p95] {
        s.line((cx - half / 2.0, v(q)), (cx + half / 2.0, v(q)), &stroke);
    }
    let (top, bottom) = (v(summary.p75), v(summary.p25));
    s.rect(
        cx - half,
        top,
        2.0 * half,
        bottom - top,
        &format!(
            r#"class="box" fill="{colour}" fill-opacity="0.25" stroke="{colour}" stroke-width="2""#
        ),
    );
    s.line(
        (cx - half, v(summary.p50)),
        (cx + half, v(summary.p50)),
        &format!(r#"class="median" stroke="{colour}" stroke-width="3""#),
    );
    let my = y.px(summary.mean * scale);
    s.polygon(
        &[
            (cx, my - 6.0),
            (cx + 6.0, my),
            (cx, my + 6.0),
            (cx - 6.0, my),
        ],
        r##"class="mean" fill="#111111""##,
    );
}
