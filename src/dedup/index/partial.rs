//! Candidates and verification for partial reprints.
//!
//! Owns the second candidate path of the [`Index`]. The LSH bands find
//! texts whose shingle sets are alike as wholes; a newspaper story that
//! takes a third of itself from an agency story shares a tenth of its
//! shingles with it, which no band catches. So every core also files its
//! shingles of the MOD-[`POSTING_SAMPLE_MOD`] sample (Broder's sample: the same
//! shingle is sampled in every text) in a posting table, and a new text
//! that has found no full match looks its own sampled shingles up there.
//! Cores sharing at least [`MIN_POSTING_HITS`] of them (the most-shared
//! first, at most [`MAX_ALIGNED`]) are aligned with it
//! ([`crate::dedup::align`]) and decided by [`partial`].
//!
//! A posting list stops growing at [`MAX_POSTINGS`] cores: a shingle that
//! common ("one of the", "said in a statement") says nothing about reuse,
//! and a capped list bounds the cost of a lookup.
//!
//! A partial reprint is a text *built on* a story, so an agency's own copy
//! ([`DocMeta::agency`]) never joins as one: an agency's follow-up story
//! repeats its earlier copy, and its background paragraphs, without being a
//! reprint of anything (its takes, substitutes and night leads relate as
//! near copies or excerpts, which the other rules decide). It joins, as the
//! original, a newspaper's story built on it that was stored before it
//! (`earlier_reprint`): pages arrive in the order they are fetched, and an
//! agency's feed may be read after the newspapers'. Against an
//! agency's core the coverage that counts is the new text's own, how much
//! of it was taken from the agency; between two texts of which neither is
//! known to be the source, it is the shorter one's, and it must be higher:
//! two stories that share a long background paragraph look, from their text
//! alone, like a story and a reprint that kept a third of it (the rule and
//! its thresholds: [`crate::dedup::compare::partial`]).

use super::{takes, Index};
use crate::dedup::align::Aligner;
use crate::dedup::canonical::DocMeta;
use crate::dedup::compare::{
    pair_numbers_agree, partial, partial_match, sampled, Match, Source, PARTIAL_MIN_WORDS,
};
use crate::dedup::place::CoreSource;
use crate::dedup::sketch::Sketch;

/// A core's word sequence is kept up to this many words: the passages a
/// reprint takes are in the first thousands of words of any story.
pub const MAX_SEQUENCE: usize = 4000;
/// The posting table files the shingles whose id is a multiple of this.
pub const POSTING_SAMPLE_MOD: u32 = 8;
/// A posting list holds at most this many cores.
pub const MAX_POSTINGS: usize = 32;
/// A core is aligned with a new text only if they share this many sampled
/// shingles. One: on the METER showbiz half two missed 2 of the 45 pairs
/// that exhaustive alignment accepts, one misses none.
pub const MIN_POSTING_HITS: u32 = 1;
/// And at least one in this many of the new text's sampled shingles: two
/// unrelated 500-word texts share a sampled shingle or two by chance, and
/// each alignment costs about 20 µs. A text that takes a third of itself
/// from another shares a tenth or more of its sampled shingles with it.
pub const MIN_HIT_SHARE_INVERSE: u32 = 25;
/// At most this many cores, those with the most hits, are aligned.
pub const MAX_ALIGNED: usize = 16;

impl Index {
    /// Files a new core's word sequence and sampled shingles.
    pub(super) fn add_partial_features(&mut self, core: u32, s: &Sketch) {
        let n = s.sequence.len().min(MAX_SEQUENCE);
        super::extend(&mut self.sequence, s.sequence[..n].iter().copied());
        self.sequence_off.push(super::offset(self.sequence.len()));
        for id in posting_ids(s) {
            self.postings.insert_capped(id, core, MAX_POSTINGS);
        }
    }
}

/// Returns the sampled shingle ids of `s` a core files in the posting
/// table and a new text looks up there.
pub fn posting_ids(s: &Sketch) -> impl Iterator<Item = u32> + '_ {
    s.shingles
        .iter()
        .copied()
        .filter(|&id| sampled(id, POSTING_SAMPLE_MOD))
}

