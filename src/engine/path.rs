//! Which way the fast engine runs a cycle's days, chosen once per model.
//!
//! Every path gives every trial the same results from the same draws (the
//! equivalence tests in `fast::lean` and `fast`); they differ only in how
//! they draw and batch. A faster path applies to fewer scenarios, so the
//! choice reads every scenario field that can matter, destructured without
//! `..`: a new field does not compile until someone decides here which
//! paths support it.

use super::Model;
use crate::rules::follow_up;
use crate::scenario::{AddonPolicy, Addons, Demand, OpenProfile, RefundExpiry, Refunds, Scenario};

/// How the fast engine runs a cycle's days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CyclePath {
    /// The ledger as two running totals (`fast::counted`): every lot lives
    /// `lifetime` days, one plan, nothing bought.
    Counted { lifetime: u32 },
    /// From stop to stop (`fast::lean`). `same_lifetimes`: every lot lives
    /// this many days, so responses need not be stops (`lazy_stretch`).
    /// Also, with `same_lifetimes: None` (responses as stops), for refunds
    /// to their own lot with nothing bought, a backlog without a floor,
    /// and Open Profiles alone (`Simulator::special_lean_cycle`; with
    /// Open Profiles it reads `same_lifetimes` itself, and responses are
    /// stops only when lots live differently long). With `Some`, also for
    /// follow-ups charged when they go out (`fast::follow_stretch`).
    Lean { same_lifetimes: Option<u32> },
    /// Day by day in the driver's loop (`driver::day_by_day`). `alike`:
    /// messages differ only in whether they respond, so each day's new
    /// messages are one run through the ledger (`send_new_alike`);
    /// otherwise plain runs in one step, special messages one by one.
    DayByDay { alike: bool },
}

/// What each feature of a scenario allows, the faster paths last.
#[derive(Debug, Clone, Copy)]
struct Allows {
    /// Every message needs a credit and only whether it responds sets it
    /// apart (`CyclePath::DayByDay { alike: true }`, and the lean cycle).
    alike: bool,
    /// Lots of one lifetime are spent in the order they came, if a bought
    /// one lives as long as the plan's (`same_lifetimes`).
    addon_lifetime: Option<u32>,
    /// Days need not be opened one by one: nothing watches each day's
    /// sends and nothing waits to be retried (the lean and counted cycles).
    stretches: bool,
    /// The same but for the floor: a trial the floor never assesses may
    /// run in stretches (`CyclePath::unwatched`).
    stretches_but_floor: bool,
    /// The counted ledger applies (it never buys).
    counted: bool,
    /// Messages differ only in whether they respond, but refunds go back
    /// to the lot their credit came from (§8.4), and nothing is bought:
    /// the lean cycle with responses as stops, each responder's lot read
    /// off the ledger before its stretch is paid for (`fast::lean`).
    own_lots_lean: bool,
    /// Messages are `alike` and wait when blocked (§8.1), with no floor:
    /// the lean cycle with responses as stops, the days on which messages
    /// wait sent as the day-by-day path sends them (`fast::lean`).
    backlog_lean: bool,
    /// Open Profiles (§4a), otherwise `alike`, with no backlog and no
    /// floor: the lean cycle with responses as stops, special messages
    /// taken in order (`fast::lean`, `open_stretch`).
    open_lean: bool,
    /// Follow-ups charged when they go out (§5, Help 57013), otherwise
    /// `alike` (refunds fresh lots), with no backlog and no floor: the
    /// lean cycle whose days are paid for whole while the balance covers
    /// their new messages and the follow-ups due, when lots are spent in
    /// the order they came (`fast::follow_stretch`).
    follow_lean: bool,
}

impl CyclePath {
    /// The fastest path that gives `model`'s results.
    pub fn choose(model: &Model) -> CyclePath {
        let allows = allows(&model.scenario);
        if allows.own_lots_lean || allows.backlog_lean || allows.open_lean {
            return CyclePath::Lean {
                same_lifetimes: None,
            };
        }
        if allows.follow_lean
            && let Some(lifetime) = same_lifetimes(model)
        {
            return CyclePath::Lean {
                same_lifetimes: Some(lifetime),
            };
        }
        if !allows.alike {
            return CyclePath::DayByDay { alike: false };
        }
        if !allows.stretches {
            return CyclePath::DayByDay { alike: true };
        }
        match counted_lifetime(model, allows) {
            Some(lifetime) => CyclePath::Counted { lifetime },
            None => CyclePath::Lean {
                same_lifetimes: same_lifetimes(model),
            },
        }
    }

