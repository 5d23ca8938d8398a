//! Daily demand: how many new InMails the user wants to send each day
//! (credit-rules §5 "Demand", §8.7 weekends, §8.8 fixed demand).
//!
//! The demand a scenario asks for ([`Demand`], re-exported by `scenario`)
//! lives here, next to its sampler, so that sampling depends on nothing
//! above it. The mean of every day is laid out once per scenario; a trial
//! then only draws (Poisson) or reads (fixed) the day's count.

use crate::calendar::Horizon;
use rand_distr::{Distribution, Poisson};

/// How much the user wants to send (credit-rules §5, §8.7, §8.8).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Demand {
    pub volume: Volume,
    pub distribution: DemandDistribution,
    /// Spread the same volume over 7 days instead of Mon–Fri.
    pub weekends: bool,
    /// Blocked sends carry over to the next send day.
    pub backlog: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Volume {
    PerWorkday(f64),
    PerWeek(f64),
    PerCycle(f64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemandDistribution {
    Poisson,
    /// Exact long-run totals, fractions carried across days (§8.8).
    Fixed,
}

#[derive(Debug, Clone)]
pub struct DemandPlan {
    send_day: Vec<bool>,
    /// Every send day, and only they, draw from the one Poisson table.
    one_table: bool,
    mean: Vec<f64>,
    source: Source,
}

#[derive(Debug, Clone)]
enum Source {
    /// `sampler[day]` indexes `distinct`; `None` on days with mean 0.
    Poisson {
        sampler: Vec<Option<u16>>,
        distinct: Vec<PoissonDraw>,
    },
    /// The same counts in every trial.
    Fixed(Vec<u32>),
}

impl DemandPlan {
    pub fn new(demand: &Demand, horizon: &Horizon) -> DemandPlan {
        let send_day: Vec<bool> = horizon
            .weekend
            .iter()
            .map(|w| demand.weekends || !w)
            .collect();
        let mean = daily_means(demand, horizon, &send_day);
        let source = match demand.distribution {
            DemandDistribution::Poisson => poisson_source(&mean),
            DemandDistribution::Fixed => Source::Fixed(fixed_counts(&mean)),
        };
        let one_table = match &source {
            Source::Poisson { sampler, distinct } => {
                matches!(distinct.as_slice(), [PoissonDraw::Table { .. }])
                    && sampler
                        .iter()
                        .zip(&send_day)
                        .all(|(s, &d)| s.is_some() == d)
            }
            Source::Fixed(_) => false,
        };
        DemandPlan {
            send_day,
            one_table,
            mean,
            source,
        }
    }

    /// Whether sends (and backlog retries) happen on `day`.
    #[inline]
    pub fn is_send_day(&self, day: u32) -> bool {
        self.send_day[day as usize]
    }

    /// Expected new demand on `day`.
    pub fn mean(&self, day: u32) -> f64 {
        self.mean[day as usize]
    }

    /// When every send day draws from one table (one daily mean, as with
    /// per-workday demand over whole weeks), whether each of `days` is a
    /// send day, and that table, for a caller that inlines the draw: on a
    /// send day, `count` on the next word gives the count `draw` gives.
    #[inline]
    pub fn one_table(&self, days: std::ops::Range<u32>) -> Option<(&[bool], DemandTable<'_>)> {
        if !self.one_table {
            return None;
        }
        match &self.source {
            Source::Poisson { distinct, .. } => match distinct.as_slice() {
                [PoissonDraw::Table { thresholds, guide }] => {
                    let send_day = &self.send_day[days.start as usize..days.end as usize];
                    Some((send_day, DemandTable { thresholds, guide }))
                }
                _ => None,
            },
            Source::Fixed(_) => None,
        }
    }

    /// New demand on `day`: a Poisson draw, or the fixed count.
    #[inline(always)]
    pub fn draw<R: rand::Rng + ?Sized>(&self, day: u32, rng: &mut R) -> u32 {
        match &self.source {
            Source::Poisson { sampler, distinct } => match sampler[day as usize] {
                Some(i) => distinct[usize::from(i)].sample(rng),
                None => 0,
            },
            Source::Fixed(counts) => counts[day as usize],
        }
    }
}

/// §8.7: `m` per workday is `m` on Mon–Fri, or `5m/7` every day with
/// weekends; `W` per week is `W/5` or `W/7`; `C` per cycle is divided by
/// that cycle's number of send days.
fn daily_means(demand: &Demand, horizon: &Horizon, send_day: &[bool]) -> Vec<f64> {
    let per_send_day = |cycle_send_days: u32| match demand.volume {
        Volume::PerWorkday(m) if demand.weekends => m * 5.0 / 7.0,
        Volume::PerWorkday(m) => m,
        Volume::PerWeek(w) if demand.weekends => w / 7.0,
        Volume::PerWeek(w) => w / 5.0,
        Volume::PerCycle(c) => c / f64::from(cycle_send_days.max(1)),
    };
    let mut mean = vec![0.0; send_day.len()];
    for cycle in &horizon.cycles {
        let days = cycle.first_day as usize..(cycle.first_day + cycle.len) as usize;
        let sends = send_day[days.clone()].iter().filter(|s| **s).count() as u32;
        let m = per_send_day(sends);
        for d in days.filter(|d| send_day[*d]) {
            mean[d] = m;
        }
    }
    mean
}

fn poisson_source(mean: &[f64]) -> Source {
    let mut distinct_means: Vec<f64> = Vec::new();
    let mut distinct = Vec::new();
    let sampler = mean
        .iter()
        .map(|&m| {
            if m <= 0.0 {
                return None;
            }
            let i = match distinct_means.iter().position(|d| *d == m) {
                Some(i) => i,
                None => {
                    distinct_means.push(m);
                    distinct.push(PoissonDraw::new(m));
                    distinct.len() - 1
                }
            };
            Some(i as u16)
        })
        .collect();
    Source::Poisson { sampler, distinct }
}

/// Largest daily mean drawn by table inversion; larger means (not a
/// person's InMail volume, but allowed) use rand_distr's sampler.
const TABLE_MAX_MEAN: f64 = 64.0;

/// A Poisson draw for one mean. Small means — every realistic daily InMail
/// volume — invert a precomputed cumulative table with one uniform 64-bit
/// word, exact up to the rounding of the table; the table runs until the
/// next probability is below 1e-20, and the rounding-level remainder (under
/// 1e-15) goes to the value just past it.
#[derive(Debug, Clone)]
enum PoissonDraw {
    /// `P(X <= k)` for k = 0, 1, 2, … scaled to 2^64: the draw is the first
    /// `k` whose threshold is above a uniform word, with no conversion of
    /// the word to a float. `guide[j]` is how many thresholds lie at or
    /// below the start of the j-th of 2^DEMAND_GUIDE_BITS equal slices of
    /// the words (Chen and Asau's guide table): the scan starts there, and
    /// takes 0 or 1 steps for most draws instead of `X + 1` from 0. The
    /// draw is the same `k` for the same word either way. (The gap table's
    /// branch-free first step, `guided_count`, did not pay here: at 3 a
    /// day 93% of words need no step, and under cachegrind the step's
    /// extra instructions on every word outweighed the mispredictions it
    /// saved.)
    Table {
        thresholds: Vec<u64>,
        /// Boxed: with 256 slices the array would make every `PoissonDraw`
        /// as large.
        guide: Box<[u16; DEMAND_SLICES]>,
    },
    Library(Poisson<f64>),
}

/// 256 slices: at 3 a day each holds at most one threshold, and only a
/// few hold one, so the scan rarely takes its (unpredictable) step.
const DEMAND_GUIDE_BITS: u32 = 8;
/// As an array length, so that indexing by the word's top bits needs no
/// bounds check.
const DEMAND_SLICES: usize = 1 << DEMAND_GUIDE_BITS;

impl PoissonDraw {
    fn new(mean: f64) -> PoissonDraw {
        if mean > TABLE_MAX_MEAN {
            // Validation caps the mean far below Poisson's limits.
            return PoissonDraw::Library(Poisson::new(mean).expect("validated Poisson mean"));
        }
        let mut pmf = (-mean).exp();
        let mut total = 0.0;
        let mut cdf = Vec::new();
        let mut k = 0.0;
        while pmf >= 1e-20 || k <= mean {
            total += pmf;
            cdf.push(total.min(1.0));
            k += 1.0;
            pmf *= mean / k;
        }
        let thresholds: Vec<u64> = cdf.into_iter().map(super::word_threshold).collect();
        let guide = Box::new(std::array::from_fn(|slice| {
            let start = (slice as u64) << (64 - DEMAND_GUIDE_BITS);
            thresholds.partition_point(|&t| t <= start) as u16
        }));
        PoissonDraw::Table { thresholds, guide }
    }

    #[inline(always)]
    fn sample<R: rand::Rng + ?Sized>(&self, rng: &mut R) -> u32 {
        match self {
            PoissonDraw::Table { thresholds, guide } => {
                DemandTable { thresholds, guide }.count(rng.next_u64())
            }
            PoissonDraw::Library(poisson) => library_draw(poisson, rng),
        }
    }
}

/// One Poisson table, borrowed: see [`DemandPlan::one_table`].
#[derive(Debug, Clone, Copy)]
pub struct DemandTable<'a> {
    thresholds: &'a [u64],
    guide: &'a [u16; DEMAND_SLICES],
}

impl DemandTable<'_> {
    /// The count a uniform 64-bit word stands for, as `PoissonDraw::sample`.
    #[inline(always)]
    pub fn count(&self, u: u64) -> u32 {
        let mut k = usize::from(self.guide[(u >> (64 - DEMAND_GUIDE_BITS)) as usize]);
        while k < self.thresholds.len() && u >= self.thresholds[k] {
            k += 1;
        }
        k as u32
    }
}

