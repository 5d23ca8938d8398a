//! How much memory a run's statistics could need, estimated from the
//! scenario before anything is simulated, so that a run that would exhaust
//! the machine is refused at once with the size it would need.
//!
//! The statistics are one exact histogram per metric per cycle (and per
//! horizon metric), see [`crate::stats::Histogram`]: values `0..4096` in a
//! dense array sized by the largest value seen and by a budget of 8 slots
//! per record (at least 64), other values in a sorted map (about 40 bytes
//! per distinct value). A histogram never holds more distinct values than
//! trials, nor more than the values its metric can take, so the bound is,
//! per histogram, `8 × min(V + 1, 2 × max(64, 8 × trials), 4096) + 40 ×
//! min(trials, distinct values, V + 1 − 4096 + min(V + 1, 4096) / 8)`
//! with `V` a conservative largest value of the metric in one cycle (or over
//! the horizon), computed from the scenario: the demand's mean plus ten
//! standard deviations, times two with follow-ups, plus the cap and the
//! add-ons for credits. The dense term is 0 when the metric's least value
//! (the demand's mean minus ten standard deviations, for the demand, and
//! for blocked sends when nothing can be sent) is at least 4096; metrics of
//! features the scenario does not use (free sends, follow-ups, credits) are
//! 0; money takes one value per price and count of purchase units. Each
//! worker thread folds its own copy and rayon may hold a second one while
//! it merges (never more than the batches folded; for `run`, each holds at
//! most a round's trials); the run adds one for its total.
//!
//! tests/hardening.rs compares the estimate with the measured peak of real
//! runs: within 5 times on the shipped scenarios and on a century at
//! 10,000 InMails a day, on the `free` plan and on a paid one.

use crate::engine::{CYCLE_METRICS, HORIZON_METRICS, Metric};
use crate::error::UserError;
use crate::scenario::{AddonPolicy, Scenario, Volume};
use crate::stats::histogram::{DENSE_LIMIT, DENSE_MIN, DENSE_PER_RECORD, dense_budget};

/// The limit where the machine's memory is unknown (not Linux): 4 GiB.
/// Ordinary runs need far less: by this estimate a 12-month year of 100,000
/// trials needs about 10 MB per copy of the statistics, 100 years of 20
/// InMails a workday about 0.3 GiB.
pub const FALLBACK_LIMIT_BYTES: u64 = 4 << 30;

/// Runs whose statistics would need more than this are refused: half the
/// machine's physical memory (`MemTotal` in /proc/meminfo), else
/// [`FALLBACK_LIMIT_BYTES`].
pub fn limit_bytes() -> u64 {
    total_memory().map_or(FALLBACK_LIMIT_BYTES, |total| total / 2)
}

fn total_memory() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib.saturating_mul(1024))
}

/// Bytes of a sparse histogram entry (a hash-map slot and its share of the
/// map's spare capacity).
const SPARSE_ENTRY_BYTES: u64 = 40;
/// Bytes of a histogram with nothing in it.
const HISTOGRAM_BYTES: u64 = std::mem::size_of::<crate::stats::Histogram>() as u64;
/// Engine buffers per simulated day, per worker thread (arrivals, floor
/// window, refunds kept by lot).
const ENGINE_BYTES_PER_DAY: u64 = 256;

/// Each worker thread's engine buffers for `sc`, and the metrics its
/// statistics hold before recording them (`stats::BulkStats`: 16 trials'
/// cycles and totals).
fn engine_bytes(sc: &Scenario, threads: usize) -> u64 {
    let days = u64::from(sc.horizon.days()) * ENGINE_BYTES_PER_DAY;
    let held = crate::stats::BulkStats::bytes(sc.horizon.cycles.len());
    (days + held) * threads as u64
}

/// The largest values the metrics of one cycle can take.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Bounds {
    /// InMails of a cycle: demand, sends, responses, refunds, follow-ups.
    inmails: u64,
    /// Whether any send can be free (an Open Profile share above 0).
    free: bool,
    /// Whether follow-ups are sent.
    follow: bool,
    /// Whether the Recruiter response-rate floor can refuse a send.
    floor: bool,
    /// Whether a credit can ever exist (a plan grants some, or add-ons are
    /// bought): without one nothing is sent paid, refunded or kept.
    paid: bool,
    /// Credits of a cycle: balance, expiry, trim.
    credits: u64,
    /// The largest grant of a cycle (the team's monthly credits).
    grant: u64,
    /// Add-on credits bought in a cycle.
    purchases: u64,
    /// Add-on purchases of a cycle counted in their unit (a pack, or the
    /// monthly count): purchases come only in whole units.
    purchase_units: u64,
    /// Distinct prices a cycle of the subscription can have (each plan's,
    /// and 0 once cancelled).
    prices: u64,
    /// Days of a cycle that can be counted (floor-blocked seat-days).
    days: u64,
    /// Dearest cycle of the subscription, in cents.
    cycle_cents: u64,
    addon_cents: u64,
}

