//! Fixed ids for the clusters a run created: PostgreSQL's queries around
//! the order in `store/rules.rs` ([`renumbering`]); `store/sqlite/numbering.rs`
//! says why a run's clusters are renumbered when it ends.
//!
//! On a shared server other runs are storing articles meanwhile, and an
//! article that joins a cluster by its id must not join it under an id that
//! has just moved to another story. The renumbering therefore locks
//! `clusters` against writers (`SHARE ROW EXCLUSIVE`) before it reads, and
//! every save takes `ROW EXCLUSIVE` on it before it reads a cluster id
//! (`write.rs`): a save waits for a renumbering in progress, and a
//! renumbering waits for the saves in progress. The ids move through
//! negative values, with the members' foreign key deferred to the commit
//! (it is declared `DEFERRABLE` for this).

use postgres::Client;

use super::review::lock_clusters;
use crate::store::rules::renumbering;
use crate::store::{Error, Id};

/// Gives the clusters `run` created their ids in a fixed order, in one
/// transaction. Returns how many changed id.
///
/// Errors if the database can't be read or written; then nothing changed.
pub(super) fn number_run_clusters(c: &mut Client, run: Id) -> Result<u64, Error> {
    let mut tx = c.transaction()?;
    lock_clusters(&mut tx)?;
    let members: Vec<(Id, Option<i64>, String, String)> = tx
        .query(
            "SELECT m.cluster_id, a.published_ts, o.name, a.url
             FROM clusters c
             JOIN members m ON m.cluster_id = c.id
             JOIN articles a ON a.id = m.article_id
             JOIN outlets o ON o.id = a.outlet_id
             WHERE c.created_run = $1
               AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.cluster_id = c.id)
             ORDER BY m.cluster_id",
            &[&run],
        )?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?)))
        .collect::<Result<_, postgres::Error>>()?;
    let moves = renumbering(&members);
    if moves.is_empty() {
        return Ok(0);
    }
    tx.batch_execute("SET CONSTRAINTS ALL DEFERRED")?;
    let (old, new): (Vec<Id>, Vec<Id>) = moves.iter().map(|&(o, n)| (o, -n)).unzip();
    tx.execute(
        "UPDATE clusters c SET id = m.new FROM unnest($1::bigint[], $2::bigint[]) AS m(old, new)
         WHERE c.id = m.old",
        &[&old, &new],
    )?;
    tx.execute(
        "UPDATE members x SET cluster_id = m.new FROM unnest($1::bigint[], $2::bigint[]) AS m(old, new)
         WHERE x.cluster_id = m.old",
        &[&old, &new],
    )?;
    tx.execute("UPDATE clusters SET id = -id WHERE id < 0", &[])?;
    tx.execute(
        "UPDATE members SET cluster_id = -cluster_id WHERE cluster_id < 0",
        &[],
    )?;
    tx.commit()?;
    Ok(moves.len() as u64)
}
