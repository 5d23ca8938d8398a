//! inmail-sim's entry point: parse the command line, run, print the error
//! chain and exit with its code (2 for bad input, 1 otherwise).

use clap::Parser;
use inmail_sim::cli::Cli;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return clap_exit(&e),
    };
    match inmail_sim::cmd::dispatch(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if inmail_sim::cmd::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            // Never `eprintln!`: it panics when stderr cannot be written
            // (`2>/dev/full`); the exit code says enough then.
            let _ = writeln!(std::io::stderr(), "error: {}", shown(&format!("{e:#}")));
            ExitCode::from(inmail_sim::error::exit_code(&e) as u8)
        }
    }
}

/// An error message for the terminal: it may quote a file or folder name
/// the user typed, so control characters in it are shown escaped, line by
/// line (the line breaks of a multi-line message are the tool's own).
fn shown(message: &str) -> String {
    message
        .split('\n')
        .map(inmail_sim::safe_text::for_terminal)
        .collect::<Vec<_>>()
        .join("\n")
}

/// What `Cli::parse` does on `--help`, `--version` or a usage error (print
/// it, exit with clap's code: 0, or 2), except that help or a version that
/// cannot be written (`--help > /dev/full`) exits with 1, as any other
/// failed write to standard output does, rather than 0. A closed pipe
/// (`--help | head`) is not an error.
fn clap_exit(e: &clap::Error) -> ExitCode {
    let code = e.exit_code();
    match e.print() {
        Err(io) if code == 0 && io.kind() != std::io::ErrorKind::BrokenPipe => {
            let _ = writeln!(
                std::io::stderr(),
                "error: cannot write to standard output: {io}"
            );
            ExitCode::from(1)
        }
        _ => ExitCode::from(code as u8),
    }
}
