//! Helpers shared by the invariant, statistical and determinism tests.

#![allow(dead_code)] // Each test binary uses its own subset.

use inmail_sim::engine::Model;
use inmail_sim::scenario::{Overrides, Scenario, parse};
use std::path::Path;

/// Parses scenario text; a test scenario that does not validate is a bug in
/// the test or in validation, so the error is shown with the text.
pub fn scenario(text: &str) -> Scenario {
    parse(text, Path::new("test.toml"), &Overrides::default())
        .unwrap_or_else(|e| panic!("the test scenario is invalid: {e}\n---\n{text}"))
}

pub fn model(text: &str) -> Model {
    Model::new(scenario(text))
}
