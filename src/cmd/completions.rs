//! `inmail-sim completions SHELL`: the shell's completion script, generated
//! by clap_complete from the clap definition, so it always knows every
//! subcommand and option.

use crate::cli::{Cli, CompletionsArgs};
use clap::CommandFactory;
use clap_complete::Shell;

const BIN: &str = "inmail-sim";

pub fn completions(args: &CompletionsArgs) -> anyhow::Result<()> {
    // Written in one go, so a closed pipe is an io::Error that main() sees
    // (generate() itself would panic on a failed write).
    let script = script(args.shell);
    super::print(false, |out| out.write_all(script.as_bytes()))
}

/// The completion script for `shell`.
pub fn script(shell: Shell) -> String {
    let mut cmd = Cli::command();
    if shell != Shell::Bash {
        return generate(shell, &mut cmd, BIN);
    }
    // clap_complete's bash script spells the state of a subcommand two ways
    // when the binary's name has a hyphen (clap-rs/clap#6421, open), so
    // nothing past the subcommand would complete. Generated for a name
    // without one, it is consistent; then only the name it registers for
    // changes (the script finds the binary's own word as `$1`).
    let plain = BIN.replace('-', "_");
    let script = generate(shell, &mut cmd, &plain);
    script.replace(&format!(" {plain}\n"), &format!(" {BIN}\n"))
}

fn generate(shell: Shell, cmd: &mut clap::Command, name: &str) -> String {
    let mut out = Vec::new();
    clap_complete::generate(shell, cmd, name, &mut out);
    String::from_utf8_lossy(&out).into_owned()
}
