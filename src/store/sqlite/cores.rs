//! Every cluster keeps a primary core in the stored dedup index after a
//! review decision.
//!
//! The index matches new articles against cores only (see
//! [`crate::dedup::index`]), and a core leads to the cluster its article is
//! a member of. A split moves an article out of its cluster: when that
//! article was the cluster's only primary core, the cluster left behind has
//! none, and a later copy of its story would find only the split article
//! and follow it into the new cluster, against the reviewer's decision. A
//! split article that was no core at all leaves the new cluster without one
//! in the same way. [`ensure_core`] repairs both, in the decision's
//! transaction: it files the cluster's canonical as a primary core,
//! sketched from its stored text (an earlier in-memory index made the first
//! article of every stored cluster its core when it was rebuilt; this keeps
//! that guarantee without a rebuild).

use rusqlite::{params, Connection, OptionalExtension};

use super::dedup::file;
use super::schema::CORE_PRIMARY;
use crate::store::rules::primary_core_entry;
use crate::store::{Error, Id};

/// A cluster's canonical as [`ensure_core`] files it: id, text, whether it
/// is the agency's own copy, and its index row's times and exact key.
type Canonical = (Id, String, bool, Option<i64>, String, Option<Vec<u8>>);

/// Files the canonical of `cluster` as a primary core if no member of the
/// cluster is one. Articles never filed in the index (saved without an
/// entry) are left alone.
pub(super) fn ensure_core(tx: &Connection, cluster: Id) -> Result<(), Error> {
    let has_core: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM members m JOIN dedup_docs d ON d.article_id = m.article_id
             WHERE m.cluster_id = ?1 AND d.core = ?2)",
        params![cluster, CORE_PRIMARY],
        |r| r.get(0),
    )?;
    if has_core {
        return Ok(());
    }
    let row: Option<Canonical> = tx
        .query_row(
            "SELECT a.id, a.text, a.agency_own, d.published_ts, d.fetched_at, d.exact_key
             FROM clusters c JOIN articles a ON a.id = c.canonical_id
             JOIN dedup_docs d ON d.article_id = a.id
             WHERE c.id = ?1",
            [cluster],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            },
        )
        .optional()?;
    let Some((article, text, agency, published_ts, fetched_at, exact)) = row else {
        return Ok(());
    };
    let entry = primary_core_entry(&text, agency, exact.as_deref());
    // Filed again from scratch: a secondary core becomes the primary one.
    for table in ["dedup_bands", "dedup_postings"] {
        tx.execute(&format!("DELETE FROM {table} WHERE core = ?1"), [article])?;
    }
    tx.execute("DELETE FROM dedup_docs WHERE article_id = ?1", [article])?;
    file(tx, article, published_ts, &fetched_at, &entry)
}
