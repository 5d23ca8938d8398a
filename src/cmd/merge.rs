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
    let merged = Arc::new(Merged::check(partials)?);
    merged.check_scenarios()?;
    let argv = std::iter::once("inmail-sim".to_string()).chain(merged.args.iter().cloned());
    let cli = Cli::try_parse_from(argv).map_err(|e| {
        UserError(format!(
            "the shards' command line ({:?}) does not parse: {}",
            merged.args,
            e.to_string().lines().next().unwrap_or_default()
        ))
    })?;
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
