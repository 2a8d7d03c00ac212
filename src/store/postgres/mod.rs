//! [`PostgresStore`]: the store on a PostgreSQL server, for many cron
//! hosts sharing one database.
//!
//! Same tables, columns, migrations and behaviour as the SQLite store
//! ([`super::SqliteStore`]); each file here mirrors its namesake in
//! `store/sqlite/`, and the store tests run against both (`store/tests/`).
//! What only a shared server needs is in `claims.rs`: outlets claimed by
//! one run at a time, runs known to be live, and cluster assignment
//! serialised per band key.
//!
//! The driver is the synchronous `postgres` crate. The rest of wirecopy
//! calls the store synchronously, one call at a time behind the pipeline's
//! mutex (see `pipeline/ingest.rs`), so an async pool would add nothing but
//! a second API; one connection per run is what a cron host needs. The
//! crate drives its own small tokio runtime inside every call, and tokio
//! refuses to start a runtime on a thread that is already running one (the
//! pipeline's tasks, the review app's handlers). [`PostgresStore`] therefore
//! makes each call on the calling thread when no runtime runs there, and
//! on a scoped helper thread when one does ([`PostgresStore::call`]): the
//! caller blocks just as it does on SQLite.
//!
//! Connections are plain TCP or Unix sockets (`NoTls`): a server elsewhere
//! is reached through a tunnel or a TLS-terminating proxy.

mod claims;
mod cores;
mod dedup;
mod numbering;
mod queue;
mod read;
mod reindex;
mod report;
mod restate;
mod review;
mod schema;
mod statements;
mod undo;
mod write;

use std::sync::{Mutex, PoisonError};

use postgres::{Client, NoTls};

use statements::Statements;

use super::rules::inflate;
use super::{
    CandidateScope, ClusterDetail, ClusterFilter, ClusterSummary, ClusterView, Decision, Error,
    FetchRecord, Figures, Id, IndexState, IndexStore, IndexedCore, MatchWindow, NewArticle,
    OutletRow, RecentDecision, ReindexArticle, ReindexProgress, Reindexed, RunCounts, Store,
    Totals, UrlState,
};

/// The PostgreSQL store.
pub struct PostgresStore {
    /// The connection; a mutex because reads take `&self` and the driver
    /// needs `&mut` (only one call runs at a time anyway). `None` only
    /// while it is dropped.
    client: Mutex<Option<(Client, Statements)>>,
    /// The server and database, without the password.
    location: String,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore")
            .field("location", &self.location)
            .finish()
    }
}

/// Returns true if and only if `db` names a PostgreSQL database
/// (`postgres://…` or `postgresql://…`) rather than a SQLite file.
pub fn is_postgres_url(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

/// The URL as messages show it: without its password.
pub(super) fn shown(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) => {
            if u.password().is_some() {
                let _ = u.set_password(None);
            }
            u.to_string()
        }
        Err(_) => "postgres://…".into(),
    }
}

impl PostgresStore {
    /// Connects to the database at `url` (`postgres://user@host/db`, or any
    /// form `postgres::Config` reads) and brings its schema up to date.
    ///
    /// Errors if the server can't be reached, refuses the login, or holds
    /// a schema written by a newer wirecopy.
    pub fn open(url: &str) -> Result<PostgresStore, Error> {
        Self::open_at(url, schema::VERSION)
    }

    /// Connects and migrates up to `version` only (tests of the upgrade
    /// path build old databases with it).
    #[doc(hidden)]
    pub fn open_at(url: &str, version: i64) -> Result<PostgresStore, Error> {
        let location = shown(url);
        let connect_err = |cause| Error::Connect {
            location: location.clone(),
            cause,
        };
        let client = on_plain_thread(|| Client::connect(url, NoTls)).map_err(connect_err)?;
        let store = PostgresStore {
            client: Mutex::new(Some((client, Statements::default()))),
            location: location.clone(),
        };
        let found = store.call(|c| migrate(c, version))?;
        if found > schema::VERSION {
            return Err(Error::TooNew {
                path: location,
                found,
                supported: schema::VERSION,
            });
        }
        Ok(store)
    }

    /// Returns the schema version of the open database.
    pub fn schema_version(&self) -> Result<i64, Error> {
        self.call(|c| Ok(schema::found_version(c)?))
    }

    /// Runs `f` on the connection: on this thread when no tokio runtime
    /// runs here, else on a scoped helper thread (see the module docs).
    ///
    /// Errors with what `f` returns, or [`Error::Worker`] if it panicked.
    fn call<R: Send>(
        &self,
        f: impl FnOnce(&mut Client) -> Result<R, Error> + Send,
    ) -> Result<R, Error> {
        self.call_prepared(|c, _| f(c))
    }

    /// [`PostgresStore::call`] with the connection's prepared statements.
    fn call_prepared<R: Send>(
        &self,
        f: impl FnOnce(&mut Client, &mut Statements) -> Result<R, Error> + Send,
    ) -> Result<R, Error> {
        let mut guard = self.client.lock().unwrap_or_else(PoisonError::into_inner);
        let (client, statements) = guard.as_mut().ok_or(Error::Worker)?;
        if tokio::runtime::Handle::try_current().is_err() {
            return f(client, statements);
        }
        std::thread::scope(|s| s.spawn(move || f(client, statements)).join())
            .map_err(|_| Error::Worker)?
    }

