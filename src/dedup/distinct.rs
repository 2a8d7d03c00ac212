//! Deduplication of 64-bit hashes in one pass, keeping first-seen order.
//!
//! Owns [`Distinct`], an open-addressing set sized to its input. Feature
//! hashes are well mixed, so their low bits index the table directly. It
//! finds the lead (the first distinct shingles of a text) with one probe per
//! hash, in text order.

/// A set of 64-bit hashes built from one sequence. See the module docs.
#[derive(Debug, Default)]
pub struct Distinct {
    /// Slots; 0 marks an empty one (the hash 0 is tracked apart).
    slots: Vec<u64>,
    has_zero: bool,
}

impl Distinct {
    /// Empties the set and makes room for `n` hashes at most a quarter full
    /// (few collisions, so few mispredicted probes).
    pub fn reset(&mut self, n: usize) {
        let size = (4 * n).next_power_of_two().max(16);
        self.slots.clear();
        self.slots.resize(size, 0);
        self.has_zero = false;
    }

    /// Adds `h`; returns true if and only if it was not in the set yet.
    ///
    /// # Panics
    ///
    /// Panics if more hashes are inserted than [`Distinct::reset`] made room
    /// for (the table would fill up).
    #[inline]
    pub fn insert(&mut self, h: u64) -> bool {
        if h == 0 {
            return !std::mem::replace(&mut self.has_zero, true);
        }
        let mask = self.slots.len() - 1;
        let mut i = (h as usize) & mask;
        loop {
            match self.slots[i] {
                0 => {
                    self.slots[i] = h;
                    return true;
                }
                x if x == h => return false,
                _ => i = (i + 1) & mask,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_first_occurrences() {
        let mut set = Distinct::default();
        set.reset(8);
        let input = [5u64, 0, 5, 21, 0, 21 + 16, 5, 3];
        let kept: Vec<u64> = input.into_iter().filter(|&h| set.insert(h)).collect();
        assert_eq!(kept, [5, 0, 21, 37, 3]);
        set.reset(1);
        assert!(set.insert(5));
    }
}
