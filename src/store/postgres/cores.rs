//! Every cluster keeps a primary core in the stored dedup index after a
//! review decision: PostgreSQL's [`ensure_core`], the same repair as
//! `store/sqlite/cores.rs` (whose docs tell why it is needed).

use postgres::Transaction;

use super::dedup::file;
use super::schema::CORE_PRIMARY;
use super::statements::uncached;
use crate::store::rules::primary_core_entry;
use crate::store::{Error, Id};

/// Files the canonical of `cluster` as a primary core if no member of the
/// cluster is one. Articles never filed in the index are left alone.
pub(super) fn ensure_core(tx: &mut Transaction<'_>, cluster: Id) -> Result<(), Error> {
    let has_core: bool = tx
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM members m JOIN dedup_docs d ON d.article_id = m.article_id
                 WHERE m.cluster_id = $1 AND d.core = $2)",
            &[&cluster, &CORE_PRIMARY],
        )?
        .try_get(0)?;
    if has_core {
        return Ok(());
    }
    let Some(row) = tx.query_opt(
        "SELECT a.id, a.text, a.agency_own, d.published_ts, d.fetched_at, d.exact_key
         FROM clusters c JOIN articles a ON a.id = c.canonical_id
         JOIN dedup_docs d ON d.article_id = a.id
         WHERE c.id = $1",
        &[&cluster],
    )?
    else {
        return Ok(());
    };
    let article: Id = row.try_get(0)?;
    let text: String = row.try_get(1)?;
    let published_ts: Option<i64> = row.try_get(3)?;
    let fetched_at: String = row.try_get(4)?;
    let exact: Option<Vec<u8>> = row.try_get(5)?;
    let entry = primary_core_entry(&text, row.try_get(2)?, exact.as_deref());
    // Filed again from scratch: a secondary core becomes the primary one.
    tx.execute("DELETE FROM dedup_bands WHERE core = $1", &[&article])?;
    tx.execute("DELETE FROM dedup_postings WHERE core = $1", &[&article])?;
    tx.execute("DELETE FROM dedup_docs WHERE article_id = $1", &[&article])?;
    uncached(tx, |c| file(c, article, published_ts, &fetched_at, &entry))
}