    /// Runs `f` on the connection, for the store tests' direct queries
    /// (`store/tests/`).
    #[cfg(test)]
    pub(crate) fn on_connection<R: Send>(
        &self,
        f: impl FnOnce(&mut Client) -> Result<R, Error> + Send,
    ) -> Result<R, Error> {
        self.call(f)
    }
}

impl Drop for PostgresStore {
    /// Closing the connection runs the driver's runtime too: off any tokio
    /// thread, like every call.
    fn drop(&mut self) {
        let client = self
            .client
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(conn) = client {
            on_plain_thread(move || drop(conn));
        }
    }
}

/// Runs `f` where the driver may start its runtime: here, or on a scoped
/// thread when a tokio runtime runs on this one.
fn on_plain_thread<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    if tokio::runtime::Handle::try_current().is_err() {
        return f();
    }
    std::thread::scope(|s| match s.spawn(f).join() {
        Ok(r) => r,
        Err(panic) => std::panic::resume_unwind(panic),
    })
}

/// Migrates the schema up to `target` under the migration lock; returns
/// the version found before.
fn migrate(c: &mut Client, target: i64) -> Result<i64, Error> {
    let mut tx = c.transaction()?;
    tx.execute(
        "SELECT pg_advisory_xact_lock($1)",
        &[&i64::from(claims::SCHEMA)],
    )?;
    let found = schema::found_version(&mut tx)?;
    if found > schema::VERSION {
        return Ok(found);
    }
    for (i, sql) in schema::MIGRATIONS
        .iter()
        .enumerate()
        .skip(found as usize)
        .take(target.saturating_sub(found).max(0) as usize)
    {
        tx.batch_execute(sql)?;
        schema::after(&mut tx, i as i64 + 1)?;
        schema::set_version(&mut tx, i as i64 + 1)?;
    }
    tx.commit()?;
    Ok(found)
}

