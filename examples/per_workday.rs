//! A measurement, not a second engine: the clean-sheet design issue 4
//! suggests, timed against the simulator's engine on the reference
//! scenario, so that the README's claim that it is slower can be checked.
//!
//! Each workday draws its responders and its other messages as two
//! independent Poisson counts (a Poisson count split by the response rate
//! is two independent Poissons), by inverting tables built for the trial's
//! rate, one 32-bit half of a word each. On a day the balance cannot pay
//! for, the responders among the messages that go out are drawn one
//! message at a time (hypergeometric). Each responder that went out draws
//! one delay from the scenario's delay table and adds its response, and
//! its refund if within the window, to the day it arrives. The ledger is
//! the counted cycle's two running totals (`src/engine/fast/counted.rs`),
//! so it applies only where that cycle does: one plan whose credits expire,
//! no add-ons, Poisson demand with one mean on every workday.
//!
//! Its draws differ from the engine's, so its results agree with the
//! engine's only in distribution; the means it prints first are a check
//! that it simulates the same model, not a test.
//!
//! `cargo run --release --example per_workday -- [TRIALS] [ROUNDS] [OPTION...]`
//! (defaults 100000, 7). Options: `branchless` inverts the Poisson tables
//! by summing all their comparisons rather than stopping at the first
//! that fails; `without-responders` (timing only) draws no responder, so
//! no refund ever comes. One thread; the two run alternately, and each
//! round's ratio is per_workday's time over the engine's.

#[path = "../benches/support/reference.rs"]
#[allow(dead_code)]
mod reference;

use inmail_sim::engine::{CycleMetrics, Model, Simulator, TrialObserver, TrialTotals};
use inmail_sim::sampling::streams::{SimRng, Stream, TrialKey, stream_rng};
use rand::{Rng, RngExt};
use reference::{Sink, reference_model};
use std::hint::black_box;
use std::time::Instant;

/// Table entries: P(Poisson(2.7) > 15) is below 1e-8.
const ENTRIES: usize = 16;

/// The variant measured (README, "Tried and left out").
#[derive(Clone, Copy)]
struct Variant {
    responders: bool,
    branchless: bool,
}

/// The reference scenario's rules, read from the model.
struct Rules {
    grant: u64,
    cap: u64,
    lifetime: usize,
    window: u32,
    per_workday: f64,
}

impl Rules {
    fn of(model: &Model) -> Rules {
        let [terms] = model.terms.as_slice() else {
            panic!("per_workday needs one plan throughout");
        };
        let plan = &terms.plan;
        let days = model.scenario.horizon.days();
        let means: Vec<f64> = (0..days)
            .filter(|&d| model.demand.is_send_day(d))
            .map(|d| model.demand.mean(d))
            .collect();
        assert!(
            means.windows(2).all(|w| w[0] == w[1]),
            "one demand mean on every workday"
        );
        Rules {
            grant: u64::from(plan.monthly_credits),
            cap: u64::from(plan.cap),
            lifetime: plan.expiry_days.expect("credits that expire") as usize,
            window: model.scenario.refunds.window_days,
            per_workday: means[0],
        }
    }
}

/// Poisson(`mean`) as 32-bit thresholds of its distribution function;
/// the last entry is `u32::MAX`, so every inversion stops.
fn poisson_table(mean: f64, table: &mut [u32; ENTRIES]) {
    let (mut pk, mut cdf) = ((-mean).exp(), 0.0);
    for (k, slot) in table.iter_mut().enumerate() {
        cdf += pk;
        pk *= mean / (k as f64 + 1.0);
        *slot = (cdf * 4_294_967_296.0).min(f64::from(u32::MAX)) as u32;
    }
    table[ENTRIES - 1] = u32::MAX;
}

#[inline(always)]
fn invert<const BRANCHLESS: bool>(table: &[u32; ENTRIES], u: u32) -> u64 {
    if BRANCHLESS {
        return table.iter().map(|&t| u64::from(u >= t)).sum();
    }
    let mut k = 0;
    while u >= table[k] {
        k += 1;
    }
    k as u64
}

