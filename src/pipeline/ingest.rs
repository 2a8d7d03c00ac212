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
use crate::dedup::{CanonicalPolicy, DocMeta, Index, IndexConfig, Relation, Sketcher};
use crate::store::{
    ClusterPlacement, Error as StoreError, FetchRecord, Id, NewArticle, RunCounts, Store,
};

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
    /// Rebuilds the index from every stored article.
    ///
    /// Articles go in in the canonical policy's order (the agency's own copy
    /// first, then the earliest, then the longest; ties by id), not in the
    /// order they happened to be fetched, so the cores new articles are
    /// matched against are the stories' originals, and the result does not
    /// depend on which outlet's task ran first.
    ///
    /// Errors if the store can't be read.
    pub fn load(store: Box<dyn Store + Send>, config: IndexConfig) -> Result<Ingest, StoreError> {
        let mut index = Index::new(config);
        let mut sketcher = Sketcher::new();
        let mut stored: Vec<(crate::store::Id, crate::dedup::Sketch, DocMeta)> = store
            .indexed_articles()?
            .into_iter()
            .map(|a| {
                let s = sketcher.sketch(&a.text);
                let meta = DocMeta {
                    agency: a.agency_own,
                    published: a.published.as_deref().and_then(parse_published),
                    words: s.fingerprint.words,
                };
                (a.id, s, meta)
            })
            .collect();
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
        })
    }

    /// Gives access to the store (for fetch state and run records).
    pub fn store(&mut self) -> &mut (dyn Store + Send) {
        self.store.as_mut()
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
        let matched = assignment
            .matched
            .and_then(|doc| self.doc_ids.get(doc as usize).copied());
        let placement = ClusterPlacement {
            matched,
            relation: assignment.relation,
            similarity: assignment.similarity,
            meta,
        };
        let (id, _cluster) = self.store.save_article(&NewArticle {
            fetch: page.fetch.clone(),
            final_url: page.final_url,
            html: page.html,
            article: page.article,
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
        Ok((id, assignment.relation))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_copy_needs_an_agency_outlet_crediting_itself() {
        assert!(is_own_copy(true, Some("TASS"), "tass", "https://tass.com/"));
        assert!(is_own_copy(true, None, "tass", "https://tass.com/"));
        assert!(!is_own_copy(
            true,
            Some("Reuters"),
            "tass",
            "https://tass.com/"
        ));
        assert!(!is_own_copy(
            false,
            Some("TASS"),
            "tass",
            "https://tass.com/"
        ));
    }
}
