//! Members restated against their cluster's canonical: PostgreSQL's
//! queries around the one rule in `store/rules.rs` (see
//! `store/sqlite/restate.rs` for when and why).

use postgres::Transaction;

use crate::dedup::sketch;
use crate::store::rules::relation_to_canonical;
use crate::store::{Error, Id};

/// Restates every member of `cluster` against its canonical.
pub(super) fn restate(tx: &mut Transaction<'_>, cluster: Id) -> Result<(), Error> {
    let Some(row) = tx.query_opt(
        "SELECT a.id, a.text FROM clusters c JOIN articles a ON a.id = c.canonical_id WHERE c.id = $1",
        &[&cluster],
    )?
    else {
        return Ok(());
    };
    let canonical_id: Id = row.try_get(0)?;
    let canonical_text: String = row.try_get(1)?;
    let members: Vec<(Id, String)> = tx
        .query(
            "SELECT a.id, a.text FROM members m JOIN articles a ON a.id = m.article_id
             WHERE m.cluster_id = $1 AND a.id <> $2",
            &[&cluster, &canonical_id],
        )?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect::<Result<_, postgres::Error>>()?;
    let of_canonical = sketch(&canonical_text);
    tx.execute(
        "UPDATE members SET relation = 'canonical', similarity = 1.0, matched_id = NULL WHERE article_id = $1",
        &[&canonical_id],
    )?;
    let update = tx.prepare(
        "UPDATE members SET relation = $2, similarity = $3, matched_id = $4 WHERE article_id = $1",
    )?;
    for (id, text) in members {
        let (relation, similarity) = relation_to_canonical(&sketch(&text), &of_canonical);
        tx.execute(&update, &[&id, &relation, &similarity, &canonical_id])?;
    }
    Ok(())
}
