//! One small adapter per subcommand: command-line values in, library calls,
//! text out.

mod calibrate;
mod compare;
mod completions;
mod examples;
mod help;
mod init;
mod man;
mod merge;
mod options;
mod output;
mod plans;
mod recommend;
mod run;
mod samples;
mod sensitivity;
mod shard;
mod solve;
mod sweep;
mod target;
mod validate;

use crate::cli::Command;
use crate::runner::catch_ctrl_c;
use anyhow::Context;
use std::io::{self, Write};

/// Runs a subcommand. A run stopped by Ctrl-C returns an `Interrupted`
/// error through its output folder's clean-up; `error::exit_code` maps it
/// to 130.
pub fn dispatch(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Run(args) => {
            catch_ctrl_c();
            run::run(&args)
        }
        Command::Validate(args) => validate::validate(&args),
        Command::Plans => plans::plans(),
        Command::Examples(args) => examples::examples(&args),
        Command::Init(args) => init::init(&args),
        Command::Help(args) => help::help(&args),
        Command::Completions(args) => completions::completions(&args),
        Command::Man => man::man(),
        Command::Compare(args) => {
            catch_ctrl_c();
            compare::compare(&args)
        }
        Command::Sweep(args) => {
            catch_ctrl_c();
            sweep::sweep(&args)
        }
        Command::Merge(args) => {
            catch_ctrl_c();
            merge::merge(&args)
        }
        Command::Calibrate(args) => {
            catch_ctrl_c();
            calibrate::calibrate(&args)
        }
        Command::Recommend(args) => {
            catch_ctrl_c();
            recommend::recommend(&args)
        }
        Command::Solve(args) => {
            catch_ctrl_c();
            solve::solve(&args)
        }
        Command::Sensitivity(args) => {
            catch_ctrl_c();
            sensitivity::sensitivity(&args)
        }
    }
}

/// Writes to standard output (or standard error), flushed: a failure is an
/// error that names the stream, never a panic (`println!` panics on a full
/// disk). A closed pipe stays an `io::Error` of kind `BrokenPipe` in the
/// chain, which `main` treats as success.
pub fn print(
    to_stderr: bool,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> anyhow::Result<()> {
    if to_stderr {
        let mut err = io::stderr().lock();
        return write(&mut err)
            .and_then(|()| err.flush())
            .context("cannot write to standard error");
    }
    let mut out = io::stdout().lock();
    write(&mut out)
        .and_then(|()| out.flush())
        .context("cannot write to standard output")
}

/// `inmail-sim plans | head` closing the pipe early is not an error.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain()
        .filter_map(|c| c.downcast_ref::<std::io::Error>())
        .any(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
}

/// A line on stderr beside an outcome that the exit code carries (an
/// invalid file, Ctrl-C): if stderr cannot be written (`2>/dev/full`), the
/// exit code still says it, so the failure is ignored. A file name in it
/// is shown with its control characters escaped, as `main` shows errors
/// (the line breaks of `line` are the tool's own).
pub fn note(line: &str) {
    let shown: Vec<_> = line
        .split('\n')
        .map(crate::safe_text::for_terminal)
        .collect();
    let _ = writeln!(io::stderr().lock(), "{}", shown.join("\n"));
}