/// The demand's mean plus ten standard deviations (and a margin of 20): a
/// Poisson count, or a fixed one, that exceeds it has a chance below
/// 10⁻²⁰.
fn high(mean: f64) -> f64 {
    mean + 10.0 * mean.sqrt() + 20.0
}

/// The demand's mean minus ten standard deviations (and 20), at least 0.
fn low(mean: f64) -> f64 {
    (mean - 10.0 * mean.sqrt() - 20.0).max(0.0)
}

fn bounds(sc: &Scenario) -> Bounds {
    let seats = u64::from(sc.seats.count);
    // The most a cycle (at most 31 days, 23 workdays) can ask for on average.
    let mean = match sc.demand.volume {
        Volume::PerWorkday(x) => x * 23.0,
        Volume::PerWeek(x) => x * 31.0 / 7.0,
        Volume::PerCycle(x) => x,
    } * seats as f64;
    let demand = high(mean);
    let follow = if sc.follow_ups.is_some() { 2.0 } else { 1.0 };
    // A backlog carries blocked sends over; count them twice.
    let backlog = if sc.demand.backlog { 2.0 } else { 1.0 };
    let inmails = to_u64(demand * follow * backlog);
    let (purchases, unit) = match sc.addons.policy {
        AddonPolicy::Never => (0, 1),
        AddonPolicy::WhenEmpty {
            pack,
            max_per_month,
        } => {
            let most = inmails.saturating_mul(u64::from(pack));
            (max_per_month.map_or(most, |m| most.min(u64::from(m))), pack)
        }
        AddonPolicy::Monthly { per_month } => (u64::from(per_month), per_month),
    };
    let purchases = purchases * seats;
    let plans = std::iter::once(&sc.plan).chain(sc.plan_changes.iter().map(|c| &c.plan));
    let cap = plans.clone().map(|p| u64::from(p.cap)).max().unwrap_or(0);
    let monthly = plans
        .clone()
        .map(|p| u64::from(p.monthly_credits))
        .max()
        .unwrap_or(0);
    let price = plans
        .map(|p| p.price_monthly_cents.max(p.price_annual_cents).max(0) as u64)
        .max()
        .unwrap_or(0);
    Bounds {
        inmails,
        free: sc.open_profile.share > 0.0,
        follow: sc.follow_ups.is_some(),
        floor: sc.floor.is_some(),
        paid: monthly > 0 || purchases > 0,
        // Refunds can return a credit for every InMail sent.
        credits: (cap * seats)
            .saturating_add(purchases)
            .saturating_add(inmails),
        grant: monthly * seats,
        purchases,
        purchase_units: purchases / u64::from(unit.max(1)),
        prices: 2 + sc.plan_changes.len() as u64,
        days: 31 * seats,
        cycle_cents: price * seats,
        addon_cents: sc.addons.price_cents.max(0) as u64,
    }
}

/// The least demand a cycle of `len` days can have: its fewest send days
/// (Mon–Fri of its whole weeks, every day with weekends, §8.7) at the
/// volume's rate, for the whole team, less ten standard deviations.
fn demand_low(sc: &Scenario, len: u32) -> u64 {
    let weeks = f64::from(len / 7);
    let (send_days, per_day) = match sc.demand.volume {
        Volume::PerWorkday(m) if sc.demand.weekends => (f64::from(len), m * 5.0 / 7.0),
        Volume::PerWorkday(m) => (5.0 * weeks, m),
        Volume::PerWeek(w) if sc.demand.weekends => (f64::from(len), w / 7.0),
        Volume::PerWeek(w) => (5.0 * weeks, w / 5.0),
        // Spread over the cycle's send days: all of it once there is one.
        Volume::PerCycle(c) => (1.0, c),
    };
    let mean = if send_days >= 1.0 {
        send_days * per_day
    } else {
        0.0
    };
    to_u64(low(mean * f64::from(sc.seats.count)))
}

