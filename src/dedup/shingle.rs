//! Tokens → hashed features: word shingles, the lead, names-and-numbers
//! anchors and numbers.
//!
//! Owns the fixed hash functions that turn words into the integers every
//! later layer works on. All are xxh3-64 (`xxhash-rust`, a stable,
//! specified algorithm) with the fixed seeds below; changing a seed or the
//! shingle width changes every stored fingerprint, so it goes with a bump of
//! [`super::FINGERPRINT_VERSION`]. Stateless.

use xxhash_rust::xxh3::xxh3_64_with_seed;

use super::distinct::Distinct;
use super::minhash::splitmix64;
use super::normalize::Tokens;
use super::radix::sort_dedup;
use super::wordset::class;

/// Seed of the word hash: ASCII "WIRECOPY".
pub const WORD_SEED: u64 = 0x5749_5245_434f_5059;
/// Seed of the shingle hash ([`sequence_hash`] of the word hashes).
pub const SHINGLE_SEED: u64 = 0x5348_494e_474c_4533;
/// Seed of the anchor-unit hash.
pub const ANCHOR_SEED: u64 = 0x414e_4348_4f52_5331;

/// Seed of the skeleton n-gram hash.
pub const SKELETON_SEED: u64 = 0x534b_454c_4554_4f4e;

/// Words per shingle. Three, not five: a changed word breaks `k` shingles, so
/// short shingles keep spelling and typography variants close, and on the
/// corpus 3-shingles separated same-topic stories as well as 5-shingles did
/// (see `docs/dedup.md`).
pub const SHINGLE_WORDS: usize = 3;

/// How many shingles from the start make up the lead.
pub const LEAD_SHINGLES: usize = 48;

/// Function words per skeleton n-gram.
pub const SKELETON_WORDS: usize = 5;

/// At most this many anchor units are kept per text.
pub const MAX_ANCHORS: usize = 96;

/// The hashed features of one text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Features {
    /// 64-bit hashes of the word shingles, distinct, in order of first
    /// appearance.
    pub shingles: Vec<u64>,
    /// The first [`LEAD_SHINGLES`] of `shingles`.
    pub lead: Vec<u64>,
    /// 16-bit hashes of the anchor units (names, numbers) in text order.
    pub anchors: Vec<u16>,
    /// 64-bit hashes of consecutive anchor-unit pairs, in text order (they
    /// only feed a MinHash, so repeats are kept).
    pub anchor_pairs: Vec<u64>,
    /// 32-bit hashes of the numbers, sorted and deduplicated.
    pub numbers: Vec<u32>,
    /// 32-bit ids (top halves of the 64-bit hashes) of the function-word
    /// n-grams (the text with its content words skipped), sorted and
    /// deduplicated.
    pub skeleton: Vec<u32>,
    /// Number of words.
    pub words: usize,
}

/// Returns the hash of one folded word.
#[inline]
pub fn word_hash(word: &str) -> u64 {
    word_hash_bytes(word.as_bytes())
}

/// [`word_hash`] of a word's UTF-8 bytes.
#[inline]
pub(crate) fn word_hash_bytes(word: &[u8]) -> u64 {
    xxh3_64_with_seed(word, WORD_SEED)
}

/// Returns the hash of a sequence of word hashes (a shingle, an n-gram):
/// `h = seed`, then for each word hash `w`: `h = splitmix64(h ^ w)`
/// ([`super::minhash::splitmix64`], a fixed bijective mixer), so order
/// matters and one multiply chain replaces a byte hash.
#[inline]
pub fn sequence_hash(seed: u64, words: &[u64]) -> u64 {
    words.iter().fold(seed, |h, &w| splitmix64(h ^ w))
}

/// Returns the hash of a shingle given the hashes of its words.
#[inline]
pub fn shingle_hash(words: &[u64]) -> u64 {
    sequence_hash(SHINGLE_SEED, words)
}

/// Computes the features of `tokens`.
///
/// A text shorter than one shingle yields a single shingle of all its words.
pub fn features(tokens: &Tokens) -> Features {
    features_with(tokens, &mut Scratch::default())
}

/// Working space of [`features_with`], reused from text to text.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    /// The shingles seen so far in the current text.
    pub(crate) seen: Distinct,
    /// Room for the id sorts.
    pub(crate) sort: Vec<u32>,
}

