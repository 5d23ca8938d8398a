//! The parts every chart shares: linear scales, "nice" ticks, the page
//! layout (title, subtitle, legend, plot area, axis labels) and the palette.
//!
//! Layout at 800 × 480 px: the title and subtitle on top, the legend on one
//! or two rows under them (never over the data), then the plot area, tick
//! labels and the axis labels with their units.

use super::svg::{self, HEIGHT, Svg, WIDTH};

/// Colours of the series (options, lines), distinguishable in print.
pub const PALETTE: [&str; 8] = [
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf",
];

pub fn colour(i: usize) -> &'static str {
    PALETTE[i % PALETTE.len()]
}

/// The plot area in px.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Area {
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
}

impl Area {
    /// The standard plot area, with `left` px for the y tick labels.
    pub fn with_left(left: f64) -> Area {
        Area {
            left,
            right: WIDTH - 24.0,
            top: 110.0,
            bottom: HEIGHT - 80.0,
        }
    }

    pub fn standard() -> Area {
        Area::with_left(84.0)
    }

    pub fn width(&self) -> f64 {
        self.right - self.left
    }

    pub fn height(&self) -> f64 {
        self.bottom - self.top
    }
}

/// A linear map from data values to px.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    pub lo: f64,
    pub hi: f64,
    pub px_lo: f64,
    pub px_hi: f64,
}

impl Scale {
    pub fn px(&self, v: f64) -> f64 {
        if self.hi == self.lo {
            return (self.px_lo + self.px_hi) / 2.0;
        }
        self.px_lo + (v - self.lo) / (self.hi - self.lo) * (self.px_hi - self.px_lo)
    }
}

/// A tick step of 1, 2 or 5 × 10^k giving at most `max` intervals over
/// `span`.
pub fn nice_step(span: f64, max: usize) -> f64 {
    if !(span.is_finite() && span > 0.0) {
        return 1.0;
    }
    let raw = span / max.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw * (1.0 - 1e-9))
        .unwrap_or(10.0 * magnitude)
}

/// Ticks covering `lo..=hi`: the range widened to whole steps, and the
/// ticks in it. An empty range becomes one step wide around its value.
pub fn nice_axis(lo: f64, hi: f64, max: usize) -> (f64, f64, Vec<f64>) {
    let (lo, hi) = if hi > lo {
        (lo, hi)
    } else if lo == 0.0 {
        (0.0, 1.0)
    } else {
        (lo - lo.abs() * 0.1, hi + hi.abs() * 0.1)
    };
    let step = nice_step(hi - lo, max);
    // The tolerance keeps a bound that is already on the grid (0, or 1.0
    // after float noise) from growing by a whole step.
    let first = (lo / step + 1e-9).floor();
    let last = (hi / step - 1e-9).ceil();
    let ticks = (0..=(last - first) as i64)
        .map(|k| tidy((first + k as f64) * step))
        .collect();
    (tidy(first * step), tidy(last * step), ticks)
}

/// Whole-number ticks (months, days) over `lo..=hi`, at most `max`.
pub fn integer_ticks(lo: i64, hi: i64, max: usize) -> Vec<f64> {
    let step = nice_step((hi - lo) as f64, max).max(1.0).round() as i64;
    let start = if lo % step == 0 {
        lo
    } else {
        lo + step - lo.rem_euclid(step)
    };
    let mut ticks: Vec<f64> = (start..=hi)
        .step_by(step as usize)
        .map(|v| v as f64)
        .collect();
    if ticks.first() != Some(&(lo as f64)) && lo == 1 {
        ticks.insert(0, 1.0); // months and days start at 1
    }
    ticks
}

/// Removes float noise from a tick value (0.30000000000000004 → 0.3).
fn tidy(v: f64) -> f64 {
    let t = (v * 1e9).round() / 1e9;
    if t == 0.0 { 0.0 } else { t }
}

