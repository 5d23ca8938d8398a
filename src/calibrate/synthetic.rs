//! Synthetic histories with a known truth, for the calibration tests and
//! the shipped example `scenarios/calibrate/history.csv`.
//!
//! Each InMail is sent on a day drawn uniformly from the `span_days` days
//! before the as-of date (the as-of day included); it is answered with
//! probability `p`, after `D = max(1, ceil(X))` days with `X` lognormal of
//! the given median and 90th percentile (credit-rules §4c, the simulator's
//! own delay), and the answer is in the history only if it came by the
//! as-of date. An answer is a decline with probability `declines_share`.

use std::io::Write;

use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, LogNormal};
use rand_xoshiro::Xoshiro256PlusPlus;

use super::history::{History, Message};
use crate::calendar::Date;
use crate::sampling::delay::Z_090;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SyntheticSpec {
    pub messages: usize,
    pub p: f64,
    pub median_days: f64,
    pub p90_days: f64,
    /// Sent dates spread uniformly over this many days up to the as-of date.
    pub span_days: u32,
    pub as_of: Date,
    pub declines_share: f64,
    /// Seats named `seat-1` … in turn.
    pub seats: u32,
}

impl SyntheticSpec {
    /// 200 InMails sent over the 14 days up to `as_of` (true rate 20%,
    /// delay median 2 days, 90th percentile 12): drawn with seed 1001, the
    /// likelihood stays flat up to a rate of 1, the young history whose
    /// rate the data do not bound from above (the tests of that case).
    pub fn young(as_of: Date) -> SyntheticSpec {
        SyntheticSpec {
            messages: 200,
            p: 0.2,
            median_days: 2.0,
            p90_days: 12.0,
            span_days: 14,
            as_of,
            declines_share: 0.0,
            seats: 1,
        }
    }
}

/// The shipped example `scenarios/calibrate/history.csv`: 400 InMails sent
/// over 300 days up to 2026-11-28 from two seats, true rate 0.17, delay
/// lognormal with median 2.5 days and p90 15, a quarter of answers
/// declines. `cargo run --example synthetic_history` writes it again
/// (with [`EXAMPLE_SEED`]); a test checks the file is exactly that.
pub fn example_spec() -> SyntheticSpec {
    SyntheticSpec {
        messages: 400,
        p: 0.17,
        median_days: 2.5,
        p90_days: 15.0,
        span_days: 300,
        as_of: Date {
            year: 2026,
            month: 11,
            day: 28,
        },
        declines_share: 0.25,
        seats: 2,
    }
}

/// The seed of the shipped example.
pub const EXAMPLE_SEED: u64 = 20;

/// One generated InMail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyntheticRow {
    pub sent: Date,
    pub replied: Option<Date>,
    /// Meaningful only when answered.
    pub declined: bool,
    pub seat: u32,
}

/// Generates the rows, sorted by sent date; the same spec and seed give
/// the same rows.
pub fn generate(spec: &SyntheticSpec, seed: u64) -> Vec<SyntheticRow> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let sigma = (spec.p90_days / spec.median_days).ln() / Z_090;
    let delay = LogNormal::new(spec.median_days.ln(), sigma)
        .expect("median and p90 give a valid lognormal");
    let end = spec.as_of.to_epoch_days();
    let mut rows: Vec<SyntheticRow> = (0..spec.messages)
        .map(|i| {
            let age = rng.random_range(0..spec.span_days.max(1));
            let sent = end - i64::from(age);
            let answers = rng.random::<f64>() < spec.p;
            let days = delay.sample(&mut rng).ceil().max(1.0);
            let declined = rng.random::<f64>() < spec.declines_share;
            let replied = (answers && days <= f64::from(age))
                .then(|| Date::from_epoch_days(sent + days as i64));
            SyntheticRow {
                sent: Date::from_epoch_days(sent),
                replied,
                declined,
                seat: (i as u32) % spec.seats.max(1) + 1,
            }
        })
        .collect();
    rows.sort_by_key(|r| r.sent);
    rows
}

