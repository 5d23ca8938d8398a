//! Exact, mergeable per-metric statistics for the simulator.
//!
//! Every metric a trial produces is an integer (a count of credits, or money
//! in cents) or "none" (e.g. "first blocked day" for a trial never blocked).
//! This module owns:
//!
//! - [`Histogram`]: an exact integer histogram (value -> count). Merging adds
//!   integer counts, so it is commutative and associative and the result does
//!   not depend on how rayon split or grouped the trials. Memory is bounded by
//!   the number of distinct values, never by the number of records.
//! - [`Summary`]: n, mean, sample sd, standard error, normal 95% CI of the
//!   mean, type-1 quantiles (p5/p25/p50/p75/p95), min and max, all derived
//!   from a histogram's exact counts.
//! - [`format_value`] / [`format_f64`]: deterministic text for CSV output
//!   (counts as integers, cents as dollars), never printing "-0".
//!
//! Quantiles are type 1 (inverse empirical CDF): the p-quantile is the
//! smallest recorded value whose cumulative count reaches ceil(p * n), with
//! the rank computed in integers. See [`summary`] for details.

pub mod floor;
pub mod histogram;
pub mod run;
pub mod summary;

pub use histogram::Histogram;
pub use run::{BulkStats, RunStats};
pub use summary::{
    NA, Summary, ValueScale, chance_interval, few_trials_note, format_f64, format_value,
    noting_few_trials,
};