/// Returns the best partial match of `s` among the cores it shares sampled
/// shingles with, and that core: the second candidate path of
/// [`crate::dedup::place::place`].
///
/// Errors only if the source does.
pub(crate) fn best_partial<S: CoreSource>(
    s: &Sketch,
    meta: &DocMeta,
    source: &mut S,
    aligner: &mut Aligner,
) -> Result<Option<(Match, S::Core)>, S::Error> {
    if meta.agency {
        return earlier_reprint(s, meta, source, aligner);
    }
    let candidates = partial_candidates(s, source)?;
    let mut best: Option<(Match, S::Core, usize)> = None;
    // The agency texts it shares a reprint's length of passages with, for
    // the follow-up rule of `takes::original_of`.
    let mut sources: Vec<takes::Shared<S::Core>> = Vec::new();
    for (at, core) in candidates.into_iter().enumerate() {
        let other = source.core(core);
        let al = aligner.align(&s.sequence, other.sequence);
        let view = other.view;
        let numbers = pair_numbers_agree(&s.numbers, meta.words, view.numbers, view.words);
        let found = if other.meta.agency {
            if al.spanned >= PARTIAL_MIN_WORDS {
                sources.push(takes::Shared {
                    at,
                    core,
                    found: partial_match(&al, meta.words),
                    later: {
                        let (new, old) =
                            takes::later_counts(&al, s.sequence.len(), other.sequence.len());
                        new > old
                    },
                });
            }
            partial(&al, meta.words, Source::Agency, numbers)
        } else {
            partial(
                &al,
                meta.words.min(other.meta.words),
                Source::Unknown,
                numbers,
            )
        };
        if let Some(m) = found {
            if best
                .as_ref()
                .is_none_or(|(b, _, _)| m.similarity > b.similarity)
            {
                best = Some((m, core, at));
            }
        }
    }
    Ok(best.map(|(m, core, at)| {
        if source.core(core).meta.agency {
            if let Some(original) = takes::original_of(at, core, &sources, source, aligner) {
                return (original.found, original.core);
            }
        }
        (m, core)
    }))
}

/// Returns the cores sharing enough sampled shingles with `s` to be aligned
/// with it, most shared first.
fn partial_candidates<S: CoreSource>(s: &Sketch, source: &mut S) -> Result<Vec<S::Core>, S::Error> {
    let ids: Vec<u32> = posting_ids(s).collect();
    let looked_up = ids.len() as u32;
    let min_hits = MIN_POSTING_HITS.max(looked_up.div_ceil(MIN_HIT_SHARE_INVERSE));
    source.posting_candidates(&ids, min_hits)
}

/// Returns the best earlier text that is a partial reprint of `s`, the
/// agency's own copy arriving after it, and that text's core.
///
/// An agency's copy is never built on another text, but the newspaper
/// that reprinted part of it may have been fetched first, and then founded
/// a cluster of its own. The agency's text joins it, as the original: the
/// coverage that counts is the earlier text's, how much of *it* the
/// agency's copy holds. Only texts not known to be the agency's own count:
/// between two of them the takes and follow-up rules decide.
fn earlier_reprint<S: CoreSource>(
    s: &Sketch,
    meta: &DocMeta,
    source: &mut S,
    aligner: &mut Aligner,
) -> Result<Option<(Match, S::Core)>, S::Error> {
    let mut best: Option<(Match, S::Core)> = None;
    for core in partial_candidates(s, source)? {
        let other = source.core(core);
        if other.meta.agency {
            continue;
        }
        let al = aligner.align(&s.sequence, other.sequence);
        let view = other.view;
        let numbers = pair_numbers_agree(&s.numbers, meta.words, view.numbers, view.words);
        if let Some(m) = partial(&al, other.meta.words, Source::Agency, numbers) {
            if best
                .as_ref()
                .is_none_or(|(b, _)| m.similarity > b.similarity)
            {
                best = Some((m, core));
            }
        }
    }
    Ok(best)
}
