//! What each demanded InMail's recipient does, by the message's index in the
//! trial's demand sequence (0, 1, 2, … across the whole horizon).
//!
//! Who has an Open Profile and who responds are Bernoulli processes over that
//! index, so instead of one draw per message this draws the *gaps* between
//! successes: the gap before the next success of a Bernoulli(q) process is
//! Geometric(q), drawn by inverting a table of `P(G <= k)` with one 64-bit
//! word (for very small q, as `floor(E / λ)` with `E ~ Exp(1)`; see
//! [`GapDraw`]). The work then scales with responses, not sends. A
//! responder's delay and decline are drawn when its index is reached.
//!
//! Because attributes belong to the index, not to the send, two scenarios
//! run on the same trial see the same recipients message for message even
//! when one of them blocks sends the other makes: the common random numbers
//! that paired comparisons need. Blocked messages still use up their index.

use crate::sampling::delay::DelayTable;
use crate::sampling::streams::SimRng;
use crate::sampling::{TABLE_PAD, guided_count};
use rand::{Rng, RngExt};
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
#[derive(Debug, Clone)]
pub struct Gaps {
    /// Index of the next success; `u64::MAX` for never.
    pub next: u64,
    draw: GapDraw,
}

/// A gap table (see [`GapDraw::Table`]): `thresholds[k] = P(G <= k)`
/// scaled to 2^64 for `k < len`, then [`TABLE_PAD`] entries of padding
/// (`u64::MAX`, no thresholds; see [`guided_count`]); the entries after
/// those are left from a longer table and never read. `guide[j]` is where
/// the scan starts for words in the j-th of 2^GAP_GUIDE_BITS equal slices
/// (Chen and Asau's guide table).
///
/// One block of fixed size rather than a vector and an array: a loop that
/// draws gaps then holds one pointer for the whole table, and since a
/// guide entry (a byte) plus the two entries the scan reads from it always
/// fall within `thresholds`, it reads them with no bounds check. In the
/// counted cycle's responders loop, where the generator, the delay table,
/// the days and the arrivals compete for the registers, this took 4 to 8
/// instructions per responder, 125 before (the compiler's register choices
/// vary with the code around it).
#[derive(Debug, Clone)]
pub struct GapTable {
    thresholds: [u64; GAP_ROOM],
    guide: [u8; GAP_SLICES],
    len: usize,
}

/// Room for any guide entry (a byte, at most 255) and the two entries the
/// scan reads from it.
const GAP_ROOM: usize = u8::MAX as usize + 1 + TABLE_PAD;

/// How the gap before the next success is drawn.
// The table is held in place on purpose (see `GapDraw::Table`): a process
// is built once per simulator and refilled, never moved per draw.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
enum GapDraw {
    /// Every message succeeds (q >= 1).
    Always,
    /// No message does (q <= 0).
    Never,
    /// A [`GapTable`], inverted with one uniform word as the demand and
    /// delay tables are. A word past the last threshold means `G >= len`;
    /// then `G - len` is a fresh gap (the geometric is memoryless), so the
    /// tail is exact too.
    ///
    /// Held in place, not boxed: `gap` then reads it at a fixed offset
    /// from the process itself, with no pointer to follow.
    Table(GapTable),
    /// `floor(E / λ)` with `E ~ Exp(1)` and `λ = −ln(1 − q)`:
    /// `P(floor(E/λ) >= g) = e^{−gλ} = (1 − q)^g`. For rates too small for
    /// a short table to hold most gaps.
    Exponential { inverse_rate: f64 },
}

/// Rates below this draw by `Exponential`: their table would end before
/// most gaps do.
const GAP_TABLE_MIN_Q: f64 = 1.0 / 64.0;
/// At most this many entries; the table stops once `P(G >= len)` is below
/// 2^-8, or here (then a longer gap redraws, still exactly): building it
/// is per trial, and a redraw costs only another word.
const GAP_TABLE_MAX: usize = 128;
const GAP_GUIDE_BITS: u32 = 6;
/// As an array length, so that indexing by the word's top bits needs no
/// bounds check.
const GAP_SLICES: usize = 1 << GAP_GUIDE_BITS;

