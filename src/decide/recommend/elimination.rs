//! Successive elimination with paired intervals: spend trials where the
//! decision is close.
//!
//! Every candidate still running gets the same trials, in rounds that
//! double (1000, 2000, 4000, … trials in all) up to `max_trials`. After
//! each round every running candidate is scored (`score`), and:
//!
//! - a candidate **infeasible** at 95% (the lower end of its risk's, or
//!   blocked sends', interval is past the limit) stops;
//! - the **leader** is the cheapest candidate feasible at 95% (the upper
//!   end within every limit, never less than the mean plus 3/trials:
//!   the rule of three's margin, `recommend::upper`); of equal costs, the
//!   one with the smaller risk (`recommend::cheaper_then_safer`);
//! - a candidate whose paired cost difference with the leader is above 0
//!   at 95% (the lower end of `cost − leader's cost`, trial by trial)
//!   stops as **dominated**: it costs more than an option known to be
//!   feasible;
//! - a candidate whose feasibility is decided and whose paired difference
//!   with the leader is known to ± the resolution (`--precision`, $1 by
//!   default) stops as **resolved**;
//! - the rest (candidates still unsure, or too close to the leader to
//!   tell apart) run the next round, and so does the leader while anyone
//!   else runs or until its own mean cost is known to ± the resolution.
//!
//! It stops when no candidate runs, or at `max_trials`; the intervals
//! are pointwise 95% intervals at each look (no correction for the
//! repeated looks: the final table reports every candidate's own
//! estimates, and `max_trials` bounds the work).

use super::{Candidate, Scored, Verdict, cheaper_then_safer, score};
use crate::decide::{Outcome, Stat, Z95, paired, simulate};
use crate::engine::Model;
use crate::runner::{Interrupted, Progress, interrupted};

/// The first round's trials.
pub const FIRST_ROUND: u64 = 1000;

/// The constraints.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// The largest chance a month runs out (a share).
    pub max_risk: f64,
    /// The most blocked sends per month, on average.
    pub max_blocked: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    pub limits: Limits,
    /// Dollars per month: the paired cost difference with the leader is
    /// resolved when its 95% half-width is at most this.
    pub resolution: f64,
    pub max_trials: u64,
}

/// Why a candidate stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Running,
    /// The cheapest candidate feasible at 95%, the others' yardstick.
    Leader,
    Infeasible,
    Dominated,
    Resolved,
    /// Still undecided at `max_trials`.
    MaxTrials,
}

impl Status {
    pub fn key(self) -> &'static str {
        match self {
            Status::Running => "running",
            Status::Leader => "leader",
            Status::Infeasible => "infeasible",
            Status::Dominated => "dominated",
            Status::Resolved => "resolved",
            Status::MaxTrials => "max_trials",
        }
    }
}

/// What the elimination found.
#[derive(Debug, Clone)]
pub struct Elimination {
    pub scored: Vec<Scored>,
    /// Every candidate's trials, in trial order (0..its trials).
    pub outcomes: Vec<Vec<Outcome>>,
    pub rounds: usize,
}

impl Elimination {
    pub fn trials_spent(&self) -> u64 {
        self.outcomes.iter().map(|o| o.len() as u64).sum()
    }
}

