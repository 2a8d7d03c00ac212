//! The store stage: everything a run learns, kept between runs.
//!
//! [`Store`] is the interface the pipeline and the reports use. It has two
//! implementations: [`SqliteStore`] (the embedded default, `./wirecopy.db`;
//! `sqlite/`, the only module that uses rusqlite) and [`PostgresStore`]
//! (`postgres://…`, for many cron hosts on one server; `postgres/`, the
//! only module that uses the `postgres` crate). [`Database`] opens either
//! from `--db` or `[storage]`. Both pass one test suite (`tests/`).
//!
//! What is kept: outlets; every URL with its fetch state (status, ETag,
//! Last-Modified, last fetch, last error); raw HTML, compressed, for
//! `retention_days`; articles with their metadata, cleaned text and
//! fingerprint; clusters with their canonical article and each member's
//! relation; runs with their counts; and every fetch error.
//!
//! The dedup index lives here too ([`IndexStore`], `index.rs`): each
//! article files its keys and, for a core, its features when it is saved,
//! and a run looks candidates up by key instead of loading the archive.
//!
//! Atomicity: [`Store::save_article`] writes a page and everything derived
//! from it (its index entry included) in one transaction, so a crash loses at most the pages in flight
//! and the next run picks up where this one stopped, without duplicates.

mod decision;
mod error;
mod history;
mod index;
mod lock;
mod open;
mod postgres;
mod queue;
mod record;
mod rules;
mod sqlite;
#[cfg(test)]
pub(crate) mod tests;
mod view;

pub use self::postgres::{is_postgres_url, PostgresStore};
pub use decision::{ClusterView, Decision, DecisionKind, ReviewError};
pub use error::Error;
pub use history::{ErrorGroup, OutletState, RunRow};
pub use index::{
    CandidateScope, CoreEntry, IndexEntry, IndexState, IndexStore, IndexedCore, ReindexArticle,
    ReindexProgress, Reindexed,
};
pub use lock::{Lock, LockError};
pub use open::Database;
pub use queue::{ClusterSummary, MemberSummary, RecentDecision};
pub use record::{
    ClusterPlacement, FetchRecord, MatchWindow, NewArticle, OutletRow, RunCounts, Totals, UrlKind,
    UrlState,
};
pub use sqlite::SqliteStore;
pub use view::{
    ArticleDetail, ArticleInfo, ClusterDetail, ClusterFilter, DecisionRecord, Figures,
    MemberDetail, OutletFigures, ReprintFlow,
};

/// Identifies a row.
pub type Id = i64;

