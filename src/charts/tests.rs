//! The charts drawn from small real simulations: each is well-formed XML,
//! names its scenario, labels its axes with units, and draws the numbers of
//! the statistics. Drawn positions are read back through the chart's own
//! tick labels, the way a reader reads the chart.

use super::Chart;
use crate::compare::{self, CompareSet, Source};
use crate::engine::{Metric, Model};
use crate::runner::{self, Progress, RunOptions};
use crate::scenario::{Overrides, Scenario, parse};
use crate::sensitivity::{self, Plan};
use crate::stats::RunStats;
use crate::sweep::{self, Param};
use std::path::{Path, PathBuf};

const LIGHT: &str = "scenarios/sales_navigator_core_light.toml";
const HEAVY: &str = "scenarios/sales_navigator_core_heavy.toml";
const SET: &str = "scenarios/compare/premium_business_addons_vs_core";

fn scenario(path: &str) -> Scenario {
    let text = std::fs::read_to_string(path).expect("a shipped scenario");
    parse(&text, Path::new(path), &Overrides::default()).expect("valid")
}

fn run_stats(sc: &Scenario, trials: u64) -> RunStats {
    let options = RunOptions {
        threads: Some(2),
        progress: false,
    };
    runner::run(&Model::new(sc.clone()), trials, options)
        .expect("the run starts")
        .stats
}

fn set_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(SET)
        .expect("the compare set")
        .map(|e| e.expect("an entry").path())
        .collect();
    files.sort();
    files
}

fn doc(chart: &Chart) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(&chart.svg)
        .unwrap_or_else(|e| panic!("{} is not well-formed XML: {e}", chart.file_name))
}

fn attr(node: &roxmltree::Node<'_, '_>, name: &str) -> f64 {
    node.attribute(name)
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("attribute {name} of {node:?}"))
}

fn with_class<'a, 'i>(
    d: &'a roxmltree::Document<'i>,
    class: &'a str,
) -> impl Iterator<Item = roxmltree::Node<'a, 'i>> + 'a {
    d.descendants().filter(move |n| {
        n.attribute("class")
            .is_some_and(|c| c.split(' ').any(|w| w == class))
    })
}

fn text_of(d: &roxmltree::Document<'_>, class: &str) -> String {
    with_class(d, class)
        .next()
        .and_then(|n| n.text())
        .unwrap_or_else(|| panic!("no text of class {class}"))
        .to_string()
}

/// px → value along one axis, from the first and last tick labels of
/// `class` ("ytick" or "xtick") and their positions `coord` ("y" or "x").
fn axis(d: &roxmltree::Document<'_>, class: &str, coord: &str) -> impl Fn(f64) -> f64 {
    let ticks: Vec<(f64, f64)> = with_class(d, class)
        .filter_map(|n| {
            let value: f64 = n.text()?.replace(['$', '%'], "").parse().ok()?;
            Some((attr(&n, coord), value))
        })
        .collect();
    let (p0, v0) = ticks[0];
    let (p1, v1) = ticks[ticks.len() - 1];
    assert_ne!(p0, p1, "two distinct ticks on {class}");
    move |p| v0 + (p - p0) * (v1 - v0) / (p1 - p0)
}

fn coords(node: &roxmltree::Node<'_, '_>) -> Vec<(f64, f64)> {
    node.attribute("points")
        .expect("points")
        .split(' ')
        .map(|p| {
            let (x, y) = p.split_once(',').expect("x,y");
            (x.parse().expect("x"), y.parse().expect("y"))
        })
        .collect()
}

/// Every chart: parses, its `<title>` and drawn title name `name`, and both
/// axis labels state a unit in parentheses.
fn check_common(charts: &[Chart], name: &str) {
    assert!(!charts.is_empty());
    for chart in charts {
        let d = doc(chart);
        let title = d
            .descendants()
            .find(|n| n.has_tag_name("title"))
            .and_then(|n| n.text())
            .expect("a <title>");
        assert!(title.contains(name), "{}: {title}", chart.file_name);
        assert_eq!(title, chart.title);
        for label in ["xlabel", "ylabel"] {
            let text = text_of(&d, label);
            assert!(text.contains('(') && text.ends_with(')'), "{label}: {text}");
        }
    }
}

