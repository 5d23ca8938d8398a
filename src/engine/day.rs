//! The order of a day's steps (credit-rules.md §4), written once. Every
//! path of both engines runs its days through [`days`]; a path supplies
//! only how it carries out each step ([`DaySteps`]), in its own batching:
//!
//! - the day-by-day loop (`driver::day_by_day`): each step on the books,
//!   one day at a time;
//! - the lean cycle (`fast::lean`): a day's sends are a *stretch* of days
//!   up to the next day on which steps 1–3 do something (the next stop),
//!   so the days in between are not opened;
//! - the counted cycle (`fast::counted`): steps 1 and 3 are two running
//!   totals, and the days run until one whose sends the balance cannot
//!   all pay for, which the path then sends its own way.
//!
//! The renewal (step 2) is the first day of a cycle: the day-by-day and
//! lean paths run it inside `open` (`Books::open_day`); the counted cycle
//! runs steps 1 and 2 of that day before its first `days` call, whose
//! step 1 on it then finds nothing left to expire.

/// How a path carries out the steps of one day.
pub trait DaySteps {
    /// §4 steps 1–3 at the start of `day`: lots whose day has come expire,
    /// the renewal on a cycle's first day, responses due today arrive.
    fn open(&mut self, day: u32);
    /// §4 step 4, the sends of `day` (follow-ups due, then the backlog,
    /// then new demand), after `open`. Returns the next day that needs
    /// opening — `day + 1`, or later when the path sent a stretch of days
    /// on none of which steps 1–3 do anything — or `None` when the path
    /// left `day`'s sends undone (opened, not sent, not closed) and the
    /// days stop there.
    fn send(&mut self, day: u32, end: u32) -> Option<u32>;
}

/// The days from `from` up to `end`, each in the order of §4: open, then
/// send. Returns `end`, or the day whose sends `send` left undone. (A
/// day's end has no step of its own: the Recruiter response-rate floor's
/// assessment of a day (§5, Help 413271) is made late, as a later day
/// opens that it may block, `ResponseFloor::open`.)
#[inline(always)]
pub fn days<S: DaySteps + ?Sized>(steps: &mut S, from: u32, end: u32) -> u32 {
    let mut day = from;
    while day < end {
        steps.open(day);
        let Some(next) = steps.send(day, end) else {
            return day;
        };
        day = next;
    }
    end
}
