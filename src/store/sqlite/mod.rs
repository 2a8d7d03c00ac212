//! [`SqliteStore`]: the embedded default store.
//!
//! One file (`wirecopy.db` by default) in WAL mode, so a report can read
//! while a run writes. Opening creates the file and migrates the schema
//! ([`schema`]); the connection is owned by the store, which is used from
//! one thread. The dedup index's tables and lookups are in `dedup.rs`, the
//! reindex migration in `reindex.rs`.

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
mod undo;
mod write;

use std::path::Path;

use rusqlite::Connection;

use super::{
    CandidateScope, ClusterDetail, ClusterFilter, ClusterSummary, ClusterView, Decision, Error,
    FetchRecord, Figures, Id, IndexState, IndexStore, IndexedCore, MatchWindow, NewArticle,
    OutletRow, RecentDecision, ReindexArticle, ReindexProgress, Reindexed, RunCounts, Store,
    Totals, UrlState,
};

/// The SQLite store.
pub struct SqliteStore {
    conn: Connection,
    /// The file, as given to [`SqliteStore::open`] (`:memory:` for none).
    path: String,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.conn.path())
            .finish()
    }
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path` and brings its
    /// schema up to date.
    ///
    /// Errors if the file can't be opened or was written by a newer wirecopy.
    pub fn open(path: &Path) -> Result<SqliteStore, Error> {
        let shown = path.display().to_string();
        let conn = Connection::open(path).map_err(|cause| Error::Open {
            path: shown.clone(),
            cause,
        })?;
        Self::setup(conn, &shown)
    }

    /// Opens a private in-memory database (for tests and dry runs).
    pub fn in_memory() -> Result<SqliteStore, Error> {
        let conn = Connection::open_in_memory().map_err(|cause| Error::Open {
            path: ":memory:".into(),
            cause,
        })?;
        Self::setup(conn, ":memory:")
    }

    /// Opens an existing database for reading only, without creating,
    /// migrating or writing anything (for `run --dry-run`). Every write
    /// through the [`Store`] trait then fails as read-only.
    ///
    /// Errors if the file can't be opened or was written by a newer wirecopy.
    pub fn open_read_only(path: &Path) -> Result<SqliteStore, Error> {
        let shown = path.display().to_string();
        let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
            | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX
            | rusqlite::OpenFlags::SQLITE_OPEN_URI;
        let open_err = |cause| Error::Open {
            path: shown.clone(),
            cause,
        };
        let conn = Connection::open_with_flags(path, flags).map_err(open_err)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(open_err)?;
        let found: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(open_err)?;
        if found > schema::VERSION {
            return Err(Error::TooNew {
                path: shown,
                found,
                supported: schema::VERSION,
            });
        }
        Ok(SqliteStore { conn, path: shown })
    }

    /// Sets the connection up and migrates the schema. Every failure here
    /// is an [`Error::Open`] naming the file.
    fn setup(mut conn: Connection, shown: &str) -> Result<SqliteStore, Error> {
        let open_err = |cause| Error::Open {
            path: shown.to_string(),
            cause,
        };
        let found = Self::prepare(&mut conn).map_err(open_err)?;
        if found > schema::VERSION {
            return Err(Error::TooNew {
                path: shown.to_string(),
                found,
                supported: schema::VERSION,
            });
        }
        for (i, sql) in schema::MIGRATIONS.iter().enumerate().skip(found as usize) {
            let migrate = |conn: &mut Connection| -> rusqlite::Result<()> {
                let tx = conn.transaction()?;
                tx.execute_batch(sql)?;
                schema::after(&tx, i as i64 + 1)?;
                tx.pragma_update(None, "user_version", i as i64 + 1)?;
                tx.commit()
            };
            migrate(&mut conn).map_err(open_err)?;
        }
        Ok(SqliteStore {
            conn,
            path: shown.to_string(),
        })
    }

    /// Sets the pragmas; returns the schema version found.
    fn prepare(conn: &mut Connection) -> rusqlite::Result<i64> {
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // The dedup index's key tables are read and written at random
        // places: a page cache of up to 32 MiB (filled only as pages are
        // touched; a no-op run touches a few) keeps a run's lookups in
        // memory. SQLite's default is 2 MiB.
        conn.pragma_update(None, "cache_size", RUN_CACHE_KIB)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.query_row("PRAGMA user_version", [], |r| r.get(0))
    }

    /// Returns the schema version of the open database.
    pub fn schema_version(&self) -> Result<i64, Error> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// Gives read access to the connection (for reports and tests).
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}

/// The page cache of a connection, as SQLite's `cache_size` takes it
/// (negative: KiB): up to 32 MiB, filled only as pages are touched.
const RUN_CACHE_KIB: i64 = -32_768;

/// The page cache during a batch ([`Store::begin_batch`]: an import). The
/// cache fills with the pages a load touches, so with the run's cap an
/// import's peak memory followed its length (`cargo bench --bench import`:
/// 54.5 MiB for 1,000 pages, 73.6 for 10,000); at 16 MiB it is full within
/// the first thousand pages and the peak stays (52.4 and 54.1 MiB, 691
/// pages per CPU second at 10,000, against 736 with the run's cap; 8 MiB:
/// 42.5 and 44.0 MiB, a quarter slower).
const BATCH_CACHE_KIB: i64 = -16_384;

impl Store for SqliteStore {
    fn location(&self) -> String {
        self.path.clone()
    }
    fn begin_run(&mut self) -> Result<Id, Error> {
        write::begin_run(&self.conn)
    }
    fn close_interrupted_runs(&mut self) -> Result<u64, Error> {
        write::close_interrupted_runs(&self.conn)
    }
    fn finish_run(&mut self, run: Id, counts: &RunCounts, status: &str) -> Result<(), Error> {
        write::finish_run(&self.conn, run, counts, status)
    }
    fn number_run_clusters(&mut self, run: Id) -> Result<u64, Error> {
        let tx = self.conn.transaction()?;
        let moved = numbering::number_run_clusters(&tx, run)?;
        tx.commit()?;
        Ok(moved)
    }
    fn sync_outlets(&mut self, outlets: &[OutletRow]) -> Result<(), Error> {
        write::sync_outlets(&mut self.conn, outlets)
    }
    fn url_state(&self, url: &str) -> Result<Option<UrlState>, Error> {
        read::url_state(&self.conn, url)
    }
    fn article_at(&self, url: &str) -> Result<Option<Id>, Error> {
        read::article_at(&self.conn, url)
    }
    fn article_text(&self, article: Id) -> Result<Option<String>, Error> {
        read::optional(self.conn.query_row(
            "SELECT text FROM articles WHERE id = ?1",
            [article],
            |r| r.get(0),
        ))
    }
    fn begin_batch(&mut self) -> Result<(), Error> {
        // Inside a batch each write is a savepoint, which journals the pages
        // it changes to a sub-journal: in memory, that costs no write calls
        // (a fifth of an import's time on disk). It holds one write's pages.
        // A bulk load appends far more than it reads back, so its page cache
        // is capped lower ([`BATCH_CACHE_KIB`]) from its first batch on, for
        // the rest of the connection (the end of an import numbers its
        // clusters, which would fill a larger cache again).
        if self.conn.is_autocommit() {
            self.conn.execute_batch(&format!(
                "PRAGMA temp_store = MEMORY; PRAGMA cache_size = {BATCH_CACHE_KIB}; BEGIN"
            ))?;
        }
        Ok(())
    }
    fn end_batch(&mut self) -> Result<(), Error> {
        if !self.conn.is_autocommit() {
            self.conn
                .execute_batch("COMMIT; PRAGMA temp_store = DEFAULT")?;
        }
        Ok(())
    }
    fn record_fetch(&mut self, record: &FetchRecord<'_>) -> Result<(), Error> {
        // A savepoint, not a transaction, so that it nests in a batch.
        let tx = self.conn.savepoint()?;
        write::upsert_url(&tx, record)?;
        tx.commit()?;
        Ok(())
    }
    fn save_article(&mut self, new: &NewArticle<'_>) -> Result<(Id, Id), Error> {
        write::save_article(&mut self.conn, new)
    }
    fn prune_raw_html(&mut self, days: u32) -> Result<usize, Error> {
        let cutoff = chrono::Utc::now() - chrono::Duration::days(i64::from(days));
        let cutoff = cutoff.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        Ok(self
            .conn
            .execute("DELETE FROM pages WHERE fetched_at <= ?1", [cutoff])?)
    }
    fn raw_html(&self, article: Id) -> Result<Option<Vec<u8>>, Error> {
        let blob: Option<Vec<u8>> = read::optional(self.conn.query_row(
            "SELECT p.html FROM pages p JOIN articles a ON a.url_id = p.url_id WHERE a.id = ?1",
            [article],
            |r| r.get(0),
        ))?;
        blob.map(|b| inflate(&b)).transpose()
    }
    fn totals(&self) -> Result<Totals, Error> {
        read::totals(&self.conn)
    }
    fn outlet_names(&self) -> Result<Vec<String>, Error> {
        read::outlet_names(&self.conn)
    }
    fn recent_runs(&self, limit: usize) -> Result<Vec<Id>, Error> {
        read::recent_runs(&self.conn, limit)
    }
    fn runs(&self, limit: usize) -> Result<Vec<super::RunRow>, Error> {
        read::runs(&self.conn, limit)
    }
    fn error_groups(&self, run: Option<Id>) -> Result<Vec<super::ErrorGroup>, Error> {
        read::error_groups(&self.conn, run)
    }
    fn outlet_states(&self) -> Result<Vec<super::OutletState>, Error> {
        read::outlet_states(&self.conn)
    }
    fn cluster_ids(&self, filter: &ClusterFilter) -> Result<Vec<Id>, Error> {
        report::cluster_ids(&self.conn, filter)
    }
    fn cluster(&self, id: Id) -> Result<Option<ClusterDetail>, Error> {
        report::cluster(&self.conn, id)
    }
    fn figures(&self, filter: &ClusterFilter) -> Result<Figures, Error> {
        report::figures(&self.conn, filter)
    }
    fn review(
        &mut self,
        decision: &Decision,
        policy: crate::dedup::CanonicalPolicy,
    ) -> Result<Id, Error> {
        // IMMEDIATE: the write lock is taken before the decision reads the
        // clusters, so a run committing meanwhile makes it wait (up to the
        // busy timeout), never fail half-way with a stale snapshot.
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let cluster = review::apply(&tx, decision, policy)?;
        tx.commit()?;
        Ok(cluster)
    }
    fn undo_decision(
        &mut self,
        decision: Id,
        policy: crate::dedup::CanonicalPolicy,
    ) -> Result<Id, Error> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let cluster = undo::undo(&tx, decision, policy)?;
        tx.commit()?;
        Ok(cluster)
    }
    fn cluster_summaries(&self) -> Result<Vec<ClusterSummary>, Error> {
        queue::cluster_summaries(&self.conn)
    }
    fn recent_decisions(&self, limit: usize) -> Result<Vec<RecentDecision>, Error> {
        queue::recent_decisions(&self.conn, limit)
    }
    fn clusters_with_reprints(&self, limit: usize) -> Result<Vec<ClusterView>, Error> {
        read::clusters_with_reprints(&self.conn, limit)
    }
}

impl IndexStore for SqliteStore {
    fn index_state(&self) -> Result<IndexState, Error> {
        reindex::index_state(&self.conn)
    }
    fn candidate_floor(&self, window: Option<&MatchWindow>) -> Result<Id, Error> {
        dedup::candidate_floor(&self.conn, window)
    }
    fn exact_candidate(&self, key: &[u8; 16], scope: &CandidateScope) -> Result<Option<Id>, Error> {
        dedup::exact_candidate(&self.conn, key, scope)
    }
    fn band_hits(&self, keys: &[u32], scope: &CandidateScope) -> Result<Vec<(Id, u32)>, Error> {
        dedup::band_hits(&self.conn, keys, scope)
    }
    fn posting_hits(
        &self,
        keys: &[u32],
        scope: &CandidateScope,
        cap: usize,
    ) -> Result<Vec<(Id, u32)>, Error> {
        dedup::posting_hits(&self.conn, keys, scope, cap)
    }
    fn indexed_cores(&self, ids: &[Id]) -> Result<Vec<IndexedCore>, Error> {
        dedup::indexed_cores(&self.conn, ids)
    }
    fn secondary_cores(&self, root: Id, scope: &CandidateScope) -> Result<u32, Error> {
        dedup::secondary_cores(&self.conn, root, scope)
    }
    fn begin_reindex(&mut self, restart: bool) -> Result<ReindexProgress, Error> {
        reindex::begin(&mut self.conn, restart)
    }
    fn reindex_batch(&self, after: Id, limit: usize) -> Result<Vec<ReindexArticle>, Error> {
        reindex::batch(&self.conn, after, limit)
    }
    fn save_reindexed(&mut self, r: &Reindexed<'_>) -> Result<(), Error> {
        reindex::save(&mut self.conn, r)
    }
    fn finish_reindex(&mut self) -> Result<(), Error> {
        reindex::finish(&self.conn)
    }
}

use crate::store::rules::{deflate, inflate, now};

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_index;
#[cfg(test)]
mod tests_undo;
