//! End-to-end tests of the SVG charts: which files each command writes,
//! that they parse as XML, name the scenario, draw what the CSVs say, are
//! byte-identical for any thread count, go through the all-or-nothing
//! output folder, and are skipped with --no-charts.

mod common;

use common::{inmail_sim, rows, succeed};
use std::fs;
use std::path::{Path, PathBuf};

const LIGHT: &str = "scenarios/sales_navigator_core_light.toml";
const SET: [&str; 2] = [
    "scenarios/compare/core_addons_vs_advanced/advanced.toml",
    "scenarios/compare/core_addons_vs_advanced/core_addons.toml",
];
const RUN_CHARTS: [&str; 4] = [
    "balance_fan.svg",
    "first_blocked_day.svg",
    "first_exhausted_month.svg",
    "refunds_expired.svg",
];

/// The .svg files in `dir`, sorted.
fn svgs(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| {
                    e.expect("an entry")
                        .file_name()
                        .to_string_lossy()
                        .into_owned()
                })
                .filter(|n| n.ends_with(".svg"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The `text` of every element with `class`.
fn texts_of(doc: &roxmltree::Document<'_>, class: &str) -> Vec<(f64, f64, String)> {
    doc.descendants()
        .filter(|n| n.attribute("class") == Some(class))
        .map(|n| {
            let at = |a: &str| n.attribute(a).and_then(|v| v.parse().ok()).unwrap_or(0.0);
            (at("x"), at("y"), n.text().unwrap_or("").to_string())
        })
        .collect()
}

/// Every command, with the files to give it.
fn commands() -> Vec<(&'static str, Vec<&'static str>, Vec<&'static str>)> {
    vec![
        ("run", vec![LIGHT], vec!["--trials", "200"]),
        ("compare", SET.to_vec(), vec!["--trials", "200"]),
        (
            "sweep",
            SET.to_vec(),
            vec!["--trials", "100", "--param", "demand.per_workday=2..4"],
        ),
        ("sensitivity", vec![LIGHT], vec!["--trials", "100"]),
        (
            "recommend",
            vec![LIGHT],
            vec![
                "--trials",
                "1000",
                "--plans",
                "premium_business,sales_navigator_core",
            ],
        ),
        (
            "solve",
            vec![LIGHT],
            vec![
                "--trials",
                "200",
                "--param",
                "demand.per_workday",
                "--target",
                "exhausted=20%",
            ],
        ),
    ]
}

#[test]
fn run_writes_four_charts_whose_median_balance_is_summary_csvs() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let stdout = succeed("run", &[LIGHT], &out, &["--trials", "500"]);
    assert_eq!(svgs(&out), RUN_CHARTS);
    assert!(
        stdout.contains("balance_fan.svg"),
        "the Wrote line lists the charts"
    );
    for name in RUN_CHARTS {
        let text = read(&out.join(name));
        let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
        let title = doc.descendants().find(|n| n.has_tag_name("title")).unwrap();
        assert!(
            title
                .text()
                .unwrap()
                .starts_with("sales_navigator_core_light: ")
        );
        for label in ["xlabel", "ylabel"] {
            let (_, _, text) = &texts_of(&doc, label)[0];
            assert!(
                text.ends_with(')'),
                "{name}: the {label} gives a unit: {text}"
            );
        }
    }
    // The median line read back through the y tick labels is the p50 of
    // end_balance in summary.csv, month by month.
    let text = read(&out.join("balance_fan.svg"));
    let doc = roxmltree::Document::parse(&text).unwrap();
    let ticks = texts_of(&doc, "ytick");
    let (first, last) = (&ticks[0], &ticks[ticks.len() - 1]);
    let (v0, v1): (f64, f64) = (first.2.parse().unwrap(), last.2.parse().unwrap());
    let value = |y: f64| v0 + (y - first.1) * (v1 - v0) / (last.1 - first.1);
    let line = doc
        .descendants()
        .find(|n| n.attribute("class") == Some("median"))
        .expect("the median line");
    let drawn: Vec<f64> = line
        .attribute("points")
        .unwrap()
        .split(' ')
        .map(|p| value(p.split_once(',').unwrap().1.parse().unwrap()))
        .collect();
    let medians: Vec<f64> = rows(&out.join("summary.csv"))
        .iter()
        .filter(|r| r["metric"] == "end_balance")
        .map(|r| common::num(r, "p50"))
        .collect();
    assert_eq!(drawn.len(), 12);
    assert_eq!(drawn.len(), medians.len());
    for (got, want) in drawn.iter().zip(&medians) {
        assert!((got - want).abs() < 0.5, "{got} vs {want}");
    }
}

#[test]
fn no_charts_writes_no_svg_and_a_later_charts_turns_them_back_on() {
    let tmp = tempfile::tempdir().unwrap();
    for (command, files, extra) in commands() {
        let off = tmp.path().join(format!("{command}_off"));
        let mut args = extra.clone();
        args.push("--no-charts");
        succeed(command, &files, &off, &args);
        assert!(
            off.join("metadata.csv").exists(),
            "{command} wrote its CSVs"
        );
        assert_eq!(svgs(&off), Vec::<String>::new(), "{command} --no-charts");
        let on = tmp.path().join(format!("{command}_on"));
        args.push("--charts");
        succeed(command, &files, &on, &args);
        assert!(!svgs(&on).is_empty(), "{command} --no-charts --charts");
    }
}

#[test]
fn every_command_writes_its_charts_by_default() {
    let tmp = tempfile::tempdir().unwrap();
    let expected: [&[&str]; 6] = [
        &RUN_CHARTS,
        &["cost_difference.svg", "cost_distribution.svg"],
        &["sweep_cost.svg"],
        &["tornado.svg"],
        &["frontier.svg"],
        &["solve.svg"],
    ];
    for ((command, files, mut extra), want) in commands().into_iter().zip(expected) {
        let out = tmp.path().join(command);
        // A seed no file states, so the subtitles must show the one run.
        extra.extend(["--seed", "7"]);
        succeed(command, &files, &out, &extra);
        assert_eq!(svgs(&out), want, "{command}");
        for name in want {
            let text = read(&out.join(name));
            let doc = roxmltree::Document::parse(&text)
                .unwrap_or_else(|e| panic!("{command} {name}: {e}"));
            // docs/outputs.md, "Charts": each states its trials and seed.
            let subtitle = texts_of(&doc, "subtitle");
            assert_eq!(subtitle.len(), 1, "{command} {name}");
            let subtitle = &subtitle[0].2;
            assert!(
                subtitle.contains(" trials") && subtitle.contains("seed 7"),
                "{command} {name}: {subtitle}"
            );
        }
    }
}

#[test]
fn a_plan_name_with_markup_is_escaped_and_reads_back_as_written() {
    let tmp = tempfile::tempdir().unwrap();
    let text = read(Path::new(LIGHT)).replace(
        "[plan]\n",
        "[plan]\nname = \"Core <beta> & \\\"friends\\\"\"\n",
    );
    let file = tmp.path().join("markup.toml");
    fs::write(&file, text).unwrap();
    let out = tmp.path().join("out");
    succeed("run", &[&file], &out, &["--trials", "50"]);
    for name in RUN_CHARTS {
        let svg = read(&out.join(name));
        assert!(!svg.contains("<beta>"), "{name}: raw markup in the file");
        let doc = roxmltree::Document::parse(&svg).expect("still well-formed XML");
        let shown = doc
            .descendants()
            .filter_map(|n| n.text())
            .any(|t| t.starts_with("Core <beta> & \"friends\" (sales_navigator_core)"));
        assert!(shown, "{name}: the subtitle shows the plan name as written");
    }
}

#[test]
fn charts_are_byte_identical_for_one_and_two_threads() {
    let tmp = tempfile::tempdir().unwrap();
    for (command, files, extra) in commands() {
        let dirs: Vec<PathBuf> = ["1", "2"]
            .iter()
            .map(|threads| {
                let dir = tmp.path().join(format!("{command}_{threads}"));
                let mut args = extra.clone();
                args.extend(["--threads", threads]);
                succeed(command, &files, &dir, &args);
                dir
            })
            .collect();
        let names = svgs(&dirs[0]);
        assert!(!names.is_empty());
        assert_eq!(names, svgs(&dirs[1]));
        for name in names {
            assert_eq!(
                read(&dirs[0].join(&name)),
                read(&dirs[1].join(&name)),
                "{command} {name}"
            );
        }
    }
}

#[test]
fn a_run_that_fails_while_writing_leaves_no_chart() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    // A folder where summary.csv should go: the rename into place fails.
    fs::create_dir_all(out.join("summary.csv")).unwrap();
    let output = inmail_sim()
        .args(["run", LIGHT, "--trials", "50", "--quiet", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert_eq!(svgs(&out), Vec::<String>::new());
    let left: Vec<_> = fs::read_dir(&out).unwrap().collect();
    assert_eq!(left.len(), 1, "only the folder made by the test remains");
}
