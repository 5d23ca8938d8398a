//! How much memory a run's statistics could need, estimated from the
//! scenario before anything is simulated, so that a run that would exhaust
//! the machine is refused at once with the size it would need.
//!
//! The statistics are one exact histogram per metric per cycle (and per
//! horizon metric), see [`crate::stats::Histogram`]: values `0..4096` in a
//! dense array sized by the largest value seen, other values in a sorted map
//! (about 40 bytes per distinct value). A histogram never holds more
//! distinct values than trials, nor more than the values its metric can
//! take, so the bound is, per histogram,
//! `8 × min(V + 1, 4096) + 40 × min(trials, V + 1 − 4096)`
//! with `V` a conservative largest value of the metric in one cycle (or over
//! the horizon), computed from the scenario: the demand's mean plus ten
//! standard deviations, times two with follow-ups, plus the cap and the
//! add-ons for credits. Each worker thread folds its own copy and rayon may
//! hold a second one while it merges; the run adds one for its total.

use crate::engine::{CYCLE_METRICS, HORIZON_METRICS, Metric};
use crate::error::UserError;
use crate::scenario::{AddonPolicy, Scenario, Volume};
use crate::stats::histogram::DENSE_LIMIT;

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

/// Bytes of a sparse histogram entry (a B-tree slot and its share of nodes).
const SPARSE_ENTRY_BYTES: u64 = 40;
/// Bytes of a histogram with nothing in it.
const HISTOGRAM_BYTES: u64 = std::mem::size_of::<crate::stats::Histogram>() as u64;
/// Engine buffers per simulated day, per worker thread (arrivals, floor
/// window, refunds kept by lot).
const ENGINE_BYTES_PER_DAY: u64 = 256;

/// The largest values the metrics of one cycle can take.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Bounds {
    /// InMails of a cycle: demand, sends, responses, refunds, follow-ups.
    inmails: u64,
    /// Credits of a cycle: balance, grant, expiry, trim.
    credits: u64,
    /// Add-on purchases of a cycle (so also distinct add-on costs).
    purchases: u64,
    /// Days of a cycle that can be counted (floor-blocked seat-days).
    days: u64,
    /// Dearest cycle of the subscription, in cents.
    cycle_cents: u64,
    addon_cents: u64,
}

fn bounds(sc: &Scenario) -> Bounds {
    let seats = u64::from(sc.seats.count);
    // The most a cycle (at most 31 days, 23 workdays) can ask for on average.
    let mean = match sc.demand.volume {
        Volume::PerWorkday(x) => x * 23.0,
        Volume::PerWeek(x) => x * 31.0 / 7.0,
        Volume::PerCycle(x) => x,
    } * seats as f64;
    let demand = mean + 10.0 * mean.sqrt() + 20.0;
    let follow = if sc.follow_ups.is_some() { 2.0 } else { 1.0 };
    // A backlog carries blocked sends over; count them twice.
    let backlog = if sc.demand.backlog { 2.0 } else { 1.0 };
    let inmails = to_u64(demand * follow * backlog);
    let purchases = match sc.addons.policy {
        AddonPolicy::Never => 0,
        AddonPolicy::WhenEmpty {
            pack,
            max_per_month,
        } => {
            let most = inmails.saturating_mul(u64::from(pack));
            max_per_month.map_or(most, |m| most.min(u64::from(m)))
        }
        AddonPolicy::Monthly { per_month } => u64::from(per_month),
    } * seats;
    let plans = std::iter::once(&sc.plan).chain(sc.plan_changes.iter().map(|c| &c.plan));
    let cap = plans.clone().map(|p| u64::from(p.cap)).max().unwrap_or(0);
    let price = plans
        .map(|p| p.price_monthly_cents.max(p.price_annual_cents).max(0) as u64)
        .max()
        .unwrap_or(0);
    Bounds {
        inmails,
        credits: (cap * seats)
            .saturating_add(purchases)
            .saturating_add(inmails),
        purchases,
        days: 31 * seats,
        cycle_cents: price * seats,
        addon_cents: sc.addons.price_cents.max(0) as u64,
    }
}

fn to_u64(x: f64) -> u64 {
    if x.is_finite() && x < 1e18 {
        x.max(0.0).ceil() as u64
    } else {
        u64::MAX / 4
    }
}

