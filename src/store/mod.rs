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

mod error;
mod history;
mod index;
mod lock;
mod open;
mod postgres;
mod queue;
mod rules;
mod sqlite;
#[cfg(test)]
pub(crate) mod tests;
mod view;

pub use self::postgres::{is_postgres_url, PostgresStore};
pub use error::Error;
pub use history::{ErrorGroup, OutletState, RunRow};
pub use index::{
    CandidateScope, CoreEntry, IndexEntry, IndexState, IndexStore, IndexedCore, ReindexArticle,
    ReindexProgress, Reindexed,
};
pub use lock::{Lock, LockError};
pub use open::Database;
pub use queue::{ClusterSummary, MemberSummary, RecentDecision};
pub use sqlite::SqliteStore;
pub use view::{
    ArticleDetail, ArticleInfo, ClusterDetail, ClusterFilter, DecisionRecord, Figures,
    MemberDetail, OutletFigures, ReprintFlow,
};

use serde::Serialize;

/// Identifies a row.
pub type Id = i64;

/// An outlet as stored (from sources.toml).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutletRow {
    /// Its unique name.
    pub name: String,
    /// Its home page.
    pub homepage: String,
    /// True if and only if it is a news agency.
    pub agency: bool,
}

/// What a URL is to its outlet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UrlKind {
    /// An RSS or Atom feed.
    Feed,
    /// A sitemap or sitemap index.
    Sitemap,
    /// A listing page scanned for links.
    Section,
    /// An article page.
    Article,
}

impl UrlKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            UrlKind::Feed => "feed",
            UrlKind::Sitemap => "sitemap",
            UrlKind::Section => "section",
            UrlKind::Article => "article",
        }
    }
}

/// The fetch state of one URL.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UrlState {
    /// Last HTTP status, if a response came.
    pub status: Option<u16>,
    /// ETag validator of the last good response.
    pub etag: Option<String>,
    /// Last-Modified validator of the last good response.
    pub last_modified: Option<String>,
    /// When it was last fetched (RFC 3339).
    pub fetched_at: Option<String>,
    /// The last error, if the last fetch failed.
    pub error: Option<String>,
    /// The article read from it, if any.
    pub article: Option<Id>,
}

/// The outcome of one fetch, for [`Store::record_fetch`].
#[derive(Clone, Debug)]
pub struct FetchRecord<'a> {
    /// The run it happened in.
    pub run: Id,
    /// The outlet it was for.
    pub outlet: &'a str,
    /// The URL fetched.
    pub url: &'a str,
    /// What the URL is.
    pub kind: UrlKind,
    /// HTTP status, if a response came (304 for not modified).
    pub status: Option<u16>,
    /// Validators to send next time (kept from before when `None`).
    pub etag: Option<&'a str>,
    /// Validators to send next time (kept from before when `None`).
    pub last_modified: Option<&'a str>,
    /// The error, if the fetch or a later stage failed.
    pub error: Option<&'a str>,
    /// Which stage failed (`fetch`, `clean`, `discover`).
    pub stage: Option<&'a str>,
}

/// A new article and everything derived from its page, for [`Store::save_article`].
#[derive(Clone, Debug)]
pub struct NewArticle<'a> {
    /// The fetch that produced it (kind is `Article`).
    pub fetch: FetchRecord<'a>,
    /// The URL after redirects, or the page's canonical URL.
    pub final_url: &'a str,
    /// The raw page bytes (stored compressed while retention allows).
    pub html: &'a [u8],
    /// The cleaned article. Its `canonical_url` names a twin on the page's
    /// own site, or is `None`.
    pub article: &'a crate::clean::Article,
    /// A canonical URL on another site the page claims to reprint: kept in
    /// `claimed_canonical`, shown in reports, never used as an address.
    pub claimed_canonical: Option<&'a str>,
    /// Its text as the dedup stage compares it (datelines, credits and
    /// chrome lines removed; case, quotes, look-alike letters folded).
    pub normalized: &'a str,
    /// Its fingerprint.
    pub fingerprint: &'a crate::dedup::Fingerprint,
    /// Where the dedup index put it.
    pub cluster: ClusterPlacement,
    /// How clusters choose their canonical article.
    pub policy: crate::dedup::CanonicalPolicy,
    /// What it files in the dedup index (see [`IndexStore`]); `None` saves
    /// it where no later article can match it.
    pub index: Option<&'a IndexEntry>,
}

/// How the dedup index placed a new article.
///
/// The store, not the index, owns cluster membership: a new article joins
/// the cluster its matched article is in *now* (after any review decision
/// moved it), or founds a new cluster. The canonical is then re-chosen by
/// the canonical policy unless a reviewer fixed it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ClusterPlacement {
    /// The stored article it matched, if any.
    pub matched: Option<Id>,
    /// Its relation to that article ([`crate::dedup::Relation::Canonical`] when it matched none).
    pub relation: crate::dedup::Relation,
    /// The score of that relation.
    pub similarity: f64,
    /// What the canonical policy knows about the new article.
    pub meta: crate::dedup::DocMeta,
}

