//! `inmail-sim plans`: the catalog of credit-rules.md §2 as a table.

use crate::scenario::catalog::CATALOG;
use crate::stats::{ValueScale, format_value};
use std::io::Write;

pub fn plans() -> anyhow::Result<()> {
    super::print(false, table)
}

fn table(out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "{:<32} {:>7} {:>5} {:>7} {:<12} {:>9} {:>9}  source",
        "id", "credits", "cap", "expiry", "renewal", "$/month", "annual/mo"
    )?;
    for p in CATALOG {
        let expiry = p
            .expiry_days
            .map_or("none".to_string(), |d| format!("{d}d"));
        let renewal = format!("{:?}", p.renewal).to_lowercase();
        writeln!(
            out,
            "{:<32} {:>7} {:>5} {:>7} {:<12} {:>9} {:>9}  {}",
            p.id,
            p.monthly_credits,
            p.cap,
            expiry,
            renewal,
            format_value(p.price_monthly_cents, ValueScale::Cents),
            format_value(p.price_annual_cents, ValueScale::Cents),
            p.source
        )?;
    }
    writeln!(
        out,
        "\nPrices are public list prices in USD (2024-2026), defaults only: override them in [plan]."
    )?;
    Ok(())
}
