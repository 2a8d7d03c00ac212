//! Candidate verification: do two texts tell the same story, and how?
//!
//! Owns the decision rules and their thresholds. Every candidate that the
//! LSH tables propose is checked here on exact features, never on the
//! MinHash estimate alone:
//!
//! * **near**: 3-shingle Jaccard ≥ [`NEAR_JACCARD`];
//! * **excerpt**: containment of the shorter text's shingles in the longer's
//!   ≥ [`EXCERPT_CONTAINMENT`] (Broder 1997), so a story cut to its first
//!   paragraphs joins the full story;
//! * **rewrite**: the names and numbers of the shorter text appear in the
//!   same order in the longer (longest common subsequence ≥
//!   [`REWRITE_ANCHOR_LCS`]), with some shingle overlap left
//!   (≥ [`REWRITE_CONTAINMENT`]): what a synonym spinner cannot change;
//!
//! and all three only if the numbers of the shorter text appear in the
//! longer one ([`numbers_agree`]), which keeps templated stories (market
//! closes, results, casualty counts) apart;
//!
//! * **partial** ([`partial`]): when none of those holds, a text that takes
//!   long aligned passages ([`super::align`]) from another and adds its own
//!   material: a newspaper story built on agency copy. Decided by aligned
//!   length and coverage, never by shingle overlap, so that stories on one
//!   topic, which share names and a quote but no long passage, stay apart.
//!   Stateless.
//!
//! Index cores may keep only a sample of their shingles (those whose id is
//! divisible by [`SAMPLE_MOD`]: Broder's MOD-m sample); comparisons against a
//! sampled side restrict the other side to the same sample, which keeps the
//! estimates unbiased and a true excerpt's containment exactly 1.

use serde::{Deserialize, Serialize};

use super::sketch::Sketch;

mod partial;
pub use partial::{
    partial, partial_match, Source, PARTIAL_COVERAGE, PARTIAL_MAX_NUMBER_CHANGES,
    PARTIAL_MIN_WORDS, PARTIAL_SCATTERED_COVERAGE, PARTIAL_SCATTERED_PASSAGES,
    PARTIAL_UNSOURCED_COVERAGE,
};

/// Minimum 3-shingle Jaccard for a near duplicate.
pub const NEAR_JACCARD: f64 = 0.5;
/// A pair whose shorter text has fewer than this share of the longer one's
/// words is an excerpt, not a near copy, when its containment allows.
pub const NEAR_LENGTH_RATIO: f64 = 0.8;
/// Minimum containment of the shorter text for an excerpt.
pub const EXCERPT_CONTAINMENT: f64 = 0.7;
/// The shorter text needs at least this many shingles to join as an excerpt.
pub const EXCERPT_MIN_SHINGLES: usize = 12;
/// Minimum anchor LCS (share of the shorter text's anchors) for a rewrite.
pub const REWRITE_ANCHOR_LCS: f64 = 0.6;
/// The shorter text needs at least this many anchors to join as a rewrite.
pub const REWRITE_MIN_ANCHORS: usize = 8;
/// Minimum shingle containment for a rewrite.
pub const REWRITE_CONTAINMENT: f64 = 0.1;
/// Minimum containment of the shorter text's function-word skeleton for a
/// rewrite. Measured on the corpus: synonym spins 0.66–1.0, hard negatives
/// (same people, same event, shared background, comment) at most 0.41.
pub const REWRITE_SKELETON: f64 = 0.55;
/// The shorter text needs at least this many skeleton n-grams for a rewrite.
pub const REWRITE_MIN_SKELETON: usize = 10;
/// Cores with more shingles than [`FULL_SHINGLES`] keep one skeleton n-gram
/// in this many (skeletons decide rewrites, so they keep a denser sample).
pub const SKELETON_SAMPLE_MOD: u32 = 4;
/// Cores with more shingles than [`FULL_SHINGLES`] keep one in this many.
pub const SAMPLE_MOD: u32 = 8;
/// Cores with at most this many shingles keep all of them.
pub const FULL_SHINGLES: usize = 160;