/// The articles new reprints may match: those published, or fetched, since
/// a moment. Agency copy is reprinted within days; older clusters stay in
/// the store and in reports, but a run never compares them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatchWindow {
    /// The window's start as Unix seconds (for `published`).
    pub since_ts: i64,
    /// The same moment in the store's time format (for `fetched_at`).
    pub since: String,
}

impl MatchWindow {
    /// Returns the window of the last `days` days before `now`, or `None`
    /// for 0 (no window).
    pub fn days(days: u32, now: chrono::DateTime<chrono::Utc>) -> Option<MatchWindow> {
        (days > 0).then(|| {
            let start = now - chrono::Duration::days(i64::from(days));
            MatchWindow {
                since_ts: start.timestamp(),
                since: start.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            }
        })
    }
}

/// Counts of one run, as the summary line shows them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RunCounts {
    /// Outlets processed.
    pub outlets: u64,
    /// Outlets where something failed.
    pub outlets_failed: u64,
    /// Pages fetched with a 200.
    pub fetched: u64,
    /// Requests answered 304 Not Modified.
    pub not_modified: u64,
    /// New articles stored.
    pub new_articles: u64,
    /// New clusters founded.
    pub new_clusters: u64,
    /// Articles that joined an existing cluster.
    pub reprints: u64,
    /// Of those, articles the dedup index matched with nothing, placed by
    /// the canonical URL they claim (not stored in the runs table).
    pub claims_joined: u64,
    /// Failures (fetch, clean, discover).
    pub errors: u64,
}

/// Totals over the whole database.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Articles stored.
    pub articles: u64,
    /// Clusters.
    pub clusters: u64,
    /// Clusters with more than one member.
    pub clusters_with_reprints: u64,
    /// URLs known.
    pub urls: u64,
    /// Runs recorded.
    pub runs: u64,
}

/// A cluster as listings show it: the canonical, then the other members.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClusterView {
    /// The cluster's id.
    pub id: Id,
    /// The canonical article.
    pub canonical: ArticleInfo,
    /// Every other member with its relation and similarity, by article id.
    pub members: Vec<(ArticleInfo, String, f64)>,
}

/// What a reviewer decided about a cluster.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DecisionKind {
    /// This article is not a reprint of this story: it leaves for a cluster of its own.
    Split,
    /// These two clusters are one story.
    Merge,
    /// This member is the canonical version (and stays so).
    Canonical,
    /// The cluster is right as it is.
    Confirm,
}

impl DecisionKind {
    /// The name stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            DecisionKind::Split => "split",
            DecisionKind::Merge => "merge",
            DecisionKind::Canonical => "canonical",
            DecisionKind::Confirm => "confirm",
        }
    }
}

/// One review decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Decision {
    /// What was decided.
    pub kind: DecisionKind,
    /// The cluster it is about.
    pub cluster: Id,
    /// The article (split, canonical).
    pub article: Option<Id>,
    /// The other cluster (merge).
    pub other: Option<Id>,
    /// The reviewer's note.
    pub note: Option<String>,
}

/// Why a review decision was refused.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    /// No such cluster.
    #[error("there is no cluster {0}; `wirecopy clusters list` shows them")]
    NoCluster(Id),
    /// The article is not in that cluster.
    #[error("article {article} is not in cluster {cluster}; `wirecopy clusters show {cluster}` lists its members")]
    NotMember {
        /// The cluster named.
        cluster: Id,
        /// The article named.
        article: Id,
    },
    /// Splitting the only member.
    #[error("article {article} is the only member of cluster {cluster}: nothing to split")]
    Alone {
        /// The cluster named.
        cluster: Id,
        /// The article named.
        article: Id,
    },
    /// A merge of a cluster with itself.
    #[error("cannot merge cluster {0} with itself")]
    SameCluster(Id),
    /// Split and canonical need an article.
    #[error("this decision needs an article id")]
    NeedsArticle,
    /// Merge needs a second cluster.
    #[error("a merge needs a second cluster id")]
    NeedsOther,
    /// Undo names a decision that is not the newest one.
    #[error("decision {asked} is not the last one ({}); only the last decision can be undone", .last.map_or("there are none".to_string(), |l| format!("the last is {l}")))]
    NotLast {
        /// The decision named.
        asked: Id,
        /// The newest decision recorded, if any.
        last: Option<Id>,
    },
    /// The decision cannot be undone (a merge recorded before undo kept
    /// what it moved, or a kind this build does not know).
    #[error(
        "decision {0} cannot be undone (it predates undo records); split the articles out instead"
    )]
    NoUndo(Id),
}

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
