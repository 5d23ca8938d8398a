//! report.html end to end: written by run, compare, sweep and sensitivity
//! (not with --no-charts, not by a refused command), self-contained,
//! escaped, and rendered by a real headless Chromium with its charts and
//! no console error. Each browser check has a control page that must fail
//! it, so the check itself is shown to work.

mod browser;
mod common;

use common::{assert_refused, inmail_sim, succeed};
use std::path::{Path, PathBuf};

const HEAVY: &str = "scenarios/sales_navigator_core_heavy.toml";
const ADDONS: &str = "scenarios/sales_navigator_core_heavy_addons.toml";

fn compare_set() -> Vec<PathBuf> {
    ["advanced", "core_addons"]
        .iter()
        .map(|n| {
            PathBuf::from(format!(
                "scenarios/compare/core_addons_vs_advanced/{n}.toml"
            ))
        })
        .collect()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The SVG files a command wrote beside report.html.
fn svg_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("the output folder")
        .map(|e| e.expect("a folder entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "svg"))
        .collect();
    files.sort();
    files
}

/// Everything in the page that would load or run something: a script, a
/// stylesheet or frame link, an event handler, or any URL other than the
/// SVG namespace (which names a vocabulary and is never fetched). Checked
/// independently of the renderer's own guard, inside tags and the style
/// sheet only: text between tags is shown, not run (and a `<` in it would
/// be a tag, which this finds).
fn outside_references(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let style = lower
        .split_once("<style>")
        .and_then(|(_, rest)| rest.split_once("</style>"))
        .map_or("", |(css, _)| css);
    let mut code: Vec<&str> = lower
        .split('<')
        .skip(1)
        .filter_map(|t| t.split('>').next())
        .collect();
    code.push(style);
    let mut found = Vec::new();
    for part in code {
        let part = part.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
        for t in [
            "script",
            "link ",
            "iframe",
            "img ",
            "object",
            "@import",
            "http:",
            "https:",
            "src=",
            "url(",
            "data:",
            "javascript:",
            " on",
        ] {
            for (i, _) in part.match_indices(t) {
                let context = &part[i..(i + 40).min(part.len())];
                // url(#id) points inside the page; " on" must start an
                // attribute name such as onload=.
                let handler = t != " on"
                    || context[1..]
                        .trim_start_matches(char::is_alphabetic)
                        .starts_with('=');
                let local = context.starts_with("url(#");
                if handler && !local {
                    found.push(context.to_string());
                }
            }
        }
    }
    found
}

fn count(html: &str, tag: &str) -> usize {
    html.matches(tag).count()
}

#[test]
fn run_compare_sweep_and_sensitivity_each_write_a_self_contained_report_html() {
    let tmp = tempfile::TempDir::new().unwrap();
    let out = |name: &str| tmp.path().join(name);
    let cases: Vec<(&str, Vec<PathBuf>, Vec<&str>, PathBuf)> = vec![
        (
            "run",
            vec![HEAVY.into()],
            vec!["--trials", "1000"],
            out("run"),
        ),
        (
            "compare",
            compare_set(),
            vec!["--trials", "1000"],
            out("compare"),
        ),
        (
            "sweep",
            compare_set(),
            vec!["--trials", "300", "--param", "demand.per_workday=1..3:1"],
            out("sweep"),
        ),
        (
            "sensitivity",
            vec![ADDONS.into()],
            vec!["--trials", "300"],
            out("sensitivity"),
        ),
    ];
    let mut stdouts = Vec::new();
    for (command, files, extra, dir) in &cases {
        let stdout = succeed(command, files, dir, extra);
        let html = read(&dir.join("report.html"));
        let svgs = svg_files(dir);
        assert!(!svgs.is_empty(), "{command} writes charts");
        assert_eq!(
            count(&html, "<svg"),
            svgs.len(),
            "{command}: every chart inline"
        );
        assert!(
            count(&html, "<table") >= 2,
            "{command}: settings and key tables"
        );
        assert!(
            html.contains("class=\"headlines\""),
            "{command}: the answer"
        );
        assert_eq!(outside_references(&html), Vec::<String>::new(), "{command}");
        assert!(
            stdout.contains("report.html"),
            "{command} lists report.html:\n{stdout}"
        );
        stdouts.push((stdout, html));
    }
    // The page and the terminal say the same thing: the compare verdict
    // and the sweep's break-even sentence.
    let said = |i: usize, starts: &[&str]| {
        let (stdout, html) = &stdouts[i];
        let line = stdout
            .lines()
            .map(str::trim)
            .find(|l| starts.iter().any(|s| l.contains(s)))
            .unwrap_or_else(|| panic!("{starts:?} on stdout:\n{stdout}"));
        assert!(html.contains(line), "{line}");
    };
    said(1, &["saves", "No clear winner"]);
    said(2, &["Break-even"]);
}

#[test]
fn the_reference_check_finds_scripts_urls_and_handlers() {
    // Controls for `outside_references`: each of these must be caught.
    for bad in [
        "<script>x()</script>",
        "<img src=\"a.png\">",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><image href=\"https://x.org/a\"/></svg>",
        "<div onclick=\"x()\">",
        "<style>body{background:url(a.png)}</style>",
        "<link rel=\"stylesheet\" href=\"a.css\">",
    ] {
        assert!(!outside_references(bad).is_empty(), "{bad}");
    }
    for fine in [
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect clip-path=\"url(#c1-a)\"/></svg>",
        "<p>see http://example.org &lt;img src=x onerror=y&gt; on time</p>",
        "<td class=\"note\">only one</td>",
    ] {
        assert_eq!(outside_references(fine), Vec::<String>::new(), "{fine}");
    }
}

#[test]
fn no_charts_means_no_report_html_either() {
    let tmp = tempfile::TempDir::new().unwrap();
    succeed(
        "run",
        &[HEAVY],
        tmp.path(),
        &["--trials", "200", "--no-charts", "-q"],
    );
    assert!(tmp.path().join("summary.csv").exists());
    assert!(!tmp.path().join("report.html").exists());
    assert!(svg_files(tmp.path()).is_empty());
    // Control: the same command with charts writes it.
    succeed("run", &[HEAVY], tmp.path(), &["--trials", "200", "-q"]);
    assert!(tmp.path().join("report.html").exists());
}

#[test]
fn a_hostile_description_and_plan_name_are_shown_as_text() {
    let tmp = tempfile::TempDir::new().unwrap();
    let scenario = tmp.path().join("hostile.toml");
    std::fs::write(
        &scenario,
        r#"description = "<script>alert('x')</script> & \"quoted\" <img src=x onerror=alert(1)>"
[plan]
name = "<b onmouseover=alert(2)>Evil</b>"
monthly_credits = 20
cap = 60
expiry_days = 90
renewal = "calendar"
price_monthly = 79.99
[demand]
per_workday = 1
"#,
    )
    .unwrap();
    succeed(
        "run",
        &[&scenario],
        &tmp.path().join("out"),
        &["--trials", "200", "-q"],
    );
    let html = read(&tmp.path().join("out/report.html"));
    assert_eq!(outside_references(&html), Vec::<String>::new());
    // The charts show the plan name as text, and stay on the page.
    let charts = svg_files(&tmp.path().join("out")).len();
    assert!(charts > 0);
    assert_eq!(count(&html, "<svg"), charts, "no chart left out");
    assert!(!html.contains("<b onmouseover"));
    assert!(
        html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;")
    );
    assert!(html.contains("&lt;b onmouseover=alert(2)&gt;Evil&lt;/b&gt;"));
}

#[test]
fn compares_page_tells_two_options_of_one_name_apart_in_every_sentence_and_its_table_note_says_for_lack_of_a_credit()
 {
    // Two files both named recruiter_floor, 10 and 3 InMails a workday:
    // the verdict said "(option A)", but the chance of running out and
    // the floor's days read "recruiter_floor 24.7%, recruiter_floor 0.0%".
    let tmp = tempfile::TempDir::new().unwrap();
    let text = read(Path::new("scenarios/recruiter_floor.toml"));
    let mut files = Vec::new();
    for (dir, volume) in [("a", "10"), ("b", "3")] {
        let path = tmp.path().join(dir).join("recruiter_floor.toml");
        std::fs::create_dir(path.parent().unwrap()).unwrap();
        let edited = text.replace("per_workday = 10", &format!("per_workday = {volume}"));
        assert_ne!(edited.contains("per_workday = 3"), volume == "10");
        std::fs::write(&path, edited).unwrap();
        files.push(path);
    }
    let out = tmp.path().join("out");
    let stdout = succeed("compare", &files, &out, &["--trials", "300"]);
    let html = read(&out.join("report.html"));
    let (a, b) = ("recruiter_floor (option A)", "recruiter_floor (option B)");
    let sentence = |said: &str, start: &str| -> String {
        let from = said
            .find(start)
            .unwrap_or_else(|| panic!("{start:?} in:\n{said}"));
        // To the end of its clause, not to a decimal point.
        let rest = &said[from..];
        rest[..rest.find([';', '<', '\n']).unwrap()].to_string()
    };
    let chance = sentence(&html, "The chance of running out of credits in a month:");
    assert!(chance.contains(a) && chance.contains(b), "{chance}");
    for (what, said) in [("page", &html), ("terminal", &stdout)] {
        let floor = sentence(said, "The Recruiter response-rate floor (Help 413271)");
        let floor = &floor[floor.find(':').unwrap()..];
        assert!(floor.contains(a) && floor.contains(b), "{what}: {floor}");
    }
    // The table's note is the terminal's, "for lack of a credit" and all.
    let note = "is the chance that a send is blocked for lack of a credit in a month";
    assert!(html.contains(note), "{html}");
    assert!(stdout.contains(note), "{stdout}");
}

#[test]
fn a_refused_command_leaves_no_report_html() {
    assert_refused("run", &[HEAVY], &["--trials", "0"], &["trials"]);
    // An existing folder: a refused compare adds nothing to it.
    let tmp = tempfile::TempDir::new().unwrap();
    let twelve = tmp.path().join("twelve.toml");
    let six = tmp.path().join("six.toml");
    let text = read(Path::new(HEAVY));
    std::fs::write(&twelve, &text).unwrap();
    std::fs::write(
        &six,
        format!("{text}\n").replace("months = 12", "months = 6"),
    )
    .unwrap();
    let dir = tmp.path().join("out");
    std::fs::create_dir(&dir).unwrap();
    inmail_sim()
        .args(["compare"])
        .args([&twelve, &six])
        .arg("--out")
        .arg(&dir)
        .assert()
        .code(2);
    assert!(!dir.join("report.html").exists());
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
}

/// Writes a run's report and returns its folder.
fn run_report(tmp: &Path) -> PathBuf {
    let dir = tmp.join("run");
    succeed("run", &[HEAVY], &dir, &["--trials", "1000", "-q"]);
    dir
}

#[test]
fn every_report_renders_in_a_headless_browser_without_console_errors() {
    let tmp = tempfile::TempDir::new().unwrap();
    let dir = run_report(tmp.path());
    let compare = tmp.path().join("compare");
    succeed(
        "compare",
        &compare_set(),
        &compare,
        &["--trials", "500", "-q"],
    );
    for dir in [&dir, &compare] {
        let page = dir.join("report.html");
        let html = read(&page);
        let launch = browser::dump_dom(&page);
        let dom = &launch.stdout;
        assert_eq!(count(dom, "<svg"), svg_files(dir).len(), "{dom}");
        assert_eq!(count(dom, "<table"), count(&html, "<table"));
        assert!(count(dom, "<table") >= 2);
        assert_eq!(launch.console(), Vec::<&str>::new());
    }
    let dom = browser::dump_dom(&dir.join("report.html")).stdout;
    assert!(dom.contains("you run out of credits"), "the run's headline");
    assert!(dom.contains("It costs $"));

    // Control: a page that throws must be flagged.
    let control = tmp.path().join("throws.html");
    let html = read(&dir.join("report.html")).replace(
        "</body>",
        "<script>throw new Error('deliberate control error')</script></body>",
    );
    std::fs::write(&control, html).unwrap();
    let console = browser::dump_dom(&control).console().join("\n");
    assert!(console.contains("deliberate control error"), "{console}");
}

#[test]
fn the_screenshot_shows_the_charts_and_a_page_without_them_shows_none() {
    let tmp = tempfile::TempDir::new().unwrap();
    let dir = run_report(tmp.path());
    let html = read(&dir.join("report.html"));
    let colours: Vec<[u8; 3]> = svg_files(&dir)
        .iter()
        .flat_map(|p| browser::saturated_colours(&read(p)))
        .collect();
    assert!(!colours.is_empty(), "the charts use colours");

    let shot = browser::screenshot(&dir.join("report.html"), 1000, 5000);
    assert_eq!((shot.width, shot.height), (1000, 5000));
    let with_charts = shot.count_near(&colours, 6);

    // Control: the same page with every figure removed.
    let mut bare = html.clone();
    while let (Some(a), Some(b)) = (bare.find("<figure>"), bare.find("</figure>")) {
        bare.replace_range(a..b + "</figure>".len(), "");
    }
    assert_eq!(count(&bare, "<svg"), 0);
    let control = tmp.path().join("no_charts.html");
    std::fs::write(&control, bare).unwrap();
    let without = browser::screenshot(&control, 1000, 5000).count_near(&colours, 6);

    // Four charts of 800 × 480 px with bars and lines in these colours:
    // tens of thousands of pixels. Text and rules are grey, so none.
    let charts = svg_files(&dir).len();
    assert!(
        with_charts >= 2_000 * charts,
        "{with_charts} chart-coloured pixels for {charts} charts"
    );
    assert!(
        without < 50,
        "{without} chart-coloured pixels without charts"
    );
}
