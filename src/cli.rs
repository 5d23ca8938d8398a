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
/// rate, and writes the distributions as CSV files, with SVG charts and a
/// one-page report.html.
#[derive(Debug, Parser)]
#[command(
    name = "inmail-sim",
    version,
    about,
    long_about,
    disable_help_subcommand = true
)]
#[command(
    after_help = "Examples:\n  inmail-sim examples --write scenarios   # the shipped scenarios, into ./scenarios/\n  \
inmail-sim run scenarios/sales_navigator_core_heavy.toml --trials 1000000\n  \
inmail-sim init my.toml --plan premium_business --per-week 10 && inmail-sim run my.toml\n  \
inmail-sim validate scenarios/*.toml\n  inmail-sim plans\n  inmail-sim help scenario\n\n\
Exit status: 0 on success, 2 for bad input (scenario, options, output folder, a run too \
large for memory), 130 when interrupted by Ctrl-C, 1 otherwise."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate a scenario and write its results (summary, monthly and histogram CSVs, charts, report.html) to a folder.
    #[command(
        after_help = "Examples:\n  inmail-sim run scenarios/sales_navigator_core_light.toml\n  \
inmail-sim run scenarios/sales_navigator_core_heavy.toml --trials 1000000 --out results/heavy\n  \
inmail-sim run my.toml --months 24 --seed 7 --quiet\n  \
inmail-sim run scenarios/sales_navigator_core_heavy.toml --set demand.per_workday=5   # what if 5 a day\n\n\
Ctrl-C stops the run and writes nothing (with --keep-partial: the trials completed).\n\n\
Exit status: 0 on success, 2 for bad input (scenario, options, output folder, a run too \
large for memory), 130 when interrupted, 1 otherwise."
    )]
    Run(RunArgs),
    /// List the shipped scenarios, compare sets and calibrate history, print one, or write them into a folder.
    #[command(after_help = "Examples:\n  inmail-sim examples\n  \
inmail-sim examples --write scenarios\n  \
inmail-sim run scenarios/sales_navigator_core_heavy.toml\n  \
inmail-sim examples sales_navigator_core_light > light.toml\n  \
inmail-sim examples premium_business_addons_vs_core --write .\n\n\
The files are built into the binary; --write lays them out as scenarios/ in the repository \
(compare sets under compare/NAME/, the history and its README under calibrate/) and never overwrites a file: if any exists, nothing is \
written.\n\n\
Exit status: 0 on success, 2 for an unknown name or a file that exists, 1 otherwise.")]
    Examples(ExamplesArgs),
    /// Write a commented scenario to start from: every key you are likely to change, with its default and source.
    #[command(
        after_help = "Examples:\n  inmail-sim init my.toml && inmail-sim run my.toml\n  \
inmail-sim init heavy.toml --plan sales_navigator_core --per-workday 4 --rate \"10% to 25%\"\n  \
inmail-sim init buy.toml --plan premium_business --per-week 20 --addons when_empty\n  \
inmail-sim init - | less\n\n\
Never overwrites a file. Every key: inmail-sim help scenario.\n\n\
Exit status: 0 on success, 2 for a bad option or a file that exists, 1 otherwise."
    )]
    Init(InitArgs),
    /// Print help: `help scenario` for every scenario key; `help COMMAND` for a command.
    #[command(
        after_help = "Examples:\n  inmail-sim help scenario\n  inmail-sim help run\n\n\
Exit status: 0 on success, 2 for an unknown topic, 1 otherwise."
    )]
    Help(HelpArgs),
    /// Check scenario files without running them.
    #[command(after_help = "Example:\n  inmail-sim validate scenarios/*.toml\n\n\
Exit status: 0 if every file is valid, 2 if any is not (each problem is listed).")]
    Validate(ValidateArgs),
    /// Simulate two or more options on the same trials and compare their costs.
    #[command(after_help = "Examples:\n  \