/// A tick label with as many decimals as the step needs; thousands
/// grouped ("12,000"), and millions and beyond shortened ("1.5M", "2B") when
/// the step is that large, so that a label fits the 84 px left of the plot
/// and x labels do not run into each other.
pub fn tick_label(v: f64, step: f64) -> String {
    const UNITS: [(f64, &str); 3] = [(1e12, "T"), (1e9, "B"), (1e6, "M")];
    if let Some(&(unit, suffix)) = UNITS.iter().find(|(unit, _)| 2.0 * step >= *unit) {
        let body = grouped_tick_label(v / unit, step / unit);
        return if body == "0" {
            body
        } else {
            format!("{body}{suffix}")
        };
    }
    grouped_tick_label(v, step)
}

/// [`plain_tick_label`] with thousands grouped from 10,000.
fn grouped_tick_label(v: f64, step: f64) -> String {
    let text = plain_tick_label(v, step);
    if v.abs() >= 10_000.0 && !text.contains('.') {
        let grouped = crate::numbers::grouped(v.abs().round() as u64);
        return if v < 0.0 {
            format!("-{grouped}")
        } else {
            grouped
        };
    }
    text
}

/// A tick label with as many decimals as the step needs, digits only.
fn plain_tick_label(v: f64, step: f64) -> String {
    let decimals = if step >= 1.0 || step <= 0.0 {
        0
    } else {
        (-step.log10().floor()) as usize
    };
    let text = format!("{:.*}", decimals.min(6), v);
    if text
        .trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        text.trim_start_matches('-').to_string()
    } else {
        text
    }
}

/// "$12" or "$12.50" for a tick in dollars; "-$5" below zero.
pub fn dollar_label(v: f64, step: f64) -> String {
    let body = tick_label(v.abs(), step);
    if v < 0.0 && body.chars().any(|c| c.is_ascii_digit() && c != '0') {
        format!("-${body}")
    } else {
        format!("${body}")
    }
}

/// The words around the plot: title, subtitle and axis labels.
#[derive(Debug, Clone)]
pub struct Words {
    pub title: String,
    pub subtitle: String,
    pub x_label: String,
    pub y_label: String,
}