struct PerWorkday<'m> {
    model: &'m Model,
    rules: Rules,
    /// `added_by[d + lifetime]`: credits added by the end of day `d`.
    added_by: Vec<u64>,
    /// Responses due each day: count in the high 16 bits, refunds low.
    arrivals: Vec<u32>,
    send_day: Vec<bool>,
    responders: [u32; ENTRIES],
    others: [u32; ENTRIES],
}

impl<'m> PerWorkday<'m> {
    fn new(model: &'m Model) -> Self {
        let rules = Rules::of(model);
        let days = model.scenario.horizon.days();
        PerWorkday {
            model,
            added_by: vec![0; days as usize + rules.lifetime],
            arrivals: vec![0; days as usize],
            send_day: (0..days).map(|d| model.demand.is_send_day(d)).collect(),
            responders: [0; ENTRIES],
            others: [0; ENTRIES],
            rules,
        }
    }

    fn run_trial<const RESPONDERS: bool, const BRANCHLESS: bool>(
        &mut self,
        trial: u64,
        observer: &mut impl TrialObserver,
    ) {
        let sc = &self.model.scenario;
        let key = TrialKey::new(trial, 0);
        let mut rate_rng = stream_rng(sc.seed, trial, Stream::Rate);
        let mut demand_rng: SimRng = key.rng(sc.seed, Stream::Demand);
        let mut rng: SimRng = key.rng(sc.seed, Stream::Recipients);
        let p = sc.response.sampler.sample(&mut rate_rng);
        let mean = self.rules.per_workday;
        poisson_table(mean * p, &mut self.responders);
        poisson_table(mean * (1.0 - p), &mut self.others);
        self.arrivals.fill(0);
        let (mut added, mut gone) = (0u64, 0u64);
        let mut totals = TrialTotals::default();
        for (index, cycle) in sc.horizon.cycles.iter().enumerate() {
            let mut m = CycleMetrics {
                start_balance: added - gone,
                ..CycleMetrics::default()
            };
            let (added_before, gone_before) = (added, gone);
            let first = cycle.first_day;
            for day in first..first + cycle.len {
                let d = day as usize;
                // §4 step 1: lots `lifetime` days old are gone.
                let after_expiry = gone.max(self.added_by[d]);
                m.expired += after_expiry - gone;
                gone = after_expiry;
                if day == first {
                    // Step 2, §3 "Grant": trim to the cap, then grant.
                    m.trimmed = (added - gone).saturating_sub(self.rules.cap);
                    gone += m.trimmed;
                    m.granted = self.rules.grant.min(self.rules.cap - (added - gone));
                    added += m.granted;
                    m.balance_after_grant = added - gone;
                }
                // Step 3.
                let due = self.arrivals[d];
                added += u64::from(due & 0xffff);
                m.responses += u64::from(due >> 16);
                self.added_by[d + self.rules.lifetime] = added;
                if !self.send_day[d] {
                    continue;
                }
                // Step 4.
                let u = demand_rng.next_u64();
                let responders = invert::<BRANCHLESS>(&self.responders, (u >> 32) as u32);
                let messages = responders + invert::<BRANCHLESS>(&self.others, u as u32);
                m.demand += messages;
                let balance = added - gone;
                let mut sent_responders = responders;
                if messages > balance {
                    m.first_blocked_day.get_or_insert(day - first + 1);
                    m.blocked += messages - balance;
                    sent_responders = responders_sent(responders, messages, balance, &mut rng);
                }
                gone += messages.min(balance);
                if RESPONDERS {
                    for _ in 0..sent_responders {
                        let delay = sc.delay.table.sample(&mut rng);
                        let refund = u32::from(delay <= self.rules.window);
                        if let Some(slot) = self.arrivals.get_mut(d + delay as usize) {
                            *slot += 0x1_0000 + refund;
                        }
                    }
                }
            }
            m.refunds = added - added_before - m.granted;
            m.sent_paid = gone - gone_before - m.expired - m.trimmed;
            m.end_balance = added - gone;
            observer.cycle(index, &m);
            totals.add_cycle(index, &m);
        }
        observer.trial(&totals);
    }

