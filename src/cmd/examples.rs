//! `inmail-sim examples`: the shipped scenarios and compare sets
//! (`shipped`), listed, printed, or written into a folder that is laid out
//! as scenarios/ in the repository.

use crate::cli::ExamplesArgs;
use crate::error::UserError;
use crate::shipped::{self, Example};
use std::path::PathBuf;

pub fn examples(args: &ExamplesArgs) -> anyhow::Result<()> {
    let chosen = match &args.name {
        None => shipped::examples(),
        Some(name) => vec![shipped::find(name).ok_or_else(|| {
            UserError(format!(
                "no example called {name:?}; the examples are {}",
                shipped::names()
            ))
        })?],
    };
    match (&args.write, &args.name) {
        (Some(dir), _) => write(&chosen, dir),
        (None, Some(_)) => print_files(&chosen[0]),
        (None, None) => list(&chosen),
    }
}

fn write(chosen: &[Example], dir: &std::path::Path) -> anyhow::Result<()> {
    // A file where the folder should be: say so, not the OS's "File exists"
    // for the first example inside it.
    if std::fs::symlink_metadata(dir).is_ok_and(|m| !m.is_dir()) && !dir.is_dir() {
        return Err(crate::error::UserError(format!(
            "--write {}: it is a file, not a folder; give a folder (created if missing) to \
             write the examples into (nothing was written)",
            dir.display()
        ))
        .into());
    }
    let files: Vec<(PathBuf, &str)> = chosen
        .iter()
        .flat_map(|e| e.written().into_iter().map(|f| (dir.join(f.path), f.text)))
        .collect();
    crate::export::new_files::write_new(&files)?;
    let shown = crate::safe_text::for_terminal(&dir.display().to_string()).into_owned();
    super::print(false, |out| {
        writeln!(
            out,
            "Wrote {} into {shown}/. Try:",
            crate::numbers::count(files.len() as u64, "file", "files")
        )?;
        let tried = chosen
            .iter()
            .filter(|e| chosen.len() == 1 || TRY.contains(&e.name));
        for e in tried {
            writeln!(out, "  {}", e.command(&shown))?;
        }
        Ok(())
    })
}

/// The commands suggested after writing every example: one run, one
/// compare, one calibrate.
const TRY: [&str; 3] = [
    "sales_navigator_core_heavy",
    "premium_business_addons_vs_core",
    "calibrate",
];

fn print_files(example: &Example) -> anyhow::Result<()> {
    super::print(false, |out| {
        for (i, f) in example.files.iter().enumerate() {
            if example.files.len() > 1 {
                let gap = if i == 0 { "" } else { "\n" };
                writeln!(out, "{gap}# ==> {} <==", f.path)?;
            }
            out.write_all(f.text.as_bytes())?;
        }
        Ok(())
    })
}

fn list(all: &[Example]) -> anyhow::Result<()> {
    let width = all.iter().map(|e| e.name.len()).max().unwrap_or(0);
    super::print(false, |out| {
        let kind = |e: &Example| match (e.is_history(), e.is_compare_set()) {
            (true, _) => 2,
            (false, sets) => usize::from(sets),
        };
        let titles = ["Scenarios", "Compare sets", "A history of sent InMails"];
        for (k, title) in titles.iter().enumerate() {
            if !all.iter().any(|e| kind(e) == k) {
                continue;
            }
            writeln!(out, "{title}:")?;
            for e in all.iter().filter(|e| kind(e) == k) {
                writeln!(out, "  {:width$}  {}", e.name, e.summary())?;
            }
            writeln!(out)?;
        }
        writeln!(out, "Print one:   inmail-sim examples NAME")?;
        writeln!(out, "Write all:   inmail-sim examples --write scenarios")?;
        writeln!(
            out,
            "then run:    inmail-sim run scenarios/sales_navigator_core_heavy.toml"
        )?;
        writeln!(
            out,
            "or compare:  inmail-sim compare scenarios/compare/premium_business_addons_vs_core/*.toml"
        )?;
        writeln!(
            out,
            "or calibrate: inmail-sim calibrate scenarios/calibrate/history.csv"
        )
    })
}
