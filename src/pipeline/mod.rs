//! One run: outlets → discover → fetch → clean → dedup → store.
//!
//! Each enabled outlet gets its own task. A task reads the outlet's feeds,
//! sitemaps and section pages (sending back the validators it has, so an
//! unchanged feed costs one 304), keeps the links that look like articles
//! and are not yet stored, fetches them one by one (the [`Fetcher`] paces
//! each host and obeys robots.txt), cleans each page and hands the article
//! to [`Ingest`], which places it in a cluster and stores it in one
//! transaction. Pages stream through: nothing holds more than the page in
//! hand, so memory does not grow with the number of pages.
//!
//! One outlet's failures are recorded against its URLs and never stop the
//! others; the [`RunReport`] says which outlets failed.

mod check;
mod discover;
mod ingest;

pub use check::{check, OutletCheck, Sample};
pub use ingest::{is_own_copy, Cleaned, Ingest};

use std::sync::{Arc, Mutex};

use url::Url;

use crate::clean::{Cleaner, Overrides};
use crate::config::{Outlet, Sources};
use crate::fetch::{Fetcher, Request, Response};
use crate::store::{FetchRecord, Id, OutletRow, RunCounts, UrlKind};

/// Called with the run's counts after every article (for a progress line).
pub type Progress = Arc<dyn Fn(&RunCounts) + Send + Sync>;

/// What a run is asked to do.
#[derive(Clone, Default)]
pub struct RunOptions {
    /// Only these outlets (by name); all enabled ones when empty.
    pub outlets: Vec<String>,
    /// Discover and report what would be fetched, but fetch no articles and
    /// store nothing.
    pub dry_run: bool,
    /// Told about progress; none by default.
    pub progress: Option<Progress>,
}

impl std::fmt::Debug for RunOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunOptions")
            .field("outlets", &self.outlets)
            .field("dry_run", &self.dry_run)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

/// What a run did.
#[derive(Clone, Debug, Default)]
pub struct RunReport {
    /// The run's id in the store (none for a dry run).
    pub run: Option<Id>,
    /// The counts of the summary line.
    pub counts: RunCounts,
    /// Outlets with at least one failure, and the first failure of each.
    pub failed: Vec<(String, String)>,
    /// For a dry run: article URLs that would be fetched.
    pub would_fetch: u64,
}

/// Why a run could not run at all (per-page failures are not errors).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] crate::store::Error),
    /// `--outlet` named an outlet the config doesn't have.
    #[error("no outlet named \"{name}\" in the config{hint}")]
    UnknownOutlet {
        /// The name given.
        name: String,
        /// " (did you mean …?)" or the list of names.
        hint: String,
    },
}

/// Picks the outlets a run covers.
///
/// Errors if a requested name is not in the config.
pub fn select<'a>(sources: &'a Sources, names: &[String]) -> Result<Vec<&'a Outlet>, Error> {
    if names.is_empty() {
        return Ok(sources.outlets.iter().filter(|o| o.enabled).collect());
    }
    let all: Vec<&str> = sources.outlets.iter().map(|o| o.name.as_str()).collect();
    names
        .iter()
        .map(|name| {
            sources
                .outlets
                .iter()
                .find(|o| &o.name == name)
                .ok_or_else(|| {
                    let hint = match crate::config::nearest_name(name, &all) {
                        Some(near) => format!(" (did you mean \"{near}\"?)"),
                        None => format!(" (outlets: {})", all.join(", ")),
                    };
                    Error::UnknownOutlet {
                        name: name.clone(),
                        hint,
                    }
                })
        })
        .collect()
}

