//! Blocked messages waiting for a credit (`backlog = true`, credit-rules
//! §8.1), as two counts, not a list: memory stays the same however long a
//! blocked spell lasts (issue 17: a list of the waiting messages grew to
//! 1.8 GB over a century of blocked demand). Waiting messages are
//! exchangeable: each needs the same thing (a credit, or a free slot), and
//! whether one responds is drawn when it goes out (§4c), so which of them
//! goes out first changes nothing.

/// The two kinds of waiting message.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Backlog {
    /// Open Profile messages refused by the floor while the cycle's free
    /// limit had room: they may still go out free (docs/credit-rules.md
    /// §8.1).
    pub open_profile: u64,
    /// Messages that need a credit, Open Profile ones blocked past the
    /// limit included: they never go out free (§8.1, issue 17).
    pub paid: u64,
}

impl Backlog {
    pub fn total(&self) -> u64 {
        self.open_profile + self.paid
    }

    /// `count` messages blocked; `free` when they may still go out free
    /// (see [`crate::engine::books::Books::waits_free`]).
    pub fn push(&mut self, count: u64, free: bool) {
        match free {
            true => self.open_profile += count,
            false => self.paid += count,
        }
    }

    /// Takes every waiting message out, leaving this backlog empty.
    pub fn take(&mut self) -> Backlog {
        std::mem::take(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waiting_messages_are_two_counts_and_taking_them_empties_the_backlog() {
        let mut b = Backlog::default();
        b.push(3, false);
        b.push(2, true);
        b.push(4, false);
        assert_eq!(b.total(), 9);
        assert_eq!(
            b.take(),
            Backlog {
                open_profile: 2,
                paid: 7
            }
        );
        assert_eq!(b.total(), 0);
    }
}
