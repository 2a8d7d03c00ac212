//! `wirecopy reindex` in PostgreSQL: the state row, the batches it reads,
//! and one transaction per article it re-files. Mirrors
//! `store/sqlite/reindex.rs`.

use postgres::Client;

use super::statements::{Cached, Statements};

use crate::dedup::FINGERPRINT_VERSION;
use crate::store::{Error, Id, IndexState, ReindexArticle, ReindexProgress, Reindexed};

pub(super) fn index_state(c: &mut Client) -> Result<IndexState, Error> {
    let row = c.query_opt(
        "SELECT version, reindexed FROM dedup_state WHERE id = 1",
        &[],
    )?;
    let (version, reindexed_to) = match row {
        Some(r) => (r.try_get::<_, i64>(0)? as u32, r.try_get(1)?),
        None => (0, None),
    };
    Ok(IndexState {
        version,
        reindexed_to,
    })
}

pub(super) fn begin(c: &mut Client, restart: bool) -> Result<ReindexProgress, Error> {
    let state = index_state(c)?;
    let r = c.query_one("SELECT COUNT(*), COALESCE(MAX(id), 0) FROM articles", &[])?;
    let total = r.try_get::<_, i64>(0)? as u64;
    let max: Id = r.try_get(1)?;
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
        let done: i64 = c
            .query_one("SELECT COUNT(*) FROM articles WHERE id <= $1", &[&after])?
            .try_get(0)?;
        return Ok(ReindexProgress {
            done: done as u64,
            total,
            after,
        });
    }
    let mut tx = c.transaction()?;
    tx.batch_execute(
        "DELETE FROM dedup_postings; DELETE FROM dedup_bands; DELETE FROM dedup_docs;",
    )?;
    tx.execute(
        "INSERT INTO dedup_state (id, version, reindexed) VALUES (1, $1, 0)
         ON CONFLICT (id) DO UPDATE SET version = excluded.version, reindexed = 0",
        &[&i64::from(FINGERPRINT_VERSION)],
    )?;
    tx.commit()?;
    Ok(ReindexProgress {
        done: 0,
        total,
        after: 0,
    })
}

pub(super) fn batch(c: &mut Client, after: Id, limit: usize) -> Result<Vec<ReindexArticle>, Error> {
    c.query(
        "SELECT id, text, agency_own, published_ts, fetched_at FROM articles
         WHERE id > $1 ORDER BY id LIMIT $2",
        &[&after, &super::read::limit(limit)],
    )?
    .iter()
    .map(|r| {
        Ok(ReindexArticle {
            id: r.try_get(0)?,
            text: r.try_get(1)?,
            agency_own: r.try_get(2)?,
            published_ts: r.try_get(3)?,
            fetched_at: r.try_get(4)?,
        })
    })
    .collect()
}

pub(super) fn save(c: &mut Client, st: &mut Statements, r: &Reindexed<'_>) -> Result<(), Error> {
    let mut tx = c.transaction()?;
    let fp = r.fingerprint;
    tx.execute(
        "UPDATE articles SET normalized = $2, words = $3, sha256 = $4, simhash = $5, fp_version = $6
         WHERE id = $1",
        &[
            &r.article,
            &r.normalized,
            &i64::from(fp.words),
            &fp.sha256_hex(),
            &(fp.simhash as i64),
            &i64::from(fp.version),
        ],
    )?;
    let row = tx.query_one(
        "SELECT published_ts, fetched_at FROM articles WHERE id = $1",
        &[&r.article],
    )?;
    let published_ts: Option<i64> = row.try_get(0)?;
    let fetched_at: String = row.try_get(1)?;
    super::dedup::file(
        &mut Cached::new(&mut tx, st),
        r.article,
        published_ts,
        &fetched_at,
        r.entry,
    )?;
    tx.execute(
        "UPDATE dedup_state SET reindexed = $1 WHERE id = 1",
        &[&r.article],
    )?;
    tx.commit()?;
    Ok(())
}

pub(super) fn finish(c: &mut Client) -> Result<(), Error> {
    c.execute(
        "UPDATE dedup_state SET reindexed = NULL WHERE id = 1 AND version = $1",
        &[&i64::from(FINGERPRINT_VERSION)],
    )?;
    Ok(())
}
