//! Exact integer histogram with a dense fast path and a sparse fallback.
//!
//! Values in `0..dense.len()` are counted in a `Vec<u64>` indexed by value
//! (the hot path: a bounds check and an add). Other values are sparse (see
//! [`Sparse`]): counted in a hash map, except one, the hot value, counted
//! in place. Money is in cents, so a plan's price (9999 a cycle) is sparse
//! and recorded every cycle; the hot slot spares the map lookup for such a
//! repeated value. Costs with add-ons take many values, each recorded over
//! and over: a hash map counts them in a few dozen instructions where an
//! ordered map took a few hundred, and the sparse values are put in order
//! only when read.
//!
//! The dense `Vec` grows to take a value `v < DENSE_LIMIT` only while it
//! stays within a budget set by the records that took the slow path
//! ([`dense_budget`]): a histogram of a few records keeps a few slots, not
//! `DENSE_LIMIT`, whatever their values, so the memory a run may need is
//! bounded by its trials (`runner::memory` relies on this; issue 17). A value
//! that does not fit yet is sparse, and moves into the `Vec` when it grows
//! over it. Where a count is kept thus depends on the order of records, so
//! equality compares content, never placement: equal multisets of records
//! are equal histograms. Sparse keys are never inside `0..dense.len()`, and
//! the `Vec`'s last slot is never zero.
//!
//! Counts use saturating addition so no input can panic; saturating addition
//! of non-negative integers is still commutative and associative. Recording
//! adds one at a time to a count that cannot pass u64::MAX (a run has at most
//! 10^12 trials), so it adds plainly (`wrapping_add`, which never panics).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// The sparse map's hasher: the values are the simulator's own, not an
/// adversary's, so a multiply and a rotate mix them enough, at a fraction
/// of the default hasher's cost.
#[derive(Debug, Clone, Copy, Default)]
struct ValueHasher(u64);

impl Hasher for ValueHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_i64(&mut self, value: i64) {
        self.write_u64(value as u64);
    }
    fn write_u64(&mut self, value: u64) {
        // Fibonacci hashing, then the high bits rotated down, where the
        // map takes its bucket from.
        self.0 = (self.0 ^ value)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
            .rotate_left(29);
    }
}

type ValueMap = HashMap<i64, u64, BuildHasherDefault<ValueHasher>>;

use super::summary::Summary;

/// Values `0..DENSE_LIMIT` may be stored densely.
pub const DENSE_LIMIT: usize = 4096;
/// Dense slots a histogram may always use.
pub const DENSE_MIN: usize = 64;
/// Dense slots each record that took the slow path adds to the budget.
pub const DENSE_PER_RECORD: u64 = 8;

/// The most dense slots a histogram may use after `records` records took
/// the slow path: `min(DENSE_LIMIT, max(DENSE_MIN, 8 × records))`. Its
/// capacity is at most twice that (growth doubles).
pub fn dense_budget(records: u64) -> usize {
    let by_records =
        usize::try_from(records.saturating_mul(DENSE_PER_RECORD)).unwrap_or(usize::MAX);
    by_records.clamp(DENSE_MIN, DENSE_LIMIT)
}

/// Exact histogram of integer values plus a count of "none" records.
#[derive(Debug, Clone, Default, Eq)]
pub struct Histogram {
    /// `dense[v]` = count of value `v`; invariant: empty or last slot > 0.
    dense: Vec<u64>,
    /// Counts of values outside `0..dense.len()`.
    sparse: Sparse,
    /// Records with no value. (The records with a value are not counted
    /// apart: `count()` adds the counts up, sparing `record` an add.)
    none: u64,
    /// Records that took the slow path (summed by `merge`): they set the
    /// dense budget. At most the records with a value.
    slow: u64,
}

/// Content equality: the same records, wherever each count is kept.
impl PartialEq for Histogram {
    fn eq(&self, other: &Histogram) -> bool {
        self.none == other.none && self.pairs().eq(other.pairs())
    }
}

