//! The shipped scenarios and compare sets, embedded in the binary so that
//! `inmail-sim examples --write DIR` gives an installed binary (`cargo
//! install` ships no files) the files its help's examples name. The layout
//! under DIR is the repository's under scenarios/: with `--write
//! scenarios`, `scenarios/sales_navigator_core_heavy.toml` and
//! `scenarios/compare/core_addons_vs_advanced/*.toml` exist as the help
//! says. A test holds this list to the folder.

/// A shipped file: its path under scenarios/ and its text.
#[derive(Debug, Clone, Copy)]
pub struct Shipped {
    pub path: &'static str,
    pub text: &'static str,
}

macro_rules! shipped {
    ($($path:literal,)*) => {
        &[$(Shipped {
            path: $path,
            text: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/", $path)),
        },)*]
    };
}

/// Every scenario under scenarios/ (the calibration history is not a
/// scenario and is left out).
pub const FILES: &[Shipped] = shipped! {
    "everything.toml",
    "inline_plan.toml",
    "premium_business.toml",
    "premium_career.toml",
    "recruiter_floor.toml",
    "recruiter_lite.toml",
    "reference.toml",
    "sales_navigator_core_heavy.toml",
    "sales_navigator_core_heavy_addons.toml",
    "sales_navigator_core_light.toml",
    "compare/core_addons_vs_advanced/advanced.toml",
    "compare/core_addons_vs_advanced/core_addons.toml",
    "compare/core_vs_recruiter_lite/core.toml",
    "compare/core_vs_recruiter_lite/recruiter_lite.toml",
    "compare/heavy_premium_business_addons_vs_core_addons/core_addons.toml",
    "compare/heavy_premium_business_addons_vs_core_addons/premium_business_addons.toml",
    "compare/premium_business_addons_vs_core/core.toml",
    "compare/premium_business_addons_vs_core/premium_business_addons.toml",
};

/// The synthetic history of sent InMails that `calibrate`'s examples read
/// (scenarios/calibrate/README.md says how it was made and its truth).
pub const HISTORY: Shipped = Shipped {
    path: "calibrate/history.csv",
    text: include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/calibrate/history.csv"
    )),
};

/// How the history was made and the truth behind it, which
/// docs/calibrate.md points to: written beside the history by `examples
/// --write` (printing the history prints the CSV alone).
pub const HISTORY_README: Shipped = Shipped {
    path: "calibrate/README.md",
    text: include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/calibrate/README.md"
    )),
};

/// What `examples` lists: a scenario (one file), a compare set (a folder
/// of options) or the history for `calibrate`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    /// The scenario's file stem, or the compare set's folder name.
    pub name: &'static str,
    pub files: Vec<Shipped>,
}

impl PartialEq for Shipped {
    fn eq(&self, other: &Self) -> bool {
        self.path == other.path
    }
}

impl Eq for Shipped {}

impl Example {
    pub fn is_compare_set(&self) -> bool {
        self.files.len() > 1 || self.files[0].path.starts_with("compare/")
    }

    /// The history of sent InMails, for `calibrate` (not a scenario).
    pub fn is_history(&self) -> bool {
        self.files[0].path == HISTORY.path
    }

    /// The files `--write` lays out: its files, and for the history its
    /// README.
    pub fn written(&self) -> Vec<Shipped> {
        let mut files = self.files.clone();
        if self.is_history() {
            files.push(HISTORY_README);
        }
        files
    }

    /// The first sentence of each file's opening comment ("Option A of
    /// ...: " left out), joined by " / " for a compare set.
    pub fn summary(&self) -> String {
        if self.is_history() {
            return "400 made-up InMails with a known reply rate and delay, for calibrate."
                .to_string();
        }
        let first = |f: &Shipped| {
            let comment: Vec<&str> = f
                .text
                .lines()
                .map_while(|l| l.strip_prefix('#'))
                .map(str::trim)
                .take_while(|l| !l.is_empty())
                .collect();
            let text = comment.join(" ");
            let text = match text.split_once(": ") {
                Some((head, rest)) if head.starts_with("Option ") => rest.to_string(),
                _ => text,
            };
            match text.split_once(". ") {
                Some((first, _)) => format!("{first}."),
                None => text,
            }
        };
        let all = self.files.iter().map(first).collect::<Vec<_>>().join(" / ");
        crate::scenario::error::truncated(&all, 90)
    }

