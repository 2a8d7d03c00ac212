//! [`OutletRun`]: one outlet's share of a run, from its article links to
//! stored articles. Discovery lives in `discover.rs`; cleaning and storing
//! a fetched page in `keep.rs`, which imports share.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use url::Url;

use super::budget::{self, Budget};
use super::discover::Pending;
use super::keep::{Keep, Kept};
use super::progress::{Progress, RunProgress, Tally};
use super::{lock, status_of, Ingest};
use crate::clean::{Cleaner, Overrides};
use crate::config::Outlet;
use crate::fetch::{Fetcher, Request, Response};
use crate::store::{Id, UrlKind};

/// One outlet's share of a run.
pub(super) struct OutletRun<'a> {
    pub(super) outlet: &'a Outlet,
    pub(super) fetcher: &'a Fetcher,
    pub(super) state: &'a Mutex<Ingest>,
    pub(super) cleaner: Cleaner,
    pub(super) run: Id,
    pub(super) dry_run: bool,
    pub(super) first_error: Option<String>,
    pub(super) would_fetch: u64,
    /// Sources read in full this run, whose validators are stored only if
    /// the run handles every link they gave.
    pub(super) pending: Vec<Pending>,
    /// False once a link was left for a later run (a failed fetch, the
    /// page limit, a store that stopped taking writes).
    pub(super) complete: bool,
    /// What the run may still spend (shared by all outlets).
    pub(super) budget: Arc<Budget>,
    /// Article pages left for the next run by the budget.
    pub(super) left: u64,
    /// True if and only if the run's deadline stopped this outlet.
    pub(super) out_of_time: bool,
    /// Hosts whose giving up is recorded for this outlet already.
    gave_up: HashSet<String>,
    /// The progress callback and the run's page tally, when progress is shown.
    pub(super) progress: Option<(Progress, Arc<Tally>)>,
}

impl<'a> OutletRun<'a> {
    pub(super) fn new(
        outlet: &'a Outlet,
        fetcher: &'a Fetcher,
        state: &'a Mutex<Ingest>,
        run: Id,
        dry_run: bool,
    ) -> Self {
        let overrides = Overrides {
            body: outlet.body_selector.clone(),
            drop: outlet.drop_selectors.clone(),
        };
        OutletRun {
            outlet,
            fetcher,
            state,
            cleaner: Cleaner::default().overrides(overrides),
            run,
            dry_run,
            first_error: None,
            would_fetch: 0,
            pending: Vec::new(),
            complete: true,
            budget: Arc::new(Budget::unlimited()),
            left: 0,
            out_of_time: false,
            gave_up: HashSet::new(),
            progress: None,
        }
    }

