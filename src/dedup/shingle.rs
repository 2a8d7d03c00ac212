//! Tokens → hashed features: word shingles, the lead, names-and-numbers
//! anchors and numbers.
//!
//! Owns the fixed hash functions that turn words into the integers every
//! later layer works on. All are xxh3-64 (`xxhash-rust`, a stable,
//! specified algorithm) with the fixed seeds below; changing a seed or the
//! shingle width changes every stored fingerprint, so it goes with a bump of
//! [`super::FINGERPRINT_VERSION`]. Stateless.

use xxhash_rust::xxh3::xxh3_64_with_seed;

use super::minhash::splitmix64;
use super::normalize::Tokens;
use super::wordset::WordSet;

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

/// Function words that make up a text's skeleton: what a synonym spinner
/// leaves alone. Not "said" (spinners swap it for "stated", "claimed") and
/// not "also", "actually", "as well as", which they insert.
const SKELETON: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "him",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "me",
    "more",
    "most",
    "my",
    "no",
    "nor",
    "not",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "out",
    "over",
    "own",
    "same",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "и",
    "в",
    "во",
    "не",
    "что",
    "он",
    "на",
    "я",
    "с",
    "со",
    "как",
    "а",
    "то",
    "все",
    "она",
    "так",
    "его",
    "но",
    "да",
    "к",
    "у",
    "же",
    "за",
    "бы",
    "по",
    "только",
    "ее",
    "было",
    "от",
    "еще",
    "нет",
    "о",
    "об",
    "из",
    "ему",
    "когда",
    "даже",
    "ли",
    "если",
    "уже",
    "или",
    "ни",
    "быть",
    "был",
    "до",
    "там",
    "себя",
    "они",
    "где",
    "есть",
    "для",
    "мы",
    "их",
    "чем",
    "была",
    "без",
    "под",
    "будет",
    "тогда",
    "кто",
    "этот",
    "того",
    "потому",
    "этого",
    "при",
    "после",
    "над",
    "через",
    "эти",
    "нас",
    "про",
    "перед",
    "между",
    "также",
    "который",
    "которые",
    "которая",
    "которых",
    "это",
];

/// The [`SKELETON`] words as a [`WordSet`].
fn skeleton_set() -> &'static WordSet {
    static SET: std::sync::OnceLock<WordSet> = std::sync::OnceLock::new();
    SET.get_or_init(|| WordSet::new(SKELETON))
}

/// At most this many anchor units are kept per text.
pub const MAX_ANCHORS: usize = 96;

/// The hashed features of one text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Features {
    /// 64-bit hashes of the word shingles, sorted and deduplicated.
    pub shingles: Vec<u64>,
    /// Hashes of the first [`LEAD_SHINGLES`] distinct shingles in text order.
    pub lead: Vec<u64>,
    /// 16-bit hashes of the anchor units (names, numbers) in text order.
    pub anchors: Vec<u16>,
    /// 64-bit hashes of consecutive anchor-unit pairs, sorted, deduplicated.
    pub anchor_pairs: Vec<u64>,
    /// 32-bit hashes of the numbers, sorted and deduplicated.
    pub numbers: Vec<u32>,
    /// 64-bit hashes of function-word n-grams (the text with its content
    /// words skipped), sorted and deduplicated.
    pub skeleton: Vec<u64>,
    /// Number of words.
    pub words: usize,
}

/// Returns the hash of one folded word.
pub fn word_hash(word: &str) -> u64 {
    xxh3_64_with_seed(word.as_bytes(), WORD_SEED)
}

/// Returns the hash of a sequence of word hashes (a shingle, an n-gram):
/// `h = seed`, then for each word hash `w`: `h = splitmix64(h ^ w)`
/// ([`super::minhash::splitmix64`], a fixed bijective mixer), so order
/// matters and one multiply chain replaces a byte hash.
pub fn sequence_hash(seed: u64, words: &[u64]) -> u64 {
    words.iter().fold(seed, |h, &w| splitmix64(h ^ w))
}

/// Returns the hash of a shingle given the hashes of its words.
pub fn shingle_hash(words: &[u64]) -> u64 {
    sequence_hash(SHINGLE_SEED, words)
}

/// Computes the features of `tokens`.
///
/// A text shorter than one shingle yields a single shingle of all its words.
pub fn features(tokens: &Tokens) -> Features {
    let hashes = &tokens.hashes;
    let mut shingles: Vec<u64> = if hashes.len() < SHINGLE_WORDS {
        if hashes.is_empty() {
            Vec::new()
        } else {
            vec![shingle_hash(hashes)]
        }
    } else {
        hashes.windows(SHINGLE_WORDS).map(shingle_hash).collect()
    };
    let mut lead = Vec::with_capacity(LEAD_SHINGLES);
    for &s in &shingles {
        if lead.len() == LEAD_SHINGLES {
            break;
        }
        if !lead.contains(&s) {
            lead.push(s);
        }
    }
    shingles.sort_unstable();
    shingles.dedup();

    // Anchor units: runs of adjacent anchor words ("sergei lavrov") are one unit.
    let mut anchors = Vec::new();
    let mut unit: u64 = 0;
    let mut in_unit = false;
    let mut numbers = Vec::new();
    for ((&h, &is_anchor), &digits) in hashes.iter().zip(&tokens.anchor).zip(&tokens.digits) {
        if digits {
            numbers.push(h as u32);
        }
        if is_anchor {
            unit = if in_unit { unit.rotate_left(17) ^ h } else { h };
            in_unit = true;
        } else if in_unit {
            anchors.push(unit);
            in_unit = false;
        }
    }
    if in_unit {
        anchors.push(unit);
    }
    let mut anchor_pairs: Vec<u64> = anchors
        .windows(2)
        .map(|p| sequence_hash(ANCHOR_SEED, p))
        .collect();
    anchor_pairs.sort_unstable();
    anchor_pairs.dedup();
    let anchors = anchors
        .iter()
        .take(MAX_ANCHORS)
        .map(|&u| (u >> 48) as u16)
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    let skeleton_words = skeleton_set();
    let function: Vec<u64> = hashes
        .iter()
        .copied()
        .filter(|&h| skeleton_words.contains_hash(h))
        .collect();
    let mut skeleton: Vec<u64> = function
        .windows(SKELETON_WORDS)
        .map(|w| sequence_hash(SKELETON_SEED, w))
        .collect();
    skeleton.sort_unstable();
    skeleton.dedup();
    Features {
        skeleton,
        shingles,
        lead,
        anchors,
        anchor_pairs,
        numbers,
        words: tokens.len(),
    }
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