impl Store for PostgresStore {
    fn location(&self) -> String {
        self.location.clone()
    }
    fn begin_run(&mut self) -> Result<Id, Error> {
        self.call(write::begin_run)
    }
    fn close_interrupted_runs(&mut self) -> Result<u64, Error> {
        self.call(write::close_interrupted_runs)
    }
    fn finish_run(&mut self, run: Id, counts: &RunCounts, status: &str) -> Result<(), Error> {
        self.call(|c| write::finish_run(c, run, counts, status))
    }
    fn number_run_clusters(&mut self, run: Id) -> Result<u64, Error> {
        self.call(|c| numbering::number_run_clusters(c, run))
    }
    fn sync_outlets(&mut self, outlets: &[OutletRow]) -> Result<(), Error> {
        self.call(|c| write::sync_outlets(c, outlets))
    }
    fn url_state(&self, url: &str) -> Result<Option<UrlState>, Error> {
        self.call_prepared(|c, st| read::url_state(c, st, url))
    }
    fn article_at(&self, url: &str) -> Result<Option<Id>, Error> {
        self.call_prepared(|c, st| read::article_at(c, st, url))
    }
    fn article_text(&self, article: Id) -> Result<Option<String>, Error> {
        self.call(|c| {
            Ok(
                c.query_opt("SELECT text FROM articles WHERE id = $1", &[&article])?
                    .map(|r| r.try_get(0))
                    .transpose()?,
            )
        })
    }
    fn record_fetch(&mut self, record: &FetchRecord<'_>) -> Result<(), Error> {
        self.call_prepared(|c, st| {
            let mut tx = c.transaction()?;
            write::upsert_url(&mut statements::Cached::new(&mut tx, st), record)?;
            tx.commit()?;
            Ok(())
        })
    }
    fn save_article(&mut self, new: &NewArticle<'_>) -> Result<(Id, Id), Error> {
        self.call_prepared(|c, st| write::save_article(c, st, new))
    }
    fn prune_raw_html(&mut self, days: u32) -> Result<usize, Error> {
        let cutoff = chrono::Utc::now() - chrono::Duration::days(i64::from(days));
        let cutoff = cutoff.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        self.call(|c| {
            Ok(c.execute("DELETE FROM pages WHERE fetched_at <= $1", &[&cutoff])? as usize)
        })
    }
    fn raw_html(&self, article: Id) -> Result<Option<Vec<u8>>, Error> {
        let blob: Option<Vec<u8>> = self.call(|c| {
            Ok(c.query_opt(
                "SELECT p.html FROM pages p JOIN articles a ON a.url_id = p.url_id WHERE a.id = $1",
                &[&article],
            )?
            .map(|r| r.try_get(0))
            .transpose()?)
        })?;
        blob.map(|b| inflate(&b)).transpose()
    }
    fn totals(&self) -> Result<Totals, Error> {
        self.call(read::totals)
    }
    fn outlet_names(&self) -> Result<Vec<String>, Error> {
        self.call(read::outlet_names)
    }
    fn recent_runs(&self, limit: usize) -> Result<Vec<Id>, Error> {
        self.call(|c| read::recent_runs(c, limit))
    }
    fn runs(&self, limit: usize) -> Result<Vec<super::RunRow>, Error> {
        self.call(|c| read::runs(c, limit))
    }
    fn error_groups(&self, run: Option<Id>) -> Result<Vec<super::ErrorGroup>, Error> {
        self.call(|c| read::error_groups(c, run))
    }
    fn outlet_states(&self) -> Result<Vec<super::OutletState>, Error> {
        self.call(read::outlet_states)
    }
    // `begin_batch`/`end_batch` keep their defaults: each write commits on
    // its own, so an import into PostgreSQL pays a commit per page, and
    // other hosts see each page as soon as it is stored.
    fn cluster_ids(&self, filter: &ClusterFilter) -> Result<Vec<Id>, Error> {
        self.call(|c| report::cluster_ids(c, filter))
    }
    fn cluster(&self, id: Id) -> Result<Option<ClusterDetail>, Error> {
        self.call(|c| report::cluster(c, id))
    }
    fn figures(&self, filter: &ClusterFilter) -> Result<Figures, Error> {
        self.call(|c| report::figures(c, filter))
    }
    fn review(
        &mut self,
        decision: &Decision,
        policy: crate::dedup::CanonicalPolicy,
    ) -> Result<Id, Error> {
        self.call(|c| review::decide(c, decision, policy))
    }
    fn undo_decision(
        &mut self,
        decision: Id,
        policy: crate::dedup::CanonicalPolicy,
    ) -> Result<Id, Error> {
        self.call(|c| undo::undo_decision(c, decision, policy))
    }
    fn cluster_summaries(&self) -> Result<Vec<ClusterSummary>, Error> {
        self.call(queue::cluster_summaries)
    }
    fn recent_decisions(&self, limit: usize) -> Result<Vec<RecentDecision>, Error> {
        self.call(|c| queue::recent_decisions(c, limit))
    }
    fn clusters_with_reprints(&self, limit: usize) -> Result<Vec<ClusterView>, Error> {
        self.call(|c| read::clusters_with_reprints(c, limit))
    }
    fn claim_outlet(&mut self, name: &str) -> Result<bool, Error> {
        self.call(|c| Ok(claims::claim_outlet(c, name)?))
    }
    fn release_outlet(&mut self, name: &str) -> Result<(), Error> {
        self.call(|c| Ok(claims::release_outlet(c, name)?))
    }
    fn lock_candidates(&mut self, band_keys: &[u32]) -> Result<(), Error> {
        self.call_prepared(|c, st| Ok(claims::lock_bands(c, st, band_keys)?))
    }
    fn unlock_candidates(&mut self, band_keys: &[u32]) -> Result<(), Error> {
        self.call_prepared(|c, st| Ok(claims::unlock_bands(c, st, band_keys)?))
    }
}

impl IndexStore for PostgresStore {
    fn index_state(&self) -> Result<IndexState, Error> {
        self.call(reindex::index_state)
    }
    fn candidate_floor(&self, window: Option<&MatchWindow>) -> Result<Id, Error> {
        self.call(|c| dedup::candidate_floor(c, window))
    }
    fn exact_candidate(&self, key: &[u8; 16], scope: &CandidateScope) -> Result<Option<Id>, Error> {
        self.call_prepared(|c, st| dedup::exact_candidate(c, st, key, scope))
    }
    fn band_hits(&self, keys: &[u32], scope: &CandidateScope) -> Result<Vec<(Id, u32)>, Error> {
        self.call_prepared(|c, st| dedup::band_hits(c, st, keys, scope))
    }
    fn posting_hits(
        &self,
        keys: &[u32],
        scope: &CandidateScope,
        cap: usize,
    ) -> Result<Vec<(Id, u32)>, Error> {
        self.call_prepared(|c, st| dedup::posting_hits(c, st, keys, scope, cap))
    }
    fn indexed_cores(&self, ids: &[Id]) -> Result<Vec<IndexedCore>, Error> {
        self.call_prepared(|c, st| dedup::indexed_cores(c, st, ids))
    }
    fn secondary_cores(&self, root: Id, scope: &CandidateScope) -> Result<u32, Error> {
        self.call_prepared(|c, st| dedup::secondary_cores(c, st, root, scope))
    }
    fn begin_reindex(&mut self, restart: bool) -> Result<ReindexProgress, Error> {
        self.call(|c| reindex::begin(c, restart))
    }
    fn reindex_batch(&self, after: Id, limit: usize) -> Result<Vec<ReindexArticle>, Error> {
        self.call(|c| reindex::batch(c, after, limit))
    }
    fn save_reindexed(&mut self, r: &Reindexed<'_>) -> Result<(), Error> {
        self.call_prepared(|c, st| reindex::save(c, st, r))
    }
    fn finish_reindex(&mut self) -> Result<(), Error> {
        self.call(reindex::finish)
    }
}
