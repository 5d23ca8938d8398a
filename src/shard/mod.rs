//! Shards: one run split across processes or machines, merged into the same
//! bytes as one run (issue 23).
//!
//! Every trial depends only on the seed and its index, and the statistics
//! are exact mergeable histograms, so a run of `T` trials can be cut into
//! `N` ranges of trial indices, simulated anywhere, and merged exactly. This
//! module owns:
//!
//! - [`ShardSpec`]: which share of the trials a process runs (`--shard K/N`,
//!   or `--shard auto` read from a batch scheduler's environment, see
//!   [`auto`]), and the fixed split of trial indices ([`ShardSpec::range`]);
//! - [`state`]: the accumulators of `run`, `compare` and `sweep` in a
//!   serialisable form;
//! - [`partial`]: the partial state file a shard writes, its format,
//!   version and checksum, and the checks `merge` makes before it trusts a
//!   set of them.
//!
//! What the commands do with them lives in `cmd/` (`cmd/shard.rs`,
//! `cmd/merge.rs`).

pub mod auto;
pub mod partial;
pub mod state;

use crate::error::UserError;
use std::ops::Range;

/// Shard `index` of `count` (both counted from 1): `--shard 3/8`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ShardSpec {
    pub index: u32,
    pub count: u32,
}

/// The most shards a run may be cut into: far beyond any scheduler's array
/// size, small enough that every shard's bounds fit the arithmetic.
pub const MAX_SHARDS: u32 = 1_000_000;

impl ShardSpec {
    /// Shard `index` of `count`, checked: `1 <= index <= count <= MAX_SHARDS`.
    pub fn new(index: u32, count: u32) -> Result<ShardSpec, String> {
        if count == 0 || count > MAX_SHARDS {
            return Err(format!(
                "the shard count {count} is out of range: expected 1 to {MAX_SHARDS}"
            ));
        }
        if index == 0 || index > count {
            return Err(format!(
                "shard {index}/{count} does not exist: shards are numbered 1 to {count}"
            ));
        }
        Ok(ShardSpec { index, count })
    }

    /// Shard `index`'s trial indices out of `trials`: `[⌊(K−1)·T/N⌋,
    /// ⌊K·T/N⌋)`. The split depends only on `T`, `K` and `N` (never on
    /// threads or machines), the ranges of `K = 1..N` cover `0..T` once
    /// each, and their sizes differ by at most one.
    pub fn range(&self, trials: u64) -> Range<u64> {
        let bound = |k: u32| (u128::from(trials) * u128::from(k) / u128::from(self.count)) as u64;
        bound(self.index - 1)..bound(self.index)
    }

    /// `03-of-16`: the index padded to the count's width, so that the
    /// partial files of one run sort in shard order.
    pub fn file_stem(&self) -> String {
        let width = self.count.to_string().len();
        format!("shard-{:0width$}-of-{}", self.index, self.count)
    }
}

impl std::fmt::Display for ShardSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// What `--shard` asked for: a shard given outright, or one to read from
/// the scheduler's environment (`auto`, `auto/N`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShardArg {
    Given(ShardSpec),
    Auto { count: Option<u32> },
}

impl ShardArg {
    /// Parses `K/N`, `auto` or `auto/N` (the clap value parser).
    pub fn parse(text: &str) -> Result<ShardArg, String> {
        let allowed = "expected K/N (shard K of N, numbered from 1, e.g. 3/8), auto, or auto/N";
        let (head, tail) = match text.trim().split_once('/') {
            Some((h, t)) => (h.trim(), Some(t.trim())),
            None => (text.trim(), None),
        };
        let number = |s: &str| s.parse::<u32>().map_err(|_| format!("`{text}`: {allowed}"));
        if head.eq_ignore_ascii_case("auto") {
            let count = tail.map(number).transpose()?;
            if let Some(n) = count {
                ShardSpec::new(1, n)?; // the count alone must be in range
            }
            return Ok(ShardArg::Auto { count });
        }
        let Some(tail) = tail else {
            return Err(format!("`{text}`: {allowed}"));
        };
        Ok(ShardArg::Given(ShardSpec::new(
            number(head)?,
            number(tail)?,
        )?))
    }

    /// The shard this process runs, and for `auto` the sentence saying
    /// where it came from.
    pub fn resolve(
        self,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<(ShardSpec, Option<String>), UserError> {
        match self {
            ShardArg::Given(spec) => Ok((spec, None)),
            ShardArg::Auto { count } => {
                let found = auto::detect(env, count)
                    .map_err(|e| UserError(format!("--shard auto: {e}")))?;
                Ok((found.spec, Some(found.source)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shards_cover_every_trial_once_in_order() {
        for trials in [0u64, 1, 7, 1000, 1001, 100_003] {
            for count in [1u32, 2, 3, 4, 7, 16] {
                let mut next = 0;
                for index in 1..=count {
                    let r = ShardSpec::new(index, count).unwrap().range(trials);
                    assert_eq!(r.start, next, "T={trials} N={count} K={index}");
                    assert!(r.end - r.start <= trials / u64::from(count) + 1);
                    next = r.end;
                }
                assert_eq!(next, trials);
            }
        }
    }

    #[test]
    fn the_split_is_the_documented_formula() {
        let s = ShardSpec::new(3, 4).unwrap();
        assert_eq!(s.range(10), 5..7);
        let big = ShardSpec::new(MAX_SHARDS, MAX_SHARDS).unwrap();
        assert_eq!(big.range(1_000_000_000_000).end, 1_000_000_000_000);
    }

    #[test]
    fn shard_arguments_parse_and_bad_ones_say_what_is_allowed() {
        assert_eq!(
            ShardArg::parse("3/8"),
            Ok(ShardArg::Given(ShardSpec { index: 3, count: 8 }))
        );
        assert_eq!(ShardArg::parse("auto"), Ok(ShardArg::Auto { count: None }));
        assert_eq!(
            ShardArg::parse("AUTO/16"),
            Ok(ShardArg::Auto { count: Some(16) })
        );
        for bad in ["3", "0/4", "5/4", "a/b", "3/0", "-1/4", "auto/0", ""] {
            let e = ShardArg::parse(bad).expect_err(bad);
            assert!(
                e.contains("expected") || e.contains("numbered"),
                "{bad}: {e}"
            );
        }
    }

    #[test]
    fn file_stems_sort_in_shard_order() {
        let stems: Vec<String> = (1..=12)
            .map(|k| ShardSpec::new(k, 12).unwrap().file_stem())
            .collect();
        let mut sorted = stems.clone();
        sorted.sort();
        assert_eq!(stems, sorted);
        assert_eq!(stems[2], "shard-03-of-12");
    }
}
