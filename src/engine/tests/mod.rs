//! Test-only timelines of whole trials, worked by hand, and the helpers
//! that run a scenario's text through both engines (`timelines`).

pub mod timelines;
mod timelines_rules;
