//! Review decisions as the store takes them (what a reviewer decided, and
//! why one was refused), and the cluster listing they are taken from.

use serde::Serialize;

use super::{ArticleInfo, Id};

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
