//! `wirecopy reindex` in SQLite: the state row, the batches it reads, and
//! one transaction per article it re-files.
//!
//! `dedup_state` holds the fingerprint version of the filed index and,
//! while a reindex is under way, the last article re-filed (`reindexed`).
//! Each article's new fingerprint columns, its index entry and the move of
//! `reindexed` commit together, so a reindex stopped anywhere (Ctrl-C, a
//! crash) resumes after the last article it finished, and a run refuses to
//! match until `reindexed` is cleared.

use rusqlite::{params, Connection, OptionalExtension};

use crate::dedup::FINGERPRINT_VERSION;
use crate::store::{Error, Id, IndexState, ReindexArticle, ReindexProgress, Reindexed};

pub(super) fn index_state(conn: &Connection) -> Result<IndexState, Error> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version < 3 {
        // Read-only and not migrated (a dry run): no index yet.
        return Ok(IndexState {
            version: 0,
            reindexed_to: None,
        });
    }
    let row: Option<(u32, Option<Id>)> = conn
        .query_row(
            "SELECT version, reindexed FROM dedup_state WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (version, reindexed_to) = row.unwrap_or((0, None));
    Ok(IndexState {
        version,
        reindexed_to,
    })
}

pub(super) fn begin(conn: &mut Connection, restart: bool) -> Result<ReindexProgress, Error> {
    let state = index_state(conn)?;
    let total: i64 = conn.query_row("SELECT COUNT(*) FROM articles", [], |r| r.get(0))?;
    let total = total as u64;
    let max: Id = conn.query_row("SELECT COALESCE(MAX(id), 0) FROM articles", [], |r| {
        r.get(0)
    })?;
    if !restart && state.is_current() {
        return Ok(ReindexProgress {
            done: total,
            total,
            after: max,
        });
    }
    if let (false, true, Some(after)) = (
        restart,
        state.version == FINGERPRINT_VERSION,
        state.reindexed_to,
    ) {
        let done: i64 = conn.query_row(
            "SELECT COUNT(*) FROM articles WHERE id <= ?1",
            [after],
            |r| r.get(0),
        )?;
        return Ok(ReindexProgress {
            done: done as u64,
            total,
            after,
        });
    }
    let tx = conn.transaction()?;
    tx.execute_batch(
        "DELETE FROM dedup_postings; DELETE FROM dedup_bands; DELETE FROM dedup_docs;",
    )?;
    tx.execute(
        "INSERT INTO dedup_state (id, version, reindexed) VALUES (1, ?1, 0)
         ON CONFLICT (id) DO UPDATE SET version = excluded.version, reindexed = 0",
        [FINGERPRINT_VERSION],
    )?;
    tx.commit()?;
    Ok(ReindexProgress {
        done: 0,
        total,
        after: 0,
    })
}

pub(super) fn batch(
    conn: &Connection,
    after: Id,
    limit: usize,
) -> Result<Vec<ReindexArticle>, Error> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, text, agency_own, published_ts, fetched_at FROM articles
         WHERE id > ?1 ORDER BY id LIMIT ?2",
    )?;
    let rows = stmt.query_map(
        params![after, i64::try_from(limit).unwrap_or(i64::MAX)],
        |r| {
            Ok(ReindexArticle {
                id: r.get(0)?,
                text: r.get(1)?,
                agency_own: r.get(2)?,
                published_ts: r.get(3)?,
                fetched_at: r.get(4)?,
            })
        },
    )?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

pub(super) fn save(conn: &mut Connection, r: &Reindexed<'_>) -> Result<(), Error> {
    let tx = conn.transaction()?;
    let fp = r.fingerprint;
    tx.prepare_cached(
        "UPDATE articles SET normalized = ?2, words = ?3, sha256 = ?4, simhash = ?5, fp_version = ?6
         WHERE id = ?1",
    )?
    .execute(params![
        r.article,
        r.normalized,
        fp.words,
        fp.sha256_hex(),
        fp.simhash as i64,
        fp.version
    ])?;
    let (published_ts, fetched_at): (Option<i64>, String) = tx
        .prepare_cached("SELECT published_ts, fetched_at FROM articles WHERE id = ?1")?
        .query_row([r.article], |row| Ok((row.get(0)?, row.get(1)?)))?;
    super::dedup::file(&tx, r.article, published_ts, &fetched_at, r.entry)?;
    tx.prepare_cached("UPDATE dedup_state SET reindexed = ?1 WHERE id = 1")?
        .execute([r.article])?;
    tx.commit()?;
    Ok(())
}

pub(super) fn finish(conn: &Connection) -> Result<(), Error> {
    conn.execute(
        "UPDATE dedup_state SET reindexed = NULL WHERE id = 1 AND version = ?1",
        [FINGERPRINT_VERSION],
    )?;
    Ok(())
}