/// Runs the elimination on the current rayon pool; `Interrupted` on Ctrl-C.
pub fn run(
    candidates: &[Candidate],
    models: &[Model],
    settings: &Settings,
    progress: &Progress,
) -> Result<Elimination, Interrupted> {
    let months = models.first().map_or(1, |m| m.scenario.months);
    let mut outcomes: Vec<Vec<Outcome>> = vec![Vec::new(); models.len()];
    let mut scored: Vec<Scored> = Vec::with_capacity(models.len());
    let mut active: Vec<usize> = (0..models.len()).collect();
    let (mut planned, mut rounds) = (0u64, 0usize);
    let mut next = FIRST_ROUND.min(settings.max_trials);
    loop {
        // A candidate reopened against a new leader (`decide`) catches up
        // from where it stopped: every candidate runs trials 0..next.
        planned += active
            .iter()
            .map(|&i| next - outcomes[i].len() as u64)
            .sum::<u64>();
        progress.plan(planned);
        for &i in &active {
            let more = simulate(&models[i], outcomes[i].len() as u64..next, progress);
            outcomes[i].extend(more);
        }
        if interrupted() {
            return Err(Interrupted);
        }
        let done = next;
        rounds += 1;
        scored = (0..models.len())
            .map(|i| match scored.get(i) {
                Some(s) if !active.contains(&i) => s.clone(),
                _ => score(&candidates[i], &outcomes[i], months, &settings.limits),
            })
            .collect();
        // On the last look a stopped candidate is not reopened: it could not
        // catch up, and would be left `max_trials` with fewer trials.
        let last = done >= settings.max_trials;
        let reopen = !last;
        active = decide(
            &mut scored,
            &active,
            &outcomes,
            months,
            settings.resolution,
            reopen,
        );
        if active.is_empty() || last {
            break;
        }
        next = (done * 2).min(settings.max_trials);
    }
    for &i in &active {
        if scored[i].status == Status::Running {
            scored[i].status = Status::MaxTrials;
        }
    }
    Ok(Elimination {
        scored,
        outcomes,
        rounds,
    })
}

