//! The one place where a run's state changes: a cleaned article enters the
//! dedup index and the store together.
//!
//! [`Ingest`] owns the store and the run's counters. The dedup index lives
//! in the store ([`crate::store::IndexStore`]): [`Ingest::add`] looks the
//! new article's candidates up by key ([`super::lookup`]), places it by the
//! rules of [`crate::dedup::place`], and saves it with its index entry in
//! one transaction. Opening a run reads nothing of the archive, so a run
//! costs what is new, not what is stored (see `docs/scaling.md`).
//!
//! The pipeline keeps the [`Ingest`] behind one mutex and never holds that
//! across an `.await`: a placement and the save of the article happen in
//! the same critical section, so each article is placed against every
//! article saved before it, in article-id order, and a second run places
//! its articles exactly as one longer run would have.

use crate::clean::Article;
use crate::dedup::align::Aligner;
use crate::dedup::canonical::{is_agency_outlet, parse_published};
use crate::dedup::{compare, sketch, CanonicalPolicy, DocMeta, IndexConfig, Relation, Sketcher};
use crate::store::{
    CandidateScope, ClusterPlacement, Error as StoreError, FetchRecord, Id, MatchWindow,
    NewArticle, RunCounts, Store,
};

use super::lookup::place_stored;

/// The store with its dedup index, and the run's counters.
pub struct Ingest {
    /// Reused buffers for sketching one article after another.
    sketcher: Sketcher,
    aligner: Aligner,
    policy: CanonicalPolicy,
    store: Box<dyn Store + Send>,
    /// The articles new ones may match.
    window: Option<MatchWindow>,
    /// The lookup scope, found at the first article (a run that stores
    /// nothing never asks).
    scope: Option<CandidateScope>,
    /// This run's counters.
    pub counts: RunCounts,
    /// Why the store stopped taking writes, once it did: the run then
    /// fetches nothing more.
    halted: Option<String>,
}

/// One page ready to be stored.
pub struct Cleaned<'a> {
    /// The fetch that produced it.
    pub fetch: FetchRecord<'a>,
    /// The URL after redirects.
    pub final_url: &'a str,
    /// The raw page.
    pub html: &'a [u8],
    /// The article read from it.
    pub article: &'a Article,
    /// True if and only if the outlet is a news agency.
    pub outlet_is_agency: bool,
    /// The outlet's name and home page, to tell its own copy from reprints.
    pub outlet_name: &'a str,
    /// See `outlet_name`.
    pub outlet_homepage: &'a str,
    /// The canonical URL on another site the page claims to reprint.
    pub claimed_canonical: Option<&'a str>,
    /// The stored article at that URL, if there is one.
    pub claimed: Option<Id>,
}

/// Returns true if and only if an agency outlet published copy it wrote
/// itself (TASS's story on tass.com, not a Reuters story TASS reran).
pub fn is_own_copy(
    outlet_is_agency: bool,
    credited: Option<&str>,
    name: &str,
    homepage: &str,
) -> bool {
    outlet_is_agency
        && credited.is_none_or(|agency| {
            is_agency_outlet(agency, name) || is_agency_outlet(agency, homepage)
        })
}

impl Ingest {
    /// Opens the store's dedup index for a run. New articles will match the
    /// stored articles published or fetched within `window` (see
    /// [`crate::store::MatchWindow`]); `None` matches all of them.
    ///
    /// Reads one row: nothing of the archive is loaded or sketched.
    ///
    /// Errors with [`StoreError::IndexStale`] if the index was built by
    /// another [`crate::dedup::FINGERPRINT_VERSION`], was never built (a
    /// database from an older wirecopy) or is half rebuilt: `wirecopy
    /// reindex` brings it up to date. Errors if the store can't be read.
    pub fn load(
        store: Box<dyn Store + Send>,
        config: IndexConfig,
        window: Option<&MatchWindow>,
    ) -> Result<Ingest, StoreError> {
        let state = store.index_state()?;
        if !state.is_current() {
            return Err(StoreError::IndexStale {
                path: store.location(),
                state,
            });
        }
        Ok(Ingest {
            sketcher: Sketcher::new(),
            aligner: Aligner::new(),
            policy: config.policy,
            store,
            window: window.cloned(),
            scope: None,
            counts: RunCounts::default(),
            halted: None,
        })
    }

    /// Gives access to the store (for fetch state and run records).
    pub fn store(&mut self) -> &mut (dyn Store + Send) {
        self.store.as_mut()
    }

    /// Notes a failed write. Returns true if and only if the store cannot
    /// take writes any more (read-only, disk full, file gone): the first
    /// such error is kept, with the database's location, and
    /// [`Ingest::halted`] says so from then on.
    pub fn write_failed(&mut self, error: &StoreError) -> bool {
        if !error.is_unwritable() {
            return false;
        }
        if self.halted.is_none() {
            self.halted = Some(format!("{}: {error}", self.store.location()));
        }
        true
    }

    /// Why the store stopped taking writes, if it did.
    pub fn halted(&self) -> Option<&str> {
        self.halted.as_deref()
    }

    /// Places a cleaned article in its cluster and stores it with its page.
    /// Returns the new article's id and its relation.
    ///
    /// A page that claims a stored article as its canonical (on another
    /// site) is compared with that article directly: when the two texts
    /// relate, the page joins that article's cluster, whatever the index
    /// matched, because the claim is the publisher's own word. When they
    /// don't relate (a wrong or boilerplate canonical link), the index
    /// decides as for any page.
    ///
    /// Errors if the store fails; the article and its index entry are then
    /// both left out (one transaction).
    pub fn add(&mut self, page: &Cleaned<'_>) -> Result<(Id, Relation), StoreError> {
        let s = self.sketcher.sketch(&page.article.text);
        let agency_own = is_own_copy(
            page.outlet_is_agency,
            page.article.agency.as_deref(),
            page.outlet_name,
            page.outlet_homepage,
        );
        let meta = DocMeta {
            agency: agency_own,
            published: page.article.published.as_deref().and_then(parse_published),
            words: s.fingerprint.words,
        };
        let scope = match &self.scope {
            Some(scope) => scope,
            None => {
                let floor = self.store.candidate_floor(self.window.as_ref())?;
                self.scope.insert(CandidateScope {
                    window: self.window.clone(),
                    floor,
                })
            }
        };
        let placed = place_stored(self.store.as_ref(), scope, &s, meta, &mut self.aligner)?;
        let mut matched = placed.matched;
        let (mut relation, mut similarity) = (placed.relation, placed.similarity);
        if let Some(claimed) = page.claimed.filter(|c| matched != Some(*c)) {
            if let Some(text) = self.store.article_text(claimed)? {
                if let Some(m) = compare(&s, &sketch(&text)) {
                    if matched.is_none() {
                        self.counts.claims_joined += 1;
                    }
                    matched = Some(claimed);
                    relation = m.relation;
                    similarity = m.similarity;
                }
            }
        }
        let placement = ClusterPlacement {
            matched,
            relation,
            similarity,
            meta,
        };
        let (id, _cluster) = self.store.save_article(&NewArticle {
            fetch: page.fetch.clone(),
            final_url: page.final_url,
            html: page.html,
            article: page.article,
            claimed_canonical: page.claimed_canonical,
            normalized: self.sketcher.tokens().joined(),
            fingerprint: &s.fingerprint,
            cluster: placement,
            policy: self.policy,
            index: Some(&placed.entry),
        })?;
        self.counts.new_articles += 1;
        if matched.is_none() {
            self.counts.new_clusters += 1;
        } else {
            self.counts.reprints += 1;
        }
        Ok((id, relation))
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_late;