fn to_u64(x: f64) -> u64 {
    if x.is_finite() && x < 1e18 {
        x.max(0.0).ceil() as u64
    } else {
        u64::MAX / 4
    }
}

/// Bytes of one histogram of at most `trials` records of values in
/// `min..=max` taking at most `distinct` values. The dense array holds
/// values below the largest seen, within a budget set by the records
/// ([`dense_budget`]; its capacity at most twice that), so a metric that
/// never goes below [`DENSE_LIMIT`] has none and a few trials keep a few
/// slots; every other distinct value is a sparse entry.
fn histogram_bytes(r: Range, trials: u64) -> u64 {
    let dense = if r.min >= DENSE_LIMIT as u64 {
        0
    } else {
        let budget = 2 * dense_budget(trials) as u64;
        r.max.saturating_add(1).min(budget).min(DENSE_LIMIT as u64)
    };
    // Values at or above the dense limit are sparse; a value below it is
    // sparse only if it came while the budget (8 slots a slow record) was
    // below it, so fewer than one in 8 of them, and none below 64.
    let dense_range = r.max.saturating_add(1).min(DENSE_LIMIT as u64);
    let small = if dense_range > DENSE_MIN as u64 {
        dense_range / DENSE_PER_RECORD
    } else {
        0
    };
    let large = r.max.saturating_add(1).saturating_sub(DENSE_LIMIT as u64);
    let sparse = small.saturating_add(large).min(r.distinct).min(trials);
    HISTOGRAM_BYTES + 8 * dense + SPARSE_ENTRY_BYTES * sparse
}

/// What a metric's values can be: at least `min`, at most `max`, and at
/// most `distinct` different values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Range {
    min: u64,
    max: u64,
    distinct: u64,
}

/// The values of `metric` over `cycles` cycles whose least demand is
/// `demand_low`.
fn range(metric: Metric, b: &Bounds, cycles: u64, demand_low: u64) -> Range {
    use Metric::*;
    let n = |per_cycle: u64| per_cycle.saturating_mul(cycles);
    let counted = |max: u64| Range {
        min: 0,
        max,
        distinct: max.saturating_add(1),
    };
    let only_if = |on: bool, max: u64| counted(if on { max } else { 0 });
    match metric {
        Demand => Range {
            min: demand_low,
            ..counted(n(b.inmails))
        },
        // Nothing can be sent: every InMail demanded is blocked.
        Blocked if !b.paid && !b.free => Range {
            min: demand_low,
            ..counted(n(b.inmails))
        },
        Blocked => counted(n(b.inmails)),
        SentPaid | Refunds => only_if(b.paid, n(b.inmails)),
        Responses => only_if(b.paid || b.free, n(b.inmails)),
        SentFree => only_if(b.free, n(b.inmails)),
        FollowUps | FollowUpsReturned => only_if(b.follow, n(b.inmails)),
        Granted => counted(n(b.grant)),
        Purchased => counted(n(b.purchases)),
        Expired | Trimmed | EndBalance | Forfeited => only_if(b.paid, n(b.credits)),
        Exhausted => counted(1),
        FirstBlockedDay => counted(31),
        FloorBlockedDays => only_if(b.floor, n(b.days)),
        FloorRefused => only_if(b.floor, n(b.inmails)),
        MonthsExhausted | FirstExhaustedMonth => counted(cycles),
        // Money in cents: a value per number of purchase units and price.
        AddonSpend | PlanCost | TotalCost => {
            let purchases = n(b.purchases);
            let max = n(b.cycle_cents).saturating_add(purchases.saturating_mul(b.addon_cents));
            let units = n(b.purchase_units).saturating_add(1);
            Range {
                min: 0,
                max,
                distinct: units.saturating_mul(b.prices),
            }
        }
        // Any cent from 0 to the dearest total.
        CostPerResponse => {
            let max = n(b.cycle_cents).saturating_add(n(b.purchases).saturating_mul(b.addon_cents));
            counted(max)
        }
    }
}