    /// The command that runs it, with the files where `--write DIR` puts them.
    pub fn command(&self, dir: &str) -> String {
        let paths: Vec<String> = self
            .files
            .iter()
            .map(|f| format!("{dir}/{}", f.path))
            .collect();
        match (self.is_history(), self.is_compare_set()) {
            (true, _) => format!("inmail-sim calibrate {}", paths[0]),
            (false, true) => format!("inmail-sim compare {}", paths.join(" ")),
            (false, false) => format!("inmail-sim run {}", paths[0]),
        }
    }
}

/// The scenarios, then the compare sets, each in file order.
pub fn examples() -> Vec<Example> {
    let mut all: Vec<Example> = Vec::new();
    for file in FILES {
        let name = match file.path.strip_prefix("compare/") {
            Some(rest) => rest.split('/').next().unwrap_or(rest),
            None => file.path.trim_end_matches(".toml"),
        };
        match all.iter_mut().find(|e| e.name == name) {
            Some(e) => e.files.push(*file),
            None => all.push(Example {
                name,
                files: vec![*file],
            }),
        }
    }
    for e in &mut all {
        // In name order, as the documented `compare DIR/*.toml` gives them
        // (a shell sorts a glob), so `compare` labels them A, B, … as the
        // files' "# Option A of ..." headers say (a test holds them to it).
        e.files.sort_by_key(|f| f.path);
    }
    all.push(Example {
        name: "calibrate",
        files: vec![HISTORY],
    });
    all
}

/// The example called `name` (also accepted: `compare/NAME`, `NAME.toml`).
pub fn find(name: &str) -> Option<Example> {
    let name = name.trim_start_matches("compare/").trim_end_matches('/');
    let name = name.strip_suffix(".toml").unwrap_or(name);
    examples().into_iter().find(|e| e.name == name)
}

/// The names, comma-separated, for an error.
pub fn names() -> String {
    examples()
        .iter()
        .map(|e| e.name)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn the_embedded_files_are_every_scenario_in_the_scenarios_folder() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let mut on_disk = Vec::new();
        let mut folders = vec![root.clone()];
        while let Some(dir) = folders.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    folders.push(path);
                } else if path.extension().is_some_and(|e| e == "toml") {
                    let rel = path
                        .strip_prefix(&root)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned();
                    on_disk.push(rel.replace('\\', "/"));
                }
            }
        }
        on_disk.sort();
        let mut embedded: Vec<String> = FILES.iter().map(|f| f.path.to_string()).collect();
        embedded.sort();
        assert_eq!(embedded, on_disk);
    }

    #[test]
    fn every_shipped_scenario_is_valid() {
        for f in FILES {
            let path = Path::new(f.path);
            crate::scenario::parse(f.text, path, &Default::default())
                .unwrap_or_else(|e| panic!("{e}"));
        }
    }

    #[test]
    fn compare_sets_group_their_options_and_scenarios_stand_alone() {
        let set = find("core_addons_vs_advanced").unwrap();
        assert!(set.is_compare_set());
        assert_eq!(set.files.len(), 2);
        assert_eq!(
            set.command("x"),
            "inmail-sim compare x/compare/core_addons_vs_advanced/advanced.toml \
x/compare/core_addons_vs_advanced/core_addons.toml"
        );
        let one = find("sales_navigator_core_heavy.toml").unwrap();
        assert!(!one.is_compare_set());
        assert_eq!(
            one.summary(),
            "Sales Navigator Core, heavy use: 4 InMails per workday."
        );
        assert!(find("nope").is_none());
    }

    /// README, `compare --help` and each file's "Run:" line give a set as
    /// `DIR/*.toml`, which a shell sorts by name: the first name is option
    /// A, so its header must say so, or the outputs' A and B contradict it.
    #[test]
    fn each_compare_sets_headers_name_its_options_in_file_name_order() {
        let sets: Vec<Example> = examples()
            .into_iter()
            .filter(|e| e.is_compare_set())
            .collect();
        assert_eq!(sets.len(), 4);
        for set in sets {
            let mut paths: Vec<&str> = set.files.iter().map(|f| f.path).collect();
            paths.sort_unstable();
            for (i, path) in paths.iter().enumerate() {
                let file = set.files.iter().find(|f| f.path == *path).unwrap();
                let letter = char::from(b'A' + i as u8);
                let header = format!("# Option {letter} of \"{}\": ", set.name);
                assert!(file.text.starts_with(&header), "{path}: not {header:?}");
                let run = format!(
                    "# Run:  inmail-sim compare scenarios/compare/{}/*.toml",
                    set.name
                );
                assert!(file.text.contains(&run), "{path}: no {run:?}");
            }
            assert_eq!(set.files.iter().map(|f| f.path).collect::<Vec<_>>(), paths);
        }
    }
}
