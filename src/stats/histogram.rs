//! Exact integer histogram with a dense fast path and a sparse fallback.
//!
//! Values in `0..DENSE_LIMIT` are counted in a `Vec<u64>` indexed by value
//! (the hot path: a bounds check and an add). Negative or large values go to
//! a `BTreeMap<i64, u64>`. Placement depends only on the value, and the dense
//! `Vec` only ever grows to `max dense value + 1`, so its last slot is always
//! non-zero: equal multisets of records therefore have identical internal
//! state, and the derived `PartialEq` compares content.
//!
//! Counts use saturating addition so no input can panic; saturating addition
//! of non-negative integers is still commutative and associative.

use std::collections::BTreeMap;

use super::summary::Summary;

/// Values `0..DENSE_LIMIT` are stored densely.
pub const DENSE_LIMIT: usize = 4096;

/// Exact histogram of integer values plus a count of "none" records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Histogram {
    /// `dense[v]` = count of value `v`; invariant: empty or last slot > 0.
    dense: Vec<u64>,
    /// Counts of values outside `0..DENSE_LIMIT`; invariant: no zero counts.
    sparse: BTreeMap<i64, u64>,
    /// Records that had a value (cached; a function of the content).
    count: u64,
    /// Records with no value.
    none: u64,
}

impl Histogram {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records one value. Hot path: small non-negative values are a plain
    /// index into the dense `Vec`.
    #[inline]
    pub fn record(&mut self, value: i64) {
        match usize::try_from(value) {
            Ok(i) if i < DENSE_LIMIT => match self.dense.get_mut(i) {
                Some(slot) => *slot = slot.saturating_add(1),
                None => self.grow_and_record(i),
            },
            _ => {
                let slot = self.sparse.entry(value).or_insert(0);
                *slot = slot.saturating_add(1);
            }
        }
        self.count = self.count.saturating_add(1);
    }

    /// Records one trial for which the metric has no value.
    #[inline]
    pub fn record_none(&mut self) {
        self.none = self.none.saturating_add(1);
    }

    /// Adds all of `other`'s records into `self`.
    pub fn merge(&mut self, other: &Histogram) {
        if other.dense.len() > self.dense.len() {
            self.resize_dense(other.dense.len());
        }
        for (mine, theirs) in self.dense.iter_mut().zip(&other.dense) {
            *mine = mine.saturating_add(*theirs);
        }
        for (&value, &n) in &other.sparse {
            let slot = self.sparse.entry(value).or_insert(0);
            *slot = slot.saturating_add(n);
        }
        self.count = self.count.saturating_add(other.count);
        self.none = self.none.saturating_add(other.none);
    }

    /// Number of records with a value.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Number of records without a value.
    pub fn none_count(&self) -> u64 {
        self.none
    }

    /// All records: `count() + none_count()`.
    pub fn total(&self) -> u64 {
        self.count.saturating_add(self.none)
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
    /// Bounded by `min(2 * (max dense value + 1), DENSE_LIMIT)` plus the
    /// number of distinct sparse values, whatever the number of records.
    pub fn storage_slots(&self) -> usize {
        self.dense.capacity() + self.sparse.len()
    }

    /// Ascending pairs. Sparse keys are `< 0` or `>= DENSE_LIMIT`, so the
    /// order is: negative sparse, dense, large sparse. `Clone` so that the
    /// summary can take two passes without allocating.
    fn pairs(&self) -> impl Iterator<Item = (i64, u64)> + Clone + '_ {
        let negative = self.sparse.range(..0).map(|(&v, &n)| (v, n));
        // Dense indices are < DENSE_LIMIT, so the cast to i64 is lossless.
        let dense = self.dense.iter().enumerate().map(|(i, &n)| (i as i64, n));
        let large = self.sparse.range(0..).map(|(&v, &n)| (v, n));
        negative.chain(dense).chain(large).filter(|&(_, n)| n > 0)
    }

    /// Cold path of `record`: the dense `Vec` is too short for index `i`.
    #[cold]
    fn grow_and_record(&mut self, i: usize) {
        self.resize_dense(i + 1);
        if let Some(slot) = self.dense.get_mut(i) {
            *slot = slot.saturating_add(1);
        }
    }

    /// Grows `dense` to `new_len` zeroed slots, doubling capacity for
    /// amortised growth but never reserving beyond `DENSE_LIMIT`.
    fn resize_dense(&mut self, new_len: usize) {
        let cap = self.dense.capacity();
        if new_len > cap {
            let target = new_len.max(cap.saturating_mul(2).min(DENSE_LIMIT));
            self.dense.reserve_exact(target - self.dense.len());
        }
        self.dense.resize(new_len, 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn from_values(values: &[i64]) -> Histogram {
        let mut h = Histogram::new();
        values.iter().for_each(|&v| h.record(v));
        h
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
        assert_eq!(h.sparse.len(), 3, "-5, 4096 and 10^12 are sparse");
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

    fn value() -> impl Strategy<Value = i64> {
        prop_oneof![
            4 => 0i64..64,
            2 => 0i64..5000,
            1 => -1_000_000i64..0,
            1 => -1_000_000_000_000i64..=1_000_000_000_000,
            1 => any::<i64>(),
        ]
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
            prop_assert_eq!(ab.summary(), whole.summary());
        }
    }
}
