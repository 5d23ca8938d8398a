//! What each demanded InMail's recipient does, by the message's index in the
//! trial's demand sequence (0, 1, 2, … across the whole horizon).
//!
//! Who has an Open Profile and who responds are Bernoulli processes over that
//! index, so instead of one draw per message this draws the *gaps* between
//! successes: the gap before the next success of a Bernoulli(q) process is
//! Geometric(q), drawn exactly as `floor(E / λ)` with `E ~ Exp(1)` and
//! `λ = −ln(1 − q)`, since `P(floor(E/λ) ≥ g) = e^{−gλ} = (1 − q)^g`. The
//! work then scales with responses, not sends. A responder's delay and
//! decline are drawn when its index is reached.
//!
//! Because attributes belong to the index, not to the send, two scenarios
//! run on the same trial see the same recipients message for message even
//! when one of them blocks sends the other makes: the common random numbers
//! that paired comparisons need. Blocked messages still use up their index.

use crate::sampling::delay::DelayTable;
use crate::sampling::streams::SimRng;
use rand::RngExt;
use rand_distr::{Distribution, Exp1};

/// A response to come: days after sending, and whether it is a decline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reply {
    pub delay: u32,
    pub decline: bool,
}

/// One message that is an Open Profile, responds, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Message {
    pub open_profile: bool,
    pub reply: Option<Reply>,
}

/// The successes of a Bernoulli process over message indices.
#[derive(Debug, Clone, Copy)]
pub struct Gaps {
    /// Index of the next success; `u64::MAX` for never.
    pub next: u64,
    /// `1 / λ`; 0 when every message succeeds, infinite when none does.
    inverse_rate: f64,
}

impl Gaps {
    pub fn new(q: f64) -> Gaps {
        let inverse_rate = if q >= 1.0 {
            0.0
        } else if q <= 0.0 {
            f64::INFINITY
        } else {
            -1.0 / (-q).ln_1p()
        };
        Gaps {
            next: u64::MAX,
            inverse_rate,
        }
    }

    /// The number of failures before the next success.
    fn gap(&self, rng: &mut SimRng) -> u64 {
        if self.inverse_rate == 0.0 {
            return 0;
        }
        if self.inverse_rate.is_infinite() {
            return u64::MAX;
        }
        let e: f64 = Exp1.sample(rng);
        // `as` saturates, so an astronomically long gap means "never".
        (e * self.inverse_rate) as u64
    }

    /// Starts the process at message `index`.
    pub fn start_at(&mut self, index: u64, rng: &mut SimRng) {
        self.next = index.saturating_add(self.gap(rng));
    }

    /// Index `index` was a success: draw the next one after it.
    pub fn advance_past(&mut self, index: u64, rng: &mut SimRng) {
        self.next = index.saturating_add(1).saturating_add(self.gap(rng));
    }
}

/// The recipients of one trial.
#[derive(Debug, Clone)]
pub struct Recipients {
    open: Gaps,
    reply: Gaps,
    /// Share of responses that are declines; draws are made only when
    /// declines matter (`refund_declines = false`).
    declines_share: Option<f64>,
}

impl Recipients {
    pub fn new(open_profile_share: f64, declines_share: Option<f64>) -> Recipients {
        Recipients {
            open: Gaps::new(open_profile_share),
            reply: Gaps::new(0.0),
            declines_share,
        }
    }

    /// A new trial: Open Profiles from index 0, responses at rate `p`.
    pub fn start(&mut self, p: f64, rng: &mut SimRng) {
        self.open.start_at(0, rng);
        self.set_rate(p, 0, rng);
    }

    /// From message `index` on, messages respond with probability `p`
    /// (a new cycle's rate with `redraw = "cycle"`). Exact: the process is
    /// memoryless, so restarting it at `index` changes nothing else.
    pub fn set_rate(&mut self, p: f64, index: u64, rng: &mut SimRng) {
        self.reply = Gaps::new(p);
        self.reply.start_at(index, rng);
    }

    /// The first index at or after `from` that is an Open Profile or a
    /// responder; messages before it are neither.
    #[inline]
    pub fn next_special(&self) -> u64 {
        self.open.next.min(self.reply.next)
    }

    /// The next responder: messages before it get no response.
    #[inline(always)]
    pub fn next_responder(&self) -> u64 {
        self.reply.next
    }

