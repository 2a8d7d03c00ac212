//! The partial-reuse rule: when does an aligned passage make a text a
//! partial reprint of another?
//!
//! Owns the thresholds of [`super::Relation::Partial`], decided on an
//! [`Alignment`] (the passages two texts share, [`crate::dedup::align`]),
//! never on shingle overlap. Three things keep stories that only share a
//! topic apart:
//!
//! * **length**: the passages span at least [`PARTIAL_MIN_WORDS`] words. A
//!   shared quote or a name with its title spans 8–30;
//! * **coverage**: they cover a share of the reusing text, which depends on
//!   how they are spread. One block of shared words is what two independent
//!   stories can share verbatim: a background paragraph, a quoted
//!   statement. So one passage must cover [`PARTIAL_COVERAGE`] of the text.
//!   A newspaper that builds on agency copy keeps several of its passages
//!   apart, with its own sentences between them, and keeps the copy's
//!   figures; then [`PARTIAL_SCATTERED_PASSAGES`] passages covering
//!   [`PARTIAL_SCATTERED_COVERAGE`] are enough, if the numbers of the shorter
//!   text all appear in the longer (the rule of [`super::numbers_agree`]).
//!   An agency's next briefing on the same subject repeats its stock phrases
//!   and background paragraphs in several passages too, but it brings its
//!   own figures: it fails the numbers rule;
//! * **numbers**: passages that break off at [`PARTIAL_MAX_NUMBER_CHANGES`]
//!   changed figures are a template filled in with other figures.
//!
//! When neither text is known to be the source ([`Source::Unknown`]: no
//! agency's own copy among the two), either could have the other's
//! background paragraph, and a shared paragraph can be half of a short
//! story, so the shorter text's coverage counts and must reach
//! [`PARTIAL_UNSOURCED_COVERAGE`], however the passages are spread.
//!
//! The figures behind each threshold are in `docs/dedup.md`. Stateless.

use super::{Match, Relation};
use crate::dedup::align::Alignment;

/// A partial reprint's passages span at least this many words.
///
/// Measured on the METER showbiz half (newspaper stories against the Press
/// Association copy they were built on, see `docs/dedup.md`): a single
/// shared quote or a name with its title spans 8–30 words; reuse of the
/// wire spans 40 and more.
pub const PARTIAL_MIN_WORDS: u32 = 40;
/// The share of the reusing text that one block of passages must cover. A
/// background paragraph repeated in another story covers a fifth to two
/// fifths of it in `fixtures/reprints`; see `docs/dedup.md`.
pub const PARTIAL_COVERAGE: f64 = 0.35;
/// The share that passages spread over the text must cover.
pub const PARTIAL_SCATTERED_COVERAGE: f64 = 0.2;
/// Passages count as spread over the text from this many.
pub const PARTIAL_SCATTERED_PASSAGES: u32 = 2;
/// The share when neither text is known to be the agency's own copy, so
/// that either could be the source: a shared background paragraph can be
/// half of a short story (`fixtures/reprints` has one at 0.47).
pub const PARTIAL_UNSOURCED_COVERAGE: f64 = 0.5;
/// Two texts whose shared passages break off at this many numbers that
/// differ between them are one template filled in with other figures (a
/// market close, a result), not a partial reprint. Measured: such templates
/// in `fixtures/reprints` change 5 numbers at passage ends; of the METER
/// newspaper stories that reuse their PA copy, none changes two.
pub const PARTIAL_MAX_NUMBER_CHANGES: u32 = 2;

/// Which of two aligned texts is known to be the source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// One of them is the agency's own copy; the other reuses it.
    Agency,
    /// Neither is known to be the source.
    Unknown,
}

/// Returns the partial-reuse match of an alignment, or `None` (see the
/// module docs).
///
/// `reuser_words` is the length of the text whose coverage counts: the one
/// that reuses the agency's copy, or the shorter of the two when the source
/// is [`Source::Unknown`]. The similarity is the aligned share of that text.
/// `numbers_agree` says whether the numbers of the shorter text all appear
/// in the longer one ([`super::numbers_agree`], on the whole texts).
pub fn partial(
    al: &Alignment,
    reuser_words: u32,
    source: Source,
    numbers_agree: bool,
) -> Option<Match> {
    let coverage = partial_match(al, reuser_words).similarity;
    let enough = match source {
        Source::Unknown => coverage >= PARTIAL_UNSOURCED_COVERAGE,
        Source::Agency => {
            coverage >= PARTIAL_COVERAGE
                || (numbers_agree
                    && al.passages >= PARTIAL_SCATTERED_PASSAGES
                    && coverage >= PARTIAL_SCATTERED_COVERAGE)
        }
    };
    let template = al.number_changes >= PARTIAL_MAX_NUMBER_CHANGES;
    (!template && al.spanned >= PARTIAL_MIN_WORDS && enough)
        .then(|| partial_match(al, reuser_words))
}

/// Returns the partial match an alignment describes, decided or not: the
/// similarity is the aligned share of the `reuser_words` long text.
pub fn partial_match(al: &Alignment, reuser_words: u32) -> Match {
    Match {
        relation: Relation::Partial,
        similarity: (f64::from(al.spanned) / f64::from(reuser_words.max(1))).min(1.0),
        jaccard: 0.0,
        containment: al.coverage(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aligned(spanned: u32, passages: u32) -> Alignment {
        Alignment {
            spanned,
            passages,
            short_words: 150,
            long_words: 300,
            ..Alignment::default()
        }
    }

    #[test]
    fn partial_needs_length_coverage_and_stable_numbers() {
        let al = aligned(60, 1);
        let m = partial(&al, 150, Source::Agency, true).expect("40% of the reusing text");
        assert_eq!(m.relation, Relation::Partial);
        assert!((m.similarity - 0.4).abs() < 1e-9);
        assert!(
            partial(&al, 300, Source::Agency, true).is_none(),
            "20% in one block is too little"
        );
        assert!(partial(&al, 150, Source::Unknown, true).is_none());
        let short = Alignment { spanned: 30, ..al };
        assert!(
            partial(&short, 60, Source::Agency, true).is_none(),
            "under 40 words"
        );
        let template = Alignment {
            number_changes: 2,
            ..al
        };
        assert!(partial(&template, 150, Source::Agency, true).is_none());
    }

    #[test]
    fn scattered_passages_need_less_coverage_if_the_figures_agree() {
        // 60 words of a 250-word newspaper story, in three passages.
        let al = aligned(60, 3);
        assert!(partial(&al, 250, Source::Agency, true).is_some());
        assert!(
            partial(&al, 250, Source::Agency, false).is_none(),
            "a story with figures of its own"
        );
        assert!(partial(&aligned(60, 1), 250, Source::Agency, true).is_none());
        assert!(partial(&al, 250, Source::Unknown, true).is_none());
        assert!(
            partial(&al, 320, Source::Agency, true).is_none(),
            "under 20%"
        );
    }
}
