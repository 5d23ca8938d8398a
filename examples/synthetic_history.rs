//! Writes the synthetic history `scenarios/calibrate/history.csv` to
//! standard output, from `calibrate::synthetic::example_spec()` and
//! `EXAMPLE_SEED` (see that folder's README.md for the truth behind it):
//!
//! ```text
//! cargo run --example synthetic_history > scenarios/calibrate/history.csv
//! ```

use inmail_sim::calibrate::synthetic::{EXAMPLE_SEED, example_spec, generate, write_csv};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let rows = generate(&example_spec(), EXAMPLE_SEED);
    write_csv(&rows, std::io::stdout().lock())?;
    Ok(())
}
