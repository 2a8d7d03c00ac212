//! One placement decision, over any source of cores.
//!
//! Owns the matching rules of the incremental index in one place, so that
//! the in-memory [`super::Index`] (for `wirecopy dedup` over files) and the
//! index the store keeps between runs decide every document the same way.
//! [`place`] reads cores through the [`CoreSource`] trait:
//!
//! 1. the exact layer: the first document with the same normalised text;
//! 2. the cores sharing LSH band keys, most shared first, verified on exact
//!    features ([`super::compare`]);
//! 3. when none verifies, the cores sharing sampled shingles, aligned for
//!    partial reuse ([`super::index::partial`]).
//!
//! The trait lives here, in dedup, and dedup never sees where the cores are
//! kept: the in-memory index answers from its arenas; the pipeline answers
//! from the store (`crate::pipeline`), which looks candidates up by indexed
//! queries and hands their features back as [`StoredCore`]s. Data still
//! flows one way: the store uses dedup's types, dedup knows no store.
//!
//! Stateless: what a placement changes (a new core, the exact key) is the
//! caller's to record, from the returned [`Placement`].

use super::align::Aligner;
use super::canonical::DocMeta;
use super::compare::{compare_views, Match, Relation, View};
use super::core::StoredCore;
use super::index::takes;
use super::index::{
    EXCERPT_LEAD_AGREEMENT, EXCERPT_LEAD_RATIO, SECONDARY_FROM_JACCARD, SECONDARY_NEAR_JACCARD,
};
use super::minhash::estimate_jaccard;
use super::sketch::Sketch;

/// What a placement reads of one core.
#[derive(Clone, Copy, Debug)]
pub struct CoreRef<'a> {
    pub(crate) view: View<'a>,
    /// True if and only if it is a secondary core (see [`super::index`]).
    pub(crate) secondary: bool,
    /// Its lead signature.
    pub(crate) lead: &'a [u32],
    /// Its word sequence, cut at [`super::index::partial::MAX_SEQUENCE`].
    pub(crate) sequence: &'a [u16],
    /// What the canonical policy knew about its document.
    pub(crate) meta: DocMeta,
}

impl<'a> CoreRef<'a> {
    /// A view of a core the store kept.
    pub fn of(core: &'a StoredCore) -> CoreRef<'a> {
        let s = &core.features.sketch;
        CoreRef {
            view: View {
                shingles: &s.shingles,
                full: core.features.full,
                words: s.fingerprint.words,
                anchors: &s.anchors,
                numbers: &s.numbers,
                skeleton: &s.skeleton,
            },
            secondary: core.secondary,
            lead: &s.lead_minhash,
            sequence: &s.sequence,
            meta: core.meta,
        }
    }
}

/// Where the cores of an index are kept, as [`place`] reads them.
///
/// `Core` names one core (a number in the in-memory index, a position in
/// the candidates loaded from the store); candidate lists come most shared
/// first, ties to the oldest core, as [`rank`] orders them.
pub trait CoreSource {
    /// Names a core.
    type Core: Copy;
    /// Names a document.
    type Doc: Copy;
    /// What a lookup can fail with.
    type Error;
    /// Returns the first document filed under this exact-layer key (the
    /// first 16 bytes of the normalised text's SHA-256), if any.
    fn exact(&mut self, key: &[u8; 16]) -> Result<Option<Self::Doc>, Self::Error>;
    /// Returns the cores sharing at least one of these band keys, most
    /// shared first, at most [`super::index::MAX_CANDIDATES`].
    fn band_candidates(&mut self, keys: &[u32]) -> Result<Vec<Self::Core>, Self::Error>;
    /// Returns the cores sharing at least `min_hits` of these sampled
    /// shingle ids (each id counting at most
    /// [`super::index::partial::MAX_POSTINGS`] cores, the oldest), most
    /// shared first, at most [`super::index::partial::MAX_ALIGNED`].
    fn posting_candidates(
        &mut self,
        ids: &[u32],
        min_hits: u32,
    ) -> Result<Vec<Self::Core>, Self::Error>;
    /// Returns a core's features. `core` came from this source.
    fn core(&self, core: Self::Core) -> CoreRef<'_>;
}

/// The outcome of [`place`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Placement<C, D> {
    /// The same normalised text as this earlier document.
    Exact(D),
    /// A match with this core.
    Joined {
        /// The core matched.
        core: C,
        /// How the texts relate.
        found: Match,
        /// True if and only if the new document should become a secondary
        /// core of the cluster (a rewrite, a distant near copy, a fuller
        /// text of which the core is an excerpt, or the agency's own copy
        /// matched through a reprint of it), room permitting.
        secondary: bool,
    },
    /// No match: the document founds a cluster and is its primary core.
    Founds,
}

