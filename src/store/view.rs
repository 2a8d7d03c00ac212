//! What the store gives to reports and the `clusters` command: clusters with
//! their members' text, decisions, and aggregate figures, selected by a
//! [`ClusterFilter`].

use serde::Serialize;

use super::{DecisionKind, Id};

/// Which clusters a report covers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClusterFilter {
    /// Only clusters with a member fetched at or after this time (RFC 3339).
    pub since: Option<String>,
    /// Only clusters with a member stored by this run.
    pub run: Option<Id>,
    /// Only clusters with a member from this outlet.
    pub outlet: Option<String>,
    /// Only clusters with at least this many members (1 includes singletons).
    pub min_size: usize,
    /// Only these clusters.
    pub ids: Option<Vec<Id>>,
    /// At most this many clusters, largest first (None: all).
    pub limit: Option<usize>,
}

/// An article as listings and reports show it (everything but its text).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ArticleInfo {
    /// Its id (for `wirecopy review`).
    pub id: Id,
    /// The outlet's name.
    pub outlet: String,
    /// True if and only if the outlet is a news agency.
    pub outlet_is_agency: bool,
    /// Where it was fetched.
    pub url: String,
    /// Headline.
    pub title: Option<String>,
    /// Publication time (RFC 3339).
    pub published: Option<String>,
    /// When wirecopy fetched it (RFC 3339).
    pub fetched_at: String,
    /// The agency credited.
    pub agency: Option<String>,
    /// The dateline.
    pub dateline: Option<String>,
    /// Words in its text after normalisation.
    pub words: u32,
    /// The canonical URL on another site that the page names as its
    /// original (`rel=canonical`): a claim of syndication. `None` when the
    /// page names none or names its own site.
    pub claims_canonical: Option<String>,
    /// The byline, if the page gave one.
    pub byline: Option<String>,
    /// The article's language (BCP 47), if known.
    pub lang: Option<String>,
}

/// An article with its text.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ArticleDetail {
    /// Everything but the text.
    #[serde(flatten)]
    pub info: ArticleInfo,
    /// The cleaned text.
    pub text: String,
}

/// A member of a cluster.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MemberDetail {
    /// The article.
    pub article: ArticleDetail,
    /// Its relation to the canonical (`exact`, `near`, `excerpt`, `rewrite`).
    pub relation: String,
    /// The score of that relation (0–1).
    pub similarity: f64,
}

/// A recorded review decision.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DecisionRecord {
    /// What was decided.
    pub kind: DecisionKind,
    /// The article it named, if any.
    pub article: Option<Id>,
    /// The other cluster (merges).
    pub other: Option<Id>,
    /// The reviewer's note.
    pub note: Option<String>,
    /// When (RFC 3339).
    pub at: String,
}

/// A cluster with its canonical, members and decisions.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClusterDetail {
    /// Its id.
    pub id: Id,
    /// The canonical article.
    pub canonical: ArticleDetail,
    /// True if and only if a reviewer chose the canonical.
    pub canonical_locked: bool,
    /// When a reviewer confirmed the cluster, if they did.
    pub confirmed_at: Option<String>,
    /// The other members, oldest first.
    pub members: Vec<MemberDetail>,
    /// Review decisions about it, oldest first.
    pub decisions: Vec<DecisionRecord>,
}

/// One outlet's share of the clusters in scope.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct OutletFigures {
    /// The outlet.
    pub outlet: String,
    /// True if and only if it is a news agency.
    pub agency: bool,
    /// Its articles in scope.
    pub articles: u64,
    /// Of those, reprints (members of a cluster whose canonical is another article).
    pub reprints: u64,
}

impl OutletFigures {
    /// Returns the share of its articles that are reprints (0.0–1.0).
    pub fn reprint_rate(&self) -> f64 {
        if self.articles == 0 {
            0.0
        } else {
            self.reprints as f64 / self.articles as f64
        }
    }
}

/// How one outlet reprints one agency.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ReprintFlow {
    /// The reprinting outlet.
    pub outlet: String,
    /// The agency outlet whose article is canonical.
    pub agency: String,
    /// Reprints counted.
    pub reprints: u64,
    /// Median minutes between the agency's publication and the reprint's
    /// (falls back to fetch times when a date is missing).
    pub median_minutes: Option<f64>,
}

/// Aggregate figures over the clusters in scope.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Figures {
    /// Clusters in scope (any size).
    pub clusters: u64,
    /// Of those, clusters with more than one member.
    pub clusters_with_reprints: u64,
    /// Articles that are not their cluster's canonical.
    pub reprints: u64,
    /// Clusters of one article.
    pub singletons: u64,
    /// Per outlet, by name.
    pub outlets: Vec<OutletFigures>,
    /// Who reprints which agency, most reprints first.
    pub flows: Vec<ReprintFlow>,
}
