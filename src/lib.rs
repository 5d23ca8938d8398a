//! inmail-sim: a Monte Carlo simulator of LinkedIn InMail credit budgets.
//!
//! The library holds everything testable and benchable; `main.rs` only
//! turns the command line into calls here. The model is credit-rules.md:
//! `scenario` reads it from TOML, `rules` keeps the credit ledger, `engine`
//! runs one trial day by day, `runner` runs many in parallel into `stats`,
//! and `export` writes the CSVs.

pub mod calendar;
pub mod calibrate;
pub mod charts;
pub mod cli;
pub mod cmd;
pub mod compare;
pub mod decide;
pub mod engine;
pub mod error;
pub mod export;
pub mod html;
pub mod interrupt;
pub mod metrics;
pub mod numbers;
pub mod precision;
pub mod rules;
pub mod runner;
pub mod safe_text;
pub mod sampling;
pub mod scenario;
pub mod sensitivity;
pub mod shard;
pub mod shipped;
pub mod stats;
pub mod sweep;
pub mod terminal;
