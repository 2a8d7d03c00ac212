//! Tokens → hashed features: word shingles, the lead, names-and-numbers
//! anchors and numbers.
//!
//! Owns the fixed hash functions that turn words into the integers every
//! later layer works on: [`word_hash`] and [`sequence_hash`], both built on
//! the folded multiply (the 128-bit product of two u64s, its halves XORed,
//! as in wyhash and rapidhash) with the fixed keys and seeds below. They are
//! specified here, not taken from a crate, so that stored fingerprints do
//! not depend on a dependency's version. Changing a key, a seed or the
//! shingle width changes every stored fingerprint, so it goes with a bump of
//! [`super::FINGERPRINT_VERSION`]. Stateless.

use super::distinct::Distinct;
use super::normalize::Tokens;
use super::radix::sort_dedup;
use super::wordset::class;

/// Keys of the word hash ([`word_hash`]): ASCII "WIRECOP" and "WORDKEY"
/// under a top byte 0xff. UTF-8 never holds the byte 0xff, so no word (nor
/// the zeros after it) can cancel a key to zero.
pub const WORD_KEYS: (u64, u64) = (0xff57_4952_4543_4f50, 0xff57_4f52_444b_4559);
/// Seed of the shingle hash ([`sequence_hash`] of the word hashes).
pub const SHINGLE_SEED: u64 = 0x5348_494e_474c_4533;
/// Multiplier of the sequence hash ([`sequence_hash`]): ASCII "SEQUENCE",
/// odd.
pub const SEQUENCE_KEY: u64 = 0x5345_5155_454e_4345;
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
    /// 64-bit hashes of the word shingles in text order; a shingle that
    /// occurs twice is there twice.
    pub shingles: Vec<u64>,
    /// The first [`LEAD_SHINGLES`] distinct hashes of `shingles`.
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

impl Features {
    /// Empties every list, keeping its room, for a text of `words` words.
    fn clear(&mut self, words: usize) {
        self.words = words;
        self.shingles.clear();
        self.shingles.reserve(words);
        self.lead.clear();
        self.anchors.clear();
        self.anchor_pairs.clear();
        self.numbers.clear();
        self.skeleton.clear();
    }
}

/// Returns the hash of one folded word.
///
/// The word's UTF-8 bytes are read sixteen at a time, the last group padded
/// with zeros, as two little-endian u64s `(lo, hi)`. The first group gives
/// `h = fold(lo ^ K_lo, hi ^ K_hi ^ n)`, where `n` is the word's length in
/// bytes, `(K_lo, K_hi)` are [`WORD_KEYS`] and `fold(a, b)` XORs the two
/// halves of the 128-bit product `a · b` (the folded multiply of wyhash and
/// rapidhash); each further group gives `h = fold(lo ^ K_lo ^ h, hi ^
/// K_hi)`. Most words fit one group, so a word costs one multiply and no
/// branch on its length: the scanner hashes it from the register it
/// lowercased it in (`packed_word_hash`).
#[inline]
pub fn word_hash(word: &str) -> u64 {
    word_hash_bytes(word.as_bytes())
}

/// [`word_hash`] of a word's UTF-8 bytes.
pub(crate) fn word_hash_bytes(word: &[u8]) -> u64 {
    let mut groups = word.chunks(16).map(|group| {
        let mut padded = [0u8; 16];
        padded[..group.len()].copy_from_slice(group);
        u128::from_le_bytes(padded)
    });
    let mut h = packed_word_hash(groups.next().unwrap_or(0), word.len());
    for group in groups {
        h = fold(
            group as u64 ^ WORD_KEYS.0 ^ h,
            (group >> 64) as u64 ^ WORD_KEYS.1,
        );
    }
    h
}

/// [`word_hash`] of a word of `n` bytes whose first sixteen bytes,
/// zero-padded, are `head` (little-endian): the whole hash when `n <= 16`.
#[inline]
pub(crate) fn packed_word_hash(head: u128, n: usize) -> u64 {
    fold(
        head as u64 ^ WORD_KEYS.0,
        (head >> 64) as u64 ^ WORD_KEYS.1 ^ n as u64,
    )
}

/// The folded multiply: the two halves of the 128-bit product XORed.
#[inline]
fn fold(a: u64, b: u64) -> u64 {
    let p = u128::from(a) * u128::from(b);
    (p as u64) ^ ((p >> 64) as u64)
}

/// Returns the hash of a sequence of word hashes (a shingle, an n-gram):
/// `h = seed`, then for each word hash `w`: `h = fold(h ^ w,`
/// [`SEQUENCE_KEY`]`)`, the folded multiply of [`word_hash`]. Order
/// matters, and a shingle costs one multiply per word instead of a byte
/// hash.
#[inline]
pub fn sequence_hash(seed: u64, words: &[u64]) -> u64 {
    words.iter().fold(seed, |h, &w| sequence_step(h, w))
}