/// The storage interface: what the pipeline and reports need. The dedup
/// index's part is [`IndexStore`].
pub trait Store: IndexStore {
    /// Names the database for messages: its file, or its server and name.
    fn location(&self) -> String;
    /// Records the start of a run; returns its id.
    fn begin_run(&mut self) -> Result<Id, Error>;
    /// Marks every run still `running` as `interrupted` (killed, or the
    /// machine went down), with the counts its rows tell: new articles, new
    /// clusters, reprints, errors and failed outlets, pages fetched as at
    /// least the articles stored, and the time of its last row as its end.
    /// Returns how many runs it marked.
    ///
    /// Call it only while holding the run [`Lock`]: then no run is live.
    fn close_interrupted_runs(&mut self) -> Result<u64, Error>;
    /// Records the end of a run with its counts and status (`ok`, `partial`, `failed`).
    fn finish_run(&mut self, run: Id, counts: &RunCounts, status: &str) -> Result<(), Error>;
    /// Gives the clusters `run` created their ids in a fixed order, the same
    /// whatever order their articles arrived in: the clusters trade ids
    /// among themselves by their earliest member (publication time, outlet
    /// name, URL path), and those a decision names keep theirs. Returns how
    /// many changed id. In one transaction: on error nothing changed.
    fn number_run_clusters(&mut self, run: Id) -> Result<u64, Error>;
    /// Inserts or updates the outlets of the config.
    fn sync_outlets(&mut self, outlets: &[OutletRow]) -> Result<(), Error>;
    /// Returns the fetch state of a URL, if it is known. Its `article` is
    /// also set when another URL's article names this one as its address
    /// (redirect target or canonical URL).
    fn url_state(&self, url: &str) -> Result<Option<UrlState>, Error>;
    /// Returns the article stored under this address (requested, final or
    /// canonical URL), if any. A canonical URL another site's article merely
    /// claims (`claimed_canonical`) is not an address of that article.
    fn article_at(&self, url: &str) -> Result<Option<Id>, Error>;
    /// Returns an article's cleaned text, if the article exists.
    fn article_text(&self, article: Id) -> Result<Option<String>, Error>;
    /// Records a fetch that produced no article (feed, 304, error …).
    fn record_fetch(&mut self, record: &FetchRecord<'_>) -> Result<(), Error>;
    /// Opens a batch: the writes that follow share one transaction until
    /// [`Store::end_batch`] commits it, so a bulk load (`wirecopy import`)
    /// pays one commit per batch instead of one per article. Each write
    /// stays atomic inside the batch; a crash loses the open batch (an
    /// import run again skips what was stored). The default does nothing:
    /// each write commits on its own.
    fn begin_batch(&mut self) -> Result<(), Error> {
        Ok(())
    }
    /// Commits the open batch, if there is one. The default does nothing.
    fn end_batch(&mut self) -> Result<(), Error> {
        Ok(())
    }
    /// Stores a new article with its page, fetch state and cluster
    /// placement, all in one transaction. Returns the article's id and
    /// its cluster's id.
    fn save_article(&mut self, new: &NewArticle<'_>) -> Result<(Id, Id), Error>;
    /// Drops raw HTML fetched more than `days` days ago; returns pages dropped.
    fn prune_raw_html(&mut self, days: u32) -> Result<usize, Error>;
    /// Returns the raw HTML kept for an article, if retention still has it.
    fn raw_html(&self, article: Id) -> Result<Option<Vec<u8>>, Error>;
    /// Returns totals over the whole database.
    fn totals(&self) -> Result<Totals, Error>;
    /// Returns the names of the outlets the database knows, sorted.
    fn outlet_names(&self) -> Result<Vec<String>, Error>;
    /// Returns the ids of the most recent runs, newest first, at most `limit`.
    fn recent_runs(&self, limit: usize) -> Result<Vec<Id>, Error>;
    /// Returns the most recent runs, newest first, at most `limit`.
    fn runs(&self, limit: usize) -> Result<Vec<RunRow>, Error>;
    /// Returns the recorded failures, of one run or of all, grouped by
    /// outlet and stage, the largest groups first.
    fn error_groups(&self, run: Option<Id>) -> Result<Vec<ErrorGroup>, Error>;
    /// Returns every outlet the database knows with its articles stored,
    /// last successful fetch and last recorded failure, by name.
    fn outlet_states(&self) -> Result<Vec<OutletState>, Error>;
    /// Returns the largest clusters that have reprints, biggest first.
    fn clusters_with_reprints(&self, limit: usize) -> Result<Vec<ClusterView>, Error>;
    /// Returns the ids of the clusters a filter selects, largest first.
    fn cluster_ids(&self, filter: &ClusterFilter) -> Result<Vec<Id>, Error>;
    /// Returns one cluster in full (members' text, decisions), if it exists.
    fn cluster(&self, id: Id) -> Result<Option<ClusterDetail>, Error>;
    /// Returns the summary figures over a filter's scope (all cluster sizes).
    fn figures(&self, filter: &ClusterFilter) -> Result<Figures, Error>;
    /// Applies and records a review decision; returns the cluster it produced.
    fn review(
        &mut self,
        decision: &Decision,
        policy: crate::dedup::CanonicalPolicy,
    ) -> Result<Id, Error>;
    /// Undoes decision `decision`, which must be the newest recorded, and
    /// deletes its record; returns the cluster it was about.
    ///
    /// Errors with [`ReviewError::NotLast`] when a newer decision exists
    /// (another tab decided meanwhile), and changes nothing then.
    fn undo_decision(
        &mut self,
        decision: Id,
        policy: crate::dedup::CanonicalPolicy,
    ) -> Result<Id, Error>;
    /// Returns every cluster of two or more members, by id, without texts
    /// (for the review app's list).
    fn cluster_summaries(&self) -> Result<Vec<ClusterSummary>, Error>;
    /// Returns the most recent review decisions over all clusters, newest
    /// first, at most `limit`.
    fn recent_decisions(&self, limit: usize) -> Result<Vec<RecentDecision>, Error>;

    // Sharing one database between runs on many hosts. A SQLite database
    // has one run at a time (the run [`Lock`]), so there these do nothing.

    /// Claims outlet `name` for this run without waiting. Returns true if
    /// and only if no other run holds it; a run fetches only the outlets it
    /// claimed. The claim ends with [`Store::release_outlet`] or when the
    /// store is dropped (even by a crash).
    fn claim_outlet(&mut self, name: &str) -> Result<bool, Error> {
        let _ = name;
        Ok(true)
    }
    /// Releases a claim [`Store::claim_outlet`] took.
    fn release_outlet(&mut self, name: &str) -> Result<(), Error> {
        let _ = name;
        Ok(())
    }
    /// Waits until no other run is placing an article under any of these
    /// band keys, and holds them until [`Store::unlock_candidates`]: call
    /// it before looking up an article's candidates and unlock after its
    /// save, and two runs storing copies of one story at the same moment
    /// place the second against the first.
    fn lock_candidates(&mut self, band_keys: &[u32]) -> Result<(), Error> {
        let _ = band_keys;
        Ok(())
    }
    /// Releases what [`Store::lock_candidates`] took.
    fn unlock_candidates(&mut self, band_keys: &[u32]) -> Result<(), Error> {
        let _ = band_keys;
        Ok(())
    }
}
