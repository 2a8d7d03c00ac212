//! Undoing the last review decision: PostgreSQL's queries for the rules
//! `store/sqlite/undo.rs` documents (decisions undo as a stack; a merge
//! keeps the articles it moved in `review_undo`).

use postgres::{Client, GenericClient, Transaction};

use super::review::{cluster_exists, lock_clusters, rechoose};
use super::statements::uncached;
use super::write::cluster_of;
use crate::dedup::CanonicalPolicy;
use crate::store::rules::{decision_kind, now};
use crate::store::{DecisionKind, Error, Id, ReviewError};

/// Records that merge decision `decision` moved `articles`.
pub(super) fn remember_moves(
    tx: &mut Transaction<'_>,
    decision: Id,
    articles: &[Id],
) -> Result<(), Error> {
    tx.execute(
        "INSERT INTO review_undo (decision_id, article_id) SELECT $1::bigint, a FROM unnest($2::bigint[]) AS a",
        &[&decision, &articles],
    )?;
    Ok(())
}

/// Undoes decision `id` in its own transaction.
pub(super) fn undo_decision(c: &mut Client, id: Id, policy: CanonicalPolicy) -> Result<Id, Error> {
    let mut tx = c.transaction()?;
    lock_clusters(&mut tx)?;
    let cluster = undo(&mut tx, id, policy)?;
    tx.commit()?;
    Ok(cluster)
}

/// Undoes decision `id`, which must be the newest one recorded. Returns the
/// cluster the decision was about.
fn undo(tx: &mut Transaction<'_>, id: Id, policy: CanonicalPolicy) -> Result<Id, Error> {
    let last: Option<Id> = tx
        .query_one("SELECT MAX(id) FROM decisions", &[])?
        .try_get(0)?;
    if last != Some(id) {
        return Err(ReviewError::NotLast { asked: id, last }.into());
    }
    let r = tx.query_one(
        "SELECT kind, cluster_id, article_id, other_id FROM decisions WHERE id = $1",
        &[&id],
    )?;
    let kind: String = r.try_get(0)?;
    let cluster: Id = r.try_get(1)?;
    let article: Option<Id> = r.try_get(2)?;
    let other: Option<Id> = r.try_get(3)?;
    let kind = decision_kind(&kind).ok_or(ReviewError::NoUndo(id))?;
    if !cluster_exists(tx, cluster)? {
        return Err(ReviewError::NoCluster(cluster).into());
    }
    match kind {
        DecisionKind::Split => {
            let article = article.ok_or(ReviewError::NeedsArticle)?;
            let left_for = uncached(tx, |c| cluster_of(c, article))?;
            tx.execute(
                "UPDATE members SET cluster_id = $2 WHERE article_id = $1",
                &[&article, &cluster],
            )?;
            if last_canonical(tx, cluster, id)? == Some(article) {
                lock_canonical(tx, cluster, article)?;
            }
            rechoose(tx, cluster, policy)?;
            if let Some(left_for) = left_for.filter(|&c| c != cluster) {
                rechoose(tx, left_for, policy)?;
            }
        }
        DecisionKind::Merge => {
            let other = other.ok_or(ReviewError::NeedsOther)?;
            let moved = moved_articles(tx, id, cluster)?;
            let Some(&first) = moved.first() else {
                return Err(ReviewError::NoUndo(id).into());
            };
            let restored: Id = if cluster_exists(tx, other)? {
                tx.query_one(
                    "INSERT INTO clusters (canonical_id, updated_at) VALUES ($1, $2) RETURNING id",
                    &[&first, &now()],
                )?
                .try_get(0)?
            } else {
                tx.execute(
                    "INSERT INTO clusters (id, canonical_id, updated_at) VALUES ($1, $2, $3)",
                    &[&other, &first, &now()],
                )?;
                other
            };
            tx.execute(
                "UPDATE members SET cluster_id = $2 WHERE article_id = ANY($1)",
                &[&moved, &restored],
            )?;
            if let Some(canonical) = last_canonical(tx, other, id)?.filter(|a| moved.contains(a)) {
                lock_canonical(tx, restored, canonical)?;
            }
            let confirmed = last_confirmed(tx, other, id)?;
            tx.execute(
                "UPDATE clusters SET confirmed_at = $2 WHERE id = $1",
                &[&restored, &confirmed],
            )?;
            rechoose(tx, cluster, policy)?;
            rechoose(tx, restored, policy)?;
        }
        DecisionKind::Canonical => {
            let earlier = last_canonical(tx, cluster, id)?;
            let still_member = match earlier {
                Some(a) => uncached(tx, |c| cluster_of(c, a))? == Some(cluster),
                None => false,
            };
            match earlier.filter(|_| still_member) {
                Some(earlier) => lock_canonical(tx, cluster, earlier)?,
                None => {
                    tx.execute(
                        "UPDATE clusters SET canonical_locked = FALSE WHERE id = $1",
                        &[&cluster],
                    )?;
                }
            }
            rechoose(tx, cluster, policy)?;
        }
        DecisionKind::Confirm => {
            let confirmed = last_confirmed(tx, cluster, id)?;
            tx.execute(
                "UPDATE clusters SET confirmed_at = $2 WHERE id = $1",
                &[&cluster, &confirmed],
            )?;
        }
    }
    tx.execute("DELETE FROM decisions WHERE id = $1", &[&id])?;
    tx.execute("DELETE FROM review_undo WHERE decision_id = $1", &[&id])?;
    Ok(cluster)
}

/// The articles merge `decision` moved that are still in `cluster`.
fn moved_articles(tx: &mut Transaction<'_>, decision: Id, cluster: Id) -> Result<Vec<Id>, Error> {
    Ok(tx
        .query(
            "SELECT u.article_id FROM review_undo u JOIN members m ON m.article_id = u.article_id
             WHERE u.decision_id = $1 AND m.cluster_id = $2 ORDER BY u.article_id",
            &[&decision, &cluster],
        )?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<Result<_, _>>()?)
}

/// The article of the latest canonical decision about `cluster` before decision `before`.
fn last_canonical(
    c: &mut impl GenericClient,
    cluster: Id,
    before: Id,
) -> Result<Option<Id>, Error> {
    Ok(c.query_opt(
        "SELECT article_id FROM decisions WHERE cluster_id = $1 AND kind = 'canonical' AND id < $2
         ORDER BY id DESC LIMIT 1",
        &[&cluster, &before],
    )?
    .map(|r| r.try_get::<_, Option<Id>>(0))
    .transpose()?
    .flatten())
}

/// The time of the latest confirmation of `cluster` before decision `before`.
fn last_confirmed(
    c: &mut impl GenericClient,
    cluster: Id,
    before: Id,
) -> Result<Option<String>, Error> {
    Ok(c.query_opt(
        "SELECT at FROM decisions WHERE cluster_id = $1 AND kind = 'confirm' AND id < $2
         ORDER BY id DESC LIMIT 1",
        &[&cluster, &before],
    )?
    .map(|r| r.try_get(0))
    .transpose()?)
}

fn lock_canonical(tx: &mut Transaction<'_>, cluster: Id, article: Id) -> Result<(), Error> {
    tx.execute(
        "UPDATE clusters SET canonical_id = $2, canonical_locked = TRUE WHERE id = $1",
        &[&cluster, &article],
    )?;
    Ok(())
}
