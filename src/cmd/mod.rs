//! One small adapter per subcommand: command-line values in, library calls,
//! text out.

mod compare;
mod completions;
mod man;
mod plans;
mod run;
mod samples;
mod sensitivity;
mod sweep;
mod validate;

use crate::cli::Command;
use crate::runner::catch_ctrl_c;

/// Runs a subcommand. A run stopped by Ctrl-C returns an `Interrupted`
/// error through its output folder's clean-up; `error::exit_code` maps it
/// to 130.
pub fn dispatch(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Run(args) => {
            catch_ctrl_c();
            // --samples: checked before the run, written after it succeeded.
            samples::prepare(&args).and_then(|s| {
                run::run(&args)?;
                s.map_or(Ok(()), samples::Samples::write)
            })
        }
        Command::Validate(args) => validate::validate(&args),
        Command::Plans => plans::plans(),
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
        Command::Sensitivity(args) => {
            catch_ctrl_c();
            sensitivity::sensitivity(&args)
        }
    }
}
