//! The credit rules as plain deterministic code (credit-rules.md §3): lots
//! with expiry, grant with cap and trim, spending soonest-expiring first,
//! refunds, purchases. No random numbers here — the engine decides *what*
//! happens, the ledger does the bookkeeping, and its tests are hand-worked.

mod ledger;

pub use ledger::{Expiry, Ledger};
