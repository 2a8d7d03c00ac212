//! Labels and weights of blocks from a page's gold text.
//!
//! A block is content when most of its words are in the gold text: each
//! of its lowercase `\w+` words counts when the pair it forms with its
//! left or right neighbour is a pair of the gold (so a menu's "Home" is not
//! content because the gold says "home" somewhere); a one-word block counts
//! its word alone.

use std::collections::HashSet;

use xxhash_rust::xxh3::xxh3_64;

use crate::score;

fn pair_key(a: &str, b: &str) -> u64 {
    xxh3_64(format!("{a}\u{1}{b}").as_bytes())
}

/// The gold text's words and word pairs.
pub struct Gold {
    words: HashSet<String>,
    pairs: HashSet<u64>,
    /// How many words the gold has.
    pub len: usize,
}

impl Gold {
    pub fn of(text: &str) -> Gold {
        let lower = text.to_lowercase();
        let toks = score::tokens(&lower);
        Gold {
            words: toks.iter().map(|t| t.to_string()).collect(),
            pairs: toks.windows(2).map(|w| pair_key(w[0], w[1])).collect(),
            len: toks.len(),
        }
    }

    /// The share of the block's words found in the gold (0 for no words),
    /// and the block's word count.
    pub fn share(&self, block: &str) -> (f32, usize) {
        let lower = block.to_lowercase();
        let toks = score::tokens(&lower);
        match toks.len() {
            0 => (0.0, 0),
            1 => (f32::from(u8::from(self.words.contains(toks[0]))), 1),
            n => {
                let hits: Vec<bool> = toks
                    .windows(2)
                    .map(|w| self.pairs.contains(&pair_key(w[0], w[1])))
                    .collect();
                let found = (0..n)
                    .filter(|&i| (i > 0 && hits[i - 1]) || (i + 1 < n && hits[i]))
                    .count();
                (found as f32 / n as f32, n)
            }
        }
    }
}