/// [`features`] with a caller's working space, reused across texts.
pub(crate) fn features_with(tokens: &Tokens, scratch: &mut Scratch) -> Features {
    let words = tokens.items();
    let n = words.len();
    let mut f = Features {
        words: n,
        ..Features::default()
    };
    // Shingles, distinct in text order; the lead is the first of them.
    let seen = &mut scratch.seen;
    seen.reset(n);
    f.shingles.reserve(n);
    f.lead.reserve(LEAD_SHINGLES);
    if n < SHINGLE_WORDS {
        if n > 0 {
            let hashes: Vec<u64> = words.iter().map(|w| w.hash).collect();
            f.shingles.push(shingle_hash(&hashes));
        }
    } else {
        for w in words.windows(SHINGLE_WORDS) {
            let h = w
                .iter()
                .fold(SHINGLE_SEED, |h, word| splitmix64(h ^ word.hash));
            if seen.insert(h) {
                f.shingles.push(h);
            }
        }
    }
    f.lead
        .extend(f.shingles.iter().take(LEAD_SHINGLES).copied());

    // Anchor units: runs of adjacent anchor words ("sergei lavrov") are one
    // unit. Numbers and the skeleton's function words on the way. Whether a
    // word is an anchor or a function word is a coin flip to the processor,
    // so both are collected without branches: every word is written, and
    // the write position only moves on for the words that count.
    let mut anchors: Vec<u64> = vec![0; n / 2 + 1];
    let mut n_anchors = 0;
    let mut function: Vec<u64> = vec![0; n];
    let mut n_function = 0;
    let mut unit: u64 = 0;
    let mut in_unit = false;
    for w in words {
        if w.class & class::DIGITS != 0 {
            f.numbers.push(w.hash as u32);
        }
        function[n_function] = w.hash;
        n_function += usize::from(w.class & class::SKELETON != 0);
        let is_anchor = w.class & class::ANCHOR != 0;
        // A unit ends at the first word after it that is not an anchor.
        if let Some(slot) = anchors.get_mut(n_anchors) {
            *slot = unit;
        }
        n_anchors += usize::from(in_unit && !is_anchor);
        let extended = if in_unit {
            unit.rotate_left(17) ^ w.hash
        } else {
            w.hash
        };
        unit = if is_anchor { extended } else { unit };
        in_unit = is_anchor;
    }
    anchors.truncate(n_anchors);
    if in_unit {
        anchors.push(unit);
    }
    function.truncate(n_function);
    f.anchor_pairs = anchors
        .windows(2)
        .map(|p| sequence_hash(ANCHOR_SEED, p))
        .collect();
    f.anchors = anchors
        .iter()
        .take(MAX_ANCHORS)
        .map(|&u| (u >> 48) as u16)
        .collect();
    f.numbers.sort_unstable();
    f.numbers.dedup();
    f.skeleton = function
        .windows(SKELETON_WORDS)
        .map(|w| (sequence_hash(SKELETON_SEED, w) >> 32) as u32)
        .collect();
    sort_dedup(&mut f.skeleton, &mut scratch.sort);
    f
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedup::normalize::tokens;

    #[test]
    fn golden_word_and_shingle_hashes() {
        // Pinned: these values are stored. Changing them needs a new
        // FINGERPRINT_VERSION.
        assert_eq!(word_hash("lavrov"), word_hash("lavrov"));
        let pinned = (word_hash("lavrov"), shingle_hash(&[1, 2, 3]));
        assert_eq!(pinned, (GOLDEN_WORD, GOLDEN_SHINGLE));
    }

    const GOLDEN_WORD: u64 = 3_499_765_494_958_051_024;
    const GOLDEN_SHINGLE: u64 = 13_063_266_151_231_902_007;

    #[test]
    fn features_of_a_sentence() {
        let f = features(&tokens("Foreign Minister Sergei Lavrov told President Vladimir Putin on 14 February that 10 pages were sent."));
        assert_eq!(f.words, 16);
        assert_eq!(f.shingles.len(), 14);
        assert_eq!(f.lead.len(), 14);
        // "sergei lavrov" · "president vladimir putin" · "14 february" · "10"
        assert_eq!(f.anchors.len(), 4);
        assert_eq!(f.numbers.len(), 2);
    }
}