/// One look: sets the status of the candidates that stop, returns those
/// that run on (the leader among them while anyone else does).
///
/// "Dominated" and "resolved" are said against the leader, so when the
/// leader changes (a cheaper candidate is shown feasible, or the old
/// leader is no longer), the candidates stopped against the old one are
/// judged again against the new one on the trials they share, and run on
/// if that no longer stops them: otherwise one resolved against an
/// earlier leader at the same price would stay unknown to ± its 1,000
/// trials against the final recommendation. A stopped candidate cheaper
/// on average than the leader runs again too, so that it can lead (the old
/// leader may have lost its place by being found unsure). With `reopen`
/// false (the last look) only the running candidates are judged.
fn decide(
    scored: &mut [Scored],
    active: &[usize],
    outcomes: &[Vec<Outcome>],
    months: u32,
    resolution: f64,
    reopen: bool,
) -> Vec<usize> {
    let leader = active
        .iter()
        .copied()
        .filter(|&i| scored[i].verdict == Verdict::Feasible)
        .min_by(|&i, &j| cheaper_then_safer(&scored[i], &scored[j]).then(i.cmp(&j)));
    let stopped_against_a_leader =
        |i: usize| matches!(scored[i].status, Status::Dominated | Status::Resolved);
    let judged: Vec<usize> = (0..scored.len())
        .filter(|&i| active.contains(&i) || (reopen && stopped_against_a_leader(i)))
        .collect();
    let mut running = Vec::new();
    for &i in &judged {
        let s = &scored[i];
        let stopped = !active.contains(&i);
        let status = if s.verdict == Verdict::Infeasible {
            Status::Infeasible
        } else if Some(i) == leader {
            Status::Leader
        } else if let Some(l) = leader {
            let d = paired(Stat::Cost, &outcomes[i], &outcomes[l], months);
            if stopped && s.verdict == Verdict::Feasible && d.mean < 0.0 {
                Status::Running
            } else if d.low() > 0.0 {
                Status::Dominated
            } else if s.verdict != Verdict::Unsure && Z95 * d.se <= resolution {
                Status::Resolved
            } else {
                Status::Running
            }
        } else {
            Status::Running
        };
        scored[i].status = status;
        if status == Status::Running {
            running.push(i);
        }
    }
    if let Some(l) = leader {
        // The leader runs on while anyone else does, or until its own cost
        // is known to ± the resolution (the recommendation's price).
        let precise = Z95 * scored[l].cost.se <= resolution;
        if running.is_empty() && precise {
            return Vec::new();
        }
        running.push(l);
        running.sort_unstable();
    }
    running
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decide::Estimate;
    use crate::decide::recommend::{Policy, Status};
    use crate::scenario::catalog;

    fn scored(cost: f64, status: Status) -> Scored {
        Scored {
            candidate: Candidate {
                plan: catalog::find("sales_navigator_core").unwrap(),
                billing: crate::scenario::Billing::Annual,
                policy: Policy::Never,
                seats: 1,
                what_if: false,
                own: false,
                own_price: false,
                pooled_what_if: false,
            },
            trials: 100,
            cost: Estimate {
                mean: cost,
                se: 0.1,
            },
            risk: Estimate::default(),
            risk_horizon: Estimate::default(),
            blocked: Estimate::default(),
            floor_blocked: Estimate::default(),
            verdict: Verdict::Feasible,
            confidence: 1.0,
            status,
        }
    }

    fn costs(dollars: impl Fn(usize) -> f64, n: usize) -> Vec<Outcome> {
        (0..n)
            .map(|i| Outcome {
                cost_cents: (12.0 * 100.0 * dollars(i)).round() as i64,
                months_exhausted: 0,
                blocked: 0,
                floor_blocked: 0,
            })
            .collect()
    }

    #[test]
    fn a_candidate_resolved_against_an_old_leader_runs_again_against_a_new_one() {
        // 0 led at $90 and 1 was resolved against it (the same $90 in every
        // trial); now 2 is cheaper on average but varies by ±$6, so 1's
        // difference with the new leader is not known to ± $0.10.
        let mut s = vec![
            scored(90.0, Status::Leader),
            scored(90.0, Status::Resolved),
            scored(89.0, Status::Running),
        ];
        let outcomes = vec![
            costs(|_| 90.0, 200),
            costs(|_| 90.0, 100),
            costs(|i| if i % 2 == 0 { 83.0 } else { 95.0 }, 200),
        ];
        let running = decide(&mut s, &[0, 2], &outcomes, 12, 0.1, true);
        assert_eq!(s[2].status, Status::Leader);
        assert_eq!(s[1].status, Status::Running, "reopened");
        assert!(running.contains(&1), "{running:?}");
        // Against the leader it was resolved against, it stays stopped.
        let mut s = vec![scored(90.0, Status::Leader), scored(90.0, Status::Resolved)];
        let running = decide(&mut s, &[0], &outcomes[..2], 12, 0.1, true);
        assert_eq!(s[1].status, Status::Resolved);
        assert!(!running.contains(&1), "{running:?}");
        // On the last look nothing is reopened: it could not catch up.
        let mut s = vec![
            scored(90.0, Status::Leader),
            scored(90.0, Status::Resolved),
            scored(89.0, Status::Running),
        ];
        let running = decide(&mut s, &[0, 2], &outcomes, 12, 0.1, false);
        assert_eq!(s[1].status, Status::Resolved);
        assert!(!running.contains(&1), "{running:?}");
    }

    #[test]
    fn a_stopped_candidate_cheaper_than_a_new_leader_runs_again_to_lead() {
        // 0 led at $90 and 1 was resolved against it at $89.95; 0 is now
        // unsure, so 2 ($95 in every trial) leads, and 1, cheaper, is
        // resolved against it to the cent: it must run again, not stay
        // stopped while a dearer candidate leads.
        let mut s = vec![
            scored(90.0, Status::Running),
            scored(89.95, Status::Resolved),
            scored(95.0, Status::Running),
        ];
        s[0].verdict = Verdict::Unsure;
        let outcomes = vec![
            costs(|_| 90.0, 200),
            costs(|_| 89.95, 100),
            costs(|_| 95.0, 200),
        ];
        let running = decide(&mut s, &[0, 2], &outcomes, 12, 0.1, true);
        assert_eq!(s[2].status, Status::Leader);
        assert_eq!(s[1].status, Status::Running);
        assert!(running.contains(&1), "{running:?}");
    }
}