    /// The path of a trial in which the floor can never act, because its
    /// demand leaves no window the floor would assess
    /// (`rules::response_floor::never_assessed`): the path without the
    /// floor, if the floor alone keeps `model`'s days one by one. That
    /// check counts only new demand, so only for messages `alike` (no
    /// follow-ups, retries or free messages add sends). The lean cycle
    /// rather than the counted one, whose ledger the simulator keeps only
    /// on that path; both give the same results.
    pub fn unwatched(model: &Model) -> Option<CyclePath> {
        // Not with a backlog: its retries keep the days one by one too.
        let floor_only =
            model.scenario.floor.is_some() && allows(&model.scenario).stretches_but_floor;
        floor_only.then(|| CyclePath::Lean {
            same_lifetimes: same_lifetimes(model),
        })
    }

    /// Whether each day's new messages are one run through the ledger.
    #[inline(always)]
    pub fn alike(self) -> bool {
        !matches!(self, CyclePath::DayByDay { alike: false })
    }
}

/// Every field of the scenario, and which paths it allows.
fn allows(scenario: &Scenario) -> Allows {
    let Scenario {
        // Labels, the seed and the trial count: not the model.
        name: _,
        description: _,
        seed: _,
        trials: _,
        // Cycles and days: every path walks the same ones.
        months: _,
        start: _,
        horizon: _,
        // Plans are read from `Model::terms` (scaled for pooled seats, with
        // the changes): see `counted_lifetime` and `same_lifetimes`.
        plan: _,
        billing: _,
        plan_changes: _,
        // Seats that do not pool run one after another, each on the path.
        seats: _,
        // How `p` and the delays are drawn: the same on every path.
        response: _,
        delay: _,
        demand:
            Demand {
                // Drawn from its own stream, ahead or day by day alike.
                volume: _,
                distribution: _,
                weekends: _,
                // Blocked messages wait as a count and are retried before
                // new ones (`Simulator::send_backlog`), so new messages stay
                // alike (a blocked one waits whether or not it would have
                // responded: that is drawn when it is retried); but only
                // the day by day path keeps the backlog.
                backlog,
            },
        refunds:
            Refunds {
                // Drawn per reply and applied by `rules` on every path.
                window_days: _,
                declines: _,
                // §8.4: a refund back to its lot cares which lot paid, which
                // runs of sends do not track.
                expiry: refund_expiry,
            },
        open_profile:
            OpenProfile {
                // §4a: free messages are special; the limit matters only
                // when there are any.
                share,
                limit: _,
            },
        addons:
            Addons {
                policy,
                // Money only, counted from the purchases.
                price_cents: _,
                expiry_days: addon_expiry,
            },
        // §5: follow-ups watch each paid send.
        follow_ups,
        // The floor counts each day's sends and responses, assesses at the
        // end of each day and may close any day: days one by one. A day's
        // sends are still one run (`alike`): the floor is open or closed
        // for the whole day, and counts a day's sends and responses, not
        // their order.
        floor,
    } = scenario;
    let (addons_alike, addons_counted) = match policy {
        // Nothing bought.
        AddonPolicy::Never => (true, true),
        // Bought on the renewal day (§4 step 2), which every path runs
        // through the books; the counted ledger does not buy.
        AddonPolicy::Monthly { per_month: _ } => (true, false),
        // Bought only when a send finds the balance at 0 (§4b): a run of
        // sends buys exactly where a send would (`Books::spend_many` asks
        // `rules::addons::sends_before_purchase`), and the lean cycle,
        // which pays for days the balance holds, sends the day it runs
        // short day by day. The counted ledger does not buy. A policy that
        // buys above 0 would keep runs (`alike`) but not the lean cycle.
        AddonPolicy::WhenEmpty {
            pack: _,
            max_per_month: _,
        } => (true, false),
    };
    let alike = *share <= 0.0
        && follow_ups.is_none()
        && *refund_expiry == RefundExpiry::Fresh
        && addons_alike;
    let stretches_but_floor = alike && !backlog;
    let stretches = stretches_but_floor && floor.is_none();
    // As `alike`, but for refunds to their own lot; nothing bought, so the
    // lots a stretch's sends take are the ledger's before it.
    let own_lots_lean = *share <= 0.0
        && follow_ups.is_none()
        && *refund_expiry == RefundExpiry::Original
        && *policy == AddonPolicy::Never
        && !backlog
        && floor.is_none();
    Allows {
        alike,
        stretches,
        stretches_but_floor,
        addon_lifetime: match policy {
            AddonPolicy::Never => None,
            _ => Some(*addon_expiry),
        },
        counted: stretches && addons_counted,
        own_lots_lean,
        backlog_lean: alike && *backlog && floor.is_none(),
        open_lean: *share > 0.0
            && follow_ups.is_none()
            && *refund_expiry == RefundExpiry::Fresh
            && addons_alike
            && !backlog
            && floor.is_none(),
        follow_lean: *share <= 0.0
            && follow_ups.is_some_and(|f| !follow_up::charged_at_send(f.rule))
            && *refund_expiry == RefundExpiry::Fresh
            && addons_alike
            && !backlog
            && floor.is_none(),
    }
}

