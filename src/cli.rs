//! The command line, as clap derive types. Subcommands turn these into
//! library calls; nothing below `cmd` sees clap.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Monte Carlo simulator of LinkedIn InMail credit budgets.
///
/// Will you run out of InMail credits, and when? Is upgrading cheaper than
/// buying add-on credits? inmail-sim simulates many months of your sending
/// under LinkedIn's credit rules (monthly grants, the 3x/4x cap, 90-day
/// expiry, refunds for answered InMails, add-ons) with an uncertain reply
/// rate, and writes the distributions as CSV.
#[derive(Debug, Parser)]
#[command(name = "inmail-sim", version, about, long_about)]
#[command(
    after_help = "Examples:\n  inmail-sim run scenarios/sales_navigator_core_heavy.toml --trials 1000000\n  \
inmail-sim validate scenarios/*.toml\n  inmail-sim plans"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate a scenario and write summary.csv, histograms.csv and metadata.csv.
    #[command(
        after_help = "Examples:\n  inmail-sim run scenarios/sales_navigator_core_light.toml\n  \
inmail-sim run scenarios/sales_navigator_core_heavy.toml --trials 1000000 --out results/heavy\n  \
inmail-sim run my.toml --months 24 --seed 7 --quiet\n\n\
Exit status: 0 on success, 2 for bad input (scenario, options, output folder), 1 otherwise."
    )]
    Run(RunArgs),
    /// Check scenario files without running them.
    #[command(after_help = "Example:\n  inmail-sim validate scenarios/*.toml\n\n\
Exit status: 0 if every file is valid, 2 if any is not (each problem is listed).")]
    Validate(ValidateArgs),
    /// Print the plan catalog: credits, cap, expiry, renewal and list prices.
    Plans,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The scenario file (TOML); see scenarios/ for examples.
    pub scenario: PathBuf,
    /// Number of simulated trials (each one runs the whole horizon) [default: the file's `trials`, else 100000].
    #[arg(long, value_name = "N")]
    pub trials: Option<u64>,
    /// Cycles (months) per trial [default: the file's `months`, else 12].
    #[arg(long, value_name = "M")]
    pub months: Option<u32>,
    /// Random seed; the same seed gives byte-identical results [default: the file's `seed`, else 1].
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Worker threads [default: all cores]. Results do not depend on it.
    #[arg(long, value_name = "T", value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub threads: Option<u16>,
    /// Output folder [default: results/<scenario name>/].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// No progress bar and no summary table; errors are still printed.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Scenario files to check.
    #[arg(required = true, value_name = "SCENARIO")]
    pub scenarios: Vec<PathBuf>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
