//! The trial loop both engines share: cycles, days in the order of
//! credit-rules.md §4, the response rate per trial or per cycle, and the
//! report to the observer. An engine supplies only how a day's sends are
//! drawn ([`Sends`]).

use super::books::Books;
use super::{Model, TrialObserver, TrialTotals};
use crate::sampling::streams::{Stream, stream_rng};
use crate::scenario::Redraw;

/// How an engine draws who sends what on a day.
pub trait Sends<'m> {
    fn books(&mut self) -> &mut Books<'m>;
    /// A new trial, number `trial`, whose response rate is `p`.
    fn start_trial(&mut self, trial: u64, p: f64);
    /// From now on the response rate is `p` (`redraw = "cycle"`, §8.9).
    fn set_rate(&mut self, p: f64);
    /// §4 step 4 on a send day: the backlog, then `new` new messages.
    fn send_day(&mut self, day: u32, new: u32);
}

/// Runs trial number `trial` with `engine` and reports it to `observer`.
/// The response rate and the demand come from their own streams, so every
/// engine — and every scenario with the same seed — sees the same ones.
pub fn drive<'m, S: Sends<'m>>(
    engine: &mut S,
    model: &'m Model,
    trial: u64,
    observer: &mut impl TrialObserver,
) {
    let sc = &model.scenario;
    let mut rate_rng = stream_rng(sc.seed, trial, Stream::Rate);
    let mut demand_rng = stream_rng(sc.seed, trial, Stream::Demand);
    engine.books().reset();
    engine.start_trial(trial, sc.response.sampler.sample(&mut rate_rng));
    let mut totals = TrialTotals::default();
    for (index, cycle) in sc.horizon.cycles.iter().enumerate() {
        if index > 0 && sc.response.redraw == Redraw::Cycle {
            engine.set_rate(sc.response.sampler.sample(&mut rate_rng));
        }
        engine.books().start_cycle(cycle.first_day);
        for day in cycle.first_day..cycle.first_day + cycle.len {
            engine.books().open_day(day);
            if model.demand.is_send_day(day) {
                let new = model.demand.draw(day, &mut demand_rng);
                engine.books().cycle.demand += u64::from(new);
                engine.send_day(day, new);
            }
        }
        let metrics = engine.books().finish_cycle();
        observer.cycle(index, &metrics);
        totals.add_cycle(index, &metrics);
    }
    observer.trial(&totals);
}
