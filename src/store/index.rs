//! The dedup index as the store keeps it: what is filed with each article,
//! how candidates are looked up, and the `wirecopy reindex` migration.
//!
//! [`IndexStore`] is the part of the [`super::Store`] interface the dedup
//! index needs; a second backend implements the same methods. Its answers
//! feed [`crate::dedup::place`] (through the pipeline's adapter), so they
//! follow the rules of the in-memory [`crate::dedup::Index`]:
//!
//! * every article saved through the index files a *doc*: its publication
//!   and fetch times (for the [`MatchWindow`]) and, when no earlier copy had
//!   the same normalised text, its exact-layer key;
//! * an article that founded a cluster, or became a secondary core of one,
//!   also files its [`crate::dedup::CoreFeatures`], its 32 band keys and its
//!   sampled shingles (the posting keys), in the same transaction as the
//!   article ([`super::NewArticle::index`]);
//! * a lookup asks for the cores under some keys within a
//!   [`CandidateScope`]: only docs published or fetched within the window
//!   count, and a posting key counts at most
//!   [`crate::dedup::index::partial::MAX_POSTINGS`] cores, the oldest in the
//!   window. Core order is article-id order, which is insertion order.
//!
//! State: one row says which [`crate::dedup::FINGERPRINT_VERSION`] the
//! filed keys and features were computed with ([`IndexState`]) and, while
//! `wirecopy reindex` runs, the last article it re-filed. A run matches
//! only against a current, complete index; see `docs/scaling.md`.

use crate::dedup::{CoreFeatures, DocMeta, StoredCore, FINGERPRINT_VERSION};

use super::{Error, Id, MatchWindow};

/// What an article files in the index when it is saved.
#[derive(Clone, Debug, PartialEq)]
pub struct IndexEntry {
    /// Its exact-layer key, when no earlier doc in the window had it (see
    /// [`crate::dedup::place::exact_key`]).
    pub exact_key: Option<[u8; 16]>,
    /// Its core, when it became one.
    pub core: Option<CoreEntry>,
}

/// A new core.
#[derive(Clone, Debug, PartialEq)]
pub struct CoreEntry {
    /// The primary core of its index cluster when it is a secondary core;
    /// `None` when it founds a cluster (and is its own root).
    pub root: Option<Id>,
    /// Its features.
    pub features: CoreFeatures,
    /// What the canonical policy knows about it (agency, words).
    pub meta: DocMeta,
    /// Its band keys (top 32 bits, as [`crate::dedup::Index`] files them).
    pub band_keys: Vec<u32>,
    /// Its sampled shingle ids ([`crate::dedup::index::partial::posting_ids`]).
    pub postings: Vec<u32>,
}

/// Which stored docs a lookup may return.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CandidateScope {
    /// Only docs published or fetched since this moment; `None` for all.
    pub window: Option<MatchWindow>,
    /// No doc in the window has a smaller article id (a hint that lets a
    /// lookup skip old keys, from [`IndexStore::candidate_floor`]; 0 is
    /// always right).
    pub floor: Id,
}

/// A core read back for comparison.
#[derive(Clone, Debug, PartialEq)]
pub struct IndexedCore {
    /// Its article.
    pub id: Id,
    /// The primary core of its index cluster (itself for a primary core).
    pub root: Id,
    /// Its features, flags and policy facts.
    pub core: StoredCore,
}

/// Which fingerprint version the stored index holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IndexState {
    /// The [`FINGERPRINT_VERSION`] of the filed keys and features (0: none
    /// filed yet, a database from before the index lived in the store).
    pub version: u32,
    /// While `wirecopy reindex` is under way (or was interrupted): the last
    /// article it re-filed.
    pub reindexed_to: Option<Id>,
}

impl IndexState {
    /// Returns true if and only if runs can match against the index: it was
    /// built with this build's fingerprint version and no reindex is
    /// pending.
    pub fn is_current(&self) -> bool {
        self.version == FINGERPRINT_VERSION && self.reindexed_to.is_none()
    }
}

/// An article as `wirecopy reindex` reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct ReindexArticle {
    /// Its id.
    pub id: Id,
    /// The cleaned text.
    pub text: String,
    /// True if and only if its outlet is the agency credited for it.
    pub agency_own: bool,
    /// Publication time as Unix seconds, if known.
    pub published_ts: Option<i64>,
    /// When it was (last) fetched, RFC 3339.
    pub fetched_at: String,
}

/// One article re-filed by `wirecopy reindex`.
#[derive(Clone, Debug)]
pub struct Reindexed<'a> {
    /// The article.
    pub article: Id,
    /// Its text as the dedup stage compares it now.
    pub normalized: &'a str,
    /// Its fingerprint by the current version.
    pub fingerprint: &'a crate::dedup::Fingerprint,
    /// What it files in the index.
    pub entry: &'a IndexEntry,
}

/// Where `wirecopy reindex` stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReindexProgress {
    /// Articles re-filed so far.
    pub done: u64,
    /// Articles in the database.
    pub total: u64,
    /// The last article re-filed (0 before the first).
    pub after: Id,
}

/// The index part of the store. See the module docs.
pub trait IndexStore {
    /// Returns which fingerprint version the index holds.
    fn index_state(&self) -> Result<IndexState, Error>;
    /// Returns the smallest article id of a doc in `window` (one past the
    /// last doc when none is, 0 without a window): the floor of a
    /// [`CandidateScope`].
    fn candidate_floor(&self, window: Option<&MatchWindow>) -> Result<Id, Error>;
    /// Returns the oldest doc in scope filed under this exact-layer key.
    fn exact_candidate(&self, key: &[u8; 16], scope: &CandidateScope) -> Result<Option<Id>, Error>;
    /// Returns each core in scope filed under these band keys, with how
    /// many of the keys it shares (a key given twice counts twice).
    fn band_hits(&self, keys: &[u32], scope: &CandidateScope) -> Result<Vec<(Id, u32)>, Error>;
    /// Returns each core in scope filed under these posting keys, with how
    /// many it shares; each key yields at most `cap` cores, the oldest.
    fn posting_hits(
        &self,
        keys: &[u32],
        scope: &CandidateScope,
        cap: usize,
    ) -> Result<Vec<(Id, u32)>, Error>;
    /// Returns the cores of these articles, in the order asked (articles
    /// that are not cores are left out).
    fn indexed_cores(&self, ids: &[Id]) -> Result<Vec<IndexedCore>, Error>;
    /// Returns how many secondary cores in scope the index cluster of
    /// `root` has.
    fn secondary_cores(&self, root: Id, scope: &CandidateScope) -> Result<u32, Error>;
    /// Starts or resumes `wirecopy reindex`: when the index is not current
    /// and no reindex of this version is under way (or `restart`), empties
    /// it and starts from the first article; otherwise carries on.
    fn begin_reindex(&mut self, restart: bool) -> Result<ReindexProgress, Error>;
    /// Returns up to `limit` articles after `after`, in id order.
    fn reindex_batch(&self, after: Id, limit: usize) -> Result<Vec<ReindexArticle>, Error>;
    /// Rewrites one article's comparison text and fingerprint columns,
    /// files its index entry and moves the reindex past it, in one
    /// transaction.
    fn save_reindexed(&mut self, r: &Reindexed<'_>) -> Result<(), Error>;
    /// Marks the index current: the reindex is over.
    fn finish_reindex(&mut self) -> Result<(), Error>;
}