/// Counts of sparse values: a map, plus one value counted in place (the hot
/// value: the first one added while there is none, kept for good). The hot
/// value is never also a key of the map, so the content is the map's pairs
/// plus the hot pair, and every reader here sees both.
#[derive(Debug, Clone, Default, Eq)]
struct Sparse {
    /// Invariant: no zero counts; no key `hot_value` while `hot_count > 0`.
    map: ValueMap,
    /// Meaningless while `hot_count == 0`.
    hot_value: i64,
    /// Records of `hot_value`; 0 = no hot value yet.
    hot_count: u64,
}

/// Content equality: the same pairs, in the map or the hot slot.
impl PartialEq for Sparse {
    fn eq(&self, other: &Sparse) -> bool {
        self.iter().eq(other.iter())
    }
}

impl Sparse {
    /// Counts one record of `value` if it is the hot value; else false.
    #[inline]
    fn record_hot(&mut self, value: i64) -> bool {
        let hit = self.hot_count != 0 && value == self.hot_value;
        if hit {
            // As in `Histogram::record`: one record cannot overflow.
            self.hot_count = self.hot_count.wrapping_add(1);
        }
        hit
    }

    /// Adds `n > 0` records of `value`. With no hot value yet, `value`
    /// becomes it, taking over its count from the map, if any.
    fn add(&mut self, value: i64, n: u64) {
        if self.hot_count == 0 {
            self.claim_hot(value, n);
        } else if value == self.hot_value {
            self.hot_count = self.hot_count.saturating_add(n);
        } else {
            self.add_to_map(value, n);
        }
    }

    /// One record of `value` that [`Sparse::record_hot`] did not count:
    /// `add(value, 1)` knowing that `value` is not the hot value. Inline,
    /// with the rare claim of the hot slot out of line, so that a count
    /// added in the map saves no more registers than the map needs.
    #[inline(always)]
    fn add_missed(&mut self, value: i64) {
        debug_assert!(self.hot_count == 0 || value != self.hot_value);
        if self.hot_count == 0 {
            self.claim_hot(value, 1);
        } else {
            self.add_to_map(value, 1);
        }
    }

    #[inline(always)]
    fn add_to_map(&mut self, value: i64, n: u64) {
        let slot = self.map.entry(value).or_insert(0);
        *slot = slot.saturating_add(n);
    }

    /// With no hot value, `value` becomes it with `n` more records.
    #[cold]
    #[inline(never)]
    fn claim_hot(&mut self, value: i64, n: u64) {
        let before = self.map.remove(&value).unwrap_or(0);
        self.hot_value = value;
        self.hot_count = before.saturating_add(n);
    }

    /// Removes and returns the counts of values in `from..to`.
    fn take_range(&mut self, from: i64, to: i64) -> Vec<(i64, u64)> {
        let inside = |v: &i64| (from..to).contains(v);
        let mut taken: Vec<(i64, u64)> = Vec::new();
        self.map.retain(|&v, &mut n| {
            let keep = !inside(&v);
            if !keep {
                taken.push((v, n));
            }
            keep
        });
        if self.hot_count != 0 && inside(&self.hot_value) {
            taken.push((self.hot_value, self.hot_count));
            self.hot_count = 0;
        }
        taken
    }

    /// Distinct values: the map's keys and the hot value.
    fn len(&self) -> usize {
        self.map.len() + usize::from(self.hot_count != 0)
    }

    /// `(value, count)` pairs ascending: the map's and the hot pair, put
    /// in order here (they are read when a run's results are written or
    /// merged, not as they are recorded).
    fn iter(&self) -> impl Iterator<Item = (i64, u64)> + Clone + '_ {
        let hot = (self.hot_count != 0).then_some((self.hot_value, self.hot_count));
        let mut pairs: Vec<(i64, u64)> =
            self.map.iter().map(|(&v, &n)| (v, n)).chain(hot).collect();
        pairs.sort_unstable();
        pairs.into_iter()
    }
}