/// The number of days every lot a trial can hold lives, if it is the same
/// for all and longer than a cycle: grants and refunds under every plan in
/// force, and add-on packs if any can be bought. Lots are then spent in
/// the order they came, and a lot added during a cycle outlives the cycle.
/// Not with refunds to their own lot (§8.4): a refund may then expire
/// before lots held.
pub fn same_lifetimes(model: &Model) -> Option<u32> {
    if model.scenario.refunds.expiry == RefundExpiry::Original {
        return None;
    }
    let first = model.terms.first()?;
    let lifetime = first.plan.expiry_days;
    let plans_agree = model.terms.iter().all(|t| t.plan.expiry_days == lifetime);
    let addon_lifetime = allows(&model.scenario).addon_lifetime;
    let addons_agree = addon_lifetime.is_none_or(|days| lifetime == Some(days));
    lifetime.filter(|&days| plans_agree && addons_agree && days > 31)
}

/// The lifetime every lot of a trial has when the counted cycle applies:
/// one plan in force throughout, whose credits expire, that is never
/// cancelled, and no add-ons; with `alike` messages (refunds are fresh
/// lots, which live the plan's lifetime).
fn counted_lifetime(model: &Model, allows: Allows) -> Option<u32> {
    let [terms] = model.terms.as_slice() else {
        return None;
    };
    let plain = allows.counted && !terms.cancelled;
    terms
        .plan
        .expiry_days
        .filter(|&days| plain && days > 0 && mostly_sent(model, terms.plan.monthly_credits))
}

/// Whether a cycle's messages mostly go out: its mean demand is at most
/// [`HEAVY_DEMAND`] times the monthly grant. When demand far outruns the
/// credits, most of each cycle is blocked; the counted cycle then runs
/// most days in its second phase and schedules and withdraws most replies,
/// while the lean cycle blocks a stretch of days in one step. Both give
/// the same results; this only picks the faster.
fn mostly_sent(model: &Model, monthly_credits: u32) -> bool {
    let horizon = &model.scenario.horizon;
    let demand: f64 = (0..horizon.days()).map(|d| model.demand.mean(d)).sum();
    let per_cycle = demand / horizon.cycles.len() as f64;
    per_cycle <= HEAVY_DEMAND * f64::from(monthly_credits)
}

