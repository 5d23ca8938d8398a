//! The lean cycle with follow-ups (credit-rules §5) charged when they go
//! out (Help 57013), refunds as fresh lots and every lot living as long
//! (`CyclePath::Lean { same_lifetimes: Some(_) }`).
//!
//! A day's sends are its follow-ups due and its new messages, and the
//! follow-ups due on a day are known once the day `after_days` before it
//! has been sent (the queue). So the days from a stop are taken in order
//! while the balance held at its start pays for all of their sends; those
//! days' credits are paid in one step, and the responses due on them come
//! in afterwards, exactly as `lazy_stretch` does without follow-ups: every
//! lot held expires before a refund lot does, so a refund takes no part in
//! paying for sends made before it, and those were affordable without it.
//! The first day the balance cannot pay for whole is sent as the
//! day-by-day path sends it (follow-ups, then new messages: purchases,
//! blocking); when it leaves no credit and none to buy, the days until
//! responses next arrive are blocked whole (`follow_blocked_until`). Every
//! draw is the day-by-day path's, in the same order within
//! each stream (new messages' responders, follow-ups' answers, the
//! demand), so every trial's results are identical to it (tested below).

use super::Simulator;
use super::follow_ups::queue_follow_ups;
use super::lean::next_reply;
use crate::calendar::Cycle;
use crate::engine::day::{DaySteps, days};
use crate::engine::path::CyclePath;
use crate::sampling::streams::SimRng;

impl Simulator<'_> {
    /// The days of `cycle` with follow-ups: in stretches when every lot
    /// lives as long (the path says how long; `Simulator::on_path` gives
    /// follow-ups no other lean cycle), otherwise one by one. Out
    /// of line, so that the other special cycles keep the code they had.
    #[inline(never)]
    pub(super) fn follow_lean_cycle(&mut self, cycle: &Cycle, demand_rng: &mut SimRng) {
        let model = self.books.model();
        let CyclePath::Lean {
            same_lifetimes: Some(lifetime),
        } = self.trial_path
        else {
            crate::engine::driver::day_by_day(self, model, cycle, demand_rng);
            return;
        };
        let first = cycle.first_day;
        let end = first + cycle.len;
        let first_index = self.demanded;
        self.draw_cycle_demand(first, end, demand_rng);
        let mut stretches = FollowStretches {
            sim: self,
            first,
            lifetime,
        };
        days(&mut stretches, first, end);
        self.books.add_demand(self.demanded - first_index);
    }

    /// The sends of days `day..stop` (`day` has been opened; `stop` is the
    /// next expiry or the cycle's end): see the module's docs.
    fn follow_lazy_stretch(&mut self, first: u32, mut day: u32, stop: u32, lifetime: u32) -> u32 {
        while day < stop {
            // `day`'s responses are in; its sends are not.
            let short = self.follow_covered_days(first, day, stop);
            let arrived = short > day
                && self
                    .books
                    .receive_between(day + 1, short.min(stop - 1), lifetime);
            day = short;
            if day >= stop || arrived {
                continue;
            }
            // `day` runs short: sent as the day-by-day path sends it.
            let new = self.bounds[(day + 1 - first) as usize] - self.demanded;
            self.books.catch_up_to(day);
            self.send_follow_ups(day);
            self.send_new_unalike(day, new as u32);
            day += 1;
            if day < stop && self.books.out_of_credit() {
                // Blocked until credits come: the next day with responses.
                let next = self.books.next_arrival_after(day - 1).min(stop);
                self.follow_blocked_until(first, day, next);
                day = next;
            }
            if day < stop {
                self.books.receive_on(day, lifetime);
            }
        }
        stop
    }

    /// Sends the days from `day` (before `stop`) whose follow-ups due and
    /// new messages the balance pays for, all together, and pays for them;
    /// returns the first day it does not pay for (`stop` if none).
    #[inline(always)]
    fn follow_covered_days(&mut self, first: u32, mut day: u32, stop: u32) -> u32 {
        // The fields apart, so that the follow-ups are borrowed once.
        let Simulator {
            books,
            recipients,
            rng,
            demanded,
            follow,
            bounds,
            paid_replies: replies,
            ..
        } = self;
        let f = follow.as_mut().expect("the follow-up cycle");
        let delays = &books.model().scenario.delay.table;
        let credit = books.balance();
        let (mut paid, mut follow_ups) = (0, 0);
        while day < stop {
            let due = f.due_count(day);
            let end = bounds[(day + 1 - first) as usize];
            let new = end - *demanded;
            if paid + due + new > credit {
                break;
            }
            paid += due + new;
            follow_ups += due;
            if due > 0 {
                f.take_due_whole(day, recipients, delays, |reply| {
                    books.schedule_paid_response(day, reply.delay, reply.decline);
                });
            }
            // The new messages, all paid: their responders' draws inline,
            // as `send_specials_in_one_run` makes them, then their
            // follow-ups queued.
            let start = *demanded;
            while recipients.next_responder() < end {
                let index = recipients.next_responder();
                let reply = next_reply(recipients, rng, delays, index);
                books.schedule_paid_response(day, reply.delay, reply.decline);
                replies.push((index - start, reply));
            }
            queue_follow_ups(f, day, new, replies);
            replies.clear();
            *demanded = end;
            day += 1;
        }
        books.pay(paid);
        books.follow_ups_paid_for(follow_ups);
        day
    }
}

