//! What the pipeline hands the store and reads back about fetching: outlets,
//! URLs and their fetch state, a fetch's outcome, a new article with its
//! placement, the matching window, and a run's counts.

use serde::Serialize;

use super::{Id, IndexEntry};

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

/// The outcome of one fetch, for [`Store::record_fetch`](super::Store::record_fetch).
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

/// A new article and everything derived from its page, for [`Store::save_article`](super::Store::save_article).
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
    /// What it files in the dedup index (see [`IndexStore`](super::IndexStore)); `None` saves
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