/// Bytes of one copy of a run's statistics (`RunStats`) of at most `trials`
/// trials: every cycle's histograms (their least demand from that cycle's
/// length) and the horizon's.
pub fn statistics_bytes(sc: &Scenario, trials: u64) -> u64 {
    let b = bounds(sc);
    let mut total = 0u64;
    let mut horizon_low = 0u64;
    for cycle in &sc.horizon.cycles {
        let low = demand_low(sc, cycle.len);
        horizon_low = horizon_low.saturating_add(low);
        for m in CYCLE_METRICS {
            total = total.saturating_add(histogram_bytes(range(m, &b, 1, low), trials));
        }
    }
    let cycles = u64::from(sc.months);
    for m in HORIZON_METRICS {
        let r = range(m, &b, cycles, horizon_low);
        total = total.saturating_add(histogram_bytes(r, trials));
    }
    total
}

/// Copies of the statistics a run holds at once: one per fold of a worker
/// thread and one more while rayon merges two (at most two per thread, and
/// never more than the batches of trials, each folded into one), and the
/// run's total.
fn copies(trials: u64, threads: usize) -> u64 {
    let batches = trials.div_ceil(super::BATCH_TRIALS).max(1);
    (2 * threads as u64).min(batches) + 1
}

/// Bytes a run of the scenarios side by side (one for `run`, several for
/// `compare`) on `threads` threads could need: the copies of the
/// statistics, plus each thread's engine buffers.
pub fn run_bytes(scenarios: &[&Scenario], trials: u64, threads: usize) -> u64 {
    let copies = copies(trials, threads);
    scenarios
        .iter()
        .map(|sc| {
            let engine = engine_bytes(sc, threads);
            statistics_bytes(sc, trials)
                .saturating_mul(copies)
                .saturating_add(engine)
        })
        .fold(0, u64::saturating_add)
}

/// Bytes `run` (without `--precision`) could need: it simulates in rounds
/// of [`super::ROUND_BATCHES_PER_THREAD`] batches per thread, so a fold
/// copy holds at most one round's trials and only the total holds them
/// all.
pub fn rounds_bytes(sc: &Scenario, trials: u64, threads: usize) -> u64 {
    let round = (super::BATCH_TRIALS * super::ROUND_BATCHES_PER_THREAD * threads as u64)
        .min(trials)
        .max(1);
    let folds = copies(round, threads) - 1;
    let engine = engine_bytes(sc, threads);
    statistics_bytes(sc, trials)
        .saturating_add(statistics_bytes(sc, round).saturating_mul(folds))
        .saturating_add(engine)
}

/// Like [`check`] for `run` without `--precision` (see [`rounds_bytes`]).
pub fn check_run(sc: &Scenario, trials: u64, threads: usize) -> Result<(), UserError> {
    refuse_above(rounds_bytes(sc, trials, threads))
}

/// The threads a run will use: `--threads`, else every core up to
/// [`super::MAX_THREADS`]. Every pool is built with this count, so the
/// memory it is checked against is the memory it takes (rayon's own
/// default would also read `RAYON_NUM_THREADS`, which this check did not).
pub fn threads(requested: Option<usize>) -> usize {
    requested.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(super::MAX_THREADS)
    })
}

/// Refuses a run that would need more than [`limit_bytes`] (exit code 2).
pub fn check(scenarios: &[&Scenario], trials: u64, threads: usize) -> Result<(), UserError> {
    check_with(scenarios, trials, threads, 0)
}

/// Like [`check`], with `kept` more bytes held beside the statistics for
/// the whole run (a sweep's results of every grid point).
pub fn check_with(
    scenarios: &[&Scenario],
    trials: u64,
    threads: usize,
    kept: u64,
) -> Result<(), UserError> {
    refuse_above(run_bytes(scenarios, trials, threads).saturating_add(kept))
}

/// Refuses (exit code 2) a need above [`limit_bytes`].
fn refuse_above(need: u64) -> Result<(), UserError> {
    let limit = limit_bytes();
    if need <= limit {
        return Ok(());
    }
    Err(UserError(format!(
        "this run would need about {} of memory for its statistics (the limit is {}): \
         reduce months, trials (or --max-trials), demand or seats, or run with fewer --threads",
        size(need),
        size(limit)
    )))
}