    /// The response of message `index`, which must be `next_responder()`,
    /// when no message is an Open Profile: the same draws, in the same
    /// order, as [`Recipients::take`].
    pub fn take_reply(&mut self, index: u64, delays: &DelayTable, rng: &mut SimRng) -> Reply {
        debug_assert_eq!(
            self.open.next,
            u64::MAX,
            "Open Profiles are drawn by `take`"
        );
        debug_assert_eq!(self.reply.next, index);
        self.reply.advance_past(index, rng);
        self.reply_attributes(delays, rng)
    }

    /// The attributes of message `index`, which must be `next_special()`.
    pub fn take(&mut self, index: u64, delays: &DelayTable, rng: &mut SimRng) -> Message {
        let open_profile = self.open.next == index;
        if open_profile {
            self.open.advance_past(index, rng);
        }
        let reply = (self.reply.next == index).then(|| {
            self.reply.advance_past(index, rng);
            self.reply_attributes(delays, rng)
        });
        Message {
            open_profile,
            reply,
        }
    }

    /// A fresh response draw for one message at rate `p`, outside the
    /// index processes (used to redraw a waiting backlog, §8.9).
    pub fn redraw(&self, p: f64, delays: &DelayTable, rng: &mut SimRng) -> Option<Reply> {
        (rng.random::<f64>() < p).then(|| self.reply_attributes(delays, rng))
    }

    /// A responder's delay, and whether it declines (drawn only when
    /// declines matter).
    pub fn reply_attributes(&self, delays: &DelayTable, rng: &mut SimRng) -> Reply {
        let delay = delays.sample(rng);
        let decline = self.declines_share.is_some_and(|d| rng.random::<f64>() < d);
        Reply { delay, decline }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sampling::delay::DelaySpec;
    use crate::sampling::streams::{Stream, stream_rng};

    fn successes(q: f64, messages: u64, seed: u64) -> u64 {
        let mut rng = stream_rng(seed, 0, Stream::Recipients);
        let mut gaps = Gaps::new(q);
        gaps.start_at(0, &mut rng);
        let mut count = 0;
        while gaps.next < messages {
            count += 1;
            gaps.advance_past(gaps.next, &mut rng);
        }
        count
    }

    #[test]
    fn geometric_gaps_give_each_message_probability_q() {
        // Successes among n messages are Binomial(n, q): compare with n·q
        // within 4 standard errors sqrt(n q (1-q)) (a chance failure has
        // probability 6e-5 per case; the seeds are fixed).
        let n = 2_000_000;
        for (q, seed) in [(0.17, 1), (0.5, 2), (0.01, 3), (0.999, 4)] {
            let observed = successes(q, n, seed) as f64;
            let expected = n as f64 * q;
            let se = (n as f64 * q * (1.0 - q)).sqrt();
            assert!(
                (observed - expected).abs() <= 4.0 * se,
                "q {q}: {observed} vs {expected}"
            );
        }
        assert_eq!(successes(0.0, 1000, 5), 0);
        assert_eq!(successes(1.0, 1000, 6), 1000);
    }

    #[test]
    fn gaps_are_geometric_not_just_right_on_average() {
        // P(gap = g) = (1-q)^g q. Check g = 0..5 by counts within 4 se.
        let q = 0.3;
        let draws = 400_000;
        let mut rng = stream_rng(9, 0, Stream::Recipients);
        let gaps = Gaps::new(q);
        let mut counts = [0u32; 6];
        for _ in 0..draws {
            let g = gaps.gap(&mut rng);
            if g < 6 {
                counts[g as usize] += 1;
            }
        }
        for (g, &observed) in counts.iter().enumerate() {
            let p = (1.0 - q).powi(g as i32) * q;
            let expected = draws as f64 * p;
            let se = (draws as f64 * p * (1.0 - p)).sqrt();
            assert!(
                (f64::from(observed) - expected).abs() <= 4.0 * se,
                "gap {g}: {observed} vs {expected}"
            );
        }
    }

    #[test]
    fn a_message_can_be_both_an_open_profile_and_a_responder() {
        let delays = DelayTable::new(&DelaySpec::Fixed { days: 3.0 }, 30).unwrap();
        let mut rng = stream_rng(1, 0, Stream::Recipients);
        let mut r = Recipients::new(1.0, None);
        r.start(1.0, &mut rng);
        assert_eq!(r.next_special(), 0);
        let m = r.take(0, &delays, &mut rng);
        assert_eq!(
            m,
            Message {
                open_profile: true,
                reply: Some(Reply {
                    delay: 3,
                    decline: false
                })
            }
        );
        assert_eq!(r.next_special(), 1);
    }
}