/// How a member relates to its cluster's canonical text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Relation {
    /// The canonical text itself.
    Canonical,
    /// The same text after normalisation (equal SHA-256).
    Exact,
    /// The same text with small changes (chrome, headline, credits, spelling).
    Near,
    /// A cut of the text, or the text of which this one is a cut.
    Excerpt,
    /// A reworded (synonym-spun) copy.
    Rewrite,
    /// A text that takes long passages of the story and adds its own
    /// material. Never the canonical; always flagged for review.
    Partial,
}

impl Relation {
    /// Returns the lowercase name used in JSON and text output.
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Canonical => "canonical",
            Relation::Exact => "exact",
            Relation::Near => "near",
            Relation::Excerpt => "excerpt",
            Relation::Rewrite => "rewrite",
            Relation::Partial => "partial",
        }
    }

    /// Rank for picking the best of several matches: lower is stronger.
    pub(crate) fn strength(self) -> u8 {
        match self {
            Relation::Canonical | Relation::Exact => 0,
            Relation::Near => 1,
            Relation::Excerpt => 2,
            Relation::Rewrite => 3,
            Relation::Partial => 4,
        }
    }
}

/// The outcome of a successful verification.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Match {
    /// How the two texts relate.
    pub relation: Relation,
    /// The score of that relation in [0, 1]: Jaccard for near, containment
    /// for excerpt, anchor LCS for rewrite.
    pub similarity: f64,
    /// 3-shingle Jaccard (estimated when a side is sampled).
    pub jaccard: f64,
    /// Containment of the shorter side in the longer.
    pub containment: f64,
}

/// The features one comparison reads; borrowed from a [`Sketch`] or from an
/// index core.
#[derive(Clone, Copy, Debug)]
pub(crate) struct View<'a> {
    /// Shingle ids, sorted: all of them, or the MOD-[`SAMPLE_MOD`] sample.
    pub shingles: &'a [u32],
    /// True if and only if `shingles` holds all of them.
    pub full: bool,
    /// Number of words.
    pub words: u32,
    /// Anchors in order.
    pub anchors: &'a [u16],
    /// Sorted number hashes.
    pub numbers: &'a [u32],
    /// Skeleton n-gram ids, sorted: all, or the sample (same `full` flag).
    pub skeleton: &'a [u32],
}