impl Simulator<'_> {
    /// Days `day..next` with no credit held and none to buy, nothing
    /// arriving before `next`: every follow-up due and every new message
    /// is blocked, day by day as the day-by-day path counts them, and
    /// each takes its draws all the same; a blocked message has no
    /// follow-up.
    fn follow_blocked_until(&mut self, first: u32, day: u32, next: u32) {
        let Simulator {
            books,
            recipients,
            rng,
            demanded,
            follow,
            bounds,
            ..
        } = self;
        let f = follow.as_mut().expect("the follow-up cycle");
        let delays = &books.model().scenario.delay.table;
        for d in day..next {
            let due = f.take_due_whole(d, recipients, delays, |_| {});
            if due > 0 {
                books.follow_ups_blocked(d, due);
            }
            let end = bounds[(d + 1 - first) as usize];
            if end > *demanded {
                books.record_blocked(d, end - *demanded);
            }
            while recipients.next_responder() < end {
                let index = recipients.next_responder();
                next_reply(recipients, rng, delays, index);
            }
            *demanded = end;
        }
    }
}

/// The follow-up cycle's days (§4 in [`days`]'s order): each stop is
/// opened (steps 1–3), and its sends are the stretch of days up to the
/// next expiry.
struct FollowStretches<'s, 'm> {
    sim: &'s mut Simulator<'m>,
    first: u32,
    lifetime: u32,
}

impl DaySteps for FollowStretches<'_, '_> {
    #[inline(always)]
    fn open(&mut self, day: u32) {
        self.sim.books.open_day(day);
    }

    #[inline(always)]
    fn send(&mut self, day: u32, end: u32) -> Option<u32> {
        let sim = &mut *self.sim;
        let stop = sim.books.next_expiry(end);
        Some(sim.follow_lazy_stretch(self.first, day, stop, self.lifetime))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::tests::timelines::{Trial, model_of};

    /// The follow-up cycle must give every trial exactly what the
    /// message-by-message path gives: same draws, same metrics.
    #[test]
    fn the_lean_cycle_with_follow_ups_matches_the_day_by_day_path() {
        let core = "months = 6\n[plan]\nid = \"sales_navigator_core\"\n";
        let cases = [
            // The benchmarks' variant: mostly paid for whole.
            "[demand]\nper_workday = 3\n[follow_ups]\nafter_days = 6\n",
            // Blocks most days of a month: follow-ups blocked, and days
            // that run short one after another.
            "[demand]\nper_workday = 8\n[response]\nrate = \"30% to 60%\"\n\
             [follow_ups]\nafter_days = 3\nresponse_factor = 1\n",
            // Runs short mid-month with many refunds coming back in it;
            // follow-ups the next day, some answered first messages later.
            "[demand]\nper_workday = 4\n[response]\nrate = \"30% to 60%\"\n\
             [delay]\nmedian_days = 1\np90_days = 3\n[follow_ups]\nafter_days = 1\n",
            // Packs bought when empty, with a monthly limit that blocks.
            "[demand]\nper_workday = 5\n[addons]\npolicy = \"when_empty\"\npack = 2\n\
             max_per_month = 6\n[follow_ups]\nafter_days = 5\n",
            // Monthly packs, weekends, follow-ups due a month later.
            "[demand]\nper_workday = 2\nweekends = true\n[addons]\npolicy = \"monthly\"\n\
             per_month = 5\n[follow_ups]\nafter_days = 30\n",
            // Declines that do not refund, a short window, rates by cycle.
            "[demand]\nper_workday = 4\n[response]\ndeclines_share = 0.4\n\
             redraw = \"cycle\"\n[refunds]\ndeclines = false\nwindow_days = 5\n\
             [follow_ups]\nafter_days = 7\nresponse_factor = 0.8\n",
            // A different mean each cycle (no single demand table).
            "[demand]\nper_cycle = 60\n[follow_ups]\nafter_days = 4\n",
            // Two seats that do not pool, then a plan change.
            "seats = 2\n[demand]\nper_workday = 3\n[follow_ups]\nafter_days = 6\n\
             [[plan_change]]\nfrom_cycle = 2\nplan = { id = \"sales_navigator_advanced\" }\n",
        ];
        let mut texts: Vec<String> = cases.iter().map(|c| format!("{core}{c}")).collect();
        // Renewal on the subscription's day of the month (Premium).
        texts.push(
            "months = 6\nstart_date = 2026-01-15\n[plan]\nid = \"premium_career\"\n\
             [demand]\nper_workday = 2\n[follow_ups]\nafter_days = 6\n"
                .to_string(),
        );
        let (mut follow_ups, mut blocked, mut refunds) = (0, 0, 0);
        for text in &texts {
            let model = model_of(text);
            let path = CyclePath::choose(&model);
            assert!(
                matches!(
                    path,
                    CyclePath::Lean {
                        same_lifetimes: Some(_)
                    }
                ),
                "{path:?} for\n{text}"
            );
            let mut daily = Simulator::on_path(&model, CyclePath::DayByDay { alike: false });
            let mut fast = Simulator::new(&model);
            for trial in 0..300 {
                let (mut a, mut b) = (Trial::default(), Trial::default());
                daily.run_trial(trial, &mut a);
                fast.run_trial(trial, &mut b);
                assert_eq!(a, b, "trial {trial} of\n{text}");
                follow_ups += a.cycles.iter().map(|c| c.follow_ups).sum::<u64>();
                blocked += a.cycles.iter().map(|c| c.follow_ups_blocked).sum::<u64>();
                refunds += a.cycles.iter().map(|c| c.refunds).sum::<u64>();
            }
        }
        assert!(
            follow_ups > 0 && blocked > 0 && refunds > 0,
            "{follow_ups} follow-ups, {blocked} blocked, {refunds} refunds"
        );
    }
}
