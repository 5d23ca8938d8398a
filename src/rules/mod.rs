//! The credit rules as plain deterministic code: every rule of
//! credit-rules.md §3–§5 and §8 that decides what happens to credits, in
//! one place. No random numbers and no I/O here — the engine decides
//! *when* things happen and draws who responds; the rules say what that
//! does, and their tests are hand-worked. Every engine path (`engine`'s
//! reference engine, and the fast engine's day-by-day, lean and counted
//! cycles) calls these functions, so the paths differ only in how they
//! draw and batch, never in what a rule means.
//!
//! §4, one day, step by step, and where each step's rule lives:
//!
//! 1. Expire lots whose day has come: [`Ledger::expire_through`]; a lot's
//!    day is [`Expiry::after`] its creation (with lots of one lifetime,
//!    counted as two totals: [`fifo::expired`]).
//! 2. Renewal: trim over the cap, then grant: [`Renewal::of`] (applied
//!    by [`Ledger::renew`]); a `monthly` add-on purchase after it:
//!    [`addons::at_renewal`].
//! 3. Responses arriving today refund: whether one does,
//!    [`refund::refunds`]; into which lot, [`refund::refund_lot`].
//! 4. Sends, one InMail at a time:
//!    - a. free to an Open Profile while the cycle's allowance has room:
//!      [`open_profile::free_left`];
//!    - b. otherwise a credit, soonest-expiring first ([`Ledger::spend`];
//!      as two totals, [`fifo::sendable`]),
//!      a `when_empty` pack bought first if the balance is 0:
//!      [`addons::before_send`] (for a run of sends at once,
//!      [`addons::bought_for_run`]);
//!    - c. its response and refund as in step 3; its follow-up (§5):
//!      [`follow_up::charged_at_send`], [`follow_up::follow_up`];
//!    - every send is open only while the Recruiter response-rate floor
//!      allows it (§5, Help 413271): [`ResponseFloor`].
//! 5. End of a cycle: the metrics, kept by `engine::books`.
//!
//! The order of these steps is written once, in `engine::day`, which
//! every engine path runs its days through.

pub mod addons;
pub mod fifo;
pub mod follow_up;
mod ledger;
pub mod open_profile;
pub mod refund;
mod renewal;
pub mod response_floor;

pub use ledger::{Expiry, Ledger};
pub use renewal::Renewal;
pub use response_floor::ResponseFloor;
