//! The ledger's queue of lots: a ring whose length is a power of two, so
//! that the slot of the `i`-th lot is a mask of `head + i`, with no
//! comparison to wrap it. `VecDeque`, which it replaces, wraps with a
//! comparison on every access from the back and on every step of a walk,
//! and the ledger takes the front or the back of its queue on most days
//! (spending, refunds, add-on packs).

use super::Lot;

#[derive(Debug, Clone)]
pub(super) struct Lots {
    /// `slots.len()` is a power of two; the lots are `head..head + len`,
    /// masked.
    slots: Box<[Lot]>,
    mask: usize,
    head: usize,
    len: usize,
}

impl Lots {
    /// Room for `capacity` lots without growing.
    pub(super) fn with_capacity(capacity: usize) -> Lots {
        let size = capacity.max(1).next_power_of_two();
        Lots {
            slots: vec![Lot::EMPTY; size].into_boxed_slice(),
            mask: size - 1,
            head: 0,
            len: 0,
        }
    }

    #[inline(always)]
    fn slot(&self, i: usize) -> usize {
        self.head.wrapping_add(i) & self.mask
    }

    #[inline(always)]
    pub(super) fn len(&self) -> usize {
        self.len
    }

    #[inline(always)]
    pub(super) fn clear(&mut self) {
        self.head = 0;
        self.len = 0;
    }

    #[inline(always)]
    pub(super) fn front(&self) -> Option<&Lot> {
        (self.len > 0).then(|| &self.slots[self.head])
    }

    #[inline(always)]
    pub(super) fn front_mut(&mut self) -> Option<&mut Lot> {
        (self.len > 0).then(|| &mut self.slots[self.head])
    }

    #[inline(always)]
    pub(super) fn back_mut(&mut self) -> Option<&mut Lot> {
        let last = self.slot(self.len.wrapping_sub(1));
        (self.len > 0).then(|| &mut self.slots[last])
    }

    /// Removes the front lot; the queue must not be empty.
    #[inline(always)]
    pub(super) fn pop_front(&mut self) {
        debug_assert!(self.len > 0);
        self.head = (self.head + 1) & self.mask;
        self.len -= 1;
    }

    #[inline(always)]
    pub(super) fn push_back(&mut self, lot: Lot) {
        if self.len == self.slots.len() {
            self.grow();
        }
        let at = self.slot(self.len);
        self.slots[at] = lot;
        self.len += 1;
    }

    /// The `i`-th lot from the front.
    #[inline(always)]
    pub(super) fn get_mut(&mut self, i: usize) -> Option<&mut Lot> {
        let at = self.slot(i);
        (i < self.len).then(|| &mut self.slots[at])
    }

    /// The lots, front first.
    #[inline(always)]
    pub(super) fn iter(&self) -> impl Iterator<Item = &Lot> {
        (0..self.len).map(|i| &self.slots[self.slot(i)])
    }

    /// Puts `lot` in place `i` (`i <= len`), moving the lots before it one
    /// place towards the front or those after it one towards the back,
    /// whichever are fewer.
    pub(super) fn insert(&mut self, i: usize, lot: Lot) {
        debug_assert!(i <= self.len);
        if self.len == self.slots.len() {
            self.grow();
        }
        if i < self.len - i {
            self.head = (self.head + self.mask) & self.mask;
            for k in 0..i {
                self.slots[self.slot(k)] = self.slots[self.slot(k + 1)];
            }
        } else {
            for k in (i..self.len).rev() {
                self.slots[self.slot(k + 1)] = self.slots[self.slot(k)];
            }
        }
        let at = self.slot(i);
        self.slots[at] = lot;
        self.len += 1;
    }

    /// Twice the room, the lots laid out from slot 0. The ledger sizes the
    /// ring for every lot a trial can hold, so this is a safeguard, not a
    /// path the simulation takes.
    #[cold]
    fn grow(&mut self) {
        let mut bigger = Lots::with_capacity(self.slots.len() * 2);
        for (k, lot) in self.iter().enumerate() {
            bigger.slots[k] = *lot;
        }
        bigger.len = self.len;
        *self = bigger;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lot(expiry: u32) -> Lot {
        Lot { expiry, credits: 1 }
    }

    fn expiries(lots: &Lots) -> Vec<u32> {
        lots.iter().map(|l| l.expiry).collect()
    }

    /// Every operation against a `VecDeque` doing the same, across the
    /// ring's wrap and its growth, with insertions on both sides.
    #[test]
    fn the_ring_keeps_the_lots_a_vecdeque_would() {
        use std::collections::VecDeque;
        let mut ring = Lots::with_capacity(4);
        let mut deque: VecDeque<Lot> = VecDeque::new();
        let mut state = 7u64;
        for step in 0..5_000u32 {
            // A small LCG picks the operation: fixed, so the test repeats.
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            let choice = (state >> 33) % 6;
            match choice {
                0 | 1 => {
                    ring.push_back(lot(step));
                    deque.push_back(lot(step));
                }
                2 if !deque.is_empty() => {
                    ring.pop_front();
                    deque.pop_front();
                }
                3 => {
                    let at = (state >> 40) as usize % (deque.len() + 1);
                    ring.insert(at, lot(step));
                    deque.insert(at, lot(step));
                }
                4 if !deque.is_empty() => {
                    let at = (state >> 40) as usize % deque.len();
                    ring.get_mut(at).unwrap().credits += 1;
                    deque.get_mut(at).unwrap().credits += 1;
                    ring.back_mut().unwrap().credits += 2;
                    deque.back_mut().unwrap().credits += 2;
                }
                _ if deque.len() > 40 => {
                    ring.clear();
                    deque.clear();
                }
                _ => {}
            }
            assert_eq!(ring.len(), deque.len(), "step {step}");
            let pairs = |l: &Lot| (l.expiry, l.credits);
            assert!(
                ring.iter().map(pairs).eq(deque.iter().map(pairs)),
                "step {step}"
            );
            assert_eq!(ring.front().map(pairs), deque.front().map(pairs));
            assert_eq!(ring.get_mut(deque.len()).map(|l| l.expiry), None);
        }
        assert!(ring.slots.len() > 4, "the ring grew past its first size");
        assert_eq!(expiries(&ring).len(), deque.len());
    }
}