impl Gaps {
    pub fn new(q: f64) -> Gaps {
        let mut gaps = Gaps {
            next: u64::MAX,
            draw: GapDraw::Never,
        };
        gaps.set_rate(q);
        gaps
    }

    /// Successes now have probability `q`; a table is refilled in place,
    /// as a new trial's rate comes every trial.
    pub fn set_rate(&mut self, q: f64) {
        if (GAP_TABLE_MIN_Q..1.0).contains(&q) {
            if let GapDraw::Table(table) = &mut self.draw {
                fill_gap_table(q, table);
                return;
            }
        }
        self.draw = if q >= 1.0 {
            GapDraw::Always
        } else if q <= 0.0 {
            GapDraw::Never
        } else if q < GAP_TABLE_MIN_Q {
            GapDraw::Exponential {
                inverse_rate: -1.0 / (-q).ln_1p(),
            }
        } else {
            let mut table = GapTable {
                thresholds: [u64::MAX; GAP_ROOM],
                guide: [0; GAP_SLICES],
                len: 0,
            };
            fill_gap_table(q, &mut table);
            GapDraw::Table(table)
        };
    }

    /// The number of failures before the next success.
    #[inline(always)]
    pub fn gap(&self, rng: &mut SimRng) -> u64 {
        if let GapDraw::Table(table) = &self.draw {
            return table_gap(table, rng);
        }
        self.gap_without_table(rng)
    }

    /// The rarer draws, out of line so that the table's stays small.
    #[inline(never)]
    fn gap_without_table(&self, rng: &mut SimRng) -> u64 {
        match &self.draw {
            GapDraw::Table(table) => table_gap(table, rng),
            GapDraw::Always => 0,
            GapDraw::Never => u64::MAX,
            GapDraw::Exponential { inverse_rate } => {
                let e: f64 = Exp1.sample(rng);
                // `as` saturates, so an astronomically long gap means "never".
                (e * inverse_rate) as u64
            }
        }
    }

    /// The gap table, when gaps are drawn from one (see [`table_gap`]).
    #[inline(always)]
    pub fn table(&self) -> Option<&GapTable> {
        match &self.draw {
            GapDraw::Table(table) => Some(table),
            _ => None,
        }
    }

    /// The next success, to move on, and the gap table when gaps are
    /// drawn from one (see [`table_gap`]).
    #[inline(always)]
    pub fn next_and_table(&mut self) -> (&mut u64, Option<&GapTable>) {
        let table = match &self.draw {
            GapDraw::Table(table) => Some(table),
            _ => None,
        };
        (&mut self.next, table)
    }

    /// Starts the process at message `index`.
    pub fn start_at(&mut self, index: u64, rng: &mut SimRng) {
        self.next = index.saturating_add(self.gap(rng));
    }

    /// Index `index` was a success: draw the next one after it.
    #[inline]
    pub fn advance_past(&mut self, index: u64, rng: &mut SimRng) {
        self.next = index.saturating_add(1).saturating_add(self.gap(rng));
    }
}

/// `P(G <= k) = 1 − (1 − q)^(k+1)` as 64-bit thresholds, and the guide.
/// The powers are running products: after 128 of them the relative error
/// is under 128 · 2^-53, the same order as the rounding to 2^-64 words.
fn fill_gap_table(q: f64, table: &mut GapTable) {
    let GapTable {
        thresholds,
        guide,
        len,
    } = table;
    *len = 0;
    let mut survival = 1.0 - q;
    while *len < GAP_TABLE_MAX {
        thresholds[*len] = crate::sampling::word_threshold(1.0 - survival);
        *len += 1;
        if survival < 1.0 / 256.0 {
            break;
        }
        survival *= 1.0 - q;
    }
    // guide[j] = #{k : T(k) <= j · 2^58}: count each threshold at the
    // first slice whose start reaches it, then sum. Built every trial, so
    // it is a pass over the table and one over the slices, nothing more.
    guide.fill(0);
    for &t in &thresholds[..*len] {
        let first_slice = t.div_ceil(1 << (64 - GAP_GUIDE_BITS)) as usize;
        if let Some(count) = guide.get_mut(first_slice) {
            *count += 1;
        }
    }
    for j in 1..GAP_SLICES {
        guide[j] += guide[j - 1];
    }
    thresholds[*len..*len + TABLE_PAD].fill(u64::MAX);
}

