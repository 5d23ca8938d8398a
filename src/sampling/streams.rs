//! Independent random streams, derived from the scenario seed.
//!
//! Every trial gets its own generators, seeded from `(seed, trial, stream)`
//! by a SplitMix64-style mix, so a trial's numbers do not depend on which
//! batch or thread ran it: output is byte-identical for any thread count
//! (rand's `examples/rayon-monte-carlo.rs` seeds per batch; seeding per
//! trial is the same idea one level finer, and it lets two scenarios run
//! on the same simulated trials). Separate streams for separate purposes
//! keep, for instance, a trial's response rate the same whatever its demand.
//!
//! The generator is wyrand ([`super::generator`]), written here so that
//! its numbers cannot change with a dependency's release; each stream
//! starts at its seed, a SplitMix64-mixed word.

use rand::SeedableRng;

pub type SimRng = super::generator::WyRand;

/// What a stream drives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u64)]
pub enum Stream {
    /// The trial's response rate (and its per-cycle redraws).
    Rate = 1,
    /// Daily demand.
    Demand = 2,
    /// Recipients: Open Profile, response, delay, decline.
    Recipients = 3,
    /// Responses of messages sent from the backlog (the fast engine).
    Backlog = 4,
    /// Follow-ups (credit-rules §5): whether each one gets a response, its
    /// delay and decline. Apart from `Recipients`, so that turning
    /// follow-ups on leaves the recipients of new messages as they were.
    FollowUps = 5,
}

/// SplitMix64's finaliser: a bijection that spreads nearby inputs apart.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The 64-bit seed of one stream of one trial.
pub fn stream_seed(seed: u64, trial: u64, stream: Stream) -> u64 {
    const GOLDEN: u64 = 0x9e37_79b9_7f4a_7c15;
    let a = mix(seed.wrapping_add(GOLDEN));
    let b = mix(a ^ trial.wrapping_mul(GOLDEN).wrapping_add(1));
    mix(b ^ (stream as u64).wrapping_mul(0xd6e8_feb8_6659_fd93))
}

pub fn stream_rng(seed: u64, trial: u64, stream: Stream) -> SimRng {
    SimRng::seed_from_u64(stream_seed(seed, trial, stream))
}

/// One seat of one trial. Seats that do not pool their credits are
/// simulated as independent copies within the trial (`seats = N`); each
/// draws its demand and recipients from its own streams. Seat 0's streams
/// are the trial's own, so `seats = 1` changes no number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrialKey {
    pub trial: u64,
    pub seat: u32,
}

impl TrialKey {
    pub fn new(trial: u64, seat: u32) -> TrialKey {
        TrialKey { trial, seat }
    }

    /// The 64-bit seed of one stream of this seat.
    pub fn stream_seed(self, seed: u64, stream: Stream) -> u64 {
        let base = stream_seed(seed, self.trial, stream);
        match self.seat {
            0 => base,
            seat => mix(base ^ mix(u64::from(seat).wrapping_mul(0xa076_1d64_78bd_642f))),
        }
    }

    pub fn rng(self, seed: u64, stream: Stream) -> SimRng {
        SimRng::seed_from_u64(self.stream_seed(seed, stream))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngExt;

    #[test]
    fn streams_differ_by_seed_trial_and_purpose() {
        let base = stream_seed(1, 0, Stream::Demand);
        assert_ne!(base, stream_seed(2, 0, Stream::Demand));
        assert_ne!(base, stream_seed(1, 1, Stream::Demand));
        assert_ne!(base, stream_seed(1, 0, Stream::Recipients));
        let mut seen: Vec<u64> = (0..10_000)
            .map(|t| stream_seed(7, t, Stream::Rate))
            .collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), 10_000);
    }

    #[test]
    fn seat_0_is_the_trial_and_other_seats_have_their_own_streams() {
        let key = |trial, seat| TrialKey::new(trial, seat).stream_seed(7, Stream::Demand);
        assert_eq!(key(3, 0), stream_seed(7, 3, Stream::Demand));
        let mut seen: Vec<u64> = (0..100)
            .flat_map(|t| (0..100).map(move |s| key(t, s)))
            .collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), 10_000);
    }

    #[test]
    fn the_same_key_gives_the_same_numbers() {
        // Pins the stream: if this changes, every output file changes.
        let mut a = stream_rng(42, 3, Stream::Rate);
        let mut b = stream_rng(42, 3, Stream::Rate);
        let xs: Vec<u64> = (0..4).map(|_| a.random()).collect();
        let ys: Vec<u64> = (0..4).map(|_| b.random()).collect();
        assert_eq!(xs, ys);
    }
}
