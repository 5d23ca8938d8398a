//! The simulator's pseudo-random generator: wyrand.
//!
//! wyrand (Wang Yi, wyhash final version 4.2) keeps one 64-bit word of
//! state, advanced by a Weyl step (an addition of an odd constant, period
//! 2^64), and outputs the state mixed by one 64 × 64 → 128-bit multiply,
//! its halves xor-ed. It passes BigCrush and PractRand to many terabytes
//! (one bit-reversed PractRand run found anomalies at 32 TB); fastrand,
//! which tempfile uses, and Go's runtime use it. A trial's stream uses a
//! few thousand words, nine orders of magnitude short of that.
//!
//! Why not Xoshiro256++, the generator until issue 22's fourth session: its
//! four words of state did not fit in registers beside the tables and the
//! days in the engine's hottest loops, so every responder spilled and
//! reloaded them; wyrand's one word costs the reference scenario 8% fewer
//! instructions and about 3% less CPU time (docs/performance.md). The
//! streams stay independent in practice: each is a stretch of the one
//! Weyl sequence starting at a mixed 64-bit seed (the streams module), so
//! two of them overlap only if two seeds fall within a stream's length of
//! each other: N streams of L words overlap somewhere with probability
//! about N²L/2^64 — for ten million trials of the reference scenario (3
//! streams a trial, each under 1,000 words) about 5% — and then two
//! trials share a run of numbers, which moves no estimate.
//!
//! The constants are wyhash v4.2's; `tests` checks the sequence against
//! fastrand's implementation of the same generator.

use rand::{SeedableRng, TryRng};
use std::convert::Infallible;

/// wyrand: see the module docs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WyRand {
    state: u64,
}

/// The Weyl step (odd) and the mixing constant of wyhash v4.2.
const STEP: u64 = 0x2d35_8dcc_aa6c_78a5;
const MIX: u64 = 0x8bb8_4b93_962e_acc9;

impl WyRand {
    /// The generator whose state is `seed`, as fastrand's `with_seed`.
    pub const fn new(seed: u64) -> WyRand {
        WyRand { state: seed }
    }
}

impl SeedableRng for WyRand {
    type Seed = [u8; 8];

    fn from_seed(seed: [u8; 8]) -> WyRand {
        WyRand::new(u64::from_le_bytes(seed))
    }

    /// The state is the seed itself: every seed the simulator uses is
    /// already a mixed 64-bit word (`stream_seed`, in the streams module).
    fn seed_from_u64(seed: u64) -> WyRand {
        WyRand::new(seed)
    }
}

impl TryRng for WyRand {
    type Error = Infallible;

    #[inline(always)]
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok((self.try_next_u64()? >> 32) as u32)
    }

    #[inline(always)]
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        self.state = self.state.wrapping_add(STEP);
        let product = u128::from(self.state) * u128::from(self.state ^ MIX);
        Ok((product >> 64) as u64 ^ product as u64)
    }

    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), Infallible> {
        for chunk in dest.chunks_mut(8) {
            let word = self.try_next_u64()?.to_le_bytes();
            chunk.copy_from_slice(&word[..chunk.len()]);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn the_sequence_is_fastrands_wyrand() {
        for seed in [0, 1, 42, u64::MAX, 0x9e37_79b9_7f4a_7c15] {
            let mut ours = WyRand::seed_from_u64(seed);
            let mut theirs = fastrand::Rng::with_seed(seed);
            for _ in 0..1_000 {
                assert_eq!(ours.next_u64(), theirs.u64(..));
            }
        }
    }

    #[test]
    fn bytes_and_u32_come_from_the_same_words() {
        let mut a = WyRand::new(7);
        let mut b = WyRand::new(7);
        let mut bytes = [0u8; 12];
        a.fill_bytes(&mut bytes);
        let first = b.next_u64().to_le_bytes();
        let second = b.next_u64().to_le_bytes();
        assert_eq!(bytes[..8], first);
        assert_eq!(bytes[8..], second[..4]);
        assert_eq!(a.next_u32(), (b.next_u64() >> 32) as u32);
    }

    #[test]
    fn a_words_bits_are_balanced() {
        // Each of the 64 bits is set in half the words: over 100,000
        // words a bit's count has standard deviation 158 (sqrt(n/4)); 5
        // standard errors (790) for 64 bits at once, fixed seed.
        let mut rng = WyRand::new(12345);
        let n = 100_000;
        let mut ones = [0u32; 64];
        for _ in 0..n {
            let w = rng.next_u64();
            for (bit, count) in ones.iter_mut().enumerate() {
                *count += ((w >> bit) & 1) as u32;
            }
        }
        for (bit, &count) in ones.iter().enumerate() {
            let off = (f64::from(count) - n as f64 / 2.0).abs();
            assert!(off < 790.0, "bit {bit}: {count} ones in {n} words");
        }
    }
}