/// A geometric gap by table inversion: the first `k` whose threshold is
/// above a uniform word, plus `len` for each word past the table.
/// `thresholds` is padded, as in [`GapDraw::Table`].
#[inline(always)]
pub fn table_gap(table: &GapTable, rng: &mut SimRng) -> u64 {
    let len = table.len;
    let mut skipped = 0u64;
    loop {
        let k = table_index(table, rng.next_u64());
        if k < len {
            return skipped + k as u64;
        }
        skipped += len as u64;
    }
}

/// The number of (unpadded) thresholds at or below the word `u`.
#[inline(always)]
fn table_index(table: &GapTable, u: u64) -> usize {
    let start = usize::from(table.guide[(u >> (64 - GAP_GUIDE_BITS)) as usize]);
    guided_count(&table.thresholds, table.len, start, u)
}

impl GapTable {
    /// The thresholds, without the padding.
    #[cfg(test)]
    fn real(&self) -> &[u64] {
        &self.thresholds[..self.len]
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
        self.reply.set_rate(p);
        self.reply.start_at(index, rng);
    }

    /// The first index at or after `from` that is an Open Profile or a
    /// responder; messages before it are neither.
    #[inline]
    pub fn next_special(&self) -> u64 {
        self.open.next.min(self.reply.next)
    }

    /// The response process itself, for a caller that draws its gaps
    /// inline (`fast::lean`, `fast::counted`); the draws must be those of
    /// `take_reply`.
    #[inline(always)]
    pub fn replies(&mut self) -> (&mut Gaps, Option<f64>) {
        (&mut self.reply, self.declines_share)
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
    #[inline(always)]
    pub fn take(&mut self, index: u64, delays: &DelayTable, rng: &mut SimRng) -> Message {
        let open_profile = self.open.next == index;
        if open_profile {
            self.open.advance_past(index, rng);
        }
        // An `if` rather than `bool::then` with a closure: the closure
        // was left out of line, a call for every special message.
        let reply = if self.reply.next == index {
            self.reply.advance_past(index, rng);
            Some(self.reply_attributes(delays, rng))
        } else {
            None
        };
        Message {
            open_profile,
            reply,
        }
    }

    /// A responder's delay, and whether it declines (drawn only when
    /// declines matter).
    #[inline]
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
        // P(gap = g) = (1-q)^g q, checked by counts within 4 se: for small
        // g, around the table's end (where longer gaps redraw), and by the
        // exponential draw for a rate below the table's.
        let cases = [
            (0.3, 0..6),
            (0.17, 0..6),
            (0.17, 28..34), // 0.83^30 < 2^-8: the table ends after 30
            (0.02, 0..4),
            (0.02, 125..131), // the table is capped at 128 entries
            (0.005, 0..4),
        ];
        let draws = 400_000;
        for (q, range) in cases {
            let mut rng = stream_rng(9, 0, Stream::Recipients);
            let gaps = Gaps::new(q);
            let mut counts = vec![0u32; (range.end - range.start) as usize];
            for _ in 0..draws {
                let g = gaps.gap(&mut rng);
                if range.contains(&g) {
                    counts[(g - range.start) as usize] += 1;
                }
            }
            for (g, &observed) in range.clone().zip(&counts) {
                let p = (1.0 - q).powi(g as i32) * q;
                let expected = draws as f64 * p;
                let se = (draws as f64 * p * (1.0 - p)).sqrt();
                assert!(
                    (f64::from(observed) - expected).abs() <= 4.0 * se,
                    "q {q}, gap {g}: {observed} vs {expected}"
                );
            }
        }
    }

