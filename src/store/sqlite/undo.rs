//! Undoing the last review decision, and the one record undo needs that the
//! clusters do not keep: which articles a merge moved.
//!
//! Decisions undo as a stack: only the newest recorded decision can be
//! undone (the caller names it, so two browser tabs cannot undo two
//! decisions with one click each), and undoing it deletes its record, so the
//! next one becomes the newest. What each undo does:
//!
//! * **split** of article A out of cluster C: A goes back to C (the cluster
//!   it left keeps any later arrivals; it is deleted when empty), and C's
//!   canonical is locked to A again if the latest earlier canonical decision
//!   about C named A (a split of the locked canonical unlocked it);
//! * **merge** of cluster O into C: the articles O held go back to a
//!   cluster of their own, numbered O again when that id is free, with the
//!   canonical lock and confirmation the latest earlier decisions about O
//!   gave it. Articles that joined C since stay in C;
//! * **canonical**: the lock goes back to the latest earlier canonical
//!   decision about the cluster whose article is still a member, else the
//!   canonical policy chooses again;
//! * **confirm**: the confirmation goes back to the earlier one, if any.
//!
//! The moved articles of a merge are kept in `review_undo` (schema
//! migration 4); merges recorded before it existed cannot be undone.

use rusqlite::{params, OptionalExtension, Transaction};

use super::now;
use super::review::rechoose;
use crate::dedup::CanonicalPolicy;
use crate::store::rules::decision_kind;
use crate::store::{DecisionKind, Error, Id, ReviewError};

/// Records that merge decision `decision` moved `articles`.
pub(super) fn remember_moves(
    tx: &Transaction<'_>,
    decision: Id,
    articles: &[Id],
) -> Result<(), Error> {
    let mut insert =
        tx.prepare_cached("INSERT INTO review_undo (decision_id, article_id) VALUES (?1, ?2)")?;
    for article in articles {
        insert.execute(params![decision, article])?;
    }
    Ok(())
}

