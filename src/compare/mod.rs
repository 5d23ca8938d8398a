//! `compare`: two or more scenarios (options) simulated on the same trials
//! with common random numbers, so that the difference between options is
//! measured trial by trial rather than as the difference of two noisy means.
//!
//! This module owns the compare set: reading its files, the rules that make
//! options comparable (one seed, the same months and start date), running
//! them in lockstep (`lockstep`) and what the results say (`summary`); the
//! table on stdout is `terminal::compare`.

pub mod assumptions;
pub mod lockstep;
pub mod summary;

use crate::engine::Model;
use crate::error::UserError;
use crate::precision::{
    self, Measured, Precision, Quantity, exhausted_half_width, monthly_dollars_half_width,
    total_cost_half_width, wilson_half_width,
};
use crate::runner::Progress;
use crate::scenario::sha256_hex;
use crate::scenario::{self, Overrides, Scenario};
pub use lockstep::{CompareStats, PairStats};
use std::path::{Path, PathBuf};
pub use summary::{CompareSummary, OptionSummary, PairSummary};

/// One scenario file of a compare set, as read.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: PathBuf,
    pub text: String,
    pub sha256: String,
}

impl Source {
    pub fn read(path: &Path) -> anyhow::Result<Source> {
        let text = scenario::read(path)?;
        let sha256 = sha256_hex(text.as_bytes());
        Ok(Source {
            path: path.to_path_buf(),
            text,
            sha256,
        })
    }

    /// Whether the file itself sets the top-level key `key`.
    pub fn states(&self, key: &str) -> bool {
        scenario::table_and_seed(&self.text).is_ok_and(|(seed, rest)| match key {
            "seed" => seed.is_some(),
            _ => rest.contains_key(key),
        })
    }
}

/// The label of option `i`: A, B, C, …, Z, then AA, AB, …, AZ, BA, … as
/// spreadsheet columns are named (bijective base 26), so every label is
/// letters and no two options share one.
pub fn label(i: usize) -> String {
    let mut letters = Vec::new();
    let mut n = i + 1;
    while n > 0 {
        n -= 1;
        letters.push(b'A' + (n % 26) as u8);
        n /= 26;
    }
    letters.iter().rev().map(|&b| char::from(b)).collect()
}

/// The seed of a compare set: `--seed`; else the seed that the files state
/// (they must agree); else 1, the default.
pub fn common_seed(
    sources: &[Source],
    scenarios: &[Scenario],
    cli_seed: Option<u64>,
) -> Result<u64, UserError> {
    if let Some(seed) = cli_seed {
        return Ok(seed);
    }
    let stated: Vec<(&Source, u64)> = sources
        .iter()
        .zip(scenarios)
        .filter(|(src, _)| src.states("seed"))
        .map(|(src, sc)| (src, sc.seed))
        .collect();
    match stated.first() {
        None => Ok(1),
        Some((_, seed)) if stated.iter().all(|(_, s)| s == seed) => Ok(*seed),
        Some(_) => Err(mismatch(
            stated
                .iter()
                .map(|(src, s)| (src.path.as_path(), s.to_string())),
            "seed",
            "the options of a comparison run on the same random numbers, so the files must \
state the same seed (or none); pass --seed to choose one for all",
        )),
    }
}

fn mismatch<'a>(
    values: impl Iterator<Item = (&'a Path, String)>,
    key: &str,
    allowed: &str,
) -> UserError {
    let (files, shown): (Vec<String>, Vec<String>) = values
        .map(|(path, value)| (path.display().to_string(), value))
        .unzip();
    UserError(format!(
        "{}: {key} = {}: {allowed}",
        files.join(", "),
        shown.join(", ")
    ))
}

