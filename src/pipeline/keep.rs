//! A fetched page → its article, cleaned, placed and stored: the step a run
//! and an import (`wirecopy import`, pages read from WARC files) share, so
//! a page from an archive takes exactly the path of a page from the
//! network.
//!
//! [`Keep`] borrows what the step needs (the outlet, its cleaner, the
//! shared [`Ingest`], the run's id) and holds no state of its own: the
//! caller decides what a failure means for it (a run marks the outlet
//! failed and leaves the link for the next run; an import counts it) and
//! records it with [`Keep::record_failure`].

use std::sync::Mutex;

use url::Url;

use super::{lock, Cleaned, Ingest};
use crate::clean::Cleaner;
use crate::config::Outlet;
use crate::dedup::Relation;
use crate::fetch::{normalize, same_site, Page};
use crate::store::{FetchRecord, Id, UrlKind};

/// What [`Keep::page`] did with a page.
#[derive(Debug)]
pub(super) enum Kept {
    /// Stored as a new article.
    Stored(Id, Relation),
    /// Another address of the page (its final or canonical URL) is stored
    /// already; the fetch is recorded against the requested URL.
    Twin,
    /// Failed at `stage` (`clean` or `store`), recorded against the URL.
    Failed {
        /// The stage that failed.
        stage: &'static str,
        /// What went wrong.
        message: String,
    },
    /// The store stopped taking writes; nothing more can be kept.
    Halted,
}

/// Borrows what cleaning and storing one page of one outlet needs.
pub(super) struct Keep<'a> {
    pub(super) outlet: &'a Outlet,
    pub(super) state: &'a Mutex<Ingest>,
    pub(super) cleaner: &'a Cleaner,
    pub(super) run: Id,
}

impl Keep<'_> {
    /// A fetch record of this outlet and run, outcome yet to be filled in.
    pub(super) fn record<'r>(
        &'r self,
        url: &'r str,
        kind: UrlKind,
        status: Option<u16>,
    ) -> FetchRecord<'r> {
        FetchRecord {
            run: self.run,
            outlet: &self.outlet.name,
            url,
            kind,
            status,
            etag: None,
            last_modified: None,
            error: None,
            stage: None,
        }
    }

    /// Counts a failure and records it against its URL.
    pub(super) fn record_failure(
        &self,
        url: &str,
        kind: UrlKind,
        status: Option<u16>,
        stage: &str,
        message: &str,
    ) {
        let mut st = lock(self.state);
        st.counts.errors += 1;
        let record = FetchRecord {
            error: Some(message),
            stage: Some(stage),
            ..self.record(url, kind, status)
        };
        if let Err(error) = st.store().record_fetch(&record) {
            if !st.write_failed(&error) {
                tracing::error!(%url, %error, "Could not record a failure.");
            }
        }
    }

    /// Records a fetch that produced no new article.
    pub(super) fn record_success(
        &self,
        url: &str,
        kind: UrlKind,
        status: Option<u16>,
        etag: Option<&str>,
        last_modified: Option<&str>,
    ) {
        let record = FetchRecord {
            etag,
            last_modified,
            ..self.record(url, kind, status)
        };
        let mut st = lock(self.state);
        if let Err(error) = st.store().record_fetch(&record) {
            if !st.write_failed(&error) {
                tracing::error!(%url, %error, "Could not record a fetch.");
            }
        }
    }

    /// Cleans `page` (fetched for `url`) and stores its article, unless
    /// one of its addresses is stored already; `published` is the time a
    /// feed or sitemap gave, used when the page itself names none.
    /// Failures are returned, not recorded.
    pub(super) fn page(&self, url: &Url, page: &Page, published: Option<i64>) -> Kept {
        let content_type = match self.outlet.charset {
            Some(encoding) => Some(format!("text/html; charset={}", encoding.name())),
            None => page.content_type.clone(),
        };
        let mut article = match self.cleaner.clean_with_type(
            &page.body,
            Some(page.final_url.as_str()),
            content_type.as_deref(),
        ) {
            Ok(mut a) => {
                if a.lang.is_none() {
                    a.lang = self.outlet.lang.clone();
                }
                if a.published.is_none() {
                    a.published = published
                        .and_then(|t| chrono::DateTime::from_timestamp(t, 0))
                        .map(|t| t.to_rfc3339());
                }
                a
            }
            Err(error) => {
                return Kept::Failed {
                    stage: "clean",
                    message: error.to_string(),
                }
            }
        };
        // A canonical URL on the outlet's own site names a twin (AMP page,
        // tracking variant): a stored twin means this page is stored. A
        // canonical on another site is a claim of syndication: the page is
        // stored under its own URL with the claim, and the claimed article,
        // if stored, is compared with it directly.
        let claim = article
            .canonical_url
            .as_deref()
            .and_then(|c| Url::parse(c).ok())
            .filter(|c| !same_site(c, url) && !same_site(c, &self.outlet.homepage))
            .map(|c| normalize(&c).to_string());
        if claim.is_some() {
            article.canonical_url = None;
        }
        let addresses = [
            article.canonical_url.as_deref(),
            Some(page.final_url.as_str()),
        ];
        for address in addresses
            .into_iter()
            .flatten()
            .filter(|a| *a != url.as_str())
        {
            let normalized = Url::parse(address).map(|u| normalize(&u).to_string());
            let known = normalized
                .ok()
                .and_then(|a| lock(self.state).store().article_at(&a).ok().flatten());
            if known.is_some() {
                return Kept::Twin;
            }
        }
        let claimed = claim
            .as_deref()
            .and_then(|c| lock(self.state).store().article_at(c).ok().flatten());
        let fetch = FetchRecord {
            etag: page.validators.etag.as_deref(),
            last_modified: page.validators.last_modified.as_deref(),
            ..self.record(url.as_str(), UrlKind::Article, Some(page.status))
        };
        let cleaned = Cleaned {
            fetch,
            final_url: page.final_url.as_str(),
            html: &page.body,
            article: &article,
            outlet_is_agency: self.outlet.agency,
            outlet_name: &self.outlet.name,
            outlet_homepage: self.outlet.homepage.as_str(),
            claimed_canonical: claim.as_deref(),
            claimed,
        };
        let mut st = lock(self.state);
        match st.add(&cleaned) {
            Ok((id, relation)) => Kept::Stored(id, relation),
            Err(error) if st.write_failed(&error) => Kept::Halted,
            Err(error) => Kept::Failed {
                stage: "store",
                message: error.to_string(),
            },
        }
    }
}
