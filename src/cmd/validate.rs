//! `inmail-sim validate FILE...`: read and check every file, report each
//! problem, run nothing and write nothing.

use crate::cli::ValidateArgs;
use crate::error::UserError;
use crate::safe_text::for_terminal;
use crate::scenario::{self, Overrides};

pub fn validate(args: &ValidateArgs) -> anyhow::Result<()> {
    let mut bad = 0;
    for path in &args.scenarios {
        match scenario::load(path, &Overrides::default()) {
            Ok(sc) => super::print(false, |out| {
                writeln!(
                    out,
                    "ok: {} ({}: {}, {} trials x {} months)",
                    for_terminal(&path.display().to_string()),
                    for_terminal(&sc.name),
                    for_terminal(&sc.plan.name),
                    crate::numbers::grouped(sc.trials),
                    sc.months
                )
            })?,
            Err(e) => {
                bad += 1;
                super::note(&format!("error: {e}"));
            }
        }
    }
    match bad {
        0 => Ok(()),
        n => Err(UserError(format!(
            "{n} of {} scenario files are not valid",
            args.scenarios.len()
        ))
        .into()),
    }
}
