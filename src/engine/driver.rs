//! The trial loop both engines share: cycles, days in the order of
//! credit-rules.md §4, the response rate per trial or per cycle, seats, and
//! the report to the observer. An engine supplies only how a day's sends
//! are drawn ([`Sends`]).

use super::books::Books;
use super::day::{DaySteps, days};
use super::{CycleMetrics, Model, TrialObserver, TrialTotals};
use crate::calendar::Cycle;
use crate::sampling::demand::DemandTable;
use crate::sampling::streams::{SimRng, Stream, TrialKey, stream_rng};
use crate::scenario::{Redraw, Scenario};
use rand::Rng;

/// How an engine draws who sends what on a day.
pub trait Sends<'m> {
    fn books(&mut self) -> &mut Books<'m>;
    /// A new trial (one seat of it) whose response rate is `p`.
    fn start_trial(&mut self, key: TrialKey, p: f64);
    /// From now on the response rate is `p` (`redraw = "cycle"`, §8.9).
    fn set_rate(&mut self, p: f64);
    /// Follow-ups due on `day` (credit-rules §5), any day of the week,
    /// before the backlog and new demand. Called only when they are on.
    fn follow_ups(&mut self, day: u32);
    /// §4 step 4 on a send day: the backlog, then `new` new messages.
    fn send_day(&mut self, day: u32, new: u32);
    /// The days of `cycle`, between the driver's `start_cycle` and
    /// `finish_cycle`. An engine may replace the day-by-day loop with one
    /// that gives the same results from the same draws.
    fn cycle_days(&mut self, model: &'m Model, cycle: &Cycle, demand_rng: &mut SimRng) {
        day_by_day(self, model, cycle, demand_rng);
    }
    /// Cycle `index` starts on `first_day` (the books' `start_cycle`).
    fn start_cycle(&mut self, index: usize, first_day: u32) {
        self.books().start_cycle(index, first_day);
    }
    /// The cycle's metrics, at its end (the books' `finish_cycle`).
    fn finish_cycle<'s>(&'s mut self) -> &'s CycleMetrics
    where
        'm: 's,
    {
        self.books().finish_cycle()
    }
}

/// The days of `cycle` one by one, each in the order of §4 ([`days`]).
/// Not inlined: its loop is then compiled on its own, not within the fast
/// engine's `cycle_days` with the lean and counted cycles.
#[inline(never)]
pub fn day_by_day<'m, S: Sends<'m> + ?Sized>(
    engine: &mut S,
    model: &'m Model,
    cycle: &Cycle,
    demand_rng: &mut SimRng,
) {
    let (first, end) = (cycle.first_day, cycle.first_day + cycle.len);
    let mut steps = OneByOne {
        engine,
        model,
        demand_rng,
        follow_ups: model.scenario.follow_ups.is_some(),
        first,
        table: model.demand.one_table(first..end),
    };
    days(&mut steps, first, end);
}

/// The steps of a day on the books, one day at a time.
struct OneByOne<'e, 'm, S: ?Sized> {
    engine: &'e mut S,
    model: &'m Model,
    demand_rng: &'e mut SimRng,
    follow_ups: bool,
    first: u32,
    /// The cycle's send days and their one demand table, when every send
    /// day draws from one (`Demand::one_table`): the draw inline, as
    /// `Demand::draw` makes it.
    table: Option<(&'m [bool], DemandTable<'m>)>,
}

impl<'m, S: Sends<'m> + ?Sized> DaySteps for OneByOne<'_, 'm, S> {
    #[inline(always)]
    fn open(&mut self, day: u32) {
        self.engine.books().open_day(day);
    }

    #[inline(always)]
    fn send(&mut self, day: u32, _end: u32) -> Option<u32> {
        if self.follow_ups {
            self.engine.follow_ups(day);
        }
        let new = match &self.table {
            Some((send_day, table)) => match send_day[(day - self.first) as usize] {
                true => table.count(self.demand_rng.next_u64()),
                false => return Some(day + 1),
            },
            None if self.model.demand.is_send_day(day) => {
                self.model.demand.draw(day, self.demand_rng)
            }
            None => return Some(day + 1),
        };
        self.engine.books().add_demand(u64::from(new));
        self.engine.send_day(day, new);
        Some(day + 1)
    }
}