/// Places one document: the exact layer, then the band candidates, then
/// partial reuse. `keys` are its band keys as the index files them (see
/// [`super::Index::band_keys`], top 32 bits).
///
/// Errors only if the source does.
pub fn place<S: CoreSource>(
    s: &Sketch,
    keys: &[u32],
    meta: &DocMeta,
    source: &mut S,
    aligner: &mut Aligner,
) -> Result<Placement<S::Core, S::Doc>, S::Error> {
    if let Some(first) = source.exact(&exact_key(s))? {
        return Ok(Placement::Exact(first));
    }
    let mut best: Option<(Match, S::Core)> = None;
    for core in source.band_candidates(keys)? {
        let Some(m) = verify(s, meta, source.core(core), aligner) else {
            continue;
        };
        let better = match &best {
            None => true,
            Some((b, _)) => {
                (m.relation.strength(), -m.similarity) < (b.relation.strength(), -b.similarity)
            }
        };
        if better {
            best = Some((m, core));
        }
    }
    if best.is_none() {
        best = super::index::partial::best_partial(s, meta, source, aligner)?;
    }
    Ok(match best {
        Some((found, core)) => {
            let matched = source.core(core);
            let fuller =
                found.relation == Relation::Excerpt && s.fingerprint.words > matched.view.words;
            let distant = found.relation == Relation::Rewrite
                || (found.relation == Relation::Near && found.jaccard < SECONDARY_FROM_JACCARD);
            // The agency's own copy arriving after a reprint of it, whole
            // or in part: later copies must be able to match the original,
            // not only the reprint that came first (a reviewer may split
            // that one away).
            let original = meta.agency && !matched.meta.agency;
            Placement::Joined {
                core,
                found,
                secondary: distant || fuller || original,
            }
        }
        None => Placement::Founds,
    })
}

/// The exact-layer key of a sketch: the first 16 bytes of its SHA-256.
pub fn exact_key(s: &Sketch) -> [u8; 16] {
    let mut key = [0u8; 16];
    key.copy_from_slice(&s.fingerprint.sha256[..16]);
    key
}

/// Verifies a candidate core: the comparison rules, then what a secondary
/// core, a long excerpt and two of the agency's own texts need besides
/// (see [`super::index::takes`]).
fn verify(s: &Sketch, meta: &DocMeta, core: CoreRef<'_>, aligner: &mut Aligner) -> Option<Match> {
    let own_copies = takes::own_copies(meta, &core);
    let view = core.view;
    let m = compare_views(View::of(s), view)?;
    if core.secondary
        && (m.relation == Relation::Rewrite
            || (m.relation == Relation::Near && m.jaccard < SECONDARY_NEAR_JACCARD))
    {
        return None;
    }
    if m.relation == Relation::Excerpt && !own_copies {
        let (short, long) = (
            s.fingerprint.words.min(view.words),
            s.fingerprint.words.max(view.words),
        );
        if long > short.saturating_mul(EXCERPT_LEAD_RATIO)
            && estimate_jaccard(&s.lead_minhash, core.lead) < EXCERPT_LEAD_AGREEMENT
        {
            return None;
        }
    }
    if own_copies && takes::written_a_day_apart(s, &core, aligner) {
        return None;
    }
    Some(m)
}

/// Orders counted candidates: those with at least `min` hits, most hits
/// first, ties to the smaller (older) core, at most `max` of them. `hits`
/// holds each core once with its count.
pub fn rank<C: Ord + Copy>(mut hits: Vec<(C, u32)>, min: u32, max: usize) -> Vec<C> {
    hits.retain(|&(_, n)| n >= min);
    hits.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    hits.truncate(max);
    hits.into_iter().map(|(c, _)| c).collect()
}