impl<'a> View<'a> {
    /// A view of all features of a sketch.
    pub fn of(s: &'a Sketch) -> View<'a> {
        View {
            shingles: &s.shingles,
            full: true,
            words: s.fingerprint.words,
            anchors: &s.anchors,
            numbers: &s.numbers,
            skeleton: &s.skeleton,
        }
    }
}

/// Returns true if and only if `id` is in the MOD-`modulus` sample.
pub fn sampled(id: u32, modulus: u32) -> bool {
    id.is_multiple_of(modulus)
}

/// Returns how `a` and `b` relate, or `None` if they are different stories.
pub fn compare(a: &Sketch, b: &Sketch) -> Option<Match> {
    compare_views(View::of(a), View::of(b))
}

/// [`compare`] on views.
pub(crate) fn compare_views(a: View<'_>, b: View<'_>) -> Option<Match> {
    let (short, long) = if a.words <= b.words { (a, b) } else { (b, a) };
    if !numbers_agree(short.numbers, long.numbers) {
        return None;
    }
    let (inter, na, nb) = if a.full && b.full {
        (
            intersect(a.shingles, b.shingles, 1),
            a.shingles.len(),
            b.shingles.len(),
        )
    } else {
        let na = count_sampled(a);
        let nb = count_sampled(b);
        (intersect(a.shingles, b.shingles, SAMPLE_MOD), na, nb)
    };
    if na == 0 || nb == 0 {
        return None;
    }
    let union = na + nb - inter;
    let jaccard = inter as f64 / union as f64;
    let containment = inter as f64 / na.min(nb) as f64;
    let short_shingles = if short.full {
        short.shingles.len()
    } else {
        usize::MAX
    };
    let m = |relation, similarity| {
        Some(Match {
            relation,
            similarity,
            jaccard,
            containment,
        })
    };
    let length_ratio = f64::from(short.words) / f64::from(long.words.max(1));
    if jaccard >= NEAR_JACCARD
        && (length_ratio >= NEAR_LENGTH_RATIO || containment < EXCERPT_CONTAINMENT)
    {
        return m(Relation::Near, jaccard);
    }
    if containment >= EXCERPT_CONTAINMENT && short_shingles >= EXCERPT_MIN_SHINGLES {
        return m(Relation::Excerpt, containment);
    }
    if containment >= REWRITE_CONTAINMENT && short.anchors.len() >= REWRITE_MIN_ANCHORS {
        let lcs = lcs_len(short.anchors, long.anchors) as f64 / short.anchors.len() as f64;
        if lcs >= REWRITE_ANCHOR_LCS && skeleton_containment(short, long) >= REWRITE_SKELETON {
            return m(Relation::Rewrite, lcs);
        }
    }
    None
}

/// Returns the containment of the shorter text's skeleton n-grams in the
/// longer's, or 0 if the shorter has fewer than [`REWRITE_MIN_SKELETON`].
fn skeleton_containment(short: View<'_>, long: View<'_>) -> f64 {
    let both_full = short.full && long.full;
    let n = if both_full {
        short.skeleton.len()
    } else if short.full {
        short
            .skeleton
            .iter()
            .filter(|&&id| sampled(id, SKELETON_SAMPLE_MOD))
            .count()
    } else {
        short.skeleton.len()
    };
    let enough = if both_full {
        REWRITE_MIN_SKELETON
    } else {
        REWRITE_MIN_SKELETON / SKELETON_SAMPLE_MOD as usize
    };
    if n < enough.max(1) {
        return 0.0;
    }
    let modulus = if both_full { 1 } else { SKELETON_SAMPLE_MOD };
    intersect(short.skeleton, long.skeleton, modulus) as f64 / n as f64
}

/// Returns the number of sampled shingles of a view.
fn count_sampled(v: View<'_>) -> usize {
    if v.full {
        v.shingles
            .iter()
            .filter(|&&id| sampled(id, SAMPLE_MOD))
            .count()
    } else {
        v.shingles.len()
    }
}

/// Returns the size of the intersection of two sorted id lists, counting only
/// ids in the MOD-`modulus` sample (1: all).
fn intersect(a: &[u32], b: &[u32], modulus: u32) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                if sampled(a[i], modulus) {
                    n += 1;
                }
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Returns true if and only if the numbers of the shorter text appear in the
/// longer one, allowing one miss per eight numbers (a changed date in a
/// dateline the filter did not recognise).
pub fn numbers_agree(short: &[u32], long: &[u32]) -> bool {
    let missing = short
        .iter()
        .filter(|n| long.binary_search(n).is_err())
        .count();
    missing <= short.len() / 8
}

/// [`numbers_agree`] on two texts given as their numbers and lengths in
/// words: the shorter one's numbers must appear in the longer.
pub fn pair_numbers_agree(a: &[u32], a_words: u32, b: &[u32], b_words: u32) -> bool {
    if a_words <= b_words {
        numbers_agree(a, b)
    } else {
        numbers_agree(b, a)
    }
}

/// Returns the length of the longest common subsequence of `a` and `b`.
pub fn lcs_len(a: &[u16], b: &[u16]) -> usize {
    let mut row = vec![0u32; b.len() + 1];
    for &x in a {
        let mut diag = 0;
        for (j, &y) in b.iter().enumerate() {
            let up = row[j + 1];
            row[j + 1] = if x == y { diag + 1 } else { up.max(row[j]) };
            diag = up;
        }
    }
    row[b.len()] as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lcs() {
        assert_eq!(lcs_len(&[1, 2, 3, 4], &[1, 3, 4, 2]), 3);
        assert_eq!(lcs_len(&[], &[1]), 0);
    }

    #[test]
    fn numbers_rule() {
        assert!(numbers_agree(&[1, 2], &[1, 2, 3]));
        assert!(!numbers_agree(&[1, 4], &[1, 2, 3]));
        assert!(numbers_agree(&[], &[1]));
    }

    #[test]
    fn intersect_sampled() {
        assert_eq!(intersect(&[0, 1, 4, 8], &[0, 4, 5, 8], 1), 3);
        assert_eq!(intersect(&[0, 1, 8, 9], &[0, 5, 8, 9], 8), 2);
    }
}
