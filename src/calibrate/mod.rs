//! `calibrate` (issue 20): the reply rate and the reply delay fitted from a
//! history of sent InMails, with the InMails not answered *yet* counted as
//! such rather than as failures.
//!
//! - [`history`] reads and checks the history CSV ([`dates`] its dates);
//! - [`fit`] fits the rate and a lognormal delay jointly by censored
//!   maximum likelihood ([`optimise`] holds the numerical tools), with a
//!   profile-likelihood interval for the rate ([`interval`]);
//! - `model` holds what both share: the history grouped by day and the
//!   lognormal delay;
//! - [`table`] gives the nonparametric delay table and its distance from
//!   the lognormal;
//! - [`snippet`] turns a fit into the scenario's `rate` and `[delay]`
//!   forms and a TOML snippet;
//! - [`summary`] says a fit in plain words;
//! - [`synthetic`] generates histories with a known truth (tests, and
//!   `scenarios/calibrate/history.csv`).

pub mod dates;
pub mod error;
pub mod fit;
pub mod history;
mod interval;
mod model;
pub mod optimise;
pub mod snippet;
pub mod summary;
pub mod synthetic;
pub mod table;

pub use error::{HistoryError, HistoryProblem};
pub use fit::{Fit, FitError, fit};
pub use history::{Columns, History, Message, ReadOptions};