/// Runs the pipeline over the selected outlets.
///
/// Errors only if the run cannot proceed (the store fails, an outlet name is
/// unknown); fetch and clean failures are counted and recorded instead.
pub async fn run(
    sources: &Sources,
    ingest: Ingest,
    fetcher: &Fetcher,
    options: &RunOptions,
) -> Result<(RunReport, Ingest), Error> {
    let outlets = select(sources, &options.outlets)?;
    let state = Arc::new(Mutex::new(ingest));
    let run = if options.dry_run {
        None
    } else {
        let mut st = lock(&state);
        let rows: Vec<OutletRow> = outlets
            .iter()
            .map(|o| OutletRow {
                name: o.name.clone(),
                homepage: o.homepage.to_string(),
                agency: o.agency,
            })
            .collect();
        st.store().sync_outlets(&rows)?;
        Some(st.store().begin_run()?)
    };
    let mut tasks = tokio::task::JoinSet::new();
    for outlet in outlets {
        let outlet = outlet.clone();
        let fetcher = fetcher.clone();
        let state = Arc::clone(&state);
        let max_pages = sources.defaults.max_pages;
        let dry_run = options.dry_run;
        let progress = options.progress.clone();
        tasks.spawn(async move {
            let mut work = OutletRun::new(&outlet, &fetcher, &state, run.unwrap_or(0), dry_run);
            work.progress = progress;
            work.run(max_pages).await;
            (outlet.name.clone(), work.first_error, work.would_fetch)
        });
    }
    let mut report = RunReport {
        run,
        ..RunReport::default()
    };
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok((name, first_error, would_fetch)) => {
                report.would_fetch += would_fetch;
                if let Some(error) = first_error {
                    report.failed.push((name, error));
                }
            }
            Err(error) => report
                .failed
                .push(("?".into(), format!("outlet task failed: {error}"))),
        }
    }
    report.failed.sort();
    let ingest = match Arc::try_unwrap(state) {
        Ok(m) => m.into_inner().unwrap_or_else(|poison| poison.into_inner()),
        Err(_) => unreachable_state(),
    };
    let mut ingest = ingest;
    ingest.counts.outlets = select(sources, &options.outlets)?.len() as u64;
    ingest.counts.outlets_failed = report.failed.len() as u64;
    report.counts = ingest.counts.clone();
    if let Some(run) = run {
        let status = if report.failed.is_empty() {
            "ok"
        } else {
            "partial"
        };
        ingest.store().finish_run(run, &report.counts, status)?;
        let pruned = ingest
            .store()
            .prune_raw_html(sources.defaults.retention_days)?;
        tracing::debug!(pruned, "Dropped raw HTML past retention.");
    }
    Ok((report, ingest))
}

/// All tasks have been joined, so the state has no other owner left.
fn unreachable_state() -> ! {
    panic!("pipeline state still shared after every outlet task ended")
}

/// The HTTP status a failed fetch got, if the server answered.
fn status_of(error: &crate::fetch::FetchError) -> Option<u16> {
    match error.kind() {
        crate::fetch::FetchErrorKind::Status(s) => Some(*s),
        crate::fetch::FetchErrorKind::RetryAfter { status, .. } => Some(*status),
        _ => None,
    }
}

/// Locks the shared state; a panicked task cannot leave it half-written
/// (every change is one call), so a poisoned lock is still usable.
fn lock(state: &Mutex<Ingest>) -> std::sync::MutexGuard<'_, Ingest> {
    state.lock().unwrap_or_else(|poison| poison.into_inner())
}

/// One outlet's share of a run.
struct OutletRun<'a> {
    outlet: &'a Outlet,
    fetcher: &'a Fetcher,
    state: &'a Mutex<Ingest>,
    cleaner: Cleaner,
    run: Id,
    dry_run: bool,
    first_error: Option<String>,
    would_fetch: u64,
    progress: Option<Progress>,
}

