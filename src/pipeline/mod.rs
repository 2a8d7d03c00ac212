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

mod budget;
mod check;
mod claim;
mod discover;
mod import;
mod ingest;
mod keep;
mod lookup;
mod outlet;
mod progress;
mod reindex;
mod survey;

pub use check::{check, OutletCheck, Sample};
pub use import::{Import, Imported};
pub use ingest::{is_own_copy, Cleaned, Ingest};
use outlet::OutletRun;
use progress::Tally;
pub use progress::{Progress, RunProgress};
pub use reindex::{reindex, ReindexOptions};
pub use survey::{
    discover_site, infer_article_url, looks_like_article, sitemap_candidates, Candidate,
    InferredPattern, Listing, SiteDiscovery, SiteError, SourceKind, Verdict, FRESH_DAYS,
    USUAL_FEEDS, USUAL_SITEMAPS,
};

use std::sync::{Arc, Mutex};
use std::time::Instant;

use budget::Budget;

use crate::config::{Outlet, Sources};
use crate::fetch::Fetcher;
use crate::store::{Id, OutletRow, RunCounts};

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
    /// Article pages left for the next run by the host failure budget or
    /// the run's deadline.
    pub left: u64,
    /// True if and only if `max_run_secs` stopped the run before it was done.
    pub out_of_time: bool,
    /// Outlets left out because another run on the same database was
    /// fetching them (PostgreSQL; see `pipeline/claim.rs`).
    pub held_elsewhere: Vec<String>,
    /// Set when the store stopped taking writes (read-only, disk full):
    /// the database, the cause, and that the run stopped fetching. What
    /// could be stored before is kept.
    pub store_failed: Option<String>,
}

/// Why a run could not run at all (per-page failures are not errors).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The store failed.
    #[error("{location}: {error}")]
    Store {
        /// The database, as the store names it.
        location: String,
        /// What failed.
        error: crate::store::Error,
    },
    /// Every outlet of the config has `enabled = false`.
    #[error("every outlet has enabled = false: nothing to fetch; enable one, or name one with --outlet NAME")]
    NoneEnabled,
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
        let enabled: Vec<&Outlet> = sources.outlets.iter().filter(|o| o.enabled).collect();
        if enabled.is_empty() {
            return Err(Error::NoneEnabled);
        }
        return Ok(enabled);
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
                        None if all.len() > 12 => format!(
                            " (outlets: {}, … and {} more)",
                            all[..10].join(", "),
                            all.len() - 10
                        ),
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

/// Runs the pipeline over the selected outlets. The caller holds the run
/// [`crate::store::Lock`]: runs left `running` by a killed process are
/// marked `interrupted` first.
///
/// Errors only if the run cannot proceed (the store fails, an outlet name is
/// unknown); fetch and clean failures are counted and recorded instead.
pub async fn run(
    sources: &Sources,
    ingest: Ingest,
    fetcher: &Fetcher,
    options: &RunOptions,
) -> Result<RunReport, Error> {
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
        let store = st.store();
        let started = store
            .close_interrupted_runs()
            .map(|n| {
                if n > 0 {
                    tracing::info!(runs = n, "Marked runs that never finished as interrupted.");
                }
            })
            .and_then(|()| store.sync_outlets(&rows))
            .and_then(|()| store.begin_run())
            .map_err(|error| Error::Store {
                location: store.location(),
                error,
            })?;
        Some(started)
    };
    let (outlets, held_elsewhere) = if options.dry_run {
        (outlets, Vec::new())
    } else {
        claim::claim(&state, outlets)?
    };
    let claimed: Vec<String> = outlets.iter().map(|o| o.name.clone()).collect();
    let budget = Arc::new(Budget::new(
        sources.defaults.max_host_failures,
        sources.defaults.max_run.map(|d| Instant::now() + d),
    ));
    let tally = Arc::new(Tally::default());
    let mut tasks = tokio::task::JoinSet::new();
    for outlet in outlets {
        let outlet = outlet.clone();
        let fetcher = fetcher.clone();
        let state = Arc::clone(&state);
        let max_pages = sources.defaults.max_pages;
        let dry_run = options.dry_run;
        let progress = options
            .progress
            .clone()
            .map(|callback| (callback, Arc::clone(&tally)));
        let budget = Arc::clone(&budget);
        tasks.spawn(async move {
            let mut work = OutletRun::new(&outlet, &fetcher, &state, run.unwrap_or(0), dry_run);
            work.progress = progress;
            work.budget = budget;
            work.run(max_pages).await;
            let done = Done {
                first_error: work.first_error.take(),
                would_fetch: work.would_fetch,
                left: work.left,
                out_of_time: work.out_of_time,
            };
            (outlet.name.clone(), done)
        });
    }
    let mut report = RunReport {
        run,
        held_elsewhere,
        ..RunReport::default()
    };
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok((name, done)) => {
                report.would_fetch += done.would_fetch;
                report.left += done.left;
                report.out_of_time |= done.out_of_time;
                if let Some(error) = done.first_error {
                    report.failed.push((name, error));
                }
            }
            Err(error) => report
                .failed
                .push(("?".into(), format!("outlet task failed: {error}"))),
        }
    }
    report.failed.sort();
    claim::release(&state, &claimed);
    let outlets_run = claimed.len() as u64;
    let mut ingest = lock(&state);
    ingest.counts.outlets = outlets_run;
    ingest.counts.outlets_failed = report.failed.len() as u64;
    report.counts = ingest.counts.clone();
    if let Some(halted) = ingest.halted() {
        let stored = match report.counts.new_articles {
            1 => "1 new article was".to_string(),
            n => format!("{n} new articles were"),
        };
        report.store_failed = Some(format!(
            "{halted}; stopped fetching, {stored} stored before"
        ));
        if let Some(run) = run {
            // Worth a try: a full disk may still take an update in place.
            if let Err(error) = ingest.store().finish_run(run, &report.counts, "failed") {
                tracing::debug!(%error, "Could not record the run's end.");
            }
        }
        return Ok(report);
    }
    if let Some(run) = run {
        let status = if report.failed.is_empty() && !report.out_of_time {
            "ok"
        } else {
            "partial"
        };
        let store = ingest.store();
        store
            .number_run_clusters(run)
            .map(|moved| tracing::debug!(moved, "Numbered the run's new clusters."))
            .and_then(|()| store.finish_run(run, &report.counts, status))
            .and_then(|()| store.prune_raw_html(sources.defaults.retention_days))
            .map(|pruned| tracing::debug!(pruned, "Dropped raw HTML past retention."))
            .map_err(|error| Error::Store {
                location: store.location(),
                error,
            })?;
    }
    Ok(report)
}

/// What one outlet's task hands back.
struct Done {
    first_error: Option<String>,
    would_fetch: u64,
    left: u64,
    out_of_time: bool,
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
