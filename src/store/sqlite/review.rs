//! Review decisions: split, merge, canonical, confirm. Each is applied to
//! the stored clusters and recorded, in one transaction; later runs place
//! new articles by the stored membership, so decisions hold. A merge also
//! records the articles it moved, for `undo.rs`.

use rusqlite::{params, OptionalExtension, Transaction};

use super::cores::ensure_core;
use super::now;
use crate::dedup::{CanonicalPolicy, DocMeta};
use crate::store::{Decision, DecisionKind, Error, Id, ReviewError};

fn member_cluster(tx: &Transaction<'_>, article: Id) -> Result<Option<Id>, Error> {
    Ok(tx
        .query_row(
            "SELECT cluster_id FROM members WHERE article_id = ?1",
            [article],
            |r| r.get(0),
        )
        .optional()?)
}

fn cluster_exists(tx: &Transaction<'_>, cluster: Id) -> Result<bool, Error> {
    Ok(tx
        .query_row("SELECT 1 FROM clusters WHERE id = ?1", [cluster], |r| {
            r.get::<_, i64>(0)
        })
        .optional()?
        .is_some())
}

/// Re-chooses a cluster's canonical among its members by the policy,
/// unless a reviewer locked it; updates its size.
pub(super) fn rechoose(
    tx: &Transaction<'_>,
    cluster: Id,
    policy: CanonicalPolicy,
) -> Result<(), Error> {
    let locked: bool = tx.query_row(
        "SELECT canonical_locked FROM clusters WHERE id = ?1",
        [cluster],
        |r| r.get(0),
    )?;
    let mut stmt = tx.prepare_cached(
        "SELECT a.id, a.agency_own, a.published_ts, a.words FROM members m JOIN articles a ON a.id = m.article_id
         WHERE m.cluster_id = ?1 ORDER BY a.id",
    )?;
    let members: Vec<(Id, DocMeta)> = stmt
        .query_map([cluster], |r| {
            Ok((
                r.get(0)?,
                DocMeta {
                    agency: r.get(1)?,
                    published: r.get(2)?,
                    words: r.get(3)?,
                },
            ))
        })?
        .collect::<Result<_, _>>()?;
    if members.is_empty() {
        tx.execute("DELETE FROM clusters WHERE id = ?1", [cluster])?;
        return Ok(());
    }
    if !locked {
        let mut best = members[0];
        for m in &members[1..] {
            if policy.prefers(&m.1, &best.1) {
                best = *m;
            }
        }
        tx.execute(
            "UPDATE clusters SET canonical_id = ?2 WHERE id = ?1",
            params![cluster, best.0],
        )?;
    }
    // Every member states how it relates to the canonical as it is now.
    super::restate::restate(tx, cluster)?;
    tx.execute(
        "UPDATE clusters SET size = ?2, updated_at = ?3 WHERE id = ?1",
        params![cluster, members.len() as i64, now()],
    )?;
    Ok(())
}

/// Records a decision; returns its id.
fn record(tx: &Transaction<'_>, d: &Decision, at: &str) -> Result<Id, Error> {
    tx.execute(
        "INSERT INTO decisions (kind, cluster_id, article_id, other_id, note, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![d.kind.as_str(), d.cluster, d.article, d.other, d.note, at],
    )?;
    Ok(tx.last_insert_rowid())
}

/// Applies one decision. Returns the cluster the decision produced (the new
/// cluster of a split article, the surviving cluster of a merge).
pub(super) fn apply(
    tx: &Transaction<'_>,
    d: &Decision,
    policy: CanonicalPolicy,
) -> Result<Id, Error> {
    if !cluster_exists(tx, d.cluster)? {
        return Err(ReviewError::NoCluster(d.cluster).into());
    }
    // One time for the decision and what it sets: undoing a later
    // confirmation restores this one's time from the record.
    let at = now();
    // The articles a merge moves, kept so that it can be undone.
    let mut moved: Vec<Id> = Vec::new();
    let result = match d.kind {
        DecisionKind::Split | DecisionKind::Canonical => {
            let article = d.article.ok_or(ReviewError::NeedsArticle)?;
            if member_cluster(tx, article)? != Some(d.cluster) {
                return Err(ReviewError::NotMember {
                    cluster: d.cluster,
                    article,
                }
                .into());
            }
            if d.kind == DecisionKind::Canonical {
                tx.execute(
                    "UPDATE clusters SET canonical_id = ?2, canonical_locked = 1, updated_at = ?3 WHERE id = ?1",
                    params![d.cluster, article, now()],
                )?;
                rechoose(tx, d.cluster, policy)?;
                d.cluster
            } else {
                let size: i64 = tx.query_row(
                    "SELECT size FROM clusters WHERE id = ?1",
                    [d.cluster],
                    |r| r.get(0),
                )?;
                if size < 2 {
                    return Err(ReviewError::Alone {
                        cluster: d.cluster,
                        article,
                    }
                    .into());
                }
                tx.execute(
                    "INSERT INTO clusters (canonical_id, updated_at) VALUES (?1, ?2)",
                    params![article, now()],
                )?;
                let new_cluster = tx.last_insert_rowid();
                tx.execute(
                    "UPDATE members SET cluster_id = ?2, relation = 'canonical', similarity = 1.0, matched_id = NULL
                     WHERE article_id = ?1",
                    params![article, new_cluster],
                )?;
                // A locked canonical that leaves unlocks the old cluster.
                tx.execute(
                    "UPDATE clusters SET canonical_locked = 0 WHERE id = ?1 AND canonical_id = ?2",
                    params![d.cluster, article],
                )?;
                rechoose(tx, d.cluster, policy)?;
                rechoose(tx, new_cluster, policy)?;
                // Both clusters stay reachable by later articles.
                ensure_core(tx, d.cluster)?;
                ensure_core(tx, new_cluster)?;
                new_cluster
            }
        }
        DecisionKind::Merge => {
            let other = d.other.ok_or(ReviewError::NeedsOther)?;
            if other == d.cluster {
                return Err(ReviewError::SameCluster(other).into());
            }
            if !cluster_exists(tx, other)? {
                return Err(ReviewError::NoCluster(other).into());
            }
            moved = tx
                .prepare_cached("SELECT article_id FROM members WHERE cluster_id = ?1")?
                .query_map([other], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            tx.execute(
                "UPDATE members SET cluster_id = ?1 WHERE cluster_id = ?2",
                params![d.cluster, other],
            )?;
            tx.execute("DELETE FROM clusters WHERE id = ?1", [other])?;
            rechoose(tx, d.cluster, policy)?;
            d.cluster
        }
        DecisionKind::Confirm => {
            tx.execute(
                "UPDATE clusters SET confirmed_at = ?2 WHERE id = ?1",
                params![d.cluster, at],
            )?;
            d.cluster
        }
    };
    let id = record(tx, d, &at)?;
    if !moved.is_empty() {
        super::undo::remember_moves(tx, id, &moved)?;
    }
    Ok(result)
}
