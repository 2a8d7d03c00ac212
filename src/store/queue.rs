//! What the review app (`wirecopy serve`) lists: every cluster with
//! reprints as a short summary (no texts), and the recent decisions across
//! all clusters. The app filters, orders and pages these; the store only
//! reads them.

use serde::Serialize;

use super::{DecisionRecord, Id};

/// One article of a [`ClusterSummary`]: enough to list and filter it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MemberSummary {
    /// The article's id.
    pub article: Id,
    /// The outlet's name.
    pub outlet: String,
    /// Its headline.
    pub title: Option<String>,
    /// Its publication time, else when it was fetched (RFC 3339).
    pub date: String,
    /// Its relation to the canonical (`canonical` for the canonical itself).
    pub relation: String,
    /// The score of that relation (0–1).
    pub similarity: f64,
}

/// A cluster with more than one member, as a list shows it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClusterSummary {
    /// The cluster's id.
    pub id: Id,
    /// True if and only if a reviewer chose the canonical.
    pub canonical_locked: bool,
    /// When a reviewer confirmed it, if they did.
    pub confirmed_at: Option<String>,
    /// The canonical article.
    pub canonical: MemberSummary,
    /// The other members, by article id.
    pub members: Vec<MemberSummary>,
}

impl ClusterSummary {
    /// Returns every article of the cluster, the canonical first.
    pub fn articles(&self) -> impl Iterator<Item = &MemberSummary> {
        std::iter::once(&self.canonical).chain(&self.members)
    }
}

/// A decision with the ids that name it, for the list of recent decisions.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RecentDecision {
    /// The decision's own id (for undo).
    pub id: Id,
    /// The cluster it was about.
    pub cluster: Id,
    /// What was decided, and when.
    pub record: DecisionRecord,
}
