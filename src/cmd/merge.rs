//! `inmail-sim merge PARTIAL...`: checks that the partial state files are
//! every shard of one run, then finishes that run's command with their
//! merged statistics in place of simulating, so the outputs are those of
//! the unsharded command, byte for byte (issue 23).

use crate::cli::{Cli, Command, MergeArgs, ShardArgs, SimArgs};
use crate::error::UserError;
use crate::shard::partial::{Merged, Partial};
use clap::Parser;
use std::sync::Arc;

pub fn merge(args: &MergeArgs) -> anyhow::Result<()> {
    let partials = args
        .partials
        .iter()
        .map(|p| Partial::read(p).map(|partial| (p.clone(), partial)))
        .collect::<Result<Vec<_>, UserError>>()?;
    for (path, partial) in &partials {
        let cli = parse(&partial.args)?;
        super::shard::check_fingerprint(path, partial, &cli.command)?;
    }
    let merged = Arc::new(Merged::check(partials)?);
    merged.check_scenarios()?;
    let cli = parse(&merged.args)?;
    let hand_over = |sim: &mut SimArgs, shard: &mut ShardArgs| {
        sim.out = args.out.clone();
        sim.quiet = args.quiet;
        shard.shard = None;
        shard.merged = Some(Arc::clone(&merged));
    };
    match cli.command {
        Command::Run(mut a) => {
            hand_over(&mut a.sim, &mut a.shard);
            super::run::run(&a)
        }
        Command::Compare(mut a) => {
            hand_over(&mut a.set.sim, &mut a.set.shard);
            super::compare::compare(&a)
        }
        Command::Sweep(mut a) => {
            hand_over(&mut a.set.sim, &mut a.set.shard);
            super::sweep::sweep(&a)
        }
        _ => Err(UserError(format!(
            "the shards ran a command that has no shards: {:?}",
            merged.args
        ))
        .into()),
    }
}

/// A shard's command line, parsed as the shard parsed it.
fn parse(args: &[String]) -> Result<Cli, UserError> {
    let argv = std::iter::once("inmail-sim".to_string()).chain(args.iter().cloned());
    Cli::try_parse_from(argv).map_err(|e| {
        // clap's message whole, on one line, without its usage and help
        // hints (which name options of a command not being run).
        let text = e.to_string();
        let why: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| {
                !l.is_empty() && !l.starts_with("Usage:") && !l.starts_with("For more information")
            })
            .collect();
        let why = why.join(" ");
        UserError(format!(
            "the shards' command line (inmail-sim {}) does not parse: {}",
            crate::safe_text::command_line(args),
            why.strip_prefix("error: ").unwrap_or(&why)
        ))
    })
}
