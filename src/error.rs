//! Which errors are the user's to fix. Those exit with code 2 (like clap's
//! usage errors); a run stopped by Ctrl-C exits with 130 (128 + SIGINT, as
//! shells report it); anything else is a failure of the tool and exits 1.

use std::fmt;

/// An error caused by input: a scenario, an option, or the output folder.
#[derive(Debug)]
pub struct UserError(pub String);

impl fmt::Display for UserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UserError {}

/// The exit code for an error chain.
pub fn exit_code(error: &anyhow::Error) -> i32 {
    let interrupted = |e: &(dyn std::error::Error + 'static)| {
        e.is::<crate::interrupt::Interrupted>()
            || e.downcast_ref::<crate::scenario::ScenarioError>()
                .is_some_and(|s| matches!(s.problem, crate::scenario::Problem::Interrupted))
    };
    if error.chain().any(interrupted) {
        return crate::interrupt::EXIT_CODE;
    }
    let input = error.chain().any(|e| {
        e.downcast_ref::<UserError>().is_some()
            || e.downcast_ref::<crate::scenario::ScenarioError>().is_some()
    });
    if input { 2 } else { 1 }
}