impl Histogram {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records one value. Hot path: a value inside the dense `Vec` is a
    /// plain index into it; the hot sparse value is a compare and an add.
    #[inline]
    pub fn record(&mut self, value: i64) {
        // Negative values become huge indices and miss the dense `Vec`.
        let index = usize::try_from(value as u64).unwrap_or(usize::MAX);
        if let Some(slot) = self.dense.get_mut(index) {
            // One record at a time cannot pass u64::MAX (a run has at most
            // MAX_TRIALS = 10^12 trials), so a plain add, two instructions
            // fewer than a saturating one, on the hottest line of the
            // statistics; merges still saturate.
            *slot = slot.wrapping_add(1);
        } else if !self.sparse.record_hot(value) {
            self.record_other(value);
        }
    }

    /// Records one trial for which the metric has no value.
    #[inline]
    pub fn record_none(&mut self) {
        // As in `record`: one record cannot overflow.
        self.none = self.none.wrapping_add(1);
    }

    /// Adds all of `other`'s records into `self`. The dense part grows to
    /// the longer of the two, which is within the budget of their summed
    /// slow records.
    pub fn merge(&mut self, other: &Histogram) {
        if other.dense.len() > self.dense.len() {
            self.resize_dense(other.dense.len());
        }
        for (mine, theirs) in self.dense.iter_mut().zip(&other.dense) {
            *mine = mine.saturating_add(*theirs);
        }
        for (value, n) in other.sparse.iter() {
            self.add(value, n);
        }
        self.none = self.none.saturating_add(other.none);
        self.slow = self.slow.saturating_add(other.slow);
    }

    /// Adds `n` records of `value` where its count is kept: in the dense
    /// `Vec` if it covers `value`, else sparse.
    fn add(&mut self, value: i64, n: u64) {
        match usize::try_from(value)
            .ok()
            .and_then(|i| self.dense.get_mut(i))
        {
            Some(slot) => *slot = slot.saturating_add(n),
            None => self.sparse.add(value, n),
        }
    }

    /// Records that took the slow path: with the pairs and the none count,
    /// everything [`Histogram::from_counts`] needs to rebuild it (shards).
    pub fn slow_records(&self) -> u64 {
        self.slow
    }

    /// The histogram of `pairs` (ascending values, non-zero counts), `none`
    /// records without a value and `slow` slow-path records: equal, by
    /// content, to the one they were read from. Refuses pairs out of order
    /// or with a zero count, which no histogram writes.
    pub fn from_counts(pairs: &[(i64, u64)], none: u64, slow: u64) -> Result<Histogram, String> {
        let mut h = Histogram::new();
        for (i, &(value, n)) in pairs.iter().enumerate() {
            if n == 0 || (i > 0 && pairs[i - 1].0 >= value) {
                return Err(format!(
                    "pair {} ({value}, {n}) is out of order or empty",
                    i + 1
                ));
            }
            h.sparse.add(value, n);
        }
        h.none = none;
        h.slow = slow;
        Ok(h)
    }

    /// Number of records with a value. Every count saturates at
    /// `u64::MAX`, so their saturating sum is the saturated number of records.
    pub fn count(&self) -> u64 {
        let sparse = self.sparse.iter().map(|(_, n)| n);
        let counts = self.dense.iter().copied().chain(sparse);
        counts.fold(0, u64::saturating_add)
    }

    /// Number of records without a value.
    pub fn none_count(&self) -> u64 {
        self.none
    }

    /// All records: `count() + none_count()`.
    pub fn total(&self) -> u64 {
        self.count().saturating_add(self.none)
    }

