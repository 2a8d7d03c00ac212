//! Fixed ids for the clusters a run created.
//!
//! A run fetches its outlets concurrently, so the order in which their
//! articles reach the store, and with it the order in which clusters are
//! created and numbered, changes from one run to the next. Two fresh runs
//! over the same pages make the same clusters (as sets of articles) but
//! would number them differently, and an id quoted in a report, a ticket or
//! the README would name another story after a re-run.
//!
//! So when a run ends, the clusters it created trade ids among themselves:
//! the same set of ids, handed out in the order of each cluster's earliest
//! member (its publication time, then its outlet's name, then its URL's
//! path and query, which leave out the host and port). Clusters a reviewer
//! has already taken a decision on while the run went on keep their ids.
//! The ids of older clusters never change.

use rusqlite::{params, Transaction};

use super::super::{Error, Id};

/// What orders a cluster: its earliest member's publication time (none
/// last), outlet name and URL path.
type Key = (bool, i64, String, String);

/// Gives the clusters `run` created their ids in a fixed order (see the
/// module docs). Returns how many changed id.
///
/// Errors if the database can't be read or written; then nothing changed.
pub(super) fn number_run_clusters(tx: &Transaction<'_>, run: Id) -> Result<u64, Error> {
    let mut earliest: Vec<(Id, Key)> = Vec::new();
    {
        let mut rows = tx.prepare(
            "SELECT m.cluster_id, a.published_ts, o.name, a.url
             FROM clusters c
             JOIN members m ON m.cluster_id = c.id
             JOIN articles a ON a.id = m.article_id
             JOIN outlets o ON o.id = a.outlet_id
             WHERE c.created_run = ?1
               AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.cluster_id = c.id)
             ORDER BY m.cluster_id",
        )?;
        let mut rows = rows.query([run])?;
        while let Some(row) = rows.next()? {
            let cluster: Id = row.get(0)?;
            let published: Option<i64> = row.get(1)?;
            let key = (
                published.is_none(),
                published.unwrap_or(0),
                row.get::<_, String>(2)?,
                path_of(&row.get::<_, String>(3)?),
            );
            match earliest.last_mut() {
                Some((c, k)) if *c == cluster => {
                    if key < *k {
                        *k = key;
                    }
                }
                _ => earliest.push((cluster, key)),
            }
        }
    }
    let ids: Vec<Id> = earliest.iter().map(|(c, _)| *c).collect();
    earliest.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    let moves: Vec<(Id, Id)> = earliest
        .iter()
        .zip(&ids)
        .map(|((old, _), &new)| (*old, new))
        .filter(|(old, new)| old != new)
        .collect();
    if moves.is_empty() {
        return Ok(0);
    }
    // Through negative ids, which no cluster has, so that no two clusters
    // hold one id at any moment; foreign keys are checked at commit.
    tx.pragma_update(None, "defer_foreign_keys", "ON")?;
    for &(old, new) in &moves {
        tx.execute(
            "UPDATE clusters SET id = ?2 WHERE id = ?1",
            params![old, -new],
        )?;
        tx.execute(
            "UPDATE members SET cluster_id = ?2 WHERE cluster_id = ?1",
            params![old, -new],
        )?;
    }
    tx.execute("UPDATE clusters SET id = -id WHERE id < 0", [])?;
    tx.execute(
        "UPDATE members SET cluster_id = -cluster_id WHERE cluster_id < 0",
        [],
    )?;
    Ok(moves.len() as u64)
}

/// The path and query of a URL (the whole text if it is not one).
fn path_of(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(u) => u[url::Position::BeforePath..].to_string(),
        Err(_) => url.to_string(),
    }
}
