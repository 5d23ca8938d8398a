//! The output tail every command shares: prepare the output folder, stage
//! a file, then (once the command's CSVs are staged) the charts,
//! report.html, `--samples`, the Ctrl-C check, the all-or-nothing commit
//! (issue 17, see `export::OutputDir`) and the table and file list printed
//! to the terminal.

use super::samples::Samples;
use super::target::{self, Existing};
use crate::charts::Chart;
use crate::error::UserError;
use crate::export::{OutputDir, write_metadata_json};
use crate::html::Page;
use crate::precision::{Outcome, Precision};
use crate::runner::{Interrupted, interrupted};
use crate::safe_text::for_terminal;
use anyhow::Context;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The longest default folder name, in bytes: 255 is the limit of the
/// common file systems (ext4, XFS, APFS, NTFS in UTF-16 units).
const MAX_FOLDER_NAME: usize = 255;

/// `results/NAME`, for a folder the user did not choose. A name too long
/// for a file system (three 90-character scenario names in a compare) is
/// shortened the same way every time: its first 200 bytes (on a character
/// boundary), `_` and the first 12 hex digits of the whole name's SHA-256,
/// so two different sets still get different folders.
pub(super) fn default_folder(name: &str) -> PathBuf {
    if name.len() <= MAX_FOLDER_NAME {
        return PathBuf::from("results").join(name);
    }
    let mut end = 200;
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    let hash = crate::scenario::sha256_hex(name.as_bytes());
    PathBuf::from("results").join(format!("{}_{}", &name[..end], &hash[..12]))
}

/// `--out DIR`, else the default folder `results/NAME`, prepared for
/// staging (checked writable, locked). A folder of the user's holding
/// their own metadata.csv or metadata.json, which every command writes,
/// is refused now rather than after the run ([`OutputDir::strangers`]);
/// the command's other files are checked by [`check_targets`], and the
/// commit checks every name it writes the same way.
pub(super) fn prepare(out: Option<&Path>, default_name: &str) -> Result<OutputDir, UserError> {
    let dir = out.map_or_else(|| default_folder(default_name), Path::to_path_buf);
    let cannot = |why: String| {
        UserError(format!(
            "cannot write to the output folder {}: {why}",
            dir.display()
        ))
    };
    let out = OutputDir::prepare(&dir).map_err(|e| cannot(e.to_string()))?;
    let every_command_writes = ["metadata.csv".to_string(), "metadata.json".to_string()];
    if !out.strangers(&every_command_writes).is_empty() {
        // Most likely a folder of the tool's copied without its manifest:
        // every file of the tool's there is named at once, not a few per try.
        let tools: Vec<String> = crate::export::TOOL_FILES
            .iter()
            .map(|n| n.to_string())
            .collect();
        refuse_strangers(&out, &tools)?;
    }
    Ok(out)
}

/// Stages one file in `out`; a failure names the file and the folder.
pub(super) fn stage(
    out: &mut OutputDir,
    name: &str,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), UserError> {
    out.stage(name, fill).map_err(|e| {
        UserError(format!(
            "cannot write {name} in {}: {e}",
            out.path().display()
        ))
    })
}

/// metadata.csv and metadata.json: the same rows, as CSV and as JSON.
pub(super) fn stage_metadata(
    out: &mut OutputDir,
    rows: &[(String, String)],
) -> Result<(), UserError> {
    stage(out, "metadata.csv", |w| {
        crate::export::compare::write_key_values(w, rows)
    })?;
    stage(out, "metadata.json", |w| write_metadata_json(w, rows))
}

/// Metadata rows about the run itself: trials, precision, threads, time.
pub(super) fn run_metadata(
    trials: u64,
    precision: Option<&Precision>,
    outcome: Option<&Outcome>,
    threads: usize,
    wall_time: Duration,
) -> Vec<(String, String)> {
    let targets = precision.map_or(String::new(), |p| {
        p.targets
            .iter()
            .map(|t| t.to_string())
            .collect::<Vec<_>>()
            .join(" ")
    });
    let max_trials = precision.map_or(String::new(), |p| p.max_trials.to_string());
    let stopped = outcome.map_or("fixed_trials", |o| o.stop.key());
    vec![
        ("trials".to_string(), trials.to_string()),
        ("precision".to_string(), targets),
        ("max_trials".to_string(), max_trials),
        ("stopped".to_string(), stopped.to_string()),
        ("threads".to_string(), threads.to_string()),
        (
            "wall_time_seconds".to_string(),
            format!("{:.3}", wall_time.as_secs_f64()),
        ),
    ]
}