    /// `(value, count)` pairs ascending by value, zero counts skipped.
    pub fn iter(&self) -> impl Iterator<Item = (i64, u64)> + '_ {
        self.pairs()
    }

    /// Summary statistics of the recorded values; `None` when `count() == 0`.
    pub fn summary(&self) -> Option<Summary> {
        Summary::from_sorted_counts(self.pairs())
    }

    /// Share of all records (none included in the denominator, not the
    /// numerator) whose value is `>= threshold`; 0.0 when empty.
    pub fn share_at_least(&self, threshold: i64) -> f64 {
        let total = self.total();
        if total == 0 {
            return 0.0;
        }
        let hits = self
            .pairs()
            .filter(|&(v, _)| v >= threshold)
            .fold(0u64, |acc, (_, n)| acc.saturating_add(n));
        hits as f64 / total as f64
    }

    /// Number of distinct recorded values (none excluded).
    pub fn distinct_values(&self) -> usize {
        self.dense.iter().filter(|&&n| n > 0).count() + self.sparse.len()
    }

    /// Storage in use, in value slots: dense capacity plus sparse entries.
    /// The dense capacity is at most `2 × dense_budget(records)` and at most
    /// `2 × (largest dense value + 1)`, whatever the number of records.
    pub fn storage_slots(&self) -> usize {
        self.dense.capacity() + self.sparse.len()
    }

    /// Ascending pairs. Sparse keys are `< 0` or `>= dense.len()`, so the
    /// order is: negative sparse, dense, large sparse. `Clone` so that the
    /// summary can take two passes without allocating.
    fn pairs(&self) -> impl Iterator<Item = (i64, u64)> + Clone + '_ {
        let negative = self.sparse.iter().take_while(|&(v, _)| v < 0);
        // Dense indices are < DENSE_LIMIT, so the cast to i64 is lossless.
        let dense = self.dense.iter().enumerate().map(|(i, &n)| (i as i64, n));
        let large = self.sparse.iter().skip_while(|&(v, _)| v < 0);
        negative.chain(dense).chain(large).filter(|&(_, n)| n > 0)
    }

    /// Slow path of `record`: a value beyond the dense `Vec`, or a sparse
    /// value other than the hot one. A value the budget lets the `Vec`
    /// reach makes it grow; any other is sparse.
    #[inline(never)]
    fn record_other(&mut self, value: i64) {
        self.slow = self.slow.saturating_add(1);
        let budget = dense_budget(self.slow);
        match usize::try_from(value) {
            Ok(i) if i < budget => self.grow_and_record(i),
            _ => self.sparse.add_missed(value),
        }
    }

    /// Cold path of `record`: the dense `Vec` is too short for index `i`.
    #[cold]
    #[inline(never)]
    fn grow_and_record(&mut self, i: usize) {
        self.resize_dense(i + 1);
        if let Some(slot) = self.dense.get_mut(i) {
            *slot = slot.saturating_add(1);
        }
    }

    /// Grows `dense` to `new_len` zeroed slots, doubling capacity for
    /// amortised growth but never reserving beyond `DENSE_LIMIT`, and moves
    /// the sparse counts of the values it now covers into it.
    fn resize_dense(&mut self, new_len: usize) {
        let old_len = self.dense.len();
        let cap = self.dense.capacity();
        if new_len > cap {
            let target = new_len.max(cap.saturating_mul(2).min(DENSE_LIMIT));
            self.dense.reserve_exact(target - old_len);
        }
        self.dense.resize(new_len, 0);
        for (value, n) in self.sparse.take_range(old_len as i64, new_len as i64) {
            // Keys in `old_len..new_len` index the grown `Vec`.
            self.dense[value as usize] = self.dense[value as usize].saturating_add(n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    fn from_values(values: &[i64]) -> Histogram {
        let mut h = Histogram::new();
        values.iter().for_each(|&v| h.record(v));
        h
    }

    #[test]
    fn a_histogram_rebuilt_from_its_counts_is_equal_and_keeps_recording_alike() {
        let values = [
            7,
            -5,
            1_000_000_000_000,
            0,
            4095,
            4096,
            -5,
            7,
            7,
            63,
            64,
            65,
        ];
        let h = from_values(&values);
        let pairs: Vec<_> = h.iter().collect();
        let mut back = Histogram::from_counts(&pairs, h.none_count(), h.slow_records()).unwrap();
        assert_eq!(back, h);
        let mut more = h.clone();
        for v in [3, 9999, -5] {
            more.record(v);
            back.record(v);
        }
        assert_eq!(back, more);
        assert!(Histogram::from_counts(&[(3, 1), (2, 1)], 0, 0).is_err());
        assert!(Histogram::from_counts(&[(3, 0)], 0, 0).is_err());
    }

    #[test]
    fn sparse_and_dense_values_iterate_in_order() {
        let h = from_values(&[7, -5, 1_000_000_000_000, 0, 4095, 4096, -5, 7, 7]);
        let got: Vec<_> = h.iter().collect();
        let want = vec![
            (-5, 2),
            (0, 1),
            (7, 3),
            (4095, 1),
            (4096, 1),
            (1_000_000_000_000, 1),
        ];
        assert_eq!(got, want);
        assert_eq!(h.count(), 9);
        assert_eq!(h.distinct_values(), 6);
        // 4095 came while the dense budget was 64 slots: it is sparse too.
        assert_eq!(h.sparse.len(), 4, "-5, 4095, 4096 and 10^12 are sparse");
    }

    #[test]
    fn a_few_records_keep_a_few_dense_slots_whatever_their_values() {
        let mut state = 7;
        let values: Vec<i64> = (0..20)
            .map(|_| (splitmix(&mut state) % DENSE_LIMIT as u64) as i64)
            .collect();
        let h = from_values(&values);
        // 20 records: a budget of 160 slots, not 4096.
        assert!(h.dense.capacity() <= 2 * 160, "{}", h.dense.capacity());
        assert_eq!(h.iter().collect::<Vec<_>>(), plain_pairs(&values));
    }

    #[test]
    fn values_kept_sparse_move_into_the_dense_part_when_it_grows_over_them() {
        // Descending: each value is beyond the budget when it comes, until
        // the budget has grown past the ones still to come.
        let values: Vec<i64> = (0..600).rev().collect();
        let h = from_values(&values);
        assert_eq!(h.iter().collect::<Vec<_>>(), plain_pairs(&values));
        assert!(!h.dense.is_empty());
        assert!(
            h.sparse
                .iter()
                .all(|(v, _)| v < 0 || v >= h.dense.len() as i64),
            "a sparse key inside the dense part"
        );
        let mut merged = from_values(&values[..300]);
        merged.merge(&from_values(&values[300..]));
        assert_eq!(merged, h);
    }

    #[test]
    fn only_none_has_no_summary() {
        let mut h = Histogram::new();
        assert_eq!(h.summary(), None);
        h.record_none();
        h.record_none();
        assert_eq!((h.count(), h.none_count(), h.total()), (0, 2, 2));
        assert_eq!(h.summary(), None);
        assert_eq!(h.share_at_least(i64::MIN), 0.0);
    }

    #[test]
    fn share_at_least_counts_none_in_denominator_only() {
        let mut h = from_values(&[1, 2, 3, 10]);
        h.record_none();
        assert_eq!(h.share_at_least(3), 2.0 / 5.0);
        assert_eq!(h.share_at_least(11), 0.0);
        assert_eq!(h.share_at_least(-100), 4.0 / 5.0);
        assert_eq!(Histogram::new().share_at_least(0), 0.0);
    }

    #[test]
    fn dense_grows_only_as_needed() {
        let h = from_values(&[0, 1, 2, 2]);
        assert!(h.storage_slots() <= 4, "got {}", h.storage_slots());
        let big = from_values(&[4095]);
        assert!(big.storage_slots() <= DENSE_LIMIT);
    }

    #[test]
    fn equality_ignores_record_and_merge_order() {
        // `b` sees the large dense value first, `a` grows step by step.
        let a = from_values(&[1, 2, 3000, -1, 1 << 40]);
        let mut b = from_values(&[1 << 40, 3000]);
        b.merge(&from_values(&[-1, 2, 1]));
        assert_eq!(a, b);
        let mut c = Histogram::new();
        c.merge(&a);
        assert_eq!(a, c);
        assert_ne!(a, from_values(&[1, 2, 3000, -1]));
    }

    #[test]
    fn extreme_values_do_not_panic() {
        let mut h = from_values(&[i64::MIN, i64::MAX, 0, i64::MAX]);
        h.record_none();
        let s = h.summary().expect("has values");
        assert_eq!((s.min, s.max, s.p50), (i64::MIN, i64::MAX, 0));
        assert!(s.mean.is_finite() && s.sd.is_finite());
        assert_eq!(h.share_at_least(i64::MAX), 2.0 / 5.0);
    }

    /// Tiny deterministic generator (splitmix64) so the memory test needs no
    /// extra dependency.
    fn splitmix(state: &mut u64) -> u64 {
        *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = *state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    #[test]
    fn memory_is_bounded_by_distinct_values_not_records() {
        let mut h = Histogram::new();
        let mut state = 42;
        for _ in 0..10_000_000 {
            h.record((splitmix(&mut state) % 100) as i64);
        }
        for k in 0..1000i64 {
            h.record(1_000_000_000 + k * 7919);
        }
        assert_eq!(h.count(), 10_001_000);
        assert_eq!(h.distinct_values(), 1100);
        // Dense part: at most double the 100 slots it needs.
        assert!(h.storage_slots() <= 200 + 1000, "{}", h.storage_slots());
    }

    #[test]
    fn a_repeated_sparse_value_is_counted_in_place() {
        let h = from_values(&[9999, 9999, 3, 9999]);
        assert!(h.sparse.map.is_empty(), "the hot slot, not the map");
        assert_eq!((h.sparse.hot_value, h.sparse.hot_count), (9999, 3));
        assert_eq!(h.iter().collect::<Vec<_>>(), vec![(3, 1), (9999, 3)]);
        assert_eq!((h.count(), h.distinct_values()), (4, 2));
        // Dense capacity 4 (value 3) plus one sparse value, as with a map.
        assert_eq!(h.storage_slots(), h.dense.capacity() + 1);
    }

    #[test]
    fn equal_content_is_equal_wherever_the_counts_are_kept() {
        // Opposite orders make opposite hot values.
        let a = from_values(&[5000, -7, 5000, 4096]);
        let b = from_values(&[4096, 5000, -7, 5000]);
        assert_ne!(a.sparse.hot_value, b.sparse.hot_value);
        assert_eq!(a, b);
        assert_eq!(a.iter().collect::<Vec<_>>(), b.iter().collect::<Vec<_>>());
        assert_ne!(a, from_values(&[5000, -7, 4096, 4096]));
        assert_ne!(a, from_values(&[5000, -7, 5000]));
    }

    #[test]
    fn merge_adds_a_hot_value_to_the_same_key_of_the_map() {
        let a = from_values(&[9999, 5000, 5000]); // hot 9999, map {5000: 2}
        let b = from_values(&[5000, -1, 9999]); // hot 5000, map {-1, 9999}
        let mut ab = a.clone();
        ab.merge(&b);
        let want = vec![(-1, 1), (5000, 3), (9999, 2)];
        assert_eq!(ab.iter().collect::<Vec<_>>(), want);
        assert_eq!((ab.distinct_values(), ab.count()), (3, 6));
        // Merged into an empty histogram, the first value merged becomes
        // the hot one and leaves the map.
        let mut empty = Histogram::new();
        empty.merge(&b);
        assert_eq!(empty, b);
        assert_eq!(empty.sparse.len(), 3);
        assert!(!empty.sparse.map.contains_key(&empty.sparse.hot_value));
    }

    #[test]
    fn counts_saturate_instead_of_overflowing() {
        let mut h = from_values(&[1, 9999, 9999, -3, 1 << 40]);
        h.record_none();
        for _ in 0..70 {
            let copy = h.clone();
            h.merge(&copy);
        }
        assert!(h.iter().all(|(_, n)| n == u64::MAX));
        assert_eq!(
            (h.count(), h.none_count(), h.total()),
            (u64::MAX, u64::MAX, u64::MAX)
        );
        h.record(9999);
        h.record(1);
        assert_eq!(h.count(), u64::MAX);
    }

    fn value() -> impl Strategy<Value = i64> {
        prop_oneof![
            4 => 0i64..64,
            2 => 0i64..5000,
            1 => -1_000_000i64..0,
            1 => -1_000_000_000_000i64..=1_000_000_000_000,
            1 => any::<i64>(),
        ]
    }

    fn plain_pairs(values: &[i64]) -> Vec<(i64, u64)> {
        plain_counts(values).into_iter().collect()
    }

    /// What the histogram must hold: every record, by value.
    fn plain_counts(values: &[i64]) -> BTreeMap<i64, u64> {
        let mut counts = BTreeMap::new();
        values
            .iter()
            .for_each(|&v| *counts.entry(v).or_insert(0) += 1);
        counts
    }

    proptest! {
        #[test]
        fn readers_see_every_record_as_a_plain_map_does(
            values in prop::collection::vec(value(), 0..300),
            split in any::<prop::sample::Index>(),
        ) {
            let cut = split.index(values.len() + 1);
            let (left, right) = values.split_at(cut);
            let mut merged = from_values(left);
            merged.merge(&from_values(right));
            let want = plain_counts(&values);
            for h in [from_values(&values), merged] {
                let pairs: Vec<_> = want.iter().map(|(&v, &n)| (v, n)).collect();
                prop_assert_eq!(h.iter().collect::<Vec<_>>(), pairs);
                prop_assert_eq!(h.count(), values.len() as u64);
                prop_assert_eq!(h.distinct_values(), want.len());
                prop_assert_eq!(h.storage_slots(), h.dense.capacity() + h.sparse.len());
                let dense = h.dense.len() as i64;
                prop_assert!(h.sparse.iter().all(|(v, _)| v < 0 || v >= dense));
                prop_assert!(h.dense.last().is_none_or(|&n| n > 0));
                let budget = dense_budget(values.len() as u64);
                prop_assert!(h.dense.capacity() <= 2 * budget);
            }
        }
    }

    proptest! {
        #[test]
        fn merge_is_order_independent(
            values in prop::collection::vec(value(), 0..300),
            split in any::<prop::sample::Index>(),
            nones in 0u64..5,
        ) {
            let cut = split.index(values.len() + 1);
            let (left, right) = values.split_at(cut);
            let mut whole = from_values(&values);
            let mut a = from_values(left);
            let b = from_values(right);
            for _ in 0..nones {
                whole.record_none();
                a.record_none();
            }
            let mut ab = a.clone();
            ab.merge(&b);
            let mut ba = b.clone();
            ba.merge(&a);
            prop_assert_eq!(&ab, &whole);
            prop_assert_eq!(&ba, &whole);
            // Summaries identical to the bit (compare f64 bit patterns).
            let bits = |h: &Histogram| h.summary().map(|s| {
                [s.mean, s.sd, s.se, s.ci95_low, s.ci95_high].map(f64::to_bits)
            });
            prop_assert_eq!(bits(&ab), bits(&whole));
            prop_assert_eq!(bits(&ba), bits(&whole));
            // Debug text: NaN (sd of one value) is not equal to itself.
            let shown = |h: &Histogram| format!("{:?}", h.summary());
            prop_assert_eq!(shown(&ab), shown(&whole));
        }
    }
}
