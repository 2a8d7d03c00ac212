//! What the index hands back: [`Assignment`] for one insert, [`Cluster`]
//! and [`Member`] for a listing.
//!
//! Plain data, no behaviour: the types cross into the store and the CLI.

use super::compare::Relation;

/// Where one inserted document went.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Assignment {
    /// The document's number: its position in insertion order.
    pub doc: u32,
    /// The cluster it joined or founded.
    pub cluster: u32,
    /// Its relation to the core it matched ([`Relation::Canonical`] for a
    /// founder, [`Relation::Exact`] for a normalised-text duplicate).
    pub relation: Relation,
    /// The score of that relation.
    pub similarity: f64,
    /// The document it was matched against, if any.
    pub matched: Option<u32>,
}

/// One member in a listing from [`super::Index::clusters`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Member {
    /// Document number.
    pub doc: u32,
    /// Relation to the canonical (as matched on insert; see [`super::Index::clusters`]).
    pub relation: Relation,
    /// Score of the relation.
    pub similarity: f64,
}

/// One cluster in a listing from [`super::Index::clusters`].
#[derive(Clone, Debug, PartialEq)]
pub struct Cluster {
    /// Cluster number: order of foundation.
    pub id: u32,
    /// The canonical document.
    pub canonical: u32,
    /// All members, the canonical first, then in insertion order.
    pub members: Vec<Member>,
}
