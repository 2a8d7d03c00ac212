//! Placing one article against the dedup index the store keeps.
//!
//! Owns the adapter between the two stages: [`StoreCores`] answers
//! [`crate::dedup::place`]'s [`CoreSource`] questions with the store's
//! indexed lookups ([`crate::store::IndexStore`]), loading the features of
//! the few candidate cores a placement verifies and nothing else, and
//! [`place_stored`] turns the placement into what the store records: the
//! matched article and the [`IndexEntry`] the new article files. Dedup
//! keeps the rules, the store keeps the rows; neither knows the other's
//! side, and this file is the only place they meet.
//!
//! Stateless between calls: the candidates loaded for one article are
//! dropped after it.

use crate::dedup::align::Aligner;
use crate::dedup::index::partial::{posting_ids, MAX_ALIGNED, MAX_POSTINGS};
use crate::dedup::index::{MAX_CANDIDATES, MAX_SECONDARY_CORES};
use crate::dedup::place::{exact_key, place, rank, CoreRef, CoreSource, Placement};
use crate::dedup::{CoreFeatures, DocMeta, Index, Relation, Sketch};
use crate::store::{
    CandidateScope, CoreEntry, Error as StoreError, Id, IndexEntry, IndexedCore, Store,
};

/// The store's index as a [`CoreSource`]: a core is a position in the
/// candidates loaded so far.
struct StoreCores<'a> {
    store: &'a dyn Store,
    scope: &'a CandidateScope,
    loaded: Vec<IndexedCore>,
}

impl StoreCores<'_> {
    /// Loads the cores `ids` (ranked) and returns their positions.
    fn load(&mut self, ids: &[Id]) -> Result<Vec<usize>, StoreError> {
        let cores = self.store.indexed_cores(ids)?;
        let start = self.loaded.len();
        self.loaded.extend(cores);
        Ok((start..self.loaded.len()).collect())
    }
}

impl CoreSource for StoreCores<'_> {
    type Core = usize;
    type Doc = Id;
    type Error = StoreError;

    fn exact(&mut self, key: &[u8; 16]) -> Result<Option<Id>, StoreError> {
        self.store.exact_candidate(key, self.scope)
    }

    fn band_candidates(&mut self, keys: &[u32]) -> Result<Vec<usize>, StoreError> {
        let hits = self.store.band_hits(keys, self.scope)?;
        self.load(&rank(hits, 1, MAX_CANDIDATES))
    }

    fn posting_candidates(&mut self, ids: &[u32], min_hits: u32) -> Result<Vec<usize>, StoreError> {
        let hits = self.store.posting_hits(ids, self.scope, MAX_POSTINGS)?;
        self.load(&rank(hits, min_hits, MAX_ALIGNED))
    }

    fn core(&self, core: usize) -> CoreRef<'_> {
        CoreRef::of(&self.loaded[core].core)
    }
}

/// Where the index placed an article, and what it files.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Placed {
    /// The stored article it matched, if any.
    pub matched: Option<Id>,
    /// Its relation to that article.
    pub relation: Relation,
    /// The score of that relation.
    pub similarity: f64,
    /// What it files in the index.
    pub entry: IndexEntry,
}

/// Places the article with sketch `s` among the stored cores in `scope`,
/// by the rules of [`crate::dedup::place`].
///
/// Errors if the store can't be read or holds a core it can't decode.
pub(crate) fn place_stored(
    store: &dyn Store,
    scope: &CandidateScope,
    s: &Sketch,
    meta: DocMeta,
    aligner: &mut Aligner,
) -> Result<Placed, StoreError> {
    let keys: Vec<u32> = Index::band_keys(s)
        .into_iter()
        .map(|k| (k >> 32) as u32)
        .collect();
    let mut cores = StoreCores {
        store,
        scope,
        loaded: Vec::new(),
    };
    let placement = place(s, &keys, &meta, &mut cores, aligner)?;
    let new_core = |root: Option<Id>| CoreEntry {
        root,
        features: CoreFeatures::of(s),
        meta,
        band_keys: keys.clone(),
        postings: posting_ids(s).collect(),
    };
    Ok(match placement {
        Placement::Exact(first) => Placed {
            matched: Some(first),
            relation: Relation::Exact,
            similarity: 1.0,
            entry: IndexEntry {
                exact_key: None,
                core: None,
            },
        },
        Placement::Joined {
            core,
            found,
            secondary,
        } => {
            let c = &cores.loaded[core];
            let room =
                secondary && store.secondary_cores(c.root, scope)? < u32::from(MAX_SECONDARY_CORES);
            Placed {
                matched: Some(c.id),
                relation: found.relation,
                similarity: found.similarity,
                entry: IndexEntry {
                    exact_key: Some(exact_key(s)),
                    core: room.then(|| new_core(Some(c.root))),
                },
            }
        }
        Placement::Founds => Placed {
            matched: None,
            relation: Relation::Canonical,
            similarity: 1.0,
            entry: IndexEntry {
                exact_key: Some(exact_key(s)),
                core: Some(new_core(None)),
            },
        },
    })
}
