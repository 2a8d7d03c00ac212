//! A fixed set of words looked up by their word hash.
//!
//! Owns [`WordSet`]: stop words, skeleton function words and agency names are
//! tested once per word on the hot path, so the sets hold the
//! [`super::shingle::word_hash`] of each (look-alike folded) word in a small
//! open-addressing table: one or two probes, no string comparison. Built
//! once per process (`OnceLock`) and never changed.

use super::normalize::fold_lookalike;
use super::shingle::word_hash;

const SLOTS: usize = 1024;

/// A set of word hashes. See the module docs.
#[derive(Debug)]
pub struct WordSet {
    slots: Box<[u64; SLOTS]>,
}

impl WordSet {
    /// Builds the set of `words`, each folded for look-alike letters.
    ///
    /// # Panics
    ///
    /// Panics if more than half the slots would be used; callers pass short
    /// constant lists.
    pub fn new(words: &[&str]) -> WordSet {
        assert!(words.len() * 2 <= SLOTS, "word set too large");
        let mut slots = Box::new([0u64; SLOTS]);
        for w in words {
            let folded: String = w.chars().map(fold_lookalike).collect();
            let h = word_hash(&folded).max(1);
            let mut i = (h as usize) & (SLOTS - 1);
            while slots[i] != 0 && slots[i] != h {
                i = (i + 1) & (SLOTS - 1);
            }
            slots[i] = h;
        }
        WordSet { slots }
    }

    /// Returns true if and only if the word with hash `h` is in the set.
    pub fn contains_hash(&self, h: u64) -> bool {
        let h = h.max(1);
        let mut i = (h as usize) & (SLOTS - 1);
        loop {
            match self.slots[i] {
                0 => return false,
                x if x == h => return true,
                _ => i = (i + 1) & (SLOTS - 1),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups() {
        let set = WordSet::new(&["the", "тасс"]);
        assert!(set.contains_hash(word_hash("the")));
        assert!(set.contains_hash(word_hash("tacc")));
        assert!(!set.contains_hash(word_hash("lavrov")));
    }
}