/// Daily means above [`TABLE_MAX_MEAN`]: rare, kept out of the inlined path.
#[inline(never)]
fn library_draw<R: rand::Rng + ?Sized>(poisson: &Poisson<f64>, rng: &mut R) -> u32 {
    poisson.sample(rng) as u32
}

/// §8.8: send `floor(running total + 1e-9)` minus what was already sent, so
/// fractions carry across days and cycles and the long-run total is exact.
fn fixed_counts(mean: &[f64]) -> Vec<u32> {
    let mut total = 0.0;
    let mut sent = 0u64;
    mean.iter()
        .map(|m| {
            total += m;
            let due = (total + 1e-9).floor() as u64;
            let today = due - sent;
            sent = due;
            today as u32
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{Date, Renewal};

    fn jan_2026(months: u32) -> Horizon {
        Horizon::new(
            Date::parse("2026-01-01").unwrap(),
            Renewal::Calendar,
            months,
        )
    }

    /// The plan of `volume` over `horizon`.
    fn plan(
        horizon: &Horizon,
        volume: Volume,
        distribution: DemandDistribution,
        weekends: bool,
    ) -> DemandPlan {
        let demand = Demand {
            volume,
            distribution,
            weekends,
            backlog: false,
        };
        DemandPlan::new(&demand, horizon)
    }

    #[test]
    fn fixed_fractional_demand_carries_the_fraction_and_sends_only_on_workdays() {
        // 2.5 a workday: Thu 1 Jan → 2 (total 2.5), Fri 2 Jan → 3 (total 5),
        // weekend → 0, Mon 5 Jan → 2.
        let h = jan_2026(1);
        let plan = plan(
            &h,
            Volume::PerWorkday(2.5),
            DemandDistribution::Fixed,
            false,
        );
        let mut rng =
            crate::sampling::streams::stream_rng(1, 0, crate::sampling::streams::Stream::Demand);
        let first: Vec<u32> = (0..5).map(|d| plan.draw(d, &mut rng)).collect();
        assert_eq!(first, vec![2, 3, 0, 0, 2]);
        let total: u32 = (0..h.days()).map(|d| plan.draw(d, &mut rng)).sum();
        assert_eq!(total, 55); // 22 workdays in January 2026 × 2.5
        assert!(!plan.is_send_day(2) && plan.is_send_day(4));
    }

    #[test]
    fn weekends_spread_the_same_weekly_volume_over_seven_days() {
        let h = jan_2026(12);
        let five = plan(
            &h,
            Volume::PerWeek(35.0),
            DemandDistribution::Poisson,
            false,
        );
        let seven = plan(&h, Volume::PerWeek(35.0), DemandDistribution::Poisson, true);
        assert_eq!(five.mean(0), 7.0);
        assert_eq!(five.mean(2), 0.0);
        assert_eq!(seven.mean(2), 5.0);
        let five_total: f64 = (0..h.days()).map(|d| five.mean(d)).sum();
        let seven_total: f64 = (0..h.days()).map(|d| seven.mean(d)).sum();
        // 261 workdays and 365 days in 2026.
        assert!((five_total - 261.0 * 7.0).abs() < 1e-9);
        assert!((seven_total - 365.0 * 5.0).abs() < 1e-9);
    }

    #[test]
    fn per_cycle_volume_is_divided_by_that_cycles_send_days() {
        let h = jan_2026(2);
        let plan = plan(&h, Volume::PerCycle(40.0), DemandDistribution::Fixed, false);
        let mut rng =
            crate::sampling::streams::stream_rng(1, 0, crate::sampling::streams::Stream::Demand);
        let jan: u32 = (0..31).map(|d| plan.draw(d, &mut rng)).sum();
        let feb: u32 = (31..59).map(|d| plan.draw(d, &mut rng)).sum();
        assert_eq!((jan, feb), (40, 40));
        assert!((plan.mean(0) - 40.0 / 22.0).abs() < 1e-12);
        assert_eq!(plan.mean(31), 0.0); // Sunday 1 February
        assert!((plan.mean(32) - 40.0 / 20.0).abs() < 1e-12);
    }

    /// `DemandTable::count` as it was before its guide became an array:
    /// the reference it must still match.
    fn count_by_loop(thresholds: &[u64], guide: &[u16], u: u64) -> u32 {
        let start = usize::from(guide[(u >> (64 - DEMAND_GUIDE_BITS)) as usize]);
        crate::sampling::plain_scan(thresholds, start, u) as u32
    }

    #[test]
    fn the_table_counts_what_the_plain_scan_counts_for_every_kind_of_word() {
        for mean in [0.1, 3.0, 10.0, 30.0] {
            let PoissonDraw::Table { thresholds, guide } = PoissonDraw::new(mean) else {
                panic!("mean {mean} has a table");
            };
            let table = DemandTable {
                thresholds: &thresholds,
                guide: &guide,
            };
            let real = &thresholds[..];
            // u64::MAX is at or past the last threshold: the count is the
            // table's length.
            for u in crate::sampling::testing_words(real) {
                assert_eq!(
                    table.count(u),
                    count_by_loop(real, &guide[..], u),
                    "mean {mean}, u {u:#x}"
                );
            }
            assert_eq!(table.count(u64::MAX), real.len() as u32);
        }
    }

    #[test]
    fn one_table_marks_the_send_days() {
        let h = jan_2026(2);
        let plan = plan(
            &h,
            Volume::PerWorkday(3.0),
            DemandDistribution::Poisson,
            false,
        );
        for (from, to) in [(0, h.days()), (0, 31), (31, 59), (3, 5), (2, 4)] {
            let (days, _) = plan.one_table(from..to).expect("one mean on every workday");
            let expected: Vec<bool> = (from..to).map(|d| plan.is_send_day(d)).collect();
            assert_eq!(days, expected, "{from}..{to}");
        }
        // Thu 1, Fri 2, Sat 3, Sun 4, Mon 5 January.
        assert_eq!(
            plan.one_table(0..5).unwrap().0,
            [true, true, false, false, true]
        );
    }

    #[test]
    fn poisson_draws_by_table_match_the_poisson_probabilities() {
        // Mean 3 (the reference scenario) and 40 (a heavy day): N draws,
        // each value's count within 4 standard errors of N·P(X = k), for
        // every k with an expected count of at least 50. A single check
        // fails by chance with probability 6e-5; about 40 checks give a
        // family-wise false alarm rate under 0.3%, and the seed is fixed.
        let n = 200_000u32;
        for mean in [3.0, 40.0] {
            let draw = PoissonDraw::new(mean);
            assert!(matches!(draw, PoissonDraw::Table { .. }));
            let mut rng = crate::sampling::streams::stream_rng(
                11,
                0,
                crate::sampling::streams::Stream::Demand,
            );
            let mut counts = vec![0u32; 200];
            for _ in 0..n {
                counts[draw.sample(&mut rng) as usize] += 1;
            }
            let mut pmf = (-mean).exp();
            for (k, &observed) in counts.iter().enumerate().take(150) {
                if k > 0 {
                    pmf *= mean / k as f64;
                }
                let expected = f64::from(n) * pmf;
                if expected >= 50.0 {
                    let se = (expected * (1.0 - pmf)).sqrt();
                    let z = (f64::from(observed) - expected) / se;
                    assert!(
                        z.abs() <= 4.0,
                        "mean {mean}, k {k}: {observed} vs {expected:.1} (z = {z:.2})"
                    );
                }
            }
        }
    }
}