/// Bytes of one histogram of at most `trials` records of values in `0..=max`
/// taking at most `distinct` values.
fn histogram_bytes(max: u64, distinct: u64, trials: u64) -> u64 {
    let dense = max.saturating_add(1).min(DENSE_LIMIT as u64);
    let sparse = distinct
        .min(max.saturating_add(1).saturating_sub(DENSE_LIMIT as u64))
        .min(trials);
    HISTOGRAM_BYTES + 8 * dense + SPARSE_ENTRY_BYTES * sparse
}

/// Largest value and number of distinct values of `metric` over `cycles`
/// cycles.
fn range(metric: Metric, b: &Bounds, cycles: u64) -> (u64, u64) {
    use Metric::*;
    let n = |per_cycle: u64| per_cycle.saturating_mul(cycles);
    let counted = |max: u64| (max, max.saturating_add(1));
    match metric {
        Demand | SentPaid | SentFree | Blocked | Responses | Refunds | FollowUps
        | FollowUpsReturned => counted(n(b.inmails)),
        Granted | Purchased | Expired | Trimmed | EndBalance | Forfeited => counted(n(b.credits)),
        Exhausted => counted(1),
        FirstBlockedDay => counted(31),
        FloorBlockedDays => counted(n(b.days)),
        MonthsExhausted | FirstExhaustedMonth => counted(cycles),
        // Money in cents: a value per number of purchases (and per plan).
        AddonSpend | PlanCost | TotalCost => {
            let purchases = n(b.purchases);
            let max = n(b.cycle_cents).saturating_add(purchases.saturating_mul(b.addon_cents));
            (max, purchases.saturating_add(1).saturating_mul(4))
        }
        // Any cent from 0 to the dearest total.
        CostPerResponse => {
            let max = n(b.cycle_cents).saturating_add(n(b.purchases).saturating_mul(b.addon_cents));
            counted(max)
        }
    }
}

/// Bytes of one copy of a run's statistics (`RunStats`) of at most `trials`
/// trials.
pub fn statistics_bytes(sc: &Scenario, trials: u64) -> u64 {
    let b = bounds(sc);
    let per_cycle: u64 = CYCLE_METRICS
        .iter()
        .map(|m| {
            let (max, distinct) = range(*m, &b, 1);
            histogram_bytes(max, distinct, trials)
        })
        .fold(0, u64::saturating_add);
    let horizon: u64 = HORIZON_METRICS
        .iter()
        .map(|m| {
            let (max, distinct) = range(*m, &b, u64::from(sc.months));
            histogram_bytes(max, distinct, trials)
        })
        .fold(0, u64::saturating_add);
    per_cycle
        .saturating_mul(u64::from(sc.months))
        .saturating_add(horizon)
}

/// Bytes a run of the scenarios side by side (one for `run`, several for
/// `compare`) on `threads` threads could need: two copies of the statistics
/// per thread and the total, plus each thread's engine buffers.
pub fn run_bytes(scenarios: &[&Scenario], trials: u64, threads: usize) -> u64 {
    let copies = 2 * threads as u64 + 1;
    scenarios
        .iter()
        .map(|sc| {
            let engine = u64::from(sc.horizon.days()) * ENGINE_BYTES_PER_DAY * threads as u64;
            statistics_bytes(sc, trials)
                .saturating_mul(copies)
                .saturating_add(engine)
        })
        .fold(0, u64::saturating_add)
}

/// The threads a run will use: `--threads`, else every core.
pub fn threads(requested: Option<usize>) -> usize {
    requested.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
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
    let need = run_bytes(scenarios, trials, threads).saturating_add(kept);
    let limit = limit_bytes();
    if need <= limit {
        return Ok(());
    }
    Err(UserError(format!(
        "this run would need about {} of memory for its statistics (the limit is {}): \
         reduce months, trials (or --max-trials), demand or seats, or run with fewer --threads",
        gib(need),
        gib(limit)
    )))
}

fn gib(bytes: u64) -> String {
    let g = bytes as f64 / f64::from(1u32 << 30);
    if g >= 10.0 {
        format!("{g:.0} GiB")
    } else {
        format!("{g:.1} GiB")
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
        assert_eq!(histogram_bytes(9, 10, 1_000_000), HISTOGRAM_BYTES + 80);
        assert_eq!(
            histogram_bytes(1 << 40, 1 << 40, 1000),
            HISTOGRAM_BYTES + 8 * DENSE_LIMIT as u64 + SPARSE_ENTRY_BYTES * 1000
        );
    }
}