/// Undoes decision `id`, which must be the newest one recorded. Returns the
/// cluster the decision was about.
pub(super) fn undo(tx: &Transaction<'_>, id: Id, policy: CanonicalPolicy) -> Result<Id, Error> {
    let last: Option<Id> = tx.query_row("SELECT MAX(id) FROM decisions", [], |r| r.get(0))?;
    if last != Some(id) {
        return Err(ReviewError::NotLast { asked: id, last }.into());
    }
    let (kind, cluster, article, other): (String, Id, Option<Id>, Option<Id>) = tx.query_row(
        "SELECT kind, cluster_id, article_id, other_id FROM decisions WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    let kind = decision_kind(&kind).ok_or(ReviewError::NoUndo(id))?;
    if !exists(tx, cluster)? {
        return Err(ReviewError::NoCluster(cluster).into());
    }
    match kind {
        DecisionKind::Split => {
            let article = article.ok_or(ReviewError::NeedsArticle)?;
            let left_for: Option<Id> = tx
                .query_row(
                    "SELECT cluster_id FROM members WHERE article_id = ?1",
                    [article],
                    |r| r.get(0),
                )
                .optional()?;
            tx.execute(
                "UPDATE members SET cluster_id = ?2 WHERE article_id = ?1",
                params![article, cluster],
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
            let restored = if exists(tx, other)? {
                tx.execute(
                    "INSERT INTO clusters (canonical_id, updated_at) VALUES (?1, ?2)",
                    params![first, now()],
                )?;
                tx.last_insert_rowid()
            } else {
                tx.execute(
                    "INSERT INTO clusters (id, canonical_id, updated_at) VALUES (?1, ?2, ?3)",
                    params![other, first, now()],
                )?;
                other
            };
            let mut update =
                tx.prepare_cached("UPDATE members SET cluster_id = ?2 WHERE article_id = ?1")?;
            for article in &moved {
                update.execute(params![article, restored])?;
            }
            if let Some(canonical) = last_canonical(tx, other, id)?.filter(|a| moved.contains(a)) {
                lock_canonical(tx, restored, canonical)?;
            }
            tx.execute(
                "UPDATE clusters SET confirmed_at = ?2 WHERE id = ?1",
                params![restored, last_confirmed(tx, other, id)?],
            )?;
            rechoose(tx, cluster, policy)?;
            rechoose(tx, restored, policy)?;
        }
        DecisionKind::Canonical => {
            match last_canonical(tx, cluster, id)?.filter(|&a| member_of(tx, a, cluster)) {
                Some(earlier) => lock_canonical(tx, cluster, earlier)?,
                None => {
                    tx.execute(
                        "UPDATE clusters SET canonical_locked = 0 WHERE id = ?1",
                        [cluster],
                    )?;
                }
            }
            rechoose(tx, cluster, policy)?;
        }
        DecisionKind::Confirm => {
            tx.execute(
                "UPDATE clusters SET confirmed_at = ?2 WHERE id = ?1",
                params![cluster, last_confirmed(tx, cluster, id)?],
            )?;
        }
    }
    tx.execute("DELETE FROM decisions WHERE id = ?1", [id])?;
    if table_exists(tx)? {
        tx.execute("DELETE FROM review_undo WHERE decision_id = ?1", [id])?;
    }
    Ok(cluster)
}

fn exists(tx: &Transaction<'_>, cluster: Id) -> Result<bool, Error> {
    Ok(tx
        .query_row("SELECT 1 FROM clusters WHERE id = ?1", [cluster], |r| {
            r.get::<_, i64>(0)
        })
        .optional()?
        .is_some())
}

fn member_of(tx: &Transaction<'_>, article: Id, cluster: Id) -> bool {
    tx.query_row(
        "SELECT 1 FROM members WHERE article_id = ?1 AND cluster_id = ?2",
        params![article, cluster],
        |r| r.get::<_, i64>(0),
    )
    .is_ok()
}

fn table_exists(tx: &Transaction<'_>) -> Result<bool, Error> {
    Ok(tx
        .query_row(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'review_undo'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .optional()?
        .is_some())
}

/// The articles merge `decision` moved that are still in `cluster`.
fn moved_articles(tx: &Transaction<'_>, decision: Id, cluster: Id) -> Result<Vec<Id>, Error> {
    if !table_exists(tx)? {
        return Ok(Vec::new());
    }
    let mut stmt = tx.prepare(
        "SELECT u.article_id FROM review_undo u JOIN members m ON m.article_id = u.article_id
         WHERE u.decision_id = ?1 AND m.cluster_id = ?2 ORDER BY u.article_id",
    )?;
    let ids = stmt
        .query_map(params![decision, cluster], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(ids)
}

/// The article of the latest canonical decision about `cluster` before decision `before`.
fn last_canonical(tx: &Transaction<'_>, cluster: Id, before: Id) -> Result<Option<Id>, Error> {
    Ok(tx
        .query_row(
            "SELECT article_id FROM decisions WHERE cluster_id = ?1 AND kind = 'canonical' AND id < ?2
             ORDER BY id DESC LIMIT 1",
            params![cluster, before],
            |r| r.get(0),
        )
        .optional()?
        .flatten())
}

/// The time of the latest confirmation of `cluster` before decision `before`.
fn last_confirmed(tx: &Transaction<'_>, cluster: Id, before: Id) -> Result<Option<String>, Error> {
    Ok(tx
        .query_row(
            "SELECT at FROM decisions WHERE cluster_id = ?1 AND kind = 'confirm' AND id < ?2
             ORDER BY id DESC LIMIT 1",
            params![cluster, before],
            |r| r.get(0),
        )
        .optional()?)
}

fn lock_canonical(tx: &Transaction<'_>, cluster: Id, article: Id) -> Result<(), Error> {
    tx.execute(
        "UPDATE clusters SET canonical_id = ?2, canonical_locked = 1 WHERE id = ?1",
        params![cluster, article],
    )?;
    Ok(())
}