impl<'a> OutletRun<'a> {
    fn new(
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
            progress: None,
        }
    }

    /// Records a failure against a URL (and the outlet's first failure).
    fn fail(&mut self, url: &str, kind: UrlKind, status: Option<u16>, stage: &str, message: &str) {
        tracing::warn!(outlet = %self.outlet.name, %url, stage, error = %message, "Fetch failed.");
        if stage == "fetch" || stage == "discover" {
            self.first_error
                .get_or_insert_with(|| format!("{url}: {message}"));
        }
        let mut st = lock(self.state);
        st.counts.errors += 1;
        if self.dry_run {
            return;
        }
        let record = FetchRecord {
            run: self.run,
            outlet: &self.outlet.name,
            url,
            kind,
            status,
            etag: None,
            last_modified: None,
            error: Some(message),
            stage: Some(stage),
        };
        if let Err(error) = st.store().record_fetch(&record) {
            tracing::error!(%url, %error, "Could not record a failure.");
        }
    }

    async fn run(&mut self, max_pages: usize) {
        let links = self.discover().await;
        let mut fetched = 0usize;
        for url in links {
            if fetched >= max_pages {
                break;
            }
            if self.is_known(&url) {
                continue;
            }
            fetched += 1;
            if self.dry_run {
                self.would_fetch += 1;
                continue;
            }
            self.article(&url).await;
            if let Some(progress) = &self.progress {
                let counts = lock(self.state).counts.clone();
                progress(&counts);
            }
        }
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

    async fn article(&mut self, url: &Url) {
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
        let page = match self.fetcher.fetch(&request).await {
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
        let content_type = match self.outlet.charset {
            Some(encoding) => Some(format!("text/html; charset={}", encoding.name())),
            None => page.content_type.clone(),
        };
        let article = match self.cleaner.clean_with_type(
            &page.body,
            Some(page.final_url.as_str()),
            content_type.as_deref(),
        ) {
            Ok(mut a) => {
                if a.lang.is_none() {
                    a.lang = self.outlet.lang.clone();
                }
                a
            }
            Err(error) => {
                self.fail(
                    url.as_str(),
                    UrlKind::Article,
                    Some(page.status),
                    "clean",
                    &error.to_string(),
                );
                return;
            }
        };
        // The page's canonical URL wins: another address of a stored article
        // (AMP page, tracking variant, redirect) is remembered, not stored again.
        let addresses = [
            article.canonical_url.as_deref(),
            Some(page.final_url.as_str()),
        ];
        for address in addresses
            .into_iter()
            .flatten()
            .filter(|a| *a != url.as_str())
        {
            let normalized = Url::parse(address).map(|u| crate::fetch::normalize(&u).to_string());
            let known = normalized
                .ok()
                .and_then(|a| lock(self.state).store().article_at(&a).ok().flatten());
            if known.is_some() {
                let (etag, modified) = (
                    page.validators.etag.clone(),
                    page.validators.last_modified.clone(),
                );
                self.record_ok(
                    url.as_str(),
                    UrlKind::Article,
                    Some(page.status),
                    etag.as_deref(),
                    modified.as_deref(),
                );
                return;
            }
        }
        let fetch = FetchRecord {
            run: self.run,
            outlet: &self.outlet.name,
            url: url.as_str(),
            kind: UrlKind::Article,
            status: Some(page.status),
            etag: page.validators.etag.as_deref(),
            last_modified: page.validators.last_modified.as_deref(),
            error: None,
            stage: None,
        };
        let cleaned = Cleaned {
            fetch,
            final_url: page.final_url.as_str(),
            html: &page.body,
            article: &article,
            outlet_is_agency: self.outlet.agency,
            outlet_name: &self.outlet.name,
            outlet_homepage: self.outlet.homepage.as_str(),
        };
        let result = lock(self.state).add(&cleaned);
        match result {
            Ok((id, relation)) => {
                tracing::info!(outlet = %self.outlet.name, %url, id, relation = relation.as_str(), "Stored article.");
            }
            Err(error) => {
                let message = error.to_string();
                self.fail(
                    url.as_str(),
                    UrlKind::Article,
                    Some(page.status),
                    "store",
                    &message,
                );
            }
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

    fn record_ok(
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
        let record = FetchRecord {
            run: self.run,
            outlet: &self.outlet.name,
            url,
            kind,
            status,
            etag,
            last_modified,
            error: None,
            stage: None,
        };
        let mut st = lock(self.state);
        if let Err(error) = st.store().record_fetch(&record) {
            tracing::error!(%url, %error, "Could not record a fetch.");
        }
    }
}