#[test]
fn the_fan_charts_median_line_has_one_point_per_month_at_the_median_balance() {
    let sc = scenario(LIGHT);
    let stats = run_stats(&sc, 600);
    let charts = super::run::charts(&sc, &stats);
    check_common(&charts, &sc.name);
    let fan = charts
        .iter()
        .find(|c| c.file_name == "balance_fan.svg")
        .unwrap();
    let d = doc(fan);
    let value_of_y = axis(&d, "ytick", "y");
    // The x ticks name the months ("Jan" … "Dec"), one per month here:
    // month k sits at the k-th tick.
    let ticks: Vec<(f64, String)> = with_class(&d, "xtick")
        .map(|n| (attr(&n, "x"), n.text().unwrap_or_default().to_string()))
        .collect();
    let names: Vec<&str> = ticks.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(names[..3], ["Jan", "Feb", "Mar"]);
    let month_of_x = |x: f64| {
        let (p0, p1) = (ticks[0].0, ticks[ticks.len() - 1].0);
        1.0 + (x - p0) * (ticks.len() - 1) as f64 / (p1 - p0)
    };
    let median = with_class(&d, "median").next().expect("the median line");
    let drawn = coords(&median);
    let expected: Vec<i64> = stats
        .per_cycle_of(Metric::EndBalance)
        .map(|h| h.summary().unwrap().p50)
        .collect();
    assert_eq!(drawn.len(), expected.len());
    // Light usage accumulates credits: the medians are not all equal, so a
    // flat line would fail this.
    assert!(expected.iter().any(|m| *m != expected[0]));
    for (k, ((x, y), want)) in drawn.iter().zip(&expected).enumerate() {
        assert!((month_of_x(*x) - (k + 1) as f64).abs() < 0.02, "month {k}");
        // 0.1 px of rounding on an axis of ~300 px.
        assert!(
            (value_of_y(*y) - *want as f64).abs() < 0.5,
            "month {}: {y}",
            k + 1
        );
    }
}

#[test]
fn the_first_month_bars_are_the_shares_of_trials() {
    let sc = scenario(HEAVY);
    let stats = run_stats(&sc, 400);
    let charts = super::run::charts(&sc, &stats);
    let chart = charts
        .iter()
        .find(|c| c.file_name == "first_exhausted_month.svg")
        .unwrap();
    let d = doc(chart);
    let value_of_y = axis(&d, "ytick", "y");
    let bars: Vec<f64> = with_class(&d, "share")
        .map(|r| value_of_y(attr(&r, "y")))
        .collect();
    let h = &stats.horizon[crate::engine::HORIZON_METRICS
        .iter()
        .position(|m| *m == Metric::FirstExhaustedMonth)
        .unwrap()];
    let want: Vec<f64> = h.iter().map(|(_, n)| 100.0 * n as f64 / 400.0).collect();
    assert_eq!(bars.len(), want.len());
    for (got, want) in bars.iter().zip(&want) {
        assert!((got - want).abs() < 0.2, "{got} vs {want}");
    }
}

#[test]
fn compare_boxes_are_drawn_at_each_options_median_monthly_cost() {
    let set = CompareSet::load(&set_files(), &Overrides::default()).unwrap();
    let (stats, _) = compare::run(&set.models(), 500, None, false);
    let charts = super::compare::charts(&set, &stats);
    check_common(&charts, &set.names().join(" vs "));
    let chart = charts
        .iter()
        .find(|c| c.file_name == "cost_distribution.svg")
        .unwrap();
    let d = doc(chart);
    let dollars_of_y = axis(&d, "ytick", "y");
    let total = crate::engine::HORIZON_METRICS
        .iter()
        .position(|m| *m == Metric::TotalCost)
        .unwrap();
    let medians: Vec<f64> = with_class(&d, "median")
        .map(|l| dollars_of_y(attr(&l, "y1")))
        .collect();
    assert_eq!(medians.len(), 2);
    for (got, option) in medians.iter().zip(&stats.options) {
        let want = option.horizon[total].summary().unwrap().p50 as f64 / 100.0 / 12.0;
        assert!((got - want).abs() < 0.5, "{got} vs {want}");
    }
}