/// Options can be compared only on the same months from the same start.
pub fn check_comparable(paths: &[PathBuf], scenarios: &[Scenario]) -> Result<(), UserError> {
    let all_same =
        |f: &dyn Fn(&Scenario) -> String| scenarios.iter().all(|s| f(s) == f(&scenarios[0]));
    let listing = |f: &dyn Fn(&Scenario) -> String| {
        paths
            .iter()
            .zip(scenarios)
            .map(|(p, s)| (p.as_path(), f(s)))
            .collect::<Vec<_>>()
    };
    let months = |s: &Scenario| s.months.to_string();
    if !all_same(&months) {
        return Err(mismatch(
            listing(&months).into_iter(),
            "months",
            "options are compared month by month over the same horizon; set the same months \
in every file or pass --months",
        ));
    }
    let start = |s: &Scenario| s.start.to_string();
    if !all_same(&start) {
        return Err(mismatch(
            listing(&start).into_iter(),
            "start_date",
            "options are compared on the same days of the calendar; set the same start_date \
in every file",
        ));
    }
    Ok(())
}

/// A validated compare set: the options' scenarios with the common seed.
#[derive(Debug, Clone)]
pub struct CompareSet {
    pub sources: Vec<Source>,
    pub scenarios: Vec<Scenario>,
    pub seed: u64,
    /// `--trials`, else the first file's `trials`.
    pub trials: u64,
}

impl CompareSet {
    /// The options' scenario names, in order.
    pub fn names(&self) -> Vec<&str> {
        self.scenarios.iter().map(|s| s.name.as_str()).collect()
    }

    /// Option `i` as the verdicts name it: its scenario's name, with its
    /// label when another option has the same name (two copies of one
    /// file, or names cut to the same 100 characters), so that a verdict
    /// never reads "X is cheaper than X".
    pub fn verdict_name(&self, i: usize) -> String {
        let name = &self.scenarios[i].name;
        let shared = self.scenarios.iter().filter(|s| &s.name == name).count() > 1;
        if shared {
            format!("{name} (option {})", label(i))
        } else {
            name.clone()
        }
    }

    /// The pair's verdict as every output says it: `summary::verdict`, then
    /// the same with annual billing's whole years counted when an option
    /// holds an annual plan for less (`summary::commitment_clause`).
    pub fn pair_verdict(&self, p: &summary::PairSummary, months: usize) -> String {
        self.pair_verdict_with(p, months, &self.commitments(months))
    }

    /// `pair_verdict` with each option's commitment given
    /// ([`CompareSet::commitments`]): a sweep's grid points share one set
    /// for their names while each has its own horizon and prices.
    pub fn pair_verdict_with(
        &self,
        p: &summary::PairSummary,
        months: usize,
        commitments: &[f64],
    ) -> String {
        let (a, b) = (self.verdict_name(p.a), self.verdict_name(p.b));
        let said = summary::verdict(p, &a, &b, months, self.retries(p.a, p.b));
        let extra = (commitments[p.a], commitments[p.b]);
        said + &summary::commitment_clause(p, (&a, &b), extra)
    }

    /// Each option's cost a month that annual billing commits to beyond
    /// what the horizon of `months` charges (`Scenario::
    /// uncounted_commitment_cents` spread over the months), cents.
    pub fn commitments(&self, months: usize) -> Vec<f64> {
        self.scenarios
            .iter()
            .map(|sc| sc.uncounted_commitment_cents() as f64 / months.max(1) as f64)
            .collect()
    }

    /// The late-start note (`calendar::late_start_note`) when the options
    /// renew both ways and start after the 1st (the set's start dates agree,
    /// `check_comparable`).
    pub fn late_start_note(&self) -> Option<String> {
        let renewals = self.scenarios.iter().map(|sc| sc.plan.renewal);
        crate::calendar::late_start_note(self.scenarios[0].start, renewals)
    }

    /// Whether option `a` or `b` retries blocked InMails (a backlog): its
    /// blocked sends are attempts, counted on each day retried.
    pub fn retries(&self, a: usize, b: usize) -> bool {
        self.scenarios[a].demand.backlog || self.scenarios[b].demand.backlog
    }

    /// Reads, validates and checks the files; `overrides` are the command
    /// line's `--trials`, `--months` and `--seed`.
    pub fn load(paths: &[PathBuf], overrides: &Overrides) -> anyhow::Result<CompareSet> {
        let sources = paths
            .iter()
            .map(|p| Source::read(p))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let texts: Vec<String> = sources.iter().map(|s| s.text.clone()).collect();
        CompareSet::from_texts(sources, &texts, overrides)
    }

