//! The report stage: stored clusters → a review document.
//!
//! [`Report::build`] reads the clusters a [`ClusterFilter`] selects from any
//! [`Store`], diffs every member against its canonical word by word, flags
//! doubtful members (a similarity just above the threshold that admitted
//! them) and lists them first, and adds the summary figures. The renderers
//! write it out: [`html`] (one self-contained file), [`markdown`], [`json`]
//! (schema in `docs/report.md`). Rendering never fails on content: every
//! scraped string is escaped for its format.

pub mod actions;
mod diff;
pub mod export;
pub mod html;
pub mod json;
pub mod markdown;
mod numbers;

pub use diff::{word_diff, Span, WordDiff};
pub use numbers::{counted, similarity};

use serde::Serialize;

use crate::dedup::compare::{EXCERPT_CONTAINMENT, NEAR_JACCARD, REWRITE_ANCHOR_LCS};
use crate::store::{
    ArticleInfo, ClusterDetail, ClusterFilter, DecisionRecord, Error, Figures, Id, Store,
};

/// How close to its relation's threshold a similarity must be to flag the
/// member as doubtful.
pub const DOUBT_MARGIN: f64 = 0.1;

/// One member of a reported cluster.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MemberReport {
    /// The article.
    pub article: ArticleInfo,
    /// `exact`, `near`, `excerpt`, `rewrite` or `partial`.
    pub relation: String,
    /// The relation's score.
    pub similarity: f64,
    /// True if and only if the score is within [`DOUBT_MARGIN`] of its threshold.
    pub doubtful: bool,
    /// How it differs from the canonical.
    pub diff: WordDiff,
}

/// One reported cluster.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClusterReport {
    /// Its id (for `wirecopy review`).
    pub id: Id,
    /// The canonical article.
    pub canonical: ArticleInfo,
    /// True if and only if a reviewer chose the canonical.
    pub canonical_locked: bool,
    /// When a reviewer confirmed it.
    pub confirmed_at: Option<String>,
    /// Members, doubtful ones first, then by id.
    pub members: Vec<MemberReport>,
    /// Review decisions, oldest first.
    pub decisions: Vec<DecisionRecord>,
}

impl ClusterReport {
    /// Returns the number of doubtful members.
    pub fn doubtful(&self) -> usize {
        self.members.iter().filter(|m| m.doubtful).count()
    }
}

/// A whole report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// Report format version (see `docs/report.md`).
    pub version: u32,
    /// When it was made (RFC 3339).
    pub generated_at: String,
    /// What was selected, in words.
    pub scope: String,
    /// Summary figures over the scope.
    pub figures: Figures,
    /// The clusters, those with doubtful members first, then largest first.
    pub clusters: Vec<ClusterReport>,
    /// The database the report was read from, when it is not the default
    /// `wirecopy.db`: the review commands under each cluster name it.
    #[serde(skip)]
    pub database: Option<String>,
}

/// The version of the report's JSON shape.
pub const REPORT_VERSION: u32 = 1;

/// Returns true if and only if a member's score is close to the threshold
/// that admitted it.
pub fn is_doubtful(relation: &str, similarity: f64) -> bool {
    let threshold = match relation {
        "near" => NEAR_JACCARD,
        "excerpt" => EXCERPT_CONTAINMENT,
        "rewrite" => REWRITE_ANCHOR_LCS,
        // A partial reprint adds material of its own: always worth a look.
        "partial" => return true,
        _ => return false,
    };
    similarity < threshold + DOUBT_MARGIN
}

/// Diffs a cluster's members against its canonical and orders them.
fn prepare(c: &ClusterDetail) -> ClusterReport {
    let mut members: Vec<MemberReport> = c
        .members
        .iter()
        .map(|m| MemberReport {
            article: m.article.info.clone(),
            relation: m.relation.clone(),
            similarity: m.similarity,
            doubtful: is_doubtful(&m.relation, m.similarity),
            diff: word_diff(&c.canonical.text, &m.article.text),
        })
        .collect();
    members.sort_by_key(|m| (!m.doubtful, m.article.id));
    ClusterReport {
        id: c.id,
        canonical: c.canonical.info.clone(),
        canonical_locked: c.canonical_locked,
        confirmed_at: c.confirmed_at.clone(),
        members,
        decisions: c.decisions.clone(),
    }
}

fn describe(filter: &ClusterFilter) -> String {
    let mut parts = Vec::new();
    if let Some(since) = &filter.since {
        parts.push(format!("fetched since {since}"));
    }
    if let Some(run) = filter.run {
        parts.push(format!("stored by run {run}"));
    }
    if let Some(outlet) = &filter.outlet {
        parts.push(format!("with an article from {outlet}"));
    }
    parts.push(format!(
        "at least {}",
        counted(filter.min_size.max(1) as u64, "article", "articles")
    ));
    format!("clusters {}", parts.join(", "))
}

impl Report {
    /// Reads the clusters `filter` selects and prepares them for review.
    ///
    /// Errors if the store fails.
    pub fn build(store: &dyn Store, filter: &ClusterFilter) -> Result<Report, Error> {
        let figures = store.figures(filter)?;
        let mut details = Vec::new();
        for id in store.cluster_ids(filter)? {
            details.extend(store.cluster(id)?);
        }
        // Word diffs are the expensive part: spread them over the cores.
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(8);
        let chunk = details.len().div_ceil(threads).max(1);
        let mut clusters: Vec<ClusterReport> = std::thread::scope(|scope| {
            let handles: Vec<_> = details
                .chunks(chunk)
                .map(|part| scope.spawn(move || part.iter().map(prepare).collect::<Vec<_>>()))
                .collect();
            handles
                .into_iter()
                .flat_map(|h| {
                    h.join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
                .collect()
        });
        // Clusters needing a look come first; the store's order (largest
        // first) is kept otherwise.
        clusters.sort_by_key(|c| c.doubtful() == 0);
        Ok(Report {
            version: REPORT_VERSION,
            generated_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            scope: describe(filter),
            database: None,
            figures,
            clusters,
        })
    }
}
