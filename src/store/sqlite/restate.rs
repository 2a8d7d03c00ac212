//! Members restated against their cluster's canonical.
//!
//! Owns the one definition of a member's relation and similarity in the
//! store: how the member relates to the cluster's *current* canonical text
//! (`wirecopy::dedup::compare`, then the partial-reuse alignment, in
//! `store/rules.rs`), not to
//! whichever article it happened to match when it arrived. Called whenever
//! a cluster's canonical or membership changes (a review decision, a new
//! article that takes the canonical's place), so a report never shows a
//! score against a text that is no longer the canonical. A member that no
//! rule relates to the canonical (two stories a reviewer merged) is stated
//! as `merged`, with the aligned share of the shorter text as its score.

use rusqlite::{params, Connection};

use crate::dedup::sketch;
use crate::store::rules::relation_to_canonical;
use crate::store::{Error, Id};

/// Restates every member of `cluster` against its canonical.
pub(super) fn restate(tx: &Connection, cluster: Id) -> Result<(), Error> {
    let canonical: Option<(Id, String)> = tx
        .query_row(
            "SELECT a.id, a.text FROM clusters c JOIN articles a ON a.id = c.canonical_id WHERE c.id = ?1",
            [cluster],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map(Some)
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(None),
            e => Err(e),
        })?;
    let Some((canonical_id, canonical_text)) = canonical else {
        return Ok(());
    };
    let members: Vec<(Id, String)> = tx
        .prepare_cached(
            "SELECT a.id, a.text FROM members m JOIN articles a ON a.id = m.article_id
             WHERE m.cluster_id = ?1 AND a.id <> ?2",
        )?
        .query_map(params![cluster, canonical_id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<Result<_, _>>()?;
    let of_canonical = sketch(&canonical_text);
    let mut update = tx.prepare_cached(
        "UPDATE members SET relation = ?2, similarity = ?3, matched_id = ?4 WHERE article_id = ?1",
    )?;
    tx.prepare_cached(
        "UPDATE members SET relation = 'canonical', similarity = 1.0, matched_id = NULL WHERE article_id = ?1",
    )?
    .execute([canonical_id])?;
    for (id, text) in members {
        let (relation, similarity) = relation_to_canonical(&sketch(&text), &of_canonical);
        update.execute(params![id, relation, similarity, canonical_id])?;
    }
    Ok(())
}
