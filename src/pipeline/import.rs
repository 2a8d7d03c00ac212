//! An import: pages that were fetched elsewhere (read from WARC files by
//! `wirecopy import`) → clean → dedup → store, recorded as a run.
//!
//! [`Import`] takes pages one at a time, so the caller can stream them
//! from a file of any size. Each page goes to an outlet by its URL's host
//! (and port): the outlet of the config whose homepage has that host
//! (`www.` ignored), else the outlet named by `--outlet`, else a new outlet
//! named after the host. Outlets are written to the store when their first
//! page arrives. A configured outlet keeps its rules: a page its
//! `article_url` or `exclude` turns away (a section page) is not stored,
//! as a run would not have stored it. A page whose URL has an article stored already is skipped
//! (so importing a file twice stores nothing the second time); every other
//! page takes the run's own path ([`super::keep`]): its cleaner, canonical
//! and twin checks, and [`Ingest::add`].
//!
//! Pages are stored in batches of [`BATCH`], one transaction each
//! ([`crate::store::Store::begin_batch`]): a commit per article is most of
//! what a bulk load would cost otherwise (`docs/archive.md`).
//!
//! State: the host → outlet map grows as new hosts appear (one entry per
//! host, not per page); the counters grow with each page.

use std::collections::HashMap;
use std::sync::Mutex;

use url::Url;

use super::keep::{Keep, Kept};
use super::{lock, Error, Ingest, RunReport};
use crate::clean::{Cleaner, Overrides};
use crate::config::{Outlet, Sources};
use crate::fetch::{normalize, Page};
use crate::store::{Id, OutletRow, UrlKind};

/// What [`Import::page`] did with one page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Imported {
    /// Stored as a new article of this outlet.
    Stored {
        /// The outlet the page went to.
        outlet: String,
    },
    /// Its URL (or its final or canonical URL) has an article stored
    /// already: nothing was stored.
    Known,
    /// The page's outlet (from the config) does not take this URL as an
    /// article (`article_url`, `exclude`): a section page, a feed's
    /// HTML twin. A run would not have stored it either.
    NotAnArticle,
    /// The page would not clean or store; the failure is recorded in the
    /// run, as a fetch failure would be.
    Failed(String),
    /// The store stopped taking writes; the import should stop.
    Halted,
}

/// One import in progress: a run whose pages come from the caller.
pub struct Import {
    state: Mutex<Ingest>,
    run: Id,
    /// Outlets of the config, by host key.
    configured: HashMap<String, Outlet>,
    /// Outlets pages went to, with their cleaner, by host key.
    used: HashMap<String, (Outlet, Cleaner)>,
    /// Names written to the store already.
    synced: std::collections::HashSet<String>,
    /// `--outlet`: where pages of unknown hosts go.
    fallback: Option<String>,
    /// Pages skipped because their article is stored.
    known: u64,
    /// Pages written in the open batch, if one is open.
    batched: Option<usize>,
}

/// Pages per store batch ([`crate::store::Store::begin_batch`]): one commit
/// per this many pages instead of one per page. A crash loses at most the
/// open batch, which importing the file again stores.
const BATCH: usize = 256;

/// A host's key: lowercased host, without `www.`, with the port when it
/// is not the scheme's default.
fn host_key(url: &Url) -> Option<String> {
    let host = url.host_str()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_owned();
    Some(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host,
    })
}

impl Import {
    /// Starts an import as a new run. `sources` gives the outlets pages map
    /// to by host (none: every host is new); `fallback` names the outlet
    /// for pages of hosts no configured outlet has (`--outlet`).
    ///
    /// Errors if the store cannot record the run.
    pub fn begin(
        sources: Option<&Sources>,
        mut ingest: Ingest,
        fallback: Option<String>,
    ) -> Result<Import, Error> {
        let store = ingest.store();
        let run = store
            .close_interrupted_runs()
            .and_then(|_| store.begin_run())
            .map_err(|error| Error::Store {
                location: store.location(),
                error,
            })?;
        let mut configured = HashMap::new();
        for outlet in sources.map(|s| s.outlets.as_slice()).unwrap_or_default() {
            if let Some(key) = host_key(&outlet.homepage) {
                configured.entry(key).or_insert_with(|| outlet.clone());
            }
        }
        Ok(Import {
            state: Mutex::new(ingest),
            run,
            configured,
            used: HashMap::new(),
            synced: Default::default(),
            fallback,
            known: 0,
            batched: None,
        })
    }

    /// The run's id.
    pub fn run(&self) -> Id {
        self.run
    }

    /// The outlet a page of `url` goes to (see the module doc).
    fn outlet_for(&self, url: &Url, key: &str) -> Outlet {
        if let Some(outlet) = self.configured.get(key) {
            return outlet.clone();
        }
        if let Some(name) = &self.fallback {
            if let Some(outlet) = self.configured.values().find(|o| &o.name == name) {
                return outlet.clone();
            }
        }
        let mut homepage = url.clone();
        homepage.set_path("/");
        homepage.set_query(None);
        homepage.set_fragment(None);
        Outlet {
            name: self.fallback.clone().unwrap_or_else(|| key.to_owned()),
            homepage,
            feeds: Vec::new(),
            sitemaps: Vec::new(),
            sections: Vec::new(),
            article_url: None,
            exclude: Vec::new(),
            body_selector: None,
            drop_selectors: Vec::new(),
            agency: false,
            lang: None,
            charset: None,
            rate: 0.0,
            revisit: false,
            enabled: true,
            line: 0,
        }
    }

