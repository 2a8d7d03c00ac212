//! What the store tells cron users about past runs: each run's times,
//! status and counts ([`RunRow`]), and its failures grouped by outlet and
//! cause ([`ErrorGroup`]), and each outlet's state ([`OutletState`]).
//! Plain data read by `wirecopy runs`, `wirecopy errors` and `wirecopy
//! sources list`.

use serde::Serialize;

use super::Id;

/// One run as `wirecopy runs list` shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RunRow {
    /// The run's id (for `report --run ID`, `errors --run ID`).
    pub id: Id,
    /// When it started and finished (RFC 3339, UTC); unfinished: `None`.
    pub started_at: String,
    /// When it finished, if it did.
    pub finished_at: Option<String>,
    /// `ok`, `failed`, `partial`, `interrupted` or `running`.
    pub status: String,
    /// Outlets run, and how many of them failed.
    pub outlets: i64,
    /// Outlets that failed.
    pub outlets_failed: i64,
    /// Pages fetched.
    pub fetched: i64,
    /// Sources answered "not modified".
    pub not_modified: i64,
    /// Articles stored.
    pub new_articles: i64,
    /// Clusters founded.
    pub new_clusters: i64,
    /// Articles that joined a cluster.
    pub reprints: i64,
    /// Failures recorded.
    pub errors: i64,
}

/// Failures of one outlet at one stage, as `wirecopy errors` groups them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ErrorGroup {
    /// The outlet (empty when the failure belongs to no outlet).
    pub outlet: String,
    /// Where it failed: `fetch`, `clean`, `store`, `budget`, …
    pub stage: String,
    /// How many failures.
    pub count: i64,
    /// The most recent one's message.
    pub message: String,
    /// The most recent one's URL.
    pub url: String,
    /// When the most recent one happened.
    pub at: String,
}

/// One outlet's state as `wirecopy sources list` shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct OutletState {
    /// The outlet's name.
    pub name: String,
    /// Articles stored from it.
    pub articles: i64,
    /// When one of its URLs was last fetched without an error (RFC 3339).
    pub last_ok: Option<String>,
    /// Its most recent recorded failure's message.
    pub last_error: Option<String>,
    /// When that failure happened.
    pub last_error_at: Option<String>,
}
