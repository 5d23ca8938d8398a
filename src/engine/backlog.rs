//! Blocked messages waiting for a credit (`backlog = true`, credit-rules
//! §8.1), in order. Plain messages (no Open Profile, no response) are kept
//! as run lengths, so a long blocked spell costs one entry, not one per
//! message; the memory is reused from trial to trial.

use super::recipients::Message;
use std::collections::VecDeque;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Waiting {
    /// This many plain messages.
    Plain(u64),
    One(Message),
}

#[derive(Debug, Clone, Default)]
pub struct Backlog {
    queue: VecDeque<Waiting>,
    /// Messages waiting, all entries counted.
    total: u64,
    /// Open Profile messages waiting: they may still go out free.
    open_profile: u64,
}

impl Backlog {
    pub fn clear(&mut self) {
        self.queue.clear();
        self.total = 0;
        self.open_profile = 0;
    }

    pub fn total(&self) -> u64 {
        self.total
    }

    pub fn open_profile(&self) -> u64 {
        self.open_profile
    }

    pub fn push_plain(&mut self, count: u64) {
        if count == 0 {
            return;
        }
        self.total += count;
        match self.queue.back_mut() {
            Some(Waiting::Plain(n)) => *n += count,
            _ => self.queue.push_back(Waiting::Plain(count)),
        }
    }

    pub fn push(&mut self, message: Message) {
        self.total += 1;
        self.open_profile += u64::from(message.open_profile);
        self.queue.push_back(Waiting::One(message));
    }

    /// Moves every entry out, in order, leaving this backlog empty but with
    /// its memory; `into` receives them.
    pub fn drain_into(&mut self, into: &mut Vec<Waiting>) {
        into.extend(self.queue.drain(..));
        self.total = 0;
        self.open_profile = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::recipients::Reply;

    #[test]
    fn plain_runs_merge_and_special_messages_keep_their_place() {
        let mut b = Backlog::default();
        b.push_plain(3);
        b.push_plain(2);
        let m = Message {
            open_profile: true,
            reply: Some(Reply {
                delay: 2,
                decline: false,
            }),
        };
        b.push(m);
        b.push_plain(4);
        assert_eq!((b.total(), b.open_profile()), (10, 1));
        let mut out = Vec::new();
        b.drain_into(&mut out);
        assert_eq!(
            out,
            vec![Waiting::Plain(5), Waiting::One(m), Waiting::Plain(4)]
        );
        assert_eq!((b.total(), b.open_profile()), (0, 0));
    }
}
