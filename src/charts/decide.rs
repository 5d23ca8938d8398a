//! The charts of `solve` and `recommend`: points with 95% whiskers on two
//! numeric axes, optionally joined, with a horizontal target line and a
//! shaded vertical interval. `solve` draws its statistic against the
//! parameter; `recommend` its cost-versus-risk frontier.

use super::Chart;
use super::frame::{
    Area, Mark, Scale, Words, colour, draw_axes, draw_axis_labels, draw_heading, draw_legend,
    draw_x_ticks, draw_y_ticks, nice_axis, tick_label, tick_step,
};
use super::svg::Svg;

/// A point: x, y and the 95% interval of y.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dot {
    pub x: f64,
    pub y: f64,
    pub y_low: f64,
    pub y_high: f64,
}

/// A series of dots (drawn in the order given when `joined`).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub label: String,
    pub dots: Vec<Dot>,
    pub joined: bool,
}

/// How an axis labels its ticks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Plain,
    /// A share 0–1 shown as a percentage.
    Percent,
    Dollars,
}

impl Unit {
    fn label(self, v: f64, step: f64) -> String {
        match self {
            Unit::Plain => tick_label(v, step),
            Unit::Percent => format!("{}%", tick_label(v * 100.0, step * 100.0)),
            Unit::Dollars => format!("${}", tick_label(v, step)),
        }
    }
}

/// Everything a dots chart shows.
#[derive(Debug, Clone)]
pub struct DotsChart {
    pub file_name: String,
    pub words: Words,
    pub x_unit: Unit,
    pub y_unit: Unit,
    pub series: Vec<Series>,
    /// A horizontal line at y (a target, a limit) and its legend.
    pub level: Option<(f64, String)>,
    /// A shaded x interval (an answer's 95% interval) and its legend.
    pub band: Option<(f64, f64, String)>,
}

fn axis(lo: f64, hi: f64, px: (f64, f64), unit: Unit) -> (Scale, Vec<(f64, String)>) {
    let (lo, hi) = if hi > lo {
        (lo, hi)
    } else {
        (lo - 0.5, hi + 0.5)
    };
    let (lo, hi, ticks) = nice_axis(lo, hi, 8);
    let step = tick_step(&ticks);
    let scale = Scale {
        lo,
        hi,
        px_lo: px.0,
        px_hi: px.1,
    };
    (
        scale,
        ticks.iter().map(|&t| (t, unit.label(t, step))).collect(),
    )
}

