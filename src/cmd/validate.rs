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
                    "ok: {} ({}: {}, {} x {})",
                    for_terminal(&path.display().to_string()),
                    for_terminal(&sc.name),
                    for_terminal(&sc.plan.name),
                    crate::numbers::count(sc.trials, "trial", "trials"),
                    crate::numbers::count(u64::from(sc.months), "month", "months")
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
        n => Err(UserError(match args.scenarios.len() {
            1 => "the scenario file is not valid".to_string(),
            total => format!(
                "{n} of {total} scenario files {} not valid",
                crate::numbers::noun(n as f64, "is", "are")
            ),
        })
        .into()),
    }
}
