//! One small adapter per subcommand: command-line values in, library calls,
//! text out.

mod plans;
mod run;
mod validate;

use crate::cli::Command;

pub fn dispatch(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Run(args) => run::run(&args),
        Command::Validate(args) => validate::validate(&args),
        Command::Plans => plans::plans(),
    }
}