/// Draws report.html from the command's charts.
type PageOf<'a> = Box<dyn FnOnce(&[Chart]) -> Page + 'a>;

/// What a command hands to [`finish`] once its CSVs are staged. The
/// closures run only when needed: `charts` and `page` with `--charts`,
/// `table` without `--quiet`.
pub(super) struct Tail<'a> {
    /// `--charts` (the default) or `--no-charts`.
    pub charts_on: bool,
    pub quiet: bool,
    /// The command's SVG charts.
    pub charts: Box<dyn FnOnce() -> Vec<Chart> + 'a>,
    /// report.html, drawn from those charts.
    pub page: PageOf<'a>,
    /// The table printed to the terminal.
    pub table: Box<dyn FnOnce() -> String + 'a>,
    /// `--precision`: how the run stopped, said after the table.
    pub outcome: Option<&'a Outcome>,
    /// `run --samples`: written after the charts, committed with them.
    pub samples: Option<Samples>,
    /// `--json FILE` or `-`.
    pub json: Option<&'a Path>,
    /// `--xlsx`: results.xlsx in the output folder.
    pub xlsx: bool,
    /// The what-if lines (`Scenario::what_ifs`): first on report.html and
    /// on the terminal.
    pub what_if: Vec<String>,
    /// `run --keep-partial` after Ctrl-C: the statistics so far are
    /// written (without samples, docs/guide.md, "Raw samples") and the command
    /// then exits as interrupted.
    pub partial: bool,
    /// `run --keep-partial`: a Ctrl-C while the files are written keeps
    /// them (the trials were all run: the set is whole).
    pub keep_on_ctrl_c: bool,
}

/// Samples cut short by Ctrl-C under `--keep-partial`: the staged part
/// taken out, and metadata.csv and metadata.json staged again without the
/// rows that name them (`samples_file`, `samples_trials`).
fn leave_samples_out(out: &mut OutputDir, staged: Option<&str>) -> anyhow::Result<()> {
    let cannot = |e: io::Error| UserError(format!("cannot leave the samples out: {e}"));
    if let Some(name) = staged {
        out.unstage(name).map_err(cannot)?;
    }
    let Ok(bytes) = out.read_staged("metadata.csv") else {
        return Ok(());
    };
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let rows: Vec<(String, String)> = reader
        .records()
        .filter_map(Result::ok)
        .filter(|r| !matches!(r.get(0), Some("samples_file" | "samples_trials")))
        .map(|r| {
            let cell = |i| crate::safe_text::from_spreadsheet(r.get(i).unwrap_or("")).to_string();
            (cell(0), cell(1))
        })
        .collect();
    for name in ["metadata.csv", "metadata.json"] {
        out.unstage(name).map_err(cannot)?;
    }
    stage(out, "metadata.csv", |w| {
        crate::export::compare::write_key_values(w, &rows)
    })?;
    stage(out, "metadata.json", |w| {
        crate::export::write_metadata_json(w, &rows)
    })?;
    Ok(())
}