pub fn draw(c: &DotsChart) -> Chart {
    let area = Area::standard();
    let dots = c.series.iter().flat_map(|s| s.dots.iter());
    let xs: Vec<f64> = dots
        .clone()
        .map(|d| d.x)
        .chain(c.band.iter().flat_map(|b| [b.0, b.1]))
        .collect();
    let ys: Vec<f64> = dots
        .flat_map(|d| [d.y_low, d.y_high])
        .chain(c.level.iter().map(|l| l.0))
        .collect();
    let min = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
    let max = |v: &[f64]| v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let (x, x_ticks) = axis(
        min(&xs),
        max(&xs),
        (area.left + 12.0, area.right - 12.0),
        c.x_unit,
    );
    let (y, y_ticks) = axis(
        min(&ys).min(0.0),
        max(&ys),
        (area.bottom, area.top),
        c.y_unit,
    );
    let mut s = Svg::new(&c.words.title);
    draw_heading(&mut s, &c.words);
    let mut legend: Vec<(Mark, String)> = c
        .series
        .iter()
        .enumerate()
        .map(|(i, se)| (Mark::Diamond(colour(i)), se.label.clone()))
        .collect();
    if let Some((_, text)) = &c.level {
        legend.push((Mark::Dashed("#111111"), text.clone()));
    }
    if let Some((_, _, text)) = &c.band {
        legend.push((Mark::Fill("#888888", "0.3"), text.clone()));
    }
    draw_legend(&mut s, &legend);
    draw_y_ticks(&mut s, &area, &y, &y_ticks);
    draw_x_ticks(&mut s, &area, &x, &x_ticks);
    if let Some((lo, hi, _)) = c.band {
        let (a, b) = (x.px(lo), x.px(hi));
        s.rect(
            a,
            area.top,
            (b - a).max(1.0),
            area.height(),
            r##"class="band" fill="#888888" fill-opacity="0.3""##,
        );
    }
    if let Some((level, _)) = c.level {
        let at = y.px(level);
        s.line(
            (area.left, at),
            (area.right, at),
            r##"class="level" stroke="#111111" stroke-width="1.5" stroke-dasharray="5,3""##,
        );
    }
    for (i, se) in c.series.iter().enumerate() {
        let col = colour(i);
        if se.joined && se.dots.len() > 1 {
            let line: Vec<(f64, f64)> = se.dots.iter().map(|d| (x.px(d.x), y.px(d.y))).collect();
            s.polyline(&line, &format!(r#"stroke="{col}" stroke-width="1.5""#));
        }
        for d in &se.dots {
            let px = x.px(d.x);
            s.line(
                (px, y.px(d.y_low)),
                (px, y.px(d.y_high)),
                &format!(r#"stroke="{col}" stroke-width="1""#),
            );
            s.circle(
                (px, y.px(d.y)),
                3.5,
                &format!(r#"class="dot" fill="{col}""#),
            );
        }
    }
    draw_axes(&mut s, &area);
    draw_axis_labels(&mut s, &area, &c.words);
    Chart::new(&c.file_name, c.words.title.clone(), s)
}

/// `solve.svg`: the statistic at every evaluation, the target and the
/// answer's 95% interval.
pub fn solve_chart(
    q: &crate::decide::question::Question,
    a: &crate::decide::solve::Answer,
) -> Chart {
    use crate::decide::Stat;
    let p = &q.problem;
    let unit = match p.stat {
        Stat::Exhausted => Unit::Percent,
        Stat::Blocked => Unit::Plain,
        Stat::Cost => Unit::Dollars,
    };
    let dots = a
        .evaluations
        .iter()
        .map(|e| {
            // One trial: no interval, so no whisker (a point's own height).
            let (y_low, y_high) = if e.estimate.has_interval() {
                p.interval(e)
            } else {
                (e.estimate.mean, e.estimate.mean)
            };
            Dot {
                x: e.x,
                y: e.estimate.mean,
                y_low,
                y_high,
            }
        })
        .collect();
    draw(&DotsChart {
        file_name: "solve.svg".to_string(),
        words: Words {
            title: format!("{}: {} against {}", q.base.name, p.stat.key(), q.key.path),
            subtitle: format!(
                "{} per evaluation, seed {}, every evaluation on the same trials",
                crate::numbers::count(q.trials, "trial", "trials"),
                q.base.seed
            ),
            x_label: format!("{} ({})", q.key.path, super::sweep::unit(q.key.path)),
            y_label: q.stat_words().to_string(),
        },
        x_unit: Unit::Plain,
        y_unit: unit,
        series: vec![Series {
            label: "estimate with its 95% interval".to_string(),
            dots,
            joined: true,
        }],
        level: Some((p.target, format!("target {}", p.stat.show(p.target)))),
        band: a
            .has_interval()
            .then(|| (a.low, a.high, "answer, 95% interval".to_string())),
    })
}

/// `frontier.svg`: every candidate's cost against its risk, the frontier
/// joined, the risk limit shaded.
pub fn frontier_chart(
    r: &crate::decide::recommend::Recommendation,
    max_risk: f64,
    base: &crate::scenario::Scenario,
) -> Chart {
    let s = r.scored();
    let dot = |i: usize| Dot {
        x: s[i].risk.mean,
        y: s[i].cost.mean,
        y_low: s[i].cost.low(),
        y_high: s[i].cost.high(),
    };
    let others: Vec<Dot> = (0..s.len())
        .filter(|i| !r.frontier.contains(i))
        .map(dot)
        .collect();
    draw(&DotsChart {
        file_name: "frontier.svg".to_string(),
        words: Words {
            title: format!("{}: cost against the chance a month runs out", base.name),
            // Trials and seed, as every chart states them (docs/outputs.md);
            // candidates stop at different counts, so the trials in all.
            subtitle: format!(
                "{}, {} in all, seed {}, every candidate on the same trials; the frontier: no \
                 other is cheaper and safer",
                crate::numbers::count(s.len() as u64, "candidate", "candidates"),
                crate::numbers::count(r.elimination.trials_spent(), "trial", "trials"),
                base.seed
            ),
            x_label: "chance a month runs out".to_string(),
            y_label: "mean cost per month (USD)".to_string(),
        },
        x_unit: Unit::Percent,
        y_unit: Unit::Dollars,
        series: vec![
            Series {
                label: "frontier".to_string(),
                dots: r.frontier.iter().map(|&i| dot(i)).collect(),
                joined: true,
            },
            Series {
                label: "other candidates".to_string(),
                dots: others,
                joined: false,
            },
        ],
        level: None,
        band: Some((
            0.0,
            max_risk,
            format!("within the risk limit ({:.1}%)", max_risk * 100.0),
        )),
    })
}