    /// Like `load`, with each source's text replaced by `texts` (a sweep's
    /// edited files); the seed rule reads the files as written.
    pub fn from_texts(
        sources: Vec<Source>,
        texts: &[String],
        overrides: &Overrides,
    ) -> anyhow::Result<CompareSet> {
        let mut scenarios = Vec::new();
        for (src, text) in sources.iter().zip(texts) {
            scenarios.push(scenario::parse(text, &src.path, overrides)?);
        }
        let seed = common_seed(&sources, &scenarios, overrides.seed)?;
        let paths: Vec<PathBuf> = sources.iter().map(|s| s.path.clone()).collect();
        check_comparable(&paths, &scenarios)?;
        for sc in &mut scenarios {
            sc.seed = seed;
        }
        let trials = overrides.trials.unwrap_or(scenarios[0].trials);
        Ok(CompareSet {
            sources,
            scenarios,
            seed,
            trials,
        })
    }

    /// Every option's what-if lines (`Scenario::what_ifs`), each led by
    /// the option's label and name.
    pub fn what_ifs(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for (i, sc) in self.scenarios.iter().enumerate() {
            for line in sc.what_ifs() {
                lines.push(format!("{} ({}): {line}", label(i), sc.name));
            }
        }
        lines
    }

    pub fn models(&self) -> Vec<Model> {
        self.scenarios.iter().cloned().map(Model::new).collect()
    }
}

/// Runs the options in lockstep on the current rayon pool: `trials` trials,
/// or rounds until the precision targets are met.
pub fn run(
    models: &[Model],
    trials: u64,
    precision: Option<&Precision>,
    progress: bool,
) -> (CompareStats, Option<precision::Outcome>) {
    // One bar for the run: with precision targets its length grows with
    // the rounds planned rather than restarting at each.
    let bar = Progress::new(trials, progress);
    let round = |range: std::ops::Range<u64>| {
        bar.plan(range.end);
        lockstep::simulate(models, range, &bar)
    };
    let result = match precision {
        None => (round(0..trials), None),
        Some(p) => {
            let (stats, outcome) = precision::until_precise(p, round);
            (stats, Some(outcome))
        }
    };
    bar.finish();
    result
}

/// Runs trials `range` of the options in lockstep on the current rayon
/// pool: one shard's share of a compare (issue 23).
pub fn run_range(models: &[Model], range: std::ops::Range<u64>, progress: bool) -> CompareStats {
    let bar = Progress::new(range.end.saturating_sub(range.start), progress);
    let stats = lockstep::simulate(models, range, &bar);
    bar.finish();
    stats
}

impl Measured for CompareStats {
    fn half_width(&self, quantity: Quantity) -> f64 {
        let months = self.months();
        let widest = |it: &mut dyn Iterator<Item = f64>| it.fold(0.0, f64::max);
        match quantity {
            Quantity::Exhausted => widest(&mut self.options.iter().map(exhausted_half_width)),
            Quantity::TotalCost => widest(&mut self.options.iter().map(total_cost_half_width)),
            Quantity::CostDifference => widest(
                &mut self
                    .pairs
                    .iter()
                    .map(|p| monthly_dollars_half_width(&p.difference, months)),
            ),
            Quantity::Cheaper => widest(&mut self.pairs.iter().map(|p| {
                let a = wilson_half_width(p.a_cheaper, p.trials());
                a.max(wilson_half_width(p.b_cheaper, p.trials()))
            })),
        }
    }

    fn trials(&self) -> u64 {
        CompareStats::trials(self)
    }

    fn merge_from(&mut self, other: Self) {
        self.merge(&other);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_labelled_by_letters_then_pairs_of_letters_after_z() {
        assert_eq!(label(0), "A");
        assert_eq!(label(25), "Z");
        assert_eq!(label(26), "AA");
        assert_eq!(label(27), "AB");
        assert_eq!(label(51), "AZ");
        assert_eq!(label(52), "BA");
        assert_eq!(label(26 + 26 * 26 - 1), "ZZ");
        assert_eq!(label(26 + 26 * 26), "AAA");
    }
}