/// A file that goes to standard output (`--json -`, `calibrate --write
/// -`), printed before the commit, once nothing but a rename can stop it:
/// if standard output fails (`> /dev/full`), the folders are left as they
/// were, all or nothing. A reader that closes the pipe early (`| head`)
/// took what it wanted: the files are still written.
pub(super) fn print_before_commit(
    dirs: &[OutputDir],
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> anyhow::Result<()> {
    for dir in dirs {
        dir.check_commit()
            .map_err(|e| UserError(format!("cannot finish writing the output files: {e}")))?;
    }
    match super::print(false, write) {
        Err(e) if !super::is_broken_pipe(&e) => Err(e),
        _ => Ok(()),
    }
}

/// After the commit, a failure to print (`> /dev/full`) leaves the new
/// files in place: the error says so, or a script would take the exit code
/// for a run that wrote nothing.
pub(super) const WRITTEN_BUT_NOT_PRINTED: &str =
    "the output files were written, but the table could not be printed";

/// The tail of every command: charts → report.html → samples → Ctrl-C? →
/// commit (all or nothing) → table and the files written. A Ctrl-C during
/// the staging leaves no file (the folder is dropped, its staging removed).
pub(super) fn finish(mut out: OutputDir, tail: Tail<'_>) -> anyhow::Result<()> {
    stage_charts_and_page(
        &mut out,
        tail.charts_on,
        tail.charts,
        tail.page,
        &tail.what_if,
    )?;
    // With `--samples -` or `--json -` stdout carries that file only.
    let samples_out = tail.samples.as_ref().is_some_and(Samples::to_stdout);
    let json_out = tail
        .json
        .is_some_and(|p| p.as_os_str() == "-" || target::is_stdout(p));
    if samples_out && json_out {
        return Err(UserError(
            "--samples - and --json - both want standard output; give one of them a file".into(),
        )
        .into());
    }
    let to_stderr = samples_out || json_out;
    // The samples first: with --keep-partial, a Ctrl-C while they are
    // written leaves them out and the metadata that names them is
    // restaged, before the JSON and the workbook read it.
    let mut samples_dir = match tail.samples {
        Some(s) if !tail.partial => {
            let name = s.name_in_output();
            match s.write(&mut out) {
                Err(_) if tail.keep_on_ctrl_c && interrupted() => {
                    leave_samples_out(&mut out, name.as_deref())?;
                    super::note(
                        "Ctrl-C while the samples were written: they are left out, and the \
                         run's other files are written (every trial had run)",
                    );
                    None
                }
                written => written?,
            }
        }
        // --keep-partial writes no samples, but this run holds the lock of
        // the folder they were to go to: the --json file may go there too.
        Some(s) => s.into_dir(),
        None => None,
    };
    // Built from the CSVs staged so far: the samples are not among them.
    let json = match tail.json {
        Some(target) => Some((target, json_document(&out)?)),
        None => None,
    };
    if tail.xlsx {
        stage_xlsx(&mut out, json.as_ref().map(|(_, source)| source))?;
    }
    let json_dir = match &json {
        Some((target, source)) if !json_out => {
            stage_json(&mut out, samples_dir.as_mut(), target, source).map_err(|e| {
                // A stream cut by Ctrl-C (a full FIFO waited on) is an
                // interruption, exit 130, not a bad target.
                if interrupted() {
                    anyhow::Error::from(Interrupted)
                } else {
                    e.into()
                }
            })?
        }
        _ => None,
    };
    // Nothing staged in the samples' folder (a partial run's, the --json
    // file elsewhere): released, not committed.
    if samples_dir.as_ref().is_some_and(|d| d.staged().is_empty()) {
        samples_dir = None;
    }
    if interrupted() && !tail.partial && !tail.keep_on_ctrl_c {
        // Ctrl-C while the files were written: keep the promise, leave none.
        return Err(Interrupted.into());
    }
    let dirs: Vec<OutputDir> = [out]
        .into_iter()
        .chain(samples_dir)
        .chain(json_dir)
        .collect();
    if let Some((_, source)) = json.as_ref().filter(|_| json_out) {
        print_before_commit(&dirs, |w| source.write(w))?;
    }
    let mut written = OutputDir::commit_all(dirs)
        .map_err(|e| UserError(format!("cannot finish writing the output files: {e}")))?;
    let written = written.remove(0);
    if !tail.quiet {
        let table = (tail.table)();
        super::print(to_stderr, |w| {
            for line in &tail.what_if {
                writeln!(w, "{line}")?;
            }
            write!(w, "{table}")?;
            print_ending(w, tail.outcome, &written)
        })
        .context(WRITTEN_BUT_NOT_PRINTED)?;
    }
    Ok(())
}

/// The charts, and report.html drawn from them (with the what-if lines
/// first), unless `--no-charts`.
fn stage_charts_and_page(
    out: &mut OutputDir,
    charts_on: bool,
    charts: Box<dyn FnOnce() -> Vec<Chart> + '_>,
    page: PageOf<'_>,
    what_if: &[String],
) -> anyhow::Result<()> {
    if !charts_on {
        return Ok(());
    }
    let charts = charts();
    crate::charts::stage(out, &charts)?;
    let mut page = page(&charts);
    page.headlines.splice(0..0, what_if.iter().cloned());
    crate::html::stage(out, &page)?;
    Ok(())
}

/// What the `--json` document is made of: metadata.json's object and the
/// CSVs staged so far. The document and the workbook are written from them
/// a row at a time (`json::write_streaming`, `xlsx::workbook`).
struct JsonSource {
    metadata: serde_json::Value,
    csvs: Vec<(String, Vec<u8>)>,
}

impl JsonSource {
    fn write(&self, w: &mut dyn Write) -> io::Result<()> {
        crate::export::json::write_streaming(w, &self.metadata, &self.csvs)
    }
}

/// The `--json` document's parts from the files staged in `out` so far.
fn json_document(out: &OutputDir) -> Result<JsonSource, UserError> {
    let cannot = |e: io::Error| UserError(format!("cannot build the --json document: {e}"));
    let csvs = out
        .staged()
        .iter()
        .filter(|n| n.ends_with(".csv"))
        .map(|n| out.read_staged(n).map(|b| (n.clone(), b)))
        .collect::<io::Result<Vec<_>>>()
        .map_err(cannot)?;
    let metadata = out.read_staged("metadata.json").map_err(cannot)?;
    let metadata = serde_json::from_slice(&metadata)
        .map_err(|e| UserError(format!("cannot read back metadata.json: {e}")))?;
    Ok(JsonSource { metadata, csvs })
}

/// Stages results.xlsx, from the `--json` document (built here from the
/// staged files), so its cells are the CSVs'.
fn stage_xlsx(out: &mut OutputDir, source: Option<&JsonSource>) -> Result<(), UserError> {
    let built;
    let source = match source {
        Some(s) => s,
        None => {
            built = json_document(out)?;
            &built
        }
    };
    let bytes = workbook_without_panics(source)?;
    stage(out, "results.xlsx", |w| w.write_all(&bytes))
}

/// Builds the workbook. rust_xlsxwriter streams each sheet to a temporary
/// file and panics when a write there fails (a full TMPDIR: "Couldn't
/// write to xml file", or an `unwrap` of the same I/O error), where every
/// other failure is an error: that panic is caught and said as an error
/// (exit code 2, nothing written), its default message kept off stderr
/// while the workbook is built (no other thread works then). Any other
/// panic is a bug: its message is printed and it goes on unwinding.
fn workbook_without_panics(source: &JsonSource) -> Result<Vec<u8>, UserError> {
    let quiet = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let built =
        std::panic::catch_unwind(|| crate::export::xlsx::workbook(&source.metadata, &source.csvs));
    std::panic::set_hook(quiet);
    let panic = match built {
        Ok(result) => {
            return result.map_err(|e| UserError(format!("cannot build results.xlsx: {e}")));
        }
        Err(panic) => panic,
    };
    let why = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("")
        .to_string();
    let io = why.starts_with("Couldn't write") || why.contains("Os { code");
    if !io {
        eprintln!("inmail-sim: internal error while building results.xlsx: {why}");
        std::panic::resume_unwind(panic);
    }
    Err(UserError(format!(
        "--xlsx: cannot build results.xlsx in the folder for temporary files ({}, set by \
         TMPDIR): {why}; free space there or set TMPDIR to a folder with room",
        std::env::temp_dir().display()
    )))
}

/// Where the `--json` file goes: its name in the output folder, a folder
/// of its own and its name there, or a device or FIFO written as it is.
enum JsonPlace {
    InOutput(String),
    Elsewhere(PathBuf, String),
    Stream(PathBuf),
}

/// Refuses a `--json` target that must not be written over (a folder, a
/// link to a file, one of `inputs`: `super::target`), has no file name, or
/// names a file the tool writes in the output folder.
fn json_place(out: &OutputDir, target: &Path, inputs: &[&Path]) -> Result<JsonPlace, UserError> {
    let refuse = |why: String| UserError(format!("--json {}: {why}", target.display()));
    if let Existing::Stream(path) = target::existing("--json", target, inputs)? {
        return Ok(JsonPlace::Stream(path));
    }
    let (name, folder) =
        target::name_and_folder(target).ok_or_else(|| refuse("not a file name".to_string()))?;
    if !target::same_folder(&folder, out.path()) {
        if target::another_runs_output(&folder, &name) {
            return Err(refuse(target::mixes_sets(&folder, &name)));
        }
        return Ok(JsonPlace::Elsewhere(folder, name));
    }
    if crate::export::is_tool_name(&name) {
        return Err(refuse(format!(
            "{name} is a file the tool writes in the output folder; choose another name"
        )));
    }
    target::refuse_users_file("--json", target, out, &name)?;
    Ok(JsonPlace::InOutput(name))
}

/// Refuses, before the run, an output folder holding one of `names` with
/// no record that the tool wrote it ([`OutputDir::strangers`]): the
/// commit would refuse it after the run.
fn refuse_strangers(out: &OutputDir, names: &[String]) -> Result<(), UserError> {
    let strangers = out.strangers(names);
    if strangers.is_empty() {
        return Ok(());
    }
    let one = strangers.len() == 1;
    Err(UserError(format!(
        "cannot write to the output folder {}: {} {} already there, with no record that \
         inmail-sim wrote {}: {} may be yours, so nothing was written; move {}, or choose \
         another --out (a folder of the tool's copied without its hidden files: copy it \
         with them, `cp -a`)",
        out.path().display(),
        strangers.join(", "),
        if one { "is" } else { "are" },
        if one { "it" } else { "them" },
        if one { "it" } else { "they" },
        if one { "it" } else { "them" },
    )))
}

/// The files a command will certainly write in its output folder, known
/// before it simulates (a commit may write more: charts, precision.csv).
pub(super) struct Planned<'a> {
    /// The CSVs every run of the command writes.
    pub csvs: &'a [&'a str],
    pub charts: bool,
    /// The charts it writes with `charts` on, whatever the results.
    pub svgs: &'a [&'a str],
    pub xlsx: bool,
}

