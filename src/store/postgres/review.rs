//! Review decisions: split, merge, canonical, confirm, applied and
//! recorded in one transaction. Mirrors `store/sqlite/review.rs`.
//!
//! Where SQLite takes its write lock up front (`BEGIN IMMEDIATE`), a
//! decision here locks the `clusters` table against writers
//! ([`lock_clusters`]) before it reads anything: a run on another host that
//! stores into a cluster meanwhile waits for the decision to commit, and
//! two reviewers' decisions apply one after the other.

use postgres::{Client, GenericClient, Transaction};

use super::cores::ensure_core;
use super::statements::uncached;
use super::write::cluster_of;
use crate::dedup::{CanonicalPolicy, DocMeta};
use crate::store::rules::now;
use crate::store::{Decision, DecisionKind, Error, Id, ReviewError};

/// Locks the clusters against concurrent writers until the transaction ends.
pub(super) fn lock_clusters(tx: &mut Transaction<'_>) -> Result<(), Error> {
    tx.batch_execute("LOCK TABLE clusters IN SHARE ROW EXCLUSIVE MODE")?;
    Ok(())
}

/// Applies and records a decision in its own transaction.
pub(super) fn decide(c: &mut Client, d: &Decision, policy: CanonicalPolicy) -> Result<Id, Error> {
    let mut tx = c.transaction()?;
    lock_clusters(&mut tx)?;
    let cluster = apply(&mut tx, d, policy)?;
    tx.commit()?;
    Ok(cluster)
}

pub(super) fn cluster_exists(c: &mut impl GenericClient, cluster: Id) -> Result<bool, Error> {
    Ok(
        c.query_opt("SELECT 1 FROM clusters WHERE id = $1", &[&cluster])?
            .is_some(),
    )
}

/// Re-chooses a cluster's canonical among its members by the policy,
/// unless a reviewer locked it; updates its size.
pub(super) fn rechoose(
    tx: &mut Transaction<'_>,
    cluster: Id,
    policy: CanonicalPolicy,
) -> Result<(), Error> {
    let locked: bool = tx
        .query_one(
            "SELECT canonical_locked FROM clusters WHERE id = $1",
            &[&cluster],
        )?
        .try_get(0)?;
    let members: Vec<(Id, DocMeta)> = tx
        .query(
            "SELECT a.id, a.agency_own, a.published_ts, a.words FROM members m JOIN articles a ON a.id = m.article_id
             WHERE m.cluster_id = $1 ORDER BY a.id",
            &[&cluster],
        )?
        .iter()
        .map(|r| {
            Ok((
                r.try_get(0)?,
                DocMeta {
                    agency: r.try_get(1)?,
                    published: r.try_get(2)?,
                    words: r.try_get::<_, i64>(3)? as u32,
                },
            ))
        })
        .collect::<Result<_, postgres::Error>>()?;
    let Some(&first) = members.first() else {
        tx.execute("DELETE FROM clusters WHERE id = $1", &[&cluster])?;
        return Ok(());
    };
    if !locked {
        let mut best = first;
        for m in &members[1..] {
            if policy.prefers(&m.1, &best.1) {
                best = *m;
            }
        }
        tx.execute(
            "UPDATE clusters SET canonical_id = $2 WHERE id = $1",
            &[&cluster, &best.0],
        )?;
    }
    // Every member states how it relates to the canonical as it is now.
    super::restate::restate(tx, cluster)?;
    tx.execute(
        "UPDATE clusters SET size = $2, updated_at = $3 WHERE id = $1",
        &[&cluster, &(members.len() as i64), &now()],
    )?;
    Ok(())
}

/// Records a decision; returns its id.
fn record(tx: &mut Transaction<'_>, d: &Decision, at: &str) -> Result<Id, Error> {
    Ok(tx
        .query_one(
            "INSERT INTO decisions (kind, cluster_id, article_id, other_id, note, at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            &[
                &d.kind.as_str(),
                &d.cluster,
                &d.article,
                &d.other,
                &d.note,
                &at,
            ],
        )?
        .try_get(0)?)
}

/// Applies one decision. Returns the cluster the decision produced (the new
/// cluster of a split article, the surviving cluster of a merge).
pub(super) fn apply(
    tx: &mut Transaction<'_>,
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
            if uncached(tx, |c| cluster_of(c, article))? != Some(d.cluster) {
                return Err(ReviewError::NotMember {
                    cluster: d.cluster,
                    article,
                }
                .into());
            }
            if d.kind == DecisionKind::Canonical {
                tx.execute(
                    "UPDATE clusters SET canonical_id = $2, canonical_locked = TRUE, updated_at = $3 WHERE id = $1",
                    &[&d.cluster, &article, &now()],
                )?;
                rechoose(tx, d.cluster, policy)?;
                d.cluster
            } else {
                let size: i64 = tx
                    .query_one("SELECT size FROM clusters WHERE id = $1", &[&d.cluster])?
                    .try_get(0)?;
                if size < 2 {
                    return Err(ReviewError::Alone {
                        cluster: d.cluster,
                        article,
                    }
                    .into());
                }
                let new_cluster: Id = tx
                    .query_one(
                        "INSERT INTO clusters (canonical_id, updated_at) VALUES ($1, $2) RETURNING id",
                        &[&article, &now()],
                    )?
                    .try_get(0)?;
                tx.execute(
                    "UPDATE members SET cluster_id = $2, relation = 'canonical', similarity = 1.0, matched_id = NULL
                     WHERE article_id = $1",
                    &[&article, &new_cluster],
                )?;
                // A locked canonical that leaves unlocks the old cluster.
                tx.execute(
                    "UPDATE clusters SET canonical_locked = FALSE WHERE id = $1 AND canonical_id = $2",
                    &[&d.cluster, &article],
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
                .query(
                    "SELECT article_id FROM members WHERE cluster_id = $1",
                    &[&other],
                )?
                .iter()
                .map(|r| r.try_get(0))
                .collect::<Result<_, _>>()?;
            tx.execute(
                "UPDATE members SET cluster_id = $1 WHERE cluster_id = $2",
                &[&d.cluster, &other],
            )?;
            tx.execute("DELETE FROM clusters WHERE id = $1", &[&other])?;
            rechoose(tx, d.cluster, policy)?;
            d.cluster
        }
        DecisionKind::Confirm => {
            tx.execute(
                "UPDATE clusters SET confirmed_at = $2 WHERE id = $1",
                &[&d.cluster, &at],
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
