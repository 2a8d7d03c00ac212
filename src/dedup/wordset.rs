//! Word hash → word class: a fixed table of the lexicon's words.
//!
//! Owns [`WordTable`] and the [`class`] bits. Every word of every text is
//! looked up once, when it is hashed: is it a stop word, an agency name, a
//! function word of the skeleton, a credit verb? The table holds the
//! [`super::shingle::word_hash`] of each (look-alike folded) word with its
//! class bits in a small open-addressing table: one or two probes, no
//! string comparison. Built once per process and never changed.

use super::normalize::fold_lookalike;
use super::shingle::word_hash;

/// Bits of a word's class. `ANCHOR` and `DIGITS` come from the word's own
/// text, the others from the lexicon's lists ([`super::normalize::Tokens`] keeps
/// them with each word).
pub mod class {
    /// A stop word.
    pub const STOP: u8 = 1;
    /// An agency name.
    pub const AGENCY: u8 = 1 << 1;
    /// A function word of the skeleton.
    pub const SKELETON: u8 = 1 << 2;
    /// A credit verb ("reported").
    pub const CREDIT: u8 = 1 << 3;
    /// A name or number in the source text.
    pub const ANCHOR: u8 = 1 << 4;
    /// All ASCII digits.
    pub const DIGITS: u8 = 1 << 5;
    /// A British spelling with an irregular American form ("programme").
    pub const IRREGULAR: u8 = 1 << 6;
}

const SLOTS: usize = 1024;

/// Word hashes with their class bits. See the module docs.
#[derive(Debug)]
pub struct WordTable {
    /// Word hash per slot; 0 marks an empty slot (hashes are stored as at
    /// least 1).
    hashes: Box<[u64; SLOTS]>,
    /// Class bits per slot.
    bits: Box<[u8; SLOTS]>,
    /// True for a slot whose word, or a word that should have been there,
    /// was moved on by a collision: only then does a lookup probe further.
    crowded: Box<[bool; SLOTS]>,
}

impl WordTable {
    /// Builds the table of `lists`, each word folded for look-alike letters
    /// and given the bits of every list it is in.
    ///
    /// # Panics
    ///
    /// Panics if more than half the slots would be used; callers pass short
    /// constant lists.
    pub fn new(lists: &[(&[&str], u8)]) -> WordTable {
        let mut table = WordTable {
            hashes: Box::new([0; SLOTS]),
            bits: Box::new([0; SLOTS]),
            crowded: Box::new([false; SLOTS]),
        };
        let mut used = 0;
        for &(words, bits) in lists {
            for w in words {
                let folded: String = w.chars().map(fold_lookalike).collect();
                let h = word_hash(&folded).max(1);
                let home = (h as usize) & (SLOTS - 1);
                let mut i = home;
                while table.hashes[i] != 0 && table.hashes[i] != h {
                    i = (i + 1) & (SLOTS - 1);
                }
                if table.hashes[i] == 0 {
                    used += 1;
                    assert!(used * 2 <= SLOTS, "word table too large");
                }
                if i != home {
                    table.crowded[home] = true;
                }
                table.hashes[i] = h;
                table.bits[i] |= bits;
            }
        }
        table
    }

    /// Returns the class bits of the word with hash `h` (0 if it is in no
    /// list).
    #[inline]
    pub fn class(&self, h: u64) -> u8 {
        let h = h.max(1);
        let home = (h as usize) & (SLOTS - 1);
        if !self.crowded[home] {
            // The common case, without a branch on whether the word is in
            // the table (about half of all words are).
            return if self.hashes[home] == h {
                self.bits[home]
            } else {
                0
            };
        }
        let mut i = home;
        loop {
            match self.hashes[i] {
                0 => return 0,
                x if x == h => return self.bits[i],
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
        let table = WordTable::new(&[(&["the", "тасс"], class::STOP), (&["the"], class::SKELETON)]);
        assert_eq!(table.class(word_hash("the")), class::STOP | class::SKELETON);
        assert_eq!(table.class(word_hash("tacc")), class::STOP);
        assert_eq!(table.class(word_hash("lavrov")), 0);
    }
}