    fn run(&mut self, variant: Variant, trial: u64, observer: &mut impl TrialObserver) {
        match (variant.responders, variant.branchless) {
            (true, false) => self.run_trial::<true, false>(trial, observer),
            (true, true) => self.run_trial::<true, true>(trial, observer),
            (false, false) => self.run_trial::<false, false>(trial, observer),
            (false, true) => self.run_trial::<false, true>(trial, observer),
        }
    }
}

/// The responders among the first `sent` of a day's `messages`, of which
/// `responders` respond, all orders equally likely: one message at a time.
fn responders_sent(responders: u64, messages: u64, sent: u64, rng: &mut SimRng) -> u64 {
    let (mut left, mut responders_left, mut taken) = (messages, responders, 0);
    for _ in 0..sent {
        if rng.random_range(0..left) < responders_left {
            taken += 1;
            responders_left -= 1;
        }
        left -= 1;
    }
    taken
}

/// Monthly means of a few metrics, to check the two simulate one model.
#[derive(Default)]
struct Means {
    months: u64,
    sent: u64,
    refunds: u64,
    short: u64,
}

impl TrialObserver for Means {
    fn cycle(&mut self, _index: usize, m: &CycleMetrics) {
        self.months += 1;
        self.sent += m.sent_paid;
        self.refunds += m.refunds;
        self.short += u64::from(m.first_blocked_day.is_some());
    }
    fn trial(&mut self, _totals: &TrialTotals) {}
}

impl Means {
    fn show(&self, name: &str) {
        let per = |x: u64| x as f64 / self.months as f64;
        println!(
            "{name:<12} sent {:.2}  refunds {:.2}  months short {:.1}%",
            per(self.sent),
            per(self.refunds),
            100.0 * per(self.short)
        );
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let trials: u64 = args.first().map_or(100_000, |a| a.parse().expect("TRIALS"));
    let rounds: usize = args.get(1).map_or(7, |a| a.parse().expect("ROUNDS"));
    let mut variant = Variant {
        responders: true,
        branchless: false,
    };
    for option in args.iter().skip(2) {
        match option.as_str() {
            "branchless" => variant.branchless = true,
            "without-responders" => variant.responders = false,
            other => panic!("OPTION is branchless or without-responders, not {other}"),
        }
    }
    let model = reference_model(12);
    let mut engine = Simulator::new(&model);
    let mut per_workday = PerWorkday::new(&model);
    let (mut a, mut b) = (Means::default(), Means::default());
    for trial in 0..20_000 {
        engine.run_trial(trial, &mut a);
        per_workday.run(variant, trial, &mut b);
    }
    a.show("engine");
    b.show("per_workday");
    let mut ratios = Vec::new();
    for _ in 0..rounds {
        let mut sink = Sink(0);
        let start = Instant::now();
        for trial in 0..trials {
            engine.run_trial(trial, &mut sink);
        }
        let engine_s = start.elapsed().as_secs_f64();
        let start = Instant::now();
        for trial in 0..trials {
            per_workday.run(variant, trial, &mut sink);
        }
        let per_workday_s = start.elapsed().as_secs_f64();
        black_box(sink.0);
        println!("engine {engine_s:.3} s  per_workday {per_workday_s:.3} s");
        ratios.push(per_workday_s / engine_s);
    }
    ratios.sort_by(f64::total_cmp);
    let n = ratios.len();
    println!(
        "per_workday / engine: median {:.2}x (range {:.2}x to {:.2}x, {n} rounds)",
        ratios[n / 2],
        ratios[0],
        ratios[n - 1]
    );
}
