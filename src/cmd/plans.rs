//! `inmail-sim plans`: the catalog of credit-rules.md §2 as a table, with
//! what can be bought today (add-on credits, pooled seats) and, under it,
//! the source and as-of date of every value.

use crate::scenario::catalog::{AddonSale, CATALOG};
use crate::stats::{ValueScale, format_value};
use std::io::Write;

pub fn plans() -> anyhow::Result<()> {
    super::print(false, |out| {
        table(out)?;
        sources(out)
    })
}

fn table(out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "{:<32} {:>7} {:>5} {:>7} {:<12} {:>9} {:>9}  {:<7} pooled",
        "id", "credits", "cap", "expiry", "renewal", "$/month", "annual/mo", "add-ons"
    )?;
    for p in CATALOG {
        let expiry = p
            .expiry_days
            .map_or("none".to_string(), |d| format!("{d}d"));
        let renewal = format!("{:?}", p.renewal).to_lowercase();
        writeln!(
            out,
            "{:<32} {:>7} {:>5} {:>7} {:<12} {:>9} {:>9}  {:<7} {}",
            p.id,
            p.monthly_credits,
            p.cap,
            expiry,
            renewal,
            format_value(p.price_monthly_cents, ValueScale::Cents),
            format_value(p.price_annual_cents, ValueScale::Cents),
            p.addons_words(),
            if p.pooled { "yes" } else { "no" },
        )?;
    }
    writeln!(
        out,
        "\nPrices are public list prices in USD (2024-2026), defaults only: override them in [plan]."
    )?;
    writeln!(
        out,
        "add-ons: whether add-on InMail credits can be bought today; a scenario that buys them on a\n\
         plan that sells none still runs, as a what-if, and every output says so.\n\
         pooled: whether the seats share one pool of credits by default (plan.pooled overrides it)."
    )
}

/// Every plan's sources, one line per kind of value: "as of" is the latest
/// date the sources are known to state the value.
fn sources(out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "\nSources (as of):")?;
    for p in CATALOG {
        writeln!(out, "{}", p.id)?;
        let addons = match p.addons {
            AddonSale::NotSold { .. } => "not sold today".to_string(),
            AddonSale::Sold { .. } => p.addons_words(),
        };
        let rows = [
            ("credits, cap, expiry, renewal", p.source, String::new()),
            ("prices", p.price_source, String::new()),
            ("add-ons", p.addons_source, addons),
            ("pooled seats", p.pooled_source, String::new()),
        ];
        for (what, source, said) in rows {
            let said = if said.is_empty() {
                String::new()
            } else {
                format!("{said}; ")
            };
            writeln!(out, "  {what:<30} {said}{} ({})", source.text, source.as_of)?;
        }
    }
    Ok(())
}