/// A size in the unit that reads best: MiB below 1 GiB, else GiB; one
/// decimal below 10 of the unit.
pub fn size(bytes: u64) -> String {
    let (value, unit) = if bytes >= 1 << 30 {
        (bytes as f64 / f64::from(1u32 << 30), "GiB")
    } else {
        (bytes as f64 / f64::from(1u32 << 20), "MiB")
    };
    if value >= 10.0 {
        format!("{value:.0} {unit}")
    } else {
        format!("{value:.1} {unit}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Overrides, parse};
    use std::path::Path;

    fn scenario(extra: &str, demand: &str) -> Scenario {
        let text = format!("{extra}\n[plan]\nid = \"sales_navigator_core\"\n[demand]\n{demand}\n");
        parse(&text, Path::new("m.toml"), &Overrides::default()).unwrap()
    }

    #[test]
    fn a_year_of_ordinary_demand_needs_about_ten_megabytes_per_copy() {
        let sc = scenario("", "per_workday = 20");
        let copy = statistics_bytes(&sc, 100_000);
        assert!(copy < 16 << 20, "{copy}");
        let bytes = run_bytes(&[&sc], 100_000, 8);
        assert!(bytes < 17 * copy + (1 << 20), "{bytes}");
        assert!(limit_bytes() >= 100 << 20);
        assert!(check(&[&sc], 100_000, 8).is_ok());
    }

    #[test]
    fn a_century_of_the_largest_demand_is_refused_with_its_size() {
        let sc = scenario("months = 1200", "per_cycle = 310000");
        // Hundreds of GiB: more than half of any machine this runs on.
        let e = check(&[&sc], 10_000_000, 2).unwrap_err().0;
        assert!(
            e.starts_with("this run would need about ") && e.contains(" GiB of memory"),
            "{e}"
        );
    }

    #[test]
    fn the_estimate_grows_with_months_trials_and_threads_and_is_capped_by_trials() {
        let year = scenario("", "per_cycle = 100000");
        let decade = scenario("months = 120", "per_cycle = 100000");
        assert!(statistics_bytes(&decade, 1000) > 9 * statistics_bytes(&year, 1000));
        assert!(statistics_bytes(&year, 100_000) > statistics_bytes(&year, 1000));
        assert!(run_bytes(&[&year], 1000, 4) > run_bytes(&[&year], 1000, 1));
        // A single trial holds at most one value per histogram.
        let one = statistics_bytes(&year, 1);
        let per_histogram = HISTOGRAM_BYTES + 8 * DENSE_LIMIT as u64 + SPARSE_ENTRY_BYTES;
        let histograms = (12 * CYCLE_METRICS.len() + HORIZON_METRICS.len()) as u64;
        assert!(one <= per_histogram * histograms, "{one}");
    }

    #[test]
    fn a_dense_histogram_is_sized_by_its_largest_value() {
        let r = |min, max, distinct| Range { min, max, distinct };
        assert_eq!(
            histogram_bytes(r(0, 9, 10), 1_000_000),
            HISTOGRAM_BYTES + 80
        );
        // A few trials keep a few dense slots: 20 records, 2 x 160.
        assert_eq!(
            histogram_bytes(r(0, 1 << 40, 1 << 40), 20),
            HISTOGRAM_BYTES + 8 * 320 + SPARSE_ENTRY_BYTES * 20
        );
        assert_eq!(
            histogram_bytes(r(0, 1 << 40, 1 << 40), 1000),
            HISTOGRAM_BYTES + 8 * DENSE_LIMIT as u64 + SPARSE_ENTRY_BYTES * 1000
        );
        // Values that never fall below the dense limit need no dense array.
        assert_eq!(
            histogram_bytes(r(5000, 1 << 40, 1 << 40), 1000),
            HISTOGRAM_BYTES + SPARSE_ENTRY_BYTES * 1000
        );
    }

    #[test]
    fn the_least_demand_of_a_cycle_counts_its_whole_weeks() {
        let sc = scenario("", "per_workday = 10000");
        // 4 whole weeks: 20 workdays of 10,000, less 10 sd and 20.
        let want = 200_000.0 - 10.0 * 200_000f64.sqrt() - 20.0;
        assert_eq!(demand_low(&sc, 28), want.ceil() as u64);
        assert_eq!(demand_low(&sc, 6), 0);
        let sc = scenario("", "per_cycle = 100");
        assert_eq!(demand_low(&sc, 1), 0, "100 - 10 sd - 20 is below 0");
    }

    #[test]
    fn sizes_are_printed_in_mebibytes_below_a_gibibyte() {
        assert_eq!(size(24 << 20), "24 MiB");
        assert_eq!(size(3 << 19), "1.5 MiB");
        assert_eq!(size(3 << 29), "1.5 GiB");
        assert_eq!(size(1004 << 30), "1004 GiB");
    }
}