/// Draws the title and subtitle, shrunk to fit the width.
pub fn draw_heading(s: &mut Svg, words: &Words) {
    let room = WIDTH - 32.0;
    // Bold glyphs are about 10% wider than the estimate.
    let size = svg::fit(&words.title, room / 1.1, 18.0);
    let title = svg::clip(&words.title, room / 1.1, size);
    s.text(
        (16.0, 24.0),
        &title,
        &format!(r##"font-size="{size}" font-weight="bold" fill="#111111""##),
    );
    let size = svg::fit(&words.subtitle, room, 13.0);
    let subtitle = svg::clip(&words.subtitle, room, size);
    s.text(
        (16.0, 46.0),
        &subtitle,
        &format!(r##"class="subtitle" font-size="{size}" fill="#444444""##),
    );
}

/// Draws the axis labels (x under the tick labels, y turned up the left).
pub fn draw_axis_labels(s: &mut Svg, area: &Area, words: &Words) {
    let size = svg::fit(&words.x_label, area.width(), 14.0);
    s.text(
        ((area.left + area.right) / 2.0, HEIGHT - 20.0),
        &svg::clip(&words.x_label, area.width(), size),
        &format!(r##"class="xlabel" font-size="{size}" text-anchor="middle" fill="#111111""##),
    );
    let size = svg::fit(&words.y_label, area.height(), 14.0);
    s.text_up(
        (18.0, (area.top + area.bottom) / 2.0),
        &svg::clip(&words.y_label, area.height(), size),
        &format!(r##"class="ylabel" font-size="{size}" text-anchor="middle" fill="#111111""##),
    );
}

/// Horizontal grid lines and y tick labels at `ticks` (value, label).
pub fn draw_y_ticks(s: &mut Svg, area: &Area, y: &Scale, ticks: &[(f64, String)]) {
    for (v, label) in ticks {
        let at = y.px(*v);
        s.line(
            (area.left, at),
            (area.right, at),
            r##"stroke="#e3e3e3" stroke-width="1""##,
        );
        s.text(
            (area.left - 6.0, at),
            label,
            r##"class="ytick" font-size="12" text-anchor="end" fill="#333333""##,
        );
    }
}

/// X tick marks and labels at `ticks` (value, label).
pub fn draw_x_ticks(s: &mut Svg, area: &Area, x: &Scale, ticks: &[(f64, String)]) {
    for (v, label) in ticks {
        let at = x.px(*v);
        s.line(
            (at, area.bottom),
            (at, area.bottom + 5.0),
            r##"stroke="#333333" stroke-width="1""##,
        );
        s.text(
            (at, area.bottom + 16.0),
            label,
            r##"class="xtick" font-size="12" text-anchor="middle" fill="#333333""##,
        );
    }
}

/// The axis lines along the left and bottom of the plot area.
pub fn draw_axes(s: &mut Svg, area: &Area) {
    let attrs = r##"stroke="#333333" stroke-width="1""##;
    s.line((area.left, area.top), (area.left, area.bottom), attrs);
    s.line((area.left, area.bottom), (area.right, area.bottom), attrs);
}

/// How a legend entry is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// A filled square of this colour and opacity.
    Fill(&'static str, &'static str),
    /// A line of this colour.
    Line(&'static str),
    /// A dashed line of this colour.
    Dashed(&'static str),
    /// A diamond of this colour (a mean).
    Diamond(&'static str),
}

/// The legend, left to right under the subtitle, wrapping to a second row;
/// entries that do not fit on two rows are left out (the charts keep their
/// legends short).
pub fn draw_legend(s: &mut Svg, entries: &[(Mark, String)]) {
    let (mut x, mut y) = (16.0, 70.0);
    for (mark, label) in entries {
        let label = svg::clip(label, WIDTH - 64.0, 12.0);
        let w = 24.0 + svg::text_width(&label, 12.0) + 18.0;
        if x + w > WIDTH - 16.0 && x > 16.0 {
            x = 16.0;
            y += 18.0;
            if y > 88.0 {
                return;
            }
        }
        match mark {
            Mark::Fill(c, opacity) => s.rect(
                x,
                y - 6.0,
                16.0,
                12.0,
                &format!(r#"fill="{c}" fill-opacity="{opacity}""#),
            ),
            Mark::Line(c) => s.line(
                (x, y),
                (x + 16.0, y),
                &format!(r#"stroke="{c}" stroke-width="2.5""#),
            ),
            Mark::Dashed(c) => s.line(
                (x, y),
                (x + 16.0, y),
                &format!(r#"stroke="{c}" stroke-width="2" stroke-dasharray="5,3""#),
            ),
            Mark::Diamond(c) => s.polygon(
                &[
                    (x + 8.0, y - 6.0),
                    (x + 14.0, y),
                    (x + 8.0, y + 6.0),
                    (x + 2.0, y),
                ],
                &format!(r#"fill="{c}""#),
            ),
        }
        s.text(
            (x + 22.0, y),
            &label,
            r##"class="legend" font-size="12" fill="#222222""##,
        );
        x += w;
    }
}

/// The distance between two ticks (1 when there is only one).
pub fn tick_step(ticks: &[f64]) -> f64 {
    match ticks {
        [first, second, ..] => second - first,
        _ => 1.0,
    }
}

/// A y axis from 0 (or the data's minimum, if negative) to the data's
/// maximum, with its labelled ticks.
pub fn value_axis(
    area: &Area,
    lo: f64,
    hi: f64,
    label: fn(f64, f64) -> String,
) -> (Scale, Vec<(f64, String)>) {
    let (lo, hi, ticks) = nice_axis(lo.min(0.0), hi.max(0.0), 6);
    let step = tick_step(&ticks);
    let scale = Scale {
        lo,
        hi,
        px_lo: area.bottom,
        px_hi: area.top,
    };
    let labelled = ticks.iter().map(|&t| (t, label(t, step))).collect();
    (scale, labelled)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_steps_are_one_two_or_five_times_a_power_of_ten() {
        assert_eq!(nice_step(100.0, 5), 20.0);
        assert_eq!(nice_step(7.0, 6), 2.0);
        assert_eq!(nice_step(0.3, 6), 0.05);
        assert_eq!(nice_step(0.0, 6), 1.0);
    }

    #[test]
    fn a_nice_axis_covers_the_data_with_whole_steps() {
        let (lo, hi, ticks) = nice_axis(0.0, 137.0, 6);
        assert_eq!((lo, hi), (0.0, 150.0));
        assert_eq!(ticks, vec![0.0, 50.0, 100.0, 150.0]);
        let (lo, hi, _) = nice_axis(-3.2, 4.1, 6);
        assert!(lo <= -3.2 && hi >= 4.1);
        assert_eq!(
            nice_axis(0.0, 1.0, 6).0,
            0.0,
            "0 is a tick: no step below it"
        );
        assert_eq!(nice_axis(0.0, 0.3 * 3.0, 6).1, 1.0);
        let (lo, hi, ticks) = nice_axis(0.0, 0.0, 6);
        assert_eq!((lo, hi), (0.0, 1.0));
        assert!(ticks.len() >= 2);
    }

    #[test]
    fn integer_ticks_start_at_one_and_stay_whole() {
        assert_eq!(
            integer_ticks(1, 12, 12),
            (1..=12).map(f64::from).collect::<Vec<_>>()
        );
        let t = integer_ticks(1, 120, 12);
        assert_eq!(t[0], 1.0);
        assert!(t.iter().all(|v| v.fract() == 0.0 && *v <= 120.0));
        assert!(t.len() <= 14);
    }

    #[test]
    fn tick_labels_show_the_decimals_the_step_needs() {
        assert_eq!(tick_label(20.0, 20.0), "20");
        assert_eq!(tick_label(0.15, 0.05), "0.15");
        assert_eq!(tick_label(-0.0, 0.5), "0.0");
        assert_eq!(dollar_label(120.0, 20.0), "$120");
        assert_eq!(dollar_label(-5.0, 5.0), "-$5");
        assert_eq!(dollar_label(0.0, 5.0), "$0");
    }

    #[test]
    fn large_tick_labels_are_grouped_or_shortened_to_fit() {
        assert_eq!(tick_label(9_000.0, 1_000.0), "9000");
        assert_eq!(tick_label(120_000.0, 20_000.0), "120,000");
        assert_eq!(tick_label(-40_000.0, 20_000.0), "-40,000");
        assert_eq!(dollar_label(1_200_000.0, 200_000.0), "$1,200,000");
        assert_eq!(dollar_label(2_500_000.0, 500_000.0), "$2.5M");
        assert_eq!(dollar_label(3_000_000.0, 1_000_000.0), "$3M");
        assert_eq!(dollar_label(1.2e9, 2e8), "$1200M");
        assert_eq!(dollar_label(1.5e9, 5e8), "$1.5B");
        assert_eq!(dollar_label(4e9, 1e9), "$4B");
        assert_eq!(dollar_label(-2e9, 1e9), "-$2B");
        assert_eq!(tick_label(0.0, 2e12), "0");
        assert_eq!(tick_label(5e12, 2e12), "5T");
        assert_eq!(tick_label(5e18, 2e18), "5,000,000T");
    }

    #[test]
    fn a_scale_maps_its_ends_to_its_pixels() {
        let s = Scale {
            lo: 0.0,
            hi: 10.0,
            px_lo: 400.0,
            px_hi: 100.0,
        };
        assert_eq!(s.px(0.0), 400.0);
        assert_eq!(s.px(10.0), 100.0);
        assert_eq!(s.px(5.0), 250.0);
    }
}