/// The history the reader would make of these rows (without the CSV).
pub fn to_history(rows: &[SyntheticRow], as_of: Date) -> History {
    let days = |a: Date, b: Date| (b.to_epoch_days() - a.to_epoch_days()) as u32;
    let messages: Vec<Message> = rows
        .iter()
        .map(|r| Message {
            age: days(r.sent, as_of),
            delay: r.replied.map(|d| days(r.sent, d).max(1)),
            declined: r.replied.map(|_| r.declined),
        })
        .filter(|m| m.age > 0 || m.delay.is_some())
        .collect();
    History {
        as_of,
        first_sent: rows.iter().map(|r| r.sent).min().unwrap_or(as_of),
        last_sent: rows.iter().map(|r| r.sent).max().unwrap_or(as_of),
        too_young: rows.len() - messages.len(),
        messages,
        seats: None,
        window: None,
    }
}

/// Writes the rows as a history CSV with the default column names
/// (`id,sent,replied,outcome,seat`).
pub fn write_csv(rows: &[SyntheticRow], out: impl Write) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["id", "sent", "replied", "outcome", "seat"])?;
    for (i, r) in rows.iter().enumerate() {
        let replied = r.replied.map(|d| d.to_string()).unwrap_or_default();
        let outcome = match (r.replied, r.declined) {
            (None, _) => "",
            (Some(_), true) => "declined",
            (Some(_), false) => "accepted",
        };
        let id = format!("m{:05}", i + 1);
        let seat = format!("seat-{}", r.seat);
        w.write_record([id.as_str(), &r.sent.to_string(), &replied, outcome, &seat])?;
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calibrate::history::{ReadOptions, parse};

    fn spec() -> SyntheticSpec {
        SyntheticSpec {
            messages: 300,
            p: 0.3,
            median_days: 2.0,
            p90_days: 12.0,
            span_days: 60,
            as_of: Date::parse("2026-11-28").unwrap(),
            declines_share: 0.4,
            seats: 3,
        }
    }

    #[test]
    fn the_written_csv_reads_back_as_the_same_history() {
        let rows = generate(&spec(), 11);
        let mut csv = Vec::new();
        write_csv(&rows, &mut csv).unwrap();
        let options = ReadOptions {
            as_of: Some(spec().as_of),
            ..ReadOptions::default()
        };
        let read = parse(std::str::from_utf8(&csv).unwrap(), &options).unwrap();
        let direct = to_history(&rows, spec().as_of);
        assert_eq!(read.messages, direct.messages);
        assert_eq!((read.too_young, read.seats), (direct.too_young, Some(3)));
        assert!(direct.messages.iter().any(|m| m.declined == Some(true)));
    }

    #[test]
    fn the_shipped_example_is_what_the_generator_writes() {
        let mut csv = Vec::new();
        write_csv(&generate(&example_spec(), EXAMPLE_SEED), &mut csv).unwrap();
        let shipped = include_str!("../../scenarios/calibrate/history.csv");
        assert!(
            String::from_utf8(csv).unwrap() == shipped,
            "regenerate it: see its README.md"
        );
    }

    #[test]
    fn generation_is_seeded_and_answers_only_by_the_as_of_date() {
        let s = spec();
        assert_eq!(generate(&s, 5), generate(&s, 5));
        assert_ne!(generate(&s, 5), generate(&s, 6));
        let rows = generate(&s, 5);
        let first = s.as_of.to_epoch_days() - i64::from(s.span_days) + 1;
        for r in &rows {
            assert!((first..=s.as_of.to_epoch_days()).contains(&r.sent.to_epoch_days()));
            if let Some(d) = r.replied {
                assert!(d > r.sent && d <= s.as_of, "{r:?}");
            }
        }
        let answered = rows.iter().filter(|r| r.replied.is_some()).count();
        assert!(answered > 0 && answered < rows.len());
    }
}