impl Planned<'_> {
    fn names(&self) -> Vec<String> {
        let page = self.charts.then_some("report.html");
        let svgs = self.svgs.iter().copied().filter(|_| self.charts);
        let xlsx = self.xlsx.then_some("results.xlsx");
        self.csvs
            .iter()
            .copied()
            .chain(page)
            .chain(svgs)
            .chain(xlsx)
            .map(String::from)
            .collect()
    }
}

/// Checks before the simulation that the output will not replace one of
/// the command's `inputs` (its scenario files): neither a file of the
/// output folder ([`check_inputs`]) nor the `--json` file ([`check_json`]);
/// that none of the files it will write is already there as the user's
/// (the commit would refuse it after the run: [`OutputDir::strangers`]);
/// and, with `--xlsx`, that the workbook's temporary files can be made.
pub(super) fn check_targets(
    out: &OutputDir,
    json: Option<&Path>,
    planned: &Planned<'_>,
    inputs: &[&Path],
) -> Result<(), UserError> {
    check_inputs(out, inputs)?;
    check_json(out, json, inputs)?;
    refuse_strangers(out, &planned.names())?;
    if planned.xlsx {
        crate::export::xlsx::check_temp_folder()
            .map_err(|e| UserError(format!("--xlsx: cannot build results.xlsx: {e}")))?;
    }
    Ok(())
}