/// Runs trial number `trial` with `engine` and reports it to `observer`.
/// The response rate and the demand come from their own streams, so every
/// engine — and every scenario with the same seed — sees the same ones.
///
/// Seats that do not pool their credits are independent copies of one
/// ledger within the trial (each with its own demand and recipients, all
/// with the trial's response rate); their cycles are summed.
pub fn drive<'m, S: Sends<'m>>(
    engine: &mut S,
    model: &'m Model,
    trial: u64,
    observer: &mut impl TrialObserver,
) {
    let mut totals = TrialTotals::default();
    if model.ledgers == 1 {
        run_ledger(engine, model, TrialKey::new(trial, 0), &mut |i, m| {
            observer.cycle(i, m);
            totals.add_cycle(i, m);
        });
        observer.trial(&totals);
        return;
    }
    let mut sums = vec![CycleMetrics::default(); model.scenario.horizon.cycles.len()];
    for seat in 0..model.ledgers {
        run_ledger(engine, model, TrialKey::new(trial, seat), &mut |i, m| {
            sums[i].add_seat(m);
        });
    }
    for (index, metrics) in sums.iter().enumerate() {
        observer.cycle(index, metrics);
        totals.add_cycle(index, metrics);
    }
    observer.trial(&totals);
}

fn run_ledger<'m, S: Sends<'m>>(
    engine: &mut S,
    model: &'m Model,
    key: TrialKey,
    report: &mut impl FnMut(usize, &CycleMetrics),
) {
    let sc = &model.scenario;
    let mut rates = RateDraws::new(sc, key.trial);
    let mut demand_rng = key.rng(sc.seed, Stream::Demand);
    engine.books().reset();
    engine.start_trial(key, rates.first());
    for (index, cycle) in sc.horizon.cycles.iter().enumerate() {
        // Ctrl-C: leave the trial unfinished; runners discard a cut round.
        if crate::interrupt::interrupted() {
            return;
        }
        if let Some(p) = rates.at_cycle(index) {
            engine.set_rate(p);
        }
        engine.start_cycle(index, cycle.first_day);
        engine.cycle_days(model, cycle, &mut demand_rng);
        let metrics = engine.finish_cycle();
        report(index, metrics);
    }
}

/// A trial's response rates (credit-rules §8.9): one drawn as the trial
/// starts and, with `redraw = "cycle"`, a new one as each later cycle
/// starts, from the trial's own stream (the same for every seat). The one
/// place the draws are made, so `--samples` shows the rates the trial used.
#[derive(Debug)]
pub struct RateDraws<'a> {
    sc: &'a Scenario,
    rng: SimRng,
}

impl<'a> RateDraws<'a> {
    pub fn new(sc: &'a Scenario, trial: u64) -> RateDraws<'a> {
        RateDraws {
            sc,
            rng: stream_rng(sc.seed, trial, Stream::Rate),
        }
    }

    /// The rate the trial starts with.
    pub fn first(&mut self) -> f64 {
        self.sc.response.sampler.sample(&mut self.rng)
    }

    /// A new rate as cycle `index` (0-based) starts, if the scenario
    /// redraws it; call for every cycle in order after [`RateDraws::first`].
    pub fn at_cycle(&mut self, index: usize) -> Option<f64> {
        let redraw = index > 0 && self.sc.response.redraw == Redraw::Cycle;
        redraw.then(|| self.sc.response.sampler.sample(&mut self.rng))
    }

    /// The rate in force in each of the trial's cycles.
    pub fn by_cycle(sc: &Scenario, trial: u64) -> Vec<f64> {
        let mut draws = RateDraws::new(sc, trial);
        let mut p = draws.first();
        (0..sc.horizon.cycles.len())
            .map(|i| {
                if let Some(q) = draws.at_cycle(i) {
                    p = q;
                }
                p
            })
            .collect()
    }
}