    /// The shared clean-and-store step, for this outlet and run.
    fn keep(&self) -> Keep<'_> {
        Keep {
            outlet: self.outlet,
            state: self.state,
            cleaner: &self.cleaner,
            run: self.run,
        }
    }

    /// Records a failure against a URL (and the outlet's first failure).
    pub(super) fn fail(
        &mut self,
        url: &str,
        kind: UrlKind,
        status: Option<u16>,
        stage: &str,
        message: &str,
    ) {
        tracing::warn!(outlet = %self.outlet.name, %url, stage, error = %message, "Fetch failed.");
        // A fetch error names its URL already.
        self.first_error.get_or_insert_with(|| {
            if message.starts_with(url) {
                message.to_string()
            } else {
                format!("{url}: {message}")
            }
        });
        if self.dry_run {
            lock(self.state).counts.errors += 1;
            return;
        }
        self.keep()
            .record_failure(url, kind, status, stage, message);
    }

    pub(super) async fn run(&mut self, max_pages: usize) {
        let links = self.discover().await;
        if let Some((_, tally)) = &self.progress {
            if !self.dry_run {
                let to_fetch = links.iter().filter(|f| !self.is_known(&f.url)).count();
                tally.found(to_fetch.min(max_pages) as u64);
            }
        }
        let mut fetched = 0usize;
        let mut links = links.into_iter();
        while let Some(found) = links.next() {
            let url = found.url;
            if fetched >= max_pages || self.halted() {
                self.complete = false;
                break;
            }
            if self.is_known(&url) {
                continue;
            }
            if !self.dry_run && self.budget.expired() {
                self.complete = false;
                self.out_of_time = true;
                self.left += 1 + links.by_ref().filter(|f| !self.is_known(&f.url)).count() as u64;
                break;
            }
            if !self.dry_run && self.budget.given_up(&url) {
                self.complete = false;
                self.left += 1;
                self.record_given_up(&url);
                continue;
            }
            fetched += 1;
            if self.dry_run {
                self.would_fetch += 1;
                continue;
            }
            self.article(&url, found.published).await;
            if let Some((progress, tally)) = &self.progress {
                let counts = lock(self.state).counts.clone();
                let (done, total) = tally.fetched();
                progress(&RunProgress {
                    counts: &counts,
                    done,
                    total,
                });
            }
        }
        if self.complete && !self.halted() {
            for p in std::mem::take(&mut self.pending) {
                self.record_ok(
                    &p.url,
                    p.kind,
                    Some(p.status),
                    p.etag.as_deref(),
                    p.last_modified.as_deref(),
                );
            }
        }
    }

    /// Records, once per host for this outlet, that the host was given up
    /// and why; the outlet counts as failed.
    pub(super) fn record_given_up(&mut self, url: &Url) {
        let host = budget::key(url);
        if self.gave_up.insert(host.clone()) {
            let message = format!(
                "host {host} given up after {} timeouts or connection failures in a row; \
                 its remaining pages are left for the next run",
                self.budget.max_host_failures()
            );
            self.fail(url.as_str(), UrlKind::Article, None, "budget", &message);
        }
    }

    /// Tells the budget whether a request reached its host.
    pub(super) fn note_reach<T>(&self, url: &Url, result: &Result<T, crate::fetch::FetchError>) {
        let reached = match result {
            Ok(_) => true,
            Err(error) => !error.kind().is_unreachable(),
        };
        if self.budget.note(url, reached) {
            tracing::warn!(outlet = %self.outlet.name, host = %budget::key(url), "Host given up for this run.");
        }
    }

    /// Returns true if and only if the store stopped taking writes: nothing
    /// more is fetched, since nothing more could be kept.
    pub(super) fn halted(&self) -> bool {
        lock(self.state).halted().is_some()
    }

    /// Returns true if and only if the URL's article is stored already and
    /// the outlet does not ask for revisits.
    fn is_known(&self, url: &Url) -> bool {
        if self.outlet.revisit {
            return false;
        }
        let mut st = lock(self.state);
        matches!(st.store().url_state(url.as_str()), Ok(Some(s)) if s.article.is_some())
    }

    /// Fetches, cleans and stores one article; `published` is the time its
    /// feed or sitemap gave, used when the page itself names none.
    async fn article(&mut self, url: &Url, published: Option<i64>) {
        let validators = if self.outlet.revisit {
            self.validators(url)
        } else {
            Default::default()
        };
        let request = Request {
            url: url.clone(),
            rate: self.outlet.rate,
            validators,
        };
        let result = self.fetcher.fetch(&request).await;
        self.note_reach(url, &result);
        let page = match result {
            Ok(Response::Page(page)) => page,
            Ok(Response::NotModified { .. }) => {
                self.record_ok(url.as_str(), UrlKind::Article, Some(304), None, None);
                lock(self.state).counts.not_modified += 1;
                return;
            }
            Ok(Response::Disallowed { .. }) => {
                tracing::debug!(%url, "Disallowed by robots.txt.");
                return;
            }
            Err(error) => {
                self.complete = false;
                self.fail(
                    url.as_str(),
                    UrlKind::Article,
                    status_of(&error),
                    "fetch",
                    &error.to_string(),
                );
                return;
            }
        };
        lock(self.state).counts.fetched += 1;
        let kept = self.keep().page(url, &page, published);
        match kept {
            Kept::Stored(id, relation) => {
                tracing::info!(outlet = %self.outlet.name, %url, id, relation = relation.as_str(), "Stored article.");
            }
            Kept::Twin => {
                let (etag, modified) = (
                    page.validators.etag.as_deref(),
                    page.validators.last_modified.as_deref(),
                );
                self.record_ok(
                    url.as_str(),
                    UrlKind::Article,
                    Some(page.status),
                    etag,
                    modified,
                );
            }
            Kept::Failed { stage, message } => {
                self.fail(
                    url.as_str(),
                    UrlKind::Article,
                    Some(page.status),
                    stage,
                    &message,
                );
            }
            Kept::Halted => {}
        }
    }

    fn validators(&self, url: &Url) -> crate::fetch::Validators {
        let mut st = lock(self.state);
        match st.store().url_state(url.as_str()) {
            Ok(Some(s)) => crate::fetch::Validators {
                etag: s.etag,
                last_modified: s.last_modified,
            },
            _ => Default::default(),
        }
    }

    pub(super) fn record_ok(
        &mut self,
        url: &str,
        kind: UrlKind,
        status: Option<u16>,
        etag: Option<&str>,
        last_modified: Option<&str>,
    ) {
        if self.dry_run {
            return;
        }
        self.keep()
            .record_success(url, kind, status, etag, last_modified);
    }
}