inmail-sim compare scenarios/compare/core_addons_vs_advanced/*.toml\n  \
inmail-sim compare a.toml b.toml --trials 50000 --out results/a_vs_b\n  \
inmail-sim compare a.toml b.toml --precision cost_difference=0.5,cheaper=1pp\n\n\
The first file is option A, the second B, and so on (a shell's *.toml gives them in name \
order: in core_addons_vs_advanced/*.toml, advanced.toml is A). Every option runs on the same trial numbers with one seed (--seed, else the seed the files \
state, else 1), so the paired differences are far less noisy than two separate runs.\n\n\
Exit status: 0 on success, 2 for bad input (scenarios that cannot be compared, options, \
output folder), 130 when interrupted by Ctrl-C, 1 otherwise.")]
    Compare(CompareArgs),
    /// Run a scenario or a compare set over a grid of one or two parameters.
    #[command(after_help = "Examples:\n  \
inmail-sim sweep scenarios/sales_navigator_core_heavy_addons.toml --param demand.per_workday=1..8\n  \
inmail-sim sweep a.toml b.toml --param demand.per_workday=1..6:0.5 --param response.rate_center=10%..25%:5%\n\n\
KEY is a scenario key by its dotted path (demand.per_workday, plan.monthly_credits, \
addons.price, open_profile.share, ...) or response.rate_center. FROM..TO[:STEP] is a grid \
from FROM to TO (included when on the grid); STEP defaults to 1 for whole-number keys and \
(TO - FROM)/10 otherwise.\n\n\
Exit status: 0 on success, 2 for bad input, 130 when interrupted by Ctrl-C, 1 otherwise.")]
    Sweep(SweepArgs),
    /// Swing each uncertain input from low to high and rank the effect on cost and on running out.
    #[command(after_help = "Examples:\n  \
inmail-sim sensitivity scenarios/sales_navigator_core_heavy_addons.toml\n  \
inmail-sim sensitivity my.toml --trials 20000 --out results/my_drivers\n\n\
Inputs: the response rate (a distribution's p10 and p90; a fixed rate -25%/+25%), the \
demand volume (x0.75, x1.25), the delay median (x0.5, x2), the Open Profile share (0 and \
2x; skipped at 0) and the add-on price (x0.75, x1.25; only if add-ons are bought). Every \
other input stays at its centre (the response rate at its median) and every variant runs \
on the same trials with one seed. Writes sensitivity.csv, metadata.csv and metadata.json, and tornado.svg \
and report.html unless --no-charts.\n\n\
Exit status: 0 on success, 2 for bad input, 130 when interrupted by Ctrl-C, 1 otherwise.")]
    Sensitivity(SensitivityArgs),
    /// Merge the partial state files of a sharded run (--shard) into its finished outputs.
    #[command(after_help = "Examples:\n  \
parallel -j4 inmail-sim run scenarios/reference.toml --shard {}/4 --out parts ::: 1 2 3 4\n  \
inmail-sim merge parts/*.partial --out results/reference\n\n\
The outputs are byte-identical to the same command run without --shard on one machine \
(apart from wall_time and threads in metadata). The shards must be of one run (same command, \
scenario files, seed, trials and shard count), every shard exactly once; the scenario files \
are read again at the paths the shards were given and must be unchanged.\n\n\
Exit status: 0 on success, 2 for a missing, duplicated, corrupt or mismatched partial file, \
130 when interrupted by Ctrl-C, 1 otherwise.")]
    Merge(MergeArgs),
    /// Fit your reply rate and reply delay from a history of sent InMails, for a scenario's [response] and [delay].
    #[command(after_help = "Examples:\n  \
inmail-sim calibrate scenarios/calibrate/history.csv\n  \
inmail-sim calibrate history.csv --write my_rates.toml --out results/calibrate\n  \
inmail-sim calibrate export.csv --columns \"sent=Date Sent,replied=Reply Date\" --date-format dd/mm/yyyy\n\n\
HISTORY is a CSV file, one row per InMail: the day it was sent, the day it was answered \
(empty if not yet), optionally its outcome (accepted or declined), an id and a seat. An \
InMail with no answer yet counts as not answered so far, not as a failure. See \
docs/calibrate.md.\n\n\
Exit status: 0 on success, 2 for bad input (the history, options, the output folder or \
--write file; nothing is written), 130 when interrupted by Ctrl-C (earlier outputs left \
as they were), 1 otherwise.")]
    Calibrate(CalibrateArgs),
    /// Goal seek: the value of one parameter at which a statistic hits a target.
    #[command(after_help = "Examples:\n  \
inmail-sim solve scenarios/reference.toml --param demand.per_workday --target exhausted=5%\n  \
inmail-sim solve my.toml --param response.rate_center --target blocked=1 --range 10%..60%\n  \
inmail-sim solve my.toml --param plan.monthly_credits --target exhausted=1% --range 10..150\n\n\
KEY is any key `sweep --param` accepts. STAT is exhausted (the chance a month runs out, \
e.g. 5%), blocked (blocked sends per month; with a backlog, send attempts, each retry counted) \
or cost (dollars per month); a send the Recruiter \
response-rate floor refuses counts as running out and as blocked. The answer is the \
boundary of the values where STAT is at most VALUE, with its 95% interval; every evaluation \
runs on the same trials (docs/recommend.md explains the method). solve refuses, with exit \
status 2, when the statistic is not monotone in the range or the target is outside what the \
range reaches.\n\n\
Exit status: 0 on success, 2 for bad input or no answer in the range, 130 when interrupted \
by Ctrl-C, 1 otherwise.")]
    Solve(SolveArgs),
    /// Which plan, billing, add-on policy and seats cost least within a risk of running out.
    #[command(after_help = "Examples:\n  \
inmail-sim recommend scenarios/reference.toml\n  \
inmail-sim recommend my.toml --max-risk 2% --plans premium_business,sales_navigator_core --what-if-addons\n  \
inmail-sim recommend my.toml --seats 1..3 --max-blocked 1 --precision cost_difference=0.5\n\n\
The scenario gives the demand (the team's: the file's demand times its seats, split evenly \
over each candidate's seats), reply rate, delay, horizon and rules; its [plan], plan changes \
and seats are replaced by each candidate's (--set on a plan key is refused). The \
candidates are the catalog plans (or --plans) x billing x add-on policy x seats; add-on \
policies only on plans that sell add-ons today (none does; see `inmail-sim plans`) unless \
--what-if-addons. Every candidate runs on the same trials; candidates clearly infeasible or \
clearly dearer than a feasible one stop early (docs/recommend.md). A month runs out when a \
send cannot go out: no credit left or, on Recruiter plans, the response-rate floor's 14-day \
block (floor_blocked_per_month in candidates.csv is that part).\n\n\
Exit status: 0 on success, 2 for bad input, 130 when interrupted by Ctrl-C, 1 otherwise.")]
    Recommend(RecommendArgs),
    /// Print the plan catalog: credits, cap, expiry, renewal and list prices.
    #[command(
        after_help = "Examples:\n  inmail-sim plans\n  inmail-sim plans | less -S\n\n\
Exit status: 0 on success, 1 otherwise."
    )]
    Plans,
    /// Print a shell completion script to stdout (bash, zsh, fish, elvish or powershell).
    #[command(after_help = "Examples:\n  \
inmail-sim completions bash > ~/.local/share/bash-completion/completions/inmail-sim\n  \
inmail-sim completions zsh > ~/.zfunc/_inmail-sim\n  \
inmail-sim completions fish > ~/.config/fish/completions/inmail-sim.fish\n\n\
Exit status: 0 on success, 2 for an unknown shell, 1 otherwise.")]
    Completions(CompletionsArgs),
    /// Print the manual page (roff) to stdout: every command with its options, examples and exit status.
    #[command(after_help = "Examples:\n  \
inmail-sim man > ~/.local/share/man/man1/inmail-sim.1\n  \
inmail-sim man | man -l -\n\n\
Exit status: 0 on success, 1 otherwise.")]
    Man,
}

#[derive(Debug, Args)]
pub struct ExamplesArgs {
    /// A scenario or compare set of the list (without it: all of them).
    #[arg(value_name = "NAME")]
    pub name: Option<String>,
    /// Write the files into this folder (created if needed) instead of printing.
    #[arg(long, value_name = "DIR")]
    pub write: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("volume").args(["per_workday", "per_week", "per_month"])))]
pub struct InitArgs {
    /// The file to write; `-` prints the scenario instead.
    #[arg(value_name = "FILE", default_value = "scenario.toml")]
    pub file: PathBuf,
    /// The plan, an id of `inmail-sim plans` [default: sales_navigator_core].
    #[arg(long, value_name = "ID")]
    pub plan: Option<String>,
    /// InMails you want to send each workday (Monday to Friday) [default: 3].
    #[arg(long, allow_negative_numbers = true, value_name = "N", value_parser = per_workday)]
    pub per_workday: Option<f64>,
    /// InMails you want to send each week.
    #[arg(long, allow_negative_numbers = true, value_name = "N", value_parser = per_week)]
    pub per_week: Option<f64>,
    /// InMails you want to send each month (each cycle).
    #[arg(long, allow_negative_numbers = true, value_name = "N", value_parser = per_month)]
    pub per_month: Option<f64>,
    /// Your response rate: "12%", or a range such as "10% to 25%" [default: "10% to 25%"].
    #[arg(long, value_name = "RATE")]
    pub rate: Option<String>,
    /// What to do when the credits run out: buy add-on credits when empty, every month, or never [default: never].
    #[arg(long, value_name = "POLICY", value_parser = ["never", "when_empty", "monthly"])]
    pub addons: Option<String>,
    /// Seats on the subscription, each with the whole volume above and its own grant; whether they pool their credits is the plan's default (`plan.pooled`) [default: 1].
    #[arg(long, allow_negative_numbers = true, value_name = "N", value_parser = seats)]
    pub seats: Option<u32>,
}

#[derive(Debug, Args)]
pub struct HelpArgs {
    /// `scenario`, or a command.
    #[arg(value_name = "TOPIC")]
    pub topic: Option<String>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Clone, Args)]
pub struct RunArgs {
    /// The scenario file (TOML); `inmail-sim examples` lists the shipped ones.
    pub scenario: PathBuf,
    #[command(flatten)]
    pub sim: SimArgs,
    /// On Ctrl-C, write the statistics of the trials completed (trials 0..n, marked partial = true in metadata.csv) instead of nothing. Not with --shard (a shard's partial state is all of its trials or nothing).
    #[arg(long, conflicts_with = "shard")]
    pub keep_partial: bool,
    /// Also write every cycle of the first trials (trial, cycle, every per-cycle metric) to this CSV file (`-`: standard output). Not with --precision (the trials are not known before the run ends).
    #[arg(long, value_name = "FILE", conflicts_with = "precision")]
    pub samples: Option<PathBuf>,
    /// With --samples: at most this many rows (trials 0..N/months, whole trials) [default: 100000; at most 10000000].
    #[arg(
        long,
        allow_negative_numbers = true,
        value_name = "N",
        requires = "samples"
    )]
    pub samples_limit: Option<u64>,
    #[command(flatten)]
    pub precision: PrecisionArgs,
    #[command(flatten)]
    pub shard: ShardArgs,
}

/// The options every command that simulates shares (run, compare, sweep,
/// sensitivity), declared once so that their names, ranges and refusals
/// cannot drift apart. The help texts are `run`'s; a command whose
/// defaults read differently (per option, per variant, its folder name)
/// rewords them with `mut_arg`, without redeclaring the option.
#[derive(Debug, Clone, Args)]
pub struct SimArgs {
    /// Number of simulated trials (each one runs the whole horizon) [default: the file's `trials`, else 100000].
    #[arg(long, allow_negative_numbers = true, value_name = "N", value_parser = trials)]
    pub trials: Option<u64>,
    /// Cycles (months) per trial [default: the file's `months`, else 12].
    #[arg(long, allow_negative_numbers = true, value_name = "M", value_parser = months)]
    pub months: Option<u32>,
    /// Random seed; the same seed gives byte-identical results [default: the file's `seed`, else 1].
    #[arg(long, allow_negative_numbers = true, value_name = "S", value_parser = seed)]
    pub seed: Option<u64>,
    /// Worker threads [default: all cores, at most 1024]. Results do not depend on it.
    #[arg(long, allow_negative_numbers = true, value_name = "T", value_parser = threads)]
    pub threads: Option<u16>,
    /// Output folder [default: results/<scenario name>/].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Change a scenario key for this run, e.g. demand.per_workday=5 or response.rate=12%; repeatable. The keys of `sweep --param`; the file is validated with the change.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// No progress bar and no summary table; errors are still printed.
    #[arg(long, short)]
    pub quiet: bool,
    /// Also write every CSV and the metadata as one JSON document to FILE (- for standard output; the table then goes to stderr). Schema: docs/outputs.md.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Also write results.xlsx: every table as a sheet, with number formats, frozen headers and charts.
    #[arg(long)]
    pub xlsx: bool,
    #[command(flatten)]
    pub charts: ChartArgs,
}

/// `--charts` / `--no-charts`, shared by run, compare, sweep and sensitivity.
#[derive(Debug, Clone, Copy, Default, Args)]
pub struct ChartArgs {
    /// Write SVG charts beside the CSVs (the default).
    #[arg(long, overrides_with = "no_charts")]
    pub charts: bool,
    /// Write no SVG charts, only the CSVs.
    #[arg(long, overrides_with = "charts")]
    pub no_charts: bool,
}

impl ChartArgs {
    /// Whether to write the charts: yes unless the last of the two flags
    /// given was `--no-charts`.
    pub fn enabled(&self) -> bool {
        !self.no_charts
    }
}

/// `inmail-sim merge`: the partial state files of a sharded run.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Every shard's partial state file, each exactly once, in any order.
    #[arg(required = true, value_name = "PARTIAL")]
    pub partials: Vec<PathBuf>,
    /// Output folder [default: the folder the unsharded command would write].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// No summary table; errors are still printed.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `--precision` and `--max-trials`, shared by run, compare and sweep.
#[derive(Debug, Clone, Default, Args)]
pub struct PrecisionArgs {
    /// Add trials until the 95% interval is this narrow: QUANTITY=HALF_WIDTH with QUANTITY one of exhausted, total_cost, cost_difference, cheaper (e.g. exhausted=0.5pp, total_cost=1). Repeat or separate with commas. Replaces --trials.
    #[arg(
        long,
        value_name = "TARGET",
        value_delimiter = ',',
        conflicts_with = "trials"
    )]
    pub precision: Vec<String>,
    /// With --precision: stop at this many trials even if a target is not met [default: 10000000].
    #[arg(long, allow_negative_numbers = true, value_name = "N", requires = "precision", value_parser = trials)]
    pub max_trials: Option<u64>,
}

/// The options `compare` and `sweep` share with `run`, in their words.
#[derive(Debug, Clone, Args)]
#[command(
    mut_arg("trials", |a| a.help("Trials per option (and per grid point) [default: the first file's `trials`, else 100000]")),
    mut_arg("months", |a| a.help("Cycles (months) per trial, for every option [default: the files' `months`, which must agree]")),
    mut_arg("seed", |a| a.help("Random seed for every option [default: the seed the files state, which must agree, else 1]")),
    mut_arg("out", |a| a.help("Output folder [default: results/compare_<A>_vs_<B>/ or results/sweep_<A>[_vs_<B>]/]")),
    mut_arg("quiet", |a| a.help("No progress bar and no table; errors are still printed")),
)]
pub struct SetArgs {
    #[command(flatten)]
    pub sim: SimArgs,
    #[command(flatten)]
    pub precision: PrecisionArgs,
    #[command(flatten)]
    pub shard: ShardArgs,
}

/// `--shard`, shared by run, compare and sweep (issue 23), and what
/// `merge` hands the command instead of simulating.
#[derive(Debug, Clone, Default, Args)]
pub struct ShardArgs {
    /// Simulate only shard K of N of the trials and write a partial state file (in --out, default results/<name>.shards/) for `inmail-sim merge`, instead of the outputs. K/N numbered from 1, or `auto` (`auto/N`) to read it from Slurm, Grid Engine, Kubernetes or AWS Batch. Not with --precision.
    #[arg(
        long,
        value_name = "K/N|auto",
        value_parser = crate::shard::ShardArg::parse,
        conflicts_with = "precision"
    )]
    pub shard: Option<crate::shard::ShardArg>,
    /// Set by `merge`: every shard's statistics, merged, used instead of
    /// simulating.
    #[arg(skip)]
    pub merged: Option<std::sync::Arc<crate::shard::partial::Merged>>,
}

#[derive(Debug, Clone, Args)]
#[command(
    mut_arg("trials", |a| a.help("Trials per option [default: the first file's `trials`, else 100000]")),
    mut_arg("out", |a| a.help("Output folder [default: results/compare_<A>_vs_<B>/]")),
)]
pub struct CompareArgs {
    /// Two or more scenario files, one per option (A, B, C, ... in this order).
    #[arg(required = true, num_args = 2.., value_name = "SCENARIO")]
    pub scenarios: Vec<PathBuf>,
    #[command(flatten)]
    pub set: SetArgs,
}

#[derive(Debug, Clone, Args)]
#[command(
    mut_arg("trials", |a| a.help("Trials per grid point and option [default: the first file's `trials`, else 100000]")),
    mut_arg("out", |a| a.help("Output folder [default: results/sweep_<A>[_vs_<B>]/]")),
)]
pub struct SweepArgs {
    /// One scenario, or two or more to sweep a compare set.
    #[arg(required = true, value_name = "SCENARIO")]
    pub scenarios: Vec<PathBuf>,
    /// KEY=FROM..TO[:STEP]; give it once or twice (a full grid of two parameters).
    #[arg(long, required = true, value_name = "KEY=FROM..TO[:STEP]")]
    pub param: Vec<String>,
    #[command(flatten)]
    pub set: SetArgs,
}

/// `sensitivity` has no `--precision`: its variants share one fixed
/// number of trials.
#[derive(Debug, Args)]
#[command(
    mut_arg("trials", |a| a.help("Trials per variant [default: the file's `trials`, else 100000]")),
    mut_arg("seed", |a| a.help("Random seed, the same for every variant [default: the file's `seed`, else 1]")),
    mut_arg("out", |a| a.help("Output folder [default: results/sensitivity_<scenario name>/]")),
    mut_arg("quiet", |a| a.help("No progress bar and no table; errors are still printed")),
)]
pub struct SensitivityArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    #[command(flatten)]
    pub sim: SimArgs,
}

/// `calibrate`: a history file in, the fit printed, and optionally a
/// scenario snippet (`--write`) and an output folder (`--out`).
#[derive(Debug, Args)]
#[command(
    mut_arg("charts", |a| a.help("With --out: write the delay chart and report.html (the default)")),
    mut_arg("no_charts", |a| a.help("With --out: write no delay chart and no report.html, only the CSVs and metadata")),
)]
pub struct CalibrateArgs {
    /// The history: a CSV file with one row per InMail sent.
    #[arg(value_name = "HISTORY")]
    pub history: PathBuf,
    /// The day the history was taken (YYYY-MM-DD) [default: the latest date in the file].
    #[arg(long, value_name = "DATE", value_parser = as_of)]
    pub as_of: Option<crate::calendar::Date>,
    /// Count an answer only if it came within this many days of its send (the refund window, credit-rules §3).
    #[arg(long, allow_negative_numbers = true, value_name = "DAYS", default_value_t = 90, value_parser = window)]
    pub window: u32,
    /// Which columns hold what, for exports with other names: ROLE=COLUMN pairs with roles sent, replied, outcome, id, seat [default: sent, replied, outcome, id, seat].
    #[arg(long, value_name = "ROLE=COLUMN,...")]
    pub columns: Option<String>,
    /// How to read slashed dates: auto (settled by the file: a day above 12 somewhere), mm/dd/yyyy, dd/mm/yyyy, or iso (no slashed dates).
    #[arg(long, value_name = "FORMAT", default_value = "auto", value_parser = date_format)]
    pub date_format: crate::calibrate::dates::DateFormat,
    /// Write the [response] and [delay] tables to this TOML file, to paste into (or include in) a scenario; - for standard output (the summary then goes to stderr).
    #[arg(long, value_name = "SNIPPET.toml")]
    pub write: Option<PathBuf>,
    /// With --write FILE: replace the file if it exists (without it, an existing file is refused).
    // Not clap's `requires`: its message does not name --force; the
    // command says what --force needs (`cmd::calibrate`), as it does for
    // the other options that change nothing on their own.
    #[arg(long)]
    pub force: bool,
    /// With --write or --out (whose report.html shows the snippet): the snippet's rate form, a beta by mean and sd, or by its 90% interval (low, high) [default: mean-sd].
    // An Option, not a default value, so that the command can tell the
    // option given without --write or --out, where it changes nothing.
    #[arg(long, value_enum, value_name = "FORM")]
    pub rate_form: Option<RateFormArg>,
    /// The snippet's delay form (the other is written as a comment); without --write or --out it changes only what the summary says of the snippet.
    #[arg(long, value_enum, value_name = "FORM", default_value = "lognormal")]
    pub delay_form: DelayFormArg,
    /// Also write calibration.csv, delay.csv, the delay chart, report.html and metadata to this folder (with --no-charts, the CSVs and metadata only).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Print nothing on success; errors are still printed.
    #[arg(long, short)]
    pub quiet: bool,
    #[command(flatten)]
    pub charts: ChartArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RateFormArg {
    MeanSd,
    Interval90,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DelayFormArg {
    Lognormal,
    Empirical,
}

/// `--seed`: a whole number (`_` between digits allowed, as in TOML:
/// `1_000`, not `_1` or `1__0`).
fn seed(text: &str) -> Result<u64, String> {
    let digits_apart = text
        .split('_')
        .all(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit()));
    digits_apart
        .then(|| text.replace('_', "").parse::<u64>().ok())
        .flatten()
        .ok_or_else(|| format!("expected a whole number from 0 to {}", u64::MAX))
}

/// `--window`: whole days, 1 to 3650.
fn window(text: &str) -> Result<u32, String> {
    text.parse::<u32>()
        .ok()
        .filter(|d| (1..=3650).contains(d))
        .ok_or_else(|| "expected a whole number of days from 1 to 3650".to_string())
}

fn as_of(text: &str) -> Result<crate::calendar::Date, String> {
    crate::calendar::Date::parse_iso(text).ok_or_else(|| {
        "not a date; allowed: a date as YYYY-MM-DD (four, two and two digits), e.g. 2026-11-28"
            .to_string()
    })
}

fn date_format(text: &str) -> Result<crate::calibrate::dates::DateFormat, String> {
    crate::calibrate::dates::DateFormat::from_name(text)
        .ok_or_else(|| "allowed: auto, iso, mm/dd/yyyy, dd/mm/yyyy".to_string())
}

/// `recommend`: one scenario, the catalog's candidates.
#[derive(Debug, Args)]
#[command(
    mut_arg("trials", |a| a.help("Most trials per candidate, as --max-trials (give one of the two), and at least 1000, the first round [default: the file's `trials`, else 100000]")),
    mut_arg("seed", |a| a.help("Random seed, the same for every candidate [default: the file's `seed`, else 1]")),
    mut_arg("out", |a| a.help("Output folder [default: results/recommend_<scenario name>/]")),
    mut_arg("quiet", |a| a.help("No progress bar and no table; errors are still printed")),
)]
pub struct RecommendArgs {
    /// The scenario file (TOML): the demand and rules; its plan is replaced.
    pub scenario: PathBuf,
    /// The largest chance that a month runs out (a send blocked for lack of credit or by the Recruiter floor): 5% or 0.05, above 0 (a bare 1 is refused: write 1% or 100%).
    #[arg(long, value_name = "SHARE", default_value = "5%")]
    pub max_risk: String,
    /// The most blocked sends per month, on average, above 0; with [demand] backlog = true, send attempts (a waiting InMail counts each day it is retried) [default: no limit].
    #[arg(long, allow_negative_numbers = true, value_name = "N")]
    pub max_blocked: Option<f64>,
    /// Catalog plan ids to consider, comma-separated [default: every plan but free].
    #[arg(long, value_name = "ID,...", value_delimiter = ',')]
    pub plans: Vec<String>,
    /// Seats: a number or a range LO..HI, 1 to 50 (the team's demand is split evenly over them) [default: the scenario's seats].
    #[arg(long, allow_negative_numbers = true, value_name = "K|LO..HI")]
    pub seats: Option<String>,
    /// Also try add-on policies on plans that sell no add-ons today (each such candidate is marked a what-if).
    #[arg(long)]
    pub what_if_addons: bool,
    /// cost_difference=DOLLARS: resolve the leaders' paired cost difference to this 95% half-width.
    #[arg(
        long,
        value_name = "cost_difference=DOLLARS",
        default_value = "cost_difference=1"
    )]
    pub precision: String,
    /// Stop at this many trials per candidate even if undecided; the same limit as --trials (give one of the two) [default: --trials].
    #[arg(long, allow_negative_numbers = true, value_name = "N", value_parser = candidate_trials)]
    pub max_trials: Option<u64>,
    #[command(flatten)]
    pub sim: SimArgs,
}

/// `solve`: one scenario, one parameter, one target.
#[derive(Debug, Args)]
#[command(
    mut_arg("trials", |a| a.help("Trials per evaluation [default: the file's `trials`, at most 20000]")),
    mut_arg("seed", |a| a.help("Random seed, the same for every evaluation [default: the file's `seed`, else 1]")),
    mut_arg("out", |a| a.help("Output folder [default: results/solve_<scenario name>/]")),
    mut_arg("quiet", |a| a.help("No progress bar and no table; errors are still printed")),
)]
pub struct SolveArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// The parameter to move: any key `sweep --param` accepts.
    #[arg(long, value_name = "KEY")]
    pub param: String,
    /// STAT=VALUE: exhausted=5%, blocked=0 or cost=$150.
    #[arg(long, value_name = "STAT=VALUE")]
    pub target: String,
    /// LO..HI [default: 0%..100% for a share, 1%..99% for the rate's centre (narrowed to keep the rate within 0%..100%), else 0 (1 for months and seats) to 4x the file's value, or the catalog plan's for plan.* keys and $10 for an unwritten addons.price].
    #[arg(long, value_name = "LO..HI", allow_hyphen_values = true)]
    pub range: Option<String>,
    #[command(flatten)]
    pub sim: SimArgs,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Scenario files to check.
    #[arg(required = true, value_name = "SCENARIO")]
    pub scenarios: Vec<PathBuf>,
}

/// `--trials` (and `--max-trials`): a whole number in the range a file's
/// `trials` allows, with the same words on every command, written as
/// people write large counts: `1000000`, `1_000_000` or `1e6`.
fn trials(text: &str) -> Result<u64, String> {
    count_of_trials(text, crate::scenario::check_trials)
}

/// `recommend --max-trials`: written as `--trials` is, from its first
/// round (1000 trials) to ten million per candidate.
fn candidate_trials(text: &str) -> Result<u64, String> {
    const MOST: u64 = 10_000_000;
    count_of_trials(text, |n| {
        let first = crate::decide::recommend::elimination::FIRST_ROUND;
        if (first..=MOST).contains(&n) {
            Ok(n)
        } else {
            Err(format!("expected a whole number from {first} to {MOST}"))
        }
    })
}

/// A number of trials as people write large counts, then `check`ed; a
/// refusal says what `check` allows (it is asked about 0, which no count
/// of trials allows).
fn count_of_trials(text: &str, check: impl Fn(u64) -> Result<u64, String>) -> Result<u64, String> {
    let allowed = || check(0).err().unwrap_or_default();
    match large_whole(text) {
        Some(Some(n)) => check(n),
        Some(None) => Err(allowed()),
        None => Err(format!(
            "not a whole number (write it as 1000000, 1_000_000 or 1e6); {}",
            allowed()
        )),
    }
}

/// A whole number written with digits, `_` between digits, and an optional
/// exponent whose result is whole (`2.5e3`, not `2.5`): `Some(Some(n))`;
/// `Some(None)` if it is whole but beyond u64; `None` if it is not a whole
/// number. Exact: no floating point.
fn large_whole(text: &str) -> Option<Option<u64>> {
    let t = text.trim();
    let (mantissa, exponent) = match t.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.strip_prefix('+').unwrap_or(e).parse::<i32>().ok()?),
        None => (t, 0),
    };
    let digit_groups_ok = |s: &str| {
        !s.is_empty()
            && s.split('_')
                .all(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit()))
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if !digit_groups_ok(int) || !(frac.is_empty() || digit_groups_ok(frac)) {
        return None;
    }
    let (int, frac) = (int.replace('_', ""), frac.replace('_', ""));
    let frac = frac.trim_end_matches('0');
    let shift = i64::from(exponent) - frac.len() as i64;
    let digits = format!("{int}{frac}");
    let digits = digits.trim_start_matches('0');
    let (digits, shift) = match shift {
        s if s >= 0 => (digits, s),
        s => {
            // A negative shift must drop only zeros: 1500e-2 is 15, 15e-1 is not whole.
            let cut = usize::try_from(-s).ok()?;
            let kept = digits.len().checked_sub(cut)?;
            if !digits[kept..].bytes().all(|b| b == b'0') {
                return None;
            }
            (&digits[..kept], 0)
        }
    };
    if digits.is_empty() {
        return Some(Some(0));
    }
    let n: Option<u64> = digits.parse::<u64>().ok();
    let scale = u32::try_from(shift).ok().and_then(|s| 10u64.checked_pow(s));
    Some(n.zip(scale).and_then(|(n, s)| n.checked_mul(s)))
}

/// `--months`: a whole number in the range a file's `months` allows (1 to
/// 1200), not the range of the integer type that holds it.
fn months(text: &str) -> Result<u32, String> {
    whole(text, crate::scenario::check_months)
}

/// `init --seats`: 1 to 1000, in the words a scenario's `seats` is
/// refused with ("from 1 to 1000", as every other option says its range).
fn seats(text: &str) -> Result<u32, String> {
    whole(text, crate::scenario::check_seats)
}

/// `--threads`: 1 to [`crate::runner::MAX_THREADS`] worker threads ("1.5"
/// says what a thread count is, not clap's "invalid digit found in
/// string").
fn threads(text: &str) -> Result<u16, String> {
    use crate::runner::MAX_THREADS;
    whole(text, |n| match u16::try_from(n) {
        Ok(t) if (1..=MAX_THREADS).contains(&usize::from(t)) => Ok(t),
        _ => Err(format!(
            "expected a whole number of threads from 1 to {MAX_THREADS}"
        )),
    })
}

/// `init`'s volumes, each bounded by its own key's limit (10,000 a
/// workday, 70,000 a week, 310,000 a month: `team_volume_limit`), so that
/// a number the file could not hold (1e20, nan) is refused here, naming
/// the limit that applies, rather than as a TOML error in a file never
/// written.
fn volume(text: &str, unit: crate::sampling::demand::Volume) -> Result<f64, String> {
    let max = crate::scenario::team_volume_limit(unit);
    match text.trim().parse::<f64>() {
        Ok(x) if x.is_finite() && (0.0..=max).contains(&x) => Ok(x),
        _ => Err(format!(
            "expected a number of InMails from 0 to {} (e.g. 4 or 2.5)",
            crate::numbers::grouped(max as u64)
        )),
    }
}

fn per_workday(text: &str) -> Result<f64, String> {
    volume(text, crate::sampling::demand::Volume::PerWorkday(0.0))
}

fn per_week(text: &str) -> Result<f64, String> {
    volume(text, crate::sampling::demand::Volume::PerWeek(0.0))
}

fn per_month(text: &str) -> Result<f64, String> {
    volume(text, crate::sampling::demand::Volume::PerCycle(0.0))
}

fn whole<T>(text: &str, check: fn(u64) -> Result<T, String>) -> Result<T, String> {
    // A number too large for u64 is still just out of range.
    let allowed = || check(0).err().unwrap_or_default();
    match text.trim().parse::<u64>() {
        Ok(n) => check(n),
        Err(_) if !text.is_empty() && text.trim().bytes().all(|b| b.is_ascii_digit()) => {
            Err(allowed())
        }
        Err(_) => Err(format!("not a whole number; {}", allowed())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn months_and_trials_say_their_real_range() {
        assert_eq!(months("12"), Ok(12));
        assert_eq!(months("1200"), Ok(1200));
        let range = "expected a whole number of months from 1 to 1200";
        for bad in ["0", "1201", "4294967296", "99999999999999999999999"] {
            assert_eq!(months(bad), Err(range.to_string()), "{bad}");
        }
        assert_eq!(months("x"), Err(format!("not a whole number; {range}")));
        assert_eq!(trials("1"), Ok(1));
        let range = "expected a whole number from 1 to 1000000000000";
        assert_eq!(trials("0"), Err(range.to_string()));
        assert_eq!(trials("1000000000001"), Err(range.to_string()));
        assert_eq!(threads("2"), Ok(2));
        let range = "expected a whole number of threads from 1 to 1024";
        for bad in ["0", "1025", "65537", "99999999999999999999999"] {
            assert_eq!(threads(bad), Err(range.to_string()), "{bad}");
        }
        assert_eq!(threads("1.5"), Err(format!("not a whole number; {range}")));
    }

    #[test]
    fn trials_are_read_as_people_write_large_counts() {
        for (text, n) in [
            ("1000000", 1_000_000),
            ("1_000_000", 1_000_000),
            ("1e6", 1_000_000),
            ("1E6", 1_000_000),
            ("2.5e3", 2500),
            ("1e+3", 1000),
            ("15000e-1", 1500),
            (" 20000 ", 20_000),
            ("1e12", 1_000_000_000_000),
        ] {
            assert_eq!(trials(text), Ok(n), "{text}");
        }
        let range = "expected a whole number from 1 to 1000000000000";
        let not_whole =
            format!("not a whole number (write it as 1000000, 1_000_000 or 1e6); {range}");
        for bad in [
            "1.5", "2.5e0", "1e-3", "1__000", "_1000", "1000_", "1,000", "e6", "1e", "x", "-5", "",
        ] {
            assert_eq!(trials(bad), Err(not_whole.clone()), "{bad:?}");
        }
        for too_large in ["1e13", "1e400", "99999999999999999999999", "0e0"] {
            assert_eq!(trials(too_large), Err(range.to_string()), "{too_large}");
        }
    }

    #[test]
    fn recommends_most_trials_are_read_like_trials_within_its_own_range() {
        for (text, n) in [("1e6", 1_000_000), ("1_000_000", 1_000_000), ("1000", 1000)] {
            assert_eq!(candidate_trials(text), Ok(n), "{text}");
        }
        let range = "expected a whole number from 1000 to 10000000";
        for bad in ["999", "1e8", "0"] {
            assert_eq!(candidate_trials(bad), Err(range.to_string()), "{bad}");
        }
        assert_eq!(
            candidate_trials("1.5e3x"),
            Err(format!(
                "not a whole number (write it as 1000000, 1_000_000 or 1e6); {range}"
            ))
        );
    }

    /// The shared options are declared once (`SimArgs`): every command
    /// that simulates refuses a bad value in the same words.
    #[test]
    fn every_command_that_simulates_refuses_a_bad_shared_option_in_the_same_words() {
        let commands: [&[&str]; 4] = [
            &["run", "a.toml"],
            &["compare", "a.toml", "b.toml"],
            &["sweep", "a.toml", "--param", "demand.per_workday=1..2"],
            &["sensitivity", "a.toml"],
        ];
        for (flag, value) in [
            ("--trials", "0"),
            ("--months", "1201"),
            ("--seed", "x"),
            ("--threads", "0"),
        ] {
            let refusals: Vec<String> = commands
                .iter()
                .map(|c| {
                    let mut argv = vec!["inmail-sim"];
                    argv.extend(c.iter().chain(&[flag, value]));
                    let e = Cli::try_parse_from(argv).expect_err("a bad value is refused");
                    let text = e.to_string();
                    text.lines().next().unwrap_or_default().to_string()
                })
                .collect();
            assert!(refusals[0].contains(flag), "{refusals:?}");
            assert!(refusals.iter().all(|r| r == &refusals[0]), "{refusals:?}");
        }
    }
}