/// Measured on the reference scenario at 3 to 8 messages a workday (50
/// credits a month): the counted cycle is faster up to about 4 (87 a
/// month), the lean cycle from 5 (109 a month).
const HEAVY_DEMAND: f64 = 2.0;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::tests::timelines::model_of;

    fn path(text: &str) -> CyclePath {
        CyclePath::choose(&model_of(text))
    }

    fn core(extra: &str) -> String {
        format!("[plan]\nid = \"sales_navigator_core\"\n[demand]\nper_workday = {extra}")
    }

    #[test]
    fn the_counted_cycle_applies_to_one_expiring_plan_without_add_ons_and_demand_that_mostly_goes_out()
     {
        let counted = CyclePath::Counted { lifetime: 90 };
        assert_eq!(path(&core("3\n")), counted);
        // 50 credits a month: 4 a workday is at most twice that, 5 is more.
        assert_eq!(path(&core("4\n")), counted);
        let lean = CyclePath::Lean {
            same_lifetimes: Some(90),
        };
        assert_eq!(path(&core("5\n")), lean);
        let addons = core("3\n[addons]\npolicy = \"when_empty\"\n");
        assert!(matches!(path(&addons), CyclePath::Lean { .. }));
        let change = "\n[[plan_change]]\nfrom_cycle = 2\ncancel = true\n";
        let cancelled = path(&core(&format!("3{change}")));
        assert!(matches!(cancelled, CyclePath::Lean { .. }));
        // Credits that never expire.
        let never = "[plan]\nmonthly_credits = 30\ncap = 60\nexpiry_days = \"none\"\n\
                     renewal = \"calendar\"\nprice_monthly = 10\n[demand]\nper_workday = 1\n";
        let strict = CyclePath::Lean {
            same_lifetimes: None,
        };
        assert_eq!(path(never), strict);
        // Recruiter plans: the floor, on by default, watches each day.
        let recruiter = "[plan]\nid = \"recruiter_lite\"\n[demand]\nper_workday = 3\n";
        assert_eq!(path(recruiter), CyclePath::DayByDay { alike: true });
    }

    #[test]
    fn a_trial_the_floor_never_assesses_runs_in_stretches_only_if_nothing_else_needs_the_days() {
        let recruiter = "[plan]\nid = \"recruiter_lite\"\n[demand]\nper_workday = 3\n";
        let unwatched = |text: &str| CyclePath::unwatched(&model_of(text));
        assert!(matches!(unwatched(recruiter), Some(CyclePath::Lean { .. })));
        // The backlog's retries keep the days one by one, floor or not
        // (found by the invariants' random scenarios: a backlog left
        // waiting on the lean cycle).
        let backlog = recruiter.replace("per_workday = 3\n", "per_workday = 3\nbacklog = true\n");
        assert_eq!(unwatched(&backlog), None);
        assert_eq!(unwatched(&core("3\n")), None, "no floor");
    }

    #[test]
    fn messages_that_differ_in_more_than_their_responses_run_day_by_day() {
        let message_by_message = CyclePath::DayByDay { alike: false };
        let cases = [
            "3\nbacklog = true\n[open_profile]\nshare = 0.2\n",
            "3\n[refunds]\nexpiry = \"original\"\n[addons]\npolicy = \"monthly\"\nper_month = 5\n",
            "3\nbacklog = true\n[refunds]\nexpiry = \"original\"\n",
            // Follow-ups charged at the first send (Recruiter rule), or
            // with add-ons that outlive the plan's credits, or a backlog.
            "3\n[follow_ups]\nafter_days = 5\nrule = \"recruiter\"\n",
            "3\n[follow_ups]\nafter_days = 5\n[addons]\npolicy = \"monthly\"\nper_month = 5\n\
             expiry_days = 365\n",
            "3\nbacklog = true\n[follow_ups]\nafter_days = 5\n",
        ];
        for case in cases {
            assert_eq!(path(&core(case)), message_by_message, "{case}");
        }
        // Follow-ups charged when they go out, with lots of one lifetime:
        // the lean cycle, responses not stops (`fast::follow_stretch`).
        let follow_ups = path(&core("3\n[follow_ups]\nafter_days = 5\n"));
        let lazy = CyclePath::Lean {
            same_lifetimes: Some(90),
        };
        assert_eq!(follow_ups, lazy);
        // Refunds to their own lot, or Open Profiles, nothing else: the
        // lean cycle, with responses as stops.
        let own_lots = path(&core("3\n[refunds]\nexpiry = \"original\"\n"));
        let lean = CyclePath::Lean {
            same_lifetimes: None,
        };
        assert_eq!(own_lots, lean);
        assert_eq!(path(&core("3\n[open_profile]\nshare = 0.2\n")), lean);
        // So does a backlog alone; with the floor, the days are one by one
        // (new messages stay alike).
        assert_eq!(path(&core("3\nbacklog = true\n")), lean);
        let floor = "[plan]\nid = \"recruiter_lite\"\n[demand]\nper_workday = 3\nbacklog = true\n";
        assert_eq!(path(floor), CyclePath::DayByDay { alike: true });
    }

    #[test]
    fn lots_are_spent_in_the_order_they_came_only_when_lifetimes_agree() {
        let same = |extra: &str| same_lifetimes(&model_of(&core(&format!("3\n{extra}"))));
        assert_eq!(same(""), Some(90));
        let addons = "[addons]\npolicy = \"when_empty\"\nexpiry_days = ";
        assert_eq!(same(&format!("{addons}90\n")), Some(90));
        assert_eq!(same(&format!("{addons}365\n")), None);
        // Credits that never expire (Recruiter) are spent after the rest.
        let recruiter = "[plan]\nid = \"recruiter_lite\"\n[demand]\nper_workday = 3\n";
        assert_eq!(same_lifetimes(&model_of(recruiter)), None);
    }
}