/// One step of [`sequence_hash`].
#[inline]
fn sequence_step(h: u64, w: u64) -> u64 {
    fold(h ^ w, SEQUENCE_KEY)
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
    let mut scratch = Scratch::default();
    features_with(tokens, &mut scratch);
    scratch.features
}

/// Working space of [`features_with`], reused from text to text.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    /// The features of the text last given to [`features_with`].
    pub(crate) features: Features,
    /// The lead's shingles seen so far in the current text.
    seen: Distinct,
    /// Room for the id sorts.
    pub(crate) sort: Vec<u32>,
    /// The anchor units of the current text.
    units: Vec<u64>,
    /// The function words of the current text.
    function: Vec<u64>,
}

/// [`features`] into `scratch.features`, with buffers reused across texts.
pub(crate) fn features_with(tokens: &Tokens, scratch: &mut Scratch) {
    let Scratch {
        features: f,
        seen,
        sort,
        units,
        function,
    } = scratch;
    let words = tokens.items();
    let n = words.len();
    f.clear(n);
    // Shingles in text order, repeats and all: the MinHash ignores them,
    // the simhash weighs by them and the sketch's ids are deduplicated by
    // their sort, so only the lead needs a set. A text shorter than a
    // shingle is one window of all its words.
    if n > 0 {
        f.shingles
            .extend(words.windows(n.min(SHINGLE_WORDS)).map(|w| {
                w.iter()
                    .fold(SHINGLE_SEED, |h, word| sequence_step(h, word.hash))
            }));
    }
    seen.reset(LEAD_SHINGLES);
    f.lead.reserve(LEAD_SHINGLES);
    for &h in &f.shingles {
        if f.lead.len() == LEAD_SHINGLES {
            break;
        }
        if seen.insert(h) {
            f.lead.push(h);
        }
    }

    // Anchor units: runs of adjacent anchor words ("sergei lavrov") are one
    // unit. Numbers and the skeleton's function words on the way. Whether a
    // word is an anchor or a function word is a coin flip to the processor,
    // so both are collected without branches: every word is written, and
    // the write position only moves on for the words that count.
    let anchors = units;
    anchors.clear();
    anchors.resize(n / 2 + 1, 0);
    let mut n_anchors = 0;
    function.clear();
    function.resize(n, 0);
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
    f.anchor_pairs
        .extend(anchors.windows(2).map(|p| sequence_hash(ANCHOR_SEED, p)));
    f.anchors
        .extend(anchors.iter().take(MAX_ANCHORS).map(|&u| (u >> 48) as u16));
    f.numbers.sort_unstable();
    f.numbers.dedup();
    f.skeleton.extend(
        function
            .windows(SKELETON_WORDS)
            .map(|w| (sequence_hash(SKELETON_SEED, w) >> 32) as u32),
    );
    sort_dedup(&mut f.skeleton, sort);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedup::normalize::tokens;

    #[test]
    fn golden_word_and_shingle_hashes() {
        // Pinned: these values are stored. Changing them needs a new
        // FINGERPRINT_VERSION. They were computed apart from this code, from
        // the definitions in the docs (Python big integers), for a word of
        // one group, a word of two groups and a Cyrillic word.
        let words = [
            word_hash("lavrov"),
            word_hash("counterintelligence-operations"),
            word_hash("тасс"),
        ];
        assert_eq!(
            words,
            [
                6_852_343_859_085_997_590,
                8_309_568_397_744_670_117,
                13_411_071_643_459_414_060
            ]
        );
        assert_eq!(shingle_hash(&[1, 2, 3]), 2_465_354_073_063_438_254);
        // The scanner's shortcut agrees with the definition.
        let head = u128::from_le_bytes(*b"lavrov\0\0\0\0\0\0\0\0\0\0");
        assert_eq!(packed_word_hash(head, 6), words[0]);
    }

    #[test]
    fn features_of_a_sentence() {
        let f = features(&tokens("Foreign Minister Sergei Lavrov told President Vladimir Putin on 14 February that 10 pages were sent."));
        assert_eq!(f.words, 16);
        assert_eq!(f.shingles.len(), 14);
        assert_eq!(f.lead.len(), 14);
        // "sergei lavrov" · "president vladimir putin" · "14 february" · "10"
        assert_eq!(f.anchors.len(), 4);
        assert_eq!(f.numbers.len(), 2);
        // Shorter than a shingle: one shingle of all the words.
        let short = features(&tokens("Lavrov spoke"));
        let want = shingle_hash(&[word_hash("lavrov"), word_hash("spoke")]);
        assert_eq!((short.shingles, short.lead), (vec![want], vec![want]));
        assert!(features(&tokens("")).shingles.is_empty());
    }
}