/// Refuses an input that is one of the files the command writes in its
/// output folder (`my-run/summary.csv` given as the scenario with
/// `--out my-run`), or an earlier run's `--samples` file there that the
/// manifest lists: the commit would move it aside and delete it with the
/// old set. Found by the real path, so a link into the folder counts too;
/// a hard link elsewhere survives the commit and is not refused.
pub(super) fn check_inputs(out: &OutputDir, inputs: &[&Path]) -> Result<(), UserError> {
    let Ok(folder) = std::fs::canonicalize(out.path()) else {
        return Ok(());
    };
    for input in inputs {
        let Ok(real) = std::fs::canonicalize(input) else {
            continue;
        };
        let name = real.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if real.parent() == Some(folder.as_path()) && out.owns_name(name) {
            return Err(UserError(format!(
                "cannot write to the output folder {}: the input {} is its {name}, a file \
                 inmail-sim writes (or wrote) there, so the output would replace or remove it; \
                 move or rename the input, or choose another --out",
                out.path().display(),
                input.display()
            )));
        }
    }
    Ok(())
}

/// Checks `--json` before the simulation, so that a mistyped target is
/// refused at once rather than after the run (exit code 2, nothing
/// written): what [`stage_json`] would refuse, one of the command's
/// `inputs` (its scenario files), and a folder that cannot be created
/// because a file stands where one of its folders would be. Nothing is
/// created here.
fn check_json(out: &OutputDir, target: Option<&Path>, inputs: &[&Path]) -> Result<(), UserError> {
    let Some(target) = target.filter(|t| t.as_os_str() != "-") else {
        return Ok(());
    };
    if let JsonPlace::Elsewhere(folder, _) = json_place(out, target, inputs)? {
        let existing = folder
            .ancestors()
            .find(|a| a.exists() || a.as_os_str().is_empty());
        if let Some(file) = existing.filter(|a| !a.as_os_str().is_empty() && !a.is_dir()) {
            return Err(UserError(format!(
                "--json {}: cannot write in {}: {} exists and is not a folder",
                target.display(),
                folder.display(),
                file.display()
            )));
        }
    }
    Ok(())
}

