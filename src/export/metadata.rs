//! `metadata.csv`: what was run — scenario, file hash, seed, trials, months,
//! tool version, and whether Ctrl-C cut it short (`partial`) — as
//! `key,value` rows. `threads` and `wall_time_seconds`
//! describe this particular run; every other row is reproducible.

use super::{Exporter, RunReport, csv_error};
use crate::scenario::Billing;
use std::io::{self, Write};
use std::time::Duration;

/// Facts about a run that are not statistics.
#[derive(Debug, Clone)]
pub struct RunMetadata {
    pub scenario_file: String,
    /// SHA-256 of the scenario file's bytes, in hex (`sha256sum` prints the same).
    pub scenario_sha256: String,
    pub threads: usize,
    pub wall_time: Duration,
    /// Stopped by Ctrl-C with `--keep-partial`: `trials` is the trials
    /// completed (always `0..trials`).
    pub partial: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct MetadataCsv;

impl Exporter for MetadataCsv {
    fn file_name(&self) -> &'static str {
        "metadata.csv"
    }

    fn write(&self, report: &RunReport<'_>, out: &mut dyn Write) -> io::Result<()> {
        let sc = report.scenario;
        let meta = report.metadata;
        let billing = match sc.billing {
            Billing::Monthly => "monthly",
            Billing::Annual => "annual",
        };
        let rows: [(&str, String); 15] = [
            ("scenario_name", sc.name.clone()),
            ("scenario_description", sc.description.clone()),
            ("scenario_file", meta.scenario_file.clone()),
            ("scenario_sha256", meta.scenario_sha256.clone()),
            ("seed", sc.seed.to_string()),
            ("trials", report.stats.trials.to_string()),
            ("partial", meta.partial.to_string()),
            ("months", sc.months.to_string()),
            ("start_date", sc.start.to_string()),
            ("plan_id", sc.plan.id.clone()),
            ("billing", billing.to_string()),
            ("tool", env!("CARGO_PKG_NAME").to_string()),
            ("tool_version", env!("CARGO_PKG_VERSION").to_string()),
            ("threads", meta.threads.to_string()),
            (
                "wall_time_seconds",
                format!("{:.3}", meta.wall_time.as_secs_f64()),
            ),
        ];
        let mut w = csv::Writer::from_writer(out);
        w.write_record(["key", "value"]).map_err(csv_error)?;
        for (key, value) in rows {
            w.write_record([key, value.as_str()]).map_err(csv_error)?;
        }
        w.flush()
    }
}

/// Hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn sha256_matches_the_standard_test_vector() {
        assert_eq!(
            super::sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