#[test]
fn the_sweep_chart_draws_each_options_mean_cost_and_marks_the_break_even() {
    let params = vec![Param::parse("demand.per_workday=0.5..2:0.5").unwrap()];
    let grid = sweep::points(&params).unwrap();
    let sources: Vec<Source> = set_files()
        .iter()
        .map(|p| Source::read(p).unwrap())
        .collect();
    let overrides = Overrides {
        trials: Some(300),
        ..Overrides::default()
    };
    let points = sweep::run::prepare(&params, &grid, &sources, &overrides, |_| Ok(())).unwrap();
    let results: Vec<_> = points
        .iter()
        .map(|p| {
            let set = sweep::run::build(&params, &p.values, &sources, &overrides).unwrap();
            sweep::run::run_point(&set, None, false)
        })
        .collect();
    let lines = sweep::run::break_evens(&params, &points, &results);
    let charts = super::sweep::charts(&params, &points, &results, &lines);
    check_common(&charts, &points[0].set.names().join(" vs "));
    let d = doc(&charts[0]);
    let (dollars_of_y, x_of) = (axis(&d, "ytick", "y"), axis(&d, "xtick", "x"));
    let line = with_class(&d, "option-B").next().expect("option B's line");
    for ((x, y), (point, result)) in coords(&line).iter().zip(points.iter().zip(&results)) {
        assert!((x_of(*x) - point.values[0]).abs() < 0.01);
        let want = result.summary.options[1].cost.mean / 100.0;
        assert!((dollars_of_y(*y) - want).abs() < 1.0, "{y} vs {want}");
    }
    let value = lines[0].result.value.expect("a break-even on this grid");
    let mark = with_class(&d, "break-even")
        .next()
        .expect("the break-even line");
    assert!((x_of(attr(&mark, "x1")) - value).abs() < 0.01);
}

#[test]
fn the_tornado_bars_end_at_each_inputs_low_and_high_cost() {
    let path = "scenarios/sales_navigator_core_heavy_addons.toml";
    let text = std::fs::read_to_string(path).unwrap();
    let overrides = Overrides {
        trials: Some(200),
        ..Overrides::default()
    };
    let sc = parse(&text, Path::new(path), &overrides).unwrap();
    let plan = Plan::new(&sc);
    let models = plan.models(&text, Path::new(path), &overrides).unwrap();
    let stats = sensitivity::simulate(&models, 0..200, &Progress::new(200, false));
    let rows = sensitivity::rows(&plan, &stats);
    let charts = super::sensitivity::charts(&sc, &plan, &stats, &rows);
    check_common(&charts, &sc.name);
    let d = doc(&charts[0]);
    let dollars_of_x = axis(&d, "xtick", "x");
    let centre = stats.cost_per_month(0) / 100.0;
    let ends = |class: &str| -> Vec<f64> {
        with_class(&d, class)
            .map(|r| {
                let (x, w) = (attr(&r, "x"), attr(&r, "width"));
                // The end away from the centre line.
                let (a, b) = (dollars_of_x(x), dollars_of_x(x + w));
                if (a - centre).abs() > (b - centre).abs() {
                    a
                } else {
                    b
                }
            })
            .collect()
    };
    let (low, high) = (ends("low"), ends("high"));
    assert_eq!(low.len(), rows.len());
    for ((row, l), h) in rows.iter().zip(&low).zip(&high) {
        assert!(
            (l - row.cost_low / 100.0).abs() < 1.5,
            "{} low",
            row.input.name
        );
        assert!(
            (h - row.cost_high / 100.0).abs() < 1.5,
            "{} high",
            row.input.name
        );
    }
}

#[test]
fn markup_in_a_name_is_escaped_and_shown_as_written() {
    let mut sc = scenario(LIGHT);
    sc.name = r#"a<b&"c'd>"#.to_string();
    sc.plan.name = "Plan <&>".to_string();
    let stats = run_stats(&sc, 50);
    let charts = super::run::charts(&sc, &stats);
    for chart in &charts {
        assert!(!chart.svg.contains("a<b"), "{}", chart.file_name);
        let d = doc(chart);
        let texts: Vec<&str> = d.descendants().filter_map(|n| n.text()).collect();
        assert!(texts.iter().any(|t| t.starts_with(r#"a<b&"c'd>: "#)));
        assert!(texts.iter().any(|t| t.starts_with("Plan <&> (")));
    }
}

#[test]
fn month_ticks_over_several_years_name_the_year_where_it_changes() {
    let path = Path::new(LIGHT);
    let text = std::fs::read_to_string(path).unwrap();
    let long = Overrides {
        months: Some(36),
        ..Overrides::default()
    };
    let labels: Vec<String> = super::run::month_ticks(&parse(&text, path, &long).unwrap(), 36)
        .into_iter()
        .map(|(_, l)| l)
        .collect();
    assert_eq!(labels[0], "Jan 2026", "{labels:?}");
    let with_year: Vec<&String> = labels.iter().filter(|l| l.ends_with("2027")).collect();
    assert_eq!(with_year.len(), 1, "{labels:?}");
    // One year: the months alone.
    let short = super::run::month_ticks(&scenario(LIGHT), 12);
    assert!(short.iter().all(|(_, l)| !l.contains("20")), "{short:?}");
}