/// Stages the `--json` file: in the output folder (not under a name the
/// tool writes there), or in its own folder, committed with the output —
/// the `--samples` file's folder (`samples`) if it is that one, which a
/// second lock would refuse; or writes it to a device or FIFO. (The inputs
/// were checked before the run, by [`check_json`].)
fn stage_json(
    out: &mut OutputDir,
    samples: Option<&mut OutputDir>,
    target: &Path,
    source: &JsonSource,
) -> Result<Option<OutputDir>, UserError> {
    let refuse = |why: String| UserError(format!("--json {}: {why}", target.display()));
    let fill = |w: &mut dyn Write| source.write(w);
    let taken = |dir: &OutputDir, name: &str| {
        if dir.staged().iter().any(|n| n == name) {
            return Err(refuse(
                "is also the --samples file; give the two different names".to_string(),
            ));
        }
        Ok(())
    };
    match json_place(out, target, &[])? {
        JsonPlace::InOutput(name) => {
            taken(out, &name)?;
            stage(out, &name, fill)?;
            Ok(None)
        }
        JsonPlace::Elsewhere(folder, name) => {
            if let Some(shared) = samples.filter(|d| target::same_folder(d.path(), &folder)) {
                taken(shared, &name)?;
                shared
                    .stage(&name, fill)
                    .map_err(|e| refuse(format!("cannot be written: {e}")))?;
                return Ok(None);
            }
            let mut dir = OutputDir::for_one_file(&folder)
                .map_err(|e| refuse(format!("cannot write in {}: {e}", folder.display())))?;
            dir.stage(&name, fill)
                .map_err(|e| refuse(format!("cannot be written: {e}")))?;
            Ok(Some(dir))
        }
        JsonPlace::Stream(path) => {
            target::stream(&path, fill).map_err(|e| refuse(format!("cannot be written: {e}")))?;
            Ok(None)
        }
    }
}

/// The precision sentence (if any) and the files written.
fn print_ending(
    out: &mut dyn Write,
    outcome: Option<&Outcome>,
    written: &[PathBuf],
) -> io::Result<()> {
    if let Some(o) = outcome {
        writeln!(out, "\n{}", o.sentence())?;
    }
    let Some(dir) = written.first().and_then(|p| p.parent()) else {
        return Ok(());
    };
    let names: Vec<String> = written
        .iter()
        .filter_map(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .collect();
    // The folder as the user typed it, control characters escaped as in
    // every message (`validate`, errors): an ESC in --out must not
    // recolour the terminal, a line break not forge a line.
    let shown = |p: &Path| for_terminal(&p.display().to_string()).into_owned();
    writeln!(out, "\nWrote to {}: {}", shown(dir), names.join(", "))?;
    if names.iter().any(|n| n == "report.html") {
        writeln!(
            out,
            "The one-page report: {}",
            shown(&dir.join("report.html"))
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_default_folder_name_too_long_is_shortened_the_same_way_every_time() {
        let short = "compare_a_vs_b";
        assert_eq!(default_folder(short), Path::new("results").join(short));
        let long = format!("compare_{}", vec!["é".repeat(45); 3].join("_vs_"));
        assert!(long.len() > MAX_FOLDER_NAME);
        let name = default_folder(&long);
        let name = name.file_name().unwrap().to_str().unwrap().to_string();
        assert!(name.len() <= MAX_FOLDER_NAME, "{}", name.len());
        assert_eq!(default_folder(&long), default_folder(&long));
        // Two sets that share the first 200 bytes still differ.
        let other = format!("{long}x");
        assert_ne!(default_folder(&other), default_folder(&long));
        assert!(name.starts_with("compare_é"), "{name}");
    }
}
