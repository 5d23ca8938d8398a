//! Every "§" citation of the model in the project's text names a part of
//! docs/credit-rules.md that exists: a section (`§5`), a lettered step of
//! §4 (`§4a`) or a numbered clarification of §8 (`§8.10`). A footnote
//! once cited a "§10" the model does not have; the user could not find it.

use std::fs;
use std::path::{Path, PathBuf};

/// The folders and files whose text cites the model: the source (help
/// texts, footnotes and comments), the docs, the shipped scenarios and the
/// tests. The CHANGELOG is history and keeps what it said then.
const SCANNED: [&str; 6] = [
    "src",
    "docs",
    "scenarios",
    "tests",
    "README.md",
    "ARCHITECTURE.md",
];

/// Words just before a "§" that cite another document's section, not the
/// model's ("Numerical Recipes §10.5", "issue 17 §5").
const OTHER_DOCUMENTS: [&str; 3] = ["Recipes ", "issue 17 ", "Issue 17 "];

/// The parts of the model `text` (docs/credit-rules.md) has: "1" to "8"
/// from its `## N.` headings, "4a" … from the lettered steps of §4, and
/// "8.1" … from the numbered clarifications of §8.
fn parts(text: &str) -> Vec<String> {
    let mut all = Vec::new();
    let mut section = String::new();
    for line in text.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            if let Some((n, _)) = heading.split_once(". ") {
                section = n.to_string();
                all.push(section.clone());
            }
            continue;
        }
        let item = line.trim_start();
        match section.as_str() {
            "4" => {
                let letter = item.chars().next().filter(|c| c.is_ascii_lowercase());
                if let Some(c) = letter.filter(|_| item[1..].starts_with(". ")) {
                    all.push(format!("4{c}"));
                }
            }
            // The clarifications start at the margin; their lines go on indented.
            "8" => {
                if let Some((n, _)) = line.split_once(". ") {
                    if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) {
                        all.push(format!("8.{n}"));
                    }
                }
            }
            _ => {}
        }
    }
    all
}

/// Each "§…" citation of the model in `text`: its part ("8.10", "4a"),
/// without a sentence's full stop; citations of other documents are left
/// out.
fn citations(text: &str) -> Vec<String> {
    let mut all = Vec::new();
    for (at, _) in text.match_indices('§') {
        let before = &text[..at];
        if OTHER_DOCUMENTS.iter().any(|w| before.ends_with(w)) {
            continue;
        }
        let after = &text[at + '§'.len_utf8()..];
        let part: String = after
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '.')
            .collect();
        let part = part.trim_end_matches('.');
        // "§N" in prose about citations is a placeholder, not a citation.
        if part.starts_with(|c: char| c.is_ascii_digit()) {
            // "§4a–c": the letter belongs to §4's steps; "§5." ends a sentence.
            let section: String = part
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .collect::<String>()
                .trim_end_matches('.')
                .to_string();
            let letter = part[section.len()..].chars().next();
            all.push(match letter {
                Some(c) if c.is_ascii_lowercase() => format!("{section}{c}"),
                _ => section,
            });
        }
    }
    all
}

/// The text files under `path` (or `path` itself), in a stable order.
fn files(path: &Path) -> Vec<PathBuf> {
    if path.is_file() {
        return vec![path.to_path_buf()];
    }
    let mut found = Vec::new();
    let mut entries: Vec<PathBuf> = fs::read_dir(path)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for entry in entries {
        if entry.is_dir() {
            found.extend(files(&entry));
        } else if entry
            .extension()
            .is_some_and(|e| e == "rs" || e == "md" || e == "toml")
        {
            found.push(entry);
        }
    }
    found
}

#[test]
fn every_citation_of_the_model_names_a_part_that_exists() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let model = fs::read_to_string(root.join("docs/credit-rules.md")).unwrap();
    let parts = parts(&model);
    let mut wrong = Vec::new();
    for path in SCANNED.iter().flat_map(|p| files(&root.join(p))) {
        // This file's own examples of wrong citations are not citations.
        if path.ends_with("tests/cli/citations.rs") {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        for (n, line) in text.lines().enumerate() {
            for part in citations(line) {
                if !parts.contains(&part) {
                    let file = path.strip_prefix(&root).unwrap().display();
                    wrong.push(format!("{file}:{}: §{part}", n + 1));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "citations of parts docs/credit-rules.md does not have:\n{}",
        wrong.join("\n")
    );
}

/// The checker itself: the model's parts are read from its headings and
/// items, and a citation of a part it lacks, or of another document, is
/// told apart from one it has.
#[test]
fn the_citation_checker_reads_the_models_parts_and_tells_a_missing_one() {
    let model = "## 1. Time\n- text\n## 4. One day\n1. Expire.\n4. Sends:\n   a. Open.\n   \
                 b. Credit.\n## 8. Clarifications\n1. **Backlog.** x\n   2026. not an item\n\
                 10. **Costs**: y\n";
    assert_eq!(parts(model), ["1", "4", "4a", "4b", "8", "8.1", "8.10"]);
    assert_eq!(
        citations("(credit-rules §1, §10) §4a–c, §8.10. Recipes §10.5; issue 17 §5; §N"),
        ["1", "10", "4a", "8.10"]
    );
}
