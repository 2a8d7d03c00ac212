//! The one place where a run's state changes: a cleaned article enters the
//! dedup index and the store together.
//!
//! [`Ingest`] owns the dedup [`Index`], the store, the map from index
//! document numbers to stored article ids, and the run's counters. The
//! pipeline keeps it behind one mutex and never holds that across an
//! `.await`: an insert into the index and the save of the article happen in
//! the same critical section, so the index's insertion order is the store's
//! article-id order, and the next run rebuilds the very same clusters by
//! re-inserting stored articles in id order.

use crate::clean::Article;
use crate::dedup::canonical::{is_agency_outlet, parse_published};
use crate::dedup::{
    compare, sketch, CanonicalPolicy, DocMeta, Index, IndexConfig, Relation, Sketcher,
    FINGERPRINT_VERSION,
};
use crate::store::{
    ClusterPlacement, Error as StoreError, FetchRecord, FingerprintUpdate, Id, MatchWindow,
    NewArticle, RunCounts, Store,
};

/// Articles whose fingerprints [`Ingest::load`] rewrites per transaction.
const REFRESH_BATCH: usize = 1000;

/// Writes the refreshed fingerprints of `stale` and empties it. A store
/// that cannot take writes (a dry run's read-only database) keeps the old
/// columns: the index is built from the text either way.
fn refresh(
    store: &mut (dyn Store + Send),
    stale: &mut Vec<FingerprintUpdate>,
) -> Result<(), StoreError> {
    if !stale.is_empty() {
        match store.refresh_fingerprints(stale) {
            Err(error) if error.is_unwritable() => {
                tracing::debug!(%error, "Fingerprints not refreshed: the store is read-only.");
            }
            other => other?,
        }
        stale.clear();
    }
    Ok(())
}

/// The dedup index and the store, kept in step.
pub struct Ingest {
    index: Index,
    /// Reused buffers for sketching one article after another.
    sketcher: Sketcher,
    policy: CanonicalPolicy,
    store: Box<dyn Store + Send>,
    /// Stored article id of each index document, by document number.
    doc_ids: Vec<Id>,
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
    /// Rebuilds the index from the stored articles: all of them, or those
    /// published or fetched within `window` (see
    /// [`crate::store::MatchWindow`]), so the cost of a run follows the
    /// window, not the age of the database.
    ///
    /// Articles go in in the canonical policy's order (the agency's own copy
    /// first, then the earliest, then the longest; ties by id), not in the
    /// order they happened to be fetched, so the cores new articles are
    /// matched against are the stories' originals, and the result does not
    /// depend on which outlet's task ran first.
    ///
    /// Every article is sketched again from its stored text. Articles whose
    /// stored fingerprint came from another [`FINGERPRINT_VERSION`] get
    /// their comparison text and fingerprint columns rewritten, a batch at
    /// a time, so the store never mixes versions for long.
    ///
    /// Errors if the store can't be read or written.
    pub fn load(
        mut store: Box<dyn Store + Send>,
        config: IndexConfig,
        window: Option<&MatchWindow>,
    ) -> Result<Ingest, StoreError> {
        let mut index = Index::new(config);
        let mut sketcher = Sketcher::new();
        let articles = store.indexed_articles(window)?;
        let mut stored = Vec::with_capacity(articles.len());
        let mut stale = Vec::new();
        for a in articles {
            let s = sketcher.sketch(&a.text);
            if a.fp_version != FINGERPRINT_VERSION {
                stale.push(FingerprintUpdate {
                    article: a.id,
                    normalized: sketcher.tokens().joined().to_owned(),
                    fingerprint: s.fingerprint.clone(),
                });
                if stale.len() == REFRESH_BATCH {
                    refresh(store.as_mut(), &mut stale)?;
                }
            }
            let meta = DocMeta {
                agency: a.agency_own,
                published: a.published.as_deref().and_then(parse_published),
                words: s.fingerprint.words,
            };
            stored.push((a.id, s, meta));
        }
        refresh(store.as_mut(), &mut stale)?;
        let policy = config.policy;
        stored.sort_by(|(ia, _, a), (ib, _, b)| {
            if policy.prefers(a, b) {
                std::cmp::Ordering::Less
            } else if policy.prefers(b, a) {
                std::cmp::Ordering::Greater
            } else {
                ia.cmp(ib)
            }
        });
        let mut doc_ids = Vec::with_capacity(stored.len());
        for (id, s, meta) in stored {
            index.insert(&s, meta);
            doc_ids.push(id);
        }
        Ok(Ingest {
            index,
            sketcher,
            policy: config.policy,
            store,
            doc_ids,
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

    /// Returns the number of articles in the index.
    pub fn len(&self) -> usize {
        self.doc_ids.len()
    }

    /// Returns true if and only if the index holds no articles.
    pub fn is_empty(&self) -> bool {
        self.doc_ids.is_empty()
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
    /// Errors if the store fails; the index is then one document ahead of
    /// the store, which only matters until the next run rebuilds it.
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
        let assignment = self.index.insert(&s, meta);
        let mut matched = assignment
            .matched
            .and_then(|doc| self.doc_ids.get(doc as usize).copied());
        let (mut relation, mut similarity) = (assignment.relation, assignment.similarity);
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
        })?;
        self.doc_ids.push(id);
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
