//! One small adapter per subcommand: command-line values in, library calls,
//! text out.

mod compare;
mod plans;
mod run;
mod sweep;
mod validate;

use crate::cli::Command;

pub fn dispatch(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Run(args) => run::run(&args),
        Command::Validate(args) => validate::validate(&args),
        Command::Plans => plans::plans(),
        Command::Compare(args) => compare::compare(&args),
        Command::Sweep(args) => sweep::sweep(&args),
    }
}