    #[test]
    fn the_gap_table_ends_where_its_tail_is_small_or_at_its_cap() {
        let len = |q| match Gaps::new(q).draw {
            GapDraw::Table(table) => {
                assert_eq!(table.guide.len(), 1 << GAP_GUIDE_BITS);
                table.len
            }
            _ => 0,
        };
        // 0.83^30 = 3.7e-3 < 2^-8 = 3.9e-3 < 0.83^29.
        assert_eq!(len(0.17), 30);
        assert_eq!(len(0.02), GAP_TABLE_MAX);
        assert_eq!(len(0.01), 0);
        let mut reused = Gaps::new(0.5);
        reused.set_rate(0.17);
        assert_eq!(reused.next, u64::MAX);
        assert!(matches!(reused.draw, GapDraw::Table(ref table) if table.len == 30));
    }

    #[test]
    fn the_gap_guide_counts_the_thresholds_at_or_below_each_slice_start() {
        for q in [0.9, 0.3, 0.17, 0.05, 0.02] {
            let Gaps {
                draw: GapDraw::Table(table),
                ..
            } = Gaps::new(q)
            else {
                panic!("q {q} has a table");
            };
            for (j, &g) in table.guide.iter().enumerate() {
                let start = (j as u64) << (64 - GAP_GUIDE_BITS);
                let real = table.real();
                let expected = real.iter().filter(|&&t| t <= start).count();
                assert_eq!(usize::from(g), expected, "q {q}, slice {j}");
            }
        }
    }

    /// The plain scan from the guide's start for `u`.
    fn plain(thresholds: &[u64], guide: &[u8], u: u64) -> usize {
        let start = usize::from(guide[(u >> (64 - GAP_GUIDE_BITS)) as usize]);
        crate::sampling::plain_scan(thresholds, start, u)
    }

    /// `table_gap` as it was before the padding and the branch-free step:
    /// the reference the faster scan must match word for word.
    fn table_gap_by_loop(thresholds: &[u64], guide: &[u8], rng: &mut SimRng) -> u64 {
        let mut skipped = 0u64;
        loop {
            let u = rng.next_u64();
            let k = plain(thresholds, guide, u);
            if k < thresholds.len() {
                return skipped + k as u64;
            }
            skipped += thresholds.len() as u64;
        }
    }

    #[test]
    fn the_padded_gap_table_draws_what_the_plain_scan_draws_word_for_word() {
        for q in [0.02, 0.175, 0.5, 0.99] {
            // A table reused after a longer one, as trials do: what is
            // left past its padding must not be read.
            let mut gaps = Gaps::new(0.02);
            gaps.set_rate(q);
            let GapDraw::Table(table) = &gaps.draw else {
                panic!("q {q} has a table");
            };
            let (real, guide) = (table.real(), &table.guide);
            let padding = &table.thresholds[real.len()..real.len() + TABLE_PAD];
            assert!(padding.iter().all(|&t| t == u64::MAX));
            // Each word alone.
            for u in crate::sampling::testing_words(real) {
                assert_eq!(
                    table_index(table, u),
                    plain(real, guide, u),
                    "q {q}, u {u:#x}"
                );
            }
            // Whole gaps, redraws past the table included, from one stream:
            // the same gaps and the same words used.
            let mut fast = stream_rng(7, 0, Stream::Recipients);
            let mut slow = fast.clone();
            for _ in 0..100_000 {
                let g = table_gap(table, &mut fast);
                assert_eq!(g, table_gap_by_loop(real, guide, &mut slow), "q {q}");
            }
            assert_eq!(fast.next_u64(), slow.next_u64(), "q {q}");
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