    /// Cleans and stores one page, as a run would have after fetching it.
    pub fn page(&mut self, page: &Page) -> Imported {
        let url = normalize(&page.url);
        let Some(key) = host_key(&url) else {
            return Imported::Failed(format!("{url}: no host"));
        };
        if !self.used.contains_key(&key) {
            let outlet = self.outlet_for(&url, &key);
            let overrides = Overrides {
                body: outlet.body_selector.clone(),
                drop: outlet.drop_selectors.clone(),
            };
            let cleaner = Cleaner::default().overrides(overrides);
            self.used.insert(key.clone(), (outlet, cleaner));
        }
        let Some((outlet, cleaner)) = self.used.get(&key) else {
            return Imported::Failed(format!("{url}: no outlet"));
        };
        if self.configured.contains_key(&key) && !outlet.wants(&url) {
            return Imported::NotAnArticle;
        }
        {
            let mut st = lock(&self.state);
            if st.halted().is_some() {
                return Imported::Halted;
            }
            if matches!(st.store().url_state(url.as_str()), Ok(Some(s)) if s.article.is_some()) {
                self.known += 1;
                return Imported::Known;
            }
            if self.synced.insert(outlet.name.clone()) {
                let row = OutletRow {
                    name: outlet.name.clone(),
                    homepage: outlet.homepage.to_string(),
                    agency: outlet.agency,
                };
                if let Err(error) = st.store().sync_outlets(&[row]) {
                    st.write_failed(&error);
                    return Imported::Failed(format!("{}: {error}", outlet.name));
                }
            }
            st.counts.fetched += 1;
            let store = st.store();
            let result = match self.batched {
                Some(n) if n >= BATCH => store
                    .end_batch()
                    .and_then(|()| store.begin_batch())
                    .map(|()| 1),
                Some(n) => Ok(n + 1),
                None => store.begin_batch().map(|()| 1),
            };
            match result {
                Ok(n) => self.batched = Some(n),
                Err(error) => {
                    self.batched = None;
                    st.write_failed(&error);
                    return Imported::Failed(format!("{url}: {error}"));
                }
            }
        }
        let keep = Keep {
            outlet,
            state: &self.state,
            cleaner,
            run: self.run,
        };
        match keep.page(&url, page, None) {
            Kept::Stored(id, relation) => {
                tracing::info!(outlet = %outlet.name, %url, id, relation = relation.as_str(), "Stored article.");
                Imported::Stored {
                    outlet: outlet.name.clone(),
                }
            }
            Kept::Twin => {
                keep.record_success(
                    url.as_str(),
                    UrlKind::Article,
                    Some(page.status),
                    None,
                    None,
                );
                self.known += 1;
                Imported::Known
            }
            Kept::Failed { stage, message } => {
                tracing::warn!(outlet = %outlet.name, %url, stage, error = %message, "Import failed.");
                keep.record_failure(
                    url.as_str(),
                    UrlKind::Article,
                    Some(page.status),
                    stage,
                    &message,
                );
                Imported::Failed(format!("{url}: {stage}: {message}"))
            }
            Kept::Halted => Imported::Halted,
        }
    }

    /// Counts an error the caller met outside the pipeline (a corrupt
    /// record): it shows in the run's error count.
    pub fn note_error(&mut self) {
        lock(&self.state).counts.errors += 1;
    }

    /// Pages skipped so far because their article was stored already.
    pub fn known(&self) -> u64 {
        self.known
    }

    /// Records the run's end: `ok` when nothing failed, else `partial`
    /// (`failed` when the store stopped taking writes).
    ///
    /// Errors if the store cannot record it.
    pub fn finish(self) -> Result<RunReport, Error> {
        let outlets = self.synced.len() as u64;
        let mut ingest = self.state.into_inner().unwrap_or_else(|p| p.into_inner());
        ingest.counts.outlets = outlets;
        let counts = ingest.counts.clone();
        let mut report = RunReport {
            run: Some(self.run),
            counts: counts.clone(),
            ..RunReport::default()
        };
        if self.batched.is_some() {
            if let Err(error) = ingest.store().end_batch() {
                ingest.write_failed(&error);
            }
        }
        let status = if let Some(halted) = ingest.halted() {
            report.store_failed = Some(halted.to_owned());
            "failed"
        } else if counts.errors > 0 {
            "partial"
        } else {
            "ok"
        };
        let store = ingest.store();
        // As a run does: the clusters this import created get their ids in
        // a fixed order, so re-importing into a fresh database numbers them
        // alike.
        let numbered = if status == "failed" {
            Ok(())
        } else {
            store
                .number_run_clusters(self.run)
                .map(|moved| tracing::debug!(moved, "Numbered the import's new clusters."))
        };
        if let Err(error) = numbered.and_then(|()| store.finish_run(self.run, &counts, status)) {
            if report.store_failed.is_none() {
                return Err(Error::Store {
                    location: store.location(),
                    error,
                });
            }
        }
        Ok(report)
    }
}
