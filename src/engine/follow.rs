//! Follow-ups waiting to go out (credit-rules §5): an InMail still without
//! a response `after_days` after it was sent is followed up that day. The
//! queue holds, for each of the next `after_days` days, the follow-ups due
//! in the order their first messages went out, as run lengths: a plain run
//! of first messages becomes one entry, not one per message.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// Follow-ups whose first message never gets a response: each may get
    /// one of its own, with probability `response_factor × p`.
    Open(u64),
    /// Follow-ups whose first message is answered, but only after the
    /// follow-up is sent: the recipient answers once, so these get none.
    Answered(u64),
}

/// The follow-ups due on a day, by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DueTotals {
    pub open: u64,
    pub answered: u64,
}

/// The follow-ups due on one day: the entries in order, and their totals.
#[derive(Debug, Clone, Default)]
struct Slot {
    entries: Vec<Due>,
    /// How many of its follow-ups are `Open` and how many `Answered`: a
    /// day whose follow-ups all go out, or are all blocked, needs only
    /// these (`fast::follow_stretch`), not the order.
    totals: DueTotals,
}

impl Slot {
    fn clear(&mut self) {
        self.entries.clear();
        self.totals = DueTotals::default();
    }
}

#[derive(Debug, Clone)]
pub struct FollowQueue {
    /// Entries due on day `d` at `d & mask`. At most `after_days + 1`
    /// days have entries at once (those from today to `after_days` ahead),
    /// so a power of two at least that long never mixes two days; a slot is
    /// found with a mask, not a division (every day takes one, and every
    /// run of first messages pushes one).
    slots: Vec<Slot>,
    mask: usize,
    after: u32,
    days: u32,
}

impl FollowQueue {
    pub fn new(after_days: u32, horizon_days: u32) -> FollowQueue {
        let len = (after_days as usize + 1).next_power_of_two();
        FollowQueue {
            slots: vec![Slot::default(); len],
            mask: len - 1,
            after: after_days,
            days: horizon_days,
        }
    }

    pub fn clear(&mut self) {
        self.slots.iter_mut().for_each(Slot::clear);
    }

    /// The day a message sent on `day` is followed up, if inside the horizon.
    pub fn due_day(&self, day: u32) -> Option<u32> {
        let due = day + self.after;
        (due < self.days).then_some(due)
    }

    /// Follow-ups of messages sent on `day`; nothing past the horizon.
    pub fn push(&mut self, day: u32, due: Due) {
        if matches!(due, Due::Open(0) | Due::Answered(0)) {
            return;
        }
        let Some(on) = self.due_day(day) else { return };
        let slot = &mut self.slots[on as usize & self.mask];
        match due {
            Due::Open(n) => slot.totals.open += n,
            Due::Answered(n) => slot.totals.answered += n,
        }
        match (slot.entries.last_mut(), due) {
            (Some(Due::Open(n)), Due::Open(m)) | (Some(Due::Answered(n)), Due::Answered(m)) => {
                *n += m;
            }
            _ => slot.entries.push(due),
        }
    }

    /// The entries due on `day`, in order; then [`FollowQueue::clear_day`].
    /// Reading the day's slot in place spares moving it out and back every
    /// day.
    #[inline(always)]
    pub fn due_on(&self, day: u32) -> &[Due] {
        &self.slots[day as usize & self.mask].entries
    }

    /// How many follow-ups of each kind are due on `day`.
    #[inline(always)]
    pub fn totals_on(&self, day: u32) -> DueTotals {
        self.slots[day as usize & self.mask].totals
    }

    /// Empties `day`'s slot once its entries are read; its memory is kept.
    #[inline(always)]
    pub fn clear_day(&mut self, day: u32) {
        self.slots[day as usize & self.mask].clear();
    }

    /// Moves the follow-ups due on `day` into `into`, in order. An empty
    /// `into` (the usual case) trades buffers with the day's slot rather
    /// than copying: both keep their memory, nothing is allocated.
    pub fn take(&mut self, day: u32, into: &mut Vec<Due>) {
        let slot = &mut self.slots[day as usize & self.mask];
        slot.totals = DueTotals::default();
        if into.is_empty() {
            std::mem::swap(into, &mut slot.entries);
        } else {
            into.append(&mut slot.entries);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_merge_in_order_and_nothing_is_queued_past_the_horizon() {
        let mut q = FollowQueue::new(3, 10);
        q.push(1, Due::Open(2));
        q.push(1, Due::Open(1));
        q.push(1, Due::Answered(1));
        q.push(1, Due::Open(4));
        q.push(2, Due::Open(5));
        q.push(7, Due::Open(9)); // due on day 10: past the horizon
        let totals = DueTotals {
            open: 7,
            answered: 1,
        };
        assert_eq!(q.totals_on(4), totals);
        let mut out = Vec::new();
        q.take(4, &mut out);
        assert_eq!(q.totals_on(4), DueTotals::default());
        assert_eq!(out, [Due::Open(3), Due::Answered(1), Due::Open(4)]);
        out.clear();
        q.take(5, &mut out);
        assert_eq!(out, [Due::Open(5)]);
        // Day 10's slot (shared with day 2 in a ring of 4) holds nothing.
        q.take(10, &mut out);
        assert_eq!(out.len(), 1);
    }
}
