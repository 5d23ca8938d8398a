//! The README stays short and its links lead somewhere: every relative link
//! from README.md (and from the docs/ pages it sends readers to first)
//! names a file that exists, and every `#anchor` names a heading of that
//! file, with GitHub's slugs.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

/// The pages whose links are checked: the README and the reference split
/// out of it. Pages other branches write (outputs, performance, recommend,
/// calibrate) are linked to, so they must exist, but their own links are
/// theirs to check.
const CHECKED: [&str; 4] = [
    "README.md",
    "docs/guide.md",
    "docs/scenario-format.md",
    "docs/model.md",
];

/// GitHub's anchor for a heading: lower case, markup and punctuation other
/// than `-` and `_` dropped, spaces made `-`.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// Every anchor of a Markdown text: its headings' slugs, the repeats of a
/// slug numbered `-1`, `-2`, … as GitHub does. Fenced code is skipped.
fn anchors(text: &str) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut all = Vec::new();
    let mut in_code = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
        }
        let heading = line.trim_start_matches('#');
        if in_code || !line.starts_with('#') || !heading.starts_with(' ') {
            continue;
        }
        let base = slug(heading);
        let n = seen.entry(base.clone()).or_insert(0);
        all.push(if *n == 0 {
            base.clone()
        } else {
            format!("{base}-{n}")
        });
        *n += 1;
    }
    all
}

/// The targets of the inline links `[text](target)` outside fenced code.
fn links(text: &str) -> Vec<String> {
    let mut all = Vec::new();
    let mut in_code = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
        }
        if in_code {
            continue;
        }
        let mut rest = line;
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            let end = after.find(')').unwrap_or(after.len());
            all.push(after[..end].to_string());
            rest = &after[end..];
        }
    }
    all
}

/// What is wrong with the links of `page` (a path under `root`).
fn broken_links(root: &Path, page: &str) -> Vec<String> {
    let path = root.join(page);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{page}: {e}"));
    let dir = path.parent().unwrap().to_path_buf();
    let mut broken = Vec::new();
    for target in links(&text) {
        if target.starts_with("http://") || target.starts_with("https://") {
            continue;
        }
        let (file, anchor) = target.split_once('#').unwrap_or((&target, ""));
        let file: PathBuf = if file.is_empty() {
            path.clone()
        } else {
            dir.join(file)
        };
        if !file.exists() {
            broken.push(format!("{page}: {target}: no file {}", file.display()));
            continue;
        }
        if !anchor.is_empty() {
            let linked = fs::read_to_string(&file).unwrap_or_default();
            if !anchors(&linked).iter().any(|a| a == anchor) {
                broken.push(format!("{page}: {target}: no heading #{anchor}"));
            }
        }
    }
    broken
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_link_from_the_readme_and_its_reference_pages_resolves_to_a_file_and_a_heading() {
    let broken: Vec<String> = CHECKED
        .iter()
        .flat_map(|p| broken_links(&root(), p))
        .collect();
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    // Every page of the docs split is linked from the README.
    let readme = links(&fs::read_to_string(root().join("README.md")).unwrap());
    for page in [
        "guide",
        "scenario-format",
        "model",
        "outputs",
        "performance",
        "recommend",
        "calibrate",
    ] {
        let target = format!("docs/{page}.md");
        assert!(
            readme.iter().any(|l| l.starts_with(&target)),
            "README does not link {target}"
        );
    }
}

#[test]
fn the_readme_is_at_most_300_lines() {
    let lines = fs::read_to_string(root().join("README.md"))
        .unwrap()
        .lines()
        .count();
    assert!(lines <= 300, "README.md has {lines} lines");
}

/// The checker itself: GitHub's slugs, and a broken file, a broken anchor
/// and a repeated heading's anchor are told apart.
#[test]
fn the_link_checker_finds_a_missing_file_and_a_missing_heading() {
    assert_eq!(
        slug("What drives the cost: sensitivity"),
        "what-drives-the-cost-sensitivity"
    );
    assert_eq!(slug("Raw samples (`--samples`)"), "raw-samples---samples");
    assert_eq!(
        slug("`inmail-sim run SCENARIO [OPTIONS]`"),
        "inmail-sim-run-scenario-options"
    );
    assert_eq!(
        anchors("# A\n```\n# not a heading\n```\n## A\n#nope\n"),
        ["a", "a-1"]
    );
    let tmp = tempfile::TempDir::new().unwrap();
    fs::write(tmp.path().join("b.md"), "# Here\n").unwrap();
    let page = "[ok](b.md#here) [ok](#top) [file](c.md) [anchor](b.md#there)\n# Top\n";
    fs::write(tmp.path().join("a.md"), page).unwrap();
    let broken = broken_links(tmp.path(), "a.md");
    assert_eq!(broken.len(), 2, "{broken:?}");
    assert!(broken[0].contains("c.md: no file"), "{broken:?}");
    assert!(broken[1].contains("no heading #there"), "{broken:?}");
}
